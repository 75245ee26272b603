"""The completeness checklist's items, and the findings that tick them off.

Each item names the spec fields that satisfy it and the rules that test it. An item is
failed (✗) exactly when `avtal check` has a warning or an error for it: one of its rules,
or a field it needs that is missing (LISTA-SAKNAS, a warning; where the absence is no
defect of the agreement, such as a party's contacts, the item is "–" and check is
silent). So the checklist and check are one source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Severity
from ..load import Spec
from ..model import decision_blocks
from .registry import ALL_KINDS, RULES, Finding, rule
from .sok import PRESENCE

SKR = "SKR: Avtalssamverkan inom socialtjänsten (2023) (metodguiden och avtalets minsta innehåll)"
SKR_SOK = "SKR: Stöd vid framtagande av lagstadgade överenskommelser för vissa målgrupper (2020)"


@dataclass(frozen=True)
class Item:
    """One checklist item: the fields that satisfy it and the rules that test it."""

    id: str
    step: str
    fields: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    optional: bool = False
    # A missing field of a required item is a warning (LISTA-SAKNAS), unless its absence
    # is no defect of the agreement (a party's contacts, its decision data): then "–".
    gap: bool = True


LAW_RULES = (
    "LAG-SFS",
    "LAG-UPPHAVD",
    "LAGRUM-GRUND",
    "LAGRUM-ROLL",
    "LAGRUM-PARAGRAF",
    "LAGRUM-AMNE",
    "LAGRUM-FINNS",
    "LAGRUM-I-TEXT",
    "LAGRUM-I-TEXT-AMNE",
    "LAGRUM-KOMMENTAR",
    "PROSA-IVO",
    "PROSA-AVSKILDHET",
    "PROSA-LAGTID",
    "PROSA-SAMTYCKE",
    "PROSA-LAKARE",
    "PROSA-TVANG-SAMTYCKE",
    "PROSA-GENAST",
    "PROSA-BARNETS-BASTA",
    "PROSA-LVU-BESLUT",
    "PROSA-BRADSKANDE-ANMALAN",
    "PROSA-LVU-18",
    "PROSA-JAV",
    "PROSA-FADERSKAP",
    "PROSA-PLIKT",
)
# Who may agree to a minor change for a party, and within what bounds: under the changes
# of the agreement, not under the delegation of its decisions.
AMENDMENT_RULES = ("DELEG-MINDRE", "DELEG-MINDRE-KOSTNAD")
# Who may decide and empower whom: the same rules wherever the checklist asks about it.
POWER_RULES = (
    "DELEG-GRUPP",
    "DELEG-STYRGRUPP-TEXT",
    "DELEG-ANNAN-PART",
    "DELEG-FRITEXT",
    "BESLUT-TJANSTEMAN-FULLMAKTIGE",
    "BESLUT-FORLANGNING-FLERA",
    "DELEG-VASENTLIG",
    "DELEG-FORORDNANDE",
    "DELEG-FORORDNANDE-LEDAMOT",
    "DELEG-FORORDNANDE-PART",
    "DELEG-UTAN-EXTERN",
)
DECISION_RULES = (
    "BESLUT-ORGAN",
    "BESLUT-ORGAN-FLERA",
    "BESLUT-OMRADE",
    "BESLUT-BEHORIGHET",
    "BESLUT-BEHORIGHET-VARDE",
    "BESLUT-ORGAN-SLAG",
    "PROSA-SAMMANTRADE",
    "BESLUT-TITEL-ORGAN",
    "BESLUT-FULLMAKTIGE-SKAL",
    "PROSA-FULLMAKTIGE",
    "BESLUT-FORLANGNING",
    "BESLUT-UNDERTECKNARE",
    "BESLUT-STYRELSEN",
    "PROSA-UNDERLAG",
    "BESLUT-TIDSLINJE",
    "BESLUT-UNDERLAG",
    "AVTAL-RETROAKTIV",
    "AVTAL-JUSTERING",
    "PROSA-ANDRINGAR",
    "PROSA-PARTNAMN",
    "PROSA-FORLANGNINGSRATT",
    "BESLUT-UPPDRAG-PART",
    "BESLUT-DIARIENUMMER",
    "BESLUT-HANDLAGGARE",
    "BESLUT-UPPDRAG-ORGAN",
    "PROSA-PARTANTAL",
    "PROSA-DATUMFOLJD",
    "PROSA-VAL",
    "PROSA-ICKE-PART",
)
NOTICE_RULES = (
    "AVTAL-UPPSAGNINGSTID",
    "AVTAL-UPPSAGNING-FRISTER",
    "AVTAL-UPPSAGNING-MODELL",
    "AVTAL-UPPSAGNINGSTID-NOLL",
    "AVTAL-UPPSAGNING-PERIOD",
    "AVTAL-PERIODSLUT",
    "AVTAL-AVTALSBROTT",
    "PROSA-UPPSAGNINGSTID",
    "PROSA-AVTALSBROTT",
    "PROSA-PAGAENDE",
)
TERM_RULES = (
    "AVTAL-FORLANGNING",
    "AVTAL-FORLANGNING-FRIST",
    "AVTAL-OPTION-FRIST",
    "AVTAL-DATUMORDNING",
    "AVTAL-UPPDRAG-VARSEL",
    "AVTAL-AVTALSBROTT-LIKA",
    "PROSA-FORLANGNING",
    "PROSA-AVTALSTID",
    *NOTICE_RULES,
)

ITEMS: tuple[Item, ...] = (
    Item("behov", "1", ("/purpose", "/background")),
    Item("avgransning", "1", ("/tasks/included", "/tasks/excluded"),
         ("SKR-AVGRANSNING", "PROSA-UNDANTAGET")),
    Item("parter", "2A", ("/parties",), ("KL-9-37-PART",)),
    Item("roller", "2A", ("/parties",), ("KL-9-37-ROLLER", "ROLLER-ANSVAR", "ROLLER-HUVUDMAN",
                                              "ROLLER-REGION", "PROSA-UTFORARE")),
    Item("huvudman", "2A", ("/principal_responsibility",), ("KL-HUVUDMAN", "PROSA-HUVUDMAN")),
    Item(
        "ekonomi",
        "2A",
        ("/economics/principle", "/economics/model"),
        (
            "KL-SJALVKOSTNAD",
            "EKON-PRINCIP-SAKNAS",
            "KL-VINSTPASLAG",
            "EKON-AVSTAMNING",
            "EKON-ANDELAR",
            "EKON-INVANARE",
            "EKON-INVANARE-DATUM",
            "EKON-BETALARE",
            "EKON-FAST-DELNING",
            "EKON-FORSKOTT",
            "EKON-AVSTAMNING-TID",
            "EKON-VARDE",
            "EKON-FAKTURA",
            "EKON-FAKTURA-TID",
            "EKON-INDEX-ANDEL",
            "EKON-INDEX-DUBBEL",
            "PROSA-VINST",
            "PROSA-PRISJUSTERING",
            "PROSA-OMRAKNING",
            "EKON-GRUNDAVGIFT",
            "PROSA-BELOPP",
            "PROSA-PRIS",
            "PROSA-ERSATTNING",
            "PROSA-INTERVALL",
            "PROSA-PRIS-FORE-START",
            "PROSA-LIKA",
        ),
    ),
    Item(
        "upphandling",
        "2A",
        ("/procurement",),
        ("LOU-GRUND", "LOU-DIREKT-GRANS", "LOU-GRANS-EGEN", "LOU-GRANS-AR", "LOU-HAMBURG",
         "LOU-REMONDIS", "LOU-MARKNAD", "LOU-MARKNAD-GRUND", "LOU-INTERN", "LOU-NATUR",
         "PROSA-MARKNADSANDEL", "PROSA-SAMVERKANSFORM", "PROSA-PART-PUNKT"),
        gap=False,  # LOU-GRUND says when insatser need it; myndighetsutövning does not
    ),
    Item("personal", "2A", ("/staff",), ("PROSA-PERSONAL", "PROSA-OVERGANG"), optional=True),
    Item("kontakt", "2B", ("/parties/*/contacts",), ("KONTAKT-JOUR", "KONTAKT-ANNAN-PART"),
         gap=False),
    Item(
        "form",
        "2C",
        ("/kind", "/legal_basis"),
        LAW_RULES,
    ),
    Item(
        "uppfoljning",
        "3A",
        ("/follow_up",),
        ("KL-UPPFOLJNING", "ORGAN-STYRGRUPP", "PROSA-STYRGRUPP"),
    ),
    Item(
        "fullmaktige", "3A", ("/follow_up/council_report",), ("KL-UPPFOLJNING", "PROSA-ARSRAPPORT")
    ),
    Item("insyn", "3A", ("/control",), optional=True),
    Item(
        "personuppgifter",
        "3B",
        ("/information/personal_data",),
        ("GDPR-PUB", "GDPR-GEMENSAMT", "GDPR-ROLLER", "GDPR-SAKNAS", "GDPR-BITRADE-ROLL",
         "GDPR-GEMENSAMT-ROLL", "GDPR-GEMENSAMT-PARTER", "GDPR-BITRADE-ANDAMAL",
         "GDPR-SEPARATA-BITRADE", "GDPR-BITRADE-FLERA",
         "PROSA-PERSONUPPGIFTER"),
    ),
    Item("sekretess", "3B", ("/information",), ("OSL-SEKRETESS", "PROSA-SEKRETESS",
                                               "PROSA-UPPGIFTER")),
    Item("arkiv", "3B", ("/information/records",),
         ("PROSA-JOURNAL", "PROSA-ARKIV", "ARKIV-BESLUT")),
    Item(
        "forankring",
        "3C",
        ("/parties/*/decision",),
        (*DECISION_RULES, "BILAGA-NUMMER", "BILAGA-DUBBEL"),
        gap=False,
    ),
    Item(
        "analyser",
        "3C",
        ("/parties/*/decision/analyses",),
        ("BARN-ANALYS", "BARN-MALGRUPP", "PROSA-BARN", "PROSA-ALDER", "BESLUT-UNDERLAG"),
    ),
    Item("min-parter", "4", ("/parties",), ("ORGAN-EGENNAMN", "PART-TYP", "PART-CHEF-LEDAMOT")),
    Item("min-uppgifter", "4", ("/tasks/included",), ("NATUR-OPPETTIDER",)),
    Item(
        "min-delegering",
        "4",
        ("/delegation",),
        (
            "KL-DELEGERING",
            "KL-DELEGERING-SAKNAS",
            "AVTAL-DELEGERING-SAKNAS",
            *POWER_RULES,
            "DELEG-VIDARE",
            "DELEG-TYP-DELEGAT",
            "DELEG-TYP-DELEGAT-TEXT",
            "DELEG-OMPROVNING",
            "DELEG-REGION-SOCIALTJANST",
            "DELEG-ORGAN-TYPER",
            "DELEG-STYRELSE",
            "DELEG-UTSKOTT",
            "DELEG-UTSKOTT-TEXT",
            "KL-VIDAREDELEGERING",
            "KL-FORBEHALLNA-BESLUT",
            "KL-BRADSKANDE-BESLUT",
            "KL-DELEGAT-ANSTALLD",
            "DELEG-BESLUTSTYP-FORM",
            "DELEG-UNDANTAGEN",
            "KL-VIDAREDELEGERING-NIVA",
            "ROLLER-DELEGAT",
            "PROSA-DELEGAT",
            "NATUR-BESLUTSTYPER",
            "NATUR-JOUR",
            "PROSA-DELEGERING",
            "PROSA-INGEN-DELEGERING",
            "PROSA-TVANG",
            "PROSA-TVANG-REGION",
        ),
    ),
    Item("uppdrag", "4", ("/assignments",), ("PROSA-TAK",), optional=True),
    Item("min-ekonomi", "4", ("/economics",)),
    Item("min-information", "4", ("/information",)),
    Item("min-uppfoljning", "4", ("/follow_up",)),
    Item("min-avtalstid", "4", ("/term",), TERM_RULES),
    Item(
        "min-uppsagning",
        "4",
        ("/termination",),
        (*NOTICE_RULES, "AVTAL-OVRIGA-PARTER"),
    ),
    Item("andringar", "4", ("/amendments",), AMENDMENT_RULES, optional=True),
    Item("arbetsresultat", "4", ("/work_results",), optional=True),
    Item("forsakring", "4", ("/insurance",), optional=True),
    Item("skadestand", "4", ("/liability",), optional=True),
    Item(
        "force-majeure", "4", ("/force_majeure",), ("AVTAL-FORCE-MAJEURE-SAKNAS",), optional=True
    ),
    Item("tvister", "4", ("/disputes",), ("AVTAL-TVIST-SAKNAS",), optional=True),
    Item("avtalshandlingar", "4", ("/attachments",), ("BILAGA-HANVISNING",), optional=True),
)


SOK_ITEMS: tuple[Item, ...] = (
    Item("sok-bakgrund", "inledning", ("/background", "/purpose"), ("SOK-BAKGRUND",)),
    Item(
        "sok-malgrupp",
        "inledning",
        ("/target_group",),
        ("SOK-MALGRUPP", "SOK-ALLA-ALDRAR", "BARN-ANALYS", "BARN-MALGRUPP", "PROSA-BARN",
         "PROSA-ALDER", "SOK-MALGRUPP-INNEHALL", "SOK-MALGRUPP-SKYDDAT-BOENDE"),
    ),
    Item("sok-parter", "inledning", ("/parties",),
         ("SOK-PARTER", "ORGAN-EGENNAMN", "PART-TYP", "PART-CHEF-LEDAMOT", "KONTAKT-JOUR",
          "KONTAKT-ANNAN-PART")),
    Item("sok-arbetsgrupp", "inledning", ("/working_group",), ("SOK-ARBETSGRUPP",)),
    Item(
        "sok-datum",
        "inledning",
        ("/decision_date", "/term", "/follow_up_date"),
        (
            "SOK-BESLUTSDATUM",
            "SOK-UPPFOLJNINGSDATUM",
            "AVTAL-DATUM-TID",
            *TERM_RULES,
            *DECISION_RULES,
            "PROSA-ERSATTNING",
        ),
    ),
    Item("sok-dokument", "utgangspunkter", ("/related_documents",), ("SOK-DOKUMENT",)),
    Item(
        "sok-lagstiftning",
        "utgangspunkter",
        ("/legal_basis",),
        ("SOK-BARNKONVENTIONEN", *LAW_RULES),
    ),
    Item("sok-brukare", "utgangspunkter", ("/user_participation",), ("SOK-BRUKARE",)),
    Item("sok-ordlista", "utgangspunkter", ("/glossary",), ("SOK-ORDLISTA",), optional=True),
    Item("sok-mal", "utgangspunkter", ("/goals",), ("SOK-MAL",)),
    Item(
        "sok-ledning",
        "ledning",
        ("/governance",),
        (
            "SOK-LEDNING",
            *POWER_RULES,
            *AMENDMENT_RULES,
        ),
    ),
    Item("sok-gemensamt", "ansvar", ("/shared_responsibility",),
         ("SOK-ANSVAR-GEMENSAMT", "SOK-RUTIN")),
    Item("sok-kommun", "ansvar", ("/municipal_responsibility",),
         ("SOK-ANSVAR-KOMMUN", "SOK-RUTIN")),
    Item("sok-region", "ansvar", ("/regional_responsibility",),
         ("SOK-ANSVAR-REGION", "PROSA-TVANG-REGION", "SOK-RUTIN")),
    Item("sok-sip", "ansvar", ("/sip",), ("SOK-SIP",)),
    Item("sok-implementering", "uppfoljning", ("/implementation",),
         ("SOK-IMPLEMENTERING", "PROSA-PART-PUNKT")),
    Item(
        "sok-indikatorer",
        "uppfoljning",
        ("/follow_up", "/indicators"),
        ("SOK-INDIKATORER", "KL-UPPFOLJNING", "ORGAN-STYRGRUPP", "PROSA-STYRGRUPP"),
    ),
    Item("sok-avvikelser", "avvikelser", ("/deviations",), ("SOK-AVVIKELSER",)),
    Item("sok-tvister", "avvikelser", ("/disputes/procedure",), ("SOK-TVISTER",)),
)


def _group_items() -> tuple[Item, ...]:
    """One item per group-specific rule of seed 001's checklist, in the group's step."""
    return tuple(
        Item(
            rule_id.lower(),
            f"grupp:{group}",
            (pointer,),
            (rule_id,),
            optional=severity is Severity.INFO,
        )
        for rule_id, severity, group, pointer, _ in PRESENCE
        if group is not None
    )


def items_for(spec: Spec) -> tuple[Item, ...]:
    """The checklist items of the spec's kind (and, for SÖK, its target groups)."""
    if spec.data["kind"] != "samverkansoverenskommelse":
        return ITEMS
    groups = {f"grupp:{g}" for g in spec.data["target_groups"]}
    return SOK_ITEMS + tuple(i for i in _group_items() if i.step in groups)


