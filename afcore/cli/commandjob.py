"""The generic job every farm has: one shell command over a frame range (``afsubmit --cmd``).

The command is the user's own shell text, sent as written: Afanasy's render client replaces
``@#@`` with each task's first and last frame (and ``@####@`` with the padded frame). Frames
that are not one range (``1-10,20-30``) become one numeric block per range, since a numeric
block is one ``first-last`` range with a step.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field

from afcore.build import block_fields, block_names, job_fields
from afcore.cli.common import UsageError
from afcore.config import Config
from afcore.frames import parse_frames, to_afanasy_pattern
from afcore.job import Block, Job
from afcore.paths import map_path
from afcore.settings import SubmitSettings

#: Longest job name made from the command when no name is given.
NAME_LENGTH = 60


@dataclass
class CommandSpec:
    """What ``--cmd`` describes beyond the settings every job has."""

    command: str
    frames: str
    working_directory: str = ""
    files: list[str] = field(default_factory=list)
    service: str = "generic"
    parser: str = ""


def command_job(spec: CommandSpec, settings: SubmitSettings, config: Config) -> Job:
    """The job running ``spec.command`` over ``spec.frames``, with the settings applied.

    The settings reach the job exactly as they reach a scene's job (:mod:`afcore.build`).
    Paths (working directory, output files) go through the config's path maps and the command
    gets its command prefix, as every job sent to that farm does.
    """
    ranges = parse_frames(spec.frames)
    if not spec.command.strip():
        raise UsageError("--cmd is empty: give the command each task runs, e.g. --cmd 'echo @#@'")
    prefix = config.cmd_prefix.strip()
    workdir = map_path(os.path.abspath(spec.working_directory or os.getcwd()), config.path_maps)
    template = Block(
        service=spec.service,
        parser=spec.parser,
        command=f"{prefix} {spec.command.strip()}" if prefix else spec.command.strip(),
        working_directory=workdir,
        files=[map_path(to_afanasy_pattern(path), config.path_maps) for path in spec.files],
        **block_fields(settings, config),
    )
    name = settings.job_name.strip() or _name_from(spec.command)
    blocks = []
    for block_name, frames in zip(block_names(name, ranges), ranges):
        block = copy.deepcopy(template)
        block.name = block_name
        block.set_numeric(frames.first, frames.last, settings.frames_per_task, frames.step)
        blocks.append(block)
    return Job(name=name, branch=workdir, blocks=blocks, **job_fields(settings, config))


def _name_from(command: str, limit: int = NAME_LENGTH) -> str:
    text = " ".join(command.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
