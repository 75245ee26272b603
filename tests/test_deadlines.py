"""Deadlines derived from specs, against dates computed by hand (month ends, leap years),
the deadline warnings of `avtal check`, and the text, JSON and iCalendar output."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import icalendar
import pytest
from buildkit import FIXTURE, SPECS_DIR, dump, read_spec, read_yaml, run_cli

from generator.cli import main
from generator.config import reference_date
from generator.deadlines import LABELS, Deadline, derive, warnings
from generator.load import Spec
from generator.model import derive_term

FAR = date(2040, 1, 1)


def spec_of(data: dict[str, Any]) -> Spec:
    """A spec from plain data (dates as ISO text, as the loader keeps them)."""
    return Spec("test.yaml", data, "")


def base(**changes: Any) -> dict[str, Any]:
    """The valid fixture as plain data with dates as text, with top-level changes."""
    data = json.loads(json.dumps(read_yaml(FIXTURE), default=str))
    data["status"] = "beslutad"  # no pending decisions unless a test asks for them
    data.update(changes)
    return data


def dated(deadlines: list[Deadline], *kinds: str) -> list[tuple[str, str]]:
    """(date, kind) of the deadlines of the given kinds (all when none given)."""
    return [(d.day.isoformat(), d.kind) for d in deadlines if not kinds or d.kind in kinds]


TERM_KINDS = ("start", "uppsagning", "period", "forlangningsbar", "slut")


# --------------------------------------------------------------------------- the term


def test_fixed_term_from_duration_ends_the_day_before() -> None:
    data = base(term={"start": "2026-09-01", "duration_months": 24})
    assert dated(derive(spec_of(data), until=FAR), *TERM_KINDS) == [
        ("2026-09-01", "start"),
        ("2028-08-31", "slut"),
    ]


def test_fixed_term_ending_in_a_leap_february() -> None:
    data = base(term={"start": "2027-03-01", "duration_months": 12})
    assert dated(derive(spec_of(data), until=FAR), "slut") == [("2028-02-29", "slut")]


def test_extension_by_agreement_only_names_the_end() -> None:
    term = {"start": "2026-09-01", "duration_months": 24,
            "extension": {"automatic": False, "period_months": 12, "max_extensions": 1}}
    found = derive(spec_of(base(term=term)), until=FAR)
    # The extended end depends on a decision not yet taken: it is not a date of the spec.
    assert dated(found, *TERM_KINDS) == [("2026-09-01", "start"), ("2028-08-31", "forlangningsbar")]


def test_automatic_extensions_with_a_cap_and_a_leap_day() -> None:
    term = {"start": "2024-03-01", "end": "2028-02-29",
            "extension": {"automatic": True, "period_months": 12, "notice_months": 6,
                          "max_extensions": 2}}
    found = derive(spec_of(base(term=term)), until=date(2025, 1, 1))
    assert dated(found, *TERM_KINDS) == [
        ("2024-03-01", "start"),
        ("2027-08-31", "uppsagning"),
        ("2028-02-29", "period"),
        ("2028-08-31", "uppsagning"),
        ("2029-02-28", "period"),
        ("2030-02-28", "slut"),  # after the last extension no notice is needed
    ]
    assert [d.occurrence for d in found if d.kind == "uppsagning"] == [0, 1]


def test_notice_deadline_at_a_short_month() -> None:
    # The day after the end is 31 May; three months earlier is clamped to 28 February.
    term = {"start": "2026-06-01", "end": "2027-05-30",
            "extension": {"automatic": True, "period_months": 12, "notice_months": 3,
                          "max_extensions": 1}}
    found = derive(spec_of(base(term=term)), until=FAR)
    assert dated(found, "uppsagning") == [("2027-02-27", "uppsagning")]


def test_open_ended_extensions_stop_after_the_horizon() -> None:
    term = {"start": "2026-01-01", "end": "2027-12-31",
            "extension": {"automatic": True, "period_months": 12, "notice_months": 6}}
    found = derive(spec_of(base(term=term)), until=date(2029, 3, 1))
    assert dated(found, "uppsagning", "period") == [
        ("2027-06-30", "uppsagning"), ("2027-12-31", "period"),
        ("2028-06-30", "uppsagning"), ("2028-12-31", "period"),
        ("2029-06-30", "uppsagning"), ("2029-12-31", "period"),  # first period past it
    ]


def test_until_further_notice_has_no_end_and_no_notice_date() -> None:
    data = base(term={"start": "2026-07-01", "until_further_notice": True})
    data["termination"]["notice_months"] = 12
    found = derive(spec_of(data), until=date(2027, 1, 1))
    assert dated(found, *TERM_KINDS) == [("2026-07-01", "start")]
    assert {d.kind for d in found} == {"start", "fakturering"}


@pytest.mark.parametrize("path", sorted(SPECS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_first_notice_deadline_is_the_one_the_agreement_states(path: Path) -> None:
    spec = read_spec(path)
    stated = derive_term(spec.data["term"]).extension_notice_by
    first = next((d.day for d in derive(spec, until=FAR) if d.kind == "uppsagning"), None)
    assert first == stated


def test_example_hub_agreement_deadlines_with_clauses() -> None:
    run = run_cli("deadlines", "--from", "2027-01-01", "--within", "500", "--format", "json",
                  SPECS_DIR / "roc-ingang.yaml")
    assert run.code == 0, run.stderr
    rows = json.loads(run.stdout)["deadlines"]
    assert [(r["date"], r["kind"], r["clause"]) for r in rows] == [
        ("2027-08-31", "uppsagning", "§ 3 Avtalstid"),
        ("2028-02-29", "period", "§ 3 Avtalstid"),
    ]
    assert rows[0]["pointer"] == "/term/extension/notice_months"
    lines = (SPECS_DIR / "roc-ingang.yaml").read_text(encoding="utf-8").splitlines()
    extension = lines.index("  extension:")
    notice = next(i for i in range(extension, len(lines)) if "notice_months:" in lines[i])
    assert rows[0]["line"] == notice + 1
    assert "Södertälje kommun" in rows[0]["responsible"]


# --------------------------------------------------------------------------- other dates


def test_reviews_and_reports_only_where_dated() -> None:
    spec = read_spec(SPECS_DIR / "sok-missbruk.yaml")
    found = derive(spec, until=date(2028, 1, 1))
    review = [d for d in found if d.kind == "uppfoljning"]
    assert [(d.day, d.clause or d.section) for d in review] == [(date(2027, 9, 30), "uppfoljning")]
    # Four steering-group meetings a year and a yearly report to the council carry no date.
    assert {d.kind for d in found} <= {"start", "uppfoljning", "uppsagning", "period", "slut"}


def test_pending_decisions_name_party_and_organ() -> None:
    found = derive(spec_of(base(status="remiss")), until=FAR)
    assert [(d.day.isoformat(), d.responsible) for d in found if d.kind == "beslut"] == [
        ("2025-12-09", ("Stockholms stad, socialnämnden",)),
    ]
    decided = derive(spec_of(base(status="beslutad")), until=FAR)
    assert not [d for d in decided if d.kind == "beslut"]


def test_pending_decisions_along_a_decision_path() -> None:
    data = base(status="utkast")
    decision = data["parties"][0]["decision"]
    decision["path"] = [
        {"organ": "kommunstyrelsen", "name": "Kommunstyrelsen", "meeting_date": "2026-01-14"},
        {"organ": "kommunfullmaktige", "name": "Kommunfullmäktige",
         "meeting_date": "2026-02-09"},
    ]
    found = [d for d in derive(spec_of(data), until=FAR) if d.kind in ("beslut", "forslag")]
    # Only fullmäktige decides; the nämnd and the styrelse propose.
    assert [(d.day.isoformat(), d.kind, d.responsible[0], d.location.pointer)
            for d in found] == [
        ("2025-12-09", "forslag", "Stockholms stad, socialnämnden",
         "/parties/0/decision/meeting_date"),
        ("2026-01-14", "forslag", "Stockholms stad, kommunstyrelsen",
         "/parties/0/decision/path/0/meeting_date"),
        ("2026-02-09", "beslut", "Stockholms stad, kommunfullmäktige",
         "/parties/0/decision/path/1/meeting_date"),
    ]
    assert "förslag" in LABELS["forslag"] and "beslutar" in LABELS["beslut"]


def test_monthly_invoicing_keeps_month_ends_and_leap_day() -> None:
    data = base(term={"start": "2027-01-31", "duration_months": 14})
    data["economics"]["invoicing"]["interval_months"] = 1
    found = derive(spec_of(data), until=FAR)
    days = [d.day.isoformat() for d in found if d.kind == "fakturering"]
    assert days[:3] == ["2027-01-31", "2027-02-28", "2027-03-31"]
    assert days[12:] == ["2028-01-31", "2028-02-29"]  # the term ends 2028-03-30


def test_invoicing_in_arrears_on_the_last_day_of_each_period() -> None:
    data = base(term={"start": "2027-09-01", "end": "2028-08-31"})
    data["economics"]["invoicing"].update(interval_months=3, timing="efterskott")
    found = derive(spec_of(data), until=FAR)
    assert [d.day.isoformat() for d in found if d.kind == "fakturering_efterskott"] == [
        "2027-11-30", "2028-02-29", "2028-05-31", "2028-08-31",
    ]
    data["economics"]["invoicing"]["timing"] = "forskott"
    ahead = derive(spec_of(data), until=FAR)
    assert [d.day.isoformat() for d in ahead if d.kind == "fakturering_forskott"] == [
        "2027-09-01", "2027-12-01", "2028-03-01", "2028-06-01",
    ]


def test_advances_reconciled_every_twelve_months() -> None:
    data = base(term={"start": "2028-03-01", "duration_months": 36})
    data["economics"]["reconciliation"] = {"interval_months": 12}
    found = derive(spec_of(data), until=FAR)
    assert dated(found, "avstamning") == [
        ("2029-02-28", "avstamning"), ("2030-02-28", "avstamning"), ("2031-02-28", "avstamning"),
    ]
    assert {d.location.pointer for d in found if d.kind == "avstamning"} == {
        "/economics/reconciliation/interval_months"
    }


def test_reconciliation_on_the_last_day_of_each_period() -> None:
    data = base(term={"start": "2027-09-01", "end": "2028-08-31"})
    data["economics"]["model"] = {"type": "mottagande_part", "reconciliation_months": 6}
    found = derive(spec_of(data), until=FAR)
    assert dated(found, "avstamning") == [
        ("2028-02-29", "avstamning"),
        ("2028-08-31", "avstamning"),
    ]


# --------------------------------------------------------------------------- warnings


def _warn(today: str, notice_days: int = 90, spec_date: str = "2026-01-01") -> list[str]:
    term = {"start": "2026-01-01", "end": "2027-12-31",
            "extension": {"automatic": True, "period_months": 12, "notice_months": 6}}
    found = derive(spec_of(base(term=term)), until=date(2029, 1, 1))
    issues = warnings(found, today=date.fromisoformat(today), notice_days=notice_days,
                      spec_date=spec_date)
    return [i.code for i in issues]


def test_notice_warning_from_90_days_before() -> None:
    assert _warn("2027-04-01") == ["FRIST-NARA"]  # 90 days before 2027-06-30
    assert _warn("2027-03-31") == []  # 91 days
    assert _warn("2027-03-31", notice_days=120) == ["FRIST-NARA"]
    assert _warn("2027-06-30") == ["FRIST-NARA"]


def test_passed_deadline_without_new_version_warns_once() -> None:
    assert _warn("2028-07-15") == ["FRIST-PASSERAD"]
    assert _warn("2028-07-15", spec_date="2028-07-01") == []


def test_check_warns_with_injected_today(tmp_path: Path) -> None:
    spec = SPECS_DIR / "roc-ingang.yaml"
    near = run_cli("check", "--today", "2027-07-01", spec)
    assert near.code == 0
    assert "/term/extension/notice_months: varning: [FRIST-NARA]" in near.stdout
    assert "2027-08-31 (61 dagar kvar)" in near.stdout
    assert "FRIST" not in run_cli("check", "--today", "2027-07-01", "--notice-days", "60",
                                  spec).stdout
    strict = run_cli("check", "--strict", "--today", "2028-09-01", spec)
    assert strict.code == 1 and "[FRIST-PASSERAD]" in strict.stdout


def test_today_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVTAL_TODAY", "2027-07-01")
    assert reference_date() == date(2027, 7, 1)
    assert "[FRIST-NARA]" in run_cli("check", SPECS_DIR / "roc-ingang.yaml").stdout
    monkeypatch.delenv("AVTAL_TODAY")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1815350400")  # 2027-07-12
    assert reference_date() == date(2027, 7, 12)
    monkeypatch.setenv("AVTAL_TODAY", "juli")
    run = run_cli("check", SPECS_DIR / "roc-ingang.yaml")
    assert run.code == 2 and "AVTAL_TODAY" in run.stderr


@pytest.mark.parametrize(("variable", "value"), [
    ("AVTAL_TODAY", "9999-12-30"),  # deadlines years on have no date (was a traceback)
    ("AVTAL_TODAY", "0001-01-01"),
    ("SOURCE_DATE_EPOCH", "99999999999999"),
])
def test_a_today_beyond_the_calendar_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.delenv("AVTAL_TODAY")
    monkeypatch.setenv(variable, value)
    for command in ("check", "build", "deadlines"):
        run = run_cli(command, SPECS_DIR / "roc-ingang.yaml")
        assert run.code == 2, run.stderr
        assert f"miljövariabeln {variable} är inget datum från 1900 till 2199" in run.stderr
        assert "Traceback" not in run.stderr


@pytest.mark.parametrize("option", [["--today", "9999-12-30"], ["--within", "99999999"],
                                    ["--from", "9999-12-30"]])
def test_a_date_option_beyond_the_calendar_is_a_usage_error(
    option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["deadlines", *option, str(SPECS_DIR / "roc-ingang.yaml")])
    err = capsys.readouterr().err
    assert refused.value.code == 2 and f"argument {option[0]}: '{option[1]}' är inget" in err
    assert "1900 till 2199" in err or "0 till 36500" in err


# --------------------------------------------------------------------------- CLI and formats


def test_text_lists_soonest_first_with_source() -> None:
    run = run_cli("deadlines", "--from", "2026-08-01", "--within", "31", SPECS_DIR)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    firsts = [line[:10] for line in lines if line[:4].isdigit()]
    assert firsts == sorted(firsts) and firsts[0] >= "2026-08-01" and firsts[-1] <= "2026-09-01"
    assert any("specs/familjeratt-sodra-roslagen.yaml:" in line for line in lines)
    assert lines[-1] == f"Totalt {len(firsts)} datum."


def test_invalid_spec_is_named_and_others_still_listed(tmp_path: Path) -> None:
    broken = read_yaml(FIXTURE)
    broken["term"] = {"start": "2026-01-01"}
    dump(broken, tmp_path / "trasig.yaml")
    dump(read_yaml(SPECS_DIR / "roc-ingang.yaml"), tmp_path / "roc.yaml")
    run = run_cli("deadlines", "--from", "2027-01-01", tmp_path)
    assert run.code == 1
    assert "trasig.yaml" in run.stderr and "/term" in run.stderr
    assert "2027-08-31" in run.stdout


def test_bad_options_are_usage_errors() -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli("deadlines", "--within", "-3")
    assert exit_info.value.code == 2


def _ics(*extra: str) -> bytes:
    run = run_cli("deadlines", "--from", "2026-01-01", "--within", "2000", "--format", "ics",
                  *extra, SPECS_DIR)
    assert run.code == 0, run.stderr
    return run.stdout.encode("utf-8")


def test_ics_parses_and_reexports_identically() -> None:
    data = _ics()
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.to_ical() == data
    events = list(calendar.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    notice = next(e for e in events
                  if str(e["UID"]) == "roc-ingang.uppsagning.term.extension.notice_months.0@avtal")
    assert notice.decoded("DTSTART") == date(2027, 8, 31)
    assert str(notice["DTSTAMP"].to_ical().decode()) == "20260120T000000Z"  # the spec's date
    assert "§ 3 Avtalstid" in str(notice["DESCRIPTION"])
    assert data == _ics()  # reproducible


def test_ics_uid_survives_a_changed_date(tmp_path: Path) -> None:
    data = read_yaml(SPECS_DIR / "roc-ingang.yaml")
    before = copy.deepcopy(data)
    data["term"]["duration_months"] = 36
    dump(before, tmp_path / "a.yaml")
    old = run_cli("deadlines", "--from", "2026-01-01", "--format", "json", "--within", "3000",
                  tmp_path / "a.yaml").stdout
    dump(data, tmp_path / "a.yaml")
    new = run_cli("deadlines", "--from", "2026-01-01", "--format", "json", "--within", "3000",
                  tmp_path / "a.yaml").stdout

    def notice(text: str) -> tuple[str, str]:
        row = next(r for r in json.loads(text)["deadlines"] if r["kind"] == "uppsagning")
        return row["uid"], row["date"]

    assert notice(old)[0] == notice(new)[0]
    assert (notice(old)[1], notice(new)[1]) == ("2027-08-31", "2028-08-31")


def test_source_date_epoch_sets_dtstamp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    calendar = icalendar.Calendar.from_ical(_ics())
    stamps = {e["DTSTAMP"].to_ical().decode() for e in calendar.walk("VEVENT")}
    assert stamps == {"20270115T080000Z"}


# --------------------------------------------------------------------------- avtal.toml


def test_notice_days_from_avtal_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "specs").mkdir()
    dump(read_yaml(SPECS_DIR / "roc-ingang.yaml"), tmp_path / "specs" / "roc.yaml")
    monkeypatch.chdir(tmp_path)
    # 2027-05-01 is 122 days before the last day for notice, 2027-08-31.
    assert "FRIST-NARA" not in run_cli("check", "--today", "2027-05-01").stdout
    (tmp_path / "avtal.toml").write_text("notice_days = 125\n", encoding="utf-8")
    assert "(122 dagar kvar)" in run_cli("check", "--today", "2027-05-01").stdout
    assert "FRIST-NARA" not in run_cli("check", "--today", "2027-05-01",
                                       "--notice-days", "100").stdout


@pytest.mark.parametrize("value", ["-1", "true", '"90"'])
def test_wrong_notice_days_in_avtal_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "avtal.toml").write_text(f'specs = "specs"\nnotice_days = {value}\n',
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = run_cli("check")
    assert run.code == 1
    assert run.stderr.startswith(f"avtal: {tmp_path / 'avtal.toml'}:2:")
    assert "notice_days ska vara ett antal dagar" in run.stderr


def test_without_within_single_dates_show_beyond_a_year(tmp_path: Path) -> None:
    """Without --within only recurring dates stop a year ahead: the term's end shows."""
    data = read_yaml(FIXTURE)
    data["status"] = "beslutad"
    data["term"] = {"start": "2027-01-01", "end": "2029-12-31"}
    dump(data, tmp_path / "lang.yaml")
    run = run_cli("deadlines", "--from", "2027-01-01", tmp_path)
    assert run.code == 0, run.stderr
    assert "2029-12-31  Avtalstiden slutar" in run.stdout
    assert "2027-10-01  Ny faktureringsperiod" in run.stdout
    assert "2028-04-01" not in run.stdout  # invoicing more than a year ahead
    shorter = run_cli("deadlines", "--from", "2027-01-01", "--within", "365", tmp_path)
    assert "2029-12-31" not in shorter.stdout


