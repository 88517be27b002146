"""Label models side by side: every weaklabel model and the peers that install.

For each WRENCH classification dataset (every folder under
``../shared/data/wrench/classification``, or the folders given as arguments) each model is
fitted on the train split's weak labels and scored on the test split (WRENCH's metric:
F1 of class 1 for the imbalanced binary sets, accuracy otherwise; ties broken by the
row-index hash, as WRENCH and Snorkel do). Two synthetic matrices drawn from a known
generative model (conditionally independent sources of varied accuracy and coverage,
which vote the true class with their accuracy and another class uniformly otherwise) test
scale: 1M x 100 with k = 2, and 100k x 50 with k = 10; a third, ``speed-1M-x100-k2`` (coverage
0.3, accuracies U(0.55, 0.9)), is the shape of the speed check in issue 9. Every timing
starts at the model's first call in a fresh process, with imports outside the timer.

Every (model, dataset) pair runs in its own subprocess, which reports fit and predict
seconds and its peak resident memory (``ru_maxrss``, including the loaded matrix). Peers:
Snorkel 0.10's ``LabelModel`` at its defaults (100 epochs, ``lr=0.01``, ``seed=0``) and
``MajorityLabelVoter``, and FlyingSquid (binary datasets only) when importable. Workers run
under ``--python`` (default: ``../peers/bin/python`` when it exists, which has the peers and
weaklabel installed), so every model is timed by the same interpreter.

Run from the repository root::

    python benchmarks/label_models.py                 # all datasets + synthetic
    python benchmarks/label_models.py path/to/wrench/imdb path/to/wrench/spouse
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

try:
    from _results import markdown_table, write_section
except ImportError:  # run as a module
    from benchmarks._results import markdown_table, write_section

ROOT = Path(__file__).resolve().parents[1]
WRENCH = ROOT.parent / "shared" / "data" / "wrench" / "classification"
PEERS_PYTHON = ROOT.parent / "peers" / "bin" / "python"
F1_DATASETS = {"sms", "spouse", "cdr", "census", "commercial", "tennis", "basketball"}
WEAKLABEL_MODELS = [
    "MajorityVote",
    "WeightedMajorityVote",
    "DawidSkene",
    "MatrixCompletion",
    "Triplet",
    "LabelModel",
]
PEER_MODELS = ["snorkel.LabelModel", "snorkel.MajorityLabelVoter", "flyingsquid"]
SYNTHETIC = {
    "synthetic-1M-x100-k2": (1_000_000, 100, 2, "weak"),
    "speed-1M-x100-k2": (1_000_000, 100, 2, "speed"),
    "synthetic-100k-x50-k10": (100_000, 50, 10, "weak"),
}


# ---------------------------------------------------------------------------- data
def synthetic(
    n: int, m: int, k: int, seed: int = 0, kind: str = "weak"
) -> tuple[np.ndarray, np.ndarray]:
    """(L, y) from conditionally independent sources of varied accuracy and coverage.

    ``kind="weak"``: coverage U(0.1, 0.9) and weak accuracies (models differ);
    ``kind="speed"``: the speed check of issue 9, coverage 0.3 and accuracies U(0.55, 0.9).
    """
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n).astype(np.int8)
    if kind == "speed":
        coverage = np.full(m, 0.3)
        accuracy = rng.uniform(0.55, 0.9, m)
    else:
        coverage = rng.uniform(0.1, 0.9, m)  # about half the sources vote on a row
        accuracy = rng.uniform(1.0 / k + 0.01, 0.65 if k == 2 else 0.5, m)  # weak
    L = np.full((n, m), -1, dtype=np.int8)
    for j in range(m):
        fires = np.flatnonzero(rng.random(n) < coverage[j])
        right = rng.random(fires.size) < accuracy[j]
        wrong = (y[fires] + rng.integers(1, k, fires.size)) % k  # another class, uniformly
        L[fires, j] = np.where(right, y[fires], wrong)
    return L, y


def load(spec: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(L_train, L_test, y_test, k) of a dataset spec."""
    if spec["kind"] == "synthetic":
        n, m, k, kind = spec["shape"]
        L, y = synthetic(n, m, k, kind=kind)
        return L, L, y, k
    from weaklabel.datasets.wrench import load_wrench

    train = load_wrench(spec["path"], "train")
    test = load_wrench(spec["path"], "test")
    return train.L.values, test.L.values, test.y, train.cardinality


