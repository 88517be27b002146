"""Output files written safely: folders checked before the work, files replaced atomically.

Use it wherever weaklabel writes files a user asked for (the command line, the demo): a
folder of outputs is checked before any work runs (created if missing, not a file, writable,
no file replaced unless asked), and every file is written to a temporary file beside the
target and then moved into place, so a crash never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from weaklabel.errors import Errors, ParameterError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["check_output_folder", "check_writable", "write_atomically", "write_table"]


def check_output_folder(
    out: str | os.PathLike[str],
    *,
    names: Sequence[str],
    inputs: Sequence[str] = (),
    force: bool,
    what: str = "the command",
) -> Path:
    """Check (and create) the folder a command writes several files into, before the work.

    Parameters
    ----------
    out : str
        The folder given on the command line; created, with its parents, if missing.
    names : sequence of str
        The file names the command will write into it.
    inputs : sequence of str, default ()
        The input paths of the command; none of the outputs may be one of them.
    force : bool
        Whether files of those names already in the folder may be replaced.
    what : str, default "the command"
        Who writes there, for the message when ``out`` is a file (e.g. ``"the demo"``).

    Returns
    -------
    pathlib.Path
        The checked, existing, writable folder.
    """
    out = str(out)
    if not out.strip():
        raise ParameterError(Errors.E404.format(path=out, reason="the path is empty"))
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ParameterError(Errors.E411.format(path=out, what=what))
    for parent in folder.parents:
        if parent.exists() and not parent.is_dir():
            raise ParameterError(
                Errors.E404.format(path=out, reason=f"{str(parent)!r} is a file, not a folder")
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = f"the folder cannot be created ({exc.strerror or exc})"
        raise ParameterError(Errors.E404.format(path=out, reason=reason)) from exc
    targets = [folder / name for name in names]
    for target in targets:
        for given in inputs:
            if Path(given).exists() and target.exists() and target.samefile(given):
                raise ParameterError(Errors.E401.format(out=str(target)))
    existing = [t.name for t in targets if t.exists()]
    if existing and not force:
        raise ParameterError(Errors.E412.format(path=out, files=", ".join(existing)))
    check_writable(folder, out)
    return folder


def check_writable(folder: Path, out: str) -> None:
    """Refuse ``out`` when its folder takes no new file (read-only, no permission, full)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".weaklabel-probe-", dir=folder)
    except OSError as exc:
        reason = f"its folder is not writable ({exc.strerror or exc})"
        raise ParameterError(Errors.E404.format(path=out, reason=reason)) from exc
    os.close(fd)
    os.unlink(probe)


def write_atomically(target: Path, write: Callable[[str], None]) -> None:
    """Call ``write(tmp_path)`` on a temporary file beside ``target``, then move it into place.

    The file gets the mode a new file would get (``0o666`` less the umask), or the mode of
    the file it replaces, not the private ``0o600`` of the temporary file.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _mode_for(target: Path) -> int:
    """The permission bits ``target`` should get: those it has, or the umask's default."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_table(frame: pd.DataFrame, target: Path) -> None:
    """Write ``frame`` (shape (n_rows, n_columns)) in the format of ``target``'s suffix, atomically.

    ``.jsonl``/``.ndjson`` as JSON lines, ``.parquet``, ``.tsv``/``.tab`` tab-separated,
    anything else as CSV; the caller has checked the suffix.
    """
    suffix = target.suffix.lower()

    def write(tmp: str) -> None:
        if suffix in (".jsonl", ".ndjson"):
            frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
        elif suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False, sep="\t" if suffix in (".tsv", ".tab") else ",")

    write_atomically(target, write)
