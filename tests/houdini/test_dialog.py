"""The artist's way: the shelf tool, the dialog over Houdini's main window, Submit, a job sent."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import pytest

from afanasy_houdini.install import PACKAGE_ROOT
from afcore.devserver import DevServer
from ui.dialog_fixtures import submit_and_fetch_job

pytest_plugins = ["devserver_fixture"]


def click_shelf_tool() -> None:
    (tool,) = ElementTree.parse(PACKAGE_ROOT / "toolbar" / "afanasy.shelf").getroot().iter("tool")
    exec(tool.findtext("script") or "", {})


def test_the_shelf_tool_opens_the_dialog_over_houdini_and_submits_the_selected_chain(
    hou: ModuleType,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    devserver_factory: Callable[..., DevServer],
) -> None:
    from afcore.ui.dialog import SubmitDialog

    server = devserver_factory(workers=0)
    monkeypatch.setenv("AF_SERVERNAME", f"127.0.0.1:{server.port}")
    out = hou.node("/out")
    cache = out.createNode("geometry", "cache")
    beauty = out.createNode("ifd", "beauty")
    beauty.setInput(0, cache)
    out.createNode("opengl", "flipbook")
    for node in (cache, beauty):
        node.setParms({"trange": 1, "f1": 1, "f2": 10})
    beauty.setSelected(True)
    (tmp_path / "render").mkdir()
    (tmp_path / "geo").mkdir()
    hou.hipFile.save(str(tmp_path / "fx.hip"))

    click_shelf_tool()

    (dialog,) = hou.qt.mainWindow().findChildren(SubmitDialog)
    assert {t.name: t.selected for t in dialog.submission.snapshot.targets} == {
        "/out/cache": True,
        "/out/beauty": True,
        "/out/flipbook": False,
    }
    assert dialog.submit_button.isEnabled(), dialog.reasons()
    job = submit_and_fetch_job(qtbot, dialog, server.port)
    assert [(b["name"], b["service"]) for b in job["blocks"]] == [
        ("/out/cache", "hbatch"),
        ("/out/beauty", "hbatch_mantra"),
    ]
    assert hou.hipFile.path() == str(tmp_path / "fx.hip")
    dialog.close()


def test_without_qt_py_the_click_says_what_to_install(
    hou: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "Qt", None)  # what Houdini's Python without Qt.py does
    hou.hipFile.save("fx.hip")

    click_shelf_tool()

    assert capsys.readouterr().out == (
        "[Houdini Error dialog] The Afanasy submitter needs the Python module Qt, which "
        "Houdini's Python cannot import. Install what it needs with:\n"
        "hython -m pip install --user Qt.py PyYAML\n"
    )
