"""Scene snapshot + the artist's settings + the host's command lines -> Afanasy jobs.

Pure: reads no file, talks to no DCC and no server, so what it makes is what
the preview shows and what the tests check.

- One job with a block per selected target, or one job per target
  (``settings.separate_jobs``).
- A target that reads another's output waits for it: the whole range
  (block ``depend_mask``), frame by frame (``tasks_depend_mask``), or across
  separate jobs with the job's ``depend_mask`` (jobs wait for whole jobs).
- Frames that are not one range (``1-10,20-30``) become one numeric block per
  range (``Write1 [1-10]``, ``Write1 [20-30]``); a single-task target (a movie,
  a simulation) is one task over its whole range.
- The farm renders a copy of the scene and the job's post command deletes it.
  Afanasy runs a job's post command when the job is *deleted*, and jobs are
  deleted one at a time, so separate jobs each get their own copy: a shared
  one would vanish under the jobs still on the farm.
- Paths the farm sees (the copy, outputs, folders) go through the site's path
  maps; commands are quoted once, at the end.
"""

from __future__ import annotations

import heapq
import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Protocol

from afcore.frames import FrameRange, parse_frames
from afcore.job import Block, Job
from afcore.paths import join_command, map_path
from afcore.scenecopy import job_copy_path, make_stamp
from afcore.settings import SubmitSettings, parse_wait_until

if TYPE_CHECKING:
    from afcore.config import Config
    from afcore.scene import RenderTarget, SceneSnapshot

__all__ = [
    "BuildError",
    "CommandBuilder",
    "JobPlan",
    "block_fields",
    "block_names",
    "build_jobs",
    "delete_command",
    "exact_mask",
    "job_fields",
    "order_targets",
    "plan_jobs",
    "repeated_names",
    "selected_targets",
]


class CommandBuilder(Protocol):
    """Anything with the Host's ``render_command``: a Host, or a wrapper of a DCC's farm module."""

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]: ...


class BuildError(ValueError):
    """The snapshot and settings cannot make a job; the message says what to change."""


@dataclass(frozen=True)
class JobPlan:
    """One job to make: its name, its targets in render order, and the scene copy it renders."""

    name: str
    targets: tuple[RenderTarget, ...]
    scene_copy: str
    #: Names of the other planned jobs this one waits for.
    waits_for: tuple[str, ...] = ()


def selected_targets(snapshot: SceneSnapshot, settings: SubmitSettings) -> list[RenderTarget]:
    """The targets the artist submits: ticked, and not disabled in the scene."""
    return [t for t in snapshot.targets if t.enabled and settings.is_selected(t)]


