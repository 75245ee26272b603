"""The completeness checklist: SKR's method guide and the minimum agreement content,
each item ticked against the spec (✓), failed (✗) or not applicable (–).

Items name the spec fields that satisfy them and the rules that test them; their
Swedish labels live in templates/checklista.md.j2.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Issue, Location, Severity
from .load import Spec
from .model import decision_blocks
from .rules import Outcome
from .rules.sok import PRESENCE


@dataclass(frozen=True)
class Item:
    """One checklist item: the fields that satisfy it and the rules that test it."""

    id: str
    step: str
    fields: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    optional: bool = False


ITEMS: tuple[Item, ...] = (
    Item("behov", "1", ("/purpose", "/background")),
    Item("avgransning", "1", ("/tasks/included", "/tasks/excluded"), ("SKR-AVGRANSNING",)),
    Item("parter", "2A", ("/parties",), ("KL-9-37-PART",)),
    Item("roller", "2A", ("/parties",), ("KL-9-37-ROLLER",)),
    Item("huvudman", "2A", ("/principal_responsibility",), ("KL-HUVUDMAN",)),
    Item(
        "ekonomi",
        "2A",
        ("/economics/principle", "/economics/model"),
        ("KL-SJALVKOSTNAD", "KL-VINSTPASLAG", "EKON-AVSTAMNING", "EKON-ANDELAR", "EKON-INVANARE"),
    ),
    Item(
        "upphandling",
        "2A",
        ("/procurement",),
        ("LOU-GRUND", "LOU-DIREKT-GRANS", "LOU-GRANS-EGEN", "LOU-HAMBURG"),
    ),
    Item("personal", "2A", ("/staff",), optional=True),
    Item("kontakt", "2B", ("/parties/*/contacts",)),
    Item("form", "2C", ("/kind", "/legal_basis")),
    Item("uppfoljning", "3A", ("/follow_up",), ("KL-UPPFOLJNING",)),
    Item("fullmaktige", "3A", ("/follow_up/council_report",), ("KL-UPPFOLJNING",)),
    Item("insyn", "3A", ("/control",), optional=True),
    Item(
        "personuppgifter",
        "3B",
        ("/information/personal_data",),
        ("GDPR-PUB", "GDPR-GEMENSAMT", "GDPR-ROLLER", "GDPR-SAKNAS"),
    ),
    Item("sekretess", "3B", ("/information",), ("OSL-SEKRETESS",)),
    Item("arkiv", "3B", ("/information/records",)),
    Item(
        "forankring",
        "3C",
        ("/parties/*/decision",),
        ("BESLUT-ORGAN", "BESLUT-ORGAN-FLERA", "BESLUT-BEHORIGHET", "BESLUT-TIDSLINJE"),
    ),
    Item("analyser", "3C", ("/parties/*/decision/analyses",), ("BARN-ANALYS", "BARN-MALGRUPP")),
    Item("min-parter", "4", ("/parties",)),
    Item("min-uppgifter", "4", ("/tasks/included",)),
    Item(
        "min-delegering",
        "4",
        ("/delegation",),
        (
            "KL-DELEGERING",
            "KL-DELEGERING-SAKNAS",
            "KL-VIDAREDELEGERING",
            "KL-FORBEHALLNA-BESLUT",
            "KL-BRADSKANDE-BESLUT",
            "KL-DELEGAT-ANSTALLD",
        ),
    ),
    Item("uppdrag", "4", ("/assignments",), optional=True),
    Item("min-ekonomi", "4", ("/economics",)),
    Item("min-information", "4", ("/information",)),
    Item("min-uppfoljning", "4", ("/follow_up",)),
    Item("min-avtalstid", "4", ("/term",), ("AVTAL-FORLANGNING",)),
    Item("min-uppsagning", "4", ("/termination",), ("AVTAL-UPPSAGNINGSTID", "AVTAL-OVRIGA-PARTER")),
    Item("arbetsresultat", "4", ("/work_results",), optional=True),
    Item("forsakring", "4", ("/insurance",), optional=True),
    Item("skadestand", "4", ("/liability",), optional=True),
    Item(
        "force-majeure", "4", ("/force_majeure",), ("AVTAL-FORCE-MAJEURE-SAKNAS",), optional=True
    ),
    Item("tvister", "4", ("/disputes",), ("AVTAL-TVIST-SAKNAS",), optional=True),
    Item("avtalshandlingar", "4", ("/attachments",), optional=True),
)


SOK_ITEMS: tuple[Item, ...] = (
    Item("sok-bakgrund", "inledning", ("/background", "/purpose"), ("SOK-BAKGRUND",)),
    Item("sok-malgrupp", "inledning", ("/target_group",), ("SOK-MALGRUPP", "SOK-ALLA-ALDRAR")),
    Item("sok-parter", "inledning", ("/parties",), ("SOK-PARTER",)),
    Item("sok-arbetsgrupp", "inledning", ("/working_group",), ("SOK-ARBETSGRUPP",)),
    Item(
        "sok-datum",
        "inledning",
        ("/decision_date", "/term", "/follow_up_date"),
        ("SOK-BESLUTSDATUM", "SOK-UPPFOLJNINGSDATUM"),
    ),
    Item("sok-dokument", "utgangspunkter", ("/related_documents",), ("SOK-DOKUMENT",)),
    Item("sok-lagstiftning", "utgangspunkter", ("/legal_basis",), ("SOK-BARNKONVENTIONEN",)),
    Item("sok-brukare", "utgangspunkter", ("/user_participation",), ("SOK-BRUKARE",)),
    Item("sok-ordlista", "utgangspunkter", ("/glossary",), ("SOK-ORDLISTA",), optional=True),
    Item("sok-mal", "utgangspunkter", ("/goals",), ("SOK-MAL",)),
    Item("sok-ledning", "ledning", ("/governance",), ("SOK-LEDNING",)),
    Item("sok-gemensamt", "ansvar", ("/shared_responsibility",), ("SOK-ANSVAR-GEMENSAMT",)),
    Item("sok-kommun", "ansvar", ("/municipal_responsibility",), ("SOK-ANSVAR-KOMMUN",)),
    Item("sok-region", "ansvar", ("/regional_responsibility",), ("SOK-ANSVAR-REGION",)),
    Item("sok-sip", "ansvar", ("/sip",), ("SOK-SIP",)),
    Item("sok-implementering", "uppfoljning", ("/implementation",), ("SOK-IMPLEMENTERING",)),
    Item(
        "sok-indikatorer",
        "uppfoljning",
        ("/follow_up", "/indicators"),
        ("SOK-INDIKATORER", "KL-UPPFOLJNING"),
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


@dataclass(frozen=True)
class Result:
    """An item's state: ✓, ✗ or –, with where it is satisfied and what failed."""

    item: Item
    status: str
    places: tuple[Location, ...]
    missing: tuple[str, ...]
    failed: tuple[Issue, ...]
    silenced: tuple[tuple[Issue, str], ...]


