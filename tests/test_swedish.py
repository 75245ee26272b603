"""argparse's own texts are Swedish: usage, section titles, help flags and errors."""

from __future__ import annotations

import argparse

import pytest

from generator.cli import _parser, main
from generator.swedish import swedish_error

ENGLISH = ("usage:", "options", "positional arguments", "show this help", "error:",
           "invalid choice", "the following arguments", "unrecognized", "expected one")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", [None, *sorted(_subparsers(_parser()))])
def test_every_help_text_is_swedish(command: str | None) -> None:
    parser = _parser() if command is None else _subparsers(_parser())[command]
    text = parser.format_help()
    assert text.startswith("användning: avtal")
    assert "flaggor:" in text
    for english in ENGLISH:
        assert english not in text, english
    for action in parser._actions:
        assert action.help, f"{command}: {action.option_strings or action.dest} saknar hjälptext"


@pytest.mark.parametrize(
    ("argv", "swedish"),
    [
        (["bygg"], "avtal: fel: argument KOMMANDO: ogiltigt val 'bygg' (välj bland"),
        (["new"], "avtal new: fel: följande argument saknas: SLAG, ID"),
        (["check", "--nej"], "avtal: fel: okända argument: --nej"),
        (["diff", "--git"], "avtal diff: fel: argument --git: ett värde behövs"),
        (["build", "--jobs", "0"], "avtal build: fel: argument --jobs/-j: '0' är inget heltal"),
    ],
)
def test_usage_errors_are_swedish(argv: list[str], swedish: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("användning: avtal")
    assert swedish in err


def test_an_unknown_message_is_left_as_it_is() -> None:
    assert swedish_error("något helt eget") == "något helt eget"
    assert swedish_error("unrecognized arguments: -x") == "okända argument: -x"
