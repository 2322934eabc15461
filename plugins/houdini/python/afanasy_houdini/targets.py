"""What a ROP becomes on the farm: its frames, files, take and task split, decided without Houdini.

The host presents each ROP through :class:`RopSource` (parameters, wiring,
output parameter evaluated at a frame); everything from there on - which ROPs
are targets, frame ranges, ``@####@`` patterns, what must run in one process,
dependencies, what comes ticked - is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Protocol

from afanasy_houdini import farm
from afanasy_houdini.network import Network, RopLink
from afanasy_houdini.roptypes import FETCH, SINGLE_TASK_PARM, WEDGE, RopType, rop_type
from afcore.frames import pattern_from_paths
from afcore.scene import RenderTarget

#: ``trange``: render the current frame only; 3 is USD's "frame range from stage".
CURRENT_FRAME, RANGE_FROM_STAGE = 0, 3
#: Output values that send a render to a viewer instead of to files.
VIEWERS = ("ip", "md")


class CannotEvaluate(Exception):
    """A parameter Houdini could not evaluate (a broken expression, a missing node)."""


class RopSource(Protocol):
    """One ROP node as the targets are read from it (the host wraps a ``hou.RopNode``)."""

    @property
    def path(self) -> str:
        """``/out/mantra1``: what the render script is given."""

    @property
    def type_name(self) -> str:
        """``node.type().name()``: ``ifd``, ``merge``, ``Redshift_ROP``..."""

    @property
    def bypassed(self) -> bool: ...

    @property
    def selected(self) -> bool: ...

    def inputs(self) -> tuple[str, ...]:
        """Paths of the nodes wired into its inputs."""

    def has_parm(self, name: str) -> bool: ...

    def number(self, name: str, default: float) -> float:
        """The parameter's value now; ``default`` if the ROP has no such parameter."""

    def text(self, name: str) -> str:
        """A string parameter's value now, "" if the ROP has no such parameter."""

    def evaluate(self, name: str, frame: float) -> str:
        """A string parameter at ``frame``; raises CannotEvaluate when Houdini cannot."""

    def reference(self, name: str) -> str:
        """The absolute path of the node a parameter names (relative paths resolved), or ""."""

    def wedge_count(self) -> int:
        """How many wedges a Wedge ROP renders; raises CannotEvaluate if it cannot tell."""


@dataclass(frozen=True)
class Session:
    """What the ROPs are read against: the current frame and take."""

    frame: float = 1.0
    take: str = "Main"
    root_take: str = "Main"


def frames_text(first: int, last: int, step: int) -> str:
    """The frame grammar's text, kept even when wrong (``10-1``) so the checks can say why."""
    if first == last and step == 1:
        return str(first)
    return f"{first}-{last}" + (f"x{step}" if step != 1 else "")


def _whole(value: float, what: str, path: str, warnings: list[str]) -> int:
    if value != int(value):
        warnings.append(f"{path}: {what} {value:g} is not a whole frame; {value:.0f} is rendered")
    return round(value)


def rop_frames(source: RopSource, session: Session, warnings: list[str]) -> tuple[int, int, int]:
    """First, last and step: the current frame when ``trange`` is off, else f1, f2, f3."""
    trange = int(source.number("trange", CURRENT_FRAME))
    if trange == CURRENT_FRAME:
        frame = _whole(session.frame, "the current frame", source.path, warnings)
        return frame, frame, 1
    if trange == RANGE_FROM_STAGE:
        warnings.append(
            f"{source.path} takes its frame range from the USD stage, which is not read "
            "before rendering; its Start/End/Inc are used"
        )
    first = _whole(source.number("f1", session.frame), "start frame", source.path, warnings)
    last = _whole(source.number("f2", session.frame), "end frame", source.path, warnings)
    given = source.number("f3", 1)
    step = max(1, round(given))
    if given != step:
        warnings.append(
            f"{source.path}: frame step {given:g} is not a whole number of frames; "
            f"the farm renders every {step}"
        )
    return first, last, step


@dataclass
class Outputs:
    """The files a ROP writes: an ``@####@`` pattern, and whether one file holds every frame."""

    patterns: list[str]
    single_file: bool = False


def rop_outputs(
    source: RopSource, parm: str, first: int, last: int, warnings: list[str]
) -> Outputs:
    """The output parameter at the first and last frame, made one pattern.

    A one-frame range is compared with the next frame, so that a frame number
    in the name is still found.
    """
    if not parm or not source.has_parm(parm):
        return Outputs([])
    other = last if last != first else first + 1
    try:
        at_first, at_other = source.evaluate(parm, first), source.evaluate(parm, other)
    except CannotEvaluate as error:
        warnings.append(f"{source.path}: its output file ({parm}) cannot be read: {error}")
        return Outputs([])
    if not at_first:
        return Outputs([])
    if at_first in VIEWERS:
        warnings.append(f"{source.path} renders to a viewer ({at_first}), not to files")
        return Outputs([])
    try:
        pattern = pattern_from_paths(at_first, at_other, first, other)
    except ValueError as error:
        warnings.append(f"{source.path}: {error}")
        pattern = at_first
    return Outputs([pattern], single_file=at_first == at_other and last != first)


