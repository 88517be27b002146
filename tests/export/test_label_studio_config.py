"""Labeling configs: well-formed XML whose tag names match the tasks and the readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from weaklabel.errors import ParameterError
from weaklabel.export import classification_config, fine_tuning_config, span_config


def test_label_studio_config_classification_lists_the_choices_in_order() -> None:
    root = ET.fromstring(classification_config(["HAM", "SPAM"], header="Spam?"))
    text = root.find("Text")
    choices = root.find("Choices")
    assert text is not None and choices is not None
    assert text.attrib == {"name": "text", "value": "$text"}
    assert choices.attrib["name"] == "label"
    assert choices.attrib["toName"] == "text"
    assert choices.attrib["choice"] == "single"
    assert [c.attrib["value"] for c in choices] == ["HAM", "SPAM"]
    header = root.find("Header")
    assert header is not None and header.attrib["value"] == "Spam?"


def test_label_studio_config_escapes_label_names() -> None:
    names = ['a"b', "<tag>", "x & y", "ünï 😀"]
    root = ET.fromstring(span_config(names, text_field="body", from_name="ents", to_name="doc"))
    labels = root.find("Labels")
    assert labels is not None
    assert [c.attrib["value"] for c in labels] == names
    assert labels.attrib == {"name": "ents", "toName": "doc"}
    text = root.find("Text")
    assert text is not None and text.attrib == {"name": "doc", "value": "$body"}


def test_label_studio_config_fine_tuning_matches_the_template_names() -> None:
    root = ET.fromstring(fine_tuning_config())
    text, area = root.find("Text"), root.find("TextArea")
    assert text is not None and area is not None
    assert text.attrib == {"name": "prompt", "value": "$prompt"}
    assert area.attrib["name"] == "instruction"
    assert area.attrib["toName"] == "prompt"
    assert area.attrib["maxSubmissions"] == "1"


@pytest.mark.parametrize(
    ("make", "labels"),
    [
        (classification_config, ["ONLY"]),
        (classification_config, ["A", "A"]),
        (classification_config, "AB"),
        (span_config, []),
        (span_config, ["PER", ""]),
    ],
)
def test_label_studio_config_rejects_bad_label_lists(make: object, labels: object) -> None:
    with pytest.raises(ParameterError, match=r"\[E060\].*labels"):
        make(labels)  # type: ignore[operator]