def present(data: Mapping[str, Any], pointer: str) -> list[str]:
    """Concrete pointers matching a pattern (with * for every list index) that exist."""
    found = [""]
    node_sets: list[Any] = [data]
    for token in pointer.strip("/").split("/"):
        next_found, next_nodes = [], []
        for prefix, node in zip(found, node_sets, strict=True):
            if token == "*" and isinstance(node, list):
                pairs = [(f"{prefix}/{i}", v) for i, v in enumerate(node)]
            elif token == "decision" and isinstance(node, Mapping) and "decisions" in node:
                pairs = [(f"{prefix}/{w}", d) for w, d in decision_blocks(node)]
            elif isinstance(node, Mapping) and token in node:
                pairs = [(f"{prefix}/{token}", node[token])]
            else:
                pairs = []
            for where, value in pairs:
                next_found.append(where)
                next_nodes.append(value)
        found, node_sets = next_found, next_nodes
    return found


def expected(data: Mapping[str, Any], pointer: str) -> int:
    """How many places a pattern should match (one per party for /parties/*/…, one per
    decision block for /parties/*/decision…)."""
    if pointer.startswith("/parties/*/decision"):
        return sum(len(decision_blocks(p)) or 1 for p in data["parties"])
    return len(data["parties"]) if "/*/" in pointer or pointer.endswith("/*") else 1




