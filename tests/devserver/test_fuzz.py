"""Random and mutated requests never crash or hang the devserver (which runs nothing here).

Every example is sent over a real socket with a 5 s timeout, and the server must
still answer a normal request afterwards.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from afcore.devserver import DevServer
from afcore.wire import encode_body, frame
from devserver.talk import ask, exchange
from shared_data import TRANSCRIPTS

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=25,
)
top_keys = st.sampled_from(["job", "get", "action", "monitor"]) | st.text(max_size=8)
documents = st.dictionaries(top_keys, json_values, max_size=3)


def recorded_bodies() -> list[dict[str, Any]]:
    bodies = []
    for path in sorted(TRANSCRIPTS.glob("*.json")):
        request = json.loads(path.read_text(encoding="utf-8"))["request"]
        if request.startswith("AFANASY") and "{" in request:
            try:
                bodies.append(json.loads(request[request.index("{") :]))
            except ValueError:
                continue
    return bodies


RECORDED = recorded_bodies()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with DevServer(port=0, store=tmp_path_factory.mktemp("fuzz"), workers=0) as running:
        yield running


def still_alive(server: DevServer) -> None:
    assert ask(server, {"get": {"type": "users", "ids": [1]}})["users"][0]["name"] == "afadmin"


def framed_reply(server: DevServer, body: bytes) -> Any:
    reply = exchange(server, frame(body))
    assert reply.startswith(b"AFANASY "), reply[:60]
    size, start = int(reply.split(b" ")[1]), reply.index(b"{")
    assert len(reply) == start + size
    return json.loads(reply[start:].decode("utf-8", "surrogateescape"))


@FUZZ
@given(data=st.binary(max_size=200))
def test_random_bytes_get_an_answer_or_a_close_never_a_hang(server, data):
    try:
        exchange(server, data)
    except socket.timeout:
        pytest.fail(f"the devserver hung on {data!r}")
    still_alive(server)


@FUZZ
@given(document=documents)
def test_random_json_documents_always_get_a_json_object_back(server, document):
    assert isinstance(framed_reply(server, encode_body(document)), dict)
    still_alive(server)


def mutate(value: Any, draw: Any, top: bool = False) -> Any:
    """``value`` with one member or item somewhere inside replaced by another JSON value.

    The top level stays an object: afserver reads a body from its first ``{``.
    """
    if isinstance(value, (dict, list)) and value and (top or draw(st.booleans())):
        keys = list(value) if isinstance(value, dict) else list(range(len(value)))
        key = draw(st.sampled_from(keys))
        copy = dict(value) if isinstance(value, dict) else list(value)
        copy[key] = mutate(copy[key], draw)
        return copy
    return draw(json_values)


@FUZZ
@given(body=st.sampled_from(RECORDED), data=st.data())
def test_mutated_recorded_requests_always_get_a_json_object_back(server, body, data):
    mutated = mutate(body, data.draw, top=True)
    assert isinstance(framed_reply(server, encode_body(mutated)), dict)
    still_alive(server)


def test_a_deeply_nested_body_is_a_parse_error_not_a_crash(server):
    reply = framed_reply(server, b'{"get":' + b"[" * 100_000)
    assert reply["info"]["kind"] == "error"
    still_alive(server)
