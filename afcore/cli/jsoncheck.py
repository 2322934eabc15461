"""JSON syntax checking that points at the mistake: file, line, column, the line and a caret.

The server's own parser error ("Missing a comma ... (at character 22 of 22)") is hard to act on
in a 300-line job file; this module finds the same mistakes before anything is sent and shows
them the way a compiler would. It is also stricter than Python's ``json`` where the server is:
``NaN`` and ``Infinity`` are not JSON and the server rejects them.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Optional

#: Longest part of a line shown around the error; minified job files are one huge line.
EXCERPT_WIDTH = 72

# A JSON string (skipped as a whole) or a bare constant Python accepts and JSON does not.
_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.DOTALL)


@dataclass(eq=False)
class JsonSyntaxError(Exception):
    """Where a JSON text is broken, and what is wrong there."""

    source: str
    line: int
    column: int
    message: str
    line_text: str = ""

    def __str__(self) -> str:
        head = f"{self.source}:{self.line}:{self.column}: {self.message}"
        if not self.line_text:
            return head
        return f"{head}\n{excerpt(self.line_text, self.line, self.column)}"


def excerpt(line_text: str, line: int, column: int) -> str:
    """Two lines: the (possibly shortened) offending line and a caret under ``column``."""
    start = max(0, min(column - 1 - EXCERPT_WIDTH // 2, len(line_text) - EXCERPT_WIDTH))
    shown = line_text[start : start + EXCERPT_WIDTH]
    prefix = "..." if start else ""
    suffix = "..." if start + EXCERPT_WIDTH < len(line_text) else ""
    # Keep tabs before the caret so it lines up under the character in any terminal.
    lead = "".join(c if c == "\t" else " " for c in shown[: column - 1 - start])
    gutter = f"{line:>4} | "
    return f"{gutter}{prefix}{shown}{suffix}\n{' ' * (len(gutter) - 2)}| {' ' * len(prefix)}{lead}^"


def parse_json(text: str, source: str = "<stdin>") -> Any:
    """The document in ``text``, or :class:`JsonSyntaxError` pointing at the first mistake."""
    if not text.strip():
        raise JsonSyntaxError(source, 1, 1, "empty input: expected a JSON document")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise _error_at(text, source, error.pos, _explain(error.msg, text, error.pos)) from None
    except _NotJson:
        position, word = _first_constant(text)
        raise _error_at(text, source, position, f"{word} is not valid JSON") from None
    except RecursionError:
        raise JsonSyntaxError(source, 1, 1, "nested too deeply to check") from None


def read_text(path: str, stdin: Optional[BinaryIO] = None) -> tuple[str, str]:
    """``(text, display name)`` of a JSON file, ``-`` meaning standard input.

    Raises :class:`JsonSyntaxError` for bytes that are not UTF-8 (JSON is UTF-8 by definition)
    and ``OSError`` for a file that cannot be read.
    """
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data, source = stream.read(), "<stdin>"
    else:
        data, source = Path(path).read_bytes(), path
    try:
        return data.decode("utf-8-sig"), source
    except UnicodeDecodeError as error:
        shown = data.decode("utf-8-sig", "replace")
        position = len(data[: error.start].decode("utf-8-sig", "replace"))
        message = f"byte 0x{data[error.start]:02x} is not UTF-8: save the file as UTF-8"
        raise _error_at(shown, source, position, message) from None


def load(path: str, stdin: Optional[BinaryIO] = None) -> Any:
    """Read and parse a JSON file (``-`` for standard input) with positioned errors."""
    text, source = read_text(path, stdin)
    return parse_json(text, source)


_PLAIN_MESSAGES = {
    "Extra data": "unexpected text after the end of the JSON document",
    "Invalid control character at": (
        "raw control character inside a string: write a tab as \\t and a newline as \\n"
    ),
    "Unterminated string starting at": 'string is never closed: a " is missing',
}


def _explain(message: str, text: str, position: int) -> str:
    """Python's message, reworded where it hides the usual cause."""
    after_comma = text[:position].rstrip().endswith(",")
    if after_comma and text[position : position + 1] in ("]", "}"):
        return f"{message}: remove the trailing comma before {text[position]!r}"
    if text[position : position + 1] == "'":
        return f"{message}: JSON strings use double quotes"
    return _PLAIN_MESSAGES.get(message, message)


class _NotJson(ValueError):
    pass


def _reject_constant(word: str) -> Any:
    raise _NotJson(word)


def _first_constant(text: str) -> tuple[int, str]:
    match = next(m for m in _STRING_OR_CONSTANT.finditer(text) if m.group(1))
    return match.start(1), match.group(1)


def _error_at(text: str, source: str, position: int, message: str) -> JsonSyntaxError:
    if not text[position:].strip():
        # Truncated input: point just after the last character there is, not at an empty line.
        position = len(text.rstrip())
        message = f"{message} (the text ends here)"
    line = text.count("\n", 0, position) + 1
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line_text = text[line_start : len(text) if line_end < 0 else line_end].rstrip("\r")
    return JsonSyntaxError(source, line, position - line_start + 1, message, line_text)
