"""The fake Render Setup model (``maya.app.renderSetup.model.renderSetup``), built on the fake cmds.

As in Maya, the render setup is a singleton node (``instance()`` makes it, ``hasInstance()``
says whether it exists), each Render Setup layer is a ``renderSetupLayer`` node driving a
legacy render layer ``rs_<name>`` connected to its ``legacyRenderLayer`` attribute, and a
layer's renderability is its legacy layer's ``renderable``.
"""

from __future__ import annotations

from typing import Any

from maya import cmds


class AbsOverride:
    """An absolute override of one attribute in one layer."""

    def __init__(self, legacy_layer: str, plug: str) -> None:
        self._layer = legacy_layer
        self._plug = plug
        cmds.editRenderLayerAdjustment(plug, layer=legacy_layer)

    def setAttrValue(self, value: Any) -> None:
        current = cmds.editRenderLayerGlobals(query=True, currentRenderLayer=True)
        cmds.editRenderLayerGlobals(currentRenderLayer=self._layer)
        try:
            cmds.setAttr(self._plug, value)
        finally:
            cmds.editRenderLayerGlobals(currentRenderLayer=current)


class RenderSettingsCollection:
    """A layer's render settings collection: overrides of render settings nodes."""

    def __init__(self, legacy_layer: str) -> None:
        self._layer = legacy_layer

    def createAbsoluteOverride(self, nodeName: str, attrName: str) -> AbsOverride:
        return AbsOverride(self._layer, f"{nodeName}.{attrName}")


class RenderLayerBase:
    def _getLegacyNodeName(self) -> str:
        raise NotImplementedError

    def isRenderable(self) -> bool:
        return bool(cmds.getAttr(f"{self._getLegacyNodeName()}.renderable"))

    def setRenderable(self, value: bool) -> None:
        cmds.setAttr(f"{self._getLegacyNodeName()}.renderable", bool(value))


class DefaultRenderLayer(RenderLayerBase):
    def name(self) -> str:
        return "defaultRenderLayer"

    def _getLegacyNodeName(self) -> str:
        return "defaultRenderLayer"


class RenderLayer(RenderLayerBase):
    def __init__(self, node: str) -> None:
        self._node = node

    def name(self) -> str:
        return self._node

    def _getLegacyNodeName(self) -> str:
        return cmds.listConnections(
            f"{self._node}.legacyRenderLayer", source=True, destination=False
        )[0]

    def renderSettingsCollectionInstance(self) -> RenderSettingsCollection:
        return RenderSettingsCollection(self._getLegacyNodeName())


class RenderSetup:
    def getRenderLayers(self) -> list[RenderLayer]:
        return [RenderLayer(node) for node in cmds.ls(type="renderSetupLayer")]

    def getDefaultRenderLayer(self) -> DefaultRenderLayer:
        return DefaultRenderLayer()

    def createRenderLayer(self, renderLayerName: str) -> RenderLayer:
        node = cmds.createNode("renderSetupLayer", name=renderLayerName)
        legacy = cmds.createRenderLayer(name=f"rs_{node}", empty=True)
        cmds.connectAttr(f"{legacy}.message", f"{node}.legacyRenderLayer")
        return RenderLayer(node)


def hasInstance() -> bool:
    """Whether the render setup node exists."""
    return bool(cmds.ls(type="renderSetup"))


def instance() -> RenderSetup:
    """The render setup singleton, made (with its node) if there is none yet."""
    if not hasInstance():
        cmds.createNode("renderSetup", name="renderSetup")
    return RenderSetup()
