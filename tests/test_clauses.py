"""Clause variants of the spec model that the example goldens do not show: each test
edits an example, builds its agreement as Markdown and reads the section it changes."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from buildkit import (
    FIXTURE,
    build_text,
    dump,
    md_body,
    md_headings,
    md_section,
    md_unescape,
    norm,
    read_spec,
    read_yaml,
    run_cli,
)

from generator.documents import agreement_documents
from generator.model import build_agreements

SPECS = Path(__file__).resolve().parent.parent / "specs"
JOUR = SPECS / "socialjour-skogsberg.yaml"
JAV = SPECS / "javsutredningar-strandvik-ekedal-ramsjo.yaml"


def agreement(tmp_path: Path, data: dict[str, Any]) -> str:
    tmp_path.mkdir(parents=True, exist_ok=True)
    spec = dump(data, tmp_path / "spec.yaml")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    return (tmp_path / "out" / str(data["id"]) / "avtal.md").read_text(encoding="utf-8")


def section(tmp_path: Path, data: dict[str, Any], heading: str) -> str:
    return norm(md_section(agreement(tmp_path, data), heading))


def test_delegation_says_each_namnd_delegates_in_its_own_delegationsordning(
        tmp_path: Path) -> None:
    text = section(tmp_path, read_yaml(JOUR), "§ 6 Myndighetsutövning och delegering")
    assert "Avtalet ger ingen beslutanderätt i sig." in text
    assert "beslutar om det i sin egen delegationsordning" in text
    assert ("| Beslut om omedelbart omhändertagande av barn och unga i brådskande fall "
            "| 6 § lagen (1990:52) med särskilda bestämmelser om vård av unga "
            "| ordföranden eller en förordnad ledamot i den ansvariga nämnden |") in text
    assert "kan nås dygnet runt, alla dagar" in text


def test_one_decision_type_may_be_excepted_from_further_delegation(tmp_path: Path) -> None:
    data = read_yaml(JOUR)
    data["delegation"]["external"]["further_delegation"] = True
    data["delegation"]["external"]["decision_types"][1]["further_delegation"] = False
    text = section(tmp_path, data, "§ 6 Myndighetsutövning och delegering")
    assert ("Beslutanderätten får vidaredelegeras inom den utförande partens organisation, "
            "utom i fråga om beslut om tillfälligt boende till den som står utan bostad.") in text


def test_force_majeure_true_keeps_the_general_clause(tmp_path: Path) -> None:
    data = read_yaml(JOUR)
    data["force_majeure"] = True
    text = section(tmp_path, data, "§ 15 Befrielsegrunder (force majeure)")
    assert text.startswith("En part är inte skyldig att fullgöra en förpliktelse")
    assert "underrätta övriga parter" in text


def test_force_majeure_as_data(tmp_path: Path) -> None:
    text = section(tmp_path, read_yaml(JOUR), "§ 15 Befrielsegrunder (force majeure)")
    assert text.startswith("En part är befriad från att fullgöra en förpliktelse")
    assert "- krig eller krigsfara" in text
    assert "orimligt höga kostnader" not in text  # unreasonable_cost is not set
    assert "genom att bryta mot sitt kollektivavtal ger inte befrielse" in text


def test_binding_cap_and_grounds_given_as_examples(tmp_path: Path) -> None:
    data = read_yaml(JAV)
    data["assignments"]["cap"]["binding"] = True
    data["termination"]["assignments"]["grounds_exhaustive"] = False
    text = agreement(tmp_path, data)
    assert "Varje part får lämna högst sex uppdrag per år." in norm(
        md_section(text, "§ 5 Enskilda uppdrag"))
    ending = norm(md_section(text, "§ 16 Avslut av enskilda uppdrag"))
    assert ("får sägas upp av hemkommunen eller av den mottagande kommunen med 14 dagars "
            "varsel om det finns skäl "
            "för det, till exempel något av följande:") in ending
    assert "Andra skäl ger inte rätt" not in ending
    assert "Uppsägningen av ett uppdrag ska vara skriftlig." in ending


def test_reciprocal_wording_names_no_party_as_performer(tmp_path: Path) -> None:
    text = agreement(tmp_path, read_yaml(JAV))
    tasks = norm(md_section(text, "§ 4 Uppgifter som omfattas"))
    assert tasks.startswith("Den mottagande kommunen åtar sig att utföra följande uppgifter")
    costs = norm(md_section(text, "§ 9 Ersättning och kostnader"))
    assert "Den mottagande kommunen bär kostnaden för de uppdrag den tar emot." in costs


def test_liability_cap_and_records_kept_by_a_named_party(tmp_path: Path) -> None:
    data = copy.deepcopy(read_yaml(JOUR))
    data["liability"]["cap"] = 2000000
    data["information"]["records"]["classes"][1] = {
        "id": "jourens-logg", "text": "jourens logg", "kept_by": "part", "party": "abrink"}
    text = agreement(tmp_path, data)
    assert "begränsad till högst 2 000 000 kronor" in norm(md_section(text, "§ 11 Skadestånd"))
    assert "| Jourens logg | Åbrinks kommun |" in norm(
        md_section(text, "§ 9 Informationshantering"))


def test_staff_report_tells_how_cases_move_and_how_many(tmp_path: Path) -> None:
    data = read_yaml(JAV)
    agreement(tmp_path, data)
    report = (tmp_path / "out" / str(data["id"]) / "ekedal" / "tjansteutlatande.md").read_text(
        encoding="utf-8")
    text = norm(md_section(report, "Ärendet").split("## Enskilda uppdrag", 1)[1])
    assert text.startswith("Uppgifterna lämnas över genom enskilda uppdrag, som hemkommunen "
                           "begär och den mottagande kommunen godtar. Ekedals stad kan både "
                           "lämna uppdrag till och ta emot uppdrag från de andra parterna.")
    assert "räknar med att varje part lämnar omkring sex uppdrag per år; antalet är ett " \
        "riktvärde." in text


def _all_markdown(tmp_path: Path, data: dict[str, Any]) -> dict[str, str]:
    """Every Markdown document the build writes for a spec, by path under its folder."""
    agreement(tmp_path, data)
    folder = tmp_path / "out" / str(data["id"])
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*.md"))}


SILENT_CLAUSES = [
    ("disputes", lambda d: d.pop("disputes"), "Tvister", ("tvist",), "AVTAL-TVIST-SAKNAS"),
    ("force_majeure", lambda d: d.pop("force_majeure"), "Befrielsegrunder",
     ("befriad", "force majeure"), "AVTAL-FORCE-MAJEURE-SAKNAS"),
    ("delegation", lambda d: d.pop("delegation"), "Myndighetsutövning och delegering",
     ("samverkan avser uppgifter som innefattar myndighetsutövning", "ingen beslutanderätt",
      "avtalet ger ingen beslutanderätt",
      "beslutanderätten får"), "AVTAL-DELEGERING-SAKNAS"),
    ("personal_data", lambda d: d["information"].pop("personal_data"), None,
     ("personuppgiftsansvarig", "är personuppgiftsbiträde"), "GDPR-SAKNAS"),
]


@pytest.mark.parametrize("example", [JOUR, JAV], ids=lambda p: p.stem)
@pytest.mark.parametrize("field, remove, heading, words, rule", SILENT_CLAUSES,
                         ids=[c[0] for c in SILENT_CLAUSES])
def test_a_clause_the_spec_leaves_out_is_not_printed_and_check_warns(
        tmp_path: Path, example: Path, field: str, remove: Any, heading: str | None,
        words: tuple[str, ...], rule: str) -> None:
    data = read_yaml(example)
    before = _all_markdown(tmp_path / "before", copy.deepcopy(data))
    assert any(w in norm(t).lower() for t in before.values() for w in words)
    remove(data)
    docs = _all_markdown(tmp_path / "after", data)
    for name, text in docs.items():
        if name == "checklista.md":
            continue
        body = norm(text).lower()
        assert not [w for w in words if w in body], name
        if heading:
            assert not [h for h in md_headings(text) if heading in h], name
    checklist = norm(docs["checklista.md"])
    assert f"saknas – bedöm: /{field}" in checklist.replace("\\", "") or (
        f"saknas – bedöm: /information/{field}" in checklist.replace("\\", ""))
    run = run_cli("check", tmp_path / "after" / "spec.yaml")
    assert run.code == 0, run.stderr
    assert f"varning: [{rule}]" in run.stdout + run.stderr


def _variant(data: dict[str, Any]) -> dict[str, Any]:
    """The jäv example with every wording variant set to its less common value."""
    data["term"]["extension"] = {"automatic": False, "period_months": 12, "max_extensions": 2,
                                 "holder": "strandvik", "call_months": 3}
    ending = data["termination"]["assignments"]
    ending.update(threshold="synnerliga_skal", grounds_exhaustive=False)
    data["tasks"]["included_exhaustive"] = False
    data["economics"]["model"].update(
        equalise="vid_vasentlig_avvikelse",
        equalise_threshold="Skillnaden mellan utförda och beställda timmar är över 40 timmar")
    data["economics"]["invoicing"] = {"interval_months": 3, "payment_days": 30}
    data["amendments"]["minor_written"] = False
    data["force_majeure"].update(threshold="omojligt", notify="motparten")
    return data


def test_wording_variants_follow_the_spec(tmp_path: Path) -> None:
    text = agreement(tmp_path, _variant(read_yaml(JAV)))
    term = norm(md_section(text, "§ 3 Avtalstid"))
    assert ("Strandviks stad har rätt att förlänga avtalet med 12 månader i taget, högst två "
            "gånger. Förlängningen sker genom att Strandviks stad skriftligen meddelar Ekedals "
            "stad och Ramsjö stad det senast den 30 september 2028") in term
    assert "Parterna kan komma överens om att förlänga" not in term
    assert "i de uppdrag den tar emot, till exempel följande:" in norm(
        md_section(text, "§ 4 Uppgifter som omfattas"))
    costs = norm(md_section(text, "§ 9 Ersättning och kostnader"))
    assert ("utjämnas bara om utfallet avviker väsentligt, det vill säga om skillnaden mellan "
            "utförda och beställda timmar är över 40 timmar.") in costs
    assert "Den mottagande kommunen fakturerar hemkommunen var tredje månad." in costs
    changes = norm(md_section(text, "§ 13 Ändringar och tillägg"))
    assert "ska vara skriftliga för att gälla, utom de mindre ändringar som anges nedan" in changes
    assert "får parterna komma överens om, och de behöver inte vara skriftliga:" in changes
    ending = norm(md_section(text, "§ 14 Uppsägning"))
    assert "om inte Strandviks stad har förlängt det." in ending
    single = norm(md_section(text, "§ 16 Avslut av enskilda uppdrag"))
    assert ("får sägas upp av hemkommunen eller av den mottagande kommunen med 14 dagars varsel "
            "om det finns synnerliga skäl, till exempel något av följande:") in single
    fm = norm(md_section(text, "§ 17 Befrielsegrunder (force majeure)"))
    assert "om fullgörandet blir omöjligt" in fm and "i den mån" not in fm
    assert "underrätta den part som förpliktelsen gäller" in fm


def test_an_option_is_a_deadline_of_its_holder(tmp_path: Path) -> None:
    spec = dump(_variant(read_yaml(JAV)), tmp_path / "spec.yaml")
    run = run_cli("deadlines", "--from", "2026-01-01", "--within", "1500", spec)
    assert run.code == 0, run.stderr
    assert "2028-09-30  Sista dag att förlänga avtalet (option)" in run.stdout
    assert "ansvarig: Strandviks stad\n" in run.stdout


def test_cost_equalisation_never_and_always(tmp_path: Path) -> None:
    for value, sentence in (("aldrig", "Skillnader i parternas kostnader utjämnas inte."),
                            ("alltid", "utjämnas vid varje avstämning.")):
        data = read_yaml(JAV)
        data["economics"]["model"]["equalise"] = value
        data["economics"]["model"].pop("equalisation")
        costs = section(tmp_path / value, data, "§ 9 Ersättning och kostnader")
        assert sentence in costs
        assert ("självkostnadsprincipen" in costs) is (value == "alltid")


def test_performer_with_a_share_bears_it_and_no_deficit_sentence_unless_stated(
        tmp_path: Path) -> None:
    costs = section(tmp_path, read_yaml(JOUR), "§ 8 Ersättning och kostnader")
    assert "täckning för sina kostnader genom de andra parternas andelar" not in costs
    assert ("Skogsbergs kommun bär själv sin andel av kostnaderna för de uppgifter den utför "
            "och får täckning för resten genom de andra parternas andelar.") in costs
    assert "Skogsbergs kommun fakturerar övriga parter var tredje månad i förskott." in costs
    assert "underskott" not in costs.lower()


@pytest.mark.parametrize("example", [JAV, SPECS / "sok-placerade-barn.yaml"],
                         ids=lambda p: p.stem)
def test_the_text_does_not_depend_on_the_status(tmp_path: Path, example: Path) -> None:
    # The same text is attached to every decision as the proposal (SOK-1): no sentence of
    # the agreement may change with the spec's status, only the footer that names it.
    bodies = set()
    for status in ("utkast", "remiss", "beslutad", "undertecknad"):
        data = read_yaml(example)
        data["status"] = status
        folder = tmp_path / status
        folder.mkdir()
        run = run_cli("build", "--format", "md", "--out", folder / "out",
                      dump(data, folder / "spec.yaml"))
        assert run.code == 0, run.stderr
        name = "overenskommelse.md" if data["kind"] == "samverkansoverenskommelse" else "avtal.md"
        bodies.add(md_body((folder / "out" / str(data["id"]) / name).read_text(encoding="utf-8")))
    assert len(bodies) == 1


FAMILJ = SPECS / "familjebehandling-norrstrom-fjallviken.yaml"


def _termination(tmp_path: Path, data: dict[str, Any]) -> str:
    text = agreement(tmp_path, data)
    heading = next(h for h in md_headings(text) if h.endswith(" Uppsägning"))
    return norm(md_section(text, heading))


def test_breach_terms_alone_write_the_breach_clause(tmp_path: Path) -> None:
    data = read_yaml(JOUR)
    data["termination"]["breach_terms"] = {"cure_days": 30, "effect": "omedelbart"}
    text = _termination(tmp_path / "jour", data)
    assert ("kan inte säga upp avtalet så att det upphör under avtalstiden eller under en "
            "förlängning, utom vid väsentligt avtalsbrott enligt nedan.") in text
    assert text.endswith("En part får säga upp avtalet till omedelbart upphörande om en annan part "
                         "väsentligt bryter mot avtalet och inte har rättat sig inom 30 dagar "
                         "efter skriftlig anmaning.")
    two = read_yaml(FAMILJ)
    del two["termination"]["breach"]
    two["termination"]["breach_terms"] = {"cure_days": 10, "effect": "med_uppsagningstid"}
    notice = two["termination"]["notice_months"]
    words = {1: "en månads", 3: "tre månaders", 6: "sex månaders", 12: "tolv månaders"}
    assert (f"En part får säga upp avtalet med {words[notice]} uppsägningstid om den andra "
            "parten väsentligt bryter mot avtalet och inte har rättat sig inom tio dagar efter "
            "skriftlig anmaning.") in _termination(tmp_path / "two", two)


def test_no_cure_period_says_no_cure(tmp_path: Path) -> None:
    data = read_yaml(FAMILJ)
    del data["termination"]["breach"]
    data["termination"]["breach_terms"] = {"cure_days": 0, "effect": "omedelbart"}
    text = _termination(tmp_path, data)
    assert text.endswith("En part får säga upp avtalet till omedelbart upphörande om den andra "
                         "parten väsentligt bryter mot avtalet.")
    assert "rättat" not in text


def test_the_teams_breach_sentence_stands_alone(tmp_path: Path) -> None:
    data = read_yaml(FAMILJ)
    own = data["termination"]["breach"]
    data["termination"]["breach_terms"] = {"cure_days": 30, "effect": "omedelbart"}
    text = _termination(tmp_path, data)
    assert norm(own) in text
    assert "efter skriftlig anmaning" not in text.replace(norm(own), "")


def test_staff_report_names_the_breach_exit_of_breach_terms(tmp_path: Path) -> None:
    data = read_yaml(JOUR)
    data["termination"]["breach_terms"] = {"cure_days": 30, "effect": "omedelbart"}
    for folder, with_terms in ((tmp_path / "with", True), (tmp_path / "without", False)):
        if not with_terms:
            del data["termination"]["breach_terms"]
        agreement(folder, data)
        reports = sorted((folder / "out" / str(data["id"])).glob("*/tjansteutlatande.md"))
        assert reports
        for report in reports:
            said = "utom vid väsentligt avtalsbrott" in norm(report.read_text("utf-8"))
            assert said == with_terms, report


def test_further_delegation_names_its_level(tmp_path: Path) -> None:
    data = read_yaml(JOUR)
    external = data["delegation"]["external"]
    external["further_delegation"] = True
    external["further_delegation_to"] = "Socialsekreterare i socialjouren"
    text = section(tmp_path / "all", data, "§ 6 Myndighetsutövning och delegering")
    assert ("Beslutanderätten får vidaredelegeras inom den utförande partens organisation "
            "till socialsekreterare i socialjouren.") in text
    external["further_delegation"] = False
    external["decision_types"][1]["further_delegation"] = True
    text = section(tmp_path / "one", data, "§ 6 Myndighetsutövning och delegering")
    assert ("Beslutanderätten får inte vidaredelegeras, utom i fråga om beslut om tillfälligt "
            "boende till den som står utan bostad, som får vidaredelegeras inom den utförande "
            "partens organisation till socialsekreterare i socialjouren.") in text


@pytest.mark.parametrize(("hours", "said"), [
    ({"around_the_clock": True}, "Skogsbergs kommun tar emot ärenden dygnet runt, alla dagar."),
    ({"around_the_clock": False, "hours": "Vardagar 8–17"},
     "Skogsbergs kommun tar emot ärenden vardagar 8–17."),
    ({"around_the_clock": False}, "Skogsbergs kommun tar inte emot ärenden dygnet runt."),
])
def test_service_hours_stand_with_the_tasks(tmp_path: Path, hours: dict[str, Any],
                                            said: str) -> None:
    data = read_yaml(JOUR)
    data["tasks"]["service_hours"] = hours
    text = agreement(tmp_path, data)
    heading = next(h for h in md_headings(text) if h.endswith(" Uppgifter som omfattas"))
    assert norm(md_section(text, heading)).endswith(said)
    assert norm(md_body(text)).count("emot ärenden") == 1


def _decision(tmp_path: Path, data: dict[str, Any], party: str) -> str:
    agreement(tmp_path, data)
    return norm((tmp_path / "out" / str(data["id"]) / party / "beslut.md").read_text("utf-8"))


def test_further_delegation_is_decided_through_the_förvaltningschef(tmp_path: Path) -> None:
    """7 kap. 6 § KL: the nämnd lets the performer's förvaltningschef pass the decisions
    on; an enhetschef cannot, and without a förvaltningschef no such point is written."""
    data = read_yaml(JOUR)
    external = data["delegation"]["external"]
    external["further_delegation"] = True
    external["further_delegation_to"] = "socialsekreterare i socialjouren"
    without = _decision(tmp_path / "enhetschef", data, "hoglunda")
    assert "överlåter" not in without
    assert "och under förutsättning att avtalet har ingåtts, på socialnämndens vägnar" in without
    assert "så länge avtalet gäller." in without
    external["delegates"].append(
        {"title": "Socialchef", "party": "skogsberg", "employment": "anstalld"})
    text = _decision(tmp_path / "socialchef", data, "hoglunda")
    assert ("Socialnämnden överlåter enligt 7 kap. 6 § och 9 kap. 37 § andra stycket "
            "kommunallagen (2017:725) åt socialchef hos Skogsbergs kommun att, så länge avtalet "
            "gäller, i sin tur uppdra åt socialsekreterare i socialjouren hos Skogsbergs kommun "
            "att fatta beslut om ekonomiskt bistånd till akuta behov och beslut om tillfälligt "
            "boende till den som står utan bostad.") in md_unescape(text)
    performer = _decision(tmp_path / "socialchef", data, "skogsberg")
    assert "överlåter" not in performer  # its own staff: its own delegationsordning


def test_no_power_to_extend_an_agreement_without_extension(tmp_path: Path) -> None:
    data = read_yaml(SPECS / "familjeratt-sodra-roslagen.yaml")
    lidingo = next(p for p in data["parties"] if p.get("ref", p.get("id")) == "lidingo")
    assert lidingo["decision"]["extension_authority"] is True
    assert "förlängning" in _decision(tmp_path / "with", data, "lidingo")
    del data["term"]["extension"]
    assert "förlängning" not in _decision(tmp_path / "without", data, "lidingo")


def test_only_those_who_give_assignments_are_counted_as_giving_them(tmp_path: Path) -> None:
    """Where one party performs and the others order, the expected number of assignments
    is each orderer's, never "varje part" (the performer gives none)."""
    data = read_yaml(FIXTURE)
    data["assignments"] = {"initiated_by": "uppdragsgivare", "accepted_by": "uppdragstagare",
                           "cap": {"cases": 6, "binding": False}}
    texts = _all_markdown(tmp_path, data)
    said = [line for text in texts.values() for line in norm(text).splitlines()
            if "uppdrag per år" in line]
    assert said, "antalet uppdrag står inte någonstans"
    assert all("varje uppdragsgivare lämnar omkring sex uppdrag" in line for line in said), said


