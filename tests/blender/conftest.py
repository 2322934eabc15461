"""Fixtures for the tests that run real Blender (the ``bpy`` module from PyPI).

``bpy`` is imported once per pytest process (it takes about a second); each test starts
from Blender's factory scene instead of a new process.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_DIR = ROOT / "plugins" / "blender"
#: The script that makes the example scene the README submits.
EXAMPLE = ROOT / "examples" / "blender" / "make_example.py"


@pytest.fixture
def bpy() -> Any:
    """Blender with its factory startup scene (a cube, a light, a camera; EEVEE)."""
    module = pytest.importorskip("bpy")
    module.ops.wm.read_factory_settings(use_empty=False)
    return module


@pytest.fixture
def saved_scene(bpy: Any, tmp_path: Path) -> Path:
    """The factory scene saved as ``shot 010.blend`` in a folder with a space in its name."""
    path = tmp_path / "my shots" / "shot 010.blend"
    path.parent.mkdir()
    bpy.ops.wm.save_as_mainfile(filepath=str(path))
    return path


@pytest.fixture
def addon(bpy: Any) -> Iterator[Any]:
    """The add-on registered as Blender registers it, and unregistered afterwards."""
    import afanasy_blender

    afanasy_blender.register()
    yield afanasy_blender
    afanasy_blender.unregister()


@pytest.fixture
def plugin_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let child Pythons (a devserver worker running the bpy stand-in) import the add-on."""
    monkeypatch.setenv("PYTHONPATH", str(PLUGIN_DIR))


@pytest.fixture
def site_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """``site_config(yaml_text)``: make that the site's config file for this test."""

    def write(text: str) -> Path:
        path = tmp_path / "site.yaml"
        path.write_text(text, "utf-8")
        monkeypatch.setenv("AFCORE_SITE_CONFIG", str(path))
        return path

    return write


@pytest.fixture
def tiny_scene(bpy: Any, tmp_path: Path) -> Path:
    """The example scene, saved in a folder with a space: a few pixels, three Cycles frames."""
    spec = importlib.util.spec_from_file_location("make_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    return example.make_scene(tmp_path / "tiny scene" / "tiny_cycles.blend")
