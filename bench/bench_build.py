"""How long building and serialising a job takes, and how much memory it needs.

Three jobs, each built through the afcore model (build, validate, encode the
body that goes on the wire) and through the CGRU-style ``af`` facade (its
setters, then ``output()``'s JSON, which is what ``send()`` would send):

- a 10-block job (numeric blocks, the usual shape of a comp or lighting job),
- one numeric block of 100,000 frames,
- one block of 10,000 explicit tasks.

Time is the best of several runs (perf_counter); memory is the tracemalloc
peak of one more run. Targets: 10,000 explicit tasks built and serialised in
under 0.5 s and 100 MB. Results go to bench/results/build.json.

Run: ``.venv/bin/python bench/bench_build.py [--repeat N]``
"""

from __future__ import annotations

import contextlib
import io
import os
import tracemalloc
from typing import Callable

import benchlib

benchlib.use_checkout()

import af  # noqa: E402
from afcore import validate  # noqa: E402
from afcore.job import Block, Job, Task  # noqa: E402
from afcore.wire import encode_body  # noqa: E402

TARGET_SECONDS = 0.5
TARGET_MB = 100.0
BLOCKS, FRAMES, TASKS = 10, 100_000, 10_000


# --- the jobs, through the afcore model ---


def model_blocks() -> Job:
    job = Job("shot010 lighting", user_name="jimmy", host_name="pc01", priority=99)
    for number in range(BLOCKS):
        block = Block(f"layer{number}", service="nuke", parser="nuke", capacity=1000)
        block.command = f"nuke -X Write{number} -F @#@-@#@ -x /shots/010/comp.nk"
        block.working_directory = "/shots/010"
        block.files = [f"/shots/010/render/layer{number}.@####@.exr"]
        block.set_numeric(1, 240, 10)
        job.blocks.append(block)
    return job


def model_frames() -> Job:
    job = Job("long sim", user_name="jimmy", host_name="pc01", priority=99)
    block = Block("frames", command="render -s @#@ -e @#@", working_directory="/shots/010")
    block.set_numeric(1, FRAMES, 1)
    job.blocks.append(block)
    return job


def model_tasks() -> Job:
    job = Job("explicit tasks", user_name="jimmy", host_name="pc01", priority=99)
    block = Block("tiles", command="render @#@", working_directory="/shots/010")
    block.tasks = [
        Task(f"tile {n}", f"-tile {n} -o /shots/010/tiles/t{n:05d}.exr", [f"tiles/t{n:05d}.exr"])
        for n in range(TASKS)
    ]
    job.blocks.append(block)
    return job


def through_model(build: Callable[[], Job]) -> Callable[[], int]:
    """Build, validate, encode: what a submitter does before the network."""

    def run() -> int:
        job = build()
        validate.check(job)
        return len(encode_body(job.to_dict()))

    return run


# --- the same jobs, through af ---


def af_blocks() -> af.Job:
    job = af.Job("shot010 lighting")
    for number in range(BLOCKS):
        block = af.Block(f"layer{number}", "nuke")
        block.setCommand(f"nuke -X Write{number} -F @#@-@#@ -x /shots/010/comp.nk")
        block.setWorkingDirectory("/shots/010")
        block.setFiles([f"/shots/010/render/layer{number}.@####@.exr"])
        block.setNumeric(1, 240, 10)
        job.blocks.append(block)
    return job


def af_frames() -> af.Job:
    job = af.Job("long sim")
    block = af.Block("frames", "generic")
    block.setCommand("render -s @#@ -e @#@")
    block.setNumeric(1, FRAMES, 1)
    job.blocks.append(block)
    return job


def af_tasks() -> af.Job:
    job = af.Job("explicit tasks")
    block = af.Block("tiles", "generic")
    block.setCommand("render @#@")
    for n in range(TASKS):
        task = af.Task(f"tile {n}")
        task.setCommand(f"-tile {n} -o /shots/010/tiles/t{n:05d}.exr")
        task.setFiles([f"tiles/t{n:05d}.exr"])
        block.tasks.append(task)
    job.blocks.append(block)
    return job


def through_af(build: Callable[[], af.Job]) -> Callable[[], int]:
    """Build with af's setters and print the JSON with ``output()`` (indented, as it shows it)."""

    def run() -> int:
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            build().output()
        return len(text.getvalue().encode("utf-8"))

    return run


# --- measuring ---


def measure(run: Callable[[], int], repeat: int) -> dict[str, float]:
    """Best and median seconds, then the memory peak and the JSON size of one more run."""
    figures = benchlib.timings(run, repeat)
    tracemalloc.start()
    size = run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {**figures, "peak_mb": round(peak / 1e6, 2), "json_bytes": size}


CASES: dict[str, Callable[[], int]] = {
    "model: 10 blocks": through_model(model_blocks),
    "model: 100,000-frame block": through_model(model_frames),
    "model: 10,000 explicit tasks": through_model(model_tasks),
    "af: 10 blocks": through_af(af_blocks),
    "af: 100,000-frame block": through_af(af_frames),
    "af: 10,000 explicit tasks": through_af(af_tasks),
}


def main() -> None:
    repeat = benchlib.repeat_option(__doc__)
    os.environ.setdefault("AF_USERNAME", "bench")
    cases = {name: measure(run, repeat) for name, run in CASES.items()}
    explicit = cases["model: 10,000 explicit tasks"]
    met = explicit["best_s"] < TARGET_SECONDS and explicit["peak_mb"] < TARGET_MB
    results = {
        "what": "build + validate + serialise (model); build + output() JSON (af)",
        **benchlib.environment(),
        "repeat": repeat,
        "cases": cases,
        "target": {
            "case": "model: 10,000 explicit tasks",
            "seconds": TARGET_SECONDS,
            "peak_mb": TARGET_MB,
            "met": met,
        },
    }
    written = benchlib.write_results("build", results)
    print(f"{'case':32} {'best s':>8} {'median s':>9} {'peak MB':>8} {'JSON bytes':>11}")
    for name, figures in cases.items():
        print(
            f"{name:32} {figures['best_s']:8.5f} {figures['median_s']:9.5f} "
            f"{figures['peak_mb']:8.2f} {figures['json_bytes']:11,}"
        )
    verdict = "met" if met else "MISSED"
    print(
        f"target (10,000 explicit tasks < {TARGET_SECONDS} s and < {TARGET_MB:.0f} MB): {verdict}"
    )
    print(f"written to {written.relative_to(benchlib.ROOT)}")


if __name__ == "__main__":
    main()
