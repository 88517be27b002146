"""The contract every augmenter satisfies, checked once for all of them."""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import pytest

from tests.augment.conftest import HAVE_APERTIUM, HAVE_WORDNET, IN_CI
from weaklabel.augment import (
    Augmenter,
    BackTranslation,
    EntitySafe,
    LabelwiseTokenReplacement,
    Noise,
    OneOf,
    Sequential,
    Sometimes,
    SpanExample,
    Synonym,
    SynonymOutsideEntities,
)
from weaklabel.augment._errors import AugmentError

TEXTS = [
    "She recommended two cars to her friends.",
    "The children were running quickly through the old houses.",
    "I love New York.",
    "",
    "   ",
    None,
    42,
    "!!!",
    "a",
    "The committee approved the proposals after long debates.",
]


def _reverse_words(texts: list[str]) -> list[str]:
    return [" ".join(reversed(t.split())) for t in texts]


def _shout(texts: list[str]) -> list[str]:
    return [t.upper() for t in texts]


def _lower(texts: list[str]) -> list[str]:
    return [t.lower() for t in texts]


FACTORIES: dict[str, tuple[Callable[[], Augmenter], bool]] = {
    "synonym": (lambda: Synonym(p=0.5), HAVE_WORDNET or IN_CI),
    "synonym-nouns": (lambda: Synonym(pos=("NOUN",), max_per_sentence=1), HAVE_WORDNET or IN_CI),
    "backtranslation-callable": (lambda: BackTranslation(_shout, _lower), True),
    "backtranslation-routes": (
        lambda: BackTranslation.from_routes([(_shout, _lower), (_reverse_words, _reverse_words)]),
        True,
    ),
    "backtranslation-apertium": (
        lambda: BackTranslation.apertium("eng", "spa"),
        HAVE_APERTIUM or IN_CI,
    ),
    "noise": (lambda: Noise(p=0.2), True),
    "labelwise-tokens": (
        lambda: LabelwiseTokenReplacement.from_examples(
            [SpanExample.from_text(t) for t in TEXTS if isinstance(t, str) and t.strip()]
        ),
        True,
    ),
    "synonym-outside-entities": (lambda: SynonymOutsideEntities(), HAVE_WORDNET or IN_CI),
    "entity-safe-noise": (lambda: EntitySafe(Noise(p=0.2)), True),
    "sequential": (lambda: Sequential([Noise(kinds=["case"]), Noise(kinds=["typo"])]), True),
    "one-of": (
        lambda: OneOf([BackTranslation(_shout, _lower), Noise(p=0.2)], weights=[1, 2]),
        True,
    ),
    "sometimes-in-sequence": (
        lambda: Sequential([Sometimes(Noise(kinds=["case"]), p=0.5), Noise(kinds=["typo"])]),
        True,
    ),
}


@pytest.fixture(params=sorted(FACTORIES))
def augmenter(request: pytest.FixtureRequest) -> Augmenter:
    factory, available = FACTORIES[request.param]
    if not available:
        pytest.skip(f"{request.param}: its system package is not installed")
    return factory()


def test_contract_types_and_never_the_input(augmenter: Augmenter) -> None:
    out = augmenter.augment(TEXTS, n=2, seed=0)
    assert isinstance(out, list) and len(out) == len(TEXTS)
    for text, variants in zip(TEXTS, out, strict=True):
        assert isinstance(variants, list) and len(variants) <= 2
        assert all(isinstance(v, str) and v.strip() for v in variants)
        assert text not in variants
        assert len(set(variants)) == len(variants)
    assert out[3] == out[4] == out[5] == out[6] == []
    assert any(out)


def test_contract_deterministic(augmenter: Augmenter) -> None:
    assert augmenter.augment(TEXTS, n=2, seed=3) == augmenter.augment(TEXTS, n=2, seed=3)
    assert augmenter.augment(TEXTS[:2], n=2, seed=3) == augmenter.augment(TEXTS, n=2, seed=3)[:2]


def test_contract_empty_and_single_inputs(augmenter: Augmenter) -> None:
    assert augmenter.augment([], n=3) == []
    assert augmenter.augment([""], n=3) == [[]]
    assert augmenter.augment(TEXTS[0], n=1) == augmenter.augment([TEXTS[0]], n=1)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(AugmentError, match="E700"):
            augmenter.augment(TEXTS, n=bad)  # type: ignore[arg-type]


def test_contract_examples_carry_labels_and_provenance(augmenter: Augmenter) -> None:
    frame = pd.DataFrame(
        {
            "id": [f"doc{i}" for i in range(len(TEXTS))],
            "text": TEXTS,
            "label": list(range(len(TEXTS))),
        }
    )
    new = augmenter.augment_examples(frame, n=2, seed=0)
    assert list(new.columns) == ["text", "label", "original_id", "augmenter", "params"]
    expected = augmenter.augment(TEXTS, n=2, seed=0)
    assert len(new) == sum(map(len, expected))
    by_id = dict(zip(frame["id"], frame["label"], strict=True))
    for row in new.itertuples():
        assert row.label == by_id[row.original_id]
        assert row.augmenter == augmenter.name or row.augmenter.startswith(augmenter.name + "(")
        assert json.loads(row.params) == augmenter.provenance_params()
    records = frame.to_dict("records")
    pd.testing.assert_frame_equal(augmenter.augment_examples(records, n=2, seed=0), new)


def test_contract_examples_without_id_column_use_the_index(augmenter: Augmenter) -> None:
    frame = pd.DataFrame({"body": TEXTS[:3]}, index=[10, 11, 12])
    new = augmenter.augment_examples(frame, text_column="body")
    assert set(new["original_id"]) <= {10, 11, 12}
    assert list(new.columns) == ["body", "original_id", "augmenter", "params"]
    empty = augmenter.augment_examples(pd.DataFrame({"text": ["", None]}))
    assert empty.empty and list(empty.columns) == ["text", "original_id", "augmenter", "params"]
    with pytest.raises(AugmentError, match="E703"):
        augmenter.augment_examples(frame)
    with pytest.raises(AugmentError, match="E702"):
        augmenter.augment_examples(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["synonym", "backtranslation-routes"])
def test_contract_never_raises_on_odd_text(name: str) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    factory, available = FACTORIES[name]
    if not available:
        pytest.skip(f"{name}: its system package is not installed")
    augmenter = factory()
    words = st.sampled_from(["cars", "Running", "NEW", "York", "it's", "well-known", "ﬁne"])
    texts = st.one_of(
        st.text(max_size=40),
        st.lists(st.one_of(words, st.text(max_size=6)), max_size=8).map(" ".join),
    )

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(texts, max_size=4), st.integers(0, 2**31))
    def check(batch: list[str], seed: int) -> None:
        out = augmenter.augment(batch, n=2, seed=seed)
        assert len(out) == len(batch)
        for text, variants in zip(batch, out, strict=True):
            assert text not in variants and len(variants) <= 2

    check()
