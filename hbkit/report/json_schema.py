"""The JSON Schema (draft 2020-12) of the JSON export (:mod:`hbkit.report.json_export`).

A program that embeds hbkit (a city dashboard over the districts, a web front end)
can check what it receives, or generate its types, from a machine-readable
description instead of the prose of ``docs/user-guide.md``. The schema ships in
the package as ``hbkit/report/assessment.schema.json``; :func:`json_schema`
returns it as a dict.

The schema is built from the code's own vocabularies (:func:`build_schema`):
the columns of each table (:data:`hbkit.assessment.result.FRAME_COLUMNS`,
:data:`hbkit.warnings_rules.WARNING_COLUMNS`, ...), the status codes
(:data:`hbkit.status.STATUS_LABELS`), the warning codes
(:data:`hbkit.warnings_rules.WARNING_LABELS`), the kinds, plans, domains and units
of :mod:`hbkit._typing`, the data-warning codes of
:data:`hbkit.observations.rules.RULES`, ... The tests check that the shipped
file is exactly :func:`build_schema`, so a new column or code cannot reach the
JSON without reaching the schema; ``python scripts/make_json_schema.py`` (``make docs``)
rewrites the file after such a change. A new field also raises
:data:`~hbkit.report.json_export.SCHEMA_VERSION` (the ``$id`` and the ``schema_version``
constant follow it): the rows are closed, so the previous version's schema refuses it.

How strict it is:

* every object has ``additionalProperties: false`` (a renamed or new field is
  refused) except the rows of ``data_warnings``, which keep any further column of a
  hand-made ``Observations.warnings`` table after the ten listed;
* every field is ``required``; numbers are ``number | null``, years and counts
  ``integer | null`` (as :func:`hbkit.report.json_export.plain` writes them);
* closed vocabularies (statuses and their Chinese and English words, warning codes,
  kinds, plans, domains and their English names, units,
  the convention bands, change codes, data-warning codes, notice categories,
  the tables of ``infinite``) are enums; the targets' ``warnings`` field is a
  pattern of warning codes joined by ``;``;
* the interval columns of ``targets`` are named by the levels (``lo_80``,
  ``hi_97.5``): any ``lo_XX``/``hi_XX`` is a ``number | null``.

Examples
--------
>>> schema = json_schema()
>>> schema["$schema"], schema["properties"]["schema_version"]
('https://json-schema.org/draft/2020-12/schema', {'const': 4})
>>> schema == build_schema()
True
>>> sorted(schema["$defs"]["status"]["enum"])[:3]
['achieved', 'at_risk', 'insufficient_data']
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from hbkit import exceptions
from hbkit._typing import DOMAIN_EN, DOMAINS, PLANS, STATUSES, TARGET_KINDS, UNITS
from hbkit.assessment.compare import CHANGE_COLUMNS, CHANGE_LABELS
from hbkit.assessment.kinds import UNIT_FRAME_COLUMNS, UNIT_TEXT_COLUMNS
from hbkit.assessment.result import FRAME_COLUMNS
from hbkit.conventions import LABELS as CONVENTION_LABELS
from hbkit.observations.rules import RULES
from hbkit.report.data_warnings import DATA_WARNING_COLUMNS
from hbkit.report.json_export import SCHEMA_VERSION, _is_year
from hbkit.status import STATUS_LABELS, STATUS_VARIANTS
from hbkit.warnings_rules import LEVEL_LABELS, WARNING_COLUMNS, WARNING_LABELS

#: the file of the schema inside the package (``hbkit/report/``)
SCHEMA_FILE = "assessment.schema.json"
#: its ``$id``
SCHEMA_ID = f"urn:hbkit:schema:assessment:{SCHEMA_VERSION}"

#: the tables of the export (the lists of records), as ``infinite`` names them
TABLES: tuple[str, ...] = ("summary", "summary_by_geo", "targets", "warnings", "units",
                           "data_warnings", "changes")

_NUMBER = {"type": ["number", "null"]}
_INTEGER = {"type": ["integer", "null"]}
_TEXT = {"type": "string"}
_TEXT_OR_NULL = {"type": ["string", "null"]}
_PROBABILITY = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
#: the interval columns of ``targets``: ``lo_80``, ``hi_95``, ``lo_97.5``
LEVEL_COLUMN_PATTERN = r"^(lo|hi)_[0-9]+(\.[0-9]+)?$"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`hbkit.report.json_export.to_dict` (the shipped file).

    Returns
    -------
    dict
        The draft 2020-12 schema of the whole document (``schema_version`` 4),
        read from ``hbkit/report/assessment.schema.json``.

    Examples
    --------
    >>> import hbkit, jsonschema
    >>> example = hbkit.datasets.load_example("hebei_example")
    >>> cat = example.catalogue.filter(plan="women", domain="education")
    >>> obs = hbkit.read_observations(example.observations, cat, unknown="exclude")
    >>> data = hbkit.assess(obs, catalogue=cat, as_of=2023, n_draws=200).to_dict()
    >>> jsonschema.Draft202012Validator(json_schema()).is_valid(data)
    True
    >>> data["targets"][0]["status"] = "fine"
    >>> jsonschema.Draft202012Validator(json_schema()).is_valid(data)
    False
    """
    text = resources.files("hbkit.report").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def build_schema() -> dict[str, Any]:
    """The schema as the code defines it (what :func:`json_schema` ships, rebuilt).

    Examples
    --------
    >>> schema = build_schema()
    >>> schema["$defs"]["targets_row"]["properties"]["latest_year"]
    {'type': ['integer', 'null']}
    >>> schema["$defs"]["warning_code"]
    {'enum': ['hard_to_reach', 'fluctuation', 'moving_away', 'latest_missing']}
    """
    defs = {
        "status": {"enum": list(STATUSES)},
        "warning_code": {"enum": list(WARNING_LABELS)},
        "warning_codes": {"type": "string", "pattern": _codes_pattern(list(WARNING_LABELS))},
        "summary_row": _summary_row(geo=False),
        "summary_by_geo_row": _summary_row(geo=True),
        "targets_row": _targets_row(),
        "warnings_row": _closed_row({c: _warning_field(c) for c in WARNING_COLUMNS}),
        "units_row": _closed_row({c: _TEXT if c in UNIT_TEXT_COLUMNS
                                  else (_PROBABILITY if c == "probability" else _NUMBER)
                                  for c in UNIT_FRAME_COLUMNS}),
        "data_warnings_row": _data_warnings_row(),
        "changes_row": _closed_row({c: _change_field(c) for c in CHANGE_COLUMNS}),
        "notice": _closed_row({"category": {"enum": _notice_categories()}, "message": _TEXT}),
        "infinite_cell": _closed_row({
            "table": {"enum": list(TABLES)},
            "row": {"type": "integer", "minimum": 0},
            "field": _TEXT,
            "sign": {"enum": [1, -1]},
        }),
    }
    top = {
        "schema_version": {"const": SCHEMA_VERSION},
        "generated_by": _closed_row({"name": {"const": "hbkit"}, "version": _TEXT}),
        "as_of": _INTEGER,
        "final": {"type": "boolean"},
        "levels": {"type": "array",
                   "items": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100}},
        "simulated": {"type": "boolean"},
        "sources": {"type": "array", "items": _TEXT},
        "seed": _INTEGER,
        "n_draws": _INTEGER,
        "catalogue": _closed_row({name: _TEXT_OR_NULL for name in
                                  ("name_zh", "name_en", "default_geo", "default_geo_en")}),
        **{table: _list_of(f"{table}_row") for table in TABLES},
        "notices": _list_of("notice"),
        "infinite": _list_of("infinite_cell"),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "hbkit assessment (JSON export) / hbkit 评估结果 JSON",
        "description": (
            "hbkit.Assessment.to_dict() / to_json() / hbkit assess --json, schema_version "
            f"{SCHEMA_VERSION}. 字段说明见 docs/user-guide.md 第 8 节 / the fields are "
            "described in docs/user-guide.md, 'For developers: JSON export'."),
        "type": "object",
        "properties": top,
        "required": [name for name in top if name != "changes"],  # changes: with previous=
        "additionalProperties": False,
        "$defs": defs,
    }


