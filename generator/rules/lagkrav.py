"""Rules on what the law itself says, against a text that says otherwise: a time limit
the law sets, a consent the law requires, a task the law gives to another principal.

Each rule reads every text of the agreement and of the staff reports, sentence by
sentence, and names the provision (laws.yaml, quoted from ../shared/law/) it departs
from. A sentence that names the lawful way (the nämnd's own decision, the region's
part) is spared.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from .. import laws
from ..errors import Severity
from ..load import Spec
from .prosa import (
    _NEGATION,
    AT_ONCE,
    COUNT,
    clauses_of,
    lvu_step_decided_by_another,
    near,
    own_texts,
    sentences_of,
)
from .registry import ALL_KINDS, Finding, rule
from .tal import _NUMBER, _value

_T = TypeVar("_T")


def _first_said(spec: Spec, find: Callable[[str], _T | None]) -> Iterator[tuple[str, _T]]:
    """Each of the spec's own texts in which `find` finds something in a sentence, with
    what it finds in the first such sentence."""
    for where, text in own_texts(spec):
        found = next((f for sentence in sentences_of(text) if (f := find(sentence)) is not None),
                     None)
        if found is not None:
            yield where, found


# ------------------------------------------------------------------ time limits

_ORDINALS = {"andra": 2, "tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6, "sjunde": 7,
             "åttonde": 8, "nionde": 9, "tionde": 10, "tolfte": 12}
_DAYS = {"dag": 1, "dygn": 1, "veck": 7, "månad": 30, "halvår": 183, "år": 365}
_UNIT = r"(?P<unit>dag(?:ar)?|dygn|veck(?:a|or)|månad(?:er)?|halvår(?:et)?|år)"
# A time to act within (”inom sex månader”), or how often (”en gång per år”, ”var
# tolfte månad”, ”årligen”).
WITHIN = re.compile(
    rf"\b(?:inom|på|senast inom)\s+{_NUMBER}\s+{_UNIT}\b", re.I)
EVERY = re.compile(
    rf"\b(?:var|vart|varje)\s+(?P<nth>{'|'.join(_ORDINALS)})\s+{_UNIT}\b"
    r"|\b(?:en gång (?:per|om) år(?:et)?|varje år|årligen)\b"
    r"|\b(?P<half>halvårsvis|en gång (?:per|om|i) halvår(?:et)?|varje halvår)\b", re.I)
# How long something may last (”högst tolv månader”, ”i upp till ett år”).
LONGEST = re.compile(
    rf"\b(?:högst|längst|maximalt|i upp till|upp till)\s+{_NUMBER}\s+{_UNIT}\b", re.I)


@dataclass(frozen=True)
class Limit:
    """A time limit of the law: the sentences it concerns (all of `topics`), the law the
    words just before the time must name (`law`), the longest time or interval in days,
    what kind of time it is (`kind`: within, every or longest), and the provision."""

    topics: tuple[re.Pattern[str], ...]
    days: int
    provision: str
    law: re.Pattern[str] | None = None
    kind: str = "within"
    unless: re.Pattern[str] | None = None


_LVM = re.compile(r"\bLVM\b|1988:870|lagen om vård av missbrukare", re.I)
_LVU = re.compile(r"\bLVU\b|1990:52|lagen med särskilda bestämmelser om vård av unga", re.I)
_SUBMITTED = re.compile(r"\bunderställ\w*", re.I)
_APPLIES = re.compile(r"\bansök\w*", re.I)
_TAKEN = re.compile(r"\bomhändertag\w*", re.I)
_CONSIDERED = re.compile(r"\böverv[äa]g\w*|\bompröv\w*|\bpröva\w*|\bprövar\b", re.I)
_CARE = re.compile(r"\bvård\w*", re.I)
_CHILD = re.compile(r"\bbarn\w*|\bunga\b|\bungdom\w*|\bden unge\b", re.I)
# Whether a child's care is still needed (22 kap. 13 § SoL), not the agreement's own review.
_CARE_NEEDED = re.compile(r"\bvård\w*[^.;]{0,40}?\bövervägs\b|\böverv[äa]g\w*[^.;]{0,40}?\bvård\w*"
                          r"|\bom\s+(?:\w+\s+){0,3}?vården\s+(?:\w+\s+)?behövs", re.I)
# A decision granting an insats not carried out (”som inte har kunnat verkställas”), and
# the report of it to IVO (34 kap. 1 § SoL): the time limit here, the duty in plikter.
UNEXECUTED = re.compile(r"\b(?:inte|ej)\s+(?:har\s+)?(?:kunnat\s+)?(?:verkställ\w*|genomför\w*)"
                        r"|\bej\s+verkställd\w*|\bbristande\s+verkställighet", re.I)
TO_IVO = re.compile(r"\bIVO\b|\bInspektionen\s+för\s+vård\s+och\s+omsorg\b|\brevisor\w*", re.I)
_UNEXECUTED = (re.compile(r"\brapporter\w*|\banmäl\w*", re.I), UNEXECUTED, TO_IVO)
LIMITS = (
    Limit((re.compile(r"\bförhandsbedömning\w*", re.I),), 14, "sol-forhandsbedomning"),
    Limit((re.compile(r"\butredning\w*", re.I), _CHILD), 120, "sol-utredningstid",
          unless=re.compile(r"\bförhandsbedömning\w*|\bförläng\w*", re.I)),
    Limit((_SUBMITTED,), 1, "lvm-understallning", _LVM),
    Limit((_SUBMITTED,), 7, "lvu-understallning", _LVU),
    Limit((_APPLIES, _TAKEN), 7, "lvm-ansokan-efter-omhandertagande", _LVM),
    Limit((_APPLIES, _TAKEN), 28, "lvu-ansokan-efter-omhandertagande", _LVU),
    Limit((_CONSIDERED, _CARE), 183, "lvu-overvagande", _LVU, kind="every"),
    Limit((_CARE_NEEDED, _CHILD), 183, "sol-overvagande", kind="every",
          unless=re.compile(rf"{_LVU.pattern}|{_LVM.pattern}", re.I)),
    Limit(_UNEXECUTED, 92, "sol-ej-verkstallda"),
    Limit((re.compile(r"\bjourhem\w*", re.I),
           re.compile(r"\befter\s+(?:att\s+|det\s+att\s+)?(?:\w+\s+){0,2}?utredning\w*", re.I)),
          61, "sol-jourhem-tid", kind="longest", unless=re.compile(r"\bsärskilda\s+skäl", re.I)),
    Limit(_UNEXECUTED, 92, "sol-ej-verkstallda", kind="every"),
    Limit((_CARE,), 183, "lvm-vardtid", _LVM, kind="longest",
          unless=re.compile(r"\beftervård\w*|\befter (?:utskrivning\w*|vården|vårdtiden)", re.I)),
)


TIMES = (("within", WITHIN), ("every", EVERY), ("longest", LONGEST))


def _days(match: re.Match[str]) -> int:
    """The days a time (”inom sex månader”) or an interval (”var tolfte månad”) spans."""
    if match.groupdict().get("half"):  # ”halvårsvis”
        return 183
    if match.groupdict().get("unit") is None:  # ”årligen”, ”en gång per år”
        return 365
    unit = next(v for k, v in _DAYS.items() if match["unit"].lower().startswith(k))
    if match.groupdict().get("nth"):
        return _ORDINALS[match["nth"].lower()] * unit
    return _value(match["n"]) * unit


@rule(
    "PROSA-LAGTID",
    Severity.WARNING,
    f"{laws.cite('sol-forhandsbedomning')}; {laws.cite('sol-utredningstid')}; "
    f"{laws.cite('lvu-understallning')}; {laws.cite('lvm-understallning')}; "
    f"{laws.cite('lvu-ansokan-efter-omhandertagande')}; "
    f"{laws.cite('lvm-ansokan-efter-omhandertagande')}; {laws.cite('lvu-overvagande')}; "
    f"{laws.cite('lvm-vardtid')}; {laws.cite('sol-overvagande')}; "
    f"{laws.cite('sol-ej-verkstallda')}; {laws.cite('sol-jourhem-tid')}",
    "Ingen text ger längre tid än lagen för förhandsbedömning, utredning om barn, "
    "underställning, ansökan efter ett omhändertagande, övervägande av vård, vårdtid "
    "enligt LVM eller rapport av beslut som inte verkställts",
    kinds=ALL_KINDS,
)
def longer_than_the_law(spec: Spec) -> Iterator[Finding]:
    """”Utredningen slutförs inom sex månader, som är lagens längsta tid”; ”underställs
    förvaltningsrätten inom en vecka” of an LVM decision; LVU care ”övervägs en gång per
    år”: the agreement and the staff reports would promise less than the law demands."""
    children = _children_in(spec)
    for where, (words, limit) in _first_said(spec, partial(_too_long, children=children)):
        yield Finding(where, f"texten ger ”{words}”, men {laws.stated(limit.provision)}; "
                             "rätta tiden i texten")


def _last_law(words: str) -> re.Pattern[str] | None:
    """The law (LVU or LVM) named last in the words: the one a time after them is of
    (”LVM senast dagen efter och LVU inom en vecka”)."""
    named = [(m.start(), law) for law in (_LVU, _LVM) for m in law.finditer(words)]
    return max(named, key=lambda n: n[0])[1] if named else None


def _children_in(spec: Spec) -> bool:
    """Whether the agreement's target group takes in children: then an investigation it
    speaks of may be a child's, whatever the sentence says."""
    group = spec.data.get("target_group", {})
    return bool(group.get("includes_children") or group.get("all_ages")
                or int(group.get("age_min", 18)) < 18)


