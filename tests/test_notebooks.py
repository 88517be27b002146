"""Every notebook in ``notebooks/`` runs top to bottom without an error.

The notebooks are executed with nbclient in a ``python3`` kernel that is pinned to the
interpreter running the tests (``sys.executable``, the project's virtualenv), never to a
``python3`` kernel that happens to be registered elsewhere on the machine. The working
directory is ``notebooks/``, as when a user opens them in Jupyter. They read the real
data in ``../shared/data`` (or ``$WEAKLABEL_SHARED_DATA``), so they run only when the
``shared_data`` fixture finds it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402
from nbclient.exceptions import CellExecutionError  # noqa: E402

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
TIMEOUT = 600  # seconds per cell

# Injected before the notebook's first cell (in memory only): proves which interpreter
# the kernel runs.
_WHICH_PYTHON = "import sys as _sys\nprint(_sys.executable)"


def _kernel_manager() -> KernelManager:
    """A manager for the native ``python3`` kernel of *this* interpreter.

    With no kernel directories to search, jupyter_client falls back to ipykernel's own
    spec, whose command line is built from ``sys.executable``: the kernel runs in the same
    virtualenv as the tests, whatever ``jupyter kernelspec list`` says.
    """
    specs = KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)
    return KernelManager(kernel_name="python3", kernel_spec_manager=specs)


def _errors(notebook: object) -> list[str]:
    found = []
    for index, cell in enumerate(notebook.cells):  # type: ignore[attr-defined]
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                source = cell.source.strip().splitlines()
                first = source[0] if source else ""
                found.append(f"cell {index} ({first!r}): {output['ename']}: {output['evalue']}")
    return found


@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebooks_run_without_errors(path: Path, shared_data: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(_WHICH_PYTHON))
    client = nbclient.NotebookClient(
        notebook,
        km=_kernel_manager(),
        kernel_name="python3",
        timeout=TIMEOUT,
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    try:
        client.execute(cwd=str(NOTEBOOK_DIR))
    except CellExecutionError as exc:
        pytest.fail(f"{path.name} failed:\n{exc}", pytrace=False)

    assert _errors(notebook) == []
    printed = "".join(o.get("text", "") for o in notebook.cells[0].get("outputs", []))
    assert printed.strip() == sys.executable, (
        f"the kernel ran {printed.strip()!r}, not the test interpreter {sys.executable!r}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebooks_saved_without_outputs(path: Path) -> None:
    """Notebooks are committed clean: no outputs, no execution counts."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    dirty = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert dirty == [], f"{path.name}: clear the outputs of cells {dirty} before saving"
