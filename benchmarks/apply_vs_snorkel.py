"""Apply speed: ``weaklabel.apply`` vs Snorkel's ``PandasLFApplier`` on the same heuristics.

The same eight keyword/regex heuristics, written the Snorkel way (Python functions called
once per row) and the weaklabel way (column sources matched in Arrow's RE2 engine), are
applied to the same N short texts; both label matrices must be identical. weaklabel's
row-by-row path (the same Python functions as ``@labeling_function``) is timed too.

Texts are real YouTube comments from ``../shared/data/raw/youtube_spam_collection``,
each suffixed with a random word so that no two rows are equal; without that folder a
synthetic vocabulary stands in.

Needs Snorkel: see ``benchmarks/README.md``. Run from the repository root::

    python benchmarks/apply_vs_snorkel.py --n 1000000
"""

from __future__ import annotations

import argparse
import gc
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

import weaklabel as wl
from weaklabel import ABSTAIN

try:
    from _results import markdown_table, write_section
except ImportError:  # run as a module
    from benchmarks._results import markdown_table, write_section

HAM, SPAM = 0, 1
RAW = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "raw"
    / "youtube_spam_collection"
)

# (name, kind, pattern or keywords, label): kind "keyword" = case-folded substring, as in
# Snorkel's tutorial (`any(w in x.text.lower() for w in keywords)`); "regex" = re.search
# with IGNORECASE.
HEURISTICS: list[tuple[str, str, object, int]] = [
    ("keyword_my", "keyword", ["my"], SPAM),
    ("keyword_subscribe", "keyword", ["subscribe"], SPAM),
    ("keyword_link", "keyword", ["http"], SPAM),
    ("keyword_please", "keyword", ["please", "plz"], SPAM),
    ("keyword_song", "keyword", ["song"], HAM),
    ("regex_check_out", "regex", r"check.*out", SPAM),
    ("regex_web", "regex", r"\bwww\.|\.com\b", SPAM),
    ("regex_praise", "regex", r"\b(?:love|amazing|best)\b", HAM),
]


def make_texts(n: int, seed: int = 0) -> list[str]:
    """N short texts: real comments (or a synthetic vocabulary) plus a random word."""
    rng = np.random.default_rng(seed)
    if RAW.is_dir():
        comments = pd.concat(pd.read_csv(p) for p in sorted(RAW.glob("*.csv")))["CONTENT"]
        base = comments.astype(str).tolist()
    else:
        vocab = ["check", "out", "my", "channel", "please", "subscribe", "love", "this"]
        vocab += ["song", "best", "video", "http", "www", "com"]
        base = [" ".join(rng.choice(vocab, 8)) for _ in range(2000)]
    words = [f"w{i}" for i in range(5000)]
    picks = rng.integers(0, len(base), n)
    tails = rng.integers(0, len(words), n)
    return [f"{base[i]} {words[j]}" for i, j in zip(picks, tails, strict=True)]


def python_functions() -> list:
    """The heuristics as plain Python functions f(x) -> label."""
    funcs = []
    for name, kind, spec, label in HEURISTICS:
        if kind == "keyword":

            def f(x, kws=tuple(spec), lab=label):  # type: ignore[no-untyped-def]
                text = x.text.lower()
                return lab if any(k in text for k in kws) else ABSTAIN
        else:
            rx = re.compile(str(spec), re.IGNORECASE)

            def f(x, rx=rx, lab=label):  # type: ignore[no-untyped-def]
                return lab if rx.search(x.text) else ABSTAIN

        f.__name__ = name
        funcs.append(f)
    return funcs


def weaklabel_sources() -> list:
    out = []
    for name, kind, spec, label in HEURISTICS:
        if kind == "keyword":
            out.append(wl.keyword_source(list(spec), label, name=name, whole_word=False))  # type: ignore[call-overload]
        else:
            out.append(wl.regex_source(str(spec), label, name=name))
    return out


def timed(fn):  # type: ignore[no-untyped-def]
    gc.collect()
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of texts")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()

    from snorkel.labeling import PandasLFApplier
    from snorkel.labeling import labeling_function as snorkel_lf

    texts = make_texts(args.n)
    df = pd.DataFrame({"text": texts})
    funcs = python_functions()

    snorkel_lfs = [snorkel_lf(name=f.__name__)(f) for f in funcs]
    L_snorkel, t_snorkel = timed(lambda: PandasLFApplier(snorkel_lfs).apply(df, progress_bar=False))
    print(f"snorkel PandasLFApplier: {t_snorkel:.2f} s")

    L_cols, t_cols = timed(lambda: wl.apply(weaklabel_sources(), df, progress=False))
    print(f"weaklabel column sources: {t_cols:.2f} s")
    lfs = [wl.labeling_function(name=f.__name__)(f) for f in funcs]
    L_rows, t_rows = timed(lambda: wl.apply(lfs, df, progress=False))
    print(f"weaklabel labeling functions: {t_rows:.2f} s")
    L_pool, t_pool = timed(lambda: wl.apply(lfs, df, progress=False, n_jobs=2))
    print(f"weaklabel labeling functions, n_jobs=2: {t_pool:.2f} s")

    for what, L in (
        ("column sources", L_cols),
        ("labeling functions", L_rows),
        ("n_jobs=2", L_pool),
    ):
        if not np.array_equal(L.to_numpy(np.int64), np.asarray(L_snorkel, dtype=np.int64)):
            diff = int((L.to_numpy(np.int64) != L_snorkel).sum())
            raise SystemExit(f"weaklabel ({what}) disagrees with Snorkel on {diff} votes")
    coverage = float(np.mean((L_snorkel != ABSTAIN).any(axis=1)))
    print(f"all matrices identical; coverage {coverage:.3f}")

    rows = [
        [
            "Snorkel 0.10 `PandasLFApplier`",
            f"{t_snorkel:.2f}",
            "1.0x",
            f"{args.n / t_snorkel:,.0f}",
        ],
        [
            "weaklabel column sources (`keyword_source`, `regex_source`)",
            f"{t_cols:.2f}",
            f"**{t_snorkel / t_cols:.1f}x**",
            f"{args.n / t_cols:,.0f}",
        ],
        [
            "weaklabel `@labeling_function` (same Python functions)",
            f"{t_rows:.2f}",
            f"{t_snorkel / t_rows:.1f}x",
            f"{args.n / t_rows:,.0f}",
        ],
        [
            "weaklabel `@labeling_function`, `n_jobs=2`",
            f"{t_pool:.2f}",
            f"{t_snorkel / t_pool:.1f}x",
            f"{args.n / t_pool:,.0f}",
        ],
    ]
    body = (
        f"{args.n:,} short texts (real YouTube comments, each with a random word appended), "
        f"{len(HEURISTICS)} keyword/regex heuristics (5 keyword, 3 regex); all four label "
        f"matrices are identical (coverage {coverage:.3f}).\n\n"
        + markdown_table(["applier", "seconds", "speed-up vs Snorkel", "texts/s"], rows)
    )
    if not args.no_write:
        print("wrote", write_section("apply", "Applying sources: weaklabel vs Snorkel", body))
    print(body)


if __name__ == "__main__":
    main()
