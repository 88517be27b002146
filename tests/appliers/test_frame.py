"""label_frame: the in-memory engine of ``apply``, also run on every Dask partition."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

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
