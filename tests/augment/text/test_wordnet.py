"""Finding WordNet: Debian's files prepared for nltk, nltk's own data, clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from weaklabel.augment.text import wordnet

HAVE_DEBIAN = (wordnet.DEBIAN_WORDNET / "data.noun").is_file()
needs_debian = pytest.mark.skipif(
    not HAVE_DEBIAN and not os.environ.get("CI"),
    reason="Debian's wordnet-base is not installed (apt-get install wordnet-base)",
)


def test_wordnet_lexnames_has_the_45_standard_lines() -> None:
    lines = wordnet.lexnames_text().splitlines()
    assert len(lines) == 45
    assert lines[0] == "00\tadj.all\t3"
    assert lines[18] == "18\tnoun.person\t1"
    assert lines[44] == "44\tadj.ppl\t3"


def test_wordnet_missing_everywhere_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import nltk

    monkeypatch.setattr(wordnet, "DEBIAN_WORDNET", tmp_path / "nope")
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path / "empty")])
    monkeypatch.delenv("WEAKLABEL_WORDNET", raising=False)
    with pytest.raises(wordnet.WordNetNotFoundError, match="apt-get install wordnet-base"):
        wordnet.find_wordnet()


def test_wordnet_prepare_copies_once_and_adds_lexnames(tmp_path: Path) -> None:
    source = tmp_path / "dict"
    source.mkdir()
    for name in (*wordnet._REQUIRED, "index.adj", "index.adv", "noun.exc"):
        (source / name).write_text(f"fake {name}\n")
    root = wordnet.prepare_nltk_folder(source, tmp_path / "nltk_data")
    target = root / "corpora" / "wordnet"
    assert (target / "lexnames").read_text() == wordnet.lexnames_text()
    assert (target / "noun.exc").read_text() == "fake noun.exc\n"
    (source / "noun.exc").write_text("changed\n")
    wordnet.prepare_nltk_folder(source, tmp_path / "nltk_data")  # reused, not recopied
    assert (target / "noun.exc").read_text() == "fake noun.exc\n"
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".wordnet-")]


@needs_debian
def test_wordnet_loads_debian_wordnet_base(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.setenv("WEAKLABEL_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("WEAKLABEL_WORDNET", raising=False)
    wordnet.load_wordnet.cache_clear()
    try:
        wn = wordnet.load_wordnet()
        assert wn.get_version() == "3.0"
        assert "automobile" in wn.synsets("car")[0].lemma_names()
        assert wn.morphy("recommended", "v") == "recommend"
    finally:
        wordnet.load_wordnet.cache_clear()
