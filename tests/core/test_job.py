"""The job model's JSON form: what reaches afserver."""

from __future__ import annotations

import json

from afcore.job import Block, BlockFlags, Job, Task


def numeric_job() -> Job:
    job = Job("shot010 comp", user_name="jimmy", host_name="pc01", priority=99)
    block = Block("Write1", service="nuke", parser="nuke", command="nuke -X Write1 -F @#@-@#@")
    block.set_numeric(1, 100, 10)
    job.blocks.append(block)
    return job


def test_numeric_block_carries_the_flag_the_server_needs():
    body = numeric_job().to_dict()["job"]["blocks"][0]
    assert body["flags"] & BlockFlags.NUMERIC
    assert (body["frame_first"], body["frame_last"], body["frames_per_task"]) == (1, 100, 10)


def test_unset_fields_are_left_out_but_zero_numbers_are_kept():
    job = numeric_job()
    job.blocks[0].errors_retries = 0
    body = job.to_dict()["job"]
    assert "annotation" not in body and "offline" not in body and "folders" not in body
    assert body["blocks"][0]["errors_retries"] == 0


def test_true_switches_are_sent_as_booleans():
    job = numeric_job()
    job.offline = True
    assert job.to_dict()["job"]["offline"] is True


def test_json_is_compact_utf8_and_round_trips():
    job = numeric_job()
    job.annotation = "plan B: überarbeitet"
    text = job.to_json()
    assert ", " not in text and "überarbeitet" in text
    assert Job.from_dict(json.loads(text)).to_dict() == job.to_dict()


def test_unknown_keys_survive_a_round_trip():
    document = {"job": {"name": "j", "studio_key": 1, "blocks": [{"name": "b", "mine": [2]}]}}
    assert Job.from_dict(document).to_dict()["job"]["studio_key"] == 1
    assert Job.from_dict(document).to_dict()["job"]["blocks"][0]["mine"] == [2]


def test_from_dict_without_time_creation_does_not_invent_one():
    assert "time_creation" not in Job.from_dict({"name": "bare"}).to_dict()["job"]


def test_explicit_tasks_keep_their_files_and_environment():
    block = Block("cache", command="cache @#@")
    block.tasks.append(Task("A", "-part A", ["out/A.abc"], {"PART": "A"}))
    job = Job("j", blocks=[block])
    task = job.to_dict()["job"]["blocks"][0]["tasks"][0]
    assert task == {
        "name": "A",
        "command": "-part A",
        "files": ["out/A.abc"],
        "environment": {"PART": "A"},
    }


def test_task_count_matches_how_afanasy_splits_frames():
    block = Block()
    block.set_numeric(1, 100, 10, 2)  # 50 frames, 10 per task
    assert block.task_count() == 5
    block.set_numeric(1, 101, 10)
    assert block.task_count() == 11
    explicit = Block(tasks=[Task("a"), Task("b")])
    assert explicit.task_count() == 2
    assert Job(blocks=[block, explicit]).task_count() == 13


def test_clearing_a_flag_keeps_the_others():
    block = Block()
    block.set_numeric(1, 2)
    block.set_flag(BlockFlags.SKIP_EXISTING_FILES)
    block.set_flag(BlockFlags.SKIP_EXISTING_FILES, on=False)
    assert block.flags == BlockFlags.NUMERIC


def test_a_list_under_a_key_of_another_level_is_kept_as_an_unknown_key():
    job = Job.from_dict({"job": {"name": "a", "tasks": [{"name": "t"}]}})
    assert job.extra == {"tasks": [{"name": "t"}]}
