"""The augmentation error catalogue: codes E700-E799, formatted with their code."""

from __future__ import annotations

import re

from weaklabel.augment import _errors
from weaklabel.errors import WeaklabelError


def test_errors_augment_codes_are_in_their_range_and_prefixed() -> None:
    codes = [name for name in vars(_errors.Errors) if re.fullmatch(r"[EW]\d{3}", name)]
    assert codes
    for code in codes:
        assert 700 <= int(code[1:]) <= 799
        assert getattr(_errors.Errors, code).startswith(f"[{code}] ")


def test_errors_augment_exceptions_are_weaklabel_errors() -> None:
    assert issubclass(_errors.AugmentError, WeaklabelError)
    assert issubclass(_errors.AugmentError, ValueError)
    assert issubclass(_errors.TranslatorError, WeaklabelError)
