"""Error messages of the sources stage (codes E520-E539): gazetteers, keywords, lexicons.

Use this catalogue when raising from ``weaklabel.sources``. It extends the core catalogue
(:class:`weaklabel.errors.Errors`), which holds the messages of labeling functions and span
sources themselves (E030-E043, E500-E506), so every source module raises through this one
class. Every message names the source, the file and line or the record, and says how to fix
the problem.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors

__all__ = ["Errors"]


class Errors(CoreErrors):
    """The catalogue of source messages (format them with ``.format(**fields)``)."""

    # --- gazetteers --------------------------------------------------------------------------
    E520 = "No gazetteer file at {path}. Check the path (JSONL or TSV, see gazetteers/README.md)."
    E522 = (
        "Unknown built-in gazetteer {name!r}; the package ships {names}. Load your own list "
        "with Gazetteer.from_file(path)."
    )
    E523 = "Gazetteer record {index}: {problem}"
    E524 = (
        "Cannot tell the format of {path}: name it *.jsonl (one JSON object per line) or "
        "*.tsv (entry<TAB>label[<TAB>alias|alias...]), or pass format='jsonl'/'tsv'."
    )
    E525 = (
        "The built-in gazetteer files are missing: looked in {places}. Reinstall weaklabel, "
        "or in a checkout run `python gazetteers/build.py`."
    )

    # --- keyword, lexicon and gazetteer inputs (E526-E539) ---------------------------------
    E526 = (
        "Source {source!r}: keywords must be strings; item {index} is {value!r} "
        "({kind}). Write numbers as text (keyword_source(['42'], ...)) or use "
        "regex_source for patterns."
    )
    E527 = (
        "Source {source!r}: label_map {problem} The source's labels are {labels}. "
        "label_map maps a label to a new name (str) or to None to drop it, e.g. "
        "label_map={{'GPE': 'LOC', 'NORP': None}}."
    )
    E528 = (
        "Cannot read the lexicon file {path}{where}: {problem}. Fix or re-create the file "
        "(CSV/TSV with a header row, JSON, or JSON Lines; optionally gzip-compressed as "
        "*.json.gz, *.jsonl.gz, *.csv.gz)."
    )

    # --- LLM and model sources (E890-E899; the LLM client's own are E880-E889) --------------
    E890 = (
        "LLM source {source!r}: the {what} must contain {placeholder}, where the text goes; "
        "got {template!r}."
    )
    E891 = (
        "LLM source {source!r}: few-shot example {index} {problem}. Give (text, label) pairs "
        "whose labels are among {labels}, or build them from gold rows with few_shot(gold)."
    )
    E892 = "LLM source {source!r}: labels must be distinct, non-empty strings; got {labels!r}."
    E893 = (
        "LLM source {source!r}: {failures} of {n} request(s) failed after their retries and "
        "were counted as abstains (first: {error}). Check the server, or pass "
        "on_error='raise' to stop at the first failure. Answered prompts are cached, so a "
        "re-run sends only the failed ones."
    )
    E894 = (
        "LLM source {source!r} stopped: {error} Pass on_error='abstain' to count failed "
        "requests as abstains instead."
    )
    E895 = (
        "Model source {source!r}: the classifier {kind} has no predict_proba, so there is no "
        "confidence to threshold. Use a probabilistic classifier, or wrap it in "
        "sklearn.calibration.CalibratedClassifierCV."
    )
    E896 = (
        "Model source {source!r}: the classifier {kind} is not fitted and no gold rows were "
        "given. Fit it first, or pass gold=(texts, labels) or a DataFrame with the columns "
        "{text_column!r} and {label_column!r}."
    )
    E897 = (
        "Model source {source!r}: the model's class {value!r} is not a label of the label "
        "space {names}. Pass label_map={{model class: label name, or None to abstain}}."
    )
    E898 = (
        "Model source {source!r}: the spaCy pipeline has no text classifier (its components "
        "are {pipes}). Add and train a 'textcat' or 'textcat_multilabel' component."
    )
    E899 = "Model source {source!r}: the gold rows {problem}."
