"""The submit flow a DCC plugin, the dialog and ``afsubmit`` call: prepare, then submit.

:func:`prepare` reads the scene once, runs the checks and builds the jobs
that would be sent (the preview shows exactly these). :func:`submit` then
does what the artist agreed to and nothing more, in two steps a dialog can
run on different threads: :func:`stage` (steps 1-4, on the DCC's main thread,
since DCC APIs are not thread-safe) and :func:`send` (step 5, off it, since
the network must never block the DCC):

1. stop if a check still blocks (an error, an unconfirmed confirmation);
2. save the scene only if the artist accepted the ``save`` fix, and create
   the output folders they accepted;
3. refuse, before writing anything, jobs the server would reject;
4. write the farm's copy of the scene (one per job) with ``host.save_copy``;
5. deliver the jobs in dependency order. A job the farm cannot be reached for
   is kept in the outbox, and so is every job after it, untried (a job must
   not reach the farm before the jobs it waits for). Kept jobs keep their
   scene copies, so that ``afcmd outbox send`` can still send them.

The artist's own scene file is never written except by an accepted save, and
never deleted. The jobs' post commands delete the copies when the farm
deletes the jobs; a job the server refused has its copy removed at once.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from afcore import validate
from afcore.build import build_jobs, plan_jobs
from afcore.checks import CREATE_FOLDER, ERROR, SAVE, Check, blocking, input_checks, task_checks
from afcore.errors import AfanasyError, JobInvalid, RequestRejected
from afcore.preview import Preview, preview
from afcore.scenecopy import configured_folder, copy_path, make_stamp
from afcore.settings import SettingsStore

if TYPE_CHECKING:
    from afcore.client import Client, SubmitResult
    from afcore.config import Config
    from afcore.host import Host
    from afcore.job import Job
    from afcore.outbox import Outbox
    from afcore.scene import SceneSnapshot
    from afcore.settings import SubmitSettings

__all__ = [
    "CopyFailed",
    "Delivery",
    "Submission",
    "SubmitBlocked",
    "prepare",
    "refresh",
    "send",
    "stage",
    "submit",
]


class SubmitBlocked(AfanasyError):
    """Checks still stop the submission; ``checks`` lists them."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = list(checks)
        lines = "\n".join(f"  - {check.message}" for check in self.checks)
        super().__init__(f"Nothing was submitted:\n{lines}")


class CopyFailed(AfanasyError):
    """The farm's copy of the scene could not be written: nothing was sent."""


@dataclass
class Submission:
    """A prepared submission: what was read, what the checks say, what would be sent."""

    host: Host
    config: Config
    snapshot: SceneSnapshot
    settings: SubmitSettings
    scene_path: Optional[str]
    checks: list[Check]
    #: The jobs exactly as they will be sent; empty while the checks show why none can be built.
    jobs: list[Job] = field(default_factory=list)
    #: The scene copy of each job, in the order of ``jobs``.
    scene_copies: list[str] = field(default_factory=list)
    #: Set by :func:`stage` once the copies are written and the jobs may be sent.
    staged: bool = False

    def blocking(self, answers: Collection[str] = ()) -> list[Check]:
        """The checks that stop the submission, given the keys of the checks the artist accepted."""
        return blocking(self.checks, answers)

    def preview(self) -> Preview:
        return preview(self.jobs)


@dataclass(frozen=True)
class Delivery:
    """What became of one job: sent (``result``), kept in the outbox, or refused by the farm."""

    job_name: str
    scene_copy: str
    result: Optional[SubmitResult] = None
    outbox_path: Optional[str] = None
    #: Why it was not sent; ``None`` for a job held back because an earlier one was not sent.
    error: Optional[AfanasyError] = None

    @property
    def sent(self) -> bool:
        return self.result is not None

    def __str__(self) -> str:
        if self.result is not None:
            return f"Sent {self.job_name!r}: job id {self.result.id}."
        reason = self.error.message if self.error else HELD_BACK
        if self.outbox_path is None:
            return f"{self.job_name!r} got no job id: {reason}"
        return (
            f"Kept {self.job_name!r} in the outbox ({reason}): {self.outbox_path}\n"
            f"Its scene copy {self.scene_copy} stays until it is sent: afcmd outbox send"
        )


