"""The Afanasy wire protocol, and the typed requests a submitter and ``afcmd`` need.

One request per connection (``shared/protocol/PROTOCOL.md``): connect, send
``AFANASY <n> JSON{...}``, read exactly the framed reply, close. The server never
closes first (it lingers ~10 s sending spaces), so the reply is read by its
announced size, never to EOF. Both timeouts are deadlines for the whole step:
a server dribbling one byte a second cannot stretch the read timeout.

Everything that goes wrong raises one of :mod:`afcore.errors`, with a message
that says what failed and what to try next.
"""

from __future__ import annotations

import getpass
import json
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

from afcore import validate
from afcore.errors import (
    AfanasyError,
    ConfigError,
    ProtocolError,
    RequestRejected,
    ServerTimeout,
    ServerUnreachable,
)
from afcore.job import Job
from afcore.wire import FramingError, encode_body, frame, read_message

if TYPE_CHECKING:
    from afcore.config import Config

JsonDict = dict[str, Any]

#: What an action can act on.
ACTION_KINDS = ("jobs", "renders", "users")
#: The reply to every action the server carried out.
ACTION_PROCESSED = "Action processed."

_CHECK_SERVER = "Is afserver running? Check AF_SERVERNAME / AF_SERVERPORT or the config."
_RECEIVE_SIZE = 1 << 16


@dataclass(frozen=True)
class SubmitResult:
    """The server's acknowledgement of a job.

    ``id`` names the job on the farm but is reused after the job is deleted;
    ``serial`` is never reused.
    """

    id: int
    serial: int


