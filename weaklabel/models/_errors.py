"""Error messages of the label models (codes E100-E199, W100-W199).

Use this catalogue when raising from ``weaklabel.models``: every message says what went
wrong and how to fix it, and carries a greppable code. It extends the core catalogue
(:class:`weaklabel.errors.Errors`), so ``Errors.E060`` (an invalid argument) or
``Errors.E103`` (an unknown tie-break policy) are raised through it too. The exception and
warning classes are in :mod:`weaklabel.errors`; ``LabelModelError`` and
``LabelModelWarning`` are re-exported here for the imports that name this module.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors
from weaklabel.errors import LabelModelError, LabelModelWarning

__all__ = ["Errors", "LabelModelError", "LabelModelWarning"]


class Errors(CoreErrors):
    """The catalogue of label-model messages (format them with ``.format(**fields)``)."""

    # --- fitting and predicting ---------------------------------------------------
    E100 = (
        "This {model} is not fitted yet. Call `{model}.fit(L)` on the weak labels L (a label "
        "matrix, or a token matrix for a sequence model) before `{method}`."
    )
    E101 = (
        "{model} was fitted on {expected} sources but the data has {got} columns. Pass the "
        "votes of the same sources, in the same order, as at fit time."
    )
    E102 = (
        "L holds the label {value} in column {column!r}, but the model has cardinality {k} "
        "(class ids 0 .. {k_max}, -1 = abstain). Pass `cardinality=` large enough at fit "
        "time, or fix the source."
    )
    E104 = "cardinality must be an integer >= 2 or None (infer it); got {value!r}."
    E105 = (
        "cardinality={k} disagrees with the label matrix's {n} label names {names}. Drop "
        "`cardinality=` or make it match the label names."
    )
    E106 = (
        "Cannot fit a label model on an empty label matrix (shape {shape}); it needs at "
        "least one example and one source."
    )
    E108 = (
        "{name} must hold {expected} finite, non-negative numbers with a positive sum; got "
        "{got}. {hint}"
    )
    E111 = (
        "`{method}` needs the votes of every example, but got a LabelStats (distinct rows "
        "with counts). Pass the label matrix itself; LabelStats is for `fit`."
    )

    # --- scoring and metrics ------------------------------------------------------
    E120 = (
        "Unknown metric {metric!r}; use one of {options}. For other metrics call "
        "`weaklabel.metrics` on `model.predict(L)`."
    )

    # --- saving and loading ---------------------------------------------------------
    E130 = "Cannot read the label model file {path}: {problem}"
    E131 = (
        "{path} is not a weaklabel label model file of this family (its format is {found!r}): "
        "classification models load with `load_model`, sequence models with "
        "`load_sequence_model`. Save models with `model.save(path)`."
    )
    E132 = (
        "{path} was written by a newer weaklabel (file version {version}; this version "
        "reads up to {supported}). Upgrade weaklabel to load it."
    )
    E133 = (
        "{path} holds a {name!r} model, which is not a known label model class "
        "({known}). Import the module that defines it before loading."
    )
    E134 = (
        "{path} holds a {found} model, which is not a {expected}. Load it with "
        "`{found}.load(path)`, `load_model` or `load_sequence_model`."
    )
    E135 = (
        "{path}: the fitted attribute {name!r} {problem}. The file was damaged or edited; "
        "fit the model again and save it (`model.save(path)`), or restore the file."
    )
    E137 = (
        "{path}: the saved parameters are invalid ({problem}). The file was damaged or "
        "edited; fit the model again and save it, or restore the file."
    )
    E138 = (
        "Cannot save the model to {path}: the folder {folder} does not exist. Create it "
        "first (weaklabel does not create folders unasked) or give another path."
    )
    E139 = "Cannot save the model to {path}: {problem}."
    E141 = (
        "Cannot infer the number of classes: the largest label in L is {value} (row {row}, "
        "source {column!r}), which would make {k} classes, more than the {limit} inferred "
        "for {n} rows (at most 1000, and at most 10 per row). If those classes are real, "
        "pass `cardinality=` to the model or label names (`label_names=[...]`) to the "
        "label matrix; otherwise fix the source."
    )
    E142 = (
        "cardinality={value} is more classes than a label model handles (at most {limit}). "
        "Pass the number of classes, or map the labels to 0 .. k-1 first."
    )
    E143 = (
        "{model} was fitted on the sources {expected}, but L has the sources {got} "
        "(missing: {missing}; not seen at fit time: {extra}). Apply the same sources as at "
        "fit time; their order does not matter."
    )
    E144 = (
        "{model} was fitted on the labels {expected}, but L has the labels {got}. Build "
        "the label matrix with the label names of the fit, or fit the model again."
    )
    E145 = (
        "{model} was fitted with {expected} classes, but L has {got} label names {names}. "
        "Build the label matrix with the label space of the fit, or fit the model again."
    )
    E146 = (
        "y holds the label {value!r} (row {row}), which is not {what}. Pass class ids "
        "0 .. {k_max}{names_hint}."
    )
    E136 = (
        "This {model} was loaded from a file, and diagnostics are computed at fit time only. "
        "Fit it again on the label matrix to diagnose it."
    )

    # --- warnings -----------------------------------------------------------------
    W100 = (
        "The fitted label model never predicts class {label!r}, which the majority vote "
        "gives to {share:.1%} of the rows with votes. Its sources may be outweighed by "
        "broader ones: check model.diagnose(), or pass class_prior= / y_dev= if you know "
        "the class balance."
    )
    W101 = (
        "Source {source!r} holds {share:.0%} of all vote weight: the labels follow it almost "
        "alone. Check it with model.diagnose(); if it is a copy of another source or a "
        "model's prediction, drop it or give a dev set (y_dev=, L_dev=)."
    )
