"""The registry of laws the project cites (generator/data/laws.yaml), read as data.

Rules use it to find citations of repealed laws and to tell which references in
`legal_basis` give the power (or duty) to enter the agreement; templates use it to
name a law by its SFS number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .errors import EnvironmentProblem
from .resources import parse_data

DATA_FILE = "generator/data/laws.yaml"
BASIS, APPLICABLE = "grund", "tillampligt"


@dataclass(frozen=True)
class Law:
    """One statute: its number, name, dates in force and what replaced it."""

    sfs: str
    name: str
    in_force_from: date | None
    in_force_to: date | None
    replaced_by: str | None
    powers: frozenset[tuple[int | None, str]]
    source: str

    def repealed_on(self, day: date) -> bool:
        """True when the law no longer applies on the given day."""
        return self.in_force_to is not None and day > self.in_force_to


def _law(row: Mapping[str, Any]) -> Law:
    return Law(
        sfs=str(row["sfs"]),
        name=str(row["name"]),
        in_force_from=row.get("in_force_from"),
        in_force_to=row.get("in_force_to"),
        replaced_by=row.get("replaced_by"),
        powers=frozenset((p[0], str(p[1])) for p in row.get("powers", [])),
        source=str(row.get("source", "")),
    )


@dataclass(frozen=True)
class Provision:
    """One provision the templates cite: in a law of the registry, or an EU article,
    with the words of the statute it rests on (quote) and the words that name its
    subject in a spec's note (terms)."""

    id: str
    sfs: str | None
    chapter: str | None
    section: str | None
    paragraph: str | None
    regulation: str | None
    article: int | None
    source: str
    about: str = ""
    quote: str = ""
    terms: tuple[str, ...] = ()
    # Words of a sentence that cites this provision for what another (`mistaken_for`)
    # says: 9 kap. 38 § KL (the yearly report) cited for a decision on another's behalf.
    mistaken_words: tuple[str, ...] = ()
    mistaken_for: str = ""

    def place(self) -> str:
        """9 kap. 37 § andra stycket; 6 § in a law without chapters."""
        place = f"{self.section} §"
        if self.chapter is not None:
            place = f"{self.chapter} kap. {place}"
        if self.paragraph:
            place += f" {self.paragraph} stycket"
        return place


@cache
def _data() -> dict[str, Any]:
    try:
        text = resources.files("generator").joinpath("data/laws.yaml").read_text("utf-8")
        data = parse_data(text)
        if not isinstance(data.get("laws"), list) or not isinstance(data.get("provisions"), list):
            raise KeyError("laws, provisions")
    except (OSError, KeyError, TypeError, yaml.YAMLError) as err:
        raise EnvironmentProblem(
            f"lagregistret {DATA_FILE} saknas eller är felaktigt ({err}); installera om avtal"
        ) from err
    return dict(data)


@cache
def registry() -> dict[str, Law]:
    """Every registered law by SFS number."""
    return {str(r["sfs"]): _law(r) for r in _data()["laws"]}


@cache
def provisions() -> dict[str, Provision]:
    """Every provision the templates may cite, by id."""
    return {str(row["id"]): _provision(row) for row in _data()["provisions"]}


def _provision(row: Mapping[str, Any]) -> Provision:
    text = {k: str(row[k]) if k in row else None for k in ("sfs", "chapter", "section")}
    return Provision(
        id=str(row["id"]),
        sfs=text["sfs"],
        chapter=text["chapter"],
        section=text["section"],
        paragraph=row.get("paragraph"),
        regulation=row.get("regulation"),
        article=row.get("article"),
        source=str(row.get("source", "")),
        about=str(row.get("about", "")),
        quote=" ".join(str(row.get("quote", "")).split()),
        terms=tuple(str(t) for t in row.get("terms", [])),
        mistaken_words=tuple(str(w) for w in row.get("mistaken_for", {}).get("words", [])),
        mistaken_for=str(row.get("mistaken_for", {}).get("provision", "")),
    )


def law_name(law: str, sfs: str) -> str:
    """kommunallagen (2017:725), but lagen (1982:80) om anställningsskydd."""
    if not sfs:
        return law
    head, _, rest = law.partition(" ")
    if head in ("lagen", "förordningen") and rest:
        return f"{head} ({sfs}) {rest}"
    return f"{law} ({sfs})"


def stated(key: str) -> str:
    """What a registered provision says, with its citation: ”… (9 kap. 37 § kommunallagen
    (2017:725))”, as a rule's message gives the law it holds a text to."""
    return f"{provisions()[key].about} ({cite(key)})"


def cite(key: str, *, lag: bool = True, sfs: bool = True) -> str:
    """A registered provision as documents and rules cite it: 9 kap. 37 § andra stycket
    kommunallagen (2017:725); without the law (lag=False) for "… samma lag", without its
    number (sfs=False) once the law has been named; artikel 26 i dataskyddsförordningen.
    KeyError naming the registry when the provision or its law is not there."""
    found = provisions().get(key)
    if found is None:
        raise KeyError(f"lagrummet {key} finns inte i lagregistret {DATA_FILE}")
    if found.article is not None:
        return f"artikel {found.article} i {found.regulation}"
    place = found.place()
    law = find(found.sfs)
    if law is None:
        raise KeyError(f"lagrummet {key} hänvisar till en lag som saknas i {DATA_FILE}")
    if not lag:
        return place
    return f"{place} {law_name(law.name, law.sfs) if sfs else law.name}"


def find(sfs: str | None) -> Law | None:
    """The registered law with this SFS number, if any."""
    return registry().get(str(sfs)) if sfs else None


def named(name: str) -> list[Law]:
    """Every registered law with this name (a name can outlive a repealed law)."""
    return [law for law in registry().values() if law.name == name]


def _normal_section(section: Any) -> str:
    return str(section).replace(" ", "")


def role(ref: Mapping[str, Any]) -> str:
    """A reference's role: as the spec says, else basis only if the registry says so."""
    if "role" in ref:
        return str(ref["role"])
    law = find(ref.get("sfs"))
    if law is None or "section" not in ref:
        return APPLICABLE
    place = (ref.get("chapter"), _normal_section(ref["section"]))
    powers = {(c, _normal_section(s)) for c, s in law.powers}
    return BASIS if place in powers else APPLICABLE


def basis(refs: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The references that give the power to enter the agreement."""
    return [r for r in refs if role(r) == BASIS]


def applicable(refs: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The references that apply to the cooperation without being its basis."""
    return [r for r in refs if role(r) != BASIS]
