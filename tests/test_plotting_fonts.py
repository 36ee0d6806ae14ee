"""Chinese glyphs render with the font that installs with hbkit; no global state changes."""

from __future__ import annotations

import subprocess
import sys
import warnings

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from hbkit import fonts, plotting

CHINESE = "孕产妇死亡率控制在8.5/10万以下：提前实现、有望实现、存在风险、难以实现、数据不足"


def _glyph_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught
            if "missing from font" in str(w.message) or "Glyph" in str(w.message)]


def test_shipped_font_is_noto_sans_sc_from_the_pip_package() -> None:
    path = fonts.shipped_font_path()
    assert path is not None and path.is_file()
    assert "pylopdf_fonts_zh_cn" in str(path)
    assert fonts.cjk_family() == "Noto Sans SC"


def test_chinese_title_draws_without_missing_glyph_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with fonts.chart_context():
            fig, ax = plt.subplots()
            ax.set_title(CHINESE)
            ax.set_xlabel("年份 − year")
        fig.canvas.draw()
    plt.close(fig)
    assert _glyph_warnings(caught) == []


def test_default_font_would_miss_the_glyphs() -> None:
    """The check above can fail: without hbkit's font, DejaVu Sans lacks Chinese glyphs."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
            fig, ax = plt.subplots()
            ax.set_title(CHINESE)
            fig.canvas.draw()
    plt.close(fig)
    assert _glyph_warnings(caught)


def test_apply_font_fixes_text_created_before_the_context() -> None:
    fig, ax = plt.subplots()  # made with the default font
    ax.set_title(CHINESE)
    ax.set_yticks([0, 1], ["有望实现", "难以实现"])
    fonts.apply_font(fig)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    assert _glyph_warnings(caught) == []


def test_charts_leave_rcparams_unchanged() -> None:
    before = dict(matplotlib.rcParams)
    table = pd.DataFrame({"mean_forecast": [0.2, 0.8], "observed_frequency": [0.1, 0.9]})
    ax = plotting.reliability_diagram(table)
    plt.close(ax.figure)
    after = dict(matplotlib.rcParams)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == set()


def test_charts_drawn_by_two_threads_at_once_leave_rcparams_unchanged() -> None:
    """A service rendering two districts' reports in threads: the first chart starts,
    the second starts, the first ends, the second ends. Afterwards the host's settings
    are back (with ``rc_context`` per call, the second restored hbkit's font for good),
    and the second chart keeps hbkit's font after the first one ended."""
    import threading

    before = {k: str(v) for k, v in matplotlib.rcParams.items()}
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def first() -> None:
        with fonts.chart_context():
            first_in.set()
            assert second_in.wait(10)
        first_out.set()

    def second() -> None:
        assert first_in.wait(10)
        with fonts.chart_context():
            second_in.set()
            assert first_out.wait(10)
            seen["font"] = list(matplotlib.rcParams["font.family"])

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert seen["font"] == ["Noto Sans SC", "DejaVu Sans"]
    after = {k: str(v) for k, v in matplotlib.rcParams.items()}
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {}


def test_importing_hbkit_plotting_modules_does_not_import_matplotlib() -> None:
    code = ("import sys, hbkit, hbkit.report, hbkit.fonts; hbkit.plotting; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_reliability_diagram_draws_the_bins_and_the_diagonal() -> None:
    table = pd.DataFrame({"mean_forecast": [0.05, 0.35, 0.75, 0.95],
                          "observed_frequency": [0.0, 0.4, 0.7, 1.0], "n": [12, 5, 8, 30]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = plotting.reliability_diagram(table, lang="zh")
        ax.figure.canvas.draw()
    assert _glyph_warnings(caught) == []
    assert ax.get_title(loc="left") == "概率校准（可靠性图）"
    points = ax.collections[0].get_offsets()
    assert points.shape == (4, 2)
    assert list(points[:, 1]) == [0.0, 0.4, 0.7, 1.0]
    plt.close(ax.figure)


def test_reliability_diagram_names_the_missing_column() -> None:
    from hbkit.exceptions import HbkitError

    with pytest.raises(HbkitError, match="observed frequency"):
        plotting.reliability_diagram(pd.DataFrame({"mean_forecast": [0.5]}))


def test_charts_keep_showing_in_a_notebook_after_the_first_hbkit_chart(monkeypatch) -> None:
    """In Jupyter the inline backend turns interactive mode on the first time
    pyplot is used; if that first use is inside hbkit's font context, the mode
    must survive the context, or no later chart of the session is shown."""
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel chooses, as in Jupyter
    nb = new_notebook(cells=[
        new_code_cell("from hbkit.fonts import chart_context\n"
                      "import matplotlib.pyplot as plt\n"
                      "with chart_context():\n"
                      "    fig, ax = plt.subplots()\n"
                      "    _ = ax.set_title('孕产妇死亡率')"),
        new_code_cell("fig2, ax2 = plt.subplots()\n_ = ax2.plot([1, 2])"),
    ])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    shown = [o for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
    assert shown, "the second chart of the session was not displayed"
    nbformat.validate(nb)


def test_public_draw_functions_render_chinese_on_a_developer_s_own_axes() -> None:
    """``draw_target`` / ``draw_series_view`` / ``draw_unit_counts`` / ``draw_probability_panel``
    draw on Axes a developer made outside hbkit's font context (a dashboard's figure): the
    Chinese must still render (every status, also a qualitative target's words-only chart)."""
    from test_report_cases import small_assessment

    assessment = small_assessment()
    frame = assessment.to_frame()
    for record in frame.drop_duplicates("status").to_dict("records"):
        fig, ax = plt.subplots()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            plotting.draw_target(assessment, record["target_id"], record["geo"], lang="zh", ax=ax)
            fig.canvas.draw()
        plt.close(fig)
        assert _glyph_warnings(caught) == [], record["status"]
    title, rows = plotting.probability_panels(assessment, "zh")[0]
    fig, ax = plt.subplots()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plotting.draw_probability_panel(assessment, rows, lang="zh", ax=ax, title=title)
        fig.canvas.draw()
    plt.close(fig)
    assert _glyph_warnings(caught) == []


def test_drawing_on_one_axes_leaves_the_developer_s_other_axes_alone() -> None:
    from test_report_cases import small_assessment

    assessment = small_assessment()
    target_id = assessment.to_frame()["target_id"].iloc[0]
    fig, (mine, theirs) = plt.subplots(1, 2)
    theirs.set_title("mine", fontfamily="serif")
    plotting.draw_target(assessment, target_id, ax=mine)
    plotting.fan_chart(assessment, target_id, ax=mine)
    assert theirs.title.get_fontfamily() == ["serif"]
    assert mine.title.get_fontfamily()[0] == fonts.cjk_family()
    plt.close(fig)


def test_no_chinese_font_at_all_says_so_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the shipped font and any system CJK font, charts fall back to the Latin
    font: one hbkit warning says Chinese will not render and what to install."""
    from hbkit.exceptions import HbkitWarning

    monkeypatch.setattr(fonts, "shipped_font_path", lambda: None)
    monkeypatch.setattr(fonts, "SYSTEM_CJK_FAMILIES", ("No Such Font SC",))
    fonts.cjk_family.cache_clear()
    try:
        with pytest.warns(HbkitWarning, match="^未找到中文字体.* / no Chinese font found"):
            assert fonts.font_families() == ["DejaVu Sans"]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert fonts.cjk_family() is None  # cached: said once per process
    finally:
        monkeypatch.undo()
        fonts.cjk_family.cache_clear()
    assert fonts.cjk_family() == "Noto Sans SC"
