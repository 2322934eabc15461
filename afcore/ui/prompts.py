"""The questions the dialog asks the artist, behind one interface so that tests can answer them.

The dialog never opens a message box itself: it asks its :class:`Prompts`.
:class:`MessageBoxes` asks with Qt's standard boxes; a test passes an object
with the same methods that answers as the test needs and records what was asked.
"""

from __future__ import annotations

from typing import Optional, Protocol

from Qt import QtWidgets

Buttons = QtWidgets.QMessageBox.StandardButton


class Prompts(Protocol):
    """What the dialog may ask before it submits or exports."""

    def save_scene(self, message: str) -> bool:
        """The scene has unsaved changes: save it (True) or cancel the submission (False)."""

    def create_folders(self, message: str) -> Optional[bool]:
        """Output folders are missing: create them (True), go on without (False), cancel (None)."""

    def confirm(self, message: str) -> bool:
        """Go ahead with something unusual, such as more than 10,000 tasks."""

    def save_path(self, suggested: str) -> Optional[str]:
        """Where to write the job JSON; ``None`` when the artist cancelled."""


class MessageBoxes:
    """:class:`Prompts` asked with Qt's message boxes and file chooser, over ``parent``."""

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        self._parent = parent

    def save_scene(self, message: str) -> bool:
        answer = QtWidgets.QMessageBox.question(
            self._parent, "Save the scene?", message, Buttons.Save | Buttons.Cancel, Buttons.Save
        )
        return answer == Buttons.Save

    def create_folders(self, message: str) -> Optional[bool]:
        answer = QtWidgets.QMessageBox.question(
            self._parent,
            "Create the output folders?",
            message,
            Buttons.Yes | Buttons.No | Buttons.Cancel,
            Buttons.Yes,
        )
        if answer == Buttons.Cancel:
            return None
        return answer == Buttons.Yes

    def confirm(self, message: str) -> bool:
        answer = QtWidgets.QMessageBox.question(
            self._parent, "Submit?", message, Buttons.Yes | Buttons.No, Buttons.No
        )
        return answer == Buttons.Yes

    def save_path(self, suggested: str) -> Optional[str]:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self._parent, "Save the job JSON", suggested, "Job JSON (*.json)"
        )
        return path or None
