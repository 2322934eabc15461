"""The add-on in Blender: registering, the panel's settings, the status line, sending off-thread."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from loopback import LoopbackServer, accept_jobs, silent, unused_port

pytestmark = pytest.mark.bpy


class FakeLayout:
    """Records what is drawn, with bpy.types.UILayout's names for the calls draw_status makes."""

    def __init__(self) -> None:
        self.labels: list[tuple[str, str]] = []

    def column(self, align: bool = False) -> FakeLayout:
        return self

    def label(self, text: str = "", icon: str = "NONE") -> None:
        self.labels.append((text, icon))


def finish_sending(addon: Any) -> Any:
    """Wait for the sending thread, then run the timer callback Blender would run."""
    from afanasy_blender import operators

    sending = operators.current_sending()
    assert sending is not None, "the operator started no sending"
    sending.thread.join(timeout=30)
    assert operators.watch_sending() is None  # the timer stops once it reported
    return addon_status()


def scene_copy_of(job: dict) -> Path:
    """The farm's copy of the scene a job renders: the file its post command deletes."""
    return Path(job["command_post"].split(" -- ", 1)[1].strip("'"))


def addon_status() -> Any:
    import bpy

    return bpy.context.window_manager.afanasy_status


def test_register_and_unregister_twice(bpy: Any):
    import afanasy_blender
    from afanasy_blender.operators import draw_menu_entry

    for _ in range(2):
        afanasy_blender.register()
        assert bpy.context.scene.afanasy.frames_per_task == 1
        assert bpy.ops.afanasy.submit.poll()
        assert bpy.types.TOPBAR_MT_render._dyn_ui_initialize().count(draw_menu_entry) == 1
        assert bpy.types.RENDER_PT_afanasy.bl_context == "render"
        afanasy_blender.unregister()
        assert not hasattr(bpy.types.Scene, "afanasy")
        assert draw_menu_entry not in bpy.types.TOPBAR_MT_render._dyn_ui_initialize()


def test_blender_s_add_on_manager_enables_and_disables_it_as_a_legacy_add_on(bpy: Any):
    import addon_utils

    module = addon_utils.enable("afanasy_blender", default_set=False, handle_error=None)
    assert module.bl_info["category"] == "Render"
    assert hasattr(bpy.types.Scene, "afanasy")
    addon_utils.disable("afanasy_blender", default_set=False, handle_error=None)
    assert not hasattr(bpy.types.Scene, "afanasy")


def test_registering_reads_no_scene_and_contacts_no_server(
    bpy: Any, saved_scene: Path, monkeypatch: pytest.MonkeyPatch
):
    from afanasy_blender.host import BlenderHost

    def no_scan(self: BlenderHost) -> None:
        raise AssertionError("register() read the scene")

    monkeypatch.setattr(BlenderHost, "collect", no_scan)
    with LoopbackServer(accept_jobs()) as server:
        monkeypatch.setenv("AF_SERVERNAME", server.address)
        import afanasy_blender

        afanasy_blender.register()
        afanasy_blender.unregister()
        assert server.requests == []


def test_panel_settings_are_saved_in_the_blend(bpy: Any, addon: Any, saved_scene: Path):
    props = bpy.context.scene.afanasy
    props.initialized = True
    props.priority, props.hosts_mask, props.need_memory_gb = 150, "render0[1-4]", 16.0
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.read_factory_settings(use_empty=False)
    bpy.ops.wm.open_mainfile(filepath=str(saved_scene))
    props = bpy.context.scene.afanasy
    assert (props.priority, props.hosts_mask, props.need_memory_gb) == (150, "render0[1-4]", 16.0)


def test_load_defaults_fills_the_scene_with_the_site_defaults(
    bpy: Any, addon: Any, saved_scene: Path, site_config: Callable[[str], Path]
):
    site_config("submit:\n  frames_per_task: 5\n  hosts_mask: farm.*\n  locked: [hosts_mask]\n")
    assert bpy.ops.afanasy.load_settings() == {"FINISHED"}
    props = bpy.context.scene.afanasy
    assert props.initialized
    assert (props.frames_per_task, props.hosts_mask, props.priority) == (5, "farm.*", -1)
    from afanasy_blender.operators import site_locked_fields

    assert site_locked_fields() == {"hosts_mask"}


