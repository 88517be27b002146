"""Gazetteers: lists of entity names, matched as spans in spaCy ``Doc`` objects, fast.

Use a gazetteer when you know many names of the entities you label (drugs, diseases,
countries, products). :class:`Gazetteer` holds entries ``(entry, label, aliases)``, loaded
from a JSONL or TSV file (:meth:`Gazetteer.from_file`), from Python records, from skweak's
JSON layout, or from the lists that ship with weaklabel (:meth:`Gazetteer.builtin`:
countries, subdivisions, currencies, cities, nationalities, languages; see
``gazetteers/README.md`` for their sources and licences).
:func:`gazetteer_source` turns it into a span source.

File format (documented in ``gazetteers/README.md``):

* JSONL: one object per line, ``{"entry": "New York", "label": "GPE", "aliases": ["NYC"],
  "id": "..."}``; ``entry`` and ``label`` are required, other keys are ignored.
* TSV: ``entry<TAB>label[<TAB>alias|alias...]`` per line; blank lines, lines starting with
  ``#`` and a first line ``entry<TAB>label...`` are skipped.

Matching rule (the same as skweak's ``GazetteerAnnotator`` with ``additional_checks=False``,
see :func:`gazetteer_source` for the few differences): entries are split into tokens; a
match is a run of doc tokens equal to an entry's tokens (case-folded unless
``case_sensitive``); scanning left to right, the longest match starting at a token wins
and the scan resumes after it, so matches never overlap; when one token sequence is an
entry of several labels, each label gets a span. Matches never cross a sentence boundary
of docs whose sentences are set.

All entries are compiled once into a trie over token ids (:class:`TokenTrie`); a batch of
docs is matched at once, walking the trie from every token in parallel with vectorised
NumPy steps, so no Python code runs per token and the number of entries hardly matters.
On 18,905 docs with 100,000 entries it is several times faster than skweak's trie and
than spaCy's ``PhraseMatcher`` called doc by doc (``benchmarks/gazetteer_vs_skweak.py``).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from weaklabel._fingerprint import digest, function_fingerprint
from weaklabel.errors import DatasetError, ParameterError
from weaklabel.sources._span_errors import Errors
from weaklabel.sources.spans import SpanSource, require_spacy
from weaklabel.tokens import SpanTuple

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "BUILTIN",
    "Gazetteer",
    "GazetteerEntry",
    "GazetteerSource",
    "TokenTrie",
    "builtin_dir",
    "gazetteer_source",
]

BUILTIN: tuple[str, ...] = (
    "cities",
    "countries",
    "currencies",
    "languages",
    "nationalities",
    "subdivisions",
)
"""Names of the gazetteers that ship with weaklabel (``Gazetteer.builtin(name)``)."""

TokenizerLike = Any
"""``None`` (spaCy's English tokenizer), ``"whitespace"``, a spaCy ``Language`` or
``Tokenizer``, or a callable ``str -> list[str]``."""


@dataclass(frozen=True)
class GazetteerEntry:
    """One name of an entity.

    Parameters
    ----------
    entry : str
        The main name ("United Kingdom").
    label : str
        The entity type ("GPE").
    aliases : tuple of str, default ()
        Other names of the same entity, matched with the same label.
    id : str, optional
        An identifier (an ISO code, a database id); not used for matching.
    """

    entry: str
    label: str
    aliases: tuple[str, ...] = ()
    id: str | None = None

    def names(self) -> tuple[str, ...]:
        """The entry followed by its aliases."""
        return (self.entry, *self.aliases)


def builtin_dir() -> Path:
    """The folder holding the shipped gazetteer files (installed or in a checkout).

    An installed wheel has them in ``weaklabel/_gazetteers/``; an editable checkout reads
    ``gazetteers/`` at the root of the repository.
    """
    places: list[Path] = []
    try:
        installed = Path(str(resources.files("weaklabel") / "_gazetteers"))
        places.append(installed)
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - zipped installs
        pass
    places.append(Path(__file__).resolve().parents[2] / "gazetteers")
    for place in places:
        if (place / f"{BUILTIN[0]}.jsonl").is_file():
            return place
    raise DatasetError(Errors.E525.format(places=[str(p) for p in places]))


class Gazetteer:
    """A list of entity names with their labels.

    Parameters
    ----------
    entries : iterable of GazetteerEntry
    name : str, default "gazetteer"
        A name for messages and the default source name.

    Examples
    --------
    >>> gz = Gazetteer.from_records([("New York", "GPE", ["NYC"]), ("Ada Lovelace", "PER")])
    >>> len(gz), gz.labels
    (2, ('GPE', 'PER'))
    >>> gz.terms()[:2]
    [('New York', 'GPE'), ('NYC', 'GPE')]
    """

    def __init__(self, entries: Iterable[GazetteerEntry], *, name: str = "gazetteer") -> None:
        self.entries: tuple[GazetteerEntry, ...] = tuple(entries)
        self.name = name
        for i, e in enumerate(self.entries):
            if not isinstance(e, GazetteerEntry):
                raise ParameterError(
                    Errors.E523.format(
                        index=i, problem=f"expected a GazetteerEntry, got {type(e).__name__}"
                    )
                )
        self._fingerprint: str | None = None

    # ------------------------------------------------------------------- views
    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self.entries)

    def __repr__(self) -> str:
        return f"Gazetteer({self.name!r}, {len(self)} entries, labels={list(self.labels)})"

    def __add__(self, other: Gazetteer) -> Gazetteer:
        return Gazetteer((*self.entries, *other.entries), name=f"{self.name}+{other.name}")

    @property
    def labels(self) -> tuple[str, ...]:
        """The distinct labels, sorted."""
        return tuple(sorted({e.label for e in self.entries}))

    def terms(self) -> list[tuple[str, str]]:
        """Every ``(name, label)`` pair (entries and aliases), without duplicates, in order."""
        seen: dict[tuple[str, str], None] = {}
        for e in self.entries:
            for n in e.names():
                seen.setdefault((n, e.label), None)
        return list(seen)

    def fingerprint(self) -> str:
        """Hash of the entries (the cache key of sources built on this gazetteer)."""
        if self._fingerprint is None:
            parts = ["gazetteer"]
            for e in self.entries:
                parts.append("\x1e".join((e.entry, e.label, *e.aliases)))
            self._fingerprint = digest(parts)
        return self._fingerprint

    # ----------------------------------------------------------------- builders
    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any] | Sequence[Any]], *, name: str = "gazetteer"
    ) -> Gazetteer:
        """Build from dicts (``entry``, ``label``, optional ``aliases``, ``id``) or tuples.

        Parameters
        ----------
        records : iterable of mapping, tuple or GazetteerEntry
            A tuple is ``(entry, label)`` or ``(entry, label, aliases)``.
        name : str, default "gazetteer"
        """
        return cls((_entry(r, i) for i, r in enumerate(records)), name=name)

    @classmethod
    def from_mapping(
        cls, mapping: Mapping[str, Iterable[str | Sequence[str]]], *, name: str = "gazetteer"
    ) -> Gazetteer:
        """Build from ``{label: [name, ...]}``, the JSON layout skweak's gazetteers use.

        A name may be a string or a list of tokens (joined with spaces).
        """
        entries: list[GazetteerEntry] = []
        for label, names in mapping.items():
            for n in names:
                text = n if isinstance(n, str) else " ".join(n)
                entries.append(_entry({"entry": text, "label": label}, len(entries)))
        return cls(entries, name=name)

    @classmethod
    def from_file(
        cls,
        path: str | Path,
        *,
        format: Literal["jsonl", "tsv", "json"] | None = None,
        name: str | None = None,
    ) -> Gazetteer:
        """Load a gazetteer file: JSONL, TSV, or skweak's JSON (``{label: [names]}``).

        Parameters
        ----------
        path : str or Path
            ``*.jsonl``, ``*.tsv`` (or ``*.txt``), ``*.json``; gzip-compressed files
            (``*.jsonl.gz``...) are read too.
        format : {"jsonl", "tsv", "json"}, optional
            Overrides the guess from the file name.
        name : str, optional
            Defaults to the file name without suffixes.
        """
        import gzip

        path = Path(path)
        if not path.is_file():
            raise DatasetError(Errors.E520.format(path=path))
        suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
        kind = format or {".jsonl": "jsonl", ".tsv": "tsv", ".txt": "tsv", ".json": "json"}.get(
            suffixes[-1] if suffixes else ""
        )
        if kind is None:
            raise DatasetError(Errors.E524.format(path=path))
        opener: Callable[..., Any] = gzip.open if path.suffix.lower() == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            text = handle.read()
        name = name or path.name.split(".")[0]
        if kind == "json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DatasetError(
                    Errors.E521.format(line=exc.lineno, path=path, problem=str(exc))
                ) from None
            if not isinstance(data, dict):
                raise DatasetError(
                    Errors.E521.format(
                        line=1, path=path, problem="a .json gazetteer is {label: [names]}"
                    )
                )
            return cls.from_mapping(data, name=name)
        entries: list[GazetteerEntry] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                if kind == "jsonl":
                    entries.append(_entry(json.loads(line), len(entries)))
                else:
                    if number == 1 and line.lower().startswith("entry\tlabel"):
                        continue
                    cells = line.rstrip("\r\n").split("\t")
                    if len(cells) < 2:
                        raise ValueError("expected entry<TAB>label[<TAB>alias|alias...]")
                    aliases = [a for a in cells[2].split("|") if a] if len(cells) > 2 else []
                    entries.append(_entry((cells[0], cells[1], aliases), len(entries)))
            except (ValueError, ParameterError) as exc:
                problem = str(exc).split("] ", 1)[-1]
                raise DatasetError(
                    Errors.E521.format(line=number, path=path, problem=problem)
                ) from None
        return cls(entries, name=name)

    @classmethod
    def builtin(cls, *names: str) -> Gazetteer:
        """The gazetteers that ship with weaklabel, merged in the order given.

        Parameters
        ----------
        *names : str
            Any of :data:`BUILTIN`: ``"cities"``, ``"countries"``, ``"currencies"``,
            ``"languages"``, ``"nationalities"``, ``"subdivisions"``. Labels follow
            OntoNotes (``GPE``, ``NORP``, ``LANGUAGE``) except ``CURRENCY``.

        Examples
        --------
        >>> gz = Gazetteer.builtin("countries", "cities")
        >>> "GPE" in gz.labels
        True
        """
        if not names:
            raise ParameterError(Errors.E522.format(name="(none)", names=list(BUILTIN)))
        folder: Path | None = None
        out: Gazetteer | None = None
        for n in names:
            if n not in BUILTIN:
                raise ParameterError(Errors.E522.format(name=n, names=list(BUILTIN)))
            folder = folder or builtin_dir()
            one = cls.from_file(folder / f"{n}.jsonl", name=n)
            out = one if out is None else out + one
        assert out is not None
        return out

    def to_file(self, path: str | Path, *, format: Literal["jsonl", "tsv"] | None = None) -> Path:
        """Write the gazetteer as JSONL or TSV (the format :meth:`from_file` reads).

        The file is written atomically; lines follow the order of the entries.
        """
        import os
        import tempfile

        path = Path(path)
        kind = format or ("tsv" if path.suffix.lower() in (".tsv", ".txt") else "jsonl")
        lines = []
        for i, e in enumerate(self.entries):
            if kind == "jsonl":
                record: dict[str, Any] = {"entry": e.entry, "label": e.label}
                if e.aliases:
                    record["aliases"] = list(e.aliases)
                if e.id is not None:
                    record["id"] = e.id
                lines.append(json.dumps(record, ensure_ascii=False))
            else:
                cells = [e.entry, e.label, "|".join(e.aliases)]
                if any("\t" in c or "\n" in c for c in cells) or any("|" in a for a in e.aliases):
                    raise ParameterError(
                        Errors.E523.format(
                            index=i,
                            problem="a tab, newline or '|' cannot be written to TSV; "
                            "write JSONL instead",
                        )
                    )
                lines.append("\t".join(cells).rstrip("\t"))
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write("".join(line + "\n" for line in lines))
        os.replace(tmp, path)
        return path

    def as_source(self, *, name: str | None = None, **options: Any) -> GazetteerSource:
        """Shortcut for :func:`gazetteer_source` ``(self, name=name, **options)``."""
        return gazetteer_source(self, name=name, **options)


def _entry(record: Mapping[str, Any] | Sequence[Any], index: int) -> GazetteerEntry:
    if isinstance(record, GazetteerEntry):
        record = {
            "entry": record.entry,
            "label": record.label,
            "aliases": record.aliases,
            "id": record.id,
        }
    if isinstance(record, Mapping):
        entry, label = record.get("entry"), record.get("label")
        aliases = record.get("aliases") or ()
        ident = record.get("id")
    elif isinstance(record, Sequence) and not isinstance(record, str) and 2 <= len(record) <= 3:
        entry, label = record[0], record[1]
        aliases = record[2] if len(record) == 3 else ()
        ident = None
    else:
        raise ParameterError(
            Errors.E523.format(
                index=index,
                problem=f"expected a dict with 'entry' and 'label' or a tuple (entry, label[, "
                f"aliases]); got {record!r}",
            )
        )
    if not isinstance(entry, str) or not entry.strip():
        raise ParameterError(Errors.E523.format(index=index, problem=f"bad entry {entry!r}"))
    if not isinstance(label, str) or not label.strip():
        raise ParameterError(Errors.E523.format(index=index, problem=f"bad label {label!r}"))
    if isinstance(aliases, str) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ParameterError(
            Errors.E523.format(index=index, problem=f"aliases must be a list of names: {aliases!r}")
        )
    return GazetteerEntry(
        entry.strip(),
        label.strip(),
        tuple(a.strip() for a in aliases),
        None if ident is None else str(ident),
    )


# ------------------------------------------------------------------------ the source
class GazetteerSource(SpanSource):
    """Marks the names of a :class:`Gazetteer` in docs; see :func:`gazetteer_source`."""

    def __init__(
        self,
        name: str,
        gazetteer: Gazetteer,
        *,
        case_sensitive: bool = False,
        longest_match: bool = True,
        tokenizer: TokenizerLike = None,
        cross_sentences: bool = False,
    ) -> None:
        if not isinstance(gazetteer, Gazetteer):
            raise ParameterError(
                Errors.E508.format(
                    source=name,
                    problem=f"expected a Gazetteer, got {type(gazetteer).__name__}; build one "
                    "with Gazetteer.from_records([...]) or Gazetteer.from_file(path).",
                )
            )
        self.name = name
        self.gazetteer = gazetteer
        self.case_sensitive = bool(case_sensitive)
        self.longest_match = bool(longest_match)
        self.tokenizer = tokenizer
        self.cross_sentences = bool(cross_sentences)
        self._trie: TokenTrie | None = None

    def fingerprint(self) -> str:
        return digest(
            [
                "gazetteer_source",
                self.name,
                self.gazetteer.fingerprint(),
                repr((self.case_sensitive, self.longest_match, self.cross_sentences)),
                _tokenizer_fingerprint(self.tokenizer),
            ]
        )

    # ------------------------------------------------------------- compile once
    def tokenize(self, texts: Sequence[str]) -> list[list[str]]:
        """Split gazetteer names into tokens the way this source does."""
        tok = self.tokenizer
        if tok is None or hasattr(tok, "tokenizer") or hasattr(tok, "pipe"):
            if tok is None:
                tok = _default_tokenizer()
            elif hasattr(tok, "tokenizer"):  # a Language
                tok = tok.tokenizer
            return [[t.text for t in doc] for doc in tok.pipe(texts, batch_size=1000)]
        if tok == "whitespace":
            return [t.split() for t in texts]
        if callable(tok):
            return [[str(w) for w in tok(t)] for t in texts]
        raise ParameterError(
            Errors.E508.format(
                source=self.name,
                problem=f"tokenizer must be None, 'whitespace', a spaCy pipeline or tokenizer, "
                f"or a callable str -> list[str]; got {tok!r}.",
            )
        )

    @property
    def trie(self) -> TokenTrie:
        """The compiled entries (built on first use)."""
        if self._trie is None:
            terms = self.gazetteer.terms()
            tokens = self.tokenize([t for t, _ in terms])
            sequences = [
                tuple(toks) if self.case_sensitive else tuple(w.lower() for w in toks)
                for toks in tokens
            ]
            self._trie = TokenTrie(sequences, [label for _, label in terms])
        return self._trie

    # ------------------------------------------------------------------- match
    def spans(self, doc: Doc) -> list[SpanTuple]:
        return self.spans_batch([doc])[0]

    def spans_batch(self, docs: Sequence[Doc], *, start: int = 0) -> list[list[SpanTuple]]:
        require_spacy()
        return self.trie.find(
            docs,
            attr="ORTH" if self.case_sensitive else "LOWER",
            longest_match=self.longest_match,
            cross_sentences=self.cross_sentences,
        )


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
        import importlib

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


_DEFAULT: Any = None


def _default_tokenizer() -> Any:
    """spaCy's English tokenizer (``spacy.blank("en")``), made once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        require_spacy()
        import spacy

        _DEFAULT = spacy.blank("en").tokenizer
    return _DEFAULT


def _tokenizer_fingerprint(tokenizer: TokenizerLike) -> str:
    if tokenizer is None:
        import importlib.metadata

        try:
            version = importlib.metadata.version("spacy")
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover
            version = "?"
        return f"spacy-en-{version}"
    if isinstance(tokenizer, str):
        return tokenizer
    tok = getattr(tokenizer, "tokenizer", tokenizer)
    to_bytes = getattr(tok, "to_bytes", None)
    if callable(to_bytes):
        try:
            return "spacy:" + digest([to_bytes().hex()])
        except Exception:  # pragma: no cover - custom tokenizers
            pass
    if callable(tokenizer):
        return "fn:" + function_fingerprint(tokenizer)
    return f"<{type(tokenizer).__qualname__}@{id(tokenizer)}>"


def gazetteer_source(
    gazetteer: Gazetteer,
    *,
    name: str | None = None,
    case_sensitive: bool = False,
    longest_match: bool = True,
    tokenizer: TokenizerLike = None,
    cross_sentences: bool = False,
) -> GazetteerSource:
    """A span source marking the names of ``gazetteer`` in docs.

    Parameters
    ----------
    gazetteer : Gazetteer
    name : str, optional
        Defaults to ``"gazetteer_<gazetteer.name>"``.
    case_sensitive : bool, default False
        Compare tokens as written, or case-folded (spaCy's ``LOWER``) on both sides.
    longest_match : bool, default True
        Keep the leftmost-longest, non-overlapping matches (see the module docstring);
        ``False`` keeps every match, overlapping ones included.
    tokenizer : None, "whitespace", spaCy pipeline or tokenizer, or callable, optional
        How names are split into tokens; use the tokenizer your docs were made with.
        ``None`` is spaCy's English tokenizer; ``"whitespace"`` splits on spaces (for
        names already tokenized, e.g. taken from a tokenized corpus).
    cross_sentences : bool, default False
        Allow matches across a sentence boundary (only matters for docs whose sentences
        are set, e.g. by a ``sentencizer``).

    Returns
    -------
    GazetteerSource

    Notes
    -----
    On the same entries and docs the spans equal those of skweak's
    ``GazetteerAnnotator(..., case_sensitive=True, additional_checks=False)`` with a
    ``lookahead`` at least as long as the longest entry, except that skweak (1) never
    starts a match on a punctuation token, so it misses entries such as ``"(+)-MK-801"``
    and may match inside them instead; (2) caps matches at ``lookahead`` (10) tokens;
    (3) without ``case_sensitive`` tries each token as written, Title-cased, lower-cased
    and upper-cased, following only the first variant found in its trie, where weaklabel
    folds case on both sides (so ``"iPhone"`` matches ``"IPHONE"`` here and not there).
    skweak's ``additional_checks`` (compound heads, title-case words that must look like
    proper names) need a parser and are not reproduced; filter spans with a
    :func:`~weaklabel.sources.spans.span_function` if you want them.

    Examples
    --------
    >>> import spacy
    >>> gz = Gazetteer.from_records([("New York", "GPE"), ("New York Times", "ORG")])
    >>> source = gazetteer_source(gz, name="places")
    >>> doc = source(spacy.blank("en")("The new york times left New York."))
    >>> [(s.text, s.label_) for s in doc.spans["places"]]
    [('new york times', 'ORG'), ('New York', 'GPE')]
    """
    return GazetteerSource(
        name or f"gazetteer_{gazetteer.name}",
        gazetteer,
        case_sensitive=case_sensitive,
        longest_match=longest_match,
        tokenizer=tokenizer,
        cross_sentences=cross_sentences,
    )
