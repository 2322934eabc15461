"""The job settings as a form: General / Farm / Advanced tabs, each field checked as typed.

Every :class:`~afcore.settings.SubmitSettings` field (but the per-target
overrides, which live in the targets table) has an editor here. The form only
turns text into values; what makes a value wrong is
:func:`afcore.settings.validate_settings`'s business, and the form shows its
problems beside the fields they are about.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional

from Qt import QtCore, QtWidgets

from afcore.errors import Problem
from afcore.settings import DEPENDENCY_MODES, SubmitSettings

TEXT, INT, FLOAT, BOOL, CHOICE = "text", "int", "float", "bool", "choice"
_INVALID_STYLE = "border: 1px solid #c0392b;"
_ERROR_STYLE = "color: #c0392b;"


@dataclass(frozen=True)
class FieldSpec:
    """How one setting is edited: its label, editor kind, tooltip and empty-field hint."""

    name: str
    label: str
    kind: str
    tooltip: str
    #: Shown in an empty field: what empty means. ``{job_name}``, ``{priority}`` and
    #: ``{capacity}`` are filled with the scene's and the config's values.
    placeholder: str = ""
    choices: tuple[str, ...] = ()


GROUPS: dict[str, tuple[FieldSpec, ...]] = {
    "General": (
        FieldSpec("job_name", "Job name", TEXT, "The job's name on the farm.", "{job_name}"),
        FieldSpec(
            "priority", "Priority", INT, "0 (lowest) to 250; higher runs first.", "{priority}"
        ),
        FieldSpec(
            "frames_per_task",
            "Frames per task",
            INT,
            "Frames each task renders, unless a target has its own value in the table. "
            "More frames per task: fewer, longer tasks.",
        ),
        FieldSpec(
            "separate_jobs",
            "One job per target",
            BOOL,
            "Send each target as its own job instead of one job with a block per target. "
            "Separate jobs wait for whole jobs, never frame by frame.",
        ),
        FieldSpec(
            "dependency_mode",
            "Dependencies",
            CHOICE,
            "How a target waits for the targets it reads: block waits for their whole range, "
            "frame renders each frame once that frame is done, none does not wait.",
            choices=DEPENDENCY_MODES,
        ),
        FieldSpec(
            "start_paused",
            "Start paused",
            BOOL,
            "Send the job paused (offline); start it from the farm's GUI.",
        ),
        FieldSpec("annotation", "Annotation", TEXT, "A short note shown beside the job."),
        FieldSpec("description", "Description", TEXT, "A longer text kept with the job."),
    ),
    "Farm": (
        FieldSpec(
            "hosts_mask",
            "Hosts mask",
            TEXT,
            "Render only on hosts whose whole name matches this regular expression, "
            "e.g. render0[1-4]|gpu.*",
            "any host",
        ),
        FieldSpec(
            "hosts_mask_exclude",
            "Exclude hosts",
            TEXT,
            "Never render on hosts whose name matches this regular expression.",
            "none",
        ),
        FieldSpec(
            "max_running_tasks",
            "Max running tasks",
            INT,
            "Tasks of this job running at once on the whole farm; -1 or empty: no limit.",
            "no limit",
        ),
        FieldSpec(
            "max_running_tasks_per_host",
            "Max tasks per host",
            INT,
            "Tasks of this job running at once on one host; -1 or empty: no limit.",
            "no limit",
        ),
        FieldSpec(
            "capacity",
            "Capacity",
            INT,
            "How much of a render host one task takes (hosts have 1000 by default).",
            "{capacity}",
        ),
        FieldSpec(
            "need_memory_gb",
            "Needs memory (GB)",
            FLOAT,
            "Run tasks only on hosts with this much free memory.",
            "any",
        ),
        FieldSpec(
            "need_gpu_memory_gb",
            "Needs GPU memory (GB)",
            FLOAT,
            "Run tasks only on hosts with this much free GPU memory.",
            "any",
        ),
        FieldSpec(
            "need_os",
            "Needs OS",
            TEXT,
            "A regular expression over the host's OS name, e.g. linux.",
            "any",
        ),
        FieldSpec(
            "need_properties",
            "Needs properties",
            TEXT,
            "A regular expression over the host's properties, e.g. gpu.",
            "any",
        ),
        FieldSpec(
            "depend_mask",
            "Wait for my jobs",
            TEXT,
            "Start after your jobs whose names match this regular expression are done.",
            "none",
        ),
        FieldSpec(
            "depend_mask_global",
            "Wait for anyone's jobs",
            TEXT,
            "Start after anybody's jobs whose names match this regular expression are done.",
            "none",
        ),
    ),
    "Advanced": (
        FieldSpec(
            "sequential",
            "Task order",
            INT,
            "1 renders tasks in order, -1 backwards, N > 1 every Nth frame first "
            "(a quick look at the whole shot).",
        ),
        FieldSpec(
            "wait_until",
            "Start at",
            TEXT,
            "Local date and time to start at, e.g. 2026-11-23 20:00; empty: at once.",
            "at once (YYYY-MM-DD HH:MM)",
        ),
        FieldSpec(
            "life_time_hours",
            "Delete after (hours)",
            FLOAT,
            "The farm deletes the job this many hours after it was sent.",
            "never",
        ),
        FieldSpec(
            "errors_retries",
            "Retries on error",
            INT,
            "How many times a failed task is restarted.",
            "the farm's default",
        ),
        FieldSpec(
            "task_max_run_time_minutes",
            "Task time limit (min)",
            FLOAT,
            "A task running longer than this is stopped as failed.",
            "no limit",
        ),
    ),
}

FIELDS: dict[str, FieldSpec] = {spec.name: spec for specs in GROUPS.values() for spec in specs}
_OPTIONAL = frozenset(
    name for name, value in dataclasses.asdict(SubmitSettings()).items() if value is None
)


def _number(spec: FieldSpec, text: str) -> Optional[float]:
    """The number in ``text``; ValueError with a message for the artist."""
    text = text.strip()
    if not text:
        if spec.name in _OPTIONAL:
            return None
        raise ValueError("needs a value")
    if spec.kind == INT:
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a number")
    return value


class _Hints(dict):  # type: ignore[type-arg]
    """Placeholder values; one nobody gave reads "default"."""

    def __missing__(self, key: str) -> str:
        return "default"


class _Field:
    """One setting's editor and the line under it that says what is wrong."""

    def __init__(self, spec: FieldSpec) -> None:
        self.spec = spec
        self.error = QtWidgets.QLabel()
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.editor: Any
        if spec.kind == BOOL:
            self.editor = QtWidgets.QCheckBox()
            self._edited = self.editor.toggled
        elif spec.kind == CHOICE:
            self.editor = QtWidgets.QComboBox()
            self.editor.addItems(list(spec.choices))
            self._edited = self.editor.currentIndexChanged
        else:
            self.editor = QtWidgets.QLineEdit()
            self._edited = self.editor.textEdited
        self.editor.setObjectName(spec.name)
        self.editor.setToolTip(spec.tooltip)

    def on_edit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever the artist changes the value."""
        self._edited.connect(lambda *_value: callback())

    def value(self) -> Any:
        """The editor's value; ValueError when its text is not one."""
        if self.spec.kind == BOOL:
            return self.editor.isChecked()
        if self.spec.kind == CHOICE:
            return self.editor.currentText()
        if self.spec.kind == TEXT:
            return self.editor.text()
        return _number(self.spec, self.editor.text())

    def set_value(self, value: Any) -> None:
        if self.spec.kind == BOOL:
            self.editor.setChecked(bool(value))
        elif self.spec.kind == CHOICE:
            self.editor.setCurrentText(str(value))
        elif value is None:
            self.editor.setText("")
        else:
            self.editor.setText(f"{value:g}" if self.spec.kind == FLOAT else str(value))

    def mark(self, message: Optional[str]) -> None:
        """Show ``message`` under the field and outline it; ``None`` clears both."""
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.editor.setStyleSheet(_INVALID_STYLE if message else "")
        self.editor.setToolTip(message or self.spec.tooltip)

    def lock(self) -> None:
        self.editor.setEnabled(False)
        self.editor.setToolTip(f"Locked by your site's configuration. {self.spec.tooltip}")


