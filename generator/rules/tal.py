"""Figures in free text read against the fields that hold them: a sentence that gives a
notice period, a time to cure a breach, a number of meetings or an extension period
other than its field gives, in the agreement that prints both, two answers to one
question. Conservative: a figure counts only in a sentence that names what it measures
(”uppsägningstid”, ”rätta”, ”sammanträder”, ”förläng”), and a figure any field of the
kind allows (the agreement's notice or the extension's) is taken as that one."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .. import laws
from ..errors import Severity
from ..load import Spec
from ..model import (
    PRICED_MODELS,
    Names,
    add_months,
    decision_blocks,
    decision_path,
    derive_shares,
    derive_term,
    payer_value,
    priced_payers,
    renews_without_end,
)
from ..render import kronor as kronor_words
from ..render import months as months_word
from ..render import swedish_date
from .prosa import _NEGATION, DECISION_FIELDS, own_paths, own_texts, sentences_of, texts
from .registry import ALL_KINDS, Finding, rule

SKR = "SKR: Avtalssamverkan inom socialtjänsten (2023)"

_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
    "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "femton": 15, "tjugo": 20,
    "trettio": 30, "fyrtiofem": 45, "sextio": 60, "nittio": 90, "arton": 18,
    "tjugofyra": 24, "trettiosex": 36, "fjorton": 14, "fyrtio": 40, "femtio": 50,
}
# A number in digits or words, and an optional ”(6)” after the word.
_NUMBER = r"\b(?P<n>\d+|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")(?:\s*\(\d+\))?"


def _value(word: str) -> int:
    return int(word) if word.isdigit() else _WORDS[word.lower()]


@dataclass(frozen=True)
class Figure:
    """A kind of figure: the words that say what a sentence measures, the figure's own
    pattern (group n the number, group unit its unit) and each unit's size."""

    topic: re.Pattern[str]
    figure: re.Pattern[str]
    units: dict[str, int]
    read: Callable[[re.Match[str]], int] | None = None  # a figure that is not n × unit
    skip: re.Pattern[str] | None = None  # a sentence about something else
    after_topic: bool = False  # only a figure after the topic word (”förlängs med …”)
    not_after: re.Pattern[str] | None = None  # words before a figure of another kind

    def said(self, text: str) -> list[list[tuple[int, str]]]:
        """For each sentence that names the topic, each figure of the kind in it, in the
        base unit, with the words that said it."""
        found: list[list[tuple[int, str]]] = []
        for sentence in sentences_of(text):
            topic = self.topic.search(sentence)
            if not topic or (self.skip and self.skip.search(sentence)):
                continue
            start = topic.start() if self.after_topic else 0
            figures = [(self._number(m), m.group(0))
                       for m in self.figure.finditer(sentence, start)
                       if not (self.not_after and self.not_after.search(sentence[:m.start()]))]
            if figures:
                found.append(figures)
        return found

    def _number(self, match: re.Match[str]) -> int:
        if self.read is not None:
            return self.read(match)
        return _times_unit(match, self.units)


def _times_unit(match: re.Match[str], units: Mapping[str, int]) -> int:
    """A figure's number (group n) times the size of its unit (group unit)."""
    unit = match.group("unit").lower()
    return _value(match.group("n")) * next(v for k, v in units.items() if unit.startswith(k))


MONTHS = {"månad": 1, "år": 12}


def _months_said(match: re.Match[str]) -> int:
    """Months in a figure: n × its unit, or a period named by a word (”ett halvårs”)."""
    if match.group("period"):
        return _PERIODS[match.group("period").lower()[:5]]
    return _times_unit(match, MONTHS)


_PERIODS = {"halvå": 6, "kvart": 3, "terti": 4}
NOTICE = Figure(
    re.compile(r"uppsägning|varsel|\bsäg\w* upp", re.I),
    re.compile(_NUMBER + r"\s+(?P<unit>månad\w*|år\w*)"
               r"|\b(?:ett\s+)?(?P<period>halvår|kvartal|tertial)s?\b", re.I),
    MONTHS,
    read=_months_said,
    # the term in the same sentence (”Avtalet gäller i fem år och kan sägas upp …”)
    not_after=re.compile(
        r"(?:\b(?:gäller|löper|varar|pågår)(?:\s+\w+){0,2}\s+(?:i|på|under)"
        r"|\bavtalstid\w*\s+(?:är|på|om))\s+$", re.I),
)
CURE = Figure(
    re.compile(r"rätta|rättelse|avhjälp|åtgärd|anmaning|påminnelse", re.I),
    re.compile(r"(?:inom|senast|på)\s+" + _NUMBER + r"\s+(?P<unit>dag\w*|veck\w*|månad\w*)", re.I),
    {"dag": 1, "veck": 7, "månad": 30},
)
MEETINGS = Figure(
    re.compile(r"sammanträd|möt|träffas|samlas", re.I),
    re.compile(_NUMBER + r"\s+(?P<unit>gång\w*)\s+(?:per|om|varje|i)\s+år", re.I),
    {"gång": 1},
)
EXTENSION = Figure(  # ”löper på tre år med förlängning”: the term, not the extension
    re.compile(r"förläng", re.I),
    re.compile(r"(?:med|om|på)\s+" + _NUMBER + r"\s+(?P<unit>månad(?:er)?|år)\b", re.I),
    MONTHS,
    after_topic=True,
)
MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
               "september", "oktober", "november", "december")
