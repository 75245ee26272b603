"""The `avtal` command: the only place that prints or exits. Each command is thin."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__, report
from .errors import AvtalError, EnvironmentProblem, Issue
from .load import find_specs
from .build import DEFAULT_FORMATS, FORMATS, Options, SpecResult, build_all
from .pipeline import check_files, validate_files

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
    check = commands.add_parser(
        "check", help="kontrollera form och juridiska regler (med källor)"
    )
    _add_paths(check)
    _add_format(check)
    check.add_argument("--strict", action="store_true", help="varningar räknas som fel")
    check.set_defaults(func=_check)
    build = commands.add_parser("build", help="bygg avtal som PDF/A, DOCX och Markdown")
    _add_paths(build)
    build.add_argument(
        "--format", default=",".join(DEFAULT_FORMATS), type=_formats, metavar="FORMAT",
        help=f"kommaseparerade utdataformat av {', '.join(FORMATS)} "
        f"(standard: {','.join(DEFAULT_FORMATS)})",
    )
    build.add_argument("--out", type=Path, default=Path("build"), help="utdatamapp (standard: build/)")
    build.add_argument("--jobs", "-j", type=int, default=1, help="antal parallella processer")
    build.add_argument("--strict", action="store_true",
                       help="varningar (t.ex. saknade analyser) räknas som fel")
    build.set_defaults(func=_build)
    return parser


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"okänt format {', '.join(unknown) or '(tomt)'}; välj bland {', '.join(FORMATS)}"
        )
    return chosen


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
    return _report_on(args, validate_files, strict=False)


def _check(args: argparse.Namespace) -> int:
    return _report_on(args, check_files, strict=args.strict)


def _report_on(args: argparse.Namespace, run: Callable[[list[Path]], list[Issue]], *,
               strict: bool) -> int:
    files = find_specs(args.paths)
    if not files:
        print("avtal: inga specifikationer (*.yaml) hittades", file=sys.stderr)
        return EXIT_USAGE
    issues = run(files)
    print(report.render(issues, files=len(files), fmt=args.format))
    failing = ("error", "warning") if strict else ("error",)
    return EXIT_INVALID if any(i.severity.value in failing for i in issues) else EXIT_OK


def _build(args: argparse.Namespace) -> int:
    files = find_specs(args.paths)
    if not files:
        print("avtal: inga specifikationer (*.yaml) hittades", file=sys.stderr)
        return EXIT_USAGE
    options = Options(out=args.out, formats=args.format, strict=args.strict)
    results: list[SpecResult] = []
    progress = _Progress(len(files))
    for result in build_all(files, options, jobs=max(1, args.jobs)):
        results.append(result)
        progress.step(result)
    progress.done()
    issues = [i for r in results for i in r.issues if i.severity.value != "info"]
    if issues:
        print(report.as_text(issues, files=len(files)).rsplit("\n", 1)[0], file=sys.stderr)
    failed = [r for r in results if r.failed]
    written = sum(len(r.written) for r in results)
    unchanged = sum(len(r.unchanged) for r in results)
    print(
        f"{len(results) - len(failed)} av {len(results)} specifikationer byggda: "
        f"{written} filer skrivna, {unchanged} oförändrade"
        + (f", {len(failed)} misslyckades" if failed else "") + "."
    )
    return EXIT_INVALID if failed else EXIT_OK


class _Progress:
    """A one-line progress bar on a terminal, plain lines elsewhere (CI logs)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.tty = sys.stderr.isatty()

    def step(self, result: SpecResult) -> None:
        self.count += 1
        state = "FEL" if result.failed else f"{len(result.written)} skrivna"
        if self.tty:
            filled = int(30 * self.count / self.total)
            bar = "#" * filled + "-" * (30 - filled)
            print(f"\r[{bar}] {self.count}/{self.total} {result.path}"[:100].ljust(100),
                  end="", file=sys.stderr, flush=True)
        else:
            print(f"[{self.count}/{self.total}] {result.path}: {state}", file=sys.stderr)

    def done(self) -> None:
        if self.tty:
            print(file=sys.stderr)
