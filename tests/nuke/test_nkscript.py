"""nkscript.py: .nk files read as text, without Nuke, into the snapshot Nuke would give."""

from __future__ import annotations

import shutil
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from afanasy_nuke.nkscript import NkScriptHost, read_snapshot
from afcore.scene import RenderTarget

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nuke" / "sh010_comp_v003.nk"

ROOT = """\
Root {
 inputs 0
 name /somewhere/else/saved_as.nk
 first_frame 1
 last_frame 10
}
"""


def nk(tmp_path: Path, body: str, root: str = ROOT, name: str = "comp.nk") -> Path:
    path = tmp_path / name
    path.write_text(root + textwrap.dedent(body))
    return path


def targets(path: Path) -> dict[str, RenderTarget]:
    return {t.name: t for t in read_snapshot(str(path)).collect().targets}


# --- the example the README submits --------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example script, copied where its relative outputs can be predicted."""
    return Path(shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name))


def test_the_example_script_reads_as_nuke_would_render_it(example: Path) -> None:
    render = example.parent / "render"

    snapshot = read_snapshot(str(example)).collect()
    found = {t.name: t for t in snapshot.targets}

    assert (snapshot.frames, snapshot.fps, snapshot.dcc, snapshot.dcc_version) == (
        "1001-1024",
        24.0,
        "nuke",
        "15.1v3",
    )
    assert snapshot.scene_file == str(example)
    assert snapshot.data == {"proxy": False, "views": ["left", "right"]}
    assert list(found) == [
        "Write_precomp",
        "Write_comp",
        "Write_review",
        "Slapcomp.Write_slap",
        "Write_old",
    ]
    assert found["Write_precomp"].outputs == [f"{render}/precomp/sh010_precomp_v003.@####@.exr"]
    assert found["Write_comp"].outputs == [
        f"{render}/comp/sh010_comp_left.@####@.exr",
        f"{render}/comp/sh010_comp_right.@####@.exr",
    ]
    assert (found["Write_review"].outputs, found["Write_review"].single_task) == (
        [f"{render}/review/sh010_comp_v003.mov"],
        True,
    )
    assert found["Write_review"].views == ["left"]
    assert found["Slapcomp.Write_slap"].frames == "1001-1010"
    assert (found["Write_old"].enabled, found["Write_old"].selected) == (False, False)
    assert {name: t.selected for name, t in found.items() if t.enabled} == {
        "Write_precomp": True,
        "Write_comp": True,
        "Write_review": False,
        "Slapcomp.Write_slap": False,
    }
    assert {name: t.depends_on for name, t in found.items()} == {
        "Write_precomp": [],
        "Write_comp": ["Write_precomp"],
        "Write_review": ["Write_precomp"],
        "Slapcomp.Write_slap": ["Write_precomp"],
        "Write_old": ["Write_precomp"],
    }
    assert all(not t.warnings for t in found.values())


def test_the_nk_reader_is_the_registered_scene_reader_for_nk_files() -> None:
    (reader,) = [e for e in entry_points(group="afcore.scene_readers") if e.name == "nk"]

    assert reader.load() is read_snapshot


# --- the file format ---------------------------------------------------------------------------


def test_the_node_stack_wires_inputs_as_nuke_does(tmp_path: Path) -> None:
    path = nk(
        tmp_path,
        """\
        Write {
         inputs 0
         file /r/pre.####.exr
         name Pre
        }
        Read {
         inputs 0
         file /r/pre.####.exr
         first 1
         last 10
         name Reread
        }
        set N1 [stack 0]
        Read {
         inputs 0
         file /r/plate.####.exr
         name Plate
        }
        Write {
         file /r/plate_only.####.exr
         name PlateOnly
        }
        push 0
        push $N1
        Merge2 {
         inputs 2
         name Merge1
        }
        Write {
         file /r/comp.####.exr
         name Comp
        }
        """,
    )

    found = targets(path)

    assert found["Comp"].depends_on == ["Pre"]
    assert found["PlateOnly"].depends_on == []


