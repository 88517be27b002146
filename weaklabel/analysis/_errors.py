"""Error messages of the analysis stage (codes E300-E399, E550-E559), numbered for grep.

Use it from :mod:`weaklabel.analysis` only: every message says what is wrong and how to
fix it, and is raised with one of the exception classes of :mod:`weaklabel.errors`
(``LabelMatrixError`` for shapes, ``LabelSpaceError`` for label values, ``ImportError``
for a missing optional dependency). It extends the core catalogue
(:class:`weaklabel.errors.Errors`), so core messages are raised through it too.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors

__all__ = ["Errors"]


class Errors(CoreErrors):
    """The catalogue of analysis error messages (format them with ``.format(**fields)``)."""

    # --- gold labels -------------------------------------------------------------------
    E300 = (
        "The gold labels y have {n_y} entries but the label matrix has {n} rows; pass one "
        "gold label per row of L, with -1 where the gold label is unknown."
    )
    E301 = (
        "The gold labels y must be 1-dimensional, shape (n_examples,); got shape {shape}. "
        "Flatten a column vector with `y.ravel()`."
    )
    E302 = (
        "The gold labels y must be class ids >= 0, or -1 for unknown; found {value} at row {row}."
    )
    E303 = (
        "The gold labels y hold class names ({example!r}, ...) but no label names are known. "
        "Pass label_names=[...] or a LabelMatrix built with label_names, or give class ids."
    )
    E304 = (
        "Gold label {value} at row {row} is not below the number of classes {k} (label names "
        "{names}). Check that y and the label names use the same label space."
    )
    E305 = (
        "The gold labels y must hold integers or class names; got dtype {dtype}. Cast with "
        "`np.asarray(y, dtype=int)`."
    )

    # --- label names ---------------------------------------------------------------------
    E310 = (
        "label_names={given} disagrees with the label names stored in the LabelMatrix "
        "{stored}. Drop label_names=..., or rebuild the matrix with the names you mean."
    )
    E311 = (
        "Source {column!r} votes {value}, which is not below the number of label names {k} "
        "({names}). Pass one name per class id, in id order."
    )

    # --- plots ---------------------------------------------------------------------------
    E351 = "There is nothing to plot: {what}. {fix}"

    # --- span analysis (weaklabel.analysis.spans) ----------------------------------------
    E550 = (
        "Gold spans: {problem}. Pass the name of a span group on the docs (e.g. 'gold'), "
        "'ents' for doc.ents, one list of (start, end, label) spans per doc, or one list of "
        "BIO tags per doc."
    )
