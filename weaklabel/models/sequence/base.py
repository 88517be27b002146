"""What every sequence label model shares: the contract, BIO decoding and JSON persistence.

Use this module to write a new sequence label model (subclass
:class:`BaseSequenceModel`, implement ``_fit`` and ``_posteriors``, list the fitted
attributes in ``_fitted_attributes``) or to load any saved one
(:func:`load_sequence_model`). To *use* a model, import it from
:mod:`weaklabel.models.sequence`.

The contract is the classification label models' (parameters, the registry of model
classes and JSON persistence come from the same base,
:class:`~weaklabel.models._params.SavedModel`): keyword-only constructor arguments
stored as given, ``fit(weak)`` returns ``self``, fitted attributes end in ``_``,
``predict_proba(weak)`` gives one ``(n_tokens, n_tags)`` array per sentence with rows
summing to 1, ``predict(weak)`` one list of BIO tag strings per sentence -- always valid
BIO (no ``I-X`` after ``O`` or ``B-Y``) -- and ``score(weak, gold_tags)`` the entity-level
F1. ``weak`` is a :class:`~weaklabel.tokens.TokenMatrix` or a list with one
``(n_tokens, n_sources)`` array of tag ids per sentence. Models save to JSON (never
pickle) and load back exactly.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np

from weaklabel._blas import single_threaded_blas
from weaklabel.errors import (
    LabelMatrixError,
    LabelSpaceError,
    ParameterError,
)
from weaklabel.models._data import source_order
from weaklabel.models._fields import Field, count, names
from weaklabel.models._params import SavedModel, is_finite_number
from weaklabel.models.sequence._data import SequenceVotes, read_weak
from weaklabel.models.sequence._errors import Errors
from weaklabel.models.sequence._lattice import Lattice
from weaklabel.tags import TagSpace, entity_f1

__all__ = ["BaseSequenceModel", "load_sequence_model"]

FILE_FORMAT = "weaklabel.sequence_model"
FILE_VERSION = 1


def bio_decode(space: TagSpace, proba: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The valid BIO path with the highest summed log posterior, per sentence.

    When the token-wise most probable tags already form valid BIO this is exactly their
    argmax; otherwise it is the best path that respects ``I-X`` only after ``B-X``/``I-X``.

    Parameters
    ----------
    space : TagSpace
    proba : ndarray of shape (n_tokens, n_tags)
    lengths : ndarray of shape (n_sentences,)

    Returns
    -------
    ndarray of shape (n_tokens,), dtype int64
    """
    with np.errstate(divide="ignore"):
        scores = np.log(proba)
        log_trans = np.where(space.allowed_transitions(), 0.0, -np.inf)
        log_start = np.where(space.allowed_starts(), 0.0, -np.inf)
    # a tiny preference for O keeps exact ties deterministic and conservative
    scores[:, space.outside] += 1e-9
    return Lattice(lengths).viterbi(scores, log_start, log_trans)


