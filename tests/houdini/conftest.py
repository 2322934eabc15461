"""A fresh fake Houdini session for every test that asks for one (tests/fakes/hou)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

FAKES = Path(__file__).resolve().parents[1] / "fakes"
FAKE_MODULES = ("hou", "hdefereval")


def _forget_houdini() -> None:
    for name in FAKE_MODULES:
        sys.modules.pop(name, None)


@pytest.fixture
def hou(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ModuleType]:
    """``hou`` of a new graphical session: empty /obj, /out and /stage, an unsaved untitled.hip.

    The session starts in the test's own folder, so untitled.hip and $HIP are there.
    """
    monkeypatch.syspath_prepend(str(FAKES))
    monkeypatch.chdir(tmp_path)
    _forget_houdini()
    import hou

    yield hou
    _forget_houdini()
