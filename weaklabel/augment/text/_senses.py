"""WordNet senses for :class:`~weaklabel.augment.text.synonym.Synonym`, read fast and ranked.

A synonym is only good when it shares the *sense* the text most likely means, and when that
sense is also one the synonym is commonly used in: "cry" shares a synset with "call"
(*utter a sudden loud cry*), but that is the fourth sense of "call" (10% of its tagged uses),
so "She cried" must not become "She called". :class:`SenseIndex` gives, per lemma and
WordNet part of speech,

- its senses in WordNet's order (most frequent first) with a stable id each (the synset's
  byte offset in its data file), and the tagged counts (SemCor, ``cntlist.rev``) of every
  word in them;
- :meth:`SenseIndex.fit`: how much of a candidate's own usage a shared sense carries, 1.0
  when it is the candidate's first sense.

Only the needed lines of WordNet's data files are read (nltk would parse every sense in
full, pointers and glosses included); an adjective satellite's sense key also needs the
first word of its head synset, read from the line its ``&`` pointer names.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

__all__ = ["MAX_SENSES", "SenseIndex"]

MAX_SENSES = 4
"""Only a lemma's first senses (WordNet orders them by frequency) are considered."""

_DATA_FILES = {"n": "data.noun", "v": "data.verb", "a": "data.adj", "r": "data.adv"}
_SENSE_NUMBER = {"n": 1, "v": 2, "a": 3, "s": 5, "r": 4}
_MARKER = re.compile(r"\((?:a|p|ip)\)$")  # adjective syntax markers: "galore(ip)"
_COUNTS: dict[int, tuple[Any, dict[str, int] | None]] = {}

Sense = tuple[int, list[tuple[str, int]]]
"""A sense: its id (byte offset of the synset) and its words with their tagged counts."""


def sense_counts(wn: Any) -> dict[str, int] | None:
    """WordNet's tagged-sense counts by sense key, read once from ``cntlist.rev``.

    nltk's ``Lemma.count()`` binary-searches the file on every call, which dominated the
    cost of a first pass; ``None`` (use ``count()``) when the file cannot be read.
    """
    entry = _COUNTS.get(id(wn))
    if entry is not None and entry[0] is wn:
        return entry[1]
    counts: dict[str, int] | None = {}
    try:
        with wn.open("cntlist.rev") as handle:
            for line in handle:
                key, _, count = line.split()
                counts[key] = int(count)  # type: ignore[index]
    except (OSError, ValueError, AttributeError):
        counts = None
    _COUNTS[id(wn)] = (wn, counts)
    return counts


