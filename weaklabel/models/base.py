"""What every label model shares: ``BaseLabelModel``, tie-breaking and JSON persistence.

Use this module to write a new label model (subclass :class:`BaseLabelModel`, implement
``_fit`` and ``_predict_proba``, list the fitted attributes in ``_fitted_attributes``), or
to turn probabilities into hard labels with the tie-breaking policy the models use
(:func:`probs_to_preds`). To *use* a label model, import it from :mod:`weaklabel.models`.

Label models look like scikit-learn estimators: keyword-only constructor arguments stored
as given, ``fit(L)`` returns ``self``, fitted attributes end in ``_``. They save to JSON
(never pickle) and load back exactly.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from weaklabel._blas import single_threaded_blas
from weaklabel.errors import LabelMatrixError, NotFittedError
from weaklabel.labels import ABSTAIN
from weaklabel.models._data import PartialState, VoteData
from weaklabel.models._errors import Errors, LabelModelError
from weaklabel.models._params import (
    EstimatorParams,
    encode_array,
    read_model_file,
    write_model_file,
)

TIE_TOLERANCE: float = 1e-5
"""Classes whose probability is within this of the row's maximum are tied (as in Snorkel)."""

TIE_BREAK_POLICIES: tuple[str, ...] = ("index", "random", "abstain")
"""Accepted values of ``tie_break``."""


def check_params(checks: list[tuple[str, Any, bool, str]]) -> None:
    """Raise [E109] for the first ``(name, value, ok, expected)`` whose ``ok`` is false."""
    for name, value, ok, expected in checks:
        if not ok:
            raise LabelModelError(Errors.E109.format(name=name, expected=expected, value=value))


FILE_FORMAT = "weaklabel.label_model"
FILE_VERSION = 1

_REGISTRY: dict[str, type[BaseLabelModel]] = {}
_ARRAY_KINDS = "biuf"  # numeric dtypes only: a saved file never builds object arrays


# ---------------------------------------------------------------------------- tie-breaking
def _hash_choices(rows: np.ndarray, n_candidates: np.ndarray, seed: int) -> np.ndarray:
    """Snorkel's deterministic choice among tied classes: sha1 of the row index."""
    sha1 = hashlib.sha1
    from_bytes = int.from_bytes
    if seed == 0:
        keys = [b"%d" % i for i in rows.tolist()]
    else:
        keys = [b"%d:%d" % (seed, i) for i in rows.tolist()]
    return np.fromiter(
        (
            from_bytes(sha1(key).digest(), "big") % c
            for key, c in zip(keys, n_candidates.tolist(), strict=True)
        ),
        dtype=np.int64,
        count=len(keys),
    )


def _nth_true(mask: np.ndarray, nth: np.ndarray) -> np.ndarray:
    """Column of the ``nth[i]``-th (0-based) True in each row of ``mask``."""
    return np.argmax(np.cumsum(mask, axis=1) > nth[:, None], axis=1).astype(np.int64)


def probs_to_preds(
    proba: Any, *, tie_break: str = "index", seed: int = 0, tol: float = TIE_TOLERANCE
) -> np.ndarray:
    """Turn class probabilities into hard labels, breaking ties reproducibly.

    A row is tied when several classes are within ``tol`` of the row's maximum.

    Parameters
    ----------
    proba : array-like of shape (n_examples, n_classes)
        Class probabilities (any scores work; only the row maxima matter).
    tie_break : {"index", "random", "abstain"}, default "index"
        ``"index"`` picks ``tied[sha1(str(i)) % len(tied)]`` for the row at position ``i``
        -- exactly Snorkel's ``probs_to_preds(..., tie_break_policy="random")``, which
        WRENCH's published numbers use -- when ``seed == 0``, and hashes ``f"{seed}:{i}"``
        otherwise. ``"random"`` draws among the tied classes with
        ``np.random.default_rng(seed)``. ``"abstain"`` returns ``-1`` for tied rows.
    seed : int, default 0
    tol : float, default 1e-5

    Returns
    -------
    ndarray of shape (n_examples,), dtype int64
        Class ids, or ``-1`` for tied rows under ``tie_break="abstain"``.
    """
    if tie_break not in TIE_BREAK_POLICIES:
        raise LabelModelError(Errors.E103.format(options=TIE_BREAK_POLICIES, value=tie_break))
    proba = np.asarray(proba, dtype=np.float64)
    if proba.ndim != 2:
        raise LabelMatrixError(
            Errors.E109.format(
                name="proba", expected="a 2-D array (n_examples, n_classes)", value=proba.shape
            )
        )
    if proba.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    is_max = np.abs(proba - proba.max(axis=1, keepdims=True)) < tol
    preds = np.argmax(proba, axis=1).astype(np.int64)
    n_max = is_max.sum(axis=1)
    tied = np.flatnonzero(n_max > 1)
    if tied.size == 0:
        return preds
    if tie_break == "abstain":
        preds[tied] = ABSTAIN
        return preds
    n_candidates = n_max[tied]
    if tie_break == "index":
        nth = _hash_choices(tied, n_candidates, seed)
    else:
        nth = np.random.default_rng(seed).integers(0, n_candidates).astype(np.int64)
    preds[tied] = _nth_true(is_max[tied], nth)
    return preds


