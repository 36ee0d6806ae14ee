"""Chart text stays inside the picture: titles wrapped to fit and clear of the status line.

The report draws its fan charts with fixed margins (:data:`FAN_MARGINS`);
before these checks, a wrapped English title lost its first line above the
picture in 87 of the 130 charts of the demo report, and a one-line title ran
into the status "achieved early  P = 0.91".
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from test_report_cases import small_assessment

import hbkit
from hbkit import plotting
from hbkit.datasets import load_example
from hbkit.plotting import text_layout
from hbkit.report.charts import FAN_MARGINS, draw_figure, grow_to_fit


def _long_named_targets() -> tuple[str, ...]:
    """The two cases of the audit and the quantitative targets with the longest names."""
    targets = [t for t in load_example("hebei_example").catalogue if t.kind != "qualitative"]
    longest_en = sorted(targets, key=lambda t: -len(t.name_en))[:4]
    longest_zh = sorted(targets, key=lambda t: -len(t.name_zh))[:4]
    named = ["W-health-hiv-mtct", "W-health-cervical-cancer-screening"]
    return tuple(dict.fromkeys(named + [t.id for t in longest_en + longest_zh]))


LONG_NAMED = _long_named_targets()


@pytest.fixture(scope="module")
def assessment() -> hbkit.Assessment:
    return small_assessment(LONG_NAMED)


def _titles(ax) -> tuple[Text, Text]:
    """The left (name) and right (status) titles of ``ax``."""
    texts = [t for t in ax.get_children() if isinstance(t, Text)]
    left = next(t for t in texts if t.get_text() == ax.get_title(loc="left"))
    right = next(t for t in texts if t.get_text() == ax.get_title(loc="right"))
    return left, right


def _last_line_right(title: Text, renderer) -> float:
    """Right end (pixels) of the last line of a left-aligned title."""
    line = Text(0, 0, title.get_text().split("\n")[-1], fontproperties=title.get_fontproperties())
    line.set_figure(title.get_figure())
    return title.get_window_extent(renderer).x0 + line.get_window_extent(renderer).width


def _within(box: Bbox, frame: Bbox, tolerance: float = 0.5) -> bool:
    """Whether ``box`` lies inside ``frame`` (pixels; half a pixel allowed for rounding)."""
    return (box.x0 >= frame.x0 - tolerance and box.y0 >= frame.y0 - tolerance
            and box.x1 <= frame.x1 + tolerance and box.y1 <= frame.y1 + tolerance)


def _check_fits(figure, where: str) -> None:
    """Every title lies inside the figure, the name clear of the status, after an Agg draw."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    for ax in figure.axes:
        left, right = _titles(ax)
        for title in (left, right):
            box = title.get_window_extent(renderer)
            assert _within(box, figure.bbox), (where, title.get_text(), box, figure.bbox)
        if not right.get_text():
            continue
        # the status shares the baseline of the name's last line: that line ends before it
        status = right.get_window_extent(renderer)
        assert status.x0 - _last_line_right(left, renderer) > 0, (where, left.get_text())
        name = left.get_window_extent(renderer)
        line_height = name.height / (left.get_text().count("\n") + 1)
        assert status.y0 < name.y0 + line_height / 2, where  # beside the last line, not above
    tight = figure.get_tightbbox(renderer)  # inches: all that is drawn
    width, height = figure.get_size_inches()
    assert tight.x0 >= -0.01 and tight.y0 >= -0.01, where
    assert tight.x1 <= width + 0.01 and tight.y1 <= height + 0.01, where


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_fan_chart_titles_fit_inside_the_picture(assessment, lang) -> None:
    for target_id in LONG_NAMED:
        view = assessment.series(target_id)
        figure = draw_figure(lambda ax: plotting.draw_series_view(view, lang=lang, ax=ax,  # noqa: B023
                                                                  legend=False),
                             (4.6, 2.9), margins=FAN_MARGINS)
        _check_fits(figure, f"{target_id} ({lang})")
        name = view.name_zh if lang == "zh" else view.name_en
        shown = figure.axes[0].get_title(loc="left").replace("\n", "" if lang == "zh" else " ")
        assert shown == name  # wrapped, nothing dropped


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fan_chart_title_is_clear_of_the_status(assessment, lang) -> None:
    for target_id in LONG_NAMED:
        ax = plotting.fan_chart(assessment, target_id, lang=lang)
        _check_fits(ax.figure, f"{target_id} ({lang})")
        plt.close(ax.figure)


def test_title_wraps_to_the_room_left_of_the_status(assessment) -> None:
    """The audit's case: "Mother-to-child transmission rate of HIV" ran into "achieved early  P = 0.91"."""
    view = assessment.series("W-health-hiv-mtct")
    figure = draw_figure(lambda ax: plotting.draw_series_view(view, lang="en", ax=ax, legend=False),
                         (4.6, 2.9), margins=FAN_MARGINS)
    left, right = _titles(figure.axes[0])
    assert right.get_text().startswith("achieved early  P = 0.9")
    assert left.get_text().replace("\n", " ") == "Mother-to-child transmission rate of HIV"
    assert "\n" in left.get_text()  # one line does not fit beside the status
    _check_fits(figure, "W-health-hiv-mtct (en)")


