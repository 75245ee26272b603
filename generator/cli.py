"""The `avtal` command: the only place that prints or exits. Each command is thin."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, agenda, provenance, report
from .build import (
    DEFAULT_FORMATS,
    ENVIRONMENT,
    FORMATS,
    Options,
    SpecResult,
    Step,
    build_all,
    write_overview,
    write_redlines,
)
from .config import (
    EARLIEST_DAY,
    LATEST_DAY,
    MAX_DAYS,
    Config,
    ConfigError,
    bounded_day,
    reference_date,
)
from .errors import (
    AvtalError,
    EnvironmentProblem,
    Issue,
    Severity,
    environment_message,
    shown,
)
from .gitio import (
    Version,
    changed_files,
    changed_specs,
    history,
    read_version,
    short,
    split_range,
    tracked,
    where,
)
from .load import find_specs, party_references, read_limited
from .privacy import has_personnummer
from .repository import Repository, open_repository
from .scaffold import CI_FILES, KINDS, ScaffoldError, init_repository, new_spec, stale_schema
from .swedish import SwedishParser
from .transaction import OutputRefused, write_whole

if TYPE_CHECKING:  # the stages are imported by the commands that use them: each command
    # starts with what it needs (a build with nothing to do reads no spec)
    from .pipeline import Comparison

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # as a shell reports a program ended by Ctrl-C


# Said when the default specs folder is missing: most likely not in a spec repository.
_NO_REPOSITORY = (
    "; gå till avtalsförrådets mapp, skapa ett här med avtal init, eller ange specifikationerna"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    output: Path | None = getattr(args, "output", None)
    if output is None:
        return _run(args)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = _run(args)
    if code == EXIT_INTERRUPTED:
        return code
    repo: Repository | None = getattr(args, "repo", None)
    try:
        write_whole(output, printed.getvalue(), inside=repo.root if repo else Path.cwd())
    except OutputRefused as err:
        _say(f"avtal: {err}", err=True)
        return max(code, EXIT_INVALID)
    except OSError as err:
        _say(f"avtal: {environment_message(err)}", err=True)
        return EXIT_USAGE
    return code


def _run(args: argparse.Namespace) -> int:
    """The command the arguments name; its exit code."""
    try:
        args.repo = open_repository(Path.cwd(), config_file=args.config_file)
        code: int = args.func(args)
        return code
    except BrokenPipeError:
        return _reader_left()
    except FileNotFoundError as err:
        hint = "" if getattr(args, "paths", True) else _NO_REPOSITORY
        _say(f"avtal: sökvägen finns inte: {err}{hint}", err=True)
        return EXIT_USAGE
    except (EnvironmentProblem, _Usage, ScaffoldError) as err:
        _say(f"avtal: {err}", err=True)
        return EXIT_USAGE
    except OSError as err:  # writing redlines, the overview page: the disk, not the spec
        _say(f"avtal: {environment_message(err)}", err=True)
        return EXIT_USAGE
    except AvtalError as err:
        _stopped_by(args, err)
        return EXIT_INVALID
    except KeyboardInterrupt:
        # The output folders are swapped in whole, so none is half-written; a staging
        # folder left behind is removed by the next build (transaction.recover).
        _say("avtal: avbrutet; inget dokument har skrivits till hälften", err=True)
        return EXIT_INTERRUPTED


# The report formats a CI reads: an error that stops the command must reach it too.
_CI_FORMATS = ("github", "gitlab", "azure")


def _stopped_by(args: argparse.Namespace, err: AvtalError) -> None:
    """An error that stops the command (avtal.toml wrong, a party file unreadable): a
    line on stderr and, where the command reports in a CI's format, that CI's annotation
    at its file and line (a CI shows the pull request nothing else)."""
    where = err.location
    if where is not None and where.file and getattr(args, "format", "") in _CI_FORMATS:
        where = replace(where, file=str(shown(Path(where.file))))
        code = "avtal.toml" if isinstance(err, ConfigError) else "avtal"
        print(report.render([Issue(where, err.message, code=code)], files=0, fmt=args.format))
    _say(f"avtal: {err}", err=True)


def _say(text: str, *, err: bool = False) -> None:
    """Print a line: nothing in it (a file or party name) can be a CI command or control."""
    print(report.inert(text), file=sys.stderr if err else sys.stdout)


def _author(name: str) -> str:
    """A git author's name for the revisions of a redline, or "" when it holds
    something that looks like a personnummer (the redline is a document too)."""
    if not has_personnummer(name):
        return name
    _say("avtal: varning: ett författarnamn i git innehåller något som ser ut som ett "
         "personnummer; ändringarna i redline står utan det namnet", err=True)
    return ""


def _reader_left() -> int:
    """The reader of our output (`| head`) closed the pipe: stop quietly, as cat does."""
    # Point stdout at nothing, so the interpreter's last flush cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_INVALID


def _parser() -> argparse.ArgumentParser:
    parser = SwedishParser(
        prog="avtal",
        description="Avtal som kod: kontrollera och bygg avtal mellan kommuner och regioner.",
        epilog="Slutkoder: 0 allt gick bra; 1 något i specifikationerna eller avtal.toml "
        "är fel (med --strict också en varning); 2 fel användning av kommandot eller fel i "
        "miljön (en sökväg som inte finns, git eller disken).",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"avtal {__version__}",
        help="visa versionen och avsluta",
    )
    parser.add_argument(
        "--config",
        dest="config_file",
        type=Path,
        metavar="FIL",
        help="förrådets avtal.toml (standard: avtal.toml i den aktuella mappen eller "
        "närmaste mapp ovanför)",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="KOMMANDO", help="vad avtal ska göra"
    )
    validate = commands.add_parser(
        "validate", help="kontrollera specifikationernas form mot schemat"
    )
    _add_paths(validate)
    _add_format(validate)
    _add_output(validate)
    validate.set_defaults(func=_validate)
    check = commands.add_parser("check", help="kontrollera form och juridiska regler (med källor)")
    _add_paths(check)
    _add_format(check)
    _add_output(check)
    check.add_argument("--strict", action="store_true", help="varningar räknas som fel")
    check.add_argument(
        "--git",
        metavar="REV",
        help="varna också där en specifikation inte stämmer med sin ändring sedan REV "
        "(samma version eller status beslutad efter en ändring i sak, ny part utan beslut)",
    )
    check.add_argument(
        "--notice-days",
        type=_days,
        metavar="DAGAR",
        help="varna när sista dag för uppsägning före förlängning är högst så här "
        "många dagar bort (standard: notice_days i avtal.toml, annars 90)",
    )
    _add_today(check)
    check.set_defaults(func=_check)
    deadlines = commands.add_parser(
        "deadlines", help="datum som följer av avtalen: uppsägning, avtalstidens slut, beslut m.m."
    )
    _add_paths(deadlines)
    deadlines.add_argument(
        "--from",
        dest="start",
        type=_date,
        metavar="DATUM",
        help="visa datum från och med DATUM, ÅÅÅÅ-MM-DD (standard: i dag)",
    )
    deadlines.add_argument(
        "--within",
        type=_horizon,
        metavar="DAGAR",
        help="visa bara datum högst DAGAR efter startdatumet "
        "(utan: återkommande datum visas ett år framåt)",
    )
    deadlines.add_argument(
        "--format",
        choices=agenda.FORMATS,
        default="text",
        help="utdata: text (standard), json eller ics (kalender)",
    )
    _add_today(deadlines)
    _add_output(deadlines)
    deadlines.set_defaults(func=_deadlines)
    diff = commands.add_parser(
        "diff", help="vad en ändring betyder för avtalet: ändringslista, textdiff och redline"
    )
    diff.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="SÖKVÄG",
        help="två specifikationer (GAMMAL NY), eller med --git: filer/mappar",
    )
    diff.add_argument("--git", metavar="REV", help="jämför arbetskopian med REV, eller REV1..REV2")
    diff.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="utdata: text (standard), markdown eller json",
    )
    diff.add_argument("--text", action="store_true", help="visa också ändrade stycken i dokumenten")
    diff.add_argument(
        "--limit",
        type=_count,
        default=report.COMMENT_LIMIT,
        metavar="TECKEN",
        help="markdown: korta detaljerna så att allt ryms i så många tecken, 0 för ingen gräns "
        f"(standard: {report.COMMENT_LIMIT}, GitHubs gräns för en kommentar)",
    )
    diff.add_argument(
        "--details-url",
        default="",
        metavar="URL",
        help="markdown: länk till hela jämförelsen när detaljerna har kortats",
    )
    diff.add_argument(
        "--redline",
        action="store_true",
        help="skriv redline-<gammal>-<ny>.docx och .pdf under --out",
    )
    diff.add_argument(
        "--out", type=Path, default=Path("build"), metavar="MAPP", help="mapp för redline"
    )
    diff.add_argument(
        "--author", metavar="NAMN", help="författare till ändringarna i redline (standard: git)"
    )
    diff.add_argument(
        "--date", metavar="DATUM", help="datum för ändringarna, ÅÅÅÅ-MM-DD (standard: git/specen)"
    )
    _add_output(diff)
    diff.set_defaults(func=_diff)
    textconv = commands.add_parser(
        "textconv", help="avtalets text för git diff (textconv-drivrutin)"
    )
    textconv.add_argument("path", type=Path, metavar="FIL", help="specifikationen att visa")
    textconv.set_defaults(func=_textconv)
    build = commands.add_parser("build", help="bygg avtal som PDF/A, DOCX och Markdown")
    _add_paths(build)
    build.add_argument(
        "--format",
        type=_formats,
        metavar="FORMAT",
        help=f"kommaseparerade utdataformat av {', '.join(FORMATS)} "
        f"(standard: formats i avtal.toml, annars {','.join(DEFAULT_FORMATS)})",
    )
    build.add_argument(
        "--out",
        type=Path,
        metavar="MAPP",
        help="utdatamapp (standard: out i avtal.toml, annars build/)",
    )
    build.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=None,
        metavar="ANTAL",
        help="antal dokument som konverteras samtidigt (standard: en per processorkärna)",
    )
    build.add_argument(
        "--strict", action="store_true", help="varningar (t.ex. saknade analyser) räknas som fel"
    )
    _add_today(build)
    build.set_defaults(func=_build)
    explain = commands.add_parser(
        "explain", help="visa varifrån i specifikationen varje mening i ett dokument kommer"
    )
    explain.add_argument("path", metavar="SPEC", type=Path, help="specifikationen")
    explain.add_argument(
        "--document",
        choices=provenance.EXPLAINED,
        default="avtal",
        help="avtalet (standard), tjänsteutlåtandena eller besluten",
    )
    explain.add_argument("--party", metavar="ID", help="bara partens dokument (eller avtal)")
    explain.add_argument(
        "--format", choices=("text", "json"), default="text", help="utdataformat (standard text)"
    )
    explain.set_defaults(func=_explain)
    init = commands.add_parser(
        "init", help="skapa ett nytt avtalsförråd (specs/, parties/, avtal.toml, CI)"
    )
    init.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="MAPP",
        help="mappen att skapa förrådet i (standard: den aktuella)",
    )
    init.add_argument(
        "--ci",
        type=_ci_names,
        default=("github",),
        metavar="CI",
        help=f"kommaseparerade CI-tjänster att skriva konfiguration för, av "
        f"{', '.join(CI_FILES)} (standard: github)",
    )
    init.set_defaults(func=_init)
    new = commands.add_parser("new", help="skriv en ny specifikation att fylla i")
    new.add_argument(
        "kind", choices=KINDS, metavar="SLAG", help=f"avtalets slag: {', '.join(KINDS)}"
    )
    new.add_argument(
        "spec_id", metavar="ID", help="avtalets id, t.ex. familjeratt-norr (blir filnamnet)"
    )
    new.add_argument(
        "--parter",
        type=_party_ids,
        default=("part-1", "part-2"),
        metavar="ID,ID[,ID…]",
        help="parternas id, två eller fler; i en samverkansöverenskommelse regionen "
        "först (standard: part-1,part-2)",
    )
    new.set_defaults(func=_new)
    return parser


def _party_ids(text: str) -> tuple[str, ...]:
    ids = [t.strip() for t in text.split(",") if t.strip()]
    if len(ids) < 2 or len(set(ids)) != len(ids):
        raise argparse.ArgumentTypeError(
            f"ange minst två olika id med komma emellan, inte {text!r}"
        )
    return tuple(ids)


# What init did to a file, as the line that says so.
_INIT_SAID = {
    "added": "lade till",
    "completed": "kompletterade",
    "updated": "uppdaterade",
    "kept": "behöll (fanns redan)",
}


def _init(args: argparse.Namespace) -> int:
    done = init_repository(args.folder, ci=args.ci)
    for what, said in _INIT_SAID.items():
        for path in getattr(done, what):
            _say(f"{said} {path}", err=True)
    _say(f"Avtalsförrådet i {args.folder} är klart. Nästa steg: avtal new avtalssamverkan ID")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    repo = _repo(args)
    path = new_spec(
        args.kind, args.spec_id, specs=shown(repo.config.specs), parties=args.parter,
        root=repo.root, registry=repo.parties_at(None),
    )
    _say(f"skrev {path}; fyll i fälten som är märkta FYLL I och kör avtal check {path}")
    return EXIT_OK


def _some_of(allowed: Sequence[str], what: str) -> Callable[[str], tuple[str, ...]]:
    """An argparse type: a comma-separated choice among `allowed` (`what` names one)."""

    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
        unknown = [f for f in chosen if f not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(
                f"{what} {', '.join(unknown) or '(tomt)'}; välj bland {', '.join(allowed)}"
            )
        return chosen

    return parse


_formats = _some_of(FORMATS, "okänt format")
_ci_names = _some_of(tuple(CI_FILES), "okänd CI-tjänst")


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="SÖKVÄG",
        help="specifikationsfiler eller mappar (standard: specs i avtal.toml, annars specs/)",
    )


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=report.FORMATS,
        default="text",
        help="utdata: text (standard), json, github (annoteringar i GitHub Actions), "
        "gitlab (Code Quality-rapport för GitLab) eller azure (loggkommandon i Azure Pipelines)",
    )


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FIL",
        help="skriv utdata till FIL i stället för till skärmen, hel eller inte alls; en "
        "symbolisk länk där ersätts (följs inte), och en länkad mapp i förrådet vägras",
    )


def _add_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today",
        type=_date,
        metavar="DATUM",
        help="räkna som om i dag vore DATUM, ÅÅÅÅ-MM-DD (standard: miljövariabeln "
        "AVTAL_TODAY, annars SOURCE_DATE_EPOCH, annars dagens datum)",
    )


def _date(text: str) -> date:
    try:
        return bounded_day(date.fromisoformat(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} är inget datum från {EARLIEST_DAY.year} till {LATEST_DAY.year}; skriv "
            "ÅÅÅÅ-MM-DD, t.ex. 2027-01-31"
        ) from None


def _whole_number(minimum: int, what: str, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from `minimum` (to `maximum`), else `what` in the
    message."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"{text!r} är {what}")
        return value

    return parse


_days = _whole_number(0, f"inget antal dagar (ett heltal från 0 till {MAX_DAYS})", MAX_DAYS)
_horizon = _whole_number(0, "inget antal dagar (ett heltal från 0 till 36500)", 36_500)
_positive = _whole_number(1, "inget heltal som är minst 1")
_count = _whole_number(0, "inget heltal som är 0 eller mer")


def _today(args: argparse.Namespace) -> date:
    try:
        return args.today or reference_date()
    except ValueError as err:
        raise _Usage(str(err)) from None


def _deadlines(args: argparse.Namespace) -> int:
    from .deadlines import within
    from .pipeline import collect_deadlines

    files, parties = _with_party_users(args, find_specs(_spec_paths(args)))
    if not files and parties:
        _say(f"avtal: ingen specifikation använder {', '.join(parties)}; inget att kontrollera")
        return EXIT_OK
    if not files:
        print("avtal: inga specifikationer (*.yaml) hittades", file=sys.stderr)
        return EXIT_USAGE
    start = args.start or _today(args)
    horizon = start + timedelta(days=args.within if args.within is not None else 365)
    found, problems = collect_deadlines(files, until=horizon, parties=_repo(args).parties)
    if problems:
        print(report.as_text(problems, files=len(files)), file=sys.stderr)
    # Without --within, series already stop at the horizon; single dates all show.
    shown = within(found, start=start, days=args.within)
    if args.format == "ics":
        print(agenda.as_ics(shown).decode("utf-8"), end="")
    else:
        _say(agenda.render(shown, fmt=args.format))
    return EXIT_INVALID if problems else EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .pipeline import validate_files

    return _report_on(args, partial(validate_files, parties=_repo(args).parties), strict=False)


def _check(args: argparse.Namespace) -> int:
    from .pipeline import check_files, repository_issues

    repo = _repo(args)
    config = repo.config
    notice_days = config.notice_days if args.notice_days is None else args.notice_days
    checked = partial(
        check_files, parties=repo.parties, today=_today(args), notice_days=notice_days,
        theme=repo.theme,
    )

    def run(paths: list[Path]) -> list[Issue]:
        found = checked(paths) + (_change_issues(paths, args.git, repo) if args.git else [])
        found += stale_schema(repo.root) + repository_issues(
            shown(config.parties),
            config=shown(config.path) if config.path else None,
            templates=shown(config.templates) if config.templates else None,
        )
        # A used party file's problem is found through its spec too: said once.
        once = {(i.location.file, i.location.line, i.location.column, i.message): i
                for i in found}
        return list(once.values())

    return _report_on(args, run, strict=args.strict)


def _change_issues(paths: list[Path], rev: str, repo: Repository) -> list[Issue]:
    """For `check --git REV`: warnings where a spec does not fit its change since REV."""
    from .pipeline import change_issues, parse_version, read_and_validate

    issues: list[Issue] = []
    for path in paths:
        before = read_version(str(path), rev)
        new, problems = read_and_validate(path, parties=repo.parties)
        broken = any(p.severity.value == "error" for p in problems)
        if before.data is None or new is None or broken:
            continue  # a new spec, or one whose own problems come first
        try:
            old = parse_version(before.data, where(before), parties=repo.parties_at(rev))
        except AvtalError:
            continue  # the old version cannot be read: nothing to compare with
        if old is not None:
            issues.extend(change_issues(old, new))
    return issues


def _report_on(
    args: argparse.Namespace, run: Callable[[list[Path]], list[Issue]], *, strict: bool
) -> int:
    files, parties = _with_party_users(args, find_specs(_spec_paths(args)))
    if not files and parties:
        _say(f"avtal: ingen specifikation använder {', '.join(parties)}; inget att kontrollera")
        return EXIT_OK
    if not files:
        print("avtal: inga specifikationer (*.yaml) hittades", file=sys.stderr)
        return EXIT_USAGE
    issues = run(files)
    print(report.render(issues, files=len(files), fmt=args.format))
    if any(i.severity is Severity.ERROR for i in issues):
        return EXIT_INVALID
    return _strict_failure(issues) if strict else EXIT_OK


def _strict_failure(issues: Sequence[Issue]) -> int:
    """Under --strict, fail on the warnings, and say which they are."""
    warnings = [i for i in issues if i.severity is Severity.WARNING]
    if not warnings:
        return EXIT_OK
    print(f"avtal: --strict: {len(warnings)} varning(ar) räknas som fel:", file=sys.stderr)
    for issue in warnings:
        _say(f"  {issue.location}: [{issue.code}] {issue.message}", err=True)
    return EXIT_INVALID


def _with_party_users(args: argparse.Namespace, files: list[Path]) -> tuple[list[Path], list[str]]:
    """Party files named among the paths (as the pre-commit hook names a changed one)
    stand for the specs of the specs folder that refer to them; also the party files."""
    config = _config(args)
    folder = config.parties.resolve()
    named = [p for p in files if p.parent.resolve() == folder]  # the file itself may be a link
    if not named:
        return files, []
    ids = {p.stem for p in named}
    specs = [p for p in files if p not in named]
    for path in find_specs([shown(config.specs)]) if config.specs.is_dir() else []:
        try:
            refers = bool(ids & party_references(read_limited(path), str(path)))
        except AvtalError:
            refers = False  # a spec that cannot be read is reported when it is checked itself
        if refers and path not in specs:
            specs.append(path)
    return specs, [str(p) for p in named]


def _spec_paths(args: argparse.Namespace) -> list[Path]:
    """The paths given, or the configured specs folder."""
    return list(args.paths) or [shown(_config(args).specs)]


def _repo(args: argparse.Namespace) -> Repository:
    """The repository this invocation runs in, found once by main."""
    repo: Repository = args.repo
    return repo


def _config(args: argparse.Namespace) -> Config:
    return _repo(args).config


def _build(args: argparse.Namespace) -> int:
    repo = _repo(args)
    config = repo.config
    files, parties = _with_party_users(args, find_specs(_spec_paths(args)))
    if not files and parties:
        _say(f"avtal: ingen specifikation använder {', '.join(parties)}; inget att kontrollera")
        return EXIT_OK
    if not files:
        print("avtal: inga specifikationer (*.yaml) hittades", file=sys.stderr)
        return EXIT_USAGE
    out = args.out or shown(config.out)
    _check_out(out)
    today = _today(args)  # a wrong AVTAL_TODAY stops the build before it starts
    records = not tracked(out)
    if not records:
        _say(
            f"avtal: varning: git följer filer i {out}; ett tidigare byggs uppgifter där "
            "kan komma från vem som helst, så allt kontrolleras och byggs om. Ta bort mappen "
            f"ur git (git rm -r --cached {out}) och skriv den i .gitignore", err=True)
    options = Options(
        out=out,
        formats=args.format or config.formats,
        strict=args.strict,
        theme=repo.theme,
        parties=repo.parties,
        records=records,
    )
    results: list[SpecResult] = []
    progress = _Progress(len(files))
    for result in build_all(files, options, jobs=args.jobs, progress=progress.document):
        results.append(result)
        progress.step(result)
    progress.done()
    write_overview(results, options, today=today, notice_days=config.notice_days)
    issues = [i for r in results for i in r.issues if i.severity.value != "info"]
    if issues:
        print(report.as_text(issues, files=len(files)).rsplit("\n", 1)[0], file=sys.stderr)
    failed = [r for r in results if r.failed]
    written = sum(len(r.written) for r in results)
    unchanged = sum(len(r.unchanged) for r in results)
    print(
        f"{len(results) - len(failed)} av {len(results)} specifikationer byggda: "
        f"{written} filer skrivna, {unchanged} oförändrade"
        + (f", {len(failed)} misslyckades" if failed else "")
        + "."
    )
    if any(i.code == ENVIRONMENT for r in results for i in r.issues):
        return EXIT_USAGE  # the disk or the tools, not the specs
    # A spec that failed on warnings alone: --strict, and these are why.
    _strict_failure([i for r in failed if not _has_errors(r) for i in r.issues])
    return EXIT_INVALID if failed else EXIT_OK


def _has_errors(result: SpecResult) -> bool:
    return any(i.severity is Severity.ERROR for i in result.issues)


class _Progress:
    """On a terminal, one line telling documents converted of all and the current spec;
    elsewhere (a pipe, a CI log) one plain line per spec."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.tty = sys.stderr.isatty() and not os.environ.get("CI")
        self.shown = False

    def document(self, done: int, total: int, spec: str) -> None:
        if not self.tty:
            return
        filled = int(30 * done / max(total, 1))
        bar = "#" * filled + "-" * (30 - filled)
        width = shutil.get_terminal_size().columns - 1
        name = report.inert(Path(spec).name)
        line = f"\r[{bar}] {done}/{total} dokument, {name}"[:width].ljust(width)
        print(line, end="", file=sys.stderr, flush=True)
        self.shown = True

    def step(self, result: SpecResult) -> None:
        self.count += 1
        if not self.tty:
            state = "FEL" if result.failed else f"{len(result.written)} skrivna"
            _say(f"[{self.count}/{self.total}] {result.path}: {state}", err=True)

    def done(self) -> None:
        if self.shown:
            print(file=sys.stderr)


