"""Label 10 million texts through Dask: apply, fit from merged statistics, predict.

A synthetic three-topic corpus (SPORTS / TECH / FOOD, with a gold label per row) is
generated *inside* the Dask graph, partition by partition from a seed, so the texts never
exist on the client. Ten keyword, regex and lexicon sources label it on a two-worker
``LocalCluster``; the workers return only the statistics (distinct vote patterns with
counts), from which MajorityVote and LabelModel are fitted on the client; predictions are
computed per partition and written to Parquet, then read back to score them against the
gold labels.

Reported: wall time per stage, the number of distinct vote patterns, accuracy, and the
peak RSS of the client (which also hosts the scheduler) and of each worker, next to the
size of the dense ``n x m`` matrix that no process ever holds. Run from the repository
root::

    python benchmarks/dask_10m.py                  # 10M rows, 100 partitions
    python benchmarks/dask_10m.py --rows 200000 --no-write   # a quick check
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

import weaklabel as wl

try:
    from _results import markdown_table, write_section
except ImportError:  # run as a module
    from benchmarks._results import markdown_table, write_section

T = TypeVar("T")
CLASSES = ("SPORTS", "TECH", "FOOD")
SEED = 2024


def _words(text: str) -> list[str]:
    return text.split()


# cue words per class; a cue token comes from the row's own class 80% of the time
CUES: dict[str, list[str]] = {
    "SPORTS": _words("match goal team league coach season score striker referee playoff"),
    "TECH": _words("software laptop app cloud battery update screen chip server browser"),
    "FOOD": _words("recipe dinner spicy bake taste kitchen menu sauce flavor oven"),
}
FILLER = _words(
    "the a an and or but so very really quite just also then now today yesterday here "
    "there this that these those it its we you they i my our your their was is are were "
    "be been good bad new old big small long short first last great little own other "
    "same right best next early young important few public able about above after again "
    "against all almost along already always among any around back because before being "
    "below between both came come could day did does done down each even ever every find "
    "from gave get give go going got had has have having high how if in into know like "
    "look made make many may more most much must never no not of off on once only out over "
    "people place put said say see seem should show since some still such take tell than "
    "thing think though through time too under until up us use want way well what when "
    "where which while who why will with without work would year"
)


def make_partition(index: int, rows: int, seed: int = SEED) -> pd.DataFrame:
    """Partition ``index`` of the corpus: ``rows`` texts with their gold topic.

    Built 10,000 rows at a time, so that generating a partition takes little memory.

    Parameters
    ----------
    index : int
        Partition number; with ``seed`` it determines the content.
    rows : int
    seed : int

    Returns
    -------
    pandas.DataFrame with columns ``text`` (str) and ``gold`` (int8), ``rows`` rows
    """
    rng = np.random.default_rng([seed, index])
    texts: list[str] = []
    golds: list[np.ndarray] = []
    for start in range(0, rows, 10_000):
        gold = rng.integers(0, len(CLASSES), min(10_000, rows - start))
        texts += _texts(rng, gold)
        golds.append(gold.astype(np.int8))
    frame = pd.DataFrame(
        {
            "text": pd.Series(texts, dtype="string[pyarrow]"),
            "gold": np.concatenate(golds) if golds else np.zeros(0, np.int8),
        }
    )
    frame.index = pd.RangeIndex(index * rows, (index + 1) * rows)
    return frame


def _texts(rng: np.random.Generator, gold: np.ndarray) -> list[str]:
    """One text per gold label: filler words, topic cues (20% from another topic), extras."""
    rows, k, width = len(gold), len(CLASSES), 14
    filler = np.array(FILLER, dtype=object)
    cues = np.array([CUES[c] for c in CLASSES], dtype=object)  # (k, n_cues)
    tokens = filler[rng.integers(0, len(filler), (rows, width))]
    is_cue = rng.random((rows, width)) < 0.12
    own = rng.random((rows, width)) < 0.8
    other = (gold[:, None] + rng.integers(1, k, (rows, width))) % k
    cue_class = np.where(own, gold[:, None], other)
    cue_word = rng.integers(0, cues.shape[1], (rows, width))
    tokens[is_cue] = cues[cue_class[is_cue], cue_word[is_cue]]
    # class-specific shapes for the regex sources, with some noise across classes
    extra = np.full(rows, "", dtype=object)
    draw = rng.random(rows)
    sports, tech, food = gold == 0, gold == 1, gold == 2
    extra[sports & (draw < 0.15)] = "final score 3-1"
    extra[tech & (draw < 0.12)] = "v2.4 released"
    extra[(food & (draw < 0.15)) | (tech & (draw > 0.96))] = "only $12"
    lengths = rng.integers(5, width + 1, rows)
    return [
        " ".join(row[:n]) + (" " + tail if tail else "")
        for row, n, tail in zip(tokens.tolist(), lengths.tolist(), extra.tolist(), strict=True)
    ]


def sources() -> list[Any]:
    """Ten column sources: six keyword lists, three regexes, one lexicon."""
    sports, tech, food = (CUES[c] for c in CLASSES)
    return [
        wl.keyword_source(sports[:4], "SPORTS", name="kw_sports"),
        wl.keyword_source(sports[4:7], "SPORTS", name="kw_sports_2"),
        wl.keyword_source(tech[:4], "TECH", name="kw_tech"),
        wl.keyword_source(tech[4:7], "TECH", name="kw_tech_2"),
        wl.keyword_source(food[:4], "FOOD", name="kw_food"),
        wl.keyword_source(food[4:7], "FOOD", name="kw_food_2"),
        wl.regex_source(r"\b\d+-\d+\b", "SPORTS", name="re_score"),
        wl.regex_source(r"\bv\d+\.\d+\b", "TECH", name="re_version"),
        wl.regex_source(r"\$\d+", "FOOD", name="re_price"),
        wl.lexicon_source(
            {w: c for c in CLASSES for w in CUES[c][7:]}, name="lexicon", negation=None
        ),
    ]


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def peak_rss_mib() -> float:
    """Peak resident set size of the calling process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


