"""What changed since last year's assessment (Assessment.changes_since, 与上年相比)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

import hbkit
from hbkit.assessment.compare import CHANGE_COLUMNS, CHANGE_LABELS, change_code
from hbkit.datasets import load_example
from hbkit.exceptions import HbkitError

JUDGED = ["achieved", "on_track", "at_risk", "off_track"]  # best first
UNJUDGED = ["insufficient_data", "no_data", "not_quantifiable"]


@pytest.fixture(scope="module")
def example():
    return load_example("hebei_example")


@pytest.fixture(scope="module")
def two_years(example):
    cat = example.catalogue.filter(plan="women")
    obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
    return (hbkit.assess(obs, catalogue=cat, as_of=2022, n_draws=300),
            hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=300))


def test_change_code_every_pair_of_statuses():
    for before, now in itertools.product(JUDGED + UNJUDGED, repeat=2):
        code = change_code(before, now)
        if before == now:
            assert code == "same"
        elif before in JUDGED and now in JUDGED:
            assert code == ("better" if JUDGED.index(now) < JUDGED.index(before) else "worse")
        elif now in JUDGED:
            assert code == "now_judged"
        elif before in JUDGED:
            assert code == "no_longer_judged"
        else:
            assert code == "changed"
    assert change_code(float("nan"), "on_track") == "new"
    assert change_code("on_track", float("nan")) == "dropped"


def test_an_assessment_against_itself_changes_nothing(two_years):
    _, now = two_years
    table = now.changes_since(now)
    assert len(table) == len(now.to_frame())
    assert set(table["change"]) == {"same"}
    assert (table["warnings_added"] == "").all() and (table["warnings_removed"] == "").all()
    assert table["probability_change"].fillna(0).eq(0).all()


def test_each_row_reads_both_assessments(two_years):
    before, now = two_years
    table = now.changes_since(before)
    assert list(table.columns) == list(CHANGE_COLUMNS)
    key = ["target_id", "geo"]
    assert len(table) == len(now.to_frame()) and not table.duplicated(key).any()
    merged = table.merge(before.to_frame()[key + ["status", "probability", "warnings"]], on=key)
    merged = merged.merge(now.to_frame()[key + ["status", "probability", "warnings"]], on=key,
                          suffixes=("_b", "_n"))
    assert (merged["status_before"] == merged["status_b"]).all()
    assert (merged["status_now"] == merged["status_n"]).all()
    pd.testing.assert_series_equal(merged["probability_change"],
                                   merged["probability_n"] - merged["probability_b"],
                                   check_names=False)
    for row in merged.itertuples():
        was = set(str(row.warnings_b).split(";")) - {"", "nan"}
        is_ = set(str(row.warnings_n).split(";")) - {"", "nan"}
        assert set(filter(None, row.warnings_added.split(";"))) == is_ - was
        assert set(filter(None, row.warnings_removed.split(";"))) == was - is_
    # the example district's 2023 data move some targets both ways
    assert {"better", "worse"} <= set(table["change"])
    order = [list(CHANGE_LABELS).index(c) for c in table["change"]]
    assert order == sorted(order), "worst news first"
    assert (table["as_of_before"] == 2022).all() and (table["as_of_now"] == 2023).all()


def test_targets_in_one_assessment_only_are_new_or_dropped(example):
    health = example.catalogue.filter(plan="children", domain="health")
    first = hbkit.Catalogue(list(health)[:5])
    obs = hbkit.read_observations(example.observations, health, unknown="exclude")
    small = hbkit.assess(obs, catalogue=first, as_of=2022, n_draws=200)
    full = hbkit.assess(obs, catalogue=health, as_of=2023, n_draws=200)
    grown = full.changes_since(small)
    assert (grown["change"] == "new").sum() == len(full.to_frame()) - len(small.to_frame())
    assert grown.loc[grown["change"] == "new", "status_before"].isna().all()
    shrunk = hbkit.assess(obs, catalogue=first, as_of=2023, n_draws=200).changes_since(
        hbkit.assess(obs, catalogue=health, as_of=2022, n_draws=200))
    dropped = shrunk[shrunk["change"] == "dropped"]
    assert len(dropped) == len(full.to_frame()) - len(small.to_frame())
    assert dropped["status_now"].isna().all() and dropped["name_zh"].notna().all()
    last_dropped = dropped.index.max()
    assert shrunk["change"].loc[last_dropped + 1:].eq("same").all()  # only unchanged rows follow


def test_words_in_chinese_and_english(two_years):
    before, now = two_years
    codes, zh, en = (now.changes_since(before, lang) for lang in (None, "zh", "en"))
    assert set(zh["change"]) <= {words[0] for words in CHANGE_LABELS.values()}
    assert set(en["change"]) <= {words[1] for words in CHANGE_LABELS.values()}
    frame = now.to_frame().set_index(["target_id", "geo"])
    for i, row in codes.iterrows():
        worded = frame.loc[(row["target_id"], row["geo"]), "status_zh"]
        assert zh.loc[i, "status_now"] == worded  # 提前实现 as the report words it
    assert "achieved early" in set(en["status_now"]) | set(en["status_before"])


def test_swapped_arguments_are_a_clear_error(two_years):
    before, now = two_years
    with pytest.raises(HbkitError, match=r"as_of=2023.*as_of=2022"):
        before.changes_since(now)
    with pytest.raises(HbkitError, match="lang must be one of"):
        now.changes_since(before, lang="fr")
