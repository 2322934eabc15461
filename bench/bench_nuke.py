"""How long reading a Nuke script's Writes takes: inside Nuke, and from a .nk file without it.

- ``NukeHost.collect()`` on a session with 1,000 Writes (each after a Read and
  a Grade, every tenth reading another Write's output, a tenth inside
  Groups), through the fake ``nuke`` module of tests/fakes: the plug-in's own
  cost, since the fake's calls are near free. Target: under 0.2 s.
- ``read_snapshot(path).collect()`` on a 50,000-node .nk file written the way
  Nuke writes them (1,000 Writes, Reads, Grades, Merges through set/push, 100
  Groups, multi-line knob values): parse, evaluate and link. Target: under 1 s.

Time is the best and median of several runs (perf_counter). Results go to
bench/results/nuke.json.

Run: ``.venv/bin/python bench/bench_nuke.py [--repeat N]``
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import benchlib

benchlib.use_checkout("plugins/nuke", "tests/fakes")

import nuke  # noqa: E402 - the fake, from tests/fakes
from afanasy_nuke.host import NukeHost  # noqa: E402
from afanasy_nuke.nkscript import read_snapshot  # noqa: E402

WRITES = 1000
NK_NODES = 50_000
TARGETS = {"collect": 0.2, "nk": 1.0}


def build_session() -> None:
    """1,000 Writes in the fake Nuke session, as a big comp would have them."""
    nuke.scriptClear()
    nuke.root()["first_frame"].setValue(1001)
    nuke.root()["last_frame"].setValue(1100)
    for number in range(WRITES):
        group = nuke.nodes.Group(name=f"Precomp{number}") if number % 10 == 5 else None
        if group is not None:
            group.begin()
        source = f"/r/w{number - 1}/img.%04d.exr" if number % 10 == 1 else f"/p/{number}.####.exr"
        read = nuke.nodes.Read(file=source, first=1001, last=1100)
        grade = nuke.nodes.Grade(inputs=[read])
        write = nuke.nodes.Write(name=f"W{number}", file=f"/r/w{number}/img.####.exr")
        write.setInput(0, grade)
        write.setSelected(number % 3 == 0)
        if group is not None:
            group.end()


def write_nk(path: Path) -> int:
    """A .nk file of ``NK_NODES`` nodes in Nuke's own layout; returns the node count."""
    lines = [
        "#! /opt/Nuke15.1v3/libnuke-15.1.3.so -nx",
        "version 15.1 v3",
        "Root {\n inputs 0\n name /shows/demo/comp.nk\n first_frame 1001\n last_frame 1100\n"
        ' format "2048 1152 0 0 2048 1152 1 2K_DCP"\n}',
    ]
    nodes = 0
    chain = 0
    while nodes < NK_NODES:
        in_group = chain % 10 == 5
        pad = " " if in_group else ""
        if in_group:
            lines.append(f"Group {{\n inputs 0\n name Group{chain}\n xpos {chain}\n}}")
            nodes += 1
        source = f"/r/w{chain - 1}/img.%04d.exr" if chain % 10 == 1 else f"/p/{chain}.####.exr"
        lines.append(
            f"{pad}Read {{\n{pad} inputs 0\n{pad} file_type exr\n{pad} file {source}\n"
            f'{pad} format "2048 1152 0 0 2048 1152 1 2K_DCP"\n{pad} first 1001\n'
            f"{pad} last 1100\n{pad} origset true\n{pad} name Read{chain}\n{pad}}}"
        )
        lines.append(f"{pad}set N{chain:08x} [stack 0]")
        nodes += 1
        for step in range(44):
            lines.append(
                f"{pad}Grade {{\n{pad} white {{1.1 1 0.9 1}}\n{pad} name Grade{chain}_{step}\n"
                f"{pad} xpos {step}\n{pad} ypos {chain}\n{pad}}}"
            )
            nodes += 1
        lines.append(
            f"{pad}Roto {{\n{pad} curves {{{{{{v x3f99999a}}\n{pad}  {{f 0}}\n{pad}  {{n\n"
            f"{pad}   {{layer Root\n{pad}    {{f 2097152}}\n"
            f"{pad}    {{t x44800000 x44428000}}}}}}}}}}\n"
            f"{pad} name Roto{chain}\n{pad}}}"
        )
        lines.append(f"{pad}push $N{chain:08x}")
        lines.append(f"{pad}Merge2 {{\n{pad} inputs 2\n{pad} name Merge{chain}\n{pad}}}")
        lines.append(
            f"{pad}Write {{\n{pad} file /r/w{chain}/img.####.exr\n{pad} file_type exr\n"
            f"{pad} name W{chain}\n{pad} selected {'true' if chain % 3 == 0 else 'false'}\n{pad}}}"
        )
        nodes += 4
        if in_group:
            lines.append(" Output {\n  name Output1\n }\nend_group")
            nodes += 1
        chain += 1
    path.write_text("\n".join(lines) + "\n")
    return nodes


def main() -> None:
    repeat = benchlib.repeat_option(__doc__)

    build_session()
    collected = NukeHost().collect()
    assert len(collected.targets) == WRITES

    with tempfile.TemporaryDirectory(prefix="bench-nuke-") as folder:
        script = Path(folder) / "comp.nk"
        nodes = write_nk(script)
        read = read_snapshot(str(script)).collect()
        cases = {
            f"collect: {WRITES:,} Writes through the fake nuke module": {
                **benchlib.timings(lambda: NukeHost().collect(), repeat),
                "targets": len(collected.targets),
                "target_s": TARGETS["collect"],
            },
            f"nk: {nodes:,}-node .nk file ({script.stat().st_size / 1e6:.1f} MB)": {
                **benchlib.timings(lambda: read_snapshot(str(script)).collect(), repeat),
                "targets": len(read.targets),
                "with_dependencies": sum(1 for t in read.targets if t.depends_on),
                "target_s": TARGETS["nk"],
            },
        }

    report = {
        "what": "NukeHost.collect() (fake nuke) and read_snapshot().collect() on a .nk file",
        **benchlib.environment(),
        "repeat": repeat,
        "met": all(case["best_s"] < case["target_s"] for case in cases.values()),
        "cases": cases,
    }
    benchlib.publish("nuke", report)


if __name__ == "__main__":
    main()
