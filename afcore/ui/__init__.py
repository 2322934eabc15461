"""The shared Qt submit dialog (Qt.py; Qt is imported only when a dialog is opened).

Inside a DCC::

    from afcore.ui import open_dialog
    open_dialog(MyHost())            # parented to host.parent_window(), returns at once

Standalone (``afsubmit --gui SCENE``), where no QApplication runs yet,
:func:`open_dialog` creates one and returns once the dialog is closed.
"""

from __future__ import annotations

import sys
import weakref
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from afcore.config import Config
    from afcore.host import Host
    from afcore.ui.dialog import SubmitDialog

__all__ = ["open_dialog"]

#: Dialogs open without a parent: kept here so that Python does not delete them while shown.
_OPEN: set[Any] = set()


def open_dialog(host: Host, parent: Any = None, *, config: Optional[Config] = None) -> SubmitDialog:
    """Open the submit dialog on ``host``'s scene and return it.

    ``parent`` defaults to the host's main window. When no QApplication runs
    (outside a DCC) one is made and the dialog runs modally until closed;
    inside a DCC the dialog is shown and this returns at once, leaving the
    DCC responsive, and is deleted when closed. ``config`` defaults to
    :func:`afcore.config.load_config`.
    """
    from Qt import QtCore, QtWidgets

    from afcore.ui.dialog import SubmitDialog, run_modal

    standalone = QtWidgets.QApplication.instance() is None
    if standalone:
        application = QtWidgets.QApplication(sys.argv[:1])
        application.setApplicationName("afsubmit")
    if parent is None:
        parent = host.parent_window()
    dialog = SubmitDialog(host, config, parent=parent)
    if standalone:
        run_modal(dialog)
        return dialog
    # Closed dialogs go: an artist opens one per submission in a long DCC session.
    dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    if dialog.parent() is None:
        _OPEN.add(dialog)
        opened = weakref.ref(dialog)  # the set alone keeps it, until it is closed
        dialog.finished.connect(lambda _result: _OPEN.discard(opened()))
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
