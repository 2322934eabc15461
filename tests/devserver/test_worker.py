"""The devserver's local worker runs tasks for real: commands, files, depends, retries, stops."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devserver.talk import action, ask, job_info, job_state, submit, task_states
from waiting import wait_for

pytest_plugins = ["devserver_fixture"]

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the commands below are POSIX shell")


def job(name, *blocks, **fields):
    return {
        "name": name,
        "user_name": "jimmy",
        "host_name": "host",
        "blocks": list(blocks),
        **fields,
    }


def frames(name, first, last, command, folder, **fields):
    block = {"name": name, "flags": 1, "frame_first": first, "frame_last": last}
    return {**block, "command": command, "working_directory": str(folder), **fields}


def done(server, job_id):
    return wait_for(lambda: job_state(server, job_id) == " DON", what=f"job {job_id} done")


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines()


def test_a_three_task_job_writes_its_files_with_frame_tokens_filled(devserver, tmp_path):
    (tmp_path / "out").mkdir()
    command = "printf '%s %s\\n' \"$SHOT\" @#@ | tee out/img.@####@.txt"
    block = frames("render", 1, 3, command, tmp_path, environment={"SHOT": "sh010"})
    job_id = submit(devserver, job("three frames", block))
    done(devserver, job_id)
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert written == ["img.0001.txt", "img.0002.txt", "img.0003.txt"]
    assert (tmp_path / "out" / "img.0002.txt").read_text() == "sh010 2\n"
    output = {"type": "jobs", "ids": [job_id], "block_ids": [0], "task_ids": [2], "mode": "output"}
    assert ask(devserver, {"get": output})["task"]["data"] == "sh010 3\n"
    assert task_states(devserver, job_id) == [[" DON"] * 3]


def test_explicit_tasks_fill_the_block_command(devserver, tmp_path):
    tasks = [{"name": "a", "command": "alpha"}, {"name": "b", "command": "beta"}]
    block = {"name": "words", "command": "echo @#@ >> words.txt", "tasks": tasks}
    job_id = submit(devserver, job("words", {**block, "working_directory": str(tmp_path)}))
    done(devserver, job_id)
    assert lines(tmp_path / "words.txt") == ["alpha", "beta"]


def test_a_block_waits_for_the_blocks_its_depend_mask_names(devserver_factory, tmp_path):
    server = devserver_factory(workers=2)
    log = "echo {0} @#@ >> order.txt"
    render = frames("render", 1, 3, "sleep 0.2; " + log.format("render"), tmp_path)
    comp = frames("comp", 1, 3, log.format("comp"), tmp_path, depend_mask="ren.*")
    job_id = submit(server, job("depends", render, comp))
    done(server, job_id)
    order = [line.split()[0] for line in lines(tmp_path / "order.txt")]
    assert order == ["render"] * 3 + ["comp"] * 3


def test_tasks_depend_mask_makes_each_frame_wait_for_the_same_frame(devserver_factory, tmp_path):
    server = devserver_factory(workers=2)
    slow_last = "if [ @#@ = 4 ]; then sleep 1; fi; echo render @#@ >> order.txt"
    render = frames("render", 1, 4, slow_last, tmp_path)
    comp = frames("comp", 1, 4, "echo comp @#@ >> order.txt", tmp_path, tasks_depend_mask="render")
    job_id = submit(server, job("frame by frame", render, comp))
    done(server, job_id)
    order = lines(tmp_path / "order.txt")
    assert order.index("comp 1") < order.index("render 4") < order.index("comp 4")
    for frame in range(1, 5):
        assert order.index(f"render {frame}") < order.index(f"comp {frame}")


def test_jobs_wait_for_the_same_users_jobs_their_depend_mask_names(devserver, tmp_path):
    plate = job("plate", frames("p", 1, 2, "echo plate >> order.txt", tmp_path), offline=True)
    plate_id = submit(devserver, plate)
    other_user = job("plate of someone else", frames("p", 1, 1, "true", tmp_path), offline=True)
    submit(devserver, {**other_user, "user_name": "someone"})
    comp = job("comp", frames("c", 1, 1, "echo comp >> order.txt", tmp_path), depend_mask="plate.*")
    comp_id = submit(devserver, comp)
    assert job_state(devserver, comp_id) == " WDP"
    action(devserver, "jobs", ids=[plate_id], operation="start")
    done(devserver, comp_id)
    assert lines(tmp_path / "order.txt") == ["plate", "plate", "comp"]


def test_an_offline_job_does_not_run_until_started(devserver, tmp_path):
    paused = submit(
        devserver, job("paused", frames("b", 1, 1, "touch ran", tmp_path), offline=True)
    )
    later = submit(devserver, job("later", frames("b", 1, 1, "true", tmp_path)))
    done(devserver, later)
    assert not (tmp_path / "ran").exists()
    assert job_state(devserver, paused) == " RDY OFF"
    action(devserver, "jobs", ids=[paused], operation="start")
    done(devserver, paused)
    assert (tmp_path / "ran").exists()


def test_hosts_masks_and_nimby_keep_jobs_off_the_local_render(devserver, tmp_path):
    quick = frames("b", 1, 1, "true", tmp_path)
    elsewhere = submit(devserver, job("elsewhere", quick, hosts_mask="farm.*"))
    action(devserver, "renders", ids=[1], params={"nimby": True})
    owner = ask(devserver, {"get": {"type": "renders"}})["renders"][0]["user_name"]
    not_mine = submit(devserver, {**job("not the owner's", quick), "user_name": owner + "-not"})
    mine = submit(devserver, {**job("the owner's", quick), "user_name": owner})
    done(devserver, mine)
    assert job_state(devserver, not_mine) == job_state(devserver, elsewhere) == " RDY"
    action(devserver, "renders", ids=[1], params={"nimby": False})
    done(devserver, not_mine)
    action(devserver, "jobs", ids=[elsewhere], params={"hosts_mask": ""})
    done(devserver, elsewhere)


def test_failing_tasks_are_retried_then_marked_error(devserver, tmp_path):
    failing = frames("b", 1, 1, "echo try >> tries.txt; echo broken; exit 3", tmp_path)
    job_id = submit(devserver, job("failing", {**failing, "errors_retries": 2}))
    wait_for(lambda: job_state(devserver, job_id) == " ERR", what="the job in error")
    assert len(lines(tmp_path / "tries.txt")) == 3
    progress = ask(devserver, {"get": {"type": "jobs", "ids": [job_id], "mode": "progress"}})
    task = progress["job_progress"]["progress"][0][0]
    assert (task["state"], task["str"], task["err"]) == (" ERR", 3, 3)
    log = {"type": "jobs", "ids": [job_id], "block_ids": [0], "task_ids": [0], "mode": "log"}
    assert "exit status 3" in ask(devserver, {"get": log})["task"]["data"]
    action(devserver, "jobs", ids=[job_id], operation="restart_errors")
    wait_for(lambda: len(lines(tmp_path / "tries.txt")) == 6, what="three more tries")


def test_restarting_errors_leaves_running_tasks_alone(devserver_factory, tmp_path):
    server = devserver_factory(workers=2)
    first_fails = "if [ @#@ = 1 ]; then exit 1; fi; echo run >> runs.txt; sleep 1"
    block = frames("b", 1, 2, first_fails, tmp_path, errors_retries=0)
    job_id = submit(server, job("mixed", block))
    wait_for(lambda: task_states(server, job_id) == [[" ERR", " RUN"]], what="one error, one run")
    action(server, "jobs", ids=[job_id], operation="restart_errors")
    wait_for(lambda: _settled(server, job_id), what="the job to end")
    assert lines(tmp_path / "runs.txt") == ["run"]


def test_a_task_over_its_max_run_time_is_stopped_as_an_error(devserver, tmp_path):
    slow = frames("b", 1, 1, "sleep 30", tmp_path, task_max_run_time=1, errors_retries=0)
    job_id = submit(devserver, job("slow", slow))
    wait_for(lambda: job_state(devserver, job_id) == " ERR", what="the slow task stopped")
    output = {"type": "jobs", "ids": [job_id], "block_ids": [0], "task_ids": [0], "mode": "output"}
    assert "task_max_run_time 1s" in ask(devserver, {"get": output})["task"]["data"]


def test_max_running_tasks_keeps_tasks_from_running_together(devserver_factory, tmp_path):
    server = devserver_factory(workers=2)
    exclusive = "mkdir busy || exit 1; sleep 0.3; rmdir busy"
    block = frames("b", 1, 3, exclusive, tmp_path, errors_retries=0)
    limited = submit(server, job("one at a time", block, max_running_tasks=1))
    done(server, limited)
    unlimited = submit(server, job("all at once", block))
    settled = wait_for(lambda: _settled(server, unlimited), what="the unlimited job to end")
    assert "ERR" in settled  # two of its tasks did run together: the limit is what kept them apart


def test_running_output_stop_and_restart(devserver, tmp_path):
    block = frames("b", 1, 1, "echo started; sleep 60", tmp_path)
    job_id = submit(devserver, job("long", block))
    output = {"type": "jobs", "ids": [job_id], "block_ids": [0], "task_ids": [0], "mode": "output"}
    wait_for(lambda: ask(devserver, {"get": output})["task"]["data"] == "started\n", what="output")
    assert job_state(devserver, job_id) == " RUN"
    action(devserver, "jobs", ids=[job_id], operation="stop")
    assert job_state(devserver, job_id) == " RDY OFF"
    action(devserver, "jobs", ids=[job_id], operation="restart")
    assert task_states(devserver, job_id) == [[" RDY"]]
    assert "time_started" not in job_info(devserver, job_id)


def test_pre_commands_run_before_the_first_task(devserver, tmp_path):
    block = frames(
        "b", 1, 1, "echo task >> order.txt", tmp_path, command_pre="echo block >> order.txt"
    )
    job_id = submit(
        devserver, job("with pre", block, command_pre="sleep 0.3; echo job >> order.txt")
    )
    done(devserver, job_id)
    assert lines(tmp_path / "order.txt") == ["job", "block", "task"]


def test_deleting_a_job_runs_its_post_commands_in_the_block_directory(devserver, tmp_path):
    block = frames("b", 1, 1, "sleep 60", tmp_path, command_post="touch block.post")
    job_id = submit(devserver, job("cleanup", block, command_post="echo $PWD > job.post"))
    wait_for(lambda: job_state(devserver, job_id) == " RUN", what="the task running")
    action(devserver, "jobs", ids=[job_id], operation="delete")
    wait_for(lambda: (tmp_path / "block.post").exists(), what="the block post command")
    assert (tmp_path / "job.post").read_text().strip() == str(tmp_path)


def test_stopping_the_server_ends_running_tasks_and_leaves_no_process(devserver_factory, tmp_path):
    server = devserver_factory(workers=1)
    block = frames("b", 1, 1, "echo $$ > shell.pid; sleep 60 & echo $! > sleep.pid; wait", tmp_path)
    submit(server, job("long", block))
    wait_for(lambda: (tmp_path / "sleep.pid").exists(), what="the task to start")
    pids = [int((tmp_path / name).read_text()) for name in ("shell.pid", "sleep.pid")]
    server.stop()
    for pid in pids:
        assert not _running(pid), f"process {pid} outlived the devserver"


def _settled(server, job_id) -> str:
    """The job's state once no task is ready or running any more, else ""."""
    state = job_state(server, job_id)
    return "" if "RUN" in state or "RDY" in state else state


def _running(pid: int) -> bool:
    """Whether ``pid`` is alive (a zombie left for init to reap counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "zombie" not in status.read_text()
