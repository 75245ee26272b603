"""Rules on the laws an agreement cites: current law on the start date, and which
references are the agreement's legal basis. The facts come from generator/data/laws.yaml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from .. import laws
from ..errors import Severity
from ..laws import law_name
from ..load import Spec, walk
from ..render import swedish_date
from .lagrum import references, replacing
from .prosa import sentences_of
from .registry import ALL_KINDS, Finding, rule

SFS = re.compile(r"\b(\d{4}:\d+)\b")
# A sentence that tells of a repeal rather than relying on the law repealed.
HISTORY = re.compile(
    r"\b(?:upphäv\w*|upphörde|ersatte|ersattes|ersätter|ersatts|tidigare|gamla|förra"
    r"|äldre|numera|gällde|motsvarande|motsvarar)\b", re.I)


def _start(spec: Spec) -> date | None:
    start = spec.data.get("term", {}).get("start")
    return date.fromisoformat(str(start)) if start else None


def _replacement(law: laws.Law, text: str) -> str:
    new = laws.find(law.replaced_by)
    if new is None:
        return "hänvisa till den lag som gäller i dag"
    section = replacing(law, text)
    if section is not None:
        return f"hänvisa till {laws.cite(section.id)} ({section.about}) i stället"
    return (
        f"hänvisa till {law_name(new.name, new.sfs)} i stället, med det kapitel och den "
        "paragraf där samma sak regleras i den lagen"
    )


def _repealed(law: laws.Law, start: date, text: str = "") -> str:
    ended = swedish_date(law.in_force_to) if law.in_force_to else "tidigare"
    return (
        f"{law_name(law.name, law.sfs)} gällde till och med {ended} och är upphävd "
        f"på avtalets startdag {swedish_date(start)}; {_replacement(law, text)}"
    )




@rule(
    "LAG-UPPHAVD",
    Severity.ERROR,
    f"lagregistret {laws.DATA_FILE}",
    "Avtalet hänvisar bara till lagar som gäller på startdagen",
    kinds=ALL_KINDS,
)
def repealed_law(spec: Spec) -> Iterator[Finding]:
    """No citation of a law that is repealed on the agreement's start date."""
    start = _start(spec)
    if start is None:
        return
    reported = set()
    for pointer, ref, about in references(spec.data):
        law = laws.find(ref.get("sfs"))
        if law is not None and law.repealed_on(start):
            reported.add(f"{pointer}/sfs")
            yield Finding(f"{pointer}/sfs", _repealed(law, start, about))
    for pointer, text in walk(spec.data):
        if not isinstance(text, str) or pointer in reported:
            continue  # a reference's own sfs is reported by the loop above
        for sentence in sentences_of(text):
            if HISTORY.search(sentence):
                continue  # a text that tells of the repeal (”som ersattes av …”)
            law = next((found for number in SFS.findall(sentence)
                        if (found := laws.find(number)) is not None
                        and found.repealed_on(start)), None)
            if law is not None:
                yield Finding(pointer, _repealed(law, start))
                break


@rule(
    "LAG-SFS",
    Severity.ERROR,
    f"lagregistret {laws.DATA_FILE}",
    "Ett lagnamn som har använts av flera lagar anges med SFS-nummer",
    kinds=ALL_KINDS,
)
def ambiguous_law(spec: Spec) -> Iterator[Finding]:
    """A law name shared by a repealed and a current law needs its SFS number."""
    for index, ref in enumerate(spec.data.get("legal_basis", [])):
        if "sfs" in ref:
            continue
        same = laws.named(str(ref["law"]))
        if len(same) > 1:
            numbers = " och ".join(law.sfs for law in same)
            yield Finding(
                f"/legal_basis/{index}",
                f"{ref['law']} finns i flera lagar ({numbers}); ange sfs så att det framgår "
                "vilken som avses, och kontrollera att kapitel och paragraf finns i den lagen",
            )


@rule(
    "LAGRUM-ROLL",
    Severity.WARNING,
    f"lagregistret {laws.DATA_FILE}",
    "Varje lagrum säger om det är avtalets grund eller en bestämmelse som gäller",
    kinds=ALL_KINDS,
)
def reference_role(spec: Spec) -> Iterator[Finding]:
    """Each reference says whether it is the basis of the agreement."""
    for index, ref in enumerate(spec.data.get("legal_basis", [])):
        if "role" not in ref:
            guess = laws.role(ref)
            yield Finding(
                f"/legal_basis/{index}",
                "ange role: grund om lagrummet ger rätt eller skyldighet att ingå avtalet, "
                f"annars role: tillampligt (utan role räknas det som {guess})",
            )


@rule(
    "LAGRUM-GRUND",
    Severity.ERROR,
    "9 kap. 37 § kommunallagen (2017:725)",
    "Minst ett lagrum är avtalets grund",
    kinds=ALL_KINDS,
)
def has_basis(spec: Spec) -> Iterator[Finding]:
    """Something must give the power to enter the agreement."""
    if not laws.basis(spec.data.get("legal_basis", [])):
        yield Finding(
            "/legal_basis",
            "inget lagrum är angivet som avtalets grund; ge det lagrum som ger rätt att ingå "
            "avtalet role: grund, t.ex. 9 kap. 37 § kommunallagen (2017:725)",
        )
