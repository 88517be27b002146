"""The span consistency filter: re-apply span sources and a sequence model to new examples."""

from __future__ import annotations

import pytest

from weaklabel.augment._errors import AugmentError
from weaklabel.augment.entities import MentionReplacement, SpanExample
from weaklabel.augment.entities.filters import SpanConsistencyFilter
from weaklabel.augment.pipeline import AugmentationPipeline

spacy = pytest.importorskip("spacy")

from weaklabel.appliers.spans import apply_spans  # noqa: E402
from weaklabel.models.sequence import TokenMajorityVote  # noqa: E402
from weaklabel.sources.gazetteer import Gazetteer, gazetteer_source  # noqa: E402

DRUGS = Gazetteer.from_records(
    [("aspirin", "Chemical"), ("ibuprofen", "Chemical"), ("naproxen", "Chemical")]
)


@pytest.fixture(scope="module")
def fitted() -> tuple[list[object], TokenMajorityVote]:
    nlp = spacy.blank("en")
    sources = [gazetteer_source(DRUGS, name="drugs")]
    docs = [nlp("took aspirin today"), nlp("ibuprofen helped"), nlp("no drugs here")]
    model = TokenMajorityVote().fit(apply_spans(sources, docs, progress=False))
    return sources, model


def test_span_filters_keep_examples_whose_entities_sources_still_find(
    fitted: tuple[list[object], TokenMajorityVote],
) -> None:
    sources, model = fitted
    f = SpanConsistencyFilter(sources, model)
    ok = SpanExample.from_text("took naproxen today", [(5, 13, "Chemical")])
    unknown = SpanExample.from_text("took tylenol today", [(5, 12, "Chemical")])
    extra = SpanExample.from_text("took aspirin and ibuprofen", [(5, 12, "Chemical")])
    assert f.keep([ok, unknown, extra]).tolist() == [True, False, False]
    assert SpanConsistencyFilter(sources, model, match="recall").keep(
        [ok, unknown, extra]
    ).tolist() == [True, False, True]
    assert [ex.spans for ex in f.predict([extra])] == [((1, 2, "Chemical"), (3, 4, "Chemical"))]


def test_span_filters_drop_mention_replacements_outside_the_gazetteer(
    fitted: tuple[list[object], TokenMajorityVote],
) -> None:
    sources, model = fitted
    train = [SpanExample.from_text("took aspirin today", [(5, 12, "Chemical")], id="a")]
    aug = MentionReplacement({"Chemical": ["aspirin", "ibuprofen", "tylenol", "warfarin"]}, p=1.0)
    pipe = AugmentationPipeline(
        aug,
        n_per_original=3,
        keep_original=False,
        filters=[SpanConsistencyFilter(sources, model)],
        progress=False,
    )
    out = pipe.run(train)
    assert out["text"].tolist() == ["took ibuprofen today"]
    unfiltered = AugmentationPipeline(
        aug, n_per_original=3, keep_original=False, progress=False
    ).run(train)
    assert len(unfiltered) == 3


def test_span_filters_refuse_an_unfitted_model() -> None:
    with pytest.raises(AugmentError, match=r"^\[E060\].*fitted sequence label model"):
        SpanConsistencyFilter([], TokenMajorityVote())
    sources = [gazetteer_source(DRUGS, name="drugs")]
    with pytest.raises(AugmentError, match=r"^\[E060\].*match"):
        SpanConsistencyFilter(
            sources,
            object.__new__(type("M", (), {"predict": print, "tags_": ("O",)})),
            match="loose",
        )
