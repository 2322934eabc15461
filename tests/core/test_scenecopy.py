"""The farm's copy of a scene file: a faithful copy, and never a write onto the artist's file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from afcore.scenecopy import copy_scene_file


def test_the_copy_has_the_scene_bytes_and_the_scene_is_untouched(tmp_path: Path) -> None:
    scene = tmp_path / "shot 010" / "comp v2 'final' é.nk"
    scene.parent.mkdir()
    scene.write_bytes(b"Root {\n name comp.nk\n}\n\xff")
    before = scene.stat().st_mtime_ns

    copy_scene_file(str(scene), str(tmp_path / "shot 010" / "comp.20261123-200102.nk"))

    assert (tmp_path / "shot 010" / "comp.20261123-200102.nk").read_bytes() == scene.read_bytes()
    assert scene.read_bytes() == b"Root {\n name comp.nk\n}\n\xff"
    assert scene.stat().st_mtime_ns == before


@pytest.mark.parametrize("spelling", ["{dir}/fx.hip", "{dir}/./fx.hip", "{dir}/../{name}/fx.hip"])
def test_a_copy_onto_the_scene_itself_is_refused(tmp_path: Path, spelling: str) -> None:
    scene = tmp_path / "fx.hip"
    scene.write_text("the artist's work")
    target = spelling.format(dir=tmp_path, name=tmp_path.name)

    with pytest.raises(ValueError, match=r"Refusing to copy the scene .*fx\.hip onto itself"):
        copy_scene_file(str(scene), target)

    assert scene.read_text() == "the artist's work"


def test_a_copy_onto_a_link_to_the_scene_is_refused(tmp_path: Path) -> None:
    scene = tmp_path / "layout.ma"
    scene.write_text("the artist's work")
    os.symlink(scene, tmp_path / "layout.copy.ma")

    with pytest.raises(ValueError, match="onto itself"):
        copy_scene_file(str(scene), str(tmp_path / "layout.copy.ma"))

    assert scene.read_text() == "the artist's work"


def test_a_missing_scene_file_is_an_os_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="gone.hip"):
        copy_scene_file(str(tmp_path / "gone.hip"), str(tmp_path / "gone.1.hip"))
