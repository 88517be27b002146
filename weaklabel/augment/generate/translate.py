"""Back-translation: paraphrases from a round trip through a pivot language.

Use :class:`BackTranslation` when you want variants that reword whole sentences rather
than swap single words. A round trip needs two translators (source → pivot, pivot →
source); any object with ``translate(texts) -> list[str]`` works, and two come built in:

- :class:`ApertiumTranslator`: Apertium, a rule-based offline translator, run as a
  subprocess (``sudo apt-get install apertium apertium-eng-spa``). Batched: one process
  translates a whole batch, the texts joined by a separator line Apertium passes through.
- :class:`CallableTranslator`: wraps any function, batched (``list[str] -> list[str]``) or
  one text at a time (``str -> str``): a transformers pipeline, an HTTP client, a lookup.

Model-based translators live in their own modules and have constructors here:
``BackTranslation.seq2seq(...)`` (MarianMT, NLLB... through transformers,
:mod:`weaklabel.augment.generate.seq2seq`) and ``BackTranslation.chat(...)`` (a chat model behind an
OpenAI-compatible API, :mod:`weaklabel.augment.generate.chat`).

Several pivots give several variants per text: ``BackTranslation.apertium("eng",
["spa", ...])`` or ``BackTranslation.from_routes([(to_a, back_a), (to_b, back_b)])``. A
back translator that also has ``translate_n(texts, n, seed)`` (beams, or sampling) gives
up to ``n`` variants per route. Plain translation is deterministic, so the seed does not
change the output; with sampling the same seed gives the same output. Round trips that come
back identical to the input are dropped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from weaklabel.augment._errors import AugmentError, Errors, TranslatorError
from weaklabel.augment.base import Augmenter, RowKey, call_seed, invalid_argument

__all__ = [
    "ApertiumTranslator",
    "BackTranslation",
    "CallableTranslator",
    "Translator",
    "apertium_pairs",
]

_SEPARATOR = "⁂ 90417 ⁂"
_SPLIT = re.compile(r"\s*⁂\s*90417\s*⁂\s*")
_MARKS = re.compile(r"(?<![\w@#*])[#@*](?=\w)")  # Apertium's unknown/untranslatable marks


@runtime_checkable
class Translator(Protocol):
    """Anything that translates a batch of texts, in one fixed direction."""

    name: str

    def translate(self, texts: list[str]) -> list[str]:
        """One translation per text, in order."""
        ...  # pragma: no cover


def apertium_pairs(executable: str = "apertium") -> list[str]:
    """The language pairs (modes) the installed Apertium offers, e.g. ``["eng-spa", ...]``.

    Raises
    ------
    TranslatorError
        [E710] when the ``apertium`` command is not installed.
    """
    path = shutil.which(executable)
    if path is None:
        raise TranslatorError(Errors.E710.format(pair="eng-spa"))
    result = subprocess.run([path, "-l"], capture_output=True, text=True, check=False, timeout=60)
    return sorted(line.strip() for line in result.stdout.splitlines() if line.strip())


class ApertiumTranslator:
    """Translate with Apertium, offline, one subprocess per batch.

    Parameters
    ----------
    pair : str, default="eng-spa"
        The Apertium mode (``apertium -l`` lists them), e.g. ``"eng-spa"``, ``"spa-eng"``.
    batch_size : int, default=500
        Texts per Apertium process.
    timeout : float, default=600
        Seconds a batch may take.
    executable : str, default="apertium"
        The command (a name on ``PATH`` or a path).

    Raises
    ------
    TranslatorError
        [E710] when Apertium is missing, [E711] when the pair is not installed (both say
        which ``apt-get install`` fixes it).
    """

    def __init__(
        self,
        pair: str = "eng-spa",
        *,
        batch_size: int = 500,
        timeout: float = 600.0,
        executable: str = "apertium",
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise invalid_argument(
                "ApertiumTranslator", "batch_size", "a positive integer", batch_size
            )
        self.pair = pair
        self.batch_size = batch_size
        self.timeout = timeout
        self.executable = executable
        self.name = f"apertium:{pair}"
        path = shutil.which(executable)
        if path is None:
            raise TranslatorError(Errors.E710.format(pair=_package(pair)))
        installed = apertium_pairs(path)
        if pair not in installed:
            raise TranslatorError(
                Errors.E711.format(pair=pair, installed=installed or "none", package=_package(pair))
            )
        self._path = path

    def __repr__(self) -> str:
        return f"ApertiumTranslator({self.pair!r})"

    def _run(self, text: str) -> str:
        result = subprocess.run(
            [self._path, "-u", self.pair],
            input=text,
            capture_output=True,
            text=True,
            check=False,
            timeout=self.timeout,
        )
        if result.returncode != 0:
            raise TranslatorError(
                Errors.E712.format(
                    pair=self.pair, code=result.returncode, stderr=result.stderr.strip()[:500]
                )
            )
        return result.stdout

    def translate(self, texts: list[str]) -> list[str]:
        """Translate ``texts`` (one Apertium process per ``batch_size`` texts).

        Parameters
        ----------
        texts : list of str

        Returns
        -------
        list of str
            One translation per text, whitespace-trimmed, without Apertium's marks.
        """
        out: list[str] = []
        for start in range(0, len(texts), self.batch_size):
            chunk = texts[start : start + self.batch_size]
            batch = [" ".join(t.replace(_SEPARATOR, " ").split()) for t in chunk]
            joined = f"\n\n{_SEPARATOR}\n\n".join(batch) + "\n"
            pieces = _SPLIT.split(self._run(joined).strip())
            if len(pieces) != len(batch):  # the separator was altered: one text per process
                pieces = [self._run(text + "\n") for text in batch]
            out.extend(_MARKS.sub("", piece).strip() for piece in pieces)
        return out


def _package(pair: str) -> str:
    source, _, target = pair.partition("-")
    target = target.split("_")[0]
    return f"{source}-{target}" if source < target else f"{target}-{source}"


class CallableTranslator:
    """Wrap a function as a translator.

    Parameters
    ----------
    function : callable
        ``list[str] -> list[str]`` when ``batched`` (the default), else ``str -> str``.
    name : str, optional
        Written in the provenance; defaults to the function's ``__name__``.
    batched : bool, default=True
        Whether ``function`` takes the whole list at once.
    """

    def __init__(
        self,
        function: Callable[[Any], Any],
        *,
        name: str | None = None,
        batched: bool = True,
    ) -> None:
        self.function = function
        self.batched = batched
        self.name: str = str(name or getattr(function, "__name__", type(function).__name__))

    def __repr__(self) -> str:
        return f"CallableTranslator({self.name!r})"

    def translate(self, texts: list[str]) -> list[str]:
        """One translation per text, in order.

        Raises
        ------
        TranslatorError
            [E713] when the function returns a different number of texts.
        """
        if self.batched:
            result = list(self.function(list(texts)))
        else:
            result = [self.function(text) for text in texts]
        if len(result) != len(texts):
            raise TranslatorError(
                Errors.E713.format(name=self.name, got=len(result), expected=len(texts))
            )
        return ["" if r is None else str(r) for r in result]


def _as_translator(obj: Any) -> Translator:
    if isinstance(obj, Translator):
        return obj
    if callable(obj):
        return CallableTranslator(obj)
    raise invalid_argument(
        "BackTranslation",
        "a translator",
        "an object with translate(texts) or a callable list[str] -> list[str]",
        obj,
    )


class BackTranslation(Augmenter):
    """Paraphrase by translating to a pivot language and back.

    Parameters
    ----------
    translator_to : Translator or callable
        Source → pivot. A plain callable is wrapped in :class:`CallableTranslator`
        (batched).
    translator_back : Translator or callable
        Pivot → source.
    routes : sequence of (Translator or callable, Translator or callable), optional
        Several round trips ``[(to_pivot, back), ...]``, tried in order (see
        :meth:`from_routes`); when given, ``translator_to`` and ``translator_back`` may be
        omitted and are set to the first route.

    Notes
    -----
    With ``k`` routes (see :meth:`from_routes`), each text gets up to ``min(n, k)``
    variants: routes are tried in order, a later one only for the texts still short of
    ``n``. Round trips identical to the input, empty, or repeating an earlier route's are
    dropped. Apertium sees each text on one line (runs of whitespace become one space).

    Examples
    --------
    >>> bt = BackTranslation.apertium("eng", "spa")  # doctest: +SKIP
    >>> bt.augment(["The committee approved the proposals."])  # doctest: +SKIP
    [['The committee approved the proposals.'...]]
    """

    def __init__(
        self,
        translator_to: Any = None,
        translator_back: Any = None,
        *,
        routes: Sequence[tuple[Any, Any]] | None = None,
    ) -> None:
        if routes is None:
            routes = [(translator_to, translator_back)]
        pairs = list(routes)
        if not pairs:
            raise AugmentError(Errors.E714.format(pivots=pairs))
        self.routes: list[tuple[Translator, Translator]] = [
            (_as_translator(a), _as_translator(b)) for a, b in pairs
        ]
        self.translator_to, self.translator_back = self.routes[0]

    @classmethod
    def from_routes(cls, routes: Sequence[tuple[Any, Any]]) -> BackTranslation:
        """Back-translation through several pivots: ``[(to_pivot, back), ...]``."""
        return cls(routes=list(routes))

    def provenance_params(self) -> dict[str, Any]:
        """The routes, as ``[[to_name, back_name], ...]`` (the first is the route given as
        ``translator_to`` and ``translator_back``)."""
        return {"routes": [[a.name, b.name] for a, b in self.routes]}

    @classmethod
    def apertium(
        cls, source: str = "eng", pivots: str | Sequence[str] = "spa", **kwargs: Any
    ) -> BackTranslation:
        """Back-translation with Apertium through one or more pivot languages.

        Parameters
        ----------
        source : str, default="eng"
            The texts' language (Apertium's code).
        pivots : str or sequence of str, default="spa"
            The pivot language(s); each needs both ``source-pivot`` and ``pivot-source``
            installed.
        **kwargs
            Passed to :class:`ApertiumTranslator` (``batch_size``, ``timeout``, ...).
        """
        names = [pivots] if isinstance(pivots, str) else list(pivots)
        if not names:
            raise AugmentError(Errors.E714.format(pivots=pivots))
        return cls.from_routes(
            [
                (
                    ApertiumTranslator(f"{source}-{p}", **kwargs),
                    ApertiumTranslator(f"{p}-{source}", **kwargs),
                )
                for p in names
            ]
        )

    @classmethod
    def seq2seq(
        cls,
        to_model: Any,
        back_model: Any = None,
        *,
        source_lang: str | None = None,
        pivots: str | Sequence[str] | None = None,
        **kwargs: Any,
    ) -> BackTranslation:
        """Back-translation with transformers seq2seq models (MarianMT, NLLB, M2M100...).

        Two ways to name the route:

        - one-pair models (MarianMT): ``BackTranslation.seq2seq("Helsinki-NLP/opus-mt-en-de",
          "Helsinki-NLP/opus-mt-de-en")``; the pivot is implied by the models.
        - a multilingual model (NLLB): ``BackTranslation.seq2seq("facebook/nllb-200-
          distilled-600M", source_lang="eng_Latn", pivots=["fra_Latn", "deu_Latn"])``;
          one route per pivot, and the model is loaded once for all of them.

        Parameters
        ----------
        to_model : str, path, or a loaded model
            Source → pivot (or both ways, when ``back_model`` is omitted).
        back_model : str, path, or a loaded model, optional
            Pivot → source; defaults to ``to_model``.
        source_lang : str, optional
            The texts' language code, for multilingual models.
        pivots : str or sequence of str, optional
            The pivot language code(s), for multilingual models.
        **kwargs
            :class:`~weaklabel.augment.generate.seq2seq.Seq2SeqTranslator` settings, for both
            directions (``batch_size``, ``num_beams``, ``do_sample``, ``temperature``,
            ``top_p``, ``device``, ``tokenizer``...). With ``num_beams`` > 1 or
            ``do_sample=True``, each route gives up to ``n`` variants.

        Raises
        ------
        AugmentError
            [E714] when ``pivots`` is an empty list.
        TranslatorError
            On first use: [E740] torch/transformers missing, [E741] a model that cannot be
            loaded, [E742] an unknown language code.
        """
        from weaklabel.augment.generate.seq2seq import Seq2SeqTranslator

        to = Seq2SeqTranslator(to_model, **kwargs)
        back = to if back_model is None else Seq2SeqTranslator(back_model, **kwargs)
        if pivots is None:
            if source_lang is not None:
                raise AugmentError(Errors.E714.format(pivots=pivots))
            return cls(to, back)
        names = [pivots] if isinstance(pivots, str) else list(pivots)
        if not names:
            raise AugmentError(Errors.E714.format(pivots=pivots))
        return cls.from_routes(
            [
                (to.with_languages(source_lang, p), back.with_languages(p, source_lang))
                for p in names
            ]
        )

    @classmethod
    def chat(
        cls,
        pivots: str | Sequence[str] = "French",
        *,
        model: str,
        source_language: str = "English",
        **kwargs: Any,
    ) -> BackTranslation:
        """Back-translation with a chat model behind an OpenAI-compatible API.

        Parameters
        ----------
        pivots : str or sequence of str, default="French"
            The pivot language(s), as the prompt names them; one route per pivot.
        model : str
            The model name the server knows.
        source_language : str, default="English"
            The texts' language, as the prompt names it.
        **kwargs
            :class:`~weaklabel.augment.generate.chat.ChatTranslator` and
            :class:`~weaklabel.augment.generate.chat.ChatClient` settings (``base_url``,
            ``api_key``, ``prompt_template``, ``temperature``, ``max_workers``...). With a
            temperature above 0, each route gives up to ``n`` variants (``n`` choices).
        """
        from weaklabel.augment.generate.chat import ChatClient, ChatTranslator

        names = [pivots] if isinstance(pivots, str) else list(pivots)
        if not names:
            raise AugmentError(Errors.E714.format(pivots=pivots))
        template = kwargs.pop("prompt_template", None)
        extra = {} if template is None else {"prompt_template": template}
        client = kwargs.pop("client", None) or ChatClient(model=model, **kwargs)
        return cls.from_routes(
            [
                (
                    ChatTranslator(p, source_language=source_language, client=client, **extra),
                    ChatTranslator(source_language, source_language=p, client=client, **extra),
                )
                for p in names
            ]
        )

    def _augment_keyed(self, texts: list[str], n: int, keys: list[RowKey]) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in texts]
        seed = call_seed(keys)
        for to_pivot, back in self.routes:
            pending = [i for i in range(len(texts)) if len(out[i]) < n]
            if not pending:
                break
            batch = [texts[i] for i in pending]
            pivot = to_pivot.translate(batch)
            if len(pivot) != len(batch):
                raise TranslatorError(
                    Errors.E713.format(name=to_pivot.name, got=len(pivot), expected=len(batch))
                )
            translate_n = getattr(back, "translate_n", None)
            if callable(translate_n):
                round_trips = [list(c) for c in translate_n(pivot, n, seed)]
            else:
                round_trips = [[t] for t in back.translate(pivot)]
            if len(round_trips) != len(batch):
                raise TranslatorError(
                    Errors.E713.format(name=back.name, got=len(round_trips), expected=len(batch))
                )
            for i, candidates in zip(pending, round_trips, strict=True):
                text = texts[i]
                for new in candidates:
                    if (
                        isinstance(new, str)
                        and new.strip()
                        and new not in (text, text.strip())
                        and new not in out[i]
                    ):
                        out[i].append(new)
        return out
