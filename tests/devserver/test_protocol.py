"""The devserver over real loopback sockets: framing, replies and error texts as afserver's."""

from __future__ import annotations

import contextlib
import json
import socket

import pytest

from afcore.wire import encode_body, frame, read_message
from devserver.talk import (
    action,
    ask,
    connect,
    exchange,
    job_info,
    job_state,
    submit,
    task_states,
)

pytest_plugins = ["devserver_fixture"]


def numeric_job(name="job name", user="jimmy", **fields):
    block = {"name": "b", "flags": 1, "frame_first": 1, "frame_last": 4, "command": "echo @#@"}
    return {"name": name, "user_name": user, "host_name": "host", "blocks": [block], **fields}


@pytest.fixture
def server(devserver_factory):
    """A devserver that never runs anything: states stay as submitted."""
    return devserver_factory(workers=0)


# -- submissions -----------------------------------------------------------------------------


def test_ids_are_reused_after_deletion_and_serials_never(server):
    first, second = ask(server, {"job": numeric_job()}), ask(server, {"job": numeric_job()})
    assert (first, second) == ({"id": 2, "serial": 1}, {"id": 3, "serial": 2})
    assert action(server, "jobs", ids=[2], operation="delete")["info"]["kind"] == "log"
    assert ask(server, {"job": numeric_job()}) == {"id": 2, "serial": 3}


def test_a_job_afserver_would_crash_on_gets_the_fixed_servers_reply(server):
    no_flag = numeric_job()
    del no_flag["blocks"][0]["flags"]
    assert ask(server, {"job": no_flag}) == {"id": 0, "serial": 0, "error": "Invalid job."}
    assert ask(server, {"job": numeric_job()})["id"] == 2


def test_the_system_job_and_its_user_exist_from_the_start(server):
    jobs = ask(server, {"get": {"type": "jobs"}})["jobs"]
    assert [(job["id"], job["name"], job["user_name"]) for job in jobs] == [
        (1, "afanasy", "afadmin")
    ]
    users = ask(server, {"get": {"type": "users"}})["users"]
    assert [(user["id"], user["name"]) for user in users] == [(1, "afadmin")]


def test_submitting_creates_the_user_with_afservers_defaults(server):
    submit(server, numeric_job(user="jimmy"))
    jimmy = ask(server, {"get": {"type": "users", "ids": [2]}})["users"][0]
    assert (jimmy["name"], jimmy["host_name"], jimmy["jobs_num"]) == ("jimmy", "host", 1)
    assert (jimmy["priority"], jimmy["errors_retries"]) == (99, 3)
    assert ask(server, {"get": {"type": "users", "ids": [77]}}) == {"users": []}


def test_raw_invalid_utf8_in_a_name_is_stored_and_echoed_back_byte_for_byte(server):
    body = encode_body({"job": numeric_job(name="bad XX utf8")}).replace(b"XX", b"\xff\xfe")
    reply = exchange(server, frame(body))
    assert json.loads(reply[reply.index(b"{") :])["id"] == 2
    listing = exchange(server, frame(b'{"get":{"type":"jobs","ids":[2]}}'))
    assert b'"name":"bad \xff\xfe utf8"' in listing


# -- get requests ----------------------------------------------------------------------------


def names(reply):
    return [job["name"] for job in reply["jobs"] if job["id"] != 1]


def test_get_masks_are_comma_separated_prefixes_not_regexes(server):
    submit(server, numeric_job("job name"))
    submit(server, numeric_job("render test"))
    assert names(ask(server, {"get": {"type": "jobs", "mask": "job"}})) == ["job name"]
    assert names(ask(server, {"get": {"type": "jobs", "mask": "job,render"}})) == [
        "job name",
        "render test",
    ]
    for mask in (".*", "render.*", "name"):
        assert names(ask(server, {"get": {"type": "jobs", "mask": mask}})) == []


def test_one_unknown_id_is_an_error_but_several_ids_skip_the_missing(server):
    submit(server, numeric_job())
    assert ask(server, {"get": {"type": "jobs", "ids": [9]}}) == {
        "info": {"kind": "error", "text": "Invalid ID"}
    }
    assert names(ask(server, {"get": {"type": "jobs", "ids": [2, 9]}})) == ["job name"]


def test_jobs_by_user_id_or_name(server):
    submit(server, numeric_job("mine", user="jimmy"))
    submit(server, numeric_job("theirs", user="root"))
    assert names(ask(server, {"get": {"type": "jobs", "uids": [2]}})) == ["mine"]
    assert names(ask(server, {"get": {"type": "jobs", "users": ["root"]}})) == ["theirs"]


def test_full_mode_adds_block_properties_and_blocks_mode_takes_a_mode_per_block(server):
    job_id = submit(server, numeric_job(blocks=[]) | {"blocks": numeric_job()["blocks"] * 2})
    listed = ask(server, {"get": {"type": "jobs", "ids": [job_id]}})["jobs"][0]["blocks"][0]
    assert "command" not in listed and listed["p_tasks_ready"] == 4
    assert job_info(server, job_id)["blocks"][0]["command"] == "echo @#@"
    request = {"type": "jobs", "ids": [job_id], "block_ids": [0, 1], "mode": ["progress", "full"]}
    progress, full = ask(server, {"get": request})["blocks"]
    assert "name" not in progress and progress["p_progressbar"] == "r" * 128
    assert full["command"] == "echo @#@" and full["block_num"] == 1


