"""The human in the loop: what to review, which labels are wrong, agreement, and refitting.

Use it between the label model and training: :func:`select` picks the rows a reviewer
helps most with (uncertainty, source disagreement, rows without votes, diverse batches),
:func:`label_issues` ranks the weak labels that are probably wrong (cleanlab on
out-of-fold probabilities of an end model), :func:`shorten` cuts long passages to their key
sentences, the agreement functions measure how far annotators agree and merge them through
a label model (:func:`consensus`), and :func:`refit` feeds the answers back to the label
model. ``label_issues`` and ``krippendorff_alpha`` need ``pip install "weaklabel[review]"``;
everything else runs on weaklabel's core dependencies.
"""

from __future__ import annotations

from weaklabel.review._errors import ReviewError
from weaklabel.review.agreement import (
    annotator_agreement,
    cohen_kappa,
    consensus,
    fleiss_kappa,
    krippendorff_alpha,
)
from weaklabel.review.issues import default_end_model, label_issues, out_of_fold_proba
from weaklabel.review.loop import dev_set, gold_labels, refit, source_accuracies, with_gold
from weaklabel.review.selection import (
    STRATEGIES,
    disagreement,
    entropy,
    least_confidence,
    margin,
    no_votes,
    rank,
    score,
    select,
)
from weaklabel.review.shortening import Shortened, sentence_spans, shorten, shorten_all
from weaklabel.review.spans import sentence_scores

__all__ = [
    "STRATEGIES",
    "ReviewError",
    "Shortened",
    "annotator_agreement",
    "cohen_kappa",
    "consensus",
    "default_end_model",
    "dev_set",
    "disagreement",
    "entropy",
    "fleiss_kappa",
    "gold_labels",
    "krippendorff_alpha",
    "label_issues",
    "least_confidence",
    "margin",
    "no_votes",
    "out_of_fold_proba",
    "rank",
    "refit",
    "score",
    "select",
    "sentence_scores",
    "sentence_spans",
    "shorten",
    "shorten_all",
    "source_accuracies",
    "with_gold",
]
