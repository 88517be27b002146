"""AuglyNoise and NlpaugNoise: every kind edits, protected text stays byte-identical, seeds."""

from __future__ import annotations

import importlib.util
import json
import os
import pickle
import random
import subprocess
import sys
import types
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weaklabel.augment._errors import AugmentError, Errors
from weaklabel.augment.text import noise_backends
from weaklabel.augment.text.noise_backends import (
    AUGLY_KINDS,
    NLPAUG_KINDS,
    AuglyNoise,
    NlpaugNoise,
)

IN_CI = bool(os.environ.get("CI"))


def _importable(module: str) -> bool:
    try:
        __import__(module)
    except (ImportError, OSError):
        return False
    return True


HAVE_AUGLY = importlib.util.find_spec("augly") is not None and _importable("augly.text")
HAVE_NLPAUG = importlib.util.find_spec("nlpaug") is not None and _importable(
    "nlpaug.augmenter.char"
)
needs_augly = pytest.mark.skipif(
    not HAVE_AUGLY and not IN_CI,
    reason='AugLy is not installed (pip install "weaklabel[noise]"; apt-get install libmagic1)',
)
needs_nlpaug = pytest.mark.skipif(
    not HAVE_NLPAUG and not IN_CI, reason='nlpaug is not installed (pip install "weaklabel[noise]")'
)

SENTENCE = (
    "The committee said there were three important reasons to believe the weather "
    "would change before the evening, and the people agreed with them."
)
BACKENDS: dict[str, tuple[Callable[..., noise_backends._SegmentNoise], dict[str, str]]] = {
    "augly": (AuglyNoise, AUGLY_KINDS),
    "nlpaug": (NlpaugNoise, NLPAUG_KINDS),
}
CASES = [
    pytest.param(backend, kind, marks=needs_augly if backend == "augly" else needs_nlpaug)
    for backend, (_, kinds) in BACKENDS.items()
    for kind in kinds
]
BACKEND_PARAMS = [
    pytest.param("augly", marks=needs_augly),
    pytest.param("nlpaug", marks=needs_nlpaug),
]


def make(backend: str, **kwargs: object) -> noise_backends._SegmentNoise:
    return BACKENDS[backend][0](**kwargs)


# -- every kind edits, and only outside protected text ---------------------------------------
@pytest.mark.parametrize(("backend", "kind"), CASES)
def test_each_kind_changes_the_text(backend: str, kind: str) -> None:
    [variants] = make(backend, kinds=[kind]).augment([SENTENCE], n=2, seed=0)
    assert variants, f"{backend} {kind} made no variant"
    assert all(v != SENTENCE and v.strip() for v in variants)
    assert len(set(variants)) == len(variants)


@pytest.mark.parametrize(("backend", "kind"), CASES)
def test_each_kind_spares_protected_terms_and_spans(backend: str, kind: str) -> None:
    text = "Yesterday Angela Merkel visited the beautiful old city of New York again."
    augmenter = make(backend, kinds=[kind], p=0.9, protected=["new york"])
    spans = [(10, 23, "PER"), (0, 9, "DATE")]
    out = augmenter.augment_with_spans(text, spans, n=3, seed=1)
    assert out
    for new_text, new_spans in out:
        assert new_text != text
        assert "New York" in new_text
        for (start, end, label), (s, e, new_label) in zip(spans, new_spans, strict=True):
            assert new_text[s:e] == text[start:end]
            assert new_label == label


@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_protected_spans_in_augment(backend: str) -> None:
    texts = ["Send the parcel to Zorblax Industries before Friday please.", "", "Thanks a lot."]
    augmenter = make(backend, p=0.9, protected_spans=[[(19, 37)], [], []])
    out = augmenter.augment(texts, n=3, seed=0)
    assert out[1] == []
    assert out[0]
    for variant in out[0]:
        assert "Zorblax Industries" in variant


