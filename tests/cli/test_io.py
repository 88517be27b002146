"""Tables read by the command line: every malformed file is a numbered error naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weaklabel.cli._io import check_output, check_output_folder, read_table
from weaklabel.errors import WeaklabelError


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "code", "says"),
    [
        ("missing.csv", None, "[E405]", "no such file"),
        ("empty.csv", "", "[E407]", "the file is empty"),
        ("blank.csv", "\n\n  \n", "[E407]", "the file is empty"),
        ("header.csv", "id,text\n", "[E407]", "only the columns ['id', 'text']"),
        ("ragged.csv", "id,text\n1,a,extra\n2,b\n", "[E406]", "line 2 has 3 fields"),
        ("short.csv", "id,text\n1,a\n2\n", "[E406]", "line 3 has 1 fields"),
        ("repeated.csv", "text,text\n1,2\n", "[E406]", "repeats the column names ['text']"),
        ("latin1.csv", "id,text\n1,café\n".encode("latin-1"), "[E406]", "not UTF-8"),
        ("ragged.tsv", "id\ttext\n1\ta\tb\n", "[E406]", "as TSV"),
        ("broken.jsonl", '{"text": "a"}\n{"text": \n', "[E406]", "line 2 is not valid JSON"),
        ("array.jsonl", '{"text": "a"}\n[1, 2]\n', "[E408]", "Line 2"),
        ("string.jsonl", '"just text"\n', "[E408]", "a JSON str"),
        ("whole.jsonl", '[{"text": "a"}]\n', "[E408]", "a JSON list"),
        ("empty.jsonl", "\n", "[E407]", "has no rows"),
        ("latin1.jsonl", '{"text": "café"}\n'.encode("latin-1"), "[E406]", "not UTF-8"),
        ("garbage.parquet", b"not parquet at all", "[E406]", "as Parquet"),
        ("empty.parquet", b"", "[E406]", "as Parquet"),
        ("table.xlsx", "id,text\n1,a\n", "[E400]", ".parquet files"),
    ],
)
def test_io_read_table_names_the_file_and_the_problem(
    tmp_path: Path, name: str, content: str | bytes | None, code: str, says: str
) -> None:
    path = tmp_path / name
    if content is not None:
        _write(path, content)
    with pytest.raises(WeaklabelError) as info:
        read_table(str(path))
    message = str(info.value)
    assert message.startswith(code), message
    assert says in message and name in message


def test_io_read_table_refuses_a_folder(tmp_path: Path) -> None:
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(WeaklabelError, match=r"\[E405\].*a folder"):
        read_table(str(tmp_path / "folder.csv"))


def test_io_read_table_reads_every_format_alike(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "text": ["x, with a comma", 'y "quoted"\nnewline']})
    frame.to_csv(tmp_path / "t.csv", index=False)
    frame.to_csv(tmp_path / "t.tsv", index=False, sep="\t")
    frame.to_json(tmp_path / "t.jsonl", orient="records", lines=True)
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    for name in ("t.csv", "t.tsv", "t.jsonl", "t.parquet"):
        pd.testing.assert_frame_equal(read_table(str(tmp_path / name)), frame)


def test_io_read_table_skips_blank_lines_and_keeps_long_fields(tmp_path: Path) -> None:
    long = "word " * 60_000  # past the csv module's default field limit
    path = _write(tmp_path / "t.csv", f'id,text\n\n1,"{long}"\n\n2,b\n')
    frame = read_table(str(path))
    assert frame["id"].tolist() == [1, 2] and frame["text"].iloc[0] == long
    jsonl = _write(tmp_path / "t.jsonl", '\n{"a": 1}\n\n{"a": 2, "b": "x"}\n')
    frame = read_table(str(jsonl))
    assert frame["a"].tolist() == [1, 2] and frame["b"].isna().tolist() == [True, False]


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    content=st.binary(max_size=200) | st.text(max_size=200).map(str.encode),
    suffix=st.sampled_from([".csv", ".tsv", ".jsonl", ".parquet"]),
)
def test_io_read_table_fuzz_returns_rows_or_a_numbered_error(
    tmp_path: Path, content: bytes, suffix: str
) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    try:
        frame = read_table(str(path))
    except WeaklabelError as exc:
        assert str(exc).startswith("[E4") and str(path) in str(exc)
    else:
        assert len(frame) >= 1


def test_io_check_output_refuses_an_unwritable_folder() -> None:
    with pytest.raises(WeaklabelError, match=r"\[E404\].*not writable"):
        check_output("/proc/out.csv", inputs=[], force=False, suffixes=(".csv",))


def test_io_check_output_folder(tmp_path: Path, labelled_csv: Path) -> None:
    with pytest.raises(WeaklabelError, match=r"\[E404\].*the path is empty"):
        check_output_folder("", names=["a.csv"], force=False)  # not the current folder
    created = check_output_folder(str(tmp_path / "new" / "deep"), names=["a.csv"], force=False)
    assert created.is_dir() and list(created.iterdir()) == []
    with pytest.raises(WeaklabelError, match=r"\[E411\].*the demo writes"):
        check_output_folder(str(labelled_csv), names=["a.csv"], force=False, what="the demo")
    with pytest.raises(WeaklabelError, match=r"\[E404\].*is a file, not a folder"):
        check_output_folder(str(labelled_csv / "sub"), names=["a.csv"], force=False)
    with pytest.raises(WeaklabelError, match=r"\[E401\]"):
        check_output_folder(
            str(tmp_path), names=["labelled.csv"], inputs=[str(labelled_csv)], force=True
        )
    (created / "a.csv").write_text("keep", encoding="utf-8")
    with pytest.raises(WeaklabelError, match=r"\[E412\].*already holds a\.csv"):
        check_output_folder(str(created), names=["a.csv", "b.csv"], force=False)
    assert check_output_folder(str(created), names=["a.csv"], force=True) == created
    assert (created / "a.csv").read_text("utf-8") == "keep"  # checked, not touched
    assert json.dumps([p.name for p in created.iterdir()]) == '["a.csv"]'  # no probe left


def test_io_read_table_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    csv = _write(tmp_path / "excel.csv", "\ufeffid,text\n1,a\n")
    jsonl = _write(tmp_path / "bom.jsonl", '\ufeff{"id": 1, "text": "a"}\n')
    for path in (csv, jsonl):
        assert list(read_table(str(path)).columns) == ["id", "text"]


def test_io_written_files_get_the_usual_mode_not_the_temporary_one(tmp_path: Path) -> None:
    import os
    import stat

    from weaklabel.cli._io import write_text_atomically

    umask = os.umask(0o022)
    try:
        target = tmp_path / "new.txt"
        write_text_atomically(target, "x")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        target.chmod(0o640)
        write_text_atomically(target, "y")  # a replaced file keeps its mode
        assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "y"
    finally:
        os.umask(umask)
