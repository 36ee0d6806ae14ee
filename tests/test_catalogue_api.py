"""The Catalogue API: lookup with suggestions, filtering, tables, schema, immutability, CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
import yaml

import hbkit
from hbkit import Catalogue, CatalogueError, HbkitError, Target, load_catalogue
from hbkit.catalogue.catalogue import UnknownTargetError
from hbkit.catalogue.io import FIELDS
from hbkit.cli import main

CAT = load_catalogue()


def _small() -> Catalogue:
    return Catalogue([
        Target(id="W-health-a", plan="women", domain="health", indicator="mmr", kind="upper_bound",
               threshold=8.5, unit="per_100k", name_zh="孕产妇死亡率"),
        Target(id="W-health-b", plan="women", domain="health", indicator="mmr", kind="direction",
               unit="per_100k", direction="decrease", baseline_year=2020),
        Target(id="C-education-c", plan="children", domain="education", indicator="ger",
               kind="lower_bound", threshold=98, unit="percent", bounded=False),
        Target(id="C-law-d", plan="children", domain="law", kind="qualitative"),
        Target(id="W-decision-e", plan="women", domain="decision", indicator="delegates",
               kind="relational", unit="percent", direction="increase",
               reference_indicator="members"),
    ], name_zh="小目录", default_geo="某区")


def test_container_protocol():
    cat = _small()
    assert len(cat) == 5
    assert [t.id for t in cat] == list(cat.ids)
    assert "W-health-a" in cat and "nope" not in cat
    assert cat["C-law-d"].kind == "qualitative"
    assert cat.targets[0] is cat["W-health-a"]
    assert (cat.name_zh, cat.default_geo) == ("小目录", "某区")


def test_unknown_id_suggests_the_closest_ids():
    with pytest.raises(UnknownTargetError) as info:
        CAT["W-health-maternal-mortalty"]
    error = info.value
    assert isinstance(error, HbkitError) and isinstance(error, KeyError)
    assert error.suggestions[0] == "W-health-maternal-mortality"
    assert "W-health-maternal-mortality" in str(error)
    with pytest.raises(KeyError):  # usable where a KeyError is expected
        CAT["C-health-infant-mortality-rate"]
    assert CAT.suggest("maternal_mortality_ratio") == ["W-health-maternal-mortality"]
    assert CAT.suggest("zzzzzzzz") == []


def test_immutable():
    cat = _small()
    with pytest.raises(AttributeError):
        cat.default_geo = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del cat.name_zh
    assert hash(cat) == hash(_small()) and cat == _small()


def test_duplicate_ids_rejected_with_positions():
    t = Target(id="x", kind="qualitative")
    with pytest.raises(CatalogueError) as info:
        Catalogue([t, Target(id="y", kind="qualitative"), t])
    problem = info.value.problems.iloc[0]
    assert (problem["row"], problem["column"], problem["code"]) == (2, "id", "unique-id")


def test_indicator_with_two_units_rejected():
    with pytest.raises(CatalogueError) as info:
        Catalogue([Target(id="a", indicator="imr", kind="upper_bound", threshold=5, unit="per_1000"),
                   Target(id="b", indicator="imr", kind="upper_bound", threshold=0.5, unit="percent")])
    assert info.value.problems["code"].tolist() == ["indicator-unit-consistent"]


def test_filter():
    cat = _small()
    assert cat.filter(plan="women").ids == ("W-health-a", "W-health-b", "W-decision-e")
    assert cat.filter(domain=["health", "law"]).ids == ("W-health-a", "W-health-b", "C-law-d")
    assert cat.filter(kind="qualitative").ids == ("C-law-d",)
    assert len(cat.filter(quantitative=True)) == 4
    assert cat.filter(plan="children", quantitative=False).ids == ("C-law-d",)
    assert cat.filter(plan="women", kind="lower_bound").ids == ()
    assert cat.filter(plan="women").default_geo == "某区"
    with pytest.raises(HbkitError, match="plan must be one of"):
        cat.filter(plan="men")
    shipped = CAT.filter(plan="women", domain="health", kind=["upper_bound", "lower_bound"])
    assert all(t.plan == "women" and t.domain == "health" for t in shipped) and len(shipped) == 12


def test_to_frame_has_every_field():
    frame = _small().to_frame()
    assert tuple(frame.columns) == FIELDS
    assert len(frame) == 5 and frame["threshold"].dtype == float
    assert frame.set_index("id").loc["W-health-a", "direction"] == "decrease"
    full = CAT.to_frame()
    assert len(full) == len(CAT) and full["id"].tolist() == list(CAT.ids)


def test_indicator_table():
    table = _small().indicator_table().set_index("indicator")
    assert list(table.columns) == ["unit", "bounded", "signed", "name_zh", "name_en", "direction",
                                   "plan", "domain", "n_targets"]
    assert not table["signed"].any()  # no target of the small catalogue may be negative
    assert table.loc["mmr", "n_targets"] == 2 and table.loc["mmr", "unit"] == "per_100k"
    assert table.loc["mmr", "name_zh"] == "孕产妇死亡率"
    assert not table.loc["ger", "bounded"]
    assert table.loc["members", "n_targets"] == 0  # a relational target's reference is listed
    shipped = CAT.indicator_table()
    assert shipped["indicator"].is_unique
    assert shipped["n_targets"].sum() == sum(t.indicator is not None for t in CAT)


def test_summary_counts():
    table = _small().summary()
    assert table.loc["women", "total"] == 3 and table.loc["total", "qualitative"] == 1


def test_json_schema():
    schema = Catalogue.json_schema()
    assert set(schema["properties"]) == set(FIELDS)
    assert schema["properties"]["kind"]["enum"][0] == "upper_bound"


def test_repr():
    assert repr(_small()) == "<Catalogue 小目录: 5 targets (women 3, children 2)>"
    assert "<table" in CAT._repr_html_()


def test_load_catalogue_by_plan():
    women = load_catalogue("women")
    assert {t.plan for t in women} == {"women"}
    assert load_catalogue("women") is women  # loaded once
    with pytest.raises(HbkitError):
        load_catalogue("men")


# ------------------------------------------------------------------ command line


def test_cli_table(capsys):
    assert main(["catalogue", "--plan", "women", "--domain", "economy", "--kind", "level"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["编号/id", "类型/kind", "目标值/threshold", "严格不等/strict",
                              "单位/unit", "目标年份/target", "基期年份/base", "名称/name"]
    assert out[2].split() == ["W-economy-female-share-employment", "达到/level", "40", "否/false",
                              "percent", "2025", "2020", "就业人员中的女性比例"]
    assert out[-1] == "共 1 个目标 / 1 targets"


def test_cli_csv_and_yaml_read_back(capsys, tmp_path):
    assert main(["catalogue", "--plan", "women", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in rows] == list(load_catalogue("women").ids)
    assert main(["catalogue", "--kind", "relational", "--format", "yaml"]) == 0
    path = tmp_path / "rel.yaml"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    assert Catalogue.from_file(path).targets == CAT.filter(kind="relational").targets
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["catalogue"]["default_geo"] == "河北区"


def test_cli_file_with_problems_exits_1(capsys, tmp_path):
    good = tmp_path / "good.csv"
    _small().to_file(good)
    assert main(["catalogue", "--file", str(good), "--plan", "children"]) == 0
    assert "C-education-c" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("id,kind,indicator,target_year\na,upper_bound,x,2030\nb,bogus,y,2030\n",
                   encoding="utf-8")
    assert main(["catalogue", "--file", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "共 2 个" in err and "threshold-required" in err and "literal_error" in err
    assert main(["catalogue", "--file", str(tmp_path / "missing.yaml")]) == 2
    assert main(["catalogue", "--kind", "bogus"]) == 2


def test_from_frame_round_trip_and_problems():
    cat = _small()
    assert Catalogue.from_frame(cat.to_frame(), name_zh="小目录", default_geo="某区") == cat
    frame = cat.to_frame()
    frame.loc[1, "kind"] = "bogus"
    frame["colour"] = "red"
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_frame(frame)
    got = info.value.problems[["row", "column", "code"]].astype(object)
    assert got.where(got.notna(), None).values.tolist() == [
        [None, "colour", "unknown-column"], [1, "kind", "literal_error"]]


def test_cli_output_writes_a_file(capsys, tmp_path):
    path = tmp_path / "women-health.xlsx"
    assert main(["catalogue", "--plan", "women", "--domain", "health", "--output", str(path)]) == 0
    assert "women-health.xlsx" in capsys.readouterr().out
    assert Catalogue.from_file(path).targets == CAT.filter(plan="women", domain="health").targets
    assert main(["catalogue", "--output", str(tmp_path / "x.json")]) == 2


def test_a_catalogue_survives_pickle_and_deepcopy() -> None:
    """Dashboards cache results and send them between processes: the immutable catalogue
    must come back equal (its targets, names and district), and still immutable."""
    import copy
    import pickle

    cat = Catalogue([Target(id="imr", indicator="infant_mortality_rate",
                            kind="upper_bound", threshold=5, unit="per_1000")],
                    name_zh="和平区儿童发展规划", name_en="Heping children", default_geo="和平区",
                    default_geo_en="Heping District")
    for back in (pickle.loads(pickle.dumps(cat)), copy.deepcopy(cat)):
        assert list(back) == list(cat)
        assert (back.name_zh, back.name_en, back.default_geo, back.default_geo_en) == (
            "和平区儿童发展规划", "Heping children", "和平区", "Heping District")
        with pytest.raises(AttributeError):
            back.name_zh = "x"  # type: ignore[misc]


@pytest.mark.parametrize("given", ["children", "和平区儿童规划.yaml", Path("目录.xlsx"),
                                   {"id": "a", "kind": "qualitative"}])
def test_a_catalogue_from_a_name_path_or_single_mapping_is_a_clear_hbkit_error(given):
    # iterated character by character: "dictionary update sequence element #0 has length 1"
    with pytest.raises(hbkit.HbkitError, match="Catalogue.from_file"):
        hbkit.Catalogue(given)
    with pytest.raises(hbkit.HbkitError, match="Catalogue.from_file"):
        hbkit.assess(pd.DataFrame({"indicator": ["x"], "geo": ["和平区"], "year": [2023],
                                   "value": [1.0]}), catalogue=given)


def test_a_record_that_is_not_a_mapping_is_a_problem_with_its_row():
    with pytest.raises(hbkit.CatalogueError) as caught:
        hbkit.Catalogue([{"id": "a", "kind": "qualitative"}, "C-b", 3])
    problems = caught.value.problems
    assert problems["row"].tolist() == [1, 2]
    assert problems["code"].tolist() == ["record-type", "record-type"]
    assert problems["value"].tolist() == ["C-b", "3"]


@pytest.mark.parametrize("given", ["my-targets.yaml", "目录/儿童目录.xlsx", Path("plan.csv")])
def test_a_catalogue_file_given_to_load_catalogue_is_pointed_to_from_file(given) -> None:
    """A developer guessing ``hbkit.load_catalogue("my-targets.yaml")`` was told "plan must
    be one of 'women', 'children'", which does not say where a file goes; the error names
    ``Catalogue.from_file`` with the path, in Chinese and English."""
    with pytest.raises(HbkitError) as info:
        load_catalogue(given)
    message = str(info.value)
    assert f"hbkit.Catalogue.from_file({str(given)!r})" in message
    assert message.index("load_catalogue 只读取随包目录") < message.index("load_catalogue reads")


def test_a_plan_name_mistyped_is_still_a_choice_error() -> None:
    with pytest.raises(HbkitError, match="plan 须为 'women'、'children' 之一"):
        load_catalogue("woman")
