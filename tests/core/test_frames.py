"""The frame grammar, task chunks, and Afanasy's frame tokens."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from afcore.frames import (
    FrameRange,
    FrameSyntaxError,
    expand_frames,
    format_frames,
    parse_frames,
    pattern_from_paths,
    substitute_frames,
    task_chunks,
    to_afanasy_pattern,
)
from afcore.job import Block

# --- the grammar -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        ("1-100", [FrameRange(1, 100)]),
        ("1-100x2", [FrameRange(1, 100, 2)]),
        ("1,5,10-20x2", [FrameRange(1, 1), FrameRange(5, 5), FrameRange(10, 20, 2)]),
        ("-10--1", [FrameRange(-10, -1)]),
        ("-5-5", [FrameRange(-5, 5)]),
        ("42", [FrameRange(42, 42)]),
        ("-7", [FrameRange(-7, -7)]),
        (" 1 - 5 ", [FrameRange(1, 5)]),
        ("\t1 -\t10 x 3 ,\n 20 ", [FrameRange(1, 10, 3), FrameRange(20, 20)]),
        ("1-100X4", [FrameRange(1, 100, 4)]),
        ("0", [FrameRange(0, 0)]),
        ("0100-0200", [FrameRange(100, 200)]),
        ("5-5x3", [FrameRange(5, 5, 3)]),
        ("10-20,1-5", [FrameRange(10, 20), FrameRange(1, 5)]),
    ],
)
def test_parse_frames_reads_the_grammar(text: str, ranges: list[FrameRange]) -> None:
    assert parse_frames(text) == ranges


EXAMPLES = "write frames like 1-100, 1-100x2 or 1,5,10-20"
STEP_HINT = "a step is 1 or more, as in 1-10x2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1-x", '"1-x": expected a number at column 3'),
        ("", f'"": no frames given at column 1; {EXAMPLES}'),
        ("   ", f'"   ": no frames given at column 1; {EXAMPLES}'),
        ("10-1", '"10-1": last frame 1 is before first frame 10 at column 1; write 1-10'),
        (
            "5, 10-1x2",
            '"5, 10-1x2": last frame 1 is before first frame 10 at column 4; write 1-10x2',
        ),
        ("1-10x0", f'"1-10x0": step 0 is too small at column 6; {STEP_HINT}'),
        ("1-10x-2", f'"1-10x-2": step -2 is too small at column 6; {STEP_HINT}'),
        ("5x2", '"5x2": a step needs a range before it at column 2; write e.g. 1-10x2'),
        ("1 2", "\"1 2\": expected ',' or the end, found '2' at column 3"),
        ("1,", '"1,": expected a number at column 3'),
        ("1,,2", '"1,,2": expected a number at column 3'),
        ("1-", '"1-": expected a number at column 3'),
        ("1-  ", '"1-  ": expected a number at column 5'),
        ("a", '"a": expected a number at column 1'),
        ("1-10x", '"1-10x": expected a number at column 6'),
        ("- 5", '"- 5": expected a number at column 1'),
        ("1..10", "\"1..10\": expected ',' or the end, found '.' at column 2"),
        ("1-10;", "\"1-10;\": expected ',' or the end, found ';' at column 5"),
        ("\u0661", '"\u0661": expected a number at column 1'),  # an Arabic-Indic digit one
        ("1e3", "\"1e3\": expected ',' or the end, found 'e' at column 2"),
        ("9" * 20, f'"{"9" * 20}": {"9" * 20} is too large for a frame number at column 1'),
    ],
)
def test_parse_errors_name_the_input_and_column(text: str, message: str) -> None:
    with pytest.raises(FrameSyntaxError) as caught:
        parse_frames(text)
    assert str(caught.value) == message


def test_syntax_errors_are_value_errors_with_the_column_for_a_dialog_to_point_at() -> None:
    with pytest.raises(ValueError) as caught:
        parse_frames("1-10, 20-x")
    error = caught.value
    assert isinstance(error, FrameSyntaxError)
    assert (error.text, error.column, error.problem) == ("1-10, 20-x", 10, "expected a number")


def test_a_huge_range_is_three_numbers_not_a_list() -> None:
    (huge,) = parse_frames("1-1000000000000")
    assert huge.count == 10**12
    assert format_frames([huge]) == "1-1000000000000"


# --- FrameRange ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame_range", "frames"),
    [
        (FrameRange(1, 5), [1, 2, 3, 4, 5]),
        (FrameRange(1, 10, 2), [1, 3, 5, 7, 9]),
        (FrameRange(-3, 3, 3), [-3, 0, 3]),
        (FrameRange(7, 7), [7]),
    ],
)
def test_frame_range_frames_and_count(frame_range: FrameRange, frames: list[int]) -> None:
    assert frame_range.frames() == frames
    assert frame_range.count == len(frames)


def test_frame_range_refuses_a_backwards_range_or_a_bad_step() -> None:
    with pytest.raises(ValueError, match="last frame 1 is before first frame 10"):
        FrameRange(10, 1)
    with pytest.raises(ValueError, match="frame step must be 1 or more, not 0"):
        FrameRange(1, 10, 0)


frame_numbers = st.integers(min_value=-(10**6), max_value=10**6)


@st.composite
def frame_ranges(draw: st.DrawFn) -> FrameRange:
    first = draw(frame_numbers)
    return FrameRange(first, first + draw(st.integers(0, 10**4)), draw(st.integers(1, 50)))


@given(st.lists(frame_ranges(), min_size=1, max_size=8))
def test_format_frames_is_the_inverse_of_parse_frames(ranges: list[FrameRange]) -> None:
    assert parse_frames(format_frames(ranges)) == ranges


@given(st.lists(frame_ranges(), min_size=1, max_size=4), st.sampled_from([" ", "\t", "  \n"]))
def test_whitespace_between_tokens_changes_nothing(ranges: list[FrameRange], space: str) -> None:
    spaced = space + f"{space},{space}".join(
        f"{r.first}{space}-{space}{r.last}{space}x{space}{r.step}" for r in ranges
    )
    assert parse_frames(spaced) == ranges


def test_format_frames_writes_the_shortest_form() -> None:
    ranges = [FrameRange(1, 1), FrameRange(5, 10), FrameRange(-10, -1, 2), FrameRange(3, 3, 2)]
    assert format_frames(ranges) == "1,5-10,-10--1x2,3-3x2"


def test_expand_frames_lists_each_frame_once_in_order() -> None:
    assert expand_frames("10-12, 1-5x2, 3, 11") == [1, 3, 5, 10, 11, 12]
    assert expand_frames("-2-2") == [-2, -1, 0, 1, 2]


# --- task chunks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame_range", "per_task", "chunks"),
    [
        (FrameRange(1, 20, 2), 3, [(1, 5), (7, 11), (13, 17), (19, 19)]),
        (FrameRange(1, 10), 4, [(1, 4), (5, 8), (9, 10)]),
        (FrameRange(1, 100), 10, [(n, n + 9) for n in range(1, 100, 10)]),
        (FrameRange(1, 3), 1, [(1, 1), (2, 2), (3, 3)]),
        (FrameRange(-10, -1), 5, [(-10, -6), (-5, -1)]),
        (FrameRange(-5, 5, 5), 2, [(-5, 0), (5, 5)]),
        (FrameRange(1, 10), 100, [(1, 10)]),
        (FrameRange(1, 10, 4), 2, [(1, 5), (9, 9)]),
    ],
)
def test_task_chunks_split_as_afanasy_does(
    frame_range: FrameRange, per_task: int, chunks: list[tuple[int, int]]
) -> None:
    assert task_chunks(frame_range, per_task) == chunks


@given(frame_ranges(), st.integers(1, 40))
def test_task_chunks_cover_every_frame_once_in_tasks_of_per_task_frames(
    frame_range: FrameRange, per_task: int
) -> None:
    chunks = task_chunks(frame_range, per_task)
    frames_of_tasks = [list(range(a, b + 1, frame_range.step)) for a, b in chunks]
    assert [f for task in frames_of_tasks for f in task] == frame_range.frames()
    assert all(len(task) == per_task for task in frames_of_tasks[:-1])
    assert 1 <= len(frames_of_tasks[-1]) <= per_task


@given(frame_ranges(), st.integers(1, 40))
def test_task_chunks_agree_with_the_block_task_count(
    frame_range: FrameRange, per_task: int
) -> None:
    block = Block()
    block.set_numeric(frame_range.first, frame_range.last, per_task, frame_range.step)
    assert len(task_chunks(frame_range, per_task)) == block.task_count()


@pytest.mark.parametrize("per_task", [0, -3])
def test_task_chunks_refuse_fewer_than_one_frame_per_task(per_task: int) -> None:
    with pytest.raises(ValueError, match=f"frames per task must be 1 or more, not {per_task}"):
        task_chunks(FrameRange(1, 10), per_task)


# --- DCC patterns to Afanasy's -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "pattern"),
    [
        ("/r/comp.####.exr", "/r/comp.@####@.exr"),
        ("/r/comp.######.exr", "/r/comp.@######@.exr"),
        ("/r/comp.#.exr", "/r/comp.@#@.exr"),
        ("/r/comp.%04d.exr", "/r/comp.@####@.exr"),
        ("/r/comp.%d.exr", "/r/comp.@#@.exr"),
        ("/r/comp.%4d.exr", "/r/comp.%4d.exr"),  # space-padded printf: no frame token we know
        ("$HIP/render/img.$F4.exr", "$HIP/render/img.@####@.exr"),
        ("$HIP/render/img.$F.exr", "$HIP/render/img.@#@.exr"),
        ("$HIP/render/img.${F4}.exr", "$HIP/render/img.@####@.exr"),
        ("$HIP/render/img.${F}.exr", "$HIP/render/img.@#@.exr"),
        ("$HIP/img.$FF.exr", "$HIP/img.$FF.exr"),  # $FF is the float frame, not a token
        ("$HIP/$FSTART_$F3.exr", "$HIP/$FSTART_@###@.exr"),
        ("images/<Scene>/<RenderLayer>.<f>.exr", "images/<Scene>/<RenderLayer>.@####@.exr"),
        ("images/beauty.<Frame>.exr", "images/beauty.@####@.exr"),
        ("images/beauty.<frame>.exr", "images/beauty.@####@.exr"),
        ("images/beauty.<f2>.exr", "images/beauty.@##@.exr"),
        ("images/beauty.<Frame:6>.exr", "images/beauty.@######@.exr"),
        ("/r/comp.@####@.exr", "/r/comp.@####@.exr"),
        ("/r/comp.@#@.exr", "/r/comp.@#@.exr"),
        ("/r/movie.mov", "/r/movie.mov"),
        ("", ""),
        ("/r/$F4/img.$F4.exr", "/r/@####@/img.@####@.exr"),  # every token, not only the last
        ("/r/a_%02d_####.exr", "/r/a_@##@_@####@.exr"),
    ],
)
def test_to_afanasy_pattern(path: str, pattern: str) -> None:
    assert to_afanasy_pattern(path) == pattern


@given(st.text())
def test_to_afanasy_pattern_is_idempotent(path: str) -> None:
    once = to_afanasy_pattern(path)
    assert to_afanasy_pattern(once) == once


# --- Afanasy's substitution ---------------------------------------------------------------------


def fill_numbers_as_in_afanasy(pattern: str, start: int, end: int) -> str:
    """A line-by-line port of CGRU's ``af::fillNumbers`` (libafanasy/name_af.cpp), the oracle."""
    out, pos, nstart, part, number = "", 0, -1, 0, start
    while pos < len(pattern):
        if pattern[pos] == "@":
            if nstart != -1 and pos - nstart > 1:
                out += pattern[part:nstart]
                negative = number < 0
                digits = str(-number if negative else number)
                size = len(digits) + (1 if negative else 0)
                if size < pos - nstart - 1:
                    digits = "0" * (pos - nstart - 1 - size) + digits
                out += "-" + digits if negative else digits
                number = end if number == start else start
                part, nstart = pos + 1, -1
            else:
                nstart = pos
        elif nstart != -1 and pattern[pos] != "#":
            nstart = -1
        pos += 1
    if not out:
        return pattern
    if 0 < part < len(pattern):
        out += pattern[part:]
    return out


