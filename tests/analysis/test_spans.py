"""Span-source statistics: coverage, overlaps, conflicts, and P/R/F1 against gold spans."""

from __future__ import annotations

import gzip
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from weaklabel.analysis.spans import summarize_span_sources
from weaklabel.errors import ParameterError
from weaklabel.tokens import TokenMatrix, bio_to_spans

COLUMNS = ["j", "labels", "n_spans", "doc_coverage", "coverage", "overlaps", "conflicts"]


def _tm() -> TokenMatrix:
    # doc 0: a = PER on tokens 0-1; b = PER on 0, LOC on 2; c = LOC on 1-2
    return TokenMatrix.from_tags(
        [
            [["B-PER", "B-PER", "O"], ["I-PER", "O", "B-LOC"], ["O", "B-LOC", "I-LOC"], ["O"] * 3],
            [["O", "O", "O"]],
        ],
        ["a", "b", "c"],
        ["PER", "LOC"],
    )


def test_spans_summary_token_statistics_by_hand() -> None:
    table = summarize_span_sources(_tm())
    assert list(table.columns) == COLUMNS and table.index.name == "source"
    assert table["n_spans"].tolist() == [1, 2, 1]
    assert table["labels"].tolist() == [["PER"], ["LOC", "PER"], ["LOC"]]
    assert table["doc_coverage"].tolist() == [0.5, 0.5, 0.5]
    # 5 tokens; a labels 0,1; b labels 0,2; c labels 1,2
    assert table["coverage"].tolist() == pytest.approx([2 / 5, 2 / 5, 2 / 5])
    assert table["overlaps"].tolist() == pytest.approx([2 / 5, 2 / 5, 2 / 5])
    # token 1: a PER vs c LOC; token 2: b LOC vs c LOC (agree); token 0: a, b PER (agree)
    assert table["conflicts"].tolist() == pytest.approx([1 / 5, 0.0, 1 / 5])


def test_spans_summary_against_gold_in_every_form() -> None:
    tm = _tm()
    spans = [[(0, 2, "PER"), (2, 3, "LOC")], []]
    tags = [["B-PER", "I-PER", "B-LOC", "O"], ["O"]]
    for gold in (spans, tags):
        table = summarize_span_sources(tm, gold=gold)
        assert table["tp"].tolist() == [1, 1, 0]
        assert table["fp"].tolist() == [0, 1, 1]
        assert table["fn"].tolist() == [1, 1, 2]
        assert table["precision"].tolist() == pytest.approx([1.0, 0.5, 0.0])
        assert table["recall"].tolist() == pytest.approx([0.5, 0.5, 0.0])
        assert table["f1"].tolist() == pytest.approx([2 / 3, 0.5, 0.0])
    silent = TokenMatrix.from_tags([[["O"]]], ["quiet"], ["PER"])
    row = summarize_span_sources(silent, gold=[[(0, 1, "PER")]]).loc["quiet"]
    assert math.isnan(row["precision"]) and row["recall"] == 0.0 and math.isnan(row["f1"])


def test_spans_summary_restricts_sources_and_types() -> None:
    table = summarize_span_sources(_tm(), sources=["b"], entity_types=["LOC"])
    assert table.index.tolist() == ["b"]
    assert table.loc["b", "n_spans"] == 1 and table.loc["b", "labels"] == ["LOC"]
    with pytest.raises(ParameterError, match=r"\[E550\].*got 1 entries for 2 docs"):
        summarize_span_sources(_tm(), gold=[[]])
    with pytest.raises(ParameterError, match=r"\[E550\].*no docs were given"):
        summarize_span_sources(_tm(), gold="gold")
    with pytest.raises(ParameterError, match=r"\[E550\].*doc 0 has 4 tokens but 1 gold tags"):
        summarize_span_sources(_tm(), gold=[["O"], ["O"]])


spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc, Span  # noqa: E402

NLP = spacy.blank("en")


