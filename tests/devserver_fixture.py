"""pytest fixtures running a real devserver on a free loopback port, stopped after the test.

Register in the test modules that use them (not in a conftest)::

    pytest_plugins = ["devserver_fixture"]

- ``devserver``: a started :class:`afcore.devserver.DevServer` with a fresh store and
  one worker, so submitted tasks really run on this machine; stopped after the test.
- ``devserver_factory``: ``devserver_factory(workers=0, store=None, **options)``
  starts more (``workers=0`` for a server that never runs anything; give the same
  ``store`` folder to a second server to test a restart); all are stopped after the test.

Talk to it with :class:`afcore.client.Client` (``Client("127.0.0.1", server.port)``),
or, to see replies exactly as sent, with the helpers in ``tests/devserver/talk.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pytest

from afcore.devserver import DevServer


@pytest.fixture
def devserver_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., DevServer]]:
    started: list[DevServer] = []

    def start(workers: int = 0, store: Optional[Path] = None, **options: Any) -> DevServer:
        folder = tmp_path_factory.mktemp("devserver-store") if store is None else store
        server = DevServer(port=0, store=folder, workers=workers, **options).start()
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


@pytest.fixture
def devserver(devserver_factory: Callable[..., DevServer]) -> DevServer:
    """A devserver with a fresh store and one worker running tasks on this machine."""
    return devserver_factory(workers=1)
