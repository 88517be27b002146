"""Every exception and warning class of weaklabel, and the core catalogue of its messages.

Import exception classes from here to catch them (``from weaklabel.errors import
SourceError``): every class the package raises or warns with on purpose is defined in this
module, whichever stage raises it. As in spaCy's ``errors.py``, every message is a template
with a code (``[E013] Unknown label ...``) so that users can grep for it; the generated
error page lists every code with the class it is raised with.

The messages live in catalogues, classes with one attribute per code:

- :class:`Errors` here holds the core messages -- labels, label and token matrices, BIO tag
  sets, sources and span sources, ``apply`` (in memory and on Dask) -- and the messages
  that more than one stage raises, such as :attr:`Errors.E060` for an invalid argument.
- Each stage keeps its own texts in a private ``_errors`` module (listed in
  :data:`CATALOGUES`). A stage catalogue subclasses :class:`Errors`, so a stage raises
  a shared message through its own catalogue (``Errors.E060`` in ``weaklabel.augment``)
  and no module imports another stage's catalogue.

Codes are unique package-wide. A code that was merged into another one is listed in
:data:`RETIRED` with the code that replaced it, and is never reused.
"""

from __future__ import annotations

__all__ = [
    "CATALOGUES",
    "RETIRED",
    "AugmentError",
    "ConfigError",
    "DatasetError",
    "ErrorCatalogue",
    "Errors",
    "ExportError",
    "LLMError",
    "LabelMatrixError",
    "LabelModelError",
    "LabelModelWarning",
    "LabelSpaceError",
    "ModelSaveError",
    "NotFittedError",
    "OutputError",
    "ParameterError",
    "PrepareError",
    "ReviewError",
    "SourceError",
    "TranslatorError",
    "WeaklabelError",
    "WordNetNotFoundError",
]


# ---------------------------------------------------------------------------------------
# exception and warning classes
# ---------------------------------------------------------------------------------------
class WeaklabelError(Exception):
    """Base class of every exception weaklabel raises on purpose."""


class LabelSpaceError(WeaklabelError, ValueError):
    """A label name or id, or a tag name or id, does not belong to the label space."""


class LabelMatrixError(WeaklabelError, ValueError):
    """A label or token matrix has the wrong shape, dtype or values."""


class SourceError(WeaklabelError):
    """A source is badly defined, or raised while labeling a row."""


class NotFittedError(WeaklabelError, AttributeError):
    """A label model was used before ``fit``."""


class DatasetError(WeaklabelError, ValueError):
    """A dataset file is missing or malformed."""


class LabelModelError(WeaklabelError, ValueError):
    """A label model's parameters, its saved file or its evaluation inputs are invalid."""


class ModelSaveError(LabelModelError, OSError):
    """A label model cannot be written where asked (a missing folder, no permission, ...)."""


class ParameterError(WeaklabelError, ValueError):
    """A function or constructor argument has an invalid value."""


class OutputError(WeaklabelError, OSError):
    """The file system refused a read or write of the command line (a full disk, a permission)."""


class AugmentError(WeaklabelError, ValueError):
    """An augmenter, filter or split got an invalid argument or input table."""


class TranslatorError(WeaklabelError, RuntimeError):
    """A translator, paraphraser or encoder is missing, misconfigured, or failed on a batch."""


class LLMError(WeaklabelError, RuntimeError):
    """A request to a chat model failed after its retries, or its reply was not usable."""


class WordNetNotFoundError(WeaklabelError, ImportError):
    """No WordNet database could be found; the message says how to install one."""


class ReviewError(WeaklabelError, ValueError):
    """A review function got an invalid argument, probability table or annotation table."""


class ExportError(WeaklabelError, ValueError):
    """A task file or an annotation tool's export is malformed, or a writer got bad input."""


class PrepareError(WeaklabelError, ValueError):
    """Corpus preparation got an invalid step, table or id column."""


class ConfigError(WeaklabelError, ValueError):
    """A ``weaklabel run`` configuration file has a bad key, value, path or output."""


class LabelModelWarning(UserWarning):
    """A label model fitted, but its fit looks degenerate; the message says what to check."""


