"""A plug-in's ``dcc: <name>:`` section: the checks every DCC's farm settings share, and the
configuration a host reads once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from afcore.config import Config
from afcore.dccconfig import (
    PIPELINE_KEYS,
    HostConfig,
    arguments,
    program,
    read_farm,
    reject_unknown,
)
from afcore.errors import ConfigError


def test_known_keys_pass_and_a_misspelt_one_is_named_with_the_known_ones() -> None:
    known = ("executable", "extra_args", *PIPELINE_KEYS)
    reject_unknown({"executable": "nuke", "scene_copy_folder": "renderscenes"}, known, "dcc.nuke")

    with pytest.raises(ValueError) as raised:
        reject_unknown({"exe": "nuke", "extra_arg": [], "executable": "nuke"}, known, "dcc.nuke")

    assert str(raised.value) == (
        "dcc.nuke: unknown setting(s) exe, extra_arg; "
        "known: executable, extra_args, scene_copy_folder"
    )


def test_arguments_are_a_list_of_texts_or_one_shell_line() -> None:
    assert arguments(["-m", "8", "a b"], "dcc.nuke.extra_args") == ("-m", "8", "a b")
    assert arguments('--gpu -m 4 "/a b/c"', "dcc.nuke.extra_args") == ("--gpu", "-m", "4", "/a b/c")
    assert arguments("", "dcc.nuke.extra_args") == ()


@pytest.mark.parametrize("value", [[1], 3, {"-m": 8}, None, ["-m", 8]])
def test_other_arguments_are_refused_with_an_example(value: Any) -> None:
    with pytest.raises(ValueError) as raised:
        arguments(value, "dcc.maya.renderers.arnold.args")

    assert str(raised.value) == (
        "dcc.maya.renderers.arnold.args must be a list of texts or one line of arguments, "
        f"not {value!r}; e.g. args: [-v, '2']  or  args: -v 2"
    )


def test_a_program_is_a_non_blank_name_or_path() -> None:
    assert program("/opt/hfs20.5/bin/hython", "dcc.houdini.executable") == (
        "/opt/hfs20.5/bin/hython"
    )
    for value in ("", "  ", None, ["nuke"]):
        with pytest.raises(
            ValueError, match=r"^dcc\.nuke\.executable must be a program name or path, not "
        ):
            program(value, "dcc.nuke.executable")


def test_a_bad_value_becomes_a_config_error_naming_the_files_read() -> None:
    def refuse(config: Config) -> None:
        raise ValueError("dcc.nuke.executable must be a program name or path, not ''")

    read = Config(sources=["/etc/afanasy/site.yaml", "/home/jimmy/.config/afcore/config.yaml"])
    with pytest.raises(ConfigError) as raised:
        read_farm(read, refuse)
    assert str(raised.value) == (
        "dcc.nuke.executable must be a program name or path, not '' (configuration read from: "
        "/etc/afanasy/site.yaml, /home/jimmy/.config/afcore/config.yaml)"
    )

    with pytest.raises(ConfigError, match=r"\(configuration read from: no config file\)$"):
        read_farm(Config(), refuse)


def test_errors_that_are_not_about_values_are_not_dressed_as_config_errors() -> None:
    def broken(config: Config) -> None:
        raise KeyError("a bug, not a setting")

    with pytest.raises(KeyError):
        read_farm(Config(), broken)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site config file that the configuration in effect is read from."""
    path = tmp_path / "site.yaml"
    monkeypatch.setenv("AFCORE_SITE_CONFIG", str(path))
    return path


def _executable(config: Config) -> str:
    return program(config.dcc.get("nuke", {}).get("executable", "nuke"), "dcc.nuke.executable")


def test_a_host_reads_the_configuration_in_effect_once(site: Path) -> None:
    site.write_text("dcc:\n  nuke:\n    executable: /opt/nuke/Nuke15.1\n")
    configs = HostConfig(_executable)

    assert configs.farm() == "/opt/nuke/Nuke15.1"
    site.write_text("dcc:\n  nuke:\n    executable: /opt/nuke/Nuke16.0\n")

    assert configs.farm() == "/opt/nuke/Nuke15.1"  # one submission, one configuration
    assert configs.config().sources == [str(site)]
    assert HostConfig(_executable).farm() == "/opt/nuke/Nuke16.0"  # the next host reads anew


def test_a_configuration_given_to_the_host_is_used_as_it_is(site: Path) -> None:
    site.write_text("dcc:\n  nuke:\n    executable: /opt/nuke/Nuke15.1\n")
    given = Config(dcc={"nuke": {"executable": "nuke-wrapper"}})
    configs = HostConfig(_executable, given)

    assert configs.config() is given
    assert configs.farm() == "nuke-wrapper"


def test_a_bad_section_in_the_files_is_reported_with_them(site: Path) -> None:
    site.write_text("dcc:\n  nuke:\n    executable: ''\n")

    with pytest.raises(ConfigError, match=rf"not '' \(configuration read from: {site}\)$"):
        HostConfig(_executable).farm()
