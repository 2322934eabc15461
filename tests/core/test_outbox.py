"""The outbox: an undeliverable job is kept on disk, and leaves only once the farm has it."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from afcore.client import Client, SubmitResult
from afcore.config import load_config
from afcore.errors import (
    AfanasyError,
    JobInvalid,
    RequestRejected,
    ServerTimeout,
    ServerUnreachable,
)
from afcore.outbox import Outbox, deliver
from afcore.wire import frame
from loopback import (
    LoopbackServer,
    accept_jobs,
    reply,
    sample_job,
    silent,
    unanswered_port,
    unused_port,
)

REFUSED = frame(b'{\n"id":0,\n"serial":0,\n"error":"Invalid job."\n}')


def down_client() -> Client:
    return Client("127.0.0.1", unused_port(), connect_timeout=0.3, user_name="jimmy")


def client_for(server: LoopbackServer, **options: float) -> Client:
    return Client(server.host, server.port, user_name="jimmy", host_name="ws01", **options)


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(tmp_path / "outbox")


def files_in(outbox: Outbox) -> list[str]:
    return sorted(path.name for path in outbox.directory.iterdir())


# --- keeping jobs ----------------------------------------------------------------------------


def test_a_kept_job_is_one_file_named_after_the_time_and_the_job(outbox: Outbox):
    job = sample_job()
    path = outbox.put(job, server="farm01:51000", error="connection refused")
    assert path.parent == outbox.directory
    assert re.fullmatch(r"\d{8}-\d{6}-shot010_comp\.json", path.name)
    assert outbox.load(path) == job
    record = json.loads(path.read_text(encoding="utf-8"))["outbox"]
    assert (record["server"], record["error"]) == ("farm01:51000", "connection refused")


def test_jobs_kept_in_the_same_second_under_the_same_name_get_their_own_files(outbox: Outbox):
    paths = [outbox.put(sample_job(f"take {number}")) for number in range(3)]
    paths += [outbox.put(sample_job("same")) for _ in range(3)]
    assert len(set(paths)) == 6
    assert files_in(outbox) == sorted(path.name for path in paths)
    assert [outbox.load(path).name for path in paths[3:]] == ["same"] * 3


@pytest.mark.parametrize(
    ("job_name", "stem"),
    [
        ("shot 010/comp: v2", "shot_010_comp_v2"),
        ("../../etc/passwd", "etc_passwd"),
        ("plan séquence", "plan_s_quence"),
        ("...", "job"),
        ("x" * 200, "x" * 60),
    ],
)
def test_file_names_are_portable_and_stay_inside_the_outbox(
    outbox: Outbox, job_name: str, stem: str
):
    path = outbox.put(sample_job(job_name))
    assert path.parent == outbox.directory
    assert path.name.endswith(f"-{stem}.json")
    assert outbox.load(path).name == job_name


def test_text_that_is_not_utf8_is_kept_without_loss(outbox: Outbox):
    name = b"plate_\xff".decode("utf-8", errors="surrogateescape")
    assert outbox.load(outbox.put(sample_job(name))).name == name


def test_a_write_that_fails_leaves_no_partial_or_empty_file(
    outbox: Outbox, monkeypatch: pytest.MonkeyPatch
):
    outbox.directory.mkdir()

    def disk_full(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        outbox.put(sample_job())
    assert files_in(outbox) == []


def test_entries_list_what_was_kept_in_the_order_it_was_kept(outbox: Outbox):
    names = ["render", "comp", "a_precomp", "comp"]  # within one second, against name order
    paths = [outbox.put(sample_job(name), server="farm01:51000", error="refused") for name in names]
    os.utime(paths[0], (time.time() + 60, time.time() + 60))  # file times do not decide
    entries = outbox.entries()
    assert [(entry.path, entry.name) for entry in entries] == list(zip(paths, names))
    assert (entries[0].server, entries[0].error) == ("farm01:51000", "refused")
    assert entries[0].created.tzinfo is not None


def test_an_unreadable_file_is_listed_not_hidden(outbox: Outbox):
    outbox.put(sample_job())
    broken = outbox.directory / "20260101-000000-broken.json"
    broken.write_text("{ half a job", encoding="utf-8")
    entries = {entry.name: entry for entry in outbox.entries()}
    assert set(entries) == {"20260101-000000-broken", "shot010_comp"}
    assert entries["20260101-000000-broken"].error.startswith("unreadable:")
    with pytest.raises(AfanasyError, match="cannot be read"):
        outbox.load(broken)


def test_an_empty_outbox_folder_need_not_exist(outbox: Outbox):
    assert outbox.entries() == []
    assert outbox.send_all(down_client()) == []


def test_remove_deletes_only_job_files_of_this_outbox(outbox: Outbox, tmp_path: Path):
    kept = outbox.put(sample_job())
    scene = tmp_path / "comp.nk"
    scene.write_text("artist's work", encoding="utf-8")
    elsewhere = tmp_path / "other.json"
    elsewhere.write_text("{}", encoding="utf-8")
    missing = outbox.directory / "20260101-000000-gone.json"
    for path in (scene, elsewhere, outbox.directory / ".." / "other.json", missing):
        with pytest.raises(AfanasyError, match="nothing was removed"):
            outbox.remove(path)
    assert scene.read_text(encoding="utf-8") == "artist's work"
    assert elsewhere.exists()
    outbox.remove(str(kept))
    assert files_in(outbox) == []


def test_the_default_outbox_follows_xdg_data_home(isolated_environment: Path):
    outbox = Outbox.from_config(load_config())
    assert outbox.directory == Path(os.environ["XDG_DATA_HOME"]) / "afcore" / "outbox"


def test_an_outbox_without_a_folder_is_a_config_error():
    with pytest.raises(AfanasyError, match="outbox_dir"):
        Outbox("")


# --- deliver ---------------------------------------------------------------------------------


def test_when_the_server_is_down_the_job_is_kept_and_the_error_says_where(outbox: Outbox):
    client = down_client()
    with pytest.raises(ServerUnreachable) as caught:
        deliver(sample_job(), client, outbox)
    (entry,) = outbox.entries()
    assert caught.value.outbox_path == str(entry.path)
    message = str(caught.value)
    assert f"The job was kept in the outbox: {entry.path}" in message
    assert "Send it later with: afcmd outbox send" in message
    assert entry.server == client.address
    assert entry.error.startswith("Cannot reach the Afanasy server")


def test_when_the_server_never_answers_the_job_is_kept_after_the_read_timeout(outbox: Outbox):
    with LoopbackServer(silent()) as server:
        started = time.monotonic()
        with pytest.raises(ServerTimeout) as caught:
            deliver(sample_job(), client_for(server, read_timeout=0.3), outbox)
        assert time.monotonic() - started < 0.6
    assert caught.value.outbox_path == str(outbox.entries()[0].path)


def test_a_delivered_job_leaves_nothing_behind(outbox: Outbox):
    with LoopbackServer(accept_jobs(first_id=5)) as server:
        assert deliver(sample_job(), client_for(server), outbox) == SubmitResult(5, 5)
    assert outbox.entries() == []


def test_invalid_or_rejected_jobs_are_not_kept_they_need_fixing(outbox: Outbox):
    invalid = sample_job()
    invalid.blocks.clear()
    with LoopbackServer(reply(REFUSED)) as server:
        with pytest.raises(JobInvalid):
            deliver(invalid, client_for(server), outbox)
        with pytest.raises(RequestRejected):
            deliver(sample_job(), client_for(server), outbox)
    assert outbox.entries() == []


def test_when_even_the_outbox_cannot_be_written_the_error_says_so(tmp_path: Path):
    blocked = tmp_path / "not_a_folder"
    blocked.write_text("", encoding="utf-8")
    with pytest.raises(ServerUnreachable) as caught:
        deliver(sample_job(), down_client(), Outbox(blocked))
    assert "Cannot reach the Afanasy server" in str(caught.value)
    assert "could not be kept in the outbox" in str(caught.value)
    assert caught.value.outbox_path is None


# --- send_all --------------------------------------------------------------------------------


def test_kept_jobs_are_sent_when_the_farm_is_back_and_then_removed(outbox: Outbox):
    with pytest.raises(ServerUnreachable):
        deliver(sample_job("first"), down_client(), outbox)
    with pytest.raises(ServerUnreachable):
        deliver(sample_job("second"), down_client(), outbox)
    kept = [entry.path for entry in outbox.entries()]
    with LoopbackServer(accept_jobs(first_id=20)) as server:
        results = outbox.send_all(client_for(server))
    assert results == [(kept[0], SubmitResult(20, 20)), (kept[1], SubmitResult(21, 21))]
    assert outbox.entries() == []
    sent = [json.loads(request[request.index(b"{") :]) for request in server.requests]
    assert [document["job"]["name"] for document in sent] == ["first", "second"]
    assert all("outbox" not in document for document in sent)


def test_a_rejected_job_stays_and_the_others_are_still_sent(outbox: Outbox):
    rejected = outbox.put(sample_job("rejected"))
    broken = outbox.directory / "20000101-000000-broken.json"
    broken.write_text("{ half", encoding="utf-8")
    good = outbox.put(sample_job("good"))
    answers = iter([REFUSED, frame(b'{"id":9,"serial":9}')])
    with LoopbackServer(lambda connection: reply(next(answers))(connection)) as server:
        results = dict(outbox.send_all(client_for(server)))
    assert isinstance(results[broken], AfanasyError)
    assert isinstance(results[rejected], RequestRejected)
    assert results[good] == SubmitResult(9, 9)
    assert sorted(entry.path for entry in outbox.entries()) == sorted([broken, rejected])


def test_a_farm_still_down_is_tried_once_not_once_per_job(outbox: Outbox):
    for number in range(3):
        outbox.put(sample_job(f"job {number}"))
    with unanswered_port() as port:
        if not port:
            pytest.skip("this platform refuses instead of dropping connections to a full queue")
        client = Client("127.0.0.1", port, connect_timeout=0.2)
        started = time.monotonic()
        results = outbox.send_all(client)
        took = time.monotonic() - started
    assert took < 0.4
    assert len(results) == 3
    assert all(isinstance(result, ServerUnreachable) for _, result in results)
    assert len(outbox.entries()) == 3


def test_a_job_sent_whose_file_cannot_be_removed_is_reported_so_it_is_not_sent_twice(
    outbox: Outbox, monkeypatch: pytest.MonkeyPatch
):
    kept = outbox.put(sample_job())

    def read_only(_path: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "unlink", read_only)
    with LoopbackServer(accept_jobs(first_id=3)) as server:
        ((path, result),) = outbox.send_all(client_for(server))
    assert path == kept
    assert isinstance(result, AfanasyError)
    assert "Sent as job 3" in str(result)
    assert "or it will be sent again" in str(result)
