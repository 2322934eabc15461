"""Reading a .nk script as text, without Nuke, into the SceneSnapshot Nuke itself would give.

A .nk file is the TCL script Nuke writes: one ``Class { knob value ... }``
block per node, wired by a stack - each node takes its inputs off the top
(``inputs N``, one by default) and goes on it; ``set N1 [stack 0]`` /
``push $N1`` / ``push 0`` rearrange it - and a group's nodes follow its block
up to ``end_group``. Knob values are read as written and evaluated only when
a Write or Read needs them (see :mod:`afanasy_nuke.tcl`); what cannot be
evaluated becomes a warning on the Write.

``afsubmit comp.nk`` finds :func:`read_snapshot` through the
``afcore.scene_readers`` entry point.
"""

from __future__ import annotations

import os
import re
from typing import Callable, Optional

from afanasy_nuke.scriptfile import ScriptFileHost
from afanasy_nuke.targets import CannotEvaluate, Script, collect_targets
from afanasy_nuke.tcl import fill_file_tokens, substitute
from afcore.frames import FrameRange, format_frames
from afcore.host import Host
from afcore.scene import SceneSnapshot

#: Root knobs Nuke leaves out of the file when they have their default value.
ROOT_DEFAULTS = {"first_frame": "1", "last_frame": "100", "fps": "24", "proxy": "false"}
#: Top-level commands that end a line with "{" without being a node.
_NOT_NODES = ("define_window_layout_xml", "add_layer")
_REFERENCE = re.compile(r"[A-Za-z_][\w.]*")
_MAX_DEPTH = 20


class NkNode:
    """One node block of the file: its class, knobs as written, inputs, group."""

    __slots__ = ("children", "inputs", "kind", "knobs", "parent", "script")

    def __init__(self, kind: str, parent: Optional[NkNode], script: NkScript) -> None:
        self.kind = kind
        self.parent = parent
        self.script = script
        self.knobs: dict[str, str] = {}
        self.inputs: list[Optional[NkNode]] = []
        self.children: dict[str, NkNode] = {}

    def __repr__(self) -> str:
        return f"<{self.kind} {self.full_name}>"

    @property
    def name(self) -> str:
        return self.text("name")

    @property
    def full_name(self) -> str:
        if self.parent is None or self.parent.parent is None:
            return self.name
        return f"{self.parent.full_name}.{self.name}"

    @property
    def selected(self) -> bool:
        return self.text("selected") in ("true", "1")

    def text(self, knob: str) -> str:
        raw = self.knobs.get(knob)
        return "" if raw is None else _decode(raw)

    def number(self, knob: str, default: int) -> int:
        if knob not in self.knobs:
            return default
        return self.script.number(self, self.text(knob), 0)

    def flag(self, knob: str) -> bool:
        text = self.text(knob)
        if text in ("", "false", "0"):
            return False
        if text in ("true", "1"):
            return True
        return self.script.number(self, text, 0) != 0

    def evaluate(self, knob: str, frame: int, view: str) -> str:
        text = substitute(self.text(knob), frame, view, self.script.lookup(self, frame, view, 0))
        return fill_file_tokens(text, frame, view)


