"""``python -m afanasy_blender.cli``: Blender's render command line, run through the ``bpy`` module.

pip's ``bpy`` has no ``blender`` program. This module accepts the part of Blender's command
line the add-on emits, processed in order as Blender does, so a render client with only
``bpy`` installed can run a submitted job::

    python -m afanasy_blender.cli -b shot.blend -y -S Scene -E CYCLES \\
        -o /renders/shot/####.png -s 1 -e 10 -j 1 -a

Accepted: ``-b`` (background; always on), a .blend path (opened where it stands),
``-y`` / ``-Y`` (auto-run the file's scripts or not, applied before any file is opened),
``-S`` scene, ``-E`` engine, ``-o`` output, ``-F`` file format, ``-x`` 0/1 (file
extension), ``-s`` / ``-e`` / ``-j`` (start, end, step), ``--python-expr`` code, ``-a``
(render the animation), ``-f`` frames (``5``, ``1,3``, ``1..10``). Frames are plain
numbers: Blender's ``+N`` / ``-N`` relative frames are refused rather than guessed.

It prints the lines Afanasy's ``blender`` parsers read: ``Fra:<n> ...`` as each frame
starts and ``Saved: '<file>'`` for each file written. Exit status 0 when every render
finished, 1 with an ``Error:`` line otherwise.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .host import individual_views

#: Options that take one value, by every spelling Blender accepts.
_WITH_VALUE = {
    "-S": "scene", "--scene": "scene",
    "-E": "engine", "--engine": "engine",
    "-o": "output", "--render-output": "output",
    "-F": "format", "--render-format": "format",
    "-x": "extension", "--use-extension": "extension",
    "-s": "start", "--frame-start": "start",
    "-e": "end", "--frame-end": "end",
    "-j": "step", "--frame-jump": "step",
    "-f": "frames", "--render-frame": "frames",
    "--python-expr": "python",
}  # fmt: skip
_FLAGS = {
    "-a": "animation",
    "--render-anim": "animation",
    "-b": "background",
    "--background": "background",
}
_AUTOEXEC = {"-y": True, "--enable-autoexec": True, "-Y": False, "--disable-autoexec": False}


class CommandLineError(Exception):
    """The command line asks for something this stand-in cannot do; the text says what."""


@dataclass(frozen=True)
class Step:
    """One action of the command line, in the order written."""

    action: str
    value: str = ""


def parse(argv: list[str]) -> tuple[list[Step], bool]:
    """The steps ``argv`` asks for, and whether the file's own scripts may run (``-y``)."""
    steps: list[Step] = []
    autoexec = False
    args = iter(argv)
    for arg in args:
        if arg in _AUTOEXEC:
            autoexec = _AUTOEXEC[arg]
        elif arg in _FLAGS:
            steps.append(Step(_FLAGS[arg]))
        elif arg in _WITH_VALUE:
            value = next(args, None)
            if value is None:
                raise CommandLineError(f"{arg} needs a value after it")
            steps.append(Step(_WITH_VALUE[arg], value))
        elif arg.startswith("-"):
            known = " ".join(sorted({*_WITH_VALUE, *_FLAGS, *_AUTOEXEC}))
            raise CommandLineError(
                f"{arg} is not an option this bpy stand-in for blender knows (it knows: {known}); "
                "render with a real Blender for anything else"
            )
        else:
            steps.append(Step("open", arg))
    return steps, autoexec


def frame_number(text: str, option: str) -> int:
    """A plain frame number; Blender reads a leading sign as relative, so those are refused."""
    if not text.isdigit():
        raise CommandLineError(
            f"{option} {text}: expected a frame number such as 1 or 1001 "
            "(relative frames like +1 or -1 are not supported here)"
        )
    return int(text)


def frame_list(text: str) -> list[int]:
    """Blender's ``-f`` frames: ``5``, ``1,3,7``, ``1..10`` (inclusive) and mixes of them."""
    frames: list[int] = []
    for part in text.split(","):
        first, dots, last = part.partition("..")
        if dots:
            frames += range(frame_number(first, "-f"), frame_number(last, "-f") + 1)
        else:
            frames.append(frame_number(part, "-f"))
    return frames


