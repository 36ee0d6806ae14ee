"""Charts of a real assessment: drawn without warnings, Chinese glyphs, the right content."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from test_report_cases import TARGET_IDS, small_assessment

import hbkit
from hbkit import plotting
from hbkit.exceptions import HbkitError
from hbkit.report.wording import STATUS_COLOURS


@pytest.fixture(scope="module")
def assessment() -> hbkit.Assessment:
    return small_assessment()


def _draw_quietly(make):
    """Draw the chart made by ``make()``; return it with every warning raised while drawing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = make()
        ax.figure.canvas.draw()
    return ax, [str(w.message) for w in caught]


def _quantitative(assessment: hbkit.Assessment) -> list[tuple[str, str]]:
    frame = assessment.to_frame()
    rows = frame[~frame["status"].isin(["not_quantifiable", "no_data"])]
    return list(zip(rows["target_id"], rows["geo"], strict=True))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fan_charts_draw_without_warnings_and_show_the_target(assessment, lang) -> None:
    cases = _quantitative(assessment)
    assert len(cases) >= 4
    for target_id, geo in cases:
        view = assessment.series(target_id, geo)
        ax, messages = _draw_quietly(lambda: plotting.fan_chart(assessment, target_id, geo,  # noqa: B023
                                                                lang=lang))
        assert messages == [], (target_id, messages)
        title = ax.get_title(loc="left")
        joined = title.replace("\n", "" if lang == "zh" else " ")
        assert joined == (view.name_zh if lang == "zh" else view.name_en)
        lines = {line.get_gid(): line for line in ax.get_lines()}
        if np.isfinite(view.target_value):
            target = lines[plotting.TARGET_LINE_GID]
            assert target.get_ydata()[0] == pytest.approx(view.target_value)
            year = lines[plotting.TARGET_YEAR_GID]
            assert year.get_xdata()[0] == view.target_year
        plt.close(ax.figure)


def test_fan_chart_colours_follow_the_status(assessment) -> None:
    for target_id, geo in _quantitative(assessment):
        view = assessment.series(target_id, geo)
        ax = plotting.fan_chart(assessment, target_id, geo)
        if view.median.size and np.isfinite(view.median).any():
            bands = ax.collections
            assert len(bands) == len(view.intervals)
            for band in bands:
                assert to_hex(band.get_facecolor()[0], keep_alpha=False) == \
                    STATUS_COLOURS[view.status]
            median = [line for line in ax.get_lines() if line.get_linestyle() == "--"][0]
            assert median.get_ydata()[-1] == pytest.approx(view.median[-1])
        plt.close(ax.figure)


def test_fan_chart_history_is_the_observed_series(assessment) -> None:
    view = assessment.series("C-health-infant-mortality")
    ax = plotting.fan_chart(assessment, "C-health-infant-mortality")
    history = ax.get_lines()[0]
    seen = np.isfinite(view.history_values)
    np.testing.assert_allclose(history.get_xdata(), view.history_years[seen])
    np.testing.assert_allclose(history.get_ydata(), view.history_values[seen])
    plt.close(ax.figure)


def test_status_dashboard_counts(assessment) -> None:
    ax, messages = _draw_quietly(lambda: plotting.status_dashboard(assessment))
    assert messages == []
    counts = [int(t.get_text()) for t in ax.texts if t.get_text().isdigit()]
    assert sum(counts) == len(assessment.to_frame())
    labels = [t.get_text() for t in ax.get_xticklabels()]
    # every achieved row of this 2023 assessment reads 提前实现, and so does its column
    assert set(assessment.to_frame().query("status == 'achieved'")["status_zh"]) == {"提前实现"}
    assert labels == ["提前实现", "有望实现", "存在风险", "难以实现", "数据不足", "无数据", "定性目标"]
    plt.close(ax.figure)


