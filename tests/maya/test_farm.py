"""The Render command a render client runs for one layer: built without Maya."""

from __future__ import annotations

import shlex

import pytest

from afanasy_maya.farm import MayaFarmConfig, Renderer, frame_step, render_args
from afcore.frames import substitute_frames
from afcore.paths import join_command
from afcore.scene import RenderTarget


def layer_target(renderer: str = "arnold", frames: str = "1-100", camera: str = "shotCamShape"):
    data = {"layer": "rs_beauty", "project": "/proj"}
    if camera:
        data["camera"] = camera
    return RenderTarget(name="beauty", frames=frames, renderer=renderer, data=data)


def test_the_command_is_maya_render_for_one_layer_and_camera_with_afanasy_frame_tokens() -> None:
    args = render_args(layer_target(), "/proj/scenes/a.0101.ma", MayaFarmConfig(), "/proj")

    assert args == [
        "Render", "-r", "arnold", "-s", "@#@", "-e", "@#@", "-b", "1",
        "-rl", "rs_beauty", "-cam", "shotCamShape", "-proj", "/proj", "/proj/scenes/a.0101.ma",
    ]  # fmt: skip


def test_a_task_renders_its_own_frames_by_the_layers_step() -> None:
    args = render_args(layer_target(frames="1-100x5"), "/s.ma", MayaFarmConfig(), "/proj")

    command = substitute_frames(join_command(args), 11, 31)

    assert "-s 11 -e 31 -b 5" in command


@pytest.mark.parametrize(
    ("maya_renderer", "expected"),
    [
        ("arnold", Renderer("arnold", "maya_arnold", "maya_arnold")),
        ("redshift", Renderer("redshift", "maya_redshift", "maya_redshift")),
        ("vray", Renderer("vray", "maya", "vray")),
        ("renderman", Renderer("renderman", "maya", "prman")),
        ("mayaSoftware", Renderer("sw", "maya", "maya")),
        ("mayaHardware2", Renderer("hw2", "maya", "maya")),
        ("someNewRenderer", Renderer("someNewRenderer", "maya", "maya")),
    ],
)
def test_each_maya_renderer_has_its_render_flag_and_a_service_and_parser_cgru_farms_have(
    maya_renderer: str, expected: Renderer
) -> None:
    config = MayaFarmConfig()

    assert config.renderer(maya_renderer) == expected
    args = render_args(layer_target(renderer=maya_renderer), "/s.ma", config, "/proj")
    assert args[1:3] == ["-r", expected.flag]


def test_site_renderer_flags_follow_r_and_extra_args_follow_them() -> None:
    config = MayaFarmConfig.from_section(
        {
            "executable": "/usr/autodesk/maya2025/bin/Render",
            "extra_args": "-verb -log /tmp/render.log",
            "renderers": {"arnold": {"args": ["-ai:lve", "2"]}, "sw": {"args": ["-n", "0"]}},
        }
    )

    args = render_args(layer_target(), "/s.ma", config, "/proj")

    assert args[:8] == [
        "/usr/autodesk/maya2025/bin/Render", "-r", "arnold", "-ai:lve", "2",
        "-verb", "-log", "/tmp/render.log",
    ]  # fmt: skip


def test_a_site_can_give_a_renderer_its_own_service_and_parser() -> None:
    config = MayaFarmConfig.from_section(
        {"renderers": {"vray": {"service": "maya_vray", "parser": "mayatovray"}}}
    )

    assert config.renderer("vray") == Renderer("vray", "maya_vray", "mayatovray")
    assert config.renderer("arnold") == Renderer("arnold", "maya_arnold", "maya_arnold")


def test_a_project_and_scene_with_spaces_and_quotes_reach_render_as_single_arguments() -> None:
    project = "/jobs/Big Show/it's here"
    scene = f"{project}/scenes/shot 010.0101.mb"

    command = join_command(render_args(layer_target(), scene, MayaFarmConfig(), project))

    words = shlex.split(command)
    assert words[words.index("-proj") + 1] == project
    assert words[-1] == scene


def test_a_layer_without_a_camera_leaves_the_choice_to_maya() -> None:
    args = render_args(layer_target(camera=""), "/s.ma", MayaFarmConfig(), "/proj")

    assert "-cam" not in args


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"exe": "Render"}, "unknown setting(s) exe"),
        ({"executable": ""}, "dcc.maya.executable must be a program name or path"),
        ({"extra_args": 3}, "dcc.maya.extra_args must be a list of texts"),
        ({"renderers": ["arnold"]}, "dcc.maya.renderers must map Render -r names"),
        ({"renderers": {"arnold": "-ai:lve 2"}}, "dcc.maya.renderers.arnold must be a mapping"),
        ({"renderers": {"arnold": {"flags": []}}}, "renderers.arnold: unknown setting(s) flags"),
        ({"renderers": {"arnold": {"service": ""}}}, "renderers.arnold.service must be"),
    ],
)
def test_a_bad_site_config_says_which_key_is_wrong_and_what_it_should_be(
    section: dict, message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        MayaFarmConfig.from_section(section)


def test_one_render_command_renders_one_step() -> None:
    assert frame_step("1-100x4") == 4
    assert frame_step("7") == 1
    with pytest.raises(ValueError, match="mix steps 1, 2"):
        frame_step("1-10,20-30x2")
