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
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from weaklabel._fingerprint import digest
from weaklabel.errors import Errors, SourceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.sources.base import Corpus, Row, Source, resolve_fixed_label

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

NEGATORS: frozenset[str] = frozenset(
    {
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "nowhere",
        "neither",
        "nor",
        "without",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "werent",
        "arent",
        "aint",
        "wont",
        "wouldnt",
        "couldnt",
        "shouldnt",
        "hasnt",
        "havent",
        "hadnt",
        "mustnt",
        "neednt",
        "shant",
        "rarely",
        "seldom",
        "hardly",
        "barely",
    }
)
"""Tokens that negate the terms after them (plus any token ending in ``n't``)."""

_PUNCT = string.punctuation + "“”‘’«»…–—¡¿"


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


class LexiconSource(Source):
    """Votes the label whose lexicon terms weigh most in the text; see :mod:`.lexicon`.

    Parameters
    ----------
    name : str
    lexicon : Lexicon
    min_margin : float, default 0.0
        Vote only when the best label's score beats the runner-up's by more than this.
    min_weight : float, default 0.0
        ... and the best score is at least this.
    negation : {"flip", "drop"} or None, default "flip"
        What a preceding negator does to a term. ``"flip"`` needs a two-label lexicon.
    negation_window : int, default 3
        How many tokens before a term a negator may stand.
    text_column : str, optional
    """

    vectorized = True

    def __init__(
        self,
        name: str,
        lexicon: Lexicon,
        *,
        min_margin: float = 0.0,
        min_weight: float = 0.0,
        negation: Literal["flip", "drop"] | None = "flip",
        negation_window: int = 3,
        text_column: str | None = None,
    ) -> None:
        if negation not in ("flip", "drop", None):
            raise SourceError(
                Errors.E037.format(source=name, problem="negation must be 'flip', 'drop' or None.")
            )
        if negation == "flip" and len(lexicon.label_set) != 2:
            raise SourceError(
                Errors.E037.format(
                    source=name,
                    problem=f"negation='flip' needs a two-label lexicon; this one has "
                    f"{list(lexicon.label_set)}. Use negation='drop' or None.",
                )
            )
        self.name = name
        self.lexicon = lexicon
        self.min_margin = float(min_margin)
        self.min_weight = float(min_weight)
        self.negation = negation
        self.negation_window = int(negation_window)
        self.text_column = text_column
        labels = lexicon.label_set
        label_index = {lab: i for i, lab in enumerate(labels)}
        single: dict[str, np.ndarray] = {}
        multi: list[tuple[str, int, float]] = []
        for term, lab, w in zip(lexicon.terms, lexicon.labels, lexicon.weights, strict=True):
            if any(ch.isspace() for ch in term):
                multi.append((" ".join(term.split()), label_index[lab], w))
            else:
                vec = single.setdefault(term, np.zeros(len(labels)))
                vec[label_index[lab]] += w
        self._labels = labels
        self._single_terms = list(single)
        self._single_weights = (
            np.vstack(list(single.values())) if single else np.zeros((0, len(labels)))
        )
        self._multi = multi

    @property
    def data_column(self) -> str | None:
        return self.text_column

    def fingerprint(self) -> str:
        return digest(
            [
                "lexicon_source",
                self.name,
                self.lexicon.fingerprint(),
                repr((self.min_margin, self.min_weight, self.negation, self.negation_window)),
                self.text_column or "",
            ]
        )

    def scores(self, texts: pa.Array) -> np.ndarray:
        """Per-label lexicon scores.

        Parameters
        ----------
        texts : pyarrow string array of shape (n_examples,)
            Already case-folded when the lexicon is not case-sensitive.

        Returns
        -------
        ndarray of shape (n_examples, n_labels)
            Column ``i`` scores ``lexicon.label_set[i]``.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        n = len(texts)
        texts = pc.replace_substring(texts, "\u2019", "'")  # typographic apostrophe
        scores = np.zeros((n, len(self._labels)))
        if self._single_terms:
            tokens = pc.utf8_split_whitespace(texts)
            flat = pc.list_flatten(tokens)
            parents = np.asarray(pc.list_parent_indices(tokens).to_numpy(), dtype=np.int64)
            stripped = pc.utf8_trim(flat, characters=_PUNCT)
            value_set = pa.array(self._single_terms, type=flat.type)
            raw_idx = pc.index_in(flat, value_set=value_set)
            idx = pc.coalesce(raw_idx, pc.index_in(stripped, value_set=value_set))
            idx_np = np.asarray(
                pc.fill_null(idx, -1).to_numpy(zero_copy_only=False), dtype=np.int64
            )
            hit = idx_np >= 0
            contrib = np.zeros((len(idx_np), len(self._labels)))
            contrib[hit] = self._single_weights[idx_np[hit]]
            if self.negation is not None and self.negation_window > 0 and hit.any():
                negated = self._negated(flat, stripped, parents, tokens)
                flip = negated & hit
                if self.negation == "flip":
                    contrib[flip] = contrib[flip][:, ::-1]
                else:
                    contrib[flip] = 0.0
            for j in range(len(self._labels)):
                scores[:, j] += np.bincount(parents[hit], weights=contrib[hit, j], minlength=n)
        for phrase, j, w in self._multi:
            pattern = r"(?:^|[^\p{L}\p{N}_])" + _re2_escape(phrase) + r"(?:[^\p{L}\p{N}_]|$)"
            counts = pc.count_substring_regex(texts, pattern).to_numpy(zero_copy_only=False)
            scores[:, j] += w * np.asarray(counts, dtype=float)
        return scores

    def _negated(
        self, flat: pa.Array, stripped: pa.Array, parents: np.ndarray, tokens: pa.Array
    ) -> np.ndarray:
        """For each flat token: is it in a negator's scope?

        A negator's scope is the next ``negation_window`` tokens of the same clause: it
        ends at a token that ends with ``, . ; : ! ?`` (so in "not bad, really great"
        only "bad" is negated).
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        is_neg = pc.or_(
            pc.is_in(stripped, value_set=pa.array(sorted(NEGATORS), type=stripped.type)),
            pc.ends_with(stripped, "n't"),
        )
        neg = np.asarray(pc.fill_null(is_neg, False).to_numpy(zero_copy_only=False), dtype=bool)
        ends_clause = pc.match_substring_regex(flat, r"[,.;:!?]$")
        brk = np.asarray(ends_clause.to_numpy(zero_copy_only=False), dtype=bool)
        pos = np.arange(len(neg))
        # position of the last negator / clause break at or before each token
        last_neg = np.maximum.accumulate(np.where(neg, pos, -1))
        last_brk = np.maximum.accumulate(np.where(brk, pos, -1))
        offsets = np.asarray(tokens.offsets.to_numpy(), dtype=np.int64)
        row_start = offsets[parents] - offsets[0]
        prev = np.maximum(pos - 1, 0)
        ln = np.where(pos > 0, last_neg[prev], -1)
        lb = np.where(pos > 0, last_brk[prev], -1)
        return (ln >= row_start) & (ln > lb) & (pos - ln <= self.negation_window)

    def _decide(self, scores: np.ndarray) -> np.ndarray:
        """Index into ``label_set`` per row, ``-1`` to abstain; shape (n_examples,)."""
        if scores.shape[1] == 1:
            best = np.zeros(len(scores), dtype=np.int64)
            top = scores[:, 0]
            second = np.zeros(len(scores))
        else:
            order = np.argsort(-scores, axis=1, kind="stable")
            best = order[:, 0]
            top = np.take_along_axis(scores, order[:, :1], axis=1)[:, 0]
            second = np.take_along_axis(scores, order[:, 1:2], axis=1)[:, 0]
        vote = (top - second > self.min_margin) & (top >= self.min_weight) & (top > 0)
        return np.where(vote, best, -1)

    def _texts(self, corpus: Corpus) -> pa.Array:
        column = self.text_column or corpus.text_column
        return corpus.arrow_text(column, lower=not self.lexicon.case_sensitive)

    def label_corpus(self, corpus: Corpus, label_space: LabelSpace | None) -> np.ndarray:
        choice = self._decide(self.scores(self._texts(corpus)))
        ids = np.array(
            [resolve_fixed_label(lab, self.name, label_space) for lab in self._labels] + [ABSTAIN],
            dtype=np.int64,
        )
        return ids[choice]  # choice == -1 picks the trailing ABSTAIN

    def __call__(self, x: Row | dict[str, Any] | str) -> int | str:
        """Label one example (for debugging; ``apply`` labels whole columns)."""
        import pandas as pd

        text = x if isinstance(x, str) else Row(x)[self.text_column or "text"]
        corpus = Corpus(pd.DataFrame({"text": [str(text or "")]}), "text")
        choice = int(self._decide(self.scores(self._texts(corpus)))[0])
        return ABSTAIN if choice < 0 else self._labels[choice]


def _re2_escape(phrase: str) -> str:
    out = []
    for ch in phrase:
        if ch == " ":
            out.append(r"\s+")
        elif ch.isalnum() or ch == "_":
            out.append(ch)
        else:
            out.append("\\" + ch if ch in r"\.^$|?*+()[]{}" else ch)
    return "".join(out)


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
