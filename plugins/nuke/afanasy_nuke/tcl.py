"""The part of Nuke's TCL that file names use, to read .nk scripts without Nuke.

Output paths in real scripts are built with a handful of commands -
``[value root.name]``, ``[file dirname ...]``, ``[file rootname [file tail ...]]``,
``[format %04d [frame]]``, ``[value Shot.text]``, ``$env(SHOT)`` - and those
are evaluated here. Anything else raises :class:`CannotEvaluate` naming the
command, so the reader can warn on the Write instead of guessing.
"""

from __future__ import annotations

import os
import posixpath
import re
from typing import Callable

from afanasy_nuke.targets import CannotEvaluate

#: Resolves ``[value path]``: the knob's text with its own TCL already substituted.
Lookup = Callable[[str], str]

_VARIABLE = re.compile(r"\$(?:env\((?P<env>[^)]*)\)|\{(?P<braced>[^}]*)\}|(?P<plain>\w+))")
_FORMAT_SPEC = re.compile(r"%(?:%|[-+ 0#]*\d*(?:\.\d+)?(?P<conversion>[diouxXeEfgGcs]))")
_FILE_TOKEN = re.compile(r"#+|%(?P<width>0\d+)?d|%V|%v")


def substitute(text: str, frame: int, view: str, lookup: Lookup) -> str:
    """``text`` with every ``[command]`` and ``$env(NAME)`` replaced by its value."""
    if "[" not in text and "$" not in text:
        return text
    return _Evaluator(frame, view, lookup).substitute(text, escapes=False)


def fill_file_tokens(text: str, frame: int, view: str) -> str:
    """Nuke's file tokens: ``#`` runs and ``%0Nd`` become the frame, ``%V`` / ``%v`` the view."""

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "%V":
            return view
        if token == "%v":
            return view[:1]
        width = len(token) if token.startswith("#") else int(match.group("width") or 1)
        return f"{frame:0{width}d}"

    return _FILE_TOKEN.sub(fill, text)


