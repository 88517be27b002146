"""Running a whole flow from a configuration: prepare, apply, fit, augment, write, validate.

Use :func:`run_flow` (or ``weaklabel run CONFIG``) to go from a raw table to labelled,
augmented, fine-tuning-ready files in one call. The configuration is loaded and checked in
full first (:func:`~weaklabel.flow.config.load_config`), so a typo costs nothing; then each
stage runs and reports one line (rows in and out, what it dropped and why); every file is
written atomically, and the chat file is validated before it is moved into place, so a
file the fine-tuning services would reject is never left behind.

The stages, with the columns of the tables they write:

1. **prepare** -- :func:`weaklabel.prepare.prepare` (``outputs.prepared``: the data's
   columns with repaired texts; ``outputs.dropped``: ``id``, ``step``, ``reason``);
2. **apply** -- the sources on the prepared texts (``outputs.matrix``: ``id``, the text,
   one column per source holding the class name voted, empty for an abstain);
3. **fit** -- the label model (``outputs.labels``: ``id``, the text, the kept columns,
   ``label``, ``confidence``, ``n_votes``, one ``p_<class>`` per class); rows no source
   voted on are dropped unless ``model.keep_unlabelled``, and rows under
   ``model.min_confidence`` are dropped;
4. **augment** -- :class:`~weaklabel.augment.AugmentationPipeline` on the labelled rows
   (``outputs.augmented``: the originals and their variants with provenance columns);
5. **export** -- ``outputs.chat`` through :func:`weaklabel.export.chat.write_chat_jsonl`,
   checked by :func:`weaklabel.export.validate.validate_chat_jsonl`.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from weaklabel._outputs import write_table
from weaklabel.errors import ConfigError
from weaklabel.flow._errors import Errors
from weaklabel.flow.config import FlowConfig, load_config

if TYPE_CHECKING:
    from weaklabel.matrix import LabelMatrix
    from weaklabel.prepare.corpus import PreparedCorpus

__all__ = ["FlowResult", "apply_stage", "fit_stage", "labels_table", "run_flow"]

Log = Callable[[str], None]


@dataclass
class FlowResult:
    """What :func:`run_flow` produced.

    Attributes
    ----------
    prepared : PreparedCorpus
    matrix : LabelMatrix of shape (n_prepared, n_sources)
    labels : pandas.DataFrame of shape (n_labelled, n_columns)
        The labels table (see the module docstring for its columns).
    augmented : pandas.DataFrame or None
        Labelled and augmented rows, when the configuration augments.
    outputs : dict of str to Path
        The files written, by output key.
    lines : list of str
        The one-line summary of each stage.
    chat_report : object or None
        The validation report of the chat file, when one was written.
    """

    prepared: PreparedCorpus
    matrix: LabelMatrix
    labels: pd.DataFrame
    augmented: pd.DataFrame | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    chat_report: Any = None


def apply_stage(config: FlowConfig, frame: pd.DataFrame, *, progress: bool) -> LabelMatrix:
    """Apply the configuration's sources to the prepared rows (shape (n, n_sources))."""
    from weaklabel.appliers.applier import apply

    return apply(
        config.sources,
        frame,
        text_column=config.text_column,
        label_names=config.label_names,
        progress=progress,
    )


def matrix_table(
    matrix: LabelMatrix, frame: pd.DataFrame, id_column: str, text: str
) -> pd.DataFrame:
    """The label matrix as a table: ``id``, the text, one column of class names per source."""
    votes = matrix.to_dataframe(names=True)
    table = pd.DataFrame({id_column: frame[id_column].to_numpy(), text: frame[text].to_numpy()})
    return pd.concat([table, votes.reset_index(drop=True)], axis=1)


def fit_stage(model: Any, matrix: LabelMatrix) -> np.ndarray:
    """Fit ``model`` on ``matrix`` and return its probabilities, shape (n, n_classes)."""
    model.fit(matrix)
    return np.asarray(model.predict_proba(matrix), dtype=np.float64)


