"""apply_spans: span sources (weaklabel's and skweak's) over docs, cache, faults, progress."""

from __future__ import annotations

import gzip
import itertools
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import weaklabel as wl
from weaklabel.appliers.cache import SourceCache
from weaklabel.errors import ParameterError, SourceError
from weaklabel.labels import LabelSpace
from weaklabel.matrix import LabelMatrix

spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc, Span  # noqa: E402

from weaklabel.analysis.spans import summarize_span_sources  # noqa: E402
from weaklabel.appliers.spans import (  # noqa: E402
    apply_doc_sources,
    apply_spans,
    docs_fingerprint,
    is_doc_sequence,
)
from weaklabel.sources.gazetteer import Gazetteer, gazetteer_source  # noqa: E402
from weaklabel.sources.spans import doc_function, regex_spans, span_function  # noqa: E402
from weaklabel.tokens import write_spans  # noqa: E402

NLP = spacy.blank("en")
TEXTS = [
    "Aspirin and ibuprofen reduce fever in patients with influenza.",
    "Long-term aspirin use may cause gastric ulcer and Reye syndrome.",
    "No drug was given.",
    "Ibuprofen , not aspirin , was linked to kidney failure .",
]


def _docs() -> list[Doc]:
    return [NLP(t) for t in TEXTS]


def _drugs() -> Any:
    gz = Gazetteer.from_records([("aspirin", "Chemical"), ("ibuprofen", "Chemical")])
    return gazetteer_source(gz, name="drugs")


def _diseases() -> Any:
    @span_function("suffix_disease")
    def diseases(doc: Doc) -> list[tuple[int, int, str]]:
        out = []
        for t in doc[1:]:
            if t.lower_ in {"syndrome", "failure", "ulcer"}:
                out.append((t.i - 1, t.i + 1, "Disease"))
        return out

    return diseases


# ----------------------------------------------------------------------------- basics
def test_spans_apply_returns_bio_votes_and_writes_the_docs() -> None:
    docs = _docs()
    tm = apply_spans([_drugs(), _diseases()], docs, progress=False)
    assert tm.source_names == ("drugs", "suffix_disease")
    assert tm.entity_types == ("Chemical", "Disease")
    assert tm.lengths.tolist() == [len(d) for d in docs]
    assert tm.source_tags("drugs")[0][:3] == ["B-Chemical", "O", "B-Chemical"]
    assert [s.text for s in docs[1].spans["suffix_disease"]] == ["gastric ulcer", "Reye syndrome"]
    with pytest.warns(UserWarning, match=r"W005\] 5 span\(s\).*drugs: 5 span\(s\) labelled"):
        restricted = apply_spans(
            [_drugs(), _diseases()], _docs(), label_names=["Disease"], progress=False
        )
    assert restricted.tag_names == ("O", "B-Disease", "I-Disease")
    assert restricted.weak[0][:, 0].tolist() == [0] * len(docs[0])
    single = apply_spans(_drugs(), NLP("aspirin"), progress=True)  # one source, one doc
    assert single.weak[0].tolist() == [[1]]


def test_spans_is_doc_sequence_is_the_dispatch_condition() -> None:
    assert is_doc_sequence(_docs()) and is_doc_sequence(tuple(_docs()))
    assert is_doc_sequence(NLP("one doc"))
    assert not is_doc_sequence(TEXTS) and not is_doc_sequence([]) and not is_doc_sequence("a")


def test_spans_apply_rejects_what_is_not_a_span_source() -> None:
    with pytest.raises(SourceError, match=r"\[E502\]"):
        apply_spans([wl.keyword_source("x", "A", name="kw")], _docs(), progress=False)
    with pytest.raises(SourceError, match=r"\[E502\]"):
        apply_spans([42], _docs(), progress=False)  # type: ignore[list-item]
    with pytest.raises(SourceError, match=r"\[E033\] Two sources share the name 'drugs'"):
        apply_spans([_drugs(), _drugs()], _docs(), progress=False)
    with pytest.raises(SourceError, match=r"\[E506\].*item 1 is a str"):
        apply_spans([_drugs()], [NLP("a"), "b"], progress=False)  # type: ignore[list-item]


def test_spans_apply_takes_plain_doc_callables() -> None:
    def marks_first(doc: Doc) -> Doc:
        doc.spans["marks_first"] = [Span(doc, 0, 1, "FIRST")] if len(doc) else []
        return doc

    def forgets(doc: Doc) -> Doc:
        return doc

    def returns_list(doc: Doc) -> list[Any]:
        return []

    tm = apply_spans([marks_first], _docs(), progress=False)
    assert tm.weak[0][:2, 0].tolist() == [1, 0]
    with pytest.raises(SourceError, match=r"\[E504\] Source 'forgets' ran on doc 0"):
        apply_spans([forgets], _docs(), progress=False)
    with pytest.raises(SourceError, match=r"\[E504\].*returned a list"):
        apply_spans([returns_list], _docs(), progress=False)


