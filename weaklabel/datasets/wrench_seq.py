"""Load a WRENCH sequence-tagging (NER) dataset: tokens, gold BIO tags and weak BIO tags.

Use :func:`load_wrench_seq` to benchmark sequence label models on WRENCH's NER sets
(bc5cdr, laptopreview, conll03, ...) or on your own data exported in the same format. A
WRENCH sequence folder holds ``meta.json`` (``lf``: the labeling functions in column
order, ``lf_rec``: the subset WRENCH uses, ``entity_types``) and one file per split,
``{split}.json`` or ``{split}.json.gz``, mapping sentence ids to ``{"data": {"text":
[tokens]}, "label": [BIO tag per token], "weak_labels": [[BIO tag per LF] per token]}``.

A split is a :class:`~weaklabel.tokens.TokenMatrix` (one ``(n_tokens, n_sources)``
array of ids into ``tag_names`` per sentence: ``"O"`` first, then ``B-``/``I-`` of each
entity type in ``entity_types`` order) with the tokens and gold tags attached, which is
what every model in :mod:`weaklabel.models.sequence` takes: fit on
``load_wrench_seq(path, "train")`` and score on the test split.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from weaklabel.datasets._errors import Errors
from weaklabel.datasets.wrench import SPLITS, _read_json, _split_file
from weaklabel.errors import DatasetError
from weaklabel.tags import TagSpace
from weaklabel.tokens import TokenMatrix

__all__ = ["WrenchSeqDataset", "load_wrench_seq"]


@dataclass(frozen=True, eq=False, kw_only=True)
class WrenchSeqDataset(TokenMatrix):
    """One split of a WRENCH sequence-tagging dataset: its token matrix, tokens and gold tags.

    A :class:`~weaklabel.tokens.TokenMatrix` (pass it to any sequence label model) with
    the sentences' tokens, gold tags and ids attached.

    Attributes
    ----------
    tokens : list of list of str
        The tokens of every sentence.
    tags : list of list of str
        Gold BIO tags, one per token.
    weak : list of ndarray of shape (n_tokens_i, n_sources)
        Weak labels: ids into ``tag_names`` (read-only, the smallest integer dtype that
        holds them, as in every TokenMatrix).
    tag_names : tuple of str
        ``("O", "B-T1", "I-T1", "B-T2", "I-T2", ...)`` in ``entity_types`` order.
    entity_types : tuple of str
    source_names : tuple of str
        Names of the labeling functions kept, in column order.
    ids : list of str
        Sentence ids, in file order.
    name : str
        Name of the dataset folder, e.g. ``"bc5cdr"``.
    split : {"train", "valid", "test"}
    """

    tokens: list[list[str]]
    tags: list[list[str]]
    ids: list[str]
    name: str
    split: str

    @property
    def n_sentences(self) -> int:
        """Number of sentences."""
        return len(self.tokens)

    def gold_ids(self) -> list[np.ndarray]:
        """Gold tags as ids into ``tag_names``, one array per sentence."""
        lookup = {t: k for k, t in enumerate(self.tag_names)}
        return [np.array([lookup[t] for t in tags], dtype=np.int64) for tags in self.tags]

    def __repr__(self) -> str:
        return (
            f"WrenchSeqDataset(name={self.name!r}, split={self.split!r}, "
            f"n_sentences={self.n_sentences}, n_tokens={self.n_tokens}, "
            f"n_sources={self.n_sources}, entity_types={list(self.entity_types)})"
        )


def _read_meta(folder: Path) -> tuple[list[str] | None, list[str] | None, list[str]]:
    file = folder / "meta.json"
    if not file.is_file():
        raise DatasetError(Errors.E651.format(file=file))
    meta = _read_json(file)
    if not isinstance(meta, dict):
        problem = f"expected a JSON object, got {type(meta).__name__}"
        raise DatasetError(Errors.E216.format(file=file, problem=problem))
    types = meta.get("entity_types")
    if (
        not isinstance(types, list)
        or not types
        or not all(isinstance(t, str) and t for t in types)
        or len(set(types)) != len(types)
    ):
        problem = f"'entity_types' must be a non-empty list of distinct names; got {types!r}"
        raise DatasetError(Errors.E216.format(file=file, problem=problem))
    names: dict[str, list[str] | None] = {}
    for key in ("lf", "lf_rec"):
        value = meta.get(key)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) for v in value)
        ):
            problem = f"{key!r} must be a list of labeling-function names; got {value!r}"
            raise DatasetError(Errors.E216.format(file=file, problem=problem))
        dupes = sorted({v for v in value if value.count(v) > 1}) if value else []
        if dupes:
            problem = f"{key!r} names {dupes} more than once; each name must be unique"
            raise DatasetError(Errors.E216.format(file=file, problem=problem))
        names[key] = value
    return names["lf"], names["lf_rec"], types


def _columns(
    file: Path, sources: Any, lf: list[str], lf_rec: list[str] | None
) -> tuple[list[int], tuple[str, ...]]:
    if isinstance(sources, str):
        if sources == "all":
            return list(range(len(lf))), tuple(lf)
        if sources != "wrench":
            raise DatasetError(Errors.E653.format(value=sources))
        if lf_rec is None:
            problem = "no 'lf_rec' list (WRENCH's subset of sources); pass sources='all'"
            raise DatasetError(Errors.E216.format(file=file, problem=problem))
        wanted = list(lf_rec)
    elif isinstance(sources, Sequence) and all(isinstance(s, str) for s in sources):
        wanted = list(sources)
    else:
        raise DatasetError(Errors.E653.format(value=sources))
    index = {name: j for j, name in enumerate(lf)}
    for name in wanted:
        if name not in index:
            raise DatasetError(Errors.E654.format(file=file, name=name, names=lf))
    return [index[name] for name in wanted], tuple(wanted)


def _parse(
    file: Path, rows: Any, space: TagSpace, n_lfs: int | None
) -> tuple[list[str], list[list[str]], list[list[str]], list[np.ndarray]]:
    if not isinstance(rows, dict):
        raise DatasetError(Errors.E204.format(file=file, kind=type(rows).__name__))
    if not rows:
        raise DatasetError(Errors.E212.format(file=file))
    ids: list[str] = []
    tokens: list[list[str]] = []
    gold: list[list[str]] = []
    weak: list[np.ndarray] = []
    tag_set = set(space.tags)
    width = n_lfs
    for row_id, row in rows.items():

        def fail(problem: str, row_id: str = row_id) -> DatasetError:
            return DatasetError(Errors.E655.format(file=file, row=row_id, problem=problem))

        if not isinstance(row, dict):
            raise fail(f"the sentence is {type(row).__name__}, not an object")
        data = row.get("data")
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, list) or not all(isinstance(t, str) for t in text):
            raise fail("no 'data' object with a 'text' list of token strings.")
        n = len(text)
        label = row.get("label")
        if not isinstance(label, list) or not all(isinstance(t, str) for t in label):
            raise fail("'label' must be a list of BIO tag strings, one per token.")
        if len(label) != n:
            raise fail(f"{len(label)} gold tags for {n} tokens.")
        for position, tag in enumerate(label):
            if tag not in tag_set:
                raise DatasetError(
                    Errors.E656.format(
                        file=file, row=row_id, token=position, tag=tag, tags=list(space.tags)
                    )
                )
        votes = row.get("weak_labels")
        if not isinstance(votes, list) or len(votes) != n:
            got = len(votes) if isinstance(votes, list) else type(votes).__name__
            raise fail(f"'weak_labels' must hold one list per token ({n}); got {got}.")
        array = _vote_array(votes)
        if array is None or (width is not None and array.shape[1] != width):
            raise fail(_vote_problem(votes, width))
        width = array.shape[1]
        ids.append(str(row_id))
        tokens.append(text)
        gold.append(label)
        weak.append(array)
    return ids, tokens, gold, _encode(file, ids, weak, space)


def _vote_array(votes: list[Any]) -> np.ndarray | None:
    """The weak labels of one sentence as a 2-D string array, or None when ragged."""
    if not votes:
        return None
    try:
        array = np.array(votes, dtype=str)
    except ValueError:
        return None
    if array.ndim != 2 or not all(isinstance(v, list) for v in votes):
        return None
    return array


def _vote_problem(votes: list[Any], width: int | None) -> str:
    """Say which token's weak labels are malformed (the slow path, on errors only)."""
    for position, token_votes in enumerate(votes):
        if not isinstance(token_votes, list) or not all(isinstance(v, str) for v in token_votes):
            return f"token {position}: weak labels must be a list of BIO tag strings."
        width = len(token_votes) if width is None else width
        if len(token_votes) != width:
            return (
                f"token {position} has {len(token_votes)} weak labels; every token needs one "
                f"per labeling function ({width})."
            )
    return "'weak_labels' must be a list of lists of BIO tag strings."