# A sentence that keeps to adults (”utredningar om vuxna”), where no child's limit holds.
_ADULTS = re.compile(r"\bvuxn\w*|\bvuxen\b|\bäldre\b|\bäldres\b|\böver 18 år\b|\bfyllt 18\b", re.I)


def _topics_met(limit: Limit, sentence: str, *, children: bool) -> bool:
    """The sentence is on the limit's matter; a child's matter also where the target
    group takes in children and the sentence does not keep to adults."""
    return all(t.search(sentence) or (t is _CHILD and children and not _ADULTS.search(sentence))
               for t in limit.topics)


def _too_long(sentence: str, *, children: bool = False) -> tuple[str, Limit] | None:
    """The first time in the sentence longer than a limit it falls under: the law a limit
    names must be the last named in the words between the time before it (or the start)
    and this one, so that ”LVU inom en vecka och LVM senast dagen efter” pairs each with
    its own, and so does ”LVM senast dagen efter och LVU inom en vecka”."""
    times = sorted([(m, kind) for kind, pattern in TIMES for m in pattern.finditer(sentence)],
                   key=lambda t: t[0].start())
    before = 0
    for match, kind in times:
        window, before = sentence[before:match.end()], match.end()
        for limit in LIMITS:
            if limit.kind != kind or not _topics_met(limit, sentence, children=children):
                continue
            if limit.law is not None and _last_law(window) is not limit.law:
                continue
            if limit.unless is not None and limit.unless.search(sentence):
                continue
            if _days(match) > limit.days:
                return match.group(0), limit
    return None


