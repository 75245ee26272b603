"""Rules over how facts in different sections of a spec relate, as a lawyer reads an
agreement across its sections: roles against roles, money against who performs, time
against every period, the nature of the tasks against the delegation, and bodies against
the parties they act for. One small function per rule; messages say what to write."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from .. import delegation as dm
from .. import laws
from ..errors import Severity
from ..load import Spec, walk
from ..model import (
    ORDERING_ROLES,
    PERFORMER_ROLES,
    Names,
    add_months,
    derive_term,
    each_pays_all,
    priced_payers,
    priced_total,
)
from ..render import join_and, kronor
from ..render import months as months_word
from .registry import ALL_KINDS, Finding, rule

KL = laws.cite("avtalssamverkan")
KL_DELEGATION = laws.cite("extern-delegering")
SKR = "SKR: Avtalssamverkan inom socialtjänsten (2023)"
COST = f"{SKR} (självkostnadsprincipen och kostnadsfördelningen)"
GDPR = "dataskyddsförordningen (EU) 2016/679"
# Models where an advance is an estimate (of cost or volume), settled against the actual.
ESTIMATED = ("befolkning", "fasta_andelar", "styckpris")
VALUE_TOLERANCE = 0.25  # a stated yearly value this far from the computed one is flagged


def _parties(spec: Spec) -> dict[str, Mapping[str, Any]]:
    return {p["id"]: p for p in spec.data["parties"]}


def performs(party: Mapping[str, Any]) -> bool:
    """True when the party performs a task of the agreement (or participates with staff)."""
    return any(r in PERFORMER_ROLES or r == "deltagare" for r in party["roles"])


def only_orders(party: Mapping[str, Any]) -> bool:
    """True when the party only has the task performed for it."""
    return all(r in ORDERING_ROLES for r in party["roles"])


# --------------------------------------------------------------------------- roles


@rule(
    "ROLLER-ANSVAR",
    Severity.WARNING,
    f"{KL}; {SKR}",
    "Ansvarsfördelningen ger uppgifter bara åt roller som någon part har",
)
def duties_for_held_roles(spec: Spec) -> Iterator[Finding]:
    """A duty given to a role no party holds is a duty nobody has."""
    held = {r for p in spec.data["parties"] for r in p["roles"]}
    for index, entry in enumerate(spec.data.get("responsibilities", [])):
        if entry["role"] not in held:
            yield Finding(
                f"/responsibilities/{index}/role",
                f"ingen part har rollen {entry['role']}, så ingen har de här uppgifterna; "
                f"skriv en roll som en part har ({', '.join(sorted(held))}) eller ge en part "
                "rollen under roles",
            )


# What only a socialtjänst does: its decisions and investigations on the individual.
_SOCIAL_SERVICE_DUTY = re.compile(
    r"\bplacering\w*|\bplacera\w*|\bbistånd\w*|\bomhändertag\w*|\bLVU\b|\bLVM\b|"
    r"\bsocialnämnd\w*|\bsocialtjänstlagen\b", re.I)
# Roles that order or decide the matter (the performer's own work is the region's to do).
_ORDERING = ("uppdragsgivare", "hemkommun", "mottagande_kommun")


@rule(
    "ROLLER-REGION",
    Severity.ERROR,
    laws.cite("kommunens-socialtjanst"),
    "En region har ingen roll vars uppgifter är socialtjänstens",
)
def region_in_a_social_service_role(spec: Spec) -> Iterator[Finding]:
    """A region given a role whose duties are those of a socialtjänst (ordering and
    following up a placement, investigating): a region has no socialnämnd, so it can
    neither order nor decide them; it takes part with its health care (deltagare)."""
    duties = {entry["role"]: " ".join(str(d.get("text", "")) for d in entry.get("duties", []))
              for entry in spec.data.get("responsibilities", [])}
    for index, party in enumerate(spec.data["parties"]):
        if party.get("type") != "region":
            continue
        for role in party["roles"]:
            found = _SOCIAL_SERVICE_DUTY.search(duties.get(role, ""))
            if found is not None and role in _ORDERING:
                yield Finding(
                    f"/parties/{index}/roles",
                    f"{party['name']} har rollen {role}, vars uppgifter är socialtjänstens "
                    f"(”{found.group(0)}”), men kommunen ansvarar för socialtjänsten "
                    f"({laws.cite('kommunens-socialtjanst')}); en region har ingen socialnämnd, "
                    "så ge regionen den roll den har (t.ex. deltagare) eller rätta uppgifterna",
                )
                break


@rule(
    "ROLLER-DELEGAT",
    Severity.ERROR,
    f"{KL_DELEGATION}; {SKR}",
    "Delegaterna är anställda hos en part som utför uppgiften",
)
def delegates_work_for_performer(spec: Spec) -> Iterator[Finding]:
    """Extern delegering reaches the performing party's employees, not the buyer's own:
    the decision point would give a power 9 kap. 37 § KL does not allow, so it is an error."""
    delegates = spec.data.get("delegation", {}).get("external", {}).get("delegates")
    if not isinstance(delegates, list):
        return
    parties = _parties(spec)
    for index, delegate in enumerate(delegates):
        party = parties.get(delegate["party"])
        if party is not None and not performs(party):
            yield Finding(
                f"/delegation/external/delegates/{index}/party",
                f"{delegate['title']} anges som anställd hos {party['name']}, som inte utför "
                "uppgiften; extern delegering går till anställda hos den part som utför den. "
                "Skriv den utförande partens id",
            )


# Processing for another's account (”behandlar dem för hemkommunens räkning”), or an
# attachment that is a processor's agreement: the words of a processor relation.
_ON_BEHALF = re.compile(r"\bför\s+(?:\w+\s+){0,2}?\w+s\s+räkning\b|\bpå\s+uppdrag\s+av\b"
                        r"|\benligt\s+(?:\w+\s+){0,2}?instruktion\w*", re.I)
_PROCESSOR_AGREEMENT = re.compile(r"\bbiträdesavtal\w*|\bpersonuppgiftsbiträd\w*|\bPUB\b", re.I)


@rule(
    "GDPR-SEPARATA-BITRADE",
    Severity.WARNING,
    f"artiklarna 4.8 och 28 {GDPR}",
    "Avtalet kallar inte parterna självständigt ansvariga när en behandlar uppgifter åt en annan",
)
def separate_but_on_behalf(spec: Spec) -> Iterator[Finding]:
    """roles: separata (or gemensamt) while the details say one party processes the data
    for the other's account, or a processor's agreement is attached: the two say
    different things about who decides on the data."""
    data = spec.data.get("information", {}).get("personal_data", {})
    if data.get("roles") not in ("separata", "gemensamt"):
        return
    said = _ON_BEHALF.search(str(data.get("details", "")))
    attached = next((str(a.get("text", "")) for a in spec.data.get("attachments", [])
                     if _PROCESSOR_AGREEMENT.search(str(a.get("text", "")))), None)
    if said is None and attached is None:
        return
    why = (f"texten säger ”{said.group(0)}”" if said
           else f"bilagan ”{attached}” hör till ett biträde")
    yield Finding(
        "/information/personal_data/roles",
        f"rollerna är angivna som {data['roles']}, men {why}: den som behandlar "
        "personuppgifter för en annans räkning är dess personuppgiftsbiträde (artikel 4.8 "
        f"{GDPR}). Skriv roles: bitrade med controller och processor, eller rätta texten",
    )


@rule(
    "GDPR-BITRADE-FLERA",
    Severity.WARNING,
    f"artikel 28 {GDPR}",
    "Den utförande parten är biträde åt varje part vars uppgifter den behandlar",
)
def processor_for_one_of_several(spec: Spec) -> Iterator[Finding]:
    """One controller named where several parties order in the same way: the performer
    processes each one's data for it, and the agreement would make it a processor for one
    of them only."""
    data = spec.data.get("information", {}).get("personal_data", {})
    if data.get("roles") != "bitrade" or "controller" not in data:
        return
    ordering = [p for p in spec.data["parties"] if p["id"] != data.get("processor")
                and set(p["roles"]) & {"uppdragsgivare", "hemkommun"}]
    others = [p["name"] for p in ordering if p["id"] != data["controller"]]
    if len(ordering) > 1 and len(others) < len(ordering):  # the controller is one of them
        named = _parties(spec).get(data["controller"])
        yield Finding(
            "/information/personal_data/controller",
            f"{join_and(others)} beställer på samma sätt som "
            f"{named['name'] if named else data['controller']}, men avtalet gör den utförande "
            "parten till biträde bara åt en av dem; stryk controller, så att avtalet gör den "
            "till biträde åt var och en av dem med ett biträdesavtal med var och en",
        )


@rule(
    "GDPR-BITRADE-ROLL",
    Severity.WARNING,
    f"artiklarna 4.8 och 28 {GDPR}",
    "Personuppgiftsbiträdet är den part som utför uppgiften åt den ansvarige",
)
def processor_performs(spec: Spec) -> Iterator[Finding]:
    """The processor processes on the controller's behalf: it performs, the controller orders."""
    data = spec.data.get("information", {}).get("personal_data", {})
    if data.get("roles") != "bitrade" or "processor" not in data:
        return
    parties = _parties(spec)
    processor = parties.get(data["processor"])
    controller = parties.get(data.get("controller", ""))
    if processor is None:
        return
    if controller is processor:
        reason = f"{processor['name']} kan inte vara biträde åt sig själv"
    elif not performs(processor):
        reason = (f"{processor['name']} utför inget åt de andra parterna och behandlar alltså "
                  "inga uppgifter för deras räkning")
    else:
        return
    yield Finding(
        "/information/personal_data/processor",
        f"{reason}; biträdet är den part som utför uppgiften, och den ansvarige den part "
        "vars uppgift det är. Byt controller och processor",
    )


