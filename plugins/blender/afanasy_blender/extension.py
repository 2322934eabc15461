"""Build the installable Blender extension zip, and install it into a user's Blender.

A Blender 4.2+ extension brings its Python dependencies as wheels listed in its manifest;
Blender installs them when the extension is installed. This one bundles two, both pure
Python so that one zip serves every platform:

- ``afcore``, made from the afcore package this module is installed beside;
- ``PyYAML``'s Python part (PyYAML falls back to it when its C speed-up is missing),
  made from the installed PyYAML, because PyPI has PyYAML only as per-platform wheels.

No ``bpy`` here: the build runs in any Python 3.9+ that has afcore and PyYAML.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Iterator, Optional

PACKAGE = Path(__file__).resolve().parent
MANIFEST = "blender_manifest.toml"
WHEELS = "wheels"
#: Caches, and compiled modules: each wheel is pure Python, for every platform at once.
_SKIPPED_FOLDERS = {"__pycache__"}
_SKIPPED_SUFFIXES = {".pyc", ".so", ".pyd", ".dylib"}


def _package_files(root: Path) -> Iterator[Path]:
    """The package's files under ``root``, without caches and compiled modules."""
    for path in sorted(root.rglob("*")):
        skipped = _SKIPPED_FOLDERS & set(path.parts) or path.suffix in _SKIPPED_SUFFIXES
        if path.is_file() and not skipped:
            yield path


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def write_wheel(
    folder: Path,
    distribution: str,
    version: str,
    package: Path,
    extra: Optional[dict[str, bytes]] = None,
) -> Path:
    """A pure-Python wheel of ``package`` (a folder) in ``folder``: what Blender installs."""
    files = {
        f"{package.name}/{path.relative_to(package).as_posix()}": path.read_bytes()
        for path in _package_files(package)
    }
    info = f"{distribution}-{version}.dist-info"
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n"
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: afanasy_blender.extension\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n"
    )
    for name, data in (extra or {}).items():
        files[f"{info}/{name}"] = data
    record = [_record_line(name, data) for name, data in files.items()]
    files[f"{info}/RECORD"] = "\n".join([*record, f"{info}/RECORD,,", ""]).encode()
    wheel = folder / f"{distribution}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


def _yaml_license() -> dict[str, bytes]:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        found = distribution("PyYAML")
    except PackageNotFoundError:
        return {}
    for file in found.files or []:
        if file.name == "LICENSE":
            return {"LICENSE": Path(str(file.locate())).read_bytes()}
    return {}


def build_wheels(folder: Path) -> list[Path]:
    """The afcore and PyYAML wheels the extension bundles, written into ``folder``."""
    import yaml

    import afcore

    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_wheel(folder, "afcore", afcore.__version__, Path(afcore.__file__).parent),
        write_wheel(
            folder, "PyYAML", yaml.__version__, Path(yaml.__file__).parent, _yaml_license()
        ),
    ]


def manifest_text(wheels: list[str]) -> str:
    """The add-on's manifest with its bundled wheels listed (paths relative to the zip)."""
    listed = ", ".join(f'"./{WHEELS}/{name}"' for name in wheels)
    return (PACKAGE / MANIFEST).read_text("utf-8").rstrip("\n") + f"\nwheels = [{listed}]\n"


def manifest_version() -> str:
    for line in (PACKAGE / MANIFEST).read_text("utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "version":
            return value.strip().strip('"')
    raise ValueError(f"{PACKAGE / MANIFEST} has no version line")


def build_zip(output_dir: Path) -> Path:
    """``afanasy_blender-<version>.zip`` in ``output_dir``: install it with Install from Disk."""
    output_dir.mkdir(parents=True, exist_ok=True)
    staging = output_dir / f".{PACKAGE.name}-wheels"
    shutil.rmtree(staging, ignore_errors=True)
    wheels = build_wheels(staging)
    target = output_dir / f"{PACKAGE.name}-{manifest_version()}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _package_files(PACKAGE):
            name = path.relative_to(PACKAGE).as_posix()
            if name != MANIFEST:
                archive.write(path, name)
        archive.writestr(MANIFEST, manifest_text([wheel.name for wheel in wheels]))
        for wheel in wheels:
            archive.write(wheel, f"{WHEELS}/{wheel.name}")
    shutil.rmtree(staging)
    return target


class InstallError(RuntimeError):
    """The extension could not be installed; the message says how to install it by hand."""


def install(blender: Optional[str] = None, output_dir: Optional[str] = None) -> Path:
    """Build the zip and install it for this user with ``blender --command extension install-file``.

    ``blender`` is the Blender program to install into (default: ``blender`` on PATH). The
    zip stays in ``output_dir`` (default: the current folder) for installing by hand.
    """
    archive = build_zip(Path(output_dir or ".").resolve())
    program = blender or shutil.which("blender")
    by_hand = (
        f"The extension was built at {archive}. Install it in Blender 4.2 or later with "
        "Edit > Preferences > Get Extensions > Install from Disk..."
    )
    if not program:
        raise InstallError(f"No Blender program found on PATH (give its path). {by_hand}")
    command = [
        program,
        "--command",
        "extension",
        "install-file",
        "--repo",
        "user_default",
        "--enable",
        str(archive),
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        raise InstallError(f"{' '.join(command)} failed: {output}. {by_hand}")
    return archive
