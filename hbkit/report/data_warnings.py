"""The reports' 数据提醒 / Data warnings: rows of the data used as they are that look wrong.

:func:`hbkit.read_observations` lists them in ``Observations.warnings``
(``hbkit validate FILE`` prints the same table); the assessment keeps them
(:meth:`hbkit.Assessment.data_warnings_frame`). The HTML and Markdown reports
give a short section grouped by rule, the workbook a sheet 数据提醒 with one
row per warning, the JSON a list ``data_warnings``; nothing when there are
none. :func:`data_warnings_table` adds the targets each warning touches, as the
assessment found them (``Assessment.data_warning_rows``).
"""

from __future__ import annotations

import re
import shlex
from typing import Any

import pandas as pd

from hbkit.assessment.data_warnings import as_warning_table, touched_rows
from hbkit.observations.rules import RULES, rule_text
from hbkit.report.formatting import is_missing

#: columns of :func:`data_warnings_table`: those of the validate table first (file, row,
#: column, value as received, rule), then where the data go and the code
DATA_WARNING_COLUMNS: tuple[str, ...] = ("file", "row", "column", "value", "rule", "indicator",
                                         "geo", "year", "targets", "code")
#: name of the workbook's sheet (only when there are data warnings)
DATA_WARNINGS_SHEET = "数据提醒"
#: rows listed under one rule in the HTML and Markdown section; more are counted
LISTED = 10

_TITLE = {"zh": "数据提醒", "en": "Data warnings"}
_SHEET_SUFFIX = re.compile(r"^(?P<path>.+\.(?:xlsx|xlsm|xls)) \[[^\]]*\]$", re.IGNORECASE)


def data_warnings_of(assessment: Any) -> pd.DataFrame:
    """The assessment's data warnings (an empty table for an older result without them)."""
    getter = getattr(assessment, "data_warnings_frame", None)
    return as_warning_table(getter() if getter is not None else None)


def data_warnings_table(assessment: Any) -> pd.DataFrame:
    """One row per data warning with the targets it touches (``targets``: ids, ``, ``).

    Columns :data:`DATA_WARNING_COLUMNS` (and any other column of the table).
    """
    found = data_warnings_of(assessment)
    if found.empty:
        return pd.DataFrame(columns=list(DATA_WARNING_COLUMNS))
    frame = assessment.to_frame()
    pairs = getattr(assessment, "data_warning_rows", None)  # as the assessment found them
    if pairs is None:  # an assessment pickled before it kept them
        catalogue = getattr(assessment, "catalogue", None)
        pairs = touched_rows(frame, found, list(catalogue) if catalogue is not None else [],
                             assessment.as_of)
    areas = frame["geo"].astype(str).nunique()
    labels = [str(t) if areas <= 1 else f"{t} ({g})"
              for t, g in zip(frame["target_id"], frame["geo"], strict=True)]
    targets = {w: ", ".join(dict.fromkeys(labels[i] for i in group["row"]))
               for w, group in pairs.groupby("warning")}
    out = found.copy()
    out["targets"] = [targets.get(w, "") for w in range(len(out))]
    rest = [c for c in out.columns if c not in DATA_WARNING_COLUMNS]
    return out[[*DATA_WARNING_COLUMNS, *rest]]


def file_of(label: Any) -> str:
    """The file a warning's ``file`` names, without the worksheet (``a.xlsx [健康]``).

    >>> file_of("上报.xlsx [健康 health]"), file_of("a.csv"), file_of("x [1].csv")
    ('上报.xlsx', 'a.csv', 'x [1].csv')
    """
    text = str(label)
    match = _SHEET_SUFFIX.match(text)
    return match.group("path") if match else text


def _word(path: str) -> str:
    """A path as a shell word: quoted only where a shell would split it (not 上报.xlsx)."""
    return shlex.quote(path) if re.search(r"[\s'\"$&;|<>()*?`\\]", path) else path


def validate_command(files: list[str], option: str = "") -> str:
    """``hbkit validate FILE`` for the files read (quoted only where a shell would split),
    each followed by ``option`` (``--catalogue 目录.yaml``: :func:`catalogue_option`);
    ``""`` when the data were not read from a file (a DataFrame).

    >>> validate_command(["上报.xlsx [健康]", "上报.xlsx [教育]"])
    'hbkit validate 上报.xlsx'
    >>> validate_command(["a b.csv", "c.csv"], "--catalogue 目录.yaml")
    "hbkit validate 'a b.csv' --catalogue 目录.yaml; hbkit validate c.csv --catalogue 目录.yaml"
    >>> validate_command(["<DataFrame>"])
    ''
    """
    paths = [p for p in dict.fromkeys(file_of(f) for f in files) if not p.startswith("<")]
    return "; ".join(" ".join(["hbkit validate", _word(p), *([option] if option else [])])
                     for p in paths)


