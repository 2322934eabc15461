"""MayaHost reading render layers, cameras, frames and files from a Maya session (the fake)."""

from __future__ import annotations

import shlex
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from afanasy_maya.host import MayaHost, frames_per_second
from afcore.config import Config
from afcore.errors import ConfigError
from afcore.paths import join_command
from afcore.scene import RenderTarget

GLOBALS = "defaultRenderGlobals"


def targets(host: MayaHost | None = None) -> dict[str, RenderTarget]:
    return {target.name: target for target in (host or MayaHost()).collect().targets}


def render_settings(cmds: ModuleType, **values: Any) -> None:
    """Set render globals for the current layer (as the Render Settings window does)."""
    for attr, value in values.items():
        kind = {"type": "string"} if isinstance(value, str) else {}
        cmds.setAttr(f"{GLOBALS}.{attr}", value, **kind)


def sequence_settings(cmds: ModuleType, prefix: str = "<Scene>/<RenderLayer>/<Camera>") -> None:
    render_settings(cmds, animation=True, extensionPadding=4, imfPluginKey="exr")
    render_settings(cmds, imageFilePrefix=prefix)


def legacy_layer(cmds: ModuleType, name: str, **overrides: Any) -> str:
    """A legacy render layer overriding render globals (editRenderLayerAdjustment + setAttr)."""
    layer = cmds.createRenderLayer(name=name, empty=True)
    current = cmds.editRenderLayerGlobals(query=True, currentRenderLayer=True)
    cmds.editRenderLayerGlobals(currentRenderLayer=layer)
    for attr, value in overrides.items():
        cmds.editRenderLayerAdjustment(f"{GLOBALS}.{attr}", layer=layer)
        render_settings(cmds, **{attr: value})
    cmds.editRenderLayerGlobals(currentRenderLayer=current)
    return layer


def setup_layer(render_setup: ModuleType, name: str, **overrides: Any) -> Any:
    """A Render Setup layer whose render settings collection overrides render globals."""
    layer = render_setup.instance().createRenderLayer(name)
    collection = layer.renderSettingsCollectionInstance()
    for attr, value in overrides.items():
        collection.createAbsoluteOverride(GLOBALS, attr).setAttrValue(value)
    return layer


def renderable_camera(cmds: ModuleType, name: str) -> str:
    shape = cmds.camera(name=name)[1]
    cmds.setAttr(f"{shape}.renderable", True)
    return shape


def only_camera(cmds: ModuleType, name: str) -> str:
    """Make ``name`` the one renderable camera of the scene."""
    cmds.setAttr("perspShape.renderable", False)
    return renderable_camera(cmds, name)


