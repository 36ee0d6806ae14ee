"""Which text encoding a CSV file uses, found without the user saying so.

Excel on Chinese Windows saves "CSV" in the ANSI code page, which is GBK
(cp936); "CSV UTF-8" adds a byte-order mark; "Unicode text" is UTF-16 with a
mark. The detection order is therefore: a byte-order mark decides; otherwise
strict UTF-8 (which random GBK bytes almost never satisfy); otherwise GBK;
otherwise GB18030 (the superset of GBK that covers every Unicode character).
Bytes that decode under none of these, or that decode to control characters
(a binary file), are not text.
"""

from __future__ import annotations

import codecs
import re

from hbkit.exceptions import FileError, HbkitError

#: encodings tried, in order, when the file has no byte-order mark
FALLBACK_ENCODINGS: tuple[str, ...] = ("utf-8", "gbk", "gb18030")

#: why bytes are not text: they decode in none of the encodings (Chinese / English)
NOT_DECODED = "不是 UTF-8、GBK 或 GB18030 编码的文本 / not text in UTF-8, GBK or GB18030"
#: why bytes are not text: they decode to control characters (Chinese / English)
BINARY = ("二进制内容（如图片、压缩包）或不支持的编码（如 UTF-32）/ binary content (such as an "
          "image or an archive) or an encoding not read (such as UTF-32)")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: the same control characters as bytes: in UTF-8 a byte below 0x80 is always that character
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def detect_encoding(data: bytes) -> str:
    """Name of the encoding of ``data``: ``utf-8-sig``, ``utf-16``, ``utf-8``, ``gbk`` or ``gb18030``.

    Raises
    ------
    HbkitError
        When the bytes are not text in any of these encodings.

    Examples
    --------
    >>> detect_encoding("指标,年份".encode("utf-8-sig"))
    'utf-8-sig'
    >>> detect_encoding("指标,年份".encode("gbk"))
    'gbk'
    >>> detect_encoding("𠀀".encode("gb18030"))
    'gb18030'
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in FALLBACK_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise HbkitError(NOT_DECODED)


def _decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` as :func:`detect_encoding` finds it, decoding only once."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise HbkitError(NOT_DECODED)


def decode_text(data: bytes, label: str, error: type[FileError] = FileError) -> tuple[str, str]:
    """Decode the bytes of file ``label``; return ``(text, encoding)``.

    Raises ``error`` (:class:`~hbkit.exceptions.FileError` or a subclass, code
    ``file-format``) naming the file when the bytes are not text (:func:`text_of`).

    Examples
    --------
    >>> decode_text("年份\\r\\n2021".encode("gbk"), "a.csv")
    ('年份\\r\\n2021', 'gbk')
    >>> decode_text(b"\\x00\\x01\\x02", "b.csv")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.FileError: 文件不是文本或Excel文件 / not a text (CSV) or Excel file: b.csv (二进制内容（如图片、压缩包）或不支持的编码（如 UTF-32）/ binary content (such as an image or an archive) or an encoding not read (such as UTF-32))
    """
    try:
        return text_of(data)
    except NotText as exc:
        raise error(
            f"文件不是文本或Excel文件 / not a text (CSV) or Excel file: {label} ({exc})",
            "file-format", label) from None


class NotText(HbkitError):
    """Bytes that are not text (:func:`text_of`); the message says why, in Chinese then
    English (:data:`NOT_DECODED`, :data:`BINARY`), for the reader of the file to put beside
    its own words."""


def text_of(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` of ``data`` as :func:`detect_encoding` finds it, without a
    byte-order mark; the one decoding of every text file hbkit reads (data and catalogue).

    Raises
    ------
    NotText
        When the bytes decode in none of the encodings (:data:`NOT_DECODED`), have a
        byte-order mark but do not decode in its encoding, or decode to control characters
        (:data:`BINARY`: an image, an archive, UTF-32 text).

    Examples
    --------
    >>> text_of("指标".encode("utf-16"))
    ('指标', 'utf-16')
    >>> text_of(b"\\x89PNG\\r\\n\\x1a\\n")
    Traceback (most recent call last):
    ...
    hbkit.observations.encoding.NotText: 二进制内容（如图片、压缩包）或不支持的编码（如 UTF-32）/ binary content (such as an image or an archive) or an encoding not read (such as UTF-32)
    >>> text_of(b"\\xef\\xbb\\xbf\\xff")
    Traceback (most recent call last):
    ...
    hbkit.observations.encoding.NotText: 有 utf-8 的字节顺序标记，却不是 utf-8 文本 / a utf-8 byte-order mark, but not utf-8 text: invalid start byte
    """
    try:
        text, encoding = _decode(data)
    except HbkitError as exc:
        raise NotText(str(exc)) from None
    except UnicodeDecodeError as exc:  # a byte-order mark, then bytes not of its encoding
        raise NotText(f"有 {exc.encoding} 的字节顺序标记，却不是 {exc.encoding} 文本 / a "
                      f"{exc.encoding} byte-order mark, but not {exc.encoding} text: "
                      f"{exc.reason}") from None
    if _has_control(data, text, encoding):
        raise NotText(BINARY)
    return text.lstrip("\ufeff"), encoding


def _has_control(data: bytes, text: str, encoding: str) -> bool:
    """Whether ``text`` (``data`` decoded from ``encoding``) has a control character.

    For UTF-8 the bytes are checked (a byte below 0x80 is always that character
    there), several times faster than a search of the text.

    >>> _has_control("年份\x01".encode("utf-8"), "年份\x01", "utf-8")
    True
    >>> _has_control("年份\t2021".encode("gbk"), "年份\t2021", "gbk")
    False
    """
    if encoding in ("utf-8", "utf-8-sig"):
        return len(data.translate(None, _CONTROL_BYTES)) != len(data)
    return _CONTROL.search(text) is not None
