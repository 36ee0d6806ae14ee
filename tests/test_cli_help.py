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
