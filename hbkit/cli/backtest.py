"""``hbkit backtest DATA``: score hbkit's probabilities on history, beside the baselines.

DATA is an observations file (CSV/Excel, as for ``hbkit assess``) or the name of
a shipped example (``igme2021``, ``dtp3``, ``china``). Prints the comparison
table (hbkit and every baseline on the same cases) and, with ``--out DIR``,
writes ``cases.csv``, ``scores.csv``, ``compare.csv``, ``decomposition.csv`` (the Brier
score's parts), ``intervals.csv`` (95%
cluster-bootstrap intervals of the scores and the ECE of a perfect forecaster,
:meth:`hbkit.BacktestResult.score_intervals`), ``interval_check.csv`` (what the
printed intervals held beside the model's own probability of them,
:meth:`hbkit.BacktestResult.interval_check`), ``skipped.csv`` (every target or rule,
origin and area that gave no case, with the reason: :attr:`hbkit.BacktestResult.skipped`;
the counts by reason are printed) and ``reliability.png``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from hbkit.cli import distinct_notes
from hbkit.cli.arguments import data_help, seed_help, seed_option
from hbkit.cli.notes import hbkit_warnings, note_text
from hbkit.exceptions import DataValidationError, HbkitError
from hbkit.observations.cells import CellError, parse_year

EXIT_OK, EXIT_PROBLEMS = 0, 1

#: the last year a target may have (``Target.target_year``)
LAST_YEAR = 2100

#: columns ``--by`` may name (columns of the cases every method is scored on)
BY_COLUMNS: tuple[str, ...] = ("family", "indicator", "geo", "origin", "horizon", "target_year",
                               "rule", "target_id", "kind", "direction")

DESCRIPTION = """\
回测：在历史数据上检验 hbkit 达标概率的校准，并与基准方法在相同案例上比较。
DATA 为观测数据文件（CSV/Excel，同 hbkit assess）或随包示例名（igme2021、dtp3、china）。
用 --out 目录 写出 cases.csv、scores.csv、compare.csv、decomposition.csv（Brier 分数分解）、
intervals.csv（评分的 95% 区间）、interval_check.csv（区间覆盖检查）、skipped.csv（未成为案例的
目标/规则、起始年份和地区及原因；按原因的计数会打印出来）和 reliability.png。

