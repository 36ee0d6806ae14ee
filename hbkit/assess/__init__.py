"""Assess every target of a plan in every area: :func:`assess` and its :class:`Assessment`.

* :mod:`hbkit.assess.inputs` -- observations in, ``as_of`` cut, areas, year grids;
* :mod:`hbkit.assess.engine` -- the orchestration over targets x areas;
* :mod:`hbkit.assess.result` -- the frozen :class:`Assessment` and :class:`SeriesView`.

Statuses and their thresholds are in :mod:`hbkit.status`, the early warnings in
:mod:`hbkit.warnings_rules`, the partial pooling of streets in :mod:`hbkit.pooling`.
"""

from hbkit.assess.engine import assess
from hbkit.assess.result import FRAME_COLUMNS, Assessment, SeriesView

__all__ = ["FRAME_COLUMNS", "Assessment", "SeriesView", "assess"]
