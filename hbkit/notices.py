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
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["collecting", "notify"]

_CURRENT: ContextVar[list[dict[str, str]] | None] = ContextVar("hbkit_notices", default=None)


@contextmanager
def collecting() -> Iterator[list[dict[str, str]]]:
    """Collect the notices of the calls to :func:`notify` in this context (this thread)."""
    notes: list[dict[str, str]] = []
    token = _CURRENT.set(notes)
    try:
        yield notes
    finally:
        _CURRENT.reset(token)


def notify(message: str, category: type[Warning], stacklevel: int = 1) -> None:
    """Warn ``message`` (``stacklevel`` as for :func:`warnings.warn`, counted from the
    caller) and keep it in the notices being collected, if any."""
    notes = _CURRENT.get()
    if notes is not None:
        notes.append({"category": category.__name__, "message": message})
    warnings.warn(message, category, stacklevel=stacklevel + 1)
