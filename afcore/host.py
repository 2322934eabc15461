"""The Host interface each DCC implements, and the registry that finds them.

A host is the only place that talks to a DCC. It imports its DCC module
lazily, inside methods, so that importing a host never needs the DCC.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from typing import Any, Callable, Optional

from afcore.scene import RenderTarget, SceneSnapshot


class Host(ABC):
    """What the submit pipeline needs from a DCC."""

    #: Short lower-case DCC name: ``"nuke"``, ``"maya"``, ``"houdini"``, ``"blender"``.
    name: str = ""

    @abstractmethod
    def collect(self) -> SceneSnapshot:
        """Read the open scene once into plain data."""

    @abstractmethod
    def scene_path(self) -> Optional[str]:
        """The scene's file path, or ``None`` when it was never saved."""

    @abstractmethod
    def is_modified(self) -> bool:
        """Whether the open scene has unsaved changes."""

    @abstractmethod
    def save_scene(self) -> None:
        """Save the open scene to its own path (only ever called when the artist agreed)."""

    @abstractmethod
    def save_copy(self, path: str) -> None:
        """Write a copy of the scene to ``path``; the open scene keeps its path and state."""

    @abstractmethod
    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        """The render client's command for ``target`` as an argument list (see each farm.py)."""

    def parent_window(self) -> Any:
        """The DCC's main window to parent dialogs to, or ``None``."""
        return None

    def notify(self, message: str, level: str = "info") -> None:
        """Tell the artist something; hosts show it in the DCC's own way."""
        print(f"Afanasy [{level}]: {message}", file=sys.stderr)


HostFactory = Callable[[], Host]
_REGISTRY: dict[str, HostFactory] = {}
_REQUIRED = tuple(sorted(Host.__abstractmethods__))


def register_host(name: str, factory: HostFactory) -> None:
    """Make a host available as ``get_host(name)``; the DCC plugins call this."""
    if isinstance(factory, type):
        missing = [m for m in _REQUIRED if getattr(factory, m, None) in (None, getattr(Host, m))]
        if missing:
            raise TypeError(
                f"host {name!r} ({factory.__name__}) lacks required method(s): "
                f"{', '.join(missing)}; a Host must implement {', '.join(_REQUIRED)}"
            )
    _REGISTRY[name] = factory


def get_host(name: str) -> Host:
    """A new host instance by name, with a message listing the known ones if it is missing."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none registered"
        raise KeyError(f"no Afanasy host named {name!r} (known: {known})") from None
    return factory()
