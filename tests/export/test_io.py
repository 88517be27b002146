"""Atomic, no-clobber JSON writes and checked JSON reads of the export stage."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from weaklabel.export import ExportError
from weaklabel.export._io import load_json, write_json


def test_io_write_json_refuses_nan_and_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        write_json(tmp_path / "x.json", [float("nan")])
    assert list(tmp_path.iterdir()) == []


def test_io_write_json_never_replaces_a_file_that_appears_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.json"
    real_link = os.link

    def racing_link(src: str, dst: os.PathLike[str]) -> None:
        Path(dst).write_text("theirs")  # another writer wins the race
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(FileExistsError, match=r"\[E671\]"):
        write_json(target, {"a": 1})
    assert target.read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_io_load_json_names_the_file_of_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('[{"data": ', encoding="utf-8")
    with pytest.raises(ExportError, match=r"\[E670\] .*export.json is not valid JSON"):
        load_json(path)
    assert load_json([1]) == ([1], "the export")
