"""Saved models are validated field by field on load (issue 11, item 1).

The fuzz test damages one field of a saved model file at random -- NaN, infinity, -50,
1e308, a string, ``true`` or ``null`` where a number belongs, a number where a name
belongs, a shortened or emptied list, a missing key -- and checks that loading either
refuses with a weaklabel error naming the file and the field, or gives a model whose
predictions are identical (a harmless edit, e.g. of a statistic only fit reports).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weaklabel.errors import LabelModelError, WeaklabelError
from weaklabel.matrix import LabelMatrix
from weaklabel.models import (
    MODELS,
    DawidSkene,
    LabelModel,
    MajorityVote,
    MatrixCompletion,
    WeightedMajorityVote,
    load_model,
)
from weaklabel.models._params import MODEL_CLASSES
from weaklabel.models.sequence import (
    HMM,
    SequenceLabelModel,
    TokenDawidSkene,
    TokenMajorityVote,
    load_sequence_model,
)

from .sequence.conftest import TAGS, make_corpus

FUZZ = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _votes() -> LabelMatrix:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 120)
    noisy = np.where(rng.random((120, 5)) < 0.75, y[:, None], rng.integers(0, 3, (120, 5)))
    values = np.where(rng.random((120, 5)) < 0.6, noisy, -1)
    values[:3] = -1  # rows without votes
    return LabelMatrix(values, ("a", "b", "c", "d", "e"), ("NEG", "NEU", "POS"))


L = _votes()
WEAK, _GOLD = make_corpus(seed=1, n_sentences=25, n_sources=3)

DOC_MODELS: list[Any] = [cls() for cls in MODELS] + [
    MajorityVote(weights=[1.0, 2.0, 0.5, 1.0, 1.0], class_prior=[0.2, 0.3, 0.5], seed=4),
    DawidSkene(model_abstains=False),
    WeightedMajorityVote(accuracies=[0.8, 0.7, 0.9, 0.6, 0.75]),
    MatrixCompletion(class_prior=[0.5, 0.25, 0.25]),
]
SEQ_MODELS: list[Any] = [
    HMM(tags=TAGS),
    HMM(tags=TAGS, source_context=True, decoding="viterbi"),
    TokenDawidSkene(tags=TAGS),
    SequenceLabelModel(tags=TAGS),
    TokenMajorityVote(tags=TAGS),
]


def _predictions(model: Any) -> tuple[Any, ...]:
    if hasattr(model, "tags_"):
        return (model.predict_proba(WEAK), model.predict(WEAK))
    return (model.predict_proba(L), model.predict(L))


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    if hasattr(a[0], "shape"):
        return bool(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]))
    return all(np.array_equal(x, y) for x, y in zip(a[0], b[0], strict=True)) and a[1] == b[1]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Any, dict[str, Any], Any]]:
    """(loader, payload, predictions) of every fitted model."""
    folder = tmp_path_factory.mktemp("saved")
    out = []
    for index, model in enumerate(DOC_MODELS + SEQ_MODELS):
        is_seq = hasattr(model, "decoding") or isinstance(
            model, TokenMajorityVote | TokenDawidSkene
        )
        model.fit(WEAK if is_seq else L)
        path = folder / f"model{index}.json"
        model.save(path)
        payload = json.loads(path.read_text(encoding="utf-8"))
        out.append((load_sequence_model if is_seq else load_model, payload, _predictions(model)))
    return out


# ------------------------------------------------------------------ the damage
def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the JSON: keys of objects, items of lists (their paths)."""
    places = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            places += _places(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            places += _places(value, (*path, i))
    return places


def _damages(value: Any, in_dict: bool) -> list[Any]:
    """The damage that fits a value: what replaces it, or a marker for an edit."""
    out: list[Any] = ["<missing>"] if in_dict else []
    if isinstance(value, bool):
        return [*out, 1e308, "abc", -50]
    if isinstance(value, int | float):
        return [*out, math.nan, math.inf, -math.inf, -50, 1e308, "abc", True, None]
    if isinstance(value, str):
        return [*out, 1e308, None, True]
    if isinstance(value, list):
        return [*out, "<shorten>", [], None]
    if isinstance(value, dict):
        return [*out, None, []]
    return [*out, 1e308, "abc"]  # None


def _damage(payload: dict[str, Any], place: tuple[Any, ...], damage: Any) -> dict[str, Any]:
    out = copy.deepcopy(payload)
    parent = out
    for key in place[:-1]:
        parent = parent[key]
    last = place[-1]
    if damage == "<missing>":
        del parent[last]
    elif damage == "<shorten>":
        parent[last] = parent[last][:-1]
    else:
        parent[last] = damage
    return out


def _field(place: tuple[Any, ...]) -> str:
    """The name the error must give: the field (or parameter), else the top-level key."""
    if place[0] in ("fitted", "params") and len(place) > 1:
        return str(place[1])
    return str(place[0])


@FUZZ
@given(data=st.data())
def test_fuzz_damaged_model_files_are_refused_or_harmless(
    saved: list[tuple[Any, dict[str, Any], Any]], tmp_path: Path, data: st.DataObject
) -> None:
    loader, payload, expected = data.draw(st.sampled_from(saved))
    place = data.draw(st.sampled_from(_places(payload)))
    parent: Any = payload
    for key in place[:-1]:
        parent = parent[key]
    damage = data.draw(st.sampled_from(_damages(parent[place[-1]], isinstance(parent, dict))))
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(_damage(payload, place, damage)), encoding="utf-8")
    try:
        model = loader(path)
    except WeaklabelError as exc:
        message = str(exc)
        assert str(path) in message, message
        assert _field(place) in message, (place, damage, message)
        return
    assert _same(_predictions(model), expected), (place, damage)


