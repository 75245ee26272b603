"""The rule registry: what a rule is, and the decorator that registers one.

The rule modules import this module, never the package above them, so that the
package can import them without a circle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import Severity
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


def nature(spec: Spec) -> str | None:
    """What the cooperation is (myndighetsutovning, insatser or bada), or None when the
    agreement does not say (the rule AVTAL-DELEGERING-SAKNAS then warns)."""
    value = spec.data.get("delegation", {}).get("nature")
    return None if value is None else str(value)


def personal_data(spec: Spec) -> dict[str, Any]:
    """The spec's personal-data block, or an empty one when the agreement says nothing
    about personal data (the rule GDPR-SAKNAS then warns)."""
    block: dict[str, Any] = spec.data.get("information", {}).get("personal_data", {})
    return block
