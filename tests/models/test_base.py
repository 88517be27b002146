"""BaseLabelModel: parameters, input validation, tie-breaking, scoring and persistence."""

from __future__ import annotations

import hashlib
import json
import os

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from weaklabel import ties as ties_module
from weaklabel.errors import LabelMatrixError, NotFittedError
from weaklabel.matrix import LabelMatrix
from weaklabel.models import DawidSkene, MajorityVote, load_model, probs_to_preds
from weaklabel.models import base as base_module
from weaklabel.models._errors import LabelModelError
from weaklabel.models.base import BaseLabelModel


def snorkel_probs_to_preds(probs: np.ndarray, tol: float = 1e-5) -> np.ndarray:
    """Snorkel's ``probs_to_preds(probs, tie_break_policy="random")``, row by row."""
    diffs = np.abs(probs - probs.max(axis=1).reshape(-1, 1))
    preds = np.empty(probs.shape[0], dtype=np.int64)
    for i in range(probs.shape[0]):
        max_idxs = np.where(diffs[i, :] < tol)[0]
        if len(max_idxs) == 1:
            preds[i] = max_idxs[0]
        else:
            preds[i] = max_idxs[int(hashlib.sha1(str(i).encode()).hexdigest(), 16) % len(max_idxs)]
    return preds


L_SMALL = np.array([[0, 0, -1], [1, -1, 1], [-1, -1, -1], [0, 1, -1], [1, 1, 0]])


# ------------------------------------------------------------------ tie-breaking
def test_probs_to_preds_index_policy_matches_snorkel_hash() -> None:
    rng = np.random.default_rng(0)
    proba = rng.dirichlet(np.ones(4), size=300)
    proba[::3] = 0.25  # four-way ties
    proba[1::7, :2] = 0.5  # two-way ties
    proba[1::7, 2:] = 0.0
    expected = snorkel_probs_to_preds(proba)
    assert np.array_equal(probs_to_preds(proba), expected)
    # the hash really decides: not every tied row gets the first tied class
    assert len(set(expected[::3].tolist())) == 4


def test_probs_to_preds_seed_hashes_seed_and_index() -> None:
    proba = np.full((50, 3), 1 / 3)
    preds = probs_to_preds(proba, seed=7)
    expected = [int(hashlib.sha1(f"7:{i}".encode()).hexdigest(), 16) % 3 for i in range(50)]
    assert preds.tolist() == expected
    assert not np.array_equal(preds, probs_to_preds(proba, seed=0))


def test_probs_to_preds_tie_tolerance_is_1e_5() -> None:
    proba = np.array([[0.5, 0.5 - 5e-6], [0.5, 0.5 - 5e-5], [0.2, 0.8]])
    assert probs_to_preds(proba, tie_break="abstain").tolist() == [-1, 0, 1]


def test_probs_to_preds_hashes_only_tied_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []
    real_sha1 = hashlib.sha1

    def counting_sha1(data: bytes) -> hashlib._Hash:
        calls.append(data)
        return real_sha1(data)

    monkeypatch.setattr(ties_module.hashlib, "sha1", counting_sha1)
    proba = np.tile([[0.9, 0.1]], (10_000, 1))
    proba[[3, 500, 9999]] = 0.5
    probs_to_preds(proba)
    assert calls == [b"3", b"500", b"9999"]


def test_probs_to_preds_random_policy_picks_among_tied_reproducibly() -> None:
    proba = np.zeros((400, 4))
    proba[:, [1, 3]] = 0.5
    first = probs_to_preds(proba, tie_break="random", seed=5)
    assert set(first.tolist()) == {1, 3}
    assert np.array_equal(first, probs_to_preds(proba, tie_break="random", seed=5))
    assert not np.array_equal(first, probs_to_preds(proba, tie_break="random", seed=6))


def test_probs_to_preds_abstain_policy_and_unknown_policy() -> None:
    proba = np.array([[0.5, 0.5], [0.7, 0.3]])
    assert probs_to_preds(proba, tie_break="abstain").tolist() == [-1, 0]
    with pytest.raises(LabelModelError, match="tie_break must be one of"):
        probs_to_preds(proba, tie_break="first")


