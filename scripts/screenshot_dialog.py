"""Make docs/images/dialog.png: the submit dialog on the example Nuke script, as an artist sees it.

The example script (examples/nuke/sh010_comp_v003.nk: a precomp, a stereo comp
reading it, a review movie, a slap comp in a group, a disabled old Write) is
copied into a scratch shot folder with its render folders, read without Nuke
by the same reader ``afsubmit --gui`` uses, and shown after a few edits: the
review movie and the slap comp ticked, the slap comp on every tenth frame, four
frames per task for the comp. Nothing is submitted.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_dialog.py [OUTPUT.png]``
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins" / "nuke")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from Qt import QtCore, QtWidgets  # noqa: E402

from afanasy_nuke.nkscript import read_snapshot  # noqa: E402
from afcore.config import Config  # noqa: E402
from afcore.settings import SettingsStore  # noqa: E402
from afcore.ui.dialog import SubmitDialog  # noqa: E402
from afcore.ui.targets_model import FRAMES, NAME, PER_TASK  # noqa: E402

EXAMPLE = ROOT / "examples" / "nuke" / "sh010_comp_v003.nk"
OUTPUT = ROOT / "docs" / "images" / "dialog.png"


def shot_folder(root: Path) -> Path:
    """The example script in a shot folder whose render folders exist, as on a real show."""
    comp = root / "ocean" / "sh010" / "comp"
    for folder in ("precomp", "comp", "review", "slap", "old"):
        (comp / "render" / folder).mkdir(parents=True)
    shutil.copy(EXAMPLE, comp / EXAMPLE.name)
    return comp / EXAMPLE.name


def edit(dialog: SubmitDialog, name: str, column: int, value: object) -> None:
    """Change a cell of the named target's row, as the artist would in the table."""
    model = dialog.model
    (row,) = [r for r in range(model.rowCount()) if model.target(r).name == name]
    role = QtCore.Qt.ItemDataRole.CheckStateRole if column == NAME else None
    index = model.index(row, column)
    if role is None:
        model.setData(index, value)
    else:
        model.setData(index, value, role)
    dialog.targets.view.selectRow(row)


def main() -> int:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    application = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    root = Path(tempfile.mkdtemp(prefix="shows-"))
    try:
        host = read_snapshot(str(shot_folder(root)))
        store = SettingsStore(root / "settings.json", root / "scenes")
        dialog = SubmitDialog(host, Config(outbox_dir=str(root / "outbox")), store=store)
        dialog.form.editor("priority").setText("120")
        edit(dialog, "Write_review", NAME, QtCore.Qt.CheckState.Checked)
        edit(dialog, "Slapcomp.Write_slap", NAME, QtCore.Qt.CheckState.Checked)
        edit(dialog, "Slapcomp.Write_slap", FRAMES, "1001-1024x10")
        edit(dialog, "Write_comp", PER_TASK, "4")
        dialog.refresh()
        dialog.show()
        application.processEvents()
        output.parent.mkdir(parents=True, exist_ok=True)
        if not dialog.grab().save(str(output)):
            print(f"Could not write {output}", file=sys.stderr)
            return 1
        print(output)
        dialog.close()
        return 0
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    sys.exit(main())