@pytest.mark.parametrize(
    ("text", "first", "last", "result"),
    [
        ("nuke -F @#@-@#@x1 -x scene.nk", 1, 10, "nuke -F 1-10x1 -x scene.nk"),
        ("img.@####@.exr", 7, 7, "img.0007.exr"),
        ("img.@####@.exr", 7, 12, "img.0007.exr"),
        ("img.@####@.exr", 12345, 12345, "img.12345.exr"),
        ("img.@####@.exr", -5, -5, "img.-005.exr"),
        ("img.@#@.exr", -5, -5, "img.-5.exr"),
        ("@#@ @#@ @#@ @#@", 1, 9, "1 9 1 9"),  # they alternate first, last, first, ...
        ("r -s @####@ -e @#@ -o img.@####@", 1, 9, "r -s 0001 -e 9 -o img.0001"),
        ("no tokens @ # @@ @x@", 1, 2, "no tokens @ # @@ @x@"),
        ("@@#@", 3, 4, "@3"),
        ("@#@#@", 3, 4, "3#@"),
    ],
)
def test_substitute_frames(text: str, first: int, last: int, result: str) -> None:
    assert substitute_frames(text, first, last) == result
    assert fill_numbers_as_in_afanasy(text, first, last) == result


@given(
    st.lists(st.sampled_from(["@", "#", "@#@", "@####@", "a", "-", " ", "é"])).map("".join),
    frame_numbers,
    frame_numbers,
)
def test_substitute_frames_matches_afanasy_on_any_text(text: str, first: int, last: int) -> None:
    assert substitute_frames(text, first, last) == fill_numbers_as_in_afanasy(text, first, last)


