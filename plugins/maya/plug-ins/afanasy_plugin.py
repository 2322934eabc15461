"""The Afanasy plug-in for Maya: loading it adds the Afanasy shelf and menu, unloading removes them.

Maya finds this file through the module's ``plug-ins`` folder (``afanasy.mod``); the
``afanasy_maya`` package is on Maya's Python path through the module's ``scripts`` folder.
Nothing is read from the scene and nothing heavy is imported until the artist clicks; in
batch mode (``mayabatch``, ``mayapy``, the farm's ``Render``) the plug-in adds nothing.
"""

from __future__ import annotations

from typing import Any


def initializePlugin(plugin: Any) -> None:
    """Called by Maya when the plug-in loads."""
    from afanasy_maya import ui

    ui.install()


def uninitializePlugin(plugin: Any) -> None:
    """Called by Maya when the plug-in unloads."""
    from afanasy_maya import ui

    ui.remove()
