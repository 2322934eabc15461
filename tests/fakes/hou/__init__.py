"""A hand-written stand-in for SideFX's ``hou`` module, for tests that run without Houdini.

It mirrors the names, signatures and return types of the real API (checked
against the ``types-houdini`` stubs by tests/houdini/test_fake_hou.py, and
SideFX's HOM reference) for the part the Afanasy plugin and its tests use:
the node tree (/obj, /out, /stage), ROP nodes and their parameters, wiring,
bypass and selection, parameter template groups (spare parameters), takes,
the playbar and current frame, Houdini variables, the .hip file (save, load,
name, unsaved changes), ``RopNode.render`` with render event callbacks,
``hou.ui`` and ``hou.qt.mainWindow()``. Tests set scenes up through those
public calls only; there is no test-only back door. Loading the module starts
a new, empty, unsaved session (tests load it afresh each time).

Deliberate simplifications, so that a test's expectations stay obvious:

- String parameters expand variables only: ``$HIP``, ``$HIPNAME``,
  ``$HIPFILE``, ``$OS``, ``$F``, ``$FF``, ``$F4`` / ``${F4}``, ``$WEDGE``,
  ``$WEDGENUM``, anything set with ``hou.putenv`` and the process environment
  (unknown names are left as written). A backtick expression raises
  ``hou.OperationFailed``, as Houdini does for an expression it cannot
  evaluate. Number parameters take a number or a one-variable expression
  (``setExpression("$FEND")``).
- Takes are names in a tree; they do not change parameter values.
- ``RopNode.render`` writes one short line per frame to the file the ROP's
  output parameter names (appending when every frame names the same file),
  creating folders as Houdini's "create intermediate directories" does; a file
  that cannot be written raises ``hou.OperationFailed``. Types without an
  output parameter render nothing of their own.
- ROP node types are the ones listed in ``_TYPES`` with their usual default
  parameters; every node of a ROP network, and ``usdrender_rop`` / ``usd_rop``
  in LOP networks and ``rop_geometry`` / ``rop_alembic`` in SOP networks, is a
  ``hou.RopNode``.
- ``.hip`` files are JSON: they round-trip through save and load, and nothing
  else reads them.
- ``hou.ui`` prints what it would show to stdout (a test reads it with capsys);
  ``displayMessage`` answers with its default choice. ``hou.isUIAvailable()``
  is True: this is a graphical session.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Callable, Iterator, Optional, Sequence, Union

# --- errors and enumerations ---------------------------------------------------------------------


class Error(Exception):
    """Base class of every exception hou raises."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self._message = message

    def instanceMessage(self) -> str:
        return self._message

    def description(self) -> str:
        return (type(self).__doc__ or "").strip()


class OperationFailed(Error):
    """The attempted operation failed."""


class LoadWarning(Error):
    """Warnings were generated while loading the file."""


class InvalidInput(Error):
    """Invalid input."""


class EnumValue:
    def __init__(self, owner: str, name: str) -> None:
        self._owner = owner
        self._name = name

    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"hou.{self._owner}.{self._name}"


def _enumeration(name: str, *values: str) -> type:
    """A class like hou's enumerations: one EnumValue attribute per value."""
    return type(name, (), {value: EnumValue(name, value) for value in values})


renderMethod = _enumeration("renderMethod", "RopByRop", "FrameByFrame")
ropRenderEventType = _enumeration(
    "ropRenderEventType", "PreRender", "PreFrame", "PostFrame", "PostWrite", "PostRender"
)
severityType = _enumeration(
    "severityType", "Message", "ImportantMessage", "Warning", "Error", "Fatal"
)


class Vector2:
    def __init__(self, x: float = 0.0, y: float = 0.0) -> None:
        self._values = (float(x), float(y))

    def __getitem__(self, index: int) -> float:
        return self._values[index]

    def __len__(self) -> int:
        return 2

    def __iter__(self) -> Iterator[float]:
        return iter(self._values)

    def x(self) -> float:
        return self._values[0]

    def y(self) -> float:
        return self._values[1]


# --- node types ----------------------------------------------------------------------------------


class _Expression(str):
    """A number parameter's default that is an expression, not a value."""


_ROP = {"trange": 0, "f1": _Expression("$FSTART"), "f2": _Expression("$FEND"), "f3": 1.0}
_ROP_WITH_TAKE = {**_ROP, "take": "_current_"}
_PICTURE = "$HIP/render/$HIPNAME.$OS.$F4.exr"

