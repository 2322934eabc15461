"""The render client's hython command for one ROP, and the site's ``dcc: houdini:`` settings."""

from __future__ import annotations

import shlex

import pytest

from afanasy_houdini.farm import RENDER_SCRIPT, HoudiniFarmConfig, render_args
from afcore.config import Config
from afcore.frames import substitute_frames
from afcore.paths import join_command
from afcore.scene import RenderTarget

CFG = HoudiniFarmConfig(render_script="/pipe/afanasy/render.py")


def target(frames: str = "1-100", **data: object) -> RenderTarget:
    return RenderTarget("/out/mantra1", frames=frames, data=dict(data))


def test_a_rop_renders_through_the_script_with_afanasys_frame_tokens() -> None:
    args = render_args(target(), "/shots/a/fx.1.hip", "/shots/a/fx.hip", CFG)

    assert args == [
        "hython",
        "/pipe/afanasy/render.py",
        "--rop",
        "/out/mantra1",
        "-s",
        "@#@",
        "-e",
        "@#@",
        "--by",
        "1",
        "--original",
        "/shots/a/fx.hip",
        "/shots/a/fx.1.hip",
    ]


def test_the_task_gets_its_first_and_last_frame_and_the_block_its_step() -> None:
    command = join_command(render_args(target("1-100x5"), "/s/fx.1.hip", "/s/fx.hip", CFG))

    assert "-s 11 -e 31 --by 5" in substitute_frames(command, 11, 31)


def test_a_take_and_a_wedge_are_passed_on() -> None:
    args = render_args(target("0-11", take="shot B", wedge=True), "/s/c.hip", "/s/o.hip", CFG)

    assert args[args.index("--take") + 1] == "shot B"
    assert "--wedge" in args
    assert "--take" not in render_args(target(take=""), "/s/c.hip", "/s/o.hip", CFG)


def test_paths_with_spaces_and_quotes_reach_hython_as_single_arguments() -> None:
    copy, original = "/shots/sh 010/it's fx.1.hip", "/shots/sh 010/it's fx.hip"

    words = shlex.split(join_command(render_args(target(), copy, original, CFG)))

    assert words[-3:] == ["--original", original, copy]


def test_the_site_names_hython_its_arguments_and_the_script_on_the_farm() -> None:
    cfg = HoudiniFarmConfig.from_section(
        {"executable": "/opt/hfs20.5/bin/hython", "extra_args": "-j 8", "render_script": "/p/r.py"},
        [],
    )

    args = render_args(target(), "/s/c.hip", "/s/o.hip", cfg)

    assert args[:4] == ["/opt/hfs20.5/bin/hython", "-j", "8", "/p/r.py"]


def test_without_a_site_script_the_farm_runs_this_checkouts_script_through_the_path_maps() -> None:
    checkout = str(RENDER_SCRIPT.parents[4])
    config = Config(path_maps=[(checkout, "/mnt/tools/submitters")])

    cfg = HoudiniFarmConfig.from_config(config)

    assert cfg.render_script == (
        "/mnt/tools/submitters/plugins/houdini/python/afanasy_houdini/render.py"
    )
    assert HoudiniFarmConfig.from_section({}, []).render_script == str(RENDER_SCRIPT)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"hython": "x"}, "dcc.houdini: unknown setting(s) hython; known: executable, extra_args"),
        ({"executable": ""}, "dcc.houdini.executable must be a program name or path, not ''"),
        ({"extra_args": [1]}, "dcc.houdini.extra_args must be a list of texts or one line"),
        ({"render_script": 3}, "dcc.houdini.render_script must be a program name or path"),
    ],
)
def test_a_bad_site_setting_says_what_is_wrong(section: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        HoudiniFarmConfig.from_section(section, [])
