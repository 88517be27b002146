"""Paraphrase: the augmenter around any generator, and the seq2seq one on a tiny model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from weaklabel.augment._errors import AugmentError, TranslatorError
from weaklabel.augment.generate.paraphrase import Paraphrase


class Echo:
    """A generator that returns the input (in several spellings) and numbered variants."""

    name = "echo"

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], int, int]] = []

    def get_params(self) -> dict[str, object]:
        return {"style": "numbered"}

    def paraphrase(self, texts: list[str], n: int, seed: int) -> list[list[str]]:
        self.calls.append((texts, n, seed))
        return [[t, f"  {t.upper()} ", *(f"{t} #{seed % 7}-{i}" for i in range(n))] for t in texts]


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_paraphrase_batches_drops_the_input_and_keeps_n() -> None:
    echo = Echo()
    para = Paraphrase(echo)
    out = para.augment(["a cat", "", None, "a dog"], n=2, seed=4)
    assert len(echo.calls) == 1 and echo.calls[0][:2] == (["a cat", "a dog"], 2)
    seed = echo.calls[0][2]
    assert out == [
        [f"a cat #{seed % 7}-0", f"a cat #{seed % 7}-1"],
        [],
        [],
        [f"a dog #{seed % 7}-0", f"a dog #{seed % 7}-1"],
    ]
    assert para.augment(["a cat", "", None, "a dog"], n=2, seed=4) == out
    para.augment(["a cat"], n=1, seed=5)
    assert echo.calls[-1][2] != seed  # the augment seed reaches the generator
    assert para.get_params() == {"generator": echo}
    provenance = {"generator": {"name": "echo", "params": {"style": "numbered"}}}
    assert para.provenance_params() == provenance
    frame = para.augment_examples([{"id": 7, "text": "a cat", "label": "pet"}], n=1)
    assert frame["original_id"].tolist() == [7] and frame["label"].tolist() == ["pet"]
    assert json.loads(frame["params"][0]) == provenance


def test_paraphrase_rejects_bad_generators() -> None:
    with pytest.raises(AugmentError, match=r"E060.*paraphrase\(texts, n, seed\)"):
        Paraphrase(lambda texts: texts)

    class Lossy(Echo):
        def paraphrase(self, texts: list[str], n: int, seed: int) -> list[list[str]]:
            return [["x"]]

    with pytest.raises(TranslatorError, match=r"E713.*returned 1 texts for a batch of 2"):
        Paraphrase(Lossy()).augment(["a", "b"])


def test_paraphrase_seq2seq_is_seeded_and_respects_n(tiny_seq2seq: Path) -> None:
    para = Paraphrase.seq2seq(
        tiny_seq2seq,
        template="paraphrase : {text}",
        do_sample=True,
        max_new_tokens=6,
        batch_size=2,
    )
    texts = ["the cat sat on the mat", "i love new york", "a dog ran", "good morning everyone"]
    out = para.augment(texts, n=3, seed=0)
    assert [len(v) for v in out] == [3, 3, 3, 3]
    for original, variants in zip(texts, out, strict=True):
        assert original not in variants and len(set(variants)) == 3
    assert para.augment(texts, n=3, seed=0) == out
    assert para.augment(texts, n=3, seed=1) != out
    params = para.provenance_params()["generator"]
    assert params["name"] == str(tiny_seq2seq)
    assert params["params"]["template"] == "paraphrase : {text}"
    assert params["params"]["do_sample"] is True

    beams = Paraphrase.seq2seq(tiny_seq2seq, max_new_tokens=6, num_beams=4)
    assert all(1 <= len(v) <= 2 for v in beams.augment(texts[:2], n=2))


def test_paraphrase_seq2seq_missing_model_is_a_numbered_error(tmp_path: Path) -> None:
    para = Paraphrase.seq2seq(tmp_path / "nothing-here")
    with pytest.raises(TranslatorError, match=r"(?s)E741.*nothing-here.*save_pretrained"):
        para.augment(["a cat"])
