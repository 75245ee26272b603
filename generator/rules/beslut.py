"""Rules for the decision path: who must decide (the party's own competence rules) and
in what order the organs meet. Messages say what is wrong and what to write instead."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .. import delegation as dm
from .. import laws
from ..errors import Severity
from ..load import Spec
from ..model import (
    PRICED_MODELS,
    Trigger,
    competence_triggers,
    decision_blocks,
    decision_path,
    last_meeting,
    open_ended_words,
)
from ..render import genitive, join_and, kronor, lower_first, proper_names
from .delegering import enters_by_council
from .registry import ALL_KINDS, Finding, rule

KL_5_1 = laws.cite("fullmaktige")
SKR_FAQ = (
    "SKR: Vad gäller för delegering av ärenden inom ramen för kommunal avtalssamverkan? (2021)"
)


def _reason(trigger: Trigger, party: Mapping[str, Any], priced: bool = False) -> str:
    limit = kronor(trigger.limit) if trigger.limit is not None else ""
    if trigger.code == "per_ar":
        own = "kostnad enligt avtalet beräknas till" if priced else "andel är"
        whose = f"{genitive(party['name'])} {own}" if trigger.own else "avtalet är värt"
        return f"{whose} {kronor(trigger.value or 0)} per år (gränsen är {limit})"
    if trigger.code == "totalt" and trigger.value is None:
        return (
            f"{open_ended_words(trigger)}, så dess sammanlagda värde har ingen övre gräns "
            f"(gränsen är {limit})"
        )
    if trigger.code == "totalt":
        value = kronor(trigger.value or 0)
        return f"avtalet är värt omkring {value} under avtalstiden (gränsen är {limit})"
    if trigger.code == "tills_vidare":
        return open_ended_words(trigger)
    if trigger.code == "personal":
        return "personal går över till en annan part"
    return f"{party['name']} åtar sig att utföra uppgifter åt andra"


def _source(spec: Spec, rules: Mapping[str, Any]) -> str:
    """The party's competence rule as a message names it mid-sentence: ”enligt
    kommunfullmäktiges beslut …”, a party's own name keeping its capital."""
    return lower_first(str(rules["source"]).rstrip().rstrip("."), proper_names(spec.data))


def _reaches(party: Mapping[str, Any], block: Mapping[str, Any], organ: str) -> bool:
    """Whether the decision block's path, its first organ included, reaches `organ`."""
    return any(step.organ == organ for step in decision_path(block, party["organs"]))


def _leads(
    spec: Spec,
) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any], str, Mapping[str, Any]]]:
    """(party, its competence rules, the pointer and data of its leading decision block:
    the first) for each party with its own limits for fullmäktige."""
    for index, party in enumerate(spec.data["parties"]):
        blocks = decision_blocks(party)
        if "competence" in party and blocks:
            where, lead = blocks[0]
            yield party, party["competence"], f"/parties/{index}/{where}", lead


@rule(
    "BESLUT-BEHORIGHET",
    Severity.ERROR,
    f"{KL_5_1}; {SKR_FAQ}",
    "Beslutsgången når fullmäktige när partens egna regler kräver det",
    kinds=ALL_KINDS,
)
def competent_organ(spec: Spec) -> Iterator[Finding]:
    """A matter above the party's own limits is decided by fullmäktige, not a nämnd. With
    several deciding organs the first block leads (its organ signs, and the others decide
    for their part under fullmäktige's decision): its path must reach fullmäktige."""
    priced = spec.data.get("economics", {}).get("model", {}).get("type") in PRICED_MODELS
    for party, rules, at, lead in _leads(spec):
        council = rules["council_name"].lower()
        triggers = competence_triggers(spec.data, party)
        reasons = [_reason(t, party, priced) for t in triggers]
        if not any(t.sure for t in triggers) or _reaches(party, lead, rules["council"]):
            continue  # BESLUT-BEHORIGHET-VARDE speaks of a value that is not the party's
        own = "" if len(decision_blocks(party)) == 1 else (
            f" för {decision_path(lead, party['organs'])[0].name.lower()}, som leder "
            "partens beslut (det första blocket under decisions),")
        yield Finding(
            at,
            f"enligt {_source(spec, rules)} ska {council} avgöra avtalet för {party['name']}, "
            f"eftersom {join_and(reasons)}, men beslutsgången{own} stannar före; lägg till "
            f"organen fram till {council} under path (organ: {rules['council']})",
        )


