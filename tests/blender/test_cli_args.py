"""Reading Blender's command line the way Blender does: in order (no bpy needed)."""

from __future__ import annotations

import pytest

from afanasy_blender import farm
from afanasy_blender.cli import CommandLineError, Step, frame_list, main, parse
from afcore.scene import RenderTarget


def test_the_add_on_command_reads_as_steps_in_order():
    target = RenderTarget(
        name="BG",
        frames="1-9x2",
        renderer="CYCLES",
        data={"scene": "Shot", "output": "/r/BG/####.png", "view_layer": "BG"},
    )
    args = farm.render_args(target, "/s/a b.blend", farm.BlenderFarmConfig(executable=[]))
    steps, autoexec = parse(args)
    assert autoexec is True
    assert [step.action for step in steps] == [
        "background", "open", "scene", "engine", "python", "output",
        "start", "end", "step", "animation",
    ]  # fmt: skip
    assert steps[1] == Step("open", "/s/a b.blend")
    assert steps[-2] == Step("step", "2")


def test_autoexec_is_decided_before_any_file_is_opened():
    steps, autoexec = parse(["-b", "a.blend", "-y"])
    assert autoexec is True and steps == [Step("background"), Step("open", "a.blend")]
    assert parse(["-y", "-Y", "a.blend"])[1] is False


def test_long_spellings_are_the_same_options():
    steps, _ = parse(["--background", "a.blend", "--scene", "S", "--engine", "CYCLES",
                      "--render-output", "/o/#", "--render-format", "PNG", "--use-extension", "1",
                      "--frame-start", "1", "--frame-end", "2", "--frame-jump", "1",
                      "--render-frame", "1", "--render-anim"])  # fmt: skip
    assert [s.action for s in steps] == [
        "background", "open", "scene", "engine", "output", "format", "extension",
        "start", "end", "step", "frames", "animation",
    ]  # fmt: skip


def test_an_unknown_option_is_named_with_what_is_known(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(
        CommandLineError, match=r"--python-console is not an option .* \(it knows: .*-E"
    ):
        parse(["-b", "a.blend", "--python-console"])
    assert main(["-b", "a.blend", "-t", "4"]) == 1
    assert capsys.readouterr().err.startswith("Error: -t is not an option")


def test_an_option_without_its_value_says_so():
    with pytest.raises(CommandLineError, match="-s needs a value"):
        parse(["-b", "a.blend", "-s"])


def test_render_frames_accept_blender_lists_and_ranges():
    assert frame_list("5") == [5]
    assert frame_list("1,3,7..9") == [1, 3, 7, 8, 9]


def test_relative_frames_are_refused_not_guessed():
    with pytest.raises(CommandLineError, match=r"relative frames like \+1 or -1 are not supported"):
        frame_list("+2")