def _closing(text: str, start: int, opening: str, closing: str) -> int:
    """Index of the bracket closing the one at ``start``; braces hide brackets, as in TCL."""
    depth, braces, index = 0, 0, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{" and opening != "{":
            braces += 1
        elif char == "}" and opening != "{" and braces:
            braces -= 1
        elif not braces and char == opening:
            depth += 1
        elif not braces and char == closing:
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise CannotEvaluate(f"{text[start:]!r} has no closing {closing!r}")


def _closing_quote(text: str, start: int) -> int:
    index = start + 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == '"':
            return index
        index += 1
    raise CannotEvaluate(f"{text!r} has an unclosed quote")


def _word_end(text: str, start: int) -> int:
    """Where a bare word ends: at white space outside its ``[commands]``."""
    index = start
    while index < len(text) and not text[index].isspace():
        index = _closing(text, index, "[", "]") + 1 if text[index] == "[" else index + 1
    return index


def _is_script_directory(script: str) -> bool:
    """``python {nuke.script_directory()}``: the usual project directory, worth knowing by heart."""
    words = script.split(None, 1)
    return (
        len(words) == 2
        and words[0] == "python"
        and words[1].strip().strip("{}").strip() == "nuke.script_directory()"
    )


class _Evaluator:
    def __init__(self, frame: int, view: str, lookup: Lookup) -> None:
        self.frame = frame
        self.view = view
        self.lookup = lookup

    def substitute(self, text: str, escapes: bool = True) -> str:
        """Commands and variables replaced; backslash escapes too inside a TCL word."""
        out: list[str] = []
        index = 0
        while index < len(text):
            char = text[index]
            if char == "[":
                end = _closing(text, index, "[", "]")
                out.append(self.command(text[index + 1 : end]))
                index = end + 1
            elif char == "$" and (match := _VARIABLE.match(text, index)):
                out.append(self.variable(match))
                index = match.end()
            elif char == "\\" and escapes and index + 1 < len(text):
                out.append(text[index + 1])
                index += 2
            else:
                out.append(char)
                index += 1
        return "".join(out)

    def variable(self, match: re.Match[str]) -> str:
        name = match.group("env")
        if name is None:
            raise CannotEvaluate(f"the TCL variable {match.group(0)} is not known outside Nuke")
        if name not in os.environ:
            raise CannotEvaluate(f"$env({name}) is not set where the script was read")
        return os.environ[name]

    def words(self, script: str) -> list[str]:
        """The words of one command, braces kept literal and everything else substituted."""
        words: list[str] = []
        index = 0
        while index < len(script):
            char = script[index]
            if char.isspace():
                index += 1
            elif char == "{":
                end = _closing(script, index, "{", "}")
                words.append(script[index + 1 : end])
                index = end + 1
            elif char == '"':
                end = _closing_quote(script, index)
                words.append(self.substitute(script[index + 1 : end]))
                index = end + 1
            else:
                end = _word_end(script, index)
                words.append(self.substitute(script[index:end]))
                index = end
        return words

    def command(self, script: str) -> str:
        if _is_script_directory(script):
            return posixpath.dirname(self.lookup("root.name"))
        words = self.words(script)
        if not words:
            return ""
        name, args = words[0], words[1:]
        if name == "frame" and not args:
            return str(self.frame)
        if name == "view" and not args:
            return self.view
        if name in ("value", "knob") and len(args) in (1, 2):
            return self.value(args)
        if name == "format" and args:
            return _format(args[0], args[1:])
        if name == "file" and args:
            return _file(args[0], args[1:])
        if name == "string" and args:
            return _string(args[0], args[1:])
        if name == "getenv" and len(args) in (1, 2):
            return os.environ.get(args[0], args[1] if len(args) == 2 else "")
        raise CannotEvaluate(f"[{script.strip()}] is TCL the .nk reader does not run")

    def value(self, args: list[str]) -> str:
        try:
            return self.lookup(args[0])
        except CannotEvaluate:
            if len(args) == 2:
                return args[1]
            raise


def _format(pattern: str, args: list[str]) -> str:
    values: list[object] = []
    specs = [m.group("conversion") for m in _FORMAT_SPEC.finditer(pattern) if m.group("conversion")]
    if len(specs) != len(args):
        raise CannotEvaluate(f"format {pattern!r} takes {len(specs)} value(s), given {len(args)}")
    try:
        for conversion, arg in zip(specs, args):
            if conversion in "diouxXc":
                values.append(int(float(arg)))
            elif conversion in "eEfgG":
                values.append(float(arg))
            else:
                values.append(arg)
        return pattern % tuple(values)
    except (TypeError, ValueError) as error:
        raise CannotEvaluate(f"format {pattern!r} {' '.join(args)}: {error}") from None


def _file(option: str, args: list[str]) -> str:
    if option == "join" and args:
        return posixpath.join(*args)
    if len(args) != 1:
        raise CannotEvaluate(f"file {option} takes one path")
    path = args[0]
    if option == "dirname":
        return posixpath.dirname(path.rstrip("/")) or ("/" if path.startswith("/") else ".")
    if option == "tail":
        return posixpath.basename(path.rstrip("/"))
    if option == "rootname":
        return posixpath.splitext(path)[0]
    if option == "extension":
        return posixpath.splitext(path)[1]
    if option == "nativename":
        return path
    raise CannotEvaluate(f"[file {option}] is TCL the .nk reader does not run")


def _string(option: str, args: list[str]) -> str:
    if option in ("tolower", "toupper") and len(args) == 1:
        return args[0].lower() if option == "tolower" else args[0].upper()
    if option in ("trim", "trimleft", "trimright") and len(args) in (1, 2):
        chars = args[1] if len(args) == 2 else None
        strip = {"trim": str.strip, "trimleft": str.lstrip, "trimright": str.rstrip}[option]
        return strip(args[0], chars)
    if option == "length" and len(args) == 1:
        return str(len(args[0]))
    if option == "range" and len(args) == 3:
        text = args[0]
        first, last = _index(args[1], len(text)), _index(args[2], len(text))
        return text[max(first, 0) : last + 1]
    raise CannotEvaluate(f"[string {option}] is TCL the .nk reader does not run")


def _index(word: str, length: int) -> int:
    """A TCL string index: ``3``, ``end``, ``end-2``."""
    try:
        if word == "end":
            return length - 1
        if word.startswith("end-"):
            return length - 1 - int(word[4:])
        return int(word)
    except ValueError:
        raise CannotEvaluate(f"{word!r} is not a string index") from None
