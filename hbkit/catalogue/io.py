"""Reading and writing catalogue files: YAML, CSV and Excel (.xlsx).

This module only moves records between files and plain Python dictionaries;
validation into :class:`~hbkit.catalogue.models.Target` records happens in
:mod:`hbkit.catalogue.catalogue`. Each reader returns a :class:`RawCatalogue`:
the catalogue's metadata, the records with the row number a user sees (the
1-based target index in YAML, the line/row number in CSV and Excel, header =
row 1) and the problems found while reading (unknown columns, unreadable
cells), so that every problem of a file can be reported in one pass.

File layouts
------------
YAML
    ``{catalogue: {name_zh, name_en, default_geo, default_geo_en}, targets: [ {...}, ... ]}``
    or a bare list of targets. Fields at their defaults may be omitted.
CSV
    One header row of field names, one target per row. Written as UTF-8
    with a byte-order mark so that Excel shows Chinese correctly; read (as
    YAML is) as a data file is: UTF-8 with or without the mark, UTF-16 with
    one (Excel's "Unicode text"), GBK or GB18030; binary content is refused.
Excel
    Sheet ``targets`` (or, failing that, the first sheet): a header row of
    field names and one target per row. Sheet ``说明 columns`` explains every
    column in Chinese and English; sheet ``catalogue`` holds the metadata.

A file is read by its content, as a data file is
(:func:`hbkit.observations.files.file_content`): a workbook whatever its name; a
legacy ``.xls``, a web page or an Excel 2003 XML spreadsheet is refused with advice
to save it as ``.xlsx``; text is YAML when the name ends in ``.yaml``/``.yml``, CSV
otherwise. A name that says the other type is read with a note.

In CSV and Excel an empty cell (or one holding only spaces) means the
field's default. The target year has none in a file: a target that gives
none takes the year the file's other targets give, with a note, and is an
error when no target gives one
(:func:`hbkit.catalogue.catalogue.fill_target_years`); the writers always
write it. Headers may also be the Chinese column names of
:data:`COLUMN_ZH` (e.g. ``目标编号`` for ``id``).
"""

from __future__ import annotations

import csv
import io
import types
import typing
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hbkit._typing import DOMAIN_ZH, EACH_UNIT_ZH, EACH_UNITS, PLANS, TARGET_KINDS, Direction
from hbkit.catalogue.models import FALSE_WORDS, TRUE_WORDS, Target
from hbkit.catalogue.rules import rule_text
from hbkit.exceptions import (
    CatalogueError,
    CatalogueFileError,
    CatalogueWarning,
    FileError,
    HbkitError,
)
from hbkit.observations.files import (
    EXCEL_SUFFIXES,
    TEXT_SUFFIXES,
    csv_error_detail,
    file_content,
    misnamed,
    not_a_file,
    os_error_detail,
    workbook_error_detail,
    worksheet_error_detail,
)

#: Target fields in the order files list them
FIELDS: tuple[str, ...] = tuple(Target.model_fields)

#: keys allowed in the ``catalogue:`` block of a YAML file (and the Excel ``catalogue`` sheet)
META_KEYS: tuple[str, ...] = ("name_zh", "name_en", "default_geo", "default_geo_en")

#: suffix -> format name
FORMATS: dict[str, str] = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx"}

TARGETS_SHEET = "targets"
COLUMNS_SHEET = "说明 columns"
META_SHEET = "catalogue"

#: Chinese column name of every field (accepted as a header instead of the field name)
COLUMN_ZH: dict[str, str] = {
    "id": "目标编号",
    "plan": "规划",
    "domain": "领域",
    "domain_zh": "领域名称",
    "section": "条目",
    "text_zh": "规划原文",
    "name_zh": "中文名称",
    "name_en": "英文名称",
    "indicator": "指标编号",
    "kind": "目标类型",
    "threshold": "目标值",
    "unit": "单位",
    "direction": "期望方向",
    "strict": "严格不等",
    "target_year": "目标年份",
    "baseline_year": "基期年份",
    "every_year": "逐年达标",
    "each_unit": "分单位达标",
    "reference_indicator": "参照指标",
    "reference_name_zh": "参照指标中文名称",
    "reference_name_en": "参照指标英文名称",
    "bounded": "有上限100",
    "signed": "可为负数",
    "notes": "备注",
}

