"""MkDocs hooks: pages that are generated from the code and the repository at build time.

- ``<!-- error-catalogue -->`` becomes one table per message catalogue listed in
  ``weaklabel.errors.CATALOGUES`` (code, the classes the source raises it with, template),
  then the retired codes of ``weaklabel.errors.RETIRED`` with the codes that replace them,
  so the page can never drift from the messages the library raises.
- ``<!-- exception-classes -->`` becomes a table of the exception and warning classes of
  ``weaklabel.errors``, with their built-in base class and their docstring's summary.
- ``<!-- public-api -->`` becomes a table of the names ``import weaklabel`` exports, each
  linked to its entry in the API reference (so a name without a reference page fails the
  strict build).
- ``<!-- benchmark-results -->`` becomes ``benchmarks/RESULTS.md`` without its title, so
  the page shows exactly the results the benchmark scripts last wrote.
"""

from __future__ import annotations

import ast
import builtins
import html
import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "weaklabel"
ERROR_MARKER = "<!-- error-catalogue -->"
CLASSES_MARKER = "<!-- exception-classes -->"
RESULTS_MARKER = "<!-- benchmark-results -->"
API_MARKER = "<!-- public-api -->"
RESULTS_FILE = ROOT / "benchmarks" / "RESULTS.md"

_CODE = re.compile(r"^[EW]\d{3}$")
_ROLE = re.compile(r":(?:py:)?[a-z]+:`(~?)([^`]+)`")


@dataclass(frozen=True)
class Message:
    """One numbered message: its code, the catalogue defining it, its template, its classes."""

    code: str
    module: str
    template: str
    raised_as: tuple[str, ...]


def _catalogue_class(module: str) -> type:
    return importlib.import_module(module).Errors


def _exception_names() -> set[str]:
    """Names of the classes a message can be raised or warned with."""
    from weaklabel import errors

    names = {n for n in errors.__all__ if isinstance(getattr(errors, n), type)}
    names |= {
        n
        for n, v in vars(builtins).items()
        if isinstance(v, type) and issubclass(v, BaseException | Warning)
    }
    return names - {"Errors", "ErrorCatalogue"}


