"""The command a render client runs for one ROP: pure, testable without Houdini.

    hython <render script> --rop /out/mantra1 -s @#@ -e @#@ --by 1 [--take T] [--wedge]
           --original <the artist's .hip> <hip copy>

Afanasy fills ``@#@`` with each task's first and last frame (for a Wedge: its
first and last wedge number). ``--original`` lets the script give ``$HIP`` and
``$HIPNAME`` the values they have for the artist, so output paths built from
them are the same on the farm. The render script is :mod:`afanasy_houdini.render`,
found on the farm through the site's path maps unless the site names another
(``dcc: houdini: render_script:``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from afcore.dccconfig import PIPELINE_KEYS, arguments, program, reject_unknown
from afcore.frames import parse_frames
from afcore.paths import map_path
from afcore.scene import RenderTarget

if TYPE_CHECKING:
    from afcore.config import Config

#: Keys of ``RenderTarget.data`` this module reads (the host writes them).
TAKE, WEDGE = "take", "wedge"
#: Why the host made a target one task ("" when it did not); shown to the artist.
SINGLE_TASK_REASON = "single_task_reason"

#: The render script beside this module, as the submitting machine sees it.
RENDER_SCRIPT = Path(__file__).resolve().with_name("render.py")

_KNOWN = ("executable", "extra_args", "render_script", *PIPELINE_KEYS)


@dataclass(frozen=True)
class HoudiniFarmConfig:
    """How render clients run a ROP (``dcc: houdini:`` in the site config)."""

    #: Houdini's Python on the render clients: ``hython`` on PATH, or a full path.
    executable: str = "hython"
    #: Arguments for hython before the script.
    extra_args: tuple[str, ...] = ()
    #: The render script as the render clients see it.
    render_script: str = str(RENDER_SCRIPT)

    @classmethod
    def from_section(
        cls, section: Mapping[str, Any], path_maps: list[tuple[str, str]]
    ) -> HoudiniFarmConfig:
        """Read ``dcc: houdini:``, saying exactly what is wrong with a bad value.

        Without ``render_script`` the farm runs this checkout's script, its path
        mapped as scene paths are (``path_maps``).
        """
        reject_unknown(section, _KNOWN, "dcc.houdini")
        script = section.get("render_script")
        return cls(
            executable=program(section.get("executable", cls.executable), "dcc.houdini.executable"),
            extra_args=arguments(section.get("extra_args", ()), "dcc.houdini.extra_args"),
            render_script=(
                program(script, "dcc.houdini.render_script")
                if script is not None
                else map_path(str(RENDER_SCRIPT), path_maps)
            ),
        )

    @classmethod
    def from_config(cls, config: Config) -> HoudiniFarmConfig:
        return cls.from_section(config.dcc.get("houdini", {}), config.path_maps)


def render_args(
    target: RenderTarget, scene_copy: str, original: str, cfg: HoudiniFarmConfig
) -> list[str]:
    """The render client's argument list for ``target``, rendering ``scene_copy`` of ``original``.

    The builder gives each frame range its own block, so ``target.frames`` has
    one step: the ``--by`` of every task.
    """
    step = parse_frames(target.frames)[0].step
    args = [cfg.executable, *cfg.extra_args, cfg.render_script, "--rop", target.name]
    args += ["-s", "@#@", "-e", "@#@", "--by", str(step)]
    take = target.data.get(TAKE)
    if take:
        args += ["--take", str(take)]
    if target.data.get(WEDGE):
        args.append("--wedge")
    return [*args, "--original", original, scene_copy]