def test_joint_controllers_may_name_no_contact_point(tmp_path: Path) -> None:
    """The arrangement between joint controllers may name a contact point; without one
    the spec is valid and the agreement lists none (it listed a blank before, or the spec
    was refused)."""
    from test_rules import JOINT, PERSONAL_ROLES, edited

    without = JOINT.replace("      contact_point:\n        party: stockholm\n", "")
    assert without != JOINT
    text = edited((PERSONAL_ROLES, "    roles: gemensamt\n    arrangement: Parterna delar "
                   "ansvaret.\n" + without))
    out = build_text(text, tmp_path)
    said = norm(md_unescape(next(out.rglob("avtal.md")).read_text(encoding="utf-8")))
    assert "Gemensamt personuppgiftsansvariga är Stockholms stad och Region Stockholm." in said
    assert "Kontaktpunkt" not in said
    assert "Den registrerade vänder sig till staden." in said


@pytest.mark.parametrize(("days", "said"), [(0, "utan varsel"), (1, "med en dags varsel"),
                                            (14, "med 14 dagars varsel")])
def test_an_assignment_notice_is_said_in_words(tmp_path: Path, days: int, said: str) -> None:
    data = read_yaml(JAV)
    data["termination"]["assignments"]["notice_days"] = days
    text = norm(md_unescape(agreement(tmp_path, data)))
    assert f"Ett enskilt uppdrag får sägas upp av hemkommunen eller av den mottagande kommunen "\
        f"{said} om något av följande föreligger" in text
    assert "med 0 dagars varsel" not in text


