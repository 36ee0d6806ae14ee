"""Fan and count charts of the review: what each chart must show, checked on its artists."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest

import hbkit
from hbkit import plotting
from hbkit.datasets import load_example


@pytest.fixture(scope="module")
def res() -> hbkit.Assessment:
    example = load_example("hebei_example")
    return hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=2023)


def _view(**changes):
    view = dict(
        name_zh="高中阶段毛入学率", name_en="Upper-secondary gross enrolment ratio",
        unit="percent", status="on_track", status_zh="有望实现", probability=0.9,
        history_years=[2019, 2020, 2021], history_values=[97.0, 98.0, 98.6],
        future_years=[2022, 2023], median=[99.0, 99.4],
        intervals={95: ([97.5, 97.6], [99.9, 100.0])}, target_value=98.0, target_year=2023)
    view.update(changes)
    return SimpleNamespace(**view)


@pytest.mark.parametrize("target_id", ["C-education-high-school-gross-enrolment",
                                       "W-education-compulsory-consolidation"])
def test_a_percentage_that_may_exceed_100_shows_its_whole_band(res, target_id) -> None:
    """The review's case: hi_95 100.53 / 100.22 but the y axis stopped at 100.10 / 100.04."""
    frame = res.to_frame()
    high = float(frame.loc[frame["target_id"] == target_id, "hi_95"].max())
    assert high > 100
    ax = res.plot(target_id)
    assert ax.get_ylim()[1] >= high
    plt.close(ax.figure)


def test_a_bounded_percentage_is_still_capped_near_100() -> None:
    figure, ax = plt.subplots()
    plotting.draw_series_view(_view(), lang="zh", ax=ax)
    assert 100.0 <= ax.get_ylim()[1] <= 100.0 + 0.03 * np.ptp(ax.get_ylim())
    assert ax.get_ylim()[0] >= 0.0
    plt.close(figure)


def _boxes(ax):
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return renderer, ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("target_id", ["W-health-maternal-mortality", "C-health-chc-child-gp",
                                       "C-education-high-school-gross-enrolment"])
def test_the_legend_is_below_the_data_and_clear_of_the_note(res, target_id, lang) -> None:
    """The review's cases: the maternal-mortality history ran through the legend; the count
    chart's note "latest: all 10 units have at least 1" was printed over "Target 1"."""
    ax = res.plot(target_id, lang=lang)
    renderer, legend, axes = _boxes(ax)
    assert legend.y1 < axes.y0  # outside the Axes: no data, line or note under it
    for label in ax.get_xticklabels():
        if label.get_text():
            assert not legend.overlaps(label.get_window_extent(renderer)), label.get_text()
    for note in ax.texts:
        assert not legend.overlaps(note.get_window_extent(renderer)), note.get_text()
    tight = ax.figure.get_tightbbox(renderer)
    width, height = ax.figure.get_size_inches()
    assert tight.y0 >= -0.01 and tight.x1 <= width + 0.01  # the legend is in the picture
    plt.close(ax.figure)


def _line(ax, gid):
    found = [line for line in ax.get_lines() if line.get_gid() == gid]
    assert len(found) == 1, [line.get_gid() for line in ax.get_lines()]
    return found[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_annual_change_target_is_drawn_as_the_path_the_rule_asks(res, lang) -> None:
    """每年降低1个百分点以上: from the 2020 value down 1 point a year, not a flat line."""
    from hbkit.attainment import target_value

    target = res.catalogue["C-health-myopia-annual-decline"]
    view = res.series(target.id)
    base = float(view.history_values[list(view.history_years).index(target.baseline_year)])
    ax = res.plot(target.id, lang=lang)
    line = _line(ax, plotting.TARGET_LINE_GID)
    years, values = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    assert years[0] == target.baseline_year and years[-1] == target.target_year
    np.testing.assert_allclose(values, base - 1.0 * (years - target.baseline_year))
    assert values[-1] == pytest.approx(float(target_value(target, base)))
    assert line.get_label() == ("目标路径：每年降低1个百分点" if lang == "zh"
                                else "Target path: down 1 point a year")
    plt.close(ax.figure)


@pytest.mark.parametrize("final", [False, True])
def test_a_trend_slowdown_target_shows_the_trend_before_the_baseline(res, final) -> None:
    """增长趋势得到有效控制 had no reference at all: the OLS line of the years up to 2020."""
    if final:
        example = load_example("hebei_example_final")
        res = hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=2025)
    target = res.catalogue["C-health-overweight-slowdown"]
    view = res.series(target.id)
    ax = res.plot(target.id)
    line = _line(ax, plotting.TREND_LINE_GID)
    years = np.asarray(view.history_years, float)
    before = years <= target.baseline_year
    slope, intercept = np.polyfit(years[before], np.asarray(view.history_values)[before], 1)
    xs, ys = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    assert xs[-1] == target.target_year
    np.testing.assert_allclose(ys, intercept + slope * xs)
    assert line.get_label() == "基期前趋势"
    assert line.get_linestyle() == "--"
    plt.close(ax.figure)


