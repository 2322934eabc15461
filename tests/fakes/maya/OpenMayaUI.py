"""The fake ``maya.OpenMayaUI``: ``MQtUtil.mainWindow()``, a pointer to a real Qt main window.

Interactive sessions get one ``QMainWindow`` (titled like Maya's) made on first request,
so ``QtCompat.wrapInstance`` over the pointer gives a widget dialogs can be parented to.
Batch sessions have no main window: ``None``, as in ``mayapy``.
"""

from __future__ import annotations

from typing import Any, Optional

from maya import cmds

_main_window: Any = None


class MQtUtil:
    @staticmethod
    def mainWindow() -> Optional[int]:
        global _main_window
        if cmds.about(batch=True):
            return None
        from Qt import QtCompat, QtWidgets

        if _main_window is None:
            QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
            _main_window = QtWidgets.QMainWindow()
            _main_window.setObjectName("MayaWindow")
            _main_window.setWindowTitle(f"Autodesk Maya {cmds.VERSION}")
        return int(QtCompat.getCppPointer(_main_window))