#: (说明, description) of every column, for the Excel explanation sheet
COLUMN_HELP: dict[str, tuple[str, str]] = {
    "id": ("目标的唯一编号，如 W-health-maternal-mortality（必填）",
           "Unique target id, e.g. W-health-maternal-mortality (required)"),
    "plan": ("所属规划：women（妇女）或 children（儿童）", "Plan: women or children"),
    "domain": ("领域：health, education, economy, decision, social_security, family, "
               "environment, law, safety, welfare",
               "Plan domain (one of the listed words)"),
    "domain_zh": ("领域中文名；留空时按 domain 自动填写", "Chinese domain name; filled from domain when empty"),
    "section": ("在规划中的位置，如 main goal 2、measure 7", "Where in the plan, e.g. main goal 2, measure 7"),
    "text_zh": ("规划原文中的完整条款（逐字摘录）", "The exact clause of the plan (verbatim)"),
    "name_zh": ("指标中文名称", "Short Chinese name"),
    "name_en": ("指标英文名称", "Short English name"),
    "indicator": ("据以评估的指标编号（小写英文，如 maternal_mortality_ratio）；定性目标可留空",
                  "Id of the series the target is judged on; empty for qualitative targets"),
    "kind": ("目标类型：upper_bound（不高于）、lower_bound（不低于）、level（达到）、maintain（保持）、"
             "relative_change（相对变化）、annual_change（年均变化）、direction（变化方向）、"
             "trend_slowdown（上升趋势减缓）、count_minimum（至少若干）、relational（与另一指标比较）、"
             "qualitative（定性）（必填）",
             "Kind of rule (required): upper_bound, lower_bound, level, maintain, relative_change, "
             "annual_change, direction, trend_slowdown, count_minimum, relational, qualitative"),
    "threshold": ("目标值（数字，不带单位）", "The number of the target, without its unit"),
    "unit": ("单位：percent（%）、percentage_points（个百分点，两个百分比之差，可为负）、per_1000（‰）、"
             "per_100k（/10万）、years（年）、count（个，事物计数）、persons（人、名，人数）、"
             "yuan（元，金额）等",
             "Unit: percent, percentage_points (a gap between two percentages, may be negative), "
             "per_1000, per_100k, years, count (things), persons (people), yuan (money), ..."),
    "direction": ("期望方向：increase（提高）、decrease（降低）、none；上下限目标可留空",
                  "Desired direction: increase, decrease or none; implied by bounds"),
    "strict": ("是否严格不等（低于、高于为 true；以下、以上为 false）",
               "Strict inequality (低于/高于 true; 以下/以上 false)"),
    "target_year": ("目标年份，如 2030；空白时取本文件其他各行最多的目标年份（并提示行号）；没有一行写明、"
                    "或两个年份一样多时报错",
                    "Target year, e.g. 2030; blank: the year most of the file's other rows give (with "
                    "a note naming the rows); an error when no row gives one or two years tie"),
    "baseline_year": ("基期年份，如 2020；空白时为目标年份前5年（五年规划）；相对变化、变化方向、"
                      "上升趋势减缓类目标与基期比较，须填写",
                      "Baseline year, e.g. 2020; blank: five years before the target year; "
                      "required for relative change, direction and trend slowdown targets"),
    "every_year": ("是否每年都须达标（true/false）；上下限、达到类填 true 即按“保持”判定",
                   "Must hold in every year of the plan (true/false); a bound or level with "
                   "true is read as maintain"),
    "each_unit": ("须在每个下级单位达标时填写：street（街道，可写 以街为单位、各街道）、community（社区）、"
                  "community_health_centre（社区卫生服务中心）、department（部门）、"
                  "leadership_team（领导班子）、school（学校）",
                  "Sub-unit in which the rule must hold: street (街道, 以街为单位), community, "
                  "community_health_centre, department, leadership_team, school"),
    "reference_indicator": ("比较型目标所比较的指标编号", "For relational targets: the indicator compared with"),
    "reference_name_zh": ("参照指标的中文名称，用于判定规则的文字；留空时取以该指标评估的目标名称",
                          "Chinese name of the reference indicator, for the rule's text; empty: "
                          "the name of the target judged on it"),
    "reference_name_en": ("参照指标的英文名称", "English name of the reference indicator"),
    "bounded": ("数值是否以100为上限（覆盖率为 true，毛入学率为 false）；留空按单位判断",
                "Whether the value is capped at 100 (coverage true, gross ratios false)"),
    "signed": ("数值是否可为负数（true/false）：如男女收入差距（百分比，女性收入高于男性时为负）填 true，"
               "按原值建模、不以0为下限，不能同时以100为上限；留空按单位判断（个百分点为 true，"
               "其他为 false）",
               "Whether the value may be negative (true/false): e.g. a gender income gap in percent, "
               "negative when women earn more; modelled as it is, with no floor at 0, and never "
               "bounded. Empty: from the unit (true for percentage_points, else false)"),
    "notes": ("备注，如对含义不明确措辞的理解", "Notes, e.g. the reading of ambiguous wording"),
}

