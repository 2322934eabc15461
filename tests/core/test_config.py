"""Layered configuration: defaults < site YAML < user YAML < environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from afcore.config import load_config
from afcore.errors import ConfigError


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clean environment: a home of its own and a known user, nothing else."""
    return {"HOME": str(tmp_path / "home"), "USER": "jimmy"}


def test_built_in_defaults(env):
    config = load_config(env)
    assert (config.server_host, config.server_port) == ("127.0.0.1", 51000)
    assert (config.priority, config.capacity) == (99, 1000)
    assert (config.connect_timeout, config.read_timeout) == (5.0, 30.0)
    assert config.user_name == "jimmy" and config.host_name
    assert config.outbox_dir == os.path.join(env["HOME"], ".local", "share", "afcore", "outbox")
    assert config.sources == [] and config.path_maps == [] and config.dcc == {}


def test_site_then_user_then_environment(env, tmp_path):
    env["AFCORE_SITE_CONFIG"] = write(
        tmp_path / "site.yaml",
        """
server_host: farm01
priority: 50
path_maps:
  - [/Users/jimmy/projects, /mnt/projects]
dcc:
  nuke:
    executable: /opt/Nuke15.1/Nuke15.1
submit:
  frames_per_task: 5
  locked: [priority]
""",
    )
    env["AFCORE_CONFIG"] = write(
        tmp_path / "user.yaml",
        """
priority: 70
path_maps:
  - ["P:/", /mnt/projects/]
dcc:
  nuke:
    extra_args: [--nukex]
""",
    )
    env["AF_SERVERNAME"] = "farm02"
    config = load_config(env)
    assert config.server_host == "farm02"
    assert config.priority == 70
    assert config.path_maps == [
        ("P:/", "/mnt/projects/"),
        ("/Users/jimmy/projects", "/mnt/projects"),
    ]
    assert config.dcc["nuke"] == {"executable": "/opt/Nuke15.1/Nuke15.1", "extra_args": ["--nukex"]}
    assert config.submit == {"frames_per_task": 5, "locked": ["priority"]}
    assert config.sources == [env["AFCORE_SITE_CONFIG"], env["AFCORE_CONFIG"]]


def test_a_user_file_cannot_undo_a_site_lock(env, tmp_path):
    env["AFCORE_SITE_CONFIG"] = write(
        tmp_path / "site.yaml", "submit:\n  max_running_tasks: 10\n  locked: [max_running_tasks]\n"
    )
    env["AFCORE_CONFIG"] = write(
        tmp_path / "user.yaml",
        "submit:\n  max_running_tasks: 500\n  locked: []\n  frames_per_task: 4\n",
    )
    config = load_config(env)
    assert config.submit == {
        "max_running_tasks": 10,
        "locked": ["max_running_tasks"],
        "frames_per_task": 4,
    }


def test_site_file_is_found_in_cgru_location(env, tmp_path):
    site = write(tmp_path / "cgru" / "afcore.yaml", "server_host: cgrufarm\n")
    env["CGRU_LOCATION"] = str(tmp_path / "cgru")
    config = load_config(env)
    assert config.server_host == "cgrufarm" and config.sources == [site]


def test_cgru_location_without_afcore_yaml_is_fine(env, tmp_path):
    env["CGRU_LOCATION"] = str(tmp_path / "cgru")
    assert load_config(env).sources == []


def test_user_file_is_found_in_xdg_config_home(env, tmp_path):
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    user = write(tmp_path / "xdg" / "afcore" / "config.yaml", "capacity: 250\n")
    config = load_config(env)
    assert config.capacity == 250 and config.sources == [user]


def test_user_file_falls_back_to_dot_config_in_home(env):
    user = write(Path(env["HOME"]) / ".config" / "afcore" / "config.yaml", "priority: 10\n")
    assert load_config(env).priority == 10 and load_config(env).sources == [user]


