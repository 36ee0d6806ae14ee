"""The HTML and Markdown reports as the committee reads them: on a phone, printed on A4,
pasted into Word, read offline; every status explained, every interval with its unit.

A small checker built on the standard library's :mod:`html.parser` reads the page the
way these readers meet it (the language, the headings' order, the tables and what holds
them, the images' alt text, the status badges' colours) and the tests assert on what it
collected, not on the markup's spelling.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from test_report_cases import small_assessment, small_final_assessment

import hbkit
from hbkit.report import to_markdown
from hbkit.report.html import render_html
from hbkit.report.wording import STATUS_COLOURS, contrast_ratio

#: text colour of a light badge (the page's ink); the others are white
INK = "#1f2328"
#: the widest table a 375-px phone shows without a scroll container: a card's label | value
PHONE_COLUMNS = 2
CJK = re.compile(r"[\u4e00-\u9fff]")


class Page(HTMLParser):
    """What a reader of the page meets, collected while parsing it."""

    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.meta: list[dict[str, str | None]] = []
        self.headings: list[int] = []
        self.images: list[dict[str, str | None]] = []
        self.urls: list[str] = []
        self.tables: list[dict[str, object]] = []  # in a scroll box?, columns, header cells
        self.badges: list[dict[str, str]] = []  # class, style, text
        self.style = ""
        self._open: list[tuple[str, str]] = []  # (tag, class) of the open elements
        self._table: dict[str, object] | None = None
        self._badge: dict[str, str] | None = None
        self._in_style = False
        self._row_cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        css = a.get("class") or ""
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "meta":
            self.meta.append(a)
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "img":
            self.images.append(a)
        elif tag == "style":
            self._in_style = True
        elif tag == "table":
            scrolled = any("scroll" in c.split() for _, c in self._open)
            self._table = {"scrolled": scrolled, "columns": 0, "th": 0, "td": 0}
            self.tables.append(self._table)
        elif tag == "tr":
            self._row_cells = 0
        elif tag in ("th", "td") and self._table is not None:
            self._table[tag] = int(self._table[tag]) + 1  # type: ignore[call-overload]
            self._row_cells += 1
            self._table["columns"] = max(int(self._table["columns"]), self._row_cells)  # type: ignore[call-overload]
        elif tag == "span" and "badge" in css.split():
            self._badge = {"class": css, "style": a.get("style") or "", "text": ""}
            self.badges.append(self._badge)
        for name in ("src", "href"):
            if a.get(name):
                self.urls.append(str(a[name]))
        if tag not in ("meta", "img", "br"):
            self._open.append((tag, css))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        elif tag == "table":
            self._table = None
        elif tag == "span":
            self._badge = None
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        if self._badge is not None:
            self._badge["text"] += data


def read(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def print_rules(style: str) -> str:
    """The body of the style sheet's ``@media print { ... }`` block."""
    start = style.index("@media print")
    depth, i = 0, style.index("{", start)
    for j in range(i, len(style)):
        depth += {"{": 1, "}": -1}.get(style[j], 0)
        if depth == 0:
            return style[i + 1:j]
    raise AssertionError("unclosed @media print")


def section(page: str, key: str) -> str:
    start = page.index(f'<section id="{key}">')
    return page[start:page.index("</section>", start)]


@pytest.fixture(scope="module")
def annual() -> hbkit.Assessment:
    return small_assessment()


@pytest.fixture(scope="module")
def final() -> hbkit.Assessment:
    return small_final_assessment()


@pytest.fixture(scope="module")
def pages(annual, final) -> dict[tuple[str, str], str]:
    """The annual report (2023, with its charts) and the final evaluation (2025), zh and en."""
    return {(case, lang): render_html(result, lang)
            for case, result in (("annual", annual), ("final", final)) for lang in ("zh", "en")}


CASES = [(case, lang) for case in ("annual", "final") for lang in ("zh", "en")]


