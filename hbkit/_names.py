"""Names inside running English text."""

from __future__ import annotations


def lower_first(name: str) -> str:
    """``name`` with its first letter in lower case, unless the first word is an acronym.

    An indicator's English name starts with a capital as a heading ("Maternal
    mortality ratio"); inside a sentence it reads "no data for maternal
    mortality ratio". Acronyms (DTP3, HIV) keep their case.

    Examples
    --------
    >>> lower_first("Female share"), lower_first("HIV testing rate"), lower_first("")
    ('female share', 'HIV testing rate', '')
    """
    first = name.split(" ", 1)[0]
    if not name or (len(first) > 1 and first[1:2].isupper()):
        return name
    return name[0].lower() + name[1:]
