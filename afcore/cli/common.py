"""What afcmd and afsubmit share: exit codes, the ``--server`` option, and error reporting.

Exit codes tell a script whether trying again can help: 1 means the request itself is wrong
(bad arguments, bad JSON, an invalid job, something the server refused), 2 means the server
could not be reached or answered nonsense, so the same command may work later.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, NoReturn, Optional, Sequence, Union

from afcore.cli.jsoncheck import JsonSyntaxError
from afcore.cli.readers import UnknownSceneType
from afcore.config import Config, split_server
from afcore.config import load_config as load_layered_config
from afcore.errors import AfanasyError, ProtocolError, ServerTimeout, ServerUnreachable
from afcore.frames import FrameSyntaxError

ServerAddress = tuple[str, Optional[int]]

EXIT_OK = 0
EXIT_USER = 1
EXIT_SERVER = 2


class UsageError(Exception):
    """The arguments make no sense together; the message says how to call the command."""


#: Errors caused by what the user asked for: the message says what to change.
USER_ERRORS = (AfanasyError, JsonSyntaxError, UnknownSceneType, FrameSyntaxError, UsageError)
#: Errors where the farm is the problem: unreachable, too slow, or not speaking the protocol.
SERVER_ERRORS = (ServerUnreachable, ServerTimeout, ProtocolError)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but bad arguments exit with 1 (a user error): 2 means the server failed here."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER, f"{self.prog}: error: {message}\n")


def parse_arguments(
    parser: argparse.ArgumentParser, argv: Optional[Sequence[str]], passthrough: str = ""
) -> Union[argparse.Namespace, int]:
    """The parsed arguments, or the exit code when argparse is done (``--help``, bad arguments).

    ``main(argv)`` returns instead of exiting, so that tests and scripts can call it. The
    arguments the parser does not know are an error, except after the ``passthrough`` command,
    which gets them in ``args.rest`` (``afcmd devserver`` hands them to the devserver).
    """
    try:
        args, rest = parser.parse_known_args(argv)
        if rest and (not passthrough or getattr(args, "command", None) != passthrough):
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else EXIT_USER
    args.rest = rest
    return args


def server_address(text: str) -> ServerAddress:
    """``HOST:PORT``, or ``HOST`` alone to keep the configured port, for ``--server``."""
    try:
        return split_server(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r}: expected {error}") from None


def add_server_option(
    parser: Union[argparse.ArgumentParser, argparse._ArgumentGroup], default: Any
) -> None:
    """The ``--server HOST:PORT`` option, overriding the configured server for one command."""
    parser.add_argument(
        "--server",
        metavar="HOST:PORT",
        type=server_address,
        default=default,
        help="the Afanasy server to talk to (default: from the config, see docs/config.md)",
    )


def load_config(server: Optional[ServerAddress] = None) -> Config:
    """The layered config, with ``--server`` applied on top."""
    config = load_layered_config()
    if server:
        config.server_host = server[0]
        config.server_port = config.server_port if server[1] is None else server[1]
    return config


def exit_code_for(error: Exception) -> int:
    """2 when the farm failed (trying again later may work), 1 when the request is wrong."""
    return EXIT_SERVER if isinstance(error, SERVER_ERRORS) else EXIT_USER


def run_reporting_errors(action: Callable[[], int]) -> int:
    """Run ``action``; print any expected error's own message and turn it into an exit code.

    The message is printed as the raising module wrote it (what failed, why, what to do), so
    the terminal says exactly what a dialog would. Anything else is a bug and keeps its traceback.
    """
    stream = sys.stderr
    try:
        return action()
    except USER_ERRORS as error:
        print(error, file=stream)
        return exit_code_for(error)
    except OSError as error:  # a file named on the command line cannot be read or written
        print(f"{error.filename}: {error.strerror}" if error.filename else error, file=stream)
        return EXIT_USER
    except KeyboardInterrupt:
        print("Interrupted.", file=stream)
        return 130
