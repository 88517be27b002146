"""Property tests: random Unicode texts, labels, spans and probabilities survive every exporter.

Each exporter is written and read back, and everything the format can hold must come back
equal: texts, labels, spans (with their scores), probabilities (bit for bit) and provenance.
Where a format cannot hold something (CoNLL: whitespace, scores, labels; CSV: types; chat:
the probability of the other labels), the generated data stays within what it can hold and
the module docstrings say so.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weaklabel.export import (
    labels_frame,
    read_chat_jsonl,
    read_conll_bio,
    read_docbin,
    read_hf_dataset,
    read_labels_table,
    read_prompt_completion,
    write_chat_jsonl,
    write_conll_bio,
    write_docbin,
    write_hf_dataset,
    write_labels_table,
    write_prompt_completion,
)

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW = settings(SETTINGS, max_examples=8)

# label names: any Unicode, at least one visible character (an answer cannot be blank)
label_name = st.text(min_size=1, max_size=8).filter(lambda s: s.strip() != "")
probability = st.floats(min_value=0.0, max_value=1.0, allow_nan=False, allow_subnormal=True)


@st.composite
def labelled(draw: st.DrawFn, *, spans: bool = True, typed_ids: bool = True) -> pd.DataFrame:
    """A labels frame of random Unicode texts, labels, probabilities, spans and provenance."""
    names = draw(st.lists(label_name, min_size=2, max_size=4, unique=True))
    n = draw(st.integers(min_value=1, max_value=6))
    texts = draw(st.lists(st.text(max_size=40), min_size=n, max_size=n))
    labels = draw(st.lists(st.one_of(st.none(), st.sampled_from(names)), min_size=n, max_size=n))
    proba = np.array(
        draw(
            st.lists(
                st.lists(probability, min_size=len(names), max_size=len(names)),
                min_size=n,
                max_size=n,
            )
        ),
        dtype=np.float64,
    )
    row_spans = []
    for text in texts:
        found = []
        for _ in range(draw(st.integers(0, 3)) if text and spans else 0):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, len(text)))
            score = draw(st.one_of(st.none(), probability))
            label = draw(st.sampled_from(names))
            found.append((start, end, label) if score is None else (start, end, label, score))
        row_spans.append(found)
    ids: list[Any] = list(range(n)) if typed_ids else [f"r{i}" for i in range(n)]
    provenance = {
        "id": ids,
        "original_id": draw(
            st.lists(st.one_of(st.none(), st.text(min_size=1, max_size=5)), min_size=n, max_size=n)
        ),
        "augmenter": draw(
            st.lists(
                st.one_of(st.none(), st.sampled_from(["Synonym", "Noise"])), min_size=n, max_size=n
            )
        ),
    }
    return labels_frame(
        texts, label_names=names, labels=labels, proba=proba,
        spans=row_spans if spans else None, provenance=provenance,
    )  # fmt: skip


def _cells(values: Any) -> list[Any]:
    """Column values with every missing value as None, for comparison."""
    out = []
    for value in list(values):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            out.append(None)
        elif isinstance(value, np.generic):
            out.append(value.item())
        else:
            out.append(value)
    return out


def _same_frame(written: pd.DataFrame, read: pd.DataFrame, *, as_str: bool = False) -> None:
    assert list(read.columns) == list(written.columns)
    assert len(read) == len(written)
    for column in written.columns:
        want = _cells(written[column])
        got = _cells(read[column])
        if as_str and column in ("id", "original_id", "augmenter", "label"):
            want = [None if v is None else str(v) for v in want]
        if str(column).startswith("p_"):  # bit for bit
            assert np.array_equal(
                np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
            )
        else:
            assert got == want, column


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the files of the examples (pytest removes it with its other tmp dirs)."""
    return tmp_path_factory.mktemp("roundtrip")


def _tmp(scratch: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=scratch))


@SETTINGS
@given(frame=labelled())
def test_roundtrip_parquet(scratch: Path, frame: pd.DataFrame) -> None:
    path = write_labels_table(frame, _tmp(scratch) / "labels.parquet")
    _same_frame(frame, read_labels_table(path))


@SETTINGS
@given(frame=labelled(typed_ids=False))
def test_roundtrip_csv(scratch: Path, frame: pd.DataFrame) -> None:
    path = write_labels_table(frame, _tmp(scratch) / "labels.csv")
    _same_frame(frame, read_labels_table(path), as_str=True)


@SLOW
@given(frame=labelled())
def test_roundtrip_hf_dataset(scratch: Path, frame: pd.DataFrame) -> None:
    path = write_hf_dataset(frame, _tmp(scratch) / "hf")
    back = read_hf_dataset(path)
    assert isinstance(back, pd.DataFrame)
    _same_frame(frame, back)


@SLOW
@given(frame=labelled())
def test_roundtrip_docbin(scratch: Path, frame: pd.DataFrame) -> None:
    path = write_docbin(frame, _tmp(scratch) / "docs.spacy")
    _same_frame(frame, read_docbin(path))


