"""NukeHost reading Write nodes from a Nuke session (the fake ``nuke`` module)."""

from __future__ import annotations

import shlex
from pathlib import Path
from types import ModuleType

import pytest

from afanasy_nuke.host import MAIN_WINDOW_NAME, NukeHost
from afcore.paths import join_command
from afcore.scene import RenderTarget, SceneSnapshot


def targets() -> dict[str, RenderTarget]:
    return {target.name: target for target in NukeHost().collect().targets}


def make_stereo(nuke: ModuleType) -> None:
    root = nuke.root()
    root.addView("left")
    root.addView("right")
    root.deleteView("main")


def save_as(nuke: ModuleType, path: Path) -> None:
    nuke.root()["name"].setValue(str(path))
    nuke.scriptSave()


# --- which nodes, and what is read from them ----------------------------------------------------


def test_every_write_class_becomes_a_target_named_as_nuke_x_needs(nuke: ModuleType) -> None:
    nuke.nodes.Read(name="plate", file="/r/plate.####.exr")
    nuke.nodes.Write(name="comp", file="/r/comp.####.exr")
    nuke.nodes.DeepWrite(name="deep", file="/r/deep.####.exr")
    nuke.nodes.WriteGeo(name="geo", file="/r/geo.####.obj")
    with nuke.nodes.Group(name="Precomps"):
        nuke.nodes.Write(name="inner", file="/r/inner.####.exr")
        with nuke.nodes.Group(name="Nested"):
            nuke.nodes.Write(name="deepest", file="/r/deepest.####.exr")

    found = targets()

    assert {name: t.kind for name, t in found.items()} == {
        "comp": "Write",
        "deep": "DeepWrite",
        "geo": "WriteGeo",
        "Precomps.inner": "Write",
        "Precomps.Nested.deepest": "Write",
    }
    assert all((t.service, t.parser) == ("nuke", "nuke") for t in found.values())


@pytest.mark.parametrize(
    ("file", "output"),
    [
        ("/r/comp.####.exr", "/r/comp.@####@.exr"),
        ("/r/comp.%04d.exr", "/r/comp.@####@.exr"),
        ("/r/comp.%d.exr", "/r/comp.@#@.exr"),
        ("/r/comp.[frame].exr", "/r/comp.@#@.exr"),
        ("/r/[value shot.label]/comp.####.exr", "/r/sh010/comp.@####@.exr"),
    ],
)
def test_output_patterns_come_from_nukes_evaluation(
    nuke: ModuleType, file: str, output: str
) -> None:
    nuke.nodes.NoOp(name="shot", label="sh010")
    nuke.nodes.Write(name="comp", file=file)

    assert targets()["comp"].outputs == [output]


def test_a_one_frame_script_still_gives_a_frame_pattern(nuke: ModuleType) -> None:
    nuke.root()["first_frame"].setValue(7)
    nuke.root()["last_frame"].setValue(7)
    nuke.nodes.Write(name="still", file="/r/still.####.exr")

    target = targets()["still"]

    assert (target.frames, target.outputs, target.single_task) == (
        "7",
        ["/r/still.@####@.exr"],
        False,
    )


def test_stereo_write_renders_every_view(nuke: ModuleType) -> None:
    make_stereo(nuke)
    nuke.nodes.Write(name="comp", file="/r/comp_%V.####.exr")
    nuke.nodes.Write(name="short", file="/r/short_%v.####.exr")

    found = targets()

    assert found["comp"].outputs == ["/r/comp_left.@####@.exr", "/r/comp_right.@####@.exr"]
    assert found["comp"].views == ["left", "right"]
    assert found["short"].outputs == ["/r/short_l.@####@.exr", "/r/short_r.@####@.exr"]


def test_stereo_write_to_one_file_has_one_output_and_still_renders_both_views(
    nuke: ModuleType,
) -> None:
    make_stereo(nuke)
    nuke.nodes.Write(name="exr", file="/r/both_eyes.####.exr")

    target = targets()["exr"]

    assert (target.outputs, target.views) == (["/r/both_eyes.@####@.exr"], ["left", "right"])


def test_the_views_a_write_is_limited_to_are_the_ones_rendered(nuke: ModuleType) -> None:
    make_stereo(nuke)
    nuke.nodes.Write(name="left_only", file="/r/l_%V.####.exr", views="left")
    nuke.nodes.Write(name="typo", file="/r/t_%V.####.exr", views="right centre")

    found = targets()

    assert (found["left_only"].views, found["left_only"].outputs) == (
        ["left"],
        ["/r/l_left.@####@.exr"],
    )
    assert found["typo"].views == ["right"]
    assert found["typo"].warnings == ["views centre are not in the script: skipped"]


