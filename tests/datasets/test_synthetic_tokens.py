"""The synthetic token-matrix generator: seeded, shaped as documented, knobs that bite."""

from __future__ import annotations

import numpy as np
import pytest

from weaklabel.datasets.synthetic_tokens import (
    PRESETS,
    SyntheticSource,
    make_token_matrix,
)
from weaklabel.errors import ParameterError
from weaklabel.models.sequence import SequenceLabelModel, TokenMajorityVote
from weaklabel.tags import TagSpace


def _spans(tags: list[list[str]]) -> int:
    return sum(t.startswith("B-") for sentence in tags for t in sentence)


def test_synthetic_tokens_same_seed_same_corpus() -> None:
    a = make_token_matrix(preset="conll-like", n_sentences=50, seed=3)
    b = make_token_matrix(preset="conll-like", n_sentences=50, seed=3)
    c = make_token_matrix(preset="conll-like", n_sentences=50, seed=4)
    assert a.matrix.equals(b.matrix) and a.tags == b.tags
    assert not a.matrix.equals(c.matrix)


def test_synthetic_tokens_shapes_and_tag_sets() -> None:
    data = make_token_matrix(preset="conll-like", n_sentences=40, seed=0)
    assert "conll-like" in PRESETS
    assert data.entity_types == ("PER", "ORG", "LOC", "MISC")
    assert data.matrix.entity_types == ("PER", "ORG", "LOC", "MISC", "ENT")
    assert data.underspecified == {"ENT": ("PER", "ORG", "LOC", "MISC")}
    assert data.matrix.n_sources == 16 and len(data) == 40
    for weak, gold in zip(data.weak, data.tags, strict=True):
        assert weak.shape == (len(gold), 16)
        assert 4 <= len(gold) <= 30
    assert {t[2:] for s in data.tags for t in s if t != "O"} <= set(data.entity_types)


def test_synthetic_tokens_perfect_source_reproduces_gold() -> None:
    data = make_token_matrix(
        [SyntheticSource("perfect", recall=1.0, hardness=0.0)],
        entity_types=["PER", "LOC"],
        n_sentences=30,
        seed=1,
    )
    space = TagSpace(data.tag_names)
    for weak, gold in zip(data.weak, data.tags, strict=True):
        assert [space.tags[i] for i in weak[:, 0]] == gold


def test_synthetic_tokens_knobs_change_the_votes() -> None:
    def column_tags(source: SyntheticSource) -> list[str]:
        data = make_token_matrix([source], entity_types=["ORG", "LOC"], n_sentences=200, seed=2)
        return [data.tag_names[i] for w in data.weak for i in w[:, 0]]

    confused = column_tags(
        SyntheticSource("c", recall={"ORG": 1.0}, confusion=1.0, confuse={"ORG": "LOC"})
    )
    assert "B-LOC" in confused and "B-ORG" not in confused
    narrow = column_tags(SyntheticSource("n", recall=1.0, types=["LOC"], noise=0.05))
    assert "B-ORG" not in narrow
    ent = column_tags(SyntheticSource("e", recall=1.0, underspecified=True))
    assert {t for t in ent if t != "O"} == {"B-ENT", "I-ENT"}


def test_synthetic_tokens_copies_are_correlated() -> None:
    data = make_token_matrix(
        [
            SyntheticSource("a", recall=0.5, hardness=0.0),
            SyntheticSource("b", recall=0.0, copy_of="a", copy_rate=1.0),
        ],
        entity_types=["PER"],
        n_sentences=50,
        seed=0,
    )
    values, _ = data.matrix.to_flat()
    assert np.array_equal(values[:, 0], values[:, 1])


def test_synthetic_tokens_bad_arguments_raise() -> None:
    with pytest.raises(ParameterError, match="preset"):
        make_token_matrix(preset="nope")
    with pytest.raises(ParameterError, match="copy_of"):
        make_token_matrix([SyntheticSource("a", copy_of="b")], entity_types=["PER"])
    with pytest.raises(ParameterError, match="recall"):
        make_token_matrix([SyntheticSource("a", recall={"XYZ": 1.0})], entity_types=["PER"])


def test_synthetic_tokens_conll_like_learning_beats_the_vote() -> None:
    train = make_token_matrix(preset="conll-like", n_sentences=1500, seed=0)
    test = make_token_matrix(preset="conll-like", n_sentences=1500, seed=1)
    mv = TokenMajorityVote().fit(train.matrix).score(test.matrix, test.tags)
    model = SequenceLabelModel(underspecified=train.underspecified).fit(train.matrix)
    assert model.score(test.matrix, test.tags) > mv + 0.05
    assert _spans(test.tags) > 1500
