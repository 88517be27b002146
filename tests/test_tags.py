"""weaklabel.tags: tag names, reading and writing BIO/IOBES/BILOU, TagSpace, entity F1."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weaklabel.errors import LabelSpaceError, ParameterError
from weaklabel.tags import (
    SpanTuple,
    TagSpace,
    bio_to_spans,
    entity_f1,
    entity_spans,
    resolve_overlaps,
    sentence_starts,
    spans_to_bio,
    split_tag,
    tag_names_for,
)

SPACE = TagSpace(("O", "B-PER", "I-PER", "B-LOC", "I-LOC"))


# ------------------------------------------------------------------------ tag names
def test_tags_tag_names_follow_entity_type_order() -> None:
    assert tag_names_for(["PER", "LOC"]) == ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
    assert tag_names_for([]) == ("O",)
    assert TagSpace.from_types(["PER", "LOC"]).tags == tag_names_for(["PER", "LOC"])


@pytest.mark.parametrize("bad", [["PER", "PER"], ["O"], [""], "PER"])
def test_tags_bad_entity_types_raise_E512(bad: object) -> None:
    with pytest.raises(ParameterError, match=r"\[E512\]"):
        tag_names_for(bad)  # type: ignore[arg-type]


def test_tags_split_tag_knows_each_scheme() -> None:
    assert split_tag("B-WORK-OF-ART") == ("B", "WORK-OF-ART")
    assert split_tag("O") == ("O", "")
    assert split_tag("L-X", "bilou") == ("L", "X")
    for tag, scheme in [("L-X", "bio"), ("E-X", "bilou"), ("U-X", "iobes"), ("PER", "auto")]:
        with pytest.raises(ValueError):
            split_tag(tag, scheme)


# ---------------------------------------------------------------- reading tags
@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        # BIO
        (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
        (["B-X", "B-X", "I-X"], [(0, 1, "X"), (1, 3, "X")]),
        # IOB1 (CoNLL-2003's original scheme): I- opens a span, B- only between two
        (["I-PER", "I-PER", "B-PER", "O", "I-LOC"], [(0, 2, "PER"), (2, 3, "PER"), (4, 5, "LOC")]),
        # a stray I- after O opens a span
        (["O", "I-PER", "I-PER"], [(1, 3, "PER")]),
        # the type changes mid-span: a new span starts
        (["B-PER", "I-PER", "I-LOC", "I-LOC"], [(0, 2, "PER"), (2, 4, "LOC")]),
        (["B-PER", "B-LOC", "I-PER"], [(0, 1, "PER"), (1, 2, "LOC"), (2, 3, "PER")]),
        # IOBES
        (["B-PER", "I-PER", "E-PER", "S-LOC", "O"], [(0, 3, "PER"), (3, 4, "LOC")]),
        (["S-X", "B-Y", "E-Y", "S-Y"], [(0, 1, "X"), (1, 3, "Y"), (3, 4, "Y")]),
        # BILOU: L- closes the span it continues, U- is one token
        (["B-PER", "L-PER"], [(0, 2, "PER")]),
        (["B-PER", "I-PER", "L-PER", "U-PER"], [(0, 3, "PER"), (3, 4, "PER")]),
        (["U-PER", "L-PER"], [(0, 1, "PER"), (1, 2, "PER")]),
        # after a closed span, I- opens a new one; E-/L- continuing nothing is one token
        (["B-PER", "L-PER", "I-PER"], [(0, 2, "PER"), (2, 3, "PER")]),
        (["U-PER", "I-PER"], [(0, 1, "PER"), (1, 2, "PER")]),
        (["O", "E-PER", "L-LOC"], [(1, 2, "PER"), (2, 3, "LOC")]),
        (["B-PER", "E-LOC"], [(0, 1, "PER"), (1, 2, "LOC")]),
        ([], []),
    ],
)
def test_tags_bio_to_spans_reads_every_scheme(tags: list[str], spans: list[SpanTuple]) -> None:
    assert bio_to_spans(tags) == spans


def test_tags_bio_to_spans_scheme_restricts_prefixes() -> None:
    assert bio_to_spans(["B-X", "L-X"], scheme="bilou") == [(0, 2, "X")]
    assert bio_to_spans(["I-X", "B-X"], scheme="bio") == [(0, 1, "X"), (1, 2, "X")]
    with pytest.raises(ParameterError, match=r"\[E510\] Unknown tag 'L-X' at token 1"):
        bio_to_spans(["B-X", "L-X"], scheme="bio")
    with pytest.raises(ParameterError, match=r"\[E510\] Unknown tag 'PER' at token 1"):
        bio_to_spans(["O", "PER"])
    with pytest.raises(ParameterError, match=r"\[E060\] bio_to_spans: scheme must be one of"):
        bio_to_spans(["O"], scheme="iob2")


# ---------------------------------------------------------------- writing tags
def test_tags_spans_to_bio_writes_each_scheme() -> None:
    spans = [(0, 3, "PER"), (4, 5, "LOC")]
    assert spans_to_bio(spans, 5) == ["B-PER", "I-PER", "I-PER", "O", "B-LOC"]
    assert spans_to_bio(spans, 5, scheme="iobes") == ["B-PER", "I-PER", "E-PER", "O", "S-LOC"]
    assert spans_to_bio(spans, 5, scheme="bilou") == ["B-PER", "I-PER", "L-PER", "O", "U-LOC"]
    with pytest.raises(ParameterError, match=r"\[E060\] spans_to_bio: scheme"):
        spans_to_bio(spans, 5, scheme="auto")
    with pytest.raises(ParameterError, match=r"\[E500\]"):
        spans_to_bio([(3, 9, "X")], 5)


def test_tags_spans_to_bio_resolves_overlaps_longest_first() -> None:
    assert spans_to_bio([(1, 3, "PER"), (2, 3, "LOC")], 4) == ["O", "B-PER", "I-PER", "O"]
    assert resolve_overlaps([(0, 2, "A"), (1, 4, "B"), (4, 5, "C")]) == [
        (1, 4, "B"),
        (4, 5, "C"),
    ]
    # equal length: the earlier span wins; identical boundaries: the first listed
    assert resolve_overlaps([(1, 3, "B"), (0, 2, "A")]) == [(0, 2, "A")]
    assert resolve_overlaps([(0, 2, "B"), (0, 2, "A")]) == [(0, 2, "B")]


span_lists = st.lists(
    st.tuples(st.integers(0, 11), st.integers(1, 4), st.sampled_from(["A", "B", "C-D"])).map(
        lambda t: (t[0], min(t[0] + t[1], 12), t[2])
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(spans=span_lists, scheme=st.sampled_from(["bio", "iobes", "bilou"]))
def test_tags_round_trip_in_every_scheme(spans: list[SpanTuple], scheme: str) -> None:
    tags = spans_to_bio(spans, 12, scheme=scheme)
    assert len(tags) == 12
    assert bio_to_spans(tags) == resolve_overlaps(spans)
    assert bio_to_spans(tags, scheme=scheme) == resolve_overlaps(spans)
    assert spans_to_bio(bio_to_spans(tags), 12, scheme=scheme) == tags


# ---------------------------------------------------------------------- TagSpace
def test_tags_space_layout() -> None:
    assert SPACE.types == ("PER", "LOC") and SPACE.outside == 0
    np.testing.assert_array_equal(SPACE.type_of, [-1, 0, 0, 1, 1])
    allowed = SPACE.allowed_transitions()
    assert allowed[1, 2] and allowed[2, 2] and not allowed[0, 2] and not allowed[3, 2]
    assert not SPACE.allowed_starts()[2] and SPACE.allowed_starts()[1]
    odd = TagSpace(("B-X", "O", "I-X"))  # any order works
    assert odd.outside == 1 and odd.begin_id.tolist() == [0]
    assert SPACE.names(np.array([1, 2, 0]), np.array([2, 1])) == [["B-PER", "I-PER"], ["O"]]


@pytest.mark.parametrize(
    ("tags", "code"),
    [
        (("O", "B-A", "B-A", "I-A"), "E011"),
        (("B-A", "I-A"), "E600"),
        (("O", "B-A", "X-A"), "E602"),
        (("O", "B-A", "L-A"), "E602"),
        (("O", "B-A", "I-A", "B-C"), "E603"),
    ],
)
def test_tags_space_rejects_bad_tag_sets(tags: tuple[str, ...], code: str) -> None:
    with pytest.raises(LabelSpaceError, match=rf"\[{code}\]"):
        TagSpace(tags)


def test_tags_space_ids_reject_unknown_tags() -> None:
    assert SPACE.ids(["O", "I-LOC"]).tolist() == [0, 4]
    with pytest.raises(LabelSpaceError, match=r"\[E618\].*'B-ORG'"):
        SPACE.ids(["O", "B-ORG"])


def test_tags_sentence_starts() -> None:
    assert sentence_starts([2, 0, 3], 5).tolist() == [True, False, True, False, False]
    assert sentence_starts([0, 0], 0).tolist() == []


def test_tags_repair_per_sentence_and_per_source() -> None:
    ids = np.array([2, 2, 0, 4, 1, 2, 3])  # I-PER first, I-LOC after O, ...
    lengths = np.array([3, 4])
    np.testing.assert_array_equal(SPACE.repair(ids, lengths), [1, 2, 0, 3, 1, 2, 3])
    votes = np.array([[2, -1], [2, 4], [-1, 4], [4, 2]])  # -1 (abstain) reads as O
    repaired = SPACE.repair(votes, np.array([4]))
    np.testing.assert_array_equal(repaired, [[1, -1], [2, 3], [-1, 4], [3, 1]])


def test_tags_entity_spans_of_ids() -> None:
    lengths = np.array([3, 4])
    spans = entity_spans(SPACE, np.array([1, 2, 0, 2, 1, 2, 3]), lengths)
    assert spans.tolist() == [[0, 1, 0], [3, 3, 0], [4, 5, 0], [6, 6, 1]]


@settings(max_examples=80, deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 4), max_size=12))
def test_tags_entity_spans_agree_with_bio_to_spans(ids: list[int]) -> None:
    tags = list(SPACE.tags[i] for i in ids)
    spans = entity_spans(SPACE, np.array(ids, dtype=np.int64), np.array([len(ids)]))
    as_tuples = [(int(a), int(b) + 1, SPACE.types[int(t)]) for a, b, t in spans]
    assert as_tuples == bio_to_spans(tags)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(data=st.data())
def test_tags_entity_f1_equals_seqeval(data: st.DataObject) -> None:
    seqeval = pytest.importorskip("seqeval.metrics")
    n_sentences = data.draw(st.integers(1, 5))
    lengths = np.array(
        data.draw(st.lists(st.integers(0, 8), min_size=n_sentences, max_size=n_sentences))
    )
    n = int(lengths.sum())
    gold = np.array(data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), dtype=np.int64)
    pred = np.array(data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), dtype=np.int64)
    g, p = SPACE.names(gold, lengths), SPACE.names(pred, lengths)
    precision, recall, f1 = entity_f1(SPACE, gold, pred, lengths)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert f1 == pytest.approx(seqeval.f1_score(g, p), abs=1e-12)
        assert precision == pytest.approx(seqeval.precision_score(g, p), abs=1e-12)
        assert recall == pytest.approx(seqeval.recall_score(g, p), abs=1e-12)


# ------------------------------------------------------------------ old import paths
def test_tags_old_import_paths_still_work() -> None:
    import weaklabel.models.sequence as seq
    import weaklabel.tokens as tokens

    for name in ("TagSpace", "entity_f1", "entity_spans"):
        with pytest.warns(DeprecationWarning, match=rf"{name} has moved to weaklabel\.tags"):
            assert getattr(seq, name) is globals()[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the core module re-exports without a warning
        assert tokens.bio_to_spans is bio_to_spans and tokens.spans_to_bio is spans_to_bio
        assert tokens.SpanTuple is SpanTuple and tokens.tag_names_for is tag_names_for
