"""Render layers with their cameras, frames, renderer and files, read from Maya (lazily).

One documented way for everything a layer can override: make the layer current with
``editRenderLayerGlobals(currentRenderLayer=...)`` (which is what Render Setup itself does
when it switches layers) and read ``defaultRenderGlobals`` and the cameras' ``renderable``.
The artist's current layer is made current again afterwards, whatever happens.

A layer is known by its *legacy* ``renderLayer`` node: ``defaultRenderLayer`` for the master
layer, ``rs_<name>`` behind a Render Setup layer. That name is what ``Render -rl``,
``renderSettings -layer`` and ``editRenderLayerGlobals`` take. Output files are Maya's own
answer (``renderSettings`` first and last image name for the layer and camera), so the
prefix, its tokens, per-layer overrides and the padding come out as Maya writes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Optional

from afcore.frames import FrameRange, pattern_from_paths
from afcore.scene import RenderTarget

from . import farm

GLOBALS = "defaultRenderGlobals"
MASTER_NODE, MASTER_LABEL = "defaultRenderLayer", "masterLayer"


@dataclass(frozen=True)
class Layer:
    """A renderable layer: its legacy node (what Maya's commands take) and its name to show."""

    node: str
    label: str


def render_setup_layers() -> Optional[list[Layer]]:
    """The renderable layers of a scene that uses Render Setup; ``None`` when it does not."""
    from maya.app.renderSetup.model import renderSetup  # type: ignore[import-not-found]

    from maya import cmds

    if not renderSetup.hasInstance():
        return None
    setup = renderSetup.instance()
    layers = []
    if setup.getDefaultRenderLayer().isRenderable():
        layers.append(Layer(MASTER_NODE, MASTER_LABEL))
    for layer in setup.getRenderLayers():
        if not layer.isRenderable():
            continue
        # A Render Setup layer drives a legacy renderLayer node connected to its
        # legacyRenderLayer attribute; Render -rl and renderSettings -layer take that node.
        legacy = cmds.listConnections(
            f"{layer.name()}.legacyRenderLayer", source=True, destination=False
        )
        if legacy:
            layers.append(Layer(legacy[0], layer.name()))
    return layers


def legacy_layers() -> list[Layer]:
    """The renderable legacy render layers of this scene (referenced scenes' layers left out)."""
    from maya import cmds

    referenced = set(cmds.ls(type="renderLayer", referencedNodes=True) or [])
    return [
        Layer(node, MASTER_LABEL if node == MASTER_NODE else node)
        for node in cmds.ls(type="renderLayer") or []
        if node not in referenced and cmds.getAttr(f"{node}.renderable")
    ]


def renderable_layers() -> list[Layer]:
    """Render Setup layers where the scene uses Render Setup, else legacy render layers."""
    layers = render_setup_layers()
    return legacy_layers() if layers is None else layers


def current_layer() -> str:
    from maya import cmds

    return str(cmds.editRenderLayerGlobals(query=True, currentRenderLayer=True))


@contextmanager
def restored_current_layer() -> Iterator[None]:
    """Switch layers freely inside; the artist's current layer is current again afterwards."""
    from maya import cmds

    original = current_layer()
    try:
        yield
    finally:
        if current_layer() != original:
            cmds.editRenderLayerGlobals(currentRenderLayer=original)


@dataclass(frozen=True)
class Camera:
    """A camera shape (what ``-cam`` and ``renderSettings -camera`` take) and its transform."""

    shape: str
    label: str


def cameras() -> list[Camera]:
    """Every camera of the scene; which ones render is read per layer."""
    from maya import cmds

    found = []
    for shape in cmds.ls(type="camera") or []:
        parents = cmds.listRelatives(shape, parent=True) or [shape]
        found.append(Camera(shape, parents[0]))
    return found


def _whole(value: float) -> bool:
    return float(value).is_integer()


def read_frames() -> tuple[FrameRange, list[str]]:
    """The current layer's frames as Maya renders them, and what the artist should know."""
    from maya import cmds

    if not cmds.getAttr(f"{GLOBALS}.animation"):
        frame = round(float(cmds.currentTime(query=True)))
        return FrameRange(frame, frame), [
            "Render Settings render a single image with no frame number (Frame/Animation ext "
            f"is name.ext): only frame {frame} is submitted. Choose a name.#.ext format to "
            "render a sequence."
        ]
    start = float(cmds.getAttr(f"{GLOBALS}.startFrame"))
    end = float(cmds.getAttr(f"{GLOBALS}.endFrame"))
    step = float(cmds.getAttr(f"{GLOBALS}.byFrameStep"))
    warnings = []
    if not (_whole(start) and _whole(end) and _whole(step)) or step < 1:
        warnings.append(
            f"Render Settings ask for frames {start:g}-{end:g} by {step:g}; the farm renders "
            "whole frames, so this submits whole frames from the nearest start and end."
        )
    first, last, by = round(start), round(end), max(1, round(step))
    if last < first:
        warnings.append(
            f"End frame {last} is before start frame {first}: only frame {first} is submitted. "
            "Fix the range in Render Settings."
        )
        last = first
    return FrameRange(first, last, by), warnings


def output_pattern(layer: str, camera: str, frames: FrameRange) -> str:
    """The ``@####@`` pattern of the files ``layer`` renders through ``camera``, from Maya."""
    from maya import cmds

    names = cmds.renderSettings(
        firstImageName=True, lastImageName=True, fullPath=True, layer=layer, camera=camera
    )
    first, last = names[0], names[-1]
    if frames.first != frames.last or first != last:
        return pattern_from_paths(first, last, frames.first, frames.last)
    if not cmds.getAttr(f"{GLOBALS}.animation"):
        return first
    # One frame: its name alone does not show which digits are the frame number,
    # so ask Maya for the name with Afanasy's token in the frame number's place.
    padding = int(cmds.getAttr(f"{GLOBALS}.extensionPadding"))
    token = "@" + "#" * max(padding, 1) + "@"
    return cmds.renderSettings(
        genericFrameImageName=token, fullPath=True, layer=layer, camera=camera
    )[0]


@dataclass(frozen=True)
class _LayerReading:
    """What one layer renders, read while it is the current layer."""

    layer: Layer
    renderer: str
    frames: FrameRange
    warnings: list[str]
    order: int
    project: str

    def target(self, camera: Optional[Camera], name: str) -> RenderTarget:
        """The target rendering this layer through ``camera`` (``None``: it has none)."""
        warnings = list(self.warnings)
        outputs = []
        data: dict[str, Any] = {farm.LAYER: self.layer.node, farm.PROJECT: self.project}
        if camera is None:
            warnings.append(
                f"Layer {self.layer.label} has no renderable camera, so Maya renders nothing "
                "for it. Tick Renderable on a camera in Render Settings > Common."
            )
        else:
            data[farm.CAMERA] = camera.shape
            try:
                outputs.append(output_pattern(self.layer.node, camera.shape, self.frames))
            except ValueError as error:
                warnings.append(f"Cannot tell which files this renders: {error}")
        return RenderTarget(
            name=name,
            kind="render_layer",
            selected=camera is not None,
            frames=str(self.frames),
            outputs=outputs,
            layers=[self.layer.node],
            cameras=[camera.label] if camera else [],
            renderer=self.renderer,
            order=self.order,
            warnings=warnings,
            data=data,
        )


def layer_targets(
    layer: Layer, scene_cameras: list[Camera], order: int, project: str
) -> list[RenderTarget]:
    """A layer's targets: one with one camera, one per camera when several render.

    Everything is read with ``layer`` current, so its overrides apply.
    """
    from maya import cmds

    if current_layer() != layer.node:
        cmds.editRenderLayerGlobals(currentRenderLayer=layer.node)
    frames, warnings = read_frames()
    renderer = str(cmds.getAttr(f"{GLOBALS}.currentRenderer"))
    if not farm.is_known(renderer):
        known = ", ".join(farm.RENDERERS)
        warnings.append(
            f"Maya's renderer {renderer!r} is not one this submitter knows ({known}): the farm "
            f"runs Render -r {renderer} with the generic maya service and parser."
        )
    reading = _LayerReading(layer, renderer, frames, warnings, order, project)
    renderable = [c for c in scene_cameras if cmds.getAttr(f"{c.shape}.renderable")]
    if len(renderable) <= 1:
        return [reading.target(renderable[0] if renderable else None, layer.label)]
    return [reading.target(camera, f"{layer.label}/{camera.label}") for camera in renderable]


def flag_collisions(targets: list[RenderTarget]) -> None:
    """Warn on each target that writes the same files as another one."""
    writers: dict[str, list[RenderTarget]] = defaultdict(list)
    for target in targets:
        for output in target.outputs:
            writers[output].append(target)
    for output, same in writers.items():
        if len(same) < 2:
            continue
        for target in same:
            others = ", ".join(t.name for t in same if t is not target)
            target.warnings.append(
                f"Writes the same files as {others} ({output}): one would overwrite the other. "
                "Put <RenderLayer> (and <Camera>) in Render Settings > File name prefix."
            )


def read_targets(project: str) -> list[RenderTarget]:
    """A target per renderable layer (and camera), in the order Maya lists the layers."""
    layers = renderable_layers()
    scene_cameras = cameras()
    with restored_current_layer():
        targets = [
            target
            for order, layer in enumerate(layers)
            for target in layer_targets(layer, scene_cameras, order, project)
        ]
    flag_collisions(targets)
    return targets
