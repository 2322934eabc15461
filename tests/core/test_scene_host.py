"""Scene snapshots replay from JSON; hosts register with a clear error when incomplete."""

from __future__ import annotations

from typing import Optional

import pytest

from afcore.host import Host, get_host, register_host
from afcore.scene import RenderTarget, SceneSnapshot


def stereo_snapshot() -> SceneSnapshot:
    target = RenderTarget(
        "comp",
        kind="Write",
        frames="1-50",
        outputs=["out/comp_left.@####@.exr", "out/comp_right.@####@.exr"],
        views=["left", "right"],
        depends_on=["precomp"],
        data={"proxy": False},
    )
    return SceneSnapshot("/shots/a b/comp.nk", "nuke", "15.1", "1-50", 25.0, [target])


def test_snapshot_survives_a_json_file_round_trip(tmp_path):
    path = tmp_path / "snapshot.json"
    stereo_snapshot().save(path)
    assert SceneSnapshot.load(path) == stereo_snapshot()


def test_snapshot_from_a_newer_recording_ignores_unknown_keys():
    data = stereo_snapshot().to_dict()
    data["future_key"] = 1
    data["targets"][0]["future_target_key"] = 2
    assert SceneSnapshot.from_dict(data) == stereo_snapshot()


def test_missing_target_names_the_ones_there_are():
    with pytest.raises(KeyError, match="targets: comp"):
        stereo_snapshot().target("Write9")


class IncompleteHost(Host):
    name = "broken"

    def collect(self) -> SceneSnapshot:
        return SceneSnapshot()


class MemoryHost(IncompleteHost):
    name = "memory"

    def scene_path(self) -> Optional[str]:
        return None

    def is_modified(self) -> bool:
        return False

    def save_scene(self) -> None:
        pass

    def save_copy(self, path: str) -> None:
        pass

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        return ["render", target.name, scene_copy]


def test_registering_an_incomplete_host_names_what_is_missing():
    with pytest.raises(TypeError, match="lacks required method.*is_modified.*render_command"):
        register_host("broken", IncompleteHost)


def test_registered_host_is_found_and_unknown_names_are_listed():
    register_host("memory", MemoryHost)
    assert get_host("memory").render_command(RenderTarget("w"), "s.nk") == ["render", "w", "s.nk"]
    with pytest.raises(KeyError, match="known: .*memory"):
        get_host("nope")
