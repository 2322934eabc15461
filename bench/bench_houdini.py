"""How long reading a Houdini session's ROP networks takes: 500 ROPs in /out.

``HoudiniHost.collect()`` through the fake ``hou`` module of tests/fakes, so what
is measured is the plug-in's own cost (the fake's calls are near free; in
Houdini, evaluating output parameters costs what their expressions cost).
Two networks of 500 ROPs each:

- 100 FX chains: a simulation cached (initsim on), the cache, then a Mantra
  and a Karma render of it gathered by a Merge - 400 targets, each output
  evaluated at two frames into an ``@####@`` pattern, every dependency found;
- one chain of 500 caches, each reading the one before (the deepest network).

Target: under 0.2 s. Time is the best and median of several runs
(perf_counter). Results go to bench/results/houdini.json.

Run: ``.venv/bin/python bench/bench_houdini.py [--repeat N]``
"""

from __future__ import annotations

import os
import sys
from typing import Any

import benchlib

benchlib.use_checkout("plugins/houdini/python", "tests/fakes")

ROPS = 500
TARGET_SECONDS = 0.2


def new_session() -> Any:
    """A fresh, empty Houdini session (the fake hou loaded anew)."""
    sys.modules.pop("hou", None)
    import hou

    return hou


def rop(out: Any, kind: str, name: str, *inputs: Any, **parms: Any) -> Any:
    node = out.createNode(kind, name)
    for index, upstream in enumerate(inputs):
        node.setInput(index, upstream)
    node.setParms({"trange": 1, "f1": 1001, "f2": 1240, **parms})
    return node


def fx_chains() -> int:
    """100 x (sim -> cache -> Mantra + Karma -> Merge): 500 ROPs, 400 targets."""
    out = new_session().node("/out")
    for number in range(ROPS // 5):
        sim = rop(out, "geometry", f"sim{number}", initsim=1)
        cache = rop(out, "geometry", f"cache{number}", sim)
        beauty = rop(out, "ifd", f"beauty{number}", cache)
        karma = rop(out, "karma", f"karma{number}", cache)
        out.createNode("merge", f"shot{number}").setInput(0, beauty)
        out.node(f"shot{number}").setInput(1, karma)
    return ROPS // 5 * 4


def one_long_chain() -> int:
    """500 caches, each reading the one before."""
    out = new_session().node("/out")
    previous = rop(out, "geometry", "cache0")
    for number in range(1, ROPS):
        previous = rop(out, "geometry", f"cache{number}", previous)
    return ROPS


def main() -> None:
    repeat = benchlib.repeat_option(__doc__)
    os.chdir(benchlib.private_home("houdini"))

    from afanasy_houdini.host import HoudiniHost
    from afcore.config import Config

    cases = {}
    for label, build in (
        (f"collect: 100 FX chains, {ROPS} ROPs (sim, cache, Mantra, Karma, Merge)", fx_chains),
        (f"collect: one chain of {ROPS} caches", one_long_chain),
    ):
        expected = build()
        host = HoudiniHost(Config())
        targets = host.collect().targets
        assert len(targets) == expected, len(targets)
        assert all(t.outputs and t.selected for t in targets)
        cases[label] = {**benchlib.timings(host.collect, repeat), "targets": len(targets)}
    slowest = max(case["median_s"] for case in cases.values())
    result = {
        "what": "HoudiniHost.collect() through the fake hou module",
        **benchlib.environment(),
        "repeat": repeat,
        "target_s": TARGET_SECONDS,
        "met": slowest < TARGET_SECONDS,
        "cases": cases,
    }
    benchlib.publish("houdini", result)


if __name__ == "__main__":
    main()
