"""The legal and completeness rules, one passing and one failing variant per rule.

Every variant is the valid fixture with a few lines of YAML text changed, written to a
temporary file and read back, so the line numbers in the findings are real. The
expected line is found by searching the variant's text, never written out by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from buildkit import read_spec

import generator.rules.catalogue  # noqa: F401  (registers the rules)
from generator.errors import Issue, Severity
from generator.load import Spec
from generator.pipeline import check
from generator.rules import RULES, Finding, Rule, run_rules
from generator.validate import validate

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "fixtures" / "valid.yaml"
FLAWED = ROOT / "tests" / "fixtures" / "flawed.yaml"
VALID_TEXT = VALID.read_text(encoding="utf-8")
RULE_ID = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")  # the pattern rule_exceptions[].rule allows

Edit = tuple[str, str]

# --------------------------------------------------------------------------- helpers


def edited(*edits: Edit, base: str = VALID_TEXT) -> str:
    """The base text with each `old` (which must occur exactly once) replaced by `new`."""
    text = base
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} står {text.count(old)} gånger i texten"
        text = text.replace(old, new)
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based line where `needle` (which must occur exactly once) starts; leading
    newlines in `needle` only pin it to the start of a line."""
    assert text.count(needle) == 1, f"{needle!r} står {text.count(needle)} gånger i texten"
    skip = len(needle) - len(needle.lstrip("\n"))
    return text[: text.index(needle) + skip].count("\n") + 1


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def norm(text: str) -> str:
    """Whitespace (incl. the no-break spaces in amounts) collapsed to single spaces."""
    return " ".join(text.split())


def codes(issues: list[Issue] | tuple[Issue, ...]) -> set[str]:
    return {i.code for i in issues}


def clean_spec(path: Path) -> Spec:
    """Load a variant and make sure it is schema-valid and free of form problems."""
    spec = read_spec(path)
    problems = validate(spec)
    assert problems == [], "varianten ska vara giltig:\n" + "\n".join(
        f"{i.location}: {i.location.pointer}: {i.message}" for i in problems)
    return spec


# --------------------------------------------------------------------------- blocks of valid.yaml

PROCUREMENT = """procurement:
  basis: hamburg
  service_category: sociala_tjanster
  hamburg:
    establishes_cooperation: true
    common_goals: true
    public_interest_only: true
    open_market_share_percent: 0
    contributions:
      - party: region-stockholm
        text: Regionen bemannar mottagningen med läkare och sjuksköterskor från beroendevården.
"""
SHARES_MODEL = """    type: fasta_andelar
    total_cost: 6400000
    basis: Mottagningens samlade kostnader för personal och lokaler.
    shares:
      - parties: [region-stockholm]
        percent: 30
      - parties: [stockholm]
        percent: 70
    deficit: Ett underskott fördelas i samma proportion som andelarna.
"""
UNIT_PRICED = ("    type: styckpris\n    unit: arende\n    price: 12000\n"
               "    payer: region-stockholm\n")
TERM_DATES = "  start: 2026-01-01\n  end: 2027-12-31\n"  # 24 months
MID_MONTH_YEAR = "  start: 2026-01-15\n  duration_months: 12\n"  # 15 jan 2026 – 14 jan 2027
MID_MONTH_END = "  start: 2026-01-15\n  end: 2027-01-14\n"  # the same year, by end date
END_OF_MONTH = "  start: 2026-01-31\n  end: 2026-02-28\n"  # one month, ending on the 28th
TERMINATION_NOTICE = "termination:\n  notice_months: 6\n"
EXTENSION_NOTICE = "    period_months: 12\n    notice_months: 6\n"
ANALYSES = (
    "      analyses:\n"
    "        gender_equality: Avtalet gäller flickor och pojkar på samma villkor.\n"
)
DETAILS = "    details: Var part är personuppgiftsansvarig för den dokumentation den själv för.\n"
PERSONAL_ROLES = "    roles: separata\n"
SECRECY = "  secrecy: Uppgifter lämnas mellan parterna endast med den unges samtycke.\n"
CONSENT = "  consent: Samtycke inhämtas vid första besöket och dokumenteras i journalen.\n"
FOLLOW_UP_ROUTINES = """  consultation: Parterna samråder minst en gång per kvartal.
  steering_group:
    composition: En chef från varje part.
    meetings_per_year: 2
"""
EXCLUDED = """  excluded:
    - id: slutenvard
      text: Slutenvård och abstinensbehandling.
"""
PREPARATION = "      preparation: Ärendet har beretts av socialförvaltningen.\n"
MINOR_BY = ("  minor_approved_by: parterna gemensamt, var och en genom den befattningshavare "
            "som parten har utsett.\n")
OWN_MINOR = "      minor_amendments_by: socialdirektören\n"
MINOR_APPROVED = "  minor_approved_by: parterna gemensamt"
DECISION_START = "\n      organ: socialnamnden\n"  # first line of parties[0].decision
MEETING = "      meeting_date: 2025-12-09\n"
REFERRAL = ("större vikt.\n",
            "större vikt. De ekonomiska villkoren lämnas till kommunfullmäktige.\n")
PATH_TO_COUNCIL = """      path:
        - organ: kommunstyrelsen
          name: Kommunstyrelsen
          meeting_date: 2025-12-15
        - organ: kommunfullmaktige
          name: Kommunfullmäktige
          meeting_date: 2025-12-18
"""
# The decision path to fullmäktige, which empowers the nämnd (not the official the block
# names) for minor changes: the block names none (BESLUT-TJANSTEMAN-FULLMAKTIGE).
TO_COUNCIL = ((MEETING, MEETING + PATH_TO_COUNCIL), (OWN_MINOR, ""))
COMPETENCE = ("  - id: region-stockholm\n", """    competence:
      council: kommunfullmaktige
      council_name: Kommunfullmäktige
      source: stadens riktlinjer för avtal
      annual_kronor: 4000000
  - id: region-stockholm
""")
ASSESSMENT = ("      competence_assessment: Avtalet ändrar inte verksamhetens mål eller "
              "inriktning, och förvaltningen bedömer att ärendet inte är av principiell "
              "beskaffenhet eller annars av större vikt.\n")
SOL_SFS = '    sfs: "2025:400"\n'
SOL_ROLE = "    role: tillampligt\n"
PURPOSE_END = "oavsett vilken huvudman insatsen hör till."
BEST_INTEREST = "    note: Barnets bästa vid alla åtgärder som rör barn.\n"
SOL_PLACE = "  - chapter: 3\n    section: 1\n    law: socialtjänstlagen\n"
KL_ROLE = "    law: kommunallagen\n    role: grund\n"
KL_NOTE = "    note: Avtalssamverkan mellan kommun och region.\n"
LATE_MEETING = ("      meeting_date: 2025-12-09\n", "      meeting_date: 2026-01-13\n")
EXIT = "  exit: vid_periodens_slut\n"
ORGAN_NAME = "        name: Socialnämnden\n"
PROCESSOR = ("    roles: bitrade\n    controller: region-stockholm\n    processor: stockholm\n"
             "    dpa:\n      exists: true\n")
ROOT_ANCHOR = "kind: avtalssamverkan"  # a missing top-level field is located at the root
RECORDS = """  records:
    registration: Varje part diarieför och dokumenterar i sina egna system.
    archive_responsible: stockholm
"""


def option(call: int) -> Edit:
    """A two-period option held by the region, called `call` months before a period ends."""
    return ("  extension:\n    automatic: true\n    period_months: 12\n    notice_months: 6\n",
            "  extension:\n    automatic: false\n    period_months: 12\n    max_extensions: 2\n"
            f"    holder: region-stockholm\n    call_months: {call}\n")


OWN_COSTS = (SHARES_MODEL, "    type: egna_kostnader\n")


def by_population(day: str) -> Edit:
    """The cost split by population counted on `day` (the region decides on 2025-12-09)."""
    return SHARES_MODEL, ("    type: befolkning\n    total_cost: 6400000\n"
                          f"    population_date: {day}\n    populations:\n"
                          "      - party: stockholm\n        population: 984748\n"
                          "      - party: region-stockholm\n        population: 2454821\n")


def direct(value: int | None, *, category: str = "sociala_tjanster",
           decided: str | None = None, year: int | None = None, own: int | None = None) -> Edit:
    """Replace the Hamburg basis with direct award at a value per party (decided on the
    first meeting day, 9 December 2025, unless `decided` gives another day); `own`: a
    limit the spec gives itself, with a source."""
    lines = ["procurement:", "  basis: direktupphandling", f"  service_category: {category}"]
    if decided is not None:
        lines.append(f"  decided_on: {decided}")
    if year is not None:
        lines.append(f"  threshold_year: {year}")
    if own is not None:
        lines += ["  direct_award_limit:", f"    amount: {own}",
                  "    source: Upphandlingsmyndigheten, gränser från 1 januari 2026"]
    if value is not None:
        lines.append(f"  value_per_party: {value}")
    return PROCUREMENT, "\n".join(lines) + "\n"


def reconciliation(months: int) -> Edit:
    return SHARES_MODEL, f"    type: mottagande_part\n    reconciliation_months: {months}\n"


THIRD_PARTY = (
    "        title: Hälso- och sjukvårdsdirektör\npurpose:",
    "        title: Hälso- och sjukvårdsdirektör\n"
    "  - id: solna\n    name: Solna stad\n    type: kommun\n    org_nr: 212000-0159\n"
    "    roles: [uppdragsgivare]\n"
    "    organs:\n      - id: socialnamnden\n        name: Socialnämnden\n"
    "    signatories:\n      - name: Sara Holm\n        title: Socialdirektör\npurpose:",
)


def group_split(*model_lines: str) -> Edit:
    """Stockholm and Solna share 70 % split by population (with THIRD_PARTY)."""
    extra = "".join(f"    {line}\n" for line in model_lines)
    return SHARES_MODEL, SHARES_MODEL.replace(
        "      - parties: [stockholm]\n        percent: 70\n",
        "      - parties: [stockholm, solna]\n        percent: 70\n        split: befolkning\n",
    ) + extra


def notice(months: int) -> Edit:
    return TERMINATION_NOTICE, f"termination:\n  notice_months: {months}\n"


def economics(line: str) -> Edit:
    return "  principle: sjalvkostnad\n", f"  principle: sjalvkostnad\n  {line}\n"


def hamburg(key: str, value: str) -> Edit:
    old = f"    {key}: " + ("0" if key == "open_market_share_percent" else "true") + "\n"
    return old, f"    {key}: {value}\n"


def processor(*extra: str) -> Edit:
    lines = ["    roles: bitrade", "    controller: region-stockholm", "    processor: stockholm",
             *extra]
    return PERSONAL_ROLES, "\n".join(lines) + "\n"


def party_type(kind: str, name: str = "Region Stockholm") -> Edit:
    return ("    name: Region Stockholm\n    type: region\n",
            f"    name: {name}\n    type: {kind}\n")


def analyses(*lines: str) -> Edit:
    body = "".join(f"        {line}\n" for line in lines)
    return ANALYSES, "      analyses:\n" + body


def external(*lines: str) -> Edit:
    return "    used: false\n", "    used: true\n" + "".join(f"    {line}\n" for line in lines)


DELEGATION = "  nature: insatser\n  external:\n    used: false\n"
AUTHORITY = ("  nature: insatser\n", "  nature: myndighetsutovning\n")
LVU_6 = ("legal_ref: {section: 6, law: lagen med särskilda bestämmelser om vård av unga, "
         'sfs: "1990:52"}')
LVU_4 = ("legal_ref: {section: 4, law: lagen med särskilda bestämmelser om vård av unga, "
         'sfs: "1990:52"}')
SOL_18_11 = 'legal_ref: {chapter: 18, section: 11, law: socialtjänstlagen, sfs: "2025:400"}'
SKYDD_4_1 = ("legal_ref: {chapter: 4, section: 1, law: lagen om placering av barn i skyddat "
             'boende, sfs: "2024:79"}')
FB_2_9 = 'legal_ref: {chapter: 2, section: 9, law: föräldrabalken, sfs: "1949:381"}'
SOL_22_3 = 'legal_ref: {chapter: 22, section: 3, law: socialtjänstlagen, sfs: "2025:400"}'


SCHOOL_AREA = "        responsibility: Ansvarar för förskolan och skolan"
SCHOOL_BOARD = ("        name: Socialnämnden\n        responsibility: Ansvarar för individ- och "
                "familjeomsorgen för barn och unga.",
                f"        name: Utbildningsnämnden\n{SCHOOL_AREA}")
LVU_INTAKE = ("Utbildningsnämnden beslutar att mottagningen ska ta emot unga som vårdas med "
              "stöd av lagen (1990:52) med särskilda bestämmelser om vård av unga.")


def region_block(officer: str, phone: str) -> Edit:
    """A decision block of the region's own, with the case officer given."""
    return ("        title: Hälso- och sjukvårdsdirektör\n",
            "        title: Hälso- och sjukvårdsdirektör\n    decision:\n"
            "      organ: halso-och-sjukvardsnamnden\n      administration: Hälso- och "
            f"sjukvårdsförvaltningen\n      case_officer:\n        name: {officer}\n"
            f"        title: Utredare\n        phone: {phone}\n"
            "      diarienummer: HSN 2025/0412\n      report_date: 2025-11-03\n"
            "      meeting_date: 2025-12-09\n      signing_authority: hälso- och "
            "sjukvårdsdirektören\n")


UPPSALA = ("    name: Region Stockholm\n", "    name: Region Uppsala\n")


def region_contacts(second_email: str) -> Edit:
    """Two contacts of the region's own, the second with the e-mail address given."""
    return ("    signatories:\n      - name: Erik Sandberg\n",
            "    contacts:\n      - function: Beroendemottagningen\n        phone: 08-123 400 00\n"
            "        email: beroende@regionuppsala.se\n      - function: Avtalsansvarig\n"
            f"        phone: 08-123 400 10\n        email: {second_email}\n"
            "    signatories:\n      - name: Erik Sandberg\n")


def own_point(point: str) -> Edit:
    """One point of the first party's own, under decision_points.add."""
    return OWN_MINOR, f"{OWN_MINOR}      decision_points:\n        add:\n          - {point}\n"


def _urgent_lvu() -> Edit:
    return coded(True, decision("lvu", "beslut om omedelbart omhändertagande", LVU_6,
                                "decided_by: ordforande_eller_ledamot"), top=URGENT)


ORDERS_TOO = ("    roles: [uppdragstagare, huvudman]\n",
              "    roles: [uppdragstagare, huvudman, uppdragsgivare]\n")
CONTRIBUTIONS = """    contributions:
      - party: region-stockholm
        text: Regionen bemannar mottagningen med läkare och sjuksköterskor från beroendevården.
"""
URGENT = ("urgent_decisions:", "  by: ordforande_eller_ledamot",
          "  reachable_around_the_clock: true")


def decision(ident: str, text: str, ref: str, *extra: str) -> tuple[str, ...]:
    """One entry of external.decision_types, as lines under `decision_types:`."""
    return (f"  - id: {ident}", f"    text: {text}", f"    {ref}", *(f"    {e}" for e in extra))


SOL_12_1_REF = 'legal_ref: {chapter: 12, section: 1, law: socialtjänstlagen, sfs: "2025:400"}'
RESTRICTED_AID = decision("bistand", "beslut om avslag på ekonomiskt bistånd", SOL_12_1_REF,
                          "delegates: [enhetschef]")
TWO_DELEGATES = ("further_delegation: false", "delegates:", "  - title: socialsekreterare",
                 "    party: stockholm", "    employment: anstalld", "  - title: enhetschef",
                 "    party: stockholm", "    employment: anstalld")
EMPLOYEE_DECISION = decision(
    "bistand", "beslut om ekonomiskt bistånd",
    'legal_ref: {chapter: 12, section: 1, law: socialtjänstlagen, sfs: "2025:400"}')


def coded(used: bool, *types: tuple[str, ...], top: tuple[str, ...] = (),
          ext: tuple[str, ...] = ("further_delegation: false",)) -> Edit:
    """Delegation of myndighetsutövning with a coded scope of decision types."""
    lines = ["  nature: myndighetsutovning", "  external:", f"    used: {str(used).lower()}"]
    lines += [f"    {e}" for e in ext]
    if types:
        lines.append("    decision_types:")
        lines += [f"    {line}" for t in types for line in t]
    lines += [f"  {line}" for line in top]
    return DELEGATION, "\n".join(lines) + "\n"


def delegate(employment: str, title: str = "enhetschef för socialjouren") -> Edit:
    return coded(True, EMPLOYEE_DECISION, ext=(
        "further_delegation: false", "delegates:", f"  - title: {title}",
        "    party: stockholm", f"    employment: {employment}"))


LAKARE = "        text: Bidrar med läkarkompetens enligt överenskommelse i styrgruppen.\n"
NO_DUTY = ("  - role: uppdragsgivare\n    duties:\n      - id: lakare\n" + LAKARE, "")
JOINT = ("    joint:\n      controllers:\n        - party: stockholm\n"
         "        - party: region-stockholm\n      contact_point:\n        party: stockholm\n"
         "      data_subject_rights: Den registrerade vänder sig till staden.\n"
         "      incidents: Varje part hanterar sina egna incidenter.\n"
         "      information: Staden informerar de registrerade.\n")
UNTIL = (TERM_DATES, "  start: 2026-01-01\n  until_further_notice: true\n")
NO_EXTENSION = ("  extension:\n    automatic: true\n" + EXTENSION_NOTICE, "")
INDEXATION = "    indexation: Beloppet räknas upp med prisindex.\n"
INVOICING = "    interval_months: 3\n    payment_days: 30\n"


URGENT_BY_STAFF = coded(True, decision("jour", "beslut om bistånd i akuta lägen",
                                        'legal_ref: {law: socialtjänstlagen, sfs: "2025:400"}',
                                        "urgent: true"))


def hours(around: str, times: str = "vardagar 8–17") -> Edit:
    told = f"    hours: {times}\n" if times else ""
    return ("tasks:\n  included:\n",
            f"tasks:\n  service_hours:\n    around_the_clock: {around}\n{told}  included:\n")


def breach_terms(days: int) -> Edit:
    return EXIT, ("  exit: under_avtalstiden\n  breach_terms:\n"
                  f"    cure_days: {days}\n    effect: omedelbart\n")


def ongoing(notice: str, extension: str = "") -> Edit:
    extended = f" En förlängning med {extension} ändrar inte det." if extension else ""
    return EXIT, (f"{EXIT}  ongoing_assignments: Pågående uppdrag slutförs under "
                  f"uppsägningstiden om {notice}.{extended}\n")


def breach_text(cure: str, effect: str = "att upphöra omedelbart") -> Edit:
    return EXIT, (f"{EXIT}  breach: En part får säga upp avtalet {effect} om den andra parten "
                  f"väsentligt bryter mot det och inte har rättat sig inom {cure} efter "
                  "skriftlig anmaning.\n  breach_terms:\n    cure_days: 30\n"
                  "    effect: omedelbart\n")


def meets(times: str) -> Edit:
    return ("    composition: En chef från varje part.\n",
            f"    composition: En chef från varje part. Gruppen sammanträder {times} gånger "
            "per år.\n")


def advance(*, reconciled: bool) -> Edit:
    extra = "  reconciliation:\n    interval_months: 12\n" if reconciled else ""
    return INVOICING, INVOICING + "    timing: forskott\n" + extra


def settle(months: int) -> Edit:
    return INVOICING, INVOICING + f"  reconciliation:\n    interval_months: {months}\n"


def fixed_sum(*extra: str, payer: str | None = "region-stockholm") -> Edit:
    return SHARES_MODEL, ("    type: fast_ersattning\n    amount: 6400000\n"
                          + (f"    payer: {payer}\n" if payer else "") + "".join(extra))


def nature_with_decisions(nature: str) -> Edit:
    return DELEGATION, (f"  nature: {nature}\n  external:\n    used: true\n"
                        "    further_delegation: false\n    decision_types:\n"
                        "      - id: bistand\n        text: beslut om bistånd\n"
                        '        legal_ref: {law: socialtjänstlagen, sfs: "2025:400"}\n')


def members(ids: str) -> Edit:
    return ("    meetings_per_year: 2\n", f"    meetings_per_year: 2\n    members: [{ids}]\n")


def steering_task(task: str) -> Edit:
    return ("    meetings_per_year: 2\n", f"    meetings_per_year: 2\n    tasks:\n      - {task}\n")


def adults(description: str) -> Edit:
    return ("  description: Unga upp till 20 år i Stockholms stad med riskbruk eller missbruk.\n"
            "  age_max: 20\n  includes_children: true\n",
            f"  description: {description}\n  age_min: 18\n  includes_children: false\n")


def journal(extra: str) -> Edit:
    return ("    registration: Varje part diarieför och dokumenterar i sina egna system.\n",
            f"    registration: Parterna dokumenterar i en gemensam journal.{extra}\n")


def task(text: str) -> Edit:
    return ("      text: Gemensam bedömning av den unges behov av stöd och vård.\n",
            f"      text: {text}\n")


SECOND_ORGAN = """      - id: socialnamnden
        name: Socialnämnden
        responsibility: Ansvarar för individ- och familjeomsorgen för barn och unga.
"""
SECOND_SIGNATORY = """        title: Socialdirektör
        organ: socialnamnden
"""


def second_signer(organ: str | None) -> tuple[Edit, Edit]:
    line = f"        organ: {organ}\n" if organ else ""
    return ((SECOND_ORGAN, SECOND_ORGAN + "      - id: kommunstyrelsen\n"
             "        name: Kommunstyrelsen\n"),
            (SECOND_SIGNATORY, SECOND_SIGNATORY + "      - name: Karin Holm\n"
             "        title: Kommunstyrelsens ordförande\n" + line))


# --------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    """A rule, a variant on which it must stay silent and one on which it must fire once."""

    rule: str
    name: str
    severity: Severity
    passing: tuple[Edit, ...]
    failing: tuple[Edit, ...]
    pointer: str
    anchor: str  # text on the line the finding must point at, in the failing variant
    phrase: str  # a key phrase of the Swedish message
    source: str  # a fragment the rule's legal source must contain

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.name}"



# Who the prose names (generator/rules/vem.py) and what no agreement can say.
DETAILS = "    details: Var part är personuppgiftsansvarig för den dokumentation den själv för.\n"
ARCHIVE = "    archive_responsible: stockholm\n"
SECRECY_TEXT = "  secrecy: Uppgifter lämnas mellan parterna endast med den unges samtycke.\n"
EXCHANGED = "  individual_data_exchanged: true\n"
MATERIAL = "  material_approved_by: de organ som har beslutat om avtalet för respektive part\n"
OPINION = "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet.\n"
RENAMED_ORGAN = ("        name: Socialnämnden\n        responsibility: Ansvarar för individ-",
                 "        name: Arbetsmarknads- och socialnämnden\n"
                 "        responsibility: Ansvarar för individ-")
HAMBURG_END = (
    "        text: Regionen bemannar mottagningen med läkare och sjuksköterskor från "
    "beroendevården.\n"
)


def details(text: str) -> Edit:
    return DETAILS, f"    details: {text}\n"


def archive(text: str) -> Edit:
    return ARCHIVE, f"{ARCHIVE}    details: {text}\n"


def transfer(text: str, source: str = "region-stockholm") -> Edit:
    old = "  work_environment: Varje part har arbetsmiljöansvar för sin egen personal.\n"
    return old, (f"{old}  transfer: true\n  transfer_from: [{source}]\n"
                 f"  transfer_of_undertaking: {text}\n")


def text_delegates(text: str) -> Edit:
    return coded(True, EMPLOYEE_DECISION, ext=("further_delegation: false", f"delegates: {text}"))


def joint(*parties: str) -> Edit:
    rows = "".join(f"        - party: {p}\n" for p in parties)
    return PERSONAL_ROLES, (
        "    roles: gemensamt\n    arrangement: Parterna delar ansvaret.\n"
        f"    joint:\n      controllers:\n{rows}      contact_point:\n        party: stockholm\n"
        "      data_subject_rights: Den registrerade vänder sig till staden.\n"
        "      incidents: Varje part hanterar sina egna incidenter.\n"
        "      information: Staden informerar de registrerade.\n")


def procurement_note(text: str) -> Edit:
    return HAMBURG_END, f"{HAMBURG_END}  note: {text}\n"


def consequences(text: str) -> Edit:
    return ANALYSES, f"{ANALYSES}        economic_consequences: {text}\n"


def assignments_cap(opinion: str) -> tuple[Edit, Edit]:
    """A cap of six assignments a year, and a staff report that speaks of it."""
    return (OPINION, f"      opinion: {opinion}\n"), ("force_majeure: true\n", (
        "force_majeure: true\nassignments:\n  initiated_by: uppdragsgivare\n"
        "  accepted_by: uppdragstagare\n  cap:\n    cases: 6\n    binding: true\n"))


def commission(organ: str) -> Edit:
    return OPINION, (OPINION + "      commissions:\n"
                     f"        - organ: {organ}\n          task: informera om mottagningen\n")


def region_decision(diarienummer: str) -> Edit:
    """A decision block for Region Stockholm, with its diarienummer."""
    return ("        title: Hälso- och sjukvårdsdirektör\npurpose:",
            "        title: Hälso- och sjukvårdsdirektör\n    decision:\n"
            "      organ: halso-och-sjukvardsnamnden\n"
            "      administration: Hälso- och sjukvårdsförvaltningen\n"
            "      case_officer:\n        name: Eva Ek\n        title: Utredare\n"
            "        phone: 08-123 456 78\n"
            f"      diarienummer: {diarienummer}\n"
            "      report_date: 2025-11-05\n      meeting_date: 2025-12-10\n"
            "      signing_authority: hälso- och sjukvårdsdirektören\n"
            "      preparation: Ärendet har beretts av förvaltningen.\n"
            "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet.\n"
            "      analyses:\n        gender_equality: Avtalet gäller alla på samma villkor.\n"
            "        child_rights: Mottagningen ger unga stöd tidigt.\npurpose:")


REGION_PATH = ("        path:\n          - organ: regionstyrelsen\n"
               "            name: Regionstyrelsen\n            meeting_date: 2025-12-15\n"
               "          - organ: regionfullmaktige\n"
               "            name: Regionfullmäktige\n            meeting_date: 2025-12-18\n")
REGION_LIMIT = ("    competence:\n      council: regionfullmaktige\n"
                "      council_name: Regionfullmäktige\n"
                "      source: regionens riktlinjer för avtal\n      new_tasks: true\n"
                "      annual_kronor: 100000\n")


def region_decisions(*types: str | None, paths: tuple[bool, bool] = (False, False),
                     tail: str = "", extends: bool = False) -> tuple[Edit, Edit]:
    """Region Stockholm deciding in two nämnder, each block with its own decision types
    (`types`: the ids as YAML, or None for no field), a path to regionfullmäktige where
    `paths` says so, and `tail`: more lines of the party."""
    organ = ("        name: Hälso- och sjukvårdsnämnden\n",
             "        name: Hälso- och sjukvårdsnämnden\n      - id: psykiatrinamnden\n"
             "        name: Psykiatrinämnden\n")
    blocks = ""
    for i, (ident, dnr) in enumerate((("halso-och-sjukvardsnamnden", "HSN 2025/0101"),
                                       ("psykiatrinamnden", "PN 2025/0202"))):
        listed = f"        decision_types: {types[i]}\n" if types[i] is not None else ""
        blocks += (f"      - organ: {ident}\n        administration: Förvaltningen\n"
                   "        case_officer:\n          name: Eva Ek\n          title: Utredare\n"
                   "          phone: 08-123 456 78\n"
                   f"        diarienummer: {dnr}\n        area: del {i + 1} av uppgiften\n"
                   "        report_date: 2025-11-05\n        meeting_date: 2025-12-10\n"
                   "        signing_authority: direktören\n" + listed
                   + ("        extension_authority: true\n" if extends and i == 0 else "")
                   + (REGION_PATH if paths[i] else "") +
                   "        preparation: Ärendet har beretts av förvaltningen.\n"
                   "        opinion: Förvaltningen föreslår att nämnden godkänner avtalet.\n"
                   "        analyses:\n          gender_equality: Avtalet gäller alla lika.\n"
                   "          child_rights: Mottagningen ger unga stöd tidigt.\n")
    return organ, ("        title: Hälso- och sjukvårdsdirektör\npurpose:",
                   "        title: Hälso- och sjukvårdsdirektör\n    decisions:\n" + blocks
                   + tail + "purpose:")


# Region Stockholm (which orders) with a yearly limit, the cost model giving no split, and
# then the whole agreement's estimated value.
WHOLE_VALUE = (*region_decisions(None, None, tail=REGION_LIMIT.replace(
    "      new_tasks: true\n", "")), reconciliation(12),
    economics("estimated_annual_value: 6000000"))


def region_decides_by(organ: str) -> tuple[Edit, Edit]:
    """Region Stockholm deciding in one block by `organ`, with regionstyrelsen among its
    organs beside its nämnd."""
    organs = ("        name: Hälso- och sjukvårdsnämnden\n",
              "        name: Hälso- och sjukvårdsnämnden\n      - id: regionstyrelsen\n"
              "        name: Regionstyrelsen\n")
    block = (f"    decision:\n      organ: {organ}\n      administration: Förvaltningen\n"
             "      case_officer:\n        name: Eva Ek\n        title: Utredare\n"
             "        phone: 08-123 456 78\n      diarienummer: RS 2025/0101\n"
             "      report_date: 2025-11-05\n      meeting_date: 2025-12-10\n"
             "      signing_authority: direktören\n"
             "      preparation: Ärendet har beretts av förvaltningen.\n"
             "      opinion: Förvaltningen föreslår att organet godkänner avtalet.\n"
             "      analyses:\n        gender_equality: Avtalet gäller alla lika.\n"
             "        child_rights: Mottagningen ger unga stöd tidigt.\n")
    return organs, ("        title: Hälso- och sjukvårdsdirektör\npurpose:",
                    "        title: Hälso- och sjukvårdsdirektör\n" + block + "purpose:")


TWO_TYPES = coded(True, EMPLOYEE_DECISION, decision(
    "placering", "beslut om placering", 'legal_ref: {law: socialtjänstlagen, sfs: "2025:400"}'))


HSL_AND_SOL = coded(True, EMPLOYEE_DECISION, decision(
    "vard", "beslut om vårdinsats", 'legal_ref: {law: hälso- och sjukvårdslagen, sfs: "2017:30"}'))
E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: info, a note
KL, LOU, GDPR, SKR = "kommunallagen", "2016:1145", "2016/679", "SKR"

