"""What a Nuke Write node becomes on the farm: one set of rules for Nuke and the .nk reader.

Both readers present each node through :class:`NodeSource` (knob text,
numbers, flags, and a file knob evaluated at a frame and view); everything
from there on - frame range, proxy file, views, output patterns, movies,
dependencies, render order - is decided here, once, without Nuke.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from dataclasses import dataclass, field
from typing import Callable, Hashable, Protocol, TypeVar

from afanasy_nuke.graph import upstream_marks
from afcore.frames import FrameRange, format_frames, pattern_from_paths
from afcore.scene import RenderTarget

#: Node classes that write files a farm renders, and those that read files back.
WRITE_CLASSES = ("Write", "DeepWrite", "WriteGeo")
READ_CLASSES = ("Read", "DeepRead", "ReadGeo", "ReadGeo2")
#: Movies: one file for the whole range, so one task must render all of it.
MOVIE_EXTENSIONS = (".mov", ".mp4", ".m4v", ".mxf", ".avi", ".mkv", ".webm")
MOVIE_FILE_TYPES = ("mov", "mov32", "mov64", "ffmpeg", "mxf", "avi", "mp4")
#: Afanasy's service and output parser for Nuke, the names farms already have.
SERVICE = "nuke"
PARSER = "nuke"
_SCRIPT_NAME = re.compile(r"\broot\.name\b")


class CannotEvaluate(Exception):
    """A knob whose value the reader cannot work out (a broken or unsupported expression)."""


class NodeSource(Protocol):
    """One node as a reader sees it: the live Nuke node or a node parsed from a .nk file."""

    @property
    def full_name(self) -> str:
        """``Group1.Write1``: what ``nuke -X`` takes."""

    @property
    def kind(self) -> str:
        """The node class: ``Write``, ``Read``, ``Group``..."""

    @property
    def selected(self) -> bool:
        """Whether the artist has the node selected."""

    def text(self, knob: str) -> str:
        """The knob's text as the artist typed it, "" when the node has no such knob."""

    def number(self, knob: str, default: int) -> int:
        """The knob as a whole number; raises CannotEvaluate for an expression it cannot follow."""

    def flag(self, knob: str) -> bool:
        """The knob as a checkbox; raises CannotEvaluate for an expression it cannot follow."""

    def evaluate(self, knob: str, frame: int, view: str) -> str:
        """The file knob at ``frame`` in ``view``, expressions, frames and views filled in."""


@dataclass(frozen=True)
class Script:
    """The script-wide settings every node is read against."""

    first: int
    last: int
    views: list[str]
    proxy: bool = False
    #: Where relative file paths point: Project Settings > project directory, else the
    #: script's folder (where farm tasks start); "" for a script never saved.
    folder: str = ""


@dataclass
class WriteNode:
    """One Write as read from the script, before the dependencies between Writes are known."""

    name: str
    kind: str
    first: int
    last: int
    outputs: list[str]
    views: list[str] = field(default_factory=list)
    disabled: bool = False
    selected: bool = False
    order: int = 1
    single_file: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass
class Outputs:
    """The file patterns of one file knob, and what got in the way of working them out."""

    patterns: list[str] = field(default_factory=list)
    #: One file holds every frame (a movie, an Alembic cache): one task must write it all.
    single_file: bool = False
    warnings: list[str] = field(default_factory=list)


def is_movie(path: str, file_type: str = "") -> bool:
    """Whether the file is a movie, by its type or extension."""
    return file_type in MOVIE_FILE_TYPES or path.lower().endswith(MOVIE_EXTENSIONS)


