"""One connection, one request: afserver's framing, its HTTP door, and what it does with the rest.

* ``AFANASY <n> JSON`` then ``n`` bytes of JSON (anything before the first ``{``
  skipped): the reply is framed the same way. A size of 0 is answered with
  ``"TInvalid message received."``; a header afserver cannot read (lower-case
  ``json``, no size) gets the connection closed without a word.
* ``POST`` with an ``AFANASY: <n>`` header: the reply is an HTTP 200 with the
  same JSON. A POST without that header is closed without a reply.
* ``GET /`` and ``GET /version.txt``: a small static page.
* Anything else (a raw ``{...}``, binary): afserver's 12-byte "version mismatch".

Only the first message is answered. After the reply the devserver closes its
side at once (afserver lingers ~10 s) but reads what the client still sends
before closing, so a client that closes first or writes more is not reset.
"""

from __future__ import annotations

import re
import socket
from typing import Callable, Optional

from afcore.wire import FramingError, frame, parse_header

from .replies import PROTOCOL_VERSION

#: afserver's answer to bytes that are no Afanasy message: a binary TVersionMismatch (d6d).
VERSION_MISMATCH = bytes.fromhex("000000510000000100000001")
_HEADERS_LIMIT = 64 * 1024
_HTTP_REQUEST = re.compile(rb"[A-Z]{3,7} ")
_HTTP_PARTIAL = re.compile(rb"[A-Z]{1,7}")
_DRAIN_SECONDS = 2.0
_HOME_PAGE = (
    "<!doctype html><title>afcore devserver</title>"
    "<h1>afcore devserver</h1><p>A loopback server speaking the Afanasy protocol, for tests and "
    "demos. It is not a farm manager: real farms run CGRU's afserver.</p>"
)


class _Drop(Exception):
    """The request gets no reply: the connection is just closed (as afserver does)."""


Respond = Callable[[bytes], bytes]


def serve(connection: socket.socket, respond: Respond, read_timeout: float) -> None:
    """Answer the first request on ``connection`` with ``respond(body) -> reply``, then close."""
    connection.settimeout(read_timeout)
    try:
        reply = _answer(_Reader(connection), respond)
        connection.sendall(reply)
        connection.shutdown(socket.SHUT_WR)
        _drain(connection)
    except (_Drop, FramingError, OSError):
        pass
    finally:
        connection.close()


def _answer(reader: _Reader, respond: Respond) -> bytes:
    kind = reader.classify()
    if kind == "afanasy":
        size, offset = reader.header
        return frame(respond(reader.take(offset, size)))
    if kind == "binary":
        return VERSION_MISMATCH
    return _http(reader, respond)


class _Reader:
    """The bytes received so far, and more on demand (EOF or timeout: no reply)."""

    def __init__(self, connection: socket.socket) -> None:
        self._connection = connection
        self.buffer = bytearray()  # grows in place: a 64 MiB request is not copied over and over
        self.header = (-1, -1)

    def more(self) -> None:
        chunk = self._connection.recv(1 << 20)
        if not chunk:
            raise _Drop("closed before the request was complete")
        self.buffer += chunk

    def classify(self) -> str:
        """``afanasy``, ``http`` or ``binary``; raises _Drop for a header afserver ignores."""
        while True:
            if self.buffer:
                try:
                    self.header = parse_header(bytes(self.buffer))
                except FramingError:
                    if _HTTP_REQUEST.match(self.buffer):
                        return "http"
                    if self.buffer[:7].upper() == b"AFANASY":
                        raise _Drop("unreadable header") from None
                    if not _HTTP_PARTIAL.fullmatch(self.buffer):  # not the start of "POST "
                        return "binary"
                else:
                    if self.header[0] >= 0:
                        return "afanasy"
            if len(self.buffer) > _HEADERS_LIMIT:
                raise _Drop("no message start in the first 64 KiB")
            self.more()

    def take(self, offset: int, size: int) -> bytes:
        """``size`` bytes from ``offset``, reading until they are all there."""
        while len(self.buffer) < offset + size:
            self.more()
        return bytes(self.buffer[offset : offset + size])


def _http(reader: _Reader, respond: Respond) -> bytes:
    while b"\r\n\r\n" not in reader.buffer:
        if len(reader.buffer) > _HEADERS_LIMIT:
            raise _Drop("HTTP headers too long")
        reader.more()
    head, _blank, _rest = reader.buffer.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, _space, target = request_line.partition(" ")
    if method == "GET":
        return _static(target.split(" ")[0])
    size = _afanasy_size(header_lines)
    if method != "POST" or size is None:
        raise _Drop("not an Afanasy request")
    body = reader.take(len(head) + 4, size)
    return _http_reply(respond(body), "application/json")


def _afanasy_size(header_lines: list[str]) -> Optional[int]:
    for line in header_lines:
        name, _colon, value = line.partition(":")
        if name.strip().upper() == "AFANASY" and value.strip().isdigit():
            return int(value.strip())
    return None


def _static(path: str) -> bytes:
    if path == "/version.txt":
        return _http_reply(PROTOCOL_VERSION.encode() + b"\n", "text/html; charset=UTF-8")
    if path in ("/", "/index.html"):
        return _http_reply(_HOME_PAGE.encode(), "text/html; charset=UTF-8")
    return _http_reply(b"Not found.\n", "text/plain; charset=UTF-8", "404 Not Found")


def _http_reply(body: bytes, content_type: str, status: str = "200 OK") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {len(body)}\r\n"
        f"Content-Type: {content_type}\r\nCache-Control: max-age=0\r\n"
        "Server: afcore-devserver\r\n\r\n"
    )
    return head.encode("ascii") + body


def _drain(connection: socket.socket) -> None:
    """Read what the client still sends until it closes (bounded), so closing does not reset it."""
    connection.settimeout(_DRAIN_SECONDS)
    received = 0
    while received < _HEADERS_LIMIT:
        chunk = connection.recv(4096)
        if not chunk:
            return
        received += len(chunk)
