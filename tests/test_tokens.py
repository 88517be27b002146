"""TokenMatrix: votes of span sources per token, docs <-> matrix (tags: tests/test_tags.py)."""

from __future__ import annotations

import gzip
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from weaklabel.errors import ParameterError, SourceError
from weaklabel.matrix import LabelMatrix
from weaklabel.tokens import TokenMatrix

spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc, Span  # noqa: E402

NLP = spacy.blank("en")


def _doc(text: str) -> Doc:
    return NLP.make_doc(text)


# ------------------------------------------------------------------------- the matrix
def _tm() -> TokenMatrix:
    return TokenMatrix.from_tags(
        [
            [["B-PER", "O"], ["I-PER", "O"], ["O", "B-LOC"]],
            [["O", "B-PER"]],
        ],
        ["a", "b"],
        ["PER", "LOC"],
    )


def test_tokens_matrix_shapes_dtype_and_views() -> None:
    tm = _tm()
    assert tm.n_docs == 2 and tm.n_sources == 2 and tm.n_tokens == 4
    assert tm.lengths.tolist() == [3, 1]
    assert tm.weak[0].dtype == np.int8
    assert tm.weak[0].tolist() == [[1, 0], [2, 0], [0, 3]]
    with pytest.raises(ValueError):
        tm.weak[0][0, 0] = 2  # read-only
    values, offsets = tm.to_flat()
    assert values.shape == (4, 2) and offsets.tolist() == [0, 3, 4]
    back = TokenMatrix.from_flat(values, offsets, tm.source_names, tm.entity_types)
    assert back.equals(tm)
    assert tm.source_tags("b") == [["O", "O", "B-LOC"], ["B-PER"]]
    assert tm.spans("a") == [[(0, 2, "PER")], []]
    assert tm.select_sources(["b"]).weak[1].tolist() == [[1]]
    assert tm.select_docs([1]).n_tokens == 1
    assert "n_docs=2" in repr(tm)


def test_tokens_matrix_to_label_matrix() -> None:
    L = _tm().to_label_matrix()
    assert isinstance(L, LabelMatrix)
    assert L.shape == (4, 2) and L.label_names == ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
    assert L.values[:, 0].tolist() == [1, 2, -1, -1]
    assert _tm().to_label_matrix(o_as_abstain=False).values[2, 0] == 0


def test_tokens_matrix_validates_its_input() -> None:
    with pytest.raises(ParameterError, match=r"\[E513\].*doc 0.*\(3, 2\)"):
        TokenMatrix([np.zeros((3, 1), dtype=int)], ("a", "b"), ("X",))
    with pytest.raises(ParameterError, match=r"\[E514\].*doc 0 hold the tag id 3"):
        TokenMatrix([np.array([[3]])], ("a",), ("X",))
    with pytest.raises(ParameterError, match=r"\[E033\]"):
        TokenMatrix([], ("a", "a"), ("X",))
    with pytest.raises(
        ParameterError,
        match=r"\[E510\] Unknown tag 'B-ORG' at token 0 of doc 0 "
        r"\(source 'b'\)",
    ):
        TokenMatrix.from_tags([[["O", "B-ORG"]]], ["a", "b"], ["PER"])
    with pytest.raises(ParameterError, match=r"\[E026\]"):
        _tm().source_index("nope")


def test_tokens_from_tags_infers_sorted_entity_types() -> None:
    tm = TokenMatrix.from_tags([[["B-Z"], ["I-Z"], ["B-A"]]], ["s"])
    assert tm.entity_types == ("A", "Z")
    assert tm.weak[0][:, 0].tolist() == [3, 4, 1]


# ------------------------------------------------------------------------ docs <-> matrix
def test_tokens_from_docs_reads_span_groups_and_resolves_overlaps() -> None:
    doc = _doc("Ada Lovelace met Charles Babbage in London today")
    doc.spans["people"] = [Span(doc, 0, 2, "PER"), Span(doc, 3, 5, "PER"), Span(doc, 4, 5, "X")]
    doc.spans["places"] = [Span(doc, 6, 7, "LOC"), Span(doc, 5, 8, "LOC")]  # overlap
    tm = TokenMatrix.from_docs([doc], ["people", "places"])
    assert tm.entity_types == ("LOC", "PER", "X")
    assert tm.source_tags("people")[0][:5] == ["B-PER", "I-PER", "O", "B-PER", "I-PER"]
    assert tm.source_tags("places")[0][5:] == ["B-LOC", "I-LOC", "I-LOC"]  # longest wins
    with pytest.warns(UserWarning, match=r"W005\] 1 span\(s\).*people: 1 span\(s\) labelled 'X'"):
        only = TokenMatrix.from_docs([doc], ["people"], ["PER"])  # X left out, with a word
    assert only.source_tags("people")[0][4] == "I-PER"


def test_tokens_from_docs_missing_group_raises_E505_or_counts_as_empty() -> None:
    doc = _doc("no spans here")
    with pytest.raises(SourceError, match=r"\[E505\] Doc 0 has no doc.spans\['typo'\]"):
        TokenMatrix.from_docs([doc], ["typo"], ["X"])
    tm = TokenMatrix.from_docs([doc], ["typo"], ["X"], missing="empty")
    assert tm.weak[0].tolist() == [[0], [0], [0]]


