"""Property tests of the augmenter contract on random Unicode, for every augmenter case.

Random text (any code point, lone surrogates included, mixed with words the augmenters
act on) never raises; the output is a list of lists of ``str``, at most ``n`` distinct
variants per text, none equal to its input and each valid Unicode; the same seed gives the
same output; text that is not valid Unicode (a lone surrogate) gets ``[]`` and is counted
in ``skipped_``.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.augment.conftest import needs_apertium
from tests.augment.generate.test_chat import server  # noqa: F401 (the fake chat server fixture)
from tests.augment.test_contract import CASES, Case
from weaklabel.augment import AugmentationPipeline, Augmenter, BackTranslation, Noise
from weaklabel.augment.base import _usable

WORDS = ["cars", "Running", "NEW", "York", "it's", "well-known", "ﬁne", "children", "ß", "İ"]
# any code point but surrogates, or a lone surrogate (what a badly decoded file gives)
CHARACTERS = st.one_of(st.characters(), st.characters(categories=["Cs"]))
TEXTS = st.one_of(
    st.text(CHARACTERS, max_size=30),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(CHARACTERS, max_size=5)), max_size=8).map(
        " ".join
    ),
)
# model and server back ends are slow per call: fewer examples for them
SLOW = {
    "augly-noise",
    "backtranslation-apertium",
    "backtranslation-chat",
    "paraphrase-chat",
    "paraphrase-seq2seq",
}


def _valid(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(CASES))
def test_contract_holds_on_random_unicode(name: str, request: pytest.FixtureRequest) -> None:
    case: Case = CASES[name]
    if not case.available:
        pytest.skip(f"{name}: its package is not installed")
    augmenter: Augmenter = case.make(request)

    @settings(
        max_examples=8 if name in SLOW else 30,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(st.lists(TEXTS, max_size=4), st.integers(0, 2**31 - 1), st.integers(1, 3))
    def check(batch: list[str], seed: int, n: int) -> None:
        out = augmenter.augment(batch, n=n, seed=seed)
        assert isinstance(out, list) and len(out) == len(batch)
        assert augmenter.skipped_ == sum(not _usable(t) for t in batch)
        for text, variants in zip(batch, out, strict=True):
            assert isinstance(variants, list) and len(variants) <= n
            assert all(isinstance(v, str) and v.strip() and _valid(v) for v in variants)
            assert text not in variants and len(set(variants)) == len(variants)
            if not _valid(text):
                assert variants == []
        assert augmenter.augment(batch, n=n, seed=seed) == out  # deterministic per seed

    check()


def test_lone_surrogates_get_no_variants_and_are_counted() -> None:
    texts = ["Hello \ud800 world", "The film was great fun.", "\udfff", None, ""]
    noise = Noise(p=0.5)
    out = noise.augment(texts, n=2, seed=0)
    assert out[0] == out[2] == out[3] == out[4] == [] and out[1]
    assert noise.skipped_ == 4
    # pandas' Arrow strings refuse lone surrogates: such text comes in object columns
    frame = pd.DataFrame({"text": pd.Series(texts[:3], dtype=object), "label": [0, 1, 0]})
    pipeline = AugmentationPipeline(noise, n_per_original=2, progress=False)
    result = pipeline.run(frame)
    assert pipeline.report_["no usable text"] == 2
    assert result["is_augmented"].sum() == 2
    assert result.attrs["augment"]["report"]["no usable text"] == 2


@needs_apertium
def test_apertium_back_translation_of_a_lone_surrogate_gives_no_variants() -> None:
    back = BackTranslation.apertium("eng", "spa")
    texts = ["The staff were \ud83d friendly.", "The staff were friendly and the room was clean."]
    out = back.augment(texts, n=1, seed=0)
    assert out[0] == [] and back.skipped_ == 1
    assert len(out[1]) == 1 and out[1][0] != texts[1]  # the rest of the batch is translated
