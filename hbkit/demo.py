"""``python -m hbkit.demo`` (what ``make demo`` runs): the 2023 monitoring of the example district.

Runs ``hbkit assess example:hebei_example --as-of 2023 --compare-with 2022 --out reports
--lang both`` on the
**simulated** example district shipped with hbkit (模拟数据: every
quantitative target of both plans, 2016-2023), prints the status table and
writes the monitoring reports to ``reports/``: the HTML report in Chinese and
in English (``--lang zh`` or ``en`` for one) and the bilingual Excel workbook, each
saying what changed since the 2022 monitoring (与上年相比).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

#: the shipped example the demo assesses, and its monitoring year
EXAMPLE, AS_OF = "hebei_example", 2023


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; return the exit code of ``hbkit assess``."""
    from hbkit.cli import main as cli_main

    parser = argparse.ArgumentParser(prog="python -m hbkit.demo", description=__doc__)
    parser.add_argument("--out", default="reports", help="folder for the reports (default: reports)")
    parser.add_argument("--lang", choices=("zh", "en", "both"), default="both",
                        help="HTML report language(s) (default: both)")
    args = parser.parse_args(argv)
    print(f"hbkit 演示：河北区（模拟数据）{AS_OF} 年度监测 / hbkit demo: the {AS_OF} monitoring "
          "of the example district (simulated data)\n", flush=True)
    code = cli_main(["assess", f"example:{EXAMPLE}", "--as-of", str(AS_OF),
                     "--compare-with", str(AS_OF - 1), "--out", args.out, "--lang", args.lang])
    if code == 0:
        print(f"\n用浏览器打开 HTML 报告 / open the HTML report in a browser: "
              f"{Path(args.out).resolve()}")
    return code


if __name__ == "__main__":
    sys.exit(main())