_MONTH = "|".join(MONTH_NAMES)
MONTH = Figure(
    re.compile(r"juster|räkna\w* upp|uppräkn|index|höj", re.I),
    re.compile(rf"\b(?P<unit>{_MONTH})\b", re.I),
    {},
    lambda m: MONTH_NAMES.index(m.group("unit").lower()) + 1,
)
CAP = Figure(  # in hundredths of a per cent: ”2,5 procent” is 250
    re.compile(r"\btak\b|\bhögst\b|maximalt|inte mer än", re.I),
    re.compile(_NUMBER + r"(?P<decimals>[,.]\d+)?\s*(?P<unit>procent|%)", re.I),
    {},
    lambda m: round((_value(m["n"]) + float("0." + (m["decimals"] or ",0")[1:])) * 100),
)
# A day as prose writes it (”1 mars 2026”, ”den 1 mars 2026”) or as a date (2026-03-01).
_DATE = re.compile(
    rf"\b(?P<n>\d{{1,2}}) (?P<unit>{_MONTH}) (?P<year>\d{{4}})"
    r"|\b(?P<iso>\d{4}-\d{2}-\d{2})\b",
    re.I,
)


def _read_day(match: re.Match[str]) -> int:
    if match["iso"]:
        year, month, day = (int(part) for part in match["iso"].split("-"))
        return _day(year, month, day)
    return _day(int(match["year"]), MONTH_NAMES.index(match["unit"].lower()) + 1, int(match["n"]))


# A sentence on another agreement than this one (the one it replaces), on something else
# than the agreement (a recruitment, a private contract), or on winding down after it.
# Another body that may join the agreement later (from a day of its own).
JOINING = re.compile(r"\banslut(?:a|er) sig\b|\bansluts\b|\banslutningen\b|\bträda in\b"
                     r"|\binträd\w*|\btillträd(?:a|er) avtalet\b|\bblir (?:inte )?part\b", re.I)
_OTHER = (r"\b(?:nuvarande|tidigare|förra|befintlig\w*|gamla|gällande|gällde|upphörde|löpte"
          r"|ramavtal\w*|rekrytering\w*|anställ\w*|pågående|slutförs)\b"
          rf"|{JOINING.pattern}")
OTHER_AGREEMENT = re.compile(_OTHER, re.I)
# A start said by the turn of a year or a half-year with its year (”vid halvårsskiftet
# 2027” is 1 July 2027, ”vid årsskiftet 2026/2027” and ”vid årsskiftet 2027” 1 January
# 2027); without a year it says nothing checkable.
_TURN = re.compile(
    rf"{_DATE.pattern}|\b(?P<turn>halvårsskiftet|årsskiftet)\s+(?:(?P<from>\d{{4}})/)?"
    r"(?P<turn_year>\d{4})\b", re.I)


def _read_start(match: re.Match[str]) -> int:
    if match["turn"]:
        month = 7 if match["turn"].lower().startswith("halv") else 1
        return _day(int(match["turn_year"]), month, 1)
    return _read_day(match)


START = Figure(
    re.compile(r"från och med|fr\.o\.m\.|börjar gälla|träder i kraft|gäller från|\bfrån den\b",
               re.I),
    _TURN,
    {},
    _read_start,
    OTHER_AGREEMENT,
)
END = Figure(
    re.compile(r"till och med|t\.o\.m\.|upphör|gäller till|löper ut|slutar gälla|\blängst till",
               re.I),
    _DATE,
    {},
    _read_day,
    OTHER_AGREEMENT,
)
UNTIL_FURTHER = re.compile(r"(?<!inte )\btills vidare\b", re.I)


def _day(year: int, month: int, day: int) -> int:
    """The day's ordinal, or -1 for a day the calendar does not have."""
    try:
        return date(year, month, day).toordinal()
    except ValueError:
        return -1
IMMEDIATE = re.compile(r"(?<!inte )\bomedelbar\w*|\butan uppsägningstid", re.I)


def _contradicting(
    spec: Spec, places: Iterable[str], figure: Figure, allowed: set[int]
) -> Iterator[tuple[str, str]]:
    """Each place whose text gives a figure of the kind that no allowed value matches:
    the place and the words."""
    for place in places:
        for where, text in texts(spec.data, place):
            for said in figure.said(text):
                if not any(value in allowed for value, _ in said):
                    yield where, said[0][1]
                    break


# Free texts that may speak of the agreement's notice or extension: the termination's own,
# the principal's, a hub's term for counterparties, and additional clauses (an individual
# assignment's notice is its own, and a breach may end the agreement at shorter notice:
# PROSA-AVTALSBROTT reads that one).
TERM_TEXTS = (
    "/termination/ongoing_assignments",
    "/principal_responsibility/details",
    "/hub/counterparty_term",
    "/additional_clauses",
)


def _notices(spec: Spec) -> set[int]:
    """The notice periods a text may give: the agreement's and the extension's, in months."""
    extension = spec.data["term"].get("extension", {})
    return {spec.data["termination"]["notice_months"], extension.get("notice_months", -1)}


@rule(
    "PROSA-UPPSAGNINGSTID",
    Severity.WARNING,
    SKR,
    "En text om uppsägning anger samma uppsägningstid som termination.notice_months",
)
def notice_in_prose(spec: Spec) -> Iterator[Finding]:
    """A sentence on notice with a period neither the agreement nor its extension has."""
    termination = spec.data["termination"]
    for where, words in _contradicting(spec, TERM_TEXTS, NOTICE, _notices(spec)):
        yield Finding(
            where,
            f"texten talar om uppsägning med ”{words}”, men uppsägningstiden är "
            f"{months_word(termination['notice_months'])} (termination.notice_months), och "
            "avtalet skriver båda; rätta texten eller fältet",
        )


