"""The delegation model: who may empower whom (generator/delegation.py), and a scan of
every decision draft and staff report the examples and fixtures build, proving that no
point gives a power to a group, to another party's official, or from fullmäktige to
anyone but a nämnd. The scan reads the built Markdown with its own regular expressions,
not with the generator's model."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from buildkit import ROOT, SPECS_DIR, build_text, md_unescape, norm, read_spec, run_cli

from generator import delegation as dm
from generator.model import build_agreements, party_representatives

SPECS = sorted((ROOT / "specs").glob("*.yaml"))
FIXTURES = [ROOT / "tests" / "fixtures" / "valid.yaml",
            *sorted((ROOT / "tests" / "fixtures").glob("fresh-*.yaml"))]
VALID = ROOT / "tests" / "fixtures" / "valid.yaml"

# A point that gives someone a power, and who gets it.
GRANT = re.compile(
    r"^(?:.+? (?:ger|uppdrar(?: enligt .+?)? åt) (?P<a>.+?) (?:rätt )?att "
    r"|(?P<b>.+?) (?:bemyndigas att|får i uppdrag att|får rätt att|får i fullmäktiges ställe) )")
GROUP = re.compile(r"styrgrupp|grupp|företrädare|cheferna|direktörerna|\bchefer\b", re.I)
ORGAN = re.compile(r"(nämnd|nämnden|styrelsen)$", re.I)


def _party_names() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for path in SPECS + FIXTURES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        names[data["id"]] = [p.get("name", p.get("ref", "")) for p in data["parties"]]
    return names


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("delegation")
    run = run_cli("build", "--format", "md", "--out", out, *SPECS, *FIXTURES)
    assert run.code in (0, 1), run.stderr
    return out


def _points(markdown: str) -> list[tuple[bool, str]]:
    """Each numbered decision point, with whether fullmäktige decides it."""
    text = md_unescape(markdown)
    body = text.split("# Beslut\n", 1)[-1] if "# Beslut\n" in text else text
    head = text.split("\n# ", 1)[0]
    council_doc = "| Organ | " in head and re.search(r"\| Organ \| \w*fullmäktige", head)
    found: list[tuple[bool, str]] = []
    council = bool(council_doc)
    for line in body.splitlines():
        if re.match(r"^\S.* föreslår \w*fullmäktige besluta", line):
            council = True
        elif re.match(r"^\S.* beslutar för egen del", line):
            council = False
        match = re.match(r"^\d+\. (.+)$", line)
        if match:
            found.append((council, norm(match.group(1))))
    return found


def _documents(built: Path) -> list[Path]:
    docs = sorted(p for p in built.rglob("*.md")
                  if p.name.startswith(("beslut", "tjansteutlatande")))
    assert len(docs) > 100
    return docs


def test_no_decision_point_gives_an_unlawful_power(built: Path) -> None:
    names = _party_names()
    checked = 0
    for doc in _documents(built):
        spec_id = doc.relative_to(built).parts[0]
        markdown = doc.read_text(encoding="utf-8")
        own = re.search(r'header-left: "(.+?) ·', markdown)
        assert own, doc
        others = [n for n in names[spec_id] if n and n != own.group(1)]
        for council, point in _points(markdown):
            grant = GRANT.match(point)
            if not grant or "underteckna" in point:
                continue
            holder = grant.group("a") or grant.group("b")
            checked += 1
            where = f"{doc.relative_to(built)}: {point}"
            assert not GROUP.search(holder), f"befogenhet till en grupp: {where}"
            # Another party's official only by extern delegering (9 kap. 37 § KL), the one
            # lawful way; party files named by ref give no name to look for, inline ones do.
            stems = [n.split()[0].rstrip("s") for n in others]
            assert "9 kap. 37 §" in point or not any(s in holder for s in stems if len(s) > 3), \
                f"befogenhet till en annan parts tjänsteman: {where}"
            if council and "9 kap. 37 §" not in point:
                assert ORGAN.search(holder), f"fullmäktige ger en tjänsteman befogenhet: {where}"
    assert checked > 50


def test_no_circular_delegation_and_no_steering_group_power(built: Path) -> None:
    for doc in _documents(built):
        text = norm(md_unescape(doc.read_text(encoding="utf-8")))
        assert "delegationsordning anger" not in text, doc
        assert "ger den gemensamma styrgruppen" not in text, doc
        # No decision waits for another organ's approval (HVB-6); a delegation under
        # 9 kap. 37 § waits for the agreement itself, which is what makes it lawful.
        assert not re.search(r"under förutsättning att [^.]*(godkänner|beslutar)", text), doc


# --------------------------------------------------------------------------- the model

PARTIES = [{"id": "a", "name": "Alby kommun"}, {"id": "b", "name": "Bergsjö kommun"}]


@pytest.mark.parametrize(("grantor", "holder", "ok", "provision"), [
    (dm.FULLMAKTIGE, "socialnämnden", True, "delegering-fullmaktige"),
    (dm.FULLMAKTIGE, "socialchefen", False, "delegering-fullmaktige"),
    (dm.FULLMAKTIGE, "styrgruppen", False, "delegering-fullmaktige"),
    (dm.NAMND, "socialchefen", True, "delegering-anstalld"),
    (dm.NAMND, "ordföranden", True, "delegering-namnd"),
    (dm.NAMND, "arbetsutskottet", True, "delegering-namnd"),
    (dm.NAMND, "styrgruppen", False, "delegering-namnd"),
    (dm.NAMND, "socialcheferna", False, "delegering-namnd"),
    (dm.NAMND, "parternas förvaltningschefer", False, "delegering-namnd"),
    (dm.NAMND, "socialchefen i Bergsjö kommun", False, "extern-delegering"),
    (dm.NAMND, "socialchefen hos den samverkande kommunen", False, "extern-delegering"),
    (dm.NAMND, "utbildningsnämnden", False, "delegering-namnd"),
])
def test_who_may_empower_whom(grantor: str, holder: str, ok: bool, provision: str) -> None:
    found = dm.holders(holder, own=PARTIES[0], parties=PARTIES)
    verdicts = [dm.judge(grantor, h, purpose=dm.AMEND) for h in found]
    assert all(v.ok for v in verdicts) == ok
    assert {v.provision for v in verdicts} == {provision}


def test_another_partys_employee_only_for_cases_within_the_tasks() -> None:
    (holder,) = dm.holders("enhetschef hos Bergsjö kommun", own=PARTIES[0], parties=PARTIES)
    assert dm.judge(dm.NAMND, holder, purpose=dm.CASES, external=True).ok
    assert not dm.judge(dm.NAMND, holder, purpose=dm.AMEND, external=True).ok
    assert not dm.judge(dm.FULLMAKTIGE, holder, purpose=dm.CASES, external=True).ok


def test_one_organ_named_with_och_is_one_holder() -> None:
    (holder,) = dm.holders("Hälso- och sjukvårdsnämnden", own=PARTIES[0], parties=PARTIES)
    assert holder.kind == dm.ORGAN


# --------------------------------------------------------------------------- three nämnder

THREE = {"socialnamnden": ("Socialnämnden", "utredningarna om barn och unga"),
         "utbildningsnamnden": ("Utbildningsnämnden", "skolgången för barnen"),
         "kulturnamnden": ("Kultur- och fritidsnämnden", "fritidsverksamheten för barnen")}


def three_organs(tmp_path: Path) -> Path:
    """The valid fixture with Stockholm deciding through three nämnder, none of them
    fullmäktige: each decides för sin del."""
    text = VALID.read_text(encoding="utf-8")
    start = text.index("    decision:\n      organ: socialnamnden\n")
    end = text.index("  - id: region-stockholm\n")
    block = text[start + len("    decision:\n"):end]
    entries = []
    for i, (organ, (_, area)) in enumerate(THREE.items()):
        body = block.replace("organ: socialnamnden", f"organ: {organ}", 1)
        body = body.replace("diarienummer: SN 2025/1187", f"diarienummer: N{i} 2025/1", 1)
        body += f"      area: {area}\n"
        entries.append("      - " + body.replace("\n      ", "\n        ").lstrip())
    text = text[:start] + "    decisions:\n" + "".join(entries) + text[end:]
    organs = "".join(f"      - id: {o}\n        name: {n}\n" for o, (n, _) in THREE.items())
    text = text.replace(
        "      - id: socialnamnden\n        name: Socialnämnden\n"
        "        responsibility: Ansvarar för individ- och familjeomsorgen för barn och unga.\n",
        organs, 1)
    path = tmp_path / "tre.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_three_nämnder_each_decide_for_their_own_part(tmp_path: Path) -> None:
    spec = three_organs(tmp_path)
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    spec_id = yaml.safe_load(spec.read_text(encoding="utf-8"))["id"]
    for organ, (name, area) in THREE.items():
        draft = (tmp_path / "out" / spec_id / "stockholm" / organ / "beslut.md").read_text(
            encoding="utf-8")
        points = [p for _, p in _points(draft)]
        assert points[0].startswith(f"{name} godkänner för sin del att Stockholms stad ingår")
        assert points[0].endswith(f"i de delar som rör {area}.")
        assert not any(p.startswith(f"{name} ingår") for p in points)
        # Each nämnd authorises the signing and the minor changes for its own part only.
        own = f"{name.lower()}s del" if not name.lower().endswith("s") else f"{name.lower()} del"
        assert f"Socialdirektören bemyndigas att underteckna avtalet för {own}." in points
        assert any(p.startswith(f"{name} uppdrar åt socialdirektören att för Stockholms stads "
                                f"del, i de delar som rör {area}, komma överens") for p in points)
        text = norm(md_unescape(draft))
        for other, (other_name, _) in THREE.items():
            if other != organ:
                assert other_name.lower() in text.split("Hos Stockholms stad beslutar också")[1] \
                    .split(".")[0], (organ, other_name)
        # Who signs agrees with the points: each nämnd's signatory for its own part.
        assert f"Socialdirektören undertecknar avtalet för {own}, och socialdirektören för " \
            in text
        assert "för Stockholms stads räkning" not in text
        report = norm(md_unescape((tmp_path / "out" / spec_id / "stockholm" / organ
                                   / "tjansteutlatande.md").read_text(encoding="utf-8")))
        if organ != "socialnamnden":
            assert (f"{name.lower()} beslutar här om de delar som rör {area}") in report
            assert "avgörs frågan av" not in report


def test_a_nämnd_cannot_empower_another_nämnds_chair(tmp_path: Path) -> None:
    spec = three_organs(tmp_path)
    text = spec.read_text(encoding="utf-8")
    first = text.index("signing_authority: socialdirektören")
    second = text.index("signing_authority: socialdirektören", first + 1)
    spec.write_text(text[:second] + "signing_authority: ordföranden i socialnämnden"
                    + text[second + len("signing_authority: socialdirektören"):], "utf-8")
    run = run_cli("check", spec)
    assert run.code == 1
    assert "/parties/0/decisions/1/signing_authority: [DELEG-ANNAN-PART]" in run.stdout + run.stderr
    assert "”ordföranden i socialnämnden” hör till socialnämnden" in run.stdout + run.stderr


# --------------------------------------------------------------------------- the review's findings


def _read(built: Path, rel: str) -> str:
    return norm(md_unescape((built / rel).read_text(encoding="utf-8")))


def _section(text: str, heading: str) -> str:
    return text.split(f"## {heading}", 1)[1].split(" ## ", 1)[0]


def test_every_staff_report_argues_competence(built: Path) -> None:
    """X-5: a paragraph under 5 kap. 1 § KL in every staff report, from the party's rules,
    the spec's assessment, or a visible gap; never silence."""
    reports = sorted(built.rglob("tjansteutlatande.md"))
    assert len(reports) > 40
    for report in reports:
        order = _section(_read(built, str(report.relative_to(built))), "Beslutsordning")
        assert ("Enligt 5 kap. 1 § kommunallagen (2017:725) beslutar fullmäktige i ärenden av "
                "principiell beskaffenhet eller annars av större vikt.") in order, report


