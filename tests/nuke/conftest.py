"""The fake ``nuke`` module, loaded fresh for every test that asks for it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

FAKE_NUKE = Path(__file__).resolve().parents[1] / "fakes" / "nuke" / "__init__.py"


@pytest.fixture
def nuke(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A new Nuke session as ``sys.modules["nuke"]``: no nodes, no name, one "main" view."""
    spec = importlib.util.spec_from_file_location("nuke", FAKE_NUKE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "nuke", module)
    spec.loader.exec_module(module)
    return module
