"""The numbered messages (E700-E799) that augmentation raises.

Formatted like every other weaklabel message (``[E701] ...``) through
:class:`weaklabel.errors.ErrorCatalogue`, so users can grep for the code.
"""

from __future__ import annotations

from weaklabel.errors import ErrorCatalogue, WeaklabelError


class AugmentError(WeaklabelError, ValueError):
    """An augmenter got an invalid argument or input table."""


class TranslatorError(WeaklabelError, RuntimeError):
    """A translator is missing, misconfigured, or failed on a batch."""


class Errors(metaclass=ErrorCatalogue):
    """The catalogue of augmentation messages (format them with ``.format(**fields)``)."""

    E700 = "n must be a positive integer; got {n!r}."
    E701 = "{name}: {param} must be {expected}; got {value!r}."
    E702 = (
        "Cannot augment {kind}. Pass a pandas DataFrame, a list of dicts (records) or a "
        "list of strings."
    )
    E703 = (
        "The examples have no column {column!r}; their columns are {columns}. Pass "
        "text_column=... (or id_column=...)."
    )
    E710 = (
        "The `apertium` command was not found. Install Apertium and the language pair, "
        "then retry:\n  sudo apt-get install apertium apertium-{pair}"
    )
    E711 = (
        "Apertium has no language pair {pair!r} (installed: {installed}). Install it:\n"
        "  sudo apt-get install apertium apertium-{package}"
    )
    E712 = "Apertium {pair} failed with exit code {code}: {stderr}"
    E713 = (
        "Translator {name!r} returned {got} texts for a batch of {expected}; a translator "
        "must return one translation per input text, in order."
    )
    E714 = "BackTranslation needs at least one pivot; got {pivots!r}."