def _check_out(out: Path) -> None:
    if out.is_symlink():
        raise _Usage(
            f"--out {out} är en symbolisk länk; avtal skriver inte genom länkar. Ange en "
            "vanlig mapp"
        )
    if out.exists() and not out.is_dir():
        raise _Usage(f"--out {out} är ingen mapp; ange en mapp (den skapas om den saknas)")


def _diff(args: argparse.Namespace) -> int:
    from .pipeline import compare, parse_version, unreadable

    if args.redline:
        _check_out(args.out)
    repo = _repo(args)
    comparisons: list[Comparison] = []
    code = EXIT_OK  # a redline that could not be written makes it 1, or 2 for the disk
    for changed in _changed(args):
        try:
            old, new = (_version(args, name, rev) for name, rev in changed.sides)
            comparison = compare(
                parse_version(old.data, where(old), parties=repo.parties_at(old.rev)),
                parse_version(new.data, where(new), parties=repo.parties_at(new.rev)),
                changed.new,
                renamed_from=changed.old if changed.old != changed.new else "",
            )
        except AvtalError as err:
            if not args.git:
                raise
            # One file that cannot be read does not stop the comparison of the others.
            print(f"avtal: {report.inert(str(err))}", file=sys.stderr)
            comparisons.append(unreadable(changed.new, err))
            continue
        comparisons.append(comparison)
        if args.redline and comparison.old and comparison.new:
            code = max(code, _redlines(args, comparison, old, new))
    if args.format == "json":
        print(report.changes_json(comparisons))
    elif args.format == "markdown":
        print(
            report.changes_markdown(
                comparisons, with_text=args.text, limit=args.limit, details_url=args.details_url
            )
        )
    else:
        print(report.changes_text(comparisons, with_text=args.text))
    return code


