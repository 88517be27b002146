"""Read and write CoNLL-2003-style files: one token per line, tags in columns.

Use it to load a named-entity corpus (CoNLL-2003, WNUT, most NER releases) into spaCy docs
with gold spans, or to export weak or predicted labels for a tagger to train on. The
format:

* one token per line, followed by its columns separated by whitespace (CoNLL-2003 has
  ``token POS chunk NER``; many corpora only ``token NER``); the last column is the tag;
* a blank line ends a sentence;
* a line whose first field is ``-DOCSTART-`` starts a new document.

Tags may be BIO, IOB1 (CoNLL-2003's original scheme, ``I-`` unless two entities touch),
BIOES or BILOU: :func:`~weaklabel.tags.bio_to_spans` reads them all. A file read with
:func:`read_conll` and written back with :func:`write_conll` is identical byte for byte
when it has the usual layout (a ``-DOCSTART-`` line followed by a blank line, one blank
line after each sentence).

Gold and weak labels are kept apart: :func:`conll_to_docs` puts the tagged entities in
``doc.ents`` and in ``doc.user_data["weaklabel.gold"]`` (read them back with
:func:`gold_spans`), never in ``doc.spans`` unless asked, because ``doc.spans`` is where
span sources live and skweak's aggregators (and
:func:`~weaklabel.analysis.spans.summarize_span_sources`) count every group there as one
more source. Each doc also remembers the document it came from
(``doc.user_data["weaklabel.conll"]``), so :func:`write_conll` on sentence docs writes one
``-DOCSTART-`` per original document.

Examples
--------
>>> docs = parse_conll("-DOCSTART- O\\n\\nEU B-ORG\\nrejects O\\n\\n")
>>> docs[0].sentences[0].tokens, docs[0].sentences[0].tags
(['EU', 'rejects'], ['B-ORG', 'O'])
"""

from __future__ import annotations

import gzip
import itertools
import os
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from weaklabel.datasets._errors import Errors
from weaklabel.errors import DatasetError, ParameterError
from weaklabel.tags import SpanTuple, bio_to_spans, spans_to_bio, split_tag

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = [
    "DOCSTART",
    "GOLD_KEY",
    "SOURCE_KEY",
    "ConllDocument",
    "ConllSentence",
    "conll_to_docs",
    "docs_to_conll",
    "format_conll",
    "gold_spans",
    "parse_conll",
    "read_conll",
    "write_conll",
]

DOCSTART = "-DOCSTART-"
"""The first field of a line that starts a new document."""

GOLD_KEY = "weaklabel.gold"
"""The ``doc.user_data`` key under which :func:`conll_to_docs` stores the gold spans."""

SOURCE_KEY = "weaklabel.conll"
"""The ``doc.user_data`` key of a doc's origin: ``{"document": id, "docstart": line}``."""

_CALLS = itertools.count()  # tells apart the documents of separate conll_to_docs calls


@dataclass
class ConllSentence:
    """One sentence: its tokens and their other columns.

    Attributes
    ----------
    tokens : list of str
    columns : list of list of str
        The columns after the token, each with one value per token (CoNLL-2003: POS,
        chunk, NER). The last one is the tag column.
    """

    tokens: list[str]
    columns: list[list[str]] = field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        """The last column (the entity tags), or ``O`` for every token without columns."""
        return list(self.columns[-1]) if self.columns else ["O"] * len(self.tokens)


@dataclass
class ConllDocument:
    """One document: its sentences, and its ``-DOCSTART-`` line when the file had one."""

    sentences: list[ConllSentence]
    docstart: str | None = None

    @property
    def tokens(self) -> list[str]:
        """All tokens, sentence after sentence."""
        return [t for s in self.sentences for t in s.tokens]

    @property
    def tags(self) -> list[str]:
        """All tags, sentence after sentence."""
        return [t for s in self.sentences for t in s.tags]


# --------------------------------------------------------------------------- reading
def _tag_problem(tag: str) -> bool:
    """Whether ``tag`` is not a tag of BIO, IOB1, BIOES or BILOU."""
    try:
        split_tag(tag)
    except ValueError:
        return True
    return False