class Client:
    """A connection-per-request client for one Afanasy server.

    It keeps no socket open between calls, so one instance can be shared by
    threads. Actions are signed with ``user_name`` / ``host_name``, which
    default to the logged-in user and this machine.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 51000,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        user_name: Optional[str] = None,
        host_name: Optional[str] = None,
    ) -> None:
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.user_name = _login_name() if user_name is None else user_name
        self.host_name = socket.gethostname() if host_name is None else host_name

    @classmethod
    def from_config(cls, config: Config) -> Client:
        """A client for the server, timeouts and identity in an :class:`afcore.config.Config`."""
        return cls(
            host=config.server_host,
            port=config.server_port,
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
            user_name=config.user_name or None,
            host_name=config.host_name or None,
        )

    @property
    def address(self) -> str:
        """``host:port`` as a person would type it (``[::1]:51000`` for IPv6)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def __repr__(self) -> str:
        return f"Client({self.address!r})"

    # --- one exchange ---------------------------------------------------------------------------

    def request(self, document: JsonDict) -> JsonDict:
        """Send one JSON document and return the server's reply.

        A reply that reports an error (``{"info": {"kind": "error"}}`` or a job
        answered with ``"error"``) raises :class:`RequestRejected` with the
        server's own text in the message.
        """
        reply = self._exchange(document)
        refusal = _error_text(reply)
        if refusal is not None:
            raise RequestRejected(_rejection_message(self.address, document, refusal))
        return reply

    def _exchange(self, document: JsonDict) -> JsonDict:
        payload = frame(_encode(document))
        sock = self._connect()
        try:
            body = self._send_and_receive(sock, payload, is_job="job" in document)
        finally:
            sock.close()
        return self._decode(body)

    def _connect(self) -> socket.socket:
        started = time.monotonic()
        try:
            addresses = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise ServerUnreachable(
                f"Cannot reach the Afanasy server at {self.address}: the host name "
                f"{self.host!r} is not known ({error.strerror}). {_CHECK_SERVER}"
            ) from error
        deadline = started + self.connect_timeout
        failure: OSError = socket.timeout()
        for family, kind, protocol, _, address in addresses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            sock = socket.socket(family, kind, protocol)
            try:
                sock.settimeout(remaining)
                sock.connect(address)
                return sock
            except OSError as error:
                sock.close()
                failure = error
        raise ServerUnreachable(
            f"Cannot reach the Afanasy server at {self.address} "
            f"({self._connect_failure(failure, time.monotonic() - started)}). {_CHECK_SERVER}"
        ) from failure

    def _connect_failure(self, error: OSError, elapsed: float) -> str:
        if isinstance(error, socket.timeout):
            return f"no answer within the connect timeout of {self.connect_timeout:.1f} s"
        reason = "connection refused" if isinstance(error, ConnectionRefusedError) else None
        return f"{reason or error.strerror or error} after {elapsed:.1f} s"

    def _send_and_receive(self, sock: socket.socket, payload: bytes, is_job: bool) -> bytes:
        reader = _DeadlineReader(sock, time.monotonic() + self.read_timeout)
        try:
            reader.send(payload)
            return read_message(reader.recv)
        except socket.timeout as error:
            raise ServerTimeout(self._timeout_message(reader.received, is_job)) from error
        except FramingError as error:
            if reader.received:
                raise ProtocolError(self._unreadable_message(error, reader.first_bytes)) from error
            raise ProtocolError(self._closed_message(is_job)) from error
        except OSError as error:
            raise ProtocolError(self._closed_message(is_job, error)) from error

    def _timeout_message(self, received: int, is_job: bool) -> str:
        message = (
            f"The Afanasy server at {self.address} accepted the connection but sent no complete "
            f"reply within the read timeout of {self.read_timeout:.1f} s ({received} bytes "
            "received). It may be overloaded or hung; for very big jobs raise read_timeout in "
            "the config (or AFCORE_READ_TIMEOUT)."
        )
        if is_job:
            message += " The job may still have arrived: check the farm before sending it again."
        return message

    def _closed_message(self, is_job: bool, error: Optional[OSError] = None) -> str:
        how = f" ({error.strerror or error})" if error is not None else ""
        message = (
            f"The Afanasy server at {self.address} closed the connection without answering{how}."
        )
        if is_job:
            return (
                f"{message} The released afserver crashes on some invalid jobs: check that it "
                "is still running and look at its log; the job was probably not registered."
            )
        return f"{message} Is {self.address} really an afserver port?"

    def _unreadable_message(self, error: FramingError, first_bytes: bytes) -> str:
        if first_bytes.upper().startswith(b"AFANASY"):
            return (
                f"The Afanasy server at {self.address} sent an incomplete reply ({error}). "
                "It may have stopped while answering: check that it is running and try again."
            )
        what = "an HTTP reply" if first_bytes.startswith(b"HTTP/") else "something else"
        return (
            f"The server at {self.address} did not answer in the Afanasy protocol: it sent "
            f"{what} ({error}). Is {self.address} really an afserver port? {_CHECK_SERVER}"
        )

    def _decode(self, body: bytes) -> JsonDict:
        # The server stores text bytes as it got them and echoes them back (d7 transcripts):
        # undecodable bytes become U+FFFD, so a reply can always be shown and printed.
        try:
            reply = json.loads(body.decode("utf-8", errors="replace"))
        except ValueError as error:
            raise ProtocolError(
                f"The Afanasy server at {self.address} sent a reply that is not valid JSON "
                f"({error}): {body[:80]!r}"
            ) from error
        return reply  # a dict: the framing starts the body at its first "{"

    # --- jobs -----------------------------------------------------------------------------------

    def submit(self, job: Job) -> SubmitResult:
        """Send a job and return its id; an invalid job is refused here and never sent.

        Raises :class:`~afcore.errors.JobInvalid` before connecting when the
        job would be rejected, crash the server or be silently mangled. A job
        without a user or host is signed with this client's (afserver refuses it).
        """
        job.user_name = job.user_name or self.user_name
        job.host_name = job.host_name or self.host_name
        validate.check(job)
        reply = self.request(job.to_dict())
        job_id, serial = reply.get("id"), reply.get("serial")
        if type(job_id) is not int or type(serial) is not int:
            raise ProtocolError(
                f"The Afanasy server at {self.address} answered the job {job.name!r} with "
                f"{_excerpt(reply)} instead of its id."
            )
        if job_id <= 0:
            raise RequestRejected(
                f"The Afanasy server at {self.address} did not register the job {job.name!r} "
                f"(it answered id {job_id}). See the afserver log for the reason."
            )
        return SubmitResult(job_id, serial)

    def get_jobs(
        self,
        ids: Optional[Sequence[int]] = None,
        user_ids: Optional[Sequence[int]] = None,
        users: Optional[Sequence[str]] = None,
        mask: Optional[str] = None,
    ) -> list[JsonDict]:
        """Jobs (short form); all of them when no selector is given.

        ``mask`` is matched the way the server matches get masks: a
        comma-separated list of name **prefixes**, not a regular expression.
        """
        reply = self._get("jobs", ids=ids, uids=user_ids, users=users, mask=mask)
        return _member(reply, "jobs", list, self.address)

    def get_job(self, job_id: int, mode: Optional[str] = "full") -> JsonDict:
        """One job: ``mode="full"`` includes each block's properties and progress."""
        reply = self._get("jobs", ids=[job_id], mode=mode)
        jobs = _member(reply, "jobs", list, self.address)
        if not jobs or not isinstance(jobs[0], dict):
            raise RequestRejected(f"There is no job with id {job_id} on {self.address}.")
        return jobs[0]

    def job_progress(self, job_id: int) -> list[list[JsonDict]]:
        """Per block, per task: ``{"state": " DON", "st": 16, "str": starts, "hst": host, ...}``."""
        reply = self._get("jobs", ids=[job_id], mode="progress")
        progress = _member(reply, "job_progress", dict, self.address)
        return _member(progress, "progress", list, self.address)

    def task_output(self, job_id: int, block: int, task: int, number: Optional[int] = None) -> str:
        """What a task printed; ``number`` picks an earlier run (0 is the first)."""
        reply = self._get(
            "jobs", ids=[job_id], block_ids=[block], task_ids=[task], mode="output", number=number
        )
        info = _member(reply, "task", dict, self.address)
        data = _member(info, "data", str, self.address)
        if data.startswith("ERROR: ") and not info.get("task_name"):
            # The server answers a task it does not have with an empty task record (f10).
            raise RequestRejected(
                f"Job {job_id} on {self.address} has no task {task} in block {block} "
                f"(the server says: {data[len('ERROR: ') :]})."
            )
        return data

    # --- renders and users ----------------------------------------------------------------------

    def get_renders(
        self, mask: Optional[str] = None, ids: Optional[Sequence[int]] = None
    ) -> list[JsonDict]:
        """Render clients; ``mask`` is a comma-separated list of host name prefixes."""
        return _member(self._get("renders", ids=ids, mask=mask), "renders", list, self.address)

    def get_users(self, ids: Optional[Sequence[int]] = None) -> list[JsonDict]:
        """Users known to the server (unknown ids are left out, not an error)."""
        return _member(self._get("users", ids=ids), "users", list, self.address)

    def _get(self, kind: str, **selectors: Any) -> JsonDict:
        """A get request; selectors keep their order and ``None`` ones are left out."""
        body: JsonDict = {"type": kind}
        for key, value in selectors.items():
            if value is not None:
                body[key] = list(value) if isinstance(value, (list, tuple)) else value
        return self.request({"get": body})

    # --- actions --------------------------------------------------------------------------------

    def action(
        self,
        kind: str,
        ids: Optional[Sequence[int]] = None,
        mask: Optional[str] = None,
        operation: Union[str, JsonDict, None] = None,
        params: Optional[JsonDict] = None,
    ) -> str:
        """Act on jobs, renders or users picked by ``ids`` or by ``mask``; return the server's text.

        Unlike get masks, an action ``mask`` is a regular expression that must
        match the **whole** name: ``"shot010"`` misses ``"shot010 comp"``,
        ``"shot010.*"`` catches it. ``operation`` (``"delete"`` or
        ``{"type": "delete"}``) does something; ``params`` sets values.
        """
        if kind not in ACTION_KINDS:
            raise ValueError(f"an action acts on one of {', '.join(ACTION_KINDS)}, not {kind!r}")
        if (ids is None) == (mask is None):
            raise ValueError("an action needs either ids or a mask to pick what it acts on")
        if (operation is None) == (params is None):
            raise ValueError("an action needs either an operation or params")
        if not self.user_name:
            raise ConfigError(
                "Actions are signed with a user name and none is known: set AF_USERNAME "
                "or user_name in the config."
            )
        body: JsonDict = {"type": kind}
        if ids is not None:
            body["ids"] = list(ids)
        else:
            body["mask"] = mask
        body["user_name"] = self.user_name
        body["host_name"] = self.host_name
        if operation is not None:
            body["operation"] = {"type": operation} if isinstance(operation, str) else operation
        else:
            body["params"] = params
        reply = self.request({"action": body})
        info = _member(reply, "info", dict, self.address)
        return _member(info, "text", str, self.address)

    def pause_jobs(self, ids: Optional[Sequence[int]] = None, mask: Optional[str] = None) -> str:
        """Pause jobs: running tasks finish, no new ones start."""
        return self.action("jobs", ids, mask, operation="pause")

    def start_jobs(self, ids: Optional[Sequence[int]] = None, mask: Optional[str] = None) -> str:
        """Start (unpause) jobs, including ones sent paused."""
        return self.action("jobs", ids, mask, operation="start")

    def stop_jobs(self, ids: Optional[Sequence[int]] = None, mask: Optional[str] = None) -> str:
        """Stop jobs: running tasks are killed and the jobs paused."""
        return self.action("jobs", ids, mask, operation="stop")

    def restart_jobs(self, ids: Optional[Sequence[int]] = None, mask: Optional[str] = None) -> str:
        """Restart every task of the jobs."""
        return self.action("jobs", ids, mask, operation="restart")

    def delete_jobs(self, ids: Optional[Sequence[int]] = None, mask: Optional[str] = None) -> str:
        """Delete jobs from the farm (their ids are then reused)."""
        return self.action("jobs", ids, mask, operation="delete")

    def set_job_priority(
        self, priority: int, ids: Optional[Sequence[int]] = None, mask: Optional[str] = None
    ) -> str:
        """Set the priority (0..250) of jobs."""
        return self.action("jobs", ids, mask, params={"priority": _priority(priority)})

    def render_nimby(self, ids: Optional[Sequence[int]] = None, mask: Optional[str] = None) -> str:
        """Set render clients to nimby: they run only their owner's tasks."""
        return self.action("renders", ids, mask, params={"nimby": True})

    def render_free(self, ids: Optional[Sequence[int]] = None, mask: Optional[str] = None) -> str:
        """Free render clients for every user's tasks again."""
        return self.action("renders", ids, mask, params={"nimby": False})

    def render_exit(self, ids: Optional[Sequence[int]] = None, mask: Optional[str] = None) -> str:
        """Ask render clients to exit."""
        return self.action("renders", ids, mask, operation="exit")

    def set_user_priority(
        self, priority: int, ids: Optional[Sequence[int]] = None, mask: Optional[str] = None
    ) -> str:
        """Set the priority (0..250) of users."""
        return self.action("users", ids, mask, params={"priority": _priority(priority)})


