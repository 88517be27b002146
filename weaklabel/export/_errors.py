"""Error messages of the export stage: task files, annotation-tool exports (E670-E699) and
the writers and readers of training and fine-tuning files (E850-E879).

Use this catalogue when raising from ``weaklabel.export``. A message about a loaded export
names the task (its Label Studio id and its position in the file) and the field (a path
such as ``annotations[0].result[2].value.start``), says what is wrong and how to fix it.
It extends the core catalogue (:class:`weaklabel.errors.Errors`), so shared messages such
as ``E060`` (an invalid argument) are raised through it too.

:class:`~weaklabel.errors.ExportError` is the class these messages are raised with.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors

__all__ = ["Errors"]


class Errors(CoreErrors):
    """The catalogue of export messages (format them with ``.format(**fields)``)."""

    # --- files -------------------------------------------------------------------
    E670 = "{source} is not valid JSON: {problem}. Export it again from Label Studio."
    E671 = "{path} already exists; pass overwrite=True to replace it."
    E672 = (
        "A Label Studio export must be a JSON list of tasks (JSON) or of records "
        "(JSON_MIN); got {kind}."
    )
    E673 = (
        "{where} is neither a JSON task (an object with 'data') nor a JSON_MIN record (an "
        "object with 'annotator'){mixed}. Export the project again as JSON or JSON_MIN."
    )

    # --- fields of a loaded export -------------------------------------------------
    E674 = "{where}: '{field}' is missing. {hint}"
    E675 = "{where}: '{field}' must be {expected}; got {value!r}."
    E676 = (
        "{where}: '{field}' is {value!r}, which is not one of the labels {labels}. Pass the "
        "labels the project was created with."
    )
    E677 = (
        "{where}: '{field}' has offsets start={start}, end={end}, but a span needs "
        "0 <= start < end <= {n} (the length of the task's text)."
    )
    E678 = (
        "{where}: '{field}' is {got!r}, but the task's text at [{start}:{end}] is {want!r}. "
        "Offsets must count Unicode code points (Python string indices), as Label Studio "
        "stores them; pass check_text=False to skip this check."
    )
    E679 = (
        "{where}: row {row} is also the row of {other}. Each row needs one task; remove "
        "the duplicate task from the project."
    )
    E680 = (
        "{where}: 'predictions' holds prediction ids only (Label Studio's quick export). "
        "Export a snapshot (Export > Create new snapshot, or POST /api/projects/<id>/exports) "
        "to get the predictions themselves."
    )
    E681 = (
        "{where}: annotator {annotator!r} answered row {row} twice (also in {other}). Keep "
        "one annotation per annotator and task, or read one annotator with annotator=..."
    )
    E682 = (
        "{where}: row {row} does not fit n_rows={n_rows}. Pass the number of rows of the "
        "data the tasks were written from."
    )
    E683 = (
        "{where}: '{field}' has {n} choices {value!r}; a single-label classification "
        "needs exactly one."
    )

    # --- writers -------------------------------------------------------------------
    E690 = "{what} has {got} items but there are {n} texts; give one per text."
    E691 = (
        "Text {index}: span {span!r} {problem}. Spans are (start_char, end_char, label) with "
        "0 <= start_char < end_char <= len(text), or (start_char, end_char, label, score)."
    )
    E692 = (
        "{name} {value!r} is also the name of another field of the task ({others}); pick "
        "another name (JSON_MIN puts data fields and answers side by side)."
    )
    E693 = "Text {index} must be a string; got {value!r}."
    E694 = (
        "Text {index}: {what} {value!r} is not a label of the project ({labels}). Add it "
        "to labels, or drop it."
    )
    E695 = (
        "Task {index}: score {value!r} must be a finite number (Label Studio sorts tasks by "
        "it); pass None for no score."
    )
    E696 = "Task {index} cannot be written as JSON: {problem}."
    E697 = (
        "Doc {index}: {problem}. Give docs whose span group {key!r} holds the spans to "
        "send, or pass spans= explicitly."
    )

    # --- labels frames: the exporters of fine-tuning and training files (E850-E879) ----
    E850 = "{where}: the frame has no column {column!r} (its columns: {columns}). {hint}"
    E851 = "{where}: row {row}: {field} must be {expected}; got {value!r}."
    E852 = (
        "{where}: row {row}: span {span!r} {problem}. A span is (start, end, label) or "
        "(start, end, label, score): character offsets with 0 <= start < end <= len(text), "
        "a non-empty label and a finite score."
    )
    E853 = (
        "{where}: row {row}: label {label!r} is not one of the labels {labels}. Pass "
        "label_names with every label, or fix the row."
    )
    E854 = (
        "{where}: row {row}: the probabilities {columns} must be finite numbers in [0, 1]; "
        "got {value!r}."
    )
    E855 = (
        "{where}: the {which} template {template!r} {problem}. Templates are str.format "
        "strings whose fields are {fields}."
    )
    E856 = (
        "{where}: explanations must map every label to its own non-empty text ({problem}). "
        "Give a dict {{label: explanation}} with one distinct explanation per label."
    )
    E857 = (
        "{where}: row {row} has no answer ({answer} is missing or empty), and a fine-tuning "
        "example needs a non-empty assistant turn. Drop such rows first, or pass "
        "drop_unlabeled=True."
    )
    E858 = "{path}, line {line}: {problem}"
    E859 = (
        "{path}, line {line}: the {which} text {value!r} does not match the template "
        "{template!r}. Read the file with the templates it was written with."
    )
    E860 = "{path} is not {what}: {problem}."
    E861 = (
        "{where}: row {row}: span {span!r} does not start and end on token boundaries of "
        "the given nlp's tokenizer. Pass nlp=None to cut tokens at span boundaries."
    )
    E862 = (
        "{where}: row {row}: spans {first!r} and {second!r} overlap, but CoNLL BIO holds one "
        "tag per token. Drop one of them, or export a DocBin (span groups allow overlaps)."
    )
    E863 = (
        "{where}: row {row}: span {span!r} starts or ends with whitespace, which CoNLL "
        "(tokens split at whitespace) cannot hold. Trim the span to its words."
    )
    E864 = "Unknown export format {value!r}; choose one of {formats}."
    E865 = "{path} cannot be read: {problem}."
    E866 = (
        "{where}: {option} needs the probability columns {prefix}<label> (one per label), "
        "but the frame has none."
    )
    E867 = "{path} already exists; pass overwrite=True (or --force) to replace it."
    E868 = (
        "{where}: the {name} split would be empty ({n} rows, sizes {sizes}). Give more rows "
        "or larger fractions."
    )
    E869 = "Cannot write {path!r} as {format}: give --out {expected}."
