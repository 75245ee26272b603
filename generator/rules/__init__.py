"""Legal and completeness rules: one small function per rule, each with a stable id.

A rule looks at a schema-valid spec and yields Findings (a JSON pointer and a Swedish
message). The engine turns them into Issues with severity, source and file:line. A
spec may silence a rule in `rule_exceptions`, with a written justification; silenced
findings are kept (and shown in the checklist), never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import Issue, Severity
from ..load import Spec


@dataclass(frozen=True)
class Finding:
    """What a rule found: where, and what to do about it."""

    pointer: str
    message: str


@dataclass(frozen=True)
class Rule:
    """A rule with a stable id, a severity, the source it rests on, and its check."""

    id: str
    severity: Severity
    source: str
    title: str
    check: Callable[[Spec], Iterable[Finding]]
    kinds: tuple[str, ...]


RULES: dict[str, Rule] = {}
# Codes of the checks of form (generator.consistency): shown like rules, never silenced.
FORM_CODES = frozenset({"EKON-ANDELAR"})


AVTALSSAMVERKAN = ("avtalssamverkan",)
ALL_KINDS = ("avtalssamverkan", "samverkansoverenskommelse")


def rule(
    rule_id: str,
    severity: Severity,
    source: str,
    title: str,
    *,
    kinds: tuple[str, ...] = AVTALSSAMVERKAN,
) -> Callable[[Callable[[Spec], Iterable[Finding]]], Callable[[Spec], Iterable[Finding]]]:
    """Register a rule function under a stable id, for the kinds of agreement it concerns."""

    def register(check: Callable[[Spec], Iterable[Finding]]) -> Callable[[Spec], Iterable[Finding]]:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, source, title, check, kinds)
        return check

    return register


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
    for item in sorted(RULES.values(), key=lambda r: r.id):
        if kind not in item.kinds:
            continue
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
    active.extend(_unknown_exceptions(spec))
    return Outcome(tuple(sorted(active, key=lambda i: i.sort_key)), tuple(silenced))


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


def personal_data(spec: Spec) -> dict[str, Any]:
    """The spec's personal-data block, or an empty one when the agreement says nothing
    about personal data (the rule GDPR-SAKNAS then warns)."""
    block: dict[str, Any] = spec.data.get("information", {}).get("personal_data", {})
    return block


from . import (  # noqa: E402, F401  (registers the rules)
    avtalstid,
    beslut,
    catalogue,
    hanvisningar,
    klausuler,
    lagar,
    namn,
    sok,
    structure,
)
