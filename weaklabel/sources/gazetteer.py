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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from weaklabel._fingerprint import digest, function_fingerprint
from weaklabel.errors import DatasetError, ParameterError
from weaklabel.sources._errors import Errors
from weaklabel.sources._gazetteer_files import (
    GazetteerEntry,
    entry_from_record,
    read_entries,
    write_entries,
)
from weaklabel.sources._token_trie import TokenTrie
from weaklabel.sources.span_base import SpanSource, check_label_map, require_spacy
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
# GazetteerEntry (with the file formats) and TokenTrie (the matcher) are defined in
# private modules and documented here, their public home.

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
        return cls((entry_from_record(r, i) for i, r in enumerate(records)), name=name)

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
                entries.append(entry_from_record({"entry": text, "label": label}, len(entries)))
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
        path = Path(path)
        entries = read_entries(path, format)
        name = name or path.name.split(".")[0]
        if isinstance(entries, dict):
            try:
                return cls.from_mapping(entries, name=name)
            except ParameterError as exc:  # the same problem, said of the file
                problem = str(exc).split("] ", 1)[-1]
                raise DatasetError(Errors.E521.format(line=1, path=path, problem=problem)) from None
        return cls(entries, name=name)

    @classmethod
    def builtin(cls, *names: str, label_map: Mapping[str, str | None] | None = None) -> Gazetteer:
        """The gazetteers that ship with weaklabel, merged in the order given.

        Parameters
        ----------
        *names : str
            Any of :data:`BUILTIN`: ``"cities"``, ``"countries"``, ``"currencies"``,
            ``"languages"``, ``"nationalities"``, ``"subdivisions"``. Labels follow
            OntoNotes (``GPE``, ``NORP``, ``LANGUAGE``) except ``CURRENCY``.
        label_map : mapping of str to str or None, optional
            Renames labels (``{"GPE": "LOC"}`` for a CoNLL label space) or drops them
            (``{"NORP": None}``); see :meth:`relabel`.

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
        return out if label_map is None else out.relabel(label_map)

    def relabel(self, label_map: Mapping[str, str | None]) -> Gazetteer:
        """A copy with labels renamed (``{"GPE": "LOC"}``) or dropped (``{"NORP": None}``).

        Parameters
        ----------
        label_map : mapping of str to str or None
            Every key must be one of :attr:`labels`, exactly (a key that differs only in
            case is refused, saying so) [E527]; labels not in the mapping are kept.

        Returns
        -------
        Gazetteer
        """
        mapping = check_label_map(label_map, self.labels, self.name)
        entries = []
        for e in self.entries:
            label = mapping.get(e.label, e.label)
            if label is not None:
                entries.append(e if label == e.label else replace(e, label=label))
        return Gazetteer(entries, name=self.name)

    def to_file(self, path: str | Path, *, format: Literal["jsonl", "tsv"] | None = None) -> Path:
        """Write the gazetteer as JSONL or TSV (the format :meth:`from_file` reads).

        The file is written atomically; lines follow the order of the entries.
        """
        return write_entries(self.entries, Path(path), format)

    def as_source(self, *, name: str | None = None, **options: Any) -> GazetteerSource:
        """Shortcut for :func:`gazetteer_source` ``(self, name=name, **options)``."""
        return gazetteer_source(self, name=name, **options)


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
        label_map: Mapping[str, str | None] | None = None,
    ) -> None:
        if not isinstance(gazetteer, Gazetteer):
            raise ParameterError(
                Errors.E037.format(
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
        self.label_map = check_label_map(label_map, gazetteer.labels, name)
        self._trie: TokenTrie | None = None

    def fingerprint(self) -> str:
        return digest(
            [
                "gazetteer_source",
                self.name,
                self.gazetteer.fingerprint(),
                repr((self.case_sensitive, self.longest_match, self.cross_sentences)),
                _tokenizer_fingerprint(self.tokenizer),
                repr(sorted(self.label_map.items())),
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
            Errors.E037.format(
                source=self.name,
                problem=f"tokenizer must be None, 'whitespace', a spaCy pipeline or tokenizer, "
                f"or a callable str -> list[str]; got {tok!r}.",
            )
        )

    @property
    def trie(self) -> TokenTrie:
        """The compiled entries (built on first use)."""
        if self._trie is None:
            terms = [
                (term, mapped)
                for term, label in self.gazetteer.terms()
                if (mapped := self.label_map.get(label, label)) is not None
            ]
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
    label_map: Mapping[str, str | None] | None = None,
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
    label_map : mapping of str to str or None, optional
        Renames the gazetteer's labels in the spans (``{"GPE": "LOC"}``); a label mapped
        to ``None`` is dropped (its names are not matched); labels not in the mapping are
        kept. As ``SpacyNERSource``'s, so that the spans fit your label space (the
        shipped gazetteers use OntoNotes labels: ``GPE``, ``NORP``, ``LANGUAGE``). Every
        key must be one of the gazetteer's labels, exactly [E527].

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
        label_map=label_map,
    )