def test_sister_organ_does_not_claim_the_council_s_reasons(built: Path) -> None:
    """HVB-8: the utbildningsnämnd decides för sin del; the council's reasons belong to
    the socialnämnd's case."""
    order = _section(_read(built, "hvb-ostergotland/norrkoping/utbildningsnamnden/"
                                  "tjansteutlatande.md"), "Beslutsordning")
    assert order.startswith(" Utbildningsnämnden beslutar för sin del, i de delar som rör ")
    assert "ska kommunfullmäktige avgöra det här ärendet" not in order
    assert "avgörs frågan av kommunfullmäktige" in order


def test_deciding_organ_in_one_sentence_and_value_per_year(built: Path) -> None:
    """X-15 and X-16."""
    order = _section(_read(built, "socialjour-skogsberg/abrink/tjansteutlatande.md"),
                     "Beslutsordning")
    assert "Socialnämnden beslutar i ärendet, eftersom nämnden är huvudman" in order
    for report in built.rglob("tjansteutlatande.md"):
        text = report.read_text(encoding="utf-8")
        assert not re.search(r"sammanlagda värde[^.]*per år", text), report


def test_gdpr_roles_name_the_nämnd_and_only_the_named_joint_controllers(built: Path) -> None:
    """X-7 and HVB-2."""
    hvb = _read(built, "hvb-ostergotland/avtal.md")
    assert ("Socialnämnden i Norrköpings kommun och Region Östergötland är gemensamt "
            "personuppgiftsansvariga för den gemensamma planeringen kring varje ungdom.") in hvb
    assert "Parterna är gemensamt personuppgiftsansvariga" not in hvb
    jav = _read(built, "javsutredningar-strandvik-ekedal-ramsjo/avtal.md")
    assert "Den mottagande kommunen behandlar" not in jav
    assert ("Den nämnd i den mottagande kommunen som utför uppdraget behandlar personuppgifter "
            "för den ansvariga nämnden i hemkommunen") in jav
    for agreement in built.rglob("avtal.md"):
        text = norm(md_unescape(agreement.read_text(encoding="utf-8")))
        assert "Varje part är personuppgiftsansvarig" not in text, agreement


