"""A Houdini session through afcore's submit pipeline: jobs, the .hip copy, and the devserver.

The artist's .hip is only ever read - or saved in place when they agreed -
never renamed or deleted; the farm renders a copy, and deleting the job
deletes the copy.
"""

from __future__ import annotations

import shlex
import sys
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Callable

import pytest

from afanasy_houdini.farm import RENDER_SCRIPT
from afanasy_houdini.host import HoudiniHost
from afcore.build import exact_mask
from afcore.client import Client
from afcore.config import Config
from afcore.devserver import DevServer
from afcore.errors import ServerUnreachable
from afcore.outbox import Outbox
from afcore.paths import join_command
from afcore.settings import SettingsStore, SubmitSettings
from afcore.submit import SubmitBlocked, prepare, submit
from loopback import unused_port
from waiting import wait_for

pytest_plugins = ["devserver_fixture"]

FAKES = Path(__file__).resolve().parents[1] / "fakes"
NOON = datetime(2026, 1, 1, 12, 0, 0)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(user_name="fx", host_name="ws01", outbox_dir=str(tmp_path / "outbox"))


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings.json", tmp_path / "scenes")


@pytest.fixture
def hip(hou: ModuleType, tmp_path: Path) -> Path:
    """A saved FX shot in a folder with spaces: a sim cached, the cache rendered, frames 1-4."""
    out = hou.node("/out")
    sim = out.createNode("geometry", "sim")
    sim.setParms({"initsim": 1, "sopoutput": "$HIP/sim/$HIPNAME.sim.$F4.bgeo.sc"})
    cache = out.createNode("geometry", "cache")
    cache.setInput(0, sim)
    beauty = out.createNode("ifd", "beauty")
    beauty.setInput(0, cache)
    for node in (sim, cache, beauty):
        node.setParms({"trange": 1, "f1": 1, "f2": 4})
    path = tmp_path / "sh 010" / "fx v1.hip"
    hou.hipFile.save(str(path))
    return path


def test_the_network_becomes_one_job_whose_blocks_wait_for_what_feeds_them(
    hip: Path, config: Config, store: SettingsStore
) -> None:
    copy = hip.with_name("fx v1.20260101-120000.hip")

    submission = prepare(
        HoudiniHost(config), SubmitSettings(frames_per_task=2), config, store=store, now=NOON
    )

    assert submission.blocking() == []
    (job,) = submission.jobs
    assert submission.scene_copies == [str(copy)]
    assert (job.name, job.command_post) == ("fx v1", join_command(["rm", "-f", "--", str(copy)]))
    summary = [
        (b.name, b.service, b.parser, b.frame_first, b.frame_last, b.frames_per_task, b.depend_mask)
        for b in job.blocks
    ]
    assert summary == [
        ("/out/sim", "hbatch", "hbatch", 1, 4, 4, ""),
        ("/out/cache", "hbatch", "hbatch", 1, 4, 2, exact_mask(["/out/sim"])),
        ("/out/beauty", "hbatch_mantra", "hbatch_mantra", 1, 4, 2, exact_mask(["/out/cache"])),
    ]
    assert shlex.split(job.blocks[2].command) == [
        "hython",
        str(RENDER_SCRIPT),
        "--rop",
        "/out/beauty",
        "-s",
        "@#@",
        "-e",
        "@#@",
        "--by",
        "1",
        "--original",
        str(hip),
        str(copy),
    ]
    assert job.blocks[2].files == [f"{hip.parent}/render/fx v1.beauty.@####@.exr"]
    assert job.blocks[2].working_directory == str(hip.parent)


def test_the_farm_renders_the_chain_from_the_copy_and_deleting_the_job_removes_it(
    hou: ModuleType,
    hip: Path,
    config: Config,
    store: SettingsStore,
    devserver_factory: Callable[..., DevServer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The devserver's worker runs the render script with this Python and the fake hou."""
    monkeypatch.setenv("PYTHONPATH", str(FAKES))
    config.dcc = {"houdini": {"executable": sys.executable}}
    farm = devserver_factory(workers=1)
    client = Client("127.0.0.1", farm.port, connect_timeout=2, read_timeout=5)
    saved = hip.read_bytes()

    submission = prepare(HoudiniHost(config), SubmitSettings(), config, store=store, now=NOON)
    (delivery,) = submit(submission, (), client, Outbox(config.outbox_dir), store=store)
    assert delivery.sent, str(delivery)
    job_id = delivery.result.id  # type: ignore[union-attr]
    wait_for(lambda: client.get_job(job_id)["state"] == " DON", "the job done", timeout=60)

    folder = hip.parent
    assert sorted(p.name for p in (folder / "sim").iterdir()) == [
        f"fx v1.sim.{frame:04d}.bgeo.sc" for frame in range(1, 5)
    ]
    assert (folder / "geo" / "fx v1.cache.1.bgeo.sc").is_file()
    assert (folder / "render" / "fx v1.beauty.0004.exr").is_file()
    output = client.task_output(job_id, 2, 0)
    assert "RopNode.render: frame 1" in output and "@IMAGE@ " in output

    client.delete_jobs(ids=[job_id])
    wait_for(lambda: not Path(submission.scene_copies[0]).exists(), "the copy deleted", timeout=30)
    assert hip.read_bytes() == saved
    assert hou.hipFile.path() == str(hip)


def test_unsaved_changes_are_saved_in_place_only_when_the_artist_agrees(
    hou: ModuleType, hip: Path, config: Config, store: SettingsStore
) -> None:
    hou.node("/out/beauty").parm("f2").set(8)
    before = hip.read_bytes()
    host = HoudiniHost(config)
    submission = prepare(host, SubmitSettings(), config, store=store, now=NOON)
    assert [check.key for check in submission.blocking()] == ["unsaved"]
    down = Client("127.0.0.1", unused_port(), connect_timeout=0.5, read_timeout=0.5)
    outbox = Outbox(config.outbox_dir)

    with pytest.raises(SubmitBlocked, match="unsaved changes"):
        submit(submission, (), down, outbox, store=store)
    assert hip.read_bytes() == before and host.is_modified()

    (delivery,) = submit(submission, {"unsaved"}, down, outbox, store=store)

    assert isinstance(delivery.error, ServerUnreachable) and delivery.outbox_path
    assert (hou.hipFile.path(), host.is_modified()) == (str(hip), False)
    assert hip.read_bytes() != before
    assert Path(submission.scene_copies[0]).read_bytes() == hip.read_bytes()
    assert sorted(p.name for p in hip.parent.iterdir()) == sorted(
        [hip.name, Path(submission.scene_copies[0]).name]
    )


def test_a_never_saved_session_is_refused_with_the_reason(
    hou: ModuleType, config: Config, store: SettingsStore
) -> None:
    hou.node("/out").createNode("ifd", "beauty")

    submission = prepare(HoudiniHost(config), SubmitSettings(), config, store=store, now=NOON)

    assert [check.key for check in submission.blocking()] == ["never_saved"]
    with pytest.raises(SubmitBlocked, match="never saved"):
        submit(submission, {"never_saved"}, store=store)
    assert hou.hipFile.isNewFile()
