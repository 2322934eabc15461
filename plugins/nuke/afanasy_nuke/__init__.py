"""Afanasy for Nuke: the menu's "Submit to Afanasy..." lands in :func:`submit`.

Importing this package needs no Nuke, no Qt and no afcore; the host, the
dialog and Qt are loaded when the artist clicks.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def _use_checkout() -> None:
    """Run from a source checkout (plugins/nuke on NUKE_PATH): its afcore is the one to use."""
    checkout = Path(__file__).resolve().parents[3]
    if importlib.util.find_spec("afcore") is None and (checkout / "afcore").is_dir():
        sys.path.append(str(checkout))


def submit() -> None:
    """Open the submit dialog on the open script, parented to Nuke's main window."""
    try:
        from afanasy_nuke.host import NukeHost
        from afcore.ui import open_dialog
    except ImportError as error:
        import nuke

        nuke.message(
            f"Afanasy cannot open its submit dialog: {error}.\n"
            "Nuke's Python needs afcore, PyYAML and Qt.py: see docs/nuke.md, Install."
        )
        return
    open_dialog(NukeHost())


_use_checkout()