def file_outputs(
    evaluate: Callable[[int, str], str],
    first: int,
    last: int,
    views: list[str],
    script: Script,
    file_type: str = "",
) -> Outputs:
    """The ``@####@`` pattern of a file knob for every view, from its value at two frames.

    Nuke evaluates ``####``, ``%04d``, ``%V`` and TCL; comparing the result at
    the first and the last frame finds the frame number wherever it ended up.
    A one-frame range is compared with the next frame, so that it still gives
    a pattern; a name without a frame number is one file for the whole range.
    Views that write the same file (no ``%V``) give one output.
    """
    result = Outputs()
    for view in views:
        try:
            first_path = evaluate(first, view)
            if not first_path:
                result.warnings.append(f"the file name is empty in view {view!r}")
                continue
            pattern = first_path
            if is_movie(first_path, file_type):
                result.single_file = True
            else:
                probe = last if last != first else first + 1
                last_path = evaluate(probe, view)
                result.single_file = result.single_file or last_path == first_path
                pattern = pattern_from_paths(first_path, last_path, first, probe)
        except CannotEvaluate as error:
            result.warnings.append(f"cannot evaluate the file name: {error}")
            continue
        except ValueError as error:  # the two names differ in more than the frame number
            result.warnings.append(str(error))
        pattern = _absolute(pattern, script.folder, result.warnings)
        if pattern not in result.patterns:
            result.patterns.append(pattern)
    return result


def _absolute(path: str, folder: str, warnings: list[str]) -> str:
    """A relative path as Nuke resolves it: from the project directory or the script's folder."""
    if posixpath.isabs(path) or re.match(r"^[A-Za-z]:[\\/]", path):
        return path
    if folder:
        return posixpath.join(folder, path)
    note = f"{path!r} is relative, and the script has no folder yet: save it first"
    if note not in warnings:
        warnings.append(note)
    return path


def _frame_range(node: NodeSource, script: Script, warnings: list[str]) -> tuple[int, int]:
    """The node's own range when "limit to range" is on, else the script's."""
    try:
        if not node.flag("use_limit"):
            return script.first, script.last
        first, last = node.number("first", script.first), node.number("last", script.last)
    except CannotEvaluate as error:
        warnings.append(f"limit to range: {error}; using the script's range")
        return script.first, script.last
    if last < first:
        warnings.append(
            f"limit to range ends ({last}) before it starts ({first}); using the script's range"
        )
        return script.first, script.last
    return first, last


def _file_knob(node: NodeSource, script: Script, warnings: list[str]) -> str:
    """``proxy`` in proxy mode (as Nuke renders), ``file`` otherwise or when proxy is empty."""
    if not script.proxy:
        return "file"
    if node.text("proxy"):
        return "proxy"
    warnings.append("proxy mode is on but the proxy file is empty: rendering the full-size file")
    return "file"


def _views(node: NodeSource, script: Script, warnings: list[str]) -> list[str]:
    """The Write's chosen views that the script has, every view when none is chosen."""
    chosen = node.text("views").split()
    unknown = [view for view in chosen if view not in script.views]
    if unknown:
        warnings.append(f"views {', '.join(unknown)} are not in the script: skipped")
    return [view for view in chosen if view in script.views] or list(script.views)


def _named_after_the_script(node: NodeSource, knob: str, warnings: list[str]) -> None:
    """The farm renders a renamed copy of the script, so ``[value root.name]`` differs there."""
    if _SCRIPT_NAME.search(node.text(knob)):
        warnings.append(
            "the file name is made from the script's name ([value root.name]), and the farm "
            "renders a copy of the script with another name: its files may not be these"
        )


def _flag_or_warn(node: NodeSource, knob: str, warnings: list[str]) -> bool:
    try:
        return node.flag(knob)
    except CannotEvaluate as error:
        warnings.append(f"{knob}: {error}; taken as off")
        return False


def read_write(node: NodeSource, script: Script) -> WriteNode:
    """Everything the farm needs to know about one Write, DeepWrite or WriteGeo node."""
    warnings: list[str] = []
    first, last = _frame_range(node, script, warnings)
    views = _views(node, script, warnings)
    knob = _file_knob(node, script, warnings)
    _named_after_the_script(node, knob, warnings)
    outputs = file_outputs(
        lambda frame, view: node.evaluate(knob, frame, view),
        first,
        last,
        views,
        script,
        node.text("file_type"),
    )
    try:
        order = node.number("render_order", 1)
    except CannotEvaluate as error:
        warnings.append(f"render order: {error}; taken as 1")
        order = 1
    return WriteNode(
        name=node.full_name,
        kind=node.kind,
        first=first,
        last=last,
        outputs=outputs.patterns,
        views=views if len(script.views) > 1 else [],
        disabled=_flag_or_warn(node, "disable", warnings),
        selected=node.selected,
        order=order,
        single_file=outputs.single_file,
        warnings=warnings + outputs.warnings,
    )