# ------------------------------------------------------------------ named cases
def _saved(tmp_path: Path, model: Any, data: Any) -> tuple[Path, dict[str, Any]]:
    path = tmp_path / "model.json"
    model.fit(data).save(path)
    return path, json.loads(path.read_text(encoding="utf-8"))


def _rewrite(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload), encoding="utf-8")


def test_label_model_with_a_nan_weight_is_refused_naming_file_and_field(tmp_path: Path) -> None:
    path, payload = _saved(tmp_path, LabelModel(), L)
    payload["fitted"]["weights_"]["data"][0] = math.nan
    _rewrite(path, payload)
    with pytest.raises(LabelModelError, match=r"\[E135\].*model\.json.*'weights_' holds nan"):
        load_model(path)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (-50, "below its smallest value"),
        (1e308, "above its largest value"),
        ("0.5", "holds '0.5' at flat index 0, not a float"),
        (True, "not a float"),
    ],
)
def test_label_model_weight_out_of_range_or_not_a_number(
    tmp_path: Path, value: Any, problem: str
) -> None:
    path, payload = _saved(tmp_path, LabelModel(), L)
    payload["fitted"]["weights_"]["data"][0] = value
    _rewrite(path, payload)
    with pytest.raises(LabelModelError, match=problem):
        load_model(path)


def test_hmm_with_a_nan_emission_is_refused(tmp_path: Path) -> None:
    path, payload = _saved(tmp_path, HMM(tags=TAGS), WEAK)
    payload["fitted"]["emit_"]["data"][3] = math.nan
    _rewrite(path, payload)
    with pytest.raises(LabelModelError, match=r"\[E135\].*'emit_' holds nan"):
        load_sequence_model(path)


def test_probabilities_must_sum_to_one(tmp_path: Path) -> None:
    path, payload = _saved(tmp_path, DawidSkene(), L)
    payload["fitted"]["class_prior_"]["data"] = [0.5, 0.5, 0.5]
    _rewrite(path, payload)
    with pytest.raises(LabelModelError, match=r"'class_prior_' must hold probabilities summing"):
        load_model(path)


def test_a_shortened_array_and_a_wrong_size_are_refused(tmp_path: Path) -> None:
    path, payload = _saved(tmp_path, MatrixCompletion(), L)
    damaged = copy.deepcopy(payload)
    damaged["fitted"]["vote_given_class_"]["data"].pop()
    _rewrite(path, damaged)
    with pytest.raises(LabelModelError, match=r"'vote_given_class_' holds 44 values for its"):
        load_model(path)
    damaged = copy.deepcopy(payload)
    damaged["fitted"]["n_sources_"]["data"] = [4]
    _rewrite(path, damaged)
    with pytest.raises(LabelModelError, match=r"the file states m = 4 \(n_sources_"):
        load_model(path)


