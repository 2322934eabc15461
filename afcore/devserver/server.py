"""DevServer: the listening socket, the farm behind it and the optional local worker, started and
stopped as one.

It is a development and test server speaking afserver's protocol on a loopback
address; it refuses any other address unless asked explicitly
(``allow_remote=True``, ``--host`` on the command line). It is not a farm
manager: real farms run CGRU's afserver.
"""

from __future__ import annotations

import getpass
import ipaddress
import logging
import socket
import socketserver
import threading
from pathlib import Path
from types import TracebackType
from typing import Optional, Union

from .dispatch import respond
from .farm import Farm
from .model import Render
from .replies import encode_reply, error
from .store import Store
from .transport import serve
from .worker import WorkerPool

log = logging.getLogger("afcore.devserver")

#: How long a connection may take to send its request (afserver's SO_RCVTIMEO is 12 s).
READ_TIMEOUT = 12.0


class RemoteAddressRefused(ValueError):
    """A non-loopback address was given without saying that the devserver may be reachable."""


class DevServer:
    """A loopback Afanasy-protocol server with an optional local worker.

    ``port=0`` picks a free port (see :attr:`port`); ``store`` is a folder that
    keeps jobs across restarts (None: in memory); ``workers`` is how many tasks
    run at once on this machine (0: nothing is ever executed).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        store: Union[str, Path, None] = None,
        workers: int = 0,
        *,
        allow_remote: bool = False,
        read_timeout: float = READ_TIMEOUT,
        render_name: Optional[str] = None,
    ) -> None:
        if not allow_remote and not is_loopback(host):
            raise RemoteAddressRefused(
                f"The devserver listens on loopback addresses only, not {host!r}: it is a "
                "development server without access control. To make it reachable from other "
                "machines anyway, pass --host explicitly (allow_remote=True)."
            )
        if workers < 0:
            raise ValueError(f"workers must be 0 or more, not {workers}")
        self.host = host
        self.store_dir = None if store is None else Path(store)
        self.workers = workers
        self.read_timeout = read_timeout
        self.render_name = render_name or socket.gethostname().split(".")[0] or "localhost"
        self._requested_port = port
        self._listener: Optional[socketserver.ThreadingTCPServer] = None
        self._thread: Optional[threading.Thread] = None
        self._pool: Optional[WorkerPool] = None
        self._store: Optional[Store] = None
        #: Held while a request uses the farm, so that stop() never closes the store under one.
        self._gate = threading.Lock()
        self.farm: Optional[Farm] = None

    @property
    def port(self) -> int:
        if self._listener is None:
            return self._requested_port
        return int(self._listener.server_address[1])

    @property
    def address(self) -> str:
        """``host:port`` as afcmd's ``--server`` takes it (``[::1]:port`` for IPv6)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def start(self) -> DevServer:
        """Open the store, bind the socket, start the worker; OSError when the port is taken."""
        if self._listener is not None:
            return self
        self._store = Store(self.store_dir)
        render = Render(self.render_name, _user_name(), 0, online=self.workers > 0)
        self.farm = Farm(self._store, render)
        render.time_register = self.farm.started_at
        try:
            self._listener = _listener_for(self.host)((self.host, self._requested_port), _Handler)
        except OSError:
            self._store.close()
            raise
        self._listener.devserver = self  # type: ignore[attr-defined]
        if self.workers:
            self._pool = WorkerPool(self.farm, self.workers)
            self._pool.start()
            self.farm.note_render(f"Online with {self.workers} worker(s).")
        self._thread = threading.Thread(
            target=self._listener.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"devserver-{self.port}",
            daemon=True,
        )
        self._thread.start()
        log.info("devserver listening on %s", self.address)
        return self

    def stop(self) -> None:
        """Stop listening, end running tasks (they are ready again on restart), close the store."""
        if self._listener is None:
            return
        self._listener.shutdown()
        self._listener.server_close()
        if self._thread is not None:
            self._thread.join()
        if self._pool is not None:
            self._pool.stop()
        with self._gate:
            if self._store is not None:
                self._store.close()
            self._listener = self._thread = self._pool = self._store = None
        log.info("devserver stopped")

    def handle(self, body: bytes) -> bytes:
        """The reply body to one request body (what the socket handler calls)."""
        with self._gate:
            if self._store is None or self.farm is None:
                return encode_reply(error("The devserver is shutting down."))
            return encode_reply(respond(self.farm, body))

    def __enter__(self) -> DevServer:
        return self.start()

    def __exit__(
        self,
        kind: Optional[type[BaseException]],
        value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        devserver: DevServer = self.server.devserver  # type: ignore[attr-defined]
        serve(self.request, devserver.handle, devserver.read_timeout)


class _Listener(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True


class _Listener6(_Listener):
    address_family = socket.AF_INET6


def _listener_for(host: str) -> type[_Listener]:
    return _Listener6 if ":" in host else _Listener


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name) means this machine only."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(addresses) and all(
        ipaddress.ip_address(address.split("%")[0]).is_loopback for address in addresses
    )


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return "devserver"
