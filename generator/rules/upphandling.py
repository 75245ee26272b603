"""Rules that hold the procurement reasoning to the spec's own facts: a Hamburg
cooperation needs every party to contribute (C-429/19 Remondis), and "no one buys the
service on the market" cannot stand beside a spec that says it is bought today."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .. import laws
from ..errors import Severity
from ..load import Spec, walk
from ..render import join_and
from .prosa import clauses_of
from .registry import Finding, rule

REMONDIS = "EU-domstolen, dom den 4 juni 2020, mål C-429/19 Remondis, punkt 34"
LOU = laws.cite("hamburg")
# Roles of a party that only orders and pays (it performs nothing in the cooperation).
PAYING = frozenset({"uppdragsgivare", "hemkommun"})
# "I dag köps sådana utredningar av konsulter", "köper platser hos privata utförare".
BOUGHT = re.compile(
    r"\bköp(?:s|er|te|tes)\b[^.]{0,60}\b(konsult\w*|privat\w*|på marknaden|externa? utförare|"
    r"bemanningsföretag\w*)",
    re.IGNORECASE,
)
# "ingen stad köper tjänster på marknaden", "köper inga tjänster på marknaden".
NONE_BOUGHT = re.compile(
    r"\b(ingen|inga|inte)\b[^.]{0,40}\bköp\w*[^.]{0,40}\bmarknaden|"
    r"\bköp\w*\s+(inga|inte)\b[^.]{0,40}\bmarknaden",
    re.IGNORECASE,
)


def _says_bought(text: str) -> bool:
    """A sentence that says the service is bought (not one that says it is not)."""
    return any(
        BOUGHT.search(s) and not NONE_BOUGHT.search(s) for s in clauses_of(text)
    )


def _only_paying(party: Mapping[str, Any]) -> bool:
    return set(party["roles"]) <= PAYING


@rule(
    "LOU-REMONDIS",
    Severity.ERROR,
    f"{LOU}; {REMONDIS}",
    "Hamburgundantaget kräver att varje part bidrar till samarbetet, inte bara betalar",
)
def paying_parties_cooperate(spec: Spec) -> Iterator[Finding]:
    """A party that only pays while another performs is not cooperating: each such party
    must have its own contribution written in procurement.hamburg.contributions."""
    procurement = spec.data.get("procurement", {})
    if procurement.get("basis") != "hamburg" or "hamburg" not in procurement:
        return  # LOU-HAMBURG asks for the criteria first
    given = {c["party"] for c in procurement.get("hamburg", {}).get("contributions", [])}
    lacking = [p for p in spec.data["parties"] if _only_paying(p) and p["id"] not in given]
    if lacking:
        names = join_and([p["name"] for p in lacking[:3]]) + (" m.fl." if len(lacking) > 3 else "")
        yield Finding(
            "/procurement/basis",
            f"{names} bara beställer och betalar, medan en annan part utför uppgiften; ett "
            f"sådant avtal är inte ett samarbete enligt {LOU} ({REMONDIS}). Skriv under "
            "procurement.hamburg.contributions vad varje sådan part själv bidrar med, eller "
            "välj en annan grund (direktupphandling eller upphandling)",
        )


# A ground that carries the conclusion though the service is bought on the market today:
# an exception of the law, the value against the limit, or the service bound to the
# authority so that it cannot be bought apart from it.
_GROUND = re.compile(
    r"\bHamburg\w*|\b12\s+kap\.\s+3\s+§|\bin[- ]house\b|\bintern\w*\s+upphandling\w*"
    r"|\bdirektupphandl\w*|\btröskelvärde\w*|\bkan\s+inte\s+skiljas|\bgår\s+inte\s+att\s+skilja"
    r"|\boskiljaktig\w*|\b(?:kan|får)\s+inte\s+(?:köpas|upphandlas|överlåtas)"
    r"|\binget\s+kontrakt\b|\binte\s+(?:är\s+)?ett\s+kontrakt\b|\bingen\s+ersättning\b",
    re.I,
)


def bought_today(spec: Spec) -> str | None:
    """Where the spec says the service is bought on the market today, if it does."""
    procurement = spec.data.get("procurement", {})
    if procurement.get("bought_on_market") is True:
        return "/procurement/bought_on_market"
    return next((p for p, v in walk(spec.data) if isinstance(v, str) and _says_bought(v)), None)


@rule(
    "LOU-MARKNAD-GRUND",
    Severity.WARNING,
    f"{laws.cite('lou-kontrakt')}; SKR: Avtalssamverkan inom socialtjänsten (2023), kap. 3",
    "Motiveringen ger en grund för att upphandlingsreglerna inte gäller när tjänsten köps "
    "på marknaden",
)
def market_without_ground(spec: Spec) -> Iterator[Finding]:
    """The service is bought on the market today, the basis is myndighetsutövning, and the
    note names no ground that carries the conclusion: the staff report would conclude
    from a fact that does not bear it."""
    procurement = spec.data.get("procurement", {})
    note = str(procurement.get("note", ""))
    where = bought_today(spec)
    if (procurement.get("basis") != "myndighetsutovning" or not note or where is None
            or _GROUND.search(note) or NONE_BOUGHT.search(note)):
        return
    yield Finding(
        "/procurement/note",
        f"tjänsten köps på marknaden i dag ({where}), och motiveringen anger ingen grund för "
        "att upphandlingsreglerna inte gäller; skriv varför: att uppgiften inte kan skiljas "
        "från myndighetsutövningen, Hamburgundantaget eller värdet mot "
        "direktupphandlingsgränsen",
    )


@rule(
    "LOU-MARKNAD",
    Severity.ERROR,
    f"{laws.cite('lou-kontrakt')}; SKR: Avtalssamverkan inom socialtjänsten (2023), kap. 3",
    "Upphandlingsresonemanget stämmer med att tjänsten köps på marknaden i dag",
)
def market_contradiction(spec: Spec) -> Iterator[Finding]:
    """A service the parties buy on the market today is not outside procurement merely
    because it is myndighetsutövning, and the text cannot say no one buys it."""
    procurement = spec.data.get("procurement", {})
    if not procurement:
        return
    where = bought_today(spec)
    if where is None:
        return
    note = str(procurement.get("note", ""))
    if NONE_BOUGHT.search(note):
        yield Finding(
            "/procurement/note",
            f"motiveringen säger att ingen köper tjänsten på marknaden, men specifikationen "
            f"säger att den köps i dag ({where}); stryk påståendet och grunda slutsatsen på "
            "Hamburgundantaget eller på värdet mot direktupphandlingsgränsen",
        )
    elif procurement.get("basis") == "myndighetsutovning" and "note" not in procurement:
        yield Finding(
            "/procurement/basis",
            f"tjänsten köps på marknaden i dag ({where}), så att den är myndighetsutövning "
            "bär inte ensam slutsatsen att upphandlingsreglerna inte gäller; grunda den på "
            "Hamburgundantaget eller på värdet mot direktupphandlingsgränsen",
        )
