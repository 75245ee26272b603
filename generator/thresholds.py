"""Direct procurement thresholds (direktupphandlingsgränser) as dated data.

The amounts live in generator/data/thresholds.yaml, one period per row with its source.
The limit that applies is the one in force on the day the procurement question is
decided; a day no period covers has no limit here (the rule LOU-DIREKT-GRANS makes that
an error naming the data file), never the limit of another period, unless the spec
gives one with its source (procurement.direct_award_limit; LOU-GRANS-EGEN warns).
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

DATA_FILE = "generator/data/thresholds.yaml"
CATEGORIES = ("ovriga", "sociala_tjanster")


@dataclass(frozen=True)
class Period:
    """The limits in force from one day to another, and where they were published."""

    start: date
    end: date
    amounts: Mapping[str, int]
    source: str

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Limit:
    """The limit for one category on one day."""

    day: date
    category: str
    amount: int
    source: str
    from_spec: bool = False  # procurement.direct_award_limit, for a day the data lacks


@cache
def periods() -> tuple[Period, ...]:
    """Every period of the data file, in date order."""
    try:
        text = resources.files("generator").joinpath("data/thresholds.yaml").read_text("utf-8")
        rows = yaml.safe_load(text)["periods"]
        found = tuple(
            Period(r["from"], r["to"], {c: int(r[c]) for c in CATEGORIES}, str(r["source"]))
            for r in rows
        )
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as err:
        raise EnvironmentProblem(
            f"direktupphandlingsgränserna i {DATA_FILE} saknas eller är felaktiga ({err}); "
            "installera om avtal"
        ) from err
    return tuple(sorted(found, key=lambda p: p.start))


def coverage() -> tuple[date, date] | None:
    """The first and last day the data covers."""
    spans = periods()
    return (spans[0].start, spans[-1].end) if spans else None


def limit(day: date, category: str) -> Limit | None:
    """The limit in force on a day, or None when no period covers it."""
    for period in periods():
        if period.covers(day):
            return Limit(day, category, period.amounts[category], period.source)
    return None


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


def for_spec(data: Mapping[str, Any]) -> Limit | None:
    """The direct award limit for a spec's procurement, on its decision day: from the
    data file, else the spec's own (direct_award_limit, with its source), else None."""
    procurement = data.get("procurement", {})
    day, _ = decision_day(data)
    category = str(procurement.get("service_category", "ovriga"))
    found = limit(day, category)
    own = procurement.get("direct_award_limit")
    if found is not None or not isinstance(own, Mapping):
        return found
    return Limit(day, category, int(own["amount"]), str(own["source"]), from_spec=True)
