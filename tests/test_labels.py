"""LabelSpace: names <-> ids, WRENCH-style mappings, and the errors for bad labels."""

from __future__ import annotations

import pytest

from weaklabel.errors import LabelSpaceError
from weaklabel.labels import ABSTAIN, LabelSpace


def test_labels_abstain_is_minus_one() -> None:
    assert ABSTAIN == -1


def test_labels_from_names_keeps_the_order() -> None:
    space = LabelSpace.from_any(["HAM", "SPAM"])
    assert space.names == ("HAM", "SPAM")
    assert space.cardinality == len(space) == 2
    assert list(space) == ["HAM", "SPAM"]


def test_labels_from_wrench_mapping_with_digit_string_keys() -> None:
    # WRENCH's label.json stores {"0": "HAM", "1": "SPAM"}; key order must not matter.
    space = LabelSpace.from_any({"1": "SPAM", "0": "HAM"})
    assert space.names == ("HAM", "SPAM")


def test_labels_from_int_mapping() -> None:
    space = LabelSpace.from_any({0: "NEG", 2: "POS", 1: "NEU"})
    assert space.names == ("NEG", "NEU", "POS")


def test_labels_from_any_returns_an_existing_space_unchanged() -> None:
    space = LabelSpace(("A", "B"))
    assert LabelSpace.from_any(space) is space


def test_labels_names_are_converted_to_str() -> None:
    space = LabelSpace.from_any([0, 1])  # type: ignore[list-item]
    assert space.names == ("0", "1")


def test_labels_to_id_and_to_name_round_trip() -> None:
    space = LabelSpace(("NEG", "NEU", "POS"))
    for i, name in enumerate(space.names):
        assert space.to_id(name) == i
        assert space.to_id(i) == i
        assert space.to_name(i) == name


def test_labels_abstain_passes_through() -> None:
    space = LabelSpace(("HAM", "SPAM"))
    assert space.to_id(ABSTAIN) == ABSTAIN
    assert space.to_name(ABSTAIN) is None


def test_labels_ids_converts_a_mixed_sequence() -> None:
    space = LabelSpace(("HAM", "SPAM"))
    assert space.ids(["SPAM", 0, -1, "HAM"]) == [1, 0, -1, 0]


def test_labels_duplicate_names_raise() -> None:
    with pytest.raises(LabelSpaceError, match=r"unique.*\['HAM'\]"):
        LabelSpace(("HAM", "SPAM", "HAM"))


def test_labels_fewer_than_two_names_raise() -> None:
    with pytest.raises(LabelSpaceError, match="at least two"):
        LabelSpace(("ONLY",))


def test_labels_unknown_name_raises_and_lists_the_space() -> None:
    space = LabelSpace(("HAM", "SPAM"))
    with pytest.raises(LabelSpaceError, match=r"'SPMA'.*\['HAM', 'SPAM'\]"):
        space.to_id("SPMA")


@pytest.mark.parametrize("label_id", [2, 5, -2])
def test_labels_out_of_range_id_raises(label_id: int) -> None:
    space = LabelSpace(("HAM", "SPAM"))
    with pytest.raises(LabelSpaceError, match=rf"Label id {label_id} is outside"):
        space.to_id(label_id)
    with pytest.raises(LabelSpaceError):
        space.to_name(label_id)


@pytest.mark.parametrize(
    "mapping",
    [{"0": "A", "2": "B"}, {"1": "A", "2": "B"}, {"a": "A", "b": "B"}, {None: "A", 1: "B"}],
)
def test_labels_mapping_keys_must_be_zero_to_k_minus_one(mapping: dict) -> None:
    with pytest.raises(LabelSpaceError, match=r"keys 0 \.\. k-1"):
        LabelSpace.from_any(mapping)


def test_labels_errors_are_value_errors() -> None:
    # Callers that catch ValueError (the usual habit) still catch weaklabel's errors.
    with pytest.raises(ValueError):
        LabelSpace(("A", "A"))
