"""Building the objects a configuration names: steps, sources, label model, augmenter.

Internal to :func:`weaklabel.flow.load_config`, which calls these after the schema check.
Each builder turns a checked section into weaklabel objects through their public
constructors (:mod:`weaklabel.prepare`, :func:`~weaklabel.sources.keyword_source`,
:func:`~weaklabel.sources.regex_source`, :func:`~weaklabel.sources.lexicon_source`,
:class:`~weaklabel.sources.Gazetteer`, the label models, the augmenters), so a value the
constructor refuses is reported with its key (``sources[1]: [E038] ...``).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from weaklabel.errors import ConfigError
from weaklabel.flow._checks import import_object, resolve_input, wrap_errors
from weaklabel.flow._errors import Errors
from weaklabel.flow.schema import MODELS, Checker, closest

__all__ = ["build_augmenter", "build_model", "build_named_model", "build_sources", "build_steps"]

_DEPENDENCIES = {"fix_text": ("ftfy", "ftfy"), "language": ("lingua", "lingua-language-detector")}


def build_steps(check: Checker, entries: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The preparation steps of ``[[prepare]]`` entries, in order."""
    from weaklabel.prepare.corpus import STEPS

    steps = []
    for i, entry in enumerate(entries):
        key = f"prepare[{i}]"
        params = {k: v for k, v in entry.items() if k != "step"}
        name = entry["step"]
        if name in _DEPENDENCIES and importlib.util.find_spec(_DEPENDENCIES[name][0]) is None:
            package = _DEPENDENCIES[name][1]
            problem = Errors.E070.format(
                what=f"The {name} step", packages=package, verb="is", extra="prepare"
            )
            raise ConfigError(check.text(Errors.E836, key=key, problem=problem))
        steps.append(wrap_errors(check, key, partial(STEPS[name], **params)))
    names = [s.name for s in steps]
    for i, step_name in enumerate(names):
        if step_name in names[:i]:
            raise ConfigError(
                check.text(
                    Errors.E836,
                    key=f"prepare[{i}]",
                    problem=f"a second step named {step_name!r}; give it another name = '...'.",
                )
            )
    return steps


def build_sources(
    check: Checker,
    entries: Sequence[Mapping[str, Any]],
    label_names: list[str],
    folder: Path,
    inputs: list[Path],
) -> list[Any]:
    """The sources of ``[[sources]]`` entries, in order (a python entry may give several)."""
    from weaklabel.sources.base import Source

    sources: list[Any] = []
    for i, entry in enumerate(entries):
        key = f"sources[{i}]"
        kind = entry["type"]
        if kind == "python":
            obj = import_object(check, entry["object"], f"{key}.object", folder)
            items = list(obj) if isinstance(obj, (list, tuple)) else [obj]
            for j, item in enumerate(items):
                if not (isinstance(item, Source) or callable(item)) or isinstance(item, type):
                    where = f"item {j} of it" if isinstance(obj, (list, tuple)) else "it"
                    raise ConfigError(
                        check.text(
                            Errors.E836,
                            key=f"{key}.object",
                            problem=f"{entry['object']!r} is not a source: {where} is a "
                            f"{type(item).__name__}. Point at a Source, a labeling function, or a "
                            "list of them.",
                        )
                    )
            sources.extend(items)
            continue
        sources.append(wrap_errors(check, key, partial(_source, check, entry, key, folder, inputs)))
    names = [getattr(s, "name", getattr(s, "__name__", "")) for s in sources]
    for i, name in enumerate(names):
        if name and name in names[:i]:
            raise ConfigError(
                check.text(
                    Errors.E836,
                    key="sources",
                    problem=f"two sources are named {name!r}; give each a unique name = '...'.",
                )
            )
    return sources


