"""Rules on what the documents say about attachments: a reference to a numbered
attachment must name one the agreement lists, and the decision documents number their
attachments themselves."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Severity
from ..load import Spec
from ..model import decision_blocks
from .registry import Finding, rule

NUMBERED = re.compile(r"^\s*bilaga\s+(\d+)\b", re.I)
IN_TEXT = re.compile(r"\(\s*bilaga\s+\d+\s*\)", re.I)


@rule(
    "BILAGA-HANVISNING",
    Severity.WARNING,
    "avtalets bilagor (attachments)",
    "En hänvisning till en numrerad bilaga avser en bilaga som avtalet räknar upp",
)
def numbered_attachment_exists(spec: Spec) -> Iterator[Finding]:
    """'Bilaga 2' in the data processing reference needs a second attachment."""
    dpa = spec.data.get("information", {}).get("personal_data", {}).get("dpa", {})
    reference = str(dpa.get("reference", ""))
    listed = spec.data.get("attachments", [])
    match = NUMBERED.match(reference)
    if match and int(match.group(1)) > len(listed):
        yield Finding(
            "/information/personal_data/dpa/reference",
            f"hänvisningen till bilaga {match.group(1)} har ingen motsvarande bilaga i "
            "attachments; lägg till bilagan där och ange dess id som reference",
        )


@rule(
    "BILAGA-NUMMER",
    Severity.WARNING,
    "beslutsunderlagets bilagor (decision.attachments)",
    "Beslutsunderlagets bilagor numreras av dokumenten, inte i texten",
)
def no_numbers_in_decision_attachments(spec: Spec) -> Iterator[Finding]:
    """'(bilaga 2)' written into an attachment's text can contradict its real number."""
    for index, party in enumerate(spec.data.get("parties", [])):
        for where, block in decision_blocks(party):
            for item, text in enumerate(block.get("attachments", [])):
                if IN_TEXT.search(str(text)):
                    yield Finding(
                        f"/parties/{index}/{where}/attachments/{item}",
                        "bilagorna numreras i tjänsteutlåtandet och beslutet; ta bort "
                        "”(bilaga …)” ur texten",
                    )


# The words that tell one attachment from another (not ”för”, ”och”, ”i”), each by its
# first letters, so that ”nämndens” and ”nämnds” are one word.
_WORD = re.compile(r"[^\W\d_]{4,}")


def _words(text: str) -> set[str]:
    return {w.casefold()[:7] for w in _WORD.findall(text)}


@rule(
    "BILAGA-DUBBEL",
    Severity.WARNING,
    "beslutsunderlagets bilagor (decision.attachments)",
    "En bilaga till avtalet står inte också bland beslutsunderlagets egna bilagor",
)
def attachment_listed_twice(spec: Spec) -> Iterator[Finding]:
    """A party's own attachment that is one of the agreement's (”Personuppgiftsbiträdes-
    avtal”): the staff report and the decision list the agreement's attachments under the
    agreement already, so the reader finds it twice, under two numbers."""
    annexes = [(str(a.get("text", "")), _words(str(a.get("text", ""))))
               for a in spec.data.get("attachments", [])]
    for index, party in enumerate(spec.data.get("parties", [])):
        for where, block in decision_blocks(party):
            for item, text in enumerate(block.get("attachments", [])):
                own = _words(str(text))
                same = next((a for a, words in annexes
                             if own and len(own & words) >= 0.75 * len(own)), None)
                if same is not None:
                    yield Finding(
                        f"/parties/{index}/{where}/attachments/{item}",
                        f"”{text}” står redan bland avtalets bilagor (”{same}”), som "
                        "tjänsteutlåtandet och beslutet räknar upp under avtalet; stryk den här",
                    )
