"""Synonym replacement from WordNet that keeps each word's part of speech and inflection.

Use :class:`Synonym` to make label-preserving variants of short texts by swapping a few
content words (nouns, verbs, adjectives, adverbs) for WordNet synonyms of the same sense
family: "She recommended two cars" → "She suggested two automobiles". It

- reads real WordNet through nltk (found by :func:`weaklabel.augment.text.wordnet.load_wordnet`:
  nltk's data, ``$WEAKLABEL_WORDNET`` or Debian's ``wordnet-base``);
- takes the part of speech from a spaCy pipeline with a tagger when you pass one
  (``nlp=``), and otherwise from a conservative built-in guesser (lemminflect's lexicon,
  WordNet's ``morphy`` and the previous word), which leaves a word alone when it cannot
  tell a noun from a verb;
- re-inflects the synonym with lemminflect to the original's Penn tag (``cars`` → ``autos``,
  ``recommended`` → ``suggested``) and keeps its capitalisation, the whitespace and the
  punctuation exactly;
- never changes proper nouns (``NNP``/``PROPN``, capitalised words inside a sentence,
  ALL-CAPS words), entity spans found by the pipeline, protected terms or function words.

Each eligible word is replaced with probability ``p`` (at least one per variant when any
is eligible), at most ``max_per_sentence`` per sentence. Synonyms come from the word's most
frequent senses (WordNet's tagged counts) and must use that sense often themselves (a
quarter of their uses, or as their first sense: "cried" never becomes "called"); they are
at most ``max_zipf_drop`` rarer than the word in wordfreq's Zipf frequency ("week" never
becomes "hebdomad") and drawn in favour of common ones. Greetings and interjections
("Hello", "sorry") are left alone.
"""

from __future__ import annotations

import importlib
import random
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from weaklabel.augment._errors import Errors
from weaklabel.augment.base import Augmenter, distinct_variants, invalid_argument
from weaklabel.augment.text._senses import SenseIndex

__all__ = ["Synonym"]

POS_TAGS: dict[str, tuple[str, ...]] = {
    "NOUN": ("NN", "NNS"),
    "VERB": ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"),
    "ADJ": ("JJ", "JJR", "JJS"),
    "ADV": ("RB", "RBR", "RBS"),
}
_WN_POS = {"NOUN": "n", "VERB": "v", "ADJ": "a", "ADV": "r"}
_BASE_TAGS = frozenset({"NN", "VB", "VBP", "JJ", "RB"})
_GRADED_TAGS = frozenset({"JJR", "JJS", "RBR", "RBS"})
_TWIN_TAGS = {"VBD": "VBN", "VBN": "VBD", "VBP": "VB"}

# Function words and auxiliaries: WordNet has senses for some ("be" → "exist", "can" → "tin")
# that are never what the text means.
STOP_WORDS = frozenset(
    """
    a an the this that these those my your his her its our their some any every each no
    all both either neither few many much more most other another such what which who whom
    whose i me we us you he him she it they them myself yourself himself herself itself
    ourselves themselves mine yours hers ours theirs one ones
    be am is are was were been being have has had having do does did doing done
    will would shall should can could may might must ought need dare get got gets getting
    and or but nor so yet for if then than because as while when where why how whether
    although though unless until since before after about above across against along among
    around at by down during from in inside into near of off on onto out outside over past
    through throughout to toward towards under up upon with within without
    not never also just only very too quite rather really even still already again ever
    here there now then today tomorrow yesterday yes ok okay please
    hello hi hey hiya howdy hullo hallo bye goodbye farewell cheers thanks thank welcome
    sorry oops wow ouch alas hooray yeah yep nope lol omg pardon congrats congratulations
    two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
    hundred thousand million billion first second third half dozen
    """.split()
)
# The word before tells noun from verb often enough to break a tie.
_NOUN_CONTEXT = frozenset(
    "a an the this that these those my your his her its our their some any every each no "
    "many few several of two three four five six seven eight nine ten dozen hundred thousand "
    "million".split()
)
_VERB_CONTEXT = frozenset(
    "to will would shall should can could may might must i we you they he she it not "
    "never did does do don't didn't doesn't".split()
)
_DOMINANCE = 3.0  # a part of speech wins a tie when its senses are this much more frequent
# A sense after the first must carry more than this share of the word's tagged uses in
# SemCor (WordNet's counts): "block" -> "cube" (1 of 38 uses) is not what texts mean.
_MIN_SENSE_SHARE = 0.1
# A synonym must use the shared sense for at least this share of its own tagged uses (or as
# its first sense): "call" means *shout* in 10% of its uses, so "cried" is not "called".
_MIN_FIT = 0.25
_WORD = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*")
_SENTENCE_BREAK = re.compile(r"[.!?]|\n")


