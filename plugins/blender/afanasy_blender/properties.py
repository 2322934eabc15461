"""The Afanasy settings stored on each scene (saved in the .blend) and the send status.

Imported only by ``register()``: this module is Blender UI and needs ``bpy`` to load.
The status lives on the window manager, whose add-on properties are not saved in files: a
job id from yesterday's session means nothing to the scene.
"""

from __future__ import annotations

from typing import Any

import bpy

from .settings_fields import FIELDS, UNSET_FLOAT, UNSET_INT, Field, field_types

_LIMITS: dict[str, dict[str, Any]] = {
    "priority": {"min": UNSET_INT, "max": 250},
    "frames_per_task": {"min": 1},
    "sequential": {},
}


def _property(field: Field, kind: type, optional: bool) -> Any:
    """A bpy property for one SubmitSettings field, defaulting to the dataclass's default."""
    from afcore.settings import SubmitSettings

    name = field.name
    default = getattr(SubmitSettings(), name)
    common: dict[str, Any] = {"name": field.label, "description": field.description}
    if kind is bool:
        return bpy.props.BoolProperty(default=default, **common)
    if kind is str:
        return bpy.props.StringProperty(default=default, **common)
    if kind is float:
        return bpy.props.FloatProperty(
            default=UNSET_FLOAT if default is None else default, min=0.0, **common
        )
    limits: dict[str, Any] = _LIMITS.get(name, {"min": UNSET_INT} if optional else {"min": 0})
    return bpy.props.IntProperty(
        default=UNSET_INT if default is None else default, **limits, **common
    )


def _settings_annotations() -> dict[str, Any]:
    types = field_types()
    annotations = {field.name: _property(field, *types[field.name]) for field in FIELDS}
    annotations.update(
        initialized=bpy.props.BoolProperty(
            name="Initialized",
            description="The scene has its own settings (else the site's defaults are used)",
            default=False,
        ),
        split_view_layers=bpy.props.BoolProperty(
            name="One Block per View Layer",
            description="Render each view layer as its own block, into a folder of its own",
            default=False,
        ),
        save_before_submit=bpy.props.BoolProperty(
            name="Save Scene First",
            description="Save the .blend before submitting (the farm always renders a copy)",
            default=False,
        ),
    )
    return annotations


AfanasySceneSettings = type(
    "AfanasySceneSettings",
    (bpy.types.PropertyGroup,),
    {
        "__annotations__": _settings_annotations(),
        "__doc__": "Afanasy job settings of one scene",
    },
)


class AfanasyStatus(bpy.types.PropertyGroup):
    """What the last submission did, for the panel's status line."""

    state: bpy.props.EnumProperty(  # type: ignore[valid-type]
        items=[
            ("IDLE", "Idle", "Nothing sent yet"),
            ("SENDING", "Sending", "A job is on its way to the server"),
            ("SENT", "Sent", "The server took the job"),
            ("FAILED", "Failed", "The job was not sent"),
        ],
        default="IDLE",
    )
    message: bpy.props.StringProperty()  # type: ignore[valid-type]
    job_ids: bpy.props.StringProperty()  # type: ignore[valid-type]
    outbox_path: bpy.props.StringProperty()  # type: ignore[valid-type]


CLASSES = (AfanasySceneSettings, AfanasyStatus)


#: Where the property groups hang: settings on each scene, status on the window manager.
_POINTERS = (
    (bpy.types.Scene, "afanasy", AfanasySceneSettings),
    (bpy.types.WindowManager, "afanasy_status", AfanasyStatus),
)


def settings_of(scene: Any) -> Any:
    """The scene's Afanasy settings (registered at run time, so unknown to type stubs)."""
    return scene.afanasy


def status_of(window_manager: Any) -> Any:
    """The status of the last submission (registered at run time, like the settings)."""
    return window_manager.afanasy_status


def attach() -> None:
    for owner, name, group in _POINTERS:
        setattr(owner, name, bpy.props.PointerProperty(type=group))


def detach() -> None:
    for owner, name, _ in reversed(_POINTERS):
        delattr(owner, name)