@pytest.mark.parametrize(("target_id", "lang", "label"), [
    ("C-welfare-childcare-institutions", "en", "number"),
    ("C-welfare-childcare-institutions", "zh", "个"),
    ("C-health-chc-child-gp", "en", "persons"),     # general practitioners: people, 人
    ("C-health-chc-child-gp", "zh", "人"),
])
def test_a_count_chart_names_its_unit_in_both_languages(res, target_id, lang, label) -> None:
    """The review's case: the English count chart had no y-axis label (Chinese shows 个)."""
    ax = res.plot(target_id, lang=lang)
    assert ax.get_ylabel().replace("\n", "") == label
    plt.close(ax.figure)


def test_a_unit_none_stays_unlabelled() -> None:
    figure, ax = plt.subplots()
    plotting.draw_series_view(_view(unit="none", name_en="Basic pension benefits"), lang="en",
                              ax=ax)
    assert ax.get_ylabel() == ""
    plt.close(figure)


def test_english_chart_titles_join_plan_and_domain_with_a_dash(res) -> None:
    """The chart font drew " · " as a full-width dot: "Women ・ Health"."""
    from matplotlib.text import Text

    axes = plotting.probability_chart(res, lang="en", by="plan")
    dashboard = plotting.status_dashboard(res, lang="en")
    for ax in [*axes, dashboard]:
        words = [t.get_text() for t in ax.findobj(Text)]
        assert not any("·" in w for w in words), [w for w in words if "·" in w]
    assert any("Women – Health" in t.get_text() for t in axes[0].texts)
    zh = plotting.probability_chart(res, lang="zh", by="plan")
    assert zh[0].get_title(loc="left") == "妇女发展规划 · 健康"
    plt.close("all")


def test_the_status_line_reads_on_white_for_every_status() -> None:
    """定性目标 was printed in #d0d7de (contrast 1.4:1)."""
    from matplotlib.colors import to_hex
    from matplotlib.text import Text

    from hbkit.report.wording import STATUS_COLOURS, contrast_ratio

    for status in STATUS_COLOURS:
        figure, ax = plt.subplots()
        plotting.draw_series_view(_view(status=status, status_zh="", probability=None,
                                        history_values=[], median=[]), lang="zh", ax=ax)
        right = [t for t in ax.findobj(Text) if t.get_text() == ax.get_title(loc="right")]
        assert contrast_ratio(to_hex(right[-1].get_color())) >= 4.5, status
        plt.close(figure)


def test_count_chart_alt_text_does_not_speak_of_a_projection(res, tmp_path) -> None:
    import re

    page = res.to_html(tmp_path / "r.html", lang="zh")
    html = (page if isinstance(page, str) and "<html" in page else
            (tmp_path / "r.html").read_text(encoding="utf-8"))
    alts = re.findall(r'alt="([^"]*)"', html)
    gp = [a for a in alts if a.startswith("社区卫生服务中心提供儿童基本医疗服务的全科医生数")]
    assert gp and all("预测中位数" not in a for a in gp), gp
    assert any("预测中位数" in a for a in alts)  # a projected target still says so


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_early_achievement_likely_lost_is_drawn_in_the_colour_of_its_probability(
        res: hbkit.Assessment, lang: str) -> None:
    """提前实现 with P 0.25 and 预计达标困难: the projection takes the colour P gives (off
    track, red), and the status line names the warning; not green beside a falling band."""
    from matplotlib.colors import to_hex

    from hbkit.report.wording import STATUS_COLOURS, warning_label

    tid = "W-social_security-elderly-canteens-coverage"
    row = res.to_frame().set_index("target_id").loc[tid]
    assert row["status"] == "achieved" and row["probability"] < 0.5
    assert "hard_to_reach" in row["warnings"].split(";")
    ax = res.plot(tid, lang=lang)
    assert warning_label("hard_to_reach", lang) in ax.get_title(loc="right")
    bands = {to_hex(c.get_facecolor()[0], keep_alpha=False) for c in ax.collections}
    assert bands == {STATUS_COLOURS["off_track"]}
    plt.close(ax.figure)
    calm = res.plot("W-health-life-expectancy", lang=lang)  # achieved, no warning: unchanged
    assert warning_label("hard_to_reach", lang) not in calm.get_title(loc="right")
    plt.close(calm.figure)
