"""Keyword and regular-expression sources that label a whole text column at once.

Use these for the most common heuristics ("mentions *subscribe* → SPAM"). They compile
all of a source's keywords into one alternation and run it over the whole column in
Arrow's RE2 engine (linear time, no Python per row); a pattern that needs Python-only
syntax (look-arounds, back-references) falls back to Python's ``re``, one search per row.

Word boundaries are Unicode-aware in both engines. One difference remains between them:
in the RE2 engine ``\\b``, ``\\w`` and ``\\d`` written in your own ``regex_source`` patterns
are ASCII-only; pass ``engine="python"`` when that matters for your text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any, Literal

import numpy as np

from weaklabel._fingerprint import digest
from weaklabel.errors import SourceError
from weaklabel.labels import ABSTAIN, LabelSpace
from weaklabel.sources._errors import Errors
from weaklabel.sources.base import Corpus, Row, Source, one_text, resolve_fixed_label

Engine = Literal["auto", "re2", "python"]

# Flags that RE2 understands as inline flags; anything else needs Python's engine.
_RE2_INLINE = {re.MULTILINE: "m", re.DOTALL: "s"}


@dataclass(eq=False, repr=False)
class RegexSource(Source):
    """Votes ``label`` on every text that matches ``pattern`` (and abstains elsewhere).

    Parameters
    ----------
    name : str
        Unique source name.
    pattern : str
        A regular expression (Python syntax; searched anywhere in the text).
    label : int or str
        Class id or class name voted on a match.
    case_sensitive : bool, default False
    flags : int, default 0
        Extra :mod:`re` flags (``re.MULTILINE``, ``re.DOTALL`` work in both engines).
    text_column : str, optional
        Column to read; defaults to the ``text_column`` given to ``apply``.
    engine : {"auto", "re2", "python"}, default "auto"
        ``"auto"`` uses RE2 when it accepts the pattern, else Python's ``re``.
    re2_pattern : str, optional
        The same pattern in RE2 syntax, used by the RE2 engine instead of ``pattern``
        (``keyword_source`` gives one, as RE2 has no look-arounds).
    """

    vectorized = True

    name: str
    pattern: str
    label: int | str
    _: KW_ONLY
    case_sensitive: bool = False
    flags: int = 0
    text_column: str | None = None
    engine: Engine = "auto"
    re2_pattern: str | None = None

    def __post_init__(self) -> None:
        py_flags = self.flags | (0 if self.case_sensitive else re.IGNORECASE)
        try:
            self._compiled = re.compile(self.pattern, py_flags)
        except re.error as exc:
            raise SourceError(
                Errors.E038.format(source=self.name, pattern=self.pattern, exc=exc)
            ) from None

    @property
    def data_column(self) -> str | None:
        return self.text_column

    def fingerprint(self) -> str:
        return digest(
            [
                "regex",
                self.name,
                self.pattern,
                self.re2_pattern or "",
                repr(self.label),
                str(self.case_sensitive),
                str(self.flags),
                self.text_column or "",
                self.engine,
            ]
        )

    def _re2_source(self) -> str | None:
        """The pattern in RE2 form, or None when only Python's engine can run it."""
        if self.engine == "python":
            return None
        other = self.flags & ~(re.MULTILINE | re.DOTALL | re.IGNORECASE)
        if other:
            return None
        inline = "".join(ch for flag, ch in _RE2_INLINE.items() if self.flags & flag)
        body = self.re2_pattern or self.pattern
        return f"(?{inline}){body}" if inline else body

    def matches(self, corpus: Corpus, column: str | None = None) -> np.ndarray:
        """Boolean mask of shape (n_examples,): which texts match."""
        import pyarrow as pa
        import pyarrow.compute as pc

        column = column or self.text_column or corpus.text_column
        texts = corpus.arrow_text(column)
        re2 = self._re2_source()
        if re2 is not None:
            try:
                mask = pc.match_substring_regex(texts, re2, ignore_case=not self.case_sensitive)
                return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                if self.engine == "re2":
                    raise SourceError(
                        Errors.E038.format(source=self.name, pattern=self.pattern, exc=exc)
                    ) from None
        search = self._compiled.search
        return np.fromiter(
            (search(t) is not None for t in texts.to_pylist()), dtype=bool, count=len(texts)
        )

    def label_corpus(self, corpus: Corpus, label_space: LabelSpace | None) -> np.ndarray:
        label = resolve_fixed_label(self.label, self.name, label_space)
        return np.where(self.matches(corpus), label, ABSTAIN).astype(np.int64)

    def __call__(self, x: Row | dict[str, Any] | str) -> int | str:
        """Label one example, through the same engine as a whole column (for debugging)."""
        import pandas as pd

        text = one_text(x if isinstance(x, str) else Row(x)[self.text_column or "text"])
        if text is None:  # missing text: no vote, as in apply
            return ABSTAIN
        corpus = Corpus(pd.DataFrame({"text": [text]}), "text")
        return self.label if bool(self.matches(corpus, "text")[0]) else ABSTAIN


