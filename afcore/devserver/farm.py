"""The farm: jobs, users and the one local render behind one lock, kept in the store.

Requests read and change it (submissions, actions); the worker asks it for the
next task (:meth:`Farm.claim`) and reports back (:meth:`Farm.finish`). Each
change is written to the store as it happens, so a restarted devserver carries on
where it stopped (a task that was running is ready again, as afserver does).
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Protocol

from afcore.job import Job

from . import taskgen
from .intake import read_job
from .masks import full_match
from .model import BlockRun, Render, ServerJob, TaskRun, User
from .states import DONE, ERROR, OFFLINE, READY, RUNNING, SKIPPED, WAITDEP, WAITTIME
from .store import Store

SYSTEM_JOB_ID = 1
SYSTEM_USER = "afadmin"
DEFAULT_PRIORITY = 99
#: How many ready tasks of a block with a tasks depend mask are tried per claim.
TASK_LOOKAHEAD = 256
_LOG_LINES = 200
#: The most output kept of one task run (its end, where errors are).
OUTPUT_LIMIT = 4 * 1024 * 1024

_RunFilter = Callable[[tuple[int, int, int]], bool]


@dataclass
class Assignment:
    """A task handed to the worker: what to run, and the events tying the run to the farm."""

    job_id: int
    block: int
    task: int
    name: str
    command: str
    working_directory: str
    environment: dict[str, str]
    max_run_time: int = 0
    #: Set by the farm when the run must end (stop, restart, deletion, shutdown).
    cancelled: threading.Event = field(default_factory=threading.Event)
    #: Set by the worker once the process is gone.
    finished: threading.Event = field(default_factory=threading.Event)
    #: Where the worker writes the output while the task runs.
    output_path: Optional[Path] = None

    @property
    def key(self) -> tuple[int, int, int]:
        return self.job_id, self.block, self.task


class FarmListener(Protocol):
    """What the worker pool hears about: pre commands to run, post commands after deletion."""

    def job_submitted(self, job: ServerJob) -> None: ...

    def job_deleted(self, job: ServerJob, stopped: list[Assignment]) -> None: ...


class Farm:
    """All the devserver's state; every public method takes the lock itself."""

    def __init__(self, store: Store, render: Render) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.store = store
        self.render = render
        self.listener: Optional[FarmListener] = None
        self.jobs: dict[int, ServerJob] = {}
        self.users: dict[int, User] = {}
        self.running: dict[tuple[int, int, int], Assignment] = {}
        self.started_at = self.now()
        self._serial = 0
        self._load()

    def now(self) -> int:
        return int(time.time())

    # -- submissions and users -------------------------------------------------------------

    def submit(self, spec: Job) -> ServerJob:
        """Register an accepted job: a free id (ids are reused), the next serial (never reused)."""
        with self.lock:
            user = self._user_for(spec.user_name, spec.host_name)
            user.time_activity = self.now()
            self._save_user(user)
            job_id = next(n for n in itertools.count(SYSTEM_JOB_ID + 1) if n not in self.jobs)
            self._serial += 1
            self.store.set_meta("serial", self._serial)
            job = ServerJob(job_id, self._serial, spec)
            self.jobs[job_id] = job
            self.log(job, "Initialized.")
            self.store.save_job(job_id, job.serial, spec.to_dict()["job"], self._run_doc(job))
            if self.listener is not None:
                self.listener.job_submitted(job)
            self.changed.notify_all()
            return job

    def user_named(self, name: str) -> Optional[User]:
        return next((user for user in self.users.values() if user.name == name), None)

    def user_jobs(self, user_name: str) -> list[ServerJob]:
        """A user's jobs in submission order (their ``user_list_order``)."""
        jobs = [job for job in self.jobs.values() if job.spec.user_name == user_name]
        return sorted(jobs, key=lambda job: job.serial)

    def _user_for(self, name: str, host_name: str) -> User:
        user = self.user_named(name)
        if user is None:
            user_id = next(n for n in itertools.count(1) if n not in self.users)
            now = self.now()
            user = self.users[user_id] = User(user_id, name, time_register=now, time_activity=now)
        if host_name:
            user.host_name = host_name
        return user

    # -- states ----------------------------------------------------------------------------

    def block_state(self, job: ServerJob, block: BlockRun) -> int:
        st = DONE if block.done else 0
        for bit in (RUNNING, ERROR, READY):
            if block.counts[bit]:
                st |= bit
        if block.skipped:
            st |= SKIPPED
        if st & READY and self._block_waits(job, block):
            st = (st | WAITDEP) & ~READY
        return st

    def job_state(self, job: ServerJob) -> int:
        st = DONE if job.done else 0
        for block in job.blocks:
            st |= self.block_state(job, block) & (RUNNING | ERROR | READY | SKIPPED)
        if job.offline:
            st |= OFFLINE
        if not st & DONE:
            if self._job_waits(job):
                st = (st | WAITDEP) & ~READY
            if (job.spec.time_wait or 0) > self.now():
                st = (st | WAITTIME) & ~READY
        return st

    def _block_waits(self, job: ServerJob, block: BlockRun) -> bool:
        mask = block.spec.depend_mask
        return bool(mask) and any(
            other is not block and not other.done and full_match(mask, other.spec.name)
            for other in job.blocks
        )

    def _job_waits(self, job: ServerJob) -> bool:
        """Whether a job its depend mask (same user) or global mask (anyone) matches is not done."""
        local, anyone = job.spec.depend_mask, job.spec.depend_mask_global
        if not (local or anyone):
            return False
        for other in self.jobs.values():
            if other is job or other.done:
                continue
            same_user = other.spec.user_name == job.spec.user_name
            if local and same_user and full_match(local, other.name):
                return True
            if anyone and full_match(anyone, other.name):
                return True
        return False

    # -- the worker's side -----------------------------------------------------------------

    def claim(self) -> Optional[Assignment]:
        """The next task the local render should run, marked running; None when nothing may run."""
        with self.lock:
            render = self.render
            if not render.online or render.nimby_all:
                return None
            order = sorted(self.jobs.values(), key=lambda job: (-self.priority(job), job.serial))
            for job in order:
                if not self._job_may_start(job):
                    continue
                for block in job.blocks:
                    number = self._startable_task(job, block)
                    if number is not None:
                        return self._start(job, block, number)
            return None

    def wait_for_change(self, timeout: float) -> None:
        with self.changed:
            self.changed.wait(timeout)

    def finish(self, assignment: Assignment, status: int, output: bytes) -> None:
        """Record a run's end: done on status 0, else an error (ready again while retries last)."""
        with self.lock:
            if self.running.get(assignment.key) is not assignment:
                return  # stopped, restarted or deleted meanwhile: the result no longer counts
            del self.running[assignment.key]
            job = self.jobs[assignment.job_id]
            block = job.blocks[assignment.block]
            task = block.progress(assignment.task)
            now = self.now()
            run = task.starts - 1
            self.store.save_output(job.id, block.number, assignment.task, run, output)
            if status == 0:
                block.set_state(assignment.task, DONE)
                block.record_run_time(now - task.time_start)
            else:
                task.errors += 1
                block.error_hosts[task.host] = block.error_hosts.get(task.host, 0) + 1
                retries = self._retries(job, block)
                block.set_state(assignment.task, ERROR if task.errors > retries else READY)
                self.log(
                    job,
                    f"Task[{block.number}][{assignment.task}] {assignment.name}: exit status "
                    f"{status}, error {task.errors}, {retries} retries allowed",
                )
            task.time_done = now
            self._after_progress(job, block, now)
            self.render.task_finish_time = now
            self.render.tasks_log.append(
                f"{self._stamp()}: {job.name}[{block.spec.name}]"
                f" {assignment.name}: exit status {status}"
            )
            del self.render.tasks_log[:-_LOG_LINES]
            self._save_task(job, block, assignment.task)
            self.changed.notify_all()

    def take_render_offline(self) -> list[Assignment]:
        """The local render stops (shutdown, ``exit``): no new task, running ones ready again."""
        with self.lock:
            self.render.online = False
            stopped = self._stop_runs(lambda key: True, ready=True)
            self.changed.notify_all()
            return stopped

    def task_output(self, job: ServerJob, block: int, task: int, run: Optional[int]) -> str:
        """The output of a task's run (None: the latest), live from the worker's file if it runs."""
        with self.lock:
            assignment = self.running.get((job.id, block, task))
            data = self.store.output(job.id, block, task, run) or b""
            latest = run is None or run == job.blocks[block].progress(task).starts - 1
            if latest and assignment is not None and assignment.output_path is not None:
                try:
                    data = assignment.output_path.read_bytes()[-OUTPUT_LIMIT:]
                except OSError:
                    data = b""
            return data.decode("utf-8", "surrogateescape")

    def task_log(self, job: ServerJob, block: int, task: int) -> str:
        """The lines of the job's log about one task (its errors and retries)."""
        marker = f"Task[{block}][{task}] "
        return "\n".join(line for line in job.log if marker in line)

    def note(self, job: ServerJob, text: str) -> None:
        """Add a line to a job's log from outside a request (the worker's pre commands)."""
        with self.lock:
            self.log(job, text)
            if self.jobs.get(job.id) is job:
                self.store.save_job_run(job.id, self._run_doc(job))

    def note_render(self, text: str) -> None:
        with self.lock:
            self.render.log.append(f"{self._stamp()}: {text}")
            del self.render.log[:-_LOG_LINES]

    def pre_commands_done(self, job: ServerJob) -> None:
        with self.lock:
            job.pre_pending = False
            self.changed.notify_all()

    def priority(self, job: ServerJob) -> int:
        return DEFAULT_PRIORITY if job.spec.priority is None else job.spec.priority

    def _retries(self, job: ServerJob, block: BlockRun) -> int:
        """The block's ``errors_retries`` when set, else the user's (afserver's default: 3)."""
        if block.spec.errors_retries is not None and block.spec.errors_retries >= 0:
            return block.spec.errors_retries
        user = self.user_named(job.spec.user_name)
        return 3 if user is None else user.errors_retries

    def _job_may_start(self, job: ServerJob) -> bool:
        render, spec = self.render, job.spec
        if job.offline or job.pre_pending or job.done or self.priority(job) == 0:
            return False
        if render.nimby and spec.user_name != render.user_name and not spec.ignorenimby:
            return False
        if not _hosts_allow(spec.hosts_mask, spec.hosts_mask_exclude, render.name):
            return False
        running = sum(1 for key in self.running if key[0] == job.id)
        limits = (spec.max_running_tasks, spec.max_running_tasks_per_host)
        if any(limit is not None and 0 <= limit <= running for limit in limits):
            return False
        return not self._job_waits(job) and (spec.time_wait or 0) <= self.now()

    def _startable_task(self, job: ServerJob, block: BlockRun) -> Optional[int]:
        spec = block.spec
        if not block.counts[READY] or self._block_waits(job, block):
            return None
        limits = (spec.max_running_tasks, spec.max_running_tasks_per_host)
        if any(limit is not None and 0 <= limit <= block.counts[RUNNING] for limit in limits):
            return None
        if not _hosts_allow(spec.hosts_mask, spec.hosts_mask_exclude, self.render.name):
            return None
        if not spec.tasks_depend_mask:
            return block.first_ready()
        sources = [
            other
            for other in job.blocks
            if other is not block and full_match(spec.tasks_depend_mask, other.spec.name)
        ]
        candidates = itertools.islice(block.ready_tasks(), TASK_LOOKAHEAD)
        return next((n for n in candidates if _frames_done(block, n, sources)), None)

    def _start(self, job: ServerJob, block: BlockRun, number: int) -> Assignment:
        now = self.now()
        task = block.set_state(number, RUNNING)
        task.starts += 1
        task.time_start, task.time_done, task.host = now, 0, self.render.name
        block.time_started = block.time_started or now
        if not job.time_started:
            job.time_started = now
            self.log(job, "Started.")
        environment = dict(block.spec.environment)
        if not block.spec.numeric:
            environment.update(block.spec.tasks[number].environment)
        assignment = Assignment(
            job.id,
            block.number,
            number,
            name=taskgen.task_name(block.spec, number),
            command=taskgen.task_command(block.spec, number),
            working_directory=block.spec.working_directory,
            environment=environment,
            max_run_time=block.spec.task_max_run_time or 0,
        )
        self.running[assignment.key] = assignment
        self._save_task(job, block, number)
        return assignment

    def _after_progress(self, job: ServerJob, block: BlockRun, now: int) -> None:
        if block.done and not block.time_done:
            block.time_done = now
        if job.done and not job.time_done:
            job.time_done = now
            self.log(job, "Done.")
        self.store.save_job_run(job.id, self._run_doc(job))

    # -- actions ---------------------------------------------------------------------------

    def set_offline(self, job: ServerJob, offline: bool) -> None:
        with self.lock:
            job.offline = offline
            self.job_changed(job)

    def restart(
        self, job: ServerJob, which: str, blocks: Iterable[int], tasks: Optional[list[int]] = None
    ) -> None:
        """Restart tasks: ``all`` or ``errors`` become fresh; ``running`` ones are ready again."""
        with self.lock:
            for block in _selected(job, blocks):
                chosen = _runs_of(job.id, block.number, tasks)
                if which != "errors":  # error tasks are not running: leave running ones be
                    self._stop_runs(chosen, ready=which == "running")
                if which == "running":
                    continue
                numbers = tasks
                if which == "errors":
                    numbers = [
                        number
                        for number, task in block.tasks.items()
                        if task.category == ERROR and (tasks is None or number in tasks)
                    ]
                block.reset(numbers)
                self.store.delete_tasks(job.id, block.number, numbers)
            job.time_done = 0
            if not any(block.tasks for block in job.blocks):
                job.time_started = 0
            self.job_changed(job)

    def skip(
        self, job: ServerJob, blocks: Iterable[int], tasks: Optional[list[int]] = None
    ) -> None:
        """Mark tasks done without running them (their state shows SKP)."""
        with self.lock:
            now = self.now()
            for block in _selected(job, blocks):
                numbers = range(block.tasks_num) if tasks is None else tasks
                for number in numbers:
                    if 0 <= number < block.tasks_num and block.progress(number).category == READY:
                        block.set_state(number, DONE | SKIPPED).time_done = now
                        self._save_task(job, block, number)
                self._after_progress(job, block, now)
            self.changed.notify_all()

    def delete(self, job: ServerJob) -> None:
        """Remove a job: its running tasks stop and its post commands go to the worker."""
        with self.lock:
            stopped = self._stop_runs(lambda key: key[0] == job.id, ready=False)
            del self.jobs[job.id]
            self.store.delete_job(job.id)
            if self.listener is not None:
                self.listener.job_deleted(job, stopped)
            self.changed.notify_all()

    def job_changed(self, job: ServerJob) -> None:
        """Persist a job whose spec or run state an action edited, and wake the worker."""
        with self.lock:
            self.store.save_job(job.id, job.serial, job.spec.to_dict()["job"], self._run_doc(job))
            self.changed.notify_all()

    def user_changed(self, user: User) -> None:
        with self.lock:
            self._save_user(user)
            self.changed.notify_all()

    def render_changed(self) -> None:
        with self.lock:
            flags = {"nimby": self.render.nimby, "NIMBY": self.render.nimby_all}
            self.store.set_meta("render", flags)
            self.changed.notify_all()

    def log(self, job: ServerJob, text: str) -> None:
        job.log.append(f"{self._stamp()}: devserver: {text}")
        del job.log[:-_LOG_LINES]

    def _stop_runs(self, chosen: _RunFilter, ready: bool) -> list[Assignment]:
        stopped = [self.running.pop(key) for key in list(self.running) if chosen(key)]
        for assignment in stopped:
            assignment.cancelled.set()
            job = self.jobs.get(assignment.job_id)
            if ready and job is not None:
                job.blocks[assignment.block].set_state(assignment.task, READY)
                self._save_task(job, job.blocks[assignment.block], assignment.task)
        return stopped

    # -- persistence -----------------------------------------------------------------------

    def _stamp(self) -> str:
        return time.strftime("%a %d %b %H:%M.%S", time.localtime(self.now()))

    def _save_user(self, user: User) -> None:
        self.store.save_user(user.id, vars(user))

    def _save_task(self, job: ServerJob, block: BlockRun, number: int) -> None:
        task = block.progress(number)
        fields = (task.state, task.starts, task.errors, task.time_start, task.time_done, task.host)
        self.store.save_task(job.id, block.number, number, fields)

    @staticmethod
    def _run_doc(job: ServerJob) -> dict[str, Any]:
        return {
            "offline": job.offline,
            "time_started": job.time_started,
            "time_done": job.time_done,
            "log": job.log,
            "blocks": [
                [block.time_started, block.time_done, block.run_times, block.error_hosts]
                for block in job.blocks
            ],
        }

    def _load(self) -> None:
        for doc in self.store.users():
            self.users[doc["id"]] = User(**doc)
        if self.user_named(SYSTEM_USER) is None:
            self._save_user(self._user_for(SYSTEM_USER, ""))
        self._serial = self.store.get_meta("serial", 0)
        render = self.store.get_meta("render", {})
        self.render.nimby = render.get("nimby", False)
        self.render.nimby_all = render.get("NIMBY", False)
        for job_id, serial, spec_doc, run in self.store.jobs():
            spec = read_job(spec_doc)
            if spec is None:
                continue
            job = self.jobs[job_id] = ServerJob(job_id, serial, spec)
            job.offline, job.log = run["offline"], run["log"]
            job.time_started, job.time_done = run["time_started"], run["time_done"]
            for block, (started, done, run_times, error_hosts) in zip(job.blocks, run["blocks"]):
                block.time_started, block.time_done = started, done
                block.run_times, block.error_hosts = run_times, error_hosts
            self._load_tasks(job)
            self.log(job, "Initialized from the store.")

    def _load_tasks(self, job: ServerJob) -> None:
        for block_number, number, state, starts, errors, started, done, host in self.store.tasks(
            job.id
        ):
            if block_number >= len(job.blocks) or number >= job.blocks[block_number].tasks_num:
                continue
            if state & RUNNING:  # interrupted by the shutdown: ready again, as afserver does
                state = READY
            task: TaskRun = job.blocks[block_number].set_state(number, state)
            task.starts, task.errors, task.host = starts, errors, host
            task.time_start, task.time_done = started, done


