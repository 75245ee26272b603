"""The typed agreement: a validated spec plus the facts derived from it.

Derived facts (end date, notice dates, each party's share in percent and kronor) are
computed here once, so every document states the same figures.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Any

from . import delegation, provenance
from .load import Spec, escape_pointer, pointer_pattern

# Free-text fields that are Pandoc Markdown; every other string is shown literally.
MARKDOWN_FIELDS = (
    "/additional_clauses/*/text",
    "/parties/*/decision/analyses/*",
)


# Roles that hand a task over, and roles that take it on.
SENDING = ("uppdragsgivare", "hemkommun")
RECEIVING = ("uppdragstagare", "mottagande_kommun")


class Markdown(str):
    """Spec text that is meant as Markdown and is passed through unescaped."""


_MARKDOWN_FIELD = pointer_pattern(MARKDOWN_FIELDS)


@lru_cache(maxsize=8192)  # asked for every value a template reads
def is_markdown(pointer: str) -> bool:
    """True when the value at this JSON pointer is a Markdown field."""
    return _MARKDOWN_FIELD.fullmatch(pointer) is not None


class View(Mapping[str, Any]):
    """Read-only spec data that knows its JSON pointer, so a missing field can be named."""

    def __init__(self, data: Mapping[str, Any], pointer: str = "") -> None:
        self._data = data
        self.pointer = pointer
        # Each field's pointer and view, made once: the templates read the same fields
        # for every document of a spec (the data never changes while they render).
        self._fields: dict[str, tuple[str, Any]] = {}

    def __getitem__(self, key: str) -> Any:
        try:
            pointer, value = self._fields[key]
        except KeyError:
            pointer = f"{self.pointer}/{escape_pointer(key)}"
            try:
                value = wrap(self._data[key], pointer)
            except KeyError:
                provenance.absent(pointer)
                raise
            self._fields[key] = pointer, value
        provenance.read(pointer)
        return value

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"View({self.pointer or '/'})"


class ViewList(Sequence[Any]):
    """A read-only list from the spec that knows its JSON pointer."""

    def __init__(self, data: Sequence[Any], pointer: str) -> None:
        self._data = data
        self.pointer = pointer
        self._items: dict[int, tuple[str, Any]] = {}  # as View's fields

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self._data))[index]]
        kept = type(index) is int  # True and 1.0 equal 1 but are read as themselves
        found = self._items.get(index) if kept else None
        if found is None:
            value = self._data[index]
            pointer = f"{self.pointer}/{index if index >= 0 else len(self._data) + index}"
            found = pointer, wrap(value, pointer)
            if kept:
                self._items[index] = found
        provenance.read(found[0])
        return found[1]

    def __len__(self) -> int:
        return len(self._data)


def wrap(value: Any, pointer: str) -> Any:
    """Wrap spec data for templates: mappings and lists become views, Markdown is marked."""
    if isinstance(value, Mapping):
        return View(value, pointer)
    if isinstance(value, list):
        return ViewList(value, pointer)
    if isinstance(value, str) and is_markdown(pointer):
        return Markdown(value)
    return value


# Words of a party's name that every party of its kind has; what is left names it.
_GENERIC = re.compile(r"\b(?:kommun|stad|region|kommunalförbund(?:et)?|landsting)\b", re.I)


def name_keys(party: Mapping[str, Any]) -> set[str]:
    """The names a text may give a party by: its full name, the name without its generic
    words (and without a genitive s before them: ”Stockholms stad” → ”Stockholm”), and
    its place where the name begins with it."""
    name = str(party.get("name", ""))
    keys = {name} if name else set()
    short = " ".join(_GENERIC.sub(" ", name).split())
    if short and short != name:
        keys.add(short)
        if re.search(r"s\s+(?:kommun|stad)\b", name) and short.endswith("s"):
            keys.add(short[:-1])
    place = str(party.get("place", ""))
    if place and name.startswith(place):
        keys.add(place)
    return {k for k in keys if len(k) > 2}


class Names:
    """The parties of a spec as the prose names them: each party's full name, the name
    without its generic words (and without a genitive s before them), and, for the only
    region, ”regionen”. A short name two parties share (”Stockholms stad” and ”Region
    Stockholm”) belongs to the one that is not a region, or to none."""

    def __init__(self, parties: Sequence[Mapping[str, Any]]) -> None:
        keys: dict[str, set[str]] = {}
        regions = [p["id"] for p in parties if p.get("type") == "region"]
        for party in parties:
            for key in name_keys(party):
                keys.setdefault(key, set()).add(party["id"])
        self.owner: dict[str, str] = {}
        for key, owners in keys.items():
            if len(owners) > 1:
                owners = {o for o in owners if o not in regions}
            if len(owners) == 1:
                self.owner[key] = owners.pop()
        if len(regions) == 1:
            self.owner.setdefault("regionen", regions[0])
        words = sorted(self.owner, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\wåäöÅÄÖ])(" + "|".join(map(re.escape, words)) + r")s?(?![\wåäöÅÄÖ])"
            if words else r"(?!)"
        )

    def named(self, text: str) -> list[str]:
        """The ids of the parties a text names, in order, each once."""
        found = [self.owner[m.group(1)] for m in self.pattern.finditer(text)]
        return list(dict.fromkeys(found))

    def at(self, text: str, pattern: re.Pattern[str]) -> list[str]:
        """The parties named where a pattern's groups `party…` stand."""
        found: list[str] = []
        for match in pattern.finditer(text):
            for group, words in match.groupdict().items():
                if group.startswith("party") and words:
                    found += self.named(words)
        return list(dict.fromkeys(found))


