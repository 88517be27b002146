"""Duplicate filters: drop augmented texts that copy an original, a test text or each other.

Use them after :meth:`~weaklabel.augment.base.Augmenter.augment_examples`:

- :func:`exact_duplicates` marks repeated texts (up to whitespace and case).
- :class:`NearDuplicateFilter` drops texts that are near-copies (MinHash over character
  shingles, LSH banding, estimated Jaccard similarity) of a reference set (e.g. the test
  set) or of an earlier text; :func:`near_duplicate_pairs` lists such pairs.

Everything is numpy-only and deterministic for a given ``seed``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from weaklabel._deprecated import moved_names
from weaklabel.augment.base import Params, invalid_argument
from weaklabel.augment.filters.base import Columns, Filter

__all__ = ["NearDuplicateFilter", "exact_duplicates", "near_duplicate_pairs", "normalise_text"]

# The messages of FilterErrors are in the augment catalogue now.
__getattr__ = moved_names(__name__, {"FilterErrors": "weaklabel.augment._errors:Errors"})

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_EMPTY = np.iinfo(np.uint64).max


def normalise_text(text: object) -> str:
    """Lower-case ``text`` and collapse runs of whitespace to one space.

    Parameters
    ----------
    text : object
        A string; ``None`` and NaN give ``""``, anything else is passed through ``str``.

    Returns
    -------
    str
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    return " ".join(str(text).split()).lower()


def _as_list(texts: Iterable[object] | str) -> list[object]:
    if isinstance(texts, str):
        return [texts]
    if isinstance(texts, pd.DataFrame):
        raise invalid_argument("filters", "texts", "a sequence of str or a Series", "DataFrame")
    return list(texts)


def exact_duplicates(texts: Iterable[object] | str) -> np.ndarray:
    """Mask that keeps the first occurrence of each text (ignoring whitespace and case).

    Parameters
    ----------
    texts : iterable of str
        The texts, of length ``n``.

    Returns
    -------
    ndarray of shape (n,), dtype bool
        ``True`` for the first occurrence of each normalised text, ``False`` for repeats.
    """
    seen: set[str] = set()
    items = _as_list(texts)
    keep = np.zeros(len(items), dtype=bool)
    for i, text in enumerate(items):
        key = normalise_text(text)
        if key not in seen:
            seen.add(key)
            keep[i] = True
    return keep