def test_each_agreement_reads_its_own_section_numbers() -> None:
    """A hub's agreements start from the section numbers of the one before and skip the
    second pass when they match: in a run of agreements numbered alike and otherwise,
    each comes out as it does rendered alone, its references to its own numbers."""
    hub = read_spec(SPECS / "roc-ingang.yaml")
    agreements = [*build_agreements(hub), *build_agreements(read_spec(JOUR))]
    agreements.append(agreements[0])

    def rendered(run: list[Any]) -> list[Any]:
        return list(agreement_documents(run, spec_path=hub.path, locate=hub.locate))

    together = rendered(agreements)
    numbers = [dict(doc.record)["sections"] for doc in together]
    assert numbers[0] == numbers[1] != numbers[-2]  # both ways of the first pass are run
    for agreement, doc, own in zip(agreements, together, numbers, strict=True):
        assert doc.markdown == rendered([agreement])[0].markdown
        text = norm(md_unescape(doc.markdown))
        assert f"# § {own['uppsagning']} " in doc.markdown
        assert f"enligt § {own['uppsagning']}." in text


def test_a_split_the_performer_pays_no_share_of_names_who_shares(tmp_path: Path) -> None:
    """The costs were said to be shared ”mellan parterna” where the performer pays no share
    of them: the sentence names those who share."""
    data = read_yaml(JOUR)
    text = norm(md_unescape(agreement(tmp_path / "alla", copy.deepcopy(data))))
    assert "Kostnaderna fördelas mellan parterna efter antalet invånare" in text
    assert "Parterna delar på kostnaderna enligt självkostnadsprincipen" in text
    populations = data["economics"]["model"]["populations"]
    data["economics"]["model"]["populations"] = [p for p in populations
                                                  if p["party"] != "skogsberg"]
    text = norm(md_unescape(agreement(tmp_path / "utan", data)))
    assert ("Kostnaderna fördelas mellan Åbrinks kommun och Höglunda kommun efter antalet "
            "invånare") in text, text
    assert "Åbrinks kommun och Höglunda kommun delar på kostnaderna" in text
    assert "genom deras andelar" in text
    assert "mellan parterna efter" not in text



