"""``afsubmit SCENE.blend``: the .blend reader, with Blender as a module and without it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from afanasy_blender.reader import BpyMissing, read_snapshot
from afcore.cli import afsubmit
from afcore.cli.readers import reader_for

pytestmark = pytest.mark.bpy


def test_the_blend_extension_finds_this_reader():
    assert reader_for("shot.blend") is read_snapshot


def test_the_reader_opens_the_file_and_returns_a_host_on_it(bpy: Any, saved_scene: Path):
    bpy.ops.wm.read_factory_settings(use_empty=True)
    host = read_snapshot(str(saved_scene))
    assert host.name == "blender"
    assert host.scene_path() == str(saved_scene)
    assert [t.name for t in host.collect().targets] == ["Scene"]


def test_without_bpy_it_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setitem(sys.modules, "bpy", None)  # what a Python without bpy sees
    with pytest.raises(BpyMissing, match=r"needs Blender as a Python module: `pip install bpy`"):
        read_snapshot(str(tmp_path / "shot.blend"))


def test_a_missing_file_is_named(bpy: Any, tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="no .blend file at"):
        read_snapshot(str(tmp_path / "gone.blend"))


def test_afsubmit_dry_run_prints_the_blender_job(
    bpy: Any, saved_scene: Path, capfd: pytest.CaptureFixture[str]
):
    bpy.context.scene.render.engine = "CYCLES"
    bpy.context.scene.frame_end = 4
    bpy.ops.wm.save_mainfile()
    capfd.readouterr()  # this test's own saving reported above; only afsubmit's output below
    assert afsubmit.main([str(saved_scene), "--fpt", "2", "--dry-run"]) == 0
    (block,) = json.loads(capfd.readouterr().out)["job"]["blocks"]
    assert (block["service"], block["parser"]) == ("blender", "blender_cycles")
    assert (block["frame_first"], block["frame_last"], block["frames_per_task"]) == (1, 4, 2)
    assert " -E CYCLES " in block["command"] and block["command"].endswith("-s @#@ -e @#@ -j 1 -a")
    assert not list(saved_scene.parent.glob("*.20*.blend"))  # a dry run writes no copy