@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_whitespace_around_protected_text_is_kept(backend: str) -> None:
    text = "first line is here\n\tKEEP THIS\n  second line is also here"
    start = text.index("KEEP")
    out = make(backend, p=0.9).augment_with_spans(text, [(start, start + 9)], n=3, seed=2)
    assert out
    for new_text, [(s, e)] in out:
        assert new_text[s - 2 : e + 3] == "\n\tKEEP THIS\n  "


letters = st.text(alphabet="abcdefghij KLMN.,!\n", min_size=1, max_size=60)


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = draw(letters)
    cuts = draw(st.lists(st.integers(0, len(text)), max_size=6))
    cuts = sorted(cuts)
    spans = [(a, b, f"L{i}") for i, (a, b) in enumerate(zip(cuts[::2], cuts[1::2], strict=False))]
    return text, spans


@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_spans_are_byte_identical_at_remapped_offsets(backend: str) -> None:
    kinds = sorted(BACKENDS[backend][1])

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text_and_spans(), st.integers(0, 2**31), st.sampled_from(kinds))
    def check(case: tuple[str, list[tuple[int, int, str]]], seed: int, kind: str) -> None:
        text, spans = case
        out = make(backend, kinds=[kind], p=0.5).augment_with_spans(text, spans, n=2, seed=seed)
        assert len(out) <= 2
        for new_text, new_spans in out:
            assert new_text != text
            assert len(new_spans) == len(spans)
            for (start, end, label), (s, e, new_label) in zip(spans, new_spans, strict=True):
                assert 0 <= s <= e <= len(new_text)
                assert new_text[s:e] == text[start:end]
                assert new_label == label

    check()


# -- the contract ------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_same_seed_same_output_other_seed_other_output(backend: str) -> None:
    augmenter = make(backend)
    first = augmenter.augment([SENTENCE, "A second sentence with words."], n=3, seed=5)
    assert augmenter.augment([SENTENCE, "A second sentence with words."], n=3, seed=5) == first
    assert make(backend).augment([SENTENCE], n=3, seed=5) == first[:1]  # independent of others
    assert augmenter.augment([SENTENCE], n=3, seed=6) != first[:1]
    spans = [(4, 13, "ORG")]
    assert augmenter.augment_with_spans(SENTENCE, spans, n=2, seed=3) == (
        augmenter.augment_with_spans(SENTENCE, spans, n=2, seed=3)
    )


@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_global_random_state_is_restored(backend: str) -> None:
    augmenter = make(backend)
    random.seed(123)
    np.random.seed(123)  # noqa: NPY002
    py_state = random.getstate()
    np_draw = np.random.get_state(legacy=False)  # noqa: NPY002
    assert augmenter.augment([SENTENCE], n=2, seed=0)[0]
    assert random.getstate() == py_state
    after = np.random.get_state(legacy=False)  # noqa: NPY002
    assert after["state"]["key"].tolist() == np_draw["state"]["key"].tolist()
    assert after["state"]["pos"] == np_draw["state"]["pos"]


@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_empty_and_odd_input_gives_no_variants(backend: str) -> None:
    augmenter = make(backend)
    assert augmenter.augment(["", None, 42, "   ", "\n\t"], n=2) == [[], [], [], [], []]
    assert augmenter.augment([], n=2) == []
    assert augmenter.augment_with_spans("", [], n=2) == []
    assert augmenter.augment_with_spans(None, [], n=2) == []
    for odd in ["!", "a", "\u200b", "日本語", "12 34", "🙂🙂"]:
        result = augmenter.augment([odd], n=3, seed=0)
        assert len(result) == 1 and len(result[0]) <= 3 and odd not in result[0]


