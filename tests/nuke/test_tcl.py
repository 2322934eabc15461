"""tcl.py: the TCL of file names, evaluated without Nuke."""

from __future__ import annotations

import pytest

from afanasy_nuke.targets import CannotEvaluate
from afanasy_nuke.tcl import fill_file_tokens, substitute

KNOBS = {
    "root.name": "/shows/demo/sh010/comp/sh010_comp_v003.nk",
    "Shot.text": "sh010",
    "root.first_frame": "1001",
}


def knob(path: str) -> str:
    if path not in KNOBS:
        raise CannotEvaluate(f"{path} is not in the script")
    return KNOBS[path]


def evaluate(text: str, frame: int = 1001, view: str = "left") -> str:
    return substitute(text, frame, view, knob)


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("/plain/path.####.exr", "/plain/path.####.exr"),
        ("[value root.name]", "/shows/demo/sh010/comp/sh010_comp_v003.nk"),
        ("[file dirname [value root.name]]/r", "/shows/demo/sh010/comp/r"),
        ("[file rootname [file tail [value root.name]]]", "sh010_comp_v003"),
        ("[file extension [value root.name]]", ".nk"),
        ("[file join /a b c.exr]", "/a/b/c.exr"),
        ("img.[format %04d [frame]].exr", "img.1001.exr"),
        ("img.[format %s_%03d [value Shot.text] 7].exr", "img.sh010_007.exr"),
        ("[string toupper [view]]", "LEFT"),
        ("[string range [value Shot.text] 0 1]", "sh"),
        ("[string range abcdef 2 end-1]", "cde"),
        ("[string trim {  padded  }]", "padded"),
        ("[value Missing.knob fallback]", "fallback"),
        ("[python {nuke.script_directory()}]/out", "/shows/demo/sh010/comp/out"),
        ("[python nuke.script_directory()]", "/shows/demo/sh010/comp"),
        ("{braces} stay $ alone", "{braces} stay $ alone"),
        ("[value {Shot.text}]", "sh010"),
        ('[format "%s v%d" [value Shot.text] 3]', "sh010 v3"),
    ],
)
def test_the_tcl_file_names_use_is_evaluated(text: str, result: str) -> None:
    assert evaluate(text) == result


def test_environment_variables_are_read_where_the_script_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOT", "sh020")

    assert evaluate("/shows/$env(SHOT)/[getenv SHOT]") == "/shows/sh020/sh020"
    assert evaluate("[getenv NOT_SET default]") == "default"
    with pytest.raises(CannotEvaluate, match=r"\$env\(NOT_SET\) is not set"):
        evaluate("/shows/$env(NOT_SET)")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[python nuke.thisNode().name()]", "[python nuke.thisNode().name()] is TCL the .nk"),
        ("[lindex {a b} 0]", "[lindex {a b} 0] is TCL the .nk reader does not run"),
        ("[value Missing.knob]", "Missing.knob is not in the script"),
        ("[format %04d]", "format '%04d' takes 1 value(s), given 0"),
        ("[format %d abc]", "format '%d' abc"),
        ("[file dirname", "has no closing ']'"),
        ("$gui", "the TCL variable $gui is not known outside Nuke"),
        ("[file normalize x]", "[file normalize] is TCL the .nk reader does not run"),
    ],
)
def test_what_cannot_be_evaluated_says_what_it_is(text: str, message: str) -> None:
    with pytest.raises(CannotEvaluate) as caught:
        evaluate(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "frame", "view", "result"),
    [
        ("a.####.exr", 7, "main", "a.0007.exr"),
        ("a.#.exr", 7, "main", "a.7.exr"),
        ("a.%04d.exr", 1001, "main", "a.1001.exr"),
        ("a.%d.exr", 12, "main", "a.12.exr"),
        ("a_%V_%v.####.exr", 3, "right", "a_right_r.0003.exr"),
        ("movie.mov", 3, "left", "movie.mov"),
    ],
)
def test_file_tokens_take_the_frame_and_view(text: str, frame: int, view: str, result: str) -> None:
    assert fill_file_tokens(text, frame, view) == result
