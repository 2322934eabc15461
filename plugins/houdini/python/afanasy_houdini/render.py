"""Render one ROP of a .hip file: what every task of a Houdini block runs on the farm.

    hython render.py --rop /out/mantra1 -s 1 -e 10 --by 1 [--take shotA] [--wedge]
                     [--original /shots/a/fx.hip] /shots/a/fx.20261123-200102.hip

It loads the .hip (a copy the submitter made), renders the frames with the
ROP's own ``render()`` - not its inputs: the farm runs those as blocks of
their own - and prints what CGRU's ``hbatch`` parsers read:
``RopNode.render: frame N`` as each frame starts and ``@IMAGE@ <file>`` for
each file written. ``--original`` names the artist's .hip, so that ``$HIP``,
``$HIPNAME`` and ``$HIPFILE`` (and the output paths built from them) are the
artist's, not the copy's. With ``--wedge``, ``-s`` and ``-e`` are wedge
numbers: the Wedge ROP renders its output driver once per wedge.

Exit codes: 0 rendered; 1 the render failed; 2 the command line or the .hip is
wrong (no such file, ROP or take). It runs under hython and imports only the
standard library, ``hou`` and :mod:`afanasy_houdini.roptypes`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    import hou

RENDERED, FAILED, WRONG_INPUT = 0, 1, 2
#: What CGRU's hbatch parser counts to follow a task's frames, and how its parsers find files.
FRAME_LINE, IMAGE_LINE = "RopNode.render: frame ", "@IMAGE@ "
#: How many ROP paths an error lists at most.
LISTED = 20


class WrongInput(Exception):
    """The command line or the .hip does not make sense: nothing was rendered."""


def parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="render.py", description="Render one ROP of a .hip file for an Afanasy task."
    )
    parser.add_argument("hip", help="the .hip file to load (the farm's copy)")
    parser.add_argument("--rop", required=True, help="path of the ROP to render: /out/mantra1")
    parser.add_argument("-s", "--start", type=int, required=True, help="first frame (or wedge)")
    parser.add_argument("-e", "--end", type=int, help="last frame (or wedge); default: the first")
    parser.add_argument("--by", type=int, default=1, help="frame step (default 1)")
    parser.add_argument("--take", default="", help="take to render in (default: as saved)")
    parser.add_argument("--wedge", action="store_true", help="-s and -e are wedge numbers")
    parser.add_argument("--original", default="", help="the artist's .hip this is a copy of")
    args = parser.parse_args(argv)
    if args.end is None:
        args.end = args.start
    if args.by < 1:
        parser.error(f"--by {args.by}: the step must be 1 or more")
    if args.end < args.start:
        parser.error(f"-e {args.end} is before -s {args.start}")
    return args


def load_scene(path: str, original: str) -> None:
    """Load the .hip, warnings ignored (a missing asset is the render's problem, not the load's)."""
    import hou

    if not os.path.isfile(path):
        raise WrongInput(f"there is no .hip file at {path}")
    try:
        hou.hipFile.load(path, suppress_save_prompt=True, ignore_load_warnings=True)
    except hou.OperationFailed as error:
        raise WrongInput(f"Houdini cannot load {path}: {error.instanceMessage()}") from None
    if original:
        folder, name = os.path.split(original)
        hou.putenv("HIP", folder)
        hou.putenv("HIPFILE", original)
        hou.putenv("HIPNAME", os.path.splitext(name)[0])


def _rops_in_scene() -> list[str]:
    import hou

    from afanasy_houdini.roptypes import NETWORKS

    paths = []
    for root in NETWORKS:
        network = hou.node(root)
        if network is not None:
            nodes = network.allSubChildren(recurse_in_locked_nodes=False)
            paths += [node.path() for node in nodes if isinstance(node, hou.RopNode)]
    return paths


def find_rop(path: str) -> hou.RopNode:
    import hou

    node = hou.node(path)
    if isinstance(node, hou.RopNode):
        return node
    found = _rops_in_scene()
    listed = ", ".join(found[:LISTED]) + (", ..." if len(found) > LISTED else "")
    what = "is not a ROP" if node is not None else "does not exist"
    raise WrongInput(f"{path} {what} in this .hip; its ROPs: {listed or 'none'}")


def set_take(name: str) -> None:
    import hou

    take = hou.takes.findTake(name)
    if take is None:
        known = ", ".join(t.name() for t in hou.takes.takes())
        raise WrongInput(f"there is no take {name!r} in this .hip; its takes: {known}")
    hou.takes.setCurrentTake(take)


def prepare(node: hou.RopNode) -> None:
    """Make the renderer block until done and report progress (on this copy only)."""
    from afanasy_houdini.roptypes import rop_type

    known = rop_type(node.type().name())
    for name, minimum in (known.farm_minimums if known else {}).items():
        parm = node.parm(name)
        if parm is not None and int(parm.eval()) < minimum:
            parm.set(minimum)
            print(f"Afanasy: {name} set to {minimum} on {node.path()}", flush=True)


def output_parm(node: hou.RopNode) -> Optional[hou.Parm]:
    from afanasy_houdini.roptypes import rop_type

    writes_ifd = node.parm("soho_outputmode")
    known = rop_type(node.type().name(), writes_ifd is not None and bool(writes_ifd.eval()))
    return node.parm(known.output_parm) if known else None


def watch(node: hou.RopNode) -> None:
    """Print a line as each frame of ``node`` starts, and its output file when it is written."""
    import hou

    output = output_parm(node)

    def report(rop: hou.RopNode, event: hou.EnumValue, time: float) -> None:
        frame = hou.timeToFrame(time)
        if event == hou.ropRenderEventType.PreFrame:
            print(f"{FRAME_LINE}{frame:g}", flush=True)
        elif event == hou.ropRenderEventType.PostFrame and output is not None:
            written = str(output.evalAtFrame(frame))
            if written:
                print(f"{IMAGE_LINE}{written}", flush=True)

    node.addRenderEventCallback(report)


def render(args: argparse.Namespace) -> None:
    """Render the frames (or wedges) the arguments name; raises hou.Error when the render fails."""
    node = find_rop(args.rop)
    if args.take:
        set_take(args.take)
    if not args.wedge:
        prepare(node)
        watch(node)
        node.render(frame_range=(args.start, args.end, args.by), ignore_inputs=True)
        return
    import hou

    named = str(node.evalParm("driver"))
    driver = node.node(named) if named else None
    if not isinstance(driver, hou.RopNode):
        raise WrongInput(f"the Wedge ROP {node.path()} has no Output Driver ROP to render")
    prepare(driver)
    watch(driver)
    for number in range(args.start, args.end + 1, args.by):
        print(f"Afanasy: wedge {number} of {node.path()}", flush=True)
        node.setParms({"wrange": 1, "wedgenum": number})
        node.render(ignore_inputs=True)


def main(argv: Optional[list[str]] = None) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as stop:  # argparse has printed the usage and the problem
        return int(stop.code or 0)
    import hou

    try:
        load_scene(args.hip, args.original)
        render(args)
    except WrongInput as error:
        print(f"Afanasy: {error}", file=sys.stderr, flush=True)
        return WRONG_INPUT
    except hou.Error as error:
        print(f"Afanasy: rendering {args.rop} failed: {error.instanceMessage()}", file=sys.stderr)
        return FAILED
    return RENDERED


if __name__ == "__main__":
    # Run as a script, this folder's parent must be importable for afanasy_houdini.roptypes.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
