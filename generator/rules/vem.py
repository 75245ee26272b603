"""Who the prose names, read against the fields that say who: the personal-data roles,
the archive, the staff who move, the delegates written as a sentence, and the organs that
approve material changes. A field names a party by its id; the prose names it by its
name (”Norrström”, ”Danderyds kommun”, ”Region Östergötland”, ”regionen”). A text that
gives a role to another party than the field does makes the agreement say two things.
Conservative: a party counts only where a clause both names it and says the role, and a
clause that negates is skipped; every finding is a warning naming both."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .. import delegation as dm
from .. import laws
from ..errors import Severity
from ..load import Spec
from ..model import Names, decision_blocks
from ..parties import as_id
from ..render import genitive, join_and
from .prosa import (
    _NEGATION,
    block_paths,
    clauses_of,
    own_texts,
    sentences_of,
    texts,
    value_at,
)
from .registry import ALL_KINDS, Finding, personal_data, rule
from .relationer import only_orders, performs
from .tal import JOINING

SKR = "SKR: Avtalssamverkan inom socialtjänsten (2023)"
GDPR = "dataskyddsförordningen (EU) 2016/679"




def clauses(text: str) -> Iterator[str]:
    """The clauses of a text that do not negate."""
    for clause in clauses_of(text):
        if clause.strip() and not _NEGATION.search(clause):
            yield clause


def _names(spec: Spec) -> Names:
    return Names(spec.data["parties"])


def _name(spec: Spec, party_id: str) -> str:
    return next(str(p["name"]) for p in spec.data["parties"] if p["id"] == party_id)


def _listed(spec: Spec, ids: Sequence[str]) -> str:
    return join_and(_name(spec, i) for i in ids)


# --------------------------------------------------------------------------- personal data



def _party(group: str = "party") -> str:
    """A capitalised word or two where prose names a party (a group `party…` of the match:
    Names.at reads every such group)."""
    return rf"(?P<{group}>[A-ZÅÄÖ][\wåäöÅÄÖ-]*(?:\s+(?:kommun|stad|[A-ZÅÄÖ][\wåäöÅÄÖ-]*))?)"


_ORGAN_WORDS = r"(?:\s+[\wåäö-]+){0,4}?"
_CONTROLLER_WORD = r"(?:personuppgiftsansvarig\w*|ansvarig för behandlingen)"
# Who the text makes controller: ”Norrströms nämnd är personuppgiftsansvarig”, ”för barn
# från Norrström är Norrströms nämnd personuppgiftsansvarig”, ”Norrström bestämmer
# ändamålen”.
CONTROLLER = re.compile(
    rf"{_party()}{_ORGAN_WORDS}\s+(?:är|blir|förblir)\s+(?:\w+\s+)?{_CONTROLLER_WORD}"
    rf"|\b(?:är|blir)\s+{_party('party2')}{_ORGAN_WORDS}\s+{_CONTROLLER_WORD}"
    rf"|{_party('party3')}{_ORGAN_WORDS}\s+(?:\w+\s+)?bestämmer ändamål"
)
PROCESSOR = re.compile(r"\b(?:personuppgifts)?biträde\w*", re.I)
# Who the text makes processor: ”Norrström behandlar dem som personuppgiftsbiträde”,
# ”Täby är personuppgiftsbiträde”.
MADE_PROCESSOR = re.compile(
    rf"{_party()}{_ORGAN_WORDS}\s+(?:är|blir|behandlar\s+\w+\s+som)\s+(?:\w+\s+)?"
    r"(?:personuppgifts)?biträde"
)
ALL = re.compile(r"\b(?:all|alla|allt|samtliga)\b", re.I)
# The processor keeps or uses the data for an end of its own (art. 28.3 a and g).
OWN_END = re.compile(
    r"\b(?:behåll\w*|spar\w*|använd\w*|bevara\w*|lagra\w*)\b[^.;]*?\b(?:egen|eget|egna|sin|sitt"
    r"|sina)\s+(?:\w+\s+)?\w*(?:ändamål|forskning|uppföljning|statistik|utveckling"
    r"|verksamhet)\w*",
    re.I,
)

# Records kept or weeded by a plan of the keeper's own (”gallras enligt Varghamns
# dokumenthanteringsplan”): for a processor, the controller's plan decides.
OWN_PLAN = re.compile(
    r"\b(?:gallr|bevar|arkiver|rensa|förstör|radera)\w*\b[^.;]*?\benligt\s+"
    r"(?P<owner>sin|sina|sitt|egen|egna|(?:\w+\s+){0,2}?\w+s)\s+(?:egen\s+|egna\s+)?"
    r"(?:dokumenthanteringsplan|gallringsplan|arkivreglemente|informationshanteringsplan"
    r"|arkivplan)\w*",
    re.I,
)
_OWN_WORDS = ("sin", "sina", "sitt", "egen", "egna")


def _processor_plan(clause: str, processor: str, names: Names) -> str | None:
    """The words of a clause that weed or keep records by the processor's own plan."""
    match = OWN_PLAN.search(clause)
    if match is None:
        return None
    owner = match["owner"].lower()
    if owner in _OWN_WORDS:
        return match.group(0) if processor in names.named(clause[:match.start("owner")]) else None
    return match.group(0) if processor in names.named(match["owner"]) else None


