"""What to tell the artist before a submission, and what they may do about it.

Each :class:`Check` has a level: an ``error`` stops the submission (unless the
artist accepts its fix: saving an unsaved scene), a ``confirm`` stops it until
the artist says yes, a ``warning`` never stops it (its fix, such as creating a
missing output folder, is applied only if accepted). The artist's answers are
the keys of the checks they accepted.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from afcore.build import BuildError, order_targets, repeated_names, selected_targets
from afcore.frames import FrameRange, FrameSyntaxError, parse_frames
from afcore.settings import validate_settings

if TYPE_CHECKING:
    from afcore.job import Job
    from afcore.scene import RenderTarget, SceneSnapshot
    from afcore.settings import SubmitSettings

__all__ = [
    "CONFIRM",
    "CREATE_FOLDER",
    "ERROR",
    "SAVE",
    "TASKS_CONFIRM",
    "TASKS_LIMIT",
    "WARNING",
    "Check",
    "blocking",
    "input_checks",
    "task_checks",
]

ERROR, WARNING, CONFIRM = "error", "warning", "confirm"
#: Fixes a dialog offers: save the scene, create a folder, go ahead.
SAVE, CREATE_FOLDER = "save", "create_folder"
#: Above this many tasks the artist confirms; above the limit the farm is spared.
TASKS_CONFIRM = 10_000
TASKS_LIMIT = 1_000_000
_FRAME_TOKEN = re.compile(r"@#+@")


@dataclass(frozen=True)
class Check:
    """One thing to tell the artist before submitting."""

    level: str
    message: str
    #: What accepting does: ``"save"``, ``"create_folder"``, ``"confirm"``, or nothing to offer.
    fix: Optional[str] = None
    #: Stable identity of this check: what the artist's answers name.
    key: str = ""
    target: str = ""
    #: The folder ``create_folder`` creates.
    path: str = ""

    def __str__(self) -> str:
        return f"{self.level}: {self.message}"


def blocking(checks: list[Check], answers: Collection[str] = ()) -> list[Check]:
    """The checks that still stop the submission, given the keys the artist accepted."""
    return [
        check
        for check in checks
        if (check.level == ERROR and not (check.fix and check.key in answers))
        or (check.level == CONFIRM and check.key not in answers)
    ]


def _scene_checks(scene_path: Optional[str], modified: bool) -> list[Check]:
    if not scene_path:
        return [
            Check(
                ERROR,
                "The scene was never saved. Save it first: the farm renders a copy saved "
                "beside it.",
                key="never_saved",
            )
        ]
    if modified:
        return [
            Check(
                ERROR,
                f"The scene has unsaved changes. Save {os.path.basename(scene_path)} to submit "
                "(the farm renders from the saved file), or cancel.",
                fix=SAVE,
                key="unsaved",
            )
        ]
    return []


def _settings_checks(settings: SubmitSettings) -> list[Check]:
    return [
        Check(ERROR, f"Setting {problem}", key=f"settings:{problem.where}")
        for problem in validate_settings(settings)
    ]


def _frame_checks(target: RenderTarget, settings: SubmitSettings) -> list[Check]:
    frames = settings.frames_for(target)
    key = f"frames:{target.name}"
    try:
        ranges = parse_frames(frames)
    except FrameSyntaxError as error:
        return [
            Check(ERROR, f"{target.name}: bad frame range {error}", key=key, target=target.name)
        ]
    if target.single_task and len(ranges) > 1:
        message = (
            f"{target.name} renders in one task (a movie or a simulation): give it one "
            f"continuous range, not {frames}"
        )
        return [Check(ERROR, message, key=key, target=target.name)]
    return []


def _dependency_checks(snapshot: SceneSnapshot, targets: list[RenderTarget]) -> list[Check]:
    repeated = repeated_names(targets)
    if repeated:
        message = f"Several targets are named {', '.join(repeated)}; rename them in the scene."
        return [Check(ERROR, message, key="repeated_names")]
    try:
        order_targets(targets)
    except BuildError as error:
        return [Check(ERROR, f"Dependencies: {error}.", key="dependency_cycle")]
    chosen = {t.name for t in targets}
    in_scene = {t.name for t in snapshot.targets}
    return [
        Check(
            WARNING,
            f"{target.name} reads {dependency}, which is not being rendered: it will use "
            f"{dependency}'s files as they are on disk now.",
            key=f"unrendered_dependency:{target.name}:{dependency}",
            target=target.name,
        )
        for target in targets
        for dependency in target.depends_on
        if dependency in in_scene and dependency not in chosen
    ]


def _disabled_checks(snapshot: SceneSnapshot, settings: SubmitSettings) -> list[Check]:
    return [
        Check(
            ERROR,
            f"{t.name} is ticked but disabled in the scene; enable it there or untick it.",
            key=f"disabled:{t.name}",
            target=t.name,
        )
        for t in snapshot.targets
        if not t.enabled and settings.override(t.name).enabled
    ]


def _host_warnings(targets: list[RenderTarget]) -> list[Check]:
    return [
        Check(WARNING, f"{t.name}: {warning}", key=f"host:{t.name}:{index}", target=t.name)
        for t in targets
        for index, warning in enumerate(t.warnings)
    ]


def _resolved(output: str, scene_folder: str) -> str:
    return os.path.normpath(os.path.join(scene_folder, output))


def _overlap(a: FrameRange, b: FrameRange) -> bool:
    """Whether two ranges share a frame, without listing their frames."""
    low, high = max(a.first, b.first), min(a.last, b.last)
    if low > high:
        return False
    big, small = (a, b) if a.step >= b.step else (b, a)
    start = big.first + -(-(low - big.first) // big.step) * big.step
    # big's frames repeat their remainders modulo small.step within small.step frames.
    stop = min(high, start + big.step * small.step)
    return any(
        (frame - small.first) % small.step == 0 for frame in range(start, stop + 1, big.step)
    )


def _same_file_checks(
    targets: list[RenderTarget], settings: SubmitSettings, scene_folder: str
) -> list[Check]:
    writers: dict[str, list[tuple[RenderTarget, list[FrameRange]]]] = defaultdict(list)
    for target in targets:
        try:
            ranges = parse_frames(settings.frames_for(target))
        except FrameSyntaxError:
            continue  # reported by the frame checks
        for output in dict.fromkeys(_resolved(o, scene_folder) for o in target.outputs):
            writers[output].append((target, ranges))
    checks = []
    for output, group in writers.items():
        for index, (first, first_ranges) in enumerate(group):
            for second, second_ranges in group[index + 1 :]:
                one_file = not _FRAME_TOKEN.search(output)
                if one_file or any(_overlap(a, b) for a in first_ranges for b in second_ranges):
                    checks.append(
                        Check(
                            ERROR,
                            f"{first.name} and {second.name} both write {output}; untick one "
                            "or change its output path.",
                            key=f"same_files:{first.name}:{second.name}",
                            target=second.name,
                        )
                    )
    return checks


def _folder_checks(targets: list[RenderTarget], scene_folder: str) -> list[Check]:
    folders = dict.fromkeys(
        os.path.dirname(_resolved(output, scene_folder))
        for target in targets
        if not target.creates_folders
        for output in target.outputs
    )
    return [
        Check(
            WARNING,
            f"The output folder {folder} does not exist. Create it?",
            fix=CREATE_FOLDER,
            key=f"missing_folder:{folder}",
            path=folder,
        )
        for folder in folders
        if folder and not _FRAME_TOKEN.search(folder) and not os.path.isdir(folder)
    ]


def input_checks(
    snapshot: SceneSnapshot,
    settings: SubmitSettings,
    scene_path: Optional[str],
    modified: bool,
) -> list[Check]:
    """Everything that can be known before building the jobs.

    ``scene_path`` and ``modified`` are the host's live answers, not the
    snapshot's (the artist may have saved since it was taken).
    """
    checks = _scene_checks(scene_path, modified) + _settings_checks(settings)
    checks += _disabled_checks(snapshot, settings)
    targets = selected_targets(snapshot, settings)
    if not targets:
        return [*checks, Check(ERROR, "No target is selected; tick one to render.", key="none")]
    scene_folder = os.path.dirname(scene_path or snapshot.scene_file)
    for target in targets:
        checks += _frame_checks(target, settings)
    checks += _dependency_checks(snapshot, targets)
    checks += _same_file_checks(targets, settings, scene_folder)
    checks += _folder_checks(targets, scene_folder)
    return checks + _host_warnings(targets)


def task_checks(jobs: list[Job]) -> list[Check]:
    """A confirmation above 10,000 tasks; a refusal above 1,000,000."""
    count = sum(job.task_count() for job in jobs)
    if count > TASKS_LIMIT:
        message = (
            f"{count:,} tasks is more than the farm can take ({TASKS_LIMIT:,} at most). "
            "Render fewer frames or more frames per task."
        )
        return [Check(ERROR, message, key="too_many_tasks")]
    if count > TASKS_CONFIRM:
        message = f"{count:,} tasks is a lot for the farm. Submit them all?"
        return [Check(CONFIRM, message, fix=CONFIRM, key="many_tasks")]
    return []