# --- patterns from two evaluated paths ----------------------------------------------------------


@pytest.mark.parametrize(
    ("first_path", "last_path", "first", "last", "pattern"),
    [
        ("/r/img.0001.exr", "/r/img.0100.exr", 1, 100, "/r/img.@####@.exr"),
        ("/r/img.1.exr", "/r/img.100.exr", 1, 100, "/r/img.@#@.exr"),
        ("/r/img.1001.exr", "/r/img.1100.exr", 1001, 1100, "/r/img.@####@.exr"),
        ("/r/img.-005.exr", "/r/img.0010.exr", -5, 10, "/r/img.@####@.exr"),
        ("/r/img.-10.exr", "/r/img.-1.exr", -10, -1, "/r/img.@#@.exr"),
        ("/r/img.-5.exr", "/r/img.5.exr", -5, 5, "/r/img.@#@.exr"),
        ("/r/shot-1.exr", "/r/shot-20.exr", 1, 20, "/r/shot-@#@.exr"),
        ("/r/v2/sh010_0001.exr", "/r/v2/sh010_0024.exr", 1, 24, "/r/v2/sh010_@####@.exr"),
        ("/r/0001/i.0001.exr", "/r/0050/i.0050.exr", 1, 50, "/r/@####@/i.@####@.exr"),
        ("/r/img0000.exr", "/r/img0009.exr", 0, 9, "/r/img@####@.exr"),
        ("/r/movie.mov", "/r/movie.mov", 1, 100, "/r/movie.mov"),
        ("/r/still.0001.exr", "/r/still.0001.exr", 1, 1, "/r/still.0001.exr"),
    ],
)
def test_pattern_from_paths(
    first_path: str, last_path: str, first: int, last: int, pattern: str
) -> None:
    assert pattern_from_paths(first_path, last_path, first, last) == pattern


