"""The rules for avtalssamverkan. Each is one function; its id, severity and source
are in its decorator. Messages say what is wrong and what to write instead."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from .. import laws, thresholds
from ..errors import Severity
from ..load import Spec
from ..model import (
    PRINCIPAL_ROLES,
    add_months,
    decision_blocks,
    derive_term,
    last_meeting,
    priced_total,
)
from ..render import join_and, kronor, swedish_date
from ..render import months as months_word
from .registry import ALL_KINDS, Finding, nature, personal_data, rule
from .upphandling import bought_today

KL = laws.cite("avtalssamverkan")
SKR = "SKR: Avtalssamverkan inom socialtjänsten (2023)"
LOU = "lagen (2016:1145) om offentlig upphandling"
GDPR = "dataskyddsförordningen (EU) 2016/679"
SOS = "Socialstyrelsen: Samverka för barns bästa (vägledning)"
MUNICIPAL = ("kommun", "region", "kommunalforbund")
PERFORMERS = ("uppdragstagare", "mottagande_kommun", "huvudman")
TYPE_WORDS = {
    "kommunalt_bolag": "ett kommunalt bolag",
    "foretag": "ett företag",
    "stat": "en statlig myndighet",
}


def _parties(spec: Spec) -> Iterator[tuple[int, Mapping[str, Any]]]:
    yield from enumerate(spec.data["parties"])


@rule(
    "KL-9-37-PART",
    Severity.ERROR,
    f"{KL}; {SKR}",
    "Bara kommuner, regioner och kommunalförbund kan vara parter",
)
def party_types(spec: Spec) -> Iterator[Finding]:
    """Only municipalities, regions and municipal associations may be parties."""
    for index, party in _parties(spec):
        if party["type"] not in MUNICIPAL:
            yield Finding(
                f"/parties/{index}/type",
                f"{party['name']} är {TYPE_WORDS[party['type']]} och kan inte vara part i "
                "avtalssamverkan; bara kommuner, regioner och kommunalförbund kan det. "
                "Ta bort parten eller välj en annan samverkansform (t.ex. upphandling)",
            )


@rule(
    "KL-9-37-ROLLER",
    Severity.ERROR,
    f"{KL}; {SKR}",
    "Avtalet anger vem som utför och för vems räkning",
)
def performer_and_principal(spec: Spec) -> Iterator[Finding]:
    """Someone performs the task, and someone has it performed."""
    roles = {r for _, p in _parties(spec) for r in p["roles"]}
    if not roles & set(PERFORMERS):
        yield Finding(
            "/parties",
            "ingen part utför uppgiften; ge minst en part rollen "
            "uppdragstagare, mottagande_kommun eller huvudman",
        )
    if not roles & set(PRINCIPAL_ROLES):
        yield Finding(
            "/parties",
            "ingen part har uppgiften utförd åt sig; ge minst en part rollen "
            "uppdragsgivare, hemkommun eller deltagare",
        )


@rule(
    "ROLLER-HUVUDMAN",
    Severity.ERROR,
    SKR,
    "Rollen huvudman ges den part som driver verksamheten, inte den som beställer",
)
def principal_is_not_a_performer(spec: Spec) -> Iterator[Finding]:
    """In avtalssamverkan the role huvudman marks the party that runs the activity that
    performs the tasks (huvudman för verksamheten), and every document reads it so. A party
    that has the tasks performed for it and stays huvudman for its own duties by law (a
    natural reading of the word) would be made to perform, and to pay itself."""
    for index, party in _parties(spec):
        roles = set(party["roles"])
        if "huvudman" in roles and roles & set(PRINCIPAL_ROLES) and not roles & {
                "uppdragstagare", "mottagande_kommun"}:
            yield Finding(
                f"/parties/{index}/roles",
                f"{party['name']} har uppgifterna utförda åt sig och rollen huvudman, som i "
                "avtalssamverkan betyder huvudman för den verksamhet som utför uppgifterna; "
                "avtalet skulle då låta parten utföra och betala åt sig själv. Att parten "
                "behåller sitt ansvar enligt lag skrivs i principal_responsibility; ta bort "
                "huvudman ur roles",
            )


@rule(
    "KL-HUVUDMAN",
    Severity.ERROR,
    SKR,
    "Huvudmannaskapet stannar hos den part som ansvarar enligt lag",
)
def principal_keeps_responsibility(spec: Spec) -> Iterator[Finding]:
    """Huvudmannaskap never moves with the task."""
    stated = spec.data.get("principal_responsibility", {})
    if not stated.get("remains_with_principal", False):
        yield Finding(
            "/principal_responsibility",
            "avtalet ska ange att huvudmannaskapet och ansvaret mot tillsynsmyndigheter "
            "och enskilda stannar hos uppdragsgivaren; skriv principal_responsibility: "
            "{remains_with_principal: true}",
        )


@rule("LOU-GRUND", Severity.ERROR, f"{LOU}; {SKR}", "Insatser har en upphandlingsrättslig grund")
def services_need_procurement_basis(spec: Spec) -> Iterator[Finding]:
    """Services (insatser) fall under LOU unless an exception is stated."""
    if nature(spec) not in ("insatser", "bada"):
        return
    procurement = spec.data.get("procurement")
    if procurement is None:
        yield Finding(
            "/procurement",
            "samverkan om insatser omfattas av lagen om offentlig upphandling; ange "
            "procurement.basis (direktupphandling eller hamburg) med underlag",
        )
    elif procurement["basis"] == "myndighetsutovning":
        yield Finding(
            "/procurement/basis",
            "samverkan avser insatser, så myndighetsutövning kan inte ensam vara grunden; "
            "ange direktupphandling eller hamburg för insatserna",
        )
    elif procurement["basis"] == "annan" and "note" not in procurement:
        yield Finding(
            "/procurement",
            "grunden ”annan” behöver en motivering; skriv den i procurement.note",
        )


def _value_per_party(spec: Spec) -> tuple[int | None, str, str]:
    """The contract value of the largest buyer over the whole term, extensions included,
    and who that buyer is ("" when value_per_party is given).

    Without value_per_party it is estimated from the annual value and each buyer's own
    share of the costs (an even split where the cost model has no shares): open-ended
    agreements count as four years, as LOU counts contracts without an end date.
    """
    procurement = spec.data["procurement"]
    if "value_per_party" in procurement:
        return procurement["value_per_party"], "/procurement/value_per_party", ""
    return _estimated_value(spec)


def _estimated_value(spec: Spec) -> tuple[int | None, str, str]:
    """The largest buyer's value estimated from the annual value, as _value_per_party."""
    economics = spec.data["economics"]
    annual = economics.get("estimated_annual_value", priced_total(spec.data))
    if annual is None:
        return None, "/procurement", ""
    months = _term_months(spec, with_extensions=True) or 48
    buyers = [p for p in spec.data["parties"] if not set(p["roles"]) & set(PERFORMERS)]
    shares = _buyer_shares(spec.data["economics"]["model"], [p["id"] for p in buyers])
    name, share = max(
        ((p["name"], shares.get(p["id"], Fraction(1, max(1, len(buyers))))) for p in buyers),
        key=lambda pair: pair[1],
        default=("", Fraction(1)),
    )
    value = int(annual * months * share // 12)
    return value, "/economics/estimated_annual_value", name


def _stated_below_estimate(spec: Spec, stated: int, limit: int) -> Iterator[Finding]:
    """A value_per_party under the limit that the annual value over the whole term,
    extensions counted as used (5 kap. 3 § LOU), puts above it."""
    estimate, _, buyer = _estimated_value(spec)
    if estimate is not None and estimate >= limit:
        yield Finding(
            "/procurement/value_per_party",
            f"värdet per part anges till {kronor(stated)}, men årsvärdet över hela avtalstiden, "
            f"med förlängningarna räknade som utnyttjade ({laws.cite('lou-varde')}), ger "
            f"{kronor(estimate)} för {buyer}, över direktupphandlingsgränsen {kronor(limit)}; "
            "räkna om value_per_party eller pröva en annan grund",
        )


def _buyer_shares(model: Mapping[str, Any], buyers: list[str]) -> dict[str, Fraction]:
    """Each buyer's own share of the costs, where the cost model states one."""
    if model["type"] == "befolkning":
        total = sum(row["population"] for row in model["populations"])
        return {r["party"]: Fraction(r["population"], total) for r in model["populations"]}
    if model["type"] == "fasta_andelar":
        shares: dict[str, Fraction] = {}
        for row in model["shares"]:
            # A group's share, or the top of a range, counts in full for each member:
            # the safe side when the split within the group is not fixed.
            high = row["percent"] if "percent" in row else row["range"]["max"]
            for party in row["parties"]:
                shares[party] = Fraction(str(high)) / 100
        return {p: s for p, s in shares.items() if p in buyers}
    return {}


@rule(
    "LOU-DIREKT-GRANS",
    Severity.ERROR,
    f"{LOU}; {laws.cite('lou-varde')}; {thresholds.DATA_FILE}",
    "Direktupphandling bara under gränsen, räknat per part",
)
def direct_award_threshold(spec: Spec) -> Iterator[Finding]:
    """Direct award only below the limit in force when the question is decided, per party."""
    procurement = spec.data.get("procurement", {})
    if procurement.get("basis") != "direktupphandling":
        return
    day, source = thresholds.decision_day(spec.data)
    found = thresholds.for_spec(spec.data)
    if found is None:
        yield Finding(source, _no_limit(day, thresholds.category_of(spec.data)))
        return
    limit = found.amount
    value, where, buyer = _value_per_party(spec)
    if value is None:
        yield Finding(
            "/procurement",
            "ange value_per_party (uppskattat värde per part i kronor) "
            "så att det kan jämföras med direktupphandlingsgränsen",
        )
    elif value < limit and where == "/procurement/value_per_party":
        yield from _stated_below_estimate(spec, value, limit)
    elif value >= limit:
        whose = f"värdet för {buyer}, räknat på partens andel," if buyer else "värdet per part,"
        yield Finding(
            where,
            f"{whose} {kronor(value)}, understiger inte "
            f"direktupphandlingsgränsen {kronor(limit)} den {swedish_date(day)}; "
            "direktupphandling är "
            "inte möjlig. Pröva Hamburgundantaget eller upphandla",
        )


@rule(
    "LOU-GRANS-EGEN",
    Severity.WARNING,
    f"{LOU}; {thresholds.DATA_FILE}",
    "Direktupphandlingsgränsen kommer från avtal, inte från specifikationen",
)
def own_threshold(spec: Spec) -> Iterator[Finding]:
    """A limit the spec gives itself: told where it comes from, or that avtal has one."""
    found = thresholds.for_spec(spec.data)
    if "direct_award_limit" not in spec.data.get("procurement", {}) or found is None:
        return
    if not found.from_spec:
        yield Finding(
            "/procurement/direct_award_limit",
            f"{thresholds.DATA_FILE} har gränsen den {swedish_date(found.day)} "
            f"({kronor(found.amount)}), och den används; ta bort direct_award_limit",
        )
    else:
        yield Finding(
            "/procurement/direct_award_limit",
            f"gränsen {kronor(found.amount)} den {swedish_date(found.day)} kommer från "
            f"specifikationen (källa: {found.source}), inte från {thresholds.DATA_FILE}; "
            "kontrollera beloppet mot källan innan avtalet beslutas",
        )


def _coverage(category: str) -> str:
    span = thresholds.coverage(category)
    if span is None:
        return "inga dagar"
    first, last = span
    return f"{swedish_date(first)}–{swedish_date(last)}" if last else f"från {swedish_date(first)}"


def _no_limit(day: date, category: str) -> str:
    """Why the data has no limit in kronor on the day, and how the spec can give one."""
    own = (
        "skriv gränsen med sin källa i specifikationen: procurement.direct_award_limit: "
        "{amount: <kronor>, source: <var beloppet är publicerat>}"
    )
    found = thresholds.period(day, category)
    if found is not None and found.amount is None:
        eur = f"{found.eur or 0:,}".replace(",", " ")
        return (
            f"direktupphandlingsgränsen den {swedish_date(day)} (dagen då "
            "upphandlingsfrågan avgörs) för sociala och andra särskilda tjänster (bilaga 2 "
            f"till LOU) är EU:s tröskelvärde {eur} euro ({' '.join(found.source.split())}), "
            f"men beloppet i kronor finns inte i {thresholds.DATA_FILE}. Det publiceras i "
            f"{found.published}; {own}. Räkna inte om beloppet från euro"
        )
    return (
        f"direktupphandlingsgränsen den {swedish_date(day)} (dagen då upphandlingsfrågan "
        f"avgörs) finns inte i {thresholds.DATA_FILE}, som täcker {_coverage(category)}; "
        "lägg in gränsen med sin källa där (med avtal installerat som paket: uppgradera "
        "till en version som har gränsen), eller ange procurement.decided_on om frågan "
        f"avgörs en annan dag, eller {own}"
    )


@rule(
    "LOU-GRANS-AR",
    Severity.WARNING,
    f"{LOU}; {thresholds.DATA_FILE}",
    "Gränsen väljs efter dagen då upphandlingsfrågan avgörs, inte efter ett angivet år",
)
def threshold_year_unused(spec: Spec) -> Iterator[Finding]:
    """threshold_year is no longer read; the decision day chooses the limit."""
    if "threshold_year" in spec.data.get("procurement", {}):
        day, _ = thresholds.decision_day(spec.data)
        yield Finding(
            "/procurement/threshold_year",
            "threshold_year används inte längre: gränsen väljs efter dagen då "
            f"upphandlingsfrågan avgörs (här {swedish_date(day)}: procurement.decided_on, "
            "annars parternas första sammanträdesdag). Ta bort threshold_year",
        )


HAMBURG_CRITERIA = {
    "establishes_cooperation": "att avtalet upprättar ett samarbete mellan myndigheterna",
    "common_goals": "att samarbetet syftar till gemensamma mål för offentliga tjänster",
    "public_interest_only": "att samarbetet bara styrs av allmänintresset",
}


@rule(
    "LOU-HAMBURG",
    Severity.ERROR,
    f"{laws.cite('hamburg')}; {SKR}",
    "Hamburgundantaget kräver att alla dess villkor är uppfyllda",
)
def hamburg_exception(spec: Spec) -> Iterator[Finding]:
    """All four criteria of the Hamburg exception, and under 20 % on the open market."""
    procurement = spec.data.get("procurement", {})
    if procurement.get("basis") != "hamburg":
        return
    criteria = procurement.get("hamburg")
    if criteria is None:
        yield Finding(
            "/procurement",
            "Hamburgundantaget kräver att villkoren redovisas; lägg till procurement.hamburg",
        )
        return
    for key, text in HAMBURG_CRITERIA.items():
        if not criteria[key]:
            yield Finding(
                f"/procurement/hamburg/{key}",
                f"villkoret {text} är inte uppfyllt, så Hamburgundantaget gäller inte",
            )
    share = criteria["open_market_share_percent"]
    if share >= 20:
        yield Finding(
            "/procurement/hamburg/open_market_share_percent",
            f"parterna utför {share:g} % av verksamheten på den öppna marknaden; "
            "undantaget kräver under 20 %",
        )


@rule(
    "LOU-MYNDIGHETSUTOVNING",
    Severity.INFO,
    f"{LOU}; {SKR}",
    "Myndighetsutövning omfattas inte av upphandlingsreglerna",
)
def authority_outside_procurement(spec: Spec) -> Iterator[Finding]:
    """Exercise of public authority is outside LOU: noted, not an error."""
    basis = spec.data.get("procurement", {}).get("basis")
    if (basis == "myndighetsutovning" and nature(spec) == "myndighetsutovning"
            and bought_today(spec) is None):
        yield Finding(
            "/procurement/basis",
            "samverkan avser myndighetsutövning; lagen om offentlig upphandling är inte tillämplig",
        )


@rule(
    "LOU-NATUR",
    Severity.WARNING,
    f"{LOU}; {SKR}",
    "Samverkan som bara är myndighetsutövning upphandlas inte",
)
def authority_procured(spec: Spec) -> Iterator[Finding]:
    """The fields say the cooperation is myndighetsutövning alone, and that it is bought by
    direktupphandling under LOU: one of them is wrong, and the staff report reasons from
    both. (A Hamburg exception may be argued as well, should LOU apply: no contradiction.)"""
    basis = spec.data.get("procurement", {}).get("basis")
    if nature(spec) == "myndighetsutovning" and basis == "direktupphandling":
        yield Finding(
            "/procurement/basis",
            "delegation.nature säger att samverkan bara är myndighetsutövning, som lagen om "
            "offentlig upphandling inte gäller, men procurement.basis är direktupphandling; skriv "
            "basis: myndighetsutovning, eller rätta delegation.nature (insatser eller bada)",
        )


@rule(
    "KL-DELEGERING",
    Severity.WARNING,
    SKR,
    "Extern delegering anger omfattning och vidaredelegering",
)
def external_delegation(spec: Spec) -> Iterator[Finding]:
    """External delegation states how far it goes and whether it may be delegated on."""
    external = spec.data.get("delegation", {}).get("external", {})
    if not external.get("used"):
        return
    if "scope" not in external and "decision_types" not in external:
        yield Finding(
            "/delegation/external",
            "ange i scope eller decision_types vilka beslut delegeringen omfattar",
        )
    if "further_delegation" not in external:
        yield Finding(
            "/delegation/external",
            "ange further_delegation: true eller false, dvs. om "
            "beslutanderätten får vidaredelegeras",
        )


@rule(
    "KL-SJALVKOSTNAD",
    Severity.ERROR,
    f"{SKR} (självkostnadsprincipen)",
    "Ersättningen överstiger inte självkostnaden",
)
def cost_price(spec: Spec) -> Iterator[Finding]:
    """No profit: compensation at most the performer's cost."""
    if spec.data["economics"].get("above_cost_price"):
        yield Finding(
            "/economics/above_cost_price",
            "ersättningen får inte överstiga självkostnaden; sänk ersättningen och "
            "ta bort above_cost_price",
        )


@rule("EKON-AVSTAMNING", Severity.WARNING, SKR, "Avstämningen sker inom avtalstiden")
def reconciliation_within_term(spec: Spec) -> Iterator[Finding]:
    """A reconciliation interval longer than the term never happens."""
    model = spec.data["economics"]["model"]
    months = _term_months(spec)
    if model["type"] == "mottagande_part" and months and model["reconciliation_months"] > months:
        yield Finding(
            "/economics/model/reconciliation_months",
            f"avstämning var {model['reconciliation_months']}:e månad hinner inte ske "
            f"under avtalstiden ({months} månader); korta intervallet",
        )


@rule(
    "EKON-INVANARE",
    Severity.WARNING,
    "avtalets kostnadsfördelning (economics.model)",
    "En andel som delas efter invånarantal anger när invånarna räknas",
)
def population_date_of_split(spec: Spec) -> Iterator[Finding]:
    """A group's share split by population needs the day the population is counted."""
    model = spec.data["economics"]["model"]
    if model["type"] != "fasta_andelar" or "population_date" in model:
        return
    for i, share in enumerate(model["shares"]):
        if share.get("split") == "befolkning" and len(share["parties"]) > 1:
            yield Finding(
                f"/economics/model/shares/{i}/split",
                "andelen delas efter invånarantal, men avtalet säger inte vilken dag "
                "invånarna räknas; skriv population_date (t.ex. 2025-12-31) och gärna "
                "population_source under economics.model",
            )


# How old population figures may be when the first party decides (the figure of 31
# December is known in the spring after; two years leaves room for any such delay).
STALE_MONTHS = 24


@rule(
    "EKON-INVANARE-DATUM",
    Severity.WARNING,
    "avtalets kostnadsfördelning (economics.model)",
    "Invånartalen i kostnadsfördelningen är kända när parterna beslutar",
)
def population_known_when_deciding(spec: Spec) -> Iterator[Finding]:
    """Population figures dated after a party decides: the figures the agreement states,
    and each party's share, cannot be known at that meeting."""
    model = spec.data.get("economics", {}).get("model", {})
    if model.get("type") != "befolkning" or "population_date" not in model:
        return
    counted = date.fromisoformat(str(model["population_date"]))
    meetings = [
        (party["name"], date.fromisoformat(str(decision["meeting_date"])))
        for _, party in _parties(spec)
        for _, decision in decision_blocks(party)
    ]
    first = min((day for _, day in meetings), default=None)
    if first is not None and add_months(counted, STALE_MONTHS) < first:
        yield Finding(
            "/economics/model/population_date",
            f"invånarna räknas {swedish_date(counted)}, mer än två år före det första "
            f"beslutet ({swedish_date(first)}); andelarna bygger då på gamla tal. Välj det "
            "senaste kända invånarantalet, t.ex. 31 december året innan",
        )
    early = [(name, day) for name, day in meetings if day < counted]
    if early:
        name, day = min(early, key=lambda pair: pair[1])
        yield Finding(
            "/economics/model/population_date",
            f"invånarna räknas {swedish_date(counted)}, efter att {name} beslutar "
            f"({swedish_date(day)}); talen i avtalet och andelarna går inte att veta då. "
            "Välj en dag före besluten, t.ex. 31 december året innan",
        )


def _term_months(spec: Spec, *, with_extensions: bool = False) -> int | None:
    term = derive_term(spec.data["term"])
    if term.end is None:
        return None
    # Whole months: 15 January to 14 January is 12 months, not 13.
    after = term.end + timedelta(days=1)
    months = (after.year - term.start.year) * 12 + after.month - term.start.month
    if add_months(term.start, months) > after:
        months -= 1
    extension = spec.data["term"].get("extension", {})
    if with_extensions and extension:
        months += extension["period_months"] * extension.get("max_extensions", 1)
    return months


@rule(
    "GDPR-PUB",
    Severity.ERROR,
    f"artikel 28 {GDPR}; {SKR}",
    "Personuppgiftsbiträde kräver ett PUB-avtal",
)
def processor_agreement(spec: Spec) -> Iterator[Finding]:
    """A processor relation needs a data processing agreement."""
    data = personal_data(spec)
    processor = data.get("processed") and data.get("roles") == "bitrade"
    if processor and not data.get("dpa", {}).get("exists", False):
        yield Finding(
            "/information/personal_data",
            "en part är personuppgiftsbiträde men inget personuppgiftsbiträdesavtal "
            "anges; teckna ett och skriv dpa: {exists: true, reference: …}",
        )


@rule(
    "GDPR-GEMENSAMT",
    Severity.ERROR,
    f"artikel 26 {GDPR}; {SKR}",
    "Gemensamt personuppgiftsansvar har ett skriftligt arrangemang",
)
def joint_controllers(spec: Spec) -> Iterator[Finding]:
    """Joint controllers document their arrangement."""
    data = personal_data(spec)
    # the arrangement in words (arrangement) or field by field (joint)
    if (data.get("processed") and data.get("roles") == "gemensamt"
            and "arrangement" not in data and "joint" not in data):
        yield Finding(
            "/information/personal_data",
            "gemensamt personuppgiftsansvar ska bygga på ett skriftligt arrangemang; "
            "beskriv det i arrangement, eller fält för fält i joint",
        )


@rule(
    "OSL-SEKRETESS",
    Severity.WARNING,
    f"offentlighets- och sekretesslagen (2009:400); {SOS}",
    "Utbyte av uppgifter om enskilda har stöd i sekretessregler eller samtycke",
)
def secrecy_or_consent(spec: Spec) -> Iterator[Finding]:
    """Exchanging individuals' data needs a word on secrecy or consent."""
    info = spec.data.get("information", {})
    exchanged = info.get("individual_data_exchanged", personal_data(spec).get("processed"))
    if exchanged and "secrecy" not in info and "consent" not in info:
        yield Finding(
            "/information",
            "uppgifter om enskilda lämnas mellan parterna, men avtalet "
            "säger inget om sekretess eller samtycke; fyll i secrecy och/eller consent"
            if "individual_data_exchanged" in info
            else "personuppgifter behandlas, men avtalet säger inte om uppgifter om enskilda "
            "lämnas mellan parterna och inget om sekretess eller samtycke; fyll i secrecy "
            "och/eller consent, eller skriv individual_data_exchanged: false",
        )


@rule(
    "KL-UPPFOLJNING",
    Severity.WARNING,
    f"{SKR}; jfr kommunstyrelsens uppsiktsplikt, {laws.cite('uppsikt')}",
    "Samverkan följs upp och rapporteras årligen till fullmäktige",
    kinds=ALL_KINDS,
)
def follow_up(spec: Spec) -> Iterator[Finding]:
    """Follow-up routines and a yearly report to the council."""
    follow = spec.data["follow_up"]
    if not {"consultation", "steering_group", "reporting"} & set(follow):
        yield Finding(
            "/follow_up",
            "avtalet saknar rutin för uppföljning; beskriv consultation, "
            "steering_group eller reporting",
        )
    if not follow.get("council_report", {}).get("yearly"):
        yield Finding(
            "/follow_up",
            "samverkan bör redovisas för fullmäktige varje år; skriv "
            "council_report: {yearly: true, how: …}",
        )


@rule(
    "AVTAL-UPPSAGNINGSTID",
    Severity.WARNING,
    SKR,
    "Uppsägningstiden ryms inom avtalstiden",
    kinds=ALL_KINDS,
)
def notice_within_term(spec: Spec) -> Iterator[Finding]:
    """A notice period longer than the whole term cannot work."""
    months = _term_months(spec)
    notice = spec.data.get("termination", {}).get("notice_months", 0)
    if months is not None and notice > months:
        yield Finding(
            "/termination/notice_months",
            f"uppsägningstiden ({months_word(notice)}) är längre än avtalstiden "
            f"({months_word(months)}); korta uppsägningstiden",
        )


@rule(
    "AVTAL-RETROAKTIV",
    Severity.WARNING,
    SKR,
    "Parterna beslutar innan avtalet börjar gälla",
    kinds=ALL_KINDS,
)
def decided_before_start(spec: Spec) -> Iterator[Finding]:
    """A decision after the start date would give the agreement retroactive effect."""
    start = spec.data["term"]["start"]
    for index, party in _parties(spec):
        for where, decision in decision_blocks(party):
            meetings = [("meeting_date", decision["meeting_date"])] + [
                (f"path/{i}/meeting_date", step["meeting_date"])
                for i, step in enumerate(decision.get("path", []))
            ]
            for field, meeting in meetings:
                if meeting > start:
                    yield Finding(
                        f"/parties/{index}/{where}/{field}",
                        f"{party['name']} beslutar {meeting}, efter att avtalet ska börja "
                        f"gälla ({start}); flytta startdatumet eller sammanträdet så att "
                        "beslutet fattas först",
                    )


@rule(
    "AVTAL-JUSTERING",
    Severity.WARNING,
    laws.cite("justering"),
    "Beslutet om avtalet är justerat när avtalet börjar gälla",
    kinds=ALL_KINDS,
)
def adjusted_before_start(spec: Spec) -> Iterator[Finding]:
    """The decision on the agreement, taken less than fourteen days before the start, may
    still be unadjusted on the first day: the protocol has fourteen days (5 kap. 69 §,
    6 kap. 35 § KL), so the organ declares it adjusted at once or meets earlier."""
    start = date.fromisoformat(str(spec.data["term"]["start"]))
    for index, party in _parties(spec):
        for where, decision in decision_blocks(party):
            at, last = last_meeting(decision)
            days = (start - date.fromisoformat(str(last["meeting_date"]))).days
            if 0 <= days < 14 and not last.get("immediate_adjustment"):
                yield Finding(
                    f"/parties/{index}/{where}/{at}meeting_date",
                    f"{party['name']} beslutar om avtalet {last['meeting_date']}, {days} dagar "
                    "innan det börjar gälla, och protokollet får justeras upp till fjorton "
                    "dagar efter sammanträdet; skriv immediate_adjustment: true för det "
                    "sammanträdet, eller besluta tidigare",
                )


@rule(
    "AVTAL-FORLANGNING",
    Severity.WARNING,
    SKR,
    "Automatisk förlängning anger när uppsägning senast ska ske",
    kinds=ALL_KINDS,
)
def extension_notice(spec: Spec) -> Iterator[Finding]:
    """An automatic extension needs a last day to stop it."""
    extension = spec.data["term"].get("extension", {})
    if extension.get("automatic") and "notice_months" not in extension:
        yield Finding(
            "/term/extension",
            "avtalet förlängs automatiskt men anger inte när det "
            "senast ska sägas upp; skriv notice_months",
        )


@rule(
    "BARN-ANALYS",
    Severity.WARNING,
    "lagen (2018:1197) om Förenta nationernas konvention om barnets rättigheter, artikel 3",
    "Barnrättsanalys när målgruppen omfattar barn",
    kinds=ALL_KINDS,
)
def child_rights(spec: Spec) -> Iterator[Finding]:
    """Children in the target group: every decision needs a child-rights analysis."""
    if not spec.data.get("target_group", {}).get("includes_children"):
        return
    for index, party in _parties(spec):
        for where, decision in decision_blocks(party):
            if "child_rights" in decision.get("analyses", {}):
                continue
            yield Finding(
                f"/parties/{index}/{where}/analyses",
                f"målgruppen omfattar barn; {party['name']} behöver en "
                "barnrättsanalys i analyses.child_rights",
            )


DECISION_TEXTS = {
    "preparation": "hur ärendet har beretts (preparation)",
    "opinion": "förvaltningens synpunkter (opinion)",
    "analyses/gender_equality": "en jämställdhetsanalys (analyses.gender_equality)",
}


def _missing(data: Mapping[str, Any], path: str) -> bool:
    for key in path.split("/"):
        if not isinstance(data, Mapping) or key not in data:
            return True
        data = data[key]
    return False


@rule(
    "BESLUT-UNDERLAG",
    Severity.WARNING,
    f"{SKR} (steg 3C, förankring)",
    "Tjänsteutlåtandet har alla sina delar",
    kinds=ALL_KINDS,
)
def decision_texts(spec: Spec) -> Iterator[Finding]:
    """Each part of the tjänsteutlåtande that only the spec can write is written."""
    deciding = [(i, p, w, d) for i, p in _parties(spec) for w, d in decision_blocks(p)]
    if deciding and "background" not in spec.data and spec.data["kind"] == "avtalssamverkan":
        yield Finding("/purpose", "tjänsteutlåtandena behöver en bakgrund; skriv background")
    for index, party, where, decision in deciding:
        texts = dict(DECISION_TEXTS)
        if spec.data["kind"] == "samverkansoverenskommelse":
            texts["analyses/economic_consequences"] = (
                "de ekonomiska konsekvenserna för parten (analyses.economic_consequences)"
            )
        missing = [what for path, what in texts.items() if _missing(decision, path)]
        if missing:
            yield Finding(
                f"/parties/{index}/{where}",
                f"tjänsteutlåtandet för {party['name']} saknar {join_and(missing)}; skriv "
                "texterna under partens decision",
            )


@rule("SKR-AVGRANSNING", Severity.INFO, SKR, "Det framgår vad samverkan inte omfattar")
def excluded_tasks(spec: Spec) -> Iterator[Finding]:
    """SKR's guide: say what the cooperation is not about, too."""
    if "excluded" not in spec.data["tasks"]:
        yield Finding("/tasks", "överväg att ange tasks.excluded, det som uttryckligen inte ingår")
