"""Loading a ``weaklabel run`` configuration: everything checked and built before any work.

Use :func:`load_config` to read a TOML (or YAML) configuration: it checks every key
against :data:`weaklabel.flow.schema.SCHEMA`, resolves paths against the configuration's
folder, checks that inputs exist and that every output can be written (its folder exists
and is writable, it names no input and no other output, an existing file only with
``force=True``), builds the preparation steps, sources, label model and augmenters, and
reads the data table and checks its columns. Every problem is a
:class:`~weaklabel.errors.ConfigError` naming the key (``sources[2].keywords``) or path,
raised before a single row is labeled; :func:`weaklabel.flow.run_flow` then runs it.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weaklabel.errors import ConfigError, WeaklabelError
from weaklabel.flow._checks import resolve_input
from weaklabel.flow._errors import Errors
from weaklabel.flow._files import TABLE_SUFFIXES, read_table
from weaklabel.flow.schema import OUTPUT_KEYS, Checker, closest

if TYPE_CHECKING:
    import pandas as pd

    from weaklabel.augment.base import Augmenter
    from weaklabel.prepare.base import Step

__all__ = ["FlowConfig", "load_config", "read_config"]


@dataclass
class FlowConfig:
    """A checked configuration, its objects built and its data read.

    Attributes
    ----------
    path : Path
        The configuration file.
    raw : dict
        The parsed document.
    data : pandas.DataFrame of shape (n_raw, n_columns)
        The raw table.
    text_column : str
    id_column : str or None
        The data's id column; ``None`` numbers the raw rows (column ``id``).
    label_names : list of str
    keep_columns : list of str
    steps : list of Step or None
        The preparation steps; ``None`` when the configuration has no ``prepare``.
    sources : list
        Sources and labeling functions, in order.
    model : BaseLabelModel
        The label model, not fitted.
    keep_unlabelled : bool
    min_confidence : float
    augmenter : Augmenter or None
    augment : dict
        ``n``, ``seed`` and ``dedup`` of the ``[augment]`` section.
    outputs : dict of str to Path
        The checked output paths by key (``labels``, ``chat``, ...).
    chat_options : dict
    split_options : dict
        Options of :func:`weaklabel.export.splits.write_splits` (``format``, ``sizes``,
        ``seed``, ``near_duplicate_threshold``).
    validate : bool
    """

    path: Path
    raw: dict[str, Any]
    data: pd.DataFrame
    text_column: str
    id_column: str | None
    label_names: list[str]
    keep_columns: list[str]
    steps: list[Step] | None
    sources: list[Any]
    model: Any
    keep_unlabelled: bool = False
    min_confidence: float = 0.0
    augmenter: Augmenter | None = None
    augment: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)
    chat_options: dict[str, Any] = field(default_factory=dict)
    split_options: dict[str, Any] = field(default_factory=dict)
    validate: bool = True


def read_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Parse a TOML or YAML configuration file (not yet checked).

    Parameters
    ----------
    path : str or path-like
        A ``.toml``, ``.yaml`` or ``.yml`` file.

    Returns
    -------
    dict
    """
    config = str(path)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".toml", ".yaml", ".yml"):
        raise ConfigError(Errors.E831.format(config=config))
    if not target.is_file():
        raise ConfigError(Errors.E830.format(config=config, problem="no such file"))
    try:
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Errors.E830.format(config=config, problem=str(exc))) from None
    if suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                Errors.E830.format(config=config, problem=f"bad TOML: {exc}")
            ) from None
    if importlib.util.find_spec("yaml") is None:
        raise ConfigError(
            Errors.E070.format(
                what="A YAML configuration", packages="PyYAML", verb="is", extra="flow"
            )
            + " Or write the configuration in TOML."
        )
    import yaml  # type: ignore[import-untyped]

    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(Errors.E830.format(config=config, problem=f"bad YAML: {exc}")) from None
    return loaded if loaded is not None else {}


