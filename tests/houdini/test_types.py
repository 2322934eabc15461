"""The plug-in type-checks against the published Houdini stubs (types-houdini), strictly.

Every call into ``hou`` is checked against Houdini's own signatures; the one
ignore is Houdini's ``hdefereval``, which has no stubs. Modules the plug-in
imports (afcore) are read for their types but reported on by their own checks.
"""

from __future__ import annotations

import pytest

from typecheck import CHECKOUT, mypy_strict

PACKAGE = CHECKOUT / "plugins" / "houdini" / "python" / "afanasy_houdini"


@pytest.mark.slow
def test_the_plugin_passes_mypy_strict_against_the_houdini_stubs(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, errors, status = mypy_strict(
        pytestconfig, monkeypatch, "mypy-houdini", "--follow-imports=silent", str(PACKAGE)
    )

    assert (status, errors) == (0, ""), report
