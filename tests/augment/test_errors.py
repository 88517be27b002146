"""The augmentation error catalogue: codes E700-E799, one catalogue for the whole stage."""

from __future__ import annotations

import importlib
import re

import pytest

from weaklabel import errors
from weaklabel.augment import _errors


def test_errors_augment_codes_are_in_their_range_and_prefixed() -> None:
    codes = [name for name in vars(_errors.Errors) if re.fullmatch(r"[EW]\d{3}", name)]
    assert codes
    for code in codes:
        assert 700 <= int(code[1:]) <= 799
        assert getattr(_errors.Errors, code).startswith(f"[{code}] ")


def test_errors_augment_catalogue_extends_the_core_one() -> None:
    assert issubclass(_errors.Errors, errors.Errors)
    assert _errors.Errors.E060 == errors.Errors.E060


def test_errors_augment_exceptions_are_the_public_classes() -> None:
    assert _errors.AugmentError is errors.AugmentError
    assert _errors.TranslatorError is errors.TranslatorError
    assert issubclass(_errors.AugmentError, errors.WeaklabelError)
    assert issubclass(_errors.AugmentError, ValueError)
    assert issubclass(_errors.TranslatorError, RuntimeError)


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("weaklabel.augment.filters", "FilterErrors"),
        ("weaklabel.augment.entities", "EntityErrors"),
        ("weaklabel.augment.pipeline", "PipelineErrors"),
        ("weaklabel.augment.splits", "SplitErrors"),
        ("weaklabel.augment.generate.seq2seq", "ModelErrors"),
        ("weaklabel.augment.filters.fidelity", "FidelityErrors"),
        ("weaklabel.augment.text.noise_backends", "NoiseBackendErrors"),
        ("weaklabel.augment.entities.filters", "SpanFilterErrors"),
    ],
)
def test_errors_old_catalogue_names_forward_to_the_stage_catalogue(module: str, name: str) -> None:
    with pytest.warns(DeprecationWarning, match=r"weaklabel\.augment\._errors"):
        assert getattr(importlib.import_module(module), name) is _errors.Errors


def test_errors_invalid_argument_is_the_shared_message() -> None:
    from weaklabel.augment import NearDuplicateFilter

    with pytest.raises(errors.AugmentError, match=r"^\[E060\] NearDuplicateFilter: threshold"):
        NearDuplicateFilter(threshold=2.0)
