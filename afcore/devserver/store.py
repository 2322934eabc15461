"""Where the devserver keeps jobs across restarts: one SQLite file in the store folder.

Text goes in as ASCII-escaped JSON so that anything a client sent, even
invalid UTF-8 (kept as surrogate escapes), comes back unchanged. Only touched
tasks have a row. Without a folder the database lives in memory. Callers
serialise access (the farm holds its lock around every call).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, Iterator, Optional, Union

FILE_NAME = "devserver.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, doc BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY, serial INTEGER NOT NULL, spec BLOB NOT NULL, run BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
    job INTEGER, block INTEGER, task INTEGER, state INTEGER, starts INTEGER, errors INTEGER,
    time_start INTEGER, time_done INTEGER, host BLOB, PRIMARY KEY (job, block, task));
CREATE TABLE IF NOT EXISTS outputs (
    job INTEGER, block INTEGER, task INTEGER, run INTEGER, data BLOB,
    PRIMARY KEY (job, block, task, run));
"""

TaskRow = tuple[int, int, int, int, int, int, int, str]  # block, task, state, starts, errors, ...


def encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def decode(blob: bytes) -> Any:
    return json.loads(blob.decode("ascii"))


class Store:
    """The devserver's database: meta values, users, jobs, touched tasks and task outputs."""

    def __init__(self, folder: Union[str, Path, None] = None) -> None:
        if folder is None:
            target = ":memory:"
        else:
            Path(folder).mkdir(parents=True, exist_ok=True)
            target = str(Path(folder) / FILE_NAME)
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return default if row is None else decode(row[0])

    def set_meta(self, key: str, value: Any) -> None:
        self._db.execute("REPLACE INTO meta VALUES (?, ?)", (key, encode(value)))

    def save_user(self, user_id: int, doc: dict[str, Any]) -> None:
        self._db.execute("REPLACE INTO users VALUES (?, ?)", (user_id, encode(doc)))

    def users(self) -> Iterator[dict[str, Any]]:
        for (doc,) in self._db.execute("SELECT doc FROM users ORDER BY id"):
            yield decode(doc)

    def save_job(self, job_id: int, serial: int, spec: dict[str, Any], run: dict[str, Any]) -> None:
        self._db.execute(
            "REPLACE INTO jobs VALUES (?, ?, ?, ?)", (job_id, serial, encode(spec), encode(run))
        )

    def save_job_run(self, job_id: int, run: dict[str, Any]) -> None:
        self._db.execute("UPDATE jobs SET run=? WHERE id=?", (encode(run), job_id))

    def jobs(self) -> Iterator[tuple[int, int, dict[str, Any], dict[str, Any]]]:
        for job_id, serial, spec, run in self._db.execute("SELECT * FROM jobs ORDER BY id"):
            yield job_id, serial, decode(spec), decode(run)

    def delete_job(self, job_id: int) -> None:
        for table in ("jobs", "tasks", "outputs"):
            key = "id" if table == "jobs" else "job"
            self._db.execute(f"DELETE FROM {table} WHERE {key}=?", (job_id,))

    def save_task(
        self, job_id: int, block: int, task: int, fields: tuple[int, int, int, int, int, str]
    ) -> None:
        state, starts, errors, time_start, time_done, host = fields
        self._db.execute(
            "REPLACE INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (job_id, block, task, state, starts, errors, time_start, time_done, encode(host)),
        )

    def delete_tasks(self, job_id: int, block: int, tasks: Optional[list[int]] = None) -> None:
        """Forget the progress and outputs of some tasks of a block (all when ``tasks`` is None)."""
        for table in ("tasks", "outputs"):
            if tasks is None:
                self._db.execute(f"DELETE FROM {table} WHERE job=? AND block=?", (job_id, block))
            else:
                self._db.executemany(
                    f"DELETE FROM {table} WHERE job=? AND block=? AND task=?",
                    [(job_id, block, task) for task in tasks],
                )

    def tasks(self, job_id: int) -> Iterator[TaskRow]:
        query = "SELECT block, task, state, starts, errors, time_start, time_done, host FROM tasks"
        for *numbers, host in self._db.execute(query + " WHERE job=?", (job_id,)):
            yield (*numbers, decode(host))  # type: ignore[misc]

    def save_output(self, job_id: int, block: int, task: int, run: int, data: bytes) -> None:
        """Keep the output of a task's run (0: its first)."""
        row = (job_id, block, task, run, data)
        self._db.execute("REPLACE INTO outputs VALUES (?, ?, ?, ?, ?)", row)

    def output(self, job_id: int, block: int, task: int, run: Optional[int]) -> Optional[bytes]:
        """The output of a task's run, its latest when ``run`` is None."""
        query = "SELECT data FROM outputs WHERE job=? AND block=? AND task=?"
        if run is None:
            cursor = self._db.execute(query + " ORDER BY run DESC", (job_id, block, task))
        else:
            cursor = self._db.execute(query + " AND run=?", (job_id, block, task, run))
        row = cursor.fetchone()
        return None if row is None else bytes(row[0])
