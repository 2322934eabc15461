"""BlenderHost reads real Blender scenes: frames, outputs as Blender writes them, views, layers."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from afanasy_blender.host import BlenderHost, in_folder, layer_folder
from afcore.errors import ConfigError
from afcore.frames import substitute_frames

pytestmark = pytest.mark.bpy


def test_relative_output_resolves_beside_the_blend_with_padding_and_extension(
    bpy: Any, saved_scene: Path
):
    scene = bpy.context.scene
    scene.render.filepath = "//render/####.png"
    scene.frame_start, scene.frame_end, scene.frame_step = 3, 12, 3
    snapshot = BlenderHost().collect()
    (target,) = snapshot.targets
    folder = saved_scene.parent
    assert snapshot.scene_file == str(saved_scene)
    assert snapshot.frames == target.frames == "3-12x3"
    assert target.outputs == [f"{folder}/render/@####@.png"]
    assert target.data["output"] == f"{folder}/render/####.png"
    assert target.creates_folders  # Blender makes render/ when it writes the first frame
    assert substitute_frames(target.outputs[0], 6, 6) == scene.render.frame_path(frame=6)


def test_path_without_hashes_gets_blender_s_own_four_digit_frame(bpy: Any, saved_scene: Path):
    bpy.context.scene.render.filepath = "//out/shot_"
    (target,) = BlenderHost().collect().targets
    assert target.outputs == [f"{saved_scene.parent}/out/shot_@####@.png"]


def test_path_templates_are_filled_from_this_scene_not_the_farm_copy(bpy: Any, saved_scene: Path):
    bpy.context.scene.render.filepath = "//{blend_name}/####"
    (target,) = BlenderHost().collect().targets
    assert target.outputs == [f"{saved_scene.parent}/shot 010/@####@.png"]
    assert target.data["output"] == f"{saved_scene.parent}/shot 010/####.png"


def test_engine_camera_and_cgru_parser(bpy: Any, saved_scene: Path):
    bpy.context.scene.render.engine = "CYCLES"
    (target,) = BlenderHost().collect().targets
    assert (target.renderer, target.parser) == ("CYCLES", "blender_cycles")
    assert target.service == "blender"
    assert target.cameras == ["Camera"]
    assert target.warnings == []


def test_a_scene_without_camera_is_flagged_before_the_farm_finds_out(bpy: Any, saved_scene: Path):
    bpy.context.scene.camera = None
    (target,) = BlenderHost().collect().targets
    assert target.cameras == []
    assert "no active camera" in target.warnings[0]


def test_two_view_layers_render_together_or_one_block_each(bpy: Any, saved_scene: Path):
    scene = bpy.context.scene
    scene.render.filepath = "//render/####"
    scene.view_layers.new("BG: sky")
    (together,) = BlenderHost().collect().targets
    assert together.layers == ["ViewLayer", "BG: sky"]

    split = BlenderHost(split_view_layers=True).collect().targets
    folder = saved_scene.parent
    assert [(t.name, t.kind, t.layers) for t in split] == [
        ("ViewLayer", "view_layer", ["ViewLayer"]),
        ("BG: sky", "view_layer", ["BG: sky"]),
    ]
    assert split[1].outputs == [f"{folder}/render/BG_sky/@####@.png"]
    assert split[1].data["output"] == f"{folder}/render/BG_sky/####.png"
    assert split[1].data["view_layer"] == "BG: sky"


def test_view_layers_switched_off_for_rendering_are_left_out(bpy: Any, saved_scene: Path):
    bpy.context.scene.view_layers.new("Unused").use = False
    assert [t.name for t in BlenderHost(split_view_layers=True).collect().targets] == ["ViewLayer"]


def test_stereo_scene_has_one_output_per_eye(bpy: Any, saved_scene: Path):
    render = bpy.context.scene.render
    render.filepath = "//stereo/frame_####"
    render.use_multiview = True
    render.views_format = "STEREO_3D"
    (target,) = BlenderHost().collect().targets
    folder = saved_scene.parent
    assert target.views == ["left", "right"]
    assert target.outputs == [
        f"{folder}/stereo/frame_@####@_L.png",
        f"{folder}/stereo/frame_@####@_R.png",
    ]
    assert target.data["output"] == f"{folder}/stereo/frame_####.png"


def test_stereo_into_one_image_has_one_output(bpy: Any, saved_scene: Path):
    render = bpy.context.scene.render
    render.use_multiview = True
    render.image_settings.views_format = "STEREO_3D"
    (target,) = BlenderHost().collect().targets
    assert target.views == [] and len(target.outputs) == 1


def test_multiview_with_a_third_camera_view(bpy: Any, saved_scene: Path):
    render = bpy.context.scene.render
    render.filepath = "//mv/####"
    render.use_multiview = True
    render.views_format = "MULTIVIEW"
    render.views.new("center").file_suffix = "_C"
    (target,) = BlenderHost().collect().targets
    assert target.views == ["left", "right", "center"]
    assert target.outputs[2] == f"{saved_scene.parent}/mv/@####@_C.png"


def test_movie_output_is_one_task_for_the_whole_range(bpy: Any, saved_scene: Path):
    scene = bpy.context.scene
    scene.frame_start, scene.frame_end = 1, 48
    scene.render.filepath = "//movie/shot_"
    settings = scene.render.image_settings
    if hasattr(settings, "media_type"):  # Blender 5: movies are a media type
        settings.media_type = "VIDEO"
    else:
        settings.file_format = "FFMPEG"
    scene.render.ffmpeg.format = "MPEG4"
    (target,) = BlenderHost().collect().targets
    assert target.single_task
    assert target.outputs == [f"{saved_scene.parent}/movie/shot_0001-0048.mp4"]
    assert target.data["output"] == f"{saved_scene.parent}/movie/shot_"


def test_unsaved_file_has_no_scene_path_and_says_where_frames_would_go(bpy: Any):
    bpy.context.scene.render.filepath = "//render/####"
    host = BlenderHost()
    (target,) = host.collect().targets
    assert host.scene_path() is None
    assert "never saved" in target.warnings[0]
    with pytest.raises(RuntimeError, match="File > Save As"):
        host.save_scene()


def test_a_file_opened_in_the_background_counts_as_saved(bpy: Any, saved_scene: Path):
    bpy.ops.wm.open_mainfile(filepath=str(saved_scene))
    assert bpy.data.is_dirty  # what Blender says without an interface, even now
    assert not BlenderHost().is_modified()


def test_save_copy_writes_the_scene_without_changing_the_open_file(bpy: Any, saved_scene: Path):
    bpy.context.scene.frame_end = 77  # an unsaved change goes to the farm with the copy
    copy = saved_scene.parent / "farm" / "shot 010.20261123-200102.blend"
    copy.parent.mkdir()
    host = BlenderHost()
    host.save_copy(str(copy))
    assert bpy.data.filepath == str(saved_scene)
    bpy.ops.wm.open_mainfile(filepath=str(copy))
    assert bpy.context.scene.frame_end == 77


def test_a_named_scene_is_read_and_a_missing_one_named_with_the_known(bpy: Any, saved_scene: Path):
    bpy.data.scenes.new("Layout").frame_end = 5
    assert BlenderHost(scene="Layout").collect().frames == "1-5"
    with pytest.raises(ValueError, match="scenes: Layout, Scene"):
        BlenderHost(scene="Comp").collect()


def test_the_render_command_renders_the_copy_through_the_configured_blender(
    bpy: Any, saved_scene: Path, site_config: Callable[[str], Path]
):
    site_config("dcc:\n  blender:\n    executable: /opt/blender/blender\n")
    host = BlenderHost()
    (target,) = host.collect().targets
    command = host.render_command(target, "/farm/copy.blend")
    assert command[:3] == ["/opt/blender/blender", "-b", "/farm/copy.blend"]


def test_a_broken_blender_section_names_the_config_file(
    bpy: Any, saved_scene: Path, site_config: Callable[[str], Path]
):
    site = site_config("dcc:\n  blender:\n    executable: {path: blender}\n")
    host = BlenderHost()
    (target,) = host.collect().targets
    with pytest.raises(ConfigError, match=rf"dcc.blender.executable must be .*read from: {site}"):
        host.render_command(target, "/c.blend")


def test_without_config_pip_bpy_renders_with_this_python(bpy: Any, saved_scene: Path):
    import sys

    host = BlenderHost()
    (target,) = host.collect().targets
    command = host.render_command(target, "/c.blend")
    assert command[:3] == [sys.executable, "-m", "afanasy_blender.cli"]


@pytest.mark.parametrize(
    ("name", "folder"), [("BG: sky", "BG_sky"), ("..", "view_layer"), ("Ünïcode", "Ünïcode")]
)
def test_layer_folder_names_are_safe_in_paths(name: str, folder: str):
    assert layer_folder(name) == folder


def test_in_folder_keeps_the_path_s_own_separator():
    assert in_folder("/r/shot_@####@.png", "BG") == "/r/BG/shot_@####@.png"
    assert in_folder("C:\\r\\shot.png", "BG") == "C:\\r\\BG\\shot.png"
    assert in_folder("shot.png", "BG") == "BG/shot.png"
