"""Label consistency: drop augmented texts whose label the weak sources no longer support.

Use :class:`LabelConsistencyFilter` after an augmenter that may flip a label ("I loved it"
-> "I hated it"): each new text is labelled again by the weak sources and the fitted label
model, and kept only when the model still predicts the label it was given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from weaklabel.augment._errors import AugmentError, Errors
from weaklabel.augment.base import invalid_argument
from weaklabel.augment.filters.base import Columns, Filter
from weaklabel.augment.filters.duplicates import _as_list

__all__ = ["LabelConsistencyFilter"]


class LabelConsistencyFilter(Filter):
    """Drop augmented texts whose label the weak sources no longer support.

    Each new text is labelled again by the sources (:func:`weaklabel.apply`) and the fitted
    label model; the text is kept only when the model predicts the label it was given
    (its original's label).

    Parameters
    ----------
    sources : source, function, or iterable of them
        The sources the label model was fitted on, in the same order.
    model : fitted label model
        Anything with ``predict(L) -> ndarray of shape (n,)`` (``MajorityVote``,
        ``LabelModel``...).
    label_names : sequence of str, optional
        Class names in id order; needed when sources vote, or labels are given, by name.
    text_column : str, default="text"
        The text column when :meth:`keep` gets a DataFrame.
    keep_abstained : bool, default=False
        Keep texts on which every source abstains (the model cannot check them).
    """

    def __init__(
        self,
        sources: Any,
        model: Any,
        *,
        label_names: Any = None,
        text_column: str = "text",
        keep_abstained: bool = False,
    ) -> None:
        if not callable(getattr(model, "predict", None)):
            raise invalid_argument(
                type(self).__name__, "model", "a fitted label model with .predict(L)", model
            )
        self.sources = sources
        self.model = model
        self.label_names = label_names
        self.text_column = text_column
        self.keep_abstained = bool(keep_abstained)

    def _votes(self, texts: Any) -> Any:
        from weaklabel.appliers.applier import apply

        if isinstance(texts, pd.DataFrame):
            if self.text_column not in texts.columns:
                raise AugmentError(
                    Errors.E773.format(column=self.text_column, columns=list(texts.columns))
                )
            data: Any = texts
        else:
            data = ["" if t is None else str(t) for t in _as_list(texts)]
        return apply(
            self.sources,
            data,
            text_column=self.text_column,
            label_names=self.label_names,
            progress=False,
        )

    def predict(self, texts: Any) -> tuple[np.ndarray, np.ndarray]:
        """The model's label of each text, and whether every source abstained on it.

        Parameters
        ----------
        texts : sequence of str, Series, or DataFrame with ``text_column``
            ``n`` texts.

        Returns
        -------
        predictions : ndarray of shape (n,), dtype int64
        abstained : ndarray of shape (n,), dtype bool
        """
        L = self._votes(texts)
        votes = np.asarray(L.to_numpy())
        n = votes.shape[0]
        if n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
        preds = np.asarray(self.model.predict(L), dtype=np.int64)
        return preds, (votes == -1).all(axis=1)

    def _label_ids(self, labels: Iterable[Any], n: int) -> np.ndarray:
        from weaklabel.labels import LabelSpace

        items = list(labels)
        if len(items) != n:
            raise AugmentError(Errors.E721.format(n_texts=n, n_labels=len(items)))
        space = None
        if self.label_names is not None:
            space = (
                self.label_names
                if isinstance(self.label_names, LabelSpace)
                else LabelSpace(tuple(self.label_names))
            )
        ids = np.full(n, -1, dtype=np.int64)
        for i, label in enumerate(items):
            if label is None or (isinstance(label, float) and np.isnan(label)):
                continue
            if isinstance(label, str):
                if space is None:
                    raise invalid_argument(
                        type(self).__name__,
                        "label_names",
                        "given when labels are class names",
                        None,
                    )
                ids[i] = space.to_id(label)
            else:
                ids[i] = int(label)
        return ids

    def keep(self, texts: Any, labels: Iterable[Any]) -> np.ndarray:
        """Mask of the texts whose predicted label equals the given label.

        Parameters
        ----------
        texts : sequence of str, Series, or DataFrame with ``text_column``
            ``n`` (augmented) texts.
        labels : array-like of shape (n,)
            The label each text should have (its original's), as class ids or names;
            a missing label (``None``/NaN) is never consistent.

        Returns
        -------
        ndarray of shape (n,), dtype bool
            ``True`` where the model predicts the given label, or where every source
            abstained and ``keep_abstained`` is set.
        """
        preds, abstained = self.predict(texts)
        ids = self._label_ids(labels, preds.shape[0])
        keep = (preds == ids) & (ids >= 0)
        keep[abstained] = self.keep_abstained
        return keep

    def _keep_rows(self, augmented: pd.DataFrame, originals: Any, columns: Columns) -> Any:
        """:meth:`keep` the augmented texts with their ``label_column`` ([E773] when the
        frame has none)."""
        if columns.label not in augmented.columns:
            raise AugmentError(
                Errors.E773.format(column=columns.label, columns=list(augmented.columns))
            )
        return self.keep(augmented[columns.text].tolist(), augmented[columns.label].tolist())
