"""The JSON objects the devserver answers with, shaped like afserver 3.4.1's (see the transcripts).

Keys, their order and when optional keys appear follow the recorded replies;
values describe the devserver's own state. Every function reads the farm, so
callers hold :attr:`Farm.lock`.
"""

from __future__ import annotations

import os
import platform
import shutil
import tempfile
from bisect import bisect_left
from typing import Any, Optional

from . import taskgen
from .farm import DEFAULT_PRIORITY, SYSTEM_JOB_ID, SYSTEM_USER, Farm
from .model import FRESH, BlockRun, ServerJob, TaskRun, User
from .replies import PROTOCOL_VERSION, JsonDict
from .states import (
    DONE,
    ERROR,
    READY,
    RENDER_BUSY,
    RENDER_NIMBY,
    RENDER_NIMBY_ALL,
    RENDER_ONLINE,
    RUNNING,
    SKIPPED,
    render_state_text,
    state_text,
)

BAR_LENGTH = 128
#: Progress bar characters, least important first (afserver's ASCII_PROGRESS_STATES order).
_BAR_RANK = {" ": 0, "D": 1, "S": 2, "r": 4, "R": 6, "E": 8}
_SYSTEM_BLOCKS = (("post_commands", "postcmd"), ("wake-on-lan", "wakeonlan"), ("events", "events"))


def job_views(farm: Farm, jobs: list[ServerJob], full: bool) -> list[JsonDict]:
    """Jobs as in ``{"jobs":[...]}``; ``full`` adds each block's properties (``"mode":"full"``)."""
    orders: dict[int, int] = {}
    for user_name in {job.spec.user_name for job in jobs}:
        orders.update((job.id, n) for n, job in enumerate(farm.user_jobs(user_name)))
    return [job_view(farm, job, full, orders[job.id]) for job in jobs]


def job_view(farm: Farm, job: ServerJob, full: bool, user_list_order: int) -> JsonDict:
    """One job; ``user_list_order`` is its place among its user's jobs."""
    spec = job.spec
    st = farm.job_state(job)
    view: JsonDict = {
        "name": spec.name,
        "id": job.id,
        "priority": farm.priority(job),
        "solve_method": "solve_order",
        "solve_need": "solve_tasksnum",
        "hosts_mask_type": "find",
    }
    _set_limit(view, "max_running_tasks", spec.max_running_tasks)
    _set_limit(view, "max_running_tasks_per_host", spec.max_running_tasks_per_host)
    _set_if(view, "hosts_mask", spec.hosts_mask)
    _set_if(view, "hosts_mask_exclude", spec.hosts_mask_exclude)
    view.update(serial=job.serial, user_name=spec.user_name, host_name=spec.host_name, st=st)
    if st:
        view["state"] = state_text(st)
    for switch in ("ppa", "maintenance", "ignorenimby", "ignorepaused"):
        if getattr(spec, switch):
            view[switch] = True
    for key in ("command_pre", "command_post", "annotation", "description", "project"):
        _set_if(view, key, getattr(spec, key))
    _set_if(view, "department", spec.department)
    view["branch"] = spec.branch or "/"
    view["user_list_order"] = user_list_order
    view["time_creation"] = spec.time_creation
    _set_if(view, "time_wait", spec.time_wait)
    _set_if(view, "time_started", job.time_started)
    _set_if(view, "time_done", job.time_done)
    _set_if(view, "time_life", spec.time_life)
    for key in ("folders", "depend_mask", "depend_mask_global", "need_os", "need_properties"):
        _set_if(view, key, getattr(spec, key))
    _set_if(view, "tasks_ready", sum(block.counts[READY] for block in job.blocks))
    mode = "full" if full else "list"
    view["blocks"] = [block_view(farm, job, block, mode) for block in job.blocks]
    return view


def block_view(farm: Farm, job: ServerJob, block: BlockRun, mode: str) -> JsonDict:
    """A block in afserver's data modes: ``progress``, ``list``, ``properties`` or ``full``."""
    view: JsonDict = {}
    spec = block.spec
    if mode == "full" and not spec.numeric:
        view["tasks"] = [_task_spec_view(task) for task in spec.tasks]
    if mode in ("full", "properties"):
        view.update(command=spec.command, tasks_name=spec.tasks_name)
        for key in ("parser", "working_directory", "files", "command_pre", "command_post"):
            _set_if(view, key, getattr(spec, key))
    if mode != "progress":
        view.update(_block_list_fields(block))
    view.update(_block_progress(farm, job, block))
    return view


