"""Every afcmd command against a real devserver on a loopback port."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from afcore.cli.afcmd import main
from afcore.client import Client
from afcore.config import load_config
from afcore.job import Block, Job
from afcore.outbox import Outbox
from shared_data import TRANSCRIPTS
from waiting import wait_for

pytest_plugins = ["devserver_fixture"]

AFCMD = Path(sys.executable).with_name("afcmd")


def afcmd(server, capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--server", f"127.0.0.1:{server.port}", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def numeric_job(
    name: str, command: str = "echo frame @#@-@#@", frames=(1, 4), per_task=2, user="jimmy"
) -> Job:
    block = Block(name="frames", command=command, working_directory=str(Path.cwd()))
    block.set_numeric(frames[0], frames[1], per_task)
    return Job(name=name, user_name=user, host_name="ws01", blocks=[block])


def send(server, job: Job) -> int:
    return Client(port=server.port, user_name="tester").submit(job).id


def names_on(server) -> list[str]:
    return [job["name"] for job in Client(port=server.port).get_jobs()]


@pytest.fixture
def idle_server(devserver_factory):
    """A devserver that runs nothing, so job states stay as the actions leave them."""
    return devserver_factory(workers=0)


# --- json send ----------------------------------------------------------------------------------


def seed_minimal_job() -> str:
    """The documentation's minimal job, byte for byte as CGRU's af module sends it (no flags)."""
    request = json.loads((TRANSCRIPTS / "a_minimal_job_seed.json").read_text())["request"]
    return request[request.index("JSON") + len("JSON") :]


def test_json_send_of_the_documented_minimal_job_infers_the_numeric_flag(
    idle_server, capsys, tmp_path
):
    path = tmp_path / "minimal.json"
    path.write_text(seed_minimal_job())
    code, out, err = afcmd(idle_server, capsys, "json", "send", str(path))
    assert code == 0
    job_id = int(out)
    assert 'Note: blocks[0] "Nuke": has frames 1-100 but no numeric flag' in err
    job = Client(port=idle_server.port).get_job(job_id)
    assert job["name"] == "job name"
    assert (job["blocks"][0]["flags"] & 1, job["blocks"][0]["tasks_num"]) == (1, 5)


def test_json_send_gives_a_job_without_user_the_configs_user(
    idle_server, capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("AF_USERNAME", "anna")
    document = numeric_job("hand written").to_dict()
    del document["job"]["user_name"], document["job"]["host_name"]
    path = tmp_path / "job.json"
    path.write_text(json.dumps(document))
    code, out, err = afcmd(idle_server, capsys, "json", "send", str(path))
    assert code == 0
    assert "Note: user_name: not given; sent as 'anna' (from the config)" in err
    assert Client(port=idle_server.port).get_job(int(out))["user_name"] == "anna"


def test_json_send_reads_standard_input(idle_server, capsys, monkeypatch):
    document = numeric_job("piped").to_dict()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(document).encode())))
    code, out, _ = afcmd(idle_server, capsys, "json", "send", "-")
    assert code == 0 and out.strip().isdigit()
    assert "piped" in names_on(idle_server)


def test_json_send_refuses_an_invalid_job_listing_every_problem(idle_server, capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "job": {
                    "name": "bad",
                    "blocks": [
                        {"name": "a"},
                        {"name": "a", "flags": 1, "frame_first": 5, "frame_last": 1},
                    ],
                }
            }
        )
    )
    code, out, err = afcmd(idle_server, capsys, "json", "send", str(path))
    assert (code, out) == (1, "")
    assert "The job was not sent: " in err
    assert "blocks[0]: is neither numeric (flags bit 0) nor has tasks" in err
    assert "blocks[1].name" in err and "blocks[1].frame_last" in err
    assert "bad" not in names_on(idle_server)


def test_json_send_of_broken_json_says_where_and_sends_nothing(idle_server, capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"job": {"name": "x",\n  "blocks": [}\n}')
    code, out, err = afcmd(idle_server, capsys, "json", "send", str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"{path}:2:14: Expecting value")


def test_json_send_passes_a_get_request_through_and_prints_the_reply(idle_server, capsys, tmp_path):
    path = tmp_path / "get.json"
    path.write_text('{"get": {"type": "users"}}')
    code, out, _ = afcmd(idle_server, capsys, "json", "send", str(path))
    assert code == 0
    assert json.loads(out)["users"][0]["name"] == "afadmin"


def test_json_send_refuses_a_document_that_is_no_request(idle_server, capsys, tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    code, _, err = afcmd(idle_server, capsys, "json", "send", str(path))
    assert code == 1 and 'expected an object with a "job", "get" or "action" key' in err


# --- reading the farm ---------------------------------------------------------------------------


def test_jobs_lists_every_job_and_filters_by_user_and_name_prefix(idle_server, capsys):
    send(idle_server, numeric_job("shot010 comp", user="jimmy"))
    send(idle_server, numeric_job("shot020 comp", user="anna"))
    code, out, _ = afcmd(idle_server, capsys, "jobs")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["id", "name", "user", "state", "progress", "blocks"]
    assert any(
        line.split()[:4] == ["2", "shot010", "comp", "jimmy"] and "0/2 0%" in line for line in lines
    )
    _, out, _ = afcmd(idle_server, capsys, "jobs", "--user", "anna")
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["shot020"]
    _, out, _ = afcmd(idle_server, capsys, "jobs", "shot01")
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["shot010"]
    _, out, err = afcmd(idle_server, capsys, "jobs", "nothing-like-this")
    assert (out, err) == ("", "(no jobs)\n")
    _, out, _ = afcmd(idle_server, capsys, "jobs", "--json", "--user", "jimmy")
    assert [job["name"] for job in json.loads(out)] == ["shot010 comp"]


def test_job_shows_blocks_tasks_and_hosts_and_a_tasks_output(devserver, capsys):
    job_id = send(devserver, numeric_job("echo frames"))
    client = Client(port=devserver.port)
    wait_for(lambda: "DON" in client.get_job(job_id)["state"], "the job done", timeout=20)
    code, out, _ = afcmd(devserver, capsys, "job", str(job_id))
    assert code == 0
    assert out.startswith(f"Job {job_id} 'echo frames'  user jimmy@ws01")
    assert "tasks: 2 DON" in out
    assert "  command: echo frame @#@-@#@" in out
    rows = [line.split() for line in out.splitlines() if line.startswith("     ")]
    assert [row[:3] for row in rows] == [["0", "1-2", "DON"], ["1", "3-4", "DON"]]
    code, out, _ = afcmd(devserver, capsys, "job", str(job_id), "output", "1")
    assert (code, out) == (0, "frame 3-4\n")
    code, out, _ = afcmd(
        devserver, capsys, "job", str(job_id), "output", "0", "--block", "0", "--json"
    )
    assert json.loads(out) == {"job": job_id, "block": 0, "task": 0, "output": "frame 1-2\n"}
    _, out, _ = afcmd(devserver, capsys, "job", str(job_id), "--json")
    document = json.loads(out)
    assert document["job"]["id"] == job_id and len(document["progress"][0]) == 2


def test_unknown_job_and_task_are_user_errors(idle_server, capsys):
    code, out, err = afcmd(idle_server, capsys, "job", "99")
    assert (code, out) == (1, "")
    assert (
        f"There is no job with id 99 on the Afanasy server at 127.0.0.1:{idle_server.port}." in err
    )
    job_id = send(idle_server, numeric_job("one"))
    code, _, err = afcmd(idle_server, capsys, "job", str(job_id), "output", "7")
    assert code == 1 and f"Job {job_id}" in err and "has no task 7 in block 0" in err
    code, _, err = afcmd(idle_server, capsys, "job", str(job_id), "output")
    assert code == 1 and "usage: afcmd job ID output TASK" in err


def test_renders_and_users(devserver, capsys):
    server = devserver  # with its worker, the render is online
    code, out, _ = afcmd(server, capsys, "renders")
    assert code == 0 and out.splitlines()[0].split()[:4] == ["id", "name", "state", "user"]
    assert out.splitlines()[1].split()[2] == "ONL"
    _, out, _ = afcmd(server, capsys, "renders", "--json")
    render_name = json.loads(out)[0]["name"]
    _, out, err = afcmd(server, capsys, "renders", "no-such-render")
    assert (out, err) == ("", "(no render clients)\n")
    _, out, _ = afcmd(server, capsys, "renders", render_name[:1])
    assert render_name in out
    code, out, _ = afcmd(server, capsys, "users")
    assert code == 0 and out.splitlines()[1].split()[:2] == ["1", "afadmin"]
    _, out, _ = afcmd(server, capsys, "users", "--json")
    assert json.loads(out)[0]["name"] == "afadmin"


# --- actions ------------------------------------------------------------------------------------


def job_state(server, job_id: int) -> str:
    return Client(port=server.port).get_job(job_id)["state"]


def test_job_actions_by_id_and_by_whole_name_regex(idle_server, capsys):
    comp = send(idle_server, numeric_job("shot010 comp"))
    precomp = send(idle_server, numeric_job("shot010 precomp"))
    other = send(idle_server, numeric_job("shot020 comp"))
    code, out, err = afcmd(idle_server, capsys, "pause", "shot010")
    assert (code, out) == (1, "")
    assert "No node matches" in err and "try 'shot010.*'" in err
    code, out, _ = afcmd(idle_server, capsys, "pause", "shot010.*")
    assert (code, out) == (0, "Jobs matching 'shot010.*': paused.\n")
    assert ["OFF" in job_state(idle_server, i) for i in (comp, precomp, other)] == [
        True,
        True,
        False,
    ]
    code, out, _ = afcmd(idle_server, capsys, "start", str(comp), str(precomp))
    assert (code, out) == (0, f"Job {comp}, {precomp}: started.\n")
    assert "OFF" not in job_state(idle_server, comp)
    code, out, _ = afcmd(idle_server, capsys, "stop", str(other))
    assert code == 0 and "OFF" in job_state(idle_server, other)
    assert afcmd(idle_server, capsys, "restart", str(other))[0] == 0
    code, out, _ = afcmd(idle_server, capsys, "priority", "150", str(comp), "shot020.*")
    assert out.splitlines() == [
        f"Job {comp}: priority set to 150.",
        "Jobs matching 'shot020.*': priority set to 150.",
    ]
    client = Client(port=idle_server.port)
    assert [client.get_job(i)["priority"] for i in (comp, precomp, other)] == [150, 99, 150]
    code, out, _ = afcmd(idle_server, capsys, "delete", "shot0[12]0 comp", str(precomp))
    assert code == 0 and len(out.splitlines()) == 2
    assert names_on(idle_server) == ["afanasy"]


def test_one_failed_target_does_not_stop_the_others(idle_server, capsys):
    job_id = send(idle_server, numeric_job("keep"))
    code, out, err = afcmd(idle_server, capsys, "pause", "9999", "keep")
    assert code == 1
    assert "Action node ID not found: 9999." in err
    assert out == "Jobs matching 'keep': paused.\n"
    assert "OFF" in job_state(idle_server, job_id)


def test_bad_regex_and_priority_are_refused_before_asking_the_server(idle_server, capsys):
    code, _, err = afcmd(idle_server, capsys, "delete", "shot(")
    assert code == 1 and "'shot(' is not a valid regular expression" in err
    code, _, err = afcmd(idle_server, capsys, "priority", "251", "1")
    assert code == 1 and "a priority is a whole number from 0 to 250" in err


def test_render_actions(devserver, capsys):
    server = devserver
    render = Client(port=server.port).get_renders()[0]["name"]
    code, out, _ = afcmd(server, capsys, "nimby", render)
    assert (code, out) == (0, f"Renders matching '{render}': set to nimby.\n")
    assert "NbY" in Client(port=server.port).get_renders()[0]["state"]
    assert afcmd(server, capsys, "free", "1")[:2] == (0, "Render 1: set free.\n")
    assert Client(port=server.port).get_renders()[0]["state"] == " ONL"
    assert afcmd(server, capsys, "exit", ".*")[:2] == (
        0,
        "Renders matching '.*': asked to exit.\n",
    )
    assert "ONL" not in Client(port=server.port).get_renders()[0]["state"]


# --- outbox, unreachable servers, devserver -----------------------------------------------------


def test_outbox_list_send_and_drop(idle_server, capsys):
    outbox = Outbox.from_config(load_config())
    first = outbox.put(numeric_job("kept one"), server="farm01:51000", error="down")
    code, out, _ = afcmd(idle_server, capsys, "outbox")
    assert code == 0 and out.splitlines()[0].split() == ["kept", "name", "server", "path"]
    assert "kept one" in out and "farm01:51000" in out and str(first) in out
    _, out, _ = afcmd(idle_server, capsys, "outbox", "list", "--json")
    assert [entry["path"] for entry in json.loads(out)] == [str(first)]
    code, out, _ = afcmd(idle_server, capsys, "outbox", "send")
    assert code == 0 and out.startswith(f"Sent {first} as job ")
    assert "kept one" in names_on(idle_server) and outbox.entries() == []
    second, third = outbox.put(numeric_job("two")), outbox.put(numeric_job("three"))
    assert afcmd(idle_server, capsys, "outbox", "drop", str(second))[:2] == (
        0,
        f"Dropped {second}\n",
    )
    assert afcmd(idle_server, capsys, "outbox", "drop", "--all")[:2] == (0, f"Dropped {third}\n")
    _, out, err = afcmd(idle_server, capsys, "outbox")
    assert out == "" and "is empty" in err
    code, _, err = afcmd(idle_server, capsys, "outbox", "drop")
    assert code == 1 and "afcmd outbox drop --all" in err


def test_unreachable_server_is_exit_code_2_and_a_sent_job_is_kept(capsys, tmp_path):
    path = tmp_path / "job.json"
    path.write_text(numeric_job("offline").to_json())
    code = main(["json", "send", str(path), "--server", "127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Cannot reach the Afanasy server at 127.0.0.1:9 (connection refused")
    assert (
        "The job was kept in the outbox: " in err and "Send it later with: afcmd outbox send" in err
    )
    assert main(["--server", "127.0.0.1:9", "jobs"]) == 2
    assert main(["outbox", "send", "--server", "127.0.0.1:9"]) == 2
    assert "offline" in capsys.readouterr().out + str(Outbox.from_config(load_config()).entries())


def test_devserver_command_hands_its_arguments_to_the_devserver(capsys):
    assert main(["devserver", "--help"]) == 0
    assert "--workers N" in capsys.readouterr().out
    assert main(["devserver", "--port", "not-a-number"]) == 2
    assert main(["jobs", "--unknown"]) == 1


def test_help_lists_every_command_with_examples(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in (
        "json",
        "jobs",
        "job",
        "renders",
        "users",
        "pause",
        "priority",
        "nimby",
        "outbox",
    ):
        assert f"\n    {command} " in out
    assert "afcmd json send shot010.json" in out and "exit codes:" in out
    assert main(["delete", "--help"]) == 0
    assert "must match the WHOLE name" in capsys.readouterr().out.replace("\n", " ")


# --- the installed console script -----------------------------------------------------------------


def test_console_script_talks_to_the_server_and_reports_errors_without_traceback(
    idle_server, tmp_path
):
    send(idle_server, numeric_job("from a shell"))
    listed = subprocess.run(
        [str(AFCMD), "jobs", "--json", "--server", f"127.0.0.1:{idle_server.port}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert listed.returncode == 0
    assert "from a shell" in [job["name"] for job in json.loads(listed.stdout)]
    broken = tmp_path / "broken.json"
    broken.write_text('{"job": [1,,2]}')
    checked = subprocess.run(
        [str(AFCMD), "json", str(broken)], capture_output=True, text=True, timeout=60, check=False
    )
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == [
        f"{broken}:1:12: Expecting value",
        '   1 | {"job": [1,,2]}',
        "     |            ^",
    ]
