"""The contract every label model satisfies -- both families, checked once for all of them.

The document label models (``MODELS``: votes of shape (n_examples, n_sources) in,
class probabilities out) and the sequence label models (``SEQUENCE_MODELS``: one
(n_tokens, n_sources) array of tag ids per sentence, or a ``TokenMatrix``, in; per-token
tag probabilities out) share one base: the same constructor conventions, ``fit`` returning
``self``, rows of probabilities summing to 1, the same result for the same seed, an exact
JSON round trip, one registry of classes and the same errors for the same faults.
"""

from __future__ import annotations

import ast
import inspect
import os
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from weaklabel.errors import (
    LabelMatrixError,
    LabelModelError,
    LabelSpaceError,
    NotFittedError,
    ParameterError,
)
from weaklabel.matrix import LabelMatrix
from weaklabel.models import MODELS, BaseLabelModel, load_model
from weaklabel.models._params import MODEL_CLASSES
from weaklabel.models.sequence import (
    HMM,
    SEQUENCE_MODELS,
    BaseSequenceModel,
    SequenceLabelModel,
    load_sequence_model,
)
from weaklabel.models.sequence._em import EMSequenceModel
from weaklabel.tokens import TokenMatrix

from .sequence.conftest import TAGS, is_valid_bio, make_corpus

RNG = np.random.default_rng(42)
L_TRAIN = RNG.integers(-1, 3, size=(300, 5))
L_TRAIN[:20] = -1  # all-abstain rows
L_TEST = RNG.integers(-1, 3, size=(80, 5))

WEAK, GOLD = make_corpus()  # 60 sentences, 4 sources (some -1 = did not run), TAGS
SOURCES = ("s0", "s1", "s2", "s3")
TOKENS = TokenMatrix([np.maximum(w, 0) for w in WEAK], SOURCES, ["PER", "LOC"])
"""The corpus as a TokenMatrix (which has no abstain: -1 becomes O)."""

ALL_MODELS = (*MODELS, *SEQUENCE_MODELS)

Model = BaseLabelModel | BaseSequenceModel


def _is_sequence(cls: type) -> bool:
    return issubclass(cls, BaseSequenceModel)


def _make(cls: type[Model], **params: Any) -> Any:
    """A model with the parameters its family needs to fit the test data."""
    return cls(tags=list(TAGS), **params) if _is_sequence(cls) else cls(**params)


def _train(cls: type[Model]) -> Any:
    return WEAK if _is_sequence(cls) else L_TRAIN


def _test(cls: type[Model]) -> Any:
    return WEAK[:25] if _is_sequence(cls) else L_TEST


def _proba(model: Any, data: Any) -> np.ndarray:
    """``predict_proba`` as one array: rows are examples or tokens."""
    out = model.predict_proba(data)
    return np.concatenate(out) if isinstance(out, list) else out


def _load(cls: type[Model], path: str | os.PathLike[str]) -> Any:
    return load_sequence_model(path) if _is_sequence(cls) else load_model(path)


@pytest.fixture(params=ALL_MODELS, ids=lambda cls: cls.__name__)
def any_model(request: pytest.FixtureRequest) -> type[Model]:
    cls: type[Model] = request.param
    return cls


@pytest.fixture(params=MODELS, ids=lambda cls: cls.__name__)
def model_class(request: pytest.FixtureRequest) -> type[BaseLabelModel]:
    cls: type[BaseLabelModel] = request.param
    return cls


@pytest.fixture(params=SEQUENCE_MODELS, ids=lambda cls: cls.__name__)
def sequence_class(request: pytest.FixtureRequest) -> type[BaseSequenceModel]:
    cls: type[BaseSequenceModel] = request.param
    return cls


# ------------------------------------------------------------------------ the lists
def test_contract_models_list_covers_every_model_class() -> None:
    import weaklabel.models as models

    exported = {
        obj
        for obj in vars(models).values()
        if inspect.isclass(obj) and issubclass(obj, BaseLabelModel) and obj is not BaseLabelModel
    }
    assert exported == set(MODELS)