# ------------------------------------------------------------------ opened on a phone, offline
@pytest.mark.parametrize("case", CASES)
def test_page_declares_its_language_charset_and_phone_viewport(pages, case) -> None:
    page = read(pages[case])
    assert page.html_lang == ("zh-CN" if case[1] == "zh" else "en")
    assert any((m.get("charset") or "").lower() == "utf-8" for m in page.meta)
    viewport = [m.get("content") or "" for m in page.meta if m.get("name") == "viewport"]
    assert viewport and "width=device-width" in viewport[0]


@pytest.mark.parametrize("case", CASES)
def test_page_fetches_nothing(pages, case) -> None:
    page = read(pages[case])
    assert page.images
    assert all(u.startswith(("#", "data:image/png;base64,")) for u in page.urls), [
        u[:60] for u in page.urls if not u.startswith(("#", "data:"))]
    assert "url(" not in page.style and "@import" not in page.style
    assert "@font-face" not in page.style  # the reader's own fonts: nothing downloaded


@pytest.mark.parametrize("case", CASES)
def test_tables_fit_a_phone_inside_a_scroll_box(pages, case) -> None:
    """A table wider than a card's label | value sits in a horizontal scroll box, so a
    375-px screen scrolls it instead of the page overflowing."""
    page = read(pages[case])
    wide = [t for t in page.tables if int(t["columns"]) > PHONE_COLUMNS]  # type: ignore[call-overload]
    assert wide, "the summary and the warning list are wide tables"
    assert all(t["scrolled"] for t in wide), wide
    assert re.search(r"\.scroll\s*\{[^}]*overflow-x:\s*auto", page.style)


@pytest.mark.parametrize("case", CASES)
def test_headings_run_in_order(pages, case) -> None:
    """One h1, then no level skipped on the way down (h1 -> h2 -> h3 -> h4)."""
    levels = read(pages[case]).headings
    assert levels[0] == 1 and levels.count(1) == 1
    skipped = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert not skipped


@pytest.mark.parametrize("case", CASES)
def test_images_have_alt_text_in_the_report_language(pages, case) -> None:
    images = read(pages[case]).images
    alts = [str(img.get("alt") or "") for img in images]
    assert all(alt.strip() for alt in alts)
    if case[1] == "zh":
        assert all(CJK.search(alt) for alt in alts), alts
    else:  # a Chinese term glossed in brackets, 儿童之家, may stay in an English name
        assert not any(CJK.search(re.sub(r"\([^)]*\)", "", alt)) for alt in alts), alts


@pytest.mark.parametrize("case", CASES)
def test_status_badges_say_the_status_in_words_with_readable_contrast(pages, case) -> None:
    """A status is told by its word, not its colour alone, and that word reads at WCAG's
    4.5:1 on its colour (有望实现's green #4caf50 under white text read at 2.8:1)."""
    badges = read(pages[case]).badges
    assert badges
    for badge in badges:
        assert badge["text"].strip()
        colour = re.search(r"background:(#[0-9a-fA-F]{6})", badge["style"])
        assert colour, badge
        ink = INK if "light" in badge["class"].split() else "#ffffff"
        assert contrast_ratio(colour.group(1), ink) >= 4.5, badge


def test_every_status_colour_gets_a_readable_text_colour(annual) -> None:
    """Each status colour, with the text colour the page gives it, reads at 4.5:1 or more."""
    from hbkit.report.html import _LIGHT

    for status, colour in STATUS_COLOURS.items():
        ink = INK if status in _LIGHT else "#ffffff"
        assert contrast_ratio(colour, ink) >= 4.5, (status, colour, ink)
    assert {"on_track", "insufficient_data"} <= _LIGHT  # white on them read at 2.8 and 3.0


# ------------------------------------------------------------------ printed on A4
@pytest.mark.parametrize("case", CASES)
def test_print_style_keeps_rows_and_charts_whole_and_repeats_table_headers(pages, case) -> None:
    rules = print_rules(read(pages[case]).style)
    kept = re.search(r"([^{}]*)\{[^}]*page-break-inside:\s*avoid", rules)
    assert kept, rules
    for selector in ("tr", "img", ".chart", ".target"):
        assert selector in [s.strip() for s in kept.group(1).split(",")], selector
    assert re.search(r"thead\s*\{[^}]*display:\s*table-header-group", rules)
    assert "@page" in rules and "A4" in rules


