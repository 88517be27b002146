"""Model sources: a trained classifier's confident predictions as votes.

Use these when a model already knows something about your task -- a scikit-learn
classifier trained on a few hundred gold rows, a spaCy ``textcat`` from another project --
and you want its confident predictions to vote beside your rules, with the label model
learning how far to trust it.

- :class:`ClassifierSource` wraps any scikit-learn-style classifier with ``predict_proba``
  that takes raw texts (a ``Pipeline`` of a vectoriser and a classifier, typically). Give
  it fitted, or give ``gold=`` rows and the source fits a copy of it on them.
- :class:`TextcatSource` wraps a spaCy pipeline with a ``textcat`` (or
  ``textcat_multilabel``) component and reads ``doc.cats``.

Both are column sources (:func:`weaklabel.apply` labels the whole column in one
``predict_proba`` call or one ``nlp.pipe`` pass) and vote the most probable class when
its probability is at least ``threshold``, abstaining below it. The model's classes are
mapped to the label space by name (or id), or through ``label_map`` (``None`` there means
"abstain when this class wins"). Empty texts get no vote.

Examples
--------
>>> from sklearn.feature_extraction.text import TfidfVectorizer
>>> from sklearn.linear_model import LogisticRegression
>>> from sklearn.pipeline import make_pipeline
>>> from weaklabel.sources.model import ClassifierSource
>>> gold = (["free money, click", "love this song", "subscribe to me", "great tune"],
...         ["SPAM", "HAM", "SPAM", "HAM"])
>>> clf = ClassifierSource("tfidf_lr", make_pipeline(TfidfVectorizer(), LogisticRegression()),
...                        gold=gold, threshold=0.5)
>>> clf("click for free money")
'SPAM'
"""

from __future__ import annotations

import hashlib
import pickle
from abc import abstractmethod
from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from weaklabel._fingerprint import _stable_repr, digest, value_fingerprint
from weaklabel.errors import ParameterError, SourceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.sources._errors import Errors
from weaklabel.sources.base import Corpus, Row, Source, resolve_label

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["ClassifierSource", "TextcatSource"]

_TEXTCAT_FACTORIES = ("textcat", "textcat_multilabel")