def test_contract_sequence_models_list_covers_every_model_class() -> None:
    import weaklabel.models.sequence as seq

    exported = {
        obj
        for obj in vars(seq).values()
        if inspect.isclass(obj)
        and issubclass(obj, BaseSequenceModel)
        and obj is not BaseSequenceModel
    }
    assert exported == set(SEQUENCE_MODELS)


def test_contract_one_registry_holds_both_families() -> None:
    ours = {cls for cls in MODEL_CLASSES.values() if cls.__module__.startswith("weaklabel.")}
    assert set(ALL_MODELS) <= ours
    assert {BaseLabelModel, BaseSequenceModel, EMSequenceModel} <= ours
    # every other class is a base of models: a new model class joins one of the lists
    leaves = {c for c in ours if not any(o is not c and issubclass(o, c) for o in ours)}
    assert leaves <= set(ALL_MODELS)


# ------------------------------------------------------------------ both families
def _parameters(cls: type) -> str:
    """The ``Parameters`` section of the class's own docstring ("" when it has none)."""
    doc = inspect.cleandoc(vars(cls).get("__doc__") or "")
    found = re.search(r"^Parameters\n-+\n(.*?)(?:\n\n\S[^\n]*\n-+\n|\Z)", doc, re.S | re.M)
    return found.group(1) if found else ""


def _documented_default(cls: type, name: str) -> object:
    """The default the docs state for ``name``: the class lists the parameter, and it or
    the nearest base documenting it (a grouped entry such as ``tags, seed`` refers to a
    base) has the entry ``name : type, default X`` (``optional`` means None)."""
    listed = re.compile(rf"^(?:\S+, )*{name}(?:,.*| :.*)?\\?$", re.M)
    assert listed.search(_parameters(cls)), f"{cls.__name__}: parameter {name!r} not listed"
    entry = re.compile(rf"^{name} :.*$", re.M)
    line = next((m.group(0) for k in cls.__mro__ if (m := entry.search(_parameters(k)))), None)
    assert line is not None, f"parameter {name!r} is not documented"
    if ", default " in line:
        return ast.literal_eval(line.split(", default ", 1)[1].strip())
    assert line.endswith("optional"), f"no default documented for {name!r}: {line!r}"
    return None


def test_contract_constructor_is_keyword_only_with_documented_defaults(
    any_model: type[Model],
) -> None:
    params = inspect.signature(any_model.__init__).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for n, p in params.items() if n != "self")
    assert params["seed"].default == 0
    if _is_sequence(any_model):
        assert params["tags"].default is None
    else:
        assert params["cardinality"].default is None and params["tie_break"].default == "index"
    for name, p in params.items():
        if name != "self":
            assert _documented_default(any_model, name) == p.default, name


def test_contract_fit_returns_self_and_sets_only_underscore_attributes(
    any_model: type[Model],
) -> None:
    model = _make(any_model, seed=3)
    before = dict(vars(model))
    assert model.fit(_train(any_model)) is model
    added = set(vars(model)) - set(before)
    assert added and all(name.endswith("_") for name in added)
    assert {k: v for k, v in vars(model).items() if k in before} == before  # params untouched
    assert set(model._fitted_attributes) <= added
    assert "seed=3" in repr(model)


def test_contract_predict_proba_rows_are_distributions(any_model: type[Model]) -> None:
    model = _make(any_model).fit(_train(any_model))
    test = _test(any_model)
    out = model.predict_proba(test)
    if _is_sequence(any_model):
        assert isinstance(out, list) and len(out) == len(test)
        for w, q in zip(test, out, strict=True):
            assert q.shape == (len(w), len(TAGS)) and q.dtype == np.float64
    else:
        assert out.shape == (80, 3) and out.dtype == np.float64
    proba = _proba(model, test)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.all((proba >= 0) & (proba <= 1))


