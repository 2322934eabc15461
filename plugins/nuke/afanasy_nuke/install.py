"""Set the Afanasy plug-in up for one artist: a ``nuke.pluginAddPath`` line in ~/.nuke/init.py.

``afcmd install nuke`` calls :func:`install`. The artist's init.py is only
ever appended to, and only once: running it again changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

#: The plug-in folder: the one holding menu.py, next to this package.
PLUGIN_DIR = Path(__file__).resolve().parent.parent


def plugin_line(plugin_dir: Path = PLUGIN_DIR) -> str:
    """The line that makes Nuke load the plug-in (a Python literal, so any path survives)."""
    return f"nuke.pluginAddPath({str(plugin_dir)!r})"


def install(home: Optional[Path] = None) -> Path:
    """Add the plug-in to ``<home>/.nuke/init.py`` (created if missing); its path is returned."""
    if not (PLUGIN_DIR / "menu.py").is_file():
        raise FileNotFoundError(
            f"No Nuke plug-in folder at {PLUGIN_DIR} (menu.py is missing): install from a "
            "checkout of the submitters, or add its plugins/nuke folder to NUKE_PATH by hand."
        )
    init = (home or Path.home()) / ".nuke" / "init.py"
    line = plugin_line()
    existing = init.read_text(encoding="utf-8") if init.is_file() else ""
    if line in existing.splitlines():
        return init
    init.parent.mkdir(parents=True, exist_ok=True)
    separator = "\n" if existing and not existing.endswith("\n") else ""
    with init.open("a", encoding="utf-8") as script:
        script.write(f"{separator}# Afanasy submitter (added by `afcmd install nuke`)\n")
        script.write(f"import nuke\n{line}\n")
    return init
