"""What every label model shares: ``BaseLabelModel``, tie-breaking and JSON persistence.

Use this module to write a new label model (subclass :class:`BaseLabelModel`, implement
``_fit`` and ``_predict_proba``, list the fitted attributes in ``_fitted_attributes``), or
to turn probabilities into hard labels with the tie-breaking policy the models use
(:func:`~weaklabel.ties.probs_to_preds`, defined in :mod:`weaklabel.ties` and shared with
the Dask applier). To *use* a label model, import it from :mod:`weaklabel.models`.

Label models look like scikit-learn estimators: keyword-only constructor arguments stored
as given, ``fit(L)`` returns ``self``, fitted attributes end in ``_``. They save to JSON
(never pickle) and load back exactly.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar, Self

import numpy as np

from weaklabel._blas import single_threaded_blas
from weaklabel.errors import LabelMatrixError, LabelSpaceError
from weaklabel.models._data import (
    PartialState,
    VoteData,
    known_source_names,
    source_order,
    vote_location,
)
from weaklabel.models._errors import Errors, LabelModelError
from weaklabel.models._fields import Field, count, names, probabilities
from weaklabel.models._params import SavedModel
from weaklabel.stats import LabelStats
from weaklabel.ties import TIE_BREAK_POLICIES as TIE_BREAK_POLICIES
from weaklabel.ties import TIE_TOLERANCE as TIE_TOLERANCE
from weaklabel.ties import probs_to_preds as probs_to_preds


def check_params(checks: list[tuple[str, Any, bool, str]], owner: str = "label model") -> None:
    """Raise [E060] for the first ``(name, value, ok, expected)`` whose ``ok`` is false.

    ``owner`` (the model's class name) starts the message: ``"LabelModel: lr must be ..."``.
    """
    for name, value, ok, expected in checks:
        if not ok:
            raise LabelModelError(
                Errors.E060.format(name=owner, param=name, expected=expected, value=value)
            )


FILE_FORMAT = "weaklabel.label_model"
FILE_VERSION = 1

MAX_CARDINALITY = 100_000
"""Most classes a label model takes (``cardinality=``); more is refused [E142]."""
MAX_INFERRED_CARDINALITY = 1000
"""Most classes inferred from the largest label when neither ``cardinality=`` nor label
names are given; also at most ``INFERRED_CLASSES_PER_ROW`` per row [E141]."""
INFERRED_CLASSES_PER_ROW = 10


# ---------------------------------------------------------------------------- the base class
class BaseLabelModel(SavedModel):
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
    source_names_ : tuple of str
        Names of the sources seen at fit time (empty when ``L`` did not name them).
        ``predict`` matches the columns of a named ``L`` to them by name.
    label_names_ : tuple of str or None
        Class names seen at fit time (None when ``L`` had none).
    """

    _fitted_attributes: ClassVar[tuple[str, ...]] = (
        "cardinality_",
        "n_sources_",
        "class_prior_",
        "source_names_",
        "label_names_",
    )
    _fitted_fields: ClassVar[dict[str, Field]] = {
        "cardinality_": count(defines="k", low=2, high=MAX_CARDINALITY),
        "n_sources_": count(defines="m", low=1),
        "class_prior_": probabilities("k"),
        "source_names_": names("m", optional=True, default=()),
        "label_names_": names("k", optional=True, default=None, nullable=True),
    }

    cardinality_: int
    n_sources_: int
    class_prior_: np.ndarray
    source_names_: tuple[str, ...]
    label_names_: tuple[str, ...] | None

    def __init__(
        self, *, cardinality: int | None = None, seed: int = 0, tie_break: str = "index"
    ) -> None:
        self.cardinality = cardinality
        self.seed = seed
        self.tie_break = tie_break

    # ------------------------------------------------------------------ parameters
    _file_format: ClassVar[str] = FILE_FORMAT
    _file_version: ClassVar[int] = FILE_VERSION
    _param_error: ClassVar[type[Exception]] = LabelModelError

    def _validate_params(self) -> None:
        """Check the constructor arguments; subclasses extend this and call ``super()``."""
        k = self.cardinality
        if k is not None and (isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2):
            raise LabelModelError(Errors.E104.format(value=k))
        if k is not None and k > MAX_CARDINALITY:
            raise LabelModelError(Errors.E142.format(value=k, limit=MAX_CARDINALITY))
        seed = self.seed
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise LabelModelError(
                Errors.E060.format(
                    name=type(self).__name__, param="seed", expected="an integer >= 0", value=seed
                )
            )
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
            ``label + 1``. A :class:`~weaklabel.stats.LabelStats` (distinct rows
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
        if state is not None:
            batch = self._batch_like(batch, state)
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

    def _batch_like(self, batch: VoteData, state: PartialState) -> VoteData:
        """``batch`` with its sources in the order of the earlier batches, matched by name.

        A batch naming other sources [E143] or other labels [E144] than the earlier ones
        is refused: summing its statistics by position would mix up sources.
        """
        model = type(self).__name__
        labels, known = batch.label_names, state.label_names
        if labels is not None and known is not None and labels != known:
            raise LabelSpaceError(
                Errors.E144.format(model=model, expected=list(known), got=list(labels))
            )
        fitted = known_source_names(state.source_names, state.n_sources)
        given = known_source_names(batch.source_names, batch.n_sources)
        order = source_order(fitted, given, model)
        if order is None:
            return batch
        if batch.values is not None:
            values = np.ascontiguousarray(batch.values[:, order])
            return VoteData(values=values, source_names=fitted, label_names=labels)
        assert batch.stats is not None
        stats = LabelStats(batch.stats.rows[:, order], batch.stats.counts, fitted, labels)
        return VoteData(stats=stats, source_names=fitted, label_names=labels)

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
        self.source_names_ = known_source_names(data.source_names, m)
        self.label_names_ = data.label_names
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
        k = max(2, top + 1)
        limit = min(MAX_INFERRED_CARDINALITY, max(2, INFERRED_CLASSES_PER_ROW * data.n_examples))
        if k > limit:
            raise LabelModelError(
                Errors.E141.format(k=k, limit=limit, n=data.n_examples, **vote_location(data, top))
            )
        return k

    def _fit(self, data: VoteData) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _predict_proba(self, values: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    # ------------------------------------------------------------------ predicting
    def _check_input(self, L: Any, method: str) -> np.ndarray:
        """The votes of ``L`` in the columns of the fit, checked.

        When the model and ``L`` both name their sources, the columns are matched by name
        (any order; a missing or unknown source is refused [E143]); otherwise by
        position. Label names must be those of the fit [E144], or as many as its classes
        [E145].
        """
        self._check_is_fitted(method)
        data = VoteData.from_input(L)
        if data.values is None:
            raise LabelMatrixError(Errors.E111.format(method=method))
        model = type(self).__name__
        fitted = self.source_names_
        given = known_source_names(data.source_names, data.n_sources)
        order = source_order(fitted, given, model)
        if data.n_sources != self.n_sources_:
            raise LabelMatrixError(
                Errors.E101.format(model=model, expected=self.n_sources_, got=data.n_sources)
            )
        labels = data.label_names
        if labels is not None and self.label_names_ is not None and labels != self.label_names_:
            raise LabelSpaceError(
                Errors.E144.format(model=model, expected=list(self.label_names_), got=list(labels))
            )
        if labels is not None and len(labels) != self.cardinality_:
            raise LabelSpaceError(
                Errors.E145.format(
                    model=model, expected=self.cardinality_, got=len(labels), names=list(labels)
                )
            )
        data.check(self.cardinality_)
        if order is not None:
            return np.ascontiguousarray(data.values[:, order])
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
            Gold class ids, or label names when the model was fitted with label names.
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
        y = gold_ids(y, self.label_names_, self.cardinality_)
        if metric == "accuracy":
            return metrics.accuracy(y, preds)
        if metric == "f1":
            return metrics.f1_score(y, preds, pos_label=pos_label)
        return metrics.macro_f1(y, preds, labels=list(range(self.cardinality_)))


def gold_ids(y: Any, label_names: tuple[str, ...] | None, k: int) -> Any:
    """Gold labels as class ids: label names are looked up in ``label_names``.

    Parameters
    ----------
    y : array-like of shape (n_examples,)
        Class ids, or label names when the model knows them.
    label_names : tuple of str or None
    k : int

    Returns
    -------
    array-like of shape (n_examples,)
        ``y`` unchanged when it holds no strings.

    Raises
    ------
    LabelModelError
        [E146] for a string that is not a label name (or any string when the model
        knows no label names).
    """
    array = np.asarray(y, dtype=object) if not isinstance(y, np.ndarray) else y
    if array.dtype.kind not in "OUS" or array.ndim != 1:
        return y
    values = array.tolist()  # Python str / int, for the checks and the messages
    strings = [isinstance(v, str) for v in values]
    if not any(strings):
        return y
    hint = f" or the label names {list(label_names)}" if label_names else ""
    if label_names is None:
        row = strings.index(True)
        what = (
            "a class id, and the model knows no label names (fit it on a LabelMatrix with "
            "label_names=[...] to score with names)"
        )
        raise LabelModelError(
            Errors.E146.format(value=values[row], row=row, what=what, k_max=k - 1, names_hint=hint)
        )
    index = {name: i for i, name in enumerate(label_names)}
    out = np.empty(len(values), dtype=np.int64)
    for row, value in enumerate(values):
        if isinstance(value, str) and value in index:
            out[row] = index[value]
        elif isinstance(value, int | np.integer) and not isinstance(value, bool) and 0 <= value < k:
            out[row] = int(value)
        else:
            what = f"one of the model's label names {list(label_names)} or a class id"
            raise LabelModelError(
                Errors.E146.format(value=value, row=row, what=what, k_max=k - 1, names_hint=hint)
            )
    return out


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
