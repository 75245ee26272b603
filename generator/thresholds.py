"""Direct procurement thresholds (direktupphandlingsgränser) as dated data.

The amounts live in generator/data/thresholds.yaml, each with its source, in two kinds:
an amount the law fixes (700 000 kr for goods and ordinary services since 1 February
2022), which holds from its first day until the law changes, and an amount that is the
EU threshold of a two-year period (social and other specific services, bilaga 2 LOU).
The limit that applies is the one in force on the day the procurement question is
decided. A day no row covers has no limit here, and a period whose amount in kronor is
not entered yet names where it is published (the rule LOU-DIREKT-GRANS makes both an
error), never the limit of another period, unless the spec gives one with its source
(procurement.direct_award_limit; LOU-GRANS-EGEN warns).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .errors import EnvironmentProblem
from .model import decision_blocks
from .resources import parse_data

DATA_FILE = "generator/data/thresholds.yaml"
CATEGORIES = ("ovriga", "sociala_tjanster")


@dataclass(frozen=True)
class Period:
    """One amount in force from one day to another (end None: until the law changes),
    and where it is set; amount None while only the euro value is known."""

    category: str
    start: date
    end: date | None
    amount: int | None
    source: str
    eur: int | None = None
    published: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Limit:
    """The limit for one category on one day."""

    day: date
    category: str
    amount: int
    source: str
    from_spec: bool = False  # procurement.direct_award_limit, for a day the data lacks


def _rows(data: Mapping[str, Any]) -> tuple[Period, ...]:
    found = [
        Period(category, r["from"], None, int(r["amount"]), str(r["source"]))
        for category, rows in data["fixed"].items() for r in rows
    ]
    found += [
        Period(category, r["from"], r["to"], int(r["amount"]) if "amount" in r else None,
               str(r["source"]), int(r["eur"]) if "eur" in r else None,
               " ".join(str(r.get("published", "")).split()))
        for category, rows in data["periods"].items() for r in rows
    ]
    if {p.category for p in found} != set(CATEGORIES):
        raise KeyError(f"kategorierna ska vara {', '.join(CATEGORIES)}")
    return tuple(sorted(found, key=lambda p: (p.category, p.start)))


@cache
def periods() -> tuple[Period, ...]:
    """Every row of the data file, by category and first day."""
    try:
        text = resources.files("generator").joinpath("data/thresholds.yaml").read_text("utf-8")
        return _rows(parse_data(text))
    except (OSError, KeyError, TypeError, ValueError, AttributeError, yaml.YAMLError) as err:
        raise EnvironmentProblem(
            f"direktupphandlingsgränserna i {DATA_FILE} saknas eller är felaktiga ({err}); "
            "installera om avtal"
        ) from err


def _of(category: str) -> list[Period]:
    return [p for p in periods() if p.category == category]


def coverage(category: str = "sociala_tjanster") -> tuple[date, date | None] | None:
    """The first and last day (None: no end) the data gives an amount in kronor for."""
    known = [p for p in _of(category) if p.amount is not None]
    if not known:
        return None
    return known[0].start, known[-1].end


def period(day: date, category: str) -> Period | None:
    """The row in force on a day; a fixed amount holds until a later one starts."""
    found = [p for p in _of(category) if p.covers(day)]
    return found[-1] if found else None


def limit(day: date, category: str) -> Limit | None:
    """The limit in kronor in force on a day, or None when the data has none for it."""
    found = period(day, category)
    if found is None or found.amount is None:
        return None
    return Limit(day, category, found.amount, found.source)


def decision_day(data: Mapping[str, Any]) -> tuple[date, str]:
    """The day the procurement question is decided, and the spec field that gives it:
    procurement.decided_on, else the first meeting of a deciding organ, else the date."""
    procurement = data.get("procurement", {})
    if "decided_on" in procurement:
        return _day(procurement["decided_on"]), "/procurement/decided_on"
    meetings = [
        (_day(block["meeting_date"]), f"/parties/{i}/{where}/meeting_date")
        for i, party in enumerate(data.get("parties", []))
        for where, block in decision_blocks(party)
        if "meeting_date" in block
    ]
    if meetings:
        return min(meetings)
    return _day(data["date"]), "/date"


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def category_of(data: Mapping[str, Any]) -> str:
    return str(data.get("procurement", {}).get("service_category", "ovriga"))


def for_spec(data: Mapping[str, Any]) -> Limit | None:
    """The direct award limit for a spec's procurement, on its decision day: from the
    data file, else the spec's own (direct_award_limit, with its source), else None."""
    procurement = data.get("procurement", {})
    day, _ = decision_day(data)
    category = category_of(data)
    found = limit(day, category)
    own = procurement.get("direct_award_limit")
    if found is not None or not isinstance(own, Mapping):
        return found
    return Limit(day, category, int(own["amount"]), str(own["source"]), from_spec=True)
