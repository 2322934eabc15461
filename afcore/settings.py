"""What the artist sets for a submission, and where those choices are remembered.

:class:`SubmitSettings` is plain data: the dialog edits it, :mod:`afcore.build`
reads it. Values come in layers, each winning over the one before::

    built-in defaults < site defaults (Config.submit) < the user's last values
                      < this scene's last values < fields the site locked

A site locks a field by listing it in ``Config.submit["locked"]``: it then
always has the site's value, and neither loading nor saving can change it.
The job name and per-target overrides belong to one scene and are remembered
only with it; a wait-until time is never remembered (yesterday's would be wrong).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
import sys
import typing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from afcore.errors import ConfigError, Problem
from afcore.frames import FrameSyntaxError, parse_frames
from afcore.validate import JOB_MASKS, MAX_PRIORITY

if TYPE_CHECKING:
    from afcore.config import Config
    from afcore.scene import RenderTarget

__all__ = [
    "DEPENDENCY_MODES",
    "SITE_OPTIONS",
    "SettingsStore",
    "SubmitSettings",
    "TargetOverride",
    "locked_fields",
    "parse_wait_until",
    "site_settings",
    "validate_settings",
]

_log = logging.getLogger(__name__)

#: How a target waits for the targets it reads: the whole range, frame by frame, or not at all.
DEPENDENCY_MODES = ("block", "frame", "none")
#: Keys of ``Config.submit`` that configure the site rather than give a setting's default.
SITE_OPTIONS = ("locked", "scene_copy_folder")


@dataclass
class TargetOverride:
    """The artist's changes to one target; ``None`` (or blank frames) keeps what the scene says."""

    frames: Optional[str] = None
    frames_per_task: Optional[int] = None
    #: Ticked (``True``) or unticked (``False``) in the dialog; ``None``: as the host selected it.
    enabled: Optional[bool] = None


@dataclass
class SubmitSettings:
    """Everything an artist chooses about a submission. ``None`` leaves a value to the farm."""

    #: Empty: the scene file's name without its extension.
    job_name: str = ""
    #: 0 to 250; ``None``: ``Config.priority``.
    priority: Optional[int] = None
    max_running_tasks: Optional[int] = None
    max_running_tasks_per_host: Optional[int] = None
    #: Regular expressions over render host names (Afanasy matches the whole name).
    hosts_mask: str = ""
    hosts_mask_exclude: str = ""
    #: Regular expressions over names of jobs to wait for: this user's, and anybody's.
    depend_mask: str = ""
    depend_mask_global: str = ""
    frames_per_task: int = 1
    #: Afanasy's task order: 1 in order, -1 backwards, N > 1 every Nth frame first.
    sequential: int = 1
    start_paused: bool = False
    #: Local date and time to start at, ``"2026-11-23 20:00"``; empty: at once.
    wait_until: str = ""
    #: Hours until the farm deletes the job; ``None``: never.
    life_time_hours: Optional[float] = None
    annotation: str = ""
    description: str = ""
    #: Capacity of each task; ``None``: ``Config.capacity``.
    capacity: Optional[int] = None
    need_memory_gb: Optional[float] = None
    need_gpu_memory_gb: Optional[float] = None
    #: Regular expressions over the render host's OS name and properties.
    need_os: str = ""
    need_properties: str = ""
    errors_retries: Optional[int] = None
    task_max_run_time_minutes: Optional[float] = None
    #: One job per target instead of one job with a block per target.
    separate_jobs: bool = False
    #: One of :data:`DEPENDENCY_MODES`.
    dependency_mode: str = "block"
    #: Per-target changes, by target name.
    overrides: dict[str, TargetOverride] = field(default_factory=dict)

    def override(self, target_name: str) -> TargetOverride:
        return self.overrides.get(target_name) or TargetOverride()

    def is_selected(self, target: RenderTarget) -> bool:
        """Whether the artist submits ``target``: their tick, else the host's selection."""
        enabled = self.override(target.name).enabled
        return target.selected if enabled is None else enabled

    def frames_for(self, target: RenderTarget) -> str:
        """The target's frames: the artist's override, else the scene's."""
        frames = self.override(target.name).frames
        return frames if frames and frames.strip() else target.frames

    def frames_per_task_for(self, target: RenderTarget) -> int:
        """The artist's per-target value, else the host's suggestion, else the job-wide value."""
        per_task = self.override(target.name).frames_per_task
        if per_task is not None:
            return per_task
        return target.frames_per_task or self.frames_per_task

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


