"""Label models on a wide corpus: hundreds of synthetic shapes and every real set here.

Why: a label model tuned to three WRENCH sets is tuned to three sets. This harness scores
every model on a corpus wide enough that tuning to it is generalising (issue 9, item 1):

- the synthetic corpus of :func:`weaklabel.datasets.synthetic.corpus` (239 matrices in 16
  families: class imbalance, 3-20 classes, sparse coverage, one-sided sources,
  class-dependent accuracy, copies, errors shared through the rows' difficulty, coin-flip
  and adversarial sources, tabular full coverage, and look-alikes of five shapes where
  label models fail in practice), fitted on the train part of each draw and scored on the
  test part;
- the WRENCH classification sets (``../shared/data/wrench/classification``; fit on
  train, score on test; F1 of class 1 for the sets in ``label_models.F1_DATASETS``,
  accuracy otherwise);
- the raw UCI YouTube spam comments (``../shared/data/raw/youtube_spam_collection``)
  labelled by ten sources written here with weaklabel (keywords, regexes, labeling
  functions and VADER as a broad noisy source), leave one file out (fit on four files,
  score the fifth) and all five files (fit and score on all rows);
- the demo review corpus with the demo's own sources (fit and score on all 400 rows);
- sentence-level matrices derived from WRENCH's NER sets: "does the sentence mention a
  Chemical / a Disease" (bc5cdr) or "an aspect term" (laptopreview), where each tagging
  source votes *yes* when it tagged an entity of that type in the sentence and abstains
  otherwise (one-sided, as such sources are), scored by F1 of *yes*; and "which type does
  the sentence mention more, Chemical or Disease" (bc5cdr sentences with an entity),
  where each source votes the type it tagged more often, scored by accuracy.

Models are called by name, so the harness re-runs unchanged as they change: every
weaklabel label model (``cls(cardinality=k, seed=0).fit(L_train).predict(L_test)``), and
the peers -- Snorkel 0.10's ``LabelModel`` at its defaults (``fit(L_train, seed=0)``,
``predict(L_test, tie_break_policy="random")``) and ``MajorityLabelVoter``, HyperLM
(transductive: inferred on the train and test rows stacked, scored on the test rows) and
FlyingSquid (binary matrices with at most 150 sources; it takes minutes beyond).

Each (model, family) runs in a worker process under ``--python`` (default
``../peers/bin/python``) with one thread, ``--jobs`` at a time, and a per-matrix
``--timeout``: a matrix that hangs is killed and recorded, and the worker restarts on the
next one. Peer results are cached in ``benchmarks/.cache/label_models_wide/`` keyed by a
hash of the matrices (train votes, test votes, gold, metric), so a re-run after a
weaklabel change recomputes only the weaklabel models. Reported per family and overall:
each model's mean score, its mean and worst gap to ``MajorityVote``, and its mean and
worst gap to the best model on the same matrix; then every real set.

Run from the repository root::

    python benchmarks/label_models_wide.py                     # all; writes RESULTS.md
    python benchmarks/label_models_wide.py --small --only LabelModel   # quick iteration
    python benchmarks/label_models_wide.py --families like-hub,sparse,real
    python benchmarks/label_models_wide.py --no-peers          # weaklabel models only

Partial runs (``--small``, ``--only``, ``--families``) print their tables and leave
RESULTS.md alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

try:
    from _results import markdown_table, write_section
    from label_models import F1_DATASETS, WEAKLABEL_MODELS
except ImportError:  # run as a module
    from benchmarks._results import markdown_table, write_section
    from benchmarks.label_models import F1_DATASETS, WEAKLABEL_MODELS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
WRENCH = DATA / "wrench" / "classification"
WRENCH_SEQ = DATA / "wrench" / "seq_tagging"
YOUTUBE_RAW = DATA / "raw" / "youtube_spam_collection"
PEERS_PYTHON = ROOT.parent / "peers" / "bin" / "python"
CACHE = Path(__file__).resolve().with_name(".cache") / "label_models_wide"

PEER_MODELS = ["snorkel.LabelModel", "snorkel.MajorityLabelVoter", "hyperlm", "flyingsquid"]
REFERENCE = "MajorityVote"
FLYINGSQUID_MAX_SOURCES = 150
# Bump when a peer's version or the way it is called changes: the cache is keyed by it.
PEER_CACHE_TAG = "snorkel-0.10.0_hyperlm-0.0.5_flyingsquid-0.0.0a0_v1"
REAL_FAMILIES = ["wrench", "youtube-lofo", "demo", "ner"]
THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "PYTHONWARNINGS": "ignore",
}


# ============================================================================ real matrices
def youtube_sources() -> list[Any]:
    """Ten sources for YouTube spam, written from what a reader of the comments sees."""
    import weaklabel as wl
    from weaklabel import ABSTAIN

    @wl.labeling_function()
    def short_comment(x: Any) -> str | int:
        return "HAM" if len(x.text.split()) <= 5 else ABSTAIN

    @wl.labeling_function()
    def shouting(x: Any) -> str | int:
        letters = [c for c in x.text if c.isalpha()]
        upper = sum(c.isupper() for c in letters)
        return "SPAM" if len(letters) >= 20 and upper > 0.5 * len(letters) else ABSTAIN

    return [
        wl.keyword_source(
            [
                *("check out", "check my", "my channel", "my videos", "my video"),
                *("subscribe", "sub to", "my page"),
            ],
            "SPAM",
            name="kw_self_promo",
        ),
        wl.regex_source(r"https?://|www\.|\.com\b", "SPAM", name="re_link"),
        wl.keyword_source(
            ["free", "win", "earn", "money", "cash", "gift card", "giveaway", "dollars"],
            "SPAM",
            name="kw_money",
        ),
        wl.keyword_source(
            ["please like", "thumbs up", "share this", "like this comment", "follow me"],
            "SPAM",
            name="kw_please",
        ),
        shouting,
        short_comment,
        wl.keyword_source(
            ["song", "love this", "music", "lyrics", "voice", "dance", "beautiful", "best"],
            "HAM",
            name="kw_song",
        ),
        wl.regex_source(r"\b(?:20[01]\d|billion|views)\b", "HAM", name="re_years_views"),
        wl.keyword_source(
            ["psy", "katy", "eminem", "rihanna", "shakira", "lmfao", "gangnam", "waka"],
            "HAM",
            name="kw_artist",
        ),
        wl.Lexicon.from_vader(positive="HAM", negative="SPAM").as_source("vader"),
    ]


def _real(
    name: str, family: str, metric: str, k: int, L_train: Any, L_test: Any, y_test: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "shape": family,
        "metric": metric,
        "k": int(k),
        "arrays": (
            np.ascontiguousarray(L_train, dtype=np.int8),
            np.ascontiguousarray(L_test, dtype=np.int8),
            np.asarray(y_test, dtype=np.int64),
        ),
    }


def wrench_matrices() -> list[dict[str, Any]]:
    """Every WRENCH classification folder here: fit on train, score on test."""
    from weaklabel.datasets.wrench import load_wrench

    out = []
    for folder in sorted(p for p in WRENCH.iterdir() if (p / "label.json").is_file()):
        train, test = load_wrench(folder, "train"), load_wrench(folder, "test")
        metric = "f1" if folder.name in F1_DATASETS else "accuracy"
        out.append(
            _real(
                f"wrench/{folder.name}",
                "wrench",
                metric,
                train.cardinality,
                train.L.values,
                test.L.values,
                test.y,
            )
        )
    return out


def youtube_matrices() -> list[dict[str, Any]]:
    """The raw YouTube comments: leave one file out, and all five files."""
    import pandas as pd

    import weaklabel as wl

    files = sorted(YOUTUBE_RAW.glob("Youtube0*.csv"))
    frames = [pd.read_csv(f).assign(file=f.stem.split("-")[-1]) for f in files]
    df = pd.concat(frames, ignore_index=True)
    df["text"] = df["CONTENT"].astype(str)
    L = wl.apply(youtube_sources(), df, label_names=["HAM", "SPAM"], progress=False).values
    y = df["CLASS"].to_numpy(np.int64)
    out = []
    for held_out in df["file"].unique():
        test = (df["file"] == held_out).to_numpy()
        out.append(
            _real(
                f"youtube-lofo/{held_out}",
                "youtube-lofo",
                "accuracy",
                2,
                L[~test],
                L[test],
                y[test],
            )
        )
    out.append(_real("youtube-lofo/all-5-files", "youtube-lofo", "accuracy", 2, L, L, y))
    return out


def demo_matrix() -> list[dict[str, Any]]:
    """The demo reviews with the demo's sources: fit and score on all 400 rows."""
    import weaklabel as wl
    from weaklabel.datasets.demo import DEMO_LABELS, load_demo_reviews
    from weaklabel.demo import demo_sources

    reviews = load_demo_reviews()
    L = wl.apply(demo_sources(), reviews, label_names=list(DEMO_LABELS), progress=False).values
    y = reviews["label"].map({name: i for i, name in enumerate(DEMO_LABELS)}).to_numpy(np.int64)
    return [_real("demo/reviews", "demo", "accuracy", 2, L, L, y)]