def test_base_predict_tie_break_override() -> None:
    model = MajorityVote().fit(L_SMALL)
    preds = model.predict(L_SMALL, tie_break="abstain")
    assert preds.tolist() == [0, 1, -1, -1, 1]
    assert (model.predict(L_SMALL) >= 0).all()
    with pytest.raises(LabelModelError, match="tie_break"):
        model.predict(L_SMALL, tie_break="nope")


# ------------------------------------------------------------------ parameters
def test_base_constructor_is_keyword_only_and_stores_params_as_given() -> None:
    with pytest.raises(TypeError):
        MajorityVote(2)  # type: ignore[call-arg]
    weights = np.array([1.0, 2.0, 3.0])
    model = MajorityVote(cardinality=3, seed=4, weights=weights)
    params = model.get_params()
    assert params["weights"] is weights
    assert params == {
        "cardinality": 3,
        "seed": 4,
        "tie_break": "index",
        "weights": weights,
        "class_prior": None,
    }


def test_base_set_params_updates_and_rejects_unknown_names() -> None:
    model = DawidSkene()
    assert model.set_params(max_iter=5, seed=2) is model
    assert (model.max_iter, model.seed) == (5, 2)
    with pytest.raises(LabelModelError, match="Unknown parameter 'max_iters' for DawidSkene"):
        model.set_params(max_iters=5)


def test_base_repr_shows_changed_params_only() -> None:
    assert repr(MajorityVote()) == "MajorityVote()"
    assert repr(DawidSkene(seed=3, model_abstains=False)) == (
        "DawidSkene(seed=3, model_abstains=False)"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"cardinality": 1}, "cardinality must be an integer >= 2"),
        ({"cardinality": 2.0}, "cardinality must be an integer >= 2"),
        ({"seed": -1}, r"E060\] MajorityVote: seed must be an integer >= 0"),
        ({"seed": "0"}, r"E060\] MajorityVote: seed must be an integer >= 0"),
        ({"tie_break": "first"}, "tie_break must be one of"),
    ],
)
def test_base_invalid_params_raise_at_fit(params: dict[str, object], message: str) -> None:
    model = MajorityVote(**params)  # type: ignore[arg-type]
    with pytest.raises(LabelModelError, match=message):
        model.fit(L_SMALL)


# ------------------------------------------------------------------ cardinality and inputs
def test_base_infers_cardinality_from_label_names_then_max_label() -> None:
    named = LabelMatrix(L_SMALL, label_names=("A", "B", "C"))
    assert MajorityVote().fit(named).cardinality_ == 3
    assert MajorityVote().fit(L_SMALL).cardinality_ == 2
    assert MajorityVote().fit(np.array([[0, -1], [-1, -1]])).cardinality_ == 2
    assert MajorityVote().fit(np.array([[4, -1]])).cardinality_ == 5
    assert MajorityVote(cardinality=4).fit(L_SMALL).predict_proba(L_SMALL).shape == (5, 4)


def test_base_cardinality_disagreeing_with_label_names_raises() -> None:
    named = LabelMatrix(L_SMALL, label_names=("A", "B"))
    with pytest.raises(
        LabelModelError, match="cardinality=3 disagrees with the label matrix's 2 label names"
    ):
        MajorityVote(cardinality=3).fit(named)


def test_base_label_above_cardinality_names_the_source() -> None:
    L = LabelMatrix(np.array([[0, 1], [2, -1]]), source_names=("kw_free", "kw_win"))
    with pytest.raises(LabelMatrixError, match=r"label 2 in column 'kw_free'.*cardinality 2"):
        MajorityVote(cardinality=2).fit(L)
    model = MajorityVote(cardinality=2).fit(np.array([[0, 1], [1, -1]]))
    with pytest.raises(LabelMatrixError, match="holds the label 2 in column 'kw_free'"):
        model.predict_proba(L)


