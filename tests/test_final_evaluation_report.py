"""The final evaluation (终期评估) read as an analyst reads it.

1. A 波动较大 on a target achieved on its observed target-year value is a note on
   the data, not an early warning: it keeps its row in ``warnings_frame()`` (level
   ``note``) and in every report, apart from the warning list. The annual
   monitoring is unchanged.
2. The reports' 目标值 column says what a target asks when it is not a stated
   number: 高于2020年（95.2%）, not the bare 2020 value.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import hbkit
from hbkit.report import to_markdown, write_excel
from hbkit.report.html import render_html
from hbkit.warnings_rules.levels import NOTE_SENTENCE

YEARS = np.arange(2016, 2026)
GEO = "河北区"
#: events out of 1,000 a year: swings of 10 points where binomial noise is about 1.5
SWINGING = [600, 700, 580, 720, 590, 710, 600, 730, 610, 700]


def _target(**fields: object) -> hbkit.Target:
    return hbkit.Target(plan="children", domain="health", **fields)  # type: ignore[arg-type]


CATALOGUE = hbkit.Catalogue([
    _target(id="fl-met", indicator="swing_a", kind="lower_bound", threshold=50.0, unit="percent",
            name_zh="甲波动率", name_en="Swinging rate A"),
    _target(id="fl-miss", indicator="swing_b", kind="lower_bound", threshold=72.0,
            unit="percent", name_zh="乙波动率", name_en="Swinging rate B"),
    _target(id="dir", indicator="cover", kind="direction", direction="increase",
            unit="percent", baseline_year=2020, name_zh="覆盖率", name_en="Coverage"),
    _target(id="rel", indicator="injury", kind="relative_change", direction="decrease",
            threshold=20.0, unit="per_100k", baseline_year=2020, name_zh="伤害死亡率",
            name_en="Injury death rate"),
    _target(id="down", indicator="drown", kind="direction", direction="decrease",
            unit="per_100k", baseline_year=2020, name_zh="溺水死亡率", name_en="Drowning rate"),
    _target(id="held", indicator="poison", kind="direction", direction="decrease",
            unit="per_100k", baseline_year=2020, name_zh="中毒死亡率", name_en="Poisoning rate"),
])

#: smooth series (no fluctuation): coverage with 95.2% in 2020, rates with 4.5 and 2.0 in 2020
SMOOTH = {
    "cover": [93.0, 93.5, 94.1, 94.6, 95.2, 95.6, 96.0, 96.4, 96.7, 97.0],
    "injury": [5.3, 5.1, 4.9, 4.7, 4.5, 4.3, 4.1, 3.9, 3.7, 3.5],
    "drown": [2.8, 2.6, 2.4, 2.2, 2.0, 1.8, 1.6, 1.4, 1.2, 1.0],
    "poison": [0.0] * 10,
}


def _observations(last_year: int) -> pd.DataFrame:
    keep = YEARS <= last_year
    counts = [pd.DataFrame({"indicator": name, "geo": GEO, "year": YEARS[keep], "unit": "percent",
                            "value": np.array(SWINGING)[keep] / 10.0,
                            "numerator": np.array(SWINGING, dtype=float)[keep],
                            "denominator": 1000.0})
              for name in ("swing_a", "swing_b")]
    units = {"cover": "percent", "injury": "per_100k", "drown": "per_100k", "poison": "per_100k"}
    plain = [pd.DataFrame({"indicator": name, "geo": GEO, "year": YEARS[keep],
                           "unit": units[name], "value": np.array(values)[keep]})
             for name, values in SMOOTH.items()]
    return pd.concat([*counts, *plain], ignore_index=True)


@pytest.fixture(scope="module")
def final() -> hbkit.Assessment:
    return hbkit.assess(_observations(2025), catalogue=CATALOGUE, as_of=2025, n_draws=200, seed=1)


@pytest.fixture(scope="module")
def annual() -> hbkit.Assessment:
    return hbkit.assess(_observations(2023), catalogue=CATALOGUE, as_of=2023, n_draws=200, seed=1)


def _section(text: str, heading: str) -> str:
    """The Markdown section under ``## heading``, up to the next ``## ``."""
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 3)
    return text[start:] if end < 0 else text[start:end]


