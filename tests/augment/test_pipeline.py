"""Combinators and the dataset pipeline: composition, batching, filters, provenance."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel.augment import LabelConsistencyFilter, NearDuplicateFilter, Noise, group_split
from weaklabel.augment._errors import AugmentError
from weaklabel.augment.base import Augmenter
from weaklabel.augment.combine import EntitySafe, OneOf, Sequential, Sometimes
from weaklabel.augment.entities import MentionReplacement, SpanExample
from weaklabel.augment.pipeline import AugmentationPipeline

TEXTS3 = ["the film was great fun", "awful plot, slow pacing", "a fine cast and a good score"]


class Suffix(Augmenter):
    """Appends a marker; counts batched calls so tests can check batching."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.calls: list[int] = []

    def _augment_batch(
        self, texts: list[str], n: int, rngs: list[random.Random]
    ) -> list[list[str]]:
        self.calls.append(len(texts))
        return [
            [f"{t} {self.marker}{rng.randrange(1000)}" for _ in range(n)]
            for t, rng in zip(texts, rngs, strict=True)
        ]


class Never(Augmenter):
    def _augment_one(self, text: str, rng: random.Random) -> str:
        return text


TEXTS = ["the film was great", "a slow and dull story", "", "loved every minute"]


def test_pipeline_sequential_applies_every_step_in_order_batched() -> None:
    a, b = Suffix("A"), Suffix("B")
    out = Sequential([a, b]).augment(TEXTS, n=2, seed=0)
    assert out[2] == []
    for text, variants in zip(TEXTS, out, strict=True):
        for v in variants:
            assert v.startswith(text + " A") and " B" in v.split(" A", 1)[1]
    assert a.calls[0] == 3 and b.calls[0] == 3  # one batch per step and lane


def test_pipeline_sequential_skips_steps_that_cannot_change_a_text() -> None:
    out = Sequential([Never(), Suffix("B")]).augment(["hello there"], n=1, seed=0)
    assert out[0][0].startswith("hello there B")


def test_pipeline_same_seed_same_output_different_seed_differs() -> None:
    flow = OneOf([Suffix("A"), Suffix("B")], weights=[1, 3])
    assert flow.augment(TEXTS, n=3, seed=4) == flow.augment(TEXTS, n=3, seed=4)
    assert flow.augment(TEXTS, n=3, seed=4) != flow.augment(TEXTS, n=3, seed=5)


def test_pipeline_one_of_follows_its_weights() -> None:
    flow = OneOf([Suffix("A"), Suffix("B")], weights=[1, 3])
    out = flow.augment([f"text number {i}" for i in range(400)], n=1, seed=0)
    share_b = np.mean([v[0].split()[-1].startswith("B") for v in out])
    assert 0.68 < share_b < 0.82


def test_pipeline_sometimes_applies_with_its_probability() -> None:
    out = Sometimes(Suffix("A"), p=0.3).augment([f"t {i}" for i in range(500)], n=1, seed=0)
    assert 0.24 < np.mean([bool(v) for v in out]) < 0.36


@pytest.mark.parametrize(
    ("factory", "code"),
    [
        (lambda: Sequential([]), "E060"),
        (lambda: OneOf([Suffix("A")], weights=[1, 2]), "E060"),
        (lambda: Sometimes(Suffix("A"), p=2.0), "E060"),
        (lambda: EntitySafe(Suffix("A")), "E060"),
    ],
)
def test_pipeline_bad_arguments_raise_numbered_errors(factory: Any, code: str) -> None:
    with pytest.raises(AugmentError, match=rf"^\[{code}\]"):
        factory()


def test_pipeline_span_mode_needs_entity_aware_parts() -> None:
    ex = SpanExample.from_text("took aspirin today", [(5, 12, "Chemical")])
    with pytest.raises(AugmentError, match=r"^\[E771\].*Suffix"):
        Sequential([Suffix("A")]).augment_spans([ex])