def test_probability_chart_shows_every_target_with_a_probability(assessment) -> None:
    frame = assessment.to_frame()
    expected = frame["probability"].notna() | (frame["status"] == "achieved")
    ax, messages = _draw_quietly(lambda: plotting.probability_chart(assessment))
    assert messages == []
    offsets = ax.collections[-1].get_offsets()
    assert len(offsets) == int(expected.sum())
    p = frame.loc[frame["probability"].notna(), "probability"].to_numpy()
    assert sorted(np.round(offsets[:, 0], 9)) == sorted(
        np.round(np.concatenate([p, np.ones(int(expected.sum()) - len(p))]), 9))
    plt.close(ax.figure)


@pytest.mark.parametrize(("lang", "word"), [("zh", "提前实现"), ("en", "achieved early")])
def test_probability_chart_legend_words_statuses_like_the_headings(assessment, lang, word) -> None:
    # every achieved row of this 2023 assessment reads 提前实现; the legend must not say 已实现
    assert set(assessment.to_frame().query("status == 'achieved'")["status_zh"]) == {"提前实现"}
    ax = plotting.probability_chart(assessment, lang=lang)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert word in labels
    assert ("已实现" if lang == "zh" else "achieved") not in labels
    plt.close(ax.figure)


@pytest.mark.parametrize(("lang", "titles"), [
    ("zh", ["妇女发展规划", "儿童发展规划"]),
    ("en", ["Women's Development Plan", "Children's Development Plan"]),
])
def test_probability_chart_by_plan_draws_one_figure_per_plan(assessment, lang, titles) -> None:
    frame = assessment.to_frame()
    shown = frame["probability"].notna() | (frame["status"] == "achieved")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        axes = plotting.probability_chart(assessment, lang=lang, by="plan")
        for ax in axes:
            ax.figure.canvas.draw()
    assert [str(w.message) for w in caught] == []  # Chinese titles render: no missing glyph
    assert [ax.get_title(loc="left") for ax in axes] == titles
    assert len({id(ax.figure) for ax in axes}) == 2
    for ax, plan in zip(axes, ["women", "children"], strict=True):
        mine = shown & (frame["plan"] == plan)
        assert len(ax.collections[-1].get_offsets()) == int(mine.sum())
        plt.close(ax.figure)


def test_probability_panels_of_the_whole_catalogue_stay_short_and_keep_plans_apart() -> None:
    example = hbkit.datasets.load_example("hebei_example")
    res = hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=2023, n_draws=200)
    every = plotting.probability_rows(res, "zh")
    assert len(every) > 100  # the single chart is over a hundred rows tall
    panels = plotting.probability_panels(res, "zh")
    assert all(len(rows) <= plotting.PANEL_MAX_ROWS for _, rows in panels)
    assert sorted(i for _, rows in panels for i in rows.index) == sorted(every.index)
    for title, rows in panels:
        (plan,) = set(rows["plan"])
        assert title.startswith("妇女发展规划 · " if plan == "women" else "儿童发展规划 · ")
        for domain in dict.fromkeys(rows["domain_zh"]):
            assert domain in title
    assert [len(rows) for _, rows in plotting.probability_panels(res, "zh", by="domain")] == \
        list(every.groupby(["plan", "domain"], sort=False).size())


def test_probability_panels_cut_a_long_plan_between_domains(assessment) -> None:
    panels = plotting.probability_panels(assessment, "en", max_rows=1)
    women = [(title, rows) for title, rows in panels if set(rows["plan"]) == {"women"}]
    # the women's rows are in two domains (health, education): one panel each
    assert [title for title, _ in women] == ["Women's Development Plan · Health",
                                             "Women's Development Plan · Education"]
    assert len(women[0][1]) > 1  # a domain over max_rows stays whole


def test_probability_chart_by_plan_takes_one_axes_per_panel(assessment) -> None:
    n = len(plotting.probability_panels(assessment))
    fig, axes = plt.subplots(n, 1)
    assert plotting.probability_chart(assessment, ax=list(axes), by="plan") == list(axes)
    with pytest.raises(HbkitError, match=f"{n} panels"):
        plotting.probability_chart(assessment, ax=axes[0], by="plan")
    with pytest.raises(HbkitError, match="by"):
        plotting.probability_chart(assessment, by="street")  # type: ignore[call-overload]
    plt.close(fig)