class SettingsForm(QtWidgets.QTabWidget):
    """The job settings in three tabs; :meth:`settings` reads them, :meth:`show_problems` marks."""

    #: The artist changed a value (every keystroke).
    changed = QtCore.Signal()

    def __init__(
        self,
        settings: SubmitSettings,
        locked: Collection[str] = frozenset(),
        defaults: Optional[Mapping[str, str]] = None,
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super().__init__(parent)
        self._fields: dict[str, _Field] = {}
        hints = _Hints(defaults or {})
        for group, specs in GROUPS.items():
            form = QtWidgets.QFormLayout()
            form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for spec in specs:
                field = _Field(spec)
                field.set_value(getattr(settings, spec.name))
                field.on_edit(self.changed.emit)
                if spec.placeholder:
                    field.editor.setPlaceholderText(spec.placeholder.format_map(hints))
                label = QtWidgets.QLabel(spec.label + (" (locked)" if spec.name in locked else ""))
                label.setToolTip(spec.tooltip)
                if spec.name in locked:
                    field.lock()
                cell = QtWidgets.QVBoxLayout()
                cell.setSpacing(1)
                cell.addWidget(field.editor)
                cell.addWidget(field.error)
                form.addRow(label, cell)
                self._fields[spec.name] = field
            page = QtWidgets.QWidget()
            page.setLayout(form)
            scroll = QtWidgets.QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
            scroll.setWidget(page)
            self.addTab(scroll, group)

    def editor(self, name: str) -> Any:
        """The widget that edits setting ``name``."""
        return self._fields[name].editor

    def error_text(self, name: str) -> str:
        """What the form says is wrong with ``name`` (empty when nothing is)."""
        return self._fields[name].error.text()

    def settings(self, base: SubmitSettings) -> tuple[SubmitSettings, list[Problem]]:
        """``base`` with the form's values, and a problem per field whose text is no value.

        A field that cannot be read keeps ``base``'s value, so the rest still previews.
        """
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for name, field in self._fields.items():
            try:
                values[name] = field.value()
            except ValueError as error:
                problems.append(Problem(name, str(error)))
        return dataclasses.replace(base, **values), problems

    def show_problems(self, problems: list[Problem]) -> None:
        """Mark each field with its first problem; clear the others."""
        first: dict[str, str] = {}
        for problem in problems:
            first.setdefault(problem.where, problem.message)
        for name, field in self._fields.items():
            field.mark(first.get(name))


def label_of(where: str) -> str:
    """The form's label for a problem's place (``hosts_mask`` -> ``Hosts mask``)."""
    spec = FIELDS.get(where)
    return spec.label if spec else where
