"""Span sources: span functions, regex spans, lexicon spans, spaCy NER, document votes.

What every span source promises (name, fingerprint, ``doc.spans[name]``, sorted in-bounds
spans, batch == one by one, idempotence, empty docs) is checked once for every kind in
``tests/sources/test_contract.py``.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from weaklabel.errors import ParameterError, SourceError
from weaklabel.sources.lexicon import Lexicon

spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc  # noqa: E402

from weaklabel.sources.spans import (  # noqa: E402
    DocumentSource,
    RegexSpans,
    SpacyNERSource,
    SpanSource,
    doc_function,
    lexicon_spans,
    regex_spans,
    span_function,
)

NLP = spacy.blank("en")

TEXTS = [
    "Dr. Ada Lovelace met Charles Babbage in London on 5 June 1833.",
    "Aspirin and ibuprofen reduce fever; aspirin may cause Reye syndrome.",
    "Call +1 555-0100 or write to info@example.com before Friday!",
    "",
    "   ",
    "The New York Times reported on new york weather and NEW YORK traffic.",
    "Is this a question?",
]


def _docs() -> list[Doc]:
    return [NLP(t) for t in TEXTS]


def _triples(doc: Doc, name: str) -> list[tuple[str, str]]:
    return [(s.text, s.label_) for s in doc.spans[name]]


# ------------------------------------------------------------------- span functions
def test_spans_span_function_writes_its_group() -> None:
    @span_function()
    def capitalised_pairs(doc: Doc) -> list[tuple[int, int, str]]:
        return [
            (t.i, t.i + 2, "PER")
            for t in doc[:-1]
            if t.is_title and doc[t.i + 1].is_title and not t.is_sent_start
        ]

    doc = capitalised_pairs(NLP(TEXTS[0]))
    assert capitalised_pairs.name == "capitalised_pairs"
    assert _triples(doc, "capitalised_pairs") == [
        ("Ada Lovelace", "PER"),
        ("Charles Babbage", "PER"),
    ]


def test_spans_span_function_accepts_spans_and_resources() -> None:
    @span_function("kw", resources={"words": {"london"}})
    def keyword(doc: Doc, words: set[str]) -> list[Any]:
        return [doc[t.i : t.i + 1] for t in doc if t.lower_ in words]

    # a Span without a label is rejected: labels are required
    with pytest.raises(
        SourceError,
        match=r"\[E500\] Span source 'kw' returned the Span "
        r"'London' with label ''",
    ):
        keyword(NLP(TEXTS[0]))

    @span_function("kw2", resources={"words": {"london"}})
    def keyword2(doc: Doc, words: set[str]) -> list[Any]:
        return [doc.char_span(t.idx, t.idx + len(t), "LOC") for t in doc if t.lower_ in words]

    assert _triples(keyword2(NLP(TEXTS[0])), "kw2") == [("London", "LOC")]


@pytest.mark.parametrize(
    "value",
    [[(0, 99, "X")], [(2, 1, "X")], [(0, 1, 5)], [(0, 1)], [("a", 1, "X")], 5, [(0, 1, "")]],
)
def test_spans_bad_return_values_raise_E500_with_the_doc(value: object) -> None:
    source = span_function("bad")(lambda doc: value)
    with pytest.raises(SourceError, match=r"\[E500\] Span source 'bad' returned .* on doc 1 "):
        source.spans_batch([NLP("one two")], start=1)


def test_spans_span_of_another_doc_is_rejected() -> None:
    other = NLP("other doc")
    source = span_function("foreign")(lambda doc: [other.char_span(0, 5, "X")])
    with pytest.raises(SourceError, match=r"another doc"):
        source(NLP("this doc"))


def test_spans_decorators_need_parentheses() -> None:
    with pytest.raises(TypeError, match="parentheses"):
        span_function(lambda doc: [])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="parentheses"):
        doc_function(lambda doc: None)  # type: ignore[arg-type]


def test_spans_fingerprint_follows_the_code() -> None:
    def make(label: str) -> SpanSource:
        @span_function("f")
        def f(doc: Doc) -> list[tuple[int, int, str]]:
            return [(0, 1, label)] if len(doc) else []

        return f

    assert make("A").fingerprint() == make("A").fingerprint()
    assert make("A").fingerprint() != make("B").fingerprint()


# ------------------------------------------------------------------------------ regex
def test_spans_regex_aligns_to_tokens_and_dedups() -> None:
    source = regex_spans(r"\d{3}-\d{2}", "PHONE", name="phone")  # cuts "0100" in two
    doc = source(NLP("Call 555-0100 now"))
    assert _triples(doc, "phone") == [("555-0100", "PHONE")]
    twice = regex_spans(r"55|01", "N", name="n")  # two matches inside one token group
    assert len(twice(NLP("x 555-0100 y")).spans["n"]) == 2
    assert regex_spans(r"x*", "E", name="empty")(NLP("abc")).spans["empty"].__len__() == 0


def test_spans_regex_case_and_groups() -> None:
    doc = NLP("Acme Inc. and acme inc. merged")
    assert _triples(regex_spans(r"Acme Inc\.", "ORG", name="a")(doc), "a") == [("Acme Inc.", "ORG")]
    insensitive = regex_spans(r"acme inc\.", "ORG", name="b", case_sensitive=False)
    assert len(insensitive(doc).spans["b"]) == 2
    grouped = regex_spans(r"(?P<co>\w+) Inc\.", "ORG", name="c", group="co")
    assert _triples(grouped(doc), "c") == [("Acme", "ORG")]
    assert regex_spans(r"\bInc\b", "ORG").name == "regex_ORG_bInc_b"


def test_spans_regex_errors() -> None:
    with pytest.raises(SourceError, match=r"\[E038\] Source 'r'.*does not compile"):
        RegexSpans("r", "(unclosed", "X")
    with pytest.raises(ParameterError, match=r"\[E037\].*non-empty str"):
        RegexSpans("r", "x", "")


# ---------------------------------------------------------------------------- lexicon
def test_spans_lexicon_spans_marks_terms() -> None:
    lexicon = Lexicon(
        ("aspirin", "ibuprofen", "reye syndrome", "fever", "fever"),
        ("DRUG", "DRUG", "DISEASE", "SYMPTOM", "DISEASE"),
        (1.0, 1.0, 1.0, 2.0, 1.0),
    )
    source = lexicon_spans(lexicon, name="lex")
    doc = source(NLP(TEXTS[1]))
    assert _triples(doc, "lex") == [
        ("Aspirin", "DRUG"),
        ("ibuprofen", "DRUG"),
        ("fever", "SYMPTOM"),  # the heavier label
        ("aspirin", "DRUG"),
        ("Reye syndrome", "DISEASE"),
    ]
    light = lexicon_spans(lexicon, name="lex2", min_weight=1.5)
    assert _triples(light(NLP(TEXTS[1])), "lex2") == [("fever", "SYMPTOM")]
    numeric = lexicon_spans(Lexicon(("fever",), (1,)), name="lex3")
    assert _triples(numeric(NLP(TEXTS[1])), "lex3") == [("fever", "1")]


# --------------------------------------------------------------------------- spaCy NER
def _ruler_pipeline() -> Any:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Ada Lovelace"},
            {"label": "PERSON", "pattern": "Charles Babbage"},
            {"label": "GPE", "pattern": "London"},
            {"label": "DATE", "pattern": [{"IS_DIGIT": True}, {"LOWER": "june"}]},
        ]
    )
    return nlp


def test_spans_spacy_ner_source_reads_the_pipeline_entities() -> None:
    source = SpacyNERSource(
        _ruler_pipeline(), name="ruler", label_map={"PERSON": "PER", "DATE": None}
    )
    docs = _docs()
    before = [d.to_json() for d in docs]
    source.annotate(docs)
    assert _triples(docs[0], "ruler") == [
        ("Ada Lovelace", "PER"),
        ("Charles Babbage", "PER"),
        ("London", "GPE"),
    ]
    for doc, old in zip(docs, before, strict=True):
        assert doc.ents == () and doc.to_json()["tokens"] == old["tokens"]  # untouched


def test_spans_spacy_ner_source_with_span_ruler_and_a_foreign_vocab() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "found"})
    ruler.add_patterns([{"label": "DRUG", "pattern": [{"LOWER": "aspirin"}]}])
    source = SpacyNERSource(nlp, span_key="found")
    assert source.name == "spacy_pipeline"
    doc = source(spacy.blank("en")(TEXTS[1]))  # another vocab, same tokens
    assert _triples(doc, "spacy_pipeline") == [("Aspirin", "DRUG"), ("aspirin", "DRUG")]


def test_spans_spacy_ner_fingerprint_sees_pipeline_changes() -> None:
    nlp = _ruler_pipeline()
    source = SpacyNERSource(nlp, name="r")
    before = source.fingerprint()
    assert SpacyNERSource(_ruler_pipeline(), name="r").fingerprint() == before
    nlp.get_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Paris"}])
    assert source.fingerprint() != before


def test_spans_spacy_ner_source_runs_a_trained_ner() -> None:
    from spacy.training import Example

    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    train = [
        ("Aspirin helps.", [(0, 7, "DRUG")]),
        ("Take ibuprofen daily.", [(5, 14, "DRUG")]),
        ("Paracetamol works.", [(0, 11, "DRUG")]),
        ("Nothing here.", []),
    ]
    for _, ents in train:
        for _, _, label in ents:
            ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in train]
    random.seed(0)
    spacy.util.fix_random_seed(0)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    source = SpacyNERSource(nlp, name="trained")
    doc = source(NLP("Aspirin helps."))
    assert _triples(doc, "trained") == [("Aspirin", "DRUG")]


def test_spans_spacy_ner_source_rejects_non_pipelines() -> None:
    with pytest.raises(ParameterError, match=r"\[E037\].*spaCy pipeline"):
        SpacyNERSource(object())  # type: ignore[arg-type]


# ------------------------------------------------------------------------ doc votes
def test_spans_doc_function_votes_on_the_whole_doc() -> None:
    @doc_function()
    def asks(doc: Doc) -> str | None:
        return "QUESTION" if doc.text.rstrip().endswith("?") else None

    docs = asks.annotate(_docs())
    assert _triples(docs[-1], "asks") == [("Is this a question?", "QUESTION")]
    assert len(docs[0].spans["asks"]) == 0
    assert asks.vote(docs[-1]) == "QUESTION"
    bad = DocumentSource("bad", lambda doc: 3)
    with pytest.raises(SourceError, match=r"\[E037\] Source 'bad': returned 3 on doc 2"):
        bad.spans_batch([NLP("a")], start=2)


def test_spans_lexicon_spans_label_map_renames_and_drops() -> None:
    lexicon = Lexicon(("aspirin", "fever", "cough"), ("DRUG", "SYMPTOM", "SYMPTOM"))
    doc = NLP("aspirin for fever and cough")
    renamed = lexicon_spans(lexicon, name="lex", label_map={"DRUG": "Chemical", "SYMPTOM": None})
    assert renamed.spans(doc) == [(0, 1, "Chemical")]
    with pytest.raises(SourceError, match=r"E527\] Source 'lex'.*'drug'.*only in case"):
        lexicon_spans(lexicon, name="lex", label_map={"drug": "Chemical"})


@pytest.mark.parametrize(
    ("label_map", "message"),
    [
        ({"PERSON": ""}, r"maps 'PERSON' to ''"),
        ({"PERSON": 1}, r"maps 'PERSON' to 1"),
        ([("PERSON", "PER")], r"must be a mapping; got list"),
    ],
)
def test_spans_spacy_ner_source_refuses_a_malformed_label_map(label_map: Any, message: str) -> None:
    with pytest.raises(SourceError, match=rf"E527\] Source 'ruler': label_map {message}"):
        SpacyNERSource(_ruler_pipeline(), name="ruler", label_map=label_map)
