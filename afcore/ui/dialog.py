"""The submit dialog: targets, settings, live preview, checks, and a submit that never blocks.

It drives the pipeline and adds nothing to it: :func:`afcore.submit.prepare`
reads the scene once, :func:`~afcore.submit.refresh` rebuilds checks and jobs
as the artist edits (debounced, so typing stays smooth on big scenes), the
preview describes exactly those jobs, :func:`~afcore.submit.stage` runs on the
UI thread (it may call the DCC) and :func:`~afcore.submit.send` on a
:class:`~afcore.ui.worker.SubmitWorker` thread.
"""

from __future__ import annotations

import dataclasses
import html
import os
from typing import TYPE_CHECKING, Any, Optional, cast

from Qt import QtCore, QtGui, QtWidgets

from afcore import submit as pipeline
from afcore.build import job_base_name
from afcore.checks import CONFIRM, CREATE_FOLDER, ERROR, SAVE, WARNING, Check
from afcore.settings import SettingsStore, locked_fields, validate_settings
from afcore.ui.preview import PreviewPanel
from afcore.ui.prompts import MessageBoxes
from afcore.ui.settings_form import SettingsForm, label_of
from afcore.ui.targets_model import TargetsModel, describe_override
from afcore.ui.targets_view import TargetsTable
from afcore.ui.worker import SubmitWorker

if TYPE_CHECKING:
    from afcore.config import Config
    from afcore.errors import Problem
    from afcore.host import Host
    from afcore.settings import SubmitSettings
    from afcore.submit import Delivery
    from afcore.ui.prompts import Prompts

#: Quiet time after the last keystroke before the jobs are rebuilt.
DEBOUNCE_MS = 150
#: Fixes the dialog asks about when Submit is pressed, rather than refusing to submit.
ASKED_FIXES = (SAVE, CREATE_FOLDER, CONFIRM)
#: Missing output folders named in the question; the rest are counted.
LISTED_FOLDERS = 10
_GOOD, _BAD, _KEPT = "#1e7e34", "#c0392b", "#b35900"


