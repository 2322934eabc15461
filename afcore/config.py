"""Layered configuration: built-in defaults < site YAML < user YAML < environment.

A studio writes the site file once (server, path maps, DCC executables); an
artist may override a few things in the user file; a shell or a launcher sets
environment variables last. The environment names people already use with
CGRU keep working: ``AF_SERVERNAME``, ``AF_SERVERPORT``, ``AF_USERNAME``,
``AF_HOSTNAME``, ``AF_CMD_PREFIX`` and CGRU's ``CGRU_<KEY>`` overrides of its
config keys (``CGRU_AF_SERVERNAME`` overrides ``af_servername``, as
``cgruconfig`` does). See docs/config.md.

Every mistake is a :class:`~afcore.errors.ConfigError` naming the file (and
line, for broken YAML) or the variable, the key, and what was expected.
"""

from __future__ import annotations

import difflib
import getpass
import os
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import yaml

from afcore.errors import ConfigError

DEFAULT_PORT = 51000


@dataclass
class Config:
    """Everything the suite reads from configuration, with its built-in defaults."""

    server_host: str = "127.0.0.1"
    server_port: int = DEFAULT_PORT
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    user_name: str = ""
    host_name: str = ""
    priority: int = 99
    capacity: int = 1000
    cmd_prefix: str = ""
    outbox_dir: str = ""
    #: ``(client prefix, farm prefix)`` pairs (see afcore.paths.map_path); the user's come first.
    path_maps: list[tuple[str, str]] = field(default_factory=list)
    #: Per-DCC sections: ``dcc["nuke"]["executable"]``, ``dcc["nuke"]["extra_args"]``.
    dcc: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Site defaults for the submit settings; ``submit["locked"]`` names fields artists keep.
    submit: dict[str, Any] = field(default_factory=dict)
    #: The configuration files that were read, lowest layer first.
    sources: list[str] = field(default_factory=list)


# --- value checks: each turns a raw value into the field's type or says what was expected ---


class _Invalid(ValueError):
    """A value of the wrong kind; the message says what was expected."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid("a text value")
    return value


def _name(value: Any) -> str:
    text = _text(value).strip()
    if not text:
        raise _Invalid("a non-empty text")
    return text


def _user_name(value: Any) -> str:
    """CGRU's user name rule: the domain part (``DOMAIN\\jimmy``) cut off, lower case."""
    name = _name(value)
    return name.replace("\\", "/").rsplit("/", 1)[-1].lower()


def _integer(value: Any, low: int, high: Optional[int] = None) -> int:
    expected = f"a whole number from {low} to {high}" if high else f"a whole number >= {low}"
    if isinstance(value, bool):
        raise _Invalid(expected)
    try:
        number = int(value.strip()) if isinstance(value, str) else value
    except ValueError:
        raise _Invalid(expected) from None
    if not isinstance(number, int) or number < low or (high is not None and number > high):
        raise _Invalid(expected)
    return number


def _port(value: Any) -> int:
    return _integer(value, 1, 65535)


def _priority(value: Any) -> int:
    return _integer(value, 0, 250)


def _capacity(value: Any) -> int:
    return _integer(value, 1)


def _seconds(value: Any) -> float:
    expected = "a number of seconds > 0"
    if isinstance(value, bool):
        raise _Invalid(expected)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _Invalid(expected) from None
    if not number > 0:
        raise _Invalid(expected)
    return number


def _path_maps(value: Any) -> list[tuple[str, str]]:
    expected = "a list of [client prefix, farm prefix] pairs"
    if not isinstance(value, list):
        raise _Invalid(expected)
    pairs = []
    for pair in value:
        if (
            not isinstance(pair, (list, tuple))
            or len(pair) != 2
            or not all(isinstance(p, str) and p for p in pair)
        ):
            raise _Invalid(f"{expected}; {pair!r} is not such a pair")
        pairs.append((pair[0], pair[1]))
    return pairs


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise _Invalid("a mapping of names to values")
    return dict(value)


def _dcc(value: Any) -> dict[str, dict[str, Any]]:
    sections = _mapping(value)
    for name, section in sections.items():
        if not isinstance(section, dict):
            raise _Invalid(f"a mapping per DCC; dcc.{name} is {type(section).__name__}")
    return {name: dict(section) for name, section in sections.items()}


def _submit(value: Any) -> dict[str, Any]:
    settings = _mapping(value)
    locked = settings.get("locked", [])
    if not isinstance(locked, list) or not all(isinstance(name, str) for name in locked):
        raise _Invalid("a mapping whose 'locked' is a list of setting names")
    return settings


