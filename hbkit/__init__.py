"""hbkit: monitoring and early warning for Women's and Children's Development Plans.

hbkit reads a plan's target catalogue and a district's yearly observations,
projects every indicator to the target year on its natural scale, gives the
probability that each target is met, and turns that into statuses, early
warnings and the annual monitoring report (年度监测报告).

The public names are imported lazily, so ``import hbkit`` is fast and does not
import matplotlib.

Examples
--------
>>> import hbkit
>>> t = hbkit.Target(id="x", indicator="imr", kind="upper_bound", threshold=5.0,
...                  unit="per_1000", direction="decrease", target_year=2025)
>>> t.kind
'upper_bound'
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # type checkers see the real names (re-exported); at run time they are lazy
    from hbkit import datasets as datasets
    from hbkit import plotting as plotting
    from hbkit.assessment import Assessment as Assessment
    from hbkit.assessment import assess as assess
    from hbkit.backtesting import BacktestResult as BacktestResult
    from hbkit.backtesting import TargetRule as TargetRule
    from hbkit.backtesting import backtest as backtest
    from hbkit.catalogue.catalogue import Catalogue as Catalogue
    from hbkit.catalogue.catalogue import load_catalogue as load_catalogue
    from hbkit.catalogue.models import Target as Target
    from hbkit.exceptions import CatalogueError as CatalogueError
    from hbkit.exceptions import CatalogueWarning as CatalogueWarning
    from hbkit.exceptions import DataValidationError as DataValidationError
    from hbkit.exceptions import DataWarning as DataWarning
    from hbkit.exceptions import FileError as FileError
    from hbkit.exceptions import HbkitError as HbkitError
    from hbkit.exceptions import HbkitWarning as HbkitWarning
    from hbkit.exceptions import TargetError as TargetError
    from hbkit.observations import Observations as Observations
    from hbkit.observations import read_observations as read_observations
    from hbkit.status import StatusRules as StatusRules
    from hbkit.template import observation_template as observation_template

#: the installed version, read on first use (see :func:`_installed_version`)
__version__: str


#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "Target": "hbkit.catalogue.models",
    "Catalogue": "hbkit.catalogue.catalogue",
    "load_catalogue": "hbkit.catalogue.catalogue",
    "Observations": "hbkit.observations",
    "read_observations": "hbkit.observations",
    "observation_template": "hbkit.template",
    "assess": "hbkit.assessment",
    "Assessment": "hbkit.assessment",
    "StatusRules": "hbkit.status",
    "backtest": "hbkit.backtesting",
    "BacktestResult": "hbkit.backtesting",
    "TargetRule": "hbkit.backtesting",
    "HbkitError": "hbkit.exceptions",
    "CatalogueError": "hbkit.exceptions",
    "DataValidationError": "hbkit.exceptions",
    "FileError": "hbkit.exceptions",
    "HbkitWarning": "hbkit.exceptions",
    "DataWarning": "hbkit.exceptions",
    "CatalogueWarning": "hbkit.exceptions",
    "TargetError": "hbkit.exceptions",
}
_SUBMODULES = ("datasets", "plotting")

__all__ = [*sorted(_EXPORTS), *_SUBMODULES, "__version__"]


def _installed_version() -> str:
    """The installed distribution's version, read when first asked for: reading package
    metadata imports ``importlib.metadata`` (and ``email``), nine tenths of the time
    ``import hbkit`` took."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hbkit")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _installed_version()
        globals()[name] = value
        return value
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f"hbkit.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"hbkit 没有名为 {name!r} 的属性 / module 'hbkit' has no attribute "
                         f"{name!r}", name=name, obj=sys.modules[__name__])


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