FIELD_NAMES = tuple(f.name for f in dataclasses.fields(SubmitSettings))
#: Remembered with one scene only: they mean nothing for the next scene.
SCENE_ONLY = frozenset({"job_name", "overrides"})
#: Never remembered.
NOT_REMEMBERED = frozenset({"wait_until"})


# --- reading values of the right type -------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return _is_int(value) or isinstance(value, float)


_CHECKS: dict[type, tuple[Callable[[Any], bool], str]] = {
    int: (_is_int, "a whole number"),
    float: (_is_number, "a number"),
    str: (lambda value: isinstance(value, str), "text"),
    bool: (lambda value: isinstance(value, bool), "true or false"),
}


def _field_types() -> dict[str, tuple[type, bool]]:
    """Each plain field's type, and whether it may be ``None``."""
    types: dict[str, tuple[type, bool]] = {}
    for name, hint in typing.get_type_hints(SubmitSettings).items():
        args = typing.get_args(hint)
        if typing.get_origin(hint) is Union:
            types[name] = (args[0], True)
        elif hint in _CHECKS:
            types[name] = (hint, False)
    return types


_FIELD_TYPES = _field_types()


def _read_override(value: Any, where: str) -> TargetOverride:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected a mapping of frames / frames_per_task / enabled")
    known = {f.name for f in dataclasses.fields(TargetOverride)}
    unknown = sorted(set(value) - known)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}")
    checks = {"frames": str, "frames_per_task": int, "enabled": bool}
    for key, item in value.items():
        accepts, kind = _CHECKS[checks[key]]
        if item is not None and not accepts(item):
            raise ValueError(f"{where}.{key}: expected {kind} or nothing, got {item!r}")
    return TargetOverride(**value)


def _read_value(name: str, value: Any, where: str) -> Any:
    if name == "overrides":
        if not isinstance(value, dict):
            raise ValueError(f"{where}.overrides: expected a mapping of target name to override")
        return {
            str(target): _read_override(item, f"{where}.overrides[{target}]")
            for target, item in value.items()
        }
    kind, optional = _FIELD_TYPES[name]
    if value is None and optional:
        return None
    accepts, description = _CHECKS[kind]
    if not accepts(value):
        wanted = f"{description} or nothing" if optional else description
        raise ValueError(f"{where}.{name}: expected {wanted}, got {value!r}")
    return float(value) if kind is float else value


def _checked_values(values: dict[str, Any], where: str) -> tuple[dict[str, Any], list[str]]:
    """The values that have a known name and the right type, and a line for each that has not."""
    checked: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in values.items():
        if name not in FIELD_NAMES:
            problems.append(
                f"{where}.{name}: unknown setting; known settings are {', '.join(FIELD_NAMES)}"
            )
            continue
        try:
            checked[name] = _read_value(name, value, where)
        except ValueError as error:
            problems.append(str(error))
    return checked, problems


# --- site defaults and locks -----------------------------------------------------------------


def _site_values(config: Config) -> dict[str, Any]:
    values = {k: v for k, v in config.submit.items() if k not in SITE_OPTIONS}
    checked, problems = _checked_values(values, "submit")
    if problems:
        raise ConfigError(
            "The site's submit defaults are broken; fix them in the config file "
            "(see docs/pipeline.md):\n  " + "\n  ".join(problems)
        )
    return checked


def site_settings(config: Config) -> SubmitSettings:
    """The built-in defaults with the site's ``Config.submit`` values on top."""
    return SubmitSettings(**_site_values(config))


