"""Deadlines -> text for people, JSON for tools, iCalendar (RFC 5545) for calendars.

The calendar is made by the `icalendar` library. Each event's UID comes from the
agreement, the kind of deadline and the spec field (never the date), so importing
a newer calendar updates an event instead of adding a second one; its DTSTAMP is
the spec version's date (or SOURCE_DATE_EPOCH), so the same specs give the same bytes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from . import __version__
from .report import inert

if TYPE_CHECKING:  # imported where a calendar is made: every other command starts faster
    import icalendar

    from .deadlines import Deadline

FORMATS = ("text", "json", "ics")


def render(deadlines: Sequence[Deadline], *, fmt: str) -> str:
    """Format deadlines (already sorted and filtered) in one of FORMATS."""
    if fmt == "json":
        return as_json(deadlines)
    if fmt == "ics":
        return as_ics(deadlines).decode("utf-8")
    return as_text(deadlines)


def as_text(deadlines: Sequence[Deadline]) -> str:
    """Two lines per deadline: date, what and agreement; then who, clause and place."""
    if not deadlines:
        return "Inga datum i den valda perioden."
    lines: list[str] = []
    for d in deadlines:
        lines.append(f"{d.day}  {d.label} – {d.title} ({d.spec_id})")
        lines.append(f"            ansvarig: {_who(d.responsible)}")
        lines.append(f"            {_clause(d)}")
    lines.append(f"Totalt {len(deadlines)} datum.")
    return "\n".join(lines)


def _who(names: Sequence[str]) -> str:
    if len(names) <= 3:
        return ", ".join(names)
    return f"{', '.join(names[:2])} m.fl. ({len(names)} parter)"


def _clause(d: Deadline) -> str:
    where = f"{d.location.file}:{d.location.line}" if d.location.line else d.location.file
    clause = f"{d.clause}, " if d.clause else ""
    return f"{clause}{d.location.pointer} ({where})"


def as_dicts(deadlines: Sequence[Deadline]) -> list[dict[str, object]]:
    """Plain data for JSON: one mapping per deadline."""
    return [
        {
            "date": d.day.isoformat(),
            "kind": d.kind,
            "label": d.label,
            "agreement": d.spec_id,
            "title": d.title,
            "version": d.version,
            "responsible": list(d.responsible),
            "clause": d.clause,
            "pointer": d.location.pointer,
            "file": d.location.file,
            "line": d.location.line,
            "uid": d.uid,
        }
        for d in deadlines
    ]


def as_json(deadlines: Sequence[Deadline]) -> str:
    """A JSON document with every deadline."""
    return json.dumps({"deadlines": as_dicts(deadlines)}, ensure_ascii=False, indent=2)


def stamp(spec_date: str) -> datetime:
    """An event's DTSTAMP: SOURCE_DATE_EPOCH when set, else midnight UTC of the spec date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.fromisoformat(spec_date).replace(tzinfo=UTC)


def as_ics(deadlines: Sequence[Deadline]) -> bytes:
    """An iCalendar file with one all-day event per deadline."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//avtal//avtal {__version__}//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Avtalsfrister")
    for d in deadlines:
        calendar.add_component(_event(d))
    if not deadlines:
        calendar.add_component(_swedish_time())
    data: bytes = calendar.to_ical()
    return data


def _swedish_time() -> icalendar.Timezone:
    """Swedish time by its EU rules (CEST from the last Sunday of March, CET from the last
    Sunday of October). RFC 5545 wants at least one component in a calendar, so a
    calendar without deadlines holds this one instead of none; it does not depend on the
    machine's time zone data, so the file stays the same everywhere."""
    import icalendar

    zone = icalendar.Timezone()
    zone.add("tzid", "Europe/Stockholm")
    for kind, name, month, before, after, start in (
        (icalendar.TimezoneDaylight, "CEST", 3, 1, 2, datetime(1996, 3, 31, 2)),
        (icalendar.TimezoneStandard, "CET", 10, 2, 1, datetime(1996, 10, 27, 3)),
    ):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", timedelta(hours=before))
        part.add("tzoffsetto", timedelta(hours=after))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone



# A colon before another: a folded line of a calendar could start with it (a runner
# trims the fold's space and reads ”::warning::…” as a command), so no two colons stand
# together in a calendar's text.
_COLONS = re.compile(":(?=:)")


def _inert(text: str) -> str:
    """Spec text for a calendar printed in a CI log: as report.inert makes it (no
    ”##[”/”##vso[”, no hidden characters), and no ”::” anywhere, so that wherever the
    calendar folds a line, no line starts a workflow command."""
    return _COLONS.sub(":\u2060", inert(text))


def _event(d: Deadline) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", _inert(d.uid))
    event.add("dtstamp", stamp(d.spec_date))
    event.add("last-modified", stamp(d.spec_date))
    event.add("dtstart", d.day)
    event.add("dtend", d.day + timedelta(days=1))
    event.add("summary", _inert(f"{d.label}: {d.title}"))
    event.add(
        "description",
        _inert("\n".join(
            (
                f"Avtal: {d.title} ({d.spec_id}, version {d.version})",
                f"Ansvarig: {', '.join(d.responsible)}",
                f"Källa: {_clause(d)}",
            )
        )),
    )
    event.add("categories", [d.kind])
    event.add("transp", "TRANSPARENT")
    return event
