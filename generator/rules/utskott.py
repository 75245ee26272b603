"""DELEG-UTSKOTT: cases that socialtjänstlagen (2025:400) 30 kap. 6–11 §§ keep for the
socialnämnd or its utskott (or for the nämnd alone) are never delegated to an employee,
not even to the other party's employees under 9 kap. 37 § andra stycket KL. The limits
are data (generator/data/delegering.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .. import laws
from ..errors import Severity
from ..load import Spec
from ..render import legal_ref
from .lagrum import law_of
from .prosa import clauses_of
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


def _matching(group: str, sfs: str) -> Mapping[str, Any] | None:
    return next((row for row in _limits().get(group, []) if row["sfs"] == sfs), None)


def _sfs(ref: Mapping[str, Any]) -> str | None:
    """The SFS number a reference means: its own, or the registered law of its name."""
    law = law_of(ref)
    return law.sfs if law is not None else None


def _limit(decision: Mapping[str, Any]) -> tuple[str, str] | None:
    """(provision, what the law says) when an employee may not take a decision type."""
    ref = decision["legal_ref"]
    sfs = _sfs(ref)
    if "section" not in ref or sfs is None:
        return None
    place = _place(ref)
    never = _matching("aldrig", sfs)
    if never is not None and place in never["places"]:
        return never["provision"], "får socialnämnden inte delegera alls"
    row = _matching("utskott", sfs)
    if row is not None and place in row["places"]:
        return row["provision"], "får socialnämnden delegera bara till ett utskott"
    only = _matching("bara_dessa", sfs)
    if only is not None and place not in only["places"]:
        return only["provision"], "får socialnämnden inte delegera alls"
    for kept in _limits().get("undantag", []):
        words = re.search(kept["words"], str(decision["text"]), re.IGNORECASE)
        if kept["sfs"] == sfs and kept["place"] == place and words:
            what = f"får socialnämnden inte delegera: befogenheten {kept['what']} undantas"
            return kept["provision"], what
    return None


@rule(
    "DELEG-UTSKOTT",
    Severity.ERROR,
    "; ".join((laws.cite("sol-delegering-sol"), laws.cite("sol-delegering-lvu"),
               laws.cite("sol-delegering-skyddat-boende"), laws.cite("sol-delegering-lvm"),
               laws.cite("sol-delegering-fb"), laws.cite("sol-delegering-aldrig"),
               laws.cite("sol-ordforandebeslut"))),
    "Det som socialtjänstlagen förbehåller nämnden eller ett utskott delegeras inte till anställda",
)
def reserved_for_the_committee(spec: Spec) -> Iterator[Finding]:
    """A decision type an employee would take, in a case the law keeps for the nämnd."""
    types = spec.data.get("delegation", {}).get("external", {}).get("decision_types", [])
    for index, decision in enumerate(types):
        ref = decision["legal_ref"]
        if decision.get("decided_by", "anstalld") != "anstalld":
            yield from _chair(decision, f"{TYPES}/{index}")
            continue
        if any(str(ref.get("sfs")) == r.sfs and str(ref.get("section")) == r.section
               for r in RESERVED):
            continue  # KL-FORBEHALLNA-BESLUT says it
        found = _limit(decision) or _named(decision)
        if found is not None:
            provision, how = found
            yield Finding(
                f"{TYPES}/{index}",
                f"{decision['text']} enligt {legal_ref(ref)} {how} ({laws.cite(provision)}), "
                "aldrig till en anställd, inte heller hos den andra parten; ta bort "
                "beslutstypen ur delegeringen eller låt nämnden besluta",
            )


# What a decision type's text says it is, when its provision says otherwise: matters the
# law keeps for the nämnd or its utskott whatever provision the spec gives them.
_KEPT_WORDS = (
    (re.compile(r"\bomedelbart omhändertag\w*|\bansök\w* om vård enligt (?:\d+ § )?"
                r"(?:lagen \(1988:870\)|LVM)\b", re.I), "sol-delegering-lvm"),
    (re.compile(r"\bomedelbart omhändertag\w*|\bansök\w* om vård enligt (?:\d+ § )?"
                r"(?:lagen \(1990:52\)|LVU)\b|\bflyttningsförbud\w*|\butreseförbud\w*"
                r"|\bumgängesbegränsning\w*|\bhemlighållande av vistelseort", re.I),
     "sol-delegering-lvu"),
)
_ADULTS = re.compile(r"\b(?:LVM|1988:870|missbruk\w*|vuxn\w*)\b", re.I)


def _named(decision: Mapping[str, Any]) -> tuple[str, str] | None:
    """(provision, what the law says) for a text that names a kept matter under a
    provision that does not keep it (”omedelbart omhändertagande” under 12 kap. 1 § SoL,
    ”placering i familjehem” under 22 kap. 3 §): the words weigh more than the citation."""
    text = str(decision["text"])
    adults = bool(_ADULTS.search(text))
    for words, provision in _KEPT_WORDS[0 if adults else 1 :]:
        found = words.search(text)
        if found:
            return provision, (
                f"gäller enligt texten ”{found.group(0)}”, ett ärende som socialnämnden bara "
                "får delegera till ett utskott, vad lagrummet än säger"
            )
    kept = kept_in(text)
    if kept is not None:
        said, row = kept
        return row["provision"], (
            f"gäller enligt texten ”{said}” ({row['what']}), ett ärende "
            f"{row.get('how', _UTSKOTT)}, vad lagrummet än säger"
        )
    return None


_UTSKOTT = "som socialnämnden bara får delegera till ett utskott"

# A matter the text leaves out: a negation before it in the same clause (”inte beslut om
# placering”, ”utom placering”), or after it (”placering i jourhem ingår inte”).
_NOT_BEFORE = re.compile(
    r"\b(?:inte|ej|icke|utom|förutom|undantag\w*|exklusive|varken|aldrig|utan)\b[^,]*$", re.I)
_NOT_AFTER = re.compile(
    r"^[^,]{0,30}?\b(?:ingår|omfattas|omfattar|delegeras|får|ska|kan)\s+(?:\w+\s+)?(?:inte|ej)\b"
    r"|^[^,]{0,30}?\bundantas\b", re.I)


def _left_out(clause: str, found: re.Match[str]) -> bool:
    before = clause[max(0, found.start() - 80):found.start()]
    return bool(_NOT_BEFORE.search(before) or _NOT_AFTER.search(clause[found.end():]))


# A clause that gives the matter to an utskott (not one that names the utskott otherwise,
# as in ”när nämndens utskott inte kan sammanträda”).
_TO_UTSKOTT = re.compile(
    r"\b(?:till|åt|av)\s+(?:\w+\s+){0,2}?\w*utskott\w*|\w*utskott\w*\s+(?:beslutar|får "
    r"besluta|fattar|avgör)", re.I)


def kept_in(text: str) -> tuple[str, Mapping[str, Any]] | None:
    """(the words, their row in delegering.yaml's ord) of the first matter the text takes
    in that the law keeps for the nämnd or its utskott; a clause that leaves the matter
    out, or gives it to an utskott, does not count."""
    for clause in clauses_of(text):
        if _TO_UTSKOTT.search(clause):
            continue
        for row in _limits().get("ord", []):
            for found in re.finditer(row["words"], clause, re.I):
                if not _left_out(clause, found):
                    return found.group(0), row
    return None


def _chair(decision: Mapping[str, Any], pointer: str) -> Iterator[Finding]:
    """A decision given to the chair or an appointed ledamot where no law lets them take
    it in the nämnd's place (30 kap. 12 § SoL)."""
    ref = decision["legal_ref"]
    sfs = _sfs(ref)
    chair = _matching("ordforande", sfs) if sfs is not None else None
    kept = _matching("utskott", sfs) if sfs is not None else None
    if chair is None or kept is None or "section" not in ref:
        return
    place = _place(ref)
    if place in kept["places"] and place not in chair["places"]:
        yield Finding(
            pointer,
            f"{decision['text']} enligt {legal_ref(ref)} får socialnämnden delegera bara till "
            f"ett utskott ({laws.cite(kept['provision'])}), och ingen av de bestämmelser som "
            f"{laws.cite(chair['provision'])} hänvisar till låter ordföranden eller en "
            "förordnad ledamot besluta i det; låt nämnden eller ett utskott besluta och ta "
            "bort beslutstypen ur avtalets delegering",
        )


def reserved_said(text: str) -> str | None:
    """What a text that takes in a matter kept for the nämnd or its utskott says of it:
    the words, the matter, the law's limit and the provision; None when it takes in none."""
    kept = kept_in(text)
    if kept is None:
        return None
    said, row = kept
    return (f"”{said}” ({row['what']}), {row.get('how', _UTSKOTT)} "
            f"({laws.cite(row['provision'])})")


@rule(
    "DELEG-UTSKOTT-TEXT",
    Severity.ERROR,
    "; ".join((laws.cite("sol-delegering-sol"), laws.cite("sol-delegering-lvu"),
               laws.cite("sol-delegering-fb"), laws.cite("sol-delegering-aldrig"))),
    "Delegeringens text tar inte med ärenden som bara ett utskott får avgöra",
)
def reserved_in_scope(spec: Spec) -> Iterator[Finding]:
    """The delegation's own words (its scope, or a decision type without a section to
    judge by) name a matter the law lets the nämnd delegate only to an utskott: an
    employee of the other party cannot be given it."""
    external = spec.data.get("delegation", {}).get("external", {})
    if not external.get("used"):
        return
    places = [("/delegation/external/scope", external.get("scope"))]
    places += [(f"{TYPES}/{i}/text", d.get("text")) for i, d in
               enumerate(external.get("decision_types", []))
               if "section" not in d.get("legal_ref", {})]
    for where, text in places:
        said = reserved_said(str(text or ""))
        if said is not None:
            yield Finding(
                where,
                f"texten tar med {said}; ta bort det ur delegeringen, så att ärendet stannar "
                "hos nämnden",
            )


# What a decision decides: the words after ”beslut om/att/enligt”, up to a clause or a
# qualifier (”Beslut om ekonomiskt bistånd, som hemkommunen fattar” → ”ekonomiskt
# bistånd”; ”Beslut om fortsatt skyddat boende efter 30 dygn” → ”fortsatt skyddat boende”).
_DECIDES = re.compile(r"^beslut\w*\s+(?:om|att|enligt|i)\s+(?P<what>[^,;.(]+?)"
                      r"(?=\s+(?:enligt|som|efter|när|då|inom)\b|[,;.(]|$)", re.I)
_DECIDES_IN = re.compile(_DECIDES.pattern.replace("^", r"\b", 1), re.I)


@rule(
    "DELEG-UNDANTAGEN",
    Severity.WARNING,
    "avtal: uppgifterna och delegeringen (tasks.excluded, delegation.external)",
    "Det som inte ingår i samverkan delegeras inte",
)
def excluded_not_delegated(spec: Spec) -> Iterator[Finding]:
    """A decision type the agreement delegates that its own list of what is not included
    names (”Beslut om ekonomiskt bistånd” among tasks.excluded, ”beslut om ekonomiskt
    bistånd till akuta behov” delegated): the agreement says both that the task is
    outside it and that the other party's staff decide it."""
    external = spec.data.get("delegation", {}).get("external", {})
    if not external.get("used"):
        return
    excluded = []
    for task in spec.data.get("tasks", {}).get("excluded", []):
        text = str(task.get("text", "") if isinstance(task, dict) else task)
        # anywhere in the text (”Avtal med familjehemmen och beslut om arvode; …”)
        for named in _DECIDES_IN.finditer(text):
            if len(named.group("what").split()) >= 2:
                excluded.append(named.group("what").strip().casefold())
    for index, decision in enumerate(external.get("decision_types", [])):
        text = str(decision.get("text", "")).strip()
        found = _DECIDES.match(text)
        whole = text[found.start("what"):].casefold() if found else ""
        what = next((x for x in excluded if whole.startswith(x)), None)
        if what is not None:
            yield Finding(
                f"{TYPES}/{index}",
                f"avtalet delegerar beslut om ”{what}”, men räknar det också bland det som "
                "inte ingår i samverkan (tasks.excluded); ta bort beslutstypen eller det som "
                "står i excluded",
            )
