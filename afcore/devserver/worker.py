"""The local render: threads that run the farm's tasks as shell commands, like afrender.

Each task runs as ``/bin/sh -c COMMAND`` (``cmd.exe /c`` on Windows) in its
block's working directory, with the block's (and task's) environment on top of
the devserver's, in a process group of its own. Its output (stdout and stderr)
goes to a file, so a chatty task cannot fill memory and its output can be read
while it runs. A stop, restart or deletion signals the group (SIGTERM, SIGKILL
two seconds later); every process is waited for, so none is left a zombie.

The pool also runs the commands afserver runs around jobs: ``command_pre`` of
the job and its blocks when a job arrives (its tasks wait for them), and
``command_post`` when a job is deleted (after its running tasks have ended).
"""

from __future__ import annotations

import itertools
import logging
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Optional

from .farm import OUTPUT_LIMIT, Assignment, Farm
from .model import ServerJob

log = logging.getLogger("afcore.devserver")

#: Seconds between SIGTERM and SIGKILL when a run must end.
GRACE_SECONDS = 2.0
_POLL_SECONDS = 0.1
#: Windows' way to give a task a process group of its own (0, no flag, elsewhere).
_NEW_PROCESS_GROUP = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)


class WorkerPool:
    """``count`` worker threads for ``farm``; also the farm's listener for pre and post commands."""

    def __init__(self, farm: Farm, count: int) -> None:
        self._farm = farm
        self._stopping = threading.Event()
        self._scratch = tempfile.TemporaryDirectory(prefix="afcore-devserver-")
        self._threads = [
            threading.Thread(target=self._work, name=f"devserver-worker-{n}", daemon=True)
            for n in range(count)
        ]
        self._helpers: list[threading.Thread] = []
        self._run_numbers = itertools.count(1)
        farm.listener = self

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """End every run (tasks become ready again), wait for all threads, remove scratch files."""
        self._stopping.set()
        self._farm.take_render_offline()
        for thread in [*self._threads, *self._helpers]:
            thread.join(timeout=GRACE_SECONDS + 5)
        self._scratch.cleanup()

    # -- tasks -----------------------------------------------------------------------------

    def _work(self) -> None:
        while not self._stopping.is_set():
            assignment = self._farm.claim()
            if assignment is None:
                self._farm.wait_for_change(0.5)
                continue
            try:
                status, output = self._run_task(assignment)
                self._farm.finish(assignment, status, output)
            except Exception:  # a worker thread must outlive any one task
                log.exception("devserver worker: task %s failed to run", assignment.key)
            finally:
                assignment.finished.set()

    def _run_task(self, assignment: Assignment) -> tuple[int, bytes]:
        directory = assignment.working_directory or None
        if directory and not os.path.isdir(directory):
            return 1, f"devserver: no working directory {directory!r}\n".encode()
        environment = {**os.environ, **assignment.environment}
        output = self._output_file()
        assignment.output_path = output
        try:
            status = run_command(
                assignment.command,
                directory,
                environment,
                output,
                assignment.cancelled,
                assignment.max_run_time,
            )
        except (OSError, ValueError) as problem:  # bad environment names, NUL bytes, ...
            return 1, f"devserver: cannot start the command: {problem}\n".encode()
        data = read_output(output)
        output.unlink()
        if status is None:
            limit = assignment.max_run_time
            return -1, data + f"\ndevserver: stopped after task_max_run_time {limit}s\n".encode()
        return status, data

    def _output_file(self) -> Path:
        return Path(self._scratch.name) / f"run-{next(self._run_numbers)}.out"

    # -- pre and post commands -------------------------------------------------------------

    def job_submitted(self, job: ServerJob) -> None:
        commands = _commands(job, "command_pre")
        if commands:
            job.pre_pending = True
            self._helper(self._run_pre, job, commands)

    def job_deleted(self, job: ServerJob, stopped: list[Assignment]) -> None:
        commands = _commands(job, "command_post")
        if commands:
            self._helper(self._run_post, job, commands, stopped)

    def _helper(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._helpers = [helper for helper in self._helpers if helper.is_alive()] + [thread]
        thread.start()

    def _run_pre(self, job: ServerJob, commands: list[tuple[str, str]]) -> None:
        try:
            for command, directory in commands:
                status = self._run_helper(command, directory)
                self._farm.note(job, f"Pre command executed (exit status {status}):\n{command}")
        finally:
            self._farm.pre_commands_done(job)

    def _run_post(
        self, job: ServerJob, commands: list[tuple[str, str]], stopped: list[Assignment]
    ) -> None:
        for assignment in stopped:
            assignment.finished.wait(GRACE_SECONDS + 5)
        for command, directory in commands:
            status = self._run_helper(command, directory)
            log.info("job %r deleted: post command exit status %s: %s", job.name, status, command)

    def _run_helper(self, command: str, directory: str) -> Optional[int]:
        output = self._output_file()
        cwd = directory if directory and os.path.isdir(directory) else None
        try:
            return run_command(command, cwd, dict(os.environ), output, self._stopping)
        except (OSError, ValueError) as problem:
            log.warning("devserver: cannot run %r: %s", command, problem)
            return None
        finally:
            output.unlink(missing_ok=True)


def _commands(job: ServerJob, kind: str) -> list[tuple[str, str]]:
    """The job's and its blocks' pre or post commands, each with its working directory."""
    first_directory = job.blocks[0].spec.working_directory if job.blocks else ""
    commands = [(getattr(job.spec, kind), first_directory)]
    commands += [(getattr(block.spec, kind), block.spec.working_directory) for block in job.blocks]
    return [(command, directory) for command, directory in commands if command]


def run_command(
    command: str,
    directory: Optional[str],
    environment: dict[str, str],
    output: Path,
    cancel: threading.Event,
    max_run_time: int = 0,
) -> Optional[int]:
    """Run ``command`` through the shell until it exits; its exit status (negative: a signal).

    ``cancel`` ends it early; so does ``max_run_time`` (seconds, 0: no limit), in
    which case the result is None.
    """
    with output.open("wb") as sink:
        process = subprocess.Popen(
            command,
            shell=True,
            cwd=directory,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=os.name != "nt",  # a process group of its own, to signal it all
            creationflags=_NEW_PROCESS_GROUP,
        )
    started = time.monotonic()
    signalled: Optional[float] = None
    overdue = False
    while True:
        try:
            status = process.wait(timeout=_POLL_SECONDS)
            return None if overdue else status
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if signalled is None:
            overdue = bool(max_run_time) and now - started > max_run_time
            if cancel.is_set() or overdue:
                _signal(process, hard=False)
                signalled = now
        elif now - signalled > GRACE_SECONDS:
            _signal(process, hard=True)


def read_output(path: Path) -> bytes:
    """A run's output, its last :data:`OUTPUT_LIMIT` bytes when longer (errors are at the end)."""
    with path.open("rb") as stream:
        size = stream.seek(0, os.SEEK_END)
        stream.seek(max(size - OUTPUT_LIMIT, 0))
        data = stream.read()
    if size > OUTPUT_LIMIT:
        return b"[devserver: %d earlier bytes left out]\n" % (size - OUTPUT_LIMIT) + data
    return data


def _signal(process: subprocess.Popen[bytes], hard: bool) -> None:
    """Ask the whole process group to end (SIGTERM), or make it (SIGKILL)."""
    try:
        if os.name == "nt":
            process.kill() if hard else process.terminate()
        else:
            os.killpg(process.pid, signal.SIGKILL if hard else signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
