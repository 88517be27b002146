"""Text repair and length steps: Unicode and HTML repair, whitespace, length filters.

Use them at the head of the flow, before sources see the texts:

- :class:`StripHTML` turns ``<br>`` into line breaks and drops the other tags (comments
  scraped from web pages carry ``<a href=...>`` and ``<br />``), keeping the link text.
- :class:`FixText` repairs mojibake (``"cafÃ©"`` -> ``"café"``), HTML entities
  (``"I&#39;m"`` -> ``"I'm"``), and odd Unicode forms with ``ftfy`` (the ``prepare``
  extra).
- :class:`NormalizeWhitespace` removes byte-order marks and zero-width spaces and collapses
  runs of whitespace.
- :class:`LengthFilter` drops texts outside a range of characters or words.

Every step works on the whole column and repairs each distinct text once, so repeated texts
cost nothing; on 100,000 short comments the three repair steps take a few seconds together
(``docs/guide/prepare.md`` has the measurements).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from weaklabel.errors import ParameterError, PrepareError
from weaklabel.prepare._errors import Errors
from weaklabel.prepare.base import Step, StepResult

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["FixText", "LengthFilter", "NormalizeWhitespace", "StripHTML"]

_BREAK_TAG = re.compile(r"<\s*(?:br|/p|/div|/li)\s*/?\s*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z!][^<>]*>")
# Invisible characters that carry no text: BOM / zero-width no-break space, zero-width
# space, word joiner, soft hyphen. Zero-width (non-)joiners are kept: emoji sequences and
# Persian or Indic words need them.
_INVISIBLE = re.compile("[\ufeff\u200b\u2060\u00ad]")
_SPACES = re.compile(r"\s+")
# Printable ASCII (with tab and newline) and no "&": nothing ftfy could repair, so such
# texts skip it (most texts of an English corpus; the property test checks the claim).
NEEDS_FTFY = re.compile(r"[^\t\n\x20-\x7e]|&")
_LINE_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


def invalid(name: str, param: str, expected: str, value: object) -> ParameterError:
    """The error for an invalid argument of a step (``E060``)."""
    return ParameterError(
        Errors.E060.format(name=name, param=param, expected=expected, value=value)
    )


def check_name(step: str, name: str | None) -> str | None:
    """Check a step's ``name=`` override."""
    if name is not None and (not isinstance(name, str) or not name):
        raise invalid(step, "name", "a non-empty str", name)
    return name


def map_unique(texts: pd.Series, fix: Callable[[str], str]) -> pd.Series:
    """Apply ``fix`` once per distinct text of ``texts`` (shape (n,)); same index."""
    uniques = pd.unique(texts.to_numpy(dtype=object))
    fixed = {text: fix(text) for text in uniques}
    return pd.Series([fixed[t] for t in texts.tolist()], index=texts.index, dtype=object)


def _untouched_by_ftfy(normalization: str | None) -> Callable[[str], bool]:
    """A fast test for texts none of ftfy's fixers would change.

    A text passes when it is printable ASCII without ``&``, or when it holds no character
    any fixer acts on (entities, control, C1, surrogate, line-separator, ligature and
    full-width characters), does not look like mojibake (``ftfy.badness.is_bad``) and is
    already in the normal form. Only the others go through ``ftfy.fix_text``, which costs
    about 0.1 ms a text; the property test checks that skipping never changes a result.
    """
    import unicodedata

    from ftfy import badness, chardata

    acted_on = {chr(c) for c in chardata.CONTROL_CHARS}
    acted_on |= {chr(c) for c in chardata.LIGATURES} | {chr(c) for c in chardata.WIDTH_MAP}
    acted_on |= {"&", "\x1b", "\r", "\u2028", "\u2029"}
    acted_on |= {chr(c) for c in range(0x80, 0xA0)}
    chars = "".join(sorted(re.escape(c) for c in acted_on))
    special = re.compile(f"[{chars}\ud800-\udfff]")

    def untouched(text: str) -> bool:
        if NEEDS_FTFY.search(text) is None:
            return True
        if special.search(text) is not None or badness.is_bad(text):
            return False
        if normalization is None:
            return True
        return unicodedata.is_normalized(normalization, text)  # type: ignore[arg-type]

    return untouched


class FixText(Step):
    """Repair Unicode and HTML entities with ``ftfy`` (mojibake, entities, width, NFC).

    Parameters
    ----------
    html_entities : bool, default True
        Decode HTML entities (``&amp;``, ``&#39;``) even in texts that contain ``<``
        (ftfy's own default leaves those alone; run :class:`StripHTML` first to drop tags).
    normalization : {"NFC", "NFKC", None}, default "NFC"
        Unicode normal form of the output (``None`` keeps the form ftfy produces).
    name : str, optional
        The step's name in reports; ``"fix_text"`` by default.
    """

    name = "fix_text"

    def __init__(
        self,
        *,
        html_entities: bool = True,
        normalization: str | None = "NFC",
        name: str | None = None,
    ) -> None:
        if not isinstance(html_entities, bool):
            raise invalid("FixText", "html_entities", "True or False", html_entities)
        if normalization not in ("NFC", "NFKC", None):
            raise invalid("FixText", "normalization", "'NFC', 'NFKC' or None", normalization)
        self.html_entities = html_entities
        self.normalization = normalization
        self.name = check_name("FixText", name) or type(self).name

    def run(self, texts: pd.Series, ids: pd.Series) -> StepResult:
        """Repair every text; see :meth:`Step.run`."""
        try:
            import ftfy
        except ImportError as exc:
            raise ImportError(
                Errors.E070.format(what="FixText", packages="ftfy", verb="is", extra="prepare")
            ) from exc
        config = ftfy.TextFixerConfig(
            unescape_html=True if self.html_entities else "auto",
            normalization=self.normalization,  # type: ignore[arg-type]
            explain=False,
        )
        untouched = _untouched_by_ftfy(self.normalization)

        def fix(text: str) -> str:
            return text if untouched(text) else ftfy.fix_text(text, config=config)

        return StepResult(map_unique(texts, fix))