CASES: tuple[Case, ...] = (
    # Parties: only municipalities, regions and municipal associations.
    Case("KL-9-37-PART", "kommunalt-bolag", E,
         (party_type("kommunalforbund", "Storsthlm kommunalförbund"),),
         (party_type("kommunalt_bolag", "Stockholms Stadshus AB"),),
         "/parties/1/type", "type: kommunalt_bolag",
         "Stockholms Stadshus AB är ett kommunalt bolag och kan inte vara part i "
         "avtalssamverkan", KL),
    Case("KL-9-37-PART", "foretag", E, (),
         (party_type("foretag", "Omsorgspartner AB"),),
         "/parties/1/type", "type: foretag", "Omsorgspartner AB är ett företag", KL),
    Case("KL-9-37-PART", "stat", E, (),
         (party_type("stat", "Statens institutionsstyrelse"),),
         "/parties/1/type", "type: stat", "är en statlig myndighet", KL),
    # Roles: someone performs, someone has it performed.
    Case("KL-9-37-ROLLER", "ingen-uppdragsgivare", E,
         (("roles: [uppdragsgivare]", "roles: [hemkommun]"),),
         (("roles: [uppdragsgivare]", "roles: [uppdragstagare]"),),
         "/parties", "  - id: stockholm", "ingen part har uppgiften utförd åt sig", KL),
    Case("KL-9-37-ROLLER", "ingen-utforare", E,
         (("roles: [uppdragstagare, huvudman]", "roles: [mottagande_kommun]"),),
         (("roles: [uppdragstagare, huvudman]", "roles: [deltagare]"),),
         "/parties", "  - id: stockholm", "ingen part utför uppgiften", KL),
    # Huvudmannaskap stays with the principal.
    Case("KL-HUVUDMAN", "false", E, (),
         (("remains_with_principal: true", "remains_with_principal: false"),),
         "/principal_responsibility", "remains_with_principal: false",
         "huvudmannaskapet och ansvaret", SKR),
    Case("KL-HUVUDMAN", "saknas", E, (),
         (("principal_responsibility:\n  remains_with_principal: true\n  details: Regionen är "
           "huvudman för hälso- och sjukvården i mottagningen.\n", ""),),
         "/principal_responsibility", ROOT_ANCHOR, "principal_responsibility", SKR),
    # Services need a procurement basis.
    Case("LOU-GRUND", "insatser", E,
         ((PROCUREMENT, ""), ("nature: insatser", "nature: myndighetsutovning")),
         ((PROCUREMENT, ""),),
         "/procurement", ROOT_ANCHOR, "omfattas av lagen om offentlig upphandling", LOU),
    Case("LOU-GRUND", "bada", E, (("nature: insatser", "nature: bada"),),
         ((PROCUREMENT, ""), ("nature: insatser", "nature: bada")),
         "/procurement", ROOT_ANCHOR, "procurement.basis", LOU),
    Case("LOU-GRUND", "myndighetsutovning-som-grund", E, (),
         ((PROCUREMENT, "procurement:\n  basis: myndighetsutovning\n"),),
         "/procurement/basis", "basis: myndighetsutovning",
         "myndighetsutövning kan inte ensam vara grunden", LOU),
    Case("LOU-GRUND", "annan-utan-motivering", E,
         ((PROCUREMENT, "procurement:\n  basis: annan\n  note: Insatsen köps inte in, den "
                        "utförs av parternas egen personal.\n"),),
         ((PROCUREMENT, "procurement:\n  basis: annan\n"),),
         "/procurement", "basis: annan", "behöver en motivering", LOU),
    # Direct award only below the threshold, per party.
    Case("LOU-DIREKT-GRANS", "sociala-tjanster", E,
         (direct(8_109_449),), (direct(8_109_450),),
         "/procurement/value_per_party", "value_per_party: 8109450",
         "värdet per part, 8 109 450 kronor, understiger inte direktupphandlingsgränsen "
         "8 109 450 kronor den 9 december 2025", "thresholds.yaml"),
    # The value stated per party under the limit, the annual value over the term with
    # its extension counted as used (5 kap. 3 § LOU) above it.
    Case("LOU-DIREKT-GRANS", "forlangning-raknas", E,
         (direct(7_000_000), economics("estimated_annual_value: 2000000")),
         (direct(7_000_000), economics("estimated_annual_value: 10000000")),
         "/procurement/value_per_party", "value_per_party: 7000000",
         "med förlängningarna räknade som utnyttjade", "5 kap. 3 §"),
    Case("LOU-DIREKT-GRANS", "ovriga", E,
         (direct(699_999, category="ovriga"),), (direct(700_000, category="ovriga"),),
         "/procurement/value_per_party", "value_per_party: 700000",
         "understiger inte direktupphandlingsgränsen 700 000 kronor", LOU),
    Case("LOU-DIREKT-GRANS", "tidigare-period", E,
         (direct(7_802_549, decided="2023-12-31"),), (direct(7_802_550, decided="2023-12-31"),),
         "/procurement/value_per_party", "value_per_party: 7802550",
         "direktupphandlingsgränsen 7 802 550 kronor den 31 december 2023", LOU),
    Case("LOU-DIREKT-GRANS", "sociala-tjanster-2026", E, (direct(100_000),),
         (direct(100_000, decided="2026-01-01"),),
         "/procurement/decided_on", "decided_on: 2026-01-01",
         "är EU:s tröskelvärde 750 000 euro (Kommissionens delegerade förordning (EU) "
         "2025/2152 (tröskelvärden från 1 januari 2026): sociala och andra särskilda tjänster "
         "750 000 euro), men beloppet i kronor finns inte i generator/data/thresholds.yaml. "
         "Det publiceras i kommissionens meddelande C/2025/7081 i Europeiska unionens "
         "officiella tidning och regeringens tillkännagivande om tröskelvärdena i Svensk "
         "författningssamling (SFS); Upphandlingsmyndigheten återger beloppen på "
         "upphandlingsmyndigheten.se under tröskelvärden och direktupphandlingsgränser; skriv "
         "gränsen med sin källa i specifikationen: procurement.direct_award_limit: "
         "{amount: <kronor>, source: <var beloppet är publicerat>}", LOU),
    Case("LOU-DIREKT-GRANS", "sociala-tjanster-2028", E, (direct(100_000),),
         (direct(100_000, decided="2028-01-01"),),
         "/procurement/decided_on", "decided_on: 2028-01-01",
         "finns inte i generator/data/thresholds.yaml, som täcker 1 februari 2022–31 december "
         "2025; lägg in gränsen med sin källa där (med avtal installerat som "
         "paket: uppgradera till en version som har gränsen)", LOU),
    # The law fixes 700 000 kr for ordinary services from 1 February 2022, period or not.
    Case("LOU-DIREKT-GRANS", "ovriga-2026", E,
         (direct(699_999, category="ovriga", decided="2026-03-01"),),
         (direct(700_000, category="ovriga", decided="2027-12-31"),),
         "/procurement/value_per_party", "value_per_party: 700000",
         "understiger inte direktupphandlingsgränsen 700 000 kronor den 31 december 2027", LOU),
    # January 2022 had other limits (700 000 kr applies from 1 February 2022): not covered.
    Case("LOU-DIREKT-GRANS", "januari-2022", E, (direct(100_000, decided="2022-02-01"),),
         (direct(100_000, decided="2022-01-31"),),
         "/procurement/decided_on", "decided_on: 2022-01-31",
         "finns inte i generator/data/thresholds.yaml", LOU),
    Case("LOU-DIREKT-GRANS", "sammantrade-utan-grans", E,
         (direct(100_000, decided="2025-12-01"), LATE_MEETING),
         (direct(100_000), LATE_MEETING),
         "/parties/0/decision/meeting_date", "meeting_date: 2026-01-13",
         "direktupphandlingsgränsen den 13 januari 2026", LOU),
    # A limit the spec gives itself for a day the data lacks: used, and warned about.
    Case("LOU-DIREKT-GRANS", "egen-grans-under", E,
         (direct(100_000, decided="2026-03-01", own=8_000_000),),
         (direct(8_000_000, decided="2026-03-01", own=8_000_000),),
         "/procurement/value_per_party", "value_per_party: 8000000",
         "understiger inte direktupphandlingsgränsen 8 000 000 kronor den 1 mars 2026", LOU),
    Case("LOU-GRANS-EGEN", "egen-grans", W, (direct(100_000),),
         (direct(100_000, decided="2026-03-01", own=8_000_000),),
         "/procurement/direct_award_limit", "amount: 8000000",
         "kommer från specifikationen (källa: Upphandlingsmyndigheten, gränser från 1 januari "
         "2026)", "thresholds.yaml"),
    Case("LOU-GRANS-EGEN", "data-har-gransen", W, (direct(100_000),),
         (direct(100_000, own=8_000_000),),
         "/procurement/direct_award_limit", "amount: 8000000",
         "har gränsen den 9 december 2025 (8 109 450 kronor), och den används", LOU),
    Case("LOU-GRANS-AR", "ar-anges", W, (direct(100_000),), (direct(100_000, year=2024),),
         "/procurement/threshold_year", "threshold_year: 2024",
         "threshold_year används inte längre", "thresholds.yaml"),
    Case("LOU-DIREKT-GRANS", "varde-saknas", E, (direct(100_000),), (direct(None),),
         "/procurement", "basis: direktupphandling", "ange value_per_party", LOU),
    Case("LOU-DIREKT-GRANS", "arsvarde", E,
         (direct(None), economics("estimated_annual_value: 1000000")),
         (direct(None), economics("estimated_annual_value: 40000000")),
         "/economics/estimated_annual_value", "estimated_annual_value: 40000000",
         "understiger inte direktupphandlingsgränsen", LOU),
    # The Hamburg exception: every condition, under 20 % on the open market.
    Case("LOU-HAMBURG", "gemensamma-mal", E, (), (hamburg("common_goals", "false"),),
         "/procurement/hamburg/common_goals", "common_goals: false",
         "gemensamma mål för offentliga tjänster är inte uppfyllt", LOU),
    Case("LOU-HAMBURG", "samarbete", E, (), (hamburg("establishes_cooperation", "false"),),
         "/procurement/hamburg/establishes_cooperation", "establishes_cooperation: false",
         "upprättar ett samarbete", LOU),
    Case("LOU-HAMBURG", "allmanintresse", E, (), (hamburg("public_interest_only", "false"),),
         "/procurement/hamburg/public_interest_only", "public_interest_only: false",
         "allmänintresset", LOU),
    Case("LOU-HAMBURG", "oppna-marknaden", E,
         (hamburg("open_market_share_percent", "19.9"),),
         (hamburg("open_market_share_percent", "20"),),
         "/procurement/hamburg/open_market_share_percent", "open_market_share_percent: 20",
         "undantaget kräver under 20 %", LOU),
    Case("LOU-HAMBURG", "villkor-saknas", E, (),
         ((PROCUREMENT, "procurement:\n  basis: hamburg\n  note: Ett samarbete.\n"),),
         "/procurement", "basis: hamburg", "lägg till procurement.hamburg", LOU),
    # Exercise of public authority: outside LOU, a note.
    Case("LOU-MYNDIGHETSUTOVNING", "myndighetsutovning", N, (),
         (("nature: insatser", "nature: myndighetsutovning"),
          (PROCUREMENT, "procurement:\n  basis: myndighetsutovning\n")),
         "/procurement/basis", "basis: myndighetsutovning",
         "lagen om offentlig upphandling är inte tillämplig", LOU),
    Case("PROSA-LIKA", "lika-men-70-30", W,
         ((PURPOSE_END, PURPOSE_END + " Parterna delar på kostnaderna efter fasta andelar."),),
         ((PURPOSE_END, PURPOSE_END + " Parterna delar lika på kostnaderna."),),
         "/purpose", "purpose: >-", "texten säger ”delar lika”", "economics.model"),
    Case("LOU-NATUR", "myndighetsutovning-direktupphandlas", W,
         (("nature: insatser", "nature: myndighetsutovning"),),
         (("nature: insatser", "nature: myndighetsutovning"),
          (PROCUREMENT, "procurement:\n  basis: direktupphandling\n  value_per_party: 100000\n")),
         "/procurement/basis", "basis: direktupphandling",
         "samverkan bara är myndighetsutövning", LOU),
    # External delegation: scope and further delegation.
    Case("KL-DELEGERING", "omfattning", W,
         (external("scope: Delegeringen omfattar beslut om öppenvård.",
                   "further_delegation: false"),),
         (external("further_delegation: false"),),
         "/delegation/external", "used: true", "ange i scope eller decision_types vilka beslut",
         SKR),
    Case("KL-DELEGERING", "vidaredelegering", W,
         (external("scope: Delegeringen omfattar beslut om öppenvård.",
                   "further_delegation: true", "further_delegation_to: enhetschef"),),
         (external("scope: Delegeringen omfattar beslut om öppenvård."),),
         "/delegation/external", "used: true", "further_delegation: true eller false", SKR),
    # Cost price.
    Case("KL-SJALVKOSTNAD", "over", E,
         (economics("above_cost_price: false"),), (economics("above_cost_price: true"),),
         "/economics/above_cost_price", "above_cost_price: true",
         "får inte överstiga självkostnaden", SKR),
    # Reconciliation within the term.
    # A group's share split by population names the day the population is counted.
    Case("EKON-INVANARE-DATUM", "raknas-efter-besluten", W, (by_population("2024-12-31"),),
         (by_population("2026-01-31"),), "/economics/model/population_date",
         "    population_date: 2026-01-31", "invånarna räknas 31 januari 2026", "economics.model"),
    Case("EKON-INVANARE-DATUM", "gamla-tal", W, (by_population("2024-12-31"),),
         (by_population("2019-12-31"),), "/economics/model/population_date",
         "    population_date: 2019-12-31", "mer än två år före det första beslutet",
         "economics.model"),
    Case("EKON-INVANARE", "befolkningsdatum", W,
         (THIRD_PARTY, group_split("population_date: 2025-12-31")),
         (THIRD_PARTY, group_split()),
         "/economics/model/shares/1/split", "split: befolkning",
         "avtalet säger inte vilken dag invånarna räknas", "kostnadsfördelning"),
    Case("PROSA-OMRAKNING", "uppdateras-men-fast", W,
         ((by_population("2024-12-31")[0], by_population("2024-12-31")[1]
           + "    recalculated_yearly: false\n"),
          ("  invoicing:\n", "  accounting: Invånarantalen gäller hela avtalstiden.\n"
           "  invoicing:\n")),
         ((by_population("2024-12-31")[0], by_population("2024-12-31")[1]
           + "    recalculated_yearly: false\n"),
          ("  invoicing:\n", "  accounting: Invånarantalen uppdateras varje år per den 31 "
           "december året före.\n  invoicing:\n")),
         "/economics/accounting", "  accounting: Invånarantalen",
         "texten säger ”uppdateras varje år”, men recalculated_yearly är false", SKR),
    Case("EKON-AVSTAMNING", "24-manader", W, (reconciliation(24),), (reconciliation(25),),
         "/economics/model/reconciliation_months", "reconciliation_months: 25",
         "avstämning var 25:e månad hinner inte ske under avtalstiden (24 månader)", SKR),
    Case("EKON-AVSTAMNING", "mitt-i-manaden", W,
         (reconciliation(12), (TERM_DATES, MID_MONTH_YEAR)),
         (reconciliation(13), (TERM_DATES, MID_MONTH_YEAR)),
         "/economics/model/reconciliation_months", "reconciliation_months: 13",
         "under avtalstiden (12 månader)", SKR),
    # Personal data.
    Case("GDPR-PUB", "pub-saknas", E,
         (processor("    dpa:", "      exists: true", "      reference: avtal den 1 mars 2026"),),
         (processor(),),
         "/information/personal_data", "    processed: true",
         "inget personuppgiftsbiträdesavtal", GDPR),
    Case("GDPR-PUB", "pub-finns-inte", E,
         (processor("    dpa:", "      exists: true"),),
         (processor("    dpa:", "      exists: false"),),
         "/information/personal_data", "    processed: true", "personuppgiftsbiträde", GDPR),
    Case("GDPR-GEMENSAMT", "arrangemang", E,
         ((PERSONAL_ROLES, "    roles: gemensamt\n    arrangement: Se bilaga 3.\n"),),
         ((PERSONAL_ROLES, "    roles: gemensamt\n"),),
         "/information/personal_data", "    processed: true", "skriftligt arrangemang", GDPR),
    # The arrangement field by field (joint) is an arrangement too.
    Case("GDPR-GEMENSAMT", "arrangemang-i-falt", E,
         ((PERSONAL_ROLES, "    roles: gemensamt\n" + JOINT),),
         ((PERSONAL_ROLES, "    roles: gemensamt\n"),),
         "/information/personal_data", "    processed: true",
         "beskriv det i arrangement, eller fält för fält i joint", GDPR),
    Case("OSL-SEKRETESS", "sekretess-och-samtycke", W,
         ((SECRECY, ""),),
         ((SECRECY, ""), (CONSENT, "")),
         "/information", "  personal_data:", "säger inget om sekretess eller samtycke",
         "sekretesslagen"),
    Case("OSL-SEKRETESS", "behandlas", W,
         ((SECRECY, ""), (CONSENT, ""),
          ("  individual_data_exchanged: true\n", "  individual_data_exchanged: false\n")),
         ((SECRECY, ""), (CONSENT, ""), ("  individual_data_exchanged: true\n", "")),
         "/information", "  personal_data:", "sekretess eller samtycke", "sekretesslagen"),
    # Clauses the schema leaves optional: silence in the agreement, a warning in check.
    Case("GDPR-SAKNAS", "personuppgifter", W, (),
         (("  personal_data:\n    processed: true\n    roles: separata\n    details: Var part "
           "är personuppgiftsansvarig för den dokumentation den själv för.\n", ""),),
         "/information/personal_data", "  individual_data_exchanged: true",
         "säger inget om personuppgifter",
         "2016/679"),
    Case("AVTAL-TVIST-SAKNAS", "tvister", W, (),
         (("disputes:\n  negotiation_first: true\n  forum: allman_domstol\n", ""),),
         "/disputes", ROOT_ANCHOR, "hur tvister löses", SKR),
    Case("EKON-PRINCIP-SAKNAS", "princip", W, (),
         (("  principle: sjalvkostnad\n", ""),),
         "/economics/principle", "  model:", "självkostnadsprincipen", SKR),
    Case("AVTAL-DELEGERING-SAKNAS", "delegering", W, (),
         (("delegation:\n  nature: insatser\n  external:\n    used: false\n", ""),),
         "/delegation", ROOT_ANCHOR, "myndighetsutövning", SKR),
    Case("AVTAL-FORCE-MAJEURE-SAKNAS", "force-majeure", W, (),
         (("force_majeure: true\n", ""),),
         "/force_majeure", ROOT_ANCHOR, "befrielsegrunder", "avtalspraxis"),
    # Follow-up and the yearly report to the council.
    Case("KL-UPPFOLJNING", "fullmaktige", W, (),
         (("    yearly: true\n", "    yearly: false\n"),),
         "/follow_up", "  consultation: Parterna", "redovisas för fullmäktige varje år", KL),
    Case("KL-UPPFOLJNING", "rutin", W,
         ((FOLLOW_UP_ROUTINES, "  reporting: Uppdragstagaren rapporterar varje kvartal.\n"),),
         ((FOLLOW_UP_ROUTINES, ""),),
         "/follow_up", "  council_report:", "saknar rutin för uppföljning", KL),
    # Term and termination.
    Case("AVTAL-UPPSAGNINGSTID", "24-manader", W,
         (notice(24),), (notice(25),),
         "/termination/notice_months", "notice_months: 25",
         "uppsägningstiden (25 månader) är längre än avtalstiden (24 månader)", SKR),
    Case("AVTAL-UPPSAGNINGSTID", "mitt-i-manaden", W,
         (notice(12), (TERM_DATES, MID_MONTH_YEAR), NO_EXTENSION),
         (notice(13), (TERM_DATES, MID_MONTH_YEAR), NO_EXTENSION),
         "/termination/notice_months", "notice_months: 13",
         "längre än avtalstiden (12 månader)", SKR),
    Case("AVTAL-UPPSAGNINGSTID", "slutdatum-mitt-i-manaden", W,
         (notice(12), (TERM_DATES, MID_MONTH_END), NO_EXTENSION),
         (notice(13), (TERM_DATES, MID_MONTH_END), NO_EXTENSION),
         "/termination/notice_months", "notice_months: 13",
         "längre än avtalstiden (12 månader)", SKR),
    Case("AVTAL-UPPSAGNINGSTID", "manadsslut", W,
         (notice(1), (TERM_DATES, END_OF_MONTH)), (notice(2), (TERM_DATES, END_OF_MONTH)),
         "/termination/notice_months", "notice_months: 2",
         "är längre än avtalstiden", SKR),
    Case("AVTAL-RETROAKTIV", "beslut-efter-start", W,
         (), (("      meeting_date: 2025-12-09\n", "      meeting_date: 2026-01-13\n"),),
         "/parties/0/decision/meeting_date", "meeting_date: 2026-01-13",
         "beslutar 2026-01-13, efter att avtalet ska börja gälla (2026-01-01)", SKR),
    Case("AVTAL-RETROAKTIV", "beslut-samma-dag", W,
         (("      meeting_date: 2025-12-09\n", "      meeting_date: 2026-01-01\n"),
          ("      immediate_adjustment: false\n", "      immediate_adjustment: true\n")),
         (("      meeting_date: 2025-12-09\n", "      meeting_date: 2026-01-02\n"),
          ("      immediate_adjustment: false\n", "      immediate_adjustment: true\n")),
         "/parties/0/decision/meeting_date", "meeting_date: 2026-01-02",
         "efter att avtalet ska börja gälla", SKR),
    Case("AVTAL-FORLANGNING", "uppsagning-saknas", W,
         ((EXTENSION_NOTICE, "    period_months: 12\n"),
          ("    automatic: true\n", "    automatic: false\n")),
         ((EXTENSION_NOTICE, "    period_months: 12\n"),),
         "/term/extension", "    automatic: true", "förlängs automatiskt", SKR),
    # Children in the target group.
    Case("BARN-ANALYS", "analys-saknas", W,
         (analyses("child_rights: Barnets bästa har beaktats.", ),),
         ((ANALYSES, ""),),
         "/parties/0/decision/analyses", DECISION_START, "barnrättsanalys", "barnets"),
    Case("BARN-ANALYS", "annan-analys", W,
         (analyses("gender_equality: Ingen skillnad.", "child_rights: Barnets bästa beaktas."),),
         (analyses("gender_equality: Ingen skillnad."),),
         "/parties/0/decision/analyses", "gender_equality: Ingen skillnad.",
         "Stockholms stad behöver en barnrättsanalys", "barnets"),
    Case("BARN-ANALYS", "inga-barn", W,
         (("  includes_children: true\n", "  includes_children: false\n"),
          ("  age_max: 20\n", "  age_min: 18\n  age_max: 20\n")),
         (),
         "/parties/0/decision/analyses", "gender_equality: Avtalet gäller",
         "målgruppen omfattar barn", "barnets"),
    # The parts of the tjänsteutlåtande only the spec can write.
    Case("BESLUT-UNDERLAG", "beredning-saknas", W,
         (), ((PREPARATION, ""),),
         "/parties/0/decision", DECISION_START, "saknar hur ärendet har beretts", "SKR"),
    # Rules that compare fields: delegation as a coded scope.
    Case("KL-DELEGERING-SAKNAS", "anstalld-utan-delegering", E,
         (coded(True, EMPLOYEE_DECISION),),
         (coded(False, EMPLOYEE_DECISION),),
         "/delegation/external/used", "used: false",
         "avtalet låter anställda fatta beslut i myndighetsutövning (beslut om ekonomiskt "
         "bistånd), men ingen extern delegering anges; skriv used: true, eller låt nämnden "
         "själv fatta besluten och ta bort dem ur decision_types", KL),
    Case("KL-VIDAREDELEGERING", "tillaten-men-undantagen", E,
         (coded(True, EMPLOYEE_DECISION, ext=("further_delegation: true",)),),
         (coded(True, (*EMPLOYEE_DECISION, "    further_delegation: false"),
                ext=("further_delegation: true",)),),
         "/delegation/external/further_delegation", "further_delegation: true",
         "vidaredelegering tillåts (further_delegation: true), men varje beslutstyp undantar "
         "den; skriv further_delegation: false, eller ta bort undantagen", SKR),
    Case("KL-FORBEHALLNA-BESLUT", "lvu-till-anstalld", E,
         (coded(True, decision("lvu", "omedelbart omhändertagande", LVU_6,
                               "decided_by: ordforande_eller_ledamot"), top=URGENT),),
         (coded(True, decision("lvu", "omedelbart omhändertagande", LVU_6,
                               "decided_by: anstalld"), top=URGENT),),
         "/delegation/external/decision_types/0", "      - id: lvu",
         "beslut om omedelbart omhändertagande enligt 6 § LVU fattas av nämnden eller, när "
         "nämndens beslut inte kan avvaktas, av ordföranden eller en ledamot som nämnden har "
         "förordnat, aldrig av en anställd; skriv decided_by: ordforande_eller_ledamot",
         "1990:52"),
    Case("KL-BRADSKANDE-BESLUT", "saknas", E,
         (coded(True, decision("lvu", "omedelbart omhändertagande", LVU_6,
                               "decided_by: ordforande_eller_ledamot"), top=URGENT),),
         (coded(True, decision("lvu", "omedelbart omhändertagande", LVU_6,
                               "decided_by: ordforande_eller_ledamot")),),
         "/delegation", "  nature: myndighetsutovning",
         "avtalet omfattar beslut enligt 6 § lagen (1990:52) med särskilda bestämmelser om "
         "vård av unga, men inte hur brådskande beslut fattas; lägg till "
         "delegation.urgent_decisions med by och reachable_around_the_clock", "1990:52"),
    Case("KL-BRADSKANDE-BESLUT", "inte-dygnet-runt", E,
         (coded(True, decision("lvu", "omedelbart omhändertagande", LVU_6,
                               "decided_by: ordforande_eller_ledamot"), top=URGENT),),
         (coded(True, decision("lvu", "omedelbart omhändertagande", LVU_6,
                               "decided_by: ordforande_eller_ledamot"),
                top=(*URGENT[:2], "  reachable_around_the_clock: false")),),
         "/delegation/urgent_decisions/reachable_around_the_clock",
         "reachable_around_the_clock: false",
         "brådskande beslut enligt LVU och LVM kan behövas när som helst; ordna så att "
         "ordföranden eller en förordnad ledamot kan nås dygnet runt och skriv "
         "reachable_around_the_clock: true", "1988:870"),
    Case("KL-DELEGAT-ANSTALLD", "konsult", E,
         (delegate("anstalld"),), (delegate("konsult"),),
         "/delegation/external/delegates/0/employment", "employment: konsult",
         "enhetschef för socialjouren är konsult och kan inte få beslutanderätt genom extern "
         "delegering; bara anställda hos den andra parten kan det. Ta bort befattningen eller "
         "låt en anställd fatta besluten", KL),
    Case("KL-DELEGAT-ANSTALLD", "konsult-i-titeln", E,
         (delegate("anstalld", "familjerättssekreterare"),),
         (delegate("anstalld", "familjerättssekreterare, också inhyrda konsulter vid vakanser"),),
         "/delegation/external/delegates/0/title", "  - title: familjerättssekreterare, också",
         "befattningen nämner ”inhyrda”", KL),
    Case("KL-DELEGAT-ANSTALLD", "bemanningsenheten", E,
         (delegate("anstalld", "enhetschef för bemanningsenheten"),),
         (delegate("anstalld", "socialsekreterare från bemanningsföretag vid vakanser"),),
         "/delegation/external/delegates/0/title", "  - title: socialsekreterare från",
         "befattningen nämner ”bemanningsföretag”", KL),
    Case("DELEG-BESLUTSTYP-FORM", "inget-beslut", W, (coded(True, EMPLOYEE_DECISION),),
         (coded(True, decision("bistand", "Ekonomiskt bistånd", EMPLOYEE_DECISION[2].strip())),),
         "/delegation/external/decision_types/0/text", "    text: Ekonomiskt bistånd",
         "skriv den som ett beslut, t.ex. ”beslut om ekonomiskt bistånd”", "schema"),
    # Who runs the activity, in the prose the nämnd reads.
    Case("PROSA-UTFORARE", "bestallaren-driver", W,
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Mottagningen, som Stockholms stad driver, tar emot unga.\n"),),
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Mottagningen, som Region Stockholm driver, tar emot unga.\n"),),
         "/parties/0/decision/preparation", "      preparation: Mottagningen",
         "texten säger att Region Stockholm driver verksamheten", "roles"),
    # huvudman marks who runs the activity, not the buyer that keeps its duties by law.
    Case("ROLLER-HUVUDMAN", "bestallare-som-huvudman", E, (),
         (("    roles: [uppdragsgivare]\n", "    roles: [uppdragsgivare, huvudman]\n"),),
         "/parties/1/roles", "    roles: [uppdragsgivare, huvudman]",
         "ta bort huvudman ur roles", "SKR"),
    # Further delegation (7 kap. 6 § KL) stays among the performer's own staff.
    Case("KL-VIDAREDELEGERING-NIVA", "till-bestallarens-personal", W,
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: true", "further_delegation_to: socialsekreterare i "
             "mottagningen", "delegates:", "  - title: socialchefen", "    party: stockholm",
             "    employment: anstalld")),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: true", "further_delegation_to: socialsekreterare i Region "
             "Stockholm", "delegates:", "  - title: socialchefen", "    party: stockholm",
             "    employment: anstalld")),),
         "/delegation/external/further_delegation_to", "    further_delegation_to:",
         "vidaredelegeras till anställda hos Region Stockholm", "7 kap. 6 §"),
    # 9 kap. 37 § KL reaches "en anställd i den andra kommunen", never its elected members.
    Case("KL-DELEGAT-ANSTALLD", "fortroendevald", E,
         (delegate("anstalld", "enhetschefen för socialjouren"),),
         (delegate("anstalld", "ordförande i socialnämnden"),),
         "/delegation/external/delegates/0/title", "title: ordförande i socialnämnden",
         "är ett förtroendeuppdrag (ordförande), inte en anställning", KL),
    # Personal data, children, profit, organs that sign.
    Case("GDPR-ROLLER", "roller-saknas", E, (), ((PERSONAL_ROLES, ""),),
         "/information/personal_data", "    processed: true",
         "personuppgifter behandlas men avtalet säger inte vem som är personuppgiftsansvarig; "
         "skriv roles: separata, gemensamt eller bitrade", GDPR),
    Case("BARN-MALGRUPP", "aldrar", E,
         (("  includes_children: true\n", "  includes_children: false\n"),
          ("  age_max: 20\n", "  age_min: 18\n  age_max: 20\n")),
         (("  includes_children: true\n", "  includes_children: false\n"),),
         "/target_group/includes_children", "includes_children: false",
         "målgruppen omfattar åldrar under 18 år, men includes_children är false; skriv "
         "includes_children: true så att barnrättsperspektivet kommer med i besluten",
         "barnets"),
    Case("BARN-MALGRUPP", "lvu", E,
         (("  includes_children: true\n", "  includes_children: false\n"),
          ("  age_max: 20\n", "  age_min: 18\n  age_max: 20\n")),
         (("  includes_children: true\n", "  includes_children: false\n"),
          ("  age_max: 20\n", "  age_min: 18\n  age_max: 20\n"),
          (SOL_SFS, SOL_SFS + '  - section: 2\n    law: lagen med '
           'särskilda bestämmelser om vård av unga\n    role: tillampligt\n'
           '    sfs: "1990:52"\n')),
         "/target_group/includes_children", "includes_children: false",
         "avtalet vilar på LVU, som gäller barn och unga, men includes_children är false; "
         "skriv includes_children: true så att barnrättsperspektivet kommer med i besluten",
         "barnets"),
    Case("KL-VINSTPASLAG", "paslag", E,
         (economics("profit_margin_percent: 0"),), (economics("profit_margin_percent: 5"),),
         "/economics/profit_margin_percent", "profit_margin_percent: 5",
         "ersättningen har ett påslag på 5 % på självkostnaden; självkostnadsprincipen "
         "tillåter ingen vinst. Ta bort påslaget", SKR),
    Case("BESLUT-ORGAN-FLERA", "annat-organ", W,
         second_signer(None), second_signer("kommunstyrelsen"),
         "/parties/0/signatories/1/organ", "organ: kommunstyrelsen",
         "kommunstyrelsen i Stockholms stad skriver under men har inget eget "
         "beslutsunderlag; skriv ett beslutsunderlag per organ under decisions, eller låt "
         "socialnämnden skriva under", SKR),
    # Kommunstyrelsen on the decision path has its own draft: it may sign.
    Case("BESLUT-ORGAN-FLERA", "styrelsen-i-beslutsgangen", W,
         (*second_signer("kommunstyrelsen"), *TO_COUNCIL),
         second_signer("kommunstyrelsen"),
         "/parties/0/signatories/1/organ", "organ: kommunstyrelsen",
         "kommunstyrelsen i Stockholms stad skriver under men har inget eget", SKR),
    Case("PROSA-VINST", "paslag-som-overskott", W,
         (economics("accounting: Priset innehåller ett påslag för gemensamma kostnader."),),
         (economics("accounting: Priset innehåller ett påslag som överskott för utföraren."),),
         "/economics/accounting", "  accounting: Priset", "”påslag som överskott”", SKR),
    Case("BESLUT-ORGAN", "utan-beslut", W, (),
         (("        title: Hälso- och sjukvårdsdirektör\n", "        title: Hälso- och "
           "sjukvårdsdirektör\n        organ: halso-och-sjukvardsnamnden\n"),),
         "/parties/1/signatories/0/organ", "organ: halso-och-sjukvardsnamnden",
         "hälso- och sjukvårdsnämnden i Region Stockholm skriver under men parten har inget "
         "beslutsunderlag; lägg till decision för organet", SKR),
    # Direct award: each buyer's value from its own share of the costs.
    Case("LOU-DIREKT-GRANS", "egen-andel", E,
         (direct(None), economics("estimated_annual_value: 5000000")),
         (direct(None), economics("estimated_annual_value: 10000000")),
         "/economics/estimated_annual_value", "estimated_annual_value: 10000000",
         "värdet för Region Stockholm, räknat på partens andel, 9 000 000 kronor, understiger "
         "inte direktupphandlingsgränsen 8 109 450 kronor den 9 december 2025; "
         "direktupphandling är inte möjlig. Pröva Hamburgundantaget eller upphandla", LOU),
    # The party's own rules send the matter to fullmäktige: the path must reach it. The
    # fixture's Stockholm pays 70 % of 6 400 000 kronor, 4 480 000 kronor a year.
    Case("BESLUT-BEHORIGHET", "fullmaktige-saknas", E,
         (COMPETENCE, *TO_COUNCIL), (COMPETENCE,),
         "/parties/0/decision", DECISION_START,
         "eftersom Stockholms stads andel är 4 480 000 kronor per år (gränsen är 4 000 000 "
         "kronor)",
         "5 kap. 1 § kommunallagen"),
    # Automatic extensions without a last one: in force until notice, as far as a party's
    # rule on agreements until further notice goes.
    Case("BESLUT-BEHORIGHET", "forlangs-utan-slut", E,
         ((COMPETENCE[0], COMPETENCE[1].replace("annual_kronor: 4000000",
                                                "until_further_notice: true")),
          ("    notice_months: 6\ntermination:", "    notice_months: 6\n    max_extensions: 2\n"
                                                 "termination:")),
         ((COMPETENCE[0], COMPETENCE[1].replace("annual_kronor: 4000000",
                                                "until_further_notice: true")),),
         "/parties/0/decision", DECISION_START,
         "avtalet förlängs automatiskt utan någon sista förlängning och gäller därmed tills "
         "vidare", "5 kap. 1 §"),
    # The rule's source as written in the party file, with its capital, read mid-sentence.
    Case("BESLUT-BEHORIGHET", "kalla-mitt-i-meningen", E,
         ((COMPETENCE[0], COMPETENCE[1].replace("stadens riktlinjer för avtal",
                                                "Kommunfullmäktiges beslut 2023-03-27 § 31")),
          *TO_COUNCIL),
         ((COMPETENCE[0], COMPETENCE[1].replace("stadens riktlinjer för avtal",
                                                "Kommunfullmäktiges beslut 2023-03-27 § 31")),),
         "/parties/0/decision", DECISION_START,
         "enligt kommunfullmäktiges beslut 2023-03-27 § 31 ska", "5 kap. 1 §"),
    Case("BESLUT-BEHORIGHET", "under-gransen", E,
         ((COMPETENCE[0], COMPETENCE[1].replace("4000000", "5000000")),),
         ((COMPETENCE[0], COMPETENCE[1].replace(
             "4000000", "5000000\n      new_tasks: true")),),
         "/parties/0/decision", DECISION_START,
         "Stockholms stad åtar sig att utföra uppgifter åt andra", "kommunallagen"),
    # The whole agreement's value against a payer's own limit, its own cost unknown (the
    # cost model gives no split): the staff report's to show, not an error.
    Case("BESLUT-BEHORIGHET-VARDE", "hela-vardet", W,
         (*WHOLE_VALUE[:-1],), WHOLE_VALUE,
         "/parties/1/decisions/0", "      - organ: halso-och-sjukvardsnamnden",
         "hela avtalets värde (6 000 000 kronor) når gränsen", "5 kap. 1 § kommunallagen"),
    Case("BESLUT-ORGAN-SLAG", "regionfullmaktige-i-kommun", W,
         ((MEETING, MEETING + PATH_TO_COUNCIL),),
         ((MEETING, MEETING + PATH_TO_COUNCIL.replace("name: Kommunfullmäktige",
                                                      "name: Regionfullmäktige")),),
         "/parties/0/decision/path/1/name", "          name: Regionfullmäktige",
         "är en kommun, men organet heter ”Regionfullmäktige”", "3 kap. 14 §"),
    Case("BESLUT-TITEL-ORGAN", "annan-parts-namnd", W,
         (("      signing_authority: ", "      signing_authority: ordföranden i socialnämnden #"),),
         (("      signing_authority: ",
           "      signing_authority: ordföranden i hälso- och sjukvårdsnämnden #"),),
         "/parties/0/decision/signing_authority", "      signing_authority: ordföranden i hälso",
         "som Stockholms stad inte har bland sina organ", "organs"),
    Case("BESLUT-FULLMAKTIGE-SKAL", "fullmaktige-utan-skal", W,
         ((COMPETENCE[0], COMPETENCE[1].replace("4000000", "5000000")), *TO_COUNCIL),
         ((COMPETENCE[0], COMPETENCE[1].replace("4000000", "5000000")), *TO_COUNCIL,
          ("      competence_assessment: Avtalet ändrar inte verksamhetens mål eller "
           "inriktning, och förvaltningen bedömer att ärendet inte är av principiell "
           "beskaffenhet eller annars av större vikt.\n", "")),
         "/parties/0/decision", DECISION_START,
         "avtalet når inte någon av gränserna i stadens riktlinjer för avtal", "5 kap. 1 §"),
    Case("BESLUT-BEHORIGHET", "ledande-namnd-utan-fullmaktige", E,
         (*region_decisions(None, None, paths=(True, False), tail=REGION_LIMIT),),
         (*region_decisions(None, None, paths=(False, True), tail=REGION_LIMIT),),
         "/parties/1/decisions/0", "      - organ: halso-och-sjukvardsnamnden",
         "för hälso- och sjukvårdsnämnden, som leder partens beslut", "5 kap. 1 §"),
    # Decided ten days before the start: the protocol may not be adjusted by then.
    Case("AVTAL-JUSTERING", "tio-dagar-fore-start", W,
         ((MEETING, "      meeting_date: 2025-12-22\n"),
          ("      immediate_adjustment: false\n", "      immediate_adjustment: true\n")),
         ((MEETING, "      meeting_date: 2025-12-22\n"),),
         "/parties/0/decision/meeting_date", "      meeting_date: 2025-12-22",
         "10 dagar innan det börjar gälla", "5 kap. 69 §"),
    # The decision empowers one person to sign, the signature block names another.
    Case("BESLUT-UNDERTECKNARE", "annan-undertecknare", W,
         (("      signing_authority: socialdirektören\n",
           "      signing_authority: Socialdirektören i Stockholms stad\n"),),
         (("      signing_authority: socialdirektören\n",
           "      signing_authority: ordföranden i socialnämnden\n"),),
         "/parties/0/decision/signing_authority", "      signing_authority: ordföranden",
         "men avtalets underskrifter för Stockholms stad är Anna Lindqvist", "signing_authority"),
    # Fullmäktige decides a nämnd's matter: kommunstyrelsen is heard on the way.
    Case("BESLUT-STYRELSEN", "utan-kommunstyrelsen", W, ((MEETING, MEETING + PATH_TO_COUNCIL),),
         ((MEETING, MEETING + PATH_TO_COUNCIL.replace(
             "        - organ: kommunstyrelsen\n          name: Kommunstyrelsen\n"
             "          meeting_date: 2025-12-15\n", "")),),
         "/parties/0/decision/path", "        - organ: kommunfullmaktige", "utan kommunstyrelsen",
         "5 kap. 28 §"),
    # The staff report's own text against the agreement: notice and start day.
    Case("PROSA-UNDERLAG", "annan-uppsagningstid", W, (),
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Ärendet har beretts av socialförvaltningen. Avtalet kan sägas "
           "upp med tre månaders varsel.\n"),),
         "/parties/0/decision/preparation", "      preparation: Ärendet",
         "men avtalets uppsägningstid är 6 månader", SKR),
    # A notice said in a word for a period; the term in the same sentence is no notice.
    Case("PROSA-UNDERLAG", "halvars-varsel", W,
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Avtalet gäller i två år och kan sägas upp med ett halvårs "
           "varsel.\n"),),
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Avtalet gäller i två år och kan sägas upp med ett kvartals "
           "varsel.\n"),),
         "/parties/0/decision/preparation", "      preparation: Avtalet",
         "texten talar om uppsägning med ”ett kvartals”", SKR),
    # The meeting and the diarienummer a staff report names are the party's own.
    Case("PROSA-SAMMANTRADE", "annan-dag", W,
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Nämnden behandlar ärendet vid sitt sammanträde den 9 december "
           "2025.\n"),),
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Nämnden behandlar ärendet vid sitt sammanträde den 2 december "
           "2025.\n"),),
         "/parties/0/decision/preparation", "      preparation: Nämnden",
         "texten ger sammanträdet ”2 december 2025”", "meeting_date"),
    Case("PROSA-SAMMANTRADE", "styrelsen-yttrar-sig", W,
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Kommunstyrelsen ges tillfälle att yttra sig vid sitt "
           "sammanträde den 20 januari 2026.\n"),),
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Kommunstyrelsen yttrar sig den 20 januari 2026. Nämnden "
           "behandlar ärendet vid sitt sammanträde den 2 december 2025.\n"),),
         "/parties/0/decision/preparation", "      preparation: Kommunstyrelsen",
         "texten ger sammanträdet ”2 december 2025”", "meeting_date"),
    Case("BESLUT-HANDLAGGARE", "kopierad-fran-annan-part", W,
         (region_block("Lena Ek", "08-123 456 00"),),
         (region_block("Johan Berg", "08-123 456 00"),),
         "/parties/1/decision/case_officer/name", "        name: Johan Berg\n        title: "
         "Utredare\n        phone: 08-123",
         "handläggaren i Region Stockholms tjänsteutlåtande har samma namn som Stockholms "
         "stads", "case_officer"),
    Case("PART-CHEF-LEDAMOT", "socialchef-som-ordforande", E,
         (("      - name: Anna Lindqvist\n        title: Socialdirektör\n",
           "      - name: Karin Ek\n        title: Ordförande i socialnämnden\n"),),
         (("      - name: Anna Lindqvist\n        title: Socialdirektör\n",
           "      - name: Johan Berg\n        title: Ordförande i socialnämnden\n"),
          ("        name: Johan Berg\n        title: Utredare\n",
           "        name: Johan Berg\n        title: Socialchef\n")),
         "/parties/0/signatories/0/name", "      - name: Johan Berg\n        title: Ordf",
         "Johan Berg undertecknar som ”Ordförande i socialnämnden”", "7 kap. 3 §"),
    # A region has no socialtjänst (4 kap. 1 § SoL): it cannot order a placement.
    Case("ROLLER-REGION", "regionen-bestaller-placering", E,
         (("        text: Bidrar med läkarkompetens enligt överenskommelse i styrgruppen.\n",
           "        text: Bidrar med läkarkompetens när socialnämnden har beslutat om en "
           "placering.\n"),
          ("    roles: [uppdragsgivare]\n", "    roles: [deltagare]\n"),
          ("  - role: uppdragsgivare\n", "  - role: deltagare\n")),
         (("        text: Bidrar med läkarkompetens enligt överenskommelse i styrgruppen.\n",
           "        text: Utreda, besluta om och följa upp placeringen av den unge.\n"),),
         "/parties/1/roles", "    roles: [uppdragsgivare]",
         "Region Stockholm har rollen uppdragsgivare, vars uppgifter är socialtjänstens",
         "4 kap. 1 §"),
    Case("KONTAKT-ANNAN-PART", "kopierad-e-post", W,
         (UPPSALA, region_contacts("avtal@regionuppsala.se")),
         (UPPSALA, region_contacts("mottagningen@stockholm.se")),
         "/parties/1/contacts/1/email", "        email: mottagningen@stockholm.se\n    sig",
         "har en e-postadress hos Stockholms stad (stockholm.se)", "contacts"),
    # The hours the agreement leaves out, given as the duty service's hours.
    Case("KONTAKT-JOUR", "undantagen-tid", W,
         (("      text: Slutenvård och abstinensbehandling.\n",
           "      text: Ärenden under kontorstid, vardagar 8–16.30.\n"),
          ("      - function: Enhetschef för mottagningen\n        phone: 08-508 252 94\n"
           "        email: mottagningen@stockholm.se\n        availability: vardagar 8–17\n",
           "      - function: Mottagningens jour\n        phone: 08-508 252 94\n"
           "        email: mottagningen@stockholm.se\n        availability: vardagar 16.30–8\n")),
         (("      text: Slutenvård och abstinensbehandling.\n",
           "      text: Ärenden under kontorstid, vardagar 8–16.30.\n"),
          ("      - function: Enhetschef för mottagningen\n        phone: 08-508 252 94\n"
           "        email: mottagningen@stockholm.se\n        availability: vardagar 8–17\n",
           "      - function: Mottagningens jour\n        phone: 08-508 252 94\n"
           "        email: mottagningen@stockholm.se\n"
           "        availability: vardagar 8.00-16.30\n")),
         "/parties/0/contacts/0/availability", "        availability: vardagar 8.00-16.30",
         "men avtalet undantar just den tiden (8.00–16.30)", SKR),
    Case("KONTAKT-JOUR", "jouren-kontorstid", W,
         (task("Mottagningens jour tar emot ärenden dygnet runt."),
          ("      - function: Enhetschef för mottagningen\n        phone: 08-508 252 94\n"
           "        email: mottagningen@stockholm.se\n        availability: vardagar 8–17\n",
           "      - function: Mottagningens jour\n        phone: 08-508 252 94\n"
           "        email: mottagningen@stockholm.se\n        availability: dygnet runt\n")),
         (task("Mottagningens jour tar emot ärenden dygnet runt."),
          ("      - function: Enhetschef för mottagningen\n        phone: 08-508 252 94\n",
           "      - function: Mottagningens jour\n        phone: 08-508 252 94\n")),
         "/parties/0/contacts/0/availability", "        availability: vardagar 8–17",
         "kontakten ”Mottagningens jour” nås vardagar 8–17", SKR),
    Case("PROSA-UNDANTAGET", "gor-det-undantagna", W,
         (task("Mottagningen lämnar anmälan till socialnämnden inför dess förhandsbedömning."),
          ("      text: Slutenvård och abstinensbehandling.\n",
           "      text: Slutenvård och abstinensbehandling.\n    - id: forhandsbedomning\n"
           "      text: Förhandsbedömning av anmälningar; den gör socialnämnden.\n")),
         (task("Mottagningen tar emot anmälan och gör förhandsbedömningen."),
          ("      text: Slutenvård och abstinensbehandling.\n",
           "      text: Slutenvård och abstinensbehandling.\n    - id: forhandsbedomning\n"
           "      text: Förhandsbedömning av anmälningar; den gör socialnämnden.\n")),
         "/tasks/included/0/text", "      text: Mottagningen tar emot",
         "texten låter utföraren göra förhandsbedömningen, men tasks.excluded undantar", SKR),
    Case("PROSA-SAMMANTRADE", "annat-diarienummer", W,
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Ärendet har diarienummer SN 2025/1187.\n"),),
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Ärendet har diarienummer SN 2025/198.\n"),),
         "/parties/0/decision/preparation", "      preparation: Ärendet har diarienummer",
         "texten ger diarienumret ”SN 2025/198”", "diarienummer"),
    Case("PROSA-UNDERLAG", "annan-startdag", W,
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Samverkan börjar gälla 1 januari 2026.\n"),),
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Samverkan börjar gälla 1 februari 2026.\n"),),
         "/parties/0/decision/preparation", "      preparation: Samverkan",
         "men avtalet börjar gälla 1 januari 2026", SKR),
    Case("PROSA-UNDERLAG", "halvarsskiftet", W,
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Samverkan börjar gälla vid årsskiftet 2025/2026.\n"),),
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Samverkan börjar gälla vid halvårsskiftet 2026.\n"),),
         "/parties/0/decision/preparation", "      preparation: Samverkan",
         "”halvårsskiftet 2026”, men avtalet börjar gälla 1 januari 2026", SKR),
    Case("PROSA-UNDERLAG", "annan-slutdag", W,
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Avtalet gäller t.o.m. 31 december 2027 och kan förlängas. Det "
           "nuvarande avtalet upphör 31 december 2025.\n"),),
         (("      preparation: Ärendet har beretts av socialförvaltningen.\n",
           "      preparation: Avtalet gäller t.o.m. 30 juni 2027 och kan förlängas.\n"),),
         "/parties/0/decision/preparation", "      preparation: Avtalet",
         "men avtalet gäller till och med 31 december 2027", SKR),
    Case("PROSA-AVTALSTID", "annan-slutdag", W,
         (("  details: Regionen är huvudman för hälso- och sjukvården i mottagningen.\n",
           "  details: Regionen är huvudman för hälso- och sjukvården i mottagningen till och "
           "med 31 december 2028, om avtalet förlängs.\n"),),
         (("  details: Regionen är huvudman för hälso- och sjukvården i mottagningen.\n",
           "  details: Regionen är huvudman för hälso- och sjukvården i mottagningen så länge "
           "avtalet gäller, till och med 30 juni 2027.\n"),),
         "/principal_responsibility/details", "  details: Regionen",
         "texten ger slutdagen ”30 juni 2027”", SKR),
    Case("PROSA-AVTALSTID", "anslutning", W,
         (("  details: Regionen är huvudman för hälso- och sjukvården i mottagningen.\n",
           "  details: Regionen är huvudman för hälso- och sjukvården i mottagningen. En ny "
           "part får ansluta sig till avtalet från och med 1 mars 2027.\n"),),
         (("  details: Regionen är huvudman för hälso- och sjukvården i mottagningen.\n",
           "  details: Regionen är huvudman för hälso- och sjukvården i mottagningen från "
           "och med 1 mars 2027.\n"),),
         "/principal_responsibility/details", "  details: Regionen",
         "texten säger att samverkan börjar ”1 mars 2027”", SKR),
    Case("PROSA-AVTALSTID", "tills-vidare", W, (),
         ((TERM_DATES + "  extension:\n    automatic: true\n" + EXTENSION_NOTICE,
           TERM_DATES + "  extension:\n    automatic: true\n" + EXTENSION_NOTICE.replace(
               "    notice_months: 6\n", "    notice_months: 6\n    max_extensions: 2\n")),
          ("  details: Regionen är huvudman för hälso- och sjukvården i mottagningen.\n",
           "  details: Regionen är huvudman för hälso- och sjukvården i mottagningen så länge "
           "avtalet gäller, det vill säga tills vidare.\n")),
         "/principal_responsibility/details", "  details: Regionen",
         "men det gäller till och med 31 december 2027", SKR),
    Case("PROSA-PRISJUSTERING", "annan-manad", W,
         (fixed_sum("    indexation: Beloppet räknas upp i januari varje år.\n"),
          economics("price_adjustment: {index: prisindex, month: 1, cap_percent: 2.5}")),
         (fixed_sum("    indexation: Beloppet räknas upp i juli, med ett tak på 2,5 procent.\n"),
          economics("price_adjustment: {index: prisindex, month: 1, cap_percent: 2.5}")),
         "/economics/model/indexation", "    indexation: Beloppet", "”juli”", SKR),
    # Prose against a yes-or-no field: huvudmannaskap, the yearly report, staff transfer.
    Case("PROSA-HUVUDMAN", "overtar", W, (),
         (("  details: Regionen är huvudman för hälso- och sjukvården i mottagningen.\n",
           "  details: Från start övertar staden huvudmannaskapet för mottagningen.\n"),),
         "/principal_responsibility/details", "  details: Från start",
         "men remains_with_principal är true", "9 kap. 37 §"),
    Case("PROSA-ARSRAPPORT", "vartannat-ar", W, (),
         (("    how: I respektive parts årsredovisning.\n",
           "    how: Vartannat år i respektive parts årsredovisning.\n"),),
         "/follow_up/council_report/how", "    how: Vartannat",
         "texten säger ”Vartannat år", "9 kap. 38 §"),
    Case("PROSA-PERSONAL", "overgang-i-texten", W,
         (("  work_environment: Varje part har arbetsmiljöansvar för sin egen personal.\n",
           "  work_environment: Varje part har arbetsmiljöansvar för sin egen personal.\n"
           "  transfer: false\n  transfer_of_undertaking: Ingen personal byter arbetsgivare.\n"),),
         (("  work_environment: Varje part har arbetsmiljöansvar för sin egen personal.\n",
           "  work_environment: Varje part har arbetsmiljöansvar för sin egen personal.\n"
           "  transfer: false\n  transfer_of_undertaking: Kuratorerna går över till staden "
           "genom verksamhetsövergång.\n"),),
         "/staff/transfer_of_undertaking", "  transfer_of_undertaking: Kuratorerna",
         "men staff.transfer är false", SKR),
    # An option called more months ahead than an extension period lasts.
    Case("AVTAL-OPTION-FRIST", "langre-an-perioden", W, (option(6),), (option(18),),
         "/term/extension/call_months", "    call_months: 18", "innan den förra har börjat",
         SKR),
    # One assignment ended at longer notice than the whole agreement.
    Case("AVTAL-UPPDRAG-VARSEL", "langre-an-avtalet", W,
         (("  exit: vid_periodens_slut\n",
           "  exit: vid_periodens_slut\n  assignments:\n    notice_days: 30\n"
           "    grounds: [Jävet har upphört.]\n"),),
         (("  exit: vid_periodens_slut\n",
           "  exit: vid_periodens_slut\n  assignments:\n    notice_days: 240\n"
           "    grounds: [Jävet har upphört.]\n"),),
         "/termination/assignments/notice_days", "    notice_days: 240",
         "längre än hela avtalets uppsägningstid (6 månader)", "termination"),
    # A breach remedy that is the ordinary notice, which a party may use at any time.
    Case("AVTAL-AVTALSBROTT-LIKA", "vanlig-uppsagningstid", W,
         (("  exit: vid_periodens_slut\n", "  exit: under_avtalstiden\n  breach_terms:\n"
           "    cure_days: 30\n    effect: omedelbart\n"),),
         (("  exit: vid_periodens_slut\n", "  exit: under_avtalstiden\n  breach_terms:\n"
           "    cure_days: 30\n    effect: med_uppsagningstid\n"),),
         "/termination/breach_terms/effect", "    effect: med_uppsagningstid",
         "som den ändå får använda när som helst", "termination"),
    # One option, called further ahead than the agreement lasts: before it starts.
    Case("AVTAL-OPTION-FRIST", "fore-start", W, (option(6),),
         ((option(6)[0], "  extension:\n    automatic: false\n    period_months: 36\n"
           "    max_extensions: 1\n    holder: region-stockholm\n    call_months: 26\n"),),
         "/term/extension/call_months", "    call_months: 26",
         "alltså redan innan avtalet börjar gälla", SKR),
    # Invoicing that never comes within the term, or by a party that only pays.
    Case("EKON-FAKTURA-TID", "langre-an-avtalstiden", W, (),
         (("    interval_months: 3\n    payment_days: 30\n",
           "    interval_months: 30\n    payment_days: 30\n"),),
         "/economics/invoicing/interval_months", "    interval_months: 30",
         "före den första fakturan", SKR),
    Case("EKON-FAKTURA-TID", "bestallaren-fakturerar", W,
         (("    interval_months: 3\n", "    interval_months: 3\n    by: stockholm\n"),),
         (("    interval_months: 3\n", "    interval_months: 3\n    by: region-stockholm\n"),),
         "/economics/invoicing/by", "    by: region-stockholm",
         "Region Stockholm beställer bara och betalar", SKR),
    Case("EKON-INDEX-ANDEL", "index-utan-pris", W, (reconciliation(12),),
         (reconciliation(12), economics("price_adjustment: {index: prisindex, month: 1}")),
         "/economics/price_adjustment", "  price_adjustment:",
         "så det finns inget pris att räkna upp", SKR),
    Case("EKON-INDEX-DUBBEL", "tva-uppraekningar", W,
         ((SHARES_MODEL, UNIT_PRICED),
          economics("price_adjustment: {index: prisindex för kommunal verksamhet, month: 1}")),
         ((SHARES_MODEL, UNIT_PRICED + "    indexation: Priset räknas upp varje år med OPI.\n"),
          economics("price_adjustment: {index: prisindex för kommunal verksamhet, month: 1}")),
         "/economics/model/indexation", "    indexation: Priset",
         "både kostnadsmodellens indexation och price_adjustment", SKR),
    # Each party bears its own costs, yet someone invoices.
    Case("EKON-FAKTURA", "egna-kostnader", W,
         (OWN_COSTS, ("  invoicing:\n    interval_months: 3\n    payment_days: 30\n", "")),
         (OWN_COSTS,), "/economics/invoicing", "    interval_months: 3",
         "varje part bär sina egna kostnader", SKR),
    # A power to extend an agreement that cannot be extended.
    Case("BESLUT-FORLANGNING", "inget-att-forlanga", W, (),
         (("  extension:\n    automatic: true\n    period_months: 12\n    notice_months: 6\n",
           ""),),
         "/parties/0/decision/extension_authority", "      extension_authority: true",
         "avtalet har ingen förlängning", "SKR"),
    # A staff report that sends the matter to fullmäktige on a path that ends below it.
    Case("PROSA-FULLMAKTIGE", "fullmaktige-i-texten", W,
         (REFERRAL, *TO_COUNCIL), (REFERRAL,),
         "/parties/0/decision/competence_assessment", "      competence_assessment: Avtalet",
         "”lämnas till kommunfullmäktige”", "5 kap. 1 § kommunallagen"),
    Case("PROSA-FULLMAKTIGE", "utan-fullmaktige-i-texten", W,
         ((MEETING, MEETING + PATH_TO_COUNCIL),),
         ((MEETING, MEETING + PATH_TO_COUNCIL),
          (OPINION, "      opinion: Nämnden kan godkänna avtalet utan att ärendet går vidare "
                    "till kommunfullmäktige.\n")),
         "/parties/0/decision/opinion", "      opinion: Nämnden",
         "men beslutsgången går till fullmäktige", "5 kap. 1 § kommunallagen"),
    Case("PROSA-FORLANGNINGSRATT", "chef-far-forlanga", W,
         (("      extension_authority: true\n", "      extension_authority: false\n"),
          (OPINION, "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet och "
                    "själv beslutar om förlängning.\n")),
         (("      extension_authority: true\n", "      extension_authority: false\n"),
          (OPINION, "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet. "
                    "Socialdirektören får besluta om att förlänga avtalet.\n")),
         "/parties/0/decision/opinion", "      opinion: Förvaltningen",
         "men beslutsförslaget ger ingen den rätten", "6 kap. 37 §"),
    # A version marked decided cannot be dated before the organ decides (2025-12-09).
    Case("BESLUT-TIDSLINJE", "beslutad-fore-sammantradet", W,
         (("status: utkast\ndate: 2025-11-03\n", "status: beslutad\ndate: 2025-12-10\n"),),
         (("status: utkast\ndate: 2025-11-03\n", "status: beslutad\ndate: 2025-12-01\n"),),
         "/parties/0/decision/meeting_date", "meeting_date: 2025-12-09",
         "versionen är beslutad 2025-12-01, men Stockholms stad beslutar först 2025-12-09",
         "kommunallagen"),
    # Decision powers (generator/delegation.py): never to a group, never to another
    # party's official to amend the agreement, never conditional on another organ.
    Case("DELEG-GRUPP", "styrgruppen", E, (), ((MINOR_BY, "  minor_approved_by: styrgruppen.\n"),),
         "/amendments/minor_approved_by", "minor_approved_by: styrgruppen",
         "”styrgruppen.” är en grupp och kan inte besluta om ändringar för en part", KL),
    Case("DELEG-GRUPP", "cheferna-tillsammans", E,
         ((MINOR_BY, "  minor_approved_by: parternas socialchefer, var och en för sin "
                     "part.\n"),),
         ((MINOR_BY, "  minor_approved_by: parternas socialchefer.\n"),),
         "/amendments/minor_approved_by", "minor_approved_by: parternas socialchefer",
         "”parternas socialchefer.” är en grupp", KL),
    Case("DELEG-ANNAN-PART", "annan-parts-chef", E, (),
         ((MINOR_BY, "  minor_approved_by: socialdirektören i Stockholms stad.\n"),),
         "/amendments/minor_approved_by", "minor_approved_by: socialdirektören i Stockholms",
         "ger Stockholms stads tjänsteman rätt att ändra avtalet för Region Stockholm", KL),
    Case("DELEG-FRITEXT", "villkor", E, (),
         ((OWN_MINOR, OWN_MINOR + "      decision_points:\n        add:\n          - Beslutet "
           "gäller under förutsättning att kommunfullmäktige godkänner avtalet.\n"),),
         "/parties/0/decision/decision_points/add/0", "- Beslutet gäller under",
         "ett beslut görs inte beroende av att ett annat organ godkänner avtalet", KL),
    # A nämnd keeps mål, inriktning, omfattning and kvalitet (6 kap. 38 § 1 KL), signs
    # through a person, decides only for its own party, and hears of urgent decisions.
    Case("DELEG-FRITEXT", "mal-och-inriktning", E, (own_point(
        "Socialdirektören får i uppdrag att redovisa för nämnden hur verksamhetens kvalitet "
        "har utvecklats, i mål och ärenden som avtalet omfattar."),),
         (own_point("Socialnämnden delegerar till socialchefen att besluta om mål och "
                    "inriktning för mottagningen."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden delegerar",
         "som organet inte får delegera", "6 kap. 38 §"),
    # The same matters in the words of a change, and yttranden to fullmäktige (6 kap. 38 §
    # 1–2 KL).
    Case("DELEG-FRITEXT", "utoka-uppgifterna", E, (own_point(
        "Socialchefen får rätt att ändra uppgifterna om kontaktpersoner i avtalets bilaga."),),
         (own_point("Socialchefen får rätt att besluta om att utöka de uppgifter som den andra "
                    "parten utför åt nämnden enligt avtalet."),),
         "/parties/0/decision/decision_points/add/0", "- Socialchefen får rätt",
         "punkten lämnar över beslut om ”de uppgifter”", KL),
    Case("DELEG-FRITEXT", "fler-platser", E, (own_point(
        "Socialnämnden uppdrar åt socialdirektören att besluta om vilka unga som placeras på "
        "hemmets platser, med anmälan till socialnämnden."),),
         (own_point("Socialnämnden uppdrar åt socialdirektören att besluta om att utöka hemmet "
                    "till tolv platser."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden uppdrar",
         "lämnar över beslut om ”tolv platser”", "6 kap. 38 §"),
    Case("DELEG-FRITEXT", "yttrande-till-fullmaktige", E, (own_point(
        "Socialnämnden uppdrar åt socialdirektören att ta fram ett underlag till nämndens "
        "yttrande till kommunfullmäktige."),),
         (own_point("Socialnämnden uppdrar åt socialdirektören att på nämndens vägnar lämna "
                    "yttrande till kommunfullmäktige över den årliga rapporten."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden uppdrar",
         "lämnar över beslut om ”yttrande till kommunfullmäktige”", "6 kap. 38 §"),
    Case("DELEG-FRITEXT", "yttrande-over-overklagande", E, (own_point(
        "Socialnämnden uppdrar åt socialchefen att ta fram underlag när nämndens beslut "
        "prövas i domstol."),),
         (own_point("Socialnämnden delegerar till arbetsutskottet att på nämndens vägnar yttra "
                    "sig till förvaltningsrätten om nämndens beslut att ingå avtalet "
                    "överklagas."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden delegerar",
         "punkten lämnar över beslut om ”yttra sig till förvaltningsrätten", "6 kap. 38 §"),
    # A nämnd of another area deciding a matter of socialtjänst (4 kap. 2 § SoL): lawful
    # where its responsibility says fullmäktige gave it those tasks.
    Case("BESLUT-OMRADE", "utbildningsnamnd-lvu", W,
         (SCHOOL_BOARD, (SCHOOL_AREA, SCHOOL_AREA + " och individ- och familjeomsorgen"),
          own_point(LVU_INTAKE)),
         (SCHOOL_BOARD, own_point(LVU_INTAKE)),
         "/parties/0/decision/decision_points/add/0", "- Utbildningsnämnden beslutar",
         "beslutar här i en fråga inom socialtjänsten (”vårdas med stöd”)", "4 kap. 2 §"),
    # Budget and tax are fullmäktige's (5 kap. 1 § 2 KL): a nämnd proposes them.
    Case("DELEG-FRITEXT", "namnd-beslutar-budgetram", E, (own_point(
        "Socialnämnden beslutar att föreslå kommunfullmäktige att utöka nämndens budgetram "
        "för 2026 med 800 000 kronor."),),
         (own_point("Socialnämnden beslutar att utöka nämndens budgetram för 2026 med 800 000 "
                    "kronor för att finansiera avtalet."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden beslutar",
         "organet beslutar här själv om ”budgetram”", KL),
    Case("DELEG-FRITEXT", "budgetram-utokas", E, (own_point(
        "Socialnämnden föreslår kommunfullmäktige att nämndens budgetram för 2027 utökas med "
        "2 500 000 kronor."),),
         (own_point("Socialnämndens budgetram för 2027 utökas med 2 500 000 kronor för de två "
                    "nya tjänsterna."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämndens budgetram",
         "organet beslutar här själv om ”budgetram”", KL),
    Case("DELEG-FRITEXT", "budgetram-noteras", E, (own_point(
        "Socialnämnden noterar att kommunfullmäktige har beslutat att nämndens budgetram för "
        "2027 utökas med 2 500 000 kronor."),),
         (own_point("Nämndens budgetram för 2027 höjs med 2 500 000 kronor."),),
         "/parties/0/decision/decision_points/add/0", "- Nämndens budgetram",
         "organet beslutar här själv om ”budgetram”", KL),
    Case("DELEG-FRITEXT", "grupp-far-besluta", E, (own_point(
        "Styrgruppen föreslår ändringar i bemanningen."),),
         (own_point("Styrgruppen får besluta om ändringar i bemanningen."),),
         "/parties/0/decision/decision_points/add/0", "- Styrgruppen får",
         "punkten ger ”Styrgruppen” en befogenhet", KL),
    Case("DELEG-FRITEXT", "organet-undertecknar", E, (own_point(
        "Socialnämnden beslutar att ordföranden och socialdirektören gemensamt undertecknar "
        "avtalet."),),
         (own_point("Socialnämnden godkänner avtalet och undertecknar det."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden godkänner",
         "ett organ undertecknar inte avtalet", KL),
    Case("DELEG-FRITEXT", "annan-part-ska", E, (own_point(
        "Socialdirektören får i uppdrag att ta fram rutiner för hur Region Stockholm ska "
        "rapportera avvikelser."),),
         (own_point("Socialnämnden beslutar att Region Stockholm ska betala i förskott."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden beslutar",
         "punkten beslutar vad Region Stockholm ska göra", KL),
    # The chair's powers: urgent matters (6 kap. 39 § KL), and the members who decide
    # urgent LVU and LVM matters, whom the nämnd names itself (6 § LVU, 13 § LVM).
    Case("DELEG-FRITEXT", "bradskande-till-anstalld", E, (own_point(
        "Socialnämnden uppdrar åt ordföranden, och åt vice ordföranden när ordföranden har "
        "förhinder, att på nämndens vägnar besluta i ärenden som är så brådskande att "
        "nämndens avgörande inte kan avvaktas."),),
         (own_point("Socialnämnden uppdrar åt socialchefen att på nämndens vägnar besluta i "
                    "ärenden som är så brådskande att nämndens avgörande inte kan avvaktas."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden uppdrar",
         "punkten ger ”socialchefen” rätt att besluta i ärenden som är så brådskande",
         "6 kap. 39 §"),
    Case("DELEG-FRITEXT", "anstalld-forordnar-ledamoter", E, (own_point(
        "Socialnämnden uppdrar åt socialchefen att ta fram ett förslag på vilka ledamöter "
        "nämnden ska förordna för beslut om omedelbart omhändertagande enligt LVU."),),
         (own_point("Socialnämnden uppdrar åt socialchefen att vid behov förordna ytterligare "
                    "ledamöter som får besluta om omedelbart omhändertagande enligt LVU."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden uppdrar",
         "punkten låter ”socialchefen” förordna de ledamöter", "1990:52"),
    Case("DELEG-FRITEXT", "annan-parts-namnd", E, (own_point(
        "Socialnämnden uppdrar åt socialchefen att tillsammans med hälso- och "
        "sjukvårdsnämnden i Region Stockholm ta fram en rutin för avvikelser."),),
         (own_point("Socialnämnden uppdrar åt hälso- och sjukvårdsnämnden i Region Stockholm "
                    "att på nämndens vägnar besluta i ärenden om stödsamtal."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden uppdrar",
         "ett organ hos en annan part kan inte få beslutanderätt", "9 kap. 19 §"),
    Case("DELEG-FRITEXT", "anmals-inte", E, (own_point(
        "Socialnämnden uppdrar åt ordföranden att besluta i brådskande ärenden; besluten "
        "anmäls vid nästa sammanträde."),),
         (own_point("Socialnämnden uppdrar åt ordföranden att besluta i brådskande ärenden. "
                    "Besluten anmäls inte till nämnden."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden uppdrar",
         "ska anmälas vid nästa sammanträde", "6 kap. 40 §"),
    Case("DELEG-FRITEXT", "annat-organs-vagnar", E, (own_point(
        "Socialnämnden uppdrar åt socialchefen att på socialnämndens vägnar besluta om "
        "rutiner för mottagningen."),),
         (own_point("Socialnämnden uppdrar åt socialchefen att på kommunstyrelsens vägnar "
                    "besluta om rutiner för mottagningen."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden uppdrar",
         "besluta på kommunstyrelsens vägnar, men ett organ kan bara", "7 kap. 5 §"),
    Case("DELEG-FRITEXT", "gemensam-namnd", E, (own_point(
        "Socialnämnden föreslår kommunfullmäktige att inrätta en gemensam nämnd för "
        "mottagningen."),),
         (own_point("Socialnämnden beslutar att nämnden blir gemensam nämnd för mottagningen "
                    "med Region Stockholm."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden beslutar",
         "besluta om en gemensam nämnd, men det gör fullmäktige", "9 kap. 19 §"),
    Case("DELEG-FRITEXT", "vidare-fran-enhetschef", E, (own_point(
        "Socialnämnden uppdrar åt socialchefen att besluta om stödsamtal, med rätt att i sin "
        "tur uppdra åt enhetschefen att fatta sådana beslut."),),
         (own_point("Socialnämnden uppdrar åt enhetschefen att besluta om stödsamtal, med rätt "
                    "att i sin tur uppdra åt socialsekreterarna att fatta sådana beslut."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden uppdrar",
         "punkten låter ”enhetschefen” delegera vidare", "7 kap. 6 §"),
    Case("DELEG-FRITEXT", "utskottsarende-till-anstalld", E, (own_point(
        "Socialnämnden delegerar till individutskottet att besluta om vård i jourhem."),),
         (own_point("Socialnämnden delegerar till enhetschefen att besluta om vård i jourhem "
                    "när nämndens utskott inte kan sammanträda."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden delegerar",
         "beslut om ”vård i jourhem”", "30 kap. 6 §"),
    Case("DELEG-FRITEXT", "adoption-utomlands-till-anstalld", E, (own_point(
        "Socialnämnden uppdrar åt individutskottet att besluta om medgivande att ta emot ett "
        "barn med hemvist utomlands i syfte att adoptera det."),),
         (own_point("Socialnämnden uppdrar åt socialdirektören att besluta om medgivande att "
                    "ta emot ett barn med hemvist utomlands i syfte att adoptera det."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden uppdrar",
         "(internationell adoption), som socialnämnden bara får delegera till ett utskott",
         "30 kap. 6 §"),
    Case("DELEG-FRITEXT", "utan-anmalan", E, (own_point(
        "Socialdirektören får besluta om ekonomiskt bistånd utan att besluten anmäls till "
        "nämnden."),),
         (own_point("Socialnämnden uppdrar åt ordföranden att besluta i brådskande ärenden "
                    "utan att besluten anmäls till nämnden."),),
         "/parties/0/decision/decision_points/add/0", "- Socialnämnden uppdrar",
         "ska anmälas vid nästa sammanträde", KL),
    Case("DELEG-VASENTLIG", "socialchefer", W,
         ((MATERIAL, "  material_approved_by: respektive nämnd efter förslag från "
                     "socialcheferna\n"),),
         ((MATERIAL, "  material_approved_by: socialcheferna gemensamt\n"),),
         "/amendments/material_approved_by", "  material_approved_by: socialcheferna",
         "väsentliga ändringar godkänns enligt texten av ”socialcheferna”", "6 kap. 38 §"),
    Case("DELEG-VASENTLIG", "namnd-dar-fullmaktige-beslutar", W,
         ((MEETING, MEETING + PATH_TO_COUNCIL),),
         ((MEETING, MEETING + PATH_TO_COUNCIL),
          (MATERIAL, "  material_approved_by: respektive nämnd\n")),
         "/amendments/material_approved_by", "  material_approved_by: respektive nämnd",
         "beslutar fullmäktige om avtalet", "5 kap. 2 §"),
    Case("DELEG-VASENTLIG", "styrgruppen-utan-namnderna", W,
         ((MATERIAL, "  material_approved_by: respektive nämnd efter förslag från "
                     "styrgruppen\n"),),
         ((MATERIAL, "  material_approved_by: Styrgruppen, utan att avtalet går tillbaka till "
                     "nämnderna\n"),),
         "/amendments/material_approved_by", "  material_approved_by: Styrgruppen",
         "väsentliga ändringar godkänns enligt texten av ”Styrgruppen”", "6 kap. 38 §"),
    Case("DELEG-FRITEXT", "till-fullmaktige", E,
         ((OWN_MINOR, OWN_MINOR + "      decision_points:\n        add:\n          - Avtalet "
           "redovisas för kommunfullmäktige i årsredovisningen.\n"),),
         ((OWN_MINOR, OWN_MINOR + "      decision_points:\n        add:\n          - Ärendet "
           "överlämnas till kommunfullmäktige för godkännande av de ekonomiska villkoren.\n"),),
         "/parties/0/decision/decision_points/add/0", "- Ärendet överlämnas",
         "kan inte samtidigt lämna avtalet, eller en del av det, till fullmäktige", KL),
    Case("DELEG-STYRGRUPP-TEXT", "beslutande-uppgift", W,
         (steering_task("Föreslå åtgärder när ett underskott befaras."),),
         (steering_task("Besluta om åtgärder när ett underskott befaras."),),
         "/follow_up/steering_group/tasks/0", "      - Besluta om",
         "styrgruppen ska enligt texten ”Besluta om åtgärder när ett underskott befaras”", KL),
    Case("DELEG-STYRGRUPP-TEXT", "fastställer-i-texten", W,
         (economics("accounting: Efter bokslutet föreslår styrgruppen fördelningen."),),
         (economics("accounting: Efter bokslutet fastställer styrgruppen fördelningen."),),
         "/economics/accounting", "  accounting: Efter bokslutet",
         "texten säger ”fastställer styrgruppen”", KL),
    Case("DELEG-MINDRE-KOSTNAD", "utan-tak", W,
         ((MINOR_APPROVED, "  minor:\n    - Ny årskostnad, högst 3 procent över den förra.\n"
           + MINOR_APPROVED),),
         ((MINOR_APPROVED, "  minor:\n    - Uppdatering av beräknad årskostnad.\n"
           + MINOR_APPROVED),),
         "/amendments/minor/0", "    - Uppdatering av",
         "kan ändra vad en part betalar (”årskostnad”), men texten anger inget tak", KL),
    Case("DELEG-MINDRE-KOSTNAD", "avtalat-index", W,
         ((MINOR_APPROVED, "  minor:\n    - Ny prislista efter den årliga indexuppräkningen.\n"
           + MINOR_APPROVED),
          ("  invoicing:\n", "  price_adjustment:\n    index: SKR:s prisindex för kommunal "
           "verksamhet\n    month: 1\n  invoicing:\n")),
         ((MINOR_APPROVED, "  minor:\n    - Ny prislista efter den årliga indexuppräkningen.\n"
           + MINOR_APPROVED),),
         "/amendments/minor/0", "    - Ny prislista",
         "kan ändra vad en part betalar (”prislista”), men texten anger inget tak", KL),
    Case("DELEG-MINDRE", "ingen-befattningshavare", W, (), ((OWN_MINOR, ""),),
         "/parties/0/decision", DECISION_START,
         "Stockholms stad har inte angett vem hos parten som får komma överens om dem", KL),
    Case("DELEG-VIDARE", "ingen-chef", W,
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: true", "delegates:", "  - title: socialchef",
             "    party: stockholm", "    employment: anstalld")),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: true", "delegates:", "  - title: socialsekreterare",
             "    party: stockholm", "    employment: anstalld")),),
         "/delegation/external/further_delegation", "further_delegation: true",
         "ingen av delegaterna är förvaltningschef", KL),
    # A decision for another party with no extern delegering.
    Case("DELEG-UTAN-EXTERN", "beslutar-for-annan", E,
         (task("Bedömer mottagningen att anmälan saknar grund, lämnar den över ärendet till "
               "hemkommunen, som beslutar att inte inleda utredning."),),
         (task("Bedömer mottagningen att anmälan saknar grund, beslutar den för hemkommunens "
               "räkning att inte inleda utredning."),),
         "/tasks/included/0/text", "      text: Bedömer",
         "texten låter någon besluta för hemkommunens räkning", KL),
    # A decision only some delegates may take: named by the titles the agreement has.
    # Reconsidering a decision only the enhetschef may take, open to every delegate.
    Case("DELEG-OMPROVNING", "alla-far-ompröva", W,
         (coded(True, RESTRICTED_AID,
                decision("omprovning", "omprövning av beslut som delegaten själv får fatta",
                         SOL_12_1_REF),
                ext=TWO_DELEGATES),),
         (coded(True, RESTRICTED_AID,
                decision("omprovning", "omprövning av beslut som fattats på delegation",
                         SOL_12_1_REF),
                ext=TWO_DELEGATES),),
         "/delegation/external/decision_types/1", "      - id: omprovning",
         "den som inte får fatta beslutet kan då ändra det", "9 kap. 37 §"),
    Case("DELEG-TYP-DELEGAT", "okand-titel", E,
         (coded(True, decision("bistand", "beslut om ekonomiskt bistånd",
                               'legal_ref: {chapter: 12, section: 1, law: socialtjänstlagen, '
                               'sfs: "2025:400"}', "delegates: [enhetschef]"),
                ext=("further_delegation: false", "delegates:", "  - title: socialsekreterare",
                     "    party: stockholm", "    employment: anstalld", "  - title: enhetschef",
                     "    party: stockholm", "    employment: anstalld")),),
         (coded(True, decision("bistand", "beslut om ekonomiskt bistånd",
                               'legal_ref: {chapter: 12, section: 1, law: socialtjänstlagen, '
                               'sfs: "2025:400"}', "delegates: [enhetschefen]"),
                ext=("further_delegation: false", "delegates:", "  - title: socialsekreterare",
                     "    party: stockholm", "    employment: anstalld", "  - title: enhetschef",
                     "    party: stockholm", "    employment: anstalld")),),
         "/delegation/external/decision_types/0/delegates/0", "delegates: [enhetschefen]",
         "”enhetschefen” är inte en av delegaterna", KL),
    Case("DELEG-TYP-DELEGAT-TEXT", "bara-i-texten", W,
         (coded(True, decision("bistand", "beslut om att neka ekonomiskt bistånd, som bara "
                               "enhetschefen får fatta",
                               'legal_ref: {chapter: 12, section: 1, law: socialtjänstlagen, '
                               'sfs: "2025:400"}', "delegates: [enhetschef]"),
                ext=("further_delegation: false", "delegates:", "  - title: socialsekreterare",
                     "    party: stockholm", "    employment: anstalld", "  - title: enhetschef",
                     "    party: stockholm", "    employment: anstalld")),),
         (coded(True, decision("bistand", "beslut om att neka ekonomiskt bistånd, som bara "
                               "enhetschefen får fatta",
                               'legal_ref: {chapter: 12, section: 1, law: socialtjänstlagen, '
                               'sfs: "2025:400"}'),
                ext=("further_delegation: false", "delegates:", "  - title: socialsekreterare",
                     "    party: stockholm", "    employment: anstalld", "  - title: enhetschef",
                     "    party: stockholm", "    employment: anstalld")),),
         "/delegation/external/decision_types/0/text", "text: beslut om att neka",
         "texten ger ett beslut bara åt enhetschef", KL),
    # Delegates in a sentence: no förvaltningschef to pass the decisions on.
    Case("DELEG-VIDARE", "mening", W,
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "delegates: socialchefen i Stockholms stad")),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: true", "delegates: socialchefen i Stockholms stad",
             "further_delegation_to: socialsekreterare")),),
         "/delegation/external/delegates", "    delegates: socialchefen",
         "delegaterna står som en mening", KL),
    # An enhetschef heads a unit, not the förvaltning: 7 kap. 6 § KL does not reach it.
    Case("DELEG-VIDARE", "enhetschef", W,
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: true", "delegates:", "  - title: förvaltningschef",
             "    party: stockholm", "    employment: anstalld")),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: true", "delegates:", "  - title: enhetschef för socialjouren",
             "    party: stockholm", "    employment: anstalld")),),
         "/delegation/external/further_delegation", "further_delegation: true",
         "ingen av delegaterna är förvaltningschef", KL),
    Case("DELEG-FORORDNANDE", "ingen-forordnad", W,
         (ORDERS_TOO, _urgent_lvu(),
          (OWN_MINOR, OWN_MINOR + "      urgent_appointment:\n        existing: nämndens "
           "beslut 2025-01-20 § 4\n")),
         (ORDERS_TOO, _urgent_lvu()),
         "/parties/0/decision", DECISION_START,
         "men Stockholms stad förordnar ingen", "1990:52"),
    Case("DELEG-FORORDNANDE-LEDAMOT", "socialchefen", E,
         (ORDERS_TOO, _urgent_lvu(),
          (OWN_MINOR, OWN_MINOR + "      urgent_appointment:\n        members:\n"
           "          - vice ordföranden Maria Åberg\n          - ledamoten Per Ek\n")),
         (ORDERS_TOO, _urgent_lvu(),
          (OWN_MINOR, OWN_MINOR + "      urgent_appointment:\n        members:\n"
           "          - vice ordföranden Maria Åberg\n          - socialchefen Per Ek\n")),
         "/parties/0/decision/urgent_appointment/members/1", "          - socialchefen",
         "bara nämndens ordförande eller en annan ledamot", "1990:52"),
    # LVU 6 § and LVM 13 §: "ordförande eller någon annan ledamot"; an ersättare is none.
    Case("DELEG-FORORDNANDE-LEDAMOT", "ersattare", E,
         (ORDERS_TOO, _urgent_lvu(),
          (OWN_MINOR, OWN_MINOR + "      urgent_appointment:\n        members:\n"
           "          - vice ordföranden Maria Åberg\n          - ledamoten Per Ek\n")),
         (ORDERS_TOO, _urgent_lvu(),
          (OWN_MINOR, OWN_MINOR + "      urgent_appointment:\n        members:\n"
           "          - vice ordföranden Maria Åberg\n          - ersättaren Per Ek\n")),
         "/parties/0/decision/urgent_appointment/members/1", "          - ersättaren",
         "en ersättare (”ersättaren”) är inte ledamot", "1990:52"),
    # An office in another organ is no ledamot of the nämnd; a ledamot who also holds
    # one is.
    Case("DELEG-FORORDNANDE-LEDAMOT", "annat-organs-ordforande", E,
         (ORDERS_TOO, _urgent_lvu(),
          (OWN_MINOR, OWN_MINOR + "      urgent_appointment:\n        members:\n"
           "          - socialnämndens vice ordförande Maria Åberg\n"
           "          - ledamoten Eva Ström, som också är kommunstyrelsens ordförande\n")),
         (ORDERS_TOO, _urgent_lvu(),
          (OWN_MINOR, OWN_MINOR + "      urgent_appointment:\n        members:\n"
           "          - vice ordföranden Maria Åberg\n"
           "          - kommunstyrelsens ordförande Eva Ström\n")),
         "/parties/0/decision/urgent_appointment/members/1", "          - kommunstyrelsens",
         "”kommunstyrelsens ordförande” är ett uppdrag i ett annat organ", "1990:52"),
    # Procurement reasoning held to the spec's facts (C-429/19 Remondis).
    Case("LOU-REMONDIS", "bara-betalar", E, (), ((CONTRIBUTIONS, ""),),
         "/procurement/basis", "  basis: hamburg",
         "Region Stockholm bara beställer och betalar, medan en annan part utför uppgiften",
         "C-429/19"),
    Case("LOU-MARKNAD", "ingen-marknad", E,
         (("  basis: hamburg\n", "  basis: hamburg\n  bought_on_market: true\n"),),
         (("  basis: hamburg\n", "  basis: hamburg\n  bought_on_market: true\n  note: Ingen "
           "part köper sådana tjänster på marknaden.\n"),),
         "/procurement/note", "  note: Ingen part",
         "motiveringen säger att ingen köper tjänsten på marknaden", "2016:1145"),
    Case("LOU-MARKNAD-GRUND", "ingen-grund", W,
         (AUTHORITY, ("  basis: hamburg\n", "  basis: myndighetsutovning\n  bought_on_market: "
                      "true\n  note: Utredningarna kan inte skiljas från besluten.\n")),
         (AUTHORITY, ("  basis: hamburg\n", "  basis: myndighetsutovning\n  bought_on_market: "
                      "true\n  note: Köpen av konsulter upphör när avtalet börjar gälla.\n")),
         "/procurement/note", "  note: Köpen",
         "motiveringen anger ingen grund", "2016:1145"),
    Case("DELEG-UTSKOTT", "lvu-ansokan-till-anstalld", E,
         (coded(True, EMPLOYEE_DECISION, top=URGENT),),
         (coded(True, decision("lvu-ansokan", "beslut om ansökan om vård", LVU_4), top=URGENT),),
         "/delegation/external/decision_types/0", "      - id: lvu-ansokan",
         "får socialnämnden delegera bara till ett utskott", "2025:400"),
    # 30 kap. 11 §: never delegated; 30 kap. 8 §: lagen (2024:79) only to an utskott;
    # 30 kap. 10 § 2: not the power under 2 kap. 9 § FB to drop an investigation.
    Case("DELEG-UTSKOTT", "aldrig-18-11", E, (coded(True, EMPLOYEE_DECISION),),
         (coded(True, decision("forbud", "beslut om förbud att ta emot barn", SOL_18_11)),),
         "/delegation/external/decision_types/0", "      - id: forbud",
         "får socialnämnden inte delegera alls", "30 kap. 11 §"),
    Case("DELEG-UTSKOTT", "skyddat-boende", E, (coded(True, EMPLOYEE_DECISION),),
         (coded(True, decision("skydd", "beslut om omedelbar insats", SKYDD_4_1)),),
         "/delegation/external/decision_types/0", "      - id: skydd",
         "får socialnämnden delegera bara till ett utskott", "30 kap. 8 §"),
    Case("DELEG-UTSKOTT", "lagga-ner-utredning", E,
         (coded(True, decision("fb", "beslut att inleda en utredning om faderskap", FB_2_9)),),
         (coded(True, decision("fb", "beslut att lägga ner en utredning om faderskap",
                               FB_2_9)),),
         "/delegation/external/decision_types/0", "      - id: fb",
         "befogenheten att inte påbörja en utredning", "30 kap. 10 §"),
    Case("DELEG-UTSKOTT", "texten-sager-omhandertagande", E, (coded(True, EMPLOYEE_DECISION),),
         (coded(True, decision("bistand", "beslut om omedelbart omhändertagande",
                               EMPLOYEE_DECISION[2].strip())),),
         "/delegation/external/decision_types/0", "      - id: bistand",
         "gäller enligt texten ”omedelbart omhändertagande”", "30 kap. 7 §"),
    Case("DELEG-UTSKOTT", "ordforande-lvu-4", E, (_urgent_lvu(),),
         (coded(True, decision("lvu", "beslut om ansökan om vård", LVU_4,
                               "decided_by: ordforande_eller_ledamot"), top=URGENT),),
         "/delegation/external/decision_types/0", "      - id: lvu",
         "låter ordföranden eller en förordnad ledamot besluta i det", "30 kap. 12 §"),
    Case("DELEG-UTSKOTT-TEXT", "adoption-i-omfattningen", E,
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar beslut om ekonomiskt "
             "bistånd. Den omfattar inte beslut om omedelbart omhändertagande.")),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar beslut om ekonomiskt "
             "bistånd och om medgivande att ta emot ett barn från utlandet för adoption.")),),
         "/delegation/external/scope", "    scope: Delegeringen",
         "bara får delegera till ett utskott", "30 kap. 6 §"),
    # A placement named in the text, under a section an employee may take: the words weigh
    # more than the citation (30 kap. 6 § 1 SoL).
    Case("DELEG-UTSKOTT", "placering-under-annat-lagrum", E,
         (coded(True, decision("arvode", "beslut om arvode till familjehem; beslut om "
                               "placering i familjehem ingår inte", SOL_22_3)),),
         (coded(True, decision("arvode", "beslut om placering av ett barn i ett familjehem "
                               "och om arvode till familjehemmet", SOL_22_3)),),
         "/delegation/external/decision_types/0", "      - id: arvode",
         "gäller enligt texten ”placering av ett barn i ett familjehem”", "30 kap. 6 §"),
    # A negation elsewhere in the clause does not leave the matter out.
    Case("DELEG-UTSKOTT-TEXT", "placering-nar-namnden-inte-nas", E,
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar beslut om ekonomiskt "
             "bistånd. Beslut om placering i jourhem omfattas inte.")),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar beslut om ekonomiskt "
             "bistånd och beslut om placering i jourhem när nämnden inte kan nås.")),),
         "/delegation/external/scope", "    scope: Delegeringen",
         "bara får delegera till ett utskott", "30 kap. 6 §"),
    Case("DELEG-UTSKOTT-TEXT", "aldrig-i-omfattningen", E,
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar beslut om ekonomiskt "
             "bistånd.")),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar beslut om ekonomiskt "
             "bistånd och om att förbjuda en person att ta emot andras barn i sitt hem.")),),
         "/delegation/external/scope", "    scope: Delegeringen",
         "som socialnämnden inte får delegera alls", "30 kap. 11 §"),
    # 30 kap. 6 § 6 SoL reserves the decision to bring an action on återkrav, not the
    # återkrav itself (33 kap. 1 §).
    Case("DELEG-UTSKOTT-TEXT", "talan-om-aterkrav", E,
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar beslut om ekonomiskt "
             "bistånd och om återkrav av bistånd enligt 33 kap. 1 § socialtjänstlagen.")),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar beslut om ekonomiskt "
             "bistånd och beslut att föra talan om återkrav i förvaltningsrätten.")),),
         "/delegation/external/scope", "    scope: Delegeringen",
         "bara får delegera till ett utskott", "30 kap. 6 §"),
    # 30 kap. 10 § första stycket 2 SoL: not 2 kap. 7 § FB, nor 9 §'s power to lay an
    # investigation down.
    Case("DELEG-UTSKOTT-TEXT", "lagga-ned-faderskapsutredning", E,
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar att inleda och "
             "genomföra utredningar om faderskap.")),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar att inleda och lägga "
             "ned utredningar om faderskap.")),),
         "/delegation/external/scope", "    scope: Delegeringen",
         "som socialnämnden inte får delegera (30 kap. 10 § räknar inte upp det)", "30 kap. 10 §"),
    Case("DELEG-UTSKOTT-TEXT", "hela-foraldrabalken", E,
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar beslut om ekonomiskt "
             "bistånd.")),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "scope: Delegeringen omfattar samtliga beslut som "
             "nämnden fattar enligt föräldrabalken.")),),
         "/delegation/external/scope", "    scope: Delegeringen",
         "bara de uppgifter som lagen räknar upp", "30 kap. 10 §"),
    # A decision delegated that the agreement also says is not included.
    Case("DELEG-UNDANTAGEN", "undantagen-och-delegerad", W,
         (coded(True, EMPLOYEE_DECISION), (EXCLUDED, EXCLUDED + "    - id: bistand\n      text: "
          "Beslut om ekonomiskt stöd till anhöriga, som hemkommunen fattar.\n")),
         (coded(True, EMPLOYEE_DECISION), (EXCLUDED, EXCLUDED + "    - id: bistand\n      text: "
          "Beslut om ekonomiskt bistånd, som hemkommunen fattar.\n")),
         "/delegation/external/decision_types/0", "      - id: bistand",
         "avtalet delegerar beslut om ”ekonomiskt bistånd”, men räknar det också", "tasks"),
    # The excluded decision anywhere in an excluded task's text.
    Case("DELEG-UNDANTAGEN", "undantagen-mitt-i-texten", W,
         (coded(True, EMPLOYEE_DECISION), (EXCLUDED, EXCLUDED + "    - id: bistand\n      text: "
          "Råd till anhöriga och beslut om ekonomiskt stöd till dem; det gör hemkommunen.\n")),
         (coded(True, EMPLOYEE_DECISION), (EXCLUDED, EXCLUDED + "    - id: bistand\n      text: "
          "Råd till anhöriga och beslut om ekonomiskt bistånd; det gör hemkommunen.\n")),
         "/delegation/external/decision_types/0", "      - id: bistand",
         "avtalet delegerar beslut om ”ekonomiskt bistånd”, men räknar det också", "tasks"),
    # What the cooperation does not cover.
    Case("SKR-AVGRANSNING", "excluded", N, (), ((EXCLUDED, ""),),
         "/tasks", "  included:", "tasks.excluded", SKR),
    # Term, extension and termination tied together.
    Case("AVTAL-OVRIGA-PARTER", "tre-parter", W,
         (THIRD_PARTY, group_split("population_date: 2025-12-31"),
          (EXIT, EXIT + "  remaining_parties: fortsatter\n")),
         (THIRD_PARTY, group_split("population_date: 2025-12-31")),
         "/termination", "\n  notice_months: 6\n  form",
         "säger inte om det fortsätter mellan övriga parter", "uppsägning"),
    Case("AVTAL-OVRIGA-PARTER", "tva-parter-fortsatter", W,
         ((EXIT, EXIT + "  remaining_parties: upphor\n"),),
         ((EXIT, EXIT + "  remaining_parties: fortsatter\n"),),
         "/termination/remaining_parties", "  remaining_parties: fortsatter",
         "avtalet har två parter", "uppsägning"),
    Case("PROSA-PAGAENDE", "avbryts-men-slutfors", W,
         ((EXIT, EXIT + "  ongoing_assignments_rule: slutfors\n  ongoing_assignments: En "
           "påbörjad kontakt avslutas enligt planen, på avtalets villkor.\n"),),
         ((EXIT, EXIT + "  ongoing_assignments_rule: slutfors\n  ongoing_assignments: En "
           "påbörjad kontakt avbryts samma dag som avtalet upphör.\n"),),
         "/termination/ongoing_assignments", "  ongoing_assignments: En",
         "texten säger ”avbryts”, men ongoing_assignments_rule säger", SKR),
    Case("PROSA-PAGAENDE", "tak-men-slutfors", W,
         ((EXIT, EXIT + "  ongoing_assignments_rule: slutfors\n  ongoing_assignments: En "
           "påbörjad kontakt avslutas enligt planen, också om den tar mer än tre månader.\n"),),
         ((EXIT, EXIT + "  ongoing_assignments_rule: slutfors\n  ongoing_assignments: En "
           "påbörjad kontakt fortsätter på avtalets villkor, dock högst tre månader.\n"),),
         "/termination/ongoing_assignments", "  ongoing_assignments: En",
         "texten säger ”högst tre månader”, men ongoing_assignments_rule säger", SKR),
    Case("AVTAL-UPPSAGNING-MODELL", "exit-saknas", W, (), ((EXIT, ""),),
         "/termination", "\n  notice_months: 6\n  form", "ange exit: under_avtalstiden", SKR),
    Case("AVTAL-FORLANGNING-FRIST", "fore-start", E,
         ((EXTENSION_NOTICE, "    period_months: 12\n    notice_months: 23\n"),),
         ((EXTENSION_NOTICE, "    period_months: 12\n    notice_months: 25\n"),),
         "/term/extension/notice_months", "    notice_months: 25",
         "sista dagen att säga upp avtalet före förlängningen blir 30 november 2025, före "
         "startdagen 1 januari 2026", SKR),
    Case("AVTAL-UPPSAGNING-FRISTER", "olika-frister", W, (), (notice(7),),
         "/termination/notice_months", "  notice_months: 7", "skiljer sig från fristen", SKR),
    Case("AVTAL-UPPSAGNINGSTID-NOLL", "noll", W,
         ((TERMINATION_NOTICE,
           "termination:\n  notice_months: 0\n  ongoing_assignments_rule: slutfors\n"),
          (EXTENSION_NOTICE, "    period_months: 12\n    notice_months: 0\n")),
         (notice(0), (EXTENSION_NOTICE, "    period_months: 12\n    notice_months: 0\n")),
         "/termination/notice_months", "\n  notice_months: 0\n  form",
         "ongoing_assignments_rule: slutfors eller aterlamnas", SKR),
    # What the documents say about attachments.
    Case("BILAGA-HANVISNING", "bilaga-saknas", W,
         ((PERSONAL_ROLES, PROCESSOR + "      reference: avtal daterat 1 december 2025\n"),),
         ((PERSONAL_ROLES, PROCESSOR + "      reference: Bilaga 2\n"),),
         "/information/personal_data/dpa/reference", "      reference: Bilaga 2",
         "hänvisningen till bilaga 2 har ingen motsvarande bilaga", "attachments"),
    Case("BILAGA-NUMMER", "nummer-i-texten", W,
         ((PREPARATION, PREPARATION + "      attachments:\n        - Priskalkyl\n"),),
         ((PREPARATION, PREPARATION + "      attachments:\n        - Priskalkyl (bilaga 2)\n"),),
         "/parties/0/decision/attachments/0", "        - Priskalkyl (bilaga 2)",
         "ta bort ”(bilaga …)” ur texten", "decision.attachments"),
    # One of the agreement's attachments listed again among the party's own.
    Case("BILAGA-DUBBEL", "avtalets-bilaga-igen", W,
         ((PREPARATION, PREPARATION + "      attachments:\n        - Priskalkyl\n"),
          ("signing:\n", "attachments:\n  - id: pub\n    text: Personuppgiftsbiträdesavtal "
                         "mellan parterna\nsigning:\n")),
         ((PREPARATION,
           PREPARATION + "      attachments:\n        - Personuppgiftsbiträdesavtal\n"),
          ("signing:\n", "attachments:\n  - id: pub\n    text: Personuppgiftsbiträdesavtal "
                         "mellan parterna\nsigning:\n")),
         "/parties/0/decision/attachments/0", "        - Personuppgiftsbiträdesavtal",
         "står redan bland avtalets bilagor", "decision.attachments"),
    # A party's type is what its name says (Region Gotland is a kommun).
    # A company under a kommun's type: only kommuner and regioner enter avtalssamverkan.
    Case("PART-TYP", "bolag-som-kommun", E,
         (("    name: Stockholms stad\n", "    name: Stockholms stad\n"),),
         (("    name: Stockholms stad\n", "    name: Stockholm Omsorg AB\n"),),
         "/parties/0/name", "    name: Stockholm Omsorg AB",
         "är enligt namnet (AB) ingen kommun eller region", "kommunallagen"),
    Case("PART-TYP", "kommun-som-region", E,
         (("    name: Stockholms stad\n", "    name: Region Gotland\n"),
          ("        email: mottagningen@stockholm.se\n",
           "        email: mottagningen@gotland.se\n")),
         (("    type: kommun\n    org_nr: 212000-0142\n",
           "    type: region\n    org_nr: 212000-0142\n"),),
         "/parties/0/type", "    type: region\n    org_nr: 212000-0142",
         "”Stockholms stad” heter som en kommun men har type: region", "1 kap. 1 §"),
    # Proper names keep their capital letter.
    Case("ORGAN-EGENNAMN", "stadsdelsnamnd", W,
         ((ORGAN_NAME, "        name: Järva stadsdelsnämnd\n        proper_name: true\n"),),
         ((ORGAN_NAME, "        name: Järva stadsdelsnämnd\n"),),
         "/parties/0/organs/0/name", "        name: Järva stadsdelsnämnd",
         "ser ut som ett egennamn; skriv proper_name: true", "egennamn"),
    # Current law and the legal basis (generator/data/laws.yaml).
    Case("LAG-UPPHAVD", "gamla-sol", E, (), ((SOL_SFS, '    sfs: "2001:453"\n'),),
         "/legal_basis/1/sfs", '    sfs: "2001:453"',
         "hänvisa till 3 kap. 1 § socialtjänstlagen (2025:400) (barnets bästa", "laws.yaml"),
    Case("LAG-UPPHAVD", "fritext", E, (),
         ((KL_NOTE, "    note: Samverkan enligt socialtjänstlagen (2001:453).\n"),),
         "/legal_basis/0/note", "    note: Samverkan enligt",
         "gällde till och med 30 juni 2025", "laws.yaml"),
    Case("LAG-SFS", "sol-utan-sfs", E, (), ((SOL_SFS, ""),),
         "/legal_basis/1", "  - chapter: 3", "ange sfs", "laws.yaml"),
    Case("LAGRUM-ROLL", "roll-saknas", W, (), ((SOL_ROLE, ""),),
         "/legal_basis/1", "  - chapter: 3", "ange role: grund", "laws.yaml"),
    # Citations checked against the statute texts (generator/data/lagrum-index.yaml).
    Case("LAGRUM-FINNS", "paragraf-saknas", W, (), ((SOL_PLACE, SOL_PLACE.replace("1", "9")),),
         "/legal_basis/1", "  - chapter: 3\n    section: 9", "3 kap. 9 § finns inte",
         "lagrum-index.yaml"),
    Case("LAGRUM-FINNS", "kapitel-saknas", W, (), (("  - chapter: 9\n", "  - chapter: 19\n"),),
         "/legal_basis/0", "  - chapter: 19", "kommunallagen har inget 19 kap.",
         "lagrum-index.yaml"),
    # A citation in prose: the repealed law's section written as the law in force.
    # A section that exists, cited for what another says (9 kap. 38 § KL is the yearly
    # report; a decision on another's behalf is 9 kap. 37 § andra stycket).
    Case("LAGRUM-I-TEXT-AMNE", "arlig-rapport-for-delegering", W,
         ((OPINION, OPINION.rstrip("\n").rstrip(".") + ". Styrelsen rapporterar avtalet "
           "till fullmäktige enligt 9 kap. 38 § kommunallagen.\n"),),
         ((OPINION, OPINION.rstrip("\n").rstrip(".") + ". Att mottagningens personal beslutar "
           "på nämndens vägnar har stöd i 9 kap. 38 § kommunallagen.\n"),),
         "/parties/0/decision/opinion", "      opinion: Förvaltningen",
         "texten hänvisar till ”9 kap. 38 § kommunallagen” där den talar om ”vägnar”",
         "laws.yaml"),
    # A kommun's HVB needs no permit, but is reported to IVO before it starts.
    Case("PROSA-IVO", "kommunalt-hvb-anmals-inte", W,
         ((OPINION, OPINION.rstrip("\n").rstrip(".") + ". Hemmet drivs av kommunen och behöver "
           "inte tillstånd från IVO, men det anmäls till Inspektionen för vård och omsorg "
           "innan det öppnar.\n"),),
         ((OPINION, OPINION.rstrip("\n").rstrip(".") + ". Eftersom hemmet drivs av en kommun "
           "krävs varken tillstånd från eller anmälan till IVO.\n"),),
         "/parties/0/decision/opinion", "      opinion: Förvaltningen",
         "texten säger att verksamheten inte anmäls (”varken tillstånd från eller anmäl”)",
         "26 kap. 2 §"),
    # A staff report that says no decision is delegated, in an agreement with extern
    # delegering (the fixture's principal is region-stockholm, parties/1).
    Case("PROSA-INGEN-DELEGERING", "text-sager-ingen-delegering", W,
         (delegate("anstalld"),
          (PURPOSE_END, PURPOSE_END + " Regionen behåller beslutanderätten i allt som inte "
           "uttryckligen delegeras.")),
         (delegate("anstalld"),
          (PURPOSE_END, PURPOSE_END + " Mottagningen tar bara emot ärenden, så ingen "
           "beslutanderätt delegeras till staden.")),
         "/purpose", "purpose: >-",
         "texten säger ”ingen beslutanderätt delegeras”", "9 kap. 37 §"),
    # Holding a young person apart is a särskilt ungdomshem's power (LVU 15, 15 c §§).
    Case("PROSA-AVSKILDHET", "avskiljningsrum-i-hvb", W,
         ((PURPOSE_END, PURPOSE_END + " Mottagningen har ett lugnt rum som aldrig låses."),),
         ((PURPOSE_END, PURPOSE_END + " Mottagningen har ett avskiljningsrum där en ung som "
           "uppträder våldsamt kan hållas avskild."),),
         "/purpose", "purpose: >-", "texten talar om ”avskiljningsrum”", "15 c §"),
    Case("LAGRUM-I-TEXT", "upphavd-paragraf-i-yttrande", W,
         (("      opinion: Förvaltningen föreslår att nämnden godkänner avtalet.\n",
           "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet enligt 9 kap. "
           "37 § kommunallagen.\n"),),
         (("      opinion: Förvaltningen föreslår att nämnden godkänner avtalet.\n",
           "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet, som 5 kap. "
           "9 a § socialtjänstlagen kräver.\n"),),
         "/parties/0/decision/opinion", "      opinion: Förvaltningen",
         "texten hänvisar till ”5 kap. 9 a § socialtjänstlagen”, men 5 kap. 9 a § finns inte",
         "lagrum-index.yaml"),
    Case("LAGRUM-KOMMENTAR", "verb-forst", W, (),
         ((KL_NOTE, "    note: Ger kommunerna rätt att avtala om att staden utför uppgiften.\n"),),
         "/legal_basis/0/note", "    note: Ger", "men saknar subjekt", "legal_basis"),
    Case("LAGRUM-AMNE", "fel-kapitel", W,
         ((SOL_PLACE, SOL_PLACE.replace("section: 1", "section: 2")),),
         ((SOL_PLACE, SOL_PLACE.replace("3", "2")),),
         "/legal_basis/1", "  - chapter: 2", "står i 3 kap. 1 § socialtjänstlagen (2025:400)",
         "laws.yaml"),
    # A section whose own text speaks of the subject is a citation of it: 33 kap. 1 § SoL
    # (återkrav of ekonomiskt bistånd) was told to cite 12 kap. 1 § instead.
    Case("LAGRUM-AMNE", "paragrafen-talar-om-amnet", W,
         ((SOL_PLACE, SOL_PLACE.replace("3", "33")),
          (BEST_INTEREST, "    note: Återkrav av ekonomiskt bistånd som betalats ut felaktigt.\n")),
         ((SOL_PLACE, SOL_PLACE.replace("3", "4")),
          (BEST_INTEREST, "    note: Ekonomiskt bistånd till den som inte kan försörja sig.\n")),
         "/legal_basis/1", "  - chapter: 4", "står i 12 kap. 1 § socialtjänstlagen (2025:400)",
         "laws.yaml"),
    # A section that cites the subject's own section by its number speaks of it too:
    # 35 kap. 1 § SoL (appeals) names 12 kap. 1 §.
    Case("LAGRUM-AMNE", "paragrafen-hanvisar-till-amnet", W,
         ((SOL_PLACE, SOL_PLACE.replace("3", "35")),
          (BEST_INTEREST, "    note: Överklagande av beslut om ekonomiskt bistånd.\n")),
         ((SOL_PLACE, SOL_PLACE.replace("3", "4")),
          (BEST_INTEREST, "    note: Överklagande av beslut om ekonomiskt bistånd.\n")),
         "/legal_basis/1", "  - chapter: 4", "står i 12 kap. 1 § socialtjänstlagen (2025:400)",
         "laws.yaml"),
    Case("LAGRUM-PARAGRAF", "grund-utan-paragraf", W, (),
         ((SOL_PLACE, "  - law: socialtjänstlagen\n"), (SOL_ROLE, "    role: grund\n")),
         "/legal_basis/1", "  - law: socialtjänstlagen",
         "utan paragraf; ange chapter och section för den bestämmelse som är grunden, t.ex. "
         "3 kap. 1 § socialtjänstlagen (2025:400)", "lagrum-index.yaml"),
    Case("LAGRUM-GRUND", "ingen-grund", E, (),
         ((KL_ROLE, "    law: kommunallagen\n    role: tillampligt\n"),),
         "/legal_basis", "  - chapter: 9\n", "inget lagrum är angivet som avtalets grund",
         "9 kap. 37 §"),
    # Relations between sections (generator/rules/relationer.py).
    Case("ROLLER-ANSVAR", "roll-utan-part", W, (),
         ((LAKARE, LAKARE + "  - role: mottagande_kommun\n    duties:\n      - id: plats\n"
           "        text: Tar emot den unge.\n"),),
         "/responsibilities/2/role", "  - role: mottagande_kommun", "ingen part har rollen", KL),
    Case("ROLLER-DELEGAT", "delegat-hos-bestallaren", E, (delegate("anstalld"),),
         (coded(True, EMPLOYEE_DECISION, ext=(
             "further_delegation: false", "delegates:", "  - title: enhetschef",
             "    party: region-stockholm", "    employment: anstalld")),),
         "/delegation/external/delegates/0/party", "        party: region-stockholm",
         "som inte utför uppgiften", "9 kap. 37 §"),
    Case("GDPR-BITRADE-ROLL", "omvant", W, ((PERSONAL_ROLES, PROCESSOR),),
         ((PERSONAL_ROLES, "    roles: bitrade\n    controller: stockholm\n"
           "    processor: region-stockholm\n    dpa:\n      exists: true\n"),),
         "/information/personal_data/processor", "    processor: region-stockholm",
         "utför inget åt de andra parterna", GDPR),
    # Solna orders as the region does: the performer is the processor of each.
    Case("GDPR-BITRADE-FLERA", "en-av-tva-bestallare", W,
         (THIRD_PARTY, group_split("population_date: 2025-12-31"),
          (PERSONAL_ROLES, PROCESSOR.replace("    controller: region-stockholm\n", ""))),
         (THIRD_PARTY, group_split("population_date: 2025-12-31"), (PERSONAL_ROLES, PROCESSOR)),
         "/information/personal_data/controller", "    controller: region-stockholm",
         "Solna stad beställer på samma sätt som Region Stockholm", GDPR),
    Case("GDPR-SEPARATA-BITRADE", "for-annans-rakning", W,
         ((DETAILS, "    details: Var part behandlar uppgifterna i sina egna ärenden.\n"),),
         ((DETAILS, "    details: Stockholm behandlar uppgifterna för regionens räkning.\n"),),
         "/information/personal_data/roles", "    roles: separata",
         "texten säger ”för regionens räkning”", GDPR),
    Case("GDPR-GEMENSAMT-ROLL", "joint-men-separata", W,
         ((PERSONAL_ROLES, "    roles: gemensamt\n    arrangement: Parterna delar ansvaret.\n"
           + JOINT),),
         ((PERSONAL_ROLES, PERSONAL_ROLES + JOINT),),
         "/information/personal_data/roles", "    roles: separata", "skriv roles: gemensamt",
         GDPR),
    Case("EKON-BETALARE", "utforaren-betalar", W, (fixed_sum(),), (fixed_sum(payer="stockholm"),),
         "/economics/model/payer", "    payer: stockholm",
         "Stockholms stad utför uppgiften och anges som betalare", SKR),
    Case("EKON-FORSKOTT", "utan-avstamning", W, (advance(reconciled=True),),
         (advance(reconciled=False),), "/economics/invoicing/timing", "    timing: forskott",
         "skriv economics.reconciliation", SKR),
    Case("EKON-AVSTAMNING-TID", "efter-avtalstiden", W, (settle(12),), (settle(36),),
         "/economics/reconciliation/interval_months", "    interval_months: 36",
         "kommer efter avtalstidens slut", SKR),
    Case("EKON-VARDE", "belopp-mot-varde", W,
         (fixed_sum(), economics("estimated_annual_value: 6400000")),
         (fixed_sum(), economics("estimated_annual_value: 2000000")),
         "/economics/model/amount", "    amount: 6400000", "estimated_annual_value är", SKR),
    Case("AVTAL-UPPSAGNING-PERIOD", "langre-an-forlangning", W, (notice(12),), (notice(13),),
         "/termination/notice_months", "  notice_months: 13",
         "längre än en förlängningsperiod", SKR),
    Case("AVTAL-PERIODSLUT", "tills-vidare", W,
         (UNTIL, NO_EXTENSION, (EXIT, "  exit: under_avtalstiden\n")), (UNTIL, NO_EXTENSION),
         "/termination/exit", "  exit: vid_periodens_slut", "skriv exit: under_avtalstiden", SKR),
    Case("NATUR-BESLUTSTYPER", "insatser-med-beslut", W, (nature_with_decisions("bada"),),
         (nature_with_decisions("insatser"),), "/delegation/nature", "  nature: insatser",
         "vilket är myndighetsutövning", "9 kap. 37 §"),
    Case("KL-VIDAREDELEGERING-NIVA", "utan-niva", W,
         (coded(True, EMPLOYEE_DECISION, ext=("further_delegation: true",
                                              "further_delegation_to: enhetschef")),),
         (coded(True, EMPLOYEE_DECISION, ext=("further_delegation: true",)),),
         "/delegation/external/further_delegation", "    further_delegation: true",
         "skriv further_delegation_to", "9 kap. 37 §"),
    Case("NATUR-JOUR", "kontorstid", W,
         (URGENT_BY_STAFF, hours("true", "")), (URGENT_BY_STAFF, hours("false")),
         "/tasks/service_hours/around_the_clock", "    around_the_clock: false",
         "tar bara emot ärenden vissa tider (vardagar 8–17)", "9 kap. 37 §"),
    Case("NATUR-OPPETTIDER", "dygnet-runt-och-tider", W, (hours("true", ""),),
         (hours("true"),), "/tasks/service_hours/hours", "    hours: vardagar 8–17",
         "avtalet skriver bara dygnet runt", SKR),
    Case("AVTAL-AVTALSBROTT", "rattelse-langre-an-uppsagning", W, (breach_terms(30),),
         (breach_terms(200),), "/termination/breach_terms/cure_days", "    cure_days: 200",
         "längre än uppsägningstiden (6 månader)", SKR),
    Case("ORGAN-STYRGRUPP", "part-saknas", W, (members("stockholm, region-stockholm"),),
         (members("stockholm"),), "/follow_up/steering_group/members",
         "    members: [stockholm]", "Region Stockholm har ingen plats i styrgruppen", SKR),
    # Figures in prose read against their fields (generator/rules/tal.py).
    Case("PROSA-UPPSAGNINGSTID", "annan-tid-i-texten", W, (ongoing("sex månader"),),
         (ongoing("tre månader"),), "/termination/ongoing_assignments",
         "  ongoing_assignments: Pågående", "men uppsägningstiden är 6 månader", SKR),
    Case("PROSA-AVTALSBROTT", "annan-rattelsetid", W, (breach_text("30 dagar"),),
         (breach_text("14 dagar"),), "/termination/breach", "  breach: En part",
         "men breach_terms.cure_days är 30 dagar", SKR),
    Case("PROSA-AVTALSBROTT", "annan-foljd", W, (breach_text("30 dagar"),),
         (breach_text("30 dagar", "med sex månaders uppsägningstid"),), "/termination/breach",
         "  breach: En part", "men breach_terms.effect är omedelbart", SKR),
    Case("PROSA-STYRGRUPP", "annat-antal-moten", W, (meets("två"),), (meets("fyra"),),
         "/follow_up/steering_group/composition", "    composition: En chef",
         "styrgruppen sammanträder 2 gånger per år", SKR),
    Case("PROSA-FORLANGNING", "annan-period", W, (ongoing("sex månader", "tolv månader"),),
         (ongoing("sex månader", "två år"),), "/termination/ongoing_assignments",
         "  ongoing_assignments: Pågående", "förlängs med 12 månader i taget", SKR),
    # Who the prose names, against the fields (generator/rules/vem.py).
    Case("PROSA-PERSONUPPGIFTER", "bitrade-vid-separata", W, (),
         (details("Staden behandlar uppgifterna som personuppgiftsbiträde åt regionen."),),
         "/information/personal_data/details", "    details: Staden",
         "men roles är separata", GDPR),
    Case("PROSA-PERSONUPPGIFTER", "bitradet-ansvarigt", W,
         (processor("    dpa:", "      exists: true"),
          details("Region Stockholm är personuppgiftsansvarig och Stockholms stad är "
                  "personuppgiftsbiträde.")),
         (processor("    dpa:", "      exists: true"),
          details("Stockholms stad är personuppgiftsansvarig för alla uppgifter i "
                  "mottagningen, också regionens.")),
         "/information/personal_data/details", "    details: Stockholms stad",
         "texten gör Stockholms stad personuppgiftsansvarig", GDPR),
    # The staff report says the roles to the nämnd too: a processor made controller there.
    Case("PROSA-PERSONUPPGIFTER", "bitradet-ansvarigt-i-yttrandet", W,
         (processor("    dpa:", "      exists: true"),
          ("      opinion: Förvaltningen föreslår att nämnden godkänner avtalet.\n",
           "      opinion: Stockholms stad är personuppgiftsansvarig för sina egna invånares "
           "ärenden.\n")),
         (processor("    dpa:", "      exists: true"),
          ("      opinion: Förvaltningen föreslår att nämnden godkänner avtalet.\n",
           "      opinion: Stockholms stad blir personuppgiftsansvarig för "
           "behandlingsdokumentationen.\n")),
         "/parties/0/decision/opinion", "      opinion: Stockholms stad",
         "texten gör Stockholms stad personuppgiftsansvarig", GDPR),
    Case("PROSA-PERSONUPPGIFTER", "pub-vid-separata", W, (),
         ((PERSONAL_ROLES, PERSONAL_ROLES + "    dpa:\n      exists: true\n"),),
         "/information/personal_data/dpa", "      exists: true", "ingen part är biträde", GDPR),
    Case("GDPR-BITRADE-ANDAMAL", "egen-forskning", W,
         (processor("    dpa:", "      exists: true"),
          details("Stockholms stad raderar uppgifterna när kontakten är avslutad.")),
         (processor("    dpa:", "      exists: true"),
          details("Stockholms stad sparar uppgifterna efter avslutad kontakt för sin egen "
                  "forskning.")),
         "/information/personal_data/details", "    details: Stockholms stad",
         "ett biträde behandlar uppgifterna bara på den ansvariges instruktioner", "28.3"),
    Case("GDPR-GEMENSAMT-PARTER", "part-saknas", W,
         (THIRD_PARTY, group_split("population_date: 2025-12-31"),
          joint("stockholm", "region-stockholm", "solna")),
         (THIRD_PARTY, group_split("population_date: 2025-12-31"),
          joint("stockholm", "region-stockholm")),
         "/information/personal_data/joint/controllers", "        - party: stockholm",
         "Solna stad saknas bland de gemensamt personuppgiftsansvariga", GDPR),
    Case("GDPR-GEMENSAMT-PARTER", "kontaktpunkt-utanfor", W,
         (THIRD_PARTY, group_split("population_date: 2025-12-31"),
          joint("stockholm", "region-stockholm", "solna")),
         (THIRD_PARTY, group_split("population_date: 2025-12-31"),
          (joint("region-stockholm", "solna")[0], joint("region-stockholm", "solna")[1])),
         "/information/personal_data/joint/contact_point/party", "        party: stockholm",
         "kontaktpunkten är Stockholms stad, som inte är bland", GDPR),
    Case("ARKIV-BESLUT", "beslut-hos-utforaren", W,
         (delegate("anstalld"), (ARCHIVE, ARCHIVE + "    classes:\n      - id: arenden\n"
          "        text: utredningar och beslut i enskilda ärenden\n"
          "        kept_by: arendets_namnd\n")),
         (delegate("anstalld"), (ARCHIVE, ARCHIVE + "    classes:\n      - id: arenden\n"
          "        text: utredningar och beslut i enskilda ärenden\n"
          "        kept_by: utforande_part\n")),
         "/information/records/classes/0/kept_by", "        kept_by: utforande_part",
         "alltså uppdragsgivarens beslut", "9 kap. 37 §"),
    Case("PROSA-ARKIV", "annan-part-bevarar", W,
         (archive("Stockholms stad bevarar handlingarna i stadsarkivet."),),
         (archive("Handlingarna bevaras hos Region Stockholm."),),
         "/information/records/details", "    details: Handlingarna",
         "Region Stockholm bevarar handlingarna", "arkivlagen"),
    Case("PROSA-OVERGANG", "annan-part", W,
         (transfer("Regionens kuratorer går över till staden genom verksamhetsövergång."),),
         (transfer("Kuratorer anställda i Stockholms stad går över till Region Stockholm "
                   "genom verksamhetsövergång."),),
         "/staff/transfer_of_undertaking", "  transfer_of_undertaking: Kuratorer",
         "texten flyttar personal från Stockholms stad", SKR),
    Case("PROSA-DELEGAT", "bestallarens-personal", W,
         (text_delegates("socialsekreterare anställda i Stockholms stad"),),
         (text_delegates("socialsekreterare anställda i Region Stockholm"),),
         "/delegation/external/delegates", "    delegates: socialsekreterare",
         "som inte utför uppgiften", "9 kap. 37 §"),
    Case("PROSA-ANDRINGAR", "annat-organ", W,
         ((MATERIAL, "  material_approved_by: Socialnämnden i Stockholms stad och hälso- och "
                     "sjukvårdsnämnden i Region Stockholm.\n"),),
         ((MATERIAL, "  material_approved_by: Kommunstyrelsen i Stockholms stad och hälso- och "
                     "sjukvårdsnämnden i Region Stockholm.\n"),),
         "/amendments/material_approved_by", "  material_approved_by: Kommunstyrelsen",
         "men där beslutar socialnämnden om avtalet", "6 kap. 6 §"),
    Case("PROSA-PARTNAMN", "annan-kommun", W,
         ((OPINION, "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet med "
                    "Region Stockholm. Solna stad har en liknande mottagning.\n"),),
         ((OPINION, "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet med "
                    "Solna stad.\n"),),
         "/parties/0/decision/opinion", "      opinion: Förvaltningen",
         "texten nämner ”Solna stad”, som inte är part", "9 kap. 37 §"),
    # A body that may join later is named on purpose, with the day it may join.
    Case("PROSA-PARTNAMN", "anslutning", W,
         ((OPINION, "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet. Från "
                    "och med 1 mars 2027 får Solna stad ansluta sig till avtalet. Solna stad "
                    "blir inte part förrän ett tilläggsavtal har undertecknats.\n"),),
         ((OPINION, "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet. "
                    "Samverkan med Solna stad börjar 1 mars 2027.\n"),),
         "/parties/0/decision/opinion", "      opinion: Förvaltningen",
         "texten nämner ”Solna stad”, som inte är part", "9 kap. 37 §"),
    Case("PROSA-TAK", "annat-antal", W,
         assignments_cap("Staden tar emot högst sex uppdrag per år."),
         assignments_cap("Staden tar emot högst fyra uppdrag per år."),
         "/parties/0/decision/opinion", "      opinion: Staden", "assignments.cap.cases är 6", SKR),
    Case("BESLUT-UPPDRAG-PART", "annan-parts-namnd", E,
         (commission("Stadsdelsnämnden i Stockholms stad"),),
         (commission("Region Stockholms hälso- och sjukvårdsnämnd"),),
         "/parties/0/decision/commissions/0/organ", "        - organ: Region",
         "kan bara ge sina egna organ uppdrag", "6 kap. 6 §"),
    Case("PROSA-PERSONUPPGIFTER", "annan-kontaktpunkt", W,
         (joint("stockholm", "region-stockholm"),),
         (joint("stockholm", "region-stockholm"),
          details("En begäran tas emot av Region Stockholm, som är kontaktpunkt för båda "
                  "parter.")),
         "/information/personal_data/details", "    details: En begäran",
         "till kontaktpunkt, men joint.contact_point är Stockholms stad", GDPR),
    Case("PROSA-OVERGANG", "i-beslutsunderlaget", W,
         (transfer("Regionens kuratorer går över till staden genom verksamhetsövergång."),),
         (transfer("Regionens kuratorer går över till staden genom verksamhetsövergång."),
          (OPINION, "      opinion: Kuratorerna i Stockholms stad går över till Region "
                    "Stockholm som anställda där.\n")),
         "/parties/0/decision/opinion", "      opinion: Kuratorerna",
         "texten flyttar personal från Stockholms stad", SKR),
    Case("DELEG-STYRGRUPP-TEXT", "beredningen-beslutar", W,
         (task("Samverkansberedningen, med förtroendevalda från båda parter, fastställer "
               "inriktningen för arbetet."),),
         (task("Samverkansberedningen, med förtroendevalda från båda parter, beslutar om "
               "ändringar i avtalet."),),
         "/tasks/included/0/text", "      text: Samverkansberedningen",
         "en gemensam grupp kan inte besluta", "6 kap. 37 §"),
    Case("PROSA-ALDER", "aldre-an-falten", W,
         (("  description: Unga upp till 20 år i Stockholms stad med riskbruk eller missbruk.\n",
           "  description: Unga 13–20 år i Stockholms stad med riskbruk eller missbruk.\n"),),
         (("  description: Unga upp till 20 år i Stockholms stad med riskbruk eller missbruk.\n",
           "  description: Unga upp till 25 år i Stockholms stad med riskbruk eller missbruk.\n"),),
         "/target_group/description", "  description: Unga upp till 25",
         "åldersgräns vid 25 år", SKR),
    Case("BESLUT-DIARIENUMMER", "samma-nummer", W, (region_decision("HSN 2025/0412"),),
         (region_decision("SN 2025/1187"),),
         "/parties/1/decision/diarienummer",
         "      diarienummer: SN 2025/1187\n      report_date: 2025-11-05",
         "är också Stockholms stads", "avtal"),
    Case("PROSA-PARTANTAL", "fel-antal", W,
         ((OPINION, "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet mellan "
                    "de två parterna.\n"),),
         ((OPINION, "      opinion: Förvaltningen föreslår att nämnden godkänner avtalet mellan "
                    "de tre parterna.\n"),),
         "/parties/0/decision/opinion", "      opinion: Förvaltningen",
         "men avtalet har 2 parter", "9 kap. 37 §"),
    Case("PROSA-DATUMFOLJD", "beslut-efter-utlatandet", W,
         ((OPINION, "      opinion: Regionens nämnd godkände avtalet den 20 oktober 2025.\n"),),
         ((OPINION, "      opinion: Regionens nämnd godkände avtalet den 20 november 2025.\n"),),
         "/parties/0/decision/opinion", "      opinion: Regionens",
         "efter tjänsteutlåtandets datum 3 november 2025", SKR),
    Case("PROSA-VAL", "skiljeforfarande", W,
         (task("Parterna löser tvister genom förhandling i styrgruppen."),),
         (task("Tvister avgörs av en skiljenämnd."),),
         "/tasks/included/0/text", "      text: Tvister", "inte genom skiljeförfarande", SKR),
    Case("PROSA-INTERVALL", "kvartalsvis", W,
         (("    payment_days: 30\n", "    payment_days: 30\n    details: Fakturan skickas "
           "kvartalsvis i efterskott.\n"),),
         (("    payment_days: 30\n", "    payment_days: 30\n    details: Fakturan skickas "
           "varje månad i efterskott.\n"),),
         "/economics/invoicing/details", "    details: Fakturan", "men intervallet är 3 månader",
         SKR),
    Case("PROSA-ICKE-PART", "polisen-forbinder-sig", W,
         (task("Mottagningen samverkar med polisen enligt polisens egna rutiner."),),
         (task("Polisen förbinder sig att hänvisa unga till mottagningen."),),
         "/tasks/included/0/text", "      text: Polisen", "avtalet binder bara sina parter",
         "9 kap. 37 §"),
    Case("PROSA-ARSRAPPORT", "namnden-rapporterar", W, (),
         (("    how: I respektive parts årsredovisning.\n",
           "    how: Socialnämnden redovisar samverkan för kommunfullmäktige i "
           "årsredovisningen.\n"),),
         "/follow_up/council_report/how", "    how: Socialnämnden",
         "det är styrelsen", "9 kap. 38 §"),
    Case("DELEG-FORORDNANDE-PART", "annan-parts-foretradare", W,
         (ORDERS_TOO, _urgent_lvu(),
          (OWN_MINOR, OWN_MINOR + "      urgent_appointment:\n        members:\n"
           "          - vice ordföranden Maria Åberg\n")),
         (ORDERS_TOO, _urgent_lvu(),
          (OWN_MINOR, OWN_MINOR + "      urgent_appointment:\n        members:\n"
           "          - ledamoten Erik Sandberg\n")),
         "/parties/0/decision/urgent_appointment/members/0", "          - ledamoten Erik",
         "som avtalet har som företrädare för Region Stockholm", "1990:52"),
    # A region holds no decision under the social services laws: the kommun's nämnd does.
    Case("DELEG-REGION-SOCIALTJANST", "regionen-delegerar-bistand", E,
         (HSL_AND_SOL, *region_decisions("[vard]", None)),
         (HSL_AND_SOL, *region_decisions("[vard, bistand]", None)),
         "/parties/1/decisions/0/decision_types", "        decision_types: [vard, bistand]",
         "är en region, men beslut om ekonomiskt bistånd fattas av socialnämnden", "4 kap. 1 §"),
    Case("DELEG-ORGAN-TYPER", "nämnd-utan-egna-typer", E,
         (TWO_TYPES, *region_decisions("[bistand]", "[placering]")),
         (TWO_TYPES, *region_decisions("[bistand]", None)),
         "/parties/1/decisions/1/organ", "      - organ: psykiatrinamnden",
         "en nämnd kan bara delegera beslut inom sitt eget område", "7 kap. 5 §"),
    Case("DELEG-ORGAN-TYPER", "samma-typ-i-två-nämnder", E,
         (TWO_TYPES, *region_decisions("[bistand]", "[placering]")),
         (TWO_TYPES, *region_decisions("[bistand]", "[placering, bistand]")),
         "/parties/1/decisions/1/decision_types/1", "        decision_types: [placering",
         "hör redan till hälso- och sjukvårdsnämnden", "6 kap. 2 §"),
    Case("DELEG-STYRELSE", "styrelsen-delegerar", W,
         (coded(True, EMPLOYEE_DECISION), *region_decides_by("halso-och-sjukvardsnamnden")),
         (coded(True, EMPLOYEE_DECISION), *region_decides_by("regionstyrelsen")),
         "/parties/1/decision/organ", "      organ: regionstyrelsen",
         "Regionstyrelsen beslutar och delegerar beslut enligt avtalet", "7 kap. 5 §"),
    Case("BESLUT-FORLANGNING-FLERA", "en-av-tva-namnder", W,
         (*region_decisions(None, None),),
         (*region_decisions(None, None, extends=True),),
         "/parties/1/decisions/0/extension_authority", "        extension_authority: true",
         "ingen av dem kan ensam låta en tjänsteman förlänga", "7 kap. 5 §"),
    Case("BESLUT-TJANSTEMAN-FULLMAKTIGE", "mindre-andringar-under-fullmaktige", W,
         ((MEETING, MEETING + PATH_TO_COUNCIL), (OWN_MINOR, "")),
         ((MEETING, MEETING + PATH_TO_COUNCIL),),
         "/parties/0/decision/minor_amendments_by", OWN_MINOR.rstrip("\n"),
         "kommunfullmäktige, som kan uppdra åt en nämnd att besluta i sitt ställe men inte "
         "åt en tjänsteman som socialdirektören",
         "5 kap. 2 §"),
    Case("EKON-FAST-DELNING", "tva-betalare-utan-delning", W,
         (ORDERS_TOO, fixed_sum("    per_payer: true\n", payer=None)),
         (ORDERS_TOO, fixed_sum(payer=None)),
         "/economics/model/amount", "    amount: 6400000",
         "2 parter betalar den fasta ersättningen om 6 400 000 kronor", "SKR"),
    Case("BESLUT-UPPDRAG-ORGAN", "del-av-namnet", W,
         (RENAMED_ORGAN, commission("Kommunstyrelsen")),
         (RENAMED_ORGAN, commission("Socialnämnden")),
         "/parties/0/decision/commissions/0/organ", "        - organ: Socialnämnden",
         "Stockholms stad har ”Arbetsmarknads- och socialnämnden”", "6 kap. 6 §"),
    Case("PROSA-PRIS-FORE-START", "uppraknad-fore-start", W,
         (economics("accounting: Beloppen räknas upp första gången 1 januari 2027."),),
         (economics("accounting: Beloppen räknas upp första gången 1 januari 2025."),),
         "/economics/accounting", "  accounting: Beloppen", "före avtalets start 1 januari 2026",
         SKR),
    # What no agreement can say (generator/rules/prosa.py).
    Case("PROSA-SEKRETESS", "galler-inte", W,
         ((SECRECY_TEXT, "  secrecy: Sekretess gäller inte om den unge samtycker till att "
                         "uppgifterna lämnas.\n"),),
         ((SECRECY_TEXT, "  secrecy: Sekretessen gäller inte mellan parterna i mottagningen.\n"),),
         "/information/secrecy", "  secrecy: Sekretessen", "ett avtal kan inte häva sekretessen",
         "2009:400"),
    Case("PROSA-SEKRETESS", "samtycke-for-annan", W,
         ((CONSENT, "  consent: Samtycke inhämtas från den unge och, när den unge är under 15 "
                    "år, från vårdnadshavarna.\n"),),
         ((CONSENT, "  consent: Genom avtalet lämnar staden samtycke för vårdnadshavarnas "
                    "räkning.\n"),),
         "/information/consent", "  consent: Genom", "en part kan inte samtycka för någon annan",
         "2009:400"),
    Case("GDPR-BITRADE-ANDAMAL", "egen-gallringsplan", W,
         (processor("    dpa:", "      exists: true"),
          details("Akterna gallras enligt den ansvariga nämndens dokumenthanteringsplan.")),
         (processor("    dpa:", "      exists: true"),
          details("Avslutade akter gallras enligt Stockholms stads egen gallringsplan.")),
         "/information/personal_data/details", "    details: Avslutade",
         "ett biträde behandlar uppgifterna bara på den ansvariges instruktioner", "28.3"),
    Case("GDPR-BITRADE-ANDAMAL", "i-annan-text", W,
         (processor("    dpa:", "      exists: true"),
          ("force_majeure: true\n", "force_majeure: true\nwork_results: Rutiner som tas fram "
           "får användas av båda parterna.\n")),
         (processor("    dpa:", "      exists: true"),
          ("force_majeure: true\n", "force_majeure: true\nwork_results: Stockholms stad får "
           "behålla uppgifterna och använda dem i sin egen metodutveckling.\n")),
         "/work_results", "work_results: Stockholms", "ett biträde behandlar", "28.3"),
    Case("PROSA-UPPGIFTER", "uppgifter-lamnas", W,
         ((EXCHANGED, "  individual_data_exchanged: false\n"),
          (SECRECY_TEXT, "  secrecy: Inga uppgifter om enskilda lämnas mellan parterna.\n")),
         ((EXCHANGED, "  individual_data_exchanged: false\n"),),
         "/information/secrecy", "  secrecy: Uppgifter", "men individual_data_exchanged är false",
         "2009:400"),
    Case("LOU-INTERN", "mellan-kommun-och-region", W,
         (procurement_note("Samarbetet omfattas av undantaget för samarbete mellan myndigheter."),),
         (procurement_note("Avtalet behöver inte upphandlas eftersom det är en intern "
                           "upphandling mellan staden och regionen."),),
         "/procurement/note", "  note: Avtalet", "ingen av parterna kontrollerar en annan",
         "3 kap. 11 §"),
    Case("PROSA-ERSATTNING", "betalar-vid-egna-kostnader", W,
         (OWN_COSTS, ("  invoicing:\n    interval_months: 3\n    payment_days: 30\n", ""),
          consequences("Staden bär sina egna kostnader, cirka 200 000 kronor per år.")),
         (OWN_COSTS, ("  invoicing:\n    interval_months: 3\n    payment_days: 30\n", ""),
          consequences("Regionen betalar staden 200 000 kronor per år för lokalerna.")),
         "/parties/0/decision/analyses/economic_consequences",
         "        economic_consequences: Regionen", "varje part bär sina egna kostnader", SKR),
    # Shares and amounts in prose (generator/rules/tal.py).
    Case("PROSA-MARKNADSANDEL", "fjardedel", W,
         (procurement_note("Mottagningen säljer mindre än 20 procent av platserna till andra "
                           "kommuner."),),
         (procurement_note("Mottagningen säljer en fjärdedel av platserna till andra kommuner."),),
         "/procurement/note", "  note: Mottagningen", "open_market_share_percent är 0",
         "3 kap. 17 §"),
    Case("PROSA-BELOPP", "andel-i-kronor", W,
         (consequences("Stadens andel blir cirka 4,5 miljoner kronor per år."),),
         (consequences("Stadens andel blir cirka 3,2 miljoner kronor per år."),),
         "/parties/0/decision/analyses/economic_consequences",
         "        economic_consequences: Stadens", "kostnadsmodellen ger 4 480 000", SKR),
    # A sum a month, read as twelve a year.
    Case("PROSA-BELOPP", "per-manad", W,
         (consequences("Stadens andel blir cirka 4,5 miljoner kronor per år."),),
         (consequences("Staden betalar cirka 250 000 kronor i månaden."),),
         "/parties/0/decision/analyses/economic_consequences",
         "        economic_consequences: Staden", "”250 000 kronor i månaden”", SKR),
    # What the staff report says the cooperation is, against the fields.
    Case("PROSA-SAMVERKANSFORM", "myndighetsutovning-i-texten", W,
         (consequences("Avtalet gäller insatser till unga och ingen myndighetsutövning."),),
         (consequences("Avtalet gäller myndighetsutövning och omfattas därför inte av LOU."),),
         "/parties/0/decision/analyses/economic_consequences",
         "        economic_consequences: Avtalet", "delegation.nature är insatser",
         "delegation.nature"),
    Case("PROSA-SAMVERKANSFORM", "lou-galler-inte", W,
         (direct(100_000), consequences("Avtalet direktupphandlas enligt lagen om offentlig "
                                        "upphandling.")),
         (direct(100_000), consequences("Lagen om offentlig upphandling är därför inte "
                                        "tillämplig.")),
         "/parties/0/decision/analyses/economic_consequences",
         "        economic_consequences: Lagen", "men avtalet ingås genom direktupphandling",
         "procurement.basis"),
    # A price per unit in prose, against the cost model's.
    Case("PROSA-PRIS", "annat-styckpris", W,
         ((SHARES_MODEL, UNIT_PRICED), ("      preparation: Ärendet har beretts av "
           "socialförvaltningen.\n", "      preparation: Regionen betalar 12 000 kronor per "
           "ärende.\n")),
         ((SHARES_MODEL, UNIT_PRICED), ("      preparation: Ärendet har beretts av "
           "socialförvaltningen.\n", "      preparation: Regionen betalar 9 500 kronor per "
           "ärende.\n")),
         "/parties/0/decision/preparation", "      preparation: Regionen",
         "texten ger priset ”9 500 kronor per ärende”, men kostnadsmodellen ger 12 000", SKR),
    # A fixed yearly fee that only a text gives, beside a price per unit.
    Case("EKON-GRUNDAVGIFT", "grundavgift-i-text", W,
         ((SHARES_MODEL, UNIT_PRICED + "    base_fee: 150000\n"),
          economics("accounting: Regionen betalar en grundavgift för de platser som hålls "
                    "tillgängliga.")),
         ((SHARES_MODEL, UNIT_PRICED),
          economics("accounting: Regionen betalar en grundavgift för de platser som hålls "
                    "tillgängliga.")),
         "/economics/accounting", "  accounting: Regionen betalar en grundavgift",
         "texten nämner ”grundavgift”, men kostnadsmodellen har ingen grundavgift", SKR),
    # Prose read against the data (generator/rules/prosa.py).
    Case("PROSA-VINST", "vinstpaslag", W,
         (economics("accounting: Ersättningen innehåller inget vinstpåslag."),),
         (economics("accounting: Ersättningen innehåller ett vinstpåslag på 3 procent."),),
         "/economics/accounting", "  accounting: Ersättningen", "texten talar om ”vinstpåslag”",
         SKR),
    Case("PROSA-VINST", "paslag-for-eget-arbete", W,
         (economics("accounting: Priset har ett påslag på 8 procent för förvaltningens "
                    "gemensamma kostnader för IT och ekonomi som verksamheten bär."),),
         (economics("accounting: Priset har ett påslag på 8 procent som utföraren behåller "
                    "för att finansiera sitt förebyggande arbete."),),
         "/economics/accounting", "  accounting: Priset har", "texten talar om ”påslag", SKR),
    Case("PROSA-VINST", "mellanskillnad-i-egen-verksamhet", W,
         (economics("accounting: Priset innehåller varken vinst eller riskpåslag."),),
         (economics("accounting: Utföraren får använda mellanskillnaden i sin övriga "
                    "socialtjänst."),),
         "/economics/accounting", "  accounting: Utföraren", "”använda mellanskillnaden", SKR),
    Case("PROSA-VINST", "overskott-till-egen-reserv", W,
         (economics("accounting: Ett överskott betalas tillbaka till parterna efter bokslutet."),),
         (economics("accounting: Ett överskott förs till stadens resultatutjämningsreserv."),),
         "/economics/accounting", "  accounting: Ett", "resultatutjämningsreserv", SKR),
    Case("PROSA-VINST", "marknadspris", W,
         (economics("accounting: Timpriset räknas fram ur stadens faktiska kostnader."),),
         (economics("accounting: Timpriset motsvarar marknadspriset för konsulter."),),
         "/economics/accounting", "  accounting: Timpriset", "marknadspriset", SKR),
    Case("PROSA-BARN", "barn-i-texten", W, (adults("Vuxna med missbruk i Stockholms stad."),),
         (adults("Vuxna med missbruk och deras barn i Stockholms stad."),),
         "/target_group/description", "  description: Vuxna", "nämner ”barn”", "2018:1197"),
    Case("PROSA-JOURNAL", "gemensam-journal", W, (journal("\n    shared: true"),),
         (journal(""),), "/information/records/registration", "    registration: Parterna",
         "”gemensam journal”", "2009:400"),
    Case("PROSA-DELEGERING", "pa-delegation", W,
         (task("Förslag till beslut om stöd till den unge."),),
         (task("Beslut om stöd till den unge, som staden fattar på delegation."),),
         "/tasks/included/0/text", "      text: Beslut om stöd", "”på delegation”", "9 kap. 37 §"),
    Case("PROSA-DELEGERING", "beslutet-fattas-av", W,
         (task("Förlänga stödet när det behövs; beslutet fattas av socialnämnden."),),
         (task("Förlänga stödet när det behövs; beslutet fattas av stadens enhetschef."),),
         "/tasks/included/0/text", "      text: Förlänga", "”beslutet fattas av”", "9 kap. 37 §"),
    Case("PROSA-TVANG-REGION", "regionen-ansoker", W,
         (task("Regionens läkare skriver det läkarintyg som behövs när socialnämnden ansöker om "
               "vård enligt LVU."),),
         (task("Regionens läkare bedömer den unge och ansöker vid behov om vård enligt LVU."),),
         "/tasks/included/0/text", "      text: Regionens", "det är socialnämnden som ansöker",
         "1990:52"),
    Case("PROSA-TVANG-REGION", "verbet-forst", W,
         (task("Bedöms vård enligt LVM behövas, ansöker socialnämnden om den och regionen "
               "skriver läkarintyget."),),
         (task("Bedöms vård behövas, ansöker regionen om vård enligt LVM hos "
               "förvaltningsrätten."),),
         "/tasks/included/0/text", "      text: Bedöms vård behövas",
         "”ansöker regionen om vård enligt LVM”", "1988:870"),
    Case("PROSA-TVANG", "jouren-beslutar-lvu", W,
         (task("Jouren kontaktar ordföranden, som beslutar om omedelbart omhändertagande."),),
         (task("Jourens enhetschef beslutar om omedelbart omhändertagande enligt LVU när "
               "ordföranden inte nås."),),
         "/tasks/included/0/text", "      text: Jourens", "”Jourens enhetschef beslutar",
         "30 kap. 7 §"),
    # The staff report promises the same, the verb first.
    Case("PROSA-TVANG", "yttrandet-lovar-lvu", W,
         (("      opinion: Förvaltningen föreslår att nämnden godkänner avtalet.\n",
           "      opinion: Når jouren inte ordföranden, verkställer enhetschefen nämndens "
           "beslut om omedelbart omhändertagande.\n"),),
         (("      opinion: Förvaltningen föreslår att nämnden godkänner avtalet.\n",
           "      opinion: Når jouren inte ordföranden, får enhetschefen för jouren fatta "
           "beslutet om omedelbart omhändertagande.\n"),),
         "/parties/0/decision/opinion", "      opinion: Når jouren",
         "”får enhetschefen för jouren fatta beslutet", "30 kap. 7 §"),
    # A longer time than the law gives, said as a task or a duty (20 kap. 2–3 §§ SoL,
    # 7 § LVU, 15 § LVM).
    Case("PROSA-LAGTID", "utredning-om-barn", W,
         (task("Utreda barnets behov och slutföra utredningen inom fyra månader."),),
         (task("Utreda barnets behov och slutföra utredningen inom sex månader."),),
         "/tasks/included/0/text", "      text: Utreda", "texten ger ”inom sex månader”",
         "20 kap. 3 §"),
    # The target group takes in children: an investigation it speaks of may be a child's.
    Case("PROSA-LAGTID", "malgruppen-har-barn", W,
         (task("Slutföra utredningar om vuxna inom sex månader från beställningen."),),
         (task("Slutföra utredningen inom sex månader från beställningen."),),
         "/tasks/included/0/text", "      text: Slutföra", "texten ger ”inom sex månader”",
         "20 kap. 3 §"),
    Case("PROSA-LAGTID", "lvm-vardtid", W,
         (task("Vårdtiden enligt LVM är högst sex månader, och eftervården efter vårdtiden "
               "pågår i upp till tolv månader."),),
         (task("Vårdtiden enligt LVM är högst tolv månader."),),
         "/tasks/included/0/text", "      text: Vårdtiden", "texten ger ”högst tolv månader”",
         "20 §"),
    Case("PROSA-LAGTID", "forhandsbedomning", W,
         (task("Göra förhandsbedömningen inom fjorton dagar efter att anmälan kom in."),),
         (task("Göra förhandsbedömningen inom en månad efter att anmälan kom in."),),
         "/tasks/included/0/text", "      text: Göra", "texten ger ”inom en månad”",
         "20 kap. 2 §"),
    Case("PROSA-LAGTID", "lvm-understallning", W,
         (task("Hemkommunen underställer ett beslut om omedelbart omhändertagande enligt LVU "
               "förvaltningsrätten inom en vecka."),),
         (task("Hemkommunen underställer ett beslut om omedelbart omhändertagande enligt LVU "
               "eller LVM förvaltningsrätten inom en vecka."),),
         "/tasks/included/0/text", "      text: Hemkommunen", "texten ger ”inom en vecka”",
         "1988:870"),
    # Each time goes with the law named just before it (7 § LVU, 15 § LVM).
    Case("PROSA-LAGTID", "lvu-och-lvm-var-for-sig", W,
         (task("Hemkommunen underställer ett beslut enligt LVU förvaltningsrätten inom en "
               "vecka och ett beslut enligt LVM senast dagen efter beslutet."),),
         (task("Hemkommunen underställer ett beslut enligt LVM förvaltningsrätten inom en "
               "vecka och ett beslut enligt LVU senast dagen efter beslutet."),),
         "/tasks/included/0/text", "      text: Hemkommunen", "texten ger ”inom en vecka”",
         "15 §"),
    # The law named last before a time is the one it is of (LVM first, then LVU).
    Case("PROSA-LAGTID", "lvm-forst-sedan-lvu", W,
         (task("Hemkommunen underställer förvaltningsrätten beslut enligt LVM senast dagen "
               "efter beslutet och beslut enligt LVU inom en vecka från beslutet."),),
         (task("Hemkommunen underställer förvaltningsrätten beslut enligt LVU senast dagen "
               "efter beslutet och beslut enligt LVM inom en vecka från beslutet."),),
         "/tasks/included/0/text", "      text: Hemkommunen", "texten ger ”inom en vecka”",
         "15 §"),
    Case("PROSA-LAGTID", "lvm-ansokan", W,
         (task("Efter ett omhändertagande enligt LVM ansöker hemkommunen om vård inom en "
               "vecka."),),
         (task("Efter ett omhändertagande enligt LVM ansöker hemkommunen om vård inom fyra "
               "veckor."),),
         "/tasks/included/0/text", "      text: Efter", "texten ger ”inom fyra veckor”",
         "18 §"),
    Case("PROSA-LAGTID", "lvu-overvagande", W,
         (task("För en ungdom som vårdas enligt LVU överväger nämnden var sjätte månad om "
               "vården behövs."),),
         (task("För en ungdom som vårdas enligt LVU prövar nämnden en gång om året om vården "
               "behövs."),),
         "/tasks/included/0/text", "      text: För en ungdom", "texten ger ”en gång om året”",
         "13 §"),
    Case("PROSA-SAMTYCKE", "lvu-utan-men-plan-med", W,
         (task("Vid vård enligt LVU placeras den unge utan vårdnadshavarnas samtycke, men "
               "planen upprättas bara när den unge samtycker."),),
         (task("Vid vård enligt LVU upprättas planen utan vårdnadshavarnas samtycke."),),
         "/tasks/included/0/text", "      text: Vid vård",
         "texten säger ”utan vårdnadshavarnas samtycke” om planen", "10 kap. 8 §"),
    Case("PROSA-LAKARE", "om-lakarmedverkan-uteblir", W,
         (task("Om den avtalade läkarmedverkan uteblir, får kommunen på egen hand anlita "
               "läkare för läkarinsatserna."),),
         (task("Kommunen anlitar läkare för läkarinsatserna."),),
         "/tasks/included/0/text", "      text: Kommunen",
         "texten lägger ”läkarinsatserna” på kommunen", "12 kap. 3 §"),
    Case("PROSA-TVANG-SAMTYCKE", "lakarundersokning-lvu", W,
         (task("Inför en ansökan om vård enligt LVU läkarundersöks barnet efter socialnämndens "
               "beslut."),),
         (task("Inför en ansökan om vård enligt LVU läkarundersöks barnet om vårdnadshavarna "
               "samtycker till undersökningen."),),
         "/tasks/included/0/text", "      text: Inför",
         "texten gör steget beroende av samtycke (”om vårdnadshavarna samtycker”)", "32 §"),
    Case("PROSA-TVANG-SAMTYCKE", "barnsamtal", W,
         (task("Utredningen omfattar samtal med barnet, i regel med vårdnadshavarnas "
               "samtycke."),),
         (task("Under utredningen hålls samtal med ett barn bara om vårdnadshavarna har "
               "samtyckt."),),
         "/tasks/included/0/text", "      text: Under",
         "texten gör steget beroende av samtycke (”om vårdnadshavarna har samtyckt”)",
         "20 kap. 7 §"),
    Case("PROSA-TVANG-SAMTYCKE", "anmalan-lvm", W,
         (task("Bedömer läkaren att patienten kan behöva vård enligt LVM, anmäler läkaren det "
               "genast till socialnämnden."),),
         (task("Bedömer läkaren att patienten kan behöva vård enligt LVM, anmäler läkaren det "
               "till socialnämnden om patienten samtycker till anmälan."),),
         "/tasks/included/0/text", "      text: Bedömer",
         "texten gör steget beroende av samtycke (”om patienten samtycker”)", "6 §"),
    Case("PROSA-GENAST", "orosanmalan-vid-avstamning", W,
         (task("Utföraren anmäler genast oro för ett barn till hemkommunen och redovisar "
               "antalet orosanmälningar vid nästa avstämning."),),
         (task("Får utföraren kännedom om att ett barn far illa anmäler utföraren det till "
               "hemkommunen vid nästa avstämning."),),
         "/tasks/included/0/text", "      text: Får utföraren",
         "texten låter anmälan vänta (”vid nästa avstämning”)", "19 kap. 1 §"),
    # The concern raised later with someone else, who decides whether to report it.
    Case("PROSA-GENAST", "oro-tas-upp-senare", W,
         (task("Misstänker personalen att ett barn far illa anmäler den det genast till "
               "socialnämnden och tar upp det med handläggaren vid nästa avstämning."),),
         (task("Misstänker personalen att ett barn far illa tar den upp det med handläggaren "
               "vid nästa ordinarie avstämning, så att hemkommunen kan bedöma saken."),),
         "/tasks/included/0/text", "      text: Misstänker personalen att ett barn far illa tar",
         "texten låter anmälan vänta (”vid nästa ordinarie avstämning”)", "19 kap. 1 §"),
    Case("PROSA-GENAST", "skyddsbedomning-nasta-vardag", W,
         (task("Jouren gör den omedelbara skyddsbedömningen och lämnar anmälan till "
               "hemkommunen nästa vardag."),),
         (task("Jouren tar emot anmälan, och hemkommunen gör skyddsbedömningen nästa "
               "vardag."),),
         "/tasks/included/0/text", "      text: Jouren tar",
         "texten låter skyddsbedömningen vänta (”nästa vardag”)", "20 kap. 1 §"),
    Case("PROSA-BARNETS-BASTA", "godkanns-nar-foraldrarna-ar-overens", W,
         (task("Utföraren bereder ärenden om godkännande av avtal om vårdnad, boende och "
               "umgänge, som nämnden godkänner när avtalet är förenligt med barnets bästa."),),
         (task("Utföraren bereder ärenden om avtal om vårdnad, boende och umgänge, som "
               "godkänns när föräldrarna är överens."),),
         "/tasks/included/0/text", "      text: Utföraren bereder ärenden om avtal",
         "texten låter godkännandet vila på ”när föräldrarna är överens”", "6 kap. 2 a §"),
    Case("PROSA-LVU-BESLUT", "regionen-beslutar-lakarundersokning", W,
         (task("Regionen genomför den läkarundersökning enligt LVU som socialnämnden har "
               "beslutat om."),),
         (task("Regionen beslutar om läkarundersökning av den unge enligt LVU och utser "
               "läkare."),),
         "/tasks/included/0/text", "      text: Regionen beslutar",
         "texten låter ”Regionen” besluta", "32 §"),
    Case("PROSA-SAMTYCKE", "placering-pa-egen-begaran", W,
         (task("En ungdom som har fyllt 15 år kan få öppenvård på egen begäran, även om "
               "vårdnadshavarna inte samtycker."),),
         (task("En ungdom som har fyllt 15 år kan placeras i familjehem på egen begäran, även "
               "om vårdnadshavarna inte samtycker."),),
         "/tasks/included/0/text", "      text: En ungdom",
         "om en placering, men vård av ett barn i familjehem", "21 kap. 1 §"),
    Case("PROSA-BRADSKANDE-ANMALAN", "halvarsrapport", W,
         (task("Ordförandens beslut anmäls vid nämndens nästa sammanträde och redovisas "
               "också i jourens halvårsrapport."),),
         (task("Ordförandens eller ledamotens beslut anmäls till nämnden i jourens "
               "halvårsrapport."),),
         "/tasks/included/0/text", "      text: Ordförandens eller",
         "texten låter anmälan av det brådskande beslutet vänta (”halvårsrapport”)", "6 kap. 40 §"),
    # Lawful wordings a reviewer tried (each rule's false alarm, mended).
    Case("PROSA-GENAST", "uppfoljning-av-gjord-bedomning", W,
         (task("Skyddsbedömningar som jouren har gjort följs upp vid nästa samverkansmöte."),),
         (task("Jouren tar emot anmälan, och hemkommunen gör skyddsbedömningen påföljande "
               "vardag."),),
         "/tasks/included/0/text", "      text: Jouren tar",
         "texten låter skyddsbedömningen vänta (”påföljande vardag”)", "20 kap. 1 §"),
    Case("PROSA-LVU-BESLUT", "regionens-lpt", W,
         (task("Psykiatrisk tvångsvård enligt LPT, som regionen beslutar om, kan ges också "
               "till den som är placerad med stöd av LVU."),),
         (task("BUP bestämmer var den unge ska vistas under vården enligt LVU."),),
         "/tasks/included/0/text", "      text: BUP", "texten låter ”BUP” besluta", "11 §"),
    Case("DELEG-UTAN-EXTERN", "egna-kommunen", E,
         (task("Mottagningen fattar alla beslut i ärendet för den egna kommunens räkning."),),
         (task("Mottagningen fattar alla beslut i ärendet för den andra partens räkning."),),
         "/tasks/included/0/text", "      text: Mottagningen",
         "texten låter någon besluta för partens räkning", KL),
    Case("EKON-GRUNDAVGIFT", "avgift-per-tillfalle", W,
         ((SHARES_MODEL, UNIT_PRICED),
          economics("accounting: Regionen betalar en fast avgift per tolktillfälle.")),
         ((SHARES_MODEL, UNIT_PRICED),
          economics("accounting: Regionen betalar en fast avgift per år för beredskapen.")),
         "/economics/accounting", "  accounting: Regionen betalar en fast avgift",
         "texten nämner ”fast avgift”", SKR),
    Case("PROSA-LVU-18", "all-vard-upphor-vid-18", W,
         (task("Vård enligt 2 § LVU upphör senast när den unge fyller 18 år, vård enligt 3 § "
               "senast vid 21 år."),),
         (task("Placeringen avslutas när den unge har fyllt 18 år, eftersom all vård enligt "
               "LVU upphör då."),),
         "/tasks/included/0/text", "      text: Placeringen",
         "texten låter vården upphöra vid 18 år", "21 §"),
    Case("PROSA-JAV", "ledamoten-far-vara-kvar", W,
         (task("Gäller ärendet en ledamot i nämnden får ledamoten inte vara kvar i rummet när "
               "ärendet behandlas."),),
         (task("Gäller ärendet en ledamot i nämnden får ledamoten vara kvar i rummet när "
               "ärendet behandlas, men deltar inte i beslutet."),),
         "/tasks/included/0/text", "      text: Gäller ärendet",
         "texten låter den jäviga ledamoten stanna (”får ledamoten vara kvar”)", "6 kap. 30 §"),
    Case("PROSA-FADERSKAP", "pa-begaran", W,
         (task("Utredning och bekräftelse av faderskap och föräldraskap."),),
         (task("Utredning och bekräftelse av faderskap och föräldraskap, när modern eller den "
               "som kan vara far begär det."),),
         "/tasks/included/0/text", "      text: Utredning",
         "texten låter utredningen vänta på en begäran", "2 kap. 1 §"),
    Case("PROSA-PLIKT", "samarbetssamtal-bara-pa-uppdrag", W,
         (task("Samarbetssamtal erbjuds också när tingsrätten uppdrar det."),),
         (task("Samarbetssamtal erbjuds bara när tingsrätten har uppdragit det."),),
         "/tasks/included/0/text", "      text: Samarbetssamtal",
         "texten säger ”Samarbetssamtal erbjuds bara när”", "13 kap. 6 §"),
    Case("PROSA-PLIKT", "barnet-hors-inte", W,
         (task("Om det inte är olämpligt hör utredaren barnet i vårdnadsutredningen."),),
         (task("I vårdnadsutredningen hörs barnet inte."),),
         "/tasks/included/0/text", "      text: I vårdnadsutredningen",
         "texten säger ”hörs barnet inte”", "6 kap. 19 §"),
    Case("PROSA-PLIKT", "dokumenteras-inte", W,
         (task("Samtalen med den unge dokumenteras i beställarens verksamhetssystem."),),
         (task("Samtalen med den unge dokumenteras inte."),),
         "/tasks/included/0/text", "      text: Samtalen",
         "texten säger ”dokumenteras inte”", "14 kap. 3 §"),
    Case("PROSA-PLIKT", "jour-bara-folkbokforda", W,
         (task("Jouren tar emot akuta ärenden om alla som vistas i kommunerna."),),
         (task("Jouren tar bara emot akuta ärenden om folkbokförda i kommunerna."),),
         "/tasks/included/0/text", "      text: Jouren",
         "29 kap. 4 §", "29 kap. 4 §"),
    Case("PROSA-PLIKT", "delegationsbeslut-anmals-inte", W,
         (task("Delegationsbeslut enligt avtalet anmäls till nämnden."),),
         (task("Delegationsbeslut enligt avtalet anmäls inte till nämnden."),),
         "/tasks/included/0/text", "      text: Delegationsbeslut",
         "texten säger ”anmäls inte”", "6 kap. 40 §"),
    Case("PROSA-PLIKT", "besok-bara-pa-begaran", W,
         (task("Socialsekreteraren besöker den placerade unge regelbundet."),),
         (task("Socialsekreteraren besöker den placerade unge bara när föräldrarna begär det."),),
         "/tasks/included/0/text", "      text: Socialsekreteraren",
         "noga följa vården", "22 kap. 11 §"),
    Case("PROSA-PLIKT", "nodbistand-som-lan", W,
         (task("Ekonomiskt bistånd som betalats ut felaktigt kan krävas tillbaka."),),
         (task("Nödbistånd som jouren beviljar lämnas som lån."),),
         "/tasks/included/0/text", "      text: Nödbistånd",
         "texten säger ”som lån”", "33 kap. 2 §"),
    Case("PROSA-LAGTID", "sol-overvagande-arligen", W,
         (task("Nämnden överväger var sjätte månad om vården av barnet behövs."),),
         (task("Nämnden överväger en gång per år om vården av barnet behövs."),),
         "/tasks/included/0/text", "      text: Nämnden överväger",
         "texten ger ”en gång per år”", "22 kap. 13 §"),
    Case("PROSA-LAGTID", "ej-verkstallda-sex-manader", W,
         (task("Beslut som inte har verkställts inom tre månader rapporteras till IVO."),),
         (task("Beslut som inte har verkställts inom sex månader rapporteras till IVO."),),
         "/tasks/included/0/text", "      text: Beslut som",
         "texten ger ”inom sex månader”", "34 kap. 1 §"),
    Case("PROSA-LAGTID", "ej-verkstallda-halvarsvis", W,
         (task("Ej verkställda beslut rapporteras till IVO en gång per kvartal."),),
         (task("Ej verkställda beslut rapporteras till IVO halvårsvis."),),
         "/tasks/included/0/text", "      text: Ej verkställda",
         "texten ger ”halvårsvis”", "34 kap. 1 §"),
    Case("PROSA-PLIKT", "missforhallanden-arligen", W,
         (task("Missförhållanden rapporteras genast till nämnden."),),
         (task("Missförhållanden rapporteras samlat en gång per år."),),
         "/tasks/included/0/text", "      text: Missförhållanden",
         "texten säger ”rapporteras samlat”", "27 kap. 2 §"),
    Case("PROSA-PLIKT", "ej-verkstallt-rapporteras-inte", W,
         (task("Beslut som inte har verkställts rapporteras till IVO."),),
         (task("Beslut som inte har verkställts rapporteras inte till IVO."),),
         "/tasks/included/0/text", "      text: Beslut som",
         "texten säger ”rapporteras inte”", "34 kap. 1 §"),
    Case("PROSA-PLIKT", "utan-overklagandehanvisning", W,
         (task("Den enskilde underrättas om beslutet och om hur det överklagas."),),
         (task("Den enskilde underrättas om beslutet utan att få veta hur det överklagas."),),
         "/tasks/included/0/text", "      text: Den enskilde",
         "hur ett överklagande går till", "14 kap. 10 §"),
    Case("PROSA-PLIKT", "barnet-informeras-inte", W,
         (task("Barnet informeras om behandlingens syfte."),),
         (task("Barnet informeras inte om behandlingens syfte."),),
         "/tasks/included/0/text", "      text: Barnet",
         "texten säger ”Barnet informeras inte”", "3 kap. 3 §"),
    Case("PROSA-PLIKT", "personal-utan-utbildning", W,
         (task("Vid vakanser tar en utbildad vikarie över behandlingen."),),
         (task("Vid vakanser får timanställda utan utbildning ta över behandlingen."),),
         "/tasks/included/0/text", "      text: Vid vakanser",
         "texten säger ”utan utbildning”", "5 kap. 3 §"),
    Case("PROSA-PLIKT", "lasa-in-den-unge", W,
         (task("Personalen får inte låsa in den unge."),),
         (task("Personalen får vid behov låsa in den unge på rummet."),),
         "/tasks/included/0/text", "      text: Personalen",
         "texten säger ”låsa in”", "15 §"),
    Case("PROSA-PLIKT", "lvm-i-hvb", W,
         (task("Vård enligt LVM ges i LVM-hem."),),
         (task("Vård enligt LVM verkställs i kommunernas egna HVB."),),
         "/tasks/included/0/text", "      text: Vård enligt",
         "LVM-hem", "22 §"),
    Case("PROSA-PLIKT", "nämnden-anordnar-godmanskap", W,
         (task("Familjerätten anmäler behov av god man till överförmyndaren."),),
         (task("Familjerätten beslutar på nämndens vägnar om att anordna godmanskap."),),
         "/tasks/included/0/text", "      text: Familjerätten",
         "rätten som beslutar att anordna godmanskap", "11 kap. 4 §"),
    Case("PROSA-PLIKT", "uppdelad-upphandling", W,
         (task("Köpet gäller hela avtalstiden."),),
         (task("Köpet delas upp i ett nytt avtal för varje år under direktupphandlingsgränsen."),),
         "/tasks/included/0/text", "      text: Köpet",
         "texten säger ”delas upp”", "5 kap. 7 a §"),
    Case("PROSA-PLIKT", "avgift-for-behandling", W,
         (task("Familjen betalar ingen avgift för behandlingen av barnet."),),
         (task("Familjen betalar en avgift för behandlingen av barnet."),),
         "/tasks/included/0/text", "      text: Familjen",
         "texten säger ”avgift”", "32 kap. 1 §"),
    Case("PROSA-PLIKT", "uppdelad-upphandling-i-noten", W,
         (("  service_category: sociala_tjanster\n",
           "  service_category: sociala_tjanster\n  note: Köpet gäller hela avtalstiden.\n"),),
         (("  service_category: sociala_tjanster\n",
           "  service_category: sociala_tjanster\n  note: Köpet delas upp i ett avtal per år "
           "för att hålla värdet under gränsen.\n"),),
         "/procurement/note", "  note: Köpet delas upp",
         "texten säger ”delas upp”", "5 kap. 7 a §"),
    Case("PROSA-PLIKT", "gallrar-placeringsakt", W,
         (task("Akten för ett barn placerat i HVB gallras inte."),),
         (task("Akten för ett barn placerat i HVB gallras efter fem år."),),
         "/tasks/included/0/text", "      text: Akten",
         "texten säger ”gallras”", "16 kap. 2 §"),
    Case("PROSA-PLIKT", "gallrar-avtal-om-vardnad", W,
         (task("Godkända avtal om vårdnad bevaras tills barnet fyllt 18 år."),),
         (task("Godkända avtal om vårdnad gallras efter två år."),),
         "/tasks/included/0/text", "      text: Godkända",
         "texten säger ”gallras”", "16 kap. 3 §"),
    Case("PROSA-PLIKT", "familjehem-inte-utrett", W,
         (task("Barnet flyttar till familjehemmet när hemmet har utretts."),),
         (task("Barnet flyttar till familjehemmet innan utredningen av hemmet är klar."),),
         "/tasks/included/0/text", "      text: Barnet flyttar",
         "utredningen av hemmet är klar", "22 kap. 2 §"),
    Case("PROSA-PLIKT", "skyddat-boende-ensam", W,
         (task("Ett barn får skyddat boende tillsammans med en myndig vårdnadshavare."),),
         (task("Ett barn på 15 år kan få skyddat boende på egen hand."),),
         "/tasks/included/0/text", "      text: Ett barn",
         "texten säger ”på egen hand”", "22 kap. 5 §"),
    Case("PROSA-PLIKT", "annan-kommun-kontaktas-inte", W,
         (task("Ligger familjehemmet i en annan kommun samråder nämnden med den kommunen."),),
         (task("Ligger familjehemmet i en annan kommun kontaktas inte den kommunen."),),
         "/tasks/included/0/text", "      text: Ligger",
         "22 kap. 6 §", "22 kap. 6 §"),
    Case("PROSA-PLIKT", "lvu-borjar-hemma", W,
         (task("Vård enligt LVU inleds utanför den unges hem."),),
         (task("Vård enligt LVU kan börja i föräldrahemmet."),),
         "/tasks/included/0/text", "      text: Vård enligt LVU",
         "texten säger ”börja i föräldrahemmet”", "11 §"),
    Case("PROSA-PLIKT", "ingen-uppfoljning-efter-lvu", W,
         (task("När vården enligt LVU upphör följer nämnden upp den unges situation."),),
         (task("När vården enligt LVU upphör görs ingen uppföljning om inte föräldrarna "
               "begär det."),),
         "/tasks/included/0/text", "      text: När vården",
         "21 b §", "21 b §"),
    Case("PROSA-PLIKT", "lakarundersokning-efterat", W,
         (task("Barnet läkarundersöks innan nämnden ansöker om vård enligt LVU."),),
         (task("Nämnden ansöker om vård enligt LVU och barnet läkarundersöks därefter."),),
         "/tasks/included/0/text", "      text: Nämnden ansöker",
         "texten säger ”läkarundersöks därefter”", "32 §"),
    Case("PROSA-LAGTID", "jourhem-halvar", W,
         (task("Barnet kan bo i jourhem i upp till två månader efter utredningen."),),
         (task("Barnet kan bo i jourhem i upp till ett halvår efter utredningen."),),
         "/tasks/included/0/text", "      text: Barnet kan bo",
         "texten ger ”i upp till ett halvår”", "22 kap. 4 §"),
    # A follow-up after a placement has ended (23 kap. SoL) may go without consent: the
    # failing variant is a placement itself.
    Case("PROSA-SAMTYCKE", "uppfoljning-efter-placering", W,
         (task("Efter en avslutad placering i familjehem följer nämnden upp barnets "
               "situation, vid behov utan samtycke."),),
         (task("Barnet placeras i familjehem, vid behov utan samtycke."),),
         "/tasks/included/0/text", "      text: Barnet placeras",
         "texten säger ”utan samtycke” om en placering", "21 kap. 1 §"),
    Case("PROSA-SAMTYCKE", "sip-aven-nar", W,
         (task("En samordnad individuell plan upprättas om den enskilde samtycker."),),
         (task("En samordnad individuell plan upprättas även när den enskilde inte samtycker."),),
         "/tasks/included/0/text", "      text: En samordnad",
         "inte samtycker", "10 kap. 8 §"),
    Case("PROSA-SAMTYCKE", "sip-utan-samtycke", W,
         (task("En samordnad individuell plan upprättas bara om den unge samtycker."),),
         (task("En samordnad individuell plan upprättas när parterna bedömer att den behövs, "
               "också om den unge inte samtycker."),),
         "/tasks/included/0/text", "      text: En samordnad",
         "texten säger ”också om den unge inte samtycker” om planen", "10 kap. 8 §"),
    Case("PROSA-SAMTYCKE", "en-vardnadshavare", W,
         (task("Stödsamtal ges när båda vårdnadshavarna har samtyckt, eller när socialnämnden "
               "har beslutat att den ena vårdnadshavarens samtycke inte behövs."),),
         (task("Stödsamtal ges när minst en vårdnadshavare har samtyckt; den andra "
               "vårdnadshavarens samtycke behövs inte."),),
         "/tasks/included/0/text", "      text: Stödsamtal",
         "texten säger ”den andra vårdnadshavarens samtycke behövs inte”", "6 kap. 13 §"),
    Case("PROSA-LAKARE", "regionens-lakare-borttagna", W,
         (task("Regionen står för läkarinsatserna i kommunernas särskilda boenden."),),
         (task("Läkarinsatser i kommunernas särskilda boenden ingår inte i regionens "
               "åtagande."),),
         "/tasks/included/0/text", "      text: Läkarinsatser",
         "texten tar läkarinsatserna från regionen", "12 kap. 3 §"),
    Case("PROSA-LAKARE", "kommunen-anlitar-lakare", W,
         (task("Om regionens läkare uteblir får kommunen på egen hand anlita läkare."),),
         (task("Kommunen anlitar och bekostar själv läkare i de särskilda boendena."),),
         "/tasks/included/0/text", "      text: Kommunen anlitar",
         "texten lägger ”läkare” på kommunen", "12 kap. 3 §"),
    Case("PROSA-LAKARE", "kommunen-star-for-lakare", W,
         (task("Kommunen ansvarar för omvårdnaden på mottagningen, och regionen står för "
               "läkarinsatserna."),),
         (task("Kommunen ansvarar för all hälso- och sjukvård på mottagningen, också "
               "läkarinsatserna."),),
         "/tasks/included/0/text", "      text: Kommunen",
         "texten lägger ”läkarinsatserna” på kommunen", "12 kap. 3 §"),
    Case("PROSA-TVANG", "forestandaren-beslutar-umgange", W,
         (task("Hemmet genomför det umgänge som socialnämnden har beslutat för en ungdom som "
               "vårdas enligt LVU."),),
         (task("För en ungdom som vårdas enligt LVU beslutar föreståndaren hur umgänget med "
               "vårdnadshavarna ska utövas."),),
         "/tasks/included/0/text", "      text: För en ungdom",
         "”beslutar föreståndaren … hur umgänget med vårdnadshavarna ska utövas”",
         "30 kap. 7 §"),
    Case("STRUKTUR-FALT", "prisjustering-som-text", N,
         (fixed_sum(), economics("price_adjustment: {index: prisindex, month: 1}")),
         (fixed_sum(INDEXATION),), "/economics/model/indexation", "    indexation: Beloppet",
         "skriv economics.price_adjustment", "schemas/agreement.schema.json"),
    # The checklist's gaps (generator/rules/checklista.py): a field a required item needs.
    Case("LISTA-SAKNAS", "arkiv", W, (), ((RECORDS, ""),),
         "/information/records", "  personal_data:", "så skriv records under information",
         "metodguiden"),

)


