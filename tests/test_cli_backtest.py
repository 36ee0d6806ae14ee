"""``hbkit backtest`` on the command line: usage errors are bilingual, exit 2, no traceback."""

from __future__ import annotations

import re

import pytest

from hbkit.cli import build_parser, main


def _err(capsys) -> str:  # type: ignore[no-untyped-def]
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return captured.err


def test_origin_whose_target_year_passes_2100(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backtest", "igme2021", "--origins", "2099"]) == 2
    err = _err(capsys)
    assert "2104" in err and "2100" in err and err.index("起始年份") < err.index("origin")


def test_origins_outside_the_data(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backtest", "igme2021", "--origins", "1800"]) == 2
    err = _err(capsys)
    assert "1800" in err and "1960-2020" in err


def test_out_that_cannot_be_a_folder(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    bad = blocker / "bt"
    assert main(["backtest", "igme2021", "--origins", "2010", "--out", str(bad)]) == 2
    err = _err(capsys)
    assert "无法创建输出目录" in err and str(bad) in err


def test_by_names_the_allowed_columns(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backtest", "igme2021", "--origins", "2010", "--by", "foo"]) == 2
    err = _err(capsys)
    assert "'foo'" in err and "indicator" in err and err.startswith("hbkit: --by 须为")


def test_reversed_origins_range(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backtest", "igme2021", "--origins", "1990-1980"]) == 2
    err = _err(capsys)
    assert "颠倒" in err and "reversed" in err and "1980-1990" in err


@pytest.mark.parametrize(("args", "zh", "en"), [
    (["nope.csv"], "既不是文件也不是示例名", "neither a file nor an example"),
    (["igme2021", "--origins", "soon"], "须为年份", "--origins takes years"),
    (["igme2021", "--horizon", "0"], "正整数", "--horizon takes"),
    (["igme2021", "--window", "1"], "至少为 2 年", "window must be at least 2"),
])
def test_errors_chinese_first(args, zh, en, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backtest", *args]) == 2
    err = _err(capsys)
    assert zh in err and en in err and err.index(zh) < err.index(en)


def test_no_case_names_the_data_years_window_and_horizon(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backtest", "example:hebei_example", "--origins", "2016",
                 "--n-draws", "100"]) == 2
    err = _err(capsys)
    assert err.startswith("hbkit: 没有可回测的案例")
    assert "2016-2023" in err and "window 8" in err and "horizon 5" in err


def test_help_is_chinese_first_without_markup(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        build_parser().parse_args(["backtest", "--help"])
    out = capsys.readouterr().out
    assert ":meth:" not in out and "``" not in out
    assert out.index("回测") < out.index("backtest: score")


def test_data_problems_print_the_validate_table(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    rows = "".join(f"infant_mortality_rate,{2000 + i},abc{i}\n" for i in range(6))
    path.write_text("指标,年份,数值\n" + rows, encoding="utf-8")
    assert main(["backtest", str(path)]) == 1
    out = capsys.readouterr().out
    assert "发现 6 个问题 / 6 problems found" in out
    assert "(file=" not in out and "abc5" in out
    header = next(line for line in out.splitlines() if "Rule" in line)  # validate's own table
    assert header.split()[:2] == ["文件", "File"]


def test_written_line_is_chinese_first(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backtest", "dtp3", "--origins", "2016", "--horizon", "2", "--n-draws", "100",
                 "--out", str(tmp_path / "new" / "out")]) == 0
    out = capsys.readouterr().out
    assert "已写入 / written:" in out
    header = out.splitlines()[1].split()
    assert header[:3] == ["方法", "案例数", "评分数"]  # the labels of hbkit.backtesting.labels


def test_printed_table_in_english_while_the_csv_keeps_the_keys(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """--lang en prints the headings and methods in English; compare.csv keeps the keys and
    the numbers the printed table shows to 3 decimals."""
    import pandas as pd

    out = tmp_path / "bt"
    assert main(["backtest", "dtp3", "--origins", "2016", "--horizon", "2", "--n-draws", "100",
                 "--lang", "en", "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[:3] == ["Method", "Cases", "Scored"] and "Brier score" in lines[1]
    written = pd.read_csv(out / "compare.csv")
    assert list(written.columns[:3]) == ["method", "n_cases", "n_scored"]
    status_quo = next(line for line in lines if line.startswith("Status quo "))
    brier = written.set_index("method").loc["status_quo", "brier"]
    assert f"{brier:.3f}" in status_quo.split()


def test_what_gave_no_case_is_counted_and_written(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The command prints how many (target, origin, area) gave no case and why, most
    frequent first, writes them to skipped.csv, and names an origin without any case
    in a note on stderr."""
    import pandas as pd

    out = tmp_path / "bt"
    assert main(["backtest", "china", "--origins", "2015-2018,2030", "--horizon", "5",
                 "--n-draws", "100", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    printed = captured.out
    assert "Traceback" not in printed
    skipped = pd.read_csv(out / "skipped.csv")
    lines = printed.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("未成为案例 / not a case:"))
    assert lines[head].split(": ")[1].startswith(f"{len(skipped)}（全部见 skipped.csv）")
    counts = skipped["reason"].value_counts()
    # each reason is Chinese, then English, in skipped.csv and in what is printed
    assert any(re.fullmatch(r"起始年份早于数据的第一年（(\d{4})） / origin before the first year of "
                            r"data \(\1\)", reason) for reason in counts.index)
    assert all(re.fullmatch(r"[^/]*[\u4e00-\u9fff][^/]* / [ -~]+", reason) for reason in counts.index)
    shown = [line.split(maxsplit=1) for line in lines[head + 1:head + 1 + min(5, len(counts))]]
    assert [(int(n), reason) for n, reason in shown] == list(
        zip(counts.head(5).to_numpy(dtype=int), counts.head(5).index, strict=True))
    # the note is on stderr, as every subcommand's: `hbkit backtest ... > table.txt` keeps the table
    assert any(line.startswith("注意 / note: 起始年份 2030 没有产生任何回测案例")
               for line in captured.err.splitlines())
    assert "注意" not in printed


def test_out_help_names_every_file_written(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """--out's help lists the files the command writes there, skipped.csv too."""
    out = tmp_path / "bt"
    assert main(["backtest", "igme2021", "--origins", "2012", "--n-draws", "100",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["backtest", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    start = text.index("--out DIR 输出目录")
    option = text[start:text.index("--lang {zh,en}", start)]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        name for name in re.findall(r"[a-z_]+\.(?:csv|png)", option))