@pytest.mark.parametrize("variable", ["AFCORE_SITE_CONFIG", "AFCORE_CONFIG"])
def test_a_named_config_file_that_is_missing_is_an_error(env, tmp_path, variable):
    env[variable] = str(tmp_path / "nowhere.yaml")
    with pytest.raises(ConfigError, match=r"nowhere\.yaml does not exist"):
        load_config(env)


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("AF_SERVERNAME", "farm", "server_host", "farm"),
        ("CGRU_AF_SERVERNAME", "cgrufarm", "server_host", "cgrufarm"),
        ("AF_SERVERPORT", "52000", "server_port", 52000),
        ("CGRU_AF_SERVERPORT", "53000", "server_port", 53000),
        ("AF_USERNAME", "Anna", "user_name", "anna"),
        ("CGRU_USERNAME", "STUDIO\\Bob", "user_name", "bob"),
        ("AF_HOSTNAME", "ws07", "host_name", "ws07"),
        ("AF_CMD_PREFIX", "vglrun ", "cmd_prefix", "vglrun "),
        ("CGRU_AF_CMDPREFIX", "nice ", "cmd_prefix", "nice "),
        ("CGRU_AF_PRIORITY", "150", "priority", 150),
        ("CGRU_AF_TASK_DEFAULT_CAPACITY", "500", "capacity", 500),
        ("AFCORE_CONNECT_TIMEOUT", "1.5", "connect_timeout", 1.5),
        ("AFCORE_READ_TIMEOUT", "60", "read_timeout", 60.0),
    ],
)
def test_environment_variables_people_already_set(env, variable, value, field, expected):
    env[variable] = value
    assert getattr(load_config(env), field) == expected


def test_outbox_dir_from_the_environment_expands_home(env):
    env["AFCORE_OUTBOX_DIR"] = "~/farm-outbox"
    assert load_config(env).outbox_dir == os.path.join(env["HOME"], "farm-outbox")


def test_environment_beats_both_files(env, tmp_path):
    env["AFCORE_CONFIG"] = write(tmp_path / "user.yaml", "server_port: 52000\n")
    env["AF_SERVERPORT"] = "54000"
    assert load_config(env).server_port == 54000


def test_af_names_win_over_cgru_names_for_the_server(env):
    env.update(AF_SERVERNAME="af", CGRU_AF_SERVERNAME="cgru")
    assert load_config(env).server_host == "af"


def test_cgru_username_wins_over_af_username_as_in_cgru(env):
    env.update(AF_USERNAME="af", CGRU_USERNAME="cgru")
    assert load_config(env).user_name == "cgru"


def test_an_empty_variable_counts_as_unset(env):
    env["AF_SERVERNAME"] = ""
    assert load_config(env).server_host == "127.0.0.1"


@pytest.mark.parametrize(
    ("value", "host", "port"),
    [
        ("farm:52000", "farm", 52000),
        ("10.0.0.5:52001", "10.0.0.5", 52001),
        ("[::1]:52002", "::1", 52002),
        ("::1", "::1", 51000),
        ("[fe80::1]", "fe80::1", 51000),
    ],
)
def test_servername_may_carry_the_port(env, value, host, port):
    env["AF_SERVERNAME"] = value
    config = load_config(env)
    assert (config.server_host, config.server_port) == (host, port)


def test_servername_port_and_serverport_that_disagree_are_an_error(env):
    env.update(AF_SERVERNAME="farm:52000", AF_SERVERPORT="51000")
    with pytest.raises(ConfigError) as raised:
        load_config(env)
    assert "AF_SERVERNAME" in str(raised.value) and "AF_SERVERPORT" in str(raised.value)


def test_servername_port_and_serverport_that_agree_are_fine(env):
    env.update(AF_SERVERNAME="farm:52000", AF_SERVERPORT="52000")
    assert load_config(env).server_port == 52000


@pytest.mark.parametrize("value", ["farm:", "farm:abc", "farm:70000", "[::1"])
def test_a_malformed_servername_says_which_forms_work(env, value):
    env["AF_SERVERNAME"] = value
    with pytest.raises(ConfigError, match=r"AF_SERVERNAME.*host:port"):
        load_config(env)


