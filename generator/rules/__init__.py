"""Legal and completeness rules: one small function per rule, each with a stable id.

A rule looks at a schema-valid spec and yields Findings (a JSON pointer and a Swedish
message). The engine turns them into Issues with severity, source and file:line. A
spec may silence a rule in `rule_exceptions`, with a written justification; silenced
findings are kept (and shown in the checklist), never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import Issue
from ..load import Spec
from . import (  # noqa: F401  (each module registers its rules)
    avtalstid,
    beslut,
    catalogue,
    checklista,
    delegering,
    hanvisningar,
    klausuler,
    lagar,
    lagkrav,
    lagrum,
    namn,
    plikter,
    prosa,
    relationer,
    sok,
    structure,
    tal,
    upphandling,
    utskott,
    vem,
)
from .registry import (
    ALL_KINDS,
    AVTALSSAMVERKAN,
    FORM_CODES,
    RULES,
    Finding,
    Rule,
    personal_data,
    rule,
)

__all__ = [
    "ALL_KINDS",
    "AVTALSSAMVERKAN",
    "FORM_CODES",
    "RULES",
    "Finding",
    "Outcome",
    "Rule",
    "personal_data",
    "rule",
    "run_rules",
]


@dataclass(frozen=True)
class Outcome:
    """All findings of all rules on one spec, split into active and silenced."""

    issues: tuple[Issue, ...]
    silenced: tuple[tuple[Issue, str], ...]


def run_rules(spec: Spec) -> Outcome:
    """Run every rule on a schema-valid spec."""
    exceptions = {e["rule"]: e["justification"] for e in spec.data.get("rule_exceptions", [])}
    active: list[Issue] = []
    silenced: list[tuple[Issue, str]] = []
    kind = str(spec.data["kind"])
    with prosa.indexed(spec.data):
        for item in sorted(RULES.values(), key=lambda r: r.id):
            if kind in item.kinds:
                _findings(spec, item, exceptions, active, silenced)
    active.extend(_unknown_exceptions(spec))
    return Outcome(tuple(sorted(active, key=lambda i: i.sort_key)), tuple(silenced))


def _findings(
    spec: Spec, item: Rule, exceptions: dict[str, str],
    active: list[Issue], silenced: list[tuple[Issue, str]],
) -> None:
    """One rule's findings on the spec, each active or silenced by a rule exception."""
    for finding in item.check(spec):
        issue = Issue(
            spec.locate(finding.pointer),
            finding.message,
            code=item.id,
            severity=item.severity,
            source=item.source,
        )
        if item.id in exceptions:
            silenced.append((issue, exceptions[item.id]))
        else:
            active.append(issue)


def _unknown_exceptions(spec: Spec) -> Iterable[Issue]:
    for index, item in enumerate(spec.data.get("rule_exceptions", [])):
        if item["rule"] in FORM_CODES:
            yield Issue(
                spec.locate(f"/rule_exceptions/{index}/rule"),
                f"{item['rule']} är en kontroll av specifikationens form och kan inte "
                "tystas; rätta uppgiften i stället",
                code="rule_exceptions",
            )
        elif item["rule"] not in RULES:
            known = ", ".join(sorted(RULES))
            yield Issue(
                spec.locate(f"/rule_exceptions/{index}/rule"),
                f"det finns ingen regel med id {item['rule']}; kända regler: {known}",
                code="rule_exceptions",
            )
