"""The render client's Maya command for one layer (and camera): pure, no ``maya``, fully testable.

    Render -r arnold -s @#@ -e @#@ -b 1 -rl rs_beauty -cam shotCamShape -proj /proj /proj/a.ma

Maya's command-line renderer reads renderer-specific flags only after ``-r``, so the
site's flags for a renderer follow it, and the site's extra arguments come after those.
``-proj`` makes texture and cache paths relative to the project resolve on the farm as
they do for the artist. Which renderer names Maya uses, and which Afanasy service and
parser CGRU farms have for each, is in :data:`RENDERERS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from afcore.dccconfig import PIPELINE_KEYS, arguments, program, reject_unknown
from afcore.frames import parse_frames
from afcore.scene import RenderTarget

if TYPE_CHECKING:
    from afcore.config import Config

#: Keys of ``RenderTarget.data`` this module reads (the host writes them).
LAYER, CAMERA, PROJECT = "layer", "camera", "project"


@dataclass(frozen=True)
class Renderer:
    """How one of Maya's renderers is named on ``Render``'s command line and on the farm."""

    #: ``Render -r <flag>``.
    flag: str
    #: The Afanasy service (CGRU's ``afanasy/python/services``) tasks run under.
    service: str = "maya"
    #: The parser (CGRU's ``afanasy/python/parsers``) that reads the renderer's progress.
    parser: str = "maya"


#: ``defaultRenderGlobals.currentRenderer`` -> its ``Render -r`` name, service and parser.
RENDERERS = {
    "arnold": Renderer("arnold", "maya_arnold", "maya_arnold"),
    "redshift": Renderer("redshift", "maya_redshift", "maya_redshift"),
    "vray": Renderer("vray", "maya", "vray"),
    "renderman": Renderer("renderman", "maya", "prman"),
    "mayaSoftware": Renderer("sw"),
    "mayaHardware2": Renderer("hw2"),
}


def is_known(renderer: str) -> bool:
    """Whether ``renderer`` (Maya's name) is one the farm knows how to run and parse."""
    return renderer in RENDERERS


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} must be a non-empty text, not {value!r}")
    return value


@dataclass(frozen=True)
class RendererSetup:
    """What a site sets for one renderer: its flags, and a service or parser of its own."""

    args: tuple[str, ...] = ()
    service: str = ""
    parser: str = ""

    @classmethod
    def from_section(cls, section: Any, where: str) -> RendererSetup:
        if not isinstance(section, Mapping):
            raise ValueError(
                f"{where} must be a mapping with args, service or parser, not "
                f"{section!r}; e.g. arnold: {{args: [-ai:lve, '2'], service: maya_arnold}}"
            )
        reject_unknown(section, ("args", "service", "parser"), where)
        return cls(
            args=arguments(section.get("args", ()), f"{where}.args"),
            service=_text(section["service"], f"{where}.service") if "service" in section else "",
            parser=_text(section["parser"], f"{where}.parser") if "parser" in section else "",
        )


@dataclass(frozen=True)
class MayaFarmConfig:
    """How render clients start Maya's renderer (``dcc: maya:`` in the site config)."""

    #: The program on the render clients: ``Render`` on PATH, or a full path.
    executable: str = "Render"
    #: Arguments after the renderer's own, before the frames, e.g. ``["-verb"]``.
    extra_args: tuple[str, ...] = ()
    #: Per ``Render -r`` name (``arnold``, ``sw``, ...): flags, service, parser.
    renderers: Mapping[str, RendererSetup] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Config) -> MayaFarmConfig:
        """The settings in the suite's configuration (``dcc: maya:``; none: the defaults)."""
        return cls.from_section(config.dcc.get("maya") or {})

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> MayaFarmConfig:
        """Read ``dcc: maya:``, saying exactly what is wrong with a bad value."""
        known = ("executable", "extra_args", "renderers", *PIPELINE_KEYS)
        reject_unknown(section, known, "dcc.maya")
        renderers = section.get("renderers") or {}
        if not isinstance(renderers, Mapping):
            raise ValueError(
                f"dcc.maya.renderers must map Render -r names to settings, not {renderers!r}"
            )
        return cls(
            executable=program(section.get("executable", cls.executable), "dcc.maya.executable"),
            extra_args=arguments(section.get("extra_args", ()), "dcc.maya.extra_args"),
            renderers={
                str(name): RendererSetup.from_section(value, f"dcc.maya.renderers.{name}")
                for name, value in renderers.items()
            },
        )

    def renderer(self, name: str) -> Renderer:
        """Maya's renderer ``name`` as the farm runs it, with the site's service and parser."""
        known = RENDERERS.get(name, Renderer(name))
        setup = self.renderers.get(known.flag, RendererSetup())
        return Renderer(known.flag, setup.service or known.service, setup.parser or known.parser)


def frame_step(frames: str) -> int:
    """The one ``-b`` step of a block's frames (the builder gives each range its own block)."""
    steps = {frame_range.step for frame_range in parse_frames(frames)}
    if len(steps) != 1:
        raise ValueError(
            f"frames {frames!r} mix steps {', '.join(map(str, sorted(steps)))}; one Render "
            "command renders with one step: submit the ranges as separate targets"
        )
    return steps.pop()


def render_args(
    target: RenderTarget, scene_copy: str, config: MayaFarmConfig, project: str
) -> list[str]:
    """The command a render client runs for ``target``, frames left as Afanasy's ``@#@``.

    ``project`` is the workspace root as the farm sees it (the host maps the path).
    """
    renderer = config.renderer(target.renderer)
    setup = config.renderers.get(renderer.flag, RendererSetup())
    args = [config.executable, "-r", renderer.flag, *setup.args, *config.extra_args]
    args += ["-s", "@#@", "-e", "@#@", "-b", str(frame_step(target.frames))]
    args += ["-rl", target.data[LAYER]]
    if target.data.get(CAMERA):
        args += ["-cam", target.data[CAMERA]]
    if project:
        args += ["-proj", project]
    return [*args, scene_copy]
