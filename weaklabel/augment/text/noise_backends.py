"""Character and word noise from AugLy and nlpaug, with protected terms and spans kept intact.

Use these when you want the noise models of `AugLy <https://github.com/facebookresearch/AugLy>`_
or `nlpaug <https://github.com/makcedward/nlpaug>`_ (their keyboard and OCR maps, typo
generators, punctuation and whitespace insertion) instead of, or next to, the plain-Python
:class:`weaklabel.augment.text.noise.Noise`:

- :class:`AuglyNoise` wraps ``augly.text`` (kinds in :data:`AUGLY_KINDS`);
- :class:`NlpaugNoise` wraps nlpaug's character and word augmenters (:data:`NLPAUG_KINDS`).

Both follow the :class:`~weaklabel.augment.base.Augmenter` contract and, like
:class:`~weaklabel.augment.text.noise.Noise`, never touch protected terms (``protected=``) or
protected character spans (``protected_spans=``, or the spans passed to
``augment_with_spans``): the text is cut into protected and free segments, the library only
sees the free segments (with their leading and trailing whitespace, and any whitespace other
than a single space, kept as is), and the protected segments are copied byte for byte, so
``augment_with_spans`` can remap every span's offsets exactly.

Each variant applies one kind, drawn at random from ``kinds``, to every free segment. The
libraries draw from Python's global :mod:`random` and from ``numpy.random``; each call seeds
both from ``(seed, text position, attempt, segment)`` under a lock and restores their previous
state afterwards, so the output is reproducible and the caller's global generators are left
alone.

Install with ``pip install "weaklabel[noise]"``. AugLy 1.0.0 needs ``nlpaug==1.1.3`` (with
nlpaug 1.1.11 its typo functions fail) and the system library libmagic
(``apt-get install libmagic1``).
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from weaklabel._deprecated import moved_names
from weaklabel.augment._errors import AugmentError, Errors
from weaklabel.augment.base import distinct_variants, invalid_argument
from weaklabel.augment.text.noise import Span, _Protected

__all__ = ["AUGLY_KINDS", "NLPAUG_KINDS", "AuglyNoise", "NlpaugNoise"]

# The messages of NoiseBackendErrors are in the augment catalogue now.
__getattr__ = moved_names(__name__, {"NoiseBackendErrors": "weaklabel.augment._errors:Errors"})

#: The kinds of noise :class:`AuglyNoise` can make, and the ``augly.text`` function behind each.
AUGLY_KINDS: dict[str, str] = {
    "typo": "simulate_typos(typo_type='charmix')",
    "keyboard": "simulate_typos(typo_type='keyboard')",
    "misspelling": "simulate_typos(typo_type='misspelling')",
    "ocr": "replace_similar_chars",
    "case": "change_case(granularity='word')",
    "punctuation": "insert_punctuation_chars(granularity='word')",
    "whitespace": "insert_whitespace_chars(granularity='word')",
    "split": "split_words",
    "merge": "merge_words",
}

#: The kinds of noise :class:`NlpaugNoise` can make, and the nlpaug augmenter behind each.
NLPAUG_KINDS: dict[str, str] = {
    "keyboard": "char.KeyboardAug",
    "ocr": "char.OcrAug",
    "char_insert": "char.RandomCharAug(action='insert')",
    "char_substitute": "char.RandomCharAug(action='substitute')",
    "char_swap": "char.RandomCharAug(action='swap')",
    "char_delete": "char.RandomCharAug(action='delete')",
    "word_swap": "word.RandomWordAug(action='swap')",
    "word_delete": "word.RandomWordAug(action='delete')",
    "split": "word.SplitAug",
}

#: Errors the libraries raise on odd input (a one-letter segment, say); that segment is left
#: unchanged rather than failing the whole call.
_LIBRARY_ERRORS: tuple[type[Exception], ...] = (
    ValueError,
    IndexError,
    KeyError,
    TypeError,
    AttributeError,
    ZeroDivisionError,
)

#: Whitespace the libraries would not keep (anything but one space): segments are cut there.
_KEPT_WHITESPACE = re.compile(r"\s*(?:[^\S ]|  )\s*")

#: The libraries draw from the process-wide generators; one call at a time seeds them.
_GLOBAL_RNG_LOCK = threading.Lock()


# -- segments -------------------------------------------------------------------------------
def _merge(regions: Iterable[Span]) -> list[Span]:
    """Sorted, merged regions (overlapping or touching ones become one)."""
    merged: list[Span] = []
    for start, end in sorted(regions):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _free_pieces(segment: str) -> list[tuple[bool, str]]:
    """``segment`` as ``(editable, text)`` pieces: whitespace at the ends, and whitespace
    other than a single space, is kept (not editable); the rest is given to the library."""
    pieces: list[tuple[bool, str]] = []
    pos = 0
    for m in _KEPT_WHITESPACE.finditer(segment):
        if m.start() > pos:
            pieces.append((True, segment[pos : m.start()]))
        pieces.append((False, m.group()))
        pos = m.end()
    if pos < len(segment):
        pieces.append((True, segment[pos:]))
    out: list[tuple[bool, str]] = []
    for editable, piece in pieces:
        if editable:
            core = piece.strip(" ")
            lead = piece[: len(piece) - len(piece.lstrip(" "))]
            trail = piece[len(piece.rstrip(" ")) :]
            if lead:
                out.append((False, lead))
            if core:
                out.append((True, core))
            if trail:
                out.append((False, trail))
        else:
            out.append((False, piece))
    return out


def _seeded_call(seed: int, call: Callable[[], object]) -> object:
    """``call()`` with :mod:`random` and ``numpy.random`` seeded from ``seed``, then restored."""
    import numpy as np

    with _GLOBAL_RNG_LOCK:
        py_state = random.getstate()
        np_state = np.random.get_state()  # noqa: NPY002 (the libraries use it)
        try:
            random.seed(seed)
            np.random.seed(seed % 2**32)  # noqa: NPY002
            return call()
        finally:
            random.setstate(py_state)
            np.random.set_state(np_state)  # noqa: NPY002


def _as_text(result: object, fallback: str) -> str:
    """The library's output as one string (nlpaug 1.1.3 returns a str, later ones a list)."""
    if isinstance(result, list | tuple):
        result = result[0] if result else fallback
    return result if isinstance(result, str) else fallback


