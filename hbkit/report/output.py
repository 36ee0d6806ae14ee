"""Where a report goes: a file path, a file-like object already open, or back to the caller.

A web service builds its reports in memory (``io.BytesIO`` for a workbook to
send, ``io.StringIO`` or ``io.BytesIO`` for a page) and must not write temporary
files; an analyst gives a path. The writers of :mod:`hbkit.report` render their
report once, as text or bytes, and hand it to :func:`deliver_text` or
:func:`deliver_bytes`, so a stream receives exactly the bytes a path would.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import IO, Any

from hbkit.exceptions import HbkitError

#: what a report writer accepts as its destination
Destination = str | os.PathLike[str] | IO[str] | IO[bytes] | None


def is_stream(destination: Any) -> bool:
    """Whether ``destination`` is a file-like object (has ``write``), not a path.

    >>> import io
    >>> is_stream(io.BytesIO()), is_stream("report.html"), is_stream(None)
    (True, False, False)
    """
    return not isinstance(destination, str | bytes | os.PathLike) and callable(
        getattr(destination, "write", None))


def _is_binary(stream: Any) -> bool:
    """Whether ``stream`` takes bytes (``BytesIO``, ``open(..., "wb")``) rather than text."""
    if isinstance(stream, io.TextIOBase):
        return False
    if isinstance(stream, io.BufferedIOBase | io.RawIOBase):
        return True
    mode = getattr(stream, "mode", None)
    if isinstance(mode, str):
        return "b" in mode
    return False


def _path(destination: Any) -> Path:
    if not isinstance(destination, str | os.PathLike):
        raise HbkitError(
            "报告的去处须为文件路径或可写入的文件对象（如 io.BytesIO）/ a report goes to a file "
            f"path or a writable file-like object (e.g. io.BytesIO); received {destination!r}")
    return Path(destination)


def deliver_text(text: str, destination: Any) -> Path | None:
    """Write a text report (UTF-8) to a path or a stream.

    A path: parent folders are created, the file written, its ``Path`` returned.
    A text stream (``io.StringIO``, ``open(..., "w")``) receives ``text``; a
    binary stream (``io.BytesIO``, a web response body) receives ``text``
    encoded as UTF-8, byte for byte what the path would hold. Streams are
    neither rewound nor closed; ``None`` is returned for them.

    >>> import io
    >>> buffer = io.BytesIO()
    >>> deliver_text("河北区", buffer) is None, buffer.getvalue().decode("utf-8")
    (True, '河北区')
    """
    if is_stream(destination):
        if _is_binary(destination):
            destination.write(text.encode("utf-8"))
        else:
            try:
                destination.write(text)
            except TypeError:  # a stream that takes bytes without saying so
                destination.write(text.encode("utf-8"))
        return None
    target = _path(destination)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    return target


def deliver_bytes(data: bytes, destination: Any) -> Path | None:
    """Write a binary report (a workbook) to a path or a binary stream.

    As :func:`deliver_text`; a text stream cannot hold a workbook and is an
    :class:`~hbkit.exceptions.HbkitError`.

    >>> import io
    >>> deliver_text("x", io.StringIO()) is None
    True
    >>> deliver_bytes(b"PK", io.StringIO())
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: Excel 工作簿须写入二进制文件对象（如 io.BytesIO），不能写入文本流 / a workbook needs a binary file-like object (e.g. io.BytesIO), not a text stream; received StringIO
    """
    if is_stream(destination):
        if isinstance(destination, io.TextIOBase) or (
                isinstance(getattr(destination, "mode", None), str)
                and "b" not in destination.mode):
            raise HbkitError(
                "Excel 工作簿须写入二进制文件对象（如 io.BytesIO），不能写入文本流 / a workbook "
                "needs a binary file-like object (e.g. io.BytesIO), not a text stream; "
                f"received {type(destination).__name__}")
        destination.write(data)
        return None
    target = _path(destination)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


__all__ = ["Destination", "deliver_bytes", "deliver_text", "is_stream"]
