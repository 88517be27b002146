"""Progress bars: nothing drawn for short work, cleared when closed, off when disabled."""

from __future__ import annotations

import io
import time

import pytest

from weaklabel import _progress
from weaklabel._progress import progress_bar


def _draw(seconds_per_step: float, steps: int, *, enabled: bool = True) -> str:
    stream = io.StringIO()
    bar = progress_bar(total=steps, desc="work", unit="row", enabled=enabled, file=stream)
    for _ in range(steps):
        time.sleep(seconds_per_step)
        bar.update(1)
    bar.close()
    return stream.getvalue()


def test_progress_short_work_draws_nothing() -> None:
    assert _draw(0.0, 50) == ""


def test_progress_long_work_draws_and_then_clears(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_progress, "DELAY", 0.05)
    bar = progress_bar(total=3, desc="work", unit="row")
    assert bar.delay == 0.05 and bar.leave is False
    bar.close()
    drawn = _draw(0.1, 3)
    assert "work" in drawn and "row" in drawn
    assert drawn.endswith("\r") or drawn.rstrip(" ").endswith("\r")  # cleared, not left


def test_progress_disabled_draws_nothing_but_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    assert _draw(0.01, 3, enabled=False) == ""
    assert list(progress_bar(range(4), desc="x", enabled=False)) == [0, 1, 2, 3]
