"""``import weaklabel.export`` stays light: no pandas, no spaCy, no Label Studio SDK."""

from __future__ import annotations

import json
import subprocess
import sys


def test_init_export_package_pulls_in_no_heavy_dependency() -> None:
    heavy = ["pandas", "scipy", "spacy", "sklearn", "torch", "label_studio_sdk", "requests"]
    code = (
        "import sys, json, weaklabel.export as e; e.gold_labels; "
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert json.loads(out) == []


def test_init_export_package_lists_its_public_names() -> None:
    import weaklabel.export as export

    assert sorted(export.__all__) == sorted(n for n in dir(export) if n in export.__all__)
    assert {"classification_tasks", "gold_labels", "span_config", "ExportError"} <= set(
        export.__all__
    )