class _ProbabilitySource(Source):
    """What both model sources share: threshold, class mapping, missing texts."""

    vectorized = True
    threshold: float
    label_map: dict[Hashable, int | str | None]
    text_column: str | None

    def _setup(
        self,
        name: str,
        threshold: float,
        label_map: Mapping[Hashable, int | str | None] | None,
        text_column: str | None,
    ) -> None:
        ok = isinstance(threshold, int | float) and not isinstance(threshold, bool)
        if not ok or not 0.0 <= threshold <= 1.0:
            raise ParameterError(
                Errors.E060.format(
                    name=name, param="threshold", expected="a number in [0, 1]", value=threshold
                )
            )
        self.name = name
        self.threshold = float(threshold)
        self.label_map = dict(label_map or {})
        self.text_column = text_column

    @property
    def data_column(self) -> str | None:
        return self.text_column

    @abstractmethod
    def predict_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, list[Hashable]]:
        """The model's class probabilities for each text, and the classes in column order.

        Returns
        -------
        proba : ndarray of shape (n_texts, n_classes)
        classes : list
            The class of each column.
        """

    def _winners(self, texts: Sequence[str]) -> tuple[list[int | None], list[Hashable]]:
        """The confident class column of each text (None: abstain), and the classes."""
        out: list[int | None] = [None] * len(texts)
        todo = [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
        if not todo:
            return out, []
        proba, classes = self.predict_proba([texts[i] for i in todo])
        proba = np.asarray(proba, dtype=np.float64)
        if proba.shape != (len(todo), len(classes)):
            raise SourceError(
                Errors.E037.format(
                    source=self.name,
                    problem=f"the model returned probabilities of shape {proba.shape}; "
                    f"expected ({len(todo)}, {len(classes)}), one column per class.",
                )
            )
        best = proba.argmax(axis=1)
        confident = proba[np.arange(len(todo)), best] >= self.threshold
        for row, (i, k) in enumerate(zip(todo, best.tolist(), strict=True)):
            out[i] = int(k) if confident[row] else None
        return out, classes

    def predict(self, texts: Sequence[str]) -> list[int | str | None]:
        """The label each text gets: the confident class, mapped; None where it abstains.

        Parameters
        ----------
        texts : sequence of str
            Empty, whitespace-only and non-string entries get None without being sent to
            the model.

        Returns
        -------
        list of (int or str or None)
            The mapped class (a label name or id), one per text.
        """
        winners, classes = self._winners(texts)
        return [None if k is None else self._target(classes[k]) for k in winners]

    def _target(self, cls: Hashable) -> int | str | None:
        if cls in self.label_map:
            return self.label_map[cls]
        if isinstance(cls, np.generic):
            cls = cls.item()
        if isinstance(cls, bool) or not isinstance(cls, int | str):
            return str(cls)
        return cls

    def _ids(self, classes: list[Hashable], label_space: LabelSpace | None) -> dict[int, int]:
        """Column of the probability table -> label id (ABSTAIN for classes mapped to None)."""
        ids: dict[int, int] = {}
        for k, cls in enumerate(classes):
            target = self._target(cls)
            try:
                ids[k] = resolve_label(target, self.name, "(any)", label_space)
            except SourceError:
                names = None if label_space is None else list(label_space.names)
                raise SourceError(
                    Errors.E897.format(source=self.name, value=cls, names=names)
                ) from None
        return ids

    def label_corpus(self, corpus: Corpus, label_space: LabelSpace | None) -> np.ndarray:
        """Label every example in one pass of the model.

        Returns
        -------
        ndarray of shape (n_examples,)
            Class ids, ``-1`` where the model is not confident or the text is empty.
        """
        texts = corpus.arrow_text(self.text_column or corpus.text_column).to_pylist()
        winners, classes = self._winners(texts)
        ids = self._ids(classes, label_space)
        return np.array([ABSTAIN if k is None else ids[k] for k in winners], dtype=np.int64)

    def __call__(self, x: Row | Mapping[str, Any] | str) -> int | str | None:
        """Label one example (a Row, a mapping of fields, or a bare text)."""
        text = x if isinstance(x, str) else Row(x)[self.text_column or "text"]
        return self.predict([text])[0]


class ClassifierSource(_ProbabilitySource):
    """A scikit-learn-style classifier as a labeling source.

    Parameters
    ----------
    name : str
        Unique source name.
    model : classifier
        Anything with ``predict_proba(texts)`` and ``classes_`` that reads raw texts,
        such as ``make_pipeline(TfidfVectorizer(), LogisticRegression())``. Fitted, unless
        ``gold`` is given.
    threshold : float, default=0.5
        The source votes the most probable class when its probability is at least this,
        and abstains otherwise.
    label_map : mapping, optional
        Model class -> label name or id, or None to abstain when that class wins.
        Classes not in it are used as they are (a name, or an id).
    gold : pandas.DataFrame or (texts, labels), optional
        Rows to fit a copy of ``model`` on (``sklearn.base.clone``); rows without text,
        or with a missing label or ``-1``, are skipped.
    gold_text_column, gold_label_column : str, default "text", "label"
        The DataFrame's columns.
    text_column : str, optional
        The column to label; defaults to the ``text_column`` given to ``apply``.
    """

    def __init__(
        self,
        name: str,
        model: Any,
        *,
        threshold: float = 0.5,
        label_map: Mapping[Hashable, int | str | None] | None = None,
        gold: Any = None,
        gold_text_column: str = "text",
        gold_label_column: str = "label",
        text_column: str | None = None,
    ) -> None:
        self._setup(name, threshold, label_map, text_column)
        kind = type(model).__name__
        if not callable(getattr(model, "predict_proba", None)):
            raise ParameterError(Errors.E895.format(source=name, kind=kind))
        if gold is not None:
            texts, labels = _gold_rows(name, gold, gold_text_column, gold_label_column)
            model = _fresh(model)
            model.fit(texts, labels)
        if _classes(model) is None:
            raise ParameterError(
                Errors.E896.format(
                    source=name,
                    kind=kind,
                    text_column=gold_text_column,
                    label_column=gold_label_column,
                )
            )
        self.model = model

    def predict_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, list[Hashable]]:
        classes = _classes(self.model) or []
        return np.asarray(self.model.predict_proba(list(texts))), classes

    def fingerprint(self) -> str:
        """Hash of the fitted model's state, the threshold, the mapping and the column."""
        try:
            state = hashlib.sha256(pickle.dumps(self.model, protocol=5)).hexdigest()
        except Exception:  # an unpicklable model: hash what can be read of it
            state = value_fingerprint(self.model)
        return digest(
            [
                "classifier",
                self.name,
                state,
                repr(self.threshold),
                _stable_repr(self.label_map),
                repr(self.text_column),
            ]
        )