def test_pipeline_runs_over_a_frame_with_provenance_and_leak_free_split() -> None:
    frame = pd.DataFrame(
        {
            "text": [f"review {i} was quite good" for i in range(30)],
            "label": [i % 2 for i in range(30)],
        }
    )
    pipe = AugmentationPipeline(
        Sequential([Suffix("A"), Noise(p=0.2)]), n_per_original=2, batch_size=7, progress=False
    )
    out = pipe.run(frame, seed=1)
    assert len(out) == 90 and out["is_augmented"].sum() == 60
    originals = out[~out["is_augmented"]]
    assert originals["text"].tolist() == frame["text"].tolist()
    augmented = out[out["is_augmented"]]
    by_id = dict(zip(originals["id"], originals["label"], strict=True))
    assert (augmented["label"].to_numpy() == augmented["original_id"].map(by_id).to_numpy()).all()
    assert augmented["id"].is_unique and set(augmented["augmenter"]) == {"Sequential(Suffix>Noise)"}
    # each original is followed by its own variants; no id column: ids are row positions,
    # variants numbered on after them, original_id of the same (integer) type
    assert out["id"].iloc[:3].tolist() == [0, 30, 31]
    assert out["original_id"].iloc[:4].tolist() == [0, 0, 0, 1]
    assert out["id"].dtype == out["original_id"].dtype == np.int64
    assert "row positions" in out.attrs["augment"]["columns"]["id"]
    assert pipe.run(frame, seed=1).equals(out)
    train, test = group_split(out, test_size=0.3, seed=0)
    assert not set(train["original_id"].fillna(train["id"])) & set(
        test["original_id"].fillna(test["id"])
    )


def test_pipeline_drops_originals_when_asked_and_applies_filters() -> None:
    frame = pd.DataFrame(
        {"text": ["the film was great fun", "awful plot, slow pacing"], "label": [1, 0]}
    )
    dedup = NearDuplicateFilter(threshold=0.5)
    out = AugmentationPipeline(
        Noise(p=0.05, max_edits=1),
        n_per_original=3,
        keep_original=False,
        filters=[dedup],
        progress=False,
    ).run(frame)
    assert out["is_augmented"].all()
    assert len(out) < 6  # one-edit variants of short texts are near-copies of the original
    calls: list[int] = []

    def only_first(new: pd.DataFrame, originals: pd.DataFrame) -> np.ndarray:
        calls.append(len(new))
        return np.arange(len(new)) == 0

    out = AugmentationPipeline(
        Suffix("A"), n_per_original=2, keep_original=False, filters=[only_first], progress=False
    ).run(frame)
    assert len(out) == 1 and calls == [4]
    assert pipe_report(frame, only_first) == {
        "rows": 2,
        "asked": 4,
        "no usable text": 0,
        "generated": 4,
        "dropped by only_first": 3,
        "kept": 1,
    }
    with pytest.raises(AugmentError, match=r"^\[E772\]"):
        AugmentationPipeline(Suffix("A"), filters=[42], progress=False).run(frame)


def pipe_report(frame: pd.DataFrame, f: Any) -> dict[str, int]:
    pipe = AugmentationPipeline(Suffix("A"), n_per_original=2, filters=[f], progress=False)
    pipe.run(frame)
    return pipe.report_


def test_pipeline_label_consistency_filter_drops_flipped_rows() -> None:
    @wl.labeling_function()
    def positive(x: Any) -> int:
        return 1 if "great" in x.text else -1

    @wl.labeling_function()
    def negative(x: Any) -> int:
        return 0 if "awful" in x.text else -1

    class Flip(Augmenter):
        def _augment_one(self, text: str, rng: random.Random) -> str:
            return text.replace("great", "awful") if rng.random() < 0.5 else text + " indeed"

    frame = pd.DataFrame(
        {"text": [f"a great film number {i}" for i in range(40)], "label": [1] * 40}
    )
    model = wl.MajorityVote(cardinality=2).fit(
        wl.apply([positive, negative], frame, progress=False)
    )
    consistency = LabelConsistencyFilter([positive, negative], model)
    out = AugmentationPipeline(
        Flip(), keep_original=False, filters=[consistency], progress=False
    ).run(frame)
    assert len(out) > 0 and not out["text"].str.contains("awful").any()
    unfiltered = AugmentationPipeline(Flip(), keep_original=False, progress=False).run(frame)
    assert unfiltered["text"].str.contains("awful").sum() >= 10


def test_pipeline_runs_span_examples_frames_and_docs() -> None:
    spacy = pytest.importorskip("spacy")
    train = [
        SpanExample.from_text("took aspirin today", [(5, 12, "Chemical")]),
        SpanExample.from_text("ibuprofen helped a lot", [(0, 9, "Chemical")]),
    ]
    aug = MentionReplacement.from_examples(train, p=1.0)
    out = AugmentationPipeline(aug, n_per_original=1, progress=False).run(train)
    assert out["is_augmented"].tolist() == [False, True, False, True]
    for row in out[out["is_augmented"]].itertuples():
        assert [row.text[s:e] for s, e, _ in row.spans] in (["ibuprofen"], ["aspirin"])
    docs = [t.to_doc(spacy.blank("en").vocab) for t in train]
    new_docs = AugmentationPipeline(aug, progress=False).run(docs)
    assert len(new_docs) == 4 and new_docs[1].user_data["original_id"] == 0
    assert [e.text for e in new_docs[1].ents] == ["ibuprofen"]
    with pytest.raises(AugmentError, match=r"^\[E771\]"):
        AugmentationPipeline(Suffix("A"), progress=False).run(docs)


