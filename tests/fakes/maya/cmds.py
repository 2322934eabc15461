"""The fake ``maya.cmds``: one session (scene, workspace, UI) per import; see maya/__init__.py."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Optional, Union

VERSION = "2025"
_SCENE_HEADER = "//Maya ASCII 2025 scene\n"
MASTER = "defaultRenderLayer"


# --- the scene --------------------------------------------------------------------------------


class _Node:
    def __init__(self, name: str, type: str, attrs: dict[str, Any], parent: str = "") -> None:
        self.name = name
        self.type = type
        self.attrs = attrs
        self.parent = parent


def _default_nodes() -> dict[str, _Node]:
    nodes = [
        _Node(
            "defaultRenderGlobals",
            "renderGlobals",
            {
                "currentRenderer": "mayaSoftware",
                "startFrame": 1.0,
                "endFrame": 10.0,
                "byFrameStep": 1.0,
                "animation": False,
                "extensionPadding": 1,
                "imageFilePrefix": "",
                "imfPluginKey": "iff",
            },
        ),
        _Node("renderLayerManager", "renderLayerManager", {}),
        _Node(MASTER, "renderLayer", {"renderable": True}),
    ]
    for camera, renderable in (("persp", True), ("top", False), ("front", False), ("side", False)):
        nodes.append(_Node(camera, "transform", {}))
        nodes.append(_Node(f"{camera}Shape", "camera", {"renderable": renderable}, camera))
    return {node.name: node for node in nodes}


class _Scene:
    def __init__(self) -> None:
        self.nodes = _default_nodes()
        self.current_layer = MASTER
        #: layer -> plug -> value: what the layer overrides.
        self.adjustments: dict[str, dict[str, Any]] = {}
        #: (source plug, destination plug)
        self.connections: list[tuple[str, str]] = []
        self.referenced: set[str] = set()
        self.name = ""
        self.modified = False
        self.time = 1.0
        self.time_unit = "film"

    def node(self, name: str) -> _Node:
        try:
            return self.nodes[name]
        except KeyError:
            raise ValueError(f"No object matches name: {name}") from None

    def unique(self, wanted: str) -> str:
        if wanted not in self.nodes:
            return wanted
        stem = wanted.rstrip("0123456789")
        number = 1
        while f"{stem}{number}" in self.nodes:
            number += 1
        return f"{stem}{number}"

    def add(self, name: str, type: str, attrs: dict[str, Any], parent: str = "") -> str:
        name = self.unique(name)
        self.nodes[name] = _Node(name, type, attrs, parent)
        self.modified = True
        return name

    def value(self, plug: str, layer: Optional[str] = None) -> Any:
        node_name, attr = _split(plug)
        node = self.node(node_name)
        layer = layer or self.current_layer
        overrides = self.adjustments.get(layer, {})
        if plug in overrides:
            return overrides[plug]
        if attr not in node.attrs:
            raise ValueError(f"No object matches name: {plug}")
        return node.attrs[attr]

    def to_json(self) -> dict[str, Any]:
        return {
            "nodes": [[n.name, n.type, n.attrs, n.parent] for n in self.nodes.values()],
            "adjustments": self.adjustments,
            "connections": self.connections,
            "time": self.time,
            "time_unit": self.time_unit,
        }


def _split(plug: str) -> tuple[str, str]:
    node, _, attr = plug.partition(".")
    if not attr:
        raise ValueError(f"No object matches name: {plug}")
    return node, attr


def _read_scene_file(path: str) -> dict[str, Any]:
    text = Path(path).read_text("utf-8")
    if not text.startswith(_SCENE_HEADER):
        raise RuntimeError(f"File read error: {path} is not a Maya scene")
    return json.loads(text[len(_SCENE_HEADER) :])


# --- the session ------------------------------------------------------------------------------


class _Control:
    def __init__(self, name: str, kind: str, parent: Optional[_Control], props: dict[str, Any]):
        self.name = name
        self.kind = kind
        self.parent = parent
        self.props = props
        self.children: list[_Control] = []
        if parent is not None:
            parent.children.append(self)

    @property
    def path(self) -> str:
        return f"{self.parent.path}|{self.name}" if self.parent else self.name


class _Session:
    def __init__(self) -> None:
        self.scene = _Scene()
        self.project = str(Path.home() / "maya" / "projects" / "default")
        self.file_rules = {"images": "images", "scene": "scenes"}
        self.batch = False
        self.controls: dict[str, _Control] = {}
        self.plugins: dict[str, Any] = {}
        self.mel_globals: dict[str, str] = {}
        self._build_main_window()

    def _build_main_window(self) -> None:
        window = self.control("MayaWindow", "window", None)
        shelves = self.control("ShelfLayout", "shelfTabLayout", window)
        self.control("Custom", "shelfLayout", shelves)
        self.mel_globals = {"gMainWindow": window.path, "gShelfTopLevel": shelves.path}

    def enter_batch_mode(self) -> None:
        self.batch = True
        self.controls.clear()
        self.mel_globals = {"gMainWindow": "", "gShelfTopLevel": ""}

    def control(
        self, name: Optional[str], kind: str, parent: Optional[_Control], **props: Any
    ) -> _Control:
        if name is None:
            number = 1
            while f"{kind}{number}" in self.controls:
                number += 1
            name = f"{kind}{number}"
        if name in self.controls:
            raise RuntimeError(f"Object's name '{name}' is not unique.")
        created = _Control(name, kind, parent, props)
        self.controls[name] = created
        return created

    def find(self, name: str, kind: Optional[str] = None) -> Optional[_Control]:
        found = self.controls.get(name.rsplit("|", 1)[-1])
        if found is None or (kind is not None and found.kind != kind):
            return None
        return found

    def existing(self, name: str, kind: str) -> _Control:
        found = self.find(name, kind)
        if found is None:
            raise RuntimeError(f"{kind} '{name}' not found.")
        return found

    def delete(self, control: _Control) -> None:
        for child in list(control.children):
            self.delete(child)
        if control.parent is not None:
            control.parent.children.remove(control)
        del self.controls[control.name]


_session = _Session()


# --- general ----------------------------------------------------------------------------------


def about(*, batch: bool = False, version: bool = False, apiVersion: bool = False) -> Any:
    if batch:
        return _session.batch
    if version:
        return VERSION
    if apiVersion:
        return int(VERSION) * 10000
    raise TypeError("about: give a flag to query")


def warning(*args: str, noContext: bool = False, showLineNumber: bool = False) -> bool:
    print(f"// Warning: {' '.join(args)} //", file=sys.stderr)
    return True


def currentUnit(*, query: bool = False, time: Union[bool, str] = False) -> Union[str, bool]:
    if query:
        return _session.scene.time_unit
    if isinstance(time, str):
        _session.scene.time_unit = time
    return True


def currentTime(arg0: Optional[float] = None, /, *, edit: bool = False, query: bool = False):
    if query:
        return float(_session.scene.time)
    if arg0 is not None:
        _session.scene.time = float(arg0)
    return _session.scene.time


# --- nodes and attributes ---------------------------------------------------------------------


def createNode(type: str, *, name: Optional[str] = None, parent: Optional[str] = None) -> str:
    if parent is not None:
        _session.scene.node(parent)
    attrs: dict[str, Any] = {"renderable": False} if type in ("camera", "renderLayer") else {}
    return _session.scene.add(name or f"{type}1", type, attrs, parent or "")


def camera(*, name: str = "camera1") -> list[str]:
    scene = _session.scene
    transform = scene.add(name, "transform", {})
    shape = scene.add(f"{transform}Shape", "camera", {"renderable": False}, transform)
    return [transform, shape]


def ls(
    *args: str,
    type: Union[str, list[str], None] = None,
    referencedNodes: bool = False,
    long: bool = False,
) -> list[str]:
    scene = _session.scene
    types = [type] if isinstance(type, str) else type
    names = list(args) or list(scene.nodes)
    found = []
    for name in names:
        node = scene.nodes.get(name)
        if node is None or (types is not None and node.type not in types):
            continue
        if referencedNodes and name not in scene.referenced:
            continue
        found.append(name)
    return found


def listRelatives(
    *args: str, parent: bool = False, children: bool = False, shapes: bool = False
) -> Optional[list[str]]:
    scene = _session.scene
    node = scene.node(args[0])
    if parent:
        return [node.parent] if node.parent else None
    kids = [n.name for n in scene.nodes.values() if n.parent == node.name]
    return kids or None


def getAttr(*args: str, asString: bool = False) -> Any:
    value = _session.scene.value(args[0])
    return str(value) if asString else value


def setAttr(*args: Any, type: Optional[str] = None) -> None:
    plug, value = args[0], args[1]
    scene = _session.scene
    node_name, attr = _split(plug)
    node = scene.node(node_name)
    if type == "string" and not isinstance(value, str):
        raise RuntimeError(f"setAttr: {plug} takes a string")
    overrides = scene.adjustments.get(scene.current_layer, {})
    if plug in overrides:
        overrides[plug] = value
    else:
        node.attrs[attr] = value
    scene.modified = True


def connectAttr(*args: str, force: bool = False) -> None:
    source, destination = args[0], args[1]
    for plug in (source, destination):
        _session.scene.node(_split(plug)[0])
    _session.scene.connections.append((source, destination))
    _session.scene.modified = True


def listConnections(
    *args: str,
    source: bool = True,
    destination: bool = True,
    plugs: bool = False,
    type: Optional[str] = None,
) -> list[str]:
    plug = args[0]
    found = []
    for src, dst in _session.scene.connections:
        if source and (dst == plug or dst.partition(".")[0] == plug):
            found.append(src if plugs else src.partition(".")[0])
        if destination and (src == plug or src.partition(".")[0] == plug):
            found.append(dst if plugs else dst.partition(".")[0])
    if type is not None:
        found = [name for name in found if _session.scene.node(name.partition(".")[0]).type == type]
    return found


# --- render layers ----------------------------------------------------------------------------


def createRenderLayer(
    *args: str,
    name: str = "renderLayer1",
    empty: bool = False,
    makeCurrent: bool = False,
    noRecurse: bool = False,
) -> str:
    layer = _session.scene.add(name, "renderLayer", {"renderable": True})
    if makeCurrent:
        editRenderLayerGlobals(currentRenderLayer=layer)
    return layer


def editRenderLayerGlobals(
    *, query: bool = False, currentRenderLayer: Union[bool, str] = False
) -> Union[bool, str, int]:
    scene = _session.scene
    if query:
        return scene.current_layer
    if isinstance(currentRenderLayer, str):
        if scene.node(currentRenderLayer).type != "renderLayer":
            raise RuntimeError(f"{currentRenderLayer} is not a render layer")
        scene.current_layer = currentRenderLayer
    return True


def editRenderLayerAdjustment(*args: str, layer: Optional[str] = None, remove: bool = False) -> int:
    scene = _session.scene
    layer = layer or scene.current_layer
    if scene.node(layer).type != "renderLayer" or layer == MASTER:
        raise RuntimeError(f"{layer} is not a render layer that can hold adjustments")
    overrides = scene.adjustments.setdefault(layer, {})
    for plug in args:
        if remove:
            overrides.pop(plug, None)
        else:
            overrides.setdefault(plug, scene.value(plug, MASTER))
    scene.modified = True
    return len(args)


def _layer_label(layer: str) -> str:
    return "masterLayer" if layer == MASTER else layer


def _camera_node(name: str) -> _Node:
    scene = _session.scene
    node = scene.node(name)
    if node.type == "transform":
        shapes = [n for n in scene.nodes.values() if n.parent == name and n.type == "camera"]
        if not shapes:
            raise RuntimeError(f"{name} is not a camera")
        node = shapes[0]
    if node.type != "camera":
        raise RuntimeError(f"{name} is not a camera")
    return node


def renderSettings(
    *,
    camera: Optional[str] = None,
    firstImageName: bool = False,
    lastImageName: bool = False,
    fullPath: bool = False,
    genericFrameImageName: Optional[str] = None,
    layer: Optional[str] = None,
) -> list[str]:
    scene = _session.scene
    layer = layer or scene.current_layer
    if scene.node(layer).type != "renderLayer":
        raise RuntimeError(f"{layer} is not a render layer")

    def setting(attr: str) -> Any:
        return scene.value(f"defaultRenderGlobals.{attr}", layer)

    if camera is None:
        shapes = [n.name for n in scene.nodes.values() if n.type == "camera"]
        renderable = [s for s in shapes if scene.value(f"{s}.renderable", layer)]
        camera = (renderable or shapes)[0]
    camera_label = _camera_node(camera).parent or camera
    scene_label = Path(scene.name).stem if scene.name else "untitled"
    prefix = setting("imageFilePrefix") or "<Scene>"
    for token, value in (
        ("<Scene>", scene_label),
        ("<RenderLayer>", _layer_label(layer)),
        ("<Layer>", _layer_label(layer)),
        ("<Camera>", camera_label),
        ("<Version>", ""),
    ):
        prefix = prefix.replace(token, value)
    extension = setting("imfPluginKey")
    padding = int(setting("extensionPadding"))

    def image(frame_text: Optional[str]) -> str:
        name = f"{prefix}.{frame_text}.{extension}" if frame_text else f"{prefix}.{extension}"
        if not fullPath:
            return name
        return os.path.join(workspace(expandName=_session.file_rules["images"]), name)

    def numbered(frame: float) -> Optional[str]:
        return f"{round(frame):0{padding}d}" if setting("animation") else None

    names = []
    if firstImageName:
        names.append(image(numbered(setting("startFrame"))))
    if lastImageName:
        names.append(image(numbered(setting("endFrame"))))
    if genericFrameImageName is not None:
        names.append(image(genericFrameImageName if setting("animation") else None))
    return names


# --- workspace and files ----------------------------------------------------------------------


def workspace(
    arg0: Optional[str] = None,
    /,
    *,
    query: bool = False,
    rootDirectory: bool = False,
    openWorkspace: bool = False,
    fileRule: Union[bool, tuple[str, str], list[str]] = False,
    fileRuleEntry: Optional[str] = None,
    expandName: Optional[str] = None,
) -> Any:
    if query and rootDirectory:
        return _session.project.rstrip("/") + "/"
    if openWorkspace and arg0 is not None:
        _session.project = arg0
        return None
    if isinstance(fileRule, (tuple, list)):
        rule, value = fileRule
        _session.file_rules[rule] = value
        return None
    if fileRuleEntry is not None:
        return _session.file_rules.get(fileRuleEntry, "")
    if expandName is not None:
        return expandName if os.path.isabs(expandName) else f"{_session.project}/{expandName}"
    raise TypeError("workspace: unsupported flags")


#: Nodes every scene has that a reference shares with the scene instead of bringing its own.
_SHARED_NODES = set(_default_nodes()) - {MASTER}


def _load_nodes(data: dict[str, Any], namespace: str = "") -> None:
    scene = _session.scene

    def renamed(name: str) -> str:
        return f"{namespace}:{name}" if namespace and name else name

    for name, type, attrs, parent in data["nodes"]:
        if namespace and name in _SHARED_NODES:
            continue
        scene.nodes[renamed(name)] = _Node(renamed(name), type, dict(attrs), renamed(parent))
        if namespace:
            scene.referenced.add(renamed(name))
    for layer, overrides in data["adjustments"].items():
        scene.adjustments[renamed(layer)] = {renamed(p): v for p, v in overrides.items()}
    scene.connections += [(renamed(s), renamed(d)) for s, d in data["connections"]]


def file(
    arg0: Optional[str] = None,
    /,
    *,
    query: bool = False,
    sceneName: bool = False,
    modified: Optional[bool] = None,
    save: bool = False,
    rename: Optional[str] = None,
    newFile: bool = False,
    open: bool = False,
    reference: bool = False,
    namespace: str = "",
    force: bool = False,
    type: Optional[str] = None,
) -> Any:
    scene = _session.scene
    if query:
        if sceneName:
            return scene.name
        if modified:
            return scene.modified
        raise TypeError("file: give a flag to query")
    if modified is not None:
        scene.modified = modified
        return None
    if rename is not None:
        scene.name = rename
        return rename
    if save:
        if not scene.name:
            raise RuntimeError("The scene has no name: use rename before saving")
        text = _SCENE_HEADER + json.dumps(scene.to_json(), indent=1)
        Path(scene.name).write_text(text, "utf-8")
        scene.modified = False
        return scene.name
    if newFile:
        if scene.modified and not force:
            raise RuntimeError("Unsaved changes: use force to discard them")
        _session.scene = _Scene()
        return ""
    if open and arg0 is not None:
        data = _read_scene_file(arg0)
        _session.scene = _Scene()
        _session.scene.nodes.clear()
        _load_nodes(data)
        _session.scene.name = arg0
        _session.scene.time, _session.scene.time_unit = data["time"], data["time_unit"]
        _session.scene.modified = False
        return arg0
    if reference and arg0 is not None:
        if not namespace:
            namespace = Path(arg0).stem
        _load_nodes(_read_scene_file(arg0), namespace)
        scene.modified = True
        return arg0
    raise TypeError("file: unsupported flags")


# --- plug-ins ---------------------------------------------------------------------------------


def _plugin_name(path: str) -> str:
    return Path(path).name.rsplit(".", 1)[0]


def _find_plugin(name: str) -> Path:
    if os.path.isabs(name):
        return Path(name)
    for folder in os.environ.get("MAYA_PLUG_IN_PATH", "").split(os.pathsep):
        candidate = Path(folder) / name
        if folder and candidate.is_file():
            return candidate
    raise RuntimeError(f'Plug-in, "{name}", was not found on MAYA_PLUG_IN_PATH.')


def loadPlugin(*args: str, quiet: bool = False) -> list[str]:
    path = _find_plugin(args[0])
    name = _plugin_name(str(path))
    if name in _session.plugins:
        return []
    spec = importlib.util.spec_from_file_location(f"_maya_plugin_{name}", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"Cannot load plug-in {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.initializePlugin(object())
    _session.plugins[name] = module
    return [name]


def unloadPlugin(*args: str, force: bool = False) -> list[str]:
    name = _plugin_name(args[0])
    module = _session.plugins.pop(name, None)
    if module is None:
        raise RuntimeError(f"Plug-in '{name}' is not loaded.")
    module.uninitializePlugin(object())
    return [name]


def pluginInfo(arg0: str, /, *, query: bool = False, loaded: bool = False) -> bool:
    return _plugin_name(arg0) in _session.plugins


# --- UI ---------------------------------------------------------------------------------------


def _parent(parent: Optional[str], kind: str) -> _Control:
    if parent is None:
        raise RuntimeError(f"{kind}: no parent given and no current layout")
    found = _session.find(parent)
    if found is None:
        raise RuntimeError(f"{kind}: parent '{parent}' not found")
    return found


def _query(control: _Control, flags: dict[str, Any], children: str = "") -> Any:
    for flag, asked in flags.items():
        if asked is True and flag == children:
            return [child.name for child in control.children] or None
        if asked is True:
            return control.props.get(flag)
    raise TypeError("give one flag to query")


def shelfTabLayout(
    arg0: Optional[str] = None,
    /,
    *,
    query: bool = False,
    exists: bool = False,
    childArray: bool = False,
) -> Any:
    if exists:
        return _session.find(arg0 or "", "shelfTabLayout") is not None
    control = _session.existing(arg0 or "", "shelfTabLayout")
    return _query(control, {"childArray": childArray}, "childArray")


def shelfLayout(
    arg0: Optional[str] = None,
    /,
    *,
    query: bool = False,
    exists: bool = False,
    parent: Optional[str] = None,
    childArray: bool = False,
) -> Any:
    if exists:
        return _session.find(arg0 or "", "shelfLayout") is not None
    if query:
        control = _session.existing(arg0 or "", "shelfLayout")
        return _query(control, {"childArray": childArray}, "childArray")
    return _session.control(arg0, "shelfLayout", _parent(parent, "shelfLayout")).path


def shelfButton(
    arg0: Optional[str] = None,
    /,
    *,
    query: bool = False,
    exists: bool = False,
    parent: Optional[str] = None,
    label: Union[bool, str] = False,
    annotation: Union[bool, str] = False,
    image: Union[bool, str] = False,
    imageOverlayLabel: Union[bool, str] = False,
    command: Union[bool, str, Callable[..., Any]] = False,
    sourceType: Union[bool, str] = False,
) -> Any:
    flags = {
        "label": label,
        "annotation": annotation,
        "image": image,
        "imageOverlayLabel": imageOverlayLabel,
        "command": command,
        "sourceType": sourceType,
    }
    if exists:
        return _session.find(arg0 or "", "shelfButton") is not None
    if query:
        return _query(_session.existing(arg0 or "", "shelfButton"), flags)
    props = {k: v for k, v in flags.items() if v is not False}
    if props.get("sourceType", "mel") not in ("mel", "python"):
        raise RuntimeError(f"shelfButton: sourceType must be mel or python, not {sourceType}")
    return _session.control(arg0, "shelfButton", _parent(parent, "shelfButton"), **props).path


def menu(
    arg0: Optional[str] = None,
    /,
    *,
    query: bool = False,
    exists: bool = False,
    label: Union[bool, str] = False,
    parent: Optional[str] = None,
    tearOff: bool = False,
    itemArray: bool = False,
) -> Any:
    if exists:
        return _session.find(arg0 or "", "menu") is not None
    if query:
        control = _session.existing(arg0 or "", "menu")
        return _query(control, {"itemArray": itemArray, "label": label}, "itemArray")
    return _session.control(
        arg0, "menu", _parent(parent, "menu"), label=label, tearOff=tearOff
    ).path


def menuItem(
    arg0: Optional[str] = None,
    /,
    *,
    query: bool = False,
    exists: bool = False,
    label: Union[bool, str] = False,
    annotation: Union[bool, str] = False,
    command: Union[bool, str, Callable[..., Any]] = False,
    parent: Optional[str] = None,
) -> Any:
    flags = {"label": label, "annotation": annotation, "command": command}
    if exists:
        return _session.find(arg0 or "", "menuItem") is not None
    if query:
        return _query(_session.existing(arg0 or "", "menuItem"), flags)
    props = {k: v for k, v in flags.items() if v is not False}
    return _session.control(arg0, "menuItem", _parent(parent, "menuItem"), **props).path


_DELETE_KINDS = {
    "layout": ("shelfLayout", "shelfTabLayout"),
    "menu": ("menu",),
    "menuItem": ("menuItem",),
    "control": ("shelfButton",),
    "window": ("window",),
}


def deleteUI(
    *args: str,
    layout: bool = False,
    menu: bool = False,
    menuItem: bool = False,
    control: bool = False,
    window: bool = False,
) -> bool:
    asked = {
        "layout": layout,
        "menu": menu,
        "menuItem": menuItem,
        "control": control,
        "window": window,
    }
    kinds = [kind for flag, on in asked.items() if on for kind in _DELETE_KINDS[flag]]
    for name in args:
        found = _session.find(name)
        if found is None or (kinds and found.kind not in kinds):
            raise RuntimeError(f"Object '{name}' not found.")
        _session.delete(found)
    return True
