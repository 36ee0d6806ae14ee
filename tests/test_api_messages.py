"""What a program embedding hbkit gets back from a wrong call: an ``hbkit.HbkitError``
whose message is Chinese first, English alongside, naming what was wrong, as every other
error of hbkit is (these were English only, or, for ``subset(None)``, no error at all)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import hbkit

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def res() -> hbkit.Assessment:
    cat = hbkit.Catalogue([hbkit.Target(id="C-imr", indicator="imr", kind="upper_bound",
                                        threshold=5.0, unit="per_1000")])
    obs = pd.DataFrame({"indicator": "imr", "geo": ["和平区"] * 4 + ["河西区"] * 4,
                        "year": list(range(2020, 2024)) * 2, "unit": "per_1000",
                        "value": [5.5, 5.1, 4.9, 4.8, 4.1, 4.0, 3.9, 3.8]})
    return hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200)


CALLS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "rules not StatusRules": (lambda r: hbkit.assess(r.observations, catalogue=r.catalogue,
                                                     rules={"on_track": 0.9}), "dict"),
    "StatusRules order": (lambda r: hbkit.StatusRules(on_track=0.4), "on_track=0.4"),
    "StatusRules alpha": (lambda r: hbkit.StatusRules(fluctuation_alpha=0.7), "0.7"),
    "StatusRules min_observations": (lambda r: hbkit.StatusRules(min_observations=1), "1"),
    "StatusRules short_history": (lambda r: hbkit.StatusRules(short_history=-1), "-1"),
    "StatusRules bootstrap": (lambda r: hbkit.StatusRules(fluctuation_bootstrap=5), "5"),
    "previous not an Assessment": (lambda r: r.changes_since("2022"), "str"),
    "unknown target of a chart": (lambda r: r.series("C-nope", "和平区"), "C-nope"),
    "subset of no area": (lambda r: r.subset(None), "和平区, 河西区"),
    "panels on one Axes": (lambda r: hbkit.plotting.probability_chart(r, by=None, ax=[1, 2]),
                           "by='plan'"),
    "max_rows": (lambda r: hbkit.plotting.probability_panels(r, max_rows=0), "0"),
    "TargetRule threshold": (lambda r: hbkit.TargetRule(kind="upper_bound"), "upper_bound"),
    "TargetRule rate": (lambda r: hbkit.TargetRule(kind="relative_change", rate=0), "0"),
    "TargetRule offset": (lambda r: hbkit.TargetRule(kind="direction", baseline_offset=-1), "-1"),
    "backtest horizon": (lambda r: hbkit.backtest(r.observations, origins=[2021], horizon=0),
                         "0"),
    "backtest window": (lambda r: hbkit.backtest(r.observations, origins=[2021], window=1), "1"),
    "backtest observations": (lambda r: hbkit.backtest(42, origins=[2021]), "int"),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_a_wrong_call_is_a_bilingual_hbkit_error(res, name) -> None:
    call, received = CALLS[name]
    with pytest.raises(hbkit.HbkitError) as info:
        call(res)
    message = str(info.value)
    chinese, english = re.split(r" ?/ ", message, maxsplit=1)
    assert CJK.search(chinese), message            # Chinese first
    assert re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", english), message  # English alongside
    assert received in message
