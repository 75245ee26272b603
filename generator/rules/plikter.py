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
from functools import lru_cache

from .. import laws
from ..errors import Severity
from ..load import Spec
from .lagkrav import TO_IVO, UNEXECUTED
from .prosa import AT_ONCE, COUNT, own_texts, sentences_of, texts
from .registry import ALL_KINDS, Finding, rule

NEGATED = "negated"
ONLY_WHEN = "only_when"
ONLY_FOR = "only_for"
SAID = "said"  # the duty's words themselves depart from the law, unless negated
LATER = "later"  # a duty the law has done at once, made to wait


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
    reach: int = 3  # how many words a negation may stand before the duty's words
    also: tuple[str, ...] = ()  # places read besides the agreement's own texts
    # the topics may stand anywhere in the text, not only in the sentence (”När vården
    # enligt LVU har upphört …; någon uppföljning görs inte …”)
    wide: bool = False


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

# A time later than at once (”samlat en gång per år”, ”vid nästa avstämning”).
_LATER = (r"(?:vid\s+(?:nästa|kommande|varje|den\s+årliga)\s+\w+"
          r"|i\s+(?:\w+\s+)?(?:års|halvårs|kvartals|månads|verksamhets)(?:rapport|berättelse|redovisning)\w*|en\s+gång\s+(?:per|i|om)\s+\w+"
          r"|årligen|halvårsvis|kvartalsvis|månadsvis|veckovis|samlat|nästa\s+(?:vardag|vecka|månad)"
          r"|inom\s+\S+\s+(?:dagar|veckor|månader))")
