"""Synonym: real WordNet, inflection kept, proper nouns and protected terms untouched."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.augment.conftest import needs_wordnet
from tests.augment.tagged import PROPER, TAGGED, detag
from weaklabel.augment import Synonym
from weaklabel.augment._errors import AugmentError
from weaklabel.augment.text import wordnet

pytestmark = needs_wordnet

_WORD = re.compile(r"[A-Za-z]+")


def can_bear(word: str, tag: str) -> bool:
    """Whether ``word`` is the ``tag`` inflection of some lemma (lemminflect's lexicon)."""
    from lemminflect import getAllLemmas, getAllLemmasOOV, getInflection

    upos = {"N": "NOUN", "V": "VERB", "J": "ADJ", "R": "ADV"}[tag[0]]
    lower = word.lower()
    lemmas = set(getAllLemmas(lower, upos=upos).get(upos, ()))
    lemmas |= set(getAllLemmasOOV(lower, upos=upos).get(upos, ()))
    return any(lower in getInflection(lemma, tag=tag) for lemma in lemmas | {lower})


def substitutions(augmenter: Synonym, seeds: range, n: int) -> list[tuple[str, str, str]]:
    """(original word, gold tag, replacement) for every word changed in the outputs."""
    found: list[tuple[str, str, str]] = []
    texts, tagged = zip(*(detag(t) for t in TAGGED), strict=True)
    for seed in seeds:
        for pairs, variants in zip(
            tagged, augmenter.augment(list(texts), n=n, seed=seed), strict=True
        ):
            words = [(w, t) for w, t in pairs if _WORD.fullmatch(w)]
            for variant in variants:
                new_words = _WORD.findall(variant)
                assert len(new_words) == len(words), variant
                for (old, tag), new in zip(words, new_words, strict=True):
                    if old != new:
                        found.append((old, tag, new))
    return found


def test_synonym_augments_with_debian_wordnet(wn: Any) -> None:
    out = Synonym().augment(["She recommended two cars to her friends."], n=2, seed=0)
    assert len(out) == 1 and 1 <= len(out[0]) <= 2
    assert all(
        isinstance(t, str) and t != "She recommended two cars to her friends." for t in out[0]
    )


def test_synonym_keeps_inflection_of_verbs_and_nouns(wn: Any) -> None:
    subs = substitutions(Synonym(p=0.5, wordnet=wn), range(4), n=4)
    checked = [(old, tag, new) for old, tag, new in subs if tag[0] in "NV"]
    assert len(checked) >= 100, checked
    kept = [s for s in checked if can_bear(s[2], s[1])]
    assert len(kept) / len(checked) >= 0.95, sorted(set(checked) - set(kept))
    tags = {tag for _, tag, _ in checked}
    assert {"VBD", "NNS", "VBG"} <= tags


def test_synonym_never_changes_proper_nouns(wn: Any) -> None:
    subs = substitutions(Synonym(p=1.0, max_per_sentence=10, wordnet=wn), range(3), n=3)
    assert subs
    assert not [s for s in subs if s[0] in PROPER or s[1] == "NNP"]
    out = Synonym(p=1.0, wordnet=wn).augment(["The children enjoyed New York"] * 5, n=3, seed=1)
    assert any(out)
    assert all(v.endswith("New York") for variants in out for v in variants)


def test_synonym_sentence_initial_names_and_all_caps_are_kept(wn: Any) -> None:
    aug = Synonym(p=1.0, max_per_sentence=10, wordnet=wn)
    for variants in aug.augment(
        ["John bought cars. Paris welcomed visitors.", "The NASA engineers built rockets."],
        n=5,
        seed=0,
    ):
        assert variants
        for v in variants:
            assert ("John" in v and "Paris" in v) or "NASA" in v


def test_synonym_protected_terms_untouched(wn: Any) -> None:
    text = "The cars were cheap and the children were happy in the large houses."
    aug = Synonym(p=1.0, max_per_sentence=10, protected=["cars", "Large"], wordnet=wn)
    variants = aug.augment([text], n=5, seed=0)[0]
    assert variants
    assert all(re.search(r"\bcars\b", v) and "the large houses" in v for v in variants)


def test_synonym_keeps_case_whitespace_and_punctuation(wn: Any) -> None:
    text = "  Doctors   examined\tthe patients,  carefully!\n"
    variants = Synonym(p=1.0, max_per_sentence=10, wordnet=wn).augment([text], n=3, seed=0)[0]
    assert variants
    for v in variants:
        assert re.sub(r"[A-Za-z]+", "x", v) == re.sub(r"[A-Za-z]+", "x", text)
        assert v.lstrip()[0].isupper()


def test_synonym_cap_per_sentence(wn: Any) -> None:
    text, _ = detag(TAGGED[0])
    aug = Synonym(p=1.0, max_per_sentence=1, wordnet=wn)
    for v in aug.augment([text], n=5, seed=3)[0]:
        changed = sum(a != b for a, b in zip(_WORD.findall(text), _WORD.findall(v), strict=True))
        assert changed == 1


def test_synonym_deterministic_and_seed_sensitive(wn: Any) -> None:
    texts = [detag(t)[0] for t in TAGGED]
    aug = Synonym(p=0.3, wordnet=wn)
    first = aug.augment(texts, n=2, seed=7)
    assert Synonym(p=0.3, wordnet=wn).augment(texts, n=2, seed=7) == first
    assert aug.augment(texts, n=2, seed=8) != first
    # a text's variants depend on its position and the seed, not on the other texts
    assert aug.augment(texts[:3], n=2, seed=7) == first[:3]


def test_synonym_uses_a_spacy_tagger_and_skips_its_entities(wn: Any) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    gold = {w: t for tagged in TAGGED for w, t in detag(tagged)[1]}
    upos = {"N": "NOUN", "V": "VERB", "J": "ADJ", "R": "ADV"}

    @Language.component("gold_tagger")
    def gold_tagger(doc: Doc) -> Doc:
        for token in doc:
            token.tag_ = gold.get(token.text, "XX")
            token.pos_ = "PROPN" if token.tag_ == "NNP" else upos.get(token.tag_[0], "X")
        doc.ents = [Span(doc, 1, 2, label="ORG")] if doc[1].text == "committee" else []
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("gold_tagger")
    aug = Synonym(p=1.0, max_per_sentence=10, nlp=nlp, wordnet=wn)
    texts = [detag(t)[0] for t in TAGGED]
    changed = 0
    for text, variants in zip(texts, aug.augment(texts, n=2, seed=0), strict=True):
        for v in variants:
            for old, new in zip(_WORD.findall(text), _WORD.findall(v), strict=True):
                if old != new:
                    changed += 1
                    assert old not in PROPER and old != "committee"
                    assert can_bear(new, gold[old]), (old, new)
    assert changed > 20
    assert aug.provenance_params()["nlp"] == "en_pipeline"


# -- frequency and sense: the replacements users reported ------------------------------------
REPORTED = [
    ("See you next week, we will discuss the results.", "week", {"hebdomad", "hebdomads"}),
    ("Terrible food and a rude waiter.", "Terrible", {"Fearsome", "fearsome"}),
    ("She cried when the movie ended.", "cried", {"called", "Called"}),
    ("Hello there, can you help me find a book?", "Hello", {"Hullo", "Hallo", "Hi", "Howdy"}),
]


@pytest.mark.parametrize(("text", "word", "bad"), REPORTED)
def test_synonym_never_makes_the_reported_replacements(
    wn: Any, text: str, word: str, bad: set[str]
) -> None:
    aug = Synonym(p=1.0, max_per_sentence=10, wordnet=wn)
    variants = [v for seed in range(20) for v in aug.augment([text], n=3, seed=seed)[0]]
    assert variants, "the other words of the text are still replaced"
    for v in variants:
        assert not set(_WORD.findall(v)) & bad, v
    if word == "Hello":  # a greeting is never replaced
        assert all(v.startswith("Hello") for v in variants)


def test_synonym_without_the_frequency_check_can_pick_rare_words(wn: Any) -> None:
    # the check is what keeps "hebdomad" out: without it WordNet offers it
    rare = Synonym(p=1.0, wordnet=wn, max_zipf_drop=None).augment(["one week"], n=1, seed=0)
    assert rare == [["one hebdomad"]]
    assert Synonym(p=1.0, wordnet=wn).augment(["one week"], n=1, seed=0) == [[]]


def test_synonym_prefers_common_synonyms(wn: Any) -> None:
    from wordfreq import zipf_frequency

    texts = [detag(t)[0] for t in TAGGED]
    aug = Synonym(p=1.0, max_per_sentence=10, wordnet=wn)
    pairs = [
        (old, new)
        for text, variants in zip(texts, aug.augment(texts, n=3, seed=0), strict=True)
        for v in variants
        for old, new in zip(_WORD.findall(text), _WORD.findall(v), strict=True)
        if old != new
    ]
    assert len(pairs) >= 30
    floor = aug.max_zipf_drop
    assert floor is not None
    for old, new in pairs:
        assert zipf_frequency(new, "en") >= zipf_frequency(old, "en") - floor, (old, new)


def test_synonym_sense_fit_keeps_minor_senses_of_the_synonym_out(wn: Any) -> None:
    from weaklabel.augment.text._senses import SenseIndex

    index = SenseIndex(wn)
    cry_shout = index.senses("cry", "v")[0]
    count = dict(cry_shout[1])["call"]
    assert 0.0 < index.fit("call", "v", cry_shout[0], count) < 0.25  # "call" rarely shouts
    assert index.fit("yell", "v", cry_shout[0], dict(cry_shout[1])["yell"]) == 1.0
    satellite = index.senses("terrible", "a")[0]
    assert dict(satellite[1])["terrible"] == 11  # satellite sense keys read from data.adj
    assert [s for s, _ in index.senses("terrible", "a")] == [
        s.offset() for s in wn.synsets("terrible", "a")[:4]
    ]


@pytest.mark.realdata
def test_synonym_rarely_picks_a_much_rarer_word_on_real_questions(
    wn: Any, shared_data: Path
) -> None:
    import gzip
    import json
    from difflib import SequenceMatcher

    from wordfreq import zipf_frequency

    path = shared_data / "wrench" / "classification" / "trec" / "train.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        texts = [row["data"]["text"] for row in json.load(handle).values()][:1500]
    aug = Synonym(p=0.3, max_per_sentence=10, wordnet=wn)
    pairs: list[tuple[str, str]] = []
    for text, variants in zip(texts, aug.augment(texts, n=1, seed=0), strict=True):
        for v in variants:
            old, new = _WORD.findall(text), _WORD.findall(v)
            for op, a0, a1, b0, b1 in SequenceMatcher(a=old, b=new).get_opcodes():
                if op == "replace":
                    pairs.append((" ".join(old[a0:a1]), " ".join(new[b0:b1])))
    assert len(pairs) >= 500
    rare = [p for p in pairs if zipf_frequency(p[1], "en") <= zipf_frequency(p[0], "en") - 1.5]
    assert len(rare) / len(pairs) <= 0.05, rare[:20]


def test_synonym_rejects_bad_parameters() -> None:
    with pytest.raises(AugmentError, match="E060"):
        Synonym(max_zipf_drop=-1)
    with pytest.raises(AugmentError, match="E060"):
        Synonym(max_zipf_drop=float("nan"))
    with pytest.raises(AugmentError, match="E060"):
        Synonym(p=1.5)
    with pytest.raises(AugmentError, match="E060"):
        Synonym(max_per_sentence=0)
    with pytest.raises(AugmentError, match="E060"):
        Synonym(pos=("NOUN", "PRON"))


@pytest.mark.skipif(
    not (wordnet.DEBIAN_WORDNET / "data.noun").is_file() and not os.environ.get("CI"),
    reason="Debian's wordnet-base is not installed (apt-get install wordnet-base)",
)
def test_synonym_works_on_a_fresh_machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import nltk

    monkeypatch.setenv("WEAKLABEL_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("WEAKLABEL_WORDNET", raising=False)
    monkeypatch.setattr(nltk.data, "path", [p for p in nltk.data.path if "weaklabel" not in p])
    wordnet.load_wordnet.cache_clear()
    try:
        texts = [detag(t)[0] for t in TAGGED[:5]]
        out = Synonym().augment(texts, n=2, seed=0)
        assert all(len(v) <= 2 for v in out) and sum(map(len, out)) >= 4
        assert (tmp_path / "cache" / "nltk_data" / "corpora" / "wordnet" / "lexnames").is_file()
    finally:
        wordnet.load_wordnet.cache_clear()


def test_synonym_without_wordfreq_says_how_to_install_it(
    wn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "wordfreq", None)  # import wordfreq fails
    with pytest.raises(ImportError, match=r"\[E070\].*wordfreq.*weaklabel\[augment\]"):
        Synonym(p=1.0, wordnet=wn).augment(["She recommended two cars."], seed=0)
    out = Synonym(p=1.0, wordnet=wn, max_zipf_drop=None).augment(["one week"], seed=0)
    assert out == [["one hebdomad"]]  # the check off: no wordfreq needed
