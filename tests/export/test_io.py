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


def test_io_atomic_folder_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    from weaklabel.export._io import atomic_folder

    target = tmp_path / "out"
    with pytest.raises(RuntimeError), atomic_folder(target) as tmp:
        (tmp / "a.txt").write_text("half")
        raise RuntimeError("the writer failed")
    assert list(tmp_path.iterdir()) == []
    with atomic_folder(target) as tmp:
        (tmp / "a.txt").write_text("one")
    assert (target / "a.txt").read_text() == "one" and oct(target.stat().st_mode)[-3:] == "755"
    with pytest.raises(FileExistsError, match=r"\[E867\]"), atomic_folder(target):
        pass
    with atomic_folder(target, overwrite=True) as tmp:
        (tmp / "b.txt").write_text("two")
    assert [p.name for p in target.iterdir()] == ["b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_io_atomic_file_and_write_text(tmp_path: Path) -> None:
    from weaklabel.export._io import atomic_file, write_text

    target = tmp_path / "x.bin"
    with pytest.raises(ValueError), atomic_file(target) as tmp:
        tmp.write_bytes(b"half")
        raise ValueError("boom")
    assert list(tmp_path.iterdir()) == []
    with atomic_file(target) as tmp:
        tmp.write_bytes(b"whole")
    assert target.read_bytes() == b"whole"
    with pytest.raises(FileExistsError, match=r"\[E867\]"):
        write_text(target, "again")
    write_text(target, "again\n", overwrite=True)
    assert target.read_text() == "again\n"