_DOMAIN_BY_ZH: dict[str, str] = {zh: word for word, zh in DOMAIN_ZH.items()}
#: the words of the choice fields read by :func:`accepted_word` besides domain and unit
_WORD_FIELDS: dict[str, tuple[str, ...]] = {"kind": TARGET_KINDS, "direction": typing.get_args(Direction),
                                            "plan": PLANS}
#: Chinese words of the column notes (COLUMN_HELP) not in hbkit.report.wording
_EXTRA_WORDS: dict[str, dict[str, str]] = {"direction": {"降低": "decrease", "减少": "decrease",
                                                         # a gap that should narrow (差距缩小)
                                                         "缩小": "decrease",
                                                         # the plans' own verbs (托位数量逐步增加)
                                                         "增加": "increase", "上升": "increase",
                                                         "提升": "increase"},
                                           # the column notes of earlier exports said 方向
                                           "kind": {"方向": "direction"},
                                           "plan": {"妇女": "women", "儿童": "children"}}
_HEADER_ALIASES: dict[str, str] = {
    **{name: name for name in FIELDS},
    **{zh: name for name, zh in COLUMN_ZH.items()},
}


@dataclass(frozen=True)
class RawCatalogue:
    """What a reader found in a file, before validation.

    Attributes
    ----------
    file
        The path as given (``None`` for a table in memory).
    meta
        Catalogue metadata (``name_zh``, ``name_en``, ``default_geo``, ``default_geo_en``) found.
    rows
        ``(row, record, extra)`` per target: the row number a user sees, the
        field values (empty cells left out) and extra provenance (e.g. the
        YAML ``line``).
    problems
        Problems found while reading (unknown columns and keys).
    headers
        The header each field had in a table, as the user wrote it (``{"domain": "领域"}``);
        problems name the column by it. Empty for YAML, whose keys are the field names.
    """

    file: str | None
    meta: dict[str, Any] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def file_format(path: str | Path) -> str:
    """Return ``"yaml"``, ``"csv"`` or ``"xlsx"`` from a file name: the format a catalogue
    is written in (:func:`write_file`). Reading decides by the file's content
    (:func:`read_raw`).

    Examples
    --------
    >>> file_format("targets.YML"), file_format("t.csv"), file_format("t.xlsx")
    ('yaml', 'csv', 'xlsx')
    >>> file_format("t.xls")
    Traceback (most recent call last):
    ...
    hbkit.exceptions.FileError: 目标目录文件格式不支持 / unsupported catalogue file 't.xls': use .yaml, .yml, .csv or .xlsx
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise FileError(
            f"目标目录文件格式不支持 / unsupported catalogue file {str(path)!r}: "
            "use .yaml, .yml, .csv or .xlsx", "file-format", str(path))
    return FORMATS[suffix]


def _field_type(name: str) -> type[Any]:
    annotation = Target.model_fields[name].annotation
    options: set[Any] = (set(typing.get_args(annotation)) if isinstance(annotation, types.UnionType)
                         else {annotation})
    options.discard(type(None))
    kinds: tuple[type[Any], ...] = (bool, int, float)
    return next((kind for kind in kinds if kind in options), str)


_FIELD_TYPES: dict[str, type] = {name: _field_type(name) for name in FIELDS}


def is_empty(value: Any) -> bool:
    """``True`` for ``None``, NaN / ``pd.NA`` and strings holding only spaces (a cell left empty).

    >>> is_empty(None), is_empty("  "), is_empty(float("nan")), is_empty(0), is_empty("x")
    (True, True, True, False, False)
    """
    if value is None or (isinstance(value, float) and value != value):
        return True
    if isinstance(value, str):
        return not value.strip()
    return type(value).__name__ == "NAType"


def _domain_word(text: str) -> str | None:
    """``health`` from ``health`` or its Chinese name ``健康`` (:data:`~hbkit._typing.DOMAIN_ZH`)."""
    return text if text in DOMAIN_ZH else _DOMAIN_BY_ZH.get(text)


def _word_from_names(name: str, text: str) -> str | None:
    """The field's word for one of its Chinese names (kind 不高于, direction 下降, plan 儿童)."""
    from hbkit.catalogue.rules import chinese_names

    by_zh = {zh: word for word, zh in chinese_names(name).items()}
    by_zh.update(_EXTRA_WORDS.get(name, {}))
    return by_zh.get(text)


#: what may come before and after a sub-unit's name: 以街为单位, 各街道, 每所学校, 分街道
_EACH_UNIT_LEADS = ("每一个", "每个", "每所", "各个", "以", "各", "每", "分", "按")
_EACH_UNIT_TAILS = ("为单位", "为单元")
#: short names of the sub-units besides :data:`~hbkit._typing.EACH_UNIT_ZH` (以街为单位)
_EACH_UNIT_SHORT = {"街": "street", "街道办事处": "street", "社区卫生服务站": "community_health_centre",
                    "班子": "leadership_team", "单位": "department"}


