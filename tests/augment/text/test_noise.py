"""Noise: the augmenter contract, each kind's edits, protected terms/spans, max_edits."""

from __future__ import annotations

import itertools
import json
import pickle
import re
from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weaklabel.augment._errors import AugmentError
from weaklabel.augment.text.noise import KINDS, OCR_CONFUSIONS, QWERTY_NEIGHBOURS, Noise

TEXTS: list[object] = [
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

FACTORIES: dict[str, Callable[[], Noise]] = {
    "noise-default": lambda: Noise(),
    "noise-dense": lambda: Noise(p=0.5, max_edits=5),
    "noise-chars": lambda: Noise(kinds=("typo", "keyboard", "ocr"), max_edits=1),
    "noise-words": lambda: Noise(kinds=("word_swap", "word_drop", "case"), protected=["York"]),
    "noise-spans": lambda: Noise(protected_spans=[[(0, 3)], [], [(7, 15)]] + [[]] * 7),
}

SENTENCE = "The model read a modern clear scan of Boston, Ohio and Salem!"
PUNCT = ",.!?"


@pytest.fixture(params=sorted(FACTORIES))
def augmenter(request: pytest.FixtureRequest) -> Noise:
    return FACTORIES[request.param]()


# -- helpers ---------------------------------------------------------------------------
def levenshtein(a: list[str] | str, b: list[str] | str) -> int:
    """Plain Levenshtein distance (insert, delete, substitute) over characters or tokens."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def one_edit_candidates(text: str, kind: str) -> set[str]:
    """Every text one edit of ``kind`` away from ``text`` (an independent oracle)."""
    out: set[str] = set()
    if kind == "typo":
        for i, c in enumerate(text):
            if not c.isalpha():
                continue
            out.add(text[:i] + c + text[i:])  # double
            out.add(text[:i] + text[i + 1 :])  # drop
            if i + 1 < len(text) and text[i + 1].isalpha():
                out.add(text[:i] + text[i + 1] + c + text[i + 2 :])  # swap
    elif kind == "keyboard":
        for i, c in enumerate(text):
            for near in QWERTY_NEIGHBOURS.get(c.lower(), ""):
                out.add(text[:i] + (near.upper() if c.isupper() else near) + text[i + 1 :])
    elif kind == "ocr":
        for src, dst in OCR_CONFUSIONS:
            for m in re.finditer(f"(?={re.escape(src)})", text):
                i = m.start()
                out.add(text[:i] + dst + text[i + len(src) :])
    elif kind == "case":
        for m in re.finditer(r"[A-Za-z]+", text):
            word = m.group()
            for new in (word.lower(), word.upper(), word.capitalize()):
                out.add(text[: m.start()] + new + text[m.end() :])
    elif kind == "punctuation":
        for i in range(len(text) + 1):
            if i < len(text) and text[i] in PUNCT:
                out.add(text[:i] + text[i + 1 :])
            out.update(text[:i] + mark + text[i:] for mark in PUNCT)
    elif kind == "word_swap":
        matches = list(re.finditer(r"\w+", text))
        for a, b in itertools.pairwise(matches):
            if text[a.end() : b.start()] == " ":
                out.add(text[: a.start()] + b.group() + " " + a.group() + text[b.end() :])
    elif kind == "word_drop":
        words = text.split(" ")
        for i, word in enumerate(words):
            if word.isalpha() and len(word) <= 3:
                out.add(" ".join([*words[:i], *words[i + 1 :]]))
    out.discard(text)
    return out


# -- the contract, parametrised like tests/augment/test_contract.py ---------------------
def test_contract_types_and_never_the_input(augmenter: Noise) -> None:
    out = augmenter.augment(TEXTS, n=2, seed=0)
    assert isinstance(out, list) and len(out) == len(TEXTS)
    for text, variants in zip(TEXTS, out, strict=True):
        assert isinstance(variants, list) and len(variants) <= 2
        assert all(isinstance(v, str) and v.strip() for v in variants)
        assert text not in variants
        assert len(set(variants)) == len(variants)
    assert out[3] == out[4] == out[5] == out[6] == []
    assert all(len(out[i]) == 2 for i in (0, 1, 9))


def test_contract_deterministic_and_seeds_differ(augmenter: Noise) -> None:
    assert augmenter.augment(TEXTS, n=2, seed=3) == augmenter.augment(TEXTS, n=2, seed=3)
    if augmenter.protected_spans is None:
        assert (
            augmenter.augment(TEXTS[:2], n=2, seed=3) == augmenter.augment(TEXTS, n=2, seed=3)[:2]
        )
    runs = [augmenter.augment(TEXTS, n=2, seed=seed) for seed in range(4)]
    assert len({json.dumps(run) for run in runs}) > 1


def test_contract_empty_and_single_inputs() -> None:
    augmenter = Noise()
    assert augmenter.augment([], n=3) == []
    assert augmenter.augment([""], n=3) == [[]]
    assert augmenter.augment(str(TEXTS[0]), n=1) == augmenter.augment([TEXTS[0]], n=1)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(AugmentError, match="E700"):
            augmenter.augment(TEXTS, n=bad)  # type: ignore[arg-type]
        with pytest.raises(AugmentError, match="E700"):
            augmenter.augment_with_spans("some text", [], n=bad)  # type: ignore[arg-type]


def test_contract_examples_carry_labels_and_provenance(augmenter: Noise) -> None:
    frame = pd.DataFrame(
        {"id": [f"doc{i}" for i in range(len(TEXTS))], "text": TEXTS, "label": range(len(TEXTS))}
    )
    new = augmenter.augment_examples(frame, n=2, seed=0)
    assert list(new.columns) == ["text", "label", "original_id", "augmenter", "params"]
    assert len(new) == sum(map(len, augmenter.augment(TEXTS, n=2, seed=0)))
    by_id = dict(zip(frame["id"], frame["label"], strict=True))
    for row in new.itertuples():
        assert row.label == by_id[row.original_id]
        assert row.augmenter == "Noise"
        assert json.loads(str(row.params)) == augmenter.provenance_params()


def test_contract_pickles(augmenter: Noise) -> None:
    clone = pickle.loads(pickle.dumps(augmenter))
    assert clone.augment(TEXTS, n=2, seed=5) == augmenter.augment(TEXTS, n=2, seed=5)
    assert repr(clone).startswith("Noise(kinds=")


odd_texts = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.one_of(st.sampled_from(["rn", "ß", "İ", "ﬁne", "it's", "a", "!"]), st.text(max_size=6)),
        max_size=8,
    ).map(" ".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(odd_texts, max_size=4), st.integers(0, 2**31), st.sampled_from(sorted(KINDS)))
def test_contract_never_raises_on_odd_text(batch: list[str], seed: int, kind: str) -> None:
    for augmenter in (Noise(kinds=(kind,), p=0.5), Noise(p=1.0, max_edits=4)):
        out = augmenter.augment(batch, n=2, seed=seed)
        assert len(out) == len(batch)
        for text, variants in zip(batch, out, strict=True):
            assert text not in variants and len(variants) <= 2


# -- each kind makes its own edit -----------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_makes_its_edit(kind: str) -> None:
    augmenter = Noise(kinds=(kind,), max_edits=1)
    expected = one_edit_candidates(SENTENCE, kind)
    made: set[str] = set()
    for seed in range(5):
        for variant in augmenter.augment([SENTENCE], n=4, seed=seed)[0]:
            assert variant in expected, (kind, variant)
            made.add(variant)
    assert len(made) >= min(5, len(expected))


def test_ocr_covers_multi_character_confusions() -> None:
    augmenter = Noise(kinds=("ocr",), max_edits=1)
    variants = augmenter.augment(["corn clamp"], n=20, seed=0)[0]
    assert "corn clamp".replace("rn", "m") in variants
    assert "com dlamp" not in variants  # one edit only
    assert "corn damp" in variants and "corn clarnp" in variants


def test_keyboard_keeps_case() -> None:
    variants = Noise(kinds=("keyboard",), max_edits=1).augment(["QQQ"], n=5, seed=0)[0]
    assert variants and all(v.isupper() and len(v) == 3 for v in variants)
    assert {c for v in variants for c in v} <= {"Q", *QWERTY_NEIGHBOURS["q"].upper()}


# -- protected terms and spans --------------------------------------------------------
def test_protected_terms_are_untouched() -> None:
    text = "the New York office of ACME is in new york and it is big"
    augmenter = Noise(p=1.0, max_edits=6, protected=["New York", "acme"])
    for variants in [augmenter.augment([text], n=5, seed=s)[0] for s in range(10)]:
        for variant in variants:
            assert variant.count("New York") == 1 and "new york" in variant
            assert "ACME" in variant


def test_protected_spans_in_augment() -> None:
    texts = ["ab cd ef gh ij kl", None, "mn op qr st"]
    spans = [[(3, 8)], [], [(0, 2), (9, 11)]]
    augmenter = Noise(p=1.0, max_edits=5, protected_spans=spans)
    for seed in range(10):
        out = augmenter.augment(texts, n=3, seed=seed)
        assert out[1] == []
        assert all("cd ef" in v for v in out[0])
        assert all(v.startswith("mn") and v.endswith("st") for v in out[2])
    with pytest.raises(AugmentError, match="E060"):
        augmenter.augment(texts[:2])
    with pytest.raises(AugmentError, match="E060"):
        Noise(protected_spans=[[(0, 99)]]).augment(["short"])


def test_augment_with_spans_remaps_offsets_and_keeps_labels() -> None:
    text = "I met Ana Lima in Rio de Janeiro on the 3rd of May."
    spans = [(6, 14, "PER"), (18, 32, "LOC"), (40, 50, "DATE")]
    out = Noise(p=1.0, max_edits=4).augment_with_spans(text, spans, n=6, seed=1)
    assert len(out) == 6 and len({t for t, _ in out}) == 6
    for new_text, new_spans in out:
        assert new_text != text
        for (start, end, label), (s, e, new_label) in zip(spans, new_spans, strict=True):
            assert new_text[s:e] == text[start:end] and new_label == label
    assert Noise().augment_with_spans("", [(0, 0)]) == []
    assert Noise().augment_with_spans(None, []) == []
    with pytest.raises(AugmentError, match="E060"):
        Noise().augment_with_spans("abc", [(2, 1)])


def test_augment_with_spans_matches_augment_without_spans() -> None:
    noise = Noise(p=0.3)
    for seed in range(3):
        with_spans = [t for t, _ in noise.augment_with_spans(SENTENCE, [], n=3, seed=seed)]
        assert with_spans == noise.augment([SENTENCE], n=3, seed=seed)[0]


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    words = st.one_of(
        st.sampled_from(["the", "of", "corn", "Model", "SO", "cl", "0l1", "vv", "a", "Boston"]),
        st.text(alphabet="abcdeorlmnS05 ,.!?", min_size=1, max_size=8),
    )
    text = " ".join(draw(st.lists(words, min_size=1, max_size=10)))
    bounds = st.integers(0, len(text))
    spans = [
        (min(a, b), max(a, b)) for a, b in draw(st.lists(st.tuples(bounds, bounds), max_size=4))
    ]
    return text, spans


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_and_spans(), st.integers(0, 2**31), st.integers(1, 4))
def test_property_protected_spans_survive(
    case: tuple[str, list[tuple[int, int]]], seed: int, max_edits: int
) -> None:
    text, spans = case
    out = Noise(p=0.5, max_edits=max_edits).augment_with_spans(text, spans, n=3, seed=seed)
    assert len(out) <= 3 and len({t for t, _ in out}) == len(out)
    for new_text, new_spans in out:
        assert new_text != text
        assert len(new_spans) == len(spans)
        for (start, end), (s, e) in zip(spans, new_spans, strict=True):
            assert 0 <= s <= e <= len(new_text)
            assert new_text[s:e] == text[start:end]
    texts = Noise(p=0.5, protected_spans=[spans]).augment([text], n=3, seed=seed)[0]
    for variant in texts:
        assert all(text[start:end] in variant for start, end in spans)


# -- max_edits ------------------------------------------------------------------------
@pytest.mark.parametrize("max_edits", [1, 2, 3])
@pytest.mark.parametrize("kind", ["typo", "keyboard", "ocr", "punctuation"])
def test_max_edits_bounds_character_distance(kind: str, max_edits: int) -> None:
    augmenter = Noise(kinds=(kind,), p=1.0, max_edits=max_edits)
    for seed in range(5):
        for variant in augmenter.augment([SENTENCE], n=4, seed=seed)[0]:
            # one edit changes at most two characters (a swap, or rn -> m)
            assert 1 <= levenshtein(SENTENCE, variant) <= 2 * max_edits


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4), st.integers(0, 2**31), st.sampled_from(["word_swap", "word_drop", "case"])
)
def test_max_edits_bounds_word_distance(max_edits: int, seed: int, kind: str) -> None:
    tokens = SENTENCE.split()
    for augmenter in (
        Noise(kinds=(kind,), p=1.0, max_edits=max_edits),
        Noise(p=1.0, max_edits=max_edits),
    ):
        for variant in augmenter.augment([SENTENCE], n=3, seed=seed)[0]:
            # one edit changes at most two whitespace-separated tokens (a swap)
            assert 1 <= levenshtein(tokens, variant.split()) <= 2 * max_edits


def test_p_zero_still_makes_one_edit() -> None:
    for variant in Noise(kinds=("keyboard",), p=0.0).augment([SENTENCE], n=5)[0]:
        assert levenshtein(SENTENCE, variant) == 1


# -- arguments ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs",
    [
        {"kinds": ()},
        {"kinds": ("typo", "emoji")},
        {"p": 1.5},
        {"p": True},
        {"max_edits": 0},
        {"max_edits": 2.0},
        {"protected_spans": [[(3, 1)]]},
        {"protected_spans": [[("a", 2)]]},
        {"protected_spans": [5]},
    ],
)
def test_bad_arguments_raise(kwargs: dict[str, object]) -> None:
    with pytest.raises(AugmentError, match="E060"):
        Noise(**kwargs)  # type: ignore[arg-type]


def test_params_round_trip() -> None:
    noise = Noise(kinds="case", protected="ACME", protected_spans=[[(0, 2)]])
    params = noise.provenance_params()
    assert json.loads(json.dumps(params)) == params
    assert params["kinds"] == ["case"] and params["protected"] == ["ACME"]
    assert params["protected_spans"] == [[[0, 2]]]
    clone = Noise(**noise.get_params())
    assert clone.get_params() == noise.get_params()
    assert clone.augment(["AC cases"], seed=3) == noise.augment(["AC cases"], seed=3)
