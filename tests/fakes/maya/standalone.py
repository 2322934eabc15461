"""The fake ``maya.standalone``: ``initialize()`` makes the session a batch one (``mayapy``)."""

from __future__ import annotations

from maya import cmds


def initialize(name: str = "python") -> None:
    """From now on ``cmds.about(batch=True)`` is true and there is no main window or shelf."""
    cmds._session.enter_batch_mode()


def uninitialize() -> None:
    """Nothing to release in the fake."""