def labels_table(
    frame: pd.DataFrame,
    proba: np.ndarray,
    matrix: LabelMatrix,
    label_names: list[str],
    *,
    columns: list[str],
) -> pd.DataFrame:
    """The labels table of ``frame``'s rows: ``columns``, then label, confidence, votes, p_*.

    Parameters
    ----------
    frame : DataFrame of shape (n, ...)
    proba : ndarray of shape (n, k)
    matrix : LabelMatrix of shape (n, n_sources)
    label_names : list of str of length k
    columns : list of str
        The columns of ``frame`` to keep, in order (the id and text first).

    Returns
    -------
    DataFrame of shape (n, len(columns) + 3 + k)
    """
    table = frame[columns].reset_index(drop=True).copy()
    top = proba.argmax(axis=1)
    table["label"] = np.asarray(label_names, dtype=object)[top]
    table["confidence"] = proba.max(axis=1).round(6)
    table["n_votes"] = (matrix.values != -1).sum(axis=1)
    for k, name in enumerate(label_names):
        table[f"p_{name}"] = proba[:, k].round(6)
    return table


def run_flow(
    config: FlowConfig | str | os.PathLike[str],
    *,
    force: bool = False,
    progress: bool = False,
    log: Log | None = None,
) -> FlowResult:
    """Run the flow a configuration describes, stage by stage.

    Parameters
    ----------
    config : FlowConfig or path
        A configuration file (loaded and checked first) or a loaded one.
    force : bool, default False
        Replace existing outputs (only used when ``config`` is a path).
    progress : bool, default False
        Show progress bars of the long stages.
    log : callable, optional
        Called with a one-line summary of each stage (e.g. ``print``).

    Returns
    -------
    FlowResult
    """
    from weaklabel.prepare.corpus import prepare

    cfg = config if isinstance(config, FlowConfig) else load_config(config, force=force)
    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        if log is not None:
            log(line)

    written: dict[str, Path] = {}

    def write(key: str, table: pd.DataFrame) -> None:
        if key in cfg.outputs:
            write_table(table, cfg.outputs[key])
            written[key] = cfg.outputs[key]
            say(f"wrote {key}: {cfg.outputs[key]} ({len(table)} rows)")

    prepared = prepare(
        cfg.data,
        text_column=cfg.text_column,
        id_column=cfg.id_column,
        steps=cfg.steps or [],
        log=say,
    )
    frame = prepared.frame
    id_name = prepared.id_column
    write("prepared", frame)
    write("dropped", prepared.dropped)
    if frame.empty:
        raise ConfigError(
            Errors.E836.format(
                config=str(cfg.path),
                key="prepare",
                problem="preparation dropped every row (see outputs.dropped); loosen the steps.",
            )
        )

    start = time.perf_counter()
    matrix = apply_stage(cfg, frame, progress=progress)
    covered = (matrix.values != -1).any(axis=1)
    say(
        f"apply: {matrix.n_sources} sources on {matrix.n_examples} rows, coverage "
        f"{covered.mean():.1%} ({time.perf_counter() - start:.2f} s)"
    )
    write("matrix", matrix_table(matrix, frame, id_name, cfg.text_column))

    start = time.perf_counter()
    proba = fit_stage(cfg.model, matrix)
    columns = [id_name, cfg.text_column, *[c for c in cfg.keep_columns if c != id_name]]
    table = labels_table(frame, proba, matrix, cfg.label_names, columns=columns)
    no_votes = ~covered
    keep = np.ones(len(table), dtype=bool) if cfg.keep_unlabelled else ~no_votes
    n_no_vote = int((~keep).sum())
    unsure = table["confidence"].to_numpy() < cfg.min_confidence
    n_unsure = int((unsure & keep).sum())
    keep &= ~unsure
    labelled = table[keep].reset_index(drop=True)
    counts = labelled["label"].value_counts().reindex(cfg.label_names, fill_value=0)
    say(
        f"fit {type(cfg.model).__name__}: {len(labelled)} labelled rows "
        f"({', '.join(f'{n} {c}' for n, c in counts.items())}); dropped "
        f"{n_no_vote} with no vote, {n_unsure} under min_confidence "
        f"{cfg.min_confidence} ({time.perf_counter() - start:.2f} s)"
    )
    write("labels", labelled)

    train = labelled
    augmented = None
    if cfg.augmenter is not None:
        augmented = _augment(cfg, labelled, id_name, progress=progress, say=say)
        write("augmented", augmented)
        train = augmented

    report = None
    if "chat" in cfg.outputs:
        report = _write_chat(cfg, train, say)
        written["chat"] = cfg.outputs["chat"]
    if "splits" in cfg.outputs:
        _write_splits(cfg, train, id_name, say)
        written["splits"] = cfg.outputs["splits"]
    return FlowResult(
        prepared=prepared,
        matrix=matrix,
        labels=labelled,
        augmented=augmented,
        outputs=written,
        lines=lines,
        chat_report=report,
    )


