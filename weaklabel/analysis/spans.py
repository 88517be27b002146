"""Statistics of span sources: coverage, overlaps, conflicts and (given gold) P/R/F1.

Use it after :func:`~weaklabel.appliers.spans.apply_spans` and before fitting a sequence
label model, to see which span sources fire, where they agree or fight over tokens, and,
with a few gold-annotated docs, how precise each one is. It is the span-level counterpart
of :func:`~weaklabel.analysis.summary.summarize_sources`, with the same column names where
they mean the same thing.

Token-level columns are computed on the BIO view of each source (overlapping spans of one
source resolved longest first, as in :class:`~weaklabel.tokens.TokenMatrix`), vectorised
over all tokens. Span-level columns (``n_spans`` and the gold comparison) use the spans as
the source wrote them when docs are given, and the spans of the BIO view for a
``TokenMatrix``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from weaklabel.analysis._errors import Errors
from weaklabel.datasets.conll import GOLD_KEY, gold_spans
from weaklabel.errors import ParameterError
from weaklabel.tags import SpanTuple, bio_to_spans
from weaklabel.tokens import TokenMatrix, types_keyword

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["summarize_span_sources"]

GoldSpansLike: TypeAlias = "str | Sequence[Sequence[SpanTuple]] | Sequence[Sequence[str]]"
"""A span-group key (or ``"ents"``), spans per doc, or BIO tags per doc."""


def _is_source(key: str, group: Any, exclude: set[str]) -> bool:
    """Whether a span group holds a source's votes (not gold, not a label model's output)."""
    attrs = group.attrs
    return key not in exclude and not any(
        attrs.get(flag, False) for flag in ("aggregated", "avoid_in_aggregation", "gold")
    )


def _doc_source_names(docs: Sequence[Doc], exclude: set[str]) -> list[str]:
    names: dict[str, None] = {}
    for doc in docs:
        for key, group in doc.spans.items():
            if _is_source(key, group, exclude):
                names.setdefault(key, None)
    return list(names)


def _resolve_gold(
    gold: Any, docs: Sequence[Doc] | None, lengths: np.ndarray
) -> list[list[SpanTuple]]:
    n_docs = len(lengths)
    if isinstance(gold, str):
        if docs is None:
            raise ParameterError(
                Errors.E550.format(problem=f"{gold!r} names a span group, but no docs were given")
            )
        out = []
        for d, doc in enumerate(docs):
            if gold in doc.spans:
                group = doc.spans[gold]
            elif gold == "ents":
                group = doc.ents
            elif gold == "gold" and GOLD_KEY in doc.user_data:
                out.append(gold_spans([doc])[0])
                continue
            else:
                raise ParameterError(
                    Errors.E550.format(
                        problem=f"doc {d} has no span group {gold!r} (it has {list(doc.spans)})"
                    )
                )
            out.append([(s.start, s.end, s.label_) for s in group])
        return out
    try:
        items = list(gold)
    except TypeError:
        raise ParameterError(Errors.E550.format(problem=f"got {type(gold).__name__}")) from None
    if len(items) != n_docs:
        raise ParameterError(
            Errors.E550.format(problem=f"got {len(items)} entries for {n_docs} docs")
        )
    out = []
    for d, item in enumerate(items):
        seq = list(item)
        if seq and all(isinstance(t, str) for t in seq):
            if len(seq) != int(lengths[d]):
                raise ParameterError(
                    Errors.E550.format(
                        problem=f"doc {d} has {int(lengths[d])} tokens but {len(seq)} gold tags"
                    )
                )
            out.append(bio_to_spans(seq))
        else:
            spans = []
            for s in seq:
                if hasattr(s, "label_"):
                    spans.append((int(s.start), int(s.end), str(s.label_)))
                else:
                    try:
                        a, b, label = s
                    except (TypeError, ValueError):
                        raise ParameterError(
                            Errors.E550.format(problem=f"doc {d}: {s!r} is not a span")
                        ) from None
                    spans.append((int(a), int(b), str(label)))
            out.append(spans)
    return out


def summarize_span_sources(
    data: TokenMatrix | Sequence[Doc],
    gold: GoldSpansLike | None = None,
    *,
    sources: Sequence[str] | None = None,
    entity_types: Sequence[str] | None = None,
    label_names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row of statistics per span source.

    Parameters
    ----------
    data : TokenMatrix or sequence of spacy.tokens.Doc
        The votes, or docs carrying them in ``doc.spans``.
    gold : str, or sequence (per doc) of spans or of BIO tags, optional
        Gold entities: the name of a span group on the docs (``"ents"`` for
        ``doc.ents``; ``"gold"`` for the gold that
        :func:`~weaklabel.datasets.conll.conll_to_docs` stored, when there is no
        ``"gold"`` group), one list of ``(start, end, label)`` (or ``Span``) per doc,
        or one list of BIO tags per doc.
    sources : sequence of str, optional
        For docs: the span groups to summarise. Defaults to every group on the docs
        except the ``gold`` group and groups that are not sources: marked
        ``attrs["gold"]`` or ``attrs["avoid_in_aggregation"]`` (gold, as
        ``conll_to_docs(span_key=...)`` marks it; skweak's flag for groups its
        aggregators skip) or ``attrs["aggregated"]`` (label-model output).
    label_names, entity_types : sequence of str, optional
        Count only spans of these types (also in the gold). Defaults to all. The two
        names mean the same (``label_names`` is the word ``apply`` uses); pass one.

    Returns
    -------
    DataFrame of shape (n_sources, 7) or (n_sources, 13)
        Indexed by source name (index name ``"source"``), with columns

        - ``j`` (int): the source's column in the token matrix;
        - ``labels`` (list): the entity types the source emits;
        - ``n_spans`` (int): spans written;
        - ``doc_coverage``: fraction of docs with at least one span;
        - ``coverage``: fraction of tokens inside one of its spans;
        - ``overlaps``: fraction of tokens it labels that another source labels too
          (over all tokens, as in Snorkel);
        - ``conflicts``: fraction of tokens it labels that another source labels with a
          different entity type;

        and, when ``gold`` is given (exact match of boundaries and type),

        - ``tp``, ``fp``, ``fn`` (int);
        - ``precision``, ``recall``, ``f1`` (NaN when undefined: no spans / no gold).

    Examples
    --------
    >>> tm = TokenMatrix.from_tags(
    ...     [[["B-PER", "B-PER"], ["I-PER", "O"], ["O", "B-LOC"]]], ["a", "b"], ["PER", "LOC"]
    ... )
    >>> table = summarize_span_sources(tm, gold=[[(0, 2, "PER")]])
    >>> table["n_spans"].tolist(), table["conflicts"].tolist()
    ([1, 2], [0.0, 0.0])
    >>> table.loc["b", ["coverage", "overlaps", "precision", "recall"]].round(3).tolist()
    [0.667, 0.333, 0.0, 0.0]
    """
    docs: list[Doc] | None
    tm: TokenMatrix
    raw_spans: list[list[list[SpanTuple]]]
    entity_types = types_keyword(entity_types, label_names, "summarize_span_sources")
    if isinstance(data, TokenMatrix):
        tm = data if entity_types is None else _restrict(data, entity_types)
        if sources is not None:
            tm = tm.select_sources(sources)
        docs = None
        raw_spans = [tm.spans(name) for name in tm.source_names]
    else:
        docs = list(data)
        exclude = {gold} if isinstance(gold, str) else set()
        names = list(sources) if sources is not None else _doc_source_names(docs, exclude)
        if entity_types is None:
            tm = TokenMatrix.from_docs(docs, names, missing="empty")
        else:  # other types are left out on purpose here: no W005 warning about them
            wanted = set(entity_types)
            per_doc = [
                [
                    [
                        (s.start, s.end, s.label_)
                        for s in doc.spans.get(name, ())
                        if s.label_ in wanted
                    ]
                    for name in names
                ]
                for doc in docs
            ]
            tm = TokenMatrix.from_spans(per_doc, [len(doc) for doc in docs], names, entity_types)
        keep = set(tm.entity_types)
        raw_spans = [
            [
                sorted(
                    {
                        (s.start, s.end, s.label_)
                        for s in doc.spans.get(name, [])
                        if s.label_ in keep
                    }
                )
                for doc in docs
            ]
            for name in names
        ]
    values, _ = tm.to_flat()
    n_tokens = values.shape[0]
    voted = values > 0
    types = np.where(voted, (values.astype(np.int64) - 1) // 2, -1)
    n_voting = voted.sum(axis=1)
    big = np.iinfo(np.int64).max
    lo = np.where(voted, types, big).min(axis=1, initial=big)
    hi = types.max(axis=1, initial=-1)

    def frac(mask: np.ndarray) -> float:
        return float(mask.sum() / n_tokens) if n_tokens else float("nan")

    rows = []
    for j in range(tm.n_sources):
        v = voted[:, j]
        t = types[:, j]
        spans = raw_spans[j]
        rows.append(
            {
                "j": j,
                "labels": sorted({s[2] for doc in spans for s in doc}),
                "n_spans": int(sum(len(doc) for doc in spans)),
                "doc_coverage": (
                    float(np.mean([len(doc) > 0 for doc in spans])) if spans else float("nan")
                ),
                "coverage": frac(v),
                "overlaps": frac(v & (n_voting > 1)),
                "conflicts": frac(v & ((lo != t) | (hi != t))),
            }
        )
    table = pd.DataFrame(rows, index=pd.Index(list(tm.source_names), name="source"))
    if gold is not None:
        gold_spans = _resolve_gold(gold, docs, tm.lengths)
        keep_types = set(tm.entity_types) if entity_types is not None else None
        gold_set = {
            (d, *s)
            for d, doc in enumerate(gold_spans)
            for s in doc
            if keep_types is None or s[2] in keep_types
        }
        tps, fps, fns = [], [], []
        for spans in raw_spans:
            predicted = {(d, *s) for d, doc in enumerate(spans) for s in doc}
            tp = len(predicted & gold_set)
            tps.append(tp)
            fps.append(len(predicted) - tp)
            fns.append(len(gold_set) - tp)
        tp_a, fp_a, fn_a = (np.array(x, dtype=np.int64) for x in (tps, fps, fns))
        with np.errstate(divide="ignore", invalid="ignore"):
            precision = tp_a / (tp_a + fp_a)
            recall = tp_a / (tp_a + fn_a)
            f1 = np.where(
                precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0
            )
        f1 = np.where(np.isnan(precision) | np.isnan(recall), np.nan, f1)
        table["tp"], table["fp"], table["fn"] = tp_a, fp_a, fn_a
        table["precision"], table["recall"], table["f1"] = precision, recall, f1
    return table


def _restrict(tm: TokenMatrix, entity_types: Sequence[str]) -> TokenMatrix:
    """The matrix with only ``entity_types`` (other types become ``O``), re-indexed."""
    wanted = set(entity_types)
    spans = [tm.spans(name) for name in tm.source_names]
    per_doc = [
        [[s for s in spans[j][d] if s[2] in wanted] for j in range(tm.n_sources)]
        for d in range(tm.n_docs)
    ]  # other types are left out on purpose: no W005 warning about them
    return TokenMatrix.from_spans(per_doc, tm.lengths.tolist(), tm.source_names, entity_types)
