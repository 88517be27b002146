"""Error messages of the sequence label models and of the WRENCH sequence loader (E600-E699).

Use this catalogue when raising from ``weaklabel.models.sequence`` or
``weaklabel.datasets.wrench_seq``: every message says what went wrong, where (the file,
the sentence, the source) and how to fix it, and carries a greppable code.
"""

from __future__ import annotations

from weaklabel.errors import ErrorCatalogue


class Errors(metaclass=ErrorCatalogue):
    """The catalogue of sequence messages (format them with ``.format(**fields)``)."""

    # --- tag spaces ---------------------------------------------------------------
    E600 = (
        "A sequence tag set needs the tag 'O' and at least one entity type as 'B-X' and "
        "'I-X' (BIO scheme); got {tags}."
    )
    E601 = "Tags must be unique; these appear more than once: {dupes}."
    E602 = (
        "Tag {tag!r} is not in the BIO scheme: tags are 'O', 'B-<type>' or 'I-<type>'. "
        "Convert IO/BILUO tags to BIO first."
    )
    E603 = (
        "Entity type {etype!r} has {present} but not {missing}: every type needs both its "
        "'B-' and its 'I-' tag."
    )
    E604 = (
        "{model} needs the tag names: pass tags=[...] (e.g. ['O', 'B-PER', 'I-PER']) or fit "
        "on an object with a .tag_names attribute (a TokenMatrix)."
    )
    E605 = "tags={tags} disagrees with the tag names of the data, {data_tags}. Use one tag set."

    # --- weak labels --------------------------------------------------------------
    E610 = (
        "Cannot read weak labels from {kind}. Pass a list with one integer array of shape "
        "(n_tokens, n_sources) per sentence, or an object with a .weak attribute."
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
    E618 = "Unknown gold tag {tag!r} in sentence {index}; the tag set is {tags}."

    # --- parameters and fitting ---------------------------------------------------
    E620 = "{model}: {name} must be {expected}; got {value!r}."
    E621 = (
        "Unknown parameter {name!r} for {model}. Its parameters are {valid}; see "
        "`{model}().get_params()`."
    )
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

    # --- WRENCH sequence files ----------------------------------------------------
    E650 = (
        "No WRENCH sequence dataset folder at {path}. Pass the folder that holds meta.json "
        "and {{train,valid,test}}.json[.gz], e.g. '.../wrench/seq_tagging/bc5cdr'."
    )
    E651 = (
        "{file} is missing: a WRENCH sequence folder needs meta.json with 'lf' (labeling "
        "function names) and 'entity_types'."
    )
    E652 = "{file}: {problem}"
    E653 = "sources must be 'wrench' (meta.json's lf_rec), 'all' or a list of names; got {value!r}."
    E654 = "{file}: unknown source {name!r}; the labeling functions are {names}."
    E655 = "{file}, sentence {row!r}: {problem}"
    E656 = (
        "{file}, sentence {row!r}, token {token}: tag {tag!r} is not in the tag set {tags} "
        "(built from meta.json's entity_types)."
    )
