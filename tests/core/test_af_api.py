"""The CGRU-compatible ``af`` module: CGRU's scripts, unchanged, send what CGRU's af sends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import af
from loopback import LoopbackServer, accept_jobs, silent, unused_port
from shared_data import AF_REFERENCE

REPO = Path(__file__).resolve().parents[2]
#: What the reference JSON has where the recording machine had its own working directory.
REFERENCE_WORKDIR = "/home/jimmy/work"
#: Keys the reference files do not pin down: the clock and the recording machine's identity.
UNPINNED = ("time_creation", "user_name", "host_name")


def request_body(server: LoopbackServer, index: int = 0) -> dict[str, Any]:
    raw = server.requests[index]
    return json.loads(raw[raw.index(b"{") :])


def normalized(job: dict[str, Any], workdir: str) -> dict[str, Any]:
    """The job with unpinned keys dropped and this test's directory written as the reference's."""
    text = json.dumps({k: v for k, v in job.items() if k not in UNPINNED})
    return json.loads(text.replace(json.dumps(workdir)[1:-1], REFERENCE_WORKDIR))


@pytest.fixture(autouse=True)
def fresh_config():
    """af reads its configuration once per process: each test starts from its own environment."""
    af.reconfigure()
    yield
    af.reconfigure()


@pytest.fixture
def farm(monkeypatch: pytest.MonkeyPatch):
    """A loopback server answering jobs like afserver, configured through AF_SERVERNAME/PORT."""
    with LoopbackServer(accept_jobs()) as server:
        monkeypatch.setenv("AF_SERVERNAME", "127.0.0.1")
        monkeypatch.setenv("AF_SERVERPORT", str(server.port))
        monkeypatch.setenv("AF_USERNAME", "jimmy")
        monkeypatch.setenv("AF_HOSTNAME", "pc01")
        yield server


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("PWD", str(folder))
    return folder


def run_reference_script(name: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    """Run one of CGRU's reference scripts, unchanged, with our af on the path."""
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, PYTHONPATH=path)
    return subprocess.run(
        [sys.executable, str(AF_REFERENCE / name)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("script", ["seed_api.py", "all_setters.py"])
def test_reference_script_sends_what_cgru_af_sends(farm, workdir, script):
    result = run_reference_script(script, workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(True, {'id': 1, 'serial': 1})"
    expected = json.loads((AF_REFERENCE / script.replace(".py", ".json")).read_text())["job"]
    sent = request_body(farm)["job"]
    assert normalized(sent, str(workdir)) == normalized(expected, REFERENCE_WORKDIR)
    assert abs(sent["time_creation"] - time.time()) < 60
    assert (sent["user_name"], sent["host_name"]) == ("jimmy", "pc01")


def test_the_request_is_framed_with_the_byte_length_of_the_body(farm, workdir):
    job = seed_job("ünïcode")
    assert job.send() == (True, {"id": 1, "serial": 1})
    raw = farm.requests[0]
    header, body = raw[: raw.index(b"{")], raw[raw.index(b"{") :]
    assert header == b"AFANASY %d JSON" % len(body)


def seed_job(name: str = "somejob") -> af.Job:
    job = af.Job(name)
    block = af.Block("back", "nuke")
    block.setCommand("nuke -i -X WriteBack -x scene.nk @#@,@#@")
    block.setFiles(["jpg/img.@####@.jpg"])
    block.setNumeric(1, 100, 10)
    job.blocks.append(block)
    return job


def printed_job(job: af.Job, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    job.output()
    return json.loads(capsys.readouterr().out)["job"]


# --- every documented setter: its JSON key and value ---

JOB_SETTERS = [
    ("setName", ("renamed",), {"name": "renamed"}),
    ("setUserName", ("Jimmy",), {"user_name": "jimmy"}),
    ("setPriority", (120,), {"priority": 120}),
    ("setAnnotation", ("note",), {"annotation": "note"}),
    ("setDescription", ("about",), {"description": "about"}),
    ("setProject", ("proj",), {"project": "proj"}),
    ("setDepartment", ("comp",), {"department": "comp"}),
    ("setMaxRunningTasks", (7,), {"max_running_tasks": 7}),
    ("setMaxRunTasksPerHost", (2,), {"max_running_tasks_per_host": 2}),
    ("setHostsMask", ("render.*",), {"hosts_mask": "render.*"}),
    ("setHostsMaskExclude", ("bad.*",), {"hosts_mask_exclude": "bad.*"}),
    ("setDependMask", ("other",), {"depend_mask": "other"}),
    ("setDependMaskGlobal", ("global",), {"depend_mask_global": "global"}),
    ("setNeedOS", ("linux",), {"need_os": "linux"}),
    ("setNeedProperties", ("cuda",), {"need_properties": "cuda"}),
    ("setTimeLife", (3600,), {"time_life": 3600}),
    ("setTimeLife", ("3600",), {"time_life": 3600}),
    ("setWaitTime", (4102444800.75,), {"time_wait": 4102444800}),
    ("setCmdPre", ("echo pre",), {"command_pre": "echo pre"}),
    ("setCmdPost", ("echo post",), {"command_post": "echo post"}),
    ("setFolder", ("output", "/shots/a/render"), {"folders": {"output": "/shots/a/render"}}),
    ("setPools", ({"farm": 10},), {"pools": {"farm": 10}}),
    ("setBranch", ("/shots/a",), {"branch": "/shots/a"}),
    ("setPostDeleteFiles", ("/out/my shot",), {"command_post": "deletefiles '/out/my shot'"}),
    ("setPPApproval", (), {"ppa": True}),
    ("setMaintenance", (), {"maintenance": True}),
    ("setIgnoreNimby", (), {"ignorenimby": True}),
    ("setIgnorePaused", (), {"ignorepaused": True}),
    ("pause", (), {"offline": True}),
    ("setPaused", (), {"offline": True}),
    ("setOffline", (), {"offline": True}),
    ("offline", (), {"offline": True}),
    ("offLine", (), {"offline": True}),
    ("setAnyOS", (), {"need_os": None}),
]

BLOCK_SETTERS = [
    ("setName", ("renamed",), {"name": "renamed"}),
    ("setService", ("nuke",), {"service": "nuke"}),
    ("setParser", ("nuke",), {"parser": "nuke"}),
    (
        "setNumeric",
        (1, 20, 5, 2),
        {"flags": 1, "frame_first": 1, "frame_last": 20, "frames_per_task": 5, "frames_inc": 2},
    ),
    ("setFramesPerTask", (4,), {"frames_per_task": 4}),
    ("setSequential", (2,), {"sequential": 2}),
    ("setCapacity", (500,), {"capacity": 500}),
    ("setVariableCapacity", (1, 4), {"capacity_coeff_min": 1, "capacity_coeff_max": 4}),
    ("setWorkingDirectory", ("/shots/a",), {"working_directory": "/shots/a"}),
    ("setCommand", ("render -s @#@ -e @#@",), {"command": "render -s @#@ -e @#@"}),
    ("setCmdPre", ("echo pre",), {"command_pre": "echo pre"}),
    ("setCmdPost", ("echo post",), {"command_post": "echo post"}),
    ("setFiles", (["out/img.@####@.exr"],), {"files": ["out/img.@####@.exr"]}),
    ("setFiles", ("a.%04d.jpg",), {"files": ["a.%04d.jpg"]}),
    ("setEnv", ("OCIO", "/cfg/aces.ocio"), {"environment": {"OCIO": "/cfg/aces.ocio"}}),
    ("addTicket", ("NUKE", 1), {"tickets": {"NUKE": 1}}),
    ("setTasksName", ("frames @#@-@#@",), {"tasks_name": "frames @#@-@#@"}),
    ("setParserCoeff", (2,), {"parser_coeff": 2}),
    ("setErrorsAvoidHost", (3,), {"errors_avoid_host": 3}),
    ("setErrorsForgiveTime", (600,), {"errors_forgive_time": 600}),
    ("setErrorsRetries", (0,), {"errors_retries": 0}),
    ("setErrorsTaskSameHost", (1,), {"errors_task_same_host": 1}),
    ("setNeedHDD", (10,), {"need_hdd": 10}),
    ("setNeedMemory", (4096,), {"need_memory": 4096}),
    ("setNeedPower", (100,), {"need_power": 100}),
    ("setNeedCPUCores", (8,), {"need_cpu_cores": 8}),
    ("setNeedGPUMemGB", (8,), {"need_gpu_mem_mb": 8192}),
    ("setNeedGPUMemGB", (1.5,), {"need_gpu_mem_mb": 1536}),
    ("setNeedCPUFreqGHz", (2.5,), {"need_cpu_freq_mgz": 2500}),
    ("setNeedCPUFreqGHz", (4.1,), {"need_cpu_freq_mgz": 4100}),
    ("setTaskMaxRunTime", (3600,), {"task_max_run_time": 3600}),
    ("setTasksMaxRunTime", (3600,), {"task_max_run_time": 3600}),
    ("setTaskMinRunTime", (5,), {"task_min_run_time": 5}),
    ("setTaskProgressChangeTimeout", (300,), {"task_progress_change_timeout": 300}),
    ("setMaxRunningTasks", (4,), {"max_running_tasks": 4}),
    ("setMaxRunTasksPerHost", (1,), {"max_running_tasks_per_host": 1}),
    ("setHostsMask", ("gpu.*",), {"hosts_mask": "gpu.*"}),
    ("setHostsMaskExclude", ("old.*",), {"hosts_mask_exclude": "old.*"}),
    ("setDependMask", ("cache",), {"depend_mask": "cache"}),
    ("setTasksDependMask", ("sim",), {"tasks_depend_mask": "sim"}),
    ("setNeedProperties", ("avx2",), {"need_properties": "avx2"}),
    ("setDependSubTask", (), {"flags": 16}),
    ("setTasksSuspended", (), {"flags": 1024}),
    ("skipThumbnails", (), {"flags": 32}),
    (
        "skipExistingFiles",
        (100, 10_000_000),
        {"flags": 64, "file_size_min": 100, "file_size_max": 10_000_000},
    ),
    ("skipExistingFiles", (), {"flags": 64, "file_size_min": None, "file_size_max": None}),
    ("checkRenderedFiles", (1, 2), {"flags": 128, "file_size_min": 1, "file_size_max": 2}),
    ("checkRenderedFiles", (-1, 500), {"flags": 128, "file_size_min": None, "file_size_max": 500}),
    (
        "setMultiHost",
        (2, 4, 60, True, "simserver", 5),
        {
            "flags": 12,
            "multihost_min": 2,
            "multihost_max": 4,
            "multihost_max_wait": 60,
            "multihost_service": "simserver",
            "multihost_service_wait": 5,
        },
    ),
    ("setMultiHost", (2, 4, 60), {"flags": 4, "multihost_service": None}),
]

TASK_SETTERS = [
    ("setName", ("renamed",), {"name": "renamed"}),
    ("setCommand", ("-part A",), {"command": "-part A"}),
    ("setFiles", (["out/A.abc"],), {"files": ["out/A.abc"]}),
    ("setFiles", ("out/one.abc",), {"files": ["out/one.abc"]}),
    ("setEnv", ("PART", "A"), {"environment": {"PART": "A"}}),
]


def one_of_each() -> tuple[af.Job, af.Block, af.Task]:
    job, block, task = af.Job("j"), af.Block("b", "generic"), af.Task("t")
    block.tasks.append(task)
    job.blocks.append(block)
    return job, block, task


def picked(document: dict[str, Any], keys: dict[str, Any]) -> dict[str, Any]:
    return {key: document.get(key) for key in keys}


@pytest.mark.parametrize(("setter", "args", "expected"), JOB_SETTERS, ids=lambda v: str(v))
def test_job_setter_sets_its_key(capsys, setter, args, expected):
    job, _, _ = one_of_each()
    getattr(job, setter)(*args)
    assert picked(printed_job(job, capsys), expected) == expected


@pytest.mark.parametrize(("setter", "args", "expected"), BLOCK_SETTERS, ids=lambda v: str(v))
def test_block_setter_sets_its_key(capsys, setter, args, expected):
    job, block, _ = one_of_each()
    getattr(block, setter)(*args)
    assert picked(printed_job(job, capsys)["blocks"][0], expected) == expected


@pytest.mark.parametrize(("setter", "args", "expected"), TASK_SETTERS, ids=lambda v: str(v))
def test_task_setter_sets_its_key(capsys, setter, args, expected):
    job, _, task = one_of_each()
    getattr(task, setter)(*args)
    assert picked(printed_job(job, capsys)["blocks"][0]["tasks"][0], expected) == expected


def test_slave_lost_ignore_needs_a_multihost_block(capsys):
    job, block, _ = one_of_each()
    block.setSlaveLostIgnore()
    assert "call setMultiHost() first" in capsys.readouterr().err
    block.setMultiHost(2, 4, 60, True, "simserver")
    block.setSlaveLostIgnore()
    assert printed_job(job, capsys)["blocks"][0]["flags"] == 268


@pytest.mark.parametrize("args", [(0, 4, 60), (3, 2, 60), (2, 4, 60, True)])
def test_an_impossible_multihost_is_refused_with_a_warning(capsys, args):
    job, block, _ = one_of_each()
    assert block.setMultiHost(*args) is False
    assert "setMultiHost" in capsys.readouterr().err
    assert printed_job(job, capsys)["blocks"][0]["flags"] == 0


def test_native_os_is_this_machines(capsys):
    job, _, _ = one_of_each()
    job.setNativeOS()
    expected = {"linux": "linux", "darwin": "macosx", "win32": "windows"}[sys.platform]
    assert printed_job(job, capsys)["need_os"] == expected


def test_priority_above_250_is_clamped_and_below_0_ignored(capsys):
    job, _, _ = one_of_each()
    job.setPriority(300)
    assert printed_job(job, capsys)["priority"] == 250
    job.setPriority(-5)
    assert "ignored" in capsys.readouterr().err
    assert printed_job(job, capsys)["priority"] == 250


def test_a_time_life_that_is_not_a_number_is_refused_at_once():
    with pytest.raises(ValueError, match="expected a whole number, got 'an hour'"):
        af.Job("j").setTimeLife("an hour")


# --- what a job starts with ---


def test_new_job_takes_name_user_host_and_priority_from_config(farm, monkeypatch, capsys):
    monkeypatch.setenv("CGRU_AF_PRIORITY", "42")
    job, _, _ = one_of_each()
    sent = printed_job(job, capsys)
    assert (sent["name"], sent["user_name"], sent["host_name"]) == ("j", "jimmy", "pc01")
    assert sent["priority"] == 42 and abs(sent["time_creation"] - time.time()) < 60
    assert af.Job().model.name == "noname"


def test_new_block_takes_capacity_from_config_and_the_current_directory(
    workdir, monkeypatch, capsys
):
    monkeypatch.setenv("CGRU_AF_TASK_DEFAULT_CAPACITY", "250")
    job, _, _ = one_of_each()
    block = printed_job(job, capsys)["blocks"][0]
    assert block["capacity"] == 250 and block["working_directory"] == str(workdir)
    assert block["flags"] == 0


def test_the_working_directory_keeps_the_symlinked_path_people_type(tmp_path, monkeypatch):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "projects").symlink_to(real)
    monkeypatch.chdir(tmp_path / "projects")
    monkeypatch.setenv("PWD", str(tmp_path / "projects"))
    assert af.Block("b").model.working_directory == str(tmp_path / "projects")
    monkeypatch.setenv("PWD", str(tmp_path))  # stale: names another directory
    assert af.Block("b").model.working_directory == str(real)


@pytest.mark.parametrize(
    ("service", "parser"),
    [("nuke", "nuke"), ("generic", "generic"), ("hbatch_mantra", "hbatch_mantra"), ("maya", None)],
)
def test_the_parser_follows_the_service_as_in_cgru(capsys, service, parser):
    job = af.Job("j")
    job.blocks.append(af.Block("b", service))
    assert printed_job(job, capsys)["blocks"][0].get("parser") == parser


def test_the_command_prefix_comes_from_af_cmd_prefix(monkeypatch):
    monkeypatch.setenv("AF_CMD_PREFIX", "vglrun ")
    block = af.Block("b")
    block.setCommand("nuke -x a.nk")
    assert block.model.command == "vglrun nuke -x a.nk"
    block.setCommand("nuke -x a.nk", prefix=False)
    assert block.model.command == "nuke -x a.nk"


def test_paths_are_mapped_to_the_farm_unless_asked_not_to(tmp_path, monkeypatch):
    config = tmp_path / "afcore.yaml"
    config.write_text("path_maps:\n  - [/Users/jimmy/proj, /mnt/proj]\n")
    monkeypatch.setenv("AFCORE_CONFIG", str(config))
    block = af.Block("b")
    block.setWorkingDirectory("/Users/jimmy/proj/shot")
    block.setFiles(["/Users/jimmy/proj/out/a.@####@.exr"])
    block.setCommand("nuke -x '/Users/jimmy/proj/a b.nk' -o=/Users/jimmy/proj/x")
    block.setCmdPost("rm /Users/jimmy/proj/tmp.nk", TransferToServer=False)
    assert block.model.working_directory == "/mnt/proj/shot"
    assert block.model.files == ["/mnt/proj/out/a.@####@.exr"]
    assert block.model.command == "nuke -x '/mnt/proj/a b.nk' -o=/mnt/proj/x"
    assert block.model.command_post == "rm /Users/jimmy/proj/tmp.nk"


# --- output() and send() ---


def test_output_prints_the_json_that_send_sends(farm, workdir, capsys):
    job = seed_job()
    printed = printed_job(job, capsys)
    assert job.send()[0]
    assert request_body(farm)["job"] == printed


def test_output_with_blocks_works_and_lists_them(capsys):
    seed_job().output(True)
    out = capsys.readouterr().out
    assert out.rstrip().endswith("blocks[0] 'back': nuke, 10 task(s)")


def test_send_fills_in_folders_and_branch_like_cgru(farm, workdir):
    job = seed_job()
    job.blocks.append(af.Block("second"))
    job.blocks[1].setWorkingDirectory("/elsewhere")
    job.blocks[1].setCommand("x")
    job.blocks[1].setFiles(["/abs/out/b.@####@.exr", "/ignored/c.exr"])
    job.blocks[1].setNumeric(1, 2)
    assert job.send()[0]
    sent = request_body(farm)["job"]
    assert sent["folders"] == {"back": str(workdir / "jpg"), "second": "/abs/out"}
    assert sent["branch"] == str(workdir)


def test_an_output_folder_becomes_the_branch(farm, workdir):
    job = seed_job()
    job.setFolder("output", "/shots/a/render")
    assert job.send()[0]
    sent = request_body(farm)["job"]
    assert sent["folders"] == {"output": "/shots/a/render"}
    assert sent["branch"] == "/shots/a/render"


def test_send_without_blocks_says_so_and_sends_nothing(farm, workdir, capsys):
    assert af.Job("empty").send() == (False, None)
    assert "the job has no blocks" in capsys.readouterr().err
    assert farm.requests == []


def test_an_invalid_job_is_not_sent_and_every_problem_is_printed(farm, workdir, capsys):
    job = seed_job()
    job.blocks[0].setNumeric(10, 1, 0)
    job.setHostsMask("*render")
    assert job.send() == (False, None)
    err = capsys.readouterr().err
    assert "blocks[0].frame_last: must be >= frame_first (10), got 1" in err
    assert "blocks[0].frames_per_task: must be >= 1, got 0" in err
    assert "hosts_mask: '*render' is not a valid regular expression" in err
    assert farm.requests == []


def test_an_unreachable_server_keeps_the_job_in_the_outbox(workdir, monkeypatch, tmp_path, capsys):
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("AF_SERVERNAME", f"127.0.0.1:{unused_port()}")
    monkeypatch.setenv("AFCORE_OUTBOX_DIR", str(outbox))
    assert seed_job().send() == (False, None)
    err = capsys.readouterr().err
    assert "Cannot reach the Afanasy server" in err and "outbox" in err
    kept = list(outbox.iterdir())
    assert len(kept) == 1 and str(kept[0]) in err


def test_send_never_hangs_on_a_server_that_does_not_answer(workdir, monkeypatch, tmp_path):
    with LoopbackServer(silent()) as server:
        monkeypatch.setenv("AF_SERVERNAME", f"127.0.0.1:{server.port}")
        monkeypatch.setenv("AFCORE_READ_TIMEOUT", "0.3")
        monkeypatch.setenv("AFCORE_OUTBOX_DIR", str(tmp_path / "outbox"))
        started = time.monotonic()
        assert seed_job().send() == (False, None)
        assert time.monotonic() - started < 3
    assert len(list((tmp_path / "outbox").iterdir())) == 1


def test_sending_twice_sends_the_same_job_twice(farm, workdir):
    job = seed_job()
    assert job.send() == (True, {"id": 1, "serial": 1})
    assert job.send() == (True, {"id": 2, "serial": 2})
    first, second = request_body(farm, 0), request_body(farm, 1)
    assert first == second