@pytest.mark.parametrize("example", ["familjeratt-sodra-roslagen.yaml", "sok-missbruk.yaml"])
@pytest.mark.parametrize("remaining", ["fortsatter", "upphor"])
def test_an_extension_follows_whether_the_others_go_on(
    tmp_path: Path, example: str, remaining: str
) -> None:
    """Where the agreement goes on between the others when one party gives notice, no
    document may say it is extended only if no party gives notice (read the other way:
    one party's notice ends it for all), and where it ends for all, no document may say
    it goes on for some."""
    data = read_yaml(SPECS / example)
    data.setdefault("termination", {"notice_months": 6})["remaining_parties"] = remaining
    spec = dump(data, tmp_path / "spec.yaml")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    texts = {p.relative_to(tmp_path).as_posix(): norm(p.read_text(encoding="utf-8"))
             for p in (tmp_path / "out").rglob("*.md")
             if p.name.startswith(("avtal", "overenskommelse", "tjansteutlatande"))}  # fmt: skip
    said = [sentence for text in texts.values() for sentence in text.split(". ")
            if "förläng" in sentence and " upp " in sentence]
    assert said
    for sentence in said:
        if remaining == "fortsatter":
            assert "ingen part" not in sentence, sentence
        else:
            assert "för de parter som inte" not in sentence, sentence
    if remaining == "fortsatter":
        assert any("för de parter som inte har sagt upp" in s for s in said), said


