"""open_dialog inside a DCC (parented, returns at once), standalone, and from ``afsubmit --gui``."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from Qt import QtCompat, QtWidgets

from afcore.cli import afsubmit
from afcore.ui import open_dialog
from afcore.ui.dialog import SubmitDialog
from ui.dialog_fixtures import comp_scene, make_shot

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_SCRIPT = ROOT / "examples" / "nuke" / "sh010_comp_v003.nk"


class HostWithWindow:
    """Mixes a DCC main window into a host, as Maya's and Nuke's hosts give theirs."""

    def __init__(self, window: QtWidgets.QWidget) -> None:
        self.window = window

    def __call__(self) -> QtWidgets.QWidget:
        return self.window


def shown_dialogs() -> list[SubmitDialog]:
    windows = QtWidgets.QApplication.topLevelWidgets()
    return [w for w in windows if isinstance(w, SubmitDialog) and w.isVisible()]


@pytest.fixture
def shot(tmp_path: Path) -> Path:
    return make_shot(tmp_path / "sh 010")


def test_inside_a_dcc_the_dialog_is_parented_to_its_main_window(qtbot, shot):
    main_window = QtWidgets.QMainWindow()
    qtbot.addWidget(main_window)
    host = comp_scene(shot)
    host.parent_window = HostWithWindow(main_window)
    dialog = open_dialog(host)
    assert dialog.parent() is main_window
    assert dialog.isVisible() and not dialog.isModal()  # the DCC stays usable
    other = QtWidgets.QWidget()
    qtbot.addWidget(other)
    second = open_dialog(host, parent=other)
    assert second.parent() is other
    for shown in (dialog, second):
        shown.close()


def test_a_dialog_without_a_parent_stays_open_when_the_caller_drops_it(qtbot, shot):
    open_dialog(comp_scene(shot))  # what a DCC menu command does: no reference kept
    gc.collect()
    (dialog,) = shown_dialogs()
    dialog.close()
    qtbot.waitUntil(lambda: not QtCompat.isValid(dialog))  # deleted: no closed dialog piles up


def test_afsubmit_gui_opens_the_dialog_on_a_scene_read_without_its_dcc(qapp):
    assert afsubmit.main(["--gui", str(EXAMPLE_SCRIPT)]) == 0
    (dialog,) = shown_dialogs()
    try:
        names = [dialog.model.target(row).name for row in range(dialog.model.rowCount())]
        assert names[:2] == ["Write_precomp", "Write_comp"]
        assert dialog.submission.scene_path == str(EXAMPLE_SCRIPT)
    finally:
        dialog.close()


def run_python(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests"), str(ROOT)])
    return subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )


def test_importing_afcore_ui_imports_no_qt(tmp_path):
    code = "import sys, afcore.ui; print(sorted({'Qt', 'PySide6', 'PySide2'} & set(sys.modules)))"
    done = run_python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


STANDALONE = """
import json, sys
from pathlib import Path
from Qt import QtCore, QtWidgets
from ui.dialog_fixtures import comp_scene, make_shot
from afcore.ui import dialog as module, open_dialog

seen = []
shown = module.SubmitDialog.showEvent

def show_then_close(self, event):  # the artist closes the dialog once it is up
    seen.append(QtWidgets.QApplication.instance() is not None)
    QtCore.QTimer.singleShot(0, self.reject)
    shown(self, event)

module.SubmitDialog.showEvent = show_then_close
assert QtWidgets.QApplication.instance() is None
dialog = open_dialog(comp_scene(make_shot(Path("shot"))))
print(json.dumps({"seen": seen, "visible": dialog.isVisible(), "result": dialog.result()}))
"""


def test_standalone_it_makes_an_application_and_returns_once_the_dialog_is_closed(tmp_path):
    done = run_python(STANDALONE, tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"seen": [True], "visible": False, "result": 0}
