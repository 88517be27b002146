"""The contract every augmenter satisfies, checked once for all of them.

Every class :mod:`weaklabel.augment` exports that is an augmenter has at least one case in
:data:`CASES` (a test guards the list): the same seed gives the same output; each row's
output depends only on ``(seed, its position)``, so chunks, batch sizes and the pipeline
give the output of one direct call; types and shapes; labels, spans and provenance kept;
``get_params`` rebuilds an equivalent augmenter; ``set_params`` round-trips.
"""

from __future__ import annotations

import importlib.util
import json
import pickle
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

import weaklabel.augment
import weaklabel.augment.filters
from tests.augment.conftest import HAVE_APERTIUM, HAVE_TRANSFORMERS, HAVE_WORDNET, IN_CI
from tests.augment.generate.test_chat import server  # noqa: F401 (the fake chat server fixture)
from weaklabel.augment import (
    AuglyNoise,
    AugmentationPipeline,
    Augmenter,
    BackTranslation,
    EntitySafe,
    LabelConsistencyFilter,
    LabelwiseTokenReplacement,
    MentionReplacement,
    NearDuplicateFilter,
    NlpaugNoise,
    Noise,
    OneOf,
    Paraphrase,
    SemanticFidelityFilter,
    Sequential,
    Sometimes,
    SpanAugmenter,
    SpanConsistencyFilter,
    SpanExample,
    Synonym,
    SynonymOutsideEntities,
)
from weaklabel.augment._errors import AugmentError
from weaklabel.augment.filters import Filter, FunctionFilter

HAVE_AUGLY = importlib.util.find_spec("augly") is not None
HAVE_NLPAUG = importlib.util.find_spec("nlpaug") is not None

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


SPAN_EXAMPLES = [
    SpanExample.from_text("I love New York and its streets.", [(7, 15, "LOC")], id="a"),
    SpanExample.from_text(
        "She flew to Paris with Ana Lima.", [(0, 3, "PER"), (12, 17, "LOC")], id="b"
    ),
    SpanExample.from_text("Nothing to see here today.", [], id="c"),
]


def _reverse_words(texts: list[str]) -> list[str]:
    return [" ".join(reversed(t.split())) for t in texts]


def _shout(texts: list[str]) -> list[str]:
    return [t.upper() for t in texts]


def _lower(texts: list[str]) -> list[str]:
    return [t.lower() for t in texts]


class Echo:
    """A deterministic paraphrase generator (numbered variants of each text)."""

    name = "echo"

    def paraphrase(self, texts: list[str], n: int, seed: int) -> list[list[str]]:
        return [[f"{t} ({i})" for i in range(n)] for t in texts]


def _tiny_paraphrase(request: pytest.FixtureRequest) -> Augmenter:
    path = request.getfixturevalue("tiny_seq2seq")
    return Paraphrase.seq2seq(path, template="paraphrase : {text}", max_new_tokens=6, num_beams=2)


def _chat_paraphrase(request: pytest.FixtureRequest) -> Augmenter:
    chat = request.getfixturevalue("server")
    return Paraphrase.chat(model="m", base_url=chat.url, temperature=0.9)


def _chat_back_translation(request: pytest.FixtureRequest) -> Augmenter:
    chat = request.getfixturevalue("server")
    return BackTranslation.chat("French", model="m", base_url=chat.url)


MENTIONS = {"LOC": ["New York", "Paris", "Rio de Janeiro"], "PER": ["She", "Ana Lima"]}


@dataclass(frozen=True)
class Case:
    """One augmenter under contract: its class, how to build it, and what it promises."""

    cls: type[Augmenter]
    make: Callable[[pytest.FixtureRequest], Augmenter]
    available: bool = True
    keeps_entity_text: bool = False  # span augmenters that never touch an entity
    edits_plain_text: bool = True  # False: needs entities, so plain texts get no variants
    edits_spans: bool = False  # edits span examples (an entity-aware augmenter)


