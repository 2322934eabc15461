"""The command a render client runs for one Nuke Write: pure, testable without Nuke.

``nuke -X Group1.Write1 -F @#@-@#@x1 -x /shots/a/comp.20260101-120000.nk`` -
Afanasy fills ``@#@-@#@`` with each task's first and last frame. The
executable, extra arguments and licence flag come from the site config's
``dcc: nuke:`` section.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Mapping, Union

from afcore.dccconfig import PIPELINE_KEYS, arguments, program, reject_unknown
from afcore.frames import parse_frames
from afcore.scene import RenderTarget

if TYPE_CHECKING:
    from afcore.config import Config

_KNOWN = ("executable", "extra_args", "interactive_licence", *PIPELINE_KEYS)


@dataclass(frozen=True)
class NukeFarmConfig:
    """How render clients start Nuke (``dcc: nuke:`` in the site config)."""

    #: The program on the render clients: a name on PATH or a full path.
    executable: str = "nuke"
    #: Arguments before Nuke's own, e.g. ``["--gpu", "-m", "8"]``.
    extra_args: tuple[str, ...] = ()
    #: Render with an interactive licence (``-i``) when the farm has no render licences.
    interactive_licence: bool = False

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> NukeFarmConfig:
        """Read the ``dcc: nuke:`` section, saying exactly what is wrong with a bad one."""
        reject_unknown(section, _KNOWN, "dcc.nuke")
        executable = program(section.get("executable", cls.executable), "dcc.nuke.executable")
        extra_args = arguments(section.get("extra_args", ()), "dcc.nuke.extra_args")
        licence = section.get("interactive_licence", False)
        if not isinstance(licence, bool):
            raise ValueError(f"dcc.nuke.interactive_licence must be true or false, not {licence!r}")
        return cls(executable, extra_args, licence)

    @classmethod
    def from_config(cls, config: Config) -> NukeFarmConfig:
        return cls.from_section(config.dcc.get("nuke", {}))


def frame_step(frames: str) -> int:
    """The one frame step Nuke's ``-F`` can take for a target's frames (single frames have none)."""
    steps = {r.step for r in parse_frames(frames) if r.first != r.last}
    if len(steps) > 1:
        raise ValueError(
            f"frames {frames!r} mix steps {', '.join(map(str, sorted(steps)))}: a Nuke block "
            "renders with one step; submit the ranges as separate targets"
        )
    return steps.pop() if steps else 1


def render_args(
    target: RenderTarget, scene_copy: Union[str, PurePath], cfg: NukeFarmConfig
) -> list[str]:
    """The render client's argument list for ``target``, rendering from ``scene_copy``."""
    args = [cfg.executable, *cfg.extra_args]
    if cfg.interactive_licence:
        args.append("-i")
    if target.data.get("proxy"):
        args.append("-p")
    if target.views:
        args += ["--view", ",".join(target.views)]
    step = frame_step(target.frames)
    return [*args, "-X", target.name, "-F", f"@#@-@#@x{step}", "-x", str(scene_copy)]
