"""TagSpace (BIO tag sets) and entity-level F1, checked against seqeval."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weaklabel.errors import LabelSpaceError
from weaklabel.models.sequence import TagSpace, entity_f1, entity_spans

SPACE = TagSpace(("O", "B-PER", "I-PER", "B-LOC", "I-LOC"))


def test_tags_space_layout() -> None:
    assert TagSpace.from_types(["PER", "LOC"]).tags == SPACE.tags
    assert SPACE.types == ("PER", "LOC") and SPACE.outside == 0
    np.testing.assert_array_equal(SPACE.type_of, [-1, 0, 0, 1, 1])
    allowed = SPACE.allowed_transitions()
    assert allowed[1, 2] and allowed[2, 2] and not allowed[0, 2] and not allowed[3, 2]
    assert not SPACE.allowed_starts()[2] and SPACE.allowed_starts()[1]
    odd = TagSpace(("B-X", "O", "I-X"))  # any order works
    assert odd.outside == 1 and odd.begin_id.tolist() == [0]


@pytest.mark.parametrize(
    ("tags", "code"),
    [
        (("O", "B-A", "B-A", "I-A"), "E601"),
        (("B-A", "I-A"), "E600"),
        (("O", "B-A", "X-A"), "E602"),
        (("O", "B-A", "I-A", "B-C"), "E603"),
    ],
)
def test_tags_space_rejects_bad_tag_sets(tags: tuple[str, ...], code: str) -> None:
    with pytest.raises(LabelSpaceError, match=rf"\[{code}\]"):
        TagSpace(tags)


def test_tags_repair_and_spans() -> None:
    ids = np.array([2, 2, 0, 4, 1, 2, 3])  # I-PER first, I-LOC after O, I-PER... per sentence
    lengths = np.array([3, 4])
    np.testing.assert_array_equal(SPACE.repair(ids, lengths), [1, 2, 0, 3, 1, 2, 3])
    spans = entity_spans(SPACE, np.array([1, 2, 0, 2, 1, 2, 3]), lengths)
    assert spans.tolist() == [[0, 1, 0], [3, 3, 0], [4, 5, 0], [6, 6, 1]]
    with pytest.raises(LabelSpaceError, match=r"\[E618\].*'B-ORG'"):
        SPACE.ids(["O", "B-ORG"])


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
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert f1 == pytest.approx(seqeval.f1_score(g, p), abs=1e-12)
        assert precision == pytest.approx(seqeval.precision_score(g, p), abs=1e-12)
        assert recall == pytest.approx(seqeval.recall_score(g, p), abs=1e-12)