def test_a_price_per_unit_with_several_payers_is_paid_by_each_for_its_own(
    tmp_path: Path,
) -> None:
    """Several uppdragsgivare and a price per unit with no payer named: each pays for
    what is done on its own assignment; no document may read as all paying together."""
    data = read_yaml(SPECS / "familjeratt-sodra-roslagen.yaml")
    data["economics"]["model"] = {"type": "styckpris", "unit": "arende", "price": 12000}
    data["economics"].pop("estimated_annual_value", None)
    spec = dump(data, tmp_path / "spec.yaml")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    out = tmp_path / "out" / str(data["id"])
    agreement = norm(md_unescape((out / "avtal.md").read_text(encoding="utf-8")))
    assert ("Danderyds kommun, Lidingö stad och Vaxholms stad betalar 12 000 kronor per ärende "
            "till Täby kommun, var och en för det som utförs på dess eget uppdrag.") in agreement
    performer = norm(md_unescape((out / "taby" / "tjansteutlatande.md").read_text("utf-8")))
    assert ("Täby kommun får 12 000 kronor per ärende av var och en av Danderyds kommun, "
            "Lidingö stad och Vaxholms stad för det som utförs på dess eget uppdrag.") in performer
    payer = norm(md_unescape((out / "danderyd" / "tjansteutlatande.md").read_text("utf-8")))
    assert ("Danderyds kommun betalar 12 000 kronor per ärende till Täby kommun för det som "
            "utförs på dess eget uppdrag.") in payer