def score(y: np.ndarray, preds: np.ndarray, metric: str) -> float:
    from weaklabel import metrics

    if metric == "f1":
        return 100 * metrics.f1_score(y, preds)
    return 100 * metrics.accuracy(y, preds)


# ---------------------------------------------------------------------------- workers
def _fit_predict(model: str, L_train: np.ndarray, L_test: np.ndarray, k: int) -> Any:
    """Fit ``model`` and predict; returns (preds, fit seconds, predict seconds)."""
    if model.startswith("snorkel."):
        from snorkel.labeling.model import LabelModel as SnorkelLabelModel
        from snorkel.labeling.model import MajorityLabelVoter

        start = time.perf_counter()
        if model == "snorkel.LabelModel":
            lm = SnorkelLabelModel(cardinality=k, verbose=False)
            lm.fit(L_train, seed=0, progress_bar=False)  # Snorkel's defaults: 100 epochs
        else:
            lm = MajorityLabelVoter(cardinality=k)
        fitted = time.perf_counter()
        preds = lm.predict(L_test, tie_break_policy="random")
        return preds, fitted - start, time.perf_counter() - fitted
    if model == "flyingsquid":
        if k != 2:
            raise NotImplementedError("FlyingSquid is binary only")
        setattr(np, "product", np.prod)  # removed in numpy 2; pgmpy 0.1.11 still calls it  # noqa: B010
        from flyingsquid.label_model import LabelModel as FSLabelModel

        from weaklabel.models import probs_to_preds

        def signed(L: np.ndarray) -> np.ndarray:  # {-1 abstain, 0, 1} -> {0, -1, +1}
            out = np.zeros(L.shape, dtype=np.int8)
            out[L == 0] = -1
            out[L == 1] = 1
            return out

        start = time.perf_counter()
        fs = FSLabelModel(L_train.shape[1])
        fs.fit(signed(L_train))
        fitted = time.perf_counter()
        proba = fs.predict_proba_marginalized(signed(L_test))
        preds = probs_to_preds(np.column_stack([1 - proba, proba]))
        return preds, fitted - start, time.perf_counter() - fitted
    import weaklabel.models as models

    cls = getattr(models, model)
    start = time.perf_counter()
    fitted_model = cls(cardinality=k, seed=0).fit(L_train)
    fitted = time.perf_counter()
    preds = fitted_model.predict(L_test)
    return preds, fitted - start, time.perf_counter() - fitted


