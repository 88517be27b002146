"""SequenceLabelModel's own behaviour: pairwise silence, underspecified labels, constraints."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from weaklabel.datasets.synthetic_tokens import SyntheticSource, make_token_matrix
from weaklabel.errors import ParameterError
from weaklabel.models.sequence import SequenceLabelModel, load_sequence_model
from weaklabel.tokens import TokenMatrix, tag_names_for

TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ENT", "I-ENT"]


def _noisy_copy_corpus(seed: int, n: int = 800) -> tuple[object, list[list[str]]]:
    """The conll-like preset without its type-less source."""
    data = make_token_matrix(preset="conll-like", n_sentences=n, seed=seed)
    keep = [s.name for s in data.sources if not s.underspecified]
    matrix = data.matrix.select_sources(keep)
    return TokenMatrix(matrix.weak, matrix.source_names, data.entity_types), data.tags


def test_default_pairwise_silence_discounts_lone_noisy_votes() -> None:
    train, _ = _noisy_copy_corpus(0, 1500)
    test, gold = _noisy_copy_corpus(1, 1500)
    with_pairs = SequenceLabelModel().fit(train).score(test, gold)
    without = SequenceLabelModel(pair_prior_strength=None).fit(train).score(test, gold)
    assert with_pairs > without + 0.03


def test_default_pair_silent_shape_and_off_switch() -> None:
    train, _ = _noisy_copy_corpus(0)
    model = SequenceLabelModel().fit(train)
    assert model.pair_silent_.shape == (15, 15, 9)
    assert ((model.pair_silent_ > 0) & (model.pair_silent_ < 1)).all()
    off = SequenceLabelModel(pair_prior_strength=None).fit(train)
    assert (off.pair_silent_ == 1).all()


def test_default_underspecified_votes_never_come_out() -> None:
    # source 0 knows the type, source 1 only says "entity"
    weak = [np.array([[1, 5], [2, 6], [0, 0]]), np.array([[3, 5], [0, 5], [0, 0]])] * 10
    model = SequenceLabelModel(tags=TAGS, underspecified={"ENT": ["PER", "LOC"]}).fit(weak)
    predicted = model.predict(weak)
    assert all("ENT" not in t for s in predicted for t in s)
    assert predicted[0] == ["B-PER", "I-PER", "O"]
    for proba in model.predict_proba(weak):
        assert np.allclose(proba[:, 5:], 0.0)


def test_default_underspecified_only_votes_get_a_real_type() -> None:
    # without the pairwise model, a lone ENT vote is weighed by the ENT source's precision
    weak = [np.array([[1, 5], [0, 0]]), np.array([[0, 5], [0, 0]])] * 10
    model = SequenceLabelModel(
        tags=TAGS, underspecified={"ENT": ["PER"]}, pair_prior_strength=None
    ).fit(weak)
    assert model.predict(weak[1:2]) == [["B-PER", "O"]]


def test_default_underspecified_unknown_label_raises() -> None:
    weak = [np.array([[1, 5], [0, 0]])]
    with pytest.raises(ParameterError, match="underspecified"):
        SequenceLabelModel(tags=TAGS, underspecified={"ANY": ["PER"]}).fit(weak)
    with pytest.raises(ParameterError, match="underspecified"):
        SequenceLabelModel(tags=TAGS, underspecified={"ENT": ["ORG"]}).fit(weak)
    with pytest.raises(ParameterError, match="underspecified"):
        SequenceLabelModel(tags=TAGS, underspecified="ENT").fit(weak)  # type: ignore[arg-type]


def test_default_excluded_types_read_as_abstains() -> None:
    tags = TAGS[:5]
    weak = [np.array([[3, 0], [0, 0]]), np.array([[1, 1], [0, 0]])] * 5
    plain = SequenceLabelModel(tags=tags).fit(weak)
    assert plain.predict(weak[:1]) == [["B-LOC", "O"]]
    model = SequenceLabelModel(tags=tags, excluded_types={"0": ["LOC"]}).fit(weak)
    assert model.predict(weak[:1]) == [["O", "O"]]
    assert model.predict(weak[1:2]) == [["B-PER", "O"]]


def test_default_excluded_types_by_source_name() -> None:
    data = make_token_matrix(
        [SyntheticSource("a", recall=1.0), SyntheticSource("b", recall=1.0)],
        entity_types=["PER", "LOC"],
        n_sentences=20,
        seed=0,
    )
    model = SequenceLabelModel(excluded_types={"a": ["LOC"], "b": ["LOC"]}).fit(data.matrix)
    assert all("LOC" not in t for s in model.predict(data.matrix) for t in s)
    with pytest.raises(ParameterError, match="excluded_types"):
        SequenceLabelModel(excluded_types={"zzz": ["LOC"]}).fit(data.matrix)


def test_default_forbidden_transitions_split_nothing_they_should_not() -> None:
    tags = TAGS[:5]
    weak = [np.array([[1, 1], [1, 1], [0, 0]])] * 5  # two one-token PER in a row
    assert SequenceLabelModel(tags=tags).fit(weak).predict(weak[:1]) == [["B-PER", "B-PER", "O"]]
    model = SequenceLabelModel(tags=tags, forbidden_transitions=[("B-PER", "B-PER")]).fit(weak)
    assert model.predict(weak[:1]) == [["B-PER", "I-PER", "O"]]
    with pytest.raises(ParameterError, match="forbidden_transitions"):
        SequenceLabelModel(tags=tags, forbidden_transitions=[("B-PER",)]).fit(weak)


def test_default_save_load_with_constraints_is_exact(tmp_path: Path) -> None:
    weak = [np.array([[1, 5], [2, 6], [0, 0]]), np.array([[3, 5], [0, 5], [0, 0]])] * 10
    model = SequenceLabelModel(
        tags=TAGS,
        underspecified={"ENT": ["PER", "LOC"]},
        excluded_types={"1": ["LOC"]},
        forbidden_transitions=[["B-PER", "B-PER"]],
    ).fit(weak)
    model.save(tmp_path / "m.json")
    loaded = load_sequence_model(tmp_path / "m.json")
    assert loaded.get_params() == model.get_params() or str(loaded) == str(model)
    for a, b in zip(loaded.predict_proba(weak), model.predict_proba(weak), strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(loaded.pair_silent_, model.pair_silent_)  # type: ignore[attr-defined]


def test_default_sources_of_another_corpus_change_nothing() -> None:
    # two corpora in one fit, each source abstaining on the other's documents: the small
    # one must come out as if fitted alone (its class prior is not diluted by the other)
    news = make_token_matrix(preset="conll-like", n_sentences=1500, seed=0)
    terms = make_token_matrix(
        [
            SyntheticSource("dictionary", recall=0.6, false_positive=0.1),
            SyntheticSource("phrases", recall=0.5, false_positive=0.3, noise=0.01),
            SyntheticSource("capitals", recall=0.3, false_positive=0.2, noise=0.01),
        ],
        entity_types=["TERM"],
        n_sentences=300,
        seed=1,
    )
    tags = tag_names_for([*news.matrix.entity_types, "TERM"])
    remap_news = np.array([tags.index(t) for t in news.matrix.tag_names])
    remap_terms = np.array([tags.index(t) for t in terms.matrix.tag_names])
    m, n = news.matrix.n_sources, terms.matrix.n_sources
    both = [np.hstack([remap_news[w], np.full((len(w), n), -1)]) for w in news.matrix.weak]
    both += [np.hstack([np.full((len(w), m), -1), remap_terms[w]]) for w in terms.matrix.weak]
    alone = [remap_terms[w] for w in terms.matrix.weak]
    model = SequenceLabelModel(tags=tags, underspecified=news.underspecified).fit(both)
    together = model.predict(both)[len(news.tags) :]
    assert model.coverage_.shape == (2, m + n)
    separate = SequenceLabelModel(tags=tags).fit(alone).predict(alone)
    assert together == separate


def test_default_pairs_never_seen_together_count_silence_per_source() -> None:
    # sources 0 and 2 never vote on the same sentence: their pair has no evidence of its own
    weak = [np.array([[1, 1, -1], [0, 0, -1]]), np.array([[-1, 1, 1], [-1, 0, 0]])] * 5
    model = SequenceLabelModel(tags=TAGS[:3]).fit(weak)
    assert model.source_silent_.shape == (3, 3)
    assert np.allclose(model.pair_silent_[0, 2], model.source_silent_[0])
    assert np.allclose(model.pair_silent_[2, 0], model.source_silent_[2])
    assert not np.allclose(model.pair_silent_[0, 1], model.source_silent_[0])