def test_pipeline_semantic_fidelity_filter_sees_each_rows_original() -> None:
    from weaklabel.augment import SemanticFidelityFilter

    def bag_of_letters(texts: list[str]) -> np.ndarray:
        return (
            np.array(
                [[t.lower().count(c) for c in "abcdefghijklmnopqrstuvwxyz"] for t in texts],
                dtype=float,
            )
            + 1e-9
        )

    class Swap(Augmenter):
        def _augment_one(self, text: str, rng: random.Random) -> str:
            return "zzz qqq xxx" if rng.random() < 0.5 else text + "!"

    frame = pd.DataFrame(
        {"body": [f"a fine review number {i}" for i in range(20)], "label": [1] * 20}
    )
    fidelity = SemanticFidelityFilter(bag_of_letters, threshold=0.9, polarity_check="negation")
    pipe = AugmentationPipeline(Swap(), keep_original=False, filters=[fidelity], progress=False)
    out = pipe.run(frame, text_column="body")
    assert len(out) > 0 and out["body"].str.endswith("!").all()
    assert pipe.report_["dropped by SemanticFidelityFilter"] >= 5


def test_pipeline_provenance_names_the_parts_that_made_each_row() -> None:
    frame = pd.DataFrame({"text": [f"text number {i}" for i in range(40)]})
    flow = OneOf([Suffix("A"), Sequential([Never(), Suffix("B")])])
    rows = flow.augment_examples(frame, n=1, seed=0)
    made = set(rows["augmenter"])
    assert made == {"OneOf(Suffix)", "OneOf(Sequential(Suffix))"}
    for text, by in zip(rows["text"], rows["augmenter"], strict=True):
        assert (" A" in text) == (by == "OneOf(Suffix)")


def _reviews(n: int) -> pd.DataFrame:
    words = ["great", "awful", "battery", "screen", "phone", "love", "hate", "fast", "slow"]
    rng = random.Random(0)
    texts = [" ".join(rng.choice(words) for _ in range(6)) for _ in range(n)]
    return pd.DataFrame({"id": range(n), "text": texts, "label": [i % 2 for i in range(n)]})


PIPELINE_AUGMENTERS = {
    "noise": lambda: Noise(p=0.3),
    "sequential": lambda: Sequential([Noise(kinds=["case"]), Suffix("S")]),
    "one-of": lambda: OneOf([Noise(kinds=["typo"]), Suffix("O")], weights=[2, 1]),
    "sometimes": lambda: Sometimes(Suffix("M"), p=0.5),
}


@pytest.mark.parametrize("name", sorted(PIPELINE_AUGMENTERS))
def test_pipeline_output_does_not_depend_on_the_batch_size(name: str) -> None:
    frame = _reviews(23)
    runs = [
        AugmentationPipeline(
            PIPELINE_AUGMENTERS[name](),
            n_per_original=2,
            batch_size=batch_size,
            filters=[NearDuplicateFilter(threshold=0.9)],
            progress=False,
        ).run(frame, seed=11)
        for batch_size in (1, 5, 256)
    ]
    assert not runs[0].empty and runs[0]["is_augmented"].any()
    for other in runs[1:]:
        pd.testing.assert_frame_equal(other, runs[0])


@pytest.mark.parametrize("name", sorted(PIPELINE_AUGMENTERS))
def test_pipeline_output_equals_the_direct_augmenter_call(name: str) -> None:
    frame = _reviews(12)
    augmenter = PIPELINE_AUGMENTERS[name]()
    direct = augmenter.augment_examples(frame, n=2, seed=3)
    out = AugmentationPipeline(
        augmenter, n_per_original=2, keep_original=False, batch_size=5, progress=False
    ).run(frame, seed=3)
    assert out["text"].tolist() == direct["text"].tolist()
    assert out["original_id"].tolist() == direct["original_id"].tolist()
    assert out["augmenter"].tolist() == direct["augmenter"].tolist()
    assert augmenter.augment(frame["text"].tolist(), n=2, seed=3) == [
        direct.loc[direct["original_id"] == i, "text"].tolist() for i in frame["id"]
    ]


