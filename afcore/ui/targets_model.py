"""The targets table's model: one row per render target, the artist's ticks and overrides.

A :class:`QAbstractTableModel` rather than a table widget: the view asks only
for the rows it shows, so a scene of a thousand Write nodes opens at once.
The model owns the per-target overrides (tick, frames, frames per task) and
shows, per row, what the checks say about that target.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any, Optional

from Qt import QtCore, QtGui, QtWidgets

from afcore.checks import ERROR
from afcore.settings import SubmitSettings, TargetOverride

if TYPE_CHECKING:
    from typing import Union

    from afcore.checks import Check
    from afcore.errors import Problem
    from afcore.scene import RenderTarget

Qt = QtCore.Qt
Role = Qt.ItemDataRole
if TYPE_CHECKING:
    Index = Union[QtCore.QModelIndex, QtCore.QPersistentModelIndex]

NAME, KIND, FRAMES, PER_TASK, NOTES, OUTPUT = range(6)
HEADERS = ("Target", "Kind", "Frames", "Frames/task", "Notes", "Output")
HEADER_TIPS = (
    "Tick the targets to render; any subset.",
    "What the DCC calls this kind of node or layer.",
    "Frames to render, e.g. 1001-1100, 1-100x2 or 1-10,20-30. "
    "Double-click to override the scene's range; clear the cell to go back to it.",
    "Frames each farm task renders. Double-click to override; clear the cell to use "
    "the host's suggestion or the job-wide value.",
    "What the checks say about this target.",
    "Where the target writes (every view, layer and camera in the tooltip).",
)

_INVALID_BACKGROUND = QtGui.QColor(255, 225, 225)
_INVALID_TEXT = QtGui.QColor(170, 0, 0)
#: ``overrides[Write1].frames`` -> ("Write1", "frames"): where validate_settings puts a problem.
_OVERRIDE_FIELD = re.compile(r"^overrides\[(?P<name>.*)\]\.(?P<field>frames|frames_per_task)$")
_COLUMN_OF_FIELD = {"frames": FRAMES, "frames_per_task": PER_TASK}


def describe_override(where: str) -> Optional[str]:
    """``overrides[Write1].frames`` as the table shows it (``Write1 frames``); else ``None``."""
    match = _OVERRIDE_FIELD.match(where)
    if match is None:
        return None
    return f"{match['name']} {HEADERS[_COLUMN_OF_FIELD[match['field']]].lower()}"


def _is_checked(value: Any) -> bool:
    """Whether a CheckStateRole value is "checked": the enum, or its number as views send it."""
    checked = Qt.CheckState.Checked
    return bool(value == checked or value == getattr(checked, "value", checked))


def _check_state(ticked: bool) -> Any:
    return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked


class TargetsModel(QtCore.QAbstractTableModel):
    """Targets with the artist's ticks and overrides, and the checks' notes per row."""

    #: The artist ticked a target or changed a range or frames per task.
    edited = QtCore.Signal()

    def __init__(
        self,
        targets: list[RenderTarget],
        settings: SubmitSettings,
        parent: Optional[QtCore.QObject] = None,
    ) -> None:
        super().__init__(parent)
        self._targets = list(targets)
        self._overrides: dict[str, TargetOverride] = dict(settings.overrides)
        self._settings = dataclasses.replace(settings, overrides=self._overrides)
        self._notes: dict[str, list[Check]] = {}
        self._cell_problems: dict[tuple[str, int], str] = {}
        style = QtWidgets.QApplication.style()
        pixmaps = QtWidgets.QStyle.StandardPixmap
        #: The notes' icon: a warning, or (True) an error.
        self._icons = {
            False: style.standardIcon(pixmaps.SP_MessageBoxWarning),
            True: style.standardIcon(pixmaps.SP_MessageBoxCritical),
        }

    # --- what the dialog reads and sets ---

    def overrides(self) -> dict[str, TargetOverride]:
        """The artist's overrides by target name (a copy: edits replace, never mutate, entries)."""
        return dict(self._overrides)

    def target(self, row: int) -> RenderTarget:
        return self._targets[row]

    def is_ticked(self, row: int) -> bool:
        return self._settings.is_selected(self._targets[row])

    def ticked_count(self) -> int:
        return sum(self._settings.is_selected(t) for t in self._targets)

    def set_job_settings(self, settings: SubmitSettings) -> None:
        """The job-wide values rows without an override show (frames per task)."""
        self._settings = dataclasses.replace(settings, overrides=self._overrides)
        self._column_changed(PER_TASK)

    def set_all_ticked(self, ticked: bool) -> None:
        """Tick every target the scene has enabled, or untick every target."""
        for target in self._targets:
            if target.enabled or not ticked:
                self._set_override(target, enabled=None if ticked == target.selected else ticked)
        self._column_changed(NAME)
        self.edited.emit()

    def set_findings(self, checks: list[Check], problems: list[Problem]) -> None:
        """Show each target's checks in its row, and mark override cells ``problems`` name."""
        self._notes = {}
        for check in checks:
            if check.target:
                self._notes.setdefault(check.target, []).append(check)
        self._cell_problems = {}
        for problem in problems:
            match = _OVERRIDE_FIELD.match(problem.where)
            if match:
                cell = (match["name"], _COLUMN_OF_FIELD[match["field"]])
                self._cell_problems[cell] = problem.message
        for check in checks:  # a bad range of a ticked target, from the scene or the override
            if check.key == f"frames:{check.target}":
                self._cell_problems.setdefault((check.target, FRAMES), check.message)
        self._column_changed(FRAMES)
        self._column_changed(PER_TASK)
        self._column_changed(NOTES)

    # --- QAbstractTableModel ---

    def rowCount(self, parent: Optional[Index] = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._targets)

    def columnCount(self, parent: Optional[Index] = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Any, role: int = Role.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Role.DisplayRole:
            return HEADERS[section]
        if role == Role.ToolTipRole:
            return HEADER_TIPS[section]
        return None

    def flags(self, index: Index) -> Any:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif index.column() in (FRAMES, PER_TASK):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        target = self._targets[index.row()]
        column = index.column()
        if role in (Role.DisplayRole, Role.EditRole):
            return self._text(target, column)
        if role == Role.CheckStateRole and column == NAME:
            return _check_state(self._settings.is_selected(target))
        if role == Role.ToolTipRole:
            return self._tooltip(target, column)
        problem = self._cell_problems.get((target.name, column))
        if role == Role.BackgroundRole and problem:
            return QtGui.QBrush(_INVALID_BACKGROUND)
        if role == Role.ForegroundRole:
            return self._foreground(target, problem)
        if role == Role.FontRole and self._is_overridden(target, column):
            font = QtGui.QFont()
            font.setBold(True)
            return font
        if role == Role.DecorationRole and column == NOTES:
            return self._notes_icon(target)
        return None

    def setData(self, index: Index, value: Any, role: int = Role.EditRole) -> bool:
        if not index.isValid():
            return False
        target = self._targets[index.row()]
        column = index.column()
        if role == Role.CheckStateRole and column == NAME:
            ticked = _is_checked(value)
            self._set_override(target, enabled=None if ticked == target.selected else ticked)
        elif role == Role.EditRole and column == FRAMES:
            text = str(value).strip()
            self._set_override(target, frames=None if text in ("", target.frames) else text)
        elif role == Role.EditRole and column == PER_TASK:
            text = str(value).strip()
            if text and not text.isdigit():
                return False  # the editor only takes digits; anything else is not a count
            self._set_override(target, frames_per_task=int(text) if text else None)
        else:
            return False
        # A tick, a range or a count changes this row's look in every column.
        row = index.row()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1), [])
        self.edited.emit()
        return True

    # --- cells ---

    def _text(self, target: RenderTarget, column: int) -> str:
        if column == NAME:
            return target.name
        if column == KIND:
            return target.kind
        if column == FRAMES:
            return self._settings.frames_for(target)
        if column == PER_TASK:
            return "whole range" if target.single_task else str(self._per_task(target))
        if column == OUTPUT:
            more = len(target.outputs) - 1
            first = target.outputs[0] if target.outputs else ""
            return f"{first}  (+{more})" if more > 0 else first
        notes = self._notes.get(target.name, [])
        if not notes:
            return ""
        return notes[0].message if len(notes) == 1 else f"{len(notes)} notes: {notes[0].message}"

    def _per_task(self, target: RenderTarget) -> int:
        return self._settings.frames_per_task_for(target)

    def _tooltip(self, target: RenderTarget, column: int) -> Optional[str]:
        problem = self._cell_problems.get((target.name, column))
        if problem:
            return problem
        if column == NAME:
            return self._describe(target)
        if column == FRAMES and self._is_overridden(target, FRAMES):
            return f"Overridden; the scene says {target.frames}. Clear the cell to go back."
        if column == PER_TASK:
            return self._per_task_origin(target)
        if column == OUTPUT:
            return "\n".join(target.outputs) or "No output file is known for this target."
        if column == NOTES:
            return "\n".join(f"• {note.message}" for note in self._notes.get(target.name, []))
        return None

    def _describe(self, target: RenderTarget) -> str:
        lines = [f"{target.name} ({target.kind or 'target'}, service {target.service})"]
        if not target.enabled:
            lines.append("Disabled in the scene: enable it there to render it.")
        if target.renderer:
            lines.append(f"Renderer: {target.renderer}")
        for label, values in (
            ("Views", target.views),
            ("Layers", target.layers),
            ("Cameras", target.cameras),
            ("Waits for", target.depends_on),
        ):
            if values:
                lines.append(f"{label}: {', '.join(values)}")
        return "\n".join(lines)

    def _per_task_origin(self, target: RenderTarget) -> str:
        if target.single_task:
            return "Renders its whole range in one task (a movie or a simulation)."
        if self._is_overridden(target, PER_TASK):
            return "Your value for this target. Clear the cell to use the default."
        if target.frames_per_task:
            return "Suggested by the scene for this target."
        return "The job-wide Frames per task setting."

    def _is_overridden(self, target: RenderTarget, column: int) -> bool:
        override = self._overrides.get(target.name)
        if override is None:
            return False
        if column == FRAMES:
            return bool(override.frames and override.frames.strip())
        return column == PER_TASK and override.frames_per_task is not None

    def _foreground(self, target: RenderTarget, problem: Optional[str]) -> Any:
        if problem:
            return QtGui.QBrush(_INVALID_TEXT)
        if not target.enabled or not self._settings.is_selected(target):
            palette = QtWidgets.QApplication.palette()
            return palette.brush(QtGui.QPalette.ColorGroup.Disabled, QtGui.QPalette.ColorRole.Text)
        return None

    def _notes_icon(self, target: RenderTarget) -> Any:
        notes = self._notes.get(target.name)
        if not notes:
            return None
        worst = any(note.level == ERROR for note in notes)
        return self._icons[worst]

    # --- changes ---

    def _set_override(self, target: RenderTarget, **changes: Any) -> None:
        """Replace (never mutate) the target's override; drop it once it changes nothing."""
        current = self._overrides.get(target.name, TargetOverride())
        override = dataclasses.replace(current, **changes)
        if override == TargetOverride():
            self._overrides.pop(target.name, None)
        else:
            self._overrides[target.name] = override

    def _column_changed(self, column: int) -> None:
        if self._targets:
            last = len(self._targets) - 1
            self.dataChanged.emit(self.index(0, column), self.index(last, column), [])
