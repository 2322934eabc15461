"""A fresh fake Maya session for every test that asks for one (tests/fakes/maya)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

FAKES = Path(__file__).resolve().parents[1] / "fakes"
PLUGIN_FOLDER = Path(__file__).resolve().parents[2] / "plugins" / "maya" / "plug-ins"


def _forget_maya() -> None:
    for name in [n for n in sys.modules if n == "maya" or n.startswith("maya.")]:
        del sys.modules[name]


@pytest.fixture
def cmds(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """``maya.cmds`` of a new interactive Maya: an empty scene, the default project, no plug-ins."""
    monkeypatch.syspath_prepend(str(FAKES))
    monkeypatch.setenv("MAYA_PLUG_IN_PATH", str(PLUGIN_FOLDER))
    _forget_maya()
    from maya import cmds

    yield cmds
    _forget_maya()


@pytest.fixture
def render_setup(cmds: ModuleType) -> ModuleType:
    """``maya.app.renderSetup.model.renderSetup`` of the same session."""
    from maya.app.renderSetup.model import renderSetup

    return renderSetup
