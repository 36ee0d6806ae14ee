"""The docs stay true to the code.

* Every fenced ````` ```python ````` block of ``README.md``, ``docs/index.md`` and
  ``docs/user-guide.md`` runs, in order, in one namespace per page (as a reader
  pasting them into one notebook would), in a fresh temporary folder, with
  network connections refused; a ```text block right after a ```python block
  is its output, and the block must print it (a page may show part of it).
* Every ``hbkit ...`` command in a ```bash block of ``README.md`` and
  ``docs/**/*.md`` is accepted by the ``hbkit`` argument parser (subcommands
  and options exist; a doc cannot show an option that was renamed).
* Every relative link of ``README.md`` and ``docs/**/*.md`` points to a file
  that exists, and the two index pages link every page they are the map of.
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
RUNNABLE = ("docs/index.md", "docs/user-guide.md", "README.md")

#: files a page's examples say they write
WRITES = {
    "README.md": ("report-2023.html", "report-2023.xlsx"),
    "docs/index.md": ("monitoring-2023.html", "monitoring-2023.xlsx"),
    "docs/user-guide.md": ("河北区数据上报模板.xlsx", "河北区监测数据2016-2023.csv",
                      "健康领域监测-2023.html", "健康领域监测-2023.xlsx", "健康领域监测-2023.json",
                      "儿童规划2026-2030目标.xlsx", "和平区上报模板2026-2030.xlsx",
                      "和平区2027年度监测报告.html"),
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

    text = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_0-9]+)`", text))
    codes = {*STATUSES, *WARNING_LABELS, *SCALES, "count", *CHANGE_LABELS,
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