@rule(
    "GDPR-GEMENSAMT-ROLL",
    Severity.WARNING,
    f"artikel 26 {GDPR}",
    "Ett arrangemang för gemensamt ansvar hör till rollen gemensamt",
)
def joint_block_needs_joint_roles(spec: Spec) -> Iterator[Finding]:
    """Joint controllers listed while the roles say each party is responsible alone."""
    data = spec.data.get("information", {}).get("personal_data", {})
    if "joint" in data and data.get("roles") != "gemensamt":
        yield Finding(
            "/information/personal_data/roles",
            f"personal_data.joint räknar upp gemensamt personuppgiftsansvariga, men roles är "
            f"{data.get('roles', 'inte angivet')}; skriv roles: gemensamt, eller ta bort joint",
        )


# --------------------------------------------------------------------------- money


def _payers(model: Mapping[str, Any]) -> list[str] | None:
    """Party ids the cost model makes pay, or None when the model names none."""
    if model["type"] == "befolkning":
        return [row["party"] for row in model["populations"]]
    if model["type"] == "fasta_andelar":
        return [p for row in model["shares"] for p in row["parties"]]
    if "payer" in model:
        return [model["payer"]]
    return None


@rule(
    "EKON-BETALARE",
    Severity.WARNING,
    COST,
    "Varje beställande part betalar, och ingen betalar för sin egen tjänst",
)
def payers_fit_roles(spec: Spec) -> Iterator[Finding]:
    """Who pays follows who orders: a buyer without share or price, a performer paying itself."""
    model = spec.data["economics"]["model"]
    payers = _payers(model)
    if payers is None:
        return
    parties = _parties(spec)
    where = "/economics/model" + ("/payer" if "payer" in model else "")
    if model["type"] in ("styckpris", "fast_ersattning") and "payer" in model:
        payer = parties.get(model["payer"])
        if payer is not None and performs(payer) and not set(payer["roles"]) & set(ORDERING_ROLES):
            yield Finding(
                where,
                f"{payer['name']} utför uppgiften och anges som betalare av ersättningen, "
                "alltså för sin egen tjänst; skriv den beställande partens id i payer",
            )
            return
    if "hub" in spec.data:
        return
    for party in spec.data["parties"]:
        if only_orders(party) and party["id"] not in payers:
            yield Finding(
                where,
                f"{party['name']} beställer uppgiften men har ingen andel eller något pris i "
                "kostnadsmodellen; ta med parten bland dem som betalar, eller skriv varför "
                "den inte betalar",
            )


