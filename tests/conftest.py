"""Shared fixtures: the real benchmark data beside the checkout, and offline settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("WEAKLABEL_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ``../shared/data``; skips the test when it is absent, fails in CI."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the benchmark data at {SHARED_DATA}")
        pytest.skip(f"benchmark data not found at {SHARED_DATA} (a user's checkout)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def wrench_classification(shared_data: Path) -> Path:
    """Folder holding WRENCH's youtube, sms and trec datasets."""
    return shared_data / "wrench" / "classification"
