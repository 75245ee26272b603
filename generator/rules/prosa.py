"""Free text read for claims the structured data contradicts, and prose where a field
exists. Conservative: a scan looks for a few unambiguous words, skips a clause that
negates (”inget vinstpåslag”, ”barn ingår inte”), and only ever warns, naming the field
and the words it found."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from .. import delegation as dm
from .. import laws
from ..errors import Severity
from ..load import Spec, escape_pointer, walk
from ..model import PERFORMER_ROLES, decision_blocks, decision_path
from ..render import months as months_word
from .registry import ALL_KINDS, Finding, rule

SKR = "SKR: Avtalssamverkan inom socialtjänsten (2023)"
KL_DELEGATION = laws.cite("extern-delegering")
BARNKONVENTIONEN = (
    "lagen (2018:1197) om Förenta nationernas konvention om barnets rättigheter, artikel 1"
)
# A clause is what lies between these marks (a full stop, colon or the like before a
# space or the end, or a line break); a negation anywhere in it spares it. A sentence ends
# at a full stop, question or exclamation mark or semicolon before a space. The full
# stops of an abbreviation end neither (”fr.o.m. 1 mars”, ”9 kap. 37 §”, ”t.ex.”).
_CLAUSE = re.compile(r"[.;:!?]+(?=\s|$)|\n+")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")
_ABBREVIATION = re.compile(
    r"\b(?:fr\.o\.m|t\.o\.m|t\.ex|bl\.a|m\.m|o\.s\.v|d\.v\.s|dvs|ca|cirka|resp|kl|nr|jfr"
    r"|s\.k|p\.g\.a|f\.d|inkl|exkl|kap|tel|enl|ang|avd|prop|SFS)\.",
    re.I,
)
_DOT = "\u2024"  # stands in for an abbreviation's full stop while a text is split


def _split(text: str, marks: re.Pattern[str]) -> tuple[str, ...]:
    protected = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", _DOT), text)
    return tuple(part.replace(_DOT, ".") for part in marks.split(protected))


@lru_cache(maxsize=4096)
def clauses_of(text: str) -> tuple[str, ...]:
    """A text's clauses (see _CLAUSE); every prose rule reads the same texts, so each is
    split once."""
    return _split(text, _CLAUSE)


@lru_cache(maxsize=4096)
def sentences_of(text: str) -> tuple[str, ...]:
    """A text's sentences (see _CLAUSE), each text split once."""
    return _split(text, _SENTENCE)


# Words that say a thing happens at once, and a count or summary of what was done (”antalet
# anmälningar”), which the rules on duties done at once read alike.
AT_ONCE = re.compile(r"\bgenast\b|\bomedelbart\b|\butan\s+dröjsmål\b|\bdirekt\b", re.I)
COUNT = re.compile(r"\bantal\w*|\bstatistik\w*|\bsammanställ\w*", re.I)
_NEGATION = re.compile(
    r"\b(inte|ej|icke|ingen|inget|inga|aldrig|varken|utan|utom|undantag\w*|undantas|exklusive"
    r"|avstår|avstå)\b",
    re.I,
)
# A profit, a margin, or a surplus the performer keeps (”behåller det som blir över”) or
# spends on its other work (”använder mellanskillnaden i sin övriga verksamhet”).
_SURPLUS = r"(?:överskott\w*|mellanskillnad\w*|som blir över)"
PROFIT = re.compile(
    rf"\b(vinst\w*|\w*marginal\w*|behåll\w* [^,]*?{_SURPLUS}|påslag\w* [^.,]*?{_SURPLUS}"
    # a mark-up the performer keeps for its own other work
    r"|påslag\w* [^.]*?\bbehåll\w*\b[^.]*?\b(?:sin|sitt|sina|egen|eget|egna)\b"
    rf"|använd\w* [^,.]*?{_SURPLUS}[^.]*?\b(?:sin|sina|egen|egna|övrig\w*) "
    rf"(?:övriga |andra )?(?:verksamhet\w*|socialtjänst\w*)"
    # a surplus kept in the performer's own reserve or equity
    rf"|{_SURPLUS}[^.]*?\b(?:resultatutjämningsreserv\w*|(?:sin|sitt|egen|eget) "
    rf"(?:\w+ )?(?:reserv|eget kapital|resultat)\w*|fonder\w*)"
    # a price set by the market rather than by the cost
    r"|(?:motsvarar|enligt|efter|till|med) (?:\w+ ){0,3}?(?:marknadspris\w*|konsultpris\w*)"
    r"|marknadsmässig\w* (?:pris|ersättning|timpris)\w*"
    r"|som en (?:konsult|privat \w+) (?:skulle ha )?(?:tagit|tar|tagit ut))",
    re.I,
)
CHILDREN = re.compile(r"\b(barn\w*|minderårig\w*|under 18 år)\b", re.I)
SHARED_RECORDS = re.compile(
    r"\b(gemensam(?:ma|t)? (?:journal\w*|dokumentation|akt\w*|verksamhetssystem)|samma journal)\b",
    re.I,
)
DELEGATED = re.compile(r"\b(på delegation|delegera\w*|delegering\w*)\b", re.I)
# Whose delegation it is (”på delegation från Norrströms social- och omsorgsnämnd”).
DELEGATED_FROM = re.compile(r"delegation från (?P<whose>[^.;,]{0,80}?nämnd\w*)", re.I)


def _own_delegation(spec: Spec) -> re.Pattern[str]:
    """Clauses on a delegation from a nämnd of a performing party: its own staff's."""
    words = {str(w) for p in spec.data["parties"] if set(p.get("roles", [])) & set(PERFORMER_ROLES)
             for w in (p.get("name"), p.get("place")) if w}
    if not words:
        return re.compile(r"(?!)")
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"delegation från (?:[^.;,]{{0,40}}?\b)?(?:{names})s?\b[^.;,]{{0,40}}?nämnd",
                      re.I)
# A decision taken in the text (”fatta beslut”, ”beslutet fattas av”); one by an organ
# (”nämnden fattar beslut”) is no one's delegation.
DECIDED = re.compile(r"\b(fatta\w* beslut|beslut\w* fattas av|beslutas av|får besluta)\b", re.I)
BY_ORGAN = re.compile(
    r"\b(?:\w*nämnd\w*|utskott\w*|ordförande\w*|\w*styrelse\w*)"
    # a decision on the performer's own staff or work is its own
    r"|\b(?:sin|sitt|sina) egn?\w*|\begen personal|\barbetsledning\w*|\banställning\w*",
    re.I,
)


def first_found(text: str, find: Callable[[str], str | None]) -> str | None:
    """The words `find` reports in the first clause of a text where it reports any."""
    return next((words for clause in clauses_of(text) if (words := find(clause))), None)


def claims(
    text: str, pattern: re.Pattern[str], spare: re.Pattern[str] | None = None
) -> list[str]:
    """The words of a pattern in the clauses of a text that do not negate them (nor
    match `spare`)."""
    found: list[str] = []
    for clause in clauses_of(text):
        if _NEGATION.search(clause) or (spare is not None and spare.search(clause)):
            continue
        found += [m.group(0) for m in pattern.finditer(clause)]
    return found


def value_at(data: Any, pointer: str) -> Any:
    """The value at a pointer of the spec data, or None when it is not there."""
    node = data
    for token in [t for t in pointer.split("/") if t]:
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, Mapping) and token in node:
            node = node[token]
        else:
            return None
    return node


