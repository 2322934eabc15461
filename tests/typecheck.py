"""mypy run from a test: how the plug-in tests hold their code to the DCCs' published stubs.

Each run starts in the checkout (so mypy reads the project's settings) and keeps
its cache in pytest's cache folder, one per plug-in; under ``-p no:cacheprovider``
there is no such folder and mypy runs without a cache instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pytest
from mypy import api as mypy_api

CHECKOUT = Path(__file__).resolve().parents[1]


def mypy_strict(
    pytestconfig: pytest.Config,
    monkeypatch: pytest.MonkeyPatch,
    cache_name: str,
    *arguments: str,
    search_path: Optional[Path] = None,
) -> tuple[str, str, int]:
    """``mypy --strict <arguments>`` from the checkout: its report, errors and exit status.

    ``search_path`` is put on ``MYPYPATH`` for a plug-in whose modules are not installed.
    """
    monkeypatch.chdir(CHECKOUT)
    if search_path is not None:
        monkeypatch.setenv("MYPYPATH", str(search_path))
    cache = getattr(pytestconfig, "cache", None)  # None under -p no:cacheprovider
    options = ["--cache-dir", str(cache.mkdir(cache_name))] if cache else ["--no-incremental"]
    return mypy_api.run([*options, "--strict", *arguments])
