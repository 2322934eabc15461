"""`afsubmit --cmd`: the generic job, built from a command, frames and the settings."""

from __future__ import annotations

import dataclasses

import pytest

from afcore import validate
from afcore.cli.commandjob import CommandSpec, command_job
from afcore.cli.common import UsageError
from afcore.config import Config
from afcore.frames import FrameSyntaxError
from afcore.settings import SubmitSettings


def config(**changes) -> Config:
    return dataclasses.replace(Config(user_name="jimmy", host_name="ws01"), **changes)


def test_one_range_is_one_numeric_block_chunked_by_frames_per_task(tmp_path):
    spec = CommandSpec("python render.py @#@ @#@", "1-100", working_directory=str(tmp_path))
    job = command_job(spec, SubmitSettings(frames_per_task=10), config())
    assert validate.problems(job) == []
    [block] = job.blocks
    assert (block.frame_first, block.frame_last, block.frames_per_task, block.frames_inc) == (
        1,
        100,
        10,
        1,
    )
    assert block.numeric and block.task_count() == 10
    assert block.command == "python render.py @#@ @#@"
    assert block.working_directory == str(tmp_path)
    assert (job.name, job.user_name, job.host_name, job.priority) == (
        "python render.py @#@ @#@",
        "jimmy",
        "ws01",
        99,
    )


def test_frames_that_are_not_one_range_make_a_block_per_range():
    job = command_job(
        CommandSpec("run @#@", "1-10,20-30x2,50"), SubmitSettings(job_name="pieces"), config()
    )
    assert [(b.name, b.frame_first, b.frame_last, b.frames_inc) for b in job.blocks] == [
        ("pieces [1-10]", 1, 10, 1),
        ("pieces [20-30x2]", 20, 30, 2),
        ("pieces [50]", 50, 50, 1),
    ]
    assert validate.problems(job) == []


def test_settings_reach_the_job_and_its_blocks():
    settings = SubmitSettings(
        priority=150,
        max_running_tasks=4,
        hosts_mask="render.*",
        depend_mask="cache.*",
        start_paused=True,
        capacity=500,
    )
    job = command_job(CommandSpec("run", "1"), settings, config())
    assert (job.priority, job.max_running_tasks, job.hosts_mask, job.depend_mask, job.offline) == (
        150,
        4,
        "render.*",
        "cache.*",
        True,
    )
    assert job.blocks[0].capacity == 500


def test_output_patterns_in_any_dcc_spelling_become_afanasy_tokens():
    spec = CommandSpec("run", "1-3", files=["out/a.####.exr", "out/b.%04d.png", "out/c.@##@.txt"])
    files = command_job(spec, SubmitSettings(), config()).blocks[0].files
    assert files == ["out/a.@####@.exr", "out/b.@####@.png", "out/c.@##@.txt"]


def test_farm_paths_and_command_prefix_come_from_the_config():
    farm = config(path_maps=[("/home/jimmy/shots", "/mnt/shots")], cmd_prefix="env FOO=1")
    spec = CommandSpec(
        "run @#@",
        "1",
        working_directory="/home/jimmy/shots/a",
        files=["/home/jimmy/shots/a/o.#.png"],
    )
    job = command_job(spec, SubmitSettings(), farm)
    block = job.blocks[0]
    assert block.working_directory == "/mnt/shots/a"
    assert block.files == ["/mnt/shots/a/o.@#@.png"]
    assert block.command == "env FOO=1 run @#@"


def test_long_commands_make_a_shortened_job_name():
    name = command_job(CommandSpec("x" * 200, "1"), SubmitSettings(), config()).name
    assert len(name) == 60 and name.endswith("...")


def test_empty_command_and_bad_frames_are_user_errors():
    with pytest.raises(UsageError, match="--cmd is empty"):
        command_job(CommandSpec("  ", "1"), SubmitSettings(), config())
    with pytest.raises(FrameSyntaxError, match="column 3"):
        command_job(CommandSpec("run", "1-x"), SubmitSettings(), config())