def test_grow_to_fit_keeps_the_axes_size_and_grows_the_figure_by_what_is_missing() -> None:
    def draw(ax) -> None:
        ax.plot([0, 1], [0, 1])
        ax.set_title("第一行\n第二行\n第三行\n第四行", loc="left")

    figure = draw_figure(draw, (4.0, 2.0), margins={"left": 0.15, "right": 0.95,
                                                    "bottom": 0.15, "top": 0.95})
    ax = figure.axes[0]
    width, height = figure.get_size_inches()
    assert width == pytest.approx(4.0) and height > 2.0
    assert ax.get_position().height * height == pytest.approx(0.8 * 2.0)
    _check_fits(figure, "four-line title")
    assert not grow_to_fit(figure)  # fits now: nothing more to do


def test_grow_to_fit_makes_room_for_wide_y_tick_labels_and_the_unit() -> None:
    """The report's case: "100.00" and the unit "%" of a screening rate were cut at the left."""
    def draw(ax) -> None:
        ax.plot([2016, 2023], [97.9, 100.04])
        ax.set_ylabel("%")
        ax.set_title("孕产妇艾滋病检测率", loc="left")

    figure = draw_figure(draw, (4.6, 2.9), margins=FAN_MARGINS)
    assert figure.get_size_inches()[0] > 4.6
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    assert _within(figure.axes[0].yaxis.label.get_window_extent(renderer), figure.bbox)
    _check_fits(figure, "y tick labels")


def test_wrap_to_width_keeps_every_piece_and_each_line_fits() -> None:
    for label, width in [("Mother-to-child transmission rate of HIV", 90.0),
                         ("社区卫生服务中心提供儿童基本医疗服务的全科医生数（%）", 60.0)]:
        lines = text_layout.wrap_to_width(label, width, 10.5)
        assert len(lines) > 1
        assert all(text_layout.text_width(line, 10.5) <= width for line in lines)
        assert (" " if " " in label else "").join(lines) == label
        assert not any(line.startswith(("）", "%")) for line in lines)  # punctuation stays


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_probability_chart_wraps_long_names_to_two_lines(assessment, lang) -> None:
    """Names wrap to two lines of the label width; only a longer one is cut with "…"."""
    ax = plotting.probability_chart(assessment, lang=lang)
    rows = plotting.probability_rows(assessment, lang)
    column = "name_zh" if lang == "zh" else "name_en"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(rows["label"])
    wrapped = 0
    for label, name in zip(labels, rows[column], strict=True):
        lines = label.split("\n")
        assert len(lines) <= 2, label
        for line in lines:
            width = text_layout.text_width(line, plotting.PROBABILITY_LABEL_SIZE)
            assert width <= plotting.PROBABILITY_LABEL_WIDTH, label
        joined = " ".join(lines) if lang == "en" else "".join(lines)
        if joined != name:
            assert text_layout.ELLIPSIS in label, label
        wrapped += len(lines) == 2
    if lang == "en":
        assert wrapped  # the longest names take two lines
    plt.close(ax.figure)


def test_probability_labels_of_different_targets_differ() -> None:
    """The review's case: the members and the directors targets both read
    "Female share of community residents' committee…"."""
    example = load_example("hebei_example")
    res = hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=2023)
    for lang in ("en", "zh"):
        rows = plotting.probability_rows(res, lang)
        column = "name_zh" if lang == "zh" else "name_en"
        names = rows.groupby("label")[column].nunique()
        assert (names == 1).all(), names[names > 1]
    labels = plotting.overview.distinct_labels(
        ["Female share of community residents' committee members who are appointed in the "
         "district, by street and by year of appointment, in total",
         "Female share of community residents' committee members who are appointed in the "
         "district, by street and by year of appointment, per street"], ["", ""])
    assert labels[0] != labels[1]
    assert labels[1].endswith("per street")


def test_achieved_targets_without_a_probability_have_no_dot() -> None:
    """A count_minimum target (区四套领导班子) has no probability: it is not drawn at P = 1."""
    example = load_example("hebei_example")
    res = hbkit.assess(example.targeted(), catalogue=example.catalogue, as_of=2023)
    rows = plotting.probability_rows(res, "zh")
    missing = rows[rows["probability"].isna()]
    assert len(missing) and (missing["status"] == "achieved").all()
    assert missing["p"].isna().all()
    ax = plotting.draw_probability_panel(res, rows, lang="zh")
    dots = ax.collections[-1].get_offsets()
    assert len(dots) == rows["p"].notna().sum()
    positions = {float(y) for _, y in dots}
    for position in np.flatnonzero(rows["p"].isna().to_numpy()):
        assert float(position) not in positions
    words = [t for t in ax.texts if t.get_gid() == plotting.overview.NO_PROBABILITY_GID]
    assert [t.get_text() for t in words] == ["无概率"] * len(missing)
    plt.close(ax.figure)


def test_probability_label_keeps_the_area_and_does_not_end_on_a_dangling_word() -> None:
    label = plotting.probability_label(
        "Share of district Party and government departments with a woman in the leadership "
        "team of every street and of every community of the district, counted each year",
        "（光复道街道）")
    assert label.count("\n") == 1
    assert label.endswith("…（光复道街道）")
    assert not label.removesuffix("…（光复道街道）").endswith((" and", " of", " with", ","))
    assert text_layout.shorten_to_width("Prevalence of anaemia among pregnant and lactating women",
                                        200, 10) == "Prevalence of anaemia among pregnant…"
