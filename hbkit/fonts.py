"""Chinese glyphs in charts, on a fresh machine.

hbkit depends on ``pylopdf-fonts-zh-cn``, a data-only wheel that ships
Noto Sans SC (SIL Open Font License 1.1), so Chinese labels render with real
glyphs wherever hbkit installs, without system fonts. The font is registered
with matplotlib's font manager the first time a chart is drawn, never when
hbkit is imported, and ``rcParams`` are not changed for good: charts apply the
font through :func:`chart_context` (a ``matplotlib.rc_context``, restored when
the chart is drawn) and :func:`apply_font` (per-artist font family). matplotlib's
``rcParams`` are one per process, so the context is one per process too: reports
drawn by several threads at once share it, the first to start a chart sets the
font and the last to finish restores the settings found by the first (each
thread restoring what it found, as ``rc_context`` does, would leave hbkit's font
set for good when two charts overlap). While hbkit draws a chart (a report draws
one per target) another thread of the same process sees hbkit's font settings,
and an ``rcParams`` change it makes meanwhile is undone when the context exits:
a host that draws its own charts in other threads should render hbkit's reports
in a separate process (or not at the same time).

When the package is missing, a system CJK font known to matplotlib is used
instead (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi, SimHei, Microsoft
YaHei, PingFang SC), and when there is none, :func:`cjk_family` returns
``None`` and charts fall back to matplotlib's default font.

Examples
--------
>>> from hbkit.fonts import cjk_family, font_families
>>> cjk_family()
'Noto Sans SC'
>>> font_families()
['Noto Sans SC', 'DejaVu Sans']
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Chinese fonts tried, in order, when the shipped font is not installed
SYSTEM_CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
)

#: Latin fallback that matplotlib always ships (also has the minus sign and arrows)
LATIN_FALLBACK = "DejaVu Sans"


def shipped_font_path() -> Path | None:
    """Path of the Noto Sans SC file shipped by ``pylopdf-fonts-zh-cn``, or ``None``.

    Examples
    --------
    >>> shipped_font_path().name
    'NotoSansSC-Regular.otf'
    """
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """Register the Chinese font with matplotlib (once) and return its family name.

    Returns
    -------
    str or None
        ``'Noto Sans SC'`` when the shipped font is installed, else the first
        system font of :data:`SYSTEM_CJK_FAMILIES` that matplotlib knows, else
        ``None``, with one :class:`~hbkit.exceptions.HbkitWarning` saying that
        Chinese text will not render and what to install (once per process: the
        answer is cached).

    Examples
    --------
    >>> cjk_family()
    'Noto Sans SC'
    """
    from matplotlib import font_manager

    path = shipped_font_path()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        return str(font_manager.FontProperties(fname=str(path)).get_name())
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in SYSTEM_CJK_FAMILIES:
        if family in known:
            return family
    import warnings

    from hbkit.exceptions import HbkitWarning

    warnings.warn("未找到中文字体，图表中的中文将显示为方框；请安装 pylopdf-fonts-zh-cn（hbkit 的依赖）"
                  "或系统中文字体（如 Noto Sans CJK SC、SimHei） / no Chinese font found: Chinese "
                  "text in charts will show as boxes; install pylopdf-fonts-zh-cn (a dependency of "
                  "hbkit) or a system Chinese font (e.g. Noto Sans CJK SC, SimHei)",
                  HbkitWarning, stacklevel=2)
    return None


def font_families() -> list[str]:
    """Font family list for chart text: the Chinese font first, then a Latin fallback.

    matplotlib falls back glyph by glyph along this list, so a character that
    the Chinese font lacks is drawn with the next one.

    Examples
    --------
    >>> font_families()[-1]
    'DejaVu Sans'
    """
    family = cjk_family()
    return [family, LATIN_FALLBACK] if family else [LATIN_FALLBACK]


def rc_params() -> dict[str, Any]:
    """The matplotlib settings charts are drawn under (not applied globally).

    Examples
    --------
    >>> rc_params()["font.family"]
    ['Noto Sans SC', 'DejaVu Sans']
    """
    return {
        "font.family": font_families(),
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
    }


#: guards the one process-wide chart context (:func:`chart_context`)
_CONTEXT_LOCK = threading.Lock()
#: charts being drawn under the context now, in every thread
_CONTEXT_DEPTH = 0
#: ``rcParams`` found when the context was entered while no chart was being drawn
_CONTEXT_SAVED: dict[str, Any] = {}


@contextlib.contextmanager
def chart_context() -> Iterator[None]:
    """Context in which hbkit draws: the Chinese font, restored on exit.

    One per process, like ``rcParams``: contexts entered at the same time (by
    several threads, or nested) share the settings, and ``rcParams`` are
    restored to what they were before the first when the last one exits.

    Examples
    --------
    >>> import matplotlib
    >>> before = list(matplotlib.rcParams["font.family"])
    >>> with chart_context():
    ...     matplotlib.rcParams["font.family"][0]
    'Noto Sans SC'
    >>> list(matplotlib.rcParams["font.family"]) == before
    True
    """
    global _CONTEXT_DEPTH, _CONTEXT_SAVED
    import matplotlib
    import matplotlib.pyplot  # resolves the backend outside the context

    params: Any = matplotlib.rcParams  # typed by key in matplotlib's stubs
    settings = rc_params()
    with _CONTEXT_LOCK:
        if _CONTEXT_DEPTH == 0:
            saved: dict[str, Any] = dict(params.copy())
            del saved["backend"]  # as matplotlib.rc_context: never switch backends back
            _CONTEXT_SAVED = saved
            params.update(settings)
        _CONTEXT_DEPTH += 1
    try:
        yield
    finally:
        with _CONTEXT_LOCK:
            _CONTEXT_DEPTH -= 1
            if _CONTEXT_DEPTH == 0:
                # In Jupyter, the inline backend switches interactive mode on the first
                # time pyplot is used; that switch must outlive the context, or no later
                # chart of the session is shown. Fonts are restored, the interactive
                # state is kept.
                restore = {**_CONTEXT_SAVED, "interactive": params["interactive"]}
                dict.update(params, restore)  # unvalidated, as matplotlib.rc_context
                _CONTEXT_SAVED = {}


def apply_font(figure: Any) -> Any:
    """Set the Chinese font family on every text artist of ``figure`` (a Figure, or an Axes:
    then only its own texts, so that a developer's other Axes keep their fonts).

    Text created before :func:`chart_context` was entered (for example the
    title of an Axes that a user passed in) keeps the font it was created
    with; this fixes it. Returns ``figure``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("孕产妇死亡率")
    >>> _ = apply_font(fig)
    >>> ax.title.get_fontfamily()[0]
    'Noto Sans SC'
    >>> plt.close(fig)
    """
    from matplotlib.text import Text

    families = font_families()
    for text in figure.findobj(Text):
        text.set_fontfamily(families)
    return figure