# ------------------------------------------------------------------ consent

_PLAN = re.compile(r"\bSIP\b|individuell\w* plan\w*|\bplanen\b", re.I)
_WITHOUT_CONSENT = re.compile(
    r"\butan (?:\w+ ){0,2}samtycke\b|\b(?:också|även) (?:om|när) (?:\w+ ){0,3}inte samtycker\b"
    r"|\boavsett (?:\w+ ){0,2}samtycke\b|\bsamtycke (?:behövs|krävs) inte\b",
    re.I,
)
# The parts of a sentence that say things of their own (”LVU-vården ges utan samtycke,
# men planen upprättas bara med samtycke”), and a part that keeps the consent.
_PARTS = re.compile(r",\s*(?:men|medan|och|samtidigt som)\s+|;\s*")
_ONLY_WITH = re.compile(r"\b(?:bara|endast|enbart)\b[^.;]*\bsamtyck\w*", re.I)
# One guardian's consent said to be enough, where two have custody.
_ONE_GUARDIAN = re.compile(
    r"\b(?:den andra|andra|ena|den ena)\s+vårdnadshavarens\s+samtycke\s+(?:behövs|krävs)\s+inte"
    r"|\b(?:en|ena|den ena|minst en)\s+vårdnadshavares?\s+samtycke\s+räcker"
    r"|\bsamtycke\s+från\s+(?:en|den ena|minst en)\s+(?:av\s+)?vårdnadshavar\w*\s+räcker",
    re.I,
)
# A child placed in care under SoL (family home, HVB and the like), on the child's own
# request in place of the guardians' consent.
_PLACED = re.compile(r"\bplacer\w*|\bfamiljehem\w*|\bjourhem\w*|\bstödboende\w*|\bHVB\b"
                     r"|\bhem för vård eller boende\b", re.I)
# Not a child's guardians' consent: a young adult's own, a parent who has no custody, or
# the law's own exception restated (”krävs dock alltid”, ”utom för vård i familjehem”).
_NOT_A_CHILDS = re.compile(r"\b(?:fyllt|över)\s+18\b|\b18\s*[–-]\s*2\d\b|\bunga\s+vuxna\b"
                           r"|\binte\s+är\s+vårdnadshavare\b|\balltid\b|\butom\b"
                           # the follow-up after a placement has ended (23 kap. SoL), which
                           # the nämnd may decide without consent
                           r"|\befter\s+(?:en\s+)?(?:avslutad|upphörd)\s+placering"
                           r"|\b(?:placeringen|vården)\s+(?:har\s+)?(?:upphört|avslutats)"
                           r"|\b23\s+kap\.", re.I)
_OWN_REQUEST = re.compile(r"\bpå (?:egen|sin egen|den unges egen|barnets egen) begäran\b", re.I)
# The nämnd's own decision that lets a measure go ahead without the other's consent.
_NAMND_DECIDES = re.compile(r"\b13 a\s?§|nämnd\w* (?:har )?beslut\w*", re.I)


