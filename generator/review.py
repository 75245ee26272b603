"""What a comparison means for those who review it: each party's amount before and
after, the organs that must decide again, warnings where the new version contradicts
itself or its change, and the key facts of a spec that was added or removed.

Everything here reads validated specs and returns frozen values; nothing prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .diff import Change, enum_label
from .load import Spec
from .model import Share, decision_blocks, derive_shares, derive_term
from .render import join_and, kronor, percent, percent_range, swedish_date

DECIDED = ("beslutad", "undertecknad")


@dataclass(frozen=True)
class Amount:
    """One party's (or group's) share of the costs before and after, as the documents
    write it; "–" where that version has no share for it."""

    who: str
    old: str
    new: str


def _names(spec: Spec) -> dict[str, str]:
    return {str(p["id"]): str(p["name"]) for p in spec.data["parties"]}


def _share_text(share: Share) -> str:
    if share.percent is not None:
        pct = percent(share.percent)
        return f"{kronor(share.kronor)} ({pct})" if share.kronor is not None else pct
    assert share.low is not None and share.high is not None
    span = percent_range(share.low, share.high)
    if share.kronor_low is not None and share.kronor_high is not None:
        return f"{kronor(share.kronor_low)}–{kronor(share.kronor_high)} ({span})"
    return span


def shares_by_party(spec: Spec) -> dict[str, str]:
    """Who pays what in a version: party names (joined for a group) -> amount text."""
    economics = spec.data.get("economics")
    if not isinstance(economics, Mapping) or "model" not in economics:
        return {}
    shares = derive_shares(economics, _names(spec))
    return {join_and(s.parties): _share_text(s) for s in shares}


def amounts(old: Spec, new: Spec) -> tuple[Amount, ...]:
    """Each party's amount before and after, when any of them changed."""
    before, after = shares_by_party(old), shares_by_party(new)
    if before == after:
        return ()
    who = list(dict.fromkeys([*after, *before]))
    return tuple(Amount(w, before.get(w, "–"), after.get(w, "–")) for w in who)


def deciding_organs(spec: Spec) -> tuple[str, ...]:
    """The organs that decide on the agreement, in party order: each decision's organ
    and the organs its decision path goes on to, "Socialnämnden → Kommunfullmäktige
    (Part)"; a party without decision data: each of its organs."""
    out: list[str] = []
    for party in spec.data["parties"]:
        organs = {str(o["id"]): str(o["name"]) for o in party.get("organs", [])}
        chains = [
            [organs.get(str(block.get("organ")), str(block.get("organ")))]
            + [str(step.get("name") or step.get("organ")) for step in block.get("path", [])]
            for _, block in decision_blocks(party)
        ] or [[name] for name in organs.values()]
        out.extend(f"{' → '.join(chain)} ({party['name']})" for chain in chains)
    return tuple(out)


def warnings(old: Spec, new: Spec, changes: Sequence[Change]) -> tuple[str, ...]:
    """Where the new version does not fit its own change (Swedish, one sentence each)."""
    return tuple(finding.message for finding in change_findings(old, new, changes))


@dataclass(frozen=True)
class ChangeFinding:
    """A warning about a change: its code, the field of the new version it concerns,
    and what to do."""

    code: str
    pointer: str
    message: str


def change_findings(old: Spec, new: Spec, changes: Sequence[Change]) -> list[ChangeFinding]:
    """The warnings of a change, each at the field of the new version to correct."""
    found: list[ChangeFinding] = []
    material = [c for c in changes if c.needs_approval]
    version, status = str(new.data.get("version", "")), str(new.data.get("status", ""))
    if material and version == str(old.data.get("version", "")):
        found.append(ChangeFinding(
            "ANDRING-VERSION",
            "/version",
            f"versionen är fortfarande {version} fast ändringarna kräver nytt beslut; "
            "höj versionen (t.ex. till nästa nummer) så att beslutet gäller rätt version",
        ))  # fmt: skip
    if material and status in DECIDED:
        label = enum_label("#/$defs/avtalssamverkan/properties/status", status)
        found.append(ChangeFinding(
            "ANDRING-STATUS",
            "/status",
            f"status är ”{label}” fast ändringarna ännu inte är beslutade; sätt status till "
            "utkast eller remiss tills organen har beslutat",
        ))  # fmt: skip
    old_ids = {p["id"] for p in old.data["parties"]}
    for index, party in enumerate(new.data["parties"]):
        if party["id"] not in old_ids and "decision" not in party:
            found.append(ChangeFinding(
                "ANDRING-NY-PART",
                f"/parties/{index}",
                f"{party['name']} är ny part men saknar beslutsuppgifter (decision); lägg "
                "till dem så att tjänsteutlåtande och beslut byggs för parten",
            ))  # fmt: skip
    return found


def facts(spec: Spec) -> tuple[tuple[str, str], ...]:
    """What an added or removed spec is: kind, parties, term, costs, deciding organs."""
    data = spec.data
    rows: list[tuple[str, str]] = [
        ("Rubrik", str(data.get("title", ""))),
        ("Slag", enum_label("#/properties/kind", str(data.get("kind", "")))),
        ("Version och status", _version(data)),
        ("Parter", join_and(str(p["name"]) for p in data["parties"])),
    ]
    if "term" in data:
        rows.append(("Avtalstid", _term(data["term"])))
    rows += [(f"Kostnad, {who}", value) for who, value in shares_by_party(spec).items()]
    rows.append(("Beslutas av", join_and(deciding_organs(spec))))
    return tuple((what, value) for what, value in rows if value)


def _version(data: Mapping[str, Any]) -> str:
    status = enum_label("#/$defs/avtalssamverkan/properties/status", str(data.get("status", "")))
    return f"{data.get('version', '')}, {status.lower()}"


def _term(term: Mapping[str, Any]) -> str:
    derived = derive_term(term)
    start = f"från {swedish_date(derived.start)}"
    if derived.end is None:
        return f"{start}, tills vidare"
    return f"{start} till {swedish_date(derived.end)}"
