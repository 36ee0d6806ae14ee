"""Execute every notebook in ``notebooks/`` offline, as an analyst would run it.

Notebooks are committed without outputs; this test runs each one top to bottom
in a fresh kernel and fails on the first cell that raises.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{path.name} has outputs committed"
                assert cell.execution_count is None, f"{path.name} has execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    nb = nbformat.read(path, as_version=4)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("HBKIT_NOTEBOOK_OUT", str(tmp_path))
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()
    # a warning printed with Python's file name and code line (red in Jupyter) is noise to an analyst:
    # hbkit's notes are printed one line each (notes_printed in the notebooks' set-up cell)
    noisy = [
        (number, output["text"][:300])
        for number, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("name") == "stderr" and "Warning" in output.get("text", "")
    ]
    assert noisy == [], f"{path.name}: warnings printed by cells {noisy}"


def test_notebooks_match_their_builder():
    """The notebooks are written by scripts/build_notebooks.py: an edit made to an
    .ipynb alone is lost at the next rebuild, so the two must say the same."""
    import importlib.util

    script = NOTEBOOK_DIR.parent / "scripts" / "build_notebooks.py"
    spec = importlib.util.spec_from_file_location("build_notebooks", script)
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert sorted(builder.NOTEBOOKS) == [p.name for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        committed = nbformat.read(path, as_version=4)
        built = builder.NOTEBOOKS[path.name]
        assert [(c.cell_type, c.source) for c in committed.cells] == [
            (c.cell_type, c.source) for c in built
        ], f"{path.name} differs from scripts/build_notebooks.py: run it after editing"
