"""File plumbing of the export stage: atomic, no-clobber writes (files and folders), checked reads.

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
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from weaklabel.errors import ExportError
from weaklabel.export._errors import Errors

__all__ = ["atomic_file", "atomic_folder", "load_json", "write_json", "write_text"]


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
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False, indent=1)
    return write_text(path, text + "\n", overwrite=overwrite, code="E671")


def write_text(
    path: str | os.PathLike[str], text: str, *, overwrite: bool = False, code: str = "E867"
) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (no half-written file, ever).

    Parameters
    ----------
    path : str or path-like
        The target file; its folder must exist.
    text : str
        Written as is (``\\n`` line ends).
    overwrite : bool, default False
        Replace an existing file. Without it an existing file raises ``FileExistsError``.
    code : str, default "E867"
        The catalogue message of that ``FileExistsError``.

    Returns
    -------
    Path
        The path written.
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(getattr(Errors, code).format(path=target))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        if overwrite:
            os.replace(tmp, target)
        else:
            _link_no_clobber(tmp, target, code)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return target


def _link_no_clobber(tmp: str, target: Path, code: str = "E671") -> None:
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise FileExistsError(getattr(Errors, code).format(path=target)) from None
    except OSError:  # a file system without hard links: check, then rename
        if target.exists():
            raise FileExistsError(getattr(Errors, code).format(path=target)) from None
        os.replace(tmp, target)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """A temporary file beside ``path`` to write to; it takes ``path``'s name on success.

    For writers that need a file name (pandas, pyarrow, spaCy). On an exception the
    temporary file is removed and ``path`` is left as it was.

    Yields
    ------
    Path
        The temporary file (it does not exist yet).
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(Errors.E867.format(path=target))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        if overwrite:
            os.replace(tmp, target)
        else:
            _link_no_clobber(tmp, target, "E867")
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """A temporary folder beside ``path`` to fill; it takes ``path``'s name on success.

    An existing ``path`` (file or folder) is refused unless ``overwrite``; then it is moved
    aside, the new folder moved in, and the old one deleted, so ``path`` is never half
    written. On an exception the temporary folder is deleted and ``path`` left as it was.

    Yields
    ------
    Path
        The temporary folder (empty).
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(Errors.E867.format(path=target))
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    old: Path | None = None
    try:
        yield tmp
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a folder of data is readable
        if target.exists():
            if not overwrite:
                raise FileExistsError(Errors.E867.format(path=target))
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=tmp.parent))
            os.replace(target, old / "x")
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, old):
            if leftover is not None and leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)


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
