"""One test per checking rule of read_observations, with the message checked."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from hbkit import DataValidationError, DataWarning, HbkitError, Target, read_observations

CATALOGUE = [
    Target(id="W-health-mmr", indicator="maternal_mortality_ratio", kind="upper_bound",
           threshold=8.5, unit="per_100k", domain="health", name_zh="孕产妇死亡率"),
    Target(id="W-health-hdr", indicator="hospital_delivery_rate", kind="lower_bound",
           threshold=99, unit="percent", domain="health", name_zh="住院分娩率"),
    Target(id="C-health-imr", indicator="infant_mortality_rate", kind="upper_bound",
           threshold=5, unit="per_1000", domain="health", name_zh="婴儿死亡率"),
    Target(id="C-edu-hs", indicator="high_school_gross_enrollment_rate", kind="lower_bound",
           threshold=98, unit="percent", bounded=False, domain="education",
           name_zh="高中阶段毛入学率"),
]
HEADER = "indicator,geo,year,value,numerator,denominator,unit\n"


def write(tmp_path: Path, body: str, name: str = "obs.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def refused(path: Path, catalogue: list[Target] | None = CATALOGUE) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        read_observations(path, catalogue)
    return info.value


def only_problem(error: DataValidationError) -> dict[str, object]:
    assert len(error.problems) == 1, error.problems
    return error.problems.iloc[0].to_dict()


def test_required_column_missing_names_the_columns_found(tmp_path):
    path = write(tmp_path, "imr,2020\n", header="indicator,year\n")
    error = refused(path, None)
    problem = only_problem(error)
    assert problem["code"] == "column-missing"
    assert problem["row"] == 1 and "value 数值" in problem["column"]
    assert "indicator, year" in problem["value"]
    assert "缺少必需的列 / a required column is missing" in str(error)


def test_every_required_column_reported_at_once(tmp_path):
    error = refused(write(tmp_path, "x\n", header="备注\n"), None)
    assert list(error.problems["code"]) == ["column-missing"] * 3


@pytest.mark.parametrize(("header", "body", "column", "first"), [
    # two 2023 columns disagreeing (3.1, 9.9): the second used to be dropped silently
    ("指标,地区,2022年,2023年,2023年\n", "婴儿死亡率,河北区,3.0,3.1,9.9\n", "2023年", "第4列“2023年”"),
    ("indicator,geo,year,数值,value\n", "infant_mortality_rate,河北区,2023,3.1,3.9\n", "value",
     "第4列“数值”"),
])
def test_a_second_column_meaning_the_same_is_refused(tmp_path, header, body, column, first):
    error = refused(write(tmp_path, body, header=header), None)
    problem = only_problem(error)
    assert problem["code"] == "column-duplicate" and problem["column"] == column
    assert problem["row"] == 1 and first in str(problem["rule"])


def test_repeated_note_columns_are_not_data_and_stay_ignored(tmp_path):
    path = write(tmp_path, "infant_mortality_rate,河北区,2023,3.1,a,b\n",
                 header="indicator,geo,year,value,备注,备注\n")
    obs = read_observations(path)
    assert obs.frame["value"].tolist() == [3.1]
    assert list(obs.ignored_columns) == ["备注"]


def test_not_a_number_names_row_column_and_value(tmp_path):
    error = refused(write(tmp_path, "infant_mortality_rate,河北区,2020,abc,,,‰\n"))
    problem = only_problem(error)
    assert (problem["row"], problem["column"], problem["value"], problem["code"]) == (
        2, "value", "abc", "not-a-number")
    assert "不是数字 / not a number" in str(error) and "'abc'" in str(error)


@pytest.mark.parametrize("year", ["20x1", "1948", "2101", "2020.5"])
def test_year_must_be_integer_in_range(tmp_path, year):
    error = refused(write(tmp_path, f"infant_mortality_rate,河北区,{year},3,,,‰\n"))
    problem = only_problem(error)
    assert problem["code"] == "year-invalid" and problem["value"] == year
    assert "1949-2100" in str(error)


@pytest.mark.parametrize("year", ["", "  "])
def test_empty_year_is_reported_as_empty(tmp_path, year):
    """An empty year cell says so, rather than "not a whole year" with an empty value."""
    error = refused(write(tmp_path, f"infant_mortality_rate,河北区,{year},3,,,‰\n"))
    problem = only_problem(error)
    assert (problem["row"], problem["column"], problem["code"]) == (2, "year", "year-missing")
    assert "年份为空 / the year cell is empty" in problem["rule"]
    assert "1949-2100" not in problem["rule"]


def test_empty_year_from_a_frame_is_reported_as_empty():
    frame = pd.DataFrame({"indicator": ["infant_mortality_rate"], "year": [math.nan],
                          "value": [3.0]})
    problem = only_problem(refused(frame, None))
    assert (problem["code"], problem["value"]) == ("year-missing", "")


def test_value_shown_as_received_not_folded(tmp_path):
    """The problem table shows the cell as written: a full-width comma stays full-width."""
    error = refused(write(tmp_path, "infant_mortality_rate,河北区,2020,\"95，2\",,,‰\n"
                                    "infant_mortality_rate,河北区,２０２０年x,3,,,‰\n"))
    assert error.problems[["row", "column", "value", "code"]].values.tolist() == [
        [2, "value", "95，2", "not-a-number"], [3, "year", "２０２０年x", "year-invalid"]]


def test_conflicting_duplicates_list_every_row(tmp_path):
    body = ("infant_mortality_rate,河北区,2020,3.1,,,‰\n"
            "infant_mortality_rate,河北区,2020,3.4,,,‰\n")
    error = refused(write(tmp_path, body))
    assert list(error.problems["row"]) == [2, 3]
    assert set(error.problems["code"]) == {"duplicate-conflict"}
    assert "row 2: 3.1" in str(error) and "row 3: 3.4" in str(error)
    assert "同一指标、地区、年份有多行且数值不同" in str(error)


def test_duplicate_problems_name_the_files_column_and_cell_as_received(tmp_path):
    # like every other problem: the header of the file (数值, or the year's column of a
    # wide table) and the cell as written (0.34%, not the 3.4 it was converted to)
    path = tmp_path / "zh.csv"
    path.write_text("指标代码,地区,年份,数值,单位\n"
                    "infant_mortality_rate,河北区,2020,3.1,‰\n"
                    "infant_mortality_rate,河北区,2020,0.34%,\n", encoding="utf-8")
    error = refused(path)
    assert error.problems[["row", "column", "value"]].values.tolist() == [
        [2, "数值", "3.1"], [3, "数值", "0.34%"]]
    wide = pd.DataFrame({"指标": ["婴儿死亡率", "婴儿死亡率"], "2020年": [3.0, 3.0],
                         "2021年": [2.9, 3.1]})
    with pytest.raises(DataValidationError) as info:
        read_observations(wide, CATALOGUE)
    assert info.value.problems[["row", "column", "value"]].values.tolist() == [
        [2, "2021年", "2.9"], [3, "2021年", "3.1"]]


def test_identical_duplicates_merged_with_warning_and_logged(tmp_path):
    body = "infant_mortality_rate,河北区,2020,3.1,,,‰\n" * 3
    with pytest.warns(DataWarning, match=r"merged 2 identical duplicate rows"):
        obs = read_observations(write(tmp_path, body), CATALOGUE)
    assert len(obs.frame) == 1 and obs.frame["row"].tolist() == [2]
    assert obs.excluded["row"].tolist() == [3, 4]
    assert set(obs.excluded["code"]) == {"duplicate-merged"}
    assert "same as" in obs.excluded["rule"].iloc[0]


def test_negative_rate(tmp_path):
    error = refused(write(tmp_path, "infant_mortality_rate,河北区,2020,-0.5,,,‰\n"))
    problem = only_problem(error)
    assert (problem["code"], problem["value"]) == ("negative", "-0.5")
    assert "不能为负数 / a rate or count cannot be negative" in str(error)


def test_negative_numerator(tmp_path):
    error = refused(write(tmp_path, "infant_mortality_rate,河北区,2020,,-1,4000,‰\n"))
    assert only_problem(error)["column"] == "numerator"


def test_above_100_for_bounded_but_not_for_gross_ratio(tmp_path):
    body = ("hospital_delivery_rate,河北区,2020,100.2,,,%\n"
            "high_school_gross_enrollment_rate,河北区,2020,103.5,,,%\n")
    error = refused(write(tmp_path, body))
    problem = only_problem(error)
    assert (problem["row"], problem["code"]) == (2, "above-100")
    assert "hospital_delivery_rate is bounded" in str(error)
    obs = read_observations(write(tmp_path, body.splitlines()[1] + "\n", "ok.csv"), CATALOGUE)
    assert obs.frame["value"].tolist() == [103.5]


def test_numerator_above_denominator_for_a_proportion(tmp_path):
    error = refused(write(tmp_path, "hospital_delivery_rate,河北区,2020,,4100,4000,%\n"))
    problem = only_problem(error)
    assert (problem["column"], problem["code"]) == ("numerator", "numerator-above-denominator")
    assert "4100 > 4000" in str(error)


def test_gross_ratio_numerator_may_exceed_denominator(tmp_path):
    body = "high_school_gross_enrollment_rate,河北区,2020,102.5,4100,4000,%\n"
    assert read_observations(write(tmp_path, body), CATALOGUE).frame["value"].tolist() == [102.5]


def test_zero_denominator(tmp_path):
    error = refused(write(tmp_path, "infant_mortality_rate,河北区,2020,,0,0,‰\n"))
    problem = only_problem(error)
    assert (problem["column"], problem["code"]) == ("denominator", "zero-denominator")
    assert "分母为0 / zero denominator" in str(error)


def test_numerator_without_denominator(tmp_path):
    error = refused(write(tmp_path, "infant_mortality_rate,河北区,2020,3,12,,‰\n"))
    assert only_problem(error)["code"] == "numerator-denominator-pair"


def test_value_disagreeing_with_counts(tmp_path):
    # 14 / 4000 * 1000 = 3.5; 3.9 is off by 11%
    error = refused(write(tmp_path, "infant_mortality_rate,河北区,2020,3.9,14,4000,‰\n"))
    problem = only_problem(error)
    assert problem["code"] == "value-disagrees"
    assert "14/4000*1000 = 3.5" in str(error)
    assert "beyond rounding" in str(error)


@pytest.mark.parametrize("printed", ["24.39", "24.4", "24", "24.5"])
def test_value_within_rounding_accepted(tmp_path, printed):
    # 1 / 4100 * 100000 = 24.390...: each printing is a rounding or within 0.5%
    body = f"maternal_mortality_ratio,河北区,2020,{printed},1,4100,1/10万\n"
    assert read_observations(write(tmp_path, body), CATALOGUE).frame["value"].iloc[0] == float(
        printed)


def test_value_beyond_half_percent_refused(tmp_path):
    # 24.6 vs 24.390: 0.86% off, more than half a unit of the last decimal (0.05)
    body = "maternal_mortality_ratio,河北区,2020,24.6,1,4100,1/10万\n"
    assert only_problem(refused(write(tmp_path, body)))["code"] == "value-disagrees"


@pytest.mark.parametrize("text", ["inf", "-inf", "∞", "Infinity"])
def test_infinite_values(tmp_path, text):
    error = refused(write(tmp_path, f"infant_mortality_rate,河北区,2020,{text},,,‰\n"))
    problem = only_problem(error)
    assert problem["code"] == "infinite" and "数值为无穷大 / infinite value" in str(error)


def test_infinite_value_in_a_frame():
    frame = pd.DataFrame({"indicator": ["infant_mortality_rate"], "year": [2020],
                          "value": [math.inf]})
    with pytest.raises(DataValidationError, match="infinite value"):
        read_observations(frame)


def test_unknown_indicator_suggests_closest_id(tmp_path):
    error = refused(write(tmp_path, "infant_mortality_ratee,河北区,2020,3,,,‰\n"))
    problem = only_problem(error)
    assert problem["code"] == "unknown-indicator"
    assert "是否为 / did you mean: 婴儿死亡率（infant_mortality_rate）, " in problem["rule"]


def test_unknown_name_suggests_the_most_similar_first():
    """婴儿死亡律 (one character off 婴儿死亡率): the closest first, not alphabetical order."""
    from hbkit import load_catalogue
    from hbkit.observations.indicators import IndicatorMatcher

    text = IndicatorMatcher(load_catalogue()).suggest("婴儿死亡律")
    assert text.startswith("是否为 / did you mean: 婴儿死亡率（infant_mortality_rate）, ")
    assert text.index("infant_mortality_rate") < text.index("child_drowning_mortality_rate")


def test_unknown_indicator_can_be_excluded(tmp_path):
    body = ("infant_mortality_rate,河北区,2020,3,,,‰\n"
            "female_cadre_share,河北区,2020,30,,,%\n")
    obs = read_observations(write(tmp_path, body), CATALOGUE, unknown="exclude")
    assert obs.indicators == ["infant_mortality_rate"]
    assert obs.excluded[["row", "code"]].values.tolist() == [[3, "unknown-indicator-excluded"]]


def test_indicator_given_by_chinese_name(tmp_path):
    obs = read_observations(write(tmp_path, "婴儿死亡率,河北区,2020,3,,,‰\n"), CATALOGUE)
    assert obs.indicators == ["infant_mortality_rate"]
    assert obs.changes["code"].tolist() == ["indicator-name"]


def test_ambiguous_name_refused(tmp_path):
    catalogue = [*CATALOGUE, Target(id="x", indicator="imr_other", kind="upper_bound",
                                    threshold=5, unit="per_1000", name_zh="婴儿死亡率")]
    error = refused(write(tmp_path, "婴儿死亡率,河北区,2020,3,,,‰\n"), catalogue)
    assert only_problem(error)["code"] == "ambiguous-indicator"
    assert "候选 / candidates: 婴儿死亡率（imr_other）" in only_problem(error)["rule"]


def test_unit_converted_exactly_to_catalogue_unit(tmp_path):
    # 0.057 % = 0.57 per 1000 = 57 per 100,000
    body = ("maternal_mortality_ratio,河北区,2020,0.57,,,‰\n"
            "infant_mortality_rate,河北区,2020,0.35,,,%\n"
            "maternal_mortality_ratio,河北区,2021,8.4,,,per 100,000\n")
    path = tmp_path / "u.csv"
    path.write_text(HEADER + body.replace("per 100,000", '"per 100,000"'), encoding="utf-8")
    obs = read_observations(path, CATALOGUE)
    frame = obs.frame.set_index(["indicator", "year"])
    assert frame.loc[("maternal_mortality_ratio", 2020), "value"] == 57.0
    assert frame.loc[("maternal_mortality_ratio", 2021), "value"] == 8.4
    assert frame.loc[("infant_mortality_rate", 2020), "value"] == 3.5
    assert set(frame["unit"]) == {"per_100k", "per_1000"}
    assert obs.changes["code"].tolist().count("unit-converted") == 2


def test_unit_without_exact_conversion_refused(tmp_path):
    error = refused(write(tmp_path, "infant_mortality_rate,河北区,2020,3,,,每千人口\n"))
    problem = only_problem(error)
    assert problem["code"] == "unit-not-convertible"
    assert "per_1000_population -> catalogue unit per_1000" in str(error)


def test_unknown_unit_spelling(tmp_path):
    error = refused(write(tmp_path, "infant_mortality_rate,河北区,2020,3,,,furlongs\n"), None)
    problem = only_problem(error)
    assert (problem["column"], problem["code"]) == ("unit", "unit-unknown")


def test_percent_sign_conflicting_with_unit_column(tmp_path):
    error = refused(write(tmp_path, "infant_mortality_rate,河北区,2020,3%,,,‰\n"), None)
    assert only_problem(error)["code"] == "unit-conflict"


def test_empty_indicator(tmp_path):
    error = refused(write(tmp_path, ",河北区,2020,3,,,‰\n"))
    assert only_problem(error)["code"] == "indicator-missing"


def test_empty_value_kept_missing_and_reported(tmp_path):
    body = ("infant_mortality_rate,河北区,2020,,,,‰\n"
            "infant_mortality_rate,河北区,2021,…,,,‰\n")
    obs = read_observations(write(tmp_path, body), CATALOGUE)
    assert obs.frame["value"].isna().all() and len(obs.frame) == 2
    assert obs.missing["row"].tolist() == [2, 3]
    assert set(obs.missing["code"]) == {"value-missing"}


def test_empty_value_computed_from_counts_and_logged(tmp_path):
    obs = read_observations(write(tmp_path, "infant_mortality_rate,河北区,2020,,14,4000,‰\n"),
                            CATALOGUE)
    assert obs.frame["value"].tolist() == [3.5]
    assert obs.changes["code"].tolist() == ["value-derived"]
    assert "14/4000*1000" in obs.changes["rule"].iloc[0]


def test_all_problems_of_a_file_in_one_table(tmp_path):
    body = ("infant_mortality_rate,河北区,20x1,3,,,‰\n"
            "infant_mortality_rate,河北区,2020,abc,,,‰\n"
            "hospital_delivery_rate,河北区,2020,120,,,%\n"
            "nope,河北区,2020,1,,,%\n")
    error = refused(write(tmp_path, body))
    assert error.problems["row"].tolist() == [2, 3, 4, 5]
    assert list(error.problems.columns[:5]) == ["file", "row", "column", "value", "rule"]
    assert set(error.problems["file"]) == {str(tmp_path / "obs.csv")}
    text = str(error)
    assert text.startswith("数据校验未通过：共 4 个 / data validation failed: 4 in all")


def test_every_row_is_used_or_excluded(tmp_path):
    body = ("infant_mortality_rate,河北区,2020,3,,,‰\n"
            "infant_mortality_rate,河北区,2020,3,,,‰\n"
            "注：2020年数据为快报数\n"
            "infant_mortality_rate,河北区,2021,,,,‰\n")
    path = write(tmp_path, body, header="婴儿死亡率监测表\n" + HEADER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        obs = read_observations(path, CATALOGUE)
    used = set(obs.frame["row"])
    excluded = set(obs.excluded["row"])
    assert used == {3, 6} and excluded == {1, 4, 5}
    assert used | excluded == set(range(1, 7)) - {2}  # row 2 is the header


def test_errors_are_hbkit_errors():
    assert issubclass(DataValidationError, HbkitError)


def test_reference_indicator_of_a_relational_target_is_known(tmp_path):
    relational = Target(id="W-decision-workers-congress", kind="relational",
                        indicator="female_share_of_workers_congress_delegates",
                        reference_indicator="female_share_of_employees", direction="increase",
                        unit="percent")
    body = ("female_share_of_employees,河北区,2020,45.2,,,%\n"
            "female_share_of_employees,河北区,2021,101,,,%\n")
    error = refused(write(tmp_path, body), [*CATALOGUE, relational])
    # known (no unknown-indicator), and bounded like the target citing it
    assert only_problem(error)["code"] == "above-100"


def test_empty_geo_cell_uses_default_and_is_logged(tmp_path):
    obs = read_observations(write(tmp_path, "infant_mortality_rate,,2020,3,,,‰\n"), CATALOGUE,
                            geo="河北区")
    assert obs.geos == ["河北区"]
    assert obs.changes[["row", "column", "code"]].values.tolist() == [[2, "geo", "geo-default"]]


def test_excluded_unknown_indicator_rows_are_not_checked(tmp_path):
    body = ("infant_mortality_rate,河北区,2020,3,,,‰\n"
            "female_cadre_share,河北区,20x1,abc,,,%\n")
    obs = read_observations(write(tmp_path, body), CATALOGUE, unknown="exclude")
    assert obs.excluded["code"].tolist() == ["unknown-indicator-excluded"]
