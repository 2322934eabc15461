"""The client against loopback servers: framing, deadlines, faults, and errors a person can act on.

Replies recorded from the real server are replayed in test_transcripts.py; this
file covers what the transcripts cannot show: timing, addresses and faults.
"""

from __future__ import annotations

import json
import socket
import time

import pytest

from afcore.client import Client, SubmitResult
from afcore.config import Config
from afcore.errors import (
    AfanasyError,
    ConfigError,
    JobInvalid,
    ProtocolError,
    RequestRejected,
    ServerTimeout,
    ServerUnreachable,
)
from afcore.wire import encode_body, frame
from loopback import (
    LoopbackServer,
    accept_jobs,
    close_early,
    drip,
    ipv6_available,
    real_linger,
    reply,
    sample_job,
    silent,
    slow,
    unanswered_port,
    unused_port,
)

USERS = frame(b'{"users":[\n{\n"name":"jimmy",\n"id":3\n}\n]}')
PROCESSED = frame(b'{"info":{"kind":"log","text":"Action processed."}}')


def client_for(server: LoopbackServer, **options: float) -> Client:
    return Client(server.host, server.port, user_name="jimmy", host_name="ws01", **options)


def elapsed(call, *args):
    """Run ``call`` expecting an error; return (error, seconds taken)."""
    started = time.monotonic()
    with pytest.raises(AfanasyError) as caught:
        call(*args)
    return caught.value, time.monotonic() - started


# --- timing: the three promises of issue 2 ---------------------------------------------------


def test_a_complete_reply_returns_at_once_although_the_server_lingers():
    with LoopbackServer(real_linger(USERS)) as server:
        started = time.monotonic()
        users = client_for(server).get_users(ids=[3])
        took = time.monotonic() - started
        assert users == [{"name": "jimmy", "id": 3}]
        assert took < 0.5, "the client waited for the server's linger"
        assert server.connections[0].closed_by_client.wait(1), "the client must close first"


def test_a_dead_port_fails_within_the_connect_timeout_and_says_what_to_check():
    port = unused_port()
    error, took = elapsed(Client("127.0.0.1", port, connect_timeout=0.3).get_users)
    assert isinstance(error, ServerUnreachable)
    assert took < 0.3
    assert str(error).startswith(
        f"Cannot reach the Afanasy server at 127.0.0.1:{port} (connection refused after 0.0 s)."
    )
    assert "Is afserver running? Check AF_SERVERNAME / AF_SERVERPORT or the config." in str(error)


def test_a_server_that_accepts_and_never_answers_fails_within_the_read_timeout():
    with LoopbackServer(silent()) as server:
        error, took = elapsed(client_for(server, read_timeout=0.3).get_users)
    assert isinstance(error, ServerTimeout)
    assert 0.3 <= took < 0.6
    assert "within the read timeout of 0.3 s" in str(error)


# --- more time limits ------------------------------------------------------------------------


def test_a_connect_that_hangs_stops_at_the_connect_timeout():
    with unanswered_port() as port:
        if not port:
            pytest.skip("this platform refuses instead of dropping connections to a full queue")
        error, took = elapsed(Client("127.0.0.1", port, connect_timeout=0.3).get_users)
    assert isinstance(error, ServerUnreachable)
    assert 0.3 <= took < 0.6
    assert "no answer within the connect timeout of 0.3 s" in str(error)


def test_the_read_timeout_is_a_deadline_for_the_whole_reply_not_for_each_byte():
    with LoopbackServer(drip(USERS, interval=0.05)) as server:
        error, took = elapsed(client_for(server, read_timeout=0.3).get_users)
    assert isinstance(error, ServerTimeout)
    assert took < 0.6
    assert "bytes received" in str(error)


def test_a_slow_reply_inside_the_read_timeout_is_read():
    with LoopbackServer(slow(USERS, delay=0.2)) as server:
        assert client_for(server, read_timeout=2).get_users() == [{"name": "jimmy", "id": 3}]


def test_a_timed_out_job_may_have_arrived_and_the_message_says_so():
    with LoopbackServer(silent()) as server:
        error, _ = elapsed(client_for(server, read_timeout=0.2).submit, sample_job())
    assert isinstance(error, ServerTimeout)
    assert "check the farm before sending it again" in str(error)


# --- addresses -------------------------------------------------------------------------------