def each_unit_word(text: str) -> str | None:
    """The sub-unit word (:data:`~hbkit._typing.EachUnit`) of a Chinese or English spelling.

    The English word, the Chinese name (街道, 社区, 部门, 领导班子, 社区卫生服务中心,
    学校) or a short name (街), alone or in the plan's phrase (以街为单位, 各街道,
    每所学校, 分街道); ``None`` for anything else.

    Examples
    --------
    >>> [each_unit_word(w) for w in ("street", "街道", "以街为单位", "各街道", "街", "每所学校")]
    ['street', 'street', 'street', 'street', 'street', 'school']
    >>> each_unit_word("区"), each_unit_word("Street")
    (None, 'street')
    """
    word = unicodedata.normalize("NFKC", text).strip()
    if word.lower() in EACH_UNITS:
        return word.lower()
    by_zh = {zh: unit for unit, zh in EACH_UNIT_ZH.items()} | _EACH_UNIT_SHORT
    for tail in _EACH_UNIT_TAILS:
        word = word.removesuffix(tail)
    if word in by_zh:
        return by_zh[word]
    for lead in _EACH_UNIT_LEADS:
        if word.startswith(lead) and word[len(lead):] in by_zh:
            return by_zh[word[len(lead):]]
    return None


def accepted_word(name: str, value: Any) -> Any:
    """A choice field's word for a spelling hbkit already knows; other values unchanged.

    ``domain`` takes its Chinese names (健康); ``unit`` every spelling the
    observations reader knows (``%``, ``‰``, ``/10万``, ``年``; see
    :func:`hbkit.observations.units.canonical_unit`); ``kind``, ``direction``
    and ``plan`` the Chinese words of the catalogue's column notes
    (不高于, 下降 or 降低, 儿童; for ``direction`` also the plans' verbs 增加, 上升,
    提升, 减少, 缩小); ``each_unit`` the sub-units in Chinese
    (街道, 以街为单位: :func:`each_unit_word`).

    Examples
    --------
    >>> accepted_word("domain", "健康"), accepted_word("unit", "％"), accepted_word("unit", "1/10万")
    ('health', 'percent', 'per_100k')
    >>> accepted_word("kind", "不低于"), accepted_word("direction", "降低"), accepted_word("plan", "儿童")
    ('lower_bound', 'decrease', 'children')
    >>> accepted_word("each_unit", "以街为单位"), accepted_word("domain", "体育")
    ('street', '体育')
    """
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    if name == "domain":
        found = _domain_word(text)
    elif name == "unit":
        from hbkit.observations.units import canonical_unit

        found = canonical_unit(text) or None
    elif name == "each_unit":
        found = each_unit_word(text)
    elif name in _WORD_FIELDS:
        found = text if text in _WORD_FIELDS[name] else _word_from_names(name, text)
    else:
        found = None
    return value if found is None else found


def coerce_cell(name: str, value: Any) -> Any:
    """Convert one cell to the field's Python type where that is unambiguous.

    Values that cannot be converted are returned unchanged so that
    validation reports them with the rule they break. Besides the field's
    own words, the spellings the observations reader accepts are read where
    they mean one thing: full-width digits (``２０３０``), a year written
    ``2030年`` (:func:`hbkit.observations.cells.parse_year`), a thousands
    separator (``4,123``, :func:`hbkit.observations.cells.parse_number`; a
    number written with its unit, ``95%``, is refused), the Chinese domain
    names and the unit signs (:func:`accepted_word`).

    Examples
    --------
    >>> coerce_cell("target_year", "2025.0"), coerce_cell("strict", "是"), coerce_cell("id", 7)
    (2025, True, '7')
    >>> coerce_cell("threshold", "8.5"), coerce_cell("threshold", "8,5")
    (8.5, '8,5')
    >>> coerce_cell("target_year", "2030年"), coerce_cell("baseline_year", "２０２５"), coerce_cell("threshold", "９５")
    (2030, 2025, 95.0)
    >>> coerce_cell("domain", "健康"), coerce_cell("unit", "‰")
    ('health', 'per_1000')
    """
    kind = _FIELD_TYPES.get(name, str)
    if kind is str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return accepted_word(name, value)
    if kind is bool:
        word = unicodedata.normalize("NFKC", value).strip().lower() if isinstance(value, str) else None
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS
        if isinstance(value, int | float) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
        return value
    if isinstance(value, str):
        from hbkit.observations.cells import CellError, parse_number, parse_year

        if kind is int:
            try:
                return parse_year(value)
            except CellError:
                pass  # not a year in 1949-2100: validation says so
        try:
            parsed = parse_number(value)
        except CellError:
            return value
        if parsed.missing or parsed.unit:  # "—" or "95%": not a plain number
            return value
        number = parsed.value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        return value
    if kind is int:
        return int(number) if number.is_integer() else value
    return number