def test_staff_transfer_in_the_documents_of_every_party_concerned(built: Path) -> None:
    """FR-4 and FR-5: Danderyd and Lidingö lose staff to Täby; Vaxholm does not."""
    root = "familjeratt-sodra-roslagen"
    for party in ("danderyd", "lidingo"):
        report = _read(built, f"{root}/{party}/tjansteutlatande.md")
        assert ("anställda hos Danderyds kommun och Lidingö stad går över till Täby kommun "
                "genom verksamhetsövergång") in report, party
        assert "Arbetsgivaren förhandlar med de berörda arbetstagarorganisationerna" in report
        draft = _read(built, f"{root}/{party}/beslut.md")
        assert "genomföra verksamhetsövergången till Täby kommun" in draft, party
    taby = _read(built, f"{root}/taby/beslut.md")
    assert "genomföra verksamhetsövergången från Danderyds kommun och Lidingö stad" in taby
    vaxholm = _read(built, f"{root}/vaxholm/beslut.md")
    assert "verksamhetsövergång" not in vaxholm


def test_procurement_reasoning_from_the_facts(built: Path) -> None:
    """JAV-2, HVB-10, ROC-4."""
    jav = _read(built, "javsutredningar-strandvik-ekedal-ramsjo/strandvik/tjansteutlatande.md")
    assert "ingen stad köper tjänster på marknaden" not in jav
    assert "Hamburgundantaget" in jav
    hvb = _read(built, "hvb-ostergotland/linkoping/tjansteutlatande.md")
    assert "3 kap. 17 § lagen (2016:1145) om offentlig upphandling" in hvb
    assert "C-429/19 Remondis" in hvb
    assert "- Ydre kommun: Kommunen utreder, beslutar om och följer upp sina placeringar" in hvb
    roc = _read(built, "roc-ingang/sundbyberg/tjansteutlatande.md")
    assert "Sådana uppgifter kan bara utföras av en myndighet" not in roc
    assert ("Med kontrakt avses enligt 1 kap. 15 § lagen (2016:1145) om offentlig upphandling "
            "ett skriftligt avtal med ekonomiska villkor") in roc


