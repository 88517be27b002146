"""Synonym augmentation: weaklabel's ``Synonym`` vs nlpaug's ``SynonymAug(aug_src="wordnet")``.

Same WordNet (Debian's ``wordnet-base`` through :func:`weaklabel.augment.text.wordnet.load_wordnet`,
handed to nlpaug's model), same texts, same process. Measures

- throughput (texts per second, one variant each) on real short texts: the WRENCH TREC and
  SMS train sets in ``../shared/data`` (the hand-tagged sentences alone without them);
- the share of substituted nouns and verbs that keep their Penn tag (``cars`` NNS must
  become another NNS), on hand-tagged sentences (``tests/augment/tagged.py``), checked with
  lemminflect's lexicon; a multi-word replacement is judged by its head (last word of a
  noun, first of a verb);
- proper nouns (NNP) changed;
- the share of replacements that are *much rarer* than the word they replace (wordfreq's
  Zipf frequency 1.5 or more below it: "week" 5.6 -> "hebdomad" 0) on each real data set
  (TREC questions, SMS messages, YouTube comments; one variant per text), with
  weaklabel's ``Synonym`` both as shipped and with its frequency check off
  (``max_zipf_drop=None``), to show what the check does.

Throughput is counted in CPU seconds of this process (``time.process_time``): the machines
here are shared, and wall time swings with the other jobs.

nlpaug cannot run offline as shipped: ``SynonymAug`` tags with ``nltk.pos_tag``, whose model
nltk downloads on first use. Here nlpaug's ``pos_tag`` is replaced by a stand-in that looks
tags up (the gold tags of the tagged sentences; elsewhere lemminflect's first reading,
capitalised words inside a sentence as NNP). That gives nlpaug gold POS on the quality
sentences and costs almost nothing, so both numbers flatter nlpaug: with nltk's real tagger
it would be slower, and its tags would be worse.

Run (nlpaug in its own virtual environment, with weaklabel installed there)::

    python -m venv ../nlpaug-venv && ../nlpaug-venv/bin/pip install nlpaug==1.1.11 -e .
    ../nlpaug-venv/bin/python benchmarks/augment_synonym.py [--n-texts 5000] [--record]

``--record`` writes the ``augment_synonym`` section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.augment.tagged import TAGGED, detag  # noqa: E402
from weaklabel.augment import Synonym  # noqa: E402
from weaklabel.augment.text.wordnet import load_wordnet  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "wrench" / "classification"
_WORD = re.compile(r"[A-Za-z]+")
_TOKEN = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*")
_UPOS = {"N": "NOUN", "V": "VERB", "J": "ADJ", "R": "ADV"}


RARITY_SETS = ("trec", "sms", "youtube")
MUCH_RARER = 1.5  # Zipf points


def dataset_texts(name: str) -> list[str]:
    """The train texts of one WRENCH classification set (empty when it is not there)."""
    path = DATA / name / "train.json.gz"
    if not path.is_file():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [row["data"]["text"] for row in json.load(handle).values()]


def real_texts(limit: int) -> list[str]:
    """Short real texts (TREC questions, SMS messages), or the tagged sentences."""
    texts = dataset_texts("trec") + dataset_texts("sms")
    if not texts:
        texts = [detag(t)[0] for t in TAGGED]
    random.Random(0).shuffle(texts)
    return [texts[i % len(texts)] for i in range(limit)]


def can_bear(word: str, tag: str) -> bool:
    """Whether ``word`` is the ``tag`` inflection of some lemma (lemminflect's lexicon)."""
    from lemminflect import getAllLemmas, getAllLemmasOOV, getInflection

    upos = _UPOS[tag[0]]
    lower = word.lower()
    lemmas = set(getAllLemmas(lower, upos=upos).get(upos, ()))
    lemmas |= set(getAllLemmasOOV(lower, upos=upos).get(upos, ()))
    return any(lower in getInflection(lemma, tag=tag) for lemma in lemmas | {lower})


def stand_in_tagger(gold: dict[str, str]) -> Callable[[list[str]], list[tuple[str, str]]]:
    """A lookup tagger for nlpaug (nltk's ``pos_tag`` cannot load offline)."""
    from lemminflect import getAllLemmas, getInflection

    def tag_one(token: str, first: bool) -> str:
        if token in gold:
            return gold[token]
        if token[:1].isupper() and not first:
            return "NNP"
        for upos, lemmas in getAllLemmas(token.lower()).items():
            for penn in {"NOUN": ("NN", "NNS"), "VERB": ("VBD", "VBZ", "VBG", "VB")}.get(
                upos, ("JJ",) if upos == "ADJ" else ("RB",)
            ):
                if token.lower() in getInflection(lemmas[0], tag=penn):
                    return penn
        return "NN"

    def pos_tag(tokens: list[str]) -> list[tuple[str, str]]:
        return [(t, tag_one(t, i == 0)) for i, t in enumerate(tokens)]

    return pos_tag


def substitutions(
    augment: Callable[[list[str]], list[str]], rounds: int
) -> list[tuple[str, str, str]]:
    """(original word, gold tag, replacement words) for every changed word of the outputs."""
    from difflib import SequenceMatcher

    texts, tagged = zip(*(detag(t) for t in TAGGED), strict=True)
    found: list[tuple[str, str, str]] = []
    for _ in range(rounds):
        for pairs, variant in zip(tagged, augment(list(texts)), strict=True):
            words = [(w, t) for w, t in pairs if _WORD.fullmatch(w)]
            new = _WORD.findall(variant)
            matcher = SequenceMatcher(a=[w for w, _ in words], b=new, autojunk=False)
            for op, a0, a1, b0, b1 in matcher.get_opcodes():
                if op == "equal":
                    continue
                if op == "replace" and a1 - a0 == b1 - b0:
                    found.extend(
                        (w, t, n) for (w, t), n in zip(words[a0:a1], new[b0:b1], strict=True)
                    )
                elif op == "replace" and a1 - a0 == 1:
                    found.append((words[a0][0], words[a0][1], " ".join(new[b0:b1])))
                else:
                    found.extend((w, t, "?") for w, t in words[a0:a1])
    return found


def quality(subs: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Inflection-keeping share of nouns/verbs, proper nouns changed."""
    nv = [s for s in subs if s[1][0] in "NV" and s[1] != "NNP"]

    def kept(old: str, tag: str, new: str) -> bool:
        parts = new.split()
        if not parts or parts == ["?"]:
            return False
        head = parts[-1] if tag.startswith("N") else parts[0]
        return can_bear(head, tag)

    keep = sum(kept(*s) for s in nv)
    return {
        "substitutions": len(subs),
        "nouns/verbs": len(nv),
        "inflection kept": keep / len(nv) if nv else float("nan"),
        "proper nouns changed": sum(s[1] == "NNP" for s in subs),
        "multi-word": sum(len(s[2].split()) > 1 for s in subs),
    }


def replacements(texts: list[str], variants: list[str]) -> list[tuple[str, str]]:
    """(replaced words, replacement) for every changed stretch of words in the variants."""
    from difflib import SequenceMatcher

    found: list[tuple[str, str]] = []
    for text, variant in zip(texts, variants, strict=True):
        old, new = _TOKEN.findall(text), _TOKEN.findall(variant)
        matcher = SequenceMatcher(a=old, b=new, autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op != "replace":
                continue
            if a1 - a0 == b1 - b0:
                found.extend(zip(old[a0:a1], new[b0:b1], strict=True))
            else:
                found.append((" ".join(old[a0:a1]), " ".join(new[b0:b1])))
    return found


def rarity(augment: Callable[[list[str]], list[str]], texts: list[str]) -> tuple[int, float]:
    """Replacements made, and the share of them much rarer than what they replace."""
    from wordfreq import zipf_frequency

    pairs = replacements(texts, augment(texts))
    rare = sum(
        zipf_frequency(new, "en") <= zipf_frequency(old, "en") - MUCH_RARER for old, new in pairs
    )
    return len(pairs), rare / len(pairs) if pairs else float("nan")


def throughput(augment: Callable[[list[str]], Any], texts: list[str]) -> float:
    """Texts per CPU second of this process."""
    start = time.process_time()
    augment(texts)
    return len(texts) / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-texts", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=10, help="passes over tagged sentences")
    parser.add_argument("--record", action="store_true", help="write RESULTS.md's section")
    args = parser.parse_args()

    wn = load_wordnet()
    texts = real_texts(args.n_texts)
    sets = {name: dataset_texts(name) for name in RARITY_SETS}
    sets = {name: rows for name, rows in sets.items() if rows}
    rows: list[list[Any]] = []

    def ours(**options: Any) -> Callable[[list[str]], list[str]]:
        augmenter = Synonym(p=0.3, max_per_sentence=10, wordnet=wn, **options)
        counter = iter(range(10**9))

        def augment(batch: list[str]) -> list[str]:
            out = augmenter.augment(batch, n=1, seed=next(counter))
            return [v[0] if v else t for t, v in zip(batch, out, strict=True)]

        return augment

    for name, options in (
        ("weaklabel Synonym", {}),
        ("weaklabel Synonym, max_zipf_drop=None", {"max_zipf_drop": None}),
    ):
        augment = ours(**options)
        augment(texts[:1])  # one-time costs: importing lemminflect and wordfreq, sense counts
        cold = throughput(augment, texts)
        warm = throughput(augment, texts)
        rare = {key: rarity(augment, rows_) for key, rows_ in sets.items()}
        rows.append([name, cold, warm, quality(substitutions(augment, args.rounds)), rare])

    try:
        import nlpaug
        import nlpaug.augmenter.word as naw
        from nlpaug.model.word_dict.wordnet import WordNet
    except ImportError:
        print("nlpaug is not installed here: only weaklabel was measured.")
    else:
        import nltk
        import nltk.corpus

        gold = {w: t for tagged in TAGGED for w, t in detag(tagged)[1]}
        tagger = stand_in_tagger(gold)
        WordNet.pos_tag = staticmethod(tagger)  # type: ignore[method-assign]
        nltk.pos_tag = lambda tokens, *_, **__: tagger(list(tokens))
        # the same WordNet reader (nltk's own loader needs index.sense, which Debian lacks);
        # nlpaug 1.1.3 imports it inside WordNet.__init__, 1.1.11 at module level
        nltk.corpus.wordnet = wn
        sys.modules[WordNet.__module__].wordnet = wn  # type: ignore[attr-defined]
        theirs = naw.SynonymAug(aug_src="wordnet", aug_p=0.3, aug_max=None)

        def nlpaug_augment(batch: list[str]) -> list[str]:
            out = []
            for text in batch:
                variant = theirs.augment(text) if text.strip() else text
                out.append(variant[0] if isinstance(variant, list) else variant)
            return out

        random.seed(0)
        nlpaug_augment(texts[:1])
        cold = throughput(nlpaug_augment, texts)
        warm = throughput(nlpaug_augment, texts)
        subs = substitutions(nlpaug_augment, args.rounds)
        rare = {key: rarity(nlpaug_augment, rows_) for key, rows_ in sets.items()}
        rows.append([f"nlpaug {nlpaug.__version__} SynonymAug", cold, warm, quality(subs), rare])

    header = (
        "| augmenter | texts/s (first pass, cold caches) | texts/s (second pass) "
        "| noun/verb substitutions | inflection kept | proper nouns changed "
        "| multi-word replacements |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    body = header + "".join(
        f"| {name} | {cold:,.0f} | {warm:,.0f} | {q['nouns/verbs']} | "
        f"{q['inflection kept']:.1%} | {q['proper nouns changed']} | {q['multi-word']} |\n"
        for name, cold, warm, q, _ in rows
    )
    rare_header = (
        "\n| augmenter | "
        + " | ".join(f"{key}: replacements | {key}: much rarer" for key in sets)
        + " |\n| --- |"
        + " ---: | ---: |" * len(sets)
        + "\n"
    )
    rare_body = rare_header + "".join(
        f"| {name} | "
        + " | ".join(f"{rare[key][0]:,} | {rare[key][1]:.1%}" for key in sets)
        + " |\n"
        for name, _, _, _, rare in rows
    )
    notes = (
        f"\nThroughput in texts per CPU second on {len(texts):,} real texts (WRENCH TREC + SMS "
        "train), one variant each, p=0.3, after one warm-up text (imports, WordNet already "
        "loaded). Quality on the hand-tagged sentences of `tests/augment/tagged.py` "
        f"({args.rounds} passes). nlpaug's `nltk.pos_tag` cannot load offline; it was given a "
        "lookup tagger with gold tags on the quality sentences (see the script), which "
        "flatters it on both speed and quality.\n\n"
        "Much rarer: the share of replacements whose wordfreq Zipf frequency is "
        f"{MUCH_RARER} or more below the word(s) they replace, one variant of every train "
        "text of each WRENCH set. Before this check (weaklabel 2026-11-25) the share on TREC "
        "was 31.2% (SMS 24.9%, YouTube 24.9%).\n"
    )
    print(body + rare_body + notes)
    if args.record:
        from _results import write_section

        write_section("augment_synonym", "Synonym augmentation vs nlpaug", body + rare_body + notes)


if __name__ == "__main__":
    main()