@rule(
    "EKON-FORSKOTT",
    Severity.WARNING,
    COST,
    "Förskott på uppskattade kostnader stäms av mot den faktiska kostnaden",
)
def advance_is_reconciled(spec: Spec) -> Iterator[Finding]:
    """An advance on an estimate without reconciliation can leave a profit or a loss."""
    economics = spec.data["economics"]
    model = economics["model"]
    timing = economics.get("invoicing", {}).get("timing")
    if timing == "forskott" and model["type"] in ESTIMATED and "reconciliation" not in economics:
        yield Finding(
            "/economics/invoicing/timing",
            "ersättningen faktureras i förskott på en uppskattning, men avtalet säger inte när "
            "förskotten stäms av mot den faktiska kostnaden; skriv economics.reconciliation "
            "med interval_months och settlement",
        )


@rule(
    "EKON-AVSTAMNING-TID",
    Severity.WARNING,
    COST,
    "Avstämningen mot faktisk kostnad sker inom avtalstiden",
)
def reconciliation_inside_term(spec: Spec) -> Iterator[Finding]:
    """A reconciliation interval longer than the whole term never comes."""
    reconciliation = spec.data["economics"].get("reconciliation")
    term = derive_term(spec.data["term"])
    if reconciliation is None or term.end is None:
        return
    first = add_months(term.start, reconciliation["interval_months"])
    if first > term.end:
        yield Finding(
            "/economics/reconciliation/interval_months",
            f"den första avstämningen ({months_word(reconciliation['interval_months'])} efter "
            f"start) kommer efter avtalstidens slut {term.end.isoformat()}; korta intervallet",
        )


