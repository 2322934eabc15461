"""Jobs that could not be delivered, kept on disk until the farm takes them.

Each job is one JSON file in the outbox folder (``Config.outbox_dir``, by
default ``~/.local/share/afcore/outbox``): the ``{"job": {...}}`` document as
it would be sent, plus an ``"outbox"`` record of when, to which server, and
why it was kept. Files are written atomically (a temporary file replaced into
place), named after the time and the job (``20261123-200102-shot010.json``),
and removed only once the server has acknowledged the job with its id.

Two processes should not send the same outbox at the same time: each would
send every job.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Union

from afcore.client import Client, SubmitResult
from afcore.errors import AfanasyError, ConfigError, ServerTimeout, ServerUnreachable
from afcore.job import Job

if TYPE_CHECKING:
    from afcore.config import Config

PathLike = Union[str, "os.PathLike[str]"]

_last_order = 0
_order_lock = threading.Lock()
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NAME_LENGTH = 60


@dataclass(frozen=True)
class OutboxEntry:
    """One kept job, as listed: its file, the job's name, and when and why it was kept."""

    path: Path
    name: str
    created: datetime
    server: str = ""
    error: str = ""


class Outbox:
    """A folder of jobs waiting to be sent."""

    def __init__(self, directory: PathLike) -> None:
        if not os.fspath(directory):
            raise ConfigError("No outbox folder is configured: set outbox_dir in the config.")
        self.directory = Path(directory).expanduser()

    @classmethod
    def from_config(cls, config: Config) -> Outbox:
        """The outbox at ``config.outbox_dir``."""
        return cls(config.outbox_dir)

    def put(self, job: Job, server: str = "", error: str = "") -> Path:
        """Keep ``job`` in a new file and return its path; an existing file is never replaced."""
        order = _next_order()
        created = datetime.fromtimestamp(order // 10**9).astimezone()
        document = job.to_dict()
        document["outbox"] = {
            "created": created.isoformat(),
            "order": order,
            "server": server,
            "error": error,
        }
        # ASCII escapes keep even undecodable text (surrogates) in a valid UTF-8 file.
        text = json.dumps(document, indent=1, ensure_ascii=True) + "\n"
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self._reserve(f"{created:%Y%m%d-%H%M%S}-{_file_stem(job.name)}")
        try:
            _write_atomically(path, text)
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return path

    def entries(self) -> list[OutboxEntry]:
        """The kept jobs, oldest first; an unreadable file is listed too, with its error."""
        if not self.directory.is_dir():
            return []
        found = sorted(
            _entry(path)
            for path in self.directory.glob("*.json")
            if not path.name.startswith(".") and path.stat().st_size > 0
        )
        return [entry for _order, _name, entry in found]

    def load(self, path: PathLike) -> Job:
        """The job kept in ``path``."""
        try:
            return Job.from_dict(_read(Path(path)))
        except (OSError, ValueError, TypeError) as error:
            raise AfanasyError(
                f"The outbox file {path} cannot be read ({error}). It was left where it is: "
                "open it to see the job, or drop it with: afcmd outbox drop PATH"
            ) from error

    def remove(self, path: PathLike) -> None:
        """Delete a kept job's file; refuses anything that is not a job file of this outbox."""
        target = Path(path).expanduser()
        inside = target.resolve().parent == self.directory.resolve()
        if not (inside and target.suffix == ".json" and target.is_file()):
            raise AfanasyError(
                f"{path} is not a job file of the outbox {self.directory}: nothing was removed."
            )
        target.unlink()

    def send_all(self, client: Client) -> list[tuple[Path, Union[SubmitResult, AfanasyError]]]:
        """Send every kept job, oldest first; each file is removed once its job has an id.

        Failed jobs stay. When the server cannot be reached at all, the rest are
        not tried (each would wait for the same connect timeout) and get that error.
        """
        results: list[tuple[Path, Union[SubmitResult, AfanasyError]]] = []
        entries = self.entries()
        for index, entry in enumerate(entries):
            try:
                result = client.submit(self.load(entry.path))
            except ServerUnreachable as error:
                results.extend((rest.path, error) for rest in entries[index:])
                break
            except AfanasyError as error:
                results.append((entry.path, error))
                continue
            try:
                self.remove(entry.path)
            except OSError as error:
                results.append((entry.path, _sent_but_kept(result, error)))
            else:
                results.append((entry.path, result))
        return results

    def _reserve(self, stem: str) -> Path:
        """A new, empty file named ``stem.json`` (or ``stem-2.json``...), created exclusively."""
        for number in range(1, 10_000):
            path = self.directory / (f"{stem}.json" if number == 1 else f"{stem}-{number}.json")
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                continue
            return path
        raise AfanasyError(f"The outbox {self.directory} has no free name left for {stem!r}.")


def deliver(job: Job, client: Client, outbox: Outbox) -> SubmitResult:
    """Send ``job``; when the farm cannot be reached or does not answer, keep it in the outbox.

    The error is raised again with ``outbox_path`` set, so its message says
    where the job is and how to send it later. An invalid or rejected job is
    not kept: it has to be fixed first.
    """
    try:
        return client.submit(job)
    except (ServerUnreachable, ServerTimeout) as error:
        try:
            kept = outbox.put(job, server=client.address, error=error.message)
        except OSError as write_error:
            raise type(error)(
                f"{error.message}\nThe job could not be kept in the outbox {outbox.directory} "
                f"either ({write_error}): submit it again when the farm is back."
            ) from write_error
        error.outbox_path = str(kept)
        raise


def _sent_but_kept(result: SubmitResult, error: OSError) -> AfanasyError:
    return AfanasyError(
        f"Sent as job {result.id}, but its outbox file could not be removed ({error}): "
        "remove it by hand, or it will be sent again."
    )


def _file_stem(job_name: str) -> str:
    """The job name as a portable file name part: ``shot 010/comp`` -> ``shot_010_comp``."""
    return _UNSAFE.sub("_", job_name).strip("._-")[:_NAME_LENGTH] or "job"


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the whole new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _read(path: Path) -> dict:
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("job"), dict):
        raise ValueError("it holds no job")
    return document


def _entry(path: Path) -> tuple[int, str, OutboxEntry]:
    """The entry for ``path`` with its sort keys: the order jobs were put in, then the name."""
    try:
        document = _read(path)
        record = document.get("outbox") or {}
        order = int(record["order"])
        created = datetime.fromisoformat(record["created"])
        server, error = str(record.get("server", "")), str(record.get("error", ""))
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as problem:
        order = path.stat().st_mtime_ns
        modified = datetime.fromtimestamp(order // 10**9).astimezone()
        return (
            order,
            path.name,
            OutboxEntry(path, path.stem, modified, error=f"unreadable: {problem}"),
        )
    name = str(document["job"].get("name", path.stem))
    return order, path.name, OutboxEntry(path, name, created, server, error)


def _next_order() -> int:
    """Nanoseconds since the epoch, rising with every call in this process.

    Jobs kept one after another are sent in the same order (a job that depends
    on another must not reach the farm before it), even within one clock tick.
    """
    global _last_order
    with _order_lock:
        _last_order = max(time.time_ns(), _last_order + 1)
        return _last_order