def _augment(
    cfg: FlowConfig, labelled: pd.DataFrame, id_name: str, *, progress: bool, say: Log
) -> pd.DataFrame:
    from weaklabel.augment import AugmentationPipeline, NearDuplicateFilter

    start = time.perf_counter()
    dedup = cfg.augment.get("dedup")
    pipeline = AugmentationPipeline(
        cfg.augmenter,  # type: ignore[arg-type]
        n_per_original=int(cfg.augment.get("n", 1)),
        keep_original=True,
        filters=[] if dedup is None else [NearDuplicateFilter(threshold=float(dedup))],
        progress=progress,
    )
    out = pipeline.run(
        labelled,
        seed=int(cfg.augment.get("seed", 0)),
        text_column=cfg.text_column,
        label_column="label",
        id_column=id_name,
    )
    report = ", ".join(f"{k} {v}" for k, v in pipeline.report_.items())
    seconds = time.perf_counter() - start
    say(f"augment: {len(labelled)} rows -> {len(out)} ({report}) ({seconds:.2f} s)")
    return out


def _write_chat(cfg: FlowConfig, train: pd.DataFrame, say: Log) -> Any:
    """Write the chat file beside its target, validate it, then move it into place."""
    from weaklabel.export.chat import write_chat_jsonl
    from weaklabel.export.validate import validate_chat_jsonl

    target = cfg.outputs["chat"]
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".jsonl", dir=target.parent)
    os.close(fd)
    try:
        written = write_chat_jsonl(
            train,
            tmp,
            label_names=cfg.label_names,
            text_column=cfg.text_column,
            label_column="label",
            overwrite=True,
            **cfg.chat_options,
        )
        report = validate_chat_jsonl(tmp) if cfg.validate else None
        if report is not None and not report.ok:
            lines = report.problem_lines()
            raise ConfigError(
                Errors.E846.format(
                    config=str(cfg.path),
                    key="outputs.chat",
                    path=str(target),
                    n=len(lines),
                    first=lines[0] if lines else "?",
                )
            )
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    n = getattr(written, "n_written", len(train))
    check = (
        "validated: " + report.summary().splitlines()[0].replace(tmp, str(target))
        if report is not None
        else "not validated"
    )
    say(f"wrote chat: {target} ({n} examples; {check})")
    return report


def _write_splits(cfg: FlowConfig, train: pd.DataFrame, id_name: str, say: Log) -> None:
    """Write train/valid/test without leaks (group_split), validating chat files."""
    from weaklabel.export.splits import write_splits
    from weaklabel.export.validate import validate_chat_jsonl

    options = dict(cfg.split_options)
    fmt = options.pop("format", "chat")
    writer: dict[str, Any] = {"label_names": cfg.label_names}
    if fmt in ("chat", "prompt-completion"):
        writer.update(cfg.chat_options)
    original = "original_id" if "original_id" in train.columns else id_name
    report = write_splits(
        train,
        cfg.outputs["splits"],
        format=fmt,
        id_column=id_name,
        original_column=original,
        text_column=cfg.text_column,
        overwrite=True,
        **options,
        **writer,
    )
    sizes = ", ".join(f"{name} {n}" for name, n in report.sizes.items())
    leaks = sum(report.leakage.values()) + report.group_leaks
    say(f"wrote splits: {cfg.outputs['splits']} ({sizes}; {leaks} leaks across splits)")
    if fmt == "chat":
        for name, path in report.paths.items():
            check = validate_chat_jsonl(path)
            state = "fit for fine-tuning" if check.ok else "; ".join(check.problem_lines()[:2])
            say(f"  {name}: {state}")
