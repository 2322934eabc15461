"""afsubmit sending to a server, and --local rendering with its own embedded devserver."""

from __future__ import annotations

import io
import subprocess
import sys
import types
from pathlib import Path

import pytest

from afcore.cli.afsubmit import main
from afcore.cli.local import wait_for_jobs
from afcore.cli.progress import ProgressBar
from afcore.cli.readers import GROUP
from afcore.client import Client
from afcore.job import Block, Job

pytest_plugins = ["devserver_fixture"]

AFSUBMIT = Path(sys.executable).with_name("afsubmit")

WRITER = """\
import sys
first, last = int(sys.argv[1]), int(sys.argv[2])
for frame in range(first, last + 1):
    with open(f"out/frame.{frame:04d}.txt", "w") as out:
        out.write(str(frame))
    print("wrote frame", frame)
"""


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A folder with a frame-writing script, the current folder of the test."""
    (tmp_path / "write.py").write_text(WRITER)
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_local_renders_a_command_job_and_lists_the_files_written(workdir, capsys):
    argv = [
        "--local",
        "--cmd",
        f"{sys.executable} write.py @#@ @#@",
        "--frames",
        "1-8",
        "--fpt",
        "3",
    ]
    assert main([*argv, "--files", "out/frame.####.txt", "--files", "out/missing.####.exr"]) == 0
    captured = capsys.readouterr()
    expected = [str(workdir / "out" / f"frame.{frame:04d}.txt") for frame in range(1, 9)]
    assert captured.out.splitlines() == expected
    assert all(Path(path).read_text() == str(int(path[-8:-4])) for path in expected)
    assert "Sent 'python" not in captured.out  # stdout is only the file list
    assert "Rendering [" in captured.err and "3/3 tasks done" in captured.err
    assert "Done. 8 output file(s):" in captured.err


def test_local_shows_the_output_of_a_failing_task_and_exits_2(workdir, capsys):
    script = "import sys; print('cannot open scene'); sys.exit(3)"
    assert main(["--local", "--cmd", f'{sys.executable} -c "{script}"']) == 2
    err = capsys.readouterr().err
    assert "Task 0 of block 0 of job 2 failed. Its output:\ncannot open scene" in err


def test_local_without_file_patterns_says_so(workdir, capsys):
    assert main(["--local", "--cmd", "true"]) == 0
    assert "Done. No output files to list (name them with --files)." in capsys.readouterr().err


def test_command_job_is_sent_to_the_server_given(devserver_factory, capsys):
    server = devserver_factory(workers=0)
    argv = ["--cmd", "echo @#@", "--frames", "1-10,20", "--name", "echoes", "--paused"]
    assert main([*argv, "--server", f"127.0.0.1:{server.port}"]) == 0
    assert capsys.readouterr().out == "Sent 'echoes': job id 2.\n"
    job = Client(port=server.port).get_job(2)
    assert [block["name"] for block in job["blocks"]] == ["echoes [1-10]", "echoes [20]"]
    assert "OFF" in job["state"]


def test_unreachable_server_keeps_the_command_job_in_the_outbox(capsys):
    assert main(["--cmd", "echo @#@", "--server", "127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "Cannot reach the Afanasy server at 127.0.0.1:9" in err
    assert "The job was kept in the outbox:" in err


TOY_PLUGIN = """\
import shutil
import sys

from afcore.host import Host
from afcore.scene import RenderTarget, SceneSnapshot

WRITER = {writer!r}


class ToyHost(Host):
    name = "toy"

    def __init__(self, path):
        self.path = path

    def collect(self):
        target = RenderTarget(name="main", frames="1-4", outputs=["out/frame.@####@.txt"])
        return SceneSnapshot(scene_file=self.path, dcc="toy", frames="1-4", targets=[target])

    def scene_path(self):
        return self.path

    def is_modified(self):
        return False

    def save_scene(self):
        raise AssertionError("a reader's scene is never saved")

    def save_copy(self, path):
        shutil.copyfile(self.path, path)

    def render_command(self, target, scene_copy):
        return [sys.executable, WRITER, "@#@", "@#@"]


