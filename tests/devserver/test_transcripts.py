"""Every recorded afserver exchange, replayed against the devserver: same kind of reply, same shape.

The request bytes of each transcript in ``shared/protocol/transcripts`` go to one
devserver, in name order, after a set-up that recreates what the recorded server
held (ids matter: job 3 is a finished render, user 3 is jimmy, job 4 his job).
Each reply must have the recorded reply's framing, top-level members and error
texts, and every object in it must fit what afserver showed at that place: its
always-present keys, no key afserver never wrote there, values of the same types.

Adapted, because their meaning depends on the recorded server's history:
- a request naming a job by the id the recorded server gave a submission
  (``*_followup_*``, ``e5``) names the id the devserver gave that submission;
- a request the released afserver crashed on is compared with the
  ``*__patched_server`` reply (the devserver must not crash either);
- a request afserver left unanswered until its 12 s receive timeout (``d6b``,
  ``d7c``) is sent and the sending side closed, so "no reply" shows at once;
- afserver lingers ~10 s after replying; the devserver closes at once (both are
  valid for clients, which read exactly the announced size).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from afcore.wire import frame
from devserver.talk import action, exchange, job_state, submit
from shared_data import TRANSCRIPTS
from waiting import wait_for

pytest_plugins = ["devserver_fixture"]

#: In name order, except that a follow-up comes after the submission it follows.
RECORDINGS = sorted(
    TRANSCRIPTS.glob("*.json"), key=lambda path: path.name.replace("_followup", "_~")
)
_SUBMISSION_OF = {"e5_action_delete_big_jobs": ("e1_", "e2_", "e3_")}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def raw(recording: dict[str, Any], which: str) -> bytes:
    encoded = recording["meta"].get(f"{which}_b64")
    return base64.b64decode(encoded) if encoded else recording[which].encode("utf-8")


# -- what afserver's replies look like, learnt from all of them --------------------------------


#: Places that hold the same kind of object (a render's full view holds a render).
_SAME_AS = {"object.render": "renders.*"}


def objects(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every JSON object in a reply with its path (list positions as ``*``)."""
    if isinstance(value, dict):
        yield _SAME_AS.get(path, path), value
        for key, item in value.items():
            yield from objects(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            yield from objects(item, f"{path}.*")


def json_of(reply: bytes) -> Any:
    if reply.startswith(b"HTTP/"):
        return json.loads(reply.split(b"\r\n\r\n", 1)[1])
    size, start = int(reply.split(b" ")[1]), reply.index(b"{")
    return json.loads(reply[start : start + size].decode("utf-8", "surrogateescape"))


def is_json_http(reply: bytes) -> bool:
    return reply.startswith(b"HTTP/") and b"application/json" in reply.split(b"\r\n\r\n")[0]


def learn_shapes() -> dict[str, tuple[set[str], set[str], dict[str, set[str]]]]:
    """Per path: keys always present, keys ever present, and the JSON types of each key."""
    shapes: dict[str, tuple[set[str], set[str], dict[str, set[str]]]] = {}
    for path in RECORDINGS:
        reply = raw(load(path), "response")
        if not reply.startswith(b"AFANASY") and not is_json_http(reply):
            continue
        for where, found in objects(json_of(reply)):
            always, ever, types = shapes.setdefault(where, (set(found), set(), {}))
            always &= set(found)
            ever |= set(found)
            for key, value in found.items():
                types.setdefault(key, set()).add(type(value).__name__)
    return shapes


SHAPES = learn_shapes()


def assert_same_shape(ours: Any, recorded: Any, name: str) -> None:
    assert isinstance(ours, dict), f"{name}: not a JSON object: {ours!r}"
    assert ours.keys() == recorded.keys(), f"{name}: top-level members differ"
    if "info" in recorded:
        assert ours["info"] == recorded["info"], f"{name}: another answer than afserver's"
    if "error" in recorded:
        assert ours == recorded
    for where, found in objects(ours):
        assert where in SHAPES, f"{name}: afserver never answers with an object at {where!r}"
        always, ever, types = SHAPES[where]
        assert always <= found.keys(), f"{name}: {where} lacks {sorted(always - found.keys())}"
        assert found.keys() <= ever, f"{name}: {where} has {sorted(found.keys() - ever)}"
        for key, value in found.items():
            assert type(value).__name__ in types[key], f"{name}: {where}.{key} = {value!r}"


# -- the recorded server's state ---------------------------------------------------------------


@pytest.fixture(scope="module")
def replay_server(tmp_path_factory):
    """A devserver holding what the recorded server held when the transcripts were taken."""
    from afcore.devserver import DevServer

    folder = tmp_path_factory.mktemp("transcripts")
    with DevServer(port=0, store=folder / "store", workers=1) as server:
        root = {"user_name": "root", "host_name": "vm"}
        numeric = {"flags": 1, "frame_first": 1, "frame_last": 10, "frames_per_task": 2}
        smoke = {"name": "smoke", "command": "echo smoke @#@", **numeric}
        submit(server, {"name": "af.py smoke job", "offline": True, "blocks": [smoke], **root})
        frames = {"name": "frames", "command": "echo frame @#@-@#@", "parser": "generic", **numeric}
        frames["working_directory"] = str(folder)
        rendered = submit(server, {"name": "render test echo+python", "blocks": [frames], **root})
        wait_for(lambda: job_state(server, rendered) == " DON", what="job 3 rendered")
        action(server, "renders", ids=[1], operation="exit")  # nothing else runs from here on
        seed = raw(load(TRANSCRIPTS / "a_minimal_job_seed_with_numeric_flag.json"), "request")
        submit(server, json.loads(seed[seed.index(b"{") :])["job"])
        submit(server, {"name": "timing 1", "blocks": [smoke], **root})
        yield server


def adapted_request(name: str, request: bytes, given_ids: dict[str, int]) -> bytes:
    """The request, naming the devserver's ids where the recorded one named its own."""
    prefixes = _SUBMISSION_OF.get(name, ())
    if "_followup_" in name:
        prefixes = (name.split("_followup_")[0] + "_",)
    if not prefixes:
        return request
    ids = [given for submitted, given in given_ids.items() if submitted.startswith(prefixes)]
    body = request[request.index(b"{") :]
    body = re.sub(rb'"ids":\[[0-9,]*\]', b'"ids":' + json.dumps(ids).encode(), body)
    return frame(body)


@pytest.fixture(scope="module")
def given_ids() -> dict[str, int]:
    """The job id the devserver gave each transcript's submission."""
    return {}


@pytest.mark.parametrize("path", RECORDINGS, ids=[path.stem for path in RECORDINGS])
def test_every_transcript_gets_a_reply_of_the_recorded_shape(replay_server, given_ids, path):
    recording = load(path)
    name = path.stem
    request = adapted_request(name, raw(recording, "request"), given_ids)
    ours = exchange(replay_server, request)
    if recording["meta"].get("server_crashed"):
        recording = load(path.with_name(f"{name}__patched_server.json"))
    recorded = raw(recording, "response")
    if not recorded:
        assert ours == b"", f"{name}: afserver sent nothing, the devserver sent {ours[:80]!r}"
    elif recorded.startswith(b"HTTP/"):
        assert ours.split(b"\r\n", 1)[0] == recorded.split(b"\r\n", 1)[0]
        if is_json_http(recorded):
            assert_same_shape(json_of(ours), json_of(recorded), name)
        else:
            assert ours.split(b"\r\n\r\n", 1)[1] == recorded.split(b"\r\n\r\n", 1)[1]
    elif recorded.startswith(b"AFANASY"):
        assert ours.startswith(b"AFANASY "), f"{name}: not a framed reply: {ours[:80]!r}"
        assert len(ours) == ours.index(b"{") + int(ours.split(b" ")[1]), f"{name}: one reply only"
        reply = json_of(ours)
        assert_same_shape(reply, json_of(recorded), name)
        if reply.get("id"):
            given_ids[name] = reply["id"]
    else:
        assert ours == recorded[:12], f"{name}: not afserver's binary answer"
