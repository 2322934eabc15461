"""prepare() and submit() against loopback servers: what is saved, copied, sent and kept."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Optional

import pytest

from afcore.client import Client
from afcore.config import Config
from afcore.errors import JobInvalid, RequestRejected, ServerUnreachable
from afcore.outbox import Outbox
from afcore.paths import quote_arg
from afcore.scene import RenderTarget
from afcore.settings import SettingsStore, SubmitSettings
from afcore.submit import CopyFailed, SubmitBlocked, prepare, refresh, send, stage, submit
from afcore.wire import frame
from loopback import LoopbackServer, accept_jobs, reply, unused_port
from pipeline.fake_host import FakeHost, snapshot_of, write_scene

CONFIG = Config(user_name="jimmy", host_name="ws01")


@pytest.fixture
def shot(tmp_path: Path) -> Path:
    folder = tmp_path / "sh 010"
    (folder / "out").mkdir(parents=True)
    write_scene(folder)
    return folder


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(tmp_path / "outbox")


@pytest.fixture
def store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "settings.json", tmp_path / "scenes")


@pytest.fixture
def farm():
    with LoopbackServer(accept_jobs(first_id=7)) as server:
        yield server


def client_of(server: LoopbackServer) -> Client:
    return Client("127.0.0.1", server.port, connect_timeout=2, read_timeout=2)


def down() -> Client:
    return Client("127.0.0.1", unused_port(), connect_timeout=1, read_timeout=1)


def target(shot: Path, name: str, **fields) -> RenderTarget:
    fields.setdefault("outputs", [str(shot / "out" / f"{name}.@####@.exr")])
    return RenderTarget(name, frames="1-20", **fields)


def host_with(shot: Path, *targets: RenderTarget, **state) -> FakeHost:
    return FakeHost(snapshot_of(str(shot / "comp.nk"), *targets), **state)


def sent_jobs(server: LoopbackServer) -> list[dict]:
    return [json.loads(r[r.index(b"{") :])["job"] for r in server.requests]


def scene_files(shot: Path) -> list[str]:
    return sorted(p.name for p in shot.iterdir() if p.is_file())


def separate_jobs() -> SubmitSettings:
    return SubmitSettings(separate_jobs=True)


def precomp_then_comp(shot: Path, **state) -> FakeHost:
    return host_with(
        shot, target(shot, "comp", depends_on=["precomp"]), target(shot, "precomp"), **state
    )


def test_a_saved_scene_is_copied_and_its_jobs_are_sent_in_dependency_order(
    shot: Path, farm: LoopbackServer, outbox: Outbox, store: SettingsStore
) -> None:
    host = precomp_then_comp(shot)
    submission = prepare(host, separate_jobs(), CONFIG, store=store)
    assert submission.blocking() == []
    deliveries = submit(submission, (), client_of(farm), outbox, store=store)

    assert [(d.sent, d.result.id if d.result else None) for d in deliveries] == [
        (True, 7),
        (True, 8),
    ]
    assert str(deliveries[0]) == f"Sent {submission.jobs[0].name!r}: job id 7."
    precomp, comp = sent_jobs(farm)
    assert "precomp" in precomp["name"] and "comp" in comp["name"]
    assert comp["depend_mask"]
    # Each job renders its own copy and deletes it; the artist's file is untouched.
    assert host.saves == 0
    assert (shot / "comp.nk").read_text() == "scene as saved"
    for job, copy in zip((precomp, comp), submission.scene_copies):
        assert Path(copy).read_text() == "scene as saved"
        assert job["blocks"][0]["command"].endswith(" " + quote_arg(copy))
        assert job["command_post"] == "rm -f -- " + quote_arg(copy)
    assert outbox.entries() == []
    # The artist's choices are remembered for next time.
    assert store.load(CONFIG, "fake", str(shot / "comp.nk")).separate_jobs is True


def test_unsaved_changes_are_never_saved_without_the_artists_yes(
    shot: Path, farm: LoopbackServer, outbox: Outbox, store: SettingsStore
) -> None:
    host = host_with(shot, target(shot, "Write1"), content="edited", modified=True)
    submission = prepare(host, SubmitSettings(), CONFIG, store=store)
    with pytest.raises(SubmitBlocked, match="unsaved changes"):
        submit(submission, (), client_of(farm), outbox, store=store)
    assert (host.saves, farm.requests) == (0, [])
    assert (shot / "comp.nk").read_text() == "scene as saved"
    assert scene_files(shot) == ["comp.nk"]


def test_with_the_artists_yes_the_scene_is_saved_once_and_the_copy_matches_it(
    shot: Path, farm: LoopbackServer, outbox: Outbox, store: SettingsStore
) -> None:
    host = host_with(shot, target(shot, "Write1"), content="edited", modified=True)
    submission = prepare(host, SubmitSettings(), CONFIG, store=store)
    (delivery,) = submit(submission, {"unsaved"}, client_of(farm), outbox, store=store)
    assert delivery.sent and host.saves == 1
    assert (shot / "comp.nk").read_text() == "edited"
    assert Path(submission.scene_copies[0]).read_text() == "edited"


def test_a_never_saved_scene_cannot_be_submitted(
    tmp_path: Path, outbox: Outbox, store: SettingsStore
) -> None:
    host = FakeHost(snapshot_of("", RenderTarget("Write1", outputs=[str(tmp_path / "a.exr")])))
    submission = prepare(host, SubmitSettings(), CONFIG, store=store)
    assert submission.jobs == []
    with pytest.raises(SubmitBlocked, match="never saved"):
        submit(submission, {"never_saved"}, down(), outbox, store=store)


def test_when_the_farm_is_down_every_job_is_kept_in_order_with_its_scene_copy(
    shot: Path, outbox: Outbox, store: SettingsStore
) -> None:
    host = precomp_then_comp(shot)
    submission = prepare(host, separate_jobs(), CONFIG, store=store)
    first, second = submit(submission, (), down(), outbox, store=store)

    assert not first.sent and isinstance(first.error, ServerUnreachable)
    assert not second.sent and second.error is None  # held back, never tried
    assert "afcmd outbox send" in str(first) and "held back" in str(second)
    kept = [Path(d.outbox_path) for d in (first, second) if d.outbox_path]
    assert [outbox.load(path).name for path in kept] == [job.name for job in submission.jobs]
    assert all(Path(copy).exists() for copy in submission.scene_copies)
    assert (shot / "comp.nk").read_text() == "scene as saved"


def test_the_outbox_sends_kept_jobs_in_dependency_order(
    shot: Path, outbox: Outbox, store: SettingsStore
) -> None:
    submission = prepare(precomp_then_comp(shot), separate_jobs(), CONFIG, store=store)
    submit(submission, (), down(), outbox, store=store)
    assert [e.name for e in outbox.entries()] == [job.name for job in submission.jobs]


def test_a_refused_job_loses_its_copy_and_the_jobs_after_it_wait_in_the_outbox(
    shot: Path, outbox: Outbox, store: SettingsStore
) -> None:
    refusal = frame(b'{"id":0,"serial":0,"error":"Invalid job."}')
    host = precomp_then_comp(shot)
    submission = prepare(host, separate_jobs(), CONFIG, store=store)
    with LoopbackServer(reply(refusal)) as server:
        first, second = submit(submission, (), client_of(server), outbox, store=store)
        assert len(server.requests) == 1
    assert isinstance(first.error, RequestRejected) and first.outbox_path is None
    assert "got no job id" in str(first)
    assert not Path(first.scene_copy).exists()
    assert second.outbox_path and Path(second.scene_copy).exists()
    assert [e.name for e in outbox.entries()] == [submission.jobs[1].name]
    assert (shot / "comp.nk").read_text() == "scene as saved"


def test_a_failed_copy_sends_nothing_and_leaves_no_copy_behind(
    shot: Path, farm: LoopbackServer, outbox: Outbox, store: SettingsStore
) -> None:
    host = precomp_then_comp(shot, fail_copies=True)
    submission = prepare(host, separate_jobs(), CONFIG, store=store)
    with pytest.raises(CopyFailed, match="No space left on device.*Nothing was sent"):
        submit(submission, (), client_of(farm), outbox, store=store)
    assert len(host.copies) == 2 and farm.requests == []
    assert scene_files(shot) == ["comp.nk"]


def test_a_copy_in_the_way_is_never_overwritten(
    shot: Path, farm: LoopbackServer, outbox: Outbox, store: SettingsStore
) -> None:
    host = host_with(shot, target(shot, "Write1"))
    submission = prepare(host, SubmitSettings(), CONFIG, store=store)
    Path(submission.scene_copies[0]).write_text("another job renders this")
    with pytest.raises(CopyFailed, match="already exists"):
        submit(submission, (), client_of(farm), outbox, store=store)
    assert Path(submission.scene_copies[0]).read_text() == "another job renders this"
    # Prepared again, the submission picks a copy name nobody uses.
    again = prepare(host, SubmitSettings(), CONFIG, store=store, now=None)
    assert again.scene_copies[0] != submission.scene_copies[0]


def test_a_job_the_server_would_reject_is_refused_before_anything_is_written(
    tmp_path: Path, farm: LoopbackServer, outbox: Outbox, store: SettingsStore
) -> None:
    # A folder name that is not UTF-8 (read from disk with surrogate escapes) cannot go on the wire.
    shot = tmp_path / "sh\udce9"
    (shot / "out").mkdir(parents=True)
    write_scene(shot)
    host = host_with(shot, target(shot, "Write1"))
    submission = prepare(host, SubmitSettings(), CONFIG, store=store)
    with pytest.raises(JobInvalid, match="UTF-8"):
        submit(submission, (), client_of(farm), outbox, store=store)
    assert (host.copies, farm.requests) == ([], [])


def test_a_missing_output_folder_is_created_only_when_the_artist_accepts(
    shot: Path, farm: LoopbackServer, outbox: Outbox, store: SettingsStore
) -> None:
    renders = shot / "renders" / "v002"
    host = host_with(shot, target(shot, "Write1", outputs=[str(renders / "a.@####@.exr")]))
    submission = prepare(host, SubmitSettings(), CONFIG, store=store)
    (check,) = [c for c in submission.checks if c.fix == "create_folder"]
    submit(submission, (), client_of(farm), outbox, store=store)
    assert not renders.exists()
    submission = prepare(host, SubmitSettings(), CONFIG, store=store)
    submit(submission, {check.key}, client_of(farm), outbox, store=store)
    assert renders.is_dir()


def test_more_than_ten_thousand_tasks_need_the_artists_confirmation(
    shot: Path, farm: LoopbackServer, outbox: Outbox, store: SettingsStore
) -> None:
    host = host_with(shot, RenderTarget("Write1", frames="1-10001", outputs=[]))
    submission = prepare(host, SubmitSettings(), CONFIG, store=store)
    with pytest.raises(SubmitBlocked, match="10,001 tasks"):
        submit(submission, (), client_of(farm), outbox, store=store)
    assert submit(submission, {"many_tasks"}, client_of(farm), outbox, store=store)[0].sent


def test_prepare_uses_the_remembered_settings_and_refresh_reuses_the_snapshot(
    shot: Path, store: SettingsStore
) -> None:
    scene = str(shot / "comp.nk")
    store.save(SubmitSettings(priority=30), CONFIG, "fake", scene)
    host = host_with(shot, target(shot, "Write1"))
    submission = prepare(host, None, CONFIG, store=store)
    assert submission.jobs[0].priority == 30
    host.snapshot = snapshot_of(scene)  # a second collect() would find no target at all
    changed = refresh(submission, SubmitSettings(priority=80, frames_per_task=5))
    assert changed.jobs[0].priority == 80 and changed.jobs[0].task_count() == 4


def test_a_settings_mistake_shows_as_a_check_not_a_crash(shot: Path, store: SettingsStore) -> None:
    host = host_with(shot, target(shot, "Write1"))
    submission = prepare(host, SubmitSettings(wait_until="soon"), CONFIG, store=store)
    assert submission.jobs == []
    (check,) = submission.blocking()
    assert check.key == "settings:wait_until"


@pytest.mark.parametrize(
    ("submit_folder", "dcc_folder", "expected"),
    [
        ("", "", "{shot}"),
        ("renderscenes", "", "{shot}/renderscenes"),
        ("renderscenes", "{tmp}/fake copies", "{tmp}/fake copies"),
        ("~/farm scenes", "", "{home}/farm scenes"),
    ],
)
def test_scene_copies_go_beside_the_scene_or_in_the_configured_folder(
    shot: Path,
    tmp_path: Path,
    isolated_environment: Path,
    farm: LoopbackServer,
    outbox: Outbox,
    store: SettingsStore,
    submit_folder: str,
    dcc_folder: str,
    expected: str,
) -> None:
    places = {"shot": shot, "tmp": tmp_path, "home": isolated_environment}
    config = Config(
        user_name="jimmy",
        host_name="ws01",
        submit={"scene_copy_folder": submit_folder},
        dcc={"fake": {"scene_copy_folder": dcc_folder.format(**places)}},
    )
    host = host_with(shot, target(shot, "Write1"))
    submission = prepare(
        host, SubmitSettings(), config, store=store, now=datetime(2026, 11, 23, 20, 1, 2)
    )
    (copy,) = submission.scene_copies
    assert copy == f"{expected.format(**places)}/comp.20261123-200102.nk"
    submit(submission, (), client_of(farm), outbox, store=store)
    assert Path(copy).read_text() == "scene as saved"
    # Tasks still start in the scene's folder, where its relative paths point.
    assert submission.jobs[0].blocks[0].working_directory == str(shot)


class NoCommandHost(FakeHost):
    """A host with a bug: it has no command for its target."""

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        return []


def test_a_job_that_cannot_be_built_blocks_with_the_reason(
    shot: Path, store: SettingsStore
) -> None:
    host = NoCommandHost(snapshot_of(str(shot / "comp.nk"), target(shot, "Write1")))
    submission = prepare(host, SubmitSettings(), CONFIG, store=store)
    (check,) = submission.blocking()
    assert (check.key, submission.jobs) == ("build", [])
    assert check.message == (
        "No job can be made: a command needs at least a program to run; got no arguments"
    )


class MainThreadHost(FakeHost):
    """A host that, like Nuke, Maya or Houdini, must only be called from the main thread."""

    def _main_thread_only(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("DCC called from a worker thread")

    def scene_path(self) -> Optional[str]:
        self._main_thread_only()
        return super().scene_path()

    def save_scene(self) -> None:
        self._main_thread_only()
        super().save_scene()

    def save_copy(self, path: str) -> None:
        self._main_thread_only()
        super().save_copy(path)


def test_a_dialog_stages_on_the_main_thread_and_sends_from_a_worker(
    shot: Path, farm: LoopbackServer, outbox: Outbox, store: SettingsStore
) -> None:
    snapshot = snapshot_of(str(shot / "comp.nk"), target(shot, "Write1"))
    host = MainThreadHost(snapshot, content="edited", modified=True)
    submission = prepare(host, SubmitSettings(), CONFIG, store=store)
    with pytest.raises(RuntimeError, match="stage\\(\\) the submission before send"):
        send(submission, client_of(farm), outbox, store=store)
    stage(submission, {"unsaved"})
    assert host.saves == 1 and Path(submission.scene_copies[0]).exists()
    results: list = []
    worker = threading.Thread(
        target=lambda: results.extend(send(submission, client_of(farm), outbox, store=store))
    )
    worker.start()
    worker.join(timeout=10)
    assert [delivery.sent for delivery in results] == [True]
