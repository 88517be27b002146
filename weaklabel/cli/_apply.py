"""``weaklabel apply``: apply the sources of a configuration and write the label matrix."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    """Prepare the configuration's data, apply its sources, write the matrix and a summary."""
    from weaklabel.cli._io import TABLE_SUFFIXES, check_output, write_table
    from weaklabel.flow import load_config
    from weaklabel.flow.runner import apply_stage, matrix_table
    from weaklabel.prepare import prepare

    target = check_output(args.out, inputs=[args.config], force=args.force, suffixes=TABLE_SUFFIXES)
    config = load_config(args.config, only=())
    data_path = config.path.resolve().parent / config.raw["data"]["path"]
    if target.resolve() == data_path.resolve():
        from weaklabel.errors import Errors, ParameterError

        raise ParameterError(Errors.E401.format(out=args.out))
    log = lambda line: print(line, file=sys.stderr)  # noqa: E731
    prepared = prepare(
        config.data,
        text_column=config.text_column,
        id_column=config.id_column,
        steps=config.steps or [],
        log=log,
    )
    matrix = apply_stage(config, prepared.frame, progress=not args.no_progress)
    write_table(
        matrix_table(matrix, prepared.frame, prepared.id_column, config.text_column), target
    )
    votes = matrix.values != -1
    for j, name in enumerate(matrix.source_names):
        log(f"source {name}: coverage {votes[:, j].mean():.1%}")
    log(
        f"wrote {target}: {matrix.n_examples} rows, {matrix.n_sources} sources, coverage "
        f"{votes.any(axis=1).mean():.1%}"
    )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``apply`` command to the ``weaklabel`` parser."""
    cmd = sub.add_parser(
        "apply",
        help="apply the sources of a configuration and write the label matrix",
        description=(
            "Read a `weaklabel run` configuration, prepare its data, apply its sources and "
            "write the label matrix: the id, the text and one column per source holding "
            "the class name it voted (empty when it abstained). Prints each source's "
            "coverage. The configuration's outputs are not written."
        ),
    )
    cmd.add_argument("config", help="the configuration (.toml, .yaml or .yml)")
    cmd.add_argument("--out", required=True, help="the label matrix file (.csv, .jsonl, .parquet)")
    cmd.add_argument("--force", action="store_true", help="replace an existing --out")
    cmd.add_argument("--no-progress", action="store_true", help="hide progress bars")
    cmd.set_defaults(func=run)