def test_task_requests_answer_with_afservers_task_objects(server):
    job_id = submit(server, numeric_job(files=[]) | {"blocks": [numeric_job()["blocks"][0]]})
    task = {"type": "jobs", "ids": [job_id], "block_ids": [0], "task_ids": [2]}
    info = ask(server, {"get": {**task, "mode": "info"}})["task"]
    assert info["type"] == "TExec" and info["exec"]["frame_start"] == 3
    assert info["progress"] == {"state": " RDY", "st": 1}
    assert ask(server, {"get": {**task, "mode": "files"}})["task_files"]["files"] == []
    bad = ask(server, {"get": {**task, "task_ids": [99], "mode": "output"}})["task"]
    assert bad["data"] == "ERROR: Invalid block and task numbers"


def test_job_progress_log_and_error_hosts(server):
    job_id = submit(server, numeric_job())
    progress = ask(server, {"get": {"type": "jobs", "ids": [job_id], "mode": "progress"}})
    assert progress["job_progress"]["progress"] == [[{"state": " RDY", "st": 1}] * 4]
    log = ask(server, {"get": {"type": "jobs", "ids": [job_id], "mode": "log"}})["message"]
    assert log["type"] == "log" and log["list"][0].endswith("Initialized.")
    hosts = ask(server, {"get": {"type": "jobs", "ids": [job_id], "mode": "error_hosts"}})
    assert hosts["message"]["list"] == ["Block['b'] error hosts:"]


def test_the_local_worker_is_one_render_named_after_the_host(server):
    render = ask(server, {"get": {"type": "renders"}})["renders"][0]
    assert (render["id"], render["name"], render["state"]) == (1, server.render_name, " OFF")
    prefix = server.render_name[:1]
    assert ask(server, {"get": {"type": "renders", "mask": prefix}})["renders"]
    assert ask(server, {"get": {"type": "renders", "mask": "nosuchhost"}}) == {"renders": []}
    full = ask(server, {"get": {"type": "renders", "ids": [1], "mode": "full"}})["object"]
    assert full["render"]["name"] == server.render_name and full["host_resources"]["cpu_num"] >= 1


def test_unknown_get_type(server):
    assert ask(server, {"get": {"type": "bogus"}}) == {
        "info": {"kind": "error", "text": "Invalid get type = 'bogus'"}
    }


# -- actions ---------------------------------------------------------------------------------


def test_pause_start_and_priority_change_the_job(server):
    job_id = submit(server, numeric_job())
    action(server, "jobs", ids=[job_id], operation="pause")
    assert (job_info(server, job_id)["st"], job_info(server, job_id)["state"]) == (513, " RDY OFF")
    action(server, "jobs", ids=[job_id], operation="start")
    action(server, "jobs", ids=[job_id], params={"priority": 42})
    info = job_info(server, job_id)
    assert (info["state"], info["priority"]) == (" RDY", 42)


def test_block_actions_skip_restart_and_edit_chosen_tasks_and_blocks(server):
    job_id = submit(server, numeric_job())
    skip = {"type": "skip", "task_ids": [1, 2]}
    action(server, "jobs", ids=[job_id], block_ids=[0], operation=skip)
    assert task_states(server, job_id) == [[" RDY", " DON SKP", " DON SKP", " RDY"]]
    restart = {"type": "restart", "task_ids": [2]}
    action(server, "jobs", ids=[job_id], block_ids=[0], operation=restart)
    assert task_states(server, job_id) == [[" RDY", " DON SKP", " RDY", " RDY"]]
    action(server, "jobs", ids=[job_id], block_ids=[-1], params={"errors_retries": 0, "command": 5})
    block = job_info(server, job_id)["blocks"][0]
    assert (block["errors_retries"], block["command"]) == (0, "echo @#@")


def test_a_job_waiting_for_its_time_says_so(server):
    job_id = submit(server, numeric_job(time_wait=2**40))
    assert job_state(server, job_id) == " WTM"


def test_action_masks_must_match_the_whole_name(server):
    submit(server, numeric_job("timing 1"))
    assert action(server, "jobs", mask="timing", operation="delete") == {
        "info": {"kind": "error", "text": "Jobs: No node matches 'timing' found."}
    }
    assert action(server, "jobs", mask="timing.*", operation="delete") == {
        "info": {"kind": "log", "text": "Action processed."}
    }
    assert names(ask(server, {"get": {"type": "jobs"}})) == []


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ({"type": "jobs", "ids": [3], "host_name": "vm", "operation": {"type": "delete"}},
         'Action should have a not empty "user_name" string.'),
        ({"type": "jobs", "user_name": "root", "host_name": "vm", "operation": {"type": "delete"}},
         "JSON action should have nodes ids or mask to operate with."),
        ({"type": "bogus", "ids": [1], "user_name": "root", "host_name": "vm"},
         "Action has unknown type: 'bogus'"),
        ({"type": "jobs", "ids": [9999], "user_name": "root", "host_name": "vm"},
         "Action node ID not found: 9999."),
    ],
    ids=["no user_name", "no ids or mask", "unknown type", "unknown id"],
)  # fmt: skip
def test_action_errors_have_afservers_texts(server, body, text):
    assert ask(server, {"action": body}) == {"info": {"kind": "error", "text": text}}


