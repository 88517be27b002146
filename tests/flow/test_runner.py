"""Tests of run_flow from Python: the result, the filters of the fit stage, more source types."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from weaklabel.errors import ConfigError
from weaklabel.flow import FlowResult, load_config, run_flow

TEXTS = [
    "I love this song",
    "check out my channel",
    "greetings from France, love it",
    "nothing to see",
    "subscribe to my channel now",
    "what a voice",
]


def _write(folder: Path, body: str) -> Path:
    pd.DataFrame({"text": TEXTS, "gold": [0, 1, 0, 0, 1, 0]}).to_csv(folder / "d.csv", index=False)
    config = folder / "flow.toml"
    config.write_text(
        '[data]\npath = "d.csv"\nlabel_names = ["HAM", "SPAM"]\nkeep_columns = ["gold"]\n' + body,
        encoding="utf-8",
    )
    return config


SOURCES = """
[[sources]]
type = "keyword"
name = "kw"
keywords = ["check out", "subscribe"]
label = "SPAM"
[[sources]]
type = "lexicon"
path = "lex.csv"
[[sources]]
type = "gazetteer"
builtin = ["countries"]
label = "HAM"
"""


def test_run_flow_returns_every_table(tmp_path: Path) -> None:
    pd.DataFrame({"term": ["love"], "label": ["HAM"]}).to_csv(tmp_path / "lex.csv", index=False)
    config = _write(tmp_path, SOURCES + '[model]\nname = "majority"\n[outputs]\nlabels = "l.csv"\n')
    lines: list[str] = []
    result = run_flow(config, log=lines.append)
    assert isinstance(result, FlowResult)
    assert result.matrix.shape == (6, 3)
    assert result.matrix.source_names == ("kw", "lexicon_1", "gazetteer_countries")
    assert result.labels["text"].tolist() == [TEXTS[i] for i in (0, 1, 2, 4)]
    assert result.labels["label"].tolist() == ["HAM", "SPAM", "HAM", "SPAM"]
    assert result.labels.columns.tolist()[:3] == ["id", "text", "gold"]
    assert result.outputs == {"labels": tmp_path / "l.csv"}
    assert any(line.startswith("fit MajorityVote: 4 labelled rows") for line in lines)
    assert "dropped 2 with no vote" in lines[-2]


def test_run_flow_outputs_get_the_usual_file_mode(tmp_path: Path) -> None:
    import os
    import stat

    pd.DataFrame({"term": ["love"], "label": ["HAM"]}).to_csv(tmp_path / "lex.csv", index=False)
    config = _write(tmp_path, SOURCES + '[model]\nname = "majority"\n[outputs]\nlabels = "l.csv"\n')
    umask = os.umask(0o022)
    try:
        run_flow(config, log=lambda line: None)
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "l.csv").stat().st_mode) == 0o644  # not the temp file's 0600


def test_run_flow_keep_unlabelled_and_min_confidence(tmp_path: Path) -> None:
    pd.DataFrame({"term": ["love"], "label": ["HAM"]}).to_csv(tmp_path / "lex.csv", index=False)
    body = (
        SOURCES
        + '[model]\nname = "majority"\nkeep_unlabelled = true\n[outputs]\nlabels = "l.csv"\n'
    )
    result = run_flow(_write(tmp_path, body))
    assert len(result.labels) == 6
    body = body.replace("keep_unlabelled = true", "keep_unlabelled = true\nmin_confidence = 0.9")
    result = run_flow(_write(tmp_path, body), force=True)
    assert len(result.labels) == 4  # the two rows with no vote are a coin flip


def test_load_config_checks_paths_of_lexicon_and_gazetteer_files(tmp_path: Path) -> None:
    config = _write(tmp_path, SOURCES + '[outputs]\nlabels = "l.csv"\n')
    with pytest.raises(ConfigError, match=r"\[E840\].*'sources\[1\]\.path'.*'lex\.csv'"):
        load_config(config)
    body = SOURCES.replace('builtin = ["countries"]', 'builtin = ["countrys"]')
    (tmp_path / "lex.csv").write_text("term,label\nlove,HAM\n", encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"'sources\[2\]\.builtin\[0\]'.*did you mean 'countries'"
    ):
        load_config(_write(tmp_path, body + '[outputs]\nlabels = "l.csv"\n'))


def test_run_flow_refuses_when_preparation_drops_everything(tmp_path: Path) -> None:
    body = (
        '[[prepare]]\nstep = "length"\nmin_chars = 500\n'
        + SOURCES.split('[[sources]]\ntype = "lexicon"')[0]
    )
    config = _write(tmp_path, body + '[outputs]\nlabels = "l.csv"\n')
    with pytest.raises(ConfigError, match=r"\[E836\].*'prepare'.*dropped every row"):
        run_flow(config)