@pytest.mark.skipif(not ipv6_available(), reason="no IPv6 loopback here")
def test_ipv6_servers_are_reached_and_shown_in_brackets():
    with LoopbackServer(reply(USERS), host="::1") as server:
        client = client_for(server)
        assert client.address == f"[::1]:{server.port}"
        assert client.get_users() == [{"name": "jimmy", "id": 3}]


def test_every_address_of_a_host_name_is_tried_in_turn(monkeypatch: pytest.MonkeyPatch):
    dead = unused_port()
    with LoopbackServer(reply(USERS)) as server:

        def two_addresses(host, port, family=0, type=0, proto=0, flags=0):
            stream = (socket.AF_INET, socket.SOCK_STREAM, 6, "")
            return [(*stream, ("127.0.0.1", dead)), (*stream, ("127.0.0.1", server.port))]

        monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
        assert Client("farm", server.port).get_users() == [{"name": "jimmy", "id": 3}]


def test_an_unknown_host_name_is_reported_as_such():
    error, _ = elapsed(Client("no-such-farm.invalid", 51000).get_users)
    assert isinstance(error, ServerUnreachable)
    assert "the host name 'no-such-farm.invalid' is not known" in str(error)


# --- what goes on the wire -------------------------------------------------------------------


def test_text_is_sent_as_utf8_and_the_header_counts_bytes():
    document = {"get": {"type": "jobs", "mask": "plan séquence 東京"}}
    with LoopbackServer(reply(frame(b'{"jobs":[]}'))) as server:
        assert client_for(server).request(document) == {"jobs": []}
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert server.requests == [b"AFANASY %d JSON" % len(body) + body]
    assert len(body) > len(body.decode("utf-8"))


def test_text_that_cannot_be_utf8_is_refused_before_connecting():
    undecodable = b"plate_\xff.exr".decode("utf-8", errors="surrogateescape")
    expected = pytest.raises(AfanasyError, match="is not valid UTF-8")
    with LoopbackServer(reply(USERS)) as server, expected:
        client_for(server).get_jobs(mask=undecodable)
    assert server.accepted == 0


def test_one_connection_per_request():
    with LoopbackServer(reply(USERS)) as server:
        client = client_for(server)
        client.get_users()
        client.get_users()
    assert server.accepted == 2
    assert server.requests == [frame(encode_body({"get": {"type": "users"}}))] * 2


# --- faults ----------------------------------------------------------------------------------


def test_a_reply_cut_short_is_a_protocol_error_naming_what_arrived():
    expected = pytest.raises(ProtocolError, match=r"incomplete reply \(connection closed after")
    with LoopbackServer(close_early(USERS, keep=30)) as server, expected:
        client_for(server).get_users()


@pytest.mark.parametrize(
    ("garbage", "phrase"),
    [
        (b"SSH-2.0-OpenSSH_9.2\r\n", "did not answer in the Afanasy protocol: it sent something"),
        (b"HTTP/1.1 400 Bad Request\r\n\r\n", "it sent an HTTP reply"),
        (frame(b"{not json"), "not valid JSON"),
        (frame(b'{"users": 3}'), "which has no list 'users'"),
    ],
)
def test_garbage_replies_are_protocol_errors(garbage: bytes, phrase: str):
    with LoopbackServer(reply(garbage)) as server, pytest.raises(ProtocolError, match=phrase):
        client_for(server).get_users()


def test_a_server_closing_without_a_reply_to_a_job_is_suspected_of_crashing():
    with LoopbackServer(reply(b"")) as server, pytest.raises(ProtocolError) as caught:
        client_for(server).submit(sample_job())
    assert "closed the connection without answering" in str(caught.value)
    assert "crashes on some invalid jobs" in str(caught.value)


def test_a_server_closing_without_a_reply_to_a_get_asks_whether_it_is_afserver():
    expected = pytest.raises(ProtocolError, match="really an afserver port")
    with LoopbackServer(reply(b"")) as server, expected as caught:
        client_for(server).get_users()
    assert "crash" not in str(caught.value)


# --- submitting ------------------------------------------------------------------------------


def test_submit_returns_the_id_and_serial_the_server_gave():
    first, second = sample_job("a"), sample_job("b")
    with LoopbackServer(accept_jobs(first_id=7)) as server:
        client = client_for(server)
        assert client.submit(first) == SubmitResult(id=7, serial=7)
        assert client.submit(second) == SubmitResult(id=8, serial=8)
    assert server.requests[0] == frame(encode_body(first.to_dict()))


