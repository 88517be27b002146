"""Sequence label models on a grid of synthetic NER corpora and on the WRENCH NER sets.

Run from the project root (needs ``skweak``, ``spacy`` and ``seqeval``; the WRENCH part
needs ``../shared/data``)::

    python benchmarks/sequence_models_wide.py            # writes the "sequence_wide" section
    python benchmarks/sequence_models_wide.py --no-write # prints only

Every corpus is fitted on one split and scored on another (entity F1, seqeval default
mode). Synthetic corpora come from
:func:`weaklabel.datasets.synthetic_tokens.make_token_matrix` (train seed 0, test seed 1,
same sources), in families of settings around the ``"conll-like"`` preset; the type-less
``"ENT"`` source is left out (skweak's HMM stops with "No valid state found" on it),
and one extra row gives ``SequenceLabelModel`` with it. For every corpus the table gives
each model's F1; per family, the mean and the worst gap to the best model of the corpus.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _results import markdown_table, write_section  # noqa: E402
from sequence_models import DATA, make_docs, run_skweak, seqeval_f1  # noqa: E402

from weaklabel.datasets.synthetic_tokens import (  # noqa: E402
    SyntheticSource,
    conll_like_sources,
    make_token_matrix,
)
from weaklabel.datasets.wrench_seq import load_wrench_seq  # noqa: E402
from weaklabel.models.sequence import SEQUENCE_MODELS  # noqa: E402
from weaklabel.models.sequence import SequenceLabelModel as SLM  # noqa: E402
from weaklabel.tags import TagSpace  # noqa: E402
from weaklabel.tokens import TokenMatrix  # noqa: E402

SKWEAK = "skweak HMM (defaults)"
N_SENTENCES = 1500


def scaled(**scale: float) -> list[SyntheticSource]:
    """The conll-like sources with some fields multiplied (hardness, false_positive...)."""
    out = []
    for s in conll_like_sources():
        changes = {
            k: min(getattr(s, k) * v, 0.99 if k != "hardness" else 10.0) for k, v in scale.items()
        }
        out.append(replace(s, **changes))
    return out


GRID: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "conll-like": [
        ("preset", {}),
        ("decoys x2", {"decoy_rate": 0.1}),
        ("longer entities", {"entity_lengths": (0.3, 0.4, 0.2, 0.1)}),
    ],
    "error correlation": [
        ("independent (hardness 0)", {"sources": scaled(hardness=0.0)}),
        ("hardness x0.5", {"sources": scaled(hardness=0.5)}),
        ("hardness x1.5", {"sources": scaled(hardness=1.5)}),
    ],
    "source quality": [
        ("false positives x0.3", {"sources": scaled(false_positive=0.3)}),
        ("false positives x2", {"sources": scaled(false_positive=2.0)}),
        ("confusions and boundaries x2", {"sources": scaled(confusion=2.0, boundary=2.0)}),
    ],
}


def models() -> list[tuple[str, Callable[[], Any]]]:
    return [(cls.__name__, cls) for cls in SEQUENCE_MODELS]


def without_ent(data: Any) -> TokenMatrix:
    keep = [s.name for s in data.sources if not s.underspecified]
    matrix = data.matrix.select_sources(keep)
    return TokenMatrix(matrix.weak, matrix.source_names, data.entity_types)


def score_corpus(
    nlp: Any,
    train: Any,
    test: Any,
    gold: list[list[str]],
    types: list[str],
    tokens: tuple[list[list[str]], list[list[str]]] | None = None,
) -> dict[str, float]:
    row = {name: seqeval_f1(gold, make().fit(train).predict(test)) for name, make in models()}
    space = TagSpace(train.tag_names)
    names = list(train.source_names)
    if tokens is None:
        tokens = (
            [[f"w{i}" for i in range(len(w))] for w in train.weak],
            [[f"w{i}" for i in range(len(w))] for w in test.weak],
        )
    train_docs = make_docs(nlp, tokens[0], train.weak, space, names)
    test_docs = make_docs(nlp, tokens[1], test.weak, space, names)
    row[SKWEAK] = seqeval_f1(gold, run_skweak(train_docs, test_docs, types)[0])
    return row


def synthetic(nlp: Any) -> tuple[str, str]:
    names = [n for n, _ in models()] + [SKWEAK]
    per_config: list[tuple[str, str, dict[str, float]]] = []
    for family, settings in GRID.items():
        for label, kwargs in settings:
            train = make_token_matrix(
                preset="conll-like", n_sentences=N_SENTENCES, seed=0, **kwargs
            )
            test = make_token_matrix(preset="conll-like", n_sentences=N_SENTENCES, seed=1, **kwargs)
            row = score_corpus(
                nlp, without_ent(train), without_ent(test), test.tags, list(train.entity_types)
            )
            ent = SLM(underspecified=train.underspecified).fit(train.matrix)
            row["SequenceLabelModel + ENT source"] = seqeval_f1(test.tags, ent.predict(test.matrix))
            per_config.append((family, label, row))
            print(family, label, {k: round(v, 2) for k, v in row.items()}, flush=True)
    all_names = [*names, "SequenceLabelModel + ENT source"]
    header = ["family", "setting", *all_names]
    rows = [[f, lab, *(f"{r[n]:.2f}" for n in all_names)] for f, lab, r in per_config]
    detail = markdown_table(header, rows)
    summary_rows = []
    for name in all_names:
        cells = [name]
        for family in GRID:
            runs = [r for f, _, r in per_config if f == family]
            values = [r[name] for r in runs]
            gaps = [r[name] - max(r[n] for n in names) for r in runs]
            cells.append(f"{np.mean(values):.2f} / {min(gaps):+.2f}")
        values = [r[name] for _, _, r in per_config]
        gaps = [r[name] - max(r[n] for n in names) for _, _, r in per_config]
        cells.append(f"{np.mean(values):.2f} / {min(gaps):+.2f}")
        summary_rows.append(cells)
    summary = markdown_table(["model", *GRID, "all"], summary_rows)
    return summary, detail


def wrench(nlp: Any) -> str:
    names = [n for n, _ in models()] + [SKWEAK]
    scores = {}
    for folder in sorted(p for p in DATA.iterdir() if (p / "meta.json").is_file()):
        train = load_wrench_seq(folder, "train")
        test = load_wrench_seq(folder, "test")
        scores[folder.name] = score_corpus(
            nlp, train, test, test.tags, list(train.entity_types), (train.tokens, test.tokens)
        )
        print(folder.name, {k: round(v, 2) for k, v in scores[folder.name].items()}, flush=True)
    rows = []
    for name in names:
        values = [scores[s][name] for s in scores]
        gaps = [scores[s][name] - max(scores[s].values()) for s in scores]
        rows.append(
            [name, *(f"{v:.2f}" for v in values), f"{np.mean(values):.2f}", f"{min(gaps):+.2f}"]
        )
    return markdown_table(["model", *scores, "mean", "worst gap to best"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    args = parser.parse_args()
    import spacy

    nlp = spacy.blank("en")
    real = wrench(nlp)
    summary, detail = synthetic(nlp)
    body = (
        "Entity F1 (seqeval, default mode) on a test split, every model fitted on another "
        "split's weak labels only; skweak's HMM with its defaults on spaCy Docs rebuilt from "
        "the same tokens.\n\n"
        "### WRENCH NER sets (WRENCH's sources)\n\n"
        f"{real}\n\n"
        f"### Synthetic grid: mean F1 / worst gap to the best model, per family\n\n"
        f"{N_SENTENCES} sentences to fit, {N_SENTENCES} others to score, per setting "
        '(`make_token_matrix(preset="conll-like", ...)` with the changes listed below; '
        "15 sources, the type-less one left out). The gap is to the best of the five "
        "models of the table on that corpus (0 = it is the best).\n\n"
        f"{summary}\n\n"
        "### Synthetic grid, every setting\n\n"
        f"{detail}\n"
    )
    print(body)
    if not args.no_write:
        write_section("sequence_wide", "Sequence label models on a synthetic grid and WRENCH", body)


if __name__ == "__main__":
    main()