def test_contract_same_seed_same_result(any_model: type[Model]) -> None:
    a = _make(any_model, seed=11).fit(_train(any_model))
    b = _make(any_model, seed=11).fit(_train(any_model))
    test = _test(any_model)
    assert np.array_equal(_proba(a, test), _proba(b, test))
    if _is_sequence(any_model):
        assert a.predict(test) == b.predict(test)
        return
    for policy in ("index", "random", "abstain"):
        assert np.array_equal(a.predict(test, tie_break=policy), b.predict(test, tie_break=policy))
    silent = np.full((200, 5), -1)  # all tied under MajorityVote: the seed decides
    if any_model.__name__ == "MajorityVote":
        assert not np.array_equal(
            a.predict(silent), any_model(seed=12).fit(L_TRAIN).predict(silent)
        )


def test_contract_json_round_trip_is_exact(any_model: type[Model], tmp_path: Path) -> None:
    params = {"seed": 5} if _is_sequence(any_model) else {"seed": 5, "tie_break": "random"}
    model = _make(any_model, **params).fit(_train(any_model))
    path = tmp_path / "model.json"
    model.save(path)
    loaded = _load(any_model, path)
    assert type(loaded) is any_model
    assert loaded.get_params() == model.get_params()
    for name in model._fitted_attributes:
        original, restored = getattr(model, name), getattr(loaded, name)
        assert type(original) is type(restored)
        assert np.array_equal(original, restored)
        if isinstance(original, np.ndarray):
            assert original.dtype == restored.dtype and original.shape == restored.shape
    test = _test(any_model)
    assert np.array_equal(_proba(loaded, test), _proba(model, test))
    if _is_sequence(any_model):
        assert loaded.predict(test) == model.predict(test)
    else:
        assert np.array_equal(loaded.predict(test), model.predict(test))
    assert any_model.load(path).get_params() == model.get_params()
    assert "pickle" not in path.read_text(encoding="utf-8")


def test_contract_unfitted_model_round_trips_params(any_model: type[Model], tmp_path: Path) -> None:
    model = _make(any_model, seed=2)
    model.save(tmp_path / "m.json")
    again = _load(any_model, tmp_path / "m.json")
    assert again.get_params() == model.get_params()
    with pytest.raises(NotFittedError, match=any_model.__name__):
        again.predict(_test(any_model))


def test_contract_predict_before_fit_raises_not_fitted(any_model: type[Model]) -> None:
    model = _make(any_model)
    test = _test(any_model)
    gold = GOLD[:25] if _is_sequence(any_model) else np.zeros(80, dtype=int)
    for call in (
        lambda: model.predict_proba(test),
        lambda: model.predict(test),
        lambda: model.score(test, gold),
    ):
        with pytest.raises(NotFittedError, match=rf"{any_model.__name__}.*fit"):
            call()
    assert issubclass(NotFittedError, AttributeError)  # hasattr-style checks keep working


def test_contract_params_clone(any_model: type[Model]) -> None:
    model = _make(any_model, seed=9)
    clone = type(model)(**model.get_params())
    assert clone.get_params() == model.get_params()
    train, test = _train(any_model), _test(any_model)
    assert np.array_equal(_proba(clone.fit(train), test), _proba(model.fit(train), test))
    with pytest.raises((LabelModelError, ParameterError), match=r"\[E061\] Unknown parameter"):
        model.set_params(nope=1)


