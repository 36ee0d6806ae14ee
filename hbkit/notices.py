"""Notices of one assessment: emitted as warnings, and kept with the result.

:func:`hbkit.assess` says some things that are not errors as a Python warning
(an ``as_of`` after the last year with data, rows after the plan's target year
left out, rows in another unit than the target's, identical duplicate rows
merged, no observation with a value at all). A program embedding hbkit
(a web service assessing several districts at once) cannot tell which call a
warning came from: the warnings machinery is one per process. So each notice is
also kept with the assessment that raised it (``Assessment.notices``, the
``notices`` of the JSON): :func:`collecting` opens a per-call list (a
:class:`contextvars.ContextVar`, private to the thread or task that runs the
call) and :func:`notify` appends to it besides warning.

Examples
--------
>>> import warnings
>>> from hbkit.exceptions import HbkitWarning
>>> with collecting() as notes, warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     notify("说明 / a note", HbkitWarning)
>>> notes
[{'category': 'HbkitWarning', 'message': '说明 / a note'}]

A notice about rows of the data (rows in another unit, rows of an indicator no
target uses, rows to check) also says the area of each row it counts and how it
reads for some of them alone (``geos``, ``about``), so that the report of one
district cut from a city's assessment (:meth:`hbkit.Assessment.subset`) says what
that district assessed alone would, and nothing of the others' rows:

>>> import numpy as np
>>> def rows(n):
...     return f"{n} 行 / {n} rows"
>>> with collecting() as notes, warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     notify(rows(3), HbkitWarning, geos=np.array(["和平区", "河西区", "河西区/a街道"]),
...            about=lambda positions: rows(len(positions)))
>>> notes, notes.rows[0].about(np.array([1, 2]))
([{'category': 'HbkitWarning', 'message': '3 行 / 3 rows'}], '2 行 / 2 rows')
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Notes", "RowsNotice", "collecting", "notify"]


@dataclass(frozen=True)
class RowsNotice:
    """What a notice about rows of the data needs to be said of some of them alone.

    Attributes
    ----------
    geos
        The area (``geo``) of each row the check looked at.
    about
        ``about(positions)``: the message of the same check on the rows at
        ``positions`` (integer positions in ``geos``, in row order) alone, or
        ``None`` when those rows give it nothing to say.
    """

    geos: np.ndarray
    about: Callable[[np.ndarray], str | None]


class Notes(list[dict[str, str]]):
    """The notices of one call, in order (``{"category", "message"}`` dicts); ``rows[i]``
    is the :class:`RowsNotice` of notice ``i``, ``None`` for a notice about the call."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[RowsNotice | None] = []


_CURRENT: ContextVar[Notes | None] = ContextVar("hbkit_notices", default=None)


@contextmanager
def collecting() -> Iterator[Notes]:
    """Collect the notices of the calls to :func:`notify` in this context (this thread)."""
    notes = Notes()
    token = _CURRENT.set(notes)
    try:
        yield notes
    finally:
        _CURRENT.reset(token)


def notify(message: str, category: type[Warning], stacklevel: int = 1, *,
           geos: Any = None, about: Callable[[np.ndarray], str | None] | None = None) -> None:
    """Warn ``message`` (``stacklevel`` as for :func:`warnings.warn`, counted from the
    caller) and keep it in the notices being collected, if any.

    A notice about rows of the data gives ``geos`` (the area of each row the check
    looked at) and ``about(positions)`` (the message of the check on the rows at
    those integer positions alone, ``None`` when they give nothing to say); without
    them the notice is about the whole call (an ``as_of`` after the data, no value
    at all).
    """
    notes = _CURRENT.get()
    if notes is not None:
        notes.append({"category": category.__name__, "message": message})
        notes.rows.append(None if about is None or geos is None
                          else RowsNotice(np.asarray(geos, dtype=object), about))
    warnings.warn(message, category, stacklevel=stacklevel + 1)
