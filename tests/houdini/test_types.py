"""The plug-in type-checks against the published Houdini stubs (types-houdini), strictly.

Every call into ``hou`` is checked against Houdini's own signatures; the one
ignore is Houdini's ``hdefereval``, which has no stubs. Modules the plug-in
imports (afcore) are read for their types but reported on by their own checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api as mypy_api

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "houdini" / "python" / "afanasy_houdini"


@pytest.mark.slow
def test_the_plugin_passes_mypy_strict_against_the_houdini_stubs(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PACKAGE.parents[3])
    cache = getattr(pytestconfig, "cache", None)  # None under -p no:cacheprovider
    options = ["--cache-dir", str(cache.mkdir("mypy-houdini"))] if cache else ["--no-incremental"]

    report, errors, status = mypy_api.run(
        [*options, "--strict", "--follow-imports=silent", str(PACKAGE)]
    )

    assert (status, errors) == (0, ""), report
