"""Get requests: lists and details of jobs, renders and users, routed as afserver routes them.

In short (afserver's ``threadProcessJSON``): ``uids``/``users`` list those users'
jobs; exactly one ``ids`` entry that does not exist is an ``"Invalid ID"``
error (several ids just skip missing ones); with one job, ``block_ids`` +
``task_ids`` ask for a task, ``block_ids`` alone for blocks (``mode`` then is a
list, one per block), and ``mode`` ``progress``/``log``/``error_hosts`` for
those; anything else is the list, ``"mode":"full"`` adding block properties.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from . import views
from .farm import SYSTEM_JOB_ID, SYSTEM_USER, Farm
from .fields import int_list, text, text_list
from .masks import prefix_match
from .model import ServerJob
from .replies import JsonDict, error

_BLOCK_MODES = ("progress", "properties", "full")


def get(farm: Farm, request: dict[str, Any]) -> JsonDict:
    kind = text(request, "type")
    handler = _HANDLERS.get(kind)
    if handler is None:
        return error(f"Invalid get type = '{kind}'")
    with farm.lock:
        return handler(farm, request)


def _jobs(farm: Farm, request: dict[str, Any]) -> JsonDict:
    ids, mode = int_list(request, "ids"), text(request, "mode")
    full = mode == "full"
    user_ids, user_names = int_list(request, "uids"), text_list(request, "users")
    if user_ids or user_names:
        names = set(user_names) | {farm.users[i].name for i in user_ids if i in farm.users}
        chosen = [job for job in farm.jobs.values() if job.spec.user_name in names]
        return _job_list(farm, chosen, full, with_system=SYSTEM_USER in names)
    if len(ids) == 1:
        if ids[0] == SYSTEM_JOB_ID:
            return _system_job(farm, request, mode)
        job = farm.jobs.get(ids[0])
        if job is None:
            return error("Invalid ID")
        detail = _job_detail(farm, job, request, mode)
        if detail is not None:
            return detail
    mask = text(request, "mask")
    if ids:
        chosen = [farm.jobs[i] for i in ids if i in farm.jobs]
        return _job_list(farm, chosen, full, with_system=SYSTEM_JOB_ID in ids)
    if mask:
        chosen = [job for job in farm.jobs.values() if prefix_match(mask, job.name)]
        return _job_list(farm, chosen, full, with_system=prefix_match(mask, "afanasy"))
    return _job_list(farm, list(farm.jobs.values()), full, with_system=True)


def _job_list(farm: Farm, jobs: list[ServerJob], full: bool, with_system: bool) -> JsonDict:
    listed = views.job_views(farm, sorted(jobs, key=lambda job: job.id), full)
    if with_system:
        listed.insert(0, views.system_job_view(farm, full))
    return {"jobs": listed}


def _job_detail(
    farm: Farm, job: ServerJob, request: dict[str, Any], mode: str
) -> Optional[JsonDict]:
    """The reply about one job's blocks, task, progress, log or error hosts; None: the list."""
    block_ids, task_ids = int_list(request, "block_ids"), int_list(request, "task_ids")
    if mode == "output" or (block_ids and task_ids):
        if len(block_ids) != 1 or len(task_ids) != 1:
            return error("A task request needs one job id, one block id and one task id.")
        run = request.get("number")
        run = run if isinstance(run, int) and not isinstance(run, bool) else None
        return _task(farm, job, block_ids[0], task_ids[0], mode, run)
    if block_ids:
        modes = text_list(request, "mode") or [mode]
        blocks = []
        for index, number in enumerate(block_ids):
            if 0 <= number < len(job.blocks):
                block_mode = modes[min(index, len(modes) - 1)]
                block_mode = block_mode if block_mode in _BLOCK_MODES else "full"
                blocks.append(views.block_view(farm, job, job.blocks[number], block_mode))
        return {"blocks": blocks}
    if mode == "progress":
        return views.job_progress(job)
    if mode == "log":
        return views.message(job.name, "log", list(job.log))
    if mode == "error_hosts":
        return views.error_hosts(job)
    return None


def _task(
    farm: Farm, job: ServerJob, block: int, task: int, mode: str, run: Optional[int]
) -> JsonDict:
    """A task's info, output (``number``: which run, 0 the first; none: the latest) or log."""
    valid = 0 <= block < len(job.blocks) and 0 <= task < job.blocks[block].tasks_num
    data = ""
    if valid and mode == "output":
        data = farm.task_output(job, block, task, run)
    elif valid and mode == "log":
        data = farm.task_log(job, block, task)
    return views.task_reply(farm, job, (block, task, run or 0), mode or "info", data)


def _system_job(farm: Farm, request: dict[str, Any], mode: str) -> JsonDict:
    if mode == "progress":
        return views.system_job_progress()
    if mode == "log":
        return views.message("afanasy", "log", [])
    return _job_list(farm, [], mode == "full", with_system=True)


def _renders(farm: Farm, request: dict[str, Any]) -> JsonDict:
    ids, mask, mode = int_list(request, "ids"), text(request, "mask"), text(request, "mode")
    render = farm.render
    if mode and len(ids) == 1:
        if ids[0] != render.id:
            return error("Invalid ID")
        if mode == "full":
            return views.render_full(farm)
        if mode == "log":
            return views.message(render.name, "log", list(render.log))
        if mode == "tasks_log":
            lines = render.tasks_log or ["No tasks execution."]
            return views.message(render.name, "tasks_log", lines)
    listed = render.id in ids if ids else not mask or prefix_match(mask, render.name)
    return {"renders": [views.render_view(farm)] if listed else []}


def _users(farm: Farm, request: dict[str, Any]) -> JsonDict:
    ids, mask, mode = int_list(request, "ids"), text(request, "mask"), text(request, "mode")
    if mode and len(ids) == 1:
        user = farm.users.get(ids[0])
        if user is None:
            return error("Invalid ID")
        if mode == "log":
            return views.message(user.name, "log", [])
    users = sorted(farm.users.values(), key=lambda user: user.id)
    if ids:
        users = [user for user in users if user.id in ids]
    elif mask:
        users = [user for user in users if prefix_match(mask, user.name)]
    return {"users": [views.user_view(farm, user) for user in users]}


_HANDLERS: dict[str, Callable[[Farm, dict[str, Any]], JsonDict]] = {
    "jobs": _jobs,
    "renders": _renders,
    "users": _users,
}