# A count or summary of what was reported already, not the report itself.
_COUNTED = _re(rf"{COUNT.pattern}|\brapporterade\b|\bsom\s+(?:har\s+)?rapporterats\b")
_CHILD = _re(r"\bbarn\w*|\bunge\b|\bunga\b|\bungdom\w*")
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
         unless=_re(r"\brådgivning\w*|\banonym\w*|\bidentitet\w*|\bgallr\w*|\bsystem\w*"
                    r"|\bgemensam\w*|\bsamma\s+journal\w*")),
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
          _CHILD),
         r"besök\w*|enskilda\s+samtal|samtal\s+med\s+(?:barnet|den\s+unge)|följ\w*\s+(?:upp\s+)?"
         r"vården|uppföljning\w*\s+av\s+vården",
         (NEGATED, ONLY_WHEN), "sol-folja-varden",
         "skriv att den placerande nämnden följer vården med regelbundna besök och enskilda "
         "samtal med barnet"),
    Duty((_re(r"\bmissförhållande\w*"),), r"rapporter\w*|anmäl\w*", (LATER, NEGATED),
         "sol-missforhallande-rapport",
         "skriv att den som upptäcker ett missförhållande rapporterar det genast",
         unless=_COUNTED),
    Duty((UNEXECUTED, TO_IVO),
         r"rapporter\w*|anmäl\w*", (NEGATED,), "sol-ej-verkstallda",
         "skriv att nämnden rapporterar beslutet till IVO och revisorerna", reach=0),
    Duty((_re(r"\bbeslut\w*|\bunderrätt\w*"),),
         r"hur\s+(?:\w+\s+){0,2}?överklaga\w*|överklagandehänvisning\w*|besvärshänvisning\w*",
         (NEGATED,), "sol-underrattelse-overklagande",
         "skriv att den enskilde underrättas om beslutet och om hur det överklagas"),
    Duty((_CHILD,),
         r"barnet\s+(?:\w+\s+){0,2}?informeras|informera\w*\s+barnet|information\w*\s+till"
         r"\s+barnet|barnet\s+(?:\w+\s+){0,2}?(?:får|ges)\s+(?:\w+\s+)?information\w*",
         (NEGATED,), "sol-information-barnet",
         "skriv att barnet får information anpassad till ålder och mognad",
         unless=_re(r"\bolämplig\w*|\bskada\w*")),
    Duty((_re(r"\bpersonal\w*|\bbehandlar\w*|\bmedarbetar\w*|\btimanställd\w*|\bvikari\w*"
              r"|\banställd\w*|\bhandläggar\w*|\bsocialsekreterar\w*"),),
         r"utan\s+(?:\w+\s+){0,3}?(?:utbildning|erfarenhet|kompetens)\w*|outbildad\w*"
         r"|saknar\s+(?:\w+\s+){0,3}?(?:utbildning|erfarenhet)\w*",
         (SAID,), "sol-personal-utbildning",
         "skriv att den som utför uppgifterna har lämplig utbildning och erfarenhet",
         unless=_re(r"\binte\s+får\b|\bfår\s+inte\b|\baldrig\b|\bintroduktion\w*"
                    r"|\bhandledning\w*|\bunder\s+ledning\b|\bi\s+par\s+med\b")),
    Duty((_re(r"\bHVB\b|\bhem\s+för\s+vård|\bbehandlingshem\w*|\bboende\w*|\bjourhem\w*"
              r"|\bfamiljehem\w*|\bden\s+unge\b|\bbarnet\b|\bungdom\w*|\bplacer\w*"),),
         r"låsa\s+in|låses\s+in|låser\s+in|inlåsning\w*|låst\w*\s+(?:dörr|rum|avdelning|enhet)\w*"
         r"|hindra\w*\s+(?:\w+\s+){0,3}?från\s+att\s+(?:lämna|gå)|begränsa\w*\s+(?:\w+\s+){0,3}?"
         r"rörelsefrihet\w*",
         (SAID,), "lvu-rorelsefrihet",
         "stryk det: bara ett särskilt ungdomshem får begränsa den unges rörelsefrihet",
         unless=_re(r"\bsärskil\w*\s+ungdomshem\w*|\bSiS\b|\bStatens\s+institutionsstyrelse"
                    r"|\bLVM-hem\w*|\b(?:ytter)?dörr\w*\s+(?:\w+\s+){0,3}?natt\w*")),
    Duty((_re(r"\bLVM\b|\b1988:870|\blagen\s+om\s+vård\s+av\s+missbrukare"),),
         r"(?:verkställ\w*|lämnas|ges|genomförs|bedrivs)\s+(?:\w+\s+){0,4}?(?:i|på|vid)\s+"
         r"(?:\w+\s+){0,3}?(?:HVB|hem\s+för\s+vård|behandlingshem\w*|boende\w*)\b",
         (SAID,), "lvm-hem",
         "skriv att tvångsvården ges i ett LVM-hem, och att vård i annan form anordnas efter "
         "27 § LVM",
         unless=_re(r"\bLVM-hem\w*|\b27\s+§|\bi\s+annan\s+form\b|\bStatens\s+institutionsstyrelse"
                    r"|\bSiS\b|\befter\s+(?:\w+\s+)?(?:vården|tvångsvården|utskrivning\w*)"
                    r"|\beftervård\w*")),
    Duty((_re(r"\bgodmanskap\w*|\bgod\s+man\b|\bförvaltarskap\w*|\bförvaltare\b"),),
         r"beslut\w*\s+(?:\w+\s+){0,6}?(?:att\s+)?(?:anordna|om)\s+(?:\w+\s+)?(?:godmanskap"
         r"|förvaltarskap)|(?:anordnar|förordnar|utser)\s+(?:\w+\s+)?(?:godmanskap|god\s+man"
         r"|förvaltare)",
         (SAID,), "fb-godmanskap-ratten",
         "skriv att nämnden kan anmäla behovet till överförmyndaren eller ansöka hos rätten",
         unless=_re(r"\brätten\b|\btingsrätt\w*|\bdomstol\w*|\bansök\w*|\banmäl\w*"
                    r"|\böverförmyndar\w*|\bensamkommande\b")),
    Duty((_re(r"\bupphandl\w*|\bdirektupphandl\w*|\btröskelvärde\w*|\bgräns\w*"),),
         r"del\w*\s+(?:\w+\s+){0,3}?upp|uppdelning\w*|nytt\s+avtal\s+(?:för\s+)?(?:varje|per|"
         r"vart)\s+år",
         (SAID,), "lou-uppdelning",
         "stryk uppdelningen: värdet räknas för hela köpet",
         unless=_re(r"\bobjektiva\s+skäl\b|\bdelkontrakt\w*|\bdelområde\w*"),
         also=("/procurement",)),
    Duty((_re(r"\bbehandling\w*"), _re(r"\bbarn\w*|\bunga\b|\bunge\b|\bungdom\w*|\bfamilj\w*"),
          _re(r"\b(?:familjen|familjerna|den\s+enskilde|enskilda|föräldr\w*|vårdnadshavar\w*"
              r"|brukar\w*|klient\w*|den\s+unge)\b")),
         r"(?:egen)?avgift\w*", (SAID,), "sol-avgift-behandling",
         "stryk avgiften: för insatser av behandlingskaraktär för barn och unga får ingen avgift "
         "tas ut",
         unless=_re(r"\bfamiljerådgivning\w*|\binte\s+är\s+(?:\w+\s+){0,2}?behandlingskaraktär")),
    Duty((_re(r"\bplacer\w*|\bfamiljehem\w*|\bHVB\b|\bhem\s+för\s+vård|\bstödboende\w*"
              r"|\bskyddat\s+boende|\bjourhem\w*"), _CHILD),
         r"gallr\w*", (SAID,), "sol-gallring-placering",
         "skriv att handlingarna om en placering av ett barn inte gallras",
         unless=_re(r"\b(?:inte|ej|aldrig)\s+(?:\w+\s+){0,2}?gallr\w*|\bgallr\w*\s+(?:\w+\s+){0,2}?"
                    r"(?:inte|ej|aldrig)\b|\bbevara\w*")),
    Duty((_re(r"\bavtal\w*\s+om\s+(?:vårdnad|boende|umgänge)"),),
         r"gallr\w*", (SAID,), "sol-gallring-avtal",
         "skriv att avtalen bevaras tills barnet har fyllt 18 år",
         unless=_re(r"\b(?:18|arton)\s+år|\b(?:inte|ej|aldrig)\s+(?:\w+\s+){0,2}?gallr\w*"
                    r"|\bbevara\w*")),
    Duty((_re(r"\bfamiljehem\w*|\bjourhem\w*|\benskilt\s+hem\b"),),
         r"utredning\w*\s+(?:\w+\s+){0,4}?(?:inte|ej)\s+(?:\w+\s+){0,2}?(?:klar|färdig|slutförd"
         r"|avslutad)\w*|innan\s+(?:\w+\s+){0,3}?utredning\w*\s+(?:\w+\s+){0,2}?(?:är\s+)?(?:klar"
         r"|färdig|slutförd)\w*|utan\s+(?:att\s+)?(?:\w+\s+){0,3}?(?:utretts|utredning\w*|utreda)",
         (SAID,), "sol-familjehem-utrett",
         "skriv att barnet placeras först när hemmet har utretts"),
    Duty((_re(r"\bskyddat\s+boende\b"), _CHILD),
         r"på\s+egen\s+hand|ensam\w*|utan\s+(?:att\s+)?(?:någon\s+|en\s+)?(?:vårdnadshavar\w*"
         r"|förälder|föräldrar\w*|vuxen)",
         (SAID,), "sol-skyddat-boende-barn",
         "skriv att barnet placeras där tillsammans med en myndig vårdnadshavare",
         unless=_re(r"\btillsammans\s+med\s+(?:en\s+)?(?:myndig\s+)?vårdnadshavar\w*|\b2024:79")),
    Duty((_re(r"\bfamiljehem\w*|\bjourhem\w*|\benskilt\s+hem\b"),
          _re(r"\b(?:annan|andra)\s+(?:\w+\s+)?kommun\w*|\bden\s+kommunen\b")),
         r"kontakt\w*|informer\w*|samråd\w*|underrätt\w*", (NEGATED,), "sol-annan-kommun-samrad",
         "skriv att nämnden informerar och samråder med den kommunen innan den beslutar"),
    Duty((_re(r"\bLVU\b|\b1990:52|\blagen\s+med\s+särskilda\s+bestämmelser"),),
         r"(?:börja|inled)\w*\s+(?:\w+\s+){0,3}?i\s+(?:det\s+egna\s+|sitt\s+egna\s+|den\s+unges\s+"
         r"(?:egna\s+)?)?(?:föräldra)?hem(?:met)?\b",
         (SAID,), "lvu-inleds-utanfor-hemmet",
         "skriv att vården inleds utanför den unges hem",
         unless=_re(r"\butanför\b")),
    Duty((_re(r"\bLVU\b|\b1990:52"),
          _re(r"\bupphör\w*|\bavslut\w*|\bflytta\w*\s+hem|\befter\s+vården")),
         r"uppfölj\w*|följ\w*\s+upp", (NEGATED, ONLY_WHEN), "lvu-uppfoljning-efter-vard",
         "skriv att nämnden följer upp situationen för den som är under 18 år när vården upphör",
         unless=_re(r"\b(?:fyllt|över)\s+18\b|\båterförening\w*"), wide=True),
    Duty((_re(r"\bLVU\b|\b1990:52|\bvård\s+enligt\s+lagen"),),
         r"läkarundersök\w*(?:\s+\S+){0,4}?\s+(?:därefter|efteråt|i\s+efterhand|efter\s+(?:att\s+)?"
         r"ansökan)",
         (SAID,), "lvu-lakarundersokning-fore",
         "skriv att läkarundersökningen görs innan nämnden ansöker",
         unless=_re(r"\bobehövlig\w*|\bsärskilda\s+skäl")),
    Duty((_re(r"\bekonomiskt\s+bistånd|\bförsörjningsstöd\w*|\bnödbistånd\w*|\bnödhjälp\w*"),),
         r"som\s+(?:ett\s+)?lån|i\s+form\s+av\s+(?:ett\s+)?lån|mot\s+återbetalning|återkräv\w*"
         r"|krävs\s+tillbaka|kräva\s+tillbaka|betala\w*\s+tillbaka|återbetal\w*",
         (SAID,), "sol-aterkrav",
         "skriv att bistånd krävs tillbaka bara på de grunder lagen anger",
         unless=_re(r"\b12\s+kap\.\s+2\s+§|\butöver\b|\bförskott\w*|\barbetskonflikt\w*"
                    r"|\bhindra\w*\s+från\s+att\s+förfoga|\boriktig\w*|\bfelaktig\w*"
                    r"|\bför\s+högt\b|\b33\s+kap\.")),
)


