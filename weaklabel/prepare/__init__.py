"""Corpus preparation: repair, normalise, de-duplicate and filter raw texts, row by row traced.

Use :func:`prepare` at the head of the flow, on the raw table, before sources see it::

    from weaklabel.prepare import prepare, default_steps, LanguageFilter, LengthFilter

    prepared = prepare(raw, text_column="CONTENT", id_column="COMMENT_ID",
                       steps=[*default_steps(), LengthFilter(min_words=2),
                              LanguageFilter(keep=["en"])])

It returns a :class:`PreparedCorpus`: the kept rows (their ids kept, so every row traces
back to its raw row), a ``dropped`` table with one reason per dropped row, and a report
per step. The steps are objects you compose and can write yourself (:class:`Step`):
:class:`StripHTML`, :class:`FixText` (``ftfy``), :class:`NormalizeWhitespace`,
:class:`ExactDuplicates`, :class:`NearDuplicates` (the MinHash code of
:mod:`weaklabel.augment.filters.duplicates`), :class:`LengthFilter` and
:class:`LanguageFilter` (``lingua-language-detector``, offline). ``ftfy`` and ``lingua``
are the ``prepare`` extra, imported when a step first runs. From the shell:
``weaklabel prepare raw.csv --out prepared.csv``.
"""

from __future__ import annotations

from weaklabel.prepare.base import Step, StepResult
from weaklabel.prepare.corpus import STEPS, PreparedCorpus, default_steps, prepare
from weaklabel.prepare.duplicates import ExactDuplicates, NearDuplicates
from weaklabel.prepare.language import LanguageFilter
from weaklabel.prepare.steps import FixText, LengthFilter, NormalizeWhitespace, StripHTML

__all__ = [
    "STEPS",
    "ExactDuplicates",
    "FixText",
    "LanguageFilter",
    "LengthFilter",
    "NearDuplicates",
    "NormalizeWhitespace",
    "PreparedCorpus",
    "Step",
    "StepResult",
    "StripHTML",
    "default_steps",
    "prepare",
]