def _source(
    check: Checker, entry: Mapping[str, Any], key: str, folder: Path, inputs: list[Path]
) -> Any:
    from weaklabel.sources.keyword import keyword_source, regex_source
    from weaklabel.sources.lexicon import Lexicon, lexicon_source

    kind = entry["type"]
    name = entry.get("name")
    case = bool(entry.get("case_sensitive", False))
    if kind == "keyword":
        keywords = entry["keywords"]
        return keyword_source(
            [keywords] if isinstance(keywords, str) else list(keywords),
            entry["label"],
            name=name,
            case_sensitive=case,
            whole_word=bool(entry.get("whole_word", True)),
        )
    if kind == "regex":
        return regex_source(entry["pattern"], entry["label"], name=name, case_sensitive=case)
    if kind == "lexicon":
        if "path" in entry:
            path = resolve_input(check, folder, entry["path"], f"{key}.path")
            inputs.append(path)
            lexicon = Lexicon.from_file(path)
        else:
            lexicon = Lexicon.from_mapping(dict(entry["terms"]))
        negation = entry.get("negation", "flip")
        return lexicon_source(
            lexicon,
            name=name or f"lexicon_{key[8:-1]}",
            min_margin=float(entry.get("min_margin", 0.0)),
            min_weight=float(entry.get("min_weight", 0.0)),
            negation=None if negation == "none" else negation,
        )
    return _gazetteer_source(check, entry, key, folder, inputs)


def _gazetteer_source(
    check: Checker, entry: Mapping[str, Any], key: str, folder: Path, inputs: list[Path]
) -> Any:
    """A document source voting ``label`` when a name of the gazetteer occurs in the text."""
    from weaklabel.sources.gazetteer import BUILTIN, Gazetteer
    from weaklabel.sources.keyword import keyword_source

    if "path" in entry:
        path = resolve_input(check, folder, entry["path"], f"{key}.path")
        inputs.append(path)
        gazetteer = Gazetteer.from_file(path)
    else:
        for j, builtin in enumerate(entry["builtin"]):
            if builtin not in BUILTIN:
                raise ConfigError(
                    check.text(
                        Errors.E835,
                        key=f"{key}.builtin[{j}]",
                        expected=f"one of {list(BUILTIN)}{closest(builtin, BUILTIN)}",
                        value=builtin,
                    )
                )
        gazetteer = Gazetteer.builtin(*entry["builtin"])
    wanted = entry.get("entity_labels")
    if wanted is not None:
        unknown = [w for w in wanted if w not in gazetteer.labels]
        if unknown:
            raise ConfigError(
                check.text(
                    Errors.E836,
                    key=f"{key}.entity_labels",
                    problem=f"the gazetteer has no label {unknown[0]!r}"
                    f"{closest(unknown[0], gazetteer.labels)}; "
                    f"its labels are {list(gazetteer.labels)}.",
                )
            )
    names = [n for n, label in gazetteer.terms() if wanted is None or label in wanted]
    default = "gazetteer_" + "_".join(entry.get("builtin", [Path(entry.get("path", "file")).stem]))
    return keyword_source(
        names,
        entry["label"],
        name=entry.get("name", default),
        case_sensitive=bool(entry.get("case_sensitive", False)),
    )


def _model_class(name: str) -> Any:
    module_name, _, class_name = MODELS[name].partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def build_named_model(name: str, cardinality: int, *, seed: int = 0) -> Any:
    """The (unfitted) label model called ``name`` in :data:`~weaklabel.flow.schema.MODELS`."""
    return _model_class(name)(cardinality=cardinality, seed=seed)


def build_model(check: Checker, section: Mapping[str, Any], cardinality: int) -> Any:
    """The (unfitted) label model of the ``[model]`` section."""
    cls = _model_class(section.get("name", "label-model"))
    params = dict(section.get("params", {}))
    valid = [p for p in inspect.signature(cls).parameters if p != "cardinality"]
    for param in params:
        if param not in valid:
            raise ConfigError(
                check.text(
                    Errors.E833,
                    key=f"model.params.{param}",
                    hint=closest(param, valid),
                    valid=", ".join(valid),
                )
            )
    return wrap_errors(check, "model.params", lambda: cls(cardinality=cardinality, **params))


def build_augmenter(check: Checker, section: Mapping[str, Any]) -> Any:
    """The augmenter of the ``[augment]`` section (one of them per variant when several)."""
    from weaklabel.augment import Noise, OneOf, Synonym

    parts = []
    for i, name in enumerate(dict.fromkeys(section["augmenters"])):
        key = f"augment.augmenters[{i}]"
        cls = Synonym if name == "synonym" else Noise
        options = {"p": section["p"]} if "p" in section else {}
        augmenter = wrap_errors(check, key, partial(cls, **options))
        # a tiny run finds a missing WordNet or package now rather than after labeling
        wrap_errors(check, key, partial(augmenter.augment, ["a good small test"], n=1, seed=0))
        parts.append(augmenter)
    return parts[0] if len(parts) == 1 else OneOf(parts)
