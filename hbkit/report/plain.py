"""Plain-text tables that stay aligned with Chinese characters (for terminals and logs).

A Chinese character takes two columns in a terminal; widths are counted with
:func:`unicodedata.east_asian_width` so that columns line up.

Examples
--------
>>> print(aligned_table([["婴儿死亡率", "0.91"], ["IMR", "0.5"]], ["指标", "P"], right=[1]))
指标           P
----------  ----
婴儿死亡率  0.91
IMR          0.5
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from hbkit.report.formatting import is_missing


def text_width(value: Any) -> int:
    """Display width of text in a terminal: wide and full-width characters count 2.

    >>> text_width("a b"), text_width("孕产妇"), text_width("（2023）"), text_width(None)
    (3, 6, 8, 0)
    """
    if value is None or (isinstance(value, float) and value != value):
        return 0
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def truncate(value: Any, width: int) -> str:
    """Cut text to at most ``width`` display columns, marking the cut with ``…``.

    >>> truncate("高等教育在校生中女性比例", 10), truncate("short", 10)
    ('高等教育…', 'short')
    """
    text = "" if is_missing(value) else str(value)
    if text_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = text_width(ch)
        if used + w > width - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def pad(value: str, width: int, right: bool = False) -> str:
    """Pad ``value`` with spaces to ``width`` display columns.

    >>> pad("率", 4) + "|", pad("1", 3, right=True)
    ('率  |', '  1')
    """
    space = " " * max(width - text_width(value), 0)
    return space + value if right else value + space


def aligned_table(rows: Iterable[Sequence[Any]], headers: Sequence[str],
                  right: Iterable[int] = (), max_width: int | None = None) -> str:
    """Rows as an aligned text table with a dashed rule under the headers.

    ``right`` lists the columns to right-align (numbers); ``max_width``
    truncates any cell wider than that.
    """
    right = set(right)
    body = [["" if is_missing(v) else str(v) for v in row] for row in rows]
    if max_width is not None:
        body = [[truncate(v, max_width) for v in row] for row in body]
    widths = [text_width(h) for h in headers]
    for row in body:
        widths = [max(w, text_width(v)) for w, v in zip(widths, row, strict=True)]
    lines = ["  ".join(pad(h, w, i in right) for i, (h, w) in enumerate(zip(headers, widths,
                                                                           strict=True))).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(v, w, i in right) for i, (v, w) in enumerate(zip(row, widths,
                                                                          strict=True))).rstrip()
              for row in body]
    return "\n".join(lines)