def _near(acts: str, marker: str, reach: int = 3) -> re.Pattern[str]:
    """The marker within `reach` words before the duty's words, or two words after them."""
    return _re(rf"\b{marker}\s+(?:\w+\s+){{0,{reach}}}?(?:{acts})\b"
               rf"|\b(?:{acts})\s+(?:\w+\s+){{0,2}}?{marker}\b"
               # ”uppföljning av den unges situation görs inte”
               rf"|\b(?:{acts})\b(?:\s+\S+){{0,5}}?\s+(?:görs|sker|förs|ges|erbjuds|lämnas|hålls"
               rf"|upprättas)\s+{marker}\b")


def _form(form: str, acts: str, reach: int) -> re.Pattern[str]:
    """The pattern of one way a text departs from a duty done by the words `acts`."""
    words = rf"\b(?:{acts})\b"
    if form == NEGATED:
        return _near(acts, _NEG, reach)
    if form == LATER:
        return _re(rf"{words}(?:\s+\S+){{0,8}}?\s+{_LATER}\b"
                   rf"|\b{_LATER}\b(?:\s+\S+){{0,8}}?\s+{words}")
    if form == ONLY_WHEN:
        return _re(rf"{words}(?:\s+\S+){{0,8}}?\s+om\s+inte\s+(?:\w+\s+){{0,3}}?(?:begär|ansöker"
                   r"|önskar|vill|ber)\b"
                   rf"|{words}(?:\s+\S+){{0,6}}?\s+{_ONLY}\s+(?:\w+\s+){{0,2}}?{_CONDITION}\b"
                   rf"|\b{_ONLY}\s+(?:\w+\s+){{0,2}}?{_CONDITION}\b(?:\s+\S+){{0,8}}?\s+{words}")
    if form == ONLY_FOR:
        return _re(rf"{words}(?:\s+\S+){{0,8}}?\s+"
                   rf"(?:{_ONLY}\s+(?:\w+\s+){{0,4}}?|(?:om|för|till)\s+"
                   rf"|(?:personer|de|den|dem|enskilda|invånare)\s+som\s+(?:är\s+)?){_RESIDENT}"
                   rf"|\b{_ONLY}\s+(?:\S+\s+){{0,6}}?{words}(?:\s+\S+){{0,6}}?\s+{_RESIDENT}")
    return _re(words)  # SAID