@rule(
    "EKON-FAKTURA-TID",
    Severity.WARNING,
    COST,
    "Fakturering sker inom avtalstiden och av en part som får betalt",
)
def invoicing_fits_term_and_roles(spec: Spec) -> Iterator[Finding]:
    """An invoicing interval longer than the whole term (no invoice before the end), and
    an invoicing party that only orders (it pays, it is not paid)."""
    invoicing = spec.data["economics"].get("invoicing", {})
    term = derive_term(spec.data["term"])
    interval = invoicing.get("interval_months")
    if interval is not None and term.end is not None and add_months(term.start, interval) > (
            term.end + timedelta(days=1)):
        yield Finding(
            "/economics/invoicing/interval_months",
            f"parterna fakturerar {months_word(interval)} i taget, men avtalstiden slutar "
            f"{term.end.isoformat()}, före den första fakturan; korta intervallet",
        )
    by = _parties(spec).get(str(invoicing.get("by", "")))
    if by is not None and only_orders(by) and not spec.data.get("hub"):
        yield Finding(
            "/economics/invoicing/by",
            f"{by['name']} beställer bara och betalar, men anges som den part som fakturerar; "
            "skriv den part som utför uppgiften och får betalt",
        )


@rule(
    "EKON-INDEX-ANDEL",
    Severity.WARNING,
    COST,
    "En fördelning av faktiska kostnader räknas inte upp med ett index",
)
def index_on_a_cost_split(spec: Spec) -> Iterator[Finding]:
    """A price adjustment on a split of the actual cost with no sum to adjust (shares or
    population without total_cost, each bears its own, the receiving party bears it):
    there is no price to adjust. (A total the shares are paid in advance of may be
    indexed.)"""
    economics = spec.data["economics"]
    if "price_adjustment" in economics and economics["model"]["type"] in (
            "befolkning", "fasta_andelar", "egna_kostnader", "mottagande_part") and (
            "total_cost" not in economics["model"]):
        yield Finding(
            "/economics/price_adjustment",
            "kostnaderna fördelas efter den faktiska kostnaden "
            f"({economics['model']['type']}), så det finns inget pris att räkna upp med ett "
            "index; ta bort price_adjustment, eller välj en modell med pris "
            "(styckpris, fast_ersattning)",
        )


@rule(
    "EKON-INDEX-DUBBEL",
    Severity.WARNING,
    COST,
    "Priset räknas upp på ett ställe: modellens indexation eller price_adjustment",
)
def two_adjustments(spec: Spec) -> Iterator[Finding]:
    """economics.model.indexation and economics.price_adjustment both given: the cost
    clause prints two rules for raising the price (one perhaps with a cap, the other
    without), and neither says which wins."""
    economics = spec.data["economics"]
    if "indexation" in economics["model"] and "price_adjustment" in economics:
        yield Finding(
            "/economics/model/indexation",
            "både kostnadsmodellens indexation och price_adjustment säger hur priset räknas "
            "upp, och avtalet skriver båda; skriv uppräkningen på ett ställe, helst i "
            "price_adjustment (index, månad och tak), och stryk indexation",
        )