# ---------------------------------------------------------------------- faults
def test_spans_apply_names_the_source_and_doc_that_raised() -> None:
    @span_function()
    def fragile(doc: Doc) -> list[tuple[int, int, str]]:
        if "drug" in doc.text:
            raise ValueError("boom")
        return [(0, 1, "X")]

    with pytest.raises(
        SourceError,
        match=r"\[E501\] Span source 'fragile' raised ValueError on "
        r"doc 2: boom\n  doc: 'No drug was given.'",
    ):
        apply_spans([fragile], _docs(), progress=False)
    with pytest.warns(UserWarning, match=r"\[W001\].*empty.*fragile: 1"):
        tm = apply_spans([fragile, _drugs()], _docs(), fault_tolerant=True, progress=False)
    assert tm.fault_counts == {"fragile": 1}
    assert tm.weak[2][:, 0].tolist() == [0] * len(tm.weak[2])  # the doc that raised
    assert tm.source_tags("fragile")[3][0] == "B-X"


def test_spans_bad_return_raises_even_when_fault_tolerant() -> None:
    bad = span_function("bad")(lambda doc: [(0, 999, "X")])
    with pytest.raises(SourceError, match=r"\[E500\] Span source 'bad'.*on doc 0"):
        apply_spans([bad], _docs(), fault_tolerant=True, progress=False)


# ------------------------------------------------------------------------- cache
def test_spans_cache_reruns_only_the_edited_source(tmp_path: Path) -> None:
    calls = itertools.count()  # identity-fingerprinted: does not change the source's key

    def make(label: str) -> Any:
        @span_function("counted")
        def counted(doc: Doc) -> list[tuple[int, int, str]]:
            next(calls)
            return [(0, 1, label)] if len(doc) else []

        return counted

    for cache in (SourceCache(), SourceCache(tmp_path / "cache")):
        start = next(calls)
        docs = _docs()
        first = apply_spans([make("A"), _drugs()], docs, cache=cache, progress=False)
        ran = next(calls) - start - 1
        assert ran == len(docs)
        fresh = _docs()  # new docs, same content: served from the cache, spans written back
        second = apply_spans([make("A"), _drugs()], fresh, cache=cache, progress=False)
        assert next(calls) - start - 2 == ran
        assert second.equals(first)
        assert [s.label_ for s in fresh[0].spans["counted"]] == ["A"]
        assert [s.text for s in fresh[0].spans["drugs"]] == ["Aspirin", "ibuprofen"]
        edited = apply_spans([make("B"), _drugs()], _docs(), cache=cache, progress=False)
        assert next(calls) - start - 3 == 2 * ran  # only the edited source ran again
        assert edited.entity_types == ("B", "Chemical")
        other_docs = [NLP(t + " Again.") for t in TEXTS]
        apply_spans([make("B")], other_docs, cache=cache, progress=False)
        assert next(calls) - start - 4 == 3 * ran  # other docs: recomputed


def test_spans_docs_fingerprint_sees_tokens_and_annotations() -> None:
    a, b = _docs(), _docs()
    assert docs_fingerprint(a) == docs_fingerprint(b)
    b[0].ents = [Span(b[0], 0, 1, "Chemical")]
    assert docs_fingerprint(a) != docs_fingerprint(b)
    words = Doc(NLP.vocab, words=["Aspirin", "and"], spaces=[False, False])
    assert docs_fingerprint([words]) != docs_fingerprint([NLP("Aspirin and")])


# ----------------------------------------------------------------- document votes
def test_spans_apply_doc_sources_gives_a_document_label_matrix() -> None:
    @doc_function()
    def mentions_drug(doc: Doc) -> str | None:
        return "MEDICAL" if any(t.lower_ in {"aspirin", "ibuprofen"} for t in doc) else None

    @doc_function()
    def negative(doc: Doc) -> str | None:
        return "OTHER" if doc.text.startswith("No") else None

    L = apply_doc_sources([mentions_drug, negative], _docs(), progress=False)
    assert isinstance(L, LabelMatrix)
    assert L.label_names == ("MEDICAL", "OTHER")
    assert L.values.tolist() == [[0, -1], [0, -1], [-1, 1], [0, -1]]
    named = apply_doc_sources(
        [mentions_drug], _docs(), label_names=["OTHER", "MEDICAL"], progress=False
    )
    assert named.values[:, 0].tolist() == [1, 1, -1, 1]
    with pytest.raises(ParameterError, match=r"\[E037\].*label_names"):
        apply_doc_sources([mentions_drug], _docs(), progress=False)


