"""A hand-written stand-in for Foundry's ``nuke`` module, for tests that run without Nuke.

It mirrors the names, signatures and return types of the real API (checked
against the ``types-nuke`` stubs and Foundry's Python reference) for the part
the Afanasy plugin and its tests use: nodes and their knobs, groups, the root,
views, ``OutputContext`` evaluation of file knobs, the script's name and
modified state, saving, and menus. Everything is done through those public
calls; there is no test-only back door. ``scriptClear()`` resets the session.

Deliberate simplifications, so that a test's expectations stay obvious:

- File knobs evaluate what real scripts put in them: ``#`` runs and ``%0Nd``
  (the frame), ``%V`` / ``%v`` (the view), and the TCL commands ``[frame]``,
  ``[view]`` and ``[value node.knob]``. Any other TCL command raises
  RuntimeError, as Nuke does for a command it cannot run.
- Every Write-like class (Write, DeepWrite, WriteGeo) has the same knobs.
- ``scriptSave()`` writes a short text file, not a real .nk script.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Optional

NUKE_VERSION_MAJOR = 15
NUKE_VERSION_MINOR = 1
NUKE_VERSION_RELEASE = 3
NUKE_VERSION_STRING = "15.1v3"
GUI = True


class CancelledError(Exception):
    """Raised by Nuke when the artist cancels an operation."""


# --- knobs -------------------------------------------------------------------------------------


class Knob:
    def __init__(self, name: str, label: str = "", value: Any = "") -> None:
        self._name = name
        self._label = label or name
        self._value = value
        self._node: Optional[Node] = None

    def Class(self) -> str:
        return type(self).__name__

    def name(self) -> str:
        return self._name

    def label(self) -> str:
        return self._label

    def node(self) -> Node:
        if self._node is None:
            raise ValueError(f"knob {self._name} belongs to no node")
        return self._node

    def value(self, index: int = 0) -> Any:
        return self._value

    def getValue(self, channel: int = 0) -> Any:
        return self._value

    def setValue(self, val: Any, chan: int = 0) -> bool:
        self._value = val
        return True


class Array_Knob(Knob):
    pass


class Int_Knob(Array_Knob):
    def __init__(self, name: str, label: str = "", value: int = 0) -> None:
        super().__init__(name, label, int(value))

    def value(self) -> int:
        return int(self._value)

    def setValue(self, val: Any) -> bool:
        self._value = int(val)
        return True


class Double_Knob(Array_Knob):
    def __init__(self, name: str, label: str = "", value: float = 0.0) -> None:
        super().__init__(name, label, float(value))

    def value(self) -> float:
        return float(self._value)


class Boolean_Knob(Array_Knob):
    def __init__(self, name: str, label: str = "", value: bool = False) -> None:
        super().__init__(name, label, bool(value))

    def value(self) -> bool:
        return bool(self._value)

    def setValue(self, b: Any) -> bool:
        self._value = bool(b)
        return True


class Disable_Knob(Boolean_Knob):
    pass


class Unsigned_Knob(Array_Knob):
    pass


class Enumeration_Knob(Unsigned_Knob):
    """``value()`` is the name of the chosen item (``"exr"``, ``"mov"``), as in Nuke."""


class String_Knob(Knob):
    def value(self, oc: Optional[OutputContext] = None) -> str:
        return str(self._value)


class EvalString_Knob(String_Knob):
    pass


class File_Knob(EvalString_Knob):
    def getEvaluatedValue(self, oc: Optional[OutputContext] = None) -> str:
        """The file name at ``oc``'s frame and view, expressions and frame numbers filled in."""
        return _evaluate(self, oc or OutputContext())


class MultiView_Knob(Knob):
    """A Write's ``views`` knob: the chosen views as one space-separated string."""


# --- evaluation of file knobs ------------------------------------------------------------------

_TCL_COMMAND = re.compile(r"\[([^\[\]]*)\]")
_HASHES = re.compile(r"#+")
_PRINTF = re.compile(r"%(0\d+)?d")


def _evaluate(knob: Knob, oc: OutputContext) -> str:
    frame = int(oc.frame())
    view = oc.viewname(oc.view())
    text = str(knob.value())
    while _TCL_COMMAND.search(text):
        text = _TCL_COMMAND.sub(lambda m: _run_tcl(m.group(1), knob, frame, view), text)
    text = _HASHES.sub(lambda m: f"{frame:0{len(m.group(0))}d}", text)
    text = _PRINTF.sub(lambda m: f"{frame:0{int(m.group(1) or 1)}d}", text)
    return text.replace("%V", view).replace("%v", view[:1])