def _lemminflect() -> Any:
    """lemminflect, imported on first use (it ships no type information)."""
    return importlib.import_module("lemminflect")


class _Slot(NamedTuple):
    """A word that may be replaced: its place, sentence and weighted inflected synonyms."""

    start: int
    end: int
    sentence: int
    forms: tuple[str, ...]
    weights: tuple[float, ...]


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    sentence: int
    initial: bool


def _match_case(original: str, new: str) -> str:
    if original[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


class Synonym(Augmenter):
    """Replace content words with WordNet synonyms, keeping POS, inflection and casing.

    Parameters
    ----------
    p : float, default=0.2
        Probability that each eligible word is replaced (at least one word per variant is
        replaced when any is eligible).
    max_per_sentence : int, default=3
        At most this many replacements per sentence.
    nlp : spacy.Language, optional
        A spaCy pipeline whose tagger sets Penn tags (``token.tag_``); its entities
        (``doc.ents``) and proper nouns are left alone. Without it a built-in guesser is
        used (see the module docstring).
    protected : iterable of str, default=()
        Words or phrases never changed (matched case-insensitively on word boundaries).
    pos : sequence of str, default=("NOUN", "VERB", "ADJ", "ADV")
        Universal POS tags of the words that may be replaced.
    wordnet : nltk WordNetCorpusReader, optional
        The WordNet to use; by default :func:`~weaklabel.augment.text.wordnet.load_wordnet`
        (loaded on first use).
    max_zipf_drop : float or None, default=1.25
        Use only synonyms at most this much rarer than the word they replace, in Zipf
        frequency (wordfreq's log10 of uses per billion words: "week" 5.6, "hebdomad" 0),
        and prefer the more common ones. On 1,500 texts each of WRENCH TREC / SMS /
        YouTube, 1.0 left 47% / 26% / 57% of the texts without a variant, 1.25 left 42% /
        22% / 50% and 1.5 left 38% / 19% / 49%; the share of replacements 1.5 or more
        points rarer than the word was under 0.5% for all three (39% / 28% / 34% with no
        check). 1.25 keeps a margin below that 1.5 for words whose inflected form is rarer
        than their lemma. ``None`` keeps rare synonyms and does not need
        the ``wordfreq`` package.

    Examples
    --------
    >>> Synonym(p=0.5).augment(["She recommended two cars."], n=2, seed=0)  # doctest: +SKIP
    [['She suggested two cars.', 'She recommended two automobiles.']]
    """

    def __init__(
        self,
        *,
        p: float = 0.2,
        max_per_sentence: int = 3,
        nlp: Any = None,
        protected: Iterable[str] = (),
        pos: Sequence[str] = ("NOUN", "VERB", "ADJ", "ADV"),
        wordnet: Any = None,
        max_zipf_drop: float | None = 1.25,
    ) -> None:
        if max_zipf_drop is not None and (
            isinstance(max_zipf_drop, bool)
            or not isinstance(max_zipf_drop, int | float)
            or not 0.0 <= max_zipf_drop < float("inf")
        ):
            raise invalid_argument(
                "Synonym", "max_zipf_drop", "a non-negative number or None", max_zipf_drop
            )
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 <= p <= 1.0:
            raise invalid_argument("Synonym", "p", "a number in [0, 1]", p)
        if (
            isinstance(max_per_sentence, bool)
            or not isinstance(max_per_sentence, int)
            or max_per_sentence < 1
        ):
            raise invalid_argument(
                "Synonym", "max_per_sentence", "a positive integer", max_per_sentence
            )
        unknown = [tag for tag in pos if tag not in POS_TAGS]
        if unknown or not pos:
            raise invalid_argument(
                "Synonym", "pos", f"a non-empty subset of {tuple(POS_TAGS)}", pos
            )
        self.p = float(p)
        self.max_per_sentence = max_per_sentence
        self.nlp = nlp
        self.protected = tuple(str(term) for term in protected)
        self.pos = tuple(pos)
        self.wordnet = wordnet
        self.max_zipf_drop = None if max_zipf_drop is None else float(max_zipf_drop)
        terms = sorted({t.strip() for t in self.protected if t.strip()}, key=len, reverse=True)
        self._protected_re = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)", re.IGNORECASE
            )
            if terms
            else None
        )
        self._analysis: dict[tuple[str, str], list[tuple[str, str, tuple[str, ...]]]] = {}
        self._options: dict[
            tuple[str, str, str, tuple[str, ...]], tuple[tuple[str, ...], tuple[float, ...]]
        ] = {}
        self._synonyms: dict[tuple[str, str], list[tuple[str, float]]] = {}
        self._capitalised: dict[str, bool] = {}
        self._tables: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
        self._index: SenseIndex | None = None
        self._zipf: Any = None

    @property
    def _wn(self) -> Any:
        if self.wordnet is None:
            from weaklabel.augment.text.wordnet import load_wordnet

            self.wordnet = load_wordnet()
        return self.wordnet

    @property
    def _senses(self) -> SenseIndex:
        if self._index is None or self._index.wn is not self._wn:
            self._index = SenseIndex(self._wn)
        return self._index

    def __getstate__(self) -> dict[str, Any]:
        """Picklable (for process pools): open files and caches are not carried over."""
        state = self.__dict__.copy()
        state["wordnet"] = None
        state["_index"] = None
        state["_zipf"] = None
        for name in ("_analysis", "_options", "_synonyms", "_capitalised", "_tables"):
            state[name] = {}
        return state

    def _zipf_of(self, word: str) -> float:
        """wordfreq's Zipf frequency of an English word (log10 of uses per billion words)."""
        if self._zipf is None:
            try:
                from wordfreq import zipf_frequency
            except ImportError as exc:
                raise ImportError(
                    Errors.E070.format(
                        what="Synonym(max_zipf_drop=...)",
                        packages="wordfreq",
                        verb="is",
                        extra="augment",
                    )
                    + " Or pass max_zipf_drop=None to keep rare synonyms."
                ) from exc
            self._zipf = zipf_frequency
        return float(self._zipf(word, "en"))

    def _synonyms_of(self, lemma: str, upos: str) -> list[tuple[str, float]]:
        """Single-word WordNet synonyms of ``lemma`` with weights (likely shared senses first).

        A sense of ``lemma`` counts when it is its first or carries more than
        ``_MIN_SENSE_SHARE`` of its tagged uses; a word of that sense counts when the sense
        carries at least ``_MIN_FIT`` of *its* uses (see :meth:`SenseIndex.fit`). The
        weight is the product of the two shares and of the word's tagged count in the
        sense (plus one), summed over shared senses.
        """
        key = (lemma, upos)
        cached = self._synonyms.get(key)
        if cached is not None:
            return cached
        pos = _WN_POS[upos]
        index = self._senses
        weights: dict[str, float] = {}
        senses = index.senses(lemma, pos)
        own_counts = index.own_counts(lemma, pos)
        total = sum(own_counts)
        for rank, ((sense, words), own_count) in enumerate(zip(senses, own_counts, strict=True)):
            if rank > 0 and own_count <= _MIN_SENSE_SHARE * total:
                continue  # a rare sense of this word: its synonyms would change the meaning
            share = (own_count + 1) / (total + len(senses))
            for name, count in words:
                if name == lemma or not name.isalpha() or not name.islower():
                    continue
                fit = index.fit(name, pos, sense, count)
                if fit <= 0.0 or fit < _MIN_FIT:
                    continue  # "cry" -> "call": a minor sense of the synonym
                weights[name] = weights.get(name, 0.0) + share * fit * (count + 1)
        result = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
        self._synonyms[key] = result
        return result

    def _sense_frequency(self, lemma: str, upos: str) -> int:
        return self._senses.frequency(lemma, _WN_POS[upos])

    def _table(self, lemma: str, upos: str) -> dict[str, tuple[str, ...]]:
        """lemminflect's forms of ``lemma`` by Penn tag, as ``getInflection`` would give them.

        One dictionary look-up per lemma instead of one per tag; regular verbs' missing
        VBN/VBD/VBP are filled from their twin, and out-of-lexicon lemmas get lemminflect's
        rules, except for comparatives and superlatives ("more X" is not one word).
        """
        key = (lemma, upos)
        cached = self._tables.get(key)
        if cached is None:
            li = _lemminflect()
            cached = dict(li.getAllInflections(lemma, upos=upos))
            oov: dict[str, tuple[str, ...]] | None = None
            for tag in POS_TAGS[upos]:
                if tag in cached:
                    continue
                twin = _TWIN_TAGS.get(tag)
                if twin is not None and twin in cached:
                    cached[tag] = cached[twin]
                elif tag not in _GRADED_TAGS:
                    if oov is None:
                        oov = dict(li.getAllInflectionsOOV(lemma, upos))
                    if tag in oov:
                        cached[tag] = oov[tag]
                    elif tag in ("VBP", "NN", "JJ", "RB"):
                        cached[tag] = (lemma,)
            self._tables[key] = cached
        return cached

    def _is_name(self, word: str) -> bool:
        """Whether WordNet knows ``word`` (capitalised) as a name, e.g. "John", "Paris"."""
        cached = self._capitalised.get(word)
        if cached is None:
            cached = any(
                lm.name() == word for ss in self._senses.synsets(word, None) for lm in ss.lemmas()
            )
            self._capitalised[word] = cached
        return cached

    def _analyse(self, word: str, context: str) -> list[tuple[str, str, tuple[str, ...]]]:
        """Possible (upos, lemma, Penn tags) of a lower-case word after a context class."""
        key = (word, context)
        cached = self._analysis.get(key)
        if cached is not None:
            return cached
        li = _lemminflect()

        analyses: list[tuple[str, str, tuple[str, ...]]] = []
        known = li.getAllLemmas(word)
        for upos in self.pos:
            lemmas = list(known.get(upos, ()))
            if not lemmas:
                morphy = self._wn.morphy(word, _WN_POS[upos])
                lemmas = [morphy] if morphy else []
            for lemma in lemmas:
                if not self._senses.in_wordnet(lemma, _WN_POS[upos]):
                    continue
                table = self._table(lemma, upos)
                tags = tuple(t for t in POS_TAGS[upos] if word in table.get(t, ()))
                if tags:
                    analyses.append((upos, lemma, tags))
        if len(analyses) > 1 and context == "noun":
            analyses = [a for a in analyses if a[0] in ("NOUN", "ADJ")] or analyses
        elif len(analyses) > 1 and context == "verb":
            analyses = [a for a in analyses if a[0] in ("VERB", "ADV")] or analyses
        if len(analyses) > 1:
            ranked = sorted(analyses, key=lambda a: self._sense_frequency(a[1], a[0]), reverse=True)
            top = self._sense_frequency(ranked[0][1], ranked[0][0])
            runner_up = self._sense_frequency(ranked[1][1], ranked[1][0])
            analyses = [ranked[0]] if top >= _DOMINANCE * max(runner_up, 1) else []
        self._analysis[key] = analyses
        return analyses

    def _forms(
        self, word: str, lemma: str, upos: str, tags: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """The synonyms of ``lemma`` inflected like ``word`` (same form under every tag).

        With ``max_zipf_drop`` set, forms more than that much rarer than ``word`` are left
        out and the weight of a rarer form shrinks (by ``10 ** (drop / 2)``).
        """
        key = (word, lemma, upos, tags)
        cached = self._options.get(key)
        if cached is None:
            li = _lemminflect()
            floor = None
            if self.max_zipf_drop is not None:
                own = self._zipf_of(word)
                floor = own - self.max_zipf_drop
            forms: list[str] = []
            weights: list[float] = []
            for candidate, weight in self._synonyms_of(lemma, upos):
                own_lemmas = li.getAllLemmas(candidate, upos=upos).get(upos, (candidate,))
                if candidate not in own_lemmas or candidate in STOP_WORDS:
                    continue  # itself an inflected form ("older"), or a function word
                if all(t in _BASE_TAGS for t in tags):
                    inflected = {candidate}
                else:
                    table = self._table(candidate, upos)
                    inflected = {table[t][0] if t in table else "" for t in tags}
                if len(inflected) != 1:
                    continue
                form = inflected.pop()
                if not form or not form.isalpha() or form in forms or form == word:
                    continue
                if floor is not None:
                    zipf = self._zipf_of(form)
                    if zipf < floor:
                        continue  # "week" -> "hebdomad": much rarer than the word
                    weight *= 10 ** (min(0.0, zipf - own) / 2)
                forms.append(form)
                weights.append(weight)
            cached = (tuple(forms), tuple(weights))
            self._options[key] = cached
        return cached

    # -- finding the replaceable words --------------------------------------------------
    def _blocked(self, text: str) -> list[tuple[int, int]]:
        if self._protected_re is None:
            return []
        return [m.span() for m in self._protected_re.finditer(text)]

    def _slots_fallback(
        self, text: str, extra_blocked: Sequence[tuple[int, int]] = ()
    ) -> list[_Slot]:
        tokens: list[_Token] = []
        sentence, last_end = 0, 0
        for m in _WORD.finditer(text):
            gap = text[last_end : m.start()]
            if tokens and _SENTENCE_BREAK.search(gap):
                sentence += 1
            initial = not tokens or tokens[-1].sentence != sentence
            tokens.append(_Token(m.start(), m.end(), m.group(), sentence, initial))
            last_end = m.end()
        blocked = self._blocked(text) + list(extra_blocked)
        slots: list[_Slot] = []
        for i, tok in enumerate(tokens):
            word = tok.text
            if len(word) < 3 or not word.isalpha() or word.isupper():
                continue
            if not word.islower():
                if not tok.initial or not word[1:].islower():
                    continue  # a capitalised word inside a sentence: a proper noun
                follower = tokens[i + 1] if i + 1 < len(tokens) else None
                if follower is not None and follower.sentence == tok.sentence:
                    between = text[tok.end : follower.start]
                    if not between.strip() and follower.text[:1].isupper():
                        continue  # "New York", "Barack Obama" at the start of a sentence
                if self._is_name(word):
                    continue
            lower = word.lower()
            if lower in STOP_WORDS:
                continue
            if any(s < tok.end and tok.start < e for s, e in blocked):
                continue
            prev = tokens[i - 1].text.lower() if i and not tok.initial else ""
            context = "noun" if prev in _NOUN_CONTEXT else "verb" if prev in _VERB_CONTEXT else ""
            analyses = self._analyse(lower, context)
            if len(analyses) != 1:
                continue
            upos, lemma, tags = analyses[0]
            forms, weights = self._forms(lower, lemma, upos, tags)
            if forms:
                slots.append(
                    _Slot(
                        tok.start,
                        tok.end,
                        tok.sentence,
                        tuple(_match_case(word, f) for f in forms),
                        weights,
                    )
                )
        return slots

    def _slots_spacy(self, doc: Any, extra_blocked: Sequence[tuple[int, int]] = ()) -> list[_Slot]:
        li = _lemminflect()

        text = doc.text
        blocked = self._blocked(text) + list(extra_blocked)
        blocked += [(ent.start_char, ent.end_char) for ent in doc.ents]
        sentence_of: dict[int, int] = {}
        if doc.has_annotation("SENT_START"):
            for number, sent in enumerate(doc.sents):
                for token in sent:
                    sentence_of[token.i] = number
        slots: list[_Slot] = []
        wanted = {tag: upos for upos in self.pos for tag in POS_TAGS[upos]}
        for token in doc:
            word, tag = token.text, token.tag_
            upos = wanted.get(tag)
            if upos is None or token.pos_ == "PROPN" or token.ent_type_:
                continue
            if len(word) < 3 or not word.isalpha() or word.isupper():
                continue
            if not word.islower() and (not token.is_sent_start or not word[1:].islower()):
                continue
            lower = word.lower()
            if lower in STOP_WORDS or token.pos_ == "AUX":
                continue
            start, end = token.idx, token.idx + len(word)
            if any(s < end and start < e for s, e in blocked):
                continue
            lemma = token.lemma_.lower() if token.lemma_ else ""
            if not lemma or lemma == "-pron-" or not lemma.isalpha():
                lemma = (li.getAllLemmas(lower, upos=upos).get(upos) or ("",))[0]
            if not lemma:
                lemma = self._wn.morphy(lower, _WN_POS[upos]) or ""
            if not lemma:
                continue
            forms, weights = self._forms(lower, lemma, upos, (tag,))
            if forms:
                slots.append(
                    _Slot(
                        start,
                        end,
                        sentence_of.get(token.i, 0),
                        tuple(_match_case(word, f) for f in forms),
                        weights,
                    )
                )
        return slots

    # -- making variants -----------------------------------------------------------------
    def _choose(self, slots: list[_Slot], rng: random.Random) -> list[tuple[int, int, str]]:
        """The replacements of one variant: ``(start, end, new_word)``, left to right."""
        chosen = [slot for slot in slots if rng.random() < self.p]
        if not chosen:
            chosen = [rng.choice(slots)]
        per_sentence: dict[int, list[_Slot]] = {}
        for slot in chosen:
            per_sentence.setdefault(slot.sentence, []).append(slot)
        picked: list[_Slot] = []
        for group in per_sentence.values():
            if len(group) > self.max_per_sentence:
                group = rng.sample(group, self.max_per_sentence)
            picked.extend(group)
        picked.sort(key=lambda slot: slot.start)
        return [(s.start, s.end, rng.choices(s.forms, weights=s.weights)[0]) for s in picked]

    def _variant(self, text: str, slots: list[_Slot], rng: random.Random) -> str:
        parts: list[str] = []
        last = 0
        for start, end, word in self._choose(slots, rng):
            parts.append(text[last:start])
            parts.append(word)
            last = end
        parts.append(text[last:])
        return "".join(parts)

    def slots(
        self, texts: Sequence[str], blocked: Sequence[Sequence[tuple[int, int]]] | None = None
    ) -> list[list[_Slot]]:
        """The replaceable words of each text, skipping the ``blocked`` character ranges.

        Used by entity-aware augmentation to keep entity spans intact.

        Parameters
        ----------
        texts : sequence of str
        blocked : sequence of sequence of (int, int), optional
            Per text, character ranges no replacement may touch (entity spans).

        Returns
        -------
        list of list
            Per text, the candidate slots (``start``, ``end``, ``sentence``, ``forms``,
            ``weights``).
        """
        extra = [()] * len(texts) if blocked is None else list(blocked)
        if self.nlp is not None:
            docs = self.nlp.pipe(list(texts))
            return [self._slots_spacy(d, b) for d, b in zip(docs, extra, strict=True)]
        return [self._slots_fallback(t, b) for t, b in zip(texts, extra, strict=True)]

    def _augment_batch(
        self, texts: list[str], n: int, rngs: list[random.Random]
    ) -> list[list[str]]:
        attempts = self.max_attempts_per_variant * n

        def variants(text: str, slots: list[_Slot], rng: random.Random) -> list[str]:
            if not slots:
                return []
            return distinct_variants(lambda _: self._variant(text, slots, rng), text, n, attempts)

        return [
            variants(text, slots, rng)
            for text, slots, rng in zip(texts, self.slots(texts), rngs, strict=True)
        ]

    def _augment_one(self, text: str, rng: random.Random) -> str:
        slots = self._augment_batch([text], 1, [rng])[0]
        return slots[0] if slots else text