backtest: score hbkit's probabilities on history beside the baselines, on the same cases.
DATA is an observations file (CSV/Excel, as for hbkit assess) or a shipped example
(igme2021, dtp3, china). With --out DIR, writes cases.csv, scores.csv, compare.csv,
decomposition.csv (the Brier score's parts), intervals.csv (95% intervals of the scores),
interval_check.csv (what the intervals held), skipped.csv (what gave no case, and
why; the counts by reason are printed) and reliability.png.
"""


def _year(text: str) -> int:
    """One year of ``--origins`` as the data reader reads a year cell (2008年, ２００８); a
    whole number outside the years it reads is kept, for the check against the data's years."""
    try:
        return parse_year(text.strip())
    except CellError as exc:
        if str(exc).startswith("outside"):
            return int(text.strip())
        raise


def _origins(text: str | None) -> list[int] | None:
    """``"2008-2015"`` -> 2008..2015; ``"2010,2012"`` -> [2010, 2012].

    >>> _origins("2008-2010"), _origins("2010,2012"), _origins(None)
    ([2008, 2009, 2010], [2010, 2012], None)
    >>> _origins("2008年-2010年"), _origins("2010，2012"), _origins("２０１０")
    ([2008, 2009, 2010], [2010, 2012], [2010])
    >>> _origins("1990-1980")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.HbkitError: --origins 的年份范围 1990-1980 首尾颠倒，应写作 1980-1990 / --origins range 1990-1980 is reversed (first year after the last); write 1980-1990
    """
    if not text:
        return None
    out: list[int] = []
    try:
        # years as the data reader reads them (2008年, ２００８); a Chinese comma or dash too
        for part in re.split(r"[,，、]", text.replace("—", "-").replace("－", "-")):
            if "-" in part.strip()[1:]:
                start, end = (_year(v) for v in part.split("-", 1))
                if start > end:
                    raise HbkitError(
                        f"--origins 的年份范围 {start}-{end} 首尾颠倒，应写作 {end}-{start} / "
                        f"--origins range {start}-{end} is reversed (first year after the "
                        f"last); write {end}-{start}")
                out.extend(range(start, end + 1))
            else:
                out.append(_year(part))
    except (ValueError, CellError):
        raise HbkitError(f"--origins 须为年份，如 2008-2015 或 2010,2012；收到 {text!r} / "
                         f"--origins takes years like 2008-2015 or 2010,2012; received {text!r}"
                         ) from None
    return out


def _horizons(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        raise HbkitError(f"--horizon 须为正整数年数，如 5 或 2,3,5；收到 {text!r} / "
                         f"--horizon takes positive years like 5 or 2,3,5; received {text!r}")
    return values


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``backtest`` subcommand."""
    parser = subparsers.add_parser(
        "backtest",
        help="回测：历史数据上检验达标概率的校准 / backtest probabilities on history",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", metavar="DATA",
                        help=data_help("观测数据文件 (.csv, .xlsx) 或示例名（igme2021、dtp3、china）",
                                       "observations file (.csv, .xlsx) or an example's name "
                                       "(igme2021, dtp3, china)"))
    parser.add_argument("--origins", default=None, metavar="YEARS",
                        help="起始年份，如 2008-2015 或 2010,2012（默认：所有可能的年份）/ origin years, "
                        "e.g. 2008-2015 or 2010,2012 (default: every possible one)")
    parser.add_argument("--horizon", default="5", metavar="YEARS",
                        help="预测年数，如 5 或 2,3,5（默认：5）/ years ahead, e.g. 5 or 2,3,5 "
                        "(default: 5)")
    parser.add_argument("--window", type=int, default=8, metavar="YEARS",
                        help="模型可见的历史年数（默认：8）/ years of history the model sees "
                        "(default: 8)")
    parser.add_argument("--n-draws", type=int, default=1000, metavar="N",
                        help="每个序列的模拟路径数（默认：1000）/ simulated paths per series "
                        "(default: 1000)")
    parser.add_argument("--seed", type=seed_option("--seed"), default=0, help=seed_help())
    parser.add_argument("--by", default=None, metavar="COLUMN",
                        help="按该列分组比较 / break the table down by a column: "
                        + ", ".join(BY_COLUMNS))
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="输出目录，写入以下文件 / folder to write: cases.csv, scores.csv, "
                        "compare.csv, decomposition.csv, intervals.csv, interval_check.csv, "
                        "skipped.csv, reliability.png")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh",
                        help="打印的表格和图表的语言（默认：zh）/ language of the printed table and the "
                        "chart (default: zh)")
    parser.set_defaults(func=run)


def _load(data: str) -> Any:
    """The example named ``data`` or the observations read from the file ``data``."""
    from hbkit.cli.arguments import example_argument
    from hbkit.datasets import list_examples, load_example
    from hbkit.observations import read_observations

    example = example_argument(data)  # example:NAME, as for every subcommand
    if example is not None:
        return example
    if data in list_examples():  # a bare name too, for backtest
        return load_example(data)
    if not Path(data).exists():
        names = ", ".join(list_examples())
        raise HbkitError(f"DATA {data!r} 既不是文件也不是示例名（示例：{names}）/ "
                         f"DATA {data!r} is neither a file nor an example ({names})")
    return read_observations(data)


def _data_years(source: Any) -> tuple[int, int]:
    """First and last year with a value in the data."""
    import pandas as pd

    obs = source.observations if hasattr(source, "catalogue") else source
    frame = obs.frame if hasattr(obs, "frame") else obs
    years = frame.loc[pd.to_numeric(frame["value"], errors="coerce").notna(), "year"]
    if years.empty:
        raise HbkitError("数据中没有任何数值 / the data hold no value")
    return int(years.min()), int(years.max())


def _check(args: argparse.Namespace, origins: list[int] | None, horizons: list[int],
           years: tuple[int, int]) -> None:
    """Usage errors found before the (slow) backtest runs."""
    if args.window < 2:
        raise HbkitError(f"--window 至少为 2 年；收到 {args.window} / "
                         f"window must be at least 2 years; received {args.window}")
    if args.n_draws < 100:
        raise HbkitError(f"--n-draws 至少为 100；收到 {args.n_draws} / "
                         f"--n-draws must be at least 100; received {args.n_draws}")
    if args.by is not None and args.by not in BY_COLUMNS:
        raise HbkitError(f"--by 须为以下列之一：{', '.join(BY_COLUMNS)}；收到 {args.by!r} / "
                         f"--by takes one of {', '.join(BY_COLUMNS)}; received {args.by!r}")
    first, last = years
    if origins:
        late = [o for o in origins if o + max(horizons) > LAST_YEAR]
        if late:
            raise HbkitError(
                f"起始年份 {late[0]} 加预测年数 {max(horizons)} 得目标年份 {late[0] + max(horizons)}，"
                f"超过 {LAST_YEAR} 年 / origin {late[0]} plus horizon {max(horizons)} gives the "
                f"target year {late[0] + max(horizons)}, after {LAST_YEAR}")
        if not any(first <= o < last for o in origins):
            raise HbkitError(
                f"起始年份 {args.origins} 不在数据年份 {first}-{last} 之内（起始年份之后须有数据）/ "
                f"--origins {args.origins} lie outside the data's years {first}-{last} (a year "
                "of data must follow the origin)")
    if args.out:
        out = Path(args.out)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HbkitError(f"无法创建输出目录 {args.out}：{exc.strerror} / cannot create the "
                             f"--out folder {args.out}: {exc.strerror}") from None


#: reasons printed for the skipped combinations; the rest are counted (all in skipped.csv)
SKIPPED_SHOWN = 5


def _print_skipped(reasons: Any, written: bool) -> None:
    """How many (target or rule, origin, area) gave no case, and why, most frequent first."""
    if reasons.empty:
        return
    total = int(reasons["n"].sum())
    where = "（全部见 skipped.csv）/ (all in skipped.csv)" if written else ""
    print(f"未成为案例 / not a case: {total}{where}")
    for row in reasons.head(SKIPPED_SHOWN).itertuples():
        print(f"  {row.n:>6}  {row.reason}")
    rest = reasons.iloc[SKIPPED_SHOWN:]
    if len(rest):
        print(f"  {int(rest['n'].sum()):>6}  另有 {len(rest)} 种原因 / {len(rest)} other reasons")


def compare_table(table: Any, lang: str = "zh") -> str:
    """The printed comparison: headings, methods (and the ``--by`` values) in ``lang``,
    numbers to 3 decimals, right-aligned, columns aligned in Chinese text too.

    The words are :func:`hbkit.backtesting.labels.labelled`'s; the CSV files keep the keys.

    >>> import pandas as pd
    >>> table = pd.DataFrame({"method": ["hbkit", "status_quo"], "n_scored": [4, 4],
    ...                       "brier": [0.0125, 0.5], "coverage_80": [0.75, None]})
    >>> print(compare_table(table))
    方法      评分数  Brier 分数  80%区间覆盖率
    --------  ------  ----------  -------------
    hbkit          4       0.013          0.750
    维持现状       4       0.500
    """
    import pandas as pd

    from hbkit.backtesting.labels import labelled
    from hbkit.report.plain import aligned_table

    shown = labelled(table, lang)
    numbers = [i for i, key in enumerate(table.columns)
               if pd.api.types.is_numeric_dtype(table[key])
               and not pd.api.types.is_bool_dtype(table[key])]
    for i in numbers:
        if pd.api.types.is_float_dtype(table.iloc[:, i]):
            shown.isetitem(i, [None if pd.isna(v) else f"{v:.3f}" for v in table.iloc[:, i]])
    return aligned_table(shown.to_numpy().tolist(), [str(c) for c in shown.columns], right=numbers)


def run(args: argparse.Namespace) -> int:
    """Run the backtest and print the comparison."""
    from hbkit.backtesting import backtest
    from hbkit.cli.validate import _print_table, problems_found

    origins, horizons = _origins(args.origins), _horizons(args.horizon)
    try:
        source = _load(args.data)
    except DataValidationError as exc:
        print(problems_found(len(exc.problems), args.data))
        _print_table(exc.problems)
        return EXIT_PROBLEMS
    years = _data_years(source)
    _check(args, origins, horizons, years)
    # the library's "no backtest case" names the data years, origins, window and horizon
    with hbkit_warnings() as caught:  # printed as notes, not tracebacks
        result = backtest(source, origins=origins,
                          horizon=horizons[0] if len(horizons) == 1 else horizons,
                          window=args.window, n_draws=args.n_draws, seed=args.seed)
    table = result.compare(by=args.by)
    # every method is scored on the same cases: hbkit's rows count them (all groups together)
    n_cases = int(table.loc[table["method"] == "hbkit", "n_scored"].sum())
    print(f"回测：hbkit 与各基准方法在相同 {n_cases} 个案例上的比较 / "
          f"backtest: hbkit and every baseline on the same {n_cases} cases")
    print(compare_table(table, args.lang))
    _print_skipped(result.skipped_reasons(), bool(args.out))
    # hbkit's notes on stderr, as every subcommand's (`hbkit backtest ... > table.txt` keeps
    # the table only); another library's was said as it happened (hbkit.cli.notes)
    for note in distinct_notes(caught):
        print(note_text(note, None), file=sys.stderr)
    if args.out:
        out = Path(args.out)
        try:
            result.cases.to_csv(out / "cases.csv", index=False, encoding="utf-8-sig")
            result.scores(by=args.by).to_csv(out / "scores.csv", index=False, encoding="utf-8-sig")
            table.to_csv(out / "compare.csv", index=False, encoding="utf-8-sig")
            result.brier_decomposition(by=args.by).to_csv(out / "decomposition.csv", index=False,
                                                          encoding="utf-8-sig")
            result.score_intervals(by=args.by, seed=args.seed).to_csv(
                out / "intervals.csv", index=False, encoding="utf-8-sig")
            result.interval_check(by=args.by).to_csv(out / "interval_check.csv", index=False,
                                                     encoding="utf-8-sig")
            result.skipped.to_csv(out / "skipped.csv", index=False, encoding="utf-8-sig")
            figure = result.plot(lang=args.lang).get_figure(root=True)
            if figure is not None:
                figure.savefig(out / "reliability.png", dpi=150, bbox_inches="tight")
        except OSError as exc:
            raise HbkitError(f"无法写入 {out}：{exc.strerror} / cannot write to {out}: "
                             f"{exc.strerror}") from None
        print(f"已写入 / written: {out / 'cases.csv'}, scores.csv, compare.csv, decomposition.csv, "
              "intervals.csv, interval_check.csv, skipped.csv, reliability.png")
    return EXIT_OK
