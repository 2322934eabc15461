"""Every exchange recorded from a real afserver, replayed against the client.

A loopback server takes the client's request and answers with the recorded
bytes (an empty recording closes without a reply, as the crashing server did;
recordings of the server's linger linger the same way). For each transcript:

- what the client makes of the reply: the recorded JSON, or an error class
  and a phrase of its message;
- where the client can produce the request, that it sends exactly the recorded
  bytes given the same document, and the same bytes from its typed calls;
- jobs the server crashes on or silently mangles are refused and never sent.
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Optional

import pytest

from afcore.client import ACTION_PROCESSED, Client, SubmitResult
from afcore.errors import AfanasyError, JobInvalid, ProtocolError, RequestRejected
from afcore.job import Job
from afcore.wire import FramingError, encode_body, frame, parse_header
from loopback import LoopbackServer, Transcript, load_transcript, reply
from shared_data import TRANSCRIPTS

RECORDED = {path.stem: load_transcript(path) for path in sorted(TRANSCRIPTS.glob("*.json"))}

#: Requests the client never sends as recorded: broken framing, HTTP, raw or non-UTF-8 bytes.
NOT_PRODUCIBLE = {
    "d1_malformed_json",
    "d6a_header_size_smaller_than_body",
    "d6b_header_size_larger_than_body",
    "d6c_header_size_zero",
    "d6d_no_header_raw_json",
    "d6e_header_with_space_before_body",
    "d6f_header_lowercase",
    "d7_non_utf8_in_job_name",
    "d7b_non_utf8_get",
    "d7c_latin1_garbage_body",
    "h1_http_post_get_users",
    "h2_http_post_job",
    "h3_http_post_without_afanasy_header",
    "h4_http_get_version_txt",
    "h5_http_post_header_lowercase",
    "w2_wire_http_linger",
    "w3_wire_two_messages_one_socket",
}
#: Sent instead when the recorded request is one the client cannot produce.
STAND_IN = {"get": {"type": "jobs"}}

_CRASH = (ProtocolError, "crashes on some invalid jobs")
_NO_REPLY = (ProtocolError, "closed the connection without answering")
_HTTP = (ProtocolError, "it sent an HTTP reply")
_INVALID_JOB = (RequestRejected, "refused the job: Invalid job.")

#: What the client makes of replies that are not plain answers; every other
#: transcript must give back exactly its recorded JSON.
REPLY_ERRORS: dict[str, tuple[type[AfanasyError], str]] = {
    "a_minimal_job_seed": _CRASH,
    "a_minimal_job_seed__patched_server": _INVALID_JOB,
    "b5_get_invalid_type": (RequestRejected, "refused the request: Invalid get type = 'bogus'"),
    "c3b_get_jobs_ids_after_delete": (RequestRejected, "There is no job with id 4 on"),
    "c3c_action_delete_job_nonexistent": (RequestRejected, "Action node ID not found: 9999."),
    "c4_action_missing_user_name": (RequestRejected, 'not empty "user_name" string'),
    "c4b_action_missing_ids_and_mask": (RequestRejected, "should have nodes ids or mask"),
    "c4c_action_unknown_type": (RequestRejected, "Action has unknown type: 'bogus'"),
    "d1_malformed_json": (RequestRejected, "Missing a comma or '}' after an object member."),
    "d2_unknown_top_level_key": (RequestRejected, "refused the request: Invalid action."),
    "d3_job_missing_blocks": _CRASH,
    "d3_job_missing_blocks__patched_server": _INVALID_JOB,
    "d3b_job_empty_blocks": _CRASH,
    "d3b_job_empty_blocks__patched_server": _INVALID_JOB,
    "d5b_block_no_numeric_flag_no_tasks": _CRASH,
    "d5b_block_no_numeric_flag_no_tasks__patched_server": _INVALID_JOB,
    "d6a_header_size_smaller_than_body": (RequestRejected, "Missing a closing quotation mark"),
    "d6b_header_size_larger_than_body": _NO_REPLY,
    "d6c_header_size_zero": (RequestRejected, "TInvalid message received."),
    "d6d_no_header_raw_json": (ProtocolError, "did not answer in the Afanasy protocol"),
    "d6f_header_lowercase": _NO_REPLY,
    "d7c_latin1_garbage_body": _NO_REPLY,
    "h1_http_post_get_users": _HTTP,
    "h2_http_post_job": _HTTP,
    "h3_http_post_without_afanasy_header": _NO_REPLY,
    "h4_http_get_version_txt": _HTTP,
    "h5_http_post_header_lowercase": _HTTP,
    "w2_wire_http_linger": _HTTP,
}

#: Jobs the client refuses to send: the released server crashes on them or mangles them.
REFUSED_JOBS = {
    "a_minimal_job_seed",
    "a_minimal_job_seed__patched_server",
    "d3_job_missing_blocks",
    "d3_job_missing_blocks__patched_server",
    "d3b_job_empty_blocks",
    "d3b_job_empty_blocks__patched_server",
    "d5b_block_no_numeric_flag_no_tasks",
    "d5b_block_no_numeric_flag_no_tasks__patched_server",
    "d4_block_missing_command",
    "d5_block_frame_last_lt_first",
    "d5c_block_frames_per_task_zero",
    "d7_non_utf8_in_job_name",
}


def recorded_document(transcript: Transcript) -> Any:
    """The recorded request's JSON (undecodable bytes kept as surrogates, as Python does)."""
    size, offset = parse_header(transcript.request)
    body = transcript.request[offset : offset + size]
    return json.loads(body.decode("utf-8", errors="surrogateescape"))