#: Node type name -> (its parameters and their defaults, the parameter it writes files to).
_TYPES: dict[str, tuple[dict[str, Any], str]] = {
    "ifd": (
        {
            **_ROP_WITH_TAKE,
            "vm_picture": _PICTURE,
            "soho_outputmode": 0,
            "soho_diskfile": "$HIP/ifds/$HIPNAME.$OS.$F4.ifd",
            "soho_foreground": 0,
            "vm_alfprogress": 0,
            "vm_verbose": 0,
        },
        "vm_picture",
    ),
    "karma": ({**_ROP_WITH_TAKE, "picture": _PICTURE, "alfprogress": 0}, "picture"),
    "usdrender": ({**_ROP_WITH_TAKE, "outputimage": "", "alfprogress": 0}, "outputimage"),
    "usdrender_rop": ({**_ROP_WITH_TAKE, "outputimage": "", "alfprogress": 0}, "outputimage"),
    "Redshift_ROP": (
        {**_ROP_WITH_TAKE, "RS_outputFileNamePrefix": _PICTURE},
        "RS_outputFileNamePrefix",
    ),
    "arnold": ({**_ROP_WITH_TAKE, "ar_picture": _PICTURE}, "ar_picture"),
    "opengl": ({**_ROP_WITH_TAKE, "picture": "$HIP/render/$HIPNAME.$OS.$F4.jpg"}, "picture"),
    "geometry": (
        {**_ROP_WITH_TAKE, "sopoutput": "$HIP/geo/$HIPNAME.$OS.$F.bgeo.sc", "initsim": 0},
        "sopoutput",
    ),
    "rop_geometry": (
        {**_ROP, "sopoutput": "$HIP/geo/$HIPNAME.$OS.$F.bgeo.sc", "initsim": 0},
        "sopoutput",
    ),
    "alembic": ({**_ROP_WITH_TAKE, "filename": "$HIP/output.abc"}, "filename"),
    "rop_alembic": ({**_ROP, "filename": "$HIP/output.abc"}, "filename"),
    "usd": ({**_ROP_WITH_TAKE, "lopoutput": "$HIP/usd/$OS.usd"}, "lopoutput"),
    "usd_rop": ({**_ROP, "lopoutput": "$HIP/usd/$OS.usd"}, "lopoutput"),
    "dop": ({**_ROP_WITH_TAKE, "dopoutput": "$HIP/sim/$OS.$F4.sim", "initsim": 0}, "dopoutput"),
    "comp": ({**_ROP_WITH_TAKE, "copoutput": "$HIP/comp/$OS.$F4.exr"}, "copoutput"),
    "shell": ({**_ROP_WITH_TAKE, "command": ""}, ""),
    "merge": ({}, ""),
    "null": ({}, ""),
    "batch": ({}, ""),
    "fetch": ({"source": ""}, ""),
    "wedge": (
        {
            **_ROP_WITH_TAKE,
            "driver": "",
            "wrange": 0,
            "wedgenum": 0,
            "wedgemethod": 0,
            "roottake": "",
            "random": 0,
            "numrandom": 1,
            "wedgeparams": 0,
        },
        "",
    ),
}
#: Multiparm heads and the parameters each instance gets (``#`` is the instance number).
_MULTIPARMS = {"wedgeparams": {"chan#": "", "name#": "", "steps#": 2}}
#: Node types that hold a network, and the kind of nodes inside ("" for their own kind).
_NETWORKS = {"ropnet": "Driver", "geo": "Sop", "lopnet": "Lop", "subnet": ""}
#: ROP node types living outside ROP networks.
_EMBEDDED_ROPS = {"Lop": ("usdrender_rop", "usd_rop"), "Sop": ("rop_geometry", "rop_alembic")}


class NodeTypeCategory:
    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name


class NodeType:
    def __init__(self, name: str, category: NodeTypeCategory) -> None:
        self._name = name
        self._category = category

    def name(self) -> str:
        return self._name

    def category(self) -> NodeTypeCategory:
        return self._category


_CATEGORIES = {
    name: NodeTypeCategory(name) for name in ("Manager", "Object", "Driver", "Lop", "Sop")
}


# --- parameters ----------------------------------------------------------------------------------


class ParmTemplate:
    def __init__(self, name: str, label: str, default: Any) -> None:
        self._name = name
        self._label = label
        self._default = default

    def name(self) -> str:
        return self._name

    def label(self) -> str:
        return self._label


