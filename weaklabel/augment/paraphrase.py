"""Old import path of :mod:`weaklabel.augment.generate.paraphrase`.

Kept for one release, with a ``DeprecationWarning``; removed in weaklabel 0.3.
"""

from weaklabel._deprecated import moved_module

__getattr__ = moved_module(__name__, "weaklabel.augment.generate.paraphrase")