class _SegmentNoise(_Protected):
    """Shared code: protected regions, free segments, seeding, span remapping."""

    kinds_available: ClassVar[dict[str, str]] = {}
    max_attempts_per_variant = 4

    def __init__(
        self,
        *,
        kinds: Sequence[str] | None = None,
        p: float = 0.3,
        protected: Iterable[str] = (),
        protected_spans: Sequence[Sequence[Sequence[int]]] | None = None,
    ) -> None:
        name = type(self).__name__
        if kinds is None:
            kinds = tuple(self.kinds_available)
        if isinstance(kinds, str):
            kinds = (kinds,)
        kinds = tuple(kinds)
        if not kinds or any(kind not in self.kinds_available for kind in kinds):
            raise invalid_argument(
                name, "kinds", f"a non-empty subset of {tuple(self.kinds_available)}", kinds
            )
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 < p <= 1.0:
            raise invalid_argument(name, "p", "a number in (0, 1]", p)
        self.kinds = tuple(dict.fromkeys(kinds))
        self.p = float(p)
        self._set_protection(protected, protected_spans)
        self._check_library()

    # -- to implement -----------------------------------------------------------------------
    def _check_library(self) -> None:
        """Import the library now, so a missing one fails at construction."""
        raise NotImplementedError  # pragma: no cover

    def _apply(self, kind: str, text: str) -> str:
        """One application of ``kind`` to ``text`` (the global generators are seeded)."""
        raise NotImplementedError  # pragma: no cover

    # -- plumbing ---------------------------------------------------------------------------
    def _spanned_variants(
        self, text: str, spans: list[Span], n: int, rng: random.Random
    ) -> list[tuple[str, Callable[[int, int], tuple[int, int]]]]:
        """Variants with ``spans`` protected; a span moves with the region that holds it."""
        out: list[tuple[str, Callable[[int, int], tuple[int, int]]]] = []
        for new_text, regions, starts in self._variants(text, spans, n, rng):

            def locate(
                start: int, end: int, regions: list[Span] = regions, starts: list[int] = starts
            ) -> tuple[int, int]:
                k = next(i for i, (rs, re_) in enumerate(regions) if rs <= start and end <= re_)
                shift = starts[k] - regions[k][0]
                return start + shift, end + shift

            out.append((new_text, locate))
        return out

    # -- making variants --------------------------------------------------------------------
    def _variants(
        self, text: str, spans: list[Span], n: int, rng: random.Random
    ) -> list[tuple[str, list[Span], list[int]]]:
        """Up to ``n`` distinct usable variants, with the protected regions and their new
        start offsets."""
        blocked = list(spans) + self._protected_ranges(text)
        regions = _merge(blocked)
        base = rng.getrandbits(64)

        def make(attempt: int) -> tuple[str, list[Span], list[int]]:
            new_text, starts = self._noisy(text, regions, random.Random(f"{base}:{attempt}"))
            return new_text, regions, starts

        return distinct_variants(
            make, text, n, self.max_attempts_per_variant * n, key=lambda found: found[0]
        )

    def _noisy(self, text: str, regions: list[Span], rng: random.Random) -> tuple[str, list[int]]:
        """``text`` with one kind applied to each free segment, and where each protected
        region starts in the result."""
        kind = rng.choice(self.kinds)
        parts: list[str] = []
        starts: list[int] = []
        length = 0
        pos = 0
        for start, end in [*regions, (len(text), len(text))]:
            if start > pos:
                for editable, piece in _free_pieces(text[pos:start]):
                    new = self._safe_apply(kind, piece, rng.getrandbits(32)) if editable else piece
                    parts.append(new)
                    length += len(new)
            starts.append(length)
            parts.append(text[start:end])
            length += end - start
            pos = end
        starts.pop()
        return "".join(parts), starts

    def _safe_apply(self, kind: str, piece: str, seed: int) -> str:
        """``piece`` noised by the library, or unchanged when the library fails on it."""
        try:
            result = _seeded_call(seed, lambda: self._apply(kind, piece))
        except _LIBRARY_ERRORS:
            return piece
        new = _as_text(result, piece)
        # Keep the piece a piece: the libraries may add or strip spaces at its ends.
        return new.strip(" ") or ("" if not new else piece)


