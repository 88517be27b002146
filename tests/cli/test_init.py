"""The ``weaklabel`` entry point: version, help for every option, and bad input as exit 2."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from weaklabel.cli import build_parser, main


def _run(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "weaklabel.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env=env,
    )


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_init_every_option_of_every_command_has_help() -> None:
    parser = build_parser()
    commands = _subparsers(parser)
    assert set(commands) == {
        "demo",
        "wrench",
        "prepare",
        "apply",
        "fit",
        "run",
        "review",
        "augment",
        "export",
        "validate",
    }
    missing = []
    for name, command in [("weaklabel", parser), *commands.items()]:
        assert command.description or name == "weaklabel", f"{name} has no description"
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            text = action.help
            if not text or text == argparse.SUPPRESS or not str(text).strip():
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert missing == [], f"options without help: {missing}"


def test_init_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"weaklabel {version('weaklabel')}"


def test_init_usage_errors_are_one_numbered_line(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, says in [
        ([], "the following arguments are required: COMMAND"),
        (["nonsense"], "invalid choice: 'nonsense'"),
        (["demo"], "the following arguments are required: --out"),
        (["review", "x.csv", "--out", "t.json", "--top", "0"], "must be an integer >= 1"),
        (["review", "x.csv", "--out", "t.json", "--top", "many"], "must be an integer"),
        (["wrench", "folder", "--seed", "-3"], "must be an integer >= 0"),
        (["wrench", "folder", "--split", "dev"], "invalid choice: 'dev'"),
    ]:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("weaklabel: [E410] weaklabel"), err
        assert says in err and err.count("\n") == 1 and "--help" in err, err


def test_init_file_system_errors_exit_2_with_the_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import weaklabel.cli._demo as demo_command

    def disk_full(args: argparse.Namespace) -> int:
        raise OSError(28, "No space left on device", str(tmp_path / "labels.csv"))

    monkeypatch.setattr(demo_command, "run", disk_full)
    assert main(["demo", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("weaklabel: [E409]") and "No space left on device" in err
    assert str(tmp_path / "labels.csv") in err and "Traceback" not in err


def test_init_unexpected_exceptions_are_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    import weaklabel.cli._wrench as wrench_command

    def bug(args: argparse.Namespace) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr(wrench_command, "run", bug)
    with pytest.raises(KeyError):
        main(["wrench", "anywhere"])


def _bad_invocations(tmp: Path) -> list[tuple[list[str], str]]:
    """(argv, code) pairs: every one must exit 2 with one line and no traceback."""
    good = tmp / "good.csv"
    good.write_text("id,text\na,great phone\n", encoding="utf-8")
    proba = tmp / "proba.csv"
    proba.write_text("text,p_A,p_B\nx,0.2,0.8\n", encoding="utf-8")
    (tmp / "empty.csv").write_text("", encoding="utf-8")
    (tmp / "header.csv").write_text("id,text\n", encoding="utf-8")
    (tmp / "ragged.csv").write_text("id,text\na,b,c\n", encoding="utf-8")
    (tmp / "latin1.csv").write_bytes("id,text\na,café\n".encode("latin-1"))
    (tmp / "list.jsonl").write_text("[1, 2]\n", encoding="utf-8")
    (tmp / "broken.jsonl").write_text('{"text": \n', encoding="utf-8")
    (tmp / "bad.parquet").write_bytes(b"PAR1 not really")
    (tmp / "folder.csv").mkdir()
    (tmp / "folder.json").mkdir()
    (tmp / "exists.csv").write_text("keep", encoding="utf-8")
    (tmp / "exists.json").write_text("keep", encoding="utf-8")
    wrench = tmp / "wrench"
    wrench.mkdir()
    (wrench / "label.json").write_text('{"0": "A", "1": "B"}', encoding="utf-8")
    (wrench / "train.json").write_text("{not json", encoding="utf-8")
    (wrench / "test.json").write_text("{}", encoding="utf-8")
    out = str(tmp / "o.csv")
    cases: list[tuple[list[str], str]] = []
    for name, code in [
        ("missing.csv", "E405"),
        ("folder.csv", "E405"),
        ("empty.csv", "E407"),
        ("header.csv", "E407"),
        ("ragged.csv", "E406"),
        ("latin1.csv", "E406"),
        ("list.jsonl", "E408"),
        ("broken.jsonl", "E406"),
        ("bad.parquet", "E406"),
        ("table.xlsx", "E400"),
    ]:
        cases.append((["augment", str(tmp / name), "--out", out, "--augmenter", "noise"], code))
        cases.append((["review", str(tmp / name), "--out", str(tmp / "t.json")], code))
    for target, code in [
        ("good.csv", "E401"),
        ("o.xlsx", "E403"),
        ("missing/o.csv", "E404"),
        ("folder.csv", "E404"),
        ("exists.csv", "E402"),
    ]:
        cases.append((["augment", str(good), "--out", str(tmp / target)], code))
    cases += [
        (["augment", str(good), "--out", "/proc/o.csv"], "E404"),
        (["review", str(proba), "--out", str(tmp / "exists.json")], "E402"),
        (["review", str(proba), "--out", str(tmp / "folder.json")], "E404"),
        (["review", str(proba), "--out", str(tmp / "missing" / "t.json")], "E404"),
        (["review", str(good), "--out", str(tmp / "t.json")], "E060"),
        (["demo", "--out", str(good)], "E411"),
        (["demo", "--out", str(good / "sub")], "E404"),
        (["demo", "--out", "/proc/demo_out"], "E404"),
        (["wrench", str(tmp / "no-such-folder")], "E2"),
        (["wrench", str(wrench)], "E203"),
        (["wrench", str(good)], "E2"),
        (["export", str(tmp / "missing.csv"), "--format", "csv", "--out", out], "E405"),
        (["export", str(tmp / "ragged.csv"), "--format", "csv", "--out", out], "E406"),
        (["export", str(good), "--format", "chat", "--out", "/proc/x.jsonl"], "E404"),
        (["prepare", str(tmp / "missing.csv"), "--out", out], "E405"),
        (["prepare", str(tmp / "latin1.csv"), "--out", out], "E406"),
        (["prepare", str(good), "--out", str(good)], "E401"),
        (["run", str(tmp / "missing.toml")], "E830"),
        (["run", str(good)], "E831"),
        (["validate", str(tmp / "missing.jsonl")], "E865"),
        (["validate", str(tmp / "folder.json")], "E865"),
        (["augment", str(good), "--out", out, "--n", "many"], "E410"),
        (["review", str(proba), "--out", str(tmp / "t.json"), "--strategy", "best"], "E410"),
    ]
    return cases


def test_init_bad_invocations_exit_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = _bad_invocations(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for argv, code in cases:
        assert main([*argv, "--no-progress"] if argv[0] == "demo" else argv) == 2, argv
        captured = capsys.readouterr()
        err = captured.err
        assert err.startswith(f"weaklabel: [{code}"), (argv, err)
        assert err.count("\n") == 1 and "Traceback" not in err, (argv, err)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # nothing written, nothing replaced, no temporary file left


@pytest.mark.parametrize("index", [0, 5, 22, 33])
def test_init_bad_invocations_in_a_subprocess(tmp_path: Path, index: int) -> None:
    argv, code = _bad_invocations(tmp_path)[index]
    result = _run(*argv)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"weaklabel: [{code}"), result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_init_help_and_version_run_as_a_module() -> None:
    result = _run("--help")
    assert result.returncode == 0
    assert "demo" in result.stdout and "wrench" in result.stdout
    result = _run("--version")
    assert result.returncode == 0 and result.stdout.startswith("weaklabel ")
