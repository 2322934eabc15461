"""farm.py: the render client's command for one Write, and its site settings."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from afanasy_nuke.farm import NukeFarmConfig, frame_step, render_args
from afanasy_nuke.scriptfile import ScriptFileHost
from afcore.errors import ConfigError
from afcore.frames import substitute_frames
from afcore.paths import join_command
from afcore.scene import RenderTarget

DEFAULT = NukeFarmConfig()


def write(name: str = "Write1", frames: str = "1-100", **fields: object) -> RenderTarget:
    return RenderTarget(name=name, kind="Write", frames=frames, **fields)  # type: ignore[arg-type]


def test_the_command_renders_one_write_from_the_scene_copy() -> None:
    args = render_args(write("Precomps.Write1"), "/shots/a/comp.copy.nk", DEFAULT)

    assert args == [
        "nuke",
        "-X",
        "Precomps.Write1",
        "-F",
        "@#@-@#@x1",
        "-x",
        "/shots/a/comp.copy.nk",
    ]
    assert substitute_frames(join_command(args), 11, 20).split()[4] == "11-20x1"


def test_the_frame_step_goes_to_nuke() -> None:
    assert render_args(write(frames="1-100x5"), "a.nk", DEFAULT)[4] == "@#@-@#@x5"
    assert frame_step("1-10x2,15,20-30x2") == 2


def test_frames_with_two_steps_are_refused_with_the_way_out() -> None:
    with pytest.raises(ValueError, match=r"mix steps 2, 3.*submit the ranges as separate targets"):
        render_args(write(frames="1-10x2,20-30x3"), "a.nk", DEFAULT)


def test_stereo_proxy_and_licence_flags_come_before_the_script() -> None:
    cfg = NukeFarmConfig(executable="/opt/Nuke15.1v3/Nuke15.1", extra_args=("-m", "8"))
    cfg_interactive = NukeFarmConfig(interactive_licence=True)
    target = write(views=["left", "right"], data={"proxy": True})

    assert render_args(target, "a.nk", cfg) == [
        "/opt/Nuke15.1v3/Nuke15.1",
        "-m",
        "8",
        "-p",
        "--view",
        "left,right",
        "-X",
        "Write1",
        "-F",
        "@#@-@#@x1",
        "-x",
        "a.nk",
    ]
    assert render_args(write(), "a.nk", cfg_interactive)[:2] == ["nuke", "-i"]


def test_a_scene_path_with_spaces_and_quotes_is_one_argument() -> None:
    scene = '/shows/it\'s a "test"/comp $1;.nk'

    args = render_args(write(), scene, DEFAULT)

    assert args[-1] == scene
    assert shlex.split(join_command(args)) == args


def test_the_site_config_section_is_read() -> None:
    cfg = NukeFarmConfig.from_section(
        {"executable": "nuke15", "extra_args": "--gpu -m 4", "interactive_licence": True}
    )

    assert cfg == NukeFarmConfig("nuke15", ("--gpu", "-m", "4"), True)
    assert NukeFarmConfig.from_section({}) == DEFAULT


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"exe": "nuke"}, "unknown setting(s) exe; known: executable, extra_args"),
        ({"executable": ""}, "dcc.nuke.executable must be a program name or path, not ''"),
        (
            {"extra_args": [1]},
            "dcc.nuke.extra_args must be a list of texts or one line of arguments, not [1]",
        ),
        ({"interactive_licence": "yes"}, "must be true or false, not 'yes'"),
    ],
)
def test_a_bad_config_section_says_what_is_wrong(section: dict, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        NukeFarmConfig.from_section(section)
    assert message in str(caught.value)


class _FileHost(ScriptFileHost):
    """The smallest script-file host: enough to read the farm settings the way both hosts do."""

    def collect(self):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def scene_path(self) -> str:
        return "/shots/comp.nk"

    def is_modified(self) -> bool:
        return False

    def save_scene(self) -> None:
        raise NotImplementedError


def test_hosts_take_the_nuke_section_from_the_site_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(
        "dcc:\n  nuke:\n    executable: /opt/nuke/Nuke15.1\n    extra_args: [-V, '2']\n"
        "    scene_copy_folder: renderscenes\n"  # the pipeline's setting, in the same section
    )
    monkeypatch.setenv("AFCORE_SITE_CONFIG", str(site))

    args = _FileHost().render_command(write(), "/shots/comp.copy.nk")

    assert args[:3] == ["/opt/nuke/Nuke15.1", "-V", "2"]


def test_a_bad_nuke_section_is_a_config_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site.yaml"
    site.write_text("dcc:\n  nuke:\n    executable: [nuke]\n")
    monkeypatch.setenv("AFCORE_SITE_CONFIG", str(site))

    with pytest.raises(ConfigError) as caught:
        _FileHost().render_command(write(), "/shots/comp.copy.nk")

    assert "dcc.nuke.executable" in str(caught.value) and str(site) in str(caught.value)
