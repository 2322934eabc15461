"""A text progress bar on stderr that behaves in a terminal and in a log file alike.

In a terminal it redraws one line in place; when stderr is a file or a pipe (CI logs) it
writes a plain line only when the number of finished tasks changes, so logs stay short.
"""

from __future__ import annotations

from typing import TextIO

WIDTH = 30


class ProgressBar:
    """``[##########..........]  33%  10/30 tasks done, 2 running``."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.interactive = _is_terminal(stream)
        self._last = ""
        self._last_done = -1

    def update(self, done: int, total: int, running: int = 0) -> None:
        if not self.interactive and done == self._last_done:
            return
        self._last_done = done
        line = f"{self.label} {render(done, total, running)}"
        if self.interactive:
            padding = " " * max(len(self._last) - len(line), 0)
            self.stream.write(f"\r{line}{padding}")
        else:
            self.stream.write(f"{line}\n")
        self._last = line
        self.stream.flush()

    def note(self, message: str) -> None:
        """A line of its own between two updates; the bar is drawn again at the next update."""
        self.finish()
        self.stream.write(f"{message}\n")
        self.stream.flush()
        self._last_done = -1

    def finish(self) -> None:
        """End the redrawn line so that what follows starts on a line of its own."""
        if self.interactive and self._last:
            self.stream.write("\n")
            self.stream.flush()
        self._last = ""


def render(done: int, total: int, running: int = 0) -> str:
    filled = WIDTH * done // total if total else WIDTH
    percent = 100 * done // total if total else 100
    text = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {percent:3d}%  {done}/{total} tasks done"
    return f"{text}, {running} running" if running else text


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stand-in stream
        return False