def test_charts_accept_an_axes_and_return_it(assessment) -> None:
    fig, axes = plt.subplots(1, 2)
    assert plotting.fan_chart(assessment, TARGET_IDS[1], ax=axes[0]) is axes[0]
    assert plotting.status_dashboard(assessment, ax=axes[1]) is axes[1]
    plt.close(fig)


def test_assessment_plot_delegates(assessment) -> None:
    ax = assessment.plot(TARGET_IDS[1])
    assert ax.get_lines()
    plt.close(ax.figure)


def test_reliability_diagram_of_a_real_backtest() -> None:
    import pandas as pd

    rng = np.random.default_rng(0)
    years = np.arange(2000, 2021)
    rows = [{"indicator": "under5_mortality_rate", "geo": f"G{i}", "year": int(y),
             "value": 40 * np.exp(-0.04 * (y - 2000) + rng.normal(0, 0.03)), "unit": "per_1000"}
            for i in range(12) for y in years]
    result = hbkit.backtest(pd.DataFrame(rows), origins=[2012, 2014], horizon=3, n_draws=200)
    table = result.reliability()
    ax, messages = _draw_quietly(lambda: plotting.reliability_diagram(result))
    assert messages == []
    shown = table[table["n"] > 0]
    points = ax.collections[-1].get_offsets()
    np.testing.assert_allclose(points[:, 0], shown["mean_probability"])
    np.testing.assert_allclose(points[:, 1], shown["observed_frequency"])
    assert ax.get_title(loc="left") == "概率校准（可靠性图）"
    plt.close(ax.figure)


def test_reliability_labels_stay_inside_the_axes_at_the_corners() -> None:
    import pandas as pd

    table = pd.DataFrame({"mean_probability": [0.0, 0.02, 0.5, 0.97, 1.0],
                          "observed_frequency": [0.0, 0.05, 0.5, 1.0, 1.0],
                          "n": [7643, 120, 40, 300, 5000]})
    ax, _ = _draw_quietly(lambda: plotting.reliability_diagram(table))
    fig = ax.figure
    fig.canvas.draw()
    inside = ax.get_window_extent()
    labels = [t for t in ax.texts if t.get_text().startswith("n=")]
    assert len(labels) == len(table)
    for label in labels:
        box = label.get_window_extent()
        assert (box.x0 >= inside.x0 and box.x1 <= inside.x1
                and box.y0 >= inside.y0 and box.y1 <= inside.y1), label.get_text()
    plt.close(fig)


# ---------------------------------------------------------------- count_minimum targets

#: "至少配备1名" in each of four leadership teams / ten community health centres
COUNT_TARGETS = ("W-decision-district-leadership-women", "C-health-chc-child-gp")


@pytest.fixture(scope="module")
def counted() -> hbkit.Assessment:
    # with a district-level indicator, as in real data: the district is the area assessed
    # (observations of units alone would make each unit an area of its own)
    return small_assessment(COUNT_TARGETS + ("W-health-hiv-mtct",))


