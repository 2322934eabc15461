"""Frame ranges, task chunks, and Afanasy's frame tokens.

One grammar for frame ranges, used by every dialog, config file and command
line: ``1-100``, ``1-100x2``, ``1,5,10-20x2``, ``-10--1``. A range is three
numbers (:class:`FrameRange`), never a list of frames, so a 100,000-frame range
costs nothing until somebody asks for its frames.

Afanasy itself knows one kind of frame token, ``@#@`` / ``@####@``: the render
client replaces them with the task's first and last frame
(:func:`substitute_frames`). The DCCs each spell frames their own way
(``####``, ``%04d``, ``$F4``, ``<f>``); :func:`to_afanasy_pattern` and
:func:`pattern_from_paths` turn what they give into Afanasy's form.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Optional

__all__ = [
    "FrameRange",
    "FrameSyntaxError",
    "expand_frames",
    "format_frames",
    "parse_frames",
    "pattern_from_paths",
    "substitute_frames",
    "task_chunks",
    "to_afanasy_pattern",
]

#: Afanasy keeps frame numbers in 64-bit integers.
_FRAME_LIMIT = 2**63 - 1


class FrameSyntaxError(ValueError):
    """A frame range that does not parse: says what is wrong and at which column (1-based)."""

    def __init__(self, text: str, column: int, problem: str, hint: str = "") -> None:
        message = f'"{text}": {problem} at column {column}'
        super().__init__(f"{message}; {hint}" if hint else message)
        self.text = text
        self.column = column
        self.problem = problem


@dataclass(frozen=True)
class FrameRange:
    """``first`` to ``last`` (inclusive) every ``step`` frames: what one numeric block renders.

    ``last`` is kept as written even when the step does not land on it
    (``1-10x2`` renders 1, 3, ..., 9), the way Afanasy keeps ``frame_last``.
    """

    first: int
    last: int
    step: int = 1

    def __post_init__(self) -> None:
        if self.step < 1:
            raise ValueError(f"frame step must be 1 or more, not {self.step}")
        if self.last < self.first:
            raise ValueError(f"last frame {self.last} is before first frame {self.first}")

    @property
    def count(self) -> int:
        """How many frames the range renders."""
        return (self.last - self.first) // self.step + 1

    def frames(self) -> list[int]:
        """Every frame of the range, in order."""
        return list(range(self.first, self.last + 1, self.step))

    def __str__(self) -> str:
        if self.first == self.last and self.step == 1:
            return str(self.first)
        text = f"{self.first}-{self.last}"
        return f"{text}x{self.step}" if self.step != 1 else text


class _Scanner:
    """Reads one frame-range text left to right, raising with the column of the first problem."""

    _NUMBER = re.compile(r"\s*(-?[0-9]+)\s*")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, column: int, problem: str, hint: str = "") -> FrameSyntaxError:
        return FrameSyntaxError(self.text, column, problem, hint)

    def at_end(self) -> bool:
        return self.pos == len(self.text)

    def number(self) -> tuple[int, int]:
        """The next number and its column."""
        match = self._NUMBER.match(self.text, self.pos)
        if match is None:
            rest = self.text[self.pos :]
            raise self.error(self.pos + len(rest) - len(rest.lstrip()) + 1, "expected a number")
        self.pos = match.end()
        value, column = int(match.group(1)), match.start(1) + 1
        if abs(value) > _FRAME_LIMIT:
            raise self.error(column, f"{match.group(1)} is too large for a frame number")
        return value, column

    def take(self, chars: str) -> bool:
        """Step over the next character if it is one of ``chars``."""
        if self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1
            return True
        return False

    def frame_range(self) -> FrameRange:
        first, column = self.number()
        if not self.take("-"):
            if self.take("xX"):
                raise self.error(self.pos, "a step needs a range before it", "write e.g. 1-10x2")
            return FrameRange(first, first)
        last, _ = self.number()
        step = 1
        if self.take("xX"):
            step, step_column = self.number()
            if step < 1:
                raise self.error(
                    step_column, f"step {step} is too small", "a step is 1 or more, as in 1-10x2"
                )
        if last < first:
            flipped = FrameRange(last, first, step)
            raise self.error(
                column, f"last frame {last} is before first frame {first}", f"write {flipped}"
            )
        return FrameRange(first, last, step)


def parse_frames(text: str) -> list[FrameRange]:
    """Parse ``"1-100x2, 150, -10--1"`` into ranges, in the order written.

    Whitespace is allowed between any two tokens; a sign belongs to its number.
    """
    scanner = _Scanner(text)
    if not text.strip():
        raise scanner.error(1, "no frames given", "write frames like 1-100, 1-100x2 or 1,5,10-20")
    ranges = [scanner.frame_range()]
    while not scanner.at_end():
        if not scanner.take(","):
            found = text[scanner.pos]
            raise scanner.error(scanner.pos + 1, f"expected ',' or the end, found {found!r}")
        ranges.append(scanner.frame_range())
    return ranges


def expand_frames(text: str) -> list[int]:
    """Every frame the text names, each once, in ascending order (``"5,1-3,2"`` -> 1, 2, 3, 5)."""
    frames: set[int] = set()
    for frame_range in parse_frames(text):
        frames.update(range(frame_range.first, frame_range.last + 1, frame_range.step))
    return sorted(frames)


def format_frames(ranges: list[FrameRange]) -> str:
    """The text :func:`parse_frames` reads back into the same ranges."""
    return ",".join(str(frame_range) for frame_range in ranges)


def task_chunks(frames: FrameRange, per_task: int) -> list[tuple[int, int]]:
    """The (first, last) frame of each task Afanasy makes of a numeric block over ``frames``.

    ``per_task`` counts frames, not numbers: ``1-20x2`` with 3 per task is
    (1, 5), (7, 11), (13, 17), (19, 19). The arithmetic is afserver's own
    (``BlockData::genNumbers``), so the last task ends on the range's last
    rendered frame.
    """
    if per_task < 1:
        raise ValueError(f"frames per task must be 1 or more, not {per_task}")
    step = frames.step
    span = per_task * step
    return [
        (start, start + min(span - 1, frames.last - start) // step * step)
        for start in range(frames.first, frames.last + 1, span)
    ]


_AFANASY_TOKEN = re.compile(r"@(#+)@")

#: Frame tokens of the DCCs, and Afanasy's own (kept as they are).
_DCC_TOKEN = re.compile(
    r"(?P<afanasy>@#+@)"
    r"|(?P<hashes>#+)"
    r"|%(?P<printf>0[0-9]+)?d"
    r"|\$\{F(?P<braced>[0-9])?\}"
    r"|\$F(?P<houdini>[0-9])?(?![A-Za-z0-9_])"
    r"|<(?i:f|frame)(?::?(?P<tag>[0-9]+))?>"
)

#: Padding of ``<f>`` / ``<Frame>`` when the token does not say (Maya's default of 4).
TAG_DEFAULT_PADDING = 4


def _token_width(match: re.Match[str]) -> int:
    if match.group("hashes"):
        return len(match.group("hashes"))
    if match.group(0).startswith("<"):
        return int(match.group("tag") or TAG_DEFAULT_PADDING)
    digits = match.group("printf") or match.group("braced") or match.group("houdini") or "1"
    return int(digits)


def _afanasy_token(width: int) -> str:
    return "@" + "#" * max(width, 1) + "@"


def to_afanasy_pattern(path: str) -> str:
    """``path`` with every DCC frame token replaced by Afanasy's ``@####@`` of the same padding.

    ``####`` -> ``@####@``, ``#`` -> ``@#@``, ``%04d`` -> ``@####@``, ``%d`` ->
    ``@#@``, ``$F4`` / ``${F4}`` -> ``@####@``, ``$F`` -> ``@#@``, ``<f>`` /
    ``<Frame>`` -> ``@####@`` (``<f2>`` / ``<Frame:2>`` say the padding). Tokens
    already in Afanasy's form, and paths without a token (movies), are kept.
    """
    return _DCC_TOKEN.sub(
        lambda match: match.group("afanasy") or _afanasy_token(_token_width(match)), path
    )


def _pad(frame: int, width: int) -> str:
    """A frame as Afanasy writes it: zero-padded to ``width`` characters, the sign included."""
    return f"{frame:0{width}d}"


def substitute_frames(text: str, first: int, last: int) -> str:
    """What the render client makes of ``text`` for a task from ``first`` to ``last``.

    As Afanasy's ``af::fillNumbers``: every ``@#...#@`` token, whatever its
    number of ``#``, takes a frame padded to that many characters, alternating
    first, last, first, last... So ``-F @#@-@#@`` becomes ``-F 1-10`` and a lone
    ``img.@####@.exr`` becomes ``img.0001.exr``; -5 in ``@####@`` is ``-005``.
    """
    frames = itertools.cycle((first, last))
    return _AFANASY_TOKEN.sub(lambda match: _pad(next(frames), len(match.group(1))), text)


_DIGIT_RUN = re.compile(r"([0-9]+)")


def _frame_run(text_before: str, digits: str, frame: int) -> Optional[tuple[str, str]]:
    """Split ``frame`` off as (text before it, its run with any sign), if ``digits`` spell it."""
    if int(digits) == frame:
        return text_before, digits
    if text_before.endswith("-") and -int(digits) == frame:
        return text_before[:-1], "-" + digits
    return None


def _looks_padded(run: str) -> bool:
    digits = run.lstrip("-")
    return len(digits) > 1 and digits.startswith("0")


def _run_width(first_run: str, first: int, last_run: str) -> int:
    """The padding that wrote both runs: visible zeros, else the first run's length."""
    for run in (first_run, last_run):
        if _looks_padded(run):
            return len(run)
    # Unpadded: every frame between has at least the first frame's digits, unless it is
    # negative (-5..10 passes through 0), where only width 1 is right.
    return len(first_run) if first >= 0 else 1


