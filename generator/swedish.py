"""argparse in Swedish: usage line, section titles, help and version flags, and the
errors argparse itself raises (the tool's own texts are Swedish already)."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

# argparse's own error texts (Python 3.11-3.13) -> Swedish; tried in order.
_ERRORS = (
    (r"the following arguments are required: (.*)", r"följande argument saknas: \1"),
    (r"unrecognized arguments: (.*)", r"okända argument: \1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)",
     r"argument \1: ogiltigt val \2 (välj bland \3)"),
    (r"argument (.*?): expected one argument", r"argument \1: ett värde behövs"),
    (r"argument (.*?): expected at least one argument", r"argument \1: minst ett värde behövs"),
    (r"argument (.*?): expected (\d+) arguments?", r"argument \1: \2 värden behövs"),
    (r"argument (.*?): invalid (\S+) value: (.*)", r"argument \1: ogiltigt värde \3"),
    (r"argument (.*?): not allowed with argument (.*)", r"argument \1: går inte ihop med \2"),
    (r"ambiguous option: (.*?) could match (.*)", r"flaggan \1 är tvetydig; den kan vara \2"),
    (r"argument (.*?): ignored explicit argument (.*)", r"argument \1: värdet \2 hör inte hit"),
)


def swedish_error(message: str) -> str:
    """argparse's English error message in Swedish (unchanged when it is already ours)."""
    for pattern, replacement in _ERRORS:
        if re.fullmatch(pattern, message, re.S):
            return re.sub(pattern, replacement, message, flags=re.S)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class SwedishParser(argparse.ArgumentParser):
    """An ArgumentParser whose every text is Swedish; its subcommands are too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS,
            help="visa den här hjälpen och avsluta",
        )

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in Swedish; exit 2 (a usage problem)."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {swedish_error(message)}\n")
