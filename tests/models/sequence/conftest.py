"""Toy corpora for the sequence model tests: a true BIO tagging and noisy sources."""

from __future__ import annotations

import numpy as np
import pytest

from weaklabel.tags import TagSpace

TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")


def make_corpus(
    seed: int = 0, n_sentences: int = 60, n_sources: int = 4
) -> tuple[list[np.ndarray], list[list[str]]]:
    """Weak labels (valid BIO per source, some abstains) and the gold tags they are noisy of."""
    rng = np.random.default_rng(seed)
    space = TagSpace(TAGS)
    weak: list[np.ndarray] = []
    gold: list[list[str]] = []
    recall = np.linspace(0.8, 0.4, n_sources)
    for _ in range(n_sentences):
        length = int(rng.integers(3, 15))
        truth = np.zeros(length, dtype=np.int64)
        spans = []
        i = 0
        while i < length:
            if rng.random() < 0.2:
                t = int(rng.integers(2))
                n = min(int(rng.integers(1, 4)), length - i)
                truth[i] = space.begin_id[t]
                truth[i + 1 : i + n] = space.inside_id[t]
                spans.append((i, i + n, t))
                i += n + 1
            else:
                i += 1
        votes = np.zeros((length, n_sources), dtype=np.int64)
        for j in range(n_sources):
            for a, b, t in spans:
                if rng.random() < recall[j]:
                    t = t if rng.random() < 0.9 else 1 - t
                    votes[a, j] = space.begin_id[t]
                    votes[a + 1 : b, j] = space.inside_id[t]
            spurious = rng.random(length) < 0.03
            votes[spurious & (votes[:, j] == 0), j] = space.begin_id[0]
        if n_sources > 2 and rng.random() < 0.2:
            votes[:, -1] = -1  # the last source did not run on this sentence
        weak.append(votes)
        gold.append(list(space.names(truth, np.array([length]))[0]))
    return weak, gold


@pytest.fixture(scope="session")
def corpus() -> tuple[list[np.ndarray], list[list[str]]]:
    return make_corpus()


def is_valid_bio(tags: list[str]) -> bool:
    """No ``I-X`` after ``O``, after ``B-Y``/``I-Y``, or first."""
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            return False
        previous = tag
    return True
