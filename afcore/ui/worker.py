"""Sending off the UI thread: the DCC and the dialog stay responsive while the network works."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from Qt import QtCore

from afcore.submit import send

if TYPE_CHECKING:
    from afcore.settings import SettingsStore
    from afcore.submit import Submission


class SubmitWorker(QtCore.QThread):
    """Runs :func:`afcore.submit.send` on a staged submission in its own thread.

    Emits ``delivered`` with the list of :class:`~afcore.submit.Delivery`, or
    ``failed`` with a message when sending itself broke (say, the outbox folder
    cannot be written): delivery problems are deliveries, not failures.
    """

    delivered = QtCore.Signal(object)
    failed = QtCore.Signal(str)

    def __init__(
        self,
        submission: Submission,
        store: Optional[SettingsStore] = None,
        parent: Optional[QtCore.QObject] = None,
    ) -> None:
        super().__init__(parent)
        self._submission = submission
        self._store = store

    def run(self) -> None:
        try:
            deliveries = send(self._submission, store=self._store)
        except Exception as error:  # anything left uncaught here would leave the dialog waiting
            self.failed.emit(f"Sending failed: {type(error).__name__}: {error}")
        else:
            self.delivered.emit(deliveries)
