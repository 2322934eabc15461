"""Nuke runs this at start-up in the GUI: add "Submit to Afanasy..." and nothing else.

Nothing is imported here but ``nuke``; the command imports the plug-in when
it is clicked. A failure only prints a line: it must never stop Nuke starting.
"""

import nuke

SUBMIT_COMMAND = "import afanasy_nuke; afanasy_nuke.submit()"
SUBMIT_SHORTCUT = "F12"

try:
    menubar = nuke.menu("Nuke")
    menubar.addCommand("Render/Submit to Afanasy...", SUBMIT_COMMAND, SUBMIT_SHORTCUT)
    menubar.addCommand("Afanasy/Submit to Afanasy...", SUBMIT_COMMAND)
except Exception as error:  # a broken menu entry must not stop Nuke from starting
    nuke.tprint(f"Afanasy: could not add the Submit to Afanasy menu items: {error}")