def test_where_fullmäktige_decides_the_nämnd_agrees_to_minor_changes() -> None:
    """Fullmäktige gives the right to agree to minor changes to a nämnd, never to an
    official (5 kap. 2 § KL): the agreement names that nämnd for the party, and names no
    one for a party whose organs name different officials."""
    spec = read_spec(ROOT / "specs" / "hvb-ostergotland.yaml")
    agreement = build_agreements(spec)[0]
    norrkoping = next(p for p in agreement.parties if p.id == "norrkoping")
    named = party_representatives(norrkoping)
    assert [who for who, _ in named] == ["Socialnämnden", "utbildningsdirektören"]
    assert agreement.minor_representatives() is None
    one = [p for p in agreement.parties if p.id == "linkoping"]
    assert [who for who, _ in party_representatives(one[0])] == ["socialchefen"]


@pytest.mark.parametrize("given", (True, False))
def test_a_participating_party_gives_its_own_basis(tmp_path: Path, given: bool) -> None:
    """HVB-4: a party that neither hands over nor performs a task (deltagare) is not
    covered by the exception for avtalssamverkan; its staff report says so and gives the
    party's own basis for taking part and paying, or marks it missing with a warning."""
    text = (ROOT / "specs" / "hvb-ostergotland.yaml").read_text(encoding="utf-8")
    if not given:
        start = text.index("      participation_basis: >-\n")
        end = text.index("      competence_assessment:", start)
        text = text[:start] + text[end:]
    spec = tmp_path / "hvb.yaml"
    spec.write_text(text, encoding="utf-8")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    report = _read(tmp_path / "out", "hvb-ostergotland/region-ostergotland/tjansteutlatande.md")
    assert ("Region Östergötland lämnar enligt avtalet inte över någon uppgift till en annan "
            "part och utför ingen uppgift åt de andra parterna.") in report
    assert ("Regionen deltar för att ge de unga på hemmet" in report) == given
    assert ("/parties/1/decision/participation_basis" in run.stderr) == (not given)