@rule(
    "PROSA-SAMTYCKE",
    Severity.WARNING,
    f"{laws.cite('sol-individuell-plan-samtycke')}; {laws.cite('hsl-individuell-plan')}; "
    f"{laws.cite('fb-vardnadshavare-tillsammans')}; {laws.cite('sol-placering-samtycke')}",
    "Ingen text gör bort ett samtycke som lagen kräver: den enskildes till en samordnad "
    "individuell plan, båda vårdnadshavarnas till en insats för barnet, vårdnadshavarens "
    "till vård utanför hemmet enligt socialtjänstlagen",
    kinds=ALL_KINDS,
)
def consent_set_aside(spec: Spec) -> Iterator[Finding]:
    """A SIP drawn up without the person's consent, or one guardian's consent said to be
    enough where two have custody: only the law (a nämnd's decision under 6 kap. 13 a §
    föräldrabalken) sets a consent aside, never the agreement."""
    for where, text in own_texts(spec):
        for sentence in sentences_of(text):
            plan = next((w for part in _PARTS.split(sentence) if _PLAN.search(part)
                         and not _ONLY_WITH.search(part)
                         and (w := _WITHOUT_CONSENT.search(part))), None)
            if plan:
                yield Finding(
                    where,
                    f"texten säger ”{plan.group(0)}” om planen, men "
                    f"{laws.stated('sol-individuell-plan-samtycke')}; skriv att planen "
                    "upprättas när den enskilde samtycker",
                )
                break
            placed = next((w for part in _PARTS.split(sentence) if _PLACED.search(part)
                           and _CHILD.search(part) and not _LVU.search(sentence)
                           and not _ONLY_WITH.search(part) and not _NOT_A_CHILDS.search(part)
                           and (w := _WITHOUT_CONSENT.search(part) or _OWN_REQUEST.search(part))),
                          None)
            if placed:
                yield Finding(
                    where,
                    f"texten säger ”{placed.group(0)}” om en placering, men "
                    f"{laws.stated('sol-placering-samtycke')}; utan samtycket ges vården bara "
                    "enligt LVU. Skriv att vårdnadshavarna samtycker",
                )
                break
            guardian = _ONE_GUARDIAN.search(sentence)
            if guardian and not _NAMND_DECIDES.search(sentence):
                yield Finding(
                    where,
                    f"texten säger ”{guardian.group(0)}”, men "
                    f"{laws.stated('fb-vardnadshavare-tillsammans')}; skriv att båda "
                    "samtycker eller att socialnämnden har beslutat enligt 6 kap. 13 a §",
                )
                break


# A step of compulsory care the law takes without the person's (or the guardians')
# consent, made to wait for it: the medical examination in an LVU matter, a doctor's
# report for LVM care.
_ON_CONSENT = re.compile(r"\b(?:om|när|efter att|sedan)\s+(?:[\wåäö-]+\s+){0,4}?"
                         r"(?:har\s+)?samtyck(?:er|t)\b|"
                         r"\b(?:med|efter)\s+(?:\w+\s+){0,2}samtycke\b", re.I)


@dataclass(frozen=True)
class WithoutConsent:
    """A step of the law that needs no consent: the words that name it, the law the
    sentence must name, and the provision."""

    step: re.Pattern[str]
    law: re.Pattern[str]
    provision: str
    only: bool = False  # flagged only where consent is made the sole way (”bara om …”)


_ONLY = re.compile(r"\b(?:bara|endast|enbart|aldrig utan|inte utan)\b", re.I)
WITHOUT_CONSENT = (
    WithoutConsent(re.compile(r"\bläkarundersök\w*", re.I), _LVU, "lvu-lakarundersokning"),
    WithoutConsent(re.compile(r"\banmäl\w*", re.I), _LVM, "lvm-lakaranmalan"),
    WithoutConsent(re.compile(r"\bsamtal\w* med (?:ett |det )?barn\w*|\bbarnsamtal\w*", re.I),
                   re.compile(r"\butredning\w*", re.I), "sol-barnsamtal", only=True),
)


@rule(
    "PROSA-TVANG-SAMTYCKE",
    Severity.WARNING,
    f"{laws.cite('lvu-lakarundersokning')}; {laws.cite('lvm-lakaranmalan')}; "
    f"{laws.cite('sol-barnsamtal')}",
    "Ingen text gör ett steg som lagen låter ske utan samtycke beroende av samtycke",
    kinds=ALL_KINDS,
)
def compulsory_step_on_consent(spec: Spec) -> Iterator[Finding]:
    """”Barnet läkarundersöks om vårdnadshavarna samtycker”, ”läkaren anmäler till
    socialnämnden om patienten samtycker”: the examination under LVU and the doctor's
    report for LVM care do not wait for consent."""
    for where, text in own_texts(spec):
        named = [step for step in WITHOUT_CONSENT if step.law.search(text)]  # once a text
        found = next(((c.group(0), step) for sentence in sentences_of(text) if named
                      for part in _PARTS.split(sentence) for step in named
                      if step.step.search(part)
                      and (not step.only or _ONLY.search(part))
                      and (c := _ON_CONSENT.search(part))), None)
        if found is not None:
            words, step = found
            yield Finding(
                where,
                f"texten gör steget beroende av samtycke (”{words}”), men "
                f"{laws.stated(step.provision)}; stryk villkoret om samtycke",
            )


# ------------------------------------------------------------------ who provides what

