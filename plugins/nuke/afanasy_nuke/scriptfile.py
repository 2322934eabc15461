"""What the Nuke hosts share: a script file on disk, copied for the farm, rendered by farm.py."""

from __future__ import annotations

from afanasy_nuke.farm import NukeFarmConfig, render_args
from afcore.dccconfig import HostConfig
from afcore.host import Host
from afcore.scene import RenderTarget
from afcore.scenecopy import copy_scene_file


class ScriptFileHost(Host):
    """A Nuke script that lives in a file: the open one in Nuke, or a .nk read as text."""

    name = "nuke"

    def __init__(self) -> None:
        self._configs = HostConfig(NukeFarmConfig.from_config)

    def save_copy(self, path: str) -> None:
        """Copy the script file as it is on disk; the original is only ever read."""
        source = self.scene_path()
        if not source:
            raise RuntimeError(
                "The script has never been saved, so there is no file to render from: "
                "save it (File > Save), then submit again."
            )
        copy_scene_file(source, path)

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        return render_args(target, scene_copy, self.farm_config())

    def farm_config(self) -> NukeFarmConfig:
        """The ``dcc: nuke:`` section of the configuration in effect, read once per host."""
        return self._configs.farm()