@rule(
    "EKON-FAKTURA",
    Severity.WARNING,
    COST,
    "Ingen fakturering när varje part bär sina egna kostnader",
)
def no_invoice_without_payment(spec: Spec) -> Iterator[Finding]:
    """Invoicing in an agreement where each party bears its own costs: no one pays."""
    economics = spec.data["economics"]
    if economics["model"]["type"] == "egna_kostnader" and "invoicing" in economics:
        yield Finding(
            "/economics/invoicing",
            "varje part bär sina egna kostnader (model.type: egna_kostnader), men avtalet "
            "beskriver fakturering; välj en modell där en part betalar, eller ta bort invoicing",
        )


@rule(
    "EKON-FAST-DELNING",
    Severity.WARNING,
    COST,
    "En fast ersättning från flera parter säger vad var och en betalar",
)
def fixed_sum_split(spec: Spec) -> Iterator[Finding]:
    """A fixed sum several parties pay, with no word on how they share it: the agreement
    reads as one sum for all, a staff report as each one's."""
    model = spec.data["economics"]["model"]
    payers = priced_payers(spec.data)
    if model["type"] != "fast_ersattning" or each_pays_all(spec.data) or len(payers) < 2:
        return
    yield Finding(
        "/economics/model/amount",
        f"{len(payers)} parter betalar den fasta ersättningen om {kronor(model['amount'])} "
        "per år, men avtalet säger inte hur den delas mellan dem; skriv per_payer: true om "
        "var och en betalar hela beloppet, eller välj fasta_andelar och ange varje parts "
        "andel",
    )


@rule(
    "EKON-VARDE",
    Severity.WARNING,
    COST,
    "Det uppskattade årsvärdet stämmer med pris och volym",
)
def stated_value_fits_model(spec: Spec) -> Iterator[Finding]:
    """estimated_annual_value feeds the competence and procurement rules: it must fit."""
    economics = spec.data["economics"]
    stated = economics.get("estimated_annual_value")
    model = economics["model"]
    value = priced_total(spec.data)
    if stated is None or value is None or not stated:
        return
    field = "amount" if model["type"] == "fast_ersattning" else "volume_per_year"
    where = f"/economics/model/{field}"
    if abs(value - stated) > VALUE_TOLERANCE * stated:
        yield Finding(
            where,
            f"kostnadsmodellen ger {kronor(value)} per år, men estimated_annual_value är "
            f"{kronor(stated)}; rätta det ena, eftersom årsvärdet avgör vem som beslutar och "
            "om direktupphandling är möjlig",
        )


# --------------------------------------------------------------------------- time


@rule(
    "AVTAL-UPPSAGNING-PERIOD",
    Severity.WARNING,
    SKR,
    "Uppsägningstiden är inte längre än en förlängningsperiod",
    kinds=ALL_KINDS,
)
def notice_within_extension(spec: Spec) -> Iterator[Finding]:
    """Notice longer than an extension period: a notice in one period ends in the next."""
    extension = spec.data["term"].get("extension")
    notice = spec.data.get("termination", {}).get("notice_months")
    if extension is None or notice is None:
        return
    if notice > extension["period_months"]:
        yield Finding(
            "/termination/notice_months",
            f"uppsägningstiden ({months_word(notice)}) är längre än en förlängningsperiod "
            f"({months_word(extension['period_months'])}), så en uppsägning under en "
            "förlängning får verkan först i nästa; korta uppsägningstiden eller förläng "
            "perioderna",
        )


@rule(
    "AVTAL-AVTALSBROTT",
    Severity.WARNING,
    SKR,
    "Tiden för rättelse vid avtalsbrott är kortare än den vanliga uppsägningstiden",
    kinds=ALL_KINDS,
)
def cure_shorter_than_notice(spec: Spec) -> Iterator[Finding]:
    """A breach clause whose cure period outlasts ordinary notice gives the wronged party
    nothing it does not already have."""
    termination = spec.data.get("termination", {})
    terms = termination.get("breach_terms")
    notice = termination.get("notice_months")
    if terms is None or notice is None:
        return
    term = derive_term(spec.data["term"])
    anytime = term.end is None or termination.get("exit") == "under_avtalstiden"
    if anytime and terms["cure_days"] > notice * 30:
        yield Finding(
            "/termination/breach_terms/cure_days",
            f"tiden för rättelse ({terms['cure_days']} dagar) är längre än uppsägningstiden "
            f"({months_word(notice)}), så en part kommer snabbare ur avtalet genom vanlig "
            "uppsägning än genom att åberopa avtalsbrott; korta tiden för rättelse",
        )