def _redlines(
    args: argparse.Namespace, comparison: Comparison, old: Version, new: Version
) -> int:
    """Write a comparison's redlines; the exit code: when they cannot be written, said on
    stderr, 1 (or 2 for the disk), and the change list is printed all the same (a pull
    request whose build/<id> is a link hid its whole change summary)."""
    assert comparison.new is not None  # only a change of a spec that is there has one
    labels = _labels(comparison, old, new)
    author = args.author or _author(new.author) or "avtal"
    date = args.date or new.date or str(comparison.new.data["date"])
    try:
        steps = _steps(args, old, new)
        for path in write_redlines(
            comparison, out=args.out, labels=labels, author=author, date=date, steps=steps
        ):
            _say(f"skrev {path}", err=True)
    except (AvtalError, OSError) as err:
        reason = environment_message(err) if isinstance(err, OSError) else str(err)
        _say(f"avtal: redline för {comparison.name} kunde inte skrivas: {reason}", err=True)
        return EXIT_USAGE if isinstance(err, OSError) else EXIT_INVALID
    return EXIT_OK


def _steps(args: argparse.Namespace, old: Version, new: Version) -> list[Step]:
    """For a redline of a commit range, each commit's version of the spec with its
    author and date (unless --author or --date names one for all changes)."""
    from .pipeline import parse_version, rendered

    if not args.git or args.author or args.date or old.rev is None:
        return []
    steps: list[Step] = []
    for version in history(new.path, old.rev, new.rev):
        try:
            parties = _repo(args).parties_at(version.rev)
            spec = parse_version(version.data, where(version), parties=parties)
        except AvtalError:
            continue  # a version that cannot be built: its changes go to the next one
        if spec is not None:
            steps.append(Step(rendered(spec), _author(version.author) or "avtal", version.date))
    return steps


