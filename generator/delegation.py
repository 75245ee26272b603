"""Who may empower whom: the delegation model of kommunallagen and socialtjänstlagen.

Fullmäktige may give a nämnd the right to decide in its stead (5 kap. 2 § KL), never an
official. A nämnd (or styrelse) may delegate to its presidium, an utskott, a ledamot, an
ersättare (6 kap. 37 §) or an employee of its own kommun (7 kap. 5 §), and further
delegation goes only through a förvaltningschef (7 kap. 6 §). Within avtalssamverkan it
may commission an employee of the other party in cases within the tasks (9 kap. 37 §
andra stycket), never to amend the agreement on its behalf. No organ may give a power to
a group of officials, such as a joint steering group. Socialtjänstlagen 30 kap. 6–10 §§
keep some cases for an utskott. Every decision point that gives a power is judged here,
and the rules in `rules/delegering.py` report what the model cannot justify.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from . import laws

# The kinds of organ that decide, told from the organ's name.
FULLMAKTIGE, STYRELSE, NAMND = "fullmaktige", "styrelse", "namnd"
# The kinds of holder a power can go to.
GROUP, ORGAN, OFFICIAL, MEMBER = "grupp", "organ", "anstalld", "ledamot"
# What the power is for: to decide cases, or to agree amendments for the party.
CASES, AMEND = "arenden", "andringar"

# A holder that is several people or a body of officials: a steering group, the parties'
# representatives, or a title in the plural ("socialcheferna", "parternas chefer").
_GROUP = re.compile(
    r"grupp|företrädar|\bråd(et)?\b|kommitté|"
    r"\w*(chefer|cheferna|direktörer|direktörerna|ledarna|tjänstemän|tjänstemännen)\b",
    re.IGNORECASE,
)
# A body is a group whatever follows; a title in the plural is each party's own official
# when the phrase says so ("parternas socialchefer, var och en för sin kommun").
_BODY = re.compile(r"grupp|företrädar|\bråd(et)?\b|kommitté", re.IGNORECASE)
_EACH_OWN = re.compile(r"\bvar och en\b|\bvar för sig\b|\bför sin egen del\b", re.IGNORECASE)
_MEMBER = re.compile(
    r"^(vice )?(ordförande|ordföranden|ledamot|ledamoten|ledamöter|ersättare|ersättaren|"
    r"presidiet|\w*utskott\w*)\b",
    re.IGNORECASE,
)
_ORGAN = re.compile(r"\w*(nämnd|nämnden|styrelse|styrelsen|fullmäktige)\b", re.IGNORECASE)
# An elected office anywhere in a title (”ordförande i socialnämnden”, ”kommunalrådet”).
_ELECTED = re.compile(
    r"\b(?:vice |förste |andre )?(?:ordförande\w*|ledamot\w*|ledamöter\w*|ersättare\w*"
    r"|\w*råd(?:et)?|förtroendevald\w*|presidi\w*)\b",
    re.IGNORECASE,
)


def elected(title: str) -> str | None:
    """The words of a title that name an elected office, not an employment, or None."""
    found = _ELECTED.search(title)
    if found is None or found.group(0).lower() in ("råd", "rådet"):
        return None
    return found.group(0)
# Words that point at a party other than the one deciding.
_OTHER_PARTY = re.compile(
    r"samverkande (kommun|region)|motpart|andra part|övriga part|utförande part|"
    r"mottagande (kommun|part)",
    re.IGNORECASE,
)
# A chief who may pass a power on (7 kap. 6 § KL: the förvaltningschef), by the titles a
# förvaltning's head has: förvaltningschef, socialchef, sektorchef, förbundschef, a
# direktör of the förvaltning (socialdirektör, hälso- och sjukvårdsdirektör) or ”chef för
# socialförvaltningen”. Not the head of a unit or a section (enhetschef, avdelningschef,
# verksamhetschef), a staff director (ekonomidirektör, kommundirektör), nor a deputy.
_CHIEF = re.compile(
    r"(?<!biträdande )(?<!ställföreträdande )"
    r"\b(?:(?:förvaltningschef|socialchef|sektorchef|förbundschef"
    r"|(?:social|förvaltnings|sjukvårds|omsorgs|utbildnings|förbunds)direktör)(?:en)?"
    r"|chef (?:för|vid|på) (?:[\wåäöÅÄÖ-]+ )*?[\wåäöÅÄÖ-]*förvaltning\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Holder:
    """Who a power goes to: the words, the kind, and another party it names (if any)."""

    text: str
    kind: str
    other_party: str | None = None


@dataclass(frozen=True)
class Verdict:
    """Whether a grant is lawful, and the provision that decides it."""

    ok: bool
    provision: str
    reason: str


def organ_kind(name: str, *, council: str | None = None, organ_id: str = "") -> str:
    """fullmaktige, styrelse or namnd, from the organ's name (or the party's council id)."""
    lowered = name.lower()
    if "fullmäktige" in lowered or (council is not None and organ_id == council):
        return FULLMAKTIGE
    if lowered.endswith("styrelsen") or lowered.endswith("styrelse"):
        return STYRELSE
    return NAMND


@cache
def _word_start(name: str) -> re.Pattern[str]:
    """A name where a word begins (compiled once: a hub has hundreds of party names,
    more than the re module keeps)."""
    return re.compile(rf"\b{re.escape(name)}")


@cache
def _names(name: str) -> tuple[str, ...]:
    """The forms of a party's name a phrase may use (once per name: a hub's phrases are
    each compared with hundreds of parties)."""
    stem = name.split()[0]
    stems = {name, stem, stem.rstrip("s")} if len(stem) > 3 else {name}
    return tuple(sorted(stems, key=len, reverse=True))


@lru_cache(maxsize=1024)
def _named_in(part: str, names: tuple[str, ...]) -> tuple[int, ...]:
    """The places of the parties whose name (or its first word) the phrase uses where a
    word begins; found once for a phrase among the same parties (a hub asks it for each
    of its hundreds of counterparties)."""
    return tuple(
        index for index, name in enumerate(names)
        if any(n in part and _word_start(n).search(part) for n in _names(name))
    )


_LINKING = re.compile(r"^(?:(?:och|samt|eller)\s+)?(?:åt\s+)?", re.IGNORECASE)


def holders(
    text: str, *, own: Mapping[str, Any], parties: Sequence[Mapping[str, Any]]
) -> tuple[Holder, ...]:
    """The holders a phrase names ("socialchefen", "styrgruppen", "X och Y"), judged
    from the deciding party `own` among `parties`."""
    phrase = text.strip().rstrip(".").strip()
    if _GROUP.search(phrase):  # a group, unless each party's own official is meant
        each_own = _EACH_OWN.search(phrase) and not _BODY.search(phrase)
        return (Holder(phrase, OFFICIAL if each_own else GROUP),)
    parts: list[str] = []
    for part in re.split(r"\s+och\s+|,\s*", phrase):
        part = _LINKING.sub("", part)  # ”ordföranden, och åt vice ordföranden”
        if parts and parts[-1].endswith("-"):  # Hälso- och sjukvårdsnämnden is one organ
            parts[-1] = f"{parts[-1]} och {part}"
        elif part:
            parts.append(part)
    names = tuple(str(party["name"]) for party in parties)
    return tuple(_holder(part, own=own, parties=parties, names=names) for part in parts)


def _holder(
    part: str,
    *,
    own: Mapping[str, Any],
    parties: Sequence[Mapping[str, Any]],
    names: tuple[str, ...],
) -> Holder:
    other = None
    if _OTHER_PARTY.search(part):
        other = "annan part"
    own_id = own["id"]  # read whatever the phrase names (the sentence rests on it)
    for index in _named_in(part, names):
        if parties[index]["id"] != own_id:
            other = names[index]
    if _MEMBER.search(part):
        kind = MEMBER
    elif _ORGAN.search(part):
        kind = ORGAN
    else:
        kind = OFFICIAL
    return Holder(part, kind, other)


def judge(grantor: str, holder: Holder, *, purpose: str = CASES, external: bool = False) -> Verdict:
    """May an organ of kind `grantor` give `holder` the power to decide for `purpose`?
    `external`: the holder is the other party's employee commissioned under the agreement
    (9 kap. 37 § andra stycket KL, only for cases within the tasks)."""
    base = "delegering-fullmaktige" if grantor == FULLMAKTIGE else "delegering-namnd"
    if holder.kind == GROUP:
        return Verdict(False, base, "en grupp kan inte få beslutanderätt")
    if grantor == FULLMAKTIGE:
        if holder.kind == ORGAN and holder.other_party is None:
            return Verdict(True, base, "")
        return Verdict(False, base, "fullmäktige kan bara uppdra åt en nämnd att besluta")
    if holder.other_party is not None:
        if external and purpose == CASES and holder.kind == OFFICIAL:
            return Verdict(True, "extern-delegering", "")
        if holder.kind == ORGAN:
            return Verdict(
                False,
                "extern-delegering",
                "ett organ hos en annan part kan inte få beslutanderätt; bara en anställd "
                "hos den andra parten kan få den, genom avtalets externa delegering "
                "(delegation.external), och ska en annan kommuns eller regions nämnd "
                "besluta krävs en gemensam nämnd som fullmäktige beslutar om "
                f"({laws.cite('gemensam-namnd')})",
            )
        if purpose == CASES:
            return Verdict(
                False,
                "extern-delegering",
                "en anställd hos en annan part kan få beslutanderätt bara genom avtalets "
                "externa delegering (delegation.external) och bara i ärenden inom "
                "avtalets uppgifter",
            )
        return Verdict(
            False,
            "extern-delegering",
            "en anställd hos en annan part kan bara få beslutanderätt i ärenden inom "
            "uppgifterna i avtalet, inte rätt att ändra avtalet för parten",
        )
    if holder.kind == MEMBER:
        return Verdict(True, "delegering-namnd", "")
    if holder.kind == OFFICIAL:
        return Verdict(True, "delegering-anstalld", "")
    return Verdict(False, base, "en nämnd kan inte delegera till ett annat organ")


# The laws whose decisions are the socialnämnd's, and so a kommun's (4 kap. 1 § SoL): a
# region has no such decision to delegate.
MUNICIPAL_LAWS = frozenset({"2025:400", "1990:52", "1988:870", "1949:381", "2024:79"})


def holds(party_type: Any, legal_ref: Mapping[str, Any]) -> bool:
    """Whether a party of the type can hold a decision under the provision: a region
    holds none under socialtjänstlagen, LVU, LVM or föräldrabalken."""
    return not (party_type == "region" and str(legal_ref.get("sfs", "")) in MUNICIPAL_LAWS)


def allows_further_delegation(external: Mapping[str, Any]) -> bool:
    """Whether the agreement lets decisions be passed on, in general or for one type."""
    return external.get("further_delegation") is True or any(
        t.get("further_delegation") is True for t in external.get("decision_types", [])
    )


def may_pass_on(title: str) -> bool:
    """A holder who may delegate further (7 kap. 6 § KL): a förvaltningschef."""
    return bool(_CHIEF.search(title))


# --------------------------------------------------------------------------- free text

# A decision point that gives a power: "X ger Y rätt att", "X uppdrar åt Y att",
# "Y bemyndigas att", "Y får i uppdrag att", "Y får rätt att".
_GIVES = re.compile(r"^.+? (?:ger|uppdrar åt) (?P<holder>.+?) (?:rätt )?att ", re.IGNORECASE)
_GETS = re.compile(
    r"^(?P<holder>.+?) (?:bemyndigas|får i uppdrag|får rätt|ges rätt) att ", re.IGNORECASE
)
# "Y får besluta om …", "Y delegeras rätten att", "X delegerar till Y att".
_MAY = re.compile(r"^(?P<holder>.+?) (?:får (?:själv )?besluta|får fatta beslut)\b", re.I)
_DELEGATES = re.compile(r"^.+? delegerar (?:\w+ )*?till (?P<holder>.+?) att ", re.IGNORECASE)
# A condition on another organ's decision ("under förutsättning att fullmäktige godkänner").
_CONDITION = re.compile(
    r"under förutsättning att [^.]*\b(?:godkänner|godkänt|beslutar|beslutat|antar|antagit)\b",
    re.IGNORECASE,
)
# Deciding a matter a nämnd keeps (6 kap. 38 § 1 KL: verksamhetens mål, inriktning,
# omfattning eller kvalitet): ”besluta om mål och inriktning för jouren”.
_OWN_MATTER = re.compile(
    r"\b(?:besluta|fastställa|ändra|bestämma)\w*(?: om)?(?: [\wåäöÅÄÖ-]+){0,3}? "
    r"(?P<matter>mål(?:en)?|inriktning\w*|omfattning\w*|kvalitet\w*)\b",
    re.IGNORECASE,
)
# An organ as the one that signs (”nämnden godkänner avtalet och undertecknar det”): a
# person signs, whom the organ empowers.
_ORGAN_SIGNS = re.compile(
    r"^(?:[\wåäöÅÄÖ-]+ och )?[\wåäöÅÄÖ-]*(?:nämnd|styrelse|fullmäktige)\w*"
    r"(?: [\wåäöÅÄÖ-]+)? (?:undertecknar|godkänner [^.]*? och undertecknar)\b",
    re.IGNORECASE,
)
# Urgent decisions (6 kap. 39 § KL) let go unreported: those the nämnd must hear of.
_UNREPORTED = re.compile(
    r"\butan att [^.,;]*\banmäl\w*|\banmäls inte\b|\binte (?:ska )?anmälas\b|"
    r"\bbehöver inte anmälas\b", re.IGNORECASE)
_URGENT = re.compile(r"\b(?:brådskande|ordförande\w*|ledamot\w*)\b", re.IGNORECASE)
# The power of 6 kap. 39 § KL, which a nämnd gives only its chair or a member it names.
_URGENT_POWER = re.compile(
    r"\bså brådskande att (?:nämndens|styrelsens|organets) avgörande inte kan avvaktas"
    r"|\bbrådskande (?:ärenden|beslut) (?:som|när) (?:nämnden|styrelsen) inte hinner", re.I)
# Naming the members who decide an urgent LVU or LVM matter (6 § LVU, 13 § LVM): the
# nämnd's own act.
_APPOINTS_MEMBERS = re.compile(
    r"\b(?:förordna\w*|utse\w*)\b[^.;]{0,60}?\bledam\w*[^.;]*?"
    r"(?:\bLVU\b|\bLVM\b|1990:52|1988:870|omhändertag\w*)", re.I)
# A point that sends the matter, or part of it, on to fullmäktige for approval.
_REFERRAL = re.compile(
    r"\b(?:överlämnas|lämnas över|hänskjuts)\b[^.]*\bfullmäktige"
    r"|fullmäktige\b[^.]*\bför godkännande",
    re.IGNORECASE,
)


def granted(point: str) -> str | None:
    """The holder a free-text decision point gives a power to, if it gives one."""
    for pattern in (_GIVES, _GETS, _DELEGATES, _MAY):
        match = pattern.match(point.strip())
        if match:
            return match.group("holder")
    return None


# The same matters in the words of a change (”utöka hemmet till tolv platser”, ”ändra
# målgruppen”), and framställningar or yttranden to fullmäktige (6 kap. 38 § 2 KL).
_OWN_MATTERS = (
    _OWN_MATTER,
    re.compile(
        r"\b(?:utök\w*|utvidg\w*|minsk\w*|begräns\w*|ändr\w*|fler|färre)\b[^.]{0,40}?"
        r"\b(?P<matter>(?:\w+ )?platser|platsantal\w*|målgrupp\w*)"
        r"|\b(?P<matter2>ta emot även(?: [\wåäö–-]+){1,3})"
        # the tasks themselves, widened or cut (not the routines for them)
        r"|\b(?:utöka|utvidga|minska|begränsa)\s+(?P<matter3>(?:de|nya|fler|avtalets)\s+"
        r"uppgift(?:er|erna)\b(?!\s+om\b))",
        re.IGNORECASE,
    ),
    # a yttrande where the nämnd's own decision (or fullmäktige's) is appealed
    re.compile(r"\b(?P<matter>yttra\w*(?: sig)?\b[^.]{0,80}?\böverklag\w*)", re.IGNORECASE),
    re.compile(
        r"\b(?:lämna\w*|avge\w*|avlämna\w*|göra|besluta\w* om|skicka\w*)\b[^.]{0,20}?"
        r"\b(?P<matter>(?:yttrande|yttranden|framställning\w*)\b[^.]{0,30}?\btill "
        r"\w*fullmäktige)",
        re.IGNORECASE,
    ),
)


# A power passed on again (”med rätt att i sin tur uppdra åt …”), which only a
# förvaltningschef may be given (7 kap. 6 § KL).
_PASSED_ON = re.compile(
    r"\bi sin tur (?:uppdra|delegera)\w*|\brätt att (?:vidare)?delegera\w*|"
    r"\bvidaredelegera\w*", re.IGNORECASE)
# A decision on another organ's behalf (”på socialnämndens vägnar”).
_ON_BEHALF = re.compile(r"\bpå (?P<organ>[\wåäöÅÄÖ-]*(?:nämnd|styrelse)\w*) vägnar\b",
                        re.IGNORECASE)
# A gemensam nämnd made by an organ's own decision, not proposed to fullmäktige.
_JOINT_BOARD = re.compile(r"\bgemensam\w* nämnd\w*", re.IGNORECASE)
_PROPOSES = re.compile(r"\bföreslå\w*|\bhemställ\w*", re.IGNORECASE)


def passes_on(point: str) -> bool:
    """The point lets its holder pass the power on to someone else."""
    return _PASSED_ON.search(point) is not None


def on_behalf_of(point: str) -> str | None:
    """The organ a point lets its holder decide for, when it names one (”på
    socialnämndens vägnar”), as written."""
    found = _ON_BEHALF.search(point)
    return found.group("organ") if found else None


def makes_joint_board(point: str) -> bool:
    """The organ decides itself, not proposes, that a nämnd becomes gemensam."""
    return bool(_JOINT_BOARD.search(point)) and not _PROPOSES.search(point)


def urgent_power(point: str) -> bool:
    """The point gives the power to decide what cannot wait for the nämnd (6 kap. 39 § KL)."""
    return _URGENT_POWER.search(point) is not None


def appoints_members(point: str) -> bool:
    """The point lets its holder name the members who decide urgent LVU or LVM matters."""
    return _APPOINTS_MEMBERS.search(point) is not None


def own_matter(point: str) -> str | None:
    """The words of a point that gives away a matter the nämnd keeps: the activity's mål,
    inriktning, omfattning or kvalitet, or what it says to fullmäktige (6 kap. 38 § 1–2 KL)."""
    if granted(point) is None:
        return None
    for pattern in _OWN_MATTERS:
        found = pattern.search(point)
        if found:
            return next(g for g in found.groups() if g)
    return None


# A point in which the organ itself decides on its budget frame, a tax rate or an extra
# grant: fullmäktige's (5 kap. 1 § 2 KL); the organ may propose it.
_COUNCIL_MONEY = re.compile(
    r"\b(?:beslutar|fastställer)\b(?:(?!föresl|begär|hemställ|ansök)[^.;]){0,60}?"
    r"\b(?P<matter>budgetram\w*|skattesats\w*|kommunalskatt\w*|tilläggsanslag\w*)",
    re.IGNORECASE,
)


# The same said of the frame itself (”Nämndens budgetram för 2027 utökas med 2 500 000
# kronor”), in a point that proposes or asks for nothing.
_FRAME_CHANGED = re.compile(
    r"\b(?P<matter>budgetram\w*|kommunbidrag\w*)\b[^.;]{0,60}?"
    r"\b(?:utökas|ökas|höjs|minskas|sänks|ändras|justeras)\b"
    r"|\b(?:utökar|ökar|höjer|sänker|minskar)\s+(?:\w+\s+){0,2}?(?P<own>budgetram\w*)",
    re.IGNORECASE,
)
# A point that proposes or asks, notes what fullmäktige decided, or keeps the frame.
_ASKS = re.compile(r"föresl|begär|hemställ|ansök|äska|fullmäktige|\binte\b|\bej\b", re.IGNORECASE)


def council_money(point: str) -> str | None:
    """The words of a point in which an organ decides on a budget frame, a tax or an
    extra grant itself: fullmäktige decides budget and tax (5 kap. 1 § 2 KL)."""
    found = _COUNCIL_MONEY.search(point)
    if found:
        return found["matter"]
    changed = None if _ASKS.search(point) else _FRAME_CHANGED.search(point)
    return (changed["matter"] or changed["own"]) if changed else None


def organ_signs(point: str) -> bool:
    """A point in which an organ itself signs the agreement."""
    return bool(_ORGAN_SIGNS.search(point.strip()))


def unreported(point: str) -> bool:
    """A point that lets urgent decisions go unreported to the nämnd (the nämnd decides
    itself how other delegated decisions are reported, 6 kap. 40 § and 7 kap. 8 § KL)."""
    return bool(_UNREPORTED.search(point) and _URGENT.search(point))


def conditional(point: str) -> bool:
    """A point that makes the decision depend on another organ's decision."""
    return bool(_CONDITION.search(point))