class TextcatSource(_ProbabilitySource):
    """A spaCy text classifier (``textcat`` / ``textcat_multilabel``) as a labeling source.

    Parameters
    ----------
    name : str
        Unique source name.
    nlp : spacy.language.Language
        A pipeline with a trained text classifier; ``doc.cats`` gives the scores.
    threshold : float, default=0.5
        The source votes the best-scoring category when its score is at least this.
    label_map : mapping, optional
        Category -> label name or id, or None to abstain when it wins.
    text_column : str, optional
        The column to label; defaults to the ``text_column`` given to ``apply``.
    batch_size : int, default=256
        Texts per ``nlp.pipe`` batch.
    """

    def __init__(
        self,
        name: str,
        nlp: Language,
        *,
        threshold: float = 0.5,
        label_map: Mapping[Hashable, int | str | None] | None = None,
        text_column: str | None = None,
        batch_size: int = 256,
    ) -> None:
        self._setup(name, threshold, label_map, text_column)
        pipes = list(getattr(nlp, "pipe_names", []))
        factories = [nlp.get_pipe_meta(p).factory for p in pipes] if pipes else []
        if not any(f in _TEXTCAT_FACTORIES for f in factories):
            raise ParameterError(Errors.E898.format(source=name, pipes=pipes))
        self.nlp = nlp
        self.batch_size = int(batch_size)

    def predict_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, list[Hashable]]:
        docs = list(self.nlp.pipe(texts, batch_size=self.batch_size))
        names = sorted({c for doc in docs for c in doc.cats})
        proba = np.array([[doc.cats.get(c, 0.0) for c in names] for doc in docs])
        classes: list[Hashable] = list(names)
        return proba.reshape(len(docs), len(classes)), classes

    def fingerprint(self) -> str:
        """Hash of the pipeline's bytes (weights, config), the threshold and the mapping."""
        try:
            content = hashlib.sha256(self.nlp.to_bytes(exclude=["vocab"])).hexdigest()
        except Exception:  # a component that cannot serialise: never reuse a cached column
            content = f"<{type(self.nlp).__qualname__}@{id(self.nlp)}>"
        return digest(
            [
                "textcat",
                self.name,
                content,
                repr(self.threshold),
                _stable_repr(self.label_map),
                repr(self.text_column),
            ]
        )


def _classes(model: Any) -> list[Hashable] | None:
    try:
        classes = model.classes_
    except AttributeError:
        return None
    return (
        None if classes is None else [c.item() if isinstance(c, np.generic) else c for c in classes]
    )


def _fresh(model: Any) -> Any:
    """An unfitted copy of a scikit-learn estimator (the model itself for others)."""
    try:
        from sklearn.base import clone  # type: ignore[import-untyped]
    except ModuleNotFoundError:  # pragma: no cover - a scikit-learn-style model without it
        return model
    try:
        return clone(model)
    except TypeError:  # not a scikit-learn estimator (no get_params): fit it in place
        return model


def _gold_rows(
    source: str, gold: Any, text_column: str, label_column: str
) -> tuple[list[str], list[Any]]:
    import pandas as pd

    if isinstance(gold, pd.DataFrame):
        missing = [c for c in (text_column, label_column) if c not in gold.columns]
        if missing:
            problem = f"have no column {missing[0]!r} (columns: {[str(c) for c in gold.columns]})"
            raise ParameterError(Errors.E899.format(source=source, problem=problem))
        texts, labels = gold[text_column].tolist(), gold[label_column].tolist()
    else:
        try:
            texts, labels = (list(part) for part in gold)
        except (TypeError, ValueError):
            raise ParameterError(
                Errors.E899.format(
                    source=source,
                    problem=f"must be a DataFrame or (texts, labels); got {type(gold).__name__}",
                )
            ) from None
        if len(texts) != len(labels):
            problem = f"hold {len(texts)} texts but {len(labels)} labels"
            raise ParameterError(Errors.E899.format(source=source, problem=problem))
    keep = [
        i
        for i, (t, y) in enumerate(zip(texts, labels, strict=True))
        if isinstance(t, str) and t.strip() and not _missing(y)
    ]
    kept_labels = [labels[i] for i in keep]
    if len(set(map(str, kept_labels))) < 2:
        n_classes = len(set(map(str, kept_labels)))
        problem = (
            f"hold {n_classes} class(es) among {len(keep)} usable rows; a classifier needs "
            "at least 2"
        )
        raise ParameterError(Errors.E899.format(source=source, problem=problem))
    return [texts[i] for i in keep], kept_labels


def _missing(label: Any) -> bool:
    if label is None or (isinstance(label, float) and label != label):
        return True
    return (
        isinstance(label, int | np.integer)
        and not isinstance(label, bool)
        and int(label) == ABSTAIN
    )
