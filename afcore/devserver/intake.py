"""What afserver makes of a submitted job: it skips what it cannot read, refuses what cannot run.

The server side mirrors afserver, not our client's stricter checks
(:mod:`afcore.validate`): a value of the wrong JSON type is ignored as if it were
absent (rapidjson's ``IsInt()``/``IsString()`` checks), unknown keys are ignored,
a missing ``command`` is ``""``, ``frame_last < frame_first`` is clamped to one
task, ``frames_per_task`` below 1 counts as 1. A job is refused ("Invalid job.")
when afserver refuses it: no user name, no blocks, or a block with zero tasks
(neither numeric nor with ``tasks``). On top of that the devserver refuses jobs
of more than :data:`MAX_TASKS` tasks, which would only exhaust its memory.
"""

from __future__ import annotations

import time
import typing
from typing import Any, Optional

from afcore.job import Block, BlockFlags, Job, Task

#: Afanasy's own limit on a quantity (``AFJOB::MAXQUANTITY``), here on a job's tasks.
MAX_TASKS = 1_000_000
_INT64 = 2**63

_HINTS: dict[type, dict[str, Any]] = {
    model: typing.get_type_hints(model) for model in (Job, Block, Task)
}
_NESTED = {"blocks": Block, "tasks": Task}


def read_job(body: Any, now: Optional[int] = None) -> Optional[Job]:
    """The job afserver would register from ``body`` (the ``"job"`` value), or None if refused."""
    if not isinstance(body, dict):
        return None
    job = Job.from_dict(_readable(Job, body))
    if job.time_creation is None:
        job.time_creation = int(time.time()) if now is None else now
    if not job.user_name or not job.blocks:
        return None
    for block in job.blocks:
        if not _normalise(block):
            return None
    if job.task_count() > MAX_TASKS:
        return None
    return job


def _readable(model: type, body: dict[str, Any]) -> dict[str, Any]:
    """The members of ``body`` afserver would read: known keys holding values of the right type."""
    readable: dict[str, Any] = {}
    for key, value in body.items():
        if key in _NESTED and key in _HINTS[model]:
            if isinstance(value, list):
                readable[key] = [
                    _readable(_NESTED[key], item if isinstance(item, dict) else {})
                    for item in value
                ]
        else:
            kept = field_value(model, key, value)
            if kept is not None:
                readable[key] = kept
    return readable


def field_value(model: type, key: str, value: Any) -> Any:
    """``value`` if ``key`` is a field of ``model`` (Job, Block, Task) and fits its type, else None.

    Also how actions' ``params`` are read: an edit of the wrong type is ignored.
    """
    hints = _HINTS[model]
    if key not in hints or key == "extra" or key in _NESTED:
        return None
    return _typed(value, hints[key])


def _typed(value: Any, expected: Any) -> Any:
    """``value`` if it has the ``expected`` type (containers keep only fitting items), else None."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if origin is typing.Union:  # Optional[int]
        return _typed(value, args[0])
    if expected is bool:
        return value if isinstance(value, bool) else None
    if expected is int:
        fits = isinstance(value, int) and not isinstance(value, bool) and -_INT64 <= value < _INT64
        return value if fits else None
    if expected is str:
        return value if isinstance(value, str) else None
    if origin is list and isinstance(value, list):
        return [item for item in value if _typed(item, args[0]) is not None]
    if origin is dict and isinstance(value, dict):
        return {
            key: item
            for key, item in value.items()
            if isinstance(key, str) and _typed(item, args[1]) is not None
        }
    return None


def _normalise(block: Block) -> bool:
    """Settle a block's numbers as afserver does; False when it would have no tasks."""
    if block.tasks:
        # Explicit tasks win over the numeric flag (their commands fill @#@).
        block.set_flag(BlockFlags.NUMERIC, False)
        block.frame_first = block.frame_last = 0
        block.frames_per_task = max(block.frames_per_task or 1, 1)
        block.frames_inc = 1
        return True
    if not block.numeric:
        return False
    first = block.frame_first or 0
    block.set_numeric(
        first,
        max(block.frame_last or 0, first),
        max(block.frames_per_task or 1, 1),
        max(block.frames_inc or 1, 1),
    )
    return True