def producible_document(transcript: Transcript) -> Optional[Any]:
    """The document that, given to the client, gives exactly the recorded request; else None."""
    try:
        document = recorded_document(transcript)
        produced = frame(encode_body(document))
    except (FramingError, UnicodeEncodeError, ValueError):
        return None
    return document if produced == transcript.request else None


def replaying(transcript: Transcript) -> LoopbackServer:
    return LoopbackServer(reply(transcript.response, linger=transcript.linger))


def client_for(server: LoopbackServer) -> Client:
    """Signed as the recordings were: user root on host vm."""
    return Client(server.host, server.port, read_timeout=5, user_name="root", host_name="vm")


def test_every_table_names_recorded_transcripts():
    for table in (NOT_PRODUCIBLE, REPLY_ERRORS, REFUSED_JOBS, TYPED_CALLS, TYPED_ERRORS):
        assert set(table) <= set(RECORDED)
    assert len(RECORDED) >= 81


def test_the_client_produces_every_well_formed_request_byte_for_byte():
    unproducible = {name for name, each in RECORDED.items() if producible_document(each) is None}
    assert unproducible == NOT_PRODUCIBLE


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_what_the_client_makes_of_each_recorded_reply(name: str):
    transcript = RECORDED[name]
    document = producible_document(transcript)
    with replaying(transcript) as server:
        client = client_for(server)
        started = time.monotonic()
        if name in REPLY_ERRORS:
            error_class, phrase = REPLY_ERRORS[name]
            with pytest.raises(error_class) as caught:
                client.request(document or STAND_IN)
            assert phrase in str(caught.value)
        else:
            assert client.request(document or STAND_IN) == transcript.response_json
        assert time.monotonic() - started < 1.0, "the client waited for the server's linger"
    if document is not None:
        assert server.requests == [transcript.request]


@pytest.mark.parametrize("name", sorted(REFUSED_JOBS))
def test_jobs_the_server_crashes_on_or_mangles_are_never_sent(name: str):
    job = Job.from_dict(recorded_document(RECORDED[name]))
    with replaying(RECORDED[name]) as server, pytest.raises(JobInvalid):
        client_for(server).submit(job)
    assert server.accepted == 0


