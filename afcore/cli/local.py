"""``afsubmit --local``: a farm on this machine for one run, to try a job without a farm.

An embedded devserver with local workers takes the job, renders it, and is stopped again;
its store lives in a temporary folder. Path maps and the command prefix describe the real
farm, so they are left out: the worker runs on this machine, with this machine's paths.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from afcore.cli.progress import ProgressBar
from afcore.client import Client
from afcore.config import Config
from afcore.frames import FrameRange, substitute_frames
from afcore.job import Block, Job

#: Seconds between two looks at the jobs' progress.
POLL_INTERVAL = 0.2
#: Seconds without any change after which a job that does not start is explained.
STALL_SECONDS = 10.0


@dataclass(frozen=True)
class TaskFailure:
    """A task that failed for good (no retry left), and what it printed."""

    job_id: int
    block: int
    task: int
    output: str

    def __str__(self) -> str:
        return (
            f"Task {self.task} of block {self.block} of job {self.job_id} failed. "
            f"Its output:\n{self.output.rstrip()}"
        )


@contextmanager
def local_farm(config: Config, workers: int) -> Iterator[Config]:
    """Run a devserver with ``workers`` for the ``with`` block; yield the config that uses it."""
    from afcore.devserver import DevServer

    with tempfile.TemporaryDirectory(prefix="afsubmit-local-") as store:
        server = DevServer(workers=workers, store=os.path.join(store, "server"))
        server.start()
        try:
            yield dataclasses.replace(
                config,
                server_host="127.0.0.1",
                server_port=server.port,
                path_maps=[],
                cmd_prefix="",
                outbox_dir=os.path.join(store, "outbox"),
            )
        finally:
            server.stop()


@dataclass
class _Survey:
    """Where the jobs are: task counts, and the first task that failed for good."""

    done: int = 0
    total: int = 0
    running: int = 0
    failed: Optional[tuple[int, int, int]] = None


def _survey(client: Client, job_ids: Sequence[int]) -> _Survey:
    survey = _Survey()
    for job_id in job_ids:
        for block, tasks in enumerate(client.job_progress(job_id)):
            for task, progress in enumerate(tasks):
                words = set(str(progress.get("state", "")).split())
                if "ERR" in words and not words & {"RDY", "RUN"} and survey.failed is None:
                    survey.failed = (job_id, block, task)
                survey.total += 1
                survey.done += bool(words & {"DON", "SKP"})
                survey.running += "RUN" in words
    return survey


def wait_for_jobs(
    client: Client,
    job_ids: Sequence[int],
    bar: ProgressBar,
    poll: float = POLL_INTERVAL,
    stall: float = STALL_SECONDS,
) -> Optional[TaskFailure]:
    """Show progress until every task is done; the first task that failed for good, if any.

    A job that waits for something the local farm does not have (a host name its hosts mask
    wants, a job its depend mask names) never starts: after ``stall`` seconds without a change
    the user is told so, once, and can stop with Ctrl-C.
    """
    last_change, last_counts, warned = time.monotonic(), (-1, -1), False
    try:
        while True:
            survey = _survey(client, job_ids)
            if survey.failed:
                job_id, block, task = survey.failed
                return TaskFailure(job_id, block, task, client.task_output(job_id, block, task))
            bar.update(survey.done, survey.total, survey.running)
            if survey.done == survey.total:
                return None
            if (survey.done, survey.running) != last_counts:
                last_change, last_counts = time.monotonic(), (survey.done, survey.running)
            elif not (warned or survey.running) and time.monotonic() - last_change > stall:
                warned = True
                bar.note(
                    f"Nothing has started for {stall:.0f} s: does the job's hosts mask leave "
                    "out this machine, or its depend mask wait for a job that is not here? "
                    "Ctrl-C stops."
                )
            time.sleep(poll)
    finally:
        bar.finish()


def output_files(job: Job) -> list[str]:
    """The files the job's ``files`` patterns name that exist on disk, frame by frame."""
    found: list[str] = []
    for block in job.blocks:
        frames = _block_frames(block)
        for pattern in block.files:
            path = os.path.join(block.working_directory, pattern)
            candidates = [substitute_frames(path, frame, frame) for frame in frames]
            found += [
                candidate for candidate in dict.fromkeys(candidates) if os.path.exists(candidate)
            ]
    return found


def _block_frames(block: Block) -> list[int]:
    if not block.numeric or block.frame_first is None or block.frame_last is None:
        return [0]  # no frames: a pattern without tokens names one file
    return FrameRange(block.frame_first, block.frame_last, block.frames_inc or 1).frames()