def write_schema(path: str | Path | None = None) -> Path:
    """Write :func:`build_schema` as the package's schema file (or to ``path``).

    Run after adding a column or a code: ``python scripts/make_json_schema.py``.
    """
    target = Path(path) if path is not None else Path(__file__).with_name(SCHEMA_FILE)
    text = json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"
    target.write_text(text, encoding="utf-8", newline="\n")
    return target


def _closed_row(properties: dict[str, Any], *, closed: bool = True) -> dict[str, Any]:
    """An object with exactly these fields, all required (more allowed when not ``closed``)."""
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": not closed}


def _list_of(name: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}


def _codes_pattern(codes: list[str]) -> str:
    """Codes joined by ``;`` (or the empty string).

    >>> import re
    >>> pattern = _codes_pattern(["a", "b_c"])
    >>> [bool(re.match(pattern, s)) for s in ("", "a", "a;b_c", "a;", "d")]
    [True, True, True, False, False]
    """
    one = "(" + "|".join(codes) + ")"
    return f"^({one}(;{one})*)?$"


def _number_field(column: str) -> dict[str, Any]:
    """``integer | null`` for years and counts (as the export writes them), else ``number | null``."""
    if column == "probability" or column.startswith("probability_"):
        return _PROBABILITY if column != "probability_change" else _NUMBER
    return _INTEGER if _is_year(column) else _NUMBER


def _summary_row(*, geo: bool) -> dict[str, Any]:
    """A row of ``summary()``: plan, domain, a count per status, total."""
    counts = {"type": "integer", "minimum": 0}
    properties: dict[str, Any] = {"geo": _TEXT} if geo else {}
    properties.update({
        "plan": {"enum": [*PLANS, "total", None]},
        "domain": {"enum": [*DOMAINS, "subtotal", "", None]},
        **{status: counts for status in STATUSES},
        "total": counts,
    })
    return _closed_row(properties)


