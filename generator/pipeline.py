"""The orchestrator: the only module that knows the order of the stages."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import Issue, Location, SpecError
from .load import Spec, load_spec
from .rules import Outcome, run_rules
from .validate import validate


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