def _run_tcl(command: str, knob: Knob, frame: int, view: str) -> str:
    words = command.split()
    if words == ["frame"]:
        return str(frame)
    if words == ["view"]:
        return view
    if len(words) == 2 and words[0] == "value":
        return str(_knob_by_path(words[1], knob.node()).value())
    raise RuntimeError(f'invalid command name "{words[0] if words else ""}"')


def _knob_by_path(path: str, this: Node) -> Knob:
    node_path, _, knob_name = path.rpartition(".")
    if node_path in ("", "this"):
        node: Optional[Node] = this
    elif node_path == "root":
        node = root()
    else:
        node = this.parent().node(node_path) or toNode(node_path)
    found = node.knob(knob_name) if node is not None else None
    if found is None:
        raise RuntimeError(f"{path}: no such knob")
    return found


# --- nodes -------------------------------------------------------------------------------------


def _write_knobs() -> list[Knob]:
    return [
        File_Knob("file"),
        File_Knob("proxy"),
        Enumeration_Knob("file_type"),
        MultiView_Knob("views"),
        Boolean_Knob("use_limit", "limit to range"),
        Int_Knob("first", value=1),
        Int_Knob("last", value=100),
        Int_Knob("render_order", value=1),
    ]


def _read_knobs() -> list[Knob]:
    return [
        File_Knob("file"),
        File_Knob("proxy"),
        Int_Knob("first", value=1),
        Int_Knob("last", value=1),
    ]


_CLASS_KNOBS: dict[str, Callable[[], list[Knob]]] = {
    "Write": _write_knobs,
    "DeepWrite": _write_knobs,
    "WriteGeo": _write_knobs,
    "Read": _read_knobs,
    "DeepRead": _read_knobs,
    "ReadGeo2": _read_knobs,
    "Input": lambda: [Int_Knob("number")],
}
_GROUP_CLASSES = ("Group", "LiveGroup")


class Node:
    def __init__(self, node_class: str, parent: Optional[Group]) -> None:
        self._class = node_class
        self._parent = parent
        self._inputs: list[Optional[Node]] = []
        self._selected = False
        self._knobs: dict[str, Knob] = {}
        for knob in [String_Knob("name"), String_Knob("label"), Disable_Knob("disable")]:
            self.addKnob(knob)
        for knob in _CLASS_KNOBS.get(node_class, list)():
            self.addKnob(knob)

    def __repr__(self) -> str:
        return f"<{self._class} {self.fullName()}>"

    def Class(self) -> str:
        return self._class

    def name(self) -> str:
        return str(self._knobs["name"].value())

    def fullName(self) -> str:
        parent = self._parent
        if parent is None or isinstance(parent, Root):
            return self.name()
        return f"{parent.fullName()}.{self.name()}"

    def addKnob(self, knob: Knob) -> None:
        knob._node = self
        self._knobs[knob.name()] = knob

    def knob(self, p: str, follow_link: bool = False) -> Optional[Knob]:
        return self._knobs.get(p)

    def __getitem__(self, name: str) -> Knob:
        found = self._knobs.get(name)
        if found is None:
            raise NameError(f"knob {name} does not exist")
        return found

    def input(self, index: int) -> Optional[Node]:
        return self._inputs[index] if 0 <= index < len(self._inputs) else None

    def inputs(self) -> int:
        """One more than the highest connected input, as in Nuke."""
        connected = [i for i, node in enumerate(self._inputs) if node is not None]
        return connected[-1] + 1 if connected else 0

    def setInput(self, i: int, node: Optional[Node]) -> bool:
        while len(self._inputs) <= i:
            self._inputs.append(None)
        self._inputs[i] = node
        return True

    def isSelected(self) -> bool:
        return self._selected

    def setSelected(self, selected: bool) -> None:
        self._selected = bool(selected)

    def parent(self) -> Group:
        return self._parent if self._parent is not None else root()