def pattern_from_paths(first_path: str, last_path: str, first: int, last: int) -> str:
    """The ``@####@`` pattern of an output path the DCC evaluated at ``first`` and at ``last``.

    The digit runs that differ must spell the two frame numbers
    (``img.0001.exr`` / ``img.0100.exr`` -> ``img.@####@.exr``, ``img.1.exr`` /
    ``img.100.exr`` -> ``img.@#@.exr``); equal paths (a movie, a single file)
    are returned as they are. Anything else is a ValueError naming both paths.
    """
    if first_path == last_path:
        return first_path

    def unexplained(reason: str) -> ValueError:
        return ValueError(
            f"cannot make one file pattern of {first_path!r} (frame {first}) and "
            f"{last_path!r} (frame {last}): {reason}"
        )

    first_parts, last_parts = _DIGIT_RUN.split(first_path), _DIGIT_RUN.split(last_path)
    if len(first_parts) != len(last_parts):
        raise unexplained("they differ in more than their frame numbers")
    pieces = []
    for index in range(1, len(first_parts), 2):
        first_text, first_digits = first_parts[index - 1], first_parts[index]
        last_text, last_digits = last_parts[index - 1], last_parts[index]
        if (first_text, first_digits) == (last_text, last_digits):
            pieces += [first_text, first_digits]
            continue
        first_split = _frame_run(first_text, first_digits, first)
        last_split = _frame_run(last_text, last_digits, last)
        if first_split is None or last_split is None or first_split[0] != last_split[0]:
            raise unexplained("they differ in more than their frame numbers")
        (text, first_run), (_, last_run) = first_split, last_split
        width = _run_width(first_run, first, last_run)
        if (_pad(first, width), _pad(last, width)) != (first_run, last_run):
            raise unexplained(
                f"the frame numbers {first_run} and {last_run} are padded in a way Afanasy "
                "cannot repeat (it pads to one width, a minus sign included: -005, 0010)"
            )
        pieces += [text, _afanasy_token(width)]
    if first_parts[-1] != last_parts[-1]:
        raise unexplained("they differ in more than their frame numbers")
    return "".join([*pieces, first_parts[-1]])
