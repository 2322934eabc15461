"""The Afanasy job model and its JSON form.

This is the only module that knows Afanasy's JSON keys: the dataclass field
names below *are* the keys, so a field added here is a key on the wire. Every
other module works with :class:`Job`, :class:`Block` and :class:`Task`.

Serialisation leaves out what is unset (``None``, ``False``, empty text and
empty containers), the way CGRU's own ``af`` module only sends what was set.
Zero numbers are kept: ``errors_retries: 0`` means "no retries".
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, fields
from enum import IntFlag
from typing import Any, Optional, Union

JsonDict = dict[str, Any]


class BlockFlags(IntFlag):
    """Bits of a block's ``flags`` as afserver reads them."""

    NUMERIC = 1
    VARIABLE_CAPACITY = 2
    MULTIHOST = 4
    MASTER_ON_SLAVE = 8
    DEPEND_SUB_TASK = 16
    SKIP_THUMBNAILS = 32
    SKIP_EXISTING_FILES = 64
    CHECK_RENDERED_FILES = 128
    SLAVE_LOST_IGNORE = 256
    SUSPEND_NEW_TASKS = 1024


@dataclass
class Task:
    """One explicit task of a non-numeric block; its ``command`` fills the block's ``@#@``."""

    name: str = ""
    command: str = ""
    files: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    extra: JsonDict = field(default_factory=dict)


