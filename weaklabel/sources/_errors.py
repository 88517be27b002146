"""Error messages of the sources stage (codes E520-E529): gazetteers.

Use this catalogue when raising from ``weaklabel.sources``. It extends the core catalogue
(:class:`weaklabel.errors.Errors`), which holds the messages of labeling functions and span
sources themselves (E030-E043, E500-E506), so every source module raises through this one
class. Every message names the source, the file and line or the record, and says how to fix
the problem.
"""

from __future__ import annotations

from weaklabel.errors import Errors as CoreErrors

__all__ = ["Errors"]


class Errors(CoreErrors):
    """The catalogue of source messages (format them with ``.format(**fields)``)."""

    # --- gazetteers --------------------------------------------------------------------------
    E520 = "No gazetteer file at {path}. Check the path (JSONL or TSV, see gazetteers/README.md)."
    E522 = (
        "Unknown built-in gazetteer {name!r}; the package ships {names}. Load your own list "
        "with Gazetteer.from_file(path)."
    )
    E523 = "Gazetteer record {index}: {problem}"
    E524 = (
        "Cannot tell the format of {path}: name it *.jsonl (one JSON object per line) or "
        "*.tsv (entry<TAB>label[<TAB>alias|alias...]), or pass format='jsonl'/'tsv'."
    )
    E525 = (
        "The built-in gazetteer files are missing: looked in {places}. Reinstall weaklabel, "
        "or in a checkout run `python gazetteers/build.py`."
    )