def test_missing_and_extra_keys_are_refused(tmp_path: Path) -> None:
    path, payload = _saved(tmp_path, DawidSkene(), L)
    damaged = copy.deepcopy(payload)
    del damaged["fitted"]["confusion_"]
    _rewrite(path, damaged)
    with pytest.raises(LabelModelError, match=r"'confusion_' is missing"):
        load_model(path)
    damaged = copy.deepcopy(payload)
    damaged["fitted"]["bonus_"] = damaged["fitted"]["n_iter_"]
    _rewrite(path, damaged)
    with pytest.raises(LabelModelError, match=r"'bonus_' is not a fitted attribute of DawidSkene"):
        load_model(path)
    damaged = copy.deepcopy(payload)
    del damaged["params"]["seed"]
    _rewrite(path, damaged)
    with pytest.raises(LabelModelError, match=r"\[E137\].*'seed' is missing"):
        load_model(path)
    damaged = copy.deepcopy(payload)
    damaged["params"]["seed"] = "abc"
    _rewrite(path, damaged)
    with pytest.raises(LabelModelError, match=r"\[E137\].*seed must be an integer >= 0"):
        load_model(path)


def test_a_field_that_follows_from_the_parameters_must_agree(tmp_path: Path) -> None:
    path, payload = _saved(tmp_path, MajorityVote(weights=[1, 2, 1, 1, 1]), L)
    payload["fitted"]["weights_"]["data"][1] = 5.0  # in range, but not what weights= gives
    _rewrite(path, payload)
    with pytest.raises(LabelModelError, match=r"'weights_' disagrees with what 'weights' give"):
        load_model(path)


def test_sequence_tags_must_be_a_tag_set(tmp_path: Path) -> None:
    path, payload = _saved(tmp_path, TokenMajorityVote(), _token_matrix())
    payload["fitted"]["tags_"] = ["O", "I-PER", "I-PER"]
    _rewrite(path, payload)
    with pytest.raises(LabelModelError, match=r"'tags_' lists \['I-PER'\] more than once"):
        load_sequence_model(path)
    payload["fitted"]["tags_"] = ["B-PER", "I-PER"]
    _rewrite(path, payload)
    with pytest.raises(LabelModelError, match=r"'tags_' is not a BIO tag set"):
        load_sequence_model(path)


def _token_matrix() -> Any:
    """The corpus as a TokenMatrix: it carries the tag names (no ``tags=`` given)."""
    from weaklabel.tokens import TokenMatrix

    return TokenMatrix([np.maximum(w, 0) for w in WEAK], ("s0", "s1", "s2"), ("PER", "LOC"))


def test_files_without_the_names_load_as_before(tmp_path: Path) -> None:
    path, payload = _saved(tmp_path, MajorityVote(), L)
    model = load_model(path)
    for name in ("source_names_", "label_names_"):
        del payload["fitted"][name]
    _rewrite(path, payload)
    old = load_model(path)
    assert old.source_names_ == () and old.label_names_ is None
    np.testing.assert_array_equal(old.predict_proba(L), model.predict_proba(L))


def test_every_model_class_declares_every_fitted_attribute() -> None:
    for name, klass in MODEL_CLASSES.items():
        declared = klass._fields()
        missing = set(klass._fitted_attributes) - set(declared)
        assert not missing, (name, missing)


def test_hmm_transitions_that_break_bio_are_refused(tmp_path: Path) -> None:
    path, payload = _saved(tmp_path, HMM(tags=TAGS), WEAK)
    assert _same(_predictions(load_sequence_model(path)), _predictions(HMM(tags=TAGS).fit(WEAK)))
    t = len(TAGS)
    trans = np.array(payload["fitted"]["trans_"]["data"]).reshape(t, t)
    trans[0] = 0.0
    trans[0, 2] = 1.0  # O -> I-PER
    payload["fitted"]["trans_"]["data"] = trans.ravel().tolist()
    _rewrite(path, payload)
    with pytest.raises(
        LabelModelError, match=r"'trans_' gives a positive probability to O -> I-PER"
    ):
        load_sequence_model(path)


def test_every_damage_of_every_field_is_refused_or_harmless(
    saved: list[tuple[Any, dict[str, Any], Any]], tmp_path: Path
) -> None:
    # The fuzz test's damage applied everywhere (list items: the first and the last).
    path = tmp_path / "damaged.json"
    cases = 0
    for loader, payload, expected in saved:
        for place in _places(payload):
            parent: Any = payload
            for key in place[:-1]:
                parent = parent[key]
            if isinstance(place[-1], int) and place[-1] not in (0, len(parent) - 1):
                continue
            for damage in _damages(parent[place[-1]], isinstance(parent, dict)):
                cases += 1
                path.write_text(json.dumps(_damage(payload, place, damage)), encoding="utf-8")
                try:
                    model = loader(path)
                except WeaklabelError as exc:
                    assert str(path) in str(exc) and _field(place) in str(exc), (place, exc)
                    continue
                assert _same(_predictions(model), expected), (place, damage)
    assert cases > 3000