# The kommun as the one who provides the doctors.
_MUNICIPAL_DOCTORS = re.compile(
    r"\bkommun(?:en|erna|ens|ernas)?\b[^.;:]*?\b(?:ansvar\w*|står för|svarar för"
    r"|tillhandahåll\w*|bekosta\w*|anlita\w*|anställ\w*)\b[^.;:]*?"
    r"(?P<doctors>\bläkar(?:insats|vård|resurs|medverkan|tjänst|ansvar)\w*|som ges av läkare"
    r"|\bförskriv\w* av läkemedel|\bläkemedelsförskrivning\w*)",
    re.I,
)
# The kommun hiring or paying the doctors itself (”kommunen anlitar och bekostar själv
# läkare där”), and the region's doctors taken away (”läkarinsatser i kommunernas särskilda
# boenden ingår inte i regionens åtagande”). School doctors are the kommun's own.
_MUNICIPAL_HIRES = re.compile(
    r"\bkommun(?:en|erna)?\b[^.;:]*?\b(?:anlita\w*|bekosta\w*|anställ\w*)\b(?:\s+\w+){0,3}?"
    r"\s+(?P<doctors>läkare)\b", re.I)
_REGION_WITHOUT_DOCTORS = re.compile(
    r"(?P<doctors>\bläkar\w*)[^.;:]*?\b(?:ingår|omfattas)\s+inte\b[^.;:]*?\bregion\w*"
    r"|\bregion\w*[^.;:]*?\b(?:ansvarar|står|svarar)\s+inte\s+för\b[^.;:]*?"
    r"(?P<doctors2>\bläkar\w*)", re.I)
_SCHOOL = re.compile(r"\bskol\w*|\belevhälsa\w*", re.I)
# The region's part in what doctors give, or the kommun's own right when the agreed
# doctors do not come (16 kap. 1 § tredje stycket HSL).
_REGION = re.compile(r"\bregion\w*[^.;:]{0,80}?\b(?:läkar\w*|förskriv\w*)|16 kap\. 1 §"
                     r"|\bpå egen hand\b|\buteblir\b"
                     r"|\binte (?:uppfyller|fullgör|tillhandahåller)\b", re.I)


@rule(
    "PROSA-LAKARE",
    Severity.WARNING,
    f"{laws.cite('hsl-lakare')}",
    "Ingen text lägger läkarinsatserna på kommunen",
    kinds=ALL_KINDS,
)
def municipal_doctors(spec: Spec) -> Iterator[Finding]:
    """”Kommunen ansvarar för all hälso- och sjukvård i särskilt boende, också
    läkarinsatserna”: the kommun's health care stops short of what doctors give, and the
    region provides them. A clause that names the region's part is spared."""
    for where, text in own_texts(spec):
        for clause in clauses_of(text):
            found = _MUNICIPAL_DOCTORS.search(clause) or _MUNICIPAL_HIRES.search(clause) \
                or _REGION_WITHOUT_DOCTORS.search(clause)
            if found and found.re is not _REGION_WITHOUT_DOCTORS and (
                    _REGION.search(clause) or _NEGATION.search(clause)):
                continue
            if found and not _SCHOOL.search(clause):
                said = (f"texten tar läkarinsatserna från regionen (”{found.group(0)}”)"
                        if found.re is _REGION_WITHOUT_DOCTORS
                        else f"texten lägger ”{found['doctors']}” på kommunen")
                yield Finding(where, f"{said}, men {laws.stated('hsl-lakare')}; skriv att "
                                     "regionen står för läkarinsatserna")
                break


# ------------------------------------------------------------------ at once

# The act of reporting a concern for a child (not a count of reports: ”antalet
# orosanmälningar redovisas vid varje avstämning”), and the immediate assessment of the
# child's protection; the law says both happen at once.
_REPORTS = re.compile(
    r"\b(?:oros)?anmäl(?:er|s|a|as|t|des)\b|\bgör\w*\s+(?:en\s+)?(?:oros)?anmälan\b"
    r"|\b(?:oros)?anmäl(?:an|ningar|ningarna)\s+(?:\w+\s+){0,5}?(?:görs|lämnas|skickas|sker"
    r"|ska\s+göras)\b(?!\s+(?:vidare|över))",
    re.I,
)
# Passing on a report already made (the duty service hands the reports it took over to
# the hemkommun): not the report itself.
_PASSED_ON = re.compile(r"\böverlämn\w*|\blämnas\s+över\b|\bvidarebefordr\w*|\bskickas\s+vidare\b"
                        r"|\btar\s+emot\b|\btagit\s+emot\b|\binkomn\w*|\bsom\s+kommer\s+in\b"
                        # what was done already, followed up later
                        r"|\bföljs\s+upp\b|\buppfölj\w*|\bhar\s+gjort\b|\bgjorda\b|\bsom\s+gjorts\b",
                        re.I)