def _check_params(name: str, threshold: float, num_perm: int, ngram: int) -> None:
    if isinstance(threshold, bool) or not 0.0 < float(threshold) <= 1.0:
        raise invalid_argument(name, "threshold", "in (0, 1]", threshold)
    for param, value in (("num_perm", num_perm), ("ngram", ngram)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise invalid_argument(name, param, "a positive integer", value)


def _band_shape(num_perm: int, threshold: float, recall: float = 0.995) -> tuple[int, int]:
    """Bands and rows per band for LSH: the fewest bands that catch pairs at ``threshold``.

    Returns ``(bands, rows)`` with ``bands * rows <= num_perm``, choosing the largest
    ``rows`` (fewest false candidates) for which a pair of Jaccard ``threshold`` becomes a
    candidate with probability at least ``recall``; falls back to one row per band.
    """
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        p_candidate = 1.0 - (1.0 - threshold**rows) ** bands
        if p_candidate >= recall:
            return bands, rows
    return num_perm, 1  # pragma: no cover - rows == 1 always reaches the recall


class _MinHasher:
    """MinHash signatures of character shingles, computed with numpy."""

    def __init__(self, num_perm: int, ngram: int, seed: int) -> None:
        self.num_perm = num_perm
        self.ngram = ngram
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, int(_MERSENNE), size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, int(_MERSENNE), size=num_perm, dtype=np.uint64)

    def shingle_hashes(self, text: object) -> np.ndarray:
        norm = normalise_text(text)
        if not norm:
            return np.zeros(0, dtype=np.uint64)
        k = self.ngram
        grams = {norm} if len(norm) <= k else {norm[i : i + k] for i in range(len(norm) - k + 1)}
        return np.fromiter(
            (zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams)
        )

    def signatures(self, texts: Sequence[object]) -> np.ndarray:
        """Signatures of shape (n, num_perm), dtype uint64; all-max rows for empty texts."""
        out = np.full((len(texts), self.num_perm), _EMPTY, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i, text in enumerate(texts):
                h = self.shingle_hashes(text)
                if h.size:
                    perm = (h[:, None] * self.a[None, :] + self.b[None, :]) % _MERSENNE
                    out[i] = (perm & _MAX_HASH).min(axis=0)
        return out


def _candidate_pairs(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of rows of ``sig`` that share at least one band."""
    n = sig.shape[0]
    valid = sig[:, 0] != _EMPTY
    found: list[np.ndarray] = []
    for band in range(bands):
        chunk = np.ascontiguousarray(sig[:, band * rows : (band + 1) * rows])
        keys = chunk.view(np.dtype((np.void, chunk.dtype.itemsize * rows))).ravel()
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        inverse = inverse.ravel()
        shared = (counts[inverse] > 1) & valid
        if not shared.any():
            continue
        idx = np.flatnonzero(shared)
        order = np.argsort(inverse[idx], kind="stable")
        idx = idx[order]
        groups = np.split(idx, np.flatnonzero(np.diff(inverse[idx])) + 1)
        for group in groups:
            if group.size < 2:
                continue
            ii, jj = np.triu_indices(group.size, k=1)
            found.append(np.stack([group[ii], group[jj]], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([codes // n, codes % n], axis=1)


def _similar_pairs(
    sig: np.ndarray, threshold: float, bands: int, rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs of shape (m, 2) whose estimated Jaccard is >= threshold, and it."""
    pairs = _candidate_pairs(sig, bands, rows)
    if pairs.size == 0:
        return pairs, np.zeros(0, dtype=np.float64)
    sim = (sig[pairs[:, 0]] == sig[pairs[:, 1]]).mean(axis=1)
    ok = sim >= threshold - 1e-12
    return pairs[ok], sim[ok]


def near_duplicate_pairs(
    left: Iterable[object] | str,
    right: Iterable[object] | str | None = None,
    threshold: float = 0.8,
    *,
    num_perm: int = 64,
    ngram: int = 5,
    seed: int = 0,
) -> pd.DataFrame:
    """Pairs of near-duplicate texts, by MinHash-estimated Jaccard similarity.

    Parameters
    ----------
    left : iterable of str
        ``n_left`` texts.
    right : iterable of str, optional
        ``n_right`` texts. When omitted, pairs within ``left`` are returned
        (``left_index < right_index``, both indexing ``left``).
    threshold : float, default=0.8
        Minimum estimated Jaccard similarity of the character ``ngram`` shingles.
    num_perm : int, default=64
        MinHash permutations (more = more precise estimates, slower).
    ngram : int, default=5
        Shingle length in characters (texts are lower-cased, whitespace collapsed).
    seed : int, default=0
        Seed of the hash permutations.

    Returns
    -------
    DataFrame
        Columns ``left_index``, ``right_index`` (int64 positions) and ``similarity``
        (float64), one row per pair, sorted by ``left_index`` then ``right_index``.
        Empty texts never match.
    """
    _check_params("near_duplicate_pairs", threshold, num_perm, ngram)
    hasher = _MinHasher(num_perm, ngram, seed)
    bands, rows = _band_shape(num_perm, float(threshold))
    left_items = _as_list(left)
    if right is None:
        pairs, sim = _similar_pairs(hasher.signatures(left_items), threshold, bands, rows)
        li, ri = pairs[:, 0], pairs[:, 1]
    else:
        right_items = _as_list(right)
        n_left = len(left_items)
        sig = hasher.signatures(left_items + right_items)
        pairs, sim = _similar_pairs(sig, threshold, bands, rows)
        cross = (pairs[:, 0] < n_left) & (pairs[:, 1] >= n_left)
        li, ri, sim = pairs[cross, 0], pairs[cross, 1] - n_left, sim[cross]
    frame = pd.DataFrame(
        {
            "left_index": np.asarray(li, dtype=np.int64),
            "right_index": np.asarray(ri, dtype=np.int64),
            "similarity": np.asarray(sim, dtype=np.float64),
        }
    )
    return frame.sort_values(["left_index", "right_index"], ignore_index=True)


class NearDuplicateFilter(Params, Filter):
    """Drop texts that are near-copies of a reference set or of an earlier text.

    MinHash over character shingles, with LSH banding to find candidate pairs, each
    verified by its estimated Jaccard similarity.

    Parameters
    ----------
    threshold : float, default=0.8
        Texts whose estimated Jaccard similarity is at least this are near-duplicates.
    num_perm : int, default=64
        MinHash permutations.
    ngram : int, default=5
        Shingle length in characters (after lower-casing and collapsing whitespace).
    seed : int, default=0
        Seed of the hash permutations.

    Examples
    --------
    >>> f = NearDuplicateFilter(threshold=0.7).fit(["the film was great fun to watch"])
    >>> f.keep(["the film was great fun to watch!", "a dull and slow story"]).tolist()
    [False, True]
    """

    def __init__(
        self, threshold: float = 0.8, num_perm: int = 64, ngram: int = 5, seed: int = 0
    ) -> None:
        _check_params(type(self).__name__, threshold, num_perm, ngram)
        self.threshold = float(threshold)
        self.num_perm = num_perm
        self.ngram = ngram
        self.seed = seed
        self._hasher = _MinHasher(num_perm, ngram, seed)
        self._bands, self._rows = _band_shape(num_perm, self.threshold)
        self.reference_signatures_ = np.zeros((0, num_perm), dtype=np.uint64)

    def signatures(self, texts: Iterable[object] | str) -> np.ndarray:
        """MinHash signatures.

        Parameters
        ----------
        texts : iterable of str
            The ``n`` texts to hash.

        Returns
        -------
        ndarray of shape (n, num_perm), dtype uint64
        """
        return self._hasher.signatures(_as_list(texts))

    def fit(self, reference_texts: Iterable[object] | str) -> NearDuplicateFilter:
        """Remember the reference texts (e.g. the test set) that kept texts must not copy.

        Parameters
        ----------
        reference_texts : iterable of str
            The ``n_ref`` reference texts.

        Returns
        -------
        NearDuplicateFilter
            ``self``, with ``reference_signatures_`` of shape ``(n_ref, num_perm)``.
        """
        self.reference_signatures_ = self.signatures(reference_texts)
        return self

    def keep(self, texts: Iterable[object] | str) -> np.ndarray:
        """Mask of the texts to keep.

        A text is dropped when it is a near-duplicate of a reference text (see
        :meth:`fit`) or of an earlier kept text in ``texts``.

        Parameters
        ----------
        texts : iterable of str
            ``n`` texts.

        Returns
        -------
        ndarray of shape (n,), dtype bool
        """
        items = _as_list(texts)
        n = len(items)
        n_ref = self.reference_signatures_.shape[0]
        sig = np.concatenate([self.reference_signatures_, self._hasher.signatures(items)])
        pairs, _ = _similar_pairs(sig, self.threshold, self._bands, self._rows)
        keep = np.ones(n, dtype=bool)
        to_ref = pairs[:, 0] < n_ref
        keep[pairs[to_ref, 1] - n_ref] = False
        within = pairs[~to_ref] - n_ref
        for i, j in within[np.lexsort((within[:, 0], within[:, 1]))]:
            if keep[i] and keep[j]:
                keep[j] = False
        return keep

    def filter(self, texts: Iterable[object] | str) -> list[object]:
        """The texts :meth:`keep` keeps, in order."""
        items = _as_list(texts)
        mask = self.keep(items)
        return [t for t, k in zip(items, mask, strict=True) if k]

    def _keep_rows(self, augmented: pd.DataFrame, originals: Any, columns: Columns) -> Any:
        """Fit on the originals' texts (copies of any original are dropped), then
        :meth:`keep` the augmented texts."""
        self.fit(originals[columns.text].tolist() if columns.text in originals else [])
        return self.keep(augmented[columns.text].tolist())