def _call_kind(node: ast.Call, classes: set[str]) -> str | None:
    """The class a call raises or warns with, or None for any other call."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    if name == "warn" and isinstance(func, ast.Attribute):
        category = node.args[1] if len(node.args) > 1 else None
        for keyword in node.keywords:
            if keyword.arg == "category":
                category = keyword.value
        return "UserWarning" if category is None else ast.unparse(category).rsplit(".", 1)[-1]
    return name if name in classes else None


def _code_of(node: ast.AST) -> str | None:
    """The code a node names: ``Errors.E013`` or a string ``"E013"`` (given to a helper)."""
    if isinstance(node, ast.Attribute) and _CODE.match(node.attr):
        return node.attr
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _CODE.match(node.value):
        return node.value
    return None


RAISED_INDIRECTLY: dict[str, tuple[str, ...]] = {
    # The model base (weaklabel.models._params.SavedModel._error) raises these from the
    # fault tables of the two families; the class is chosen there, not where the code is.
    "E061": ("LabelModelError", "ParameterError"),
    "E130": ("LabelModelError",),
    "E131": ("LabelModelError",),
    "E132": ("LabelModelError",),
    "E133": ("LabelModelError",),
    "E134": ("LabelModelError",),
    "E135": ("LabelModelError",),
    # weaklabel.models._data.source_order raises its ``error`` template: E143 by default,
    # E660 for the sequence models.
    "E143": ("LabelMatrixError",),
    "E660": ("LabelMatrixError",),
    # Collected by weaklabel.models._label_model_diagnostics, warned by LabelModel.fit.
    "W100": ("LabelModelWarning",),
    "W101": ("LabelModelWarning",),
}
"""Codes whose raising call the source scan cannot see, with the classes they raise."""


def _hold(node: ast.AST, kinds: set[str], found: dict[str, set[str]], held: set[int]) -> None:
    """Give every code under ``node`` the classes ``kinds``; remember the nodes placed."""
    for sub in ast.walk(node):
        code = _code_of(sub)
        if code is not None and kinds:
            found.setdefault(code, set()).update(kinds)
            held.add(id(sub))


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def raised_as() -> dict[str, set[str]]:
    """Code -> the classes the package's source raises (or warns) it with.

    Read from the source: a code belongs to the class whose call holds it, as in
    ``raise SourceError(Errors.E030.format(...))`` or ``warnings.warn(Errors.W001...,
    LabelModelWarning)`` (a warning without a category is a ``UserWarning``), to the
    class next to it in a tuple (``(NotFittedError, Errors.E100)``), or to the classes a
    helper of the same module constructs when the code is an argument of that helper
    (``raise _fail("E675", ...)``). A warning built apart from its call gets the categories
    its module warns with. Anything else must be listed in :data:`RAISED_INDIRECTLY`.
    """
    classes = _exception_names()
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "errors.py":  # the catalogue itself, and RETIRED's strings
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        helpers: dict[str, set[str]] = {}
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef):
                made = {
                    kind
                    for c in ast.walk(function)
                    if isinstance(c, ast.Call) and (kind := _call_kind(c, classes)) is not None
                }
                if made:
                    helpers.setdefault(function.name, set()).update(made)
        held: set[int] = set()
        warned: set[str] = set()
        for call in calls:
            kind = _call_kind(call, classes)
            if kind is not None and kind.endswith("Warning"):
                warned.add(kind)
            kinds = {kind} if kind is not None else helpers.get(_called_name(call), set())
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                _hold(arg, kinds, found, held)
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple):
                named = {e.id for e in node.elts if isinstance(e, ast.Name) and e.id in classes}
                _hold(node, named, found, held)
        for node in ast.walk(tree):
            code = _code_of(node)
            if code is not None and code.startswith("W") and id(node) not in held and warned:
                found.setdefault(code, set()).update(warned)
    for code, indirect in RAISED_INDIRECTLY.items():
        found.setdefault(code, set()).update(indirect)
    return found


def error_catalogue() -> dict[str, Message]:
    """Every numbered message of every catalogue in ``weaklabel.errors.CATALOGUES``."""
    from weaklabel.errors import CATALOGUES

    classes = raised_as()
    found: dict[str, Message] = {}
    for module in CATALOGUES:
        for code, template in vars(_catalogue_class(module)).items():
            if not (_CODE.match(code) and isinstance(template, str)):
                continue
            if code in found:
                raise ValueError(
                    f"error code {code} is defined twice: {found[code].module}, {module}"
                )
            found[code] = Message(code, module, template, tuple(sorted(classes.get(code, ()))))
    return dict(sorted(found.items()))


def _render_message(template: str) -> str:
    text = template.replace("{{", "\x00").replace("}}", "\x01")
    text = html.escape(" ".join(text.split()))
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\{(\w+)[^}]*\}", r"<var>\1</var>", text)
    return text.replace("\x00", "{").replace("\x01", "}")


def render_error_catalogue() -> str:
    """One HTML table per catalogue (code, class raised, template), then the retired codes."""
    from weaklabel.errors import CATALOGUES, RETIRED

    catalogue = error_catalogue()
    parts: list[str] = []
    for module, title in CATALOGUES.items():
        codes = [m for m in catalogue.values() if m.module == module]
        rows = "\n".join(
            f'<tr><td id="{m.code}"><code>{m.code}</code></td>'
            f"<td>{', '.join(f'<code>{c}</code>' for c in m.raised_as)}</td>"
            f"<td>{_render_message(m.template)}</td></tr>"
            for m in codes
        )
        parts.append(
            f"### {title}\n\n<p>{len(codes)} messages, defined in <code>{module}</code>.</p>\n\n"
            "<table>\n<thead><tr><th>code</th><th>raised as</th><th>message</th></tr></thead>\n"
            f"<tbody>\n{rows}\n</tbody>\n</table>\n"
        )
    rows = "\n".join(
        f'<tr><td id="{old}"><code>{old}</code></td>'
        f'<td><a href="#{new}"><code>{new}</code></a></td></tr>'
        for old, new in sorted(RETIRED.items())
    )
    parts.append(
        "### Retired codes\n\n<p>Codes that were merged into another one with the same "
        "meaning. Older releases raised them; the message now carries the new code.</p>\n\n"
        "<table>\n<thead><tr><th>old code</th><th>raised now as</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n"
    )
    return "\n".join(parts)


def render_exception_classes() -> str:
    """A table of the classes of ``weaklabel.errors``: base classes and what each means."""
    from weaklabel import errors

    rows = []
    skip = {BaseException, object}
    for name in [n for n in vars(errors) if n in errors.__all__]:  # in definition order
        cls = getattr(errors, name)
        if not (isinstance(cls, type) and issubclass(cls, BaseException | Warning)):
            continue
        also = [
            f"`{base.__name__}`"
            for base in cls.__mro__[1:]
            if base.__module__ == "builtins"
            and base not in skip
            and (base is not Exception or cls is errors.WeaklabelError)
        ][:1]
        summary = " ".join((cls.__doc__ or "").strip().split("\n\n")[0].split())
        rows.append(f"| `weaklabel.errors.{name}` | {', '.join(also) or '--'} | {summary} |")
    header = "| class | also a | raised (or warned) when |\n| --- | --- | --- |\n"
    return header + "\n".join(rows) + "\n"


def benchmark_results() -> str:
    """``benchmarks/RESULTS.md`` without its first-level title."""
    lines = RESULTS_FILE.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip() + "\n"


def reference_page(module: str) -> str:
    """Path of a module's reference page, relative to ``docs/reference/``."""
    parts = module.split(".")[1:]
    path = ROOT / "docs" / "reference" / Path(*parts)
    return f"{'/'.join(parts)}/index.md" if path.is_dir() else f"{'/'.join(parts)}.md"