_CONCERN = re.compile(r"\borosanmäl\w*|\boro\b|\bfar illa\b|\bfarit illa\b", re.I)
_PROTECTION = re.compile(r"\bskyddsbedömning\w*", re.I)
_LATER = re.compile(
    r"\bvid\s+(?:nästa|kommande|nästkommande|närmast\s+följande|ordinarie|varje|den|det)\s+"
    r"(?:\w+\s+)?(?:avstämning|möte|sammanträde|träff|uppföljning|samverkansmöte"
    r"|ärendedragning|handledning)\w*"
    r"|\bi\s+samband\s+med\s+(?:nästa|kommande|den\s+(?:\w+\s+)?(?:avstämning|uppföljning"
    r"|rapport))\w*"
    r"|\b(?:veckovis|månadsvis|kvartalsvis|halvårsvis)\b"
    r"|\ben\s+gång\s+(?:i|per|om)\s+(?:veckan|vecka|månaden|månad|kvartalet|kvartal)\b"
    r"|\b(?:nästa|nästkommande|följande|påföljande)\s+(?:vardag|arbetsdag|vecka|månad)\b"
    r"|\befter\s+(?:helgen|veckoslutet|ledigheten)\b|\bsenast\s+dagen\s+efter\b"
    rf"|\binom\s+{_NUMBER}\s+(?:dagar|arbetsdagar|vardagar|veck(?:a|or)|månad(?:er)?)\b",
    re.I,
)
# The concern itself, which is what the law has reported at once (”misstänker att ett
# barn far illa”), whatever the text then does with it; a count of reports is not.
_SUSPICION = re.compile(r"\b(?:misstänk\w*|kännedom\s+om|känner\s+till|upptäck\w*|ser\s+tecken"
                        r"|oro\s+för\s+att)\b[^.;]{0,60}?\bfar\s+illa\b", re.I)


def _deferred(part: str) -> tuple[str, str, str] | None:
    """The words that make a report of concern or a protection assessment wait, what
    waits and the provision that says it happens at once, in a part of a sentence that
    does not also say it happens at once."""
    later = _LATER.search(part)
    if later is None or AT_ONCE.search(part) or _NEGATION.search(part):
        return None
    if _PASSED_ON.search(part) or COUNT.search(part):
        return None
    protection = _PROTECTION.search(part)
    if protection is not None and near(protection, later, part, joined=False):
        return later.group(0), "skyddsbedömningen", "sol-skyddsbedomning"
    report = _REPORTS.search(part)
    if _SUSPICION.search(part) or (report is not None and _CONCERN.search(part)
                                   and near(report, later, part, joined=False)):
        return later.group(0), "anmälan", "sol-orosanmalan"
    return None


@rule(
    "PROSA-GENAST",
    Severity.WARNING,
    f"{laws.cite('sol-orosanmalan')}; {laws.cite('sol-skyddsbedomning')}",
    "Ingen text låter en anmälan om oro för ett barn eller den omedelbara "
    "skyddsbedömningen vänta",
    kinds=ALL_KINDS,
)
def report_made_to_wait(spec: Spec) -> Iterator[Finding]:
    """”Utföraren anmäler oro för ett barn till hemkommunen vid nästa avstämning”, ”den
    omedelbara skyddsbedömningen görs nästa vardag”: the law says both at once."""
    for where, text in own_texts(spec):
        found = next((d for sentence in sentences_of(text) for part in _PARTS.split(sentence)
                      if (d := _deferred(part)) is not None), None)
        if found is not None:
            words, what, provision = found
            yield Finding(where, f"texten låter {what} vänta (”{words}”), men "
                                 f"{laws.stated(provision)}; skriv att det sker genast")


# ------------------------------------------------------------------ the child's best

# The nämnd's approval of the parents' agreement on custody, residence or contact, given
# on another ground than the child's best: because the parents agree, without an
# assessment, as a matter of course.
_APPROVES = re.compile(r"\bgodkänn\w*|\bgodkän[dt]\w*", re.I)
_ON_CUSTODY = re.compile(r"\b(?:vårdnad|boende|umgänge)\w*|\b\w*(?:vårdnads|umgänges)avtal\w*",
                         re.I)
_OTHER_GROUND = re.compile(
    r"\b(?:om|när|så\s+snart|så\s+länge|eftersom|då)\s+(?:båda\s+)?(?:föräldrarna|"
    r"vårdnadshavarna|parterna)\s+(?:är|har\s+kommit|blivit|har\s+blivit)\s+(?:överens|eniga)\b"
    r"|\b(?:om|när|så\s+snart)\s+(?:båda\s+)?(?:föräldrarna|vårdnadshavarna)\s+"
    r"(?:har\s+)?(?:skrivit\s+under|undertecknat|begär\w*)\b"
    r"|\butan\s+(?:\w+\s+){0,2}(?:prövning|bedömning|utredning)\b|\bautomatiskt\b"
    r"|\bi\s+regel\s+alltid\b|\bsom\s+en\s+formalitet\b",
    re.I,
)
_NOT = re.compile(r"\b(?:inte|ej|icke|aldrig)\b", re.I)
_CHILDS_BEST = re.compile(r"\bbarnets\s+bästa\b|\bbäst\w*\s+för\s+barnet\b", re.I)


