"""spaCy ``DocBin`` export: span groups with scores, document probabilities, provenance.

Use :func:`write_docbin` to write a ``.spacy`` file that ``spacy train`` reads (for
``spancat``, ``ner`` through a span group, or ``textcat``), and :func:`read_docbin` to
read one back into a labels frame. Each row becomes one ``Doc``:

- the spans in ``doc.spans[span_key]`` (``"sc"``, spaCy's ``spancat`` default); their
  scores in ``doc.spans[span_key].attrs["scores"]``, one per span in span order (``None``
  for a span without one), the place spaCy's own ``spancat`` puts them;
- the class probabilities in ``doc.cats`` (``{label: p}``); without probability columns,
  a labelled row gets a one-hot ``doc.cats``;
- the row's label and other columns (``id``, ``original_id``, ``augmenter``, ...) in
  ``doc.user_data["weaklabel"]`` (saved with the docs).

Tokens: with ``nlp=None`` the text is tokenized by ``spacy.blank(lang)`` and then cut at
every span boundary, so every character span is kept exactly (a span that starts or ends
inside whitespace gets a whitespace token). With a pipeline ``nlp``, its tokenizer is used
as is and a span that does not fall on its token boundaries raises ``E861``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.errors import ExportError
from weaklabel.export._errors import Errors
from weaklabel.export._frame import check_frame, is_missing
from weaklabel.export._io import atomic_file
from weaklabel.export._tokens import spacy_words

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["frame_to_docs", "read_docbin", "write_docbin"]

USER_DATA_KEY = "weaklabel"


def _plain(value: object, row: int, column: str) -> object:
    """A cell as a msgpack-safe Python value (numpy scalars unwrapped, missing as None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, np.ndarray):
        return [_plain(v, row, column) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_plain(v, row, column) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, row, column) for k, v in value.items()}
    if is_missing(value):
        return None
    if not isinstance(value, str | int | float | bool):
        raise ExportError(
            Errors.E851.format(
                where="write_docbin", row=row, field=column, value=value,
                expected="a string, number, boolean, list or dict (saved in doc.user_data)",
            )
        )  # fmt: skip
    return value


