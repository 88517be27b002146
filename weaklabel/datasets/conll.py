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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from weaklabel.datasets._conll_text import (
    DOCSTART,
    ConllDocument,
    ConllSentence,
    default_docstart,
    format_conll,
    parse_conll,
    read_conll,
)
from weaklabel.datasets._errors import Errors
from weaklabel.errors import DatasetError, ParameterError
from weaklabel.tags import SpanTuple, bio_to_spans, spans_to_bio

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

GOLD_KEY = "weaklabel.gold"
"""The ``doc.user_data`` key under which :func:`conll_to_docs` stores the gold spans."""

SOURCE_KEY = "weaklabel.conll"
"""The ``doc.user_data`` key of a doc's origin: ``{"document": id, "docstart": line}``."""

_CALLS = itertools.count()  # tells apart the documents of separate conll_to_docs calls


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
    return line if len(line.split()) == n_columns else default_docstart(n_columns)


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
            docstart = default_docstart(n_columns)
        out.append(ConllDocument(sentences, docstart=docstart))
    return out


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
