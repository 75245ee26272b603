"""Spec -> the dated obligations that follow from it: notice deadlines, term ends,
pending decisions, review dates, invoicing and reconciliation periods.

Only dates the spec determines are derived. A spec that says "four meetings a year"
or "report to the council yearly" without a date yields nothing for them: a guessed
date in a calendar is worse than none. Each deadline names the agreement, who is
responsible, and the clause and spec field it comes from.
"""

from __future__ import annotations

from calendar import isleap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import laws
from .errors import Issue, Location, Severity
from .load import Spec
from .model import add_months

# Short Swedish labels of each kind of deadline, as the CLI, calendar and page show them.
LABELS = {
    "start": "Avtalstiden börjar",
    "beslut": "Sammanträde som beslutar om avtalet",
    "forslag": "Sammanträde som lämnar förslag om avtalet till nästa organ",
    "beslutsdatum": "Sista beslutet om överenskommelsen planeras",
    "uppfoljning": "Överenskommelsen ska senast vara uppföljd",
    "rapport": (
        "Styrelsen rapporterar till fullmäktige om avtalssamverkan "
        f"({laws.cite('arlig-redovisning')})"
    ),
    # A samverkansöverenskommelse is no avtalssamverkan: its report is the one it agrees on.
    "redovisning": "Redovisning till fullmäktige som överenskommelsen anger",
    "uppsagning": "Sista dag att säga upp avtalet före förlängning",
    "period": "Avtalsperioden slutar; avtalet förlängs om det inte har sagts upp",
    "forlangningsbar": (
        "Avtalstiden slutar; en förlängning ska vara skriftligt överenskommen dessförinnan"
    ),
    "option": "Sista dag att förlänga avtalet (option)",
    "slut": "Avtalstiden slutar",
    "fakturering": "Ny faktureringsperiod börjar",
    "fakturering_forskott": "Ny faktureringsperiod börjar; den faktureras i förskott",
    "fakturering_efterskott": "Faktureringsperioden slutar; den faktureras i efterskott",
    "avstamning": "Avstämningsperioden slutar; parterna stämmer av utfallet",
}
# Where each kind stands in the agreement: the section key the templates number.
SECTIONS = {
    "start": "avtalstid",
    "beslut": "godkannande",
    "forslag": "godkannande",
    "beslutsdatum": "avtalstid",
    "uppfoljning": "uppfoljning",
    "rapport": "samrad",
    "redovisning": "uppfoljning",
    "uppsagning": "avtalstid",
    "period": "avtalstid",
    "forlangningsbar": "avtalstid",
    "option": "avtalstid",
    "slut": "avtalstid",
    "fakturering": "kostnader",
    "fakturering_forskott": "kostnader",
    "fakturering_efterskott": "kostnader",
    "avstamning": "kostnader",
}
PENDING = ("utkast", "remiss")  # statuses whose decisions are still to be taken
NOTICE_KINDS = ("uppsagning", "option")
# What a passed deadline of each kind means, for the warning that no new version followed.
PASSED = {
    "uppsagning": "sista dagen att säga upp avtalet före förlängning var",
    "forlangningsbar": "avtalstiden slutade (om den inte förlängdes)",
    "option": "sista dagen att förlänga avtalet med optionen var",
    "slut": "avtalstiden slutade",
    "uppfoljning": "överenskommelsen skulle senast vara uppföljd",
}


@dataclass(frozen=True)
class Deadline:
    """One dated obligation of one agreement."""

    day: date
    kind: str
    spec_id: str
    title: str
    responsible: tuple[str, ...]
    location: Location
    section: str
    clause: str = ""  # "§ 3 Avtalstid", when the agreement could be rendered
    occurrence: int = 0  # the n:th of a series (extension periods, invoicing periods)
    version: str = ""
    spec_date: str = ""

    @property
    def label(self) -> str:
        """The Swedish label of the kind."""
        return LABELS[self.kind]

    @property
    def uid(self) -> str:
        """A calendar UID that stays the same when the spec's dates change."""
        pointer = self.location.pointer.strip("/").replace("/", ".")
        return f"{self.spec_id}.{self.kind}.{pointer}.{self.occurrence}@avtal"

    @property
    def sort_key(self) -> tuple[date, str, int, str, int]:
        """Soonest first; then by agreement, kind and place."""
        kinds = list(LABELS)
        return (self.day, self.spec_id, kinds.index(self.kind), self.location.pointer,
                self.occurrence)


