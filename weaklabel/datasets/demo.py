"""The demo corpus: 400 short customer reviews labeled POSITIVE or NEGATIVE.

Use this module when you want to try weaklabel end to end without downloading anything:
write keyword, regex or lexicon sources against the review texts, fit a label model,
and score its labels against the gold ``label`` column. The ``weaklabel demo`` command
runs exactly that flow on this corpus.

The corpus ships inside the package (``weaklabel/datasets/data/reviews.csv``) and is
read with :mod:`importlib.resources`, so it works from an installed wheel as well as from
a checkout. It was written for weaklabel and is dedicated to the public domain under
CC0-1.0; see ``weaklabel/datasets/data/README.md``.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["DEMO_LABELS", "load_demo_reviews"]

DEMO_LABELS: tuple[str, ...] = ("NEGATIVE", "POSITIVE")
"""Label names of the demo corpus in id order: 0 is ``NEGATIVE``, 1 is ``POSITIVE``."""

_DATA_PACKAGE = "weaklabel.datasets"
_DATA_FILE = ("data", "reviews.csv")


def load_demo_reviews() -> pd.DataFrame:
    """Load the demo corpus of 400 short customer reviews.

    Returns
    -------
    pandas.DataFrame
        One row per review, in file order, with the string columns

        - ``id``: ``"r0001"`` .. ``"r0400"``, unique;
        - ``text``: the review, one or two sentences;
        - ``label``: the gold label, ``"POSITIVE"`` or ``"NEGATIVE"`` (see
          :data:`DEMO_LABELS` for the ids).

        The two classes are balanced (200 reviews each).

    Notes
    -----
    The file is read with :mod:`importlib.resources`, so this works from an installed
    wheel or zip as well as from a source checkout. The texts were written for weaklabel
    and are dedicated to the public domain (CC0-1.0).

    Examples
    --------
    >>> from weaklabel.datasets.demo import DEMO_LABELS, load_demo_reviews
    >>> df = load_demo_reviews()
    >>> df.shape
    (400, 3)
    >>> sorted(df["label"].unique()) == sorted(DEMO_LABELS)
    True
    """
    resource = resources.files(_DATA_PACKAGE).joinpath(*_DATA_FILE)
    with resource.open("rb") as handle:
        frame = pd.read_csv(handle, encoding="utf-8", dtype=str, keep_default_na=False)
    return frame[["id", "text", "label"]]
