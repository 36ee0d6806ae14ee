"""A small real assessment of the simulated example district, shared by the report tests.

Not a fake: :func:`small_assessment` runs :func:`hbkit.assess` on the shipped
simulated district (``hebei_example``) restricted to a varied handful of
targets, so the report, chart and command-line tests run fast on real output.
"""

from __future__ import annotations

import hbkit
from hbkit.datasets import load_example

#: counts (maternal deaths), rates, percentages, a street-level target, a qualitative one
TARGET_IDS: tuple[str, ...] = (
    "W-health-maternal-mortality",
    "C-health-infant-mortality",
    "W-health-cervical-cancer-screening",
    "W-education-higher-education-ger",
    "C-health-immunization-each-street",
    "W-health-lifecycle-services",
)


def small_inputs(target_ids: tuple[str, ...] = TARGET_IDS, example_name: str = "hebei_example"
                 ) -> tuple:
    """(observations frame, catalogue) of ``target_ids`` from the simulated example."""
    example = load_example(example_name)
    catalogue = example.catalogue
    small = hbkit.Catalogue([catalogue[i] for i in target_ids],
                            default_geo=catalogue.default_geo)
    indicators = {catalogue[i].indicator for i in target_ids} - {None}
    observations = example.observations
    return observations[observations["indicator"].isin(indicators)], small


def small_assessment(target_ids: tuple[str, ...] = TARGET_IDS, **kwargs) -> hbkit.Assessment:
    """``hbkit.assess`` of ``target_ids`` as of 2023 (300 draws, seeded)."""
    observations, catalogue = small_inputs(target_ids)
    options = {"as_of": 2023, "n_draws": 300, "seed": 3, **kwargs}
    return hbkit.assess(observations, catalogue=catalogue, **options)


#: the final evaluation's handful: the same targets and one the simulated district does not meet
FINAL_TARGET_IDS: tuple[str, ...] = (*TARGET_IDS, "W-decision-female-party-members")


def small_final_assessment(target_ids: tuple[str, ...] = FINAL_TARGET_IDS) -> hbkit.Assessment:
    """The final evaluation (终期评估) of ``target_ids``: the simulated district to 2025, as of 2025."""
    observations, catalogue = small_inputs(target_ids, "hebei_example_final")
    return hbkit.assess(observations, catalogue=catalogue, as_of=2025, n_draws=300, seed=3)
