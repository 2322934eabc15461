"""The bpy stand-in for ``blender -b`` renders real frames and reports them as Blender does."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest

from afanasy_blender import farm
from afanasy_blender.cli import main
from afcore.frames import substitute_frames
from afcore.paths import join_command
from afcore.scene import RenderTarget

pytestmark = pytest.mark.bpy


def test_renders_listed_frames_and_prints_the_lines_the_parser_reads(
    tiny_scene: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
):
    output = tmp_path / "out put" / "f_####"
    assert main(["-b", str(tiny_scene), "-y", "-E", "CYCLES", "-o", str(output), "-f", "1,3"]) == 0
    written = sorted(p.name for p in output.parent.iterdir())
    assert written == ["f_0001.png", "f_0003.png"]
    lines = capfd.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines if line.startswith("Fra:")] == ["Fra:1", "Fra:3"]
    assert f"Saved: '{output.parent}/f_0003.png'" in lines


def test_the_add_on_s_command_renders_one_view_layer_of_the_named_scene(
    bpy: Any, tiny_scene: Path, tmp_path: Path
):
    bpy.context.scene.view_layers.new("BG")
    bpy.ops.wm.save_mainfile()
    target = RenderTarget(
        name="BG",
        frames="2-3",
        renderer="CYCLES",
        data={"scene": "Scene", "output": f"{tmp_path}/render/BG/####.png", "view_layer": "BG"},
    )
    args = farm.render_args(target, str(tiny_scene), farm.BlenderFarmConfig(executable=["x"]))
    # What the render client runs for the task of frames 2-3: frames filled in, quoted once.
    task = substitute_frames(join_command(args), 2, 3)
    assert main(shlex.split(task)[1:]) == 0
    assert sorted(p.name for p in (tmp_path / "render" / "BG").iterdir()) == [
        "0002.png",
        "0003.png",
    ]
    layers = {layer.name: layer.use for layer in bpy.context.scene.view_layers}
    assert layers == {"ViewLayer": False, "BG": True}


def test_a_missing_scene_or_file_fails_with_what_exists(
    bpy: Any, tiny_scene: Path, capfd: pytest.CaptureFixture[str]
):
    assert main(["-b", str(tiny_scene), "-S", "Comp", "-a"]) == 1
    assert "Error: -S Comp: no such scene (the file has: Scene)" in capfd.readouterr().err
    assert main(["-b", str(tiny_scene.with_name("gone.blend")), "-a"]) == 1
    assert "no such file" in capfd.readouterr().err


def test_an_unknown_engine_or_format_names_the_known_ones(
    bpy: Any, tiny_scene: Path, capfd: pytest.CaptureFixture[str]
):
    assert main(["-b", str(tiny_scene), "-E", "ARNOLD", "-a"]) == 1
    assert "'CYCLES'" in capfd.readouterr().err
    assert main(["-b", str(tiny_scene), "-F", "GIF", "-a"]) == 1
    assert "'OPEN_EXR'" in capfd.readouterr().err


def test_rendering_before_a_file_is_opened_is_refused(bpy: Any, capfd: pytest.CaptureFixture[str]):
    assert main(["-b", "-a"]) == 1
    assert "give a .blend file before -a" in capfd.readouterr().err


def test_format_and_extension_options_change_what_is_written(
    bpy: Any, tiny_scene: Path, tmp_path: Path
):
    output = tmp_path / "jpg" / "f_##"
    assert main(["-b", str(tiny_scene), "-o", str(output), "-F", "JPEG", "-x", "0", "-f", "2"]) == 0
    assert [p.name for p in output.parent.iterdir()] == ["f_02"]
