"""The schema of a ``weaklabel run`` configuration, and the checks that enforce it.

Use :func:`check_config` on a parsed TOML/YAML mapping: it walks the schema and raises a
:class:`~weaklabel.errors.ConfigError` at the first problem, naming the key as a dotted path
with list positions (``sources[2].keywords``): an unknown key (with the closest valid one),
a missing one, a value of the wrong type or out of range, a label outside ``label_names``.
The schema is data (:data:`SCHEMA`, one :class:`Key` per key), so the guide's reference
table and the checks cannot drift apart. Files, outputs and Python objects are checked
afterwards by :mod:`weaklabel.flow.config`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from weaklabel.errors import ConfigError
from weaklabel.flow._errors import Errors

__all__ = [
    "AUGMENTERS",
    "MODELS",
    "SCHEMA",
    "SOURCE_TYPES",
    "Key",
    "check_config",
    "closest",
]

MODELS: dict[str, str] = {
    "label-model": "weaklabel.models.label_model:LabelModel",
    "majority": "weaklabel.models.majority:MajorityVote",
    "weighted-vote": "weaklabel.models.weighted_vote:WeightedMajorityVote",
    "dawid-skene": "weaklabel.models.dawid_skene:DawidSkene",
    "matrix-completion": "weaklabel.models.matrix_completion:MatrixCompletion",
    "triplet": "weaklabel.models.triplet:Triplet",
}
"""Label models by their name in ``[model] name = ...``."""

AUGMENTERS = ("synonym", "noise")
"""Augmenters by their name in ``[augment] augmenters = [...]``."""

SOURCE_TYPES = ("keyword", "regex", "lexicon", "gazetteer", "python")
"""The ``type =`` of a ``[[sources]]`` entry."""


@dataclass(frozen=True)
class Key:
    """One key of the configuration.

    Parameters
    ----------
    kind : str
        ``"str"``, ``"int"``, ``"float"`` (an int is accepted), ``"bool"``, ``"str_list"``
        (a list of str; a single str is accepted), ``"label"`` (a class name or id),
        ``"table"`` (a mapping), ``"str_table"`` (a mapping of str to str) or
        ``"table_list"`` (a list of mappings).
    required : bool, default False
    choices : tuple of str, optional
        The allowed values (of each item, for a list).
    low, high : float, optional
        Inclusive bounds of a number (``low_open`` makes the lower one exclusive).
    doc : str
        What the key is for (shown in messages and in the guide).
    """

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    doc: str = ""


def _bool(doc: str) -> Key:
    return Key("bool", doc=doc)


def _count(doc: str, low: int = 0) -> Key:
    return Key("int", low=low, doc=doc)


_NAME = Key("str", doc="the name in reports and in the label matrix")
_UNIT = Key("float", low=0.0, high=1.0, doc="a number in [0, 1]")

PREPARE_KEYS: dict[str, dict[str, Key]] = {
    "strip_html": {"line_breaks": _bool("<br> becomes a line break")},
    "fix_text": {
        "html_entities": _bool("decode HTML entities"),
        "normalization": Key("str", choices=("NFC", "NFKC"), doc="Unicode normal form"),
    },
    "whitespace": {"keep_newlines": _bool("keep line breaks")},
    "length": {
        k: _count(f"{k.replace('_', ' ')} (inclusive)")
        for k in ("min_chars", "max_chars", "min_words", "max_words")
    },
    "exact_duplicates": {"casefold": _bool("compare case-insensitively")},
    "near_duplicates": {
        "threshold": Key("float", low=0.0, high=1.0, low_open=True, doc="MinHash Jaccard"),
        "num_perm": _count("MinHash permutations", 1),
        "ngram": _count("shingle length", 1),
        "seed": _count("hash seed"),
    },
    "language": {
        "keep": Key("str_list", doc="ISO 639-1 codes to keep"),
        "among": Key("str_list", doc="candidate languages"),
        "min_confidence": _UNIT,
        "keep_undetected": _bool("keep texts with no letters"),
    },
}
"""The keys of each ``[[prepare]]`` step (besides ``step`` and ``name``)."""

_LABEL = Key("label", required=True, doc="the class voted, a name of data.label_names")
SOURCE_KEYS: dict[str, dict[str, Key]] = {
    "keyword": {
        "keywords": Key("str_list", required=True, doc="words or phrases"),
        "label": _LABEL,
        "case_sensitive": _bool("match case"),
        "whole_word": _bool("match whole words only"),
    },
    "regex": {
        "pattern": Key("str", required=True, doc="a regular expression"),
        "label": _LABEL,
        "case_sensitive": _bool("match case"),
    },
    "lexicon": {
        "terms": Key("str_table", doc="term = label"),
        "path": Key("str", doc="a TSV file: term<TAB>label[<TAB>weight]"),
        "min_margin": Key("float", low=0.0, doc="vote margin"),
        "min_weight": Key("float", low=0.0, doc="minimum weight"),
        "negation": Key("str", choices=("flip", "drop", "none"), doc="negated terms"),
    },
    "gazetteer": {
        "builtin": Key("str_list", doc="gazetteers that ship with weaklabel"),
        "path": Key("str", doc="a gazetteer file (.jsonl or .tsv)"),
        "entity_labels": Key("str_list", doc="only the entries of these gazetteer labels"),
        "label": _LABEL,
        "case_sensitive": _bool("match case"),
    },
    "python": {"object": Key("str", required=True, doc="'package.module:name'")},
}
"""The keys of each ``[[sources]]`` type (besides ``type`` and ``name``)."""

SCHEMA: dict[str, dict[str, Key]] = {
    "": {
        "data": Key("table", required=True, doc="the raw table"),
        "prepare": Key("table_list", doc="preparation steps, in order"),
        "sources": Key("table_list", required=True, doc="the labeling sources"),
        "model": Key("table", doc="the label model"),
        "augment": Key("table", doc="augmentation of the labelled rows"),
        "outputs": Key("table", required=True, doc="the files to write"),
    },
    "data": {
        "path": Key("str", required=True, doc="the table (.csv, .tsv, .jsonl, .parquet)"),
        "text_column": Key("str", doc="the text column (default 'text')"),
        "id_column": Key("str", doc="the id column (default: raw row numbers)"),
        "label_names": Key("str_list", required=True, doc="the class names, in id order"),
        "keep_columns": Key("str_list", doc="raw columns carried into the outputs"),
    },
    "model": {
        "name": Key("str", choices=tuple(MODELS), doc="the label model"),
        "params": Key("table", doc="constructor parameters of the model"),
        "keep_unlabelled": _bool("keep rows no source voted on"),
        "min_confidence": _UNIT,
    },
    "augment": {
        "augmenters": Key("str_list", required=True, choices=AUGMENTERS, doc="augmenters"),
        "n": _count("variants per row", 1),
        "p": Key("float", low=0.0, high=1.0, low_open=True, doc="per-word change rate"),
        "seed": _count("random seed"),
        "dedup": Key("float", low=0.0, high=1.0, low_open=True, doc="near-copy threshold"),
    },
    "outputs": {
        "prepared": Key("str", doc="the prepared table"),
        "dropped": Key("str", doc="the rows preparation dropped, with reasons"),
        "matrix": Key("str", doc="the label matrix (id, text, one column per source)"),
        "labels": Key("str", doc="the labels table with probabilities"),
        "augmented": Key("str", doc="labelled plus augmented rows"),
        "chat": Key("str", doc="chat-messages JSONL for fine-tuning"),
        "chat_options": Key("table", doc="options of write_chat_jsonl"),
        "splits": Key("str", doc="a folder: train/valid/test files split without leaks"),
        "split_options": Key("table", doc="format, sizes, seed, near_duplicate_threshold"),
        "validate": _bool("validate the chat file after writing (default true)"),
    },
}
"""Every section's keys; ``""`` is the top level."""