def matches(pattern: str, pointer: str, *, within: bool = False) -> bool:
    """True when a concrete pointer is an instance of a pattern (* for any list index);
    `within`: or lies inside one."""
    parts = pattern.split("/")
    probe = re.sub(r"/decisions/\d+(?=/|$)", "/decision", pointer).split("/")
    if within:
        probe = probe[: len(parts)]
    return len(parts) == len(probe) and all(
        a in ("*", b) for a, b in zip(parts, probe, strict=True)
    )


def gaps(data: Mapping[str, Any], pattern: str) -> list[str]:
    """Concrete pointers of a pattern whose parent is there but the last field is not
    (a missing parent is another item's gap, or no gap at all)."""
    parent, _, last = pattern.rpartition("/")
    places = present(data, parent) if parent else [""]
    found = []
    for place in places:
        node = _at(data, place)
        if not isinstance(node, Mapping):
            continue
        if last == "decision" and "decisions" in node:
            continue
        if last not in node:
            found.append(f"{place}/{last}")
    return found


def _at(data: Any, pointer: str) -> Any:
    for token in [t for t in pointer.split("/") if t]:
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


def item_for(spec: Spec, code: str, pointer: str) -> tuple[Item, ...]:
    """The items a finding belongs to: by its rule, or a gap (a field a checklist item
    or a document needs) by its field."""
    if code == "LISTA-SAKNAS":
        return tuple(i for i in items_for(spec) if any(matches(f, pointer) for f in i.fields))
    if code == "build":  # a text a document needs: the items of the nearest field around it
        depth = {i: max((len(f) for f in i.fields if matches(f, pointer, within=True)), default=0)
                 for i in items_for(spec)}
        deepest = max(depth.values(), default=0)
        return tuple(i for i, d in depth.items() if d and d == deepest)
    listed = tuple(i for i in items_for(spec) if code in i.rules)
    # A rule several items list (SOK-RUTIN for each kind of area) belongs to those whose
    # fields hold the place it speaks of.
    placed = tuple(i for i in listed if any(matches(f, pointer, within=True) for f in i.fields))
    return placed if len(listed) > 1 and placed else listed