# --------------------------------------------------------------------------- meta tests


def covered() -> dict[str, set[Severity]]:
    """Every rule id with a case in this file, and the severities the cases expect."""
    found: dict[str, set[Severity]] = {}
    for rule_id, severity in [(c.rule, c.severity) for c in CASES] + [
            (c.rule, c.severity) for c in SOK_CASES]:
        found.setdefault(rule_id, set()).add(severity)
    return found


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    """A new rule without a test here fails the suite."""
    missing = sorted(set(RULES) - set(covered()))
    assert missing == [], f"regler utan testfall: {missing}"


def test_no_case_for_a_rule_that_does_not_exist() -> None:
    assert set(covered()) <= set(RULES)


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES] + [c.id for c in SOK_CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rule", sorted(RULES.values(), key=lambda r: r.id), ids=lambda r: r.id)
def test_rule_has_stable_id_severity_source_and_title(rule: Rule) -> None:
    assert RULE_ID.fullmatch(rule.id), "id:t måste kunna skrivas i rule_exceptions"
    assert isinstance(rule.severity, Severity)
    assert rule.source.strip() and rule.title.strip()
    assert callable(rule.check)
    assert covered().get(rule.id) == {rule.severity}, "regelns allvarlighetsgrad har ändrats"


def test_registering_the_same_id_twice_is_refused() -> None:
    from generator.rules import rule

    with pytest.raises(ValueError, match="KL-HUVUDMAN"):
        rule("KL-HUVUDMAN", Severity.ERROR, "x", "x")(lambda spec: iter(()))
    assert RULES["KL-HUVUDMAN"].check.__name__ == "principal_keeps_responsibility"


@pytest.mark.parametrize("months", [0, 240])
def test_until_further_notice_has_no_term_to_measure(months: int, tmp_path: Path) -> None:
    until = (TERM_DATES, "  start: 2026-01-01\n  until_further_notice: true\n")
    no_extension = ("  extension:\n    automatic: true\n" + EXTENSION_NOTICE, "")
    text = edited(reconciliation(240), until, no_extension, notice(months))
    outcome = run_rules(clean_spec(write(tmp_path, "spec.yaml", text)))
    assert not codes(outcome.issues) & {"EKON-AVSTAMNING", "AVTAL-UPPSAGNINGSTID"}


def test_valid_fixture_breaks_no_rule_but_the_child_rights_warning() -> None:
    outcome = run_rules(read_spec(VALID))
    assert [(i.code, i.severity) for i in outcome.issues] == [("BARN-ANALYS", Severity.WARNING)]
    assert outcome.silenced == ()


# --------------------------------------------------------------------------- each rule


def _rule_issues(spec: Spec, rule_id: str) -> list[Issue]:
    return [i for i in run_rules(spec).issues if i.code == rule_id]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule_passes(case: Case, tmp_path: Path) -> None:
    spec = clean_spec(write(tmp_path, "pass.yaml", edited(*case.passing)))
    assert list(RULES[case.rule].check(spec)) == []
    assert _rule_issues(spec, case.rule) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule_fails(case: Case, tmp_path: Path) -> None:
    text = edited(*case.failing)
    path = write(tmp_path, "fail.yaml", text)
    spec = clean_spec(path)
    rule = RULES[case.rule]

    findings = list(rule.check(spec))
    assert len(findings) == 1, findings
    assert isinstance(findings[0], Finding)
    assert findings[0].pointer == case.pointer

    issues = _rule_issues(spec, case.rule)
    assert len(issues) == 1, issues
    issue = issues[0]
    assert issue.severity is case.severity
    assert issue.location.file == str(path)
    assert issue.location.pointer == case.pointer
    assert issue.location.line == line_of(text, case.anchor)
    assert issue.location.column >= 1
    assert issue.message == findings[0].message
    assert norm(case.phrase) in norm(issue.message)
    assert issue.source == rule.source
    assert case.source in issue.source


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_variants_differ_only_in_the_rule(case: Case, tmp_path: Path) -> None:
    """The failing variant breaks this rule and no other that the passing one keeps."""
    passing = run_rules(clean_spec(write(tmp_path, "pass.yaml", edited(*case.passing))))
    failing = run_rules(clean_spec(write(tmp_path, "fail.yaml", edited(*case.failing))))
    assert codes(failing.issues) - {case.rule} == codes(passing.issues) - {case.rule}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_check_reports_the_rule(case: Case, tmp_path: Path) -> None:
    """The whole pipeline (schema, form, rules) reports the finding at the same place."""
    text = edited(*case.failing)
    _, issues, outcome = check(write(tmp_path, "fail.yaml", text))
    found = [i for i in issues if i.code == case.rule]
    assert [i.location.line for i in found] == [line_of(text, case.anchor)]
    assert list(outcome.issues) == [i for i in issues if i.code in RULES]


def test_direct_award_of_ordinary_services_in_2026_checks_clean(tmp_path: Path) -> None:
    """700 000 kr is written in the law from 1 February 2022, not a period's threshold:
    a decision on 1 March 2026 needs nothing in the spec and gets no procurement finding."""
    text = edited(direct(650_000, category="ovriga", decided="2026-03-01"))
    _, issues, _ = check(write(tmp_path, "ovriga-2026.yaml", text))
    assert [i for i in issues if i.code.startswith("LOU")] == []
    assert [i for i in issues if i.severity is Severity.ERROR] == []


# --------------------------------------------------------------------------- the flawed fixture


def test_flawed_fixture_breaks_exactly_three_rules_with_errors() -> None:
    """The fourth error of flawed.yaml (EKON-ANDELAR) is a form check, not a rule."""
    outcome = run_rules(read_spec(FLAWED))
    errors = {i.code for i in outcome.issues if i.severity is Severity.ERROR}
    assert errors == {"KL-9-37-PART", "LOU-DIREKT-GRANS", "GDPR-PUB"}


# --------------------------------------------------------------------------- rule_exceptions

JUSTIFICATION = "Barnrättsanalysen görs i regionens eget ärende, dnr HSN 2025/12."


def with_exceptions(*pairs: tuple[str, str], base: str = VALID_TEXT) -> str:
    lines = ["rule_exceptions:"]
    for rule_id, why in pairs:
        lines += [f"  - rule: {rule_id}", f'    justification: "{why}"']
    return base + "\n".join(lines) + "\n"


def test_exception_silences_a_warning_but_keeps_it(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.yaml", with_exceptions(("BARN-ANALYS", JUSTIFICATION)))
    _, issues, outcome = check(path)
    assert "BARN-ANALYS" not in codes(issues)
    assert [(i.code, why) for i, why in outcome.silenced] == [("BARN-ANALYS", JUSTIFICATION)]
    silenced = outcome.silenced[0][0]
    assert silenced.location.pointer == "/parties/0/decision/analyses"
    assert silenced.location.line == line_of(VALID_TEXT, "gender_equality: Avtalet gäller")
    assert silenced.source and silenced.severity is Severity.WARNING


def test_exception_silences_an_error(tmp_path: Path) -> None:
    text = edited(processor(), base=with_exceptions(("GDPR-PUB", "PUB-avtalet tecknas i "
                                                                 "ett separat ärende i mars.")))
    _, issues, outcome = check(write(tmp_path, "spec.yaml", text))
    assert "GDPR-PUB" not in codes(issues)
    assert not [i for i in issues if i.severity is Severity.ERROR]
    assert [i.code for i, _ in outcome.silenced] == ["GDPR-PUB"]


def test_exception_silences_only_the_named_rule(tmp_path: Path) -> None:
    text = with_exceptions(("GDPR-PUB", "PUB-avtalet tecknas i ett separat ärende i mars."),
                           base=FLAWED.read_text(encoding="utf-8"))
    _, issues, outcome = check(write(tmp_path, "flawed.yaml", text))
    errors = {i.code for i in issues if i.severity is Severity.ERROR}
    assert errors == {"KL-9-37-PART", "EKON-ANDELAR", "LOU-DIREKT-GRANS"}
    assert [i.code for i, _ in outcome.silenced] == ["GDPR-PUB"]
    assert "BARN-ANALYS" in codes(issues)


def test_exception_for_a_rule_that_does_not_fire_silences_nothing(tmp_path: Path) -> None:
    _, issues, outcome = check(write(tmp_path, "spec.yaml", with_exceptions(
        ("LOU-HAMBURG", "Hamburgundantaget är prövat av upphandlingsenheten."))))
    assert outcome.silenced == ()
    assert codes(issues) == {"BARN-ANALYS"}


def test_unknown_rule_in_exceptions_is_an_error_naming_the_line(tmp_path: Path) -> None:
    text = with_exceptions(("BARN-ANALYS", JUSTIFICATION),
                           ("FINNS-INTE", "En regel som inte finns i katalogen."))
    _, issues, outcome = check(write(tmp_path, "spec.yaml", text))
    unknown = [i for i in issues if i.code == "rule_exceptions"]
    assert len(unknown) == 1
    assert unknown[0].severity is Severity.ERROR
    assert unknown[0].location.pointer == "/rule_exceptions/1/rule"
    assert unknown[0].location.line == line_of(text, "- rule: FINNS-INTE")
    assert "FINNS-INTE" in unknown[0].message
    assert [i.code for i, _ in outcome.silenced] == ["BARN-ANALYS"]


def test_form_check_cannot_be_silenced_as_a_rule(tmp_path: Path) -> None:
    """EKON-ANDELAR is a form check: an exception for it is unknown, the error stays."""
    text = with_exceptions(("EKON-ANDELAR", "Andelarna justeras när regionen har beslutat."),
                           base=FLAWED.read_text(encoding="utf-8"))
    _, issues, _ = check(write(tmp_path, "spec.yaml", text))
    assert "EKON-ANDELAR" in codes(issues)
    assert "rule_exceptions" in codes(issues)


@pytest.mark.parametrize("length", [19, 0])
def test_too_short_justification_is_a_schema_error(tmp_path: Path, length: int) -> None:
    text = with_exceptions(("BARN-ANALYS", "x" * length))
    spec = read_spec(write(tmp_path, "spec.yaml", text))
    problems = validate(spec)
    assert [(i.code, i.location.pointer) for i in problems] == [
        ("schema", "/rule_exceptions/0/justification")]
    assert problems[0].location.line == line_of(text, "justification:")
    _, issues, outcome = check(write(tmp_path, "spec.yaml", text))
    assert codes(issues) == {"schema"}  # the rules do not run on a schema-invalid spec
    assert outcome.silenced == ()


def test_justification_of_twenty_characters_is_enough(tmp_path: Path) -> None:
    text = with_exceptions(("BARN-ANALYS", "x" * 20))
    assert validate(read_spec(write(tmp_path, "spec.yaml", text))) == []


def test_exception_without_justification_is_a_schema_error(tmp_path: Path) -> None:
    text = VALID_TEXT + "rule_exceptions:\n  - rule: BARN-ANALYS\n"
    problems = validate(read_spec(write(tmp_path, "spec.yaml", text)))
    assert [i.code for i in problems] == ["schema"]
    assert "justification" in problems[0].message


# --------------------------------------------------------------- samverkansöverenskommelse
#
# The rules of the statutory samverkansöverenskommelse (kind: samverkansoverenskommelse)
# start from the example specs of that kind, one per target group: the spec passes, and
# the spec without the one field (or with the one change) fails.

SOK_BASES = {
    None: "sok-psykisk-funktionsnedsattning",
    "psykisk_funktionsnedsattning": "sok-psykisk-funktionsnedsattning",
    "missbruk": "sok-missbruk",
    "placerade_barn": "sok-placerade-barn",
}
VERB = {Severity.ERROR: "ska", Severity.WARNING: "bör", Severity.INFO: "kan"}
HSL = "16 kap. 3 § hälso- och sjukvårdslagen"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def block(lines: list[str], pointer: str) -> tuple[int, int]:
    """0-based [start, end) of the lines of a mapping key and its value (keys only)."""
    lo, hi, indent, start = 0, len(lines), 0, -1
    for token in pointer.strip("/").split("/"):
        key = re.compile(rf"^ {{{indent}}}{re.escape(token)}:(\s|$)")
        start = next(i for i in range(lo, hi) if key.match(lines[i]))
        end = start + 1
        while end < hi and (not _content(lines[end]) or _indent(lines[end]) > indent):
            end += 1
        children = [line for line in lines[start + 1:end] if _content(line)]
        lo, hi = start + 1, end
        indent = _indent(children[0]) if children else indent + 2
    return start, end


def without(pointer: str) -> Callable[[str], str]:
    """Remove a field (key and value) from the YAML text."""
    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        start, end = block([line.rstrip("\n") for line in lines], pointer)
        return "".join(lines[:start] + lines[end:])
    return edit


def replaced(old: str, new: str) -> Callable[[str], str]:
    return lambda text: edited((old, new), base=text)


def value_line(text: str, pointer: str) -> int:
    """The 1-based line where the block value of `pointer` starts ("" is the document)."""
    lines = text.splitlines()
    after = block(lines, pointer)[0] + 1 if pointer else 0
    return next(i for i in range(after, len(lines)) if _content(lines[i])) + 1


def drop_convention(text: str) -> str:
    """Remove the Convention on the Rights of the Child from legal_basis."""
    changed = re.sub(r"(?m)^  - law: lagen om Förenta nationernas konvention om barnets "
                     r"rättigheter\n(?:    .*\n|      .*\n)*", "", text)
    assert changed != text
    return changed


@dataclass(frozen=True)
class SokCase:
    rule: str
    severity: Severity
    group: str | None  # the target group of the base spec (None: any)
    pointer: str  # where the finding points
    failing: Callable[[str], str]
    anchor: str  # the pointer whose block value is the finding's line ("" the document)
    phrases: tuple[str, ...]
    source: str
    needle: str = ""  # for a scalar: text on the finding's line, instead of anchor

    @property
    def id(self) -> str:
        return self.rule

    @property
    def base(self) -> Path:
        return ROOT / "specs" / f"{SOK_BASES[self.group]}.yaml"


def presence(rule_id: str, severity: Severity, group: str | None, pointer: str) -> SokCase:
    """A rule that asks for one field: it fails when the field is taken away, and its
    message says ska, bör or kan after its severity."""
    parent, field = pointer.rsplit("/", 1)
    return SokCase(rule_id, severity, group, pointer, without(pointer), parent,
                   (f"överenskommelsen {VERB[severity]} innehålla", f"lägg till fältet {field}"),
                   HSL if group else "SKR")


PSYK, MISSBRUK, BARN = "psykisk_funktionsnedsattning", "missbruk", "placerade_barn"
SOK_CASES: tuple[SokCase, ...] = (
    presence("SOK-BAKGRUND", W, None, "/background"),
    presence("SOK-ARBETSGRUPP", W, None, "/working_group"),
    presence("SOK-BESLUTSDATUM", W, None, "/decision_date"),
    presence("SOK-UPPFOLJNINGSDATUM", W, None, "/follow_up_date"),
    presence("SOK-DOKUMENT", W, None, "/related_documents"),
    presence("SOK-BRUKARE", W, None, "/user_participation"),
    presence("SOK-ORDLISTA", N, None, "/glossary"),
    presence("SOK-LEDNING", W, None, "/governance"),
    presence("SOK-ANSVAR-GEMENSAMT", E, None, "/shared_responsibility"),
    presence("SOK-ANSVAR-KOMMUN", E, None, "/municipal_responsibility"),
    presence("SOK-ANSVAR-REGION", E, None, "/regional_responsibility"),
    presence("SOK-SIP", W, None, "/sip"),
    presence("SOK-IMPLEMENTERING", W, None, "/implementation"),
    presence("SOK-INDIKATORER", W, None, "/indicators"),
    presence("SOK-AVVIKELSER", W, None, "/deviations"),
    presence("SOK-TVISTER", W, None, "/disputes/procedure"),
    presence("SOK-PSYK-BARN-ANHORIGA", W, PSYK, f"/group_specific/{PSYK}/children_as_relatives"),
    presence("SOK-PSYK-SYSSELSATTNING", N, PSYK, f"/group_specific/{PSYK}/employment"),
    presence("SOK-PSYK-HJALPMEDEL", W, PSYK, f"/group_specific/{PSYK}/assistive_devices"),
    presence("SOK-PSYK-BOENDE", N, PSYK, f"/group_specific/{PSYK}/housing"),
    presence("SOK-PSYK-OMBUD", N, PSYK, f"/group_specific/{PSYK}/personal_ombud"),
    presence("SOK-MISSBRUK-TIDIGA", W, MISSBRUK, f"/group_specific/{MISSBRUK}/early_interventions"),
    presence("SOK-MISSBRUK-BARN-ANHORIGA", W, MISSBRUK,
             f"/group_specific/{MISSBRUK}/children_as_relatives"),
    presence("SOK-MISSBRUK-ENSKILD", E, MISSBRUK, f"/group_specific/{MISSBRUK}/private_providers"),
    presence("SOK-MISSBRUK-LVU-LPT", W, MISSBRUK, f"/group_specific/{MISSBRUK}/youth_lvu_lpt"),
    presence("SOK-MISSBRUK-SAMSJUKLIGHET", W, MISSBRUK, f"/group_specific/{MISSBRUK}/co_morbidity"),
    presence("SOK-MISSBRUK-LVM-LPT", W, MISSBRUK, f"/group_specific/{MISSBRUK}/adults_lvm_lpt"),
    presence("SOK-MISSBRUK-SIS-KRIMINALVARD", W, MISSBRUK,
             f"/group_specific/{MISSBRUK}/sis_kriminalvard"),
    presence("SOK-MISSBRUK-TILLNYKTRING", N, MISSBRUK, f"/group_specific/{MISSBRUK}/detox"),
    presence("SOK-BARN-PLACERING", W, BARN, f"/group_specific/{BARN}/placement_phases"),
    presence("SOK-BARN-HVB-SIS", W, BARN, f"/group_specific/{BARN}/hvb_sis"),
    presence("SOK-BARN-SKOLA", W, BARN, f"/group_specific/{BARN}/school"),
    presence("SOK-BARN-HALSOUNDERSOKNING", W, BARN, f"/group_specific/{BARN}/health_examination"),
    presence("SOK-BARN-LAKARUNDERSOKNING", W, BARN, f"/group_specific/{BARN}/medical_examination"),
    # Content of a group the agreement does not name falls out of the document unsaid.
    SokCase("SOK-MALGRUPP-INNEHALL", E, MISSBRUK, "/group_specific/placerade_barn",
            replaced("group_specific:\n  missbruk:\n",
                     "group_specific:\n  placerade_barn:\n    school: Skolgången planeras "
                     "före placeringen.\n  missbruk:\n"), "/group_specific/placerade_barn",
            ("innehållet kommer inte med i överenskommelsen",), "7 kap. 2 §"),
    SokCase("SOK-MALGRUPP-SKYDDAT-BOENDE", W, BARN, "/target_group/description",
            replaced("enligt LSS omfattas inte.", "enligt LSS omfattas inte, och inte heller "
                     "barn som är placerade i skyddat boende."), "/target_group/description",
            ("texten undantar ”skyddat boende”",), "7 kap. 2 §",
            needle="\n  description: >-\n    Målgruppen är barn"),
    SokCase("PROSA-PART-PUNKT", W, PSYK, "/implementation/2/party",
            replaced("  - party: dalstad\n    text: >-\n      Dalstads kommun",
                     "  - party: region-vasterdal\n    text: >-\n      Dalstads kommun"), "",
            ("punkten gäller Region Västerdal, men texten börjar med Dalstads kommun",),
            "avtal", needle="  - party: region-vasterdal\n    text: >-\n      Dalstads"),
    SokCase("SOK-PARTER", E, None, "/parties",
            # the region's type, set in this agreement over the party registry's
            replaced("  - ref: region-vasterdal\n",
                     "  - ref: region-vasterdal\n    type: kommunalforbund\n"), "/parties",
            ("lägg till en region som part",), HSL),
    SokCase("SOK-MALGRUPP", E, None, "/target_group", without("/target_group/forms"),
            "/target_group", ("lägg till target_group.forms",), "SKR"),
    SokCase("SOK-ALLA-ALDRAR", W, MISSBRUK, "/target_group",
            replaced("  all_ages: true\n", "  all_ages: false\n"), "/target_group",
            ("bör gälla personer i alla åldrar",), "socialtjänstlagen (2025:400)"),
    SokCase("SOK-RUTIN", W, MISSBRUK, "/shared_responsibility/0",
            replaced("    routine: Länsgemensam rutin för tidig upptäckt av riskbruk och "
                     "spelproblem (2025)\n", ""), "",
            ("hänvisar inte till någon rutin", "skriv routine"), "SKR",
            needle="  - id: tidig-upptackt\n    area: Tidig upptäckt och tidiga insatser\n"
                   "    responsibility: >-\n      Vårdcentralerna"),
    SokCase("PROSA-ERSATTNING", W, MISSBRUK, "/parties/0/decision/analyses/economic_consequences",
            replaced("          sjukvårdsnämndens budget för 2026.\n",
                     "          sjukvårdsnämndens budget för 2026. Regionens andel av det "
                     "gemensamma teamet är 1,2 miljoner kronor per år.\n"), "",
            ("texten säger ”andel av” med ett belopp",
             "överenskommelsen har inga villkor om ersättning"), "SKR",
            needle="        economic_consequences: >-\n          Överenskommelsen beskriver "
                   "ansvar som regionen redan har enligt lag."),
    SokCase("SOK-MAL", E, PSYK, "/goals", without("/goals"), "",
            ("ska innehålla gemensamma mål",), "SKR"),
    SokCase("AVTAL-DATUMORDNING", W, MISSBRUK, "/decision_date",
            replaced("decision_date: 2026-06-09\n", "decision_date: 2026-05-01\n"), "",
            ("ska vara beslutad 1 maj 2026, men det sista organet sammanträder",), "schema",
            needle="decision_date: 2026-05-01"),
    SokCase("AVTAL-DATUM-TID", W, None, "/follow_up_date",
            replaced("follow_up_date: 2027-09-30\n", "follow_up_date: 2031-09-30\n"), "",
            ("ligger utanför giltighetstiden",), "SKR", needle="follow_up_date: 2031"),
    SokCase("SOK-BARNKONVENTIONEN", W, BARN, "/legal_basis", drop_convention, "/legal_basis",
            ("barnets rättigheter bland lagrummen",), "2018:1197"),
)


def _sok_variant(case: SokCase, tmp_path: Path, *, failing: bool) -> tuple[str, Spec]:
    text = case.base.read_text(encoding="utf-8")
    if failing:
        text = case.failing(text)
    path = write(tmp_path, "fail.yaml" if failing else "pass.yaml", text)
    return text, clean_spec(path)


def test_sok_bases_are_of_their_kind_and_group() -> None:
    for group, name in SOK_BASES.items():
        data = read_spec(ROOT / "specs" / f"{name}.yaml").data
        assert data["kind"] == "samverkansoverenskommelse"
        assert group is None or group in data["target_groups"]


@pytest.mark.parametrize("case", SOK_CASES, ids=lambda c: c.id)
def test_sok_rule_passes(case: SokCase, tmp_path: Path) -> None:
    _, spec = _sok_variant(case, tmp_path, failing=False)
    assert list(RULES[case.rule].check(spec)) == []
    assert _rule_issues(spec, case.rule) == []


@pytest.mark.parametrize("case", SOK_CASES, ids=lambda c: c.id)
def test_sok_rule_fails(case: SokCase, tmp_path: Path) -> None:
    text, spec = _sok_variant(case, tmp_path, failing=True)
    rule = RULES[case.rule]
    assert "samverkansoverenskommelse" in rule.kinds
    assert [f.pointer for f in rule.check(spec)] == [case.pointer]
    issues = _rule_issues(spec, case.rule)
    assert len(issues) == 1, issues
    issue = issues[0]
    assert issue.severity is case.severity
    assert issue.location.pointer == case.pointer
    expected = line_of(text, case.needle) if case.needle else value_line(text, case.anchor)
    assert issue.location.line == expected
    for phrase in case.phrases:
        assert norm(phrase) in norm(issue.message)
    assert issue.source == rule.source and case.source in issue.source


@pytest.mark.parametrize("case", SOK_CASES, ids=lambda c: c.id)
def test_sok_variants_differ_only_in_the_rule(case: SokCase, tmp_path: Path) -> None:
    passing = run_rules(_sok_variant(case, tmp_path, failing=False)[1])
    failing = run_rules(_sok_variant(case, tmp_path, failing=True)[1])
    assert codes(failing.issues) - {case.rule} == codes(passing.issues) - {case.rule}


@pytest.mark.parametrize("group", [PSYK, MISSBRUK, BARN])
def test_group_rules_stay_silent_for_other_groups(group: str) -> None:
    """A rule for one target group does not ask anything of another group's agreement."""
    others = [name for g, name in SOK_BASES.items() if g not in (None, group)]
    group_rules = {c.rule for c in SOK_CASES if c.group == group and c.rule.startswith(
        ("SOK-PSYK-", "SOK-MISSBRUK-", "SOK-BARN-"))}
    assert group_rules
    for name in set(others):
        fired = codes(run_rules(read_spec(ROOT / "specs" / f"{name}.yaml")).issues)
        assert not fired & group_rules, name


def test_avtalssamverkan_rules_do_not_run_on_a_sok_and_back() -> None:
    sok = run_rules(read_spec(ROOT / "specs" / f"{SOK_BASES[None]}.yaml"))
    assert not {i.code for i in sok.issues} & {c.rule for c in CASES
                                                if "samverkansoverenskommelse"
                                                not in RULES[c.rule].kinds}
    valid = run_rules(read_spec(VALID))
    assert not {i.code for i in valid.issues} & {c.rule for c in SOK_CASES}


# --------------------------------------------------------------------------- unusual but legal

UNUSUAL = ROOT / "tests" / "cases" / "valid" / "kommunalforbund-part" / "spec.yaml"


def test_a_kommunalforbund_as_party_raises_no_error_or_warning() -> None:
    """Legally fine but unusual: no rule may fire, not even as a note."""
    spec = clean_spec(UNUSUAL)
    assert spec.data["parties"][1]["type"] == "kommunalforbund"
    outcome = run_rules(spec)
    assert [(i.code, i.message) for i in outcome.issues] == []


def test_a_second_signing_organ_with_its_own_decision_data_raises_nothing(
        tmp_path: Path) -> None:
    """With decisions per organ, the organ that signs has what BESLUT-ORGAN-FLERA asks for."""
    organ, signer = second_signer("kommunstyrelsen")
    text = edited(organ, signer)
    start = text.index("    decision:\n      organ: socialnamnden\n")
    end = text.index("  - id: region-stockholm\n")
    block = text[start + len("    decision:\n"):end]
    second = block.replace("organ: socialnamnden", "organ: kommunstyrelsen", 1).replace(
        "diarienummer: SN 2025/1187", "diarienummer: KS 2025/0412", 1)
    entries = "".join("      - " + body.replace("\n      ", "\n        ").lstrip()
                      for body in (block, second))
    text = text[:start] + "    decisions:\n" + entries + text[end:]
    spec = clean_spec(write(tmp_path, "spec.yaml", text))
    assert [b["organ"] for b in spec.data["parties"][0]["decisions"]] == [
        "socialnamnden", "kommunstyrelsen"]
    assert codes(run_rules(spec).issues) & {"BESLUT-ORGAN", "BESLUT-ORGAN-FLERA"} == set()
    # Without the second block the same signature is a warning.
    only_first = text.replace("      - " + second.replace("\n      ", "\n        ").lstrip(), "")
    lone = clean_spec(write(tmp_path, "lone.yaml", only_first))
    assert codes(run_rules(lone).issues) & {"BESLUT-ORGAN-FLERA"} == {"BESLUT-ORGAN-FLERA"}


def test_a_limit_from_the_spec_is_stated_with_its_source(tmp_path: Path) -> None:
    """The staff report names where a limit the spec gives itself comes from; a limit
    from the data file is stated without one (the data file keeps its source)."""
    from buildkit import run_cli  # the CLI, as a user runs it

    reports = {}
    for own in (None, 8_000_000):
        decided = "2026-03-01" if own else None
        path = write(tmp_path, f"egen-{own}.yaml",
                     edited(direct(100_000, decided=decided, own=own)))
        out = tmp_path / f"out-{own}"
        run = run_cli("build", "--format", "md", "--out", out, path)
        assert run.code == 0, run.stdout + run.stderr
        reports[own] = norm("\n".join(p.read_text(encoding="utf-8").replace("\\", "")
                                      for p in out.rglob("tjansteutlatande*.md")))
    assert ("gränsen för direktupphandling av sociala och andra särskilda tjänster "
            "8 000 000 kronor enligt Upphandlingsmyndigheten, gränser från 1 januari 2026."
            in reports[8_000_000])
    assert "8 109 450 kronor." in reports[None] and " enligt Upphandlingsmyndigheten" not in (
        reports[None])


def test_fullmäktige_as_the_first_organ_reaches_the_council(tmp_path: Path) -> None:
    """A party whose own limits send the matter to fullmäktige, and whose decision block
    is fullmäktige's own: the path reaches the council, and no styrelse step is asked."""
    organ = "        responsibility: Ansvarar för individ- och familjeomsorgen för barn och unga.\n"
    council = ("      - id: kommunfullmaktige\n        name: Kommunfullmäktige\n"
               "        responsibility: Beslutar i ärenden av större vikt.\n")
    signer = "        organ: socialnamnden\n    contacts:"
    text = edited(COMPETENCE, (organ, organ + council),
                  (signer, "        organ: kommunfullmaktige\n    contacts:"),
                  (DECISION_START, "\n      organ: kommunfullmaktige\n"))
    spec = clean_spec(write(tmp_path, "council.yaml", text))
    found = codes(run_rules(spec).issues)
    assert "BESLUT-BEHORIGHET" not in found and "BESLUT-STYRELSEN" not in found
    below = clean_spec(write(tmp_path, "below.yaml", edited(COMPETENCE)))
    assert "BESLUT-BEHORIGHET" in codes(run_rules(below).issues)


@pytest.mark.parametrize("sentence", [
    "Priset har ett påslag för overhead, och ett eventuellt överskott återbetalas.",
    "Skogsberg får använda överskott till att sänka avgiften för de andra parterna.",
    "Parterna gör en fördjupad utvärdering vartannat år.",
    "Utföraren övertar ansvaret för arbetsmiljön.",
    "Personal följer med på hembesök.",
    "Kommunfullmäktige beslutade 2023 i reglementet att nämnden ansvarar.",
    "Jouren anmäler brådskande beslut till hemkommunen.",
    "Utföraren placerar den unge i det hem som nämnden har beslutat enligt 11 § LVU.",
    "Utföraren ansöker om medicinsk undersökning enligt 32 § LVU.",
])
def test_lawful_prose_is_not_read_as_a_claim(sentence: str) -> None:
    """Sentences a lawyer writes that say nothing against the fields (found in review)."""
    from generator.rules import prosa

    for pattern in (prosa.PROFIT, prosa.SELDOM, prosa.TAKEOVER, prosa.TRANSFER,
                    prosa.REFERRAL):
        assert prosa.claims(sentence, pattern) == [], pattern.pattern
    assert prosa.staff_decisions(sentence) == []


def test_a_duty_to_apply_for_compulsory_care_is_staff_deciding() -> None:
    """A duty is the performer's: ”Ansöka om vård enligt …” needs no subject to be one."""
    from generator.rules import prosa

    duty = ("Ansöka hos förvaltningsrätten om vård enligt 4 § lagen med särskilda "
            "bestämmelser om vård av unga när jouren har omhändertagit ett barn.")
    assert prosa.staff_decisions(duty, duty=True)
    assert not prosa.staff_decisions(duty)  # elsewhere the subject is not known
    assert not prosa.staff_decisions("Förbereda ärenden om vård enligt LVU.", duty=True)


@pytest.mark.parametrize(("figure", "sentence"), [
    ("NOTICE", "Uppsägningstiden räknas från utgången av den månad då uppsägningen kom in."),
    ("EXTENSION", "En part får säga upp avtalet också under en förlängning, med tolv månaders "
                  "uppsägningstid."),
    ("CAP", "Priset följer PKV, i takt med PKV som var 2,8 procent."),
    ("START", "Arbetet startade 15 mars 2025."),
])
def test_figures_are_read_only_where_they_measure_the_thing(figure: str, sentence: str) -> None:
    from generator.rules import tal

    assert getattr(tal, figure).said(sentence) == []


def test_population_counted_after_the_decisions(tmp_path: Path) -> None:
    """EKON-INVANARE-DATUM: figures dated after a party decides cannot be known by then."""
    from buildkit import dump, read_yaml, run_cli

    data = read_yaml(ROOT / "specs" / "socialjour-skogsberg.yaml")
    assert "EKON-INVANARE-DATUM" not in run_cli("check", dump(data, tmp_path / "a.yaml")).stdout
    data["economics"]["model"]["population_date"] = "2026-11-01"
    run = run_cli("check", dump(data, tmp_path / "b.yaml"))
    found = [line for line in (run.stdout + run.stderr).splitlines()
             if "EKON-INVANARE-DATUM" in line]
    assert len(found) == 1 and "invånarna räknas 1 november 2026, efter att" in found[0]
    assert "/economics/model/population_date" in found[0]


@pytest.mark.parametrize(("code", "edits"), [
    ("PROSA-PERSONUPPGIFTER", (processor("    dpa:", "      exists: true"), details(
        "För unga från Stockholm är Stockholms stads socialnämnd personuppgiftsansvarig."))),
    ("PROSA-PERSONUPPGIFTER", (processor("    dpa:", "      exists: true"), details(
        "Region Stockholm är personuppgiftsansvarig för uppgifterna, och Stockholms stad "
        "behandlar dem som personuppgiftsbiträde."))),
    ("PROSA-PERSONUPPGIFTER", (details(
        "Ingen part är personuppgiftsbiträde åt en annan; var och en ansvarar för sitt."),)),
    ("GDPR-BITRADE-ANDAMAL", (processor("    dpa:", "      exists: true"), details(
        "Region Stockholm får använda uppgifterna för sin egen uppföljning."))),
    ("PROSA-ARKIV", (archive("Varje part bevarar sina egna handlingar; Region Stockholm "
                             "lämnar sina till staden när avtalet upphör."),)),
    ("PROSA-OVERGANG", (transfer("Regionens kuratorer går över till Stockholms stad; "
                                 "ingen personal i Stockholms stad byter arbetsgivare."),)),
    ("PROSA-ANDRINGAR", ((MATERIAL, "  material_approved_by: Den nämnd hos varje part som "
                                    "har antagit avtalet.\n"),)),
    ("PROSA-SEKRETESS", ((SECRECY_TEXT, "  secrecy: Socialtjänstsekretess gäller hos båda "
                                        "parter, och uppgifter lämnas bara med stöd i lag.\n"),)),
    ("PROSA-UPPGIFTER", ((EXCHANGED, "  individual_data_exchanged: false\n"),
                         (SECRECY_TEXT, "  secrecy: Parterna lämnar bara avidentifierad "
                                        "statistik om de unga till varandra.\n"))),
    ("LOU-INTERN", (procurement_note("Undantaget för intern upphandling gäller inte mellan "
                                     "staden och regionen."),)),
    ("PROSA-MARKNADSANDEL", (procurement_note("Ingen del av verksamheten säljs till andra "
                                              "kommuner."),)),
    ("PROSA-BELOPP", (consequences("Stadens andel motsvarar nuvarande kostnad, cirka 4 "
                                   "miljoner kronor per år."),)),
    ("PROSA-FORLANGNING", (consequences("Avtalet löper på tre år med automatisk "
                                        "förlängning."),)),
    ("PROSA-BELOPP", (consequences("Stadens andel är cirka 4,5 miljoner kronor per år, varav "
                                   "socialförvaltningen bär en fjärdedel."),)),
    ("PROSA-BELOPP", (consequences("Socialförvaltningen bär en fjärdedel av stadens andel, "
                                   "omkring 1,1 miljoner kronor per år."),)),
    # A text that tells of a repeal relies on no repealed law.
    ("LAG-UPPHAVD", (consequences("Samverkan byggde tidigare på socialtjänstlagen (2001:453), "
                                  "som ersattes av socialtjänstlagen (2025:400)."),)),
    # An approximate share (the staff's andel is 70 procent).
    ("PROSA-BELOPP", (consequences("Stadens andel är drygt två tredjedelar av kostnaden."),)),
    # A limit, a ceiling and today's cost are no share.
    ("PROSA-BELOPP", (consequences("Nämnden beslutar själv om avtal som är värda mindre än "
                                   "10 000 000 kronor per år."),)),
    ("PROSA-BELOPP", (consequences("Staden betalar högst 4 800 000 kronor per år."),)),
    ("PROSA-BELOPP", (consequences("Staden betalar i dag 5 100 000 kronor per år för "
                                   "inhyrd personal."),)),
])
def test_lawful_prose_on_who_and_what_stays_silent(
    code: str, edits: tuple[Edit, ...], tmp_path: Path
) -> None:
    """Sentences a lawyer writes that agree with the fields (or say nothing against them)."""
    spec = clean_spec(write(tmp_path, "lawful.yaml", edited(*edits)))
    assert _rule_issues(spec, code) == []


def test_a_party_to_a_samverkansoverenskommelse_performs_no_tasks_for_others() -> None:
    """Every party of a samverkansöverenskommelse is huvudman for its own part: a limit on
    new tasks for others (competence.new_tasks) is never reached by one, while the same
    role in an avtalssamverkan reaches it."""
    from buildkit import SPECS_DIR, read_spec

    from generator.model import competence_triggers

    spec = read_spec(SPECS_DIR / "sok-missbruk.yaml")
    party = dict(spec.data["parties"][1], roles=["huvudman"],
                 competence={"council": "kommunfullmaktige", "council_name": "Kommunfullmäktige",
                             "source": "riktlinjer", "new_tasks": True})
    assert competence_triggers(spec.data, party) == ()
    as_cooperation = dict(spec.data, kind="avtalssamverkan")
    assert [t.code for t in competence_triggers(as_cooperation, party)] == ["nya_uppgifter"]


def test_a_nämnd_named_to_implement_under_fullmäktige_is_no_official(tmp_path: Path) -> None:
    """Fullmäktige may task a nämnd: measures_authority naming the nämnd itself is lawful
    and raises nothing, an official raises BESLUT-TJANSTEMAN-FULLMAKTIGE."""
    for holder, expected in (("socialnämnden", []), ("socialdirektören", ["measures"])):
        text = edited(*TO_COUNCIL, (MEETING, MEETING + f"      measures_authority: {holder}\n"))
        found = _rule_issues(clean_spec(write(tmp_path, f"{holder}.yaml", text)),
                             "BESLUT-TJANSTEMAN-FULLMAKTIGE")
        assert [i.location.pointer.rsplit("/", 1)[1].split("_")[0] for i in found] == expected


def test_each_duty_of_the_table_has_its_own_provision() -> None:
    """PROSA-PLIKT keys its patterns by the row's provision: two rows with one provision
    would silently share the later row's pattern."""
    from generator.rules.plikter import DUTIES
    provisions = [duty.provision for duty in DUTIES]
    assert len(provisions) == len(set(provisions))