def worker(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one (model, dataset) pair; called in a fresh process."""
    L_train, L_test, y, k = load(spec)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    preds, fit_s, predict_s = _fit_predict(spec["model"], L_train, L_test, k)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "score": score(y, np.asarray(preds), spec["metric"]),
        "fit_s": fit_s,
        "predict_s": predict_s,
        "peak_mb": peak,
        "data_mb": base,
    }


def run(python: str, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run a worker subprocess and parse its JSON answer (or the error)."""
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    try:
        done = subprocess.run(
            [python, str(Path(__file__).resolve()), "--worker", json.dumps(spec)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:120]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


# ---------------------------------------------------------------------------- tables
def datasets(paths: list[str], with_synthetic: bool) -> list[dict[str, Any]]:
    folders = [Path(p) for p in paths] or sorted(
        p for p in WRENCH.iterdir() if (p / "label.json").is_file()
    )
    specs: list[dict[str, Any]] = []
    for folder in folders:
        metric = "f1" if folder.name in F1_DATASETS else "accuracy"
        specs.append({"kind": "wrench", "name": folder.name, "path": str(folder), "metric": metric})
    if with_synthetic:
        for name, shape in SYNTHETIC.items():
            specs.append({"kind": "synthetic", "name": name, "shape": shape, "metric": "accuracy"})
    return specs


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folders", nargs="*", help="WRENCH dataset folders (default: all)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--no-synthetic", action="store_true", help="skip the synthetic sets")
    parser.add_argument("--no-peers", action="store_true", help="weaklabel models only")
    parser.add_argument(
        "--only-synthetic",
        nargs="+",
        choices=sorted(SYNTHETIC),
        help="run only these synthetic matrices (no WRENCH sets)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    parser.add_argument("--python", default=None, help="interpreter for the workers")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return

    python = args.python or (str(PEERS_PYTHON) if PEERS_PYTHON.exists() else sys.executable)
    models = WEAKLABEL_MODELS + ([] if args.no_peers else PEER_MODELS)
    specs = datasets(args.folders, not args.no_synthetic and not args.folders)
    if args.only_synthetic:
        specs = [s for s in datasets([], True) if s.get("name") in args.only_synthetic]
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for spec in specs:
        for model in models:
            res = run(python, {**spec, "model": model}, args.timeout)
            results[(spec["name"], model)] = res
            shown = res.get("error") or (
                f"{res['score']:.2f}  fit {res['fit_s']:.2f}s  predict {res['predict_s']:.2f}s  "
                f"peak {res['peak_mb']:.0f} MB"
            )
            print(f"{spec['name']:24s} {model:28s} {shown}", flush=True)

    def cell(res: dict[str, Any], key: str, fmt: str) -> str:
        return "–" if "error" in res else format(res[key], fmt)

    names = [s["name"] for s in specs]
    quality = []
    for model in models:
        quality.append([f"`{model}`"] + [cell(results[(n, model)], "score", ".2f") for n in names])
    best = {
        n: max(
            (results[(n, m)]["score"] for m in models if "error" not in results[(n, m)]),
            default=float("nan"),
        )
        for n in names
    }
    quality.append(["best"] + [f"{best[n]:.2f}" for n in names])
    header = ["model"] + [f"{s['name']} ({'F1' if s['metric'] == 'f1' else 'acc'})" for s in specs]
    body = [
        "Fitted on train, scored on test (synthetic: fitted and scored on the same matrix), "
        'ties broken by the row-index hash. Peers run in the same interpreter; "–" = does '
        "not run there (FlyingSquid is binary only).",
        "",
        markdown_table(header, quality),
    ]
    for spec in specs:
        name = spec["name"]
        ref = results.get((name, "snorkel.LabelModel"), {})
        rows = []
        for model in models:
            res = results[(name, model)]
            if "error" in res:
                rows.append([f"`{model}`", "–", "–", "–", "–", "–", res["error"]])
                continue
            total = res["fit_s"] + res["predict_s"]
            ratio = (
                f"{(ref['fit_s'] + ref['predict_s']) / total:.1f}x"
                if "error" not in ref and ref
                else "–"
            )
            rows.append(
                [
                    f"`{model}`",
                    f"{res['score']:.2f}",
                    f"{res['fit_s']:.3f}",
                    f"{res['predict_s']:.3f}",
                    f"{res['peak_mb']:.0f}",
                    ratio,
                    "",
                ]
            )
        if spec["kind"] == "synthetic" or name == names[0]:
            body += [
                "",
                f"### {name}",
                "",
                markdown_table(
                    [
                        "model",
                        "score",
                        "fit s",
                        "predict s",
                        "peak RSS MB",
                        "speed-up vs Snorkel LabelModel",
                        "note",
                    ],
                    rows,
                ),
            ]
    text = "\n".join(body)
    print(text)
    if not args.no_write:
        print("wrote", write_section("label_models", "Label models: weaklabel vs peers", text))


if __name__ == "__main__":
    main()