class NkScript:
    """A parsed .nk file: the root, every node in file order, and how to evaluate their knobs."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.version = ""
        self.root = NkNode("Root", None, self)
        self.nodes: list[NkNode] = []

    # --- evaluation ---

    def lookup(self, node: NkNode, frame: int, view: str, depth: int) -> Callable[[str], str]:
        """``[value path]`` as seen from ``node``: the knob's text, its own TCL substituted."""

        def knob_text(path: str) -> str:
            if depth > _MAX_DEPTH:
                raise CannotEvaluate(f"[value {path}]: expressions refer to each other in a loop")
            target, knob = self._resolve(node, path)
            text = self._text_or_default(target, knob, path)
            if _is_expression(text):
                return str(self.number(target, text, depth + 1))
            return substitute(text, frame, view, self.lookup(target, frame, view, depth + 1))

        return knob_text

    def number(self, node: NkNode, text: str, depth: int) -> int:
        """A numeric knob: a number, or an expression of one knob (``{{root.first_frame}}``)."""
        expression = text[1:-1].strip() if _is_expression(text) else text
        try:
            return int(float(expression))
        except ValueError:
            pass
        if depth > _MAX_DEPTH or not _REFERENCE.fullmatch(expression):
            raise CannotEvaluate(f"the expression {{{{{expression}}}}} needs Nuke to evaluate")
        target, knob = self._resolve(node, expression)
        return self.number(target, self._text_or_default(target, knob, expression), depth + 1)

    def _text_or_default(self, node: NkNode, knob: str, path: str) -> str:
        if knob in node.knobs:
            return node.text(knob)
        if node is self.root and knob in ROOT_DEFAULTS:
            return ROOT_DEFAULTS[knob]
        raise CannotEvaluate(f"{path} is not in the script (its default is not known outside Nuke)")

    def _resolve(self, node: NkNode, path: str) -> tuple[NkNode, str]:
        """The node and knob ``path`` names from ``node``: ``knob``, ``this.knob``,
        ``root.knob``, ``parent.knob``, ``Node.knob``, ``Group.Node.knob``."""
        node_path, _, knob = path.rpartition(".")
        names = node_path.split(".") if node_path else []
        target: Optional[NkNode] = node
        if names and names[0] == "root":
            target = self.root
        elif names and names[0] == "parent":
            target = node.parent or self.root
        elif names and names[0] != "this":
            target = self._find_upward(node, names[0])
        for name in names[1:]:
            target = target.children.get(name) if target is not None else None
        if target is None:
            raise CannotEvaluate(f"{path}: there is no node {node_path!r} in the script")
        return target, knob

    def _find_upward(self, node: NkNode, name: str) -> Optional[NkNode]:
        """Nuke's name lookup: the node's own group first, then each group around it."""
        group: Optional[NkNode] = node.parent or self.root
        while group is not None:
            if name in group.children:
                return group.children[name]
            group = group.parent
        return None

    # --- the graph ---

    def inputs_of(self, node: NkNode) -> list[NkNode]:
        """What feeds ``node``: a group through its Output, a group's Input from outside it."""
        if node.kind == "Input" and node.parent is not None and node.parent is not self.root:
            try:
                number = node.number("number", 0)
            except CannotEvaluate:
                number = 0
            outside = node.parent.inputs
            upstream = outside[number] if number < len(outside) else None
            return [upstream] if upstream is not None else []
        if node.children:
            return [n for n in node.children.values() if n.kind == "Output"][:1]
        return [n for n in node.inputs if n is not None]

    # --- the snapshot ---

    def settings(self) -> Script:
        root = self.root
        first, last = root.number("first_frame", 1), root.number("last_frame", 100)
        if last < first:
            raise ValueError(f"{self.path}: last_frame {last} is before first_frame {first}")
        views = _view_names(root.text("views"))
        try:
            folder = root.evaluate("project_directory", first, views[0])
        except CannotEvaluate:
            folder = ""  # then relative paths are taken from the script's folder
        folder = folder or os.path.dirname(self.path)
        return Script(first, last, views, root.flag("proxy"), folder)

    def snapshot(self) -> SceneSnapshot:
        script = self.settings()
        targets = collect_targets(self.nodes, lambda node: node, self.inputs_of, script)
        try:
            fps = float(self.root.text("fps") or ROOT_DEFAULTS["fps"])
        except ValueError:
            fps = float(ROOT_DEFAULTS["fps"])
        return SceneSnapshot(
            scene_file=self.path,
            dcc="nuke",
            dcc_version=self.version,
            frames=format_frames([FrameRange(script.first, script.last)]),
            fps=fps,
            targets=targets,
            data={"proxy": script.proxy, "views": script.views},
        )


# --- parsing ---


def parse(text: str, path: str) -> NkScript:
    """The nodes of a .nk script's text, wired as Nuke would wire them."""
    script = NkScript(path)
    lines = text.splitlines()
    group = script.root
    stack: list[Optional[NkNode]] = []
    outer: list[tuple[NkNode, list[Optional[NkNode]]]] = []
    variables: dict[str, Optional[NkNode]] = {}
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if not line or line[0] == "#":
            continue
        words = line.split()
        head = words[0]
        if line[-1] == "{" and head not in _NOT_NODES and _depth(line) == 1:
            node = _new_node(words, group, script, variables)
            index = _read_knobs(lines, index, node.knobs)
            if node is script.root:
                continue
            node.inputs = [stack.pop() if stack else None for _ in range(_input_count(node))]
            group.children[node.name] = node
            script.nodes.append(node)
            if node.kind == "Group":
                outer.append((group, stack))
                group, stack = node, []
            else:
                stack.append(node)
        elif head == "set" and len(words) == 4 and words[2] == "[stack":
            depth = int(words[3].rstrip("]"))
            variables[words[1]] = stack[-1 - depth] if depth < len(stack) else None
        elif head == "push" and len(words) == 2:
            stack.append(variables.get(words[1][1:]) if words[1].startswith("$") else None)
        elif head == "end_group" and outer:
            finished = group
            group, stack = outer.pop()
            stack.append(finished)
        elif head == "version":
            script.version = "".join(words[1:])
        else:
            index = _skip_value(lines, index, _depth(line))
    # Nuke names the root after the file it opened, whatever name the file was saved with.
    script.root.knobs["name"] = _quote(path)
    return script


