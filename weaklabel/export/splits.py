"""Leak-free train/valid/test files in any export format, with their sizes and leakage.

Use :func:`write_splits` as the last step of a flow: it splits a labels frame with
:func:`weaklabel.augment.group_split` (every augmented copy stays with its original, and
near-duplicate texts stay together), writes each split in one format
(:data:`EXPORT_FORMATS`), and checks the result with
:func:`weaklabel.augment.leakage_report` and the example groups, so the report says how
many exact or near-duplicate texts and how many groups cross a split: 0 unless the frame
was split wrongly. :func:`export_frame` writes one frame in a format named by a string
(what ``weaklabel export --format`` calls).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.errors import ExportError
from weaklabel.export._errors import Errors
from weaklabel.export._io import atomic_folder

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EXPORT_FORMATS", "SplitReport", "check_export_path", "export_frame", "write_splits"]

EXPORT_FORMATS: dict[str, str] = {
    "chat": ".jsonl",
    "prompt-completion": ".jsonl",
    "hf": "",
    "docbin": ".spacy",
    "conll": ".conll",
    "csv": ".csv",
    "parquet": ".parquet",
}
"""Format name -> file suffix (``hf`` writes a folder)."""

SPLITS = ("train", "valid", "test")

_FILE_SUFFIXES: dict[str, tuple[str, ...]] = {
    "chat": (".jsonl",),
    "prompt-completion": (".jsonl",),
    "docbin": (".spacy",),
    "conll": (".conll", ".bio", ".iob", ".txt"),
    "csv": (".csv",),
    "parquet": (".parquet",),
}


def check_export_path(path: str | os.PathLike[str], *, format: str) -> tuple[str, ...]:
    """Check that ``path`` has a suffix the format's writer writes; return those suffixes.

    Parameters
    ----------
    path : str or path-like
        A file for the file formats; ``hf`` writes a folder (any name).
    format : str
        A key of :data:`EXPORT_FORMATS`.

    Returns
    -------
    tuple of str
        The suffixes accepted (empty for ``hf``).
    """
    if format not in EXPORT_FORMATS:
        raise ExportError(Errors.E864.format(value=format, formats=list(EXPORT_FORMATS)))
    suffixes = _FILE_SUFFIXES.get(format, ())
    if suffixes and Path(path).suffix.lower() not in suffixes:
        expected = " or ".join(suffixes) + " as suffix"
        raise ExportError(Errors.E869.format(path=str(path), format=format, expected=expected))
    return suffixes


def export_frame(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    format: str,
    overwrite: bool = False,
    **options: Any,
) -> tuple[Path, int]:
    """Write ``frame`` to ``path`` in the named format.

    Parameters
    ----------
    frame : DataFrame
        A labels frame.
    path : str or path-like
    format : str
        A key of :data:`EXPORT_FORMATS`.
    overwrite : bool, default False
    **options
        Passed to the format's writer (``write_chat_jsonl``, ``write_prompt_completion``,
        ``write_hf_dataset``, ``write_docbin``, ``write_conll_bio``,
        ``write_labels_table``).

    Returns
    -------
    (Path, int)
        The path written and the number of examples in it.
    """
    if format not in EXPORT_FORMATS:
        raise ExportError(Errors.E864.format(value=format, formats=list(EXPORT_FORMATS)))
    if format in ("chat", "prompt-completion"):
        from weaklabel.export.chat import write_chat_jsonl, write_prompt_completion

        writer = write_chat_jsonl if format == "chat" else write_prompt_completion
        report = writer(frame, path, overwrite=overwrite, **options)
        return Path(path), report.n_written
    if format == "hf":
        from weaklabel.export.hf import write_hf_dataset

        return write_hf_dataset(frame, path, overwrite=overwrite, **options), len(frame)
    if format == "docbin":
        from weaklabel.export.docbin import write_docbin

        return write_docbin(frame, path, overwrite=overwrite, **options), len(frame)
    if format == "conll":
        from weaklabel.export.conll import write_conll_bio

        return write_conll_bio(frame, path, overwrite=overwrite, **options), len(frame)
    from weaklabel.export.tables import write_labels_table

    return write_labels_table(frame, path, overwrite=overwrite, **options), len(frame)


@dataclass(frozen=True)
class SplitReport:
    """What :func:`write_splits` wrote and found.

    Attributes
    ----------
    path : Path
        The folder holding the splits.
    paths : dict of str to Path
        Split name -> its file (for ``hf``, the folder itself holds a ``DatasetDict``).
    sizes : dict of str to int
        Split name -> rows of the frame in it.
    written : dict of str to int
        Split name -> examples written (fewer than ``sizes`` when a chat writer drops
        unlabelled or low-confidence rows).
    leakage : dict of str to int
        ``"train/valid"``, ``"train/test"``, ``"valid/test"`` -> pairs of exact or
        near-duplicate texts across the two splits (:func:`~weaklabel.augment.leakage_report`).
    group_leaks : int
        Example groups (an original with its augmented copies) found in more than one split.
    """

    path: Path
    paths: dict[str, Path]
    sizes: dict[str, int]
    written: dict[str, int]
    leakage: dict[str, int]
    group_leaks: int

    @property
    def leak_free(self) -> bool:
        """Whether no text pair and no group crosses a split."""
        return self.group_leaks == 0 and not any(self.leakage.values())

    def summary(self) -> str:
        """One line: sizes and leakage."""
        sizes = ", ".join(f"{k} {v}" for k, v in self.sizes.items())
        leaks = ", ".join(f"{k} {v}" for k, v in self.leakage.items())
        return (
            f"{self.path}: {sizes} rows; leakage (exact/near-duplicate pairs) {leaks}; "
            f"groups across splits {self.group_leaks}"
        )


def _check_sizes(sizes: Sequence[float]) -> tuple[float, float, float]:
    values = tuple(float(s) for s in sizes) if isinstance(sizes, Sequence) else ()
    if (
        len(values) != 3
        or not all(math.isfinite(v) and 0.0 <= v < 1.0 for v in values)
        or values[0] <= 0.0
        or abs(sum(values) - 1.0) > 1e-6
    ):
        raise ExportError(
            Errors.E060.format(
                name="write_splits", param="sizes",
                expected="three fractions (train, valid, test) in [0, 1) summing to 1, train > 0",
                value=sizes,
            )
        )  # fmt: skip
    return values


def write_splits(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    format: str = "csv",
    sizes: Sequence[float] = (0.8, 0.1, 0.1),
    seed: int = 0,
    near_duplicate_threshold: float | None = 0.8,
    id_column: str = "id",
    original_column: str = "original_id",
    text_column: str = "text",
    overwrite: bool = False,
    **options: Any,
) -> SplitReport:
    """Split a labels frame without leaks and write train/valid/test files into a folder.

    Parameters
    ----------
    frame : DataFrame
        ``n`` rows: originals and augmented rows (``original_column`` names the original
        of each augmented row; absent when nothing was augmented).
    path : str or path-like
        The folder to create (atomically; it appears complete or not at all).
    format : str, default "csv"
        A key of :data:`EXPORT_FORMATS`; files are ``train<suffix>``, ``valid<suffix>``,
        ``test<suffix>`` (``hf``: the folder is one ``DatasetDict``).
    sizes : (float, float, float), default (0.8, 0.1, 0.1)
        Wanted fractions of rows; a split of size 0 is not written. Whole groups move,
        so the sizes are met up to about half the largest group.
    seed : int, default 0
        Same seed and frame, same splits.
    near_duplicate_threshold : float or None, default 0.8
        Keep texts at least this similar (estimated Jaccard of character 5-grams) in one
        split, and count such pairs across splits in the leakage report. None: exact
        duplicates are not merged, and only exact pairs are counted.
    id_column, original_column, text_column : str
        Column names (see :func:`~weaklabel.augment.group_split`).
    overwrite : bool, default False
        Replace an existing folder.
    **options
        Passed to the format's writer (templates, label_names, ...).

    Returns
    -------
    SplitReport
    """
    from weaklabel.augment.splits import example_groups, group_split, leakage_report

    if format not in EXPORT_FORMATS:
        raise ExportError(Errors.E864.format(value=format, formats=list(EXPORT_FORMATS)))
    train_size, valid_size, test_size = _check_sizes(sizes)
    if text_column != "text":
        options.setdefault("text_column", text_column)
    keys: dict[str, Any] = dict(
        id_column=id_column, original_column=original_column, text_column=text_column,
        near_duplicate_threshold=near_duplicate_threshold,
    )  # fmt: skip
    parts: dict[str, pd.DataFrame] = {"train": frame}
    if test_size > 0:
        parts["train"], parts["test"] = group_split(frame, test_size=test_size, seed=seed, **keys)
    if valid_size > 0:
        rest = parts["train"]
        share = valid_size / (train_size + valid_size)
        parts["train"], parts["valid"] = group_split(rest, test_size=share, seed=seed + 1, **keys)
    parts = {name: parts[name] for name in SPLITS if name in parts}
    for name, part in parts.items():
        if len(part) == 0:
            raise ExportError(
                Errors.E868.format(
                    where="write_splits", name=name, n=len(frame), sizes=tuple(sizes)
                )
            )
    target = Path(path)
    suffix = EXPORT_FORMATS[format]
    written: dict[str, int] = {}
    paths: dict[str, Path] = {}
    if format == "hf":
        from weaklabel.export.hf import write_hf_dataset

        write_hf_dataset(parts, target, overwrite=overwrite, **options)
        paths = {name: target for name in parts}
        written = {name: len(part) for name, part in parts.items()}
    else:
        with atomic_folder(target, overwrite=overwrite) as tmp:
            for name, part in parts.items():
                _, written[name] = export_frame(
                    part, tmp / f"{name}{suffix}", format=format, **options
                )
                paths[name] = target / f"{name}{suffix}"
    leakage = {}
    names = list(parts)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            found = leakage_report(
                parts[first], parts[second], near_duplicate_threshold=near_duplicate_threshold,
                text_column=text_column,
            )  # fmt: skip
            leakage[f"{first}/{second}"] = len(found)
    import pandas as pd

    groups = example_groups(pd.concat(list(parts.values())), **keys)
    which = np.concatenate([np.full(len(part), k) for k, part in enumerate(parts.values())])
    spread: dict[int, set[int]] = {}
    for g, k in zip(groups.tolist(), which.tolist(), strict=True):
        spread.setdefault(g, set()).add(k)
    group_leaks = sum(len(found) > 1 for found in spread.values())
    sizes_out = {name: len(part) for name, part in parts.items()}
    return SplitReport(target, paths, sizes_out, written, leakage, group_leaks)
