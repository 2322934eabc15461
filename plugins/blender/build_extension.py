"""Build the Afanasy add-on as an installable Blender extension zip (and install it, if asked).

    python plugins/blender/build_extension.py                 # -> dist/afanasy_blender-0.1.0.zip
    python plugins/blender/build_extension.py --install       # and install it with `blender`
    python plugins/blender/build_extension.py --install --blender /opt/blender-4.2/blender

Needs a Python 3.9+ where afcore and PyYAML are importable (the project's .venv).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from afanasy_blender import extension


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", default="dist", help="folder for the zip (default: dist)")
    parser.add_argument("--install", action="store_true", help="install it for this user")
    parser.add_argument("--blender", help="the Blender program to install into (default: PATH)")
    options = parser.parse_args()
    if not options.install:
        print(extension.build_zip(Path(options.output).resolve()))
        return 0
    try:
        archive = extension.install(options.blender, options.output)
    except extension.InstallError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Installed {archive} into Blender; enable it in Preferences > Add-ons if it is off.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