def locked_fields(config: Config) -> frozenset[str]:
    """Names of the fields the site locked (the dialog shows them read-only)."""
    locked = config.submit.get("locked") or []
    if isinstance(locked, str) or not isinstance(locked, (list, tuple)):
        raise ConfigError(
            f"submit.locked must be a list of setting names, not {locked!r} "
            "(write e.g. locked: [priority, hosts_mask])"
        )
    unknown = sorted(str(name) for name in locked if name not in FIELD_NAMES)
    if unknown:
        raise ConfigError(
            f"submit.locked names unknown setting(s) {', '.join(unknown)}; "
            f"known settings are {', '.join(FIELD_NAMES)}"
        )
    return frozenset(locked)


def _apply_locks(settings: SubmitSettings, config: Config) -> SubmitSettings:
    locked = locked_fields(config)
    if not locked:
        return settings
    site = site_settings(config)
    return dataclasses.replace(settings, **{name: getattr(site, name) for name in locked})


# --- validation -----------------------------------------------------------------------------


def parse_wait_until(text: str) -> datetime:
    """``"2026-11-23 20:00"`` (local time) as a datetime; ValueError says the format."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time; write it as YYYY-MM-DD HH:MM, e.g. 2026-11-23 20:00"
        ) from None


def _regex_problem(pattern: str) -> Optional[str]:
    try:
        re.compile(pattern)
    except re.error as error:
        return f"{pattern!r} is not a valid regular expression ({error})"
    return None


def _range_problem(value: Optional[float], low: float, high: Optional[float]) -> Optional[str]:
    if value is None or (value >= low and (high is None or value <= high)):
        return None
    if high is None:
        return f"{value} is too small: use {low} or more, or leave it empty"
    return f"{value} is out of range: use {low} to {high}"


#: Lowest (and highest) sensible value of the numeric fields.
_RANGES: dict[str, tuple[float, Optional[float]]] = {
    "priority": (0, MAX_PRIORITY),
    "frames_per_task": (1, None),
    "capacity": (1, None),
    "need_memory_gb": (0, None),
    "need_gpu_memory_gb": (0, None),
    "errors_retries": (0, None),
}
#: Durations: anything above zero.
_DURATIONS = ("life_time_hours", "task_max_run_time_minutes")


def _max_tasks_problem(value: Optional[int]) -> Optional[str]:
    if value is None or value == -1 or value >= 1:
        return None
    return f"{value} would never run a task: use 1 or more, or leave it empty for no limit"


def _override_problems(name: str, override: TargetOverride) -> list[Problem]:
    where = f"overrides[{name}]"
    problems = []
    if override.frames and override.frames.strip():
        try:
            parse_frames(override.frames)
        except FrameSyntaxError as error:
            problems.append(Problem(f"{where}.frames", str(error)))
    message = _range_problem(override.frames_per_task, 1, None)
    if message:
        problems.append(Problem(f"{where}.frames_per_task", message))
    return problems


def validate_settings(settings: SubmitSettings, now: Optional[datetime] = None) -> list[Problem]:
    """Every value the farm would reject or misread, each with the field it is in."""
    problems: list[Problem] = []

    def add(where: str, message: Optional[str]) -> None:
        if message:
            problems.append(Problem(where, message))

    if "\n" in settings.job_name or "\r" in settings.job_name:
        add("job_name", "a job name is one line of text")
    for name, (low, high) in _RANGES.items():
        add(name, _range_problem(getattr(settings, name), low, high))
    for name in _DURATIONS:
        value = getattr(settings, name)
        if value is not None and value <= 0:
            add(name, f"{value} is too short: use more than 0, or leave it empty for no limit")
    for name in ("max_running_tasks", "max_running_tasks_per_host"):
        add(name, _max_tasks_problem(getattr(settings, name)))
    for name in JOB_MASKS:  # the settings' masks are the job's, by name
        add(name, _regex_problem(getattr(settings, name)))
    if settings.dependency_mode not in DEPENDENCY_MODES:
        add(
            "dependency_mode",
            f"{settings.dependency_mode!r} is not one of {', '.join(DEPENDENCY_MODES)}",
        )
    if settings.wait_until.strip():
        try:
            start = parse_wait_until(settings.wait_until)
        except ValueError as error:
            add("wait_until", str(error))
        else:
            if start < (now or datetime.now()):
                add("wait_until", f"{settings.wait_until} is in the past; clear it to start now")
    for name, override in settings.overrides.items():
        problems += _override_problems(name, override)
    return problems


# --- remembering ----------------------------------------------------------------------------


def _user_config_dir() -> Path:
    """Where :mod:`afcore.config` reads the user's config file from."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "afcore"


