"""Path mapping, and command lines that reach the renderer exactly as built."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afcore.frames import substitute_frames
from afcore.paths import join_command, map_path, quote_arg

# --- path mapping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "maps", "mapped"),
    [
        ("/shots/a/b.nk", [("/shots", "/mnt/shots")], "/mnt/shots/a/b.nk"),
        ("/shots/a/b.nk", [("/shots/", "/mnt/shots/")], "/mnt/shots/a/b.nk"),
        ("/shots", [("/shots", "/mnt/shots")], "/mnt/shots"),
        ("/shotsX/a", [("/shots", "/mnt/shots")], "/shotsX/a"),
        ("/Shots/a", [("/shots", "/mnt/shots")], "/Shots/a"),  # POSIX paths keep their case
        ("/other/a", [("/shots", "/mnt/shots")], "/other/a"),
        ("/shots/a", [], "/shots/a"),
        ("Z:\\shots\\a", [("Z:/", "/mnt/z/")], "/mnt/z/shots/a"),
        ("z:/shots/a", [("Z:\\", "/mnt/z")], "/mnt/z/shots/a"),
        ("Z:", [("Z:/", "/mnt/z/")], "/mnt/z"),
        ("Z:shots", [("Z:/", "/mnt/z/")], "Z:shots"),  # drive-relative: not under Z:/
        ("Y:\\shots\\a", [("Z:/", "/mnt/z/")], "Y:\\shots\\a"),  # unmatched: untouched
        ("\\\\fs\\Proj\\a.nk", [("//FS/proj", "/mnt/proj")], "/mnt/proj/a.nk"),
        ("/a/b", [("/", "/farm/")], "/farm/a/b"),
        ("/mnt/z/a", [("/mnt/z", "/")], "/a"),
        ("/mnt/z", [("/mnt/z", "/")], "/"),
        ("/mnt/z/a/b", [("/mnt/z", "Z:\\")], "Z:/a/b"),
        ("/mnt/z/shot 01/ü.nk", [("/mnt/z", "/net/z")], "/net/z/shot 01/ü.nk"),
    ],
)
def test_map_path(path: str, maps: list[tuple[str, str]], mapped: str) -> None:
    assert map_path(path, maps) == mapped


def test_the_longest_client_prefix_wins_whatever_the_order() -> None:
    maps = [("/proj", "/farm/proj"), ("/proj/shots", "/fast/shots"), ("/proj/sh", "/wrong")]
    assert map_path("/proj/shots/a.nk", maps) == "/fast/shots/a.nk"
    assert map_path("/proj/assets/a.nk", maps) == "/farm/proj/assets/a.nk"
    assert map_path("/proj/shots/a.nk", list(reversed(maps))) == "/fast/shots/a.nk"


def test_an_empty_client_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="a path map needs a client prefix"):
        map_path("/a", [("", "/farm")])


# --- quoting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["nuke", "-F", "@#@", "@####@", "@#@-@#@x1", "/r/img.@####@.exr", "a=b", "50%", "-5"]
)
def test_plain_words_and_afanasy_tokens_stay_bare(word: str) -> None:
    assert quote_arg(word) == word


@pytest.mark.parametrize(
    ("word", "quoted"),
    [
        ("", "''"),
        ("a b", "'a b'"),
        ("#comment", "'#comment'"),
        ("$HOME", "'$HOME'"),
        ("it's", "'it'\"'\"'s'"),
        ("ü", "'ü'"),
        ("~", "'~'"),
    ],
)
def test_words_that_mean_something_to_a_shell_are_quoted(word: str, quoted: str) -> None:
    assert quote_arg(word) == quoted


SHELLS = [shell for shell in ("sh", "bash") if shutil.which(shell)]

HOSTILE = [
    "/shots/a b/comp v01.nk",
    "it's",
    'say "hi"',
    "$HOME",
    "${PATH}",
    "$(touch pwned_dollar)",
    "`touch pwned_backtick`",
    "; touch pwned_semicolon",
    "&& touch pwned_and",
    "| touch pwned_pipe",
    "> pwned_redirect",
    "line one\ntouch pwned_newline",
    "tab\there",
    "#not a comment",
    "*",
    "?",
    "[a]",
    "{a,b}",
    "~",
    "!",
    "\\",
    "'",
    '"',
    "",
    " ",
    "ß 日本語 café",
    "-n",
    "@#@",
    "@####@",
    "a=b",
]


def run_in_shell(shell: str, command: str, bin_dir: Optional[Path] = None) -> list[str]:
    """The words ``shell -c`` makes of ``command`` (a command that printf's them NUL-ended)."""
    env = dict(os.environ)
    if bin_dir:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    done = subprocess.run(
        [shell, "-c", command], env=env, capture_output=True, check=True, timeout=10
    )
    words = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    assert words.pop() == ""
    return words


@pytest.mark.parametrize("shell", SHELLS)
def test_hostile_arguments_arrive_intact_and_run_nothing(shell: str, tmp_path: Path) -> None:
    script = "import sys, json; print(json.dumps(sys.argv[1:]))"
    command = join_command([sys.executable, "-c", script, *HOSTILE])
    done = subprocess.run(
        [shell, "-c", command], cwd=tmp_path, capture_output=True, check=True, timeout=30
    )
    assert json.loads(done.stdout) == HOSTILE
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("shell", SHELLS)
@settings(max_examples=60, deadline=None)
@given(args=st.lists(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\0"))))
def test_any_text_survives_the_shell(shell: str, args: list[str]) -> None:
    # The trailing "" keeps printf from printing its format once when args is empty.
    command = join_command(["printf", "%s\\0", *args, ""])
    assert run_in_shell(shell, command) == [*args, ""]


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("program", ["X=1", "if", "time", "#prog", "my prog", "@x"])
def test_a_program_with_a_strange_name_is_still_run_as_a_program(
    shell: str, program: str, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    executable = bin_dir / program
    executable.write_text('#!/bin/sh\nprintf \'%s\\0\' "$0" "$@"\n', encoding="utf-8")
    executable.chmod(0o755)
    words = run_in_shell(shell, join_command([program, "a b", "@#@"]), bin_dir)
    assert words == [str(executable), "a b", "@#@"]


@pytest.mark.parametrize("shell", SHELLS)
def test_afanasy_tokens_left_bare_become_frames_on_the_render_client(shell: str) -> None:
    command = join_command(["printf", "%s\\0", "-F", "@#@-@#@x1", "/r/a b/img.@####@.exr"])
    assert run_in_shell(shell, substitute_frames(command, -5, 10)) == [
        "-F",
        "-5-10x1",
        "/r/a b/img.-005.exr",
    ]


def test_paths_are_accepted_as_arguments() -> None:
    command = join_command(["nuke", "-x", Path("/shots/a b/comp.nk")])
    assert command == "nuke -x '/shots/a b/comp.nk'"


def test_join_command_refuses_what_is_not_a_command() -> None:
    with pytest.raises(ValueError, match="a command needs at least a program"):
        join_command([])
    with pytest.raises(TypeError, match=r"command argument 2 is int 4, not text; convert it"):
        join_command(["nuke", "-t", 4])  # type: ignore[list-item]