class _DeadlineReader:
    """Socket I/O under one deadline for the whole send-and-reply, counting what arrived."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline
        self._chunk = b""
        self._offset = 0
        self.received = 0
        self.first_bytes = b""

    def send(self, payload: bytes) -> None:
        self._sock.settimeout(self._remaining())
        self._sock.sendall(payload)

    def recv(self, size: int) -> bytes:
        """Up to ``size`` bytes, read ahead: the byte-wise header read costs no system call.

        A read returns what has arrived and never waits for more than the reply
        needs; bytes past the reply (afserver's linger spaces come a second
        later at the earliest) go with the connection.
        """
        if self._offset >= len(self._chunk):
            self._sock.settimeout(self._remaining())
            self._chunk, self._offset = self._sock.recv(_RECEIVE_SIZE), 0
            if not self.received:
                self.first_bytes = self._chunk[:16]
            self.received += len(self._chunk)
        start, self._offset = self._offset, self._offset + size
        return self._chunk[start : self._offset]

    def _remaining(self) -> float:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("read timeout")
        return remaining


def _encode(document: JsonDict) -> bytes:
    try:
        return encode_body(document)
    except UnicodeEncodeError as error:
        text = error.object[max(error.start - 20, 0) : error.end + 20]
        raise AfanasyError(
            f"The request was not sent: the text {text!r} is not valid UTF-8 (it holds bytes "
            "that were never decoded, e.g. from a file name in another encoding). Fix or "
            "rename it and try again."
        ) from error


def _error_text(reply: JsonDict) -> Optional[str]:
    """The server's error text, if the reply reports one."""
    info = reply.get("info")
    if isinstance(info, dict) and info.get("kind") == "error":
        return str(info.get("text", "")).strip() or "(no reason given)"
    error = reply.get("error")
    return str(error) if error else None