@SETTINGS
@given(frame=labelled(spans=False), system=st.one_of(st.none(), label_name))
def test_roundtrip_chat_label_and_probability(
    scratch: Path, frame: pd.DataFrame, system: str | None
) -> None:
    template = "Comment:\n{text}\nLabel?"
    path = _tmp(scratch) / "chat.jsonl"
    report = write_chat_jsonl(
        frame, path, system=system, user_template=template, weight="example",
        drop_unlabeled=True,
    )  # fmt: skip
    kept = frame[frame["label"].notna()].reset_index(drop=True)
    assert report.n_written == len(kept)
    back = read_chat_jsonl(path, user_template=template)
    assert back["text"].tolist() == kept["text"].tolist() if len(kept) else back.empty
    if len(kept):
        assert back["label"].tolist() == kept["label"].tolist()
        chosen = [kept.at[i, f"p_{label}"] for i, label in enumerate(kept["label"])]
        assert np.array_equal(back["weight"].to_numpy(dtype=np.float64), np.asarray(chosen))
        assert _cells(back["system"]) == [system] * len(kept) if system else "system" not in back


@SETTINGS
@given(frame=labelled(spans=False), data=st.data())
def test_roundtrip_chat_explanations(
    scratch: Path, frame: pd.DataFrame, data: st.DataObject
) -> None:
    names = [c[2:] for c in frame.columns if c.startswith("p_")]
    texts = data.draw(st.lists(label_name, min_size=len(names), max_size=len(names), unique=True))
    explanations = dict(zip(names, texts, strict=True))
    path = _tmp(scratch) / "chat.jsonl"
    write_chat_jsonl(
        frame, path, user_template="{text}<end>", answer="explanation",
        explanations=explanations, drop_unlabeled=True,
    )  # fmt: skip
    kept = frame[frame["label"].notna()]
    back = read_chat_jsonl(
        path, user_template="{text}<end>", answer="explanation", explanations=explanations
    )
    assert len(back) == len(kept)
    if len(kept):
        assert back["text"].tolist() == kept["text"].tolist()
        assert back["label"].tolist() == kept["label"].tolist()


@SETTINGS
@given(frame=labelled(spans=False))
def test_roundtrip_prompt_completion(scratch: Path, frame: pd.DataFrame) -> None:
    path = _tmp(scratch) / "pc.jsonl"
    write_prompt_completion(
        frame, path, user_template="Q: {text}\nA:", assistant_template=" {answer}",
        weight="example", drop_unlabeled=True,
    )  # fmt: skip
    kept = frame[frame["label"].notna()].reset_index(drop=True)
    back = read_prompt_completion(
        path, user_template="Q: {text}\nA:", assistant_template=" {answer}"
    )
    assert len(back) == len(kept)
    if len(kept):
        assert back["text"].tolist() == kept["text"].tolist()
        assert back["label"].tolist() == kept["label"].tolist()
        chosen = [kept.at[i, f"p_{label}"] for i, label in enumerate(kept["label"])]
        assert np.array_equal(back["weight"].to_numpy(dtype=np.float64), np.asarray(chosen))


token = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)).filter(lambda c: not c.isspace()),
    min_size=1,
    max_size=6,
).filter(lambda t: t != "-DOCSTART-")
tag_label = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)).filter(lambda c: not c.isspace()),
    min_size=1,
    max_size=5,
)


@st.composite
def tokenized(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    """A text of single-space-separated tokens and non-overlapping spans on token bounds."""
    words = draw(st.lists(token, max_size=8))
    starts, offset = [], 0
    for word in words:
        starts.append(offset)
        offset += len(word) + 1
    spans, i = [], 0
    while i < len(words):
        if draw(st.booleans()):
            j = draw(st.integers(i + 1, len(words)))
            spans.append((starts[i], starts[j - 1] + len(words[j - 1]), draw(tag_label)))
            i = j
        else:
            i += 1
    return " ".join(words), spans


@SETTINGS
@given(rows=st.lists(tokenized(), min_size=1, max_size=5))
def test_roundtrip_conll(scratch: Path, rows: list[tuple[str, list[tuple[int, int, str]]]]) -> None:
    frame = pd.DataFrame(
        {"text": [t for t, _ in rows], "spans": pd.Series([s for _, s in rows], dtype=object)}
    )
    path = write_conll_bio(frame, _tmp(scratch) / "spans.conll")
    back = read_conll_bio(path)
    assert back["text"].tolist() == frame["text"].tolist()
    assert back["spans"].tolist() == frame["spans"].tolist()


@SLOW
@given(frame=labelled(), seed=st.integers(0, 3))
def test_roundtrip_splits_partition_the_rows(scratch: Path, frame: pd.DataFrame, seed: int) -> None:
    from hypothesis import assume

    from weaklabel.errors import ExportError
    from weaklabel.export import write_splits

    try:
        target = _tmp(scratch) / "splits"
        report = write_splits(frame, target, format="parquet", sizes=(0.5, 0.0, 0.5), seed=seed)
    except ExportError as exc:  # too few groups for two non-empty splits: refused, not written
        assert "[E868]" in str(exc)
        assume(False)
    parts = [read_labels_table(path) for path in report.paths.values()]
    ids = [set(part["id"]) for part in parts]
    assert not ids[0] & ids[1] and ids[0] | ids[1] == set(frame["id"])
    back = pd.concat(parts).set_index("id").loc[frame["id"]].reset_index()
    _same_frame(frame, back[list(frame.columns)])
    assert report.group_leaks == 0
