"""The Blender render command: what a render client runs for a target (no bpy needed)."""

from __future__ import annotations

import shlex

import pytest

from afanasy_blender import farm
from afcore.config import Config
from afcore.frames import substitute_frames
from afcore.paths import join_command
from afcore.scene import RenderTarget


def target(**data: str) -> RenderTarget:
    return RenderTarget(
        name="Scene",
        frames="1-10",
        renderer="CYCLES",
        data={"scene": "Scene", "output": "/renders/shot/####.png", **data},
    )


DEFAULT = farm.BlenderFarmConfig()


def test_command_renders_the_copy_with_the_scene_engine_output_and_task_frames():
    args = farm.render_args(target(), "/shots/a b/shot.20261123-200102.blend", DEFAULT)
    assert args == [
        "blender", "-b", "/shots/a b/shot.20261123-200102.blend", "-y",
        "-S", "Scene", "-E", "CYCLES", "-o", "/renders/shot/####.png",
        "-s", "@#@", "-e", "@#@", "-j", "1", "-a",
    ]  # fmt: skip


def test_scene_is_chosen_before_what_is_set_on_it():
    args = farm.render_args(target(), "/s.blend", DEFAULT)
    assert args.index("-S") < args.index("-E") < args.index("-o") < args.index("-s")
    assert args[-1] == "-a"


def test_frame_step_becomes_the_jump():
    stepped = RenderTarget(name="s", frames="1-9x3", renderer="CYCLES", data={})
    args = farm.render_args(stepped, "/s.blend", DEFAULT)
    assert args[args.index("-j") + 1] == "3"


def test_a_view_layer_target_switches_the_other_layers_off_with_python():
    args = farm.render_args(target(view_layer="BG 'night'"), "/s.blend", DEFAULT)
    expression = args[args.index("--python-expr") + 1]
    assert args.index("-S") < args.index("--python-expr") < args.index("-a")

    class Layer:
        def __init__(self, name: str) -> None:
            self.name, self.use = name, True

    layers = [Layer("ViewLayer"), Layer("BG 'night'"), Layer("FG")]

    class Bpy:
        class context:
            class scene:
                view_layers = layers

    exec(expression.replace("import bpy; ", ""), {"bpy": Bpy})
    assert [layer.use for layer in layers] == [False, True, False]


def test_executable_and_extra_args_come_from_the_site_config():
    config = Config(
        dcc={
            "blender": {
                "executable": "/opt/blender 4.2/blender",
                "extra_args": ["--factory-startup"],
            }
        }
    )
    args = farm.render_args(
        target(), "/s.blend", farm.BlenderFarmConfig.from_config(config, ["blender"])
    )
    assert args[:3] == ["/opt/blender 4.2/blender", "--factory-startup", "-b"]


def test_executable_may_be_a_list_such_as_the_bpy_stand_in():
    config = Config(dcc={"blender": {"executable": ["python3", "-m", "afanasy_blender.cli"]}})
    cfg = farm.BlenderFarmConfig.from_config(config, ["blender"])
    assert farm.render_args(target(), "/s.blend", cfg)[:4] == [
        "python3",
        "-m",
        "afanasy_blender.cli",
        "-b",
    ]


def test_without_config_the_host_given_executable_is_used():
    cfg = farm.BlenderFarmConfig.from_config(
        Config(), ["/venv/bin/python", "-m", "afanasy_blender.cli"]
    )
    assert cfg.executable == ["/venv/bin/python", "-m", "afanasy_blender.cli"]


def test_a_broken_executable_setting_says_what_to_write():
    with pytest.raises(ValueError, match=r"dcc.blender.executable must be a text or a list"):
        farm.BlenderFarmConfig.from_config(Config(dcc={"blender": {"executable": 5}}), ["blender"])


def test_output_goes_through_the_site_path_maps():
    cfg = farm.BlenderFarmConfig(path_maps=[("/renders", "/mnt/farm/renders")])
    args = farm.render_args(target(), "/s.blend", cfg)
    assert args[args.index("-o") + 1] == "/mnt/farm/renders/shot/####.png"


def test_the_quoted_command_survives_a_shell_with_frames_filled_in():
    hostile = target(output="/renders/it's $HOME; rm/####.png", view_layer='a"b')
    command = join_command(farm.render_args(hostile, "/shots/a b/c.blend", DEFAULT))
    words = shlex.split(substitute_frames(command, 3, 4))
    assert words[words.index("-o") + 1] == "/renders/it's $HOME; rm/####.png"
    assert words[words.index("-s") + 1 : words.index("-e") + 2] == ["3", "-e", "4"]


@pytest.mark.parametrize(
    ("engine", "parser"),
    [
        ("CYCLES", "blender_cycles"),
        ("BLENDER_RENDER", "blender_render"),
        ("BLENDER_EEVEE_NEXT", "blender"),
    ],
)
def test_parser_per_engine_as_cgru_farms_have_them(engine: str, parser: str):
    assert farm.parser_for(engine) == parser


def test_output_argument_turns_afanasy_tokens_back_into_blender_hashes():
    assert farm.output_argument("/r/shot_@####@_L.png") == "/r/shot_####_L.png"
    assert farm.output_argument("/r/movie.mkv") == "/r/movie.mkv"
