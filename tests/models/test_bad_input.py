"""Label models under bad or surprising input (issue 11, items 2, 6, 7 and the tracebacks).

Columns are matched by source name when both sides name them; other label spaces are
refused; the number of classes is inferred only within a plausible range; seeds, paths and
gold labels get a numbered error instead of a traceback.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weaklabel.errors import (
    LabelMatrixError,
    LabelModelError,
    LabelSpaceError,
    ModelSaveError,
)
from weaklabel.matrix import LabelMatrix
from weaklabel.models import MODELS, BaseLabelModel, LabelModel, MajorityVote
from weaklabel.stats import LabelStats

NAMES = ("kw_good", "kw_bad", "regex", "heuristic", "model")


def _matrix(seed: int = 0, n: int = 300) -> tuple[LabelMatrix, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    accuracy = np.array([0.95, 0.55, 0.85, 0.7, 0.8])
    right = rng.random((n, 5)) < accuracy
    votes = np.where(right, y[:, None], 1 - y[:, None])
    votes = np.where(rng.random((n, 5)) < 0.7, votes, -1)
    return LabelMatrix(votes, NAMES, ("NEG", "POS")), y


L, Y = _matrix()


# ------------------------------------------------------------------ alignment by name
@pytest.mark.parametrize("model_class", MODELS, ids=lambda cls: cls.__name__)
def test_predict_matches_sources_by_name(model_class: type[BaseLabelModel]) -> None:
    model = model_class().fit(L)
    assert model.source_names_ == NAMES and model.label_names_ == ("NEG", "POS")
    shuffled = L.select_sources(["model", "regex", "kw_good", "heuristic", "kw_bad"])
    np.testing.assert_array_equal(model.predict_proba(shuffled), model.predict_proba(L))
    assert model.score(shuffled, Y) == model.score(L, Y)
    frame = pd.DataFrame(shuffled.values, columns=list(shuffled.source_names))
    np.testing.assert_array_equal(model.predict_proba(frame), model.predict_proba(L))


def test_a_missing_or_unknown_source_is_refused_naming_them() -> None:
    model = LabelModel().fit(L)
    with pytest.raises(LabelMatrixError, match=r"\[E143\].*missing: \['heuristic'\]"):
        model.predict(L.select_sources(["kw_good", "kw_bad", "regex", "model"]))
    renamed = LabelMatrix(L.values, ("kw_good", "kw_bad", "regex", "heuristic", "clf"))
    with pytest.raises(LabelMatrixError, match=r"missing: \['model'\]; not seen at fit.*\['clf'\]"):
        model.predict_proba(renamed)


def test_other_label_names_or_class_counts_are_refused() -> None:
    model = MajorityVote().fit(L)
    other = LabelMatrix(L.values, NAMES, ("A", "B"))
    with pytest.raises(LabelSpaceError, match=r"\[E144\].*\['NEG', 'POS'\].*\['A', 'B'\]"):
        model.predict(other)
    three = LabelMatrix(L.values, NAMES, ("NEG", "POS", "NEU"))
    with pytest.raises(LabelSpaceError, match=r"\[E144\]"):
        model.predict(three)
    unnamed = MajorityVote().fit(L.values)  # no label names known: the count must match
    with pytest.raises(LabelSpaceError, match=r"\[E145\].*2 classes.*3 label names"):
        unnamed.predict(three)
    np.testing.assert_array_equal(unnamed.predict(other), model.predict(L))


def test_plain_arrays_are_positional_and_need_the_same_column_count() -> None:
    model = LabelModel().fit(L)
    np.testing.assert_array_equal(model.predict_proba(L.values), model.predict_proba(L))
    with pytest.raises(LabelMatrixError, match=r"\[E101\].*5 sources.*4 columns"):
        model.predict(L.values[:, :4])
    unnamed = LabelModel().fit(L.values)  # fitted without names: any named L by position
    assert unnamed.source_names_ == ()
    np.testing.assert_array_equal(unnamed.predict_proba(L), model.predict_proba(L))


def test_placeholder_names_mean_unknown() -> None:
    model = MajorityVote().fit(LabelMatrix(L.values))  # source_0 .. source_4
    assert model.source_names_ == ()
    np.testing.assert_array_equal(model.predict(L), model.predict(L.values))


def test_names_survive_save_and_load(tmp_path: Path) -> None:
    model = LabelModel().fit(L)
    model.save(tmp_path / "m.json")
    loaded = LabelModel.load(tmp_path / "m.json")
    assert loaded.source_names_ == NAMES and loaded.label_names_ == ("NEG", "POS")
    shuffled = L.select_sources(list(reversed(NAMES)))
    np.testing.assert_array_equal(loaded.predict_proba(shuffled), model.predict_proba(L))


# ------------------------------------------------------------------ gold labels by name
def test_score_takes_label_names_when_the_model_knows_them() -> None:
    model = LabelModel().fit(L)
    names = np.array(["NEG", "POS"])[Y]
    assert model.score(L, names) == model.score(L, Y)
    assert model.score(L, list(names), metric="f1") == model.score(L, Y, metric="f1")
    with pytest.raises(LabelModelError, match=r"\[E146\].*'neg' \(row 0\).*label names"):
        model.score(L, ["neg", *names[1:]])


def test_score_with_strings_and_no_label_names_is_refused() -> None:
    model = MajorityVote().fit(L.values)
    with pytest.raises(LabelModelError, match=r"\[E146\].*'POS' \(row 0\).*knows no label names"):
        model.score(L.values, np.array(["NEG", "POS"])[Y])


def test_score_refuses_fractional_gold_labels() -> None:
    model = MajorityVote().fit(L)
    with pytest.raises(LabelModelError, match=r"\[E123\].*0.5"):
        model.score(L, np.full(len(Y), 0.5))


# ------------------------------------------------------------------ the number of classes
@pytest.mark.parametrize("model_class", [MajorityVote, LabelModel], ids=lambda c: c.__name__)
def test_a_huge_label_is_refused_at_once(model_class: type[BaseLabelModel]) -> None:
    start = time.perf_counter()
    with pytest.raises(LabelModelError, match=r"\[E141\].*1099511627776 \(row 0, source "):
        model_class().fit([[0, 2**40], [1, 0]])
    assert time.perf_counter() - start < 1.0


def test_the_inference_limit_names_value_row_source_and_the_way_out() -> None:
    votes = np.zeros((5, 3), dtype=np.int64)
    votes[3, 2] = 99  # 100 classes inferred from 5 rows: more than 10 per row
    with pytest.raises(LabelModelError, match=r"99 \(row 3, source 'c'\).*cardinality="):
        MajorityVote().fit(LabelMatrix(votes, ("a", "b", "c")))
    model = MajorityVote(cardinality=100).fit(votes)  # asked for: fine
    assert model.cardinality_ == 100
    rows = np.zeros((10, 2), dtype=np.int64)
    rows[0, 0] = 99  # 100 classes for 10 rows is plausible
    assert MajorityVote().fit(rows).cardinality_ == 100
    big = np.zeros((1000, 2), dtype=np.int64)
    big[0, 0] = 1000  # 1001 classes: over the absolute limit, whatever the rows
    with pytest.raises(LabelModelError, match=r"\[E141\].*at most 1000"):
        LabelModel().fit(big)


def test_the_inference_limit_holds_for_stats_and_partial_fit() -> None:
    votes = np.array([[0, 5000], [1, 0]])
    with pytest.raises(LabelModelError, match=r"\[E141\]"):
        MajorityVote().fit(LabelStats.from_matrix(votes))
    model = MajorityVote()
    model.partial_fit(np.array([[0, 1], [1, 0]]))
    with pytest.raises(LabelModelError, match=r"\[E141\]"):
        model.partial_fit(votes)


def test_an_absurd_cardinality_is_refused_before_allocating() -> None:
    with pytest.raises(LabelModelError, match=r"\[E142\].*1099511627776"):
        MajorityVote(cardinality=2**40).fit([[0, 1]])


@pytest.mark.parametrize(
    "values",
    [
        np.array([[0.5, 1.0], [1.0, 0.0]]),
        np.array([[np.nan, 1.0], [1.0, 0.0]]),
        np.array([[np.inf, 1.0], [1.0, 0.0]]),
        np.array([[1e300, 1.0], [1.0, 0.0]]),
    ],
)
def test_float_matrices_that_are_not_votes_are_refused(values: np.ndarray) -> None:
    with pytest.raises(LabelMatrixError, match=r"\[E021\].*row 0, column 0"):
        MajorityVote().fit(values)


def test_whole_floats_are_still_read_as_votes() -> None:
    floats = L.values.astype(np.float64)
    np.testing.assert_array_equal(
        MajorityVote().fit(floats).predict(floats), MajorityVote().fit(L.values).predict(L.values)
    )


def test_a_ragged_list_is_a_label_matrix_error() -> None:
    with pytest.raises(LabelMatrixError, match=r"\[E027\].*row 0 has 2 votes, row 2 has 1"):
        LabelModel().fit([[0, 1], [1, 0], [1]])


# ------------------------------------------------------------------ parameters and paths
@pytest.mark.parametrize("seed", ["abc", 1.5, -1, True, None])
def test_a_bad_seed_is_an_e060_naming_seed(seed: object) -> None:
    with pytest.raises(LabelModelError, match=r"\[E060\] LabelModel: seed must be an integer"):
        LabelModel(seed=seed).fit(L)  # type: ignore[arg-type]


def test_save_into_a_missing_folder_is_refused_naming_the_folder(tmp_path: Path) -> None:
    model = MajorityVote().fit(L)
    target = tmp_path / "missing" / "model.json"
    with pytest.raises(ModelSaveError, match=r"\[E138\].*the folder .*missing does not exist"):
        model.save(target)
    assert not (tmp_path / "missing").exists()  # nothing created unasked
    with pytest.raises(OSError, match=r"\[E139\].*it is a folder"):
        model.save(tmp_path)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ModelSaveError, match=r"\[E139\].*is not a folder"):
        model.save(tmp_path / "file" / "model.json")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_save_into_a_read_only_folder_names_the_path(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ModelSaveError, match=r"\[E139\].*ro/model\.json"):
            MajorityVote().fit(L).save(folder / "model.json")
    finally:
        folder.chmod(0o700)


def test_dev_labels_and_given_accuracies_that_are_not_numbers_are_refused() -> None:
    with pytest.raises(LabelModelError, match=r"\[E060\] LabelModel: y_dev must be class ids"):
        LabelModel().fit(L, y_dev=["NEG", "POS", "NEG"], L_dev=L.values[:3])
    with pytest.raises(LabelModelError, match=r"y_dev must be class ids.*0.5"):
        LabelModel().fit(L, y_dev=[0.5, 1.0, 0.0], L_dev=L.values[:3])
    from weaklabel.models import WeightedMajorityVote

    with pytest.raises(LabelModelError, match=r"\[E108\] accuracies must hold 5"):
        WeightedMajorityVote(accuracies="abc").fit(L)


@pytest.mark.parametrize("model_class", MODELS, ids=lambda cls: cls.__name__)
def test_partial_fit_matches_batches_by_source_name(model_class: type[BaseLabelModel]) -> None:
    first, second = LabelMatrix(L.values[:150], NAMES, ("NEG", "POS")), L
    whole = model_class().fit(
        LabelMatrix(np.vstack([first.values, second.values]), NAMES, ("NEG", "POS"))
    )
    streamed = model_class().partial_fit(first)
    streamed.partial_fit(second.select_sources(list(reversed(NAMES))))
    np.testing.assert_allclose(streamed.predict_proba(L), whole.predict_proba(L), atol=1e-12)
    with pytest.raises(LabelMatrixError, match=r"\[E143\]"):
        streamed.partial_fit(LabelMatrix(L.values, ("x", *NAMES[1:])))
    with pytest.raises(LabelSpaceError, match=r"\[E144\]"):
        streamed.partial_fit(LabelMatrix(L.values, NAMES, ("A", "B")))
