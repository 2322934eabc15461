"""The hython render script each task runs: loading the copy, frame loop, progress, exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from afanasy_houdini import render
from afanasy_houdini.farm import RENDER_SCRIPT

FAKES = Path(__file__).resolve().parents[1] / "fakes"


@pytest.fixture
def shot(hou: ModuleType, tmp_path: Path) -> Path:
    """An artist's scene: a cache feeding a Mantra ROP, saved, and the farm's copy of it."""
    out = hou.node("/out")
    cache = out.createNode("geometry", "cache")
    cache.setParms({"trange": 1, "f1": 1, "f2": 5, "sopoutput": "$HIP/geo/cache.$F4.bgeo.sc"})
    beauty = out.createNode("ifd", "beauty")
    beauty.setInput(0, cache)
    beauty.setParms({"trange": 1, "f1": 1, "f2": 5})
    folder = tmp_path / "shot 010"
    hou.hipFile.save(str(folder / "fx.hip"))
    shutil.copyfile(folder / "fx.hip", folder / "fx.20261123-200102.hip")
    hou.hipFile.clear()
    return folder


def run(shot: Path, *args: str) -> int:
    copy, original = shot / "fx.20261123-200102.hip", shot / "fx.hip"
    return render.main([*args, "--original", str(original), str(copy)])


def lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_each_frame_is_announced_as_cgrus_hbatch_parser_counts_and_its_image_named(
    shot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(shot, "--rop", "/out/beauty", "-s", "1", "-e", "5", "--by", "2")

    written = [shot / "render" / f"fx.beauty.{frame:04d}.exr" for frame in (1, 3, 5)]
    progress = [line for line in lines(capsys) if not line.startswith("Afanasy:")]
    assert status == render.RENDERED
    assert progress == [
        line
        for frame, image in zip((1, 3, 5), written)
        for line in (f"RopNode.render: frame {frame}", f"@IMAGE@ {image}")
    ]
    assert all(image.is_file() for image in written)
    assert not (shot / "render" / "fx.beauty.0002.exr").exists()


def test_the_artists_hip_names_the_outputs_not_the_copys(
    hou: ModuleType, shot: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "renderscenes"
    elsewhere.mkdir()
    copy = elsewhere / "fx.20261123-200102.hip"
    shutil.copyfile(shot / "fx.hip", copy)

    status = render.main(
        ["--rop", "/out/beauty", "-s", "2", "--original", str(shot / "fx.hip"), str(copy)]
    )

    assert status == render.RENDERED
    assert (shot / "render" / "fx.beauty.0002.exr").is_file()
    assert (hou.getenv("HIP"), hou.getenv("HIPNAME")) == (str(shot), "fx")


def test_the_rops_inputs_are_left_to_their_own_blocks(shot: Path) -> None:
    run(shot, "--rop", "/out/beauty", "-s", "1", "-e", "5")

    assert not (shot / "geo").exists()


def test_the_copy_is_rendered_as_loaded_and_never_saved(
    shot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (shot / "fx.20261123-200102.hip").read_bytes()

    run(shot, "--rop", "/out/beauty", "-s", "1")

    assert (shot / "fx.20261123-200102.hip").read_bytes() == before
    assert "Afanasy: vm_alfprogress set to 1 on /out/beauty" in lines(capsys)


def test_mantra_blocks_until_done_and_reports_alfred_progress_on_the_farm(
    hou: ModuleType, shot: Path
) -> None:
    run(shot, "--rop", "/out/beauty", "-s", "1")

    beauty = hou.node("/out/beauty")
    assert [beauty.evalParm(n) for n in ("soho_foreground", "vm_alfprogress", "vm_verbose")] == [
        1,
        1,
        1,
    ]


def test_a_take_is_made_current_before_rendering(hou: ModuleType, tmp_path: Path) -> None:
    hou.takes.rootTake().addChildTake("shotB")
    hou.node("/out").createNode("ifd", "beauty")
    hou.hipFile.save(str(tmp_path / "fx.hip"))

    status = render.main(["--rop", "/out/beauty", "-s", "1", "--take", "shotB", "fx.hip"])

    assert (status, hou.takes.currentTake().name()) == (render.RENDERED, "shotB")


def test_a_wedge_renders_its_driver_once_per_wedge_number(hou: ModuleType, tmp_path: Path) -> None:
    flip = hou.node("/out").createNode("geometry", "flip")
    flip.setParms({"trange": 1, "f1": 1, "f2": 2, "sopoutput": "$HIP/w$WEDGENUM/flip.$F4.bgeo"})
    wedge = hou.node("/out").createNode("wedge", "wedge1")
    wedge.setParms({"driver": "../flip", "wedgeparams": 1, "steps1": 4})
    hou.hipFile.save(str(tmp_path / "fx.hip"))

    status = render.main(["--rop", "/out/wedge1", "--wedge", "-s", "1", "-e", "2", "fx.hip"])

    made = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.glob("w*/*.bgeo"))
    assert status == render.RENDERED
    assert made == [
        "w1/flip.0001.bgeo",
        "w1/flip.0002.bgeo",
        "w2/flip.0001.bgeo",
        "w2/flip.0002.bgeo",
    ]


# --- what goes wrong -----------------------------------------------------------------------------


def test_a_missing_rop_exits_2_and_lists_the_rops_there_are(
    shot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(shot, "--rop", "/out/beuaty", "-s", "1")

    assert status == render.WRONG_INPUT
    assert capsys.readouterr().err == (
        "Afanasy: /out/beuaty does not exist in this .hip; its ROPs: /out/cache, /out/beauty\n"
    )


def test_a_node_that_is_not_a_rop_exits_2(
    hou: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hou.node("/obj").createNode("geo", "box")
    hou.hipFile.save(str(tmp_path / "fx.hip"))

    assert render.main(["--rop", "/obj/box", "-s", "1", "fx.hip"]) == render.WRONG_INPUT
    assert "/obj/box is not a ROP in this .hip; its ROPs: none" in capsys.readouterr().err


@pytest.mark.parametrize("content", [None, "not a hip file"])
def test_a_missing_or_unreadable_hip_exits_2(
    hou: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: Any
) -> None:
    if content is not None:
        (tmp_path / "fx.hip").write_text(content)

    status = render.main(["--rop", "/out/beauty", "-s", "1", str(tmp_path / "fx.hip")])

    error = capsys.readouterr().err
    assert status == render.WRONG_INPUT
    assert ("there is no .hip file at" if content is None else "Houdini cannot load") in error


def test_a_missing_take_exits_2_and_lists_the_takes(
    shot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(shot, "--rop", "/out/beauty", "-s", "1", "--take", "nope")

    assert status == render.WRONG_INPUT
    assert "there is no take 'nope' in this .hip; its takes: Main" in capsys.readouterr().err


def test_a_failed_render_exits_1_with_houdinis_reason(
    hou: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "not_a_folder").write_text("")
    beauty = hou.node("/out").createNode("ifd", "beauty")
    beauty.parm("vm_picture").set(str(tmp_path / "not_a_folder" / "beauty.$F4.exr"))
    hou.hipFile.save(str(tmp_path / "fx.hip"))

    status = render.main(["--rop", "/out/beauty", "-s", "1", "fx.hip"])

    assert status == render.FAILED
    assert "Afanasy: rendering /out/beauty failed: /out/beauty: failed to write" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["-s", "1", "fx.hip"], "the following arguments are required: --rop"),
        (["--rop", "/out/x", "fx.hip"], "the following arguments are required: -s/--start"),
        (["--rop", "/out/x", "-s", "10", "-e", "1", "fx.hip"], "-e 1 is before -s 10"),
        (["--rop", "/out/x", "-s", "1", "--by", "0", "fx.hip"], "--by 0: the step must be 1"),
        (["--rop", "/out/x", "-s", "one", "fx.hip"], "argument -s/--start: invalid int value"),
    ],
)
def test_a_wrong_command_line_exits_2_with_the_usage(
    args: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert render.main(args) == render.WRONG_INPUT
    error = capsys.readouterr().err
    assert error.startswith("usage: render.py") and problem in error


def test_run_as_a_script_it_finds_its_own_package(shot: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(FAKES)}
    command = [sys.executable, str(RENDER_SCRIPT), "--rop", "/out/beauty", "-s", "3"]

    done = subprocess.run(
        [*command, "--original", str(shot / "fx.hip"), str(shot / "fx.20261123-200102.hip")],
        capture_output=True,
        text=True,
        env=environment,
        cwd=shot.parent,
        timeout=60,
    )

    assert (done.returncode, done.stderr) == (0, "")
    assert "RopNode.render: frame 3" in done.stdout
    assert (shot / "render" / "fx.beauty.0003.exr").is_file()