def warm_up() -> int:
    """Import and exercise what a task uses, so the baseline RSS includes the libraries."""
    frame = make_partition(0, 2_000, seed=0)
    return wl.apply(sources(), frame, label_names=CLASSES, progress=False).n_examples


def size(n_bytes: float) -> str:
    if n_bytes < 2**20:
        return f"{n_bytes / 1024:,.1f} KiB"
    return f"{n_bytes / 2**20:,.1f} MiB"


@dataclass
class Run:
    """What one run measured."""

    n_rows: int
    partitions: int
    rows_per_part: int
    stages: list[tuple[str, float]] = field(default_factory=list)
    stats: Any = None
    accuracy: dict[str, float] = field(default_factory=dict)
    parquet_bytes: int = 0
    rss: dict[str, tuple[float, float]] = field(default_factory=dict)  # process -> base, peak


def run(partitions: int, rows_per_part: int) -> Run:
    """Start a fresh two-worker cluster, label the corpus, fit, predict, score."""
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    out = Run(partitions * rows_per_part, partitions, rows_per_part)

    def start() -> tuple[LocalCluster, Client]:
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        return cluster, Client(cluster)

    (cluster, client), t_start = timed(start)
    out.stages.append(("start LocalCluster (2 worker processes)", t_start))
    out_dir = Path(tempfile.mkdtemp(prefix="weaklabel-dask-"))
    try:
        warm_up()
        client.run(warm_up)
        base_client = current_rss_mib()
        base_workers = client.run(current_rss_mib)

        ddf = dd.from_map(
            make_partition, range(partitions), rows=rows_per_part, meta=make_partition(0, 0)
        )
        L = wl.apply(sources(), ddf, label_names=CLASSES)  # lazy
        out.stats, t = timed(L.stats)
        out.stages.append(("apply + statistics (texts generated on the workers)", t))
        mv, t = timed(lambda: wl.MajorityVote().fit(out.stats))
        out.stages.append(("fit MajorityVote from the statistics", t))
        lm, t = timed(lambda: wl.LabelModel().fit(out.stats))
        out.stages.append(("fit LabelModel from the statistics", t))

        labeled = ddf.assign(mv=L.predict(mv), lm=L.predict(lm))[["gold", "mv", "lm"]]
        _, t = timed(lambda: labeled.to_parquet(out_dir / "preds", write_index=False))
        out.stages.append(("predict (both models, one labeling pass) + write Parquet", t))

        def score() -> Any:
            preds = dd.read_parquet(out_dir / "preds")
            hits = preds.assign(mv=preds["mv"] == preds["gold"], lm=preds["lm"] == preds["gold"])
            return hits[["mv", "lm"]].sum().compute(), len(preds)

        (hits, n_written), t = timed(score)
        out.stages.append(("accuracy against gold, read back from Parquet", t))
        assert n_written == out.n_rows == out.stats.n_examples
        out.accuracy = {name: float(hits[name]) / out.n_rows for name in ("mv", "lm")}
        out.parquet_bytes = sum(p.stat().st_size for p in (out_dir / "preds").glob("*"))

        peak_workers = client.run(peak_rss_mib)
        out.rss["client (+ scheduler)"] = (base_client, peak_rss_mib())
        for i, addr in enumerate(sorted(peak_workers)):
            out.rss[f"worker {i + 1}"] = (base_workers[addr], peak_workers[addr])
    finally:
        client.close()
        cluster.close()
        shutil.rmtree(out_dir, ignore_errors=True)
    return out


