"""What the bench scripts share: the checkout on sys.path, a private HOME, the timing loop,
the description of the machine and the results file.

Every script in bench/ measures one thing and writes its figures to
bench/results/<name>.json. Timing runs and writing figures one way keeps the files
comparable with each other and with the figures the docs quote. A script imports this
module as ``benchlib`` (bench/ is first on sys.path when a script is run by its path).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def use_checkout(*folders: str) -> None:
    """Import afcore and the named plug-in folders from this checkout, not from an install.

    ``folders`` are relative to the checkout, e.g. ``"plugins/nuke"`` or ``"tests/fakes"``
    (where the fake DCC modules live).
    """
    sys.path[:0] = [str(ROOT), *(str(ROOT / folder) for folder in folders)]


def repeat_option(doc: str, default: int = 7) -> int:
    """The ``--repeat N`` a script is run with: how many timed runs each case gets."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=default, help="timed runs per case")
    return parser.parse_args().repeat


def private_home(name: str) -> Path:
    """A fresh, empty HOME for this process, so the user's own config and settings neither
    change the figures nor get written by the run."""
    home = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    os.environ.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
    )
    return home


def timings(
    run: Callable[[], Any], repeat: int, after: Optional[Callable[[], Any]] = None
) -> dict[str, float]:
    """Best and median seconds of ``repeat`` runs; ``after`` tidies up, untimed, after each."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
        if after is not None:
            after()
    return {"best_s": round(min(seconds), 6), "median_s": round(statistics.median(seconds), 6)}


def environment() -> dict[str, str]:
    """The Python version and the machine the figures were taken on, said the same way in
    every results file."""
    return {
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} cores",
    }


def write_results(name: str, results: dict[str, Any]) -> Path:
    """Write the figures to bench/results/<name>.json (indented, as the docs quote them)."""
    path = RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    return path


def publish(name: str, results: dict[str, Any]) -> None:
    """Write the figures and show them: how most scripts end."""
    write_results(name, results)
    print(json.dumps(results, indent=2))
