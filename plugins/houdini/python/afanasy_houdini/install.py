"""Make the Afanasy package known to a user's Houdini: a ``packages/afanasy.json`` pointing here.

Houdini reads every ``.json`` in ``<user folder>/packages`` at start-up. The
file written here is the shipped ``plugins/houdini/packages/afanasy.json``
with the package folder spelled out (the shipped one finds it through
``$HOUDINI_PACKAGE_PATH``, which names the folder the .json is read from), so
the shelf, the Render menu item and ``afanasy_houdini`` are used where they
are in this checkout. It goes into every Houdini version's user folder there
is; running it again rewrites a file only if something moved.

    python -m afanasy_houdini.install
    python plugins/houdini/python/afanasy_houdini/install.py      # the same, from a checkout
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Optional, Union

PACKAGE_FILE = "afanasy.json"
#: The package's own folder: plugins/houdini, holding packages/, toolbar/ and python/.
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
#: The variable the package sets to its folder, and the shipped file's way of finding it.
ROOT_VARIABLE, SHIPPED_ROOT = "AFANASY_HOUDINI", "$HOUDINI_PACKAGE_PATH/.."

_VERSIONED = re.compile(r"^houdini(\d+\.\d+)$")
_VERSION = re.compile(r"^\d+\.\d+$")


def user_folders(
    home: Optional[Union[str, Path]] = None, platform: Optional[str] = None
) -> list[Path]:
    """Each installed Houdini version's user folder, oldest first.

    ``~/houdini20.5`` on Linux, ``~/Documents/houdini20.5`` on Windows,
    ``~/Library/Preferences/houdini/20.5`` on macOS.
    """
    platform = platform or sys.platform
    base = Path(home) if home is not None else Path.home()
    if platform == "darwin":
        parent, pattern = base / "Library" / "Preferences" / "houdini", _VERSION
    else:
        parent = base / "Documents" if platform.startswith("win") else base
        pattern = _VERSIONED
    if not parent.is_dir():
        return []
    found = [entry for entry in parent.iterdir() if entry.is_dir() and pattern.match(entry.name)]
    return sorted(found, key=lambda entry: tuple(int(n) for n in re.findall(r"\d+", entry.name)))


def shipped_package() -> dict[str, Any]:
    """The package description shipped in ``plugins/houdini/packages``."""
    with (PACKAGE_ROOT / "packages" / PACKAGE_FILE).open(encoding="utf-8") as shipped:
        document: dict[str, Any] = json.load(shipped)
    return document


def package_for(root: Path) -> dict[str, Any]:
    """The shipped description with the package folder given as ``root``."""
    document = shipped_package()
    document["env"] = [
        {ROOT_VARIABLE: root.as_posix()} if ROOT_VARIABLE in entry else entry
        for entry in document["env"]
    ]
    return document


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (Houdini may be reading it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


def install(home: Optional[Union[str, Path]] = None) -> list[Path]:
    """Write (or bring up to date) ``packages/afanasy.json`` in every Houdini user folder.

    ``home`` is the user's home folder (default: the real one). Returns the
    files. Raises FileNotFoundError, saying what to do, when there is no
    Houdini user folder yet.
    """
    if not (PACKAGE_ROOT / "python" / "afanasy_houdini" / "render.py").is_file():
        raise FileNotFoundError(
            f"{PACKAGE_ROOT} is not the Afanasy Houdini package: install from a checkout of the "
            "submitters (python plugins/houdini/python/afanasy_houdini/install.py)"
        )
    folders = user_folders(home)
    if not folders:
        raise FileNotFoundError(
            f"No Houdini user folder (such as houdini20.5) in {Path(home or Path.home())}: start "
            "Houdini once so that it makes one, then run this again; or set HOUDINI_PACKAGE_DIR "
            f"to {PACKAGE_ROOT / 'packages'} before starting Houdini."
        )
    text = json.dumps(package_for(PACKAGE_ROOT), indent=4) + "\n"
    written = []
    for folder in folders:
        path = folder / "packages" / PACKAGE_FILE
        if not path.is_file() or path.read_text("utf-8") != text:
            _write(path, text)
        written.append(path)
    return written


def main() -> None:
    for path in install():
        print(f"Installed the Afanasy package for Houdini: {path}")
    print("Restart Houdini: the Afanasy shelf and Render > Submit to Afanasy... appear.")


if __name__ == "__main__":
    main()