@dataclass
class Block:
    """A block: either numeric (``flags`` has NUMERIC and a frame range) or a list of tasks."""

    name: str = "block"
    service: str = "generic"
    parser: str = ""
    command: str = ""
    working_directory: str = ""
    flags: int = 0
    capacity: Optional[int] = None
    frame_first: Optional[int] = None
    frame_last: Optional[int] = None
    frames_per_task: Optional[int] = None
    frames_inc: Optional[int] = None
    files: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    tasks_name: str = ""
    capacity_coeff_min: Optional[int] = None
    capacity_coeff_max: Optional[int] = None
    command_pre: str = ""
    command_post: str = ""
    environment: dict[str, str] = field(default_factory=dict)
    tickets: dict[str, int] = field(default_factory=dict)
    parser_coeff: Optional[int] = None
    errors_avoid_host: Optional[int] = None
    errors_forgive_time: Optional[int] = None
    errors_retries: Optional[int] = None
    errors_task_same_host: Optional[int] = None
    need_hdd: Optional[int] = None
    need_memory: Optional[int] = None
    need_gpu_mem_mb: Optional[int] = None
    need_cpu_freq_mgz: Optional[int] = None
    need_cpu_cores: Optional[int] = None
    need_power: Optional[int] = None
    need_properties: str = ""
    task_max_run_time: Optional[int] = None
    task_min_run_time: Optional[int] = None
    task_progress_change_timeout: Optional[int] = None
    max_running_tasks: Optional[int] = None
    max_running_tasks_per_host: Optional[int] = None
    hosts_mask: str = ""
    hosts_mask_exclude: str = ""
    depend_mask: str = ""
    tasks_depend_mask: str = ""
    sequential: Optional[int] = None
    file_size_min: Optional[int] = None
    file_size_max: Optional[int] = None
    multihost_min: Optional[int] = None
    multihost_max: Optional[int] = None
    multihost_max_wait: Optional[int] = None
    multihost_service: str = ""
    multihost_service_wait: Optional[int] = None
    #: Keys this model does not know, kept so that a document read and written back loses nothing.
    extra: JsonDict = field(default_factory=dict)

    @property
    def numeric(self) -> bool:
        return bool(self.flags & BlockFlags.NUMERIC)

    def set_flag(self, flag: BlockFlags, on: bool = True) -> None:
        self.flags = int((self.flags | flag) if on else (self.flags & ~flag))

    def set_numeric(self, first: int, last: int, per_task: int = 1, increment: int = 1) -> None:
        """Make this a numeric block over ``first..last`` (the NUMERIC flag the server needs)."""
        self.set_flag(BlockFlags.NUMERIC)
        self.frame_first, self.frame_last = first, last
        self.frames_per_task, self.frames_inc = per_task, increment

    def task_count(self) -> int:
        """How many tasks the server will make of this block."""
        if not self.numeric:
            return len(self.tasks)
        first, last = self.frame_first or 0, self.frame_last or 0
        step, per_task = max(self.frames_inc or 1, 1), max(self.frames_per_task or 1, 1)
        frames = max((last - first) // step + 1, 1)
        return -(-frames // per_task)


@dataclass
class Job:
    """A job: what is sent to afserver as ``{"job": {...}}``."""

    name: str = "job"
    user_name: str = ""
    host_name: str = ""
    priority: Optional[int] = None
    time_creation: Optional[int] = field(default_factory=lambda: int(time.time()))
    annotation: str = ""
    description: str = ""
    project: str = ""
    department: str = ""
    max_running_tasks: Optional[int] = None
    max_running_tasks_per_host: Optional[int] = None
    hosts_mask: str = ""
    hosts_mask_exclude: str = ""
    depend_mask: str = ""
    depend_mask_global: str = ""
    need_os: str = ""
    need_properties: str = ""
    time_life: Optional[int] = None
    time_wait: Optional[int] = None
    command_pre: str = ""
    command_post: str = ""
    folders: dict[str, str] = field(default_factory=dict)
    pools: dict[str, int] = field(default_factory=dict)
    branch: str = ""
    ppa: bool = False
    maintenance: bool = False
    ignorenimby: bool = False
    ignorepaused: bool = False
    offline: bool = False
    blocks: list[Block] = field(default_factory=list)
    extra: JsonDict = field(default_factory=dict)

    def task_count(self) -> int:
        return sum(block.task_count() for block in self.blocks)

    def to_dict(self) -> JsonDict:
        """The ``{"job": {...}}`` document the server takes."""
        return {"job": _object_to_dict(self)}

    def to_json(self, indent: Optional[int] = None) -> str:
        """JSON text; compact by default (it is what goes on the wire)."""
        separators = (",", ":") if indent is None else (",", ": ")
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, separators=separators)

    @classmethod
    def from_dict(cls, document: JsonDict) -> Job:
        """Read a job from ``{"job": {...}}`` or from the bare job object."""
        body = document.get("job", document) if isinstance(document, dict) else document
        if not isinstance(body, dict):
            raise TypeError(f"a job is a JSON object, not {type(body).__name__}")
        job = _object_from_dict(cls, body)
        if "time_creation" not in body:
            job.time_creation = None
        return job


_Model = Union[Job, Block, Task]
_NESTED = {"blocks": Block, "tasks": Task}
_FIELD_NAMES: dict[type, frozenset[str]] = {
    model: frozenset(f.name for f in fields(model) if f.name != "extra")
    for model in (Job, Block, Task)
}


def _object_to_dict(model: _Model) -> JsonDict:
    out: JsonDict = {}
    for name, value in vars(model).items():
        if value is None or value is False or (not value and type(value) not in (int, float)):
            continue
        if name in _NESTED:
            value = [_object_to_dict(item) for item in value]
        elif name == "extra":
            continue
        elif type(value) in (list, dict):
            value = value.copy()
        out[name] = value
    out.update(model.extra)
    return out


def _object_from_dict(model: type, body: JsonDict) -> Any:
    known = _FIELD_NAMES[model]
    values: JsonDict = {}
    extra: JsonDict = {}
    for key, value in body.items():
        if key in _NESTED and key in known and isinstance(value, list):
            values[key] = [
                _object_from_dict(_NESTED[key], item) if isinstance(item, dict) else item
                for item in value
            ]
        elif key in known:
            values[key] = value
        else:
            extra[key] = value
    return model(**values, extra=extra)