# ------------------------------------------------------------------- with skweak
def test_spans_skweak_annotators_and_weaklabel_sources_mix() -> None:
    heuristics = pytest.importorskip("skweak.heuristics")
    gazetteers = pytest.importorskip("skweak.gazetteers")

    def fever(doc: Doc) -> Any:
        for t in doc:
            if t.lower_ in {"fever", "influenza"}:
                yield t.i, t.i + 1, "Disease"

    sk_function = heuristics.FunctionAnnotator("sk_fever", fever)
    trie = gazetteers.Trie([["kidney", "failure"], ["gastric", "ulcer"]])
    sk_gazetteer = gazetteers.GazetteerAnnotator(
        "sk_gaz", {"Disease": trie}, case_sensitive=False, additional_checks=False
    )
    # skweak's to_exclude sees the spans of the weaklabel source applied before it
    sk_excluding = heuristics.FunctionAnnotator(
        "sk_any_word",
        lambda doc: [(t.i, t.i + 1, "Chemical") for t in doc if t.is_alpha],
        to_exclude=["drugs"],
    )
    docs = _docs()
    sources = [_drugs(), sk_function, _diseases(), sk_gazetteer, sk_excluding]
    tm = apply_spans(sources, docs, progress=False)
    assert tm.source_names == ("drugs", "sk_fever", "suffix_disease", "sk_gaz", "sk_any_word")
    assert [s.text for s in docs[0].spans["sk_fever"]] == ["fever", "influenza"]
    assert [s.text for s in docs[3].spans["sk_gaz"]] == ["kidney failure"]
    assert "Aspirin" not in [s.text for s in docs[0].spans["sk_any_word"]]

    # aggregate with weaklabel: a majority vote per token (tokens nobody labels stay O)
    L = tm.select_sources(["drugs", "sk_fever", "suffix_disease", "sk_gaz"]).to_label_matrix()
    votes = wl.MajorityVote().fit(L).predict(L)
    ids = np.where((L.values < 0).all(axis=1), 0, votes)
    _, offsets = tm.to_flat()
    predicted = [ids[a:b] for a, b in itertools.pairwise(offsets)]
    write_spans(docs, predicted, name="majority", tag_names=tm.tag_names, set_ents=True)
    assert [(e.text, e.label_) for e in docs[3].ents] == [
        ("Ibuprofen", "Chemical"),
        ("aspirin", "Chemical"),
        ("kidney failure", "Disease"),
    ]
    table = summarize_span_sources(docs, gold="majority")
    assert table.loc["drugs", "precision"] == 1.0


def test_spans_skweak_reads_weaklabel_output() -> None:
    utils = pytest.importorskip("skweak.utils")
    generative = pytest.importorskip("skweak.generative")
    docs = [NLP(t) for t in TEXTS * 3]
    tm = apply_spans([_drugs(), _diseases()], docs, progress=False)
    # skweak's own token array of our span groups equals our token matrix
    for doc, weak in zip(docs, tm.weak, strict=True):
        theirs = utils.spans_to_array(doc, list(tm.tag_names), list(tm.source_names))
        assert np.array_equal(theirs, weak)
        assert [s.text for s in utils.get_spans(doc, ["drugs"])] == [
            s.text for s in doc.spans["drugs"]
        ]
    hmm = generative.HMM("hmm", ["Chemical", "Disease"])
    hmm.fit(docs, n_iter=3)
    out = hmm(docs[1])
    assert {(s.text, s.label_) for s in out.spans["hmm"]} >= {
        ("aspirin", "Chemical"),
        ("Reye syndrome", "Disease"),
    }


# ------------------------------------------------------------------------ real data
@pytest.mark.realdata
def test_spans_bc5cdr_gazetteer_beats_chance(shared_data: Path) -> None:
    folder = shared_data / "wrench" / "seq_tagging" / "bc5cdr"
    rows = {}
    for split in ("train", "test"):
        with gzip.open(folder / f"{split}.json.gz", "rt") as handle:
            rows[split] = list(json.load(handle).values())
    names = set()
    for row in rows["train"]:
        words, tags = row["data"]["text"], row["label"]
        for start, end, label in wl.tokens.bio_to_spans(tags):
            names.add((" ".join(words[start:end]), label))
    gz = Gazetteer.from_records(sorted(names))
    source = gazetteer_source(gz, name="train_names", tokenizer="whitespace")
    suffix = regex_spans(
        r"\b\w+(?:itis|emia|opathy|toxicity)\b", "Disease", name="suffix", case_sensitive=False
    )
    docs = [Doc(NLP.vocab, words=r["data"]["text"]) for r in rows["test"]]
    tm = apply_spans([source, suffix], docs, label_names=["Chemical", "Disease"], progress=False)
    assert tm.n_docs == 500 and tm.lengths.tolist() == [len(r["label"]) for r in rows["test"]]
    table = summarize_span_sources(tm, gold=[r["label"] for r in rows["test"]])
    assert table.loc["train_names", "precision"] > 0.6
    assert table.loc["train_names", "recall"] > 0.4
    assert table.loc["suffix", "precision"] > 0.5
    assert re.fullmatch(r"[0-9a-f]{32}", docs_fingerprint(docs))