def test_tokens_to_docs_round_trip() -> None:
    docs = [_doc("Ada Lovelace lived in London"), _doc("nothing"), _doc("")]
    docs[0].spans["s1"] = [Span(docs[0], 0, 2, "PER"), Span(docs[0], 4, 5, "LOC")]
    docs[1].spans["s1"] = []
    docs[2].spans["s1"] = []
    tm = TokenMatrix.from_docs(docs, ["s1"])
    tm.to_docs(docs, prefix="copy_")
    assert [(s.start, s.end, s.label_) for s in docs[0].spans["copy_s1"]] == [
        (0, 2, "PER"),
        (4, 5, "LOC"),
    ]
    assert TokenMatrix.from_docs(docs, ["copy_s1"], tm.entity_types).weak[0].tolist() == (
        tm.weak[0].tolist()
    )
    with pytest.raises(ParameterError, match=r"\[E511\]"):
        tm.to_docs([_doc("one two"), docs[1], docs[2]])


# ------------------------------------------------------------------------ real data
@pytest.mark.realdata
def test_tokens_bc5cdr_weak_labels_survive_docs_and_back(shared_data: Path) -> None:
    folder = shared_data / "wrench" / "seq_tagging" / "bc5cdr"
    meta = json.loads((folder / "meta.json").read_text())
    with gzip.open(folder / "valid.json.gz", "rt") as handle:
        rows = list(json.load(handle).values())[:150]
    tm = TokenMatrix.from_tags([r["weak_labels"] for r in rows], meta["lf"], meta["entity_types"])
    assert tm.tag_names == ("O", "B-Chemical", "I-Chemical", "B-Disease", "I-Disease")
    assert tm.n_sources == 30 and tm.lengths.tolist() == [len(r["label"]) for r in rows]
    docs = [Doc(NLP.vocab, words=r["data"]["text"]) for r in rows]
    tm.to_docs(docs)
    back = TokenMatrix.from_docs(docs, meta["lf"], meta["entity_types"])
    # to_docs reads the tags tolerantly (an I- after O starts a span), so compare spans
    for name in meta["lf"][:10]:
        assert back.spans(name) == tm.spans(name)
    gold = TokenMatrix.from_tags(
        [[[t] for t in r["label"]] for r in rows], ["gold"], meta["entity_types"]
    )
    assert gold.source_tags("gold") == [r["label"] for r in rows]


@pytest.mark.parametrize(
    "module",
    [
        "weaklabel.tokens",
        "weaklabel.tags",
        "weaklabel.sources.spans",
        "weaklabel.sources.gazetteer",
        "weaklabel.appliers.spans",
        "weaklabel.datasets.conll",
        "weaklabel.analysis.spans",
    ],
)
def test_tokens_span_module_examples_run(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_tokens_label_names_is_the_word_for_entity_types() -> None:
    spans = [[[(0, 1, "PER")], [(1, 2, "ORG")]]]
    by_old = TokenMatrix.from_spans(spans, [2], ["a", "b"], ["ORG", "PER"])
    by_new = TokenMatrix.from_spans(spans, [2], ["a", "b"], label_names=["ORG", "PER"])
    assert all(np.array_equal(a, b) for a, b in zip(by_new.weak, by_old.weak, strict=True))
    assert by_new.label_names == by_new.entity_types == ("ORG", "PER")
    tags = [[["B-PER", "O"], ["O", "B-ORG"]]]
    assert TokenMatrix.from_tags(tags, ["a", "b"], label_names=["ORG", "PER"]).label_names == (
        "ORG",
        "PER",
    )
    with pytest.raises(TypeError, match="pass label_names= only"):
        TokenMatrix.from_spans(spans, [2], ["a", "b"], ["PER"], label_names=["PER"])


# ------------------------------------------------- labels outside the label space (W005)
def test_tokens_spans_outside_the_label_space_warn_per_source_and_label() -> None:
    spans = [[[(0, 1, "GPE"), (2, 3, "PER")], [(0, 2, "per")]], [[(1, 2, "GPE")], []]]
    with pytest.warns(UserWarning, match=r"W005\]") as record:
        tm = TokenMatrix.from_spans(spans, [3, 2], ["gaz", "lower"], label_names=["PER", "LOC"])
    assert len(record) == 1
    message = str(record[0].message)
    assert "3 span(s) have labels outside the label space ['PER', 'LOC']" in message
    assert (
        "gaz: 2 span(s) labelled 'GPE'" in message and "lower: 1 span(s) labelled 'per'" in message
    )
    assert "'per' differs from 'PER' only in case" in message
    assert record[0].filename == __file__, "the warning points at the caller"
    assert tm.weak[0][:, 0].tolist() == [0, 0, 1] and tm.weak[0][:, 1].tolist() == [0, 0, 0]


def test_tokens_no_warning_when_every_label_is_in_the_space() -> None:
    spans = [[[(0, 1, "GPE"), (2, 3, "PER")]]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        TokenMatrix.from_spans(spans, [3], ["gaz"])  # the space defaults to the labels seen
        TokenMatrix.from_spans(spans, [3], ["gaz"], label_names=["PER", "GPE"])


def test_tokens_from_docs_warns_about_labels_outside_the_space() -> None:
    doc = NLP("Paris is in France")
    doc.spans["gaz"] = [Span(doc, 0, 1, "GPE"), Span(doc, 3, 4, "GPE")]
    with pytest.warns(UserWarning, match=r"W005\] 2 span\(s\).*gaz: 2 span\(s\) labelled 'GPE'"):
        tm = TokenMatrix.from_docs([doc], ["gaz"], label_names=["LOC"])
    assert int(tm.weak[0].max()) == 0
    assert len(doc.spans["gaz"]) == 2, "the spans stay on the doc"
