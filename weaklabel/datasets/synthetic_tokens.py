"""Synthetic token matrices: seeded NER corpora with sources of known quality and gold tags.

Use :func:`make_token_matrix` to test or benchmark a sequence label model where the truth
is known and every property of the sources is a knob: how often each source finds the
entities of each type (recall), how often it fires on things that are not entities
(precision), which types it confuses (``ORG`` tagged ``LOC``), how often it gets a
boundary wrong (one token too many or too few), which sources are copies of others or miss
the *same* hard entities, which output a type-less ``"ENT"`` (skweak's underspecified
label), and which never output some types. The ``"conll-like"`` preset
(:data:`PRESETS`) mimics a news NER set with many overlapping sources of very different
precision, where a model that learns per-type reliabilities beats a majority vote.

How a sentence is made: tokens are ``O`` unless an entity starts there (rate
``entity_rate``, type drawn from ``type_weights``, length from ``entity_lengths``);
entities never touch (a token of ``O`` follows each one). Every entity has a hardness
``z ~ N(0, 1)`` shared by all sources, and so has every *decoy* -- a run of ``O`` tokens
that looks like an entity of some type (a capitalised word, a name used as a common
noun), at rate ``decoy_rate``. Source ``j`` finds an entity of type ``t`` with probability
``sigmoid(logit(recall_j[t]) - hardness_j * z)`` and fires on a decoy with probability
``sigmoid(logit(false_positive_j) + hardness_j * z)``: sources with ``hardness > 0`` miss
the same hard entities and fall for the same convincing decoys, which is what makes their
votes correlated. On top of that a source fires at random (``noise`` spans per token).

Everything is drawn from one ``numpy.random.Generator`` seeded with ``seed``; the sources
are plain data (:class:`SyntheticSource`), so two calls with the same sources and
different seeds give a train and a test split of the same "dataset"::

    >>> from weaklabel.datasets.synthetic_tokens import make_token_matrix
    >>> train = make_token_matrix(preset="conll-like", n_sentences=200, seed=0)
    >>> test = make_token_matrix(preset="conll-like", n_sentences=200, seed=1)
    >>> train.matrix.entity_types
    ('PER', 'ORG', 'LOC', 'MISC', 'ENT')
    >>> train.entity_types
    ('PER', 'ORG', 'LOC', 'MISC')

``train.matrix`` is a :class:`~weaklabel.tokens.TokenMatrix` (what the sequence models
fit on), ``train.tags`` the gold BIO tags per sentence, and ``train.underspecified``
the mapping to pass to a model when some source emits ``"ENT"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from weaklabel.datasets._errors import Errors
from weaklabel.datasets._synthetic_token_sources import (
    PRESETS,
    UNDERSPECIFIED,
    SyntheticSource,
    conll_like_sources,
)
from weaklabel.errors import ParameterError
from weaklabel.tokens import TokenMatrix, tag_names_for

__all__ = [
    "PRESETS",
    "UNDERSPECIFIED",
    "SyntheticSource",
    "SyntheticTokens",
    "conll_like_sources",
    "make_token_matrix",
    "with_sources",
]
# SyntheticSource, the presets and UNDERSPECIFIED are written in a private module and
# documented here, their public home.


@dataclass(frozen=True, eq=False)
class SyntheticTokens:
    """A synthetic NER corpus: the sources' votes and the gold tags.

    Attributes
    ----------
    matrix : TokenMatrix
        The sources' votes; its ``entity_types`` are the true types, plus ``"ENT"`` when
        a source is underspecified.
    tags : list of list of str
        Gold BIO tags per sentence (true types only).
    entity_types : tuple of str
        The true entity types.
    underspecified : dict of str to tuple of str
        ``{"ENT": entity_types}`` when a source emits ``"ENT"``, else empty: pass it as a
        model's ``underspecified`` parameter.
    sources : tuple of SyntheticSource
    """

    matrix: TokenMatrix
    tags: list[list[str]]
    entity_types: tuple[str, ...]
    underspecified: dict[str, tuple[str, ...]]
    sources: tuple[SyntheticSource, ...]

    @property
    def weak(self) -> list[np.ndarray]:
        """The votes, one ``(n_tokens_i, n_sources)`` array of tag ids per sentence."""
        return self.matrix.weak

    @property
    def tag_names(self) -> tuple[str, ...]:
        """Tag names of the votes (``matrix.tag_names``)."""
        return self.matrix.tag_names

    @property
    def source_names(self) -> tuple[str, ...]:
        """Names of the sources, in column order."""
        return self.matrix.source_names

    @property
    def gold_tag_names(self) -> tuple[str, ...]:
        """Tag names of the gold tags: ``("O", "B-X1", "I-X1", ...)`` over the true types."""
        return tag_names_for(self.entity_types)

    def __len__(self) -> int:
        return len(self.tags)


# ----------------------------------------------------------------------------- presets
# ----------------------------------------------------------------------------- sampling
def _sigmoid(x: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def _logit(p: float) -> float:
    p = min(max(float(p), 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def _check(ok: bool, name: str, expected: str, value: object) -> None:
    if not ok:
        raise ParameterError(
            Errors.E060.format(name="make_token_matrix", param=name, expected=expected, value=value)
        )


@dataclass
class _Sentence:
    length: int
    entities: list[tuple[int, int, int, float]] = field(default_factory=list)  # a, b, type, z
    decoys: list[tuple[int, int, int, float]] = field(default_factory=list)


def _sample_sentences(
    rng: np.random.Generator,
    n_sentences: int,
    sentence_length: tuple[int, int],
    type_weights: np.ndarray,
    entity_rate: float,
    entity_lengths: np.ndarray,
    decoy_rate: float,
) -> list[_Sentence]:
    lo, hi = sentence_length
    sentences = []
    for length in rng.integers(lo, hi + 1, size=n_sentences):
        sentence = _Sentence(int(length))
        i = 0
        while i < length:
            u = rng.random()
            if u < entity_rate + decoy_rate:
                n = min(int(rng.choice(len(entity_lengths), p=entity_lengths)) + 1, length - i)
                t = int(rng.choice(len(type_weights), p=type_weights))
                z = float(rng.standard_normal())
                target = sentence.entities if u < entity_rate else sentence.decoys
                target.append((i, i + n, t, z))
                i += n + 1
            else:
                i += 1
        sentences.append(sentence)
    return sentences


def _shift(a: int, b: int, length: int, rng: np.random.Generator) -> tuple[int, int]:
    """A span one token off at its start or end, inside the sentence, never empty."""
    moves = []
    if a > 0:
        moves.append((a - 1, b))
    if b < length:
        moves.append((a, b + 1))
    if b - a > 1:
        moves += [(a + 1, b), (a, b - 1)]
    return moves[int(rng.integers(len(moves)))] if moves else (a, b)


def _source_spans(
    rng: np.random.Generator,
    source: SyntheticSource,
    sentence: _Sentence,
    types: tuple[str, ...],
    recall: np.ndarray,
    allowed: np.ndarray,
) -> list[tuple[int, int, int]]:
    """The spans ``(start, end, type id)`` one source puts on one sentence (may overlap)."""
    spans: list[tuple[int, int, int]] = []
    n_types = len(types)
    logit_fp = _logit(source.false_positive) if source.false_positive > 0 else None
    for a, b, t, z in sentence.entities:
        if not allowed[t] or recall[t] <= 0:
            continue
        if rng.random() >= _sigmoid(_logit(recall[t]) - source.hardness * z):
            continue
        out = t
        if source.confusion > 0 and rng.random() < source.confusion and n_types > 1:
            wanted = (source.confuse or {}).get(types[t])
            if wanted is not None and wanted in types:
                out = types.index(wanted)
            else:
                out = int((t + 1 + rng.integers(n_types - 1)) % n_types)
        if source.boundary > 0 and rng.random() < source.boundary:
            a, b = _shift(a, b, sentence.length, rng)
        spans.append((a, b, out))
    if logit_fp is not None:
        for a, b, t, z in sentence.decoys:
            if allowed[t] and rng.random() < _sigmoid(logit_fp + source.hardness * z):
                spans.append((a, b, t))
    if source.noise > 0:
        out_types = np.flatnonzero(allowed)
        for start in np.flatnonzero(rng.random(sentence.length) < source.noise):
            n = 1 + int(rng.random() < 0.3)
            t = int(out_types[rng.integers(len(out_types))]) if len(out_types) else 0
            spans.append((int(start), min(int(start) + n, sentence.length), t))
    return spans


def _write(column: np.ndarray, spans: list[tuple[int, int, int]], ids: np.ndarray) -> None:
    """BIO tag ids of non-overlapping spans into a column (earlier spans win)."""
    taken = np.zeros(len(column), dtype=bool)
    for a, b, t in spans:
        if taken[a:b].any():
            continue
        taken[a:b] = True
        column[a] = ids[t, 0]
        column[a + 1 : b] = ids[t, 1]


def make_token_matrix(
    sources: Sequence[SyntheticSource] | None = None,
    *,
    preset: str | None = None,
    entity_types: Sequence[str] = ("PER", "ORG", "LOC", "MISC"),
    type_weights: Sequence[float] | None = None,
    n_sentences: int = 1000,
    sentence_length: tuple[int, int] = (4, 30),
    entity_rate: float = 0.1,
    entity_lengths: Sequence[float] = (0.6, 0.3, 0.1),
    decoy_rate: float = 0.05,
    seed: int = 0,
) -> SyntheticTokens:
    """A seeded synthetic NER corpus: sources' BIO votes and the gold BIO tags.

    Parameters
    ----------
    sources : sequence of SyntheticSource, optional
        The sources, in column order. ``None`` takes the preset's (with ``preset``) or
        :func:`conll_like_sources` of ``entity_types``.
    preset : str, optional
        A key of :data:`PRESETS`; its values replace the defaults of the other keyword
        arguments, but arguments passed explicitly win.
    entity_types : sequence of str, default ("PER", "ORG", "LOC", "MISC")
    type_weights : sequence of float, optional
        Relative frequency of each type (uniform by default).
    n_sentences : int, default 1000
    sentence_length : tuple of int, default (4, 30)
        Smallest and largest sentence length, in tokens (uniform in between).
    entity_rate : float, default 0.1
        Probability that an entity starts at a given token.
    entity_lengths : sequence of float, default (0.6, 0.3, 0.1)
        Relative frequency of entities of 1, 2, 3, ... tokens.
    decoy_rate : float, default 0.05
        Probability that a decoy (an entity look-alike made of ``O`` tokens) starts at a
        given token.
    seed : int, default 0

    Returns
    -------
    SyntheticTokens
        ``matrix.weak[i]`` has shape (n_tokens_i, n_sources); ``tags[i]`` has n_tokens_i
        gold tags.

    Examples
    --------
    >>> data = make_token_matrix(
    ...     [SyntheticSource("a", recall=0.9), SyntheticSource("b", recall=0.5)],
    ...     entity_types=["PER"], n_sentences=3, seed=0,
    ... )
    >>> data.matrix.n_sources, len(data.tags)
    (2, 3)
    """
    args: dict[str, Any] = {
        "entity_types": entity_types,
        "type_weights": type_weights,
        "sentence_length": sentence_length,
        "entity_rate": entity_rate,
        "entity_lengths": entity_lengths,
        "decoy_rate": decoy_rate,
    }
    if preset is not None:
        _check(preset in PRESETS, "preset", f"one of {sorted(PRESETS)}", preset)
        defaults = {
            "entity_types": ("PER", "ORG", "LOC", "MISC"),
            "type_weights": None,
            "sentence_length": (4, 30),
            "entity_rate": 0.1,
            "entity_lengths": (0.6, 0.3, 0.1),
            "decoy_rate": 0.05,
        }
        for key, value in PRESETS[preset].items():
            if key == "sources":
                if sources is None and value is not None:
                    sources = value
            elif args[key] == defaults[key]:
                args[key] = value
    types = tuple(str(t) for t in args["entity_types"])
    _check(len(types) > 0 and len(set(types)) == len(types), "entity_types", "unique names", types)
    _check(UNDERSPECIFIED not in types, "entity_types", f"free of {UNDERSPECIFIED!r}", types)
    if sources is None:
        _check(len(types) == 4, "entity_types", "four types for the conll-like sources", types)
        sources = conll_like_sources(types)
    sources = tuple(sources)
    _check(len(sources) > 0, "sources", "at least one SyntheticSource", sources)
    names = [s.name for s in sources]
    _check(len(set(names)) == len(names), "sources", "uniquely named", names)
    weights = np.ones(len(types)) if args["type_weights"] is None else args["type_weights"]
    weights = np.asarray(weights, dtype=np.float64)
    _check(
        bool(weights.shape == (len(types),) and (weights >= 0).all() and weights.sum() > 0),
        "type_weights",
        "one non-negative weight per type",
        args["type_weights"],
    )
    lengths = np.asarray(args["entity_lengths"], dtype=np.float64)
    _check(
        bool(lengths.ndim == 1 and lengths.size > 0 and (lengths >= 0).all() and lengths.sum() > 0),
        "entity_lengths",
        "non-negative weights of lengths 1, 2, ...",
        args["entity_lengths"],
    )
    lo, hi = (int(v) for v in args["sentence_length"])
    _check(1 <= lo <= hi, "sentence_length", "(min, max) with 1 <= min <= max", (lo, hi))
    rate, decoy = float(args["entity_rate"]), float(args["decoy_rate"])
    _check(rate >= 0 and decoy >= 0 and rate + decoy < 1, "entity_rate + decoy_rate", "< 1", rate)
    _check(int(n_sentences) >= 0, "n_sentences", "an integer >= 0", n_sentences)

    rng = np.random.default_rng(seed)
    sentences = _sample_sentences(
        rng,
        int(n_sentences),
        (lo, hi),
        weights / weights.sum(),
        rate,
        lengths / lengths.sum(),
        decoy,
    )
    underspecified = any(s.underspecified for s in sources)
    out_types = (*types, UNDERSPECIFIED) if underspecified else types
    ids = np.array([[1 + 2 * t, 2 + 2 * t] for t in range(len(out_types))], dtype=np.int64)
    ent = len(types)
    per_source: list[tuple[np.ndarray, np.ndarray, int]] = []
    for j, source in enumerate(sources):
        if isinstance(source.recall, Mapping):
            unknown = set(source.recall) - set(types)
            _check(not unknown, f"sources[{j}].recall", f"keyed by {types}", source.recall)
            recall = np.array([float(source.recall.get(t, 0.0)) for t in types])
        else:
            recall = np.full(len(types), float(source.recall))
        allowed = np.ones(len(types), dtype=bool)
        if source.types is not None:
            unknown = set(source.types) - set(types)
            _check(not unknown, f"sources[{j}].types", f"a subset of {types}", source.types)
            allowed = np.array([t in source.types for t in types])
        copy = -1
        if source.copy_of is not None:
            _check(
                source.copy_of in names[:j],
                f"sources[{j}].copy_of",
                "the name of an earlier source",
                source.copy_of,
            )
            copy = names.index(source.copy_of)
        per_source.append((recall, allowed, copy))

    weak: list[np.ndarray] = []
    gold: list[list[str]] = []
    for sentence in sentences:
        votes = np.zeros((sentence.length, len(sources)), dtype=np.int64)
        drawn: list[list[tuple[int, int, int]]] = []
        for j, source in enumerate(sources):
            recall, allowed, copy = per_source[j]
            spans = []
            if copy >= 0:
                spans = [s for s in drawn[copy] if rng.random() < source.copy_rate]
            own = _source_spans(rng, source, sentence, types, recall, allowed)
            spans += own
            drawn.append(spans)
            if source.underspecified:
                spans = [(a, b, ent) for a, b, _ in spans]
            _write(votes[:, j], spans, ids)
        weak.append(votes)
        tags = ["O"] * sentence.length
        for a, b, t, _ in sentence.entities:
            tags[a] = f"B-{types[t]}"
            for i in range(a + 1, b):
                tags[i] = f"I-{types[t]}"
        gold.append(tags)
    matrix = TokenMatrix(weak, tuple(names), out_types)
    mapping = {UNDERSPECIFIED: types} if underspecified else {}
    return SyntheticTokens(matrix, gold, types, mapping, sources)


def with_sources(data_sources: Sequence[SyntheticSource], **changes: Any) -> list[SyntheticSource]:
    """Copies of ``data_sources`` with the same fields changed on all (a grid helper)."""
    return [replace(s, **changes) for s in data_sources]
