"""``weaklabel prepare / apply / fit``: each step of the flow alone, and their bad inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import weaklabel.cli as cli
from tests.cli.test_run import CONFIG, RULES, _raw_csv


@pytest.fixture
def project(tmp_path: Path) -> Path:
    _raw_csv(tmp_path)
    (tmp_path / "my_rules.py").write_text(RULES, encoding="utf-8")
    (tmp_path / "flow.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def test_prepare_writes_kept_and_dropped_rows(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, dropped = project / "prepared.parquet", project / "dropped.csv"
    argv = [
        "prepare",
        str(project / "raw.csv"),
        "--out",
        str(out),
        "--dropped",
        str(dropped),
        "--text-column",
        "CONTENT",
        "--id-column",
        "COMMENT_ID",
        "--steps",
        "strip_html",
        "fix_text",
        "whitespace",
        "exact_duplicates",
        "length",
        "--min-words",
        "5",
    ]
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert "prepare length:" in err and "rows kept" in err
    kept = pd.read_parquet(out)
    gone = pd.read_csv(dropped)
    assert len(kept) + len(gone) == 26
    assert set(gone["step"]) == {"input", "exact_duplicates", "length"}
    assert (kept["CONTENT"].str.split().str.len() >= 5).all()
    assert kept["CONTENT"].iloc[0] == "I love this song so much"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--min-words", "3"], ["[E060]", "--min-words", "add length to --steps"]),
        (["--steps", "length", "--min-chars", "9", "--max-chars", "2"], ["[E810]"]),
        (["--steps", "near_duplicates", "--near-threshold", "2"], ["threshold"]),
        (["--steps", "language", "--languages", "xx"], ["[E811]", "'xx' in keep"]),
        (["--text-column", "BODY"], ["[E801]", "'BODY'"]),
        (["--id-column", "CLASS"], ["[E802]", "repeated id"]),
    ],
)
def test_prepare_bad_options_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], extra: list[str], expected: list[str]
) -> None:
    out = project / "prepared.csv"
    argv = ["prepare", str(project / "raw.csv"), "--out", str(out), "--text-column", "CONTENT"]
    assert cli.main([*argv, *extra]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for piece in expected:
        assert piece in err, (piece, err)
    assert not out.exists()


def test_apply_then_fit_match_run(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    matrix = project / "matrix.csv"
    assert (
        cli.main(["apply", str(project / "flow.toml"), "--out", str(matrix), "--no-progress"]) == 0
    )
    err = capsys.readouterr().err
    assert "source kw_channel: coverage" in err and "sources, coverage" in err
    table = pd.read_csv(matrix)
    assert list(table.columns[:2]) == ["COMMENT_ID", "CONTENT"]
    assert set(table["kw_channel"].dropna()) == {"SPAM"}
    labels = project / "labels.csv"
    assert (
        cli.main(["fit", str(matrix), "--out", str(labels), "--config", str(project / "flow.toml")])
        == 0
    )
    by_config = pd.read_csv(labels)
    assert {"COMMENT_ID", "CONTENT", "label", "confidence", "p_HAM", "p_SPAM"} <= set(
        by_config.columns
    )
    assert by_config["n_votes"].min() >= 1
    again = project / "labels2.csv"
    assert (
        cli.main(
            [
                "fit",
                str(matrix),
                "--out",
                str(again),
                "--labels",
                "HAM",
                "SPAM",
                "--model",
                "majority",
                "--id-column",
                "COMMENT_ID",
                "--text-column",
                "CONTENT",
            ]
        )
        == 0
    )
    pd.testing.assert_frame_equal(by_config, pd.read_csv(again))


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["HAM"], ["[E060]", "--labels"]),
        (["HAM", "SPAMX"], ["[E847]", "'SPAM'", "column 'kw_channel'"]),
    ],
)
def test_fit_bad_matrix_or_labels_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], labels: list[str], expected: list[str]
) -> None:
    matrix = project / "matrix.csv"
    assert (
        cli.main(["apply", str(project / "flow.toml"), "--out", str(matrix), "--no-progress"]) == 0
    )
    capsys.readouterr()
    out = project / "labels.csv"
    argv = [
        "fit",
        str(matrix),
        "--out",
        str(out),
        "--labels",
        *labels,
        "--id-column",
        "COMMENT_ID",
        "--text-column",
        "CONTENT",
    ]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    for piece in expected:
        assert piece in err, (piece, err)
    assert not out.exists()


def test_fit_matrix_without_sources_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = tmp_path / "m.csv"
    pd.DataFrame({"id": [1], "text": ["x"]}).to_csv(matrix, index=False)
    argv = ["fit", str(matrix), "--out", str(tmp_path / "l.csv"), "--labels", "A", "B"]
    assert cli.main(argv) == 2
    assert "[E848]" in capsys.readouterr().err


def test_apply_refuses_to_overwrite_the_data(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["apply", str(project / "flow.toml"), "--out", str(project / "raw.csv"), "--force"]
    assert cli.main(argv) == 2
    assert "[E401]" in capsys.readouterr().err
