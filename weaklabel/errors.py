"""Every error and warning message weaklabel raises, numbered so that they can be grepped.

Messages say what went wrong, where (the source, the row, the file) and how to fix it.
Codes are grouped by stage: E0xx core (labels, matrices, apply), E1xx label models,
E2xx datasets and files, E3xx analysis and plots, E4xx command line, W-codes warnings.
"""

from __future__ import annotations


class WeaklabelError(Exception):
    """Base class of every exception weaklabel raises on purpose."""


class LabelSpaceError(WeaklabelError, ValueError):
    """A label name or id does not belong to the label space."""


class LabelMatrixError(WeaklabelError, ValueError):
    """A label matrix has the wrong shape, dtype or values."""


class SourceError(WeaklabelError):
    """A source is badly defined, or raised while labeling a row."""


class NotFittedError(WeaklabelError, AttributeError):
    """A label model was used before ``fit``."""


class DatasetError(WeaklabelError, ValueError):
    """A dataset file is missing or malformed."""


class LabelModelError(WeaklabelError, ValueError):
    """A label model's parameters, its saved file or its evaluation inputs are invalid."""


class ParameterError(WeaklabelError, ValueError):
    """A function or constructor argument has an invalid value."""


class ErrorCatalogue(type):
    """Metaclass that prefixes each message with its code, as in ``[E013] Unknown label``.

    The code in the text is what users search for; the attribute name is what the code
    raises with (``Errors.E013.format(...)``).
    """

    def __getattribute__(cls, name: str) -> str:
        value = super().__getattribute__(name)
        if isinstance(value, str) and len(name) == 4 and name[0] in "EW" and name[1:].isdigit():
            return f"[{name}] {value}"
        return value


class Errors(metaclass=ErrorCatalogue):
    """The catalogue of error messages (format them with ``.format(**fields)``)."""

    # --- labels and label matrices -------------------------------------------------
    E010 = "A label space needs at least two class names; got {names}."
    E011 = "Class names must be unique; these appear more than once: {dupes}."
    E012 = (
        "A label mapping must have the keys 0 .. k-1 (ints or digit strings, as in WRENCH's "
        "label.json); got keys {keys}."
    )
    E013 = "Unknown label {label!r}: the label space is {names}. Check the spelling or add it."
    E014 = (
        "Label id {label} is outside the label space: ids run from 0 to {k}-1, and -1 means "
        "abstain."
    )
    E020 = (
        "A label matrix must be 2-dimensional (n_examples, n_sources); got an array of shape "
        "{shape}. Wrap a single column with `values[:, None]`."
    )
    E021 = "A label matrix must hold integers; got dtype {dtype}. Cast with `.astype(int)`."
    E022 = (
        "A label matrix may hold only -1 (abstain) and class ids >= 0; found {value} in "
        "column {column!r}."
    )
    E023 = "Got {n_names} source names for {n_columns} columns; give one name per column."
    E024 = "Source names must be unique; these appear more than once: {dupes}."
    E025 = (
        "Label id {value} in column {column!r} is not below the cardinality {k} "
        "(label names {names})."
    )
    E026 = "No source named {name!r}; the matrix has {names}."
    E027 = (
        "Cannot read a label matrix from {kind}. Pass a LabelMatrix, a 2-D integer ndarray, "
        "a pandas DataFrame (one column per source) or a scipy.sparse matrix."
    )
    E028 = (
        "The two label matrices have different sources: {left} vs {right}. Apply the same "
        "sources to both."
    )
    E029 = (
        "Showing class names needs label names: build the matrix with label_names=[...] "
        "(or pass label_names to apply())."
    )
    E040 = (
        "Cannot stack label matrices with {left} and {right} rows; they must label the same rows."
    )
    E041 = (
        "Cannot stack label matrices with different label names: {left} vs {right}. Apply "
        "both with the same label_names."
    )

    # --- sources -----------------------------------------------------------------------
    E030 = (
        "Source {source!r} raised {exc_type} on row {row}: {exc}\n  row: {preview}\n"
        "Fix the source, or pass fault_tolerant=True to count such errors as abstains."
    )
    E031 = (
        "Source {source!r} returned {value!r} on row {row}; a source must return a class id "
        "(int), a class name (str) or ABSTAIN (-1)."
    )
    E032 = (
        "Source {source!r} returned the class name {value!r} on row {row}, but no label "
        "names were given. Pass label_names=[...] to apply(), or return ids."
    )
    E033 = "Two sources share the name {name!r}; every source needs a unique name."
    E034 = "{what} is not a weaklabel source. Use @labeling_function, keyword_source, ..."
    E035 = (
        "The data has no column {column!r}; its columns are {columns}. Pass "
        "text_column=... to apply() or to the source."
    )
    E036 = (
        "Cannot apply sources to {kind}. Pass a pandas DataFrame with a text column, a "
        "Series, or a list of strings."
    )
    E037 = "Source {source!r}: {problem}"
    E038 = (
        "Source {source!r}: the pattern {pattern!r} does not compile: {exc}. Fix the "
        "regular expression."
    )
    E039 = "n_jobs must be a positive integer or -1 (all cores); got {n_jobs!r}."
    E043 = (
        "n_jobs={n_jobs} does not apply to spaCy Docs: span sources run in this process. "
        "Leave n_jobs=1."
    )
    E042 = (
        "Source {source!r} votes the class name {value!r}, but no label names were given. "
        "Pass label_names=[...] to apply(), or give the source a class id."
    )

    # --- warnings ----------------------------------------------------------------------
    W001 = (
        "Some sources raised and were counted as abstains ({summary}). See "
        "LabelMatrix.fault_counts; rerun with fault_tolerant=False to see the error."
    )
