"""A per-source cache of label-matrix columns.

Use it while iterating on sources in a notebook: re-applying after editing one source
recomputes only that source's column. A column is keyed on the source's fingerprint (its
code, constants, resources, keywords...) and a content hash of the data it reads, so an
edited source or changed data is never served from the cache.

Columns live in memory (bounded, least recently used first out) or, given a directory,
on disk as ``.npy`` files written atomically, which survive restarts.
"""

from __future__ import annotations

import os
import tempfile
from collections import OrderedDict
from pathlib import Path

import numpy as np


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
        Lookups served and not served since creation.
    """

    def __init__(self, directory: str | Path | None = None, *, max_bytes: int = 1 << 30) -> None:
        self.directory = None if directory is None else Path(directory)
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
        self.max_bytes = int(max_bytes)
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(source_fingerprint: str, data_fingerprint: str) -> str:
        """The cache key of one column."""
        return f"{source_fingerprint}-{data_fingerprint}"

    def get(self, key: str) -> np.ndarray | None:
        """The cached column of shape (n_examples,), or None."""
        column: np.ndarray | None = None
        if self.directory is not None:
            path = self.directory / f"{key}.npy"
            if path.is_file():
                column = np.load(path, allow_pickle=False)
        elif key in self._memory:
            self._memory.move_to_end(key)
            column = self._memory[key]
        if column is None:
            self.misses += 1
        else:
            self.hits += 1
        return column

    def put(self, key: str, column: np.ndarray) -> None:
        """Store one column of shape (n_examples,)."""
        column = np.ascontiguousarray(column)
        if self.directory is not None:
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".npy.tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    np.save(handle, column, allow_pickle=False)
                os.replace(tmp, self.directory / f"{key}.npy")
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            return
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
            for path in self.directory.glob("*.npy"):
                path.unlink()

    def __len__(self) -> int:
        if self.directory is not None:
            return sum(1 for _ in self.directory.glob("*.npy"))
        return len(self._memory)

    def __repr__(self) -> str:
        where = str(self.directory) if self.directory else "memory"
        return f"SourceCache({where}, columns={len(self)}, hits={self.hits}, misses={self.misses})"


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