class StripHTML(Step):
    """Drop HTML tags and keep their text; ``<br>`` and block ends become line breaks.

    A ``<`` that does not open a tag (``"3 < 5"``, ``"<3"``) is kept. Entities are decoded
    by :class:`FixText`; run this step first.

    Parameters
    ----------
    line_breaks : bool, default True
        Turn block-ending tags into ``"\\n"`` (else into a space).
    name : str, optional
        The step's name in reports; ``"strip_html"`` by default.
    """

    name = "strip_html"

    def __init__(self, *, line_breaks: bool = True, name: str | None = None) -> None:
        if not isinstance(line_breaks, bool):
            raise invalid("StripHTML", "line_breaks", "True or False", line_breaks)
        self.line_breaks = line_breaks
        self.name = check_name("StripHTML", name) or type(self).name

    def run(self, texts: pd.Series, ids: pd.Series) -> StepResult:
        """Strip tags from the texts that hold any; see :meth:`Step.run`."""
        out = texts.copy()
        has_tag = texts.str.contains("<", regex=False).to_numpy(dtype=bool)
        if has_tag.any():
            brk = "\n" if self.line_breaks else " "

            def strip(text: str) -> str:
                return _TAG.sub("", _BREAK_TAG.sub(brk, text))

            out[has_tag] = map_unique(texts[has_tag], strip)
        return StepResult(out)


class NormalizeWhitespace(Step):
    """Remove invisible characters and collapse whitespace.

    Byte-order marks, zero-width spaces, word joiners and soft hyphens are removed; runs of
    whitespace become one space and both ends are stripped.

    Parameters
    ----------
    keep_newlines : bool, default False
        Keep line breaks (runs of blank lines become one ``"\\n"``; other whitespace
        still collapses to one space).
    name : str, optional
        The step's name in reports; ``"whitespace"`` by default.
    """

    name = "whitespace"

    def __init__(self, *, keep_newlines: bool = False, name: str | None = None) -> None:
        if not isinstance(keep_newlines, bool):
            raise invalid("NormalizeWhitespace", "keep_newlines", "True or False", keep_newlines)
        self.keep_newlines = keep_newlines
        self.name = check_name("NormalizeWhitespace", name) or type(self).name

    def run(self, texts: pd.Series, ids: pd.Series) -> StepResult:
        """Normalise the whitespace of every text; see :meth:`Step.run`."""
        out = texts.str.replace(_INVISIBLE, "", regex=True)
        if self.keep_newlines:
            out = out.str.replace(_LINE_SPACES, " ", regex=True)
            out = out.str.replace(_BLANK_LINES, "\n", regex=True)
        else:
            out = out.str.replace(_SPACES, " ", regex=True)
        return StepResult(out.str.strip().astype(object))


def _bound(step: str, param: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise invalid(step, param, "a non-negative integer or None", value)
    return int(value)


class LengthFilter(Step):
    """Drop texts shorter or longer than a number of characters or words.

    Parameters
    ----------
    min_chars, max_chars : int, optional
        Inclusive bounds on the number of characters (code points).
    min_words, max_words : int, optional
        Inclusive bounds on the number of words (runs of non-whitespace).
    name : str, optional
        The step's name in reports; ``"length"`` by default.

    Examples
    --------
    >>> import pandas as pd
    >>> step = LengthFilter(min_words=2)
    >>> step.run(pd.Series(["ok", "two words"]), pd.Series([0, 1])).reasons.tolist()
    ['1 word, fewer than min_words=2']
    """

    name = "length"

    def __init__(
        self,
        *,
        min_chars: int | None = None,
        max_chars: int | None = None,
        min_words: int | None = None,
        max_words: int | None = None,
        name: str | None = None,
    ) -> None:
        self.min_chars = _bound("LengthFilter", "min_chars", min_chars)
        self.max_chars = _bound("LengthFilter", "max_chars", max_chars)
        self.min_words = _bound("LengthFilter", "min_words", min_words)
        self.max_words = _bound("LengthFilter", "max_words", max_words)
        for unit, low, high in (
            ("chars", self.min_chars, self.max_chars),
            ("words", self.min_words, self.max_words),
        ):
            if low is not None and high is not None and low > high:
                raise PrepareError(Errors.E810.format(unit=unit, low=low, high=high))
        self.name = check_name("LengthFilter", name) or type(self).name

    def run(self, texts: pd.Series, ids: pd.Series) -> StepResult:
        """Drop the texts out of range, saying by how much; see :meth:`Step.run`."""
        reasons = pd.Series(np.full(len(texts), None, dtype=object), index=texts.index)
        checks = []
        if self.min_chars is not None or self.max_chars is not None:
            checks.append(("chars", "char", texts.str.len(), self.min_chars, self.max_chars))
        if self.min_words is not None or self.max_words is not None:
            words = texts.str.count(r"\S+")
            checks.append(("words", "word", words, self.min_words, self.max_words))
        for unit, singular, counts, low, high in checks:
            for bound, bad, relation in (
                (low, counts < low if low is not None else None, "fewer than min"),
                (high, counts > high if high is not None else None, "more than max"),
            ):
                if bad is None:
                    continue
                new = bad & reasons.isna()
                reasons[new] = [
                    f"{n} {singular if n == 1 else unit}, {relation}_{unit}={bound}"
                    for n in counts[new]
                ]
        return StepResult(texts, reasons.dropna())
