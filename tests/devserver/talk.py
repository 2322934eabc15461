"""Talking to a devserver in tests: replies exactly as sent, errors included, nothing raised.

:func:`ask` sends one document and returns the reply document; :func:`exchange`
sends raw bytes and returns every byte until the server closes; the rest are
short-hands for common requests. (To wait for a job's state, see ``tests/waiting.py``.)
"""

from __future__ import annotations

import json
import socket
from typing import Any

from afcore.devserver import DevServer
from afcore.wire import encode_body, frame, read_message


def connect(server: DevServer, timeout: float = 5.0) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)


def ask(server: DevServer, document: dict[str, Any]) -> dict[str, Any]:
    """One framed exchange: the reply document, whatever it says."""
    with connect(server) as sock:
        sock.sendall(frame(encode_body(document)))
        return json.loads(read_message(sock.recv))


def exchange(server: DevServer, data: bytes, close_write: bool = True) -> bytes:
    """Send raw ``data`` and return all the server sends until it closes the connection."""
    with connect(server) as sock:
        sock.sendall(data)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return received
            received += chunk


def submit(server: DevServer, job: dict[str, Any]) -> int:
    """Submit a job object (the value of ``"job"``) and return its id."""
    reply = ask(server, {"job": job})
    assert reply.get("id", 0) > 0, f"job refused: {reply}"
    return int(reply["id"])


def job_info(server: DevServer, job_id: int) -> dict[str, Any]:
    """The job's entry of a ``"mode":"full"`` get request."""
    return ask(server, {"get": {"type": "jobs", "ids": [job_id], "mode": "full"}})["jobs"][0]


def job_state(server: DevServer, job_id: int) -> str:
    return str(job_info(server, job_id).get("state", ""))


def task_states(server: DevServer, job_id: int) -> list[list[str]]:
    """Each block's tasks' state texts (``" DON"``, ``" RDY"``...)."""
    reply = ask(server, {"get": {"type": "jobs", "ids": [job_id], "mode": "progress"}})
    return [[task["state"] for task in block] for block in reply["job_progress"]["progress"]]


def action(server: DevServer, kind: str, **fields: Any) -> dict[str, Any]:
    """An action signed by ``tester@testhost`` (``ids=[..]`` or ``mask=...``, ``operation=...``)."""
    body: dict[str, Any] = {"type": kind, "user_name": "tester", "host_name": "testhost"}
    if isinstance(fields.get("operation"), str):
        fields["operation"] = {"type": fields["operation"]}
    body.update(fields)
    return ask(server, {"action": body})
