"""The orchestrator: the only module that knows the order of the stages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .diff import Change, diff_specs
from .documents import AGREEMENT_NAMES, documents
from .errors import Issue, Location, Severity, SpecError
from .load import Spec, load_spec, parse_spec
from .rules import Outcome, run_rules
from .validate import validate

_HEADING = re.compile(r"^# § (\d+) (.+)$")
_UNESCAPE = re.compile(r"\\(.)")


def read_and_validate(path: Path) -> tuple[Spec | None, list[Issue]]:
    """Load one spec and collect its problems; an unreadable file is one issue."""
    try:
        spec = load_spec(path)
    except SpecError as err:
        return None, [Issue(err.location or Location(str(path)), err.message, code="load")]
    return spec, validate(spec)


def validate_files(paths: Iterable[Path]) -> list[Issue]:
    """Problems in all given files, collected before any is reported."""
    issues: list[Issue] = []
    for path in paths:
        issues.extend(read_and_validate(path)[1])
    return issues


def check(path: Path) -> tuple[Spec | None, list[Issue], Outcome]:
    """Schema and form first; the legal rules only on a spec that passed them."""
    spec, issues = read_and_validate(path)
    if spec is None or any(i.code == "schema" for i in issues):
        return spec, issues, Outcome((), ())
    outcome = run_rules(spec)  # rules need schema-valid data, not flawless form
    return spec, sorted(issues + list(outcome.issues), key=lambda i: i.sort_key), outcome


def check_files(paths: Iterable[Path]) -> list[Issue]:
    """Schema, form and rule problems in all given files."""
    issues: list[Issue] = []
    for path in paths:
        issues.extend(check(path)[1])
    return issues


@dataclass(frozen=True)
class Comparison:
    """Two versions of one spec: the semantic changes and the rendered texts."""

    name: str
    old: Spec | None
    new: Spec | None
    changes: tuple[Change, ...]
    numbers: Mapping[str, str]
    texts: tuple[tuple[str, str, str], ...]  # (document, old Markdown, new Markdown)


def parse_version(data: bytes | None, name: str) -> Spec | None:
    """A spec from bytes, checked against the schema; None when absent."""
    if data is None:
        return None
    spec = parse_spec(data, name)
    problems = [i for i in validate(spec) if i.severity is Severity.ERROR]
    if problems:
        raise SpecError(
            f"versionen går inte att jämföra: {problems[0].message}", problems[0].location
        )
    return spec


def compare(old: Spec | None, new: Spec | None, name: str) -> Comparison:
    """Semantic changes between two versions, and their rendered documents side by side."""
    old_docs = {f"{d.folder}/{d.name}": d.markdown for d in (documents(old)[0] if old else [])}
    new_docs = {f"{d.folder}/{d.name}": d.markdown for d in (documents(new)[0] if new else [])}
    texts = tuple(
        (key, old_docs.get(key, ""), new_docs.get(key, ""))
        for key in dict.fromkeys([*new_docs, *old_docs])
        if old_docs.get(key, "") != new_docs.get(key, "")
    )
    agreement = next(
        (md for key, md in new_docs.items() if key.rsplit("/", 1)[-1] in AGREEMENT_NAMES), ""
    )
    numbers = section_numbers(agreement)
    changes = tuple(
        sorted(diff_specs(old, new), key=lambda c: _rank(c.section, numbers)) if old and new else ()
    )
    return Comparison(name, old, new, changes, numbers, texts)


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
