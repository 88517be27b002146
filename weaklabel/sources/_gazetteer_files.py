"""Gazetteer files: one entity name per record, read from and written to JSONL, TSV or JSON.

Internal to :mod:`weaklabel.sources.gazetteer`, which documents the formats and is the
public home of :class:`GazetteerEntry`. :func:`read_entries` parses a file into entries
(or skweak's ``{label: [names]}`` mapping), :func:`write_entries` writes entries back,
and :func:`entry_from_record` checks one record, whatever its form.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from weaklabel.errors import DatasetError, ParameterError
from weaklabel.sources._errors import Errors

__all__ = ["GazetteerEntry", "entry_from_record", "read_entries", "write_entries"]


@dataclass(frozen=True)
class GazetteerEntry:
    """One name of an entity.

    Parameters
    ----------
    entry : str
        The main name ("United Kingdom").
    label : str
        The entity type ("GPE").
    aliases : tuple of str, default ()
        Other names of the same entity, matched with the same label.
    id : str, optional
        An identifier (an ISO code, a database id); not used for matching.
    """

    entry: str
    label: str
    aliases: tuple[str, ...] = ()
    id: str | None = None

    def names(self) -> tuple[str, ...]:
        """The entry followed by its aliases."""
        return (self.entry, *self.aliases)


def entry_from_record(record: Mapping[str, Any] | Sequence[Any], index: int) -> GazetteerEntry:
    """Check one record and make it a :class:`GazetteerEntry` (names stripped).

    Parameters
    ----------
    record : mapping, tuple or GazetteerEntry
        ``{"entry", "label", "aliases"?, "id"?}`` or ``(entry, label[, aliases])``.
    index : int
        Position of the record, for the error message.

    Returns
    -------
    GazetteerEntry

    Raises
    ------
    ParameterError
        When the record has no usable entry or label, or its aliases are not names.
    """
    if isinstance(record, GazetteerEntry):
        record = {
            "entry": record.entry,
            "label": record.label,
            "aliases": record.aliases,
            "id": record.id,
        }
    if isinstance(record, Mapping):
        entry, label = record.get("entry"), record.get("label")
        aliases = record.get("aliases") or ()
        ident = record.get("id")
    elif isinstance(record, Sequence) and not isinstance(record, str) and 2 <= len(record) <= 3:
        entry, label = record[0], record[1]
        aliases = record[2] if len(record) == 3 else ()
        ident = None
    else:
        raise ParameterError(
            Errors.E523.format(
                index=index,
                problem=f"expected a dict with 'entry' and 'label' or a tuple (entry, label[, "
                f"aliases]); got {record!r}",
            )
        )
    if not isinstance(entry, str) or not entry.strip():
        raise ParameterError(Errors.E523.format(index=index, problem=f"bad entry {entry!r}"))
    if not isinstance(label, str) or not label.strip():
        raise ParameterError(Errors.E523.format(index=index, problem=f"bad label {label!r}"))
    if isinstance(aliases, str) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ParameterError(
            Errors.E523.format(index=index, problem=f"aliases must be a list of names: {aliases!r}")
        )
    return GazetteerEntry(
        entry.strip(),
        label.strip(),
        tuple(a.strip() for a in aliases),
        None if ident is None else str(ident),
    )


def read_entries(
    path: Path, format: Literal["jsonl", "tsv", "json"] | None
) -> list[GazetteerEntry] | dict[str, Any]:
    """Parse a gazetteer file (gzip-compressed or not).

    Parameters
    ----------
    path : Path
    format : {"jsonl", "tsv", "json"} or None
        ``None`` guesses it from the file name.

    Returns
    -------
    list of GazetteerEntry, or dict
        The entries of a JSONL or TSV file, in file order; for a ``.json`` file, skweak's
        ``{label: [names]}`` mapping as read.

    Raises
    ------
    DatasetError
        When the file is missing, its format unknown, or a line cannot be read.
    """
    if not path.is_file():
        raise DatasetError(Errors.E520.format(path=path))
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    kind = format or {".jsonl": "jsonl", ".tsv": "tsv", ".txt": "tsv", ".json": "json"}.get(
        suffixes[-1] if suffixes else ""
    )
    if kind is None:
        raise DatasetError(Errors.E524.format(path=path))
    text = _read_text(path)
    if kind == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DatasetError(
                Errors.E521.format(line=exc.lineno, path=path, problem=str(exc))
            ) from None
        if not isinstance(data, dict) or not all(
            isinstance(label, str)
            and isinstance(names, list)
            and all(
                isinstance(n, str) or (isinstance(n, list) and all(isinstance(t, str) for t in n))
                for n in names
            )
            for label, names in data.items()
        ):
            raise DatasetError(
                Errors.E521.format(
                    line=1,
                    path=path,
                    problem="a .json gazetteer is {label: [names]}, each name a string or "
                    "a list of token strings",
                )
            )
        return data
    entries: list[GazetteerEntry] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            if kind == "jsonl":
                entries.append(entry_from_record(json.loads(line), len(entries)))
            else:
                if number == 1 and line.lower().startswith("entry\tlabel"):
                    continue
                cells = line.rstrip("\r\n").split("\t")
                if len(cells) < 2:
                    raise ValueError("expected entry<TAB>label[<TAB>alias|alias...]")
                aliases = [a for a in cells[2].split("|") if a] if len(cells) > 2 else []
                entries.append(entry_from_record((cells[0], cells[1], aliases), len(entries)))
        except (ValueError, ParameterError) as exc:
            problem = str(exc).split("] ", 1)[-1]
            raise DatasetError(
                Errors.E521.format(line=number, path=path, problem=problem)
            ) from None
    return entries


def _read_text(path: Path) -> str:
    """The file's UTF-8 text (gunzipped for ``.gz``), or E521 naming the file and line."""
    import zlib

    try:
        data = gzip.decompress(path.read_bytes()) if path.suffix.lower() == ".gz" else None
        data = path.read_bytes() if data is None else data
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(
            Errors.E521.format(line="(end)", path=path, problem=f"not a complete gzip file ({exc})")
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(
            Errors.E521.format(
                line=data[: exc.start].count(b"\n") + 1,
                path=path,
                problem=f"not UTF-8 text (byte {data[exc.start]:#04x}); save the file as UTF-8",
            )
        ) from None


def write_entries(
    entries: Sequence[GazetteerEntry], path: Path, format: Literal["jsonl", "tsv"] | None
) -> Path:
    """Write entries as JSONL or TSV, atomically, one line per entry in order.

    Parameters
    ----------
    entries : sequence of GazetteerEntry
    path : Path
    format : {"jsonl", "tsv"} or None
        ``None``: TSV for a ``.tsv`` or ``.txt`` file, else JSONL.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ParameterError
        When an entry holds a tab, a newline or a ``|`` that TSV cannot write.
    """
    kind = format or ("tsv" if path.suffix.lower() in (".tsv", ".txt") else "jsonl")
    lines = []
    for i, e in enumerate(entries):
        if kind == "jsonl":
            record: dict[str, Any] = {"entry": e.entry, "label": e.label}
            if e.aliases:
                record["aliases"] = list(e.aliases)
            if e.id is not None:
                record["id"] = e.id
            lines.append(json.dumps(record, ensure_ascii=False))
        else:
            cells = [e.entry, e.label, "|".join(e.aliases)]
            if any("\t" in c or "\n" in c for c in cells) or any("|" in a for a in e.aliases):
                raise ParameterError(
                    Errors.E523.format(
                        index=i,
                        problem="a tab, newline or '|' cannot be written to TSV; "
                        "write JSONL instead",
                    )
                )
            lines.append("\t".join(cells).rstrip("\t"))
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("".join(line + "\n" for line in lines))
    os.replace(tmp, path)
    return path
