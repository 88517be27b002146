"""The contract every sequence label model in ``SEQUENCE_MODELS`` satisfies."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from weaklabel.errors import LabelMatrixError, LabelSpaceError, NotFittedError, ParameterError
from weaklabel.models.sequence import (
    SEQUENCE_MODELS,
    BaseSequenceModel,
    SequenceLabelModel,
    load_sequence_model,
)

from .conftest import TAGS, is_valid_bio

Corpus = tuple[list[np.ndarray], list[list[str]]]


@pytest.fixture(params=SEQUENCE_MODELS, ids=lambda cls: cls.__name__)
def model_class(request: pytest.FixtureRequest) -> type[BaseSequenceModel]:
    cls: type[BaseSequenceModel] = request.param
    return cls


@pytest.fixture
def fitted(model_class: type[BaseSequenceModel], corpus: Corpus) -> BaseSequenceModel:
    return model_class(tags=list(TAGS)).fit(corpus[0])


def test_contract_models_list_covers_every_model_class() -> None:
    import weaklabel.models.sequence as seq

    exported = {
        obj
        for obj in vars(seq).values()
        if inspect.isclass(obj)
        and issubclass(obj, BaseSequenceModel)
        and obj is not BaseSequenceModel
    }
    assert exported == set(SEQUENCE_MODELS)


def _documented_default(doc: str, name: str) -> object:
    line = next((ln.strip() for ln in doc.splitlines() if ln.strip().startswith(f"{name} :")), None)
    assert line is not None, f"parameter {name!r} is not documented"
    assert ", default " in line, line
    return ast.literal_eval(line.split(", default ", 1)[1].strip())


def test_contract_constructor_keyword_only_with_documented_defaults(
    model_class: type[BaseSequenceModel],
) -> None:
    params = inspect.signature(model_class.__init__).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for n, p in params.items() if n != "self")
    assert params["tags"].default is None and params["seed"].default == 0
    doc = inspect.getdoc(model_class) or ""
    for name, param in params.items():
        if name != "self":
            assert _documented_default(doc, name) == param.default, name


def test_contract_fit_returns_self_and_stores_params(
    model_class: type[BaseSequenceModel], corpus: Corpus
) -> None:
    model = model_class(tags=list(TAGS), seed=3)
    assert model.fit(corpus[0]) is model
    assert model.get_params()["seed"] == 3
    assert model.tags_ == TAGS and model.n_sources_ == 4
    assert "seed=3" in repr(model)


def test_contract_shapes_valid_bio_and_proba(fitted: BaseSequenceModel, corpus: Corpus) -> None:
    weak = corpus[0]
    pred = fitted.predict(weak)
    proba = fitted.predict_proba(weak)
    ids = fitted.predict_ids(weak)
    assert len(pred) == len(proba) == len(ids) == len(weak)
    for w, p, q, i in zip(weak, pred, proba, ids, strict=True):
        assert len(p) == len(w) and q.shape == (len(w), len(TAGS))
        assert is_valid_bio(p)
        assert [TAGS[k] for k in i] == p
        np.testing.assert_allclose(q.sum(axis=1), 1.0)
        assert (q >= 0).all()


def test_contract_deterministic(model_class: type[BaseSequenceModel], corpus: Corpus) -> None:
    a = model_class(tags=list(TAGS)).fit(corpus[0])
    b = model_class(tags=list(TAGS)).fit(corpus[0])
    assert a.predict(corpus[0]) == b.predict(corpus[0])
    for x, y in zip(a.predict_proba(corpus[0]), b.predict_proba(corpus[0]), strict=True):
        np.testing.assert_array_equal(x, y)


def test_contract_json_round_trip_is_exact(
    fitted: BaseSequenceModel, corpus: Corpus, tmp_path: Path
) -> None:
    path = tmp_path / "model.json"
    fitted.save(path)
    loaded = load_sequence_model(path)
    assert type(loaded) is type(fitted)
    assert loaded.predict(corpus[0]) == fitted.predict(corpus[0])
    for x, y in zip(loaded.predict_proba(corpus[0]), fitted.predict_proba(corpus[0]), strict=True):
        np.testing.assert_array_equal(x, y)
    assert type(fitted).load(path).tags_ == fitted.tags_
    assert "pickle" not in path.read_text(encoding="utf-8")


def test_contract_unfitted_model_round_trips_params(
    model_class: type[BaseSequenceModel], tmp_path: Path
) -> None:
    model = model_class(tags=list(TAGS), seed=2)
    model.save(tmp_path / "m.json")
    again = load_sequence_model(tmp_path / "m.json")
    assert again.get_params() == model.get_params()
    with pytest.raises(NotFittedError, match=r"\[E622\]"):
        again.predict([np.zeros((2, 1), dtype=np.int64)])


def test_contract_score_is_entity_f1(fitted: BaseSequenceModel, corpus: Corpus) -> None:
    weak, gold = corpus
    score = fitted.score(weak, gold)
    assert 0.3 < score <= 1.0
    assert fitted.score(weak, fitted.predict(weak)) == 1.0


def test_contract_input_errors(fitted: BaseSequenceModel, corpus: Corpus) -> None:
    with pytest.raises(LabelMatrixError, match=r"\[E615\]"):
        fitted.predict([np.zeros((3, 2), dtype=np.int64)])
    with pytest.raises(LabelMatrixError, match=r"\[E613\] Sentence 1, token 2, source 3"):
        fitted.predict([np.zeros((1, 4), dtype=int), np.array([[0] * 4, [0] * 4, [0, 0, 0, 9]])])
    with pytest.raises(LabelMatrixError, match=r"\[E611\]"):
        fitted.predict([np.zeros(4, dtype=int)])
    with pytest.raises(LabelMatrixError, match=r"\[E610\]"):
        fitted.predict("O O O")
    with pytest.raises(LabelMatrixError, match=r"\[E612\]"):
        fitted.predict([np.zeros((1, 4), dtype=int), np.zeros((1, 3), dtype=int)])
    with pytest.raises(LabelMatrixError, match=r"\[E616\]"):
        fitted.score(corpus[0], corpus[1][:3])


def test_contract_empty_sentences_and_objects_with_weak(
    model_class: type[BaseSequenceModel], corpus: Corpus
) -> None:
    data = SimpleNamespace(weak=corpus[0], tag_names=TAGS, source_names=list("abcd"))
    model = model_class().fit(data)  # tags from .tag_names
    assert model.tags_ == TAGS
    weak = [np.zeros((0, 4), dtype=np.int64), corpus[0][0]]
    pred = model.predict(weak)
    assert pred[0] == [] and len(pred[1]) == len(corpus[0][0])
    assert model.predict_proba(weak)[0].shape == (0, len(TAGS))
    assert model.predict([]) == []


def test_contract_tag_errors(model_class: type[BaseSequenceModel], corpus: Corpus) -> None:
    with pytest.raises(LabelSpaceError, match=r"\[E604\]"):
        model_class().fit(corpus[0])
    other = SimpleNamespace(weak=corpus[0], tag_names=("O", "B-X", "I-X", "B-Y", "I-Y"))
    with pytest.raises(LabelSpaceError, match=r"\[E605\]"):
        model_class(tags=list(TAGS)).fit(other)
    with pytest.raises(LabelMatrixError, match=r"\[E614\]"):
        model_class(tags=list(TAGS)).fit([])
    with pytest.raises(ParameterError, match=r"\[E620\].*seed"):
        model_class(tags=list(TAGS), seed=-1).fit(corpus[0])
    with pytest.raises(ParameterError, match=r"\[E621\]"):
        model_class().set_params(nope=1)


def test_contract_load_rejects_foreign_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ParameterError, match=r"\[E631\]"):
        load_sequence_model(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"\[E630\]"):
        load_sequence_model(bad)
    bad.write_text('{"format": "weaklabel.sequence_model", "version": 99}', encoding="utf-8")
    with pytest.raises(ParameterError, match=r"\[E632\].*99"):
        load_sequence_model(bad)
    bad.write_text(
        '{"format": "weaklabel.sequence_model", "version": 1, "params": [1]}', encoding="utf-8"
    )
    with pytest.raises(ParameterError, match=r"\[E630\].*must be objects"):
        load_sequence_model(bad)
    SequenceLabelModel().save(tmp_path / "m.json")
    from weaklabel.models.sequence import HMM

    with pytest.raises(ParameterError, match=r"\[E633\]"):
        HMM.load(tmp_path / "m.json")
