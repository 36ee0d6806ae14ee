"""Command-line arguments read the way the data are, and usage errors in Chinese and English.

:class:`BilingualParser` is the parser of ``hbkit`` and of every subcommand: its
usage errors name the option and the value received, Chinese first
(argparse's own are English only). :func:`year_option` reads a year option
as the data reader reads a year cell: ``2023``, ``2023年``, ``２０２３``; :func:`seed_option`
a seed as :func:`hbkit.assess` checks it (:mod:`hbkit._options`).
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NoReturn, cast

from hbkit.observations.cells import CellError, parse_year

if TYPE_CHECKING:
    from hbkit.datasets import Example

#: how the command line names an example shipped with hbkit: ``example:hebei_example``
EXAMPLE_PREFIX = "example:"

_INVALID_VALUE = re.compile(r"^argument (?P<option>\S+): invalid (?P<type>\w+) value: (?P<value>.*)$")
_INVALID_CHOICE = re.compile(
    r"^argument (?P<option>\S+): invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)$")
_EXPECTED = re.compile(r"^argument (?P<option>\S+): expected (?P<what>.*)$")
_TYPE_WORDS = {"int": ("整数", "a whole number"), "float": ("数字", "a number")}
#: a message hbkit words itself: the option, Chinese, then " / " and the English
_HBKIT_WORDED = re.compile(r"^-\S+ [^/]*[\u4e00-\u9fff][^/]* / ")


def example_argument(text: str) -> Example | None:
    """The example shipped with hbkit that ``example:NAME`` names; ``None`` for any other
    text (a file). Every subcommand that reads data or a catalogue resolves it so.

    >>> example_argument("example:hebei_example").name, example_argument("数据.xlsx")
    ('hebei_example', None)
    >>> example_argument("example:nope")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: 未知示例 / unknown example 'nope'; available: china, dtp3, hebei_example, hebei_example_final, igme2021
    """
    if not str(text).startswith(EXAMPLE_PREFIX):
        return None
    from hbkit.datasets import load_example

    return load_example(str(text)[len(EXAMPLE_PREFIX):])


def data_help(zh: str, en: str) -> str:
    """The help of a data argument, which also takes ``example:NAME``: Chinese, then English.

    >>> print(data_help("观测数据文件", "observations file"))
    观测数据文件，或 example:NAME 表示随包示例（如 example:hebei_example，模拟数据）/ observations file, or example:NAME for an example shipped with hbkit (e.g. example:hebei_example, simulated)
    """
    return (f"{zh}，或 {EXAMPLE_PREFIX}NAME 表示随包示例（如 example:hebei_example，模拟数据）/ "
            f"{en}, or {EXAMPLE_PREFIX}NAME for an example shipped with hbkit "
            "(e.g. example:hebei_example, simulated)")


def catalogue_help(default_zh: str, default_en: str) -> str:
    """The help of a catalogue-file option, which also takes ``example:NAME`` (that
    example's own catalogue): Chinese, then English, each with its default.

    >>> print(catalogue_help("随包的两个规划目录", "the shipped catalogue of both plans"))
    目标目录文件 (.yaml, .csv, .xlsx)，或 example:NAME 表示随包示例的目录（如 example:china）；默认：随包的两个规划目录 / catalogue file (.yaml, .csv, .xlsx), or example:NAME for the catalogue of an example shipped with hbkit (e.g. example:china); default: the shipped catalogue of both plans
    """
    return (f"目标目录文件 (.yaml, .csv, .xlsx)，或 {EXAMPLE_PREFIX}NAME 表示随包示例的目录"
            f"（如 example:china）；默认：{default_zh} / catalogue file (.yaml, .csv, .xlsx), or "
            f"{EXAMPLE_PREFIX}NAME for the catalogue of an example shipped with hbkit "
            f"(e.g. example:china); default: {default_en}")


def seed_help() -> str:
    """The help of ``--seed``, the same in every subcommand that simulates: Chinese, then English.

    >>> print(seed_help())
    随机数种子：0 到 2147483646 的整数，同样输入同样输出（默认：0）/ random seed: a whole number from 0 to 2147483646; same input, same output (default: 0)
    """
    from hbkit._options import MAX_SEED

    return (f"随机数种子：0 到 {MAX_SEED} 的整数，同样输入同样输出（默认：0）/ random seed: a whole "
            f"number from 0 to {MAX_SEED}; same input, same output (default: 0)")


def year_option(option: str) -> Callable[[str], int]:
    """An argparse ``type`` reading a year as the data reader does (2023, 2023年, ２０２３).

    >>> year = year_option("--as-of")
    >>> year("2023"), year("2023年"), year("２０２３")
    (2023, 2023, 2023)
    >>> year("last")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --as-of 须为年份，如 2023 或 2023年；收到 'last' / --as-of takes a year such as 2023 or 2023年; received 'last'
    >>> year("1900")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --as-of 须为 1949—2100 之间的年份；收到 '1900' / --as-of takes a year in 1949-2100; received '1900'
    """
    def read(text: str) -> int:
        try:
            return parse_year(text)
        except CellError as exc:
            if str(exc).startswith("outside"):  # a year, but not one hbkit reads
                raise argparse.ArgumentTypeError(
                    f"{option} 须为 1949—2100 之间的年份；收到 {text!r} / {option} takes a year "
                    f"in 1949-2100; received {text!r}") from None
            raise argparse.ArgumentTypeError(
                f"{option} 须为年份，如 2023 或 2023年；收到 {text!r} / {option} takes a year "
                f"such as 2023 or 2023年; received {text!r}") from None

    read.__name__ = "year"
    return read


def seed_option(option: str) -> Callable[[str], int]:
    """An argparse ``type`` reading a seed as :func:`hbkit.assess` checks it: a whole
    number from 0 to 2147483646 (:func:`hbkit._options.check_seed`).

    >>> seed = seed_option("--seed")
    >>> seed("7"), seed("7.0")
    (7, 7)
    >>> seed("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --seed 须为 0 到 2147483646 之间的整数；收到 '-1' / --seed takes a whole number from 0 to 2147483646; received '-1'
    """
    from hbkit._options import MAX_SEED, check_seed, whole_number
    from hbkit.exceptions import HbkitError

    def read(text: str) -> int:
        try:
            whole_number(option, text)
        except HbkitError:
            raise ValueError(text) from None  # argparse: "invalid int value", worded as for --window
        try:
            return check_seed(text, option)
        except HbkitError:
            raise argparse.ArgumentTypeError(
                f"{option} 须为 0 到 {MAX_SEED} 之间的整数；收到 {text!r} / {option} takes a whole "
                f"number from 0 to {MAX_SEED}; received {text!r}") from None

    read.__name__ = "int"
    return read


def bilingual_usage_error(message: str) -> str:
    """argparse's English usage error in Chinese and English, naming option and value.

    Examples
    --------
    >>> print(bilingual_usage_error(
    ...     "argument --plan: invalid choice: 'child' (choose from 'women', 'children')"))
    --plan 的取值须为 'women', 'children' 之一；收到 'child' / --plan takes one of 'women', 'children'; received 'child'
    >>> print(bilingual_usage_error("argument --seed: invalid int value: 'x'"))
    --seed 须为整数；收到 'x' / --seed takes a whole number; received 'x'
    >>> print(bilingual_usage_error("unrecognized arguments: --plan child"))
    无法识别的参数 / unrecognized arguments: --plan child

    A Chinese value is named like any other:

    >>> print(bilingual_usage_error(
    ...     "argument --plan: invalid choice: '妇女' (choose from 'women', 'children')"))
    --plan 的取值须为 'women', 'children' 之一；收到 '妇女' / --plan takes one of 'women', 'children'; received '妇女'
    """
    match = _INVALID_CHOICE.match(message)
    if match:
        option, value, choices = match["option"], match["value"], match["choices"]
        return (f"{option} 的取值须为 {choices} 之一；收到 {value} / {option} takes one of "
                f"{choices}; received {value}")
    match = _INVALID_VALUE.match(message)
    if match:
        option, value = match["option"], match["value"]
        zh, en = _TYPE_WORDS.get(match["type"], (match["type"], match["type"]))
        return f"{option} 须为{zh}；收到 {value} / {option} takes {en}; received {value}"
    match = _EXPECTED.match(message)
    if match:
        return f"{match['option']} 后缺少取值 / {match['option']} expects {match['what']}"
    worded = re.sub(r"^argument \S+: ", "", message)
    if _HBKIT_WORDED.match(worded):  # hbkit's own message (year_option), already bilingual
        return worded
    for english, chinese in (("unrecognized arguments:", "无法识别的参数"),
                             ("the following arguments are required:", "缺少必需的参数"),
                             ("one of the arguments", "参数冲突"),
                             ("not allowed with argument", "参数冲突")):
        if english in message:
            return f"{chinese} / {message}"
    return f"用法错误 / {message}"


#: argparse's own words in the help, Chinese first
USAGE_PREFIX = "用法 / usage: "
HELP_WORDS = "显示本帮助并退出 / show this help message and exit"
POSITIONALS_TITLE = "位置参数 / positional arguments"
OPTIONALS_TITLE = "选项 / options"


class BilingualUsage(argparse.HelpFormatter):
    """A help formatter whose usage line starts ``用法 / usage:`` (argparse's is English)."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)

    def _format_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                      groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None) -> str:
        """argparse's usage, its wrapped lines moved right by the extra width of the
        prefix's Chinese characters (two columns each), so that they line up again."""
        text = super()._format_usage(usage, actions, groups, prefix)
        extra = sum(unicodedata.east_asian_width(ch) in ("W", "F") for ch in prefix or "")
        first, *rest = text.split("\n")
        return "\n".join([first, *(" " * extra + line if line.startswith(" ") else line
                                    for line in rest)])


class BilingualParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help and usage errors are Chinese first, then English:
    the usage line, the section titles and ``-h``'s help (argparse's own words), and
    every usage error (exit 2).

    >>> parser = BilingualParser(prog="hbkit demo")
    >>> _ = parser.add_argument("data", help="数据 / data")
    >>> print(parser.format_help())
    用法 / usage: hbkit demo [-h] data
    <BLANKLINE>
    位置参数 / positional arguments:
      data        数据 / data
    <BLANKLINE>
    选项 / options:
      -h, --help  显示本帮助并退出 / show this help message and exit
    <BLANKLINE>
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        given = cast(type, self.formatter_class)
        if not issubclass(given, BilingualUsage):  # e.g. RawDescriptionHelpFormatter
            self.formatter_class = cast(Any, type(f"Bilingual{given.__name__}",
                                                  (BilingualUsage, given), {}))
        self._positionals.title = POSITIONALS_TITLE
        self._optionals.title = OPTIONALS_TITLE
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = HELP_WORDS

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误 / error: {bilingual_usage_error(message)}\n")


__all__ = ["EXAMPLE_PREFIX", "BilingualParser", "BilingualUsage",
           "bilingual_usage_error", "catalogue_help", "data_help", "example_argument", "seed_help",
           "seed_option", "year_option"]