# -- AugLy ----------------------------------------------------------------------------------
def _load_augly() -> Any:
    """``augly.text``, or :class:`AugmentError` E756/E758."""
    try:
        import augly.text as augly_text  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except (ImportError, OSError) as exc:
        raise AugmentError(Errors.E756.format(error=exc)) from exc
    return augly_text


def _check_augly_typos(augly_text: Any) -> None:
    """AugLy's typo functions with this nlpaug, or :class:`AugmentError` E758."""
    try:
        _seeded_call(0, lambda: augly_text.simulate_typos(["hello world"], typo_type="keyboard"))
    except AttributeError as exc:
        import nlpaug  # type: ignore[import-not-found,import-untyped,unused-ignore]

        version = getattr(nlpaug, "__version__", "?")
        raise AugmentError(Errors.E758.format(version=version, error=exc)) from exc


class AuglyNoise(_SegmentNoise):
    """Character and word noise from AugLy (``augly.text``), sparing protected text.

    Parameters
    ----------
    kinds : sequence of str, default=all of :data:`AUGLY_KINDS`
        ``typo`` (AugLy's charmix typos), ``keyboard``, ``misspelling`` (AugLy's list of
        common misspellings), ``ocr`` (similar characters such as ``o``→``0``), ``case``,
        ``punctuation`` and ``whitespace`` (inserted inside words), ``split`` and ``merge``
        (words). Each variant uses one kind.
    p : float, default=0.3
        How much to change: AugLy's ``aug_word_p``/``aug_char_p``; for ``case``,
        ``punctuation`` and ``whitespace`` the cadence is ``1 / p`` (words or characters).
    protected : iterable of str, default=()
        Words or phrases never edited (matched case-insensitively on word boundaries).
    protected_spans : list of list of (int, int), optional
        Character offsets never edited, one list per text passed to :meth:`augment`.

    Raises
    ------
    AugmentError
        A bad parameter (E060), AugLy missing (E756) or an nlpaug AugLy cannot use (E758).

    Examples
    --------
    >>> AuglyNoise(kinds=("ocr",), protected=["Paris"]).augment(["I love Paris"])  # doctest: +SKIP
    [['I 1ove Paris']]
    """

    kinds_available = AUGLY_KINDS

    def _check_library(self) -> None:
        augly_text = _load_augly()
        if {"typo", "keyboard"} & set(self.kinds):
            _check_augly_typos(augly_text)

    def _apply(self, kind: str, text: str) -> str:
        t = _load_augly()
        p = self.p
        seed = random.getrandbits(31)  # change_case takes its own seed; the rest use random
        cadence = max(1.0, 1.0 / p)
        calls: dict[str, Callable[[], object]] = {
            "typo": lambda: t.simulate_typos([text], aug_word_p=p, typo_type="charmix"),
            "keyboard": lambda: t.simulate_typos([text], aug_word_p=p, typo_type="keyboard"),
            "misspelling": lambda: t.simulate_typos([text], aug_word_p=p, typo_type="misspelling"),
            "ocr": lambda: t.replace_similar_chars([text], aug_char_p=p, aug_word_p=p),
            "case": lambda: t.change_case([text], granularity="word", cadence=cadence, seed=seed),
            "punctuation": lambda: t.insert_punctuation_chars(
                [text], granularity="word", cadence=cadence, vary_chars=True
            ),
            "whitespace": lambda: t.insert_whitespace_chars(
                [text], granularity="word", cadence=cadence, vary_chars=True
            ),
            "split": lambda: t.split_words([text], aug_word_p=p, min_char=2),
            "merge": lambda: t.merge_words([text], aug_word_p=p),
        }
        return _as_text(calls[kind](), text)


