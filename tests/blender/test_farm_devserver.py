"""The add-on against a real devserver: the jobs it sends, and frames rendered end to end."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

from afcore.cli import afsubmit
from afcore.client import Client
from afcore.devserver import DevServer
from afcore.frames import substitute_frames
from afcore.job import Job
from afcore.paths import quote_arg

pytest_plugins = ["devserver_fixture"]
pytestmark = pytest.mark.bpy

COPY_NAME = re.compile(r"shot 010\.\d{8}-\d{6}(-\d+)?\.blend$")


def submit_from_the_panel(
    bpy: Any, server: DevServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[Job, dict]:
    """Press Submit, wait for the sending thread: the job sent, and the server's view of it."""
    from afanasy_blender import operators

    monkeypatch.setenv("AF_SERVERNAME", f"127.0.0.1:{server.port}")
    assert bpy.ops.afanasy.submit() == {"FINISHED"}
    sending = operators.current_sending()
    sending.thread.join(timeout=30)
    operators.watch_sending()
    status = bpy.context.window_manager.afanasy_status
    assert status.state == "SENT", status.message
    job_id = int(status.job_ids)
    assert status.message == f"Job {job_id} sent"
    (sent,) = sending.submission.jobs
    return sent, Client("127.0.0.1", server.port).get_job(job_id)


def test_the_panel_settings_reach_the_farm(
    bpy: Any,
    addon: Any,
    saved_scene: Path,
    devserver_factory: Callable[..., DevServer],
    monkeypatch: pytest.MonkeyPatch,
):
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    scene.render.filepath = "//render/####.png"
    scene.frame_start, scene.frame_end = 1, 5
    props = scene.afanasy
    props.initialized = True
    props.job_name, props.priority, props.frames_per_task = "shot 010 beauty", 150, 2
    props.hosts_mask, props.max_running_tasks, props.start_paused = "render0[1-4]", 3, True
    props.need_memory_gb = 8.0

    sent, job = submit_from_the_panel(bpy, devserver_factory(workers=0), monkeypatch)
    (block,) = job["blocks"]
    folder = saved_scene.parent
    assert (job["name"], job["priority"], job["hosts_mask"]) == (
        "shot 010 beauty",
        150,
        "render0[1-4]",
    )
    assert job["max_running_tasks"] == 3 and "OFF" in job["state"]
    assert (block["service"], block["parser"]) == ("blender", "blender_cycles")
    assert (block["frame_first"], block["frame_last"], block["frames_per_task"]) == (1, 5, 2)
    assert sent.blocks[0].need_memory == 8192  # MB, as Afanasy counts
    assert block["files"] == [f"{folder}/render/@####@.png"]
    command = block["command"]
    copy = command.split(" -b '", 1)[1].split("'", 1)[0]
    assert COPY_NAME.search(copy) and Path(copy).is_file() and Path(copy).parent == folder
    assert f"-o '{folder}/render/####.png' -s @#@ -e @#@ -j 1 -a" in command
    assert job["command_post"] == f"rm -f -- '{copy}'"
    assert bpy.data.filepath == str(saved_scene)  # the open file is still the artist's


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("two_view_layers", [("ViewLayer", ["render/ViewLayer/@####@.png"]),
                             ("BG", ["render/BG/@####@.png"])]),
        ("stereo", [("Scene", ["render/@####@_L.png", "render/@####@_R.png"])]),
        ("movie", [("Scene", ["render/0001-0005.mp4"])]),
    ],
)  # fmt: skip
def test_view_layers_stereo_and_movies_become_the_right_blocks(
    bpy: Any,
    addon: Any,
    saved_scene: Path,
    devserver_factory: Callable[..., DevServer],
    monkeypatch: pytest.MonkeyPatch,
    setup: str,
    expected: list[tuple[str, list[str]]],
):
    scene = bpy.context.scene
    scene.render.filepath = "//render/"
    scene.frame_start, scene.frame_end = 1, 5
    if setup == "two_view_layers":
        scene.view_layers.new("BG")
        scene.afanasy.split_view_layers = True
    elif setup == "stereo":
        scene.render.use_multiview = True
    else:
        scene.render.image_settings.media_type = "VIDEO"
        scene.render.ffmpeg.format = "MPEG4"

    _, job = submit_from_the_panel(bpy, devserver_factory(workers=0), monkeypatch)
    folder = saved_scene.parent
    blocks = [(b["name"], b["files"]) for b in job["blocks"]]
    assert blocks == [(name, [f"{folder}/{file}" for file in files]) for name, files in expected]
    tasks = [
        -(-(b["frame_last"] - b["frame_first"] + 1) // b["frames_per_task"]) for b in job["blocks"]
    ]
    assert tasks == [1 if setup == "movie" else 5] * len(expected)


def test_end_to_end_a_tiny_cycles_scene_renders_on_the_local_farm(
    tiny_scene: Path, plugin_on_path: None, capfd: pytest.CaptureFixture[str]
):
    """``afsubmit --local``: the devserver's workers run the bpy stand-in, two frames a task."""
    scene = tiny_scene
    capfd.readouterr()

    assert afsubmit.main([str(scene), "--fpt", "2", "--dry-run"]) == 0
    (block,) = json.loads(capfd.readouterr().out)["job"]["blocks"]
    assert (block["frame_first"], block["frame_last"], block["frames_per_task"]) == (1, 3, 2)
    (pattern,) = block["files"]
    assert block["command"].startswith(f"{quote_arg(sys.executable)} -m afanasy_blender.cli -b ")

    assert afsubmit.main(["--local", str(scene), "--fpt", "2"]) == 0, capfd.readouterr().err
    expected = [substitute_frames(pattern, frame, frame) for frame in (1, 2, 3)]
    assert expected == [str(scene.parent / "render" / f"{n:04d}.png") for n in (1, 2, 3)]
    assert all(Path(frame).stat().st_size > 0 for frame in expected)
    assert capfd.readouterr().out.splitlines() == expected  # --local lists the frames it wrote
