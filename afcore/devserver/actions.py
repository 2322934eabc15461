"""Actions: operations and parameter edits on jobs, renders and users, with afserver's errors.

An action names its targets by ``ids`` or by ``mask``, a regex that must match
the whole name (unlike get requests' prefix masks). It carries either an
``operation`` (``{"type":"delete"}``) or ``params`` (``{"priority":42}``); on a
job, ``block_ids`` turn it into an action on those blocks (``[-1]``: all).
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Union

from afcore.job import Block, Job
from afcore.validate import JOB_MASKS

from .farm import SYSTEM_JOB_ID, Farm
from .fields import flag, int_list, obj, text
from .intake import field_value
from .masks import compile_mask
from .model import Render, ServerJob, User
from .replies import JsonDict, error, processed

#: Job fields an action may edit (afserver's editable ``Job::jsonRead`` members): every mask
#: of a job among them.
JOB_PARAMS = (
    "priority",
    "max_running_tasks",
    "max_running_tasks_per_host",
    *JOB_MASKS,
    "time_wait",
    "time_life",
    "annotation",
    "description",
    "command_pre",
    "command_post",
    "ppa",
    "maintenance",
    "ignorenimby",
    "ignorepaused",
)
#: Block fields an action may edit (``BlockData::jsonRead`` with a change log).
BLOCK_PARAMS = (
    "name",
    "service",
    "parser",
    "command",
    "working_directory",
    "files",
    "tasks_name",
    "command_pre",
    "command_post",
    "capacity",
    "errors_retries",
    "errors_avoid_host",
    "errors_task_same_host",
    "errors_forgive_time",
    "task_max_run_time",
    "max_running_tasks",
    "max_running_tasks_per_host",
    "depend_mask",
    "tasks_depend_mask",
    "hosts_mask",
    "hosts_mask_exclude",
    "need_properties",
    "need_memory",
    "need_hdd",
    "need_power",
)
USER_PARAMS = (
    "priority",
    "errors_retries",
    "errors_avoid_host",
    "errors_task_same_host",
    "errors_forgive_time",
)

#: What an action can target; the system job is only its name (it is listed, never changed).
Node = Union[ServerJob, User, Render, str]
SYSTEM_JOB_NAME = "afanasy"


def act(farm: Farm, action: Any) -> JsonDict:
    """Check an action as afserver does, in its order, then apply it to every target."""
    if not isinstance(action, dict):
        return error("Invalid action.")
    ids, mask = int_list(action, "ids"), text(action, "mask")
    if not ids and not mask:
        return error("JSON action should have nodes ids or mask to operate with.")
    kind = text(action, "type")
    if not kind:
        return error("JSON action type is not set.")
    for who in ("user_name", "host_name"):
        if not text(action, who):
            return error(f'Action should have a not empty "{who}" string.')
    if kind not in _TARGETS:
        return error(f"Action has unknown type: '{kind}'")
    container, nodes_of, apply = _TARGETS[kind]
    author = f"{text(action, 'user_name')}@{text(action, 'host_name')}"
    with farm.lock:
        nodes = nodes_of(farm)
        if ids:
            for node_id in ids:
                if node_id in nodes:
                    apply(farm, nodes[node_id], action, author)
            missing = [node_id for node_id in ids if node_id not in nodes]
            return error(f"Action node ID not found: {missing[0]}.") if missing else processed()
        pattern = compile_mask(mask)
        if pattern is None:
            return error(f'{container}: Name pattern "{mask}" is invalid.')
        chosen = [node for node in nodes.values() if pattern.fullmatch(_name(node))]
        for node in chosen:
            apply(farm, node, action, author)
        return processed() if chosen else error(f"{container}: No node matches '{mask}' found.")


def _name(node: Node) -> str:
    return node if isinstance(node, str) else node.name


# -- jobs --------------------------------------------------------------------------------------


def _on_job(farm: Farm, job: Node, action: dict[str, Any], author: str) -> None:
    if not isinstance(job, ServerJob):
        return
    if "block_ids" in action:
        _on_blocks(farm, job, action, author)
        return
    operation = obj(action, "operation")
    if operation:
        _job_operation(farm, job, text(operation, "type"), author)
        return
    changes = _edit(Job, job.spec, obj(action, "params"), JOB_PARAMS)
    user_name = text(obj(action, "params"), "user_name")
    if user_name and farm.user_named(user_name) is not None:
        job.spec.user_name = user_name
        changes.append("user_name")
    offline = flag(obj(action, "params"), "offline")
    if offline is not None:
        job.offline = offline
        changes.append("offline")
    if changes:
        farm.log(job, f"{', '.join(changes)} changed by {author}")
        farm.job_changed(job)


def _job_operation(farm: Farm, job: ServerJob, operation: str, author: str) -> None:
    every_block = range(len(job.blocks))
    if operation == "delete":
        farm.delete(job)
        return
    if operation in ("start", "pause"):
        farm.set_offline(job, operation == "pause")
    elif operation == "stop":
        farm.restart(job, "running", every_block)
        farm.set_offline(job, True)
    elif operation in ("restart", "restart_pause"):
        farm.restart(job, "all", every_block)
        if operation == "restart_pause":
            farm.set_offline(job, True)
    elif operation in ("restart_errors", "restart_running"):
        farm.restart(job, operation.split("_")[1], every_block)
    elif operation == "reset_error_hosts":
        for block in job.blocks:
            block.error_hosts.clear()
        farm.job_changed(job)
    else:
        farm.log(job, f'Unknown operation "{operation}" by {author}')
        return
    farm.log(job, f'Operation "{operation}" by {author}')


def _on_blocks(farm: Farm, job: ServerJob, action: dict[str, Any], author: str) -> None:
    numbers = int_list(action, "block_ids")
    if numbers == [-1]:
        numbers = list(range(len(job.blocks)))
    numbers = [number for number in numbers if 0 <= number < len(job.blocks)]
    operation = obj(action, "operation")
    if operation:
        kind = text(operation, "type")
        tasks: Optional[list[int]] = int_list(operation, "task_ids") or None
        if kind == "skip":
            farm.skip(job, numbers, tasks)
        elif kind in ("restart", "restart_errors", "restart_running"):
            which = {"restart": "all"}.get(kind, kind.replace("restart_", ""))
            farm.restart(job, which, numbers, tasks)
        farm.log(job, f'Blocks {numbers} operation "{kind}" by {author}')
        return
    changed = []
    for number in numbers:
        changed += _edit(Block, job.blocks[number].spec, obj(action, "params"), BLOCK_PARAMS)
    if changed:
        farm.log(job, f"Blocks {numbers}: {', '.join(sorted(set(changed)))} changed by {author}")
        farm.job_changed(job)


def _edit(model: type, target: Any, params: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """Set the allowed ``params`` that have the right type; the names of those changed."""
    changed = []
    for key in allowed:
        value = field_value(model, key, params.get(key))
        if value is not None:
            setattr(target, key, value)
            changed.append(key)
    return changed


# -- renders and users -------------------------------------------------------------------------


def _on_render(farm: Farm, _render: Node, action: dict[str, Any], author: str) -> None:
    render = farm.render
    operation = text(obj(action, "operation"), "type")
    if operation == "exit":
        farm.take_render_offline()
        farm.note_render(f"Exit by {author}: the local worker takes no more tasks.")
        return
    params = obj(action, "params")
    for key, attribute in (("nimby", "nimby"), ("NIMBY", "nimby_all")):
        value = flag(params, key)
        if value is True:
            render.nimby, render.nimby_all = attribute == "nimby", attribute == "nimby_all"
        elif value is False:
            render.nimby = render.nimby_all = False
        if value is not None:
            farm.note_render(f"{key} {'on' if value else 'off'} by {author}")
    farm.render_changed()


def _on_user(farm: Farm, user: Node, action: dict[str, Any], _author: str) -> None:
    if not isinstance(user, User):
        return
    params = obj(action, "params")
    edited = False
    for key in USER_PARAMS:
        value = params.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            setattr(user, key, value)
            edited = True
    if edited:
        farm.user_changed(user)


def _jobs_by_id(farm: Farm) -> dict[int, Node]:
    nodes: dict[int, Node] = {SYSTEM_JOB_ID: SYSTEM_JOB_NAME}
    nodes.update(farm.jobs)
    return nodes


_Apply = Callable[[Farm, Node, dict[str, Any], str], None]
_TARGETS: dict[str, tuple[str, Callable[[Farm], dict[int, Node]], _Apply]] = {
    "jobs": ("Jobs", _jobs_by_id, _on_job),
    "renders": ("Renders", lambda farm: {farm.render.id: farm.render}, _on_render),
    "users": ("Users", lambda farm: dict(farm.users), _on_user),
}
