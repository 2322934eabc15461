"""``afcmd install DCC`` runs the plug-in's own installer for the current user."""

from __future__ import annotations

from pathlib import Path

from afcore.cli.afcmd import main


def test_install_nuke_adds_the_plugin_path_to_the_users_init_py(isolated_environment, capsys):
    init = Path(isolated_environment) / ".nuke" / "init.py"
    init.parent.mkdir()
    init.write_text("import studio_tools\n", encoding="utf-8")
    assert main(["install", "nuke"]) == 0
    assert main(["install", "nuke"]) == 0  # a second time adds nothing
    text = init.read_text(encoding="utf-8")
    assert text.startswith("import studio_tools\n")
    assert text.count("pluginAddPath") == 1 and "plugins/nuke" in text.replace("\\", "/")
    assert capsys.readouterr().out.splitlines() == [f"nuke: {init}"] * 2


def test_install_maya_writes_a_module_file(isolated_environment, capsys):
    assert main(["install", "maya"]) == 0
    module = Path(capsys.readouterr().out.split(": ", 1)[1].strip())
    assert module.parent.parent == Path(isolated_environment) / "maya"
    assert "afanasy" in module.read_text(encoding="utf-8")


def test_houdini_without_a_user_folder_says_what_to_do(capsys):
    assert main(["install", "houdini"]) == 1
    error = capsys.readouterr().err
    assert "Could not install the houdini plug-in" in error and "Houdini" in error


def test_an_unknown_dcc_lists_the_known_ones(capsys):
    assert main(["install", "katana"]) == 1
    assert "blender, houdini, maya, nuke" in capsys.readouterr().err.replace("'", "")
