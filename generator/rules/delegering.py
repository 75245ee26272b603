"""Rules on decision powers: every power a decision point gives must be one the
delegation model (generator/delegation.py) can justify. A spec that asks for another is
an error naming the provision, and the documents leave the point out."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .. import delegation as dm
from .. import laws
from ..errors import Severity
from ..load import Spec, walk
from ..model import PRINCIPAL_ROLES, decision_blocks, decision_path
from ..render import genitive, join_and
from .prosa import _NEGATION as _NEGATED
from .prosa import clauses_of, own_texts
from .registry import ALL_KINDS, Finding, rule
from .utskott import reserved_said

KL_5_2 = laws.cite("delegering-fullmaktige")
KL_6_37 = laws.cite("delegering-namnd")
KL_7_5 = laws.cite("delegering-anstalld")
KL_9_37 = laws.cite("extern-delegering")
SOURCE = f"{KL_5_2}; {KL_6_37}"
STEERING = "/follow_up/steering_group/powers"


def _blocks(spec: Spec) -> Iterator[tuple[int, Mapping[str, Any], str, Mapping[str, Any], str]]:
    """(party index, party, pointer of the block, block, kind of its last organ)."""
    for index, party in enumerate(spec.data["parties"]):
        for where, block in decision_blocks(party):
            steps = decision_path(block, party["organs"])
            yield index, party, f"/parties/{index}/{where}", block, dm.step_kind(steps[-1], party)


def _points(block: Mapping[str, Any], at: str) -> Iterator[tuple[str, str, bool]]:
    """Each point written in a block, and whether the first organ decides it for its own
    part (`own`) rather than the last organ in its decision on the agreement."""
    written = block.get("decision_points", {})
    for group in ("replace", "add", "own"):
        for i, point in enumerate(written.get(group, [])):
            yield f"{at}/decision_points/{group}/{i}", str(point), group == "own"


def _why(verdict: dm.Verdict) -> str:
    return f"{verdict.reason} ({laws.cite(verdict.provision)})"


@rule(
    "DELEG-GRUPP",
    Severity.ERROR,
    SOURCE,
    "Ingen beslutanderätt till en grupp, som styrgruppen",
    kinds=ALL_KINDS,
)
def powers_to_a_group(spec: Spec) -> Iterator[Finding]:
    """A group of officials (the steering group, the parties' chiefs) never decides for a
    party: neither fullmäktige nor a nämnd may delegate to one."""
    powers = spec.data.get("follow_up", {}).get("steering_group", {}).get("powers", [])
    for i, power in enumerate(powers):
        yield Finding(
            f"{STEERING}/{i}",
            f"styrgruppen kan inte få rätt att {str(power).rstrip('.')} för parterna: "
            f"fullmäktige uppdrar bara åt en nämnd ({KL_5_2}) och en nämnd delegerar bara till "
            f"presidiet, ett utskott, en ledamot, en ersättare eller en anställd ({KL_6_37}). "
            "Skriv det som en uppgift under tasks (”föreslå …”) och låt varje part besluta "
            "själv eller genom sin egen befattningshavare (decision.minor_amendments_by)",
        )
    minor = spec.data.get("amendments", {}).get("minor_approved_by")
    if minor is not None and any(h.kind == dm.GROUP for h in _holders(minor, spec)):
        yield Finding(
            "/amendments/minor_approved_by",
            f"”{minor}” är en grupp och kan inte besluta om ändringar för en part ({KL_6_37}); "
            "skriv t.ex. ”parterna gemensamt, var och en genom den befattningshavare som "
            "parten har utsett” och ange under varje parts decision.minor_amendments_by "
            "partens egen befattningshavare, t.ex. socialchefen",
        )


# A task that decides ("Besluta om …", "Fastställa …"), and prose in which the steering
# group decides or approves.
_DECIDING_TASK = re.compile(r"^(?:ta fram och )?(?:besluta|fastställa|godkänna)\b", re.I)
# A joint body of the parties' officials or representatives, which no law lets decide for
# a party (a nämnd's presidium is no such body: 6 kap. 37 § KL names it). The steering
# group decides nothing; another body (”den politiska samverkansberedningen”) is read as
# deciding only on the agreement itself, its changes or its money, since ”fastställer
# inriktningen” for the county's cooperation is a direction, not a decision for a party.
_STEERING = r"styrgrupp\w*"
_BODY = (r"(?:\w*beredning(?:en)?|ledningsgrupp\w*|arbetsgrupp\w*|samverkansgrupp\w*"
         r"|samverkansråd\w*)")
_DECIDES = r"(?:beslutar|fastställer|godkänner)"
_GROUP_DECIDES = re.compile(
    rf"\b{_STEERING}(?P<between>[^.;]{{0,120}}?)\s{_DECIDES}\b"
    rf"|\b{_DECIDES}\s+(?:den\s+gemensamma\s+)?{_STEERING}"
    rf"|\b(?:beslutas|fastställs|godkänns)\s+av\s+(?:den\s+gemensamma\s+)?{_STEERING}"
    r"|\bstyrgruppens\s+godkännande",
    re.I,
)
_BODY_DECIDES = re.compile(
    rf"\b{_BODY}(?P<between>[^.;]{{0,120}}?)\s{_DECIDES}\s(?P<object>[^.;]{{0,80}})", re.I
)
_AGREEMENT_MATTER = re.compile(
    r"ändring\w*|överenskommelse\w*|avtal\w*|kostnad\w*|fördelning\w*|budget\w*"
    r"|ersättning\w*|andel\w*|pris\w*",
    re.I,
)
# Words between the body and the verb that make someone else the one who decides.
_OTHER_DECIDER = re.compile(
    r"nämnd\w*|styrelse\w*|fullmäktige|parterna|\bvarje part|respektive|\bsom\b", re.I
)


# The body's deciding denied (”godkänner inte”), or another decider after the verb
# (”därefter beslutar nämnderna”).
_NOT_THE_BODY = re.compile(
    r"^\s*(?:inte|ej|aldrig)\b|^\s*(?:\w*nämnd\w*|parterna|respektive|varje|\w*styrelse\w*)",
    re.I,
)


def _group_decides(text: str) -> re.Match[str] | None:
    """The first place where a joint body decides for the parties."""
    found = list(_GROUP_DECIDES.finditer(text))
    found += [m for m in _BODY_DECIDES.finditer(text) if _AGREEMENT_MATTER.search(m["object"])]
    for match in sorted(found, key=lambda m: m.start()):
        between = match["between"] or ""
        if _OTHER_DECIDER.search(between) or re.search(r"\b(?:inte|ej)\b", between, re.I):
            continue
        if _NOT_THE_BODY.search(text[match.end():]) or "därefter" in between.lower():
            continue
        return match
    return None


@rule(
    "DELEG-STYRGRUPP-TEXT",
    Severity.WARNING,
    SOURCE,
    "Texten låter inte styrgruppen besluta för parterna",
    kinds=ALL_KINDS,
)
def steering_group_decides_in_text(spec: Spec) -> Iterator[Finding]:
    """A steering group's task, or a sentence anywhere in the agreement, that has the group
    decide or approve: a group of officials cannot decide for a party, so the text
    promises what nobody may give."""
    tasks = spec.data.get("follow_up", {}).get("steering_group", {}).get("tasks", [])
    for i, task in enumerate(tasks):
        if _DECIDING_TASK.match(str(task).strip()):
            yield Finding(
                f"/follow_up/steering_group/tasks/{i}",
                f"styrgruppen ska enligt texten ”{str(task).rstrip('.')}”, men den kan inte "
                f"besluta för parterna ({KL_6_37}); skriv vad den föreslår (”Föreslå …, som "
                "varje part beslutar om för sin del”)",
            )
    for where, text in walk(spec.data):
        if where.startswith("/follow_up/steering_group/tasks/") or not isinstance(text, str):
            continue
        found = _group_decides(text)
        if found:
            yield Finding(
                where,
                f"texten säger ”{found.group(0)}”, men en gemensam grupp kan inte besluta "
                f"eller godkänna något för parterna ({KL_6_37}); skriv vad den föreslår och vem "
                "hos varje part som beslutar",
            )


# A minor change that touches what a party pays, and a stated limit to it.
_COST = re.compile(r"\b(?:\w*kostnad\w*|avgift\w*|ersättning\w*|pris\w*|budget\w*|belopp\w*"
                   r"|fördelning\w* efter|fördelningsmodell\w*|fördelningsnyckel\w*)",
                   re.I)
_LIMIT = re.compile(r"\d|\b(?:högst|tak|maximalt|upp till)\b", re.I)
_INDEX = re.compile(r"\w*index\w*", re.I)


@rule(
    "DELEG-MINDRE-KOSTNAD",
    Severity.WARNING,
    f"jfr {laws.cite('ej-delegering')}; {KL_7_5}",
    "En mindre ändring som ändrar kostnaden har ett tak",
    kinds=ALL_KINDS,
)
def minor_change_without_a_limit(spec: Spec) -> Iterator[Finding]:
    """A minor change that can change what a party pays, with no limit stated: the
    officials who agree to minor changes could raise each party's cost without end."""
    economics = spec.data.get("economics", {})
    indexed = "price_adjustment" in economics or "indexation" in economics.get("model", {})
    for i, change in enumerate(spec.data.get("amendments", {}).get("minor", [])):
        text = str(change.get("text", "") if isinstance(change, Mapping) else change)
        cost = _COST.search(text)
        agreed = indexed and _INDEX.search(text)  # applies the index the parties agreed on
        if cost and not _LIMIT.search(text) and not agreed:
            yield Finding(
                f"/amendments/minor/{i}",
                f"den mindre ändringen ”{text.rstrip('.')}” kan ändra vad en part betalar "
                f"(”{cost.group(0)}”), men texten anger inget tak; skriv taket (t.ex. ”om "
                "ingen parts kostnad ökar med mer än 5 procent”) eller låt sådana ändringar "
                "beslutas som väsentliga",
            )


def _holders(text: str, spec: Spec) -> tuple[dm.Holder, ...]:
    parties = spec.data["parties"]
    return dm.holders(text, own=parties[0], parties=parties)


@rule(
    "DELEG-ANNAN-PART",
    Severity.ERROR,
    SOURCE,
    "Ingen beslutanderätt till en annan parts tjänsteman att ändra avtalet för parten",
    kinds=ALL_KINDS,
)
def powers_to_another_party(spec: Spec) -> Iterator[Finding]:
    """A party's official decides for that party only; another party's employee may get
    only cases within the tasks (extern delegering), never the agreement itself."""
    parties: Sequence[Mapping[str, Any]] = spec.data["parties"]
    minor = spec.data.get("amendments", {}).get("minor_approved_by")
    if minor is not None:
        for party in parties:
            found = [h for h in dm.holders(minor, own=party, parties=parties) if h.other_party]
            if found and found[0].kind != dm.GROUP:
                yield Finding(
                    "/amendments/minor_approved_by",
                    f"”{minor}” ger {found[0].other_party}s tjänsteman rätt att ändra avtalet "
                    f"för {party['name']} ({KL_9_37} gäller bara ärenden inom uppgifterna); "
                    "låt varje part ange sin egen befattningshavare under "
                    "decision.minor_amendments_by",
                )
                break
    for _, party, at, block, kind in _blocks(spec):
        for field, purpose in (
            ("minor_amendments_by", dm.AMEND),
            ("measures_authority", dm.CASES),
            ("signing_authority", dm.CASES),
        ):
            if field not in block or kind == dm.FULLMAKTIGE:
                continue
            for holder, verdict in dm.refusals(
                block[field], grantor=kind, own=party, parties=parties, purpose=purpose
            ):
                yield Finding(
                    f"{at}/{field}",
                    f"{party['name']} kan inte ge ”{holder.text}” den rätten: {_why(verdict)}; "
                    "skriv en befattningshavare hos parten själv, t.ex. socialchefen",
                )
            other = _other_organ(str(block[field]), block, party)
            if other:
                yield Finding(
                    f"{at}/{field}",
                    f"”{block[field]}” hör till {other.lower()}, inte till organet som "
                    f"beslutar här; ett organ ger bara sina egna ledamöter och anställda "
                    f"befogenheter ({KL_6_37}); skriv t.ex. organets egen ordförande",
                )


def _other_organ(text: str, block: Mapping[str, Any], party: Mapping[str, Any]) -> str | None:
    """The name of another organ of the party, not on the block's decision path, that a
    member phrase belongs to ("ordföranden i socialnämnden" in the utbildningsnämnd's
    block)."""
    own = {step.organ for step in decision_path(block, party["organs"])}
    for organ in party.get("organs", []):
        name = str(organ["name"])
        if organ["id"] not in own and re.search(rf"\bi {re.escape(name.lower())}\b", text.lower()):
            return name
    return None


@rule(
    "DELEG-FRITEXT",
    Severity.ERROR,
    f"{SOURCE}; {laws.cite('ej-delegering')}; {laws.cite('anmalan-bradskande')}; "
    f"{laws.cite('bradskande-beslut')}; {laws.cite('lvu-ordforandebeslut')}; "
    f"{laws.cite('gemensam-namnd')}; {laws.cite('sol-delegering-sol')}; "
    f"{laws.cite('vidaredelegering')}; {laws.cite('delegering-anstalld')}",
    "Egna beslutspunkter ger bara befogenheter som lagen tillåter",
    kinds=ALL_KINDS,
)
def free_text_points(spec: Spec) -> Iterator[Finding]:
    """A point written in the spec is judged like a generated one: no power to a group,
    to another party's official, or from fullmäktige to anyone but a nämnd; fullmäktige
    does not make its decision depend on a nämnd; a styrelse or nämnd does not give
    another nämnd a task."""
    parties = spec.data["parties"]
    for _, party, at, block, kind in _blocks(spec):
        path = decision_path(block, party["organs"])
        first = path[0]
        first_kind = dm.step_kind(first, party)
        for pointer, point, own in _points(block, at):
            judged = kind if not own else first_kind
            organ = str((first if own else path[-1]).name)
            for finding in _judge_point(pointer, point, kind=judged, party=party,
                                        parties=parties, organ=organ):
                if judged != first_kind:  # a point of the last organ the first may mean
                    finding = Finding(
                        finding.pointer,
                        f"{finding.message}; är punkten {genitive(first.name.lower())} eget "
                        "beslut, skriv den under decision_points.own",
                    )
                yield finding


# A point that decides a matter of socialtjänst: care under LVU or LVM, a placement, an
# intake for care, a matter under socialtjänstlagen.
_CARE_MATTER = re.compile(
    r"\bLVU\b|\bLVM\b|lagen \((?:1990:52|1988:870)\)|socialtjänstlagen|vårdas med stöd|"
    r"\bomhändertag\w*|\bplacering\w*|\bplacera\w*", re.I)
# What an organ's name, responsibility or area says when it fulfils socialtjänst tasks.
_SOCIAL_AREA = re.compile(
    r"social|individ- och familjeomsorg|familjeomsorg|\bIFO\b|missbruk|beroende|omsorg|"
    r"\bvård\b|\bLVU\b|\bLVM\b|ekonomiskt bistånd|försörjningsstöd", re.I)


@rule(
    "BESLUT-OMRADE",
    Severity.WARNING,
    laws.cite("socialnamnd"),
    "Ett organ som beslutar i socialtjänstens frågor har dem som sitt område",
    kinds=ALL_KINDS,
)
def care_decided_outside_the_area(spec: Spec) -> Iterator[Finding]:
    """A nämnd decides a matter of socialtjänst (care under LVU, a placement) only if
    fullmäktige gave it the socialnämnd's tasks: a utbildningsnämnd whose area is the
    schooling decided that the home takes in young people cared for under LVU."""
    for _, party, at, block, _ in _blocks(spec):
        if party.get("type") != "kommun":
            continue
        steps = decision_path(block, party["organs"])
        organs = {str(o["id"]): o for o in party["organs"]}
        for pointer, point, own in _points(block, at):
            step = steps[0] if own else steps[-1]
            organ = organs.get(step.organ, {})
            said = " ".join((step.name, str(organ.get("responsibility", "")),
                             str(block.get("area", "")) if own else ""))
            matter = _CARE_MATTER.search(point)
            if (matter is None or _SOCIAL_AREA.search(said)
                    or dm.step_kind(step, party) == dm.FULLMAKTIGE):
                continue
            yield Finding(
                pointer,
                f"{step.name} beslutar här i en fråga inom socialtjänsten (”{matter.group(0)}”), "
                "men varken organets namn, dess ansvar i partsfilen eller dess område nämner "
                "socialtjänsten; fullmäktige bestämmer vilken nämnd som fullgör de uppgifterna. "
                "Låt den nämnden besluta om det, eller skriv i partsfilen (responsibility) att "
                "fullmäktige har gett organet dem",
            )


_TO_DECIDE = re.compile(r"^\s*att\s+(?:[\wåäö]+\s+){0,4}?(?:besluta|fatta\s+beslut|avgöra)\b",
                        re.I)


def _decides(point: str, holder: str) -> bool:
    """The power given is one to decide (”uppdrar åt X att … besluta”), not to prepare
    (”att ta fram ett förslag”)."""
    at = point.find(holder)
    return at >= 0 and _TO_DECIDE.match(point[at + len(holder):]) is not None


def _power_of_others(pointer: str, point: str, holder: str, *, organ: str) -> Iterator[Finding]:
    """A power to decide on another organ's behalf (an organ delegates only what is its
    own to decide, 6 kap. 37 § and 7 kap. 5 § KL), and a power passed on again by a
    holder who is no förvaltningschef (7 kap. 6 § KL)."""
    other = dm.on_behalf_of(point)
    if other is not None and organ and not _same_organ(other.removesuffix("s"), organ):
        yield Finding(
            pointer,
            f"punkten låter ”{holder}” besluta på {other} vägnar, men ett organ kan bara "
            "uppdra åt någon att besluta på sina egna vägnar "
            f"({laws.cite('delegering-namnd')}; {laws.cite('delegering-anstalld')}); låt "
            "det organ som äger frågan besluta om delegeringen, eller stryk punkten",
        )
    if dm.passes_on(point) and not dm.may_pass_on(holder):
        yield Finding(
            pointer,
            f"punkten låter ”{holder}” delegera vidare, men bara en förvaltningschef kan få "
            f"rätt att uppdra åt en annan anställd att besluta ({laws.cite('vidaredelegering')}); "
            "ge beslutanderätten direkt åt dem som ska besluta, eller åt förvaltningschefen",
        )


def _chair_powers(
    pointer: str, point: str, holder: str, *, party: Mapping[str, Any],
    parties: Sequence[Mapping[str, Any]],
) -> Iterator[Finding]:
    """Powers the law gives the nämnd's chair or members alone: to decide what cannot
    wait for the nämnd (6 kap. 39 § KL), and to be named by the nämnd itself for urgent
    LVU and LVM decisions (6 § LVU, 13 § LVM)."""
    urgent, appoints = dm.urgent_power(point), dm.appoints_members(point)
    if not (urgent or appoints) or all(
            h.kind == dm.MEMBER for h in dm.holders(holder, own=party, parties=parties)):
        return  # the holder is read only where a chair's power is given
    if urgent:
        yield Finding(
            pointer,
            f"punkten ger ”{holder}” rätt att besluta i ärenden som är så brådskande att "
            "nämndens avgörande inte kan avvaktas, men den rätten kan nämnden bara ge "
            f"ordföranden eller en annan ledamot som den har utsett "
            f"({laws.cite('bradskande-beslut')}); skriv ordföranden eller en ledamot, eller "
            "ge en anställd rätt att besluta i en viss grupp av ärenden",
        )
    if appoints:
        yield Finding(
            pointer,
            f"punkten låter ”{holder}” förordna de ledamöter som får besluta om omedelbart "
            "omhändertagande, men dem förordnar nämnden själv "
            f"({laws.cite('lvu-ordforandebeslut')}; {laws.cite('lvm-ordforandebeslut')}); "
            "låt nämnden förordna ledamöterna i sitt eget beslut (decision.urgent_appointment)",
        )


def _judge_point(
    pointer: str,
    point: str,
    *,
    kind: str,
    party: Mapping[str, Any],
    parties: Sequence[Mapping[str, Any]],
    organ: str = "",
) -> Iterator[Finding]:
    if dm.conditional(point):
        yield Finding(
            pointer,
            "ett beslut görs inte beroende av att ett annat organ godkänner avtalet; "
            "ge i stället organet ett uppdrag (decision.commissions) eller låt det besluta "
            "för sin del i ett eget beslutsunderlag under decisions",
        )
    if kind != dm.FULLMAKTIGE and dm.referred(point):
        yield Finding(
            pointer,
            "organet beslutar själv i ärendet och kan inte samtidigt lämna avtalet, eller en "
            "del av det, till fullmäktige för godkännande; ska fullmäktige besluta, skriv "
            "fullmäktige sist i decision.path (då föreslår organet och fullmäktige beslutar), "
            "annars stryk punkten",
        )
    money = dm.council_money(point) if kind != dm.FULLMAKTIGE else None
    if money:
        yield Finding(
            pointer,
            f"organet beslutar här själv om ”{money}”, men budget, skatt och andra viktiga "
            f"ekonomiska frågor beslutar fullmäktige ({laws.cite('fullmaktige-budget')}); "
            "skriv att organet föreslår fullmäktige det, eller stryk punkten",
        )
    yield from _acts_of_others(pointer, point, party=party, parties=parties)
    if kind != dm.FULLMAKTIGE and dm.makes_joint_board(point):
        yield Finding(
            pointer,
            "punkten låter organet självt besluta om en gemensam nämnd, men det gör "
            f"fullmäktige ({laws.cite('gemensam-namnd')}); skriv att organet föreslår "
            "fullmäktige det, eller stryk punkten",
        )
    holder = dm.granted(point)
    if holder is None:
        return
    yield from _power_of_others(pointer, point, holder, organ=organ)
    kept = dm.own_matter(point)
    if kind != dm.FULLMAKTIGE and kept:
        yield Finding(
            pointer,
            f"punkten lämnar över beslut om ”{kept}”, som organet inte får delegera "
            f"({laws.cite('ej-delegering')}); besluta om det i organet självt, eller stryk "
            "punkten",
        )
    yield from _chair_powers(pointer, point, holder, party=party, parties=parties)
    if dm.unreported(point):
        yield Finding(
            pointer,
            "punkten låter beslut fattas utan att de anmäls till nämnden; beslut i "
            f"brådskande ärenden ska anmälas vid nästa sammanträde "
            f"({laws.cite('anmalan-bradskande')}), och nämnden bestämmer hur andra beslut "
            "anmäls; stryk undantaget från anmälan",
        )
    if kind != dm.FULLMAKTIGE and dm.commissions_organ(point):
        yield Finding(
            pointer,
            f"en {'styrelse' if kind == dm.STYRELSE else 'nämnd'} kan inte ge ”{holder}” ett "
            f"uppdrag; det kan bara fullmäktige ({KL_5_2}). Skriv ”{holder} uppmanas att …”, "
            "eller använd decision.commissions",
        )
        return
    reserved = None if "utskott" in holder.lower() or not _decides(point, holder) else (
        reserved_said(point))
    if reserved is not None:  # the law's own limit says more than who the holder is
        yield Finding(pointer, f"punkten ger ”{holder}” beslut om {reserved}; ge "
                               "beslutanderätten åt nämndens utskott, eller stryk punkten")
        return
    for found, verdict in dm.refusals(holder, grantor=kind, own=party, parties=parties):
        yield Finding(pointer, f"punkten ger ”{found.text}” en befogenhet: {_why(verdict)}")


def _acts_of_others(
    pointer: str, point: str, *, party: Mapping[str, Any], parties: Sequence[Mapping[str, Any]]
) -> Iterator[Finding]:
    """A point that signs in an organ's name, or decides what another party does."""
    if dm.organ_signs(point):
        yield Finding(
            pointer,
            "ett organ undertecknar inte avtalet; det gör den som organet bemyndigar, så "
            "skriv den under signing_authority och stryk undertecknandet ur punkten",
        )
    for other in parties:
        if other["id"] == party["id"]:
            continue
        name = re.escape(str(other["name"]))
        # The other party as the subject of what the organ decides, or the one for whom
        # it enters or approves (”beslutar att Sjöby kommun ska betala”, ”ingår avtalet
        # för Lövsta kommuns räkning”).
        if re.search(rf"(?:^|\bbeslutar(?: om)? att ){name}(?:s (?:[\wåäö-]+ ){{0,3}}?"
                     rf"[\wåäö-]*(?:nämnd|styrelse)\w*)? ska\b"
                     rf"|\b(?:ingår|godkänner|beslutar)\b[^.]*\bför {name}s (?:räkning|del)\b",
                     point, re.IGNORECASE):
            yield Finding(
                pointer,
                f"punkten beslutar vad {other['name']} ska göra, men ett organ beslutar bara "
                f"för sin egen kommun eller region; det som binder {other['name']} är avtalet, "
                f"som {other['name']} antar i sitt eget beslut. Stryk punkten",
            )


_OFFICIALS = re.compile(r"\b\w*(?:chef|direktör)(?:en|er|erna)?\b|\btjänstem[aä]n\w*"
                        r"|\b\w*(?:styr|lednings|samverkans|arbets|berednings|projekt)grupp\w*"
                        r"|\bsamordnar\w*|\bförvaltning(?:en|arna)?\b", re.I)
# A part of the text that says who does not decide (”utan att avtalet går tillbaka till
# nämnderna”): an organ named there is no organ that approves.
_DENIED = re.compile(r"\b(?:utan\s+att|inte|ej)\b[^.,;]*", re.I)
_ORGANS = re.compile(r"nämnd|styrelse|fullmäktige|direktion|\borgan", re.I)
_COUNCIL = re.compile(r"fullmäktige|\borgan", re.I)
_BOARD_OR_NAMND = re.compile(r"nämnd|styrelse", re.I)


@rule(
    "DELEG-VASENTLIG",
    Severity.WARNING,
    f"{laws.cite('ej-delegering')}; {KL_5_2}",
    "Väsentliga ändringar godkänns av organen som antar avtalet, inte av tjänstemän",
    kinds=ALL_KINDS,
)
def material_changes_by_organs(spec: Spec) -> Iterator[Finding]:
    """Material changes (price, scope) left to officials: a matter of the activity's
    omfattning or kvalitet, which the organ may not delegate. Left to the nämnder where a
    party's fullmäktige enters the agreement: the change is as weighty as the agreement
    was, and what fullmäktige must decide it does not delegate (5 kap. 2 § KL)."""
    where = "/amendments/material_approved_by"
    text = str(spec.data.get("amendments", {}).get("material_approved_by", ""))
    found = _OFFICIALS.search(text)
    if found and not _ORGANS.search(_DENIED.sub("", text)):
        yield Finding(
            where,
            f"väsentliga ändringar godkänns enligt texten av ”{found.group(0)}”, men en "
            "ändring av avtalets omfattning eller villkor beslutas av de organ som antog "
            f"avtalet, som inte får delegera ärenden om verksamhetens omfattning eller "
            f"kvalitet ({laws.cite('ej-delegering')}); skriv t.ex. ”de organ som har "
            "beslutat om avtalet för respektive part”",
        )
    if not _COUNCIL.search(text) and _BOARD_OR_NAMND.search(text):
        councils = [p["name"] for p in spec.data["parties"] if enters_by_council(p)]
        if councils:
            yield Finding(
                where,
                f"väsentliga ändringar beslutas enligt texten av ”{text.strip()}”, men för "
                f"{join_and(councils)} beslutar fullmäktige om avtalet; en väsentlig ändring "
                "av det är lika viktig, och det fullmäktige ska avgöra får det inte "
                f"uppdra åt en nämnd ({KL_5_2}); skriv t.ex. ”de organ som har beslutat "
                "om avtalet för respektive part”",
            )


def enters_by_council(party: Mapping[str, Any]) -> bool:
    """The party's first decision block (the one entering the agreement) ends in
    fullmäktige."""
    blocks = decision_blocks(party)
    if not blocks:
        return False
    steps = decision_path(blocks[0][1], party["organs"])
    return bool(steps) and dm.step_kind(steps[-1], party) == dm.FULLMAKTIGE


@rule(
    "DELEG-MINDRE",
    Severity.WARNING,
    f"{KL_7_5}; {KL_5_2}",
    "Varje part anger vem som får komma överens om mindre ändringar för den",
    kinds=ALL_KINDS,
)
def minor_changes_holder(spec: Spec) -> Iterator[Finding]:
    """Minor changes need, in each party, someone that party has empowered."""
    amendments = spec.data.get("amendments", {})
    if "minor" not in amendments and "minor_approved_by" not in amendments:
        return
    for index, party in enumerate(spec.data["parties"]):
        for where, block in decision_blocks(party):
            steps = decision_path(block, party["organs"])
            under_council = len(steps) > 1 and dm.step_kind(steps[-1], party) == dm.FULLMAKTIGE
            if "minor_amendments_by" in block or under_council:
                continue  # under fullmäktige the first nämnd gets the right (5 kap. 2 §)
            yield Finding(
                f"/parties/{index}/{where}",
                f"avtalet tillåter mindre ändringar, men {party['name']} har inte angett vem "
                "hos parten som får komma överens om dem; skriv minor_amendments_by (t.ex. "
                "socialchefen), annars beslutar organet själv om varje ändring och "
                "beslutsförslaget saknar den punkten",
            )


@rule(
    "DELEG-VIDARE",
    Severity.WARNING,
    f"{laws.cite('vidaredelegering')}; {KL_9_37}",
    "Vidaredelegering går bara genom en förvaltningschef",
)
def further_delegation_through_a_chief(spec: Spec) -> Iterator[Finding]:
    """Further delegation needs a förvaltningschef among the delegates to pass it on."""
    external = spec.data.get("delegation", {}).get("external", {})
    delegates = external.get("delegates")
    if not dm.allows_further_delegation(external) or delegates is None:
        return
    if isinstance(delegates, str):
        yield Finding(
            "/delegation/external/delegates",
            "vidaredelegering tillåts, men delegaterna står som en mening, så ingen "
            "förvaltningschef kan få rätt att delegera vidare "
            f"({laws.cite('vidaredelegering')}) och besluten får ingen sådan punkt; skriv "
            "delegates som en lista med title, party och employment och ta med chefen",
        )
        return
    if not any(dm.may_pass_on(d["title"]) for d in delegates if d["employment"] == "anstalld"):
        yield Finding(
            "/delegation/external/further_delegation",
            "vidaredelegering tillåts, men ingen av delegaterna är förvaltningschef; bara en "
            f"förvaltningschef kan få rätt att delegera vidare ({laws.cite('vidaredelegering')}). "
            "Lägg till chefen bland delegates, eller skriv further_delegation: false",
        )




# A decision taken for another party (”beslutar socialjouren för den samverkande
# kommunens räkning att inte inleda utredning”): its organ's, or its staff's by extern
# delegering; ”på nämndens vägnar” is the chair's own (6 kap. 39 § KL) and not meant.
_FOR_ANOTHER = re.compile(
    r"\bbeslut\w*\b[^.;]{0,80}?\b(?:för|på)\s+(?:den\s+|de\s+)?"
    r"(?:(?P<other>samverkande|andra|övriga|uppdragsgivande|beställande|berörda)\s+)?"
    r"(?P<whose>\w*(?:kommunens|kommunernas|stads|regionens|partens|parternas))\s+"
    r"(?:räkning|vägnar)\b",
    re.I,
)
# Whose cases they are: another party's only where the words say so (”den samverkande
# kommunens”, ”hemkommunens”, ”den andra partens”), not ”kommunens” or ”den egna”.
_ANOTHERS = re.compile(r"^(?:hemkommun|part|kommunern|regionern)", re.I)


@rule(
    "DELEG-UTAN-EXTERN",
    Severity.ERROR,
    KL_9_37,
    "Ingen beslutar för en annan parts räkning utan extern delegering",
    kinds=ALL_KINDS,
)
def deciding_for_another_without_delegation(spec: Spec) -> Iterator[Finding]:
    """A text in which a party or its staff decides for another party, where the agreement
    uses no extern delegering (delegation.external.used is not true): only the other
    party's nämnd, or its delegate by extern delegering, may decide its cases."""
    if spec.data.get("delegation", {}).get("external", {}).get("used") is True:
        return
    for where, text in own_texts(spec):
        found = next((m for clause in clauses_of(text)
                      for m in [_FOR_ANOTHER.search(clause)]
                      if m and (m["other"] or _ANOTHERS.match(m["whose"]))
                      and not _NEGATED.search(clause[:m.end()])), None)
        if found is not None:
            yield Finding(
                where,
                f"texten låter någon besluta för {found['whose']} räkning, men avtalet har "
                "ingen extern delegering (delegation.external.used är inte true); beslut i en "
                "annan parts ärenden fattar den partens nämnd, eller en anställd som nämnden "
                "uppdrar det åt enligt avtalet. Skriv delegeringen, eller låt texten säga att "
                "ärendet lämnas över",
            )


@rule(
    "DELEG-TYP-DELEGAT",
    Severity.ERROR,
    KL_9_37,
    "Ett beslut som bara vissa befattningar får fatta ges åt delegater som avtalet har",
)
def type_delegates_known(spec: Spec) -> Iterator[Finding]:
    """decision_types[].delegates: every title one of delegation.external.delegates', the
    delegates given as a list, the decision one that employees take; otherwise the
    nämnd's decision would give the power to someone the agreement does not name."""
    external = spec.data.get("delegation", {}).get("external", {})
    delegates = external.get("delegates")
    for index, kind in enumerate(external.get("decision_types", [])):
        at = f"/delegation/external/decision_types/{index}/delegates"
        if "delegates" not in kind:
            continue
        if kind.get("decided_by", "anstalld") != "anstalld":
            yield Finding(at, f"{kind['text']} fattas av ordföranden eller en förordnad ledamot, "
                              "inte av anställda; stryk delegates här")
        elif not isinstance(delegates, list):
            yield Finding(at, "delegaterna står som en mening, så inget beslut kan ges åt några "
                              "av dem; skriv delegation.external.delegates som en lista med "
                              "title, party och employment")
        else:
            titles = [str(d["title"]) for d in delegates]
            for n, title in enumerate(kind["delegates"]):
                if title not in titles:
                    yield Finding(f"{at}/{n}", f"”{title}” är inte en av delegaterna; skriv "
                                               f"titeln som i delegates: {join_and(titles)}")


# A decision that only some of the delegates may take, said only in words (”som bara
# enhetschefen får fatta”): the nämnd's decision would give it to all of them.
_ONLY = r"\b(?:bara|endast|enbart)\s+(?:\w+\s+){0,2}?"


@rule(
    "DELEG-TYP-DELEGAT-TEXT",
    Severity.WARNING,
    KL_9_37,
    "Ett beslut som texten ger bara vissa delegater står med dem i decision_types",
)
def type_delegates_in_words(spec: Spec) -> Iterator[Finding]:
    """The scope or a decision type that says only one of the delegates may take a
    decision, where no decision type names its delegates: the table of the agreement and
    the nämnd's decision then give every decision to every delegate."""
    external = spec.data.get("delegation", {}).get("external", {})
    delegates, kinds = external.get("delegates"), external.get("decision_types", [])
    if not isinstance(delegates, list) or len(delegates) < 2:
        return
    if any("delegates" in k for k in kinds):
        return
    heads = {str(d["title"]).split()[0].casefold(): str(d["title"]) for d in delegates}
    places = [("/delegation/external/scope", external.get("scope", ""))]
    places += [(f"/delegation/external/decision_types/{n}/text", k["text"])
               for n, k in enumerate(kinds)]
    for where, text in places:
        for clause in re.split(r"[.;]\s", str(text)):
            head = next((h for h in heads
                         if re.search(rf"{_ONLY}{re.escape(h)}\w*", clause, re.I)), None)
            if head is not None:
                yield Finding(where, f"texten ger ett beslut bara åt {heads[head]}, men "
                                     "decision_types säger inte vem som får fatta det, så "
                                     "nämndens beslut ger det åt alla delegater; skriv "
                                     f"delegates: [{heads[head]}] på den beslutstypen")
                break


@rule(
    "DELEG-REGION-SOCIALTJANST",
    Severity.ERROR,
    f"{laws.cite('kommunens-socialtjanst')}; {laws.cite('extern-delegering')}",
    "En region delegerar inga beslut enligt socialtjänstlagen, LVU, LVM eller föräldrabalken",
)
def region_delegates_social_services(spec: Spec) -> Iterator[Finding]:
    """A region's decision that names decision types under the social services laws among
    its own (decision.decision_types): those decisions are the kommun's socialnämnd's, and
    a nämnd can delegate only decisions it holds."""
    kinds = {k["id"]: k for k in
             spec.data.get("delegation", {}).get("external", {}).get("decision_types", [])}
    for index, party in enumerate(spec.data["parties"]):
        if party.get("type") != "region":
            continue
        for where, block in decision_blocks(party):
            foreign = [kinds[i]["text"] for i in block.get("decision_types", [])
                       if i in kinds and not dm.holds("region", kinds[i]["legal_ref"])]
            if foreign:
                yield Finding(
                    f"/parties/{index}/{where}/decision_types",
                    f"{party['name']} är en region, men "
                    f"{join_and(str(t).rstrip('.') for t in foreign)} fattas av socialnämnden "
                    "i kommunen, och en nämnd kan bara delegera beslut som den själv har; ta "
                    "bort dem ur regionens decision_types",
                )


# A decision type that reconsiders or changes decisions already taken (omprövning,
# ändring, upphävande, återkallelse).
_RECONSIDERS = re.compile(r"\bompröv\w*|\bändr\w*\s+(?:av\s+)?(?:ett\s+)?(?:beslut|bistånd)\w*"
                          r"|\bupphäv\w*|\båterkall\w*|\bbesluts?ändring\w*", re.I)
# A reconsidering kept to the delegate's own decisions (”som delegaten själv har fattat”).
_OWN_DECISIONS = re.compile(r"\bsjälv\b|\begna\s+beslut|\beget\s+beslut"
                            r"|\bsom\s+(?:delegaten|hen|han\s+eller\s+hon)\s+(?:har\s+)?fatta\w*"
                            r"|\bfår\s+fatta\b", re.I)


@rule(
    "DELEG-OMPROVNING",
    Severity.WARNING,
    KL_9_37,
    "Den som får ompröva ett beslut får också fatta det",
)
def reconsidering_wider_than_deciding(spec: Spec) -> Iterator[Finding]:
    """A decision type that reconsiders decisions, given to every delegate (or to others
    than those named), beside a type that only some delegates may take: the one who may
    not take the decision could change it by reconsidering it, a power wider than the
    agreement gives."""
    kinds = spec.data.get("delegation", {}).get("external", {}).get("decision_types", [])
    restricted = [k for k in kinds if k.get("delegates")]
    for n, kind in enumerate(kinds):
        text = str(kind.get("text", ""))
        if not _RECONSIDERS.search(text) or _OWN_DECISIONS.search(text):
            continue
        mine = set(kind.get("delegates") or ())
        wider = [k for k in restricted if k is not kind
                 and (not mine or not mine <= set(k["delegates"]))]
        if wider:
            who = "andra delegater" if mine else "alla delegater"
            yield Finding(
                f"/delegation/external/decision_types/{n}",
                f"”{text.rstrip('.')}” får fattas av {who}, men "
                f"”{str(wider[0]['text']).rstrip('.')}” får bara fattas av "
                f"{join_and(wider[0]['delegates'])}: den som inte får fatta beslutet kan då "
                "ändra det genom att ompröva det; ge omprövningen samma delegater, eller skriv "
                "att den bara gäller beslut som delegaten själv får fatta",
            )
            return


@rule(
    "DELEG-FORORDNANDE",
    Severity.WARNING,
    "; ".join(
        (laws.cite("lvu-ordforandebeslut"), laws.cite("lvm-ordforandebeslut"),
         laws.cite("bradskande-beslut"))
    ),
    "Nämnden förordnar ledamöterna som fattar brådskande beslut",
    kinds=ALL_KINDS,
)
def urgent_members_appointed(spec: Spec) -> Iterator[Finding]:
    """When urgent decisions rest on the chair or an appointed ledamot, each kommun whose
    cases they are appoints the ledamöter (or states its appointment in force)."""
    urgent = spec.data.get("delegation", {}).get("urgent_decisions", {})
    if urgent.get("by") != "ordforande_eller_ledamot":
        return
    for index, party in enumerate(spec.data["parties"]):
        blocks = decision_blocks(party)
        if not blocks or party.get("type") != "kommun":
            continue
        if not any(r in PRINCIPAL_ROLES for r in party["roles"]):
            continue
        where, block = blocks[0]
        if "urgent_appointment" not in block:
            yield Finding(
                f"/parties/{index}/{where}",
                f"avtalet bygger på att ordföranden eller en förordnad ledamot fattar brådskande "
                f"beslut, men {party['name']} förordnar ingen; skriv urgent_appointment med "
                "members (ledamöterna) eller existing (nämndens gällande förordnande)",
            )


# An employee's title in a list of ledamöter (”socialchefen Sara Holm”).
OFFICIAL = re.compile(
    r"\b\w*(?:chef(?:en)?|direktör(?:en)?|sekreterare(?:n)?|handläggare(?:n)?|tjänstem[aä]n\w*"
    r"|anställd\w*|samordnare(?:n)?|utredare(?:n)?|jurist(?:en)?|controller(?:n)?)\b",
    re.I,
)


_DEPUTY = re.compile(r"\bersättare\w*", re.I)
_LEDAMOT = re.compile(r"\b(?:ledamot\w*|ledamöter\w*|ordförande\w*)", re.I)


@rule(
    "DELEG-FORORDNANDE-LEDAMOT",
    Severity.ERROR,
    "; ".join((laws.cite("lvu-ordforandebeslut"), laws.cite("lvm-ordforandebeslut"))),
    "Bara ledamöter förordnas för brådskande beslut",
    kinds=ALL_KINDS,
)
def urgent_members_are_members(spec: Spec) -> Iterator[Finding]:
    """An appointment for urgent decisions that names an employee: only the chair or
    another ledamot of the nämnd may be appointed, so the decision point could not be
    lawfully adopted."""
    for at, _, member, appointer in _appointed(spec):
        office = _OTHER_OFFICE.match(member.strip())
        if office and not _same_organ(office["organ"], appointer):
            yield Finding(
                at,
                f"förordnandet nämner ”{member}”, men bara {appointer.lower()}s ordförande eller "
                f"en annan av dess ledamöter kan förordnas att fatta brådskande beslut; "
                f"”{office.group(0)}” är ett uppdrag i ett annat organ. Skriv en ledamot av "
                "nämnden",
            )
            continue
        deputy = _DEPUTY.search(member)
        if deputy and not _LEDAMOT.search(member):
            yield Finding(
                at,
                f"förordnandet nämner ”{member}”, men bara nämndens ordförande eller en annan "
                "ledamot kan förordnas att fatta brådskande beslut; en ersättare "
                f"(”{deputy.group(0)}”) är inte ledamot. Skriv en ledamot",
            )
            continue
        found = OFFICIAL.search(member)
        if found:
            yield Finding(
                at,
                f"förordnandet nämner ”{member}”, men bara nämndens ordförande eller en annan "
                "ledamot kan förordnas att fatta brådskande beslut; en anställd "
                f"({found.group(0)}) kan inte det. Skriv en ledamot",
            )


# An appointee named by an office in an organ (”kommunstyrelsens ordförande”).
_OTHER_OFFICE = re.compile(
    r"(?P<organ>[\wåäöÅÄÖ-]*(?:styrelse|nämnd|fullmäktige)\w*?)s (?:vice |förste |andre )?"
    r"(?:ordförande|ledamot|ledamöter)\b", re.IGNORECASE)


def _same_organ(said: str, name: str) -> bool:
    """”socialnämnden” (or ”socialnämnd”) names the organ ”Socialnämnden”."""
    def stem(text: str) -> str:
        text = text.casefold().split()[-1] if text.split() else ""
        return text[:-2] if text.endswith(("en", "et")) else text
    return stem(said) == stem(name) or said.casefold() in ("nämnd", "nämnden")


def _appointed(spec: Spec) -> Iterator[tuple[str, Mapping[str, Any], str, str]]:
    """Each member an urgent appointment names: its pointer, its party, its words and the
    name of the nämnd that appoints."""
    for index, party in enumerate(spec.data["parties"]):
        for where, block in decision_blocks(party):
            members = block.get("urgent_appointment", {}).get("members", [])
            at = f"/parties/{index}/{where}/urgent_appointment/members"
            appointer = decision_path(block, party["organs"])[0].name
            if isinstance(members, str):
                yield at, party, members, appointer
            else:
                yield from ((f"{at}/{n}", party, str(m), appointer)
                           for n, m in enumerate(members))


@rule(
    "DELEG-FORORDNANDE-PART",
    Severity.WARNING,
    "; ".join((laws.cite("lvu-ordforandebeslut"), laws.cite("lvm-ordforandebeslut"))),
    "Nämnden förordnar sina egna ledamöter, inte en annan parts företrädare",
    kinds=ALL_KINDS,
)
def urgent_members_are_own(spec: Spec) -> Iterator[Finding]:
    """An appointment for urgent decisions naming a person the spec gives another party
    (its signatory, contact or case officer): a nämnd appoints only its own ledamöter, so
    the name is most often copied from the other party (or two people share a name)."""
    people = _people(spec)
    for at, party, member, _ in _appointed(spec):
        other = next((owner for name, owner in people.items()
                      if owner != party["name"] and name in member), None)
        if other is not None:
            yield Finding(
                at,
                f"förordnandet nämner ”{member}”, som avtalet har som företrädare för {other}; "
                f"en nämnd förordnar bara sina egna ledamöter. Skriv en ledamot i "
                f"{genitive(party['name'])} nämnd (är det en annan person med samma namn, "
                "låt det stå)",
            )


def _people(spec: Spec) -> dict[str, str]:
    """The name of every person the spec gives a party (signatories, contacts, case
    officers), with the party's name."""
    found: dict[str, str] = {}
    for party in spec.data["parties"]:
        people = [*party.get("signatories", []), *party.get("contacts", [])]
        people += [b.get("case_officer", {}) for _, b in decision_blocks(party)]
        for person in people:
            name = str(person.get("name", "")).strip()
            if len(name.split()) >= 2:
                found.setdefault(name, party["name"])
    return found


KL_6_2 = laws.cite("namndernas-omraden")


@rule(
    "DELEG-STYRELSE",
    Severity.WARNING,
    f"{KL_7_5}; {KL_6_2}",
    "Styrelsen delegerar inte beslut som hör till en nämnds område",
)
def board_for_a_namnd(spec: Spec) -> Iterator[Finding]:
    """The styrelse delegating the cooperation's decisions while the party has a nämnd of
    its own among its organs: a nämnd delegates only its own (7 kap. 5 § KL), and the
    decisions are most often that nämnd's (where a reglemente gives them to the
    styrelse, rule_exceptions says so)."""
    for party, blocks in _delegating_blocks(spec):
        namnder = [str(o["name"]) for o in party["organs"]
                   if dm.organ_kind(str(o["name"]), organ_id=str(o["id"])) == dm.NAMND]
        if not namnder or len(blocks) != 1:
            continue
        at, block = blocks[0]
        first = decision_path(block, party["organs"])[0]
        if dm.step_kind(first, party) == dm.STYRELSE:
            yield Finding(
                f"{at}/organ",
                f"{first.name} beslutar och delegerar beslut enligt avtalet, men "
                f"{party['name']} har {join_and(n.lower() for n in namnder)} bland sina "
                "organ; en nämnd delegerar bara beslut inom sitt eget område, så låt den "
                "nämnd som har beslutstyperna besluta (eller skriv decisions med den)",
            )


def _delegating_blocks(
    spec: Spec,
) -> Iterator[tuple[Mapping[str, Any], list[tuple[str, Mapping[str, Any]]]]]:
    """(party, its blocks whose first organ is a nämnd, with their pointers) for each
    party whose own decisions the agreement's coded extern delegering covers."""
    external = spec.data.get("delegation", {}).get("external", {})
    if not external.get("used") or not external.get("decision_types"):
        return
    for index, party in enumerate(spec.data["parties"]):
        if not set(party["roles"]) & set(PRINCIPAL_ROLES):
            continue
        blocks = [
            (f"/parties/{index}/{where}", block)
            for where, block in decision_blocks(party)
            if dm.step_kind(decision_path(block, party["organs"])[0], party) != dm.FULLMAKTIGE
        ]
        yield party, blocks


@rule(
    "DELEG-ORGAN-TYPER",
    Severity.ERROR,
    f"{KL_7_5}; {KL_6_2}",
    "Varje nämnd delegerar bara beslut inom sitt eget område",
)
def own_decision_types(spec: Spec) -> Iterator[Finding]:
    """A party that decides in several nämnder: each delegates only the decision types of
    its own area (decision.decision_types), and each type belongs to one of them."""
    coded = [t["id"] for t in spec.data.get("delegation", {}).get("external", {}).get(
        "decision_types", [])]
    for party, blocks in _delegating_blocks(spec):
        owner: dict[str, str] = {}
        for at, block in blocks:
            organ = decision_path(block, party["organs"])[0].name
            listed = block.get("decision_types")
            if listed is None and len(blocks) > 1:
                yield Finding(
                    f"{at}/organ",
                    f"{party['name']} beslutar genom flera nämnder, och en nämnd kan bara "
                    f"delegera beslut inom sitt eget område; skriv under "
                    f"decision_types id:n för de beslutstyper som hör till {organ.lower()} "
                    f"(av: {', '.join(coded)})",
                )
            for i, type_id in enumerate(listed or []):
                if type_id not in coded:
                    yield Finding(
                        f"{at}/decision_types/{i}",
                        f"beslutstypen ”{type_id}” finns inte i "
                        f"delegation.external.decision_types; skriv en av: {', '.join(coded)}",
                    )
                elif type_id in owner:
                    yield Finding(
                        f"{at}/decision_types/{i}",
                        f"beslutstypen ”{type_id}” hör redan till {owner[type_id].lower()}; "
                        "ett beslut hör till en nämnds område, så bara en av dem kan "
                        "delegera det: ta bort det ur den andra, eller dela beslutstypen i "
                        "två (en för varje nämnds område) när den rör båda",
                    )
                else:
                    owner[type_id] = organ