# Whose residents the data are about (”familjer från Norrström”): a party's own.
RESIDENTS = re.compile(rf"\b(?:från|bosatta i|invånare i|folkbokförda i)\s+{_party()}")


# A clause on a party's own data (”sina egna invånares ärenden”): it may be controller
# for them while it processes the others' data for them.
_OWN_DATA = re.compile(r"\b(?:sin|sina|sitt|egen|egna)\b", re.I)


def _personal_data_texts(spec: Spec) -> Iterator[tuple[str, str]]:
    """The personal-data texts, and the staff reports' texts, which say the same roles
    to the nämnd that adopts them."""
    for place in ("/information/personal_data", *block_paths(spec)):
        yield from texts(spec.data, place)


def _controllers(spec: Spec, data: Mapping[str, Any]) -> list[str]:
    if "controller" in data:
        return [data["controller"]]
    return [p["id"] for p in spec.data["parties"] if p["id"] != data.get("processor")]


def _role_claims(spec: Spec, data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Each text that gives a party the other role than the fields: where, and what."""
    names = _names(spec)
    processor = data.get("processor")
    controllers = _controllers(spec, data)
    for where, text in _personal_data_texts(spec):
        for clause in clauses(text):
            helper = PROCESSOR.search(clause)
            if data["roles"] != "bitrade":
                if helper and where.startswith("/information/personal_data"):
                    yield where, (f"texten beskriver ett personuppgiftsbiträde "
                                  f"(”{helper.group(0)}”), men roles är {data['roles']}")
                continue
            made = names.at(clause, CONTROLLER)
            others = [c for c in names.named(clause) if c in controllers and c not in made]
            own = _OWN_DATA.search(clause) or processor in names.at(clause, RESIDENTS)
            if processor in made and (others or ALL.search(clause) or not own):
                yield where, (f"texten gör {_name(spec, processor)} personuppgiftsansvarig för "
                              f"de andra parternas uppgifter, men processor är {processor}")
            wrong = [p for p in names.at(clause, MADE_PROCESSOR) if p != processor]
            if processor and wrong:
                yield where, (f"texten gör {_listed(spec, wrong)} till biträde, men processor "
                              f"är {processor}")


# Who the text makes the data subjects' contact point (”Åbrinks socialnämnd, som är
# kontaktpunkt”).
CONTACT = re.compile(
    rf"{_party()}{_ORGAN_WORDS},?\s+(?:som\s+)?(?:är|blir|fungerar som)\s+(?:\w+\s+)?"
    r"kontaktpunkt"
)


def _contact_claims(spec: Spec, data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Each personal-data text that makes another party the contact point than
    joint.contact_point."""
    point = data.get("joint", {}).get("contact_point", {}).get("party")
    if point is None:
        return
    names = _names(spec)
    for where, text in texts(spec.data, "/information/personal_data"):
        for clause in clauses(text):
            wrong = [p for p in names.at(clause, CONTACT) if p != point]
            if wrong:
                yield where, (f"texten gör {_listed(spec, wrong)} till kontaktpunkt, men "
                              f"joint.contact_point är {_name(spec, point)}; avtalet skriver "
                              "båda, så rätta den ena")


@rule(
    "PROSA-PERSONUPPGIFTER",
    Severity.WARNING,
    f"artiklarna 4.7, 26 och 28 {GDPR}",
    "Texten om personuppgifter ger parterna samma roller som fälten",
)
def roles_in_prose(spec: Spec) -> Iterator[Finding]:
    """The personal-data text against roles, controller and processor, and a processor
    agreement where the roles have no processor."""
    data = personal_data(spec)
    if not data.get("processed") or "roles" not in data:
        return
    for where, what in _role_claims(spec, data):
        yield Finding(where, f"{what}; avtalet skriver både fälten och texten, så rätta den "
                             "ena så att de säger samma sak")
    yield from (Finding(where, what) for where, what in _contact_claims(spec, data))
    if data["roles"] != "bitrade" and data.get("dpa", {}).get("exists"):
        yield Finding(
            "/information/personal_data/dpa",
            f"ett personuppgiftsbiträdesavtal anges, men roles är {data['roles']} och ingen "
            "part är biträde; skriv roles: bitrade med controller och processor, eller ta "
            "bort dpa",
        )


@rule(
    "GDPR-BITRADE-ANDAMAL",
    Severity.WARNING,
    f"artikel 28.3 a och g {GDPR}",
    "Biträdet behandlar uppgifterna bara för den ansvariges räkning",
)
def processor_own_ends(spec: Spec) -> Iterator[Finding]:
    """A processor that keeps or uses the data for its own follow-up or research: it
    processes only on the controller's instructions and returns or erases the data when
    the service ends."""
    data = personal_data(spec)
    processor = data.get("processor")
    if data.get("roles") != "bitrade" or processor is None:
        return
    names = _names(spec)
    for where, text in own_texts(spec):
        for clause in clauses(text):
            match = OWN_END.search(clause)
            own = processor in names.at(clause, RESIDENTS)  # its own residents' data
            said = match.group(0) if match and processor in names.named(clause) else (
                _processor_plan(clause, processor, names))
            if said and not own:
                yield Finding(
                    where,
                    f"texten låter biträdet {_name(spec, processor)} ”{said}”, men "
                    "ett biträde behandlar uppgifterna bara på den ansvariges instruktioner "
                    "och lämnar tillbaka eller raderar dem när uppdraget är slut; stryk det, "
                    "eller beskriv parten som personuppgiftsansvarig för den behandlingen",
                )


@rule(
    "GDPR-GEMENSAMT-PARTER",
    Severity.WARNING,
    f"artikel 26 {GDPR}",
    "Parter med samma roll har samma ställning i det gemensamma ansvaret",
)
def joint_controllers_alike(spec: Spec) -> Iterator[Finding]:
    """Joint controllers that leave out a party whose roles equal a listed party's."""
    data = personal_data(spec)
    listed = {c.get("party") for c in data.get("joint", {}).get("controllers", [])}
    if data.get("roles") != "gemensamt" or not listed:
        return
    point = data.get("joint", {}).get("contact_point", {})
    if point.get("party") and point["party"] not in listed:
        yield Finding(
            "/information/personal_data/joint/contact_point/party",
            f"kontaktpunkten är {_name(spec, point['party'])}, som inte är bland de gemensamt "
            "personuppgiftsansvariga; välj en av dem, eller lägg till parten bland "
            "controllers",
        )
    roles = {p["id"]: frozenset(p["roles"]) for p in spec.data["parties"]}
    inside = {roles[p] for p in listed if p in roles}
    for party_id, own in roles.items():
        if party_id not in listed and own in inside:
            yield Finding(
                "/information/personal_data/joint/controllers",
                f"{_name(spec, party_id)} saknas bland de gemensamt personuppgiftsansvariga, "
                "men en part med samma roller finns där; lägg till parten, eller beskriv i "
                "arrangement varför den står utanför",
            )


# --------------------------------------------------------------------------- archive

KEEPER = re.compile(
    rf"{_party()},?\s+(?:som\s+)?(?:\w+\s+)?(?:bevarar|arkiverar)\b"
    rf"|\b(?:bevaras|arkiveras)\s+(?:\w+\s+){{0,3}}?(?:hos|av|i)\s+"
    + _party("party2")
)


@rule(
    "PROSA-ARKIV",
    Severity.WARNING,
    "arkivlagen (1990:782)",
    "Texten om arkivet låter samma part bevara handlingarna som archive_responsible",
)
def archive_in_prose(spec: Spec) -> Iterator[Finding]:
    """A records text in which another party than the archive's keeps the records."""
    records = spec.data.get("information", {}).get("records", {})
    keeper = records.get("archive_responsible")
    if keeper is None:
        return
    names = _names(spec)
    for where, text in texts(spec.data, "/information/records"):
        for clause in clauses(text):
            others = [p for p in names.at(clause, KEEPER)
                      if p != keeper and p not in names.at(clause, RESIDENTS)]
            if others and keeper not in names.at(clause, KEEPER):
                yield Finding(
                    where,
                    f"texten säger att {_listed(spec, others)} bevarar handlingarna, men "
                    f"archive_responsible är {keeper}; rätta texten eller fältet",
                )


# --------------------------------------------------------------------------- staff

MOVES = re.compile(
    r"\b(?:verksamhetsövergång\w*|går över|övergår|byter arbetsgivare|flyttas över)\b", re.I
)
STAFF = re.compile(
    r"\b(?:personal\w*|anställd\w*|medarbetar\w*|\w*sekreterar\w*|\w*handläggar\w*"
    r"|arbetsgivar\w*|verksamhetsövergång\w*)",
    re.I,
)
TO = re.compile(r"\btill\s+" + _party())
# The parties staff move from (”personal från Danderyd och Lidingö går över”).
FROM = re.compile(r"\bfrån\s+(?P<party>[^,;]*?)(?=\s+(?:till|går|övergår|byter|flyttas)\b|,|$)")


@rule(
    "PROSA-OVERGANG",
    Severity.WARNING,
    SKR,
    "Texten om verksamhetsövergång nämner samma parter som staff.transfer_from",
)
def transfer_parties(spec: Spec) -> Iterator[Finding]:
    """The parties whose staff the text moves, against transfer_from: the staff reports
    of the parties in the field describe the move and its negotiation."""
    staff = spec.data.get("staff", {})
    listed = staff.get("transfer_from")
    if not staff.get("transfer") or not listed:
        return
    names = _names(spec)
    for where, text in own_texts(spec):
        for clause in clauses(text):
            if not (MOVES.search(clause) and STAFF.search(clause)):
                continue
            receivers = names.at(clause, TO)
            sources = names.at(clause, FROM)
            moved = sources or [p for p in names.named(clause) if p not in receivers]
            if moved and set(moved) != set(listed):
                yield Finding(
                    where,
                    f"texten flyttar personal från {_listed(spec, moved)}, men "
                    f"staff.transfer_from anger {_listed(spec, listed)}; beslutsunderlagen "
                    "följer fältet, så rätta texten eller fältet",
                )


# --------------------------------------------------------------------------- delegates


@rule(
    "PROSA-DELEGAT",
    Severity.WARNING,
    "9 kap. 37 § kommunallagen (2017:725)",
    "Delegaterna i fri text är anställda hos den part som utför uppgiften",
)
def delegates_sentence(spec: Spec) -> Iterator[Finding]:
    """Delegates written as a sentence that names only parties which do not perform."""
    delegates = spec.data.get("delegation", {}).get("external", {}).get("delegates")
    if not isinstance(delegates, str):
        return
    parties = {p["id"]: p for p in spec.data["parties"]}
    named = _names(spec).named(delegates)
    if named and not any(performs(parties[p]) for p in named):
        yield Finding(
            "/delegation/external/delegates",
            f"delegaterna anges som anställda hos {_listed(spec, named)}, som inte utför "
            "uppgiften; extern delegering går bara till anställda hos den part som utför "
            "den. Skriv delegaterna som en lista med party, title och employment",
        )


# --------------------------------------------------------------------------- amendments

ORGAN = re.compile(
    r"(?P<organ>[\wåäöÅÄÖ-]+(?:\s+och\s+[\wåäöÅÄÖ-]+)?(?:nämnden|styrelsen|fullmäktige))"
    r"\s+i\s+" + _party()
    + r"|" + _party("owner") + r"s\s+(?P<own>[\wåäöÅÄÖ-]+(?:\s+och\s+"
    r"[\wåäöÅÄÖ-]+)?(?:nämnd|styrelse|fullmäktige)\w*)"
)


def _deciders(party: Mapping[str, Any]) -> set[str]:
    """The names of the organs that decide on the agreement for a party, in lower case
    and definite form as prose writes them."""
    organs = {o["id"]: str(o["name"]) for o in party.get("organs", [])}
    found: set[str] = set()
    for _, decision in decision_blocks(party):
        found.add(organs.get(decision.get("organ", ""), ""))
        found.update(str(step["name"]) for step in decision.get("path", []))
    return {_definite(name) for name in found if name}


def _definite(name: str) -> str:
    name = name.lower()
    for noun, form in (("nämnd", "nämnden"), ("styrelse", "styrelsen")):
        if name.endswith(noun):
            return name + form[len(noun):]
    return name


@rule(
    "PROSA-ANDRINGAR",
    Severity.WARNING,
    "6 kap. 6 § kommunallagen (2017:725)",
    "Väsentliga ändringar godkänns av ett organ som beslutar om avtalet",
    kinds=ALL_KINDS,
)
def amendment_organs(spec: Spec) -> Iterator[Finding]:
    """An organ named for a party's material changes that takes no part in the party's
    decision on the agreement: the change would be decided outside the matter's path."""
    text = spec.data.get("amendments", {}).get("material_approved_by")
    if not isinstance(text, str):
        return
    names = _names(spec)
    parties = {p["id"]: p for p in spec.data["parties"]}
    for match in ORGAN.finditer(text):
        organ = _definite(match.group("organ") or match.group("own"))
        for party_id in names.named(match.group("party") or match.group("owner")):
            deciders = _deciders(parties[party_id])
            if deciders and organ not in deciders:
                yield Finding(
                    "/amendments/material_approved_by",
                    f"väsentliga ändringar godkänns enligt texten av {organ} i "
                    f"{_name(spec, party_id)}, men där beslutar "
                    f"{join_and(sorted(deciders))} om avtalet; skriv det organ som "
                    "antar avtalet, eller rätta beslutsgången",
                )


# --------------------------------------------------------------------------- other names

# A municipality or region as prose names one (”Norrköpings kommun”, ”Lidingö stad”,
# ”Region Östergötland”); a word that begins a sentence and is no name (”Varje kommun”,
# ”Mottagande kommun”) does not count.
BODY = re.compile(
    r"(?<![\wåäöÅÄÖ])(?P<body>(?P<word>[A-ZÅÄÖ][\wåäöéÅÄÖ-]+) (?:kommun|stad)"
    r"|Region [A-ZÅÄÖ][\wåäöéÅÄÖ-]+)(?![\wåäöÅÄÖ])"
)
NO_NAME = re.compile(
    r"^(?:Varje|Den|Denna|Detta|Respektive|En|Ett|Annan|Samma|Egen|Aktuell|Berörd|Vilken"
    r"|Någon|Ingen|Var|Vardera|Ansvarig|Närmaste|Största|Minsta|Enskild|Hel|Hela|Vald"
    r"|\w+(?:ande|ende|ad|da|de))$"
)
@rule(
    "PROSA-PARTNAMN",
    Severity.WARNING,
    "9 kap. 37 § kommunallagen (2017:725)",
    "Texterna nämner bara de kommuner och regioner som är parter",
    kinds=ALL_KINDS,
)
def other_bodies(spec: Spec) -> Iterator[Finding]:
    """A municipality, or (where a region is a party) a region, that the text names and
    that is no party: most often a name left from the case the text was copied from."""
    names = _names(spec)
    regions = any(p.get("type") == "region" for p in spec.data["parties"])
    for where, text in own_texts(spec):
        if JOINING.search(text):  # on a body that may join later: named throughout
            continue
        found = [m["body"] for sentence in sentences_of(text) if not COMPARED.search(sentence)
                 for m in BODY.finditer(sentence) if _stranger(m, names, regions)]
        if found:
            yield Finding(
                where,
                f"texten nämner ”{found[0]}”, som inte är part i avtalet; är det en rest från "
                "ett annat ärende, skriv rätt part",
            )


# A sentence that names another body to compare with it (”som förebild”, ”en liknande
# samverkan”, ”erfarenheter från”).
COMPARED = re.compile(
    r"förebild|liknande|erfarenhet\w*|\bmodell\w* (?:från|i|som)|jämför\w*|efter mönster"
    r"|inspir\w*|som exempel|\bt\.ex\.|till exempel|på samma sätt som|\bsom i\b"
    r"|\bsedan (?:19|20)\d\d|\bhar arbetat|\barbetar redan|\benligt metoden",
    re.I,
)



def _stranger(match: re.Match[str], names: Names, regions: bool) -> bool:
    """True when a named municipality (or, where a region is a party, region) is none."""
    word = match["word"]
    if word is None and not regions:
        return False
    if word is not None and NO_NAME.match(word):
        return False
    return not names.named(match["body"])


@rule(
    "BESLUT-UPPDRAG-PART",
    Severity.ERROR,
    "6 kap. 6 § kommunallagen (2017:725)",
    "Ett uppdrag i beslutet går till ett organ hos den egna parten",
    kinds=ALL_KINDS,
)
def commission_to_other_party(spec: Spec) -> Iterator[Finding]:
    """A decision point that gives a task to an organ named as another party's: a kommun's
    or region's organs instruct only their own, so the point cannot be adopted."""
    names = _names(spec)
    for index, party in enumerate(spec.data["parties"]):
        for where, block in decision_blocks(party):
            for number, commission in enumerate(block.get("commissions", [])):
                others = [p for p in names.named(str(commission.get("organ", "")))
                          if p != party["id"]]
                if others:
                    yield Finding(
                        f"/parties/{index}/{where}/commissions/{number}/organ",
                        f"uppdraget går till {commission['organ']}, som hör till "
                        f"{_listed(spec, others)}; {party['name']} kan bara ge sina egna organ "
                        "uppdrag. Skriv uppgiften i avtalet, eller låt den parten besluta själv",
                    )


@rule(
    "BESLUT-DIARIENUMMER",
    Severity.WARNING,
    "avtal: varje part diarieför ärendet hos sig (partens decision.diarienummer)",
    "Varje part har sitt eget diarienummer för ärendet",
    kinds=ALL_KINDS,
)
def shared_case_number(spec: Spec) -> Iterator[Finding]:
    """Two parties' decision blocks with one diarienummer: each party registers the
    matter in its own diarium, so one of them is most often copied from the other."""
    seen: dict[str, str] = {}
    for index, party in enumerate(spec.data["parties"]):
        numbers = {str(block["diarienummer"]).strip(): f"/parties/{index}/{where}/diarienummer"
                   for where, block in decision_blocks(party) if "diarienummer" in block}
        for number, where in numbers.items():
            if number in seen and seen[number] != party["id"]:
                yield Finding(
                    where,
                    f"diarienumret {number} är också {_name(spec, seen[number])}s; varje part "
                    "diarieför ärendet hos sig, så skriv partens eget nummer",
                )
            seen.setdefault(number, party["id"])


@rule(
    "BESLUT-HANDLAGGARE",
    Severity.WARNING,
    "avtal: varje part bereder ärendet hos sig (partens decision.case_officer)",
    "Varje parts tjänsteutlåtande har en egen handläggare",
    kinds=ALL_KINDS,
)
def shared_case_officer(spec: Spec) -> Iterator[Finding]:
    """A staff report whose case officer (by name or telephone) is another party's: the
    report goes out under the party's letterhead, signed by the other party's official,
    most often a block copied from the other party."""
    seen: dict[str, str] = {}
    for index, party in enumerate(spec.data["parties"]):
        mine: dict[str, str] = {}
        for where, block in decision_blocks(party):
            officer = block.get("case_officer")
            if isinstance(officer, Mapping):
                for key in ("name", "phone"):
                    if officer.get(key):
                        mine.setdefault(_plain(officer[key]),
                                        f"/parties/{index}/{where}/case_officer/{key}")
        shared = next(((v, w) for v, w in mine.items()
                       if v in seen and seen[v] != party["id"]), None)
        if shared is not None:
            value, where = shared
            yield Finding(
                where,
                f"handläggaren i {genitive(party['name'])} tjänsteutlåtande har samma "
                f"{'telefon' if where.endswith('phone') else 'namn'} som "
                f"{genitive(_name(spec, seen[value]))}; varje part bereder ärendet hos sig, "
                "så skriv partens egen handläggare",
            )
        for value in mine:
            seen.setdefault(value, party["id"])


@rule(
    "KONTAKT-ANNAN-PART",
    Severity.WARNING,
    "avtal: varje part anger sina egna kontaktvägar (parties[].contacts)",
    "En parts kontaktuppgifter är partens egna",
    kinds=ALL_KINDS,
)
def contact_of_another_party(spec: Spec) -> Iterator[Finding]:
    """A party's contact with an e-mail address in a domain another party uses and the
    party itself uses nowhere else (a line copied from the other party's file): mail and,
    most often, calls for the one go to the other."""
    parties = spec.data["parties"]
    stems = {party["id"]: _name_stems(party) for party in parties}  # once, not per contact
    users: dict[str, Counter[str]] = {}  # a domain -> the parties' contacts that use it
    with_email: Counter[str] = Counter()  # a party -> its contacts with an e-mail address
    for party in parties:
        for contact in party.get("contacts", []):
            if domain := _domain(contact.get("email")):
                users.setdefault(domain, Counter())[party["id"]] += 1
                with_email[party["id"]] += 1
    naming: dict[str, set[str]] = {}  # a domain -> the parties whose names it carries
    for index, party in enumerate(parties):
        own_id = party["id"]
        for number, contact in enumerate(party.get("contacts", [])):
            domain = _domain(contact.get("email"))
            if not domain:
                continue
            if domain not in naming:
                naming[domain] = {who for who, words in stems.items() if _carries(domain, words)}
            named = naming[domain]
            others = sorted((set(users[domain]) | named) - {own_id})
            own = own_id in named or users[domain][own_id] > 1  # its own, elsewhere too
            mine = own_id in named or with_email[own_id] > 1  # the party has e-mail elsewhere
            if others and (mine or named) and not own:
                yield Finding(
                    f"/parties/{index}/contacts/{number}/email",
                    f"kontakten ”{contact.get('function', '')}” hos {party['name']} har en "
                    f"e-postadress hos {_name(spec, others[0])} ({domain}), som {party['name']} "
                    "inte använder i sina andra kontakter; skriv partens egna kontaktuppgifter",
                )


_GENERIC = {"kommun", "stad", "region", "regionen", "kommunalförbund"}


def _name_stems(party: Mapping[str, Any]) -> set[str]:
    """The words of a party's name an e-mail domain may carry (”abrink” for Åbrinks
    kommun): without the generic words, a genitive s or hyphens."""
    words = [w for w in str(party.get("name", "")).split() if w.lower() not in _GENERIC]
    return {as_id(w).removesuffix("s").replace("-", "") for w in words}


def _carries(domain: str, stems: set[str]) -> bool:
    """The e-mail domain carries one of the name's stems as a label, or at a label's
    start or end (”regionstockholm.se”)."""
    labels = [label.replace("-", "") for label in domain.split(".")[:-1]]
    return any(label == stem or (len(stem) >= 4 and (label.startswith(stem)
                                                     or label.endswith(stem)))
               for stem in stems for label in labels)


def _domain(email: object) -> str:
    text = str(email or "").strip().lower()
    return text.rsplit("@", 1)[1] if "@" in text else ""


def _plain(value: object) -> str:
    return re.sub(r"[\s-]+", "", str(value)).lower()


@rule(
    "PART-CHEF-LEDAMOT",
    Severity.ERROR,
    laws.cite("chef-ej-ledamot"),
    "Ingen förvaltningschef undertecknar som ordförande eller ledamot i nämnden",
    kinds=ALL_KINDS,
)
def chief_signs_as_member(spec: Spec) -> Iterator[Finding]:
    """A signatory with an elected title (ordförande i socialnämnden) whom the same party
    names elsewhere as a chief of its förvaltning (a case officer, a contact): a chief of a
    förvaltning under the nämnd cannot sit in it, so one of the two is a copied name."""
    for index, party in enumerate(spec.data["parties"]):
        chiefs = _chiefs(party)
        for number, signatory in enumerate(party.get("signatories", [])):
            title = str(signatory.get("title", ""))
            name = str(signatory.get("name", "")).strip()
            if name and dm.elected(title) and name.lower() in chiefs:
                yield Finding(
                    f"/parties/{index}/signatories/{number}/name",
                    f"{name} undertecknar som ”{title}”, men {party['name']} anger också "
                    f"{name} som {chiefs[name.lower()]}; den som är chef för en förvaltning "
                    "under nämnden kan inte vara ledamot i den "
                    f"({laws.cite('chef-ej-ledamot')}); rätta namnet på den ena platsen",
                )


_CHIEF_TITLE = re.compile(r"\w*chef\b|\w*chefen\b|\w*direktör\w*", re.I)


def _chiefs(party: Mapping[str, Any]) -> dict[str, str]:
    """The names the party gives a chief's title (case officers, contacts): name -> title."""
    found: dict[str, str] = {}
    people = [block.get("case_officer") for _, block in decision_blocks(party)]
    people += [{"name": c.get("name"), "title": c.get("function")}
               for c in party.get("contacts", []) if isinstance(c, Mapping)]
    for person in people:
        if isinstance(person, Mapping) and person.get("name"):
            title = str(person.get("title") or "")
            if _CHIEF_TITLE.search(title) and not title.lower().startswith(
                    ("enhetschef", "avdelningschef", "biträdande", "gruppchef")):
                found[str(person["name"]).strip().lower()] = title.lower()
    return found


# Lists whose items name the party they concern beside their text.
_TAGGED_ITEMS = ("/implementation", "/procurement/hamburg/contributions")


@rule(
    "PROSA-PART-PUNKT",
    Severity.WARNING,
    "avtal: en punkt med party gäller den parten",
    "En punkt som anger en part har den parten som subjekt i sin text",
    kinds=ALL_KINDS,
)
def item_of_another_party(spec: Spec) -> Iterator[Finding]:
    """An item tagged with one party whose text opens with another party as its subject
    (”Dalstads kommun, som driver personligt ombud, informerar …” under Region
    Västerdal): the document prints it under the wrong party's name."""
    names = _names(spec)
    for place in _TAGGED_ITEMS:
        items = value_at(spec.data, place)
        for number, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, Mapping) or "party" not in item:
                continue
            text = str(item.get("text", "")).strip()
            opening = names.pattern.match(text)
            if opening is None:
                continue
            subject = names.owner[opening.group(1)]
            if subject != item["party"] and item["party"] not in names.named(text):
                yield Finding(
                    f"{place}/{number}/party",
                    f"punkten gäller {_name(spec, str(item['party']))}, men texten börjar med "
                    f"{_name(spec, subject)} som den som gör något; rätta party eller texten",
                )


