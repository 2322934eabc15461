"""Loopback test servers: recorded Afanasy replies, and the faults a real farm shows.

A :class:`LoopbackServer` listens on 127.0.0.1 (or ``::1``), reads one framed
request per connection, keeps it in ``requests``, then lets a *behaviour* answer:

- :func:`reply` sends recorded bytes (``b""`` closes without a reply, like the
  released afserver crashing), optionally lingering like the real server: a
  space byte every second and a forced close after ~10 s;
- :func:`silent` accepts and never answers; :func:`slow` answers late;
  :func:`drip` sends one byte at a time; :func:`close_early` stops half-way;
- :func:`accept_jobs` answers jobs with ``{"id": N, "serial": N}`` like a devserver,
  and :func:`sample_job` is a small valid job to send it.

:func:`unused_port` gives a port nobody listens on, :func:`unanswered_port` one
where connecting hangs, and :func:`load_transcript`
reads a transcript from ``shared/protocol/transcripts`` as bytes.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from afcore.job import Block, Job
from afcore.wire import FramingError, frame, read_message

#: How often the real afserver probes a connection it has answered (``w1_wire_afanasy_linger``).
PROBE_INTERVAL = 1.0
#: How long the real afserver keeps an answered connection before closing it.
REAL_LINGER = 10.0


@dataclass
class Connection:
    """One accepted connection, as a behaviour sees it."""

    sock: socket.socket
    request: bytes
    stopping: threading.Event
    #: Set when the client closed its end (the server saw EOF).
    closed_by_client: threading.Event = field(default_factory=threading.Event)

    def send(self, data: bytes) -> bool:
        """Send ``data``; False when the client is gone."""
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def wait_for_client_close(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the client to close; True if it did."""
        if self.closed_by_client.is_set():
            return True
        self.sock.settimeout(max(seconds, 0.001))
        try:
            while self.sock.recv(4096):
                pass
        except socket.timeout:
            return False
        except OSError:
            pass
        if not self.stopping.is_set():
            self.closed_by_client.set()
        return True

    def hold(self) -> None:
        """Keep the connection open, saying nothing, until the client or the server stops."""
        while not self.stopping.is_set() and not self.wait_for_client_close(0.05):
            pass


Behaviour = Callable[[Connection], None]


