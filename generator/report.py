"""Issues -> text for people, JSON for tools, annotations for GitHub Actions."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .errors import Issue, Severity

SEVERITY_WORDS = {Severity.ERROR: "fel", Severity.WARNING: "varning", Severity.INFO: "info"}
FORMATS = ("text", "json", "github")


def render(issues: Sequence[Issue], *, files: int, fmt: str) -> str:
    """Format all issues of a run in one of FORMATS."""
    if fmt == "json":
        return as_json(issues, files=files)
    if fmt == "github":
        return as_github(issues)
    return as_text(issues, files=files)


def as_text(issues: Sequence[Issue], *, files: int) -> str:
    """One line per issue, `file:line:col: /pointer: message`, then a summary."""
    lines = [_text_line(issue) for issue in issues]
    lines.append(summary(issues, files=files))
    return "\n".join(lines)


def _text_line(issue: Issue) -> str:
    loc = issue.location
    pointer = f" {loc.pointer}:" if loc.pointer else ""
    prefix = "" if issue.severity is Severity.ERROR else f" {SEVERITY_WORDS[issue.severity]}:"
    return f"{loc}:{pointer}{prefix} {_body(issue)}"


def _body(issue: Issue) -> str:
    """The message with its rule id in front and its source after, when it has them."""
    code = "" if issue.code in ("schema", "form", "load") else f"[{issue.code}] "
    source = f" (källa: {issue.source})" if issue.source else ""
    return f"{code}{issue.message}{source}"


def summary(issues: Sequence[Issue], *, files: int) -> str:
    """A closing line in Swedish: how many files, errors and warnings."""
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = sum(1 for i in issues if i.severity is Severity.WARNING)
    bad = len({i.location.file for i in issues if i.severity is Severity.ERROR})
    checked = f"{files} {'fil kontrollerad' if files == 1 else 'filer kontrollerade'}"
    if not errors and not warnings:
        return f"{checked}: inga fel."
    return f"{checked}: {errors} fel i {bad} {'fil' if bad == 1 else 'filer'}, {warnings} varningar."


def as_json(issues: Sequence[Issue], *, files: int) -> str:
    """A JSON document with every issue and the counts."""
    payload = {
        "files": files,
        "errors": sum(1 for i in issues if i.severity is Severity.ERROR),
        "warnings": sum(1 for i in issues if i.severity is Severity.WARNING),
        "issues": [
            {
                "file": i.location.file,
                "line": i.location.line,
                "column": i.location.column,
                "pointer": i.location.pointer,
                "severity": i.severity.value,
                "code": i.code,
                "message": i.message,
                "source": i.source,
            }
            for i in issues
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def as_github(issues: Sequence[Issue]) -> str:
    """GitHub Actions workflow commands, one annotation per issue."""
    return "\n".join(_annotation(issue) for issue in issues)


def _annotation(issue: Issue) -> str:
    level = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(issue.severity, "notice")
    loc = issue.location
    props = f"file={_escape_property(loc.file)}"
    if loc.line:
        props += f",line={loc.line},col={loc.column}"
    title = _escape_property(loc.pointer or issue.code)
    return f"::{level} {props},title={title}::{_escape_data(_body(issue))}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
