"""Paraphrase: variants written by a model, a seq2seq paraphraser or a chat model.

Use :class:`Paraphrase` when you want whole-sentence rewordings from a model trained or
prompted to paraphrase (back-translation, :mod:`weaklabel.augment.generate.translate`, gets them
from translators instead). The model is any *generator*, an object with
``paraphrase(texts, n, seed) -> list[list[str]]``; two come built in:

- ``Paraphrase.seq2seq("path/or/name")``: a transformers seq2seq model
  (:class:`~weaklabel.augment.generate.seq2seq.Seq2SeqParaphraser`), needs
  ``pip install "weaklabel[transformers]"``;
- ``Paraphrase.chat(model=..., base_url=...)``: a chat model behind an OpenAI-compatible
  API (:class:`~weaklabel.augment.generate.chat.ChatParaphraser`), through weaklabel's
  LLM client (:mod:`weaklabel.llm`; ``pip install "weaklabel[llm]"``).
"""

from __future__ import annotations

from typing import Any

from weaklabel.augment._errors import Errors, TranslatorError
from weaklabel.augment.base import Augmenter, RowKey, call_seed, invalid_argument

__all__ = ["Paraphrase"]


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


class Paraphrase(Augmenter):
    """Variants from a paraphrase generator, batched.

    Parameters
    ----------
    generator : object
        Has ``paraphrase(texts, n, seed) -> list[list[str]]`` (one list of candidates per
        text, in order) and, ideally, ``name`` and ``get_params()`` for the provenance.

    Notes
    -----
    All usable texts go to the generator in one call (it batches them itself), with one
    seed derived from the ``augment`` seed (:func:`~weaklabel.augment.base.call_seed`), so
    the same seed gives the same output; a generator that seeds each text alike (a chat
    endpoint) gives each row the same variants in any batch, while a sampling seq2seq model
    depends on the batch it sees. Candidates equal to the input (up to
    case and whitespace) are dropped, so a text may get fewer than ``n`` variants.

    Examples
    --------
    >>> para = Paraphrase.chat(model="gpt-4o-mini")  # doctest: +SKIP
    >>> para.augment(["The committee approved the proposals."], n=2)  # doctest: +SKIP
    [['The proposals were approved by the committee.', 'The committee passed the ...']]
    """

    def __init__(self, generator: Any) -> None:
        if not callable(getattr(generator, "paraphrase", None)):
            raise invalid_argument(
                "Paraphrase",
                "generator",
                "an object with paraphrase(texts, n, seed) -> list[list[str]]",
                generator,
            )
        self.generator = generator

    @classmethod
    def seq2seq(cls, model: Any, **kwargs: Any) -> Paraphrase:
        """Paraphrase with a transformers seq2seq model.

        Parameters
        ----------
        model : str, path, or a loaded model
            See :class:`~weaklabel.augment.generate.seq2seq.Seq2SeqParaphraser`.
        **kwargs
            :class:`~weaklabel.augment.generate.seq2seq.Seq2SeqParaphraser` settings (``template``,
            ``num_beams``, ``do_sample``, ``temperature``, ``top_p``, ``batch_size``,
            ``device``, ...).
        """
        from weaklabel.augment.generate.seq2seq import Seq2SeqParaphraser

        return cls(Seq2SeqParaphraser(model, **kwargs))

    @classmethod
    def chat(cls, *, model: str, **kwargs: Any) -> Paraphrase:
        """Paraphrase with a chat model behind an OpenAI-compatible API.

        Parameters
        ----------
        model : str
            The model name the server knows.
        **kwargs
            :class:`~weaklabel.augment.generate.chat.ChatParaphraser` and
            :class:`~weaklabel.augment.generate.chat.ChatClient` settings (``base_url``,
            ``api_key``, ``prompt_template``, ``temperature``, ``choices``, ...).
        """
        from weaklabel.augment.generate.chat import ChatParaphraser

        return cls(ChatParaphraser(model=model, **kwargs))

    def _augment_keyed(self, texts: list[str], n: int, keys: list[RowKey]) -> list[list[str]]:
        seed = call_seed(keys)
        candidates = self.generator.paraphrase(list(texts), n, seed)
        if len(candidates) != len(texts):
            raise TranslatorError(
                Errors.E713.format(
                    name=getattr(self.generator, "name", "generator"),
                    got=len(candidates),
                    expected=len(texts),
                )
            )
        out: list[list[str]] = []
        for text, found in zip(texts, candidates, strict=True):
            original = _normal(text)
            out.append([c for c in found if isinstance(c, str) and _normal(c) != original])
        return out
