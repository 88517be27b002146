"""The old module paths of weaklabel.augment keep working for one release, with a warning."""

from __future__ import annotations

import importlib
import warnings

import pytest

import weaklabel.augment

MOVED_MODULES = {
    "synonym": ("text.synonym", "Synonym"),
    "wordnet": ("text.wordnet", "load_wordnet"),
    "noise": ("text.noise", "Noise"),
    "noise_backends": ("text.noise_backends", "AuglyNoise"),
    "translate": ("generate.translate", "BackTranslation"),
    "seq2seq": ("generate.seq2seq", "Seq2SeqTranslator"),
    "paraphrase": ("generate.paraphrase", "Paraphrase"),
    "chat": ("generate.chat", "ChatClient"),
    "span_filters": ("entities.filters", "SpanConsistencyFilter"),
    "fidelity": ("filters.fidelity", "SemanticFidelityFilter"),
}


@pytest.mark.parametrize("old", sorted(MOVED_MODULES))
def test_old_module_paths_forward_with_a_deprecation_warning(old: str) -> None:
    new, name = MOVED_MODULES[old]
    stub = importlib.import_module(f"weaklabel.augment.{old}")
    with pytest.warns(DeprecationWarning, match=rf"weaklabel\.augment\.{new}\.{name}"):
        value = getattr(stub, name)
    assert value is getattr(importlib.import_module(f"weaklabel.augment.{new}"), name)
    with pytest.raises(AttributeError):
        stub.__no_such_name__  # noqa: B018


@pytest.mark.parametrize("name", ["EntitySafe", "OneOf", "Sequential", "Sometimes"])
def test_combinators_forward_from_the_pipeline_module(name: str) -> None:
    pipeline = importlib.import_module("weaklabel.augment.pipeline")
    with pytest.warns(DeprecationWarning, match=rf"weaklabel\.augment\.combine\.{name}"):
        assert getattr(pipeline, name) is getattr(weaklabel.augment, name)


def test_package_names_and_old_module_names_need_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in weaklabel.augment.__all__:
            getattr(weaklabel.augment, name)
        from weaklabel.augment.entities import (  # noqa: F401
            LabelwiseTokenReplacement,
            MentionReplacement,
            SpanAugmenter,
            SpanExample,
            SynonymOutsideEntities,
            as_span_examples,
        )
        from weaklabel.augment.filters import (  # noqa: F401
            LabelConsistencyFilter,
            NearDuplicateFilter,
            exact_duplicates,
            near_duplicate_pairs,
            normalise_text,
        )
