"""How many jobs a second the devserver registers, and how much memory it holds for them.

The devserver runs as its own process (``python -m afcore.devserver`` with a store
folder, no workers), like afserver would; this script is the client. It sends
1,000 submissions of a 10-block job (10 frames a block), one request per
connection, the bytes encoded beforehand so that only the exchange is timed;
then one 100,000-frame job, and reads back its progress and the list of all jobs.
Memory is the server process's resident set (``VmRSS``/``VmHWM`` from /proc,
Linux only), plus the Python heap its farm keeps per job, measured in this
process with tracemalloc on an in-memory devserver.

Results go to bench/results/devserver.json.

Run: ``.venv/bin/python bench/bench_devserver.py [--jobs N]``
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any, Optional

import benchlib

benchlib.use_checkout()

from afcore.wire import encode_body, frame, read_message  # noqa: E402

BLOCKS = 10
BIG_FRAMES = 100_000


def ten_block_job(number: int) -> dict[str, Any]:
    blocks = [
        {
            "name": f"block_{b:02d}",
            "flags": 1,
            "service": "generic",
            "command": f"echo block {b} frame @#@",
            "frame_first": 1,
            "frame_last": 10,
            "working_directory": "/tmp",
        }
        for b in range(BLOCKS)
    ]
    return {"job": {"name": f"bench {number}", "user_name": "bench", "blocks": blocks}}


def big_job() -> dict[str, Any]:
    block = {"name": "frames", "flags": 1, "command": "echo @#@", "frame_last": BIG_FRAMES}
    return {"job": {"name": "big", "user_name": "bench", "blocks": [{**block, "frame_first": 1}]}}


def exchange(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(payload)
        return read_message(sock.recv)


def timed(port: int, document: dict[str, Any]) -> tuple[float, bytes]:
    payload = frame(encode_body(document))
    start = time.perf_counter()
    reply = exchange(port, payload)
    return time.perf_counter() - start, reply


def memory_mb(pid: int, field: str) -> Optional[float]:
    """A /proc/<pid>/status memory field (VmRSS, VmHWM) in MiB; None where there is no /proc."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def start_server(store: Path) -> tuple[subprocess.Popen[str], int]:
    command = [sys.executable, "-m", "afcore.devserver", "--port", "0", "--store", str(store), "-q"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=benchlib.ROOT)
    banner = process.stdout.readline() if process.stdout else ""
    port = int(banner.split(",")[0].rsplit(":", 1)[1])
    return process, port


def serve_and_measure(jobs: int) -> dict[str, Any]:
    store = Path(tempfile.mkdtemp(prefix="bench-devserver-"))
    process, port = start_server(store / "store")
    try:
        results: dict[str, Any] = {"rss_mb": {"idle": memory_mb(process.pid, "VmRSS")}}
        payloads = [frame(encode_body(ten_block_job(n))) for n in range(jobs)]
        latencies = []
        started = time.perf_counter()
        for payload in payloads:
            begin = time.perf_counter()
            exchange(port, payload)
            latencies.append(time.perf_counter() - begin)
        elapsed = time.perf_counter() - started
        results["submissions"] = {
            "jobs": jobs,
            "blocks_per_job": BLOCKS,
            "seconds": round(elapsed, 3),
            "per_second": round(jobs / elapsed, 1),
            "latency_ms_median": round(statistics.median(latencies) * 1000, 3),
            "latency_ms_p95": round(sorted(latencies)[int(jobs * 0.95) - 1] * 1000, 3),
        }
        results["rss_mb"][f"after_{jobs}_jobs"] = memory_mb(process.pid, "VmRSS")

        submit_s, reply = timed(port, big_job())
        big_id = json.loads(reply)["id"]
        results["rss_mb"]["after_100k_frame_job"] = memory_mb(process.pid, "VmRSS")
        progress_s, progress = timed(
            port, {"get": {"type": "jobs", "ids": [big_id], "mode": "progress"}}
        )
        listing_s, listing = timed(port, {"get": {"type": "jobs"}})
        results["job_100k_frames"] = {
            "submit_ms": round(submit_s * 1000, 2),
            "progress_ms": round(progress_s * 1000, 1),
            "progress_reply_kb": len(progress) // 1024,
        }
        results["list_all_jobs"] = {
            "jobs": jobs + 2,
            "ms": round(listing_s * 1000, 1),
            "reply_kb": len(listing) // 1024,
        }
        results["rss_mb"]["peak"] = memory_mb(process.pid, "VmHWM")
        return results
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def python_heap_per_job(jobs: int) -> dict[str, float]:
    """KiB of Python objects an in-memory devserver keeps per 10-block job and for the big job."""
    from afcore.devserver.dispatch import respond
    from afcore.devserver.farm import Farm
    from afcore.devserver.model import Render
    from afcore.devserver.store import Store

    farm = Farm(Store(None), Render("bench", "bench", 0))
    bodies = [encode_body(ten_block_job(n)) for n in range(jobs)]
    big = encode_body(big_job())
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for body in bodies:
        respond(farm, body)
    after_jobs = tracemalloc.get_traced_memory()[0]
    respond(farm, big)
    after_big = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {
        "per_10_block_job_kb": round((after_jobs - before) / jobs / 1024, 1),
        "job_100k_frames_kb": round((after_big - after_jobs) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1000)
    options = parser.parse_args()
    results = {
        **benchlib.environment(),
        "note": "server in its own process with a store folder; client and server share the cores",
        **serve_and_measure(options.jobs),
        "python_heap": python_heap_per_job(options.jobs),
    }
    benchlib.publish("devserver", results)


if __name__ == "__main__":
    main()
