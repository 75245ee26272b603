"""Rules that compare fields: contradictions between two places of one spec, or
between a coded field and the law. Each is one function; messages say what to write."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .. import delegation as dm
from .. import laws
from ..errors import Severity
from ..load import Spec
from ..model import decision_blocks
from ..render import legal_ref
from .registry import ALL_KINDS, Finding, nature, personal_data, rule

KL = laws.cite("avtalssamverkan")
KL_DELEGATION = laws.cite("extern-delegering")
SKR = "SKR: Avtalssamverkan inom socialtjänsten (2023)"
GDPR = "dataskyddsförordningen (EU) 2016/679"
LVU = "1990:52"
LVM = "1988:870"


@dataclass(frozen=True)
class Reserved:
    """A decision the law gives the nämnd, and in urgent cases its ordförande or a
    ledamot it has appointed, never an employee."""

    sfs: str
    section: str
    what: str
    source: str


# Checked 2026-11-29: 6 § andra stycket LVU (JO dnr 956-2008, lagen.nu) and 13 § LVM
# (socialjuridik.se, LVM, beslut om omedelbart omhändertagande).
RESERVED = (
    Reserved(LVU, "6", "omedelbart omhändertagande enligt 6 § LVU", "6 § lagen (1990:52) "
             "med särskilda bestämmelser om vård av unga"),
    Reserved(LVM, "13", "omedelbart omhändertagande enligt 13 § LVM", "13 § lagen "
             "(1988:870) om vård av missbrukare i vissa fall"),
)
RESERVED_SOURCE = "; ".join(r.source for r in RESERVED)


def _external(spec: Spec) -> Mapping[str, Any]:
    external: Mapping[str, Any] = spec.data.get("delegation", {}).get("external", {})
    return external


def _decision_types(spec: Spec) -> Iterator[tuple[int, Mapping[str, Any]]]:
    yield from enumerate(_external(spec).get("decision_types", []))


def _by_employee(decision: Mapping[str, Any]) -> bool:
    return bool(decision.get("decided_by", "anstalld") == "anstalld")


TYPES = "/delegation/external/decision_types"


@rule(
    "KL-DELEGERING-SAKNAS",
    Severity.ERROR,
    f"{KL_DELEGATION}; {SKR}",
    "Beslut som anställda ska fatta kräver extern delegering",
)
def authority_without_delegation(spec: Spec) -> Iterator[Finding]:
    """Myndighetsutövning by the performer's employees needs extern delegering."""
    if nature(spec) not in ("myndighetsutovning", "bada"):
        return
    if _external(spec).get("used"):
        return
    by_staff = [d["text"] for _, d in _decision_types(spec) if _by_employee(d)]
    if by_staff:
        yield Finding(
            "/delegation/external/used",
            f"avtalet låter anställda fatta beslut i myndighetsutövning ({by_staff[0]}), men "
            "ingen extern delegering anges; skriv used: true, eller låt nämnden själv fatta "
            "besluten och ta bort dem ur decision_types",
        )


@rule(
    "KL-VIDAREDELEGERING",
    Severity.ERROR,
    SKR,
    "Vidaredelegeringen stämmer med beslutstyperna",
)
def further_delegation_matches_scope(spec: Spec) -> Iterator[Finding]:
    """Further delegation allowed in general but excluded for every decision type that
    staff take is a contradiction (an exception for some types is not)."""
    staff = [d for _, d in _decision_types(spec) if _by_employee(d)]
    allowed = _external(spec).get("further_delegation") is True
    if allowed and staff and all(d.get("further_delegation") is False for d in staff):
        yield Finding(
            "/delegation/external/further_delegation",
            "vidaredelegering tillåts (further_delegation: true), men varje beslutstyp "
            "undantar den; skriv further_delegation: false, eller ta bort undantagen",
        )


@rule(
    "KL-FORBEHALLNA-BESLUT",
    Severity.ERROR,
    RESERVED_SOURCE,
    "Beslut som lagen förbehåller nämnden eller dess ordförande delegeras inte till anställda",
)
def reserved_decisions(spec: Spec) -> Iterator[Finding]:
    """Decisions the law reserves for the nämnd, its ordförande or an appointed ledamot."""
    for index, decision in _decision_types(spec):
        ref = decision["legal_ref"]
        reserved = next(
            (r for r in RESERVED
             if ref.get("sfs") == r.sfs and str(ref.get("section", "")) == r.section),
            None,
        )
        if reserved is not None and _by_employee(decision):
            yield Finding(
                f"{TYPES}/{index}",
                f"beslut om {reserved.what} fattas av nämnden eller, när nämndens beslut inte "
                "kan avvaktas, av ordföranden eller en ledamot som nämnden har förordnat, "
                "aldrig av en anställd; skriv decided_by: ordforande_eller_ledamot",
            )


