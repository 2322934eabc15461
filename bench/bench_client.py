"""How much the client costs per submission, next to a raw socket sending the same bytes.

Submits a 10-block job 200 times with ``Client.submit`` (validation,
serialisation, framing, connect, send, read the framed reply, close) and sends
the same bytes 200 times through a bare socket (connect, sendall, read the
exact reply, close), alternating the two in one run so that both meet the same
machine state. A third and fourth variant split the difference: the raw socket
encoding the document itself, and ``Client.request`` with the ready document.
The server is a tiny threaded one answering ``{"id":N,"serial":N}`` framed,
running in its own process like afserver (so that it does not compete with the
client for the GIL) and, like afserver, keeping each connection until the
client closes it.

Also times the client's own steps on that job (validate, to_dict, encode) so
that the overhead can be read off. Target: client within 10% of the raw socket.

    python bench/bench_client.py            # writes bench/results/client.json
"""

from __future__ import annotations

import contextlib
import socket
import statistics
import subprocess
import sys
import threading
import time
import timeit
from typing import Callable, Iterator

import benchlib

from afcore import validate
from afcore.client import Client
from afcore.job import Block, Job
from afcore.wire import encode_body, frame, parse_header

SUBMISSIONS = 200
WARM_UP = 20
TARGET_PERCENT = 10.0
NOTES = (
    "raw_socket_encoding is the raw socket encoding the document each time (json.dumps). "
    "client_request sends the same document through Client.request (encode, frame, connect, "
    "send, read the framed reply under one deadline, parse); client_submit adds "
    "validate.check and Job.to_dict per submission, whose cost client_steps_us shows "
    "(timeit, best of 5). derived_us comes from the medians."
)


def ten_block_job() -> Job:
    """A Nuke-like job: ten Write nodes, frames 1-100 in tasks of 10."""
    job = Job(name="shot010_comp_v012", user_name="jimmy", host_name="ws01", priority=99)
    job.hosts_mask = "render.*"
    for index in range(10):
        block = Block(
            name=f"Write{index + 1}",
            service="nuke",
            parser="nuke",
            command=f"nuke -i -X Write{index + 1} -F @#@-@#@x1 -x /shots/010/comp_v012.tmp.nk",
            working_directory="/shots/010",
            capacity=1000,
            files=[f"/shots/010/out/write{index + 1}/comp.@####@.exr"],
        )
        block.set_numeric(1, 100, 10, 1)
        job.blocks.append(block)
    return job


class AnsweringServer:
    """Answers every request with a fresh ``{"id": N, "serial": N}``, one thread per connection."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.listener.getsockname()[1]
        self.count = 0

    def serve_forever(self) -> None:
        while True:
            connection, _ = self.listener.accept()
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            read_framed(connection)
            self.count += 1
            connection.sendall(frame(b'{\n"id":%d,\n"serial":%d\n}' % (self.count, self.count)))
            while connection.recv(1 << 16):  # like afserver: the client closes first
                pass


def serve() -> int:
    """The server process: print the port, answer until the parent closes our stdin."""
    server = AnsweringServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.port, flush=True)
    sys.stdin.read()
    return 0


@contextlib.contextmanager
def server_process() -> Iterator[int]:
    """The answering server in its own process, like afserver: it competes for no GIL."""
    command = [sys.executable, __file__, "--serve"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdin is not None and child.stdout is not None
        try:
            yield int(child.stdout.readline())
        finally:
            child.stdin.close()
            child.wait(timeout=10)


def read_framed(sock: socket.socket) -> None:
    """Read one complete ``AFANASY <n> JSON`` message in as few system calls as possible."""
    data = b""
    while True:
        data += sock.recv(1 << 16)
        size, offset = parse_header(data)
        if size >= 0 and len(data) - offset >= size:
            return


def raw_submit(port: int, payload: bytes) -> None:
    """The least a client can do: connect, send, read exactly the framed reply, close."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(payload)
        read_framed(sock)


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def summary(seconds: list[float]) -> dict[str, float]:
    micro = [value * 1e6 for value in seconds]
    return {
        "mean_us": round(statistics.mean(micro), 1),
        "median_us": round(statistics.median(micro), 1),
        "min_us": round(min(micro), 1),
        "stdev_us": round(statistics.stdev(micro), 1),
    }


