"""Gazetteers: files, shipped lists, matching rule (checked against a brute force and skweak)."""

from __future__ import annotations

import gzip
import json
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import weaklabel as wl
from weaklabel.errors import DatasetError, ParameterError, SourceError

spacy = pytest.importorskip("spacy")
from spacy.tokens import Doc  # noqa: E402

from weaklabel.sources.gazetteer import (  # noqa: E402
    BUILTIN,
    Gazetteer,
    GazetteerEntry,
    builtin_dir,
    gazetteer_source,
)

NLP = spacy.blank("en")


def _spans(source: object, text: str) -> list[tuple[str, str]]:
    doc = source(NLP(text))  # type: ignore[operator]
    return [(s.text, s.label_) for s in doc.spans[source.name]]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- building
def test_gazetteer_from_records_and_terms() -> None:
    gz = Gazetteer.from_records(
        [
            {"entry": "New York", "label": "GPE", "aliases": ["NYC", "New York City"]},
            ("Ada Lovelace", "PER"),
            ("New York", "GPE"),  # duplicate term: listed once by terms()
        ]
    )
    assert len(gz) == 3 and gz.labels == ("GPE", "PER")
    assert gz.terms() == [
        ("New York", "GPE"),
        ("NYC", "GPE"),
        ("New York City", "GPE"),
        ("Ada Lovelace", "PER"),
    ]
    assert gz.entries[0] == GazetteerEntry("New York", "GPE", ("NYC", "New York City"))
    merged = gz + Gazetteer.from_mapping({"ORG": ["Acme", ["New", "York", "Times"]]})
    assert ("New York Times", "ORG") in merged.terms()
    assert gz.fingerprint() == Gazetteer.from_records(list(gz.entries)).fingerprint()
    assert gz.fingerprint() != merged.fingerprint()


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"label": "X"}, "bad entry"),
        ({"entry": "a"}, "bad label"),
        ({"entry": "a", "label": "X", "aliases": "b"}, "aliases must be a list"),
        ("just a string", "expected a dict"),
    ],
)
def test_gazetteer_bad_records_raise_E523(record: object, problem: str) -> None:
    with pytest.raises(ParameterError, match=rf"\[E523\] Gazetteer record 0: {problem}"):
        Gazetteer.from_records([record])  # type: ignore[list-item]