def _encode(
    file: Path, ids: list[str], weak: list[np.ndarray], space: TagSpace
) -> list[np.ndarray]:
    """String weak labels -> tag ids, in one vectorised lookup over the whole split."""
    flat = np.concatenate([w.reshape(-1) for w in weak]) if weak else np.zeros(0, dtype=str)
    # most votes are "O": compare those in one pass, look the rest up by distinct value
    codes = np.full(flat.shape, space.outside, dtype=np.int64)
    rest = np.flatnonzero(flat != "O")
    if rest.size:
        uniques, inverse = np.unique(flat[rest], return_inverse=True)
        lookup = {t: k for k, t in enumerate(space.tags)}
        table = np.array([lookup.get(str(t), -2) for t in uniques], dtype=np.int64)
        codes[rest] = table[inverse.ravel()]
    bad = np.flatnonzero(codes == -2)
    if bad.size:
        sizes = np.cumsum([w.size for w in weak])
        sentence = int(np.searchsorted(sizes, bad[0], side="right"))
        offset = int(bad[0]) - (int(sizes[sentence - 1]) if sentence else 0)
        width = weak[sentence].shape[1]
        raise DatasetError(
            Errors.E656.format(
                file=file,
                row=ids[sentence],
                token=offset // width,
                tag=str(flat[bad[0]]),
                tags=list(space.tags),
            )
        )
    out = np.split(codes, np.cumsum([w.size for w in weak])[:-1])
    return [o.reshape(w.shape) for o, w in zip(out, weak, strict=True)]