@rule(
    "KL-BRADSKANDE-BESLUT",
    Severity.ERROR,
    RESERVED_SOURCE,
    "Beslut enligt LVU eller LVM kräver en ordning för brådskande beslut dygnet runt",
)
def urgent_decisions(spec: Spec) -> Iterator[Finding]:
    """LVU or LVM decisions in scope need urgent decisions, reachable round the clock."""
    compulsory = [d for _, d in _decision_types(spec)
                  if d["legal_ref"].get("sfs") in (LVU, LVM)]
    if not compulsory:
        return
    urgent = spec.data.get("delegation", {}).get("urgent_decisions")
    if urgent is None:
        yield Finding(
            "/delegation",
            f"avtalet omfattar beslut enligt {legal_ref(compulsory[0]['legal_ref'])}, men "
            "inte hur brådskande beslut fattas; lägg till delegation.urgent_decisions med by "
            "och reachable_around_the_clock",
        )
    elif not urgent["reachable_around_the_clock"]:
        yield Finding(
            "/delegation/urgent_decisions/reachable_around_the_clock",
            "brådskande beslut enligt LVU och LVM kan behövas när som helst; ordna så att "
            "ordföranden eller en förordnad ledamot kan nås dygnet runt och skriv "
            "reachable_around_the_clock: true",
        )


# A title that takes in people who are not employed (”också inhyrda konsulter vid vakanser”).
_HIRED = re.compile(r"\bkonsult\w*|\binhyrd\w*|\bbemanningsföretag\w*|\bbemanningskonsult\w*"
                    r"|\buppdragstagare\b", re.I)


@rule(
    "KL-DELEGAT-ANSTALLD",
    Severity.ERROR,
    f"{KL_DELEGATION}; {SKR}",
    "Beslutanderätt delegeras bara till anställda, aldrig till konsulter",
)
def delegates_are_employees(spec: Spec) -> Iterator[Finding]:
    """Extern delegering reaches employees of the other party, not consultants."""
    delegates = _external(spec).get("delegates")
    if not isinstance(delegates, list):
        return
    words = {"konsult": "konsult", "inhyrd": "inhyrd"}
    for index, delegate in enumerate(delegates):
        office = dm.elected(str(delegate["title"]))
        if office is not None:
            yield Finding(
                f"/delegation/external/delegates/{index}/title",
                f"”{delegate['title']}” är ett förtroendeuppdrag ({office}), inte en anställning; "
                "extern delegering når bara anställda hos den andra parten. Skriv en "
                "anställds befattning, t.ex. ”enhetschefen för …”",
            )
        elif delegate["employment"] == "anstalld" and (hired := _HIRED.search(delegate["title"])):
            yield Finding(
                f"/delegation/external/delegates/{index}/title",
                f"befattningen nämner ”{hired.group(0)}”, men extern delegering når bara "
                "anställda hos den andra parten, och varje delegeringsbeslut ger den som har "
                "befattningen beslutanderätt; skriv bara de anställdas befattning",
            )
        elif delegate["employment"] != "anstalld":
            yield Finding(
                f"/delegation/external/delegates/{index}/employment",
                f"{delegate['title']} är {words[delegate['employment']]} och kan inte få "
                "beslutanderätt genom extern delegering; bara anställda hos den andra parten "
                "kan det. Ta bort befattningen eller låt en anställd fatta besluten",
            )


@rule(
    "DELEG-BESLUTSTYP-FORM",
    Severity.WARNING,
    "avtal: beslutspunkternas form (schemas/agreement.schema.json, decision_type.text)",
    "En beslutstyp skrivs som det beslut den är: ”beslut om …”",
)
def decision_type_reads_as_a_decision(spec: Spec) -> Iterator[Finding]:
    """Each decision point says that someone may ”fatta” the types: a text that is not a
    decision (”Bistånd i form av skyddat boende”) makes the point a nämnd adopts word for
    word ungrammatical."""
    for index, decision in enumerate(_external(spec).get("decision_types", [])):
        text = str(decision.get("text", "")).strip()
        if text and not text.casefold().startswith("beslut"):
            yield Finding(
                f"/delegation/external/decision_types/{index}/text",
                f"beslutstypen ”{text}” står i beslutspunkten efter ”fatta”, men är inget "
                "beslut; skriv den som ett beslut, t.ex. ”beslut om "
                f"{text[:1].lower() + text[1:]}”",
            )