def names_same(listed: str, name: str) -> bool:
    """True when a recipient already listed names `name` (or is named by it), as whole
    words: ”Familjerätten” names ”Enhetschef familjerätten, Täby kommun”, but ”Ale
    kommun” does not name ”Vale kommun”."""
    short, long = sorted((str(listed).casefold(), str(name).casefold()), key=len)
    start = long.find(short)
    while start != -1:
        end = start + len(short)
        if (start == 0 or not long[start - 1].isalnum()) and (
                end == len(long) or not long[end].isalnum()):
            return True
        start = long.find(short, start + 1)
    return False


class Derived:
    """A value the documents read that is computed from spec fields: `sources` names the
    fields each attribute comes from, so that provenance can tell which spec lines a
    sentence with a date, a share or a name rests on."""

    def sources(self, attribute: str) -> tuple[str, ...]:
        """The JSON pointers of the spec fields the attribute is made from."""
        return ()


@dataclass(frozen=True)
class Party(Derived):
    """A party with the facts the documents need most often."""

    id: str
    name: str
    index: int
    roles: tuple[str, ...]
    data: View

    def has_role(self, *roles: str) -> bool:
        """True when the party has any of the given roles."""
        return any(r in self.roles for r in roles)

    def sources(self, attribute: str) -> tuple[str, ...]:
        at = self.data.pointer
        if attribute in ("id", "name", "roles"):
            return (f"{at}/{attribute}",)
        if attribute in ("acting_organs", "deciders", "leading_organs"):
            return tuple(f"{at}/{where}/organ" for where, _ in decision_blocks(self.data._data))
        return ()

    @property
    def acting_organs(self) -> tuple[View, ...]:
        """The organs that act for the party under the agreement: the first organ of each
        decision block and the organs its signatories sign for, never fullmäktige (the
        organs a decision only passes on its way to fullmäktige do not act in it). A party
        without decision data: every organ but fullmäktige."""
        organs = self.data["organs"]
        blocks = decision_blocks(self.data)
        acting = {block["organ"] for _, block in blocks}
        acting |= {s["organ"] for s in self.data.get("signatories", ()) if "organ" in s}
        chosen = tuple(o for o in organs
                       if (not blocks or o["id"] in acting) and not self._is_council(o))
        return chosen or tuple(organs)

    @property
    def leading_organs(self) -> tuple[View, ...]:
        """The organ that opens each of the party's decision blocks (the nämnd whose matter
        it is, which also gives its delegation), fullmäktige left out."""
        organs = {o["id"]: o for o in self.data["organs"]}
        leading = dict.fromkeys(b["organ"] for _, b in decision_blocks(self.data))
        return tuple(organs[i] for i in leading if i in organs and not self._is_council(organs[i]))

    def _is_council(self, organ: View) -> bool:
        """Whether the organ is the party's fullmäktige (by its name or competence.council)."""
        council = self.data.get("competence", {}).get("council")
        return delegation.organ_kind(organ["name"], council=council, organ_id=organ["id"]) \
            == delegation.FULLMAKTIGE

    @property
    def deciders(self) -> tuple[str, ...]:
        """The organ that decides last in each of the party's decision blocks."""
        organs = self.data["organs"]
        return tuple(decision_path(d, organs)[-1].name for _, d in decision_blocks(self.data))