_COUNT_WORDS = {"två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
                "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14,
                "femton": 15, "sexton": 16, "sjutton": 17, "arton": 18, "nitton": 19,
                "tjugo": 20}
# ”Fyra städer föreslås …”, ”länets 13 kommuner”, ”de tre parterna”: the parties counted.
COUNTED = re.compile(
    r"(?:^\s*|\b(?:de|alla|samtliga|länets|våra|dessa)\s+)(?P<n>\d{1,3}|"
    + "|".join(_COUNT_WORDS) + r")\s+(?P<what>kommuner|städer|parter)(?:na)?\b",
    re.I,
)
# A sentence that counts the parties of this agreement (not others: ”tre av länets tio”).
ABOUT_THESE = re.compile(r"föreslås|samverkar|ingår|avtalet|överenskommelsen|parterna", re.I)


@rule(
    "PROSA-PARTANTAL",
    Severity.WARNING,
    "9 kap. 37 § kommunallagen (2017:725)",
    "Texterna räknar parterna som avtalet har dem",
    kinds=ALL_KINDS,
)
def counted_parties(spec: Spec) -> Iterator[Finding]:
    """A text that counts the kommuner (or städer, or parties) of the agreement otherwise
    than its parties: most often a number left from another case."""
    parties = spec.data["parties"]
    if "hub" in spec.data:
        return  # a hub's texts speak of each agreement, not of the whole
    counts = {"kommuner": sum(p.get("type") == "kommun" for p in parties),
              "städer": sum(p.get("type") == "kommun" for p in parties),
              "parter": len(parties)}
    for where, text in own_texts(spec):
        for sentence in sentences_of(text):
            if not ABOUT_THESE.search(sentence) or re.search(r"\bav\s+\w+\s+\d|\bav länets",
                                                            sentence, re.I):
                continue
            for match in COUNTED.finditer(sentence):
                word = match["n"].lower()
                said = int(word) if word.isdigit() else _COUNT_WORDS[word]
                if said != counts[match["what"].lower()]:
                    yield Finding(
                        where,
                        f"texten talar om ”{match.group(0)}”, men avtalet har "
                        f"{counts[match['what'].lower()]} {match['what'].lower()}; rätta texten",
                    )
                    break
            else:
                continue
            break