def test_spans_weaklabel_apply_dispatches_docs_to_span_sources() -> None:
    import spacy

    import weaklabel as wl
    from weaklabel.errors import ParameterError

    nlp = spacy.blank("en")
    docs = [nlp("Paris is in France and Berlin in Germany."), nlp("Nothing here.")]
    countries = wl.gazetteer_source(wl.Gazetteer.builtin("countries"), name="gaz_country")
    matrix = wl.apply([countries], docs, progress=False)
    assert isinstance(matrix, wl.TokenMatrix)
    assert matrix.source_names == ("gaz_country",)
    assert [len(w) for w in matrix.weak] == [9, 3]
    tags = wl.SequenceLabelModel(tags=matrix.tag_names, seed=0).fit(matrix).predict(matrix)
    assert tags[0][3].startswith("B-") and tags[0][7].startswith("B-")
    assert tags[1] == ["O", "O", "O"]
    with pytest.raises(ParameterError, match=r"\[E043\]"):
        wl.apply([countries], docs, n_jobs=2, progress=False)


def _same_votes(left: wl.TokenMatrix, right: wl.TokenMatrix) -> bool:
    return left.entity_types == right.entity_types and all(
        np.array_equal(a, b) for a, b in zip(left.weak, right.weak, strict=True)
    )


def test_spans_label_names_are_the_span_labels_as_for_apply() -> None:
    sources = [_drugs(), _diseases()]
    want = apply_spans(sources, _docs(), label_names=["Disease", "Chemical"], progress=False)
    assert want.entity_types == ("Disease", "Chemical")
    assert want.tag_names[1:3] == ("B-Disease", "I-Disease")
    for same in (
        ["Disease", "Chemical"],
        {0: "Disease", "1": "Chemical"},
        LabelSpace(("Disease", "Chemical")),
    ):
        assert _same_votes(wl.apply(sources, _docs(), label_names=same, progress=False), want)
        assert _same_votes(apply_spans(sources, _docs(), label_names=same, progress=False), want)


def test_spans_entity_types_is_the_deprecated_name_of_label_names() -> None:
    sources = [_drugs(), _diseases()]
    with pytest.warns(UserWarning, match=r"W005\]"):
        want = apply_spans(sources, _docs(), label_names=["Disease"], progress=False)
    with (
        pytest.warns(UserWarning, match=r"W005\]"),
        pytest.warns(DeprecationWarning, match=r"entity_types=.*label_names="),
    ):
        old = apply_spans(sources, _docs(), entity_types=["Disease"], progress=False)
    assert _same_votes(old, want)
    with pytest.raises(TypeError, match="both label_names= and entity_types="):
        apply_spans(sources, _docs(), label_names=["A"], entity_types=["A"], progress=False)


def _save_npy(path: Path, array: np.ndarray) -> None:
    with open(path, "wb") as handle:
        np.save(handle, array)


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(b"garbage" * 10),
        lambda p: _save_npy(p, np.array([[0, 5, 2, 0]], dtype=np.int64)),  # end <= start
        lambda p: _save_npy(p, np.array([[0, 0, 999, 0]], dtype=np.int64)),  # past the doc
        lambda p: _save_npy(p, np.array([0.5, 0.5])),
        lambda p: _save_npy(p, np.array(["", "x"])),
    ],
    ids=["empty", "garbage", "backwards", "past-the-doc", "floats", "strings"],
)
def test_spans_damaged_cache_entries_are_recomputed_with_one_warning(
    tmp_path: Path, damage: Any
) -> None:
    source = regex_spans(r"[A-Z][a-z]+", "NAME", name="caps")
    first = apply_spans([source], _docs(), cache=tmp_path, progress=False)
    files = sorted(tmp_path.glob("*.npy"))
    assert len(files) == 2  # the packed spans and their labels
    for path in files:  # each run repairs the entry it found damaged
        damage(path)
        with pytest.warns(UserWarning, match=r"W003\]") as record:
            again = apply_spans([source], _docs(), cache=tmp_path, progress=False)
        assert len([w for w in record if "W003" in str(w.message)]) == 1
        assert "source 'caps'" in str(record[0].message) and str(path) in str(record[0].message)
        assert again.equals(first)
