"""Reading the data table and the label matrix of a configuration.

Internal to :mod:`weaklabel.flow`. The flow writes its files with
:mod:`weaklabel._outputs` (atomically, with normal file permissions), as the command line
does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from weaklabel.errors import ConfigError
from weaklabel.flow._errors import Errors

if TYPE_CHECKING:
    from weaklabel.matrix import LabelMatrix

TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".parquet")


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV, TSV, JSONL or Parquet table, by the suffix of ``path``.

    Raises whatever pandas raises; the caller turns it into a message naming the key.
    """
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return pd.read_json(path, lines=True, dtype=False)
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix in (".tsv", ".tab"):
        return pd.read_csv(path, sep="\t")
    return pd.read_csv(path)


def read_matrix(
    frame: pd.DataFrame, path: str, label_names: list[str], *, exclude: list[str]
) -> tuple[LabelMatrix, list[str]]:
    """The LabelMatrix of a matrix table: every column but ``exclude`` is a source.

    Votes are class names or ids; empty cells and ``-1`` are abstains.
    """
    from weaklabel.matrix import LabelMatrix

    sources = [str(c) for c in frame.columns if c not in exclude]
    if not sources:
        raise ConfigError(Errors.E848.format(path=path, columns=exclude))
    ids = {name: i for i, name in enumerate(label_names)}
    ids.update({str(i): i for i in range(len(label_names))})
    ids["-1"] = -1
    values = np.full((len(frame), len(sources)), -1, dtype=np.int64)
    for j, column in enumerate(sources):
        for i, value in enumerate(frame[column].tolist()):
            if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
                continue
            key = (
                str(int(value))
                if isinstance(value, (int, float)) and value == int(value)
                else value
            )
            if not isinstance(key, str) or key not in ids:
                raise ConfigError(
                    Errors.E847.format(
                        path=path, row=i, column=column, value=value, names=label_names
                    )
                )
            values[i, j] = ids[key]
    return LabelMatrix(values, tuple(sources), tuple(label_names)), sources
