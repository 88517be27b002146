"""Back-translation: Apertium round trips for real, callables, clear errors."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.augment.conftest import needs_apertium
from weaklabel.augment import ApertiumTranslator, BackTranslation, CallableTranslator
from weaklabel.augment._errors import AugmentError, TranslatorError
from weaklabel.augment.generate.translate import apertium_pairs

SENTENCES = [
    "She recommended two cars to her friends.",
    "I love New York.",
    "The dogs barked loudly at the strangers who were walking past the old house.",
    "My brother is reading a very interesting book about the history of Spain.",
]


def _has_pair(pair: str) -> bool:
    try:
        return pair in apertium_pairs()
    except TranslatorError:
        return False


@needs_apertium
def test_translate_apertium_round_trip_returns_new_english() -> None:
    bt = BackTranslation.apertium("eng", "spa")
    out = bt.augment(SENTENCES, n=1, seed=0)
    assert len(out) == len(SENTENCES)
    changed = [v[0] for v in out if v]
    assert len(changed) >= 3
    for original, variants in zip(SENTENCES, out, strict=True):
        for v in variants:
            assert v != original
            assert not re.search(r"[áéíóúñ¿¡]", v)  # English, not Spanish, came back
            assert len(set(v.lower().split()) & set(original.lower().split())) >= 2
    assert bt.provenance_params() == {"routes": [["apertium:eng-spa", "apertium:spa-eng"]]}


@needs_apertium
def test_translate_apertium_batches_match_one_by_one() -> None:
    to_spanish = ApertiumTranslator("eng-spa", batch_size=2)
    batched = to_spanish.translate([*SENTENCES, "Line one.\n\nLine two."])
    single = [ApertiumTranslator("eng-spa").translate([s])[0] for s in SENTENCES]
    assert batched[: len(SENTENCES)] == single
    assert "coches" in batched[0]
    assert len(batched) == len(SENTENCES) + 1 and "\n" not in batched[-1]


@needs_apertium
def test_translate_apertium_missing_pair_says_what_to_install() -> None:
    with pytest.raises(
        TranslatorError, match=r"(?s)E711.*apt-get install apertium apertium-eng-xxx"
    ):
        ApertiumTranslator("eng-xxx")


def test_translate_apertium_missing_command_says_what_to_install() -> None:
    with pytest.raises(
        TranslatorError, match=r"(?s)E710.*apt-get install apertium apertium-eng-spa"
    ):
        ApertiumTranslator("eng-spa", executable="no-such-apertium-here")


def test_translate_callable_translators_and_pivot_routes() -> None:
    def to_upper(texts: list[str]) -> list[str]:
        return [t.upper() for t in texts]

    def back_one(text: str) -> str:
        return text.lower().replace("good", "fine")

    bt = BackTranslation(to_upper, CallableTranslator(back_one, batched=False, name="lower"))
    assert bt.augment(["a good day", "a bad day", "Good"], n=3) == [["a fine day"], [], ["fine"]]
    assert bt.provenance_params() == {"routes": [["to_upper", "lower"]]}

    def swap(texts: list[str]) -> list[str]:
        return [t.replace("day", "night") for t in texts]

    back = CallableTranslator(back_one, batched=False)
    multi = BackTranslation.from_routes([(to_upper, back), (swap, swap)])
    assert multi.augment(["a good day", "a bad day"], n=2) == [
        ["a fine day", "a good night"],
        ["a bad night"],
    ]
    assert multi.augment(["a good day"], n=1) == [["a fine day"]]


def test_translate_rejects_translators_that_lose_texts() -> None:
    bt = BackTranslation(lambda texts: texts[:-1], lambda texts: texts)
    with pytest.raises(TranslatorError, match="E713"):
        bt.augment(["one", "two"])
    with pytest.raises(AugmentError, match="E060"):
        BackTranslation(42, lambda t: t)
    with pytest.raises(AugmentError, match="E714"):
        BackTranslation.from_routes([])


@pytest.mark.skipif(shutil.which("apertium") is None, reason="needs apertium")
def test_translate_apertium_agrees_with_the_command_line() -> None:
    if not _has_pair("eng-spa"):
        pytest.skip("apertium-eng-spa is not installed")
    cli = subprocess.run(
        ["apertium", "-u", "eng-spa"], input=SENTENCES[0], capture_output=True, text=True
    ).stdout.strip()
    assert ApertiumTranslator("eng-spa").translate([SENTENCES[0]]) == [cli]


class _Sampler:
    """A back translator with translate_n: numbered variants that depend on the seed."""

    name = "sampler"

    def __init__(self) -> None:
        self.seeds: list[int] = []

    def translate(self, texts: list[str]) -> list[str]:
        return [t.lower() for t in texts]

    def translate_n(self, texts: list[str], n: int, seed: int) -> list[list[str]]:
        self.seeds.append(seed)
        return [[t.lower(), *(f"{t.lower()} {seed % 5}/{i}" for i in range(n))] for t in texts]


def test_translate_uses_translate_n_for_several_variants_per_route() -> None:
    back = _Sampler()
    bt = BackTranslation(lambda texts: [t.upper() for t in texts], back)
    out = bt.augment(["Good day", "ok", ""], n=3, seed=1)
    seed = back.seeds[-1]
    assert out == [
        ["good day", f"good day {seed % 5}/0", f"good day {seed % 5}/1"],
        [f"ok {seed % 5}/0", f"ok {seed % 5}/1", f"ok {seed % 5}/2"],
        [],
    ]
    assert bt.augment(["Good day", "ok", ""], n=3, seed=1) == out
    bt.augment(["Good day"], n=2, seed=2)
    assert back.seeds[-1] != seed
    assert bt.augment(["Good day"], n=1) == [["good day"]]
    assert len(back.seeds) == 4  # translate_n is used whenever the back translator has it


def test_translate_model_constructors_validate_pivots() -> None:
    with pytest.raises(AugmentError, match="E714"):
        BackTranslation.seq2seq("some/model", source_lang="eng_Latn", pivots=[])
    with pytest.raises(AugmentError, match="E714"):
        BackTranslation.seq2seq("some/model", source_lang="eng_Latn")
    with pytest.raises(AugmentError, match="E714"):
        BackTranslation.chat([], model="m")
    bt = BackTranslation.seq2seq("org/en-de", "org/de-en", num_beams=4)
    assert bt.provenance_params() == {"routes": [["org/en-de", "org/de-en"]]}  # nothing loaded yet
