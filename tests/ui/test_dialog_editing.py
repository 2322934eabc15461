"""Driving the dialog without a farm: ticks, ranges and settings change the preview as typed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from Qt import QtCore, QtWidgets

from afcore.ui.dialog import SubmitDialog
from afcore.ui.targets_model import FRAMES, NAME, PER_TASK
from ui.dialog_fixtures import (
    ScriptedArtist,
    comp_scene,
    farm_config,
    make_shot,
    open_submit_dialog,
)

Role = QtCore.Qt.ItemDataRole


@pytest.fixture
def shot(tmp_path: Path) -> Path:
    return make_shot(tmp_path / "sh 010")


@pytest.fixture
def artist() -> ScriptedArtist:
    return ScriptedArtist()


@pytest.fixture
def dialog(qtbot, shot: Path, tmp_path: Path, artist: ScriptedArtist) -> SubmitDialog:
    config = farm_config(1, tmp_path / "outbox")  # nothing is sent in these tests
    return open_submit_dialog(qtbot, comp_scene(shot), config, artist)


def preview_text(dialog: SubmitDialog) -> str:
    return dialog.preview.text.toPlainText()


def type_in_cell(qtbot, dialog: SubmitDialog, row: int, column: int, text: str) -> None:
    """Edit a table cell the way the artist does: open its editor, type, press Enter."""
    view = dialog.targets.view
    index = dialog.model.index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    # Closed editors linger until deleted later: the open one is the visible one.
    (editor,) = [e for e in view.viewport().findChildren(QtWidgets.QLineEdit) if e.isVisible()]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, QtCore.Qt.Key.Key_Return)
    with qtbot.waitSignal(editor.destroyed):  # Qt commits the edit, then drops the editor
        pass


def tick(dialog: SubmitDialog, row: int, ticked: bool) -> None:
    state = QtCore.Qt.CheckState.Checked if ticked else QtCore.Qt.CheckState.Unchecked
    dialog.model.setData(dialog.model.index(row, NAME), state, Role.CheckStateRole)


def test_the_dialog_opens_on_the_scene_with_the_preview_of_what_would_be_sent(dialog, shot):
    assert dialog.windowTitle() == "Submit to Afanasy - comp.nk"
    assert dialog.model.rowCount() == 3
    assert dialog.targets.count.text() == "2 of 3 targets ticked"
    assert dialog.preview.summary.text() == "40 frames in 40 tasks"
    text = preview_text(dialog)
    copy = dialog.submission.scene_copies[0]
    assert 'Block "precomp": frames 1-20, 20 frames in 20 tasks' in text
    assert f"task 1: fakerender -X precomp -F 1-1x1 '{copy}'" in text  # frames filled in
    assert "waits for blocks: ^(?:precomp)$" in text
    assert f"writes {shot / 'out' / 'comp.@####@.exr'}" in text
    assert dialog.submit_button.isEnabled()
    assert dialog.reason.text() == ""


def test_ticking_a_target_adds_its_block_to_the_preview_once_the_artist_pauses(dialog, qtbot):
    tick(dialog, 2, True)
    assert dialog.targets.count.text() == "3 of 3 targets ticked"
    assert dialog.preview.summary.text() == "40 frames in 40 tasks"  # debounced: not yet
    qtbot.waitUntil(lambda: dialog.preview.summary.text() == "50 frames in 50 tasks")
    assert 'Block "slap": frames 1-10' in preview_text(dialog)
    tick(dialog, 0, False)
    qtbot.waitUntil(lambda: 'Block "precomp"' not in preview_text(dialog))
    assert dialog.preview.summary.text() == "30 frames in 30 tasks"


def test_a_range_and_frames_per_task_typed_in_the_table_change_the_tasks(dialog, qtbot):
    type_in_cell(qtbot, dialog, 1, FRAMES, "1-10")
    type_in_cell(qtbot, dialog, 1, PER_TASK, "x5")  # the cell takes digits only
    assert dialog.model.data(dialog.model.index(1, PER_TASK)) == "5"
    qtbot.waitUntil(
        lambda: 'Block "comp": frames 1-10, 10 frames in 2 tasks' in preview_text(dialog)
    )
    assert "task 6-10: fakerender -X comp -F 6-10x1" in preview_text(dialog)
    assert dialog.preview.summary.text() == "30 frames in 22 tasks"


def test_job_wide_frames_per_task_typed_in_the_form_reaches_every_block(dialog, qtbot):
    field = dialog.form.editor("frames_per_task")
    field.selectAll()
    qtbot.keyClicks(field, "10")
    qtbot.waitUntil(lambda: dialog.preview.summary.text() == "40 frames in 4 tasks")
    assert dialog.model.data(dialog.model.index(0, PER_TASK)) == "10"
    assert dialog.submission.jobs[0].blocks[0].frames_per_task == 10


def test_an_invalid_mask_disables_submit_at_once_and_says_why(dialog, qtbot):
    field = dialog.form.editor("hosts_mask")
    qtbot.keyClicks(field, "render(0")
    assert not dialog.submit_button.isEnabled()  # as typed, before the jobs are rebuilt
    assert dialog.reason.text().startswith("Cannot submit: Hosts mask: 'render(0' is not a valid")
    assert "not a valid regular expression" in dialog.form.error_text("hosts_mask")
    qtbot.keyClicks(field, ")")
    assert dialog.submit_button.isEnabled()
    assert dialog.form.error_text("hosts_mask") == ""
    qtbot.waitUntil(lambda: dialog.submission.jobs[0].hosts_mask == "render(0)")


def test_with_no_target_ticked_there_is_nothing_to_send_and_submit_says_so(dialog, qtbot):
    qtbot.mouseClick(dialog.targets.findChildren(QtWidgets.QPushButton)[1], QtCore.Qt.LeftButton)
    dialog.refresh()
    assert dialog.targets.count.text() == "0 of 3 targets ticked"
    assert not dialog.submit_button.isEnabled()
    assert dialog.reason.text() == "Cannot submit: No target is selected; tick one to render."
    assert dialog.preview.summary.text() == "Nothing to send"
    assert "No target is selected" in preview_text(dialog)
    assert not dialog.preview.save_button.isEnabled()


def test_a_bad_range_in_a_cell_is_marked_there_and_blocks_submit(dialog, qtbot):
    type_in_cell(qtbot, dialog, 0, FRAMES, "1-x")
    dialog.refresh()
    cell = dialog.model.index(0, FRAMES)
    assert "expected a number" in dialog.model.data(cell, Role.ToolTipRole)
    assert dialog.model.data(cell, Role.BackgroundRole) is not None
    assert not dialog.submit_button.isEnabled()
    assert (
        dialog.reason.text()
        == 'Cannot submit: precomp frames: "1-x": expected a number at column 3'
    )


def test_a_locked_setting_shows_the_sites_value_read_only(qtbot, shot, tmp_path):
    config = farm_config(1, tmp_path / "outbox", submit={"priority": 40, "locked": ["priority"]})
    dialog = open_submit_dialog(qtbot, comp_scene(shot), config)
    assert dialog.form.editor("priority").text() == "40"
    assert not dialog.form.editor("priority").isEnabled()
    assert dialog.submission.jobs[0].priority == 40


def test_checks_are_listed_and_an_unsaved_scene_is_asked_about_not_refused(qtbot, shot, tmp_path):
    dialog = open_submit_dialog(qtbot, comp_scene(shot, modified=True), farm_config(1, tmp_path))
    assert dialog.details.tabText(1) == "Checks (1)"
    assert dialog.checks.item(0).text().startswith("The scene has unsaved changes.")
    assert dialog.submit_button.isEnabled()  # Submit asks: save or cancel


def test_the_job_json_is_saved_to_a_file_as_it_will_be_sent(dialog, artist, tmp_path):
    artist.export_path = str(tmp_path / "comp.json")
    dialog.preview.save_button.click()
    assert artist.asked == [
        ("save_path", str(Path(dialog.submission.scene_path).parent / "comp.json"))
    ]
    saved = json.loads((tmp_path / "comp.json").read_text("utf-8"))
    assert saved == dialog.submission.jobs[0].to_dict()
    assert dialog.preview.status.text() == f"Saved {tmp_path / 'comp.json'}"


def test_separate_jobs_are_saved_one_file_each_and_copied_as_a_list(dialog, artist, tmp_path):
    dialog.form.editor("separate_jobs").setChecked(True)
    dialog.refresh()
    artist.export_path = str(tmp_path / "shot.json")
    dialog.preview.save_button.click()
    documents = [json.loads((tmp_path / f"shot.{n}.json").read_text("utf-8")) for n in (1, 2)]
    assert documents == [job.to_dict() for job in dialog.submission.jobs]
    dialog.preview.copy_button.click()
    assert json.loads(QtWidgets.QApplication.clipboard().text()) == documents
    assert dialog.preview.status.text() == "Copied 2 jobs as a list to the clipboard."


def test_cancelling_the_file_chooser_writes_nothing(dialog, artist, tmp_path):
    dialog.preview.save_button.click()
    assert artist.questions() == ["save_path"]
    assert dialog.preview.status.text() == ""
