"""Assess every target of a plan in every area: :func:`assess` and its :class:`Assessment`.

* :mod:`hbkit.assessment.inputs` -- observations in, ``as_of`` cut, areas, year grids;
* :mod:`hbkit.assessment.engine` -- the orchestration over targets x areas;
* :mod:`hbkit.assessment.result` -- the frozen :class:`Assessment` and :class:`SeriesView`.

Statuses and their thresholds are in :mod:`hbkit.status`, the early warnings in
:mod:`hbkit.warnings_rules`, the partial pooling of streets in :mod:`hbkit.pooling`.

The package is ``hbkit.assessment``; the function is ``hbkit.assess``.

Examples
--------
>>> import hbkit, hbkit.assessment
>>> hbkit.assess is hbkit.assessment.engine.assess
True
"""

from hbkit.assessment.engine import assess
from hbkit.assessment.result import FRAME_COLUMNS, Assessment, SeriesView

__all__ = ["FRAME_COLUMNS", "Assessment", "SeriesView", "assess"]
