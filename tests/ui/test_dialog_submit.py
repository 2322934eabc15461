"""Submitting from the dialog: to the devserver, to a farm down or slow, and the questions asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from Qt import QtCore

from afcore.client import Client
from afcore.outbox import Outbox
from afcore.ui.preview import export_text
from loopback import LoopbackServer, accept_jobs, silent, unused_port
from pipeline.fake_host import FakeHost, snapshot_of
from ui.dialog_fixtures import (
    SENT,
    ScriptedArtist,
    comp_scene,
    farm_config,
    make_shot,
    open_submit_dialog,
    submit_and_wait,
    target,
)

pytest_plugins = ["devserver_fixture"]


@pytest.fixture
def shot(tmp_path: Path) -> Path:
    return make_shot(tmp_path / "sh 010")


def test_submitting_to_the_devserver_shows_the_job_id(qtbot, shot, tmp_path, devserver_factory):
    server = devserver_factory(workers=0)
    host = comp_scene(shot)
    dialog = open_submit_dialog(qtbot, host, farm_config(server.port, tmp_path / "outbox"))
    (delivery,) = submit_and_wait(qtbot, dialog)
    job_id = delivery.result.id
    assert dialog.outcome.text() == f"Sent 'comp': job id {job_id}."
    job = Client("127.0.0.1", server.port).get_job(job_id)
    assert job["name"] == "comp"
    assert [block["name"] for block in job["blocks"]] == ["precomp", "comp"]
    assert host.copies == [delivery.scene_copy]  # the farm renders a copy; the scene is untouched
    assert host.saves == 0
    assert dialog.submit_button.isEnabled()  # ready for another submission, with a new copy
    assert dialog.submission.scene_copies != [delivery.scene_copy]
    assert Outbox(tmp_path / "outbox").entries() == []


def test_what_is_sent_is_exactly_the_previewed_json(qtbot, shot, tmp_path):
    with LoopbackServer(accept_jobs(first_id=7)) as farm:
        config = farm_config(farm.port, tmp_path / "outbox")
        dialog = open_submit_dialog(qtbot, comp_scene(shot), config)
        exported = json.loads(export_text(dialog.submission.jobs))
        submit_and_wait(qtbot, dialog)
        (request,) = farm.requests
    assert json.loads(request[request.index(b"{") :]) == exported
    assert dialog.outcome.text() == "Sent 'comp': job id 7."


def test_a_farm_that_is_down_keeps_the_job_in_the_outbox_and_says_where(qtbot, shot, tmp_path):
    config = farm_config(unused_port(), tmp_path / "outbox", connect_timeout=1.0)
    dialog = open_submit_dialog(qtbot, comp_scene(shot), config)
    (delivery,) = submit_and_wait(qtbot, dialog)
    (kept,) = Outbox(tmp_path / "outbox").entries()
    assert delivery.outbox_path == str(kept.path)
    text = dialog.outcome.text()
    assert "Cannot reach the Afanasy server" in text
    assert "Kept 'comp' in the outbox" in text and str(kept.path) in text
    assert "afcmd outbox send" in text
    assert Path(delivery.scene_copy).exists()  # kept for when the job is sent


def test_the_dialog_stays_responsive_while_a_slow_farm_answers(qtbot, shot, tmp_path):
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    with LoopbackServer(silent()) as farm:
        config = farm_config(farm.port, tmp_path / "outbox", read_timeout=1.0)
        dialog = open_submit_dialog(qtbot, comp_scene(shot), config)
        with qtbot.waitSignal(dialog.sent, timeout=SENT) as sent:
            dialog.submit_button.click()
            timer.start(10)
            assert dialog.is_sending()
            assert dialog.outcome.text() == f"Sending 1 job to 127.0.0.1:{farm.port}..."
            assert dialog.progress.isVisible()
            assert not dialog.submit_button.isEnabled()
            qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=900)  # the UI thread is free
            assert dialog.is_sending()
            dialog.close()  # refused while sending: the send ends within the timeouts
            assert dialog.isVisible()
    (delivery,) = sent.args[0]
    assert "sent no complete reply within the read timeout of 1.0 s" in dialog.outcome.text()
    assert delivery.outbox_path and delivery.outbox_path in dialog.outcome.text()
    assert not dialog.progress.isVisible()
    assert dialog.close_button.isEnabled()


def test_an_unsaved_scene_is_saved_only_when_the_artist_says_so(qtbot, shot, tmp_path):
    with LoopbackServer(accept_jobs()) as farm:
        config = farm_config(farm.port, tmp_path / "outbox")
        host = comp_scene(shot, modified=True, content="with the artist's changes")
        artist = ScriptedArtist(save=False)
        dialog = open_submit_dialog(qtbot, host, config, artist)
        dialog.submit_button.click()
        assert artist.questions() == ["save_scene"]
        assert dialog.outcome.text() == "Cancelled: nothing was saved or sent."
        assert (host.saves, host.copies, farm.requests) == (0, [], [])

        artist.save = True
        submit_and_wait(qtbot, dialog)
        assert host.saves == 1
        assert (shot / "comp.nk").read_text("utf-8") == "with the artist's changes"
        assert len(farm.requests) == 1
    assert dialog.details.tabText(1) == "Checks"  # saved now: nothing left to say


@pytest.mark.parametrize(
    ("answer", "created", "sent"), [(True, True, 1), (False, False, 1), (None, False, 0)]
)
def test_missing_output_folders_are_asked_about_once(qtbot, shot, tmp_path, answer, created, sent):
    host = comp_scene(shot)
    for name in ("precomp", "comp"):
        host.snapshot.target(name).outputs = [str(shot / "new" / name / f"{name}.@####@.exr")]
    with LoopbackServer(accept_jobs()) as farm:
        artist = ScriptedArtist(create=answer)
        dialog = open_submit_dialog(qtbot, host, farm_config(farm.port, tmp_path / "ob"), artist)
        if sent:
            submit_and_wait(qtbot, dialog)
        else:
            dialog.submit_button.click()
        assert len(farm.requests) == sent
    ((kind, message),) = artist.asked
    assert kind == "create_folders"
    assert message.startswith("2 output folders do not exist:")
    assert str(shot / "new" / "comp") in message
    assert (shot / "new" / "comp").is_dir() == created


def test_more_than_ten_thousand_tasks_need_a_yes(qtbot, shot, tmp_path):
    host = comp_scene(shot)
    host.snapshot.target("comp").frames = "1-10001"
    with LoopbackServer(accept_jobs()) as farm:
        artist = ScriptedArtist(go_ahead=False)
        dialog = open_submit_dialog(qtbot, host, farm_config(farm.port, tmp_path / "ob"), artist)
        assert dialog.submit_button.isEnabled()
        dialog.submit_button.click()
        assert artist.questions() == ["confirm"]
        assert "10,021 tasks is a lot for the farm" in artist.asked[0][1]
        assert farm.requests == []
        artist.go_ahead = True
        submit_and_wait(qtbot, dialog)
        assert len(farm.requests) == 1


def test_a_scene_copy_that_cannot_be_written_stops_the_submission_with_the_reason(
    qtbot, shot, tmp_path
):
    host = comp_scene(shot, fail_copies=True)
    with LoopbackServer(accept_jobs()) as farm:
        dialog = open_submit_dialog(qtbot, host, farm_config(farm.port, tmp_path / "ob"))
        dialog.form.editor("separate_jobs").setChecked(True)  # two jobs: two copies
        dialog.submit_button.click()
        assert farm.requests == []
    assert "Could not write the farm's copy of the scene" in dialog.outcome.text()
    assert "No space left on device" in dialog.outcome.text()
    assert not dialog.is_sending()
    assert dialog.submit_button.isEnabled()


def test_separate_jobs_each_get_their_id(qtbot, shot, tmp_path):
    with LoopbackServer(accept_jobs(first_id=3)) as farm:
        dialog = open_submit_dialog(qtbot, comp_scene(shot), farm_config(farm.port, tmp_path / "o"))
        dialog.form.editor("separate_jobs").setChecked(True)
        deliveries = submit_and_wait(qtbot, dialog)
    assert [d.result.id for d in deliveries] == [3, 4]
    lines = dialog.outcome.text().splitlines()
    assert [line.split(": ")[-1] for line in lines] == ["job id 3.", "job id 4."]


def test_the_settings_are_remembered_for_the_next_time(qtbot, shot, tmp_path):
    with LoopbackServer(accept_jobs()) as farm:
        config = farm_config(farm.port, tmp_path / "outbox")
        dialog = open_submit_dialog(qtbot, comp_scene(shot), config, store_dir=tmp_path / "mem")
        qtbot.keyClicks(dialog.form.editor("priority"), "150")
        submit_and_wait(qtbot, dialog)
    again = open_submit_dialog(qtbot, comp_scene(shot), config, store_dir=tmp_path / "mem")
    assert again.form.editor("priority").text() == "150"


def test_a_question_about_many_missing_folders_lists_the_first_ten(qtbot, shot, tmp_path):
    names = [f"w{n:02d}" for n in range(12)]
    host = FakeHost(
        snapshot_of(
            str(shot / "comp.nk"),
            *[target(shot, name, outputs=[str(shot / name / "f.@####@.exr")]) for name in names],
        )
    )
    artist = ScriptedArtist(create=None)
    dialog = open_submit_dialog(qtbot, host, farm_config(1, tmp_path / "ob"), artist)
    dialog.submit_button.click()
    ((_, message),) = artist.asked
    assert message.splitlines() == [
        "12 output folders do not exist:",
        *[f"  {shot / name}" for name in names[:10]],
        "  ... and 2 more",
        "Create them?",
    ]
    assert dialog.outcome.text() == "Cancelled: nothing was saved or sent."
