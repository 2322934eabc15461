"""A loopback server speaking the real Afanasy protocol, with an optional local worker.

For tests, demos and pipeline development without a farm: submissions, get
requests and actions get the replies afserver 3.4.1 gives (see
``shared/protocol/transcripts``), jobs survive a restart when a store folder is
given, and ``workers`` run the tasks on this machine. It is not a farm manager:
real farms run CGRU's afserver. See docs/devserver.md.
"""

from .cli import main
from .server import DevServer, RemoteAddressRefused

__all__ = ["DevServer", "RemoteAddressRefused", "main"]
