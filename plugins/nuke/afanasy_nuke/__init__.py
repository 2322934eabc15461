"""Afanasy for Nuke: the menu's "Submit to Afanasy..." lands in :func:`submit`.

Importing this package costs little and needs no Nuke and no Qt; the host,
the dialog and Qt are loaded when the artist clicks.
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


def _register() -> None:
    from afanasy_nuke.host import NukeHost
    from afcore.host import register_host

    register_host("nuke", NukeHost)


def submit() -> None:
    """Open the submit dialog on the open script, parented to Nuke's main window."""
    from afcore.ui import open_dialog

    from afanasy_nuke.host import NukeHost

    open_dialog(NukeHost())


_use_checkout()
_register()
