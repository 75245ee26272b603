"""DELEG-UTSKOTT: cases that socialtjänstlagen (2025:400) 30 kap. 6–10 §§ keep for the
socialnämnd or its utskott are never delegated to an employee, not even to the other
party's employees under 9 kap. 37 § andra stycket KL. The limits are data
(generator/data/delegering.yaml)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .. import laws
from ..errors import Severity
from ..load import Spec
from ..render import legal_ref
from .registry import Finding, rule
from .structure import RESERVED

TYPES = "/delegation/external/decision_types"


@cache
def _limits() -> dict[str, Any]:
    text = resources.files("generator").joinpath("data/delegering.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text))


def _place(ref: Mapping[str, Any]) -> str:
    section = " ".join(str(ref.get("section", "")).split())
    return f"{ref['chapter']}:{section}" if "chapter" in ref else section


def _matching(group: str, ref: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return next((row for row in _limits()[group] if row["sfs"] == str(ref.get("sfs"))), None)


def _limit(ref: Mapping[str, Any]) -> tuple[str, str] | None:
    """(provision, what the law says) when an employee may not decide under `ref`."""
    if "section" not in ref:
        return None
    place = _place(ref)
    row = _matching("utskott", ref)
    if row is not None and place in row["places"]:
        return row["provision"], "bara till ett utskott"
    only = _matching("bara_dessa", ref)
    if only is not None and place not in only["places"]:
        return only["provision"], "inte alls"
    return None


@rule(
    "DELEG-UTSKOTT",
    Severity.ERROR,
    "; ".join((laws.cite("sol-delegering-sol"), laws.cite("sol-delegering-lvu"),
               laws.cite("sol-delegering-lvm"), laws.cite("sol-delegering-fb"))),
    "Det som socialtjänstlagen förbehåller nämnden eller ett utskott delegeras inte till anställda",
)
def reserved_for_the_committee(spec: Spec) -> Iterator[Finding]:
    """A decision type an employee would take, in a case the law keeps for the nämnd."""
    types = spec.data.get("delegation", {}).get("external", {}).get("decision_types", [])
    for index, decision in enumerate(types):
        ref = decision["legal_ref"]
        if decision.get("decided_by", "anstalld") != "anstalld":
            continue
        if any(str(ref.get("sfs")) == r.sfs and str(ref.get("section")) == r.section
               for r in RESERVED):
            continue  # KL-FORBEHALLNA-BESLUT says it
        found = _limit(ref)
        if found is not None:
            provision, how = found
            yield Finding(
                f"{TYPES}/{index}",
                f"{decision['text']} enligt {legal_ref(ref)} får socialnämnden delegera {how} "
                f"({laws.cite(provision)}), aldrig till en anställd, inte heller hos den andra "
                "parten; ta bort beslutstypen ur delegeringen eller låt nämnden besluta",
            )