@dataclass(frozen=True)
class Term(Derived):
    """Start, end and notice dates of the agreement."""

    start: date
    end: date | None
    months: int | None
    extension_notice_by: date | None
    fields: Mapping[str, tuple[str, ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    option_call_by: date | None = None  # last day the holder of an option may extend

    def sources(self, attribute: str) -> tuple[str, ...]:
        return self.fields.get(attribute, ())


@dataclass(frozen=True)
class Share(Derived):
    """One line of a cost split: who pays, in percent (or a range) and in kronor."""

    parties: tuple[str, ...]
    percent: Fraction | None
    low: Fraction | None
    high: Fraction | None
    kronor: int | None
    kronor_low: int | None
    kronor_high: int | None
    population: int | None = None
    split: str | None = None
    pointer: str = ""  # its row in economics.model (populations or shares)

    def sources(self, attribute: str) -> tuple[str, ...]:
        if not self.pointer:
            return ()
        if attribute.startswith("kronor"):
            return (self.pointer, "/economics/model/total_cost")
        if attribute == "percent" and self.population is not None:
            return (self.pointer, "/economics/model/populations")
        return (self.pointer,)


@dataclass(frozen=True)
class Agreement(Derived):
    """One agreement document: a bilateral one per counterparty for a hub spec."""

    spec_id: str
    doc_id: str
    parties: tuple[Party, ...]
    term: Term
    shares: tuple[Share, ...]
    spec: View
    host: Party | None = None

    def sources(self, attribute: str) -> tuple[str, ...]:
        if attribute == "host" and self.host is not None:
            return ("/hub/host",)
        if attribute == "reciprocal":
            return tuple(f"{p.data.pointer}/roles" for p in self.parties)
        if attribute == "goes_on_without_one" and "remaining_parties" in self.spec.get(
            "termination", {}
        ):
            return ("/termination/remaining_parties",)
        return ()

    @property
    def goes_on_without_one(self) -> bool:
        """More than two parties, and the agreement goes on between the others when one
        gives notice (termination.remaining_parties: fortsatter): it is also extended
        for those that have not given notice, never for all or none."""
        termination = self.spec.get("termination", {})
        return (len(self.parties) > 2 and self.host is None
                and termination.get("remaining_parties") == "fortsatter")

    def minor_representatives(self) -> tuple[tuple[str, str, tuple[str, ...]], ...] | None:
        """Who agrees to minor changes for each party, with the fields that say so: the
        official every decision block of the party names (minor_amendments_by), or its
        first organ where fullmäktige decides, since fullmäktige gives that right to a
        nämnd, never to an official. None when a party has no decision block, a block
        names no one, or its blocks name different people."""
        found: list[tuple[str, str, tuple[str, ...]]] = []
        with provenance.paused():
            for party in self.parties:
                named = party_representatives(party)
                if len({who for who, _ in named}) != 1:
                    return None
                fields = tuple(f for _, where in named for f in where)
                found.append((party.name, named[0][0], (*party.sources("name"), *fields)))
        return tuple(found)

    @property
    def counterparties(self) -> tuple[Party, ...]:
        """The parties other than the hub host (all parties when there is no hub)."""
        return tuple(p for p in self.parties if self.host is None or p.id != self.host.id)

    def party(self, party_id: str) -> Party:
        """The party with the given id."""
        return next(p for p in self.parties if p.id == party_id)

    def with_role(self, *roles: str) -> tuple[Party, ...]:
        """The parties that have any of the given roles."""
        return tuple(p for p in self.parties if p.has_role(*roles))

    @property
    def reciprocal(self) -> bool:
        """Every party both sends and receives cases (a reciprocal agreement)."""
        return all(p.has_role(*SENDING) and p.has_role(*RECEIVING) for p in self.parties)


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def derive_term(term: Mapping[str, Any]) -> Term:
    """End date from start and duration (the day before the same date N months on)."""
    start = date.fromisoformat(term["start"])
    months = term.get("duration_months")
    if months:
        end: date | None = date.fromordinal(add_months(start, months).toordinal() - 1)
    elif "end" in term:
        end = date.fromisoformat(term["end"])
    else:
        end = None
    extension = term.get("extension", {})
    notice_by = _months_before(end, extension.get("notice_months"))
    call_by = _months_before(end, extension.get("call_months"))
    ends = ("/term/start", "/term/duration_months") if months else ("/term/end",)
    fields = {
        "start": ("/term/start",),
        "end": ends if end else (),
        "months": ("/term/duration_months",) if months else (),
        "extension_notice_by": (*ends, "/term/extension/notice_months") if notice_by else (),
        "option_call_by": (*ends, "/term/extension/call_months") if call_by else (),
    }
    return Term(start, end, months, notice_by, fields, option_call_by=call_by)


def _months_before(end: date | None, months: int | None) -> date | None:
    """The last day to act `months` before the day after `end` (None without either)."""
    if end is None or months is None:
        return None
    return add_months(end + timedelta(days=1), -months) - timedelta(days=1)


def apportioned(total: int, parts: Sequence[Fraction]) -> list[int]:
    """Whole kronor for each part of a total that add up to the total (parts that sum
    to one): each part's kronor rounded down, and the kronor left over one each to the
    parts with the largest remainders (the first of equal ones)."""
    exact = [total * part for part in parts]
    whole = [int(value) for value in exact]  # the parts are not negative: int() floors
    left = total - sum(whole)
    ranked = sorted(range(len(parts)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in ranked[:max(left, 0)]:
        whole[i] += 1
    return whole


def _population_shares(model: Mapping[str, Any], names: Mapping[str, str]) -> Iterator[Share]:
    total_pop = sum(p["population"] for p in model["populations"])
    cost = model.get("total_cost")
    parts = [Fraction(row["population"], total_pop) for row in model["populations"]]
    amounts = apportioned(int(cost), parts) if cost is not None else [None] * len(parts)
    for index, row in enumerate(model["populations"]):
        part, kronor = parts[index], amounts[index]
        yield Share(
            (names[row["party"]],),
            part * 100,
            None,
            None,
            kronor,
            None,
            None,
            population=row["population"],
            pointer=f"/economics/model/populations/{index}",
        )


def _fixed_shares(model: Mapping[str, Any], names: Mapping[str, str]) -> Iterator[Share]:
    cost = model.get("total_cost")
    percents = [Fraction(str(row["percent"])) for row in model["shares"] if "percent" in row]
    whole = (cost is not None and len(percents) == len(model["shares"])
             and sum(percents) == 100)
    # Shares that make up the whole cost add up to it in kronor too.
    exact = iter(apportioned(int(cost or 0), [p / 100 for p in percents]) if whole else ())

    def kr(percent: Fraction | None) -> int | None:
        if whole:
            return next(exact)
        return round(cost * percent / 100) if cost is not None and percent is not None else None

    for index, row in enumerate(model["shares"]):
        who = tuple(names[p] for p in row["parties"])
        at = f"/economics/model/shares/{index}"
        if "percent" in row:
            pct = Fraction(str(row["percent"]))
            yield Share(
                who, pct, None, None, kr(pct), None, None, split=row.get("split"), pointer=at
            )
        else:
            low, high = Fraction(str(row["range"]["min"])), Fraction(str(row["range"]["max"]))
            yield Share(
                who, None, low, high, None, kr(low), kr(high), split=row.get("split"), pointer=at
            )


def derive_shares(economics: Mapping[str, Any], names: Mapping[str, str]) -> tuple[Share, ...]:
    """Each party's (or group's) share of the costs, where the model has shares."""
    model = economics["model"]
    if model["type"] == "befolkning":
        return tuple(_population_shares(model, names))
    if model["type"] == "fasta_andelar":
        return tuple(_fixed_shares(model, names))
    return ()


def build_agreements(spec: Spec) -> tuple[Agreement, ...]:
    """The agreement documents a spec yields: one, or one per hub counterparty."""
    data = spec.data
    view = View(data)
    parties = tuple(
        Party(p["id"], p["name"], i, tuple(p["roles"]), view.parties[i])
        for i, p in enumerate(data["parties"])
    )
    names = {p.id: p.name for p in parties}
    term = derive_term(data["term"])
    shares = derive_shares(data["economics"], names) if "economics" in data else ()
    if "hub" not in data:
        return (Agreement(data["id"], data["id"], parties, term, shares, view),)
    host = next(p for p in parties if p.id == data["hub"]["host"])
    return tuple(
        Agreement(data["id"], other.id, (host, other), term, shares, view, host=host)
        for other in parties
        if other.id != host.id
    )


def decision_blocks(party: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """A party's decision blocks with their pointers below the party: `decision`, or each
    entry of `decisions` (one per deciding organ)."""
    if "decision" in party:
        return [("decision", party["decision"])]
    return [(f"decisions/{i}", d) for i, d in enumerate(party.get("decisions", []))]


def last_meeting(decision: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """The meeting that decides on the agreement, as spec data: the last step of the
    path, else the block itself, with the prefix of its fields below the block
    (”path/1/”, or nothing)."""
    steps = decision.get("path", [])
    if steps:
        return f"path/{len(steps) - 1}/", steps[-1]
    return "", decision


def party_representatives(party: Party) -> list[tuple[str, tuple[str, ...]]]:
    """(who agrees to minor changes, the fields) for each decision block of a party."""
    data, at = party.data, party.data.pointer
    named: list[tuple[str, tuple[str, ...]]] = []
    for where, block in decision_blocks(data):
        steps = decision_path(block, data["organs"])
        if delegation.step_kind(steps[-1], data) == delegation.FULLMAKTIGE:
            named.append((steps[0].name, (f"{at}/{where}/organ", f"{at}/{where}/path")))
        elif "minor_amendments_by" in block:
            who = str(block["minor_amendments_by"])
            named.append((who, (f"{at}/{where}/minor_amendments_by",)))
        else:
            return []
    return named


@dataclass(frozen=True)
class Step(Derived):
    """One organ on a decision path: who, when, under which diarienummer."""

    organ: str
    name: str
    meeting_date: date
    diarienummer: str
    immediate_adjustment: bool
    # The spec fields of each attribute (empty when the decision is not spec data).
    fields: Mapping[str, tuple[str, ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def sources(self, attribute: str) -> tuple[str, ...]:
        return self.fields.get(attribute, ())


def _step_fields(
    decision: Mapping[str, Any], step: Mapping[str, Any] | None, index: int
) -> dict[str, tuple[str, ...]]:
    """Where a step's attributes come from: the decision block for the first organ,
    the path's entry (its diarienummer, else the block's) for the next."""
    if not isinstance(decision, View):
        return {}
    at = decision.pointer
    if step is None:
        own = (f"{at}/organ",)
        return {"organ": own, "name": own, "meeting_date": (f"{at}/meeting_date",),
                "diarienummer": (f"{at}/diarienummer",),
                "immediate_adjustment": (f"{at}/immediate_adjustment",)}  # fmt: skip
    here = f"{at}/path/{index}"
    number = "diarienummer" in step
    return {
        "organ": (f"{here}/organ",),
        "name": (f"{here}/name",),
        "meeting_date": (f"{here}/meeting_date",),
        "diarienummer": (f"{here}/diarienummer",) if number else (f"{at}/diarienummer",),
        "immediate_adjustment": (f"{here}/immediate_adjustment",),
    }


def decision_path(
    decision: Mapping[str, Any], organs: Sequence[Mapping[str, Any]]
) -> tuple[Step, ...]:
    """The organs that take a stand on the matter in order: the first organ, then `path`."""
    first = next(o for o in organs if o["id"] == decision["organ"])
    steps = [
        Step(
            first["id"],
            first["name"],
            date.fromisoformat(str(decision["meeting_date"])),
            decision["diarienummer"],
            bool(decision.get("immediate_adjustment")),
            _step_fields(decision, None, 0),
        )
    ]
    for index, step in enumerate(decision.get("path", [])):
        steps.append(
            Step(
                step["organ"],
                step["name"],
                date.fromisoformat(str(step["meeting_date"])),
                step.get("diarienummer", decision["diarienummer"]),
                bool(step.get("immediate_adjustment")),
                _step_fields(decision, step, index),
            )
        )
    return tuple(steps)


def _with_party(function: str, party: str) -> str:
    """A contact function as an addressee: with its party's name, unless it names it
    already (”Individ- och familjeomsorgen, Bergsjö kommun” was given the name twice)."""
    return function if names_same(function, party) else f"{function}, {party}"


@dataclass(frozen=True)
class Case:
    """One party's decision case: the agreements its organ approves, and their fingerprint."""

    party: Party
    agreements: tuple[Agreement, ...]
    fingerprint: str
    prints: tuple[tuple[str, str], ...] = ()  # (counterparty, fingerprint) per agreement
    decision: View | None = None  # the party's decision block for this case
    folder: str = ""  # below the spec's folder: the party, or party/organ for several

    @property
    def steps(self) -> tuple[Step, ...]:
        """The decision path: the first organ, then the organs it proposes to."""
        assert self.decision is not None
        return decision_path(self.decision, self.party.data["organs"])

    @property
    def final(self) -> Step:
        """The organ that decides the matter in the end."""
        return self.steps[-1]

    @property
    def sisters(self) -> tuple[View, ...]:
        """The party's other decision blocks: organs that decide för sin del beside this one."""
        assert self.decision is not None
        mine = self.decision["organ"]
        return tuple(d for d in _decision_views(self.party.data) if d["organ"] != mine)

    @property
    def lead(self) -> bool:
        """This block enters the agreement for the party and signs it (the first block)."""
        assert self.decision is not None
        return bool(_decision_views(self.party.data)[0]["organ"] == self.decision["organ"])

    @property
    def sister_organs(self) -> tuple[str, ...]:
        """The organ that decides last in each of the party's other decision blocks."""
        organs = self.party.data["organs"]
        return tuple(decision_path(d, organs)[-1].name for d in self.sisters)

    @property
    def lead_final(self) -> Step:
        """The organ that decides last in the block that enters the agreement for the party."""
        return decision_path(self.lead_decision, self.party.data["organs"])[-1]

    @property
    def lead_decision(self) -> View:
        """The decision block that enters the agreement for the party and signs it."""
        return _decision_views(self.party.data)[0]

    def organ_name(self, organ_id: str) -> str:
        """The name of one of the party's organs."""
        return str(next(o["name"] for o in self.party.data["organs"] if o["id"] == organ_id))

    def recipients(self, step: Step) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Who the decision of `step` goes to, each with the spec fields it names: for the
        deciding organ the spec's own recipients and the other parties; then the other
        organs on the path (for a proposal, only the organ it goes to next), the party's
        other deciding organs, the organs the decision gives a task and the party's
        contact functions. A name an earlier entry already holds is left out, and so is
        the organ itself."""
        assert self.decision is not None
        with provenance.paused():
            found = self._recipients(step, self.decision, self.party)
        chosen: list[tuple[str, tuple[str, ...]]] = []
        for name, fields in found:
            if name.strip().casefold() == step.name.strip().casefold():
                continue  # an organ does not send its own decision to itself
            if not any(names_same(listed, name) for listed, _ in chosen):
                chosen.append((name, fields))
        return tuple(chosen)

    def _recipients(
        self, step: Step, decision: View, party: Party
    ) -> list[tuple[str, tuple[str, ...]]]:
        at, own = decision.pointer, party.data.pointer
        steps = self.steps
        here = steps.index(step)
        deciding = here == len(steps) - 1
        found: list[tuple[str, tuple[str, ...]]] = []
        if deciding:
            found += [(str(who), (f"{at}/distribution/{i}",))
                      for i, who in enumerate(decision.get("distribution", []))]  # fmt: skip
            found += [(q.name, q.sources("name")) for q in self.counterparties]
        # A proposal goes to the organ it is made to; a decision to every organ before it.
        others = steps[:here] if deciding else steps[here + 1 : here + 2]
        found += [(s.name, s.sources("name")) for s in others]
        if not deciding and here == 0 and self._delegates_outward():
            # The first organ's own decision gives the performers' staff their mandate.
            found += [(q.name, q.sources("name")) for q in self.counterparties
                      if set(q.data["roles"]) & set(PERFORMER_ROLES)]  # fmt: skip
        organs = party.data["organs"]
        for sister in self.sisters:
            last = decision_path(sister, organs)[-1]
            found.append((last.name, last.sources("name")))
        if deciding:  # the tasks are given by the decision, not by a proposal on the way
            found += [(str(task["organ"]), (f"{at}/commissions/{i}/organ",))
                      for i, task in enumerate(decision.get("commissions", []))]  # fmt: skip
        if here == 0:  # those the first organ's own points give a task receive its decision
            own_points = decision.get("decision_points", {}).get("own", [])
            found += [(holder, (f"{at}/decision_points/own/{i}",))
                      for i, point in enumerate(own_points)
                      if (holder := delegation.tasked(str(point))) is not None]  # fmt: skip
        # A contact with an e-mail address receives the decision; one reached only by
        # telephone (a telephone time, a duty line) is no addressee.
        found += [(_with_party(str(contact["function"]), party.name),
                   (f"{own}/contacts/{i}/function", f"{own}/contacts/{i}/email",
                    *party.sources("name")))
                  for i, contact in enumerate(party.data.get("contacts", []))
                  if contact.get("email")]  # fmt: skip
        return found

    def _delegates_outward(self) -> bool:
        """This party gives the performers' staff decisions (extern delegering)."""
        external = self.agreement.spec.get("delegation", {}).get("external", {})
        return bool(external.get("decision_types")) and gives_delegation(
            self.agreement.spec, self.party.data)

    @property
    def counterparties(self) -> tuple[Party, ...]:
        """Everyone this party enters the agreement with."""
        seen: dict[str, Party] = {}
        for agreement in self.agreements:
            for other in agreement.parties:
                if other.id != self.party.id:
                    seen.setdefault(other.id, other)
        return tuple(seen.values())

    @property
    def agreement(self) -> Agreement:
        """The agreement text the case describes (the first, when a hub host has many)."""
        return self.agreements[0]

    def share(self) -> Share | None:
        """This party's own line of the cost split, if it has one of its own."""
        return next((s for s in self.agreement.shares if s.parties == (self.party.name,)), None)

    def group_share(self) -> Share | None:
        """The shared line of the cost split that includes this party, if any."""
        return next((s for s in self.agreement.shares if self.party.name in s.parties), None)


def build_cases(
    agreements: Sequence[Agreement], fingerprints: Mapping[str, str]
) -> tuple[Case, ...]:
    """A case per decision block of each party; a hub host approves all its agreements."""
    cases: list[Case] = []
    for party in agreements[0].parties if agreements[0].host is None else _hub_parties(agreements):
        blocks = decision_blocks(party.data)
        if not blocks:
            continue
        mine = tuple(a for a in agreements if any(p.id == party.id for p in a.parties))
        prints = sorted(fingerprints[a.doc_id] for a in mine)
        fingerprint = prints[0] if len(prints) == 1 else _combined(prints)
        each = tuple(
            (next(p.name for p in a.parties if p.id != party.id), fingerprints[a.doc_id])
            for a in mine
        )
        for decision in _decision_views(party.data):
            folder = party.id if "decision" in party.data else f"{party.id}/{decision['organ']}"
            cases.append(Case(party, mine, fingerprint, each, decision, folder))
    return tuple(cases)


def _decision_views(party: View) -> list[View]:
    return [party.decision] if "decision" in party else list(party.decisions)


def _hub_parties(agreements: Sequence[Agreement]) -> list[Party]:
    host = agreements[0].host
    assert host is not None
    return [host, *(a.parties[1] for a in agreements)]


def _combined(prints: Sequence[str]) -> str:
    return hashlib.sha256("".join(prints).encode()).hexdigest()[:12]


# The roles that perform tasks for others; the competence rule new_tasks looks at them.
PERFORMER_ROLES = ("uppdragstagare", "mottagande_kommun", "huvudman")
# The roles of a party whose own cases another party handles (and who delegates them).
PRINCIPAL_ROLES = ("uppdragsgivare", "hemkommun", "deltagare")


def gives_delegation(spec: Mapping[str, Any], party: Mapping[str, Any]) -> bool:
    """Whether the party's nämnd gives the performers' staff decisions (extern delegering):
    its cases are handled by another, and of the agreed decision types it holds some (a
    region holds none under the social services laws)."""
    external = spec.get("delegation", {}).get("external", {})
    if not external.get("used") or not set(party["roles"]) & set(PRINCIPAL_ROLES):
        return False
    kinds = external.get("decision_types")
    return kinds is None or any(delegation.holds(party.get("type"), k["legal_ref"])
                                for k in kinds)


@dataclass(frozen=True)
class Trigger:
    """One of the party's own limits that sends the agreement to fullmäktige, and the
    agreement's figure against it: per_ar, totalt (value over the term, or none for an
    open-ended term), tills_vidare, personal or nya_uppgifter."""

    code: str
    value: int | None = None
    limit: int | None = None
    own: bool = False  # the value is the party's own line of the cost split
    # the value is the party's to weigh: its own line, or, for a party that performs (and
    # is paid), the whole agreement's; not the whole standing in for a payer's unknown part
    sure: bool = True
    # the term ends, but its automatic extensions have no last one: the agreement runs
    # until a party gives notice, as one in force until further notice does
    renews: bool = False


def renews_without_end(term: Mapping[str, Any]) -> bool:
    """True when the automatic extensions have no last one: the agreement runs on until a
    party gives notice."""
    extension = term.get("extension") or {}
    return bool(extension.get("automatic")) and "max_extensions" not in extension


def open_ended_words(trigger: Trigger) -> str:
    """How a staff report and a check say that the agreement has no last day."""
    if trigger.renews:
        return ("avtalet förlängs automatiskt utan någon sista förlängning och gäller därmed "
                "tills vidare")
    return "avtalet gäller tills vidare"


def own_annual_value(data: Mapping[str, Any], party: Mapping[str, Any]) -> int | None:
    """The party's own line of the cost split per year (the upper end of a range)."""
    economics = data.get("economics")
    if economics is None:
        return None
    names = {p["id"]: p["name"] for p in data["parties"]}
    for share in derive_shares(economics, names):
        own = share.kronor if share.kronor is not None else share.kronor_high
        if share.parties == (party["name"],) and own is not None:
            return own
    return payer_value(data, party["id"])


# The roles that order a task and pay for it where a priced model names no payer.
ORDERING_ROLES = ("uppdragsgivare", "hemkommun")
# The cost models that price the task: a price per unit, or a fixed yearly sum.
PRICED_MODELS = ("styckpris", "fast_ersattning")


def priced_payers(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The ids of the parties that pay a priced cost model (a price per unit or a fixed
    sum): its payer, else every party that orders."""
    model = data["economics"]["model"]
    if "payer" in model:
        return (str(model["payer"]),)
    return tuple(str(p["id"]) for p in data["parties"] if set(p["roles"]) & set(ORDERING_ROLES))


def _per_payer(data: Mapping[str, Any]) -> bool:
    """A fixed sum each of several payers pays whole (per_payer), in one agreement."""
    model = data["economics"]["model"]
    return model["type"] == "fast_ersattning" and bool(model.get("per_payer")) \
        and "hub" not in data


def each_pays_all(data: Mapping[str, Any]) -> bool:
    """Whether every payer of a priced model pays the whole sum: one payer, one agreement
    per counterparty (a hub), or a fixed sum per payer (per_payer)."""
    return len(priced_payers(data)) == 1 or "hub" in data or _per_payer(data)


def payer_value(data: Mapping[str, Any], party_id: str) -> int | None:
    """What a payer of a priced model pays per year, where the model says so: None when
    several payers share one sum the agreement does not split."""
    model = data["economics"]["model"]
    if model["type"] not in PRICED_MODELS:
        return None
    if party_id not in priced_payers(data) or not each_pays_all(data):
        return None
    return priced_value(model)


def priced_total(data: Mapping[str, Any]) -> int | None:
    """The yearly value of the agreement a priced model states (of each agreement, for a
    hub): a fixed sum paid by each of several payers counts once per payer, and so does
    the base fee beside a price per unit."""
    model = data["economics"]["model"]
    value = priced_value(model)
    payers = 1 if "hub" in data else len(priced_payers(data))
    if value is not None and _per_payer(data):
        value *= payers
    elif value is not None and payers > 1:
        value += int(model.get("base_fee", 0)) * (payers - 1)
    return value


def annual_value(data: Mapping[str, Any], party: Mapping[str, Any]) -> int | None:
    """What the agreement is worth per year for a party: its own line of the cost split,
    else the agreement's estimated value per year."""
    own = own_annual_value(data, party)
    economics = data.get("economics")
    if own is not None or economics is None:
        return own
    model = economics["model"]
    for value in (economics.get("estimated_annual_value"), model.get("total_cost")):
        if value is not None:
            return int(value)
    return priced_total(data)


def priced_value(model: Mapping[str, Any]) -> int | None:
    """The yearly value a priced cost model states for one payer: a fixed yearly sum, or
    the price per unit times the expected volume per year and the base fee."""
    if model["type"] == "fast_ersattning":
        return int(model["amount"])
    if model["type"] == "styckpris" and "volume_per_year" in model:
        return int(model["price"] * model["volume_per_year"]) + int(model.get("base_fee", 0))
    return None


def competence_triggers(data: Mapping[str, Any], party: Mapping[str, Any]) -> tuple[Trigger, ...]:
    """The limits in the party's own competence rules that this agreement reaches."""
    rules = party.get("competence")
    if rules is None:
        return ()
    found: list[Trigger] = []
    term = derive_term(data["term"])
    per_year = annual_value(data, party)
    own = per_year is not None and per_year == own_annual_value(data, party)
    # In a samverkansöverenskommelse every party is huvudman for its own part: none of them
    # performs tasks for another, whatever its role is called.
    performs = data.get("kind") == "avtalssamverkan" and any(
        r in PERFORMER_ROLES for r in party["roles"])
    sure = own or performs
    limit = rules.get("annual_kronor")
    if limit is not None and per_year is not None and per_year >= limit:
        found.append(Trigger("per_ar", per_year, limit, own, sure))
    total_limit = rules.get("total_kronor")
    renews = renews_without_end(data["term"])
    open_ended = term.end is None or renews
    if total_limit is not None and open_ended and not rules.get("until_further_notice"):
        found.append(Trigger("totalt", None, total_limit, renews=renews))
    elif total_limit is not None and term.end is not None and per_year is not None:
        months = (term.end.year - term.start.year) * 12 + term.end.month - term.start.month + 1
        if per_year * months // 12 >= total_limit:
            found.append(Trigger("totalt", per_year * months // 12, total_limit, own, sure))
    if rules.get("until_further_notice") and open_ended:
        found.append(Trigger("tills_vidare", renews=renews))
    if rules.get("staff_transfer") and data.get("staff", {}).get("transfer"):
        found.append(Trigger("personal"))
    if rules.get("new_tasks") and performs:
        found.append(Trigger("nya_uppgifter"))
    return tuple(found)
