"""State bits and their texts, as afserver writes them (``"st":513, "state":" RDY OFF"``)."""

from __future__ import annotations

READY = 1 << 0
RUNNING = 1 << 1
WAITDEP = 1 << 2
WAITTIME = 1 << 3
DONE = 1 << 4
ERROR = 1 << 5
SKIPPED = 1 << 8
OFFLINE = 1 << 9

#: The order afserver's ``jw_state`` writes the names in.
_JOB_NAMES = (
    (READY, " RDY"),
    (RUNNING, " RUN"),
    (DONE, " DON"),
    (ERROR, " ERR"),
    (SKIPPED, " SKP"),
    (OFFLINE, " OFF"),
    (WAITDEP, " WDP"),
    (WAITTIME, " WTM"),
)

RENDER_ONLINE = 1 << 0
RENDER_NIMBY = 1 << 1  # lower-case "nimby": only the render owner's jobs run
RENDER_NIMBY_ALL = 1 << 2  # upper-case "NIMBY": nothing runs
RENDER_BUSY = 1 << 3


def state_text(st: int) -> str:
    """``" RDY OFF"`` for ``READY | OFFLINE``: the names of the set bits, each after a space."""
    return "".join(name for bit, name in _JOB_NAMES if st & bit)


def render_state_text(st: int) -> str:
    """A render's state text: always ``ONL`` or ``OFF`` first, then ``NbY``, ``NBY``, ``RUN``."""
    text = " ONL" if st & RENDER_ONLINE else " OFF"
    if st & RENDER_NIMBY:
        text += " NbY"
    if st & RENDER_NIMBY_ALL:
        text += " NBY"
    if st & RENDER_BUSY:
        text += " RUN"
    return text