class _OverBudget(Exception):  # a signal, not an error users see
    """Internal: raised inside ``weaklabel._fingerprint``'s walk of one object too large to read.

    Never escapes the package; it is defined here only so that every exception class of the
    package lives in this module.
    """


# ---------------------------------------------------------------------------------------
# catalogues
# ---------------------------------------------------------------------------------------
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
    """The core catalogue of messages (format them with ``.format(**fields)``).

    It holds the messages of the core data types and those that several stages raise;
    every stage catalogue (:data:`CATALOGUES`) subclasses it.
    """

    # --- labels and label matrices -------------------------------------------------
    E010 = "A label space needs at least two class names; got {names}."
    E011 = "{what} must be unique; these appear more than once: {dupes}."
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

    E044 = (
        "LabelStats.merge needs at least one part: pass the statistics of one or more label "
        "matrices (LabelStats.from_matrix)."
    )

    # --- apply: classes inferred from the votes ------------------------------------------
    E045 = (
        "Source {source!r} voted the class id {value} (first on row {row}), but no label "
        "names were given, so the matrix would have {k} classes while the sources voted "
        "only the ids {ids}. Without label names, apply() infers the classes from the ids "
        "voted and accepts k = largest id + 1 only when at most half of those classes get "
        "no vote. Pass label_names=[...] with the names of all classes (id order), or fix "
        "the source."
    )
    E046 = (
        "Cannot use {path} as a cache folder: {reason}. Give cache= a writable folder, or "
        "cache=None to run without a cache."
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

    # --- apply on Dask (weaklabel.appliers.dask) -----------------------------------------
    E051 = (
        "apply() labels a Dask DataFrame or a Dask Series of texts; got a {kind}. Convert "
        "it first, e.g. `dd.from_dask_array(array, columns=['text'])` or `bag.to_dataframe()`."
    )
    E052 = (
        "Source {source!r} cannot be sent to the Dask workers: pickling it with cloudpickle "
        "failed ({exc_type}: {exc}). Dask ships every source to the worker processes by "
        "pickling it. Keep objects that cannot be pickled (open files, locks, database "
        "connections, clients with native handles) out of the source and of its "
        "`resources=`: create them inside the function on first use (e.g. in a module-level "
        "cache), or pass a picklable description (a path, a URL) instead."
    )
    E053 = (
        "apply() got a Dask collection together with {option}={value!r}, which only the "
        "in-memory applier supports. {hint}"
    )
    E054 = (
        "The partition lengths {lengths} do not match the Dask DataFrame's {npartitions} "
        "partitions. Pass one length per partition, or lengths=True to compute them."
    )

    # --- arguments, shared by every stage -------------------------------------------------
    E060 = "{name}: {param} must be {expected}; got {value!r}."
    E061 = (
        "Unknown parameter {name!r} for {model}. Its parameters are {valid}; see "
        "`{model}().get_params()`."
    )
    E062 = "seed must be a non-negative integer; got {value!r}."

    # --- optional dependencies, shared by every stage ---------------------------------
    E070 = (
        "{what} needs {packages}, which {verb} not installed. Install with "
        '`pip install "weaklabel[{extra}]"`.'
    )

    # --- predictions and scores (tie-breaking, weaklabel.metrics) -------------------------
    E103 = "tie_break must be one of {options}; got {value!r}."
    E121 = (
        "y_true and y_pred must be 1-D arrays of the same length; got shapes {true_shape} "
        "and {pred_shape}."
    )
    E122 = "Cannot compute {metric} on zero examples; pass at least one label."
    E123 = (
        "y_true holds {value}, which is not a class id. Gold labels must be ids >= 0; drop "
        "unlabelled rows (-1) before scoring."
    )

    # --- files read line by line (gazetteers, CoNLL) -----------------------------------
    E521 = "Line {line} of {path}: {problem}"

    # --- command line --------------------------------------------------------------------
    E400 = (
        "Cannot read the table {path!r}: the command line reads .csv, .tsv, .jsonl (.ndjson) "
        "and .parquet files."
    )
    E401 = (
        "--out {out!r} is the input file: writing there would replace the data you are "
        "reading. Choose another --out."
    )
    E402 = "{path!r} already exists; pass --force to replace it."
    E403 = (
        "Cannot write {path!r}: this command writes {suffixes} files; give --out one of "
        "those suffixes."
    )
    E404 = "Cannot write {path!r}: {reason}. Create the folder, or choose another --out."
    E405 = "Cannot read the input {path!r}: {problem}. Check the path and try again."
    E406 = "Cannot read {path!r} as {kind}: {reason}. {fix}"
    E407 = (
        "The table {path!r} has no rows{detail}; give a table with a header line and at "
        "least one row."
    )
    E408 = (
        "Line {line} of {path!r} is not a JSON object: JSON Lines tables hold one record per "
        'line, such as {{"text": "...", "label": "..."}}; got {got}.'
    )
    E409 = (
        "File system error on {path!r}: {reason}. Check that the folder exists, is "
        "writable and has free space."
    )
    E410 = "{message}. See `{prog} --help`."
    E411 = (
        "{path!r} is a file, but {what} writes several files into a folder: give a folder "
        "(it is created if missing)."
    )
    E412 = (
        "The folder {path!r} already holds {files}; pass --force (overwrite=True from "
        "Python) to replace them, or choose another folder."
    )

    # --- span sources ------------------------------------------------------------------
    E500 = (
        "Span source {source!r} returned {value} on doc {doc} ({n_tokens} tokens). A span "
        "source returns (start, end, label) token offsets with 0 <= start < end <= "
        "len(doc) and a non-empty str label, or spaCy Span objects of that doc."
    )
    E501 = (
        "Span source {source!r} raised {exc_type} on doc {doc}: {exc}\n  doc: {preview}\n"
        "Fix the source, or pass fault_tolerant=True to count such errors and leave the "
        "doc without spans from this source."
    )
    E502 = (
        "{what} is not a span source. Pass a weaklabel span source (span_function, "
        "regex_spans, gazetteer_source, lexicon_spans, SpacyNERSource, doc_function), a "
        "skweak annotator, or a callable Doc -> Doc with a `.name` that writes "
        "doc.spans[name]."
    )
    E504 = (
        "Source {source!r} ran on doc {doc} but did not write doc.spans[{source!r}]. A "
        "Doc -> Doc callable must store its spans under its own name (as skweak annotators "
        "do); wrap a function that returns spans with @span_function() instead."
    )
    E505 = (
        "Doc {doc} has no doc.spans[{name!r}]; its span groups are {keys}. Apply the "
        "source first (apply_spans([...], docs)) or check the source name."
    )
    E506 = (
        "Span sources run on spaCy Doc objects; item {index} is a {kind}. Build Docs with "
        "nlp.pipe(texts) or Doc(nlp.vocab, words=tokens) (nlp = spacy.blank('en') needs "
        "no download)."
    )

    # --- BIO tags and token matrices -------------------------------------------------------
    E510 = (
        "Unknown tag {tag!r} at token {token} of doc {doc}{where}. Tags are 'O' or "
        "'B-X'/'I-X' with X among the entity types {types}; pass entity_types=[...] to "
        "include more."
    )
    E511 = (
        "Doc {doc} has {n_tokens} tokens but {n_tags} {what} were given for it; give one per token."
    )
    E512 = (
        "Invalid entity types {types}: {problem}. Entity types are distinct, non-empty "
        "strings other than 'O' (e.g. ['Chemical', 'Disease'])."
    )
    E513 = (
        "The weak labels of doc {doc} have shape {shape}; expected ({n_tokens}, "
        "{n_sources}): one row per token and one column per source."
    )
    E514 = (
        "The weak labels of doc {doc} hold the tag id {value}, outside 0 .. {max_id} (the "
        "ids of {tag_names})."
    )
    E515 = "Got {n_docs} docs but {n_values} {what}; give exactly one per doc."
    E516 = (
        "The probabilities of doc {doc} have shape {shape}; expected ({n_tokens}, {n_tags}): "
        "one row per token and one column per tag of {tag_names}."
    )
    E519 = (
        "Tag ids need tag names to be turned into spans: pass tag_names=[...] (e.g. "
        "TokenMatrix.tag_names) or give tags as strings."
    )

    # --- BIO tag sets (the tag space of the sequence models) ---------------------------
    E600 = (
        "A sequence tag set needs the tag 'O' and at least one entity type as 'B-X' and "
        "'I-X' (BIO scheme); got {tags}."
    )
    E602 = (
        "Tag {tag!r} is not in the BIO scheme: tags are 'O', 'B-<type>' or 'I-<type>'. "
        "Convert IO/BILUO tags to BIO first."
    )
    E603 = (
        "Entity type {etype!r} has {present} but not {missing}: every type needs both its "
        "'B-' and its 'I-' tag."
    )
    E618 = "Unknown gold tag {tag!r} in sentence {index}; the tag set is {tags}."

    # --- warnings ----------------------------------------------------------------------
    W001 = (
        "Some sources failed on some rows, which were counted as {outcome} ({summary}). See "
        "{matrix}.fault_counts; rerun with fault_tolerant=False to see the error (for an LLM "
        "source: failed requests, see its report and on_error=). Those columns are not cached."
    )
    W003 = (
        "Damaged cache entries were recomputed ({count}): {details}. The cache checks the "
        "checksum, dtype, shape and values of every entry it reads; nothing damaged is used."
    )
    W004 = (
        "{count} of {n} rows have no text in column {column!r} (empty, whitespace only, "
        "NaN or None): they count as missing, and {who} abstained on them. Fill or drop "
        "those rows to silence this warning."
    )
    W005 = (
        "{count} span(s) have labels outside the label space {names} and are left out of "
        "the token matrix: {details}.{hint} Pass label_map= to the source to rename "
        "(or, with None, drop) such labels, or add them to label_names."
    )


CATALOGUES: dict[str, str] = {
    "weaklabel.errors": (
        "Core: labels, label and token matrices, BIO tags, sources and span sources, apply, "
        "arguments"
    ),
    "weaklabel.sources._errors": "Sources: gazetteers",
    "weaklabel.analysis._errors": "Analysis and plots",
    "weaklabel.models._errors": "Label models",
    "weaklabel.models.sequence._errors": "Sequence label models",
    "weaklabel.datasets._errors": "Datasets and files",
    "weaklabel.augment._errors": "Augmentation",
    "weaklabel.review._errors": "Review: selection, label issues, agreement",
    "weaklabel.export._errors": "Export: task files and annotation tools",
    "weaklabel.prepare._errors": "Corpus preparation",
    "weaklabel.flow._errors": "Flow configuration (weaklabel run)",
    "weaklabel.llm._errors": "LLM client: requests, retries, replies and the response cache",
}
"""Every message catalogue: module -> what its messages are about (each has an ``Errors``)."""

RETIRED: dict[str, str] = {
    # an invalid argument: "{owner}: {param} must be {expected}; got {value!r}." had a code
    # per stage
    "E109": "E060",
    "E241": "E060",
    "E247": "E060",
    "E250": "E060",
    "E620": "E060",
    "E701": "E060",
    "E720": "E060",
    "E730": "E060",
    "E755": "E060",
    "E766": "E060",
    "E770": "E060",
    "E780": "E060",
    # a missing optional dependency
    "E050": "E070",
    "E350": "E070",
    "E507": "E070",
    "E580": "E070",
    "E593": "E070",
    # a fault-tolerant apply counted errors of sources
    "W002": "W001",
    "W500": "W001",
    # "X must be unique"
    "E024": "E011",
    "E601": "E011",
    # one fit check and one model file for both model families
    "E615": "E101",
    "E622": "E100",
    "E630": "E130",
    "E631": "E131",
    "E632": "E132",
    "E633": "E134",
    "E634": "E135",
    # the same message twice
    "E107": "E062",
    "E110": "E061",
    "E248": "E062",
    "E503": "E033",
    "E508": "E037",
    "E509": "E038",
    "E517": "E023",
    "E518": "E026",
    "E540": "E521",
    "E621": "E061",
    "E652": "E216",
    "E722": "E773",
    "E731": "E773",
}
"""Codes merged into another one: old code -> the code raised now for the same meaning."""