@pytest.mark.parametrize("case", CASES)
def test_print_has_no_dark_backgrounds(pages, case) -> None:
    """Printed, the badges and status cards are white with their status colour as a border:
    no solid red or green blocks, the word still printed."""
    rules = print_rules(read(pages[case]).style)
    block = re.search(r"\.badge,\s*\.card\s*\{([^}]*)\}", rules)
    assert block, rules
    assert "background: #fff !important" in block.group(1)
    assert "var(--status" in block.group(1)
    assert re.search(r"body\s*\{[^}]*\}", rules) and "background: #000" not in rules


# ------------------------------------------------------------------ pasted into Word
@pytest.mark.parametrize("case", CASES)
def test_tables_are_real_tables_with_header_cells(pages, case) -> None:
    text = pages[case]
    page = read(text)
    assert page.tables and all(int(t["th"]) > 0 for t in page.tables)  # type: ignore[call-overload]
    for key in ("overview", "warnings", "methods"):
        body = section(text, key)
        if "<table" in body:
            assert "<thead><tr><th" in body, key
    assert 'display: grid' not in re.sub(r"\.target[^{]*\{[^}]*\}", "", page.style)


# ------------------------------------------------------------------ what the reader is told
def test_header_states_the_year_and_the_data_last_year(annual, final, pages) -> None:
    for (case, lang), text in pages.items():
        result = annual if case == "annual" else final
        last = int(pd.to_numeric(result.to_frame()["latest_year"]).max())
        header = text[text.index("<header>"):text.index("</header>")]
        words = "数据最新年份：" if lang == "zh" else "Latest year of data: "
        assert f"{words}{last}" in header, (case, lang)
    assert 2023 == int(annual.to_frame()["latest_year"].max())
    assert 2025 == int(final.to_frame()["latest_year"].max())


@pytest.mark.parametrize("case", CASES)
def test_simulated_data_are_marked_in_the_header(pages, case) -> None:
    text = pages[case]
    header = text[text.index("<header>"):text.index("</header>")]
    assert ("模拟数据" if case[1] == "zh" else "Simulated data") in header


def test_overview_says_what_each_status_means(pages) -> None:
    """The annual report states its status rule where it counts the statuses, not only in
    the methods at the end; the final evaluation its own rule."""
    zh = section(pages["annual", "zh"], "overview")
    assert zh.index('class="cards"') < zh.index('class="status-meanings"')
    rule = zh[zh.index('class="status-meanings"'):]
    for words in ("提前实现", "有望实现", "存在风险", "难以实现", "已有年份未达到", "0.8", "0.5"):
        assert words in rule, words
    en = section(pages["annual", "en"], "overview")
    assert "on track when P &gt;= 0.8" in en and "at risk when 0.5 &lt;= P &lt; 0.8" in en
    final = section(pages["final", "zh"], "overview")
    assert 'class="final-rule"' in final and "终期评估的状态规则" in final


def test_warning_list_opens_with_what_needs_action(annual, pages) -> None:
    """Its first sentence counts the warned targets by status, the worst first, and names
    the statuses that need action; the count is that of the warnings frame's targets."""
    warned = annual.warnings_frame()[["target_id", "geo"]].drop_duplicates()
    statuses = warned.merge(annual.to_frame(), on=["target_id", "geo"])["status"]
    zh = section(pages["annual", "zh"], "warnings")
    lead = re.search(r'<p class="lead">([^<]*)</p>', zh)
    assert lead and zh.index('class="lead"') < zh.index("<table")
    assert lead.group(1).startswith(f"预警涉及 {len(warned)} 项目标")
    if (statuses == "off_track").any():
        assert f"难以实现 {int((statuses == 'off_track').sum())} 项" in lead.group(1)
    assert "需优先采取措施" in lead.group(1)
    en = section(pages["annual", "en"], "warnings")
    noun = "target" if len(warned) == 1 else "targets"
    assert f"The warnings concern {len(warned)} {noun} (target × area)" in en