@dataclass(frozen=True)
class _Changed:
    """One spec to compare: its name and revision before and after (rev None: the
    working tree, or the file named on the command line)."""

    old: str
    old_rev: str | None
    new: str
    new_rev: str | None

    @property
    def sides(self) -> tuple[tuple[str, str | None], tuple[str, str | None]]:
        """(name, revision) before and after."""
        return (self.old, self.old_rev), (self.new, self.new_rev)


def _version(args: argparse.Namespace, name: str, rev: str | None) -> Version:
    """One side of a comparison: from git, or the file named on the command line."""
    if args.git:
        return read_version(name, rev)
    return Version(name, None, read_limited(Path(name)), "", "")


def _changed(args: argparse.Namespace) -> list[_Changed]:
    if args.git:
        old_rev, new_rev = split_range(args.git)
        folder = shown(_config(args).parties)
        found = [
            c
            for c in changed_files(old_rev, new_rev, [str(p) for p in args.paths])
            if not Path(c.new).is_relative_to(folder)
        ]
        named = {c.new for c in found}
        users = [n for n in _party_users(args, folder, old_rev, new_rev) if n not in named]
        pairs = [(c.old, c.new) for c in found] + [(n, n) for n in users]
        return [_Changed(a, old_rev, b, new_rev) for a, b in sorted(pairs, key=lambda p: p[1])]
    if len(args.paths) != 2:
        raise _Usage("ange två specifikationer (GAMMAL NY), eller --git REV")
    for path in args.paths:
        if path.is_dir():
            raise _Usage(
                f"{path} är en mapp; ange två specifikationsfiler (GAMMAL NY), eller "
                "--git REV MAPP för att jämföra en mapp mot en git-revision"
            )
    old, new = (str(p) for p in args.paths)
    return [_Changed(old, None, new, None)]