def test_ics_without_deadlines_is_still_a_calendar_with_a_component() -> None:
    """RFC 5545 wants at least one component: an empty period gives the Swedish time
    zone, parsed back with its EU rules, and no event."""
    run = run_cli("deadlines", "--from", "2026-01-01", "--within", "1", "--format", "ics",
                  SPECS_DIR / "roc-ingang.yaml")
    assert run.code == 0, run.stderr
    calendar = icalendar.Calendar.from_ical(run.stdout.encode("utf-8"))
    assert not list(calendar.walk("VEVENT"))
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Stockholm"
    rules = {str(p["TZNAME"]): p["RRULE"] for p in zone.subcomponents}
    assert rules["CEST"]["BYMONTH"] == [3] and rules["CET"]["BYMONTH"] == [10]
    assert calendar.to_ical() == run.stdout.encode("utf-8")


@pytest.mark.parametrize(("period", "most", "fits"), [(1200, 100, False), (12, 100, True)])
def test_extensions_past_the_calendar_are_a_located_error(
    tmp_path: Path, period: int, most: int, fits: bool
) -> None:
    """A hundred extensions of a hundred years ran the deadlines out of the calendar
    (year 10000) with a traceback; now the spec is told where, and what to write."""
    data = read_yaml(FIXTURE)
    data["term"]["extension"] = {"automatic": True, "period_months": period,
                                 "max_extensions": most, "notice_months": 6}
    spec = dump(data, tmp_path / "lang.yaml")
    for args in (("check", "--today", "2026-06-01"), ("deadlines", "--format", "json")):
        run = run_cli(*args, spec)
        said = run.stdout + run.stderr
        assert "Traceback" not in said
        assert (run.code == 0) is fits, said
        if not fits:
            assert "/term/extension/max_extensions: avtalet kan löpa till år 12" in said
            assert "ange färre förlängningar eller kortare perioder" in said
    if fits:
        assert json.loads(run.stdout)["deadlines"]


