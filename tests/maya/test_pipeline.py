"""A Maya scene through afcore's submit pipeline: checks, jobs, scene copy, and the devserver."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest

from afanasy_maya.host import MayaHost
from afcore.client import Client
from afcore.config import Config
from afcore.devserver import DevServer
from afcore.frames import substitute_frames
from afcore.outbox import Outbox
from afcore.paths import join_command
from afcore.settings import SettingsStore, SubmitSettings
from afcore.submit import SubmitBlocked, prepare, submit
from loopback import unused_port

pytest_plugins = ["devserver_fixture"]

GLOBALS = "defaultRenderGlobals"
NOON = datetime(2026, 1, 1, 12, 0, 0)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(user_name="lighter", host_name="ws01", outbox_dir=str(tmp_path / "outbox"))


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings.json", tmp_path / "scenes")


def lighting_scene(cmds: ModuleType, project: Path) -> Path:
    """A saved shot: master layer (Maya Software) and two Arnold / Redshift layers, one camera."""
    cmds.workspace(str(project), openWorkspace=True)
    for attr, value in (("animation", True), ("extensionPadding", 4), ("endFrame", 24.0)):
        cmds.setAttr(f"{GLOBALS}.{attr}", value)
    cmds.setAttr(f"{GLOBALS}.imfPluginKey", "exr", type="string")
    cmds.setAttr(f"{GLOBALS}.imageFilePrefix", "<Scene>/<RenderLayer>/beauty", type="string")
    cmds.setAttr("perspShape.renderable", False)
    cmds.setAttr(f"{cmds.camera(name='shotCam')[1]}.renderable", True)
    for name, renderer, end in (("chars", "arnold", 48.0), ("env", "redshift", 12.0)):
        layer = cmds.createRenderLayer(name=name, empty=True)
        cmds.editRenderLayerGlobals(currentRenderLayer=layer)
        for attr, value in (("currentRenderer", renderer), ("endFrame", end)):
            cmds.editRenderLayerAdjustment(f"{GLOBALS}.{attr}")
            cmds.setAttr(f"{GLOBALS}.{attr}", value)
        cmds.editRenderLayerGlobals(currentRenderLayer="defaultRenderLayer")
    scene = project / "scenes" / "sh010 light.ma"
    scene.parent.mkdir(parents=True)
    cmds.file(rename=str(scene))
    cmds.file(save=True)
    return scene


def test_a_maya_scene_builds_one_job_with_a_block_per_layer(
    cmds: ModuleType, tmp_path: Path, config: Config, store: SettingsStore
) -> None:
    project = tmp_path / "sh010 project"
    scene = lighting_scene(cmds, project)
    copy = scene.with_name("sh010 light.20260101-120000.ma")

    submission = prepare(
        MayaHost(config), SubmitSettings(frames_per_task=4), config, store=store, now=NOON
    )

    assert submission.blocking() == []
    (job,) = submission.jobs
    assert submission.scene_copies == [str(copy)]
    assert job.name == "sh010 light"
    assert job.command_post == join_command(["rm", "-f", "--", str(copy)])
    summary = [
        (b.name, b.service, b.parser, b.frame_first, b.frame_last, b.frames_per_task)
        for b in job.blocks
    ]
    assert summary == [
        ("masterLayer", "maya", "maya", 1, 24, 4),
        ("chars", "maya_arnold", "maya_arnold", 1, 48, 4),
        ("env", "maya_redshift", "maya_redshift", 1, 12, 4),
    ]
    chars = job.blocks[1]
    assert chars.command == join_command(
        [
            "Render", "-r", "arnold", "-s", "@#@", "-e", "@#@", "-b", "1", "-rl", "chars",
            "-cam", "shotCamShape", "-proj", str(project), str(copy),
        ]
    )  # fmt: skip
    assert substitute_frames(chars.command, 5, 8).startswith("Render -r arnold -s 5 -e 8 -b 1")
    assert chars.files == [f"{project}/images/sh010 light/chars/beauty.@####@.exr"]


def test_submitting_to_the_farm_sends_the_job_and_leaves_the_scene_as_it_was(
    cmds: ModuleType,
    tmp_path: Path,
    config: Config,
    store: SettingsStore,
    devserver_factory,
) -> None:
    server: DevServer = devserver_factory(workers=0)
    scene = lighting_scene(cmds, tmp_path / "project")
    saved = scene.read_bytes()
    host = MayaHost(config)

    submission = prepare(host, SubmitSettings(), config, store=store, now=NOON)
    client = Client("127.0.0.1", server.port, connect_timeout=2, read_timeout=5)
    (delivery,) = submit(submission, client=client, outbox=Outbox(config.outbox_dir), store=store)

    assert delivery.sent, str(delivery)
    on_farm = client.get_job(delivery.result.id)
    assert [block["name"] for block in on_farm["blocks"]] == ["masterLayer", "chars", "env"]
    assert on_farm["blocks"][1]["service"] == "maya_arnold"
    copy = Path(submission.scene_copies[0])
    assert copy.read_bytes() == saved
    assert scene.read_bytes() == saved
    assert cmds.file(query=True, sceneName=True) == str(scene)


def test_an_unsaved_scene_is_saved_only_when_the_artist_agrees(
    cmds: ModuleType, tmp_path: Path, config: Config, store: SettingsStore
) -> None:
    scene = lighting_scene(cmds, tmp_path / "project")
    cmds.setAttr(f"{GLOBALS}.endFrame", 30.0)
    host = MayaHost(config)
    submission = prepare(host, SubmitSettings(), config, store=store, now=NOON)
    assert [check.key for check in submission.blocking()] == ["unsaved"]

    with pytest.raises(SubmitBlocked):
        submit(submission, store=store)
    assert host.is_modified()

    client = Client("127.0.0.1", unused_port(), connect_timeout=0.5, read_timeout=0.5)
    outbox = Outbox(config.outbox_dir)
    (delivery,) = submit(submission, answers={"unsaved"}, client=client, outbox=outbox, store=store)

    assert not cmds.file(query=True, modified=True)
    assert '"endFrame": 30.0' in scene.read_text("utf-8")
    assert Path(submission.scene_copies[0]).read_bytes() == scene.read_bytes()
    assert not delivery.sent and delivery.outbox_path


def test_a_never_saved_scene_is_refused_with_the_reason(
    cmds: ModuleType, config: Config, store: SettingsStore
) -> None:
    submission = prepare(MayaHost(config), SubmitSettings(), config, store=store, now=NOON)

    assert [check.key for check in submission.blocking()] == ["never_saved"]
    with pytest.raises(SubmitBlocked, match="never saved"):
        submit(submission, answers={"never_saved"}, store=store)
