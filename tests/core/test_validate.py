"""Validation: what afserver rejects, crashes on, or silently mangles is caught before sending."""

from __future__ import annotations

import json
from typing import Callable

import pytest

from afcore.errors import JobInvalid
from afcore.job import Block, BlockFlags, Job, Task
from afcore.validate import check, infer_numeric_flags, problems
from shared_data import TRANSCRIPTS


def good_job() -> Job:
    """The seed example: one numeric Nuke block and one block of explicit tasks."""
    job = Job("somejob", user_name="jimmy", host_name="pc01", priority=99)
    job.hosts_mask = "render.*"
    nuke = Block("back", service="nuke", command="nuke -X WriteBack -x scene.nk @#@,@#@")
    nuke.set_numeric(1, 100, 10)
    cache = Block("cache", command="cache @#@")
    cache.tasks = [Task("A", "-part A"), Task("B", "-part B")]
    job.blocks = [nuke, cache]
    return job


def places(job: Job) -> dict[str, str]:
    return {problem.where: problem.message for problem in problems(job)}


def test_a_good_job_has_no_problems():
    job = good_job()
    assert problems(job) == []
    check(job)


def test_a_numeric_block_of_100k_frames_is_fine():
    job = good_job()
    job.blocks[0].set_numeric(1, 100_000, 1)
    assert problems(job) == []


def test_negative_frames_per_task_of_a_task_block_means_sub_frame_dependency():
    job = good_job()
    job.blocks[1].frames_per_task = -4
    assert problems(job) == []


def test_task_without_command_is_fine_when_the_block_has_one():
    job = good_job()
    job.blocks[1].tasks.append(Task("C"))
    assert problems(job) == []


Mutation = Callable[[Job], None]


def no_blocks(job: Job) -> None:
    job.blocks = []


def neither_numeric_nor_tasks(job: Job) -> None:
    job.blocks[1].tasks = []


def empty_numeric_command(job: Job) -> None:
    job.blocks[0].command = "  "


def no_command_anywhere(job: Job) -> None:
    job.blocks[1].command = ""
    job.blocks[1].tasks[1].command = ""


def last_before_first(job: Job) -> None:
    job.blocks[0].set_numeric(100, 1, 10)


def set_field(index: int, name: str, value: object) -> Mutation:
    def mutate(job: Job) -> None:
        setattr(job if index < 0 else job.blocks[index], name, value)

    mutate.__name__ = f"{name}={value!r}"
    return mutate


def numeric_with_tasks(job: Job) -> None:
    job.blocks[0].tasks = [Task("x", "y")]


def duplicate_names(job: Job) -> None:
    job.blocks[1].name = "back"


def multihost(low: int, high: int) -> Mutation:
    def mutate(job: Job) -> None:
        block = job.blocks[0]
        block.set_flag(BlockFlags.MULTIHOST)
        block.multihost_min, block.multihost_max = low, high

    return mutate


@pytest.mark.parametrize(
    ("mutate", "where", "expected"),
    [
        (no_blocks, "blocks", "has no blocks"),
        (neither_numeric_nor_tasks, "blocks[1]", "neither numeric (flags bit 0) nor has tasks"),
        (empty_numeric_command, "blocks[0].command", "is empty"),
        (no_command_anywhere, "blocks[1].tasks[1].command", "block has no command either"),
        (last_before_first, "blocks[0].frame_last", "must be >= frame_first (100), got 1"),
        (set_field(0, "frames_per_task", 0), "blocks[0].frames_per_task", "must be >= 1, got 0"),
        (set_field(0, "frames_per_task", -2), "blocks[0].frames_per_task", "must be >= 1, got -2"),
        (set_field(1, "frames_per_task", 0), "blocks[1].frames_per_task", "must be >= 1, got 0"),
        (set_field(0, "frames_inc", 0), "blocks[0].frames_inc", "must be >= 1, got 0"),
        (set_field(0, "frame_last", None), "blocks[0]", "no frame_first / frame_last"),
        (set_field(-1, "priority", 251), "priority", "from 0 to 250, got 251"),
        (set_field(-1, "priority", -1), "priority", "from 0 to 250, got -1"),
        (set_field(-1, "name", ""), "name", "is empty"),
        (set_field(1, "name", " "), "blocks[1].name", "is empty"),
        (duplicate_names, "blocks[1].name", '"back" is also the name of blocks[0]'),
        (set_field(0, "capacity", 0), "blocks[0].capacity", "must be >= 1, got 0"),
        (numeric_with_tasks, "blocks[0].tasks", "the server ignores the tasks"),
        (multihost(0, 2), "blocks[0].multihost_min", "must be >= 1"),
        (multihost(3, 2), "blocks[0].multihost_max", "must be >= multihost_min (3), got 2"),
        (set_field(0, "frame_first", "1"), "blocks[0].frame_first", "whole number, got '1' (str)"),
        (set_field(-1, "offline", "yes"), "offline", "must be true or false"),
        (set_field(0, "files", "a.exr"), "blocks[0].files", "must be a list of texts"),
        (set_field(0, "environment", {"A": 1}), "blocks[0].environment", "names to texts"),
        (set_field(-1, "pools", {"farm": "10"}), "pools", "names to whole numbers"),
        (set_field(-1, "blocks", None), "blocks", "has no blocks"),
        (set_field(1, "tasks", {"A": "x"}), "blocks[1].tasks", "must be a list, got dict"),
    ],
    ids=lambda value: getattr(value, "__name__", None) if callable(value) else None,
)
def test_each_problem_is_found_with_its_place(mutate, where, expected):
    job = good_job()
    mutate(job)
    found = places(job)
    assert where in found, found
    assert expected in found[where]


