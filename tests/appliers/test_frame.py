"""label_frame: the in-memory engine of ``apply``, also run on every Dask partition."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weaklabel as wl
from weaklabel import apply  # before weaklabel.appliers.* (see test_applier.py)
from weaklabel.appliers import applier
from weaklabel.appliers.frame import as_frame, as_sources, label_frame
from weaklabel.errors import SourceError
from weaklabel.labels import ABSTAIN

TEXTS = ["Check out my channel", "great song", "free gift http://x.io", "meh"]


def breaks_on_meh(x: Any) -> int:
    if x.text == "meh":
        raise RuntimeError("boom")
    return 1 if "http" in x.text else ABSTAIN


def test_frame_label_frame_is_what_apply_returns_for_a_table() -> None:
    sources = [wl.keyword_source(["check out", "free"], "SPAM", name="kw"), breaks_on_meh]
    frame = pd.DataFrame({"text": TEXTS * 5})
    kwargs: dict[str, Any] = {"label_names": ["HAM", "SPAM"], "progress": False}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # label_frame only counts faults: apply warns
        direct = label_frame(sources, frame, fault_tolerant=True, **kwargs)
    with pytest.warns(UserWarning, match=r"W001.*breaks_on_meh: 5"):
        via_apply = apply(sources, frame, fault_tolerant=True, **kwargs)
    assert direct == via_apply
    assert direct.fault_counts == via_apply.fault_counts == {"breaks_on_meh": 5}
    assert direct.label_names == ("HAM", "SPAM")
    np.testing.assert_array_equal(direct.column("kw")[:4], [1, -1, 1, -1])


def test_frame_inputs_are_normalised_once_for_every_applier() -> None:
    assert applier.as_sources is as_sources and applier.as_frame is as_frame
    (wrapped,) = as_sources(breaks_on_meh)
    assert wrapped.name == "breaks_on_meh"
    assert as_frame(TEXTS, "body").columns.tolist() == ["body"]
    with pytest.raises(SourceError, match=r"\[E036\]"):
        as_frame("one string", "text")
    with pytest.raises(SourceError, match=r"\[E034\]"):
        as_sources([42])


# ------------------------------------------------------------------- missing text
def test_frame_missing_text_gets_no_vote_from_any_source_and_is_counted() -> None:
    frame = pd.DataFrame(
        {"text": ["free nan", np.nan, None, "", "   ", 42, pd.NA], "author": ["a"] * 7}
    )
    calls: list[Any] = []

    def lf(x: Any) -> int:
        calls.append(x.text)
        return 1

    sources = [
        wl.keyword_source(["nan"], 1, name="kw_nan"),
        wl.regex_source(r"^\s*$", 0, name="blank"),  # would match "" if it ran there
        wl.LabelingFunction("lf", lf),
    ]
    with pytest.warns(UserWarning, match=r"W004\] 5 of 7 rows have no text in column 'text'"):
        L = label_frame(sources, frame, progress=False)
    assert L.values.T.tolist() == [
        [1, -1, -1, -1, -1, -1, -1],
        [-1, -1, -1, -1, -1, -1, -1],
        [1, -1, -1, -1, -1, 1, -1],
    ]
    assert calls == ["free nan", "42"], "labeling functions never see a missing text"


def test_frame_mixed_columns_give_numbers_as_text_to_labeling_functions() -> None:
    seen: list[Any] = []
    lf = wl.LabelingFunction("lf", lambda x: seen.append(x.text))
    with pytest.warns(UserWarning, match=r"W004\] 1 of 5 rows"):
        label_frame([lf], pd.DataFrame({"text": ["a", 3, 2.5, 4.0, None]}), progress=False)
    assert seen == ["a", "3", "2.5", "4"]


def test_frame_missing_count_names_the_column_each_source_reads() -> None:
    frame = pd.DataFrame({"text": ["x", "y", "z"], "title": ["free", None, ""]})
    kw = wl.keyword_source("free", 1, name="kw_title", text_column="title")
    with pytest.warns(UserWarning, match=r"W004\] 2 of 3 rows .* column 'title'.*'kw_title'"):
        L = label_frame([kw], frame, progress=False)
    assert L.values[:, 0].tolist() == [1, -1, -1]


def test_frame_no_missing_rows_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        label_frame([wl.keyword_source("free", 1, name="kw")], TEXTS, progress=False)


# ------------------------------------------------------- classes inferred from the votes
@pytest.mark.parametrize(
    ("votes", "ok"),
    [
        ([0, 1], True),
        ([1, 1], True),  # k = 2 with one class voted
        ([0, 2], True),  # k = 3: two of three classes voted
        ([0, 1, 2, 5], True),  # k = 6 <= 2 * 4
        ([0, 1, 99], False),
        ([0, 5], False),
        ([2**40], False),
    ],
)
def test_frame_implausible_class_ids_without_label_names_are_refused(
    votes: list[int], ok: bool
) -> None:
    texts = [f"row {i}" for i in range(len(votes))]
    lf = wl.LabelingFunction("lf_ids", lambda x: votes[int(x.text.split()[1])])
    if ok:
        L = label_frame([lf], texts, progress=False)
        assert L.values[:, 0].tolist() == votes
        return
    top = max(votes)
    with pytest.raises(
        SourceError,
        match=rf"E045\] Source 'lf_ids' voted the class id {top} "
        rf"\(first on row {votes.index(top)}\).*{top + 1} classes.*label_names",
    ):
        label_frame([lf], texts, progress=False)


def test_frame_class_ids_with_label_names_follow_the_names() -> None:
    lf = wl.LabelingFunction("lf", lambda x: 99)
    with pytest.raises(SourceError, match=r"E031\] Source 'lf' returned 99"):
        label_frame([lf], ["a"], label_names=["NEG", "POS"], progress=False)
    names = [f"C{i}" for i in range(100)]
    L = label_frame([lf], ["a"], label_names=names, progress=False)
    assert L.values.tolist() == [[99]] and L.cardinality == 100


_CELLS = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.just(pd.NA),
    st.sampled_from(["", "  ", "\t", "nan", "NaN", "free nan", "None", "hello"]),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=8),
)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(cells=st.lists(_CELLS, min_size=1, max_size=12))
def test_frame_property_missing_cells_never_get_a_vote(cells: list[Any]) -> None:
    frame = pd.DataFrame({"text": pd.Series(cells, dtype=object)})
    seen: list[Any] = []
    sources = [
        wl.keyword_source(["nan", "none"], 1, name="kw_nan"),
        wl.regex_source(r"^\s*$", 0, name="blank"),
        wl.regex_source(r".*", 0, name="anything", engine="python"),
        wl.LabelingFunction("lf", lambda x: seen.append(x.text) or 1),
    ]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        L = label_frame(sources, frame, progress=False)
    missing = [
        c is None
        or c is pd.NA
        or (isinstance(c, float) and c != c)
        or (isinstance(c, str) and not c.strip())
        for c in cells
    ]
    assert ((L.values == -1).all(axis=1) == np.array(missing)).all()
    assert L.column("anything").tolist() == [-1 if m else 0 for m in missing]
    assert all(isinstance(t, str) and t.strip() for t in seen), "LFs see texts only"
    counted = [str(w.message) for w in record if "W004" in str(w.message)]
    if any(missing):
        assert len(counted) == 1 and counted[0].startswith(
            f"[W004] {sum(missing)} of {len(cells)} rows"
        )
    else:
        assert not counted


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([], dtype=object),
        pd.Series([], dtype="string"),
        pd.Series(["free a", None, "b"], dtype="string"),
        pd.Series(["free a", None, "b"], dtype="str"),
        pd.Series(pd.Categorical(["free a", None, "b"])),
    ],
    ids=["empty-object", "empty-string", "string", "str", "categorical"],
)
def test_frame_text_column_dtypes(column: pd.Series) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # W004 for the None: tested above
        L = label_frame(
            [wl.keyword_source("free", 1, name="kw")],
            pd.DataFrame({"text": column}),
            progress=False,
        )
    assert L.values[:, 0].tolist() == ([1, -1, -1] if len(column) else [])