# -- nlpaug ---------------------------------------------------------------------------------
def _load_nlpaug() -> tuple[Any, Any]:
    """``(nlpaug.augmenter.char, nlpaug.augmenter.word)``, or :class:`AugmentError` E757."""
    try:
        import nlpaug.augmenter.char as nac  # type: ignore[import-not-found,import-untyped,unused-ignore]
        import nlpaug.augmenter.word as naw  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except (ImportError, OSError) as exc:
        raise AugmentError(Errors.E757.format(error=exc)) from exc
    return nac, naw


class NlpaugNoise(_SegmentNoise):
    """Character and word noise from nlpaug's augmenters, sparing protected text.

    Parameters
    ----------
    kinds : sequence of str, default=all of :data:`NLPAUG_KINDS`
        ``keyboard`` and ``ocr`` (nlpaug's keyboard and OCR maps), ``char_insert``,
        ``char_substitute``, ``char_swap``, ``char_delete`` (random characters),
        ``word_swap``, ``word_delete`` and ``split`` (words). Each variant uses one kind.
        None of them needs downloaded data.
    p : float, default=0.3
        nlpaug's ``aug_char_p``/``aug_word_p`` (``aug_p`` for word augmenters).
    protected, protected_spans
        As for :class:`AuglyNoise`: terms and character spans never edited.

    Raises
    ------
    AugmentError
        A bad parameter (E060) or nlpaug missing (E757).

    Examples
    --------
    >>> NlpaugNoise(kinds=("keyboard",)).augment(["hello world"])  # doctest: +SKIP
    [['hello wodld']]
    """

    kinds_available = NLPAUG_KINDS

    def _check_library(self) -> None:
        _load_nlpaug()

    def _augmenter(self, kind: str) -> Any:
        """The nlpaug augmenter for ``kind`` (built once per instance)."""
        cache: dict[str, Any] = self.__dict__.setdefault("_cache", {})
        if kind not in cache:
            nac, naw = _load_nlpaug()
            p = self.p
            char = {"aug_char_p": p, "aug_word_p": p}
            makers: dict[str, Callable[[], Any]] = {
                "keyboard": lambda: nac.KeyboardAug(**char),
                "ocr": lambda: nac.OcrAug(**char),
                "word_swap": lambda: naw.RandomWordAug(action="swap", aug_p=p),
                "word_delete": lambda: naw.RandomWordAug(action="delete", aug_p=p),
                "split": lambda: naw.SplitAug(aug_p=p),
            }
            if kind.startswith("char_"):
                cache[kind] = nac.RandomCharAug(action=kind[len("char_") :], **char)
            else:
                cache[kind] = makers[kind]()
        return cache[kind]

    def _apply(self, kind: str, text: str) -> str:
        return _as_text(self._augmenter(kind).augment(text), text)
