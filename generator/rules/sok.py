"""Rules for the statutory samverkansöverenskommelse, from SKR's checklist (seed 001).

What the law or its preparatory works say the agreement shall contain is an error,
what it should contain a warning, what it may contain information. Most items are
about presence, so they are one table; each row registers one rule with its own id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from .. import laws
from ..errors import Severity
from ..load import Spec
from .prosa import clauses_of, texts
from .registry import Finding, rule

SKR_SOK = "SKR: Stöd vid framtagande av lagstadgade överenskommelser för vissa målgrupper (2020)"
HSL = laws.cite("overenskommelse-hsl")
# 7 kap. 2 § socialtjänstlagen (2025:400): one section for all three target groups.
SOL = laws.cite("sol-overenskommelse")
LAW = {
    "psykisk_funktionsnedsattning": f"{SOL}; {HSL}",
    "missbruk": f"{SOL}; {HSL}",
    "placerade_barn": f"{SOL}; {HSL}",
}
KIND = ("samverkansoverenskommelse",)
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
LEVEL = {ERROR: "ska", WARNING: "bör", INFO: "kan"}

# (rule id, severity, target group or None for all, pointer, what it is)
PRESENCE: tuple[tuple[str, Severity, str | None, str, str], ...] = (
    ("SOK-BAKGRUND", WARNING, None, "/background", "bakgrund till överenskommelsen"),
    ("SOK-ARBETSGRUPP", WARNING, None, "/working_group", "vilka som arbetat fram överenskommelsen"),
    ("SOK-BESLUTSDATUM", WARNING, None, "/decision_date", "datum för beslut om överenskommelsen"),
    (
        "SOK-UPPFOLJNINGSDATUM",
        WARNING,
        None,
        "/follow_up_date",
        "när överenskommelsen ska följas upp",
    ),
    (
        "SOK-DOKUMENT",
        WARNING,
        None,
        "/related_documents",
        "andra överenskommelser, avtal och styrdokument med koppling till målgruppen",
    ),
    (
        "SOK-BRUKARE",
        WARNING,
        None,
        "/user_participation",
        "hur brukar-, patient- och närståendeorganisationer getts möjlighet att lämna synpunkter",
    ),
    ("SOK-ORDLISTA", INFO, None, "/glossary", "en ordlista med gemensamma begrepp"),
    ("SOK-LEDNING", WARNING, None, "/governance", "hur samverkan leds och styrs i länet"),
    (
        "SOK-ANSVAR-GEMENSAMT",
        ERROR,
        None,
        "/shared_responsibility",
        "de områden där båda huvudmännen har ansvar",
    ),
    (
        "SOK-ANSVAR-KOMMUN",
        ERROR,
        None,
        "/municipal_responsibility",
        "de områden där kommunerna har ansvar",
    ),
    (
        "SOK-ANSVAR-REGION",
        ERROR,
        None,
        "/regional_responsibility",
        "de områden där regionen har ansvar",
    ),
    ("SOK-SIP", WARNING, None, "/sip", "hänvisning till rutiner för samordnad individuell plan"),
    (
        "SOK-IMPLEMENTERING",
        WARNING,
        None,
        "/implementation",
        "hur överenskommelsen implementeras hos varje huvudman",
    ),
    (
        "SOK-INDIKATORER",
        WARNING,
        None,
        "/indicators",
        "gemensamma indikatorer för uppföljning och utvärdering",
    ),
    ("SOK-AVVIKELSER", WARNING, None, "/deviations", "hur avvikelser i samverkan hanteras"),
    ("SOK-TVISTER", WARNING, None, "/disputes/procedure", "hur tvister hanteras och följs upp"),
    (
        "SOK-PSYK-BARN-ANHORIGA",
        WARNING,
        "psykisk_funktionsnedsattning",
        "/group_specific/psykisk_funktionsnedsattning/children_as_relatives",
        "stöd till barn som anhöriga",
    ),
    (
        "SOK-PSYK-SYSSELSATTNING",
        INFO,
        "psykisk_funktionsnedsattning",
        "/group_specific/psykisk_funktionsnedsattning/employment",
        "ansvar för sysselsättning och arbetsrehabilitering",
    ),
    (
        "SOK-PSYK-HJALPMEDEL",
        WARNING,
        "psykisk_funktionsnedsattning",
        "/group_specific/psykisk_funktionsnedsattning/assistive_devices",
        "ansvar för hjälpmedel",
    ),
    (
        "SOK-PSYK-BOENDE",
        INFO,
        "psykisk_funktionsnedsattning",
        "/group_specific/psykisk_funktionsnedsattning/housing",
        "ansvar för boende",
    ),
    (
        "SOK-PSYK-OMBUD",
        INFO,
        "psykisk_funktionsnedsattning",
        "/group_specific/psykisk_funktionsnedsattning/personal_ombud",
        "ansvar för personligt ombud",
    ),
    (
        "SOK-MISSBRUK-TIDIGA",
        WARNING,
        "missbruk",
        "/group_specific/missbruk/early_interventions",
        "hur riskbruk uppmärksammas för tidiga insatser",
    ),
    (
        "SOK-MISSBRUK-BARN-ANHORIGA",
        WARNING,
        "missbruk",
        "/group_specific/missbruk/children_as_relatives",
        "stöd till barn som anhöriga",
    ),
    (
        "SOK-MISSBRUK-ENSKILD",
        ERROR,
        "missbruk",
        "/group_specific/missbruk/private_providers",
        "ansvaret för personer som vårdas i enskild verksamhet som parterna har avtal med",
    ),
    (
        "SOK-MISSBRUK-LVU-LPT",
        WARNING,
        "missbruk",
        "/group_specific/missbruk/youth_lvu_lpt",
        "rutiner för barn och unga som vårdas enligt LVU eller LPT",
    ),
    (
        "SOK-MISSBRUK-SAMSJUKLIGHET",
        WARNING,
        "missbruk",
        "/group_specific/missbruk/co_morbidity",
        "samordning vid samsjuklighet",
    ),
    (
        "SOK-MISSBRUK-LVM-LPT",
        WARNING,
        "missbruk",
        "/group_specific/missbruk/adults_lvm_lpt",
        "rutiner för vuxna som vårdas enligt LVM eller LPT",
    ),
    (
        "SOK-MISSBRUK-SIS-KRIMINALVARD",
        WARNING,
        "missbruk",
        "/group_specific/missbruk/sis_kriminalvard",
        "rutiner för personer inom SiS och Kriminalvården",
    ),
    (
        "SOK-MISSBRUK-TILLNYKTRING",
        INFO,
        "missbruk",
        "/group_specific/missbruk/detox",
        "ansvar för tillnyktring, abstinensbehandling, drogtester och behandling",
    ),
    (
        "SOK-BARN-PLACERING",
        WARNING,
        "placerade_barn",
        "/group_specific/placerade_barn/placement_phases",
        "samverkan inför, under och efter placering",
    ),
    (
        "SOK-BARN-HVB-SIS",
        WARNING,
        "placerade_barn",
        "/group_specific/placerade_barn/hvb_sis",
        "samverkan med HVB, SiS och andra utförare",
    ),
    (
        "SOK-BARN-SKOLA",
        WARNING,
        "placerade_barn",
        "/group_specific/placerade_barn/school",
        "samverkan med förskola och skola",
    ),
    (
        "SOK-BARN-HALSOUNDERSOKNING",
        WARNING,
        "placerade_barn",
        "/group_specific/placerade_barn/health_examination",
        "hälsoundersökning i samband med placering",
    ),
    (
        "SOK-BARN-LAKARUNDERSOKNING",
        WARNING,
        "placerade_barn",
        "/group_specific/placerade_barn/medical_examination",
        "läkarundersökning före ansökan om vård enligt LVU",
    ),
)


def _get(data: Any, pointer: str) -> Any:
    for token in pointer.strip("/").split("/"):
        if not isinstance(data, dict) or token not in data:
            return None
        data = data[token]
    return data


def _presence(
    rule_id: str, severity: Severity, group: str | None, pointer: str, what: str
) -> Callable[[Spec], Iterator[Finding]]:
    def check(spec: Spec) -> Iterator[Finding]:
        if group is not None and group not in spec.data["target_groups"]:
            return
        if _get(spec.data, pointer) is None:
            field = pointer.rsplit("/", 1)[-1]
            yield Finding(
                pointer,
                f"överenskommelsen {LEVEL[severity]} innehålla {what}; lägg till fältet {field}",
            )

    check.__doc__ = f"{rule_id}: {what}."
    return check


for _id, _severity, _group, _pointer, _what in PRESENCE:
    _source = f"{SKR_SOK}; {LAW[_group]}" if _group else SKR_SOK
    rule(_id, _severity, _source, _what, kinds=KIND)(
        _presence(_id, _severity, _group, _pointer, _what)
    )


@rule(
    "SOK-PARTER",
    ERROR,
    f"{SKR_SOK}; {HSL}",
    "Kommun och region är parter",
    kinds=KIND,
)
def municipality_and_region(spec: Spec) -> Iterator[Finding]:
    """The statutory agreement is between municipality and region: both must be parties."""
    types = {p["type"] for p in spec.data["parties"]}
    for needed, word in (("region", "en region"), ("kommun", "minst en kommun")):
        if needed not in types:
            yield Finding(
                "/parties",
                f"överenskommelsen ska ingås mellan kommun och region; lägg till {word} som part",
            )


@rule("SOK-MALGRUPP", ERROR, SKR_SOK, "Målgruppen täcker alla former av problematik", kinds=KIND)
def target_group_forms(spec: Spec) -> Iterator[Finding]:
    """The target group names the forms of problems it covers."""
    if "forms" not in spec.data["target_group"]:
        yield Finding(
            "/target_group",
            "överenskommelsen ska beskriva vilka former av problematik "
            "målgruppen omfattar; lägg till target_group.forms",
        )


@rule(
    "SOK-ALLA-ALDRAR",
    WARNING,
    f"{SKR_SOK}; {LAW['psykisk_funktionsnedsattning']}; {LAW['missbruk']}",
    "Överenskommelser om psykisk funktionsnedsättning och missbruk gäller alla åldrar",
    kinds=KIND,
)
def all_ages(spec: Spec) -> Iterator[Finding]:
    """Mental disability and substance abuse agreements cover every age."""
    groups = set(spec.data["target_groups"]) & {"psykisk_funktionsnedsattning", "missbruk"}
    if groups and not spec.data["target_group"].get("all_ages"):
        yield Finding(
            "/target_group",
            "överenskommelsen bör gälla personer i alla åldrar; skriv "
            "all_ages: true eller förklara avgränsningen",
        )


AREAS = ("shared_responsibility", "municipal_responsibility", "regional_responsibility")


@rule(
    "SOK-RUTIN",
    WARNING,
    SKR_SOK,
    "Varje ansvarsområde hänvisar till sin rutin",
    kinds=KIND,
)
def area_routines(spec: Spec) -> Iterator[Finding]:
    """SKR's checklist asks for the areas of responsibility with reference to the routines
    that govern them: an area without one is said, not ticked."""
    for field in AREAS:
        for index, area in enumerate(spec.data.get(field, [])):
            if "routine" not in area:
                yield Finding(
                    f"/{field}/{index}",
                    f"området ”{area['area']}” hänvisar inte till någon rutin; skriv routine "
                    "med namnet på den rutin som gäller, eller den som huvudmännen ska ta fram",
                )


@rule("SOK-MAL", ERROR, f"{SKR_SOK}; {LAW['missbruk']}", "Gemensamma mål", kinds=KIND)
def common_goals(spec: Spec) -> Iterator[Finding]:
    """Common goals: required for substance abuse, the starting point for mental disability."""
    groups = set(spec.data["target_groups"]) & {"psykisk_funktionsnedsattning", "missbruk"}
    if groups and "goals" not in spec.data:
        yield Finding(
            "/goals",
            "överenskommelsen ska innehålla gemensamma mål för huvudmännen; lägg till goals",
        )


@rule(
    "SOK-BARNKONVENTIONEN",
    WARNING,
    f"{SKR_SOK}; lagen (2018:1197) om Förenta nationernas konvention om barnets rättigheter",
    "Barnkonventionen bland utgångspunkterna när målgruppen omfattar barn",
    kinds=KIND,
)
def convention_on_the_rights_of_the_child(spec: Spec) -> Iterator[Finding]:
    """Children in the target group: the Convention belongs among the legal starting points."""
    if not spec.data["target_group"].get("includes_children"):
        return
    laws = " ".join(str(ref.get("law", "")) for ref in spec.data["legal_basis"]).lower()
    if "barnets rättigheter" not in laws:
        yield Finding(
            "/legal_basis",
            "målgruppen omfattar barn; ange lagen (2018:1197) om "
            "Förenta nationernas konvention om barnets rättigheter bland lagrummen",
        )


@rule(
    "SOK-MALGRUPP-INNEHALL",
    ERROR,
    f"{SKR_SOK}; {SOL}",
    "Det gruppspecifika innehållet gäller de målgrupper som överenskommelsen anger",
    kinds=KIND,
)
def group_content_of_another_group(spec: Spec) -> Iterator[Finding]:
    """group_specific for a group that target_groups does not name: its section falls out
    of the document without a word (a spec copied from a sibling agreement, its groups
    changed but not its content)."""
    groups = set(spec.data["target_groups"])
    for group in spec.data.get("group_specific", {}):
        if group not in groups:
            yield Finding(
                f"/group_specific/{group}",
                f"det gruppspecifika innehållet gäller {group}, men target_groups anger "
                f"{', '.join(sorted(groups))}; innehållet kommer inte med i "
                "överenskommelsen, så rätta target_groups eller flytta innehållet",
            )


_SHELTER = re.compile(r"\bskyddat?\w* boende\w*", re.I)
_LEFT_OUT = re.compile(r"\b(?:omfattas inte|ingår inte|inte heller|undanta\w*|utom)\b", re.I)


@rule(
    "SOK-MALGRUPP-SKYDDAT-BOENDE",
    WARNING,
    SOL,
    "Överenskommelsen om placerade barn undantar inte barn i skyddat boende",
    kinds=KIND,
)
def sheltered_children_left_out(spec: Spec) -> Iterator[Finding]:
    """The law names children placed in a skyddat boende among the children the
    agreement on placed children covers (7 kap. 2 § SoL); a target group that leaves them
    out narrows what the law requires."""
    if "placerade_barn" not in spec.data["target_groups"]:
        return
    for where, text in texts(spec.data, "/target_group"):
        for clause in clauses_of(text):
            shelter = _SHELTER.search(clause)
            if shelter and _LEFT_OUT.search(clause):
                yield Finding(
                    where,
                    f"texten undantar ”{shelter.group(0)}”, men överenskommelsen om barn och "
                    "unga som vårdas utanför hemmet ska enligt lagen också gälla barn och unga "
                    f"som är placerade i ett skyddat boende ({SOL}); ta med dem i målgruppen",
                )
                return