@pytest.mark.parametrize("payer", [None, "danderyd"])
def test_a_base_fee_beside_a_price_per_unit_is_said_and_counted(
    tmp_path: Path, payer: str | None
) -> None:
    """economics.model.base_fee: every document that gives the price also gives the fixed
    yearly fee, paid by each payer, and the agreement's value counts it once per payer
    (checked through EKON-VARDE, which compares the stated value with the model's)."""
    data = read_yaml(SPECS / "familjeratt-sodra-roslagen.yaml")
    model = {"type": "styckpris", "unit": "plats", "price": 1000, "volume_per_year": 100,
             "base_fee": 50000}
    data["economics"]["model"] = {**model, **({"payer": payer} if payer else {})}
    payers = 1 if payer else 3
    data["economics"]["estimated_annual_value"] = 100000 + 50000 * payers
    spec = dump(data, tmp_path / "spec.yaml")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    assert "EKON-VARDE" not in run.stderr
    out = tmp_path / "out" / str(data["id"])
    agreement = norm(md_unescape((out / "avtal.md").read_text(encoding="utf-8")))
    payer_report = norm(md_unescape((out / "danderyd" / "tjansteutlatande.md").read_text("utf-8")))
    performer = norm(md_unescape((out / "taby" / "tjansteutlatande.md").read_text("utf-8")))
    if payer:
        assert ("till Täby kommun. Danderyds kommun betalar dessutom en fast grundavgift om "
                "50 000 kronor per år till Täby kommun.") in agreement
        assert "Dessutom får Täby kommun en fast grundavgift om 50 000 kronor per år av " \
            "Danderyds kommun." in performer
    else:
        assert ("eget uppdrag. Var och en av dem betalar dessutom en fast grundavgift om 50 000 "
                "kronor per år till Täby kommun.") in agreement
        assert "Dessutom får Täby kommun en fast grundavgift om 50 000 kronor per år av var " \
            "och en av dem." in performer
    assert "Dessutom betalar Danderyds kommun en fast grundavgift om 50 000 kronor per år." \
        in payer_report
    for built in out.rglob("*.md"):  # each sentence its own, not run on after another
        run_on = re.search(r"\w+[a-zåäö]\.[A-ZÅÄÖ]\w+", md_unescape(built.read_text("utf-8")))
        assert run_on is None, f"{built.name}: {run_on.group(0)!r}"
    # The value stated without the fees is the model's value less them: EKON-VARDE says so.
    data["economics"]["estimated_annual_value"] = 100000
    run = run_cli("check", dump(data, tmp_path / "spec.yaml"))
    assert "EKON-VARDE" in run.stdout + run.stderr
    assert "kronor per år" in run.stdout + run.stderr