class SubmitDialog(QtWidgets.QDialog):
    """Submit a scene's targets to Afanasy; see the module's docstring for the flow."""

    #: The list of :class:`~afcore.submit.Delivery` once a submission was sent or kept.
    sent = QtCore.Signal(object)

    def __init__(
        self,
        host: Host,
        config: Optional[Config] = None,
        *,
        store: Optional[SettingsStore] = None,
        prompts: Optional[Prompts] = None,
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super().__init__(parent)
        if config is None:
            from afcore.config import load_config

            config = load_config()
        self._store = store or SettingsStore.default()
        self._prompts: Prompts = prompts or MessageBoxes(self)
        self._worker: Optional[SubmitWorker] = None
        self.submission = pipeline.prepare(host, config=config, store=self._store)
        self._problems: list[Problem] = validate_settings(self.submission.settings)

        snapshot = self.submission.snapshot
        self.model = TargetsModel(snapshot.targets, self.submission.settings, self)
        self.form = SettingsForm(
            self.submission.settings,
            locked_fields(config),
            {
                "job_name": job_base_name(
                    snapshot, dataclasses.replace(self.submission.settings, job_name="")
                ),
                "priority": str(config.priority),
                "capacity": str(config.capacity),
            },
        )
        self.preview = PreviewPanel(self._prompts)
        self.checks = QtWidgets.QListWidget()
        self.checks.setObjectName("checks")
        self.checks.setWordWrap(True)
        self._build_layout(host, config)

        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self.form.changed.connect(self._edited)
        self.model.edited.connect(self._edited)
        self._show_submission()

    # --- layout ---

    def _build_layout(self, host: Host, config: Config) -> None:
        snapshot = self.submission.snapshot
        scene = self.submission.scene_path or "(never saved)"
        self.setWindowTitle(f"Submit to Afanasy - {os.path.basename(scene)}")
        dcc = " ".join(part for part in (snapshot.dcc or host.name, snapshot.dcc_version) if part)
        facts = [
            dcc,
            f"{len(snapshot.targets):,} targets",
            f"frames {snapshot.frames}",
            f"farm {config.server_host}:{config.server_port}",
        ]
        header = QtWidgets.QLabel(
            f"<b>{html.escape(scene)}</b><br>{html.escape(' · '.join(facts))}"
        )
        header.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)

        self.targets = TargetsTable(self.model)
        self.details = QtWidgets.QTabWidget()
        self.details.addTab(self.preview, "Preview")
        self.details.addTab(self.checks, "Checks")
        left = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        left.addWidget(self.targets)
        left.addWidget(self.details)
        # A small scene's table takes only the room its rows need; the preview gets the rest.
        table = min(self.targets.height_for_rows(self.model.rowCount()), 330)
        left.setSizes([table, 630 - table])
        main = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(self.form)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 1)
        main.setSizes([880, 360])

        self.reason = QtWidgets.QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(f"color: {_BAD};")
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 0)  # busy: a send is one request per job, with no fraction done
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.outcome = QtWidgets.QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        self.submit_button = QtWidgets.QPushButton("Submit")
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)
        self.close_button = QtWidgets.QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        footer = QtWidgets.QHBoxLayout()
        footer.addWidget(self.reason, 1)
        footer.addWidget(self.progress)
        footer.addWidget(self.submit_button)
        footer.addWidget(self.close_button)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(main, 1)
        layout.addWidget(self.outcome)
        layout.addLayout(footer)
        self.resize(1240, 760)

    # --- editing ---

    def current_settings(self) -> tuple[SubmitSettings, list[Problem]]:
        """The form's values with the table's overrides, and every problem with them."""
        settings, unreadable = self.form.settings(self.submission.settings)
        settings = dataclasses.replace(settings, overrides=self.model.overrides())
        return settings, unreadable + validate_settings(settings)

    def _edited(self) -> None:
        """Mark wrong values at once; rebuild the jobs once the artist pauses."""
        _, self._problems = self.current_settings()
        self.form.show_problems(self._problems)
        self._update_submit()
        self._timer.start()

    def refresh(self) -> None:
        """Rebuild checks, jobs and preview from the current settings (the scene is not re-read)."""
        self._timer.stop()
        settings, self._problems = self.current_settings()
        self.submission = pipeline.refresh(self.submission, settings)
        self._show_submission()

    def _show_submission(self) -> None:
        submission = self.submission
        self.form.show_problems(self._problems)
        self.model.set_job_settings(submission.settings)
        self.model.set_findings(submission.checks, self._problems)
        self._show_checks(submission.checks)
        folder = os.path.dirname(submission.scene_path or "")
        name = submission.jobs[0].name if submission.jobs else "job"
        self.preview.show_jobs(
            submission.jobs, "\n".join(self.reasons()), os.path.join(folder, f"{name}.json")
        )
        self._update_submit()

    def _show_checks(self, checks: list[Check]) -> None:
        self.checks.clear()
        style = self.style()
        icons = {
            ERROR: style.standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MessageBoxCritical),
            WARNING: style.standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MessageBoxWarning),
            CONFIRM: style.standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MessageBoxQuestion),
        }
        for check in checks:
            item = QtWidgets.QListWidgetItem(icons[check.level], check.message)
            if check.fix in ASKED_FIXES:
                item.setToolTip("You will be asked about this when you press Submit.")
            self.checks.addItem(item)
        self.details.setTabText(1, f"Checks ({len(checks)})" if checks else "Checks")

    # --- whether Submit may be pressed ---

    def reasons(self) -> list[str]:
        """Why Submit is disabled: bad settings first, then the checks that refuse."""
        reasons = [f"{_place(p.where)}: {p.message}" for p in self._problems]
        # Said already, as the artist sees them: bad settings, and bad ranges typed in the table.
        places = {problem.where for problem in self._problems}
        said = {
            f"frames:{name}"
            for name in self.model.overrides()
            if f"overrides[{name}].frames" in places
        }
        asked = {check.key for check in self.submission.checks if check.fix in ASKED_FIXES}
        reasons += [
            check.message
            for check in self.submission.blocking(asked)
            if not check.key.startswith("settings:") and check.key not in said
        ]
        if not reasons and not self.submission.jobs:
            reasons.append("No job can be made from this scene.")
        return reasons

    def _update_submit(self) -> None:
        reasons = self.reasons()
        sending = self._worker is not None
        self.submit_button.setEnabled(not reasons and not sending)
        if reasons:
            more = f"  (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
            self.reason.setText(f"Cannot submit: {reasons[0]}{more}")
            self.reason.setToolTip("\n".join(reasons))
        else:
            self.reason.clear()
            self.reason.setToolTip("")
        self.submit_button.setToolTip("\n".join(reasons) or "Send the jobs to the farm.")

    # --- submitting ---

    def submit(self) -> None:
        """Ask what needs an answer, stage on this thread, then send on a worker thread."""
        if self._timer.isActive():
            self.refresh()  # submit what the artist sees, not what was there before the last key
        if self.reasons() or self._worker is not None:
            return
        answers = self._ask()
        if answers is None:
            self._show_result("Cancelled: nothing was saved or sent.", _BAD)
            return
        try:
            pipeline.stage(self.submission, answers)
        except Exception as error:  # refused, blocked, copy or save failed: nothing was sent
            self._show_result(str(error), _BAD)
            self.refresh()
            return
        self._worker = SubmitWorker(self.submission, self._store, self)
        self._worker.delivered.connect(self._delivered)
        self._worker.failed.connect(self._failed)
        count = len(self.submission.jobs)
        address = f"{self.submission.config.server_host}:{self.submission.config.server_port}"
        self._show_result(f"Sending {count} job{'s' if count > 1 else ''} to {address}...", "")
        self.progress.show()
        self.close_button.setEnabled(False)
        self._update_submit()
        self._worker.start()

    def is_sending(self) -> bool:
        return self._worker is not None

    def _ask(self) -> Optional[set[str]]:
        """The keys of the checks the artist accepted; ``None`` when they cancelled."""
        answers: set[str] = set()
        checks = self.submission.checks
        for check in checks:
            if check.fix == SAVE and check.level == ERROR:
                if not self._prompts.save_scene(check.message):
                    return None
                answers.add(check.key)
        folders = [check for check in checks if check.fix == CREATE_FOLDER]
        if folders:
            create = self._prompts.create_folders(_folders_question(folders))
            if create is None:
                return None
            if create:
                answers.update(check.key for check in folders)
        for check in checks:
            if check.fix == CONFIRM:
                if not self._prompts.confirm(check.message):
                    return None
                answers.add(check.key)
        return answers

    def _delivered(self, result: object) -> None:
        deliveries = cast("list[Delivery]", result)  # what SubmitWorker.delivered carries
        all_sent = all(delivery.sent for delivery in deliveries)
        kept = any(delivery.outbox_path for delivery in deliveries)
        colour = _GOOD if all_sent else _KEPT if kept else _BAD
        self._finish_sending("\n".join(str(delivery) for delivery in deliveries), colour)
        self.sent.emit(deliveries)

    def _failed(self, message: str) -> None:
        self._finish_sending(message, _BAD)

    def _finish_sending(self, text: str, colour: str) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.wait()
            worker.deleteLater()
        self.progress.hide()
        self.close_button.setEnabled(True)
        self._show_result(text, colour)
        # New scene copy names, and the checks as the scene is now (saved, folders made).
        self.refresh()

    def _show_result(self, text: str, colour: str) -> None:
        self.outcome.setText(text)
        self.outcome.setStyleSheet(f"color: {colour};" if colour else "")
        self.outcome.show()

    # --- closing ---

    def reject(self) -> None:
        """Close, but not while sending: the send finishes within the client's timeouts."""
        if self._worker is None:
            super().reject()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._worker is None:
            super().closeEvent(event)
        else:
            event.ignore()


def _folders_question(checks: list[Check]) -> str:
    """One question for every missing output folder, listing the first few."""
    if len(checks) == 1:
        return checks[0].message
    listed = [f"  {check.path}" for check in checks[:LISTED_FOLDERS]]
    if len(checks) > LISTED_FOLDERS:
        listed.append(f"  ... and {len(checks) - LISTED_FOLDERS:,} more")
    return f"{len(checks):,} output folders do not exist:\n" + "\n".join(listed) + "\nCreate them?"


def _place(where: str) -> str:
    """A problem's place as the artist sees it: a field's label or a target's cell."""
    return describe_override(where) or label_of(where)


def run_modal(dialog: QtWidgets.QDialog) -> Any:
    """``exec`` in PySide6, ``exec_`` in PySide2: run the dialog until it is closed."""
    run = getattr(dialog, "exec", None) or dialog.exec_
    return run()
