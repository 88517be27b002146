"""Character and word noise: typos, keyboard slips, OCR confusions, case, punctuation.

Use :class:`Noise` to make a classifier or tagger robust to messy input (user-typed
queries, chat, scanned documents) without changing what a text means: each variant gets a
few small edits, by default at most three, of these kinds:

- ``typo``: swap two adjacent letters, drop a letter or double a letter;
- ``keyboard``: replace a letter by a neighbouring key on a QWERTY keyboard (case kept);
- ``ocr``: an OCR confusion such as ``o``→``0``, ``l``→``1``, ``rn``→``m``, ``e``→``c``,
  ``S``→``5`` (see :data:`OCR_CONFUSIONS`);
- ``case``: flip the case of a word (``paris`` → ``Paris``/``PARIS``, ``NASA`` → ``nasa``);
- ``punctuation``: drop or insert one of ``, . ! ?``;
- ``word_swap``: swap two adjacent words;
- ``word_drop``: drop a short word (three letters or fewer, such as ``the``, ``of``).

Protected terms (``protected=``, whole words, case-insensitive) and protected character
spans (``protected_spans=``, one list per text) are never edited. For span-labelled data
(NER), :meth:`Noise.augment_with_spans` treats the entity spans as protected and returns
each variant with its spans' offsets remapped, so every entity's text is unchanged.

Everything is plain Python (no nlpaug/AugLy): variant ``v`` of text ``i`` comes from a
:class:`random.Random` seeded from ``(seed, i, v)``, so the output is reproducible.
"""

from __future__ import annotations

import itertools
import operator
import random
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from weaklabel.augment.base import (
    Augmenter,
    RowKey,
    _check_n,
    _usable,
    distinct_variants,
    invalid_argument,
    rng_for,
)

__all__ = ["KINDS", "OCR_CONFUSIONS", "QWERTY_NEIGHBOURS", "Noise"]

#: The kinds of edit :class:`Noise` can make.
KINDS: tuple[str, ...] = (
    "typo",
    "keyboard",
    "ocr",
    "case",
    "punctuation",
    "word_swap",
    "word_drop",
)

#: OCR confusions as (what is read, what it is misread as).
OCR_CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("o", "0"),
    ("O", "0"),
    ("0", "O"),
    ("l", "1"),
    ("I", "1"),
    ("1", "l"),
    ("l", "I"),
    ("I", "l"),
    ("e", "c"),
    ("c", "e"),
    ("S", "5"),
    ("5", "S"),
    ("B", "8"),
    ("8", "B"),
    ("rn", "m"),
    ("m", "rn"),
    ("cl", "d"),
    ("vv", "w"),
)

PUNCTUATION = ",.!?"
SHORT_WORD = 3  # word_drop drops words of at most this many characters

_QWERTY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _qwerty_neighbours() -> dict[str, str]:
    """Each lowercase letter's neighbours on a staggered QWERTY keyboard."""
    where = {ch: (r, c) for r, row in enumerate(_QWERTY_ROWS) for c, ch in enumerate(row)}
    out: dict[str, str] = {}
    for ch, (r, c) in where.items():
        near = [(r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1), (r + 1, c)]
        out[ch] = "".join(
            _QWERTY_ROWS[rr][cc]
            for rr, cc in near
            if 0 <= rr < len(_QWERTY_ROWS) and 0 <= cc < len(_QWERTY_ROWS[rr])
        )
    return out


#: Neighbouring keys of each lowercase letter on a QWERTY keyboard.
QWERTY_NEIGHBOURS: dict[str, str] = _qwerty_neighbours()

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_LETTERS = re.compile(r"[^\W\d_]+")

Span = tuple[int, int]


class _Cells:
    """A text being edited: one character per cell, each with its original offset.

    Edited or moved cells lose their offset (``None``); cells of protected characters are
    never edited, moved or removed, so their offsets locate the protected spans afterwards.
    """

    def __init__(self, text: str, locked: bytearray) -> None:
        self.chars = list(text)
        self.origin: list[int | None] = list(range(len(text)))
        self.locked = locked

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def free(self, start: int, end: int) -> bool:
        """Whether every cell in ``[start, end)`` may be edited."""
        for i in range(start, end):
            o = self.origin[i]
            if o is not None and self.locked[o]:
                return False
        return True

    def replace(self, start: int, end: int, new: str) -> None:
        self.chars[start:end] = list(new)
        self.origin[start:end] = [None] * len(new)


