"""Distant supervision from lexicons: term → label tables turned into voting sources.

Use a lexicon when you have a list of words that signal a class (a sentiment lexicon, a
list of drug names, a glossary). :class:`Lexicon` holds ``(term, label, weight)`` entries,
loaded from CSV/TSV/JSON, a DataFrame, or VADER's sentiment lexicon from the installed
``vaderSentiment`` package. :meth:`Lexicon.as_source` turns it into a source with a clear
voting rule:

1. every whitespace token of the text (case-folded, with surrounding punctuation
   stripped unless the raw token is itself an entry, like ``":)"``) that is a term adds its
   weight to its label's score; multi-word terms are counted as whole phrases;
2. with ``negation="flip"`` (two-label lexicons) a term that follows a negator ("not",
   "never", "didn't", ...) within ``negation_window`` tokens counts for the other label;
   ``"drop"`` ignores it instead; ``None`` disables negation;
3. the source votes the label with the highest score when it beats the runner-up by more
   than ``min_margin`` and reaches ``min_weight``; otherwise it abstains.

Everything runs on whole columns in Arrow and NumPy: tokens are looked up with a hash
join, never a Python loop per row.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from weaklabel._fingerprint import digest
from weaklabel.errors import SourceError
from weaklabel.sources._errors import Errors
from weaklabel.sources._lexicon_vote import NEGATORS, LexiconSource

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NEGATORS", "Lexicon", "LexiconSource", "lexicon_source"]
# LexiconSource and NEGATORS (the voting rule) are written in a private module and
# documented here, their public home.


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A table of ``(term, label, weight)`` entries.

    Parameters
    ----------
    terms : sequence of str
        One term per entry; a term may be a phrase ("fed up") or a symbol (":)").
    labels : sequence of int or str
        The class each term signals (ids or names), one per entry.
    weights : sequence of float, optional
        How strongly each term signals its class (default 1.0 each); must be >= 0.
    case_sensitive : bool, default False
        Match terms with their case, or fold case on both sides.
    """

    terms: tuple[str, ...]
    labels: tuple[int | str, ...]
    weights: tuple[float, ...] = ()
    case_sensitive: bool = False

    def __post_init__(self) -> None:
        terms = tuple(str(t).strip() for t in self.terms)
        labels = tuple(self.labels)
        weights = tuple(float(w) for w in self.weights) or (1.0,) * len(terms)
        if not (len(terms) == len(labels) == len(weights)):
            raise SourceError(
                Errors.E037.format(
                    source="Lexicon",
                    problem=f"got {len(terms)} terms, {len(labels)} labels and "
                    f"{len(weights)} weights; give one of each per entry.",
                )
            )
        bad = [
            t for t, w in zip(terms, weights, strict=True) if not t or not np.isfinite(w) or w < 0
        ]
        if bad:
            raise SourceError(
                Errors.E037.format(
                    source="Lexicon",
                    problem=f"empty terms or negative/non-finite weights, e.g. {bad[:3]}.",
                )
            )
        if not self.case_sensitive:
            terms = tuple(t.lower() for t in terms)
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "weights", weights)

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"Lexicon({len(self)} entries, labels={list(self.label_set)})"

    @property
    def label_set(self) -> tuple[int | str, ...]:
        """The distinct labels, in order of first appearance."""
        return tuple(dict.fromkeys(self.labels))

    def fingerprint(self) -> str:
        """Hash of the entries."""
        return digest(
            ["lexicon", str(self.case_sensitive)]
            + [
                f"{t}\t{lab!r}\t{w!r}"
                for t, lab, w in zip(self.terms, self.labels, self.weights, strict=True)
            ]
        )

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_mapping(
        cls, mapping: Mapping[str, int | str], *, case_sensitive: bool = False
    ) -> Lexicon:
        """From ``{term: label}``, every weight 1."""
        return cls(tuple(mapping), tuple(mapping.values()), case_sensitive=case_sensitive)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        term: str = "term",
        label: str = "label",
        weight: str | None = "weight",
        case_sensitive: bool = False,
    ) -> Lexicon:
        """From a DataFrame with term, label and (optional) weight columns."""
        missing = [c for c in (term, label) if c not in frame.columns]
        if missing:
            raise SourceError(
                Errors.E037.format(
                    source="Lexicon",
                    problem=f"the table has no column(s) {missing}; its columns are "
                    f"{list(frame.columns)}. Pass term=..., label=... to name them.",
                )
            )
        import pandas as pd

        weights: tuple[float, ...] = ()
        if weight is not None and weight in frame.columns:
            raw = frame[weight]
            numbers = pd.to_numeric(raw, errors="coerce")
            blank = raw.isna() | raw.astype(str).str.strip().eq("")
            bad = numbers.isna() & ~blank
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                raise SourceError(
                    Errors.E037.format(
                        source="Lexicon",
                        problem=f"row {row} ({frame[term].iloc[row]!r}) has the weight "
                        f"{raw.iloc[row]!r}, which is not a number.",
                    )
                )
            weights = tuple(numbers.fillna(1.0).astype(float).tolist())  # blank: weight 1
        return cls(
            tuple(frame[term].astype(str).tolist()),
            tuple(frame[label].tolist()),
            weights,
            case_sensitive=case_sensitive,
        )

    @classmethod
    def from_file(
        cls,
        path: str | Path,
        *,
        term: str = "term",
        label: str = "label",
        weight: str | None = "weight",
        case_sensitive: bool = False,
    ) -> Lexicon:
        """Load a lexicon from CSV, TSV, JSON or JSON Lines, optionally gzip-compressed.

        CSV/TSV need a header row with ``term`` and ``label`` columns (and optionally
        ``weight``). JSON may be ``{term: label}``, ``{term: {"label": .., "weight": ..}}``
        or a list of objects; JSON Lines holds one object per line. A name ending in
        ``.gz`` (``lexicon.json.gz``, ``terms.csv.gz``...) is decompressed first.

        Raises
        ------
        SourceError
            [E528] when the file is missing, not valid UTF-8, a damaged or truncated
            gzip file, malformed, or holds entries a :class:`Lexicon` refuses (missing
            columns, weights that are not numbers >= 0, empty terms), naming the file
            and, where known, the line or row.
        """
        path = Path(path)
        if not path.is_file():
            raise SourceError(
                Errors.E528.format(path=path, where="", problem="there is no such file")
            )
        frame = _read_lexicon_table(path, term=term, label=label)
        try:
            return cls.from_frame(
                frame, term=term, label=label, weight=weight, case_sensitive=case_sensitive
            )
        except SourceError as exc:  # the same problem, said of the file
            problem = str(exc).split("] ", 1)[-1].removeprefix("Source 'Lexicon': ")
            raise SourceError(
                Errors.E528.format(path=path, where="", problem=problem.rstrip("."))
            ) from None

    @classmethod
    def from_vader(
        cls,
        *,
        positive: int | str = "POSITIVE",
        negative: int | str = "NEGATIVE",
        min_abs_valence: float = 0.0,
    ) -> Lexicon:
        """VADER's sentiment lexicon (7,520 entries), read from the installed package.

        Terms with a positive mean valence signal ``positive``, the rest ``negative``;
        the weight is the absolute valence (0 to 4). Needs ``pip install vaderSentiment``
        (or ``weaklabel[lexicons]``). VADER is MIT-licensed (Hutto and Gilbert, 2014).

        Parameters
        ----------
        positive, negative : int or str
            The labels to vote.
        min_abs_valence : float, default 0.0
            Drop terms whose absolute valence is at most this.
        """
        try:
            text = (resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(
                encoding="utf-8"
            )
        except ModuleNotFoundError:
            raise ImportError(
                "VADER's lexicon comes from the vaderSentiment package: "
                'pip install vaderSentiment  (or pip install "weaklabel[lexicons]").'
            ) from None
        terms: list[str] = []
        labels: list[int | str] = []
        weights: list[float] = []
        for line in text.splitlines():
            parts = line.split("\t")
            if len(parts) < 2 or not parts[0].strip():
                continue
            valence = float(parts[1])
            if abs(valence) <= min_abs_valence:
                continue
            terms.append(parts[0])
            labels.append(positive if valence > 0 else negative)
            weights.append(abs(valence))
        return cls(tuple(terms), tuple(labels), tuple(weights))

    def to_frame(self) -> pd.DataFrame:
        """The entries as a DataFrame with columns ``term``, ``label``, ``weight``."""
        import pandas as pd

        return pd.DataFrame(
            {"term": list(self.terms), "label": list(self.labels), "weight": list(self.weights)}
        )

    def as_source(self, name: str, **options: Any) -> LexiconSource:
        """A source that votes by this lexicon (see the module docstring for the rule).

        Parameters
        ----------
        name : str
        **options
            ``min_margin``, ``min_weight``, ``negation``, ``negation_window`` and
            ``text_column``, as for :class:`LexiconSource`.
        """
        return LexiconSource(name, self, **options)


def lexicon_source(
    lexicon: Lexicon | Mapping[str, int | str] | Sequence[tuple[str, int | str]],
    *,
    name: str,
    min_margin: float = 0.0,
    min_weight: float = 0.0,
    negation: Literal["flip", "drop"] | None = "flip",
    negation_window: int = 3,
    text_column: str | None = None,
) -> LexiconSource:
    """A lexicon source from a :class:`Lexicon`, a ``{term: label}`` dict or pairs.

    See :class:`LexiconSource` and the module docstring for the voting rule.
    """
    if not isinstance(lexicon, Lexicon):
        if isinstance(lexicon, Mapping):
            lexicon = Lexicon.from_mapping(lexicon)
        else:
            pairs = list(lexicon)
            lexicon = Lexicon(tuple(t for t, _ in pairs), tuple(lab for _, lab in pairs))
    if len(lexicon.label_set) < 2 and negation == "flip":
        negation = "drop"
    return LexiconSource(
        name,
        lexicon,
        min_margin=min_margin,
        min_weight=min_weight,
        negation=negation,
        negation_window=negation_window,
        text_column=text_column,
    )


def _read_text(path: Path) -> str:
    """The file's text, gunzipped when its name ends in ``.gz`` (refused when damaged)."""
    import gzip
    import zlib

    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix.lower() == ".gz" else None
        data = path.read_bytes() if raw is None else raw
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(
            Errors.E528.format(
                path=path, where="", problem=f"it is not a complete gzip file ({exc})"
            )
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            Errors.E528.format(
                path=path,
                where=f", line {line}",
                problem=f"it is not UTF-8 text (byte {data[exc.start]:#04x}); save it as UTF-8",
            )
        ) from None


def _read_lexicon_table(path: Path, *, term: str, label: str) -> pd.DataFrame:
    """Parse a lexicon file into a table of entries, naming the line of any damage."""
    import pandas as pd

    name = path.name.lower().removesuffix(".gz")
    text = _read_text(path)
    if name.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(
                Errors.E528.format(path=path, where=f", line {exc.lineno}", problem=exc.msg)
            ) from None
        if isinstance(data, dict):
            rows = [
                {term: k, **(v if isinstance(v, dict) else {label: v})} for k, v in data.items()
            ]
            return pd.DataFrame(rows)
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise SourceError(
                Errors.E528.format(
                    path=path,
                    where="",
                    problem="JSON lexicons are {term: label}, {term: {label, weight}} or a "
                    f"list of objects; got {type(data).__name__}",
                )
            )
        return pd.DataFrame(data)
    if name.endswith((".jsonl", ".ndjson")):
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SourceError(
                    Errors.E528.format(path=path, where=f", line {number}", problem=exc.msg)
                ) from None
            if not isinstance(record, dict):
                raise SourceError(
                    Errors.E528.format(
                        path=path,
                        where=f", line {number}",
                        problem=f"a JSON Lines lexicon holds one object per line; got "
                        f"{type(record).__name__}",
                    )
                )
            records.append(record)
        return pd.DataFrame(records)
    sep = "\t" if name.endswith((".tsv", ".tab", ".txt")) else ","
    _check_fields(path, text, sep)
    try:
        return pd.read_csv(io.StringIO(text), sep=sep, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as exc:  # EmptyDataError is a ValueError
        raise SourceError(
            Errors.E528.format(path=path, where="", problem=str(exc).strip())
        ) from None


def _check_fields(path: Path, text: str, sep: str) -> None:
    """Refuse a CSV/TSV line with another number of fields than the header (pandas would
    silently turn extra leading fields into an index)."""
    import csv

    reader = csv.reader(io.StringIO(text), delimiter=sep)
    header = next(reader, None)
    if header is None:
        return  # empty: pandas says so
    try:
        for row in reader:
            if row and len(row) != len(header):
                raise SourceError(
                    Errors.E528.format(
                        path=path,
                        where=f", line {reader.line_num}",
                        problem=f"{len(row)} fields where the header {header} has {len(header)}",
                    )
                )
    except csv.Error as exc:
        raise SourceError(
            Errors.E528.format(path=path, where=f", line {reader.line_num}", problem=str(exc))
        ) from None
