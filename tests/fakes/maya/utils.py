"""The fake ``maya.utils``: deferred calls wait for Maya to be idle (``processIdleEvents``)."""

from __future__ import annotations

import threading
from typing import Any, Callable

_pending: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []
_lock = threading.Lock()


def executeDeferred(function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``function(*args, **kwargs)`` on the main thread when it is next idle (any thread)."""
    with _lock:
        _pending.append((function, args, kwargs))


def processIdleEvents() -> None:
    """What Maya does when idle: run the deferred calls, in order."""
    with _lock:
        calls = list(_pending)
        _pending.clear()
    for function, args, kwargs in calls:
        function(*args, **kwargs)