def order_targets(targets: list[RenderTarget]) -> list[RenderTarget]:
    """``targets`` with every target after those it reads, else in the DCC's render order.

    Dependencies on targets not in the list are ignored (their outputs are on
    disk already). A cycle would make jobs wait for each other forever, and two
    targets of one name make every mask ambiguous: both are a BuildError.
    """
    repeated = repeated_names(targets)
    if repeated:
        raise BuildError(f"several targets are named {', '.join(repeated)}; rename them")
    names = {t.name for t in targets}
    waiting = {t.name: set(_dependencies(t, names)) for t in targets}
    readers: dict[str, list[str]] = {name: [] for name in names}
    for name, deps in waiting.items():
        for dependency in deps:
            readers[dependency].append(name)
    position = {t.name: (t.order, index) for index, t in enumerate(targets)}
    by_name = {t.name: t for t in targets}
    ready = [(position[name], name) for name, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    ordered: list[RenderTarget] = []
    while ready:
        _, name = heapq.heappop(ready)
        ordered.append(by_name[name])
        for reader in readers[name]:
            waiting[reader].discard(name)
            if not waiting[reader]:
                heapq.heappush(ready, (position[reader], reader))
    if len(ordered) < len(targets):
        stuck = sorted(name for name, deps in waiting.items() if deps)
        raise BuildError(
            f"targets {', '.join(stuck)} wait for each other in a circle; "
            "remove one of their dependencies"
        )
    return ordered


def repeated_names(targets: list[RenderTarget]) -> list[str]:
    """Names more than one of ``targets`` has."""
    return sorted(name for name, count in Counter(t.name for t in targets).items() if count > 1)


def _dependencies(target: RenderTarget, names: set[str]) -> list[str]:
    return [d for d in target.depends_on if d in names and d != target.name]


def job_base_name(snapshot: SceneSnapshot, settings: SubmitSettings) -> str:
    """The artist's job name, else the scene file's name without its extension."""
    return settings.job_name.strip() or Path(snapshot.scene_file).stem or "untitled"


def plan_jobs(
    snapshot: SceneSnapshot, settings: SubmitSettings, scene_copy: str, stamp: str
) -> list[JobPlan]:
    """Which jobs to make, in the order to send them (a job after the jobs it waits for).

    Separate jobs are named ``<job name> <target> (<stamp>)``: afserver renames
    a job whose name is taken, so a plain name in a depend mask could point at
    an older job still on the farm instead of the one just sent.
    """
    targets = order_targets(selected_targets(snapshot, settings))
    if not targets:
        raise BuildError("no target is selected; tick at least one target to render")
    base = job_base_name(snapshot, settings)
    if not settings.separate_jobs:
        return [JobPlan(base, tuple(targets), scene_copy)]
    names = {t.name: f"{base} {t.name} ({stamp})" for t in targets}
    copies = _distinct_copies(scene_copy, [t.name for t in targets])
    wait = settings.dependency_mode != "none"
    return [
        JobPlan(
            names[t.name],
            (t,),
            copies[t.name],
            tuple(names[d] for d in _dependencies(t, set(names))) if wait else (),
        )
        for t in targets
    ]


def _distinct_copies(scene_copy: str, labels: list[str]) -> dict[str, str]:
    """A copy path per label, different even when two labels make the same file name."""
    copies: dict[str, str] = {}
    taken: set[str] = set()
    for label in labels:
        path, number = job_copy_path(scene_copy, label), 1
        while path in taken:
            number += 1
            path = job_copy_path(scene_copy, f"{label}_{number}")
        copies[label] = path
        taken.add(path)
    return copies


_REGEX_SPECIAL = re.compile(r"([\\^$.|?*+()\[\]{}])")


def exact_mask(names: list[str]) -> str:
    """A regular expression matching exactly these names (as afserver reads masks)."""
    escaped = [_REGEX_SPECIAL.sub(r"\\\1", name) for name in names]
    return "^(?:" + "|".join(escaped) + ")$"


def _either(user_mask: str, generated: str) -> str:
    """The artist's mask or the generated one, whichever matches."""
    if user_mask and generated:
        return f"(?:{user_mask})|{generated}"
    return user_mask or generated


@dataclass(frozen=True)
class _Farm:
    """What the farm side needs from the config: path maps, command prefix, defaults."""

    config: Config

    def path(self, path: str) -> str:
        return map_path(path, self.config.path_maps)

    def command(self, args: list[str]) -> str:
        command = join_command(args)
        prefix = self.config.cmd_prefix.strip()
        return f"{prefix} {command}" if prefix else command


def block_names(name: str, ranges: list[FrameRange]) -> list[str]:
    """``name`` for one range; ``name [1-10]``, ``name [20-30]`` for several."""
    if len(ranges) == 1:
        return [name]
    return [f"{name} [{frame_range}]" for frame_range in ranges]


def _target_ranges(target: RenderTarget, settings: SubmitSettings) -> list[FrameRange]:
    ranges = parse_frames(settings.frames_for(target))
    if target.single_task and len(ranges) > 1:
        raise BuildError(
            f"{target.name} renders in one task (a movie or a simulation) and needs one "
            f"continuous frame range, not {settings.frames_for(target)}"
        )
    return ranges


def _minutes_to_seconds(minutes: Optional[float]) -> Optional[int]:
    return None if minutes is None else round(minutes * 60)


def _gb_to_mb(gigabytes: Optional[float]) -> Optional[int]:
    return None if gigabytes is None else round(gigabytes * 1024)


def block_fields(settings: SubmitSettings, config: Config) -> dict[str, Any]:
    """The block keys the artist's settings give, in Afanasy's units, for ``Block(**...)``."""
    return {
        "capacity": settings.capacity or config.capacity,
        "need_memory": _gb_to_mb(settings.need_memory_gb),
        "need_gpu_mem_mb": _gb_to_mb(settings.need_gpu_memory_gb),
        "errors_retries": settings.errors_retries,
        "task_max_run_time": _minutes_to_seconds(settings.task_max_run_time_minutes),
        "sequential": settings.sequential if settings.sequential != 1 else None,
    }


def job_fields(settings: SubmitSettings, config: Config) -> dict[str, Any]:
    """The job keys the artist's settings and the config give, for ``Job(**...)``."""
    life = settings.life_time_hours
    wait = settings.wait_until.strip()
    return {
        "user_name": config.user_name,
        "host_name": config.host_name,
        "priority": config.priority if settings.priority is None else settings.priority,
        "annotation": settings.annotation,
        "description": settings.description,
        "max_running_tasks": settings.max_running_tasks,
        "max_running_tasks_per_host": settings.max_running_tasks_per_host,
        "hosts_mask": settings.hosts_mask,
        "hosts_mask_exclude": settings.hosts_mask_exclude,
        "depend_mask": settings.depend_mask,
        "depend_mask_global": settings.depend_mask_global,
        "need_os": settings.need_os,
        "need_properties": settings.need_properties,
        "time_life": None if life is None else round(life * 3600),
        "time_wait": int(parse_wait_until(wait).timestamp()) if wait else None,
        "offline": settings.start_paused,
    }


def _target_blocks(
    target: RenderTarget,
    settings: SubmitSettings,
    commands: CommandBuilder,
    scene_copy: str,
    scene_folder: str,
    farm: _Farm,
) -> list[Block]:
    """A numeric block per frame range of ``target``, rendering from ``scene_copy``.

    Tasks start in the (mapped) scene's folder, so relative paths in the scene
    resolve as they do for the artist, wherever the copy is.
    """
    ranges = _target_ranges(target, settings)
    outputs = [farm.path(output) for output in target.outputs]
    farm_copy = farm.path(scene_copy)
    blocks = []
    for name, frame_range in zip(block_names(target.name, ranges), ranges):
        rendered = replace(target, frames=str(frame_range), outputs=outputs)
        block = Block(
            name=name,
            service=target.service,
            parser=target.parser,
            command=farm.command(commands.render_command(rendered, farm_copy)),
            working_directory=scene_folder,
            files=list(outputs),
            **block_fields(settings, farm.config),
        )
        per_task = frame_range.count if target.single_task else settings.frames_per_task_for(target)
        block.set_numeric(frame_range.first, frame_range.last, per_task, frame_range.step)
        blocks.append(block)
    return blocks


def _output_folder(blocks: list[Block], scene_folder: str) -> str:
    for block in blocks:
        if block.files:
            return os.path.dirname(os.path.join(scene_folder, block.files[0]))
    return ""


def _job(
    plan: JobPlan, blocks: list[Block], scene_folder: str, settings: SubmitSettings, farm: _Farm
) -> Job:
    fields = job_fields(settings, farm.config)
    waits_for = exact_mask(list(plan.waits_for)) if plan.waits_for else ""
    fields["depend_mask"] = _either(settings.depend_mask, waits_for)
    output_folder = _output_folder(blocks, scene_folder)
    return Job(
        name=plan.name,
        command_post=delete_command(farm.path(plan.scene_copy)),
        folders={"input": scene_folder, **({"output": output_folder} if output_folder else {})},
        branch=scene_folder,
        blocks=blocks,
        **fields,
    )


def delete_command(path: str) -> str:
    """The shell command that removes ``path`` and nothing else, whatever its characters."""
    return join_command(["rm", "-f", "--", path])


def _link_blocks(plan: JobPlan, blocks_of: dict[str, list[Block]], mode: str) -> None:
    """Make each block wait for the blocks of the targets it reads, in ``mode``."""
    if mode == "none":
        return
    names = set(blocks_of)
    for target in plan.targets:
        upstream = [b.name for d in _dependencies(target, names) for b in blocks_of[d]]
        if not upstream:
            continue
        for block in blocks_of[target.name]:
            if mode == "frame":
                block.tasks_depend_mask = exact_mask(upstream)
            else:
                block.depend_mask = exact_mask(upstream)


def build_jobs(
    snapshot: SceneSnapshot,
    settings: SubmitSettings,
    commands: CommandBuilder,
    scene_copy: str,
    *,
    config: Config,
    stamp: Optional[str] = None,
) -> list[Job]:
    """The jobs that render the selected targets of ``snapshot`` from ``scene_copy``.

    ``commands`` is the host (or anything with its ``render_command``);
    ``stamp`` names separate jobs apart from older ones (default: now).
    Raises BuildError or FrameSyntaxError with a message for the artist; the
    pre-submit checks (:mod:`afcore.checks`) report the same problems earlier.
    """
    farm = _Farm(config)
    scene_folder = farm.path(str(Path(snapshot.scene_file).parent))
    jobs = []
    for plan in plan_jobs(snapshot, settings, scene_copy, stamp or make_stamp()):
        blocks_of = {
            t.name: _target_blocks(t, settings, commands, plan.scene_copy, scene_folder, farm)
            for t in plan.targets
        }
        _link_blocks(plan, blocks_of, settings.dependency_mode)
        blocks = [block for t in plan.targets for block in blocks_of[t.name]]
        jobs.append(_job(plan, blocks, scene_folder, settings, farm))
    return jobs