@rule(
    "BESLUT-BEHORIGHET-VARDE",
    Severity.WARNING,
    f"{KL_5_1}; {SKR_FAQ}",
    "Partens egen kostnad vägs mot partens gränser, inte hela avtalets värde",
    kinds=ALL_KINDS,
)
def competence_on_the_whole_value(spec: Spec) -> Iterator[Finding]:
    """The whole agreement's value reaches a party's limit, but the cost model does not
    say what the party itself pays: whether fullmäktige must decide is then the staff
    report's to show, not the tool's to assume (it refused the build of a party whose own
    cost was a third of its limit)."""
    for party, rules, at, lead in _leads(spec):
        triggers = competence_triggers(spec.data, party)
        if not triggers or any(t.sure for t in triggers) or _reaches(
                party, lead, rules["council"]) or "competence_assessment" in lead:
            continue
        council = rules["council_name"].lower()
        whole = kronor(max(t.value or 0 for t in triggers))
        yield Finding(
            at,
            f"hela avtalets värde ({whole}) når gränsen i {_source(spec, rules)}, men "
            f"kostnadsmodellen säger inte vad {party['name']} själv betalar; skriv partens "
            f"egen kostnad och varför {council} inte behöver avgöra ärendet i "
            f"competence_assessment, eller lägg till {council} i beslutsgången",
        )


@rule(
    "BESLUT-FULLMAKTIGE-SKAL",
    Severity.WARNING,
    KL_5_1,
    "Ett ärende som går till fullmäktige utan att nå partens gränser har ett skäl",
    kinds=ALL_KINDS,
)
def council_without_reason(spec: Spec) -> Iterator[Finding]:
    """A path to fullmäktige where the agreement reaches none of the party's own limits:
    the staff report says the limits are not reached and gives no reason for going to
    fullmäktige all the same, unless competence_assessment does."""
    for party, rules, at, lead in _leads(spec):
        if (competence_triggers(spec.data, party) or "competence_assessment" in lead
                or not _reaches(party, lead, rules["council"])):
            continue
        council = rules["council_name"].lower()
        yield Finding(
            at,
            f"beslutsgången för {party['name']} går till {council}, men avtalet når inte "
            f"någon av gränserna i {_source(spec, rules)}, och tjänsteutlåtandet säger det utan "
            f"att ge något annat skäl; skriv i competence_assessment varför {council} ska "
            "avgöra ärendet, eller låt nämnden besluta",
        )


DECIDED = {"beslutad": "beslutad", "undertecknad": "undertecknad"}


@rule(
    "BESLUT-TIDSLINJE",
    Severity.WARNING,
    f"{SKR_FAQ}; {KL_5_1}",
    "En beslutad eller undertecknad version är daterad efter det sista beslutet",
    kinds=ALL_KINDS,
)
def decided_before_status(spec: Spec) -> Iterator[Finding]:
    """A version marked decided or signed cannot be dated before an organ decides it."""
    status = spec.data["status"]
    if status not in DECIDED:
        return
    dated = spec.data["date"]
    for index, party in enumerate(spec.data["parties"]):
        for where, decision in decision_blocks(party):
            at, meeting = last_meeting(decision)
            last = meeting["meeting_date"]
            if last > dated:
                yield Finding(
                    f"/parties/{index}/{where}/{at}meeting_date",
                    f"versionen är {DECIDED[status]} {dated}, men {party['name']} beslutar "
                    f"först {last}; ändra status och datum när det sista beslutet är fattat, "
                    "eller rätta sammanträdesdatumet",
                )


@rule(
    "BESLUT-FORLANGNING",
    Severity.WARNING,
    f"{SKR_FAQ}",
    "Bemyndigande att besluta om förlängning bara när avtalet kan förlängas",
    kinds=ALL_KINDS,
)
def extension_authority_without_extension(spec: Spec) -> Iterator[Finding]:
    """A power to extend an agreement that has no extension clause: extending it would
    be a new agreement, which the organ decides itself; the point is left out."""
    if "extension" in spec.data["term"]:
        return
    for index, party in enumerate(spec.data["parties"]):
        for where, decision in decision_blocks(party):
            if decision.get("extension_authority"):
                yield Finding(
                    f"/parties/{index}/{where}/extension_authority",
                    "avtalet har ingen förlängning (term.extension), så det finns inget "
                    "att bemyndiga någon att besluta om, och beslutet får ingen sådan punkt; "
                    "skriv extension_authority: false, eller ange hur avtalet förlängs",
                )