def save_as(cmds: ModuleType, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    cmds.file(rename=str(path))
    cmds.file(save=True)
    return path


# --- layers ------------------------------------------------------------------------------------


def test_legacy_layers_each_render_with_their_own_renderer_and_range(cmds: ModuleType) -> None:
    sequence_settings(cmds)
    only_camera(cmds, "shotCam")
    render_settings(cmds, startFrame=1.0, endFrame=100.0)
    legacy_layer(cmds, "chars", currentRenderer="arnold", startFrame=10.0, endFrame=50.0)
    legacy_layer(cmds, "env", currentRenderer="redshift", byFrameStep=2.0)
    legacy_layer(cmds, "fx", currentRenderer="vray", endFrame=24.0)

    found = targets()

    summary = {n: (t.renderer, t.frames, t.service, t.parser) for n, t in found.items()}
    assert summary == {
        "masterLayer": ("mayaSoftware", "1-100", "maya", "maya"),
        "chars": ("arnold", "10-50", "maya_arnold", "maya_arnold"),
        "env": ("redshift", "1-100x2", "maya_redshift", "maya_redshift"),
        "fx": ("vray", "1-24", "maya", "vray"),
    }
    assert found["chars"].layers == ["chars"]
    assert found["chars"].cameras == ["shotCam"]
    assert found["chars"].outputs == [
        f"{Path.home()}/maya/projects/default/images/untitled/chars/shotCam.@####@.exr"
    ]


def test_render_setup_layers_with_render_settings_overrides(
    cmds: ModuleType, render_setup: ModuleType
) -> None:
    sequence_settings(cmds)
    only_camera(cmds, "shotCam")
    setup_layer(render_setup, "beauty", currentRenderer="arnold", startFrame=101.0, endFrame=120.0)
    setup_layer(render_setup, "shadow", currentRenderer="redshift", endFrame=5.0)

    found = targets()

    assert [(n, t.layers, t.renderer, t.frames) for n, t in found.items()] == [
        ("masterLayer", ["defaultRenderLayer"], "mayaSoftware", "1-10"),
        ("beauty", ["rs_beauty"], "arnold", "101-120"),
        ("shadow", ["rs_shadow"], "redshift", "1-5"),
    ]
    args = MayaHost().render_command(found["beauty"], "/p/a.ma")
    assert args[args.index("-rl") + 1] == "rs_beauty"


def test_non_renderable_layers_are_left_out(cmds: ModuleType, render_setup: ModuleType) -> None:
    setup_layer(render_setup, "beauty")
    setup_layer(render_setup, "wip").setRenderable(False)
    render_setup.instance().getDefaultRenderLayer().setRenderable(False)

    assert list(targets()) == ["beauty"]


def test_non_renderable_legacy_layers_are_left_out(cmds: ModuleType) -> None:
    legacy_layer(cmds, "beauty")
    off = legacy_layer(cmds, "old")
    cmds.setAttr(f"{off}.renderable", False)

    assert list(targets()) == ["masterLayer", "beauty"]


def test_render_layers_of_referenced_scenes_are_left_out(cmds: ModuleType, tmp_path: Path) -> None:
    legacy_layer(cmds, "charLight")
    asset = save_as(cmds, tmp_path / "char.ma")
    cmds.file(newFile=True, force=True)
    legacy_layer(cmds, "shot")
    cmds.file(str(asset), reference=True, namespace="char")

    assert "char:charLight" in cmds.ls(type="renderLayer")
    assert list(targets()) == ["masterLayer", "shot"]


def test_reading_the_layers_leaves_the_artists_current_layer_current(cmds: ModuleType) -> None:
    legacy_layer(cmds, "a", startFrame=5.0)
    current = legacy_layer(cmds, "b", startFrame=7.0)
    legacy_layer(cmds, "c", startFrame=9.0)
    cmds.editRenderLayerGlobals(currentRenderLayer=current)

    MayaHost().collect()

    assert cmds.editRenderLayerGlobals(query=True, currentRenderLayer=True) == current


def test_the_current_layer_is_restored_when_reading_fails(
    cmds: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    legacy_layer(cmds, "a")
    real_render_settings = cmds.renderSettings

    def failing(**flags: Any) -> list[str]:
        if flags.get("layer") == "a":
            raise RuntimeError("renderSettings failed")
        return real_render_settings(**flags)

    monkeypatch.setattr(cmds, "renderSettings", failing)

    with pytest.raises(RuntimeError, match="renderSettings failed"):
        MayaHost().collect()
    assert cmds.editRenderLayerGlobals(query=True, currentRenderLayer=True) == "defaultRenderLayer"


# --- cameras -----------------------------------------------------------------------------------


def test_one_renderable_camera_makes_one_target_per_layer_named_after_the_layer(
    cmds: ModuleType,
) -> None:
    shape = only_camera(cmds, "shotCam")

    (target,) = targets().values()

    assert (target.name, target.cameras, target.data["camera"]) == (
        "masterLayer",
        ["shotCam"],
        shape,
    )


def test_several_renderable_cameras_make_a_target_per_layer_and_camera(cmds: ModuleType) -> None:
    sequence_settings(cmds)
    only_camera(cmds, "left")
    renderable_camera(cmds, "right")
    legacy_layer(cmds, "beauty")

    found = targets()

    assert list(found) == ["masterLayer/left", "masterLayer/right", "beauty/left", "beauty/right"]
    host = MayaHost()
    args = host.render_command(found["beauty/right"], "/p/a.ma")
    assert args[args.index("-rl") + 1 : args.index("-rl") + 4] == ["beauty", "-cam", "rightShape"]
    assert found["beauty/right"].outputs[0].endswith("/untitled/beauty/right.@####@.exr")


def test_a_layer_can_switch_cameras_on_and_off(cmds: ModuleType) -> None:
    main = only_camera(cmds, "main")
    witness = renderable_camera(cmds, "witness")
    layer = legacy_layer(cmds, "closeup")
    cmds.editRenderLayerGlobals(currentRenderLayer=layer)
    cmds.editRenderLayerAdjustment(f"{witness}.renderable")
    cmds.setAttr(f"{witness}.renderable", False)
    cmds.editRenderLayerGlobals(currentRenderLayer="defaultRenderLayer")

    found = targets()

    assert list(found) == ["masterLayer/main", "masterLayer/witness", "closeup"]
    assert found["closeup"].data["camera"] == main


def test_a_layer_without_a_renderable_camera_is_shown_unticked_with_the_reason(
    cmds: ModuleType,
) -> None:
    sequence_settings(cmds)
    cmds.setAttr("perspShape.renderable", False)

    (target,) = targets().values()

    assert not target.selected
    assert target.outputs == []
    assert "no renderable camera" in target.warnings[0]
    assert "-cam" not in MayaHost().render_command(target, "/p/a.ma")


# --- frames ------------------------------------------------------------------------------------


def test_without_animation_maya_renders_the_current_frame_to_one_file(cmds: ModuleType) -> None:
    render_settings(cmds, animation=False, imfPluginKey="exr", startFrame=1.0, endFrame=50.0)
    cmds.currentTime(12)

    (target,) = targets().values()

    assert target.frames == "12"
    assert target.outputs[0].endswith("/images/untitled.exr")
    assert "single image" in target.warnings[0]


def test_a_one_frame_range_still_gets_a_frame_pattern(cmds: ModuleType) -> None:
    sequence_settings(cmds, prefix="still/<RenderLayer>")
    render_settings(cmds, startFrame=42.0, endFrame=42.0)

    (target,) = targets().values()

    assert target.frames == "42"
    assert target.outputs[0].endswith("/images/still/masterLayer.@####@.exr")


def test_fractional_frames_are_rounded_with_a_warning(cmds: ModuleType) -> None:
    sequence_settings(cmds)
    render_settings(cmds, startFrame=1.0, endFrame=20.0, byFrameStep=0.5)

    (target,) = targets().values()

    assert target.frames == "1-20"
    assert "whole frames" in target.warnings[0]


def test_a_renderer_the_submitter_does_not_know_still_renders_with_a_warning(
    cmds: ModuleType,
) -> None:
    sequence_settings(cmds)
    render_settings(cmds, currentRenderer="cycles4maya")

    (target,) = targets().values()

    assert (target.service, target.parser) == ("maya", "maya")
    assert "'cycles4maya' is not one this submitter knows" in target.warnings[0]
    assert MayaHost().render_command(target, "/p/a.ma")[1:3] == ["-r", "cycles4maya"]


# --- files -------------------------------------------------------------------------------------


def test_layers_writing_the_same_files_are_flagged(cmds: ModuleType) -> None:
    sequence_settings(cmds, prefix="<Scene>/<Camera>")
    legacy_layer(cmds, "beauty")
    legacy_layer(cmds, "shadow")
    legacy_layer(cmds, "fx", imageFilePrefix="<Scene>/fx/<Camera>")

    found = targets()

    assert "Writes the same files as beauty, shadow" in found["masterLayer"].warnings[0]
    assert "Writes the same files as masterLayer, shadow" in found["beauty"].warnings[0]
    assert found["fx"].warnings == []


def test_the_pipelines_checks_report_the_collision_too(cmds: ModuleType) -> None:
    from afcore.checks import input_checks
    from afcore.settings import SubmitSettings

    sequence_settings(cmds, prefix="<Scene>")
    legacy_layer(cmds, "beauty")

    snapshot = MayaHost().collect()
    checks = input_checks(snapshot, SubmitSettings(), "/p/a.ma", False)

    assert any("masterLayer" in c.message and "beauty" in c.message for c in checks), checks


def test_a_project_path_with_spaces_reaches_the_farm_as_one_argument(
    cmds: ModuleType, tmp_path: Path
) -> None:
    project = tmp_path / "Big Show" / "shot 010"
    cmds.workspace(str(project), openWorkspace=True)
    cmds.workspace(fileRule=["images", "renders/out"])
    sequence_settings(cmds)
    scene = save_as(cmds, project / "scenes" / "light v1.ma")

    snapshot = MayaHost().collect()
    (target,) = snapshot.targets

    assert snapshot.data == {"project": str(project), "images": f"{project}/renders/out"}
    assert target.outputs == [f"{project}/renders/out/light v1/masterLayer/persp.@####@.exr"]
    words = shlex.split(join_command(MayaHost().render_command(target, str(scene))))
    assert words[words.index("-proj") + 1] == str(project)
    assert words[-1] == str(scene)


def test_the_project_is_mapped_to_the_farms_path(cmds: ModuleType) -> None:
    cmds.workspace("/Volumes/jobs/show", openWorkspace=True)
    config = Config(path_maps=[("/Volumes/jobs", "/mnt/jobs")])
    host = MayaHost(config)
    (target,) = host.collect().targets

    args = host.render_command(target, "/mnt/jobs/show/scenes/a.ma")

    assert args[args.index("-proj") + 1] == "/mnt/jobs/show"


def test_a_bad_maya_section_in_the_config_names_the_key_and_the_files_read(
    cmds: ModuleType,
) -> None:
    config = Config(dcc={"maya": {"exe": "Render"}}, sources=["/studio/afanasy.yaml"])

    with pytest.raises(ConfigError, match=r"unknown setting\(s\) exe.*/studio/afanasy.yaml"):
        MayaHost(config).collect()


# --- the scene ---------------------------------------------------------------------------------


def test_the_snapshot_says_which_maya_scene_and_timing(cmds: ModuleType, tmp_path: Path) -> None:
    sequence_settings(cmds)
    render_settings(cmds, startFrame=1001.0, endFrame=1100.0)
    cmds.currentUnit(time="pal")
    scene = save_as(cmds, tmp_path / "shot.mb")

    snapshot = MayaHost().collect()

    assert (snapshot.scene_file, snapshot.dcc, snapshot.dcc_version) == (str(scene), "maya", "2025")
    assert (snapshot.frames, snapshot.fps, snapshot.modified) == ("1001-1100", 25.0, False)


@pytest.mark.parametrize(
    ("unit", "fps"), [("film", 24.0), ("ntscf", 60.0), ("23.976fps", 23.976), ("hour", 24.0)]
)
def test_maya_time_units_in_frames_per_second(unit: str, fps: float) -> None:
    assert frames_per_second(unit) == fps


def test_a_never_saved_scene_has_no_path_and_cannot_be_saved_or_copied(
    cmds: ModuleType, tmp_path: Path
) -> None:
    host = MayaHost()

    assert host.scene_path() is None
    assert host.collect().scene_file == ""
    with pytest.raises(RuntimeError, match="never saved"):
        host.save_scene()
    with pytest.raises(RuntimeError, match="never saved"):
        host.save_copy(str(tmp_path / "copy.ma"))


def test_unsaved_changes_show_and_saving_writes_the_scene_itself(
    cmds: ModuleType, tmp_path: Path
) -> None:
    scene = save_as(cmds, tmp_path / "shot.ma")
    render_settings(cmds, endFrame=99.0)
    host = MayaHost()
    assert host.is_modified()

    host.save_scene()

    assert not host.is_modified()
    cmds.file(str(scene), open=True, force=True)
    assert cmds.getAttr(f"{GLOBALS}.endFrame") == 99.0


def test_the_copy_is_the_saved_file_and_the_open_scene_keeps_its_name_and_changes(
    cmds: ModuleType, tmp_path: Path
) -> None:
    scene = save_as(cmds, tmp_path / "shot.ma")
    saved = scene.read_bytes()
    render_settings(cmds, endFrame=99.0)
    copy = tmp_path / "shot.20260101-120000.ma"

    MayaHost().save_copy(str(copy))

    assert copy.read_bytes() == saved == scene.read_bytes()
    assert cmds.file(query=True, sceneName=True) == str(scene)
    assert cmds.file(query=True, modified=True)


# --- the artist's window -----------------------------------------------------------------------


def test_dialogs_are_parented_to_mayas_main_window(cmds: ModuleType, qapp: Any) -> None:
    from Qt import QtWidgets

    window = MayaHost().parent_window()

    assert isinstance(window, QtWidgets.QWidget)
    assert window.objectName() == "MayaWindow"


def test_batch_maya_has_no_window_to_parent_to(cmds: ModuleType) -> None:
    from maya import standalone

    standalone.initialize()

    assert MayaHost().parent_window() is None


def test_messages_from_the_sending_thread_show_when_maya_is_idle(
    cmds: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    from maya import utils

    sender = threading.Thread(target=MayaHost().notify, args=("the farm is busy", "warning"))
    sender.start()
    sender.join()
    assert "the farm is busy" not in capsys.readouterr().err

    utils.processIdleEvents()

    assert "// Warning: Afanasy: the farm is busy //" in capsys.readouterr().err
