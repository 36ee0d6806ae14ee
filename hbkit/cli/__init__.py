"""The ``hbkit`` command line.

Each subcommand lives in its own module of this package and defines
``register(subparsers)``, which adds its parser and sets ``func`` to a callable
``run(args) -> int``. Exit codes: 0 success, 1 problems found in the data or
targets at risk where the subcommand says so, 2 usage errors (bad arguments,
unreadable files). A user error never prints a traceback. Warnings are printed
as notes on stderr, the same way by every subcommand (:mod:`hbkit.cli.notes`).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from collections.abc import Sequence

from hbkit.exceptions import (
    CatalogueError,
    DataValidationError,
    FileError,
    HbkitError,
    HbkitWarning,
)

#: subcommand modules, in the order ``hbkit --help`` lists them
SUBCOMMANDS: tuple[str, ...] = ("assess", "validate", "catalogue", "template", "backtest")

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """Build the ``hbkit`` argument parser with every subcommand registered."""
    from hbkit import __version__
    from hbkit.cli.arguments import BilingualParser

    parser = BilingualParser(
        prog="hbkit",
        description="妇女儿童发展规划监测与预警 / monitoring and early warning for "
        "Women's and Children's Development Plans",
    )
    parser.add_argument("--version", action="version", version=f"hbkit {__version__}",
                        help="显示版本号并退出 / show hbkit's version number and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"hbkit.cli.{name}").register(subparsers)
    return parser


def catalogue_problems_text(error: CatalogueError) -> str:
    """A catalogue's problems as the command prints them: the count, then one table of
    file, row, column, value received, rule and rule code, as ``hbkit validate`` prints
    the data's (every problem at once).

    >>> import pandas as pd
    >>> err = CatalogueError(pd.DataFrame({"file": ["目录.xlsx"], "row": [6], "column": ["领域"],
    ...     "field": ["domain"], "value": ["体育"], "rule": ["须为下列取值之一 / must be one of: ..."],
    ...     "code": ["literal_error"]}))
    >>> print(catalogue_problems_text(err))  # doctest: +NORMALIZE_WHITESPACE
    目标目录有误：共 1 个 / invalid catalogue: 1 in all
    文件 File  行号 Row  列 Column  收到的值 Value  规则 Rule                               规则代码 Code
    ---------  --------  ---------  --------------  --------------------------------------  -------------
    目录.xlsx         6  领域       体育            须为下列取值之一 / must be one of: ...  literal_error
    """
    from hbkit.cli.validate import problem_table

    problems = error.problems.astype(object).where(error.problems.notna(), "")
    title = str(error).splitlines()[0]
    return f"{title}\n{problem_table(problems, ['file', 'row', 'column', 'value', 'rule', 'code'])}"


def distinct_notes(caught: Sequence[warnings.WarningMessage]) -> list[str]:
    """The messages of the hbkit warnings caught, each once, in order: what a command
    prints as ``注意 / note: ...`` (another library's warning is printed by
    :func:`hbkit.cli.notes.warnings_as_notes`, naming the library).

    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     for message in ("说明 / a note", "说明 / a note", "其他 / another"):
    ...         warnings.warn(message, HbkitWarning)
    ...     warnings.warn("a library's own deprecation", DeprecationWarning)
    >>> distinct_notes(caught)
    ['说明 / a note', '其他 / another']
    """
    return list(dict.fromkeys(str(w.message) for w in caught
                              if issubclass(w.category, HbkitWarning)))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    from hbkit.cli.notes import warnings_as_notes

    with warnings_as_notes():  # one way of saying what the libraries warn of (hbkit.cli.notes)
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    """The subcommand's exit code; an error hbkit raises on purpose is printed, not a traceback."""
    try:
        return int(args.func(args))
    except FileError as exc:  # before CatalogueError: a catalogue file that cannot be read is both
        print(f"hbkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CatalogueError as exc:
        print(catalogue_problems_text(exc), file=sys.stderr)
        return EXIT_PROBLEMS
    except DataValidationError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_PROBLEMS
    except HbkitError as exc:
        print(f"hbkit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("hbkit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
