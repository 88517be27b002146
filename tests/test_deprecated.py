"""Old import paths: forwarded with a DeprecationWarning that names the new place."""

from __future__ import annotations

import pytest

from weaklabel._deprecated import moved_module, moved_names


def test_moved_name_warns_and_forwards() -> None:
    getter = moved_names("weaklabel.old", {"ABSTAIN": "weaklabel.labels"})
    with pytest.warns(
        DeprecationWarning, match=r"weaklabel\.old\.ABSTAIN has moved to weaklabel\.labels\.ABSTAIN"
    ):
        assert getter("ABSTAIN") == -1


def test_renamed_name_forwards_to_new_name() -> None:
    getter = moved_names("weaklabel.old", {"NOTHING": "weaklabel.labels:ABSTAIN"})
    with pytest.warns(DeprecationWarning, match="weaklabel.labels.ABSTAIN"):
        assert getter("NOTHING") == -1


def test_unknown_name_is_an_attribute_error() -> None:
    getter = moved_names("weaklabel.old", {"ABSTAIN": "weaklabel.labels"})
    with pytest.raises(AttributeError, match="has no attribute 'other'"):
        getter("other")


def test_moved_module_forwards_everything_but_dunders() -> None:
    getter = moved_module("weaklabel.old", "weaklabel.labels")
    with pytest.warns(DeprecationWarning, match="removed in weaklabel"):
        assert getter("ABSTAIN") == -1
    with pytest.raises(AttributeError):
        getter("__path__")
