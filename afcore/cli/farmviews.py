"""What the server says about jobs, renders and users, as text a TD reads in a terminal.

The functions take the server's own reply objects (the ``jobs`` / ``renders`` / ``users`` lists
and a job's per-task progress) and never fail on a key the server left out: older and newer
servers send different subsets.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Optional

from afcore.cli.tables import format_table
from afcore.frames import FrameRange, task_chunks

Reply = dict[str, Any]

#: A block with more tasks than this lists only those that are neither ready nor done.
TASKS_LISTED = 50
#: Task states worth a line even in a long list.
_NOTEWORTHY = {"RUN", "ERR", "WRN", "SKP", "WDP", "WRC"}


def state(node: Reply) -> str:
    """``" RDY OFF"`` -> ``"RDY OFF"``; the server pads state strings with a leading space."""
    return str(node.get("state", "")).strip()


def job_progress(job: Reply) -> str:
    """``"2/5 40%"``: tasks done of all tasks, and the percentage including running tasks."""
    blocks = job.get("blocks") or []
    total = sum(block.get("tasks_num", 0) for block in blocks)
    if not total:
        return ""
    done = sum(block.get("p_tasks_done", 0) for block in blocks)
    weighted = sum(block.get("p_percentage", 0) * block.get("tasks_num", 0) for block in blocks)
    return f"{done}/{total} {weighted // total}%"


def _key(name: str, default: Any = "") -> Callable[[Reply], Any]:
    return lambda node: node.get(name, default)


Columns = list[tuple[str, Callable[[Reply], Any]]]

JOB_COLUMNS: Columns = [
    ("id", _key("id")),
    ("name", _key("name")),
    ("user", _key("user_name")),
    ("state", state),
    ("progress", job_progress),
    ("blocks", lambda job: len(job.get("blocks") or [])),
]
RENDER_COLUMNS: Columns = [
    ("id", _key("id")),
    ("name", _key("name")),
    ("state", state),
    ("user", _key("user_name")),
    ("capacity used", _key("capacity_used")),
    ("os", _key("os")),
]
USER_COLUMNS: Columns = [
    ("id", _key("id")),
    ("name", _key("name")),
    ("host", _key("host_name")),
    ("priority", _key("priority")),
    ("jobs", _key("jobs_num", 0)),
]


def table(nodes: list[Reply], columns: Columns) -> str:
    """``nodes`` (jobs, renders, users) as a table of ``columns``."""
    headers = [header for header, _ in columns]
    return format_table(headers, [[value(node) for _, value in columns] for node in nodes])


def jobs_table(jobs: list[Reply]) -> str:
    return table(jobs, JOB_COLUMNS)


def renders_table(renders: list[Reply]) -> str:
    return table(renders, RENDER_COLUMNS)


def users_table(users: list[Reply]) -> str:
    return table(users, USER_COLUMNS)


def job_details(job: Reply, progress: list[list[Reply]], error_hosts: list[str]) -> str:
    """A job's blocks with their commands and files, each task's state and host, and errors."""
    user = "@".join(part for part in (job.get("user_name"), job.get("host_name")) if part)
    lines = [
        f"Job {job.get('id')} {job.get('name', '')!r}  user {user}  "
        f"priority {job.get('priority')}  state {state(job)}  {job_progress(job)}".rstrip()
    ]
    for number, block in enumerate(job.get("blocks") or []):
        tasks = progress[number] if number < len(progress) else []
        lines += _block_details(number, block, tasks)
    hosts = [line for line in error_hosts if not line.rstrip().endswith("error hosts:")]
    if hosts:
        lines.append("Error hosts:")
        lines += [f"  {line}" for line in error_hosts]
    return "\n".join(lines)


def _block_details(number: int, block: Reply, tasks: list[Reply]) -> list[str]:
    counts = Counter(state(task) or "?" for task in tasks)
    summary = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    lines = [
        f"Block {number} {block.get('name', '')!r}  service {block.get('service', '')}  "
        f"state {state(block)}  tasks: {summary or block.get('tasks_num', 0)}"
    ]
    for label, key in (("command", "command"), ("working directory", "working_directory")):
        if block.get(key):
            lines.append(f"  {label}: {block[key]}")
    lines += [f"  file: {path}" for path in block.get("files") or []]
    listed = [
        (index, task)
        for index, task in enumerate(tasks)
        if len(tasks) <= TASKS_LISTED or _NOTEWORTHY & set(state(task).split())
    ]
    names = _task_names(block, len(tasks))
    rows = [
        [
            index,
            names[index],
            state(task),
            task.get("str"),
            task.get("hst", ""),
            _duration(task.get("tst"), task.get("tdn")),
        ]
        for index, task in listed
    ]
    if rows:
        table = format_table(["task", "frames", "state", "starts", "host", "time"], rows)
        lines += [f"  {line}" for line in table.splitlines()]
    if len(listed) < len(tasks):
        lines.append(
            f"  ({len(tasks) - len(listed)} ready or done task(s) not listed; --json lists all)"
        )
    return lines


def _task_names(block: Reply, count: int) -> list[str]:
    """The frames each task renders (numeric blocks) or its name (explicit tasks)."""
    explicit = block.get("tasks") or []
    if explicit or not block.get("flags", 0) & 1:
        return [str(task.get("name", "")) for task in explicit] + [""] * (count - len(explicit))
    try:
        frames = FrameRange(block["frame_first"], block["frame_last"], block.get("frames_inc") or 1)
        chunks = task_chunks(frames, block.get("frames_per_task") or 1)
    except (KeyError, TypeError, ValueError):
        return [""] * count
    names = [str(first) if first == last else f"{first}-{last}" for first, last in chunks]
    return names + [""] * (count - len(names))


def _duration(start: Optional[int], done: Optional[int]) -> str:
    if not start or not done or done < start:
        return ""
    seconds = done - start
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
