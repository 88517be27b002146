"""Tokens of a text that start and end at every span boundary, so character spans survive.

The token-based exporters (spaCy DocBin, CoNLL) need each span to start and end on token
boundaries. These helpers cut a tokenization further at the span offsets, keeping the
text exact: :func:`spacy_words` for spaCy (words and trailing spaces, whitespace tokens
where a span starts or ends inside whitespace), :func:`whitespace_tokens` for CoNLL
(tokens never hold whitespace).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

__all__ = ["spacy_words", "whitespace_tokens"]


def _cut(start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    """``[start, end)`` cut at the offsets of ``cuts`` inside it (sorted, unique)."""
    points = [start, *(c for c in cuts if start < c < end), end]
    return list(itertools.pairwise(points))


def spacy_words(
    text: str, tokens: Iterable[tuple[int, int, bool]], starts: set[int], ends: set[int]
) -> tuple[list[str], list[bool]]:
    """Words and spaces for ``spacy.tokens.Doc`` such that every span can be made.

    Parameters
    ----------
    text : str
    tokens : iterable of (start, end, has_trailing_space)
        A tokenization of ``text`` (a spaCy tokenizer's ``idx``, ``idx + len``,
        ``whitespace_``), covering the text except the single trailing spaces.
    starts, ends : set of int
        Span starts and ends: each start must become a token start, each end a token end.

    Returns
    -------
    words : list of str
    spaces : list of bool
        ``Doc(vocab, words=words, spaces=spaces).text == text``.
    """
    cuts = sorted(starts | ends)
    words: list[str] = []
    spaces: list[bool] = []
    for start, end, space in tokens:
        for a, b in _cut(start, end, cuts):
            words.append(text[a:b])
            spaces.append(False)
        if space:
            if end in starts or end + 1 in ends:
                words.append(text[end : end + 1])  # a span starts or ends in it: own token
                spaces.append(False)
            else:
                spaces[-1] = True
    return words, spaces


def whitespace_tokens(text: str, boundaries: set[int]) -> list[tuple[int, int]]:
    """Tokens of ``text``: runs of non-whitespace, cut at each boundary inside them.

    Returns
    -------
    list of (start, end)
        Character offsets, end exclusive.
    """
    cuts = sorted(boundaries)
    out: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate([*text, " "]):
        if ch.isspace():
            if start is not None:
                out.extend(_cut(start, i, cuts))
                start = None
        elif start is None:
            start = i
    return out
