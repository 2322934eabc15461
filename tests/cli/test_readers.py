"""afsubmit finds a scene reader by file extension through installed entry points."""

from __future__ import annotations

import sys
import textwrap

import pytest

from afcore.cli.readers import GROUP, UnknownSceneType, reader_for, registered


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """A tiny distribution on sys.path registering readers, like a pip-installed plugin."""
    dist = tmp_path / "toy_reader-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-reader\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        f"[{GROUP}]\n"
        "toy = toy_reader:open_host\n"
        "broken = toy_reader_missing_module:open_host\n"
        "value = toy_reader:NOT_A_FUNCTION\n"
    )
    (tmp_path / "toy_reader.py").write_text(
        textwrap.dedent(
            """
            NOT_A_FUNCTION = 42

            def open_host(path):
                return ("host for", path)
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    sys.modules.pop("toy_reader", None)


def test_the_project_declares_nuke_and_blender_readers():
    assert {"nk", "blend"} <= set(registered())


def test_reader_is_found_by_extension_case_insensitively(installed_plugin):
    reader = reader_for("/shots/a/Scene.TOY")
    assert reader("/shots/a/Scene.TOY") == ("host for", "/shots/a/Scene.TOY")


def test_unknown_extension_lists_the_known_ones(installed_plugin):
    with pytest.raises(UnknownSceneType) as caught:
        reader_for("shot.xyz")
    message = str(caught.value)
    assert "No scene reader for '.xyz' files (shot.xyz)" in message
    assert ".nk" in message and ".blend" in message and ".toy" in message
    assert 'afsubmit --cmd "..."' in message


def test_file_without_extension_is_explained():
    with pytest.raises(UnknownSceneType, match="files without an extension"):
        reader_for("/shots/a/scene")


def test_reader_whose_module_is_missing_names_the_entry_point(installed_plugin):
    with pytest.raises(UnknownSceneType) as caught:
        reader_for("x.broken")
    message = str(caught.value)
    assert "toy_reader_missing_module:open_host" in message
    assert "ModuleNotFoundError" in message


def test_reader_that_is_not_callable_is_refused(installed_plugin):
    with pytest.raises(UnknownSceneType, match=r"not callable.*\(path\) -> afcore.host.Host"):
        reader_for("x.value")