def test_contract_model_file_faults_raise_the_same_error_in_both_families(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.json"
    for load, fmt in ((load_model, "label_model"), (load_sequence_model, "sequence_model")):
        bad.write_text('{"format": "something else"}', encoding="utf-8")
        with pytest.raises(LabelModelError, match=r"\[E131\]"):
            load(bad)
        bad.write_text("{", encoding="utf-8")
        with pytest.raises(LabelModelError, match=r"\[E130\]"):
            load(bad)
        bad.write_text(f'{{"format": "weaklabel.{fmt}", "version": 99}}', encoding="utf-8")
        with pytest.raises(LabelModelError, match=r"\[E132\].*99"):
            load(bad)
        bad.write_text(
            f'{{"format": "weaklabel.{fmt}", "version": 1, "class": "x", "params": [1], '
            '"fitted": {}}',
            encoding="utf-8",
        )
        with pytest.raises(LabelModelError, match=r"\[E130\].*must be objects"):
            load(bad)
        bad.write_text(
            f'{{"format": "weaklabel.{fmt}", "version": 1, "class": "nope.Nope", '
            '"params": {}, "fitted": {}}',
            encoding="utf-8",
        )
        with pytest.raises(LabelModelError, match=r"\[E133\].*Nope"):
            load(bad)
        bad.write_text(f'{{"format": "weaklabel.{fmt}", "version": 1}}', encoding="utf-8")
        with pytest.raises(LabelModelError, match=r"\[E130\].*lacks \['class', 'fitted'"):
            load(bad)
    # a file of one family is not a model of the other
    MODELS[0]().save(tmp_path / "doc.json")
    SequenceLabelModel().save(tmp_path / "seq.json")
    with pytest.raises(LabelModelError, match=r"\[E131\].*load_sequence_model"):
        load_sequence_model(tmp_path / "doc.json")
    with pytest.raises(LabelModelError, match=r"\[E131\]"):
        load_model(tmp_path / "seq.json")
    with pytest.raises(LabelModelError, match=r"\[E134\]"):
        HMM.load(tmp_path / "seq.json")


# ---------------------------------------------------------------- document models
def test_contract_outputs_have_documented_shapes_and_dtypes(
    model_class: type[BaseLabelModel],
) -> None:
    model = model_class().fit(L_TRAIN)
    assert model.cardinality_ == 3 and model.n_sources_ == 5
    assert model.class_prior_.shape == (3,)
    preds = model.predict(L_TEST)
    assert preds.shape == (80,) and preds.dtype == np.int64
    assert np.all((preds >= 0) & (preds < 3))
    assert isinstance(model.score(L_TEST, preds), float)
    assert model.score(L_TEST, preds) == 1.0


def test_contract_abstain_is_minus_one(model_class: type[BaseLabelModel]) -> None:
    model = model_class().fit(L_TRAIN)
    silent = np.full((3, 5), -1)
    proba = model.predict_proba(silent)
    assert np.allclose(proba, proba[0])  # nothing distinguishes these rows
    with pytest.raises(LabelMatrixError, match="only -1"):
        model.predict_proba(np.full((1, 5), -2))


def test_contract_input_types_give_the_same_result(model_class: type[BaseLabelModel]) -> None:
    expected = model_class().fit(L_TRAIN).predict_proba(L_TEST)
    names = tuple(f"lf{j}" for j in range(5))
    for train, test in [
        (LabelMatrix(L_TRAIN, names), LabelMatrix(L_TEST, names)),
        (pd.DataFrame(L_TRAIN, columns=list(names)), pd.DataFrame(L_TEST, columns=list(names))),
        (sp.csr_matrix(L_TRAIN + 1), sp.csr_matrix(L_TEST + 1)),
        (L_TRAIN.astype(np.int8), L_TEST.astype(np.int16)),
    ]:
        assert np.array_equal(model_class().fit(train).predict_proba(test), expected)


def test_contract_wrong_number_of_sources_raises_helpfully(
    model_class: type[BaseLabelModel],
) -> None:
    model = model_class().fit(L_TRAIN)
    with pytest.raises(LabelMatrixError) as info:
        model.predict(L_TEST[:, :4])
    message = str(info.value)
    assert "fitted on 5 sources" in message and "4 columns" in message
    assert "same order" in message


def test_contract_label_beyond_cardinality_raises(model_class: type[BaseLabelModel]) -> None:
    model = model_class(cardinality=3).fit(L_TRAIN)
    bad = L_TEST.copy()
    bad[4, 2] = 3
    with pytest.raises(LabelMatrixError, match=r"label 3 in column 'source_2'"):
        model.predict(bad)


# ---------------------------------------------------------------- sequence models
def test_contract_token_matrix_and_list_of_arrays_give_the_same_result(
    sequence_class: type[BaseSequenceModel],
) -> None:
    arrays = list(TOKENS.weak)
    from_list = sequence_class(tags=list(TAGS)).fit(arrays)
    from_matrix = sequence_class().fit(TOKENS)  # the tags come from the matrix
    assert from_matrix.tags_ == TOKENS.tag_names == TAGS
    for model in (from_list, from_matrix):
        for data in (arrays, TOKENS):
            assert model.predict(data) == from_list.predict(arrays)
            assert np.array_equal(_proba(model, data), _proba(from_list, arrays))
    assert from_matrix.score(TOKENS, GOLD) == from_list.score(arrays, GOLD)


def test_contract_only_token_matrices_and_lists_are_read(
    sequence_class: type[BaseSequenceModel],
) -> None:
    duck = SimpleNamespace(weak=WEAK, tag_names=TAGS, source_names=list(SOURCES))
    for data in (duck, {"weak": WEAK}, "O O O", np.zeros((3, 4), dtype=int)):
        with pytest.raises(LabelMatrixError, match=r"\[E610\]"):
            sequence_class(tags=list(TAGS)).fit(data)


def test_contract_predictions_are_valid_bio(sequence_class: type[BaseSequenceModel]) -> None:
    model = sequence_class(tags=list(TAGS)).fit(WEAK)
    assert model.tags_ == TAGS and model.n_sources_ == 4
    pred, ids = model.predict(WEAK), model.predict_ids(WEAK)
    assert len(pred) == len(ids) == len(WEAK)
    for w, p, i in zip(WEAK, pred, ids, strict=True):
        assert len(p) == len(w) and is_valid_bio(p)
        assert [TAGS[k] for k in i] == p


def test_contract_score_is_entity_f1(sequence_class: type[BaseSequenceModel]) -> None:
    model = sequence_class(tags=list(TAGS)).fit(WEAK)
    assert 0.3 < model.score(WEAK, GOLD) <= 1.0
    assert model.score(WEAK, model.predict(WEAK)) == 1.0


def test_contract_sequence_input_errors(sequence_class: type[BaseSequenceModel]) -> None:
    fitted = sequence_class(tags=list(TAGS)).fit(WEAK)
    with pytest.raises(LabelMatrixError, match=r"\[E101\]"):
        fitted.predict([np.zeros((3, 2), dtype=np.int64)])
    with pytest.raises(LabelMatrixError, match=r"\[E613\] Sentence 1, token 2, source 3"):
        fitted.predict([np.zeros((1, 4), dtype=int), np.array([[0] * 4, [0] * 4, [0, 0, 0, 9]])])
    with pytest.raises(LabelMatrixError, match=r"\[E611\]"):
        fitted.predict([np.zeros(4, dtype=int)])
    with pytest.raises(LabelMatrixError, match=r"\[E612\]"):
        fitted.predict([np.zeros((1, 4), dtype=int), np.zeros((1, 3), dtype=int)])
    with pytest.raises(LabelMatrixError, match=r"\[E616\]"):
        fitted.score(WEAK, GOLD[:3])
    other = TokenMatrix(list(TOKENS.weak), SOURCES, ["PER", "ORG"])
    with pytest.raises(LabelSpaceError, match=r"\[E605\]"):
        fitted.predict(other)


def test_contract_empty_sentences(sequence_class: type[BaseSequenceModel]) -> None:
    model = sequence_class().fit(TOKENS)
    weak = [np.zeros((0, 4), dtype=np.int64), WEAK[0]]
    pred = model.predict(weak)
    assert pred[0] == [] and len(pred[1]) == len(WEAK[0])
    assert model.predict_proba(weak)[0].shape == (0, len(TAGS))
    assert model.predict([]) == []


def test_contract_tag_errors(sequence_class: type[BaseSequenceModel]) -> None:
    with pytest.raises(LabelSpaceError, match=r"\[E604\]"):
        sequence_class().fit(WEAK)
    other = TokenMatrix(list(TOKENS.weak), SOURCES, ["X", "Y"])
    with pytest.raises(LabelSpaceError, match=r"\[E605\]"):
        sequence_class(tags=list(TAGS)).fit(other)
    with pytest.raises(LabelMatrixError, match=r"\[E614\]"):
        sequence_class(tags=list(TAGS)).fit([])
    with pytest.raises(ParameterError, match=r"\[E060\].*seed"):
        sequence_class(tags=list(TAGS), seed=-1).fit(WEAK)