def test_a_mask_input_counts_as_an_input(tmp_path: Path) -> None:
    path = nk(
        tmp_path,
        """\
        Write {
         inputs 0
         file /r/matte.####.exr
         name Matte
        }
        Read {
         inputs 0
         file /r/matte.####.exr
         name MatteIn
        }
        Read {
         inputs 0
         file /r/a.####.exr
         name A
        }
        Read {
         inputs 0
         file /r/b.####.exr
         name B
        }
        Merge2 {
         inputs 2+1
         name Masked
        }
        Write {
         file /r/comp.####.exr
         name Comp
        }
        """,
    )

    assert targets(path)["Comp"].depends_on == ["Matte"]


def test_groups_nest_and_inputs_reach_in_from_outside(tmp_path: Path) -> None:
    path = nk(
        tmp_path,
        """\
        Write {
         inputs 0
         file /r/pre.####.exr
         name Pre
        }
        Read {
         inputs 0
         file /r/pre.####.exr
         name Reread
        }
        Read {
         inputs 0
         file /r/plate.####.exr
         name Plate
        }
        Group {
         inputs 2
         name Outer
        }
         Input {
          inputs 0
          name Plate_in
         }
         Input {
          inputs 0
          name Pre_in
          number 1
         }
         Group {
          name Inner
         }
          Input {
           inputs 0
           name Input1
          }
          Write {
           file /r/inner.####.exr
           name Deep
          }
          Output {
           name Output1
          }
         end_group
         Output {
          name Output1
         }
        end_group
        Write {
         file /r/after.####.exr
         name After
        }
        """,
    )

    found = targets(path)

    assert set(found) == {"Pre", "Outer.Inner.Deep", "After"}
    # Inner takes Pre_in (input 1 of Outer: Reread), so it waits for Pre; so does After.
    assert found["Outer.Inner.Deep"].depends_on == ["Pre"]
    assert found["After"].depends_on == ["Pre"]


def test_values_spanning_lines_quotes_and_escapes_are_read_whole(tmp_path: Path) -> None:
    path = nk(
        tmp_path,
        """\
        NoOp {
         inputs 0
         name Notes
         label "a \\"quoted\\" { brace\\nand a line"
         python_knob {
if True:
    x = {"a": [1, 2]}
}
         text {sh010}
        }
        Write {
         inputs 0
         file "/r/\\[value Notes.text]/comp v1.####.exr"
         name Spaced
        }
        """,
    )

    assert targets(path)["Spaced"].outputs == ["/r/sh010/comp v1.@####@.exr"]


def test_clones_take_the_class_and_knobs_of_their_original(tmp_path: Path) -> None:
    path = nk(
        tmp_path,
        """\
        clone node7f00|Write|4242 {
         inputs 0
         file /r/cloned.####.exr
         name First
        }
        set C7f00 [stack 0]
        clone $C7f00 {
         inputs 0
         name Second
        }
        """,
    )

    found = targets(path)

    assert {name: t.kind for name, t in found.items()} == {"First": "Write", "Second": "Write"}
    assert found["Second"].outputs == ["/r/cloned.@####@.exr"]


def test_root_defaults_apply_when_the_file_leaves_them_out(tmp_path: Path) -> None:
    path = nk(tmp_path, "Write {\n inputs 0\n file /r/a.####.exr\n name W\n}\n", root="")

    snapshot = read_snapshot(str(path)).collect()

    assert (snapshot.frames, snapshot.fps, snapshot.data["views"]) == ("1-100", 24.0, ["main"])


@pytest.mark.parametrize(
    "views",
    [
        " views {{left #ff0000}\n   {right #00ff00}}\n",
        ' views "left #ff0000\\nright #00ff00"\n',
        ' views {{left ""} {right ""}}\n',
    ],
)
def test_root_views_are_read_in_every_way_nuke_has_written_them(tmp_path: Path, views: str) -> None:
    root = ROOT.replace(" last_frame 10\n", f" last_frame 10\n{views}")
    path = nk(tmp_path, "Write {\n inputs 0\n file /r/a_%V.####.exr\n name W\n}\n", root)

    target = targets(path)["W"]

    assert target.views == ["left", "right"]
    assert target.outputs == ["/r/a_left.@####@.exr", "/r/a_right.@####@.exr"]


