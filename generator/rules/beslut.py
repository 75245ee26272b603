"""Rules for the decision path: who must decide (the party's own competence rules) and
in what order the organs meet. Messages say what is wrong and what to write instead."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import Severity
from ..load import Spec
from ..model import decision_blocks, derive_shares, derive_term
from ..render import join_and, kronor
from . import ALL_KINDS, Finding, rule

KL_5_1 = "5 kap. 1 § kommunallagen (2017:725)"
SKR_FAQ = (
    "SKR: Vad gäller för delegering av ärenden inom ramen för kommunal avtalssamverkan? (2021)"
)
PERFORMERS = ("uppdragstagare", "mottagande_kommun", "huvudman")


def annual_value(spec: Spec, party: Mapping[str, Any]) -> int | None:
    """What the agreement is worth per year for the party: its own share of the cost
    split (the upper end of a range), else the agreement's estimated yearly value."""
    economics = spec.data.get("economics")
    if economics is None:
        return None
    names = {p["id"]: p["name"] for p in spec.data["parties"]}
    for share in derive_shares(economics, names):
        if share.parties == (party["name"],):
            own = share.kronor if share.kronor is not None else share.kronor_high
            if own is not None:
                return own
    model = economics["model"]
    for value in (economics.get("estimated_annual_value"), model.get("total_cost")):
        if value is not None:
            return int(value)
    return int(model["amount"]) if model["type"] == "fast_ersattning" else None


def _total_reason(spec: Spec, per_year: int | None, limit: int) -> str | None:
    term = derive_term(spec.data["term"])
    if term.end is None:
        return (
            "avtalet gäller tills vidare, så dess sammanlagda värde har ingen övre gräns "
            f"(gränsen är {kronor(limit)})"
        )
    if per_year is None:
        return None
    months = (term.end.year - term.start.year) * 12 + term.end.month - term.start.month + 1
    total = per_year * months // 12
    if total >= limit:
        return (
            f"avtalet är värt omkring {kronor(total)} under avtalstiden "
            f"(gränsen är {kronor(limit)})"
        )
    return None


def competence_reasons(spec: Spec, party: Mapping[str, Any]) -> list[str]:
    """Why the party's own rules send this agreement to fullmäktige (empty: they do not)."""
    rules = party["competence"]
    reasons: list[str] = []
    per_year = annual_value(spec, party)
    limit = rules.get("annual_kronor")
    if limit is not None and per_year is not None and per_year >= limit:
        reasons.append(f"avtalet är värt {kronor(per_year)} per år (gränsen är {kronor(limit)})")
    open_ended = derive_term(spec.data["term"]).end is None
    if "total_kronor" in rules and not (open_ended and rules.get("until_further_notice")):
        reason = _total_reason(spec, per_year, rules["total_kronor"])
        if reason:
            reasons.append(reason)
    if rules.get("until_further_notice") and open_ended:
        reasons.append("avtalet gäller tills vidare")
    if rules.get("staff_transfer") and spec.data.get("staff", {}).get("transfer"):
        reasons.append("personal går över till en annan part")
    if rules.get("new_tasks") and any(r in PERFORMERS for r in party["roles"]):
        reasons.append(f"{party['name']} åtar sig att utföra uppgifter åt andra")
    return reasons


def _reaches(party: Mapping[str, Any], organ: str) -> bool:
    return any(
        step["organ"] == organ
        for _, decision in decision_blocks(party)
        for step in decision.get("path", [])
    )


@rule(
    "BESLUT-BEHORIGHET",
    Severity.WARNING,
    f"{KL_5_1}; {SKR_FAQ}",
    "Beslutsgången når fullmäktige när partens egna regler kräver det",
    kinds=ALL_KINDS,
)
def competent_organ(spec: Spec) -> Iterator[Finding]:
    """A matter above the party's own limits is decided by fullmäktige, not a nämnd."""
    for index, party in enumerate(spec.data["parties"]):
        blocks = decision_blocks(party)
        if "competence" not in party or not blocks:
            continue
        rules = party["competence"]
        reasons = competence_reasons(spec, party)
        if reasons and not _reaches(party, rules["council"]):
            where, _ = blocks[0]
            yield Finding(
                f"/parties/{index}/{where}",
                f"enligt {rules['source']} ska {rules['council_name'].lower()} avgöra "
                f"avtalet för {party['name']}, eftersom {join_and(reasons)}, men "
                "beslutsgången stannar före; lägg till organen fram till "
                f"{rules['council_name'].lower()} under path (organ: {rules['council']})",
            )