@rule(
    "BESLUT-UPPDRAG-ORGAN",
    Severity.WARNING,
    "6 kap. 6 § kommunallagen (2017:725)",
    "Ett uppdrag i beslutet går till ett organ som parten har, med dess namn",
    kinds=ALL_KINDS,
)
def commission_organ_named(spec: Spec) -> Iterator[Finding]:
    """A task given to an organ whose name is part of (or contains) the name of one of the
    party's organs but is not it (”Utbildningsnämnden” where the party has ”Barn- och
    utbildningsnämnden”): most often a name copied from another party."""
    for index, party in enumerate(spec.data["parties"]):
        own = {str(o["name"]).lower(): str(o["name"]) for o in party.get("organs", [])}
        for where, block in decision_blocks(party):
            for number, commission in enumerate(block.get("commissions", [])):
                named = str(commission.get("organ", "")).strip()
                near = [name for low, name in own.items() if low != named.lower() and (
                    low.endswith(" " + named.lower()) or named.lower().endswith(" " + low))]
                if near and named.lower() not in own:
                    yield Finding(
                        f"/parties/{index}/{where}/commissions/{number}/organ",
                        f"uppdraget går till ”{named}”, men {party['name']} har "
                        f"”{near[0]}”; skriv organets namn som parten har det",
                    )


