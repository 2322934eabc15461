"""Where the read-only reference material of ``shared/`` is: transcripts and CGRU's af output."""

from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("AF_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared"))
TRANSCRIPTS = SHARED / "protocol" / "transcripts"
AF_REFERENCE = SHARED / "protocol" / "af_reference"
