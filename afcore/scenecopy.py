"""Where the farm's copy of a scene goes and what it is called.

The farm never renders the artist's own file (they keep working on it while
the farm renders): it renders ``<scene>.<stamp>.<ext>``, written beside the
scene, or in a folder the site configures with ``scene_copy_folder`` in the
DCC's config section or in ``submit``. A relative folder is taken from the
scene's folder (``renderscenes`` -> ``/shots/a/renderscenes/``). Hosts whose
scene is a file on disk make the copy with :func:`copy_scene_file`.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from afcore.config import Config

__all__ = ["configured_folder", "copy_path", "copy_scene_file", "job_copy_path", "make_stamp"]

STAMP_FORMAT = "%Y%m%d-%H%M%S"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def make_stamp(now: Optional[datetime] = None) -> str:
    """``20261123-200102``: when the submission was made, sortable, safe in any file name."""
    return (now or datetime.now()).strftime(STAMP_FORMAT)


def configured_folder(config: Config, dcc: str) -> str:
    """The site's folder for scene copies (the DCC's section first); empty: beside the scene."""
    section = config.dcc.get(dcc) or {}
    return str(section.get("scene_copy_folder") or config.submit.get("scene_copy_folder") or "")


def copy_path(scene_file: str, stamp: str, folder: str = "") -> str:
    """``/shots/a/comp.nk`` -> ``/shots/a/comp.20261123-200102.nk`` (or in ``folder``)."""
    scene = Path(scene_file)
    where = scene.parent
    if folder:
        where = where / os.path.expandvars(os.path.expanduser(folder))
    return str(where / f"{scene.stem}.{stamp}{scene.suffix}")


def job_copy_path(scene_copy: str, label: str) -> str:
    """The copy of one job among several: ``comp.20261123-200102.Write1.nk``.

    ``label`` is made safe for any file system (``/out/mantra1`` -> ``out_mantra1``).
    """
    copy = Path(scene_copy)
    safe = _UNSAFE.sub("_", label).strip("._") or "job"
    return str(copy.with_name(f"{copy.stem}.{safe}{copy.suffix}"))


def copy_scene_file(source: str, target: str) -> None:
    """Copy the saved scene file ``source`` to ``target``, never onto ``source`` itself.

    The artist's file is only ever read: a target that names it (another spelling of the
    path, or a link to it) is refused before anything is written.
    """
    if os.path.abspath(target) == os.path.abspath(source) or (
        os.path.exists(target) and os.path.samefile(target, source)
    ):
        raise ValueError(f"Refusing to copy the scene {source} onto itself.")
    shutil.copy2(source, target)
