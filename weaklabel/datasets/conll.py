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

Examples
--------
>>> docs = parse_conll("-DOCSTART- O\\n\\nEU B-ORG\\nrejects O\\n\\n")
>>> docs[0].sentences[0].tokens, docs[0].sentences[0].tags
(['EU', 'rejects'], ['B-ORG', 'O'])
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from weaklabel.datasets._errors import Errors
from weaklabel.errors import DatasetError, ParameterError
from weaklabel.tags import bio_to_spans, spans_to_bio

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = [
    "DOCSTART",
    "ConllDocument",
    "ConllSentence",
    "conll_to_docs",
    "docs_to_conll",
    "format_conll",
    "parse_conll",
    "read_conll",
    "write_conll",
]

DOCSTART = "-DOCSTART-"
"""The first field of a line that starts a new document."""


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
def parse_conll(
    text: str, *, sep: str | None = None, source: str = "<text>"
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

    Returns
    -------
    list of ConllDocument
        A file without ``-DOCSTART-`` lines gives one document.
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
        rows.append(fields)
    close_sentence()
    return docs


def read_conll(
    path: str | Path, *, sep: str | None = None, encoding: str = "utf-8"
) -> list[ConllDocument]:
    """Read a CoNLL file (``.gz`` too) into documents of sentences.

    Parameters
    ----------
    path : str or Path
    sep : str, optional
        Column separator (whitespace by default).
    encoding : str, default "utf-8"

    Returns
    -------
    list of ConllDocument
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(Errors.E542.format(path=path))
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding=encoding) as handle:
            text = handle.read()
    else:
        text = path.read_text(encoding=encoding)
    return parse_conll(text, sep=sep, source=str(path))


# --------------------------------------------------------------------------- writing
def docs_to_conll(
    docs: Sequence[Doc],
    *,
    span_key: str | Sequence[str] | None = None,
    scheme: str = "bio",
) -> list[ConllDocument]:
    """spaCy docs as CoNLL documents, with tag columns from their spans.

    Parameters
    ----------
    docs : sequence of spacy.tokens.Doc
        Docs with sentences set are split into sentences; others are one sentence each.
    span_key : str or sequence of str, optional
        The span group(s) to write, one tag column each (overlapping spans are resolved
        longest first); ``None`` writes ``doc.ents``.
    scheme : {"bio", "iobes", "bilou"}, default "bio"
        The tag scheme to write (see :func:`weaklabel.tags.spans_to_bio`).

    Returns
    -------
    list of ConllDocument
    """
    keys: list[str | None] = (
        [None] if span_key is None else [span_key] if isinstance(span_key, str) else list(span_key)
    )
    out = []
    for d, doc in enumerate(docs):
        columns = []
        for key in keys:
            if key is None:
                group = doc.ents
            elif key in doc.spans:
                group = doc.spans[key]
            else:
                raise ParameterError(Errors.E505.format(doc=d, name=key, keys=list(doc.spans)))
            triples = [(s.start, s.end, s.label_) for s in group]
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
        out.append(ConllDocument(sentences))
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
) -> Path:
    """Write documents to a CoNLL file, atomically.

    Parameters
    ----------
    path : str or Path
    documents : sequence of ConllDocument or of spacy.tokens.Doc
        spaCy docs are converted with :func:`docs_to_conll` (``span_key`` chooses the
        tag columns).
    span_key : str or sequence of str, optional
        For docs only; see :func:`docs_to_conll`.
    scheme : {"bio", "iobes", "bilou"}, default "bio"
        For docs only: the tag scheme written; see :func:`docs_to_conll`.
    docstart : bool, optional
        See :func:`format_conll`. For spaCy docs ``None`` means ``True``.
    sep : str, default " "

    Returns
    -------
    Path
    """
    path = Path(path)
    items: list[Any] = list(documents)
    if items and not isinstance(items[0], ConllDocument):
        items = docs_to_conll(items, span_key=span_key, scheme=scheme)
        docstart = True if docstart is None else docstart
    text = format_conll(items, docstart=docstart, sep=sep)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
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
    span_key: str | None = "gold",
    set_ents: bool = True,
    column: int = -1,
) -> list[Doc]:
    """spaCy docs from CoNLL documents, with the tag column as gold spans.

    Parameters
    ----------
    documents : sequence of ConllDocument
    nlp : spacy Language or Vocab, optional
        Whose vocabulary the docs use; ``spacy.blank("en")`` by default.
    unit : {"document", "sentence"}, default "document"
        One doc per document (sentences marked) or one per sentence.
    span_key : str or None, default "gold"
        Store the tagged entities as ``doc.spans[span_key]``; ``None`` skips it.
    set_ents : bool, default True
        Also set ``doc.ents``.
    column : int, default -1
        Which column (after the token) holds the tags.

    Returns
    -------
    list of spacy.tokens.Doc
        Tokens joined by single spaces.
    """
    from spacy.tokens import Doc, Span

    vocab: Any
    if nlp is None:
        import spacy

        vocab = spacy.blank("en").vocab
    else:
        vocab = getattr(nlp, "vocab", nlp)
    groups: list[list[ConllSentence]] = []
    for doc in documents:
        if unit == "sentence":
            groups.extend([s] for s in doc.sentences)
        elif unit == "document":
            groups.append(list(doc.sentences))
        else:
            raise ParameterError(
                Errors.E037.format(
                    source="conll_to_docs",
                    problem=f"unit must be 'document' or 'sentence', not {unit!r}.",
                )
            )
    out: list[Doc] = []
    for sentences in groups:
        words = [t for s in sentences for t in s.tokens]
        tags = [
            (s.columns[column][i] if s.columns else "O")
            for s in sentences
            for i in range(len(s.tokens))
        ]
        starts: list[bool | int | None] = [i == 0 for s in sentences for i in range(len(s.tokens))]
        made = Doc(vocab, words=words, sent_starts=starts if words else None)
        spans = [Span(made, a, b, label) for a, b, label in bio_to_spans(tags)]
        if span_key is not None:
            made.spans[span_key] = spans
        if set_ents:
            made.set_ents(spans, default="outside")
        out.append(made)
    return out
