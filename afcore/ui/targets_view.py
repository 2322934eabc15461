"""The targets table as the artist sees it: the view, its editors, tick all / none."""

from __future__ import annotations

from typing import Any, Optional

from Qt import QtCore, QtGui, QtWidgets

from afcore.ui.targets_model import FRAMES, KIND, NAME, NOTES, PER_TASK, TargetsModel

#: Starting widths; the output column (the last) stretches over what is left.
_WIDTHS = {NAME: 170, KIND: 70, FRAMES: 120, PER_TASK: 90, NOTES: 170}


class PerTaskDelegate(QtWidgets.QStyledItemDelegate):
    """Edits frames per task as digits only; an empty cell goes back to the default."""

    def createEditor(
        self, parent: Optional[QtWidgets.QWidget], option: Any, index: Any
    ) -> QtWidgets.QWidget:
        editor = QtWidgets.QLineEdit(parent)
        digits = QtGui.QIntValidator(0, 999_999_999, editor)
        digits.setLocale(QtCore.QLocale.c())  # no group separators: "1,000" is not a count
        editor.setValidator(digits)
        editor.setPlaceholderText("default")
        return editor

    def setEditorData(self, editor: QtWidgets.QWidget, index: Any) -> None:
        text = str(index.data(QtCore.Qt.ItemDataRole.EditRole) or "")
        editor.setText(text if text.isdigit() else "")  # type: ignore[attr-defined]


class TargetsTable(QtWidgets.QWidget):
    """The targets, a line saying how many are ticked, and buttons to tick all or none."""

    def __init__(self, model: TargetsModel, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QtWidgets.QTableView()
        self.view.setObjectName("targets")
        self.view.setModel(model)
        self.view.setItemDelegateForColumn(PER_TASK, PerTaskDelegate(self.view))
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(QtCore.Qt.TextElideMode.ElideMiddle)  # keep the file names
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
            | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed
            | QtWidgets.QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        vertical = self.view.verticalHeader()
        vertical.setVisible(False)
        # Fixed row heights: the view never measures a thousand rows to lay them out.
        vertical.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        for column, width in _WIDTHS.items():
            header.resizeSection(column, width)
        header.setStretchLastSection(True)

        self.count = QtWidgets.QLabel()
        tick_all = QtWidgets.QPushButton("Tick all")
        tick_all.setToolTip("Tick every target the scene has enabled.")
        tick_all.clicked.connect(lambda: model.set_all_ticked(True))
        tick_none = QtWidgets.QPushButton("Untick all")
        tick_none.clicked.connect(lambda: model.set_all_ticked(False))
        self._bar = QtWidgets.QHBoxLayout()
        self._bar.addWidget(self.count, 1)
        self._bar.addWidget(tick_all)
        self._bar.addWidget(tick_none)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(self._bar)
        model.edited.connect(self._count_ticked)
        self._count_ticked()

    def height_for_rows(self, rows: int) -> int:
        """The height that shows ``rows`` rows (and no more), the header and the buttons."""
        row = self.view.verticalHeader().defaultSectionSize()
        header = self.view.horizontalHeader().sizeHint().height()
        buttons = self._bar.sizeHint().height()
        return header + rows * row + buttons + 2 * self.view.frameWidth() + 24

    def _count_ticked(self) -> None:
        total = self.model.rowCount()
        self.count.setText(f"{self.model.ticked_count():,} of {total:,} targets ticked")
