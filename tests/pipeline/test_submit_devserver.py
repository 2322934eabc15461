"""From a scene to rendered tasks on the devserver: order, scene copies, and their removal.

The host's command is a small Python program the devserver's worker really
runs: it appends what it rendered, and the scene copy it read, to a log.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import pytest

from afcore.client import Client
from afcore.config import Config
from afcore.devserver import DevServer
from afcore.outbox import Outbox
from afcore.scene import RenderTarget
from afcore.settings import SettingsStore, SubmitSettings
from afcore.submit import prepare, submit
from pipeline.fake_host import FakeHost, snapshot_of, write_scene
from waiting import wait_for

pytest_plugins = ["devserver_fixture"]

CONFIG = Config(user_name="jimmy", host_name="ws01")

#: Appends "<target> <first>-<last> <what the scene copy holds>" to the log; precomp takes a
#: while, so that a comp that did not wait for it would finish first.
RENDER = """
import sys, time
name, first, last, scene, log = sys.argv[1:]
if name == "precomp":
    time.sleep(0.3)
with open(scene) as copy, open(log, "a") as out:
    out.write(f"{name} {first}-{last} {copy.read()}\\n")
"""


class LoggingHost(FakeHost):
    """A host whose render command the devserver's worker can run."""

    def __init__(self, log: Path, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.log = log

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        return [sys.executable, "-c", RENDER, target.name, "@#@", "@#@", scene_copy, str(self.log)]


def log_lines(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


@pytest.mark.parametrize(
    ("separate_jobs", "dependency_mode"),
    [(False, "block"), (False, "frame"), (True, "block")],
    ids=["blocks", "frame by frame", "separate jobs"],
)
def test_targets_render_in_dependency_order_from_copies_the_farm_deletes(
    tmp_path: Path,
    devserver_factory: Callable[..., DevServer],
    separate_jobs: bool,
    dependency_mode: str,
) -> None:
    devserver = devserver_factory(workers=3)  # enough for comp to start at once if it could
    shot = tmp_path / "sh 010 (v2)"
    scene = write_scene(shot, content="scene as saved")
    log = tmp_path / "render.log"
    host = LoggingHost(
        log,
        snapshot_of(
            scene,
            RenderTarget("comp", frames="1-4", depends_on=["precomp"]),
            RenderTarget("precomp", frames="1-4", order=1),
        ),
    )
    settings = SubmitSettings(
        frames_per_task=2, separate_jobs=separate_jobs, dependency_mode=dependency_mode
    )
    store = SettingsStore(tmp_path / "settings.json", tmp_path / "scenes")
    client = Client("127.0.0.1", devserver.port)

    submission = prepare(host, settings, CONFIG, store=store)
    deliveries = submit(submission, (), client, Outbox(tmp_path / "outbox"), store=store)
    assert [d.sent for d in deliveries] == [True] * len(submission.jobs)

    wait_for(lambda: len(log_lines(log)) == 4, "four tasks to render", timeout=20)
    first_two, last_two = sorted(log_lines(log)[:2]), sorted(log_lines(log)[2:])
    assert first_two == ["precomp 1-2 scene as saved", "precomp 3-4 scene as saved"]
    assert last_two == ["comp 1-2 scene as saved", "comp 3-4 scene as saved"]

    # Deleting the jobs from the farm runs their post commands: the copies go, the scene stays.
    assert all(Path(copy).exists() for copy in submission.scene_copies)
    client.delete_jobs(ids=[d.result.id for d in deliveries if d.result])
    wait_for(
        lambda: not any(Path(copy).exists() for copy in submission.scene_copies),
        "the post commands to remove the scene copies",
        timeout=20,
    )
    assert sorted(p.name for p in shot.iterdir()) == ["comp.nk"]
    assert Path(scene).read_text() == "scene as saved"
