"""BIO tag sets: names <-> ids, the transitions BIO allows, entity spans and entity F1.

Use :class:`TagSpace` to turn tag names into the integer ids the sequence models work
with, to know which tag may follow which (``I-X`` only after ``B-X`` or ``I-X``), and to
compare predicted tags with gold tags by entity-level F1 (:func:`entity_f1`, the same
numbers as ``seqeval.metrics.f1_score`` in its default mode).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from weaklabel.errors import LabelSpaceError
from weaklabel.models.sequence._errors import Errors

__all__ = ["TagSpace", "entity_f1", "entity_spans"]

OUTSIDE = "O"


@dataclass(frozen=True, eq=False)
class TagSpace:
    """A BIO tag set: ``"O"`` plus ``"B-X"`` and ``"I-X"`` for every entity type ``X``.

    Parameters
    ----------
    tags : tuple of str
        Tag names in id order; the order is kept as given.

    Attributes
    ----------
    outside : int
        Id of ``"O"``.
    types : tuple of str
        Entity types, in the order their first tag appears.
    type_of : ndarray of shape (n_tags,), dtype int64
        Entity type id of every tag, ``-1`` for ``"O"``.
    is_begin, is_inside : ndarray of shape (n_tags,), dtype bool
    begin_id, inside_id : ndarray of shape (n_types,), dtype int64
        Tag id of ``B-X`` and ``I-X`` for every type.
    """

    tags: tuple[str, ...]
    outside: int = field(init=False)
    types: tuple[str, ...] = field(init=False)
    type_of: np.ndarray = field(init=False, repr=False)
    is_begin: np.ndarray = field(init=False, repr=False)
    is_inside: np.ndarray = field(init=False, repr=False)
    begin_id: np.ndarray = field(init=False, repr=False)
    inside_id: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        tags = tuple(str(t) for t in self.tags)
        object.__setattr__(self, "tags", tags)
        dupes = sorted(t for t, c in Counter(tags).items() if c > 1)
        if dupes:
            raise LabelSpaceError(Errors.E601.format(dupes=dupes))
        if OUTSIDE not in tags or len(tags) < 3:
            raise LabelSpaceError(Errors.E600.format(tags=list(tags)))
        types: list[str] = []
        positions: dict[str, dict[str, int]] = {}
        for k, tag in enumerate(tags):
            if tag == OUTSIDE:
                continue
            prefix, sep, etype = tag.partition("-")
            if not sep or prefix not in ("B", "I") or not etype:
                raise LabelSpaceError(Errors.E602.format(tag=tag))
            if etype not in positions:
                types.append(etype)
                positions[etype] = {}
            positions[etype][prefix] = k
        for etype in types:
            have = positions[etype]
            if len(have) != 2:
                present, missing = ("B-", "I-") if "B" in have else ("I-", "B-")
                raise LabelSpaceError(
                    Errors.E603.format(
                        etype=etype, present=present + etype, missing=missing + etype
                    )
                )
        n = len(tags)
        type_of = np.full(n, -1, dtype=np.int64)
        for t, etype in enumerate(types):
            type_of[positions[etype]["B"]] = t
            type_of[positions[etype]["I"]] = t
        object.__setattr__(self, "outside", tags.index(OUTSIDE))
        object.__setattr__(self, "types", tuple(types))
        object.__setattr__(self, "type_of", type_of)
        object.__setattr__(
            self, "is_begin", np.array([t.startswith("B-") for t in tags], dtype=bool)
        )
        object.__setattr__(
            self, "is_inside", np.array([t.startswith("I-") for t in tags], dtype=bool)
        )
        object.__setattr__(
            self, "begin_id", np.array([positions[e]["B"] for e in types], dtype=np.int64)
        )
        object.__setattr__(
            self, "inside_id", np.array([positions[e]["I"] for e in types], dtype=np.int64)
        )

    @classmethod
    def from_types(cls, types: Sequence[str]) -> TagSpace:
        """The canonical tag set ``("O", "B-T1", "I-T1", "B-T2", "I-T2", ...)``.

        Parameters
        ----------
        types : sequence of str
            Entity types, in order.
        """
        return cls(tuple([OUTSIDE, *(f"{p}-{t}" for t in types for p in ("B", "I"))]))

    @property
    def n_tags(self) -> int:
        """Number of tags ``K``."""
        return len(self.tags)

    @property
    def n_types(self) -> int:
        """Number of entity types."""
        return len(self.types)

    def allowed_transitions(self) -> np.ndarray:
        """Which tag may follow which under BIO.

        Returns
        -------
        ndarray of shape (n_tags, n_tags), dtype bool
            ``allowed[i, j]``: tag ``j`` may follow tag ``i`` (``I-X`` only after ``B-X``
            or ``I-X``; everything else is free).
        """
        allowed = np.ones((self.n_tags, self.n_tags), dtype=bool)
        for t in range(self.n_types):
            inside = self.inside_id[t]
            allowed[:, inside] = False
            allowed[self.begin_id[t], inside] = True
            allowed[inside, inside] = True
        return allowed

    def allowed_starts(self) -> np.ndarray:
        """Which tags may open a sentence: every tag but ``I-X``.

        Returns
        -------
        ndarray of shape (n_tags,), dtype bool
        """
        return ~self.is_inside

    def ids(self, tags: Sequence[str], *, index: int = 0) -> np.ndarray:
        """Tag ids of a list of tag names.

        Parameters
        ----------
        tags : sequence of str
        index : int, default 0
            Sentence number, for the error message.

        Returns
        -------
        ndarray of shape (len(tags),), dtype int64
        """
        lookup = {t: k for k, t in enumerate(self.tags)}
        try:
            return np.fromiter((lookup[t] for t in tags), dtype=np.int64, count=len(tags))
        except KeyError as exc:
            raise LabelSpaceError(
                Errors.E618.format(tag=exc.args[0], index=index, tags=list(self.tags))
            ) from None

    def names(self, ids: np.ndarray, lengths: np.ndarray) -> list[list[str]]:
        """Split flat tag ids into one list of tag names per sentence.

        Parameters
        ----------
        ids : ndarray of shape (n_tokens,)
        lengths : ndarray of shape (n_sentences,)

        Returns
        -------
        list of list of str
        """
        table = np.array(self.tags, dtype=object)
        flat = table[ids].tolist()
        bounds = np.concatenate([[0], np.cumsum(lengths)]).tolist()
        return [flat[a:b] for a, b in itertools.pairwise(bounds)]

    def repair(self, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Make flat tag ids valid BIO: an ``I-X`` that cannot continue becomes ``B-X``.

        Parameters
        ----------
        ids : ndarray of shape (n_tokens,)
        lengths : ndarray of shape (n_sentences,)

        Returns
        -------
        ndarray of shape (n_tokens,), dtype int64
        """
        ids = np.asarray(ids, dtype=np.int64).copy()
        if ids.size == 0:
            return ids
        starts = _starts(lengths, ids.size)
        prev = np.empty_like(ids)
        prev[1:] = ids[:-1]
        prev[starts] = self.outside
        typ = self.type_of[ids]
        broken = self.is_inside[ids] & (starts | (self.type_of[prev] != typ))
        ids[broken] = self.begin_id[typ[broken]]
        return ids