def derive(spec: Spec, *, until: date) -> list[Deadline]:
    """Every dated obligation of a schema-valid spec; open-ended series stop after `until`."""
    data = spec.data
    everyone = tuple(str(p["name"]) for p in data["parties"])
    found: list[Deadline] = []

    def add(day: date, kind: str, pointer: str, who: Sequence[str] = everyone, n: int = 0) -> None:
        section = SECTIONS[kind]
        if kind == "rapport" and data["kind"] == "samverkansoverenskommelse":
            section = "uppfoljning"
        found.append(
            Deadline(
                day,
                kind,
                str(data["id"]),
                str(data["title"]),
                tuple(who),
                spec.locate(pointer),
                section,
                occurrence=n,
                version=str(data["version"]),
                spec_date=str(data["date"]),
            )
        )

    for day, kind, pointer, n in _term(data["term"], until=until):
        add(day, kind, pointer, n=n)
    option = _option(data)
    if option is not None:
        add(option[0], "option", "/term/extension/call_months", (option[1],))
    if data["status"] in PENDING:
        for day, who, pointer, final in _meetings(data):
            add(day, "beslut" if final else "forslag", pointer, who)
        if "decision_date" in data:
            add(date.fromisoformat(data["decision_date"]), "beslutsdatum", "/decision_date")
    if "follow_up_date" in data:
        add(date.fromisoformat(data["follow_up_date"]), "uppfoljning", "/follow_up_date")
    last = _last_day(data["term"])
    for day, kind, pointer, n in _economics(data, last=last, until=until):
        add(day, kind, pointer, n=n)
    boards = [str(p["name"]) for p in data["parties"] if p.get("type") in ("kommun", "region")]
    for n, day in enumerate(_yearly_reports(data, last=last, until=until)):
        kind = "rapport" if data.get("kind") == "avtalssamverkan" else "redovisning"
        add(day, kind, "/follow_up/council_report/due", boards, n=n)
    return sorted(found, key=lambda d: d.sort_key)


def _yearly_reports(data: Mapping[str, Any], *, last: date | None, until: date) -> Iterator[date]:
    """The day each year by which the styrelse reports to fullmäktige on its
    avtalssamverkan (9 kap. 38 § KL), when the spec gives it (council_report.due): from
    the first such day after the start, through the year after the agreement's last day
    (the report covers the last year), open-ended series stopping after `until`."""
    report = data.get("follow_up", {}).get("council_report", {})
    if "due" not in report:
        return
    month, day = (int(x) for x in str(report["due"]).split("-"))
    start = date.fromisoformat(data["term"]["start"])
    year = start.year
    while True:
        due = date(year, month, 28 if (month, day) == (2, 29) and not isleap(year) else day)
        if last is not None and due.year > last.year + 1:
            return
        if due > start:
            yield due
            if last is None and due > until:
                return
        year += 1


def _day_before(day: date) -> date:
    return day - timedelta(days=1)


def term_end(term: Mapping[str, Any]) -> date | None:
    """The last day of the first term: from `end`, or the day before start + duration."""
    if "duration_months" in term:
        return _day_before(add_months(date.fromisoformat(term["start"]), term["duration_months"]))
    if "end" in term:
        return date.fromisoformat(term["end"])
    return None


def notice_by(period_end: date, notice_months: int) -> date:
    """The last day to give notice `notice_months` before the day after `period_end`."""
    return _day_before(add_months(period_end + timedelta(days=1), -notice_months))


