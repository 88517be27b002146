"""Error messages of the sequence label models (codes E600-E699).

Use this catalogue when raising from ``weaklabel.models.sequence``: every message says
what went wrong, where (the file, the sentence, the source) and how to fix it, and
carries a greppable code. It extends the label models' catalogue (and through it the
core one, :class:`weaklabel.errors.Errors`), so the messages both model families share --
not fitted (E100), unknown parameter (E061), invalid argument (E060), BIO tag sets
(E600-E603) -- are raised through it too.
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
    E615 = (
        "{model} was fitted on {expected} sources but the data has {got}. Pass the same "
        "sources, in the same order, as at fit time."
    )
    E616 = (
        "Got gold tags for {got} sentences but weak labels for {expected}; give one list "
        "of tags per sentence."
    )
    E617 = "Sentence {index}: {got} gold tags for {expected} tokens."

    # --- parameters and fitting ---------------------------------------------------
    E622 = "This {model} is not fitted yet. Call `{model}.fit(weak)` before `{method}`."

    # --- saved models -------------------------------------------------------------
    E630 = "Cannot read a sequence model from {path}: {problem}"
    E631 = (
        "{path} is not a weaklabel sequence model (format {found!r}); write it with "
        "`model.save(path)`."
    )
    E632 = (
        "{path} was written by a newer weaklabel (file version {version}); this one reads "
        "versions up to {supported}. Upgrade weaklabel."
    )
    E633 = (
        "{path} holds a {found}, not a {expected}. Load it with `{found}.load(path)` or "
        "`load_sequence_model(path)`."
    )
    E634 = "{path}: the saved attribute {name!r} is invalid: {problem}"
