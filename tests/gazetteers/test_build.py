"""The shipped gazetteers build reproducibly from ``gazetteers/build.py``."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "gazetteers"
MANIFEST = json.loads((FOLDER / "MANIFEST.json").read_text(encoding="utf-8"))


def _installed_inputs() -> dict[str, str]:
    out = {}
    for name in MANIFEST["inputs"]:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "(not installed)"
    return out


def test_build_manifest_matches_the_committed_files() -> None:
    for name, info in MANIFEST["files"].items():
        data = (FOLDER / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"], name
        assert data.count(b"\n") == info["entries"]
        assert info["licence"]
        for line in data.decode("utf-8").splitlines():
            record = json.loads(line)
            assert (
                list(record)[:2] == ["entry", "label"]
                and record["entry"] == record["entry"].strip()
            )


def test_build_reproduces_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    installed = _installed_inputs()
    if installed != MANIFEST["inputs"]:
        pytest.skip(
            f"the gazetteers were built from {MANIFEST['inputs']}; this environment has "
            f"{installed}. Rebuild with `python gazetteers/build.py` after upgrading them."
        )
    result = subprocess.run(
        [sys.executable, str(FOLDER / "build.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == sorted([*MANIFEST["files"], "MANIFEST.json"])
    for name in built:
        assert (tmp_path / name).read_bytes() == (FOLDER / name).read_bytes(), name
    check = subprocess.run(
        [sys.executable, str(FOLDER / "build.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert check.returncode == 0, check.stderr


def test_build_leaves_out_everyday_words() -> None:
    spec = importlib.util.spec_from_file_location("weaklabel_gazetteer_build", FOLDER / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name in MANIFEST["files"]:
        for line in (FOLDER / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for term in [record["entry"], *record.get("aliases", [])]:
                assert term.lower() not in build.COMMON_WORDS, (name, term)
