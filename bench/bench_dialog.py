"""How fast the submit dialog opens on a big scene, and how fast its preview follows an edit.

The scene has 1,000 render targets (two views each, every third reading the
one before, frames 1001-1100), read by a host that keeps the snapshot in memory
like a DCC's host after ``collect()``. Measured with a QApplication already
running, as inside a DCC (offscreen Qt):

- open: build the dialog (prepare: checks and jobs; the targets model; the
  form; the preview) and show it, until the first paint is done;
- refresh: one rebuild after a job-wide setting changed (checks, jobs,
  preview text, the table's notes), as the debounce timer fires it;
- keystroke: what each key typed into a field costs before the debounce
  (reading and validating the settings, marking fields);
- cold open: the same opening in a fresh process, Qt import and QApplication
  included (``afsubmit --gui``), once.

Targets: shown in under 1 s, a refresh in under 100 ms. Time is perf_counter,
best and median of several runs. Results go to bench/results/dialog.json.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_dialog.py [--repeat N]``
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

import benchlib

benchlib.use_checkout()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from afcore.config import Config  # noqa: E402
from afcore.host import Host  # noqa: E402
from afcore.scene import RenderTarget, SceneSnapshot  # noqa: E402
from afcore.settings import SettingsStore  # noqa: E402

TARGETS = 1_000
OPEN_TARGET_S = 1.0
REFRESH_TARGET_S = 0.1


class SnapshotHost(Host):
    """A scene already read into memory: what a DCC host holds after collect()."""

    name = "bench"

    def __init__(self, snapshot: SceneSnapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> SceneSnapshot:
        return self.snapshot

    def scene_path(self) -> Optional[str]:
        return self.snapshot.scene_file

    def is_modified(self) -> bool:
        return False

    def save_scene(self) -> None:
        """Never called: the bench submits nothing."""

    def save_copy(self, path: str) -> None:
        """Never called: the bench submits nothing."""

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        return ["nuke", "-X", target.name, "-F", "@#@-@#@x1", "-x", scene_copy]


def big_scene(folder: Path) -> SnapshotHost:
    scene = folder / "sh010_comp_v012.nk"
    scene.write_text("# the artist's script\n", "utf-8")
    (folder / "render").mkdir()
    targets = [
        RenderTarget(
            f"Write{n:04d}",
            kind="Write",
            frames="1001-1100",
            outputs=[
                str(folder / "render" / f"w{n:04d}_{view}.@####@.exr") for view in ("left", "right")
            ],
            views=["left", "right"],
            depends_on=[f"Write{n - 1:04d}"] if n % 3 else [],
            service="nuke",
            parser="nuke",
        )
        for n in range(TARGETS)
    ]
    return SnapshotHost(SceneSnapshot(str(scene), "nuke", "15.1v3", "1001-1100", 24.0, targets))


def measure_in_process(repeat: int) -> dict[str, dict[str, float]]:
    from Qt import QtCore, QtTest, QtWidgets

    from afcore.ui.dialog import SubmitDialog

    application = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="bench_dialog_"))
    host = big_scene(folder)
    config = Config(outbox_dir=str(folder / "outbox"))
    store = SettingsStore(folder / "settings.json", folder / "scenes")

    def open_dialog() -> SubmitDialog:
        dialog = SubmitDialog(host, config, store=store)
        dialog.show()
        application.processEvents()  # the first paint
        return dialog

    def open_and_close() -> None:
        dialog = open_dialog()
        dialog.close()
        dialog.deleteLater()
        application.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)

    results: dict[str, dict[str, float]] = {"open": benchlib.timings(open_and_close, repeat)}
    dialog = open_dialog()
    (job,) = dialog.submission.jobs
    results["scene"] = {"targets": TARGETS, "blocks": len(job.blocks), "tasks": job.task_count()}
    per_task = dialog.form.editor("frames_per_task")
    values = iter(str(2 + n % 5) for n in range(10 * repeat))

    def refresh() -> None:
        per_task.setText(next(values))
        dialog.refresh()
        application.processEvents()

    def keystroke() -> None:
        QtTest.QTest.keyClicks(dialog.form.editor("hosts_mask"), "r")

    results["refresh"] = benchlib.timings(refresh, repeat)
    results["keystroke"] = benchlib.timings(keystroke, repeat)
    assert dialog.form.editor("hosts_mask").text() == "r" * repeat, "the keys were not typed"
    dialog.close()
    return results


COLD = """
import time
start = time.perf_counter()
from Qt import QtWidgets
application = QtWidgets.QApplication([])
from bench_dialog import big_scene
from afcore.config import Config
from afcore.settings import SettingsStore
from afcore.ui.dialog import SubmitDialog
import pathlib, tempfile
folder = pathlib.Path(tempfile.mkdtemp(prefix="bench_dialog_"))
dialog = SubmitDialog(big_scene(folder), Config(outbox_dir=str(folder / "outbox")),
                      store=SettingsStore(folder / "s.json", folder / "scenes"))
dialog.show()
application.processEvents()
print(time.perf_counter() - start)
"""


def measure_cold() -> float:
    """Seconds from a fresh interpreter's first Qt import to the dialog's first paint."""
    folders = (Path(__file__).resolve().parent, benchlib.ROOT)  # bench_dialog, then afcore
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(str(folder) for folder in folders))
    done = subprocess.run(
        [sys.executable, "-c", COLD], env=env, capture_output=True, text=True, check=True
    )
    return round(float(done.stdout.strip().splitlines()[-1]), 4)


def main() -> int:
    repeat = benchlib.repeat_option(__doc__)
    cases = measure_in_process(repeat)
    cases["cold open (Qt import + QApplication + open)"] = {"best_s": measure_cold()}
    report = {
        "what": "the submit dialog on a 1,000-target scene (offscreen Qt)",
        **benchlib.environment(),
        "repeat": repeat,
        "targets": {"open_s": OPEN_TARGET_S, "refresh_s": REFRESH_TARGET_S},
        "cases": cases,
        "met": {
            "open": cases["open"]["median_s"] < OPEN_TARGET_S,
            "refresh": cases["refresh"]["median_s"] < REFRESH_TARGET_S,
        },
    }
    benchlib.publish("dialog", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
