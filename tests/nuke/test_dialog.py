"""The shared submit dialog in Nuke: opened from the menu over Nuke's main window, and sending."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import pytest
from Qt import QtWidgets

from afanasy_nuke.host import MAIN_WINDOW_NAME, NukeHost
from afanasy_nuke.install import PLUGIN_DIR
from afcore.devserver import DevServer
from afcore.settings import SettingsStore
from afcore.ui.dialog import SubmitDialog
from ui.dialog_fixtures import ScriptedArtist, farm_config, submit_and_wait

pytest_plugins = ["devserver_fixture"]


@pytest.fixture
def main_window(qtbot: Any) -> QtWidgets.QMainWindow:
    """Nuke's main window, as Qt sees it inside Nuke."""
    window = QtWidgets.QMainWindow()
    window.setObjectName(MAIN_WINDOW_NAME)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def script(nuke: ModuleType, tmp_path: Path) -> Path:
    """A saved script with a selected precomp Write and a comp Write in a group."""
    (tmp_path / "render").mkdir()
    nuke.root()["last_frame"].setValue(10)
    nuke.nodes.Write(name="precomp", file="render/pre.####.exr").setSelected(True)
    with nuke.nodes.Group(name="Comp"):
        nuke.nodes.Write(name="out", file="render/comp.####.exr")
    path = tmp_path / "comp.nk"
    nuke.root()["name"].setValue(str(path))
    nuke.scriptSave()
    return path


def test_the_menu_opens_the_dialog_on_the_script_over_nukes_main_window(
    nuke: ModuleType, script: Path, main_window: QtWidgets.QMainWindow
) -> None:
    runpy.run_path(str(PLUGIN_DIR / "menu.py"))

    nuke.menu("Nuke").findItem("Render/Submit to Afanasy...").invoke()

    (dialog,) = main_window.findChildren(SubmitDialog)
    assert dialog.isVisible() and dialog.parent() is main_window
    assert dialog.submission.scene_path == str(script)
    assert {t.name: t.selected for t in dialog.submission.snapshot.targets} == {
        "precomp": True,
        "Comp.out": False,
    }
    dialog.close()


def test_submitting_from_the_dialog_saves_only_on_yes_and_leaves_the_script_in_place(
    qtbot: Any,
    nuke: ModuleType,
    script: Path,
    main_window: QtWidgets.QMainWindow,
    tmp_path: Path,
    devserver_factory: Callable[..., DevServer],
) -> None:
    nuke.nodes.Grade()  # an unsaved change: the dialog asks, the artist says save
    farm = devserver_factory(workers=0)
    artist = ScriptedArtist(save=True)
    store = SettingsStore(tmp_path / "settings.json", tmp_path / "scenes")
    dialog = SubmitDialog(
        NukeHost(),
        farm_config(farm.port, tmp_path / "outbox"),
        store=store,
        prompts=artist,
        parent=main_window,
    )

    (delivery,) = submit_and_wait(qtbot, dialog)

    assert delivery.sent, str(delivery)
    assert artist.questions() == ["save_scene"]
    assert (nuke.scriptName(), nuke.modified()) == (str(script), False)
    assert Path(delivery.scene_copy).read_text() == script.read_text() == "# fake Nuke script: 4\n"
    dialog.close()
