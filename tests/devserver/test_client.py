"""afcore's own client against the devserver: every typed request gets what it expects."""

from __future__ import annotations

import os

import pytest

from afcore.client import Client, SubmitResult
from afcore.errors import RequestRejected
from afcore.job import Block, Job
from waiting import wait_for

pytest_plugins = ["devserver_fixture"]

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX shell commands")


def client_for(server) -> Client:
    return Client("127.0.0.1", server.port, user_name="tester", host_name="testhost")


def frames_job(name: str, command: str, last: int = 2, **block_fields) -> Job:
    block = Block(name="frames", command=command, **block_fields)
    block.set_numeric(1, last)
    return Job(name=name, user_name="tester", host_name="testhost", blocks=[block])


def test_submit_watch_and_read_outputs(devserver):
    client = client_for(devserver)
    result = client.submit(frames_job("echo", "echo frame @#@"))
    assert result == SubmitResult(2, 1)
    wait_for(lambda: client.get_job(result.id)["state"] == " DON", what="the job done")
    assert [task["state"] for task in client.job_progress(result.id)[0]] == [" DON", " DON"]
    assert client.task_output(result.id, 0, 1) == "frame 2\n"
    with pytest.raises(RequestRejected, match="no task 5 in block 0"):
        client.task_output(result.id, 0, 5)
    assert [job["name"] for job in client.get_jobs(mask="ec")] == ["echo"]


def test_each_run_of_a_retried_task_keeps_its_output(devserver, tmp_path):
    client = client_for(devserver)
    counting = "echo x >> tries; wc -l < tries; exit 1"
    job = frames_job("retried", counting, last=1, errors_retries=1)
    job.blocks[0].working_directory = str(tmp_path)
    job_id = client.submit(job).id
    wait_for(lambda: client.get_job(job_id)["state"] == " ERR", what="the job in error")
    runs = [client.task_output(job_id, 0, 0, number) for number in (0, 1)]
    assert [text.strip() for text in runs] == ["1", "2"]
    assert client.task_output(job_id, 0, 0).strip() == "2"


def test_actions_through_the_client(devserver_factory):
    server = devserver_factory(workers=0)
    client = client_for(server)
    job_id = client.submit(frames_job("shot010 comp", "true")).id
    assert client.pause_jobs(ids=[job_id]) == "Action processed."
    assert client.get_job(job_id)["state"] == " RDY OFF"
    client.set_job_priority(42, mask="shot010.*")
    assert client.get_job(job_id)["priority"] == 42
    with pytest.raises(RequestRejected, match="No node matches 'shot010' found"):
        client.delete_jobs(mask="shot010")
    client.render_nimby(ids=[1])
    assert "NbY" in client.get_renders()[0]["state"]
    client.set_user_priority(150, ids=[2])
    assert client.get_users(ids=[2])[0]["priority"] == 150
    client.delete_jobs(ids=[job_id])
    with pytest.raises(RequestRejected, match="There is no job with id 2"):
        client.get_job(job_id)
