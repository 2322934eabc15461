"""``python -m afcore.devserver`` (and ``afcmd devserver``): run a devserver until Ctrl+C."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from typing import Optional

from .server import DevServer, RemoteAddressRefused, is_loopback

DEFAULT_PORT = 51000

_EXAMPLES = """\
examples:
  python -m afcore.devserver                       # 127.0.0.1:51000, jobs kept in memory
  python -m afcore.devserver --store ~/devfarm --workers 2
  python -m afcore.devserver --port 0              # any free port (printed)

A development and test server, not a farm manager: real farms run CGRU's afserver.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m afcore.devserver",
        description="A loopback server speaking the Afanasy protocol, with an optional local "
        "worker that runs the tasks on this machine.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host",
        help="address to listen on (default 127.0.0.1); a non-loopback address makes the "
        "devserver reachable from other machines, without any access control",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="default %(default)s")
    parser.add_argument(
        "--store", metavar="DIR", help="folder that keeps jobs across restarts (default: memory)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="run up to N tasks at once on this machine (default 0: run nothing)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    """Serve until interrupted; 0 on a clean stop, 1 when the server cannot start."""
    options = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if options.quiet else logging.INFO,
        format="%(asctime)s devserver: %(message)s",
    )
    if options.workers < 0:
        print("--workers must be 0 or more.", file=sys.stderr)
        return 1
    host = options.host or "127.0.0.1"
    try:
        server = DevServer(
            host, options.port, options.store, options.workers, allow_remote=bool(options.host)
        )
        if not is_loopback(host):
            print(
                f"Warning: listening on {host}: other machines can submit jobs"
                + (" and run commands on this one." if options.workers else "."),
                file=sys.stderr,
            )
        server.start()
    except RemoteAddressRefused as problem:
        print(problem, file=sys.stderr)
        return 1
    except OSError as problem:
        print(
            f"Cannot listen on {host}:{options.port}: {problem.strerror or problem}. "
            "Is another afserver or devserver running there? Choose another --port.",
            file=sys.stderr,
        )
        return 1
    store = options.store or "memory (jobs are lost when it stops; --store DIR keeps them)"
    print(
        f"Afanasy devserver on {server.address}, store: {store}, workers: {options.workers}.\n"
        "A development server, not a farm manager. Press Ctrl+C to stop.",
        flush=True,
    )
    _wait_for_interrupt()
    server.stop()
    return 0


def _wait_for_interrupt() -> None:
    """Block until Ctrl+C or SIGTERM."""
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
