"""Sequence models under bad or surprising input (issue 11, items 1 and 2).

A TokenMatrix's sources are matched by name, in any order; a missing or unknown source is
refused; ragged or non-integral weak labels get a numbered error, never a cast.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from weaklabel.errors import LabelMatrixError
from weaklabel.models.sequence import (
    HMM,
    SequenceLabelModel,
    TokenDawidSkene,
    TokenMajorityVote,
    load_sequence_model,
)
from weaklabel.tokens import TokenMatrix

from .conftest import make_corpus

MODEL_CLASSES = [HMM, TokenDawidSkene, SequenceLabelModel, TokenMajorityVote]
SOURCES = ("gaz", "regex", "spacy", "rules")


def _tokens() -> TokenMatrix:
    weak, _ = make_corpus(seed=5, n_sentences=30, n_sources=4)
    return TokenMatrix([np.maximum(w, 0) for w in weak], SOURCES, ("PER", "LOC"))


TM = _tokens()


@pytest.mark.parametrize("model_class", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_sources_are_matched_by_name(model_class: type) -> None:
    model = model_class().fit(TM)
    assert model.source_names_ == SOURCES
    shuffled = TM.select_sources(["rules", "gaz", "spacy", "regex"])
    for got, want in zip(model.predict_proba(shuffled), model.predict_proba(TM), strict=True):
        np.testing.assert_array_equal(got, want)
    assert model.predict(shuffled) == model.predict(TM)


def test_a_missing_or_unknown_source_is_refused() -> None:
    model = HMM().fit(TM)
    with pytest.raises(LabelMatrixError, match=r"\[E660\].*missing: \['rules'\]"):
        model.predict(TM.select_sources(["gaz", "regex", "spacy"]))
    renamed = TokenMatrix(TM.weak, ("gaz", "regex", "spacy", "ner"), ("PER", "LOC"))
    with pytest.raises(LabelMatrixError, match=r"not seen at fit time: \['ner'\]"):
        model.predict(renamed)


def test_plain_arrays_stay_positional_and_names_survive_saving(tmp_path: Path) -> None:
    model = TokenDawidSkene().fit(TM)
    assert model.predict(list(TM.weak)) == model.predict(TM)
    model.save(tmp_path / "m.json")
    loaded = load_sequence_model(tmp_path / "m.json")
    assert loaded.source_names_ == SOURCES
    assert loaded.predict(TM.select_sources(list(reversed(SOURCES)))) == model.predict(TM)


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        ([[0, 1], [1]], "rows of different lengths"),
        (np.array([[0.5, 1.0]]), "dtype float64"),
        (np.array([[np.nan, 1.0]]), "dtype float64"),
        (np.array([[1e300, 1.0]]), "dtype float64"),
    ],
)
def test_bad_weak_labels_are_refused(sentence: object, problem: str) -> None:
    with pytest.raises(LabelMatrixError, match=rf"\[E611\] Sentence 1: .*{problem}"):
        HMM(tags=["O", "B-PER", "I-PER"]).fit([np.array([[0, 1]]), sentence])


@pytest.mark.parametrize("gold", [None, 3, "B-PER O"])
def test_score_needs_a_list_of_tag_lists(gold: object) -> None:
    model = TokenMajorityVote().fit(TM)
    with pytest.raises(LabelMatrixError, match=r"\[E661\] gold_tags must be a list"):
        model.score(TM, gold)