def read_files(node: NodeSource, script: Script) -> frozenset[str]:
    """Comparable keys of the files a Read node reads (see :func:`file_key`); none if disabled."""
    if _flag_or_warn(node, "disable", []):
        return frozenset()
    try:
        first, last = node.number("first", script.first), node.number("last", script.last)
    except CannotEvaluate:
        first, last = script.first, script.last
    knob = _file_knob(node, script, [])
    outputs = file_outputs(
        lambda frame, view: node.evaluate(knob, frame, view),
        first,
        max(first, last),
        script.views,
        script,
    )
    return frozenset(file_key(pattern) for pattern in outputs.patterns)


def file_key(pattern: str) -> str:
    """How a Write's output and a Read's file are compared: padding and ``..`` do not matter."""
    return posixpath.normpath(re.sub(r"@#+@", "@#@", pattern.replace("\\", "/")))


Node = TypeVar("Node", bound=Hashable)


def collect_targets(
    nodes: list[Node],
    source: Callable[[Node], NodeSource],
    inputs_of: Callable[[Node], list[Node]],
    script: Script,
) -> list[RenderTarget]:
    """The RenderTargets of a script's nodes, however the script is held (Nuke or a .nk file).

    ``source`` presents a node as a :class:`NodeSource`; ``inputs_of`` says
    what feeds a node, groups seen through (see :func:`upstream_marks`).
    """
    writes = [node for node in nodes if source(node).kind in WRITE_CLASSES]

    def files_read(node: Node) -> frozenset[str]:
        presented = source(node)
        return read_files(presented, script) if presented.kind in READ_CLASSES else frozenset()

    upstream = upstream_marks(writes, inputs_of, files_read)
    write_nodes = [read_write(source(node), script) for node in writes]
    reads = {write.name: upstream[node] for write, node in zip(write_nodes, writes)}
    return make_targets(write_nodes, reads, script)


def make_targets(
    writes: list[WriteNode], reads_upstream: dict[str, frozenset[str]], script: Script
) -> list[RenderTarget]:
    """RenderTargets in render order, each depending on the Writes it must wait for.

    A Write waits for the Writes whose files a Read upstream of it reads, and
    (as Nuke renders them) for the enabled Writes of the nearest lower render
    order. ``reads_upstream`` maps a Write's name to the :func:`file_key` of
    every file read upstream of it. Selected Writes come ticked; when none is
    selected, every enabled Write does.
    """
    writers: dict[str, list[str]] = {}
    by_order: dict[int, list[str]] = {}
    for write in writes:
        for output in write.outputs:
            writers.setdefault(file_key(output), []).append(write.name)
        if not write.disabled:
            by_order.setdefault(write.order, []).append(write.name)
    orders = sorted(by_order)
    tick_all = not any(write.selected and not write.disabled for write in writes)
    targets = []
    for write in sorted(writes, key=lambda w: w.order):
        depends = {
            writer
            for key in reads_upstream.get(write.name, frozenset())
            for writer in writers.get(key, [])
            if writer != write.name
        }
        lower = bisect.bisect_left(orders, write.order)
        if lower:
            depends.update(by_order[orders[lower - 1]])
        targets.append(
            RenderTarget(
                name=write.name,
                kind=write.kind,
                enabled=not write.disabled,
                selected=(tick_all or write.selected) and not write.disabled,
                frames=format_frames([FrameRange(write.first, write.last)]),
                outputs=list(write.outputs),
                views=list(write.views),
                depends_on=sorted(depends),
                service=SERVICE,
                parser=PARSER,
                single_task=write.single_file,
                order=write.order,
                warnings=list(write.warnings),
                data={"proxy": script.proxy},
            )
        )
    return targets
