"""What Nuke runs at start-up (menu.py, init.py) and the per-artist install of the plug-in."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from afanasy_nuke.install import PLUGIN_DIR, install, plugin_line

MENU = PLUGIN_DIR / "menu.py"
FAKES = Path(__file__).resolve().parents[1] / "fakes"


def test_menu_adds_submit_to_the_render_menu_with_a_shortcut_and_an_afanasy_menu(
    nuke: ModuleType,
) -> None:
    runpy.run_path(str(MENU))

    menubar = nuke.menu("Nuke")
    render = menubar.findItem("Render/Submit to Afanasy...")
    own = menubar.findItem("Afanasy/Submit to Afanasy...")
    assert render is not None and own is not None
    assert render.shortcut() == "F12"
    assert render.script() == "import afanasy_nuke; afanasy_nuke.submit()"
    assert own.script() == render.script()
    assert menubar.findItem("Render/Render All...") is not None  # Nuke's own items stay


def test_menu_py_imports_nothing_but_nuke() -> None:
    """Run in a fresh interpreter where all of them could be imported: none of them is."""
    probe = (
        "import runpy, sys, json; before = set(sys.modules);"
        f"runpy.run_path({str(MENU)!r});"
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": os.pathsep.join(map(str, (FAKES, PLUGIN_DIR, PLUGIN_DIR.parents[1])))},
    )

    loaded = json.loads(result.stdout)
    assert "nuke" in loaded
    heavy = ("afcore", "afanasy_nuke", "Qt", "PySide6", "PySide2")
    assert [module for module in loaded if module.split(".")[0] in heavy] == []


def test_a_failing_menu_only_prints_a_line(
    nuke: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_menus(name: str) -> None:
        raise RuntimeError("no menu bar in this Nuke")

    monkeypatch.setattr(nuke, "menu", no_menus)

    runpy.run_path(str(MENU))

    assert nuke.messages == [
        (
            "tprint",
            "Afanasy: could not add the Submit to Afanasy menu items: no menu bar in this Nuke",
        )
    ]


def test_init_py_does_nothing_on_render_nodes(nuke: ModuleType) -> None:
    namespace = runpy.run_path(str(PLUGIN_DIR / "init.py"))

    assert {name for name in namespace if not name.startswith("__")} == set()


# --- install --------------------------------------------------------------------------------------


def test_install_adds_the_plugin_to_the_artists_init_py(nuke: ModuleType, tmp_path: Path) -> None:
    init = install(tmp_path)

    assert init == tmp_path / ".nuke" / "init.py"
    runpy.run_path(str(init))
    assert nuke.plugin_paths == [str(PLUGIN_DIR)]


def test_install_keeps_what_the_artist_wrote_and_adds_itself_once(tmp_path: Path) -> None:
    init = tmp_path / ".nuke" / "init.py"
    init.parent.mkdir()
    init.write_text("import nuke\nnuke.pluginAddPath('/studio/tools')")  # no final newline

    install(tmp_path)
    once = init.read_text()
    install(tmp_path)

    assert init.read_text() == once
    assert once.startswith("import nuke\nnuke.pluginAddPath('/studio/tools')\n")
    assert once.count(plugin_line()) == 1
    assert once.endswith(f"{plugin_line()}\n")


def test_install_defaults_to_the_artists_home(isolated_environment: Path) -> None:
    assert install() == isolated_environment / ".nuke" / "init.py"
    assert plugin_line() in (isolated_environment / ".nuke" / "init.py").read_text()


def test_the_plugin_line_survives_any_path() -> None:
    odd = Path('/shows/it\'s "odd"/plugins/nuke')

    assert plugin_line(odd) == f"nuke.pluginAddPath({str(odd)!r})"
    assert eval(plugin_line(odd).replace("nuke.pluginAddPath", "str")) == str(odd)


def test_clicking_without_the_dialogs_dependencies_says_what_is_missing(
    nuke: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "afcore.ui", None)  # as if Qt.py were not installed
    runpy.run_path(str(MENU))

    nuke.menu("Nuke").findItem("Render/Submit to Afanasy...").invoke()

    ((kind, text),) = nuke.messages
    assert kind == "message"
    assert text.startswith("Afanasy cannot open its submit dialog: import of afcore.ui halted")
    assert "see docs/nuke.md" in text
