"""Write a tiny Cycles scene to submit: a few pixels, three frames, rendered in about a second.

    .venv/bin/python examples/blender/make_example.py     # examples/generated/tiny_cycles.blend
    afsubmit --local examples/generated/tiny_cycles.blend  # render/0001.png .. 0003.png beside it

Needs Blender as a Python module (``pip install bpy``, Python 3.11). The scene is made by this
script rather than kept in the repository, so it always matches the installed Blender.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

GENERATED = Path(__file__).resolve().parents[1] / "generated"


def make_scene(path: Path, frames: int = 3, size: tuple[int, int] = (16, 12)) -> Path:
    """Build the scene in a fresh Blender session and save it to ``path``."""
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    bpy.ops.mesh.primitive_monkey_add(size=1.5)
    monkey = bpy.context.object
    monkey.rotation_euler.z = 0.0
    monkey.keyframe_insert("rotation_euler", index=2, frame=1)
    monkey.rotation_euler.z = math.radians(30 * (frames - 1))
    monkey.keyframe_insert("rotation_euler", index=2, frame=frames)

    bpy.ops.object.light_add(type="SUN", rotation=(0.6, 0.2, 0.8))
    bpy.ops.object.camera_add(location=(0.0, -4.5, 0.6), rotation=(math.radians(85), 0.0, 0.0))
    scene.camera = bpy.context.object

    scene.frame_start, scene.frame_end = 1, frames
    render = scene.render
    render.engine = "CYCLES"
    render.resolution_x, render.resolution_y = size
    render.resolution_percentage = 100
    render.filepath = "//render/####"
    render.image_settings.file_format = "PNG"
    scene.cycles.samples = 1
    scene.cycles.device = "CPU"
    scene.cycles.use_denoising = False

    path.parent.mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(path))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=GENERATED / "tiny_cycles.blend")
    parser.add_argument("--frames", type=int, default=3, help="how many frames (default 3)")
    options = parser.parse_args()
    print(make_scene(options.path.resolve(), options.frames))


if __name__ == "__main__":
    main()
