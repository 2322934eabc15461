"""The "Afanasy" panel in Properties > Render, with Farm and Advanced sub-panels.

Imported only by ``register()``: this module is Blender UI and needs ``bpy`` to load.
Drawing reads properties only: no scene scan, no file written, no network.
"""

from __future__ import annotations

import textwrap
from typing import Any

import bpy

from .operators import AFANASY_OT_load_settings, AFANASY_OT_submit, site_locked_fields
from .properties import settings_of, status_of
from .settings_fields import ADVANCED, FARM, FIELDS, GENERAL

#: Characters per line of the status text (Blender cuts labels, it does not wrap them).
STATUS_WIDTH = 60
LOAD = AFANASY_OT_load_settings.bl_idname
_STATUS_ICONS = {"SENDING": "SORTTIME", "SENT": "CHECKMARK", "FAILED": "ERROR"}


def draw_status(layout: Any, status: Any) -> None:
    """The last submission: its job ids, or its error and where the job was kept."""
    if status.state == "IDLE":
        return
    column = layout.column(align=True)
    icon = _STATUS_ICONS[status.state]
    for paragraph in status.message.splitlines() or [""]:
        for line in textwrap.wrap(paragraph, STATUS_WIDTH) or [""]:
            column.label(text=line, icon=icon)
            icon = "BLANK1"
    if status.outbox_path:
        column.label(text="Kept in the outbox, send later with: afcmd outbox send", icon="FILE")
        column.label(text=status.outbox_path, icon="BLANK1")


def draw_fields(layout: Any, props: Any, section: str) -> None:
    """The section's settings; the ones the site locked are shown but cannot be changed."""
    locked = site_locked_fields()
    column = layout.column()
    column.use_property_split = True
    for field in FIELDS:
        if field.section == section:
            row = column.row()
            row.enabled = field.name not in locked
            row.prop(props, field.name)


class RENDER_PT_afanasy(bpy.types.Panel):
    """Submit this scene to the Afanasy render farm"""

    bl_label = "Afanasy"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "render"

    def draw(self, context: bpy.types.Context) -> None:
        layout: Any = self.layout  # set whenever Blender draws a panel
        props = settings_of(context.scene)
        row = layout.row()
        row.scale_y = 1.4
        row.operator(AFANASY_OT_submit.bl_idname, icon="RENDER_ANIMATION")
        draw_status(layout, status_of(context.window_manager))
        column = layout.column()
        column.prop(props, "split_view_layers")
        column.prop(props, "save_before_submit")
        if not props.initialized:
            box = layout.box()
            box.label(text="Job settings: the site's defaults and your last values.")
            box.operator(
                AFANASY_OT_load_settings.bl_idname, text="Edit Settings", icon="PREFERENCES"
            )
            return
        draw_fields(layout, props, GENERAL)
        layout.operator(
            AFANASY_OT_load_settings.bl_idname, text="Reset to Defaults", icon="LOOP_BACK"
        )


class _SectionPanel(bpy.types.Panel):
    """A sub-panel with one section of the settings, shown once the scene has its own."""

    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "render"
    bl_parent_id = "RENDER_PT_afanasy"
    bl_options = {"DEFAULT_CLOSED"}
    section = ""

    @classmethod
    def poll(cls, context: bpy.types.Context) -> bool:
        return bool(settings_of(context.scene).initialized)

    def draw(self, context: bpy.types.Context) -> None:
        draw_fields(self.layout, settings_of(context.scene), self.section)


class RENDER_PT_afanasy_farm(_SectionPanel):
    bl_label = FARM
    section = FARM


class RENDER_PT_afanasy_advanced(_SectionPanel):
    bl_label = ADVANCED
    section = ADVANCED


CLASSES = (RENDER_PT_afanasy, RENDER_PT_afanasy_farm, RENDER_PT_afanasy_advanced)
