"""Add an API reference page (and a nav entry) for every public module that lacks one.

Run from the repository root after adding a module: ``python docs/add_reference_pages.py``.
``tests/test_docs.py`` fails until every public module has a page.
"""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import weaklabel

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "reference"
MKDOCS = ROOT / "mkdocs.yml"


def public_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(weaklabel.__path__, prefix="weaklabel."):
        if info.ispkg or any(part.startswith("_") for part in info.name.split(".")):
            continue
        names.append(info.name)
    return sorted(names)


def main() -> None:
    documented: set[str] = set()
    for page in REFERENCE.rglob("*.md"):
        documented.update(re.findall(r"^::: ([\w.]+)", page.read_text("utf-8"), re.MULTILINE))
    nav = MKDOCS.read_text("utf-8")
    lines = []
    for name in public_modules():
        if name in documented:
            continue
        parts = name.split(".")[1:]
        page = REFERENCE.joinpath(*parts[:-1], parts[-1] + ".md")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"# `{name}`\n\n::: {name}\n    options:\n      show_root_heading: false\n",
            encoding="utf-8",
        )
        lines.append(f"      - {name}: {page.relative_to(ROOT / 'docs').as_posix()}\n")
        print("added", page.relative_to(ROOT))
    if lines:
        anchor = "      - weaklabel.errors: reference/errors.md\n"
        MKDOCS.write_text(nav.replace(anchor, "".join(lines) + anchor), encoding="utf-8")


if __name__ == "__main__":
    main()
