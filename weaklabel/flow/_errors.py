"""The numbered messages of ``weaklabel run`` configurations (codes E830-E849).

Every message names the configuration file and the key, as a dotted path with list
positions (``sources[2].keywords``), or the path of the file it is about, so that a bad
configuration is fixed from the message alone. The catalogue extends the core one
(:class:`weaklabel.errors.Errors`); :class:`~weaklabel.errors.ConfigError` is the class
these messages are raised with.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors

__all__ = ["Errors"]


class Errors(CoreErrors):
    """The catalogue of configuration messages (format them with ``.format(**fields)``)."""

    # --- the file -------------------------------------------------------------------
    E830 = "Cannot read the configuration {config!r}: {problem}."
    E831 = (
        "The configuration {config!r} must end in .toml, .yaml or .yml (TOML is read with "
        "the standard library, YAML with PyYAML); rename it."
    )
    E832 = (
        "{config}: the configuration must be a table of sections (data, sources, "
        "outputs, ...); got {kind}."
    )

    # --- keys and values ------------------------------------------------------------
    E833 = "{config}: unknown key {key!r}{hint}. Valid keys here: {valid}."
    E834 = "{config}: key {key!r} is missing: {what}."
    E835 = "{config}: key {key!r} must be {expected}; got {value!r}."
    E836 = "{config}: key {key!r}: {problem}"

    # --- files and outputs ----------------------------------------------------------
    E840 = (
        "{config}: key {key!r}: the file {path!r} {problem} (relative paths start at "
        "the configuration's folder {folder!r})."
    )
    E841 = "{config}: key {key!r}: cannot read the table {path!r}: {problem}."
    E842 = "{config}: key {key!r}: cannot write {path!r}: {reason}."
    E843 = "{config}: key {key!r}: {path!r} already exists; pass --force to replace it."
    E844 = (
        "{config}: key {key!r}: cannot import {target!r}: {problem}. Give "
        "'package.module:name', importable from the configuration's folder or sys.path."
    )
    E845 = (
        "{config}: key {key!r}: the table {path!r} has no column {column!r}; its columns "
        "are {columns}."
    )
    E846 = (
        "{config}: key {key!r}: the chat file {path!r} failed validation ({n} problems); "
        "first: {first}"
    )
    E847 = (
        "{path}: row {row}, column {column!r}: the vote {value!r} is not a class of "
        "{names} (nor -1 or empty for an abstain). Give --labels (or the configuration) "
        "the class names the matrix was made with."
    )
    E848 = (
        "{path}: the label matrix has no source columns besides {columns}; write it with "
        "`weaklabel apply` (id, text, one column per source)."
    )