def frame_to_docs(
    frame: pd.DataFrame,
    *,
    span_key: str = "sc",
    nlp: Language | None = None,
    lang: str = "xx",
    label_names: Sequence[str] | None = None,
    text_column: str = "text",
    label_column: str = "label",
    proba_prefix: str = "p_",
    span_column: str = "spans",
) -> list[Doc]:
    """spaCy docs of a labels frame (see the module docstring).

    Parameters
    ----------
    frame : DataFrame
        ``n`` rows.
    span_key : str, default "sc"
        The span group of the spans.
    nlp : spacy Language, optional
        Whose tokenizer (and vocab) to use; by default ``spacy.blank(lang)``, cut at
        span boundaries.
    lang : str, default "xx"
        The blank pipeline's language when ``nlp`` is None.
    label_names, text_column, label_column, proba_prefix, span_column
        As for every exporter.

    Returns
    -------
    list of spacy.tokens.Doc
        ``n`` docs.
    """
    import spacy
    from spacy.tokens import Doc

    where = "write_docbin"
    data = check_frame(
        frame, where=where, text_column=text_column, label_column=label_column,
        proba_prefix=proba_prefix, label_names=label_names, span_column=span_column,
    )  # fmt: skip
    own = nlp is None
    pipeline = spacy.blank(lang) if nlp is None else nlp
    columns = [str(c) for c in frame.columns]
    docs = []
    for row, text in enumerate(data.texts):
        spans = data.spans[row] if data.spans is not None else []
        made = pipeline.make_doc(text)
        if own and spans:
            tokens = [(t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in made]
            starts = {s[0] for s in spans}
            ends = {s[1] for s in spans}
            words, spaces = spacy_words(text, tokens, starts, ends)
            made = Doc(pipeline.vocab, words=words, spaces=spaces)
        group = []
        for span in spans:
            found = made.char_span(span[0], span[1], label=span[2])
            if found is None:
                raise ExportError(Errors.E861.format(where=where, row=row, span=span))
            group.append(found)
        if data.spans is not None:
            made.spans[span_key] = group
            made.spans[span_key].attrs["scores"] = [s[3] if len(s) == 4 else None for s in spans]
        label = data.labels[row]
        if data.proba is not None:
            made.cats = {
                n: float(p) for n, p in zip(data.label_names, data.proba[row], strict=True)
            }
        elif label is not None:
            made.cats = {n: float(n == label) for n in data.label_names}
        made.user_data[USER_DATA_KEY] = {
            "columns": columns,
            "text_column": text_column,
            "label_column": label_column if label_column in frame.columns else None,
            "label": label,
            "label_names": list(data.label_names),
            "proba_prefix": proba_prefix if data.proba is not None else None,
            "span_column": span_column if data.spans is not None else None,
            "span_key": span_key,
            "values": {c: _plain(frame[c].iat[row], row, c) for c in data.extra},
        }
        docs.append(made)
    return docs


def write_docbin(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    span_key: str = "sc",
    nlp: Language | None = None,
    lang: str = "xx",
    label_names: Sequence[str] | None = None,
    text_column: str = "text",
    label_column: str = "label",
    proba_prefix: str = "p_",
    span_column: str = "spans",
    overwrite: bool = False,
) -> Path:
    """Write a labels frame to a spaCy ``.spacy`` (DocBin) file, atomically.

    Parameters are those of :func:`frame_to_docs`, plus the target ``path`` and
    ``overwrite`` (replace an existing file).

    Returns
    -------
    Path
    """
    from spacy.tokens import DocBin

    docs = frame_to_docs(
        frame, span_key=span_key, nlp=nlp, lang=lang, label_names=label_names,
        text_column=text_column, label_column=label_column, proba_prefix=proba_prefix,
        span_column=span_column,
    )  # fmt: skip
    binary = DocBin(store_user_data=True, docs=docs)
    with atomic_file(path, overwrite=overwrite) as tmp:
        binary.to_disk(tmp)
    return Path(path)


def read_docbin(
    path: str | os.PathLike[str], *, span_key: str | None = None, lang: str = "xx"
) -> pd.DataFrame:
    """Read a ``.spacy`` file back into a labels frame.

    Parameters
    ----------
    path : str or path-like
    span_key : str, optional
        The span group to read; by default the one the file was written with (``"sc"``
        for files written elsewhere).
    lang : str, default "xx"
        The vocabulary the docs are read into.

    Returns
    -------
    DataFrame
        One row per doc: the columns written (text, label, spans as tuples with their
        scores, ``p_<label>`` from ``doc.cats``, provenance). Docs written elsewhere give
        ``text``, ``spans`` and one ``p_<label>`` column per category.
    """
    import pandas as pd
    import spacy
    from spacy.tokens import DocBin

    source = Path(path)
    try:
        docs = list(DocBin().from_disk(source).get_docs(spacy.blank(lang).vocab))
    except (OSError, ValueError) as exc:
        raise ExportError(Errors.E865.format(path=source, problem=exc)) from None
    rows = []
    order: list[str] | None = None
    for doc in docs:
        meta: dict[str, Any] = doc.user_data.get(USER_DATA_KEY) or {}
        key = span_key or meta.get("span_key") or "sc"
        text_column = meta.get("text_column") or "text"
        row: dict[str, Any] = {text_column: doc.text}
        if meta.get("label_column"):
            row[meta["label_column"]] = meta.get("label")
        prefix = meta.get("proba_prefix", "p_") if meta else "p_"
        if prefix is not None:
            for name, p in doc.cats.items():
                row[prefix + name] = float(p)
        span_column = meta.get("span_column", "spans") if meta else "spans"
        if span_column is not None and (key in doc.spans or not meta):
            group: Any = []
            scores: list[Any] = []
            if key in doc.spans:
                group = doc.spans[key]
                scores = list(group.attrs.get("scores", []))
            row[span_column] = [
                (s.start_char, s.end_char, s.label_)
                if i >= len(scores) or scores[i] is None
                else (s.start_char, s.end_char, s.label_, float(scores[i]))
                for i, s in enumerate(group)
            ]
        row.update(meta.get("values", {}))
        order = order or list(meta.get("columns") or []) or None
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = pd.Series(
                [row.get(column) for row in rows], dtype=object, index=frame.index
            )
    if order is not None and set(order) == set(frame.columns):
        frame = frame[order]
    return frame
