"""Lexicons: loading, the voting rule (weights, margins, negation, phrases) and VADER."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weaklabel as wl
from weaklabel.errors import SourceError
from weaklabel.labels import ABSTAIN
from weaklabel.sources.base import Corpus
from weaklabel.sources.lexicon import Lexicon, LexiconSource

ENTRIES = [("good", "POS", 1.0), ("great", "POS", 2.0), ("bad", "NEG", 1.5), ("nan", "NEG", 0.5)]


def _column(source: LexiconSource, texts: list[str]) -> list[int | str]:
    """Votes of the column path, as the lexicon's own (string) labels."""
    labels = list(source.lexicon.label_set)
    assert all(isinstance(lab, str) for lab in labels)
    space = wl.LabelSpace(tuple(str(lab) for lab in labels))
    ids = source.label_corpus(Corpus(pd.DataFrame({"text": texts})), space)
    return [ABSTAIN if i == -1 else labels[i] for i in ids.tolist()]


@pytest.fixture
def lexicon() -> Lexicon:
    terms, labels, weights = zip(*ENTRIES, strict=True)
    return Lexicon(terms, labels, weights)


# ---------------------------------------------------------------- construction
def test_lexicon_from_mapping_has_unit_weights() -> None:
    lex = Lexicon.from_mapping({"Good": "POS", "bad": "NEG"})
    assert lex.terms == ("good", "bad")  # case-folded
    assert lex.weights == (1.0, 1.0)
    assert lex.label_set == ("POS", "NEG")
    assert len(lex) == 2


def test_lexicon_case_sensitive_keeps_case() -> None:
    lex = Lexicon.from_mapping({"NASA": 1, "nasa": 0}, case_sensitive=True)
    assert lex.terms == ("NASA", "nasa")
    src = lex.as_source("lx", negation=None)
    assert src("NASA rocks") == 1 and src("nasa rocks") == 0


def test_lexicon_from_frame_with_and_without_weights(lexicon: Lexicon) -> None:
    frame = lexicon.to_frame()
    assert list(frame.columns) == ["term", "label", "weight"]
    assert Lexicon.from_frame(frame).fingerprint() == lexicon.fingerprint()
    unweighted = Lexicon.from_frame(frame.drop(columns="weight"))
    assert set(unweighted.weights) == {1.0}


def test_lexicon_from_frame_with_custom_column_names() -> None:
    frame = pd.DataFrame({"word": ["good"], "polarity": ["POS"], "strength": [3]})
    lex = Lexicon.from_frame(frame, term="word", label="polarity", weight="strength")
    assert (lex.terms, lex.labels, lex.weights) == (("good",), ("POS",), (3.0,))


def _write(path: Path, fmt: str) -> Path:
    if fmt == "csv":
        lines = ["term,label,weight", *(f"{t},{lab},{w}" for t, lab, w in ENTRIES)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "tsv":
        lines = ["term\tlabel\tweight", *(f"{t}\t{lab}\t{w}" for t, lab, w in ENTRIES)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "json-dict":
        mapping = {t: {"label": lab, "weight": w} for t, lab, w in ENTRIES}
        path.write_text(json.dumps(mapping), encoding="utf-8")
    elif fmt == "json-list":
        data = [{"term": t, "label": lab, "weight": w} for t, lab, w in ENTRIES]
        path.write_text(json.dumps(data), encoding="utf-8")
    elif fmt == "jsonl":
        rows = [json.dumps({"term": t, "label": lab, "weight": w}) for t, lab, w in ENTRIES]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fmt", "filename"),
    [
        ("csv", "lex.csv"),
        ("tsv", "lex.tsv"),
        ("json-dict", "lex.json"),
        ("json-list", "lex.json"),
        ("jsonl", "lex.jsonl"),
        ("csv", "my.sentiment.lexicon.CSV"),
    ],
)
def test_lexicon_from_file(tmp_path: Path, lexicon: Lexicon, fmt: str, filename: str) -> None:
    loaded = Lexicon.from_file(_write(tmp_path / filename, fmt))
    assert loaded.terms == lexicon.terms  # "nan" is a term, not a missing value
    assert loaded.labels == lexicon.labels
    assert loaded.weights == lexicon.weights
    assert loaded.fingerprint() == lexicon.fingerprint()


def test_lexicon_from_json_term_to_label_mapping(tmp_path: Path) -> None:
    path = tmp_path / "simple.json"
    path.write_text(json.dumps({"good": "POS", "bad": "NEG"}), encoding="utf-8")
    lex = Lexicon.from_file(path)
    assert lex.terms == ("good", "bad") and lex.labels == ("POS", "NEG")
    assert lex.weights == (1.0, 1.0)


def test_lexicon_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"E528.*nowhere\.csv: there is no such file"):
        Lexicon.from_file(tmp_path / "nowhere.csv")