def _block_list_fields(block: BlockRun) -> JsonDict:
    spec = block.spec
    view: JsonDict = {
        "name": spec.name,
        "service": spec.service,
        "capacity": spec.capacity or 1000,
        "flags": int(spec.flags),
        "tasks_num": block.tasks_num,
        "frame_first": spec.frame_first,
        "frame_last": spec.frame_last,
        "frames_per_task": spec.frames_per_task,
        "frames_inc": spec.frames_inc,
    }
    for key in (
        "max_running_tasks",
        "max_running_tasks_per_host",
        "errors_retries",
        "errors_avoid_host",
        "errors_task_same_host",
        "errors_forgive_time",
    ):
        _set_limit(view, key, getattr(spec, key))
    for key in (
        "task_max_run_time",
        "depend_mask",
        "tasks_depend_mask",
        "hosts_mask",
        "hosts_mask_exclude",
        "need_properties",
    ):
        _set_if(view, key, getattr(spec, key))
    _set_if(view, "time_started", block.time_started)
    _set_if(view, "time_done", block.time_done)
    return view


def _block_progress(farm: Farm, job: ServerJob, block: BlockRun) -> JsonDict:
    st = farm.block_state(job, block)
    view: JsonDict = {"block_num": block.number, "st": st}
    if st:
        view["state"] = state_text(st)
    view["job_id"] = job.id
    counts = block.counts
    _set_if(view, "running_tasks_counter", counts[RUNNING])
    _set_if(view, "p_percentage", counts[DONE] * 100 // max(block.tasks_num, 1))
    _set_if(view, "p_tasks_ready", counts[READY])
    _set_if(view, "p_tasks_done", counts[DONE])
    _set_if(view, "p_tasks_error", counts[ERROR])
    _set_if(view, "p_tasks_skipped", block.skipped)
    if block.run_times:
        low, high, total = block.run_times
        view.update(p_tasks_run_time_min=low, p_tasks_run_time_max=high)
        view["p_tasks_run_time_sum"] = total
    view["p_progressbar"] = progress_bar(block)
    return view


def progress_bar(block: BlockRun) -> str:
    """afserver's 128-character bar: per slot, the most important state of the tasks in it."""
    if not block.tasks:
        return "r" * BAR_LENGTH  # every task ready and never started
    count = block.tasks_num
    touched = sorted(block.tasks)
    slots = []
    for slot in range(BAR_LENGTH):
        first = slot * count // BAR_LENGTH
        end = max(first + 1, (slot + 1) * count // BAR_LENGTH)
        low, high = bisect_left(touched, first), bisect_left(touched, end)
        best = "r" if high - low < end - first else " "
        for number in touched[low:high]:
            char = _bar_char(block.tasks[number])
            if _BAR_RANK[char] > _BAR_RANK[best]:
                best = char
        slots.append(best)
    return "".join(slots)


def _bar_char(task: TaskRun) -> str:
    if task.state & RUNNING:
        return "R"
    if task.state & ERROR:
        return "E"
    if task.state & DONE:
        return "S" if task.state & SKIPPED else "D"
    return "r"


_FRESH_VIEW: JsonDict = {"state": state_text(READY), "st": READY}


def task_progress_view(task: TaskRun) -> JsonDict:
    """``{"state":" DON","st":16,"str":1,"tst":...,"tdn":...,"hst":"vm"}``; zeros left out."""
    if task is FRESH:
        return _FRESH_VIEW
    view: JsonDict = {"state": state_text(task.state), "st": task.state}
    for key, value in (
        ("str", task.starts),
        ("err", task.errors),
        ("tst", task.time_start),
        ("tdn", task.time_done),
        ("hst", task.host),
    ):
        _set_if(view, key, value)
    return view


def job_progress(job: ServerJob) -> JsonDict:
    """``"mode":"progress"``: every task's progress, block by block."""
    progress = [
        [task_progress_view(block.progress(number)) for number in range(block.tasks_num)]
        for block in job.blocks
    ]
    return {"job_progress": {"id": job.id, "progress": progress}}


def task_reply(
    farm: Farm, job: ServerJob, place: tuple[int, int, int], mode: str, output: str
) -> JsonDict:
    """One task's ``info`` (TExec), ``output`` (TOutput), ``log`` (TLog) or ``files``.

    ``place`` is (block, task, run): the run is echoed as the position's ``number``.
    """
    block_number, number, run = place
    valid = 0 <= block_number < len(job.blocks) and 0 <= number < job.blocks[block_number].tasks_num
    if mode == "files":
        files = taskgen.task_files(job.blocks[block_number].spec, number) if valid else []
        ids = {"job_id": job.id, "block_id": block_number, "task_id": number}
        return {"task_files": {**ids, "files": files}}
    kind = {"info": "TExec", "log": "TLog"}.get(mode, "TOutput")
    position = {"job": job.id, "block": block_number, "task": number, "number": run}
    if not valid:
        return {
            "task": {
                "type": kind,
                "render_id": 0,
                **dict.fromkeys(("job_name", "block_name", "task_name", "service", "parser"), ""),
                "pos": position,
                "progress": {"state": "", "st": 0},
                "data": "ERROR: Invalid block and task numbers",
            }
        }
    block = job.blocks[block_number]
    task = block.progress(number)
    running = farm.running.get((job.id, block_number, number))
    view: JsonDict = {
        "type": kind,
        "render_id": farm.render.id if running else 0,
        "job_name": job.name,
        "block_name": block.spec.name,
        "task_name": taskgen.task_name(block.spec, number),
        "service": block.spec.service,
        "parser": block.spec.parser,
        "pos": position,
        "progress": task_progress_view(task),
    }
    if mode == "info":
        view["exec"] = _task_exec(job, block, number, task.time_start or farm.now())
    view["data"] = output
    return {"task": view}


def _task_exec(job: ServerJob, block: BlockRun, number: int, time_start: int) -> JsonDict:
    spec = block.spec
    start, end, count = taskgen.task_frames(spec, number)
    return {
        "name": taskgen.task_name(spec, number),
        "service": spec.service,
        "capacity": spec.capacity or 1000,
        "time_start": time_start,
        "block_name": spec.name,
        "job_id": job.id,
        "block_num": block.number,
        "task_num": number,
        "command_block": spec.command,
        "command_task": "" if spec.numeric else spec.tasks[number].command,
        "frame_start": start,
        "frame_finish": end,
        "frames_inc": spec.frames_inc,
        "frames_num": count,
        "parser": spec.parser,
        "working_directory": spec.working_directory,
    }


def _task_spec_view(task: Any) -> JsonDict:
    view: JsonDict = {"name": task.name, "command": task.command}
    _set_if(view, "files", task.files)
    return view


def message(name: str, kind: str, lines: list[str]) -> JsonDict:
    """``{"message":{"name":...,"type":"log","list":[...]}}``: logs and other text lists."""
    return {"message": {"name": name, "type": kind, "list": lines}}


def error_hosts(job: ServerJob) -> JsonDict:
    lines = []
    for block in job.blocks:
        lines.append(f"Block['{block.spec.name}'] error hosts:")
        lines += [f"{host}: {count} errors" for host, count in sorted(block.error_hosts.items())]
    return message(job.name, "error_hosts", lines)


def system_job_view(farm: Farm, full: bool) -> JsonDict:
    """Job 1 ``afanasy`` of ``afadmin``, which every afserver lists (it runs nothing here)."""
    blocks = []
    for number, (name, service) in enumerate(_SYSTEM_BLOCKS):
        block = {"name": name, "service": service, "capacity": 1000, "flags": 0, "tasks_num": 1}
        block.update(frame_first=0, frame_last=0, frames_per_task=1, frames_inc=1)
        block.update(errors_retries=9, errors_avoid_host=3, errors_task_same_host=1)
        block.update(errors_forgive_time=600, task_max_run_time=60)
        block.update(block_num=number, st=0, job_id=SYSTEM_JOB_ID, p_progressbar=" " * BAR_LENGTH)
        blocks.append({"command": "", "tasks_name": "", **block} if full else block)
    return {
        "name": "afanasy",
        "id": SYSTEM_JOB_ID,
        "priority": DEFAULT_PRIORITY,
        "solve_method": "solve_order",
        "solve_need": "solve_tasksnum",
        "hosts_mask_type": "find",
        "serial": 0,
        "user_name": SYSTEM_USER,
        "host_name": "",
        "st": 0,
        "branch": "/",
        "user_list_order": 0,
        "time_creation": farm.started_at,
        "blocks": blocks,
    }


def system_job_progress() -> JsonDict:
    fresh = [[{"state": "", "st": 0}] for _ in _SYSTEM_BLOCKS]
    return {"job_progress": {"id": SYSTEM_JOB_ID, "progress": fresh}}


def user_view(farm: Farm, user: User) -> JsonDict:
    view: JsonDict = {
        "name": user.name,
        "id": user.id,
        "priority": user.priority,
        "solve_method": "solve_order",
        "solve_need": "solve_capacity",
        "time_register": user.time_register,
        "time_activity": user.time_activity,
        "errors_retries": user.errors_retries,
        "errors_avoid_host": user.errors_avoid_host,
        "errors_task_same_host": user.errors_task_same_host,
        "errors_forgive_time": user.errors_forgive_time,
    }
    _set_if(view, "host_name", user.host_name)
    view["jobs_num"] = len(farm.user_jobs(user.name)) + (user.name == SYSTEM_USER)
    return view


def render_state(farm: Farm) -> int:
    render = farm.render
    st = RENDER_ONLINE if render.online else 0
    st |= RENDER_NIMBY if render.nimby else 0
    st |= RENDER_NIMBY_ALL if render.nimby_all else 0
    return st | (RENDER_BUSY if farm.running else 0)


def render_view(farm: Farm) -> JsonDict:
    render = farm.render
    now = farm.now()
    st = render_state(farm)
    capacity = sum(
        farm.jobs[key[0]].blocks[key[1]].spec.capacity or 1000
        for key in farm.running
        if key[0] in farm.jobs
    )
    return {
        "name": render.name,
        "id": render.id,
        "priority": DEFAULT_PRIORITY,
        "user_name": render.user_name,
        "time_register": render.time_register,
        "time_launch": farm.started_at if render.online else 0,
        "time_update": now,
        "os": f"{os.name} {platform.system().lower()} {platform.machine()}",
        "address": {"family": 4, "ip": "127.0.0.1", "port": 0},
        "netifs": [],
        "engine": f"{PROTOCOL_VERSION} (afcore devserver)",
        "pool": "/",
        "st": st,
        "state": render_state_text(st),
        "capacity_used": capacity,
        "task_start_finish_time": render.task_finish_time,
        "idle_time": now,
        "busy_time": now,
    }


def render_full(farm: Farm) -> JsonDict:
    render = farm.render
    return {
        "object": {
            "name": render.name,
            "id": render.id,
            "render": render_view(farm),
            "custom_data": "",
            "host_resources": _host_resources(),
        }
    }


def _host_resources() -> JsonDict:
    """What this machine has, in afrender's keys; what the devserver does not measure is 0."""
    mib = 1024 * 1024
    pages = _sysconf("SC_PHYS_PAGES") * _sysconf("SC_PAGE_SIZE")
    free = _sysconf("SC_AVPHYS_PAGES") * _sysconf("SC_PAGE_SIZE")
    disk = shutil.disk_usage(tempfile.gettempdir())
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    resources: JsonDict = {"cpu_num": os.cpu_count() or 1, "cpu_mhz": 0, "cpu_temp": 0}
    resources["cpu_loadavg"] = [round(value * 10) for value in load]
    for key in ("user", "nice", "system", "idle", "iowait", "irq", "softirq"):
        resources[f"cpu_{key}"] = 0
    resources.update(mem_total_mb=pages // mib, mem_free_mb=free // mib)
    resources.update(mem_cached_mb=0, mem_buffers_mb=0, swap_total_mb=0, swap_used_mb=0)
    resources.update(hdd_total_gb=disk.total >> 30, hdd_free_gb=disk.free >> 30)
    for key in ("hdd_rd_kbsec", "hdd_wr_kbsec", "hdd_busy", "net_recv_kbsec", "net_send_kbsec"):
        resources[key] = 0
    for key in ("gpu_gpu_util", "gpu_gpu_temp", "gpu_mem_total_mb", "gpu_mem_used_mb"):
        resources[key] = 0
    resources.update(gpu_string="", hw_info=platform.processor() or platform.machine())
    return resources


def _sysconf(name: str) -> int:
    try:
        return max(os.sysconf(name), 0)
    except (AttributeError, ValueError, OSError):
        return 0


def _set_if(view: JsonDict, key: str, value: Optional[Any]) -> None:
    """Write ``key`` only when it has a value, as afserver leaves out zeros and empty strings."""
    if value:
        view[key] = value


def _set_limit(view: JsonDict, key: str, value: Optional[int]) -> None:
    """Write a limit or retry count when set: 0 counts, unset (None or -1) does not."""
    if value is not None and value >= 0:
        view[key] = value
