"""The one interface every augmentation filter implements, and the adapter for functions.

A filter looks at the new rows of an augmentation run next to the rows they were made
from and says which new rows to keep. Every filter in :mod:`weaklabel.augment` (near
duplicates, label consistency, semantic fidelity, span consistency) implements
:class:`Filter`, so :class:`~weaklabel.augment.AugmentationPipeline` calls them all the
same way; wrap a plain function with :class:`FunctionFilter` (the pipeline does it for
you: :func:`weaklabel.augment.pipeline.as_filter`) to use it as a filter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Filter", "FunctionFilter"]


@runtime_checkable
class Filter(Protocol):
    """Anything with :meth:`keep_frame`: a mask over the new rows of an augmentation run."""

    def keep_frame(
        self,
        augmented: pd.DataFrame,
        originals: pd.DataFrame,
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
            The rows they were made from (``id_column`` matches ``original_id``).
        text_column, label_column, id_column : str
            Column names, for filters that read them.

        Returns
        -------
        ndarray of shape (m,), dtype bool
        """
        ...


class FunctionFilter:
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

    def keep_frame(
        self,
        augmented: pd.DataFrame,
        originals: pd.DataFrame,
        *,
        text_column: str = "text",
        label_column: str = "label",
        id_column: str = "id",
    ) -> np.ndarray:
        """``function(augmented, originals)`` as a boolean array of shape ``(m,)``."""
        del text_column, label_column, id_column
        return np.asarray(self.function(augmented, originals), dtype=bool)
