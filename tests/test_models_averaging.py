"""Model weights: pseudo-BMA from out-of-sample scores, prior weights when nothing is scored."""

from __future__ import annotations

import numpy as np
import pytest

from hbkit.exceptions import HbkitError
from hbkit.models import project
from hbkit.models.averaging import UNSCORED_WEIGHTS, pseudo_bma_weights, unscored_prior

MODELS = ("rw_drift", "local_trend", "level")


def test_scored_series_weigh_models_by_their_scores_not_by_the_prior() -> None:
    scores = np.array([[-1.0, -2.0, -1.5], [0.0, 0.0, 0.0]])
    valid = np.ones((2, 3), bool)
    w = pseudo_bma_weights(scores, np.array([2, 0]), valid, prior=np.array([1.0, 1.0, 0.3]))
    # closed form: exp(score) / sum exp(score) for the scored row
    expected = np.exp([-1.0, -2.0, -1.5]) / np.exp([-1.0, -2.0, -1.5]).sum()
    np.testing.assert_allclose(w[0], expected)
    np.testing.assert_allclose(w[1], np.array([1.0, 1.0, 0.3]) / 2.3)


def test_prior_is_renormalised_over_the_models_that_could_be_fitted() -> None:
    valid = np.array([[True, False, True], [False, False, True]])
    w = pseudo_bma_weights(np.zeros((2, 3)), np.array([0, 0]), valid,
                           prior=np.array([1.0, 1.0, 0.0]))
    np.testing.assert_allclose(w[0], [1.0, 0.0, 0.0])
    # only a model with prior weight 0 can be fitted: it is used rather than nothing
    np.testing.assert_allclose(w[1], [0.0, 0.0, 1.0])


def test_without_a_prior_unscored_series_get_equal_weights() -> None:
    w = pseudo_bma_weights(np.zeros((1, 3)), np.array([0]), np.ones((1, 3), bool))
    np.testing.assert_allclose(w, [[1 / 3] * 3])


def test_unscored_prior_takes_overrides_and_rejects_negative_weights() -> None:
    assert unscored_prior(MODELS).tolist() == [1.0, 1.0, UNSCORED_WEIGHTS["level"]]
    assert unscored_prior(MODELS, {"level": 1.0}).tolist() == [1.0, 1.0, 1.0]
    assert unscored_prior(("linear", "damped")).tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="level"):
        unscored_prior(MODELS, {"level": -0.5})


def test_a_three_point_series_uses_the_prior_weights_a_longer_one_its_scores() -> None:
    years = np.arange(2018, 2024)
    values = np.array([[np.nan, np.nan, np.nan, 20.0, 18.5, 17.0],
                       [25.0, 23.0, 21.5, 20.0, 18.5, 17.0]])
    default = project(values, years, target_year=2025, unit="per_1000", n_draws=200)
    equal = project(values, years, target_year=2025, unit="per_1000", n_draws=200,
                    unscored_weights={"level": 1.0})
    level = list(default.model_names).index("level")
    share = UNSCORED_WEIGHTS["level"] / (2 + UNSCORED_WEIGHTS["level"])
    assert default.model_weights[0, level] == pytest.approx(share)
    assert equal.model_weights[0, level] == pytest.approx(1 / 3)
    assert default.method[0] == "rw_drift 43% + local_trend 43% + level 13%"
    # the six-point series is scored out of sample: the prior does not touch it
    np.testing.assert_allclose(default.model_weights[1], equal.model_weights[1])
    # less weight on "back to the mean of the window": the falling series is projected lower
    assert np.median(default.paths[0, :, -1]) < np.median(equal.paths[0, :, -1])


@pytest.mark.parametrize("weights", [{"levle": 0.3}, {"level": -1.0}, {"level": float("nan")}])
def test_project_rejects_bad_unscored_weights_naming_them(weights: dict[str, float]) -> None:
    with pytest.raises(HbkitError, match="unscored weights"):
        project(np.array([3.0, 2.0, 1.0]), np.arange(2020, 2023), target_year=2025,
                unit="per_1000", unscored_weights=weights)


def test_scores_cover_the_same_points_for_every_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A point one model cannot be scored on is scored for none (sums stay comparable)."""
    from hbkit.models import trend

    z = np.log(np.array([[25.0, 23.0, 21.5, 20.0, 18.4, 17.1]]))
    years = np.arange(2018.0, 2024.0)
    kinds = ("rw_drift", "local_trend", "level")
    all_three, n_all = trend.lfo_scores(z, years, kinds)
    last_only, n_last = trend.lfo_scores(z, years, kinds, n_origins=1)
    assert n_all.tolist() == [3] and n_last.tolist() == [1]
    # local_trend fitted only from 5 points: the points with 3 or 4 before them drop out
    monkeypatch.setitem(trend.MIN_OBS, "local_trend", 5)
    scores, n_scored = trend.lfo_scores(z, years, kinds)
    assert n_scored.tolist() == [1]
    np.testing.assert_allclose(scores, last_only)
    assert not np.allclose(scores, all_three)
