"""Afanasy's message framing: ``AFANASY <n> JSON`` then exactly ``n`` bytes of JSON.

Used by the client and by the devserver, so that both ends frame the same
way. See ``shared/protocol/PROTOCOL.md``: the server never closes first, so a
reader must stop at the declared size instead of reading to EOF.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

MAGIC = b"AFANASY"
MAX_MESSAGE = 64 * 1024 * 1024
#: Case-insensitive ``AFANASY``, a decimal size, upper-case ``JSON`` (what afserver accepts).
_HEADER = re.compile(rb"(?i:AFANASY) (\d{1,12}) JSON")
_HEADER_MAX = len(b"AFANASY 999999999999 JSON")
_SHORTEST = len(b"AFANASY 0 JSON{")


class FramingError(ValueError):
    """Bytes that are not a complete Afanasy message."""


def encode_body(document: Any) -> bytes:
    """The JSON body as UTF-8 bytes, compact (the byte length is what the header counts)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def frame(body: bytes) -> bytes:
    """Header plus body, ready for ``sendall``."""
    return b"AFANASY %d JSON" % len(body) + body


def parse_header(data: bytes) -> tuple[int, int]:
    """``(size, offset)`` of a header at the start of ``data``; the body starts at the first ``{``.

    Raises FramingError when ``data`` does not start with a header; returns
    ``(-1, -1)`` when it might, but is too short to tell yet.
    """
    match = _HEADER.match(data)
    if match is None:
        if len(data) < _HEADER_MAX and _could_become_header(data):
            return -1, -1
        raise FramingError(f"not an Afanasy message: starts with {data[:24]!r}")
    size = int(match.group(1))
    if size > MAX_MESSAGE:
        raise FramingError(f"message of {size} bytes is over the 64 MiB limit")
    brace = data.find(b"{", match.end())
    if brace < 0:
        return -1, -1
    return size, brace


def _could_become_header(data: bytes) -> bool:
    """Whether more bytes could still turn ``data`` into a valid header."""
    magic = b"AFANASY "
    if len(data) <= len(magic):
        return magic.startswith(data.upper())
    if data[: len(magic)].upper() != magic:
        return False
    digits, space, rest = data[len(magic) :].partition(b" ")
    if not digits.isdigit():
        return not digits and not space
    return not space or b"JSON".startswith(rest)


def read_message(recv: Callable[[int], bytes]) -> bytes:
    """Read one framed message through ``recv`` and return its body, never reading past it.

    ``recv(n)`` returns up to ``n`` bytes, ``b""`` at end of stream, and raises
    on timeout (``socket.timeout``), which is left to the caller.
    """
    buffer = b""
    while True:
        size, offset = parse_header(buffer) if buffer else (-1, -1)
        if size >= 0:
            break
        # The shortest possible message is ``AFANASY 0 JSON{``: asking for that much never reads
        # past the end of a message, and saves a system call per header byte.
        chunk = recv(max(_SHORTEST - len(buffer), 1) if len(buffer) < _HEADER_MAX else 4096)
        if not chunk:
            raise FramingError(_closed_early(buffer))
        buffer += chunk
    body = buffer[offset:]
    while len(body) < size:
        chunk = recv(min(size - len(body), 1 << 20))
        if not chunk:
            raise FramingError(f"connection closed after {len(body)} of {size} announced bytes")
        body += chunk
    return body[:size]


def _closed_early(buffer: bytes) -> str:
    if not buffer:
        return "connection closed before any reply"
    return f"connection closed in the middle of a header: {buffer[:40]!r}"
