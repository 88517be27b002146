"""The one interface every augmentation filter implements, and the adapter for functions.

A filter looks at the new rows of an augmentation run next to the rows they were made
from and says which new rows to keep. Every filter in :mod:`weaklabel.augment` (near
duplicates, label consistency, semantic fidelity, span consistency) is a :class:`Filter`,
so :class:`~weaklabel.augment.AugmentationPipeline` calls them all the same way:
``keep_frame(augmented, originals, *, text_column, label_column, id_column)``.

To write a filter, subclass :class:`Filter` and implement :meth:`Filter._keep_rows`.
Any object with a ``keep_frame`` method of that signature counts as a filter too
(``isinstance(obj, Filter)`` is true); wrap a plain function ``(augmented, originals) ->
mask`` in :class:`FunctionFilter` (the pipeline does it for you) to use it as one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Columns", "Filter", "FunctionFilter"]


@dataclass(frozen=True)
class Columns:
    """The column names a filter may read."""

    text: str = "text"
    label: str = "label"
    id: str = "id"


class Filter(ABC):
    """The filter interface: :meth:`keep_frame`, a mask over the new rows of a run."""

    @classmethod
    def __subclasshook__(cls, other: type) -> bool:
        if cls is Filter and any("keep_frame" in vars(base) for base in other.__mro__):
            return True
        return NotImplemented

    def keep_frame(
        self,
        augmented: pd.DataFrame,
        originals: Any,
        *,
        text_column: str = "text",
        label_column: str = "label",
        id_column: str = "id",
    ) -> np.ndarray:
        """Mask of the augmented rows to keep.

        Parameters
        ----------
        augmented : DataFrame
            ``m`` new rows, as :meth:`~weaklabel.augment.Augmenter.augment_examples`
            returns them (``text_column``, copied label columns, ``original_id``, ...).
        originals : DataFrame
            The rows they were made from (``id_column`` matches ``original_id``); some
            filters take other forms too (see theirs).
        text_column, label_column, id_column : str
            Column names, for the filters that read them.

        Returns
        -------
        ndarray of shape (m,), dtype bool
        """
        columns = Columns(text=text_column, label=label_column, id=id_column)
        return np.asarray(self._keep_rows(augmented, originals, columns), dtype=bool)

    @abstractmethod
    def _keep_rows(self, augmented: pd.DataFrame, originals: Any, columns: Columns) -> Any:
        """The mask :meth:`keep_frame` returns (any boolean array-like of shape ``(m,)``)."""


class FunctionFilter(Filter):
    """A function ``(augmented, originals) -> mask`` used as a :class:`Filter`.

    Parameters
    ----------
    function : callable
        Takes the augmented rows and the original rows (two DataFrames) and returns one
        boolean per augmented row.
    """

    def __init__(self, function: Callable[[Any, Any], Any]) -> None:
        self.function = function
        self.__name__ = str(getattr(function, "__name__", type(function).__name__))

    def __repr__(self) -> str:
        return f"FunctionFilter({self.__name__})"

    def _keep_rows(self, augmented: pd.DataFrame, originals: Any, columns: Columns) -> Any:
        del columns
        return self.function(augmented, originals)
