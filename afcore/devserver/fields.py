"""Reading request members the way afserver's ``jr_*`` helpers do: a wrong type reads as absent."""

from __future__ import annotations

from typing import Any

_INT32 = 2**31


def text(request: dict[str, Any], key: str) -> str:
    value = request.get(key)
    return value if isinstance(value, str) else ""


def int_list(request: dict[str, Any], key: str) -> list[int]:
    """The integers of a list member (``jr_int32vec``): other items are skipped."""
    value = request.get(key)
    if not isinstance(value, list):
        return []
    return [
        item
        for item in value
        if isinstance(item, int) and not isinstance(item, bool) and -_INT32 <= item < _INT32
    ]


def text_list(request: dict[str, Any], key: str) -> list[str]:
    """The strings of a list member (``jr_stringvec``)."""
    value = request.get(key)
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def flag(request: dict[str, Any], key: str) -> Any:
    """A boolean member, or None when it is absent or not a boolean."""
    value = request.get(key)
    return value if isinstance(value, bool) else None


def obj(request: dict[str, Any], key: str) -> dict[str, Any]:
    value = request.get(key)
    return value if isinstance(value, dict) else {}