CASES: dict[str, Case] = {
    "synonym": Case(Synonym, lambda r: Synonym(p=0.5), HAVE_WORDNET or IN_CI),
    "synonym-nouns": Case(
        Synonym, lambda r: Synonym(pos=("NOUN",), max_per_sentence=1), HAVE_WORDNET or IN_CI
    ),
    "backtranslation-callable": Case(BackTranslation, lambda r: BackTranslation(_shout, _lower)),
    "backtranslation-routes": Case(
        BackTranslation,
        lambda r: BackTranslation.from_routes([(_shout, _lower), (_reverse_words, _reverse_words)]),
    ),
    "backtranslation-apertium": Case(
        BackTranslation, lambda r: BackTranslation.apertium("eng", "spa"), HAVE_APERTIUM or IN_CI
    ),
    "backtranslation-chat": Case(BackTranslation, _chat_back_translation),
    "paraphrase-echo": Case(Paraphrase, lambda r: Paraphrase(Echo())),
    "paraphrase-seq2seq": Case(Paraphrase, _tiny_paraphrase, HAVE_TRANSFORMERS or IN_CI),
    "paraphrase-chat": Case(Paraphrase, _chat_paraphrase),
    "noise": Case(Noise, lambda r: Noise(p=0.2)),
    "augly-noise": Case(AuglyNoise, lambda r: AuglyNoise(kinds=["ocr"]), HAVE_AUGLY),
    "nlpaug-noise": Case(NlpaugNoise, lambda r: NlpaugNoise(kinds=["ocr"]), HAVE_NLPAUG),
    "mention-replacement": Case(
        MentionReplacement,
        lambda r: MentionReplacement(MENTIONS, p=1.0),
        edits_plain_text=False,
        edits_spans=True,
    ),
    "labelwise-tokens": Case(
        LabelwiseTokenReplacement,
        lambda r: LabelwiseTokenReplacement.from_examples(
            [SpanExample.from_text(t) for t in TEXTS if isinstance(t, str) and t.strip()]
            + SPAN_EXAMPLES
        ),
        edits_spans=True,
    ),
    "synonym-outside-entities": Case(
        SynonymOutsideEntities,
        lambda r: SynonymOutsideEntities(),
        HAVE_WORDNET or IN_CI,
        keeps_entity_text=True,
        edits_spans=True,
    ),
    "entity-safe-noise": Case(
        EntitySafe, lambda r: EntitySafe(Noise(p=0.2)), keeps_entity_text=True, edits_spans=True
    ),
    "sequential": Case(
        Sequential, lambda r: Sequential([Noise(kinds=["case"]), Noise(kinds=["typo"])])
    ),
    "sequential-spans": Case(
        Sequential,
        lambda r: Sequential([MentionReplacement(MENTIONS), EntitySafe(Noise(kinds=["typo"]))]),
        edits_spans=True,
    ),
    "one-of": Case(
        OneOf, lambda r: OneOf([BackTranslation(_shout, _lower), Noise(p=0.2)], weights=[1, 2])
    ),
    "sometimes-in-sequence": Case(
        Sometimes,
        lambda r: Sequential([Sometimes(Noise(kinds=["case"]), p=0.5), Noise(kinds=["typo"])]),
    ),
}
FACTORIES = CASES  # the name the property tests below use


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[Case, Augmenter]:
    found = CASES[request.param]
    if not found.available:
        pytest.skip(f"{request.param}: its package is not installed")
    return found, found.make(request)


@pytest.fixture
def augmenter(case: tuple[Case, Augmenter]) -> Augmenter:
    return case[1]


def test_contract_types_and_never_the_input(case: tuple[Case, Augmenter]) -> None:
    spec, augmenter = case
    out = augmenter.augment(TEXTS, n=2, seed=0)
    assert isinstance(out, list) and len(out) == len(TEXTS)
    for text, variants in zip(TEXTS, out, strict=True):
        assert isinstance(variants, list) and len(variants) <= 2
        assert all(isinstance(v, str) and v.strip() for v in variants)
        assert text not in variants
        assert len(set(variants)) == len(variants)
    assert out[3] == out[4] == out[5] == out[6] == []
    assert any(out) == spec.edits_plain_text


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
def test_contract_never_raises_on_odd_text(name: str, request: pytest.FixtureRequest) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    found = CASES[name]
    if not found.available:
        pytest.skip(f"{name}: its system package is not installed")
    augmenter = found.make(request)
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


def test_contract_rows_depend_only_on_seed_and_position(augmenter: Augmenter) -> None:
    whole = augmenter.augment(TEXTS, n=2, seed=5)
    chunks = [augmenter.augment(TEXTS[k : k + 3], n=2, seed=5, start=k) for k in range(0, 10, 3)]
    assert [variants for chunk in chunks for variants in chunk] == whole


@pytest.mark.parametrize("batch_size", [1, 4])
def test_contract_pipeline_equals_the_direct_call(augmenter: Augmenter, batch_size: int) -> None:
    frame = pd.DataFrame({"id": range(len(TEXTS)), "text": TEXTS, "label": 1})
    direct = augmenter.augment_examples(frame, n=2, seed=7)
    pipeline = AugmentationPipeline(
        augmenter, n_per_original=2, keep_original=False, batch_size=batch_size, progress=False
    )
    out = pipeline.run(frame, seed=7)
    assert out["text"].tolist() == direct["text"].tolist()
    assert out["original_id"].tolist() == direct["original_id"].tolist()


