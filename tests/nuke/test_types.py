"""The plug-in type-checks against the published Nuke stubs (types-nuke), strictly.

Every call into ``nuke`` is checked against Nuke's own signatures: no ignore of
the nuke module, no Any where the stubs say what comes back.
"""

from __future__ import annotations

import pytest

from typecheck import CHECKOUT, mypy_strict

PLUGIN = CHECKOUT / "plugins" / "nuke"


@pytest.mark.slow
def test_the_plugin_passes_mypy_strict_against_the_nuke_stubs(
    pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, errors, status = mypy_strict(
        pytestconfig,
        monkeypatch,
        "mypy-nuke",
        str(PLUGIN / "afanasy_nuke"),
        str(PLUGIN / "menu.py"),
        search_path=PLUGIN,
    )

    assert (status, errors) == (0, ""), report
