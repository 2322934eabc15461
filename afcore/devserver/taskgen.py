"""What a block's task ``n`` is: its frames, name, command and files, as afserver makes them.

Pure functions over a normalised :class:`afcore.job.Block` (see :mod:`.intake`),
mirroring ``BlockData::genNumbers``, ``genTaskName``, ``genCommand`` and
``calcTaskNumber``. Frame tokens are filled by :func:`afcore.frames.substitute_frames`,
the same substitution Afanasy's render client does.
"""

from __future__ import annotations

from afcore.frames import substitute_frames
from afcore.job import Block


def task_frames(block: Block, number: int) -> tuple[int, int, int]:
    """``(first, last, count)`` of the frames of task ``number``.

    A non-numeric block numbers its tasks' "frames" from 0, ``frames_per_task``
    at a time; that only matters for frame-by-frame dependencies.
    """
    per_task = block.frames_per_task or 1
    if not block.numeric:
        start = number * per_task
        return start, start + per_task - 1, per_task
    first, last, step = block.frame_first or 0, block.frame_last or 0, block.frames_inc or 1
    start = first + number * per_task * step
    span = min(per_task * step - 1, last - start)
    span -= span % step
    return start, start + span, span // step + 1


def task_of_frame(block: Block, frame: int, tasks_num: int) -> int:
    """The task holding ``frame`` (clamped into the block), as ``BlockData::calcTaskNumber``."""
    number = (frame - (block.frame_first or 0)) // (block.frames_per_task or 1)
    if (block.frames_inc or 1) > 1:
        number //= block.frames_inc or 1
    return min(max(number, 0), tasks_num - 1)


def replace_args(pattern: str, argument: str) -> str:
    """afserver's ``replaceArgs``: a task's text put into the block's at ``@#@`` (or alone)."""
    return pattern.replace("@#@", argument) if pattern else argument


def task_name(block: Block, number: int) -> str:
    """``frame 1-2`` (or ``frame 1-9 / 2`` with an increment); explicit tasks keep their names."""
    if not block.numeric:
        return replace_args(block.tasks_name, block.tasks[number].name)
    start, end, _count = task_frames(block, number)
    if block.tasks_name:
        return substitute_frames(block.tasks_name, start, end)
    if start == end:
        return f"frame {start}"
    step = block.frames_inc or 1
    return f"frame {start}-{end}" + (f" / {step}" if step > 1 else "")


def task_command(block: Block, number: int) -> str:
    """The command line the render client runs for task ``number``."""
    if not block.numeric:
        return replace_args(block.command, block.tasks[number].command)
    start, end, _count = task_frames(block, number)
    return substitute_frames(block.command, start, end)


def task_files(block: Block, number: int) -> list[str]:
    """The output files of task ``number``, frame tokens filled."""
    if not block.numeric:
        task_files = block.tasks[number].files
        if not block.files:
            return list(task_files)
        return [replace_args(pattern, ";".join(task_files)) for pattern in block.files]
    start, end, _count = task_frames(block, number)
    return [substitute_frames(pattern, start, end) for pattern in block.files]