def report(full: Run, reference: Run) -> str:
    """The Markdown section: stages, facts, memory at both sizes."""
    stats, m = full.stats, full.stats.n_sources
    total = sum(t for _, t in full.stages)
    stages = [[name, f"{t:.2f}" if t < 1 else f"{t:.1f}"] for name, t in full.stages]
    stages.append(["**total**", f"**{total:.1f}**"])
    dense_int8 = full.n_rows * m
    dense_apply = full.n_rows * m * 9  # apply's int64 columns + the int8 matrix
    covered = stats.counts[(stats.rows >= 0).any(axis=1)].sum() / full.n_rows
    facts = [
        ["rows x sources", f"{full.n_rows:,} x {m}"],
        ["partitions x rows", f"{full.partitions} x {full.rows_per_part:,}"],
        ["distinct vote patterns (all the client receives)", f"{stats.n_patterns:,}"],
        [
            "statistics on the client (patterns + counts)",
            size(stats.rows.nbytes + stats.counts.nbytes),
        ],
        ["coverage (rows with at least one vote)", f"{covered:.1%}"],
        ["accuracy vs gold: MajorityVote", f"{full.accuracy['mv']:.4f}"],
        ["accuracy vs gold: LabelModel", f"{full.accuracy['lm']:.4f}"],
        ["dense matrix, int8 (never built)", size(dense_int8)],
        ["dense matrix as in-memory `apply` builds it (int64 columns + int8)", size(dense_apply)],
        ["largest vote block on any process (one partition, int8)", size(full.rows_per_part * m)],
        ["predictions written (Parquet: gold, mv, lm)", size(full.parquet_bytes)],
    ]
    memory = []
    for name, (base, peak) in full.rss.items():
        ref_base, ref_peak = reference.rss[name]
        memory.append(
            [
                name,
                f"{ref_base:,.0f}",
                f"{ref_peak:,.0f} ({ref_peak - ref_base:+,.0f})",
                f"{base:,.0f}",
                f"{peak:,.0f} ({peak - base:+,.0f})",
            ]
        )
    growth = max(peak - base for base, peak in full.rss.values())
    ref_growth = max(peak - base for base, peak in reference.rss.values())
    n, r = f"{full.n_rows / 1e6:g}M", f"{reference.n_rows / 1e6:g}M"
    return "\n\n".join(
        [
            f"`weaklabel.apply` on a Dask DataFrame of {full.n_rows:,} synthetic texts (three "
            f"topics, gold labels), {m} keyword/regex/lexicon sources, on a "
            "`LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`. The texts are "
            "generated inside the graph (`dd.from_map`, from a seed per partition) and never "
            "reach the client; the workers return only `LabelStats` (tree-merged); the models "
            "fit from the merged statistics on the client; predictions are computed per "
            "partition and written to Parquet.",
            markdown_table(["stage", "wall time (s)"], stages),
            markdown_table(["", "value"], facts),
            f"Memory of each process (MiB; growth over the baseline in brackets), at {r} rows "
            f"and at {n} rows with the same partition size, each on a fresh cluster. The "
            "baseline is taken after importing the libraries and labeling 2,000 rows in "
            "every process.",
            markdown_table(
                [
                    "process",
                    f"baseline, {r}",
                    f"peak RSS, {r}",
                    f"baseline, {n}",
                    f"peak RSS, {n}",
                ],
                memory,
            ),
            f"No process held the dense matrix: peak memory does not grow with the number of "
            f"rows (largest growth {ref_growth:,.0f} MiB at {r} rows, {growth:,.0f} MiB at {n}), "
            f"because a worker holds one partition at a time (its texts, the Arrow copies "
            f"`apply` makes, and {size(full.rows_per_part * m)} of votes) and the client holds "
            f"{stats.n_patterns:,} patterns. The dense matrix would take {size(dense_int8)} as "
            f"int8 and {size(dense_apply)} as the in-memory `apply` builds it, before the "
            "texts.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="number of texts")
    parser.add_argument("--partition-rows", type=int, default=100_000, help="rows per partition")
    parser.add_argument(
        "--reference-rows", type=int, default=1_000_000, help="smaller run, for memory"
    )
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()

    per = args.partition_rows
    reference = run(max(1, -(-args.reference_rows // per)), per)
    print(f"reference run: {reference.n_rows:,} rows, {reference.rss}")
    full = run(max(1, -(-args.rows // per)), per)
    body = report(full, reference)
    print(body)
    if not args.no_write:
        title = f"Labeling {full.n_rows / 1e6:g}M texts through Dask"
        print("wrote", write_section("dask", title, body))


if __name__ == "__main__":
    main()
