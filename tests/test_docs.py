"""The docs stay true to the code.

* Every fenced ````` ```python ````` block of ``README.md``, ``docs/index.md``,
  ``docs/user-guide.md`` and ``docs/datasets.md`` runs, in order, in one namespace per page (as a reader
  pasting them into one notebook would), in a fresh temporary folder, with
  network connections refused; a ```text block right after a ```python block
  is its output, and the block must print it (a page may show part of it).
* Every ``hbkit ...`` command in a ```bash block of ``README.md`` and
  ``docs/**/*.md`` is accepted by the ``hbkit`` argument parser (subcommands
  and options exist; a doc cannot show an option that was renamed).
* Every relative link of ``README.md`` and ``docs/**/*.md`` points to a file
  that exists, and the two index pages link every page they are the map of.
* Numbers the pages quote in prose from the example data or a measurement cheap
  enough to repeat (a probability, an interval, a false-alarm rate) are what the code
  gives now.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import shlex
import socket
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: the pages whose Python examples are run
RUNNABLE = ("docs/index.md", "docs/user-guide.md", "README.md", "docs/datasets.md")

#: files a page's examples say they write
WRITES = {
    "README.md": ("report-2023.html", "report-2023.xlsx"),
    "docs/index.md": ("monitoring-2023.html", "monitoring-2023.xlsx"),
    "docs/user-guide.md": ("河北区数据上报模板.xlsx", "河北区监测数据2016-2023.csv",
                      "健康领域监测-2023.html", "健康领域监测-2023.xlsx", "健康领域监测-2023.json",
                      "儿童规划2026-2030目标.xlsx", "和平区上报模板2019-2030.xlsx",
                      "和平区2027年度监测报告.html"),
    "docs/datasets.md": (),
}

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def python_blocks(text: str) -> list[tuple[int, str]]:
    """``(line, code)`` of every ```python block of a Markdown text, in order.

    Examples
    --------
    >>> python_blocks("intro\\n```python\\nx = 1\\n```\\n```bash\\nls\\n```\\n")
    [(3, 'x = 1\\n')]
    """
    found = []
    for match in _FENCE.finditer(text):
        if match.group(1) == "python":
            line = text.count("\n", 0, match.start(2)) + 1
            found.append((line, match.group(2)))
    return found


def shown_outputs(text: str) -> dict[int, str]:
    """The output a page shows for its ```python blocks: ``{line of the python block: text}``.

    A ```text block that follows a ```python block with nothing but blank lines
    between them is what that block prints.

    Examples
    --------
    >>> shown_outputs("```python\\nprint(1)\\n```\\n\\n```text\\n1\\n```\\n")
    {2: '1\\n'}
    >>> shown_outputs("```python\\nx = 1\\n```\\nprose\\n```text\\n1\\n```\\n")
    {}
    """
    matches = list(_FENCE.finditer(text))
    found = {}
    for before, after in itertools.pairwise(matches):
        between = text[before.end():after.start()]
        if before.group(1) == "python" and after.group(1) == "text" and not between.strip():
            found[text.count("\n", 0, before.start(2)) + 1] = after.group(2)
    return found


def missing_output_lines(shown: str, printed: str) -> list[str]:
    """Lines of ``shown`` that ``printed`` does not print, in order (runs of spaces, which
    align table columns, and blank lines ignored; a page may show only part of what a
    block prints).

    Examples
    --------
    >>> missing_output_lines("a\\nc  d\\n", "a\\nb\\n  c d  \\n")
    []
    >>> missing_output_lines("a\\nd\\n", "a\\nb\\n")
    ['d']
    """
    lines = [" ".join(line.split()) for line in printed.splitlines() if line.strip()]
    position, missing = 0, []
    for want in (" ".join(line.split()) for line in shown.splitlines() if line.strip()):
        try:
            position = lines.index(want, position) + 1
        except ValueError:
            missing.append(want)
    return missing


def relative_links(text: str) -> list[str]:
    """Targets of the relative links of a Markdown text (outside code), anchors removed.

    Examples
    --------
    >>> relative_links("[a](b.md#x) [c](https://e.org) [d](#top) `[e](f.md)` ![g](img/h.png)")
    ['b.md', 'img/h.png']
    """
    prose = _INLINE_CODE.sub("", _FENCE.sub("", text))
    targets = []
    for match in _LINK.finditer(prose):
        target = match.group(1)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("#"):
            continue
        target = target.split("#", 1)[0].split("?", 1)[0]
        if target:
            targets.append(target)
    return targets


def hbkit_commands(text: str) -> list[tuple[int, str]]:
    """``(line, command)`` of every ``hbkit`` command in the ```bash blocks, comments removed.

    Examples
    --------
    >>> hbkit_commands("```bash\\nmake demo\\nhbkit validate a.csv   # check\\n```\\n")
    [(3, 'hbkit validate a.csv')]
    """
    found = []
    for match in _FENCE.finditer(text):
        if match.group(1) != "bash":
            continue
        first = text.count("\n", 0, match.start(2)) + 1
        for offset, raw in enumerate(match.group(2).splitlines()):
            command = raw.split(" #", 1)[0].strip()
            if command.startswith("hbkit "):
                found.append((first + offset, command))
    return found


def markdown_files() -> list[Path]:
    """README.md and every Markdown page under docs/."""
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def _refuse_network(*args: Any, **kwargs: Any) -> None:
    raise OSError("network access attempted while running a docs example (docs must run offline)")


@pytest.mark.parametrize("page", RUNNABLE)
def test_python_examples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    blocks = python_blocks(text)
    assert blocks, f"{page} has no ```python example"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(socket.socket, "connect", _refuse_network)
    monkeypatch.setattr(socket, "create_connection", _refuse_network)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    outputs = shown_outputs(text)
    stale = []
    for line, code in blocks:
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(code, f"{page}:{line}", "exec"), namespace)
        except Exception as exc:  # report which block of which page broke
            pytest.fail(f"{page}, the ```python block at line {line} failed: "
                        f"{type(exc).__name__}: {exc}")
        if line in outputs and (missing := missing_output_lines(outputs[line],
                                                                printed.getvalue())):
            stale.append(f"the output shown after the block at line {line} is not what it "
                         f"prints; not printed:\n  " + "\n  ".join(missing)
                         + "\nprinted:\n" + printed.getvalue())
    assert not stale, f"{page}: " + "\n\n".join(stale)
    for name in WRITES[page]:
        written = tmp_path / name
        assert written.is_file() and written.stat().st_size > 0, \
            f"{page} says its examples write {name}, but they did not"


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_hbkit_commands_parse(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hbkit.cli import build_parser

    parser = build_parser()
    refused = []
    for line, command in hbkit_commands(page.read_text(encoding="utf-8")):
        try:
            parser.parse_args(shlex.split(command)[1:])
        except SystemExit:
            refused.append(f"line {line}: {command}: {capsys.readouterr().err.strip().splitlines()[-1]}")
    assert not refused, f"{page.relative_to(ROOT)} shows commands hbkit refuses:\n" + "\n".join(refused)


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_to_files(page: Path) -> None:
    broken = [target for target in relative_links(page.read_text(encoding="utf-8"))
              if not (page.parent / target).exists()]
    assert not broken, f"{page.relative_to(ROOT)} links to missing files: {broken}"


@pytest.mark.parametrize(("index", "pages"), [
    ("index.md", sorted(p.name for p in DOCS.glob("*.md") if p.name != "index.md")),
    ("methodology.md", sorted(f"methodology/{p.name}" for p in (DOCS / "methodology").glob("*.md"))),
])
def test_index_pages_link_every_page(index: str, pages: list[str]) -> None:
    linked = {os.path.normpath(target)
              for target in relative_links((DOCS / index).read_text(encoding="utf-8"))}
    missing = [page for page in pages if page not in linked]
    assert not missing, f"docs/{index} does not link: {missing}"


def test_user_guide_names_every_column_of_the_result_tables() -> None:
    """Section 8 says the JSON fields are the tables' columns, explained in the guide:
    every column of to_frame(), warnings_frame(), unit_frame(), of the data warnings
    (data_warnings_frame(), the JSON's data_warnings) and of changes_since() (the JSON's
    changes) is named there."""
    import pandas as pd

    import hbkit
    from hbkit.assessment import FRAME_COLUMNS
    from hbkit.warnings_rules import WARNING_COLUMNS

    text = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_0-9]+)`", text))
    res = hbkit.assess(pd.DataFrame({"indicator": ["x"] * 4, "year": [2020, 2021, 2022, 2023],
                                     "value": [1.0, 2.0, 3.0, 4.0]}),
                       catalogue=hbkit.Catalogue([hbkit.Target(
                           id="t", indicator="x", kind="lower_bound", threshold=5,
                           unit="count")]), n_draws=100)
    from hbkit.assessment.compare import CHANGE_COLUMNS
    from hbkit.report.data_warnings import DATA_WARNING_COLUMNS

    columns = [*FRAME_COLUMNS, *WARNING_COLUMNS, *res.unit_frame().columns,
               *res.data_warnings_frame().columns, *DATA_WARNING_COLUMNS, *CHANGE_COLUMNS]
    assert [c for c in columns if c not in named] == []


def quoted(page: str, pattern: str) -> list[tuple[float, ...]]:
    """The numbers a page quotes where ``pattern`` (a regex with number groups) matches;
    at least one match, so that a reworded sentence fails here rather than going unchecked.

    Examples
    --------
    >>> quoted("README.md", r"Python >= (\\d+)\\.(\\d+)")[0]
    (3.0, 11.0)
    """
    text = (ROOT / page).read_text(encoding="utf-8")
    found = [tuple(float(g.replace(",", "")) for g in m.groups())
             for m in re.finditer(pattern, text)]
    assert found, f"{page} no longer says {pattern!r}: update this test with the page"
    return found


def test_numbers_the_pages_quote_are_what_the_code_gives() -> None:
    """Numbers the user guide, the methodology and the validation pages quote in prose
    (not in a ```text block that the examples print) are the ones hbkit gives now: the
    example district's 100% series and maternal mortality, a flat 99% series, a series
    that held 99% and fell to 95% in its latest year, and the false alarms of the
    fluctuation warning on a district's maternal and infant deaths."""
    import warnings

    import numpy as np
    import pandas as pd

    import hbkit
    from hbkit.datasets import load_example
    from hbkit.warnings_rules import series_statistics

    guide, method, validation = ("docs/user-guide.md", "docs/methodology/status-warnings.md",
                                 "docs/validation.md")
    models = "docs/methodology/models.md"
    ex = load_example("hebei_example")
    cat = hbkit.Catalogue([ex.catalogue[i] for i in ("W-health-maternal-mortality",
                                                      "C-environment-drinking-water-quality")])
    rows = hbkit.assess(ex.targeted(cat), catalogue=cat, as_of=2023).to_frame() \
        .set_index("target_id")
    water = rows.loc["C-environment-drinking-water-quality", "probability"]
    maternal = rows.loc["W-health-maternal-mortality"]
    for (p,) in quoted(guide, r"2025 年仍为 100% 的概率约 (0\.\d+)"):
        assert abs(p - water) <= 0.01, (p, water)
    for (p,) in [*quoted(guide, r"概率(?:却)?只有约 (0\.\d+)"),
                 *quoted(guide, r"P\(2025 meets it\) is about (0\.\d+)")]:
        assert abs(p - maternal["probability"]) <= 0.01, (p, maternal["probability"])
    for (hi,) in quoted(guide, r"80% 区间为 0—(\d+)/10万"):
        assert maternal["lo_80"] == 0 and abs(hi - maternal["hi_80"]) <= 0.5

    # a street's percent typed as a fraction (section 4, 数据提醒)
    imm = hbkit.Catalogue([ex.catalogue["C-health-immunization-each-street"]])
    data = ex.targeted(imm)
    typed = (data["geo"] == "河北区/光复道街道") & (data["year"] == 2023)
    typo = data.assign(value=data["value"].where(~typed, data["value"] / 100),
                       numerator=data["numerator"].where(~typed),
                       denominator=data["denominator"].where(~typed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # the fraction's data warning, which is the point
        clean, typoed = (hbkit.assess(d, catalogue=imm, as_of=2023) for d in (data, typo))
    others = {name: res.unit_frame().query("unit_geo != '河北区/光复道街道'")["probability"]
              for name, res in (("clean", clean), ("typo", typoed))}
    before, after = (res.to_frame()["probability"].iloc[0] for res in (clean, typoed))
    for value, fraction, p_before, p_after in quoted(
            guide, r"光复道街道 2023 年的\s*(\d+\.\d+)% 写成 (0\.\d+)，会把该目标的达标概率从 "
                   r"(0\.\d+) 拉到 (0\.\d+)"):
        assert value == data.loc[typed, "value"].iloc[0] and fraction == value / 100
        assert abs(p_before - before) <= 0.01 and abs(p_after - after) <= 0.01, (before, after)
    for floor, about in [*quoted(guide, r"其余街道各自的概率也从 (0\.\d+) 以上降到 (0\.\d+) 左右"),
                         *quoted(guide, r"every other street from above\s+(0\.\d+) to about "
                                        r"(0\.\d+)")]:
        assert others["clean"].min() >= floor and abs(others["typo"].mean() - about) <= 0.05, \
            (others["clean"].min(), others["typo"].mean())
    for p_before, p_after in quoted(guide, r"immunisation target from P (0\.\d+) to (0\.\d+)"):
        assert abs(p_before - before) <= 0.01 and abs(p_after - after) <= 0.01, (before, after)

    def one_series(values: list[float], first: int) -> pd.Series:
        years = range(first, first + len(values))
        target = hbkit.Target(id="t", indicator="cov", kind="lower_bound", threshold=95,
                              unit="percent", direction="increase", target_year=2025)
        data = pd.DataFrame({"indicator": "cov", "year": years, "value": values})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return hbkit.assess(data, catalogue=hbkit.Catalogue([target]),
                                as_of=years[-1]).to_frame().iloc[0]

    flat = one_series([99.0] * 8, 2013)                   # 2013-2020, projected to 2025
    for (lo,) in [*quoted(guide, r"2025 年的 80% 区间约为 (\d+\.\d)—100"),
                  *quoted(guide, r"\[(\d+\.\d), 100\] in 2025"),
                  *quoted(models, r"about \[(\d+\.\d), 100\] five years ahead")]:
        assert abs(lo - flat["lo_80"]) <= 0.05 and flat["hi_80"] == 100, (lo, flat["lo_80"])
    moved = one_series([99.0] * 7 + [95.0], 2016)         # 2016-2023, projected to 2025
    for lo, hi in [*quoted(guide, r"两年后的 80% 区间约为 \[(\d+), (\d+)\]"),
                   *quoted(guide, r"about \[(\d+), (\d+)\] two years on"),
                   *quoted(validation, r"interval of about \[(\d+), (\d+)\] two\s+years on")]:
        assert abs(lo - moved["lo_80"]) <= 1 and abs(hi - moved["hi_80"]) <= 1, \
            ((lo, hi), (moved["lo_80"], moved["hi_80"]))

    # the false alarms of status-warnings.md section 3.2, measured as tests/test_assess_warnings.py
    years = np.arange(2016, 2024)
    rates = {}
    for unit, rate, scale in (("per_1000", 5e-3, 1e3), ("per_100k", 10e-5, 1e5)):
        rng = np.random.default_rng(7)   # 1,500 districts of ~4,000 births, pure Poisson noise
        n = np.rint(4000.0 * rng.uniform(0.85, 1.15, size=(1500, 1)) * np.ones(years.size))
        k = rng.poisson(n * rate * np.exp(-0.03 * np.arange(years.size))).astype(float)
        stats = series_statistics(years, k / n * scale, k, n, unit, seed=3)
        rates[unit] = round(100 * float(stats.fluctuation.mean()), 1)
    for (quote,) in [*quoted(guide, r"纯噪声下误报率约 (\d+\.\d)%"),
                     *quoted(method, r"maternal deaths\s+\(0–1 a year, bootstrap p-values\) "
                                     r"(\d+\.\d)%")]:
        assert quote == rates["per_100k"], (quote, rates)
    assert quoted(method, r"1,500 series\) (\d+\.\d)%") == [(rates["per_1000"],)], rates


def test_architecture_names_every_module() -> None:
    """docs/architecture.md is the map of the code: every module of hbkit is named in the
    modules table, a top-level one by its path, one in a package by its file name in the
    package's row."""
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    unnamed = []
    for module in sorted((ROOT / "hbkit").rglob("*.py")):
        path = module.relative_to(ROOT).as_posix()
        if module.parent == ROOT / "hbkit":
            named = f"`{path}`" in text
        elif module.name == "__init__.py":
            continue
        else:
            package = f"`{module.parent.relative_to(ROOT).as_posix()}/`"
            named = any(f"`{path}`" in row or (package in row.split("|")[1]
                                                and f"`{module.name}`" in row) for row in rows)
        if not named:
            unnamed.append(path)
    assert unnamed == [], f"docs/architecture.md does not name {unnamed}"


def notebook_texts() -> dict[str, str]:
    """The cells of each notebook (markdown and code), joined: ``{notebooks/NAME.ipynb: text}``."""
    import json

    return {f"notebooks/{path.name}": "\n".join(
        "".join(cell["source"]) for cell in json.loads(path.read_text(encoding="utf-8"))["cells"])
        for path in sorted((ROOT / "notebooks").glob("*.ipynb"))}


def test_pages_state_the_warning_rules_as_the_code_applies_them() -> None:
    """The fluctuation and moving-away warnings fire when p <= their alpha (0.01, 0.025): a
    bootstrap p-value is a multiple of 1/200, and p = 0.01 fires (tests/test_assess_warnings.py).
    No page or notebook says (or computes) p < alpha, or p 'below' it, but to say what the
    strict rule did before."""
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in markdown_files()}
    texts.update(notebook_texts())
    past = "with p < 0.01 only the smallest p-value"   # status-warnings.md: the rule before
    texts = {page: text.replace(past, "") for page, text in texts.items()}
    alpha = r"`?(?:rules\.)?(?:fluctuation_alpha|moving_away_alpha|0\.01|0\.025)\b"
    rule = re.compile(rf"p(?: 值)?\s*(?:<=|≤|<|低于|不高于|below|at most)\s*{alpha}"
                      r"|p\s*(?:低于|不高于)阈值")
    stated = [(page, m.group(0)) for page, text in texts.items() for m in rule.finditer(text)]
    assert len({s for _, s in stated if "moving_away" in s}) >= 2, \
        "the pages no longer state the moving-away rule: update this test"
    assert [(page, s) for page, s in stated if not re.search(r"<=|≤|不高于|at most", s)] == []


def test_status_warnings_page_states_the_defaults_of_status_rules() -> None:
    """docs/methodology/status-warnings.md says every threshold is a field of StatusRules and
    gives each numeric one's default in brackets (`on_track` (0.8), `p ≤ fluctuation_alpha`
    (0.01), `fluctuation_min_swing` (2%)): those are the code's defaults."""
    import dataclasses

    from hbkit import StatusRules

    text = (DOCS / "methodology" / "status-warnings.md").read_text(encoding="utf-8")
    defaults = {f.name: f.default for f in dataclasses.fields(StatusRules)
                if not isinstance(f.default, bool)}
    stated: dict[str, list[float]] = {}
    for name in defaults:
        for number, percent in re.findall(rf"`[^`\n]*\b{name}`\s*\((\d+(?:\.\d+)?)(%?)",
                                          text):
            stated.setdefault(name, []).append(float(number) / (100 if percent else 1))
    assert sorted(stated) == sorted(defaults), f"defaults not stated: {set(defaults) - set(stated)}"
    wrong = {name: (values, defaults[name]) for name, values in stated.items()
             if any(abs(v - defaults[name]) > 1e-12 for v in values)}
    assert wrong == {}


def test_observations_page_quotes_the_template_as_written(tmp_path: Path) -> None:
    """docs/observations.md section 5 quotes the 目标 column of the reporting template: the
    template written for the shipped catalogue has those lines, and its last column is the
    source."""
    import openpyxl

    import hbkit

    text = (DOCS / "observations.md").read_text(encoding="utf-8")
    section = text[text.index("## 5. 数据上报模板"):text.index("## 6.")]
    quoted_rules = re.findall(r"“([^”]+)”", section[section.index("目标（"):section.index("规划原文")])
    assert quoted_rules, "section 5 no longer quotes the 目标 column: update this test"
    path = hbkit.observation_template(hbkit.load_catalogue(), range(2021, 2026),
                                      tmp_path / "template.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book["健康 health"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    lines = {line for row in sheet.iter_rows(min_row=2, values_only=True)
             if row[header.index("目标 target")] for line in
             str(row[header.index("目标 target")]).splitlines()}
    book.close()
    assert [rule for rule in quoted_rules if rule not in lines] == []
    assert header[-1] == "数据来源 source"


def test_user_guide_quotes_the_short_series_bias_of_validation_md() -> None:
    """The user guide's FAQ quotes the mean probability and the share met on China's
    official series with 3-4 points in the window: the cases of table 3c of
    docs/validation.md (which the backtest benchmark regenerates) with 3 and 4 points,
    weighted by their number of scored cases."""
    text = (DOCS / "validation.md").read_text(encoding="utf-8")
    table = text[text.index("### Table 3c."):text.index("### Table 3d.")]
    rows = [line.split() for line in table.splitlines()
            if line.strip().startswith("China official (rule targets)")]
    # family (4 words), n_obs, n_cases, n_scored, outcome_rate, mean_probability, ...
    short = [(float(row[6]), float(row[7]), float(row[8])) for row in rows if row[4] in ("3", "4")]
    assert len(short) == 2, "table 3c changed its layout: update this test"
    n = sum(scored for scored, _, _ in short)
    met = sum(scored * outcome for scored, outcome, _ in short) / n
    mean_p = sum(scored * prob for scored, _, prob in short) / n
    for p, share in [*quoted("docs/user-guide.md", r"平均概率约 (0\.\d+)，实际约 (0\.\d+)"),
                     *quoted("docs/user-guide.md", r"mean P about (0\.\d+), met (0\.\d+)")]:
        assert abs(p - mean_p) <= 0.005 and abs(share - met) <= 0.005, (mean_p, met)


def test_user_guide_lists_every_code_a_program_branches_on() -> None:
    """A dashboard reads codes, not words: every value of a coded column of the tables
    and the JSON (statuses, warnings, scales, changes, the official-convention labels)
    is named in the user guide, and the table of the official-convention codes there
    gives the words hbkit uses for them in both languages."""
    from hbkit._typing import STATUSES
    from hbkit.assessment.compare import CHANGE_LABELS
    from hbkit.conventions import LABELS
    from hbkit.models.scales import SCALES
    from hbkit.warnings_rules.codes import WARNING_LABELS
    from hbkit.warnings_rules.levels import LEVEL_LABELS

    text = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_0-9]+)`", text))
    codes = {*STATUSES, *WARNING_LABELS, *LEVEL_LABELS, *SCALES, "count", *CHANGE_LABELS,
             *(code for labels in LABELS.values() for code in labels["zh"])}
    assert sorted(codes - named) == []

    listed: dict[str, dict[str, tuple[str, str]]] = {}
    column = ""
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"`[a-z_]+`", cells[1]):
            column = cells[0].strip("`") or column
            if column in LABELS:
                listed.setdefault(column, {})[cells[1].strip("`")] = (cells[2], cells[3])
    expected = {column: {code: (labels["zh"][code], labels["en"][code]) for code in labels["zh"]}
                for column, labels in LABELS.items()}
    assert listed == expected


def test_user_guide_statuses_table_gives_the_words_of_status_zh_and_status_en() -> None:
    """Section 5.2 lists each status with its words in the two reports (``status_zh``,
    ``status_en``): exactly the wordings the code gives, every one."""
    from hbkit.status import STATUS_LABELS, STATUS_VARIANTS

    text = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    section = text.split("### 5.2 ", 1)[1].split("\n### ", 1)[0]
    listed = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"`[a-z_]+`", cells[2]):
            listed.append((cells[0], cells[1], cells[2].strip("`")))
    expected = {(zh, en, code) for code, (zh, en) in STATUS_LABELS.items()}
    expected |= {(zh, en, code) for (code, _variant), (zh, en) in STATUS_VARIANTS.items()}
    assert sorted(listed) == sorted(expected)