KL_5_2 = laws.cite("delegering-fullmaktige")
KL_7_5 = laws.cite("delegering-anstalld")
# Officials a block names, and what the documents do instead where fullmäktige decides.
_OFFICIALS = {
    "measures_authority": "får i uppdrag att verkställa avtalet",
    "minor_amendments_by": "får i fullmäktiges ställe komma överens om mindre ändringar",
}


@rule(
    "BESLUT-TJANSTEMAN-FULLMAKTIGE",
    Severity.WARNING,
    KL_5_2,
    "En tjänsteman som beslutsunderlaget namnger får inte sin befogenhet av fullmäktige",
    kinds=ALL_KINDS,
)
def official_under_council(spec: Spec) -> Iterator[Finding]:
    """Where fullmäktige decides, it empowers a nämnd, not an official (5 kap. 2 § KL):
    the official a block names for implementing or minor changes is not in the documents,
    and nothing said so."""
    for index, party in enumerate(spec.data["parties"]):
        for where, block in decision_blocks(party):
            steps = decision_path(block, party["organs"])
            if dm.step_kind(steps[-1], party) != dm.FULLMAKTIGE or len(steps) < 2:
                continue
            for field, instead in _OFFICIALS.items():
                named = dm.holders(str(block.get(field, "")), own=party,
                                   parties=spec.data["parties"])
                if field in block and not all(h.kind == dm.ORGAN for h in named):
                    yield Finding(
                        f"/parties/{index}/{where}/{field}",
                        f"beslutet fattas av {steps[-1].name.lower()}, som kan uppdra åt en "
                        "nämnd att besluta i sitt ställe men inte åt en tjänsteman som "
                        f"{block[field]}: {steps[0].name.lower()} {instead}, "
                        "och fältet står inte i något dokument; ta bort det, och låt nämnden "
                        "själv besluta om vem som gör det när avtalet har ingåtts",
                    )


@rule(
    "BESLUT-FORLANGNING-FLERA",
    Severity.WARNING,
    KL_7_5,
    "En nämnd som beslutar för sin del förlänger inte avtalet för hela parten",
    kinds=ALL_KINDS,
)
def extension_by_one_of_several(spec: Spec) -> Iterator[Finding]:
    """Where nämnder decide each for its part, one of them cannot let an official extend
    or end the whole agreement for the party: the point is left out, and said so."""
    if "extension" not in spec.data["term"]:
        return
    for index, party in enumerate(spec.data["parties"]):
        blocks = decision_blocks(party)
        if len(blocks) < 2 or enters_by_council(party):
            continue
        for where, block in blocks:
            if block.get("extension_authority"):
                yield Finding(
                    f"/parties/{index}/{where}/extension_authority",
                    f"{party['name']} beslutar genom flera nämnder, var och en för sin del, så "
                    "ingen av dem kan ensam låta en tjänsteman förlänga eller säga upp avtalet "
                    "för hela parten, och beslutet får ingen sådan punkt; skriv "
                    "extension_authority: false och låt nämnderna besluta var för sig när "
                    "frågan kommer, eller låt fullmäktige besluta om avtalet för hela parten",
                )


# The word of a title that says the role: ”ordföranden i socialnämnden” → ordförande,
# ”socialdirektören” → socialdirektör.
_ROLE = re.compile(r"\b(\w*(?:ordförande|chef|direktör))(?:en|n)?\b", re.IGNORECASE)


def _role(text: str) -> str | None:
    found = _ROLE.search(text)
    return found.group(1).lower() if found else None


@rule(
    "BESLUT-UNDERTECKNARE",
    Severity.WARNING,
    "avtal: beslutets bemyndigande (signing_authority) och avtalets underskrifter",
    "Den som beslutet bemyndigar att underteckna står i avtalets underskrifter",
    kinds=ALL_KINDS,
)
def signer_matches_signatures(spec: Spec) -> Iterator[Finding]:
    """The decision empowers one person to sign; the agreement's signature block names
    another: the one who signs without the power does not bind the party."""
    for index, party in enumerate(spec.data["parties"]):
        signatories = party.get("signatories", [])
        for where, decision in decision_blocks(party):
            authority = str(decision.get("signing_authority", ""))
            role = _role(authority)
            if not signatories or role is None:
                continue
            if any(_role(str(s.get("title", ""))) == role for s in signatories):
                continue
            names = ", ".join(f"{s['name']} ({s.get('title', '')})" for s in signatories)
            yield Finding(
                f"/parties/{index}/{where}/signing_authority",
                f"beslutet bemyndigar {authority} att underteckna, men avtalets underskrifter "
                f"för {party['name']} är {names}; skriv samma befattning i signing_authority "
                "och i partens signatories",
            )


