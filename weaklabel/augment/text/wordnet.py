"""Finding and loading WordNet for synonym augmentation, wherever a user has it.

Use :func:`load_wordnet` to get an nltk ``WordNetCorpusReader``. It looks, in order, in

1. ``$WEAKLABEL_WORDNET`` (a folder with the WordNet 3.0 database files);
2. nltk's data path (after ``nltk.download("wordnet")``);
3. Debian/Ubuntu's ``wordnet-base`` package (``/usr/share/wordnet``).

nltk reads corpora only from inside its data path (it refuses other folders, and
symlinks that leave it) and needs a ``lexnames`` file that Debian does not ship, so for
the last two cases the database is copied once into a cache folder
(``$WEAKLABEL_CACHE`` or ``~/.cache/weaklabel``) with the standard 45-line ``lexnames``
table written beside it. Debian also lacks ``index.sense``, which nltk reads only to map
between WordNet versions; the reader used here skips that mapping for a 3.0 database,
which also makes loading several times faster.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from weaklabel.errors import WordNetNotFoundError

DEBIAN_WORDNET = Path("/usr/share/wordnet")

# lexnames(5WN): file number, lexicographer file, syntactic category (1 n, 2 v, 3 adj, 4 adv)
LEXNAMES: list[str] = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food "
    "noun.group noun.location noun.motive noun.object noun.person noun.phenomenon "
    "noun.plant noun.possession noun.process noun.quantity noun.relation noun.shape "
    "noun.state noun.substance noun.time verb.body verb.change verb.cognition "
    "verb.communication verb.competition verb.consumption verb.contact verb.creation "
    "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative "
    "verb.weather adj.ppl"
).split()
_CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}
_REQUIRED = ("data.noun", "data.verb", "data.adj", "data.adv", "index.noun", "index.verb")

INSTALL_HELP = (
    "WordNet was not found. Install it one of these ways, then retry:\n"
    "  - Debian/Ubuntu: sudo apt-get install wordnet-base   (files in /usr/share/wordnet)\n"
    "  - nltk: python -c \"import nltk; nltk.download('wordnet')\"   (needs internet)\n"
    "  - any WordNet 3.0 database folder: export WEAKLABEL_WORDNET=/path/to/dict"
)


def lexnames_text() -> str:
    """The ``lexnames`` file nltk needs: 45 lines ``NN<TAB>name<TAB>category``."""
    return "".join(
        f"{i:02d}\t{name}\t{_CATEGORY[name.split('.')[0]]}\n" for i, name in enumerate(LEXNAMES)
    )


def cache_root() -> Path:
    """Folder weaklabel caches prepared data in (``$WEAKLABEL_CACHE`` or ``~/.cache``)."""
    env = os.environ.get("WEAKLABEL_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "weaklabel"


def _is_database(folder: Path) -> bool:
    return folder.is_dir() and all((folder / name).is_file() for name in _REQUIRED)


def prepare_nltk_folder(source: Path, data_root: Path) -> Path:
    """Copy a WordNet database into ``<data_root>/corpora/wordnet`` with a ``lexnames`` file.

    Done once: an existing complete copy is reused. Files are written to a temporary
    folder and moved into place, so an interrupted copy never looks complete.

    Returns
    -------
    Path
        ``data_root``, the folder to put on nltk's data path.
    """
    target = data_root / "corpora" / "wordnet"
    if _is_database(target) and (target / "lexnames").is_file():
        return data_root
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".wordnet-"))
    try:
        for item in source.iterdir():
            if item.is_file():
                shutil.copyfile(item, staging / item.name)
        if not (staging / "lexnames").is_file():
            (staging / "lexnames").write_text(lexnames_text(), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return data_root


def _reader_class() -> type:
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class WordNet30Reader(WordNetCorpusReader):
        """nltk's reader without the version map (which needs index.sense)."""

        def map_wn(self, version: str = "wordnet") -> Any:
            if self.get_version() in ("3.0", version):
                return None
            return super().map_wn(version)

    return WordNet30Reader


def find_wordnet() -> Path:
    """The nltk data root holding ``corpora/wordnet``, preparing a cache copy if needed.

    Raises
    ------
    WordNetNotFoundError
        With installation instructions, when no WordNet is found.
    """
    try:
        import nltk
    except ImportError:
        raise WordNetNotFoundError(
            'Synonym augmentation needs nltk: pip install "weaklabel[augment]".'
        ) from None
    env = os.environ.get("WEAKLABEL_WORDNET")
    candidates: list[Path] = [Path(env)] if env else []
    for root in map(Path, nltk.data.path):
        folder = root / "corpora" / "wordnet"
        if _is_database(folder) and (folder / "lexnames").is_file():
            return root
        candidates.append(folder)
    candidates.append(DEBIAN_WORDNET)
    for folder in candidates:
        if _is_database(folder):
            return prepare_nltk_folder(folder, cache_root() / "nltk_data")
    raise WordNetNotFoundError(INSTALL_HELP)


@lru_cache(maxsize=1)
def load_wordnet() -> Any:
    """nltk's WordNet reader over the database :func:`find_wordnet` finds (cached)."""
    import nltk

    root = find_wordnet()
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The multilingual functions")
        return _reader_class()(str(root / "corpora" / "wordnet"), None)
