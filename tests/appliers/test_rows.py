"""Row sources run directly: ``label_rows``, ``label_rows_parallel``, ``resolve_n_jobs``."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel import apply  # noqa: F401  (before weaklabel.appliers.*; see test_applier.py)
from weaklabel.appliers import rows as rows_module
from weaklabel.appliers.rows import label_rows, label_rows_parallel, resolve_n_jobs
from weaklabel.errors import SourceError
from weaklabel.labels import ABSTAIN, LabelSpace

SPACE = LabelSpace(("HAM", "SPAM"))


class FakeBar:
    def __init__(self) -> None:
        self.total = 0

    def update(self, k: int) -> None:
        self.total += k


def _frame(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": [("free " if i % 3 == 0 else "song ") + str(i) for i in range(n)],
            "likes": np.arange(n) % 5,
        }
    )


def _sources() -> list[wl.LabelingFunction]:
    return [
        wl.LabelingFunction("free", lambda x: "SPAM" if x.text.startswith("free") else None),
        wl.LabelingFunction("liked", lambda x: 0 if x.likes > 3 else ABSTAIN),
    ]


def test_rows_label_rows_votes_and_faults() -> None:
    votes, faults = label_rows(_sources(), _frame(7), SPACE)
    assert votes.shape == (7, 2) and votes.dtype == np.int64
    np.testing.assert_array_equal(votes[:, 0], [1, -1, -1, 1, -1, -1, 1])
    np.testing.assert_array_equal(votes[:, 1], [-1, -1, -1, -1, 0, -1, -1])
    np.testing.assert_array_equal(faults, [0, 0])


def test_rows_label_rows_on_an_empty_frame() -> None:
    votes, faults = label_rows(_sources(), _frame(0), SPACE)
    assert votes.shape == (0, 2) and faults.tolist() == [0, 0]


@pytest.mark.parametrize("n", [5, 512, 1_300])
def test_rows_progress_is_updated_for_every_row(n: int) -> None:
    bar = FakeBar()
    label_rows(_sources(), _frame(n), SPACE, progress=bar)
    assert bar.total == n


def test_rows_fault_tolerant_counts_per_source() -> None:
    def picky(x: Any) -> int:
        if x.likes == 0:
            raise ValueError("zero likes")
        return 1

    sources = [*_sources(), wl.LabelingFunction("picky", picky)]
    votes, faults = label_rows(sources, _frame(10), SPACE, fault_tolerant=True)
    np.testing.assert_array_equal(faults, [0, 0, 2])
    np.testing.assert_array_equal(votes[[0, 5], 2], [ABSTAIN, ABSTAIN])
    assert (np.delete(votes[:, 2], [0, 5]) == 1).all()


def test_rows_error_uses_row_offset_and_previews_the_row() -> None:
    def boom(x: Any) -> int:
        raise KeyError("missing")

    with pytest.raises(SourceError, match=r"(?s)'boom' raised KeyError on row 100.*'free 0'"):
        label_rows([wl.LabelingFunction("boom", boom)], _frame(3), None, row_offset=100)


def test_rows_error_preview_is_truncated() -> None:
    frame = pd.DataFrame({"text": ["x" * 1_000]})
    with pytest.raises(SourceError) as info:
        label_rows([wl.LabelingFunction("boom", lambda x: 1 / 0)], frame, None)
    preview = str(info.value).split("row: ")[1].splitlines()[0]
    assert len(preview) <= 120 and preview.endswith("...")


def test_rows_parallel_equals_serial() -> None:
    frame = _frame(4_000)
    serial, serial_faults = label_rows(_sources(), frame, SPACE)
    bar = FakeBar()
    parallel, parallel_faults = label_rows_parallel(
        _sources(), frame, SPACE, n_jobs=2, progress=bar
    )
    np.testing.assert_array_equal(parallel, serial)
    np.testing.assert_array_equal(parallel_faults, serial_faults)
    assert bar.total == len(frame)


def test_rows_parallel_sums_faults_across_chunks() -> None:
    def picky(x: Any) -> int:
        if x.likes == 0:
            raise ValueError("zero likes")
        return ABSTAIN

    frame = _frame(4_000)
    _, faults = label_rows_parallel(
        [wl.LabelingFunction("picky", picky)], frame, None, n_jobs=2, fault_tolerant=True
    )
    assert faults.tolist() == [int((frame["likes"] == 0).sum())]


def test_rows_parallel_small_data_stays_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a pool was started for a small frame")

    monkeypatch.setattr(rows_module, "ProcessPoolExecutor", no_pool)
    votes, _ = label_rows_parallel(_sources(), _frame(1_999), SPACE, n_jobs=4)
    assert votes.shape == (1_999, 2)
    votes, _ = label_rows_parallel(_sources(), _frame(5_000), SPACE, n_jobs=1)
    assert votes.shape == (5_000, 2)


def test_rows_parallel_clears_worker_state() -> None:
    label_rows_parallel(_sources(), _frame(2_500), SPACE, n_jobs=2)
    assert rows_module._POOL_STATE == {}


def test_rows_resolve_n_jobs_values() -> None:
    assert resolve_n_jobs(1) == 1
    assert resolve_n_jobs(3) == 3
    assert resolve_n_jobs(-1) == max(1, os.cpu_count() or 1)


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5, "2", None])
def test_rows_resolve_n_jobs_errors(n_jobs: Any) -> None:
    with pytest.raises(ValueError, match=r"n_jobs must be a positive integer or -1.*got"):
        resolve_n_jobs(n_jobs)
