"""Reading and writing tables for the command line: checked before the work, written atomically.

Every command that reads a table or writes a file goes through these helpers, so the rules
are the same everywhere: an output is checked before any work runs (never one of the inputs,
an existing file only with ``--force``, a known suffix, an existing folder), and it is
written to a temporary file beside the target and then moved into place, so a crash never
leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".parquet")


def read_table(path: str) -> pd.DataFrame:
    """Read a CSV, TSV, JSONL or Parquet table, chosen by the suffix of ``path``."""
    import pandas as pd

    from weaklabel.errors import AugmentError, Errors

    lower = path.lower()
    if lower.endswith((".jsonl", ".ndjson")):
        return pd.read_json(path, lines=True)
    if lower.endswith(".parquet"):
        return pd.read_parquet(path)
    if lower.endswith((".tsv", ".tab")):
        return pd.read_csv(path, sep="\t")
    if lower.endswith(".csv"):
        return pd.read_csv(path)
    raise AugmentError(Errors.E400.format(path=path))


def check_output(out: str, *, inputs: Sequence[str], force: bool, suffixes: Sequence[str]) -> Path:
    """Refuse an output that would replace an input, an existing file, or has no writer.

    Checked before any work runs, so a bad ``--out`` costs nothing.

    Parameters
    ----------
    out : str
        The output path given on the command line.
    inputs : sequence of str
        The input paths of the command; ``out`` may never be one of them.
    force : bool
        Whether an existing ``out`` may be replaced.
    suffixes : sequence of str
        The suffixes (lower case, with the dot) the command can write.

    Returns
    -------
    pathlib.Path
        The checked target.
    """
    from weaklabel.errors import Errors, ParameterError

    target = Path(out)
    if target.suffix.lower() not in suffixes:
        raise ParameterError(Errors.E403.format(path=out))
    for given in inputs:
        if Path(given).exists() and target.exists() and target.resolve() == Path(given).resolve():
            raise ParameterError(Errors.E401.format(out=out))
    if target.is_dir():
        raise ParameterError(Errors.E404.format(path=out, reason="it is a folder"))
    if not target.parent.resolve().is_dir():
        raise ParameterError(Errors.E404.format(path=out, reason="its folder does not exist"))
    if target.exists() and not force:
        raise ParameterError(Errors.E402.format(path=out))
    return target


def write_atomically(target: Path, write: Callable[[str], None]) -> None:
    """Call ``write(tmp_path)`` on a temporary file beside ``target``, then move it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_table(frame: pd.DataFrame, target: Path) -> None:
    """Write ``frame`` in the format of the suffix of ``target``, atomically."""
    suffix = target.suffix.lower()

    def write(tmp: str) -> None:
        if suffix in (".jsonl", ".ndjson"):
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
        elif suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False, sep="\t" if suffix in (".tsv", ".tab") else ",")

    write_atomically(target, write)


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""

    def write(tmp: str) -> None:
        Path(tmp).write_text(text, encoding="utf-8")

    write_atomically(path, write)
