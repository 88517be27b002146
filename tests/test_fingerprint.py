"""Fingerprints of source definitions: what an edit must change, and what must not."""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from weaklabel._fingerprint import digest, function_fingerprint
from weaklabel.sources.function import LabelingFunction

SPAM_WORDS = ["subscribe", "check out"]


def _define(source: str, **namespace: Any) -> Callable[..., Any]:
    """Define the function ``lf`` from source text, as a notebook cell would."""
    ns: dict[str, Any] = dict(namespace)
    exec(compile(source, "<cell>", "exec"), ns)
    return ns["lf"]


BODY = "def lf(x):\n    return 1 if 'free' in x.text else -1\n"


def test_fingerprint_is_a_hex_string_and_deterministic() -> None:
    fp = function_fingerprint(_define(BODY))
    assert re.fullmatch(r"[0-9a-f]{32}", fp)
    assert fp == function_fingerprint(_define(BODY))


def test_fingerprint_identical_redefinition_keeps_it() -> None:
    def lf(x: Any) -> int:
        return 1 if "free" in x.text else -1

    first = function_fingerprint(lf)

    def lf(x: Any) -> int:  # type: ignore[no-redef]
        return 1 if "free" in x.text else -1

    assert function_fingerprint(lf) == first


def test_fingerprint_ignores_line_numbers() -> None:
    assert function_fingerprint(_define(BODY)) == function_fingerprint(_define("\n\n\n" + BODY))


def test_fingerprint_changes_with_the_body() -> None:
    edited = "def lf(x):\n    return 1 if 'free' in x.text.lower() else -1\n"
    assert function_fingerprint(_define(BODY)) != function_fingerprint(_define(edited))


def test_fingerprint_changes_with_a_constant() -> None:
    edited = BODY.replace("'free'", "'gratis'")
    assert function_fingerprint(_define(BODY)) != function_fingerprint(_define(edited))


def test_fingerprint_changes_with_a_default() -> None:
    def make(threshold: int) -> Callable[..., int]:
        def lf(x: Any, limit: int = threshold) -> int:
            return 1 if len(x.text) > limit else -1

        return lf

    assert function_fingerprint(make(10)) == function_fingerprint(make(10))
    assert function_fingerprint(make(10)) != function_fingerprint(make(20))


def test_fingerprint_changes_with_a_keyword_only_default() -> None:
    a = _define("def lf(x, *, word='free'):\n    return 1 if word in x.text else -1\n")
    b = _define("def lf(x, *, word='gift'):\n    return 1 if word in x.text else -1\n")
    assert function_fingerprint(a) != function_fingerprint(b)


def test_fingerprint_changes_with_a_closure_value() -> None:
    def make(words: list[str]) -> Callable[..., int]:
        def lf(x: Any) -> int:
            return 1 if any(w in x.text for w in words) else -1

        return lf

    assert function_fingerprint(make(["free"])) == function_fingerprint(make(["free"]))
    assert function_fingerprint(make(["free"])) != function_fingerprint(make(["free", "win"]))


def _reads_spam_words(x: Any) -> int:
    return 1 if any(w in x.text for w in SPAM_WORDS) else -1


def test_fingerprint_changes_with_a_module_level_keyword_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = function_fingerprint(_reads_spam_words)
    monkeypatch.setitem(globals(), "SPAM_WORDS", [*SPAM_WORDS, "free gift"])
    assert function_fingerprint(_reads_spam_words) != before


def test_fingerprint_changes_when_a_global_list_is_edited_in_place() -> None:
    fn = _define(
        "def lf(x):\n    return 1 if any(w in x.text for w in WORDS) else -1\n",
        WORDS=["free"],
    )
    before = function_fingerprint(fn)
    fn.__globals__["WORDS"].append("win")
    assert function_fingerprint(fn) != before


def test_fingerprint_changes_with_a_helper_function_it_calls() -> None:
    helper_a = "def helper(t):\n    return 'free' in t\n"
    helper_b = "def helper(t):\n    return 'win' in t\n"
    lf_src = "def lf(x):\n    return 1 if helper(x.text) else -1\n"
    assert function_fingerprint(_define(helper_a + lf_src)) != function_fingerprint(
        _define(helper_b + lf_src)
    )


def test_fingerprint_of_a_recursive_function_terminates() -> None:
    fn = _define("def lf(x, n=3):\n    return -1 if n == 0 else lf(x, n - 1)\n")
    assert function_fingerprint(fn) == function_fingerprint(fn)


def test_fingerprint_compiled_regex_global_is_stable_and_content_based() -> None:
    src = "def lf(x):\n    return 1 if PAT.search(x.text) else -1\n"
    a = function_fingerprint(_define(src, PAT=re.compile("free")))
    b = function_fingerprint(_define(src, PAT=re.compile("free")))
    c = function_fingerprint(_define(src, PAT=re.compile("win")))
    assert a == b != c


def test_fingerprint_of_labeling_function_changes_with_resources() -> None:
    def lf(x: Any, words: tuple[str, ...]) -> int:
        return 1 if any(w in x.text for w in words) else -1

    a = LabelingFunction("lf", lf, resources={"words": ("free",)})
    b = LabelingFunction("lf", lf, resources={"words": ("free",)})
    c = LabelingFunction("lf", lf, resources={"words": ("win",)})
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


def test_fingerprint_of_labeling_function_changes_with_its_name() -> None:
    def lf(x: Any) -> int:
        return -1

    assert LabelingFunction("a", lf).fingerprint() != LabelingFunction("b", lf).fingerprint()


def test_fingerprint_unreprable_object_falls_back_to_identity() -> None:
    class Model:  # default repr: "<... object at 0x...>"
        pass

    def lf(x: Any, model: Model) -> int:
        return -1

    m1, m2 = Model(), Model()
    a = LabelingFunction("lf", lf, resources={"model": m1})
    assert a.fingerprint() == LabelingFunction("lf", lf, resources={"model": m1}).fingerprint()
    assert a.fingerprint() != LabelingFunction("lf", lf, resources={"model": m2}).fingerprint()


LOOKUP = np.zeros(2_000)


def test_fingerprint_changes_when_a_large_array_global_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def lf(x: Any) -> int:
        return 1 if LOOKUP[len(x.text)] > 0 else -1

    before = function_fingerprint(lf)
    edited = LOOKUP.copy()
    edited[1_000] = 1.0
    monkeypatch.setitem(globals(), "LOOKUP", edited)
    assert function_fingerprint(lf) != before


def test_fingerprint_changes_when_a_large_dataframe_resource_changes() -> None:
    def lf(x: Any, table: pd.DataFrame) -> int:
        return -1

    table = pd.DataFrame({"author": [f"user{i}" for i in range(200)], "spammer": False})
    edited = table.copy()
    edited.loc[100, "spammer"] = True
    a = LabelingFunction("lf", lf, resources={"table": table})
    b = LabelingFunction("lf", lf, resources={"table": edited})
    assert a.fingerprint() != b.fingerprint()


def test_fingerprint_digest_separates_parts() -> None:
    assert digest(["ab", "c"]) != digest(["a", "bc"])
    assert digest(["x"]) == digest(["x"])


def test_fingerprint_of_a_builtin_is_stable() -> None:
    assert isinstance(len, types.BuiltinFunctionType)
    assert function_fingerprint(len) == function_fingerprint(len)
