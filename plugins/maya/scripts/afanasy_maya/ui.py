"""The Afanasy shelf and menu in Maya's main window, added when the plug-in loads.

Loading is cheap: this module imports nothing but ``maya.cmds`` and ``maya.mel``, and only
inside its functions. The submitter (the host, afcore's pipeline and its Qt dialog) is
imported when the artist clicks. The shelf is ours alone: loading removes an ``Afanasy``
shelf left from before (Maya may have saved it with the user's shelves) and builds it
again, so loading twice, or after a restart, never shows two buttons.
"""

from __future__ import annotations

SHELF = "Afanasy"
BUTTON_LABEL = "Afanasy"
MENU = "AfanasyMenu"
MENU_LABEL = "Afanasy"
MENU_ITEM_LABEL = "Submit to Afanasy..."
TOOLTIP = "Submit the scene's render layers to the Afanasy render farm"
#: What the shelf button runs: a Python line, so that a shelf Maya saves still works.
SUBMIT_COMMAND = "import afanasy_maya.ui; afanasy_maya.ui.open_submitter()"
#: How to give Maya's Python what the submitter needs (Maya ships PySide, not these).
INSTALL_HINT = "mayapy -m pip install --user Qt.py PyYAML"


def _mel_global(name: str) -> str:
    """The value of one of Maya's global MEL string variables (empty in batch mode)."""
    from maya import mel

    return str(mel.eval(f"$afanasy_value = ${name}") or "")


def _is_batch() -> bool:
    from maya import cmds

    return bool(cmds.about(batch=True))


def add_shelf() -> None:
    """The ``Afanasy`` shelf with its one button, built afresh."""
    from maya import cmds

    shelves = _mel_global("gShelfTopLevel")
    if not shelves:
        return
    remove_shelf()
    shelf = str(cmds.shelfLayout(SHELF, parent=shelves))
    cmds.shelfButton(
        parent=shelf,
        label=BUTTON_LABEL,
        annotation=TOOLTIP,
        image="render.png",
        imageOverlayLabel="Af",
        # maya-stubs type `command` as a callable; Maya also takes a script, which is what
        # a saved shelf file can keep.
        command=SUBMIT_COMMAND,  # type: ignore[arg-type]
        sourceType="python",
    )


def remove_shelf() -> None:
    from maya import cmds

    if cmds.shelfLayout(SHELF, exists=True):
        cmds.deleteUI(SHELF, layout=True)


def add_menu() -> None:
    """An ``Afanasy`` menu in Maya's main window with ``Submit to Afanasy...``, built afresh."""
    from maya import cmds

    window = _mel_global("gMainWindow")
    if not window:
        return
    remove_menu()
    menu = str(cmds.menu(MENU, label=MENU_LABEL, parent=window, tearOff=True))
    cmds.menuItem(
        label=MENU_ITEM_LABEL,
        annotation=TOOLTIP,
        command=lambda *_: open_submitter(),
        parent=menu,
    )


def remove_menu() -> None:
    from maya import cmds

    if cmds.menu(MENU, exists=True):
        cmds.deleteUI(MENU, menu=True)


def install() -> None:
    """What loading the plug-in does: the shelf and the menu, in an interactive Maya only."""
    if _is_batch():
        return
    add_shelf()
    add_menu()


def remove() -> None:
    """What unloading the plug-in does: the shelf and the menu go."""
    if _is_batch():
        return
    remove_shelf()
    remove_menu()


def open_submitter() -> None:
    """Open the submit dialog on the open scene, over Maya's main window.

    Maya's Python has neither Qt.py nor PyYAML out of the box: a missing module is named
    in Maya's warning line with the command that installs it, instead of a traceback.
    """
    try:
        from afanasy_maya.host import MayaHost
        from afcore.ui import open_dialog

        open_dialog(MayaHost())
    except ImportError as error:
        from maya import cmds

        missing = error.name or str(error)
        cmds.warning(
            f"Afanasy: the submitter needs the Python module {missing!r}, which Maya's Python "
            f"cannot import. Install what it needs with: {INSTALL_HINT}"
        )
