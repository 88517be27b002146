"""What each sequence model does beyond the common contract."""

from __future__ import annotations

import numpy as np
import pytest

from weaklabel.errors import ParameterError
from weaklabel.models.sequence import (
    HMM,
    SequenceLabelModel,
    TokenDawidSkene,
    TokenMajorityVote,
)

from .conftest import TAGS, is_valid_bio, make_corpus

Corpus = tuple[list[np.ndarray], list[list[str]]]


def test_majority_votes_types_and_reads_bio_by_continuity() -> None:
    # columns: three sources; 1/2 = B/I-PER, 3/4 = B/I-LOC
    weak = [
        np.array(
            [
                [1, 0, 3],  # PER 1 vs LOC 1: tie -> first type (PER)
                [2, 3, -1],  # PER 1 vs LOC 1 again -> PER, continues -> I-PER
                [0, 0, 0],  # no vote ("O" abstains) -> O
                [4, 4, 0],  # LOC after O -> B-LOC, whatever the sources' prefixes
                [3, 3, 3],  # LOC after LOC -> I-LOC (continuity merges)
            ]
        )
    ]
    model = TokenMajorityVote(tags=list(TAGS)).fit(weak)
    assert model.predict(weak) == [["B-PER", "I-PER", "O", "B-LOC", "I-LOC"]]
    proba = model.predict_proba(weak)[0]
    np.testing.assert_allclose(proba[0], [0, 0.5, 0, 0.5, 0])
    np.testing.assert_allclose(proba[1], [0, 0, 0.5, 0.5, 0])  # LOC share sits on B-LOC
    assert proba[2, 0] == 1.0


def _noisy_corpus(seed: int) -> Corpus:
    """Three decent sources plus one that tags random tokens as LOC."""
    weak, gold = make_corpus(seed, n_sentences=300, n_sources=3)
    rng = np.random.default_rng(seed + 100)
    noisy = []
    for w in weak:
        junk = np.where(rng.random(len(w)) < 0.3, 3, 0)
        noisy.append(np.column_stack([w, junk]))
    return noisy, gold


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [
        (HMM, {"silence": "per_source", "mv_prior_strength": 0.0}),
        (TokenDawidSkene, {"anchor": "leave_one_out"}),
        (HMM, {"anchor": "leave_one_out"}),
    ],
)
def test_models_learn_to_discount_a_noisy_source(cls: type[HMM], kwargs: dict[str, object]) -> None:
    weak, gold = _noisy_corpus(1)
    mv = TokenMajorityVote(tags=list(TAGS)).fit(weak).score(weak, gold)
    learned = cls(tags=list(TAGS), **kwargs).fit(weak).score(weak, gold)  # type: ignore[arg-type]
    assert learned > mv + 0.2, (learned, mv)


def test_models_default_never_trails_majority_on_a_noisy_source() -> None:
    weak, gold = _noisy_corpus(1)
    mv = TokenMajorityVote(tags=list(TAGS)).fit(weak).score(weak, gold)
    assert SequenceLabelModel(tags=list(TAGS)).fit(weak).score(weak, gold) > mv


def test_models_duplicate_sources_share_one_vote(corpus: Corpus) -> None:
    weak = [np.column_stack([w, w[:, 0]]) for w in corpus[0]]
    model = SequenceLabelModel(tags=list(TAGS)).fit(weak)
    np.testing.assert_allclose(model.source_weights_, [0.5, 1, 1, 1, 0.5])
    off = SequenceLabelModel(tags=list(TAGS), redundancy_threshold=2.0).fit(weak)
    np.testing.assert_allclose(off.source_weights_, 1.0)


def test_hmm_options(corpus: Corpus) -> None:
    weak, gold = corpus
    for kwargs in (
        {"decoding": "viterbi"},
        {"silence": "per_source"},
        {"source_context": True},
        {"n_iter": 0},
        {"mv_prior_strength": 0.0},
        {"anchor": "leave_one_out"},
    ):
        model = HMM(tags=list(TAGS), **kwargs).fit(weak)
        assert all(is_valid_bio(t) for t in model.predict(weak)), kwargs
        assert model.score(weak, gold) > 0.5, kwargs
    context = HMM(tags=list(TAGS), source_context=True).fit(weak)
    assert context.emit_.shape == (4, 5, 10)
    np.testing.assert_allclose(context.trans_.sum(axis=1), 1.0)
    assert context.trans_[0, 2] == 0.0 and context.start_[2] == 0.0  # BIO constraints
    assert 1 <= context.n_iter_ <= 100 and np.isfinite(context.log_likelihood_)


def test_dawid_skene_has_a_class_prior_and_no_transitions(corpus: Corpus) -> None:
    model = TokenDawidSkene(tags=list(TAGS)).fit(corpus[0])
    assert model.class_prior_.shape == (5,) and model.class_prior_.sum() == pytest.approx(1.0)
    assert not hasattr(model, "trans_")
    assert "source_context" not in model.get_params()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"silence": "loud"}, "silence"),
        ({"decoding": "greedy"}, "decoding"),
        ({"n_iter": -1}, "n_iter"),
        ({"tol": float("nan")}, "tol"),
        ({"prior_strength": 0.0}, "prior_strength"),
        ({"source_context": 1}, "source_context"),
        ({"tags": "O B-X I-X"}, "tags"),
        ({"anchor": "mean"}, "anchor"),
    ],
)
def test_hmm_bad_parameters_name_the_parameter(
    corpus: Corpus, kwargs: dict[str, object], name: str
) -> None:
    with pytest.raises(ParameterError, match=rf"\[E060\] HMM: {name} must be"):
        HMM(**kwargs).fit(corpus[0])  # type: ignore[arg-type]


def test_models_accept_a_token_matrix() -> None:
    tokens = pytest.importorskip("weaklabel.tokens")
    matrix = tokens.TokenMatrix.from_tags(
        [[["B-PER", "O"], ["I-PER", "O"], ["O", "B-LOC"]]] * 4, ["a", "b"], ["PER", "LOC"]
    )
    for cls in (TokenMajorityVote, HMM, TokenDawidSkene, SequenceLabelModel):
        model = cls().fit(matrix)  # tags from .tag_names, int8 votes
        assert model.tags_ == ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
        assert model.predict(matrix)[0] == ["B-PER", "I-PER", "B-LOC"]


@pytest.mark.parametrize("n_sources", [3, 30])
def test_em_patterns_are_distinct_rows_in_a_fixed_order(n_sources: int) -> None:
    from weaklabel.models.sequence._em import _distinct_rows

    rng = np.random.default_rng(n_sources)
    codes = rng.integers(0, 7, size=(500, n_sources))
    codes[rng.random(codes.shape) < 0.8] = 6  # mostly abstains, as real votes are
    rows, counts, inverse = _distinct_rows(codes, 6)
    assert rows.dtype == np.int64 and len(np.unique(rows, axis=0)) == len(rows)
    np.testing.assert_array_equal(rows[inverse], codes)
    assert counts.sum() == 500 and np.array_equal(np.bincount(inverse), counts)
    # few sources: ordered as numbers whose last column is the most significant digit;
    # many: lexicographically from the first column (the order the EM sums run in)
    keys = rows[:, ::-1] if n_sources == 3 else rows
    assert [tuple(r) for r in keys] == sorted(tuple(r) for r in keys)