def _user_data_dir() -> Path:
    """Where :mod:`afcore.config` keeps the outbox."""
    if sys.platform.startswith("win") and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "afcore"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "afcore"


def _read_json(path: Path) -> dict[str, Any]:
    """A remembered file's content; a missing or damaged one is as good as empty."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        _log.warning("ignoring remembered submit settings in %s: %s", path, error)
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write atomically, so that a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")
    os.replace(temporary, path)


def _usable(values: Any, where: str) -> dict[str, Any]:
    """The remembered values that still fit (a field renamed or retyped since is skipped)."""
    if not isinstance(values, dict):
        return {}
    checked, problems = _checked_values(values, where)
    for problem in problems:
        _log.warning("ignoring a remembered submit setting: %s", problem)
    return checked


class SettingsStore:
    """The artist's last settings: one JSON file per user, and one per scene.

    The user file keeps one set of values per DCC (Nuke's last frames per task
    need not be Maya's). Scene files live under the user's data folder, named by
    a hash of the scene path, so shot folders stay clean and read-only scenes work.
    """

    def __init__(self, user_file: Union[str, Path], scene_dir: Union[str, Path]) -> None:
        self.user_file = Path(user_file)
        self.scene_dir = Path(scene_dir)

    @classmethod
    def default(cls) -> SettingsStore:
        """``~/.config/afcore/submit_settings.json`` and ``~/.local/share/afcore/scenes/``."""
        return cls(_user_config_dir() / "submit_settings.json", _user_data_dir() / "scenes")

    def scene_file(self, scene_path: str) -> Path:
        key = os.path.normcase(os.path.abspath(scene_path))
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
        return self.scene_dir / f"{digest}.json"

    def _scene_values(self, scene_path: str) -> dict[str, Any]:
        data = _read_json(self.scene_file(scene_path))
        if data.get("scene") != os.path.abspath(scene_path):
            return {}
        return _usable(data.get("settings"), f"settings of {scene_path}")

    def load(
        self, config: Config, dcc: str = "", scene_path: Optional[str] = None
    ) -> SubmitSettings:
        """Site defaults, then the user's last values, then the scene's, then the site's locks."""
        values = _site_values(config)
        user = _read_json(self.user_file).get(dcc or "any")
        values.update(_usable(user, f"{self.user_file}[{dcc or 'any'}]"))
        if scene_path:
            values.update(self._scene_values(scene_path))
        return _apply_locks(SubmitSettings(**values), config)

    def save(
        self,
        settings: SubmitSettings,
        config: Config,
        dcc: str = "",
        scene_path: Optional[str] = None,
    ) -> None:
        """Remember ``settings`` for the user and the scene, leaving out what the site locked."""
        skipped = locked_fields(config) | NOT_REMEMBERED
        values = {k: v for k, v in settings.to_dict().items() if k not in skipped}
        everyone = _read_json(self.user_file)
        everyone[dcc or "any"] = {k: v for k, v in values.items() if k not in SCENE_ONLY}
        _write_json(self.user_file, everyone)
        if scene_path:
            scene = {"scene": os.path.abspath(scene_path), "settings": values}
            _write_json(self.scene_file(scene_path), scene)
