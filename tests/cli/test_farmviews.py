"""What `afcmd jobs / job / renders / users` print, from the real server's replies (transcripts)."""

from __future__ import annotations

import json
import re

from afcore.cli.farmviews import job_details, job_progress, jobs_table, renders_table, users_table
from shared_data import TRANSCRIPTS


def reply(name: str) -> dict:
    return json.loads((TRANSCRIPTS / f"{name}.json").read_text())["response_json"]


def task_rows(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if re.match(r"\s+\d+\s", line)]


def test_jobs_table_shows_state_progress_and_block_count_of_each_job():
    lines = jobs_table(reply("b1_get_jobs")["jobs"]).splitlines()
    assert lines[0].split() == ["id", "name", "user", "state", "progress", "blocks"]
    smoke = next(line for line in lines if "af.py smoke job" in line)
    assert smoke.split()[-6:] == ["root", "RDY", "OFF", "0/5", "0%", "1"]
    done = next(line for line in lines if "render test echo+python" in line)
    assert "DON" in done and "5/5 100%" in done


def test_progress_counts_done_tasks_over_all_blocks():
    job = {"blocks": [{"tasks_num": 4, "p_tasks_done": 4, "p_percentage": 100}, {"tasks_num": 6}]}
    assert job_progress(job) == "4/10 40%"
    assert job_progress({"blocks": []}) == ""


def test_job_details_list_command_and_each_task_with_frames_host_and_time():
    job = reply("f1_get_job_full")["jobs"][0]
    progress = reply("f2_get_job_progress")["job_progress"]["progress"]
    text = job_details(job, progress, reply("f7_get_job_error_hosts")["message"]["list"])
    lines = text.splitlines()
    assert lines[0].startswith(
        "Job 3 'render test echo+python'  user root@vm  priority 99  state DON"
    )
    assert "tasks: 5 DON" in lines[1]
    assert (
        "  command: echo frame @#@-@#@ && python3 /srv/farm/shots1/write_frames.py @#@ @#@" in lines
    )
    assert "  working directory: /srv/farm/shots1" in lines
    assert "  task  frames  state  starts  host  time" in lines
    rows = task_rows(text)
    assert rows[0] == ["0", "1-2", "DON", "1", "vm", "2s"]
    assert rows[4] == ["4", "9-10", "DON", "1", "vm", "2s"]
    assert "Error hosts:" not in text  # the reply lists only the block heading


def test_error_hosts_are_shown_when_there_are_some():
    job = reply("f1_get_job_full")["jobs"][0]
    lines = ["Block['frames'] error hosts:", "render07: 3 errors"]
    text = job_details(job, [], lines)
    assert text.splitlines()[-3:] == [
        "Error hosts:",
        "  Block['frames'] error hosts:",
        "  render07: 3 errors",
    ]


def test_long_task_lists_show_only_running_and_failed_tasks():
    block = {
        "name": "b",
        "flags": 1,
        "frame_first": 1,
        "frame_last": 200,
        "frames_per_task": 1,
        "tasks_num": 200,
    }
    progress = [
        [{"state": " DON"}] * 150 + [{"state": " RUN", "hst": "r1"}] + [{"state": " RDY"}] * 49
    ]
    progress[0][10] = {"state": " ERR", "hst": "r2", "str": 3}
    text = job_details({"id": 9, "blocks": [block]}, progress, [])
    assert "tasks: 149 DON, 1 ERR, 49 RDY, 1 RUN" in text
    assert [row[:3] for row in task_rows(text)] == [["10", "11", "ERR"], ["150", "151", "RUN"]]
    assert "(198 ready or done task(s) not listed; --json lists all)" in text


def test_renders_and_users_tables():
    renders = renders_table(reply("b3c_get_renders_all")["renders"]).splitlines()
    assert renders[0].split() == ["id", "name", "state", "user", "capacity", "used", "os"]
    assert renders[1].split()[:5] == ["1", "vm", "ONL", "NbY", "root"]
    users = users_table(reply("b4a_get_users_all")["users"]).splitlines()
    assert users[0].split() == ["id", "name", "host", "priority", "jobs"]
    assert users[3].split() == ["3", "jimmy", "host", "99", "1"]
