"""MayaHost: the one place the submit pipeline talks to Maya (``maya`` is imported inside methods).

The farm renders a file copy of the saved scene: the artist's scene is saved only when they
agree, and the open scene's name never changes (``cmds.file(rename=...)`` is never used).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Optional

from afcore.dccconfig import HostConfig
from afcore.host import Host, register_host
from afcore.paths import map_path
from afcore.scene import RenderTarget, SceneSnapshot
from afcore.scenecopy import copy_scene_file

from . import farm, layers

if TYPE_CHECKING:
    from afcore.config import Config

#: Maya's named time units (``currentUnit -query -time``) in frames per second.
_TIME_UNITS = {
    "game": 15.0,
    "film": 24.0,
    "pal": 25.0,
    "ntsc": 30.0,
    "show": 48.0,
    "palf": 50.0,
    "ntscf": 60.0,
}
_FPS_UNIT = re.compile(r"^([0-9]+(?:\.[0-9]+)?)fps$")


def frames_per_second(unit: str) -> float:
    """``"film"`` -> 24, ``"23.976fps"`` -> 23.976; other units (hours, ...) count as 24."""
    if unit in _TIME_UNITS:
        return _TIME_UNITS[unit]
    match = _FPS_UNIT.match(unit)
    return float(match.group(1)) if match else 24.0


def project_folders() -> tuple[str, str]:
    """The workspace (project) root, without a trailing slash, and its images folder."""
    from maya import cmds

    root = str(cmds.workspace(query=True, rootDirectory=True))
    images = str(cmds.workspace(fileRuleEntry="images") or "images")
    return root.rstrip("/\\") or root, str(cmds.workspace(expandName=images))


_NEVER_SAVED = (
    "The scene was never saved, so there is no file for the farm to render: "
    "save it once with File > Save Scene As, then submit again."
)


class MayaHost(Host):
    """Reads the open Maya scene: renderable layers, their cameras, frames and files."""

    name = "maya"

    def __init__(self, config: Optional[Config] = None) -> None:
        self._configs = HostConfig(farm.MayaFarmConfig.from_config, config)

    def collect(self) -> SceneSnapshot:
        from maya import cmds

        project, images = project_folders()
        frames, _ = layers.read_frames()
        targets = layers.read_targets(project)
        renderers = self.farm_config()
        for target in targets:
            renderer = renderers.renderer(target.renderer)
            target.service, target.parser = renderer.service, renderer.parser
        return SceneSnapshot(
            scene_file=self.scene_path() or "",
            dcc="maya",
            dcc_version=str(cmds.about(version=True)),
            frames=str(frames),
            fps=frames_per_second(str(cmds.currentUnit(query=True, time=True))),
            targets=targets,
            modified=self.is_modified(),
            data={farm.PROJECT: project, "images": images},
        )

    def scene_path(self) -> Optional[str]:
        from maya import cmds

        return str(cmds.file(query=True, sceneName=True) or "") or None

    def is_modified(self) -> bool:
        from maya import cmds

        return bool(cmds.file(query=True, modified=True))

    def save_scene(self) -> None:
        from maya import cmds

        if self.scene_path() is None:
            raise RuntimeError(_NEVER_SAVED)
        cmds.file(save=True)

    def save_copy(self, path: str) -> None:
        """Copy the saved scene file to ``path``; the open scene keeps its name and state."""
        scene = self.scene_path()
        if scene is None:
            raise RuntimeError(_NEVER_SAVED)
        copy_scene_file(scene, path)

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        project = target.data.get(farm.PROJECT, "")
        farm_project = map_path(project, self.config().path_maps) if project else ""
        return farm.render_args(target, scene_copy, self.farm_config(), farm_project)

    def parent_window(self) -> Any:
        """Maya's main window as a Qt widget, so the dialog stays on top of Maya."""
        from maya import OpenMayaUI, cmds

        if cmds.about(batch=True):
            return None
        pointer = OpenMayaUI.MQtUtil.mainWindow()
        if pointer is None:
            return None
        from Qt import QtCompat, QtWidgets

        return QtCompat.wrapInstance(int(pointer), QtWidgets.QWidget)

    def notify(self, message: str, level: str = "info") -> None:
        """Warnings and errors in Maya's warning line, news in the Script Editor.

        Maya's commands run on its main thread only, and the dialog sends jobs from a
        worker thread: the message is shown when Maya is next idle.
        """
        from maya import cmds, utils

        text = f"Afanasy: {message}"
        if level in ("warning", "error"):
            utils.executeDeferred(cmds.warning, text)
        else:
            utils.executeDeferred(print, text)

    def config(self) -> Config:
        """The suite's configuration, read once per host."""
        return self._configs.config()

    def farm_config(self) -> farm.MayaFarmConfig:
        """The site's ``dcc: maya:`` settings, read once per host."""
        return self._configs.farm()


register_host("maya", MayaHost)
