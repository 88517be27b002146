"""Translate and paraphrase with a Hugging Face seq2seq model (MarianMT, NLLB, T5, BART...).

Use this module when you have a transformers sequence-to-sequence model, on disk or in the
Hugging Face cache, and want it to translate (for :class:`BackTranslation`) or paraphrase
(for :class:`~weaklabel.augment.generate.paraphrase.Paraphrase`):

- :class:`Seq2SeqTranslator`: one translation per text (the ``Translator`` protocol), and
  :meth:`Seq2SeqTranslator.translate_n` for several candidates per text (beams, or
  sampling with a seed).
- :class:`Seq2SeqParaphraser`: several paraphrases per text from a paraphrase model, with an
  optional input template such as ``"paraphrase: {text}"`` for T5-style models.

Both load the tokenizer and the model lazily, on first use, with
``AutoTokenizer.from_pretrained`` and ``AutoModelForSeq2SeqLM.from_pretrained``, and
generate in batches. They need ``pip install "weaklabel[transformers]"`` (and torch). The
numbered messages E740-E749 (in the augment catalogue) cover this module and
:mod:`weaklabel.augment.generate.chat`.
"""

from __future__ import annotations

import os
from typing import Any

from weaklabel._deprecated import moved_names
from weaklabel.augment._errors import AugmentError, Errors, TranslatorError
from weaklabel.augment.base import invalid_argument

__all__ = ["Seq2SeqParaphraser", "Seq2SeqTranslator"]

# The messages of ModelErrors are in the augment catalogue now.
__getattr__ = moved_names(__name__, {"ModelErrors": "weaklabel.augment._errors:Errors"})


