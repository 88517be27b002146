"""Property tests (hypothesis) for every sequence label model."""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weaklabel.models.sequence import SEQUENCE_MODELS, BaseSequenceModel, load_sequence_model

from .conftest import TAGS, is_valid_bio

PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def corpora(draw: st.DrawFn) -> list[np.ndarray]:
    """Any weak labels: ids -1 .. 4 (not necessarily valid BIO), a few sentences."""
    m = draw(st.integers(1, 4))
    n_sentences = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    density = draw(st.sampled_from([0.05, 0.3, 0.9]))
    weak = []
    for _ in range(n_sentences):
        length = int(rng.integers(1, 9))
        votes = rng.integers(-1, len(TAGS), size=(length, m))
        votes[rng.random((length, m)) > density] = 0
        weak.append(votes)
    return weak


@pytest.mark.parametrize("cls", SEQUENCE_MODELS, ids=lambda c: c.__name__)
@PROPERTY_SETTINGS
@given(weak=corpora())
def test_properties_proba_rows_sum_to_one_and_bio_is_valid(
    cls: type[BaseSequenceModel], weak: list[np.ndarray]
) -> None:
    model = (
        cls(tags=list(TAGS), n_iter=5)  # type: ignore[call-arg]
        if "n_iter" in cls._get_param_names()
        else cls(tags=list(TAGS))
    )
    model.fit(weak)
    for proba, tags in zip(model.predict_proba(weak), model.predict(weak), strict=True):
        assert np.all(np.isfinite(proba))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
        assert is_valid_bio(tags)


@pytest.mark.parametrize("cls", SEQUENCE_MODELS, ids=lambda c: c.__name__)
@PROPERTY_SETTINGS
@given(weak=corpora(), data=st.data())
def test_properties_permuting_sources_keeps_predictions(
    cls: type[BaseSequenceModel], weak: list[np.ndarray], data: st.DataObject
) -> None:
    m = weak[0].shape[1]
    perm = np.array(data.draw(st.permutations(list(range(m)))))
    a = cls(tags=list(TAGS)).fit(weak)
    b = cls(tags=list(TAGS)).fit([w[:, perm] for w in weak])
    assert a.predict(weak) == b.predict([w[:, perm] for w in weak])
    for x, y in zip(
        a.predict_proba(weak), b.predict_proba([w[:, perm] for w in weak]), strict=True
    ):
        np.testing.assert_allclose(x, y, atol=1e-8)


@pytest.mark.parametrize("cls", SEQUENCE_MODELS, ids=lambda c: c.__name__)
@PROPERTY_SETTINGS
@given(weak=corpora(), length=st.integers(1, 12))
def test_properties_all_o_sentence_is_all_o(
    cls: type[BaseSequenceModel], weak: list[np.ndarray], length: int
) -> None:
    model = cls(tags=list(TAGS)).fit(weak)
    m = weak[0].shape[1]
    silent = np.zeros((length, m), dtype=np.int64)
    silent[::3, 0] = -1  # abstains are not votes either
    assert model.predict([silent]) == [["O"] * length]
    np.testing.assert_array_equal(model.predict_proba([silent])[0][:, 0], 1.0)


@pytest.mark.parametrize("cls", SEQUENCE_MODELS, ids=lambda c: c.__name__)
@PROPERTY_SETTINGS
@given(weak=corpora())
def test_properties_entity_types_come_from_the_votes(
    cls: type[BaseSequenceModel], weak: list[np.ndarray]
) -> None:
    model = cls(tags=list(TAGS)).fit(weak)
    type_of = np.array([-1, 0, 0, 1, 1])
    for votes, ids in zip(weak, model.predict_ids(weak), strict=True):
        voted = type_of[np.maximum(votes, 0)]
        for token, tag in enumerate(ids):
            if tag:
                assert type_of[tag] in voted[token][votes[token] >= 0]


@pytest.mark.parametrize("cls", SEQUENCE_MODELS, ids=lambda c: c.__name__)
@PROPERTY_SETTINGS
@given(weak=corpora())
def test_properties_fit_is_deterministic_and_round_trips(
    cls: type[BaseSequenceModel], weak: list[np.ndarray]
) -> None:
    def make() -> BaseSequenceModel:
        if "n_iter" in cls._get_param_names():
            return cls(tags=list(TAGS), n_iter=5)  # type: ignore[call-arg]
        return cls(tags=list(TAGS))

    model = make().fit(weak)
    again = make().fit(weak)
    for a, b in zip(model.predict_proba(weak), again.predict_proba(weak), strict=True):
        np.testing.assert_array_equal(a, b)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.json")
        model.save(path)
        loaded = load_sequence_model(path)
    assert type(loaded) is cls
    for a, b in zip(loaded.predict_proba(weak), model.predict_proba(weak), strict=True):
        np.testing.assert_array_equal(a, b)
    assert loaded.predict(weak) == model.predict(weak)