def _term(term: Mapping[str, Any], *, until: date) -> Iterator[tuple[date, str, str, int]]:
    yield date.fromisoformat(term["start"]), "start", "/term/start", 0
    end = term_end(term)
    if end is None:
        return  # tills vidare: it ends only on notice, and no notice date follows from the spec
    end_pointer = "/term/duration_months" if "duration_months" in term else "/term/end"
    extension = term.get("extension")
    if not extension:
        yield end, "slut", end_pointer, 0
    elif not extension["automatic"]:
        yield end, "forlangningsbar", end_pointer, 0
    else:
        yield from _periods(end, extension, end_pointer, until=until)


def _periods(
    end: date, extension: Mapping[str, Any], end_pointer: str, *, until: date
) -> Iterator[tuple[date, str, str, int]]:
    """Each automatic extension period: its notice deadline and its end, while they last."""
    most = extension.get("max_extensions")
    months = extension["period_months"]
    first_day_after = end + timedelta(days=1)
    k = 0
    while True:
        # From the first term's end, so a period ending on the 31st keeps its month end.
        period_end = _day_before(add_months(first_day_after, k * months))
        pointer = end_pointer if k == 0 else "/term/extension/period_months"
        if most is not None and k == most:
            yield period_end, "slut", "/term/extension/max_extensions", k
            return
        if "notice_months" in extension:
            yield notice_by(period_end, extension["notice_months"]), "uppsagning", (
                "/term/extension/notice_months"
            ), k
        yield period_end, "period", pointer, k
        if most is None and period_end > until:
            return
        k += 1


def _option(data: Mapping[str, Any]) -> tuple[date, str] | None:
    """The last day the holder of a one-sided option may extend the first term, and who
    holds it (later calls depend on the first being made, so they are not dated)."""
    extension = data["term"].get("extension", {})
    end = term_end(data["term"])
    if "holder" not in extension or end is None:
        return None
    holder = next(str(p["name"]) for p in data["parties"] if p["id"] == extension["holder"])
    return notice_by(end, extension["call_months"]), holder


def _last_day(term: Mapping[str, Any]) -> date | None:
    """The last day the agreement can run, if fixed (None: tills vidare or open extensions)."""
    end = term_end(term)
    extension = term.get("extension")
    if end is None or not extension or not extension["automatic"]:
        return end
    if "max_extensions" not in extension:
        return None
    months = extension["period_months"] * extension["max_extensions"]
    return _day_before(add_months(end + timedelta(days=1), months))


def _meetings(data: Mapping[str, Any]) -> Iterator[tuple[date, tuple[str, ...], str, bool]]:
    """Each decision meeting of each party: its deciding organ's, then those of the
    decision path (nämnd, then kommunstyrelsen, then fullmäktige) where there is one;
    with whether it decides (the last of its path) or only proposes."""
    for index, party in enumerate(data["parties"]):
        organs = {o["id"]: o["name"] for o in party.get("organs", [])}
        for pointer, decision in _decisions(party, index):
            steps = decision.get("path", [])
            if "meeting_date" in decision:
                organ = organs.get(decision.get("organ", ""), "")
                yield (
                    date.fromisoformat(decision["meeting_date"]),
                    (_organ_of(party, organ),),
                    f"{pointer}/meeting_date",
                    not steps,
                )
            for step_index, step in enumerate(steps):
                organ = step.get("name") or organs.get(step.get("organ", ""), "")
                yield (
                    date.fromisoformat(step["meeting_date"]),
                    (_organ_of(party, organ),),
                    f"{pointer}/path/{step_index}/meeting_date",
                    step_index == len(steps) - 1,
                )


def _decisions(party: Mapping[str, Any], index: int) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """A party's decision data: one `decision`, or one per organ in `decisions`."""
    if isinstance(party.get("decision"), Mapping):
        yield f"/parties/{index}/decision", party["decision"]
    for number, decision in enumerate(party.get("decisions", [])):
        yield f"/parties/{index}/decisions/{number}", decision