def test_pipeline_docs_do_not_depend_on_the_batch_size() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    docs = [nlp(f"took aspirin on day {i}") for i in range(7)]
    for doc in docs:
        doc.ents = [doc.char_span(5, 12, label="Chemical")]
    aug = MentionReplacement({"Chemical": ["aspirin", "ibuprofen", "naproxen"]}, p=1.0)
    runs = [
        [
            (d.text, d.user_data.get("original_id"))
            for d in AugmentationPipeline(aug, n_per_original=2, batch_size=b, progress=False).run(
                docs, seed=2
            )
        ]
        for b in (1, 3, 256)
    ]
    assert runs[0] == runs[1] == runs[2]


# -- one output layout: the same columns in the same order, ids of one type -----------------
@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"id": [10, 11, 12], "text": TEXTS3, "label": [1, 0, 1]}),
        pd.DataFrame({"id": ["a", "b", "c"], "text": TEXTS3, "label": [1, 0, 1]}),
        pd.DataFrame({"text": TEXTS3, "label": [1, 0, 1]}),
        pd.DataFrame({"label": [1, 0, 1], "text": TEXTS3, "id": [5, 3, 9]}),
    ],
    ids=["int-ids", "text-ids", "no-ids", "id-last"],
)
def test_pipeline_output_layout_is_the_same_with_or_without_originals(frame: pd.DataFrame) -> None:
    import json

    from weaklabel.augment.pipeline import OUTPUT_COLUMNS

    runs = {
        keep: AugmentationPipeline(
            OneOf([Noise(p=0.2), Suffix("!")]), n_per_original=2, keep_original=keep, progress=False
        ).run(frame, seed=3)
        for keep in (True, False)
    }
    given = list(frame.columns) if "id" in frame.columns else ["id", *frame.columns]
    for out in runs.values():
        assert list(out.columns) == [*given, *OUTPUT_COLUMNS]  # no per-row "params"
        assert out["id"].dtype == out["original_id"].dtype
        assert out["id"].is_unique
        config = out.attrs["augment"]
        assert config["augmenter"] == "OneOf" and config["params"]["weights"] == [1.0, 1.0]
        assert json.loads(json.dumps(config)) == config
        assert set(out.loc[out["is_augmented"], "augmenter"]) <= {"OneOf(Noise)", "OneOf(Suffix)"}
    kept, new = runs[True], runs[False]
    assert kept[kept["is_augmented"]].reset_index(drop=True).equals(new)
    originals = kept[~kept["is_augmented"]]
    assert (originals["original_id"] == originals["id"]).all()  # an original is its own
    assert originals["augmenter"].isna().all()
    ids = frame["id"].tolist() if "id" in frame.columns else [0, 1, 2]
    assert originals["id"].tolist() == (ids if kept["id"].dtype == np.int64 else list("abc"))
    if kept["id"].dtype == np.int64:  # variants numbered on after the largest id
        assert sorted(new["id"]) == list(range(max(ids) + 1, max(ids) + 1 + len(new)))
    else:
        assert all(
            i.startswith(f"{o}#") for i, o in zip(new["id"], new["original_id"], strict=True)
        )
    what = kept.attrs["augment"]["columns"]["id"]
    assert ("row positions" in what) == ("id" not in frame.columns)


def test_pipeline_reaugmenting_its_output_keeps_the_chain() -> None:
    frame = pd.DataFrame({"id": ["a", "a#0"], "text": TEXTS3[:2], "label": [1, 0]})
    once = AugmentationPipeline(Suffix("!"), progress=False).run(frame)
    assert once["id"].is_unique  # "a#0" was taken by an input row
    twice = AugmentationPipeline(Suffix("?"), progress=False).run(once, seed=1)
    assert twice["id"].is_unique
    made = dict(zip(twice["id"], twice["original_id"], strict=True))
    earlier = once[once["is_augmented"]]
    for row in earlier.itertuples():
        assert made[row.id] == row.original_id  # the first run's links are kept
    assert twice["is_augmented"].sum() == len(twice) - 2


def test_pipeline_empty_input_has_the_output_layout() -> None:
    from weaklabel.augment.pipeline import OUTPUT_COLUMNS

    frame = pd.DataFrame({"id": pd.Series([], dtype=np.int64), "text": pd.Series([], dtype=str)})
    out = AugmentationPipeline(Noise(), progress=False).run(frame)
    assert out.empty and list(out.columns) == ["id", "text", *OUTPUT_COLUMNS]
    assert out.attrs["augment"]["report"]["rows"] == 0
