"""Filters that clean an augmented data set before it is used for training.

Every filter implements :class:`Filter` (one call: ``keep_frame(augmented, originals,
*, text_column, label_column, id_column) -> mask``), so
:class:`~weaklabel.augment.AugmentationPipeline` runs them all alike:

- :mod:`~weaklabel.augment.filters.duplicates`: :class:`NearDuplicateFilter` (MinHash),
  :func:`exact_duplicates`, :func:`near_duplicate_pairs`;
- :mod:`~weaklabel.augment.filters.labels`: :class:`LabelConsistencyFilter` (the weak
  sources and the label model must still give the row its label);
- :mod:`~weaklabel.augment.filters.fidelity`: :class:`SemanticFidelityFilter` (sentence
  embeddings, with a polarity guard);
- :class:`~weaklabel.augment.entities.SpanConsistencyFilter`, for span data, lives with
  the entity-aware augmenters.

Every name that ``weaklabel.augment.filters`` exported when it was one module is still
importable from here.
"""

from weaklabel._deprecated import moved_names
from weaklabel.augment.filters.base import Filter, FunctionFilter
from weaklabel.augment.filters.duplicates import (
    NearDuplicateFilter,
    exact_duplicates,
    near_duplicate_pairs,
    normalise_text,
)
from weaklabel.augment.filters.fidelity import SemanticFidelityFilter
from weaklabel.augment.filters.labels import LabelConsistencyFilter

__all__ = [
    "Filter",
    "FunctionFilter",
    "LabelConsistencyFilter",
    "NearDuplicateFilter",
    "SemanticFidelityFilter",
    "exact_duplicates",
    "near_duplicate_pairs",
    "normalise_text",
]

# The catalogue classes' messages are in weaklabel.augment._errors now.
__getattr__ = moved_names(
    __name__,
    {
        "FilterErrors": "weaklabel.augment._errors:Errors",
    },
)