@rule(
    "PROSA-AVTALSBROTT",
    Severity.WARNING,
    SKR,
    "Meningen om avtalsbrott säger samma sak som termination.breach_terms",
)
def breach_in_prose(spec: Spec) -> Iterator[Finding]:
    """The team's breach sentence, printed in place of the terms, read against them."""
    termination = spec.data["termination"]
    terms, text = termination.get("breach_terms"), termination.get("breach")
    if terms is None or text is None:
        return
    for where, words in _contradicting(spec, ("/termination/breach",), CURE, {terms["cure_days"]}):
        yield Finding(
            where,
            f"meningen om avtalsbrott ger ”{words}” för rättelse, men breach_terms.cure_days "
            f"är {terms['cure_days']} dagar; avtalet skriver bara meningen, så rätta den "
            "eller fältet",
        )
    # The effect: notice (the agreement's) or at once; a sentence says the other only in
    # so many words (”omedelbar”, or a notice period), never by leaving it out.
    immediate = terms["effect"] == "omedelbart"
    notice = set() if immediate else {termination["notice_months"]}
    said = [words for _, words in _contradicting(spec, ("/termination/breach",), NOTICE, notice)]
    if not immediate and termination["notice_months"] > 0 and IMMEDIATE.search(text):
        said.append(IMMEDIATE.findall(text)[0])
    for words in said[:1]:
        yield Finding(
            "/termination/breach",
            f"meningen om avtalsbrott säger ”{words}”, men breach_terms.effect är "
            f"{terms['effect']}; avtalet skriver bara meningen, så rätta den eller fältet",
        )


@rule(
    "PROSA-STYRGRUPP",
    Severity.WARNING,
    SKR,
    "En text om styrgruppen anger samma antal möten som meetings_per_year",
    kinds=ALL_KINDS,
)
def meetings_in_prose(spec: Spec) -> Iterator[Finding]:
    """The steering group's texts with a number of meetings its field does not give."""
    group = spec.data.get("follow_up", {}).get("steering_group")
    if group is None or "meetings_per_year" not in group:
        return
    places = ("/follow_up/steering_group",)
    allowed = {group["meetings_per_year"]}
    for where, words in _contradicting(spec, places, MEETINGS, allowed):
        yield Finding(
            where,
            f"texten säger att man möts ”{words}”, men styrgruppen sammanträder "
            f"{group['meetings_per_year']} gånger per år (meetings_per_year), och avtalet "
            "skriver båda; rätta texten eller fältet",
        )


@rule(
    "PROSA-FORLANGNING",
    Severity.WARNING,
    SKR,
    "En text om förlängning anger samma period som term.extension.period_months",
    kinds=ALL_KINDS,
)
def extension_in_prose(spec: Spec) -> Iterator[Finding]:
    """A sentence on extension with a period the extension does not have."""
    extension = spec.data["term"].get("extension")
    if extension is None:
        return
    allowed = {extension["period_months"]}
    places = ("/termination/breach", *TERM_TEXTS, *_decision_texts(spec))
    for where, words in _contradicting(spec, places, EXTENSION, allowed):
        yield Finding(
            where,
            f"texten talar om förlängning ”{words}”, men avtalet förlängs med "
            f"{months_word(extension['period_months'])} i taget (term.extension.period_months), "
            "och avtalet skriver båda; rätta texten eller fältet",
        )


def _decision_texts(spec: Spec) -> Iterator[str]:
    """The staff reports' own texts of every decision block: what the nämnd decides on."""
    for index, party in enumerate(spec.data["parties"]):
        for where, _ in decision_blocks(party):
            at = f"/parties/{index}/{where}"
            yield from (f"{at}/{field}" for field in DECISION_FIELDS)




@rule(
    "PROSA-UNDERLAG",
    Severity.WARNING,
    SKR,
    "Beslutsunderlaget anger samma uppsägningstid och avtalstid som avtalet",
    kinds=ALL_KINDS,
)
def decision_texts_agree(spec: Spec) -> Iterator[Finding]:
    """A staff report's own text with a notice period, a start or end day or a term the
    agreement does not have: the nämnd would decide on figures its agreement contradicts."""
    termination = spec.data.get("termination", {})
    if "notice_months" in termination:
        for where, words in _contradicting(spec, _decision_texts(spec), NOTICE, _notices(spec)):
            yield Finding(
                where,
                f"texten talar om uppsägning med ”{words}”, men avtalets uppsägningstid är "
                f"{months_word(termination['notice_months'])}; rätta texten",
            )
    for where, said in _term_in_prose(spec, _decision_texts(spec)):
        yield Finding(where, f"{said}; rätta texten")


@rule(
    "PROSA-AVTALSTID",
    Severity.WARNING,
    SKR,
    "Avtalets egna texter anger samma avtalstid som term",
    kinds=ALL_KINDS,
)
def term_in_prose(spec: Spec) -> Iterator[Finding]:
    """A text the agreement prints that gives another start or end day, or another kind
    of term (fixed or until further notice), than the term fields."""
    for where, said in _term_in_prose(spec, (*TERM_TEXTS, "/purpose", "/tasks")):
        yield Finding(where, f"{said}, och avtalet skriver båda; rätta texten eller fältet")


