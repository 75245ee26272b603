"""Duties the law lays on the nämnd without a condition, against a text that takes one
away: says it is not done (”barnet hörs inte”), makes it wait for a request or an order
(”samarbetssamtal erbjuds bara när tingsrätten uppdrar det”), or keeps it to some of those
the law gives it to (”jouren tar bara emot personer som är folkbokförda i kommunerna”).

One table, one rule: each row names the duty's matter (all of `topics` in the sentence),
the words that do it (`acts`), the ways a text can take it away, the law's own exceptions
that spare a sentence (`unless`) and the provision (laws.yaml, quoted from
../shared/law/). A sentence that gives the duty to another party (”det gör den placerande
nämnden”) or leaves it outside the agreement (”ingår inte i uppdraget”) is spared: the
duty stays where the law put it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .. import laws
from ..errors import Severity
from ..load import Spec
from .prosa import own_texts, sentences_of
from .registry import ALL_KINDS, Finding, rule

NEGATED = "negated"
ONLY_WHEN = "only_when"
ONLY_FOR = "only_for"
SAID = "said"  # the duty's words themselves depart from the law, unless negated


@dataclass(frozen=True)
class Duty:
    """A duty of the law: the sentences it concerns, the words that do it, how a text
    departs from it (NEGATED, ONLY_WHEN, ONLY_FOR), what spares a sentence, the provision
    and what to write instead."""

    topics: tuple[re.Pattern[str], ...]
    acts: str
    departs: tuple[str, ...]
    provision: str
    advice: str
    unless: re.Pattern[str] | None = None


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_NEG = r"(?:inte|ej|aldrig|ingen|inget|inga|utan\s+att|utan)"
_ONLY = r"(?:endast|bara|enbart|uteslutande|först)"
# A condition after ”bara”: a request, an order, an event (”bara när tingsrätten uppdrar
# det”, ”endast på begäran av”, ”först efter beslut av”).
_CONDITION = (r"(?:när|om|efter|på|vid|då|sedan|i\s+de\s+fall|förutsatt|under\s+förutsättning"
              r"|i\s+samband\s+med)")
# Those the duty is kept to: the residents, not everyone staying in the kommun.
_RESIDENT = r"(?:folkbokförd\w*|bosatt\w*|skrivna|skriven|mantalsskriv\w*)"
_STAYING = _re(r"\bvistas\b|\bvistelse\w*|\bbefinner\b|\buppehåller\b|\btillfällig\w*")
# The duty given to another, or left outside the agreement: it stays with its holder.
_ELSEWHERE = _re(r"\bingår\s+(?:inte|ej)\b|\bomfattas\s+(?:inte|ej)\b|\bdet\s+gör\b"
                 r"|\bgörs\s+(?:i\s+stället\s+)?av\b|\bansvarar\b|\bsköter\b|\bstår\s+för\b"
                 r"|\bkvar\s+hos\b|\butan\s+(?:i|hos)\b|\binte\s+(?:bara|endast"
                 r"|enbart|minst)\b")

_CUSTODY_INQUIRY = _re(r"\b(?:vårdnads|boende|umgänges)utredning\w*"
                       r"|\butredning\w*\s+(?:\w+\s+){0,3}?(?:vårdnad|boende|umgänge)\b")
_CHILD_HEARD = (r"(?:hör\w*\s+barnet|barnet\s+(?:\w+\s+){0,2}?hörs|höra\s+barnet|barnen\s+hörs"
                r"|barnets\s+(?:åsikt|inställning|synpunkt|röst)\w*|samtal\s+med\s+barnet"
                r"|tala\s+med\s+barnet|barnsamtal\w*)")

DUTIES = (
    Duty((_re(r"\bsamarbetssamtal\w*"),), r"samarbetssamtal\w*|erbjud\w*", (ONLY_WHEN,),
         "sol-samarbetssamtal", "skriv att samarbetssamtal erbjuds alla föräldrar som behöver "
         "dem, också utan domstolens uppdrag"),
    Duty((_CUSTODY_INQUIRY,), _CHILD_HEARD, (NEGATED, ONLY_WHEN), "fb-hora-barnet",
         "skriv att utredaren hör barnet om det inte är olämpligt",
         unless=_re(r"\bolämplig\w*")),
    Duty((_re(r"\bdokument\w*|\bjournal\w*|\banteckn\w*"),),
         r"dokument\w*|journal\w*|anteckn\w*|antecknas", (NEGATED,), "sol-dokumentation",
         "skriv att handläggningen och insatserna dokumenteras, och var",
         unless=_re(r"\brådgivning\w*|\banonym\w*|\bidentitet\w*|\bgallr\w*|\bsystem\w*")),
    Duty((_re(r"\bakut\w*|\bjour\w*|\bbrådskande\b|\bomedelbar\w*|\butanför\s+kontorstid"),),
         r"tar\s+emot|hanterar|gäller|omfattar|hjälper|bistår|insatser|ärenden", (ONLY_FOR,),
         "sol-vistelsekommun", "skriv att den akuta hjälpen ges alla som vistas i kommunerna"),
    Duty((_re(r"\bdelegationsbeslut\w*|\bbeslut\w*\s+(?:\w+\s+){0,6}?(?:delegation|delegering"
              r"|uppdrag)\w*|\bdelegat\w*\s+beslut\w*"),),
         r"anmäl\w*|redovis\w*|återrapporter\w*|rapporter\w*", (NEGATED,),
         "kl-delegationsbeslut-anmalan",
         "skriv hur besluten anmäls till nämnden, eller att de som inte anmäls protokollförs "
         "särskilt",
         unless=_re(r"\bprotokollförs\s+särskilt|\bsärskilt\s+protokoll\w*|\bdelegationslist\w*"
                    r"|\bdelegationsprotokoll\w*|\bbrådskande\b")),
    Duty((_re(r"\bfamiljehem\w*|\bHVB\b|\bhem\s+för\s+vård|\bjourhem\w*|\bstödboende\w*"
              r"|\bplacer\w*|\bvårdas\b"),
          _re(r"\bbarn\w*|\bunge\b|\bunga\b|\bungdom\w*")),
         r"besök\w*|enskilda\s+samtal|samtal\s+med\s+(?:barnet|den\s+unge)|följ\w*\s+(?:upp\s+)?"
         r"vården|uppföljning\w*\s+av\s+vården",
         (NEGATED, ONLY_WHEN), "sol-folja-varden",
         "skriv att den placerande nämnden följer vården med regelbundna besök och enskilda "
         "samtal med barnet"),
    Duty((_re(r"\bekonomiskt\s+bistånd|\bförsörjningsstöd\w*|\bnödbistånd\w*|\bnödhjälp\w*"),),
         r"som\s+(?:ett\s+)?lån|i\s+form\s+av\s+(?:ett\s+)?lån|mot\s+återbetalning|återkräv\w*"
         r"|krävs\s+tillbaka|kräva\s+tillbaka|betala\w*\s+tillbaka|återbetal\w*",
         (SAID,), "sol-aterkrav",
         "skriv att bistånd krävs tillbaka bara på de grunder lagen anger",
         unless=_re(r"\b12\s+kap\.\s+2\s+§|\butöver\b|\bförskott\w*|\barbetskonflikt\w*"
                    r"|\bhindra\w*\s+från\s+att\s+förfoga|\boriktig\w*|\bfelaktig\w*"
                    r"|\bför\s+högt\b|\b33\s+kap\.")),
)


def _near(acts: str, marker: str) -> re.Pattern[str]:
    """The marker within three words before the duty's words, or two words after them."""
    return _re(rf"\b{marker}\s+(?:\w+\s+){{0,3}}?(?:{acts})\b"
               rf"|\b(?:{acts})\s+(?:\w+\s+){{0,2}}?{marker}\b")


