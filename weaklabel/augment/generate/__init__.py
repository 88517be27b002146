"""Augmenters whose variants a model writes: back-translation and paraphrase.

- :mod:`~weaklabel.augment.generate.translate`: the :class:`~weaklabel.augment.Translator`
  protocol, Apertium and callable translators, :class:`~weaklabel.augment.BackTranslation`;
- :mod:`~weaklabel.augment.generate.seq2seq`: transformers seq2seq translators and
  paraphrasers;
- :mod:`~weaklabel.augment.generate.chat`: OpenAI-compatible chat models as translators and
  paraphrasers (standard library only);
- :mod:`~weaklabel.augment.generate.paraphrase`: :class:`~weaklabel.augment.Paraphrase`.
"""
