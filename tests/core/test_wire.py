"""Afanasy framing: a reader must stop at the announced size, never wait for EOF."""

from __future__ import annotations

import io

import pytest

from afcore.wire import FramingError, encode_body, frame, parse_header, read_message


def test_header_counts_bytes_not_characters():
    body = encode_body({"job": {"name": "é"}})
    assert frame(body).startswith(b"AFANASY %d JSON{" % len(body))
    assert len(body) == len('{"job":{"name":"é"}}') + 1


def test_reader_stops_at_the_announced_size_even_if_more_follows():
    stream = io.BytesIO(frame(b'{"id":4}') + b" " * 10)
    assert read_message(stream.read) == b'{"id":4}'
    assert stream.read() == b" " * 10


def test_bytes_between_header_and_body_are_skipped_like_the_server_does():
    assert read_message(io.BytesIO(b"AFANASY 2 JSON  {}").read) == b"{}"


def test_header_is_case_insensitive_but_json_is_not():
    assert parse_header(b"afanasy 2 JSON{}") == (2, 14)
    with pytest.raises(FramingError):
        parse_header(b"afanasy 2 json{}")


def test_a_binary_reply_is_a_framing_error_not_a_hang():
    with pytest.raises(FramingError, match="not an Afanasy message"):
        read_message(io.BytesIO(b"\x00\x00\x00Q\x00\x00\x00\x01").read)


@pytest.mark.parametrize(
    ("data", "expected"),
    [(b"", "before any reply"), (b"AFAN", "middle of a header"), (b"AFANASY 9 JSON{", "1 of 9")],
)
def test_early_close_says_where_it_stopped(data: bytes, expected: str):
    with pytest.raises(FramingError, match=expected):
        read_message(io.BytesIO(data).read)


def test_oversized_message_is_refused():
    with pytest.raises(FramingError, match="64 MiB"):
        parse_header(b"AFANASY 99999999999 JSON{")