class ToggleParmTemplate(ParmTemplate):
    def __init__(self, name: str, label: str, default_value: bool = False) -> None:
        super().__init__(name, label, int(bool(default_value)))


class ParmTemplateGroup:
    def __init__(self, parm_templates: Sequence[ParmTemplate] = ()) -> None:
        self._templates = list(parm_templates)

    def append(self, parm_template: ParmTemplate) -> None:
        self._templates.append(parm_template)

    def addParmTemplate(self, parm_template: ParmTemplate) -> None:
        self._templates.append(parm_template)

    def find(self, name: str) -> Optional[ParmTemplate]:
        return next((t for t in self._templates if t.name() == name), None)

    def parmTemplates(self) -> tuple[ParmTemplate, ...]:
        return tuple(self._templates)


_VARIABLE = re.compile(r"\$(?:\{(?P<braced>[A-Za-z_]\w*)\}|(?P<plain>[A-Za-z_]\w*))")
_PADDED_FRAME = re.compile(r"^F(\d)$")


def _kind_of(value: Any) -> str:
    if isinstance(value, (_Expression, float)):
        return "float"
    return "string" if isinstance(value, str) else "int"


class Parm:
    def __init__(self, node: Node, name: str, value: Any, kind: str = "") -> None:
        self._node = node
        self._name = name
        self._kind = kind or _kind_of(value)
        self._is_number = self._kind != "string"
        self._value: Any = str(value) if isinstance(value, _Expression) else value
        self._expression = isinstance(value, _Expression)

    def name(self) -> str:
        return self._name

    def node(self) -> Node:
        return self._node

    def eval(self) -> Union[int, float, str]:
        return self.evalAtFrame(_session.frame)

    def evalAtFrame(self, frame: float) -> Union[int, float, str]:
        if not self._is_number:
            return _expand(str(self._value), self._node, frame)
        value = _number_expression(str(self._value), frame) if self._expression else self._value
        return float(value) if self._kind == "float" else int(value)

    def evalAsString(self) -> str:
        return str(self.eval())

    def evalAsStringAtFrame(self, frame: float) -> str:
        return str(self.evalAtFrame(frame))

    def unexpandedString(self) -> str:
        if self._is_number:
            raise OperationFailed(f"{self._name} is not a string parameter")
        return str(self._value)

    def expression(self) -> str:
        if not self._expression:
            raise OperationFailed(f"{self._name} has no expression")
        return str(self._value)

    def set(
        self, value: Any, language: Optional[EnumValue] = None, follow_parm_reference: bool = True
    ) -> None:
        if self._is_number and isinstance(value, str):
            raise InvalidInput(f"{self._name} takes a number, not {value!r}")
        self._value = value
        self._expression = False
        self._node._parm_changed(self)

    def setExpression(
        self, expression: str, language: Optional[EnumValue] = None, replace_expression: bool = True
    ) -> None:
        if not self._is_number:
            raise OperationFailed(f"{self._name} is a string parameter: set() its text")
        self._value = expression
        self._expression = True
        self._node._parm_changed(self)

    def multiParmInstances(self) -> tuple[Parm, ...]:
        templates = _MULTIPARMS.get(self._name, {})
        return tuple(
            self._node._parms[template.replace("#", str(number))]
            for number in range(1, int(self._value) + 1)
            for template in templates
        )

    def _saved(self) -> dict[str, Any]:
        return {"kind": self._kind, "expression" if self._expression else "value": self._value}


class ParmTuple:
    def __init__(self, parms: list[Parm]) -> None:
        self._parms = parms

    def name(self) -> str:
        return self._parms[0].name()

    def __getitem__(self, index: int) -> Parm:
        return self._parms[index]

    def __len__(self) -> int:
        return len(self._parms)

    def eval(self) -> tuple[Union[int, float, str], ...]:
        return tuple(parm.eval() for parm in self._parms)


def _frame_variables(frame: float) -> dict[str, str]:
    whole = round(frame)
    return {
        "F": str(whole),
        "FF": f"{frame:g}",
        **{f"F{n}": f"{whole:0{n}d}" for n in range(2, 10)},
    }


def _variables(node: Optional[Node], frame: float) -> dict[str, str]:
    start, end = _session.frame_range
    values = {"FSTART": f"{start:g}", "FEND": f"{end:g}", **_frame_variables(frame)}
    if node is not None:
        values["OS"] = node.name()
    return {**os.environ, **_session.variables, **values}


