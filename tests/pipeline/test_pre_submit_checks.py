"""The checks before submitting: each problem is found, says what to do, and blocks or not."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afcore.checks import (
    CONFIRM,
    CREATE_FOLDER,
    ERROR,
    SAVE,
    WARNING,
    Check,
    blocking,
    input_checks,
    task_checks,
)
from afcore.job import Block, Job
from afcore.scene import RenderTarget, SceneSnapshot
from afcore.settings import SubmitSettings, TargetOverride


@pytest.fixture
def shot(tmp_path: Path) -> Path:
    """A shot folder with a saved scene and an existing output folder."""
    (tmp_path / "out").mkdir()
    (tmp_path / "comp.nk").write_text("scene")
    return tmp_path


def write(shot: Path, name: str, frames: str = "1-10", **fields) -> RenderTarget:
    fields.setdefault("outputs", [str(shot / "out" / f"{name}.@####@.exr")])
    return RenderTarget(name, frames=frames, **fields)


def checks_for(
    shot: Path,
    *targets: RenderTarget,
    settings: Optional[SubmitSettings] = None,
    modified: bool = False,
    saved: bool = True,
) -> list[Check]:
    scene = str(shot / "comp.nk")
    snapshot = SceneSnapshot(scene, "fake", targets=list(targets))
    return input_checks(snapshot, settings or SubmitSettings(), scene if saved else None, modified)


def only(checks: list[Check], key_start: str) -> Check:
    (check,) = [c for c in checks if c.key.startswith(key_start)]
    return check


def test_a_clean_scene_has_nothing_to_say(shot: Path) -> None:
    assert checks_for(shot, write(shot, "Write1"), write(shot, "Write2")) == []


def test_unsaved_changes_offer_a_save_and_block_until_accepted(shot: Path) -> None:
    checks = checks_for(shot, write(shot, "Write1"), modified=True)
    check = only(checks, "unsaved")
    assert (check.level, check.fix) == (ERROR, SAVE)
    assert "unsaved changes" in check.message and "cancel" in check.message
    assert blocking(checks) == [check]
    assert blocking(checks, {check.key}) == []


def test_a_never_saved_scene_blocks_with_nothing_to_accept(shot: Path) -> None:
    checks = checks_for(shot, write(shot, "Write1"), saved=False)
    check = only(checks, "never_saved")
    assert (check.level, check.fix) == (ERROR, None)
    assert "Save it first" in check.message
    assert blocking(checks, {check.key}) == [check]


def test_no_selected_target_blocks(shot: Path) -> None:
    checks = checks_for(
        shot, write(shot, "Write1", selected=False), write(shot, "Off", enabled=False)
    )
    assert only(checks, "none").message == "No target is selected; tick one to render."
    assert blocking(checks) == checks


@pytest.mark.parametrize(
    ("scene_frames", "override", "message"),
    [
        ("1-x", None, 'Write1: bad frame range "1-x": expected a number at column 3'),
        ("", None, "no frames given"),
        ("1-10", "10-1", "last frame 1 is before first frame 10"),
    ],
)
def test_bad_frame_ranges_block_per_target(
    shot: Path, scene_frames: str, override: Optional[str], message: str
) -> None:
    settings = SubmitSettings(overrides={"Write1": TargetOverride(frames=override)})
    checks = checks_for(
        shot, write(shot, "Write1", scene_frames), write(shot, "ok"), settings=settings
    )
    check = only(checks, "frames:Write1")
    assert check.level == ERROR and check.target == "Write1"
    assert message in check.message


def test_a_single_task_target_with_frames_in_pieces_blocks(shot: Path) -> None:
    movie = write(shot, "movie", "1-10,20-30", single_task=True, outputs=[str(shot / "m.mov")])
    check = only(checks_for(shot, movie), "frames:movie")
    assert "one continuous range" in check.message


def test_invalid_settings_block_with_the_field_named(shot: Path) -> None:
    checks = checks_for(shot, write(shot, "Write1"), settings=SubmitSettings(hosts_mask="[a"))
    check = only(checks, "settings:hosts_mask")
    assert check.level == ERROR and "not a valid regular expression" in check.message


def test_two_targets_writing_the_same_frames_block(shot: Path) -> None:
    same = str(shot / "out" / "comp.@####@.exr")
    checks = checks_for(
        shot, write(shot, "A", "1-50", outputs=[same]), write(shot, "B", "40-60", outputs=[same])
    )
    check = only(checks, "same_files")
    assert check.level == ERROR
    assert check.message == f"A and B both write {same}; untick one or change its output path."


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        ("1-50", "51-100", False),
        ("1-99x2", "2-100x2", False),  # odd and even frames
        ("1-99x2", "4-100x3", True),  # 7 is in both
        ("1-1000000x1000", "500-999999x999", True),  # 499001, found without listing frames
        ("1,3,5", "2,4,5", True),
    ],
)
def test_same_files_clash_only_where_frames_overlap(
    shot: Path, first: str, second: str, clash: bool
) -> None:
    same = [str(shot / "out" / "comp.@####@.exr")]
    checks = checks_for(
        shot, write(shot, "A", first, outputs=same), write(shot, "B", second, outputs=same)
    )
    assert bool([c for c in checks if c.key.startswith("same_files")]) is clash


@given(
    st.lists(
        st.tuples(st.integers(-30, 30), st.integers(0, 40), st.integers(1, 9)),
        min_size=2,
        max_size=2,
    )
)
@settings(max_examples=200, deadline=None)
def test_same_files_clash_exactly_when_the_frame_sets_meet(ranges) -> None:
    shot = Path("/shots/sh010")
    same = [str(shot / "out" / "comp.@####@.exr")]
    texts = [f"{first}-{first + length}x{step}" for first, length, step in ranges]
    frame_sets = [set(range(first, first + length + 1, step)) for first, length, step in ranges]
    a, b = (write(shot, name, text, outputs=same) for name, text in zip("AB", texts))
    checks = checks_for(shot, a, b)
    assert any(c.key.startswith("same_files") for c in checks) is bool(
        frame_sets[0] & frame_sets[1]
    )


def test_two_targets_writing_one_movie_clash_whatever_their_frames(shot: Path) -> None:
    movie = [str(shot / "out" / "comp.mov")]
    checks = checks_for(
        shot, write(shot, "A", "1-5", outputs=movie), write(shot, "B", "6-9", outputs=movie)
    )
    assert only(checks, "same_files").level == ERROR


def test_relative_outputs_are_compared_from_the_scene_folder(shot: Path) -> None:
    checks = checks_for(
        shot,
        write(shot, "A", outputs=["out/comp.@####@.exr"]),
        write(shot, "B", outputs=[str(shot / "out" / "comp.@####@.exr")]),
    )
    assert only(checks, "same_files")


def test_a_missing_output_folder_is_a_warning_offering_to_create_it(shot: Path) -> None:
    missing = shot / "renders" / "v002"
    target = write(shot, "Write1", outputs=[str(missing / "comp.@####@.exr")])
    checks = checks_for(shot, target)
    check = only(checks, "missing_folder")
    assert (check.level, check.fix, check.path) == (WARNING, CREATE_FOLDER, str(missing))
    assert blocking(checks) == []


def test_no_folder_question_for_a_dcc_that_makes_its_folders(shot: Path) -> None:
    target = write(shot, "scene", outputs=[str(shot / "renders" / "v002" / "@####@.png")])
    target.creates_folders = True
    assert [c for c in checks_for(shot, target) if c.key.startswith("missing_folder")] == []


def test_too_many_tasks_ask_for_confirmation_and_far_too_many_are_refused() -> None:
    def job(frames: int) -> Job:
        block = Block("render")
        block.set_numeric(1, frames)
        return Job(blocks=[block])

    assert task_checks([job(10_000)]) == []
    (confirm,) = task_checks([job(6_000), job(5_000)])
    assert (confirm.level, confirm.fix) == (CONFIRM, CONFIRM)
    assert "11,000 tasks" in confirm.message
    assert blocking([confirm]) == [confirm]
    assert blocking([confirm], {confirm.key}) == []
    (refusal,) = task_checks([job(1_000_001)])
    assert refusal.level == ERROR and "1,000,000 at most" in refusal.message
    assert blocking([refusal], {refusal.key}) == [refusal]


def test_a_disabled_target_ticked_by_the_artist_blocks(shot: Path) -> None:
    settings = SubmitSettings(overrides={"Broken": TargetOverride(enabled=True)})
    checks = checks_for(
        shot, write(shot, "Write1"), write(shot, "Broken", enabled=False), settings=settings
    )
    assert "disabled in the scene" in only(checks, "disabled:Broken").message


def test_targets_waiting_for_each_other_block(shot: Path) -> None:
    checks = checks_for(
        shot, write(shot, "a", depends_on=["b"]), write(shot, "b", depends_on=["a"])
    )
    assert "wait for each other in a circle" in only(checks, "dependency_cycle").message


def test_two_targets_of_one_name_block(shot: Path) -> None:
    checks = checks_for(shot, write(shot, "Write1"), write(shot, "Write1", "20-30"))
    assert only(checks, "repeated_names").message == (
        "Several targets are named Write1; rename them in the scene."
    )


def test_reading_a_target_that_is_not_rendered_is_a_warning(shot: Path) -> None:
    checks = checks_for(
        shot, write(shot, "precomp", selected=False), write(shot, "comp", depends_on=["precomp"])
    )
    check = only(checks, "unrendered_dependency")
    assert check.level == WARNING
    assert "comp reads precomp, which is not being rendered" in check.message


def test_the_hosts_own_warnings_are_passed_on_for_selected_targets(shot: Path) -> None:
    checks = checks_for(
        shot,
        write(shot, "Write1", warnings=["file path has an unevaluated expression"]),
        write(shot, "Off", selected=False, warnings=["not shown"]),
    )
    assert [c.message for c in checks] == ["Write1: file path has an unevaluated expression"]
    assert checks[0].level == WARNING
