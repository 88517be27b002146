"""File plumbing of the export stage: atomic, no-clobber JSON writes and checked JSON reads.

Every writer of ``weaklabel.export`` goes through :func:`write_json`: the text lands in a
temporary file next to the target, which then takes the target's name in one step, so a
reader never sees half a file; an existing file is replaced only with ``overwrite=True``
(without it the final step is a hard link, which fails if the name exists, so two writers
cannot both win).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from weaklabel.errors import ExportError
from weaklabel.export._errors import Errors

__all__ = ["load_json", "write_json"]


def write_json(path: str | os.PathLike[str], payload: Any, *, overwrite: bool = False) -> Path:
    """Write ``payload`` as UTF-8 JSON to ``path`` atomically.

    Parameters
    ----------
    path : str or path-like
        The target file; its folder must exist.
    payload : JSON-serialisable object
        NaN and infinities are refused (JSON has none).
    overwrite : bool, default False
        Replace an existing file. Without it an existing file raises ``FileExistsError``.

    Returns
    -------
    Path
        The path written.
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(Errors.E671.format(path=target))
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False, indent=1)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text + "\n")
        os.chmod(tmp, 0o644)
        if overwrite:
            os.replace(tmp, target)
        else:
            _link_no_clobber(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return target


def _link_no_clobber(tmp: str, target: Path) -> None:
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise FileExistsError(Errors.E671.format(path=target)) from None
    except OSError:  # a file system without hard links: check, then rename
        if target.exists():
            raise FileExistsError(Errors.E671.format(path=target)) from None
        os.replace(tmp, target)


def load_json(source: str | os.PathLike[str] | list[Any]) -> tuple[Any, str]:
    """The parsed content of a JSON file, or ``source`` itself when it is already parsed.

    Parameters
    ----------
    source : str, path-like or list
        A path to a ``.json`` file, or the list ``json.load`` returned.

    Returns
    -------
    (content, name)
        The parsed JSON and a name for messages (the path, or ``"the export"``).
    """
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            with path.open(encoding="utf-8") as handle:
                return json.load(handle), str(path)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ExportError(Errors.E670.format(source=path, problem=exc)) from None
    return source, "the export"
