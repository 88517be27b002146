"""Forward-backward and Viterbi for a batch of sentences at once, in log space.

Use :class:`Lattice` to run HMM inference on many sentences of different lengths without a
Python loop over sentences: the sentences are sorted by length and laid out time-major, so
step ``t`` of the recursion is one vectorised operation over every sentence that has a
``t``-th token (a contiguous block of rows). The only Python loop is over positions, up to
the longest sentence.

Log-space recursions use the max-shift form ``log(exp(a - max a) @ A) + max a``, which is
exact and stable and lets a matrix product replace a log-sum-exp over ``K x K`` terms.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Lattice", "logsumexp_rows"]


def logsumexp_rows(x: np.ndarray) -> np.ndarray:
    """``log(sum(exp(x), axis=1))``, stable, ``-inf`` for all ``-inf`` rows.

    Parameters
    ----------
    x : ndarray of shape (n, K)

    Returns
    -------
    ndarray of shape (n,)
    """
    if x.shape[0] == 0:
        return np.zeros(0)
    m = x.max(axis=1)
    safe = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.exp(x - safe[:, None]).sum(axis=1)) + safe


def _log_matmul(log_a: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``log(exp(log_a) @ matrix)`` row by row, stable (``matrix`` is non-negative)."""
    m = log_a.max(axis=1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.exp(log_a - m) @ matrix) + m