def _expand(text: str, node: Optional[Node], frame: float) -> str:
    if "`" in text:
        raise OperationFailed(f"Error evaluating expression in {text!r}")
    known = _variables(node, frame)

    def value(match: re.Match[str]) -> str:
        name = match.group("braced") or match.group("plain")
        return known.get(name, match.group(0))

    return _VARIABLE.sub(value, text)


def _number_expression(expression: str, frame: float) -> float:
    text = _expand(expression.strip(), None, frame)
    try:
        return float(text)
    except ValueError:
        raise OperationFailed(f"Unable to evaluate expression {expression!r}") from None


# --- nodes ---------------------------------------------------------------------------------------


class Node:
    def __init__(self, parent: Optional[Node], name: str, type_name: str, category: str) -> None:
        self._parent = parent
        self._name = name
        self._type = NodeType(type_name, _CATEGORIES[category])
        self._children: dict[str, Node] = {}
        self._inputs: list[Optional[Node]] = []
        self._parms: dict[str, Parm] = {}
        self._bypassed = False
        parms, self._output_parm = _TYPES.get(type_name, ({}, ""))
        for parm_name, default in parms.items():
            self._parms[parm_name] = Parm(self, parm_name, default)
        #: The kind of node this one can hold; "" when it is no network.
        self._child_category = (_NETWORKS[type_name] or category) if type_name in _NETWORKS else ""

    # identity and place
    def name(self) -> str:
        return self._name

    def path(self) -> str:
        if self._parent is None:
            return "/"
        parent = self._parent.path()
        return f"{parent.rstrip('/')}/{self._name}"

    def type(self) -> NodeType:
        return self._type

    def parent(self) -> Optional[Node]:
        return self._parent

    def children(self) -> tuple[Node, ...]:
        return tuple(self._children.values())

    def allSubChildren(
        self,
        top_down: bool = True,
        recurse_in_locked_nodes: bool = True,
        sync_delayed_definition: bool = False,
    ) -> tuple[Node, ...]:
        found: list[Node] = []
        for child in self._children.values():
            below = list(child.allSubChildren(top_down, recurse_in_locked_nodes))
            found += [child, *below] if top_down else [*below, child]
        return tuple(found)

    def node(self, node_path: str) -> Optional[Node]:
        current: Optional[Node] = _session.root if node_path.startswith("/") else self
        for part in node_path.split("/"):
            if current is None:
                return None
            if part in ("", "."):
                continue
            current = current._parent if part == ".." else current._children.get(part)
        return current

    def createNode(
        self,
        node_type_name: str,
        node_name: Optional[str] = None,
        run_init_scripts: bool = True,
        load_contents: bool = True,
        exact_type_name: bool = False,
        force_valid_node_name: bool = False,
    ) -> Node:
        category = self._child_category
        if not category:
            raise OperationFailed(f"Cannot create a {node_type_name} node in {self.path()}")
        if node_type_name not in _TYPES and node_type_name not in _NETWORKS:
            raise OperationFailed(f"Invalid node type name: {node_type_name}")
        name = node_name or _unique_name(self, node_type_name)
        if name in self._children:
            raise OperationFailed(f"A node named {name} already exists in {self.path()}")
        rop = category == "Driver" or node_type_name in _EMBEDDED_ROPS.get(category, ())
        kind = RopNode if rop else (LopNode if category == "Lop" else OpNode)
        node = kind(self, name, node_type_name, category)
        self._children[name] = node
        _session.touch()
        return node

    def destroy(self) -> None:
        if self._parent is None:
            raise OperationFailed("Cannot destroy the root node")
        for sibling in self._parent._children.values():
            sibling._inputs = [None if up is self else up for up in sibling._inputs]
        del self._parent._children[self._name]
        if self in _session.selection:
            _session.selection.remove(self)
        _session.touch()

    # wiring
    def inputs(self) -> tuple[Optional[Node], ...]:
        inputs = list(self._inputs)
        while inputs and inputs[-1] is None:
            inputs.pop()
        return tuple(inputs)

    def input(self, input_index: int) -> Optional[Node]:
        inputs = self.inputs()
        return inputs[input_index] if 0 <= input_index < len(inputs) else None

    def outputs(self) -> tuple[Node, ...]:
        siblings = self._parent._children.values() if self._parent is not None else ()
        return tuple(node for node in siblings if self in node._inputs)

    def setInput(
        self, input_index: int, item_to_become_input: Optional[Node], output_index: int = 0
    ) -> None:
        upstream = item_to_become_input
        if upstream is not None and upstream._parent is not self._parent:
            raise OperationFailed(f"{upstream.path()} is not in the same network as {self.path()}")
        while len(self._inputs) <= input_index:
            self._inputs.append(None)
        self._inputs[input_index] = upstream
        _session.touch()

    def setNextInput(self, item_to_become_input: Node, output_index: int = 0) -> None:
        self.setInput(len(self.inputs()), item_to_become_input, output_index)

    def _parm_changed(self, parm: Parm) -> None:
        if parm.name() in _MULTIPARMS:
            for template, default in _MULTIPARMS[parm.name()].items():
                for number in range(1, int(parm.eval()) + 1):
                    name = template.replace("#", str(number))
                    self._parms.setdefault(name, Parm(self, name, default))
        _session.touch()

    # selection
    def isSelected(self) -> bool:
        return self in _session.selection

    def setSelected(
        self, on: bool, clear_all_selected: bool = False, show_asset_if_selected: bool = False
    ) -> None:
        if clear_all_selected:
            _session.selection.clear()
        if on and self not in _session.selection:
            _session.selection.append(self)
        elif not on and self in _session.selection:
            _session.selection.remove(self)

    def __repr__(self) -> str:
        return f"<hou.{type(self).__name__} {self.path()}>"


