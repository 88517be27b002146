"""Old home of ``LabelStats``, kept for one release: import it from :mod:`weaklabel.stats`.

``LabelStats`` summarises a label matrix (its distinct vote patterns with their counts), so
it lives at the matrix layer now, next to :mod:`weaklabel.matrix`, with the vote-pattern
arithmetic the label models and the analysis share. ``weaklabel.LabelStats`` and
``weaklabel.models.LabelStats`` point there too.
"""

from __future__ import annotations

from weaklabel._deprecated import moved_names

__getattr__ = moved_names(__name__, {"LabelStats": "weaklabel.stats"})
