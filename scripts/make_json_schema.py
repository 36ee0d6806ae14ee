"""Write ``hbkit/report/assessment.schema.json``: the JSON Schema of the JSON export.

Usage::

    .venv/bin/python scripts/make_json_schema.py           # rewrite the shipped schema
    .venv/bin/python scripts/make_json_schema.py --check   # exit 1 if it is out of date

The schema is built from the code's columns and vocabularies
(:func:`hbkit.report.json_schema.build_schema`); run this after adding a column
or a code (the tests fail until the shipped file matches). A new, renamed or removed
field also raises ``SCHEMA_VERSION`` in ``hbkit/report/json_export.py`` first: every row
of the schema is closed, so the previous version's schema refuses the new field.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hbkit.report.json_schema import SCHEMA_FILE, build_schema, write_schema

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "hbkit" / "report" / SCHEMA_FILE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="只检查是否最新 / only check that the file is up to date")
    args = parser.parse_args(argv)
    if args.check:
        current = json.loads(OUTPUT.read_text(encoding="utf-8")) if OUTPUT.is_file() else None
        if current != build_schema():
            print(f"{OUTPUT} 已过期，请运行 scripts/make_json_schema.py / is out of date: "
                  "run scripts/make_json_schema.py", file=sys.stderr)
            return 1
        return 0
    print(write_schema(OUTPUT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