def load_config(
    path: str | os.PathLike[str], *, force: bool = False, only: tuple[str, ...] | None = None
) -> FlowConfig:
    """Read, check and build a ``weaklabel run`` configuration.

    Parameters
    ----------
    path : str or path-like
        The configuration (``.toml``, or ``.yaml``/``.yml`` with PyYAML).
    force : bool, default False
        Allow outputs to replace existing files.
    only : tuple of str, optional
        Check only these output keys (``weaklabel apply`` writes its own file and ignores
        the configuration's outputs); ``None`` checks them all.

    Returns
    -------
    FlowConfig

    Raises
    ------
    ConfigError
        Naming the key or the path of the first problem.
    """
    from weaklabel.flow.build import build_augmenter, build_model, build_sources, build_steps
    from weaklabel.flow.schema import check_config

    config = str(path)
    raw = read_config(path)
    check_config(raw, config)
    check = Checker(config)
    folder = Path(path).resolve().parent
    data = raw["data"]
    data_path = resolve_input(check, folder, data["path"], "data.path")
    inputs = [data_path]
    steps = build_steps(check, raw["prepare"]) if "prepare" in raw else None
    names = list(data["label_names"])
    sources = build_sources(check, raw["sources"], names, folder, inputs)
    taken = {data.get("id_column", "id"), data.get("text_column", "text")}
    for i, source in enumerate(sources):
        name = getattr(source, "name", getattr(source, "__name__", ""))
        if name in taken:
            problem = (
                f"the source name {name!r} is a column of the label matrix (the id and the "
                "text); give the source another name = '...'."
            )
            raise ConfigError(check.text(Errors.E836, key=f"sources[{i}]", problem=problem))
    model_section = raw.get("model", {})
    model = build_model(check, model_section, len(names))
    augment = dict(raw.get("augment", {}))
    augmenter = build_augmenter(check, augment) if augment else None
    out_section = raw["outputs"]
    wanted = OUTPUT_KEYS if only is None else only
    outputs = _outputs(check, folder, out_section, wanted, inputs, force)
    chat_options = dict(out_section.get("chat_options", {}))
    if "chat" in outputs:
        _check_chat_options(check, chat_options, list(data["label_names"]))
    split_options = dict(out_section.get("split_options", {}))
    if "splits" in outputs:
        _check_split_format(check, split_options)
    frame = _read_data(check, data_path, data)
    return FlowConfig(
        path=Path(path),
        raw=raw,
        data=frame,
        text_column=data.get("text_column", "text"),
        id_column=data.get("id_column"),
        label_names=names,
        keep_columns=list(data.get("keep_columns", [])),
        steps=steps,
        sources=sources,
        model=model,
        keep_unlabelled=bool(model_section.get("keep_unlabelled", False)),
        min_confidence=float(model_section.get("min_confidence", 0.0)),
        augmenter=augmenter,
        augment={
            "n": augment.get("n", 1),
            "seed": augment.get("seed", 0),
            "dedup": augment.get("dedup"),
        },
        outputs=outputs,
        chat_options=chat_options,
        split_options=split_options,
        validate=bool(out_section.get("validate", True)),
    )


def _outputs(
    check: Checker,
    folder: Path,
    section: Mapping[str, Any],
    wanted: tuple[str, ...],
    inputs: list[Path],
    force: bool,
) -> dict[str, Path]:
    outputs: dict[str, Path] = {}
    for key in wanted:
        if key not in section:
            continue
        given = section[key]
        where = f"outputs.{key}"
        target = Path(given) if Path(given).is_absolute() else folder / given
        suffixes = (".jsonl",) if key == "chat" else TABLE_SUFFIXES
        if key != "splits" and target.suffix.lower() not in suffixes:
            raise ConfigError(
                check.text(
                    Errors.E842,
                    key=where,
                    path=given,
                    reason=f"its suffix must be one of {', '.join(suffixes)}",
                )
            )
        resolved = target.resolve()
        if any(resolved == p.resolve() for p in inputs):
            raise ConfigError(
                check.text(Errors.E842, key=where, path=given, reason="it is an input")
            )
        for other, path in outputs.items():
            if resolved == path.resolve():
                raise ConfigError(
                    check.text(
                        Errors.E842,
                        key=where,
                        path=given,
                        reason=f"outputs.{other} writes there too",
                    )
                )
        if key == "splits" and target.is_file():
            raise ConfigError(
                check.text(Errors.E842, key=where, path=given, reason="it is a file, not a folder")
            )
        if key != "splits" and target.is_dir():
            raise ConfigError(
                check.text(Errors.E842, key=where, path=given, reason="it is a folder")
            )
        parent = target.parent
        if not parent.is_dir():
            raise ConfigError(
                check.text(
                    Errors.E842,
                    key=where,
                    path=given,
                    reason=f"its folder {str(parent)!r} does not exist; create it",
                )
            )
        if not os.access(parent, os.W_OK | os.X_OK):
            raise ConfigError(
                check.text(
                    Errors.E842,
                    key=where,
                    path=given,
                    reason=f"its folder {str(parent)!r} is not writable",
                )
            )
        if target.exists() and not force:
            raise ConfigError(check.text(Errors.E843, key=where, path=given))
        outputs[key] = target
    return outputs


