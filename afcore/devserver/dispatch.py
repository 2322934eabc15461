"""One message body in, one reply document out: afserver's routing of a JSON message.

A ``get`` object is a query; then a member ``action`` is an action and ``job``
a submission; anything else goes to the action parser and is an
``"Invalid action."``. A job afserver would refuse gets the reply of a server
with its registration crash fixed: ``{"id":0,"serial":0,"error":"Invalid job."}``.
"""

from __future__ import annotations

import json

from . import actions, queries
from .farm import Farm
from .intake import read_job
from .replies import JsonDict, error, parse_error

INVALID_JOB: JsonDict = {"id": 0, "serial": 0, "error": "Invalid job."}


def respond(farm: Farm, body: bytes) -> JsonDict:
    if not body:
        return error("TInvalid message received.")
    text = body.decode("utf-8", "surrogateescape")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as problem:
        return parse_error(text, problem)
    if not isinstance(document, dict):
        return error("Invalid action.")
    if isinstance(document.get("get"), dict):
        return queries.get(farm, document["get"])
    if "action" in document:
        return actions.act(farm, document["action"])
    if "job" in document:
        return submit(farm, document["job"])
    return error("Invalid action.")


def submit(farm: Farm, body: object) -> JsonDict:
    spec = read_job(body, farm.now())
    if spec is None:
        return dict(INVALID_JOB)
    job = farm.submit(spec)
    return {"id": job.id, "serial": job.serial}