@rule(
    "BESLUT-STYRELSEN",
    Severity.WARNING,
    laws.cite("styrelsen-yttrar-sig"),
    "Ett ärende på väg till fullmäktige går via styrelsen",
    kinds=ALL_KINDS,
)
def council_via_board(spec: Spec) -> Iterator[Finding]:
    """A nämnd's matter sent to fullmäktige without the styrelse on the way: the
    styrelse is always to be heard on a matter another nämnd has prepared."""
    for index, party in enumerate(spec.data["parties"]):
        for where, decision in decision_blocks(party):
            steps = decision_path(decision, party["organs"])
            kinds = [dm.step_kind(step, party) for step in steps]
            if dm.FULLMAKTIGE in kinds[1:] and dm.STYRELSE not in kinds:
                yield Finding(
                    f"/parties/{index}/{where}/path",
                    f"ärendet går från {steps[0].name.lower()} till fullmäktige utan "
                    f"{'regionstyrelsen' if party['type'] == 'region' else 'kommunstyrelsen'}, "
                    "som alltid ska få yttra sig över ett ärende som en annan nämnd har berett; "
                    "lägg till styrelsen i path före fullmäktige, eller, om styrelsen bara "
                    "yttrar sig, säg det i preparation och tysta regeln med en motivering",
                )


# An organ named for the other kind of party (”Regionfullmäktige” of a kommun).
_OTHER_KIND = {"kommun": re.compile(r"^region(?:fullmäktige|styrelsen?)\b", re.I),
               "region": re.compile(r"^kommun(?:fullmäktige|styrelsen?)\b", re.I)}


@rule(
    "BESLUT-ORGAN-SLAG",
    Severity.WARNING,
    "kommunallagen (2017:725) 3 kap. 14 § (bara Gotlands kommun får säga regionfullmäktige "
    "och regionstyrelse)",
    "En kommuns organ heter som en kommuns, en regions som en regions",
    kinds=ALL_KINDS,
)
def organ_of_its_kind(spec: Spec) -> Iterator[Finding]:
    """A kommun whose decision path names regionfullmäktige or regionstyrelsen (or a region
    kommunfullmäktige): most often a name copied from the other party."""
    for index, party in enumerate(spec.data["parties"]):
        wrong = _OTHER_KIND.get(str(party.get("type")))
        if wrong is None or "gotland" in str(party.get("name", "")).lower():
            continue
        for where, block in decision_blocks(party):
            for step_index, step in enumerate(decision_path(block, party["organs"])):
                if wrong.match(step.name):
                    at = (f"/parties/{index}/{where}/path/{step_index - 1}/name" if step_index
                          else f"/parties/{index}/{where}/organ")
                    yield Finding(
                        at,
                        f"{party['name']} är en {party['type']}, men organet heter "
                        f"”{step.name}”; skriv {party['type']}ens eget organ",
                    )


# The organ a title names (”ordföranden i social- och omsorgsnämnden”).
_TITLE_ORGAN = re.compile(
    r"\bi\s+(?P<organ>(?:[a-zåäö]+-\s+och\s+)?[a-zåäö]+(?:nämnden|styrelsen|utskottet))\b",
    re.I)
_ALWAYS = ("kommunstyrelsen", "regionstyrelsen")
TITLE_FIELDS = ("signing_authority", "measures_authority", "minor_amendments_by")


@rule(
    "BESLUT-TITEL-ORGAN",
    Severity.WARNING,
    "avtal: partens organ (parties[].organs)",
    "Den som beslutet nämner hör till ett av partens egna organ",
    kinds=ALL_KINDS,
)
def titled_organ_is_the_partys(spec: Spec) -> Iterator[Finding]:
    """A title that places a person in an organ the party does not have (”ordföranden i
    social- och omsorgsnämnden” for a kommun whose nämnd is the socialnämnd): most often
    copied from the other party's block."""
    for index, party in enumerate(spec.data["parties"]):
        own = {" ".join(str(o["name"]).lower().split()) for o in party.get("organs", [])}
        for where, block in decision_blocks(party):
            for field in TITLE_FIELDS:
                found = _TITLE_ORGAN.search(str(block.get(field, "")))
                organ = " ".join(found["organ"].lower().split()) if found else ""
                if found and organ not in own and organ not in _ALWAYS:
                    yield Finding(
                        f"/parties/{index}/{where}/{field}",
                        f"”{block[field]}” hör till {organ}, som {party['name']} inte har "
                        "bland sina organ; skriv en befattning i partens eget organ",
                    )
