"""Run BLAS single-threaded inside label-model fitting and prediction.

The products label models compute are tall and thin (n_examples x n_sources, reduced over
the examples): bound by memory bandwidth, they gain little from BLAS threads. But
multi-threaded OpenBLAS slows down 10-40x when its threads compete with other work for
the cores (measured on a 2-core machine: a 1M x 100 fit took 0.5 s single-threaded and
10-20 s with two busy-waiting BLAS threads beside another process). One thread is
predictable; the limit applies only inside weaklabel's calls and is restored after.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Limit BLAS to one thread for the duration of the block (no-op without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a core dependency
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield
