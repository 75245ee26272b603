"""Rules on names: an organ whose name is a proper name says so, so that the documents
never write it with a small letter; a party's name and its type say the same."""

from __future__ import annotations

import re
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


# A name that says what kind of body the party is: ”… kommun”, ”… stad”; ”Region …”.
_MUNICIPAL_NAME = re.compile(r"\b(?:kommun|stad)$", re.I)
_REGIONAL_NAME = re.compile(r"^Region\b")
# A name that says the party is no kommun or region at all: a company, a foundation, an
# association (only a kommun or a region may enter avtalssamverkan, 9 kap. 37 § KL).
_OTHER_BODY = re.compile(r"\b(?:AB|HB|KB|aktiebolag\w*|handelsbolag\w*|kommanditbolag\w*"
                         r"|stiftelse\w*|ekonomisk\s+förening|ideell\s+förening|förening)\b"
                         r"|\b(?:AB|Aktiebolag)\s*$", re.I)


@rule(
    "PART-TYP",
    Severity.ERROR,
    "kommunallagen (2017:725) 1 kap. 1 §: Sverige är indelat i kommuner och regioner",
    "En parts typ (kommun eller region) är den som namnet säger",
    kinds=ALL_KINDS,
)
def party_type_fits_its_name(spec: Spec) -> Iterator[Finding]:
    """”Åbrinks kommun” of type region: every sentence that tells a kommun from a
    region (HSL or SoL, fullmäktige's name, the decision path) goes wrong. ”Region
    Gotland” is a kommun (3 kap. 14 § KL lets it call its organs regionfullmäktige and
    regionstyrelsen), so a regional name of a kommun is not an error."""
    for index, party in enumerate(spec.data.get("parties", [])):
        name, kind = str(party.get("name", "")).strip(), party.get("type")
        other = _OTHER_BODY.search(name)
        if other and kind in ("kommun", "region"):
            yield Finding(
                f"/parties/{index}/name",
                f"”{name}” är enligt namnet ({other.group(0)}) ingen kommun eller region, men "
                f"har type: {kind}; avtalssamverkan kan bara ingås mellan kommuner och regioner "
                "(9 kap. 37 § kommunallagen). Rätta namnet, eller köp tjänsten med ett avtal "
                "enligt upphandlingsreglerna",
            )
            continue
        if kind == "region" and _MUNICIPAL_NAME.search(name):
            yield Finding(
                f"/parties/{index}/type",
                f"”{name}” heter som en kommun men har type: region; skriv type: kommun, "
                "eller rätta namnet",
            )