def _row(text: str, name: str) -> list[str]:
    """The cells of the targets' table row of ``name`` (the first such row after the lists)."""
    body = text[text.index("\n## 各领域目标实现情况" if "各领域" in text else "\n## Targets by"):]
    line = next(line for line in body.splitlines() if line.startswith(f"| {name} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


# ------------------------------------------------------------------ 1. fluctuation as a note
def test_final_fluctuation_on_an_achieved_target_is_a_note(final: hbkit.Assessment) -> None:
    frame = final.to_frame().set_index("target_id")
    assert final.final
    assert frame.loc["fl-met", "status"] == "achieved"  # 70% in 2025 >= 50%
    assert frame.loc["fl-miss", "status"] == "off_track"  # 70% in 2025 < 72%
    warn = final.warnings_frame().set_index("target_id")
    assert warn.loc["fl-met", "code"] == "fluctuation" and warn.loc["fl-met", "level"] == "note"
    assert warn.loc["fl-met", "text_zh"].endswith(NOTE_SENTENCE[0])
    assert warn.loc["fl-met", "text_en"].endswith(NOTE_SENTENCE[1])
    # the numbers behind it stay: about 10-point swings around 65%
    assert warn.loc["fl-met", "p_value"] < 0.01 and warn.loc["fl-met", "dispersion_df"] == 8
    # not met: the shortfall needs follow-up, and the swings are part of reading it
    assert warn.loc["fl-miss", "level"] == "warning"
    assert not warn.loc["fl-miss", "text_zh"].endswith(NOTE_SENTENCE[0])
    # to_frame's codes keep their meaning: the warnings that fired
    assert frame.loc["fl-met", "warnings"] == "fluctuation"


def test_annual_monitoring_keeps_every_fluctuation_a_warning(annual: hbkit.Assessment) -> None:
    warn = annual.warnings_frame()
    assert not annual.final
    met = annual.to_frame().set_index("target_id").loc["fl-met", "status"]
    assert met == "achieved"  # 提前实现: met so far, the target year still to come
    assert (warn.loc[warn["code"] == "fluctuation", "level"] == "warning").all()
    assert set(warn.loc[warn["code"] == "fluctuation", "target_id"]) == {"fl-met", "fl-miss"}
    md = to_markdown(annual)
    assert "数据说明" not in md and "甲波动率" in _section(md, "预警清单")


def test_markdown_lists_the_note_apart_from_the_warnings(final: hbkit.Assessment) -> None:
    zh, en = to_markdown(final), to_markdown(final, "en")
    warnings, notes = _section(zh, "预警清单"), _section(zh, "数据说明：波动较大")
    assert "乙波动率" in warnings and "甲波动率" not in warnings
    assert "| 甲波动率 | 河北区 | 已实现 | 波动较大 | 波动较大：逐年变化超出抽样误差" in notes
    assert NOTE_SENTENCE[0] not in notes  # said once, in the section's sentence
    assert "不再需要预警" in notes
    assert _row(zh, "甲波动率")[6] == "波动较大（数据说明）"
    assert _row(zh, "乙波动率")[6] == "波动较大"
    en_warnings = _section(en, "Warning list")
    assert "Swinging rate B" in en_warnings and "Swinging rate A" not in en_warnings
    assert "Swinging rate A" in _section(en, "Notes on the data: large fluctuations")
    assert _row(en, "Swinging rate A")[6] == "large fluctuation (note on the data)"


def test_html_counts_only_the_warnings_and_shows_the_notes(final: hbkit.Assessment) -> None:
    zh = render_html(final, "zh", charts=False)
    assert "<h2>预警清单（1）</h2>" in zh
    assert '<section id="data-notes"><h2>数据说明：波动较大（1）</h2>' in zh
    notes = zh[zh.index('<section id="data-notes">'):]
    assert "甲波动率" in notes[:notes.index("</section>")]
    assert '<a href="#data-notes">' in zh
    en = render_html(final, "en", charts=False)
    assert "<h2>Warning list (1)</h2>" in en and "Notes on the data: large fluctuations (1)" in en


def test_workbook_keeps_the_note_with_its_level(final: hbkit.Assessment, tmp_path) -> None:
    book = load_workbook(write_excel(final, tmp_path / "final.xlsx"))
    rows = list(book["预警清单"].iter_rows(values_only=True))
    header = rows[0]
    level = header.index("类别\nLevel")
    ids = [r[0] for r in rows[1:]]
    assert ids == ["fl-miss", "fl-met"]  # the warning first, then the note
    assert [r[level] for r in rows[1:]] == ["预警 / early warning", "数据说明 / note on the data"]


def test_json_gives_the_level(final: hbkit.Assessment) -> None:
    data = json.loads(final.to_json())
    levels = {w["target_id"]: w["level"] for w in data["warnings"]}
    assert levels == {"fl-met": "note", "fl-miss": "warning"}


# ------------------------------------------------------------------ 2. what the target is
def test_markdown_target_column_says_what_a_direction_target_asks(final) -> None:
    zh, en = to_markdown(final), to_markdown(final, "en")
    assert _row(zh, "覆盖率")[:6] == ["覆盖率", "河北区", "高于2020年（95.2%）", "97%（2025）",
                                    "满足判定规则", "已实现"]
    assert _row(en, "Coverage")[2] == "above 2020 (95.2%)"
    # 20% below 2020's 4.5 per 100,000: at most 3.6
    assert _row(zh, "伤害死亡率")[2] == "比2020年下降20%（≤3.6/10万）"
    assert _row(en, "Injury death rate")[2] == "20% below 2020 (<= 3.6 per 100,000)"
    assert _row(zh, "溺水死亡率")[2] == "低于2020年（2/10万）"
    # 0 in 2020 cannot fall: holding it meets the target
    assert _row(zh, "中毒死亡率")[2] == "保持2020年的0/10万"
    assert _row(zh, "中毒死亡率")[5] == "已实现"
    # a stated bound: its number, with the side it must be on
    assert _row(zh, "甲波动率")[2] == "≥50%"
    assert _row(en, "Swinging rate A")[2] == ">=50%"


def test_rule_names_holding_the_bound_only_where_it_applies(final: hbkit.Assessment) -> None:
    html = render_html(final, "zh", charts=False)
    assert "2025年值&lt;2020年值（2020年已为0时，保持0即达标）" in html  # the 0 in 2020
    card = html[html.index("溺水死亡率</h4>") if "溺水死亡率</h4>" in html
                else html.index("溺水死亡率"):]
    card = card[:card.index("</article>")]
    assert "2025年值&lt;2020年值" in card and "保持0即达标" not in card
    assert "高于2020年（95.2%）" in html


def test_numbers_stay_numbers_for_programs(final: hbkit.Assessment, tmp_path) -> None:
    frame = final.to_frame().set_index("target_id")
    assert "target_text" not in frame.columns
    assert frame.loc["dir", "baseline_value"] == pytest.approx(95.2)
    assert final.series("dir").target_value == pytest.approx(95.2)
    book = load_workbook(write_excel(final, tmp_path / "final.xlsx"))
    rows = list(book["全部目标"].iter_rows(values_only=True))
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == "dir")
    assert row[header.index("目标\nTarget")] == "高于2020年（95.2%）"
    assert row[header.index("目标（英文）\nTarget (en)")] == "above 2020 (95.2%)"
    assert row[header.index("目标值\nTarget value")] == pytest.approx(95.2)


def test_chart_legend_words_the_direction_target(final: hbkit.Assessment) -> None:
    import matplotlib.pyplot as plt

    ax = final.plot("dir")
    labels = [line.get_label() for line in ax.get_lines()]
    assert "目标 高于2020年（95.2%）" in labels
    plt.close(ax.figure)


def test_level_is_the_last_column_of_the_warnings(final: hbkit.Assessment) -> None:
    """The columns before it keep their places (positions are a contract, test_assess.py)."""
    from hbkit.warnings_rules import WARNING_COLUMNS

    columns = list(final.warnings_frame().columns)
    assert columns == list(WARNING_COLUMNS) and columns[-1] == "level"
    assert columns[:5] == ["target_id", "geo", "code", "text_zh", "text_en"]
