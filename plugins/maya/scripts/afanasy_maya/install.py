"""Make the Afanasy module known to a user's Maya: one ``afanasy.mod`` in their modules folder.

Maya reads every ``.mod`` file in ``<maya app dir>/modules`` at start-up. The file written
here points at this checkout's ``plugins/maya`` (so the plug-in, the ``afanasy_maya``
package and future updates are found where they are) and puts the folder holding ``afcore``
on Maya's Python path. Running it again rewrites the file only if something moved.

    python -m afanasy_maya.install        # or: python plugins/maya/scripts/afanasy_maya/install.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Mapping, Optional, Union

MODULE_NAME = "afanasy"
MODULE_VERSION = "0.1.0"
PLUGIN_FILE = "afanasy_plugin.py"


def maya_app_dir(
    home: Optional[Union[str, Path]] = None,
    env: Optional[Mapping[str, str]] = None,
    platform: Optional[str] = None,
) -> Path:
    """Maya's per-user folder: ``MAYA_APP_DIR`` if set (and no ``home`` given), else its default.

    ``~/maya`` on Linux, ``~/Library/Preferences/Autodesk/maya`` on macOS,
    ``~/Documents/maya`` on Windows.
    """
    env = os.environ if env is None else env
    platform = platform or sys.platform
    if home is None and env.get("MAYA_APP_DIR"):
        return Path(env["MAYA_APP_DIR"])
    base = Path(home) if home is not None else Path.home()
    if platform == "darwin":
        return base / "Library" / "Preferences" / "Autodesk" / "maya"
    if platform.startswith("win"):
        return base / "Documents" / "maya"
    return base / "maya"


def module_root() -> Path:
    """This checkout's ``plugins/maya``: the folder holding ``afanasy.mod`` and ``plug-ins``."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "plug-ins" / PLUGIN_FILE).is_file():
        raise FileNotFoundError(
            f"{root} is not the Afanasy Maya module (no plug-ins/{PLUGIN_FILE} in it). Run the "
            "installer from a checkout of the submitters: python plugins/maya/scripts/"
            "afanasy_maya/install.py"
        )
    return root


def python_root(root: Path) -> Path:
    """The checkout's top folder, which holds ``afcore``: Maya's Python must import it too."""
    top = root.parents[1]
    if not (top / "afcore" / "__init__.py").is_file():
        raise FileNotFoundError(
            f"no afcore package in {top}: the Maya module must stay inside its checkout of "
            "the submitters (plugins/maya), beside afcore"
        )
    return top


def module_text(root: Path, python_path: Path) -> str:
    """A module description naming the module's folder and the Python path it needs."""
    return f"+ {MODULE_NAME} {MODULE_VERSION} {root}\nPYTHONPATH+={python_path}\n"


def install(home: Optional[Union[str, Path]] = None) -> Path:
    """Write (or bring up to date) ``<maya app dir>/modules/afanasy.mod``; return its path.

    ``home`` is the user's home folder (default: ``MAYA_APP_DIR`` or the real home).
    The plug-in then appears in Maya's Plug-in Manager as ``afanasy_plugin.py``.
    """
    path = maya_app_dir(home) / "modules" / f"{MODULE_NAME}.mod"
    root = module_root()
    text = module_text(root, python_root(root))
    if path.is_file() and path.read_text("utf-8") == text:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)
    return path


def main() -> None:
    path = install()
    print(f"Installed the Afanasy module for Maya: {path}")
    print(
        "Start Maya, open Windows > Settings/Preferences > Plug-in Manager and tick Loaded "
        f"and Auto load for {PLUGIN_FILE}."
    )


if __name__ == "__main__":
    main()