def single_task_reason(source: RopSource, outputs: Outputs, batch: str) -> str:
    """Why the ROP must render its whole range in one process ("" if it need not).

    A spare toggle :data:`SINGLE_TASK_PARM` on the ROP overrides the rest.
    """
    if source.has_parm(SINGLE_TASK_PARM):
        on = bool(source.number(SINGLE_TASK_PARM, 0))
        return f"{SINGLE_TASK_PARM} is on on the ROP" if on else ""
    if outputs.single_file:
        return f"it writes every frame into one file ({outputs.patterns[0]})"
    if source.number("initsim", 0):
        return "Initialize Simulation OPs is on: the simulation runs from its first frame"
    if batch:
        return f"it feeds the Batch ROP {batch}, which renders it in one process"
    return ""


def _known_type(source: RopSource) -> Optional[RopType]:
    return rop_type(source.type_name, bool(source.number("soho_outputmode", 0)))


def _render_target(source: RopSource, session: Session, batch: str) -> RenderTarget:
    """A ROP that writes files itself (or one the submitter does not know)."""
    warnings: list[str] = []
    first, last, step = rop_frames(source, session, warnings)
    known = _known_type(source)
    if known is None:
        warnings.append(
            f"{source.path} is a {source.type_name} ROP, which the submitter does not know: "
            "it renders, but its output files are not known"
        )
    outputs = rop_outputs(source, known.output_parm if known else "", first, last, warnings)
    reason = single_task_reason(source, outputs, batch)
    return RenderTarget(
        name=source.path,
        kind=source.type_name,
        enabled=not source.bypassed,
        frames=frames_text(first, last, step),
        outputs=outputs.patterns,
        renderer=known.renderer if known else source.type_name,
        service=known.service if known else "hbatch",
        parser=known.parser if known else "hbatch",
        single_task=bool(reason),
        warnings=warnings,
        data={farm.TAKE: _take(source, session), farm.SINGLE_TASK_REASON: reason},
    )


def _wedge_target(source: RopSource, session: Session, driver: Optional[RopSource]) -> RenderTarget:
    """A Wedge: one task per wedge, each rendering the driver's whole range."""
    warnings: list[str] = []
    try:
        count = source.wedge_count()
    except CannotEvaluate as error:
        warnings.append(f"{source.path}: the number of wedges cannot be read: {error}")
        count = 1
    known = _known_type(driver) if driver is not None else None
    if driver is None:
        warnings.append(
            f"{source.path} has no Output Driver: set it to the ROP to render for each wedge"
        )
    return RenderTarget(
        name=source.path,
        kind=source.type_name,
        enabled=not source.bypassed,
        frames=frames_text(0, count - 1, 1),
        frames_per_task=1,
        renderer=known.renderer if known else WEDGE,
        service=known.service if known else "hbatch",
        parser=known.parser if known else "hbatch",
        warnings=warnings,
        data={farm.TAKE: _take(source, session), farm.WEDGE: True, farm.SINGLE_TASK_REASON: ""},
    )


def _take(source: RopSource, session: Session) -> str:
    """The take the ROP renders in, "" for the root take (nothing to switch to)."""
    take = source.text("take") or "_current_"
    if take == "_current_":
        take = session.take
    return "" if take == session.root_take else take


def _link(source: RopSource) -> RopLink:
    parm = "driver" if source.type_name == WEDGE else "source"
    linked = source.reference(parm) if source.type_name in (FETCH, WEDGE) else ""
    return RopLink(source.path, source.type_name, source.inputs(), source.bypassed, linked)


def collect_targets(sources: list[RopSource], session: Session) -> list[RenderTarget]:
    """The targets of a set of ROPs, in the order given, with dependencies and ticks.

    Selected ROPs come ticked with every ROP they wait for; when none is
    selected, every ROP that is not bypassed does (except those only a Wedge
    renders).
    """
    by_path = {source.path: source for source in sources}
    links = {source.path: _link(source) for source in sources}
    network = Network(links.values())
    batched = network.batched()
    targets = []
    for order, source in enumerate(sources):
        if not network.is_target(source.path):
            continue
        if source.type_name == WEDGE:
            driver = next(iter(sorted(network.provides(links[source.path].source))), "")
            target = _wedge_target(source, session, by_path.get(driver))
        else:
            target = _render_target(source, session, batched.get(source.path, ""))
        target.depends_on = sorted(network.depends_on(source.path))
        target.order = order
        targets.append(target)
    _tick(targets, sources, network)
    return targets


def _tick(targets: list[RenderTarget], sources: list[RopSource], network: Network) -> None:
    chosen = [path for s in sources if s.selected for path in network.provides(s.path)]
    ticked = network.upstream(chosen) if chosen else None
    drivers = network.wedge_drivers()
    for target in targets:
        wanted = target.name in ticked if ticked is not None else target.name not in drivers
        target.selected = wanted and target.enabled