class Session:
    """The state Blender keeps while it works through its arguments: the file and its scene."""

    def __init__(self, autoexec: bool) -> None:
        self.autoexec = autoexec
        self.opened = False

    @property
    def scene(self) -> Any:
        import bpy

        return bpy.context.scene

    def run(self, steps: list[Step]) -> None:
        for step in steps:
            self._handlers()[step.action](step.value)

    def _handlers(self) -> dict[str, Callable[[str], None]]:
        return {
            "background": lambda _: None,  # bpy always runs without a window
            "open": self.open,
            "scene": self.set_scene,
            "engine": lambda name: self._set_enum(self.scene.render, "engine", name, "-E"),
            "output": lambda path: setattr(self.scene.render, "filepath", path),
            "format": self.set_format,
            "extension": self.set_extension,
            "start": lambda text: setattr(self.scene, "frame_start", frame_number(text, "-s")),
            "end": lambda text: setattr(self.scene, "frame_end", frame_number(text, "-e")),
            "step": lambda text: setattr(self.scene, "frame_step", frame_number(text, "-j")),
            "python": self.python,
            "animation": lambda _: self.render(None),
            "frames": lambda text: self.render(frame_list(text)),
        }

    def open(self, path: str) -> None:
        import bpy

        if not os.path.isfile(path):
            raise CommandLineError(f"cannot open {path!r}: no such file")
        bpy.ops.wm.open_mainfile(filepath=path, use_scripts=self.autoexec)
        self.opened = True

    def set_scene(self, name: str) -> None:
        import bpy

        scene = bpy.data.scenes.get(name)
        if scene is None:
            known = ", ".join(s.name for s in bpy.data.scenes)
            raise CommandLineError(f"-S {name}: no such scene (the file has: {known})")
        bpy.context.window.scene = scene

    def set_format(self, name: str) -> None:
        settings = self.scene.render.image_settings
        media = {"FFMPEG": "VIDEO", "OPEN_EXR_MULTILAYER": "MULTI_LAYER_IMAGE"}
        if hasattr(settings, "media_type"):  # Blender 5 chooses movies and multilayer this way
            self._set_enum(settings, "media_type", media.get(name, "IMAGE"), "-F")
            if name in media:
                return
        self._set_enum(settings, "file_format", name, "-F")

    def set_extension(self, text: str) -> None:
        if text not in ("0", "1"):
            raise CommandLineError(f"-x {text}: expected 0 or 1")
        self.scene.render.use_file_extension = text == "1"

    def python(self, code: str) -> None:
        import bpy

        exec(compile(code, "<--python-expr>", "exec"), {"bpy": bpy, "__name__": "__main__"})

    @staticmethod
    def _set_enum(owner: Any, prop: str, value: str, option: str) -> None:
        try:
            setattr(owner, prop, value)
        except TypeError as error:  # bpy names the values it knows: 'enum "X" not found in (...)'
            raise CommandLineError(f"{option} {value}: {error}") from None

    def render(self, frames: Optional[list[int]]) -> None:
        """Render the animation (``frames`` None) or the listed frames, reporting like Blender."""
        import bpy

        if not self.opened:
            raise CommandLineError("nothing to render: give a .blend file before -a or -f")
        scene = self.scene
        with _ProgressLines(scene):
            if frames is None:
                bpy.ops.render.render(animation=True, scene=scene.name)
                return
            start, end = scene.frame_start, scene.frame_end
            try:
                for frame in frames:
                    scene.frame_start = scene.frame_end = frame
                    bpy.ops.render.render(animation=True, scene=scene.name)
            finally:
                scene.frame_start, scene.frame_end = start, end


class _ProgressLines:
    """Prints ``Fra:`` and ``Saved:`` lines through Blender's render handlers while rendering."""

    def __init__(self, scene: Any) -> None:
        self.scene = scene
        self.movie = bool(scene.render.is_movie_format)

    def started(self, scene: Any, *_: Any) -> None:
        view_layers = ", ".join(layer.name for layer in scene.view_layers if layer.use)
        print(f"Fra:{scene.frame_current} | {scene.name}, {view_layers}", flush=True)

    def written(self, scene: Any, *_: Any) -> None:
        render, frame = scene.render, scene.frame_current
        if self.movie:
            print(f"Append frame {frame}", flush=True)
            return
        for view in individual_views(render) or [""]:
            print(f"Saved: '{render.frame_path(frame=frame, view=view)}'", flush=True)

    def __enter__(self) -> _ProgressLines:
        import bpy

        bpy.app.handlers.render_pre.append(self.started)
        bpy.app.handlers.render_write.append(self.written)
        return self

    def __exit__(self, error_type: Any, *_: Any) -> None:
        import bpy

        bpy.app.handlers.render_pre.remove(self.started)
        bpy.app.handlers.render_write.remove(self.written)
        if self.movie and error_type is None:
            render = self.scene.render
            print(f"Saved: '{render.frame_path(frame=self.scene.frame_start)}'", flush=True)


def main(argv: Optional[list[str]] = None) -> int:
    """Run a Blender command line through ``bpy``; the exit status says whether it all rendered."""
    try:
        steps, autoexec = parse(list(sys.argv[1:] if argv is None else argv))
        Session(autoexec).run(steps)
    except CommandLineError as error:
        print(f"Error: {error}", file=sys.stderr, flush=True)
        return 1
    except RuntimeError as error:  # bpy.ops raise RuntimeError with Blender's own report
        print(f"Error: {error}".rstrip(), file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
