"""The job builder: snapshot + settings + host commands -> the jobs the farm gets."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from afcore import validate
from afcore.build import BuildError, build_jobs, exact_mask
from afcore.config import Config
from afcore.frames import substitute_frames
from afcore.job import Job
from afcore.scene import RenderTarget, SceneSnapshot
from afcore.settings import SubmitSettings, TargetOverride
from pipeline.fake_host import FakeHost, snapshot_of

SCENE = "/shots/sh010/comp.nk"
COPY = "/shots/sh010/comp.20261123-200102.nk"
CONFIG = Config(user_name="jimmy", host_name="ws01")


def write(name: str, frames: str = "1-100", **fields) -> RenderTarget:
    fields.setdefault("outputs", [f"/shots/sh010/out/{name}.@####@.exr"])
    return RenderTarget(name, kind="Write", frames=frames, service="nuke", parser="nuke", **fields)


def build(
    snapshot: SceneSnapshot, settings: SubmitSettings | None = None, config: Config = CONFIG
) -> list[Job]:
    host = FakeHost(snapshot)
    settings = settings or SubmitSettings()
    return build_jobs(snapshot, settings, host, COPY, config=config, stamp="20261123-200102")


def full_match(mask: str, name: str) -> bool:
    """How afserver applies a depend mask: the whole name must match."""
    return re.fullmatch(mask, name) is not None


# --- one job, a block per target ---------------------------------------------------------------


def test_each_selected_target_becomes_a_numeric_block_of_one_job() -> None:
    targets = write("Write1"), write("Write2", "1-50"), write("Off", selected=False)
    snapshot = snapshot_of(SCENE, *targets)
    settings = SubmitSettings(frames_per_task=10)
    (job,) = build(snapshot, settings)
    assert job.name == "comp"
    assert [b.name for b in job.blocks] == ["Write1", "Write2"]
    first, second = job.blocks
    assert (first.frame_first, first.frame_last, first.frames_per_task, first.frames_inc) == (
        1,
        100,
        10,
        1,
    )
    assert first.numeric and first.task_count() == 10
    assert second.task_count() == 5
    assert first.command == f"fakerender -X Write1 -F @#@-@#@x1 {COPY}"
    assert (first.service, first.parser, first.capacity) == ("nuke", "nuke", 1000)
    assert first.files == ["/shots/sh010/out/Write1.@####@.exr"]
    assert first.working_directory == "/shots/sh010"
    assert validate.problems(job) == []


def test_job_carries_user_host_priority_from_the_config_and_folders_for_the_web_gui() -> None:
    config = Config(user_name="jimmy", host_name="ws01", priority=120, capacity=500)
    (job,) = build(snapshot_of(SCENE, write("Write1")), config=config)
    assert (job.user_name, job.host_name, job.priority) == ("jimmy", "ws01", 120)
    assert job.blocks[0].capacity == 500
    assert job.folders == {"input": "/shots/sh010", "output": "/shots/sh010/out"}
    assert job.branch == "/shots/sh010"


def test_disabled_targets_are_never_rendered() -> None:
    snapshot = snapshot_of(SCENE, write("Write1"), write("Broken", enabled=False))
    (job,) = build(snapshot)
    assert [b.name for b in job.blocks] == ["Write1"]


def test_the_artists_settings_reach_the_job_in_afanasys_units() -> None:
    start = datetime.now().replace(microsecond=0) + timedelta(days=1)
    settings = SubmitSettings(
        job_name="sh010 comp v3",
        priority=150,
        max_running_tasks=20,
        max_running_tasks_per_host=1,
        hosts_mask="render.*",
        hosts_mask_exclude="render0[12]",
        depend_mask="sh010_plates",
        depend_mask_global="library",
        sequential=-1,
        start_paused=True,
        wait_until=start.isoformat(sep=" "),
        life_time_hours=48,
        annotation="for review",
        description="comp v3",
        capacity=2000,
        need_memory_gb=16,
        need_gpu_memory_gb=8,
        need_os="linux",
        need_properties="avx2",
        errors_retries=3,
        task_max_run_time_minutes=90,
    )
    (job,) = build(snapshot_of(SCENE, write("Write1")), settings)
    assert (job.name, job.priority, job.annotation, job.description) == (
        "sh010 comp v3",
        150,
        "for review",
        "comp v3",
    )
    assert (job.max_running_tasks, job.max_running_tasks_per_host) == (20, 1)
    assert (job.hosts_mask, job.hosts_mask_exclude) == ("render.*", "render0[12]")
    assert (job.depend_mask, job.depend_mask_global) == ("sh010_plates", "library")
    assert (job.need_os, job.need_properties) == ("linux", "avx2")
    assert job.offline is True
    assert job.time_wait == int(start.timestamp())
    assert job.time_life == 48 * 3600
    (block,) = job.blocks
    assert (block.capacity, block.need_memory, block.need_gpu_mem_mb) == (2000, 16384, 8192)
    assert (block.errors_retries, block.task_max_run_time, block.sequential) == (3, 5400, -1)
    assert validate.problems(job) == []


# --- dependencies ------------------------------------------------------------------------------


def precomp_and_comp() -> SceneSnapshot:
    # Listed (and ordered by the DCC) comp first: the builder must still put precomp first.
    return snapshot_of(
        SCENE,
        write("comp", depends_on=["precomp"], order=0),
        write("precomp", order=5),
        write("precomp10", order=9),
    )


def test_whole_range_dependency_becomes_a_block_depend_mask_matching_exactly_that_block() -> None:
    (job,) = build(precomp_and_comp(), SubmitSettings(dependency_mode="block"))
    assert [b.name for b in job.blocks] == ["precomp", "comp", "precomp10"]
    comp = job.blocks[1]
    assert full_match(comp.depend_mask, "precomp")
    assert not full_match(comp.depend_mask, "precomp10")
    assert comp.tasks_depend_mask == ""
    assert job.blocks[0].depend_mask == job.blocks[2].depend_mask == ""


def test_frame_by_frame_dependency_becomes_a_tasks_depend_mask() -> None:
    (job,) = build(precomp_and_comp(), SubmitSettings(dependency_mode="frame"))
    comp = job.blocks[1]
    assert full_match(comp.tasks_depend_mask, "precomp")
    assert comp.depend_mask == ""


def test_no_dependency_mode_leaves_every_block_free() -> None:
    (job,) = build(precomp_and_comp(), SubmitSettings(dependency_mode="none"))
    assert all(not b.depend_mask and not b.tasks_depend_mask for b in job.blocks)


def test_a_dependency_on_a_target_not_rendered_is_left_out() -> None:
    snapshot = precomp_and_comp()
    settings = SubmitSettings(overrides={"precomp": TargetOverride(enabled=False)})
    (job,) = build(snapshot, settings)
    assert [b.name for b in job.blocks] == ["comp", "precomp10"]
    assert job.blocks[0].depend_mask == ""


def test_targets_waiting_for_each_other_in_a_circle_are_refused() -> None:
    snapshot = snapshot_of(SCENE, write("a", depends_on=["b"]), write("b", depends_on=["a"]))
    with pytest.raises(BuildError, match="a, b wait for each other in a circle"):
        build(snapshot)


@pytest.mark.parametrize(
    "name", ["comp (v2)", "a.b", "x|y", "r[1]", "$F^2+", "/out/mantra1", "a\\b"]
)
def test_masks_match_names_with_regex_characters_literally(name: str) -> None:
    mask = exact_mask([name])
    assert full_match(mask, name)
    assert not full_match(mask, name + "x")
    assert not full_match(mask, "x" + name)


# --- stereo, ranges, single tasks --------------------------------------------------------------


def test_stereo_target_lists_the_files_of_every_view() -> None:
    stereo = write(
        "comp",
        views=["left", "right"],
        outputs=["/shots/sh010/out/comp_left.@####@.exr", "/shots/sh010/out/comp_right.@####@.exr"],
    )
    (job,) = build(snapshot_of(SCENE, stereo))
    assert job.blocks[0].files == [
        "/shots/sh010/out/comp_left.@####@.exr",
        "/shots/sh010/out/comp_right.@####@.exr",
    ]


def test_the_artists_frames_and_frames_per_task_override_the_scene_per_target() -> None:
    snapshot = snapshot_of(SCENE, write("Write1", frames_per_task=5), write("Write2"))
    settings = SubmitSettings(
        frames_per_task=10,
        overrides={
            "Write1": TargetOverride(frames="11-40x3", frames_per_task=2),
            "Write2": TargetOverride(frames=" "),
        },
    )
    (job,) = build(snapshot, settings)
    first, second = job.blocks
    assert (first.frame_first, first.frame_last, first.frames_inc, first.frames_per_task) == (
        11,
        40,
        3,
        2,
    )
    assert first.command.endswith(f"-F @#@-@#@x3 {COPY}")
    assert (second.frame_first, second.frame_last, second.frames_per_task) == (1, 100, 10)


def test_host_suggested_frames_per_task_beats_the_job_wide_value() -> None:
    snapshot = snapshot_of(SCENE, write("Write1", frames_per_task=5))
    (job,) = build(snapshot, SubmitSettings(frames_per_task=10))
    assert job.blocks[0].frames_per_task == 5


def test_frames_in_pieces_make_a_block_per_piece_and_dependents_wait_for_all() -> None:
    snapshot = snapshot_of(
        SCENE, write("Write1", "1-10,20-30x2,50"), write("grade", "1-50", depends_on=["Write1"])
    )
    (job,) = build(snapshot)
    names = [b.name for b in job.blocks]
    assert names == ["Write1 [1-10]", "Write1 [20-30x2]", "Write1 [50]", "grade"]
    assert [(b.frame_first, b.frame_last, b.frames_inc) for b in job.blocks[:3]] == [
        (1, 10, 1),
        (20, 30, 2),
        (50, 50, 1),
    ]
    grade = job.blocks[3]
    assert all(full_match(grade.depend_mask, name) for name in names[:3])
    assert not full_match(grade.depend_mask, "grade")
    assert validate.problems(job) == []


def test_a_single_task_target_renders_its_whole_range_in_one_task() -> None:
    movie = write("movie", "1001-1100", single_task=True, outputs=["/shots/sh010/out/comp.mov"])
    (job,) = build(snapshot_of(SCENE, movie), SubmitSettings(frames_per_task=10))
    (block,) = job.blocks
    assert block.task_count() == 1
    assert (block.frame_first, block.frame_last, block.frames_per_task) == (1001, 1100, 100)


def test_a_single_task_target_with_frames_in_pieces_is_refused() -> None:
    movie = write("movie", "1-10,20-30", single_task=True)
    with pytest.raises(BuildError, match="needs one continuous frame range"):
        build(snapshot_of(SCENE, movie))


def test_nothing_selected_is_refused() -> None:
    with pytest.raises(BuildError, match="no target is selected"):
        build(snapshot_of(SCENE, write("Write1", selected=False)))


# --- separate jobs -----------------------------------------------------------------------------


def test_separate_jobs_get_unique_names_their_own_copy_and_wait_for_whole_jobs() -> None:
    targets = write("precomp"), write("comp", depends_on=["precomp"])
    snapshot = snapshot_of("/shots/sh010/comp (v2).nk", *targets)
    settings = SubmitSettings(separate_jobs=True, dependency_mode="frame", depend_mask="plates")
    host = FakeHost(snapshot)
    copy = "/shots/sh010/comp (v2).20261123-200102.nk"
    stamp = "20261123-200102"
    precomp, comp = build_jobs(snapshot, settings, host, copy, config=CONFIG, stamp=stamp)
    assert precomp.name == "comp (v2) precomp (20261123-200102)"
    assert comp.name == "comp (v2) comp (20261123-200102)"
    assert precomp.blocks[0].command.endswith("'/shots/sh010/comp (v2).20261123-200102.precomp.nk'")
    assert comp.blocks[0].command.endswith("'/shots/sh010/comp (v2).20261123-200102.comp.nk'")
    # Jobs wait for whole jobs: the frame-by-frame choice cannot cross jobs.
    assert full_match(comp.depend_mask, precomp.name)
    assert full_match(comp.depend_mask, "plates")  # the artist's own mask still counts
    assert not full_match(comp.depend_mask, "comp (v2) precomp (20261122-100000)")
    assert precomp.depend_mask == "plates"
    assert comp.blocks[0].depend_mask == comp.blocks[0].tasks_depend_mask == ""
    assert "comp.nk" in comp.command_post and "precomp" not in comp.command_post
    assert all(validate.problems(job) == [] for job in (precomp, comp))


def test_targets_whose_names_make_the_same_file_name_get_different_copies() -> None:
    snapshot = snapshot_of(SCENE, write("/out/a_b"), write("/out/a/b"))
    jobs = build(snapshot, SubmitSettings(separate_jobs=True))
    commands = [job.blocks[0].command for job in jobs]
    assert commands[0].endswith("comp.20261123-200102.out_a_b.nk")
    assert commands[1].endswith("comp.20261123-200102.out_a_b_2.nk")


# --- farm paths and quoting --------------------------------------------------------------------


def test_path_maps_and_the_command_prefix_apply_to_everything_the_farm_reads() -> None:
    config = Config(
        user_name="jimmy",
        host_name="ws01",
        cmd_prefix="/opt/cgru/wrap",
        path_maps=[("/shots", "/mnt/proj/shots")],
    )
    (job,) = build(snapshot_of(SCENE, write("Write1")), config=config)
    (block,) = job.blocks
    assert block.command == (
        "/opt/cgru/wrap fakerender -X Write1 -F @#@-@#@x1 "
        "/mnt/proj/shots/sh010/comp.20261123-200102.nk"
    )
    assert block.files == ["/mnt/proj/shots/sh010/out/Write1.@####@.exr"]
    assert block.working_directory == job.branch == "/mnt/proj/shots/sh010"
    assert job.folders["output"] == "/mnt/proj/shots/sh010/out"
    assert job.command_post == "rm -f -- /mnt/proj/shots/sh010/comp.20261123-200102.nk"


class EchoCommands:
    """A command builder whose command prints each argument on its own line."""

    def render_command(self, target: RenderTarget, scene_copy: str) -> list[str]:
        return ["printf", "%s\\n", target.name, *target.outputs, scene_copy]


HOSTILE_FOLDER = 'shot 010 $HOME `id` it\'s "q"; a*'


def test_commands_and_post_command_survive_spaces_quotes_and_shell_syntax(tmp_path: Path) -> None:
    folder = tmp_path / HOSTILE_FOLDER
    folder.mkdir()
    scene = folder / "comp v1.nk"
    copy = folder / "comp v1.20261123-200102.nk"
    output = str(folder / "out 'x'.@####@.exr")
    target = write("Write 1", "1-3", outputs=[output])
    (job,) = build_jobs(
        snapshot_of(str(scene), target), SubmitSettings(), EchoCommands(), str(copy), config=CONFIG
    )
    command = substitute_frames(job.blocks[0].command, 1, 3)
    printed = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=True)
    assert printed.stdout.splitlines() == ["Write 1", str(folder / "out 'x'.0001.exr"), str(copy)]

    # The post command, run by a shell elsewhere, removes the copy and nothing else.
    decoys = [scene, folder / "comp", folder / "v1.20261123-200102.nk", tmp_path / "a"]
    for path in [copy, *decoys]:
        path.write_text("x")
    subprocess.run(["sh", "-c", job.command_post], cwd=tmp_path, check=True)
    assert not copy.exists()
    assert all(path.exists() for path in decoys)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in decoys[:3])


def test_two_selected_targets_of_one_name_are_refused() -> None:
    with pytest.raises(BuildError, match="several targets are named Write1; rename them"):
        build(snapshot_of(SCENE, write("Write1"), write("Write1", "1-5")))
