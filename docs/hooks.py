"""MkDocs hooks: pages that are generated from the code and the repository at build time.

- ``<!-- error-catalogue -->`` becomes a table of every numbered error message, read from
  the ``Errors`` classes of weaklabel's ``errors`` / ``_errors`` modules, so the page can
  never drift from the messages the library raises.
- ``<!-- public-api -->`` becomes a table of the names ``import weaklabel`` exports, each
  linked to its entry in the API reference (so a name without a reference page fails the
  strict build).
- ``<!-- benchmark-results -->`` becomes ``benchmarks/RESULTS.md`` without its title, so
  the page shows exactly the results the benchmark scripts last wrote.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ERROR_MARKER = "<!-- error-catalogue -->"
RESULTS_MARKER = "<!-- benchmark-results -->"
API_MARKER = "<!-- public-api -->"
RESULTS_FILE = ROOT / "benchmarks" / "RESULTS.md"

_CODE = re.compile(r"^[EW]\d{3}$")
_ROLE = re.compile(r":(?:py:)?[a-z]+:`(~?)([^`]+)`")
_GROUPS = {
    "E0": "Core: labels, label matrices, sources and apply",
    "E1": "Label models and metrics",
    "E2": "Datasets and files",
    "E3": "Analysis and plots",
    "E4": "Command line",
    "W0": "Warnings",
}


def error_catalogue() -> dict[str, tuple[str, str]]:
    """Every numbered message: code -> (module defining it, message template)."""
    import weaklabel

    found: dict[str, tuple[str, str]] = {}
    modules = ["weaklabel.errors"] + [
        info.name
        for info in pkgutil.walk_packages(weaklabel.__path__, prefix="weaklabel.")
        if info.name.rsplit(".", 1)[-1] == "_errors"
    ]
    for name in modules:
        catalogue = getattr(importlib.import_module(name), "Errors", None)
        if catalogue is None:
            continue
        for code, message in vars(catalogue).items():
            if _CODE.match(code) and isinstance(message, str):
                if code in found and found[code][1] != message:
                    raise ValueError(
                        f"error code {code} is defined twice: {found[code][0]}, {name}"
                    )
                found.setdefault(code, (name, message))
    return dict(sorted(found.items()))


def _render_message(template: str) -> str:
    text = template.replace("{{", "\x00").replace("}}", "\x01")
    text = html.escape(" ".join(text.split()))
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\{(\w+)[^}]*\}", r"<var>\1</var>", text)
    return text.replace("\x00", "{").replace("\x01", "}")


def render_error_catalogue() -> str:
    """The catalogue as one HTML table per group of codes."""
    parts: list[str] = []
    catalogue = error_catalogue()
    for prefix, title in _GROUPS.items():
        codes = [code for code in catalogue if code.startswith(prefix)]
        if not codes:
            continue
        modules = sorted({catalogue[code][0] for code in codes})
        where = ", ".join(f"<code>{m}</code>" for m in modules)
        rows = "\n".join(
            f'<tr><td id="{code}"><code>{code}</code></td>'
            f"<td>{_render_message(catalogue[code][1])}</td></tr>"
            for code in codes
        )
        parts.append(
            f"### {title}\n\n<p>Defined in {where}.</p>\n\n"
            f"<table>\n<thead><tr><th>code</th><th>message</th></tr></thead>\n"
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
