"""The open Houdini session as an Afanasy host: the only submit-side module that talks to Houdini.

``hou`` is imported inside functions, so importing this module needs no Houdini.
The farm renders a file copy of the saved .hip: the artist's file is saved only
when they agree (``hou.hipFile.save()``), and the session's file name never
changes (``hou.hipFile.save(path)`` would rename it, so it is never called).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Optional

from afanasy_houdini import farm
from afanasy_houdini.roptypes import FETCH, NETWORKS, WEDGE
from afanasy_houdini.targets import CannotEvaluate, Session, collect_targets, frames_text
from afcore.dccconfig import HostConfig
from afcore.host import Host, register_host
from afcore.paths import map_path
from afcore.scene import RenderTarget, SceneSnapshot
from afcore.scenecopy import copy_scene_file

if TYPE_CHECKING:
    import hou

    from afcore.config import Config

#: ``wedgemethod`` of a Wedge ROP that makes one wedge per child take.
WEDGE_BY_TAKE = 1

_NEVER_SAVED = (
    "The scene was never saved, so there is no .hip file for the farm to render: "
    "save it once with File > Save As, then submit again."
)


class LiveRop:
    """A ``hou.RopNode`` as :class:`afanasy_houdini.targets.RopSource` presents it."""

    def __init__(self, node: hou.RopNode) -> None:
        self._node = node
        self.path = node.path()
        self.type_name = node.type().name()

    @property
    def bypassed(self) -> bool:
        return self._node.isBypassed()

    @property
    def selected(self) -> bool:
        return self._node.isSelected()

    def inputs(self) -> tuple[str, ...]:
        return tuple(node.path() for node in self._node.inputs() if node is not None)

    def has_parm(self, name: str) -> bool:
        return self._node.parm(name) is not None

    def number(self, name: str, default: float) -> float:
        parm = self._node.parm(name)
        return default if parm is None else float(parm.eval())

    def text(self, name: str) -> str:
        parm = self._node.parm(name)
        return "" if parm is None else parm.evalAsString()

    def evaluate(self, name: str, frame: float) -> str:
        import hou

        parm = self._node.parm(name)
        if parm is None:
            raise CannotEvaluate(f"{self.path} has no parameter {name!r}")
        try:
            return str(parm.evalAtFrame(frame))
        except hou.Error as error:
            raise CannotEvaluate(error.instanceMessage()) from None

    def reference(self, name: str) -> str:
        named = self.text(name)
        node = self._node.node(named) if named else None
        return node.path() if node is not None else ""

    def wedge_count(self) -> int:
        """As the Wedge ROP counts: child takes, random samples, or the product of the steps."""
        import hou

        if self.number("wedgemethod", 0) == WEDGE_BY_TAKE:
            name = self.text("roottake")
            parent = hou.takes.findTake(name)
            if parent is None:
                raise CannotEvaluate(f"there is no take named {name!r}")
            count = len(parent.children())
        elif self.number("random", 0):
            count = int(self.number("numrandom", 0))
        else:
            steps = self._node.parm("wedgeparams")
            count = 1
            for parm in steps.multiParmInstances() if steps is not None else ():
                if parm.name().startswith("steps") and float(parm.eval()) > 0:
                    count *= int(float(parm.eval()))
        if count < 1:
            raise CannotEvaluate("its settings make no wedge")
        return count


def scene_rops() -> list[hou.RopNode]:
    """ROPs in /out and /stage, selected ROPs anywhere, and every ROP those render.

    Locked assets are not looked into (a Karma ROP's own insides are not
    targets), but a ROP a Fetch names is found wherever it is.
    """
    import hou

    pending: list[hou.Node] = []
    for root in NETWORKS:
        network = hou.node(root)
        if network is not None:
            pending += network.allSubChildren(recurse_in_locked_nodes=False)
    pending += hou.selectedNodes()
    found: dict[str, hou.RopNode] = {}
    for node in pending:  # grows while it is walked
        if not isinstance(node, hou.RopNode) or node.path() in found:
            continue
        found[node.path()] = node
        pending += [up for up in node.inputs() if up is not None]
        linked = {FETCH: "source", WEDGE: "driver"}.get(node.type().name())
        named = str(node.evalParm(linked)) if linked else ""
        reference = node.node(named) if named else None
        if reference is not None:
            pending.append(reference)
    return list(found.values())


class HoudiniHost(Host):
    """Reads the open session's ROPs; saves the .hip only when the artist agreed."""

    name = "houdini"

    def __init__(self, config: Optional[Config] = None) -> None:
        self._configs = HostConfig(farm.HoudiniFarmConfig.from_config, config)

    def collect(self) -> SceneSnapshot:
        import hou

        session = Session(
            frame=hou.frame(),
            take=hou.takes.currentTake().name(),
            root_take=hou.takes.rootTake().name(),
        )
        start, end = hou.playbar.frameRange()
        return SceneSnapshot(
            scene_file=self.scene_path() or "",
            dcc="houdini",
            dcc_version=hou.applicationVersionString(),
            frames=frames_text(round(start), round(end), 1),
            fps=hou.fps(),
            targets=collect_targets([LiveRop(node) for node in scene_rops()], session),
            modified=self.is_modified(),
            data={"take": session.take},
        )

    def scene_path(self) -> Optional[str]:
        import hou

        return None if hou.hipFile.isNewFile() else hou.hipFile.path()

    def is_modified(self) -> bool:
        import hou

        return hou.hipFile.hasUnsavedChanges()

    def save_scene(self) -> None:
        import hou

        if self.scene_path() is None:
            raise RuntimeError(_NEVER_SAVED)
        hou.hipFile.save()

    def save_copy(self, path: str) -> None:
        """Copy the saved .hip to ``path``; the session keeps its file name and state."""
        scene = self.scene_path()
        if scene is None:
            raise RuntimeError(_NEVER_SAVED)
        copy_scene_file(scene, path)

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        """The task command; the builder maps the copy to farm paths, the original is done here."""
        original = map_path(self.scene_path() or "", self.config().path_maps)
        return farm.render_args(target, scene_copy, original, self.farm_config())

    def parent_window(self) -> Any:
        """Houdini's main window, when there is one (not in hython)."""
        import hou

        return hou.qt.mainWindow() if hou.isUIAvailable() else None

    def notify(self, message: str, level: str = "info") -> None:
        """Errors pop up, the rest goes to the status bar; always on Houdini's main thread.

        The dialog sends jobs from a worker thread, and Houdini's UI may only
        be touched from the main one.
        """
        import hou

        if not hou.isUIAvailable():
            super().notify(message, level)
            return
        import hdefereval  # type: ignore[import-not-found]  # Houdini's own, graphical sessions only

        text = f"Afanasy: {message}"
        show: Callable[[], object]
        if level == "error":
            show = partial(hou.ui.displayMessage, text, severity=hou.severityType.Error)
        else:
            severity = hou.severityType.Warning if level == "warning" else hou.severityType.Message
            show = partial(hou.ui.setStatusMessage, text, severity=severity)
        hdefereval.executeDeferred(show)

    def config(self) -> Config:
        """The suite's configuration, read once per host."""
        return self._configs.config()

    def farm_config(self) -> farm.HoudiniFarmConfig:
        """The site's ``dcc: houdini:`` settings, read once per host."""
        return self._configs.farm()


register_host("houdini", HoudiniHost)
