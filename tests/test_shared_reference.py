"""The reference material the protocol and af tests replay must be there, or they test nothing."""

from __future__ import annotations

from shared_data import AF_REFERENCE, SHARED, TRANSCRIPTS


def test_every_captured_exchange_and_the_af_reference_are_found():
    hint = f"expected shared/ beside the checkout at {SHARED} (or set AF_SHARED_DIR)"
    assert len(list(TRANSCRIPTS.glob("*.json"))) >= 81, hint
    assert {"seed_api.json", "all_setters.json"} <= {p.name for p in AF_REFERENCE.iterdir()}, hint