OUTPUT_KEYS = ("prepared", "dropped", "matrix", "labels", "augmented", "chat", "splits")

SPLIT_KEYS: dict[str, Key] = {
    "format": Key("str", doc="chat, prompt-completion, csv, parquet, hf, ..."),
    "sizes": Key("float_list", doc="train, valid and test fractions"),
    "seed": _count("random seed"),
    "near_duplicate_threshold": Key(
        "float", low=0.0, high=1.0, low_open=True, doc="near-copies stay in one split"
    ),
}
"""The keys of ``[outputs.split_options]`` (see :func:`weaklabel.export.splits.write_splits`)."""


def closest(key: str, valid: Sequence[str]) -> str:
    """``" (did you mean 'x'?)"`` for the valid key closest to ``key``, or ``""``."""
    match = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


class Checker:
    """Raises the configuration errors of one file."""

    def __init__(self, config: str) -> None:
        self.config = config

    def text(self, message: str, **fields: Any) -> str:
        """``message`` (a catalogue template) formatted with the file and ``fields``."""
        return message.format(config=self.config, **fields)

    def keys(self, table: Mapping[str, Any], spec: Mapping[str, Key], path: str) -> None:
        """Check the keys of ``table`` at ``path`` against ``spec``, then each value."""
        for key in table:
            if key not in spec:
                valid = ", ".join(spec)
                raise ConfigError(
                    self.text(
                        Errors.E833,
                        key=_join(path, str(key)),
                        hint=closest(str(key), list(spec)),
                        valid=valid,
                    )
                )
        for key, rule in spec.items():
            if key not in table:
                if rule.required:
                    raise ConfigError(self.text(Errors.E834, key=_join(path, key), what=rule.doc))
                continue
            self.value(table[key], rule, _join(path, key))
            if rule.kind == "str_list" and isinstance(table[key], str) and isinstance(table, dict):
                table[key] = [table[key]]  # one string is a list of one

    def value(self, value: Any, rule: Key, key: str) -> None:
        """Check one value against its rule."""
        expected = _EXPECTED[rule.kind]
        if rule.kind == "str_list" and isinstance(value, str):
            value = [value]
        if not _TYPE_OK[rule.kind](value):
            raise ConfigError(self.text(Errors.E835, key=key, expected=expected, value=value))
        items = value if rule.kind == "str_list" else [value]
        if rule.kind == "str_list" and not value:
            raise ConfigError(
                self.text(Errors.E835, key=key, expected="a non-empty list", value=value)
            )
        for i, item in enumerate(items):
            where = f"{key}[{i}]" if rule.kind == "str_list" else key
            if rule.kind in ("str", "str_list") and not item:
                raise ConfigError(
                    self.text(Errors.E835, key=where, expected="a non-empty str", value=item)
                )
            if rule.choices and item not in rule.choices:
                raise ConfigError(
                    self.text(
                        Errors.E835,
                        key=where,
                        expected=f"one of {list(rule.choices)}{closest(str(item), rule.choices)}",
                        value=item,
                    )
                )
        if rule.kind in ("int", "float"):
            low_bad = rule.low is not None and (
                value <= rule.low if rule.low_open else value < rule.low
            )
            if low_bad or (rule.high is not None and value > rule.high):
                lo = "(" if rule.low_open else "["
                span = (
                    f"in {lo}{rule.low}, {rule.high}]"
                    if rule.high is not None
                    else (f">= {rule.low}")
                )
                raise ConfigError(
                    self.text(Errors.E835, key=key, expected=f"a number {span}", value=value)
                )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


