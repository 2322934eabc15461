"""Waiting in tests for what another thread or process does: poll, and fail with what was awaited.

Tests that run a devserver, a worker or a subprocess cannot know when a job is done
or a file is gone; they poll a condition, briefly, and a test that would otherwise
hang fails after a deadline, naming what it waited for.
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar

import pytest

T = TypeVar("T")

#: Seconds between two looks: short, so that a test waits little past the moment.
INTERVAL = 0.02


def wait_for(condition: Callable[[], T], what: str = "condition", timeout: float = 10.0) -> T:
    """Poll ``condition`` until it returns something true, and return that; fail the test
    after ``timeout`` seconds, saying ``what`` it waited for."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(INTERVAL)
