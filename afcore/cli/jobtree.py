"""A job as a readable tree: what ``afcmd v json`` shows before anything is sent.

It shows what the farm will make of the document (frames, frames per task, the number of tasks,
commands, files) and every problem validation finds, so a hand-written job file can be checked
at a glance. The document may be any JSON: values of the wrong type are shown as they are.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any, Optional, Union

from afcore.errors import Problem
from afcore.frames import FrameRange, format_frames
from afcore.job import Block, Job

#: Width the settings lines are wrapped to.
WIDTH = 100
#: Explicit tasks listed per block before the rest is summarised.
TASKS_SHOWN = 10

#: Shown in the heading lines, so left out of the "other settings" lines.
_JOB_SHOWN = {"name", "user_name", "host_name", "blocks"}
_BLOCK_SHOWN = {"name", "command", "working_directory", "files", "tasks", "flags"}
_BLOCK_SHOWN |= {"frame_first", "frame_last", "frames_per_task", "frames_inc"}


def describe_job(job: Job, problems: list[Problem], notes: Optional[list[str]] = None) -> str:
    """The tree of ``job``, then the notes (what was inferred) and the problems found."""
    user = "@".join(
        part for part in (job.user_name, job.host_name) if isinstance(part, str) and part
    )
    lines = [f"Job {_quoted(job.name)}" + (f"  (user {user})" if user else "")]
    lines += _settings(job, _JOB_SHOWN, "  ")
    blocks = job.blocks if isinstance(job.blocks, list) else []
    for number, block in enumerate(blocks):
        lines += (
            _describe_block(number, block)
            if isinstance(block, Block)
            else [f"  Block {number}: not an object: {_value(block)}"]
        )
    tasks = _total_tasks(blocks)
    lines.append(f"  Total: {len(blocks)} block(s)" + (f", {tasks} task(s)" if tasks else ""))
    lines += [f"Note: {note}" for note in notes or []]
    if problems:
        lines.append(f"Problems ({len(problems)}): the server would reject or mangle this job")
        lines += [f"  - {problem}" for problem in problems]
    else:
        lines.append("No problems found.")
    return "\n".join(lines)


def _describe_block(number: int, block: Block) -> list[str]:
    lines = [f"  Block {number} {_quoted(block.name)}"]
    lines.append(f"    {_work(block)}")
    lines.append(f"    command: {_value(block.command) if block.command else '(none)'}")
    if block.working_directory:
        lines.append(f"    working directory: {_value(block.working_directory)}")
    files = block.files if isinstance(block.files, list) else [block.files]
    lines += [f"    file: {_value(path)}" for path in files]
    if not _numeric(block) and isinstance(block.tasks, list):
        lines += [
            f"    task {i}: {_task_line(task)}" for i, task in enumerate(block.tasks[:TASKS_SHOWN])
        ]
        if len(block.tasks) > TASKS_SHOWN:
            lines.append(f"    ... and {len(block.tasks) - TASKS_SHOWN} more task(s)")
    lines += _settings(block, _BLOCK_SHOWN, "    ")
    return lines


def _work(block: Block) -> str:
    """``frames 1-100x2, 10 per task: 5 tasks`` or ``3 explicit tasks``."""
    if not _numeric(block):
        count = len(block.tasks) if isinstance(block.tasks, list) else 0
        return f"{count} explicit task(s) (not numeric: flags bit 0 is not set)"
    first, last = block.frame_first, block.frame_last
    step, per_task = block.frames_inc or 1, block.frames_per_task or 1
    numbers = (first, last, step, per_task)
    if not (isinstance(first, int) and isinstance(last, int) and all(map(_is_int, numbers))):
        return f"frames {_value(first)}-{_value(last)} (not all numbers)"
    try:
        frames = format_frames([FrameRange(first, last, step)])
    except ValueError:
        return f"frames {first}-{last} step {step} (not a valid range)"
    return f"frames {frames}, {per_task} per task: {block.task_count()} task(s)"


def _task_line(task: Any) -> str:
    if not hasattr(task, "command"):
        return f"not an object: {_value(task)}"
    command = _value(task.command) if task.command else "(no command)"
    return f"{_quoted(task.name)}: {command}"


def _total_tasks(blocks: list[Any]) -> int:
    try:
        return sum(block.task_count() for block in blocks)
    except (TypeError, AttributeError, ValueError):  # values of the wrong type: validation says so
        return 0


def _settings(model: Union[Job, Block], shown: set[str], indent: str) -> list[str]:
    """One line with every other setting that is set, so nothing in the file goes unseen."""
    values = {key: value for key, value in vars(model).items() if key != "extra"}
    values.update(model.extra)
    rest = [
        f"{key}={_value(value)}"
        for key, value in values.items()
        if key not in shown and _is_set(value)
    ]
    if not rest:
        return []
    return textwrap.wrap(
        "settings: " + ", ".join(rest),
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_on_hyphens=False,
    )


def _is_set(value: Any) -> bool:
    """Whether a value was given (zero counts: ``errors_retries: 0`` means something)."""
    empty = isinstance(value, (str, list, dict)) and not value
    return value is not None and value is not False and not empty


def _numeric(block: Block) -> bool:
    return _is_int(block.flags) and block.numeric


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _quoted(text: Any) -> str:
    return json.dumps(text, ensure_ascii=False)


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