def test_lexicon_unreadable_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SourceError, match=r"E528.*broken\.json, line 1"):
        Lexicon.from_file(path)


@pytest.mark.parametrize(
    ("fmt", "filename"),
    [
        ("csv", "lex.csv.gz"),
        ("tsv", "lex.tsv.gz"),
        ("json-dict", "lex.json.gz"),
        ("json-list", "lex.JSON.GZ"),
        ("jsonl", "lex.jsonl.gz"),
    ],
)
def test_lexicon_from_file_reads_gzip(
    tmp_path: Path, lexicon: Lexicon, fmt: str, filename: str
) -> None:
    plain = _write(tmp_path / "plain", fmt)
    path = tmp_path / filename
    path.write_bytes(gzip.compress(plain.read_bytes()))
    loaded = Lexicon.from_file(path)
    assert loaded.fingerprint() == lexicon.fingerprint()


@pytest.mark.parametrize(
    ("filename", "content", "where"),
    [
        ("cut.json.gz", gzip.compress(b'{"good": "POS", "bad": "NEG"}', mtime=0)[:-6], "gzip file"),
        ("not.jsonl.gz", b'{"term": "good", "label": "POS"}\n', "gzip file"),
        ("bad.jsonl", b'{"term": "good", "label": "POS"}\n{"term": "bad" "label": 1}\n', "line 2"),
        ("list.jsonl", b'{"term": "good", "label": "POS"}\n\n["bad", "NEG"]\n', "line 3"),
        ("bad.json", b'{"good": "POS",\n "bad": }', "line 2"),
        ("scalar.json", b"42", "got int"),
        ("latin1.csv", b"term,label\ngood,POS\nb\xe9d,NEG\n", "line 3.*UTF-8"),
        ("ragged.csv", b"term,label\ngood,POS\nbad,NEG,1,2\n", "line 3.*4 fields"),
        ("ragged.tsv", b"term\tlabel\ngood\n", "line 2.*1 fields"),
        ("empty.csv", b"", "No columns"),
    ],
)
def test_lexicon_damaged_files_are_refused_naming_file_and_line(
    tmp_path: Path, filename: str, content: bytes, where: str
) -> None:
    path = tmp_path / filename
    path.write_bytes(content)
    with pytest.raises(SourceError, match=rf"E528\] .*{re.escape(filename)}.*{where}"):
        Lexicon.from_file(path)


def test_lexicon_missing_columns_raise_and_say_how_to_name_them(tmp_path: Path) -> None:
    path = tmp_path / "words.csv"
    path.write_text("word,polarity\ngood,POS\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"no column\(s\) \['term', 'label'\].*term=\.\.\."):
        Lexicon.from_file(path)
    lex = Lexicon.from_file(path, term="word", label="polarity")
    assert lex.terms == ("good",)


@pytest.mark.parametrize(
    ("terms", "labels", "weights", "message"),
    [
        (("a", "b"), ("X",), (), "2 terms, 1 labels"),
        (("a",), ("X",), (-1.0,), "negative/non-finite"),
        (("a",), ("X",), (float("nan"),), "negative/non-finite"),
        (("  ",), ("X",), (), "empty terms"),
    ],
)
def test_lexicon_bad_entries_raise(
    terms: tuple[str, ...], labels: tuple[str, ...], weights: tuple[float, ...], message: str
) -> None:
    with pytest.raises(SourceError, match=message):
        Lexicon(terms, labels, weights)


def test_lexicon_flip_needs_two_labels() -> None:
    lex = Lexicon.from_mapping({"a": "X", "b": "Y", "c": "Z"})
    with pytest.raises(SourceError, match=r"'lx'.*two-label lexicon.*negation='drop'"):
        lex.as_source("lx")
    assert lex.as_source("lx", negation="drop")("a") == "X"


def test_lexicon_bad_negation_value_raises(lexicon: Lexicon) -> None:
    with pytest.raises(SourceError, match="negation must be"):
        lexicon.as_source("lx", negation="invert")  # type: ignore[arg-type]


# ---------------------------------------------------------------- voting rule
def test_lexicon_weights_decide_the_vote(lexicon: Lexicon) -> None:
    src = lexicon.as_source("lx", negation=None)
    texts = ["good bad", "great bad", "good good", "neutral words", ""]
    assert _column(src, texts) == ["NEG", "POS", "POS", ABSTAIN, ABSTAIN]


def test_lexicon_scores_sum_weights_per_label(lexicon: Lexicon) -> None:
    src = lexicon.as_source("lx", negation=None)
    texts = Corpus(pd.DataFrame({"text": ["Great, GOOD bad!", "bad bad"]})).arrow_text(lower=True)
    np.testing.assert_allclose(src.scores(texts), [[3.0, 1.5], [0.0, 3.0]])


def test_lexicon_ties_abstain() -> None:
    src = Lexicon.from_mapping({"good": "POS", "bad": "NEG"}).as_source("lx", negation=None)
    assert src("good but bad") == ABSTAIN


def test_lexicon_min_margin(lexicon: Lexicon) -> None:
    src = lexicon.as_source("lx", negation=None, min_margin=0.5)
    # margins: "great bad" 0.5 (not more than 0.5), "great" 2.0, "great good bad" 1.5
    assert _column(src, ["great bad", "great", "great good bad"]) == [ABSTAIN, "POS", "POS"]


def test_lexicon_min_weight(lexicon: Lexicon) -> None:
    src = lexicon.as_source("lx", negation=None, min_weight=2.0)
    assert _column(src, ["good", "great", "good good", "bad"]) == [ABSTAIN, "POS", "POS", ABSTAIN]


def test_lexicon_punctuation_around_terms_is_stripped(lexicon: Lexicon) -> None:
    src = lexicon.as_source("lx", negation=None)
    assert _column(src, ["good!", "“great”", "(bad)", "...good...", "goodness"]) == [
        "POS",
        "POS",
        "NEG",
        "POS",
        ABSTAIN,
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not good", "NEG"),
        ("never a good day", "NEG"),
        ("it isn't good", "NEG"),
        ("I don't think it is bad", "NEG"),  # "bad" is 4 tokens after "don't": not flipped
        ("I don't think bad", "POS"),
        ("no, good", "POS"),  # the comma ends the negator's scope at once
        ("good", "POS"),
    ],
)
def test_lexicon_negation_flips(text: str, expected: str) -> None:
    src = Lexicon.from_mapping({"good": "POS", "bad": "NEG"}).as_source("lx")
    assert src(text) == expected


