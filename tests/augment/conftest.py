"""Shared fixtures for augmentation tests: WordNet (Debian's), hand-tagged sentences."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.augment.tagged import PROPER, TAGGED, detag
from weaklabel.augment.text import wordnet

__all__ = ["PROPER", "TAGGED", "detag", "needs_apertium", "needs_wordnet"]

HAVE_WORDNET = (wordnet.DEBIAN_WORDNET / "data.noun").is_file() or bool(
    os.environ.get("WEAKLABEL_WORDNET")
)
HAVE_APERTIUM = shutil.which("apertium") is not None
IN_CI = bool(os.environ.get("CI"))

needs_wordnet = pytest.mark.skipif(
    not HAVE_WORDNET and not IN_CI,
    reason="WordNet is not installed (apt-get install wordnet-base)",
)
needs_apertium = pytest.mark.skipif(
    not HAVE_APERTIUM and not IN_CI,
    reason="Apertium is not installed (apt-get install apertium apertium-eng-spa)",
)


@pytest.fixture(scope="session")
def wn() -> Any:
    if not HAVE_WORDNET and not IN_CI:
        pytest.skip("WordNet is not installed (apt-get install wordnet-base)")
    return wordnet.load_wordnet()


HAVE_TRANSFORMERS = all(
    importlib.util.find_spec(module) is not None for module in ("torch", "transformers")
)


@pytest.fixture(scope="session")
def tiny_seq2seq(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with a tiny random seq2seq model and tokenizer (see tiny_models.py)."""
    if not HAVE_TRANSFORMERS and not IN_CI:
        pytest.skip('torch/transformers are not installed (pip install "weaklabel[transformers]")')
    from tests.augment.tiny_models import save_tiny_seq2seq

    return save_tiny_seq2seq(tmp_path_factory.mktemp("tiny_seq2seq"))
