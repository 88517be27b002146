"""The contract of a preparation step: texts in, repaired texts and drop reasons out.

Use it to write your own step. A step sees the texts still kept (a pandas Series whose
index is the row position in the prepared table) and their ids, and returns a
:class:`StepResult`: the texts after the step (a repair step changes them, a filter leaves
them as they are) and, for the rows it drops, a reason each -- written to the ``dropped``
table of :func:`weaklabel.prepare.prepare`, so nothing leaves the corpus unexplained.

Example: a step that drops texts mentioning a banned word::

    class DropBanned(Step):
        name = "banned"

        def run(self, texts, ids):
            hit = texts.str.contains("lorem", case=False)
            return StepResult(texts, pd.Series("mentions 'lorem'", index=texts.index[hit]))
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Step", "StepResult"]


@dataclass
class StepResult:
    """What one step did to the texts it was given.

    Parameters
    ----------
    texts : pandas.Series of shape (n,)
        The texts after the step, with the same index as the input (a filter returns its
        input unchanged).
    reasons : pandas.Series of shape (n_dropped,), optional
        One reason (str) per dropped row, indexed like ``texts``; ``None`` (an empty
        Series) when nothing is dropped.
    details : dict, optional
        Anything else the step measured (the language filter counts languages).
    """

    texts: pd.Series
    reasons: pd.Series = None  # type: ignore[assignment]  # None: nothing dropped
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.reasons is None:
            import pandas as pd

            self.reasons = pd.Series([], dtype=object)


class Step(ABC):
    """A preparation step: repairs texts, or drops rows with a reason each.

    Subclasses set :attr:`name` (the step's name in the report and in the ``dropped``
    table; override it per instance with ``name=``) and implement :meth:`run`.
    """

    name: str = "step"

    @abstractmethod
    def run(self, texts: pd.Series, ids: pd.Series) -> StepResult:
        """Apply the step.

        Parameters
        ----------
        texts : pandas.Series of shape (n,), dtype str
            The texts still kept, never missing.
        ids : pandas.Series of shape (n,)
            Their ids (same index), for reasons that point at another row.

        Returns
        -------
        StepResult
        """

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({params})"