def _protected_pattern(protected: Iterable[str]) -> re.Pattern[str] | None:
    """A regex matching any of ``protected`` as whole words, case-insensitively.

    Longest terms first, so ``New York City`` wins over ``New York``; ``None`` when there
    is no non-blank term. Shared with :mod:`weaklabel.augment.text.noise_backends`.
    """
    terms = sorted({str(t).strip() for t in protected if str(t).strip()}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)", re.IGNORECASE
    )


def _validate_spans(
    spans: object, length: int | None, what: str, name: str = "Noise"
) -> list[Span]:
    """``spans`` as a list of ``(start, end)`` pairs, or :class:`AugmentError`.

    ``name`` is the augmenter named in the error message.
    """
    expected = "a list of (start, end) character offsets"
    if length is not None:
        expected += f" with 0 <= start <= end <= {length}"
    try:
        items = list(spans)  # type: ignore[call-overload]
        out: list[Span] = []
        for span in items:
            if isinstance(span[0], bool) or isinstance(span[1], bool):
                raise TypeError
            start, end = operator.index(span[0]), operator.index(span[1])
            if start < 0 or end < start or (length is not None and end > length):
                raise ValueError
            out.append((start, end))
    except (TypeError, ValueError, IndexError) as exc:
        raise invalid_argument(name, what, expected, spans) from exc
    return out