def read(path):
    return ToyHost(path)
"""


@pytest.fixture
def toy_scene(workdir, tmp_path_factory, monkeypatch):
    """A .toy scene and an installed plugin whose reader renders it with write.py."""
    plugin = tmp_path_factory.mktemp("plugin")
    dist = plugin / "toy_scene-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-scene\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{GROUP}]\ntoy = toy_scene:read\n")
    (plugin / "toy_scene.py").write_text(TOY_PLUGIN.format(writer=str(workdir / "write.py")))
    monkeypatch.syspath_prepend(str(plugin))
    scene = workdir / "shot.toy"
    scene.write_text("the artist's scene")
    yield scene
    sys.modules.pop("toy_scene", None)


def test_local_renders_a_scene_through_the_pipeline_and_removes_its_copy(toy_scene, capsys):
    assert main([str(toy_scene), "--local", "--fpt", "2"]) == 0
    captured = capsys.readouterr()
    folder = toy_scene.parent
    assert captured.out.splitlines() == [
        str(folder / "out" / f"frame.{f:04d}.txt") for f in range(1, 5)
    ]
    assert "Sent 'shot': job id 2." in captured.err
    assert toy_scene.read_text() == "the artist's scene"
    assert sorted(p.name for p in folder.iterdir()) == ["out", "shot.toy", "write.py"]


def test_gui_opens_the_dialog_on_the_scenes_host(toy_scene, monkeypatch):
    opened = []
    ui = types.ModuleType("afcore.ui")
    ui.open_dialog = lambda host, config: opened.append((host, config))
    monkeypatch.setitem(sys.modules, "afcore.ui", ui)
    assert main(["--gui", str(toy_scene), "--server", "farm07:5000"]) == 0
    assert [(host.scene_path(), config.server_host) for host, config in opened] == [
        (str(toy_scene), "farm07")
    ]


def test_gui_without_qt_says_how_to_install_it(toy_scene, monkeypatch, capsys):
    ui = types.ModuleType("afcore.ui")

    def open_dialog(host, config):
        from Qt import QtWidgets  # noqa: F401  (the dialog imports Qt when it opens)

    ui.open_dialog = open_dialog
    monkeypatch.setitem(sys.modules, "afcore.ui", ui)
    monkeypatch.setitem(sys.modules, "Qt", None)
    assert main(["--gui", str(toy_scene)]) == 1
    assert "pip install 'afanasy-submitters[ui]'" in capsys.readouterr().err


def test_console_script_renders_locally(workdir):
    done = subprocess.run(
        [
            str(AFSUBMIT),
            "--local",
            "--cmd",
            f"{sys.executable} write.py @#@ @#@",
            "--frames",
            "1-4",
            "--fpt",
            "2",
            "--files",
            "out/frame.####.txt",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=workdir,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        str(workdir / "out" / f"frame.{f:04d}.txt") for f in range(1, 5)
    ]
    assert "Traceback" not in done.stderr


class StopAtNote(ProgressBar):
    """The bar, with the user pressing Ctrl-C once a note tells them why nothing happens."""

    def note(self, message: str) -> None:
        super().note(message)
        raise KeyboardInterrupt


def test_a_job_that_never_starts_is_explained(devserver_factory):
    server = devserver_factory(workers=1)
    client = Client(port=server.port)
    block = Block(name="b", command="echo @#@", working_directory=str(Path.cwd()))
    block.set_numeric(1, 1)
    job_id = client.submit(
        Job(name="masked", user_name="tester", hosts_mask="no-such-host", blocks=[block])
    ).id
    stream = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        wait_for_jobs(client, [job_id], StopAtNote(stream, "Rendering"), poll=0.02, stall=0.2)
    assert "Nothing has started for 0 s: does the job's hosts mask leave out this machine" in (
        stream.getvalue()
    )
