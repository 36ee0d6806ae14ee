"""``hbkit backtest DATA``: score hbkit's probabilities on history, beside the baselines.

DATA is an observations file (CSV/Excel, as for ``hbkit assess``) or the name of
a shipped example (``igme2021``, ``dtp3``, ``china``). Prints the comparison
table (hbkit and every baseline on the same cases) and, with ``--out DIR``,
writes ``cases.csv``, ``scores.csv``, ``compare.csv``, ``decomposition.csv`` (the Brier
score's parts), ``intervals.csv`` (95%
cluster-bootstrap intervals of the scores and the ECE of a perfect forecaster,
:meth:`hbkit.BacktestResult.score_intervals`), ``interval_check.csv`` (what the
printed intervals held beside the model's own probability of them,
:meth:`hbkit.BacktestResult.interval_check`) and ``reliability.png``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hbkit.exceptions import HbkitError

EXIT_OK = 0


def _origins(text: str | None) -> list[int] | None:
    """``"2008-2015"`` -> 2008..2015; ``"2010,2012"`` -> [2010, 2012]."""
    if not text:
        return None
    out: list[int] = []
    try:
        for part in text.split(","):
            if "-" in part.strip()[1:]:
                start, end = part.split("-", 1)
                out.extend(range(int(start), int(end) + 1))
            else:
                out.append(int(part))
    except ValueError:
        raise HbkitError(f"--origins takes years like 2008-2015 or 2010,2012; received {text!r}") from None
    return out


def _horizons(text: str) -> int | list[int]:
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise HbkitError(f"--horizon takes years like 5 or 2,3,5; received {text!r}") from None
    return values[0] if len(values) == 1 else values


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``backtest`` subcommand."""
    parser = subparsers.add_parser(
        "backtest",
        help="回测：历史数据上检验达标概率的校准 / backtest probabilities on history",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", metavar="DATA",
                        help="observations file, or example name (igme2021, dtp3, china; "
                        "example:igme2021 also works)")
    parser.add_argument("--origins", default=None,
                        help="origin years, e.g. 2008-2015 or 2010,2012 (default: all possible)")
    parser.add_argument("--horizon", default="5", help="years ahead, e.g. 5 or 2,3,5 (default 5)")
    parser.add_argument("--window", type=int, default=8, help="years of history seen (default 8)")
    parser.add_argument("--n-draws", type=int, default=1000, help="simulated paths per series (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--by", default=None, help="break the table down by a column, e.g. indicator")
    parser.add_argument("--out", default=None, help="folder for cases.csv, scores.csv, compare.csv, "
                        "decomposition.csv, intervals.csv, interval_check.csv, reliability.png")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="chart language")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the backtest and print the comparison."""
    import pandas as pd

    from hbkit.backtesting import backtest
    from hbkit.datasets import list_examples, load_example

    source: object
    name = args.data.removeprefix("example:")  # the spelling `hbkit assess` uses too
    if name in list_examples():
        source = load_example(name)
    else:
        path = Path(args.data)
        if not path.exists():
            raise HbkitError(f"DATA {args.data!r} is neither a file nor an example "
                             f"({', '.join(list_examples())})")
        source = path
    result = backtest(source, origins=_origins(args.origins), horizon=_horizons(args.horizon),
                      window=args.window, n_draws=args.n_draws, seed=args.seed)
    table = result.compare(by=args.by)
    # every method is scored on the same cases: hbkit's rows count them (all groups together)
    n_cases = int(table.loc[table["method"] == "hbkit", "n_scored"].sum())
    print(f"回测：hbkit 与各基准方法在相同 {n_cases} 个案例上的比较 / "
          f"backtest: hbkit and every baseline on the same {n_cases} cases")
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(table.round(3).to_string(index=False))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        result.cases.to_csv(out / "cases.csv", index=False, encoding="utf-8-sig")
        result.scores(by=args.by).to_csv(out / "scores.csv", index=False, encoding="utf-8-sig")
        table.to_csv(out / "compare.csv", index=False, encoding="utf-8-sig")
        result.brier_decomposition(by=args.by).to_csv(out / "decomposition.csv", index=False,
                                                      encoding="utf-8-sig")
        result.score_intervals(by=args.by, seed=args.seed).to_csv(
            out / "intervals.csv", index=False, encoding="utf-8-sig")
        result.interval_check(by=args.by).to_csv(out / "interval_check.csv", index=False,
                                                 encoding="utf-8-sig")
        figure = result.plot(lang=args.lang).get_figure(root=True)
        if figure is not None:
            figure.savefig(out / "reliability.png", dpi=150, bbox_inches="tight")
        print(f"written: {out / 'cases.csv'}, scores.csv, compare.csv, decomposition.csv, "
              "intervals.csv, interval_check.csv, reliability.png")
    return EXIT_OK
