"""What Houdini reads at start-up: the package file, the shelf, the Render menu; the installer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from afanasy_houdini import install

PACKAGE = install.PACKAGE_ROOT
SUBMIT = "import afanasy_houdini\nafanasy_houdini.submit()"


def package_paths(document: dict, package_path: Path) -> dict[str, str]:
    """The package's variables and hpath as Houdini expands them for a .json in ``package_path``."""
    known = {"HOUDINI_PACKAGE_PATH": str(package_path)}
    for entry in document["env"]:
        for name, value in entry.items():
            text = value["value"] if isinstance(value, dict) else value
            for variable, expanded in known.items():
                text = text.replace(f"${variable}", expanded)
            known[name] = text
    hpath = document["hpath"]
    for variable, expanded in known.items():
        hpath = hpath.replace(f"${variable}", expanded)
    return {**known, "hpath": hpath}


def test_the_shipped_package_finds_the_shelf_the_menu_and_the_python_package() -> None:
    document = json.loads((PACKAGE / "packages" / "afanasy.json").read_text("utf-8"))

    paths = package_paths(document, PACKAGE / "packages")
    folder = Path(paths["hpath"]).resolve()

    assert folder == PACKAGE
    assert (folder / "toolbar" / "afanasy.shelf").is_file()
    assert (folder / "MainMenuCommon.xml").is_file()
    assert (Path(paths["PYTHONPATH"]) / "afanasy_houdini" / "__init__.py").is_file()
    assert document["env"][1]["PYTHONPATH"]["method"] == "prepend"


def test_the_shelf_tool_and_the_render_menu_item_open_the_submitter() -> None:
    shelf = ElementTree.parse(PACKAGE / "toolbar" / "afanasy.shelf").getroot()
    menu = ElementTree.parse(PACKAGE / "MainMenuCommon.xml").getroot()

    (tool,) = shelf.iter("tool")
    (item,) = menu.iter("scriptItem")
    render_menu = menu.find("./menuBar/subMenu[@id='render_menu']")

    assert tool.get("label") == "Submit to Afanasy"
    assert [m.get("name") for m in shelf.iter("memberTool")] == [tool.get("name")]
    assert (tool.findtext("script"), tool.find("script").get("scriptType")) == (SUBMIT, "python")
    assert render_menu is not None and item in list(render_menu)
    assert (item.findtext("label"), item.findtext("scriptCode")) == ("Submit to Afanasy...", SUBMIT)


def test_importing_the_plugin_loads_neither_houdini_qt_nor_the_dialog() -> None:
    code = (
        "import sys, afanasy_houdini\n"
        "heavy = ('hou', 'Qt', 'PySide6', 'afcore.ui', 'afcore.host', 'afanasy_houdini.host')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(PACKAGE / "python")}

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=60
    )

    assert (done.returncode, done.stdout, done.stderr) == (0, "[]\n", "")


# --- the installer -------------------------------------------------------------------------------


def test_install_points_every_houdini_versions_packages_at_this_checkout(tmp_path: Path) -> None:
    for version in ("houdini20.5", "houdini21.0", "not_houdini"):
        (tmp_path / version).mkdir()

    written = install.install(tmp_path)

    assert written == [
        tmp_path / "houdini20.5" / "packages" / "afanasy.json",
        tmp_path / "houdini21.0" / "packages" / "afanasy.json",
    ]
    document = json.loads(written[0].read_text("utf-8"))
    assert package_paths(document, tmp_path)["hpath"] == PACKAGE.as_posix()
    shipped = install.shipped_package()
    assert {k: v for k, v in document.items() if k != "env"} == {
        k: v for k, v in shipped.items() if k != "env"
    }
    assert document["env"][1:] == shipped["env"][1:]


def test_installing_again_changes_nothing_and_repairs_a_moved_checkout(tmp_path: Path) -> None:
    (tmp_path / "houdini20.5").mkdir()
    (path,) = install.install(tmp_path)
    first = path.read_text("utf-8")
    path.write_text(first.replace(PACKAGE.as_posix(), "/old/checkout/plugins/houdini"), "utf-8")

    install.install(tmp_path)
    stamp = path.stat().st_mtime_ns
    install.install(tmp_path)

    assert path.read_text("utf-8") == first
    assert path.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in path.parent.iterdir()) == ["afanasy.json"]


def test_without_a_houdini_user_folder_the_installer_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as raised:
        install.install(tmp_path)

    message = str(raised.value)
    assert "start Houdini once" in message
    assert f"HOUDINI_PACKAGE_DIR to {PACKAGE / 'packages'}" in message


@pytest.mark.parametrize(
    ("platform", "folders", "found"),
    [
        ("linux", ["houdini19.5", "houdini20.5", "houdini"], ["houdini19.5", "houdini20.5"]),
        ("win32", ["Documents/houdini20.5"], ["Documents/houdini20.5"]),
        ("darwin", ["Library/Preferences/houdini/20.5"], ["Library/Preferences/houdini/20.5"]),
    ],
)
def test_houdini_user_folders_are_found_where_each_platform_keeps_them(
    tmp_path: Path, platform: str, folders: list[str], found: list[str]
) -> None:
    for folder in folders:
        (tmp_path / folder).mkdir(parents=True)

    assert install.user_folders(tmp_path, platform) == [tmp_path / f for f in found]
