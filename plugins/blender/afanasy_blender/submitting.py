"""One submission from Blender, split between Blender's main thread and a sending thread.

``bpy`` may only be used on the main thread, and the network must never be: the scene is
read, checked, built and its farm copies written on the main thread (a few milliseconds),
then :func:`afcore.submit.submit` runs on a thread, where it only moves the staged copies
into place, sends, and fills the outbox when the server is down. The panel learns the
outcome from a ``bpy.app.timers`` callback that polls :class:`Sending`.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from typing import Any, Optional

from afcore.checks import CONFIRM, WARNING
from afcore.config import Config, load_config
from afcore.host import Host
from afcore.scene import RenderTarget, SceneSnapshot
from afcore.settings import SettingsStore, SubmitSettings, locked_fields
from afcore.submit import Delivery, Submission, SubmitBlocked, prepare, submit

from .host import BlenderHost
from .settings_fields import to_settings


class StagedCopies(Host):
    """The Blender host as :func:`afcore.submit.submit` sees it from the sending thread.

    The farm's scene copies are written on the main thread, hidden beside their final
    paths (:meth:`stage`); ``save_copy`` then only renames one into place. Blender writes
    a copy from memory, unsaved changes included, so the farm never misses an unsaved
    change and the scene counts as unmodified here; saving the artist's own file is their
    separate choice ("Save Scene First"), made before the scene is read.
    """

    name = "blender"

    def __init__(self, host: BlenderHost) -> None:
        self.host = host
        self.staged: dict[str, str] = {}

    def collect(self) -> SceneSnapshot:
        return self.host.collect()

    def scene_path(self) -> Optional[str]:
        return self.host.scene_path()

    def is_modified(self) -> bool:
        return False

    def save_scene(self) -> None:
        raise RuntimeError("the scene is saved before the submission starts, never from it")

    def save_copy(self, path: str) -> None:
        os.replace(self.staged.pop(path), path)

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        return self.host.render_command(target, scene_copy)

    def stage(self, copies: list[str]) -> None:
        """Write each copy (main thread), under a hidden name in the folder it goes to."""
        for copy in copies:
            folder, name = os.path.split(copy)
            os.makedirs(folder or ".", exist_ok=True)
            staged = os.path.join(folder, f".{name}.staged.blend")
            self.host.save_copy(staged)
            self.staged[copy] = staged

    def discard(self) -> None:
        """Remove staged copies no job needs (the submission stopped before sending)."""
        for staged in self.staged.values():
            if os.path.exists(staged):
                os.remove(staged)
        self.staged.clear()


def scene_settings(props: Any, config: Config, scene_path: Optional[str]) -> SubmitSettings:
    """The settings to submit with: the scene's own once it has them, else the remembered ones.

    Remembered: the site's defaults < the artist's last values < this scene's last values
    (:class:`SettingsStore`). Fields the site locked keep the site's value either way.
    """
    remembered = SettingsStore.default().load(config, "blender", scene_path)
    if not props.initialized:
        return remembered
    settings = to_settings(props, remembered)
    locked = {name: getattr(remembered, name) for name in locked_fields(config)}
    return dataclasses.replace(settings, **locked)


class Sending:
    """A submission on its way: the thread sending it, and what came of it."""

    def __init__(self, submission: Submission, answers: frozenset[str]) -> None:
        self.submission = submission
        self.answers = answers
        self.deliveries: list[Delivery] = []
        self.error: Optional[BaseException] = None
        self.thread = threading.Thread(target=self._run, name="afanasy-submit", daemon=True)

    def start(self) -> Sending:
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            self.deliveries = submit(self.submission, self.answers)
        except Exception as error:  # anything at all must reach the status line, not a log
            self.error = error
        finally:
            host = self.submission.host
            if isinstance(host, StagedCopies):
                host.discard()

    @property
    def done(self) -> bool:
        return not self.thread.is_alive()


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What the status line shows once a submission is over."""

    sent: bool
    message: str
    job_ids: str = ""
    outbox_path: str = ""


def outcome(sending: Sending) -> Outcome:
    """The status of a finished submission: job ids, or the error and where the job was kept."""
    if sending.error is not None:
        path = getattr(sending.error, "outbox_path", None) or ""
        return Outcome(False, str(getattr(sending.error, "message", sending.error)), "", path)
    ids = ", ".join(str(d.result.id) for d in sending.deliveries if d.result is not None)
    kept = [d for d in sending.deliveries if not d.sent]
    if not kept:
        noun = "Job" if len(sending.deliveries) == 1 else "Jobs"
        return Outcome(True, f"{noun} {ids} sent", ids)
    first = kept[0]
    reason = first.error.message if first.error else "an earlier job could not be sent"
    return Outcome(False, f"Not sent: {reason}", ids, first.outbox_path or "")


def begin(
    props: Any, save_first: bool, confirmed: bool, config: Optional[Config] = None
) -> tuple[Sending, list[str]]:
    """Read, check, build and stage a submission of the current scene, and start sending it.

    Returns the sending and the warnings to show. ``confirmed``: the artist said yes to
    the checks that ask (a very large job). Raises SubmitBlocked, listing every reason,
    when checks stop it; nothing is written then. Main thread only.
    """
    config = config or load_config()
    blender = BlenderHost(split_view_layers=props.split_view_layers, config=config)
    if save_first and blender.scene_path() and blender.is_modified():
        blender.save_scene()
    host = StagedCopies(blender)
    settings = scene_settings(props, config, blender.scene_path())
    submission = prepare(host, settings, config)
    answers = frozenset(c.key for c in submission.checks if c.level == CONFIRM and confirmed)
    stopping = submission.blocking(answers)
    if stopping:
        raise SubmitBlocked(stopping)
    warnings = [c.message for c in submission.checks if c.level == WARNING]
    try:
        host.stage(submission.scene_copies)
    except BaseException:
        host.discard()
        raise
    return Sending(submission, answers).start(), warnings
