"""Model sources: scikit-learn classifiers and spaCy textcat pipelines as labeling sources."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel.errors import ParameterError, SourceError
from weaklabel.labels import ABSTAIN
from weaklabel.sources.model import ClassifierSource, TextcatSource

sklearn = pytest.importorskip("sklearn")
from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]  # noqa: E402
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]  # noqa: E402
from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]  # noqa: E402
from sklearn.svm import LinearSVC  # type: ignore[import-untyped]  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:\\[W004\\]")  # the empty text, on purpose

LABELS = ("HAM", "SPAM")
GOLD_TEXTS = [
    "subscribe to my channel",
    "check out my channel",
    "free money click here",
    "subscribe for free",
    "I love this song",
    "great song, love it",
    "this song is great",
    "love the chorus",
]
GOLD_NAMES = ["SPAM"] * 4 + ["HAM"] * 4
TEXTS = ["subscribe and check out free stuff", "I love this great song", "", "the video"]


def _pipeline() -> Any:
    return make_pipeline(CountVectorizer(), LogisticRegression(C=10.0))


def test_model_classifier_fitted_by_the_source_on_gold_rows() -> None:
    base = _pipeline()
    source = ClassifierSource("lr", base, gold=(GOLD_TEXTS, GOLD_NAMES), threshold=0.6)
    assert not hasattr(base[-1], "classes_"), "the user's model is left unfitted (a copy is fit)"
    L = wl.apply([source], TEXTS, label_names=LABELS, progress=False)
    column = L.values[:, 0].tolist()
    assert column[:3] == [1, 0, ABSTAIN]
    proba = source.model.predict_proba(["the video"])[0]
    assert column[3] == (ABSTAIN if proba.max() < 0.6 else int(np.argmax(proba) == 1))
    assert source("free money") == "SPAM" and source({"text": "love it"}) == "HAM"


def test_model_classifier_threshold_abstains_below_it() -> None:
    fitted = _pipeline().fit(GOLD_TEXTS, GOLD_NAMES)
    proba = fitted.predict_proba(TEXTS[:2] + TEXTS[3:]).max(axis=1)
    strict = ClassifierSource("strict", fitted, threshold=float(proba.max()) + 1e-9)
    assert strict.predict(TEXTS) == [None, None, None, None]
    loose = ClassifierSource("loose", fitted, threshold=0.0)
    assert all(v is not None for i, v in enumerate(loose.predict(TEXTS)) if TEXTS[i])
    middle = float(np.sort(proba)[1]) + 1e-9  # above the two least confident texts
    votes = ClassifierSource("mid", fitted, threshold=middle).predict(TEXTS)
    assert sum(v is not None for v in votes) == 1


def test_model_classifier_with_integer_classes_and_a_label_map() -> None:
    ids = [LABELS.index(n) for n in GOLD_NAMES]
    fitted = _pipeline().fit(GOLD_TEXTS, ids)
    plain = ClassifierSource("ids", fitted)
    L = wl.apply([plain], TEXTS[:2], progress=False)
    assert L.values[:, 0].tolist() == [1, 0]
    mapped = ClassifierSource("mapped", fitted, label_map={0: None, 1: "SPAM"})
    L = wl.apply([mapped], TEXTS[:2], label_names=LABELS, progress=False)
    assert L.values[:, 0].tolist() == [1, ABSTAIN], "a class mapped to None abstains"
    renamed = ClassifierSource(
        "renamed",
        _pipeline().fit(GOLD_TEXTS, ["ad"] * 4 + ["ok"] * 4),
        label_map={"ad": "SPAM", "ok": "HAM"},
    )
    L = wl.apply([renamed], TEXTS[:2], label_names=LABELS, progress=False)
    assert L.values[:, 0].tolist() == [1, 0]


def test_model_classifier_classes_outside_the_label_space_are_refused() -> None:
    fitted = _pipeline().fit(GOLD_TEXTS, ["ad"] * 4 + ["ok"] * 4)
    source = ClassifierSource("clf", fitted)
    with pytest.raises(SourceError, match=r"E897.*'ad'.*label_map"):
        wl.apply([source], TEXTS, label_names=LABELS, progress=False)


def test_model_classifier_gold_from_a_dataframe_skips_unusable_rows() -> None:
    gold = pd.DataFrame(
        {
            "body": [*GOLD_TEXTS, None, "  ", "no label"],
            "y": [*(LABELS.index(n) for n in GOLD_NAMES), 1, 0, -1],
        }
    )
    source = ClassifierSource(
        "lr", _pipeline(), gold=gold, gold_text_column="body", gold_label_column="y"
    )
    assert sorted(source.model.classes_.tolist()) == [0, 1]
    assert source.predict(["free money"]) == [1]


def test_model_classifier_bad_inputs_say_what_to_fix() -> None:
    with pytest.raises(ParameterError, match=r"E895.*LinearSVC.*CalibratedClassifierCV"):
        ClassifierSource("svm", LinearSVC())
    with pytest.raises(ParameterError, match=r"E896.*not fitted.*gold="):
        ClassifierSource("lr", _pipeline())
    with pytest.raises(ParameterError, match=r"E899.*3 texts but 2 labels"):
        ClassifierSource("lr", _pipeline(), gold=(["a", "b", "c"], ["x", "y"]))
    with pytest.raises(ParameterError, match=r"E899.*1 class"):
        ClassifierSource("lr", _pipeline(), gold=(["a", "b"], ["x", "x"]))
    with pytest.raises(ParameterError, match=r"E899.*no column 'label'"):
        ClassifierSource("lr", _pipeline(), gold=pd.DataFrame({"text": ["a"]}))
    with pytest.raises(ParameterError, match=r"E899.*DataFrame or \(texts, labels\)"):
        ClassifierSource("lr", _pipeline(), gold=42)
    with pytest.raises(ParameterError, match=r"E060.*threshold"):
        ClassifierSource("lr", _pipeline(), gold=(GOLD_TEXTS, GOLD_NAMES), threshold=1.5)


def test_model_classifier_fingerprint_follows_the_fitted_state() -> None:
    def make(**kw: Any) -> ClassifierSource:
        return ClassifierSource("lr", _pipeline(), gold=(GOLD_TEXTS, GOLD_NAMES), **kw)

    fp = make().fingerprint()
    assert make().fingerprint() == fp, "the same fit gives the same fingerprint"
    assert make(threshold=0.9).fingerprint() != fp
    other = ClassifierSource("lr", _pipeline(), gold=(GOLD_TEXTS[:6], GOLD_NAMES[:6]))
    assert other.fingerprint() != fp
    copy = pickle.loads(pickle.dumps(make()))
    assert copy.fingerprint() == fp and copy.predict(TEXTS) == make().predict(TEXTS)


# ------------------------------------------------------------------------------- spaCy
spacy = pytest.importorskip("spacy")


def train_textcat(seed: int = 0, epochs: int = 15) -> Any:
    """A tiny spaCy textcat (HAM/SPAM) trained here, offline, on the gold rows."""
    from spacy.training import Example

    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat: Any = nlp.add_pipe("textcat")
    for label in LABELS:
        textcat.add_label(label)
    examples = [
        Example.from_dict(nlp.make_doc(t), {"cats": {n: float(n == y) for n in LABELS}})
        for t, y in zip(GOLD_TEXTS, GOLD_NAMES, strict=True)
    ]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(epochs):
        nlp.update(examples, sgd=optimizer)
    return nlp


@pytest.fixture(scope="module")
def textcat_nlp() -> Any:
    return train_textcat()


def test_model_textcat_votes_confident_categories(textcat_nlp: Any) -> None:
    source = TextcatSource("textcat", textcat_nlp, threshold=0.5)
    L = wl.apply([source], TEXTS, label_names=LABELS, progress=False)
    assert L.values[:3, 0].tolist() == [1, 0, ABSTAIN]
    assert source("free money click") == "SPAM"
    never = TextcatSource("never", textcat_nlp, threshold=1.0)
    assert never.predict(TEXTS[:2]) == [None, None]
    mapped = TextcatSource("mapped", textcat_nlp, label_map={"HAM": None})
    assert mapped.predict(TEXTS[:2]) == ["SPAM", None]


def test_model_textcat_fingerprint_and_pickle(textcat_nlp: Any) -> None:
    source = TextcatSource("textcat", textcat_nlp)
    fp = source.fingerprint()
    assert TextcatSource("textcat", textcat_nlp).fingerprint() == fp
    assert TextcatSource("textcat", train_textcat(epochs=3)).fingerprint() != fp
    copy = pickle.loads(pickle.dumps(source))
    assert copy.predict(TEXTS) == source.predict(TEXTS)


def test_model_textcat_needs_a_text_classifier() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    with pytest.raises(ParameterError, match=r"E898.*\['sentencizer'\]"):
        TextcatSource("textcat", nlp)
