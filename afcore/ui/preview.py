"""The live preview: what will be sent, read from the very jobs submit sends, and its export.

The text comes from :mod:`afcore.preview` (blocks, task counts, the first
tasks' commands with their frames filled in, output files, dependencies), so
the dialog cannot show something other than what goes to the farm. The JSON
export writes those same jobs' documents.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from Qt import QtCore, QtGui, QtWidgets

from afcore.preview import preview

if TYPE_CHECKING:
    from afcore.job import Job
    from afcore.ui.prompts import Prompts

#: Lines of preview text shown; a thousand-block job is described in full by its JSON export.
MAX_LINES = 1_000


def export_text(jobs: list[Job]) -> str:
    """One job's document (``afcmd json send`` takes it), or a JSON list of several."""
    documents = [job.to_dict() for job in jobs]
    content = documents[0] if len(documents) == 1 else documents
    return json.dumps(content, ensure_ascii=False, indent=1)


def export_files(jobs: list[Job], path: str) -> list[Path]:
    """Write each job's document: ``path`` for one job, ``<stem>.<n><suffix>`` for several."""
    target = Path(path)
    paths = [target]
    if len(jobs) > 1:
        numbers = range(1, len(jobs) + 1)
        paths = [target.with_name(f"{target.stem}.{n}{target.suffix}") for n in numbers]
    for job, file in zip(jobs, paths):
        file.write_text(job.to_json(indent=1) + "\n", "utf-8")
    return paths


def shown_lines(lines: list[str]) -> list[str]:
    """At most :data:`MAX_LINES` lines, and a last one saying how many more there are."""
    if len(lines) <= MAX_LINES:
        return lines
    hidden = len(lines) - MAX_LINES
    return [*lines[:MAX_LINES], f"... and {hidden:,} more lines: Save JSON shows every block."]


class PreviewPanel(QtWidgets.QWidget):
    """ "N frames in M tasks", the preview text, and buttons to copy or save the job JSON."""

    def __init__(self, prompts: Prompts, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self._prompts = prompts
        self._jobs: list[Job] = []
        self._suggested_path = "job.json"
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("summary")
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.text = QtWidgets.QPlainTextEdit()
        self.text.setObjectName("preview")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont))
        self.copy_button = QtWidgets.QPushButton("Copy JSON")
        self.copy_button.setToolTip("Copy the job JSON exactly as it will be sent.")
        self.copy_button.clicked.connect(self.copy_json)
        self.save_button = QtWidgets.QPushButton("Save JSON...")
        self.save_button.setToolTip("Save the job JSON; send it later with: afcmd json send FILE")
        self.save_button.clicked.connect(self.save_json)
        self.status = QtWidgets.QLabel()
        self.status.setTextInteractionFlags(
            self.status.textInteractionFlags() | QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
        )
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)

    def show_jobs(self, jobs: list[Job], why_none: str = "", suggested_path: str = "") -> None:
        """Describe ``jobs``; with none, say ``why_none``. ``suggested_path`` seeds Save JSON."""
        self._jobs = list(jobs)
        self._suggested_path = suggested_path or self._suggested_path
        self.status.clear()
        self.copy_button.setEnabled(bool(jobs))
        self.save_button.setEnabled(bool(jobs))
        if not jobs:
            self.summary.setText("Nothing to send")
            self.text.setPlainText(why_none)
            return
        described = preview(self._jobs)
        self.summary.setText(described.summary)
        self.text.setPlainText("\n".join(shown_lines(described.lines()[1:])))

    def copy_json(self) -> None:
        QtWidgets.QApplication.clipboard().setText(export_text(self._jobs))
        what = "the job" if len(self._jobs) == 1 else f"{len(self._jobs)} jobs as a list"
        self.status.setText(f"Copied {what} to the clipboard.")

    def save_json(self) -> None:
        path = self._prompts.save_path(self._suggested_path)
        if not path:
            return
        try:
            written = export_files(self._jobs, path)
        except OSError as error:
            self.status.setText(f"Could not save the job JSON: {error}")
            return
        self.status.setText("Saved " + ", ".join(str(p) for p in written))
