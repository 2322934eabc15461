"""A plug-in's section of the config (``dcc: <name>:``): the checks every DCC's farm settings
share, and reading them once per host.

Each plug-in's farm.py knows its own keys. What their values look like (a program, a list
of arguments) and how a mistake is told (the key, what was expected, the files the
configuration came from) is the same for every DCC, so it is written once, here.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any, Callable, Generic, Mapping, Optional, Sequence, TypeVar

from afcore.errors import ConfigError

if TYPE_CHECKING:
    from afcore.config import Config

__all__ = ["PIPELINE_KEYS", "HostConfig", "arguments", "program", "read_farm", "reject_unknown"]

#: Keys of every ``dcc: <name>:`` section that the submit pipeline reads, not the plug-in
#: (:func:`afcore.scenecopy.configured_folder`).
PIPELINE_KEYS = ("scene_copy_folder",)

Settings = TypeVar("Settings")


def reject_unknown(section: Mapping[str, Any], known: Sequence[str], where: str) -> None:
    """Refuse keys nothing reads (a misspelt one would be ignored in silence), naming the
    known ones. ``where`` is the section's place in the config, e.g. ``dcc.nuke``."""
    unknown = sorted(map(str, set(section) - set(known)))
    if unknown:
        raise ValueError(
            f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )


def arguments(value: Any, where: str) -> tuple[str, ...]:
    """A list of texts, or one line of arguments split as a shell would (``-m 4 "a b"``)."""
    if isinstance(value, str):
        return tuple(shlex.split(value))
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return tuple(value)
    key = where.rsplit(".", 1)[-1]
    raise ValueError(
        f"{where} must be a list of texts or one line of arguments, not {value!r}; "
        f"e.g. {key}: [-v, '2']  or  {key}: -v 2"
    )


def program(value: Any, where: str) -> str:
    """A program to run on the render clients: a name on their PATH or a full path."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} must be a program name or path, not {value!r}")
    return value


def read_farm(config: Config, read: Callable[[Config], Settings]) -> Settings:
    """``read(config)``; a bad value (its ``ValueError``) becomes a :class:`ConfigError` that
    also names the files the configuration was read from, so the artist knows where to look."""
    try:
        return read(config)
    except ValueError as error:
        files = ", ".join(config.sources) or "no config file"
        raise ConfigError(f"{error} (configuration read from: {files})") from None


class HostConfig(Generic[Settings]):
    """The suite's configuration and a DCC's farm settings, each read when first asked for.

    A host asks for them for every target's command; reading the files once keeps one
    submission on one configuration, and a config given to the host (tests, afsubmit) is
    used as it is.
    """

    def __init__(self, read: Callable[[Config], Settings], config: Optional[Config] = None):
        self._read = read
        self._config = config
        self._farm: Optional[Settings] = None

    def config(self) -> Config:
        """The configuration given to the host, or the one in effect (read once)."""
        if self._config is None:
            from afcore.config import load_config

            self._config = load_config()
        return self._config

    def farm(self) -> Settings:
        """The DCC's farm settings from :meth:`config` (read once; see :func:`read_farm`)."""
        if self._farm is None:
            self._farm = read_farm(self.config(), self._read)
        return self._farm
