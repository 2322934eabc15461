"""Operators: "Submit to Afanasy" (panel button and Render menu) and "Load Defaults".

Imported only by ``register()``: this module is Blender UI and needs ``bpy`` to load.
The submit operator returns as soon as the job is built and the scene copy written; a
thread sends it, and :func:`watch_sending`, a ``bpy.app.timers`` callback, puts the
outcome on the status line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, cast

import bpy

from afcore.checks import CONFIRM
from afcore.config import load_config
from afcore.errors import AfanasyError
from afcore.settings import SettingsStore, locked_fields
from afcore.submit import SubmitBlocked

from . import submitting
from .properties import settings_of, status_of
from .settings_fields import store_settings

if TYPE_CHECKING:
    from bpy.stub_internal.rna_enums import OperatorReturnItems as Done

#: How often the timer looks at the sending thread, in seconds.
POLL_SECONDS = 0.2

_sending: Optional[submitting.Sending] = None
_locked: Optional[frozenset[str]] = None


def current_sending() -> Optional[submitting.Sending]:
    """The submission being sent right now, if any."""
    return _sending


def site_locked_fields(refresh: bool = False) -> frozenset[str]:
    """The fields the site locked (shown read-only), read from the config once per session."""
    global _locked
    if _locked is None or refresh:
        try:
            _locked = locked_fields(load_config())
        except AfanasyError:
            _locked = frozenset()  # the broken config is reported when the artist submits
    return _locked


def set_status(state: str, message: str = "", job_ids: str = "", outbox_path: str = "") -> None:
    manager: Any = bpy.context.window_manager
    status = status_of(manager)
    status.state, status.message = state, message
    status.job_ids, status.outbox_path = job_ids, outbox_path
    for window in manager.windows:
        for area in window.screen.areas if window.screen else ():
            if area.type == "PROPERTIES":
                area.tag_redraw()


def watch_sending() -> Optional[float]:
    """Timer callback: wait for the sending thread, then show what came of the submission."""
    global _sending
    if _sending is None:
        return None
    if not _sending.done:
        return POLL_SECONDS
    result = submitting.outcome(_sending)
    _sending = None
    set_status(
        "SENT" if result.sent else "FAILED", result.message, result.job_ids, result.outbox_path
    )
    print(
        f"Afanasy: {result.message}"
        + (f" (kept in {result.outbox_path})" if result.outbox_path else "")
    )
    return None


def stop_watching() -> None:
    """Forget the submission on its way (it still finishes) and stop its timer: unregistering."""
    global _sending
    _sending = None
    if bpy.app.timers.is_registered(watch_sending):
        bpy.app.timers.unregister(watch_sending)


#: What can stop a submission before it is sent, each with a message for the artist: the
#: checks, a broken config, a scene copy that cannot be written, a scene that cannot be read.
_REPORTED = (AfanasyError, OSError, RuntimeError, ValueError)


def _only_confirmations(blocked: SubmitBlocked) -> bool:
    return all(check.level == CONFIRM for check in blocked.checks)


class AFANASY_OT_submit(bpy.types.Operator):
    """Render this scene on the Afanasy farm (from a copy); Blender stays free while it is sent"""

    bl_idname = "afanasy.submit"
    bl_label = "Submit to Afanasy"
    bl_options = {"REGISTER"}

    confirmed: bpy.props.BoolProperty(  # type: ignore[valid-type]
        name="Confirmed",
        description="Submit even when the job is very large",
        default=False,
        options={"HIDDEN", "SKIP_SAVE"},
    )

    @classmethod
    def poll(cls, context: bpy.types.Context) -> bool:
        if _sending is None:
            return True
        if hasattr(cls, "poll_message_set"):
            cls.poll_message_set("A job is being sent to Afanasy")
        return False

    def invoke(self, context: bpy.types.Context, event: bpy.types.Event) -> set[Done]:
        """Ask first when the only thing in the way is a question (a very large job)."""
        try:
            return self._start(context)
        except SubmitBlocked as blocked:
            if not _only_confirmations(blocked):
                return self._failed(blocked)
            self.confirmed = True
            message = " ".join(check.message for check in blocked.checks)
            manager = cast(bpy.types.WindowManager, context.window_manager)  # set in invoke
            try:
                return manager.invoke_confirm(self, event, message=message)
            except TypeError:  # Blender before 4.1 asks its own question
                return manager.invoke_confirm(self, event)
        except _REPORTED as error:
            return self._failed(error)

    def execute(self, context: bpy.types.Context) -> set[Done]:
        try:
            return self._start(context)
        except _REPORTED as error:
            return self._failed(error)

    def _start(self, context: bpy.types.Context) -> set[Done]:
        global _sending
        props = settings_of(context.scene)
        sending, warnings = submitting.begin(props, props.save_before_submit, self.confirmed)
        for warning in warnings:
            self.report({"WARNING"}, warning)
        _sending = sending
        config = sending.submission.config
        set_status("SENDING", f"Sending to {config.server_host}:{config.server_port}...")
        # persistent: opening another file while the job is on its way keeps the timer.
        bpy.app.timers.register(watch_sending, first_interval=POLL_SECONDS, persistent=True)
        return {"FINISHED"}

    def _failed(self, error: BaseException) -> set[Done]:
        message = str(getattr(error, "message", None) or error)
        set_status("FAILED", message, outbox_path=getattr(error, "outbox_path", None) or "")
        self.report({"ERROR"}, message)
        return {"CANCELLED"}


class AFANASY_OT_load_settings(bpy.types.Operator):
    """Fill this scene's Afanasy settings with the site's defaults and your last values"""

    bl_idname = "afanasy.load_settings"
    bl_label = "Load Defaults"
    bl_options = {"REGISTER", "UNDO"}

    def execute(self, context: bpy.types.Context) -> set[Done]:
        try:
            config = load_config()
        except AfanasyError as error:
            self.report({"ERROR"}, error.message)
            return {"CANCELLED"}
        site_locked_fields(refresh=True)
        settings = SettingsStore.default().load(config, "blender", bpy.data.filepath or None)
        props = settings_of(context.scene)
        store_settings(settings, props)
        props.initialized = True
        return {"FINISHED"}


def draw_menu_entry(menu: Any, context: bpy.types.Context) -> None:
    """The Render menu's entry (TOPBAR_MT_render)."""
    menu.layout.separator()
    menu.layout.operator(AFANASY_OT_submit.bl_idname, icon="RENDER_ANIMATION")


CLASSES = (AFANASY_OT_submit, AFANASY_OT_load_settings)