def test_a_decision_only_some_delegates_may_take_is_given_to_them_alone(tmp_path: Path) -> None:
    """decision_types[].delegates: the agreement's table names them, the staff report says
    only they may take the decision, and each delegating nämnd's decision gives it to
    them alone, in a point of its own, never to every delegate."""
    data = read_yaml(SPECS / "familjeratt-sodra-roslagen.yaml")
    kinds = data["delegation"]["external"]["decision_types"]
    restricted = next(k for k in kinds if k["id"] == "utse-utredare")
    restricted["delegates"] = ["enhetschef för familjerätten"]
    spec = dump(data, tmp_path / "spec.yaml")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    out = tmp_path / "out" / str(data["id"])
    text = norm(md_unescape(restricted["text"]))
    rows = [norm(md_unescape(line)) for line in (out / "avtal.md").read_text("utf-8").splitlines()
            if line.startswith("| ")]
    row = next(r for r in rows if r.startswith(f"| {text[:1].upper()}{text[1:]} |"))
    assert row.endswith("| enhetschef för familjerätten |"), row
    # the others: any of the agreed delegates
    assert all(r.endswith("| enhetschef för familjerätten, biträdande enhetschef för "
                          "familjerätten eller familjerättssekreterare |") for r in rows
               if " kap. " in r and r != row and "ordföranden" not in r)
    for party in ("danderyd", "lidingo", "vaxholm"):
        decision = norm(md_unescape((out / party / "beslut.md").read_text(encoding="utf-8")))
        points = [p for p in decision.split(" uppdrar enligt ")[1:]]
        holding = [p for p in points if text in p]
        assert len(holding) == 1, (party, holding)
        assert holding[0].startswith("9 kap. 37 § andra stycket kommunallagen (2017:725) åt "
                                     "enhetschef för familjerätten hos Täby kommun att"), holding
        assert all("familjerättssekreterare" not in p for p in holding)
        others = [p for p in points if text not in p]
        assert others and all("familjerättssekreterare" in p for p in others)
        report = norm(md_unescape((out / party / "tjansteutlatande.md").read_text("utf-8")))
        assert f"{text[:1].upper()}{text[1:]} får bara fattas av enhetschef för familjerätten." \
            in report


