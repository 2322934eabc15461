"""The render client's Blender command for one target: pure, no ``bpy``, fully testable.

    blender -b <copy> -y -S <scene> -E <ENGINE> -o <output> -s @#@ -e @#@ -j <step> -a

Blender applies its arguments in order, so ``-S`` (which scene) comes before what is set on
that scene (``-E``, ``-o``, the frames), and ``-a`` (render the animation) comes last. The
output is always given with ``-o`` as an absolute path, so frames land where the artist's
scene said even though the render reads a copy saved elsewhere. A target for one view layer
adds ``--python-expr`` with a line that switches every other view layer of the scene off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from afcore.frames import parse_frames
from afcore.paths import map_path
from afcore.scene import RenderTarget

if TYPE_CHECKING:
    from afcore.config import Config

SERVICE = "blender"

#: CGRU's parsers by render engine (afanasy/python/parsers); any other engine gets ``blender``,
#: which reads the ``Fra:`` and ``Saved:`` lines every engine prints.
PARSERS = {"CYCLES": "blender_cycles", "BLENDER_RENDER": "blender_render"}
DEFAULT_PARSER = "blender"

#: Keys of ``RenderTarget.data`` this module reads (the host writes them).
SCENE, OUTPUT, VIEW_LAYER = "scene", "output", "view_layer"


def parser_for(engine: str) -> str:
    """The Afanasy parser that reads progress from ``engine``'s output."""
    return PARSERS.get(engine, DEFAULT_PARSER)


def _arguments(value: Any, key: str) -> list[str]:
    """A config value as arguments: one text is one argument (a path may hold spaces)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return list(value)
    raise ValueError(
        f"config dcc.blender.{key} must be a text or a list of texts, not {value!r}; "
        "e.g. executable: /opt/blender/blender  or  executable: [python3, -m, afanasy_blender.cli]"
    )


@dataclass(frozen=True)
class BlenderFarmConfig:
    """What a site sets for Blender renders (``dcc.blender`` in the config), and its path maps."""

    #: The program and its leading arguments: ``["blender"]``, or the bpy-only stand-in
    #: ``["python3", "-m", "afanasy_blender.cli"]`` (see :mod:`afanasy_blender.cli`).
    executable: list[str] = field(default_factory=lambda: ["blender"])
    #: Arguments put right after the executable, e.g. ``["--factory-startup"]``.
    extra_args: list[str] = field(default_factory=list)
    #: Client-to-farm prefixes for the output path (the builder maps the copy and outputs).
    path_maps: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: Config, executable: list[str]) -> BlenderFarmConfig:
        """Read ``dcc.blender``; ``executable`` is used when the section does not name one."""
        section = config.dcc.get("blender", {})
        return cls(
            executable=_arguments(section.get("executable") or executable, "executable"),
            extra_args=_arguments(section.get("extra_args", []), "extra_args"),
            path_maps=list(config.path_maps),
        )


def view_layer_expression(view_layer: str) -> str:
    """A ``--python-expr`` line that renders only ``view_layer`` of the current scene."""
    return (
        f"import bpy; [setattr(layer, 'use', layer.name == {view_layer!r}) "
        "for layer in bpy.context.scene.view_layers]"
    )


_AFANASY_TOKEN = re.compile(r"@(#+)@")


def output_argument(pattern: str) -> str:
    """Blender's ``-o`` form of an ``@####@`` output pattern: the frame run as ``####``."""
    return _AFANASY_TOKEN.sub(r"\1", pattern)


def frame_step(frames: str) -> int:
    """The ``-j`` step of a block's frames (the builder gives each frame range its own block)."""
    return parse_frames(frames)[0].step


def render_args(target: RenderTarget, scene_copy: str, config: BlenderFarmConfig) -> list[str]:
    """The command a render client runs for ``target`` (frames left as Afanasy's ``@#@``)."""
    args = [*config.executable, *config.extra_args, "-b", scene_copy, "-y"]
    if target.data.get(SCENE):
        args += ["-S", target.data[SCENE]]
    args += ["-E", target.renderer]
    if target.data.get(VIEW_LAYER):
        args += ["--python-expr", view_layer_expression(target.data[VIEW_LAYER])]
    if target.data.get(OUTPUT):
        args += ["-o", map_path(target.data[OUTPUT], config.path_maps)]
    args += ["-s", "@#@", "-e", "@#@", "-j", str(frame_step(target.frames)), "-a"]
    return args
