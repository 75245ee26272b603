"""Rules tying the term, its extension and termination together: when a party may
leave, the last day to stop an extension, and notice periods that cannot work."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..errors import Severity
from ..load import Spec
from ..model import add_months, decision_blocks, decision_path, derive_term
from ..render import months as months_word
from ..render import swedish_date
from .registry import ALL_KINDS, Finding, rule

SKR = "SKR: Avtalssamverkan inom socialtjänsten (2023)"


def _fixed_term(spec: Spec) -> bool:
    return derive_term(spec.data["term"]).end is not None


@rule(
    "AVTAL-UPPSAGNING-MODELL",
    Severity.WARNING,
    SKR,
    "Avtalet säger om en part kan lämna det under avtalstiden",
    kinds=ALL_KINDS,
)
def exit_model(spec: Spec) -> Iterator[Finding]:
    """A fixed term and a notice period: say whether notice works during the term."""
    termination = spec.data.get("termination")
    if termination is not None and "exit" not in termination and _fixed_term(spec):
        yield Finding(
            "/termination",
            "avtalet har en bestämd avtalstid men säger inte om en part kan lämna det under "
            "avtalstiden; ange exit: under_avtalstiden eller exit: vid_periodens_slut "
            "(utan exit kan avtalet bara sägas upp till avtalstidens slut)",
        )


@rule(
    "AVTAL-FORLANGNING-FRIST",
    Severity.ERROR,
    SKR,
    "Sista dagen att stoppa en förlängning infaller efter startdagen",
    kinds=ALL_KINDS,
)
def extension_deadline_after_start(spec: Spec) -> Iterator[Finding]:
    """The last day to stop the extension must not fall before the agreement starts."""
    term = derive_term(spec.data["term"])
    if term.extension_notice_by is not None and term.extension_notice_by < term.start:
        yield Finding(
            "/term/extension/notice_months",
            f"sista dagen att säga upp avtalet före förlängningen blir "
            f"{swedish_date(term.extension_notice_by)}, före startdagen "
            f"{swedish_date(term.start)}; korta notice_months eller förläng avtalstiden",
        )


@rule(
    "AVTAL-UPPSAGNING-FRISTER",
    Severity.WARNING,
    SKR,
    "Uppsägning till periodens slut har en frist, inte två",
    kinds=ALL_KINDS,
)
def one_notice_for_period_end(spec: Spec) -> Iterator[Finding]:
    """Notice to the end of a period and notice to stop the extension are the same act."""
    termination = spec.data.get("termination", {})
    extension = spec.data["term"].get("extension", {})
    if (
        termination.get("exit", "vid_periodens_slut") == "vid_periodens_slut"
        and _fixed_term(spec)
        and extension.get("automatic")
        and "notice_months" in extension
        and "notice_months" in termination
        and extension["notice_months"] != termination["notice_months"]
    ):
        yield Finding(
            "/termination/notice_months",
            f"uppsägningstiden ({months_word(termination['notice_months'])}) skiljer sig från "
            f"fristen för att stoppa förlängningen "
            f"({months_word(extension['notice_months'])}), fast båda gäller uppsägning till "
            "periodens slut; ange samma antal månader eller exit: under_avtalstiden",
        )


@rule(
    "AVTAL-UPPSAGNINGSTID-NOLL",
    Severity.WARNING,
    SKR,
    "En uppsägningstid på noll månader säger vad som händer med pågående ärenden",
    kinds=ALL_KINDS,
)
def zero_notice(spec: Spec) -> Iterator[Finding]:
    """Leaving at once needs a plan for the matters under way."""
    termination = spec.data.get("termination", {})
    if termination.get("notice_months") == 0 and not (
        "ongoing_assignments_rule" in termination or "ongoing_assignments" in termination
    ):
        yield Finding(
            "/termination/notice_months",
            "uppsägningstiden är noll månader, så en part kan lämna avtalet omedelbart; "
            "ange vad som händer med pågående ärenden (ongoing_assignments_rule: slutfors "
            "eller aterlamnas)",
        )


def _can_leave(spec: Spec) -> bool:
    """A party can end the agreement for its part: by notice, or for a material breach."""
    termination = spec.data.get("termination", {})
    extension = spec.data["term"].get("extension", {})
    by_notice = (
        not _fixed_term(spec)
        or termination.get("exit", "vid_periodens_slut") == "under_avtalstiden"
        or bool(extension.get("automatic"))
    )
    return by_notice or "breach" in termination


@rule(
    "AVTAL-OVRIGA-PARTER",
    Severity.WARNING,
    "avtalets uppsägning (termination)",
    "Ett avtal med fler än två parter säger vad som gäller för övriga när en part lämnar",
)
def remaining_parties(spec: Spec) -> Iterator[Finding]:
    """Many parties: whether the agreement goes on between the others is the parties' call;
    with two, there are no others for it to go on between."""
    termination = spec.data.get("termination")
    if (termination is not None and len(spec.data["parties"]) == 2
            and termination.get("remaining_parties") == "fortsatter"):
        yield Finding(
            "/termination/remaining_parties",
            "avtalet har två parter: när den ena säger upp det finns ingen annan part att "
            "fortsätta med, och avtalet skriver inget om det; ta bort remaining_parties",
        )
    if (
        termination is not None
        and len(spec.data["parties"]) > 2
        and "hub" not in spec.data
        and "remaining_parties" not in termination
        and _can_leave(spec)
    ):
        yield Finding(
            "/termination",
            "avtalet har fler än två parter men säger inte om det fortsätter mellan övriga "
            "parter när en part har sagt upp det; ange remaining_parties: fortsatter eller "
            "remaining_parties: upphor",
        )


@rule(
    "AVTAL-OPTION-FRIST",
    Severity.WARNING,
    SKR,
    "En senare förlängning påkallas under den förlängning som går före den",
)
def option_called_within_period(spec: Spec) -> Iterator[Finding]:
    """An option called more months ahead than an extension period lasts: the next
    extension must be called before the one before it has begun."""
    extension = spec.data["term"].get("extension", {})
    if "holder" not in extension:
        return
    call, period = extension.get("call_months"), extension["period_months"]
    term = derive_term(spec.data["term"])
    if call is not None and term.end is not None and add_months(term.end, -call) <= term.start:
        yield Finding(
            "/term/extension/call_months",
            f"förlängningen påkallas {months_word(call)} före avtalstidens slut "
            f"({swedish_date(term.end)}), alltså redan innan avtalet börjar gälla "
            f"({swedish_date(term.start)}); korta call_months",
        )
        return
    if extension.get("max_extensions", 2) == 1:
        return
    if call is not None and call > period:
        yield Finding(
            "/term/extension/call_months",
            f"förlängningen påkallas {months_word(call)} före periodens slut, men en "
            f"förlängningsperiod är {months_word(period)}, så nästa förlängning måste påkallas "
            "innan den förra har börjat; korta call_months eller förläng perioden",
        )


@rule(
    "AVTAL-DATUMORDNING",
    Severity.WARNING,
    "avtalets datum (schemas/agreement.schema.json)",
    "Avtalets datum kommer i den ordning ärendet går",
    kinds=ALL_KINDS,
)
def dates_in_order(spec: Spec) -> Iterator[Finding]:
    """The day the last decision is to be made (decision_date) comes after every organ
    has met. (The day the procurement question is settled, procurement.decided_on, may
    lawfully come later: a question settled again for an extension.)"""
    meetings = [step.meeting_date for party in spec.data["parties"]
                for _, block in decision_blocks(party)
                for step in decision_path(block, party["organs"])]
    if "decision_date" in spec.data and meetings:
        decided, last = _day(spec.data["decision_date"]), max(meetings)
        if decided < last:
            yield Finding(
                "/decision_date",
                f"överenskommelsen ska vara beslutad {swedish_date(decided)}, men det sista "
                f"organet sammanträder {swedish_date(last)}; ange dagen för det sista "
                "beslutet",
            )


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@rule(
    "AVTAL-UPPDRAG-VARSEL",
    Severity.WARNING,
    "avtalets uppsägning (termination)",
    "Ett enskilt uppdrag sägs upp med kortare varsel än hela avtalet",
)
def assignment_notice_within_agreement_notice(spec: Spec) -> Iterator[Finding]:
    """One assignment ended at longer notice than the whole agreement: the agreement could
    end, and its assignments with it, before an assignment's notice has run."""
    termination = spec.data.get("termination", {})
    days = termination.get("assignments", {}).get("notice_days")
    months = termination.get("notice_months")
    if days is not None and months is not None and days > months * 30:
        yield Finding(
            "/termination/assignments/notice_days",
            f"ett enskilt uppdrag sägs upp med {days} dagars varsel, längre än hela avtalets "
            f"uppsägningstid ({months_word(months)}); korta uppdragets varsel",
        )


@rule(
    "AVTAL-AVTALSBROTT-LIKA",
    Severity.WARNING,
    "avtalets uppsägning (termination)",
    "Rätten att säga upp avtalet vid avtalsbrott ger något utöver den vanliga uppsägningen",
)
def breach_gives_more_than_notice(spec: Spec) -> Iterator[Finding]:
    """A breach that lets a party end the agreement at the ordinary notice, where it may
    end it at that notice anyway: the clause says nothing, and the party wronged has no
    remedy but to leave as it always could."""
    termination = spec.data.get("termination", {})
    terms = termination.get("breach_terms", {})
    anytime = not _fixed_term(spec) or termination.get("exit") == "under_avtalstiden"
    if terms.get("effect") == "med_uppsagningstid" and termination.get("notice_months") and anytime:
        yield Finding(
            "/termination/breach_terms/effect",
            "vid väsentligt avtalsbrott får en part säga upp avtalet med den vanliga "
            f"uppsägningstiden ({months_word(termination['notice_months'])}), som den ändå "
            "får använda när som helst; skriv effect: omedelbart, eller ta bort "
            "breach_terms",
        )
