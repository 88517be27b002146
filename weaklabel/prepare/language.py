"""The language filter: keep texts written in the languages you label, offline.

Use :class:`LanguageFilter` when a scraped corpus mixes languages and your sources (keywords,
lexicons) read one. It runs ``lingua-language-detector`` (the ``prepare`` extra), which
needs no network and no model download, and which is both more accurate on short texts
than the n-gram detectors and fast when restricted to a few candidate languages
(``among=``): on the 1,956 YouTube comments of ``../shared/data`` it takes about one
second for five candidates, on two cores.

Each text gets lingua's confidence for every candidate language (they sum to 1). A text
is kept when its most likely language is in ``keep`` and its confidence reaches
``min_confidence``; otherwise the reason says which language was found and how sure the
detector was. Texts with no letters (only emoji, digits or links) have no language: they
are dropped unless ``keep_undetected=True``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from weaklabel.errors import PrepareError
from weaklabel.prepare._errors import Errors
from weaklabel.prepare.base import Step, StepResult
from weaklabel.prepare.steps import check_name, invalid

__all__ = ["LanguageFilter"]

# Links, e-mail addresses and @handles say nothing about the language (and look German or
# Dutch to a letter-n-gram model); they are removed before detection.
_NOT_WORDS = re.compile(r"\S*(?:https?://|www\.|\.com|\.be/|\?v=|@)\S*", re.IGNORECASE)


def _codes(param: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Sequence) or not value or not all(isinstance(c, str) for c in value):
        raise invalid("LanguageFilter", param, "a non-empty list of ISO 639-1 codes", value)
    return tuple(dict.fromkeys(c.strip().lower() for c in value))


def _lingua() -> Any:
    try:
        import lingua
    except ImportError as exc:
        raise ImportError(
            Errors.E070.format(
                what="LanguageFilter",
                packages="lingua-language-detector",
                verb="is",
                extra="prepare",
            )
        ) from exc
    return lingua


class LanguageFilter(Step):
    """Keep texts whose detected language is in ``keep`` (lingua, offline).

    Parameters
    ----------
    keep : sequence of str, default ("en",)
        ISO 639-1 codes of the languages to keep.
    among : sequence of str, optional
        The candidate languages the detector chooses among (fewer is faster and steadier
        on short texts). Defaults to ``keep`` plus English, Spanish, French, German and
        Portuguese. Must include every language of ``keep``.
    min_confidence : float, default 0.3
        lingua's confidence (in [0, 1], summing to 1 over ``among``) the top language
        needs; below it a text is dropped as unsure. ``0`` keeps every text whose top
        language is in ``keep``.
    keep_undetected : bool, default False
        Keep texts with no detectable language (no letters) instead of dropping them.
    name : str, optional
        The step's name in reports; ``"language"`` by default.
    """

    name = "language"

    def __init__(
        self,
        *,
        keep: Sequence[str] = ("en",),
        among: Sequence[str] | None = None,
        min_confidence: float = 0.3,
        keep_undetected: bool = False,
        name: str | None = None,
    ) -> None:
        self.keep = _codes("keep", keep)
        default_among = (*self.keep, "en", "es", "fr", "de", "pt")
        self.among = _codes("among", default_among if among is None else among)
        if isinstance(min_confidence, bool) or not isinstance(min_confidence, (int, float)):
            raise invalid("LanguageFilter", "min_confidence", "a number in [0, 1]", min_confidence)
        if not 0.0 <= float(min_confidence) <= 1.0:
            raise invalid("LanguageFilter", "min_confidence", "a number in [0, 1]", min_confidence)
        if not isinstance(keep_undetected, bool):
            raise invalid("LanguageFilter", "keep_undetected", "True or False", keep_undetected)
        self.min_confidence = float(min_confidence)
        self.keep_undetected = keep_undetected
        self.name = check_name("LanguageFilter", name) or type(self).name
        for code in self.keep:
            self._language(code, "keep")
        missing = [c for c in self.keep if c not in self.among]
        if missing:
            raise PrepareError(Errors.E812.format(keep=list(self.keep), among=list(self.among)))
        self._languages = tuple(self._language(code, "among") for code in self.among)
        self._detector: Any = None

    @staticmethod
    def _language(code: str, param: str) -> Any:
        lingua = _lingua()
        try:
            iso = lingua.IsoCode639_1.from_str(code)
            return lingua.Language.from_iso_code_639_1(iso)
        except ValueError:
            raise PrepareError(
                Errors.E811.format(code=code, param=param, examples="'en', 'es', 'de', 'zh'")
            ) from None

    def detector(self) -> Any:
        """The lingua detector over ``among`` (built once, on first use)."""
        if self._detector is None:
            builder = _lingua().LanguageDetectorBuilder.from_languages(*self._languages)
            self._detector = builder.build()
        return self._detector

    def detect(self, texts: Sequence[str]) -> pd.DataFrame:
        """The most likely language of each text and its confidence.

        Parameters
        ----------
        texts : sequence of str
            ``n`` texts.

        Returns
        -------
        DataFrame of shape (n, 2)
            Columns ``language`` (ISO 639-1 code, ``None`` when no language was found) and
            ``confidence`` (float in [0, 1]). Links, e-mail addresses and ``@handles`` are
            left out of the detection.
        """
        cleaned = [_NOT_WORDS.sub(" ", t) for t in texts]
        values = self.detector().compute_language_confidence_values_in_parallel(cleaned)
        langs: list[str | None] = []
        confidence: list[float] = []
        for ranked in values:
            top = ranked[0] if ranked else None
            if top is None or top.value <= 0.0:
                langs.append(None)
                confidence.append(0.0)
            else:
                langs.append(top.language.iso_code_639_1.name.lower())
                confidence.append(float(top.value))
        return pd.DataFrame({"language": pd.Series(langs, dtype=object), "confidence": confidence})

    def run(self, texts: pd.Series, ids: pd.Series) -> StepResult:
        """Drop texts in other languages or detected without enough confidence."""
        found = self.detect(texts.tolist())
        reasons: list[str | None] = []
        keep = list(self.keep)
        for lang, conf in zip(found["language"], found["confidence"], strict=True):
            if lang is None or pd.isna(lang):
                reasons.append(None if self.keep_undetected else "no language detected")
            elif lang not in self.keep:
                reasons.append(f"language {lang} ({conf:.2f}), keep {keep}")
            elif conf < self.min_confidence:
                reasons.append(
                    f"language unsure: {lang} at {conf:.3f} < min_confidence {self.min_confidence}"
                )
            else:
                reasons.append(None)
        series = pd.Series(reasons, index=texts.index, dtype=object).dropna()
        counts = found["language"].fillna("none").value_counts()
        return StepResult(texts, series, details={"languages": counts.to_dict()})
