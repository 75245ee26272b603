"""The completeness checklist: SKR's method guide and the minimum agreement content,
each item ticked against the spec (✓), failed (✗) or not applicable (–).

Items name the spec fields that satisfy them and the rules that test them; their
Swedish labels live in templates/checklista.md.j2.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Issue, Location, Severity
from .load import Spec
from .rules import Outcome
from .rules.checklista import ITEMS, SOK_ITEMS, Item, expected, item_for, items_for, present

__all__ = ["ITEMS", "SOK_ITEMS", "Item", "Result", "evaluate", "items_for"]


@dataclass(frozen=True)
class Result:
    """An item's state: ✓, ✗ or –, with where it is satisfied and what failed."""

    item: Item
    status: str
    places: tuple[Location, ...]
    missing: tuple[str, ...]
    failed: tuple[Issue, ...]
    silenced: tuple[tuple[Issue, str], ...]


def evaluate(spec: Spec, outcome: Outcome) -> tuple[Result, ...]:
    """Tick every checklist item against a spec and its rule outcome."""
    return tuple(_evaluate(item, spec, outcome) for item in items_for(spec))


def _evaluate(item: Item, spec: Spec, outcome: Outcome) -> Result:
    places: list[Location] = []
    missing: list[str] = []
    for pattern in item.fields:
        hits = present(spec.data, pattern)
        places.extend(spec.locate(h) for h in hits)
        if len(hits) < expected(spec.data, pattern):
            missing.append(pattern)
    mine = [i for i in outcome.issues if _belongs(spec, item, i)]
    failed = tuple(i for i in mine if i.severity is not Severity.INFO)
    silenced = tuple((i, why) for i, why in outcome.silenced if _belongs(spec, item, i))
    # One source with check: ✗ exactly when check has a warning or error for the item.
    status = "✗" if failed else "–" if missing else "✓"
    return Result(item, status, tuple(places), tuple(missing), failed, silenced)


def _belongs(spec: Spec, item: Item, issue: Issue) -> bool:
    return item in item_for(spec, issue.code, issue.location.pointer)