def catalogue_option(catalogue: Any) -> str | None:
    """What ``hbkit validate`` needs besides the data file to check them against the
    catalogue the assessment used: ``""`` for the shipped catalogue (validate's default;
    also any of its targets, with its area), ``--catalogue FILE`` for a catalogue read
    from a file (:attr:`hbkit.Catalogue.path`), ``None`` when the catalogue was built in
    Python (no file to name).

    >>> import hbkit
    >>> catalogue_option(hbkit.load_catalogue("children"))
    ''
    >>> own = hbkit.Catalogue([hbkit.Target(id="a", indicator="imr", kind="upper_bound",
    ...                                     threshold=5, unit="per_1000")])
    >>> catalogue_option(own) is None
    True
    >>> catalogue_option(hbkit.Catalogue(own, path="我的 目录.yaml"))
    "--catalogue '我的 目录.yaml'"
    """
    from hbkit.catalogue.catalogue import load_catalogue

    if catalogue is None:
        return ""
    shipped = [load_catalogue(plan) for plan in ("women", "children")]
    if (str(getattr(catalogue, "default_geo", "")) == shipped[0].default_geo
            and all(any(t in part for part in shipped) for t in catalogue)):
        return ""
    path = getattr(catalogue, "path", None)
    return f"--catalogue {_word(str(path))}" if path else None


def title(assessment: Any, lang: str = "zh") -> str:
    """``数据提醒（N）`` / ``Data warnings (N)``."""
    n = len(data_warnings_of(assessment))
    return f"{_TITLE['zh']}（{n}）" if lang == "zh" else f"{_TITLE['en']} ({n})"


def note(assessment: Any, lang: str = "zh") -> str:
    """One line saying there are data warnings (the HTML header's, the Markdown's); ``""``
    when there are none."""
    from hbkit.report.wording import text

    n = len(data_warnings_of(assessment))
    if not n:
        return ""
    return text("data_warnings_note_one", lang) if n == 1 else text("data_warnings_note", lang,
                                                                     n=n)


def call_notices(assessment: Any, lang: str = "zh") -> list[str]:
    """What the assessment call said besides its results (``Assessment.notices``: an
    ``as_of`` after the last year with data, rows in another unit not used, ...), in
    ``lang``, for the head of a report. Notices that point to the library's own
    attributes (``listed in .warnings`` / ``.excluded``: the data warnings have their
    own section) are left out.

    >>> from types import SimpleNamespace
    >>> a = SimpleNamespace(notices=({"category": "HbkitWarning", "message": "晚 / late"},
    ...     {"category": "DataWarning", "message": "合并 / merged (listed in .excluded)"}))
    >>> call_notices(a, "zh"), call_notices(a, "en")
    (['晚'], ['late'])
    """
    out = []
    for note_ in getattr(assessment, "notices", ()) or ():
        message = str(note_.get("message", ""))
        if "(listed in ." in message:
            continue
        zh, _, en = message.partition(" / ")
        out.append(zh if lang == "zh" or not en else en)
    return out


def intro(assessment: Any, lang: str = "zh") -> str:
    """The sentence opening the section: what the rows are, that they were used, how to check.

    The command names the catalogue the assessment used (:func:`catalogue_option`):
    nothing for the shipped one, ``--catalogue FILE`` for one read from a file; for one
    built in Python it says that the catalogue has no file and how to write one.

    >>> import hbkit, pandas as pd
    >>> class Result:
    ...     catalogue = hbkit.load_catalogue()
    ...     def data_warnings_frame(self):
    ...         return pd.DataFrame({"file": ["上报.xlsx [健康]"], "row": [11]})
    >>> print(intro(Result()))
    数据中有1行看起来有误（与其他行相比），评估照原样使用了这些行，所涉目标的结果可能因此有偏差（见各目标的说明）。请核对原始数据（hbkit validate 上报.xlsx 逐行列出），改正后重新评估。
    >>> print(intro(Result(), "en"))
    1 row of the data looks wrong beside the others. The assessment used it as it is, so the results of the targets it touches may be off (see each target's reason). Check the data (hbkit validate 上报.xlsx lists the rows), correct it and assess again.
    >>> Result.catalogue = hbkit.Catalogue([hbkit.Target(id="a", indicator="imr",
    ...     kind="upper_bound", threshold=5, unit="per_1000")])
    >>> print(intro(Result()))  # doctest: +ELLIPSIS
    数据中...请核对原始数据（hbkit validate 上报.xlsx --catalogue 目录文件 逐行列出；本次评估的目标目录是在 Python 中建立的，不知其文件路径，请先用 Catalogue.to_file("目录文件.yaml") 写成文件），改正后重新评估。
    >>> print(intro(Result(), "en"))  # doctest: +ELLIPSIS
    1 row ... (hbkit validate 上报.xlsx --catalogue FILE lists the rows; the catalogue of this assessment was built in Python, so no file of it is known: write one first with Catalogue.to_file("FILE.yaml")), correct it and assess again.
    """
    found = data_warnings_of(assessment)
    n = len(found)
    files = found["file"].astype(str).tolist()
    option = catalogue_option(getattr(assessment, "catalogue", None))
    if lang == "zh":
        command = validate_command(files, "--catalogue 目录文件" if option is None else option)
        unknown = ("；本次评估的目标目录是在 Python 中建立的，不知其文件路径，请先用 "
                   'Catalogue.to_file("目录文件.yaml") 写成文件') if option is None else ""
        how = (f"{command} 逐行列出{unknown}" if command else "Observations.warnings 逐行列出")
        return (f"数据中有{n}行看起来有误（与其他行相比），评估照原样使用了这些行，所涉目标的结果"
                f"可能因此有偏差（见各目标的说明）。请核对原始数据（{how}），改正后重新评估。")
    command = validate_command(files, "--catalogue FILE" if option is None else option)
    unknown = ("; the catalogue of this assessment was built in Python, so no file of it is "
               'known: write one first with Catalogue.to_file("FILE.yaml")') if option is None else ""
    how = (f"{command} lists the rows{unknown}" if command
           else "Observations.warnings lists the rows")
    rows, it = ("1 row of the data looks", "it") if n == 1 else (
        f"{n} rows of the data look", "them")
    return (f"{rows} wrong beside the others. The assessment used {it} as "
            f"{'it is' if n == 1 else 'they are'}, so the results of the targets "
            f"{'it touches' if n == 1 else 'they touch'} may be off (see each target's "
            f"reason). Check the data ({how}), correct {it} and assess again.")


