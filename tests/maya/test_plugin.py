"""Loading the Afanasy plug-in: the shelf button and the menu, once, only where there is a UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from afanasy_maya import ui

PLUGIN = "afanasy_plugin.py"
MODULE = Path(__file__).resolve().parents[2] / "plugins" / "maya"
FAKES = Path(__file__).resolve().parents[1] / "fakes"


def shelf_tabs(cmds: ModuleType) -> list[str]:
    return cmds.shelfTabLayout("ShelfLayout", query=True, childArray=True) or []


def afanasy_buttons(cmds: ModuleType) -> list[str]:
    """Every button labelled Afanasy on every shelf."""
    return [
        button
        for shelf in shelf_tabs(cmds)
        for button in cmds.shelfLayout(shelf, query=True, childArray=True) or []
        if cmds.shelfButton(button, query=True, label=True) == "Afanasy"
    ]


def submit_items(cmds: ModuleType) -> list[str]:
    if not cmds.menu(ui.MENU, exists=True):
        return []
    items = cmds.menu(ui.MENU, query=True, itemArray=True) or []
    return [i for i in items if cmds.menuItem(i, query=True, label=True) == "Submit to Afanasy..."]


def test_loading_adds_an_afanasy_shelf_button_and_a_submit_menu_item(cmds: ModuleType) -> None:
    assert cmds.loadPlugin(PLUGIN) == ["afanasy_plugin"]

    (button,) = afanasy_buttons(cmds)
    assert cmds.shelfButton(button, query=True, sourceType=True) == "python"
    assert "open_submitter()" in cmds.shelfButton(button, query=True, command=True)
    assert cmds.menu(ui.MENU, query=True, label=True) == "Afanasy"
    assert len(submit_items(cmds)) == 1


def test_unloading_removes_both(cmds: ModuleType) -> None:
    cmds.loadPlugin(PLUGIN)

    cmds.unloadPlugin(PLUGIN)

    assert afanasy_buttons(cmds) == []
    assert "Afanasy" not in shelf_tabs(cmds)
    assert not cmds.menu(ui.MENU, exists=True)
    assert shelf_tabs(cmds) == ["Custom"]


def test_loading_again_does_not_duplicate_them(cmds: ModuleType) -> None:
    cmds.loadPlugin(PLUGIN)
    cmds.unloadPlugin(PLUGIN)
    cmds.loadPlugin(PLUGIN)
    ui.install()

    assert len(afanasy_buttons(cmds)) == 1
    assert shelf_tabs(cmds).count("Afanasy") == 1
    assert len(submit_items(cmds)) == 1


def test_a_shelf_maya_saved_at_the_last_exit_is_replaced_not_doubled(cmds: ModuleType) -> None:
    saved = cmds.shelfLayout("Afanasy", parent="ShelfLayout")
    cmds.shelfButton(parent=saved, label="Afanasy", command="print('old')", sourceType="python")

    cmds.loadPlugin(PLUGIN)

    (button,) = afanasy_buttons(cmds)
    assert "open_submitter()" in cmds.shelfButton(button, query=True, command=True)


def test_batch_mode_adds_nothing(cmds: ModuleType) -> None:
    from maya import standalone

    standalone.initialize()

    cmds.loadPlugin(PLUGIN)
    cmds.unloadPlugin(PLUGIN)

    assert not cmds.menu(ui.MENU, exists=True)
    assert not cmds.shelfLayout("Afanasy", exists=True)


def test_loading_imports_nothing_heavy() -> None:
    """In a new Python: load the plug-in, then list what got imported that only a click needs."""
    code = f"""
import sys
sys.path[:0] = [{str(FAKES)!r}, {str(MODULE / "scripts")!r}]
from maya import cmds
cmds.loadPlugin({str(MODULE / "plug-ins" / PLUGIN)!r})
assert cmds.menu("AfanasyMenu", exists=True)
heavy = ("Qt", "PySide", "shiboken", "afcore", "afanasy_maya.host", "afanasy_maya.layers", "yaml")
print(sorted(m for m in sys.modules if m.startswith(heavy + ("socket", "threading"))))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert result.stdout.strip() == "[]"


def test_a_click_without_the_dialogs_modules_says_what_to_install(
    cmds: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "afcore.ui", None)
    cmds.loadPlugin(PLUGIN)
    (button,) = afanasy_buttons(cmds)

    exec(cmds.shelfButton(button, query=True, command=True), {})

    warning = capsys.readouterr().err
    assert "needs the Python module 'afcore.ui'" in warning
    assert "mayapy -m pip install --user Qt.py PyYAML" in warning
