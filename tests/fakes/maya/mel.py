"""The fake ``maya.mel``: ``eval`` reads Maya's global UI variables, all the plugin asks."""

from __future__ import annotations

import re
from typing import Any

from maya import cmds

_READ_GLOBAL = re.compile(r"^\s*\$\w+\s*=\s*\$(\w+)\s*;?\s*$")


def eval(*args: Any, **kwargs: Any) -> Any:
    """``$local = $gMainWindow`` (or ``$gShelfTopLevel``): the global's value, as in Maya."""
    match = _READ_GLOBAL.match(args[0])
    if match is None:
        raise RuntimeError(f"the fake maya.mel cannot run {args[0]!r}")
    name = match.group(1)
    try:
        return cmds._session.mel_globals[name]
    except KeyError:
        raise RuntimeError(f'"${name}" is an undeclared variable.') from None
