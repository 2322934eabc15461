"""afsubmit without a server: --dry-run, scene readers, and the arguments it refuses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from afcore.cli.afsubmit import main

EXAMPLE_NK = Path(__file__).resolve().parents[2] / "examples" / "nuke" / "sh010_comp_v003.nk"


def dry_run(capsys, *argv: str) -> dict:
    assert main([*argv, "--dry-run"]) == 0
    return json.loads(capsys.readouterr().out)


def test_dry_run_prints_the_generic_job_it_would_send(capsys, tmp_path):
    job = dry_run(
        capsys,
        "--cmd",
        "python render.py @#@ @#@",
        "--frames",
        "1-100",
        "--fpt",
        "10",
        "--workdir",
        str(tmp_path),
        "--files",
        "out/img.####.png",
        "--name",
        "render",
    )["job"]
    [block] = job["blocks"]
    assert job["name"] == "render" and block["name"] == "render"
    assert block["command"] == "python render.py @#@ @#@"
    assert (
        block["flags"],
        block["frame_first"],
        block["frame_last"],
        block["frames_per_task"],
    ) == (1, 1, 100, 10)
    assert block["working_directory"] == str(tmp_path)
    assert block["files"] == ["out/img.@####@.png"]


def test_dry_run_output_is_what_afcmd_json_send_reads(capsys, tmp_path):
    document = dry_run(capsys, "--cmd", "echo @#@", "--frames", "1-3,7")
    path = tmp_path / "job.json"
    path.write_text(json.dumps(document))
    from afcore.cli.afcmd import main as afcmd

    assert afcmd(["v", "json", str(path)]) == 0
    tree = capsys.readouterr().out
    assert "frames 1-3, 1 per task: 3 task(s)" in tree and "Total: 2 block(s), 4 task(s)" in tree


def test_job_options_reach_the_job(capsys):
    job = dry_run(
        capsys,
        "--cmd",
        "run",
        "--priority",
        "150",
        "--max-running",
        "3",
        "--hosts-mask",
        "gpu.*",
        "--depend-mask",
        "cache.*",
        "--paused",
        "--capacity",
        "250",
        "--service",
        "blender",
        "--parser",
        "blender_cycles",
    )["job"]
    assert (job["priority"], job["max_running_tasks"], job["hosts_mask"], job["depend_mask"]) == (
        150,
        3,
        "gpu.*",
        "cache.*",
    )
    assert job["offline"] is True
    block = job["blocks"][0]
    assert (block["capacity"], block["service"], block["parser"]) == (
        250,
        "blender",
        "blender_cycles",
    )


def test_site_defaults_apply_and_locked_fields_cannot_be_changed(capsys, tmp_path, monkeypatch):
    site = tmp_path / "site.yaml"
    site.write_text(
        yaml.safe_dump({"submit": {"priority": 40, "hosts_mask": "farm.*", "locked": ["priority"]}})
    )
    monkeypatch.setenv("AFCORE_SITE_CONFIG", str(site))
    job = dry_run(capsys, "--cmd", "run")["job"]
    assert (job["priority"], job["hosts_mask"]) == (40, "farm.*")
    assert main(["--cmd", "run", "--priority", "90", "--dry-run"]) == 1
    assert "The site locked priority: leave out --priority." in capsys.readouterr().err


def test_bad_values_are_named_by_their_option_and_nothing_is_printed(capsys):
    assert main(["--cmd", "run", "--priority", "300", "--hosts-mask", "(", "--dry-run"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--priority: 300 is out of range: use 0 to 250" in captured.err
    assert "--hosts-mask: '(' is not a valid regular expression" in captured.err


def test_bad_frames_say_where(capsys):
    assert main(["--cmd", "run", "--frames", "1-x", "--dry-run"]) == 1
    assert '"1-x": expected a number at column 3' in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "Give either a scene file or --cmd COMMAND"),
        (["a.nk", "--cmd", "x"], "Give either a scene file or --cmd COMMAND"),
        (["a.nk", "--service", "s", "--files", "f"], "--service, --files only apply to --cmd jobs"),
        (["--cmd", "x", "--local", "--dry-run"], "--dry-run sends nothing"),
        (["--cmd", "x", "--local", "--paused"], "but --paused would keep it paused"),
        (["--gui", "--cmd", "x"], "--gui opens the dialog on a scene file"),
        (["--cmd", "x", "--fpt", "0"], "argument --fpt: '0': expected a whole number of 1 or more"),
    ],
)
def test_arguments_that_do_not_go_together_are_refused_with_exit_code_1(capsys, argv, message):
    assert main(argv) == 1
    assert message in capsys.readouterr().err


def test_unknown_extension_lists_the_known_scene_types(capsys, tmp_path):
    scene = tmp_path / "shot.xyz"
    scene.write_text("")
    assert main([str(scene)]) == 1
    err = capsys.readouterr().err
    assert f"No scene reader for '.xyz' files ({scene}). Known scene types: .blend, .nk." in err


def test_missing_scene_file(capsys, tmp_path):
    assert main([str(tmp_path / "nope.nk"), "--dry-run"]) == 1
    assert f"There is no scene file at {tmp_path / 'nope.nk'}." in capsys.readouterr().err


def test_nuke_script_is_read_without_nuke_and_frames_override_every_target(capsys, tmp_path):
    scene = tmp_path / "sh010_comp_v003.nk"
    shutil.copy(EXAMPLE_NK, scene)
    before = scene.read_bytes()
    job = dry_run(capsys, str(scene), "--frames", "1-10", "--fpt", "5", "--name", "sh010")["job"]
    assert job["name"] == "sh010"
    assert [b["name"] for b in job["blocks"]] == ["Write_precomp", "Write_comp"]
    for block in job["blocks"]:
        assert (block["frame_first"], block["frame_last"], block["frames_per_task"]) == (1, 10, 5)
        assert block["service"] == "nuke"
    assert job["blocks"][1]["depend_mask"] == "^(?:Write_precomp)$"
    assert scene.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sh010_comp_v003.nk"]  # no copy written


def test_confirmations_stop_the_submission_without_yes(capsys, tmp_path):
    scene = tmp_path / "sh010_comp_v003.nk"
    shutil.copy(EXAMPLE_NK, scene)
    assert main([str(scene), "--frames", "1-6000", "--server", "127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert "confirm: " in err and "(--yes accepts)" in err
    assert "Run again with --yes to accept" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sh010_comp_v003.nk"]


def test_unreachable_server_keeps_the_scene_job_in_the_outbox(capsys, tmp_path):
    scene = tmp_path / "sh010_comp_v003.nk"
    shutil.copy(EXAMPLE_NK, scene)
    assert main([str(scene), "--frames", "1-4", "--server", "127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "warning: The output folder" in err and "(--yes accepts)" in err
    assert (
        "Kept 'sh010_comp_v003' in the outbox (Cannot reach the Afanasy server at 127.0.0.1:9"
        in err
    )
    assert "stays until it is sent: afcmd outbox send" in err
    from afcore.cli.afcmd import main as afcmd

    assert afcmd(["outbox", "--json"]) == 0
    [kept] = json.loads(capsys.readouterr().out)
    assert kept["name"] == "sh010_comp_v003" and kept["server"] == "127.0.0.1:9"


def test_command_options_are_refused_for_scenes(capsys, tmp_path):
    scene = tmp_path / "a.nk"
    shutil.copy(EXAMPLE_NK, scene)
    assert main([str(scene), "--workdir", "/tmp"]) == 1
    assert "--workdir only apply to --cmd jobs" in capsys.readouterr().err


def test_help_shows_examples(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert 'afsubmit --cmd "python render.py @#@ @#@" --frames 1-100 --fpt 10' in out
    assert "exit codes:" in out


def test_site_default_paused_jobs_cannot_render_locally(capsys, tmp_path, monkeypatch):
    site = tmp_path / "site.yaml"
    site.write_text(yaml.safe_dump({"submit": {"start_paused": True, "wait_until": "2000-01-01"}}))
    monkeypatch.setenv("AFCORE_SITE_CONFIG", str(site))
    assert main(["--cmd", "x", "--dry-run"]) == 1
    assert (
        "  - submit.wait_until (a site default): 2000-01-01 is in the past"
        in capsys.readouterr().err
    )
    site.write_text(yaml.safe_dump({"submit": {"start_paused": True}}))
    assert main(["--cmd", "x", "--local"]) == 1
    assert (
        "the site's submit defaults (start_paused) would keep it paused" in capsys.readouterr().err
    )
