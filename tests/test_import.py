"""``import weaklabel`` stays fast: no heavy dependency is imported until it is used."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

HEAVY = ("pandas", "scipy", "pyarrow", "matplotlib", "tqdm", "spacy", "torch", "sklearn")


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout


def test_import_pulls_in_no_heavy_dependency() -> None:
    out = _run(
        "import sys, json, weaklabel; "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    assert json.loads(out) == []


def test_import_datasets_package_pulls_in_no_heavy_dependency() -> None:
    out = _run(
        "import sys, json, weaklabel.datasets as d; "
        f"heavy = [m for m in {list(HEAVY)!r} if m in sys.modules]; "
        "d.load_wrench; "  # the classification loader does not need the sequence models
        "print(json.dumps([heavy, 'weaklabel.models.sequence' in sys.modules]))"
    )
    assert json.loads(out) == [[], False]


def test_import_exposes_the_public_api_lazily() -> None:
    out = _run(
        "import sys, weaklabel; weaklabel.LabelMatrix; "
        "print('pandas' in sys.modules, weaklabel.ABSTAIN)"
    )
    assert out.split() == ["False", "-1"]


def test_import_median_under_one_second() -> None:
    code = "import time; t = time.perf_counter(); import weaklabel; print(time.perf_counter() - t)"
    times = [float(_run(code)) for _ in range(5)]
    assert statistics.median(times) < 1.0, times


def test_import_unknown_attribute_raises_attribute_error() -> None:
    code = (
        "import weaklabel\ntry:\n    weaklabel.nope\n"
        "except AttributeError as e:\n    print('ok', e)"
    )
    out = _run(code)
    assert out.startswith("ok")


def test_import_every_public_name_resolves() -> None:
    import weaklabel

    missing = [name for name in weaklabel.__all__ if getattr(weaklabel, name, None) is None]
    assert missing == []
    assert callable(weaklabel.apply)


def test_import_every_model_class_is_a_top_level_name() -> None:
    import weaklabel
    from weaklabel import models
    from weaklabel.models import sequence
    from weaklabel.models.base import BaseLabelModel
    from weaklabel.models.sequence.base import BaseSequenceModel

    bases = (BaseLabelModel, BaseSequenceModel)
    public = {
        name: getattr(package, name)
        for package in (models, sequence)
        for name in package.__all__
        if isinstance(getattr(package, name), type)
        and issubclass(getattr(package, name), bases)
        and getattr(package, name) not in bases
    }
    listed = {klass.__name__ for klass in (*models.MODELS, *sequence.SEQUENCE_MODELS)}
    assert listed <= set(public)  # the scan finds every model the contract tests list
    assert sorted(set(public) - set(weaklabel.__all__)) == []
    assert all(getattr(weaklabel, name) is klass for name, klass in public.items())
