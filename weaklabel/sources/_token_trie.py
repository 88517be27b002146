"""The token trie behind gazetteer matching: every entry, matched in every doc at once.

Internal to :mod:`weaklabel.sources.gazetteer`, which documents the matching rule and is
the public home of :class:`TokenTrie`.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.tokens import SpanTuple

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["TokenTrie"]


class TokenTrie:
    """Token sequences compiled into a trie stored as sorted NumPy arrays.

    Matching walks the trie from every token of every doc at once: step ``L`` extends all
    live partial matches of ``L - 1`` tokens by one token with one vectorised binary search
    over the trie's edges, so the cost grows with the number of tokens and partial
    matches, not with the number of entries, and no Python code runs per token.

    Parameters
    ----------
    sequences : sequence of tuple of str
        The entries as tokens (already case-folded for case-insensitive matching).
    labels : sequence of str
        One label per sequence.
    """

    def __init__(self, sequences: Sequence[tuple[str, ...]], labels: Sequence[str]) -> None:
        from spacy.strings import get_string_id

        token_ids: dict[str, int] = {}
        hash_of: dict[str, int] = {}
        for seq in sequences:
            for tok in seq:
                if tok not in hash_of:
                    hash_of[tok] = int(get_string_id(tok))
        ordered = sorted(hash_of.items(), key=lambda kv: kv[1])
        for k, (tok, _) in enumerate(ordered):
            token_ids[tok] = k + 1  # 0 = a token that is in no entry
        self.hashes = np.array([h for _, h in ordered], dtype=np.uint64)
        width = len(ordered) + 1
        children: dict[tuple[int, int], int] = {}
        label_sets: dict[int, set[str]] = {}
        n_nodes = 1
        for seq, label in zip(sequences, labels, strict=True):
            if not seq:
                continue
            node = 0
            for tok in seq:
                key = (node, token_ids[tok])
                child = children.get(key)
                if child is None:
                    child = n_nodes
                    n_nodes += 1
                    children[key] = child
                node = child
            label_sets.setdefault(node, set()).add(label)
        import pandas as pd

        edge_keys = np.array([n * width + t for n, t in children], dtype=np.int64)
        self.width = width
        self.edge_keys = edge_keys
        self.edge_child = np.array(list(children.values()), dtype=np.int64)
        # hash tables (pandas' khash): several times faster than binary search here
        self._edge_index = pd.Index(edge_keys)
        self._token_index = pd.Index(self.hashes)
        self.root = np.full(width, -1, dtype=np.int64)
        from_root = edge_keys < width
        self.root[edge_keys[from_root]] = self.edge_child[from_root]
        self.has_children = np.zeros(n_nodes, dtype=bool)
        self.has_children[edge_keys // width] = True
        distinct: dict[tuple[str, ...], int] = {}
        self.terminal = np.full(n_nodes, -1, dtype=np.int64)
        for node, labs in label_sets.items():
            self.terminal[node] = distinct.setdefault(tuple(sorted(labs)), len(distinct))
        self.label_sets: list[tuple[str, ...]] = list(distinct)

    def __len__(self) -> int:
        return int((self.terminal >= 0).sum())

    def match(self, ids: np.ndarray, segment_end: np.ndarray) -> tuple[np.ndarray, ...]:
        """Every match in a flat token-id array.

        Parameters
        ----------
        ids : ndarray of shape (n_tokens,)
            Token ids (``0`` for tokens in no entry), all docs concatenated.
        segment_end : ndarray of shape (n_tokens,)
            For each position, the end of its doc (or sentence): matches stop there.

        Returns
        -------
        starts, lengths, label_sets : ndarray of shape (n_matches,)
            Sorted by start, then by decreasing length.
        """
        pos = np.flatnonzero(self.root[ids] >= 0)
        node = self.root[ids[pos]]
        found_pos, found_len, found_set = [], [], []
        length = 1
        n_edges = len(self.edge_keys)
        edges = self._edge_index
        while pos.size:
            term = self.terminal[node]
            hit = term >= 0
            if hit.any():
                found_pos.append(pos[hit])
                found_len.append(np.full(int(hit.sum()), length, dtype=np.int64))
                found_set.append(term[hit])
            nxt = pos + length
            live = self.has_children[node] & (nxt < segment_end[pos])
            if not n_edges or not live.any():
                break
            pos, node, nxt = pos[live], node[live], nxt[live]
            keys: Any = node * self.width + ids[nxt]
            j = edges.get_indexer(keys)
            ok = j >= 0
            pos, node = pos[ok], self.edge_child[j[ok]]
            length += 1
        if not found_pos:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        starts = np.concatenate(found_pos)
        lengths = np.concatenate(found_len)
        sets = np.concatenate(found_set)
        order = np.lexsort((-lengths, starts))
        return starts[order], lengths[order], sets[order]

    def find(
        self,
        docs: Sequence[Doc],
        *,
        attr: str = "ORTH",
        longest_match: bool = True,
        cross_sentences: bool = False,
    ) -> list[list[SpanTuple]]:
        """The matches in every doc, one sorted list of ``(start, end, label)`` per doc."""
        if not len(docs) or not len(self.hashes):
            return [[] for _ in docs]
        ids_of = importlib.import_module("spacy.attrs").IDS  # ints: faster than names
        columns = [ids_of[attr], ids_of["SENT_START"]]
        arrays = [doc.to_array(columns) for doc in docs]
        lengths = np.array([len(doc) for doc in docs], dtype=np.int64)
        offsets = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        n = int(offsets[-1])
        if n == 0:
            return [[] for _ in docs]
        flat = np.concatenate([a.reshape(-1, 2) for a in arrays], axis=0)
        hashes: Any = flat[:, 0].astype(np.uint64)
        ids = self._token_index.get_indexer(hashes) + 1  # 0: a token in no entry
        starts_here = np.zeros(n, dtype=bool)
        starts_here[offsets[:-1][lengths > 0]] = True
        if not cross_sentences:
            starts_here |= flat[:, 1].astype(np.int64) == 1
        seg_id = np.cumsum(starts_here) - 1
        seg_starts = np.flatnonzero(starts_here)
        seg_end = np.append(seg_starts[1:], n)[seg_id]
        starts, lens, sets = self.match(ids, seg_end)
        if longest_match and len(starts):
            first = np.ones(len(starts), dtype=bool)
            first[1:] = starts[1:] != starts[:-1]  # the longest match at each start
            starts, lens, sets = starts[first], lens[first], sets[first]
            following = np.searchsorted(starts, starts + lens).tolist()  # next start past end
            keep = []
            i, m = 0, len(starts)
            while i < m:  # leftmost-longest: one step per kept match
                keep.append(i)
                i = following[i]
            starts, lens, sets = starts[keep], lens[keep], sets[keep]
        # one row per (span, label): a tie between labels gives each label a span
        sizes = np.array([len(ls) for ls in self.label_sets], dtype=np.int64)
        flat_labels = np.array([lab for ls in self.label_sets for lab in ls], dtype=object)
        set_start = np.zeros(len(sizes), dtype=np.int64)
        np.cumsum(sizes[:-1], out=set_start[1:])
        repeat = sizes[sets]
        starts, lens = np.repeat(starts, repeat), np.repeat(lens, repeat)
        within = np.arange(len(starts)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
        labels = flat_labels[np.repeat(set_start[sets], repeat) + within]
        doc_of = np.searchsorted(offsets, starts, side="right") - 1
        local = starts - offsets[doc_of]
        triples = list(zip(local.tolist(), (local + lens).tolist(), labels.tolist(), strict=True))
        bounds = np.searchsorted(doc_of, np.arange(len(docs) + 1)).tolist()
        out: list[list[SpanTuple]] = [triples[a:b] for a, b in itertools.pairwise(bounds)]
        if not longest_match:
            out = [sorted(set(spans)) for spans in out]
        return out
