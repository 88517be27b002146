"""The text layer of CoNLL files: parse, read (checked) and format, without spaCy.

Private: :mod:`weaklabel.datasets.conll` re-exports everything public here, and documents
the format. Kept apart so that the spaCy conversions and the writer stay a small module.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from weaklabel.datasets._errors import Errors
from weaklabel.errors import DatasetError, ParameterError
from weaklabel.tags import split_tag

__all__ = [
    "DOCSTART",
    "ConllDocument",
    "ConllSentence",
    "default_docstart",
    "format_conll",
    "parse_conll",
    "read_conll",
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
        See :func:`~weaklabel.datasets.conll.parse_conll`.

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


def default_docstart(n_columns: int) -> str:
    if n_columns <= 1:
        return DOCSTART
    return " ".join([DOCSTART, *(["-X-"] * (n_columns - 2)), "O"])


def format_conll(
    documents: Sequence[ConllDocument], *, docstart: bool | None = None, sep: str = " "
) -> str:
    """The CoNLL text of documents (what :func:`~weaklabel.datasets.conll.write_conll` writes).

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
            lines.append(doc.docstart or default_docstart(n_columns))
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
