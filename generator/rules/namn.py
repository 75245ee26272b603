"""Rules on names in running text: an organ whose name is a proper name says so, so that
the documents never write it with a small letter."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Severity
from ..load import Spec
from .registry import ALL_KINDS, Finding, rule

# Organ nouns in indefinite form end a proper name ("Järva stadsdelsnämnd"); the common
# noun is written in definite form ("socialnämnden").
INDEFINITE = ("nämnd", "styrelse", "förvaltning", "direktion")


@rule(
    "ORGAN-EGENNAMN",
    Severity.WARNING,
    "svenska skrivregler: egennamn med stor bokstav",
    "Ett organnamn som är ett egennamn är märkt med proper_name",
    kinds=ALL_KINDS,
)
def proper_organ_name(spec: Spec) -> Iterator[Finding]:
    """A name ending in an indefinite organ noun reads as a proper name: mark it."""
    for index, party in enumerate(spec.data.get("parties", [])):
        for number, organ in enumerate(party.get("organs", [])):
            words = str(organ["name"]).split()
            if len(words) > 1 and words[-1].endswith(INDEFINITE) and "proper_name" not in organ:
                yield Finding(
                    f"/parties/{index}/organs/{number}/name",
                    f"”{organ['name']}” ser ut som ett egennamn; skriv proper_name: true så "
                    "att namnet behåller stor bokstav inne i en mening (eller proper_name: "
                    "false om det ska skrivas med liten bokstav)",
                )
