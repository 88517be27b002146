"""``apply_spans``: run span sources over spaCy docs and collect their votes per token.

Use it as the span-labeling counterpart of :func:`weaklabel.apply`: give it weaklabel span
sources (:mod:`weaklabel.sources.spans`, :mod:`weaklabel.sources.gazetteer`), skweak
annotators, or any callable ``Doc -> Doc`` with a ``.name`` that writes
``doc.spans[name]``, all in one list, and a list of docs. Each source writes its spans to
``doc.spans[source.name]`` (the docs are changed in place) and the result is a
:class:`~weaklabel.tokens.TokenMatrix` of BIO votes, one array per doc.

It behaves like :func:`weaklabel.apply`:

* **cache** — each source's spans are cached under its fingerprint and a fingerprint of
  the docs (their tokens, whitespace, sentence starts, entities, tags, lemmas and
  parse), so re-applying after editing one source reruns only that source and writes the
  cached spans of the others back onto the docs. Foreign annotators are fingerprinted
  from their attributes (a skweak ``FunctionAnnotator`` by its function's code); objects
  whose attributes have no stable form are cached for the session only.
* **fault tolerance** — with ``fault_tolerant=True`` a source that raises on a doc leaves
  that doc without spans from it; the count is in ``TokenMatrix.fault_counts`` and in a
  warning. A source that returns something that is not a span always raises.
* **progress** — a progress bar over docs x sources (tqdm; ``progress=False`` hides it).

Sources run one after the other over all docs, in the order given, so a skweak annotator
with ``to_exclude=[...]`` sees the spans of the sources listed before it.
"""

from __future__ import annotations

import hashlib
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel._deprecated import REMOVED_IN
from weaklabel._fingerprint import _stable_repr, digest, function_fingerprint
from weaklabel.appliers.cache import (
    CacheLike,
    SourceCache,
    check_packed_spans,
    check_span_labels,
    resolve_cache,
)
from weaklabel.errors import Errors, ParameterError, SourceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.matrix import LabelMatrix
from weaklabel.sources.spans import SpanSource, normalize_spans, require_spacy, set_span_groups
from weaklabel.tokens import SpanTuple, TokenMatrix

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "apply_doc_sources",
    "apply_spans",
    "docs_fingerprint",
    "is_doc_sequence",
    "run_span_sources",
]

_CHUNK = 2048
"""Docs per call of a batched source (and per progress-bar update)."""

_DOC_ATTRS = (
    "ORTH",
    "SPACY",
    "SENT_START",
    "ENT_IOB",
    "ENT_TYPE",
    "TAG",
    "POS",
    "LEMMA",
    "DEP",
    "HEAD",
)


def is_doc_sequence(data: Any) -> bool:
    """True when ``data`` is a spaCy ``Doc`` or a non-empty list/tuple of them.

    This is the condition under which :func:`weaklabel.apply` hands its input to
    :func:`apply_spans`. It never imports spaCy: if spaCy was not imported yet, the data
    cannot hold docs.
    """
    if "spacy.tokens" not in sys.modules:
        return False
    from spacy.tokens import Doc

    if isinstance(data, Doc):
        return True
    return isinstance(data, list | tuple) and len(data) > 0 and isinstance(data[0], Doc)