def _sentences(tokens: list[str]) -> list[slice]:
    """Token ranges of the sentences of a document, split after each '.' token."""
    cuts, start = [], 0
    for i, token in enumerate(tokens):
        if token == ".":
            cuts.append(slice(start, i + 1))
            start = i + 1
    if start < len(tokens):
        cuts.append(slice(start, len(tokens)))
    return cuts


def _sentence_votes(data: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence: gold entity counts (n, T) and each source's tag counts (n, m, T)."""
    types = list(data.entity_types)
    type_of = np.full(len(data.tag_names), -1)
    for t, tag in enumerate(data.tag_names):
        if tag != "O":
            type_of[t] = types.index(tag[2:])
    gold_rows, weak_rows = [], []
    for tokens, tags, weak in zip(data.tokens, data.tags, data.weak, strict=True):
        gold_types = np.array([types.index(t[2:]) if t != "O" else -1 for t in tags])
        is_begin = np.array([t.startswith("B-") for t in tags])
        for cut in _sentences(tokens):
            g = gold_types[cut][is_begin[cut]]
            gold_rows.append(np.bincount(g, minlength=len(types)))
            w = type_of[weak[cut]]  # (tokens, m): entity type tagged, -1 for O
            counts = np.stack([(w == t).sum(axis=0) for t in range(len(types))], axis=1)
            weak_rows.append(counts)
    return np.array(gold_rows), np.array(weak_rows)


def ner_matrices() -> list[dict[str, Any]]:
    """Sentence-level classification matrices derived from WRENCH's NER sets."""
    from weaklabel.datasets.wrench_seq import load_wrench_seq

    out = []
    for dataset in ("bc5cdr", "laptopreview"):
        folder = WRENCH_SEQ / dataset
        if not folder.is_dir():
            continue
        train = load_wrench_seq(folder, "train", sources="all")
        test = load_wrench_seq(folder, "test", sources="all")
        (gold_tr, weak_tr), (gold_te, weak_te) = _sentence_votes(train), _sentence_votes(test)
        for t, entity in enumerate(train.entity_types):
            # sources that ever tag this type; vote yes (1) where they tag it, else abstain
            fires = (weak_tr[:, :, t] > 0).any(axis=0) | (weak_te[:, :, t] > 0).any(axis=0)
            L_tr = np.where(weak_tr[:, fires, t] > 0, 1, -1)
            L_te = np.where(weak_te[:, fires, t] > 0, 1, -1)
            y_te = (gold_te[:, t] > 0).astype(np.int64)
            out.append(_real(f"ner/{dataset}-has-{entity}", "ner", "f1", 2, L_tr, L_te, y_te))
        if len(train.entity_types) == 2:
            # which type is mentioned more: 0 = first type, 1 = second; ties left out
            def dominant(gold: np.ndarray, weak: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                keep = gold[:, 0] != gold[:, 1]
                votes = np.select(
                    [weak[:, :, 0] > weak[:, :, 1], weak[:, :, 1] > weak[:, :, 0]], [0, 1], -1
                )
                return votes[keep], (gold[keep, 1] > gold[keep, 0]).astype(np.int64)

            L_tr, _ = dominant(gold_tr, weak_tr)
            L_te, y_te = dominant(gold_te, weak_te)
            fires = (L_tr >= 0).any(axis=0) | (L_te >= 0).any(axis=0)
            a, b = train.entity_types
            out.append(
                _real(
                    f"ner/{dataset}-{a}-or-{b}",
                    "ner",
                    "accuracy",
                    2,
                    L_tr[:, fires],
                    L_te[:, fires],
                    y_te,
                )
            )
    return out


def real_matrices(families: set[str]) -> list[dict[str, Any]]:
    """The real matrices of the requested families (those whose data is here)."""
    builders = {
        "wrench": (WRENCH, wrench_matrices),
        "youtube-lofo": (YOUTUBE_RAW, youtube_matrices),
        "demo": (None, demo_matrix),
        "ner": (WRENCH_SEQ, ner_matrices),
    }
    out: list[dict[str, Any]] = []
    for family, (folder, build) in builders.items():
        if family not in families:
            continue
        if folder is not None and not folder.is_dir():
            print(f"skipping {family}: no {folder}", flush=True)
            continue
        out += build()
    return out


# ============================================================================ items
def matrix_hash(L_train: np.ndarray, L_test: np.ndarray, y_test: np.ndarray, metric: str) -> str:
    """The cache key of a matrix: its votes, gold and metric."""
    digest = hashlib.sha1()
    for array in (L_train, L_test, y_test):
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(array.tobytes())
    digest.update(metric.encode())
    return digest.hexdigest()[:20]


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "__", name) + ".npz"


def build_items(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every matrix of the run, with its family, metric, size and hash.

    Real matrices are written to ``CACHE/matrices`` for the workers; synthetic ones are
    regenerated in the workers from the corpus seed (they are cheap to draw).
    """
    from weaklabel.datasets.synthetic import SHAPES, corpus

    wanted = set(args.families.split(",")) if args.families else set(SHAPES) | {"real"}
    unknown = wanted - set(SHAPES) - set(REAL_FAMILIES) - {"real", "synthetic"}
    if unknown:
        raise SystemExit(
            f"unknown families {sorted(unknown)}; choose from "
            f"{[*SHAPES, *REAL_FAMILIES]}, real, synthetic"
        )
    if "synthetic" in wanted:
        wanted |= set(SHAPES)
    if "real" in wanted:
        wanted |= set(REAL_FAMILIES)
    items: list[dict[str, Any]] = []
    for item in corpus(seed=args.seed, size="small" if args.small else "full"):
        if item.shape not in wanted:
            continue
        train, test = item.generate()
        items.append(
            {
                "name": item.name,
                "shape": item.shape,
                "metric": item.metric,
                "k": item.cardinality,
                "n_sources": train.n_sources,
                "synthetic": True,
                "hash": matrix_hash(train.L, test.L, test.y, item.metric),
            }
        )
    folder = CACHE / "matrices"
    folder.mkdir(parents=True, exist_ok=True)
    for real in real_matrices(wanted):
        L_train, L_test, y_test = real.pop("arrays")
        path = folder / _file_name(real["name"])
        np.savez_compressed(path, L_train=L_train, L_test=L_test, y_test=y_test, k=real["k"])
        real.update(
            n_sources=int(L_train.shape[1]),
            synthetic=False,
            path=str(path),
            hash=matrix_hash(L_train, L_test, y_test, real["metric"]),
            rows=f"{L_train.shape[0]} / {L_test.shape[0]}",
        )
        items.append(real)
    return items


# ============================================================================ worker
def _load(item: dict[str, Any], corpus_items: dict[str, Any]) -> tuple[Any, Any, Any, int]:
    if item["synthetic"]:
        train, test = corpus_items[item["name"]].generate()
        return train.L, test.L, test.y, train.cardinality
    data = np.load(item["path"])
    return data["L_train"], data["L_test"], data["y_test"], int(data["k"])


def _weaklabel_class(name: str) -> Any:
    import weaklabel
    import weaklabel.models

    return getattr(weaklabel, name, None) or getattr(weaklabel.models, name)


def prepare(model: str) -> None:
    """Import what ``model`` needs, so that the timings leave the imports out."""
    if model.startswith("snorkel.") or model == "hyperlm":
        import torch

        torch.set_num_threads(1)
        if model == "hyperlm":
            import hyperlm  # noqa: F401
        else:
            import snorkel.labeling.model  # noqa: F401
    elif model == "flyingsquid":
        setattr(np, "product", np.prod)  # noqa: B010
        import flyingsquid.label_model  # noqa: F401
    else:
        _weaklabel_class(model)
    import weaklabel.metrics
    import weaklabel.models  # noqa: F401


def fit_predict(model: str, L_train: np.ndarray, L_test: np.ndarray, k: int) -> np.ndarray:
    """Fit ``model`` (a weaklabel class name or a peer) on ``L_train``, predict ``L_test``."""
    if model == "snorkel.LabelModel":
        from snorkel.labeling.model import LabelModel as SnorkelLabelModel

        lm = SnorkelLabelModel(cardinality=k, verbose=False)
        lm.fit(L_train, seed=0, progress_bar=False)
        return np.asarray(lm.predict(L_test, tie_break_policy="random"))
    if model == "snorkel.MajorityLabelVoter":
        from snorkel.labeling.model import MajorityLabelVoter

        return np.asarray(
            MajorityLabelVoter(cardinality=k).predict(L_test, tie_break_policy="random")
        )
    if model == "hyperlm":
        return _hyperlm(L_train, L_test, k)
    if model == "flyingsquid":
        return _flyingsquid(L_train, L_test)
    fitted = _weaklabel_class(model)(cardinality=k, seed=0).fit(L_train)
    return np.asarray(fitted.predict(L_test))


def _hyperlm(L_train: np.ndarray, L_test: np.ndarray, k: int) -> np.ndarray:
    """HyperLM, transductive: infer on train and test stacked, keep the test rows."""
    import functools

    import torch

    from weaklabel.models import probs_to_preds

    if not getattr(torch.load, "_weaklabel_wrapped", False):
        # torch >= 2.6 refuses the packaged checkpoint unless weights_only=False
        wrapped = functools.partial(torch.load, weights_only=False)
        wrapped._weaklabel_wrapped = True  # type: ignore[attr-defined]
        torch.load = wrapped
    from hyperlm import HyperLabelModel

    L = np.vstack([L_train, L_test]).astype(np.int64)
    voted = np.flatnonzero((L >= 0).any(axis=1))
    if voted.size == 0:  # nothing to infer from: every row is a tie
        return probs_to_preds(np.full((L_test.shape[0], k), 1.0 / k))
    # its sparse input drops trailing rows without votes: keep a voted row last
    order = np.arange(L.shape[0])
    order[[voted[-1], -1]] = order[[-1, voted[-1]]]
    preds_permuted = np.asarray(HyperLabelModel().infer(L[order]))
    preds = np.empty_like(preds_permuted)
    preds[order] = preds_permuted
    return preds[L_train.shape[0] :]


def _flyingsquid(L_train: np.ndarray, L_test: np.ndarray) -> np.ndarray:
    """FlyingSquid (binary): fit on train, predict each distinct test row once."""
    setattr(np, "product", np.prod)  # removed in numpy 2; pgmpy 0.1.11 calls it  # noqa: B010
    from flyingsquid.label_model import LabelModel as FSLabelModel

    from weaklabel.models import probs_to_preds

    def signed(L: np.ndarray) -> np.ndarray:  # {-1 abstain, 0, 1} -> {0, -1, +1}
        return np.select([L == 0, L == 1], [-1, 1], 0).astype(np.int64)

    fs = FSLabelModel(L_train.shape[1])
    fs.fit(signed(L_train))
    unique, inverse = np.unique(signed(L_test), axis=0, return_inverse=True)
    proba = np.asarray(fs.predict_proba_marginalized(unique), dtype=np.float64).reshape(-1)
    proba = np.where(np.isfinite(proba), proba, 0.5)[inverse.reshape(-1)]
    return probs_to_preds(np.column_stack([1 - proba, proba]))


def score(y: np.ndarray, preds: np.ndarray, metric: str) -> float:
    """100 x F1 of class 1, or 100 x accuracy (a predicted -1 counts as wrong)."""
    from weaklabel import metrics

    if metric == "f1":
        return 100 * metrics.f1_score(y, preds)
    return 100 * metrics.accuracy(y, preds)


def worker() -> None:
    """Read a unit from stdin; print one JSON line per matrix as it is done."""
    spec = json.loads(sys.stdin.read())
    prepare(spec["model"])
    corpus_items: dict[str, Any] = {}
    if any(item["synthetic"] for item in spec["items"]):
        from weaklabel.datasets.synthetic import corpus

        corpus_items = {i.name: i for i in corpus(seed=spec["seed"], size=spec["size"])}
    for item in spec["items"]:
        answer: dict[str, Any] = {"name": item["name"]}
        try:
            L_train, L_test, y_test, k = _load(item, corpus_items)
            answer["hash"] = matrix_hash(L_train, L_test, y_test, item["metric"])
            start = time.perf_counter()
            preds = fit_predict(spec["model"], L_train, L_test, k)
            answer["seconds"] = time.perf_counter() - start
            if preds.shape != y_test.shape:
                raise ValueError(f"{preds.shape[0]} predictions for {y_test.shape[0]} rows")
            answer["score"] = score(y_test, preds, item["metric"])
        except Exception as exc:  # reported, not fatal: the next matrix still runs
            answer["error"] = f"{type(exc).__name__}: {exc}"[:200]
        print(json.dumps(answer), flush=True)


# ============================================================================ parent
def applies(model: str, item: dict[str, Any]) -> str | None:
    """Why ``model`` does not run on ``item`` (None when it does)."""
    if model == "flyingsquid":
        if item["k"] != 2:
            return "binary only"
        if item["n_sources"] > FLYINGSQUID_MAX_SOURCES:
            return f"> {FLYINGSQUID_MAX_SOURCES} sources"
    return None


class PeerCache:
    """Peer results on disk, one JSON file per peer, keyed by matrix hash."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "peers"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.data: dict[str, dict[str, Any]] = {}

    def _file(self, model: str) -> Path:
        return self.folder / f"{model}__{PEER_CACHE_TAG}.json"

    def get(self, model: str, key: str) -> dict[str, Any] | None:
        with self.lock:
            if model not in self.data:
                file = self._file(model)
                self.data[model] = json.loads(file.read_text()) if file.exists() else {}
            return self.data[model].get(key)

    def put(self, model: str, key: str, result: dict[str, Any]) -> None:
        with self.lock:
            self.data.setdefault(model, {})[key] = result
            file = self._file(model)
            tmp = file.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data[model], indent=0, sort_keys=True))
            os.replace(tmp, file)


