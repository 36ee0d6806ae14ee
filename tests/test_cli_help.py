"""``hbkit --help`` and every command's help: argparse's own words Chinese first too."""

from __future__ import annotations

import re
import unicodedata

import pytest

from hbkit.cli import SUBCOMMANDS, main


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


@pytest.mark.parametrize("command", [[], *([name] for name in SUBCOMMANDS)])
def test_help_has_no_english_only_argparse_words(command, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main([*command, "--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"用法 / usage: hbkit{' ' if command else ''}{' '.join(command)} [-h]")
    titles = [line for line in lines if re.fullmatch(r"\S.*(arguments|options):", line)]
    assert titles == [*(["位置参数 / positional arguments:"] if command != ["catalogue"] else []),
                      "选项 / options:"]
    assert any(line.split() == ["-h,", "--help", "显示本帮助并退出", "/", "show", "this", "help",
                                "message", "and", "exit"] for line in lines)
    if not command:
        assert any("显示版本号并退出 / show hbkit's version number and exit" in line for line in lines)


def test_wrapped_usage_lines_line_up_under_the_first_option(capsys) -> None:  # type: ignore[no-untyped-def]
    """The usage of hbkit backtest takes four lines: the wrapped ones start where [-h]
    does on the first, in a terminal's columns (用法 takes four)."""
    assert main(["backtest", "--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = _width(lines[0][:lines[0].index("[-h]")])
    wrapped = lines[1:lines.index("")]
    assert len(wrapped) >= 2
    assert all(len(line) - len(line.lstrip()) == start for line in wrapped)


def test_a_usage_error_prints_the_bilingual_usage(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["assess"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("用法 / usage: hbkit assess [-h]")
    assert "hbkit assess: 错误 / error: 缺少必需的参数 / the following arguments are required: DATA" in err


def _options() -> list[tuple[str, str, str, str]]:
    """(subcommand, option, metavar, help) of every argument of every subcommand but -h."""
    import argparse

    from hbkit.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out = []
    for name, sub in commands.choices.items():
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            option = action.option_strings[0] if action.option_strings else action.dest
            out.append((name, option, str(action.metavar or ""), str(action.help)))
    return out


def test_every_option_is_chinese_first_with_its_default_in_both_halves() -> None:
    """A Chinese analyst reads every option's help: Chinese first, then `` / `` and the
    English; a default the English states is stated in the Chinese too (默认)."""
    unread = []
    for command, option, _, text in _options():
        zh, sep, en = text.partition(" / ") if " / " in text else text.partition("/ ")
        if not (sep and re.search(r"[\u4e00-\u9fff]", zh)):
            unread.append((command, option, "not 中文 / English", text))
        elif "default" in en and "默认" not in zh:
            unread.append((command, option, "default in English only", text))
    assert unread == []


def test_the_same_option_reads_the_same_in_every_subcommand() -> None:
    """--seed, the data argument, --catalogue, --out and --lang are worded alike wherever
    they appear: the same help (or the same opening), the same placeholder."""
    options = _options()

    def of(option: str) -> dict[str, tuple[str, str]]:
        return {command: (metavar, text) for command, name, metavar, text in options
                if name == option}

    seeds = of("--seed")
    assert set(seeds) == {"assess", "backtest"} and len(set(seeds.values())) == 1
    assert "随机数种子" in seeds["assess"][1] and "默认：0" in seeds["assess"][1]
    data = of("data") | of("file")  # validate's argument is called file
    assert set(data) == {"assess", "validate", "backtest"}
    assert {metavar for metavar, _ in data.values()} == {"DATA"}
    assert all(text.startswith("观测数据文件 (.csv, .xlsx)") for _, text in data.values())
    catalogues = of("--catalogue")
    assert {metavar for metavar, _ in catalogues.values()} == {"FILE"}
    assert all(text.endswith("the shipped catalogue of both plans") for _, text in
               catalogues.values())
    assert {metavar for metavar, _ in of("--out").values()} == {"DIR"}
    assert all("默认：zh" in text and "default: zh" in text for _, text in of("--lang").values())
