"""The error catalogue: codes appear in the messages users see, and every code is unique."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel.analysis import _errors as analysis_errors
from weaklabel.appliers.dask import DaskErrors
from weaklabel.augment import _errors as augment_errors
from weaklabel.augment.entities import EntityErrors
from weaklabel.augment.fidelity import FidelityErrors
from weaklabel.augment.filters import FilterErrors
from weaklabel.augment.noise_backends import NoiseBackendErrors
from weaklabel.augment.pipeline import PipelineErrors
from weaklabel.augment.seq2seq import ModelErrors
from weaklabel.augment.span_filters import SpanFilterErrors
from weaklabel.augment.splits import SplitErrors
from weaklabel.datasets import _errors as dataset_errors
from weaklabel.errors import Errors, ParameterError, SourceError, WeaklabelError
from weaklabel.models import _errors as model_errors
from weaklabel.models.sequence import _errors as sequence_errors
from weaklabel.sources import _span_errors as span_errors

CATALOGUES = [
    Errors,
    analysis_errors.Errors,
    dataset_errors.Errors,
    model_errors.Errors,
    sequence_errors.Errors,
    DaskErrors,
    span_errors.Errors,
    augment_errors.Errors,
    FilterErrors,
    SplitErrors,
    EntityErrors,
    PipelineErrors,
    SpanFilterErrors,
    ModelErrors,
    NoiseBackendErrors,
    FidelityErrors,
]


def _codes(catalogue: type) -> list[str]:
    return [n for n in vars(catalogue) if re.fullmatch(r"[EW]\d{3}", n)]


def test_errors_messages_start_with_their_code() -> None:
    for catalogue in CATALOGUES:
        for code in _codes(catalogue):
            assert getattr(catalogue, code).startswith(f"[{code}] ")


def test_errors_codes_are_unique_across_catalogues() -> None:
    seen: dict[str, str] = {}
    for catalogue in CATALOGUES:
        for code in _codes(catalogue):
            assert code not in seen, f"{code} in {catalogue.__module__} and {seen[code]}"
            seen[code] = catalogue.__module__


def test_errors_raised_error_shows_the_code() -> None:
    with pytest.raises(wl.errors.LabelSpaceError, match=r"^\[E013\] Unknown label 'EGGS'"):
        wl.LabelSpace(("HAM", "SPAM")).to_id("EGGS")


def test_errors_fault_warning_comes_from_the_catalogue() -> None:
    @wl.labeling_function()
    def boom(x: object) -> int:
        raise RuntimeError("no")

    with pytest.warns(UserWarning, match=r"\[W001\].*boom: 2"):
        wl.apply([boom], ["a", "b"], fault_tolerant=True, progress=False)


def test_errors_bad_n_jobs_is_a_weaklabel_error() -> None:
    with pytest.raises(ParameterError, match=r"\[E039\]") as info:
        wl.apply([wl.keyword_source("a", 0)], ["a"], n_jobs=0, progress=False)
    assert isinstance(info.value, WeaklabelError)
    assert isinstance(info.value, ValueError)


def test_errors_named_label_without_label_names_says_how_to_fix() -> None:
    source = wl.keyword_source("free", "SPAM", name="kw_free")
    with pytest.raises(SourceError, match=r"\[E042\] Source 'kw_free'.*label_names=\[") as info:
        wl.apply([source], ["free stuff"], progress=False)
    assert "row" not in str(info.value)


def test_errors_submodules_are_reachable_from_the_package() -> None:
    assert wl.errors.Errors is Errors
    assert hasattr(wl.models, "MajorityVote")
    with pytest.raises(AttributeError):
        wl.no_such_thing  # noqa: B018


def test_errors_lexicon_blank_weights_default_to_one_and_bad_ones_name_the_row() -> None:
    frame = pd.DataFrame({"term": ["good", "bad"], "label": ["POS", "NEG"], "weight": ["2.5", ""]})
    lexicon = wl.Lexicon.from_frame(frame)
    assert lexicon.weights == (2.5, 1.0)
    frame.loc[1, "weight"] = "heavy"
    with pytest.raises(SourceError, match=r"row 1 \('bad'\).*'heavy'"):
        wl.Lexicon.from_frame(frame)
    assert np.isfinite(lexicon.weights).all()