HELD_BACK = "held back: an earlier job of this submission was not sent"


def _plan_copies(
    snapshot: SceneSnapshot, settings: SubmitSettings, scene_path: str, folder: str, stamp: str
) -> list[str]:
    copy = copy_path(scene_path, stamp, folder)
    return [plan.scene_copy for plan in plan_jobs(snapshot, settings, copy, stamp)]


def _build(
    host: Host,
    config: Config,
    snapshot: SceneSnapshot,
    settings: SubmitSettings,
    scene_path: str,
    now: Optional[datetime],
) -> tuple[list[Job], list[str]]:
    """The jobs and their scene copies, under a stamp no earlier copy uses.

    Two submissions of a scene within a second would otherwise share a copy
    name, and the second would overwrite the copy the first job renders.
    """
    folder = configured_folder(config, host.name)
    base = make_stamp(now)
    stamp, number = base, 1
    copies = _plan_copies(snapshot, settings, scene_path, folder, stamp)
    while any(os.path.lexists(copy) for copy in copies):
        number += 1
        stamp = f"{base}-{number}"
        copies = _plan_copies(snapshot, settings, scene_path, folder, stamp)
    copy = copy_path(scene_path, stamp, folder)
    jobs = build_jobs(snapshot, settings, host, copy, config=config, stamp=stamp)
    return jobs, copies


def prepare(
    host: Host,
    settings: Optional[SubmitSettings] = None,
    config: Optional[Config] = None,
    *,
    store: Optional[SettingsStore] = None,
    now: Optional[datetime] = None,
) -> Submission:
    """Read the scene, check everything, and build the jobs that would be sent.

    ``settings`` default to the remembered ones (:class:`SettingsStore`).
    Nothing is written. After the artist changes a setting, :func:`refresh`
    rebuilds from the same snapshot without reading the scene again.
    """
    if config is None:
        from afcore.config import load_config

        config = load_config()
    snapshot = host.collect()
    if settings is None:
        store = store or SettingsStore.default()
        settings = store.load(config, host.name, host.scene_path())
    return _assemble(host, config, snapshot, settings, now)


def refresh(
    submission: Submission, settings: SubmitSettings, now: Optional[datetime] = None
) -> Submission:
    """The same scene with other settings: checks and jobs again, the snapshot reused."""
    return _assemble(submission.host, submission.config, submission.snapshot, settings, now)


def _assemble(
    host: Host,
    config: Config,
    snapshot: SceneSnapshot,
    settings: SubmitSettings,
    now: Optional[datetime],
) -> Submission:
    scene_path = host.scene_path()
    checks = input_checks(snapshot, settings, scene_path, host.is_modified())
    submission = Submission(host, config, snapshot, settings, scene_path, checks)
    if not scene_path:
        return submission
    try:
        submission.jobs, submission.scene_copies = _build(
            host, config, snapshot, settings, scene_path, now
        )
    except ValueError as error:  # BuildError, FrameSyntaxError, a bad wait-until time
        if not any(check.level == ERROR for check in checks):
            checks.append(Check(ERROR, f"No job can be made: {error}", key="build"))
        return submission
    submission.checks += task_checks(submission.jobs)
    return submission


def _apply_fixes(submission: Submission, answers: Collection[str]) -> None:
    """Do what the artist accepted: save the scene, create output folders."""
    for check in submission.checks:
        if check.key not in answers:
            continue
        if check.fix == SAVE:
            submission.host.save_scene()
        elif check.fix == CREATE_FOLDER:
            os.makedirs(check.path, exist_ok=True)


def _refuse_invalid(jobs: list[Job]) -> None:
    """Raise JobInvalid for the first job the server would reject, before anything is written."""
    for job in jobs:
        problems = validate.problems(job)
        if problems:
            raise JobInvalid(problems)