def test_a_single_view_script_names_no_views(nuke: ModuleType) -> None:
    nuke.nodes.Write(name="comp", file="/r/comp.####.exr")

    assert targets()["comp"].views == []


@pytest.mark.parametrize(
    ("file", "file_type"),
    [
        ("/r/review.mov", "mov"),
        ("/r/review.MP4", ""),
        ("/r/review.mxf", "mxf"),
        ("/r/review.avi", ""),
        ("/r/review.qt", "mov"),  # the type says movie, whatever the name
        ("/r/cache.abc", "abc"),  # one file for the whole range: one task
    ],
)
def test_single_file_outputs_render_as_one_task(
    nuke: ModuleType, file: str, file_type: str
) -> None:
    nuke.nodes.Write(name="out", file=file, file_type=file_type)

    target = targets()["out"]

    assert (target.single_task, target.outputs) == (True, [file])


def test_limit_to_range_uses_the_nodes_own_frames(nuke: ModuleType) -> None:
    nuke.root()["first_frame"].setValue(1001)
    nuke.root()["last_frame"].setValue(1100)
    nuke.nodes.Write(name="limited", file="/r/a.####.exr", use_limit=True, first=1010, last=1020)
    nuke.nodes.Write(name="ignored", file="/r/b.####.exr", use_limit=False, first=5, last=6)
    nuke.nodes.Write(name="reversed", file="/r/c.####.exr", use_limit=True, first=20, last=10)

    found = targets()

    assert found["limited"].frames == "1010-1020"
    assert found["ignored"].frames == "1001-1100"
    assert found["reversed"].frames == "1001-1100"
    assert found["reversed"].warnings == [
        "limit to range ends (10) before it starts (20); using the script's range"
    ]


def test_proxy_mode_renders_the_proxy_file(nuke: ModuleType) -> None:
    nuke.root()["proxy"].setValue(True)
    nuke.nodes.Write(name="comp", file="/r/full.####.exr", proxy="/r/proxy.####.jpg")
    nuke.nodes.Write(name="no_proxy", file="/r/full2.####.exr")

    found = targets()

    assert found["comp"].outputs == ["/r/proxy.@####@.jpg"]
    assert found["comp"].data == {"proxy": True}
    assert found["no_proxy"].outputs == ["/r/full2.@####@.exr"]
    assert found["no_proxy"].warnings == [
        "proxy mode is on but the proxy file is empty: rendering the full-size file"
    ]


def test_disabled_writes_are_listed_but_off(nuke: ModuleType) -> None:
    nuke.nodes.Write(name="on", file="/r/on.####.exr")
    nuke.nodes.Write(name="off", file="/r/off.####.exr", disable=True)

    found = targets()

    assert (found["on"].enabled, found["on"].selected) == (True, True)
    assert (found["off"].enabled, found["off"].selected) == (False, False)


def test_selected_writes_come_ticked_and_the_rest_do_not(nuke: ModuleType) -> None:
    nuke.nodes.Write(name="picked", file="/r/a.####.exr").setSelected(True)
    nuke.nodes.Write(name="other", file="/r/b.####.exr")
    with nuke.nodes.Group(name="G"):
        nuke.nodes.Write(name="picked_inside", file="/r/c.####.exr").setSelected(True)

    ticked = {name for name, t in targets().items() if t.selected}

    assert ticked == {"picked", "G.picked_inside"}


def test_a_write_whose_expression_fails_keeps_its_place_with_a_warning(nuke: ModuleType) -> None:
    nuke.nodes.Write(name="broken", file="/r/[python nuke.thisNode().name()].####.exr")
    nuke.nodes.Write(name="fine", file="/r/fine.####.exr")

    found = targets()

    assert found["broken"].outputs == []
    assert found["broken"].warnings == [
        'cannot evaluate the file name: invalid command name "python"'
    ]
    assert found["fine"].outputs == ["/r/fine.@####@.exr"]


def test_relative_outputs_resolve_as_nuke_resolves_them(nuke: ModuleType, tmp_path: Path) -> None:
    nuke.nodes.Write(name="relative", file="render/comp.####.exr")
    assert targets()["relative"].warnings == [
        "'render/comp.@####@.exr' is relative, and the script has no folder yet: save it first"
    ]

    save_as(nuke, tmp_path / "comp.nk")  # from the script's folder, where farm tasks start
    target = targets()["relative"]
    assert (target.outputs, target.warnings) == ([f"{tmp_path}/render/comp.@####@.exr"], [])

    nuke.root()["project_directory"].setValue("/shows/demo/sh010")  # the project's, if set
    assert targets()["relative"].outputs == ["/shows/demo/sh010/render/comp.@####@.exr"]


