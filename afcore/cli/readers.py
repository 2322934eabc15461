"""Scene readers: how ``afsubmit SCENE_FILE`` gets a Host for a file without opening its DCC.

Plugins register a reader per file extension through the ``afcore.scene_readers`` entry-point
group: the name is the extension without its dot (``nk``, ``blend``), the value a callable
``(path: str) -> afcore.host.Host`` that returns a host for that scene file. Nothing is imported
until a file of that type is submitted, so a broken plugin only affects its own files.
"""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import PurePath
from typing import Callable

from afcore.host import Host

GROUP = "afcore.scene_readers"

SceneReader = Callable[[str], Host]


class UnknownSceneType(LookupError):
    """No reader is registered for a file's extension, or the registered one cannot load."""


def registered() -> dict[str, EntryPoint]:
    """The installed readers by extension (lower case, no dot)."""
    if sys.version_info >= (3, 10):
        group = entry_points(group=GROUP)
    else:  # Python 3.9: a dict of all groups
        group = entry_points().get(GROUP, ())
    return {entry.name.lower(): entry for entry in group}


def reader_for(path: str) -> SceneReader:
    """The reader for ``path``'s extension, with a message naming the known ones if none fits."""
    extension = PurePath(path).suffix.lstrip(".").lower()
    readers = registered()
    known = ", ".join(f".{name}" for name in sorted(readers)) or "none (no plugin installed)"
    if extension not in readers:
        what = f"'.{extension}' files" if extension else "files without an extension"
        raise UnknownSceneType(
            f"No scene reader for {what} ({path}). Known scene types: {known}. "
            'For any other work use a command: afsubmit --cmd "..." --frames 1-100'
        )
    entry = readers[extension]
    try:
        reader = entry.load()
    except Exception as error:  # a plugin's import can fail in any way; say which one broke
        raise UnknownSceneType(
            f"The scene reader for '.{extension}' files ({entry.value}) could not be loaded: "
            f"{type(error).__name__}: {error}. Is its plugin installed completely?"
        ) from error
    if not callable(reader):
        raise UnknownSceneType(
            f"The scene reader for '.{extension}' files ({entry.value}) is not callable; "
            "a reader is a function (path) -> afcore.host.Host"
        )
    return reader
