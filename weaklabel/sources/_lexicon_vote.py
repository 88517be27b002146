"""How a lexicon votes: the scores, negation and margin rule of :class:`LexiconSource`.

Internal to :mod:`weaklabel.sources.lexicon`, which documents the voting rule and is the
public home of :class:`LexiconSource` and :data:`NEGATORS`.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from weaklabel._fingerprint import digest
from weaklabel.errors import Errors, SourceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.sources.base import Corpus, Row, Source, one_text, resolve_fixed_label

if TYPE_CHECKING:
    import pyarrow as pa

    from weaklabel.sources.lexicon import Lexicon

__all__ = ["NEGATORS", "LexiconSource"]

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

        text = one_text(x if isinstance(x, str) else Row(x)[self.text_column or "text"])
        if text is None:  # missing text: no vote, as in apply
            return ABSTAIN
        corpus = Corpus(pd.DataFrame({"text": [text]}), "text")
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
