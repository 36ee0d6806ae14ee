"""Reading and checking observations: the door through which every figure enters hbkit.

:func:`read_observations` reads a CSV or Excel file, or a DataFrame, in the
long or the wide (yearbook) layout, with Chinese or English headers, in
UTF-8, UTF-8 with BOM, GBK or GB18030, checks every row against every rule of
:mod:`hbkit.observations.rules`, and returns a frozen :class:`Observations`.
"""

from hbkit.observations.reader import read_observations
from hbkit.observations.result import Observations

__all__ = ["Observations", "read_observations"]
