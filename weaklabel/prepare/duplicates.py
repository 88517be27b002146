"""Duplicate removal: drop repeated texts and near-copies, keeping the first of each.

Use :class:`ExactDuplicates` for texts that repeat up to whitespace and case (a comment
posted twice), and :class:`NearDuplicates` for near-copies (the same spam with another
link). Each dropped row's reason names the id of the row it copies, so you can look at
both. Near-duplicates are found with the MinHash and LSH code of
:func:`weaklabel.augment.filters.duplicates.near_duplicate_pairs` (character shingles,
estimated Jaccard similarity), the same code that filters augmented rows, so the two
stages agree on what a near-copy is.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from weaklabel.prepare.base import Step, StepResult
from weaklabel.prepare.steps import check_name, invalid

__all__ = ["ExactDuplicates", "NearDuplicates"]

_SPACES = re.compile(r"\s+")


class ExactDuplicates(Step):
    """Drop texts equal to an earlier one (after collapsing whitespace; by default, case too).

    Parameters
    ----------
    casefold : bool, default True
        Compare texts case-insensitively.
    name : str, optional
        The step's name in reports; ``"exact_duplicates"`` by default.
    """

    name = "exact_duplicates"

    def __init__(self, *, casefold: bool = True, name: str | None = None) -> None:
        if not isinstance(casefold, bool):
            raise invalid("ExactDuplicates", "casefold", "True or False", casefold)
        self.casefold = casefold
        self.name = check_name("ExactDuplicates", name) or type(self).name

    def run(self, texts: pd.Series, ids: pd.Series) -> StepResult:
        """Drop every repeat, naming the id of the first occurrence; see :meth:`Step.run`."""
        keys = texts.str.replace(_SPACES, " ", regex=True).str.strip()
        if self.casefold:
            keys = keys.str.casefold()
        repeat = keys.duplicated(keep="first").to_numpy(dtype=bool)
        if not repeat.any():
            return StepResult(texts)
        first_id = pd.Series(ids.to_numpy(), index=keys.to_numpy()).groupby(level=0).first()
        firsts = first_id.reindex(keys[repeat].to_numpy()).to_numpy()
        reasons = pd.Series(
            [f"exact duplicate of id {i}" for i in firsts], index=texts.index[repeat], dtype=object
        )
        return StepResult(texts, reasons)


class NearDuplicates(Step):
    """Drop texts that are near-copies of an earlier kept text (MinHash, Jaccard).

    Scanning in order, a text is dropped when its estimated Jaccard similarity (over
    character ``ngram`` shingles, lower-cased, whitespace collapsed) to an earlier text
    that is still kept reaches ``threshold`` -- the rule of
    :class:`~weaklabel.augment.filters.NearDuplicateFilter`.

    Parameters
    ----------
    threshold : float, default 0.9
        Minimum estimated Jaccard similarity, in (0, 1].
    num_perm : int, default 64
        MinHash permutations.
    ngram : int, default 5
        Shingle length in characters.
    seed : int, default 0
        Seed of the hash permutations.
    name : str, optional
        The step's name in reports; ``"near_duplicates"`` by default.
    """

    name = "near_duplicates"

    def __init__(
        self,
        *,
        threshold: float = 0.9,
        num_perm: int = 64,
        ngram: int = 5,
        seed: int = 0,
        name: str | None = None,
    ) -> None:
        from weaklabel.augment.filters.duplicates import _check_params

        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            raise invalid("NearDuplicates", "threshold", "a number in (0, 1]", threshold)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise invalid("NearDuplicates", "seed", "a non-negative integer", seed)
        # the same checks as NearDuplicateFilter's (threshold in (0, 1], positive ints)
        _check_params("NearDuplicates", float(threshold), num_perm, ngram)
        self.threshold = float(threshold)
        self.num_perm = num_perm
        self.ngram = ngram
        self.seed = seed
        self.name = check_name("NearDuplicates", name) or type(self).name

    def run(self, texts: pd.Series, ids: pd.Series) -> StepResult:
        """Drop the near-copies, naming the kept text each copies; see :meth:`Step.run`."""
        from weaklabel.augment.filters.duplicates import near_duplicate_pairs

        pairs = near_duplicate_pairs(
            texts.tolist(),
            threshold=self.threshold,
            num_perm=self.num_perm,
            ngram=self.ngram,
            seed=self.seed,
        ).sort_values(["right_index", "left_index"], kind="stable")  # by the later text
        if pairs.empty:
            return StepResult(texts)
        left = pairs["left_index"].to_numpy()
        right = pairs["right_index"].to_numpy()
        sim = pairs["similarity"].to_numpy()
        keep = np.ones(len(texts), dtype=bool)
        copies: dict[int, tuple[int, float]] = {}
        for i, j, s in zip(left, right, sim, strict=True):
            if keep[i] and keep[j]:
                keep[j] = False
                copies[int(j)] = (int(i), float(s))
        dropped = sorted(copies)
        id_values = ids.to_numpy()
        reasons = pd.Series(
            [
                f"near duplicate of id {id_values[copies[j][0]]} (Jaccard {copies[j][1]:.2f})"
                for j in dropped
            ],
            index=texts.index[dropped],
            dtype=object,
        )
        return StepResult(texts, reasons)
