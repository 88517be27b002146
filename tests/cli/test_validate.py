"""``weaklabel validate FILE``: exit 0 (fit), 1 (``line N:`` problems), 2 (unreadable file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import weaklabel.cli as cli
from weaklabel.cli import _validate


@pytest.fixture(autouse=True)
def _with_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure the command is registered (helper E lists it in ``_commands``)."""
    commands = cli._commands()
    if _validate not in commands:
        monkeypatch.setattr(cli, "_commands", lambda: [*commands, _validate])


def _example(i: int, assistant: str = "HAM") -> str:
    return json.dumps(
        {
            "messages": [
                {"role": "user", "content": f"comment {i}"},
                {"role": "assistant", "content": assistant},
            ]
        }
    )


def test_cli_validate_good_file_exit_0_with_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "good.jsonl"
    path.write_text("".join(_example(i) + "\n" for i in range(10)), encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "fit for fine-tuning; 10 chat examples in 10 lines" in out
    assert "min" in out and "p95" in out and "max" in out


def test_cli_validate_bad_file_exit_1_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [_example(i) for i in range(10)]
    lines[2] = "{oops"
    lines[4] = _example(4, assistant="")
    lines[7] = json.dumps({"messages": [{"role": "user", "content": "x"}]})
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 1
    captured = capsys.readouterr()
    problems = captured.out.splitlines()
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 5", "line 8", "line 10"]
    assert "not valid JSON" in problems[0]
    assert "empty content" in problems[1]
    assert "no assistant message" in problems[2]
    assert "7 valid examples" in problems[3]
    assert "3 problem(s)" not in captured.err and "4 problem(s)" in captured.err


def test_cli_validate_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "few.jsonl"
    path.write_text("".join(_example(i) + "\n" for i in range(3)), encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 1
    assert cli.main(["validate", str(path), "--min-examples", "3"]) == 0
    assert cli.main(["validate", str(path), "--min-examples", "3", "--max-tokens", "2"]) == 1
    assert "over the limit of 2" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_cli_validate_unreadable_file_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "nope.jsonl"
    if kind == "folder":
        path.mkdir()
    assert cli.main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("weaklabel: [E865]") and "nope.jsonl cannot be read" in err
    assert "Traceback" not in err
