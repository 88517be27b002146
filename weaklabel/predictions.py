"""Write a sequence label model's predicted tags back onto spaCy docs, with probabilities.

Use :func:`write_spans` after a sequence label model's ``predict`` (and
``predict_proba``): the predicted entities become ``doc.spans[name]`` (and optionally
``doc.ents``), each with the probability skweak defines, so that spaCy, skweak and
weaklabel's span analysis read them. The tags are decoded by
:func:`weaklabel.tags.bio_to_spans`.

spaCy is needed to call it (the docs are spaCy ``Doc`` objects).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel.errors import Errors, ParameterError
from weaklabel.tags import SpanTuple, bio_to_spans, split_tag

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["write_spans"]


def write_spans(
    docs: Sequence[Doc],
    tags: Sequence[Sequence[str] | np.ndarray],
    *,
    name: str,
    probabilities: Sequence[np.ndarray] | None = None,
    tag_names: Sequence[str] | None = None,
    set_ents: bool = False,
) -> Sequence[Doc]:
    """Write predicted tag sequences back onto the docs as ``doc.spans[name]``.

    Use it after a sequence label model's ``predict`` (and ``predict_proba``): the
    predicted entities become spans that spaCy, skweak and weaklabel's own span analysis
    read.

    Parameters
    ----------
    docs : sequence of spacy.tokens.Doc
    tags : sequence of (sequence of str or ndarray of shape (n_tokens_i,))
        One tag sequence per doc: BIO strings, or tag ids into ``tag_names``. Read
        tolerantly (:func:`bio_to_spans`).
    name : str
        The span-group key to write.
    probabilities : sequence of ndarray of shape (n_tokens_i, n_tags), optional
        Per doc, the tag distribution of every token (columns in ``tag_names`` order),
        as a model's ``predict_proba`` returns. Each span's probability is the mean over
        its tokens of ``P(B-X) + P(I-X)``, the definition skweak uses.
    tag_names : sequence of str, optional
        Needed for tag ids and for ``probabilities``; e.g. ``TokenMatrix.tag_names``.
    set_ents : bool, default False
        Also set ``doc.ents`` to the spans (other tokens become ``O``).

    Returns
    -------
    the same docs, changed in place

    Notes
    -----
    The span group's ``attrs`` hold ``"probabilities"`` (a list of floats aligned with the
    spans), and, in skweak's format, ``"probs"`` (``{token: {tag: p}}`` for non-``O`` tags
    with ``p >= 0.1``) and ``"aggregated": True``, so that
    ``skweak.utils.get_spans_with_probs`` reads the same numbers and skweak's aggregators
    do not count the predictions as a labeling source.
    """
    from spacy.tokens import Span

    if len(docs) != len(tags):
        raise ParameterError(
            Errors.E515.format(n_docs=len(docs), n_values=len(tags), what="tag sequences")
        )
    if probabilities is not None and len(probabilities) != len(docs):
        raise ParameterError(
            Errors.E515.format(
                n_docs=len(docs), n_values=len(probabilities), what="probability arrays"
            )
        )
    names = None if tag_names is None else tuple(tag_names)
    if probabilities is not None and names is None:
        raise ParameterError(Errors.E519)
    for d, doc in enumerate(docs):
        seq = tags[d]
        if len(seq) != len(doc):
            raise ParameterError(
                Errors.E511.format(doc=d, n_tokens=len(doc), n_tags=len(seq), what="tags")
            )
        strings = _as_tag_strings(seq, names, d)
        try:
            triples = bio_to_spans(strings)
        except ParameterError:
            bad = next(i for i, t in enumerate(strings) if not _is_tag(t))
            raise ParameterError(
                Errors.E510.format(tag=strings[bad], token=bad, doc=d, where="", types="(any)")
            ) from None
        spans: list[Span] = [Span(doc, s, e, label) for s, e, label in triples]
        doc.spans[name] = spans
        group = doc.spans[name]
        group.attrs["aggregated"] = True
        if probabilities is not None and names is not None:
            probs = np.asarray(probabilities[d], dtype=np.float64)
            if probs.shape != (len(doc), len(names)):
                raise ParameterError(
                    Errors.E516.format(
                        doc=d,
                        shape=probs.shape,
                        n_tokens=len(doc),
                        n_tags=len(names),
                        tag_names=list(names),
                    )
                )
            group.attrs["probabilities"] = _span_probabilities(triples, probs, names)
            group.attrs["probs"] = _skweak_probs(probs, names)
        else:
            group.attrs["probabilities"] = [1.0] * len(spans)
        if set_ents:
            doc.set_ents(spans, default="outside")
    return docs


def _is_tag(tag: Any) -> bool:
    try:
        split_tag(tag)
    except (ValueError, TypeError):
        return False
    return True


def _as_tag_strings(
    seq: Sequence[str] | np.ndarray, names: tuple[str, ...] | None, doc: int
) -> list[str]:
    arr = np.asarray(seq)
    if arr.dtype.kind in "iu":
        if names is None:
            raise ParameterError(Errors.E519)
        if arr.size and (arr.min() < 0 or arr.max() >= len(names)):
            raise ParameterError(
                Errors.E514.format(
                    doc=doc,
                    value=int(arr[(arr < 0) | (arr >= len(names))][0]),
                    max_id=len(names) - 1,
                    tag_names=list(names),
                )
            )
        return [names[int(t)] for t in arr]
    return [str(t) for t in seq]


def _span_probabilities(
    spans: Sequence[SpanTuple], probs: np.ndarray, names: tuple[str, ...]
) -> list[float]:
    columns: dict[str, list[int]] = {}
    for k, tag in enumerate(names):
        if tag != "O":
            columns.setdefault(tag[2:], []).append(k)
    out = []
    for start, end, label in spans:
        cols = columns.get(label, [])
        p = probs[start:end, cols].sum(axis=1).mean() if cols else 0.0
        out.append(float(p))
    return out


def _skweak_probs(probs: np.ndarray, names: tuple[str, ...]) -> dict[int, dict[str, float]]:
    out: dict[int, dict[str, float]] = {}
    keep = [k for k, t in enumerate(names) if t != "O"]
    if not keep:
        return out
    rows, cols = np.nonzero(probs[:, keep] >= 0.1)
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        out.setdefault(r, {})[names[keep[c]]] = float(probs[r, keep[c]])
    return out
