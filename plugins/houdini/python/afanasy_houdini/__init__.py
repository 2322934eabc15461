"""Afanasy for Houdini: the shelf tool and Render > Submit to Afanasy... call :func:`submit`.

- :mod:`afanasy_houdini.host` reads the open session's ROPs for afcore's submit pipeline;
- :mod:`afanasy_houdini.targets` and :mod:`afanasy_houdini.network` decide what they become;
- :mod:`afanasy_houdini.farm` builds the command each task runs (no Houdini needed);
- :mod:`afanasy_houdini.render` is the hython script those commands run;
- :mod:`afanasy_houdini.install` makes the package known to the user's Houdini.

Importing this package costs nothing and needs neither Houdini nor Qt: the host,
the dialog and Qt are loaded when the artist clicks. The render script imports
it on the farm too.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def _use_checkout() -> None:
    """Run from a source checkout (plugins/houdini/python on PYTHONPATH): its afcore is the one."""
    checkout = Path(__file__).resolve().parents[3]
    if importlib.util.find_spec("afcore") is None and (checkout / "afcore").is_dir():
        sys.path.append(str(checkout))


#: How to add what the dialog needs to Houdini's Python, when it lacks it.
INSTALL_HINT = "hython -m pip install --user Qt.py PyYAML"


def submit() -> None:
    """Open the submit dialog on the open session, parented to Houdini's main window.

    A module Houdini's Python lacks (Qt.py, PyYAML) is named in a message with
    the command that installs it, instead of a traceback.
    """
    try:
        from afanasy_houdini.host import HoudiniHost
        from afcore.ui import open_dialog

        open_dialog(HoudiniHost())
    except ImportError as error:
        import hou

        hou.ui.displayMessage(
            f"The Afanasy submitter needs the Python module {error.name or error!s}, which "
            f"Houdini's Python cannot import. Install what it needs with:\n{INSTALL_HINT}",
            severity=hou.severityType.Error,
            title="Afanasy",
        )


_use_checkout()
