"""The installable extension zip: what Blender's own validator accepts, and wheels that suffice."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tomllib

from afanasy_blender import extension


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return extension.build_zip(tmp_path_factory.mktemp("dist"))


def test_zip_holds_the_add_on_its_manifest_and_the_wheels_it_lists(built: Path):
    assert built.name == "afanasy_blender-0.1.0.zip"
    with zipfile.ZipFile(built) as archive:
        names = set(archive.namelist())
        manifest = tomllib.loads(archive.read("blender_manifest.toml").decode())
    assert {"__init__.py", "host.py", "farm.py", "panel.py", "operators.py"} <= names
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)
    assert manifest["id"] == "afanasy_blender" and manifest["blender_version_min"] == "4.2.0"
    assert set(manifest["permissions"]) == {"network", "files"}
    wheels = [wheel.removeprefix("./") for wheel in manifest["wheels"]]
    assert [Path(w).name.split("-")[0] for w in wheels] == ["afcore", "PyYAML"]
    assert set(wheels) <= names


@pytest.mark.bpy
def test_blender_s_extension_validator_accepts_it(built: Path):
    bpy = pytest.importorskip("bpy")  # the validator ships with Blender's scripts
    scripts = Path(bpy.utils.system_resource("SCRIPTS"))
    validator = scripts / "addons_core" / "bl_pkg" / "cli" / "blender_ext.py"
    result = subprocess.run(
        [sys.executable, str(validator), "validate", str(built)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wheels_alone_load_the_config_in_a_bare_python(built: Path, tmp_path: Path):
    """No site-packages: only the standard library and what the zip brings, as in Blender."""
    with zipfile.ZipFile(built) as archive:
        for name in archive.namelist():
            if name.startswith("wheels/"):
                with zipfile.ZipFile(archive.open(name)) as wheel:
                    wheel.extractall(tmp_path / "site")
    config = tmp_path / "config.yaml"
    config.write_text("server_host: farm01:52000\ndcc:\n  blender:\n    executable: blender-4.2\n")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import yaml, afcore.config as c; "
        "cfg = c.load_config({'AFCORE_CONFIG': sys.argv[2], 'HOME': sys.argv[1]}); "
        "print(yaml.__with_libyaml__, cfg.server_host, cfg.server_port, cfg.dcc['blender'])"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code, str(tmp_path / "site"), str(config)],
        capture_output=True,
        text=True,
    )
    assert result.stdout.split("\n")[0] == "False farm01 52000 {'executable': 'blender-4.2'}", (
        result.stderr
    )


def test_wheel_records_name_every_file_with_its_hash(built: Path):
    with (
        zipfile.ZipFile(built) as archive,
        zipfile.ZipFile(
            archive.open(next(n for n in archive.namelist() if n.startswith("wheels/afcore")))
        ) as wheel,
    ):
        record = wheel.read("afcore-0.1.0.dist-info/RECORD").decode().splitlines()
        listed = {line.split(",")[0] for line in record}
        assert listed == set(wheel.namelist())
        assert "afcore/config.py" in listed
        path, digest, size = next(
            line for line in record if line.startswith("afcore/config.py,")
        ).split(",")
        assert digest.startswith("sha256=") and int(size) == len(wheel.read(path))


def test_install_without_blender_says_where_the_zip_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        extension.InstallError, match=r"No Blender program found.*Install from Disk"
    ):
        extension.install(output_dir=str(tmp_path))
    assert (tmp_path / "afanasy_blender-0.1.0.zip").is_file()