def parse_conll(
    text: str, *, sep: str | None = None, source: str = "<text>", check_tags: bool = True
) -> list[ConllDocument]:
    """Parse CoNLL text (see the module docstring).

    Parameters
    ----------
    text : str
    sep : str, optional
        Column separator; any run of whitespace by default. Use ``"\\t"`` for files
        whose tokens contain spaces.
    source : str, default "<text>"
        Shown in error messages.
    check_tags : bool, default True
        Check that the last column of every token line (when there are columns) is a
        tag: ``O`` or ``<prefix>-<type>`` with a prefix of BIO, IOB1, BIOES or BILOU.
        Pass ``False`` for files whose last column is something else (POS tags, say).

    Returns
    -------
    list of ConllDocument
        A file without ``-DOCSTART-`` lines gives one document.

    Raises
    ------
    DatasetError
        A line with another number of columns than the first token line ([E521]), or a
        last column that is not a tag ([E222]); the message names the line.
    """
    docs: list[ConllDocument] = []
    current: ConllDocument | None = None
    rows: list[list[str]] = []
    n_columns: int | None = None

    def close_sentence() -> None:
        nonlocal current, rows
        if rows:
            if current is None:
                current = ConllDocument([])
                docs.append(current)
            tokens = [r[0] for r in rows]
            columns = [[r[k] for r in rows] for k in range(1, len(rows[0]))]
            current.sentences.append(ConllSentence(tokens, columns))
            rows = []

    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split(sep) if sep is not None else line.split()
        if sep is not None:
            fields = [f.strip() for f in fields]
        if not line.strip():
            close_sentence()
            continue
        if fields[0] == DOCSTART:
            close_sentence()
            current = ConllDocument([], docstart=line.rstrip("\r\n"))
            docs.append(current)
            continue
        if n_columns is None:
            n_columns = len(fields)
        elif len(fields) != n_columns:
            raise DatasetError(
                Errors.E521.format(
                    line=number,
                    path=source,
                    problem=f"{len(fields)} columns where the file has {n_columns} "
                    f"({line!r}). A token with spaces needs sep='\\t'.",
                )
            )
        if check_tags and n_columns > 1 and _tag_problem(fields[-1]):
            raise DatasetError(Errors.E222.format(file=source, line=number, tag=fields[-1]))
        rows.append(fields)
    close_sentence()
    return docs


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed for ``.gz``; damaged gzip data is refused [E221]."""
    try:
        if path.suffix == ".gz":
            if path.stat().st_size == 0:  # gzip reads an empty file as no data
                raise EOFError("the file is empty")
            with gzip.open(path, "rb") as handle:
                return handle.read()
        return path.read_bytes()
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DatasetError(Errors.E221.format(file=path, problem=exc)) from exc
    except OSError as exc:
        raise DatasetError(Errors.E216.format(file=path, problem=exc)) from exc


def _decode(data: bytes, path: Path, encoding: str) -> str:
    """``data`` decoded; an undecodable byte is refused with its line [E220]."""
    try:
        text = data.decode(encoding)
    except LookupError:
        raise ParameterError(Errors.E223.format(encoding=encoding)) from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DatasetError(
            Errors.E220.format(
                file=path,
                line=line,
                column=column,
                byte=data[exc.start : exc.start + 1],
                encoding=encoding,
            )
        ) from None
    return text[1:] if text.startswith("\ufeff") else text  # a byte-order mark


def read_conll(
    path: str | Path,
    *,
    sep: str | None = None,
    encoding: str = "utf-8",
    check_tags: bool = True,
) -> list[ConllDocument]:
    """Read a CoNLL file (``.gz`` too) into documents of sentences.

    Parameters
    ----------
    path : str or Path
    sep : str, optional
        Column separator (whitespace by default).
    encoding : str, default "utf-8"
        The file's text encoding. CoNLL-2003's German files and many older corpora are
        ``"latin-1"``; a byte that does not decode is refused with its line ([E220]),
        never replaced. A leading byte-order mark is dropped.
    check_tags : bool, default True
        See :func:`parse_conll`.

    Returns
    -------
    list of ConllDocument

    Raises
    ------
    DatasetError
        No such file ([E542]), a truncated or damaged ``.gz`` ([E221]), bytes that are
        not ``encoding`` ([E220]), or a damaged line ([E521], [E222]); each message names
        the file, and the line when there is one.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(Errors.E542.format(path=path))
    text = _decode(_read_bytes(path), path, encoding)
    return parse_conll(text, sep=sep, source=str(path), check_tags=check_tags)