_FORMS = {
    NEGATED: lambda acts: _near(acts, _NEG),
    ONLY_WHEN: lambda acts: _re(rf"\b(?:{acts})\b(?:\s+\S+){{0,6}}?\s+{_ONLY}\s+(?:\w+\s+){{0,2}}?"
                                rf"{_CONDITION}\b|\b{_ONLY}\s+(?:\w+\s+){{0,2}}?{_CONDITION}\b"
                                rf"(?:\s+\S+){{0,8}}?\s+(?:{acts})\b"),
    SAID: lambda acts: _re(rf"\b(?:{acts})\b"),
    ONLY_FOR: lambda acts: _re(rf"\b(?:{acts})\b(?:\s+\S+){{0,8}}?\s+"
                               rf"(?:{_ONLY}\s+(?:\w+\s+){{0,4}}?|(?:om|för|till)\s+"
                               rf"|(?:personer|de|den|dem|enskilda|invånare)\s+som\s+(?:är\s+)?)"
                               rf"{_RESIDENT}"
                               rf"|\b{_ONLY}\s+(?:\S+\s+){{0,6}}?(?:{acts})\b(?:\s+\S+){{0,6}}?\s+"
                               rf"{_RESIDENT}"),
}
_PATTERNS = {(duty.provision, form): _FORMS[form](duty.acts)
             for duty in DUTIES for form in duty.departs}


def _spared(form: str, duty: Duty, sentence: str) -> bool:
    """A departure the sentence itself takes back: a duty kept to residents that also
    names those staying, or words that depart only when not negated."""
    if form == ONLY_FOR:
        return bool(_STAYING.search(sentence))
    return form == SAID and bool(_near(duty.acts, _NEG).search(sentence))


def departure(sentence: str) -> tuple[Duty, str] | None:
    """The first duty the sentence takes away, with the words that do it."""
    for duty in DUTIES:
        if not all(topic.search(sentence) for topic in duty.topics):
            continue
        if _ELSEWHERE.search(sentence) or (duty.unless and duty.unless.search(sentence)):
            continue
        for form in duty.departs:
            found = _PATTERNS[duty.provision, form].search(sentence)
            if found and not _spared(form, duty, sentence):
                return duty, found.group(0)
    return None


@rule(
    "PROSA-PLIKT",
    Severity.WARNING,
    f"{laws.cite('sol-samarbetssamtal')}; {laws.cite('fb-hora-barnet')}; "
    f"{laws.cite('sol-dokumentation')}; {laws.cite('sol-vistelsekommun')}; "
    f"{laws.cite('kl-delegationsbeslut-anmalan')}; {laws.cite('sol-folja-varden')}; "
    f"{laws.cite('sol-aterkrav')}",
    "Ingen text tar bort, villkorar eller begränsar en skyldighet som lagen ger nämnden "
    "utan villkor",
    kinds=ALL_KINDS,
)
def duty_taken_away(spec: Spec) -> Iterator[Finding]:
    """”Barnet hörs inte i vårdnadsutredningen”, ”samarbetssamtal erbjuds bara på
    tingsrättens uppdrag”, ”jouren hjälper endast folkbokförda”: the law lays the duty on
    the nämnd whatever the agreement says, and the text would promise less."""
    for where, text in own_texts(spec):
        for sentence in sentences_of(text):
            found = departure(sentence)
            if found is not None:
                duty, words = found
                yield Finding(where, f"texten säger ”{words}”, men "
                                     f"{laws.stated(duty.provision)}; {duty.advice}")
                break
