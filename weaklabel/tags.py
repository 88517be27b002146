"""Tags and spans: the one place that reads and writes BIO, IOBES and BILOU.

Use this module whenever token tags and entity spans meet: a span is a
:data:`SpanTuple` ``(start, end, label)`` of token offsets (end exclusive);
:func:`bio_to_spans` reads the spans of a tag sequence in any of the usual schemes and
:func:`spans_to_bio` writes them back; :class:`TagSpace` numbers a BIO tag set for the
sequence label models (which tag may follow which, entity spans of tag ids,
entity-level F1). :class:`~weaklabel.tokens.TokenMatrix`, the sequence models, the
CoNLL and WRENCH readers and the entity-aware augmenters all decode through here, so a
tag sequence means the same spans everywhere.

How tags are read (``scheme="auto"`` accepts every prefix below):

* ``B-X`` opens a span (BIO, IOBES, BILOU);
* ``I-X`` continues a span of type ``X``, and opens one after ``O``, after another type,
  after a closed span or first (so IOB1, CoNLL-2003's original scheme, reads right);
* ``E-X`` (IOBES) and ``L-X`` (BILOU) close the span they continue, or are a one-token
  span when they continue none;
* ``S-X`` (IOBES) and ``U-X`` (BILOU) are one-token spans.

So ``["B-PER", "L-PER"]`` is one span ``(0, 2, "PER")`` and ``["U-PER", "I-PER"]`` two.

Examples
--------
>>> bio_to_spans(["B-PER", "I-PER", "O", "I-LOC", "S-ORG"])
[(0, 2, 'PER'), (3, 4, 'LOC'), (4, 5, 'ORG')]
>>> spans_to_bio([(0, 2, "PER"), (3, 4, "LOC")], 4, scheme="bilou")
['B-PER', 'L-PER', 'O', 'U-LOC']
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np

from weaklabel.errors import Errors, LabelSpaceError, ParameterError

__all__ = [
    "OUTSIDE",
    "SCHEMES",
    "SpanTuple",
    "TagSpace",
    "bio_to_spans",
    "check_entity_types",
    "entity_f1",
    "entity_spans",
    "resolve_overlaps",
    "sentence_starts",
    "spans_to_bio",
    "split_tag",
    "tag_names_for",
]

SpanTuple: TypeAlias = tuple[int, int, str]
"""A token span ``(start, end, label)``: tokens ``start .. end-1`` (end exclusive)."""

OUTSIDE = "O"
"""The tag of a token outside every entity."""

SCHEMES: dict[str, frozenset[str]] = {
    "auto": frozenset("BIESLU"),
    "bio": frozenset("BI"),
    "iobes": frozenset("BIES"),
    "bilou": frozenset("BILU"),
}
"""The tag schemes, with the prefixes each one uses besides ``O``."""

_UNIT = frozenset("SU")  # a one-token span
_LAST = frozenset("EL")  # closes the span it continues


# ------------------------------------------------------------------------ tag names
def check_entity_types(entity_types: Iterable[str]) -> tuple[str, ...]:
    """Entity types as a tuple, after checking they can name tags.

    Parameters
    ----------
    entity_types : iterable of str
        Distinct, non-empty names other than ``"O"`` (a list, not one string).

    Returns
    -------
    tuple of str
    """
    if isinstance(entity_types, str):
        raise ParameterError(
            Errors.E512.format(types=repr(entity_types), problem="give a list, not one string")
        )
    types = tuple(entity_types)
    bad = [t for t in types if not isinstance(t, str) or not t or t == OUTSIDE]
    if bad:
        raise ParameterError(Errors.E512.format(types=list(types), problem=f"bad names {bad}"))
    if len(set(types)) != len(types):
        dupes = sorted({t for t in types if types.count(t) > 1})
        raise ParameterError(Errors.E512.format(types=list(types), problem=f"duplicates {dupes}"))
    return types


def _bio_names(types: Iterable[str]) -> tuple[str, ...]:
    return (OUTSIDE, *(f"{p}-{t}" for t in types for p in ("B", "I")))


def tag_names_for(entity_types: Sequence[str]) -> tuple[str, ...]:
    """The BIO tag names of ``entity_types``: ``("O", "B-X1", "I-X1", "B-X2", ...)``.

    Parameters
    ----------
    entity_types : sequence of str
        Distinct, non-empty names other than ``"O"``.

    Returns
    -------
    tuple of str of length ``1 + 2 * len(entity_types)``
        Tag ``B-X`` of the ``k``-th type has id ``1 + 2k``; ``I-X`` has id ``2 + 2k``.
    """
    return _bio_names(check_entity_types(entity_types))


def split_tag(tag: str, scheme: str = "auto") -> tuple[str, str]:
    """Split a tag into its prefix and entity type: ``"B-X"`` -> ``("B", "X")``.

    Parameters
    ----------
    tag : str
    scheme : {"auto", "bio", "iobes", "bilou"}, default "auto"
        The prefixes accepted (see :data:`SCHEMES`).

    Returns
    -------
    (prefix, label) : tuple of str
        ``("O", "")`` for ``"O"``.

    Raises
    ------
    ValueError
        When ``tag`` is not ``"O"`` or ``"<prefix>-<label>"`` of the scheme.
    """
    if tag == OUTSIDE:
        return OUTSIDE, ""
    if isinstance(tag, str) and len(tag) > 2 and tag[1] == "-" and tag[0] in SCHEMES[scheme]:
        return tag[0], tag[2:]
    raise ValueError(tag)


def _check_scheme(scheme: str, where: str, options: Iterable[str] = SCHEMES) -> None:
    if scheme not in options:
        raise ParameterError(
            Errors.E060.format(
                name=where, param="scheme", expected=f"one of {list(options)}", value=scheme
            )
        )


# --------------------------------------------------------------------- spans <-> tags
def resolve_overlaps(spans: Iterable[SpanTuple]) -> list[SpanTuple]:
    """Keep a set of non-overlapping spans, longest first.

    Spans are taken in order of decreasing length, then increasing start (then the order
    given, for identical boundaries); a span is kept when none of its tokens is taken
    yet. This is how one source's overlapping spans become one tag per token.

    Parameters
    ----------
    spans : iterable of (start, end, label)

    Returns
    -------
    list of (start, end, label)
        The kept spans, sorted by start.
    """
    items = list(spans)
    if len(items) < 2:
        return items
    order = sorted(range(len(items)), key=lambda i: (items[i][0] - items[i][1], items[i][0], i))
    kept: list[SpanTuple] = []
    taken: set[int] = set()
    for i in order:
        start, end, label = items[i]
        if any(t in taken for t in range(start, end)):
            continue
        taken.update(range(start, end))
        kept.append((start, end, label))
    kept.sort(key=lambda s: s[0])
    return kept


def spans_to_bio(spans: Iterable[SpanTuple], n_tokens: int, *, scheme: str = "bio") -> list[str]:
    """Tags of ``n_tokens`` tokens from token spans.

    Parameters
    ----------
    spans : iterable of (start, end, label)
        Token offsets, end exclusive. Overlapping spans are resolved longest first
        (:func:`resolve_overlaps`).
    n_tokens : int
    scheme : {"bio", "iobes", "bilou"}, default "bio"
        ``"iobes"`` writes ``S-`` for a one-token span and ``E-`` on a span's last token;
        ``"bilou"`` writes ``U-`` and ``L-``.

    Returns
    -------
    list of str of length n_tokens

    Examples
    --------
    >>> spans_to_bio([(1, 3, "PER"), (2, 3, "LOC")], 4)
    ['O', 'B-PER', 'I-PER', 'O']
    """
    _check_scheme(scheme, "spans_to_bio", ("bio", "iobes", "bilou"))
    unit, last = {"bio": ("B", "I"), "iobes": ("S", "E"), "bilou": ("U", "L")}[scheme]
    tags = [OUTSIDE] * n_tokens
    for start, end, label in resolve_overlaps(spans):
        if not 0 <= start < end <= n_tokens:
            raise ParameterError(
                Errors.E500.format(
                    source="spans_to_bio",
                    value=repr((start, end, label)),
                    doc="-",
                    n_tokens=n_tokens,
                )
            )
        if end - start == 1:
            tags[start] = f"{unit}-{label}"
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end - 1):
            tags[i] = f"I-{label}"
        tags[end - 1] = f"{last}-{label}"
    return tags


def bio_to_spans(tags: Sequence[str], *, scheme: str = "auto") -> list[SpanTuple]:
    """Token spans from a sequence of tags, tolerant of ill-formed sequences.

    An ``I-X`` that does not continue an ``X`` entity (after ``O``, another type, or a
    closed span) opens a new span, so IOB1 tags (CoNLL-2003's original scheme) decode
    correctly. ``E-``/``L-`` close the span they continue; ``S-``/``U-`` are one-token
    spans (see the module docstring).

    Parameters
    ----------
    tags : sequence of str
        One tag per token: ``"O"`` or ``"<prefix>-<label>"``.
    scheme : {"auto", "bio", "iobes", "bilou"}, default "auto"
        The prefixes accepted; a tag outside the scheme raises [E510].

    Returns
    -------
    list of (start, end, label)
        Sorted by start; end exclusive.

    Examples
    --------
    >>> bio_to_spans(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"])
    [(0, 2, 'PER'), (3, 4, 'LOC'), (4, 5, 'LOC'), (5, 6, 'ORG')]
    >>> bio_to_spans(["B-PER", "L-PER", "I-PER"])
    [(0, 2, 'PER'), (2, 3, 'PER')]
    """
    _check_scheme(scheme, "bio_to_spans")
    spans: list[SpanTuple] = []
    start = -1  # start of the open span, -1 when none is open
    label = ""
    for i, tag in enumerate(tags):
        try:
            prefix, kind = split_tag(tag, scheme)
        except (ValueError, TypeError):
            raise ParameterError(
                Errors.E510.format(tag=tag, token=i, doc="-", where="", types="(any)")
            ) from None
        continues = start >= 0 and kind == label and prefix in "IEL"
        if start >= 0 and not continues:
            spans.append((start, i, label))
            start = -1
        if prefix == OUTSIDE:
            continue
        if not continues:
            start, label = i, kind
        if prefix in _UNIT or prefix in _LAST:
            spans.append((start, i + 1, label))
            start = -1
    if start >= 0:
        spans.append((start, len(tags), label))
    return spans


# -------------------------------------------------------------------------- tag space
def sentence_starts(lengths: np.ndarray | Sequence[int], n_tokens: int) -> np.ndarray:
    """Boolean mask of the tokens that open a sentence, for sentences stored flat.

    Parameters
    ----------
    lengths : array-like of shape (n_sentences,)
        Tokens per sentence (zero-length sentences are allowed).
    n_tokens : int
        ``sum(lengths)``.

    Returns
    -------
    ndarray of shape (n_tokens,), dtype bool
    """
    mask = np.zeros(n_tokens, dtype=bool)
    bounds = np.cumsum(np.asarray(lengths, dtype=np.int64))[:-1]
    mask[bounds[bounds < n_tokens]] = True
    if n_tokens:
        mask[0] = True
    return mask


@dataclass(frozen=True, eq=False)
class TagSpace:
    """A BIO tag set: ``"O"`` plus ``"B-X"`` and ``"I-X"`` for every entity type ``X``.

    Use it to turn tag names into the integer ids the sequence models work with, to know
    which tag may follow which (``I-X`` only after ``B-X`` or ``I-X``), and to read the
    entity spans of tag ids (:func:`entity_spans`, :func:`entity_f1`).

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

    Examples
    --------
    >>> space = TagSpace.from_types(["PER", "LOC"])
    >>> space.tags, space.type_of.tolist()
    (('O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'), [-1, 0, 0, 1, 1])
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
            raise LabelSpaceError(Errors.E011.format(what="Tags", dupes=dupes))
        if OUTSIDE not in tags or len(tags) < 3:
            raise LabelSpaceError(Errors.E600.format(tags=list(tags)))
        types: list[str] = []
        positions: dict[str, dict[str, int]] = {}
        for k, tag in enumerate(tags):
            if tag == OUTSIDE:
                continue
            try:
                prefix, etype = split_tag(tag, "bio")
            except ValueError:
                raise LabelSpaceError(Errors.E602.format(tag=tag)) from None
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
        begin = np.array([positions[e]["B"] for e in types], dtype=np.int64)
        inside = np.array([positions[e]["I"] for e in types], dtype=np.int64)
        type_of = np.full(len(tags), -1, dtype=np.int64)
        type_of[begin] = np.arange(len(types))
        type_of[inside] = np.arange(len(types))
        is_begin = np.zeros(len(tags), dtype=bool)
        is_begin[begin] = True
        is_inside = np.zeros(len(tags), dtype=bool)
        is_inside[inside] = True
        object.__setattr__(self, "outside", tags.index(OUTSIDE))
        object.__setattr__(self, "types", tuple(types))
        object.__setattr__(self, "type_of", type_of)
        object.__setattr__(self, "is_begin", is_begin)
        object.__setattr__(self, "is_inside", is_inside)
        object.__setattr__(self, "begin_id", begin)
        object.__setattr__(self, "inside_id", inside)

    @classmethod
    def from_types(cls, types: Sequence[str]) -> TagSpace:
        """The canonical tag set ``("O", "B-T1", "I-T1", "B-T2", "I-T2", ...)``.

        The same names, in the same order, as :func:`tag_names_for`.

        Parameters
        ----------
        types : sequence of str
            Entity types, in order.
        """
        return cls(_bio_names(types))

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
        ids : ndarray of shape (n_tokens,) or (n_tokens, n_sources)
            Tag ids; ``-1`` (a source that abstained) is kept and reads as ``O``.
        lengths : ndarray of shape (n_sentences,)

        Returns
        -------
        ndarray of the shape of ``ids``, dtype int64
        """
        ids = np.array(ids, dtype=np.int64)
        if ids.size == 0:
            return ids
        known = ids >= 0
        tags = np.where(known, ids, self.outside)
        typ = self.type_of[tags]
        prev = np.full_like(typ, -1)
        prev[1:] = typ[:-1]
        prev[sentence_starts(lengths, len(ids))] = -1
        broken = known & self.is_inside[tags] & (prev != typ)
        ids[broken] = self.begin_id[typ[broken]]
        return ids


# ---------------------------------------------------------------- spans of tag ids
def entity_spans(space: TagSpace, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Entity spans of flat tag ids, read as :func:`bio_to_spans` reads BIO.

    A span opens on ``B-X``, or on an ``I-X`` that does not continue a span of type
    ``X``, and runs over the following ``I-X`` tokens of the same sentence (the way
    seqeval reads BIO in its default mode).

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
    starts = sentence_starts(lengths, n)
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
