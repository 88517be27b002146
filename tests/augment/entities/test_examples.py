"""SpanExample: tokens are checked when an example is built, with the position named."""

from __future__ import annotations

import pandas as pd
import pytest

from weaklabel.augment import AugmentationPipeline, MentionReplacement, SpanExample
from weaklabel.augment._errors import AugmentError


@pytest.mark.parametrize(
    ("tokens", "position", "what"),
    [
        (["Aspirin", "", "ulcers"], 1, "empty"),
        (["", "causes"], 0, "empty"),
        (["Aspirin", "causes", "\t"], 2, "only whitespace"),
        (["Aspirin", " ", "ulcers"], 1, "only whitespace"),
    ],
)
def test_span_example_refuses_an_empty_token_naming_its_position(
    tokens: list[str], position: int, what: str
) -> None:
    tags = ["B-Chemical"] + ["O"] * (len(tokens) - 1)
    with pytest.raises(AugmentError, match=rf"\[E775\] Token {position} of span example 'r7'"):
        SpanExample.from_bio(tokens, tags, id="r7")
    with pytest.raises(
        AugmentError, match=rf"\[E775\] Token {position} of span example \(no id\) is {what}"
    ):
        SpanExample(tuple(tokens))


def test_span_example_error_reaches_the_pipeline_with_the_row() -> None:
    frame = pd.DataFrame(
        {
            "id": ["s1", "s2"],
            "tokens": [["took", "aspirin"], ["took", "", "ibuprofen"]],
            "tags": [["O", "B-Chemical"], ["O", "O", "B-Chemical"]],
        }
    )
    mentions = MentionReplacement({"Chemical": ["paracetamol", "naproxen"]})
    pipeline = AugmentationPipeline(mentions, progress=False)
    with pytest.raises(AugmentError, match=r"\[E775\] Token 1 of span example 's2' is empty"):
        pipeline.run(frame)


def test_span_example_tokens_with_inner_characters_are_kept() -> None:
    ex = SpanExample.from_bio(["New\u00a0York", "is", "big"], ["B-LOC", "O", "O"])
    assert ex.text == "New\u00a0York is big" and ex.char_spans() == [(0, 8, "LOC")]
