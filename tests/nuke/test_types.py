"""The plug-in type-checks against the published Nuke stubs (types-nuke), strictly.

Every call into ``nuke`` is checked against Nuke's own signatures: no ignore of
the nuke module, no Any where the stubs say what comes back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api as mypy_api

PLUGIN = Path(__file__).resolve().parents[2] / "plugins" / "nuke"


@pytest.mark.slow
def test_the_plugin_passes_mypy_strict_against_the_nuke_stubs(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PLUGIN.parents[1])
    monkeypatch.setenv("MYPYPATH", str(PLUGIN))
    cache = getattr(pytestconfig, "cache", None)  # None under -p no:cacheprovider
    options = ["--cache-dir", str(cache.mkdir("mypy-nuke"))] if cache else ["--no-incremental"]

    report, errors, status = mypy_api.run(
        [*options, "--strict", str(PLUGIN / "afanasy_nuke"), str(PLUGIN / "menu.py")]
    )

    assert (status, errors) == (0, ""), report
