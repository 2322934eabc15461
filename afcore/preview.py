"""What a submission will send, described for a person: the dialog and ``afsubmit --dry-run``.

It reads the very :class:`~afcore.job.Job` objects that are sent, so the
preview cannot drift from the job: blocks, task counts, the first tasks'
commands with their frames filled in as the render client fills them,
output files, dependencies, and "N frames in M tasks".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from afcore.frames import FrameRange, substitute_frames, task_chunks

if TYPE_CHECKING:
    from afcore.job import Block, Job

__all__ = ["BlockPreview", "JobPreview", "Preview", "TaskPreview", "count_text", "preview"]

#: How many tasks of each block the preview spells out.
FIRST_TASKS = 3


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def count_text(frames: int, tasks: int) -> str:
    """``"100 frames in 10 tasks"``."""
    return f"{_plural(frames, 'frame')} in {_plural(tasks, 'task')}"


@dataclass(frozen=True)
class TaskPreview:
    """One task: its frames (``"1-10"``, or its name) and the command the render client runs."""

    frames: str
    command: str


@dataclass(frozen=True)
class BlockPreview:
    name: str
    #: Frames in the frame grammar (``1-100x2``); empty for a block of explicit tasks.
    frames: str
    frame_count: int
    task_count: int
    first_tasks: tuple[TaskPreview, ...]
    files: tuple[str, ...]
    #: Masks of the blocks this one waits for: whole blocks, and frame by frame.
    depend_mask: str
    tasks_depend_mask: str


@dataclass(frozen=True)
class JobPreview:
    name: str
    priority: Optional[int]
    blocks: tuple[BlockPreview, ...]
    #: Mask of the jobs this one waits for.
    depend_mask: str
    command_post: str

    @property
    def frame_count(self) -> int:
        return sum(block.frame_count for block in self.blocks)

    @property
    def task_count(self) -> int:
        return sum(block.task_count for block in self.blocks)


@dataclass(frozen=True)
class Preview:
    jobs: tuple[JobPreview, ...]

    @property
    def frame_count(self) -> int:
        return sum(job.frame_count for job in self.jobs)

    @property
    def task_count(self) -> int:
        return sum(job.task_count for job in self.jobs)

    @property
    def summary(self) -> str:
        """``"150 frames in 15 tasks"`` (with the number of jobs when there are several)."""
        text = count_text(self.frame_count, self.task_count)
        return text if len(self.jobs) == 1 else f"{text}, {len(self.jobs)} jobs"

    def lines(self) -> list[str]:
        """The preview as indented text lines."""
        lines = [self.summary]
        for job in self.jobs:
            priority = "" if job.priority is None else f" (priority {job.priority})"
            counts = count_text(job.frame_count, job.task_count)
            lines.append(f'Job "{job.name}"{priority}: {counts}')
            if job.depend_mask:
                lines.append(f"  waits for jobs: {job.depend_mask}")
            for block in job.blocks:
                lines += _block_lines(block)
            if job.command_post:
                lines.append(f"  when the job is deleted: {job.command_post}")
        return lines


def _block_lines(block: BlockPreview) -> list[str]:
    frames = f"frames {block.frames}, " if block.frames else ""
    lines = [f'  Block "{block.name}": {frames}{count_text(block.frame_count, block.task_count)}']
    if block.depend_mask:
        lines.append(f"    waits for blocks: {block.depend_mask}")
    if block.tasks_depend_mask:
        lines.append(f"    waits frame by frame for: {block.tasks_depend_mask}")
    lines += [f"    task {task.frames}: {task.command}" for task in block.first_tasks]
    hidden = block.task_count - len(block.first_tasks)
    if hidden > 0:
        lines.append(f"    ... and {_plural(hidden, 'more task')}")
    lines += [f"    writes {path}" for path in block.files]
    return lines


def _numeric_tasks(block: Block, frames: FrameRange, per_task: int) -> tuple[TaskPreview, ...]:
    # Only as many frames as the first tasks need: a 100,000-frame block stays cheap.
    last_shown = frames.first + FIRST_TASKS * per_task * frames.step - 1
    shown = FrameRange(frames.first, min(frames.last, last_shown), frames.step)
    return tuple(
        TaskPreview(
            str(FrameRange(first, last, frames.step)) if first != last else str(first),
            substitute_frames(block.command, first, last),
        )
        for first, last in task_chunks(shown, per_task)
    )


def _block(block: Block) -> BlockPreview:
    if block.numeric:
        step = max(block.frames_inc or 1, 1)
        first = block.frame_first or 0
        frames = FrameRange(first, max(block.frame_last or first, first), step)
        per_task = max(block.frames_per_task or 1, 1)
        tasks = _numeric_tasks(block, frames, per_task)
        frame_text, frame_count = str(frames), frames.count
    else:
        tasks = tuple(TaskPreview(t.name, t.command) for t in block.tasks[:FIRST_TASKS])
        frame_text, frame_count = "", 0
    return BlockPreview(
        name=block.name,
        frames=frame_text,
        frame_count=frame_count,
        task_count=block.task_count(),
        first_tasks=tasks,
        files=tuple(block.files),
        depend_mask=block.depend_mask,
        tasks_depend_mask=block.tasks_depend_mask,
    )


def preview(jobs: list[Job]) -> Preview:
    """Describe ``jobs`` exactly as they will be sent."""
    return Preview(
        tuple(
            JobPreview(
                name=job.name,
                priority=job.priority,
                blocks=tuple(_block(block) for block in job.blocks),
                depend_mask=job.depend_mask,
                command_post=job.command_post,
            )
            for job in jobs
        )
    )
