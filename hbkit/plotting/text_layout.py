"""Chart text laid out in the chart font: widths, wrapped and balanced lines, shortened labels.

Chart titles and labels must fit the room a chart gives them. These helpers
measure text with the fonts charts draw with (:func:`hbkit.fonts.font_families`,
the bundled Chinese font included), without a renderer, and lay it out:
:func:`text_width` measures one line, :func:`wrap_to_width` wraps to a width,
:func:`balanced_lines` wraps into the fewest lines of even length,
:func:`shorten_to_width` cuts a label to one line with "…", and
:func:`wrap_to_characters` wraps to a number of characters. English breaks
between words, Chinese between characters; punctuation stays with its
neighbour. matplotlib is imported only when a width is first measured.

Examples
--------
>>> wrap_to_width("Mother-to-child transmission rate of HIV", 110, 10)
['Mother-to-child', 'transmission rate of', 'HIV']
>>> shorten_to_width("Prevalence of anaemia among pregnant and lactating women", 200, 10)
'Prevalence of anaemia among pregnant…'
"""

from __future__ import annotations

import functools
import re
import textwrap

from hbkit.fonts import font_families

#: punctuation kept with the piece before it (never starts a line)
_CLOSING = frozenset("，。、；：！？）》」』”’%,.;:!?)")
#: punctuation kept with the piece after it (never ends a line)
_OPENING = frozenset("（《「『“‘(")
#: a run of Latin letters and digits (an English word, "HIV", "15-49"), a space, or one character
_PIECE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-+/%'’]*|\s+|.")
#: the mark that ends a shortened label
ELLIPSIS = "…"
#: English words a shortened label does not end on ("… pregnant and…")
_DANGLING = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or",
                       "per", "the", "to", "with", "among", "under", "aged"})


