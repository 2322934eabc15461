"""``afcmd install DCC``: set a DCC up to load this suite's plug-in for the current user.

Each plug-in owns its installer (it knows its DCC's folders); this only finds
it, runs it and says what was written. A failure keeps the DCC's own files as
they were and says how to install by hand.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Union

from afcore.cli.common import EXIT_OK, UsageError

#: DCC name -> the module whose ``install()`` sets it up.
INSTALLERS = {
    "nuke": "afanasy_nuke.install",
    "maya": "afanasy_maya.install",
    "houdini": "afanasy_houdini.install",
    "blender": "afanasy_blender.extension",
}


def install_command(args: argparse.Namespace) -> int:
    installer = importlib.import_module(INSTALLERS[args.dcc])
    try:
        written: Union[Path, list[Path]] = installer.install()
    except (OSError, RuntimeError) as error:
        raise UsageError(f"Could not install the {args.dcc} plug-in: {error}") from error
    for path in written if isinstance(written, list) else [written]:
        print(f"{args.dcc}: {path}")
    return EXIT_OK