@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_library_failure_gives_fewer_variants_not_an_error(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    augmenter = make(backend)

    def broken(kind: str, text: str) -> str:
        raise ValueError("library choked")

    monkeypatch.setattr(augmenter, "_apply", broken)
    assert augmenter.augment([SENTENCE], n=2) == [[]]
    assert augmenter.augment_with_spans(SENTENCE, [(0, 3)], n=2) == []


@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_params_pickle_and_examples(backend: str) -> None:
    augmenter = make(backend, kinds=["ocr"], p=0.5, protected=["Paris"])
    params = augmenter.provenance_params()
    assert json.loads(json.dumps(params)) == params
    assert params["kinds"] == ["ocr"] and params["p"] == 0.5
    assert augmenter.augment([SENTENCE], n=2) != [[]]  # builds any cached library objects
    clone = pickle.loads(pickle.dumps(augmenter))
    assert clone.augment([SENTENCE], n=2, seed=4) == augmenter.augment([SENTENCE], n=2, seed=4)
    frame = augmenter.augment_examples([{"text": SENTENCE, "label": 1}], n=2)
    assert len(frame) == 2 and set(frame["label"]) == {1}
    assert set(frame["augmenter"]) == {type(augmenter).__name__}


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKEND_PARAMS)
@pytest.mark.parametrize(
    "kwargs",
    [{"kinds": ["nope"]}, {"kinds": []}, {"p": 0}, {"p": 1.5}, {"p": True}],
)
def test_bad_parameters(backend: str, kwargs: dict[str, object]) -> None:
    with pytest.raises(AugmentError, match=r"\[E060\]"):
        make(backend, **kwargs)


@pytest.mark.parametrize("backend", BACKEND_PARAMS)
def test_bad_spans(backend: str) -> None:
    with pytest.raises(AugmentError, match=r"\[E060\].*one list of spans per text"):
        make(backend, protected_spans=[[(0, 1)]]).augment(["a b", "c d"])
    with pytest.raises(AugmentError, match=r"\[E060\]"):
        make(backend, protected_spans=[[(0, 99)]]).augment(["a b"])
    with pytest.raises(AugmentError, match=r"\[E060\]"):
        make(backend).augment_with_spans("a b", [(2, 1)])


def test_missing_augly_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "augly.text", None)
    with pytest.raises(AugmentError) as info:
        AuglyNoise()
    message = str(info.value)
    assert "[E756]" in message
    assert 'pip install "weaklabel[noise]"' in message
    assert "nlpaug==1.1.3" in message and "apt-get install libmagic1" in message


def test_missing_nlpaug_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("nlpaug", "nlpaug.augmenter", "nlpaug.augmenter.char", "nlpaug.augmenter.word"):
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(AugmentError, match=r"\[E757\][\s\S]*pip install \"weaklabel\[noise\]\""):
        NlpaugNoise()


def test_augly_with_an_incompatible_nlpaug(monkeypatch: pytest.MonkeyPatch) -> None:
    def simulate_typos(texts: list[str], **kwargs: object) -> list[str]:
        raise AttributeError("'list' object has no attribute 'lower'")

    fake = types.SimpleNamespace(simulate_typos=simulate_typos)
    monkeypatch.setattr(noise_backends, "_load_augly", lambda: fake)
    monkeypatch.setitem(sys.modules, "nlpaug", types.SimpleNamespace(__version__="1.1.11"))
    with pytest.raises(AugmentError, match=r"\[E758\].*nlpaug 1\.1\.11[\s\S]*nlpaug==1\.1\.3"):
        AuglyNoise(kinds=["keyboard", "ocr"])
    assert AuglyNoise(kinds=["ocr"]).kinds == ("ocr",)  # kinds without typos still work


def test_catalogue_backend_messages_are_in_the_augment_catalogue() -> None:
    codes = [name for name in vars(Errors) if name[0] == "E" and "E755" <= name <= "E759"]
    assert codes == ["E756", "E757", "E758"]


def test_importing_the_module_does_not_import_the_libraries() -> None:
    code = (
        "import sys, weaklabel.augment.text.noise_backends; "
        "print(any(m.split('.')[0] in ('augly', 'nlpaug') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
