"""What the dialog tests share: a shot on disk, a scripted artist, an opened dialog, and
Submit clicked until the farm has the job.

Imported as ``ui.dialog_fixtures`` (pytest runs in importlib mode, ``tests/`` on the path).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from afcore.client import Client
from afcore.config import Config
from afcore.scene import RenderTarget
from afcore.settings import SettingsStore
from afcore.submit import Delivery
from afcore.ui.dialog import SubmitDialog
from pipeline.fake_host import FakeHost, snapshot_of, write_scene

#: Milliseconds to wait for a submission: the worker thread needs a moment on a busy
#: two-core machine.
SENT = 10_000


@dataclass
class ScriptedArtist:
    """Answers the dialog's questions as a test decides, and remembers every question.

    Has the methods of :class:`afcore.ui.prompts.Prompts`.
    """

    save: bool = True
    create: Optional[bool] = True
    go_ahead: bool = True
    export_path: Optional[str] = None
    asked: list[tuple[str, str]] = field(default_factory=list)

    def save_scene(self, message: str) -> bool:
        self.asked.append(("save_scene", message))
        return self.save

    def create_folders(self, message: str) -> Optional[bool]:
        self.asked.append(("create_folders", message))
        return self.create

    def confirm(self, message: str) -> bool:
        self.asked.append(("confirm", message))
        return self.go_ahead

    def save_path(self, suggested: str) -> Optional[str]:
        self.asked.append(("save_path", suggested))
        return self.export_path

    def questions(self) -> list[str]:
        return [kind for kind, _ in self.asked]


def make_shot(folder: Path) -> Path:
    """A shot folder with the artist's scene (comp.nk) and an existing out/ folder."""
    (folder / "out").mkdir(parents=True)
    write_scene(folder)
    return folder


def target(shot: Path, name: str, **fields: Any) -> RenderTarget:
    """A Write-like target rendering 1-20 into the shot's out/ folder."""
    fields.setdefault("outputs", [str(shot / "out" / f"{name}.@####@.exr")])
    fields.setdefault("frames", "1-20")
    return RenderTarget(name, kind="Write", **fields)


def comp_scene(shot: Path, **state: Any) -> FakeHost:
    """precomp, then comp reading it, and a slap comp the artist did not select."""
    return FakeHost(
        snapshot_of(
            str(shot / "comp.nk"),
            target(shot, "precomp"),
            target(shot, "comp", depends_on=["precomp"]),
            target(shot, "slap", selected=False, frames="1-10"),
        ),
        **state,
    )


def farm_config(port: int, outbox: Path, **values: Any) -> Config:
    values.setdefault("connect_timeout", 2.0)
    values.setdefault("read_timeout", 5.0)
    return Config(
        server_host="127.0.0.1",
        server_port=port,
        user_name="jimmy",
        host_name="ws01",
        outbox_dir=str(outbox),
        **values,
    )


def open_submit_dialog(
    qtbot: Any,
    host: FakeHost,
    config: Config,
    artist: Optional[ScriptedArtist] = None,
    store_dir: Optional[Path] = None,
) -> SubmitDialog:
    """The dialog on ``host``, shown, with its questions answered by ``artist``."""
    folder = store_dir or Path(config.outbox_dir).parent / "remembered"
    store = SettingsStore(folder / "settings.json", folder / "scenes")
    dialog = SubmitDialog(host, config, store=store, prompts=artist or ScriptedArtist())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def submit_and_wait(qtbot: Any, dialog: SubmitDialog) -> list[Delivery]:
    """Click Submit, as the artist does, and wait for what the sending thread delivered."""
    with qtbot.waitSignal(dialog.sent, timeout=SENT) as sent:
        dialog.submit_button.click()
    return sent.args[0]


def submit_and_fetch_job(qtbot: Any, dialog: SubmitDialog, port: int) -> dict[str, Any]:
    """Click Submit; the one job it sent, as the farm on ``port`` keeps it."""
    (delivery,) = submit_and_wait(qtbot, dialog)
    assert delivery.sent, str(delivery)
    return Client("127.0.0.1", port).get_job(delivery.result.id)
