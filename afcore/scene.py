"""Host-neutral scene data: what a DCC's ``collect()`` returns.

Plain dataclasses that survive a JSON round trip, so that a snapshot recorded
in a real DCC can be replayed in tests without it. Frame ranges are kept as
text in the one frame grammar (:mod:`afcore.frames`), output paths in
Afanasy's ``@####@`` form.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Optional, Union


@dataclass
class RenderTarget:
    """One thing that can be rendered: a Write node, a render layer, a ROP, a view layer."""

    name: str
    kind: str = ""
    enabled: bool = True
    #: Ticked in the dialog when it opens (selected nodes, renderable layers).
    selected: bool = True
    #: Frames in the frame grammar: ``"1-100"``, ``"1-100x2"``, ``"1,5,10-20"``.
    frames: str = "1"
    #: Frames per task the host suggests; ``None`` leaves it to the settings.
    frames_per_task: Optional[int] = None
    #: Output file patterns in ``@####@`` form, one per view / layer / camera.
    outputs: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    cameras: list[str] = field(default_factory=list)
    renderer: str = ""
    #: Names of targets whose outputs this one reads.
    depends_on: list[str] = field(default_factory=list)
    service: str = "generic"
    parser: str = ""
    #: The whole range must run in one process (movie files, simulations).
    single_task: bool = False
    #: The DCC makes missing output folders itself (Blender does), so there is nothing to ask.
    creates_folders: bool = False
    #: Order the DCC would render in (Nuke render order, ROP order); lower first.
    order: int = 0
    #: Things the artist should know before submitting (unevaluated expressions, ...).
    warnings: list[str] = field(default_factory=list)
    #: What the host's farm module needs and no other module reads.
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class SceneSnapshot:
    """Everything a submission needs to know about an open (or read) scene."""

    scene_file: str = ""
    dcc: str = ""
    dcc_version: str = ""
    frames: str = "1"
    fps: float = 24.0
    targets: list[RenderTarget] = field(default_factory=list)
    #: Whether the scene has unsaved changes when it was read.
    modified: bool = False
    data: dict[str, Any] = field(default_factory=dict)

    def target(self, name: str) -> RenderTarget:
        for target in self.targets:
            if target.name == name:
                return target
        known = ", ".join(t.name for t in self.targets) or "none"
        raise KeyError(f"no target named {name!r} in the scene (targets: {known})")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SceneSnapshot:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        target_keys = {f.name for f in fields(RenderTarget)}
        values["targets"] = [
            RenderTarget(**{k: v for k, v in target.items() if k in target_keys})
            for target in data.get("targets", [])
        ]
        return cls(**values)

    def save(self, path: Union[str, Path]) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, path: Union[str, Path]) -> SceneSnapshot:
        return cls.from_dict(json.loads(Path(path).read_text("utf-8")))
