"""Text augmenters that edit the words of a text: WordNet synonyms and character/word noise.

- :mod:`~weaklabel.augment.text.synonym`: :class:`~weaklabel.augment.Synonym`;
- :mod:`~weaklabel.augment.text.wordnet`: :func:`~weaklabel.augment.text.wordnet.load_wordnet`
  (WordNet from Debian's ``wordnet-base`` or nltk's data);
- :mod:`~weaklabel.augment.text.noise`: :class:`~weaklabel.augment.Noise` (plain Python);
- :mod:`~weaklabel.augment.text.noise_backends`: :class:`~weaklabel.augment.AuglyNoise`
  and :class:`~weaklabel.augment.NlpaugNoise`.
"""