class Group(Node):
    def __init__(self, node_class: str, parent: Optional[Group]) -> None:
        super().__init__(node_class, parent)
        self._nodes: list[Node] = []

    def nodes(self) -> list[Node]:
        return list(self._nodes)

    def node(self, s: str) -> Optional[Node]:
        head, _, rest = s.partition(".")
        for child in self._nodes:
            if child.name() == head:
                if not rest:
                    return child
                return child.node(rest) if isinstance(child, Group) else None
        return None

    def output(self) -> Optional[Node]:
        """The group's Output node, whose input is what the group gives downstream."""
        return next((n for n in self._nodes if n.Class() == "Output"), None)

    def begin(self) -> Group:
        _session.groups.append(self)
        return self

    def end(self) -> None:
        if len(_session.groups) > 1 and _session.groups[-1] is self:
            _session.groups.pop()

    def __enter__(self) -> Group:
        return self.begin()

    def __exit__(self, *exc: object) -> None:
        self.end()


class Root(Group):
    def __init__(self) -> None:
        super().__init__("Root", None)
        for knob in [
            Int_Knob("first_frame", value=1),
            Int_Knob("last_frame", value=100),
            Int_Knob("frame", value=1),
            Double_Knob("fps", value=24.0),
            Boolean_Knob("proxy"),
            File_Knob("project_directory"),
        ]:
            self.addKnob(knob)
        self._views = ["main"]
        self._modified = False

    def name(self) -> str:
        return "root"

    def fullName(self) -> str:
        return "root"

    def modified(self) -> bool:
        return self._modified

    def setModified(self, modified: bool) -> None:
        self._modified = bool(modified)

    def addView(self, name: str) -> None:
        if name not in self._views:
            self._views.append(name)

    def deleteView(self, name: str) -> None:
        self._views.remove(name)


# --- the session -------------------------------------------------------------------------------


class _Session:
    def __init__(self) -> None:
        self.root = Root()
        self.groups: list[Group] = [self.root]
        self.script_name = ""


_session = _Session()


def scriptClear() -> None:
    """Close the script: no nodes, no name, one view called "main", as a new Nuke session."""
    global _session
    _session = _Session()


def root() -> Root:
    return _session.root


def thisGroup() -> Group:
    return _session.groups[-1]


def views() -> list[str]:
    return list(_session.root._views)


def _unique_name(group: Group, node_class: str) -> str:
    taken = {n.name() for n in group._nodes}
    number = 1
    while f"{node_class}{number}" in taken:
        number += 1
    return f"{node_class}{number}"


def _create(node_class: str, knobs: dict[str, Any]) -> Node:
    group = thisGroup()
    made: Node = (
        Group(node_class, group) if node_class in _GROUP_CLASSES else Node(node_class, group)
    )
    made["name"].setValue(knobs.pop("name", None) or _unique_name(group, node_class))
    for index, upstream in enumerate(knobs.pop("inputs", [])):
        made.setInput(index, upstream)
    for name, value in knobs.items():
        made[name].setValue(value)
    group._nodes.append(made)
    _session.root.setModified(True)
    return made


class _NodeConstructor:
    def __init__(self, node_class: str) -> None:
        self._class = node_class

    def __call__(self, **knobs: Any) -> Node:
        return _create(self._class, dict(knobs))


class Nodes:
    """``nuke.nodes.Write(name="out", file="a.####.exr", inputs=[grade])``."""

    def __getattr__(self, node_class: str) -> _NodeConstructor:
        return _NodeConstructor(node_class)


nodes = Nodes()


def allNodes(
    filter: Optional[str] = None, group: Optional[Group] = None, recurseGroups: bool = False
) -> list[Node]:
    found: list[Node] = []
    for node in (group or thisGroup())._nodes:
        if filter is None or node.Class() == filter:
            found.append(node)
        if recurseGroups and isinstance(node, Group):
            found.extend(allNodes(filter, node, True))
    return found


def selectedNodes(filter: Optional[str] = None) -> list[Node]:
    return [n for n in allNodes(filter) if n.isSelected()]


def toNode(s: str) -> Optional[Node]:
    if s == "root":
        return _session.root
    return _session.root.node(s)


