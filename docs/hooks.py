"""MkDocs hooks: pages that are generated from the code and the repository at build time.

- ``<!-- error-catalogue -->`` becomes one table per message catalogue listed in
  ``weaklabel.errors.CATALOGUES`` (code, the classes the source raises it with, template),
  then the retired codes of ``weaklabel.errors.RETIRED`` with the codes that replace them,
  so the page can never drift from the messages the library raises.
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
    return importlib.import_module(module).Errors  # type: ignore[no-any-return]


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


def raised_as() -> dict[str, set[str]]:
    """Code -> the classes the package's source raises (or warns) it with.

    Read from the source: a code belongs to the class whose call holds it, as in
    ``raise SourceError(Errors.E030.format(...))`` or ``warnings.warn(Errors.W001...,
    LabelModelWarning)`` (a warning without a category is a ``UserWarning``). A message
    built apart from that call (kept in a dict, collected in a list) gets the exception
    classes its function (else its module) names, and a warning the categories its module
    warns with. A code may also be named as a string (``fail("E675", ...)``).
    """
    classes = _exception_names()
    found: dict[str, set[str]] = {}
    loose: list[tuple[str, set[str], set[str]]] = []  # code, function's classes, warnings
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        held: set[int] = set()
        warned: set[str] = set()
        for node in calls:
            kind = _call_kind(node, classes)
            if kind is None:
                continue
            if kind.endswith("Warning"):
                warned.add(kind)
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                for sub in ast.walk(arg):
                    if isinstance(sub, ast.Attribute) and _CODE.match(sub.attr):
                        found.setdefault(sub.attr, set()).add(kind)
                        held.add(id(sub))
        for node in ast.walk(tree):  # a table of faults: (SomeError, Errors.E100)
            if isinstance(node, ast.Tuple):
                kinds = {e.id for e in node.elts if isinstance(e, ast.Name) and e.id in classes}
                for element in node.elts:
                    for sub in ast.walk(element):
                        if kinds and isinstance(sub, ast.Attribute) and _CODE.match(sub.attr):
                            found.setdefault(sub.attr, set()).update(kinds)
                            held.add(id(sub))
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        in_module = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in classes}
        for node in ast.walk(tree):
            code = _code_of(node)
            if code is None or id(node) in held:
                continue
            inner = [f for f in functions if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)]
            named = {
                n.id
                for f in inner[-1:]
                for n in ast.walk(f)
                if isinstance(n, ast.Name) and n.id in classes
            }
            loose.append((code, named or in_module, warned))
    for code, named, warned in loose:
        if code not in found:
            kinds = warned if code.startswith("W") else named
            if kinds:
                found[code] = set(kinds)
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
    if API_MARKER in markdown:
        markdown = markdown.replace(API_MARKER, render_public_api())
    if RESULTS_MARKER in markdown:
        markdown = markdown.replace(RESULTS_MARKER, benchmark_results())
    return markdown
