"""Client-to-farm path mapping, and quoting command lines for the render client's shell.

A render client runs a task's command with ``sh -c`` (``bash -c``), so every
argument is quoted once, when the command is joined, and a scene called
``shot 010; rm -rf ~.nk`` reaches the renderer as one harmless argument.
"""

from __future__ import annotations

import os
import re
from typing import Sequence, Union

__all__ = ["join_command", "map_path", "quote_arg"]

_WINDOWS_PREFIX = re.compile(r"^(?:[A-Za-z]:|//)")


def _forward_slashes(path: str) -> str:
    return path.replace("\\", "/")


def _has_prefix(path: str, prefix: str) -> bool:
    """Whether ``prefix`` is ``path`` or one of its parent folders (Windows ones in any case)."""
    head, rest = path[: len(prefix)], path[len(prefix) :]
    if _WINDOWS_PREFIX.match(prefix):
        head, prefix = head.casefold(), prefix.casefold()
    return head == prefix and (not rest or rest.startswith("/"))


def map_path(path: str, maps: list[tuple[str, str]]) -> str:
    """``path`` with its client prefix replaced by the farm's, when one of ``maps`` matches.

    The longest matching client prefix wins, and it must end on a path
    component (``/shots`` maps ``/shots/a`` but not ``/shotsX``). Client paths
    may use backslashes and drive letters (``Z:\\shots\\a`` with
    ``("Z:/", "/mnt/z/")`` gives ``/mnt/z/shots/a``); Windows prefixes match
    regardless of case. A path no prefix matches is returned unchanged.
    """
    normalized = _forward_slashes(path)
    prefixes = []
    for client, farm in maps:
        if not client:
            raise ValueError(f"a path map needs a client prefix; got {(client, farm)!r}")
        prefixes.append((_forward_slashes(client).rstrip("/"), farm))
    for prefix, farm in sorted(prefixes, key=lambda pair: len(pair[0]), reverse=True):
        if _has_prefix(normalized, prefix):
            return (farm.rstrip("/\\") + normalized[len(prefix) :]) or "/"
    return path


#: Characters that never mean anything to a POSIX shell inside a word. ``#`` starts a
#: comment only at the start of a word, so Afanasy's ``@#@`` and ``@####@`` stay bare.
_BARE_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./-][A-Za-z0-9_@%+=:,./#-]*")
#: Words a shell reads as syntax, not as a program, when they come first (POSIX and bash).
_RESERVED_WORDS = frozenset(
    {"case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in"}
    | {"select", "then", "time", "until", "while"}
)


def _single_quoted(arg: str) -> str:
    """``arg`` in single quotes, where nothing expands; each ``'`` closes, escapes, reopens."""
    return "'" + arg.replace("'", "'\"'\"'") + "'"


def quote_arg(arg: str) -> str:
    """``arg`` as one word for a POSIX shell, left bare when nothing in it needs quoting."""
    return arg if _BARE_WORD.fullmatch(arg) else _single_quoted(arg)


def _quote_program(program: str) -> str:
    """The first word: also quoted when bare it would be an assignment (``X=1``) or a keyword."""
    if "=" in program or program in _RESERVED_WORDS:
        return _single_quoted(program)
    return quote_arg(program)


def join_command(args: Sequence[Union[str, os.PathLike[str]]]) -> str:
    """One shell command line whose words are exactly ``args``, each quoted once."""
    if not args:
        raise ValueError("a command needs at least a program to run; got no arguments")
    words = []
    for index, arg in enumerate(args):
        text = os.fspath(arg) if isinstance(arg, os.PathLike) else arg
        if not isinstance(text, str):
            raise TypeError(
                f"command argument {index} is {type(arg).__name__} {arg!r}, not text; "
                "convert it with str() when building the command"
            )
        words.append(quote_arg(text) if index else _quote_program(text))
    return " ".join(words)
