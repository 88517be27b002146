"""A per-source cache of label-matrix columns, checked on every read.

Use it while iterating on sources in a notebook: re-applying after editing one source
recomputes only that source's column. A column is keyed on the source's fingerprint (its
code, constants, resources, keywords...) and a content hash of the data it reads, so an
edited source or changed data is never served from the cache (see
:mod:`weaklabel._fingerprint` for exactly what a fingerprint follows and what it cannot see).

Columns live in memory (bounded, least recently used first out, stored read-only) or,
given a directory, on disk as ``<key>.npy`` files written atomically, each with a
``<key>.checksum`` file beside it (a BLAKE2b hash of the ``.npy`` bytes), which survive
restarts.

Nothing damaged is ever served. Every read checks, in order: the file loads as a NumPy
array, its checksum matches, and the caller's ``check`` accepts it (the appliers check the
dtype, shape and value range against the label space). An entry that fails is deleted and
counted as a miss; :meth:`SourceCache.lookup` says why, so that the applier recomputes the
column and warns once (W003), naming the file and the source.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import numpy as np

from weaklabel.errors import Errors, ParameterError

__all__ = [
    "CacheLike",
    "Check",
    "SourceCache",
    "check_label_column",
    "check_packed_spans",
    "check_span_labels",
    "default_cache",
    "resolve_cache",
]

Check = Callable[[np.ndarray], str | None]
"""A validator of a cached array: returns what is wrong with it, or None when it is fine."""

_CHECKSUM = ".checksum"


def _file_digest(data: bytes) -> str:
    return "blake2b-256:" + hashlib.blake2b(data, digest_size=32).hexdigest()


def check_label_column(n: int, k: int | None) -> Check:
    """The check of one cached label column: integer dtype, shape ``(n,)``, ids in range.

    Parameters
    ----------
    n : int
        Number of examples the column must label.
    k : int or None
        Number of classes when label names are known: ids must be ``-1 .. k-1``.
        Without them ids must be ``>= -1``.

    Returns
    -------
    callable
        ``check(column) -> problem or None``.
    """

    def check(column: np.ndarray) -> str | None:
        if column.dtype == bool or not np.issubdtype(column.dtype, np.integer):
            return f"it holds {column.dtype} values, not integer class ids"
        if column.shape != (n,):
            return f"it has shape {column.shape}, not ({n},)"
        if n:
            low, high = int(column.min()), int(column.max())
            if low < -1:
                return f"it holds the id {low}; class ids are -1 (abstain) or >= 0"
            if k is not None and high >= k:
                return f"it holds the id {high}, outside the {k} classes of the label space"
        return None

    return check


def check_span_labels(labels: np.ndarray) -> str | None:
    """The check of the cached span labels of one source: a 1-D array of non-empty str.

    Parameters
    ----------
    labels : ndarray of shape (n_labels,)

    Returns
    -------
    str or None
        What is wrong, or None.
    """
    if labels.ndim != 1 or labels.dtype.kind != "U":
        return f"it holds {labels.dtype} of shape {labels.shape}, not a list of span labels"
    if any(not str(label) for label in labels.tolist()):
        return "it holds an empty span label"
    return None


def check_packed_spans(lengths: np.ndarray, n_labels: int) -> Check:
    """The check of the cached spans of one source: rows ``[doc, start, end, label id]``.

    Parameters
    ----------
    lengths : ndarray of shape (n_docs,)
        Tokens per doc: every span must lie inside its doc.
    n_labels : int
        Number of span labels stored with the spans.

    Returns
    -------
    callable
        ``check(packed) -> problem or None`` for an int array of shape (n_spans, 4).
    """

    def check(packed: np.ndarray) -> str | None:
        if packed.dtype == bool or not np.issubdtype(packed.dtype, np.integer):
            return f"it holds {packed.dtype} values, not integer span offsets"
        if packed.ndim != 2 or packed.shape[1] != 4:
            return f"it has shape {packed.shape}, not (n_spans, 4)"
        if not len(packed):
            return None
        doc, start, end, label = (packed[:, i] for i in range(4))
        if doc.min() < 0 or doc.max() >= len(lengths):
            return f"it names docs outside 0 .. {len(lengths) - 1}"
        if label.min() < 0 or label.max() >= n_labels:
            return f"it names span labels outside the {n_labels} stored"
        if (start < 0).any() or (end <= start).any() or (end > lengths[doc]).any():
            return "it holds spans outside their doc's tokens"
        return None

    return check


class SourceCache:
    """Cache of label columns keyed by (source fingerprint, data fingerprint).

    Parameters
    ----------
    directory : str or Path, optional
        Keep columns on disk here (created if needed). In memory when omitted.
    max_bytes : int, default 1 GiB
        Memory budget of an in-memory cache; the least recently used columns go first.

    Attributes
    ----------
    hits, misses : int
        Lookups served and not served since creation (a damaged entry is a miss).
    """

    def __init__(self, directory: str | Path | None = None, *, max_bytes: int = 1 << 30) -> None:
        self.directory = None if directory is None else Path(directory)
        if self.directory is not None:
            self._make_folder()
        self.max_bytes = int(max_bytes)
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def _make_folder(self) -> None:
        """Create the cache folder (again, if it was deleted) or say why it cannot be used."""
        assert self.directory is not None
        if self.directory.exists() and not self.directory.is_dir():
            raise ParameterError(
                Errors.E046.format(path=self.directory, reason="it is a file, not a folder")
            )
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ParameterError(
                Errors.E046.format(path=self.directory, reason=exc.strerror or str(exc))
            ) from None

    @staticmethod
    def key(source_fingerprint: str, data_fingerprint: str) -> str:
        """The cache key of one column."""
        return f"{source_fingerprint}-{data_fingerprint}"

    def path(self, key: str) -> Path | None:
        """The file of ``key`` in a disk cache (None for an in-memory cache)."""
        return None if self.directory is None else self.directory / f"{key}.npy"

    def where(self, key: str) -> str:
        """How ``key``'s entry is named in messages: its file, or ``memory:<key>``."""
        path = self.path(key)
        return f"memory:{key}" if path is None else str(path)

    def get(self, key: str, *, check: Check | None = None) -> np.ndarray | None:
        """The cached array (a column of shape (n_examples,)), or None.

        A damaged entry is dropped and gives None; use :meth:`lookup` to learn why.
        """
        return self.lookup(key, check=check)[0]

    def lookup(
        self, key: str, *, check: Check | None = None
    ) -> tuple[np.ndarray | None, str | None]:
        """The cached array and, when the entry was damaged, what was wrong with it.

        Parameters
        ----------
        key : str
        check : callable, optional
            ``check(array) -> problem or None``, e.g. :func:`check_label_column`.

        Returns
        -------
        array : ndarray or None
            None when the key is absent or its entry is damaged (then deleted).
        problem : str or None
            ``"<file>: <what is wrong>"`` for a damaged entry, else None.
        """
        array: np.ndarray | None = None
        problem: str | None = None
        path = self.path(key)
        if path is not None:
            if path.is_file():
                array, problem = self._read(path)
        elif key in self._memory:
            self._memory.move_to_end(key)
            array = self._memory[key]
        if array is not None and check is not None:
            problem = check(array)
        if problem is not None:
            self._drop(key)
            array = None
        if array is None:
            self.misses += 1
        else:
            self.hits += 1
        return array, None if problem is None else f"{self.where(key)}: {problem}"

    @staticmethod
    def _read(path: Path) -> tuple[np.ndarray | None, str | None]:
        """Load one ``.npy`` file and verify it against its checksum file."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            return None, f"it cannot be read ({exc})"
        if not data:
            return None, "the file is empty"
        sums = path.with_name(path.name + _CHECKSUM)
        try:
            expected = sums.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            expected = None
        try:
            array = np.load(io.BytesIO(data), allow_pickle=False)
        except Exception as exc:  # any damage: bad magic, header, truncation, pickles
            return None, f"it is not a readable .npy array ({type(exc).__name__}: {exc})"
        if not isinstance(array, np.ndarray):
            return None, "it is not a single .npy array"
        if expected is None:
            return None, f"its checksum file {sums.name} is missing or unreadable"
        if _file_digest(data) != expected:
            return None, "its content does not match its checksum (changed or cut short)"
        return array, None

    def _drop(self, key: str) -> None:
        path = self.path(key)
        if path is None:
            if key in self._memory:
                self._bytes -= self._memory.pop(key).nbytes
            return
        for target in (path, path.with_name(path.name + _CHECKSUM)):
            target.unlink(missing_ok=True)

    def put(self, key: str, column: np.ndarray) -> None:
        """Store one array (a column of shape (n_examples,)); on disk, atomically."""
        column = np.array(column, copy=True, order="C")
        path = self.path(key)
        if path is not None:
            buffer = io.BytesIO()
            np.save(buffer, column, allow_pickle=False)
            data = buffer.getvalue()
            self._make_folder()
            try:
                _write_atomically(
                    path.with_name(path.name + _CHECKSUM), _file_digest(data).encode()
                )
                _write_atomically(path, data)
            except PermissionError as exc:
                raise ParameterError(
                    Errors.E046.format(path=self.directory, reason=exc.strerror or str(exc))
                ) from None
            return
        column.flags.writeable = False  # what is served is what was stored
        if key in self._memory:
            self._bytes -= self._memory.pop(key).nbytes
        self._memory[key] = column
        self._bytes += column.nbytes
        while self._bytes > self.max_bytes and len(self._memory) > 1:
            _, dropped = self._memory.popitem(last=False)
            self._bytes -= dropped.nbytes

    def clear(self) -> None:
        """Forget every cached column."""
        self._memory.clear()
        self._bytes = 0
        if self.directory is not None:
            for pattern in ("*.npy", f"*.npy{_CHECKSUM}"):
                for path in self.directory.glob(pattern):
                    path.unlink()

    def __len__(self) -> int:
        if self.directory is not None:
            return sum(1 for _ in self.directory.glob("*.npy"))
        return len(self._memory)

    def __repr__(self) -> str:
        where = str(self.directory) if self.directory else "memory"
        return f"SourceCache({where}, columns={len(self)}, hits={self.hits}, misses={self.misses})"


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over ``target``."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


_DEFAULT: SourceCache | None = None


def default_cache() -> SourceCache:
    """The process-wide in-memory cache used by ``apply(..., cache=True)``."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SourceCache()
    return _DEFAULT


CacheLike = SourceCache | str | Path | bool | None
"""What the appliers' ``cache=`` accepts (see :func:`resolve_cache`)."""


def resolve_cache(cache: CacheLike) -> SourceCache | None:
    """The cache an applier's ``cache=`` argument asks for.

    Parameters
    ----------
    cache : SourceCache, str, Path, bool or None
        ``True``: the process-wide in-memory cache (:func:`default_cache`); a path: a cache
        on disk there; ``None`` or ``False``: no cache.

    Returns
    -------
    SourceCache or None
    """
    if cache is None or cache is False:
        return None
    if cache is True:
        return default_cache()
    if isinstance(cache, SourceCache):
        return cache
    return SourceCache(cache)
