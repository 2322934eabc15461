"""One family of errors for everything that can go wrong talking to a farm.

Each message says what failed, why, and what to do next, so that a dialog or a
terminal can show it to a person as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


class AfanasyError(Exception):
    """Base of every error afcore raises on purpose."""

    def __init__(self, message: str, outbox_path: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        #: Where the unsent job was kept, when there was a job to keep.
        self.outbox_path = outbox_path

    def __str__(self) -> str:
        if not self.outbox_path:
            return self.message
        return (
            f"{self.message}\nThe job was kept in the outbox: {self.outbox_path}\n"
            "Send it later with: afcmd outbox send"
        )


class ServerUnreachable(AfanasyError):
    """The server could not be connected to (refused, no route, bad name, connect timeout)."""


class ServerTimeout(AfanasyError):
    """Connected, but the complete reply did not arrive within the read timeout."""


class ProtocolError(AfanasyError):
    """The server answered something that is not a well-formed Afanasy reply."""


class RequestRejected(AfanasyError):
    """The server understood the request and refused it (its own error text is kept)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a job, with the place it is at (``blocks[1].frames_per_task``)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class JobInvalid(AfanasyError):
    """The job would be rejected, crash the server, or be silently mangled: never sent."""

    def __init__(self, problems: list[Problem], outbox_path: Optional[str] = None) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(
            f"The job was not sent: {len(self.problems)} problem(s) to fix first:\n{lines}",
            outbox_path,
        )


class ConfigError(AfanasyError):
    """A configuration file or variable is broken; the message names the file and line."""
