"""Tests of the configuration schema: suggestions, string lists, and the guide's key table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from weaklabel.errors import ConfigError
from weaklabel.flow.schema import PREPARE_KEYS, SCHEMA, SOURCE_KEYS, check_config, closest
from weaklabel.prepare import STEPS

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "run.md"


def _good() -> dict:
    return {
        "data": {"path": "x.csv", "label_names": ["A", "B"]},
        "sources": [{"type": "keyword", "keywords": "good", "label": "A"}],
        "outputs": {"labels": "labels.csv"},
    }


def test_closest_suggests_only_near_keys():
    assert closest("keyword", ["keywords", "label"]) == " (did you mean 'keywords'?)"
    assert closest("zzz", ["keywords", "label"]) == ""


def test_a_single_string_is_a_list_of_one():
    raw = _good()
    check_config(raw, "c.toml")
    assert raw["sources"][0]["keywords"] == ["good"]


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (lambda r: r["data"].update(label_names=["A", "A"]), "data.label_names"),
        (lambda r: r["sources"][0].update(label=5), "sources[0].label"),
        (lambda r: r["sources"][0].update(case_sensitive="yes"), "sources[0].case_sensitive"),
        (lambda r: r.update(prepare=[{"name": "x"}]), "prepare[0].step"),
        (lambda r: r.update(prepare={"step": "length"}), "prepare"),
        (lambda r: r.update(model={"min_confidence": True}), "model.min_confidence"),
        (lambda r: r["outputs"].update(augmented="a.csv"), "outputs.augmented"),
        (lambda r: r["sources"].append({"type": "lexicon", "label": "A"}), "sources[1].label"),
        (lambda r: r["sources"].append({"type": "lexicon"}), "sources[1]"),
        (lambda r: r["sources"].append({"type": "gazetteer", "label": "A"}), "sources[1]"),
        (lambda r: r["data"].update(text_column=""), "data.text_column"),
    ],
)
def test_check_config_names_the_key(edit, key):
    raw = _good()
    edit(raw)
    with pytest.raises(ConfigError, match=re.escape(f"key '{key}'")):
        check_config(raw, "c.toml")


def test_every_step_of_the_schema_is_a_step_and_takes_its_keys():
    import inspect

    assert set(PREPARE_KEYS) == set(STEPS)
    for name, keys in PREPARE_KEYS.items():
        params = inspect.signature(STEPS[name]).parameters
        assert set(keys) <= set(params), name


def test_the_guide_documents_every_key():
    guide = GUIDE.read_text(encoding="utf-8")
    for section, keys in SCHEMA.items():
        for key in keys:
            assert (
                (f"`{section}.{key}" if section else f"{key}") in guide
                or f".{key}`" in guide
                or (f", .{key}" in guide)
            ), (section, key)
    for kind, keys in SOURCE_KEYS.items():
        assert f"`{kind}`" in guide
        for key in keys:
            assert f"`{key}`" in guide, (kind, key)