def test_spans_summary_reads_docs_and_skips_gold_and_predictions() -> None:
    doc = NLP("Ada Lovelace met Babbage in London")
    doc.spans["people"] = [Span(doc, 0, 2, "PER"), Span(doc, 1, 2, "PER")]  # overlapping
    doc.spans["places"] = [Span(doc, 5, 6, "LOC")]
    doc.spans["gold"] = [Span(doc, 0, 2, "PER"), Span(doc, 3, 4, "PER"), Span(doc, 5, 6, "LOC")]
    doc.spans["model"] = [Span(doc, 0, 2, "PER")]
    doc.spans["model"].attrs["aggregated"] = True
    doc.ents = [Span(doc, 5, 6, "LOC")]
    table = summarize_span_sources([doc], gold="gold")
    assert table.index.tolist() == ["people", "places"]
    assert table.loc["people", "n_spans"] == 2  # as written, overlaps included
    assert table.loc["people", "coverage"] == pytest.approx(2 / 6)  # BIO view
    assert table.loc["people", ["tp", "fp", "fn"]].tolist() == [1, 1, 2]
    by_ents = summarize_span_sources([doc], gold="ents", sources=["places"])
    assert by_ents.loc["places", "precision"] == 1.0
    with pytest.raises(ParameterError, match=r"\[E550\].*doc 0 has no span group 'typo'"):
        summarize_span_sources([doc], gold="typo")


@pytest.mark.parametrize("flag", ["gold", "avoid_in_aggregation"])
def test_spans_summary_skips_groups_marked_as_not_sources(flag: str) -> None:
    doc = NLP("Ada Lovelace met Babbage in London")
    doc.spans["people"] = [Span(doc, 0, 2, "PER")]
    doc.spans["truth"] = [Span(doc, 0, 2, "PER"), Span(doc, 3, 4, "PER")]
    assert summarize_span_sources([doc]).index.tolist() == ["people", "truth"]
    doc.spans["truth"].attrs[flag] = True
    assert summarize_span_sources([doc]).index.tolist() == ["people"]
    scored = summarize_span_sources([doc], gold="truth")
    assert scored.loc["people", ["tp", "fp", "fn"]].tolist() == [1, 0, 1]


def test_spans_summary_reads_conll_gold_by_name() -> None:
    from weaklabel.datasets.conll import conll_to_docs, parse_conll

    docs = conll_to_docs(parse_conll("Ada B-PER\nLovelace I-PER\nmet O\nBabbage B-PER\n"), NLP)
    docs[0].spans["people"] = [Span(docs[0], 3, 4, "PER")]
    table = summarize_span_sources(docs, gold="gold")  # the gold conll_to_docs stored
    assert table.index.tolist() == ["people"]
    assert table.loc["people", ["tp", "fp", "fn"]].tolist() == [1, 0, 1]
    with pytest.raises(ParameterError, match=r"\[E550\].*doc 0 has no span group 'gold'"):
        summarize_span_sources([NLP("no gold here")], gold="gold")


@pytest.mark.realdata
def test_spans_summary_matches_seqeval_on_bc5cdr(shared_data: Path) -> None:
    metrics = pytest.importorskip("seqeval.metrics.sequence_labeling")
    folder = shared_data / "wrench" / "seq_tagging" / "bc5cdr"
    meta = json.loads((folder / "meta.json").read_text())
    with gzip.open(folder / "test.json.gz", "rt") as handle:
        rows = list(json.load(handle).values())[:200]  # seqeval is slow
    names = meta["lf_rec"]
    index = [meta["lf"].index(n) for n in names]
    weak = [[[tags[k] for k in index] for tags in r["weak_labels"]] for r in rows]
    tm = TokenMatrix.from_tags(weak, names, meta["entity_types"])
    gold = [r["label"] for r in rows]
    table = summarize_span_sources(tm, gold=gold)
    for name in names:
        predicted = tm.source_tags(name)
        row = table.loc[name]
        if row["n_spans"] == 0:
            continue
        p, r, f, _ = metrics.precision_recall_fscore_support(gold, predicted, average="micro")
        assert (row["precision"], row["recall"], row["f1"]) == pytest.approx((p, r, f))
    assert np.all(table["coverage"] <= 1) and table.loc["tag-DictCore-Chemical", "f1"] > 0.4
    docs = [Doc(NLP.vocab, words=r["data"]["text"]) for r in rows]
    tm.to_docs(docs)
    for doc, tags in zip(docs, gold, strict=True):
        doc.spans["gold"] = [Span(doc, s, e, lab) for s, e, lab in bio_to_spans(tags)]
    from_docs = summarize_span_sources(docs, gold="gold")
    assert from_docs["f1"].tolist() == pytest.approx(table["f1"].tolist())


def test_spans_summary_takes_label_names_like_apply() -> None:
    tm = TokenMatrix.from_spans(
        [[[(0, 1, "PER")], [(0, 1, "PER"), (1, 2, "ORG")]]], [2], ["a", "b"], ["ORG", "PER"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # leaving ORG out is asked for: no W005 warning
        old = summarize_span_sources(tm, entity_types=["PER"])
        new = summarize_span_sources(tm, label_names=["PER"])
    assert new.equals(old)
    assert new.loc["b", "coverage"] == pytest.approx(0.5)
