"""The targets table's model: ticks and overrides become SubmitSettings overrides; notes show."""

from __future__ import annotations

import pytest
from Qt import QtCore, QtGui, QtWidgets

from afcore.checks import ERROR, WARNING, Check
from afcore.errors import Problem
from afcore.scene import RenderTarget
from afcore.settings import SubmitSettings, TargetOverride
from afcore.ui.targets_model import (
    FRAMES,
    NAME,
    NOTES,
    OUTPUT,
    PER_TASK,
    TargetsModel,
    describe_override,
)

Role = QtCore.Qt.ItemDataRole
Checked, Unchecked = QtCore.Qt.CheckState.Checked, QtCore.Qt.CheckState.Unchecked


@pytest.fixture
def model(qapp) -> TargetsModel:
    targets = [
        RenderTarget("precomp", frames="1-20", outputs=["/out/pre.@####@.exr"]),
        RenderTarget("comp", frames="1-20", frames_per_task=4, outputs=["/l.exr", "/r.exr"]),
        RenderTarget("slap", frames="1-10", selected=False),
        RenderTarget("old", frames="1-10", enabled=False, selected=False),
    ]
    return TargetsModel(targets, SubmitSettings(frames_per_task=2))


def cell(model: TargetsModel, row: int, column: int, role=Role.DisplayRole):
    return model.data(model.index(row, column), role)


def edit(model: TargetsModel, row: int, column: int, value, role=Role.EditRole) -> bool:
    return model.setData(model.index(row, column), value, role)


def same_icon(icon: QtGui.QIcon, standard: str) -> bool:
    expected = QtWidgets.QApplication.style().standardIcon(
        getattr(QtWidgets.QStyle.StandardPixmap, standard)
    )
    return icon.pixmap(16).toImage() == expected.pixmap(16).toImage()


def test_rows_show_the_scene_as_the_host_selected_it(model):
    assert model.rowCount() == 4
    assert [cell(model, row, NAME) for row in range(4)] == ["precomp", "comp", "slap", "old"]
    ticks = [cell(model, row, NAME, Role.CheckStateRole) for row in range(4)]
    assert ticks == [Checked, Checked, Unchecked, Unchecked]
    assert cell(model, 1, OUTPUT) == "/l.exr  (+1)"
    assert cell(model, 1, OUTPUT, Role.ToolTipRole) == "/l.exr\n/r.exr"
    assert model.overrides() == {}


def test_any_subset_can_be_ticked_and_ticking_back_forgets_the_override(model):
    assert edit(model, 0, NAME, Unchecked, Role.CheckStateRole)
    assert edit(model, 2, NAME, Checked.value, Role.CheckStateRole)  # PySide2 views send ints
    assert model.overrides() == {
        "precomp": TargetOverride(enabled=False),
        "slap": TargetOverride(enabled=True),
    }
    assert model.ticked_count() == 2
    edit(model, 0, NAME, Checked, Role.CheckStateRole)
    assert "precomp" not in model.overrides()


def test_a_frame_range_typed_in_a_cell_overrides_the_scene_until_cleared(model):
    assert edit(model, 1, FRAMES, " 5-9 ")
    assert model.overrides()["comp"] == TargetOverride(frames="5-9")
    assert cell(model, 1, FRAMES) == "5-9"
    assert cell(model, 1, FRAMES, Role.FontRole).bold()
    assert "the scene says 1-20" in cell(model, 1, FRAMES, Role.ToolTipRole)
    edit(model, 1, FRAMES, "")
    assert model.overrides() == {}
    assert cell(model, 1, FRAMES) == "1-20"
    assert cell(model, 1, FRAMES, Role.FontRole) is None


def test_frames_per_task_shows_override_else_host_suggestion_else_job_value(model):
    assert [cell(model, row, PER_TASK) for row in range(2)] == ["2", "4"]
    edit(model, 0, PER_TASK, "10")
    assert model.overrides()["precomp"].frames_per_task == 10
    assert cell(model, 0, PER_TASK) == "10"
    assert not edit(model, 1, PER_TASK, "ten")
    assert "comp" not in model.overrides()
    edit(model, 0, PER_TASK, "")
    model.set_job_settings(SubmitSettings(frames_per_task=7))
    assert [cell(model, row, PER_TASK) for row in range(2)] == ["7", "4"]


def test_tick_all_leaves_targets_disabled_in_the_scene_alone(model):
    model.set_all_ticked(True)
    assert [model.is_ticked(row) for row in range(4)] == [True, True, True, False]
    model.set_all_ticked(False)
    assert model.ticked_count() == 0
    assert set(model.overrides()) == {"precomp", "comp"}  # slap and old were unticked already


def test_every_change_is_announced(model, qtbot):
    for change in (
        lambda: edit(model, 0, NAME, Unchecked, Role.CheckStateRole),
        lambda: edit(model, 0, FRAMES, "1-3"),
        lambda: edit(model, 0, PER_TASK, "3"),
        lambda: model.set_all_ticked(True),
    ):
        with qtbot.waitSignal(model.edited, timeout=100):
            change()


def test_checks_about_a_target_show_in_its_row_with_the_worst_level_as_icon(model):
    checks = [
        Check(WARNING, "comp: expression not evaluated", key="host:comp:0", target="comp"),
        Check(ERROR, "comp: bad frame range '1-x'", key="frames:comp", target="comp"),
        Check(WARNING, "out/ is missing", key="missing_folder:out"),
    ]
    model.set_findings(checks, [Problem("overrides[precomp].frames_per_task", "0 is too small")])
    assert cell(model, 1, NOTES) == "2 notes: comp: expression not evaluated"
    assert cell(model, 1, NOTES, Role.ToolTipRole) == (
        "• comp: expression not evaluated\n• comp: bad frame range '1-x'"
    )
    assert same_icon(cell(model, 1, NOTES, Role.DecorationRole), "SP_MessageBoxCritical")
    assert cell(model, 1, FRAMES, Role.ToolTipRole) == "comp: bad frame range '1-x'"
    assert cell(model, 0, PER_TASK, Role.ToolTipRole) == "0 is too small"
    assert cell(model, 0, PER_TASK, Role.BackgroundRole) is not None
    assert cell(model, 0, NOTES) == ""
    model.set_findings(checks[:1], [])
    assert same_icon(cell(model, 1, NOTES, Role.DecorationRole), "SP_MessageBoxWarning")
    model.set_findings([], [])
    assert cell(model, 1, NOTES) == ""
    assert cell(model, 0, PER_TASK, Role.BackgroundRole) is None


def test_only_frames_and_frames_per_task_are_editable(model):
    editable = QtCore.Qt.ItemFlag.ItemIsEditable
    flags = [model.flags(model.index(0, column)) & editable for column in range(6)]
    assert [bool(flag) for flag in flags] == [c in (FRAMES, PER_TASK) for c in range(6)]


def test_override_problems_are_named_as_the_table_shows_them():
    assert describe_override("overrides[comp (v2)].frames") == "comp (v2) frames"
    assert describe_override("overrides[comp].frames_per_task") == "comp frames/task"
    assert describe_override("hosts_mask") is None