_CHECKS: dict[str, Callable[[Any], Any]] = {
    "server_host": _name,
    "server_port": _port,
    "connect_timeout": _seconds,
    "read_timeout": _seconds,
    "user_name": _user_name,
    "host_name": _name,
    "priority": _priority,
    "capacity": _capacity,
    "cmd_prefix": _text,
    "outbox_dir": _name,
    "path_maps": _path_maps,
    "dcc": _dcc,
    "submit": _submit,
}

#: Environment variables per field, the first one set wins. CGRU's own order is kept where it
#: has one (``CGRU_USERNAME`` before ``AF_USERNAME``, as cgruconfig reads them).
ENVIRONMENT: dict[str, tuple[str, ...]] = {
    "server_host": ("AF_SERVERNAME", "CGRU_AF_SERVERNAME"),
    "server_port": ("AF_SERVERPORT", "CGRU_AF_SERVERPORT"),
    "user_name": ("CGRU_USERNAME", "AF_USERNAME"),
    "host_name": ("AF_HOSTNAME",),
    "cmd_prefix": ("AF_CMD_PREFIX", "CGRU_AF_CMDPREFIX"),
    "priority": ("CGRU_AF_PRIORITY",),
    "capacity": ("CGRU_AF_TASK_DEFAULT_CAPACITY",),
    "connect_timeout": ("AFCORE_CONNECT_TIMEOUT",),
    "read_timeout": ("AFCORE_READ_TIMEOUT",),
    "outbox_dir": ("AFCORE_OUTBOX_DIR",),
}


# --- layers ---


Layer = dict[str, Any]


def split_server(text: str) -> tuple[str, Optional[int]]:
    """``"farm:52000"`` -> ``("farm", 52000)``; ``"[::1]:52000"``, ``"::1"``, ``"farm"`` too.

    A bare address with several colons is IPv6 without a port; put it in
    brackets to add one.
    """
    text = text.strip()
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise _Invalid(_SERVER_FORMS)
        port = rest[1:] if rest else None
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    else:
        return text, None
    try:
        return _name(host), (None if port is None else _port(port))
    except _Invalid:
        raise _Invalid(_SERVER_FORMS) from None


_SERVER_FORMS = '"host", "host:port" or "[IPv6 address]:port" with a port from 1 to 65535'


def _add(layer: Layer, origins: dict[str, str], key: str, value: Any, where: str) -> None:
    """Check one key and put it in the layer; a ``host:port`` server sets the port too.

    ``origins`` remembers where each value came from, to name both places when
    a port given twice disagrees.
    """
    try:
        if key == "server_host":
            host, port = split_server(_name(value))
            values: Layer = {"server_host": host}
            if port is not None:
                values["server_port"] = port
        else:
            values = {key: _CHECKS[key](value)}
    except _Invalid as invalid:
        raise ConfigError(
            f"{where}: {key}: expected {invalid}, got {value!r}. Fix the value there."
        ) from None
    port = values.get("server_port")
    if port is not None and layer.get("server_port", port) != port:
        raise ConfigError(
            f"{where} gives port {port} but {origins['server_port']} gives "
            f"{layer['server_port']}: set the server port in one place only."
        )
    layer.update(values)
    origins.update(dict.fromkeys(values, where))


def read_yaml_layer(path: str) -> Layer:
    """The checked values of one YAML file; ConfigError names the file, line, key."""
    try:
        with open(path, encoding="utf-8") as stream:
            document = yaml.safe_load(stream)
    except yaml.YAMLError as error:
        raise ConfigError(
            f"Config file {path}{_yaml_problem(error)}. Fix the file or move it away."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"Cannot read config file {path}: {error}") from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ConfigError(
            f"Config file {path} must be a mapping of settings (key: value), "
            f"not a {type(document).__name__}."
        )
    layer: Layer = {}
    origins: dict[str, str] = {}
    for key, value in document.items():
        if key not in _CHECKS:
            close = difflib.get_close_matches(str(key), _CHECKS, n=1)
            hint = f' Did you mean "{close[0]}"?' if close else ""
            raise ConfigError(
                f"Config file {path}: unknown setting {key!r}.{hint} "
                f"Known settings: {', '.join(_CHECKS)}."
            )
        _add(layer, origins, key, value, f"Config file {path}")
    return layer