@rule(
    "PROSA-BARNETS-BASTA",
    Severity.WARNING,
    f"{laws.cite('fb-barnets-basta')}",
    "Ingen text låter nämnden godkänna föräldrarnas avtal om vårdnad, boende eller umgänge "
    "på annan grund än barnets bästa",
    kinds=ALL_KINDS,
)
def approval_without_the_childs_best(spec: Spec) -> Iterator[Finding]:
    """”Avtal om boende och umgänge godkänns när föräldrarna är överens”: the nämnd
    approves such an agreement only when it is for the child's best, whatever the
    parents agree."""
    for where, text in own_texts(spec):
        for sentence in sentences_of(text):
            other = _OTHER_GROUND.search(sentence)
            if (other and _APPROVES.search(sentence) and _ON_CUSTODY.search(sentence)
                    and not _CHILDS_BEST.search(sentence) and not _NOT.search(sentence)):
                yield Finding(where, f"texten låter godkännandet vila på ”{other.group(0)}”, "
                                     f"men {laws.stated('fb-barnets-basta')}; skriv att "
                                     "nämnden prövar avtalet mot barnets bästa")
                break


# ------------------------------------------------------------------ who decides

@rule(
    "PROSA-LVU-BESLUT",
    Severity.WARNING,
    f"{laws.cite('lvu-lakarundersokning')}; {laws.cite('lvu-vistelse')}",
    "Ingen text låter regionen eller någon annan än socialnämnden besluta om läkarundersökning "
    "enligt LVU eller om var den unge vistas",
    kinds=ALL_KINDS,
)
def lvu_decided_by_another(spec: Spec) -> Iterator[Finding]:
    """”Regionen beslutar om läkarundersökning enligt 32 § LVU”, ”BUP bestämmer var den
    unge placeras under LVU-vården”: the socialnämnd decides both."""
    for where, text in own_texts(spec):
        if not _LVU.search(text):
            continue
        found = next((d for clause in clauses_of(text)
                      if (d := lvu_step_decided_by_another(clause)) is not None), None)
        if found is not None:
            actor, provision = found
            yield Finding(where, f"texten låter ”{actor}” besluta, men "
                                 f"{laws.stated(provision)}; skriv att socialnämnden beslutar")


# ------------------------------------------------------------------ urgent decisions reported

# A decision taken because the nämnd could not wait (the chair's or an appointed ledamot's,
# an immediate taking into care), reported in a later report than the next meeting.
_URGENT = re.compile(r"\bbrådskande\s+beslut\w*|\bordförande\w*\s+(?:\w+\s+){0,3}?beslut\w*"
                     r"|\bledamot\w*\s+beslut\w*|\bomedelbart\s+omhändertag\w*", re.I)
_REPORTED = re.compile(r"\banmäl\w*|\bredovis\w*|\brapporter\w*", re.I)
_LATER_REPORT = re.compile(
    r"\b\w*(?:halvårs|års|kvartals|delårs|verksamhets|månads)rapport\w*"
    r"|\b(?:halvårsvis|kvartalsvis|månadsvis|årligen)\b"
    r"|\ben\s+gång\s+(?:per|om|i)\s+(?:året|år|halvåret|halvår|kvartalet|kvartal|månaden)\b"
    r"|\bvarje\s+(?:halvår|kvartal|år|månad)\b|\bvid\s+(?:den\s+)?(?:\w+\s+)?(?:uppföljning"
    r"|avstämning)\w*|\bi\s+samband\s+med\s+(?:\w+\s+)?(?:uppföljning|bokslut)\w*",
    re.I,
)
_NEXT_MEETING = re.compile(r"\bnästa\s+(?:ordinarie\s+)?sammanträde\b", re.I)


@rule(
    "PROSA-BRADSKANDE-ANMALAN",
    Severity.WARNING,
    f"{laws.cite('anmalan-bradskande')}; {laws.cite('lvu-ordforandebeslut-anmalan')}",
    "Ett brådskande beslut anmäls vid nämndens nästa sammanträde, inte i en senare rapport",
    kinds=ALL_KINDS,
)
def urgent_decision_reported_later(spec: Spec) -> Iterator[Finding]:
    """”Ordförandens beslut anmäls till nämnden i jourens halvårsrapport”: a decision the
    nämnd could not wait for is reported at its next meeting."""
    def later(sentence: str) -> re.Match[str] | None:
        if not (_URGENT.search(sentence) and _REPORTED.search(sentence)) \
                or _NEXT_MEETING.search(sentence) or _NEGATION.search(sentence):
            return None
        return _LATER_REPORT.search(sentence)

    for where, found in _first_said(spec, later):
        yield Finding(where, f"texten låter anmälan av det brådskande beslutet vänta "
                             f"(”{found.group(0)}”), men {laws.stated('anmalan-bradskande')}; "
                             "skriv att det anmäls vid nämndens nästa sammanträde")


# ------------------------------------------------------------------ when LVU care ends

# All LVU care said to end at 18 (”all vård enligt LVU upphör när den unge fyller 18
# år”): care for the young person's own behaviour (3 §) may go on until 21.
_ENDS_AT_18 = re.compile(r"\b(?:upphör\w*|avslut\w*|slutar|tar slut)\b[^.;]{0,60}?\b18\s+år"
                         r"|\b(?:fyllt|fyller|fylla)\s+18\s+år\b[^.;]{0,60}?\b(?:upphör\w*|avslut\w*"
                         r"|slutar)\b", re.I)