_TYPE_OK = {
    "str": lambda v: isinstance(v, str),
    "int": _is_int,
    "float": lambda v: _is_int(v) or isinstance(v, float),
    "bool": lambda v: isinstance(v, bool),
    "str_list": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    "label": lambda v: isinstance(v, str) or _is_int(v),
    "table": lambda v: isinstance(v, Mapping),
    "str_table": lambda v: (
        isinstance(v, Mapping)
        and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items())
    ),
    "table_list": lambda v: isinstance(v, list) and all(isinstance(i, Mapping) for i in v),
    "float_list": lambda v: (
        isinstance(v, list)
        and len(v) == 3
        and all((_is_int(i) or isinstance(i, float)) and 0 <= i <= 1 for i in v)
    ),
}
_EXPECTED = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "str_list": "a list of strings",
    "label": "a class name (string) or id (integer)",
    "table": "a table (key = value pairs)",
    "str_table": "a table of strings (term = label)",
    "table_list": "a list of tables ([[...]] entries)",
    "float_list": "three fractions in [0, 1] (train, valid, test)",
}


def check_config(raw: Any, config: str) -> None:
    """Check a parsed configuration against :data:`SCHEMA`.

    Parameters
    ----------
    raw : object
        The parsed TOML or YAML document.
    config : str
        The configuration's path, for messages.

    Raises
    ------
    ConfigError
        At the first problem, naming its key.
    """
    check = Checker(config)
    if not isinstance(raw, Mapping):
        raise ConfigError(check.text(Errors.E832, kind=type(raw).__name__))
    check.keys(raw, SCHEMA[""], "")
    for section in ("data", "model", "augment", "outputs"):
        if section in raw:
            check.keys(raw[section], SCHEMA[section], section)
    names = list(raw["data"]["label_names"])
    if len(names) < 2 or len(set(names)) != len(names):
        raise ConfigError(
            check.text(
                Errors.E835,
                key="data.label_names",
                expected="at least two distinct class names",
                value=names,
            )
        )
    for i, entry in enumerate(raw.get("prepare", [])):
        _tagged(check, entry, f"prepare[{i}]", "step", PREPARE_KEYS)
    if not raw["sources"]:
        raise ConfigError(
            check.text(Errors.E834, key="sources", what="at least one [[sources]] entry")
        )
    for i, entry in enumerate(raw["sources"]):
        _tagged(check, entry, f"sources[{i}]", "type", SOURCE_KEYS)
        _check_labels(check, entry, f"sources[{i}]", names)
    outputs = raw["outputs"]
    if "split_options" in outputs:
        check.keys(outputs["split_options"], SPLIT_KEYS, "outputs.split_options")
    if not any(k in outputs for k in OUTPUT_KEYS):
        raise ConfigError(
            check.text(Errors.E834, key="outputs", what=f"at least one of {', '.join(OUTPUT_KEYS)}")
        )
    if "augmented" in outputs and "augment" not in raw:
        raise ConfigError(
            check.text(
                Errors.E836,
                key="outputs.augmented",
                problem="there is no [augment] section; add one, or remove this output.",
            )
        )