def test_contract_get_params_rebuilds_an_equivalent_augmenter(augmenter: Augmenter) -> None:
    params = augmenter.get_params(deep=False)
    assert list(params) == type(augmenter)._param_names()
    clone = type(augmenter)(**params)
    for name, value in vars(augmenter).items():  # fitted state, as sklearn.clone leaves it
        if name.endswith("_") and not name.startswith("_"):
            setattr(clone, name, value)
    assert clone.get_params(deep=False).keys() == params.keys()
    assert clone.augment(TEXTS, n=2, seed=3) == augmenter.augment(TEXTS, n=2, seed=3)
    assert clone.provenance_params() == augmenter.provenance_params()
    expected = augmenter.augment(TEXTS, n=2, seed=3)
    assert augmenter.set_params(**params) is augmenter
    assert augmenter.augment(TEXTS, n=2, seed=3) == expected
    with pytest.raises(AugmentError, match="E060"):
        augmenter.set_params(not_a_parameter=1)


def test_contract_deep_params_name_nested_augmenters(augmenter: Augmenter) -> None:
    deep = augmenter.get_params(deep=True)
    for name, value in augmenter.get_params(deep=False).items():
        if isinstance(value, Augmenter):
            nested = value.get_params(deep=False)
            assert all(deep[f"{name}__{key}"] is nested[key] for key in nested)


def test_contract_pickles(augmenter: Augmenter, case: tuple[Case, Augmenter]) -> None:
    if case[0].cls is Paraphrase and "server" not in str(augmenter.get_params()):
        clone = pickle.loads(pickle.dumps(augmenter))
        assert clone.augment(TEXTS[:3], seed=2) == augmenter.augment(TEXTS[:3], seed=2)


def test_contract_span_augmenters_keep_labels_and_offsets(case: tuple[Case, Augmenter]) -> None:
    spec, augmenter = case
    if not spec.edits_spans:
        pytest.skip("not entity-aware")
    assert isinstance(augmenter, SpanAugmenter)
    out = augmenter.augment_spans(SPAN_EXAMPLES, n=2, seed=1)
    assert len(out) == len(SPAN_EXAMPLES) and any(out)
    assert out == augmenter.augment_spans(SPAN_EXAMPLES, n=2, seed=1)
    for original, variants in zip(SPAN_EXAMPLES, out, strict=True):
        for variant in variants:
            assert variant.id == original.id and variant.text != original.text
            assert [lab for *_, lab in variant.spans] == [lab for *_, lab in original.spans]
            for (s, e, _), (cs, ce, _) in zip(variant.spans, variant.char_spans(), strict=True):
                assert variant.text[cs:ce] == " ".join(variant.tokens[s:e])
            if spec.keeps_entity_text:
                assert [m for m, _ in variant.mentions()] == [m for m, _ in original.mentions()]
    frame = augmenter.augment_examples(SPAN_EXAMPLES, n=2, seed=1)
    assert set(frame["original_id"]) <= {"a", "b", "c"}
    assert frame["augmenter"].eq(augmenter.name).all()
    assert all(json.loads(p) == augmenter.provenance_params() for p in frame["params"])


def test_contract_covers_every_exported_augmenter() -> None:
    exported = {
        obj
        for name in weaklabel.augment.__all__
        if isinstance(obj := getattr(weaklabel.augment, name), type)
        and issubclass(obj, Augmenter)
        and obj not in (Augmenter, SpanAugmenter)
    }
    covered = {case.cls for case in CASES.values()}
    assert exported <= covered, sorted(c.__name__ for c in exported - covered)


# ---------------------------------------------------------------------------------------
# filters
# ---------------------------------------------------------------------------------------
NAMES = ["NEG", "POS"]
ORIGINALS = pd.DataFrame(
    {
        "id": ["r1", "r2", "r3"],
        "text": ["I loved this great film", "awful boring acting", "a film about a dog"],
        "label": ["POS", "NEG", "POS"],
    }
)
AUGMENTED = pd.DataFrame(
    {
        "text": [
            "I loved this great movie",
            "I hated this film",
            "awful boring acting",
            "a movie about a dog",
            "the weather was fine",
        ],
        "label": ["POS", "POS", "NEG", "POS", "POS"],
        "original_id": ["r1", "r1", "r2", "r3", "r3"],
    }
)