_CARE_UNDER_2 = re.compile(r"\b2\s*§|\bmiljö\w*|\bhemmet\b|\bbrister\s+i\s+omsorgen\b", re.I)


@rule(
    "PROSA-LVU-18",
    Severity.WARNING,
    f"{laws.cite('lvu-vard-upphor')}",
    "Ingen text låter all vård enligt LVU upphöra vid 18 år",
    kinds=ALL_KINDS,
)
def lvu_care_ends_at_18(spec: Spec) -> Iterator[Finding]:
    """”Den unge har fyllt 18 år, eftersom all vård enligt LVU upphör då”: only care on
    the ground of the home (2 §) ends at 18; care for the young person's own behaviour
    (3 §) may go on until 21, and an agreement that ends its part at 18 leaves it."""
    def ends(sentence: str) -> re.Match[str] | None:
        if not _LVU.search(sentence) or _CARE_UNDER_2.search(sentence) or _NOT.search(sentence):
            return None
        return _ENDS_AT_18.search(sentence)

    for where, found in _first_said(spec, ends):
        yield Finding(where, f"texten låter vården upphöra vid 18 år (”{found.group(0)}”), "
                             f"men {laws.stated('lvu-vard-upphor')}; skriv vilken vård "
                             "som avses, eller 21 år för vård enligt 3 §")


# ------------------------------------------------------------------ jäv

# A member whose own matter it is (or who is jävig) allowed to stay while it is handled.
_CONFLICTED = re.compile(r"\bjävig\w*|\bgäller\s+ärendet\s+(?:en\s+)?ledamot\w*"
                         r"|\bärendet\s+rör\s+(?:en\s+)?ledamot\w*|\bpersonligen\s+rör\b", re.I)
_STAYS = re.compile(r"\b(?:får|kan)\s+(?P<between>(?:\w+\s+){0,2}?)(?:vara\s+kvar|närvara|stanna"
                    r"|sitta\s+kvar|delta\s+i\s+(?:handläggningen|överläggningen))\b", re.I)


@rule(
    "PROSA-JAV",
    Severity.WARNING,
    f"{laws.cite('jav-narvaro')}",
    "Ingen text låter en jävig ledamot vara kvar när ärendet handläggs",
    kinds=ALL_KINDS,
)
def conflicted_member_stays(spec: Spec) -> Iterator[Finding]:
    """”Gäller ärendet en ledamot får ledamoten vara kvar i sammanträdesrummet, men deltar
    inte i beslutet”: a jävig member may neither take part nor be present."""
    def stays(sentence: str) -> re.Match[str] | None:
        found = _STAYS.search(sentence) if _CONFLICTED.search(sentence) else None
        return None if found is None or _NOT.search(found["between"]) else found

    for where, found in _first_said(spec, stays):
        yield Finding(where, "texten låter den jäviga ledamoten stanna "
                             f"(”{found.group(0)}”), men {laws.stated('jav-narvaro')}; "
                             "skriv att ledamoten lämnar rummet medan ärendet handläggs")


# ------------------------------------------------------------------ paternity

# The nämnd's duty to try to establish paternity made to wait for someone to ask
# (”utredning av faderskap, när modern eller den som kan vara far begär det”).
_PATERNITY = re.compile(r"\bfaderskap\w*|\bföräldraskap\w*", re.I)
_PARENT = (r"(?:modern|mamman|fadern|pappan|den\s+som\s+kan\s+vara\s+far|föräldr\w*"
           r"|vårdnadshavar\w*|den\s+enskilde)")
_ON_REQUEST = re.compile(
    rf"\b(?:när|om|bara\s+om|endast\s+om|först\s+när)\s+(?:\w+\s+){{0,3}}?{_PARENT}"
    r"(?:\s+\w+){0,8}?\s+(?:begär\w*|ansök\w*)\b"
    rf"|\bpå\s+(?:\w+\s+)?begäran\s+(?:av|från)\s+{_PARENT}", re.I)


@rule(
    "PROSA-FADERSKAP",
    Severity.WARNING,
    f"{laws.cite('fb-faderskap')}",
    "Ingen text låter utredningen av faderskap vänta på att någon begär den",
    kinds=ALL_KINDS,
)
def paternity_on_request(spec: Spec) -> Iterator[Finding]:
    """”Utredning och bekräftelse av faderskap, när modern eller den som kan vara far
    begär det”: the nämnd must try to establish paternity of its own motion."""
    def on_request(sentence: str) -> re.Match[str] | None:
        if not _PATERNITY.search(sentence) or _NOT.search(sentence):
            return None
        return _ON_REQUEST.search(sentence)

    for where, found in _first_said(spec, on_request):
        yield Finding(where, f"texten låter utredningen vänta på en begäran "
                             f"(”{found.group(0)}”), men {laws.stated('fb-faderskap')}, "
                             "utan att någon begär det; stryk villkoret")