def _fewest_by_year(assessment: hbkit.Assessment, target_id: str):
    """The fewest in any unit each year, straight from the observations."""
    target = assessment.catalogue[target_id]
    obs = assessment.observations
    rows = obs[(obs["indicator"] == target.indicator) & obs["geo"].str.startswith("河北区/")]
    return rows.groupby("year")["value"].min()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_count_minimum_chart_draws_the_units_counts_not_no_data(counted, lang) -> None:
    """The audit's case: the chart said "无可用数据" over an axis 2024.65-2025.4, while
    the card above it gave the latest value 1 个 (2023; 1人 since the unit persons): the area's view has no rows,
    the counts are observed per unit (geo 河北区/<unit>)."""
    for target_id in COUNT_TARGETS:
        ax, messages = _draw_quietly(lambda: plotting.fan_chart(counted, target_id,  # noqa: B023
                                                                lang=lang))
        assert messages == [], (target_id, messages)
        texts = " ".join(t.get_text() for t in ax.texts)
        assert "无可用数据" not in texts and "no data" not in texts
        fewest = _fewest_by_year(counted, target_id)
        line = next(line for line in ax.get_lines()
                    if len(line.get_xdata()) == len(fewest) and line.get_marker() == "o")
        np.testing.assert_array_equal(line.get_xdata(), fewest.index.to_numpy(dtype=float))
        np.testing.assert_array_equal(line.get_ydata(), fewest.to_numpy())
        row = counted.to_frame().set_index("target_id").loc[target_id]
        assert line.get_ydata()[-1] == row["latest_value"]  # the card's latest value
        lines = {line.get_gid(): line for line in ax.get_lines()}
        assert lines[plotting.TARGET_LINE_GID].get_ydata()[0] == row["threshold"]
        low, high = ax.get_xlim()
        assert low < fewest.index.min() and high > row["target_year"]
        assert all(float(t).is_integer() for t in ax.get_xticks() if low <= t <= high)
        # the shipped count rules count people (至少配备1名女干部, 全科医生): 人, upright
        if lang == "zh":
            assert ax.get_ylabel() == "人" and ax.yaxis.label.get_rotation() == 0
        else:
            assert ax.get_ylabel() == "persons"
        units = len(plotting.unit_counts(counted, target_id).columns)
        assert units > 1
        words = f"{units}个单位" if lang == "zh" else f"all {units} units"
        assert words in texts  # the note: how many units meet the minimum
        plt.close(ax.figure)


def test_count_minimum_chart_marks_the_years_a_unit_was_below_the_minimum(counted) -> None:
    ax = plotting.fan_chart(counted, "W-decision-district-leadership-women", lang="en")
    fewest = _fewest_by_year(counted, "W-decision-district-leadership-women")
    red = [line for line in ax.get_lines()
           if to_hex(line.get_color()) == STATUS_COLOURS["off_track"]]
    expected = fewest[fewest < 1]
    if len(expected):
        np.testing.assert_array_equal(red[0].get_xdata(), expected.index.to_numpy(dtype=float))
    else:
        assert red == []
    plt.close(ax.figure)


def test_a_chart_with_nothing_to_draw_says_why_in_words() -> None:
    """No counts at all: the row's reason, in the chart's language, and no empty axes."""
    from test_report_cases import small_inputs

    observations, catalogue = small_inputs(("C-health-chc-child-gp", "W-health-hiv-mtct"))
    observations = observations[observations["indicator"] != "chc_child_care_general_practitioners"]
    assessment = hbkit.assess(observations, catalogue=catalogue, as_of=2023, n_draws=100, seed=1)
    for lang, words in (("zh", "无社区卫生服务中心提供儿童基本医疗服务的全科医生数数据"),
                        ("en", "no data for")):
        ax = plotting.fan_chart(assessment, "C-health-chc-child-gp", lang=lang)
        shown = " ".join(t.get_text().replace("\n", " " if lang == "en" else "")
                         for t in ax.texts)
        assert words in shown.replace("_ ", "_")
        assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
        assert ax.get_lines() == [] and not any(s.get_visible() for s in ax.spines.values())
        plt.close(ax.figure)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_series_view_of_a_target_judged_on_its_units_does_not_say_no_data(counted, lang) -> None:
    """Drawn from the area's view alone (no counts), a judged count_minimum target says it
    was judged on its units' data, not "no data", and shows no axes that suggest a series."""
    view = counted.series("C-health-chc-child-gp")
    assert view.history_values.size == 0 and view.status == "achieved"
    fig, ax = plt.subplots()
    plotting.draw_series_view(view, lang=lang, ax=ax)
    shown = " ".join(t.get_text() for t in ax.texts)
    assert "无可用数据" not in shown and "no data" not in shown
    assert ("下级单位" if lang == "zh" else "its units") in shown.replace("\n", " ")
    assert list(ax.get_xticks()) == [] and ax.get_lines() == []
    plt.close(fig)


