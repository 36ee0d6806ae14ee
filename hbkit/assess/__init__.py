"""Assess every target of a plan in every area: :func:`assess` and its :class:`Assessment`.

* :mod:`hbkit.assess.inputs` -- observations in, ``as_of`` cut, areas, year grids;
* :mod:`hbkit.assess.engine` -- the orchestration over targets x areas;
* :mod:`hbkit.assess.result` -- the frozen :class:`Assessment` and :class:`SeriesView`.

Statuses and their thresholds are in :mod:`hbkit.status`, the early warnings in
:mod:`hbkit.warnings_rules`, the partial pooling of streets in :mod:`hbkit.pooling`.

The package shares its name with the function ``hbkit.assess``. Importing a
submodule (``from hbkit.assess import Assessment``) makes Python bind the
*package* to ``hbkit.assess``; so that ``hbkit.assess(observations)`` works
either way, the package itself is callable and forwards to :func:`assess`.

Examples
--------
>>> import hbkit, hbkit.assess
>>> hbkit.assess.assess is hbkit.assess.engine.assess
True
>>> callable(hbkit.assess)
True
"""

import sys
import types
from typing import Any

from hbkit.assess.engine import assess
from hbkit.assess.result import FRAME_COLUMNS, Assessment, SeriesView

__all__ = ["FRAME_COLUMNS", "Assessment", "SeriesView", "assess"]


class _CallablePackage(types.ModuleType):
    """The ``hbkit.assess`` package, callable as the function :func:`assess`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Assessment:
        return assess(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