def _organ_of(party: Mapping[str, Any], organ: str) -> str:
    return f"{party['name']}, {organ.lower()}" if organ else str(party["name"])


def _economics(
    data: Mapping[str, Any], *, last: date | None, until: date
) -> Iterator[tuple[date, str, str, int]]:
    """Invoicing periods (from the start) and reconciliation periods (their last days)."""
    economics = data.get("economics", {})
    start = date.fromisoformat(data["term"]["start"])
    stop = min(last, until) if last is not None else until
    invoicing = economics.get("invoicing")
    if invoicing:
        pointer = "/economics/invoicing/interval_months"
        months = invoicing["interval_months"]
        if invoicing.get("timing") == "efterskott":
            for k, day in _period_ends(start, months, stop):
                yield day, "fakturering_efterskott", pointer, k
        else:
            ahead = invoicing.get("timing") == "forskott"
            kind = "fakturering_forskott" if ahead else "fakturering"
            for k, day in enumerate(_every(start, months, stop)):
                yield day, kind, pointer, k
    for pointer, months in _reconciliations(economics):
        for k, day in _period_ends(start, months, stop):
            yield day, "avstamning", pointer, k


def _reconciliations(economics: Mapping[str, Any]) -> Iterator[tuple[str, int]]:
    """The reconciliation intervals a spec sets: the cost model's and the advances'."""
    model = economics.get("model", {})
    if "reconciliation_months" in model:
        yield "/economics/model/reconciliation_months", model["reconciliation_months"]
    if "reconciliation" in economics:
        yield "/economics/reconciliation/interval_months", economics["reconciliation"][
            "interval_months"
        ]


def _period_ends(start: date, months: int, stop: date) -> Iterator[tuple[int, date]]:
    """The last day of each period of `months` from start, up to and including stop."""
    for k, day in enumerate(_every(start, months, stop + timedelta(days=1))):
        if k > 0:  # the day before each new period is the last day of the one before
            yield k, _day_before(day)


def _every(start: date, months: int, stop: date) -> Iterator[date]:
    """start, start + months, start + 2·months, … up to and including stop."""
    k = 0
    while (day := add_months(start, k * months)) <= stop:
        yield day
        k += 1


def within(
    deadlines: Sequence[Deadline], *, start: date, days: int | None
) -> list[Deadline]:
    """The deadlines from `start` on, and (when `days` is given) at most `days` later."""
    end = start + timedelta(days=days) if days is not None else date.max
    return [d for d in deadlines if start <= d.day <= end]


def next_deadline(deadlines: Sequence[Deadline], *, today: date) -> Deadline | None:
    """The soonest deadline from today on."""
    return next((d for d in deadlines if d.day >= today), None)


def warnings(
    deadlines: Sequence[Deadline], *, today: date, notice_days: int, spec_date: str
) -> list[Issue]:
    """A notice deadline within `notice_days`, and a deadline passed without a new version."""
    issues: list[Issue] = []
    soon = [d for d in deadlines if d.kind in NOTICE_KINDS and today <= d.day]
    for deadline in soon:
        left = (deadline.day - today).days
        if left <= notice_days:
            issues.append(
                Issue(
                    deadline.location,
                    f"sista dag att säga upp avtalet före förlängning är {deadline.day} "
                    f"({left} dagar kvar); besluta i tid om avtalet ska förlängas eller sägas upp",
                    code="FRIST-NARA",
                    severity=Severity.WARNING,
                )
            )
    version_day = date.fromisoformat(spec_date)
    passed = [
        d for d in deadlines if d.kind in PASSED and version_day <= d.day < today
    ]
    if passed:
        latest = passed[-1]
        issues.append(
            Issue(
                latest.location,
                f"{PASSED[latest.kind]} {latest.day}, men specifikationens senaste version "
                f"är från {spec_date}; skriv en ny version som visar om avtalet har "
                "förlängts, sagts upp eller följts upp",
                code="FRIST-PASSERAD",
                severity=Severity.WARNING,
            )
        )
    return issues