def test_a_get_with_undecodable_text_is_never_sent():
    mask = recorded_document(RECORDED["d7b_non_utf8_get"])["get"]["mask"]
    expected = pytest.raises(AfanasyError, match="is not valid UTF-8")
    with replaying(RECORDED["d7b_non_utf8_get"]) as server, expected:
        client_for(server).get_jobs(mask=mask)
    assert server.accepted == 0


def test_non_utf8_bytes_echoed_by_the_server_are_read_as_replacement_characters():
    with replaying(RECORDED["d7_followup_get_job_non_utf8"]) as server:
        assert client_for(server).get_job(9)["name"] == "bad \ufffd\ufffd utf8"


def submits_recorded(name: str) -> Callable[[Client], SubmitResult]:
    return lambda client: client.submit(Job.from_dict(recorded_document(RECORDED[name])))


def recorded(*keys: Any) -> Callable[[Any], Any]:
    """Picks a member of the recorded reply: recorded("jobs", 0) is the first job."""

    def pick(value: Any) -> Any:
        for key in keys:
            value = value[key]
        return value

    return pick


def answered(value: Any) -> Callable[[Any], Any]:
    return lambda _reply: value


#: Typed calls and what they return for the recorded reply.
TYPED_CALLS: dict[str, tuple[Callable[[Client], Any], Callable[[Any], Any]]] = {
    "a_minimal_job_seed_with_numeric_flag": (
        submits_recorded("a_minimal_job_seed_with_numeric_flag"),
        answered(SubmitResult(id=4, serial=3)),
    ),
    "d2b_job_plus_unknown_top_level_key": (
        submits_recorded("d2b_job_plus_unknown_top_level_key"),
        answered(SubmitResult(id=4, serial=4)),
    ),
    "e1_big_job_1000_blocks": (
        submits_recorded("e1_big_job_1000_blocks"),
        answered(SubmitResult(id=10, serial=10)),
    ),
    "e2_big_job_100k_frames_numeric": (
        submits_recorded("e2_big_job_100k_frames_numeric"),
        answered(SubmitResult(id=11, serial=11)),
    ),
    "e3_big_job_10k_explicit_tasks": (
        submits_recorded("e3_big_job_10k_explicit_tasks"),
        answered(SubmitResult(id=12, serial=12)),
    ),
    "b1_get_jobs": (lambda client: client.get_jobs(), recorded("jobs")),
    "b2_get_jobs_uids": (lambda client: client.get_jobs(user_ids=[3]), recorded("jobs")),
    "b2b_get_jobs_users_names": (lambda client: client.get_jobs(users=["jimmy"]), recorded("jobs")),
    "b2c_get_jobs_ids": (lambda client: client.get_jobs(ids=[3]), recorded("jobs")),
    "b2d_get_jobs_mask": (lambda client: client.get_jobs(mask="job"), recorded("jobs")),
    "b3_get_renders_mask": (lambda client: client.get_renders(mask="vm"), recorded("renders")),
    "b3b_get_renders_mask_nomatch": (
        lambda client: client.get_renders(mask="nosuchhost"),
        answered([]),
    ),
    "b3c_get_renders_all": (lambda client: client.get_renders(), recorded("renders")),
    "b4_get_users_ids": (lambda client: client.get_users(ids=[3]), recorded("users")),
    "b4a_get_users_all": (lambda client: client.get_users(), recorded("users")),
    "b4b_get_users_ids_unknown": (lambda client: client.get_users(ids=[999]), answered([])),
    "c1_action_render_set_nimby": (
        lambda client: client.render_nimby(mask="vm"),
        answered(ACTION_PROCESSED),
    ),
    "c1b_action_render_set_free": (
        lambda client: client.render_free(mask="vm"),
        answered(ACTION_PROCESSED),
    ),
    "c1c_get_renders_after_free": (
        lambda client: client.get_renders(mask="vm"),
        recorded("renders"),
    ),
    "c2_action_user_set_priority": (
        lambda client: client.set_user_priority(150, ids=[3]),
        answered(ACTION_PROCESSED),
    ),
    "c2b_get_users_ids_after_priority": (
        lambda client: client.get_users(ids=[3]),
        recorded("users"),
    ),
    "c2c_action_job_set_priority": (
        lambda client: client.set_job_priority(42, ids=[4]),
        answered(ACTION_PROCESSED),
    ),
    "c3_action_delete_job": (
        lambda client: client.delete_jobs(ids=[4]),
        answered(ACTION_PROCESSED),
    ),
    "c5_action_delete_jobs_by_mask": (
        lambda client: client.delete_jobs(mask="timing.*"),
        answered(ACTION_PROCESSED),
    ),
    "e5_action_delete_big_jobs": (
        lambda client: client.delete_jobs(ids=[10, 11, 12]),
        answered(ACTION_PROCESSED),
    ),
    "d4_followup_get_job_no_command": (lambda client: client.get_job(6), recorded("jobs", 0)),
    "d5_followup_get_job_bad_range": (lambda client: client.get_job(7), recorded("jobs", 0)),
    "d5c_followup_get_job_fpt_zero": (lambda client: client.get_job(8), recorded("jobs", 0)),
    "d7_followup_get_job_non_utf8": (lambda client: client.get_job(9), recorded("jobs", 0)),
    "f1_get_job_full": (lambda client: client.get_job(3), recorded("jobs", 0)),
    "f2_get_job_progress": (
        lambda client: client.job_progress(3),
        recorded("job_progress", "progress"),
    ),
    "f5_get_task_output": (lambda client: client.task_output(3, 0, 0), recorded("task", "data")),
    "f5a_get_task_output_number": (
        lambda client: client.task_output(3, 0, 4, number=0),
        recorded("task", "data"),
    ),
    "w1_wire_afanasy_linger": (lambda client: client.get_users(ids=[3]), recorded("users")),
}