def test_warning_lead_counts_targets_not_warnings_worst_first() -> None:
    """Five warnings on four targets: counted once each, 难以实现 before 存在风险 before the
    achieved one (the list's own order), whatever the rows' order; action asked only for
    the statuses that need it."""
    from types import SimpleNamespace

    from hbkit.report.tables import warnings_lead

    frame = pd.DataFrame({"status": ["achieved", "at_risk", "off_track", "off_track"],
                          "status_zh": ["提前实现", "存在风险", "难以实现", "难以实现"]})
    shown = pd.DataFrame({"target_id": ["a", "b", "b", "c", "d"], "geo": ["河北区"] * 5,
                          "status": ["achieved", "at_risk", "at_risk", "off_track", "off_track"]})
    annual = SimpleNamespace(frame=frame, final=False)
    assert warnings_lead(annual, shown, "zh") == (
        "预警涉及 4 项目标（目标 × 地区）：难以实现 2 项，存在风险 1 项，提前实现 1 项。"
        "难以实现、存在风险的目标排在表的前面，需优先采取措施。")
    assert warnings_lead(annual, shown, "en") == (
        "The warnings concern 4 targets (target × area): 2 off track, 1 at risk, "
        "1 achieved early. Targets off track or at risk come first in the list and need "
        "action first.")
    calm = shown[shown["status"] == "achieved"]
    assert warnings_lead(annual, calm, "en") == (
        "The warnings concern 1 target (target × area): 1 achieved early.")
    assert warnings_lead(annual, shown.iloc[:0], "zh") == ""
    # the final evaluation's outcome is decided: it counts, and asks for no action
    decided = SimpleNamespace(frame=frame.assign(status_zh=["已实现", "存在风险", "未实现", "未实现"]),
                              final=True)
    assert warnings_lead(decided, shown, "zh") == (
        "预警涉及 4 项目标（目标 × 地区）：未实现 2 项，存在风险 1 项，已实现 1 项。")


def test_intervals_carry_their_unit(pages) -> None:
    """A card's interval says its unit, as the values beside it do."""
    for lang, percent, per_100k in (("zh", "%", "/10万"), ("en", "%", " per 100,000")):
        text = pages["annual", lang]
        card = text[text.index("W-health-cervical-cancer-screening"):]
        card = card[:card.index("</article>")]
        cells = re.findall(r"<th>(?:95%区间|95% interval)</th><td>([^<]*)</td>", card)
        assert cells and re.fullmatch(r"\[[\d.]+, [\d.]+\]" + re.escape(percent), cells[0])
        card = text[text.index("W-health-maternal-mortality"):]
        card = card[:card.index("</article>")]
        cells = re.findall(r"<th>(?:80%区间|80% interval)</th><td>([^<]*)</td>", card)
        assert cells and cells[0].endswith(per_100k), cells


# ------------------------------------------------------------------ Markdown
def _pipe_tables(markdown: str) -> list[list[str]]:
    """The GFM tables of ``markdown``: each a list of its lines (header, delimiter, rows)."""
    lines, found, i = markdown.splitlines(), [], 0
    while i < len(lines):
        if (lines[i].startswith("|") and i + 1 < len(lines)
                and re.fullmatch(r"\|(?:-{3}\||-{2}:\|)+", lines[i + 1])):
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            found.append(lines[i:j])
            i = j
        else:
            i += 1
    return found


@pytest.mark.parametrize("case", CASES)
def test_markdown_tables_are_valid_gfm(annual, final, case) -> None:
    """Every row of every table has the header's number of cells, counting only unescaped
    pipes (a ``|`` in a cell, such as ``最大|z|``, is written ``\\|``)."""
    result = annual if case[0] == "annual" else final
    markdown = to_markdown(result, case[1])
    tables = _pipe_tables(markdown)
    assert len(tables) >= 3
    for table in tables:
        cells = [len(re.findall(r"(?<!\\)\|", line)) for line in table]
        assert len(set(cells)) == 1, table[0]


