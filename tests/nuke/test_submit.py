"""Submitting the open Nuke script through the shared pipeline: what is saved, copied and sent.

The artist's script is only ever read - or saved in place when they agreed -
never moved, renamed or deleted, whether the farm takes the job or not.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from types import ModuleType
from typing import Callable

import pytest

from afanasy_nuke.host import NukeHost
from afcore.client import Client
from afcore.config import Config
from afcore.devserver import DevServer
from afcore.errors import ServerUnreachable
from afcore.outbox import Outbox
from afcore.settings import SettingsStore, SubmitSettings
from afcore.submit import SubmitBlocked, prepare, submit
from loopback import unused_port

pytest_plugins = ["devserver_fixture"]

CONFIG = Config(user_name="jimmy", host_name="ws01")


@pytest.fixture
def script(nuke: ModuleType, tmp_path: Path) -> Path:
    """A saved comp in a folder with a space and a quote: a precomp and the comp reading it."""
    folder = tmp_path / "sh 010 'final'"
    (folder / "render").mkdir(parents=True)
    nuke.root()["last_frame"].setValue(10)
    plate = nuke.nodes.Read(file=str(folder / "plate.####.exr"), first=1, last=10)
    nuke.nodes.Write(name="precomp", file="render/pre.####.exr", inputs=[plate])
    reread = nuke.nodes.Read(file="render/pre.####.exr", first=1, last=10)
    nuke.nodes.Write(name="comp", file="render/comp.####.exr", inputs=[reread])
    path = folder / "comp v1.nk"
    nuke.root()["name"].setValue(str(path))
    nuke.scriptSave()
    return path


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings.json", tmp_path / "scenes")


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(tmp_path / "outbox")


def files_beside(script: Path) -> list[str]:
    return sorted(p.name for p in script.parent.iterdir() if p.is_file())


def test_a_saved_script_is_sent_from_a_copy_and_left_as_it_was(
    nuke: ModuleType,
    script: Path,
    store: SettingsStore,
    outbox: Outbox,
    devserver_factory: Callable[..., DevServer],
) -> None:
    farm = devserver_factory(workers=0)
    before = script.read_bytes()
    client = Client("127.0.0.1", farm.port, connect_timeout=2, read_timeout=5)

    submission = prepare(NukeHost(), SubmitSettings(), CONFIG, store=store)
    (delivery,) = submit(submission, (), client, outbox, store=store)

    assert delivery.sent, str(delivery)
    job = client.get_job(delivery.result.id)  # type: ignore[union-attr]
    (copy,) = submission.scene_copies
    blocks = {block["name"]: block for block in job["blocks"]}
    assert shlex.split(blocks["comp"]["command"]) == [
        "nuke",
        "-X",
        "comp",
        "-F",
        "@#@-@#@x1",
        "-x",
        copy,
    ]
    assert "precomp" in blocks["comp"].get("depend_mask", "") + blocks["comp"].get(
        "tasks_depend_mask", ""
    )
    assert Path(copy).read_bytes() == before
    assert script.read_bytes() == before
    assert (nuke.scriptName(), nuke.modified()) == (str(script), False)
    assert files_beside(script) == sorted([script.name, Path(copy).name])


def test_when_the_farm_is_down_the_script_is_saved_once_and_stays_where_it_is(
    nuke: ModuleType, script: Path, store: SettingsStore, outbox: Outbox
) -> None:
    nuke.nodes.Grade()  # an unsaved change
    down = Client("127.0.0.1", unused_port(), connect_timeout=1, read_timeout=1)

    submission = prepare(NukeHost(), SubmitSettings(), CONFIG, store=store)
    (delivery,) = submit(submission, {"unsaved"}, down, outbox, store=store)

    assert isinstance(delivery.error, ServerUnreachable)
    assert [e.name for e in outbox.entries()] == [submission.jobs[0].name]
    (copy,) = submission.scene_copies
    assert script.read_text() == "# fake Nuke script: 5\n"  # saved, with the change
    assert Path(copy).read_text() == script.read_text()
    assert (nuke.scriptName(), nuke.modified()) == (str(script), False)
    assert files_beside(script) == sorted([script.name, Path(copy).name])


def test_unsaved_changes_the_artist_does_not_save_stop_everything(
    nuke: ModuleType, script: Path, store: SettingsStore, outbox: Outbox
) -> None:
    nuke.nodes.Grade()
    before = script.read_bytes()
    down = Client("127.0.0.1", unused_port(), connect_timeout=1, read_timeout=1)

    submission = prepare(NukeHost(), SubmitSettings(), CONFIG, store=store)
    with pytest.raises(SubmitBlocked, match="unsaved changes"):
        submit(submission, (), down, outbox, store=store)

    assert script.read_bytes() == before
    assert (nuke.scriptName(), nuke.modified()) == (str(script), True)
    assert files_beside(script) == [script.name]
    assert outbox.entries() == []