def _own_rules_speak(spec: Spec, item: Item) -> bool:
    kind = str(spec.data["kind"])
    return any(
        any(True for _ in RULES[r].check(spec))
        for r in item.rules
        if r in RULES and kind in RULES[r].kinds
    )


@rule(
    "LISTA-SAKNAS",
    Severity.WARNING,
    f"{SKR}; {SKR_SOK}",
    "En uppgift som checklistan kräver finns i specifikationen",
    kinds=ALL_KINDS,
)
def required_field_missing(spec: Spec) -> Iterator[Finding]:
    """A field a required checklist item needs is missing, and no rule of the item says so."""
    for item in items_for(spec):
        if item.optional or not item.gap:
            continue
        missing = [g for f in item.fields for g in gaps(spec.data, f)]
        if not missing or _own_rules_speak(spec, item):
            continue
        for pointer in missing:
            if _relevant(spec, pointer):
                yield Finding(pointer, _gap_message(spec, pointer))


def _relevant(spec: Spec, pointer: str) -> bool:
    """Records and archive matter where data about individuals is handled; an agreement
    that handles none ("processed: false") is no worse for saying nothing of them."""
    if pointer != "/information/records":
        return True
    info = spec.data.get("information", {})
    processed = info.get("personal_data", {}).get("processed", True)
    return bool(processed or info.get("individual_data_exchanged"))


def _gap_message(spec: Spec, pointer: str) -> str:
    parent, _, field = pointer.rpartition("/")
    whose = ""
    if parent.startswith("/parties/"):
        party = spec.data["parties"][int(parent.split("/")[2])]
        whose = f" för {party['name']}"
    where = f" under {parent.lstrip('/')}" if parent else ""
    return f"uppgiften {field} saknas{whose}; checklistan frågar efter den, så skriv {field}{where}"
