"""The `avtal` command: the only place that prints or exits. Each command is thin."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, report
from .errors import AvtalError, EnvironmentProblem, Issue
from .load import find_specs
from .pipeline import validate_files

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except FileNotFoundError as err:
        print(f"avtal: sökvägen finns inte: {err}", file=sys.stderr)
        return EXIT_USAGE
    except EnvironmentProblem as err:
        print(f"avtal: {err}", file=sys.stderr)
        return EXIT_USAGE
    except AvtalError as err:
        print(f"avtal: {err}", file=sys.stderr)
        return EXIT_INVALID


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="avtal",
        description="Avtal som kod: kontrollera och bygg avtal mellan kommuner och regioner.",
    )
    parser.add_argument("--version", action="version", version=f"avtal {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    validate = commands.add_parser(
        "validate", help="kontrollera specifikationernas form mot schemat"
    )
    _add_paths(validate)
    _add_format(validate)
    validate.set_defaults(func=_validate)
    return parser


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", type=Path, default=[Path("specs")], metavar="SÖKVÄG",
        help="specifikationsfiler eller mappar (standard: specs/)",
    )


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=report.FORMATS, default="text",
        help="utdata: text (standard), json eller github (annoteringar i GitHub Actions)",
    )


def _validate(args: argparse.Namespace) -> int:
    files = find_specs(args.paths)
    if not files:
        print("avtal: inga specifikationer (*.yaml) hittades", file=sys.stderr)
        return EXIT_USAGE
    issues: list[Issue] = validate_files(files)
    print(report.render(issues, files=len(files), fmt=args.format))
    return EXIT_INVALID if any(i.severity.value == "error" for i in issues) else EXIT_OK