@rule(
    "AVTAL-PERIODSLUT",
    Severity.WARNING,
    SKR,
    "Ett avtal som gäller tills vidare kan sägas upp utan att vänta på ett periodslut",
    kinds=ALL_KINDS,
)
def until_further_notice_has_no_period_end(spec: Spec) -> Iterator[Finding]:
    """Notice only to the end of a period, in an agreement that has no period."""
    termination = spec.data.get("termination", {})
    term = derive_term(spec.data["term"])
    if term.end is None and termination.get("exit") == "vid_periodens_slut":
        yield Finding(
            "/termination/exit",
            "avtalet gäller tills vidare och har ingen period som tar slut, men kan bara sägas "
            "upp till periodens slut; skriv exit: under_avtalstiden, eller ge avtalet en "
            "bestämd tid",
        )


# --------------------------------------------------------------------------- task nature


@rule(
    "NATUR-BESLUTSTYPER",
    Severity.WARNING,
    f"{KL_DELEGATION}; {SKR}",
    "Beslut på delegation hör till myndighetsutövning, inte till insatser",
)
def decisions_need_authority_nature(spec: Spec) -> Iterator[Finding]:
    """Decision types delegated to the performer's staff are myndighetsutövning."""
    delegation = spec.data.get("delegation", {})
    types = delegation.get("external", {}).get("decision_types", [])
    if delegation.get("nature") == "insatser" and types:
        yield Finding(
            "/delegation/nature",
            f"avtalet anger att det bara gäller insatser, men låter anställda fatta beslut "
            f"({types[0]['text']}), vilket är myndighetsutövning; skriv nature: bada eller "
            "myndighetsutovning, eller ta bort decision_types",
        )


@rule(
    "NATUR-JOUR",
    Severity.WARNING,
    f"{KL_DELEGATION}; {SKR}",
    "Anställda som fattar brådskande beslut kan nås när besluten behövs",
)
def urgent_decisions_within_service_hours(spec: Spec) -> Iterator[Finding]:
    """Urgent decisions delegated to staff who only take cases at certain hours."""
    hours = spec.data["tasks"].get("service_hours")
    types = spec.data.get("delegation", {}).get("external", {}).get("decision_types", [])
    urgent = [t for t in types if t.get("urgent") and t.get("decided_by", "anstalld") == "anstalld"]
    if hours is not None and not hours["around_the_clock"] and urgent:
        when = f" ({hours['hours']})" if "hours" in hours else ""
        yield Finding(
            "/tasks/service_hours/around_the_clock",
            f"anställda ska fatta brådskande beslut ({urgent[0]['text']}), men utföraren tar "
            f"bara emot ärenden vissa tider{when}; skriv around_the_clock: true och ordna "
            "bemanningen, eller låt besluten utanför tiderna fattas på annat sätt",
        )


@rule(
    "NATUR-OPPETTIDER",
    Severity.WARNING,
    SKR,
    "Öppettiderna är antingen dygnet runt eller vissa tider",
)
def service_hours_agree(spec: Spec) -> Iterator[Finding]:
    """Hours beside around the clock: the agreement says around the clock and no hours."""
    hours = spec.data["tasks"].get("service_hours")
    if hours is not None and hours["around_the_clock"] and "hours" in hours:
        yield Finding(
            "/tasks/service_hours/hours",
            f"utföraren tar emot ärenden dygnet runt, men tiderna anges också ({hours['hours']}), "
            "och avtalet skriver bara dygnet runt; ta bort hours, eller skriv "
            "around_the_clock: false",
        )


# A contact that is the duty service itself (not its manager or a coordinator), and hours
# that are office hours, not the clock round.
_DUTY_SERVICE = re.compile(r"jour\w*", re.I)
_NOT_THE_SERVICE = re.compile(r"chef|ansvarig|samordnare|handläggare|ledare|direktör", re.I)
_AROUND_THE_CLOCK = re.compile(r"\bdygnet runt\b|\bdygnets alla timmar\b|\bhela dygnet\b",
                               re.I)