def _detail(rule: Any, code: Any, lang: str = "zh") -> str:
    """The detail a rule's text ends with after the rule itself, in ``lang`` when it is
    given in both (``0.97%，是否应为 97？ / 0.97 percent; did you mean 97?``), or ``""``.

    >>> from hbkit.observations.rules import rule_text
    >>> rule = rule_text("geo-one-edit", "是否应为 '河北区'？ / did you mean '河北区'?")
    >>> _detail(rule, "geo-one-edit"), _detail(rule, "geo-one-edit", "en")
    ("是否应为 '河北区'？", "did you mean '河北区'?")
    >>> _detail(rule_text("geo-one-edit"), "geo-one-edit")
    ''
    """
    text = str(rule)
    own = rule_text(str(code)) if str(code) in RULES else None
    if own is not None and text.startswith(own):  # the rule's own text may hold ": " too
        detail = text[len(own):].removeprefix(": ")
    else:  # another table's text: what follows the first colon
        _, colon, detail = text.partition(": ")
        detail = detail if colon else ""
    zh, both, en = detail.partition(" / ")
    return (zh if lang == "zh" else en) if both else detail


def groups(assessment: Any, lang: str = "zh") -> list[tuple[str, list[str]]]:
    """The section's groups: (the rule in ``lang`` with its count, one line per row).

    At most :data:`LISTED` lines a rule; the rest are counted on a last line.
    """
    table = data_warnings_table(assessment)
    out: list[tuple[str, list[str]]] = []
    for code, rows in table.groupby("code", sort=False):
        _, zh, en = RULES.get(str(code), ("warning", str(code), str(code)))
        n = len(rows)
        heading = f"{zh}（{n}行）" if lang == "zh" else f"{en[:1].upper()}{en[1:]} ({n} " \
            f"{'row' if n == 1 else 'rows'})"
        lines = []
        for r in rows.head(LISTED).to_dict("records"):
            detail = _detail(r["rule"], code, lang)
            area = "" if is_missing(r["geo"]) else (
                f"（{r['geo']}）" if lang == "zh" else f" ({r['geo']})")
            if lang == "zh":
                line = f"{r['file']} 第{r['row']}行{area}，{r['column']}：{r['value']}"
                line += f"（{detail}）" if detail else ""
                line += f"；涉及目标：{r['targets']}" if r["targets"] else ""
            else:
                line = f"{r['file']} row {r['row']}{area}, {r['column']}: {r['value']}"
                line += f" ({detail})" if detail else ""
                line += f"; targets touched: {r['targets']}" if r["targets"] else ""
            lines.append(line)
        if n > LISTED:
            more = n - LISTED
            lines.append(f"另有{more}行（见 Excel 报告的“数据提醒”工作表）" if lang == "zh"
                         else f"{more} more rows (see the workbook's sheet 数据提醒)")
        out.append((heading, lines))
    return out


__all__ = ["DATA_WARNINGS_SHEET", "DATA_WARNING_COLUMNS", "LISTED", "catalogue_option",
           "data_warnings_of",
           "data_warnings_table", "file_of", "groups", "intro", "note", "title",
           "validate_command"]