# ---------------------------------------------------------------------------- JSON helpers
def _decode_array(spec: Any, *, path: Path, name: str) -> np.ndarray:
    if not isinstance(spec, dict) or not {"dtype", "shape", "data"} <= spec.keys():
        raise LabelModelError(
            Errors.E135.format(path=path, name=name, problem="needs dtype, shape and data")
        )
    try:
        dtype = np.dtype(spec["dtype"])
        if dtype.kind not in _ARRAY_KINDS:
            raise TypeError(f"dtype {dtype} is not numeric")
        return np.array(spec["data"], dtype=dtype).reshape(tuple(spec["shape"]))
    except (TypeError, ValueError) as exc:
        raise LabelModelError(Errors.E135.format(path=path, name=name, problem=exc)) from exc


def _param_from_json(value: Any, *, path: Path, name: str) -> Any:
    if isinstance(value, dict) and "__ndarray__" in value:
        return _decode_array(value["__ndarray__"], path=path, name=name)
    return value


# ---------------------------------------------------------------------------- the base class
class BaseLabelModel(EstimatorParams):
    """Base class of the label models: parameters, validation, predictions and persistence.

    Subclasses implement ``_fit(data)`` (set the fitted attributes from a checked
    :class:`~weaklabel.models._data.VoteData`, reading only the statistics named in
    ``_statistics``: the distinct rows with counts, or exact vote and co-occurrence counts)
    and ``_predict_proba(values)`` (an int ndarray of shape (n_examples, n_sources)), and
    extend ``_fitted_attributes`` and ``_validate_params``. Fitting from statistics is what
    makes ``fit(LabelStats)``, merged partitions and ``partial_fit`` give the same model as
    ``fit`` on the whole matrix.

    Parameters
    ----------
    cardinality : int or None, default None
        Number of classes ``k``. ``None`` infers it at fit time from the label names of a
        :class:`~weaklabel.matrix.LabelMatrix`, or else as the largest label + 1 (at least 2).
    seed : int, default 0
        Seed of the tie-breaking (and of any randomness a model has).
    tie_break : {"index", "random", "abstain"}, default "index"
        How :meth:`predict` breaks ties; see :func:`probs_to_preds`.

    Attributes
    ----------
    cardinality_ : int
        Number of classes ``k`` seen at fit time.
    n_sources_ : int
        Number of sources (columns of ``L``) seen at fit time.
    class_prior_ : ndarray of shape (k,)
        Class distribution the model assumes for an example no source voted on.
    """

    _fitted_attributes: ClassVar[tuple[str, ...]] = ("cardinality_", "n_sources_", "class_prior_")

    cardinality_: int
    n_sources_: int
    class_prior_: np.ndarray

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _REGISTRY[f"{cls.__module__}.{cls.__qualname__}"] = cls

    def __init__(
        self, *, cardinality: int | None = None, seed: int = 0, tie_break: str = "index"
    ) -> None:
        self.cardinality = cardinality
        self.seed = seed
        self.tie_break = tie_break

    # ------------------------------------------------------------------ parameters
    @classmethod
    def _unknown_param(cls, name: str, valid: list[str]) -> Exception:
        return LabelModelError(Errors.E110.format(name=name, model=cls.__name__, valid=valid))

    def _validate_params(self) -> None:
        """Check the constructor arguments; subclasses extend this and call ``super()``."""
        k = self.cardinality
        if k is not None and (isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2):
            raise LabelModelError(Errors.E104.format(value=k))
        seed = self.seed
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise LabelModelError(Errors.E107.format(value=seed))
        if self.tie_break not in TIE_BREAK_POLICIES:
            raise LabelModelError(
                Errors.E103.format(options=TIE_BREAK_POLICIES, value=self.tie_break)
            )

    # ------------------------------------------------------------------ fitting
    def fit(self, L: Any) -> Self:
        """Fit the model on the votes of the sources.

        Parameters
        ----------
        L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame, \
scipy.sparse or LabelStats
            Votes: class ids ``0 .. k-1``, ``-1`` = abstain. A sparse matrix stores
            ``label + 1``. A :class:`~weaklabel.models.stats.LabelStats` (distinct rows
            with counts, e.g. merged from partitions) gives exactly the model fitted on
            the matrix it summarises. Gold labels are never used.

        Returns
        -------
        self
        """
        self._validate_params()
        data = VoteData.from_input(L)
        self._prepare(data)
        self.__dict__.pop("partial_state_", None)
        with single_threaded_blas():
            self._fit(data)
        return self

    def partial_fit(self, L: Any) -> Self:
        """Fit on every batch of votes passed to ``partial_fit`` so far, this one included.

        The model keeps only the sufficient statistics of the batches it has seen (the
        distinct vote patterns with counts, or for moment-based models the vote
        co-occurrence counts), so after any sequence of calls it is exactly the model
        ``fit`` would give on the concatenated batches. A call to ``fit`` starts over. The
        accumulated statistics live in memory only: they are not saved.

        Parameters
        ----------
        L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame, \
scipy.sparse or LabelStats
            The next batch; same sources, in the same order, every time.

        Returns
        -------
        self
        """
        self._validate_params()
        batch = VoteData.from_input(L)
        state: PartialState | None = self.__dict__.get("partial_state_")
        if state is not None and batch.n_sources != state.n_sources:
            raise LabelMatrixError(
                Errors.E101.format(
                    model=type(self).__name__, expected=state.n_sources, got=batch.n_sources
                )
            )
        if batch.n_examples == 0 and state is not None:
            return self
        if state is None:
            state = PartialState.empty(batch, self._statistics)
        probe = self._resolve_cardinality(
            batch, max(batch.max_label(), state.max_label) if state.n_examples else None
        )
        batch.check(probe)
        state = state.add(batch, self._statistics, self._statistic_k(probe))
        data = state.data()
        self._prepare(data)
        with single_threaded_blas():
            self._fit(data)
        self.partial_state_ = state
        return self

    _statistics: ClassVar[tuple[str, ...]] = ("patterns",)
    """The statistics ``_fit`` reads: ``"patterns"``, ``"source_counts"``, ``"cooccurrence"``."""

    def _statistic_k(self, k: int) -> int:
        return k

    def _prepare(self, data: VoteData) -> int:
        """Check the data, resolve ``k``, reset the fitted state; returns ``k``."""
        n, m = data.shape
        if n == 0 or m == 0:
            raise LabelModelError(Errors.E106.format(shape=(n, m)))
        k = self._resolve_cardinality(data)
        data.check(k)
        for name in self._fitted_attributes:
            self.__dict__.pop(name, None)
        self.cardinality_ = k
        self.n_sources_ = m
        return k

    def _resolve_cardinality(self, data: VoteData, max_label: int | None = None) -> int:
        names = data.label_names
        if self.cardinality is not None:
            k = int(self.cardinality)
            if names is not None and len(names) != k:
                raise LabelModelError(Errors.E105.format(k=k, n=len(names), names=list(names)))
            return k
        if names is not None:
            return len(names)
        top = data.max_label() if max_label is None else max_label
        return max(2, top + 1)

    def _fit(self, data: VoteData) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _predict_proba(self, values: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    # ------------------------------------------------------------------ predicting
    def _check_is_fitted(self, method: str) -> None:
        if any(name not in self.__dict__ for name in self._fitted_attributes):
            raise NotFittedError(Errors.E100.format(model=type(self).__name__, method=method))

    def _check_input(self, L: Any, method: str) -> np.ndarray:
        self._check_is_fitted(method)
        data = VoteData.from_input(L)
        if data.values is None:
            raise LabelMatrixError(Errors.E111.format(method=method))
        if data.n_sources != self.n_sources_:
            raise LabelMatrixError(
                Errors.E101.format(
                    model=type(self).__name__, expected=self.n_sources_, got=data.n_sources
                )
            )
        data.check(self.cardinality_)
        return data.values

    def predict_proba(self, L: Any) -> np.ndarray:
        """Probability of each class for each example.

        Parameters
        ----------
        L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame or scipy.sparse
            Votes of the same sources, in the same order, as at fit time.

        Returns
        -------
        ndarray of shape (n_examples, k), dtype float64
            Rows sum to 1.
        """
        values = self._check_input(L, "predict_proba")
        if values.shape[0] == 0:
            return np.zeros((0, self.cardinality_), dtype=np.float64)
        with single_threaded_blas():
            return self._predict_proba(values)

    def predict(self, L: Any, *, tie_break: str | None = None) -> np.ndarray:
        """Most probable class of each example, ties broken by ``tie_break``.

        Parameters
        ----------
        L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame or scipy.sparse
        tie_break : {"index", "random", "abstain"} or None, default None
            Overrides the model's ``tie_break`` for this call. The row index used by
            ``"index"`` is the row's position in ``L``.

        Returns
        -------
        ndarray of shape (n_examples,), dtype int64
            Class ids (``-1`` only for tied rows under ``"abstain"``).
        """
        policy = self.tie_break if tie_break is None else tie_break
        if policy not in TIE_BREAK_POLICIES:
            raise LabelModelError(Errors.E103.format(options=TIE_BREAK_POLICIES, value=policy))
        return probs_to_preds(self.predict_proba(L), tie_break=policy, seed=int(self.seed))

    def score(self, L: Any, y: Any, *, metric: str = "accuracy", pos_label: int = 1) -> float:
        """Compare :meth:`predict` with gold labels.

        Parameters
        ----------
        L : LabelMatrix, ndarray of shape (n_examples, n_sources), DataFrame or scipy.sparse
        y : array-like of shape (n_examples,)
            Gold class ids.
        metric : {"accuracy", "f1", "macro_f1"}, default "accuracy"
            ``"f1"`` is the F1 of class ``pos_label``; a predicted ``-1`` counts as wrong.
        pos_label : int, default 1

        Returns
        -------
        float
        """
        from weaklabel import metrics

        if metric not in ("accuracy", "f1", "macro_f1"):
            raise LabelModelError(
                Errors.E120.format(metric=metric, options=["accuracy", "f1", "macro_f1"])
            )
        preds = self.predict(L)
        if metric == "accuracy":
            return metrics.accuracy(y, preds)
        if metric == "f1":
            return metrics.f1_score(y, preds, pos_label=pos_label)
        return metrics.macro_f1(y, preds, labels=list(range(self.cardinality_)))

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters and fitted attributes to a JSON file, atomically.

        The file is written next to ``path`` under a temporary name and then renamed, so
        a crash never leaves a half-written model. Floats are written with ``repr``
        and load back bit for bit.

        Parameters
        ----------
        path : str or path-like
        """
        fitted = {
            name: encode_array(np.asarray(self.__dict__[name]))
            for name in self._fitted_attributes
            if name in self.__dict__
        }
        write_model_file(
            path, self, file_format=FILE_FORMAT, file_version=FILE_VERSION, fitted=fitted
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Self:
        """Rebuild a model written by :meth:`save`; predictions are bitwise identical.

        Parameters
        ----------
        path : str or path-like

        Returns
        -------
        BaseLabelModel
            An instance of the class that was saved (which must be ``cls`` or a subclass).
        """
        messages = {"unreadable": Errors.E130, "format": Errors.E131, "version": Errors.E132}
        source, class_name, params, fitted = read_model_file(
            path,
            file_format=FILE_FORMAT,
            file_version=FILE_VERSION,
            fail=lambda kind, **fields: LabelModelError(messages[kind].format(**fields)),
        )
        klass = _lookup_class(class_name, source)
        if not issubclass(klass, cls):
            raise LabelModelError(
                Errors.E134.format(path=source, found=klass.__name__, expected=cls.__name__)
            )
        valid = klass._get_param_names()
        unknown = sorted(set(params) - set(valid))
        if unknown:
            raise LabelModelError(
                Errors.E110.format(name=unknown[0], model=klass.__name__, valid=valid)
            )
        model = klass(**{k: _param_from_json(v, path=source, name=k) for k, v in params.items()})
        if fitted:
            missing = [n for n in klass._fitted_attributes if n not in fitted]
            if missing:
                raise LabelModelError(
                    Errors.E135.format(path=source, name=missing[0], problem="missing")
                )
            for name in klass._fitted_attributes:
                array = _decode_array(fitted[name], path=source, name=name)
                model.__dict__[name] = array.item() if array.ndim == 0 else array
        return model


def _lookup_class(name: str, path: Path) -> type[BaseLabelModel]:
    if name in _REGISTRY:
        return _REGISTRY[name]
    short = [k for k in _REGISTRY if k.rsplit(".", 1)[-1] == name.rsplit(".", 1)[-1]]
    if len(short) == 1:
        return _REGISTRY[short[0]]
    known = sorted(k.rsplit(".", 1)[-1] for k in _REGISTRY)
    raise LabelModelError(Errors.E133.format(path=path, name=name, known=known))


def load_model(path: str | os.PathLike[str]) -> BaseLabelModel:
    """Load any label model written by ``model.save(path)``.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    BaseLabelModel
        An instance of the saved class, with its parameters and fitted attributes.
    """
    return BaseLabelModel.load(path)