@rule(
    "KONTAKT-JOUR",
    Severity.WARNING,
    SKR,
    "En jours kontaktuppgifter ger de tider då jouren tar emot: dygnet runt när avtalet "
    "säger det, aldrig de tider avtalet undantar",
    kinds=ALL_KINDS,
)
def duty_contact_office_hours(spec: Spec) -> Iterator[Finding]:
    """The agreement keeps a duty service open around the clock, or leaves office hours
    out of it, but the performer's contact for it gives office hours (a line copied from
    another contact): the agreement prints both, and a kommun calling at night reads the
    contact list."""
    hours = spec.data.get("tasks", {}).get("service_hours", {})
    said = hours.get("around_the_clock") is True or any(
        _AROUND_THE_CLOCK.search(str(text))
        for place in ("tasks", "responsibilities") for _, text in walk(spec.data.get(place, {})))
    closed = _closed_hours(spec)
    for index, number, function, available in _duty_contacts(spec):
        if said and not _AROUND_THE_CLOCK.search(available):
            yield Finding(
                f"/parties/{index}/contacts/{number}/availability",
                f"kontakten ”{function}” nås {available.rstrip('.').lower()}, men avtalet "
                "säger att verksamheten tar emot dygnet runt; rätta tiderna (eller "
                "avtalets text)",
            )
        elif (shut := next((c for c in closed if c in _spans(available)), None)) is not None:
            yield Finding(
                f"/parties/{index}/contacts/{number}/availability",
                f"kontakten ”{function}” nås {available.rstrip('.').lower()}, men avtalet "
                f"undantar just den tiden ({shut}) från uppdraget; skriv de tider då "
                "verksamheten tar emot",
            )


# A span of hours (”8–16.30”, ”08.00-16.30”) or office hours, as said in a text.
_SPAN = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*[–-]\s*(\d{1,2})(?:[.:](\d{2}))?\b")
_OFFICE = re.compile(r"(?<!efter )(?<!utanför )(?<!före )\bkontorstid\w*", re.I)


def _spans(text: str) -> set[str]:
    """The spans of hours a text gives, written alike (”8.00–16.30”), and ”kontorstid”."""
    found = {f"{int(m[1])}.{m[2] or '00'}–{int(m[3])}.{m[4] or '00'}" for m in _SPAN.finditer(text)}
    return found | ({"kontorstid"} if _OFFICE.search(text) else set())


def _closed_hours(spec: Spec) -> set[str]:
    """The hours the agreement leaves out of the task (tasks.excluded)."""
    return {span for _, text in walk(spec.data.get("tasks", {}).get("excluded", []))
            for span in _spans(str(text))}


def _duty_contacts(spec: Spec) -> Iterator[tuple[int, int, str, str]]:
    """Each performer's contact for the duty service (not its chief) with the hours it
    gives: the party's index, the contact's, its function and its hours."""
    for index, party in enumerate(spec.data["parties"]):
        if not any(r in PERFORMER_ROLES for r in party["roles"]):
            continue
        for number, contact in enumerate(party.get("contacts", [])):
            function = str(contact.get("function", ""))
            available = str(contact.get("availability", ""))
            if (_DUTY_SERVICE.search(function) and not _NOT_THE_SERVICE.search(function)
                    and available):
                yield index, number, function, available


@rule(
    "KL-VIDAREDELEGERING-NIVA",
    Severity.WARNING,
    f"{KL_DELEGATION}; {laws.cite('vidaredelegering')}; {SKR}",
    "Tillåten vidaredelegering anger till vilken nivå",
)
def further_delegation_level(spec: Spec) -> Iterator[Finding]:
    """Further delegation allowed: to whom?"""
    external = spec.data.get("delegation", {}).get("external", {})
    if external.get("used") and external.get("further_delegation") is True and (
        "further_delegation_to" not in external
    ):
        yield Finding(
            "/delegation/external/further_delegation",
            "vidaredelegering tillåts, men avtalet säger inte till vilken nivå; skriv "
            "further_delegation_to, t.ex. ”socialsekreterare i socialjouren”",
        )
    allowed = dm.allows_further_delegation(external)
    level = str(external.get("further_delegation_to", ""))
    parties = _parties(spec)
    others = [parties[i] for i in Names(spec.data["parties"]).named(level)
              if not performs(parties[i])] if external.get("used") and allowed else []
    if others:
        name = others[0]["name"]
        yield Finding(
            "/delegation/external/further_delegation_to",
            f"beslutanderätten får enligt texten vidaredelegeras till anställda hos {name}, "
            "men en förvaltningschef kan bara uppdra åt en annan anställd i sin egen kommun "
            f"(7 kap. 6 § kommunallagen); de egna anställda hos {name} får beslutanderätt "
            "av den egna nämnden. Skriv en nivå hos den utförande parten",
        )
    if external.get("used") and "further_delegation_to" in external and not allowed:
        yield Finding(
            "/delegation/external/further_delegation_to",
            "avtalet anger till vilken nivå beslutanderätten får vidaredelegeras, men tillåter "
            "ingen vidaredelegering, så nivån står inte i avtalet; skriv further_delegation: "
            "true, eller ta bort further_delegation_to",
        )


