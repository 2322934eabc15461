"""The --local progress bar: redrawn in place in a terminal, plain lines in a log."""

from __future__ import annotations

import io

from afcore.cli.progress import ProgressBar, render


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_shows_share_done_and_running_tasks():
    assert render(3, 10, 2) == "[#########.....................]  30%  3/10 tasks done, 2 running"
    assert render(10, 10) == "[##############################] 100%  10/10 tasks done"


def test_terminal_redraws_one_line_and_ends_it():
    stream = Terminal()
    bar = ProgressBar(stream, "Rendering")
    bar.update(0, 4, 1)
    bar.update(4, 4)
    bar.finish()
    first, second = stream.getvalue().split("\r")[1:]
    assert first.startswith("Rendering [") and "1 running" in first
    assert second.startswith("Rendering [####") and second.endswith(
        "4/4 tasks done" + " " * 11 + "\n"
    )


def test_log_gets_a_line_only_when_more_tasks_are_done():
    stream = io.StringIO()
    bar = ProgressBar(stream, "Rendering")
    for done, running in [(0, 1), (0, 2), (1, 2), (1, 1), (4, 0)]:
        bar.update(done, 4, running)
    bar.finish()
    lines = stream.getvalue().splitlines()
    assert [line.split("%  ")[1] for line in lines] == [
        "0/4 tasks done, 1 running",
        "1/4 tasks done, 2 running",
        "4/4 tasks done",
    ]
    assert "\r" not in stream.getvalue()