def _write_copies(host: Host, copies: list[str]) -> None:
    """Write each job's scene copy; on failure remove what was written and send nothing.

    A file already at a copy's path is never overwritten (it may be what an
    earlier job renders), so everything at these paths afterwards is ours.
    """
    taken = [copy for copy in copies if os.path.lexists(copy)]
    if taken:
        raise CopyFailed(
            f"The scene copy {taken[0]} already exists (another submission?). Nothing was "
            "sent; prepare the submission again to get new copy names."
        )
    try:
        for copy in copies:
            os.makedirs(os.path.dirname(copy) or ".", exist_ok=True)
            host.save_copy(copy)
    except Exception as error:  # a DCC reports a failed save in its own exception types
        for written in copies:
            if os.path.lexists(written):
                os.remove(written)
        raise CopyFailed(
            f"Could not write the farm's copy of the scene to {copy}: {error}. "
            "Nothing was sent and your scene is untouched; check the folder's free space "
            "and permissions."
        ) from error


def _deliver_in_order(
    jobs: list[Job], copies: list[str], client: Client, outbox: Outbox
) -> list[Delivery]:
    """Send each job in order until one is not sent; keep that one's followers unsent.

    A job the farm cannot take now (unreachable, timeout) is in the outbox
    already; one it refused is not kept (it would be refused again) and its
    scene copy is removed, as nothing will render it. Either way the jobs after
    it go to the outbox untried: they may wait for it, and a job that arrives
    before the job it waits for does not wait at all.
    """
    from afcore.outbox import deliver

    deliveries: list[Delivery] = []
    for job, copy in zip(jobs, copies):
        if deliveries and not deliveries[-1].sent:
            kept = outbox.put(job, server=client.address, error=HELD_BACK)
            deliveries.append(Delivery(job.name, copy, outbox_path=str(kept)))
            continue
        try:
            result = deliver(job, client, outbox)
        except AfanasyError as error:
            if isinstance(error, RequestRejected):
                os.remove(copy)
            deliveries.append(Delivery(job.name, copy, outbox_path=error.outbox_path, error=error))
        else:
            deliveries.append(Delivery(job.name, copy, result=result))
    return deliveries


def stage(submission: Submission, answers: Collection[str] = ()) -> None:
    """Everything that touches the DCC or the disk: run it on the DCC's main thread.

    Stops on blocking checks (SubmitBlocked), refuses jobs the server would
    reject (JobInvalid), does the fixes the artist accepted, and writes the
    scene copies (CopyFailed). In each failure case nothing was sent.
    """
    stopping = submission.blocking(answers)
    if stopping:
        raise SubmitBlocked(stopping)
    _refuse_invalid(submission.jobs)
    _apply_fixes(submission, answers)
    _write_copies(submission.host, submission.scene_copies)
    submission.staged = True


def send(
    submission: Submission,
    client: Optional[Client] = None,
    outbox: Optional[Outbox] = None,
    *,
    store: Optional[SettingsStore] = None,
) -> list[Delivery]:
    """Deliver a staged submission and remember its settings; safe off the DCC's main thread.

    ``client`` and ``outbox`` default to the configured ones. Delivery problems
    do not raise: each job's :class:`Delivery` says what became of it.
    """
    if not submission.staged:
        raise RuntimeError("stage() the submission before send(): its scene copies are not written")
    if client is None:
        from afcore.client import Client

        client = Client.from_config(submission.config)
    if outbox is None:
        from afcore.outbox import Outbox

        outbox = Outbox(submission.config.outbox_dir)
    deliveries = _deliver_in_order(submission.jobs, submission.scene_copies, client, outbox)
    (store or SettingsStore.default()).save(
        submission.settings, submission.config, submission.host.name, submission.scene_path
    )
    return deliveries


def submit(
    submission: Submission,
    answers: Collection[str] = (),
    client: Optional[Client] = None,
    outbox: Optional[Outbox] = None,
    *,
    store: Optional[SettingsStore] = None,
) -> list[Delivery]:
    """:func:`stage` then :func:`send`, for callers that have no UI thread to keep free.

    ``answers`` are the keys of the checks the artist accepted.
    """
    stage(submission, answers)
    return send(submission, client, outbox, store=store)
