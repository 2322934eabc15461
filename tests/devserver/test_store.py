"""Jobs survive a restart of the devserver on the same store folder."""

from __future__ import annotations

import os

import pytest

from devserver.talk import action, ask, job_info, job_state, submit, task_states
from waiting import wait_for

pytest_plugins = ["devserver_fixture"]


def job(name, command="echo @#@", offline=False, **block):
    frames = {"name": "b", "flags": 1, "frame_first": 1, "frame_last": 2, "command": command}
    blocks = [{**frames, **block}]
    return {"name": name, "user_name": "jimmy", "offline": offline, "blocks": blocks}


@pytest.mark.skipif(os.name == "nt", reason="POSIX shell commands")
def test_jobs_progress_outputs_and_edits_survive_a_restart(devserver_factory, tmp_path):
    store = tmp_path / "store"
    first = devserver_factory(workers=1, store=store)
    done_id = submit(first, job("rendered"))
    wait_for(lambda: job_state(first, done_id) == " DON", what="the job done")
    paused_id = submit(first, job("paused", offline=True))
    action(first, "jobs", ids=[paused_id], params={"priority": 42})
    action(first, "renders", ids=[1], params={"nimby": True})
    first.stop()

    second = devserver_factory(workers=0, store=store)
    listed = ask(second, {"get": {"type": "jobs"}})["jobs"]
    assert [(j["id"], j["name"], j.get("state")) for j in listed] == [
        (1, "afanasy", None),
        (done_id, "rendered", " DON"),
        (paused_id, "paused", " RDY OFF"),
    ]
    assert job_info(second, paused_id)["priority"] == 42
    output = {"type": "jobs", "ids": [done_id], "block_ids": [0], "task_ids": [1], "mode": "output"}
    assert ask(second, {"get": output})["task"]["data"] == "2\n"
    assert "NbY" in ask(second, {"get": {"type": "renders"}})["renders"][0]["state"]
    assert [user["name"] for user in ask(second, {"get": {"type": "users"}})["users"]] == [
        "afadmin",
        "jimmy",
    ]


def test_serials_keep_growing_and_free_ids_are_reused_after_a_restart(devserver_factory, tmp_path):
    store = tmp_path / "store"
    first = devserver_factory(store=store)
    ids = [submit(first, job(f"job {n}")) for n in range(3)]
    action(first, "jobs", ids=[ids[0]], operation="delete")
    first.stop()

    second = devserver_factory(store=store)
    assert ask(second, {"job": job("next")}) == {"id": ids[0], "serial": 4}
    assert ask(second, {"job": job("after")}) == {"id": ids[-1] + 1, "serial": 5}


@pytest.mark.skipif(os.name == "nt", reason="POSIX shell commands")
def test_a_task_running_at_shutdown_is_ready_again_after_restart(devserver_factory, tmp_path):
    store = tmp_path / "store"
    first = devserver_factory(workers=1, store=store)
    job_id = submit(first, job("long", command="sleep 60", frame_last=1))
    wait_for(lambda: job_state(first, job_id) == " RUN", what="the task running")
    first.stop()

    second = devserver_factory(workers=0, store=store)
    assert task_states(second, job_id) == [[" RDY"]]
    progress = ask(second, {"get": {"type": "jobs", "ids": [job_id], "mode": "progress"}})
    assert progress["job_progress"]["progress"][0][0]["str"] == 1