@dataclass(eq=False, repr=False, kw_only=True)
class BaseSequenceModel(SavedModel):
    """Base class of the sequence label models.

    Subclasses implement ``_fit(data, space)`` (set the fitted attributes) and
    ``_posteriors(data)`` (an ndarray of shape (n_tokens, n_tags), rows summing to 1),
    and may override ``_decode(data, proba)``. The constructor arguments are dataclass
    fields, keyword-only: a subclass declares only the ones it adds (with
    ``@dataclass(eq=False, repr=False, kw_only=True)``), and ``get_params`` reads them
    from the signature as for every weaklabel model.

    Parameters
    ----------
    tags : sequence of str or None, default None
        BIO tag names in id order, e.g. ``["O", "B-PER", "I-PER"]``. ``None`` takes them
        from the ``tag_names`` of the TokenMatrix passed to :meth:`fit`.
    seed : int, default 0
        Seed of any randomness a model has (the models here are deterministic).

    Attributes
    ----------
    tags_ : tuple of str
        Tag names seen at fit time.
    n_sources_ : int
        Number of sources seen at fit time.
    source_names_ : tuple of str
        Names of the sources seen at fit time (a TokenMatrix's; empty for plain arrays).
        Predicting on a TokenMatrix matches its sources to them by name, in any order.
    """

    _fitted_attributes: ClassVar[tuple[str, ...]] = ("tags_", "n_sources_", "source_names_")
    _fitted_fields: ClassVar[dict[str, Field]] = {
        "tags_": names(
            defines="t",
            check=lambda tags, model: _tag_set_problem(tags),
            derived=lambda model: None if model.tags is None else tuple(model.tags),
            sources=("tags",),
        ),
        "n_sources_": count(defines="m", low=1),
        "source_names_": names("m", optional=True, default=()),
    }
    _file_format: ClassVar[str] = FILE_FORMAT
    _file_version: ClassVar[int] = FILE_VERSION
    _param_error: ClassVar[type[Exception]] = ParameterError

    tags: Sequence[str] | None = None
    seed: int = 0

    # ------------------------------------------------------------------ parameters
    @staticmethod
    def _is_int(value: Any) -> bool:
        return isinstance(value, int | np.integer) and not isinstance(value, bool)

    _is_number = staticmethod(is_finite_number)

    def _validate_params(self) -> None:
        """Check the constructor arguments; subclasses extend this and call ``super()``."""
        tags = self.tags
        self._check_param(
            "tags",
            tags is None
            or (
                isinstance(tags, Sequence)
                and not isinstance(tags, str)
                and all(isinstance(t, str) for t in tags)
            ),
            "a list of tag names or None",
        )
        self._check_param("seed", self._is_int(self.seed) and self.seed >= 0, "an integer >= 0")

    # ------------------------------------------------------------------ fitting
    def _resolve_tags(self, data: SequenceVotes) -> TagSpace:
        if self.tags is not None:
            space = TagSpace(tuple(self.tags))
            if data.tag_names is not None and tuple(data.tag_names) != space.tags:
                raise LabelSpaceError(
                    Errors.E605.format(tags=list(space.tags), data_tags=list(data.tag_names))
                )
            return space
        if data.tag_names is None:
            raise LabelSpaceError(Errors.E604.format(model=type(self).__name__))
        return TagSpace(tuple(data.tag_names))

    def fit(self, weak: Any) -> Self:
        """Fit the model on the weak labels of a corpus (gold tags are never used).

        Parameters
        ----------
        weak : TokenMatrix, or list of ndarray of shape (n_tokens_i, n_sources)
            A :class:`~weaklabel.tokens.TokenMatrix` (its ``tag_names`` supply the tags
            when ``tags`` is None), or one integer array per sentence: tag ids into
            ``tags`` (``-1`` = the source did not label the token; ``"O"`` is a vote for
            no entity). Anything else raises [E610].

        Returns
        -------
        self
        """
        self._validate_params()
        data = read_weak(weak)
        if data.n_tokens == 0 or data.n_sources == 0:
            what = f"{len(data.lengths)} sentences with {data.n_tokens} tokens and "
            what += f"{data.n_sources} sources"
            raise LabelMatrixError(Errors.E614.format(what=what))
        space = self._resolve_tags(data)
        data.check_ids(space.n_tags)
        for name in self._fitted_attributes:
            self.__dict__.pop(name, None)
        with single_threaded_blas():
            self._fit(data, space)
        self.tags_ = space.tags
        self.n_sources_ = data.n_sources
        self.source_names_ = _known_names(data.source_names, data.n_sources)
        return self

    def _fit(self, data: SequenceVotes, space: TagSpace) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ predicting
    @property
    def _space(self) -> TagSpace:
        return TagSpace(tuple(self.tags_))

    def _read(self, weak: Any, method: str) -> SequenceVotes:
        self._check_is_fitted(method)
        data = self._aligned(read_weak(weak))
        if data.n_tokens and data.n_sources != self.n_sources_:
            raise LabelMatrixError(
                Errors.E101.format(
                    model=type(self).__name__, expected=self.n_sources_, got=data.n_sources
                )
            )
        if data.tag_names is not None and tuple(data.tag_names) != tuple(self.tags_):
            raise LabelSpaceError(
                Errors.E605.format(tags=list(self.tags_), data_tags=list(data.tag_names))
            )
        data.check_ids(len(self.tags_))
        return data

    def _aligned(self, data: SequenceVotes) -> SequenceVotes:
        """``data`` with its columns in the order of the fit, matched by source name.

        Only when the model and ``data`` both name their sources; a missing or unknown
        source is refused [E660]. Otherwise the columns are read by position.
        """
        fitted = self.source_names_
        given = _known_names(data.source_names, data.n_sources)
        order = source_order(fitted, given, type(self).__name__, error=Errors.E660)
        if order is None:
            return data
        return SequenceVotes(
            np.ascontiguousarray(data.values[:, order]), data.lengths, data.tag_names, fitted
        )

    def _posteriors(self, data: SequenceVotes) -> np.ndarray:
        raise NotImplementedError

    def _unvoted_sentences(self, data: SequenceVotes) -> np.ndarray:
        """Mask of shape (n_tokens,): the token's sentence has no entity vote at all."""
        votes = data.values
        fires = ((votes >= 0) & (votes != self._space.outside)).any(axis=1)
        sentence = np.repeat(np.arange(len(data.lengths)), data.lengths)
        voted = np.bincount(sentence, weights=fires, minlength=len(data.lengths)) > 0
        return ~voted[sentence]

    def _checked_posteriors(self, data: SequenceVotes) -> np.ndarray:
        """Posteriors, with ``O`` for every token of a sentence no source tags at all.

        A sentence without a single entity vote carries no evidence of any entity, so it
        is all ``O`` whatever a fitted model's parameters would make of its silence.
        """
        proba = self._posteriors(data)
        space = self._space
        empty = self._unvoted_sentences(data)
        if empty.any():
            proba[empty] = 0.0
            proba[empty, space.outside] = 1.0
        return proba

    def _decode(self, data: SequenceVotes, proba: np.ndarray) -> np.ndarray:
        return bio_decode(self._space, proba, data.lengths)

    def predict_proba(self, weak: Any) -> list[np.ndarray]:
        """Posterior tag probabilities of every token.

        Parameters
        ----------
        weak : TokenMatrix, or list of ndarray of shape (n_tokens_i, n_sources)

        Returns
        -------
        list of ndarray of shape (n_tokens_i, n_tags)
            One array per sentence; every row sums to 1.
        """
        data = self._read(weak, "predict_proba")
        if data.n_tokens == 0:
            return [np.zeros((0, len(self.tags_))) for _ in data.lengths]
        return data.split(self._checked_posteriors(data))

    def predict_ids(self, weak: Any) -> list[np.ndarray]:
        """Like :meth:`predict`, with tag ids instead of names.

        Returns
        -------
        list of ndarray of shape (n_tokens_i,), dtype int64
        """
        data = self._read(weak, "predict")
        if data.n_tokens == 0:
            return [np.zeros(0, dtype=np.int64) for _ in data.lengths]
        return data.split(self._decode(data, self._checked_posteriors(data)))

    def predict(self, weak: Any) -> list[list[str]]:
        """The BIO tags of every sentence; always valid BIO.

        Parameters
        ----------
        weak : TokenMatrix, or list of ndarray of shape (n_tokens_i, n_sources)

        Returns
        -------
        list of list of str
            One list of tag names per sentence.
        """
        ids = self.predict_ids(weak)
        space = self._space
        lengths = np.array([len(a) for a in ids], dtype=np.int64)
        flat = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        return space.names(flat, lengths)

    def score(self, weak: Any, gold_tags: Any) -> float:
        """Entity-level (span-exact) F1 of :meth:`predict` against gold tags.

        The same number as ``seqeval.metrics.f1_score`` (default mode, micro average).

        Parameters
        ----------
        weak : TokenMatrix, or list of ndarray of shape (n_tokens_i, n_sources)
        gold_tags : list of list of str
            Gold BIO tags per sentence (an object's ``.tags`` works too).

        Returns
        -------
        float
            F1 in [0, 1].
        """
        if hasattr(gold_tags, "tags") and not isinstance(gold_tags, list | tuple):
            gold_tags = gold_tags.tags
        if isinstance(gold_tags, str | bytes) or not isinstance(gold_tags, Sequence):
            raise LabelMatrixError(Errors.E661.format(kind=type(gold_tags).__name__))
        ids = self.predict_ids(weak)
        if len(gold_tags) != len(ids):
            raise LabelMatrixError(Errors.E616.format(got=len(gold_tags), expected=len(ids)))
        space = self._space
        for index, (gold, pred) in enumerate(zip(gold_tags, ids, strict=True)):
            if len(gold) != len(pred):
                raise LabelMatrixError(
                    Errors.E617.format(index=index, got=len(gold), expected=len(pred))
                )
        lengths = np.array([len(a) for a in ids], dtype=np.int64)
        gold_ids = [space.ids(list(g), index=i) for i, g in enumerate(gold_tags)]
        gold_flat = np.concatenate(gold_ids) if gold_ids else np.zeros(0, dtype=np.int64)
        pred_flat = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        return entity_f1(space, gold_flat, pred_flat, lengths)[2]


def _known_names(names: tuple[str, ...] | None, m: int) -> tuple[str, ...]:
    """``names`` when they name the ``m`` sources (placeholders ``source_0 ..`` do not)."""
    if not names or len(names) != m or tuple(names) == tuple(f"source_{j}" for j in range(m)):
        return ()
    return tuple(names)


def _tag_set_problem(tags: tuple[str, ...]) -> str | None:
    """Why ``tags`` is not a BIO tag set (None when it is one)."""
    try:
        TagSpace(tags)
    except (LabelSpaceError, ParameterError) as exc:
        return f"is not a BIO tag set ({exc})"
    return None


def load_sequence_model(path: str | os.PathLike[str]) -> BaseSequenceModel:
    """Load any sequence label model written by ``model.save(path)``.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    BaseSequenceModel
    """
    return BaseSequenceModel.load(path)