def _check_chat_options(check: Checker, options: dict[str, Any], label_names: list[str]) -> None:
    from weaklabel.export.chat import write_chat_jsonl

    params = inspect.signature(write_chat_jsonl).parameters
    reserved = ("frame", "path", "overwrite", "label_names", "text_column", "label_column")
    valid = [
        p for p in params if p not in reserved and params[p].kind == inspect.Parameter.KEYWORD_ONLY
    ]
    for key in options:
        if key not in valid:
            raise ConfigError(
                check.text(
                    Errors.E833,
                    key=f"outputs.chat_options.{key}",
                    hint=closest(key, valid),
                    valid=", ".join(valid),
                )
            )
    _try_chat_options(check, options, label_names)


def _try_chat_options(check: Checker, options: dict[str, Any], label_names: list[str]) -> None:
    """Write one example with ``options`` to a scratch file, so bad values fail now."""
    import pandas as pd

    from weaklabel.export.chat import write_chat_jsonl

    p = 1.0 / len(label_names)
    row: dict[str, object] = {"text": "an example", "label": label_names[0]}
    row.update({f"p_{name}": p for name in label_names})
    with tempfile.TemporaryDirectory() as scratch:
        try:
            write_chat_jsonl(
                pd.DataFrame([row]),
                Path(scratch) / "check.jsonl",
                label_names=label_names,
                **options,
            )
        except (WeaklabelError, TypeError, ValueError, KeyError, IndexError) as exc:
            problem = f"write_chat_jsonl refused these options: {type(exc).__name__}: {exc}"
            raise ConfigError(
                check.text(Errors.E836, key="outputs.chat_options", problem=problem)
            ) from None


def _check_split_format(check: Checker, options: dict[str, Any]) -> None:
    from weaklabel.export.splits import EXPORT_FORMATS

    fmt = options.get("format", "chat")
    if fmt not in EXPORT_FORMATS:
        formats = list(EXPORT_FORMATS)
        raise ConfigError(
            check.text(
                Errors.E835,
                key="outputs.split_options.format",
                expected=f"one of {formats}{closest(str(fmt), formats)}",
                value=fmt,
            )
        )
    sizes = options.get("sizes", [0.8, 0.1, 0.1])
    if abs(sum(sizes) - 1.0) > 1e-6:
        raise ConfigError(
            check.text(
                Errors.E835,
                key="outputs.split_options.sizes",
                expected="fractions summing to 1",
                value=sizes,
            )
        )


def _read_data(check: Checker, path: Path, data: Mapping[str, Any]) -> pd.DataFrame:
    import pandas as pd

    given = str(data["path"])
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise ConfigError(
            check.text(
                Errors.E841,
                key="data.path",
                path=given,
                problem=f"the suffix must be one of {', '.join(TABLE_SUFFIXES)}",
            )
        )
    try:
        frame = read_table(path)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        problem = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(
            check.text(Errors.E841, key="data.path", path=given, problem=problem)
        ) from None
    except Exception as exc:  # pyarrow raises its own classes on a damaged Parquet file
        if type(exc).__module__.startswith("pyarrow"):
            raise ConfigError(
                check.text(Errors.E841, key="data.path", path=given, problem=str(exc))
            ) from None
        raise
    if frame.empty:
        raise ConfigError(
            check.text(Errors.E841, key="data.path", path=given, problem="it has no rows")
        )
    columns = [str(c) for c in frame.columns]
    wanted: list[tuple[str, str]] = [("data.text_column", data.get("text_column", "text"))]
    if "id_column" in data:
        wanted.append(("data.id_column", data["id_column"]))
    wanted += [(f"data.keep_columns[{i}]", c) for i, c in enumerate(data.get("keep_columns", []))]
    for key, column in wanted:
        if column not in frame.columns:
            raise ConfigError(
                check.text(
                    Errors.E845,
                    key=key,
                    path=given,
                    column=column,
                    columns=f"{columns}{closest(column, columns)}",
                )
            )
    return frame