def test_a_chart_gives_the_reason_in_its_own_language() -> None:
    """The reason comes from ``reason_zh`` / ``reason_en``, not from splitting "中文 / English"
    (a Chinese reason may hold " / " itself)."""
    import dataclasses

    from test_report_cases import small_inputs

    observations, catalogue = small_inputs(("C-health-chc-child-gp", "W-health-hiv-mtct"))
    observations = observations[observations["indicator"] != "chc_child_care_general_practitioners"]
    assessment = hbkit.assess(observations, catalogue=catalogue, as_of=2023, n_draws=100, seed=1)
    frame = assessment.frame.copy()
    row = frame["target_id"] == "C-health-chc-child-gp"
    frame.loc[row, ["reason", "reason_zh", "reason_en"]] = ["甲 / 乙 / other", "甲 / 乙", "other"]
    changed = dataclasses.replace(assessment, frame=frame)
    for lang, words in (("zh", "甲 / 乙"), ("en", "other")):
        ax = plotting.fan_chart(changed, "C-health-chc-child-gp", lang=lang)
        assert [t.get_text() for t in ax.texts] == [words]
        plt.close(ax.figure)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_decided_targets_charts_give_the_observed_value_not_a_probability(lang) -> None:
    """At the final evaluation a target decided by its 2025 value says the value and the
    rule's outcome, not "P = 1.00"; the annual report's charts keep the probability."""
    from test_report_cases import small_final_assessment

    final = small_final_assessment()
    met = {"zh": "已实现  70.3%（2025），满足判定规则", "en": "achieved  70.3% (2025), rule met"}
    missed = {"zh": "未实现  34.7%（2025），不满足判定规则",
              "en": "not achieved  34.7% (2025), rule not met"}
    for target_id, subtitle in (("W-health-cervical-cancer-screening", met),
                                ("W-decision-female-party-members", missed)):
        ax = plotting.fan_chart(final, target_id, lang=lang)
        assert ax.get_title(loc="right") == subtitle[lang]
        plt.close(ax.figure)
    ax = plotting.fan_chart(final, "C-health-immunization-each-street", lang=lang)
    assert ("最差单位" if lang == "zh" else "worst unit") in ax.get_title(loc="right")
    assert "P" not in ax.get_title(loc="right")
    plt.close(ax.figure)
    annual = small_assessment()
    ax = plotting.fan_chart(annual, "W-health-cervical-cancer-screening", lang=lang)
    assert "P = " in ax.get_title(loc="right") or "P <" in ax.get_title(loc="right") or \
        "P >" in ax.get_title(loc="right")
    plt.close(ax.figure)


def test_each_street_chart_says_it_follows_the_worst_unit() -> None:
    """以街为单位: the line is each year's worst street, not the district: the status line and
    the legend say 最差单位 / worst unit; a district-level target's chart does not."""
    from test_report_cases import small_inputs

    observations, catalogue = small_inputs(("C-health-immunization-each-street",
                                            "W-health-cervical-cancer-screening"))
    result = hbkit.assess(observations, catalogue=catalogue, as_of=2023, n_draws=300, seed=1)
    for lang, note in (("zh", "（最差单位）"), ("en", " (worst unit)")):
        ax = plotting.fan_chart(result, "C-health-immunization-each-street", lang=lang)
        assert ax.get_title(loc="right").endswith(note)
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels[0].endswith(note)
        median = "预测中位数（最差单位）" if lang == "zh" else "projection, worst unit (median)"
        assert median in labels[1:]  # not "projection (median) (worst unit)"
        plain = plotting.fan_chart(result, "W-health-cervical-cancer-screening", lang=lang)
        assert note not in plain.get_title(loc="right")
        plt.close("all")


def test_fan_subtitle_spaces_a_bounded_probability_like_an_equal_one():
    from types import SimpleNamespace

    from hbkit.plotting.fan import _subtitle

    def view(p):
        return SimpleNamespace(status_zh="难以实现", probability=p)

    assert _subtitle(view(0.004), "off_track", "zh").endswith("P < 0.01")
    assert _subtitle(view(0.996), "on_track", "en").endswith("P > 0.99")
    assert _subtitle(view(0.42), "off_track", "en").endswith("P = 0.42")
