"""Fuzz: a good configuration with one key damaged is either still fine or refused by name."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.test_run import CONFIG, RULES, _raw_csv
from weaklabel.errors import ConfigError
from weaklabel.flow import load_config

GOOD = tomllib.loads(CONFIG)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((*prefix, key))
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.append((*prefix, i))
            found += _paths(value, (*prefix, i))
    return found


PATHS = _paths(GOOD)
VALUES = [0, -3, 1.5, 1e308, "", "x", "raw.csv", True, [], [1], ["a"], {}, {"k": 1}]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    _raw_csv(root)
    (root / "my_rules.py").write_text(RULES, encoding="utf-8")
    (root / "out").mkdir()
    return root


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=st.sampled_from(PATHS),
    action=st.sampled_from(["delete", "rename", "set"]),
    value=st.sampled_from(VALUES),
)
def test_damaged_config_is_refused_with_its_key_or_loads(
    folder: Path, path: tuple[Any, ...], action: str, value: Any
) -> None:
    raw = copy.deepcopy(GOOD)
    parent = raw
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "rename" and isinstance(parent, dict):
        parent[f"{last}x"] = parent.pop(last)
    else:
        parent[last] = value
    config = folder / "fuzz.yaml"
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    try:
        load_config(config)
    except ConfigError as exc:
        message = str(exc)
        assert message.startswith("[E8") or message.startswith("[E070]"), message
        assert "fuzz.yaml" in message or "[E070]" in message
    assert not list((folder / "out").iterdir())