def _new_node(
    words: list[str], group: NkNode, script: NkScript, variables: dict[str, Optional[NkNode]]
) -> NkNode:
    """The node a ``Class {`` / ``clone $C1 {`` / ``clone node1|Write|2 {`` line starts."""
    if words[0] == "Root":
        return script.root
    if words[0] != "clone" or len(words) < 3:
        return NkNode(words[0], group, script)
    original = variables.get(words[1][1:]) if words[1].startswith("$") else None
    parts = words[1].split("|")
    kind = original.kind if original else parts[1] if len(parts) == 3 else "clone"
    node = NkNode(kind, group, script)
    if original is not None:
        node.knobs.update(original.knobs)
    return node


def _input_count(node: NkNode) -> int:
    """``inputs 2`` takes two nodes off the stack, ``inputs 2+1`` three (a mask), no line one."""
    written = node.knobs.get("inputs")
    if written is None:
        return 1
    try:
        return int(written) if written.isdigit() else sum(int(n) for n in written.split("+"))
    except ValueError:
        return 1


def _read_knobs(lines: list[str], index: int, knobs: dict[str, str]) -> int:
    """Knob lines up to the block's closing ``}``, values spanning lines joined; the next index."""
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        if line == "}":
            return index
        if not line:
            continue
        name, _, value = line.partition(" ")
        depth = _depth(value) if "{" in value else 0
        if depth > 0:  # the value goes on over the next lines
            end = _skip_value(lines, index, depth)
            value = "\n".join([value, *lines[index:end]])
            index = end
        knobs[name] = value
    return index


def _skip_value(lines: list[str], index: int, depth: int) -> int:
    """The index after the line that closes ``depth`` open braces."""
    while depth > 0 and index < len(lines):
        depth = _depth(lines[index], depth)
        index += 1
    return index


def _depth(text: str, depth: int = 0) -> int:
    """Open braces after ``text``: quotes hide braces outside braces, backslashes escape."""
    if "\\" not in text and '"' not in text:
        return depth + text.count("{") - text.count("}")
    quoted = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "{" and not quoted:
            depth += 1
        elif char == "}" and not quoted:
            depth -= 1
        index += 1
    return depth


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
_BACKSLASH = re.compile(r"\\(.)", re.DOTALL)


def _decode(raw: str) -> str:
    """A knob's text from how the file writes it: bare, "quoted" (escapes) or {braced}."""
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
        raw = raw[1:-1]
    elif len(raw) >= 2 and raw[0] == "{" and raw[-1] == "}":
        return raw[1:-1]
    if "\\" not in raw:
        return raw
    return _BACKSLASH.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)


def _quote(text: str) -> str:
    escaped = re.sub(r'([\\"\[\]$])', r"\\\1", text)
    return f'"{escaped}"'


def _is_expression(text: str) -> bool:
    return text.startswith("{") and text.endswith("}")


def _view_names(text: str) -> list[str]:
    """Root ``views``: ``{{left #ff0000} {right #00ff00}}``, or older "left #ff0000\\nright ..."."""
    if "{" in text:
        items = re.findall(r"\{([^{}]*)\}|(\S+)", text)
        names = [(braced.split() or [""])[0] or bare for braced, bare in items]
    else:
        names = [word for word in text.split() if not word.startswith("#")]
    return [name for name in names if name and not name.startswith("#")] or ["main"]


# --- the entry points ---


def read_script(path: str) -> NkScript:
    """Parse the .nk file at ``path``; a missing file says so, with the path."""
    absolute = os.path.abspath(path)
    try:
        with open(absolute, encoding="utf-8", errors="replace") as script:
            text = script.read()
    except FileNotFoundError:
        raise FileNotFoundError(f"No Nuke script at {absolute}: check the path.") from None
    return parse(text, absolute)


class NkScriptHost(ScriptFileHost):
    """A .nk file as a host: what ``afsubmit comp.nk`` submits, no Nuke licence needed."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self._script = read_script(path)
        self._snapshot = self._script.snapshot()

    def collect(self) -> SceneSnapshot:
        return self._snapshot

    def scene_path(self) -> Optional[str]:
        return self._script.path

    def is_modified(self) -> bool:
        return False

    def save_scene(self) -> None:
        """Nothing to save: the file on disk is the scene."""


def read_snapshot(path: str) -> Host:
    """The ``afcore.scene_readers`` entry point for ``.nk`` files."""
    return NkScriptHost(path)