class LoopbackServer:
    """A threaded TCP server on a loopback address; use it as a context manager."""

    def __init__(self, behaviour: Behaviour, host: str = "127.0.0.1") -> None:
        self.behaviour = behaviour
        self.host = host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.create_server((host, 0), family=family)
        self.port: int = self._listener.getsockname()[1]
        #: Each request as it arrived, header included.
        self.requests: list[bytes] = []
        self.connections: list[Connection] = []
        #: Connections accepted, whether or not a request followed.
        self.accepted = 0
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def __enter__(self) -> LoopbackServer:
        self._spawn(self._accept_loop)
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        """Close everything and wait for the threads (a lingering behaviour is cut short)."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        with contextlib.suppress(OSError):  # wake the blocked accept()
            socket.create_connection((self.host, self.port), timeout=1).close()
        for connection in self.connections:
            _shut(connection.sock)
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while True:
            sock, _ = self._listener.accept()
            if self._stopping.is_set():
                sock.close()
                return
            self.accepted += 1
            self._spawn(self._serve, sock)

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            received = bytearray()

            def recv(size: int) -> bytes:
                chunk = sock.recv(size)
                received.extend(chunk)
                return chunk

            sock.settimeout(5)
            try:
                read_message(recv)
            except (FramingError, OSError):
                return
            self.requests.append(bytes(received))
            connection = Connection(sock, bytes(received), self._stopping)
            self.connections.append(connection)
            self.behaviour(connection)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def reply(
    response: bytes, linger: float = 0.0, probe_interval: float = PROBE_INTERVAL
) -> Behaviour:
    """Send ``response`` (``b""``: close without a reply), then linger like afserver does."""

    def behave(connection: Connection) -> None:
        if not response:
            return
        connection.send(response)
        end = time.monotonic() + linger
        while not connection.stopping.is_set():
            left = end - time.monotonic()
            if left <= 0 or connection.wait_for_client_close(min(probe_interval, left)):
                return
            if not connection.send(b" "):
                return

    return behave


def real_linger(response: bytes) -> Behaviour:
    """Answer, then probe with a space each second and close after ~10 s: afserver 3.4.1."""
    return reply(response, linger=REAL_LINGER)


def silent() -> Behaviour:
    """Accept the request and never answer (a hung server)."""
    return Connection.hold


def slow(response: bytes, delay: float) -> Behaviour:
    """Answer after ``delay`` seconds, then keep the connection like afserver."""

    def behave(connection: Connection) -> None:
        if connection.wait_for_client_close(delay) or connection.stopping.is_set():
            return
        connection.send(response)
        connection.hold()

    return behave


def drip(response: bytes, interval: float) -> Behaviour:
    """Send ``response`` one byte per ``interval``: always some progress, never done in time."""

    def behave(connection: Connection) -> None:
        for index in range(len(response)):
            if connection.wait_for_client_close(interval) or connection.stopping.is_set():
                return
            if not connection.send(response[index : index + 1]):
                return
        connection.hold()

    return behave


def close_early(response: bytes, keep: int) -> Behaviour:
    """Send the first ``keep`` bytes of ``response``, then close."""

    def behave(connection: Connection) -> None:
        connection.send(response[:keep])

    return behave


def accept_jobs(first_id: int = 1) -> Behaviour:
    """Answer each job with a fresh ``{"id": N, "serial": N}`` (pretty-printed like afserver)."""
    counter = iter(range(first_id, 1 << 31))
    lock = threading.Lock()

    def behave(connection: Connection) -> None:
        document = json.loads(connection.request[connection.request.index(b"{") :])
        if "job" not in document:
            answer = {"info": {"kind": "error", "text": "Invalid action."}}
        else:
            with lock:
                number = next(counter)
            answer = {"id": number, "serial": number}
        connection.send(frame(json.dumps(answer, indent=0).encode()))
        connection.hold()

    return behave


def sample_job(name: str = "shot010_comp") -> Job:
    """A small valid job to send: one numeric block of ten frames."""
    job = Job(name=name, user_name="jimmy", host_name="ws01")
    block = Block(name="comp", command="nuke -X Write1 -F @#@-@#@ -x comp.nk")
    block.set_numeric(1, 10)
    job.blocks.append(block)
    return job


def unused_port(host: str = "127.0.0.1") -> int:
    """A port on ``host`` that nothing listens on: connecting to it is refused."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def unanswered_port() -> Iterator[int]:
    """A port where connecting hangs: its accept queue is full (Linux drops the SYNs).

    Yields 0 where the platform refuses instead of hanging (then skip the test).
    """
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        try:
            for _ in range(8):
                filler = socket.socket()
                fillers.append(filler)
                filler.settimeout(0.05)
                try:
                    filler.connect(("127.0.0.1", port))
                except socket.timeout:
                    break
                except OSError:
                    port = 0
                    break
            else:
                port = 0
            yield port
        finally:
            for filler in fillers:
                filler.close()


def ipv6_available() -> bool:
    """Whether ``::1`` can be listened on here."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class Transcript:
    """One exchange recorded byte for byte from a real afserver."""

    name: str
    request: bytes
    response: bytes
    note: str
    meta: dict[str, Any]
    response_json: Optional[Any]

    @property
    def linger(self) -> float:
        """How long the recorded server kept the connection after replying (0 when not recorded)."""
        return float(self.meta.get("after_reply_linger_s", 0.0))


def load_transcript(path: Path) -> Transcript:
    """A transcript with its exact bytes (non-UTF-8 exchanges are also kept in base64)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    meta = data.get("meta", {})

    def exact(key: str) -> bytes:
        encoded = meta.get(f"{key}_b64")
        return base64.b64decode(encoded) if encoded else data[key].encode("utf-8")

    return Transcript(
        name=path.stem,
        request=exact("request"),
        response=exact("response"),
        note=data.get("note", ""),
        meta=meta,
        response_json=data.get("response_json"),
    )