def test_render_nimby_and_free_and_user_priority(server):
    action(server, "renders", mask=server.render_name, params={"nimby": True})
    render = ask(server, {"get": {"type": "renders"}})["renders"][0]
    assert (render["st"], render["state"]) == (2, " OFF NbY")
    action(server, "renders", ids=[1], params={"nimby": False})
    assert ask(server, {"get": {"type": "renders"}})["renders"][0]["state"] == " OFF"
    action(server, "users", ids=[1], params={"priority": 150})
    assert ask(server, {"get": {"type": "users", "ids": [1]}})["users"][0]["priority"] == 150


def test_other_documents_are_invalid_actions_and_bad_json_says_where(server):
    assert ask(server, {"foo": {"bar": 1}}) == {
        "info": {"kind": "error", "text": "Invalid action."}
    }
    reply = exchange(server, frame(b'{"get":{"type":"jobs"}'))
    assert json.loads(reply[reply.index(b"{") :])["info"]["text"] == (
        "Missing a comma or '}' after an object member. (at character 22 of 22):\n"
    )


# -- framing ---------------------------------------------------------------------------------


GET_JOBS = b'{"get":{"type":"jobs"}}'


def test_size_zero_header(server):
    reply = exchange(server, b"AFANASY 0 JSON" + GET_JOBS)
    assert b'"text":"TInvalid message received."' in reply


def test_bytes_before_the_body_are_skipped(server):
    assert b'"jobs":[' in exchange(server, b"AFANASY 23 JSON " + GET_JOBS)


def test_only_the_declared_bytes_are_parsed(server):
    reply = exchange(server, b"AFANASY 10 JSON" + GET_JOBS)
    assert b"Missing a closing quotation mark in string. (at character 10 of 10)" in reply


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"afanasy 23 json" + GET_JOBS,
        b"AFANASY 100 JSON" + GET_JOBS,
        b"AFANASY 3 JSON\xff\xfe\xfd",
        b"POST / HTTP/1.1\r\nContent-Length: 23\r\n\r\n" + GET_JOBS,
    ],
    ids=["lower-case header", "short body", "no body brace", "POST without AFANASY header"],
)
def test_requests_afserver_does_not_answer_are_closed_without_a_reply(server, request_bytes):
    assert exchange(server, request_bytes) == b""


def test_a_header_followed_by_endless_junk_is_dropped_not_buffered(server):
    with connect(server) as sock:
        sock.sendall(b"AFANASY 5 JSON" + b"x" * 100_000)
        with contextlib.suppress(ConnectionResetError):  # closed with junk unread: no reply either
            assert sock.recv(100) == b""


def test_raw_json_without_header_gets_the_binary_version_mismatch(server):
    assert exchange(server, GET_JOBS) == bytes.fromhex("000000510000000100000001")


def test_only_the_first_message_on_a_connection_is_answered(server):
    users = frame(b'{"get":{"type":"users","ids":[1]}}')
    reply = exchange(server, users + frame(GET_JOBS))
    assert reply.count(b"AFANASY ") == 1 and b'"users"' in reply


def test_http_post_with_afanasy_header_in_any_case(server):
    for header in ("AFANASY", "afanasy"):
        request = f"POST / HTTP/1.1\r\nHost: x\r\n{header}: 23\r\n\r\n".encode() + GET_JOBS
        reply = exchange(server, request)
        head, body = reply.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 200 OK") and b"Content-Type: application/json" in head
        assert json.loads(body)["jobs"][0]["name"] == "afanasy"


def test_http_get_serves_the_version_and_a_page_saying_what_this_is(server):
    version = exchange(server, b"GET /version.txt HTTP/1.1\r\nHost: x\r\n\r\n")
    assert version.startswith(b"HTTP/1.1 200 OK") and version.endswith(b"\r\n\r\n3.4.1\n")
    page = exchange(server, b"GET / HTTP/1.1\r\n\r\n")
    assert b"not a farm manager" in page
    assert exchange(server, b"GET /nope HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 404")


def test_the_server_closes_after_replying_and_survives_clients_that_close_first(server):
    with connect(server) as sock:
        sock.sendall(frame(GET_JOBS))
        body = read_message(sock.recv)
        assert sock.recv(10) == b""  # closed by the server, no lingering spaces
    assert b'"jobs"' in body
    for _ in range(5):
        with connect(server) as sock:
            sock.sendall(frame(encode_body(numeric_job())))
            sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
    assert ask(server, {"get": {"type": "users"}})["users"][0]["name"] == "afadmin"
