"""Error messages of the dataset loaders (codes E200-E299, E540-E549, E650-E659).

Use this catalogue when raising from ``weaklabel.datasets``: every message names the file
(and the row, when there is one), says what is wrong and how to fix it. It extends the
core catalogue (:class:`weaklabel.errors.Errors`), so core messages such as ``E062`` (a
bad seed) or ``E521`` (a bad line of a file) are raised through it too.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors


class Errors(CoreErrors):
    """The catalogue of dataset messages (format them with ``.format(**fields)``)."""

    E200 = (
        "No WRENCH dataset folder at {path}. Pass the folder that holds label.json and "
        "{{train,valid,test}}.json[.gz], e.g. '.../wrench/classification/sms'."
    )
    E201 = "Unknown split {split!r}; WRENCH folders have the splits {options}."
    E202 = (
        "{folder} has no {split} split: expected {split}.json or {split}.json.gz there. "
        "Check the folder and the split name."
    )
    E203 = "{file} is not valid JSON{where}: {problem}. Re-download or re-export the file."
    E204 = (
        "{file} must hold one JSON object mapping row ids to rows "
        '({{"<id>": {{"data": ..., "label": ..., "weak_labels": [...]}}}}); got {kind}.'
    )
    E205 = "{file}, row {row!r}: the row is {kind}, not an object with 'data' and 'weak_labels'."
    E206 = (
        "{file}, row {row!r}: no 'weak_labels'. Every row needs one vote per labeling "
        "function (-1 = abstain)."
    )
    E207 = (
        "{file}, row {row!r}: 'weak_labels' must be a list of integers (-1 = abstain); "
        "got {value!r}."
    )
    E208 = (
        "{file}, row {row!r}: {got} weak labels, but the first row ({first!r}) has "
        "{expected}. Every row needs one vote per labeling function."
    )
    E209 = (
        "{file}, row {row!r}: weak label {value} of labeling function {lf!r} is not a class "
        "of {labels_file} ({names}); use ids 0 .. {k_max}, or -1 for abstain."
    )
    E210 = (
        "{file}, row {row!r}: gold label {value!r} is not a class of {labels_file} "
        "({names}). Use an id 0 .. {k_max}, or null for an unlabelled row."
    )
    E211 = "{file}, row {row!r}: {problem}"
    E212 = "{file} holds no rows; a WRENCH split needs at least one."
    E213 = (
        "{file} is missing: a WRENCH folder needs label.json mapping class ids to names, "
        'e.g. {{"0": "HAM", "1": "SPAM"}}.'
    )
    E214 = "{file} is not a valid label map: {problem}"
    E215 = (
        "{file}: 'lf' lists {n_names} labeling-function names but the rows have {n_lfs} weak "
        "labels. Fix the names or remove them."
    )
    E216 = "Cannot read {file}: {problem}"
    E217 = (
        "{file}, row {row!r}: 'data' has neither a 'text' string nor a 'feature' list. Text "
        'sets give {{"text": "..."}}, tabular sets such as census give {{"feature": '
        "[numbers]}}; a row may give both."
    )
    E218 = (
        "{file}, row {row!r}: 'feature' must be a non-empty list of finite numbers; "
        "{problem}. Encode categorical values as numbers and fill in missing values "
        "(null, NaN, Infinity) before loading."
    )
    E219 = (
        "{file}, row {row!r}: {got} features, but row {first!r} has {expected}. Every row "
        "of a tabular set needs the same number of features."
    )

    # --- damaged files, CoNLL gold (weaklabel.datasets.conll, .wrench) ---------------
    E220 = (
        "{file}, line {line}, column {column}: byte {byte!r} is not valid {encoding}. Pass "
        "the file's encoding, e.g. read_conll(path, encoding='latin-1') (older corpora such "
        "as CoNLL-2003's German files are latin-1), or re-save the file as UTF-8."
    )
    E221 = (
        "{file} is a truncated or damaged gzip file ({problem}). Re-download or "
        "re-compress it; nothing was read from it."
    )
    E222 = (
        "{file}, line {line}: the last column holds {tag!r}, which is not a tag ('O', or "
        "B-, I-, E-, S-, L- or U- followed by an entity type). Fix the line, or pass "
        "check_tags=False if the last column of this file is not an entity tag."
    )
    E223 = (
        "encoding={encoding!r} is not an encoding Python knows. Pass a codec name such as "
        "'utf-8' or 'latin-1'."
    )
    E224 = (
        "Doc {doc} carries no CoNLL gold spans (doc.user_data[{key!r}]): only docs made by "
        "conll_to_docs have them. Score against a span group or doc.ents (gold='ents') "
        "instead, or make the docs with conll_to_docs."
    )
    E225 = (
        "Doc {doc}: doc.user_data[{key!r}] must be a list of (start, end, label) token "
        "spans with 0 <= start < end <= {n}; got {value!r}. Rebuild the docs with "
        "conll_to_docs."
    )
    E226 = (
        "{file}, row {row!r}: no 'label'. Every WRENCH row gives its gold class id, or "
        "null when the gold label is unknown."
    )
    E227 = (
        "{folder} holds both {split}.json and {split}.json.gz, with different contents "
        "({newer} is newer); reading one would silently ignore the other. Delete or move "
        "the stale one."
    )
    E228 = (
        "{path} already exists (or is a folder); write_conll replaces a file only with "
        "overwrite=True. Pass it, or choose another path."
    )
    E229 = "Cannot write {path}: the folder {folder} does not exist. Create it first."
    E253 = (
        "{file}: the key {key!r} appears twice in one JSON object (a row id given twice, "
        "say); JSON readers keep only the last, so the other would be lost without a "
        "word. Remove or rename the duplicate."
    )
    E254 = (
        "{file}: the rows have empty 'weak_labels' lists, so there is no labeling "
        "function to learn from. Every row needs one vote per labeling function "
        "(-1 = abstain)."
    )

    # --- synthetic label matrices (weaklabel.datasets.synthetic) --------------------
    E240 = (
        "Cannot split a synthetic matrix of {n} rows after row {value!r}: the first part "
        "needs 1 to {n} - 1 rows."
    )
    E242 = (
        "{name} must be a number or a (low, high) pair with 0 < low <= high <= 1; got "
        "{value!r}. A pair draws each source's value uniformly from the range."
    )
    E243 = (
        "class_balance={value!r}: {problem}. Pass None (balanced), the minority class's "
        "share, or one share per class."
    )
    E244 = (
        "polarity must be 'both', 'one-sided' or the share of one-sided sources (a number "
        "in [0, 1]); got {value!r}."
    )
    E245 = (
        "n_examples={n} is smaller than cardinality={k}: every class needs at least one "
        "row. Ask for more rows or fewer classes."
    )
    E246 = (
        "n_copies={n_copies} + n_coin_flip={n_coin_flip} + n_adversarial={n_adversarial} "
        "leave no regular source among n_sources={m}; raise n_sources or lower the counts."
    )
    E249 = (
        "cardinality={value} is too large: class ids are stored as int8 next to -1 "
        "(abstain), so at most {limit} classes."
    )
    E251 = "size must be 'full' or 'small'; got {value!r}."
    E252 = (
        "hardness must be a number from 0 (errors independent given the class) to 10; got "
        "{value!r}."
    )

    # --- CoNLL files (weaklabel.datasets.conll) ---------------------------------------
    E541 = (
        "Token {token!r} (token {index} of doc {doc}) contains whitespace, which the CoNLL "
        "format cannot hold. Retokenize, or replace the whitespace (e.g. with '_')."
    )
    E542 = "No CoNLL file at {path}."

    # --- WRENCH sequence files (weaklabel.datasets.wrench_seq) ------------------------
    E650 = (
        "No WRENCH sequence dataset folder at {path}. Pass the folder that holds meta.json "
        "and {{train,valid,test}}.json[.gz], e.g. '.../wrench/seq_tagging/bc5cdr'."
    )
    E651 = (
        "{file} is missing: a WRENCH sequence folder needs meta.json with 'lf' (labeling "
        "function names) and 'entity_types'."
    )
    E653 = "sources must be 'wrench' (meta.json's lf_rec), 'all' or a list of names; got {value!r}."
    E654 = "{file}: unknown source {name!r}; the labeling functions are {names}."
    E655 = "{file}, sentence {row!r}: {problem}"
    E656 = (
        "{file}, sentence {row!r}, token {token}: tag {tag!r} is not in the tag set {tags} "
        "(built from meta.json's entity_types)."
    )