def _alternation(words: Sequence[str]) -> str:
    # Longest first, so that "check out" wins over "check" in the alternation.
    ordered = sorted(dict.fromkeys(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered)


def keyword_source(
    keywords: str | Sequence[str],
    label: int | str,
    *,
    name: str | None = None,
    case_sensitive: bool = False,
    whole_word: bool = True,
    text_column: str | None = None,
) -> RegexSource:
    """A source voting ``label`` on texts that contain any of ``keywords``.

    Parameters
    ----------
    keywords : str or sequence of str
        Words or phrases; matched literally (no regex syntax). Every keyword must be a
        string (a number raises [E526]: write ``"42"``); blank ones are ignored.
    label : int or str
        Class id or name voted on a match.
    name : str, optional
        Defaults to ``"keyword_<first keyword>"``.
    case_sensitive : bool, default False
    whole_word : bool, default True
        Match only where the keyword is not part of a longer word ("free" does not match
        "freedom").
    text_column : str, optional
        Column to read; defaults to the ``text_column`` given to ``apply``.

    Returns
    -------
    RegexSource

    Examples
    --------
    >>> spam = keyword_source(["subscribe", "check out"], "SPAM", name="kw_subscribe")
    >>> spam("Please SUBSCRIBE to my channel")
    'SPAM'
    """
    if isinstance(keywords, bytes) or not isinstance(keywords, str | Sequence | set | frozenset):
        raise SourceError(
            Errors.E526.format(
                source=name or "keyword_source",
                index=0,
                value=keywords,
                kind=type(keywords).__name__,
            )
        )
    words = [keywords] if isinstance(keywords, str) else list(keywords)
    if isinstance(keywords, set | frozenset):  # a stable order: the default name, the pattern
        words = sorted(words, key=str)
    for index, word in enumerate(words):
        if not isinstance(word, str):
            raise SourceError(
                Errors.E526.format(
                    source=name or "keyword_source",
                    index=index,
                    value=word,
                    kind=type(word).__name__,
                )
            )
    words = [w for w in words if w.strip()]
    if not words:
        raise SourceError(
            Errors.E037.format(source=name or "keyword_source", problem="no keywords given.")
        )
    body = _alternation(words)
    if whole_word:
        py_pattern = rf"(?<!\w)(?:{body})(?!\w)"
        # RE2 has no look-arounds; for "does it match" a consumed boundary is equivalent.
        boundary = r"[^\p{L}\p{N}_]"
        re2_pattern = rf"(?:^|{boundary})(?:{body})(?:{boundary}|$)"
    else:
        py_pattern = re2_pattern = f"(?:{body})"
    # Both patterns treat letters, digits and "_" as word characters (Unicode-aware).
    slug = re.sub(r"\W+", "_", words[0].lower()).strip("_") or "kw"
    return RegexSource(
        name or f"keyword_{slug}",
        py_pattern,
        label,
        case_sensitive=case_sensitive,
        text_column=text_column,
        re2_pattern=re2_pattern,
    )


def regex_source(
    pattern: str,
    label: int | str,
    *,
    name: str | None = None,
    case_sensitive: bool = False,
    flags: int = 0,
    text_column: str | None = None,
    engine: Engine = "auto",
) -> RegexSource:
    """A source voting ``label`` on texts where ``pattern`` is found.

    Parameters
    ----------
    pattern : str
        Regular expression, searched anywhere in the text.
    label : int or str
        Class id or name voted on a match.
    name : str, optional
        Defaults to ``"regex_<pattern>"`` made safe for a column name.
    case_sensitive : bool, default False
    flags : int, default 0
        Extra :mod:`re` flags.
    text_column : str, optional
        Column to read.
    engine : {"auto", "re2", "python"}, default "auto"

    Returns
    -------
    RegexSource
    """
    slug = re.sub(r"\W+", "_", pattern).strip("_")[:40] or "pattern"
    return RegexSource(
        name or f"regex_{slug}",
        pattern,
        label,
        case_sensitive=case_sensitive,
        flags=flags,
        text_column=text_column,
        engine=engine,
    )