def referred(point: str) -> bool:
    """A point that leaves the agreement, or part of it, to fullmäktige to approve."""
    return bool(_REFERRAL.search(point))


def tasked(point: str) -> str | None:
    """Who a point gives a task ("Socialförvaltningen får i uppdrag att …"), or None."""
    match = _GETS.match(point.strip())
    return match.group("holder") if match and "får i uppdrag" in point else None


def commissions_organ(point: str) -> bool:
    """A point that gives another organ a task ("X-nämnden får i uppdrag att")."""
    match = _GETS.match(point.strip())
    return bool(match and _ORGAN.search(match.group("holder")) and "uppdrag" in point)


def step_kind(step: Any, party: Mapping[str, Any]) -> str:
    """The kind of organ a step of a party's decision path is."""
    council = party.get("competence", {}).get("council")
    return organ_kind(step.name, council=council, organ_id=step.organ)


def lawful(
    text: str,
    *,
    grantor: str,
    own: Mapping[str, Any],
    parties: Sequence[Mapping[str, Any]],
    purpose: str = CASES,
) -> bool:
    """True when every holder the phrase names may get the power from the grantor."""
    found = holders(text, own=own, parties=parties)
    return bool(found) and all(judge(grantor, h, purpose=purpose).ok for h in found)


def refusals(
    text: str,
    *,
    grantor: str,
    own: Mapping[str, Any],
    parties: Sequence[Mapping[str, Any]],
    purpose: str = CASES,
) -> list[tuple[Holder, Verdict]]:
    """The holders of a phrase the grantor may not empower, with the verdict."""
    found = holders(text, own=own, parties=parties)
    judged = [(h, judge(grantor, h, purpose=purpose)) for h in found]
    return [(h, v) for h, v in judged if not v.ok]