class _Protected(Augmenter):
    """Shared by the noise augmenters: protected terms, and protected spans per text.

    Subclasses call :meth:`_set_protection` in ``__init__`` and read the spans of the
    current :meth:`augment` call from :meth:`_batch_spans` in ``_augment_batch``.
    """

    protected: tuple[str, ...]
    protected_spans: list[list[Span]] | None

    def _set_protection(
        self,
        protected: Iterable[str],
        protected_spans: Sequence[Sequence[Sequence[int]]] | None,
    ) -> None:
        if isinstance(protected, str):
            protected = (protected,)
        self.protected = tuple(str(term) for term in protected)
        self.protected_spans = (
            None
            if protected_spans is None
            else [
                _validate_spans(spans or (), None, "protected_spans", self.name)
                for spans in protected_spans
            ]
        )
        self._protected_re = _protected_pattern(self.protected)
        self._local = threading.local()

    def _protected_ranges(self, text: str) -> list[Span]:
        """Where the constructor's protected terms occur in ``text``."""
        if self._protected_re is None:
            return []
        return [m.span() for m in self._protected_re.finditer(text)]

    def _batch_spans(self, texts: list[str]) -> list[list[Span]]:
        """The protected spans of each usable text of the current :meth:`augment` call."""
        spans: list[list[Span]] | None = getattr(self._local, "spans", None)
        return [[] for _ in texts] if spans is None else spans

    def __getstate__(self) -> dict[str, Any]:
        """Picklable (for process pools): per-call state and cached library objects dropped."""
        state = self.__dict__.copy()
        del state["_local"]
        state.pop("_cache", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._local = threading.local()

    def _variants_for(
        self, items: Sequence[object], n: int, keys: Sequence[RowKey]
    ) -> list[list[str]]:
        """As :meth:`Augmenter._variants_for`, with ``protected_spans`` aligned to ``items``.

        Raises
        ------
        AugmentError
            When ``protected_spans`` was given and does not have one list per text of the
            call, or a span falls outside its text.
        """
        if self.protected_spans is None:
            return super()._variants_for(items, n, keys)
        if len(items) != len(self.protected_spans):
            raise invalid_argument(
                self.name,
                "protected_spans",
                f"one list of spans per text ({len(items)} texts)",
                f"{len(self.protected_spans)} lists",
            )
        self._local.spans = [
            _validate_spans(s, len(str(t)), "protected_spans", self.name)
            for t, s in zip(items, self.protected_spans, strict=True)
            if _usable(t)
        ]
        try:
            return super()._variants_for(items, n, keys)
        finally:
            self._local.spans = None

    def _variants(
        self, text: str, spans: list[Span], n: int, rng: random.Random
    ) -> list[tuple[Any, ...]]:
        """Up to ``n`` distinct usable variants of ``text`` with ``spans`` protected; each a
        tuple whose first item is the new text."""
        raise NotImplementedError  # pragma: no cover

    def _augment_batch(
        self, texts: list[str], n: int, rngs: list[random.Random]
    ) -> list[list[str]]:
        spans = self._batch_spans(texts)
        return [
            [found[0] for found in self._variants(text, text_spans, n, rng)]
            for text, text_spans, rng in zip(texts, spans, rngs, strict=True)
        ]

    def _spanned_variants(
        self, text: str, spans: list[Span], n: int, rng: random.Random
    ) -> list[tuple[str, Callable[[int, int], tuple[int, int]]]]:
        """Variants of ``text`` with ``spans`` protected, each with a function that maps a
        protected span's ``(start, end)`` to its offsets in the variant."""
        raise NotImplementedError  # pragma: no cover

    def augment_with_spans(
        self,
        text: object,
        spans: Sequence[Sequence[Any]],
        *,
        n: int = 1,
        seed: int = 0,
    ) -> list[tuple[str, list[tuple[Any, ...]]]]:
        """Noisy variants of a span-labelled text, with the spans' offsets remapped.

        The spans (entities) are protected, so each one's text is unchanged; edits outside
        them shift their offsets. The constructor's ``protected`` terms are honoured too
        (its ``protected_spans`` are not: they are aligned with :meth:`augment`'s texts).

        Parameters
        ----------
        text : str
            The text. Empty strings, ``None`` and non-strings give ``[]``.
        spans : sequence of (start, end, ...)
            Character offsets; anything after ``end`` (a label, say) is kept as is.
        n : int, default=1
            At most this many variants.
        seed : int, default=0
            Same seed, same output (the same texts as ``augment([text], n=n, seed=seed)``
            gives when ``spans`` is empty).

        Returns
        -------
        list of (str, list of tuple)
            Up to ``n`` distinct ``(new_text, new_spans)``, ``new_text`` never ``text``;
            ``new_text[s:e] == text[start:end]`` for each span and its remapped ``(s, e)``.

        Raises
        ------
        AugmentError
            When a span is not a pair of offsets inside the text (E060).
        """
        n = _check_n(n)
        if not _usable(text):
            return []
        assert isinstance(text, str)
        pairs = _validate_spans(spans, len(text), "spans", self.name)
        return [
            (
                new_text,
                [
                    (*locate(start, end), *tuple(span)[2:])
                    for (start, end), span in zip(pairs, spans, strict=True)
                ],
            )
            for new_text, locate in self._spanned_variants(text, pairs, n, rng_for(int(seed), 0))
        ]


class Noise(_Protected):
    """Character and word noise that leaves protected terms and spans alone.

    Parameters
    ----------
    kinds : sequence of str, default=all of :data:`KINDS`
        The kinds of edit to make (see the module docstring).
    p : float, default=0.05
        Probability that each word gets an edit; every variant gets at least one edit and
        at most ``max_edits``.
    max_edits : int, default=3
        At most this many edits per variant.
    protected : iterable of str, default=()
        Words or phrases never edited (matched case-insensitively on word boundaries).
    protected_spans : list of list of (int, int), optional
        Character offsets ``(start, end)`` never edited, one list per text passed to
        :meth:`augment` (aligned with the texts, empty and ``None`` entries included).
        :meth:`augment_with_spans` takes its spans directly instead.

    Examples
    --------
    >>> Noise(kinds=("keyboard",), max_edits=1).augment(["hello world"], seed=0)
    [['hello wotld']]
    >>> Noise().augment_with_spans("I love Paris.", [(7, 12, "LOC")], seed=0)
    [('love I Paris.', [(7, 12, 'LOC')])]
    """

    max_attempts_per_variant = 4

    def __init__(
        self,
        *,
        kinds: Sequence[str] = KINDS,
        p: float = 0.05,
        max_edits: int = 3,
        protected: Iterable[str] = (),
        protected_spans: Sequence[Sequence[Sequence[int]]] | None = None,
    ) -> None:
        if isinstance(kinds, str):
            kinds = (kinds,)
        kinds = tuple(kinds)
        if not kinds or any(kind not in KINDS for kind in kinds):
            raise invalid_argument("Noise", "kinds", f"a non-empty subset of {KINDS}", kinds)
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 <= p <= 1.0:
            raise invalid_argument("Noise", "p", "a number in [0, 1]", p)
        if isinstance(max_edits, bool) or not isinstance(max_edits, int) or max_edits < 1:
            raise invalid_argument("Noise", "max_edits", "a positive integer", max_edits)
        self.kinds = tuple(dict.fromkeys(kinds))
        self.p = float(p)
        self.max_edits = max_edits
        self._set_protection(protected, protected_spans)

    def _spanned_variants(
        self, text: str, spans: list[Span], n: int, rng: random.Random
    ) -> list[tuple[str, Callable[[int, int], tuple[int, int]]]]:
        """Variants of ``text`` with ``spans`` protected, each with where a span moved."""
        out: list[tuple[str, Callable[[int, int], tuple[int, int]]]] = []
        for new_text, cells in self._variants(text, spans, n, rng):
            position = {o: i for i, o in enumerate(cells.origin) if o is not None}

            def locate(
                start: int, end: int, cells: _Cells = cells, position: dict[int, int] = position
            ) -> tuple[int, int]:
                if start < end:
                    return position[start], position[end - 1] + 1
                new_start = next(
                    (i for i, o in enumerate(cells.origin) if o is not None and o >= start),
                    len(cells.chars),
                )
                return new_start, new_start

            out.append((new_text, locate))
        return out

    # -- making variants ------------------------------------------------------------------
    def _augment_one(self, text: str, rng: random.Random) -> str:
        return self._noisy(text, [], rng).text

    def _variants(
        self, text: str, spans: list[Span], n: int, rng: random.Random
    ) -> list[tuple[str, _Cells]]:
        """Up to ``n`` distinct usable variants other than ``text``, with their cells.

        Attempt ``v`` uses a generator seeded from the text's generator (itself from
        ``(seed, position)``) and ``v``.
        """
        base = rng.getrandbits(64)

        def make(attempt: int) -> tuple[str, _Cells]:
            cells = self._noisy(text, spans, random.Random(f"{base}:{attempt}"))
            return cells.text, cells

        return distinct_variants(
            make, text, n, self.max_attempts_per_variant * n, key=operator.itemgetter(0)
        )

    def _noisy(self, text: str, spans: list[Span], rng: random.Random) -> _Cells:
        locked = bytearray(len(text))
        blocked = list(spans) + self._protected_ranges(text)
        for start, end in blocked:
            locked[start:end] = b"\x01" * (end - start)
        cells = _Cells(text, locked)
        n_words = max(1, len(_WORD.findall(text)))
        wanted = sum(rng.random() < self.p for _ in range(n_words))
        for _ in range(min(self.max_edits, max(1, wanted))):
            order = list(self.kinds)
            rng.shuffle(order)
            if not any(self._edit(kind, cells, rng) for kind in order):
                break
        return cells

    def _edit(self, kind: str, cells: _Cells, rng: random.Random) -> bool:
        """Make one edit of ``kind``; ``False`` when the text offers no place for it."""
        edit = getattr(self, f"_edit_{kind}")
        return bool(edit(cells, rng))

    @staticmethod
    def _pick(
        options: dict[str, list[tuple[Any, ...]]], rng: random.Random
    ) -> tuple[str, tuple[Any, ...]] | None:
        """A random operation among those with sites, then a random site of it."""
        ops = [op for op, sites in options.items() if sites]
        if not ops:
            return None
        op = rng.choice(ops)
        return op, rng.choice(options[op])

    def _edit_typo(self, cells: _Cells, rng: random.Random) -> bool:
        chars = cells.chars
        letters = [i for i, c in enumerate(chars) if c.isalpha() and cells.free(i, i + 1)]
        is_letter = set(letters)
        options: dict[str, list[tuple[Any, ...]]] = {
            "swap": [(i,) for i in letters if i + 1 in is_letter and chars[i] != chars[i + 1]],
            "drop": [
                (i,)
                for i in letters
                if (i > 0 and chars[i - 1].isalpha())
                or (i + 1 < len(chars) and chars[i + 1].isalpha())
            ],
            "double": [(i,) for i in letters],
        }
        picked = self._pick(options, rng)
        if picked is None:
            return False
        op, (i,) = picked
        if op == "swap":
            cells.replace(i, i + 2, chars[i + 1] + chars[i])
        elif op == "drop":
            cells.replace(i, i + 1, "")
        else:
            cells.replace(i, i + 1, chars[i] * 2)
        return True

    def _edit_keyboard(self, cells: _Cells, rng: random.Random) -> bool:
        chars = cells.chars
        sites = [
            i
            for i, c in enumerate(chars)
            if c.lower() in QWERTY_NEIGHBOURS and cells.free(i, i + 1)
        ]
        if not sites:
            return False
        i = rng.choice(sites)
        new = rng.choice(QWERTY_NEIGHBOURS[chars[i].lower()])
        cells.replace(i, i + 1, new.upper() if chars[i].isupper() else new)
        return True

    def _edit_ocr(self, cells: _Cells, rng: random.Random) -> bool:
        text = cells.text
        sites: list[tuple[int, str, str]] = []
        for src, dst in OCR_CONFUSIONS:
            i = text.find(src)
            while i != -1:
                if cells.free(i, i + len(src)):
                    sites.append((i, src, dst))
                i = text.find(src, i + 1)
        if not sites:
            return False
        i, src, dst = rng.choice(sites)
        cells.replace(i, i + len(src), dst)
        return True

    def _edit_case(self, cells: _Cells, rng: random.Random) -> bool:
        sites: list[tuple[int, int, str]] = []
        for m in _LETTERS.finditer(cells.text):
            word = m.group()
            if not cells.free(m.start(), m.end()):
                continue
            if any(c.isupper() for c in word):
                options = [word.lower()]
            else:
                options = [word.upper(), word[:1].upper() + word[1:]]
            for new in dict.fromkeys(options):
                if len(new) == len(word) and new != word:
                    sites.append((m.start(), m.end(), new))
        if not sites:
            return False
        start, end, new = rng.choice(sites)
        cells.replace(start, end, new)
        return True

    def _edit_punctuation(self, cells: _Cells, rng: random.Random) -> bool:
        chars = cells.chars
        text = cells.text
        options: dict[str, list[tuple[Any, ...]]] = {
            "drop": [
                (i,) for i, c in enumerate(chars) if c in PUNCTUATION and cells.free(i, i + 1)
            ],
            "insert": [
                (m.end(),)
                for m in _WORD.finditer(text)
                if cells.free(m.end() - 1, m.end())
                and (m.end() == len(text) or text[m.end()] not in PUNCTUATION)
            ],
        }
        picked = self._pick(options, rng)
        if picked is None:
            return False
        op, (i,) = picked
        if op == "drop":
            cells.replace(i, i + 1, "")
        else:
            cells.replace(i, i, rng.choice(PUNCTUATION))
        return True

    def _edit_word_swap(self, cells: _Cells, rng: random.Random) -> bool:
        text = cells.text
        words = list(_WORD.finditer(text))
        sites: list[tuple[int, int, int, int]] = []
        for a, b in itertools.pairwise(words):
            gap = text[a.end() : b.start()]
            if gap and gap.isspace() and a.group() != b.group() and cells.free(a.start(), b.end()):
                sites.append((a.start(), a.end(), b.start(), b.end()))
        if not sites:
            return False
        a_start, a_end, b_start, b_end = rng.choice(sites)
        cells.replace(
            a_start, b_end, text[b_start:b_end] + text[a_end:b_start] + text[a_start:a_end]
        )
        return True

    def _edit_word_drop(self, cells: _Cells, rng: random.Random) -> bool:
        text = cells.text
        words = list(_WORD.finditer(text))
        if len(words) < 2:
            return False
        sites: list[tuple[int, int]] = []
        for m in words:
            if len(m.group()) > SHORT_WORD:
                continue
            start, end = m.start(), m.end()
            if start > 0 and text[start - 1].isspace():
                while start > 0 and text[start - 1].isspace():
                    start -= 1
            elif end < len(text) and text[end].isspace():
                while end < len(text) and text[end].isspace():
                    end += 1
            else:
                continue
            if cells.free(start, end):
                sites.append((start, end))
        if not sites:
            return False
        start, end = rng.choice(sites)
        cells.replace(start, end, "")
        return True
