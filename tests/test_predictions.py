"""write_spans: a sequence model's predicted tags back onto spaCy docs, with probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from weaklabel.errors import ParameterError
from weaklabel.predictions import write_spans
from weaklabel.tags import tag_names_for

spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc  # noqa: E402

NLP = spacy.blank("en")


def _doc(text: str) -> Doc:
    return NLP.make_doc(text)


def test_predictions_write_spans_stores_probabilities_and_ents() -> None:
    doc = _doc("Ada Lovelace lived in London")
    names = tag_names_for(["PER", "LOC"])
    probs = np.zeros((5, 5))
    probs[:, 0] = 1.0
    probs[0] = [0.1, 0.8, 0.1, 0.0, 0.0]
    probs[1] = [0.2, 0.0, 0.6, 0.0, 0.2]
    probs[4] = [0.3, 0.0, 0.0, 0.7, 0.0]
    tags = ["B-PER", "I-PER", "O", "O", "B-LOC"]
    write_spans([doc], [tags], name="pred", probabilities=[probs], tag_names=names, set_ents=True)
    group = doc.spans["pred"]
    assert [(s.text, s.label_) for s in group] == [("Ada Lovelace", "PER"), ("London", "LOC")]
    assert group.attrs["probabilities"] == pytest.approx([(0.9 + 0.6) / 2, 0.7])
    assert group.attrs["aggregated"] is True
    assert group.attrs["probs"][0] == {"B-PER": 0.8, "I-PER": 0.1}
    assert [e.text for e in doc.ents] == ["Ada Lovelace", "London"]
    # tag ids with tag names; no probabilities -> 1.0 each
    write_spans([doc], [np.array([0, 0, 0, 0, 3])], name="ids", tag_names=names)
    assert [(s.text, s.label_) for s in doc.spans["ids"]] == [("London", "LOC")]
    assert doc.spans["ids"].attrs["probabilities"] == [1.0]


def test_predictions_write_spans_errors_name_the_doc() -> None:
    docs = [_doc("a b"), _doc("c")]
    with pytest.raises(ParameterError, match=r"\[E515\]"):
        write_spans(docs, [["O", "O"]], name="p")
    with pytest.raises(ParameterError, match=r"\[E511\] Doc 1 has 1 tokens but 2"):
        write_spans(docs, [["O", "O"], ["O", "O"]], name="p")
    with pytest.raises(ParameterError, match=r"\[E519\]"):
        write_spans(docs, [np.array([0, 0]), np.array([0])], name="p")
    with pytest.raises(ParameterError, match=r"\[E516\].*doc 0"):
        write_spans(
            docs,
            [["O", "O"], ["O"]],
            name="p",
            probabilities=[np.zeros((2, 2)), np.zeros((1, 3))],
            tag_names=("O", "B-X", "I-X"),
        )
    with pytest.raises(ParameterError, match=r"\[E510\] Unknown tag 'PER' at token 0 of doc 1"):
        write_spans(docs, [["O", "O"], ["PER"]], name="p")


def test_predictions_skweak_reads_weaklabel_predictions() -> None:
    skweak_utils = pytest.importorskip("skweak.utils")
    doc = _doc("Ada Lovelace lived in London")
    names = tag_names_for(["PER", "LOC"])
    probs = np.full((5, 5), 0.0)
    probs[:, 0] = 1.0
    probs[0], probs[1], probs[4] = [0.1, 0.8, 0.1, 0, 0], [0.2, 0, 0.6, 0, 0.2], [0.3, 0, 0, 0.7, 0]
    write_spans(
        [doc],
        [["B-PER", "I-PER", "O", "O", "B-LOC"]],
        name="pred",
        probabilities=[probs],
        tag_names=names,
    )
    read = skweak_utils.get_spans_with_probs(doc, "pred")
    ours = doc.spans["pred"].attrs["probabilities"]
    assert [p for _, p in read] == pytest.approx(ours)


def test_predictions_old_import_path_still_works() -> None:
    import weaklabel
    import weaklabel.tokens

    assert weaklabel.tokens.write_spans is write_spans
    assert weaklabel.write_spans is write_spans
