"""The open Nuke script as an Afanasy host: the only module that talks to Nuke.

``nuke`` (and Qt, for the main window) are imported inside the methods, so
importing this module costs nothing and needs no Nuke.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional

from afanasy_nuke.scriptfile import ScriptFileHost
from afanasy_nuke.targets import CannotEvaluate, Script, collect_targets
from afcore.frames import FrameRange, format_frames
from afcore.host import register_host
from afcore.scene import SceneSnapshot

if TYPE_CHECKING:
    import nuke

#: Nuke's main window, as Qt knows it.
MAIN_WINDOW_NAME = "Foundry::UI::DockMainWindow"


class NukeHost(ScriptFileHost):
    """Reads the open script's Write nodes; saves it only when the artist agreed."""

    def collect(self) -> SceneSnapshot:
        import nuke

        root = nuke.root()
        script_path = self.scene_path()
        script = _script_settings(root, script_path)
        targets = collect_targets(
            nuke.allNodes(group=root, recurseGroups=True),
            lambda node: LiveNode(node, script.views),
            _inputs,
            script,
        )
        return SceneSnapshot(
            scene_file=script_path or "",
            dcc="nuke",
            dcc_version=nuke.NUKE_VERSION_STRING,
            frames=format_frames([FrameRange(script.first, script.last)]),
            fps=float(root["fps"].value()),
            targets=targets,
            modified=self.is_modified(),
            data={"proxy": script.proxy, "views": script.views},
        )

    def scene_path(self) -> Optional[str]:
        import nuke

        try:
            return nuke.scriptName()
        except RuntimeError:  # Nuke's answer for a script that was never saved
            return None

    def is_modified(self) -> bool:
        import nuke

        return bool(nuke.modified())

    def save_scene(self) -> None:
        import nuke

        if not nuke.scriptSave():
            raise RuntimeError("Nuke did not save the script (the save was cancelled).")

    def parent_window(self) -> Any:
        """Nuke's main window, found through Qt when the dialog opens."""
        from Qt import QtWidgets

        app = QtWidgets.QApplication.instance()
        if app is None:
            return None
        for widget in QtWidgets.QApplication.topLevelWidgets():
            if widget.objectName() == MAIN_WINDOW_NAME and widget.isVisible():
                return widget
        return QtWidgets.QApplication.activeWindow()

    def notify(self, message: str, level: str = "info") -> None:
        """Errors pop up, warnings go to the error console, the rest to the terminal.

        Always on Nuke's main thread: the dialog sends jobs from a worker thread.
        """
        import nuke

        show = {"error": nuke.critical, "warning": nuke.warning}.get(level, nuke.tprint)
        nuke.executeInMainThread(show, args=(f"Afanasy: {message}",))


class LiveNode:
    """A Nuke node as :class:`afanasy_nuke.targets.NodeSource` presents it."""

    def __init__(self, node: nuke.Node, views: list[str]) -> None:
        self._node = node
        self._views = views

    @property
    def full_name(self) -> str:
        return self._node.fullName()

    @property
    def kind(self) -> str:
        return self._node.Class()

    @property
    def selected(self) -> bool:
        return self._node.isSelected()

    def text(self, knob: str) -> str:
        found = self._node.knob(knob)
        return "" if found is None else str(found.value())

    def number(self, knob: str, default: int) -> int:
        found = self._node.knob(knob)
        return default if found is None else int(found.value())

    def flag(self, knob: str) -> bool:
        found = self._node.knob(knob)
        return found is not None and bool(found.value())

    def evaluate(self, knob: str, frame: int, view: str) -> str:
        import nuke

        found = self._node.knob(knob)
        if not isinstance(found, nuke.File_Knob):
            raise CannotEvaluate(f"{self.full_name} has no file knob {knob!r}")
        context = nuke.OutputContext()
        context.setFrame(frame)
        context.setView(1 + self._views.index(view))  # view 0 is Nuke's "default" view
        try:
            return str(found.getEvaluatedValue(context))
        except (RuntimeError, ValueError, NameError) as error:  # Nuke's errors for bad TCL
            raise CannotEvaluate(str(error)) from None


def _script_settings(root: nuke.Root, script_path: Optional[str]) -> Script:
    import nuke

    first, last = int(root["first_frame"].value()), int(root["last_frame"].value())
    directory = root.knob("project_directory")
    folder = ""
    if isinstance(directory, nuke.File_Knob):
        try:
            folder = str(directory.getEvaluatedValue(nuke.OutputContext()))
        except (RuntimeError, ValueError, NameError):
            folder = ""  # then relative paths are taken from the script's folder
    folder = folder or os.path.dirname(script_path or "")
    return Script(first, last, nuke.views(), bool(root["proxy"].value()), folder)


def _inputs(node: nuke.Node) -> list[nuke.Node]:
    """What feeds ``node``: a group through its Output, a group's Input from outside it."""
    import nuke

    if node.Class() == "Input":
        group = node.parent()
        if group is None or group.Class() == "Root":
            return []
        number = node.knob("number")
        upstream = group.input(int(number.value()) if number is not None else 0)
        return [upstream] if upstream is not None else []
    if isinstance(node, nuke.Group):
        output = node.output()
        return [output] if output is not None else []
    return [up for up in (node.input(i) for i in range(node.inputs())) if up is not None]


register_host("nuke", NukeHost)