def test_the_operator_returns_while_the_job_is_still_on_its_way_then_shows_the_outbox(
    bpy: Any, addon: Any, saved_scene: Path, monkeypatch: pytest.MonkeyPatch
):
    """A server that takes the connection and never answers: Blender must not wait for it."""
    with LoopbackServer(silent()) as server:
        monkeypatch.setenv("AF_SERVERNAME", server.address)
        monkeypatch.setenv("AFCORE_READ_TIMEOUT", "0.5")
        assert bpy.ops.afanasy.submit() == {"FINISHED"}
        from afanasy_blender import operators

        assert addon_status().state == "SENDING"
        assert addon_status().message == f"Sending to {server.address}..."
        assert operators.current_sending().thread.is_alive()
        assert not bpy.ops.afanasy.submit.poll()  # one submission at a time
        bpy.ops.wm.open_mainfile(filepath=str(saved_scene))  # the artist opens a file meanwhile
        assert bpy.app.timers.is_registered(operators.watch_sending)
        status = finish_sending(addon)
    assert status.state == "FAILED"
    kept = Path(status.outbox_path)
    assert kept.is_file() and json.loads(kept.read_text())["job"]["name"] == "shot 010"
    assert "no complete reply within the read timeout" in status.message
    assert bpy.data.filepath == str(saved_scene) and saved_scene.is_file()


def test_server_down_keeps_the_job_and_its_copy_and_the_status_says_where(
    bpy: Any, addon: Any, saved_scene: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("AF_SERVERNAME", f"127.0.0.1:{unused_port()}")
    bpy.ops.afanasy.submit()
    status = finish_sending(addon)
    assert status.state == "FAILED"
    assert "Cannot reach" in status.message
    job = json.loads(Path(status.outbox_path).read_text())["job"]
    copy = scene_copy_of(job)
    assert copy.is_file() and copy != saved_scene
    assert not list(saved_scene.parent.glob(".*.staged.blend"))


@pytest.mark.parametrize("agreed", [False, True], ids=["not agreed", "save scene first"])
def test_the_artist_s_file_is_saved_only_when_they_agreed(
    bpy: Any, addon: Any, saved_scene: Path, monkeypatch: pytest.MonkeyPatch, agreed: bool
):
    from afanasy_blender.host import BlenderHost

    monkeypatch.setattr(BlenderHost, "is_modified", lambda self: True)  # as in Blender's UI
    monkeypatch.setenv("AF_SERVERNAME", f"127.0.0.1:{unused_port()}")
    bpy.context.scene.frame_end = 42
    bpy.context.scene.afanasy.save_before_submit = agreed
    bpy.ops.afanasy.submit()
    job = json.loads(Path(finish_sending(addon).outbox_path).read_text())["job"]
    bpy.ops.wm.open_mainfile(filepath=str(scene_copy_of(job)))
    assert bpy.context.scene.frame_end == 42  # the farm renders the change either way
    bpy.ops.wm.open_mainfile(filepath=str(saved_scene))
    assert bpy.context.scene.frame_end == (42 if agreed else 250)


def test_an_unsaved_file_is_refused_with_what_to_do(bpy: Any, addon: Any):
    # In the background, Blender turns the operator's error report into RuntimeError.
    with pytest.raises(RuntimeError, match="never saved. Save it first"):
        bpy.ops.afanasy.submit()
    status = addon_status()
    assert status.state == "FAILED"
    assert "never saved" in status.message


def test_the_status_line_shows_the_error_and_the_outbox_path():
    from afanasy_blender.panel import draw_status

    class Status:
        state = "FAILED"
        message = "Cannot reach the Afanasy server at farm:51000 (connection refused)."
        outbox_path = "/home/me/.local/share/afcore/outbox/20261123-shot.json"

    layout = FakeLayout()
    draw_status(layout, Status())
    texts = [text for text, _ in layout.labels]
    assert layout.labels[0][1] == "ERROR"
    assert " ".join(texts).startswith("Cannot reach the Afanasy server at farm:51000")
    assert texts[-1] == Status.outbox_path
    assert "afcmd outbox send" in texts[-2]


def test_the_status_line_shows_the_job_ids():
    from afanasy_blender.panel import draw_status

    class Status:
        state, message, outbox_path = "SENT", "Jobs 7, 8 sent", ""

    layout = FakeLayout()
    draw_status(layout, Status())
    assert layout.labels == [("Jobs 7, 8 sent", "CHECKMARK")]