def test_a_file_named_after_the_script_warns_that_the_farm_copy_has_another_name(
    nuke: ModuleType, tmp_path: Path
) -> None:
    save_as(nuke, tmp_path / "sh010_v003.nk")
    nuke.nodes.Write(name="named", file="/r/[value root.name].####.exr")

    target = targets()["named"]

    assert target.outputs == [f"/r/{tmp_path}/sh010_v003.nk.@####@.exr"]
    assert target.warnings == [
        "the file name is made from the script's name ([value root.name]), and the farm "
        "renders a copy of the script with another name: its files may not be these"
    ]


# --- dependencies and order --------------------------------------------------------------------


def test_a_write_reading_another_writes_output_depends_on_it(nuke: ModuleType) -> None:
    plate = nuke.nodes.Read(name="plate", file="/r/plate.####.exr", first=1, last=100)
    nuke.nodes.Write(name="precomp", file="/r/pre/pre.####.exr", inputs=[plate])
    reread = nuke.nodes.Read(name="reread", file="/r/pre/pre.%04d.exr", first=1, last=100)
    grade = nuke.nodes.Grade(inputs=[reread])
    merge = nuke.nodes.Merge2(inputs=[grade, plate])
    nuke.nodes.Write(name="comp", file="/r/comp.####.exr", inputs=[merge])
    nuke.nodes.Write(name="unrelated", file="/r/other.####.exr", inputs=[plate])

    found = targets()

    assert found["comp"].depends_on == ["precomp"]
    assert found["precomp"].depends_on == []
    assert found["unrelated"].depends_on == []


def test_dependencies_are_followed_into_and_out_of_groups(nuke: ModuleType) -> None:
    nuke.nodes.Write(name="precomp", file="/r/pre.####.exr")
    reread = nuke.nodes.Read(name="reread", file="/r/pre.####.exr", first=1, last=100)
    group = nuke.nodes.Group(name="Slap", inputs=[reread])
    with group:
        feed = nuke.nodes.Input(name="Input1")
        nuke.nodes.Write(name="inside", file="/r/inside.####.exr", inputs=[feed])
        nuke.nodes.Output(inputs=[feed])
    with nuke.nodes.Group(name="Source"):
        inner_read = nuke.nodes.Read(file="/r/pre.####.exr", first=1, last=100)
        nuke.nodes.Output(inputs=[inner_read])
    source = nuke.toNode("Source")
    nuke.nodes.Write(name="after_group", file="/r/after.####.exr", inputs=[source])

    found = targets()

    assert found["Slap.inside"].depends_on == ["precomp"]
    assert found["after_group"].depends_on == ["precomp"]


def test_a_disabled_read_creates_no_dependency(nuke: ModuleType) -> None:
    nuke.nodes.Write(name="precomp", file="/r/pre.####.exr")
    reread = nuke.nodes.Read(file="/r/pre.####.exr", first=1, last=100, disable=True)
    nuke.nodes.Write(name="comp", file="/r/comp.####.exr", inputs=[reread])

    assert targets()["comp"].depends_on == []


def test_a_write_reading_its_own_output_does_not_wait_for_itself(nuke: ModuleType) -> None:
    loop = nuke.nodes.Read(file="/r/comp.####.exr", first=1, last=100)
    nuke.nodes.Write(name="comp", file="/r/comp.####.exr", inputs=[loop])

    assert targets()["comp"].depends_on == []


def test_render_order_is_kept_and_later_orders_wait_for_the_one_before(nuke: ModuleType) -> None:
    nuke.nodes.Write(name="last", file="/r/c.####.exr", render_order=3)
    nuke.nodes.Write(name="first_a", file="/r/a1.####.exr", render_order=1)
    nuke.nodes.Write(name="first_b", file="/r/a2.####.exr", render_order=1)
    nuke.nodes.Write(name="first_off", file="/r/a3.####.exr", render_order=1, disable=True)
    nuke.nodes.Write(name="second", file="/r/b.####.exr", render_order=2)

    snapshot = NukeHost().collect()

    assert [(t.name, t.order) for t in snapshot.targets] == [
        ("first_a", 1),
        ("first_b", 1),
        ("first_off", 1),
        ("second", 2),
        ("last", 3),
    ]
    depends = {t.name: t.depends_on for t in snapshot.targets}
    assert depends == {
        "first_a": [],
        "first_b": [],
        "first_off": [],
        "second": ["first_a", "first_b"],
        "last": ["second"],
    }


# --- the script --------------------------------------------------------------------------------


