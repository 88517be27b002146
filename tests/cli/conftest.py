"""Shared inputs of the command-line tests: small tables in every format, good and bad."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest


@pytest.fixture
def labelled_csv(tmp_path: Path) -> Path:
    """A good two-row CSV with an id and a text column."""
    path = tmp_path / "labelled.csv"
    pd.DataFrame({"id": ["a", "b"], "text": ["great phone", "battery died"]}).to_csv(
        path, index=False
    )
    return path


@pytest.fixture
def probability_csv(tmp_path: Path) -> Path:
    """A table of class probabilities, as the demo's labels.csv."""
    path = tmp_path / "labels.csv"
    pd.DataFrame(
        {
            "text": ["sure spam", "unsure", "sure ham", "coin flip"],
            "p_HAM": [0.02, 0.45, 0.97, 0.5],
            "p_SPAM": [0.98, 0.55, 0.03, 0.5],
        }
    ).to_csv(path, index=False)
    return path
