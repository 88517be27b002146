"""``weaklabel demo``: real outputs, an honest summary, no-vote rows left unlabelled."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weaklabel.cli import main
from weaklabel.demo import DEMO_FILES, compare_models
from weaklabel.models import load_model


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Run the demo once for the module: (output folder, printed text)."""
    import contextlib
    import io

    out = tmp_path_factory.mktemp("demo") / "demo_out"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["demo", "--out", str(out), "--no-progress"]) == 0
    return out, printed.getvalue()


def test_demo_writes_labels_summary_model_and_plots(demo_run: tuple[Path, str]) -> None:
    out, printed = demo_run
    assert sorted(p.name for p in out.iterdir()) == sorted(DEMO_FILES)
    labels = pd.read_csv(out / "labels.csv", keep_default_na=False)
    assert len(labels) == 400
    probs = labels[["p_NEGATIVE", "p_POSITIVE"]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)

    summary = pd.read_csv(out / "source_summary.csv", index_col=0)
    assert {"vader", "kw_praise", "star_rating"} <= set(summary.index)
    assert {"coverage", "overlaps", "conflicts", "emp_acc"} <= set(summary.columns)

    model = load_model(out / "label_model.json")
    assert model.cardinality_ == 2
    saved = json.loads((out / "label_model.json").read_text())
    assert saved["format"] == "weaklabel.label_model"  # JSON, not a pickle
    for name in ("coverage.png", "conflicts.png", "accuracy_vs_coverage.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "wrote " in printed


def test_demo_labels_mark_the_rows_without_a_vote(demo_run: tuple[Path, str]) -> None:
    out, _ = demo_run
    labels = pd.read_csv(out / "labels.csv", keep_default_na=False)
    voted = labels["has_vote"].astype(str) == "True"
    assert (voted == (labels["n_votes"] > 0)).all()
    assert 0 < (~voted).sum() < len(labels)
    assert (labels.loc[~voted, "label"] == "").all()  # no confident-looking guess
    assert set(labels.loc[voted, "label"]) <= {"NEGATIVE", "POSITIVE"}
    assert (labels.loc[voted, "label"] != "").all()
    accuracy = float((labels.loc[voted, "label"] == labels.loc[voted, "gold"]).mean())
    assert accuracy > 0.75  # far above a coin on this balanced corpus


def _percent(text: str, label: str) -> tuple[float, float]:
    match = re.search(rf"{label}\s+(\d+\.\d)%\s+(\d+\.\d)%", text)
    assert match, text
    return float(match.group(1)) / 100, float(match.group(2)) / 100


def test_demo_summary_reports_both_scopes_and_words_the_comparison_from_numbers(
    demo_run: tuple[Path, str],
) -> None:
    out, printed = demo_run
    labels = pd.read_csv(out / "labels.csv", keep_default_na=False)
    voted = labels["n_votes"] > 0
    n_voted, n = int(voted.sum()), len(labels)
    assert f"{n_voted} of {n} reviews" in printed and f"{n - n_voted} have none" in printed
    lm_voted, mv_voted = _percent(printed, f"{n_voted} reviews with a vote")
    lm_all, mv_all = _percent(printed, f"all {n} reviews")
    right = labels.loc[voted, "label"] == labels.loc[voted, "gold"]
    assert lm_voted == pytest.approx(right.mean(), abs=0.0006)
    assert lm_voted > lm_all and mv_voted > mv_all  # the no-vote rows carry no vote
    silent = labels.loc[~voted, ["p_NEGATIVE", "p_POSITIVE"]].to_numpy()
    if np.allclose(silent, 0.5):  # a tie-break for both models
        assert "both models guess them by a tie-break" in printed
    else:  # the label model's class for silence, named with its probability
        top = "NEGATIVE" if silent[0, 0] > 0.5 else "POSITIVE"
        assert f"the label model gives them {top} (p = {silent[0].max():.2f})" in printed
        no_vote_right = labels.loc[~voted, "gold"] == top
        assert lm_all == pytest.approx(
            (right.sum() + no_vote_right.sum()) / n, abs=0.0006
        )  # the label model's all-rows accuracy counts its silent class
    sentence = compare_models(lm_voted, mv_voted, n_voted, f"the {n_voted} reviews with a vote")
    assert sentence.split(" by ")[0] in printed
    if lm_voted < mv_voted:
        assert "behind majority vote" in printed and "ahead of majority vote" not in sentence


def test_demo_compare_models_words_follow_the_numbers() -> None:
    assert "ahead of majority vote by 2.0 points, 8 reviews" in compare_models(0.82, 0.80, 400, "x")
    assert "behind majority vote by 1.7 points, 5 reviews" in compare_models(0.819, 0.836, 288, "x")
    assert "1 review." in compare_models(0.5025, 0.5, 400, "x")
    assert "equally accurate" in compare_models(0.8, 0.8001, 400, "x")


def test_demo_refuses_to_replace_its_files_without_force(
    demo_run: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = demo_run
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert main(["demo", "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("weaklabel: [E412]") and "labels.csv" in err and "--force" in err
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_demo_augmented_rows_keep_label_and_split(demo_run: tuple[Path, str]) -> None:
    out, printed = demo_run
    labels = pd.read_csv(out / "labels.csv", keep_default_na=False)
    augmented = pd.read_csv(out / "augmented.csv")
    new = augmented[augmented["is_augmented"]]
    originals = augmented[~augmented["is_augmented"]]
    assert len(originals) == int((labels["n_votes"] > 0).sum())
    assert len(new) > len(originals) // 2 and "new rows kept" in printed
    label_of = dict(zip(originals["id"], originals["label"], strict=True))
    assert (new["label"] == new["original_id"].map(label_of)).all()
    assert not set(new["text"]) & set(originals["text"])
    split_of = dict(zip(originals["id"], originals["split"], strict=True))
    assert (new["split"] == new["original_id"].map(split_of)).all()