# --------------------------------------------------------------------------- writing
def _origin(doc: Doc) -> tuple[str | None, str | None, bool]:
    """A doc's document id, its ``-DOCSTART-`` line and whether it came from a CoNLL file."""
    origin = doc.user_data.get(SOURCE_KEY)
    if not isinstance(origin, dict):
        return None, None, False
    document, docstart = origin.get("document"), origin.get("docstart")
    return (
        document if isinstance(document, str) else None,
        docstart if isinstance(docstart, str) else None,
        True,
    )


def _shaped_docstart(line: str | None, n_columns: int) -> str | None:
    """The original ``-DOCSTART-`` line when it has ``n_columns`` fields, else a default."""
    if line is None:
        return None
    return line if len(line.split()) == n_columns else _default_docstart(n_columns)


def docs_to_conll(
    docs: Sequence[Doc],
    *,
    span_key: str | Sequence[str] | None = None,
    scheme: str = "bio",
) -> list[ConllDocument]:
    """spaCy docs as CoNLL documents, with tag columns from their spans.

    Consecutive docs that :func:`conll_to_docs` made from one document (the sentences of
    ``unit="sentence"``) become one document again, with the ``-DOCSTART-`` line it was
    read with (``None`` when it had none); any other doc is one document, with a
    default ``-DOCSTART-`` line.

    Parameters
    ----------
    docs : sequence of spacy.tokens.Doc
        Docs with sentences set are split into sentences; others are one sentence each.
    span_key : str or sequence of str, optional
        The span group(s) to write, one tag column each (overlapping spans are resolved
        longest first); ``None`` writes ``doc.ents``. ``"gold"`` names the gold entities
        :func:`conll_to_docs` stored (see :func:`gold_spans`) on a doc without a
        ``"gold"`` span group.
    scheme : {"bio", "iobes", "bilou"}, default "bio"
        The tag scheme to write (see :func:`weaklabel.tags.spans_to_bio`).

    Returns
    -------
    list of ConllDocument
    """
    keys: list[str | None] = (
        [None] if span_key is None else [span_key] if isinstance(span_key, str) else list(span_key)
    )
    out: list[ConllDocument] = []
    previous: str | None = None
    for d, doc in enumerate(docs):
        columns = []
        for key in keys:
            if key is None:
                triples = [(s.start, s.end, s.label_) for s in doc.ents]
            elif key in doc.spans:
                triples = [(s.start, s.end, s.label_) for s in doc.spans[key]]
            elif key == "gold" and GOLD_KEY in doc.user_data:
                triples = _stored_gold(doc, d)
            else:
                raise ParameterError(Errors.E505.format(doc=d, name=key, keys=list(doc.spans)))
            columns.append(spans_to_bio(triples, len(doc), scheme=scheme))
        bounds = (
            [(s.start, s.end) for s in doc.sents]
            if doc.has_annotation("SENT_START")
            else [(0, len(doc))]
        )
        sentences = [
            ConllSentence([t.text for t in doc[a:b]], [col[a:b] for col in columns])
            for a, b in bounds
            if b > a
        ]
        document, line, from_conll = _origin(doc)
        if out and document is not None and document == previous:
            out[-1].sentences.extend(sentences)
            continue
        previous = document
        n_columns = 1 + len(keys)
        docstart = _shaped_docstart(line, n_columns) if from_conll else None
        if not from_conll:
            docstart = _default_docstart(n_columns)
        out.append(ConllDocument(sentences, docstart=docstart))
    return out


def _default_docstart(n_columns: int) -> str:
    if n_columns <= 1:
        return DOCSTART
    return " ".join([DOCSTART, *(["-X-"] * (n_columns - 2)), "O"])