def _role_text(match: re.Match[str]) -> str:
    """The text a Sphinx role shows: the last component of the name after ``~``."""
    target = match[2].lstrip(".")
    return target.rsplit(".", 1)[-1] if match[1] else target


def render_public_api() -> str:
    """A table of ``weaklabel``'s exports, linked to the reference (relative to reference/)."""
    import weaklabel

    exports: dict[str, str] = dict(weaklabel._EXPORTS)
    rows = []
    for name in sorted(exports, key=str.lower):
        module = exports[name]
        summary = ""
        value = getattr(weaklabel, name)
        doc = getattr(value, "__doc__", None) if callable(value) else None
        if doc:
            summary = " ".join(doc.strip().split("\n\n")[0].split()).replace("|", "\\|")
            summary = _ROLE.sub(lambda m: f"`{_role_text(m)}`", summary)
        link = f"{reference_page(module)}#{module}.{name}"
        rows.append(f"| [`{name}`]({link}) | `{module}` | {summary} |")
    header = "| name | defined in | |\n| --- | --- | --- |\n"
    return header + "\n".join(rows) + "\n"


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    if ERROR_MARKER in markdown:
        markdown = markdown.replace(ERROR_MARKER, render_error_catalogue())
    if CLASSES_MARKER in markdown:
        markdown = markdown.replace(CLASSES_MARKER, render_exception_classes())
    if API_MARKER in markdown:
        markdown = markdown.replace(API_MARKER, render_public_api())
    if RESULTS_MARKER in markdown:
        markdown = markdown.replace(RESULTS_MARKER, benchmark_results())
    return markdown
