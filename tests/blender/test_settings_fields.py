"""The panel's settings cross to SubmitSettings and back without losing "leave it to the farm"."""

from __future__ import annotations

import dataclasses

from afanasy_blender.settings_fields import (
    FIELDS,
    SECTIONS,
    field_types,
    store_settings,
    to_settings,
)
from afcore.settings import SubmitSettings


class Props:
    """Stands in for the scene's property group: plain attributes, as bpy exposes them."""


def test_every_shown_field_is_a_submit_setting_in_a_known_section():
    names = {f.name for f in dataclasses.fields(SubmitSettings)}
    assert {field.name for field in FIELDS} <= names
    assert {field.section for field in FIELDS} == set(SECTIONS)
    assert all(field.label and field.description for field in FIELDS)


def test_values_round_trip_and_none_is_stored_as_the_unset_value():
    settings = SubmitSettings(
        job_name="shot010",
        priority=None,
        max_running_tasks=4,
        need_memory_gb=None,
        life_time_hours=12.5,
        hosts_mask="render.*",
        start_paused=True,
        frames_per_task=2,
    )
    props = Props()
    store_settings(settings, props)
    assert props.priority == -1 and props.need_memory_gb == 0.0
    back = to_settings(props, SubmitSettings())
    for name in field_types():
        assert getattr(back, name) == getattr(settings, name), name


def test_fields_blender_does_not_show_keep_the_base_values():
    props = Props()
    store_settings(SubmitSettings(), props)
    base = SubmitSettings(dependency_mode="frame")
    assert to_settings(props, base).dependency_mode == "frame"