def _yaml_problem(error: yaml.YAMLError) -> str:
    """``, line 4, column 1 is not valid YAML: <problem> (<what was open, and where>)``."""
    mark = getattr(error, "problem_mark", None)
    place = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(error, "problem", None) or str(error)
    context, opened = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context and opened and (not mark or opened.line != mark.line):
        problem += f" ({context} that starts at line {opened.line + 1}, column {opened.column + 1})"
    if "'\\t'" in problem:
        problem += " (YAML indents with spaces, not tabs)"
    return f"{place} is not valid YAML: {problem}"


def environment_layer(env: Mapping[str, str]) -> Layer:
    """Values from the environment; ``AF_SERVERNAME=farm:52000`` carries a port too."""
    layer: Layer = {}
    origins: dict[str, str] = {}
    for key, names in ENVIRONMENT.items():
        name = next((n for n in names if env.get(n, "") != ""), None)
        if name is not None:
            _add(layer, origins, key, env[name], f"Environment variable {name}")
    return layer


def site_config_path(env: Mapping[str, str]) -> Optional[str]:
    """``$AFCORE_SITE_CONFIG``, else ``$CGRU_LOCATION/afcore.yaml`` when that file exists."""
    explicit = env.get("AFCORE_SITE_CONFIG")
    if explicit:
        return explicit
    cgru = env.get("CGRU_LOCATION")
    candidate = os.path.join(cgru, "afcore.yaml") if cgru else None
    return candidate if candidate and os.path.isfile(candidate) else None


def user_config_path(env: Mapping[str, str]) -> Optional[str]:
    """``$AFCORE_CONFIG``, else ``$XDG_CONFIG_HOME/afcore/config.yaml`` when that file exists."""
    explicit = env.get("AFCORE_CONFIG")
    if explicit:
        return explicit
    base = env.get("XDG_CONFIG_HOME") or os.path.join(_home(env), ".config")
    candidate = os.path.join(base, "afcore", "config.yaml")
    return candidate if os.path.isfile(candidate) else None


def _home(env: Mapping[str, str]) -> str:
    return env.get("HOME") or env.get("USERPROFILE") or os.path.expanduser("~")


def _default_outbox(env: Mapping[str, str]) -> str:
    if sys.platform.startswith("win") and env.get("LOCALAPPDATA"):
        return os.path.join(env["LOCALAPPDATA"], "afcore", "outbox")
    data = env.get("XDG_DATA_HOME") or os.path.join(_home(env), ".local", "share")
    return os.path.join(data, "afcore", "outbox")


def _default_user(env: Mapping[str, str]) -> str:
    name = env.get("USER") or env.get("USERNAME") or env.get("LOGNAME")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return _user_name(name)


def _defaults(env: Mapping[str, str]) -> Config:
    return Config(
        user_name=_default_user(env),
        host_name=socket.gethostname().lower() or "localhost",
        outbox_dir=_default_outbox(env),
    )


def _apply(config: Config, layer: Layer, env: Mapping[str, str], site: bool = False) -> None:
    """Lay one layer over the config: sections merge per key, user path maps come first."""
    for key, value in layer.items():
        if key == "path_maps":
            config.path_maps = value + config.path_maps
        elif key == "dcc":
            for name, section in value.items():
                config.dcc[name] = {**config.dcc.get(name, {}), **section}
        elif key == "submit":
            config.submit = _merge_submit(config.submit, value, site)
        elif key == "outbox_dir":
            config.outbox_dir = _expand_home(value, env)
        else:
            setattr(config, key, value)


def _merge_submit(current: dict[str, Any], layer: dict[str, Any], site: bool) -> dict[str, Any]:
    """Submit defaults, where only the site may lock fields and a user cannot undo a lock."""
    if site:
        return {**current, **layer}
    locked = set(current.get("locked", [])) | {"locked"}
    return {**current, **{k: v for k, v in layer.items() if k not in locked}}


def _expand_home(path: str, env: Mapping[str, str]) -> str:
    if path == "~" or path.startswith(("~/", "~\\")):
        return _home(env) + path[1:]
    return path


def load_config(env: Optional[Mapping[str, str]] = None) -> Config:
    """The configuration in effect: defaults < site YAML < user YAML < environment.

    ``env`` defaults to ``os.environ``; tests and tools pass their own.
    """
    env = os.environ if env is None else env
    config = _defaults(env)
    for path, site in ((site_config_path(env), True), (user_config_path(env), False)):
        if path is None:
            continue
        if not os.path.isfile(path):
            raise ConfigError(
                f"Config file {path} does not exist (named by AFCORE_SITE_CONFIG or "
                "AFCORE_CONFIG). Create it or unset the variable."
            )
        _apply(config, read_yaml_layer(path), env, site)
        config.sources.append(path)
    _apply(config, environment_layer(env), env)
    return config