def test_lexicon_negation_drop_ignores_negated_terms() -> None:
    src = Lexicon.from_mapping({"good": "POS", "bad": "NEG"}).as_source("lx", negation="drop")
    assert _column(src, ["not good", "not good bad", "good"]) == [ABSTAIN, ABSTAIN, "POS"]


def test_lexicon_negation_scope_ends_at_a_comma() -> None:
    lex = Lexicon.from_mapping({"happy": "POS", "sad": "NEG"})
    drop = lex.as_source("lx", negation="drop")
    assert _column(drop, ["not happy, sad", "not happy sad"]) == ["NEG", ABSTAIN]
    flip = lex.as_source("lx")
    # "happy" flips to NEG; "sad" after the comma stays NEG -> NEG. Without the clause
    # break "sad" would flip to POS and the vote would tie.
    assert _column(flip, ["not happy, sad", "not happy sad"]) == ["NEG", ABSTAIN]


def test_lexicon_negation_window() -> None:
    lex = Lexicon.from_mapping({"good": "POS", "bad": "NEG"})
    assert lex.as_source("lx", negation_window=1)("not very good") == "POS"
    assert lex.as_source("lx", negation_window=2)("not very good") == "NEG"


def test_lexicon_negation_does_not_cross_rows() -> None:
    src = Lexicon.from_mapping({"good": "POS", "bad": "NEG"}).as_source("lx")
    assert _column(src, ["it was not", "good", "not", "bad"]) == [ABSTAIN, "POS", ABSTAIN, "NEG"]


def test_lexicon_negation_with_a_typographic_apostrophe() -> None:
    src = Lexicon.from_mapping({"good": "POS", "bad": "NEG"}).as_source("lx")
    assert src("it isn’t good") == "NEG"


def test_lexicon_multi_word_terms_match_whole_phrases() -> None:
    lex = Lexicon(("fed up", "happy"), ("NEG", "POS"))
    src = lex.as_source("lx", negation=None)
    texts = ["I am fed up", "so FED   UP!", "fed upset", "I fed the pup", "fed up but happy happy"]
    assert _column(src, texts) == ["NEG", "NEG", ABSTAIN, ABSTAIN, "POS"]


def test_lexicon_emoticons_are_kept_as_raw_tokens() -> None:
    lex = Lexicon.from_mapping({":)": "POS", ":(": "NEG", ":-)": "POS"})
    src = lex.as_source("lx", negation=None)
    texts = ["great day :)", "oh no :(", "ok :-)", "hello:)", "(:"]
    assert _column(src, texts) == ["POS", "NEG", "POS", ABSTAIN, ABSTAIN]


def test_lexicon_single_label_lexicon_source_drops_negated_terms() -> None:
    src = wl.lexicon_source({"refund": "COMPLAINT", "broken": "COMPLAINT"}, name="lx")
    assert src.negation == "drop"
    assert src("it arrived broken") == "COMPLAINT"
    assert src("not broken") == ABSTAIN


