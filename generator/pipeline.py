"""The orchestrator: the only module that knows the order of the stages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from . import deadlines as dl
from . import privacy
from .consistency import FILE_NAME_MESSAGE, TEXT_MESSAGE, has_personnummer, personnummer
from .diff import Change, diff_specs
from .documents import AGREEMENT_NAMES, Document, agreement_documents, documents
from .errors import AvtalError, Issue, Location, Severity, SpecError
from .load import Spec, load_spec, parse_spec
from .model import build_agreements
from .parties import PartySource
from .provenance import records
from .reader import read_limited
from .review import Amount, amounts, change_findings, deciding_organs, facts, warnings
from .rules import Outcome, run_rules
from .theme import PLAIN, Theme
from .validate import validate

_HEADING = re.compile(r"^# § (\d+) (.+)$")
_UNESCAPE = re.compile(r"\\(.)")


def read_and_validate(
    path: Path, *, parties: PartySource | None = None
) -> tuple[Spec | None, list[Issue]]:
    """Load one spec (its party references read through `parties`, the repository's
    registry) and collect its problems; an unreadable file is one issue."""
    try:
        spec = load_spec(path, parties=parties)
    except SpecError as err:
        return None, [Issue(err.location or Location(str(path)), err.message, code="load")]
    return spec, validate(spec)


def validate_files(paths: Iterable[Path], *, parties: PartySource | None = None) -> list[Issue]:
    """Problems in all given files, collected before any is reported."""
    issues: list[Issue] = []
    for path in paths:
        issues.extend(read_and_validate(path, parties=parties)[1])
    return issues


def check(
    path: Path,
    read: tuple[Spec | None, list[Issue]] | None = None,
    *,
    parties: PartySource | None = None,
) -> tuple[Spec | None, list[Issue], Outcome]:
    """Schema and form first (`read`: read_and_validate's result when already known);
    the legal rules only on a spec that passed them."""
    spec, issues = read or read_and_validate(path, parties=parties)
    if spec is None or any(i.code == "schema" for i in issues):
        return spec, issues, Outcome((), ())
    try:
        outcome = run_rules(spec)  # rules need schema-valid data, not flawless form
    except (LookupError, RuntimeError, ValueError, TypeError):
        if not any(i.severity is Severity.ERROR for i in issues):
            raise  # a bug of ours: the spec is flawless
        # A rule met a reference the form checks already report as broken (an organ
        # or party id that is not there): those errors say what to fix.
        outcome = Outcome((), ())
    return spec, sorted(issues + list(outcome.issues), key=lambda i: i.sort_key), outcome


def check_files(
    paths: Iterable[Path],
    *,
    parties: PartySource | None = None,
    today: date | None = None,
    notice_days: int = 90,
    theme: Theme = PLAIN,
) -> list[Issue]:
    """Schema, form and rule problems in all given files; for a spec without errors, the
    texts its documents (rendered with `theme`) would mark as missing, as the build
    reports them; with `today`, deadline warnings."""
    issues: list[Issue] = []
    first: dict[str, str] = {}  # each id and the spec that has it first
    for path in paths:
        spec, found, _ = check(path, parties=parties)
        issues.extend(found)
        if spec is None or _has_errors(found):
            continue
        taken = id_taken(spec, first)
        if taken is not None:
            issues.append(taken)
            continue
        issues.extend(missing_in_documents(spec, theme, found))
        if today is not None:
            issues.extend(deadline_warnings(spec, today=today, notice_days=notice_days))
    return sorted(issues, key=lambda i: i.sort_key)


def id_taken(spec: Spec, first: dict[str, str]) -> Issue | None:
    """An error when a spec met before (in `first`, by id) has this spec's id: both
    would be built to the same folder; else None, and the id is added to `first`."""
    spec_id = str(spec.data.get("id", ""))
    if spec_id and spec_id in first:
        message = (
            f"id ”{spec_id}” används redan av {first[spec_id]}; två avtal kan inte "
            "byggas till samma mapp. Ge specifikationen ett eget id"
        )
        return Issue(spec.locate("/id"), message, code="id")
    first.setdefault(spec_id, spec.path)
    return None


def missing_in_documents(
    spec: Spec, theme: Theme = PLAIN, said: Iterable[Issue] = ()
) -> list[Issue]:
    """The texts the documents need but the spec lacks (each a ”Uppgift saknas” in a
    document) and no issue `said` already covers, or the template error that stops a
    document, as the build says them."""
    try:
        return documents(spec, theme=theme, said=said)[1]
    except AvtalError as err:
        return [Issue(err.location or Location(spec.path), err.message, code="build")]


def _has_errors(issues: Iterable[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)


def deadline_warnings(spec: Spec, *, today: date, notice_days: int) -> list[Issue]:
    """Notice deadlines close to `today`, and deadlines passed without a new version."""
    horizon = today + timedelta(days=notice_days)
    found = dl.derive(spec, until=horizon)
    spec_date = str(spec.data["date"])
    return dl.warnings(found, today=today, notice_days=notice_days, spec_date=spec_date)


def spec_deadlines(
    spec: Spec, *, until: date, clauses: Mapping[str, str] | None = None
) -> list[dl.Deadline]:
    """A valid spec's deadlines, each with the numbered clause of the agreement it is in
    (`clauses`: agreement_clauses' result when the agreement is already rendered)."""
    clauses = agreement_clauses(spec) if clauses is None else clauses
    return [replace(d, clause=clauses.get(d.section, "")) for d in dl.derive(spec, until=until)]


def agreement_clauses(spec: Spec) -> dict[str, str]:
    """Section key -> "§ N Heading" in the spec's (first) rendered agreement."""
    try:
        agreements = build_agreements(spec)[:1]
        doc = next(agreement_documents(agreements, spec_path=spec.path, locate=spec.locate))
    except AvtalError:
        return {}
    return clauses_of(doc)


def clauses_of(doc: Document) -> dict[str, str]:
    """Section key -> "§ N Heading" in a rendered agreement."""
    numbers: dict[str, int] = dict(doc.record)["sections"]
    headings = {number: title for title, number in section_numbers(doc.markdown).items()}
    return {key: f"§ {n} {headings.get(f'§ {n}', '')}".rstrip() for key, n in numbers.items()}


def collect_deadlines(
    paths: Iterable[Path], *, until: date, parties: PartySource | None = None
) -> tuple[list[dl.Deadline], list[Issue]]:
    """Deadlines of every valid spec, soonest first, and the errors of the invalid ones."""
    found: list[dl.Deadline] = []
    problems: list[Issue] = []
    for path in paths:
        spec, issues = read_and_validate(path, parties=parties)
        errors = [i for i in issues if i.severity is Severity.ERROR]
        if spec is None or errors:
            problems.extend(errors)
            continue
        found.extend(spec_deadlines(spec, until=until))
    return sorted(found, key=lambda d: d.sort_key), problems


@dataclass(frozen=True)
class Comparison:
    """Two versions of one spec: the semantic changes and the rendered texts."""

    name: str
    old: Spec | None
    new: Spec | None
    changes: tuple[Change, ...]
    numbers: Mapping[str, str]
    texts: tuple[tuple[str, str, str], ...]  # (document, old Markdown, new Markdown)
    amounts: tuple[Amount, ...] = ()  # each party's share before and after
    organs: tuple[str, ...] = ()  # the organs that must decide again
    warnings: tuple[str, ...] = ()  # where the new version does not fit its change
    facts: tuple[tuple[str, str], ...] = ()  # what an added or removed spec is
    renamed_from: str = ""  # the spec's name before, when git found it renamed
    problem: str = ""  # why a version could not be read (then nothing is compared)


def unreadable(name: str, err: AvtalError) -> Comparison:
    """A spec whose old or new version cannot be read: its problem, nothing compared."""
    where = err.location
    line = f"rad {where.line}: " if where is not None and where.line else ""
    return Comparison(name, None, None, (), {}, (), problem=f"{line}{err.message}")


def parse_version(
    data: bytes | None, name: str, *, parties: PartySource | None = None
) -> Spec | None:
    """A spec from bytes, checked against the schema; None when absent. Party
    references are read through `parties` (the same revision's party files)."""
    if data is None:
        return None
    spec = parse_spec(data, name, parties=parties)
    problems = [i for i in validate(spec) if i.severity is Severity.ERROR]
    if problems:
        raise SpecError(
            f"versionen går inte att jämföra: {problems[0].message}", problems[0].location
        )
    return spec


def change_issues(old: Spec, new: Spec) -> list[Issue]:
    """Warnings where a spec does not fit its change since an earlier version of it:
    a material change under the same version, or a status that says it is decided."""
    return [
        Issue(new.locate(f.pointer), f.message, code=f.code, severity=Severity.WARNING)
        for f in change_findings(old, new, changes_between(old, new))
    ]


# What identifies a version rather than says something: a change of these alone leaves
# the decided text as it was.
ADMINISTRATIVE = ("$schema", "version", "date", "status", "diarienummer")


def changes_between(old: Spec, new: Spec) -> list[Change]:
    """The changes from `old` to `new`; none needs a new decision when the documents the
    organs decide on (the agreements) read the same apart from the version's own data."""
    changes = diff_specs(old, new)
    if any(c.needs_approval for c in changes) and not decided_text_changed(old, new):
        return [replace(c, needs_approval=False) for c in changes]
    return changes


def decided_text_changed(old: Spec, new: Spec) -> bool:
    """True when an agreement of `new` reads otherwise than the same agreement of `old`,
    the version, date, status and diarienummer aside."""
    data = {k: v for k, v in new.data.items() if k not in ADMINISTRATIVE}
    data.update({k: old.data[k] for k in ADMINISTRATIVE if k in old.data})
    same_name = new.path  # the documents may name their spec file
    return _decided_texts(old, same_name) != _decided_texts(replace(new, data=data), same_name)


def _decided_texts(spec: Spec, name: str) -> list[str]:
    agreements = build_agreements(spec)
    return [d.markdown for d in agreement_documents(agreements, spec_path=name,
                                                    locate=spec.locate)]


class UnknownParty(AvtalError):
    """`avtal explain --party` names no party of the spec (a usage error)."""


def explain(
    spec: Spec, *, document: str = "avtal", party: str | None = None
) -> list[tuple[str, list[dict[str, Any]]]]:
    """The sentences of a valid spec's documents of one kind (the agreement, each
    tjänsteutlåtande or each beslut), for one party when `party` is given, each with the
    spec fields and lines it comes from: ("<folder>/<name>", records) per document."""
    ids = [str(p["id"]) for p in spec.data["parties"]]
    if party is not None and party not in ids:
        raise UnknownParty(f"parten {party} finns inte i {spec.path}; välj bland {', '.join(ids)}")
    found = []
    for doc in documents(spec)[0]:
        if doc.locate is None or not _of_kind(doc.name, document):
            continue
        below = doc.folder.split("/")[1:]  # the counterparty, or party[/organ]
        if party is not None and below and below[0] != party:
            continue
        found.append((f"{doc.folder}/{doc.name}", records(doc.sentences, doc.locate)))
    return found


def _of_kind(name: str, kind: str) -> bool:
    if kind == "avtal":
        return name in AGREEMENT_NAMES
    return name == kind or name.startswith(f"{kind}-")


def rendered(spec: Spec) -> dict[str, str]:
    """Every document a spec yields, as Markdown by "<folder>/<name>"."""
    return {f"{d.folder}/{d.name}": d.markdown for d in documents(spec)[0]}


def compare(
    old: Spec | None, new: Spec | None, name: str, *, renamed_from: str = ""
) -> Comparison:
    """Semantic changes between two versions, and their rendered documents side by side."""
    old_docs = rendered(old) if old else {}
    new_docs = rendered(new) if new else {}
    texts = tuple(
        (key, old_docs.get(key, ""), new_docs.get(key, ""))
        for key in dict.fromkeys([*new_docs, *old_docs])
        if old_docs.get(key, "") != new_docs.get(key, "")
    )
    agreement = next(
        (md for key, md in new_docs.items() if key.rsplit("/", 1)[-1] in AGREEMENT_NAMES), ""
    )
    numbers = section_numbers(agreement)
    if old is None or new is None:
        only = new or old
        return Comparison(name, old, new, (), numbers, texts, facts=facts(only) if only else (),
                          renamed_from=renamed_from)
    changes = tuple(sorted(changes_between(old, new), key=lambda c: _rank(c.section, numbers)))
    material = any(c.needs_approval for c in changes)
    return Comparison(
        name,
        old,
        new,
        changes,
        numbers,
        texts,
        amounts=amounts(old, new),
        organs=deciding_organs(new) if material else (),
        warnings=warnings(old, new, changes),
        renamed_from=renamed_from,
    )


def _rank(section: str, numbers: Mapping[str, str]) -> int:
    """Changes in the order of the agreement's sections; title and version first."""
    if section in numbers:
        return int(numbers[section].removeprefix("§ "))
    return 0 if section in ("Rubrik", "Version och status") else 10_000


def section_numbers(markdown: str) -> dict[str, str]:
    """Heading title -> "§ N" in a rendered agreement."""
    numbers: dict[str, str] = {}
    for line in markdown.splitlines():
        match = _HEADING.match(line)
        if match:
            numbers[_UNESCAPE.sub(r"\1", match.group(2))] = f"§ {match.group(1)}"
    return numbers


# Team template files that are text (a Word template is not read for personnummer).
_TEXT_SUFFIXES = (".j2", ".lua", ".typst", ".md", ".css", ".html", ".txt", ".yaml", ".yml")


def repository_issues(
    parties: Path, *, config: Path | None = None, templates: Path | None = None
) -> list[Issue]:
    """What `check` finds in the repository besides its specs: every party file in the
    registry, used by a spec or not (one that cannot be read, and any personnummer in
    it or its name), and personnummer in avtal.toml and the team's templates."""
    issues: list[Issue] = []
    for path in sorted(parties.glob("*.yaml")) if parties.is_dir() else []:
        try:
            party = parse_spec(read_limited(path), str(path))
        except SpecError as err:
            issues.append(Issue(err.location or Location(str(path)), err.message, code="load"))
            continue
        issues.extend(personnummer(party))
    texts = [config] if config is not None else []
    if templates is not None and templates.is_dir():
        texts += sorted(p for p in templates.rglob("*") if p.suffix in _TEXT_SUFFIXES)
    for path in texts:
        issues.extend(_text_personnummer(path))
    return issues


def _text_personnummer(path: Path) -> list[Issue]:
    try:
        text = read_limited(path).decode("utf-8", errors="replace")
    except SpecError as err:
        return [Issue(err.location or Location(str(path)), err.message, code="load")]
    found = [Issue(Location(str(path)), FILE_NAME_MESSAGE, code="form")] if has_personnummer(
        path.name) else []
    return found + [
        Issue(Location(str(path), place.line, place.column), TEXT_MESSAGE, code="form")
        for place in privacy.find(text)
    ]
