"""CoNLL BIO export of character spans, and its reader.

Use :func:`write_conll_bio` to hand span labels to a token tagger that reads CoNLL files:
each row becomes one document (a ``-DOCSTART-`` line, then its tokens, one per line with
their BIO tag), written through :mod:`weaklabel.datasets.conll`. Tokens are the text's
runs of non-whitespace, cut at every span boundary, so every span falls on tokens.
:func:`read_conll_bio` reads such a file (or any CoNLL file) back into a frame of texts and
character spans.

What the format holds, and so what comes back: tokens and one tag per token. The text
comes back as its tokens joined by single spaces (exact for texts whose words are already
separated by single spaces, with no whitespace at either end), the spans as character
offsets into that text, without scores. Labels, probabilities and provenance have no
place in CoNLL: use a DocBin or a table for them. Spans that overlap (one tag per token)
or that start or end with whitespace are refused (``E862``, ``E863``), never dropped.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from weaklabel.errors import DatasetError, ExportError
from weaklabel.export._errors import Errors
from weaklabel.export._frame import check_frame
from weaklabel.export._io import write_text
from weaklabel.export._tokens import whitespace_tokens

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_conll_bio", "write_conll_bio"]


def write_conll_bio(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    text_column: str = "text",
    span_column: str = "spans",
    scheme: str = "bio",
    overwrite: bool = False,
) -> Path:
    """Write the texts and spans of a labels frame as a CoNLL file, atomically.

    Parameters
    ----------
    frame : DataFrame
        ``n`` rows with a text column and a span column (lists of ``(start, end,
        label[, score])``; a frame without spans writes every token ``O``).
    path : str or path-like
        The file to write.
    text_column, span_column : str
        Column names.
    scheme : {"bio", "iobes", "bilou"}, default "bio"
        The tag scheme.
    overwrite : bool, default False
        Replace an existing file.

    Returns
    -------
    Path
    """
    from weaklabel.datasets.conll import DOCSTART, ConllDocument, ConllSentence, format_conll
    from weaklabel.tags import spans_to_bio

    where = "write_conll_bio"
    data = check_frame(
        frame, where=where, text_column=text_column, label_column=None, span_column=span_column
    )
    documents = []
    for row, text in enumerate(data.texts):
        spans = data.spans[row] if data.spans is not None else []
        ordered = sorted(spans, key=lambda s: (s[0], s[1]))
        for first, second in itertools.pairwise(ordered):
            if second[0] < first[1]:
                raise ExportError(
                    Errors.E862.format(where=where, row=row, first=first, second=second)
                )
        for span in ordered:
            piece = text[span[0] : span[1]]
            if piece != piece.strip():
                raise ExportError(Errors.E863.format(where=where, row=row, span=span))
            if any(ch.isspace() for ch in span[2]):
                raise ExportError(
                    Errors.E852.format(
                        where=where, row=row, span=span, problem="has whitespace in its label"
                    )
                )
        boundaries = {s[0] for s in spans} | {s[1] for s in spans}
        tokens = whitespace_tokens(text, boundaries)
        if tokens and text[tokens[0][0] : tokens[0][1]] == DOCSTART:
            raise ExportError(
                Errors.E851.format(
                    where=where, row=row, field=text_column,
                    expected=f"a text that does not start with CoNLL's {DOCSTART} marker",
                    value=text[:40],
                )
            )  # fmt: skip
        start_of = {a: i for i, (a, _) in enumerate(tokens)}
        end_of = {b: i + 1 for i, (_, b) in enumerate(tokens)}
        triples = [(start_of[s[0]], end_of[s[1]], s[2]) for s in ordered]
        words = [text[a:b] for a, b in tokens]
        tags = spans_to_bio(triples, len(words), scheme=scheme)
        sentences = [ConllSentence(words, [tags])] if words else []
        documents.append(ConllDocument(sentences, docstart=f"{DOCSTART} O"))
    return write_text(path, format_conll(documents, docstart=True), overwrite=overwrite)


def read_conll_bio(
    path: str | os.PathLike[str],
    *,
    unit: Literal["document", "sentence"] = "document",
    sep: str | None = None,
    column: int = -1,
) -> pd.DataFrame:
    """Read a CoNLL file into texts and character spans.

    Parameters
    ----------
    path : str or path-like
        A CoNLL file (``.gz`` too), e.g. one written by :func:`write_conll_bio`.
    unit : {"document", "sentence"}, default "document"
        One row per document (sentences joined by a space) or per sentence.
    sep : str, optional
        Column separator (whitespace by default).
    column : int, default -1
        Which column after the token holds the tags.

    Returns
    -------
    DataFrame
        ``text`` (tokens joined by single spaces) and ``spans`` (lists of ``(start, end,
        label)`` character offsets into it).
    """
    import pandas as pd

    from weaklabel.datasets.conll import read_conll
    from weaklabel.tags import bio_to_spans

    try:
        documents = read_conll(Path(path), sep=sep)
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(Errors.E865.format(path=path, problem=exc)) from None
    except DatasetError as exc:
        raise ExportError(Errors.E860.format(path=path, what="a CoNLL file", problem=exc)) from None
    units = (
        [list(doc.sentences) for doc in documents]
        if unit == "document"
        else [[s] for doc in documents for s in doc.sentences]
    )
    texts: list[str] = []
    spans: list[list[tuple[int, int, str]]] = []
    for sentences in units:
        words = [t for s in sentences for t in s.tokens]
        tags = [
            (s.columns[column][i] if s.columns else "O")
            for s in sentences
            for i in range(len(s.tokens))
        ]
        starts = []
        offset = 0
        for word in words:
            starts.append(offset)
            offset += len(word) + 1
        texts.append(" ".join(words))
        spans.append(
            [
                (starts[a], starts[b - 1] + len(words[b - 1]), label)
                for a, b, label in bio_to_spans(tags)
            ]
        )
    return pd.DataFrame({"text": texts, "spans": pd.Series(spans, dtype=object)})
