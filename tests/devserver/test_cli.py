"""``python -m afcore.devserver``: loopback only unless told, clear errors, a clean stop."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys

import pytest

from afcore.client import Client
from afcore.devserver import DevServer, RemoteAddressRefused, main
from afcore.job import Block, Job
from devserver.talk import ask

pytest_plugins = ["devserver_fixture"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.9", "::"])
def test_a_non_loopback_address_is_refused_unless_asked_for(host):
    with pytest.raises(RemoteAddressRefused, match="pass --host explicitly"):
        DevServer(host)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_addresses_are_fine(host):
    assert DevServer(host).host == host


def test_an_explicit_remote_host_is_warned_about(monkeypatch, capsys):
    def refuse_to_bind(server):
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr(DevServer, "start", refuse_to_bind)  # never actually listen on 0.0.0.0
    assert main(["--host", "0.0.0.0", "--workers", "1"]) == 1
    stderr = capsys.readouterr().err
    assert (
        "Warning: listening on 0.0.0.0: other machines can submit jobs and run commands" in stderr
    )


def test_a_taken_port_is_reported_with_what_to_do(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port)]) == 1
    stderr = capsys.readouterr().err
    assert f"Cannot listen on 127.0.0.1:{port}" in stderr and "Choose another --port" in stderr


def test_negative_workers_are_refused(capsys):
    assert main(["--workers", "-1"]) == 1
    assert "--workers must be 0 or more" in capsys.readouterr().err


@pytest.mark.skipif(os.name == "nt", reason="stopped with SIGTERM")
def test_run_as_a_module_it_serves_until_terminated_and_keeps_the_store(tmp_path):
    store = tmp_path / "store"
    command = [sys.executable, "-m", "afcore.devserver", "--port", "0", "--store", str(store), "-q"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = process.stdout.readline()
        assert banner.startswith("Afanasy devserver on 127.0.0.1:"), banner
        assert "not a farm manager" in process.stdout.readline()
        port = int(banner.split(",")[0].rsplit(":", 1)[1])
        block = Block(name="b", command="true")
        block.set_numeric(1, 1)
        job_id = (
            Client("127.0.0.1", port).submit(Job(name="kept", user_name="me", blocks=[block])).id
        )
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    with DevServer(store=store) as restarted:
        listed = ask(restarted, {"get": {"type": "jobs", "ids": [job_id]}})
        assert listed["jobs"][0]["name"] == "kept"
