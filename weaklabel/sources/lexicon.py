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

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from weaklabel._fingerprint import digest
from weaklabel.errors import Errors, SourceError
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
        """Load a lexicon from CSV, TSV, JSON or JSON Lines.

        CSV/TSV need a header row with ``term`` and ``label`` columns (and optionally
        ``weight``). JSON may be ``{term: label}``, ``{term: {"label": .., "weight": ..}}``
        or a list of objects; JSON Lines holds one object per line.
        """
        import pandas as pd

        path = Path(path)
        if not path.is_file():
            raise SourceError(
                Errors.E037.format(source="Lexicon", problem=f"no lexicon file at {path}.")
            )
        suffix = "".join(path.suffixes[-2:]).lower()
        try:
            if suffix.endswith((".json", ".json.gz")):
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    rows = [
                        {term: k, **(v if isinstance(v, dict) else {label: v})}
                        for k, v in data.items()
                    ]
                    frame = pd.DataFrame(rows)
                else:
                    frame = pd.DataFrame(data)
            elif suffix.endswith(".jsonl"):
                frame = pd.read_json(path, lines=True)
            else:
                sep = "\t" if suffix.endswith((".tsv", ".tab", ".txt")) else ","
                frame = pd.read_csv(path, sep=sep, keep_default_na=False)
        except (ValueError, json.JSONDecodeError) as exc:
            raise SourceError(
                Errors.E037.format(source="Lexicon", problem=f"cannot read {path}: {exc}")
            ) from None
        return cls.from_frame(
            frame, term=term, label=label, weight=weight, case_sensitive=case_sensitive
        )

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