def _party_users(
    args: argparse.Namespace, folder: Path, old_rev: str, new_rev: str | None
) -> list[str]:
    """The specs that refer to a party file changed between the revisions."""
    changed = {Path(n).stem for n in changed_specs(old_rev, new_rev, [str(folder)])}
    if not changed:
        return []
    users = []
    for path in find_specs(_spec_paths(args)):
        for rev in (old_rev, new_rev):
            try:
                data = read_version(str(path), rev).data
                refers = data is not None and bool(changed & party_references(data, str(path)))
            except AvtalError:
                continue  # a spec that cannot be read is compared (and reported) on its own
            if refers:
                users.append(str(path))
                break
    return users


def _labels(comparison: Comparison, old: Version, new: Version) -> tuple[str, str]:
    assert comparison.old is not None and comparison.new is not None
    before, after = str(comparison.old.data["version"]), str(comparison.new.data["version"])
    if before != after:
        return before, after
    if old.rev is None and new.rev is None:
        return Path(old.path).stem, Path(new.path).stem
    return (
        short(old.rev) if old.rev else "arbetskopia",
        short(new.rev) if new.rev else "arbetskopia",
    )


def _explain(args: argparse.Namespace) -> int:
    """Print each sentence of the chosen documents with the spec lines it comes from."""
    from .pipeline import UnknownParty, check, explain

    if not args.path.exists():
        raise FileNotFoundError(str(args.path))
    spec, issues, _ = check(args.path, parties=_repo(args).parties)
    errors = [i for i in issues if i.severity.value == "error"]
    if spec is None or errors:
        print(report.render(errors, files=1, fmt="text"), file=sys.stderr)
        return EXIT_INVALID
    try:
        found = explain(spec, document=args.document, party=args.party)
    except UnknownParty as err:
        raise _Usage(err.message) from err
    if args.format == "json":
        flat = [{"document": doc, **record} for doc, records in found for record in records]
        print(json.dumps(flat, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(provenance.text(doc, records) for doc, records in found))
    return EXIT_OK


def _textconv(args: argparse.Namespace) -> int:
    """Print the rendered agreement (or, for a spec that cannot be rendered, the file)."""
    from .convert import front_matter
    from .diff import plain
    from .documents import AGREEMENT_NAMES
    from .pipeline import compare, parse_version

    try:
        raw = read_limited(args.path)
    except AvtalError as err:
        _say(f"avtal textconv: {err}", err=True)
        return EXIT_OK
    try:
        # git hands over a temporary copy: its parties are the repository's.
        spec = parse_version(raw, str(args.path), parties=_repo(args).parties)
        comparison = compare(None, spec, str(args.path))
    except AvtalError as err:
        _say(f"avtal textconv: {err}", err=True)
        sys.stdout.write(report.inert(raw.decode("utf-8", errors="replace")))
        return EXIT_OK
    for document, _, text in comparison.texts:
        if document.rsplit("/", 1)[-1] not in AGREEMENT_NAMES:
            continue  # git diff shows the agreement; the decision documents follow from it
        _say(f"===== {document} =====")
        # The metadata block holds JSON-quoted escaped Markdown: show its header texts.
        for key, value in front_matter(text).items():
            _say(f"{key}: {value}")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        _say(plain(body))
    return EXIT_OK


class _Usage(AvtalError):
    """Wrong arguments (exit 2)."""
