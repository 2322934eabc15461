"""A Host for the pipeline tests: a scene held in memory, saved to real files.

It implements the same interface the DCC hosts do, and keeps what a test
wants to see: how often the artist's scene was saved, which copies were
written. Its "scene" is a line of text, so a test can tell the artist's saved
file from the unsaved changes and from the farm's copy.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Optional

from afcore.frames import parse_frames
from afcore.host import Host
from afcore.scene import RenderTarget, SceneSnapshot


class FakeHost(Host):
    name = "fake"

    def __init__(
        self,
        snapshot: SceneSnapshot,
        content: str = "scene as saved",
        modified: bool = False,
        fail_copies: bool = False,
    ) -> None:
        self.snapshot = snapshot
        self.content = content
        self.modified = modified
        self.fail_copies = fail_copies
        self.saves = 0
        self.copies: list[str] = []

    def collect(self) -> SceneSnapshot:
        snapshot = copy.deepcopy(self.snapshot)
        snapshot.modified = self.modified
        return snapshot

    def scene_path(self) -> Optional[str]:
        return self.snapshot.scene_file or None

    def is_modified(self) -> bool:
        return self.modified

    def save_scene(self) -> None:
        Path(self.snapshot.scene_file).write_text(self.content, "utf-8")
        self.modified = False
        self.saves += 1

    def save_copy(self, path: str) -> None:
        Path(path).write_text(self.content, "utf-8")
        self.copies.append(path)
        if self.fail_copies and len(self.copies) > 1:
            raise OSError(28, "No space left on device")

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        (frames,) = parse_frames(target.frames)
        return ["fakerender", "-X", target.name, "-F", f"@#@-@#@x{frames.step}", scene_copy]


def write_scene(folder: Path, name: str = "comp.nk", content: str = "scene as saved") -> str:
    """An artist's scene file on disk; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(content, "utf-8")
    return str(path)


def snapshot_of(scene_file: str, *targets: RenderTarget) -> SceneSnapshot:
    return SceneSnapshot(scene_file, "fake", "1.0", "1-100", 24.0, list(targets))
