"""The artist's way: shelf button, the dialog over Maya's main window, Submit, a job on the farm."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from afcore.devserver import DevServer
from ui.dialog_fixtures import submit_and_fetch_job

pytest_plugins = ["devserver_fixture"]

GLOBALS = "defaultRenderGlobals"


def lit_shot(cmds: ModuleType, project: Path) -> None:
    """A saved scene with a master layer and an Arnold layer, its output folders made."""
    cmds.workspace(str(project), openWorkspace=True)
    cmds.setAttr(f"{GLOBALS}.animation", True)
    cmds.setAttr(f"{GLOBALS}.imageFilePrefix", "<Scene>/<RenderLayer>", type="string")
    layer = cmds.createRenderLayer(name="chars", empty=True)
    cmds.editRenderLayerGlobals(currentRenderLayer=layer)
    cmds.editRenderLayerAdjustment(f"{GLOBALS}.currentRenderer")
    cmds.setAttr(f"{GLOBALS}.currentRenderer", "arnold", type="string")
    cmds.editRenderLayerGlobals(currentRenderLayer="defaultRenderLayer")
    (project / "scenes").mkdir(parents=True)
    (project / "images" / "shot").mkdir(parents=True)
    cmds.file(rename=str(project / "scenes" / "shot.ma"))
    cmds.file(save=True)


def click_shelf_button(cmds: ModuleType) -> None:
    (button,) = cmds.shelfLayout("Afanasy", query=True, childArray=True)
    exec(cmds.shelfButton(button, query=True, command=True), {})


def maya_main_window() -> Any:
    from Qt import QtCompat, QtWidgets

    from maya import OpenMayaUI

    return QtCompat.wrapInstance(int(OpenMayaUI.MQtUtil.mainWindow()), QtWidgets.QWidget)


def test_the_shelf_button_opens_the_dialog_over_maya_and_submits_the_layers(
    cmds: ModuleType,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    devserver_factory: Any,
) -> None:
    from afcore.ui.dialog import SubmitDialog

    server: DevServer = devserver_factory(workers=0)
    monkeypatch.setenv("AF_SERVERNAME", f"127.0.0.1:{server.port}")
    lit_shot(cmds, tmp_path / "project")
    cmds.loadPlugin("afanasy_plugin.py")

    click_shelf_button(cmds)

    (dialog,) = maya_main_window().findChildren(SubmitDialog)
    assert [t.name for t in dialog.submission.snapshot.targets] == ["masterLayer", "chars"]
    assert dialog.submit_button.isEnabled(), dialog.reasons()
    job = submit_and_fetch_job(qtbot, dialog, server.port)
    assert [(b["name"], b["service"]) for b in job["blocks"]] == [
        ("masterLayer", "maya"),
        ("chars", "maya_arnold"),
    ]
    dialog.close()