_PATTERNS = {(duty.provision, form): _form(form, duty.acts, duty.reach)
             for duty in DUTIES for form in duty.departs}
# A row whose own words depart is spared where they are negated (”återkrävs inte”).
_SAID_NEGATED = {duty.provision: _near(duty.acts, _NEG) for duty in DUTIES if SAID in duty.departs}


def _spared(form: str, duty: Duty, sentence: str) -> bool:
    """A departure the sentence itself takes back: a duty kept to residents that also
    names those staying, or words that depart only when not negated."""
    if form == ONLY_FOR:
        return bool(_STAYING.search(sentence))
    if form == LATER:
        return bool(AT_ONCE.search(sentence))
    return form == SAID and bool(_SAID_NEGATED[duty.provision].search(sentence))


@lru_cache(maxsize=4096)  # a hub's parties share their texts
def departure(
    sentence: str, duties: tuple[Duty, ...] = DUTIES, text: str = ""
) -> tuple[Duty, str] | None:
    """The first of the duties the sentence (of `text`) takes away, with the words that do
    it."""
    for duty in duties:
        about = (text or sentence) if duty.wide else sentence
        if not all(topic.search(about) for topic in duty.topics):
            continue
        if _ELSEWHERE.search(sentence) or (duty.unless and duty.unless.search(sentence)):
            continue
        for form in duty.departs:
            found = _PATTERNS[duty.provision, form].search(sentence)
            if found and not _spared(form, duty, sentence):
                return duty, found.group(0)
    return None