class OpNode(Node):
    def parm(self, parm_path: str) -> Optional[Parm]:
        return self._parms.get(parm_path)

    def parms(self) -> tuple[Parm, ...]:
        return tuple(self._parms.values())

    def parmTuple(self, parm_path: str) -> Optional[ParmTuple]:
        parms = [
            self._parms[name] for name in (f"{parm_path}{n}" for n in "123") if name in self._parms
        ]
        return ParmTuple(parms) if parms else None

    def evalParm(self, parm_path: str) -> Union[int, float, str]:
        parm = self.parm(parm_path)
        if parm is None:
            raise OperationFailed(f"Invalid parameter name: {parm_path}")
        return parm.eval()

    def setParms(self, parm_dict: dict[str, Any]) -> None:
        for name, value in parm_dict.items():
            parm = self.parm(name)
            if parm is None:
                raise OperationFailed(f"Invalid parameter name: {name}")
            parm.set(value)

    def parmTemplateGroup(self) -> ParmTemplateGroup:
        return ParmTemplateGroup([ParmTemplate(n, n, p._value) for n, p in self._parms.items()])

    def setParmTemplateGroup(
        self, parm_template_group: ParmTemplateGroup, rename_conflicting_parms: bool = False
    ) -> None:
        for template in parm_template_group.parmTemplates():
            if template.name() not in self._parms:
                self._parms[template.name()] = Parm(self, template.name(), template._default)
        _session.touch()


class _Bypassable:
    """The bypass flag: ROP, LOP, SOP... nodes have one; hou.OpNode itself has not."""

    _bypassed: bool

    def isBypassed(self) -> bool:
        return self._bypassed

    def bypass(self, on: bool) -> None:
        self._bypassed = bool(on)
        _session.touch()


class LopNode(_Bypassable, OpNode):
    pass


