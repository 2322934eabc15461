"""The devserver's live objects: jobs with their blocks and task progress, users, the render.

A block keeps progress only for tasks that have been touched: a task missing
from :attr:`BlockRun.tasks` is ready and never started. So a 100,000-frame job
costs a few hundred bytes until its tasks run.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Iterator, Optional

from afcore.job import Block, Job

from .states import DONE, ERROR, READY, RUNNING, SKIPPED


class TaskRun:
    """One task's progress as ``"progress"`` replies show it: state, starts, errors, times, host."""

    __slots__ = ("errors", "host", "starts", "state", "time_done", "time_start")

    def __init__(
        self,
        state: int = READY,
        starts: int = 0,
        errors: int = 0,
        time_start: int = 0,
        time_done: int = 0,
        host: str = "",
    ) -> None:
        self.state, self.starts, self.errors = state, starts, errors
        self.time_start, self.time_done, self.host = time_start, time_done, host

    @property
    def category(self) -> int:
        """READY, RUNNING, DONE or ERROR: which counter of its block the task is in."""
        for bit in (RUNNING, ERROR, DONE):
            if self.state & bit:
                return bit
        return READY


#: The progress of every untouched task (never modified).
FRESH = TaskRun()


class BlockRun:
    """A block on the farm: its spec (a normalised :class:`Block`) and its tasks' progress."""

    def __init__(self, spec: Block, number: int) -> None:
        self.spec = spec
        self.number = number
        self.tasks_num = spec.task_count()
        self.tasks: dict[int, TaskRun] = {}
        self.counts = {READY: self.tasks_num, RUNNING: 0, DONE: 0, ERROR: 0}
        self.skipped = 0
        self.time_started = 0
        self.time_done = 0
        self.run_times: list[int] = []  # [min, max, sum] over done tasks, once one is done
        self.error_hosts: dict[str, int] = {}
        # Every task below the cursor was handed out since the last full reset; ready
        # ones among them (retries, restarted tasks) wait in the heap.
        self._cursor = 0
        self._requeued: list[int] = []

    @property
    def done(self) -> bool:
        return self.counts[DONE] == self.tasks_num

    def progress(self, number: int) -> TaskRun:
        return self.tasks.get(number, FRESH)

    def touch(self, number: int) -> TaskRun:
        """The task's own progress record, created (ready) on first use."""
        task = self.tasks.get(number)
        if task is None:
            task = self.tasks[number] = TaskRun()
        return task

    def set_state(self, number: int, state: int) -> TaskRun:
        """Move a task to ``state``, keeping the block's counters and ready queue right."""
        task = self.touch(number)
        self.counts[task.category] -= 1
        self.skipped -= bool(task.state & SKIPPED)
        task.state = state
        self.counts[task.category] += 1
        self.skipped += bool(task.state & SKIPPED)
        if task.category == READY:
            heapq.heappush(self._requeued, number)
        return task

    def reset(self, numbers: Optional[list[int]] = None) -> None:
        """Make tasks fresh again (all of them when ``numbers`` is None), as a restart does."""
        if numbers is None:
            self.tasks.clear()
            self.counts = {READY: self.tasks_num, RUNNING: 0, DONE: 0, ERROR: 0}
            self.skipped = 0
            self._cursor, self._requeued = 0, []
            self.time_started = self.time_done = 0
            self.run_times, self.error_hosts = [], {}
            return
        for number in numbers:
            task = self.tasks.pop(number, None)
            if task is not None:
                self.counts[task.category] -= 1
                self.skipped -= bool(task.state & SKIPPED)
                self.counts[READY] += 1
                heapq.heappush(self._requeued, number)
        self.time_done = 0

    def first_ready(self) -> Optional[int]:
        """The lowest ready task, cheaply (no sort of the retry queue)."""
        self._drop_stale()
        candidates = [self._requeued[0]] if self._requeued else []
        fresh = self._first_fresh()
        if fresh is not None:
            candidates.append(fresh)
        return min(candidates) if candidates else None

    def ready_tasks(self) -> Iterator[int]:
        """Every ready task: retried and restarted ones first, then never started ones, in order."""
        self._drop_stale()
        seen: set[int] = set()
        for number in sorted(set(self._requeued)):
            if self.progress(number).category == READY:
                seen.add(number)
                yield number
        start = self._first_fresh()
        for number in range(self.tasks_num if start is None else start, self.tasks_num):
            if number not in self.tasks and number not in seen:
                yield number

    def _drop_stale(self) -> None:
        while self._requeued and self.progress(self._requeued[0]).category != READY:
            heapq.heappop(self._requeued)

    def _first_fresh(self) -> Optional[int]:
        while self._cursor in self.tasks:
            self._cursor += 1
        return self._cursor if self._cursor < self.tasks_num else None

    def record_run_time(self, seconds: int) -> None:
        if not self.run_times:
            self.run_times = [seconds, seconds, 0]
        self.run_times[0] = min(self.run_times[0], seconds)
        self.run_times[1] = max(self.run_times[1], seconds)
        self.run_times[2] += seconds


class ServerJob:
    """A registered job: the submitted spec (edited in place by actions) plus its run state."""

    def __init__(self, job_id: int, serial: int, spec: Job) -> None:
        self.id = job_id
        self.serial = serial
        self.spec = spec
        self.blocks = [BlockRun(block, number) for number, block in enumerate(spec.blocks)]
        self.offline = spec.offline
        self.time_started = 0
        self.time_done = 0
        self.log: list[str] = []
        #: True while the job's pre commands run: no task starts before they end.
        self.pre_pending = False

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def done(self) -> bool:
        return all(block.done for block in self.blocks)


@dataclass
class User:
    """A farm user, created when they first submit, with afserver's defaults."""

    id: int
    name: str
    host_name: str = ""
    priority: int = 99
    time_register: int = 0
    time_activity: int = 0
    errors_retries: int = 3
    errors_avoid_host: int = 3
    errors_task_same_host: int = 3
    errors_forgive_time: int = 18000


@dataclass
class Render:
    """The devserver's local worker, shown as one render named after the host."""

    name: str
    user_name: str
    time_register: int
    online: bool = False
    nimby: bool = False
    nimby_all: bool = False
    task_finish_time: int = 0
    tasks_log: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    id: int = 1