# --------------------------------------------------------------------------- 9 kap. 38 § KL


def test_the_yearly_report_to_fullmaktige_is_a_deadline_when_the_spec_dates_it() -> None:
    """Styrelsen reports every year on the avtalssamverkan (9 kap. 38 § kommunallagen):
    each year's day from council_report.due, through the year after the last day."""
    data = base()
    data["term"] = {"start": "2027-01-01", "end": "2029-12-31"}
    data["follow_up"]["council_report"]["due"] = "04-30"
    found = [d for d in derive(spec_of(data), until=FAR) if d.kind == "rapport"]
    assert [d.day.isoformat() for d in found] == [
        "2027-04-30", "2028-04-30", "2029-04-30", "2030-04-30"]
    assert found[0].label == ("Styrelsen rapporterar till fullmäktige om avtalssamverkan "
                              "(9 kap. 38 § kommunallagen (2017:725))")
    assert found[0].location.pointer == "/follow_up/council_report/due"
    assert found[0].responsible == tuple(p["name"] for p in data["parties"])


def test_no_yearly_report_deadline_without_its_day() -> None:
    """'Yearly' without a day gives no date: a guessed day is worse than none."""
    assert [d for d in derive(spec_of(base()), until=FAR) if d.kind == "rapport"] == []


def test_the_yearly_report_on_29_february_falls_on_the_28th_in_other_years() -> None:
    data = base()
    data["term"] = {"start": "2027-01-01", "end": "2028-12-31"}
    data["follow_up"]["council_report"]["due"] = "02-29"
    found = [d.day.isoformat() for d in derive(spec_of(data), until=FAR) if d.kind == "rapport"]
    assert found == ["2027-02-28", "2028-02-29", "2029-02-28"]
