"""The per-source cache: what is reused, what is recomputed, LRU and atomic disk writes."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weaklabel as wl
from weaklabel import apply  # before weaklabel.appliers.* (see tests/apply/test_applier.py)
from weaklabel.appliers import cache as cache_module
from weaklabel.appliers.cache import SourceCache, check_label_column, default_cache
from weaklabel.labels import ABSTAIN
from weaklabel.sources.function import LabelingFunction

TEXTS = ["free money", "great song", "check out my channel", "meh", "free song"]


class CallCounter:
    """Counts calls. State a source changes as it runs would change its fingerprint; a
    ``fingerprint()`` method says what about the object matters (here: nothing)."""

    def __init__(self) -> None:
        self.n = 0

    def fingerprint(self) -> str:
        return "call-counter"

    def tick(self) -> None:
        self.n += 1


def _counted_lf(name: str, word: str, counter: CallCounter) -> LabelingFunction:
    def lf(x: Any) -> int:
        counter.tick()
        return 1 if word in x.text else ABSTAIN

    return wl.LabelingFunction(name, lf)


def _disk_or_memory(kind: str, tmp_path: Path) -> Callable[[], SourceCache]:
    if kind == "memory":
        shared = SourceCache()
        return lambda: shared
    return lambda: SourceCache(tmp_path / "cache")  # a new object, as after a restart


@pytest.fixture(params=["memory", "disk"])
def new_cache(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], SourceCache]:
    return _disk_or_memory(request.param, tmp_path)


def test_cache_second_apply_is_served_from_the_cache(
    new_cache: Callable[[], SourceCache],
) -> None:
    counter = CallCounter()
    sources = [_counted_lf("lf_free", "free", counter), wl.keyword_source("song", 0, name="kw")]
    first_cache = new_cache()
    first = apply(sources, TEXTS, cache=first_cache, progress=False)
    assert counter.n == len(TEXTS)
    assert len(first_cache) == 2
    second_cache = new_cache()
    second = apply(sources, TEXTS, cache=second_cache, progress=False)
    assert counter.n == len(TEXTS), "the labeling function ran again"
    assert second == first
    assert second_cache.hits >= 2


def test_cache_editing_one_source_recomputes_only_its_column(
    new_cache: Callable[[], SourceCache],
) -> None:
    edited, unedited = CallCounter(), CallCounter()
    apply(
        [_counted_lf("lf_a", "free", edited), _counted_lf("lf_b", "song", unedited)],
        TEXTS,
        cache=new_cache(),
        progress=False,
    )
    assert (edited.n, unedited.n) == (5, 5)
    L = apply(
        [_counted_lf("lf_a", "money", edited), _counted_lf("lf_b", "song", unedited)],
        TEXTS,
        cache=new_cache(),
        progress=False,
    )
    assert edited.n == 10, "the edited source must be recomputed"
    assert unedited.n == 5, "the unedited source must come from the cache"
    np.testing.assert_array_equal(L.column("lf_a"), [1, -1, -1, -1, -1])
    np.testing.assert_array_equal(L.column("lf_b"), [-1, 1, -1, -1, 1])


def test_cache_editing_a_keyword_list_recomputes(new_cache: Callable[[], SourceCache]) -> None:
    apply([wl.keyword_source(["free"], 1, name="kw")], TEXTS, cache=new_cache(), progress=False)
    L = apply(
        [wl.keyword_source(["free", "meh"], 1, name="kw")],
        TEXTS,
        cache=new_cache(),
        progress=False,
    )
    np.testing.assert_array_equal(L.values[:, 0], [1, -1, -1, 1, 1])


def test_cache_changing_the_data_invalidates(new_cache: Callable[[], SourceCache]) -> None:
    counter = CallCounter()
    lf = _counted_lf("lf", "free", counter)
    apply([lf], TEXTS, cache=new_cache(), progress=False)
    changed = [*TEXTS[:-1], "nothing here"]
    L = apply([lf], changed, cache=new_cache(), progress=False)
    assert counter.n == 2 * len(TEXTS)
    assert L.values[-1, 0] == ABSTAIN
    kw = wl.keyword_source("free", 1, name="kw")
    apply([kw], TEXTS, cache=new_cache(), progress=False)
    np.testing.assert_array_equal(
        apply([kw], changed, cache=new_cache(), progress=False).values[:, 0],
        [1, -1, -1, -1, -1],
    )


def test_cache_another_column_of_the_frame_invalidates_labeling_functions(
    new_cache: Callable[[], SourceCache],
) -> None:
    def by_author(x: Any) -> int:
        return 1 if x.author == "bot" else ABSTAIN

    frame = pd.DataFrame({"text": ["a", "b"], "author": ["bot", "ann"]})
    apply([by_author], frame, cache=new_cache(), progress=False)
    L = apply([by_author], frame.assign(author=["ann", "bot"]), cache=new_cache(), progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [-1, 1])


def test_cache_label_names_are_part_of_the_key(new_cache: Callable[[], SourceCache]) -> None:
    kw = wl.keyword_source("free", "SPAM", name="kw")
    a = apply([kw], TEXTS, label_names=["HAM", "SPAM"], cache=new_cache(), progress=False)
    b = apply([kw], TEXTS, label_names=["SPAM", "HAM"], cache=new_cache(), progress=False)
    np.testing.assert_array_equal(a.values[:, 0], [1, -1, -1, -1, 1])
    np.testing.assert_array_equal(b.values[:, 0], [0, -1, -1, -1, 0])


def test_cache_columns_with_faults_are_not_cached(new_cache: Callable[[], SourceCache]) -> None:
    counter = CallCounter()

    def fragile(x: Any) -> int:
        counter.tick()
        if x.text == "meh":
            raise RuntimeError("flaky service")
        return ABSTAIN

    cache = new_cache()
    with pytest.warns(UserWarning, match="fragile: 1"):
        apply(
            [fragile, wl.keyword_source("free", 1, name="kw")],
            TEXTS,
            cache=cache,
            fault_tolerant=True,
            progress=False,
        )
    assert len(cache) == 1  # only the keyword column
    with pytest.warns(UserWarning, match="fragile: 1"):
        L = apply([fragile], TEXTS, cache=new_cache(), fault_tolerant=True, progress=False)
    assert counter.n == 2 * len(TEXTS)
    assert L.fault_counts == {"fragile": 1}


def test_cache_true_uses_the_process_wide_cache() -> None:
    counter = CallCounter()
    lf = _counted_lf("lf_default_cache", "free", counter)
    data = [f"free text {i}" for i in range(7)]  # data no other test uses
    apply([lf], data, cache=True, progress=False)
    apply([lf], data, cache=True, progress=False)
    assert counter.n == len(data)
    assert default_cache() is default_cache()


def test_cache_path_argument_caches_on_disk(tmp_path: Path) -> None:
    counter = CallCounter()
    lf = _counted_lf("lf", "free", counter)
    apply([lf], TEXTS, cache=str(tmp_path / "c"), progress=False)
    apply([lf], TEXTS, cache=tmp_path / "c", progress=False)
    assert counter.n == len(TEXTS)
    assert len(list((tmp_path / "c").glob("*.npy"))) == 1


def test_cache_none_and_false_disable_caching() -> None:
    counter = CallCounter()
    lf = _counted_lf("lf", "free", counter)
    apply([lf], TEXTS, cache=None, progress=False)
    apply([lf], TEXTS, cache=False, progress=False)
    assert counter.n == 2 * len(TEXTS)


# ---------------------------------------------------------------- SourceCache itself
def test_cache_get_and_put_round_trip(tmp_path: Path) -> None:
    for cache in (SourceCache(), SourceCache(tmp_path)):
        column = np.array([1, -1, 0], dtype=np.int64)
        key = SourceCache.key("src", "data")
        assert cache.get(key) is None
        cache.put(key, column)
        np.testing.assert_array_equal(cache.get(key), column)
        assert (cache.hits, cache.misses) == (1, 1)
        assert "columns=1" in repr(cache)
        cache.clear()
        assert len(cache) == 0 and cache.get(key) is None


def test_cache_lru_eviction_honours_max_bytes() -> None:
    column = np.zeros(100, dtype=np.int64)  # 800 bytes
    cache = SourceCache(max_bytes=2 * column.nbytes)
    cache.put("a", column)
    cache.put("b", column)
    assert cache.get("a") is not None  # "a" is now the most recently used
    cache.put("c", column)
    assert len(cache) == 2
    assert cache.get("b") is None, "the least recently used column goes first"
    assert cache.get("a") is not None and cache.get("c") is not None
    assert cache._bytes <= cache.max_bytes


def test_cache_replacing_a_key_does_not_double_count() -> None:
    column = np.zeros(100, dtype=np.int64)
    cache = SourceCache(max_bytes=2 * column.nbytes)
    for _ in range(5):
        cache.put("a", column)
    cache.put("b", column)
    assert len(cache) == 2


def test_cache_keeps_one_column_larger_than_the_budget() -> None:
    cache = SourceCache(max_bytes=10)
    cache.put("big", np.zeros(100, dtype=np.int64))
    assert cache.get("big") is not None


def test_cache_disk_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    cache = SourceCache(tmp_path)
    apply(
        [wl.keyword_source("free", 1, name="kw"), wl.LabelingFunction("lf", lambda x: 0)],
        TEXTS,
        cache=cache,
        progress=False,
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 4, "two columns, each with its checksum file"
    assert sum(n.endswith(".npy") for n in names) == 2
    assert sum(n.endswith(".npy.checksum") for n in names) == 2
    assert not any(".tmp" in n for n in names)


def test_cache_failed_disk_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = SourceCache(tmp_path)

    def broken_save(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(cache_module.np, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        cache.put("k", np.array([1, 2]))
    assert list(tmp_path.iterdir()) == []


def test_cache_disk_write_replaces_an_existing_file_whole(tmp_path: Path) -> None:
    cache = SourceCache(tmp_path)
    cache.put("k", np.array([1, 2, 3]))
    cache.put("k", np.array([4, 5]))
    np.testing.assert_array_equal(SourceCache(tmp_path).get("k"), [4, 5])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.npy", "k.npy.checksum"]


@pytest.mark.parametrize(
    "label_names",
    [["OK", "N/A"], [f"CATEGORY_NUMBER_{i:02d}_WITH_A_LONG_NAME" for i in range(12)]],
    ids=["slash", "long"],
)
def test_cache_disk_key_survives_any_label_names(tmp_path: Path, label_names: list[str]) -> None:
    kw = wl.keyword_source("free", label_names[1], name="kw")
    L = apply([kw], TEXTS, label_names=label_names, cache=tmp_path, progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, -1, -1, -1, 1])


# ---------------------------------------------------------------- damaged cache entries
DAMAGED_TEXTS = ["free money", "great song", "free song", "meh"]


def _save(path: Path, array: np.ndarray) -> None:
    with open(path, "wb") as handle:  # np.save on an open file keeps the name as it is
        np.save(handle, array)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage bytes": lambda p: p.write_bytes(b"\x00\xffnot numpy at all" * 3),
    "empty file": lambda p: p.write_bytes(b""),
    "cut short": lambda p: p.write_bytes(p.read_bytes()[:-2]),
    "2-D array": lambda p: _save(p, np.zeros((4, 2), dtype=np.int8)),
    "float column": lambda p: _save(p, np.array([0.5, 0.5, 0.5, 0.5])),
    "wrong length": lambda p: _save(p, np.array([1, 1], dtype=np.int8)),
    "out of range": lambda p: _save(p, np.array([7, -1, 7, -1], dtype=np.int8)),
    "below abstain": lambda p: _save(p, np.array([-5, -1, 1, -1], dtype=np.int8)),
    "valid but changed": lambda p: _save(p, np.array([0, 0, 0, 0], dtype=np.int8)),
    "pickled object": lambda p: p.write_bytes(
        b"\x93NUMPY\x01\x00v\x00{'descr': '|O', 'fortran_order': False, 'shape': (4,), }"
        + b" " * 49
        + b"\n"
        + b"\x80\x04N."
    ),
    "checksum file gone": lambda p: p.with_name(p.name + ".checksum").unlink(),
    "checksum file garbage": lambda p: p.with_name(p.name + ".checksum").write_bytes(b"\xff"),
}


def _apply_cached(directory: Path) -> wl.LabelMatrix:
    kw = wl.keyword_source("free", "SPAM", name="kw_free")
    return apply([kw], DAMAGED_TEXTS, label_names=["HAM", "SPAM"], cache=directory, progress=False)


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_cache_damaged_file_is_recomputed_with_one_warning(tmp_path: Path, damage: str) -> None:
    expected = _apply_cached(tmp_path)
    (path,) = tmp_path.glob("*.npy")
    DAMAGE[damage](path)
    with pytest.warns(UserWarning, match=r"W003\]") as record:
        again = _apply_cached(tmp_path)
    assert len(record) == 1
    message = str(record[0].message)
    assert "source 'kw_free'" in message and str(path) in message
    assert again == expected
    with warnings.catch_warnings():  # repaired: the next read is clean and served
        warnings.simplefilter("error")
        cache = SourceCache(tmp_path)
        kw = wl.keyword_source("free", "SPAM", name="kw_free")
        apply([kw], DAMAGED_TEXTS, label_names=["HAM", "SPAM"], cache=cache, progress=False)
    assert (cache.hits, cache.misses) == (1, 0)


def test_cache_lookup_names_the_file_and_the_problem(tmp_path: Path) -> None:
    cache = SourceCache(tmp_path)
    cache.put("k", np.array([0.5, 0.5]))
    column, problem = cache.lookup("k", check=check_label_column(2, 2))
    assert column is None and problem is not None
    assert problem.startswith(str(tmp_path / "k.npy")) and "float64" in problem
    assert not (tmp_path / "k.npy").exists(), "a damaged entry is deleted"
    assert cache.lookup("k") == (None, None), "then it is simply absent"


def test_cache_memory_entries_are_read_only_and_checked() -> None:
    cache = SourceCache()
    column = np.array([1, -1], dtype=np.int8)
    cache.put("k", column)
    column[0] = 0  # the caller's array is copied
    served = cache.get("k")
    assert served is not None and served.tolist() == [1, -1]
    with pytest.raises(ValueError, match="read-only"):
        served[0] = 0
    assert cache.lookup("k", check=check_label_column(3, 2))[1] == (
        "memory:k: it has shape (2,), not (3,)"
    )


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    cut=st.integers(min_value=0, max_value=200),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 255)), max_size=4),
    tail=st.binary(max_size=16),
)
def test_cache_fuzz_damaged_files_never_change_the_result(
    cut: int, flips: list[tuple[int, int]], tail: bytes
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        expected = _apply_cached(directory)
        (path,) = directory.glob("*.npy")
        original = path.read_bytes()
        data = bytearray(original)
        for position, xor in flips:
            data[position % len(data)] ^= xor
        damaged = bytes(data[: max(0, len(data) - cut)]) + tail
        path.write_bytes(damaged)
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            again = _apply_cached(directory)
        assert again == expected, "a damaged entry is never served"
        w003 = [str(w.message) for w in record if "W003" in str(w.message)]
        assert len(w003) == (1 if damaged != original else 0), "said once, only when damaged"
        if w003:
            assert "source 'kw_free'" in w003[0] and str(path) in w003[0]


def test_cache_folder_that_is_a_file_is_refused_before_any_work(tmp_path: Path) -> None:
    path = tmp_path / "not_a_folder"
    path.write_text("x")
    with pytest.raises(wl.errors.ParameterError, match=r"E046\] .*not_a_folder.*is a file"):
        apply([wl.keyword_source("free", 1, name="kw")], TEXTS, cache=path, progress=False)


def test_cache_folder_deleted_while_in_use_is_made_again(tmp_path: Path) -> None:
    cache = SourceCache(tmp_path / "cache")
    (tmp_path / "cache").rmdir()
    apply([wl.keyword_source("free", 1, name="kw")], TEXTS, cache=cache, progress=False)
    assert len(cache) == 1