def _read(spec: Spec) -> Iterator[tuple[str, str, tuple[Duty, ...]]]:
    """Each text with the duties read in it: every duty in the agreement's own texts, and
    a duty that names other places (the procurement note) there too."""
    for where, text in own_texts(spec):
        yield where, text, DUTIES
    for place in sorted({place for duty in DUTIES for place in duty.also}):
        duties = tuple(duty for duty in DUTIES if place in duty.also)
        for where, text in texts(spec.data, place):
            yield where, text, duties


@rule(
    "PROSA-PLIKT",
    Severity.WARNING,
    f"{laws.cite('sol-samarbetssamtal')}; {laws.cite('fb-hora-barnet')}; "
    f"{laws.cite('sol-dokumentation')}; {laws.cite('sol-vistelsekommun')}; "
    f"{laws.cite('kl-delegationsbeslut-anmalan')}; {laws.cite('sol-folja-varden')}; "
    f"{laws.cite('sol-aterkrav')}; {laws.cite('sol-missforhallande-rapport')}; "
    f"{laws.cite('sol-underrattelse-overklagande')}; {laws.cite('sol-information-barnet')}; "
    f"{laws.cite('sol-personal-utbildning')}; {laws.cite('lvu-rorelsefrihet')}; "
    f"{laws.cite('lvm-hem')}; {laws.cite('fb-godmanskap-ratten')}; "
    f"{laws.cite('lou-uppdelning')}; {laws.cite('sol-avgift-behandling')}; "
    f"{laws.cite('sol-ej-verkstallda')}; {laws.cite('sol-gallring-placering')}; "
    f"{laws.cite('sol-gallring-avtal')}; {laws.cite('sol-familjehem-utrett')}; "
    f"{laws.cite('sol-skyddat-boende-barn')}; {laws.cite('sol-annan-kommun-samrad')}; "
    f"{laws.cite('lvu-inleds-utanfor-hemmet')}; {laws.cite('lvu-uppfoljning-efter-vard')}; "
    f"{laws.cite('lvu-lakarundersokning-fore')}",
    "Ingen text tar bort, villkorar eller begränsar en skyldighet som lagen ger nämnden "
    "utan villkor",
    kinds=ALL_KINDS,
)
def duty_taken_away(spec: Spec) -> Iterator[Finding]:
    """”Barnet hörs inte i vårdnadsutredningen”, ”samarbetssamtal erbjuds bara på
    tingsrättens uppdrag”, ”jouren hjälper endast folkbokförda”: the law lays the duty on
    the nämnd whatever the agreement says, and the text would promise less."""
    for where, text, duties in _read(spec):
        for sentence in sentences_of(text):
            found = departure(sentence, duties, text)
            if found is not None:
                duty, words = found
                yield Finding(where, f"texten säger ”{words}”, men "
                                     f"{laws.stated(duty.provision)}; {duty.advice}")
                break