def test_gazetteer_files_round_trip(tmp_path: Path) -> None:
    gz = Gazetteer.from_records(
        [
            {"entry": "São Paulo", "label": "GPE", "aliases": ["Sampa"], "id": "BR-SP"},
            ("Ada Lovelace", "PER"),
        ]
    )
    for name in ("list.jsonl", "list.tsv"):
        path = gz.to_file(tmp_path / name)
        back = Gazetteer.from_file(path)
        assert back.terms() == gz.terms()
        assert back.name == "list"
    assert Gazetteer.from_file(tmp_path / "list.jsonl").entries[0].id == "BR-SP"
    # gzip, skweak's JSON layout, TSV with a header and comments
    with gzip.open(tmp_path / "g.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write('{"entry": "Paris", "label": "GPE", "note": "ignored"}\n\n')
    assert Gazetteer.from_file(tmp_path / "g.jsonl.gz").terms() == [("Paris", "GPE")]
    (tmp_path / "sk.json").write_text(json.dumps({"PER": ["Ada Lovelace", ["Alan", "Turing"]]}))
    assert Gazetteer.from_file(tmp_path / "sk.json").terms()[1] == ("Alan Turing", "PER")
    (tmp_path / "h.tsv").write_text("entry\tlabel\taliases\n# comment\nRome\tGPE\tRoma|Urbs\n")
    assert Gazetteer.from_file(tmp_path / "h.tsv").terms() == [
        ("Rome", "GPE"),
        ("Roma", "GPE"),
        ("Urbs", "GPE"),
    ]


def test_gazetteer_file_errors_name_the_line(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"entry": "a", "label": "X"}\n{"entry": ""}\n')
    with pytest.raises(DatasetError, match=r"\[E521\] Line 2 of .*bad.jsonl: .*bad entry"):
        Gazetteer.from_file(tmp_path / "bad.jsonl")
    (tmp_path / "bad.tsv").write_text("only-one-column\n")
    with pytest.raises(DatasetError, match=r"\[E521\] Line 1 .*entry<TAB>label"):
        Gazetteer.from_file(tmp_path / "bad.tsv")
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(DatasetError, match=r"\[E524\]"):
        Gazetteer.from_file(tmp_path / "x.csv")
    with pytest.raises(DatasetError, match=r"\[E520\]"):
        Gazetteer.from_file(tmp_path / "missing.jsonl")
    with pytest.raises(ParameterError, match=r"\[E523\].*TSV"):
        Gazetteer.from_records([("a|b", "X", ["c|d"])]).to_file(tmp_path / "o.tsv")


def test_gazetteer_builtin_lists_load() -> None:
    assert (builtin_dir() / "countries.jsonl").is_file()
    for name in BUILTIN:
        gz = Gazetteer.builtin(name)
        assert len(gz) > 100 and gz.name == name
    countries = Gazetteer.builtin("countries")
    assert ("United States", "GPE") in countries.terms()
    assert ("U.S.", "GPE") in countries.terms()
    assert ("US", "GPE") not in countries.terms()  # it is also "us"
    assert Gazetteer.builtin("nationalities").labels == ("NORP",)
    assert Gazetteer.builtin("languages").labels == ("LANGUAGE",)
    assert Gazetteer.builtin("currencies").labels == ("CURRENCY",)
    both = Gazetteer.builtin("countries", "cities")
    assert len(both) == len(countries) + len(Gazetteer.builtin("cities"))
    with pytest.raises(ParameterError, match=r"\[E522\] Unknown built-in gazetteer 'planets'"):
        Gazetteer.builtin("planets")
    with pytest.raises(ParameterError, match=r"\[E522\]"):
        Gazetteer.builtin()


def test_gazetteer_builtin_source_finds_places() -> None:
    source = gazetteer_source(
        Gazetteer.builtin("countries", "cities", "nationalities"), case_sensitive=True
    )
    assert source.name == "gazetteer_countries+cities+nationalities"
    found = _spans(source, "The French team flew from Kolkata to the United States via Paris.")
    assert found == [
        ("French", "NORP"),
        ("Kolkata", "GPE"),
        ("United States", "GPE"),
        ("Paris", "GPE"),
    ]


# ----------------------------------------------------------------------------- matching
def test_gazetteer_longest_leftmost_match_and_ties() -> None:
    gz = Gazetteer.from_records(
        [
            ("New York", "GPE"),
            ("New York Times", "ORG"),
            ("York Times Square", "LOC"),
            ("Jordan", "PER"),
            ("Jordan", "GPE"),  # the same name under two labels: a span for each
        ]
    )
    source = gazetteer_source(gz, name="g")
    assert _spans(source, "The New York Times Square office in Jordan") == [
        ("New York Times", "ORG"),
        ("Jordan", "GPE"),
        ("Jordan", "PER"),
    ]
    every = gazetteer_source(gz, name="all", longest_match=False)
    assert _spans(every, "New York Times Square") == [
        ("New York", "GPE"),
        ("New York Times", "ORG"),
        ("York Times Square", "LOC"),
    ]


def test_gazetteer_case_folding() -> None:
    gz = Gazetteer.from_records([("iPhone", "PRODUCT"), ("New York", "GPE")])
    folded = gazetteer_source(gz, name="f")
    exact = gazetteer_source(gz, name="e", case_sensitive=True)
    text = "IPHONE iphone iPhone NEW YORK New York"
    assert [t for t, _ in _spans(folded, text)] == [
        "IPHONE",
        "iphone",
        "iPhone",
        "NEW YORK",
        "New York",
    ]
    assert [t for t, _ in _spans(exact, text)] == ["iPhone", "New York"]
    assert folded.fingerprint() != exact.fingerprint()


def test_gazetteer_matches_stay_inside_sentences() -> None:
    gz = Gazetteer.from_records([("Paris Hilton", "PER"), ("Paris", "GPE")])
    words = ["I", "saw", "Paris", "Hilton", "arrive"]
    doc = Doc(NLP.vocab, words=words, sent_starts=[True, False, False, True, False])
    inside = gazetteer_source(gz, name="in")
    across = gazetteer_source(gz, name="across", cross_sentences=True)
    assert [(s.text, s.label_) for s in inside(doc).spans["in"]] == [("Paris", "GPE")]
    assert [(s.text, s.label_) for s in across(doc).spans["across"]] == [("Paris Hilton", "PER")]


def test_gazetteer_tokenizers() -> None:
    gz = Gazetteer.from_records([("U.S. Army", "ORG"), ("state-of-the-art", "X")])
    default = gazetteer_source(gz, name="d")
    assert default.tokenize(["state-of-the-art"]) == [["state", "-", "of", "-", "the", "-", "art"]]
    assert _spans(default, "The U.S. Army has state-of-the-art gear") == [
        ("U.S. Army", "ORG"),
        ("state-of-the-art", "X"),
    ]
    white = gazetteer_source(gz, name="w", tokenizer="whitespace")
    assert white.tokenize(["state-of-the-art"]) == [["state-of-the-art"]]
    custom = gazetteer_source(gz, name="c", tokenizer=lambda s: s.replace("-", " - ").split())
    assert custom.tokenize(["a-b"]) == [["a", "-", "b"]]
    own = gazetteer_source(gz, name="n", tokenizer=spacy.blank("en"))
    assert own.tokenize(["U.S. Army"]) == [["U.S.", "Army"]]
    assert len({default.fingerprint(), white.fingerprint(), custom.fingerprint()}) == 3
    with pytest.raises(ParameterError, match=r"\[E037\].*tokenizer must be"):
        gazetteer_source(gz, name="x", tokenizer=42).tokenize(["a"])
    with pytest.raises(ParameterError, match=r"\[E037\].*expected a Gazetteer"):
        gazetteer_source({"a": "X"}, name="x")  # type: ignore[arg-type]


def test_gazetteer_empty_inputs() -> None:
    source = gazetteer_source(Gazetteer.from_records([("a b", "X")]), name="g")
    assert source.spans_batch([]) == []
    assert source.spans_batch([NLP(""), NLP("a b"), NLP("")]) == [[], [(0, 2, "X")], []]
    nothing = gazetteer_source(Gazetteer([]), name="none")
    assert nothing.spans_batch([NLP("a b")]) == [[]]


# -------------------------------------------------------------- against a brute force
def _brute_force(
    tokens: list[str], entries: dict[tuple[str, ...], set[str]], longest: bool
) -> list[tuple[int, int, str]]:
    matches = [
        (i, j, label)
        for i in range(len(tokens))
        for j in range(i + 1, len(tokens) + 1)
        for label in sorted(entries.get(tuple(tokens[i:j]), ()))
    ]
    if not longest:
        return sorted(matches)
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        here = [m for m in matches if m[0] == i]
        if not here:
            i += 1
            continue
        end = max(m[1] for m in here)
        out += sorted(m for m in here if m[1] == end)
        i = end
    return out


ALPHABET = ["a", "b", "c", "d"]
token_lists = st.lists(st.sampled_from(ALPHABET), max_size=14)
entry_lists = st.lists(
    st.tuples(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=4), st.sampled_from("XY")),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(token_lists, min_size=1, max_size=4), entry_lists, st.booleans())
