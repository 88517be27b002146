"""spaCy DocBin export: span groups with scores, doc.cats, provenance, token boundaries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weaklabel.errors import ExportError
from weaklabel.export import frame_to_docs, labels_frame, read_docbin, write_docbin

spacy = pytest.importorskip("spacy")


@pytest.fixture
def frame() -> pd.DataFrame:
    return labels_frame(
        ["Visit New York now", "Paris-based band  rocks"],
        label_names=["HAM", "SPAM"],
        labels=["SPAM", "HAM"],
        proba=np.array([[0.2, 0.8], [0.7, 0.3]]),
        spans=[[(6, 14, "LOC", 0.9)], [(0, 5, "LOC"), (5, 17, "ODD", 0.1)]],
        provenance={"id": ["a", "b"]},
    )


def test_docbin_docs_hold_spans_scores_cats_and_provenance(frame: pd.DataFrame) -> None:
    first, second = frame_to_docs(frame)
    assert [(s.text, s.label_) for s in first.spans["sc"]] == [("New York", "LOC")]
    assert first.spans["sc"].attrs["scores"] == [0.9]
    assert first.cats == {"HAM": 0.2, "SPAM": 0.8}
    assert first.user_data["weaklabel"]["values"] == {"id": "a"}
    assert first.user_data["weaklabel"]["label"] == "SPAM"
    # "Paris" is cut out of "Paris-based"; a span ending inside the double space gets a
    # whitespace token, so the text and every offset stay exact
    assert second.text == "Paris-based band  rocks"
    assert [(s.start_char, s.end_char) for s in second.spans["sc"]] == [(0, 5), (5, 17)]
    assert second.spans["sc"].attrs["scores"] == [None, 0.1]


def test_docbin_file_reads_with_plain_spacy_and_back(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = write_docbin(frame, tmp_path / "train.spacy", span_key="ents_weak")
    docs = list(spacy.tokens.DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    assert [d.text for d in docs] == frame["text"].tolist()
    assert docs[0].spans["ents_weak"].attrs["scores"] == [0.9]
    back = read_docbin(path)
    assert list(back.columns) == list(frame.columns)
    assert back["spans"].tolist() == frame["spans"].tolist()
    assert back["p_SPAM"].tolist() == [0.8, 0.3]
    with pytest.raises(FileExistsError, match=r"\[E867\]"):
        write_docbin(frame, path)


def test_docbin_one_hot_cats_without_probabilities(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": ["a", "b"], "label": ["X", "Y"]})
    docs = frame_to_docs(frame)
    assert docs[0].cats == {"X": 1.0, "Y": 0.0}
    back = read_docbin(write_docbin(frame, tmp_path / "x.spacy"))
    assert list(back.columns) == ["text", "label"] and back["label"].tolist() == ["X", "Y"]


def test_docbin_a_given_tokenizer_refuses_misaligned_spans(frame: pd.DataFrame) -> None:
    nlp = spacy.blank("en")
    with pytest.raises(
        ExportError, match=r"\[E861\] write_docbin: row 1: span \(5, 17, 'ODD', 0.1\)"
    ):
        frame_to_docs(frame, nlp=nlp)
    docs = frame_to_docs(frame.iloc[:1], nlp=nlp)
    assert [t.text for t in docs[0]] == ["Visit", "New", "York", "now"]


def test_docbin_reads_files_written_elsewhere(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Berlin is big")
    doc.spans["sc"] = [doc.char_span(0, 6, label="LOC")]
    doc.cats = {"A": 0.25, "B": 0.75}
    spacy.tokens.DocBin(docs=[doc]).to_disk(tmp_path / "other.spacy")
    back = read_docbin(tmp_path / "other.spacy")
    assert back.to_dict("list") == {
        "text": ["Berlin is big"], "p_A": [0.25], "p_B": [0.75], "spans": [[(0, 6, "LOC")]]
    }  # fmt: skip
    (tmp_path / "junk.spacy").write_bytes(b"not a docbin")
    with pytest.raises(ExportError, match=r"\[E865\]"):
        read_docbin(tmp_path / "junk.spacy")


def test_docbin_refuses_values_user_data_cannot_hold(frame: pd.DataFrame) -> None:
    frame["when"] = pd.Series([object(), None], dtype=object)
    with pytest.raises(ExportError, match=r"\[E851\] write_docbin: row 0: when must be a string"):
        frame_to_docs(frame)