def _sentiment_filter() -> Filter:
    import weaklabel as wl

    sources = [
        wl.keyword_source(["loved", "great"], "POS", name="pos"),
        wl.keyword_source(["hated", "awful", "boring"], "NEG", name="neg"),
    ]
    train = [*ORIGINALS["text"].tolist(), "I hated it"]
    model = wl.MajorityVote().fit(wl.apply(sources, train, label_names=NAMES, progress=False))
    return LabelConsistencyFilter(sources, model, label_names=NAMES)


def _letters(texts: list[str]) -> np.ndarray:
    """A bag-of-letters sentence 'encoder' (no model download)."""
    return np.array([[t.lower().count(c) for c in "abcdefghijklmnopqrstuvwxyz "] for t in texts])


def _span_filter() -> Filter:
    spacy = pytest.importorskip("spacy")
    from weaklabel.appliers.spans import apply_spans
    from weaklabel.models.sequence import TokenMajorityVote
    from weaklabel.sources.gazetteer import Gazetteer, gazetteer_source

    places = Gazetteer.from_records([("Paris", "LOC"), ("New York", "LOC")])
    sources = [gazetteer_source(places, name="places")]
    nlp = spacy.blank("en")
    docs = [nlp("I love New York"), nlp("off to Paris")]
    model = TokenMajorityVote().fit(apply_spans(sources, docs, progress=False))
    return SpanConsistencyFilter(sources, model)


FILTER_CASES: dict[str, tuple[type, Callable[[], Filter], bool]] = {
    "near-duplicates": (NearDuplicateFilter, lambda: NearDuplicateFilter(threshold=0.9), False),
    "label-consistency": (LabelConsistencyFilter, _sentiment_filter, False),
    "semantic-fidelity": (
        SemanticFidelityFilter,
        lambda: SemanticFidelityFilter(_letters, threshold=0.8, polarity_check="negation"),
        False,
    ),
    "span-consistency": (SpanConsistencyFilter, _span_filter, True),
    "function": (
        FunctionFilter,
        lambda: FunctionFilter(lambda new, old: new["text"].str.len() > 19),
        False,
    ),
}


def _frames(spans: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not spans:
        return AUGMENTED, ORIGINALS
    aug = MentionReplacement({"LOC": ["Paris", "New York", "Gotham"]}, p=1.0)
    return aug.augment_examples(SPAN_EXAMPLES[:2], n=2, seed=0), pd.DataFrame()


@pytest.mark.parametrize("name", sorted(FILTER_CASES))
def test_filter_contract_one_call_gives_a_boolean_row_mask(name: str) -> None:
    _, make, spans = FILTER_CASES[name]
    f = make()
    assert isinstance(f, Filter)
    augmented, originals = _frames(spans)
    mask = f.keep_frame(
        augmented, originals, text_column="text", label_column="label", id_column="id"
    )
    assert isinstance(mask, np.ndarray) and mask.dtype == bool
    assert mask.shape == (len(augmented),)
    assert 0 < mask.sum() < len(augmented)  # each case keeps some rows and drops some
    assert f.keep_frame(augmented, originals).tolist() == mask.tolist()  # same call, same mask


@pytest.mark.parametrize("name", sorted(FILTER_CASES))
def test_filter_contract_runs_in_the_pipeline(name: str) -> None:
    _, make, spans = FILTER_CASES[name]
    if spans:
        data: object = SPAN_EXAMPLES[:2]
        augmenter: Augmenter = MentionReplacement({"LOC": ["Paris", "New York", "Gotham"]}, p=1.0)
    else:
        data, augmenter = ORIGINALS, BackTranslation(_shout, _lower)
    pipeline = AugmentationPipeline(augmenter, n_per_original=2, filters=[make()], progress=False)
    out = pipeline.run(data, seed=0)
    report = pipeline.report_
    dropped = [key for key in report if key.startswith("dropped by")]
    assert len(dropped) == 1
    assert report["kept"] == report["generated"] - report[dropped[0]]
    assert int(out["is_augmented"].sum()) == report["kept"]


def test_filter_contract_covers_every_exported_filter() -> None:
    exported = {
        obj
        for module in (weaklabel.augment, weaklabel.augment.filters)
        for name in module.__all__
        if isinstance(obj := getattr(module, name), type)
        and issubclass(obj, Filter)
        and obj is not Filter
    }
    covered = {cls for cls, _, _ in FILTER_CASES.values()}
    assert exported <= covered, sorted(c.__name__ for c in exported - covered)
    assert not isinstance(object(), Filter)