# --------------------------------------------------------------------------- organs


@rule(
    "ORGAN-STYRGRUPP",
    Severity.WARNING,
    f"{SKR} (styrgrupp och uppföljning)",
    "Styrgruppen har ledamöter från de parter den styr för",
    kinds=ALL_KINDS,
)
def steering_group_of_parties(spec: Spec) -> Iterator[Finding]:
    """Every party of a multilateral agreement sits in the steering group that acts for it."""
    group = spec.data.get("follow_up", {}).get("steering_group", {})
    members = group.get("members")
    if members is None or "hub" in spec.data:
        return
    absent = [p["name"] for p in spec.data["parties"] if p["id"] not in members]
    if absent:
        yield Finding(
            "/follow_up/steering_group/members",
            f"{', '.join(absent)} har ingen plats i styrgruppen, som ska styra samverkan för "
            "alla parter; lägg till partens id i members, eller skriv i composition varför "
            "den inte deltar",
        )


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


@rule(
    "AVTAL-DATUM-TID",
    Severity.WARNING,
    "SKR: Stöd vid framtagande av lagstadgade överenskommelser för vissa målgrupper (2020)",
    "Beslutet fattas före start och uppföljningen sker inom giltighetstiden",
    kinds=("samverkansoverenskommelse",),
)
def dates_inside_term(spec: Spec) -> Iterator[Finding]:
    """The decision comes before the start; the follow-up falls inside the term."""
    term = derive_term(spec.data["term"])
    decided = _day(spec.data.get("decision_date"))
    if decided is not None and decided > term.start:
        yield Finding(
            "/decision_date",
            f"överenskommelsen beslutas {decided.isoformat()}, efter att den ska börja gälla "
            f"({term.start.isoformat()}); flytta beslutet eller startdagen",
        )
    review = _day(spec.data.get("follow_up_date"))
    if review is not None and (review < term.start or (term.end and review > term.end)):
        yield Finding(
            "/follow_up_date",
            f"uppföljningen {review.isoformat()} ligger utanför giltighetstiden "
            f"({term.start.isoformat()}–{term.end.isoformat() if term.end else 'tills vidare'}); "
            "välj ett datum inom den, så att uppföljningen kan påverka överenskommelsen",
        )


# A class of records that holds the decisions in individual cases (”beslut i enskilda
# ärenden”, ”utredningar och beslut i ärendena”).
CASE_DECISIONS = re.compile(r"\bbeslut\w*\b[^.;]*\b(?:enskild\w*|ärende\w*)|\bärende\w*[^.;]*"
                            r"\bbeslut\w*", re.I)


@rule(
    "ARKIV-BESLUT",
    Severity.WARNING,
    KL_DELEGATION,
    "Beslut som fattas på en uppdragsgivares vägnar hålls av den nämnd vars ärende det är",
)
def case_decisions_kept_by_their_namnd(spec: Spec) -> Iterator[Finding]:
    """A class of records with the decisions taken in the cases kept by the performer,
    while the performer's staff decide on the principal's behalf (extern delegering): the
    decisions are the principal nämnd's, and so are their records."""
    if not spec.data.get("delegation", {}).get("external", {}).get("used"):
        return
    classes = spec.data.get("information", {}).get("records", {}).get("classes", [])
    for index, entry in enumerate(classes):
        if entry.get("kept_by") == "utforande_part" and CASE_DECISIONS.search(
                str(entry.get("text", ""))):
            yield Finding(
                f"/information/records/classes/{index}/kept_by",
                "handlingarna rymmer besluten i ärendena, som den utförande partens anställda "
                "fattar på uppdragsgivarens vägnar, alltså uppdragsgivarens beslut; skriv "
                "kept_by: arendets_namnd, eller dela klassen",
            )
