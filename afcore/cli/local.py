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
from afcore.job import Job

#: Seconds between two looks at the jobs' progress.
POLL_INTERVAL = 0.2


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


def wait_for_jobs(
    client: Client, job_ids: Sequence[int], bar: ProgressBar, poll: float = POLL_INTERVAL
) -> Optional[TaskFailure]:
    """Show progress until every task is done; the first task that failed for good, if any."""
    try:
        while True:
            done = total = running = 0
            for job_id in job_ids:
                for block, tasks in enumerate(client.job_progress(job_id)):
                    for task, progress in enumerate(tasks):
                        words = set(str(progress.get("state", "")).split())
                        if "ERR" in words and not words & {"RDY", "RUN"}:
                            return TaskFailure(
                                job_id, block, task, client.task_output(job_id, block, task)
                            )
                        total += 1
                        done += bool(words & {"DON", "SKP"})
                        running += "RUN" in words
            bar.update(done, total, running)
            if done == total:
                return None
            time.sleep(poll)
    finally:
        bar.finish()


def output_files(job: Job) -> list[str]:
    """The files the job's ``files`` patterns name that exist on disk, frame by frame."""
    found: list[str] = []
    for block in job.blocks:
        frames = _block_frames(block.frame_first, block.frame_last, block.frames_inc, block.numeric)
        for pattern in block.files:
            path = os.path.join(block.working_directory, pattern)
            candidates = [substitute_frames(path, frame, frame) for frame in frames]
            found += [
                candidate for candidate in dict.fromkeys(candidates) if os.path.exists(candidate)
            ]
    return found


def _block_frames(
    first: Optional[int], last: Optional[int], step: Optional[int], numeric: bool
) -> list[int]:
    if not numeric or first is None or last is None:
        return [0]  # no frames: a pattern without tokens names one file
    return FrameRange(first, last, step or 1).frames()