def test_a_job_without_user_or_host_is_signed_with_the_clients():
    job = sample_job()
    job.user_name = job.host_name = ""
    with LoopbackServer(accept_jobs()) as server:
        client_for(server).submit(job)
    sent = json.loads(server.requests[0].split(b"JSON", 1)[1])["job"]
    assert (sent["user_name"], sent["host_name"]) == ("jimmy", "ws01")


def test_an_invalid_job_is_refused_before_anything_is_sent():
    job = sample_job()
    job.blocks.clear()
    with LoopbackServer(accept_jobs()) as server, pytest.raises(JobInvalid):
        client_for(server).submit(job)
    assert server.accepted == 0


def test_an_invalid_job_is_reported_as_invalid_even_when_the_server_is_down():
    job = sample_job()
    job.blocks.clear()
    with pytest.raises(JobInvalid):
        Client("127.0.0.1", unused_port()).submit(job)


def test_a_job_the_server_answers_with_id_zero_is_rejected_with_its_text():
    refused = frame(b'{\n"id":0,\n"serial":0,\n"error":"Invalid job."\n}')
    expected = pytest.raises(RequestRejected, match="refused the job: Invalid job.")
    with LoopbackServer(reply(refused)) as server, expected as caught:
        client_for(server).submit(sample_job())
    assert "afserver log" in str(caught.value)


def test_a_job_answer_without_an_id_is_a_protocol_error():
    expected = pytest.raises(ProtocolError, match="instead of its id")
    with LoopbackServer(reply(frame(b'{"jobs":[]}'))) as server, expected:
        client_for(server).submit(sample_job())


# --- actions ---------------------------------------------------------------------------------


def test_actions_are_signed_with_the_clients_user_and_host():
    with LoopbackServer(reply(PROCESSED)) as server:
        text = Client(server.host, server.port, user_name="root", host_name="vm").pause_jobs([4])
    assert text == "Action processed."
    sent = json.loads(server.requests[0][server.requests[0].index(b"{") :])
    assert sent == {
        "action": {
            "type": "jobs",
            "ids": [4],
            "user_name": "root",
            "host_name": "vm",
            "operation": {"type": "pause"},
        }
    }


@pytest.mark.parametrize(
    ("call", "phrase"),
    [
        (lambda client: client.action("jobs", operation="delete"), "either ids or a mask"),
        (lambda client: client.action("jobs", [1], "a.*", operation="delete"), "either ids or a"),
        (lambda client: client.action("monitors", [1], operation="exit"), "not 'monitors'"),
        (lambda client: client.action("jobs", [1]), "either an operation or params"),
        (lambda client: client.set_job_priority(300, [1]), "from 0 to 250, not 300"),
        (lambda client: client.set_user_priority(-1, [1]), "from 0 to 250, not -1"),
    ],
)
def test_malformed_actions_are_refused_before_anything_is_sent(call, phrase: str):
    with LoopbackServer(reply(PROCESSED)) as server, pytest.raises(ValueError, match=phrase):
        call(client_for(server))
    assert server.accepted == 0


def test_an_action_without_a_user_name_asks_for_one():
    with LoopbackServer(reply(PROCESSED)) as server:
        client = Client(server.host, server.port, user_name="", host_name="ws01")
        with pytest.raises(ConfigError, match="set AF_USERNAME"):
            client.delete_jobs(mask="shot.*")
    assert server.accepted == 0


def test_a_mask_that_matches_nothing_gets_a_hint_about_full_match_regexes():
    nothing = frame(b'{"info":{"kind":"error","text":"Jobs: No node matches \'timing\' found."}}')
    with LoopbackServer(reply(nothing)) as server, pytest.raises(RequestRejected) as caught:
        client_for(server).delete_jobs(mask="timing")
    assert "No node matches 'timing' found." in str(caught.value)
    assert "try 'timing.*'" in str(caught.value)


# --- configuration ---------------------------------------------------------------------------


def test_a_client_from_config_uses_its_server_timeouts_and_identity():
    config = Config(
        server_host="farm01",
        server_port=51001,
        connect_timeout=1.5,
        read_timeout=9.0,
        user_name="jimmy",
        host_name="ws07",
    )
    client = Client.from_config(config)
    assert (client.address, client.connect_timeout, client.read_timeout) == (
        "farm01:51001",
        1.5,
        9.0,
    )
    assert (client.user_name, client.host_name) == ("jimmy", "ws07")


def test_without_a_configured_identity_the_login_and_machine_names_are_used():
    client = Client.from_config(Config())
    assert client.user_name
    assert client.host_name == socket.gethostname()
