"""Acceptance on the real WRENCH NER sets: entity F1 on test, fit on train (WRENCH sources).

The bar (issue 4): ``SequenceLabelModel`` beats the best peer on average over bc5cdr and
laptopreview -- the best of a type-level majority vote (83.45 / 73.27), skweak's HMM with
its defaults (69.02 / 73.63) and WRENCH's published HMM (81.67 / 73.26) and CHMM (83.70 /
73.34) -- so its mean must exceed (83.70 + 73.63) / 2 = 78.665, and it must stay within one
point of that best on each set (>= 82.70 and >= 72.63).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from weaklabel.datasets.wrench_seq import WrenchSeqDataset, load_wrench_seq
from weaklabel.models.sequence import (
    HMM,
    SEQUENCE_MODELS,
    SequenceLabelModel,
    TokenMajorityVote,
)

from .conftest import is_valid_bio

pytestmark = pytest.mark.realdata

BEST_PEER = {"bc5cdr": 83.70, "laptopreview": 73.63}
Splits = dict[str, tuple[WrenchSeqDataset, WrenchSeqDataset]]


@pytest.fixture(scope="module")
def sets(shared_data: Path) -> Splits:
    root = shared_data / "wrench" / "seq_tagging"
    return {
        name: (load_wrench_seq(root / name, "train"), load_wrench_seq(root / name, "test"))
        for name in BEST_PEER
    }


def _f1(model: object, train: WrenchSeqDataset, test: WrenchSeqDataset) -> float:
    fitted = model.fit(train)  # type: ignore[attr-defined]
    return 100 * float(fitted.score(test, test.tags))


def test_realdata_sequence_label_model_meets_the_acceptance_bar(sets: Splits) -> None:
    scores = {name: _f1(SequenceLabelModel(), *sets[name]) for name in BEST_PEER}
    for name, score in scores.items():
        assert score >= BEST_PEER[name] - 1.0, (name, score)
    mean = sum(scores.values()) / len(scores)
    assert mean > sum(BEST_PEER.values()) / len(BEST_PEER), scores


def test_realdata_majority_vote_reproduces_the_quoted_numbers(sets: Splits) -> None:
    assert round(_f1(TokenMajorityVote(), *sets["bc5cdr"]), 2) == 83.45
    assert round(_f1(TokenMajorityVote(), *sets["laptopreview"]), 2) == 73.27


def test_realdata_hmm_beats_skweak_hmm_and_wrench_hmm_on_bc5cdr(sets: Splits) -> None:
    assert _f1(HMM(), *sets["bc5cdr"]) > 81.67
    assert _f1(HMM(), *sets["laptopreview"]) >= 73.26


@pytest.mark.parametrize("cls", SEQUENCE_MODELS, ids=lambda c: c.__name__)
def test_realdata_every_model_gives_valid_bio_on_test(sets: Splits, cls: type) -> None:
    train, test = sets["laptopreview"]
    predictions = cls().fit(train).predict(test)
    assert len(predictions) == len(test)
    assert all(
        len(p) == len(t) and is_valid_bio(p) for p, t in zip(predictions, test.tokens, strict=True)
    )