@rule(
    "GDPR-ROLLER",
    Severity.ERROR,
    f"artiklarna 26 och 28 {GDPR}; {SKR}",
    "Avtalet anger vem som är personuppgiftsansvarig",
)
def personal_data_roles(spec: Spec) -> Iterator[Finding]:
    """Personal data processed needs a stated division of responsibility."""
    data = personal_data(spec)
    if data.get("processed") and "roles" not in data:
        yield Finding(
            "/information/personal_data",
            "personuppgifter behandlas men avtalet säger inte vem som är "
            "personuppgiftsansvarig; skriv roles: separata, gemensamt eller bitrade",
        )


def _youngest(target: Mapping[str, Any]) -> int | None:
    if "age_min" in target:
        return int(target["age_min"])
    if "age_max" in target or target.get("all_ages"):
        return 0
    return None


@rule(
    "BARN-MALGRUPP",
    Severity.ERROR,
    "lagen (2018:1197) om Förenta nationernas konvention om barnets rättigheter, artikel 1",
    "Målgruppen omfattar barn när åldrarna eller lagrummen säger det",
    kinds=ALL_KINDS,
)
def children_in_target_group(spec: Spec) -> Iterator[Finding]:
    """includes_children: false contradicts ages under 18 or LVU as legal basis."""
    target = spec.data.get("target_group")
    if target is None or target["includes_children"]:
        return
    youngest = _youngest(target)
    lvu = any(ref.get("sfs") == LVU for ref in spec.data.get("legal_basis", []))
    if youngest is not None and youngest < 18:
        reason = "målgruppen omfattar åldrar under 18 år"
    elif lvu:
        reason = "avtalet vilar på LVU, som gäller barn och unga"
    else:
        return
    yield Finding(
        "/target_group/includes_children",
        f"{reason}, men includes_children är false; skriv includes_children: true så att "
        "barnrättsperspektivet kommer med i besluten",
    )


@rule(
    "KL-VINSTPASLAG",
    Severity.ERROR,
    f"{SKR} (självkostnadsprincipen)",
    "Ersättningen har inget vinstpåslag",
)
def profit_margin(spec: Spec) -> Iterator[Finding]:
    """The cost-price principle allows no profit margin."""
    margin = spec.data["economics"].get("profit_margin_percent")
    if margin:
        yield Finding(
            "/economics/profit_margin_percent",
            f"ersättningen har ett påslag på {margin:g} % på självkostnaden; "
            "självkostnadsprincipen tillåter ingen vinst. Ta bort påslaget",
        )


def _signing_organs(spec: Spec) -> Iterator[tuple[str, str, str, Any]]:
    """(pointer, organ name, party name, deciding organ id) for each signatory who signs
    for an organ other than the one with decision data."""
    for index, party in enumerate(spec.data["parties"]):
        names = {o["id"]: o["name"].lower() for o in party["organs"]}
        blocks = [d for _, d in decision_blocks(party)]
        deciding = blocks[0]["organ"] if blocks else None
        # Every organ on a decision path has its own draft (beslut-<organ>.md).
        own = [d["organ"] for d in blocks] + [
            step["organ"] for d in blocks for step in d.get("path", [])
        ]
        for number, signatory in enumerate(party["signatories"]):
            organ = signatory.get("organ")
            if organ is not None and organ not in own and organ in names:
                where = f"/parties/{index}/signatories/{number}/organ"
                yield where, names[organ], party["name"], names.get(deciding)


@rule(
    "BESLUT-ORGAN",
    Severity.WARNING,
    f"{SKR} (steg 3C, förankring)",
    "Ett organ som skriver under har beslutsunderlag",
    kinds=ALL_KINDS,
)
def signing_organ_decides(spec: Spec) -> Iterator[Finding]:
    """An organ that signs for a party with no decision data at all."""
    for where, organ, party, deciding in _signing_organs(spec):
        if deciding is None:
            yield Finding(
                where,
                f"{organ} i {party} skriver under men parten har inget beslutsunderlag; "
                "lägg till decision för organet",
            )


@rule(
    "BESLUT-ORGAN-FLERA",
    Severity.WARNING,
    f"{SKR} (steg 3C, förankring)",
    "Varje organ som skriver under fattar ett eget beslut",
    kinds=ALL_KINDS,
)
def signing_organ_has_own_case(spec: Spec) -> Iterator[Finding]:
    """Another organ of the party signs than the one whose case the documents write."""
    for where, organ, party, deciding in _signing_organs(spec):
        if deciding is not None:
            yield Finding(
                where,
                f"{organ} i {party} skriver under men har inget eget beslutsunderlag; skriv "
                "ett beslutsunderlag per organ under decisions, eller låt "
                f"{deciding} skriva under",
            )
