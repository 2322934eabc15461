"""What the submitter knows about each kind of ROP: its output parameter, farm service and parser.

The render script imports this module on the render clients as well, so it
imports nothing but the standard library.

Service and parser names are CGRU's (``afanasy/python/services`` and
``parsers``): ``hbatch`` counts the ``RopNode.render: frame N`` lines the
render script prints, and ``hbatch_mantra``, ``hbatch_karma`` and
``hbatch_redshift`` add what those renderers print themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class RopType:
    """A kind of ROP that writes files: where it says which, and how the farm runs it."""

    renderer: str
    #: The parameter holding the output file (evaluated per frame).
    output_parm: str
    service: str = "hbatch"
    parser: str = "hbatch"
    #: Parameters raised to at least these values on the farm, so the renderer
    #: blocks until it is done and prints progress the parsers read.
    farm_minimums: dict[str, int] = field(default_factory=dict)


_MANTRA = RopType(
    "mantra",
    "vm_picture",
    "hbatch_mantra",
    "hbatch_mantra",
    {"soho_foreground": 1, "vm_alfprogress": 1, "vm_verbose": 1},
)
_KARMA = {"alfprogress": 1}

#: ROP node type names (``node.type().name()``) that render or write files.
RENDER_TYPES: dict[str, RopType] = {
    "ifd": _MANTRA,
    "karma": RopType("karma", "picture", "hbatch_karma", "hbatch_karma", _KARMA),
    "usdrender": RopType("usdrender", "outputimage", "hbatch_karma", "hbatch_karma", _KARMA),
    "usdrender_rop": RopType("usdrender", "outputimage", "hbatch_karma", "hbatch_karma", _KARMA),
    "Redshift_ROP": RopType(
        "redshift", "RS_outputFileNamePrefix", "hbatch_redshift", "hbatch_redshift"
    ),
    "arnold": RopType("arnold", "ar_picture"),
    "opengl": RopType("opengl", "picture"),
    "geometry": RopType("geometry", "sopoutput"),
    "rop_geometry": RopType("geometry", "sopoutput"),
    "alembic": RopType("alembic", "filename"),
    "rop_alembic": RopType("alembic", "filename"),
    "usd": RopType("usd", "lopoutput"),
    "usd_rop": RopType("usd", "lopoutput"),
    "dop": RopType("dop", "dopoutput"),
    "comp": RopType("comp", "copoutput"),
}

#: A Mantra ROP set to write IFD files (``soho_outputmode`` on) only runs Houdini, not Mantra.
IFD_FILES = RopType("mantra", "soho_diskfile")

#: ROPs that render nothing themselves: they order, forward or repeat other ROPs.
MERGE_TYPES = frozenset({"merge", "null"})
FETCH, BATCH, WEDGE = "fetch", "batch", "wedge"
STRUCTURE_TYPES = MERGE_TYPES | {FETCH, BATCH}

#: Networks whose ROPs are always offered: the render network and the Solaris stage.
NETWORKS = ("/out", "/stage")

#: A spare toggle an artist adds to a ROP to say whether it renders in one task (see docs).
SINGLE_TASK_PARM = "afanasy_single_task"


def rop_type(type_name: str, writes_ifd_files: bool = False) -> Optional[RopType]:
    """The known type ``type_name`` is, or ``None`` for one the submitter does not know."""
    if type_name == "ifd" and writes_ifd_files:
        return IFD_FILES
    return RENDER_TYPES.get(type_name)
