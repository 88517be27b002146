"""The source contract, checked once for every kind of source (the check_estimator habit).

Document sources: applied through ``weaklabel.apply``, each gives one integer column named
after the source with values in {-1} ∪ [0, k) (``-1`` = abstain); is deterministic; has a
stable fingerprint that an identical re-construction reproduces; survives the cloudpickle
round trip that the Dask applier makes; and its one-row call agrees with the column.

Span sources: applied through ``weaklabel.apply_spans``, each gives one column of BIO tag
ids per doc (``O`` where it abstains, i.e. marks no span), named after the source; its
spans are sorted, unique ``(start, end, label)`` tuples inside the doc, the same one doc
at a time, in a batch and as written to ``doc.spans[name]``; it is deterministic and has a
stable fingerprint (the cache key), unchanged by running.

The last test guards the lists: every public source class of ``weaklabel.sources`` must
have a factory here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import weaklabel as wl
import weaklabel.sources
from tests.llm.contract import classifier_source, llm_source, llm_span_source, textcat_source
from weaklabel.labels import ABSTAIN
from weaklabel.matrix import LabelMatrix
from weaklabel.sources.base import Source
from weaklabel.sources.span_base import SpanSource

LABELS = ("HAM", "SPAM")

CORPUS = [
    "Check out my channel and subscribe!",
    "I love this song so much",
    "free iPhone at http://spam.example",
    "not good, but the chorus is great",
    "This video is terrible and sad",
    "Un café, s'il vous plaît",
    "visit www.example.com NOW",
    "",
    "2:19 best part :)",
    "I hate how catchy this is",
    "subscribe2me",
    "Great song, not bad at all",
]


def _lf() -> Source:
    @wl.labeling_function()
    def short_or_link(x: Any) -> str | int:
        if "http" in x.text or "www." in x.text:
            return "SPAM"
        return 0 if 0 < len(x.text.split()) <= 5 else ABSTAIN

    return short_or_link


def _keyword() -> Source:
    return wl.keyword_source(["check out", "subscribe", "café"], "SPAM", name="kw_spam")


def _regex_re2() -> Source:
    return wl.regex_source(r"https?://|www\.", 1, name="rx_link")


def _regex_python() -> Source:
    # A look-behind: RE2 rejects it, so the column runs on Python's re.
    return wl.regex_source(r"(?<!not )\b(?:good|great|love)\b", "HAM", name="rx_praise")


def _lexicon() -> Source:
    lex = wl.Lexicon(
        ("love", "great", "good", "terrible", "hate", "sad", "free", ":)"),
        ("HAM", "HAM", "HAM", "SPAM", "SPAM", "SPAM", "SPAM", "HAM"),
        (3.0, 2.0, 1.0, 2.5, 2.5, 1.0, 1.0, 2.0),
    )
    return lex.as_source("lexicon")


FACTORIES: list[Callable[[], Source]] = [
    _lf,
    _keyword,
    _regex_re2,
    _regex_python,
    _lexicon,
    llm_source,
    classifier_source,
    textcat_source,
]


@pytest.fixture(params=FACTORIES, ids=lambda f: f.__name__.lstrip("_"))
def make(request: pytest.FixtureRequest) -> Callable[[], Source]:
    return request.param


def _apply(source: Source) -> LabelMatrix:
    with pytest.warns(UserWarning, match=r"\[W004\] 1 of 12 rows have no text"):
        L = wl.apply([source], CORPUS, label_names=LABELS, progress=False)
    assert L.values[CORPUS.index(""), 0] == ABSTAIN, "no source votes on a missing text"
    return L


def _as_id(value: Any) -> int:
    if value is None:
        return ABSTAIN
    return LABELS.index(value) if isinstance(value, str) else int(value)


def test_contract_output_is_one_integer_column_of_labels(make: Callable[[], Source]) -> None:
    source = make()
    L = _apply(source)
    assert isinstance(L, LabelMatrix)
    assert L.shape == (len(CORPUS), 1)
    assert L.source_names == (source.name,)
    assert L.label_names == LABELS
    assert np.issubdtype(L.values.dtype, np.integer)
    assert set(np.unique(L.values)) <= {ABSTAIN, *range(len(LABELS))}


def test_contract_votes_on_some_rows_and_abstains_with_minus_one(
    make: Callable[[], Source],
) -> None:
    column = _apply(make()).values[:, 0]
    assert (column == ABSTAIN).any(), "the corpus should make every source abstain somewhere"
    assert (column != ABSTAIN).any(), "the corpus should make every source vote somewhere"
    assert not ((column < ABSTAIN) | (column >= len(LABELS))).any()


def test_contract_applying_twice_gives_identical_results(make: Callable[[], Source]) -> None:
    source = make()
    first, second = _apply(source), _apply(source)
    assert first == second
    assert first.values.dtype == second.values.dtype


def test_contract_fingerprint_is_stable_and_reproducible(make: Callable[[], Source]) -> None:
    source = make()
    fp = source.fingerprint()
    assert isinstance(fp, str) and re.fullmatch(r"[0-9a-f]{32}", fp)
    assert source.fingerprint() == fp
    _apply(source)
    assert source.fingerprint() == fp, "applying must not change the fingerprint"
    assert make().fingerprint() == fp, "an identical re-construction keeps the fingerprint"


def test_contract_regex_sources_cover_both_engines() -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pa.array(["x"])
    pc.match_substring_regex(texts, _regex_re2()._re2_source())  # type: ignore[attr-defined]
    with pytest.raises(pa.ArrowInvalid):
        pc.match_substring_regex(texts, _regex_python()._re2_source())  # type: ignore[attr-defined]


def test_contract_fingerprint_differs_between_source_kinds() -> None:
    fingerprints = [factory().fingerprint() for factory in FACTORIES]
    assert len(set(fingerprints)) == len(FACTORIES)


def test_contract_single_row_call_agrees_with_applied_column(make: Callable[[], Source]) -> None:
    source = make()
    column = _apply(source).values[:, 0].tolist()
    one_by_one = [_as_id(source(text)) for text in CORPUS]  # type: ignore[operator]
    assert one_by_one == column


def test_contract_survives_the_cloudpickle_round_trip_of_the_dask_applier(
    make: Callable[[], Source],
) -> None:
    cloudpickle = pytest.importorskip("cloudpickle")
    source = make()
    copy = cloudpickle.loads(cloudpickle.dumps(source))
    assert type(copy) is type(source) and copy.name == source.name
    assert copy.fingerprint() == source.fingerprint()
    assert _apply(copy) == _apply(source)


# ------------------------------------------------------------------------ span sources
try:
    import spacy
except ModuleNotFoundError:  # pragma: no cover - spaCy is a dev dependency
    spacy = None  # type: ignore[assignment]

needs_spacy = pytest.mark.skipif(spacy is None, reason="span sources run on spaCy docs")

SPAN_LABELS = ("GPE", "ORG", "PER", "QUESTION")

SPAN_TEXTS = [
    "Dr. Ada Lovelace met Mr. Babbage in London .",
    "Acme Ltd. opened offices in New York and in Paris .",
    "Is Berlin bigger than Paris ?",
    "nothing to see here",
    "",
]


def _docs() -> list[Any]:
    nlp = spacy.blank("en")
    return [nlp(text) for text in SPAN_TEXTS]


def _span_function() -> SpanSource:
    @wl.span_function()
    def titled(doc: Any) -> list[tuple[int, int, str]]:
        return [(t.i, t.i + 2, "PER") for t in doc[:-1] if t.text in {"Dr.", "Mr."}]

    return titled


def _regex_spans() -> SpanSource:
    return wl.regex_spans(r"\b[A-Z][a-z]+ (?:Inc|Ltd)\.", "ORG", name="company")


def _gazetteer() -> SpanSource:
    places = wl.Gazetteer.from_records([("New York", "GPE"), ("Paris", "GPE"), ("London", "GPE")])
    return wl.gazetteer_source(places, name="places")


def _lexicon_spans() -> SpanSource:
    lexicon = wl.Lexicon(("berlin", "babbage"), ("GPE", "PER"), (1.0, 1.0))
    return wl.lexicon_spans(lexicon, name="lexicon_spans")


def _spacy_ner() -> SpanSource:
    nlp = spacy.blank("en")
    ruler: Any = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": "Ada Lovelace"}])
    return wl.SpacyNERSource(nlp, name="ruler")


def _doc_function() -> SpanSource:
    @wl.doc_function()
    def question(doc: Any) -> str | None:
        return "QUESTION" if doc.text.rstrip().endswith("?") else None

    return question


SPAN_FACTORIES: list[Callable[[], SpanSource]] = [
    _span_function,
    _regex_spans,
    _gazetteer,
    _lexicon_spans,
    _spacy_ner,
    _doc_function,
    llm_span_source,
]


@pytest.fixture(params=SPAN_FACTORIES, ids=lambda f: f.__name__.lstrip("_"))
def make_span(request: pytest.FixtureRequest) -> Callable[[], SpanSource]:
    if spacy is None:  # pragma: no cover
        pytest.skip("span sources run on spaCy docs")
    return request.param


def _apply_spans(source: SpanSource, docs: list[Any] | None = None) -> Any:
    docs = _docs() if docs is None else docs
    return wl.apply_spans([source], docs, label_names=SPAN_LABELS, progress=False)


def test_span_contract_output_is_one_named_column_of_tag_ids_per_doc(
    make_span: Callable[[], SpanSource],
) -> None:
    source = make_span()
    docs = _docs()
    tm = _apply_spans(source, docs)
    assert tm.source_names == (source.name,)
    assert tm.entity_types == SPAN_LABELS
    assert len(tm.weak) == len(docs)
    for doc, column in zip(docs, tm.weak, strict=True):
        assert column.shape == (len(doc), 1)
        assert np.issubdtype(column.dtype, np.integer)
        assert ((column >= 0) & (column < tm.n_tags)).all()
        assert source.name in doc.spans


def test_span_contract_marks_some_tokens_and_abstains_with_no_span(
    make_span: Callable[[], SpanSource],
) -> None:
    tm = _apply_spans(make_span())
    outside = tm.tag_names.index("O")
    tags = np.concatenate([column[:, 0] for column in tm.weak])
    assert (tags == outside).any(), "the corpus should make every source abstain somewhere"
    assert (tags != outside).any(), "the corpus should make every source mark a span"
    docs = _docs()
    found = make_span().spans_batch(docs)
    for doc, spans, column in zip(docs, found, tm.weak, strict=True):
        covered = np.zeros(len(doc), dtype=bool)
        for start, end, _ in spans:
            covered[start:end] = True
        assert (column[~covered, 0] == outside).all(), "a token outside every span is O"


def _written(doc: Any, name: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label_) for s in doc.spans[name]]


def test_span_contract_spans_are_sorted_unique_and_the_same_however_asked(
    make_span: Callable[[], SpanSource],
) -> None:
    source = make_span()
    assert isinstance(source.name, str) and source.name in repr(source)
    docs = _docs()
    batch = source.spans_batch(docs)
    assert len(batch) == len(docs)
    for doc, spans in zip(docs, batch, strict=True):
        assert spans == source.spans(doc)
        assert spans == sorted(set(spans))
        for start, end, label in spans:
            assert isinstance(start, int) and isinstance(end, int)
            assert 0 <= start < end <= len(doc)
            assert label in SPAN_LABELS
        assert _written(source(doc), source.name) == spans  # one doc, as skweak calls it
    assert batch[SPAN_TEXTS.index("")] == [], "an empty doc has no spans"
    annotated = source.annotate(docs)
    assert annotated is docs
    assert [_written(doc, source.name) for doc in docs] == batch
    piped = list(source.pipe(_docs(), batch_size=2))
    assert [_written(doc, source.name) for doc in piped] == batch


def test_span_contract_applying_twice_gives_identical_results(
    make_span: Callable[[], SpanSource],
) -> None:
    source = make_span()
    docs = _docs()
    first = _apply_spans(source, docs)
    again = _apply_spans(source, docs)  # the same docs: the span group is replaced
    assert [len(doc.spans[source.name]) for doc in docs] == [
        len(spans) for spans in source.spans_batch(docs)
    ], "applying again replaces the span group, never appends to it"
    fresh = _apply_spans(source)
    for a, b, c in zip(first.weak, again.weak, fresh.weak, strict=True):
        assert np.array_equal(a, b) and np.array_equal(a, c)
        assert a.dtype == c.dtype


def test_span_contract_fingerprint_is_stable_and_reproducible(
    make_span: Callable[[], SpanSource],
) -> None:
    source = make_span()
    fp = source.fingerprint()
    assert isinstance(fp, str) and re.fullmatch(r"[0-9a-f]{32}", fp)
    _apply_spans(source)
    assert source.fingerprint() == fp, "running must not change the fingerprint"
    assert make_span().fingerprint() == fp, "an identical re-construction keeps the fingerprint"


@needs_spacy
def test_span_contract_fingerprint_differs_between_source_kinds() -> None:
    fingerprints = [factory().fingerprint() for factory in SPAN_FACTORIES]
    assert len(set(fingerprints)) == len(SPAN_FACTORIES)


# --------------------------------------------------------------------------- the guard
def _public_source_classes() -> set[type]:
    """Every concrete public source class defined in a module of ``weaklabel.sources``."""
    found: set[type] = set()
    for info in pkgutil.iter_modules(weaklabel.sources.__path__):
        module = importlib.import_module(f"weaklabel.sources.{info.name}")
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, Source | SpanSource)
                and value.__module__ == module.__name__
                and not name.startswith("_")
                and not inspect.isabstract(value)
            ):
                found.add(value)
    return found


@needs_spacy
def test_contract_covers_every_public_source_class() -> None:
    exported = {getattr(weaklabel.sources, name) for name in weaklabel.sources.__all__}
    classes = _public_source_classes()
    assert classes <= exported, "every source class is exported by weaklabel.sources"
    covered = {type(factory()) for factory in [*FACTORIES, *SPAN_FACTORIES]}
    assert covered == classes, "a new source class needs a factory in this contract"
