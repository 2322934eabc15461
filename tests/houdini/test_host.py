"""HoudiniHost reading ROP networks from a Houdini session (the fake ``hou`` module)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from afanasy_houdini.host import HoudiniHost
from afcore.config import Config
from afcore.errors import ConfigError
from afcore.scene import RenderTarget


def targets() -> dict[str, RenderTarget]:
    return {target.name: target for target in HoudiniHost(Config()).collect().targets}


def rop(hou: ModuleType, kind: str, name: str, *inputs: Any, where: str = "/out", **parms: Any):
    node = hou.node(where).createNode(kind, name)
    for index, upstream in enumerate(inputs):
        node.setInput(index, upstream)
    node.setParms(parms)
    return node


def frame_range(first: int, last: int, step: int = 1) -> dict[str, Any]:
    return {"trange": 1, "f1": first, "f2": last, "f3": step}


# --- what a network becomes ----------------------------------------------------------------------


def test_a_cache_sim_render_chain_becomes_three_targets_waiting_in_order(hou: ModuleType) -> None:
    sim = rop(
        hou,
        "geometry",
        "sim",
        initsim=1,
        sopoutput="$HIP/sim/sim.$F4.bgeo.sc",
        **frame_range(1, 100),
    )
    cache = rop(
        hou, "geometry", "cache", sim, sopoutput="$HIP/geo/cache.$F4.bgeo.sc", **frame_range(1, 100)
    )
    rop(hou, "ifd", "beauty", cache, vm_picture="$HIP/render/beauty.$F4.exr", **frame_range(1, 100))
    folder = Path.cwd()

    found = targets()

    assert [(t.name, t.depends_on) for t in found.values()] == [
        ("/out/sim", []),
        ("/out/cache", ["/out/sim"]),
        ("/out/beauty", ["/out/cache"]),
    ]
    assert found["/out/beauty"].outputs == [f"{folder}/render/beauty.@####@.exr"]
    assert (found["/out/beauty"].service, found["/out/beauty"].parser) == ("hbatch_mantra",) * 2
    assert (found["/out/cache"].service, found["/out/cache"].renderer) == ("hbatch", "geometry")
    assert found["/out/sim"].single_task and not found["/out/cache"].single_task
    assert "Initialize Simulation" in found["/out/sim"].data["single_task_reason"]
    assert all(t.frames == "1-100" and t.selected for t in found.values())


def test_a_merge_of_two_renders_renders_both_without_one_waiting_for_the_other(
    hou: ModuleType,
) -> None:
    fg = rop(hou, "ifd", "fg", **frame_range(1, 10))
    bg = rop(hou, "karma", "bg", **frame_range(1, 10))
    rop(hou, "merge", "both", fg, bg)

    found = targets()

    assert sorted(found) == ["/out/bg", "/out/fg"]
    assert found["/out/fg"].depends_on == found["/out/bg"].depends_on == []
    assert found["/out/bg"].service == "hbatch_karma"


def test_what_follows_a_merge_waits_for_every_input_of_it(hou: ModuleType) -> None:
    fg = rop(hou, "geometry", "fg_cache", **frame_range(1, 10))
    bg = rop(hou, "geometry", "bg_cache", **frame_range(1, 10))
    caches = rop(hou, "merge", "caches", fg, bg)
    rop(hou, "ifd", "beauty", caches, **frame_range(1, 10))

    assert targets()["/out/beauty"].depends_on == ["/out/bg_cache", "/out/fg_cache"]


def test_a_bypassed_rop_is_skipped_and_what_follows_waits_for_what_feeds_it(
    hou: ModuleType,
) -> None:
    sim = rop(hou, "geometry", "sim", **frame_range(1, 10))
    cache = rop(hou, "geometry", "cache", sim, **frame_range(1, 10))
    cache.bypass(True)
    rop(hou, "ifd", "beauty", cache, **frame_range(1, 10))

    found = targets()

    assert (found["/out/cache"].enabled, found["/out/cache"].selected) == (False, False)
    assert found["/out/beauty"].depends_on == ["/out/sim"]


def test_with_its_range_off_a_rop_renders_the_current_frame_and_still_gets_a_pattern(
    hou: ModuleType,
) -> None:
    hou.setFrame(42)
    rop(hou, "ifd", "still", vm_picture="/r/still.$F4.exr")

    target = targets()["/out/still"]

    assert (target.frames, target.outputs, target.single_task) == (
        "42",
        ["/r/still.@####@.exr"],
        False,
    )


def test_frame_steps_and_wrong_ranges_are_kept_for_the_checks_to_explain(hou: ModuleType) -> None:
    rop(hou, "ifd", "twos", **frame_range(1, 100, 2))
    rop(hou, "ifd", "backwards", **frame_range(10, 1))
    rop(hou, "ifd", "halves", trange=1, f1=1, f2=10, f3=0.5)

    found = targets()

    assert found["/out/twos"].frames == "1-100x2"
    assert found["/out/backwards"].frames == "10-1"
    assert found["/out/halves"].warnings == [
        "/out/halves: frame step 0.5 is not a whole number of frames; the farm renders every 1"
    ]


def test_output_patterns_come_from_the_parameter_each_rop_type_writes(hou: ModuleType) -> None:
    kinds = {
        "ifd": "vm_picture",
        "karma": "picture",
        "usdrender": "outputimage",
        "Redshift_ROP": "RS_outputFileNamePrefix",
        "arnold": "ar_picture",
        "opengl": "picture",
        "geometry": "sopoutput",
        "dop": "dopoutput",
    }
    for kind, parm in kinds.items():
        rop(hou, kind, f"{kind}_node", **frame_range(1, 20), **{parm: f"/r/{kind}.$F4.exr"})

    found = targets()

    assert {t.kind: t.outputs for t in found.values()} == {
        kind: [f"/r/{kind}.@####@.exr"] for kind in kinds
    }
    assert {t.kind: t.service for t in found.values()} == {
        "ifd": "hbatch_mantra",
        "karma": "hbatch_karma",
        "usdrender": "hbatch_karma",
        "Redshift_ROP": "hbatch_redshift",
        "arnold": "hbatch",
        "opengl": "hbatch",
        "geometry": "hbatch",
        "dop": "hbatch",
    }


def test_houdini_default_output_names_use_the_hip_and_node_names(hou: ModuleType) -> None:
    hou.hipFile.save("shot/fx.hip")
    rop(hou, "ifd", "beauty", **frame_range(1, 10))

    assert targets()["/out/beauty"].outputs == [f"{Path.cwd()}/shot/render/fx.beauty.@####@.exr"]


def test_a_usd_render_rop_in_the_stage_is_a_target(hou: ModuleType) -> None:
    rop(
        hou,
        "usdrender_rop",
        "render_beauty",
        where="/stage",
        outputimage="$HIP/render/beauty.$F4.exr",
        **frame_range(1001, 1100),
    )

    target = targets()["/stage/render_beauty"]

    assert (target.kind, target.renderer, target.service, target.frames) == (
        "usdrender_rop",
        "usdrender",
        "hbatch_karma",
        "1001-1100",
    )
    assert target.outputs == [f"{Path.cwd()}/render/beauty.@####@.exr"]


def test_alembic_and_usd_files_holding_every_frame_render_in_one_task(hou: ModuleType) -> None:
    rop(hou, "alembic", "abc", filename="/c/anim.abc", **frame_range(1, 50))
    rop(hou, "usd", "layout", lopoutput="/c/layout.usd", **frame_range(1, 50))
    rop(hou, "usd", "per_frame", lopoutput="/c/layout.$F4.usd", **frame_range(1, 50))

    found = targets()

    assert found["/out/abc"].single_task and found["/out/layout"].single_task
    assert found["/out/abc"].data["single_task_reason"] == (
        "it writes every frame into one file (/c/anim.abc)"
    )
    assert not found["/out/per_frame"].single_task


def test_a_spare_toggle_on_the_rop_overrides_the_one_task_decision(hou: ModuleType) -> None:
    forced = rop(hou, "geometry", "forced", **frame_range(1, 50))
    split = rop(hou, "alembic", "split", filename="/c/anim.abc", **frame_range(1, 50))
    for node, on in ((forced, True), (split, False)):
        group = node.parmTemplateGroup()
        group.append(hou.ToggleParmTemplate("afanasy_single_task", "Afanasy: One Task", on))
        node.setParmTemplateGroup(group)

    found = targets()

    assert found["/out/forced"].single_task
    assert found["/out/forced"].data["single_task_reason"] == "afanasy_single_task is on on the ROP"
    assert not found["/out/split"].single_task


def test_what_feeds_a_batch_rop_renders_in_one_process(hou: ModuleType) -> None:
    sim = rop(hou, "geometry", "sim", **frame_range(1, 50))
    batch = rop(hou, "batch", "batch1", sim)
    rop(hou, "ifd", "beauty", batch, **frame_range(1, 50))

    found = targets()

    assert sorted(found) == ["/out/beauty", "/out/sim"]
    assert found["/out/sim"].single_task and not found["/out/beauty"].single_task
    assert found["/out/beauty"].depends_on == ["/out/sim"]


def test_a_fetched_rop_outside_out_is_found_and_wired_in(hou: ModuleType) -> None:
    geo = hou.node("/obj").createNode("geo", "fluid")
    cache = geo.createNode("rop_geometry", "cache")
    cache.setParms({"sopoutput": "$HIP/geo/fluid.$F4.bgeo.sc", **frame_range(1, 10)})
    fetch = rop(hou, "fetch", "fetch_fluid", source="/obj/fluid/cache")
    rop(hou, "ifd", "beauty", fetch, **frame_range(1, 10))

    found = targets()

    assert sorted(found) == ["/obj/fluid/cache", "/out/beauty"]
    assert found["/out/beauty"].depends_on == ["/obj/fluid/cache"]


def test_a_wedge_is_one_task_per_wedge_and_its_driver_is_not_ticked_alone(hou: ModuleType) -> None:
    flip = rop(hou, "geometry", "flip", initsim=1, **frame_range(1, 100))
    wedge = rop(hou, "wedge", "wedge_visc", driver="../flip", wedgeparams=2)
    wedge.setParms({"chan1": "/obj/flip/viscosity", "steps1": 3, "steps2": 4})

    found = targets()
    target = found["/out/wedge_visc"]

    assert (target.frames, target.frames_per_task, target.data["wedge"]) == ("0-11", 1, True)
    assert (target.service, target.renderer, target.selected) == ("hbatch", "geometry", True)
    assert not found["/out/flip"].selected
    assert flip.path() in found


def test_a_wedge_by_takes_has_a_wedge_per_child_take(hou: ModuleType) -> None:
    variations = hou.takes.rootTake().addChildTake("variations")
    for name in ("soft", "medium", "hard"):
        variations.addChildTake(name)
    rop(hou, "ifd", "beauty", **frame_range(1, 10))
    rop(hou, "wedge", "by_take", driver="/out/beauty", wedgemethod=1, roottake="variations")

    target = targets()["/out/by_take"]

    assert (target.frames, target.service) == ("0-2", "hbatch_mantra")


def test_a_wedge_without_a_driver_says_what_to_set(hou: ModuleType) -> None:
    rop(hou, "wedge", "wedge1", random=1, numrandom=5)

    target = targets()["/out/wedge1"]

    assert target.frames == "0-4"
    assert target.warnings == [
        "/out/wedge1 has no Output Driver: set it to the ROP to render for each wedge"
    ]


# --- selection -----------------------------------------------------------------------------------


def test_a_selected_rop_comes_ticked_with_everything_it_waits_for_and_nothing_else(
    hou: ModuleType,
) -> None:
    sim = rop(hou, "geometry", "sim", **frame_range(1, 10))
    cache = rop(hou, "geometry", "cache", sim, **frame_range(1, 10))
    beauty = rop(hou, "ifd", "beauty", cache, **frame_range(1, 10))
    rop(hou, "ifd", "slapcomp", beauty, **frame_range(1, 10))
    rop(hou, "opengl", "preview", **frame_range(1, 10))
    beauty.setSelected(True)

    ticked = sorted(name for name, t in targets().items() if t.selected)

    assert ticked == ["/out/beauty", "/out/cache", "/out/sim"]


def test_a_selected_rop_outside_out_and_stage_is_offered(hou: ModuleType) -> None:
    network = hou.node("/obj").createNode("ropnet", "renders")
    local = network.createNode("ifd", "local")
    local.setSelected(True)
    rop(hou, "ifd", "elsewhere")

    found = targets()

    assert found["/obj/renders/local"].selected and not found["/out/elsewhere"].selected


# --- what the artist is told ---------------------------------------------------------------------


def test_an_unknown_rop_type_still_renders_and_the_artist_is_told_its_files_are_unknown(
    hou: ModuleType,
) -> None:
    rop(hou, "shell", "notify_slack", command="curl ...")

    target = targets()["/out/notify_slack"]

    assert (target.service, target.parser, target.outputs) == ("hbatch", "hbatch", [])
    assert "shell ROP, which the submitter does not know" in target.warnings[0]


def test_an_output_houdini_cannot_evaluate_is_a_warning_not_a_failure(hou: ModuleType) -> None:
    rop(hou, "ifd", "broken", vm_picture="/r/`chs('../nope/x')`.$F4.exr", **frame_range(1, 10))

    target = targets()["/out/broken"]

    assert target.outputs == []
    assert target.warnings[0].startswith("/out/broken: its output file (vm_picture) cannot be read")


def test_a_render_to_mplay_writes_no_files(hou: ModuleType) -> None:
    rop(hou, "ifd", "preview", vm_picture="ip", **frame_range(1, 10))

    target = targets()["/out/preview"]

    assert (target.outputs, target.warnings) == (
        [],
        ["/out/preview renders to a viewer (ip), not to files"],
    )


def test_a_mantra_rop_writing_ifd_files_runs_houdini_only(hou: ModuleType) -> None:
    rop(hou, "ifd", "gen", soho_outputmode=1, soho_diskfile="/i/gen.$F4.ifd", **frame_range(1, 10))

    target = targets()["/out/gen"]

    assert (target.outputs, target.service) == (["/i/gen.@####@.ifd"], "hbatch")


def test_a_range_from_the_usd_stage_falls_back_to_the_rops_own_range(hou: ModuleType) -> None:
    rop(hou, "usdrender", "from_stage", trange=3, f1=5, f2=8)

    target = targets()["/out/from_stage"]

    assert target.frames == "5-8"
    assert "takes its frame range from the USD stage" in target.warnings[0]


def test_the_take_a_rop_renders_in_is_passed_on_unless_it_is_the_main_take(hou: ModuleType) -> None:
    shot = hou.takes.rootTake().addChildTake("shotB")
    rop(hou, "ifd", "current")
    rop(hou, "ifd", "own", take="shotB")
    rop(hou, "ifd", "main", take="Main")
    hou.takes.setCurrentTake(shot)

    found = targets()

    assert {name: t.data["take"] for name, t in found.items()} == {
        "/out/current": "shotB",
        "/out/own": "shotB",
        "/out/main": "",
    }


# --- the scene -----------------------------------------------------------------------------------


def test_the_snapshot_describes_the_session(hou: ModuleType) -> None:
    hou.playbar.setFrameRange(1001, 1240)
    hou.setFps(25)
    hou.hipFile.save("fx.hip")

    snapshot = HoudiniHost(Config()).collect()

    assert (snapshot.dcc, snapshot.dcc_version, snapshot.frames, snapshot.fps) == (
        "houdini",
        "20.5.410",
        "1001-1240",
        25.0,
    )
    assert (snapshot.scene_file, snapshot.modified) == (str(Path.cwd() / "fx.hip"), False)


def test_a_new_session_has_no_scene_file_and_changes_make_it_modified(hou: ModuleType) -> None:
    host = HoudiniHost(Config())
    assert (host.scene_path(), host.is_modified()) == (None, False)

    rop(hou, "ifd", "beauty")

    assert host.is_modified() and host.collect().modified


def test_saving_keeps_the_sessions_file_name(hou: ModuleType, tmp_path: Path) -> None:
    hou.hipFile.save(str(tmp_path / "shot 010" / "fx v1.hip"))
    rop(hou, "ifd", "beauty")
    host = HoudiniHost(Config())

    host.save_scene()

    assert (hou.hipFile.path(), host.is_modified()) == (
        str(tmp_path / "shot 010" / "fx v1.hip"),
        False,
    )


def test_the_farm_copy_is_the_saved_file_and_the_session_keeps_its_name(
    hou: ModuleType, tmp_path: Path
) -> None:
    scene = tmp_path / "shot 010" / "fx.hip"
    hou.hipFile.save(str(scene))
    rop(hou, "ifd", "unsaved_change")
    host = HoudiniHost(Config())

    host.save_copy(str(tmp_path / "shot 010" / "fx.copy.hip"))

    assert (tmp_path / "shot 010" / "fx.copy.hip").read_bytes() == scene.read_bytes()
    assert hou.hipFile.path() == str(scene) and host.is_modified()
    with pytest.raises(ValueError, match="onto itself"):
        host.save_copy(str(scene))


def test_a_never_saved_session_cannot_be_saved_or_copied_and_says_why(hou: ModuleType) -> None:
    host = HoudiniHost(Config())

    for action in (host.save_scene, lambda: host.save_copy("copy.hip")):
        with pytest.raises(RuntimeError, match="never saved"):
            action()
    assert not Path("untitled.hip").exists()


def test_the_render_command_names_the_rop_its_frames_take_and_the_artists_file(
    hou: ModuleType, tmp_path: Path
) -> None:
    hou.hipFile.save(str(tmp_path / "shot 010" / "fx.hip"))
    rop(hou, "ifd", "beauty", take="Main", **frame_range(1, 100, 2))
    config = Config(path_maps=[(str(tmp_path), "/mnt/proj")])
    host = HoudiniHost(config)
    target = host.collect().targets[0]

    command = host.render_command(target, "/mnt/proj/shot 010/fx.1.hip")

    script = host.farm_config().render_script
    assert command == [
        "hython",
        script,
        "--rop",
        "/out/beauty",
        "-s",
        "@#@",
        "-e",
        "@#@",
        "--by",
        "2",
        "--original",
        "/mnt/proj/shot 010/fx.hip",
        "/mnt/proj/shot 010/fx.1.hip",
    ]


def test_the_dialog_is_parented_to_houdinis_main_window(hou: ModuleType, qapp: Any) -> None:
    assert HoudiniHost(Config()).parent_window() is hou.qt.mainWindow()


def test_hython_has_no_window_to_parent_to_and_tells_on_stderr(
    hou: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(hou, "isUIAvailable", lambda: False)
    host = HoudiniHost(Config())

    host.notify("sent", "info")

    assert host.parent_window() is None
    assert capsys.readouterr().err == "Afanasy [info]: sent\n"


def test_messages_go_to_the_status_bar_and_errors_pop_up(
    hou: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    host = HoudiniHost(Config())

    host.notify("job 12 sent")
    host.notify("farm busy", "warning")
    host.notify("refused", "error")

    assert capsys.readouterr().out.splitlines() == [
        "[Houdini Message status] Afanasy: job 12 sent",
        "[Houdini Warning status] Afanasy: farm busy",
        "[Houdini Error dialog] Afanasy: refused",
    ]


def test_a_bad_houdini_section_in_the_config_names_the_files_read(hou: ModuleType) -> None:
    hou.hipFile.save("fx.hip")
    rop(hou, "ifd", "beauty")
    config = Config(dcc={"houdini": {"hython": "/opt/hfs"}}, sources=["/etc/afanasy/site.yaml"])
    host = HoudiniHost(config)

    with pytest.raises(ConfigError) as raised:
        host.render_command(host.collect().targets[0], "/s/fx.1.hip")

    assert str(raised.value).startswith("dcc.houdini: unknown setting(s) hython")
    assert str(raised.value).endswith("(configuration read from: /etc/afanasy/site.yaml)")