def _rejection_message(address: str, document: JsonDict, refusal: str) -> str:
    get = document.get("get")
    if isinstance(get, dict) and refusal == "Invalid ID" and get.get("ids"):
        kind = str(get.get("type", "object")).rstrip("s")
        ids = ", ".join(str(each) for each in get["ids"])
        return f"There is no {kind} with id {ids} on the Afanasy server at {address}."
    what = "job" if "job" in document else "request"
    message = f"The Afanasy server at {address} refused the {what}: {refusal}"
    action = document.get("action")
    if isinstance(action, dict) and "mask" in action and "No node matches" in refusal:
        message += (
            " (an action mask is a regular expression matching whole names:"
            f" try {action['mask'] + '.*'!r})"
        )
    if what == "job":
        message += " See the afserver log for the reason."
    return message


def _member(container: JsonDict, key: str, kind: type, address: str) -> Any:
    value = container.get(key)
    if not isinstance(value, kind):
        raise ProtocolError(
            f"The Afanasy server at {address} sent {_excerpt(container)}, "
            f"which has no {kind.__name__} {key!r}."
        )
    return value


def _excerpt(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _priority(value: int) -> int:
    if type(value) is not int or not 0 <= value <= 250:
        raise ValueError(f"a priority is a whole number from 0 to 250, not {value!r}")
    return value


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return ""
