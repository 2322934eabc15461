"""Installing the Maya module for a user, and the module file shipped in plugins/maya."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from afanasy_maya.install import install, maya_app_dir, module_text

MODULE = Path(__file__).resolve().parents[2] / "plugins" / "maya"
TOP = MODULE.parents[1]


def read_module_file(path: Path) -> tuple[Path, list[str]]:
    """The module's folder (relative to the file, as Maya resolves it) and its Python paths."""
    lines = path.read_text("utf-8").splitlines()
    plus, name, version, folder = lines[0].split(" ", 3)
    assert (plus, name, version) == ("+", "afanasy", "0.1.0")
    root = (path.parent / folder).resolve()
    paths = []
    for line in lines[1:]:
        variable, _, value = line.partition("+")
        assert variable == "PYTHONPATH"
        # "+:=" appends a path relative to the module's folder, "+=" an absolute one.
        paths.append(str((root / value[2:]).resolve()) if value.startswith(":=") else value[1:])
    return root, paths


def test_install_writes_a_module_file_maya_reads_at_start(tmp_path: Path) -> None:
    path = install(home=tmp_path)

    assert path == tmp_path / "maya" / "modules" / "afanasy.mod"
    root, python_paths = read_module_file(path)
    assert (root / "plug-ins" / "afanasy_plugin.py").is_file()
    assert python_paths == [str(TOP)]
    assert (TOP / "afcore" / "__init__.py").is_file()


def test_installing_again_changes_nothing_and_a_moved_checkout_is_updated(tmp_path: Path) -> None:
    path = install(home=tmp_path)
    os.utime(path, (0, 0))

    assert install(home=tmp_path) == path
    assert path.stat().st_mtime == 0

    path.write_text(module_text(Path("/old/checkout/plugins/maya"), Path("/old/checkout")))
    install(home=tmp_path)
    assert read_module_file(path)[0] == MODULE


def test_maya_app_dir_is_honoured_when_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAYA_APP_DIR", str(tmp_path / "studio maya prefs"))

    assert install() == tmp_path / "studio maya prefs" / "modules" / "afanasy.mod"


@pytest.mark.parametrize(
    ("platform", "folder"),
    [
        ("linux", "maya"),
        ("darwin", "Library/Preferences/Autodesk/maya"),
        ("win32", "Documents/maya"),
    ],
)
def test_mayas_default_user_folder_per_platform(platform: str, folder: str) -> None:
    assert maya_app_dir("/home/a", env={}, platform=platform) == Path("/home/a", folder)


def test_the_documented_one_liner_installs(tmp_path: Path) -> None:
    env = {**os.environ, "MAYA_APP_DIR": str(tmp_path)}
    script = MODULE / "scripts" / "afanasy_maya" / "install.py"

    result = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, check=True
    )

    assert (tmp_path / "modules" / "afanasy.mod").is_file()
    assert "Plug-in Manager" in result.stdout


def test_the_shipped_module_file_points_inside_the_checkout() -> None:
    root, python_paths = read_module_file(MODULE / "afanasy.mod")

    assert root == MODULE
    assert python_paths == [str(TOP)]
