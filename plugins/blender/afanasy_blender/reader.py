"""The ``.blend`` scene reader for ``afsubmit`` (entry point ``afcore.scene_readers: blend``).

Reading a .blend file takes Blender itself: this opens the file with the ``bpy`` module
(``pip install bpy``, Blender as a Python module) and returns a :class:`BlenderHost` on it.
"""

from __future__ import annotations

import os

from afcore.cli.readers import UnknownSceneType
from afcore.host import Host

INSTALL_HINT = (
    "Reading .blend files needs Blender as a Python module: `pip install bpy` in a Python "
    "that matches it (bpy 5.0 needs Python 3.11), or submit from Blender with the Afanasy "
    "add-on (docs/blender.md)."
)


class BpyMissing(UnknownSceneType):
    """``bpy`` is missing, so .blend files cannot be read here; the message says how to get it."""


def read_snapshot(path: str) -> Host:
    """Open ``path`` in this process's Blender and return the host that reads and copies it."""
    try:
        import bpy
    except ImportError as error:
        raise BpyMissing(f"{INSTALL_HINT} ({error})") from None
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no .blend file at {path}")
    from .host import BlenderHost, blender_output_to_stderr

    with blender_output_to_stderr():
        bpy.ops.wm.open_mainfile(filepath=os.path.abspath(path), load_ui=False)
    return BlenderHost()