def test_in_a_reciprocal_agreement_each_receiver_decides_only_its_own_cases(
        tmp_path: Path) -> None:
    """Every party receives cases: a nämnd delegates to each other kommun's staff only the
    cases that kommun has taken in, not every case of the agreement (9 kap. 37 § KL)."""
    text = (SPECS_DIR / "javsutredningar-strandvik-ekedal-ramsjo.yaml").read_text("utf-8")
    text = text.replace(
        "  external:\n    used: false\n",
        "  external:\n    used: true\n    further_delegation: false\n"
        "    delegates: enhetschefen för utredningsenheten i den mottagande kommunen\n"
        "    decision_types:\n"
        "      - id: bistand\n        text: beslut om bistånd\n"
        '        legal_ref: {chapter: 12, section: 1, law: socialtjänstlagen, sfs: "2025:400"}\n',
        1)
    spec = tmp_path / "specs" / "javs.yaml"
    spec.parent.mkdir()
    spec.write_text(text, "utf-8")
    shutil.copytree(ROOT / "parties", tmp_path / "parties")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    drafts = list((tmp_path / "out").rglob("beslut.md"))
    points = [norm(md_unescape(p.read_text("utf-8"))) for p in drafts]
    delegating = [p for p in points if "uppdrar enligt 9 kap. 37 §" in p]
    assert len(delegating) == 3
    for text in delegating:
        assert ", var och en i de ärenden som den egna kommunen har tagit emot enligt avtalet, " \
            "att, från och med" in text


