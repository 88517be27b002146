"""Seq2seq translators and paraphrasers: real loading and generation on a tiny model."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest

from weaklabel.augment import BackTranslation
from weaklabel.augment._errors import AugmentError, Errors, TranslatorError
from weaklabel.augment.generate.seq2seq import Seq2SeqParaphraser, Seq2SeqTranslator

TEXTS = ["the cat sat on the mat", "i love new york", "a dog ran", "good morning everyone", "x"]


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_seq2seq_translates_one_string_per_input_in_batches(tiny_seq2seq: Path) -> None:
    whole = Seq2SeqTranslator(tiny_seq2seq, max_new_tokens=6)
    out = whole.translate(TEXTS)
    assert len(out) == len(TEXTS)
    assert all(isinstance(t, str) and t.strip() for t in out)
    assert all(len(t.split()) <= 6 for t in out)
    small = Seq2SeqTranslator(str(tiny_seq2seq), max_new_tokens=6, batch_size=2)
    assert small.translate(TEXTS) == out  # greedy: batching changes nothing
    assert small.translate([]) == []
    assert whole.name == str(tiny_seq2seq)


def test_seq2seq_sampling_is_seeded_and_gives_n_candidates(tiny_seq2seq: Path) -> None:
    sampler = Seq2SeqTranslator(tiny_seq2seq, do_sample=True, max_new_tokens=8, batch_size=2)
    first = sampler.translate_n(TEXTS[:3], 3, seed=7)
    assert [len(c) for c in first] == [3, 3, 3]
    assert sampler.translate_n(TEXTS[:3], 3, seed=7) == first
    assert sampler.translate_n(TEXTS[:3], 3, seed=8) != first
    assert len({c for cands in first for c in cands}) > 3  # samples differ
    # the global torch generator is left alone
    import torch

    torch.manual_seed(123)
    expected = torch.rand(1)
    torch.manual_seed(123)
    sampler.translate(TEXTS[:1])
    assert torch.equal(torch.rand(1), expected)


def test_seq2seq_beams_give_n_candidates(tiny_seq2seq: Path) -> None:
    beams = Seq2SeqTranslator(tiny_seq2seq, max_new_tokens=6)
    out = beams.translate_n(TEXTS[:2], 2)
    assert [len(c) for c in out] == [2, 2]
    assert out == beams.translate_n(TEXTS[:2], 2, seed=99)  # no sampling: seed is moot


def test_seq2seq_loaded_model_and_language_codes(tiny_seq2seq: Path) -> None:
    from transformers import AutoModelForSeq2SeqLM

    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_seq2seq)
    generated: list[Any] = []
    generate = model.generate

    def spy(*args: Any, **kwargs: Any) -> Any:
        generated.append(generate(*args, **kwargs))
        return generated[-1]

    model.generate = spy
    to_fr = Seq2SeqTranslator(
        model, source_lang="eng_Latn", target_lang="fra_Latn", max_new_tokens=4
    )
    assert to_fr.name == f"{tiny_seq2seq}:eng_Latn->fra_Latn"
    out = to_fr.translate(TEXTS[:2])
    tokenizer, loaded = to_fr._load()
    assert loaded is model and tokenizer.src_lang == "eng_Latn"
    # the forced first token is the target language, which decoding then drops
    fra = tokenizer.convert_tokens_to_ids("fra_Latn")
    assert generated[0][:, 1].tolist() == [fra, fra]
    assert len(out) == 2 and "fra_Latn" not in out[0]
    back = to_fr.with_languages("fra_Latn", "eng_Latn")
    assert back._load()[1] is model and back.name.endswith("fra_Latn->eng_Latn")
    bad = Seq2SeqTranslator(model, target_lang="xx_Yyyy")
    with pytest.raises(TranslatorError, match=r"E742.*xx_Yyyy"):
        bad.translate(["the cat"])


def test_seq2seq_paraphraser_uses_template_and_returns_n(tiny_seq2seq: Path) -> None:
    para = Seq2SeqParaphraser(tiny_seq2seq, template="paraphrase : {text}", max_new_tokens=5)
    out = para.paraphrase(TEXTS[:3], 2, seed=0)
    assert [len(c) for c in out] == [2, 2, 2]
    plain = Seq2SeqParaphraser(tiny_seq2seq, max_new_tokens=5)
    assert plain.paraphrase(TEXTS[:3], 2) != out  # the template reached the model
    assert para.get_params()["template"] == "paraphrase : {text}"
    with pytest.raises(AugmentError, match="E748"):
        Seq2SeqParaphraser(tiny_seq2seq, template="paraphrase this")


def test_seq2seq_back_translation_follows_the_augmenter_contract(tiny_seq2seq: Path) -> None:
    bt = BackTranslation.seq2seq(
        tiny_seq2seq,
        source_lang="eng_Latn",
        pivots=["fra_Latn", "spa_Latn"],
        do_sample=True,
        max_new_tokens=6,
        batch_size=2,
    )
    texts = [*TEXTS, "", None]
    out = bt.augment(texts, n=3, seed=1)
    assert len(out) == len(texts) and out[-2:] == [[], []]
    for original, variants in zip(texts, out, strict=True):
        assert len(variants) <= 3 and original not in variants
        assert len(set(variants)) == len(variants)
    assert sum(len(v) for v in out) >= 10  # sampling gives several variants per route
    assert bt.augment(texts, n=3, seed=1) == out
    assert bt.augment(texts, n=3, seed=2) != out
    routes = bt.provenance_params()["routes"]
    assert routes[1] == [f"{tiny_seq2seq}:eng_Latn->spa_Latn", f"{tiny_seq2seq}:spa_Latn->eng_Latn"]
    frame = bt.augment_examples([{"text": TEXTS[0], "label": 1}], n=2)
    assert len(frame) == 2 and set(frame["label"]) == {1}

    greedy = BackTranslation.seq2seq(tiny_seq2seq, tiny_seq2seq, max_new_tokens=6)
    assert [len(v) for v in greedy.augment(TEXTS[:2], n=1)] == [1, 1]


def test_seq2seq_missing_model_path_is_a_numbered_error(tmp_path: Path) -> None:
    missing = Seq2SeqTranslator(tmp_path / "no-such-model")
    with pytest.raises(
        TranslatorError, match=r"(?s)E741.*no-such-model.*local directory.*HF_HUB_OFFLINE is 1"
    ):
        missing.translate(["hello"])
    with pytest.raises(TranslatorError, match=r"(?s)E741.*not-a/real-model-name"):
        Seq2SeqTranslator("not-a/real-model-name").translate(["hello"])
    with pytest.raises(AugmentError, match="E060"):
        Seq2SeqTranslator("x", batch_size=0)


def test_seq2seq_unnamed_model_needs_a_tokenizer(tiny_seq2seq: Path) -> None:
    from transformers import AutoModelForSeq2SeqLM

    fresh = AutoModelForSeq2SeqLM.from_pretrained(tiny_seq2seq)
    fresh.name_or_path = fresh.config._name_or_path = ""  # as if built in memory
    with pytest.raises(TranslatorError, match="E743"):
        Seq2SeqTranslator(fresh).translate(["the cat"])
    with_tokenizer = Seq2SeqTranslator(fresh, tokenizer=tiny_seq2seq, max_new_tokens=3)
    assert len(with_tokenizer.translate(["the cat", "a dog"])) == 2


def test_seq2seq_missing_transformers_names_the_extra(
    tiny_seq2seq: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_transformers(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "transformers" or name.startswith("transformers."):
            raise ImportError("No module named 'transformers'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_transformers)
    with pytest.raises(
        TranslatorError, match=r'(?s)E740.*transformers.*pip install "weaklabel\[transformers\]"'
    ):
        Seq2SeqTranslator(tiny_seq2seq).translate(["hello"])
    assert Errors.E740.startswith("[E740] ")