#: Typed calls whose recorded reply is an error, and a phrase of the message.
TYPED_ERRORS: dict[str, tuple[Callable[[Client], Any], str]] = {
    "c3b_get_jobs_ids_after_delete": (
        lambda client: client.get_jobs(ids=[4]),
        "There is no job with id 4 on the Afanasy server",
    ),
    "c3c_action_delete_job_nonexistent": (
        lambda client: client.delete_jobs(ids=[9999]),
        "refused the request: Action node ID not found: 9999.",
    ),
    "f10_get_task_output_bad_ids": (
        lambda client: client.task_output(3, 0, 99),
        "has no task 99 in block 0 (the server says: Invalid block and task numbers)",
    ),
}


def assert_sent_as_recorded(server: LoopbackServer, transcript: Transcript) -> None:
    """Gets and actions byte for byte; jobs as the same job (the model writes keys its own way)."""
    (sent,) = server.requests
    if "job" not in recorded_document(transcript):
        assert sent == transcript.request
        return
    size, offset = parse_header(sent)
    assert size == len(sent) - offset
    assert Job.from_dict(json.loads(sent[offset:])) == Job.from_dict(recorded_document(transcript))


@pytest.mark.parametrize("name", sorted(TYPED_CALLS))
def test_typed_calls_send_the_recorded_request_and_read_its_reply(name: str):
    call, expected = TYPED_CALLS[name]
    transcript = RECORDED[name]
    with replaying(transcript) as server:
        assert call(client_for(server)) == expected(transcript.response_json)
    assert_sent_as_recorded(server, transcript)


@pytest.mark.parametrize("name", sorted(TYPED_ERRORS))
def test_typed_calls_turn_recorded_refusals_into_rejections(name: str):
    call, phrase = TYPED_ERRORS[name]
    transcript = RECORDED[name]
    with replaying(transcript) as server, pytest.raises(RequestRejected) as caught:
        call(client_for(server))
    assert phrase in str(caught.value)
    assert_sent_as_recorded(server, transcript)