def _target_vocabularies() -> dict[str, dict[str, Any]]:
    """The fields of ``targets`` that are closed vocabularies."""
    worded = [*STATUS_LABELS.values(), *STATUS_VARIANTS.values()]
    status_zh, status_en = (dict.fromkeys(words) for words in zip(*worded, strict=True))
    return {
        "plan": {"enum": [*PLANS, None]},
        "domain": {"enum": [*DOMAINS, None]},
        "kind": {"enum": list(TARGET_KINDS)},
        "unit": {"enum": list(UNITS)},
        "direction": {"enum": ["increase", "decrease", "none", None]},
        "status": {"$ref": "#/$defs/status"},
        "status_zh": {"enum": list(status_zh)},
        "status_en": {"enum": list(status_en)},
        "domain_en": {"enum": [*(DOMAIN_EN[domain] for domain in DOMAINS), ""]},
        "warnings": {"$ref": "#/$defs/warning_codes"},
        **{column: {"enum": list(labels["en"])} for column, labels in CONVENTION_LABELS.items()},
    }


def _targets_row() -> dict[str, Any]:
    """A row of ``to_frame()``; the interval columns (``lo_XX``/``hi_XX``) by pattern."""
    vocabularies = _target_vocabularies()
    texts = {"target_id", "geo", "geo_en", "name_zh", "name_en", "text_zh", "domain_zh", "method", "scale",
             "data_warnings"}
    maybe_texts = {"indicator", "reason", "reason_zh", "reason_en"}
    properties: dict[str, Any] = {}
    for column in FRAME_COLUMNS:
        if _is_level_column(column):
            continue
        if column in vocabularies:
            properties[column] = vocabularies[column]
        elif column in texts:
            properties[column] = _TEXT
        elif column in maybe_texts:
            properties[column] = _TEXT_OR_NULL
        elif column == "strict":
            properties[column] = {"type": "boolean"}
        else:
            properties[column] = _number_field(column)
    row = _closed_row(properties)
    row["patternProperties"] = {LEVEL_COLUMN_PATTERN: _NUMBER}
    return row


def _is_level_column(column: str) -> bool:
    import re

    return re.match(LEVEL_COLUMN_PATTERN, column) is not None


def _warning_field(column: str) -> dict[str, Any]:
    """A column of ``warnings_frame()``."""
    if column == "code":
        return {"$ref": "#/$defs/warning_code"}
    if column == "level":
        return {"enum": list(LEVEL_LABELS)}
    if column in ("target_id", "geo", "geo_en", "text_zh", "text_en"):
        return _TEXT
    return _number_field(column)


def _data_warnings_row() -> dict[str, Any]:
    """A data warning (数据提醒): the ten listed columns, more kept from a hand-made table."""
    codes = [code for code, (consequence, _zh, _en) in RULES.items() if consequence == "warning"]
    fields: dict[str, Any] = {
        "file": _TEXT, "row": _INTEGER, "column": _TEXT_OR_NULL, "value": _TEXT_OR_NULL,
        "rule": _TEXT_OR_NULL, "indicator": _TEXT_OR_NULL, "geo": _TEXT_OR_NULL,
        "year": _INTEGER, "targets": _TEXT, "code": {"enum": codes},
    }
    missing = set(DATA_WARNING_COLUMNS) ^ set(fields)
    if missing:  # pragma: no cover - a column added to the table without its type here
        raise RuntimeError(f"data warnings: no schema type for {sorted(missing)}")
    return _closed_row({c: fields[c] for c in DATA_WARNING_COLUMNS}, closed=False)


def _change_field(column: str) -> dict[str, Any]:
    """A column of ``changes_since()`` (codes)."""
    if column == "change":
        return {"enum": list(CHANGE_LABELS)}
    if column in ("status_before", "status_now"):
        return {"enum": [*STATUSES, None]}
    if column == "plan":
        return {"enum": [*PLANS, None]}
    if column == "domain":
        return {"enum": [*DOMAINS, None]}
    if column.startswith("warnings_"):
        return {"$ref": "#/$defs/warning_codes"}
    if column in ("target_id", "geo"):
        return _TEXT
    if column in ("name_zh", "name_en") or column.startswith("data_warnings_"):
        return _TEXT_OR_NULL
    if column.startswith("as_of_"):
        return _INTEGER
    return _number_field(column)


def _notice_categories() -> list[str]:
    """The names of hbkit's warning classes (a notice's ``category``)."""
    return sorted(name for name, value in vars(exceptions).items()
                  if isinstance(value, type) and issubclass(value, Warning)
                  and value.__module__ == exceptions.__name__)


__all__ = ["SCHEMA_FILE", "TABLES", "build_schema", "json_schema", "write_schema"]
