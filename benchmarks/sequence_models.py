"""Sequence label models against skweak's HMM: entity F1 on every WRENCH NER set, and speed.

Run from the project root (needs ``skweak``, ``spacy`` and ``seqeval``, and the data in
``../shared/data``)::

    python benchmarks/sequence_models.py            # writes the "sequence" section
    python benchmarks/sequence_models.py --no-write # prints only

(a) Every set in ``../shared/data/wrench/seq_tagging``, WRENCH's sources (``lf_rec``), and
    every source (``"all"``): fit on train, entity F1 on test (seqeval, default mode), for
    every weaklabel sequence model and for ``skweak.generative.HMM(name, entity_types)``
    fitted with its defaults on spaCy Docs rebuilt from the same tokens, one
    ``doc.spans[source]`` per source.
(b) Speed on one corpus of every split of every set (bc5cdr + laptopreview: 5,345 documents,
    390k tokens, 12 sources; a source that does not cover a set abstains there): skweak's
    HMM fit + aggregation against weaklabel's fit + predict, same documents, same sources,
    same run, with the F1 of each on the whole corpus.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _results import markdown_table, write_section  # noqa: E402

from weaklabel.datasets.wrench_seq import WrenchSeqDataset, load_wrench_seq  # noqa: E402
from weaklabel.models.sequence import (  # noqa: E402
    HMM,
    SEQUENCE_MODELS,
    BaseSequenceModel,
    SequenceLabelModel,
    TagSpace,
    entity_spans,
)

DATA = ROOT.parent / "shared" / "data" / "wrench" / "seq_tagging"
PEERS = {  # test F1 quoted in the issue, same sets and sources
    "bc5cdr": {"WRENCH HMM (published)": 81.67, "WRENCH CHMM (published, BERT)": 83.70},
    "laptopreview": {"WRENCH HMM (published)": 73.26, "WRENCH CHMM (published, BERT)": 73.34},
}


# ---------------------------------------------------------------------------- helpers
def seqeval_f1(gold: list[list[str]], pred: list[list[str]]) -> float:
    from seqeval.metrics import f1_score

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return 100 * float(f1_score(gold, pred))


def make_docs(
    nlp: Any, tokens: list[list[str]], weak: list[np.ndarray], space: TagSpace, names: list[str]
) -> list[Any]:
    """spaCy Docs of the tokens, with each source's entities in ``doc.spans[source]``.

    A source whose column is -1 throughout a document (it does not cover that set) gets
    no ``doc.spans`` entry there, which skweak reads as "not observed".
    """
    from spacy.tokens import Doc, Span

    docs = []
    for words, votes in zip(tokens, weak, strict=True):
        doc = Doc(nlp.vocab, words=words)
        for j, name in enumerate(names):
            column = votes[:, j]
            if (column < 0).all():
                continue
            spans = entity_spans(space, np.maximum(column, 0), np.array([len(column)]))
            doc.spans[name] = [
                Span(doc, int(a), int(b) + 1, label=space.types[int(t)]) for a, b, t in spans
            ]
        docs.append(doc)
    return docs


def spans_to_tags(doc: Any, key: str) -> list[str]:
    tags = ["O"] * len(doc)
    for span in doc.spans.get(key, []):
        tags[span.start] = f"B-{span.label_}"
        for i in range(span.start + 1, span.end):
            tags[i] = f"I-{span.label_}"
    return tags


def run_skweak(
    train_docs: list[Any], test_docs: list[Any], types: list[str]
) -> tuple[list[list[str]], float]:
    """Fit skweak's HMM with its defaults on train, aggregate test; tags and seconds."""
    from skweak.generative import HMM as SkweakHMM

    start = time.perf_counter()
    quiet = io.StringIO()
    with (
        contextlib.redirect_stdout(quiet),
        contextlib.redirect_stderr(quiet),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        hmm = SkweakHMM("hmm", types)
        hmm.fit(train_docs)
        out = [hmm(doc) for doc in test_docs]
    seconds = time.perf_counter() - start
    return [spans_to_tags(doc, "hmm") for doc in out], seconds


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return result, best


def weaklabel_models() -> list[tuple[str, Callable[[], BaseSequenceModel]]]:
    models: list[tuple[str, Callable[[], BaseSequenceModel]]] = [
        (cls.__name__, cls) for cls in SEQUENCE_MODELS
    ]
    models.append(('HMM(silence="per_source")', lambda: HMM(silence="per_source")))
    return models


# ---------------------------------------------------------------------------- (a) F1
def f1_tables(nlp: Any, sources: str) -> tuple[str, dict[str, dict[str, float]]]:
    names = [n for n, _ in weaklabel_models()] + ["skweak HMM (defaults)"]
    scores: dict[str, dict[str, float]] = {}
    for folder in sorted(p for p in DATA.iterdir() if (p / "meta.json").is_file()):
        train = load_wrench_seq(folder, "train", sources=sources)
        test = load_wrench_seq(folder, "test", sources=sources)
        row: dict[str, float] = {}
        for name, make in weaklabel_models():
            model = make().fit(train)
            row[name] = seqeval_f1(test.tags, model.predict(test))
        space = TagSpace(train.tag_names)
        source_names = list(train.source_names)
        train_docs = make_docs(nlp, train.tokens, train.weak, space, source_names)
        test_docs = make_docs(nlp, test.tokens, test.weak, space, source_names)
        tags, _ = run_skweak(train_docs, test_docs, list(train.entity_types))
        row["skweak HMM (defaults)"] = seqeval_f1(test.tags, tags)
        scores[folder.name] = row
        print(folder.name, sources, {k: round(v, 2) for k, v in row.items()}, flush=True)
    header = ["model", *scores, "mean"]
    rows = []
    for name in names:
        values = [scores[s][name] for s in scores]
        rows.append([name, *(f"{v:.2f}" for v in values), f"{np.mean(values):.2f}"])
    if sources == "wrench":
        for peer in next(iter(PEERS.values())):
            values = [PEERS[s][peer] for s in scores]
            rows.append([peer, *(f"{v:.2f}" for v in values), f"{np.mean(values):.2f}"])
    return markdown_table(header, rows), scores


# ---------------------------------------------------------------------------- (b) speed
def speed_corpus() -> tuple[
    list[list[str]], list[list[str]], list[np.ndarray], TagSpace, list[str]
]:
    """Every split of every set, as one corpus over the union of their sources and tags."""
    parts: list[WrenchSeqDataset] = [
        load_wrench_seq(folder, split)
        for folder in sorted(p for p in DATA.iterdir() if (p / "meta.json").is_file())
        for split in ("train", "valid", "test")
    ]
    types: list[str] = []
    sources: list[str] = []
    for part in parts:
        types += [t for t in part.entity_types if t not in types]
        # two sets may name different functions alike (link-ExtractedPhrase): keep both
        sources += [
            f"{part.name}/{s}" for s in part.source_names if f"{part.name}/{s}" not in sources
        ]
    space = TagSpace.from_types(types)
    tokens: list[list[str]] = []
    gold: list[list[str]] = []
    weak: list[np.ndarray] = []
    for part in parts:
        remap = np.array([space.tags.index(t) for t in part.tag_names])
        columns = [sources.index(f"{part.name}/{s}") for s in part.source_names]
        for words, tags, votes in zip(part.tokens, part.tags, part.weak, strict=True):
            full = np.full((len(words), len(sources)), -1, dtype=np.int64)
            full[:, columns] = remap[votes]
            tokens.append(words)
            gold.append(tags)
            weak.append(full)
    return tokens, gold, weak, space, sources


def speed_table(nlp: Any, repeat: int) -> str:
    tokens, gold, weak, space, sources = speed_corpus()
    n_tokens = sum(len(t) for t in tokens)
    print(f"speed corpus: {len(tokens)} documents, {n_tokens} tokens, {len(sources)} sources")
    docs = make_docs(nlp, tokens, weak, space, sources)
    sk_tags, sk_seconds = run_skweak(docs, docs, list(space.types))
    sk_f1 = seqeval_f1(gold, sk_tags)
    print(f"skweak HMM: {sk_seconds:.1f} s, F1 {sk_f1:.2f}", flush=True)
    rows = [
        [
            "skweak HMM (defaults), fit + aggregate",
            f"{sk_seconds:.2f}",
            f"{n_tokens / sk_seconds:,.0f}",
            f"{sk_f1:.2f}",
            "1.0x",
        ]
    ]
    for name, make in [
        ("weaklabel HMM, fit + predict", lambda: HMM(tags=space.tags)),
        (
            "weaklabel SequenceLabelModel, fit + predict",
            lambda: SequenceLabelModel(tags=space.tags),
        ),
    ]:

        def run(make: Callable[[], BaseSequenceModel] = make) -> list[list[str]]:
            return make().fit(weak).predict(weak)

        tags, seconds = timed(run, repeat)
        f1 = seqeval_f1(gold, tags)
        print(f"{name}: {seconds:.2f} s, F1 {f1:.2f}", flush=True)
        rows.append(
            [
                name,
                f"{seconds:.2f}",
                f"{n_tokens / seconds:,.0f}",
                f"{f1:.2f}",
                f"{sk_seconds / seconds:.0f}x",
            ]
        )
    caption = (
        f"{len(tokens):,} documents, {n_tokens:,} tokens, {len(sources)} sources "
        f"(bc5cdr + laptopreview, every split; entity types {', '.join(space.types)}). "
        "Fit and aggregate on the same corpus; F1 against its gold tags. weaklabel: best "
        f"of {repeat} runs; skweak: one run (its defaults: 4 EM iterations)."
    )
    header = ["model", "seconds", "tokens / s", "entity F1", "speed-up"]
    return caption + "\n\n" + markdown_table(header, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs of weaklabel")
    args = parser.parse_args()
    import spacy

    nlp = spacy.blank("en")
    wrench_table, _ = f1_tables(nlp, "wrench")
    all_table, _ = f1_tables(nlp, "all")
    speed = speed_table(nlp, args.repeat)
    body = (
        "Entity-level F1 (seqeval, default mode) on the test split, every model fitted on "
        "the train split's weak labels only. skweak's HMM runs on spaCy Docs rebuilt from "
        "the same tokens with one `doc.spans[source]` per source, with its defaults. "
        "Published WRENCH numbers are quoted from the issue for reference.\n\n"
        '### F1, WRENCH\'s sources (`sources="wrench"`)\n\n'
        f"{wrench_table}\n\n"
        '### F1, every source of the set (`sources="all"`)\n\n'
        f"{all_table}\n\n"
        "### HMM speed against skweak\n\n"
        f"{speed}\n"
    )
    print(body)
    if not args.no_write:
        write_section("sequence", "Sequence label models against skweak", body)


if __name__ == "__main__":
    main()
