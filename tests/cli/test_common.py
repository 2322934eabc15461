"""What afcmd and afsubmit share: exit codes by kind of error, and the --server option."""

from __future__ import annotations

import argparse

import pytest

from afcore.cli.common import (
    UsageError,
    load_config,
    run_reporting_errors,
    server_address,
)
from afcore.errors import (
    ConfigError,
    JobInvalid,
    Problem,
    ProtocolError,
    RequestRejected,
    ServerTimeout,
    ServerUnreachable,
)


def fails_with(error: BaseException):
    def action() -> int:
        raise error

    return action


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ServerUnreachable("down"), 2),
        (ServerTimeout("slow"), 2),
        (ProtocolError("garbage"), 2),
        (RequestRejected("refused"), 1),
        (JobInvalid([Problem("blocks", "none")]), 1),
        (ConfigError("bad yaml"), 1),
        (UsageError("wrong"), 1),
        (FileNotFoundError(2, "No such file or directory", "job.json"), 1),
        (KeyboardInterrupt(), 130),
    ],
)
def test_errors_become_exit_codes_and_print_their_own_message(capsys, error, code):
    assert run_reporting_errors(fails_with(error)) == code
    err = capsys.readouterr().err
    expected = "job.json: No such file or directory" if isinstance(error, OSError) else str(error)
    assert err == f"{expected or 'Interrupted.'}\n"


def test_a_bug_keeps_its_traceback():
    with pytest.raises(ZeroDivisionError):
        run_reporting_errors(lambda: 1 // 0)


def test_server_option_forms():
    assert server_address("farm01:52000") == ("farm01", 52000)
    assert server_address("farm01") == ("farm01", None)
    assert server_address("[::1]:51000") == ("::1", 51000)
    with pytest.raises(argparse.ArgumentTypeError, match="'farm:0': expected"):
        server_address("farm:0")


def test_server_option_overrides_the_config_and_keeps_its_port_when_none_is_given(monkeypatch):
    monkeypatch.setenv("AF_SERVERPORT", "52000")
    config = load_config(("farm02", None))
    assert (config.server_host, config.server_port) == ("farm02", 52000)
    config = load_config(("farm03", 51001))
    assert (config.server_host, config.server_port) == ("farm03", 51001)
