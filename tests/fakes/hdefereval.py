"""A stand-in for Houdini's ``hdefereval``: runs code on Houdini's main thread.

The real module queues the call for the UI event loop (graphical sessions only);
this one has no event loop, so it runs the call at once, on the calling thread.
"""

from __future__ import annotations

from typing import Any, Callable


def executeDeferred(code: Callable[[], Any]) -> None:
    code()


def executeInMainThreadWithResult(code: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return code(*args, **kwargs)