def format_conll(
    documents: Sequence[ConllDocument], *, docstart: bool | None = None, sep: str = " "
) -> str:
    """The CoNLL text of documents (what :func:`write_conll` writes).

    Parameters
    ----------
    documents : sequence of ConllDocument
    docstart : bool, optional
        ``None`` writes a document's ``-DOCSTART-`` line when it was read with one;
        ``True`` always writes one (``-DOCSTART- -X- -X- O`` shaped to the columns);
        ``False`` never.
    sep : str, default " "
    """
    lines: list[str] = []
    for d, doc in enumerate(documents):
        n_columns = 1 + (len(doc.sentences[0].columns) if doc.sentences else 1)
        if docstart is True or (docstart is None and doc.docstart is not None):
            lines.append(doc.docstart or _default_docstart(n_columns))
            lines.append("")
        offset = 0
        for sentence in doc.sentences:
            for i, token in enumerate(sentence.tokens):
                if not token or any(ch.isspace() for ch in token):
                    raise ParameterError(Errors.E541.format(token=token, index=offset + i, doc=d))
                lines.append(sep.join([token, *(col[i] for col in sentence.columns)]))
            lines.append("")
            offset += len(sentence.tokens)
    return "".join(line + "\n" for line in lines)


def write_conll(
    path: str | Path,
    documents: Sequence[ConllDocument] | Sequence[Doc],
    *,
    span_key: str | Sequence[str] | None = None,
    scheme: str = "bio",
    docstart: bool | None = None,
    sep: str = " ",
    overwrite: bool = False,
) -> Path:
    """Write documents to a CoNLL file (UTF-8; gzip-compressed for ``.gz``), atomically.

    Parameters
    ----------
    path : str or Path
        The file to write; its folder must exist. A name ending in ``.gz`` is compressed
        (what :func:`read_conll` reads back).
    documents : sequence of ConllDocument or of spacy.tokens.Doc
        spaCy docs are converted with :func:`docs_to_conll` (``span_key`` chooses the
        tag columns).
    span_key : str or sequence of str, optional
        For docs only; see :func:`docs_to_conll`.
    scheme : {"bio", "iobes", "bilou"}, default "bio"
        For docs only: the tag scheme written; see :func:`docs_to_conll`.
    docstart : bool, optional
        See :func:`format_conll`. For spaCy docs, ``None`` writes one ``-DOCSTART-`` line
        per original document for docs made by :func:`conll_to_docs` (none when the file
        had none; the sentences of one document stay together), and one per doc for
        other docs.
    sep : str, default " "
    overwrite : bool, default False
        Replace an existing file; without it an existing ``path`` is refused ([E228]).

    Returns
    -------
    Path

    Raises
    ------
    DatasetError
        ``path`` exists and ``overwrite`` is False ([E228]), or its folder is missing
        ([E229]); checked before anything is converted or written.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise DatasetError(Errors.E229.format(path=path, folder=path.parent))
    if path.is_dir() or (path.exists() and not overwrite):
        raise DatasetError(Errors.E228.format(path=path))
    items: list[Any] = list(documents)
    if items and not isinstance(items[0], ConllDocument):
        items = docs_to_conll(items, span_key=span_key, scheme=scheme)
    data = format_conll(items, docstart=docstart, sep=sep).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # the replaced file's mode, or a normal file's; not mkstemp's private 0o600
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


# ----------------------------------------------------------------------- to spaCy
def conll_to_docs(
    documents: Sequence[ConllDocument],
    nlp: Language | Vocab | None = None,
    *,
    unit: Literal["document", "sentence"] = "document",
    span_key: str | None = None,
    set_ents: bool = True,
    column: int = -1,
) -> list[Doc]:
    """spaCy docs from CoNLL documents, with the tag column as gold entities.

    The gold entities never land in ``doc.spans`` unless you ask: that is where span
    sources live, and skweak's aggregators and
    :func:`~weaklabel.analysis.spans.summarize_span_sources` count every group there as
    a source (a gold group would be one more, perfect, voter). They are stored in
    ``doc.user_data[GOLD_KEY]`` (read them with :func:`gold_spans`, or pass
    ``gold="gold"`` to ``summarize_span_sources``) and, by default, in ``doc.ents``,
    which no aggregator reads.

    Parameters
    ----------
    documents : sequence of ConllDocument
    nlp : spacy Language or Vocab, optional
        Whose vocabulary the docs use; ``spacy.blank("en")`` by default.
    unit : {"document", "sentence"}, default "document"
        One doc per document (sentences marked) or one per sentence.
    span_key : str, optional
        Also store the gold entities as ``doc.spans[span_key]`` (for tools that read
        gold from a span group). The group is marked ``attrs["gold"] = True`` and
        ``attrs["avoid_in_aggregation"] = True``, so skweak's aggregators and
        ``summarize_span_sources`` leave it out; code of your own that walks
        ``doc.spans`` must skip it too.
    set_ents : bool, default True
        Also set ``doc.ents`` (what :func:`write_conll` writes by default). No aggregator
        reads ``doc.ents``; pass ``False`` to keep gold out of it too, e.g. before running
        spaCy components that respect preset entities (an ``EntityRuler`` that does not
        overwrite them) on these very docs.
    column : int, default -1
        Which column (after the token) holds the tags.

    Returns
    -------
    list of spacy.tokens.Doc
        Tokens joined by single spaces. ``doc.user_data[SOURCE_KEY]`` records the
        document each doc came from and its ``-DOCSTART-`` line, so :func:`write_conll`
        writes the documents back as they were read.
    """
    from spacy.tokens import Doc, Span

    vocab: Any
    if nlp is None:
        import spacy

        vocab = spacy.blank("en").vocab
    else:
        vocab = getattr(nlp, "vocab", nlp)
    if unit not in ("document", "sentence"):
        raise ParameterError(
            Errors.E037.format(
                source="conll_to_docs",
                problem=f"unit must be 'document' or 'sentence', not {unit!r}.",
            )
        )
    call = next(_CALLS)
    groups: list[tuple[int, ConllDocument, list[ConllSentence]]] = []
    for d, doc in enumerate(documents):
        if unit == "sentence":
            groups.extend((d, doc, [s]) for s in doc.sentences)
        else:
            groups.append((d, doc, list(doc.sentences)))
    out: list[Doc] = []
    for d, document, sentences in groups:
        words = [t for s in sentences for t in s.tokens]
        starts: list[bool | int | None] = [i == 0 for s in sentences for i in range(len(s.tokens))]
        made = Doc(vocab, words=words, sent_starts=starts if words else None)
        triples: list[SpanTuple] = []
        offset = 0
        for s in sentences:  # an entity never crosses a sentence boundary
            tags = s.columns[column] if s.columns else ["O"] * len(s.tokens)
            triples.extend((offset + a, offset + b, label) for a, b, label in bio_to_spans(tags))
            offset += len(s.tokens)
        spans = [Span(made, a, b, label) for a, b, label in triples]
        made.user_data[GOLD_KEY] = [list(t) for t in triples]
        made.user_data[SOURCE_KEY] = {"document": f"{call}#{d}", "docstart": document.docstart}
        if span_key is not None:
            made.spans[span_key] = spans
            made.spans[span_key].attrs.update({"gold": True, "avoid_in_aggregation": True})
        if set_ents:
            made.set_ents(spans, default="outside")
        out.append(made)
    return out


def gold_spans(docs: Sequence[Doc]) -> list[list[SpanTuple]]:
    """The gold entities :func:`conll_to_docs` stored on each doc, for scoring.

    Parameters
    ----------
    docs : sequence of spacy.tokens.Doc
        Docs made by :func:`conll_to_docs` (also after a ``DocBin`` round trip with
        ``store_user_data=True``).

    Returns
    -------
    list of list of (start, end, label)
        One sorted list of token spans (end exclusive) per doc, the form every scorer of
        weaklabel takes as gold (e.g. ``summarize_span_sources(docs, gold=...)``).

    Raises
    ------
    DatasetError
        A doc without stored gold ([E224]), or with a damaged entry ([E225]).
    """
    return [_stored_gold(doc, d) for d, doc in enumerate(docs)]


def _stored_gold(doc: Doc, d: int) -> list[SpanTuple]:
    """The checked gold spans of doc number ``d`` (see :func:`gold_spans`)."""
    stored = doc.user_data.get(GOLD_KEY)
    if stored is None:
        raise DatasetError(Errors.E224.format(doc=d, key=GOLD_KEY))
    spans: list[SpanTuple] = []
    try:
        for a, b, label in stored:
            if not (type(a) is int and type(b) is int and 0 <= a < b <= len(doc)):
                raise ValueError
            if not isinstance(label, str) or not label:
                raise ValueError
            spans.append((a, b, label))
    except (TypeError, ValueError):
        raise DatasetError(
            Errors.E225.format(doc=d, key=GOLD_KEY, n=len(doc), value=stored)
        ) from None
    return sorted(spans)
