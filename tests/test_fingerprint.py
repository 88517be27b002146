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


def test_fingerprint_object_resource_is_keyed_by_its_state() -> None:
    class Model:
        def __init__(self, threshold: float) -> None:
            self.threshold = threshold

    def lf(x: Any, model: Model) -> int:
        return -1

    m1, m2, m3 = Model(0.5), Model(0.5), Model(0.9)
    a = LabelingFunction("lf", lf, resources={"model": m1})
    assert a.fingerprint() == LabelingFunction("lf", lf, resources={"model": m2}).fingerprint()
    assert a.fingerprint() != LabelingFunction("lf", lf, resources={"model": m3}).fingerprint()
    before = a.fingerprint()
    m1.threshold = 0.7  # edited in place
    assert a.fingerprint() != before


def test_fingerprint_compiled_object_without_visible_state_falls_back_to_identity() -> None:
    import collections

    def lf(x: Any, queue: Any) -> int:
        return -1

    q1, q2 = collections.deque([1]), collections.deque([1])
    a = LabelingFunction("lf", lf, resources={"q": q1})
    assert a.fingerprint() == LabelingFunction("lf", lf, resources={"q": q1}).fingerprint()
    assert a.fingerprint() != LabelingFunction("lf", lf, resources={"q": q2}).fingerprint()


def test_fingerprint_changes_with_a_helper_three_calls_deep() -> None:
    chain = (
        "def lf(x):\n    return 1 if first(x.text) else -1\n"
        "def first(t):\n    return second(t.lower())\n"
        "def second(t):\n    return third(t.strip())\n"
    )
    a = _define(chain + "def third(t):\n    return 'free' in t\n")
    b = _define(chain + "def third(t):\n    return 'win' in t\n")
    c = _define(chain + "def third(t):\n    return 'free' in t\n")
    assert function_fingerprint(a) != function_fingerprint(b)
    assert function_fingerprint(a) == function_fingerprint(c)


def test_fingerprint_changes_with_a_method_of_a_global_object() -> None:
    src = (
        "class Rules:\n    def __init__(self):\n        self.words = ['free']\n"
        "    def match(self, t):\n        return any(w in t for w in self.words)\n"
        "RULES = Rules()\n"
        "def lf(x):\n    return 1 if RULES.match(x.text) else -1\n"
    )
    a = _define(src)
    b = _define(src.replace("any(w in t", "all(w in t"))
    assert function_fingerprint(a) != function_fingerprint(b)
    before = function_fingerprint(a)
    a.__globals__["RULES"].words.append("win")  # state edited in place
    assert function_fingerprint(a) != before


def test_fingerprint_changes_with_an_attribute_of_an_imported_config_module(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "wl_test_config.py").write_text("KEYWORDS = ['free']\nLIMITS = {'short': 3}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    config = importlib.import_module("wl_test_config")
    fn = _define(
        "def lf(x):\n    return 1 if any(w in x.text for w in config.KEYWORDS) else -1\n",
        config=config,
    )
    before = function_fingerprint(fn)
    monkeypatch.setattr(config, "KEYWORDS", ["free", "win"])  # rebound
    rebound = function_fingerprint(fn)
    assert rebound != before
    config.KEYWORDS.append("prize")  # edited in place
    assert function_fingerprint(fn) != rebound
    reads_other = _define(
        "def lf(x):\n    return 1 if len(x.text) < config.LIMITS['short'] else -1\n",
        config=config,
    )
    first = function_fingerprint(reads_other)
    config.KEYWORDS.append("unrelated")  # a module attribute the function does not read
    assert function_fingerprint(reads_other) == first
    config.LIMITS["short"] = 4
    assert function_fingerprint(reads_other) != first


def test_fingerprint_is_the_same_in_another_process(tmp_path: Any) -> None:
    import subprocess
    import sys

    (tmp_path / "wl_test_sources.py").write_text(
        "import re\nWORDS = {'free': 1, 'win': 2}\nPAT = re.compile('x+')\n"
        "class Box:\n    def __init__(self):\n        self.items = [1, 2]\n"
        "BOX = Box()\n"
        "def helper(t):\n    return PAT.search(t) or t in WORDS or BOX.items\n"
        "def lf(x):\n    return 1 if helper(x) else -1\n"
    )
    code = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import wl_test_sources as s; "
        "from weaklabel._fingerprint import function_fingerprint as f; print(f(s.lf))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    assert len(runs) == 1 and len(runs.pop()) == 32


def test_fingerprint_of_a_large_global_list_is_fast() -> None:
    import time

    fn = _define(
        "def lf(x):\n    return 1 if x.text in WORDS else -1\n",
        WORDS=[f"word{i}" for i in range(1_000_000)],
    )
    start = time.perf_counter()
    before = function_fingerprint(fn)
    assert time.perf_counter() - start < 2.0
    fn.__globals__["WORDS"][500_000] = "edited"
    assert function_fingerprint(fn) != before


def test_fingerprint_keeps_apply_cache_fresh_when_a_deep_helper_changes() -> None:
    import weaklabel as wl

    texts = pd.DataFrame({"text": ["free prize", "hello there", "win now"]})
    cache = wl.SourceCache()
    chain = (
        "def first(t):\n    return second(t.lower())\ndef second(t):\n    return third(t.strip())\n"
    )

    def build(word: str) -> Any:
        ns: dict[str, Any] = {}
        exec(chain + f"def third(t):\n    return {word!r} in t\n", ns)
        first = ns["first"]

        @wl.labeling_function(name="deep")
        def deep(x: Any) -> int:
            return 1 if first(x.text) else -1

        return deep

    before = wl.apply([build("free")], texts, cache=cache, progress=False)
    after = wl.apply([build("win")], texts, cache=cache, progress=False)
    assert before.values[:, 0].tolist() == [1, -1, -1]
    assert after.values[:, 0].tolist() == [-1, -1, 1]


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
