"""The ``SubmitSettings`` fields the Blender panel shows, and how they cross to bpy properties.

Blender properties have no "unset": an optional whole number (``Optional[int]``) is stored
as ``-1`` and an optional amount (``Optional[float]``) as ``0``, both meaning "leave it to
the farm", and read back as ``None``. Field types come from ``SubmitSettings`` itself, so
this table holds only what Blender shows: label, tooltip and panel section. No ``bpy`` here.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Any, Union

from afcore.settings import SubmitSettings

#: Stored for "none" in an optional field.
UNSET_INT = -1
UNSET_FLOAT = 0.0

GENERAL, FARM, ADVANCED = "General", "Farm", "Advanced"


@dataclass(frozen=True)
class Field:
    """One setting as the panel shows it."""

    name: str
    label: str
    section: str
    description: str


FIELDS = (
    Field("job_name", "Job Name", GENERAL,
          "Name of the job on the farm; empty: the .blend file's name"),
    Field("priority", "Priority", GENERAL,
          "0 to 250, higher first; -1: the site's default priority"),
    Field("frames_per_task", "Frames per Task", GENERAL,
          "How many frames one render task renders"),
    Field("start_paused", "Start Paused", GENERAL,
          "Send the job paused (offline); start it from the farm's GUI"),
    Field("separate_jobs", "Separate Jobs", GENERAL,
          "One job per view layer instead of one block per view layer"),
    Field("annotation", "Annotation", GENERAL,
          "A note shown with the job on the farm"),
    Field("max_running_tasks", "Max Running Tasks", FARM,
          "Tasks of this job running at once; -1: no limit"),
    Field("max_running_tasks_per_host", "Max per Host", FARM,
          "Tasks of this job on one machine at once; -1: no limit"),
    Field("hosts_mask", "Hosts Mask", FARM,
          "Regular expression over render host names that may run the job"),
    Field("hosts_mask_exclude", "Exclude Hosts", FARM,
          "Regular expression over render host names that may not"),
    Field("depend_mask", "Depend Mask", FARM,
          "Regular expression over names of your jobs to wait for"),
    Field("depend_mask_global", "Global Depend Mask", FARM,
          "Regular expression over names of anybody's jobs to wait for"),
    Field("capacity", "Capacity", FARM,
          "Capacity of each task; -1: the site's default"),
    Field("need_memory_gb", "Memory (GB)", FARM,
          "Free memory a render host needs; 0: any"),
    Field("need_gpu_memory_gb", "GPU Memory (GB)", FARM,
          "Free GPU memory a render host needs; 0: any"),
    Field("need_os", "Need OS", FARM,
          "Regular expression over the render host's operating system"),
    Field("need_properties", "Need Properties", FARM,
          "Regular expression over the render host's properties"),
    Field("sequential", "Sequential", ADVANCED,
          "Task order: 1 in order, -1 backwards, N > 1 every Nth frame first"),
    Field("wait_until", "Wait Until", ADVANCED,
          "Local time to start, YYYY-MM-DD HH:MM; empty: at once"),
    Field("life_time_hours", "Life Time (hours)", ADVANCED,
          "Hours until the farm deletes the job; 0: never"),
    Field("errors_retries", "Error Retries", ADVANCED,
          "How often a failed task is retried; -1: the farm's default"),
    Field("task_max_run_time_minutes", "Task Time Limit (min)", ADVANCED,
          "Minutes before a task is stopped as hung; 0: no limit"),
    Field("description", "Description", ADVANCED,
          "A longer description of the job"),
)  # fmt: skip

SECTIONS = (GENERAL, FARM, ADVANCED)


def field_types() -> dict[str, tuple[type, bool]]:
    """Each shown field's value type, and whether ``SubmitSettings`` allows ``None`` in it."""
    hints = typing.get_type_hints(SubmitSettings)
    types: dict[str, tuple[type, bool]] = {}
    for field in FIELDS:
        hint = hints[field.name]
        if typing.get_origin(hint) is Union:
            types[field.name] = (typing.get_args(hint)[0], True)
        else:
            types[field.name] = (hint, False)
    return types


def unset_value(kind: type) -> Any:
    """What an optional field of ``kind`` stores for "none"."""
    return UNSET_FLOAT if kind is float else UNSET_INT


def to_settings(props: Any, base: SubmitSettings) -> SubmitSettings:
    """``base`` with the values of the shown fields read from ``props`` (a property group)."""
    values = {}
    for name, (kind, optional) in field_types().items():
        value = getattr(props, name)
        if optional and value == unset_value(kind):
            value = None
        values[name] = value
    return dataclasses.replace(base, **values)


def store_settings(settings: SubmitSettings, props: Any) -> None:
    """Write the shown fields of ``settings`` into ``props`` ("none" as the stored unset value)."""
    for name, (kind, optional) in field_types().items():
        value = getattr(settings, name)
        if value is None and optional:
            value = unset_value(kind)
        setattr(props, name, kind(value))
