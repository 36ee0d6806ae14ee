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


def test_annual_monitoring_runs_on_the_next_plans_catalogue(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    """Notebook 02 as its "your own file" section tells an analyst of the next plans
    (2026-2030, base 2025) to run it after their first year: MY_FILE, MY_CATALOGUE, as_of
    2026 and 2025. Before, the catalogue could not be set, the attention table said
    2025年预测 over 2030 projections, the English fan chart asked for a shipped target id,
    section 8 read the shipped targets out of the user's catalogue, and the reports were
    named 河北区2023年度监测报告 whatever the year."""
    import pandas as pd

    catalogue = tmp_path / "河北区规划2026-2030目标.xlsx"
    pd.DataFrame([
        {"目标编号": "C-myopia-2030", "规划": "儿童", "领域": "健康", "规划原文": "儿童青少年总体近视率每年降低1个百分点",
         "中文名称": "儿童青少年总体近视率", "英文名称": "Myopia rate", "指标编号": "child_adolescent_myopia_rate",
         "目标类型": "annual_change", "目标值": 1, "单位": "%", "期望方向": "降低", "目标年份": 2030, "基期年份": 2025},
        {"目标编号": "W-screening-2030", "规划": "妇女", "领域": "健康", "规划原文": "宫颈癌筛查率达到80%以上",
         "中文名称": "宫颈癌筛查率", "英文名称": "Cervical cancer screening rate",
         "指标编号": "cervical_cancer_screening_rate", "目标类型": "lower_bound", "目标值": 80, "单位": "%",
         "目标年份": 2030},
    ]).to_excel(catalogue, index=False)
    data = tmp_path / "上报数据2026.csv"
    years = range(2018, 2027)
    pd.DataFrame(
        [{"指标代码": "child_adolescent_myopia_rate", "地区": "河北区", "年份": y, "数值": v}
         for y, v in zip(years, [55.1, 54.8, 56.9, 56.2, 55.4, 54.9, 54.0, 53.2, 52.5], strict=True)]
        + [{"指标代码": "cervical_cancer_screening_rate", "地区": "河北区", "年份": y, "数值": v}
           for y, v in zip(years, [55.2, 58.1, 52.4, 60.3, 63.0, 66.2, 68.8, 71.5, 73.9], strict=True)]
    ).to_csv(data, index=False)
    nb = nbformat.read(NOTEBOOK_DIR / "02_annual_monitoring.ipynb", as_version=4)
    edits = {"MY_FILE = None": f"MY_FILE = Path({str(data)!r})",
             "MY_CATALOGUE = None": f"MY_CATALOGUE = Path({str(catalogue)!r})",
             "res = hbkit.assess(obs, catalogue=cat, as_of=2023)":
                 "res = hbkit.assess(obs, catalogue=cat, as_of=2026)",
             "last_year = hbkit.assess(obs, catalogue=cat, as_of=2022)":
                 "last_year = hbkit.assess(obs, catalogue=cat, as_of=2025)"}
    for old, new in edits.items():
        cells = [cell for cell in nb.cells if cell.cell_type == "code" and old in cell.source]
        assert len(cells) == 1, old
        cells[0].source = cells[0].source.replace(old, new)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("HBKIT_NOTEBOOK_OUT", str(tmp_path / "out"))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK_DIR)}}).execute()
    shown = "\n".join(output.get("data", {}).get("text/plain", "") + output.get("text", "")
                      for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs)
    assert "2030年预测 projected" in shown and "2025年预测" not in shown
    assert "C-myopia-2030" in shown
    # the report files are named by the year monitored, not the example's 2023
    assert sorted(p.name for p in (tmp_path / "out").glob("*年度监测报告*")) == [
        "河北区2026年度监测报告.html", "河北区2026年度监测报告.xlsx"]
