"""Error messages of the sequence label models (codes E600-E699).

Use this catalogue when raising from ``weaklabel.models.sequence``: every message says
what went wrong, where (the file, the sentence, the source) and how to fix it, and
carries a greppable code. It extends the label models' catalogue (and through it the
core one, :class:`weaklabel.errors.Errors`), so the messages both model families share --
not fitted (E100), other sources than at fit time (E101), the model file (E130-E135),
unknown parameter (E061), invalid argument (E060), BIO tag sets (E600-E603) -- are raised
through it too.
"""

from __future__ import annotations

from weaklabel.models._errors import Errors as ModelErrors


class Errors(ModelErrors):
    """The catalogue of sequence messages (format them with ``.format(**fields)``)."""

    # --- tags given to the model ------------------------------------------------------
    E604 = (
        "{model} needs the tag names: pass tags=[...] (e.g. ['O', 'B-PER', 'I-PER']) or fit "
        "on a TokenMatrix (it carries the tag names)."
    )
    E605 = "tags={tags} disagrees with the tag names of the data, {data_tags}. Use one tag set."

    # --- weak labels --------------------------------------------------------------
    E610 = (
        "Cannot read weak labels from {kind}. Pass a list with one integer array of shape "
        "(n_tokens, n_sources) per sentence, or a weaklabel.tokens.TokenMatrix."
    )
    E611 = (
        "Sentence {index}: weak labels must be a 2-D integer array (n_tokens, n_sources); "
        "got {problem}."
    )
    E612 = (
        "Sentence {index} has {got} sources but sentence 0 has {expected}. Every sentence "
        "needs one column per source, in the same order."
    )
    E613 = (
        "Sentence {index}, token {token}, source {source}: tag id {value} is not in the tag "
        "set (ids 0 .. {k_max}, -1 = abstain)."
    )
    E614 = "Cannot fit a sequence model on {what}; it needs at least one token and one source."
    E616 = (
        "Got gold tags for {got} sentences but weak labels for {expected}; give one list "
        "of tags per sentence."
    )
    E617 = "Sentence {index}: {got} gold tags for {expected} tokens."

    # --- sources matched by name ------------------------------------------------------
    E661 = (
        "gold_tags must be a list with one list of tag names per sentence; got {kind}. Pass "
        "e.g. [['B-PER', 'I-PER', 'O'], ...] (a corpus' `.tags` works too)."
    )
    E660 = (
        "{model} was fitted on the sources {expected}, but the weak labels have the sources "
        "{got} (missing: {missing}; not seen at fit time: {extra}). Apply the same sources "
        "as at fit time; their order does not matter."
    )
