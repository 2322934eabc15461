"""BlenderHost: the one place that reads a Blender scene (``bpy`` is imported inside methods).

Output paths are resolved by Blender itself (``RenderSettings.frame_path``) at the first and
last frame, so ``//`` relative paths, the ``#`` run, the file extension, stereo view
suffixes and Blender 5's path templates come out exactly as Blender writes them.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager, redirect_stdout
from typing import Any, Iterator, Optional

from afcore.config import Config
from afcore.dccconfig import HostConfig
from afcore.frames import FrameRange, pattern_from_paths
from afcore.host import Host, register_host
from afcore.scene import RenderTarget, SceneSnapshot

from . import farm

_SEPARATORS = re.compile(r"[/\\]")
_UNSAFE_IN_FOLDER = re.compile(r"[^\w.-]+")


def layer_folder(view_layer: str) -> str:
    """A folder name for a view layer's frames: its name with path-unsafe characters as ``_``."""
    return _UNSAFE_IN_FOLDER.sub("_", view_layer).strip("._") or "view_layer"


def in_folder(path: str, folder: str) -> str:
    """``path`` with ``folder`` put between its directory and its file name."""
    cut = max((m.end() for m in _SEPARATORS.finditer(path)), default=0)
    separator = path[cut - 1] if cut else "/"
    return f"{path[:cut]}{folder}{separator}{path[cut:]}"


@contextmanager
def blender_output_to_stderr() -> Iterator[None]:
    """Send what Blender prints while it reads or writes a file to stderr, not stdout.

    Blender writes "Read blend: ..." and "Saved copy as ..." on the process's stdout, where
    ``afsubmit`` puts its data (the job JSON of ``--dry-run``, the file list of ``--local``).
    """
    sys.stdout.flush()
    stdout = os.dup(1)
    try:
        os.dup2(2, 1)
        with redirect_stdout(sys.stderr):  # Blender's reports go through Python's sys.stdout
            yield
    finally:
        sys.stdout.flush()
        os.dup2(stdout, 1)
        os.close(stdout)


def bpy_executable() -> list[str]:
    """The renderer this process stands for when no config names one.

    Inside Blender that is ``blender`` (found on each render client's PATH); in a Python with
    only the ``bpy`` module there is no Blender binary, so it is this Python running
    :mod:`afanasy_blender.cli`, which renders through ``bpy`` the way ``blender -b`` would.
    """
    import bpy

    if bpy.app.binary_path:
        return ["blender"]
    return [sys.executable, "-m", "afanasy_blender.cli"]


def farm_settings(config: Config) -> farm.BlenderFarmConfig:
    """``dcc.blender`` of ``config``, with this process's renderer when it names none."""
    return farm.BlenderFarmConfig.from_config(config, bpy_executable())


class BlenderHost(Host):
    """Reads the active (or a named) scene of the open .blend file."""

    name = "blender"

    def __init__(
        self,
        scene: Optional[str] = None,
        split_view_layers: bool = False,
        config: Optional[Config] = None,
    ) -> None:
        #: Which scene to submit; ``None`` is the scene of the current context.
        self.scene_name = scene
        #: One target per renderable view layer, each into its own folder, instead of one.
        self.split_view_layers = split_view_layers
        self._configs = HostConfig(farm_settings, config)

    def _scene(self) -> Any:
        import bpy

        if self.scene_name is None:
            return bpy.context.scene
        scene = bpy.data.scenes.get(self.scene_name)
        if scene is None:
            known = ", ".join(scene.name for scene in bpy.data.scenes)
            raise ValueError(f"no scene {self.scene_name!r} in the file (scenes: {known})")
        return scene

    def collect(self) -> SceneSnapshot:
        import bpy

        scene = self._scene()
        render = scene.render
        frames = FrameRange(scene.frame_start, scene.frame_end, scene.frame_step)
        layers = [layer.name for layer in scene.view_layers if layer.use]
        common = _SceneReading(scene, frames)
        if self.split_view_layers:
            targets = [common.target(layer, [layer]) for layer in layers]
        else:
            targets = [common.target(None, layers)]
        return SceneSnapshot(
            scene_file=bpy.data.filepath,
            dcc="blender",
            dcc_version=bpy.app.version_string,
            frames=str(frames),
            fps=render.fps / render.fps_base,
            targets=targets,
            modified=self.is_modified(),
            data={farm.SCENE: scene.name},
        )

    def scene_path(self) -> Optional[str]:
        import bpy

        return bpy.data.filepath or None

    def is_modified(self) -> bool:
        """Unsaved changes in Blender's interface; none in the background.

        Without an interface (``blender -b``, the ``bpy`` module) Blender keeps
        ``is_dirty`` set even right after opening or saving a file, so it says nothing
        there; a script that changes the scene saves it itself.
        """
        import bpy

        return bool(bpy.data.is_dirty) and not bpy.app.background

    def save_scene(self) -> None:
        import bpy

        if not bpy.data.filepath:
            raise RuntimeError(
                "The scene was never saved, so it has no file to save to: "
                "save it once with File > Save As, then submit again."
            )
        with blender_output_to_stderr():
            bpy.ops.wm.save_mainfile()

    def save_copy(self, path: str) -> None:
        import bpy

        # copy=True leaves the open file's own path alone; relative_remap keeps '//' texture
        # paths pointing at the same files when the copy is written to another folder.
        with blender_output_to_stderr():
            bpy.ops.wm.save_as_mainfile(filepath=path, copy=True, relative_remap=True)

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        return farm.render_args(target, scene_copy, self.farm_config())

    def farm_config(self) -> farm.BlenderFarmConfig:
        """The site's ``dcc.blender`` settings, read once per host."""
        return self._configs.farm()