def test_gazetteer_matches_equal_a_brute_force(
    docs: list[list[str]], entries: list[tuple[list[str], str]], longest: bool
) -> None:
    table: dict[tuple[str, ...], set[str]] = {}
    for tokens, label in entries:
        table.setdefault(tuple(tokens), set()).add(label)
    gz = Gazetteer.from_records([(" ".join(t), lab) for t, lab in entries])
    source = gazetteer_source(
        gz, name="g", case_sensitive=True, tokenizer="whitespace", longest_match=longest
    )
    spacy_docs = [Doc(NLP.vocab, words=tokens) for tokens in docs]
    assert source.spans_batch(spacy_docs) == [_brute_force(t, table, longest) for t in docs]


# ----------------------------------------------------------------------- against skweak
def _bc5cdr(shared_data: Path) -> tuple[list[list[str]], list[tuple[list[str], str]]]:
    folder = shared_data / "wrench" / "seq_tagging" / "bc5cdr"
    tokens, names = [], []
    for split in ("train", "test"):
        with gzip.open(folder / f"{split}.json.gz", "rt") as handle:
            for row in json.load(handle).values():
                words, tags = row["data"]["text"], row["label"]
                if split == "test":
                    tokens.append(words)
                    continue
                i = 0
                while i < len(tags):
                    if tags[i].startswith("B-"):
                        j = i + 1
                        while j < len(tags) and tags[j].startswith("I-"):
                            j += 1
                        names.append((words[i:j], tags[i][2:]))
                        i = j
                    else:
                        i += 1
    return tokens, names


