"""Entity-aware augmentation: span bookkeeping, each augmenter, and every bc5cdr sentence."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.augment.conftest import needs_wordnet
from weaklabel.augment import Noise, Synonym
from weaklabel.augment._errors import AugmentError
from weaklabel.augment.combine import EntitySafe, OneOf, Sequential
from weaklabel.augment.entities import (
    LabelwiseTokenReplacement,
    MentionReplacement,
    SpanExample,
    SynonymOutsideEntities,
    as_span_examples,
)
from weaklabel.datasets.wrench_seq import load_wrench_seq
from weaklabel.sources.gazetteer import Gazetteer

TRAIN = [
    SpanExample.from_bio(
        ["Aspirin", "can", "cause", "stomach", "ulcers", "."],
        ["B-Chemical", "O", "O", "B-Disease", "I-Disease", "O"],
    ),
    SpanExample.from_bio(
        ["Patients", "given", "ibuprofen", "reported", "severe", "headache", "."],
        ["O", "O", "B-Chemical", "O", "O", "B-Disease", "O"],
    ),
    SpanExample.from_bio(
        ["Naproxen", "and", "valproic", "acid", "were", "compared", "."],
        ["B-Chemical", "O", "B-Chemical", "I-Chemical", "O", "O", "O"],
    ),
]


def joined(example: SpanExample, start: int, end: int) -> str:
    """Tokens ``start:end`` with the spaces between them."""
    spaces = example.spaces or ()
    parts = [
        t + (" " if spaces[i] else "") for i, t in enumerate(example.tokens) if start <= i < end
    ]
    return "".join(parts)[: -1 if spaces[end - 1] else None]


def check_consistent(original: SpanExample, variant: SpanExample) -> None:
    """The invariants every entity-aware output must keep."""
    assert [lab for *_, lab in variant.spans] == [lab for *_, lab in original.spans]
    assert len(variant.spaces or ()) == len(variant.tokens)
    text = variant.text
    for (s, e, _), (cs, ce, _) in zip(variant.spans, variant.char_spans(), strict=True):
        assert text[cs:ce] == joined(variant, s, e)
    assert variant.text != original.text
    assert SpanExample.from_bio(variant.tokens, variant.tags).spans == variant.spans
    assert all(t and not any(c.isspace() for c in t) for t in variant.tokens)


# -- SpanExample ----------------------------------------------------------------------------
def test_entities_span_example_from_bio_reads_spans_and_text() -> None:
    ex = TRAIN[0]
    assert ex.spans == ((0, 1, "Chemical"), (3, 5, "Disease"))
    assert ex.text == "Aspirin can cause stomach ulcers ."
    assert ex.char_spans() == [(0, 7, "Chemical"), (18, 32, "Disease")]
    assert ex.tags == ["B-Chemical", "O", "O", "B-Disease", "I-Disease", "O"]


def test_entities_from_bio_starts_an_entity_at_a_stray_inside_tag() -> None:
    ex = SpanExample.from_bio(["a", "b", "c"], ["I-X", "I-X", "B-Y"])
    assert ex.spans == ((0, 2, "X"), (2, 3, "Y"))


def test_entities_from_text_splits_tokens_at_span_edges() -> None:
    ex = SpanExample.from_text("took aspirin, then slept", [(5, 12, "Chemical")])
    assert ex.tokens == ("took", "aspirin", ",", "then", "slept")
    assert ex.text == "took aspirin, then slept"
    assert ex.char_spans() == [(5, 12, "Chemical")]


@pytest.mark.parametrize(
    ("tokens", "spans"),
    [
        (("a", "b"), ((1, 3, "X"),)),
        (("a", "b"), ((0, 2, "X"), (1, 2, "Y"))),
        (("a",), ((1, 1, "X"),)),
    ],
)
def test_entities_invalid_spans_are_refused(tokens: tuple[str, ...], spans: Any) -> None:
    with pytest.raises(AugmentError, match=r"^\[E760\]"):
        SpanExample(tokens, spans)


def test_entities_bio_length_mismatch_names_the_problem() -> None:
    with pytest.raises(AugmentError, match=r"^\[E762\].*2 tags for 3 tokens"):
        SpanExample.from_bio(["a", "b", "c"], ["O", "O"])


def test_entities_replace_moves_spans_around_longer_and_shorter_edits() -> None:
    ex = TRAIN[2]  # Naproxen and valproic acid were compared .
    new = ex.replace([(0, 1, ("sodium", "naproxen")), (2, 4, ("lithium",)), (5, 6, ("studied",))])
    assert new.tokens == ("sodium", "naproxen", "and", "lithium", "were", "studied", ".")
    assert new.spans == ((0, 2, "Chemical"), (3, 4, "Chemical"))
    assert new.char_spans() == [(0, 15, "Chemical"), (20, 27, "Chemical")]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_entities_replace_property_spans_follow_their_tokens(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 12))
    tokens = tuple(
        data.draw(st.lists(st.sampled_from("ab cd efg h ij".split()), min_size=n, max_size=n))
    )
    cuts = sorted(set(data.draw(st.lists(st.integers(0, n), max_size=6))) | {0, n})
    spans: list[tuple[int, int, str]] = []
    edits: list[tuple[int, int, tuple[str, ...]]] = []
    for a, b in itertools.pairwise(cuts):
        choice = data.draw(st.sampled_from(["span", "edit", "span+edit", "none"]))
        new = tuple(data.draw(st.lists(st.sampled_from(["X", "YY", "z"]), min_size=1, max_size=3)))
        if "span" in choice:
            spans.append((a, b, "E"))
        if "edit" in choice:
            edits.append((a, b, new))
    ex = SpanExample(tokens, tuple(spans))
    out = ex.replace(edits)
    edited = {(a, b): new for a, b, new in edits}
    assert len(out.spans) == len(spans)
    for (a, b, _), (s, e, _) in zip(spans, out.spans, strict=True):
        assert out.tokens[s:e] == edited.get((a, b), tokens[a:b])
    for (s, e, _), (cs, ce, _) in zip(out.spans, out.char_spans(), strict=True):
        assert out.text[cs:ce] == joined(out, s, e)


def test_entities_examples_are_read_from_frames_records_and_docs() -> None:
    spacy = pytest.importorskip("spacy")
    frame = pd.DataFrame({"tokens": [list(TRAIN[0].tokens)], "tags": [TRAIN[0].tags]})
    assert as_span_examples(frame)[0].spans == TRAIN[0].spans
    records = [{"text": "took aspirin today", "spans": [(5, 12, "Chemical")], "id": "r1"}]
    read = as_span_examples(records)[0]
    assert (read.id, read.spans) == ("r1", ((1, 2, "Chemical"),))
    doc = TRAIN[0].to_doc(spacy.blank("en").vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Aspirin", "Chemical"),
        ("stomach ulcers", "Disease"),
    ]
    assert SpanExample.from_doc(doc).spans == TRAIN[0].spans
    with pytest.raises(AugmentError, match=r"^\[E765\]"):
        as_span_examples(pd.DataFrame({"sentence": ["x"]}))


# -- the augmenters -------------------------------------------------------------------------
def test_entities_mention_replacement_uses_same_type_mentions() -> None:
    aug = MentionReplacement.from_examples(TRAIN, p=1.0)
    chemicals = {("Aspirin",), ("ibuprofen",), ("Naproxen",), ("valproic", "acid")}
    for variants, original in zip(aug.augment_spans(TRAIN, n=3, seed=1), TRAIN, strict=True):
        assert variants
        for v in variants:
            check_consistent(original, v)
            for tokens, label in v.mentions():
                if label == "Chemical":
                    assert tokens in chemicals


def test_entities_mention_replacement_reads_a_gazetteer() -> None:
    gz = Gazetteer.from_records([("New York", "GPE", ["NYC"]), ("Paris", "GPE"), ("Ada", "PER")])
    aug = MentionReplacement(gz, p=1.0)
    ex = SpanExample.from_text("I flew to Paris today", [(10, 15, "GPE")])
    texts = {v.text for v in aug.augment_spans([ex], n=3)[0]}
    assert texts == {"I flew to New York today", "I flew to NYC today"}


def test_entities_mention_replacement_needs_mentions() -> None:
    with pytest.raises(AugmentError, match=r"^\[E763\].*from_examples"):
        MentionReplacement({"GPE": ["Paris"]})


def test_entities_labelwise_token_replacement_keeps_token_counts() -> None:
    aug = LabelwiseTokenReplacement.from_examples(TRAIN, p=0.8)
    seen_o = {t for ex in TRAIN for t, tag in zip(ex.tokens, ex.tags, strict=True) if tag == "O"}
    for original, variants in zip(TRAIN, aug.augment_spans(TRAIN, n=2, seed=3), strict=True):
        for v in variants:
            check_consistent(original, v)
            assert len(v.tokens) == len(original.tokens) and v.spans == original.spans
            assert all(t in seen_o for t, tag in zip(v.tokens, v.tags, strict=True) if tag == "O")


def test_entities_labelwise_token_replacement_must_be_fitted() -> None:
    with pytest.raises(AugmentError, match=r"^\[E764\].*fit"):
        LabelwiseTokenReplacement().augment_spans(TRAIN)


def test_entities_same_seed_same_output_and_plain_text_contract() -> None:
    aug = LabelwiseTokenReplacement.from_examples(TRAIN, tags=["O"], p=0.5)
    assert aug.augment_spans(TRAIN, n=2, seed=7) == aug.augment_spans(TRAIN, n=2, seed=7)
    out = aug.augment(["Patients reported headache .", "", None], n=2, seed=0)  # type: ignore[list-item]
    assert out[1] == [] and out[2] == []
    assert out[0] and all(v != "Patients reported headache ." for v in out[0])


def test_entities_augment_examples_and_docs_carry_provenance() -> None:
    spacy = pytest.importorskip("spacy")
    aug = MentionReplacement.from_examples(TRAIN, p=1.0)
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "tokens": [list(t.tokens) for t in TRAIN[:2]],
            "tags": [t.tags for t in TRAIN[:2]],
            "source": ["x", "y"],
        }
    )
    out = aug.augment_examples(frame, n=2, seed=0)
    assert set(out["original_id"]) == {"a", "b"} and set(out["source"]) == {"x", "y"}
    for row in out.itertuples():
        for start, end, _ in row.spans:
            assert row.text[start:end]
        assert SpanExample.from_bio(row.tokens, row.tags).char_spans() == row.spans
    docs = [t.to_doc(spacy.blank("en").vocab) for t in TRAIN]
    new_docs = aug.augment_docs(docs, n=1)
    assert [d.user_data["original_id"] for group in new_docs for d in group] == [0, 1, 2]
    assert all(
        len(d.ents) == len(doc.ents)
        for doc, group in zip(docs, new_docs, strict=True)
        for d in group
    )


@needs_wordnet
def test_entities_synonyms_never_touch_entities(wn: Any) -> None:
    ex = SpanExample.from_bio(
        [
            "The",
            "patients",
            "received",
            "large",
            "doses",
            "of",
            "aspirin",
            "and",
            "improved",
            "quickly",
            ".",
        ],
        ["O", "O", "O", "O", "O", "O", "B-Chemical", "O", "O", "O", "O"],
    )
    aug = SynonymOutsideEntities(Synonym(p=1.0, max_per_sentence=10))
    variants = aug.augment_spans([ex], n=3, seed=0)[0]
    assert variants
    for v in variants:
        check_consistent(ex, v)
        assert v.tokens[6] == "aspirin" and len(v.tokens) == len(ex.tokens)


def test_entities_entity_safe_noise_keeps_entities_byte_identical() -> None:
    ex = SpanExample.from_text(
        "Aspirin can cause stomach ulcers in adults.", [(0, 7, "Chemical"), (18, 32, "Disease")]
    )
    aug = EntitySafe(Noise(p=0.5, max_edits=4))
    for v in aug.augment_spans([ex], n=3, seed=2)[0]:
        assert [v.text[s:e] for s, e, _ in v.char_spans()] == ["Aspirin", "stomach ulcers"]


# -- every bc5cdr sentence --------------------------------------------------------------------
@pytest.fixture(scope="module")
def bc5cdr(shared_data: Path) -> list[SpanExample]:
    folder = shared_data / "wrench" / "seq_tagging" / "bc5cdr"
    examples: list[SpanExample] = []
    for split in ("train", "valid", "test"):
        data = load_wrench_seq(folder, split=split)
        examples += [
            SpanExample.from_bio(tokens, tags, id=f"{split}-{i}")
            for i, (tokens, tags) in enumerate(zip(data.tokens, data.tags, strict=True))
        ]
    return examples


def _check_all(originals: list[SpanExample], outputs: list[list[SpanExample]]) -> int:
    count = 0
    for original, variants in zip(originals, outputs, strict=True):
        for v in variants:
            assert v.id == original.id
            assert [lab for *_, lab in v.spans] == [lab for *_, lab in original.spans]
            for (s, e, _), (cs, ce, _) in zip(v.spans, v.char_spans(), strict=True):
                assert v.text[cs:ce] == joined(v, s, e)
            assert SpanExample.from_bio(v.tokens, v.tags).spans == v.spans
            assert v.text != original.text
            count += 1
    return count


@pytest.mark.realdata
def test_entities_every_bc5cdr_sentence_keeps_its_entities(bc5cdr: list[SpanExample]) -> None:
    train = [ex for ex in bc5cdr if str(ex.id).startswith("train")]
    mentions = MentionReplacement.from_examples(train, p=0.5)
    labelwise = LabelwiseTokenReplacement.from_examples(train, p=0.3)
    noise = EntitySafe(Noise(p=0.1))
    total = 0
    for aug in (mentions, labelwise, noise, OneOf([mentions, labelwise])):
        outputs = aug.augment_spans(bc5cdr, n=2, seed=0)
        total += _check_all(bc5cdr, outputs)
        assert sum(map(len, outputs)) >= 0.95 * 2 * len(bc5cdr)
    # entities untouched by label-wise replacement restricted to O tokens, and by noise
    for aug in (LabelwiseTokenReplacement.from_examples(train, p=0.3, tags=["O"]), noise):
        for original, variants in zip(bc5cdr, aug.augment_spans(bc5cdr, n=1, seed=1), strict=True):
            for v in variants:
                gold = [(" ".join(t), lab) for t, lab in original.mentions()]
                assert [(v.text[s:e], lab) for s, e, lab in v.char_spans()] == gold
    assert total > 10_000


@pytest.mark.realdata
@needs_wordnet
def test_entities_every_bc5cdr_sentence_synonyms_leave_entities_intact(
    bc5cdr: list[SpanExample], wn: Any
) -> None:
    train = [ex for ex in bc5cdr if str(ex.id).startswith("train")]
    synonyms = SynonymOutsideEntities(Synonym())
    flow = Sequential([synonyms, MentionReplacement.from_examples(train, p=0.3)])
    outputs = synonyms.augment_spans(bc5cdr, n=2, seed=0)
    assert _check_all(bc5cdr, outputs) >= 0.9 * 2 * len(bc5cdr)
    for original, variants in zip(bc5cdr, outputs, strict=True):
        gold = [(" ".join(t), lab) for t, lab in original.mentions()]
        for v in variants:
            assert [(v.text[s:e], lab) for s, e, lab in v.char_spans()] == gold
            assert len(v.tokens) == len(original.tokens)
    _check_all(bc5cdr, flow.augment_spans(bc5cdr, n=1, seed=0))


@needs_wordnet
def test_entities_synonym_slots_are_kept_for_the_current_batch_only(wn: Any) -> None:
    aug = SynonymOutsideEntities(Synonym(p=1.0))
    first = [SpanExample.from_text("The patients received large doses", [(4, 12, "X")])]
    second = [SpanExample.from_text("Doctors quickly improved the treatment", [])]
    aug.augment_spans(first, seed=0)
    aug.augment_spans(second, seed=0)
    assert set(aug._slots) == {(second[0].text, second[0].spans)}
