"""CoNLL-2003-style files: read, write (byte-for-byte round trip), to and from spaCy docs."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from weaklabel.datasets.conll import (
    ConllDocument,
    ConllSentence,
    format_conll,
    parse_conll,
    read_conll,
    write_conll,
)
from weaklabel.errors import DatasetError, ParameterError

# The layout of CoNLL-2003's eng.train (token POS chunk NER, IOB1 tags), two documents.
CONLL_2003 = """\
-DOCSTART- -X- -X- O

EU NNP I-NP I-ORG
rejects VBZ I-VP O
German JJ I-NP I-MISC
call NN I-NP O
to TO I-VP O
boycott VB I-VP O
British JJ I-NP I-MISC
lamb NN I-NP O
. . O O

Peter NNP I-NP I-PER
Blackburn NNP I-NP I-PER

-DOCSTART- -X- -X- O

In IN I-PP O
Bonn NNP I-NP I-LOC
Paris NNP I-NP B-LOC
. . O O

"""


def test_conll_read_and_write_round_trip_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "eng.train"
    path.write_text(CONLL_2003, encoding="utf-8")
    docs = read_conll(path)
    assert len(docs) == 2
    assert docs[0].docstart == "-DOCSTART- -X- -X- O"
    assert [len(s.tokens) for s in docs[0].sentences] == [9, 2]
    first = docs[0].sentences[0]
    assert first.tokens[:3] == ["EU", "rejects", "German"]
    assert first.columns[0][:2] == ["NNP", "VBZ"]  # POS
    assert first.tags[:3] == ["I-ORG", "O", "I-MISC"]
    assert docs[1].tokens == ["In", "Bonn", "Paris", "."]
    out = write_conll(tmp_path / "copy.txt", docs)
    assert out.read_bytes() == path.read_bytes()
    gz = tmp_path / "eng.train.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as handle:
        handle.write(CONLL_2003)
    assert format_conll(read_conll(gz)) == CONLL_2003


def test_conll_two_columns_without_docstart(tmp_path: Path) -> None:
    text = "John B-PER\nlives O\n\nin O\nParis B-LOC\n\n"
    docs = parse_conll(text)
    assert len(docs) == 1 and docs[0].docstart is None
    assert docs[0].tags == ["B-PER", "O", "O", "B-LOC"]
    assert format_conll(docs) == text
    assert format_conll(docs, docstart=True).startswith("-DOCSTART- O\n\nJohn B-PER\n")
    tabbed = parse_conll("New York\tB-LOC\n", sep="\t")
    assert tabbed[0].tokens == ["New York"]


def test_conll_errors_name_the_line_and_token(tmp_path: Path) -> None:
    with pytest.raises(
        DatasetError,
        match=r"\[E521\] Line 3 of <text>: 3 columns where the file "
        r"has 2",
    ):
        parse_conll("a O\nb O\nc d O\n")
    with pytest.raises(DatasetError, match=r"\[E542\]"):
        read_conll(tmp_path / "missing.conll")
    bad = [ConllDocument([ConllSentence(["New York"], [["B-LOC"]])])]
    with pytest.raises(ParameterError, match=r"\[E541\] Token 'New York' \(token 0 of doc 0\)"):
        format_conll(bad)


spacy = pytest.importorskip("spacy")

from weaklabel.datasets.conll import conll_to_docs, docs_to_conll, gold_spans  # noqa: E402


def test_conll_to_docs_decodes_iob1_into_gold_spans() -> None:
    docs = conll_to_docs(parse_conll(CONLL_2003))
    assert len(docs) == 2
    assert [(e.text, e.label_) for e in docs[0].ents] == [
        ("EU", "ORG"),
        ("German", "MISC"),
        ("British", "MISC"),
        ("Peter Blackburn", "PER"),
    ]
    assert [(docs[1][a:b].text, label) for a, b, label in gold_spans(docs)[1]] == [
        ("Bonn", "LOC"),
        ("Paris", "LOC"),  # B- after I- of the same type: a new entity
    ]
    assert not docs[0].spans  # gold never sits where span sources live
    assert [s.text for s in docs[0].sents] == [
        "EU rejects German call to boycott British lamb .",
        "Peter Blackburn",
    ]
    sentences = conll_to_docs(parse_conll(CONLL_2003), unit="sentence", span_key="gold")
    assert len(sentences) == 3 and sentences[0].spans["gold"].attrs["avoid_in_aggregation"]
    with pytest.raises(ParameterError, match=r"unit must be"):
        conll_to_docs(parse_conll(CONLL_2003), unit="page")  # type: ignore[arg-type]


def test_conll_docs_round_trip_through_a_file(tmp_path: Path) -> None:
    docs = conll_to_docs(parse_conll(CONLL_2003))
    docs[0].spans["weak"] = [docs[0].char_span(0, 2, "ORG")]
    docs[1].spans["weak"] = []
    path = write_conll(tmp_path / "out.conll", docs, span_key=["gold", "weak"])
    text = path.read_text()
    assert text.startswith("-DOCSTART- -X- O\n\nEU B-ORG B-ORG\nrejects O O\n")
    back = conll_to_docs(read_conll(path), column=0)
    assert [[(e.start, e.end, e.label_) for e in d.ents] for d in back] == [
        [(e.start, e.end, e.label_) for e in d.ents] for d in docs
    ]
    assert [[t.text for t in d] for d in back] == [[t.text for t in d] for d in docs]
    plain = docs_to_conll([spacy.blank("en")("Ada  Lovelace")])  # no sentences, ents
    assert plain[0].sentences[0].tokens == ["Ada", " ", "Lovelace"]
    with pytest.raises(ParameterError, match=r"\[E541\].*token 1 of doc 0"):
        format_conll(plain)
    with pytest.raises(ParameterError, match=r"\[E505\]"):
        docs_to_conll(docs, span_key="nope")


@pytest.mark.parametrize("scheme", ["iobes", "bilou"])
def test_conll_writes_iobes_and_bilou_and_reads_them_back(tmp_path: Path, scheme: str) -> None:
    docs = conll_to_docs(parse_conll(CONLL_2003))
    path = write_conll(tmp_path / "out.conll", docs, span_key="gold", scheme=scheme)
    tags = [t for d in read_conll(path) for s in d.sentences for t in s.tags]
    unit, last = ("S", "E") if scheme == "iobes" else ("U", "L")
    assert f"{unit}-ORG" in tags and f"{last}-PER" in tags  # EU; Peter Blackburn
    assert {t[0] for t in tags} <= {"O", "B", "I", unit, last}
    back = conll_to_docs(read_conll(path), column=0)
    assert [[(e.start, e.end, e.label_) for e in d.ents] for d in back] == [
        [(e.start, e.end, e.label_) for e in d.ents] for d in docs
    ]