def _present(data: Mapping[str, Any], pointer: str) -> list[str]:
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


def _expected(data: Mapping[str, Any], pointer: str) -> int:
    """How many places a pattern should match (one per party for /parties/*/…, one per
    decision block for /parties/*/decision…)."""
    if pointer.startswith("/parties/*/decision"):
        return sum(len(decision_blocks(p)) or 1 for p in data["parties"])
    return len(data["parties"]) if "/*/" in pointer or pointer.endswith("/*") else 1


def evaluate(spec: Spec, outcome: Outcome) -> tuple[Result, ...]:
    """Tick every checklist item against a spec and its rule outcome."""
    return tuple(_evaluate(item, spec, outcome) for item in items_for(spec))


def _evaluate(item: Item, spec: Spec, outcome: Outcome) -> Result:
    places: list[Location] = []
    missing: list[str] = []
    for pattern in item.fields:
        hits = _present(spec.data, pattern)
        places.extend(spec.locate(h) for h in hits)
        if len(hits) < _expected(spec.data, pattern):
            missing.append(pattern)
    failed = tuple(
        i for i in outcome.issues if i.code in item.rules and i.severity is not Severity.INFO
    )
    silenced = tuple((i, why) for i, why in outcome.silenced if i.code in item.rules)
    if failed or (missing and not item.optional):
        status = "✗"
    elif missing:
        status = "–"
    else:
        status = "✓"
    return Result(item, status, tuple(places), tuple(missing), failed, silenced)