class OutputContext:
    """A frame and a view to evaluate knobs at; view 0 is "default", the script's views follow."""

    def __init__(self) -> None:
        self._frame = float(root()["frame"].value())
        self._view = 1

    def frame(self) -> float:
        return self._frame

    def setFrame(self, f: float) -> bool:
        self._frame = float(f)
        return True

    def view(self) -> int:
        return self._view

    def setView(self, n: int) -> bool:
        self._view = int(n)
        return True

    def viewcount(self) -> int:
        return len(views()) + 1

    def viewname(self, n: int) -> str:
        return (["default", *views()])[n]

    def viewshort(self, n: int) -> str:
        return self.viewname(n)[:1]

    def viewFromName(self, name: str) -> int:
        names = ["default", *views()]
        return names.index(name) if name in names else -1


# --- the script file ---------------------------------------------------------------------------


def scriptName() -> str:
    name = str(_session.root["name"].value())
    if not name:
        raise RuntimeError("No script name")
    return name


def modified(state: Optional[bool] = None) -> bool:
    if state is not None:
        _session.root.setModified(state)
    return _session.root.modified()


def scriptSave(filename: Optional[str] = None) -> bool:
    """Save to the script's own file (or to ``filename`` without renaming the script)."""
    target = filename or _session.root["name"].value()
    if not target:
        return False  # in the GUI Nuke asks for a name; the fake's artist cancels
    with open(target, "w", encoding="utf-8") as script:
        script.write(f"# fake Nuke script: {len(allNodes(group=root(), recurseGroups=True))}\n")
    if filename is None:
        _session.root.setModified(False)
    return True


# --- messages, threads, plug-in paths ----------------------------------------------------------

messages: list[tuple[str, str]] = []


def message(prompt: str) -> None:
    messages.append(("message", prompt))


def critical(message: str) -> None:
    messages.append(("critical", message))


def warning(message: str) -> None:
    messages.append(("warning", message))


def tprint(*args: Any, sep: str = " ", end: str = "\n", file: Any = None) -> None:
    messages.append(("tprint", sep.join(str(a) for a in args)))


def executeInMainThread(call: Callable[..., Any], args: Any = (), kwargs: Any = None) -> None:
    call(*(args if isinstance(args, tuple) else (args,)), **(kwargs or {}))


plugin_paths: list[str] = []


def pluginAddPath(args: str, addToSysPath: bool = True) -> None:
    plugin_paths.insert(0, args)


# --- menus -------------------------------------------------------------------------------------


class MenuItem:
    def __init__(self, name: str, script: Any = "", shortcut: str = "") -> None:
        self._name = name
        self._script = script
        self._shortcut = shortcut

    def name(self) -> str:
        return self._name

    def script(self) -> str:
        return self._script if isinstance(self._script, str) else repr(self._script)

    def shortcut(self) -> str:
        return self._shortcut

    def setShortcut(self, keySequence: str) -> None:
        self._shortcut = keySequence

    def invoke(self) -> None:
        if callable(self._script):
            self._script()
        else:
            exec(self._script, {"nuke": __import__("nuke")})


class Menu(MenuItem):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._items: list[MenuItem] = []

    def items(self) -> list[MenuItem]:
        return list(self._items)

    def findItem(self, name: str) -> Optional[MenuItem]:
        head, _, rest = name.partition("/")
        item = next((i for i in self._items if i.name() == head), None)
        if rest:
            return item.findItem(rest) if isinstance(item, Menu) else None
        return item

    def menu(self, name: str) -> Optional[Menu]:
        item = self.findItem(name)
        return item if isinstance(item, Menu) else None

    def addMenu(self, name: str, icon: str = "", tooltip: str = "", index: int = -1) -> Menu:
        head, _, rest = name.partition("/")
        menu = self.menu(head)
        if menu is None:
            menu = Menu(head)
            self._items.append(menu)
        return menu.addMenu(rest) if rest else menu

    def addCommand(
        self,
        name: str,
        command: Any = "",
        shortcut: str = "",
        icon: str = "",
        tooltip: str = "",
        index: int = -1,
        readonly: bool = False,
        shortcutContext: int = 0,
    ) -> MenuItem:
        path, _, leaf = name.rpartition("/")
        menu = self.addMenu(path) if path else self
        item = MenuItem(leaf, command, shortcut)
        menu._items.append(item)
        return item


_menus: dict[str, Menu] = {}


def menu(name: str) -> Menu:
    """The menu called ``name``; "Nuke" is the main menu bar, with a Render menu as in Nuke."""
    if name not in _menus:
        _menus[name] = Menu(name)
        if name == "Nuke":
            _menus[name].addCommand("Render/Render All...", "nuke.render()")
    return _menus[name]
