"""Whatever reaches `afcmd json` / `afcmd v json`, the answer is an exit code, not a traceback."""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from afcore.cli.afcmd import main

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)
block_keys = st.sampled_from(
    ["name", "flags", "frame_first", "frame_last", "frames_per_task", "frames_inc", "tasks"]
) | st.sampled_from(["command", "files", "working_directory", "hosts_mask"])
job_keys = st.sampled_from(["name", "blocks", "priority", "hosts_mask", "offline", "extra_key"])
blocks = st.lists(st.dictionaries(block_keys, json_values, max_size=6) | json_values, max_size=3)
job_like = st.one_of(
    json_values,
    st.dictionaries(job_keys, json_values, max_size=4),
    st.fixed_dictionaries({"blocks": blocks}, optional={"name": json_values}),
).map(lambda body: {"job": body})


def run_afcmd(argv: list[str], data: bytes) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data))
    with mock.patch.object(sys, "stdin", stdin), redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@st.composite
def mutated_json(draw) -> bytes:
    """Valid JSON with one character deleted, inserted or the text cut short."""
    text = json.dumps(draw(json_values))
    where = draw(st.integers(0, len(text)))
    how = draw(st.sampled_from(["delete", "insert", "truncate"]))
    if how == "delete":
        text = text[:where] + text[where + 1 :]
    elif how == "insert":
        text = text[:where] + draw(st.sampled_from(list('{}[],:"\\ \ttfn0-.eE'))) + text[where:]
    else:
        text = text[:where]
    return text.encode()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=60) | st.text(max_size=60).map(str.encode) | mutated_json())
def test_syntax_check_answers_every_input_with_0_or_1(data):
    code, out, err = run_afcmd(["json", "-"], data)
    assert code in (0, 1)
    assert out == ""
    if code == 0:
        assert err == ""
    else:
        assert err.startswith("<stdin>:") and "Traceback" not in err


@settings(max_examples=150, deadline=None)
@given(job_like)
def test_verbose_tree_describes_any_json_document_without_crashing(document):
    code, out, err = run_afcmd(["v", "json", "-"], json.dumps(document).encode())
    assert code in (0, 1)
    assert "Traceback" not in err
    if not isinstance(document["job"], dict):
        assert (code, out) == (1, "") and err.startswith("Not a job: a job is a JSON object")
        return
    assert out.startswith("Job ")
    assert ("No problems found." in out) == (code == 0)
    assert ("Problems (" in out) == (code == 1)


def test_valid_json_is_silent_and_exits_0():
    assert run_afcmd(["json", "-"], b'{"job": {"name": "a"}}') == (0, "", "")


def test_tasks_at_the_job_level_are_described_as_an_unknown_setting():
    _, out, _ = run_afcmd(["v", "json", "-"], b'{"job": {"name": "a", "tasks": []}}')
    assert out.startswith('Job "a"')