class Lattice:
    """The layout of a batch of sentences for vectorised HMM recursions.

    Parameters
    ----------
    lengths : ndarray of shape (n_sentences,)
        Number of tokens of every sentence (zero-length sentences are allowed); tokens are
        stored flat, sentence after sentence.

    Attributes
    ----------
    n_tokens : int
    perm : ndarray of shape (n_tokens,)
        Flat position of every time-major row.
    seq : ndarray of shape (n_tokens,)
        Sentence of every time-major row.
    block : ndarray of shape (max_len + 1,)
        Time-major rows ``block[t]:block[t] + active[t]`` hold position ``t`` of the
        ``active[t]`` longest sentences (longest first).
    active : ndarray of shape (max_len,)
    """

    def __init__(self, lengths: np.ndarray) -> None:
        lengths = np.asarray(lengths, dtype=np.int64)
        self.lengths = lengths
        self.n_tokens = int(lengths.sum())
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        order = np.argsort(-lengths, kind="stable")
        sorted_len = lengths[order]
        max_len = int(sorted_len[0]) if sorted_len.size else 0
        # active[t] = number of sentences longer than t (sorted descending)
        ascending = sorted_len[::-1]
        steps = np.arange(max_len)
        self.active = (len(lengths) - np.searchsorted(ascending, steps, side="right")).astype(
            np.int64
        )
        self.block = np.concatenate([[0], np.cumsum(self.active)]).astype(np.int64)
        row_t = np.repeat(steps, self.active)
        row_rank = np.arange(self.n_tokens) - self.block[row_t]
        self.seq = order[row_rank]
        self.perm = offsets[self.seq] + row_t
        self.max_len = max_len
        # every row after time 0 and the row of its predecessor
        self.cur = np.arange(self.block[1] if max_len else 0, self.n_tokens)
        self.prev = self.block[row_t[self.cur] - 1] + row_rank[self.cur]
        self.order = order

    # ------------------------------------------------------------------ layout
    def to_time_major(self, flat: np.ndarray) -> np.ndarray:
        """Rows of a flat (sentence after sentence) array, in time-major order."""
        return flat[self.perm]

    def to_flat(self, tm: np.ndarray) -> np.ndarray:
        """Rows of a time-major array, back in flat order."""
        out = np.empty_like(tm)
        out[self.perm] = tm
        return out

    # ------------------------------------------------------------------ inference
    def forward_backward(
        self,
        log_emit: np.ndarray,
        log_start: np.ndarray,
        log_trans: np.ndarray,
        log_end: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Posterior tag marginals, expected transitions and the log-likelihood.

        Parameters
        ----------
        log_emit : ndarray of shape (n_tokens, K)
            ``log p(observations at token | tag)``, flat order.
        log_start : ndarray of shape (K,) or (n_sentences, K)
            Log start probabilities (``-inf`` for forbidden starts), shared or per sentence.
        log_trans : ndarray of shape (K, K)
            Log transition probabilities (``-inf`` for forbidden transitions).
        log_end : ndarray of shape (n_sentences, K), optional
            A log factor on the last tag of every sentence (e.g. the transition into a
            known next tag); none by default.

        Returns
        -------
        gamma : ndarray of shape (n_tokens, K)
            Posterior marginals, flat order; rows sum to 1.
        xi : ndarray of shape (K, K)
            Expected number of transitions ``i -> j`` over all sentences.
        log_likelihood : ndarray of shape (n_sentences,)
            ``log p(observations)`` of every sentence (0 for empty sentences).
        """
        n, k = self.n_tokens, log_emit.shape[1]
        loglik = np.zeros(len(self.lengths))
        if n == 0:
            return np.zeros((0, k)), np.zeros((k, k)), loglik
        emit = self.to_time_major(log_emit)
        trans = np.exp(log_trans)
        trans_t = np.ascontiguousarray(trans.T)
        block, active = self.block, self.active
        n_seq = len(self.lengths)
        start = np.broadcast_to(log_start, (n_seq, k))[self.order[: active[0]]]
        alpha = np.empty((n, k))
        alpha[: active[0]] = start + emit[: active[0]]
        for t in range(1, self.max_len):
            a, na = block[t], active[t]
            prev = alpha[block[t - 1] : block[t - 1] + na]
            alpha[a : a + na] = _log_matmul(prev, trans) + emit[a : a + na]
        # the row of the last token of each sentence is its row at time length - 1
        ends = np.zeros(n_seq, dtype=np.int64)
        nonempty = self.lengths > 0
        rank = np.empty(n_seq, dtype=np.int64)
        rank[self.order] = np.arange(n_seq)
        ends[nonempty] = block[self.lengths[nonempty] - 1] + rank[nonempty]
        beta = np.zeros((n, k))
        if log_end is not None:
            beta[ends[nonempty]] = log_end[nonempty]
        for t in range(self.max_len - 2, -1, -1):
            a, na_next = block[t], active[t + 1]
            nxt = beta[block[t + 1] : block[t + 1] + na_next] + emit[block[t + 1] : block[t + 2]]
            beta[a : a + na_next] = _log_matmul(nxt, trans_t)
        # log-likelihood of each sentence from its last token
        loglik[nonempty] = logsumexp_rows(alpha[ends[nonempty]] + beta[ends[nonempty]])
        post = alpha + beta - loglik[self.seq][:, None]
        gamma = np.exp(post)
        gamma /= gamma.sum(axis=1, keepdims=True)
        # expected transitions, summed over every (t-1, t) pair of every sentence
        u = alpha[self.prev]
        v = emit[self.cur] + beta[self.cur]
        cu = u.max(axis=1, keepdims=True)
        cv = v.max(axis=1, keepdims=True)
        scale = np.exp(cu + cv - loglik[self.seq[self.cur]][:, None])
        xi = trans * (np.exp(u - cu).T @ (np.exp(v - cv) * scale))
        return self.to_flat(gamma), xi, loglik

    def viterbi(
        self, log_emit: np.ndarray, log_start: np.ndarray, log_trans: np.ndarray
    ) -> np.ndarray:
        """Most probable tag sequence of every sentence.

        Parameters
        ----------
        log_emit : ndarray of shape (n_tokens, K)
            Per-token scores, flat order (log emissions, or log posteriors for
            max-posterior decoding under constraints).
        log_start : ndarray of shape (K,)
        log_trans : ndarray of shape (K, K)
            ``-inf`` marks a forbidden transition; the path never takes one when any
            allowed path exists.

        Returns
        -------
        ndarray of shape (n_tokens,), dtype int64
            Tag ids, flat order. Ties go to the lowest tag id.
        """
        n, k = self.n_tokens, log_emit.shape[1]
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        emit = self.to_time_major(log_emit)
        block, active = self.block, self.active
        delta = np.empty((n, k))
        back = np.zeros((n, k), dtype=np.int64)
        delta[: active[0]] = log_start + emit[: active[0]]
        for t in range(1, self.max_len):
            a, na = block[t], active[t]
            prev = delta[block[t - 1] : block[t - 1] + na]
            scores = prev[:, :, None] + log_trans[None, :, :]
            best = scores.argmax(axis=1)
            back[a : a + na] = best
            delta[a : a + na] = np.take_along_axis(scores, best[:, None, :], axis=1)[:, 0, :]
            delta[a : a + na] += emit[a : a + na]
        path = np.zeros(n, dtype=np.int64)
        # sentences end at different times: start each backtrack at its last token
        for t in range(self.max_len - 1, -1, -1):
            a, na = block[t], active[t]
            na_next = active[t + 1] if t + 1 < self.max_len else 0
            # rows whose sentence ends here take their own argmax
            if na > na_next:
                rows = slice(a + na_next, a + na)
                path[rows] = delta[rows].argmax(axis=1)
            if na_next:
                nxt = slice(block[t + 1], block[t + 1] + na_next)
                path[a : a + na_next] = back[nxt][np.arange(na_next), path[nxt]]
        return self.to_flat(path)