@functools.lru_cache(maxsize=4096)
def _piece_width(piece: str, fontsize: float) -> float:
    """Width in points of ``piece`` in the chart fonts at ``fontsize`` (no renderer needed)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=font_families(), size=fontsize)
    width, _, _ = text_to_path.get_text_width_height_descent(piece, prop, ismath=False)
    return float(width)


def text_width(line: str, fontsize: float) -> float:
    """Width in points of one line of chart text at ``fontsize``.

    Measured with the fonts charts draw with (:func:`hbkit.fonts.font_families`),
    piece by piece, 2% added for kerning and hinting, so a line measured to fit
    does fit once drawn.

    Parameters
    ----------
    line
        One line of text (no newline).
    fontsize
        Font size in points.

    Returns
    -------
    float
        The width in points (1/72 inch).

    Examples
    --------
    >>> text_width("孕产妇死亡率", 10.0)
    61.2
    >>> text_width("", 10.0)
    0.0
    """
    return round(1.02 * sum(_piece_width(piece, fontsize) for piece in _pieces(line)), 2)


def _pieces(label: str) -> list[str]:
    """Pieces a line may break between: words and spaces (English), characters (Chinese).

    >>> _pieces("HIV母婴传播率（%）")
    ['HIV', '母', '婴', '传', '播', '率', '（%）']
    >>> _pieces("rate of HIV, women")
    ['rate', ' ', 'of', ' ', 'HIV,', ' ', 'women']
    """
    out: list[str] = []
    for piece in _PIECE.findall(label):
        if out and (piece in _CLOSING or out[-1][-1] in _OPENING):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def wrap_to_width(label: str, width: float, fontsize: float) -> list[str]:
    """Lines of ``label``, each at most ``width`` points wide at ``fontsize``.

    English breaks between words, Chinese between characters (punctuation
    stays with its neighbour). A single word wider than ``width`` keeps a
    line of its own.

    Parameters
    ----------
    label
        The text; its newlines are kept as line breaks.
    width
        Width in points each line must fit in.
    fontsize
        Font size in points.

    Returns
    -------
    list of str
        The lines (none for an empty label).

    Examples
    --------
    >>> wrap_to_width("Mother-to-child transmission rate of HIV", 110, 10)
    ['Mother-to-child', 'transmission rate of', 'HIV']
    >>> wrap_to_width("社区卫生服务中心提供儿童基本医疗服务的全科医生数", 130, 10)
    ['社区卫生服务中心提供儿童', '基本医疗服务的全科医生数']
    """
    lines: list[str] = []
    for paragraph in label.split("\n"):
        current: list[str] = []
        for piece in _pieces(paragraph):
            if not current and piece.isspace():
                continue
            if current and text_width("".join(current + [piece]).rstrip(), fontsize) > width:
                lines.append("".join(current).rstrip())
                current = [] if piece.isspace() else [piece]
            else:
                current.append(piece)
        if current:
            lines.append("".join(current).rstrip())
    return lines


def balanced_lines(label: str, width: float, fontsize: float,
                   last_width: float | None = None) -> list[str]:
    """``label`` in as few lines as fit in ``width`` points, the lines as even as can be.

    Greedy wrapping leaves a last line of one word or one character
    ("…的全科医生" / "数"); this finds the narrowest width that keeps the
    fewest lines, so the words spread evenly over them.

    Parameters
    ----------
    label
        The text.
    width
        Width in points every line must fit in.
    fontsize
        Font size in points.
    last_width
        Narrower width for the last line (it shares its baseline with
        something drawn to its right); default ``width``.

    Returns
    -------
    list of str
        The lines.

    Examples
    --------
    >>> balanced_lines("社区卫生服务中心提供儿童基本医疗服务的全科医生数", 250, 10.5)
    ['社区卫生服务中心提供儿童', '基本医疗服务的全科医生数']
    >>> balanced_lines("Mother-to-child transmission rate of HIV", 280, 10.5, last_width=160)
    ['Mother-to-child', 'transmission rate of HIV']
    """
    last = width if last_width is None else min(width, last_width)

    def lay_out(line_width: float) -> list[str]:
        lines = wrap_to_width(label, line_width, fontsize)
        if lines and text_width(lines[-1], fontsize) > min(line_width, last):
            lines[-1:] = wrap_to_width(lines[-1], min(line_width, last), fontsize)
        return lines

    best = lay_out(width)
    if len(best) < 2:
        return best
    low, high = 0.0, width  # high keeps the fewest lines, low does not
    for _ in range(14):
        middle = (low + high) / 2
        if len(lay_out(middle)) <= len(best):
            high = middle
        else:
            low = middle
    return lay_out(high)


def shorten_to_width(label: str, width: float, fontsize: float) -> str:
    """``label`` on one line of at most ``width`` points, cut with "…" when it is wider.

    The cut falls between words (English) or characters (Chinese), and a
    shortened English label does not end on a dangling "and", "of" or comma.

    Parameters
    ----------
    label
        The text.
    width
        Width in points the line must fit in, ellipsis included.
    fontsize
        Font size in points.

    Returns
    -------
    str
        ``label`` itself when it fits, else its longest head that fits followed by ``…``.

    Examples
    --------
    >>> shorten_to_width("Prevalence of anaemia among pregnant and lactating women", 200, 10)
    'Prevalence of anaemia among pregnant…'
    >>> shorten_to_width("孕产妇死亡率", 180, 10)
    '孕产妇死亡率'
    """
    label = " ".join(label.split())
    if text_width(label, fontsize) <= width:
        return label
    pieces = _pieces(label)
    while pieces:
        pieces.pop()
        while pieces and (pieces[-1].isspace() or pieces[-1].lower() in _DANGLING):
            pieces.pop()
        head = "".join(pieces).rstrip(",;:，、；：")
        if text_width(head + ELLIPSIS, fontsize) <= width:
            return head + ELLIPSIS
    return ELLIPSIS


def wrap_to_characters(label: str, width: int) -> str:
    """``label`` in lines of at most ``width`` characters; English breaks only between words.

    Chinese breaks between any two characters. The status dashboard wraps its
    column headings so ("无法量化" over "目标").

    Parameters
    ----------
    label
        The text.
    width
        Most characters on a line; an English word longer than that keeps a line of its own.

    Returns
    -------
    str
        The lines joined by newlines (``""`` for an empty label).

    Examples
    --------
    >>> print(wrap_to_characters("无法量化目标", 4))
    无法量化
    目标
    >>> print(wrap_to_characters("not quantifiable", 9))
    not
    quantifiable
    """
    if not label:
        return label
    words = " " in label or label.isascii()
    return "\n".join(textwrap.wrap(label, width=width, break_long_words=not words))
