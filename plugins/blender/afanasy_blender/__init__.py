"""Afanasy for Blender: an "Afanasy" panel in Render Properties and "Submit to Afanasy".

A Blender 4.2+ extension (``blender_manifest.toml``) that also loads as a legacy add-on
(``bl_info``). Registering only adds classes and a menu entry: the scene is read when the
artist submits, and the server is contacted then, from another thread.

Outside Blender this package is importable without ``bpy``: :mod:`.farm` (commands),
:mod:`.host` (needs ``bpy`` only when used), :mod:`.reader` (``afsubmit`` scene reader),
:mod:`.cli` (a ``blender`` stand-in for pip's ``bpy``), :mod:`.extension` (build, install).
"""

from __future__ import annotations

from .extension import install

__all__ = ["bl_info", "install", "register", "unregister"]

bl_info = {
    "name": "Afanasy",
    "author": "Afanasy submitters",
    "version": (0, 1, 0),
    "blender": (2, 93, 0),
    "location": "Properties > Render > Afanasy; Render > Submit to Afanasy",
    "description": "Submit renders to an Afanasy (CGRU) render farm",
    "doc_url": "https://cgru.readthedocs.io/",
    "category": "Render",
}


def register() -> None:
    import bpy

    from . import operators, panel, properties

    for cls in (*properties.CLASSES, *operators.CLASSES, *panel.CLASSES):
        bpy.utils.register_class(cls)
    properties.attach()
    # fake-bpy-module types draw functions with one argument; Blender passes (menu, context).
    bpy.types.TOPBAR_MT_render.append(operators.draw_menu_entry)  # type: ignore[arg-type]


def unregister() -> None:
    import bpy

    from . import operators, panel, properties

    operators.stop_watching()
    bpy.types.TOPBAR_MT_render.remove(operators.draw_menu_entry)  # type: ignore[arg-type]
    properties.detach()
    for cls in reversed((*properties.CLASSES, *operators.CLASSES, *panel.CLASSES)):
        bpy.utils.unregister_class(cls)