def test_the_snapshot_describes_the_script(nuke: ModuleType, tmp_path: Path) -> None:
    make_stereo(nuke)
    nuke.root()["first_frame"].setValue(1001)
    nuke.root()["last_frame"].setValue(1050)
    nuke.root()["fps"].setValue(25)
    nuke.nodes.Write(name="comp", file="/r/comp.####.exr")
    save_as(nuke, tmp_path / "comp.nk")

    snapshot = NukeHost().collect()

    assert (snapshot.scene_file, snapshot.dcc, snapshot.dcc_version) == (
        str(tmp_path / "comp.nk"),
        "nuke",
        nuke.NUKE_VERSION_STRING,
    )
    assert (snapshot.frames, snapshot.fps, snapshot.modified) == ("1001-1050", 25.0, False)
    assert snapshot.data == {"proxy": False, "views": ["left", "right"]}
    assert SceneSnapshot.from_dict(snapshot.to_dict()) == snapshot


def test_an_unsaved_script_has_no_path_and_says_it_is_modified(nuke: ModuleType) -> None:
    nuke.nodes.Write(name="comp", file="/r/comp.####.exr")
    host = NukeHost()

    snapshot = host.collect()

    assert (host.scene_path(), host.is_modified()) == (None, True)
    assert (snapshot.scene_file, snapshot.modified) == ("", True)


def test_save_scene_saves_to_the_scripts_own_file(nuke: ModuleType, tmp_path: Path) -> None:
    save_as(nuke, tmp_path / "comp.nk")
    nuke.nodes.Write(name="comp", file="/r/comp.####.exr")
    host = NukeHost()
    assert host.is_modified()

    host.save_scene()

    assert not host.is_modified()
    assert (tmp_path / "comp.nk").read_text() == "# fake Nuke script: 1\n"


def test_save_scene_says_so_when_nuke_did_not_save(nuke: ModuleType) -> None:
    with pytest.raises(RuntimeError, match="Nuke did not save the script"):
        NukeHost().save_scene()


def test_save_copy_copies_the_saved_file_and_leaves_the_script_alone(
    nuke: ModuleType, tmp_path: Path
) -> None:
    script = tmp_path / "comp.nk"
    save_as(nuke, script)
    before = script.read_bytes()
    nuke.nodes.Grade()  # a change not saved yet
    copy = tmp_path / "comp.20260101-120000.nk"

    NukeHost().save_copy(str(copy))

    assert copy.read_bytes() == before == script.read_bytes()
    assert (nuke.scriptName(), nuke.modified()) == (str(script), True)  # name and state kept


def test_save_copy_refuses_an_unsaved_script_and_its_own_path(
    nuke: ModuleType, tmp_path: Path
) -> None:
    with pytest.raises(RuntimeError, match=r"never been saved.*File > Save"):
        NukeHost().save_copy(str(tmp_path / "copy.nk"))
    script = tmp_path / "comp.nk"
    save_as(nuke, script)
    with pytest.raises(ValueError, match="onto itself"):
        NukeHost().save_copy(f"{tmp_path}/./comp.nk")
    assert script.read_text() == "# fake Nuke script: 0\n"


def test_paths_with_spaces_and_quotes_reach_nuke_as_one_argument(
    nuke: ModuleType, tmp_path: Path
) -> None:
    folder = tmp_path / 'shot 010 "final" it\'s'
    folder.mkdir()
    save_as(nuke, folder / "comp v1.nk")
    nuke.nodes.Write(name="comp", file=str(folder / "out $HOME;.####.exr"))
    host = NukeHost()
    target = host.collect().targets[0]
    copy = str(folder / "comp v1.copy.nk")

    args = host.render_command(target, copy)

    assert args == ["nuke", "-X", "comp", "-F", "@#@-@#@x1", "-x", copy]
    assert shlex.split(join_command(args)) == args
    assert target.outputs == [str(folder / "out $HOME;.@####@.exr")]


# --- the Nuke window ---------------------------------------------------------------------------


def test_notify_goes_through_nukes_main_thread_to_the_right_place(nuke: ModuleType) -> None:
    host = NukeHost()

    host.notify("job 12 sent")
    host.notify("farm is busy", "warning")
    host.notify("server down", "error")

    assert nuke.messages == [
        ("tprint", "Afanasy: job 12 sent"),
        ("warning", "Afanasy: farm is busy"),
        ("critical", "Afanasy: server down"),
    ]


def test_the_dialog_parent_is_nukes_main_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    from Qt import QtWidgets

    other = QtWidgets.QWidget()
    main = QtWidgets.QMainWindow()
    main.setObjectName(MAIN_WINDOW_NAME)
    for window in (other, main):
        qtbot.addWidget(window)
        window.show()

    assert NukeHost().parent_window() is main
    main.hide()  # a main window that is gone is no parent
    assert NukeHost().parent_window() is not main
