"""What the Nuke hosts share: a script file on disk, copied for the farm, rendered by farm.py."""

from __future__ import annotations

from typing import Optional

from afanasy_nuke.farm import NukeFarmConfig, render_args
from afcore.host import Host
from afcore.scene import RenderTarget
from afcore.scenecopy import copy_scene_file


class ScriptFileHost(Host):
    """A Nuke script that lives in a file: the open one in Nuke, or a .nk read as text."""

    name = "nuke"

    def __init__(self) -> None:
        self._farm_config: Optional[NukeFarmConfig] = None

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
        if self._farm_config is None:
            from afcore.config import load_config
            from afcore.errors import ConfigError

            config = load_config()
            try:
                self._farm_config = NukeFarmConfig.from_section(config.dcc.get("nuke", {}))
            except ValueError as error:
                read = ", ".join(config.sources) or "no config file"
                raise ConfigError(f"{error} (configuration read from: {read})") from None
        return self._farm_config