def test_base_accepts_labelmatrix_dataframe_and_sparse_alike() -> None:
    model = DawidSkene().fit(L_SMALL)
    expected = model.predict_proba(L_SMALL)
    frame = pd.DataFrame(L_SMALL, columns=["a", "b", "c"])
    sparse = sp.csr_matrix(L_SMALL + 1)
    for L in (LabelMatrix(L_SMALL), frame, sparse, L_SMALL.astype(np.int8)):
        assert np.array_equal(model.predict_proba(L), expected)
        assert np.array_equal(DawidSkene().fit(L).predict_proba(L_SMALL), expected)


def test_base_empty_matrix_cannot_be_fitted_but_can_be_predicted() -> None:
    with pytest.raises(LabelModelError, match="empty label matrix"):
        MajorityVote().fit(np.zeros((0, 3), dtype=int))
    with pytest.raises(LabelModelError, match="empty label matrix"):
        MajorityVote().fit(np.zeros((3, 0), dtype=int))
    model = MajorityVote().fit(L_SMALL)
    assert model.predict_proba(np.zeros((0, 3), dtype=int)).shape == (0, 2)
    assert model.predict(np.zeros((0, 3), dtype=int)).dtype == np.int64


def test_base_refit_replaces_fitted_state() -> None:
    model = MajorityVote().fit(L_SMALL)
    model.fit(np.array([[0, 1, 2, -1]]))
    assert (model.n_sources_, model.cardinality_) == (4, 3)
    with pytest.raises(LabelMatrixError, match="fitted on 4 sources"):
        model.predict(L_SMALL)


def test_base_not_fitted_error_names_the_method() -> None:
    with pytest.raises(NotFittedError, match=r"MajorityVote.*fit\(L\).*predict_proba"):
        MajorityVote().predict_proba(L_SMALL)


# ------------------------------------------------------------------ score
def test_base_score_metrics() -> None:
    model = MajorityVote().fit(L_SMALL)
    preds = model.predict(L_SMALL)
    y = np.array([0, 1, 1, 0, 1])
    assert model.score(L_SMALL, y) == pytest.approx(np.mean(preds == y))
    tp = np.sum((preds == 1) & (y == 1))
    f1 = 2 * tp / (np.sum(preds == 1) + np.sum(y == 1))
    assert model.score(L_SMALL, y, metric="f1") == pytest.approx(f1)
    assert model.score(L_SMALL, y, metric="f1", pos_label=0) == pytest.approx(
        2 * np.sum((preds == 0) & (y == 0)) / (np.sum(preds == 0) + np.sum(y == 0))
    )
    assert 0.0 <= model.score(L_SMALL, y, metric="macro_f1") <= 1.0
    with pytest.raises(LabelModelError, match="Unknown metric 'auc'"):
        model.score(L_SMALL, y, metric="auc")


# ------------------------------------------------------------------ persistence
def test_base_save_writes_documented_json(tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "mv.json")
    MajorityVote(weights=np.array([1.0, 0.5, 2.0])).fit(L_SMALL).save(path)
    with open(path, encoding="utf-8") as fh:
        payload = json.load(fh)
    assert payload["format"] == "weaklabel.label_model"
    assert payload["version"] == 1
    assert payload["class"] == "weaklabel.models.majority.MajorityVote"
    assert payload["params"]["weights"] == {
        "__ndarray__": {"dtype": "float64", "shape": [3], "data": [1.0, 0.5, 2.0]}
    }
    assert payload["fitted"]["class_prior_"] == {
        "dtype": "float64",
        "shape": [2],
        "data": [0.5, 0.5],
    }
    assert payload["fitted"]["n_sources_"] == {"dtype": "int64", "shape": [], "data": [3]}
    assert os.stat(path).st_mode & 0o777 == 0o644  # not the private mode of a temp file
    loaded = load_model(path)
    assert isinstance(loaded.get_params()["weights"], np.ndarray)
    assert isinstance(loaded.n_sources_, int)