@pytest.mark.parametrize(
    ("first_path", "last_path", "first", "last", "reason"),
    [
        ("/r/a.0001.exr", "/r/b.0100.exr", 1, 100, "they differ in more than their frame numbers"),
        ("/r/img.0002.exr", "/r/img.0100.exr", 1, 100, "more than their frame numbers"),
        ("/r/img.1.exr", "/r/img.1.2.exr", 1, 2, "more than their frame numbers"),
        ("/r/img.0001.exr", "/r/img.0100.tif", 1, 100, "more than their frame numbers"),
        ("/r/img.-0005.exr", "/r/img.0010.exr", -5, 10, "padded in a way Afanasy cannot repeat"),
        ("/r/img.001.exr", "/r/img.0100.exr", 1, 100, "padded in a way Afanasy cannot repeat"),
    ],
)
def test_pattern_from_paths_refuses_what_frames_do_not_explain(
    first_path: str, last_path: str, first: int, last: int, reason: str
) -> None:
    with pytest.raises(ValueError) as caught:
        pattern_from_paths(first_path, last_path, first, last)
    message = str(caught.value)
    assert repr(first_path) in message and repr(last_path) in message
    assert reason in message


path_text = st.text(alphabet="abc_./ -", max_size=6)


@given(
    path_text,
    path_text,
    st.integers(1, 6),
    st.integers(-(10**5), 10**5),
    st.integers(1, 10**5),
)
def test_pattern_from_paths_gives_back_what_the_dcc_wrote(
    head: str, tail: str, width: int, first: int, length: int
) -> None:
    last = first + length
    token = "@" + "#" * width + "@"
    written = [f"{head}{frame:0{width}d}{tail}" for frame in (first, last)]
    pattern = pattern_from_paths(written[0], written[1], first, last)
    assert [substitute_frames(pattern, frame, frame) for frame in (first, last)] == written
    if width > 1 and len(str(first)) < width:
        assert pattern == f"{head}{token}{tail}"
