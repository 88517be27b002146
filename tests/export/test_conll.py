"""CoNLL BIO export of character spans, through weaklabel.datasets.conll."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from weaklabel.errors import ExportError
from weaklabel.export import read_conll_bio, write_conll_bio


def test_conll_file_layout_and_reader(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "text": ["EU rejects German call", "Müller (Berlin) wins"],
            "spans": [[(0, 2, "ORG"), (11, 17, "MISC", 0.4)], [(0, 6, "PER"), (8, 14, "LOC")]],
        }
    )
    path = write_conll_bio(frame, tmp_path / "weak.conll")
    assert path.read_text(encoding="utf-8") == (
        "-DOCSTART- O\n\nEU B-ORG\nrejects O\nGerman B-MISC\ncall O\n\n"
        "-DOCSTART- O\n\nMüller B-PER\n( O\nBerlin B-LOC\n) O\nwins O\n\n"
    )
    back = read_conll_bio(path)
    assert back["text"].tolist() == ["EU rejects German call", "Müller ( Berlin ) wins"]
    assert back["spans"].tolist() == [
        [(0, 2, "ORG"), (11, 17, "MISC")],
        [(0, 6, "PER"), (9, 15, "LOC")],
    ]
    iobes = write_conll_bio(frame.iloc[:1], tmp_path / "w.iob", scheme="iobes")
    assert "EU S-ORG" in iobes.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "spans", "code"),
    [
        ("New York City", [(0, 8, "LOC"), (4, 13, "LOC")], "E862"),
        ("New York City", [(0, 4, "LOC")], "E863"),
        ("New York City", [(0, 8, "NEW PLACE")], "E852"),
        ("-DOCSTART- is a marker", [], "E851"),
    ],
)
def test_conll_refuses_what_it_cannot_hold(
    tmp_path: Path, text: str, spans: list[tuple[int, int, str]], code: str
) -> None:
    frame = pd.DataFrame({"text": [text], "spans": [spans]})
    with pytest.raises(ExportError, match=rf"\[{code}\] write_conll_bio: row 0"):
        write_conll_bio(frame, tmp_path / "x.conll")
    assert not (tmp_path / "x.conll").exists()


def test_conll_reads_conll2003_sentences(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n"
        "Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n",
        encoding="utf-8",
    )
    docs = read_conll_bio(path)
    assert docs["text"].tolist() == ["EU rejects Peter Blackburn"]
    assert docs["spans"].tolist() == [[(0, 2, "ORG"), (11, 26, "PER")]]
    sentences = read_conll_bio(path, unit="sentence")
    assert sentences["spans"].tolist() == [[(0, 2, "ORG")], [(0, 15, "PER")]]
    with pytest.raises(ExportError, match=r"\[E865\]|\[E860\]"):
        read_conll_bio(tmp_path / "missing.conll")
