"""`afcmd v json` shows what the farm will make of a job file, including what is wrong with it."""

from __future__ import annotations

import json

from afcore.cli.jobtree import describe_job
from afcore.errors import Problem
from afcore.job import Block, Job
from shared_data import AF_REFERENCE


def seed_job() -> Job:
    return Job.from_dict(json.loads((AF_REFERENCE / "seed_api.json").read_text()))


def test_numeric_block_shows_frames_chunking_command_and_files():
    tree = describe_job(seed_job(), [])
    assert 'Job "somejob"  (user jimmy@pc01)' in tree
    assert '  Block 0 "back"' in tree
    assert "    frames 1-100, 10 per task: 10 task(s)" in tree
    assert "    command: nuke -i -X WriteBack -x scene.nk.tmp.nk @#@,@#@" in tree
    assert "    file: jpg/img.@####@.jpg" in tree
    assert "  Total: 1 block(s), 10 task(s)" in tree
    assert tree.endswith("No problems found.")


def test_every_other_setting_in_the_file_is_shown():
    tree = describe_job(seed_job(), [])
    assert "hosts_mask=render.*" in tree
    assert "depend_mask=another_job_name" in tree
    assert "offline=true" in tree


def test_zero_values_are_settings_too():
    job = Job(name="j", blocks=[])
    job.extra["custom"] = 0
    assert "custom=0" in describe_job(job, [])


def test_frame_step_is_shown_in_the_frame_grammar():
    job = Job(name="j")
    job.blocks.append(_numeric_block(1, 100, per_task=10, step=2))
    assert "frames 1-100x2, 10 per task: 5 task(s)" in describe_job(job, [])


def test_explicit_tasks_are_listed_and_long_lists_summarised():
    job = Job.from_dict(
        {
            "name": "j",
            "blocks": [
                {
                    "command": "run @#@",
                    "tasks": [{"name": f"t{i}", "command": str(i)} for i in range(12)],
                }
            ],
        }
    )
    tree = describe_job(job, [])
    assert "12 explicit task(s) (not numeric" in tree
    assert '    task 0: "t0": 0' in tree
    assert "    ... and 2 more task(s)" in tree
    assert "t11" not in tree


def test_problems_and_notes_are_listed_after_the_tree():
    problems = [Problem("blocks[0]", "no tasks"), Problem("name", "empty")]
    tree = describe_job(seed_job(), problems, notes=["block 0 made numeric"])
    assert tree.splitlines()[-4:] == [
        "Note: block 0 made numeric",
        "Problems (2): the server would reject or mangle this job",
        "  - blocks[0]: no tasks",
        "  - name: empty",
    ]


def test_values_of_the_wrong_type_are_shown_not_crashed_on():
    job = Job.from_dict(
        {"name": 5, "blocks": [3, {"flags": 1, "frame_first": "a"}, {"flags": "x", "tasks": [1]}]}
    )
    tree = describe_job(job, [])
    assert "Job 5" in tree
    assert "  Block 0: not an object: 3" in tree
    assert "    frames a-null (not all numbers)" in tree
    assert "    task 0: not an object: 1" in tree


def test_reversed_range_is_shown_as_written():
    job = Job(name="j", blocks=[_numeric_block(10, 1)])
    assert "frames 10-1 step 1 (not a valid range)" in describe_job(job, [])


def _numeric_block(first: int, last: int, per_task: int = 1, step: int = 1) -> Block:
    block = Block(name="b", command="c")
    block.set_numeric(first, last, per_task, step)
    return block
