"""How long reading a Maya scene's render layers takes: 200 layers x 4 renderable cameras.

``MayaHost.collect()`` through the fake ``maya`` package of tests/fakes, so what is measured
is the plug-in's own cost (the fake's commands are near free; in Maya, switching layers
costs what the scene's overrides cost). Each layer overrides its renderer and frame range;
four cameras are renderable, so 800 targets come out, each with Maya's image names turned
into an ``@####@`` pattern, and the collision check runs over all of them. Measured for
Render Setup layers and for legacy render layers. Target: under 0.2 s.

Time is the best and median of several runs (perf_counter). Results go to
bench/results/maya.json.

Run: ``.venv/bin/python bench/bench_maya.py [--repeat N]``
"""

from __future__ import annotations

import sys
from typing import Any

import benchlib

benchlib.use_checkout("plugins/maya/scripts", "tests/fakes")

LAYERS = 200
CAMERAS = 4
TARGET_SECONDS = 0.2
RENDERERS = ("arnold", "redshift", "vray", "mayaSoftware")
GLOBALS = "defaultRenderGlobals"


def new_scene() -> Any:
    """A fresh Maya session with a sequence to render and four renderable cameras."""
    for name in [n for n in sys.modules if n == "maya" or n.startswith("maya.")]:
        del sys.modules[name]
    from maya import cmds

    for attr, value in (("animation", True), ("extensionPadding", 4), ("endFrame", 100.0)):
        cmds.setAttr(f"{GLOBALS}.{attr}", value)
    cmds.setAttr(f"{GLOBALS}.imfPluginKey", "exr", type="string")
    cmds.setAttr(f"{GLOBALS}.imageFilePrefix", "<Scene>/<RenderLayer>/<Camera>", type="string")
    cmds.setAttr("perspShape.renderable", False)
    for number in range(CAMERAS):
        cmds.setAttr(f"{cmds.camera(name=f'cam{number}')[1]}.renderable", True)
    return cmds


def layer_overrides(number: int) -> dict[str, Any]:
    return {
        "currentRenderer": RENDERERS[number % len(RENDERERS)],
        "startFrame": float(1 + number % 10),
        "endFrame": float(50 + number),
    }


def render_setup_scene() -> None:
    new_scene()
    from maya.app.renderSetup.model import renderSetup

    setup = renderSetup.instance()
    for number in range(LAYERS):
        collection = setup.createRenderLayer(
            f"layer{number:03d}"
        ).renderSettingsCollectionInstance()
        for attr, value in layer_overrides(number).items():
            collection.createAbsoluteOverride(GLOBALS, attr).setAttrValue(value)
    setup.getDefaultRenderLayer().setRenderable(False)


def legacy_scene() -> None:
    cmds = new_scene()
    cmds.setAttr("defaultRenderLayer.renderable", False)
    for number in range(LAYERS):
        layer = cmds.createRenderLayer(name=f"layer{number:03d}", empty=True)
        cmds.editRenderLayerGlobals(currentRenderLayer=layer)
        for attr, value in layer_overrides(number).items():
            cmds.editRenderLayerAdjustment(f"{GLOBALS}.{attr}")
            cmds.setAttr(f"{GLOBALS}.{attr}", value)
    cmds.editRenderLayerGlobals(currentRenderLayer="defaultRenderLayer")


def main() -> None:
    repeat = benchlib.repeat_option(__doc__)
    benchlib.private_home("maya")

    from afanasy_maya.host import MayaHost

    cases = {}
    for kind, build in (("Render Setup", render_setup_scene), ("legacy", legacy_scene)):
        build()
        host = MayaHost()
        targets = len(host.collect().targets)
        assert targets == LAYERS * CAMERAS, targets
        cases[f"collect: {LAYERS} {kind} layers x {CAMERAS} cameras"] = {
            **benchlib.timings(host.collect, repeat),
            "targets": targets,
        }
    slowest = max(case["median_s"] for case in cases.values())
    result = {
        "what": "MayaHost.collect() through the fake maya package",
        **benchlib.environment(),
        "repeat": repeat,
        "target_s": TARGET_SECONDS,
        "met": slowest < TARGET_SECONDS,
        "cases": cases,
    }
    benchlib.publish("maya", result)


if __name__ == "__main__":
    main()
