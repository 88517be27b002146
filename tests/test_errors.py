"""The error catalogue: one home for the classes, unique codes, every code documented.

The package's source is read with ``ast`` (not imported), so a catalogue or an exception
class defined anywhere -- even in a module no test imports -- is checked.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

import weaklabel as wl
from weaklabel import errors
from weaklabel.errors import (
    CATALOGUES,
    RETIRED,
    ErrorCatalogue,
    Errors,
    ParameterError,
    SourceError,
    WeaklabelError,
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "weaklabel"
CODE = re.compile(r"[EW]\d{3}")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _trees() -> dict[str, ast.Module]:
    return {
        _module_name(path): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


TREES = _trees()


def _defined_codes() -> list[tuple[str, str, str]]:
    """(module, class, code) for every code attribute of every class in the package."""
    found = []
    for module, tree in TREES.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for statement in node.body:
                if isinstance(statement, ast.Assign | ast.AnnAssign):
                    targets = (
                        statement.targets
                        if isinstance(statement, ast.Assign)
                        else [statement.target]
                    )
                    for target in targets:
                        if isinstance(target, ast.Name) and CODE.fullmatch(target.id):
                            found.append((module, node.name, target.id))
    return found


def _code_of(node: ast.AST) -> str | None:
    """The code a node names: ``Errors.E013``, or ``"E013"`` given to a helper."""
    if isinstance(node, ast.Attribute) and CODE.fullmatch(node.attr):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if CODE.fullmatch(node.value) else None
    return None


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "docs" / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def page() -> str:
    return _hooks().render_error_catalogue()


# ---------------------------------------------------------------------------------------
# exception classes
# ---------------------------------------------------------------------------------------
def _is_exception_base(base: ast.expr) -> bool:
    name = ast.unparse(base).rsplit(".", 1)[-1]
    value = getattr(builtins, name, None)
    if isinstance(value, type) and issubclass(value, BaseException):
        return True
    return isinstance(getattr(errors, name, None), type) and name not in {"Errors"}


def test_errors_every_exception_class_is_defined_in_weaklabel_errors() -> None:
    defined = {
        (module, node.name)
        for module, tree in TREES.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(_is_exception_base(b) for b in node.bases)
    }
    # A catalogue extends the core one (class Errors(CoreErrors)); it is not an exception.
    outside = {(m, n) for m, n in defined if m != "weaklabel.errors" and not n.endswith("Errors")}
    assert outside == set()
    classes = {n for m, n in defined if m == "weaklabel.errors" and n[0] != "_" and n != "Errors"}
    assert classes <= set(errors.__all__)
    assert {"AugmentError", "TranslatorError", "WordNetNotFoundError"} <= classes


@pytest.mark.parametrize(
    ("name", "bases"),
    [
        ("LabelSpaceError", (WeaklabelError, ValueError)),
        ("LabelMatrixError", (WeaklabelError, ValueError)),
        ("SourceError", (WeaklabelError,)),
        ("NotFittedError", (WeaklabelError, AttributeError)),
        ("DatasetError", (WeaklabelError, ValueError)),
        ("LabelModelError", (WeaklabelError, ValueError)),
        ("ParameterError", (WeaklabelError, ValueError)),
        ("AugmentError", (WeaklabelError, ValueError)),
        ("TranslatorError", (WeaklabelError, RuntimeError)),
        ("WordNetNotFoundError", (WeaklabelError, ImportError)),
        ("ReviewError", (WeaklabelError, ValueError)),
        ("ExportError", (WeaklabelError, ValueError)),
        ("LabelModelWarning", (UserWarning,)),
    ],
)
def test_errors_classes_keep_the_builtin_bases_callers_catch(
    name: str, bases: tuple[type, ...]
) -> None:
    cls = getattr(errors, name)
    assert all(issubclass(cls, base) for base in bases)
    assert cls.__doc__


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("weaklabel.augment._errors", "AugmentError"),
        ("weaklabel.augment._errors", "TranslatorError"),
        ("weaklabel.augment.text.wordnet", "WordNetNotFoundError"),
        ("weaklabel.models._errors", "LabelModelError"),
        ("weaklabel.models._errors", "LabelModelWarning"),
    ],
)
def test_errors_old_imports_give_the_same_class(module: str, name: str) -> None:
    assert getattr(importlib.import_module(module), name) is getattr(errors, name)


def test_errors_dask_catalogue_name_still_imports_with_a_warning() -> None:
    dask = importlib.import_module("weaklabel.appliers.dask")
    with pytest.warns(DeprecationWarning, match="weaklabel.errors"):
        assert dask.DaskErrors is Errors


# ---------------------------------------------------------------------------------------
# codes
# ---------------------------------------------------------------------------------------
def test_errors_every_catalogue_is_listed_in_weaklabel_errors() -> None:
    modules = {module for module, _, _ in _defined_codes()}
    assert modules == set(CATALOGUES)
    for module in CATALOGUES:
        catalogue = importlib.import_module(module).Errors
        assert isinstance(catalogue, ErrorCatalogue)
        assert issubclass(catalogue, Errors)


def test_errors_codes_are_unique_package_wide() -> None:
    counts = Counter(code for _, _, code in _defined_codes())
    assert [code for code, n in counts.items() if n > 1] == []


def test_errors_messages_start_with_their_code() -> None:
    for module, _, code in _defined_codes():
        message = getattr(importlib.import_module(module).Errors, code)
        assert message.startswith(f"[{code}] ")


def test_errors_every_code_is_on_the_generated_page_with_its_class(page: str) -> None:
    for _, _, code in _defined_codes():
        row = re.search(rf'<tr><td id="{code}">(.*?)</tr>', page)
        assert row is not None, code
        raised_as = re.findall(r"<td>(.*?)</td>", row[1])[0]
        assert re.search(r"<code>\w+(Error|Warning)</code>", raised_as), (
            f"{code}: the page cannot tell which class raises it; raise it inside the call "
            "of its exception class, or list it in docs/hooks.py RAISED_INDIRECTLY"
        )


def test_errors_codes_raised_indirectly_are_live_codes() -> None:
    defined = {code for _, _, code in _defined_codes()}
    assert set(_hooks().RAISED_INDIRECTLY) <= defined


def test_errors_page_lists_every_exception_class() -> None:
    table = _hooks().render_exception_classes()
    for name in errors.__all__:
        value = getattr(errors, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert f"`weaklabel.errors.{name}`" in table


def test_errors_page_has_one_table_per_catalogue(page: str) -> None:
    for module, title in CATALOGUES.items():
        assert f"### {title}\n" in page
        assert f"<code>{module}</code>" in page


def test_errors_retired_codes_point_to_a_live_code(page: str) -> None:
    defined = {code for _, _, code in _defined_codes()}
    assert set(RETIRED).isdisjoint(defined)
    assert set(RETIRED.values()) <= defined
    for old, new in RETIRED.items():
        assert re.search(rf'id="{old}".*href="#{new}"', page), old


def test_errors_every_code_the_package_raises_is_defined() -> None:
    defined = {code for _, _, code in _defined_codes()}
    used = {
        (module, code)
        for module, tree in TREES.items()
        for node in ast.walk(tree)
        if (code := _code_of(node)) is not None
    }
    used -= {("weaklabel.errors", code) for code in RETIRED}  # the list of retired codes
    assert {(m, c) for m, c in used if c not in defined} == set()


def test_errors_one_template_per_meaning() -> None:
    """No two codes share a template once the placeholder names are ignored."""
    seen: dict[str, str] = {}
    for module, _, code in _defined_codes():
        template = vars(importlib.import_module(module).Errors)[code]
        key = re.sub(r"\{[^{}]*\}", "{}", template.replace("{{", "").replace("}}", ""))
        assert key not in seen, f"{code} repeats {seen[key]}: {template!r}"
        seen[key] = code


def test_errors_no_module_imports_another_stage_catalogue() -> None:
    """A module imports ``weaklabel.errors`` or the ``_errors`` of its own stage."""
    wrong = []
    for module, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.rsplit(".", 1)[-1] not in {"_errors", "_span_errors"}:
                    continue
                stage = name.rsplit(".", 1)[0]
                if not (module == stage or module.startswith(stage + ".")):
                    wrong.append((module, name))
    assert wrong == []


def test_errors_catalogue_of_a_stage_raises_the_shared_messages() -> None:
    from weaklabel.augment._errors import Errors as AugmentErrors

    assert AugmentErrors.E060 == Errors.E060
    assert "E060" not in vars(AugmentErrors)


# ---------------------------------------------------------------------------------------
# messages users see
# ---------------------------------------------------------------------------------------
def test_errors_raised_error_shows_the_code() -> None:
    with pytest.raises(wl.errors.LabelSpaceError, match=r"^\[E013\] Unknown label 'EGGS'"):
        wl.LabelSpace(("HAM", "SPAM")).to_id("EGGS")


def test_errors_fault_warning_comes_from_the_catalogue() -> None:
    @wl.labeling_function()
    def boom(x: object) -> int:
        raise RuntimeError("no")

    with pytest.warns(UserWarning, match=r"\[W001\].*boom: 2"):
        wl.apply([boom], ["a", "b"], fault_tolerant=True, progress=False)


def test_errors_bad_n_jobs_is_a_weaklabel_error() -> None:
    with pytest.raises(ParameterError, match=r"\[E039\]") as info:
        wl.apply([wl.keyword_source("a", 0)], ["a"], n_jobs=0, progress=False)
    assert isinstance(info.value, WeaklabelError)
    assert isinstance(info.value, ValueError)


def test_errors_invalid_argument_names_the_owner_and_the_parameter() -> None:
    with pytest.raises(
        wl.errors.LabelModelError, match=r"^\[E060\] WeightedMajorityVote: smoothing"
    ):
        wl.WeightedMajorityVote(smoothing=-1).fit(np.array([[0, 1], [1, 1]]))


def test_errors_named_label_without_label_names_says_how_to_fix() -> None:
    source = wl.keyword_source("free", "SPAM", name="kw_free")
    with pytest.raises(SourceError, match=r"\[E042\] Source 'kw_free'.*label_names=\[") as info:
        wl.apply([source], ["free stuff"], progress=False)
    assert "row" not in str(info.value)


def test_errors_submodules_are_reachable_from_the_package() -> None:
    assert wl.errors.Errors is Errors
    assert hasattr(wl.models, "MajorityVote")
    with pytest.raises(AttributeError):
        wl.no_such_thing  # noqa: B018


def test_errors_lexicon_blank_weights_default_to_one_and_bad_ones_name_the_row() -> None:
    frame = pd.DataFrame({"term": ["good", "bad"], "label": ["POS", "NEG"], "weight": ["2.5", ""]})
    lexicon = wl.Lexicon.from_frame(frame)
    assert lexicon.weights == (2.5, 1.0)
    frame.loc[1, "weight"] = "heavy"
    with pytest.raises(SourceError, match=r"row 1 \('bad'\).*'heavy'"):
        wl.Lexicon.from_frame(frame)
    assert np.isfinite(lexicon.weights).all()
