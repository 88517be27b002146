"""Loaders for public benchmark formats: WRENCH folders, CoNLL files and the demo corpus.

Use :func:`load_wrench` for WRENCH's classification sets (text sets such as sms and tabular
sets such as census), :func:`load_wrench_seq` for its sequence-tagging (NER) sets,
:func:`read_conll` / :func:`write_conll` for CoNLL-2003-style files (with
:func:`conll_to_docs` for spaCy docs and :func:`gold_spans` for their gold entities) and
:func:`load_demo_reviews` for the review corpus that ships with the package.

The names are loaded on first use (as in :mod:`weaklabel`), so ``import weaklabel.datasets``
does not import pandas, spaCy or the sequence label models until a loader needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from weaklabel._lazy import lazy_attribute

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "WrenchDataset": "weaklabel.datasets.wrench",
    "load_wrench": "weaklabel.datasets.wrench",
    "WrenchSeqDataset": "weaklabel.datasets.wrench_seq",
    "load_wrench_seq": "weaklabel.datasets.wrench_seq",
    "ConllDocument": "weaklabel.datasets.conll",
    "ConllSentence": "weaklabel.datasets.conll",
    "conll_to_docs": "weaklabel.datasets.conll",
    "gold_spans": "weaklabel.datasets.conll",
    "read_conll": "weaklabel.datasets.conll",
    "write_conll": "weaklabel.datasets.conll",
    "DEMO_LABELS": "weaklabel.datasets.demo",
    "load_demo_reviews": "weaklabel.datasets.demo",
}

__all__ = [
    "DEMO_LABELS",
    "ConllDocument",
    "ConllSentence",
    "WrenchDataset",
    "WrenchSeqDataset",
    "conll_to_docs",
    "gold_spans",
    "load_demo_reviews",
    "load_wrench",
    "load_wrench_seq",
    "read_conll",
    "write_conll",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from weaklabel.datasets.conll import (
        ConllDocument,
        ConllSentence,
        conll_to_docs,
        gold_spans,
        read_conll,
        write_conll,
    )
    from weaklabel.datasets.demo import DEMO_LABELS, load_demo_reviews
    from weaklabel.datasets.wrench import WrenchDataset, load_wrench
    from weaklabel.datasets.wrench_seq import WrenchSeqDataset, load_wrench_seq


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, name, _EXPORTS, globals())


def __dir__() -> list[str]:
    return __all__
