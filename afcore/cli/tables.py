"""Plain-text tables for the terminal: aligned columns, numbers on the right."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

_NUMBER = re.compile(r"-?\d+(\.\d+)?%?")


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """``headers`` and ``rows`` as aligned columns separated by two spaces, one row a line.

    ``None`` shows as an empty cell. Columns of numbers (and percentages) are right-aligned so
    that they compare at a glance; lines carry no trailing spaces, so output diffs cleanly.
    """
    body = [["" if cell is None else str(cell) for cell in row] for row in rows]
    table = [list(headers), *body]
    right = [
        all(_NUMBER.fullmatch(row[col]) for row in body if row[col]) for col in range(len(headers))
    ]
    widths = [max(len(row[col]) for row in table) for col in range(len(headers))]
    lines = []
    for row in table:
        cells = [
            cell.rjust(width) if align_right else cell.ljust(width)
            for cell, width, align_right in zip(row, widths, right)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