class RopNode(_Bypassable, OpNode):
    def __init__(self, parent: Optional[Node], name: str, type_name: str, category: str) -> None:
        super().__init__(parent, name, type_name, category)
        self._callbacks: list[Callable[[RopNode, EnumValue, float], None]] = []

    def addRenderEventCallback(
        self, callback: Callable[[RopNode, EnumValue, float], None], run_before_script: bool = False
    ) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def removeAllRenderEventCallbacks(self) -> None:
        self._callbacks.clear()

    def render(
        self,
        frame_range: Sequence[float] = (),
        res: Sequence[int] = (),
        output_file: Optional[str] = None,
        output_format: Optional[str] = None,
        to_flipbook: bool = False,
        quality: int = 2,
        ignore_inputs: bool = False,
        method: EnumValue = renderMethod.RopByRop,
        ignore_bypass_flags: bool = False,
        ignore_lock_flags: bool = False,
        verbose: bool = False,
        output_progress: bool = False,
    ) -> None:
        if not ignore_inputs:
            for upstream in self.inputs():
                if isinstance(upstream, RopNode):
                    upstream.render(frame_range, ignore_bypass_flags=ignore_bypass_flags)
        if self.isBypassed() and not ignore_bypass_flags:
            return
        kind = self._type.name()
        if kind == "fetch":
            source = self.node(str(self.evalParm("source")))
            if isinstance(source, RopNode):
                source.render(frame_range, ignore_inputs=ignore_inputs)
        elif kind == "wedge":
            self._render_wedges()
        else:
            self._render_frames(frame_range, output_file)

    def _frames(self, frame_range: Sequence[float]) -> list[float]:
        if frame_range:
            first, last = float(frame_range[0]), float(frame_range[1])
            step = float(frame_range[2]) if len(frame_range) > 2 else 1.0
        elif "trange" not in self._parms or int(self.evalParm("trange")) == 0:
            first = last = _session.frame
            step = 1.0
        else:
            first, last, step = (float(self.evalParm(name)) for name in ("f1", "f2", "f3"))
        count = int((last - first) // step) + 1
        return [first + index * step for index in range(max(count, 0))]

    def _render_frames(self, frame_range: Sequence[float], output_file: Optional[str]) -> None:
        take = str(self.evalParm("take")) if "take" in self._parms else "_current_"
        switch = takes.findTake(take) if take != "_current_" else None
        before_take, before_frame = _session.current_take, _session.frame
        if switch is not None:
            _session.current_take = switch
        try:
            self._fire(ropRenderEventType.PreRender, _session.frame)
            for frame in self._frames(frame_range):
                _session.frame = frame
                self._fire(ropRenderEventType.PreFrame, frame)
                self._write(frame, output_file)
                self._fire(ropRenderEventType.PostFrame, frame)
                self._fire(ropRenderEventType.PostWrite, frame)
            self._fire(ropRenderEventType.PostRender, _session.frame)
        finally:
            _session.current_take, _session.frame = before_take, before_frame

    def _write(self, frame: float, output_file: Optional[str]) -> None:
        parm = self._parms.get(self._output_parm)
        path = output_file or (str(parm.evalAtFrame(frame)) if parm is not None else "")
        if not path or path in ("ip", "md"):
            return
        try:
            folder = os.path.dirname(path)
            if folder:
                os.makedirs(folder, exist_ok=True)
            with open(path, "a", encoding="utf-8") as written:
                written.write(f"{self.path()} frame {frame:g}\n")
        except OSError as error:
            raise OperationFailed(f"{self.path()}: failed to write {path}: {error}") from None

    def _render_wedges(self) -> None:
        driver = self.node(str(self.evalParm("driver")))
        if not isinstance(driver, RopNode):
            raise OperationFailed(f"{self.path()}: no output driver to wedge")
        numbers = (
            [int(self.evalParm("wedgenum"))]
            if int(self.evalParm("wrange"))
            else list(range(self._wedge_count()))
        )
        for number in numbers:
            _session.variables.update(WEDGENUM=str(number), WEDGE=f"_wedge{number}")
            driver.render(ignore_inputs=True)

    def _wedge_count(self) -> int:
        if int(self.evalParm("wedgemethod")):
            parent = takes.findTake(str(self.evalParm("roottake")))
            return len(parent.children()) if parent is not None else 0
        if int(self.evalParm("random")):
            return int(self.evalParm("numrandom"))
        count = 1
        for parm in self._parms["wedgeparams"].multiParmInstances():
            if parm.name().startswith("steps") and int(parm.eval()) > 0:
                count *= int(parm.eval())
        return count

    def _fire(self, event: EnumValue, frame: float) -> None:
        for callback in list(self._callbacks):
            callback(self, event, frameToTime(frame))


def _unique_name(parent: Node, type_name: str) -> str:
    base = {"ifd": "mantra"}.get(type_name, type_name)
    number = 1
    while f"{base}{number}" in parent._children:
        number += 1
    return f"{base}{number}"


# --- takes ---------------------------------------------------------------------------------------


class Take:
    def __init__(self, name: str, parent: Optional[Take]) -> None:
        self._name = name
        self._parent = parent
        self._children: list[Take] = []

    def name(self) -> str:
        return self._name

    def parent(self) -> Optional[Take]:
        return self._parent

    def children(self) -> tuple[Take, ...]:
        return tuple(self._children)

    def isCurrent(self) -> bool:
        return _session.current_take is self

    def path(self) -> str:
        return f"{self._parent.path()}/{self._name}" if self._parent else self._name

    def addChildTake(self, name: Optional[str] = None) -> Take:
        name = name or f"take{len(list(_all_takes(_session.root_take)))}"
        if takes.findTake(name) is not None:
            raise OperationFailed(f"A take named {name} already exists")
        child = Take(name, self)
        self._children.append(child)
        _session.touch()
        return child


def _all_takes(take: Take) -> Iterator[Take]:
    yield take
    for child in take._children:
        yield from _all_takes(child)


class takes:
    @staticmethod
    def takes() -> tuple[Take, ...]:
        return tuple(_all_takes(_session.root_take))

    @staticmethod
    def rootTake() -> Take:
        return _session.root_take

    @staticmethod
    def currentTake() -> Take:
        return _session.current_take

    @staticmethod
    def setCurrentTake(take: Take) -> None:
        _session.current_take = take

    @staticmethod
    def findTake(take_name: str) -> Optional[Take]:
        return next((t for t in _all_takes(_session.root_take) if t.name() == take_name), None)


# --- the session and its .hip file ---------------------------------------------------------------


class _Session:
    """Everything a Houdini session holds; replaced on load."""

    def __init__(self, path: str) -> None:
        self.root = OpNode(None, "", "root", "Manager")
        for name, inside in (("obj", "Object"), ("out", "Driver"), ("stage", "Lop")):
            manager = OpNode(self.root, name, name, "Manager")
            manager._child_category = inside
            self.root._children[name] = manager
        self.root_take = Take("Main", None)
        self.current_take = self.root_take
        self.selection: list[Node] = []
        self.frame = 1.0
        self.fps = 24.0
        self.frame_range = (1.0, 240.0)
        self.variables: dict[str, str] = {}
        self.path = ""
        self.new = True
        self.modified = False
        self.name_file(path)

    def name_file(self, path: str) -> None:
        self.path = os.path.abspath(path)
        folder, name = os.path.split(self.path)
        self.variables.update(HIP=folder, HIPFILE=self.path, HIPNAME=os.path.splitext(name)[0])

    def touch(self) -> None:
        self.modified = True


_session = _Session("untitled.hip")


def _node_document(node: Node) -> dict[str, Any]:
    return {
        "path": node.path(),
        "type": node.type().name(),
        "parms": {name: parm._saved() for name, parm in node._parms.items()},
        "inputs": [up.name() if up is not None else None for up in node._inputs],
        "bypassed": node._bypassed,
        "selected": node.isSelected(),
    }


def _take_document(take: Take) -> dict[str, Any]:
    return {"name": take.name(), "children": [_take_document(child) for child in take._children]}


def _scene_document() -> dict[str, Any]:
    managers = _session.root._children.values()
    return {
        "fake_hou_hip": 1,
        "frame": _session.frame,
        "fps": _session.fps,
        "frame_range": list(_session.frame_range),
        "current_take": _session.current_take.name(),
        "takes": _take_document(_session.root_take),
        "nodes": [
            _node_document(node) for manager in managers for node in manager.allSubChildren()
        ],
    }


def _load_document(document: dict[str, Any], path: str) -> None:
    global _session
    session = _Session(path)
    _session = session
    session.frame, session.fps = float(document["frame"]), float(document["fps"])
    session.frame_range = (float(document["frame_range"][0]), float(document["frame_range"][1]))
    pending = [(session.root_take, child) for child in document["takes"]["children"]]
    while pending:
        parent, entry = pending.pop(0)
        take = Take(entry["name"], parent)
        parent._children.append(take)
        pending += [(take, child) for child in entry["children"]]
    session.current_take = takes.findTake(document["current_take"]) or session.root_take
    for entry in document["nodes"]:
        parent_path, name = entry["path"].rsplit("/", 1)
        parent = session.root.node(parent_path or "/")
        assert parent is not None, f"{parent_path} is missing from the file"
        node = parent.createNode(entry["type"], name)
        for parm_name, saved in entry["parms"].items():
            parm = Parm(node, parm_name, saved.get("value", saved.get("expression")), saved["kind"])
            parm._expression = "expression" in saved
            node._parms[parm_name] = parm
        if entry["bypassed"] and isinstance(node, _Bypassable):
            node.bypass(True)
        if entry["selected"]:
            node.setSelected(True)
    for entry in document["nodes"]:
        node = session.root.node(entry["path"])
        assert node is not None and node._parent is not None
        node._inputs = [node._parent._children[n] if n else None for n in entry["inputs"]]
    session.new, session.modified = False, False


class hipFile:
    @staticmethod
    def save(file_name: Optional[str] = None, save_to_recent_files: bool = True) -> None:
        if file_name is not None:
            _session.name_file(file_name)
        try:
            os.makedirs(os.path.dirname(_session.path), exist_ok=True)
            with open(_session.path, "w", encoding="utf-8") as saved:
                json.dump(_scene_document(), saved, indent=1)
        except OSError as error:
            raise OperationFailed(f"Unable to save {_session.path}: {error}") from None
        _session.new, _session.modified = False, False

    @staticmethod
    def load(
        file_name: str, suppress_save_prompt: bool = False, ignore_load_warnings: bool = False
    ) -> None:
        try:
            with open(file_name, encoding="utf-8") as loaded:
                document = json.load(loaded)
        except (OSError, ValueError) as error:
            raise OperationFailed(f"Unable to load {file_name}: {error}") from None
        if not isinstance(document, dict) or document.get("fake_hou_hip") != 1:
            raise OperationFailed(f"Unable to load {file_name}: not a .hip file")
        _load_document(document, file_name)

    @staticmethod
    def clear(suppress_save_prompt: bool = False) -> bool:
        global _session
        _session = _Session("untitled.hip")
        return True

    @staticmethod
    def setName(file_name: str) -> None:
        _session.name_file(file_name)

    @staticmethod
    def path() -> str:
        return _session.path

    @staticmethod
    def name() -> str:
        return os.path.relpath(_session.path)

    @staticmethod
    def basename() -> str:
        return os.path.basename(_session.path)

    @staticmethod
    def isNewFile() -> bool:
        return _session.new

    @staticmethod
    def hasUnsavedChanges() -> bool:
        return _session.modified


# --- module functions ----------------------------------------------------------------------------


def node(path: str) -> Optional[Node]:
    return _session.root.node(path if path.startswith("/") else f"/{path}")


def root() -> Node:
    return _session.root


def selectedNodes(include_hidden: bool = False) -> tuple[Node, ...]:
    return tuple(_session.selection)


def clearAllSelected() -> None:
    _session.selection.clear()


def frame(full_precision: bool = False) -> float:
    return _session.frame


def setFrame(frame: float) -> None:
    _session.frame = float(frame)


def fps() -> float:
    return _session.fps


def setFps(fps: float) -> None:
    _session.fps = float(fps)
    _session.touch()


def timeToFrame(time: float, full_precision: bool = False) -> float:
    return time * _session.fps + 1.0


def frameToTime(frame: float) -> float:
    return (frame - 1.0) / _session.fps


class playbar:
    @staticmethod
    def frameRange() -> Vector2:
        return Vector2(*_session.frame_range)

    @staticmethod
    def setFrameRange(start: float, end: float) -> None:
        _session.frame_range = (float(start), float(end))
        _session.touch()

    @staticmethod
    def playbackRange() -> Vector2:
        return Vector2(*_session.frame_range)


def putenv(name: str, value: str) -> None:
    _session.variables[name] = value


def getenv(name: str, default_value: Optional[str] = None) -> Optional[str]:
    return _variables(None, _session.frame).get(name, default_value)


def unsetenv(name: str) -> None:
    _session.variables.pop(name, None)


def applicationVersion(include_patch: bool = False) -> tuple[int, int, int]:
    return (20, 5, 410)


def applicationVersionString() -> str:
    return "20.5.410"


def isUIAvailable() -> bool:
    return True


class ui:
    @staticmethod
    def displayMessage(
        text: str,
        buttons: Sequence[str] = ("OK",),
        severity: EnumValue = severityType.Message,
        default_choice: int = 0,
        close_choice: int = -1,
        help: Optional[str] = None,
        title: Optional[str] = None,
        details: Optional[str] = None,
        details_label: Optional[str] = None,
        details_expanded: bool = False,
    ) -> int:
        print(f"[Houdini {severity.name()} dialog] {text}")
        return default_choice

    @staticmethod
    def setStatusMessage(message: str, severity: EnumValue = severityType.Message) -> None:
        print(f"[Houdini {severity.name()} status] {message}")


class qt:
    _window: Any = None

    @staticmethod
    def mainWindow() -> Any:
        """Houdini's main window; the tests' QApplication must exist already."""
        from Qt import QtWidgets

        if qt._window is None:
            if QtWidgets.QApplication.instance() is None:
                raise RuntimeError("no QApplication: Houdini always has one")
            qt._window = QtWidgets.QMainWindow()
            qt._window.setObjectName("Houdini")
        return qt._window
