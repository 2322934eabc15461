"""Reply bodies as afserver writes them: its line breaks, its info objects, its parser errors.

Text the client sent as invalid UTF-8 is carried as surrogate escapes and goes
back out as the same raw bytes (afserver echoes them, transcript d7).
"""

from __future__ import annotations

import json
import re
from typing import Any

JsonDict = dict[str, Any]
#: The afserver release whose protocol the devserver speaks (and whose transcripts it follows).
PROTOCOL_VERSION = "3.4.1"

#: rapidjson's wording for Python's JSON errors, as afserver reports them (d1, d6a).
_PARSER_TEXTS = (
    ("Expecting property name enclosed in double quotes", "Missing a name for object member."),
    ("Expecting ':' delimiter", "Missing a colon after a name of object member."),
    ("Extra data", "The document root must not be followed by other values."),
    ("Invalid control character", "Invalid encoding in string."),
    ("Invalid \\escape", "Invalid escape character in string."),
    ("Expecting value", "Invalid value."),
)


def info(kind: str, text: str) -> JsonDict:
    return {"info": {"kind": kind, "text": text}}


def error(text: str) -> JsonDict:
    """``{"info":{"kind":"error","text":...}}``: how afserver refuses a request."""
    return info("error", text)


def processed() -> JsonDict:
    return info("log", "Action processed.")


def encode_reply(document: JsonDict) -> bytes:
    """The body bytes: one member per line, or one list item per line (``{"jobs":[..]}``)."""
    members = list(document.items())
    if len(members) == 1 and isinstance(members[0][1], list):
        key, values = members[0]
        text = "{" + _compact(key) + ":[\n" + ",\n".join(map(_compact, values)) + "\n]}"
    elif all(not isinstance(item, (dict, list)) for item in document.values()):
        lines = ",\n".join(_compact(name) + ":" + _compact(item) for name, item in members)
        text = "{\n" + lines + "\n}"
    else:
        text = _compact(document)
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate sent as a \\u escape: answer in plain ASCII
        return json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def parse_error(text: str, problem: Exception) -> JsonDict:
    """The error for a body that is not JSON: the parser's complaint and where, rapidjson style."""
    message, position = str(problem), 0
    if isinstance(problem, json.JSONDecodeError):
        message, position = _rapidjson_text(text, problem)
    elif isinstance(problem, RecursionError):
        message = "The document is nested too deeply."
    offset = len(text[:position].encode("utf-8", "surrogateescape"))
    size = len(text.encode("utf-8", "surrogateescape"))
    excerpt = text[position : position + 40]
    return error(f"{message} (at character {offset} of {size}):\n{excerpt}")


def _rapidjson_text(text: str, problem: json.JSONDecodeError) -> tuple[str, int]:
    if problem.msg.startswith("Unterminated string"):
        return "Missing a closing quotation mark in string.", len(text)
    if problem.msg == "Expecting ',' delimiter":
        if _innermost_bracket(text, problem.pos) == "[":
            return "Missing a comma or ']' after an array element.", problem.pos
        return "Missing a comma or '}' after an object member.", problem.pos
    for python, rapidjson in _PARSER_TEXTS:
        if problem.msg.startswith(python):
            return rapidjson, problem.pos
    return problem.msg + ".", problem.pos


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _innermost_bracket(text: str, position: int) -> str:
    """The kind of bracket still open at ``position`` (strings skipped), ``""`` if none."""
    stack: list[str] = []
    for token in _TOKENS.finditer(text, 0, position):
        char = token.group()
        if char in "[{":
            stack.append(char)
        elif char in "]}" and stack:
            stack.pop()
    return stack[-1] if stack else ""
