"""The shared augmenter code: row seeding, the retry loop, parameters and provenance."""

from __future__ import annotations

import json
import random

import pytest

from weaklabel.augment import Noise, Sequential, Synonym, SynonymOutsideEntities
from weaklabel.augment._errors import AugmentError
from weaklabel.augment.base import Augmenter, call_seed, distinct_variants, rng_for


def test_rng_for_is_the_row_stream_and_sub_streams_differ() -> None:
    assert rng_for(3, 7).random() == random.Random("3:7").random()
    assert rng_for(3, 7, 0, 1).random() != rng_for(3, 7).random()
    assert rng_for(3, 7, 0, 1).random() == rng_for(3, 7, 0, 1).random()


def test_call_seed_ignores_the_rows_but_not_the_sub_stream() -> None:
    assert call_seed([(5, 0), (5, 1)]) == call_seed([(5, 40)])
    assert call_seed([(5, 40)]) != call_seed([(6, 40)])
    assert call_seed([(5, 40, 1, 0)]) != call_seed([(5, 40, 2, 0)])


def test_distinct_variants_skips_the_original_repeats_and_blanks() -> None:
    made = ["a", "x", "x", "  ", "y", "z"]
    assert distinct_variants(made.__getitem__, "a", 2, len(made)) == ["x", "y"]
    assert distinct_variants(made.__getitem__, "a", 5, 3) == ["x"]  # attempts run out
    pairs = [("x", 1), ("x", 2), ("y", 3)]
    assert distinct_variants(pairs.__getitem__, "a", 5, 3, key=lambda p: p[0]) == [
        ("x", 1),
        ("y", 3),
    ]


class Upper(Augmenter):
    """An augmenter with one argument, to check the parameter machinery alone."""

    def __init__(self, *, suffix: str = "!") -> None:
        self.suffix = suffix

    def _augment_one(self, text: str, rng: random.Random) -> str:
        return f"{text.upper()}{self.suffix * rng.randint(1, 3)}"


def test_params_come_from_the_constructor() -> None:
    aug = Upper(suffix="?")
    assert aug.get_params() == {"suffix": "?"}
    assert repr(aug) == "Upper(suffix='?')"
    assert aug.set_params(suffix="#") is aug and aug.suffix == "#"
    with pytest.raises(AugmentError, match=r"E060.*suffix"):
        aug.set_params(prefix="x")


def test_nested_params_are_named_and_set_through_the_parent() -> None:
    inner = Synonym(p=0.2)
    outer = SynonymOutsideEntities(inner)
    assert outer.get_params()["synonym__p"] == 0.2
    outer.set_params(synonym__p=0.4)
    assert outer.synonym is inner and inner.p == 0.4
    with pytest.raises(AugmentError, match="E060"):
        outer.set_params(synonym__p=2.0)  # validated again, as by the constructor


def test_provenance_names_nested_augmenters() -> None:
    flow = Sequential([Noise(kinds=["case"]), Upper()])
    params = flow.provenance_params()
    assert json.loads(json.dumps(params)) == params
    assert [part["augmenter"] for part in params["augmenters"]] == ["Noise", "Upper"]
    assert params["augmenters"][1]["params"] == {"suffix": "!"}


def test_start_must_be_a_position() -> None:
    for bad in (-1, 1.5, True):
        with pytest.raises(AugmentError, match="E060"):
            Upper().augment(["a"], start=bad)  # type: ignore[arg-type]
