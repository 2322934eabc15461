"""The preview: what the dialog and ``afsubmit --dry-run`` show is what will be sent."""

from __future__ import annotations

from afcore.build import build_jobs
from afcore.config import Config
from afcore.job import Block, Job, Task
from afcore.preview import count_text, preview
from afcore.scene import RenderTarget
from afcore.settings import SubmitSettings
from pipeline.fake_host import FakeHost, snapshot_of

CONFIG = Config(user_name="jimmy", host_name="ws01")
COPY = "/shots/sh010/comp.20261123-200102.nk"


def jobs_for(*targets: RenderTarget, **settings) -> list[Job]:
    snapshot = snapshot_of("/shots/sh010/comp.nk", *targets)
    return build_jobs(
        snapshot, SubmitSettings(**settings), FakeHost(snapshot), COPY, config=CONFIG, stamp="S"
    )


def test_counts_read_naturally() -> None:
    assert count_text(1, 1) == "1 frame in 1 task"
    assert count_text(12_000, 1_200) == "12,000 frames in 1,200 tasks"


def test_a_job_preview_spells_out_blocks_first_tasks_files_and_dependencies() -> None:
    jobs = jobs_for(
        RenderTarget("precomp", frames="1-100", outputs=["/out/pre.@####@.exr"]),
        RenderTarget(
            "comp", frames="1-20x2", depends_on=["precomp"], outputs=["/out/c.@####@.exr"]
        ),
        frames_per_task=3,
        dependency_mode="frame",
    )
    shown = preview(jobs)
    assert shown.summary == "110 frames in 38 tasks"
    precomp, comp = shown.jobs[0].blocks
    assert (precomp.frames, precomp.frame_count, precomp.task_count) == ("1-100", 100, 34)
    assert [(t.frames, t.command) for t in comp.first_tasks] == [
        ("1-5x2", f"fakerender -X comp -F 1-5x2 {COPY}"),
        ("7-11x2", f"fakerender -X comp -F 7-11x2 {COPY}"),
        ("13-17x2", f"fakerender -X comp -F 13-17x2 {COPY}"),
    ]
    assert comp.tasks_depend_mask == "^(?:precomp)$"
    assert shown.lines() == [
        "110 frames in 38 tasks",
        'Job "comp" (priority 99): 110 frames in 38 tasks',
        '  Block "precomp": frames 1-100, 100 frames in 34 tasks',
        f"    task 1-3: fakerender -X precomp -F 1-3x1 {COPY}",
        f"    task 4-6: fakerender -X precomp -F 4-6x1 {COPY}",
        f"    task 7-9: fakerender -X precomp -F 7-9x1 {COPY}",
        "    ... and 31 more tasks",
        "    writes /out/pre.@####@.exr",
        '  Block "comp": frames 1-20x2, 10 frames in 4 tasks',
        "    waits frame by frame for: ^(?:precomp)$",
        f"    task 1-5x2: fakerender -X comp -F 1-5x2 {COPY}",
        f"    task 7-11x2: fakerender -X comp -F 7-11x2 {COPY}",
        f"    task 13-17x2: fakerender -X comp -F 13-17x2 {COPY}",
        "    ... and 1 more task",
        "    writes /out/c.@####@.exr",
        f"  when the job is deleted: rm -f -- {COPY}",
    ]


def test_separate_jobs_show_what_each_waits_for() -> None:
    jobs = jobs_for(
        RenderTarget("precomp", frames="1"),
        RenderTarget("comp", frames="1", depends_on=["precomp"]),
        separate_jobs=True,
    )
    shown = preview(jobs)
    assert shown.summary == "2 frames in 2 tasks, 2 jobs"
    assert "  waits for jobs: ^(?:comp precomp \\(S\\))$" in shown.lines()


def test_a_huge_range_previews_only_its_first_tasks() -> None:
    (job,) = jobs_for(RenderTarget("Write1", frames="1-5000000"))
    (block,) = preview([job]).jobs[0].blocks
    assert block.task_count == 5_000_000
    assert [t.frames for t in block.first_tasks] == ["1", "2", "3"]


def test_explicit_tasks_are_listed_by_name() -> None:
    block = Block("cache", command="cache @#@", tasks=[Task("A", "-part A")])
    (shown,) = preview([Job(blocks=[block])]).jobs[0].blocks
    assert (shown.frames, shown.task_count) == ("", 1)
    assert [(t.frames, t.command) for t in shown.first_tasks] == [("A", "-part A")]