def _term_in_prose(spec: Spec, places: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Each text with a start or end day, or a word on the kind of term, that the term
    fields do not give: where, and what it says against them."""
    term = spec.data["term"]
    derived = derive_term(term)
    start, end = derived.start, derived.end
    places = tuple(places)
    for where, words in _contradicting(spec, places, START, {start.toordinal()}):
        yield where, f"texten säger att samverkan börjar ”{words}”, men avtalet börjar gälla " \
            f"{swedish_date(start)}"
    ends = _possible_ends(term, end)
    for where, words in _contradicting(spec, places, END, {d.toordinal() for d in ends}):
        yield where, f"texten ger slutdagen ”{words}”, men " + (
            f"avtalet gäller till och med {swedish_date(end)}" if end
            else "avtalet gäller tills vidare")
    if end is not None and not renews_without_end(term):
        for place in places:
            for where, text in texts(spec.data, place):
                if any(UNTIL_FURTHER.search(s) and not OTHER_AGREEMENT.search(s)
                       for s in sentences_of(text)):
                    yield where, ("texten säger att avtalet gäller tills vidare, men det gäller "
                                  f"till och med {swedish_date(end)}")


def _possible_ends(term: Mapping[str, Any], end: date | None) -> list[date]:
    """The last day of the term and of each extension the agreement allows (ten at most
    when the extensions have no last one)."""
    if end is None:
        return []
    extension = term.get("extension") or {}
    period = int(extension.get("period_months", 0))
    count = extension.get("max_extensions", 10 if extension.get("automatic") else 1)
    after = end + timedelta(days=1)
    return [end, *(add_months(after, period * k) - timedelta(days=1)
                   for k in range(1, count + 1) if period)]


@rule(
    "PROSA-PRISJUSTERING",
    Severity.WARNING,
    SKR,
    "Texten om uppräkning anger samma månad och tak som economics.price_adjustment",
)
def adjustment_in_prose(spec: Spec) -> Iterator[Finding]:
    """The indexation text printed beside the price adjustment, with another month or cap."""
    economics = spec.data["economics"]
    adjustment = economics.get("price_adjustment")
    if adjustment is None:
        return
    places = ("/economics/model/indexation", "/economics/accounting")
    if "month" in adjustment:
        found = _contradicting(spec, places, MONTH, {adjustment["month"]})
        for where, words in found:
            yield Finding(
                where,
                f"texten justerar priset i ”{words}”, men price_adjustment.month är "
                f"{MONTH_NAMES[adjustment['month'] - 1]}, och avtalet skriver båda; rätta "
                "texten eller fältet",
            )
    if "cap_percent" in adjustment:
        cap = {round(adjustment["cap_percent"] * 100)}
        for where, words in _contradicting(spec, places, CAP, cap):
            yield Finding(
                where,
                f"texten ger taket ”{words}”, men price_adjustment.cap_percent är "
                f"{adjustment['cap_percent']} procent, och avtalet skriver båda; rätta texten "
                "eller fältet",
            )


# --------------------------------------------------------------------------- shares and amounts

FRACTIONS = {"en tredjedel": 33, "en fjärdedel": 25, "hälften": 50, "en femtedel": 20,
             "två tredjedelar": 67, "tre fjärdedelar": 75, "en tiondel": 10}
_FRACTION = "|".join(FRACTIONS)
_BOUND = r"(?P<bound>mindre än|under|högst|upp till|inte mer än|maximalt|max)"
MARKET = re.compile(
    r"öppna marknaden|\bsälj\w*|\bsåld\w*|\butomstående|\bandra (?:kommuner|län"
    r"|regioner|kunder|köpare|huvudmän)|\butanför samarbetet",
    re.I,
)
BUYS = re.compile(r"\bköp\w*", re.I)
# Words that make a share approximate (”drygt en fjärdedel” is 28,5 procent too).
_ABOUT = r"(?P<about>drygt|knappt|cirka|ca|omkring|ungefär|runt|nästan|strax över|strax under)"
SHARE = re.compile(
    rf"(?:{_BOUND}\s+)?(?:{_ABOUT}\s+)?(?:(?P<n>\d+(?:,\d+)?)(?:\s*[–-]\s*"
    rf"(?P<to>\d+(?:,\d+)?))?\s*(?:procent|%)|(?P<part>{_FRACTION}))",
    re.I,
)
# How far from the model an approximate share may be, in percentage points.
ABOUT_POINTS = 5
_ABOUT_AT = re.compile(_ABOUT, re.I)


def _shares(sentence: str) -> Iterator[tuple[float, bool, str]]:
    """Each share a sentence gives, in per cent (both ends of a range: ”35–40 procent”):
    the value, whether it is a bound (”mindre än 20 procent”), and the words."""
    for match in SHARE.finditer(sentence):
        bound = match["bound"] is not None
        if match["part"]:
            yield FRACTIONS[match["part"].lower()], bound, match.group(0)
            continue
        for number in (match["n"], match["to"]):
            if number:
                yield float(number.replace(",", ".")), bound, match.group(0)


@rule(
    "PROSA-MARKNADSANDEL",
    Severity.WARNING,
    laws.cite("hamburg"),
    "Texten om upphandlingen anger samma andel på öppna marknaden som fältet",
)
def market_share_in_prose(spec: Spec) -> Iterator[Finding]:
    """A procurement text that gives the share sold on the open market otherwise than
    open_market_share_percent: the Hamburg exception rests on the figure."""
    hamburg = spec.data.get("procurement", {}).get("hamburg", {})
    field = hamburg.get("open_market_share_percent")
    if field is None:
        return
    for where, text in texts(spec.data, "/procurement"):
        for sentence in sentences_of(text):
            if not MARKET.search(sentence) or (BUYS.search(sentence)
                                               and not re.search(r"sälj|såld", sentence, re.I)):
                continue
            wrong = [words for value, bound, words in _shares(sentence)
                     if (field >= value if bound else abs(field - value) > 1)]
            if wrong:
                yield Finding(
                    where,
                    f"texten säger ”{wrong[0]}” om verksamheten på den öppna marknaden, "
                    f"men open_market_share_percent är {field}; Hamburgundantaget prövas mot "
                    "fältet (under 20 procent), så rätta texten eller fältet",
                )
                break


_AMOUNT_UNITS = {"miljon": 1_000_000, "mnkr": 1_000_000, "mkr": 1_000_000, "msek": 1_000_000,
                 "tusen": 1000, "tkr": 1000, "kronor": 1, "kr": 1}
AMOUNT = re.compile(
    r"(?P<n>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:,\d+)?)\s*"
    r"(?P<unit>miljon(?:er)?(?: kronor)?|mnkr|mkr|msek|tusen kronor|tkr|kronor|kr)\b",
    re.I,
)
OWN_SHARE = re.compile(
    r"\bandel(?:en)?\b|\w+s andel\b|\bbetala\w*|\bbär\b|\bstår för\b"
    r"|\b(?:kommunens|regionens|stadens|nämndens) (?:kostnad|del)\w*"
    r"|\bkostnad(?:en)? för (?:kommunen|regionen|staden|nämnden)\b",
    re.I,
)
# A yearly sum that is not this agreement's (”nuvarande kostnad”, ”i dag”).
YEARLY = re.compile(r"\bper år\b|\bom året\b|\bårlig\w*|\bårskostnad\w*", re.I)
NOT_THIS = re.compile(
    r"\b(?:nuvarande|i dag|idag|tidigare|hittills|senaste|förra|befintlig\w*)\b", re.I
)
# Words just before an amount that make it a limit or a ceiling, not a sum to pay.
LIMIT_BEFORE = re.compile(
    r"\b(?:\w*gräns\w*|tak\w*|högst|maximalt|max|överstig\w*|understig\w*|upp till"
    r"|(?:mindre|mer|högre|lägre) än)\b"
    r"[^.;:]{0,40}$",
    re.I,
)
# A sentence on what was paid before (”betalade nämnden i genomsnitt 150 tkr”).
PAST = re.compile(r"\b(?:betalade|kostade|uppgick|motsvarade|köptes)\b", re.I)
# A price per unit (”à 112 000 kronor”, ”150 tkr st.”, ”1 200 kronor per ärende”).
PER_UNIT_BEFORE = re.compile(
    r"(?:\bà|\ba|\bför)\s*$|\b(?:tim|styck|dygns|månads)(?:kostnad|pris|ersättning)\w*"
    r"[^.;,]{0,60}$",
    re.I,
)
MONTHLY_AFTER = re.compile(r"^\s*(?:i månaden|i månad|per månad|varje månad|om månaden)\b",
                           re.I)
PER_UNIT_AFTER = re.compile(
    r"^\s*(?:st\b|styck|/st|per (?!år\b)\w+|i timme|i månad|om dagen|för varje)", re.I
)


def _amounts(sentence: str) -> Iterator[tuple[int, int, str]]:
    """Each amount in kronor a sentence gives, with half a unit of its last digit (the
    rounding it allows: ”2,8 miljoner” is 2 750 000–2 850 000), and the words."""
    for match in AMOUNT.finditer(sentence):
        # a sum a month is twelve a year (”350 000 kronor i månaden”)
        monthly = MONTHLY_AFTER.search(sentence[match.end() :])
        times = 12 if monthly else 1
        if times == 1 and (PER_UNIT_BEFORE.search(sentence[: match.start()])
                           or PER_UNIT_AFTER.search(sentence[match.end() :])):
            continue  # a price per unit, not a sum
        value, slack = _amount_value(match, times)
        words = sentence[match.start() : match.end() + (monthly.end() if monthly else 0)]
        yield value, slack, words


def _amount_value(match: re.Match[str], times: int = 1) -> tuple[int, int]:
    """An amount's value in kronor (times `times`) and half a unit of its last digit, from
    a match with AMOUNT's groups n and unit."""
    digits = re.sub(r"\s", "", match["n"])
    unit = next(v for k, v in _AMOUNT_UNITS.items() if match["unit"].lower().startswith(k))
    decimals = len(digits.split(",")[1]) if "," in digits else 0
    value = float(digits.replace(",", ".")) * unit * times
    return round(value), round(unit * times / 10**decimals / 2)


@dataclass(frozen=True)
class PartShare:
    """What the cost model makes one party pay a year: kronor, and per cent (a range)."""

    kronor: int | None
    low: float | None
    high: float | None


def _party_shares(spec: Spec) -> dict[str, PartShare]:
    """Each party's yearly share where the cost model gives one party one: by population
    or fixed shares, or the payer's price × volume or fixed sum."""
    economics = spec.data.get("economics", {})
    model = economics.get("model", {})
    names = {p["id"]: p["id"] for p in spec.data["parties"]}
    found: dict[str, PartShare] = {}
    for share in derive_shares(economics, names) if model else ():
        if len(share.parties) == 1 and share.split is None:
            low, high = (share.percent, share.percent) if share.low is None else (
                share.low, share.high)
            found[share.parties[0]] = PartShare(
                share.kronor, None if low is None else float(low),
                None if high is None else float(high))
    if model.get("type") in PRICED_MODELS:
        for payer in priced_payers(spec.data):
            yearly = payer_value(spec.data, payer)
            if yearly is not None:
                found[payer] = PartShare(yearly, None, None)
    return found


def _model_sums(spec: Spec) -> set[int]:
    """Sums of the agreement any sentence may give: the total, the unit price, the base
    fee, the estimated value."""
    economics = spec.data.get("economics", {})
    model = economics.get("model", {})
    sums = (model.get("total_cost"), model.get("price"), model.get("base_fee"),
            model.get("amount"), economics.get("estimated_annual_value"))
    return {int(v) for v in sums if v is not None}


@rule(
    "PROSA-BELOPP",
    Severity.WARNING,
    SKR,
    "Beslutsunderlaget anger partens andel i kronor och procent som kostnadsmodellen ger den",
)
def amounts_in_reports(spec: Spec) -> Iterator[Finding]:
    """A staff report that gives its party's (or a named party's) yearly share in kronor
    or per cent that the cost model does not give: the nämnd decides on the figure in its
    report."""
    shares = _party_shares(spec)
    if not shares:
        return
    names, sums = Names(spec.data["parties"]), _model_sums(spec)
    for index, party in enumerate(spec.data["parties"]):
        for where, _ in decision_blocks(party):
            at = f"/parties/{index}/{where}"
            for place in (f"{at}/{field}" for field in DECISION_FIELDS):
                for pointer, text in texts(spec.data, place):
                    for sentence in sentences_of(text):
                        whose = [p for p in names.named(sentence) if p in shares]
                        share = shares.get(whose[0] if whose else party["id"])
                        wrong = share and (_wrong_kronor(sentence, share, sums)
                                           or _wrong_percent(sentence, share))
                        if wrong:
                            yield Finding(pointer, f"{wrong}; rätta texten eller modellen")
                            break


# Where a sentence goes on to a part of the share (”varav socialnämnden bär en femtedel”,
# ”en femtedel av kommunens andel”): the figures from there on are parts, not the share.
PART_OF = re.compile(r"\bvarav\b|\bav (?:detta|dessa|beloppet|summan)\b", re.I)
PART_PHRASE = re.compile(
    rf"(?:{_FRACTION}|\d+(?:,\d+)?\s*(?:procent|%))\s+av\s+(?:\w+s\s+)?andel(?:en)?\b.*",
    re.I)


def _before_parts(sentence: str) -> str:
    """The sentence up to where it speaks of parts of the share."""
    found = PART_OF.search(sentence)
    whole = sentence if found is None else sentence[:found.start()]
    return PART_PHRASE.sub("", whole)


def _limit_or_past(before: str) -> bool:
    """The words before an amount make it a limit or a ceiling, or today's figure."""
    return bool(LIMIT_BEFORE.search(before) or NOT_THIS.search(before))


def _wrong_kronor(sentence: str, share: PartShare, sums: set[int]) -> str | None:
    """What is wrong with a sentence on a party's yearly sum in kronor, or None."""
    sentence = _before_parts(sentence)
    # A limit or a ceiling (”gränsen är 10 000 000 kronor”, ”högst 4 800 000 kronor”) is
    # not the share, and a sentence on today's cost is not on this agreement's.
    said = [(v, slack, words) for v, slack, words in _amounts(sentence)
            if not _limit_or_past(sentence[:sentence.find(words)])]
    if share.kronor is None or not said or PAST.search(sentence) or not (
            OWN_SHARE.search(sentence) or YEARLY.search(sentence)):
        return None
    # A sum the agreement itself gives (a unit price, the total) says nothing of the share.
    said = [(v, slack, words) for v, slack, words in said if not any(
        _near(v, slack, sum_) for sum_ in sums)]
    if not said or any(_near(value, slack, share.kronor) for value, slack, _ in said):
        return None
    return (f"texten ger beloppet ”{said[0][2]}”, men kostnadsmodellen ger "
            f"{kronor_words(share.kronor)} per år")


def _near(value: int, slack: int, target: int) -> bool:
    """True when a rounded figure can be the target (within its rounding, or 5 %)."""
    return abs(value - target) <= max(slack, target // 20)


def _slack(words: str) -> int:
    """How far a share may lie from the model's, in percentage points: an approximate
    one (”drygt en fjärdedel”) further."""
    return ABOUT_POINTS if _ABOUT_AT.match(words) else 1


def _wrong_percent(sentence: str, share: PartShare) -> str | None:
    """What is wrong with a sentence on a party's share in per cent, or None."""
    sentence = _before_parts(sentence)
    if share.low is None or share.high is None or not OWN_SHARE.search(sentence):
        return None
    said = [(value, words) for clause in re.split(r",\s*(?:och|men|medan|samt)\s+", sentence)
            if OWN_SHARE.search(clause) for value, bound, words in _shares(clause) if not bound]
    wrong = [words for value, words in said
             if not share.low - (slack := _slack(words)) <= value <= share.high + slack]
    if not wrong:
        return None
    model = (f"{share.low:g}–{share.high:g}" if share.low != share.high
             else f"{share.low:.1f}".rstrip("0").rstrip(".").replace(".", ","))
    return f"texten ger andelen ”{wrong[0]}”, men kostnadsmodellen ger {model} procent"


PAYS = re.compile(r"\b(?:ersätter|betalar|betala|fakturer\w*|debiter\w*)\b", re.I)


# A party's share of something paid for together (”kommunens andel av teamet”).
SHARE_OF = re.compile(r"\bandel\w* av\b", re.I)


@rule(
    "PROSA-ERSATTNING",
    Severity.WARNING,
    SKR,
    "Ingen text låter en part betala när avtalet inte har någon ersättning",
    kinds=ALL_KINDS,
)
def payment_without_price(spec: Spec) -> Iterator[Finding]:
    """A sum one party pays another, in an agreement where each party bears its own
    costs, or in a samverkansöverenskommelse (which has no terms on payment at all): the
    agreement gives no price, so the staff report or text promises one."""
    sok = spec.data["kind"] == "samverkansoverenskommelse"
    model = spec.data.get("economics", {}).get("model", {})
    if not sok and model.get("type") != "egna_kostnader":
        return
    why = ("överenskommelsen har inga villkor om ersättning mellan parterna; det behövs ett "
           "avtal om den" if sok else "varje part bär sina egna kostnader (economics.model."
           "type: egna_kostnader), så avtalet ger inget pris; skriv ersättningen i "
           "economics.model")
    for where, text in own_texts(spec):
        for sentence in sentences_of(text):
            pays = PAYS.search(sentence) or (SHARE_OF.search(sentence) if sok else None)
            own = re.search(r"\begn\w* kostnad\w*", sentence, re.I)
            if pays and not own and not _NEGATION.search(sentence) and list(_amounts(sentence)):
                yield Finding(
                    where,
                    f"texten säger ”{pays.group(0)}” med ett belopp, men {why}, eller rätta "
                    "texten",
                )
                break


COUNT = Figure(
    re.compile(r"\bhögst\b|\btak\b|\bmax\w*|\binte fler än", re.I),
    re.compile(_NUMBER + r"\s+(?P<unit>utredning\w*|uppdrag\w*|ärende\w*|placering\w*"
               r"|behandling\w*)", re.I),
    {"utredning": 1, "uppdrag": 1, "ärende": 1, "placering": 1, "behandling": 1},
)


@rule(
    "PROSA-TAK",
    Severity.WARNING,
    SKR,
    "En text om taket för uppdrag anger samma antal som assignments.cap",
)
def cap_in_prose(spec: Spec) -> Iterator[Finding]:
    """A text that gives the cap on assignments another number than its field."""
    cap = spec.data.get("assignments", {}).get("cap")
    if cap is None:
        return
    places = (*own_paths(spec),)
    every = cap["cases"] * len(spec.data["parties"])  # the cap of all parties together
    for where, words in _contradicting(spec, places, COUNT, {cap["cases"], every}):
        yield Finding(
            where,
            f"texten ger taket ”{words}”, men assignments.cap.cases är {cap['cases']} per part "
            "och år; rätta texten eller fältet",
        )


# An age limit in prose: the oldest (”yngre än 21 år”, ”upp till 20 år”, ”13–17 år”) or
# the youngest (”från 18 år”, ”äldre än 17 år”, ”13–17 år”) the text admits.
OLDEST = re.compile(
    r"\b(?:(?P<below>under|yngre än)|(?P<upto>upp till)|högst|till och med|t\.o\.m\.)\s+"
    r"(?P<n>\d{1,3}) år|\b\d{1,3}\s*[–-]\s*(?P<to>\d{1,3}) år",
    re.I,
)
YOUNGEST = re.compile(
    r"\b(?:(?P<above>över|äldre än)|från|fyllda|minst|lägst)\s+(?P<n>\d{1,3}) år"
    r"|\b(?P<from>\d{1,3})\s*[–-]\s*\d{1,3} år",
    re.I,
)


def _ages(sentence: str) -> tuple[list[set[int]], list[set[int]]]:
    """The oldest and the youngest ages a sentence admits, each as the ages its words may
    mean (”upp till 18 år” is said of those under 18 as well as of those who are 18)."""
    oldest = []
    for m in OLDEST.finditer(sentence):
        n = int(m["to"] or m["n"])
        oldest.append({n - 1} if m["below"] else {n - 1, n} if m["upto"] else {n})
    youngest = [{int(m["from"]) if m["from"] else int(m["n"]) + (1 if m["above"] else 0)}
                for m in YOUNGEST.finditer(sentence)]
    return oldest, youngest


@rule(
    "PROSA-ALDER",
    Severity.WARNING,
    SKR,
    "Målgruppens texter anger samma åldrar som age_min och age_max",
    kinds=ALL_KINDS,
)
def ages_in_prose(spec: Spec) -> Iterator[Finding]:
    """A target-group text that admits older or younger people than the age fields, or a
    criterion (which all must meet) that stops at another age than they do."""
    target = spec.data.get("target_group", {})
    low, high = target.get("age_min"), target.get("age_max")
    if low is None and high is None:
        return
    for where, text in texts(spec.data, "/target_group"):
        exact = where.startswith("/target_group/criteria")
        for sentence in sentences_of(text):
            if _NEGATION.search(sentence):
                continue
            oldest, youngest = _ages(sentence)
            wrong = [f"{max(a)} år" for a in oldest if high is not None and not any(
                n <= high and (n == high or not exact) for n in a)]
            wrong += [f"{min(a)} år" for a in youngest if low is not None and not any(
                n >= low and (n == low or not exact) for n in a)]
            if wrong:
                yield Finding(
                    where,
                    f"texten sätter en åldersgräns vid {wrong[0]}, men målgruppen är "
                    f"{_span(low, high)} (age_min, age_max); rätta texten eller fälten",
                )
                break


def _span(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}–{high} år"
    return f"från {low} år" if low is not None else f"upp till {high} år"


# A verb in the past tense (”godkände”, ”hölls”, ”beslutades”).
PAST_TENSE = re.compile(
    r"\b(?:beslutade|godkände|antog|fastställde|genomfördes|genomförde|hölls|skickades"
    r"|lämnade|tecknade|undertecknade|skrev|startade|började|beslöt|yttrade)\b",
    re.I,
)
# A day that is to come even in a sentence on the past (”beslutade … att avtalet ska gälla
# från den 1 september”).
TO_COME = re.compile(r"\b(?:ska|skall|kommer att|från och med|fr\.o\.m\.|från den|från)\s+"
                     r"(?:\w+\s+){0,3}$", re.I)


@rule(
    "PROSA-DATUMFOLJD",
    Severity.WARNING,
    SKR,
    "Beslutsunderlaget beskriver inget som redan har hänt efter sitt eget datum",
    kinds=ALL_KINDS,
)
def past_after_report(spec: Spec) -> Iterator[Finding]:
    """A staff report that tells, in the past tense, of a day after its own date (”Region-
    styrelsen godkände överenskommelsen den 9 juni 2026” in a report of 6 May): the
    report cannot know it, so the day or the tense is wrong."""
    for index, party in enumerate(spec.data["parties"]):
        for where, block in decision_blocks(party):
            if "report_date" not in block:
                continue
            written = date.fromisoformat(str(block["report_date"]))
            for field in DECISION_FIELDS:
                for pointer, text in texts(spec.data, f"/parties/{index}/{where}/{field}"):
                    later = _past_after(text, written)
                    if later:
                        yield Finding(
                            pointer,
                            f"texten säger i förfluten tid att något hände ”{later}”, efter "
                            f"tjänsteutlåtandets datum {swedish_date(written)}; rätta dagen "
                            "eller skriv det som något som ska ske",
                        )
                        break


def _past_after(text: str, written: date) -> str | None:
    """The first day after `written` that a sentence in the past tense gives."""
    for sentence in sentences_of(text):
        if not PAST_TENSE.search(sentence):
            continue
        for match in _DATE.finditer(sentence):
            if TO_COME.search(sentence[: match.start()]):
                continue
            if _read_day(match) > written.toordinal():
                return match.group(0)
    return None


# The price changed from a day (”första gången fr.o.m. 2026-01-01”, ”från 1 januari 2026”).
PRICE_FROM = re.compile(r"räkna\w* upp|uppräkn\w*|juster\w*|index\w*", re.I)


@rule(
    "PROSA-PRIS-FORE-START",
    Severity.WARNING,
    SKR,
    "Texten om priset ändrar det inte före avtalets start",
)
def price_before_start(spec: Spec) -> Iterator[Finding]:
    """A text that adjusts the price from a day before the agreement starts: the price the
    parties decide on would be changed before it applies."""
    start = date.fromisoformat(str(spec.data["term"]["start"]))
    for where, text in texts(spec.data, "/economics"):
        for sentence in sentences_of(text):
            if not PRICE_FROM.search(sentence) or OTHER_AGREEMENT.search(sentence):
                continue
            early = [m.group(0) for m in _DATE.finditer(sentence)
                     if 0 < _read_day(m) < start.toordinal()]
            if early:
                yield Finding(
                    where,
                    f"texten ändrar priset från ”{early[0]}”, före avtalets start "
                    f"{swedish_date(start)}; rätta dagen",
                )
                break


# A price per unit in prose (”95 000 kronor per behandling”, ”à 1 200 kronor per timme”).
UNIT_PRICE = re.compile(
    AMOUNT.pattern + r"\s+(?:per|för varje|för en|för ett)\s+(?P<per>ärende|timme|plats|dygn"
    r"|vårddygn|insats|behandling|utredning|uppdrag|placering|besök)\b",
    re.I,
)


@rule(
    "PROSA-PRIS",
    Severity.WARNING,
    SKR,
    "Texterna anger det pris per enhet som kostnadsmodellen har",
)
def unit_price_in_prose(spec: Spec) -> Iterator[Finding]:
    """A text that gives another price per unit than the cost model's (a price from an
    earlier draft): the agreement and the staff reports print both."""
    model = spec.data.get("economics", {}).get("model", {})
    if model.get("type") != "styckpris" or "price" not in model:
        return
    price = int(model["price"])
    for where, text in [*own_texts(spec), *texts(spec.data, "/background")]:
        for sentence in sentences_of(text):
            if NOT_THIS.search(sentence) or PAST.search(sentence):
                continue
            for found in UNIT_PRICE.finditer(sentence):
                if not _near(*_amount_value(found), price):
                    yield Finding(
                        where,
                        f"texten ger priset ”{found.group(0)}”, men kostnadsmodellen ger "
                        f"{kronor_words(price)} per {_UNIT_WORDS.get(model['unit'], 'enhet')}; "
                        "rätta texten eller modellen",
                    )
                    break


_UNIT_WORDS = {"arende": "ärende", "timme": "timme", "plats": "plats", "dygn": "dygn",
               "insats": "insats"}


# The meeting a staff report names (”vid sitt sammanträde den 22 oktober 2026”), and a
# diarienummer it gives (”SN 2025/198”).
MEETING_DAY = Figure(re.compile(r"\bsammanträd\w*", re.I), _DATE, {}, _read_day,
                     re.compile(f"{OTHER_AGREEMENT.pattern}|{PAST_TENSE.pattern}|\\bbehandlade\\b",
                                re.I))
CASE_NUMBER = re.compile(r"\b[A-ZÅÄÖ]{1,6}(?:-[A-ZÅÄÖ]{1,6})?\s?\d{4}/\d{1,6}\b")


@rule(
    "PROSA-SAMMANTRADE",
    Severity.WARNING,
    "avtal: partens beslutsgång (decision.meeting_date, decision.diarienummer)",
    "Beslutsunderlaget anger partens egna sammanträdesdagar och diarienummer",
    kinds=ALL_KINDS,
)
def meeting_and_case_in_prose(spec: Spec) -> Iterator[Finding]:
    """A staff report that names another meeting day, or another diarienummer, than the
    party's own decision path: the nämnd reads both, and the protocol cites one."""
    for index, party in enumerate(spec.data["parties"]):
        for where, block in decision_blocks(party):
            steps = decision_path(block, party["organs"])
            days = {s.meeting_date.toordinal() for s in steps}
            numbers = {_plain(s.diarienummer) for s in steps}
            others = _organs_off_path(party, steps)
            for pointer, text in texts(spec.data, f"/parties/{index}/{where}"):
                said = next((w for sentence in sentences_of(text)
                             if not any(o in sentence.lower() for o in others)
                             for figures in MEETING_DAY.said(sentence) for v, w in figures
                             if v not in days), None)
                if said is not None:
                    yield Finding(pointer, f"texten ger sammanträdet ”{said}”, men "
                                           f"{party['name']} sammanträder "
                                           f"{_listed_days(steps)}; rätta texten")
                other = next((m.group(0) for sentence in sentences_of(text)
                              if not OTHER_AGREEMENT.search(sentence)
                              for m in CASE_NUMBER.finditer(sentence)
                              if _plain(m.group(0)) not in numbers), None)
                if other is not None:
                    yield Finding(pointer, f"texten ger diarienumret ”{other}”, men ärendet "
                                           f"har {_listed_numbers(steps)} hos "
                                           f"{party['name']}; rätta texten")


# Organs that prepare, comment on or hear a matter without deciding it on the path.
_PREPARING = ("kommunstyrelse", "regionstyrelse", "utskott", "fullmäktige")


def _organs_off_path(party: Mapping[str, Any], steps: Iterable[Any]) -> tuple[str, ...]:
    """The party's organs, and the usual organs that prepare or comment on a matter, that
    are not on its decision path: a meeting of one of them (kommunstyrelsen giving its
    opinion, 5 kap. 28 § KL) is no meeting of the path."""
    on_path = " ".join(str(s.name).lower() for s in steps)
    names = [str(o["name"]).lower() for o in party["organs"]]
    return tuple(n for n in (*names, *_PREPARING) if n not in on_path)


def _plain(number: str) -> str:
    return re.sub(r"\s+", "", str(number)).upper()


def _listed_days(steps: Iterable[Any]) -> str:
    return ", ".join(swedish_date(s.meeting_date) for s in steps)


def _listed_numbers(steps: Iterable[Any]) -> str:
    return ", ".join(dict.fromkeys(str(s.diarienummer) for s in steps))
