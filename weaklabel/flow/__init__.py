"""The whole flow from one configuration file: raw table in, fine-tuning file out.

Use :func:`run_flow` (``weaklabel run CONFIG`` from the shell) when the flow is settled and
you want it reproducible: a TOML (or YAML) file names the data, the preparation steps, the
sources (keyword, regex, lexicon and gazetteer entries written in the file, or Python
objects by import path), the label model, the augmentation and the outputs.
:func:`load_config` checks all of it before any work -- every unknown key (with the
closest valid one), wrong type, missing file and unwritable output is a
:class:`~weaklabel.errors.ConfigError` naming the key (``sources[2].keywords``) or the
path. The format is documented key by key in ``docs/guide/run.md`` and in
:data:`weaklabel.flow.schema.SCHEMA`.
"""

from __future__ import annotations

from weaklabel.flow.config import FlowConfig, load_config, read_config
from weaklabel.flow.runner import FlowResult, run_flow
from weaklabel.flow.schema import SCHEMA, check_config

__all__ = [
    "SCHEMA",
    "FlowConfig",
    "FlowResult",
    "check_config",
    "load_config",
    "read_config",
    "run_flow",
]