def test_lexicon_source_from_pairs() -> None:
    src = wl.lexicon_source([("good", 1), ("bad", 0)], name="lx")
    L = wl.apply([src], ["good", "bad", "meh"], progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, 0, -1])


def test_lexicon_on_a_concatenated_pandas_frame() -> None:
    src = Lexicon.from_mapping({"good": "POS", "bad": "NEG"}).as_source("lx")
    frame = pd.concat(
        [pd.DataFrame({"text": ["good", "not bad"]}), pd.DataFrame({"text": ["bad", "x"]})],
        ignore_index=True,
    )
    L = wl.apply([src], frame, label_names=["NEG", "POS"], progress=False)
    np.testing.assert_array_equal(L.values[:, 0], [1, 1, 0, -1])


def test_lexicon_fingerprint_covers_entries_and_settings(lexicon: Lexicon) -> None:
    again = Lexicon(lexicon.terms, lexicon.labels, lexicon.weights)
    assert lexicon.as_source("lx").fingerprint() == again.as_source("lx").fingerprint()
    heavier = Lexicon(lexicon.terms, lexicon.labels, (1.0, 2.0, 1.5, 0.6))
    assert heavier.as_source("lx").fingerprint() != lexicon.as_source("lx").fingerprint()
    assert (
        lexicon.as_source("lx", min_margin=1).fingerprint() != lexicon.as_source("lx").fingerprint()
    )


# ---------------------------------------------------------------- VADER
@pytest.fixture(scope="module")
def vader() -> Lexicon:
    return Lexicon.from_vader()


def test_lexicon_from_vader_has_7520_entries(vader: Lexicon) -> None:
    assert len(vader) == 7_520
    assert set(vader.label_set) == {"POSITIVE", "NEGATIVE"}
    weights = np.array(vader.weights)
    assert weights.min() > 0 and weights.max() <= 4.0
    entry = dict(zip(vader.terms, zip(vader.labels, vader.weights, strict=True), strict=True))
    assert entry["love"] == ("POSITIVE", 3.2)
    assert entry[":("] == ("NEGATIVE", 1.9)


def test_lexicon_from_vader_with_custom_labels_and_threshold() -> None:
    lex = Lexicon.from_vader(positive=1, negative=0, min_abs_valence=2.0)
    assert 0 < len(lex) < 7_520
    assert set(lex.label_set) == {0, 1}
    assert min(lex.weights) > 2.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I love this, it is wonderful and great!", "POSITIVE"),
        ("This is terrible, awful and sad.", "NEGATIVE"),
        ("What a horrible, disgusting mess", "NEGATIVE"),
        ("Best day ever :)", "POSITIVE"),
        ("This is not good at all", "NEGATIVE"),
        ("The meeting is on Tuesday at noon.", ABSTAIN),
    ],
)
def test_lexicon_vader_labels_clear_sentences(vader: Lexicon, text: str, expected: str) -> None:
    assert vader.as_source("vader")(text) == expected


def test_lexicon_vader_column_agrees_with_single_rows(vader: Lexicon) -> None:
    src = vader.as_source("vader")
    texts = [
        "I love it :)",
        "not bad, really great",
        "I'm so fed up with this",
        "Ça va? très bien",
        "naïve but lovely",
        "",
        "no",
        "don't hate it",
        "SUPERB!!!",
        "meh.",
    ]
    assert _column(src, texts) == [src(t) for t in texts]


@settings(max_examples=120, deadline=None, derandomize=True)
@given(
    fmt=st.sampled_from(["csv", "tsv", "json-dict", "json-list", "jsonl"]),
    zipped=st.booleans(),
    cut=st.integers(0, 40),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 255)), max_size=3),
)
def test_lexicon_fuzz_damaged_files_load_or_are_refused_with_a_weaklabel_error(
    fmt: str, zipped: bool, cut: int, flips: list[tuple[int, int]]
) -> None:
    import tempfile

    suffix = {"csv": ".csv", "tsv": ".tsv", "jsonl": ".jsonl"}.get(fmt, ".json")
    with tempfile.TemporaryDirectory() as folder:
        plain = _write(Path(folder) / f"lex{suffix}", fmt)
        data = bytearray(gzip.compress(plain.read_bytes()) if zipped else plain.read_bytes())
        for position, xor in flips:
            data[position % len(data)] ^= xor
        path = Path(folder) / f"damaged{suffix}{'.gz' if zipped else ''}"
        path.write_bytes(bytes(data[: max(1, len(data) - cut)]))
        try:
            lexicon = Lexicon.from_file(path)
        except SourceError as err:
            assert str(err).startswith("[E528] Cannot read the lexicon file"), str(err)
            assert str(path) in str(err)
        else:
            assert all(isinstance(t, str) and t for t in lexicon.terms)
            assert all(np.isfinite(w) and w >= 0 for w in lexicon.weights)