def run_unit(
    python: str,
    model: str,
    items: list[dict[str, Any]],
    args: argparse.Namespace,
    on_result: Callable[[str, dict[str, Any]], None],
) -> None:
    """Run ``model`` on ``items`` in worker processes, handing each result to ``on_result``.

    A matrix that takes longer than ``args.timeout`` is recorded as a timeout, its worker
    killed, and a new worker starts on the next matrix; so does a worker that dies.
    """
    todo = list(items)
    env = dict(os.environ, **THREAD_ENV)
    while todo:
        spec = {"model": model, "seed": args.seed, "size": "small" if args.small else "full"}
        spec["items"] = [{k: v for k, v in i.items() if k != "arrays"} for i in todo]
        proc = subprocess.Popen(
            [python, str(Path(__file__).resolve()), "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def pump(stream: Any, sink: queue.Queue[str | None] = lines) -> None:
            for line in stream:
                sink.put(line)
            sink.put(None)

        threading.Thread(target=pump, args=(proc.stdout,), daemon=True).start()
        stderr: list[str] = []
        threading.Thread(target=stderr.extend, args=(proc.stderr,), daemon=True).start()
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(spec))
        proc.stdin.close()
        first = True  # the first answer also waits for the imports (torch: seconds)
        while todo:
            try:
                line = lines.get(timeout=args.timeout + (60 if first else 0))
            except queue.Empty:
                proc.kill()
                proc.wait()
                on_result(todo[0]["name"], {"error": f"timeout after {args.timeout:g} s"})
                todo = todo[1:]
                break  # restart on the next matrix
            if line is None:  # the worker died
                proc.wait()
                last = (stderr or ["worker died"])[-1].strip()
                on_result(todo[0]["name"], {"error": f"worker died: {last}"[:200]})
                todo = todo[1:]
                break
            if not line.startswith("{"):
                continue
            first = False
            answer = json.loads(line)
            name = answer.pop("name")
            on_result(name, answer)
            todo = [i for i in todo if i["name"] != name]
        else:
            proc.wait()


def run_all(
    items: list[dict[str, Any]], models: list[str], args: argparse.Namespace
) -> dict[tuple[str, str], dict[str, Any]]:
    """Every (matrix, model) result: from the peer cache or from a worker."""
    python = args.python or (str(PEERS_PYTHON) if PEERS_PYTHON.exists() else sys.executable)
    cache = PeerCache(CACHE)
    results: dict[tuple[str, str], dict[str, Any]] = {}
    units: list[tuple[float, str, list[dict[str, Any]]]] = []
    for model in models:
        is_peer = model in PEER_MODELS
        groups: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            reason = applies(model, item)
            if reason:
                results[(item["name"], model)] = {"skip": reason}
                continue
            cached = cache.get(model, item["hash"]) if is_peer and not args.refresh_peers else None
            if cached is not None:
                results[(item["name"], model)] = {**cached, "cached": True}
                continue
            groups.setdefault("synthetic" if item["synthetic"] else "real", []).append(item)
        for group in groups.values():
            weight = sum(i["n_sources"] * i["k"] for i in group) * (20 if is_peer else 1)
            units.append((weight, model, group))
    units.sort(key=lambda u: -u[0])  # the heaviest first, so the pool ends together
    n_cached = sum(1 for r in results.values() if r.get("cached"))
    print(
        f"{len(items)} matrices x {len(models)} models: {n_cached} peer results cached, "
        f"{sum(len(u[2]) for u in units)} runs in {len(units)} worker units "
        f"({args.jobs} at a time, {python})",
        flush=True,
    )

    def do(unit: tuple[float, str, list[dict[str, Any]]]) -> None:
        _, model, group = unit
        start = time.perf_counter()
        by_name = {i["name"]: i for i in group}
        fails = []

        def on_result(name: str, result: dict[str, Any]) -> None:
            results[(name, model)] = result
            item = by_name[name]
            if "error" in result:
                fails.append(name)
                print(f"  {model} on {name}: {result['error']}", flush=True)
            if result.get("hash") not in (None, item["hash"]):
                print(f"  warning: {name} differs in the worker's interpreter (not cached)")
            elif model in PEER_MODELS and "timeout" not in result.get("error", ""):
                cache.put(model, item["hash"], {k: v for k, v in result.items() if k != "hash"})

        run_unit(python, model, group, args, on_result)
        kind = "synthetic" if group[0]["synthetic"] else "real"
        print(
            f"  {model:28s} {kind:9s} {len(group):3d} matrices "
            f"{time.perf_counter() - start:6.1f} s" + (f"  {len(fails)} failed" if fails else ""),
            flush=True,
        )

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        list(pool.map(do, units))
    return results


# ============================================================================ report
def _gaps(
    items: list[dict[str, Any]],
    models: list[str],
    results: dict[tuple[str, str], dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """Per model over ``items``: scores, gaps to the reference and to the best, counts."""
    out: dict[str, dict[str, Any]] = {
        m: {"score": [], "d_ref": [], "d_best": [], "seconds": [], "fails": 0} for m in models
    }
    for item in items:
        scores = {
            m: results[(item["name"], m)]["score"]
            for m in models
            if "score" in results.get((item["name"], m), {})
        }
        if not scores:
            continue
        best = max(scores.values())
        ref = scores.get(REFERENCE)
        for m in models:
            res = results.get((item["name"], m), {})
            if "error" in res:
                out[m]["fails"] += 1
            if m not in scores:
                continue
            out[m]["score"].append(scores[m])
            out[m]["d_best"].append(scores[m] - best)
            out[m]["seconds"].append(res.get("seconds", np.nan))
            if ref is not None:
                out[m]["d_ref"].append(scores[m] - ref)
    return out


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return float(np.mean(values)) if values else float("nan")


def _fmt(value: float, signed: bool = False) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _mean_worst(values: list[float]) -> str:
    """``+mean (worst)`` of a list of gaps, or a dash."""
    if not values:
        return "–"
    return f"{_fmt(_mean(values), True)} ({_fmt(min(values), True)})"


def summary_table(
    items: list[dict[str, Any]],
    models: list[str],
    results: dict[tuple[str, str], dict[str, Any]],
) -> str:
    """Models x (mean score, mean/worst gap to the reference, mean/worst gap to best)."""
    gaps = _gaps(items, models, results)
    rows = []
    for m in models:
        g = gaps[m]
        if not g["score"] and not g["fails"]:
            continue
        rows.append(
            [
                f"`{m}`",
                _fmt(_mean(g["score"])),
                _fmt(_mean(g["d_ref"]), True),
                _fmt(min(g["d_ref"], default=np.nan), True),
                _fmt(_mean(g["d_best"]), True),
                _fmt(min(g["d_best"], default=np.nan), True),
                f"{sum(d > -0.005 for d in g['d_best'])}",
                f"{len(g['score'])}" + (f" ({g['fails']} failed)" if g["fails"] else ""),
                f"{np.nansum(g['seconds']):.0f}",
            ]
        )
    header = [
        "model",
        "mean score",
        f"mean Δ {REFERENCE}",
        f"worst Δ {REFERENCE}",
        "mean Δ best",
        "worst Δ best",
        "best on",
        "matrices",
        "fit+predict s",
    ]
    return markdown_table(header, rows)


def family_tables(
    families: list[tuple[str, list[dict[str, Any]]]],
    models: list[str],
    results: dict[tuple[str, str], dict[str, Any]],
) -> str:
    """Three family x model tables: mean score, gap to the reference, gap to the best."""
    shown = [m for m in models if any("score" in r for (_, mm), r in results.items() if mm == m)]
    header = ["family (matrices)"] + [f"`{m}`" for m in shown]
    score_rows, ref_rows, best_rows = [], [], []
    for family, group in families:
        gaps = _gaps(group, shown, results)
        label = f"{family} ({len(group)})"
        score_rows.append([label] + [_fmt(_mean(gaps[m]["score"])) for m in shown])
        ref_rows.append([label] + [_mean_worst(gaps[m]["d_ref"]) for m in shown])
        best_rows.append([label] + [_mean_worst(gaps[m]["d_best"]) for m in shown])
    return "\n".join(
        [
            "Mean score per family:",
            "",
            markdown_table(header, score_rows),
            "",
            f"Gap to `{REFERENCE}` on the same matrix, mean (worst), in points:",
            "",
            markdown_table(header, ref_rows),
            "",
            "Gap to the best model on the same matrix, mean (worst), in points:",
            "",
            markdown_table(header, best_rows),
        ]
    )


def real_table(
    items: list[dict[str, Any]],
    models: list[str],
    results: dict[tuple[str, str], dict[str, Any]],
) -> str:
    """Every real matrix x every model."""
    rows = []
    for item in items:
        cells = []
        scores = [
            results[(item["name"], m)]["score"]
            for m in models
            if "score" in results.get((item["name"], m), {})
        ]
        best = max(scores, default=np.nan)
        for m in models:
            res = results.get((item["name"], m), {})
            if "score" in res:
                text = f"{res['score']:.2f}"
                cells.append(f"**{text}**" if res["score"] >= best - 0.005 else text)
            else:
                cells.append("err" if "error" in res else "–")
        metric = "F1" if item["metric"] == "f1" else "acc"
        rows.append(
            [f"{item['name']} ({metric})", item.get("rows", ""), str(item["n_sources"]), *cells]
        )
    header = ["matrix (metric)", "train / test rows", "sources"] + [f"`{m}`" for m in models]
    return markdown_table(header, rows)


def code_state() -> str:
    """Which weaklabel the numbers are for: the commit, and whether the models differ."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "weaklabel/models"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return ""
    if not sha:
        return ""
    return f"weaklabel at commit {sha}" + (
        " with uncommitted changes under `weaklabel/models/`." if dirty else "."
    )


def report(
    items: list[dict[str, Any]],
    models: list[str],
    results: dict[tuple[str, str], dict[str, Any]],
    args: argparse.Namespace,
) -> str:
    synthetic = [i for i in items if i["synthetic"]]
    real = [i for i in items if not i["synthetic"]]
    by_shape: dict[str, list[dict[str, Any]]] = {}
    for item in items:  # in the corpus's order of families
        by_shape.setdefault(item["shape"], []).append(item)
    families = list(by_shape.items())
    if synthetic and real:
        families += [("all synthetic", synthetic), ("all real", real)]
    body = [
        f"{len(synthetic)} synthetic matrices (`corpus(seed={args.seed}, "
        f"size={'small' if args.small else 'full'!r})`, fitted on the train part of each draw, "
        f"scored on the test part) in {len({i['shape'] for i in synthetic})} families, and "
        f"{len(real)} real matrices. Scores in points (accuracy, or F1 of class 1 where the "
        "matrix says so); ties broken by the row-index hash as WRENCH and Snorkel do. "
        f"Δ {REFERENCE}: the model's score minus `{REFERENCE}`'s on the same matrix "
        "(worst = the lowest over the matrices); Δ best: minus the best score any model "
        "reached on that matrix (0 = the best); *best on*: matrices where it is the best "
        "(ties count for all). FlyingSquid runs on binary matrices with at most "
        f"{FLYINGSQUID_MAX_SOURCES} sources only, so its mean score covers fewer matrices; "
        "its gaps are comparable. fit+predict s: summed over the matrices (peers: as "
        f"measured when cached). {code_state()}",
    ]
    if synthetic:
        body += [
            "",
            "### Synthetic corpus, all families",
            "",
            summary_table(synthetic, models, results),
        ]
    if real:
        body += ["", "### Real sets", "", summary_table(real, models, results)]
    body += ["", "### Per family", "", family_tables(families, models, results)]
    if real:
        body += [
            "",
            "### Every real matrix",
            "",
            "Bold: the best score on the row. youtube-lofo/X: fitted on the other four "
            "files of the UCI YouTube Spam Collection, scored on X (all-5-files: fitted and "
            "scored on all 1956 comments), with the ten sources of `youtube_sources()`; "
            "demo: the demo's sources on its 400 reviews; ner: sentences of WRENCH's NER "
            "test sets (fitted on the train sentences), a source voting *yes* where it "
            "tagged an entity of the type.",
            "",
            real_table(real, models, results),
        ]
    failed = sorted(
        f"`{m}` on {name}: {r['error']}" for (name, m), r in results.items() if "error" in r
    )
    if failed:
        body += ["", "Failures:", ""] + [f"- {line}" for line in failed[:40]]
        if len(failed) > 40:
            body.append(f"- ... and {len(failed) - 40} more")
    return "\n".join(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only",
        help="comma-separated models to run (weaklabel class names, and MajorityVote as the "
        "reference); naming a peer restricts the peers too",
    )
    parser.add_argument(
        "--families",
        help="comma-separated families: synthetic shapes, wrench, youtube-lofo, demo, ner, "
        "or 'synthetic' / 'real' for all of either (default: all)",
    )
    parser.add_argument("--small", action="store_true", help="the small synthetic corpus")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--no-peers", action="store_true", help="weaklabel models only")
    parser.add_argument("--refresh-peers", action="store_true", help="ignore the peer cache")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers at once")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds per matrix")
    parser.add_argument("--python", default=None, help="interpreter for the workers")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    if args.worker:
        worker()
        return

    start = time.perf_counter()
    models = list(WEAKLABEL_MODELS)
    peers = [] if args.no_peers else list(PEER_MODELS)
    if args.only:  # any weaklabel class name works, e.g. a model being written
        only = [m.strip() for m in args.only.split(",") if m.strip()]
        models = [REFERENCE] + [m for m in only if m != REFERENCE and m not in PEER_MODELS]
        if any(m in PEER_MODELS for m in only):
            peers = [m for m in PEER_MODELS if m in only]
    models += peers
    items = build_items(args)
    print(f"built {len(items)} matrices in {time.perf_counter() - start:.1f} s", flush=True)
    results = run_all(items, models, args)
    text = report(items, models, results, args)
    elapsed = time.perf_counter() - start
    text += f"\n\nWall time {elapsed / 60:.1f} min with {args.jobs} workers."
    print()
    print(text)
    partial = args.small or args.only or args.families or args.no_peers or args.seed != 0
    if not args.no_write and not partial:
        title = "Label models on a wide corpus: synthetic shapes and real sets"
        print("wrote", write_section("label_models_wide", title, text))
    elif not args.no_write:
        print("(partial run: RESULTS.md left alone)")


if __name__ == "__main__":
    main()