@pytest.mark.realdata
def test_gazetteer_equals_skweak_on_bc5cdr(shared_data: Path) -> None:
    gazetteers = pytest.importorskip("skweak.gazetteers")
    tokens, names = _bc5cdr(shared_data)
    # skweak never starts a match on punctuation: leave such names out (see the benchmark)
    names = [(t, lab) for t, lab in names if not NLP.vocab[t[0]].is_punct]
    tries: dict[str, object] = {}
    for words, label in names:
        tries.setdefault(label, gazetteers.Trie()).add(list(words))  # type: ignore[attr-defined]
    longest = max(len(t) for t, _ in names)
    skweak = gazetteers.GazetteerAnnotator(
        "sk", tries, case_sensitive=True, additional_checks=False, lookahead=longest
    )
    ours = gazetteer_source(
        Gazetteer.from_records([(" ".join(t), lab) for t, lab in names]),
        name="wl",
        case_sensitive=True,
        tokenizer="whitespace",
    )
    docs = [Doc(NLP.vocab, words=t) for t in tokens]
    ours.annotate(docs)
    n_spans = 0
    for doc in docs:
        skweak(doc)
        theirs = sorted((s.start, s.end, s.label_) for s in doc.spans["sk"])
        mine = [(s.start, s.end, s.label_) for s in doc.spans["wl"]]
        assert mine == theirs
        n_spans += len(mine)
    assert n_spans > 5000


# ------------------------------------------------------------------------ label_map
def _places() -> Gazetteer:
    return Gazetteer.from_records(
        [("France", "GPE"), ("Paris", "GPE"), ("French", "NORP"), ("Ada Lovelace", "PER")],
        name="places",
    )


def test_gazetteer_label_map_renames_and_drops_labels() -> None:
    doc = NLP("Ada Lovelace left Paris, France, with the French team.")
    source = gazetteer_source(_places(), name="gz", label_map={"GPE": "LOC", "NORP": None})
    spans = source.spans(doc)
    assert [(doc[s:e].text, label) for s, e, label in spans] == [
        ("Ada Lovelace", "PER"),  # not in the mapping: kept
        ("Paris", "LOC"),
        ("France", "LOC"),
    ]


def test_gazetteer_label_map_is_part_of_the_fingerprint() -> None:
    plain = gazetteer_source(_places(), name="gz")
    mapped = gazetteer_source(_places(), name="gz", label_map={"GPE": "LOC"})
    dropped = gazetteer_source(_places(), name="gz", label_map={"GPE": None})
    assert len({plain.fingerprint(), mapped.fingerprint(), dropped.fingerprint()}) == 3
    again = gazetteer_source(_places(), name="gz", label_map={"GPE": "LOC"})
    assert again.fingerprint() == mapped.fingerprint()


@pytest.mark.parametrize(
    ("label_map", "message"),
    [
        (
            {"gpe": "LOC"},
            r"has the key 'gpe', which is not a label .*differs from 'GPE' only in case",
        ),
        ({"ORG": "LOC"}, r"has the key 'ORG', which is not a label of the source\."),
        ({"GPE": ""}, r"maps 'GPE' to ''; give a non-empty str, or None"),
        ({"GPE": 3}, r"maps 'GPE' to 3"),
        (["GPE", "LOC"], r"must be a mapping; got list"),
    ],
)
def test_gazetteer_bad_label_map_is_refused(label_map: object, message: str) -> None:
    with pytest.raises(SourceError, match=rf"E527\] Source 'gz': label_map {message}"):
        gazetteer_source(_places(), name="gz", label_map=label_map)  # type: ignore[arg-type]


def test_gazetteer_builtin_and_relabel_take_a_label_map() -> None:
    gz = Gazetteer.builtin("countries", "nationalities", label_map={"GPE": "LOC", "NORP": None})
    assert gz.labels == ("LOC",)
    assert len(gz) == len(Gazetteer.builtin("countries"))
    relabeled = _places().relabel({"PER": "PERSON"})
    assert relabeled.labels == ("GPE", "NORP", "PERSON") and len(relabeled) == 4
    with pytest.raises(SourceError, match=r"E527\] Source 'places'.*'per'.*only in case"):
        _places().relabel({"per": "PERSON"})


