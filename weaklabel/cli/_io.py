"""Reading and writing tables for the command line: checked before the work, written atomically.

Every command that reads a table or writes a file goes through these helpers, so the rules
are the same everywhere: an output is checked before any work runs (never one of the inputs,
an existing file only with ``--force``, a known suffix, an existing folder), and it is
written to a temporary file beside the target and then moved into place, so a crash never
leaves a half-written file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from weaklabel._outputs import check_output_folder, check_writable, write_atomically, write_table
from weaklabel.errors import DatasetError, Errors, ParameterError

__all__ = [
    "TABLE_SUFFIXES",
    "check_output",
    "check_output_folder",
    "read_table",
    "write_atomically",
    "write_table",
    "write_text_atomically",
]

if TYPE_CHECKING:
    import pandas as pd

TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".parquet")


def read_table(path: str) -> pd.DataFrame:
    """Read a CSV, TSV, JSONL or Parquet table, chosen by the suffix of ``path``, and check it.

    Every way the file can be wrong becomes a numbered error naming the file (and the line,
    where there is one): a missing file or a folder (E405), no reader for the suffix (E400),
    bytes that are not UTF-8, a CSV row with more or fewer fields than the header, repeated
    column names, a damaged Parquet file (E406), a JSONL line that is not a JSON object
    (E408), and a table without rows (E407).

    Parameters
    ----------
    path : str
        The table, by suffix: ``.csv``; ``.tsv`` or ``.tab``; ``.jsonl`` or ``.ndjson``;
        ``.parquet``.

    Returns
    -------
    pandas.DataFrame of shape (n_rows, n_columns)
        The table, with at least one row.
    """
    import pandas as pd

    lower = path.lower()
    if not lower.endswith(_READ_SUFFIXES):
        raise DatasetError(Errors.E400.format(path=path))
    file = Path(path)
    if not file.exists():
        raise DatasetError(Errors.E405.format(path=path, problem="there is no such file"))
    if not file.is_file():
        raise DatasetError(Errors.E405.format(path=path, problem="it is a folder, not a file"))
    if lower.endswith((".jsonl", ".ndjson")):
        frame = _read_jsonl(file)
    elif lower.endswith(".parquet"):
        try:
            frame = pd.read_parquet(file)
        except (ValueError, OSError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            raise DatasetError(
                Errors.E406.format(
                    path=path,
                    kind="Parquet",
                    reason=_first_line(exc),
                    fix="Write it again with pandas or pyarrow (`frame.to_parquet(path)`).",
                )
            ) from exc
    else:
        frame = _read_delimited(file, sep="\t" if lower.endswith((".tsv", ".tab")) else ",")
    if len(frame) == 0:
        detail = f" (only the columns {list(map(str, frame.columns))})" if frame.shape[1] else ""
        raise DatasetError(Errors.E407.format(path=path, detail=detail))
    return frame


_READ_SUFFIXES = (".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".parquet")


def _first_line(exc: BaseException) -> str:
    """The first line of an exception's message, for a one-line error."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _not_utf8(path: Path, kind: str, exc: UnicodeDecodeError) -> DatasetError:

    return DatasetError(
        Errors.E406.format(
            path=str(path),
            kind=kind,
            reason=f"byte {exc.start} is not UTF-8 ({exc.reason})",
            fix="Save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`).",
        )
    )


def _read_delimited(path: Path, *, sep: str) -> pd.DataFrame:
    """Check a CSV/TSV row by row (fields per row, header, encoding), then read it."""
    import csv

    import pandas as pd

    kind = "TSV" if sep == "\t" else "CSV"

    def bad(reason: str, fix: str) -> DatasetError:
        return DatasetError(Errors.E406.format(path=str(path), kind=kind, reason=reason, fix=fix))

    csv.field_size_limit(max(csv.field_size_limit(), 2**30))  # long texts are fine
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=sep)
            header: list[str] | None = None
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank lines are skipped, as pandas does
                if header is None:
                    header = row
                    repeated = sorted({c for c in row if row.count(c) > 1})
                    if repeated:
                        raise bad(
                            f"the header repeats the column names {repeated}",
                            "Give every column its own name.",
                        )
                elif len(row) != len(header):
                    raise bad(
                        f"line {reader.line_num} has {len(row)} fields but the header has "
                        f"{len(header)}",
                        "Quote fields that hold the separator (as `frame.to_csv` does).",
                    )
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, kind, exc) from exc
    except csv.Error as exc:
        raise bad(f"{exc} (line {reader.line_num})", "Check the quoting of that line.") from exc
    if header is None:
        raise DatasetError(Errors.E407.format(path=str(path), detail=" (the file is empty)"))
    try:
        return pd.read_csv(path, sep=sep, encoding="utf-8-sig", index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise bad(_first_line(exc), "Check the quoting and the separators.") from exc


def _read_jsonl(path: Path) -> pd.DataFrame:
    """Read JSON Lines: one JSON object per line, blank lines skipped."""
    import json

    import pandas as pd

    records = []
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DatasetError(
                        Errors.E406.format(
                            path=str(path),
                            kind="JSON Lines",
                            reason=f"line {number} is not valid JSON ({exc.msg}, col {exc.colno})",
                            fix="Write one JSON object per line (`frame.to_json(path, "
                            'orient="records", lines=True)`).',
                        )
                    ) from exc
                if not isinstance(record, dict):
                    got = f"a JSON {type(record).__name__}: {line.strip()[:60]!r}"
                    raise DatasetError(Errors.E408.format(line=number, path=str(path), got=got))
                records.append(record)
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, "JSON Lines", exc) from exc
    return pd.DataFrame.from_records(records)


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

    target = Path(out)
    if target.suffix.lower() not in suffixes:
        raise ParameterError(Errors.E403.format(path=out, suffixes=", ".join(suffixes)))
    for given in inputs:
        if Path(given).exists() and target.exists() and target.resolve() == Path(given).resolve():
            raise ParameterError(Errors.E401.format(out=out))
    if target.is_dir():
        raise ParameterError(Errors.E404.format(path=out, reason="it is a folder"))
    if not target.parent.resolve().is_dir():
        raise ParameterError(Errors.E404.format(path=out, reason="its folder does not exist"))
    if target.exists() and not force:
        raise ParameterError(Errors.E402.format(path=out))
    check_writable(target.parent, out)
    return target


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""

    def write(tmp: str) -> None:
        Path(tmp).write_text(text, encoding="utf-8")

    write_atomically(path, write)