def texts(data: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """Every string under a pointer of the spec data, with its own pointer (from the
    index while `indexed` holds one for this data)."""
    index: dict[str, list[tuple[str, str]]] | None = getattr(_INDEXED, "index", None)
    if index is not None and _INDEXED.data is data and pointer in index:
        yield from index[pointer]
        return
    node = value_at(data, pointer)
    if node is None:
        return
    for where, value in walk(node, pointer):
        if isinstance(value, str):
            yield where, value


_INDEXED = threading.local()  # the spec data whose strings `indexed` listed, and the lists


@contextlib.contextmanager
def indexed(data: Any) -> Iterator[None]:
    """While the block runs, `texts` of this data comes from one walk over it (the rules
    ask for the same texts some hundred thousand times in a large spec); the data must
    not change meanwhile."""
    index: dict[str, list[tuple[str, str]]] = {}
    _index_strings(data, "", [index.setdefault("", [])], index)
    before = getattr(_INDEXED, "data", None), getattr(_INDEXED, "index", None)
    _INDEXED.data, _INDEXED.index = data, index
    try:
        yield
    finally:
        _INDEXED.data, _INDEXED.index = before


def _index_strings(
    value: Any, pointer: str, lists: list[list[tuple[str, str]]],
    index: dict[str, list[tuple[str, str]]] | None,
) -> None:
    """Each string under `value` added, in walk's order, to the lists of the places above
    it. A place gets a list of its own (`index`) only where value_at finds it by the
    same pointer: a key that holds "/" or "~", is empty or is not a string is looked up
    the slow way, and so are the places below it (index None)."""
    if isinstance(value, str):
        for found in lists:
            found.append((pointer, value))
        return
    if isinstance(value, Mapping):
        children: Iterable[tuple[Any, Any]] = value.items()
        found_by = _plain_key
    elif isinstance(value, list):
        children, found_by = enumerate(value), None
    else:
        return
    for key, child in children:
        place = f"{pointer}/{escape_pointer(key)}"
        if index is not None and (found_by is None or found_by(key)):
            _index_strings(child, place, [*lists, index.setdefault(place, [])], index)
        else:
            _index_strings(child, place, lists, None)


def _plain_key(key: Any) -> bool:
    """A mapping key value_at finds by its pointer as written."""
    return isinstance(key, str) and key != "" and "/" not in key and "~" not in key


# Texts that may speak of others than the parties: the history, the procurement (who else
# buys), the related documents and the legal basis.
ELSEWHERE = ("/background", "/procurement", "/related_documents", "/legal_basis", "/parties")


def own_paths(spec: Spec) -> Iterator[str]:
    """The places of the agreement's own texts and of the parties' decision blocks; not
    those that may speak of others (ELSEWHERE)."""
    yield from (f"/{key}" for key in spec.data if not f"/{key}".startswith(ELSEWHERE))
    yield from block_paths(spec)


def block_paths(spec: Spec) -> Iterator[str]:
    """The place of each party's decision blocks: the staff reports' own texts."""
    for index, party in enumerate(spec.data["parties"]):
        for block, _ in decision_blocks(party):
            yield f"/parties/{index}/{block}"


def own_texts(spec: Spec) -> Iterator[tuple[str, str]]:
    """Every text under own_paths."""
    for place in own_paths(spec):
        yield from texts(spec.data, place)


def _scan(
    spec: Spec, places: tuple[str, ...], pattern: re.Pattern[str],
    spare: re.Pattern[str] | None = None,
) -> Iterator[tuple[str, list[str]]]:
    """Each text under the places with claims of the pattern (a clause that matches
    `spare` is spared too)."""
    for place in places:
        for where, text in texts(spec.data, place):
            words = claims(text, pattern, spare)
            if words:
                yield where, words


def _quoted(words: list[str]) -> str:
    return ", ".join(f"”{w}”" for w in dict.fromkeys(words))


@rule(
    "PROSA-VINST",
    Severity.WARNING,
    f"{SKR} (självkostnadsprincipen)",
    "Ingen text om ersättningen talar om vinst när självkostnadsprincipen gäller",
)
def profit_in_prose(spec: Spec) -> Iterator[Finding]:
    """A profit or margin in the text of an agreement at cost price."""
    if spec.data["economics"].get("principle") != "sjalvkostnad":
        return
    for where, words in _scan(spec, ("/economics", "/additional_clauses"), PROFIT):
        yield Finding(
            where,
            f"texten talar om {_quoted(words)}, men ersättningen följer "
            "självkostnadsprincipen (economics.principle), som inte tillåter vinst; "
            "stryk påslaget ur texten",
        )


@rule(
    "PROSA-BARN",
    Severity.WARNING,
    BARNKONVENTIONEN,
    "Målgruppens beskrivning nämner inte barn när includes_children är false",
    kinds=ALL_KINDS,
)
def children_in_prose(spec: Spec) -> Iterator[Finding]:
    """The target group's text speaks of children the flag says are not there."""
    target = spec.data.get("target_group")
    if target is None or target["includes_children"]:
        return
    places = ("/target_group/description", "/target_group/criteria", "/target_group/forms")
    for where, words in _scan(spec, places, CHILDREN):
        yield Finding(
            where,
            f"målgruppens beskrivning nämner {_quoted(words)}, men "
            "target_group.includes_children är false; skriv includes_children: true så att "
            "barnrättsperspektivet kommer med, eller rätta texten",
        )


def _records_separate(spec: Spec) -> str | None:
    """The field that says each party keeps its own records, or None."""
    info = spec.data.get("information", {})
    if info.get("records", {}).get("shared") is False:
        return "information.records.shared: false"
    if info.get("personal_data", {}).get("roles") == "separata" and "shared" not in info.get(
        "records", {}
    ):
        return "information.personal_data.roles: separata"
    return None


@rule(
    "PROSA-JOURNAL",
    Severity.WARNING,
    "offentlighets- och sekretesslagen (2009:400); dataskyddsförordningen (EU) 2016/679",
    "Ingen text talar om gemensam journal när parterna dokumenterar var för sig",
)
def shared_records_in_prose(spec: Spec) -> Iterator[Finding]:
    """"Gemensam journal" where the data says each party keeps its own records."""
    separate = _records_separate(spec)
    if separate is None:
        return
    for where, words in _scan(spec, ("/information",), SHARED_RECORDS):
        yield Finding(
            where,
            f"texten talar om {_quoted(words)}, men enligt {separate} dokumenterar varje "
            "part för sig; skriv information.records.shared: true och beskriv det "
            "gemensamma ansvaret, eller rätta texten",
        )


@rule(
    "PROSA-DELEGERING",
    Severity.WARNING,
    f"{KL_DELEGATION}; {SKR}",
    "Uppgifterna talar inte om beslut på delegation när avtalet inte har extern delegering",
)
def delegation_in_prose(spec: Spec) -> Iterator[Finding]:
    """A task says the performer decides on delegation; the delegation says it does not."""
    if spec.data.get("delegation", {}).get("external", {}).get("used"):
        return
    # ”på delegation” elsewhere may be the nämnd's own delegation to its own staff.
    tasks = ("/tasks/included", *_performers_duties(spec))
    found: dict[str, list[str]] = {}
    for where, words in _scan(spec, tasks, DELEGATED, spare=_own_delegation(spec)):
        found.setdefault(where, []).extend(words)
    places = (*tasks, "/assignments", "/additional_clauses", "/principal_responsibility")
    for where, words in _scan(spec, places, DECIDED, spare=BY_ORGAN):
        found.setdefault(where, []).extend(words)
    for where, words in found.items():
        yield Finding(
            where,
            f"texten talar om {_quoted(words)}, men delegation.external.used är inte true; "
            "skriv den externa delegeringen under delegation.external (used, delegates, "
            "decision_types), eller rätta texten",
        )


# A text that says no power to decide is given to the other party.
NO_DELEGATION = re.compile(
    r"\bingen (?:\w+ ){0,2}beslutanderätt\w* (?:\w+ ){0,2}(?:delegeras|lämnas|överlåts|"
    r"överförs|ges)\b|\bbeslutanderätt\w* (?:delegeras|lämnas|överlåts|överförs) inte\b|"
    r"\binga beslut (?:\w+ ){0,3}delegeras\b|\b(?:ingen|utan) (?:extern )?delegering\b",
    re.I)


@rule(
    "PROSA-INGEN-DELEGERING",
    Severity.WARNING,
    f"{KL_DELEGATION}; {SKR}",
    "Ingen text säger att ingen beslutanderätt delegeras när avtalet har extern delegering",
)
def no_delegation_in_prose(spec: Spec) -> Iterator[Finding]:
    """A staff report that tells the nämnd no decision is delegated to the other party,
    while the agreement lets the other party's staff decide (delegation.external.used):
    the nämnd would decide on a delegation it was told it is not making."""
    if not spec.data.get("delegation", {}).get("external", {}).get("used"):
        return
    # A performing party delegates nothing itself: its own report may say so.
    performers = {f"/parties/{i}/" for i, party in enumerate(spec.data["parties"])
                  if set(party.get("roles", [])) & set(PERFORMER_ROLES)}
    for where, text in own_texts(spec):
        if where.startswith(tuple(performers)):
            continue
        found = NO_DELEGATION.search(text)
        if found is not None:
            yield Finding(
                where,
                f"texten säger ”{found.group(0)}”, men avtalet låter den andra partens "
                "anställda besluta på nämndens vägnar (delegation.external.used); rätta "
                "texten, så att nämnden vet vad den delegerar",
            )


def _performers_duties(spec: Spec) -> list[str]:
    """The places of the duties of the roles that perform (a principal's duty to decide is
    its own)."""
    entries = spec.data.get("responsibilities", [])
    return [f"/responsibilities/{i}" for i, entry in enumerate(entries)
            if entry.get("role") in PERFORMER_ROLES]


# --------------------------------------------------------------------------- prose for a field


# Prose that says the opposite of a yes-or-no field: each row the field's place, the value
# the prose contradicts, the places of prose, the words, and what to write.
TAKEOVER = re.compile(
    r"\b(övert\w*(?: [\wåäöÅÄÖ-]+){0,5}? huvudmannaskap\w*"
    r"|huvudmannaskap\w* (?:övergår|flyttas|går över))",
    re.I,
)
_SELDOM = r"(?:vartannat år|vart (?:tredje|fjärde|femte) år|varannan mandatperiod)"
_REPORT = r"\w*(?:rapport|redovis|fullmäktige)\w*"
SELDOM = re.compile(rf"\b({_SELDOM}[^.]*?\b{_REPORT}|{_REPORT}[^.]*?\b{_SELDOM})", re.I)
# A nämnd as the one that gives fullmäktige the yearly report (9 kap. 38 § KL: styrelsen).
NAMND_REPORTS = re.compile(
    r"\b\w*nämnd\w*[^.;]{0,60}?\b(?:redovisar|rapporterar|redogör)\b[^.;]{0,60}?"
    r"\b(?:kommun|region)?fullmäktige\b",
    re.I,
)
TRANSFER = re.compile(
    r"\b(verksamhetsövergång\w*|(?:går|gå) över (?:till|från)|övergår till)\b", re.I
)


# What a text on the ongoing assignments says happens to them: broken off or handed back,
# or finished.
BROKEN_OFF = re.compile(
    r"\b(?:avbryts|avbrytas|lämnas tillbaka|återlämnas|tas tillbaka|tar över "
    r"(?:ansvaret|ärende\w*|uppdrag\w*|behandling\w*))\b", re.I)
FINISHED = re.compile(r"\b(?:slutförs|slutföras|fullföljs|fullföljas|avslutas enligt)\b", re.I)
# A time cap on finishing them (”dock högst tre månader”): not finished, cut off.
CAPPED = re.compile(r"\b(?:högst|längst|som längst|som mest)\s+\w+\s+"
                    r"(?:dag|dagar|vecka|veckor|månad|månader|år)\b", re.I)
_ENDED = re.compile(f"{BROKEN_OFF.pattern}|{CAPPED.pattern}", re.I)
_ONGOING_SAID = {"slutfors": (_ENDED, "slutförs på avtalets villkor"),
                 "aterlamnas": (FINISHED, "lämnas tillbaka när avtalet upphör")}


@rule(
    "PROSA-PAGAENDE",
    Severity.WARNING,
    SKR,
    "Texten om pågående uppdrag säger det som ongoing_assignments_rule säger",
)
def ongoing_in_prose(spec: Spec) -> Iterator[Finding]:
    """The text on ongoing assignments says they are broken off the day the agreement ends
    where the rule says they are finished (or the other way round); the agreement prints
    both."""
    termination = spec.data.get("termination", {})
    said = _ONGOING_SAID.get(str(termination.get("ongoing_assignments_rule", "")))
    if said is None:
        return
    pattern, rule_says = said
    for where, words in _scan(spec, ("/termination/ongoing_assignments",), pattern):
        yield Finding(
            where,
            f"texten säger {_quoted(words)}, men ongoing_assignments_rule säger att pågående "
            f"uppdrag {rule_says}, och avtalet skriver båda; rätta texten eller fältet",
        )


# What a text says of the population split over the years: counted again every year, or
# fixed for the whole term.
_RECOUNTED = re.compile(
    r"\b(?:uppdater\w*|räknas om|omräkn\w*|justeras|ändras)\b[^.;]*?"
    r"\b(?:varje år|årligen|en gång per år)\b"
    r"|\b(?:varje år|årligen)\b[^.;]*?\b(?:uppdater\w*|räknas om|omräkn\w*)", re.I)
_FIXED = re.compile(r"\b(?:räknas inte om|ligger fast|låses|är låst\w*|"
                    r"(?:gäller|står) oförändrad\w* under (?:hela )?avtalstiden)\b", re.I)
_POPULATION = re.compile(r"\binvånar\w*|\bbefolkning\w*|\bfördelning\w*", re.I)


@rule(
    "PROSA-OMRAKNING",
    Severity.WARNING,
    SKR,
    "Texten om invånarantalen säger det som recalculated_yearly säger",
)
def recount_in_prose(spec: Spec) -> Iterator[Finding]:
    """recalculated_yearly: false where a text says the populations are updated every
    year (or true where a text fixes them for the term): the cost split says one thing
    and the accounting another."""
    model = spec.data.get("economics", {}).get("model", {})
    if "recalculated_yearly" not in model:
        return
    recounted = bool(model["recalculated_yearly"])
    pattern = _FIXED if recounted else _RECOUNTED
    for place in ("/economics", "/amendments", *block_paths(spec)):
        for where, text in texts(spec.data, place):
            said = _population_claim(text, pattern, negated_too=recounted)
            if said is not None:
                yield Finding(
                    where,
                    f"texten säger ”{said}”, men recalculated_yearly är "
                    f"{'true' if recounted else 'false'}: fördelningen räknas "
                    f"{'om varje år' if recounted else 'inte om'}; rätta texten eller fältet",
                )


def _population_claim(text: str, pattern: re.Pattern[str], *, negated_too: bool) -> str | None:
    """The words of the first clause on the population split that says `pattern` (a
    negated clause only when the pattern is itself a negation)."""
    for clause in clauses_of(text):
        if not _POPULATION.search(clause) or (not negated_too and _NEGATION.search(clause)):
            continue
        found = pattern.search(clause)
        if found is not None:
            return found.group(0)
    return None


# A fee paid by the year whatever is used, by its usual names (”grundavgift”,
# ”beredskapsavgift”, ”fast årsavgift”, ”en fast avgift per år”).
_BASE_FEE = re.compile(
    r"\b(?:(?:grund|bas|abonnemangs|beredskaps|tillgänglighets|reservations)avgift\w*"
    r"|fast(?:a)? (?:års|grund)?avgift\w*|årsavgift\w*)\b(?!\s+per\s+(?!år))",
    re.I,
)
# A fee the individual pays (hemtjänst, omsorg), not one party to another.
_INDIVIDUALS_FEE = re.compile(r"\benskild\w*|\bbrukare\w*|\bvårdtagare\w*|\bhushåll\w*"
                              r"|\bden som\b|\bhemtjänst\w*", re.I)


@rule(
    "EKON-GRUNDAVGIFT",
    Severity.WARNING,
    SKR,
    "En fast avgift per år som texterna nämner står i kostnadsmodellen",
)
def base_fee_in_prose(spec: Spec) -> Iterator[Finding]:
    """A price per unit with a fixed yearly fee beside it that only a text gives: the
    payer's cost in its staff report, the agreement's value and the competence and
    procurement rules all leave the fee out."""
    model = spec.data.get("economics", {}).get("model", {})
    if model.get("type") != "styckpris" or "base_fee" in model:
        return
    for place in ("/economics", "/tasks", *block_paths(spec)):
        for where, text in texts(spec.data, place):
            found = next((f for c in clauses_of(text) if not _NEGATION.search(c)
                          and not _INDIVIDUALS_FEE.search(c)
                          for f in [_BASE_FEE.search(c)] if f), None)
            if found is not None:
                yield Finding(
                    where,
                    f"texten nämner ”{found.group(0)}”, men kostnadsmodellen har ingen "
                    "grundavgift: partens kostnad och avtalets värde räknas utan den; skriv "
                    "beloppet per år i economics.model.base_fee",
                )


# The work an excluded task names, by its own compound noun (”skyddsbedömning”,
# ”förhandsbedömning”, ”barnutredning”), and a clause in which the performer does it.
_WORK_NOUN = re.compile(r"\b([a-zåäö]{4,}(?:bedömning|utredning))(?:en|ar|arna)?\b", re.I)
_DOES = r"\b(?:gör|görs|utför\w*|genomför\w*|sköter)\b"
_SOMEONE_ELSES = re.compile(r"\b(?:sin|sitt|sina)\b|\b(?:hem)?kommunen\b|\bnämnd\w*", re.I)


@rule(
    "PROSA-UNDANTAGET",
    Severity.WARNING,
    SKR,
    "Ingen uppgift som ingår gör det som tasks.excluded undantar",
)
def excluded_work_done(spec: Spec) -> Iterator[Finding]:
    """An included task or a duty in which the performer does the work an excluded task
    keeps out (”… och gör den omedelbara skyddsbedömningen åt kommunen” where the
    skyddsbedömning is excluded): the agreement gives and takes the same task."""
    excluded = sorted({m.group(1).lower() for _, text in texts(spec.data, "/tasks/excluded")
                       for m in _WORK_NOUN.finditer(text)})  # sorted: the same word each run
    for place in ("/tasks/included", "/responsibilities"):
        for where, text in texts(spec.data, place):
            found = next((w for clause in clauses_of(text) if not _NEGATION.search(clause)
                          for w in excluded if _does(clause, w)), None)
            if found is not None:
                yield Finding(
                    where,
                    f"texten låter utföraren göra {found}en, men tasks.excluded undantar "
                    f"{found}en från avtalet; rätta texten eller det som undantas",
                )


def _does(clause: str, work: str) -> bool:
    """The clause has the performer do the work, not someone else's (”sin”, the kommun's)."""
    for match in re.finditer(rf"{_DOES}((?:\s+\S+){{0,3}}?)\s+{work}\w*", clause, re.I):
        if not _SOMEONE_ELSES.search(match.group(1)) and not _SOMEONE_ELSES.search(
                clause[max(0, match.start() - 25):match.start()]):
            return True
    return False


@rule(
    "PROSA-HUVUDMAN",
    Severity.WARNING,
    KL_DELEGATION,
    "Ingen text flyttar huvudmannaskapet när det stannar hos huvudmannen",
)
def takeover_in_prose(spec: Spec) -> Iterator[Finding]:
    """A text in which the performer takes over the principal's responsibility."""
    principal = spec.data.get("principal_responsibility", {})
    if not principal.get("remains_with_principal"):
        return
    for where, words in _scan(spec, ("/principal_responsibility", "/tasks"), TAKEOVER):
        yield Finding(
            where,
            f"texten säger {_quoted(words)}, men remains_with_principal är true: huvudmannen "
            "behåller ansvaret och en annan part utför bara uppgiften; rätta texten",
        )


@rule(
    "PROSA-ARSRAPPORT",
    Severity.WARNING,
    laws.cite("arlig-redovisning"),
    "Texten om rapporten till fullmäktige säger varje år",
)
def council_report_in_prose(spec: Spec) -> Iterator[Finding]:
    """A yearly report to fullmäktige described as less often than yearly."""
    report = spec.data.get("follow_up", {}).get("council_report", {})
    if not report.get("yearly"):
        return
    for where, words in _scan(spec, ("/follow_up",), SELDOM):
        yield Finding(
            where,
            f"texten säger {_quoted(words)}, men styrelsen rapporterar avtalssamverkan till "
            "fullmäktige varje år (council_report.yearly); rätta texten",
        )
    for where, words in _scan(spec, ("/follow_up/council_report",), NAMND_REPORTS):
        yield Finding(
            where,
            f"texten säger {_quoted(words)}, men det är styrelsen (kommunstyrelsen eller "
            "regionstyrelsen) som varje år rapporterar avtalssamverkan till fullmäktige; "
            "nämnden lämnar underlag. Rätta texten",
        )


@rule(
    "PROSA-PERSONAL",
    Severity.WARNING,
    SKR,
    "Ingen text talar om verksamhetsövergång när personal inte går över",
)
def transfer_in_prose(spec: Spec) -> Iterator[Finding]:
    """A text on staff moving between parties where staff.transfer says none does: the
    staff reports then leave out the transfer and its negotiation."""
    staff = spec.data.get("staff", {})
    if staff.get("transfer") is not False:
        return
    for where, words in _scan(spec, ("/staff",), TRANSFER):
        yield Finding(
            where,
            f"texten talar om {_quoted(words)}, men staff.transfer är false, så "
            "beslutsunderlagen tar inte upp någon övergång; skriv transfer: true och "
            "transfer_from, eller rätta texten",
        )


# Staff as the subject of a decision or an application (”jourens enhetschef beslutar”,
# ”utföraren ansöker”), and a matter the law keeps for the nämnd, its utskott or its
# chair: compulsory care and its parts, and urgent decisions (6 kap. 39 § KL).
_STAFF = (
    r"(?:anställd\w*|\w*chef(?:en|er|erna)?|socialsekreterare\w*|handläggare\w*|personal\w*"
    r"|jour(?:en|ens)?|jourhavande|tjänstem[aä]n\w*|utföraren|uppdragstagaren|behandlare\w*"
    r"|föreståndare\w*|hemmet|boendet|verksamheten)"
)
_DECIDES = r"(?:beslutar|besluta|fattar beslut\w*|fatta beslut\w*|ansöker|ansöka|placerar|placera)"
_STAFF_DECIDES = re.compile(
    rf"\b{_STAFF}(?:\s+[\wåäöÅÄÖ-]+){{0,4}}?\s+(?:får\s+|ska\s+|kan\s+)?{_DECIDES}\b"
    rf"|\b(?:fattar|beslutar|ansöker)\s+(?:[\wåäöÅÄÖ-]+\s+){{0,2}}?{_STAFF}\b"
    # the verb first (”… får enhetschefen för socialjouren fatta beslutet”)
    rf"|\b(?:får|ska|kan)\s+{_STAFF}(?:\s+[\wåäöÅÄÖ-]+){{0,4}}?\s+{_DECIDES}\b",
    re.I,
)

KEPT_MATTER = re.compile(
    r"\b(omhändertag\w*|tvångsvård\w*|vård enligt (?:\d+ (?:[a-z] )?§ )?"
    r"(?:LVU|LVM|lagen \((?:1990:52|1988:870)\)|lagen med särskilda bestämmelser om vård av "
    r"unga|lagen om vård av missbrukare)|flyttningsförbud\w*|utreseförbud\w*"
    r"|umgängesbegränsning\w*|hur (?:\w+ ){0,3}umgänge\w* (?:\w+ ){0,4}ska utövas"
    r"|vistelseort\w* (?:\w+ ){0,4}(?:hemlig\w*|röjas|hållas hemlig))",
    re.I,
)
# A duty is the performer's own: its verb needs no staff before it (”Ansöka om vård …”).
_DUTY_DECIDES = re.compile(
    r"^\s*(?:besluta|fatta beslut|ansöka|placera)\b", re.I
)
# In the text on urgent decisions every decision is one the chair takes (6 kap. 39 § KL).
ANY_DECISION = re.compile(r"\b(beslut\w*)", re.I)
# Staff who carry out a decision someone else has taken.
_EXECUTES = re.compile(
    r"\bverkställ\w*|\b(?:nämnden|ordföranden|utskottet) har beslutat|\benligt nämndens beslut",
    re.I,
)


def staff_decisions(
    text: str, matter: re.Pattern[str] = KEPT_MATTER, *, duty: bool = False
) -> list[str]:
    """The words of each sentence in which staff decide or apply in a kept matter (in a
    duty, also a sentence that starts with the verb: the duty is the performer's)."""
    found: list[str] = []
    for clause in clauses_of(text):
        staff = _STAFF_DECIDES.search(clause) or (_DUTY_DECIDES.search(clause) if duty else None)
        kept = matter.search(clause)
        if not staff or not kept or _EXECUTES.search(clause):
            continue
        if not _NEGATION.search(clause[staff.start() : staff.end() + 12]):
            found.append(f"{staff.group(0)} … {kept.group(0)}")
    return found


# A sentence ends at . ! or ? before a space and a capital letter (not after "kap.").
SENTENCE_END = re.compile(r"(?<![Kk]ap\.)(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
# An activity a kommun or region must report to IVO before it starts (26 kap. 1 § 1–4
# and 6, 2 § SoL), as a text names it.
_REPORTED_ACTIVITY = re.compile(
    r"\bHVB\b|hem för vård eller boende|\bstödboende|skyddat boende|\bhemtjänst|"
    r"heldygnsvård|\bhemmet\b|\bboende\b", re.I)
_IVO = re.compile(r"\bIVO\b|Inspektionen för vård och omsorg", re.I)
# A clause (up to a comma, a semicolon or "men") that says no report is made.
_NO_REPORT = re.compile(
    r"\b(?:inte|ingen|inga|varken|utan)\b(?:(?!\bmen\b)[^.,;:])*?\banmäl", re.I)


@rule(
    "PROSA-IVO",
    Severity.WARNING,
    laws.cite("anmalan-ivo"),
    "Ingen text säger att en kommunal verksamhet som ska anmälas till IVO inte behöver det",
    kinds=ALL_KINDS,
)
def no_report_to_ivo(spec: Spec) -> Iterator[Finding]:
    """A kommun's HVB needs no permit, but it is reported to IVO before it starts: ”Eftersom
    hemmet drivs av en kommun krävs varken tillstånd från eller anmälan till IVO” is wrong."""
    for where, text in texts(spec.data, ""):
        for sentence in SENTENCE_END.split(text):
            if not (_IVO.search(sentence) and _REPORTED_ACTIVITY.search(sentence)):
                continue
            claim = _NO_REPORT.search(sentence)
            if claim is not None:
                yield Finding(
                    where,
                    f"texten säger att verksamheten inte anmäls (”{claim.group(0)}”), men "
                    f"{laws.provisions()['anmalan-ivo'].about}; skriv att den anmäls, eller "
                    "stryk meningen",
                )
                break


# Holding someone apart (avskildhet), which only a särskilt ungdomshem or an LVM-hem may
# do (LVU 15 and 15 c §§; LVM 34 b §), and what names such a home.
_SECLUSION = re.compile(r"\bavskiljning\w*|\bavskildhet\w*|\bhållas avskild\w*|"
                        r"\bhålla\w* (?:\w+ ){0,3}avskild\w*", re.I)
_SIS_HOME = re.compile(r"särskil\w* ungdomshem|Statens institutionsstyrelse|\bSiS\b|"
                       r"\bLVM-hem", re.I)


@rule(
    "PROSA-AVSKILDHET",
    Severity.WARNING,
    laws.cite("lvu-avskildhet"),
    "Ingen text låter ett HVB eller en annan verksamhet än ett särskilt ungdomshem hålla någon "
    "i avskildhet",
    kinds=ALL_KINDS,
)
def seclusion_in_prose(spec: Spec) -> Iterator[Finding]:
    """An HVB's seclusion room: holding a young person apart is a power of the särskilda
    ungdomshemmen alone (LVU 15 c § applies to those cared for there under 15 §), and of
    the LVM-hem; a kommun's home that writes it in its agreement would use force without
    ground."""
    if any(_SIS_HOME.search(text) for _, text in texts(spec.data, "")):
        return
    for where, text in own_texts(spec):
        found = _SECLUSION.search(text)
        if found is not None:
            yield Finding(
                where,
                f"texten talar om ”{found.group(0)}”, men att hålla någon i avskildhet får "
                "bara ett särskilt ungdomshem (och ett LVM-hem) med stöd av lagen, inte ett HVB "
                "eller en annan verksamhet som avtalet gäller; stryk det eller skriv vad "
                "personalen gör utan tvång",
            )


@rule(
    "PROSA-TVANG",
    Severity.WARNING,
    f"{laws.cite('sol-delegering-lvu')}; {laws.cite('lvu-ordforandebeslut')}; "
    f"{laws.cite('bradskande-beslut')}",
    "Ingen text låter anställda besluta eller ansöka om tvångsvård eller i brådskande ärenden",
)
def staff_decide_kept_matters(spec: Spec) -> Iterator[Finding]:
    """Prose in which the performer's staff decide, or apply to a court, in matters the
    law keeps for the nämnd, its utskott or its chair, outside the coded delegation."""
    places = ["/tasks", "/responsibilities", "/delegation/urgent_decisions/how",
              "/additional_clauses", "/principal_responsibility/details", "/assignments"]
    places += block_paths(spec)  # and what the staff reports tell the nämnd
    for place in places:
        matter = ANY_DECISION if place.endswith("urgent_decisions/how") else KEPT_MATTER
        for where, text in texts(spec.data, place):
            words = staff_decisions(text, matter, duty=place == "/responsibilities")
            if words:
                yield Finding(
                    where,
                    f"texten låter anställda besluta eller ansöka (”{words[0]}”), men sådana "
                    "beslut fattar bara nämnden, ett utskott eller, när beslutet inte kan "
                    "vänta, ordföranden eller en ledamot som nämnden har förordnat; skriv "
                    "att de anställda förbereder eller verkställer beslutet",
                )


# A referral of the matter to fullmäktige (”lämnas till kommunfullmäktige”, ”fullmäktige
# ska besluta”, ”beslutas av regionfullmäktige”).
_COUNCIL = r"(?:kommun|region)?fullmäktige"
REFERRAL = re.compile(
    rf"\b((?:lämnas|överlämnas|hänskjuts|går|skickas|förs)(?: vidare)? till {_COUNCIL}"
    rf"|{_COUNCIL} (?:ska |får |kommer att )?(?:besluta|avgöra|godkänna|anta)\b"
    rf"|(?:beslutas|avgörs|godkänns|antas) av {_COUNCIL})",
    re.I,
)


# The opposite: the matter kept from fullmäktige (”utan att ärendet går vidare till
# kommunfullmäktige”, ”fullmäktige behöver inte besluta”).
KEPT_FROM_COUNCIL = re.compile(
    rf"\butan att (?:ärendet |avtalet |frågan )?(?:behöver )?(?:gå|går|lämnas|förs|skickas)"
    rf"(?: vidare)? till {_COUNCIL}|\b{_COUNCIL} behöver inte|\bbehöver inte (?:\w+ ){{0,3}}"
    rf"(?:till|av|i) {_COUNCIL}|\binte (?:\w+ ){{0,2}}(?:till|av) {_COUNCIL}",
    re.I,
)
# The staff report's own texts of a decision block; the analyses are the report's too.
_REPORT_FIELDS = ("summary", "competence_assessment", "opinion", "preparation")
DECISION_FIELDS = (*_REPORT_FIELDS, "analyses")
FOR_INFORMATION = re.compile(r"för (?:kännedom|information)|som information", re.I)


@rule(
    "PROSA-FULLMAKTIGE",
    Severity.WARNING,
    laws.cite("fullmaktige"),
    "Beslutsunderlaget säger om fullmäktige beslutar som beslutsgången gör",
    kinds=ALL_KINDS,
)
def council_in_prose(spec: Spec) -> Iterator[Finding]:
    """A staff report's text that sends the matter to fullmäktige on a decision path that
    ends below it, or keeps it from fullmäktige on a path that goes there: the nämnd would
    decide on a premise its own documents deny."""
    for index, party in enumerate(spec.data["parties"]):
        for where, block in decision_blocks(party):
            steps = decision_path(block, party["organs"])
            council = any(dm.step_kind(step, party) == dm.FULLMAKTIGE for step in steps)
            for field in _REPORT_FIELDS:
                text = str(block.get(field, ""))
                if council:
                    found = KEPT_FROM_COUNCIL.search(text)
                    words = [found.group(0)] if found else []
                    fix = "men beslutsgången går till fullmäktige; rätta texten"
                else:
                    words = claims(text, REFERRAL, spare=FOR_INFORMATION)
                    fix = ("men beslutsgången når inte fullmäktige; lägg till organen fram "
                           "till fullmäktige under path, eller rätta texten")
                if words:
                    yield Finding(f"/parties/{index}/{where}/{field}",
                                  f"texten säger {_quoted(words)}, {fix}")


# An official given the power to extend or end the agreement (”förvaltningschefen får
# besluta om att förlänga”).
EXTENSION_POWER = re.compile(
    r"\b\w*(?:chef|direktör|sekreterare|handläggare)\w*\s+(?:får|ska få|ges rätt att|kan)\s+"
    r"(?!inte\b|ej\b)(?:\w+\s+){0,2}?(?:besluta om (?:att )?|fatta beslut om (?:att )?)?"
    r"(?:förläng\w*|säga upp|uppsägning)(?:\s+\w+){0,4}?\s+(?:avtal\w*|överenskommelse\w*)",
    re.I,
)


@rule(
    "PROSA-FORLANGNINGSRATT",
    Severity.WARNING,
    laws.cite("delegering-namnd"),
    "Beslutsunderlaget ger ingen rätt att förlänga som beslutsförslaget inte ger",
    kinds=ALL_KINDS,
)
def extension_power_in_prose(spec: Spec) -> Iterator[Finding]:
    """A staff report that lets an official extend or end the agreement, where the
    decision points give no one that power (extension_authority is not true)."""
    for index, party in enumerate(spec.data["parties"]):
        for where, block in decision_blocks(party):
            if block.get("extension_authority") is True:
                continue
            for field in _REPORT_FIELDS:
                found = EXTENSION_POWER.search(str(block.get(field, "")))
                if found:
                    yield Finding(
                        f"/parties/{index}/{where}/{field}",
                        f"texten säger ”{found.group(0)}”, men beslutsförslaget ger ingen den "
                        "rätten (extension_authority är inte true); skriv extension_authority: "
                        "true, eller rätta texten",
                    )


# Health care as the one who applies for or decides on care under LVU or LVM (”Regionen …
# ansöker hos förvaltningsrätten om vård enligt LVM”): the law gives that to the
# socialnämnd. Psychiatric compulsory care (LPT) is the region's own and is not meant.
_HEALTH = (r"\b(?:regionen\w*|BUP|barn- och ungdomspsykiatri\w*|\w*psykiatrin\w*|vårdcentral\w*"
           r"|primärvård\w*|hälso- och sjukvård\w*|läkaren|beroendevård\w*|sjukhuset)")
# A decision the law gives to the socialnämnd, made by the health care or another
# authority: the LVU examination (32 §), where the young person stays (11 §).
_DECIDES_STEP = re.compile(r"\b(?:beslutar|beslutas|besluta|fattar\s+(?:\w+\s+)?beslut\w*"
                           r"|avgör|avgörs|bestämmer|bestäms)\b", re.I)
_NOT_THE_NAMND = re.compile(
    rf"{_HEALTH}|\bregion(?:en|ens|erna)?\b|\bsjukhus\w*|\bpsykiatri\w*"
    r"|\bbehandlande\s+läkare\b|\bskolan\b|\bpolis\w*",
    re.I,
)
_THE_NAMND = re.compile(r"nämnd\w*|\bsocialtjänst\w*|kommun\w*", re.I)
# The region's own compulsory care (LPT, LRV), which it decides itself.
_REGIONS_OWN = re.compile(r"\bLPT\b|\bLRV\b|psykiatrisk\w* tvångsvård", re.I)
NAMND_DECIDES = (
    (re.compile(r"\bläkarundersök\w*", re.I), "lvu-lakarundersokning"),
    (re.compile(r"\bvar\s+(?:den\s+unge|barnet|ungdomen)\s+(?:ska\s+)?vistas\b"
                r"|\bplacer\w*|\bhur\s+vården\s+ska\s+ordnas\b", re.I), "lvu-vistelse"),
)


def lvu_step_decided_by_another(clause: str) -> tuple[str, str] | None:
    """Who decides an LVU step of the socialnämnd's in the clause, other than the nämnd,
    and the step's provision (PROSA-LVU-BESLUT; PROSA-TVANG-REGION leaves it to that)."""
    decides = _DECIDES_STEP.search(clause)
    if decides is None or _THE_NAMND.search(clause) or _REGIONS_OWN.search(clause):
        return None
    other = _NOT_THE_NAMND.search(clause)
    step = next((p for pattern, p in NAMND_DECIDES
                 if (m := pattern.search(clause)) and near(m, decides, clause)), None)
    return None if other is None or step is None else (other.group(0), step)


def near(one: re.Match[str], other: re.Match[str], text: str, *, joined: bool = True) -> bool:
    """Whether two phrases of a text belong to one statement: at most six words apart and,
    unless `joined`, with no ”och” between them (”gör skyddsbedömningen och lämnar anmälan
    nästa vardag” is two statements)."""
    first, second = sorted((one, other), key=lambda m: m.start())
    between = text[first.end():second.start()].split()
    return len(between) <= 6 and (joined or "och" not in between)


_COMPULSORY_CARE = (r"\b(?:LVU|LVM|lagen \((?:1990:52|1988:870)\)"
                    r"|lagen med särskilda bestämmelser om vård av unga"
                    r"|lagen om vård av missbrukare|omedelbart omhändertag\w*)")
HEALTH_APPLIES = re.compile(
    rf"{_HEALTH}(?P<between>[^.;]{{0,80}}?)\b(?:ansöker|ansöka|beslutar|besluta|fattar beslut)\b"
    rf"(?P<after>[^.;]{{0,80}}?){_COMPULSORY_CARE}",
    re.I,
)
# The same with the verb first (”Bedöms vård behövas, ansöker regionen om vård enligt LVM”).
HEALTH_APPLIES_AFTER = re.compile(
    rf"\b(?:ansöker|beslutar|fattar)\s+{_HEALTH}(?P<between>)(?P<after>[^.;]{{0,80}}?)"
    rf"{_COMPULSORY_CARE}",
    re.I,
)


@rule(
    "PROSA-TVANG-REGION",
    Severity.WARNING,
    f"{laws.cite('lvu-ansokan')}; {laws.cite('lvm-ansokan')}",
    "Ingen text låter hälso- och sjukvården ansöka om eller besluta vård enligt LVU eller LVM",
    kinds=ALL_KINDS,
)
def health_applies_for_care(spec: Spec) -> Iterator[Finding]:
    """A text in which the region or its health care applies for or decides on care under
    LVU or LVM: the socialnämnd applies, and the court or the nämnd decides."""
    for where, text in texts(spec.data, ""):
        words = first_found(text, _health_applies)
        if words:
            yield Finding(
                where,
                f"texten säger ”{words}”, men det är socialnämnden som ansöker om vård enligt "
                "LVU och LVM och förvaltningsrätten eller nämnden som beslutar; skriv vad "
                "hälso- och sjukvården bidrar med, t.ex. läkarintyget",
            )


def _health_applies(clause: str) -> str | None:
    found = HEALTH_APPLIES.search(clause) or HEALTH_APPLIES_AFTER.search(clause)
    if found is None or lvu_step_decided_by_another(clause) or _REGIONS_OWN.search(clause):
        return None
    if re.search(r"nämnd|socialtjänst|kommun", found["between"] + found["after"], re.I):
        return None
    return found.group(0)


# ------------------------------------------------------------------ what no agreement can say

# Secrecy set aside by the parties' own word: an agreement cannot lift it; only a provision
# of law or the individual's consent can, so a clause that names either is spared.
WAIVED = re.compile(
    r"\b(?:sekretess(?:en)?\s+(?:gäller|råder)\s+inte|ingen\s+sekretess"
    r"|(?:upp)?häv\w*\s+(?:\w+\s+)?sekretess\w*|sekretess\w*\s+(?:upphävs|hävs|bryts)"
    r"|lämna\w*\s+(?:\w+\s+){0,3}?uppgifter\w*(?:\s+\w+){0,5}?\s+fritt|fritt\s+lämna\w*)",
    re.I,
)
# A party consenting for the individual (”lämnar samtycke för vårdnadshavarnas räkning”).
ON_BEHALF = re.compile(
    r"\bsamtyck\w*\s+(?:\w+\s+){0,4}?(?:för|å)\s+(?:\w+\s+){0,3}?(?:räkning|vägnar)", re.I
)
LAWFUL_GROUND = re.compile(r"samtyck\w*|\blag\w*\b|§|bestämmelse\w*|sekretessbrytande", re.I)
SECRECY_TEXTS = ("/information", "/additional_clauses", "/tasks", "/responsibilities")


@rule(
    "PROSA-SEKRETESS",
    Severity.WARNING,
    f"{laws.cite('sekretess-osl')}; offentlighets- och sekretesslagen (2009:400)",
    "Ingen text låter avtalet sätta sekretessen ur spel",
)
def secrecy_waived(spec: Spec) -> Iterator[Finding]:
    """A text that says secrecy does not hold between the parties, or that they may give
    each other information freely: secrecy and its exceptions are law, not agreement."""
    for place in SECRECY_TEXTS:
        for where, text in texts(spec.data, place):
            words = first_found(text, _waived)
            if words:
                yield Finding(
                    where,
                    f"texten säger ”{words}”, men ett avtal kan inte häva sekretessen och en "
                    "part kan inte samtycka för någon annan: uppgifter om enskilda lämnas "
                    "mellan parterna bara när en bestämmelse i offentlighets- och "
                    "sekretesslagen eller den enskildes (eller vårdnadshavarens) eget "
                    "samtycke tillåter det. Skriv vilken grund som gäller",
                )


def _waived(clause: str) -> str | None:
    waived = None if LAWFUL_GROUND.search(clause) else WAIVED.search(clause)
    behalf = ON_BEHALF.search(clause)
    if behalf and re.search(r"vårdnadshavar", clause[: behalf.start()], re.I):
        behalf = None  # guardians consent for their child
    match = behalf or waived
    return match.group(0) if match else None


# Information about a person passing between the parties.
PASSED = re.compile(
    r"\b(lämna\w*|överlämna\w*|skicka\w*|rapporter\w*|utbyt\w*|utbyte\w*|delge\w*"
    r"|återkoppl\w*)\b",
    re.I,
)
PERSONAL = re.compile(
    r"\b(?:barn\w*|enskild\w*|den unge\w*|ungdom\w*|klient\w*|brukar\w*|patient\w*|famil\w*"
    r"|vårdnadshavar\w*|individ\w*|personuppgift\w*|akt(?:en|er|erna)?|journal\w*"
    r"|ärende\w*|behandling\w*|insats\w*)\b",
    re.I,
)
ANONYMOUS = re.compile(r"avidentifier\w*|anonymiser\w*|statistik\w*|aggregera\w*", re.I)


@rule(
    "PROSA-UPPGIFTER",
    Severity.WARNING,
    "offentlighets- och sekretesslagen (2009:400)",
    "Ingen text beskriver uppgifter om enskilda mellan parterna när inga sådana lämnas",
)
def exchange_in_prose(spec: Spec) -> Iterator[Finding]:
    """individual_data_exchanged: false, yet the texts on secrecy, consent or records say
    what passes about a person between the parties: the check of secrecy and consent
    (OSL-SEKRETESS) is then skipped where it is needed."""
    info = spec.data.get("information", {})
    if info.get("individual_data_exchanged") is not False:
        return
    for place in ("/information/secrecy", "/information/consent", "/information/records"):
        for where, text in texts(spec.data, place):
            words = first_found(text, _passed)
            if words:
                yield Finding(
                    where,
                    f"texten säger ”{words}” om uppgifter om enskilda mellan parterna, men "
                    "individual_data_exchanged är false; skriv true, så att sekretessen och "
                    "samtycket prövas, eller rätta texten",
                )


def _passed(clause: str) -> str | None:
    passed = PASSED.search(clause)
    if passed is None or not PERSONAL.search(clause):
        return None
    return None if _NEGATION.search(clause) or ANONYMOUS.search(clause) else passed.group(0)


_NOT = re.compile(r"\b(inte|ej|icke|aldrig|varken|saknas|prövat om|prövats)\b", re.I)


def _near_unnegated(
    spec: Spec, place: str, pattern: re.Pattern[str], reach: int = 30
) -> Iterator[tuple[str, list[str]]]:
    """Like _scan, but a plain negation spares the words only within `reach` characters
    of them (”behöver inte upphandlas eftersom in house gäller” still claims in house, and
    ”undantaget för” is no negation here)."""
    for where, text in texts(spec.data, place):
        words = [
            m.group(0) for m in pattern.finditer(text)
            if not _NOT.search(text[max(0, m.start() - reach) : m.end() + reach])
        ]
        if words:
            yield where, words


IN_HOUSE = re.compile(
    r"\b(in[- ]house|intern upphandling|internt kontrakt|inom samma organisation|teckal)\b",
    re.I,
)


@rule(
    "LOU-INTERN",
    Severity.WARNING,
    laws.cite("intern-upphandling"),
    "Undantaget för intern upphandling åberopas bara där en part kontrollerar motparten",
)
def in_house_between_equals(spec: Spec) -> Iterator[Finding]:
    """The in-house exception claimed between parties none of which controls another:
    only a legal person or a joint nämnd the authority controls is in-house; two
    municipalities or a municipality and a region are not. A kommunalförbund the parties
    own may be, so an agreement with one is left to the text."""
    if any(p.get("type") == "kommunalforbund" for p in spec.data["parties"]):
        return
    for where, words in _near_unnegated(spec, "/procurement", IN_HOUSE):
        yield Finding(
            where,
            f"texten åberopar {_quoted(words)}, men undantaget för intern upphandling "
            "gäller bara när motparten är en juridisk person eller gemensam nämnd som "
            "myndigheten kontrollerar som sin egen förvaltning, och ingen av parterna "
            "kontrollerar en annan. Pröva Hamburgundantaget (basis: hamburg) eller "
            "upphandla",
        )


@rule(
    "STRUKTUR-FALT",
    Severity.INFO,
    "avtal: fälten som reglerna läser (schemas/agreement.schema.json)",
    "En uppgift som har ett eget fält skrivs i fältet, inte bara som text",
    kinds=ALL_KINDS,
)
def prose_instead_of_field(spec: Spec) -> Iterator[Finding]:
    """Prose where a structured field exists, so the checks can read it."""
    data = spec.data
    group = data.get("follow_up", {}).get("steering_group")
    many = len(data["parties"]) > 2 and "hub" not in data  # two parties: both, plainly
    if group is not None and "members" not in group and many:
        yield Finding(
            "/follow_up/steering_group/composition",
            "styrgruppens sammansättning står bara som text; skriv också members med "
            "parternas id, så att avtal check kan se att varje part är med",
        )
    economics = data.get("economics", {})
    model = economics.get("model", {})
    if "indexation" in model and "price_adjustment" not in economics:
        yield Finding(
            "/economics/model/indexation",
            "prisjusteringen står bara som text; skriv economics.price_adjustment med index, "
            "month och gärna cap_percent i stället för indexation",
        )
    if model.get("type") == "styckpris" and "volume_per_year" not in model:
        yield Finding(
            "/economics/model",
            "priset per enhet saknar förväntad volym; skriv volume_per_year, så att "
            "avtalets värde per år kan prövas mot beslutsordningen och upphandlingsreglerna",
        )
    termination = data.get("termination", {})
    if "breach" in termination and "breach_terms" not in termination:
        yield Finding(
            "/termination/breach",
            "avtalsbrottet står bara som text; skriv också termination.breach_terms med "
            "cure_days och effect, så att avtal check kan pröva dem mot uppsägningstiden",
        )
    delegation = data.get("delegation", {})
    external = delegation.get("external", {})
    authority = delegation.get("nature") in ("myndighetsutovning", "bada")
    if external.get("used") and isinstance(external.get("delegates"), str):
        yield Finding(
            "/delegation/external/delegates",
            "delegaterna står som en mening; skriv dem som en lista med title, party och "
            "employment, så att avtal check kan se att de är anställda hos den part som "
            "utför uppgiften",
        )
    if authority and external.get("used") and "scope" in external and (
        "decision_types" not in external
    ):
        yield Finding(
            "/delegation/external/scope",
            "delegeringens omfattning står bara som text; skriv decision_types med varje "
            "beslut och dess lagrum, så att avtal check kan pröva dem",
        )


# ------------------------------------------------------------------ prose against a choice

# What a text says against a choice the agreement makes in a field: each row the field,
# the values the words contradict, the words and what the field says.
ARBITRATION = re.compile(r"\bskilje(?:förfarande|nämnd|man|domstol)\w*", re.I)
DIGITAL = re.compile(r"\b(?:digital\w*|elektronisk\w*) (?:underskrift|signatur|signer\w*)\w*"
                     r"|\b(?:skrivs|undertecknas|signeras) (?:under )?(?:digitalt|elektroniskt)",
                     re.I)
PAPER = re.compile(r"\b(?:undertecknas|skrivs under|signeras)\s+(?:\w+\s+){0,3}?"
                   r"(?:på papper|i pappersform|i original|egenhändigt)", re.I)
CHOICES = (
    ("/disputes/forum", ("allman_domstol", "parterna"), ARBITRATION,
     "tvister avgörs enligt disputes.forum inte genom skiljeförfarande"),
    ("/signing/method", ("papper",), DIGITAL, "avtalet skrivs under på papper (signing.method)"),
    ("/signing/method", ("digital",), PAPER, "avtalet skrivs under digitalt (signing.method)"),
)


@rule(
    "PROSA-VAL",
    Severity.WARNING,
    SKR,
    "Ingen text säger emot ett val som avtalet gör i ett fält (tvistlösning, underskrift)",
    kinds=ALL_KINDS,
)
def choice_in_prose(spec: Spec) -> Iterator[Finding]:
    """A text that says what a field of the agreement chose otherwise: arbitration where
    disputes go to court or to the parties, a digital signature on paper or the opposite."""
    for pointer, values, pattern, field in CHOICES:
        value = value_at(spec.data, pointer)
        if value not in values:
            continue
        for where, text in own_texts(spec):
            words = claims(text, pattern)
            if words:
                yield Finding(where, f"texten säger {_quoted(words)}, men {field}; rätta texten "
                                     "eller fältet")
                break


# How often something is done, in months (”kvartalsvis”, ”vart tredje år”).
FREQUENCY = {
    r"varje månad|månadsvis|en gång i månaden|månatlig\w*": 1,
    r"kvartalsvis|varje kvartal|en gång per kvartal": 3,
    r"halvårsvis|varje halvår|varje halvår|två gånger per år|två gånger om året": 6,
    r"årligen|varje år|en gång per år|en gång om året|årsvis": 12,
    r"vartannat år": 24,
    r"vart tredje år": 36,
}
INTERVALS = (
    ("/economics/invoicing/interval_months", ("/economics/invoicing",),
     re.compile(r"faktur\w*|debiter\w*", re.I), "faktureringen"),
    ("/economics/reconciliation/interval_months", ("/economics",),
     re.compile(r"avstämn\w*|stäm\w* av|utjämn\w*|räknas", re.I), "avstämningen"),
    ("/economics/model/reconciliation_months", ("/economics",),
     re.compile(r"avstämn\w*|stäm\w* av|utjämn\w*|räknas", re.I), "avstämningen"),
)


@rule(
    "PROSA-INTERVALL",
    Severity.WARNING,
    SKR,
    "Texterna om fakturering och avstämning anger samma intervall som fälten",
)
def interval_in_prose(spec: Spec) -> Iterator[Finding]:
    """A text on invoicing or reconciliation that says how often in words the interval
    field does not give (”kvartalsvis” where invoicing is monthly)."""
    for pointer, places, topic, what in INTERVALS:
        months = value_at(spec.data, pointer)
        if months is None:
            continue
        for place in places:
            for where, text in texts(spec.data, place):
                said = _frequency(text, topic)
                if said is not None and said[0] != months:
                    yield Finding(
                        where,
                        f"texten säger ”{said[1]}” om {what}, men intervallet är "
                        f"{months_word(months)} ({pointer.strip('/').replace('/', '.')}); "
                        "rätta texten eller fältet",
                    )
                    return


def _frequency(text: str, topic: re.Pattern[str]) -> tuple[int, str] | None:
    """The first frequency a sentence on the topic gives, in months, with its words."""
    for clause in clauses_of(text):
        for part in _PARTS.split(clause):  # the topic's own part of the clause
            if not topic.search(part) or _NEGATION.search(part):
                continue
            for words, months in FREQUENCY.items():
                found = re.search(rf"\b(?:{words})\b", part, re.I)
                if found:
                    return months, found.group(0)
    return None


# The parts of a clause joined by a conjunction (”kvartalsvis …, och en avstämning … årligen”).
_PARTS = re.compile(r",\s*|\s+(?:och|men|medan|samt)\s+", re.I)


# A body that is no party bound by the agreement (”Polismyndigheten förbinder sig”).
STATE = (r"(?:Polis(?:myndighet)?en|polisen|Försäkringskassan|Arbetsförmedlingen"
         r"|Kriminalvården|frivården|Migrationsverket|Skatteverket|Inspektionen för vård och "
         r"omsorg|IVO|Socialstyrelsen|staten|förvaltningsrätten)")
BOUND = re.compile(rf"\b{STATE}\b[^.;]{{0,60}}?\b(?:förbinder sig|åtar sig)\b", re.I)


@rule(
    "PROSA-ICKE-PART",
    Severity.WARNING,
    laws.cite("avtalssamverkan"),
    "Avtalet binder bara sina parter",
    kinds=ALL_KINDS,
)
def non_party_bound(spec: Spec) -> Iterator[Finding]:
    """A text in which a state authority, which cannot be a party, undertakes or is made
    responsible by the agreement."""
    for where, text in own_texts(spec):
        words = first_found(text, _bound)
        if words:
            yield Finding(
                where,
                f"texten säger ”{words}”, men avtalet binder bara sina parter (kommuner och "
                "regioner); en statlig myndighet åtar sig inget genom det. Skriv vad parterna "
                "gör, och hänvisa till myndighetens eget ansvar",
            )


def _bound(clause: str) -> str | None:
    found = BOUND.search(clause)
    return found.group(0) if found and not _NEGATION.search(clause) else None


# A text that says the costs are shared equally.
EQUAL_SPLIT = re.compile(
    r"\b(?:fördela\w*|dela\w*|betala\w*|bär\w*)\s+(?:\w+\s+){0,3}?(?:lika|jämnt)\b"
    r"(?!\s+(?:mycket\s+)?som\b)|\blika\s+(?:stora\s+)?(?:delar|andelar)\b|\blika\s+mellan\b",
    re.I)


def _unequal_split(model: Mapping[str, Any]) -> str | None:
    """What makes a cost split unequal, or None when every party's part is the same."""
    if model.get("type") == "befolkning":
        counts = {p.get("population") for p in model.get("populations", [])}
        return "antalet invånare" if len(counts) > 1 else None
    if model.get("type") == "fasta_andelar":
        parts = {str(s.get("percent", s.get("range"))) for s in model.get("shares", [])}
        return "andelarna i economics.model.shares" if len(parts) > 1 else None
    return None


@rule(
    "PROSA-LIKA",
    Severity.WARNING,
    "avtal: economics.model",
    "Ingen text säger att kostnaderna delas lika när fördelningen inte är lika",
)
def equal_split_in_prose(spec: Spec) -> Iterator[Finding]:
    """A staff report's summary that says the four kommuner share the cost equally where
    the agreement splits it by population: the nämnd decides on other figures than it
    was told."""
    basis = _unequal_split(spec.data.get("economics", {}).get("model", {}))
    if basis is None:
        return
    for where, words in _scan(spec, tuple(own_paths(spec)), EQUAL_SPLIT):
        yield Finding(
            where,
            f"texten säger ”{words[0]}”, men kostnaderna fördelas efter {basis}, inte lika; "
            "rätta texten",
        )


# What a text says the cooperation is: ”Avtalet gäller myndighetsutövning”, and that LOU
# does not apply (”omfattas därför inte av lagen om offentlig upphandling”).
SAYS_AUTHORITY = re.compile(
    r"\b(?:avtalet|samverkan|samarbetet|uppgifterna|uppdraget)\s+(?:gäller|avser|är|omfattar"
    r"|innebär)\s+(?:\w+\s+){0,2}?myndighetsutövning", re.I)
SAYS_NO_LOU = re.compile(
    r"\b(?:inte|ej)\s+(?:\w+\s+){0,3}?(?:av\s+)?(?:lagen\s+(?:\(2016:1145\)\s+)?om\s+offentlig"
    r"\s+upphandling|LOU)\b|\b(?:LOU|lagen om offentlig upphandling)\s+(?:är|blir)\s+(?:därför\s+)?"
    r"(?:inte|ej)\s+tillämplig", re.I)


@rule(
    "PROSA-SAMVERKANSFORM",
    Severity.WARNING,
    "avtal: delegation.nature och procurement.basis",
    "Texterna säger samma sak som fälten om myndighetsutövning och upphandling",
)
def nature_in_prose(spec: Spec) -> Iterator[Finding]:
    """A text that calls the cooperation myndighetsutövning where the fields say it is
    insatser, or says LOU does not apply where the agreement is procured under it (the
    staff report's reasoning then contradicts its own decision)."""
    nature = spec.data.get("delegation", {}).get("nature")
    basis = spec.data.get("procurement", {}).get("basis")
    for where, text in own_texts(spec):
        for clause in clauses_of(text):
            said = SAYS_AUTHORITY.search(clause)
            if nature == "insatser" and said and not _NEGATION.search(clause[:said.end()]):
                yield Finding(where, "texten säger att samverkan gäller myndighetsutövning, "
                                     "men delegation.nature är insatser; rätta texten eller "
                                     "fältet")
                break
            if basis == "direktupphandling" and SAYS_NO_LOU.search(clause):
                yield Finding(where, "texten säger att lagen om offentlig upphandling inte är "
                                     "tillämplig, men avtalet ingås genom direktupphandling "
                                     "(procurement.basis), alltså enligt den lagen; rätta "
                                     "texten eller fältet")
                break