def test_gazetteer_shipped_labels_outside_the_space_warn_with_counts() -> None:
    docs = [NLP("France beat Germany, said the French coach."), NLP("Italy and Spain.")]
    source = gazetteer_source(Gazetteer.builtin("countries", "nationalities"), name="countries")
    with pytest.warns(UserWarning) as record:
        tm = wl.apply_spans(
            [source], docs, label_names=["PER", "ORG", "LOC", "MISC"], progress=False
        )
    messages = [str(w.message) for w in record if "W005" in str(w.message)]
    assert len(messages) == 1
    assert "4 span(s) labelled 'GPE'" in messages[0] and "1 span(s) labelled 'NORP'" in messages[0]
    assert "countries: " in messages[0] and "label_map=" in messages[0]
    assert all(int(w.max()) == 0 for w in tm.weak), "the spans are left out of the matrix"
    mapped = gazetteer_source(
        Gazetteer.builtin("countries", "nationalities"),
        name="countries",
        label_map={"GPE": "LOC", "NORP": "MISC"},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tm = wl.apply_spans(
            [mapped], docs, label_names=["PER", "ORG", "LOC", "MISC"], progress=False
        )
    assert sum(int((w[:, 0] > 0).sum()) for w in tm.weak) == 5


@pytest.mark.parametrize(
    ("filename", "content", "where"),
    [
        (
            "cut.jsonl.gz",
            gzip.compress(b'{"entry": "Paris", "label": "GPE"}\n', mtime=0)[:-8],
            r"Line \(end\) .*gzip",
        ),
        (
            "latin1.jsonl",
            b'{"entry": "Paris", "label": "GPE"}\n{"entry": "R\xe9me", "label": "GPE"}\n',
            r"Line 2 .*not UTF-8",
        ),
        ("latin1.tsv", b"Paris\tGPE\nS\xe3o Paulo\tGPE\n", r"Line 2 .*not UTF-8"),
        ("numbers.json", b'{"GPE": ["Paris", 3]}', r"Line 1 .*\{label: \[names\]\}"),
        ("nested.json", b'{"GPE": "Paris"}', r"Line 1 .*\{label: \[names\]\}"),
    ],
)
def test_gazetteer_damaged_files_are_refused_naming_the_file(
    tmp_path: Path, filename: str, content: bytes, where: str
) -> None:
    path = tmp_path / filename
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=rf"E521\] {where}"):
        Gazetteer.from_file(path)
    with pytest.raises(DatasetError, match=re.escape(str(path))):
        Gazetteer.from_file(path)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(
    suffix=st.sampled_from([".jsonl", ".tsv", ".json"]),
    zipped=st.booleans(),
    cut=st.integers(0, 30),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 255)), max_size=3),
)
def test_gazetteer_fuzz_damaged_files_load_or_are_refused_naming_the_file(
    suffix: str, zipped: bool, cut: int, flips: list[tuple[int, int]]
) -> None:
    import tempfile

    gz = Gazetteer.from_records(
        [("New York", "GPE", ["NYC"]), ("Ada Lovelace", "PER"), ("Paris", "GPE")]
    )
    with tempfile.TemporaryDirectory() as folder:
        if suffix == ".json":
            raw = json.dumps({"GPE": ["New York", "Paris"], "PER": [["Ada", "Lovelace"]]})
            data = bytearray(raw.encode())
        else:
            data = bytearray(gz.to_file(Path(folder) / f"gz{suffix}").read_bytes())
        if zipped:
            data = bytearray(gzip.compress(bytes(data)))
        for position, xor in flips:
            data[position % len(data)] ^= xor
        path = Path(folder) / f"damaged{suffix}{'.gz' if zipped else ''}"
        path.write_bytes(bytes(data[: max(1, len(data) - cut)]))
        try:
            loaded = Gazetteer.from_file(path)
        except (DatasetError, ParameterError) as err:
            assert str(path) in str(err), str(err)
        else:
            assert all(e.entry.strip() and e.label.strip() for e in loaded)


def test_gazetteer_json_with_a_blank_name_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.json"
    path.write_text(json.dumps({"GPE": ["Paris", "  "]}))
    with pytest.raises(DatasetError, match=r"E521\] Line 1 of .*blank\.json: Gazetteer record 1"):
        Gazetteer.from_file(path)