class _SceneReading:
    """What every target of one scene shares, read from ``bpy`` once."""

    def __init__(self, scene: Any, frames: FrameRange) -> None:
        render = scene.render
        self.scene = scene
        self.frames = frames
        self.movie = bool(render.is_movie_format)
        self.views = individual_views(render)
        self.camera = scene.camera.name if scene.camera else ""
        self.engine = render.engine
        self.warnings = _scene_warnings(scene)
        self.outputs, self.output = self._outputs()

    def target(self, view_layer: Optional[str], layers: list[str]) -> RenderTarget:
        folder = layer_folder(view_layer) if view_layer else ""
        outputs, output = self.outputs, self.output
        if folder:
            outputs, output = [in_folder(o, folder) for o in outputs], in_folder(output, folder)
        data: dict[str, Any] = {farm.SCENE: self.scene.name, farm.OUTPUT: output}
        if view_layer is not None:
            data[farm.VIEW_LAYER] = view_layer
        warnings = list(self.warnings)
        if not os.path.isabs(output):
            warnings.append(
                f"The output path {output!r} is relative to a .blend file that was never "
                "saved: save the scene, or set an absolute output path."
            )
        return RenderTarget(
            name=view_layer or self.scene.name,
            kind="view_layer" if view_layer else "scene",
            frames=str(self.frames),
            outputs=outputs,
            views=self.views,
            layers=layers,
            cameras=[self.camera] if self.camera else [],
            renderer=self.engine,
            service=farm.SERVICE,
            parser=farm.parser_for(self.engine),
            single_task=self.movie,
            creates_folders=True,
            warnings=warnings,
            data=data,
        )

    def _outputs(self) -> tuple[list[str], str]:
        """The ``@####@`` file pattern of each view, and the ``-o`` argument that writes them."""
        import bpy

        render = self.scene.render
        first = self.frames.first
        views = self.views or [""]
        if self.movie:
            # A movie's name holds the whole range ("0001-0250.mkv"): Blender names it
            # again on the farm from the path as the artist wrote it.
            names = [render.frame_path(frame=first, view=view) for view in views]
            return names, bpy.path.abspath(render.filepath)
        # Two different frames show where the frame number is, even for a one-frame range.
        second = max(self.frames.last, first + 1)

        def pattern(view: str) -> str:
            return pattern_from_paths(
                render.frame_path(frame=first, view=view),
                render.frame_path(frame=second, view=view),
                first,
                second,
            )

        return [pattern(view) for view in views], farm.output_argument(pattern(""))


def individual_views(render: Any) -> list[str]:
    """The stereo / multiview views written to files of their own; none when one file holds all."""
    if not render.use_multiview or render.image_settings.views_format != "INDIVIDUAL":
        return []
    if render.views_format == "STEREO_3D":
        return ["left", "right"]
    return [view.name for view in render.views if view.use]


def _scene_warnings(scene: Any) -> list[str]:
    warnings = []
    if scene.camera is None:
        warnings.append(
            f"Scene {scene.name!r} has no active camera: Blender cannot render it. "
            "Set one in Scene Properties > Camera."
        )
    if "{" in scene.render.filepath and scene.render.is_movie_format:
        warnings.append(
            "The movie's output path uses path templates ({...}); on the farm they are "
            "filled in from the render copy, whose file name differs from this scene's."
        )
    return warnings


register_host("blender", BlenderHost)
