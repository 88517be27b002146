"""``weaklabel.apply`` on Dask DataFrames, on a real two-process ``LocalCluster``.

Every result is compared with the in-memory path on the same data: the statistics, the
label models fitted from them, the predictions row for row (ties included), and the fault
counts. ``apply`` is imported from ``weaklabel`` before any ``weaklabel.appliers.*``
submodule (see ``test_applier.py``).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel import ABSTAIN, apply

try:
    import dask
    import dask.array as da
    import dask.dataframe as dd
    from distributed import Client, LocalCluster
except ImportError:  # pragma: no cover - CI installs dask through the dev extra
    pytest.skip(
        "dask[distributed] is not installed (pip install 'weaklabel[dask]' or the dev extra)",
        allow_module_level=True,
    )

from weaklabel.appliers.dask import DaskLabelMatrix, global_preds, is_dask_collection
from weaklabel.errors import LabelMatrixError, NotFittedError, SourceError
from weaklabel.matrix import LabelMatrix
from weaklabel.stats import LabelStats
from weaklabel.ties import probs_to_preds

LABELS = ["NEG", "POS", "SPAM"]
N_ROWS = 20_000
N_PARTITIONS = 8
POSITIVE = ["good", "great", "love", "ok"]
NEGATIVE = ["bad", "awful", "hate", "meh"]
SPAMMY = ["free", "click", "win", "money"]
FILLER = ["not", "the", "a", "product", "it", "was"]
WORDS = POSITIVE + NEGATIVE + SPAMMY + FILLER


def _corpus(n: int = N_ROWS, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    words = np.array(WORDS)
    lengths = rng.integers(2, 9, n)
    texts = [" ".join(rng.choice(words, k)) for k in lengths]
    return pd.DataFrame({"text": texts, "stars": rng.integers(1, 6, n), "id": np.arange(n)})


@wl.labeling_function()
def stars(x: Any) -> str | int:
    if x.stars >= 5:
        return "POS"
    return "NEG" if x.stars <= 1 else ABSTAIN


@wl.labeling_function()
def fragile(x: Any) -> int:
    if x.id % 97 == 0:
        raise ValueError("boom")
    return ABSTAIN


def _sources() -> list[Any]:
    return [
        wl.keyword_source(["good", "great", "love"], "POS", name="kw_pos"),
        wl.keyword_source(["bad", "awful", "hate"], "NEG", name="kw_neg"),
        wl.regex_source(r"\b(free|win) (money|click)\b", "SPAM", name="re_spam"),
        wl.lexicon_source({"love": "POS", "hate": "NEG", "ok": "POS", "meh": "NEG"}, name="lex"),
        stars,
    ]


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with warnings.catch_warnings():
        # the scheduler's HTTP server (health checks) moves off 8787 when another cluster
        # on the machine holds it; harmless, and not about weaklabel
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    with cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return _corpus()


@pytest.fixture(scope="module")
def ddf(frame: pd.DataFrame) -> dd.DataFrame:
    return dd.from_pandas(frame, npartitions=N_PARTITIONS)


@pytest.fixture(scope="module")
def in_memory(frame: pd.DataFrame) -> LabelMatrix:
    return apply(_sources(), frame, label_names=LABELS, progress=False)


@pytest.fixture(scope="module")
def lazy(client: Client, ddf: dd.DataFrame) -> DaskLabelMatrix:
    matrix = apply(_sources(), ddf, label_names=LABELS)
    matrix.stats()
    return matrix


# ---------------------------------------------------------------- laziness and shape
def test_dask_apply_returns_a_lazy_matrix(client: Client, ddf: dd.DataFrame) -> None:
    matrix = apply(_sources(), ddf, label_names=LABELS)
    assert isinstance(matrix, DaskLabelMatrix)
    assert matrix.source_names == ("kw_pos", "kw_neg", "re_spam", "lex", "stars")
    assert matrix.label_names == tuple(LABELS)
    assert matrix.npartitions == N_PARTITIONS
    assert matrix._part is None and matrix._lengths is None  # nothing computed yet
    assert "npartitions=8" in repr(matrix)
    assert len(matrix) == N_ROWS and matrix.shape == (N_ROWS, 5)


def test_dask_apply_detects_dask_without_importing_it() -> None:
    assert is_dask_collection(dd.from_pandas(_corpus(10), npartitions=1))
    assert not is_dask_collection(_corpus(10)) and not is_dask_collection(["a"])
    code = (
        "import sys, weaklabel as wl\n"
        "wl.apply(wl.keyword_source(['a'], 1, name='k'), ['a b'], progress=False)\n"
        "assert 'dask' not in sys.modules, 'apply imported dask for in-memory data'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- statistics and fitting
def test_dask_stats_equal_in_memory_stats(lazy: DaskLabelMatrix, in_memory: LabelMatrix) -> None:
    got, want = lazy.stats(), LabelStats.from_matrix(in_memory)
    np.testing.assert_array_equal(got.rows, want.rows)
    np.testing.assert_array_equal(got.counts, want.counts)
    assert got.source_names == want.source_names and got.label_names == want.label_names
    assert got.n_examples == N_ROWS
    assert lazy.partition_lengths() == (N_ROWS // N_PARTITIONS,) * N_PARTITIONS
    assert lazy.fault_counts == {}


@pytest.mark.parametrize("model_class", [wl.MajorityVote, wl.DawidSkene, wl.LabelModel])
def test_dask_fit_from_stats_equals_fit_in_memory(
    lazy: DaskLabelMatrix, in_memory: LabelMatrix, model_class: type[Any]
) -> None:
    from_stats = model_class().fit(lazy.stats())
    from_matrix = model_class().fit(in_memory)
    for name in model_class._fitted_attributes:
        np.testing.assert_array_equal(
            np.asarray(getattr(from_stats, name)), np.asarray(getattr(from_matrix, name))
        )


# ---------------------------------------------------------------- predictions
@pytest.mark.parametrize("model_class", [wl.MajorityVote, wl.DawidSkene])
def test_dask_predictions_equal_in_memory_row_for_row(
    lazy: DaskLabelMatrix, in_memory: LabelMatrix, model_class: type[Any]
) -> None:
    model = model_class().fit(lazy.stats())
    proba = lazy.predict_proba(model)
    preds = lazy.predict(model)
    assert isinstance(preds, da.Array) and preds.chunks == (lazy.partition_lengths(),)
    assert proba.shape == (N_ROWS, 3)
    proba_np, preds_np = dask.compute(proba, preds)
    np.testing.assert_array_equal(proba_np, model.predict_proba(in_memory))
    np.testing.assert_array_equal(preds_np, model.predict(in_memory))
    abstain = lazy.predict(model, tie_break="abstain").compute()
    np.testing.assert_array_equal(abstain, model.predict(in_memory, tie_break="abstain"))


def test_dask_ties_are_broken_by_global_row_position(
    lazy: DaskLabelMatrix, in_memory: LabelMatrix
) -> None:
    model = wl.MajorityVote().fit(lazy.stats())
    proba = model.predict_proba(in_memory)
    want = probs_to_preds(proba, tie_break="index")
    per_partition = np.concatenate(
        [probs_to_preds(p, tie_break="index") for p in np.split(proba, N_PARTITIONS)]
    )
    assert (per_partition != want).any(), "the corpus must have ties past the first partition"
    got = lazy.predict(model).compute()
    np.testing.assert_array_equal(got, want)


def test_dask_global_preds_equal_a_slice_of_probs_to_preds() -> None:
    rng = np.random.default_rng(1)
    proba = rng.integers(0, 3, (500, 3)).astype(float) + 1e-3
    proba /= proba.sum(axis=1, keepdims=True)
    for seed in (0, 7):
        want = probs_to_preds(proba, tie_break="index", seed=seed)
        for start, stop in [(0, 120), (120, 121), (121, 500)]:
            got = global_preds(proba[start:stop], "index", seed, offset=start)
            np.testing.assert_array_equal(got, want[start:stop])
    first = global_preds(proba, "random", 3, offset=0, partition=2)
    np.testing.assert_array_equal(first, global_preds(proba, "random", 3, 0, partition=2))


def test_dask_random_tie_break_is_reproducible(lazy: DaskLabelMatrix) -> None:
    model = wl.MajorityVote(tie_break="random", seed=3).fit(lazy.stats())
    first, second = dask.compute(lazy.predict(model), lazy.predict(model))
    np.testing.assert_array_equal(first, second)


def test_dask_predictions_assign_onto_the_frame(
    lazy: DaskLabelMatrix, in_memory: LabelMatrix, ddf: dd.DataFrame
) -> None:
    model = wl.DawidSkene().fit(lazy.stats())
    labeled = ddf.assign(label=lazy.predict(model)).compute()
    np.testing.assert_array_equal(labeled["label"].to_numpy(), model.predict(in_memory))
    np.testing.assert_array_equal(labeled["id"].to_numpy(), np.arange(N_ROWS))


def test_dask_predict_checks_the_model_on_the_client(lazy: DaskLabelMatrix) -> None:
    with pytest.raises(NotFittedError):
        lazy.predict(wl.MajorityVote())
    other = wl.MajorityVote().fit(np.array([[0, 1], [1, -1]]))
    with pytest.raises(LabelMatrixError, match="2 sources"):
        lazy.predict_proba(other)
    with pytest.raises(ValueError, match="tie_break"):
        lazy.predict(wl.MajorityVote().fit(lazy.stats()), tie_break="coin")


# ---------------------------------------------------------------- votes
def test_dask_votes_views_equal_the_in_memory_matrix(
    lazy: DaskLabelMatrix, in_memory: LabelMatrix, ddf: dd.DataFrame
) -> None:
    array = lazy.to_dask_array()
    assert array.chunks[0] == lazy.partition_lengths() and array.dtype == np.int8
    np.testing.assert_array_equal(array.compute(), in_memory.values)
    frame = lazy.to_dask_dataframe()
    assert list(frame.columns) == list(in_memory.source_names)
    np.testing.assert_array_equal(frame.compute().to_numpy(), in_memory.values)
    assert lazy.compute() == in_memory
    head = lazy.partitions[:2]
    assert head.npartitions == 2
    np.testing.assert_array_equal(head.compute().values, in_memory.values[: N_ROWS // 4])
    unknown = apply(_sources(), ddf, label_names=LABELS).to_dask_array()
    assert np.isnan(unknown.shape[0])
    with pytest.raises(ValueError, match="one length per partition"):
        lazy.to_dask_array(lengths=[1, 2])


def test_dask_series_of_texts_is_the_text_column(
    client: Client, frame: pd.DataFrame, in_memory: LabelMatrix
) -> None:
    series = dd.from_pandas(frame["text"].rename("body"), npartitions=3)
    matrix = apply(_sources()[:4], series, label_names=LABELS)
    np.testing.assert_array_equal(matrix.compute().values, in_memory.values[:, :4])


# ---------------------------------------------------------------- faults and errors
def test_dask_fault_counts_are_summed_over_partitions(
    client: Client, ddf: dd.DataFrame, frame: pd.DataFrame
) -> None:
    sources = [*_sources(), fragile]
    with pytest.warns(UserWarning, match="W001"):
        want = apply(sources, frame, label_names=LABELS, fault_tolerant=True, progress=False)
    matrix = apply(sources, ddf, label_names=LABELS, fault_tolerant=True)
    with pytest.warns(UserWarning, match=r"\[W001\] .*fragile: 207.*summed over all partitions"):
        stats = matrix.stats()
    assert want.fault_counts == {"fragile": 207}
    assert matrix.fault_counts == want.fault_counts
    assert stats.n_examples == N_ROWS
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        matrix.stats()  # cached: computed and reported once


def test_dask_source_errors_reach_the_client_with_the_source_name(
    client: Client, ddf: dd.DataFrame
) -> None:
    matrix = apply([*_sources(), fragile], ddf, label_names=LABELS)
    with pytest.raises(SourceError, match="fragile"):
        matrix.stats()


def test_dask_unpicklable_source_gives_a_helpful_error(ddf: dd.DataFrame) -> None:
    @wl.labeling_function(resources={"lock": threading.Lock()})
    def locked(x: Any, lock: Any) -> int:
        with lock:
            return ABSTAIN

    with pytest.raises(SourceError, match=r"'locked' cannot be sent to the Dask workers") as info:
        apply([*_sources(), locked], ddf, label_names=LABELS)
    assert "cloudpickle" in str(info.value) and "on first use" in str(info.value)


def test_dask_checks_what_needs_no_data_eagerly(ddf: dd.DataFrame) -> None:
    with pytest.raises(SourceError, match="no column 'body'"):
        apply(_sources(), ddf, text_column="body")
    with pytest.raises(SourceError, match="cache=True"):
        apply(_sources(), ddf, cache=True)
    with pytest.raises(SourceError, match="n_jobs=2"):
        apply(_sources(), ddf, n_jobs=2)
    with pytest.raises(SourceError, match="Dask DataFrame or a Dask Series"):
        apply(_sources(), da.zeros((4, 2)))


# ---------------------------------------------------------------- one pass over the data
LOADS: list[int] = []


def _load(index: int) -> pd.DataFrame:
    LOADS.append(index)
    return _corpus(500, seed=index)


def test_dask_predictions_share_one_labeling_pass_with_the_frame() -> None:
    ddf = dd.from_map(_load, range(4), meta=_corpus(0))
    matrix = apply(_sources(), ddf, label_names=LABELS)
    with dask.config.set(scheduler="sync"):  # in-process, so that LOADS sees every load
        mv = wl.MajorityVote().fit(matrix.stats())
        ds = wl.DawidSkene().fit(matrix.stats())
        LOADS.clear()
        labeled = ddf.assign(mv=matrix.predict(mv), ds=matrix.predict(ds)).compute()
    assert sorted(LOADS) == [0, 1, 2, 3]  # each partition loaded (and labeled) once
    frame = pd.concat([_corpus(500, seed=i) for i in range(4)])
    want = apply(_sources(), frame, label_names=LABELS, progress=False)
    np.testing.assert_array_equal(labeled["ds"].to_numpy(), ds.predict(want))
    parts = dask.compute(*matrix.to_delayed(), scheduler="sync")
    assert all(isinstance(p, LabelMatrix) and p.n_examples == 500 for p in parts)
