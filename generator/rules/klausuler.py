"""Clauses an agreement may leave out: the schema does not require them, so a signed
agreement that says nothing on them can be written as it is, and the documents say
nothing either. Where SKR or common practice recommends the clause, check warns, and the
checklist marks it ✗ “saknas – bedöm”."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Severity
from ..load import Spec
from .registry import Finding, rule

SKR = "SKR: Avtalssamverkan inom socialtjänsten (2023)"
SKR_SOK = "SKR: Stöd vid framtagande av lagstadgade överenskommelser för vissa målgrupper (2020)"
GDPR = "dataskyddsförordningen (EU) 2016/679"


@rule(
    "AVTAL-TVIST-SAKNAS",
    Severity.WARNING,
    f"{SKR_SOK}, checklistan om hur tvister hanteras",
    "Avtalet anger hur tvister löses",
)
def disputes_missing(spec: Spec) -> Iterator[Finding]:
    """An agreement without a disputes clause: the parties should decide on one."""
    if "disputes" not in spec.data:
        yield Finding(
            "/disputes",
            "avtalet säger inget om hur tvister löses, och avtalet får ingen paragraf om "
            "tvister; bedöm om parterna vill reglera det och skriv i så fall disputes: "
            "{forum: allman_domstol, negotiation_first: true}",
        )


@rule(
    "AVTAL-FORCE-MAJEURE-SAKNAS",
    Severity.WARNING,
    "avtalspraxis; SKR:s metodguide tar inte upp befrielsegrunder",
    "Avtalet anger befrielsegrunder (force majeure)",
)
def force_majeure_missing(spec: Spec) -> Iterator[Finding]:
    """An agreement without a force-majeure clause: say so rather than print one."""
    if not spec.data.get("force_majeure"):
        yield Finding(
            "/force_majeure",
            "avtalet har ingen bestämmelse om befrielsegrunder (force majeure) och får "
            "ingen sådan paragraf; bedöm om parterna vill ha en och skriv i så fall "
            "force_majeure med released, threshold, events och notify",
        )


@rule(
    "GDPR-SAKNAS",
    Severity.WARNING,
    f"{SKR}, avtalets minsta innehåll (informationshantering); artiklarna 26 och 28 {GDPR}",
    "Avtalet säger om personuppgifter behandlas och vem som är ansvarig",
)
def personal_data_missing(spec: Spec) -> Iterator[Finding]:
    """An agreement that says nothing about personal data prints nothing about it."""
    if "personal_data" not in spec.data.get("information", {}):
        yield Finding(
            "/information/personal_data",
            "avtalet säger inget om personuppgifter och får ingen bestämmelse om dem; "
            "bedöm om personuppgifter behandlas och skriv personal_data: {processed: false} "
            "eller ange processed: true och roles",
        )


@rule(
    "EKON-PRINCIP-SAKNAS",
    Severity.WARNING,
    f"{SKR} (självkostnadsprincipen)",
    "Avtalet säger att ersättningen följer självkostnadsprincipen",
)
def cost_principle_missing(spec: Spec) -> Iterator[Finding]:
    """Without economics.principle the agreement says nothing of the cost-price principle."""
    if "principle" not in spec.data["economics"]:
        yield Finding(
            "/economics/principle",
            "avtalet säger inte att ersättningen följer självkostnadsprincipen, och ingen "
            "mening om den skrivs; bedöm om den ska med och skriv i så fall principle: "
            "sjalvkostnad",
        )


@rule(
    "AVTAL-DELEGERING-SAKNAS",
    Severity.WARNING,
    f"{SKR}, avtalets minsta innehåll (omfattningen av eventuell extern delegering)",
    "Avtalet säger om samverkan är myndighetsutövning och om beslutanderätt delegeras",
)
def delegation_missing(spec: Spec) -> Iterator[Finding]:
    """Without delegation the agreement says nothing of myndighetsutövning or delegation."""
    if "delegation" not in spec.data:
        yield Finding(
            "/delegation",
            "avtalet säger inte om samverkan avser myndighetsutövning eller insatser eller "
            "om beslutanderätt delegeras, och får ingen paragraf om det; skriv delegation: "
            "{nature: …, external: {used: false}} eller ange delegeringen",
        )