def _clean_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty cells and convert the others (unknown keys are kept as they are)."""
    return {key: coerce_cell(key, value) if key in _FIELD_TYPES else value
            for key, value in record.items() if not is_empty(value)}


def suggestion(name: str) -> str:
    """``"; 是否为 / did you mean 'plan'?"`` for a misspelt column, else ``""``.

    >>> suggestion("plna"), suggestion("colour")
    ("; 是否为 / did you mean 'plan'?", '')
    """
    import difflib

    close = difflib.get_close_matches(name, list(FIELDS), n=2, cutoff=0.6)
    return f"; 是否为 / did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def _unknown_key_problem(file: str | None, row: int | None, key: str, value: Any) -> dict[str, Any]:
    return {"file": file, "row": row, "column": key, "value": value,
            "rule": rule_text("unknown-column", repr(key)) + suggestion(key),
            "code": "unknown-column"}


def _file_problem(file: str | None, code: str, detail: str = "") -> CatalogueError:
    return CatalogueError([{"file": file, "row": None, "column": None, "value": None,
                            "rule": rule_text(code, detail), "code": code}])


def _unusable(file: str, code: str, why: str = "") -> CatalogueFileError:
    """A catalogue file that cannot be used at all, with the code a data file would get
    (:data:`hbkit.exceptions.FILE_ERROR_CODES`), worded as the observations reader's.

    >>> print(_unusable("t.csv", "file-empty"))
    目标目录文件为空 / catalogue file is empty: t.csv
    >>> _unusable("t.yaml", "file-format", "not valid YAML").code
    'file-format'
    """
    zh, en = (("目标目录文件为空", "catalogue file is empty") if code == "file-empty"
              else ("无法读取目标目录文件", "cannot read catalogue file"))
    return CatalogueFileError(f"{zh} / {en}: {file}" + (f" ({why})" if why else ""), code, file)


# ---------------------------------------------------------------- reading


def read_raw(path: str | Path) -> RawCatalogue:
    """Read a catalogue file into a :class:`RawCatalogue` (no validation yet).

    The file's type is decided by its content, as a data file's is
    (:func:`hbkit.observations.files.file_content`): an Excel workbook whatever its
    name, else text, read as YAML when the name ends in ``.yaml``/``.yml`` and as CSV
    otherwise. A file whose name says the other type (text named ``.xlsx``, a workbook
    named ``.csv``) is read with a :class:`~hbkit.exceptions.CatalogueWarning` saying so
    (:func:`hbkit.observations.files.misnamed`).

    Raises
    ------
    FileError
        The file does not exist or is a folder (``code`` ``file-missing``,
        ``file-unreadable``). Or the file is empty (``file-empty``), is a legacy
        ``.xls``, a web page or an Excel 2003 XML spreadsheet, cannot be decoded or
        parsed (``file-format``) or read (``file-unreadable``): a
        :class:`~hbkit.exceptions.CatalogueFileError`, also a ``CatalogueError``.
    CatalogueError
        The file is not a catalogue (one problem naming the file).

    Examples
    --------
    >>> import tempfile, pathlib, warnings
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "exported.xlsx"
    >>> _ = path.write_text("id,kind\\nx,qualitative\\n", encoding="utf-8")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     read_raw(path).rows
    [(2, {'id': 'x', 'kind': 'qualitative'}, {})]
    >>> str(caught[0].message).split(" / ")[0]
    '文件名为 .xlsx，但内容是文本（CSV），已按 CSV 读取'
    """
    path = Path(path)
    file = str(path)
    data = _file_bytes(path)
    content = file_content(data, file, CatalogueFileError)
    note = misnamed(file, workbook=content is None)
    if note is not None:  # stacklevel: read_raw, Catalogue.from_file, its caller
        warnings.warn(note, CatalogueWarning, stacklevel=3)
    if content is None:
        return _read_xlsx(data, file)
    text = content[0]
    if not text.strip():
        raise _unusable(file, "file-empty")
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(text, file)
    return _read_csv(text, file)


def _file_bytes(path: Path) -> bytes:
    """The bytes of a catalogue file; a :class:`~hbkit.exceptions.FileError` naming it when
    it is missing or a folder, a :class:`~hbkit.exceptions.CatalogueFileError` when the
    system cannot read it or it is empty."""
    file = str(path)
    if not path.exists():
        raise FileError(f"目标目录文件不存在 / catalogue file not found: {file!r}",
                        "file-missing", file)
    why = not_a_file(path)
    if why is not None:
        raise FileError(f"无法读取目标目录文件 / cannot read catalogue file: {path} ({why})",
                        "file-unreadable", file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unusable(file, "file-unreadable", os_error_detail(exc)) from None
    if not data:
        raise _unusable(file, "file-empty")
    return data


_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


def _load_yaml(text: str) -> tuple[Any, list[int]]:
    """Parse YAML once: the data, and the 1-based line of every item of its targets list."""
    loader = _YamlLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    if isinstance(node, yaml.MappingNode):
        node = next((v for k, v in node.value if getattr(k, "value", None) == "targets"), None)
    lines = [item.start_mark.line + 1 for item in node.value] if isinstance(node, yaml.SequenceNode) else []
    return data, lines


def _read_yaml(text: str, file: str) -> RawCatalogue:
    try:
        data, lines = _load_yaml(text)
    except yaml.YAMLError as exc:
        raise _unusable(file, "file-format", f"YAML 格式错误 / not valid YAML: {exc}") from None
    meta: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    if isinstance(data, dict) and "targets" in data:
        block = data.get("catalogue") or {}
        if not isinstance(block, dict):
            raise _file_problem(file, "catalogue-block-is-mapping", ", ".join(META_KEYS))
        for key, value in block.items():
            if key in META_KEYS:
                if value is not None:  # left empty: the default
                    meta[key] = str(value)
            else:
                problems.append({"file": file, "row": None, "column": f"catalogue.{key}", "value": value,
                                 "rule": rule_text("unknown-column", "catalogue 块只有 / the catalogue "
                                                   f"block takes {', '.join(META_KEYS)}"),
                                 "code": "unknown-column"})
        for key in data:
            if key not in ("catalogue", "targets"):
                problems.append({"file": file, "row": None, "column": key, "value": None,
                                 "rule": rule_text("unknown-column", "目录文件只有 / a catalogue file has "
                                                   "only 'catalogue', 'targets'"),
                                 "code": "unknown-column"})
        items = data["targets"] or []
    elif isinstance(data, list):
        items = data
    else:
        raise _file_problem(file, "is-catalogue",
                            "应为含 targets 的映射或目标列表 / expected a mapping with 'targets' or a "
                            "list of targets")
    if not isinstance(items, list):
        raise _file_problem(file, "is-catalogue", "targets 须为列表 / 'targets' must be a list")
    rows: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for index, item in enumerate(items, start=1):
        extra = {"line": lines[index - 1]} if len(lines) == len(items) else {}
        if not isinstance(item, dict):
            problems.append({"file": file, "row": index, "column": None, "value": item,
                             "rule": rule_text("target-is-mapping"),
                             "code": "target-is-mapping", **extra})
            continue
        for key in item:
            if key not in _FIELD_TYPES:
                problems.append({**_unknown_key_problem(file, index, str(key), item[key]), **extra})
        record = {k: v for k, v in item.items() if k in _FIELD_TYPES}
        rows.append((index, _clean_record(record), extra))
    return RawCatalogue(file, meta, rows, problems)


def _rows_from_table(file: str, table: Iterable[tuple[int, list[Any]]]) -> RawCatalogue:
    """Records from (row number, cells) of a header + rows table (CSV or Excel)."""
    iterator = iter(table)
    for row_number, cells in iterator:
        if any(not is_empty(c) for c in cells):
            return records_from_cells(file, cells, row_number, iterator)
    raise _unusable(file, "file-empty", "没有表头和目标 / no header row and no targets")


def records_from_cells(file: str | None, header: list[Any], header_row: int | None,
                       body: Iterable[tuple[int, list[Any]]]) -> RawCatalogue:
    """Records from a header (field names or Chinese column names) and numbered rows of cells.

    Unknown columns, a missing ``id`` or ``kind`` column and cells beyond
    the last named column become problems; blank rows are skipped.

    Examples
    --------
    >>> raw = records_from_cells("t.csv", ["目标编号", "kind", "colour"], 1,
    ...                          [(2, ["a", "qualitative", "red"]), (3, [None, "", None])])
    >>> raw.rows
    [(2, {'id': 'a', 'kind': 'qualitative'}, {})]
    >>> [(p["row"], p["column"], p["code"]) for p in raw.problems]
    [(1, 'colour', 'unknown-column')]
    """
    problems: list[dict[str, Any]] = []
    columns: list[str | None] = []
    headers: dict[str, str] = {}
    for cell in header:
        label = "" if cell is None else str(cell).strip()
        name = _HEADER_ALIASES.get(label) or _HEADER_ALIASES.get(label.lower())
        if name is None and label:
            problems.append(_unknown_key_problem(file, header_row, label, label))
        if name is not None:
            headers.setdefault(name, label)
        columns.append(name)
    missing = [name for name in ("id", "kind") if name not in columns]
    if missing:
        if not any(columns):
            raise _file_problem(file, "is-catalogue", _no_header_why(file))
        for name in missing:
            problems.append({"file": file, "row": header_row, "column": name, "value": None,
                             "rule": rule_text("required-column", f"{COLUMN_ZH[name]} ({name})"),
                             "code": "required-column"})
    rows: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for row_number, cells in body:
        if all(is_empty(c) for c in cells):
            continue
        record = {name: value for name, value in zip(columns, cells, strict=False) if name is not None}
        for extra_cell in cells[len(columns):]:
            if not is_empty(extra_cell):
                problems.append({"file": file, "row": row_number, "column": None, "value": extra_cell,
                                 "rule": rule_text("cell-under-header"),
                                 "code": "cell-under-header"})
        rows.append((row_number, _clean_record(record), {}))
    return RawCatalogue(file, {}, rows, problems, headers)


#: suffixes of the tables a catalogue may be (text is CSV unless named .yaml/.yml)
_TABLE_SUFFIXES = frozenset({"", *EXCEL_SUFFIXES, *TEXT_SUFFIXES}) - {".yaml", ".yml"}


def _no_header_why(file: str | None) -> str:
    """Why a table is no catalogue: its first row names no target field; for a file of another
    kind by its name (``.json``), which forms a catalogue may take.

    >>> print(_no_header_why("mine.json"))
    首行应为列名，如 目标编号、目标类型 或 id, kind；目标目录须为 .yaml、.csv 或 .xlsx 文件 / the first row names no target field; a catalogue is a .yaml, .csv or .xlsx file
    """
    zh, en = "首行应为列名，如 目标编号、目标类型 或 id, kind", "the first row names no target field"
    if file is not None and Path(file).suffix.lower() not in _TABLE_SUFFIXES:
        zh, en = (f"{zh}；目标目录须为 .yaml、.csv 或 .xlsx 文件",
                  f"{en}; a catalogue is a .yaml, .csv or .xlsx file")
    return f"{zh} / {en}"


def _read_csv(text: str, file: str) -> RawCatalogue:
    # a quoted cell may span lines: number each record by the line it starts on
    numbered = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for cells in reader:
            numbered.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _unusable(file, "file-format", csv_error_detail(exc)) from None
    return _rows_from_table(file, numbered)


def _read_xlsx(data: bytes, file: str) -> RawCatalogue:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile's, XML's, openpyxl's own, as for a data file
        raise _unusable(file, "file-format", workbook_error_detail(exc)) from None
    names = list(book.sheetnames)
    try:
        sheet = book[TARGETS_SHEET] if TARGETS_SHEET in book.sheetnames else book.worksheets[0]
        table = [(n, list(cells)) for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
        meta: dict[str, Any] = {}
        if META_SHEET in book.sheetnames:
            for key, value, *_ in book[META_SHEET].iter_rows(min_row=2, values_only=True):
                if key in META_KEYS and value is not None:
                    meta[str(key)] = str(value)
    except Exception as exc:  # corrupt sheet XML inside a valid archive, as for a data file
        raise _unusable(file, "file-format", worksheet_error_detail(exc)) from None
    finally:
        book.close()
    try:
        raw = _rows_from_table(file, table)
    except CatalogueError as exc:
        if TARGETS_SHEET in names:
            raise
        listed = ", ".join(names)
        where = (f"没有 {TARGETS_SHEET} 工作表，读取的是第一个工作表 {sheet.title!r}（工作簿中有："
                 f"{listed}）/ no {TARGETS_SHEET!r} sheet, so the first sheet {sheet.title!r} was "
                 f"read (sheets: {listed})")
        if isinstance(exc, FileError):
            raise _unusable(file, exc.code, f"没有表头和目标 / no header row and no targets；"
                                            f"{where}") from None
        raise _file_problem(
            file, str(exc.problems.iloc[0]["code"]), "首行应为列名，如 目标编号、目标类型 或 id, "
            f"kind / the first row names no target field；{where}") from None
    return RawCatalogue(file, meta, raw.rows, raw.problems, raw.headers)


# ---------------------------------------------------------------- writing


#: fields the model fills in by itself when they are left out
_AUTO_FILLED = ("direction", "domain_zh", "signed", "bounded", "every_year")


def record_of(target: Target, *, full: bool) -> dict[str, Any]:
    """A target as a plain dict; ``full=False`` leaves out fields at their defaults.

    ``direction``, ``domain_zh``, ``signed``, ``bounded`` and ``every_year`` are left out
    when the model would fill in the same value by itself. The target year is
    always kept: a file read back gives no blank target year the Python default.

    Examples
    --------
    >>> t = Target(id="x", indicator="cov", kind="lower_bound", threshold=95, unit="percent")
    >>> record_of(t, full=False)
    {'id': 'x', 'indicator': 'cov', 'kind': 'lower_bound', 'threshold': 95.0, 'unit': 'percent', 'target_year': 2025}
    """
    record = target.model_dump(mode="python")
    if full:
        return record
    out = {key: value for key, value in record.items()
           if key in ("id", "kind", "target_year") or key in _AUTO_FILLED
           or value != Target.model_fields[key].default}
    for key in _AUTO_FILLED:
        probe = {k: v for k, v in out.items() if k != key}
        try:
            filled = getattr(Target.model_validate(probe), key)
        except ValueError:
            continue
        if filled == record[key]:
            out = probe
    return out


def yaml_text(targets: Iterable[Target], meta: Mapping[str, Any] | None = None) -> str:
    """The YAML text of a catalogue (fields at their defaults left out).

    Examples
    --------
    >>> t = Target(id="x", indicator="imr", kind="upper_bound", threshold=5.0, unit="per_1000")
    >>> print(yaml_text([t], {"default_geo": "河北区"}), end="")
    catalogue:
      default_geo: 河北区
    targets:
    - id: x
      indicator: imr
      kind: upper_bound
      threshold: 5.0
      unit: per_1000
      target_year: 2025
    """
    document = {"catalogue": dict(meta or {}), "targets": [record_of(t, full=False) for t in targets]}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def csv_text(targets: Iterable[Target]) -> str:
    """The CSV text of a catalogue: a header of every field, one row per target.

    Examples
    --------
    >>> t = Target(id="x", indicator="imr", kind="upper_bound", threshold=5.0, unit="per_1000")
    >>> csv_text([t]).splitlines()[1]
    'x,,,,,,,,imr,upper_bound,5,per_1000,decrease,false,2025,,false,,,,,false,false,'
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for target in targets:
        record = record_of(target, full=True)
        writer.writerow([_csv_cell(record[name]) for name in FIELDS])
    return buffer.getvalue()