def test_the_root_is_named_after_the_file_read_not_the_name_saved_in_it(tmp_path: Path) -> None:
    path = nk(
        tmp_path,
        'Write {\n inputs 0\n file "\\[file dirname \\[value root.name]]/out.####.exr"\n'
        " name W\n}\n",
    )

    assert targets(path)["W"].outputs == [f"{tmp_path}/out.@####@.exr"]


def test_proxy_mode_and_limit_to_range_are_read(tmp_path: Path) -> None:
    root = ROOT.replace(" last_frame 10\n", " last_frame 10\n proxy true\n")
    path = nk(
        tmp_path,
        """\
        Write {
         inputs 0
         file /r/full.####.exr
         proxy /r/half.####.exr
         use_limit true
         first 3
         last 5
         render_order 2
         name W
        }
        """,
        root,
    )

    target = targets(path)["W"]

    assert (target.outputs, target.frames, target.order, target.data) == (
        ["/r/half.@####@.exr"],
        "3-5",
        2,
        {"proxy": True},
    )


def test_expressions_it_can_follow_are_followed(tmp_path: Path) -> None:
    path = nk(
        tmp_path,
        """\
        NoOp {
         inputs 0
         name Range
         addUserKnob {3 start}
         start 4
        }
        Write {
         inputs 0
         file /r/a.####.exr
         use_limit true
         first {{Range.start}}
         last {{root.last_frame}}
         name W
        }
        """,
    )

    assert targets(path)["W"].frames == "4-10"


def test_expressions_it_cannot_evaluate_are_warnings_on_the_write(tmp_path: Path) -> None:
    path = nk(
        tmp_path,
        """\
        Write {
         inputs 0
         file "/r/\\[python nuke.thisNode().name()].####.exr"
         name Python
        }
        Write {
         inputs 0
         file /r/b.####.exr
         use_limit true
         first {{root.first_frame+2}}
         last 8
         disable {{!$gui}}
         name Expressions
        }
        """,
    )

    found = targets(path)

    assert found["Python"].outputs == []
    assert found["Python"].warnings == [
        "cannot evaluate the file name: [python nuke.thisNode().name()] is TCL the .nk reader "
        "does not run"
    ]
    assert found["Expressions"].frames == "1-10"
    assert found["Expressions"].warnings == [
        "limit to range: the expression {{root.first_frame+2}} needs Nuke to evaluate; "
        "using the script's range",
        "disable: the expression {{!$gui}} needs Nuke to evaluate; taken as off",
    ]


def test_a_thousand_writes_are_all_read(tmp_path: Path) -> None:
    body = "".join(
        f"Read {{\n inputs 0\n file /r/in{i}.####.exr\n name Read{i}\n}}\n"
        f"Write {{\n file /r/out{i}/img.%04d.exr\n name Write{i}\n}}\n"
        for i in range(1000)
    )
    path = nk(tmp_path, body)

    found = targets(path)

    assert len(found) == 1000
    assert found["Write999"].outputs == ["/r/out999/img.@####@.exr"]
    assert len({t.outputs[0] for t in found.values()}) == 1000


# --- the host ----------------------------------------------------------------------------------


def test_the_nk_host_copies_the_file_and_never_changes_it(tmp_path: Path) -> None:
    folder = tmp_path / 'it\'s a "shot"'
    folder.mkdir()
    path = nk(folder, "Write {\n inputs 0\n file /r/a.####.exr\n name W\n}\n", name="c v1.nk")
    before = path.read_bytes()
    host = NkScriptHost(str(path))
    copy = folder / "c v1.copy.nk"

    host.save_copy(str(copy))
    host.save_scene()

    assert (host.scene_path(), host.is_modified()) == (str(path), False)
    assert copy.read_bytes() == before == path.read_bytes()
    assert host.render_command(host.collect().targets[0], str(copy))[-2:] == ["-x", str(copy)]


def test_a_missing_script_says_which(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"No Nuke script at .*nope\.nk: check the path"):
        read_snapshot(str(tmp_path / "nope.nk"))