@pytest.mark.parametrize(
    "mask",
    [
        "hosts_mask",
        "hosts_mask_exclude",
        "depend_mask",
        "depend_mask_global",
        "need_os",
        "need_properties",
    ],
)
def test_invalid_regex_in_a_job_mask(mask):
    job = good_job()
    setattr(job, mask, "render(")
    message = places(job)[mask]
    assert (
        "'render(' is not a valid regular expression: missing ), unterminated subpattern" in message
    )


@pytest.mark.parametrize(
    "mask",
    ["hosts_mask", "hosts_mask_exclude", "depend_mask", "tasks_depend_mask", "need_properties"],
)
def test_invalid_regex_in_a_block_mask(mask):
    job = good_job()
    setattr(job.blocks[1], mask, "[a-")
    assert "not a valid regular expression" in places(job)[f"blocks[1].{mask}"]


def test_a_glob_where_a_regex_belongs_gets_a_hint():
    job = good_job()
    job.hosts_mask = "*render*"
    assert "use '.*' for 'anything'" in places(job)["hosts_mask"]


def test_text_decoded_with_surrogateescape_is_not_utf8():
    job = good_job()
    job.name = b"bad \xff\xfe utf8".decode("utf-8", "surrogateescape")
    assert places(job)["name"].startswith("is not valid UTF-8 text (byte 0xff at character 4)")


def test_non_utf8_in_a_task_file_and_an_environment_key_is_found():
    job = good_job()
    job.blocks[1].tasks[0].files = ["ok.exr", "caf\udce9.exr"]
    job.blocks[0].environment = {"K\udcff": "v"}
    found = places(job)
    assert "not valid UTF-8" in found["blocks[1].tasks[0].files"]
    assert "not valid UTF-8" in found["blocks[0].environment"]


def test_bytes_are_refused_with_what_to_do():
    job = good_job()
    job.annotation = b"plan b"  # type: ignore[assignment]
    job.description = b"\xff"  # type: ignore[assignment]
    found = places(job)
    assert "decode it first" in found["annotation"]
    assert "bytes that are not UTF-8 (byte 0xff at 0)" in found["description"]


def test_unknown_keys_are_checked_for_utf8_too():
    job = good_job()
    job.blocks[0].extra = {"studio": ["fine", "\udc80"]}
    assert "not valid UTF-8" in places(job)["blocks[0].extra"]


def test_every_problem_is_listed_not_just_the_first():
    job = good_job()
    job.name = ""
    job.priority = 300
    job.blocks[0].frames_per_task = 0
    job.blocks[1].hosts_mask = "("
    assert [problem.where for problem in problems(job)] == [
        "name",
        "priority",
        "blocks[0].frames_per_task",
        "blocks[1].hosts_mask",
    ]


def test_check_raises_with_every_problem_in_the_message():
    job = good_job()
    job.blocks[0].frames_per_task = 0
    job.blocks[0].frames_inc = 0
    with pytest.raises(JobInvalid) as raised:
        check(job)
    assert len(raised.value.problems) == 2
    assert "blocks[0].frames_per_task: must be >= 1, got 0" in str(raised.value)
    assert "blocks[0].frames_inc: must be >= 1, got 0" in str(raised.value)


def test_a_job_without_a_user_is_refused_as_afserver_would():
    job = good_job()
    job.user_name = " "
    assert [str(p) for p in problems(job)] == [
        "user_name: is empty: afserver refuses a job without a user; set AF_USERNAME"
    ]


def test_one_problem_in_ten_thousand_tasks_reads_as_one_line():
    job = good_job()
    job.blocks[1].command = ""
    job.blocks[1].tasks = [Task(f"t{n}") for n in range(10_000)]
    found = problems(job)
    assert len(found) == 1
    assert found[0].where == "blocks[1].tasks[0].command"
    assert found[0].message.endswith("(so are tasks 1, 2, 3 and 9,996 more)")


def test_a_problem_deep_in_a_thousand_blocks_is_found():
    job = Job("big", "jimmy", blocks=[Block(f"b{n}", command="c @#@") for n in range(1000)])
    for block in job.blocks:
        block.tasks = [Task(f"t{n}", f"-f {n}") for n in range(10)]
    job.blocks[999].tasks[9].command = "\udcff"
    assert [p.where for p in problems(job)] == ["blocks[999].tasks[9].command"]


def seed_minimal_job() -> Job:
    """The seed documentation's minimal job, as sent in the recorded transcript (no flags)."""
    request = json.loads((TRANSCRIPTS / "a_minimal_job_seed.json").read_text())["request"]
    return Job.from_dict(json.loads(request[request.index("{") :]))


def test_the_documented_minimal_job_is_refused_as_it_stands():
    assert "neither numeric" in places(seed_minimal_job())["blocks[0]"]
    assert "make it numeric" in places(seed_minimal_job())["blocks[0]"]


def test_infer_numeric_flags_makes_the_documented_minimal_job_sendable():
    job = seed_minimal_job()
    notes = infer_numeric_flags(job)
    assert notes == [
        'blocks[0] "Nuke": has frames 1-100 but no numeric flag; set flags bit 0 (numeric) '
        "so the server makes tasks of the range"
    ]
    assert job.to_dict()["job"]["blocks"][0]["flags"] == 1
    assert problems(job) == []


def test_infer_numeric_flags_leaves_task_blocks_and_numeric_blocks_alone():
    job = good_job()
    job.blocks[1].frame_first, job.blocks[1].frame_last = 1, 10
    before = job.to_dict()
    assert infer_numeric_flags(job) == []
    assert job.to_dict() == before


def test_infer_numeric_flags_needs_both_ends_of_the_range():
    job = good_job()
    job.blocks.append(Block("half", command="x", frame_first=1))
    assert infer_numeric_flags(job) == []
    assert not job.blocks[2].numeric
