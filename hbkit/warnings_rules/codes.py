"""The four warning codes, their labels, and the columns of a table of warnings.

:data:`WARNING_LABELS` names each code in Chinese and English;
:data:`WARNING_NUMBER_COLUMNS` are the numbers a warning row may carry and
:data:`WARNING_COLUMNS` every column of the warnings table
(:meth:`hbkit.Assessment.warnings_frame`).

>>> WARNING_LABELS["fluctuation"]
('波动较大', 'large fluctuation')
"""

from __future__ import annotations

#: warning code -> (中文, English)
WARNING_LABELS: dict[str, tuple[str, str]] = {
    "hard_to_reach": ("预计达标困难", "hard to reach"),
    "fluctuation": ("波动较大", "large fluctuation"),
    "moving_away": ("偏离目标", "moving away from the target"),
    "latest_missing": ("最新年份缺失", "latest year missing"),
}

#: the numbers a warning row may carry (NaN where they do not apply)
WARNING_NUMBER_COLUMNS: tuple[str, ...] = (
    "probability",
    "expected_shortfall",
    "required_annual_change",
    "achieved_annual_change",
    "dispersion_chi2",
    "dispersion_df",
    "dispersion_ratio",
    "p_value",
    "swing_scale",
    "max_abs_z",
    "max_z_year",
    "n_large_changes",
    "robust_scale",
    "relative_scale",
    "reversals",
    "last_change",
    "last_z",
    "last_year",
    "as_of",
)

#: ``geo_en`` is the area in English, as in ``Assessment.to_frame()``; ``level`` is
#: ``"warning"`` (预警) or ``"note"`` (数据说明, :mod:`hbkit.warnings_rules.levels`). Both
#: were added after the others, so that the columns before them keep their places;
#: ``level`` comes last
WARNING_COLUMNS: tuple[str, ...] = (
    "target_id", "geo", "code", "text_zh", "text_en", *WARNING_NUMBER_COLUMNS, "geo_en", "level"
)
