"""The numbered messages of corpus preparation (codes E800-E829), one catalogue for the stage.

Formatted like every other weaklabel message (``[E801] ...``) through
:class:`weaklabel.errors.ErrorCatalogue`. The catalogue extends the core one
(:class:`weaklabel.errors.Errors`), so an invalid argument of a step is ``Errors.E060`` and a
missing optional dependency ``Errors.E070``, raised through this class.
:class:`~weaklabel.errors.PrepareError` is the class these messages are raised with.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors

__all__ = ["Errors"]


class Errors(CoreErrors):
    """The catalogue of preparation messages (format them with ``.format(**fields)``)."""

    # --- the table (weaklabel.prepare.corpus) ------------------------------------------
    E800 = (
        "Cannot prepare {kind}. Pass a pandas DataFrame with a text column, a Series or a "
        "list of strings."
    )
    E801 = (
        "The table has no text column {column!r}; its columns are {columns}. Pass "
        "text_column=... (on the command line: --text-column)."
    )
    E802 = (
        "The id column {column!r} has {problem}, e.g. at raw row {row}. Ids trace every "
        "prepared row back to its raw row, so they must be unique and present; fix the "
        "column, or pass id_column=None to number the raw rows instead."
    )
    E803 = (
        "Step {index} is {kind}, not a preparation step. Pass step objects such as "
        "FixText(), NormalizeWhitespace(), NearDuplicates(threshold=0.9) or LanguageFilter()."
    )
    E804 = (
        "Two steps share the name {name!r}; give each step a unique name= so the report "
        "and the dropped rows can tell them apart."
    )
    E805 = (
        "Step {step!r} returned {problem}. A step returns a StepResult with one text per "
        "input row (same index) and drop reasons for a subset of those rows."
    )

    # --- steps (weaklabel.prepare.steps, .language) ------------------------------------
    E810 = (
        "LengthFilter: min_{unit} ({low}) is larger than max_{unit} ({high}); no text "
        "could pass. Swap them or widen the range."
    )
    E811 = (
        "LanguageFilter: unknown language code {code!r} in {param}. Use ISO 639-1 codes "
        "that lingua knows, such as {examples}."
    )
    E812 = (
        "LanguageFilter: keep={keep} holds languages not in among={among}; the detector only "
        "chooses among the languages of among=. Add them to among=."
    )