def _positive_int(owner: str, param: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise invalid_argument(owner, param, "a positive integer", value)
    return value


def _import_backend(what: str) -> tuple[Any, Any]:
    """``(torch, transformers)``, or [E740] naming the missing package."""
    try:
        import torch
    except ImportError as error:
        raise TranslatorError(Errors.E740.format(what=what, missing="torch")) from error
    try:
        import transformers
    except ImportError as error:
        raise TranslatorError(Errors.E740.format(what=what, missing="transformers")) from error
    return torch, transformers


class _Seq2SeqModel:
    """The loading and batched generation that translators and paraphrasers share.

    Parameters are those of :class:`Seq2SeqTranslator`.
    """

    def __init__(
        self,
        model: Any,
        *,
        tokenizer: Any = None,
        batch_size: int = 16,
        max_new_tokens: int = 128,
        num_beams: int = 1,
        do_sample: bool = False,
        temperature: float = 1.0,
        top_p: float = 1.0,
        device: str = "cpu",
        source_lang: str | None = None,
        target_lang: str | None = None,
        name: str | None = None,
        **generate_kwargs: Any,
    ) -> None:
        owner = type(self).__name__
        self.model = model
        self.tokenizer = tokenizer
        self.batch_size = _positive_int(owner, "batch_size", batch_size)
        self.max_new_tokens = _positive_int(owner, "max_new_tokens", max_new_tokens)
        self.num_beams = _positive_int(owner, "num_beams", num_beams)
        self.do_sample = bool(do_sample)
        self.temperature = float(temperature)
        self.top_p = float(top_p)
        self.device = str(device)
        self.source_lang = source_lang
        self.target_lang = target_lang
        self.generate_kwargs = dict(generate_kwargs)
        self._auto_name = name is None
        self.name: str = str(name or _model_name(model, source_lang, target_lang))
        # (tokenizer, model) once loaded; a one-item list so with_languages() copies share it
        self._loaded: list[tuple[Any, Any]] = []

    # -- loading ------------------------------------------------------------------------
    def _load(self) -> tuple[Any, Any]:
        """The tokenizer and the model, loaded on first call.

        Raises
        ------
        TranslatorError
            [E740] when torch or transformers is missing, [E741] when the model or the
            tokenizer cannot be loaded, [E743] when a loaded model comes without a
            tokenizer.
        """
        if self._loaded:
            return self._loaded[0]
        _, transformers = _import_backend(type(self).__name__)
        model = self.model
        if isinstance(model, str | os.PathLike):
            model = _from_pretrained(transformers.AutoModelForSeq2SeqLM, model)
        tokenizer = self.tokenizer
        if tokenizer is None:
            tokenizer = getattr(model, "name_or_path", None) or getattr(
                getattr(model, "config", None), "_name_or_path", None
            )
            if not tokenizer:
                raise TranslatorError(Errors.E743.format(name=self.name))
        if isinstance(tokenizer, str | os.PathLike):
            tokenizer = _from_pretrained(transformers.AutoTokenizer, tokenizer)
        model.to(self.device)
        model.eval()
        self._loaded.append((tokenizer, model))
        return self._loaded[0]

    def _language_id(self, tokenizer: Any, lang: str) -> int:
        token_id = tokenizer.convert_tokens_to_ids(lang)
        unknown = getattr(tokenizer, "unk_token_id", None)
        if token_id is None or (
            token_id == unknown and lang != getattr(tokenizer, "unk_token", None)
        ):
            raise TranslatorError(Errors.E742.format(name=self.name, lang=lang))
        return int(token_id)

    # -- generation ---------------------------------------------------------------------
    def _generate(
        self, texts: list[str], n: int, seed: int | None, *, template: str = "{text}"
    ) -> list[list[str]]:
        """``n`` decoded outputs per text, generated ``batch_size`` texts at a time.

        Parameters
        ----------
        texts : list of str
        n : int
            Outputs per text (``num_return_sequences``). Without sampling, beam search
            with at least ``n`` beams gives the ``n`` best.
        seed : int or None
            Seeds torch for sampling (each batch from ``seed`` and the batch's position),
            so the same seed gives the same output; the global torch generator is left as
            it was.
        template : str, default="{text}"
            How each text is written into the model's input.

        Returns
        -------
        list of list of str
            ``len(texts)`` lists of ``n`` stripped strings.
        """
        if not texts:
            return []
        torch, _ = _import_backend(type(self).__name__)
        tokenizer, model = self._load()
        kwargs: dict[str, Any] = {
            "max_new_tokens": self.max_new_tokens,
            "num_return_sequences": n,
            "do_sample": self.do_sample,
            "num_beams": self.num_beams if self.do_sample else max(self.num_beams, n),
        }
        if self.do_sample:
            kwargs["temperature"] = self.temperature
            kwargs["top_p"] = self.top_p
        if self.source_lang is not None:
            tokenizer.src_lang = self.source_lang
        if self.target_lang is not None:
            kwargs["forced_bos_token_id"] = self._language_id(tokenizer, self.target_lang)
        kwargs.update(self.generate_kwargs)
        out: list[list[str]] = []
        devices: list[int] | None = [] if self.device == "cpu" else None
        for start in range(0, len(texts), self.batch_size):
            chunk = [
                template.replace("{text}", text) for text in texts[start : start + self.batch_size]
            ]
            encoded = tokenizer(chunk, return_tensors="pt", padding=True, truncation=True)
            encoded = {  # not token_type_ids: seq2seq models do not take them
                key: encoded[key].to(self.device)
                for key in ("input_ids", "attention_mask")
                if key in encoded
            }
            with torch.random.fork_rng(devices=devices), torch.no_grad():
                torch.manual_seed((int(seed or 0) * 1_000_003 + start) % 2**63)
                generated = model.generate(**encoded, **kwargs)
            decoded = tokenizer.batch_decode(generated, skip_special_tokens=True)
            if len(decoded) != len(chunk) * n:
                raise TranslatorError(
                    Errors.E713.format(name=self.name, got=len(decoded), expected=len(chunk) * n)
                )
            for i in range(len(chunk)):
                out.append([" ".join(d.split()) for d in decoded[i * n : (i + 1) * n]])
        return out

    def get_params(self) -> dict[str, Any]:
        """The settings that define the output (JSON-serialisable)."""
        params: dict[str, Any] = {
            "model": self.name,
            "max_new_tokens": self.max_new_tokens,
            "num_beams": self.num_beams,
            "do_sample": self.do_sample,
        }
        if self.do_sample:
            params.update(temperature=self.temperature, top_p=self.top_p)
        if self.source_lang is not None or self.target_lang is not None:
            params.update(source_lang=self.source_lang, target_lang=self.target_lang)
        params.update({k: v for k, v in self.generate_kwargs.items() if _is_json(v)})
        return params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


def _is_json(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _model_name(model: Any, source_lang: str | None = None, target_lang: str | None = None) -> str:
    if isinstance(model, str | os.PathLike):
        name = os.fspath(model)
    else:
        name = getattr(model, "name_or_path", None) or getattr(
            getattr(model, "config", None), "_name_or_path", None
        )
        name = str(name or type(model).__name__)
    if source_lang or target_lang:
        name += f":{source_lang or ''}->{target_lang or ''}"
    return name


def _from_pretrained(auto_class: Any, spec: str | os.PathLike[str]) -> Any:
    try:
        return auto_class.from_pretrained(os.fspath(spec))
    except (OSError, ValueError) as error:
        raise TranslatorError(
            Errors.E741.format(
                model=os.fspath(spec),
                error=str(error).strip().splitlines()[0] if str(error).strip() else repr(error),
                offline=os.environ.get("HF_HUB_OFFLINE", "unset"),
            )
        ) from error


class Seq2SeqTranslator(_Seq2SeqModel):
    """Translate with a transformers seq2seq model, in batches.

    Parameters
    ----------
    model : str, path, or a loaded model
        A model name (downloaded or read from the Hugging Face cache), the path of a
        directory saved with ``save_pretrained``, or an ``AutoModelForSeq2SeqLM`` object.
        Names and paths are loaded on first use.
    tokenizer : str, path or tokenizer, optional
        Defaults to ``model`` (or the loaded model's ``name_or_path``).
    batch_size : int, default=16
        Texts per ``generate`` call.
    max_new_tokens : int, default=128
        Longest output, in tokens.
    num_beams : int, default=1
        Beam width (greedy when 1).
    do_sample : bool, default=False
        Sample instead of searching; then ``temperature`` and ``top_p`` apply, and
        :meth:`translate_n` gives different candidates for each seed.
    temperature, top_p : float, default=1.0
        Sampling settings (used only with ``do_sample=True``).
    device : str, default="cpu"
        Where the model runs (``"cuda"``, ``"cuda:1"``, ``"mps"``).
    source_lang, target_lang : str, optional
        For multilingual models such as NLLB or M2M100: the tokenizer's ``src_lang`` and
        the language token forced as the first output token (``"eng_Latn"``,
        ``"fra_Latn"``). Not needed for one-pair models such as MarianMT.
    name : str, optional
        Written in the provenance; defaults to the model name or path.
    **generate_kwargs
        Passed to ``model.generate`` (``repetition_penalty``, ``no_repeat_ngram_size``...).

    Raises
    ------
    TranslatorError
        On first use: [E740] when torch or transformers is missing, [E741] when the model
        cannot be loaded, [E742] when a language code is not in the tokenizer.

    Examples
    --------
    >>> to_de = Seq2SeqTranslator("Helsinki-NLP/opus-mt-en-de")  # doctest: +SKIP
    >>> to_de.translate(["I love New York."])  # doctest: +SKIP
    ['Ich liebe New York.']
    """

    def translate(self, texts: list[str]) -> list[str]:
        """The ``Translator`` call: ``len(texts)`` translations, in order (the first
        candidate of :meth:`translate_n`, sampling seeded with 0)."""
        return [candidates[0] for candidates in self._generate(list(texts), 1, 0)]

    def translate_n(self, texts: list[str], n: int, seed: int = 0) -> list[list[str]]:
        """``n`` candidate translations per text.

        Parameters
        ----------
        texts : list of str
        n : int
            Candidates per text: the ``n`` best beams, or ``n`` samples with
            ``do_sample=True``.
        seed : int, default=0
            Seeds sampling: same seed, same output.

        Returns
        -------
        list of list of str
            ``len(texts)`` lists of ``n`` translations (possibly repeated).
        """
        n = _positive_int(self.name, "n", n)
        return self._generate(list(texts), n, seed)

    def with_languages(self, source_lang: str | None, target_lang: str | None) -> Seq2SeqTranslator:
        """A translator for another direction that shares this one's loaded model.

        Parameters
        ----------
        source_lang, target_lang : str or None
            The new direction (multilingual models only).

        Returns
        -------
        Seq2SeqTranslator
            Same settings; the model is loaded once for both.
        """
        other = Seq2SeqTranslator.__new__(Seq2SeqTranslator)
        other.__dict__.update(self.__dict__)
        other.source_lang = source_lang
        other.target_lang = target_lang
        if self._auto_name:
            other.name = _model_name(self.model, source_lang, target_lang)
        return other


class Seq2SeqParaphraser(_Seq2SeqModel):
    """Several paraphrases per text from a seq2seq paraphrase model.

    Parameters
    ----------
    model : str, path, or a loaded model
        As for :class:`Seq2SeqTranslator`: a paraphrase model (e.g. a T5 or BART
        fine-tuned on paraphrase pairs).
    template : str, default="{text}"
        The model input, with ``{text}`` where the text goes, e.g. ``"paraphrase: {text}"``
        for T5-style models.
    **kwargs
        Every other :class:`Seq2SeqTranslator` setting (``num_beams``, ``do_sample``,
        ``temperature``, ``top_p``, ``batch_size``, ``device``, ...). Without sampling,
        the ``n`` best beams are returned.

    Raises
    ------
    TranslatorError
        As :class:`Seq2SeqTranslator`, on first use. [E748] (at once) when ``template`` has
        no ``{text}``.
    """

    def __init__(self, model: Any, *, template: str = "{text}", **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        if "{text}" not in template:
            raise AugmentError(
                Errors.E748.format(
                    name=type(self).__name__, placeholder="{text}", template=template
                )
            )
        self.template = template

    def paraphrase(self, texts: list[str], n: int, seed: int = 0) -> list[list[str]]:
        """``n`` candidate paraphrases per text (may repeat or equal the input).

        Parameters
        ----------
        texts : list of str
        n : int
            Candidates per text.
        seed : int, default=0
            Seeds sampling: same seed, same output.

        Returns
        -------
        list of list of str
            ``len(texts)`` lists of ``n`` strings.
        """
        n = _positive_int(self.name, "n", n)
        return self._generate(list(texts), n, seed, template=self.template)

    def get_params(self) -> dict[str, Any]:
        """The settings that define the output, with the template."""
        return {**super().get_params(), "template": self.template}