def step_costs(job: Job) -> dict[str, float]:
    """Microseconds per call of each CPU step ``Client.submit`` takes before the network."""
    document = job.to_dict()
    steps = {
        "validate.check": lambda: validate.check(job),
        "Job.to_dict": job.to_dict,
        "wire.encode_body": lambda: encode_body(document),
    }
    return {
        name: round(min(timeit.repeat(step, number=500, repeat=5)) / 500 * 1e6, 1)
        for name, step in steps.items()
    }


def overhead(measured: dict[str, float], raw: dict[str, float]) -> dict[str, float]:
    """Percent over the raw socket, by mean and by median."""
    return {
        kind: round((measured[f"{kind}_us"] / raw[f"{kind}_us"] - 1) * 100, 1)
        for kind in ("mean", "median")
    }


def measure(variants: dict[str, Callable[[], object]]) -> dict[str, dict[str, float]]:
    """Run the variants in turn, SUBMISSIONS times each, so that all meet the same machine state."""
    for _ in range(WARM_UP):
        for call in variants.values():
            call()
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(SUBMISSIONS):
        for name, call in variants.items():
            times[name].append(timed(call))
    return {name: summary(values) for name, values in times.items()}


def report(results: dict) -> str:
    job, steps = results["job"], results["client_steps_us"]
    lines = [
        f"{job['blocks']}-block job ({job['request_bytes']} bytes), {results['submissions']} "
        f"submissions each; {results['machine']}, Python {results['python']}",
    ]
    for name, label in (
        ("raw_socket", "raw socket         "),
        ("raw_socket_encoding", "raw socket + encode"),
        ("client_request", "Client.request     "),
        ("client_submit", "Client.submit      "),
    ):
        stats = results[name]
        line = f"  {label}  median {stats['median_us']:7.1f} us  mean {stats['mean_us']:7.1f} us"
        if name in results["overhead_percent"]:
            extra = results["overhead_percent"][name]
            line += f"  overhead {extra['median']:+.1f}% (median) {extra['mean']:+.1f}% (mean)"
        lines.append(line)
    verdict = "met" if results["meets_target"] else "NOT met"
    lines.append(f"  target: Client.submit within {results['target_percent']:.0f}%: {verdict}")
    lines.append("  submit's own steps: " + ", ".join(f"{k} {v} us" for k, v in steps.items()))
    derived = results["derived_us"]
    lines.append(
        f"  transport path beyond the raw socket: {derived['transport_path']} us "
        f"({derived['transport_path_percent_of_raw']}% of it); "
        f"validation + to_dict in the loop: {derived['validation_and_to_dict']} us"
    )
    return "\n".join(lines)


def main() -> int:
    job = ten_block_job()
    document = job.to_dict()
    payload = frame(encode_body(document))
    with server_process() as port:
        client = Client("127.0.0.1", port, user_name="jimmy", host_name="ws01")
        stats = measure(
            {
                "raw_socket": lambda: raw_submit(port, payload),
                "raw_socket_encoding": lambda: raw_submit(port, frame(encode_body(document))),
                "client_request": lambda: client.request(document),
                "client_submit": lambda: client.submit(job),
            }
        )
    overheads = {
        name: overhead(stats[name], stats["raw_socket"])
        for name in ("client_submit", "client_request")
    }
    steps = step_costs(job)
    raw, raw_encoding, request, submit = (
        stats[name]["median_us"]
        for name in ("raw_socket", "raw_socket_encoding", "client_request", "client_submit")
    )
    results = {
        "benchmark": "10-block job: Client.submit vs a raw socket sending the same bytes",
        **benchlib.environment(),
        "submissions": SUBMISSIONS,
        "job": {
            "blocks": len(job.blocks),
            "tasks": job.task_count(),
            "request_bytes": len(payload),
        },
        **stats,
        "overhead_percent": overheads,
        "target_percent": TARGET_PERCENT,
        "meets_target": max(overheads["client_submit"].values()) <= TARGET_PERCENT,
        "client_steps_us": steps,
        "derived_us": {
            # what Client.request adds to a raw socket that encodes the same document
            "transport_path": round(request - raw_encoding, 1),
            "transport_path_percent_of_raw": round((request - raw_encoding) / raw * 100, 1),
            # what Client.submit adds to Client.request: validation and the job's dict
            "validation_and_to_dict": round(submit - request, 1),
        },
        "notes": NOTES,
    }
    written = benchlib.write_results("client", results)
    print(report(results))
    print(f"  written to {written}")
    return 0


if __name__ == "__main__":
    sys.exit(serve() if sys.argv[1:] == ["--serve"] else main())