def test_a_port_that_is_not_a_number_names_variable_and_expected_type(env):
    env["AF_SERVERPORT"] = "abc"
    with pytest.raises(ConfigError) as raised:
        load_config(env)
    message = str(raised.value)
    assert "AF_SERVERPORT" in message and "whole number from 1 to 65535" in message
    assert "'abc'" in message


def test_broken_yaml_names_the_file_and_line(env, tmp_path):
    env["AFCORE_CONFIG"] = write(
        tmp_path / "user.yaml", "server_host: farm\npriority: 50\npath_maps: [[a, b]\n"
    )
    with pytest.raises(ConfigError) as raised:
        load_config(env)
    message = str(raised.value)
    assert env["AFCORE_CONFIG"] in message and "line 4" in message and "not valid YAML" in message
    assert "flow sequence that starts at line 3, column 12" in message


def test_a_tab_in_yaml_gets_a_hint(env, tmp_path):
    env["AFCORE_CONFIG"] = write(tmp_path / "user.yaml", "path_maps:\n\t- [a, b]\n")
    with pytest.raises(ConfigError, match="line 2, column 1 .* indents with spaces, not tabs"):
        load_config(env)


def test_wrong_type_in_yaml_names_file_key_and_expected_type(env, tmp_path):
    env["AFCORE_SITE_CONFIG"] = write(tmp_path / "site.yaml", 'server_port: "abc"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(env)
    message = str(raised.value)
    assert env["AFCORE_SITE_CONFIG"] in message
    assert "server_port" in message and "whole number" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("priority: 300\n", "from 0 to 250"),
        ("capacity: 0\n", ">= 1"),
        ("read_timeout: 0\n", "seconds > 0"),
        ("server_port: true\n", "whole number"),
        ("path_maps: [[only_one]]\n", "pairs"),
        ("path_maps: {a: b}\n", "pairs"),
        ("dcc: {nuke: /opt/nuke}\n", "mapping per DCC"),
        ("submit: {locked: priority}\n", "list of setting names"),
        ("cmd_prefix: 5\n", "text"),
    ],
)
def test_values_of_the_wrong_kind_are_refused(env, tmp_path, text, expected):
    env["AFCORE_CONFIG"] = write(tmp_path / "user.yaml", text)
    with pytest.raises(ConfigError, match=expected):
        load_config(env)


def test_a_misspelt_setting_gets_a_suggestion(env, tmp_path):
    env["AFCORE_CONFIG"] = write(tmp_path / "user.yaml", "sever_host: farm\n")
    with pytest.raises(ConfigError, match='sever_host.. Did you mean "server_host"'):
        load_config(env)


def test_a_file_that_is_not_a_mapping_is_refused(env, tmp_path):
    env["AFCORE_CONFIG"] = write(tmp_path / "user.yaml", "- server_host\n- farm\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_config(env)


def test_an_empty_file_is_read_and_changes_nothing(env, tmp_path):
    env["AFCORE_CONFIG"] = write(tmp_path / "user.yaml", "# nothing yet\n")
    config = load_config(env)
    assert config.server_host == "127.0.0.1" and config.sources == [env["AFCORE_CONFIG"]]


def test_yaml_is_read_safely(env, tmp_path):
    env["AFCORE_CONFIG"] = write(
        tmp_path / "user.yaml", "server_host: !!python/object/apply:os.getcwd []\n"
    )
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(env)


def test_server_in_yaml_may_carry_the_port(env, tmp_path):
    env["AFCORE_CONFIG"] = write(tmp_path / "user.yaml", "server_host: farm:52000\n")
    config = load_config(env)
    assert (config.server_host, config.server_port) == ("farm", 52000)


def test_user_name_from_yaml_follows_cgru_rules(env, tmp_path):
    env["AFCORE_CONFIG"] = write(tmp_path / "user.yaml", "user_name: 'STUDIO\\Jimmy'\n")
    assert load_config(env).user_name == "jimmy"


def test_without_an_argument_the_process_environment_is_read(monkeypatch):
    monkeypatch.setenv("AF_SERVERNAME", "fromenv:52000")
    config = load_config()
    assert (config.server_host, config.server_port) == ("fromenv", 52000)