def write_file(path: str | Path, targets: Iterable[Target], meta: Mapping[str, Any] | None = None) -> Path:
    """Write a catalogue to ``path``; the format follows the suffix.

    CSV is written as UTF-8 with a byte-order mark (Excel then shows
    Chinese correctly) and holds the targets only, not the metadata.
    """
    fmt = file_format(path)
    path = Path(path)
    targets = list(targets)
    try:
        if fmt == "yaml":
            path.write_text(yaml_text(targets, meta), encoding="utf-8")
        elif fmt == "csv":
            path.write_bytes(csv_text(targets).encode("utf-8-sig"))
        else:
            _write_xlsx(path, targets, meta or {})
    except OSError as exc:
        raise HbkitError(f"无法写入文件 / cannot write {path}: {exc.strerror}") from None
    return path


def _write_xlsx(path: Path, targets: list[Target], meta: Mapping[str, Any]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = TARGETS_SHEET
    sheet.append(list(FIELDS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, target in enumerate(targets, start=2):
        record = record_of(target, full=True)
        for column, name in enumerate(FIELDS, start=1):
            value = record[name]
            if isinstance(value, float) and float(f"{value:.15g}") != value:
                value = repr(value)  # Excel keeps 15 digits; text keeps the exact number
            cell = sheet.cell(row=row_number, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even when the text starts with '='
    sheet.freeze_panes = "B2"
    widths = {"id": 34, "text_zh": 48, "name_zh": 24, "name_en": 36, "notes": 40, "indicator": 32}
    for column, name in enumerate(FIELDS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = widths.get(name, 14)

    help_sheet = book.create_sheet(COLUMNS_SHEET)
    help_sheet.append(["列名 column", "中文列名", "说明", "description", "必填 required"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for name in FIELDS:
        zh, en = COLUMN_HELP[name]
        required = "是 yes" if name in ("id", "kind") else ""
        help_sheet.append([name, COLUMN_ZH[name], zh, en, required])
    help_sheet.append([])
    help_sheet.append(["", "", "空单元格表示取默认值（目标年份除外，见上）；首行为列名，可用英文字段名或中文列名。",
                       "An empty cell means the field's default (not for the target year: see "
                       "above); the first row holds the column names (field names or the Chinese "
                       "names above).", ""])
    for letter, width in zip("ABCDE", (20, 14, 70, 70, 12), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    meta_sheet = book.create_sheet(META_SHEET)
    meta_sheet.append(["key", "value"])
    for key in META_KEYS:
        if meta.get(key):
            meta_sheet.append([key, str(meta[key])])
            meta_sheet.cell(row=meta_sheet.max_row, column=2).data_type = "s"
    book.save(path)
