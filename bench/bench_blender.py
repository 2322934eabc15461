"""How long "Submit to Afanasy" holds Blender's main thread on a scene with 50 view layers.

The operator reads the scene, checks it, builds the jobs and writes the farm's copy of the
scene on the main thread; the network is another thread's work. So the time the operator
call takes is the time Blender's interface waits. Measured with the real ``bpy`` module on
a saved factory scene with 50 view layers, rendered together (one block) and one block per
view layer (50 blocks), against a port nobody listens on (the sending thread finishes
before the next run and is not timed). Also: ``BlenderHost.collect()`` alone.

Target: the operator in under 0.1 s. Results go to bench/results/blender.json.

Run: ``.venv/bin/python bench/bench_blender.py [--repeat N]``
"""

from __future__ import annotations

import os
import socket

import benchlib

benchlib.use_checkout("plugins/blender")

TARGET_SECONDS = 0.1
VIEW_LAYERS = 50


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    repeat = benchlib.repeat_option(__doc__, default=15)
    home = benchlib.private_home("blender")
    os.environ["AF_SERVERNAME"] = f"127.0.0.1:{unused_port()}"

    import bpy

    import afanasy_blender
    from afanasy_blender import operators
    from afanasy_blender.host import BlenderHost

    scene_path = home / "shot" / "layers.blend"
    scene_path.parent.mkdir()
    scene = bpy.context.scene
    scene.render.filepath = "//render/####"
    for number in range(1, VIEW_LAYERS):
        scene.view_layers.new(f"layer{number:02d}")
    bpy.ops.wm.save_as_mainfile(filepath=str(scene_path))
    afanasy_blender.register()
    props = scene.afanasy

    def submit() -> None:
        # 50 layers x 250 frames is 12,500 tasks: the artist said yes to the question.
        bpy.ops.afanasy.submit(confirmed=True)

    def finish_sending() -> None:
        operators.current_sending().thread.join()
        operators.watch_sending()
        for leftover in scene_path.parent.glob("layers.*.blend"):
            leftover.unlink()

    cases = {}
    for split in (False, True):
        props.split_view_layers = split
        blocks = VIEW_LAYERS if split else 1
        plural = "s" if split else ""
        scene_size = f"{VIEW_LAYERS} view layers"
        cases[f"operator: {scene_size}, {blocks} block{plural}"] = benchlib.timings(
            submit, repeat, after=finish_sending
        )
        host = BlenderHost(split_view_layers=split)
        cases[f"collect: {scene_size}, {blocks} target{plural}"] = benchlib.timings(
            host.collect, repeat
        )
    afanasy_blender.unregister()

    slowest = max(case["median_s"] for name, case in cases.items() if name.startswith("operator"))
    result = {
        "what": "Submit to Afanasy on the main thread (read, check, build, write the copy)",
        **benchlib.environment(),
        "blender": bpy.app.version_string,
        "repeat": repeat,
        "target_s": TARGET_SECONDS,
        "met": slowest < TARGET_SECONDS,
        "cases": cases,
    }
    benchlib.publish("blender", result)


if __name__ == "__main__":
    main()
