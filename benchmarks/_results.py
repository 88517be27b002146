"""Write one benchmark's section of ``benchmarks/RESULTS.md``, leaving the others alone."""

from __future__ import annotations

import datetime as _dt
import os
import platform
import re
import sys
import tempfile
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = (
    "# Benchmark results\n\n"
    "Each section is written by the script it names, with the date and the exact command.\n"
    "Ratios matter more than seconds: the machines here are shared and noisy.\n"
)


def machine() -> str:
    """One line describing where the numbers were measured."""
    return (
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{platform.machine()}, {platform.system()}"
    )


def write_section(key: str, title: str, body: str) -> Path:
    """Replace (or append) the section ``key`` of RESULTS.md atomically."""
    command = "python " + " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]])
    stamp = _dt.date.today().isoformat()
    section = (
        f"<!-- {key}:start -->\n## {title}\n\n"
        f"Measured {stamp} with `{command}` ({machine()}).\n\n{body.strip()}\n"
        f"<!-- {key}:end -->\n"
    )
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    pattern = re.compile(
        rf"<!-- {re.escape(key)}:start -->.*?<!-- {re.escape(key)}:end -->\n", re.S
    )
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text + "\n" + section
    fd, tmp = tempfile.mkstemp(dir=RESULTS.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, RESULTS)
    return RESULTS


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
