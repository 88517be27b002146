"""The contract every label model in ``MODELS`` satisfies, checked once for all of them."""

from __future__ import annotations

import ast
import inspect
import os

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from weaklabel.errors import LabelMatrixError, NotFittedError
from weaklabel.matrix import LabelMatrix
from weaklabel.models import MODELS, BaseLabelModel, load_model

RNG = np.random.default_rng(42)
L_TRAIN = RNG.integers(-1, 3, size=(300, 5))
L_TRAIN[:20] = -1  # all-abstain rows
L_TEST = RNG.integers(-1, 3, size=(80, 5))


@pytest.fixture(params=MODELS, ids=lambda cls: cls.__name__)
def model_class(request: pytest.FixtureRequest) -> type[BaseLabelModel]:
    cls: type[BaseLabelModel] = request.param
    return cls


def test_contract_models_list_covers_every_model_class() -> None:
    import weaklabel.models as models

    exported = {
        obj
        for obj in vars(models).values()
        if inspect.isclass(obj) and issubclass(obj, BaseLabelModel) and obj is not BaseLabelModel
    }
    assert exported == set(MODELS)


def _documented_default(doc: str, name: str) -> object:
    """The default a numpydoc ``Parameters`` entry states (``optional`` means None)."""
    line = next((ln.strip() for ln in doc.splitlines() if ln.strip().startswith(f"{name} :")), None)
    assert line is not None, f"parameter {name!r} is not documented"
    if ", default " in line:
        return ast.literal_eval(line.split(", default ", 1)[1].strip())
    assert line.endswith("optional"), f"no default documented for {name!r}: {line!r}"
    return None


def test_contract_constructor_is_keyword_only_with_documented_defaults(
    model_class: type[BaseLabelModel],
) -> None:
    params = inspect.signature(model_class.__init__).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for n, p in params.items() if n != "self")
    assert params["cardinality"].default is None
    assert params["seed"].default == 0
    assert params["tie_break"].default == "index"
    # the docstring of the class that defines __init__ states every default, correctly
    owner = next(c for c in model_class.__mro__ if "__init__" in vars(c))
    doc = inspect.getdoc(owner) or ""
    for name, p in params.items():
        if name != "self":
            assert _documented_default(doc, name) == p.default, name


def test_contract_fit_returns_self_and_sets_only_underscore_attributes(
    model_class: type[BaseLabelModel],
) -> None:
    model = model_class()
    before = dict(vars(model))
    assert model.fit(L_TRAIN) is model
    added = set(vars(model)) - set(before)
    assert added and all(name.endswith("_") for name in added)
    assert {k: v for k, v in vars(model).items() if k in before} == before  # params untouched
    assert set(model._fitted_attributes) <= added
    assert model.cardinality_ == 3 and model.n_sources_ == 5
    assert model.class_prior_.shape == (3,)


def test_contract_outputs_have_documented_shapes_and_dtypes(
    model_class: type[BaseLabelModel],
) -> None:
    model = model_class().fit(L_TRAIN)
    proba = model.predict_proba(L_TEST)
    assert proba.shape == (80, 3) and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.all((proba >= 0) & (proba <= 1))
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


def test_contract_same_seed_same_result(model_class: type[BaseLabelModel]) -> None:
    a = model_class(seed=11).fit(L_TRAIN)
    b = model_class(seed=11).fit(L_TRAIN)
    assert np.array_equal(a.predict_proba(L_TEST), b.predict_proba(L_TEST))
    for policy in ("index", "random", "abstain"):
        assert np.array_equal(
            a.predict(L_TEST, tie_break=policy), b.predict(L_TEST, tie_break=policy)
        )
    silent = np.full((200, 5), -1)  # all tied under MajorityVote: the seed decides
    if model_class.__name__ == "MajorityVote":
        assert not np.array_equal(
            a.predict(silent), model_class(seed=12).fit(L_TRAIN).predict(silent)
        )


def test_contract_json_round_trip_is_exact(
    model_class: type[BaseLabelModel], tmp_path: os.PathLike[str]
) -> None:
    model = model_class(seed=5, tie_break="random").fit(L_TRAIN)
    path = os.path.join(tmp_path, "model.json")
    model.save(path)
    loaded = load_model(path)
    assert type(loaded) is model_class
    assert loaded.get_params() == model.get_params()
    for name in model._fitted_attributes:
        original, restored = getattr(model, name), getattr(loaded, name)
        assert type(original) is type(restored)
        assert np.array_equal(original, restored)
        if isinstance(original, np.ndarray):
            assert original.dtype == restored.dtype and original.shape == restored.shape
    assert np.array_equal(loaded.predict_proba(L_TEST), model.predict_proba(L_TEST))
    assert np.array_equal(loaded.predict(L_TEST), model.predict(L_TEST))
    assert model_class.load(path).get_params() == model.get_params()
    with open(path, encoding="utf-8") as fh:
        assert "pickle" not in fh.read()


def test_contract_predict_before_fit_raises_not_fitted(model_class: type[BaseLabelModel]) -> None:
    model = model_class()
    for call in (
        lambda: model.predict_proba(L_TEST),
        lambda: model.predict(L_TEST),
        lambda: model.score(L_TEST, np.zeros(80, dtype=int)),
    ):
        with pytest.raises(NotFittedError, match=rf"{model_class.__name__}.*fit"):
            call()
    assert issubclass(NotFittedError, AttributeError)  # hasattr-style checks keep working


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


def test_contract_params_clone(model_class: type[BaseLabelModel]) -> None:
    model = model_class(cardinality=3, seed=9)
    clone = model_class(**model.get_params())
    assert clone.get_params() == model.get_params()
    assert np.array_equal(
        clone.fit(L_TRAIN).predict_proba(L_TEST), model.fit(L_TRAIN).predict_proba(L_TEST)
    )
