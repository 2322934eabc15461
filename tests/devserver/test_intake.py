"""What the devserver makes of submitted jobs, and of each task: afserver's rules, not ours."""

from __future__ import annotations

import pytest

from afcore.devserver import taskgen
from afcore.devserver.intake import MAX_TASKS, read_job
from afcore.devserver.replies import encode_reply


def block(**fields):
    return {"name": "b", "flags": 1, "command": "echo @#@", **fields}


def job(*blocks, **fields):
    return {"name": "j", "user_name": "jimmy", "blocks": list(blocks), **fields}


@pytest.mark.parametrize(
    "body",
    [
        job(block(), user_name=""),
        {"name": "no blocks", "user_name": "jimmy"},
        job(),
        job({"name": "no flag", "frame_first": 1, "frame_last": 4}),
        job(block(), "not a block"),
        "not a job",
        job(block(frame_first=0, frame_last=MAX_TASKS)),
    ],
    ids=["no user", "no blocks key", "empty blocks", "no numeric flag", "bad block", "str", "huge"],
)
def test_jobs_afserver_refuses_are_refused(body):
    assert read_job(body) is None


def test_what_afserver_accepts_is_accepted_and_settled_its_way():
    spec = read_job(job(block(frame_first=10, frame_last=1, frames_per_task=0), bogus_key=[1]))
    settled = spec.blocks[0]
    assert (settled.frame_first, settled.frame_last, settled.frames_per_task) == (10, 10, 1)
    assert spec.task_count() == 1
    assert read_job(job({"name": "b", "flags": 1, "frame_first": 1, "frame_last": 4}))


def test_values_of_the_wrong_type_are_ignored_not_fatal():
    spec = read_job(
        job(
            block(frame_last="4", frames_per_task=True, files=["a.@#@", 3], environment={"A": 1}),
            priority="high",
            offline=1,
        )
    )
    settled = spec.blocks[0]
    assert (settled.frame_last, settled.frames_per_task) == (0, 1)
    assert settled.files == ["a.@#@"]
    assert settled.environment == {}
    assert spec.priority is None and spec.offline is False


def test_explicit_tasks_make_a_non_numeric_block_even_with_the_numeric_flag():
    spec = read_job(job(block(tasks=[{"name": "t0", "command": "a"}, "junk"], command="run @#@")))
    settled = spec.blocks[0]
    assert not settled.numeric
    assert spec.task_count() == 2
    assert taskgen.task_command(settled, 0) == "run a"
    assert taskgen.task_command(settled, 1) == "run "


def test_client_time_creation_is_kept_and_missing_one_is_now():
    assert read_job(job(block(), time_creation=1234)).time_creation == 1234
    assert read_job(job(block()), now=99).time_creation == 99


def numeric(first, last, per_task=1, step=1, **fields):
    frames = {"frame_first": first, "frame_last": last, "frames_per_task": per_task}
    return read_job(job(block(frames_inc=step, **frames, **fields))).blocks[0]


def test_task_frames_follow_gen_numbers_with_increment_and_partial_last_task():
    seed = numeric(1, 100, 10, 2)  # the seed job: 5 tasks of 10 frames, every other frame
    assert seed.task_count() == 5
    assert taskgen.task_frames(seed, 0) == (1, 19, 10)
    assert taskgen.task_frames(seed, 4) == (81, 99, 10)
    partial = numeric(1, 10, 4)
    assert [taskgen.task_frames(partial, n) for n in range(3)] == [(1, 4, 4), (5, 8, 4), (9, 10, 2)]


def test_task_names_and_commands_substitute_frames_like_the_render_client():
    chunked = numeric(1, 10, 2, command="nuke -F @#@-@#@ -x s.nk", files=["out/img.@####@.exr"])
    assert taskgen.task_name(chunked, 1) == "frame 3-4"
    assert taskgen.task_command(chunked, 1) == "nuke -F 3-4 -x s.nk"
    assert taskgen.task_files(chunked, 1) == ["out/img.0003.exr"]
    assert taskgen.task_name(numeric(1, 9, 2, 2), 0) == "frame 1-3 / 2"
    assert taskgen.task_name(numeric(5, 5, tasks_name="shot @###@"), 0) == "shot 005"


def test_frame_to_task_clamps_into_the_block():
    chunked = numeric(1, 10, 2)
    assert [taskgen.task_of_frame(chunked, f, 5) for f in (-7, 1, 4, 10, 99)] == [0, 0, 1, 4, 4]


def test_replies_are_laid_out_like_afserver_and_echo_raw_bytes():
    assert encode_reply({"id": 4, "serial": 3}) == b'{\n"id":4,\n"serial":3\n}'
    assert encode_reply({"renders": []}) == b'{"renders":[\n\n]}'
    assert encode_reply({"jobs": [{"name": "bad \udcff"}]}) == b'{"jobs":[\n{"name":"bad \xff"}\n]}'
    assert encode_reply({"jobs": [{"name": "\ud800"}]}) == b'{"jobs":[{"name":"\\ud800"}]}'