# Who the text says runs the activity: ”en socialjour som Åbrinks kommun driver”, ”Åbrink
# driver jouren”, ”Åbrink är utförare”.
RUNS = re.compile(
    rf"\bsom\s+{_party()}{_ORGAN_WORDS}\s+driver\b"
    rf"|{_party('party2')}{_ORGAN_WORDS}\s+(?:driver|är\s+utförare|blir\s+utförare)\b"
)


@rule(
    "PROSA-UTFORARE",
    Severity.WARNING,
    "avtal: parternas roller (parties[].roles)",
    "Texterna låter den part driva verksamheten som avtalet gör till utförare",
)
def runner_in_prose(spec: Spec) -> Iterator[Finding]:
    """A text that has an ordering party run the activity (most often a name left from
    another case, or the parties mixed up): the nämnd reads who does what in its report."""
    names = _names(spec)
    ordering = {p["id"] for p in spec.data["parties"] if only_orders(p)}
    for where, text in own_texts(spec):
        for clause in clauses(text):
            wrong = [p for p in names.at(clause, RUNS) if p in ordering]
            if wrong:
                yield Finding(
                    where,
                    f"texten säger att {_listed(spec, wrong)} driver verksamheten, men i "
                    f"avtalet beställer {'den' if len(wrong) == 1 else 'de'} bara; rätta "
                    "namnet eller rollerna",
                )
                break