def _starts(lengths: np.ndarray, n_tokens: int) -> np.ndarray:
    """Boolean mask of the tokens that open a sentence."""
    mask = np.zeros(n_tokens, dtype=bool)
    bounds = np.cumsum(lengths)[:-1]
    mask[bounds[bounds < n_tokens]] = True
    if n_tokens:
        mask[0] = True
    return mask


def entity_spans(space: TagSpace, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Entity spans of flat tag ids, read the way seqeval reads BIO (default mode).

    A span opens on ``B-X``, or on an ``I-X`` that does not continue a span of type ``X``,
    and runs over the following ``I-X`` tokens of the same sentence.

    Parameters
    ----------
    space : TagSpace
    ids : ndarray of shape (n_tokens,)
    lengths : ndarray of shape (n_sentences,)

    Returns
    -------
    ndarray of shape (n_spans, 3), dtype int64
        ``(first token, last token, type id)`` per span, in flat token positions.
    """
    ids = np.asarray(ids, dtype=np.int64)
    n = ids.size
    if n == 0:
        return np.zeros((0, 3), dtype=np.int64)
    starts = _starts(np.asarray(lengths), n)
    typ = space.type_of[ids]
    prev_typ = np.empty_like(typ)
    prev_typ[1:] = typ[:-1]
    prev_typ[starts] = -1
    opens = (typ >= 0) & (space.is_begin[ids] | (prev_typ != typ))
    first = np.flatnonzero(opens)
    # a span runs while the next token continues it: I- of the same type, same sentence
    cont = np.zeros(n, dtype=bool)
    cont[:-1] = (typ[1:] >= 0) & (typ[1:] == typ[:-1]) & ~opens[1:] & ~starts[1:]
    # last token of each span: first position >= start where cont is False
    not_cont = np.flatnonzero(~cont)
    last = not_cont[np.searchsorted(not_cont, first)]
    return np.stack([first, last, typ[first]], axis=1)


def entity_f1(
    space: TagSpace, gold: np.ndarray, pred: np.ndarray, lengths: np.ndarray
) -> tuple[float, float, float]:
    """Entity-level (span-exact) precision, recall and F1, micro-averaged over types.

    The same numbers as ``seqeval.metrics`` in its default mode: a predicted entity counts
    only if its first token, last token and type all match a gold entity.

    Parameters
    ----------
    space : TagSpace
    gold, pred : ndarray of shape (n_tokens,)
        Flat tag ids.
    lengths : ndarray of shape (n_sentences,)

    Returns
    -------
    (precision, recall, f1) : tuple of float
        Each in [0, 1]; 0.0 where a denominator is zero.
    """
    g = entity_spans(space, gold, lengths)
    p = entity_spans(space, pred, lengths)
    width = max(int(gold.size), 1)
    n_types = space.n_types + 1

    def _keys(spans: np.ndarray) -> np.ndarray:
        return (spans[:, 0] * width + spans[:, 1]) * n_types + spans[:, 2]

    tp = np.intersect1d(_keys(g), _keys(p)).size
    precision = tp / len(p) if len(p) else 0.0
    recall = tp / len(g) if len(g) else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(precision), float(recall), float(f1)