class SenseIndex:
    """Senses and their tagged counts for one nltk WordNet reader (caches everything).

    Parameters
    ----------
    wn : nltk WordNetCorpusReader
        The WordNet to read.
    """

    def __init__(self, wn: Any) -> None:
        self.wn = wn
        self._counts: dict[str, int] | None = None
        self._files: dict[str, int] | None = None
        self._synset_cache: dict[tuple[str, str | None], list[Any]] = {}
        self._sense_cache: dict[tuple[str, str], list[Sense]] = {}
        self._own_cache: dict[tuple[str, str], list[int]] = {}

    def synsets(self, lemma: str, pos: str | None) -> list[Any]:
        """nltk's synsets of ``lemma`` (cached)."""
        key = (lemma, pos)
        cached = self._synset_cache.get(key)
        if cached is None:
            cached = self.wn.synsets(lemma, pos=pos)
            self._synset_cache[key] = cached
        return cached

    def _index(self) -> dict[str, dict[str, list[int]]] | None:
        index = getattr(self.wn, "_lemma_pos_offset_map", None)
        return index if isinstance(index, dict) else None

    def in_wordnet(self, lemma: str, pos: str) -> bool:
        """Whether WordNet has ``lemma`` with ``pos``, from nltk's index when it can."""
        index = self._index()
        if index is not None:
            entry: dict[str, Any] = index.get(lemma) or {}
            return pos in entry or (pos == "a" and "s" in entry)
        return bool(self.synsets(lemma, pos))

    def sense_ids(self, lemma: str, pos: str) -> list[int]:
        """The ids of all senses of ``lemma`` with ``pos``, most frequent first."""
        index = self._index()
        if index is not None:
            entry = index.get(lemma, {})
            if pos == "a":  # nltk lists satellites ("s") apart; WordNet's order is in "a"
                return list(entry.get("a", [])) or list(entry.get("s", []))
            return list(entry.get(pos, []))
        return [int(synset.offset()) for synset in self.synsets(lemma, pos)]

    def senses(self, lemma: str, pos: str) -> list[Sense]:
        """The first :data:`MAX_SENSES` senses of ``lemma``: ``(id, [(word, count), ...])``."""
        key = (lemma, pos)
        cached = self._sense_cache.get(key)
        if cached is None:
            files = self._data_files() if pos in _DATA_FILES else None
            if self._index() is not None and files is not None:
                ids = self.sense_ids(lemma, pos)[:MAX_SENSES]
                cached = [(i, self._read_sense(files[pos], pos, i)) for i in ids]
            else:
                cached = [
                    (int(s.offset()), [(lm.name(), self._count(lm)) for lm in s.lemmas()])
                    for s in self.synsets(lemma, pos)[:MAX_SENSES]
                ]
            self._sense_cache[key] = cached
        return cached

    def own_counts(self, lemma: str, pos: str) -> list[int]:
        """The tagged count of ``lemma`` itself in each of :meth:`senses`."""
        key = (lemma, pos)
        cached = self._own_cache.get(key)
        if cached is None:
            cached = [
                next((c for name, c in words if name.lower() == lemma), 0)
                for _, words in self.senses(lemma, pos)
            ]
            self._own_cache[key] = cached
        return cached

    def frequency(self, lemma: str, pos: str) -> int:
        """How often ``lemma`` was tagged with ``pos`` (its first senses' counts summed)."""
        return sum(self.own_counts(lemma, pos))

    def fit(self, candidate: str, pos: str, sense: int, count: int) -> float:
        """The share of ``candidate``'s own tagged uses that the sense ``sense`` carries.

        Parameters
        ----------
        candidate : str
            A word of the sense (lower case).
        pos : str
            WordNet part of speech (``"n"``, ``"v"``, ``"a"``, ``"r"``).
        sense : int
            The sense's id (from :meth:`senses`).
        count : int
            The candidate's tagged count in that sense.

        Returns
        -------
        float
            1.0 when ``sense`` is the candidate's first sense; otherwise ``count`` over the
            candidate's counts in its first senses (0.0 when it was never tagged).
        """
        ids = self.sense_ids(candidate, pos)
        if not ids or ids[0] == sense:
            return 1.0
        total = self.frequency(candidate, pos)
        if sense not in ids[:MAX_SENSES]:
            total += count
        return count / total if total else 0.0

    def _count(self, lemma: Any) -> int:
        if self._counts is None:
            self._counts = sense_counts(self.wn) or {}
        if self._counts:
            return self._counts.get(lemma.key(), 0)
        return int(lemma.count())

    def _data_files(self) -> dict[str, int] | None:
        if self._files is None:
            try:
                root = Path(str(self.wn.root.path))
                self._files = {
                    pos: os.open(root / name, os.O_RDONLY) for pos, name in _DATA_FILES.items()
                }
                self._counts = sense_counts(self.wn) or {}
            except (AttributeError, OSError):
                self._files = {}
        return self._files if self._files and self._counts else None

    @staticmethod
    def _line(fd: int, offset: int) -> list[str]:
        # pread: no shared file position, so safe from several threads. The words and
        # pointers come first on the line; 8 kB holds them for every synset read here.
        return os.pread(fd, 8192, offset).split(b"\n", 1)[0].decode("utf-8", "replace").split(" ")

    def _read_sense(self, fd: int, pos: str, offset: int) -> list[tuple[str, int]]:
        fields = self._line(fd, offset)
        lex_file = int(fields[1])
        n_words = int(fields[3], 16)
        counts = self._counts or {}
        head = ""
        if fields[2] == "s":  # satellite: the key names the head synset's first word
            n_pointers = int(fields[4 + 2 * n_words])
            pointers = fields[5 + 2 * n_words : 5 + 2 * n_words + 4 * n_pointers]
            target = next(
                (int(pointers[i + 1]) for i in range(0, len(pointers), 4) if pointers[i] == "&"),
                None,
            )
            if target is not None:
                head_fields = self._line(fd, target)
                head_word = _MARKER.sub("", head_fields[4]).lower()
                head = f"{head_word}:{int(head_fields[5], 16):02d}"
        number = _SENSE_NUMBER[fields[2]]
        out: list[tuple[str, int]] = []
        for i in range(n_words):
            name = _MARKER.sub("", fields[4 + 2 * i])
            lex_id = int(fields[5 + 2 * i], 16)
            sense_key = f"{name.lower()}%{number}:{lex_file:02d}:{lex_id:02d}:{head or ':'}"
            out.append((name, counts.get(sense_key, 0)))
        return out

    def close(self) -> None:
        """Close the data files (they are reopened on the next read)."""
        for fd in (self._files or {}).values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._files = None

    def __del__(self) -> None:
        self.close()