def test_the_principal_is_told_the_agreement_is_what_lets_it_delegate(tmp_path: Path) -> None:
    """Extern delegering (delegation.external.used): each ordering party's staff report
    says the agreement is what lets its nämnd give the performer's employees the power to
    decide its cases (9 kap. 37 § KL); the performer's report does not say so of itself."""
    data = read_yaml(SPECS / "familjeratt-sodra-roslagen.yaml")
    assert data["delegation"]["external"]["used"] is True
    spec = dump(data, tmp_path / "spec.yaml")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    out = tmp_path / "out" / str(data["id"])
    for party, name in (("danderyd", "Danderyds kommun"), ("vaxholm", "Vaxholms stad")):
        report = norm(md_unescape((out / party / "tjansteutlatande.md").read_text("utf-8")))
        assert (f"Avtalet behövs också för att {name} ska kunna uppdra åt anställda hos Täby "
                "kommun att besluta i dess ärenden") in report
    performer = norm(md_unescape((out / "taby" / "tjansteutlatande.md").read_text("utf-8")))
    assert "Avtalet behövs också för att" not in performer
    data["delegation"]["external"]["used"] = False
    for key in ("delegates", "decision_types", "further_delegation", "scope"):
        data["delegation"]["external"].pop(key, None)
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out2",
                  dump(data, tmp_path / "spec2.yaml"))
    report = (tmp_path / "out2" / str(data["id"]) / "danderyd" / "tjansteutlatande.md")
    assert "Avtalet behövs också för att" not in norm(md_unescape(report.read_text("utf-8")))


@pytest.mark.parametrize("example, principal", [
    ("familjebehandling-norrstrom-fjallviken.yaml", "Fjällvikens kommun"),
    ("familjeratt-sodra-roslagen.yaml", None),
])
def test_the_principal_is_named_where_one_party_orders(
    tmp_path: Path, example: str, principal: str | None
) -> None:
    """principal_responsibility.remains_with_principal: with one ordering party the
    agreement names it as the principal; with several it says the rule for each."""
    data = read_yaml(SPECS / example)
    assert data["principal_responsibility"]["remains_with_principal"] is True
    text = norm(md_unescape(agreement(tmp_path, data)))
    if principal:
        assert (f"Huvudmannaskapet för uppgifterna stannar hos {principal}, som enligt lag "
                f"ansvarar för dem. {principal} behåller ansvaret") in text
    else:
        assert ("Huvudmannaskapet för uppgifterna stannar hos den part som enligt lag "
                "ansvarar för dem. Den parten behåller ansvaret") in text


def test_one_restricted_group_is_entered_in_the_delegationsordning_alone(tmp_path: Path) -> None:
    """Every decision type restricted to one delegate: the delegationsordning is completed
    with that delegate alone, never with every title the agreement lists; two types with
    the same delegates share one point."""
    data = read_yaml(SPECS / "familjeratt-sodra-roslagen.yaml")
    for kind in data["delegation"]["external"]["decision_types"]:
        if kind.get("decided_by", "anstalld") == "anstalld":
            kind["delegates"] = ["enhetschef för familjerätten"]
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out",
                  dump(data, tmp_path / "spec.yaml"))
    assert run.code == 0, run.stderr
    decision = norm(md_unescape(
        (tmp_path / "out" / str(data["id"]) / "danderyd" / "beslut.md").read_text("utf-8")))
    assert decision.count(" uppdrar enligt 9 kap. 37 §") == 1
    assert ("med de beslut som anges i föregående punkt, med enhetschef för familjerätten hos "
            "Täby kommun som delegat.") in decision
    assert "familjerättssekreterare" not in decision
