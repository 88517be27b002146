"""The documentation's code runs, and every public module has a reference page.

Every fenced ```` ```python ```` block in ``docs/**/*.md`` and ``README.md`` is
executed, page by page: the blocks of one page run in order in one namespace (a page
reads like a session), in a temporary working directory, so files the examples write
never land in the repository.
A block preceded by the line ``<!-- skip -->`` is not run; keep that rare.
"""

from __future__ import annotations

import importlib.util
import pkgutil
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import weaklabel

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCS = REPO_ROOT / "docs"
SKIP_MARKER = "<!-- skip -->"

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a Markdown page."""

    page: Path
    line: int  # 1-based line of the first line of code
    language: str
    code: str
    skipped: bool


def read_blocks(page: Path) -> list[Block]:
    """The fenced code blocks of ``page``, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        info = opening["info"].strip()
        language = info.split()[0].lstrip(".{").rstrip("}") if info else ""
        previous = next((lines[k].strip() for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            closing = _FENCE.match(lines[j])
            if (
                closing is not None
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        blocks.append(Block(page, i + 2, language, "\n".join(body), previous == SKIP_MARKER))
        i = j + 1
    return blocks


def python_blocks(page: Path) -> list[Block]:
    return [b for b in read_blocks(page) if b.language in ("python", "py")]


PAGES = sorted(p for p in [*DOCS.rglob("*.md"), REPO_ROOT / "README.md"] if python_blocks(p))


def _page_id(page: Path) -> str:
    return page.relative_to(REPO_ROOT).as_posix()


@pytest.mark.parametrize("page", PAGES, ids=[_page_id(p) for p in PAGES])
def test_docs_python_blocks_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict[str, object] = {"__name__": "__docs__"}
    try:
        for block in python_blocks(page):
            if block.skipped:
                continue
            # Pad so that tracebacks give the line number in the Markdown file.
            source = "\n" * (block.line - 1) + block.code
            code = compile(source, str(page.relative_to(REPO_ROOT)), "exec")
            exec(code, namespace)
    finally:
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is not None:
            plt.close("all")


def test_docs_skip_marker_is_rare() -> None:
    skipped = [f"{_page_id(b.page)}:{b.line}" for p in PAGES for b in python_blocks(p) if b.skipped]
    assert len(skipped) <= 3, f"too many skipped examples, make them runnable: {skipped}"


def _public_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(weaklabel.__path__, prefix="weaklabel."):
        parts = info.name.split(".")
        if any(part.startswith("_") for part in parts) or info.ispkg:
            continue
        if _is_deprecated_stub(info.name):
            continue
        names.append(info.name)
    return sorted(names)


def _is_deprecated_stub(module: str) -> bool:
    """An old import path kept for one release: it forwards everything to its new home."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    return "__getattr__ = moved_module(" in Path(spec.origin).read_text("utf-8")


def test_docs_reference_covers_every_public_module() -> None:
    documented = set()
    for page in (DOCS / "reference").rglob("*.md"):
        documented.update(re.findall(r"^::: ([\w.]+)", page.read_text("utf-8"), re.MULTILINE))
    missing = [name for name in _public_modules() if name not in documented]
    assert missing == [], (
        f"add an API reference page under docs/reference/ (and to the nav in mkdocs.yml) "
        f"for {missing}: a page holding '::: module.name'"
    )


def test_docs_fence_parser() -> None:
    page = DOCS / "index.md"
    blocks = read_blocks(page)
    assert any(b.language == "python" for b in blocks)
    assert any(b.language == "bash" for b in blocks)
    assert all(b.code.strip() for b in blocks)