CONTRIBUTION = ("      - party: region-stockholm\n        text: Regionen bemannar mottagningen med "
                "läkare och sjuksköterskor från beroendevården.\n")


@pytest.mark.parametrize("performer_too", [False, True], ids=["bara-bestallaren", "utforaren-med"])
def test_contributions_are_the_buyers_only_when_every_contributor_orders(
        tmp_path: Path, performer_too: bool) -> None:
    """The Hamburg contributions are introduced as those of the parties that do not perform
    only when each contributor performs nothing; a performer's own contribution is not a
    buyer's (both in the agreement and in every staff report)."""
    text = VALID.read_text(encoding="utf-8")
    assert CONTRIBUTION in text
    if performer_too:
        text = text.replace(CONTRIBUTION, CONTRIBUTION + "      - party: stockholm\n        "
                            "text: Staden ställer lokaler till förfogande.\n", 1)
    docs = sorted(build_text(text, tmp_path).rglob("*.md"))
    said = [norm(md_unescape(d.read_text(encoding="utf-8"))) for d in docs]
    introduced = [line for doc in said for line in doc.splitlines()
                  if "bidrar också till samarbetet" in line or "bidrar så här" in line]
    assert introduced, "bidragen presenteras inte"
    for line in introduced:
        assert ("som inte själv" in line) is not performer_too, line


@pytest.mark.parametrize("nature", ["insatser", "bada"])
def test_procurement_reasoning_names_the_services_only(tmp_path: Path, nature: str) -> None:
    """Myndighetsutövning is no service: where the cooperation holds both, the staff
    report says the Hamburg exception of the services, not that the whole is services."""
    text = VALID.read_text(encoding="utf-8")
    assert "  nature: insatser\n" in text
    out = build_text(text.replace("  nature: insatser\n", f"  nature: {nature}\n", 1), tmp_path)
    reports = sorted(out.rglob("tjansteutlatande.md"))
    assert reports
    for report in reports:
        said = norm(md_unescape(report.read_text(encoding="utf-8")))
        assert ("Samverkan avser tjänster men omfattas" in said) is (nature == "insatser")
        assert ("Tjänsterna omfattas av undantaget" in said) is (nature == "bada")


def test_the_whole_value_is_not_said_to_send_the_party_to_fullmaktige(tmp_path: Path) -> None:
    """The agreement's whole value above a party's limit, the party's own cost unknown:
    the staff report says the whole value is the whole's and that the party's own is not
    given, never that fullmäktige must decide (while the nämnd decides)."""
    from test_rules import WHOLE_VALUE, edited

    report = next(build_text(edited(*WHOLE_VALUE), tmp_path).rglob(
        "region-stockholm/halso-och-sjukvardsnamnden/tjansteutlatande.md"))
    said = norm(md_unescape(report.read_text(encoding="utf-8")))
    assert "Hela avtalets värde, för alla parter tillsammans, är 6 000 000 kronor per år." in said
    assert "men avtalet anger inte hur stor del av värdet som faller på Region Stockholm" in said
    assert "kostnadsmodell" not in said  # the tool's word, not the nämnd's
    assert "ska regionfullmäktige avgöra det här ärendet" not in said


def test_a_reason_for_fullmaktige_stands_alone_when_no_limit_is_reached(
        tmp_path: Path) -> None:
    """A path to fullmäktige that reaches none of the party's limits, with the staff's own
    reason (competence_assessment): the report gives the reason, and does not also say the
    limits are not reached (which read as the opposite of the reason)."""
    from test_rules import COMPETENCE, TO_COUNCIL, edited

    higher = (COMPETENCE[0], COMPETENCE[1].replace("4000000", "9000000"))
    report = next(build_text(edited(higher, *TO_COUNCIL), tmp_path).rglob(
        "stockholm/tjansteutlatande.md"))
    said = norm(md_unescape(report.read_text(encoding="utf-8")))
    assert "når inte någon av de gränser" not in said
    assert ("större vikt. Avtalet ändrar inte verksamhetens mål eller inriktning" in said)