def _runs_of(job_id: int, block: int, tasks: Optional[list[int]]) -> _RunFilter:
    wanted = None if tasks is None else set(tasks)
    return lambda key: key[:2] == (job_id, block) and (wanted is None or key[2] in wanted)


def _selected(job: ServerJob, blocks: Iterable[int]) -> list[BlockRun]:
    return [job.blocks[number] for number in blocks if 0 <= number < len(job.blocks)]


def _hosts_allow(mask: str, exclude: str, render_name: str) -> bool:
    """afserver's hosts masks (case-insensitive full match) applied to the one render."""
    name = render_name.lower()
    if mask and not full_match(mask.lower(), name):
        return False
    return not (exclude and full_match(exclude.lower(), name))


def _frames_done(block: BlockRun, number: int, sources: list[BlockRun]) -> bool:
    """Whether the tasks of ``sources`` holding task ``number``'s frames are all done.

    As afserver's tasks depend mask: frames are matched one to one; between a
    numeric and a non-numeric block they count from the numeric block's first frame.
    """
    first, last, _count = taskgen.task_frames(block.spec, number)
    for source in sources:
        offset = 0
        if block.spec.numeric and not source.spec.numeric:
            offset = -(block.spec.frame_first or 0)
        elif source.spec.numeric and not block.spec.numeric:
            offset = source.spec.frame_first or 0
        start = taskgen.task_of_frame(source.spec, first + offset, source.tasks_num)
        end = taskgen.task_of_frame(source.spec, last + offset, source.tasks_num)
        if not all(source.progress(t).state & DONE for t in range(start, end + 1)):
            return False
    return True