def _tagged(
    check: Checker, entry: Mapping[str, Any], path: str, tag: str, kinds: dict[str, dict[str, Key]]
) -> None:
    if tag not in entry:
        raise ConfigError(
            check.text(Errors.E834, key=f"{path}.{tag}", what=f"one of {list(kinds)}")
        )
    kind = entry[tag]
    check.value(kind, Key("str", choices=tuple(kinds)), f"{path}.{tag}")
    spec = {tag: Key("str", required=True), "name": _NAME, **kinds[kind]}
    check.keys(entry, spec, path)
    if kind in ("lexicon", "gazetteer"):
        given = [
            k
            for k in (("terms", "path") if kind == "lexicon" else ("builtin", "path"))
            if k in entry
        ]
        if len(given) != 1:
            pair = "terms or path" if kind == "lexicon" else "builtin or path"
            raise ConfigError(
                check.text(
                    Errors.E836,
                    key=path,
                    problem=f"a {kind} source needs exactly one of {pair}; got {given or 'none'}.",
                )
            )


def _check_labels(check: Checker, entry: Mapping[str, Any], path: str, names: list[str]) -> None:
    labels: list[tuple[str, Any]] = []
    if "label" in entry:
        labels.append((f"{path}.label", entry["label"]))
    for term, label in dict(entry.get("terms", {})).items():
        labels.append((f"{path}.terms.{term}", label))
    for key, label in labels:
        if _is_int(label) and 0 <= label < len(names):
            continue
        if isinstance(label, str) and label in names:
            continue
        raise ConfigError(
            check.text(
                Errors.E836,
                key=key,
                problem=f"the label {label!r} is not a class of data.label_names {names}"
                f"{closest(str(label), names)}; use one of those names "
                f"(or ids 0..{len(names) - 1}).",
            )
        )