def docs_fingerprint(docs: Sequence[Doc]) -> str:
    """Content hash of docs: tokens, whitespace and token annotations (not ``doc.spans``).

    Parameters
    ----------
    docs : sequence of spacy.tokens.Doc

    Returns
    -------
    str
        32 hex digits.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(str(len(docs)).encode())
    for doc in docs:
        arr = doc.to_array(list(_DOC_ATTRS))
        h.update(len(doc).to_bytes(8, "little"))
        h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


# ------------------------------------------------------------------------ sources
def _name_of(source: Any) -> str:
    name = getattr(source, "name", None)
    if isinstance(name, str) and name:
        return name
    fn_name = getattr(source, "__name__", None)
    if callable(source) and isinstance(fn_name, str) and fn_name != "<lambda>":
        return fn_name
    raise SourceError(Errors.E502.format(what=repr(source)))


def _check_sources(sources: Any) -> list[Any]:
    items = [sources] if isinstance(sources, SpanSource) or callable(sources) else list(sources)
    seen: set[str] = set()
    for item in items:
        from weaklabel.sources.base import Source

        if isinstance(item, Source) or not (isinstance(item, SpanSource) or callable(item)):
            raise SourceError(Errors.E502.format(what=repr(item)))
        name = _name_of(item)
        if name in seen:
            raise SourceError(Errors.E033.format(name=name))
        seen.add(name)
    return items


def _fingerprint(source: Any) -> str | None:
    """The cache key part of a source, or None when it cannot be fingerprinted at all."""
    if isinstance(source, SpanSource):
        return source.fingerprint()
    fp = getattr(source, "fingerprint", None)
    if callable(fp):
        try:
            return digest(["foreign", str(fp())])
        except TypeError:
            pass
    if hasattr(source, "__code__"):
        return digest(["doc-fn", function_fingerprint(source)])
    try:
        attrs = vars(source)
    except TypeError:
        return None
    return digest(["foreign", type(source).__qualname__, _stable_repr(attrs)])


def _check_docs(docs: Any) -> list[Doc]:
    require_spacy()
    from spacy.tokens import Doc

    if isinstance(docs, Doc):
        return [docs]
    items = list(docs)
    for i, doc in enumerate(items):
        if not isinstance(doc, Doc):
            raise SourceError(Errors.E506.format(index=i, kind=type(doc).__name__))
    return items


# -------------------------------------------------------------------------- running
def _preview(doc: Doc, limit: int = 100) -> str:
    text = repr(doc.text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _fail(name: str, doc: Doc, index: int, exc: BaseException) -> SourceError:
    return SourceError(
        Errors.E501.format(
            source=name, exc_type=type(exc).__name__, doc=index, exc=exc, preview=_preview(doc)
        )
    )


def _foreign_one(source: Any, name: str, doc: Doc, index: int) -> list[SpanTuple]:
    """Run a Doc -> Doc callable on one doc and read back ``doc.spans[name]``."""
    from spacy.tokens import Doc as _Doc

    out = source(doc)
    return _read_back(out, name, doc, index, _Doc)


def _read_back(out: Any, name: str, doc: Doc, index: int, doc_type: type) -> list[SpanTuple]:
    if out is not None and not isinstance(out, doc_type):
        raise SourceError(
            Errors.E504.format(source=name, doc=index)
            + f" It returned a {type(out).__name__}, not the Doc."
        )
    target: Any = doc if out is None else out
    if name not in target.spans:
        raise SourceError(Errors.E504.format(source=name, doc=index))
    if target is not doc and len(target) != len(doc):
        raise SourceError(
            Errors.E037.format(
                source=name,
                problem=f"returned a new Doc of {len(target)} tokens for doc {index} of "
                f"{len(doc)} tokens; a span source must keep the tokens.",
            )
        )
    return normalize_spans(
        [(s.start, s.end, s.label_) for s in target.spans[name]], doc, name, index
    )


def _run_chunk(source: Any, name: str, chunk: Sequence[Doc], start: int) -> list[list[SpanTuple]]:
    """One batched call over ``chunk`` (raises whatever the source raises)."""
    if isinstance(source, SpanSource):
        return source.spans_batch(chunk, start=start)
    from spacy.tokens import Doc as _Doc

    pipe = getattr(source, "pipe", None)
    if callable(pipe):
        outs = list(pipe(iter(chunk)))
        if len(outs) == len(chunk):
            return [
                _read_back(out, name, doc, start + i, _Doc)
                for i, (out, doc) in enumerate(zip(outs, chunk, strict=True))
            ]
    return [_foreign_one(source, name, doc, start + i) for i, doc in enumerate(chunk)]


def _run_one(source: Any, name: str, doc: Doc, index: int) -> list[SpanTuple]:
    if isinstance(source, SpanSource):
        return source.spans_batch([doc], start=index)[0]
    return _foreign_one(source, name, doc, index)


def _run_source(
    source: Any,
    name: str,
    docs: Sequence[Doc],
    *,
    fault_tolerant: bool,
    bar: Any,
) -> tuple[list[list[SpanTuple]], int]:
    """All spans of one source, one list per doc, and the number of docs that raised."""
    spans: list[list[SpanTuple]] = []
    faults = 0
    for start in range(0, len(docs), _CHUNK):
        chunk = docs[start : start + _CHUNK]
        try:
            spans.extend(_run_chunk(source, name, chunk, start))
        except SourceError:
            raise
        except Exception:
            # Run the chunk doc by doc, to name the doc that raised (or to skip it).
            for i, doc in enumerate(chunk):
                try:
                    spans.append(_run_one(source, name, doc, start + i))
                except SourceError:
                    raise
                except Exception as exc:
                    if not fault_tolerant:
                        raise _fail(name, doc, start + i, exc) from exc
                    faults += 1
                    spans.append([])
        if bar is not None:
            bar.update(len(chunk))
    return spans, faults


def _write(docs: Sequence[Doc], name: str, spans: Sequence[Sequence[SpanTuple]]) -> None:
    set_span_groups(docs, name, spans)


def _pack(spans: Sequence[Sequence[SpanTuple]]) -> tuple[np.ndarray, np.ndarray]:
    """Spans as an int64 array (n_spans, 4) [doc, start, end, label id] and the labels."""
    labels: dict[str, int] = {}
    rows = [
        (d, s, e, labels.setdefault(label, len(labels)))
        for d, group in enumerate(spans)
        for s, e, label in group
    ]
    packed = np.array(rows, dtype=np.int64).reshape(len(rows), 4)
    return packed, np.array(list(labels), dtype=str)


def _unpack(packed: np.ndarray, labels: np.ndarray, n_docs: int) -> list[list[SpanTuple]]:
    out: list[list[SpanTuple]] = [[] for _ in range(n_docs)]
    names = [str(x) for x in labels.tolist()]
    for d, s, e, k in packed.tolist():
        out[d].append((s, e, names[k]))
    return out


def _read_cached(
    store: SourceCache, key: str, name: str, lengths: np.ndarray, damaged: list[str]
) -> list[list[SpanTuple]] | None:
    """The cached spans of one source, or None (a damaged entry is noted in ``damaged``)."""
    labels, problem = store.lookup(key + "-labels", check=check_span_labels)
    if labels is not None:
        packed, problem = store.lookup(key, check=check_packed_spans(lengths, len(labels)))
    else:
        packed = None
    if problem is not None:
        damaged.append(f"source {name!r}, {problem}")
    if packed is None or labels is None:
        return None
    return _unpack(packed, labels, len(lengths))


def run_span_sources(
    sources: Any,
    docs: Any,
    *,
    cache: CacheLike = None,
    fault_tolerant: bool = False,
    progress: bool = True,
) -> tuple[list[Doc], list[str], dict[str, int]]:
    """Run span sources over docs, writing ``doc.spans[name]``; the engine of the appliers.

    Parameters
    ----------
    sources, docs, cache, fault_tolerant, progress
        As in :func:`apply_spans`.

    Returns
    -------
    docs : list of spacy.tokens.Doc
        The docs, changed in place.
    names : list of str
        The source names, in order.
    faults : dict of str to int
        Docs that raised, per source (only sources with faults).
    """
    items = _check_sources(sources)
    doc_list = _check_docs(docs)
    names = [_name_of(s) for s in items]
    store = resolve_cache(cache)
    data_key = docs_fingerprint(doc_list) if store is not None else ""
    faults: dict[str, int] = {}
    damaged: list[str] = []
    lengths = np.array([len(doc) for doc in doc_list], dtype=np.int64)
    bar = _progress_bar(len(doc_list) * len(items), len(items), progress)
    try:
        for source, name in zip(items, names, strict=True):
            key = None
            if store is not None:
                fp = _fingerprint(source)
                key = None if fp is None else SourceCache.key(digest([fp, "spans"]), data_key)
            cached = None
            if key is not None and store is not None:
                cached = _read_cached(store, key, name, lengths, damaged)
            if cached is not None:
                _write(doc_list, name, cached)
                if bar is not None:
                    bar.update(len(doc_list))
                continue
            spans, n_faults = _run_source(
                source, name, doc_list, fault_tolerant=fault_tolerant, bar=bar
            )
            _write(doc_list, name, spans)
            # a source that reports docs it could not label (failed LLM requests): not cached
            n_faults = n_faults or int(getattr(source, "last_faults", 0) or 0)
            if n_faults:
                faults[name] = n_faults
            elif key is not None and store is not None:
                packed, labels = _pack(spans)
                store.put(key, packed)
                store.put(key + "-labels", labels)
    finally:
        if bar is not None:
            bar.close()
    if damaged:
        warnings.warn(
            Errors.W003.format(count=len(damaged), details="; ".join(damaged)), stacklevel=3
        )
    if faults:
        summary = ", ".join(f"{n}: {c}" for n, c in faults.items())
        warnings.warn(
            Errors.W001.format(outcome="empty", summary=summary, matrix="TokenMatrix"),
            stacklevel=3,
        )
    return doc_list, names, faults


def _renamed_keyword(label_names: Any, entity_types: Sequence[str]) -> Sequence[str]:
    """``entity_types=``, the old name of ``label_names=``: warn, and use it."""
    if label_names is not None:
        raise TypeError(
            "apply_spans() got both label_names= and entity_types=; pass label_names= only "
            "(entity_types= is its deprecated name)."
        )
    warnings.warn(
        "apply_spans(entity_types=...) is deprecated: pass label_names=... (the same "
        f"names, as for apply()); entity_types= is removed in weaklabel {REMOVED_IN}.",
        DeprecationWarning,
        stacklevel=3,
    )
    return entity_types


def _span_labels(label_names: Any) -> list[str] | None:
    """Span labels in tag-id order from names, an ``{id: name}`` mapping or a LabelSpace."""
    if label_names is None:
        return None
    if isinstance(label_names, LabelSpace):
        return list(label_names.names)
    if isinstance(label_names, Mapping):  # entity types: one is enough, unlike class names
        return [str(label_names[k]) for k in sorted(label_names, key=int)]
    return [str(name) for name in label_names]


def apply_spans(
    sources: SpanSource | Callable[..., Any] | Iterable[Any],
    docs: Doc | Sequence[Doc],
    *,
    label_names: Sequence[str] | Mapping[int | str, str] | LabelSpace | None = None,
    cache: CacheLike = None,
    fault_tolerant: bool = False,
    progress: bool = True,
    entity_types: Sequence[str] | None = None,
) -> TokenMatrix:
    """Apply span sources to docs and return their votes as BIO tags per token.

    Parameters
    ----------
    sources : span source, skweak annotator, callable, or iterable of them
        weaklabel span sources, skweak annotators (any ``skweak.base.AbstractAnnotator``)
        or callables ``f(doc) -> doc`` with a ``.name`` (or a function ``__name__``) that
        write ``doc.spans[name]``. Names must be unique.
    docs : spacy.tokens.Doc or sequence of them
        Changed in place: each source's spans land in ``doc.spans[name]``.
    label_names : sequence of str, mapping or LabelSpace, optional
        The span labels (entity types) of the matrix, in the order that fixes tag ids --
        the same argument as :func:`weaklabel.apply`'s, but one name is enough. Defaults
        to the sorted labels of all spans found; spans of other labels are left out of
        the matrix (they stay in ``doc.spans``). Stored as ``TokenMatrix.entity_types``.
    cache : SourceCache, path, bool or None, default None
        ``True`` uses the process-wide in-memory cache; a path caches on disk;
        ``None``/``False`` disables caching.
    fault_tolerant : bool, default False
        Count a source raising on a doc as "no spans on that doc" (reported per source in
        ``TokenMatrix.fault_counts`` and in a warning) instead of raising.
    progress : bool, default True
        Show a progress bar.
    entity_types : sequence of str, optional
        Deprecated name of ``label_names`` (removed in weaklabel 0.3).

    Returns
    -------
    TokenMatrix
        ``weak[i]`` of shape (len(docs[i]), n_sources), one column per source in order.
        Overlapping spans of one source are resolved longest first.

    Raises
    ------
    SourceError
        When a source raises (naming the source and the doc) and ``fault_tolerant`` is
        False, returns something that is not a span, or forgets to write its span group.

    Examples
    --------
    >>> import spacy
    >>> from weaklabel.sources.spans import regex_spans
    >>> nlp = spacy.blank("en")
    >>> docs = [nlp("Call 555-0100 now"), nlp("no number")]
    >>> tm = apply_spans([regex_spans(r"\\d{3}-\\d{4}", "PHONE", name="phone")], docs,
    ...                  progress=False)
    >>> tm.tag_names, tm.weak[0][:, 0].tolist()
    (('O', 'B-PHONE', 'I-PHONE'), [0, 1, 2, 2, 0])
    """
    if entity_types is not None:
        label_names = _renamed_keyword(label_names, entity_types)
    doc_list, names, faults = run_span_sources(
        sources, docs, cache=cache, fault_tolerant=fault_tolerant, progress=progress
    )
    matrix = TokenMatrix.from_docs(doc_list, names, _span_labels(label_names))
    if faults:
        matrix = TokenMatrix(matrix.weak, matrix.source_names, matrix.entity_types, faults)
    return matrix


def apply_doc_sources(
    sources: SpanSource | Callable[..., Any] | Iterable[Any],
    docs: Doc | Sequence[Doc],
    *,
    label_names: Sequence[str] | None = None,
    cache: CacheLike = None,
    fault_tolerant: bool = False,
    progress: bool = True,
) -> LabelMatrix:
    """Apply document-level sources to docs and return a document label matrix.

    For classifying whole documents with span tooling:
    :func:`~weaklabel.sources.spans.doc_function` sources and skweak ``TextAnnotator``
    objects store their vote as one span over the whole doc; this reads those votes.

    Parameters
    ----------
    sources, docs, cache, fault_tolerant, progress
        As in :func:`apply_spans`.
    label_names : sequence of str, optional
        Class names in id order. Defaults to the sorted labels voted.

    Returns
    -------
    LabelMatrix of shape (n_docs, n_sources)
        Class ids, ``-1`` where a source abstained (no span covering the whole doc).
    """
    doc_list, names, faults = run_span_sources(
        sources, docs, cache=cache, fault_tolerant=fault_tolerant, progress=progress
    )
    votes: list[list[str | None]] = []
    for doc in doc_list:
        row: list[str | None] = []
        for name in names:
            whole = [s.label_ for s in doc.spans[name] if s.start == 0 and s.end == len(doc)]
            row.append(whole[0] if whole else None)
        votes.append(row)
    seen = sorted({v for row in votes for v in row if v is not None})
    if label_names is None and len(seen) < 2:
        raise ParameterError(
            Errors.E037.format(
                source=", ".join(names),
                problem=f"the sources voted {len(seen)} class(es) {seen}; pass "
                "label_names=[...] with every class (at least two).",
            )
        )
    space = LabelSpace(tuple(label_names) if label_names is not None else tuple(seen))
    values = np.full((len(doc_list), len(names)), ABSTAIN, dtype=np.int64)
    for i, row in enumerate(votes):
        for j, v in enumerate(row):
            if v is not None:
                if v not in space.names:
                    raise ParameterError(
                        Errors.E037.format(
                            source=names[j],
                            problem=f"voted {v!r} on doc {i}, which is not among label_names "
                            f"{list(space.names)}.",
                        )
                    )
                values[i, j] = space.to_id(v)
    return LabelMatrix(values, tuple(names), space.names, fault_counts=faults)


def _progress_bar(total: int, n_sources: int, enabled: bool) -> Any:
    if not enabled or total == 0:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=f"span sources ({n_sources})", unit="doc", leave=False)