def test_base_save_is_atomic(tmp_path: os.PathLike[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = os.path.join(tmp_path, "model.json")
    MajorityVote().fit(L_SMALL).save(path)
    with open(path, encoding="utf-8") as fh:
        before = fh.read()

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(base_module.os, "replace", failing_replace)
    with pytest.raises(OSError, match=r"\[E139\].*disk full"):
        DawidSkene().fit(L_SMALL).save(path)
    with open(path, encoding="utf-8") as fh:
        assert fh.read() == before
    assert os.listdir(tmp_path) == ["model.json"]  # the temporary file was removed


def test_base_unfitted_model_round_trips(tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "ds.json")
    DawidSkene(max_iter=7).save(path)
    loaded = load_model(path)
    assert isinstance(loaded, DawidSkene)
    assert loaded.get_params()["max_iter"] == 7
    with pytest.raises(NotFittedError):
        loaded.predict(L_SMALL)


def _write(path: str, payload: object) -> str:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(payload if isinstance(payload, str) else json.dumps(payload))
    return path


def _valid_payload(tmp_path: os.PathLike[str]) -> dict[str, object]:
    path = os.path.join(tmp_path, "ok.json")
    MajorityVote().fit(L_SMALL).save(path)
    with open(path, encoding="utf-8") as fh:
        payload: dict[str, object] = json.load(fh)
    return payload


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "sklearn"}, "not a weaklabel label model file"),
        ({"version": 99}, "written by a newer weaklabel"),
        ({"class": "mypackage.Model"}, "not a known label model class"),
        ({"params": {"bogus": 1}}, "Unknown parameter 'bogus'"),
        (
            {"fitted": {"cardinality_": {"dtype": "int64", "shape": [], "data": [2]}}},
            "fitted attribute 'n_sources_' is missing",
        ),
    ],
)
def test_load_rejects_bad_files(
    tmp_path: os.PathLike[str], change: dict[str, object], message: str
) -> None:
    payload = {**_valid_payload(tmp_path), **change}
    path = _write(os.path.join(tmp_path, "bad.json"), payload)
    with pytest.raises(LabelModelError, match=message):
        load_model(path)


def test_load_rejects_object_dtype_and_bad_shapes(tmp_path: os.PathLike[str]) -> None:
    payload = _valid_payload(tmp_path)
    fitted = dict(payload["fitted"])  # type: ignore[call-overload]
    fitted["class_prior_"] = {"dtype": "object", "shape": [2], "data": [0.5, 0.5]}
    path = _write(os.path.join(tmp_path, "obj.json"), {**payload, "fitted": fitted})
    with pytest.raises(LabelModelError, match="fitted attribute 'class_prior_' must have a float"):
        load_model(path)
    fitted["class_prior_"] = {"dtype": "float64", "shape": [3], "data": [0.5, 0.5]}
    path = _write(os.path.join(tmp_path, "shape.json"), {**payload, "fitted": fitted})
    with pytest.raises(LabelModelError, match="fitted attribute 'class_prior_' has 3 entries"):
        load_model(path)


def test_load_missing_or_garbled_file(tmp_path: os.PathLike[str]) -> None:
    with pytest.raises(LabelModelError, match=r"Cannot read the label model file .*nope\.json"):
        load_model(os.path.join(tmp_path, "nope.json"))
    path = _write(os.path.join(tmp_path, "garbled.json"), "{not json")
    with pytest.raises(LabelModelError, match="Cannot read the label model file"):
        load_model(path)


def test_load_through_a_subclass_checks_the_class(tmp_path: os.PathLike[str]) -> None:
    path = os.path.join(tmp_path, "mv.json")
    MajorityVote().fit(L_SMALL).save(path)
    assert isinstance(BaseLabelModel.load(path), MajorityVote)
    assert isinstance(MajorityVote.load(path), MajorityVote)
    with pytest.raises(
        LabelModelError, match="holds a MajorityVote model, which is not a DawidSkene"
    ):
        DawidSkene.load(path)


def test_load_rebuilds_user_subclasses(tmp_path: os.PathLike[str]) -> None:
    class ConstantModel(MajorityVote):
        """A user's model: majority vote with a different name."""

    path = os.path.join(tmp_path, "custom.json")
    ConstantModel(seed=1).fit(L_SMALL).save(path)
    loaded = load_model(path)
    assert type(loaded) is ConstantModel
    assert loaded.seed == 1
