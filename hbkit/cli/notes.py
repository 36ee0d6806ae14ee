"""What the command line does with warnings: one policy for every subcommand.

hbkit's own warnings (:class:`~hbkit.exceptions.HbkitWarning` and its subclasses)
are the subcommand's to say: it collects them with :func:`hbkit_warnings` and prints
them as notes in its own words (``注意 / note: ...``). One it does not collect is
printed the same way by :func:`warnings_as_notes`, once.

A warning of another library (openpyxl reading a workbook saved by Excel or WPS with
data validation, matplotlib drawing a character its font lacks, pandas, numpy) is
printed on stderr when it happens, once per distinct message, as a short note naming
the library::

    注意（openpyxl）/ note (openpyxl): Data Validation extension is not supported and will be removed

never as a traceback or a Python warning line, never turned into an error (whatever
``-W`` or ``PYTHONWARNINGS`` say), never silently dropped, and it never changes the exit
code. At most :data:`MAX_NOTES_PER_LIBRARY` distinct messages of one library are printed;
the number of the others closes the command in one line (a chart drawn without a
Chinese font warns once per missing character: hundreds of messages). The categories
Python shows no end user by default (:data:`HIDDEN_CATEGORIES`: deprecations, addressed
to programmers) are not shown, as in any Python program.

:func:`hbkit.cli.main` runs every subcommand inside :func:`warnings_as_notes`.

Examples
--------
>>> import warnings
>>> with warnings_as_notes(sys.stdout):
...     warnings.warn("Data Validation extension is not supported", UserWarning)
...     warnings.warn("Data Validation extension is not supported", UserWarning)
...     with hbkit_warnings() as caught:
...         warnings.warn("说明 / a note", HbkitWarning)
...         warnings.warn("divide by zero encountered in log", RuntimeWarning)
注意（Python）/ note (Python): Data Validation extension is not supported
注意（numpy）/ note (numpy): divide by zero encountered in log
>>> [str(w.message) for w in caught]
['说明 / a note']
"""

from __future__ import annotations

import sys
import threading
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TextIO

from hbkit.exceptions import HbkitWarning

#: distinct messages of one library printed; the others are counted in one line
MAX_NOTES_PER_LIBRARY = 5
#: the categories Python's default filters hide from end users; the command line hides them too
HIDDEN_CATEGORIES: tuple[type[Warning], ...] = (DeprecationWarning, PendingDeprecationWarning,
                                                ImportWarning, ResourceWarning)


def _machinery(frame: FrameType) -> bool:
    """Whether ``frame`` is of the warnings machinery (the ``warnings`` module, or a
    ``show`` of this module), passed over when looking for who warned."""
    code = frame.f_code
    return (frame.f_globals.get("__name__") == "warnings"
            or (code.co_name == "show" and code.co_filename == __file__))


def warning_origin(frame: FrameType | None, category: type[Warning], message: str) -> str:
    """The library that warned: the top-level package of the innermost frame outside the
    warnings machinery (``frame`` is where to start looking).

    A warning issued by compiled code has no frame of its own: the frame is its
    caller's. numpy's floating-point warnings (``... encountered in ...``) are then
    named ``numpy``; another warning whose frame is hbkit's is named after its
    category's package, else ``Python``.

    >>> import sys
    >>> warning_origin(None, RuntimeWarning, "invalid value encountered in divide")
    'numpy'
    >>> warning_origin(sys._getframe(), UserWarning, "x")  # this frame: a doctest's
    'Python'
    """
    while frame is not None and _machinery(frame):
        frame = frame.f_back
    package = "" if frame is None else str(frame.f_globals.get("__name__", "")).partition(".")[0]
    if package and package not in ("hbkit", "__main__") and not package.startswith("__"):
        return package
    if issubclass(category, RuntimeWarning) and " encountered in " in message:
        return "numpy"
    owner = category.__module__.partition(".")[0]
    return owner if owner not in ("builtins", "hbkit") else "Python"


def note_text(message: str, origin: str | None) -> str:
    """A warning as the command line prints it: hbkit's (``origin`` ``None``) as a plain
    note, another library's naming it.

    >>> note_text("Data Validation extension is not supported", "openpyxl")
    '注意（openpyxl）/ note (openpyxl): Data Validation extension is not supported'
    >>> note_text("说明 / a note", None)
    '注意 / note: 说明 / a note'
    """
    return f"注意 / note: {message}" if origin is None else f"注意（{origin}）/ note ({origin}): {message}"


class NotePrinter:
    """Prints warnings as notes on a stream (default: ``sys.stderr`` when printing), each
    distinct message once, at most :data:`MAX_NOTES_PER_LIBRARY` per library; thread-safe
    (an assessment may warn from several threads)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.seen: set[str] = set()
        self.printed: Counter[str] = Counter()
        self.untold: Counter[str] = Counter()
        self.lock = threading.Lock()

    def show(self, message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:
        """A ``warnings.showwarning``: print the note unless said already."""
        text = str(message).strip()
        origin = (None if issubclass(category, HbkitWarning)
                  else warning_origin(sys._getframe(1), category, text))
        note = note_text(text, origin)
        with self.lock:
            if note in self.seen:
                return
            self.seen.add(note)
            if origin is not None and self.printed[origin] >= MAX_NOTES_PER_LIBRARY:
                self.untold[origin] += 1
                return
            self.printed[origin or "hbkit"] += 1
        print(note, file=self.stream or sys.stderr, flush=True)

    def close(self) -> None:
        """Print how many distinct messages of each library were not printed."""
        for origin, count in self.untold.items():
            print(f"注意（{origin}）：另有 {count} 条不同的提示未列出 / note ({origin}): {count} "
                  f"more distinct message{'' if count == 1 else 's'} not shown",
                  file=self.stream or sys.stderr, flush=True)


@contextmanager
def warnings_as_notes(stream: TextIO | None = None) -> Iterator[NotePrinter]:
    """Within: every warning shown is printed as a note (:class:`NotePrinter`), never
    raised as an error; deprecations (:data:`HIDDEN_CATEGORIES`) are not shown."""
    printer = NotePrinter(stream)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        for category in HIDDEN_CATEGORIES:
            warnings.filterwarnings("ignore", category=category)
        warnings.showwarning = printer.show
        try:
            yield printer
        finally:
            printer.close()


@contextmanager
def hbkit_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Within: hbkit's warnings are collected in the list yielded, each time it is
    issued, for the subcommand to print; any other goes on to the warning display in
    force (:func:`warnings_as_notes` under ``hbkit``), while it is issued, so that the
    library that warned can still be named.

    >>> import warnings
    >>> with hbkit_warnings() as caught:
    ...     for _ in range(2):
    ...         warnings.warn("说明 / a note", HbkitWarning)
    >>> len(caught)
    2
    """
    caught: list[warnings.WarningMessage] = []
    passed_on = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:
        if issubclass(category, HbkitWarning):
            caught.append(warnings.WarningMessage(message, category, filename, lineno, file, line))
        else:
            passed_on(message, category, filename, lineno, file, line)

    with warnings.catch_warnings():
        warnings.simplefilter("always", HbkitWarning)
        warnings.showwarning = show
        yield caught


__all__ = ["HIDDEN_CATEGORIES", "MAX_NOTES_PER_LIBRARY", "NotePrinter", "hbkit_warnings",
           "note_text", "warning_origin", "warnings_as_notes"]
