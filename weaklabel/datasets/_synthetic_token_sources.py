"""The sources of a synthetic NER corpus: :class:`SyntheticSource` and the presets.

Internal to :mod:`weaklabel.datasets.synthetic_tokens`, the public home of these names,
which documents how a source labels a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["PRESETS", "UNDERSPECIFIED", "SyntheticSource", "conll_like_sources"]

UNDERSPECIFIED = "ENT"
"""The label a type-less source (``underspecified=True``) puts on its spans."""


@dataclass(frozen=True)
class SyntheticSource:
    """How one synthetic source labels a corpus.

    Parameters
    ----------
    name : str
    recall : float or mapping of str to float, default 0.5
        Probability of finding an entity of average hardness, overall or per type (types
        missing from the mapping get 0: the source never finds them).
    false_positive : float, default 0.0
        Probability of firing on a decoy of average hardness.
    noise : float, default 0.0
        Random spans per token, anywhere (independent of every other source).
    confusion : float, default 0.0
        Probability that a found entity is given another type.
    confuse : mapping of str to str, optional
        The wrong type each true type gets when confused (e.g. ``{"ORG": "LOC"}``); types
        not listed get a uniformly drawn other type.
    boundary : float, default 0.0
        Probability that a found entity's span is one token off at its start or its end
        (extended into the neighbouring ``O`` or cut short).
    hardness : float, default 1.0
        How much the entity's (and decoy's) shared hardness moves this source; ``0`` makes
        its errors independent of every other source's.
    types : sequence of str, optional
        The only types this source outputs (it is silent on entities and decoys of the
        others); ``None`` = every type.
    underspecified : bool, default False
        Label every span ``"ENT"`` instead of its type.
    copy_of : str, optional
        Name of an earlier source this one copies: each of that source's spans is kept
        with probability ``copy_rate``, and this source's own spans are added.
    copy_rate : float, default 0.9
    """

    name: str
    recall: float | Mapping[str, float] = 0.5
    false_positive: float = 0.0
    noise: float = 0.0
    confusion: float = 0.0
    confuse: Mapping[str, str] | None = None
    boundary: float = 0.0
    hardness: float = 1.0
    types: Sequence[str] | None = None
    underspecified: bool = False
    copy_of: str | None = None
    copy_rate: float = 0.9


def conll_like_sources(
    entity_types: Sequence[str] = ("PER", "ORG", "LOC", "MISC"),
) -> list[SyntheticSource]:
    """Sixteen sources shaped like the labeling functions of WRENCH's conll03.

    A general NER model (high recall, some type confusions and boundary errors), a
    second, weaker one, precise but narrow detectors (full names, a company list), pairs
    of cased/uncased gazetteers (the uncased copy fires on many common-word decoys and
    confuses ``ORG`` and ``LOC``), a type-less proper-noun detector (``"ENT"``), and
    noisy catch-alls. Precision ranges from about 0.3 to 0.95.

    Parameters
    ----------
    entity_types : sequence of str, default ("PER", "ORG", "LOC", "MISC")
        Four types, in the roles of person, organisation, location and miscellaneous.

    Returns
    -------
    list of SyntheticSource
    """
    per, org, loc, misc = entity_types
    mix = {org: loc, loc: org, misc: org, per: org}
    # cased gazetteers; each has an uncased copy that also fires on common-word decoys
    crunchbase = SyntheticSource(
        "crunchbase_cased", recall={org: 0.45}, false_positive=0.03, hardness=3.0
    )
    geo = SyntheticSource(
        "geo_cased", recall={loc: 0.6, org: 0.25}, false_positive=0.03, hardness=3.0
    )
    wiki = SyntheticSource(
        "wiki_cased",
        recall={per: 0.45, org: 0.4, loc: 0.5, misc: 0.3},
        false_positive=0.04,
        confusion=0.15,
        confuse={**mix, misc: loc},
        hardness=3.0,
    )
    return [
        SyntheticSource(
            "core_web",
            recall={per: 0.75, org: 0.6, loc: 0.75, misc: 0.5},
            false_positive=0.4,
            confusion=0.12,
            confuse=mix,
            boundary=0.025,
            hardness=3.0,
        ),
        SyntheticSource(
            "btc",
            recall={per: 0.6, org: 0.4, loc: 0.6},
            confusion=0.2,
            confuse={org: loc, loc: org, per: loc},
            false_positive=0.06,
            noise=0.003,
            boundary=0.045,
            hardness=3.0,
        ),
        SyntheticSource("full_name", recall={per: 0.5}, false_positive=0.008, hardness=4.5),
        crunchbase,
        _uncased(crunchbase, false_positive=0.14, copy_rate=0.95),
        geo,
        _uncased(geo, false_positive=0.16, copy_rate=0.95),
        wiki,
        _uncased(wiki, false_positive=0.18, confusion=0.2),
        SyntheticSource(
            "misc_detector", recall={misc: 0.5}, false_positive=0.08, noise=0.004, hardness=3.0
        ),
        SyntheticSource(
            "proper_noun",
            recall=0.8,
            false_positive=0.2,
            boundary=0.03,
            hardness=3.0,
            underspecified=True,
        ),
        SyntheticSource(
            "company_type", recall={org: 0.25}, false_positive=0.004, boundary=0.06, hardness=1.5
        ),
        SyntheticSource(
            "snips",
            recall={loc: 0.3, per: 0.2, misc: 0.2},
            false_positive=0.06,
            confusion=0.3,
            hardness=1.5,
        ),
        SyntheticSource(
            "multitoken_wiki",
            recall={per: 0.3, org: 0.3, loc: 0.2, misc: 0.2},
            false_positive=0.012,
            boundary=0.075,
            hardness=3.0,
        ),
        SyntheticSource("date_like", recall={misc: 0.1}, noise=0.01, hardness=0.0),
        SyntheticSource(
            "nationality",
            recall={misc: 0.35, loc: 0.1},
            false_positive=0.02,
            confusion=0.25,
            confuse={misc: loc, loc: misc},
            hardness=3.0,
        ),
    ]


def _uncased(cased: SyntheticSource, **changes: Any) -> SyntheticSource:
    """The uncased twin of a cased gazetteer source: it copies the cased one's spans.

    Parameters
    ----------
    cased : SyntheticSource
        A source named ``"<list>_cased"``.
    **changes
        Fields of the twin that differ (``false_positive``, ``copy_rate`` ...).

    Returns
    -------
    SyntheticSource
        Named ``"<list>_uncased"``, with ``copy_of`` the cased source.
    """
    name = cased.name.removesuffix("_cased") + "_uncased"
    return replace(cased, name=name, copy_of=cased.name, **changes)


PRESETS: dict[str, dict[str, Any]] = {
    "conll-like": {
        "entity_types": ("PER", "ORG", "LOC", "MISC"),
        "type_weights": (0.3, 0.27, 0.28, 0.15),
        "sentence_length": (4, 30),
        "entity_rate": 0.11,
        "entity_lengths": (0.6, 0.3, 0.08, 0.02),
        "decoy_rate": 0.05,
        "sources": None,  # conll_like_sources(entity_types)
    },
}
"""Named sets of :func:`make_token_matrix` arguments (``sources=None`` = the preset's own).

``"conll-like"``: four types (PER/ORG/LOC/MISC), sentences of 4-30 tokens, about 1.5
entities per sentence of 1-4 tokens, many decoys, and :func:`conll_like_sources`.
"""
