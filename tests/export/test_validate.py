"""The fine-tuning file validator: every malformed case on hand-made files, a good file passes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weaklabel.errors import ExportError
from weaklabel.export import validate as validate_module
from weaklabel.export.chat import write_chat_jsonl, write_prompt_completion
from weaklabel.export.validate import estimate_tokens, token_counter, validate_chat_jsonl


def _example(i: int) -> dict[str, object]:
    return {
        "messages": [
            {"role": "system", "content": "Label the comment."},
            {"role": "user", "content": f"comment number {i}"},
            {"role": "assistant", "content": "HAM"},
        ]
    }


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


GOOD = [json.dumps(_example(i)) for i in range(12)]

# one hand-made bad line per case, each with the text its problem line must hold
BAD_CASES = [
    ('{"messages": [', "not valid JSON"),
    ("[1, 2]", "not a JSON object (got an array)"),
    ('"just a string"', "not a JSON object (got a string)"),
    ("null", "not a JSON object (got null)"),
    ("42", "not a JSON object (got a number)"),
    (
        '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "x"}]} x',
        "not valid JSON",
    ),
    (
        '{"messages": [{"role": "user", "content": [{"type": "image_url"}]}, '
        '{"role": "assistant", "content": "x"}]}',
        "content must be a string or a list of text parts",
    ),
    (
        '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": null}]}',
        "message 2 (assistant) has no content",
    ),
    ('{"messages": [{"role": "system", "content": "s"}]}', "no assistant message"),
    ("", "blank line"),
    ('{"prompt_only": 1}', "no 'messages' key"),
    ('{"messages": []}', "'messages' must be a non-empty list"),
    ('{"messages": "hi"}', "'messages' must be a non-empty list"),
    ('{"messages": [1, {"role": "assistant", "content": "x"}]}', "message 1 is not an object"),
    ('{"messages": [{"content": "a"}, {"role": "assistant", "content": "x"}]}', "has no 'role'"),
    (
        '{"messages": [{"role": "bot", "content": "a"}, {"role": "assistant", "content": "x"}]}',
        "unknown role 'bot'",
    ),
    (
        '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "x"}], '
        '"meta": 1}',
        "unknown key 'meta'",
    ),
    (
        '{"messages": [{"role": "user", "content": "a", "lang": "en"}, '
        '{"role": "assistant", "content": "x"}]}',
        "unknown key 'lang' in message 1 (user)",
    ),
    (
        '{"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": "x"}]}',
        "message 1 (user) has empty content",
    ),
    (
        '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "  "}]}',
        "message 2 (assistant) has empty content",
    ),
    ('{"messages": [{"role": "user"}, {"role": "assistant", "content": "x"}]}', "has no content"),
    (
        '{"messages": [{"role": "user", "content": 5}, {"role": "assistant", "content": "x"}]}',
        "content must be a string",
    ),
    ('{"messages": [{"role": "user", "content": "a"}]}', "no assistant message"),
    (
        '{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "x"}, '
        '{"role": "user", "content": "b"}]}',
        "the last message is 'user', not 'assistant'",
    ),
    (
        '{"messages": [{"role": "user", "content": "a"}, '
        '{"role": "assistant", "content": "x", "weight": 0.5}]}',
        "weight must be 0 or 1",
    ),
    (
        '{"messages": [{"role": "user", "content": "a", "weight": 1}, '
        '{"role": "assistant", "content": "x"}]}',
        "only assistant messages may",
    ),
    ("\ufeff" + json.dumps(_example(0)), "byte-order mark"),
]


def test_validate_passes_a_good_file_with_token_statistics(tmp_path: Path) -> None:
    report = validate_chat_jsonl(_write(tmp_path / "good.jsonl", GOOD))
    assert report.ok and report.problems == []
    assert (report.n_lines, report.n_examples, report.form) == (12, 12, "chat")
    assert report.token_counts.shape == (12,)
    stats = report.token_stats
    assert stats["min"] <= stats["p50"] <= stats["p95"] <= stats["max"]
    assert "fit for fine-tuning" in report.summary()
    assert ("exact" if report.exact_tokens else "estimated") in report.summary()


@pytest.mark.parametrize(("line", "expected"), BAD_CASES)
def test_validate_flags_each_malformed_case_on_its_line(
    tmp_path: Path, line: str, expected: str
) -> None:
    lines = [*GOOD[:5], line, *GOOD[5:]]
    report = validate_chat_jsonl(_write(tmp_path / "bad.jsonl", lines))
    assert not report.ok
    assert any(p.startswith("line 6: ") and expected in p for p in report.problem_lines()), (
        report.problem_lines()
    )
    # the other lines are fine: every problem is on line 6
    assert {number for number, _ in report.problems} == {6}


def test_validate_flags_all_cases_in_one_file(tmp_path: Path) -> None:
    lines = [line for line, _ in BAD_CASES]
    report = validate_chat_jsonl(_write(tmp_path / "all_bad.jsonl", lines))
    flagged = {number for number, _ in report.problems}
    assert flagged >= set(range(1, len(lines) + 1))
    assert report.n_examples == 0
    assert report.problem_lines()[-1].startswith(f"line {len(lines)}: the file has 0 valid")


def test_validate_fewer_than_ten_examples(tmp_path: Path) -> None:
    report = validate_chat_jsonl(_write(tmp_path / "few.jsonl", GOOD[:9]))
    assert report.problem_lines() == [
        "line 9: the file has 9 valid examples; fine-tuning needs at least 10"
    ]
    assert validate_chat_jsonl(tmp_path / "few.jsonl", min_examples=9).ok
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert validate_chat_jsonl(empty).problem_lines() == [
        "line 1: the file has 0 valid examples; fine-tuning needs at least 10"
    ]


def test_validate_token_limit(tmp_path: Path) -> None:
    long = _example(0)
    long["messages"][1]["content"] = "word " * 400  # type: ignore[index]
    report = validate_chat_jsonl(
        _write(tmp_path / "long.jsonl", [*GOOD, json.dumps(long)]), max_tokens=300
    )
    assert [n for n, _ in report.problems] == [13]
    assert "over the limit of 300" in report.problems[0][1]
    assert report.token_counts.shape == (13,) and report.token_counts[-1] > 300


def test_validate_not_utf8_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b"\n".join(g.encode() for g in GOOD) + b'\n{"messages": "caf\xe9"}\n')
    assert validate_chat_jsonl(path).problem_lines()[0].startswith("line 13: not UTF-8")
    with pytest.raises(ExportError, match=r"\[E865\] .*nope.jsonl cannot be read"):
        validate_chat_jsonl(tmp_path / "nope.jsonl")


def test_validate_accepts_what_the_writers_write(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "text": [f"comment {i} ✓" for i in range(12)],
            "label": ["HAM", "SPAM"] * 6,
            "p_HAM": np.linspace(0.0, 1.0, 12),
            "p_SPAM": 1 - np.linspace(0.0, 1.0, 12),
        }
    )
    write_chat_jsonl(frame, tmp_path / "c.jsonl", system="Label it.", weight="assistant")
    assert validate_chat_jsonl(tmp_path / "c.jsonl").ok
    write_chat_jsonl(frame, tmp_path / "w.jsonl", weight="example")
    assert "unknown key 'weight'" in validate_chat_jsonl(tmp_path / "w.jsonl").problems[0][1]
    assert validate_chat_jsonl(tmp_path / "w.jsonl", extra_keys=("weight",)).ok
    write_prompt_completion(frame, tmp_path / "p.jsonl")
    report = validate_chat_jsonl(tmp_path / "p.jsonl")
    assert report.ok and report.form == "prompt-completion"
    assert not validate_chat_jsonl(tmp_path / "p.jsonl", form="chat").ok


def test_validate_counts_exactly_with_a_local_tiktoken_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiktoken = pytest.importorskip("tiktoken")
    # a byte-level table built here (no download): one token per UTF-8 byte
    bytes_only = tiktoken.Encoding(
        name="bytes", pat_str=r"[\s\S]", mergeable_ranks={bytes([b]): b for b in range(256)},
        special_tokens={},
    )  # fmt: skip
    monkeypatch.setattr(validate_module, "_load_encoding", lambda name: bytes_only)
    count, exact, method = token_counter("cl100k_base")
    assert exact and method == "exact (tiktoken cl100k_base)" and count("é a") == 4
    report = validate_chat_jsonl(_write(tmp_path / "good.jsonl", GOOD))
    assert report.exact_tokens and "exact (tiktoken cl100k_base)" in report.summary()
    # system "Label the comment." 18 + user "comment number 0" 16 + "HAM" 3 + roles 6+4+9,
    # plus 3 per message and 3 for the reply
    assert report.token_counts[0] == 18 + 16 + 3 + 6 + 4 + 9 + 3 * 3 + 3


def test_validate_without_tables_says_it_estimates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))  # an empty cache: no tables
    count, exact, method = token_counter("cl100k_base")
    assert not exact and method.startswith("estimated")
    assert count("Hello world, this is a test.") == estimate_tokens("Hello world, this is a test.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("hello", 1),
        ("hi there", 2),
        ("antidisestablishment", 4),
        ("12345", 2),
        ("!!", 1),
        ("a\n\nb", 4),
        ("日本語", 3),
    ],
)
def test_validate_estimate_tokens(text: str, expected: int) -> None:
    assert estimate_tokens(text) == expected


@pytest.mark.parametrize(
    ("param", "value"), [("max_tokens", 0), ("min_examples", -1), ("max_tokens", 1.5)]
)
def test_validate_bad_limits(tmp_path: Path, param: str, value: object) -> None:
    with pytest.raises(ExportError, match=rf"\[E060\] validate_chat_jsonl: {param}"):
        validate_chat_jsonl(_write(tmp_path / "good.jsonl", GOOD), **{param: value})  # type: ignore[arg-type]
