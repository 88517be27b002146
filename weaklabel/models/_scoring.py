"""Vectorised scoring of votes: weighted votes and per-vote log-likelihood tables.

Internal. Label models whose posterior is log-linear in the votes (weighted vote, naive
Bayes on the votes) score a label matrix here, block by block: each block of rows is
compared with each class id and multiplied with the model's weights by BLAS, so 1M x 100
int8 votes are scored in a fraction of a second without an int64 or one-hot copy of the
matrix.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from weaklabel.stats import row_blocks, signed_votes


def softmax_rows(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of an (n, k) float64 array, in place; returns it."""
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores


def _scored_blocks(values: np.ndarray, out: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Blocks of rows of ``values`` with the rows of ``out`` their scores go to."""
    start = 0
    for block, _ in row_blocks(values):
        yield block, out[start : start + block.shape[0]]
        start += block.shape[0]


def weighted_vote_scores(values: np.ndarray, weights: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """``offset[c] + sum_j weights[j, c] * [values[i, j] == c]``, up to a per-row constant.

    The scores are meant for a softmax over the classes, which ignores a constant added
    to a row; for ``k = 2`` only the difference of the two scores is computed.

    Parameters
    ----------
    values : ndarray of shape (n_examples, n_sources)
        Class ids ``0 .. k-1`` and ``-1`` (abstain).
    weights : ndarray of shape (n_sources, k)
        Weight of a vote for class ``c`` by source ``j``.
    offset : ndarray of shape (k,)
        Added to every row (e.g. the log class prior).

    Returns
    -------
    ndarray of shape (n_examples, k), dtype float64
    """
    k = weights.shape[1]
    out = np.empty((values.shape[0], k), dtype=np.float64)
    columns = np.ascontiguousarray(weights.T)  # (k, m)
    if k == 2:  # only score_1 - score_0 matters: one signed product per block
        symmetric = bool(np.array_equal(columns[0], columns[1]))
        # float64 keeps a row's score independent of the batch it is scored in
        mean = (columns[1] + columns[0]) / 2
        half_gap = (columns[1] - columns[0]) / 2
        for block, target in _scored_blocks(values, out):
            signs = signed_votes(block, np.float64)
            gap = signs @ mean  # a vote for 1 adds w1, a vote for 0 subtracts w0
            if not symmetric:
                gap += np.abs(signs) @ half_gap
            target[:, 1] = gap / 2
            target[:, 0] = -target[:, 1]
        out += offset
        return out
    for block, target in _scored_blocks(values, out):
        for c in range(k):
            target[:, c] = (block == c).astype(np.float64) @ columns[c]
        target += offset
    return out


def table_scores(values: np.ndarray, table: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """``offset[y] + sum_j table[j, values[i, j], y]`` over the sources that voted.

    Parameters
    ----------
    values : ndarray of shape (n_examples, n_sources)
    table : ndarray of shape (n_sources, k, k_out)
        ``table[j, a, y]``: score added to class ``y`` when source ``j`` votes ``a``.
    offset : ndarray of shape (k_out,)

    Returns
    -------
    ndarray of shape (n_examples, k_out), dtype float64
    """
    out = np.empty((values.shape[0], table.shape[2]), dtype=np.float64)
    for block, target in _scored_blocks(values, out):
        target[:] = offset
        for a in range(table.shape[1]):
            target += (block == a).astype(np.float64) @ table[:, a, :]
    return out