def test_markdown_states_data_year_status_rule_warnings_and_units(annual) -> None:
    zh, en = to_markdown(annual, "zh"), to_markdown(annual, "en")
    assert "数据最新年份：2023" in zh and "Latest year of data: 2023" in en
    overview = zh[zh.index("## 总体情况"):zh.index("## 预警清单")]
    assert "状态规则：" in overview and "“有望实现”" in overview
    warnings = zh[zh.index("## 预警清单"):]
    assert warnings.split("\n\n")[1].startswith("预警涉及 ")
    row = next(line for line in zh.splitlines() if line.startswith("| 适龄妇女宫颈癌人群筛查率 |"))
    assert re.search(r"\| \[[\d.]+, [\d.]+\]% \|", row), row


def test_pasted_text_keeps_the_header_items_and_counts_apart(pages) -> None:
    """Word and WeChat keep the text, not the style sheet: the header's items are parted by
    a written " · " (not a CSS ::before), a status count by a space from its word."""
    text = pages["annual", "zh"]
    meta = re.search(r'<p class="meta">(.*?)</p>', text)
    assert meta
    items = re.sub(r"<[^>]+>", "", meta.group(1)).split(" · ")
    assert items[0] == "监测年份：2023" and items[1] == "数据最新年份：2023"
    assert "::before" not in read(text).style
    assert re.search(r'<span class="n">\d+</span> <span class="w">', text)


def test_numbers_behind_a_warning_carry_their_unit(annual, pages) -> None:
    """The hard-to-reach warning on a percentage (higher-education GER) gives its gap and
    changes in percentage points beside the explanation that words them so."""
    warned = annual.warnings_frame().query("code == 'hard_to_reach'")
    assert len(warned)
    unit = annual.to_frame().set_index("target_id").loc[warned["target_id"].iloc[0], "unit"]
    assert unit == "percent"
    for lang, points in (("zh", "个百分点"), ("en", " pp")):
        cells = re.findall(r'<td class="numbers">(.*?)</td>', section(pages["annual", lang],
                                                                     "warnings"))
        lines = [line for cell in cells for line in cell.split("<br>")]
        changes = [line for line in lines if re.match(r"(预计平均差距|所需年均变化|实际年均变化|"
                                                      r"expected shortfall|required annual change|"
                                                      r"achieved annual change)=", line)]
        assert changes and all(line.endswith(points) for line in changes), lines


@pytest.mark.parametrize("case", ["annual", "final"])
def test_chinese_markdown_uses_full_width_punctuation_beside_chinese(annual, final, case) -> None:
    """No half-width comma, semicolon, colon or bracket touches a Chinese character (the
    report writes 监测年份：2023, （2023）, 提前实现，有望实现)."""
    markdown = to_markdown(annual if case == "annual" else final, "zh")
    mixed = re.findall(r".{0,8}(?:[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]).{0,8}", markdown)
    assert not mixed, mixed[:5]


def test_a_share_of_the_level_behind_a_warning_reads_as_the_warning_text_gives_it() -> None:
    """A fluctuation warning without counts says its robust residuals are 12% of the level; the
    numbers behind it gave 相对尺度=0.121. Both now read in percent, the number to one decimal."""
    import warnings

    catalogue = hbkit.Catalogue([hbkit.Target(
        id="W-x", indicator="x", kind="lower_bound", threshold=20.0, unit="percent",
        name_zh="某比例", name_en="A share", domain="health", plan="women")])
    values = [30.0, 36.0, 28.0, 37.0, 27.0, 38.0, 29.0, 39.0]  # reverses every year
    obs = pd.DataFrame({"indicator": "x", "geo": "河北区", "year": range(2016, 2024),
                        "unit": "percent", "value": values})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = hbkit.assess(obs, catalogue=catalogue, as_of=2023, n_draws=200)
    row = result.warnings_frame().query("code == 'fluctuation'").iloc[0]
    share = float(row["relative_scale"])
    for lang, label in (("zh", "相对尺度"), ("en", "relative scale")):
        page = to_markdown(result, lang)
        shown = re.search(label + r"=([0-9.]+)%", page)
        assert shown is not None, page
        assert float(shown.group(1)) == pytest.approx(round(share * 100, 1))
    said = re.search(r"水平的([0-9]+)%", to_markdown(result, "zh"))
    assert said is not None and int(said.group(1)) == round(share * 100)
