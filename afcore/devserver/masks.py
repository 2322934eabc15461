"""Name masks as afserver reads them: two different rules, on purpose.

* In **get** requests a mask is a comma-separated list of name prefixes, not a
  regex: ``"job,render"`` selects ``job name`` and ``render test``; ``".*"``
  selects nothing (transcripts b2d, b3, b3b).
* In **actions** and in **depend masks** a mask is a regular expression that
  must match the whole name: ``"timing"`` does not select ``timing 1`` (c5).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Pattern


def prefix_match(mask: str, name: str) -> bool:
    """The get-request rule: ``name`` starts with one of the comma-separated parts of ``mask``."""
    return any(name.startswith(part) for part in mask.split(",") if part)


@lru_cache(maxsize=512)
def compile_mask(pattern: str) -> Optional[Pattern[str]]:
    """The regex of an action or depend mask, or None when it is not a valid pattern."""
    try:
        return re.compile(pattern)
    except (re.error, OverflowError, RecursionError):
        return None


def full_match(pattern: str, name: str) -> bool:
    """The action/depend rule: the regex matches all of ``name``; an invalid one matches none."""
    compiled = compile_mask(pattern)
    return compiled is not None and compiled.fullmatch(name) is not None