def load_wrench_seq(
    path: str | os.PathLike[str],
    split: str = "train",
    sources: str | Sequence[str] = "wrench",
) -> WrenchSeqDataset:
    """Read one split of a WRENCH sequence-tagging dataset.

    Parameters
    ----------
    path : str or path-like
        The dataset folder (holding ``meta.json`` and ``{split}.json[.gz]``).
    split : {"train", "valid", "test"}, default "train"
    sources : {"wrench", "all"} or list of str, default "wrench"
        ``"wrench"`` keeps the labeling functions WRENCH uses (``meta.json``'s
        ``lf_rec``), ``"all"`` keeps every one, a list keeps those names in that order.

    Returns
    -------
    WrenchSeqDataset
        ``tokens``, gold ``tags``, ``weak`` (one ``(n_tokens, n_sources)`` int array of
        ids into ``tag_names`` per sentence), ``tag_names``, ``entity_types``,
        ``source_names``.

    Raises
    ------
    DatasetError
        When the folder, ``meta.json`` or the split file is missing, a file is not valid
        JSON, or a sentence is malformed (tokens, tags and weak labels of different
        lengths, a tag outside ``entity_types``); the message names the file and the
        sentence id.

    Examples
    --------
    >>> data = load_wrench_seq("../shared/data/wrench/seq_tagging/bc5cdr", "test")  # doctest: +SKIP
    >>> data.tag_names, data.weak[0].shape  # doctest: +SKIP
    (('O', 'B-Chemical', 'I-Chemical', 'B-Disease', 'I-Disease'), (227, 9))
    """
    folder = Path(path)
    if split not in SPLITS:
        raise DatasetError(Errors.E201.format(split=split, options=list(SPLITS)))
    if not folder.is_dir():
        raise DatasetError(Errors.E650.format(path=folder))
    lf, lf_rec, types = _read_meta(folder)
    space = TagSpace.from_types(types)
    file = _split_file(folder, split)
    ids, tokens, gold, weak = _parse(file, _read_json(file), space, len(lf) if lf else None)
    n_lfs = weak[0].shape[1]
    if lf is None:
        lf = [f"lf_{j}" for j in range(n_lfs)]
    columns, names = _columns(folder / "meta.json", sources, lf, lf_rec)
    weak = [np.ascontiguousarray(w[:, columns]) for w in weak]
    return WrenchSeqDataset(
        tokens=tokens,
        tags=gold,
        weak=weak,
        entity_types=space.types,
        source_names=names,
        ids=ids,
        name=folder.resolve().name,
        split=split,
    )
