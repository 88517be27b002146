"""The label space: ``ABSTAIN``, label names and ids, and the conversion between them.

Use this module when you need to turn label names ("SPAM") into the integer ids that
label matrices and label models work with, and back. Every matrix, source and model in
weaklabel uses the same convention as Snorkel: classes are ``0 .. k-1`` and ``-1``
means the source abstained.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from weaklabel.errors import Errors, LabelSpaceError

ABSTAIN: int = -1
"""The label a source returns when it has no opinion (``-1``, as in Snorkel and WRENCH)."""


@dataclass(frozen=True)
class LabelSpace:
    """An ordered set of class names; the position of a name is its id.

    Parameters
    ----------
    names : sequence of str
        Class names in id order: ``names[i]`` is the name of class ``i``.

    Examples
    --------
    >>> space = LabelSpace(("HAM", "SPAM"))
    >>> space.to_id("SPAM"), space.to_name(0), space.cardinality
    (1, 'HAM', 2)
    """

    names: tuple[str, ...]

    def __post_init__(self) -> None:
        names = tuple(str(n) for n in self.names)
        if len(names) < 2:
            raise LabelSpaceError(Errors.E010.format(names=list(names)))
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            raise LabelSpaceError(Errors.E011.format(what="Class names", dupes=dupes))
        object.__setattr__(self, "names", names)

    @classmethod
    def from_any(cls, labels: LabelSpace | Sequence[str] | Mapping[int | str, str]) -> LabelSpace:
        """Build a label space from names, a ``{id: name}`` mapping or another space.

        Parameters
        ----------
        labels : LabelSpace, sequence of str, or mapping of id to name
            A mapping's keys must be exactly ``0 .. k-1`` (as ints or digit strings,
            the way WRENCH's ``label.json`` stores them).
        """
        if isinstance(labels, LabelSpace):
            return labels
        if isinstance(labels, Mapping):
            try:
                by_id = {int(k): str(v) for k, v in labels.items()}
            except (TypeError, ValueError) as exc:
                raise LabelSpaceError(Errors.E012.format(keys=list(labels))) from exc
            if sorted(by_id) != list(range(len(by_id))):
                raise LabelSpaceError(Errors.E012.format(keys=list(labels)))
            return cls(tuple(by_id[i] for i in range(len(by_id))))
        return cls(tuple(labels))

    @property
    def cardinality(self) -> int:
        """Number of classes ``k``."""
        return len(self.names)

    def to_id(self, label: int | str) -> int:
        """Return the id of a class given by name or id; ``ABSTAIN`` passes through."""
        if isinstance(label, str):
            try:
                return self.names.index(label)
            except ValueError:
                raise LabelSpaceError(
                    Errors.E013.format(label=label, names=list(self.names))
                ) from None
        value = int(label)
        if value != ABSTAIN and not 0 <= value < self.cardinality:
            raise LabelSpaceError(Errors.E014.format(label=value, k=self.cardinality))
        return value

    def to_name(self, label_id: int) -> str | None:
        """Return the name of class ``label_id``, or ``None`` for ``ABSTAIN``."""
        if label_id == ABSTAIN:
            return None
        return self.names[self.to_id(label_id)]

    def ids(self, labels: Iterable[int | str]) -> list[int]:
        """Convert many labels (names or ids) to ids."""
        return [self.to_id(label) for label in labels]

    def __len__(self) -> int:
        return self.cardinality

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.names)
