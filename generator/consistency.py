"""Checks of form that JSON Schema cannot express: check digits, dates, sums, references.

Each check takes a schema-valid spec and yields Issues; none raises for bad data.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from functools import cache
from typing import Any

from . import privacy
from .errors import Issue, Location
from .load import Spec, pointer_pattern, walk
from .model import decision_blocks
from .privacy import has_personnummer as has_personnummer
from .privacy import luhn_ok as luhn_ok
from .schema import load_schema

LAST_YEAR = 2199  # the last year a date in a spec, or an agreement's last day, may have

# A comment: a # at the start of a line or after a space (a # inside a word is text).
_COMMENT = re.compile(r"(?:^|(?<=\s))#(.*)$")
# Windows cannot create a file or folder with these names, whatever the extension.
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)]
)

MUNICIPAL = ("kommun", "region", "kommunalforbund")

# Places that name a party by id; "*" stands for any list index.
def _references(schema: Mapping[str, Any], definition: str) -> tuple[str, ...]:
    """Every place in the schema whose value is a `definition` (e.g. party_ref), as a
    pointer pattern with `*` for a list index."""
    found: set[str] = set()
    target = f"#/$defs/{definition}"

    def visit(node: Any, path: str, seen: tuple[str, ...]) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item, path, seen)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref", "")
        if ref == target:
            found.add(path)
            return
        if ref.startswith("#/$defs/") and ref not in seen:
            visit(schema["$defs"][ref.rsplit("/", 1)[1]], path, (*seen, ref))
        for name, sub in node.get("properties", {}).items():
            visit(sub, f"{path}/{name}", seen)
        if "items" in node:
            visit(node["items"], f"{path}/*", seen)
        for key in ("allOf", "anyOf", "oneOf", "if", "then", "else"):
            if key in node:
                visit(node[key], path, seen)

    visit(schema, "", ())
    return tuple(sorted(found))


@cache
def party_references() -> tuple[str, ...]:
    """Where a spec names a party by id: every field of the schema that is a party_ref."""
    return _references(load_schema(), "party_ref")


def check(spec: Spec) -> Iterator[Issue]:
    """Every form problem in a spec that has already passed the schema."""
    for rule in CHECKS:
        yield from rule(spec)


def _org_numbers(spec: Spec) -> Iterator[Issue]:
    for index, party in enumerate(spec.data["parties"]):
        digits = party["org_nr"].replace("-", "")
        if not luhn_ok(digits):
            yield Issue(
                spec.locate(f"/parties/{index}/org_nr"),
                f"organisationsnumret {party['org_nr']} har fel kontrollsiffra; "
                "kontrollera numret mot Bolagsverket eller partens webbplats",
                code="form",
            )
        elif party["type"] in MUNICIPAL and not digits.startswith("2"):
            yield Issue(
                spec.locate(f"/parties/{index}/org_nr"),
                f"organisationsnumret {party['org_nr']} tillhör inte en kommun, region eller "
                "ett kommunalförbund (deras nummer börjar med 2)",
                code="form",
            )


FILE_NAME_MESSAGE = (
    "filnamnet innehåller något som ser ut som ett personnummer; byt namn på filen. "
    "Filnamn syns i loggar, pull requests och byggmappen"
)
TEXT_MESSAGE = (
    "filen innehåller något som ser ut som ett personnummer; ta bort det. Filerna i "
    "avtalsförrådet syns i dokumenten, i pull requests och i loggarna"
)
_PERSONNUMMER_MESSAGE = (
    "texten innehåller något som ser ut som ett personnummer; ta bort det. "
    "Specifikationer är i praktiken allmänna handlingar och får inte innehålla personnummer"
)


def personnummer(spec: Spec) -> Iterator[Issue]:
    """Everything in a spec, its party files and their names that looks like a
    personnummer; for any spec that could be read, schema-valid or not."""
    lines: set[tuple[str, int]] = set()
    for pointer, value in walk(spec.data):
        texts = [value] if isinstance(value, str) else []
        if isinstance(value, Mapping):
            texts = [str(key) for key in value]  # a field name is in the file too
        if any(has_personnummer(text) for text in texts):
            location = spec.locate(pointer)
            lines.add((location.file, location.line))
            yield Issue(location, _PERSONNUMMER_MESSAGE, code="form")
    # Comments and names are in the files (the spec's and its party files'), and so in
    # every copy, the logs and the pull request.
    for name, text in ((spec.path, spec.text), *spec.sources):
        if has_personnummer(name):
            yield Issue(Location(name), FILE_NAME_MESSAGE, code="form")
        for issue in comment_personnummer(name, text):
            if (name, issue.location.line) not in lines:
                yield issue


def comment_personnummer(name: str, text: str) -> Iterator[Issue]:
    """A personnummer in the comments of a YAML file, even one split over two lines."""
    comments = []
    for line in text.splitlines():
        found = _COMMENT.search(line)
        # The # becomes a space, so that a number split over two comment lines is one.
        comments.append(" " * (found.start() + 1) + found.group(1) if found else "")
    for place in privacy.find("\n".join(comments)):
        yield Issue(
            Location(name, place.line, place.column),
            "kommentaren " + _PERSONNUMMER_MESSAGE.removeprefix("texten "),
            code="form",
        )


def _reserved_ids(spec: Spec) -> Iterator[Issue]:
    """Ids that become folder names must be names every system can create."""
    places = ["/id"]
    if "hub" in spec.data:
        places += [f"/parties/{i}/id" for i in range(len(spec.data["parties"]))]
    for pointer in places:
        parts = [p for p in pointer.split("/") if p]
        value: Any = spec.data
        for part in parts:
            value = value[int(part)] if isinstance(value, list) else value[part]
        if isinstance(value, str) and value.split(".")[0].lower() in RESERVED_NAMES:
            yield Issue(
                spec.locate(pointer),
                f"id ”{value}” kan inte användas som mappnamn (Windows reserverar namnen "
                "con, prn, aux, nul, com1–com9 och lpt1–lpt9); välj ett annat id",
                code="form",
            )


def _term_dates(spec: Spec) -> Iterator[Issue]:
    term = spec.data["term"]
    if "end" in term and date.fromisoformat(term["end"]) <= date.fromisoformat(term["start"]):
        yield Issue(
            spec.locate("/term/end"),
            f"slutdatumet {term['end']} ligger inte efter startdatumet {term['start']}; "
            "ange ett senare slutdatum eller använd duration_months",
            code="form",
        )


def _last_year(spec: Spec) -> Iterator[Issue]:
    """The last day the agreement can run, with every extension, stays in the years the
    tool reckons with (a hundred extensions of a hundred years leave the calendar)."""
    term = spec.data["term"]
    extension = term.get("extension") or {}
    if "end" in term:
        end = date.fromisoformat(term["end"])
        year, month = end.year, end.month
    elif "duration_months" in term:
        start = date.fromisoformat(term["start"])
        year, month = start.year, start.month + term["duration_months"]
    else:
        return  # tills vidare
    months = extension.get("period_months", 0) * extension.get("max_extensions", 0)
    last = year + (month - 1 + months) // 12
    if last > LAST_YEAR:
        pointer = "/term/extension/max_extensions" if months else "/term"
        yield Issue(
            spec.locate(pointer),
            f"avtalet kan löpa till år {last}, men avtal räknar bara med datum till och med "
            f"år {LAST_YEAR}; ange färre förlängningar eller kortare perioder",
            code="form",
        )


def _numbers(spec: Spec) -> Iterator[Issue]:
    for pointer, value in walk(spec.data):
        if isinstance(value, float) and not math.isfinite(value):
            yield Issue(
                spec.locate(pointer), "värdet är inget tal; skriv ett tal, t.ex. 25", code="form"
            )


def _decision_dates(spec: Spec) -> Iterator[Issue]:
    for index, party in enumerate(spec.data["parties"]):
        for where, decision in decision_blocks(party):
            yield from _step_dates(spec, f"/parties/{index}/{where}", decision)


def _step_dates(spec: Spec, pointer: str, decision: Mapping[str, Any]) -> Iterator[Issue]:
    """The report comes before the first meeting, and each organ meets after the last."""
    if decision["meeting_date"] < decision["report_date"]:
        yield Issue(
            spec.locate(f"{pointer}/meeting_date"),
            f"sammanträdet {decision['meeting_date']} ligger före tjänsteutlåtandets datum "
            f"{decision['report_date']}; tjänsteutlåtandet skrivs före sammanträdet",
            code="form",
        )
    before, name = decision["meeting_date"], "det första organet"
    for i, step in enumerate(decision.get("path", [])):
        if step["meeting_date"] <= before:
            yield Issue(
                spec.locate(f"{pointer}/path/{i}/meeting_date"),
                f"{step['name']} sammanträder {step['meeting_date']}, inte efter "
                f"{name} ({before}); organen tar ställning i tur och ordning, så skriv ett "
                "senare datum",
                code="form",
            )
        before, name = step["meeting_date"], step["name"].lower()


def _decision_blocks(spec: Spec) -> Iterator[Issue]:
    """One decision block or a list of them, one per organ, each path naming each organ once."""
    for index, party in enumerate(spec.data["parties"]):
        if "decision" in party and "decisions" in party:
            yield Issue(
                spec.locate(f"/parties/{index}/decisions"),
                f"{party['name']} har både decision och decisions; skriv ett beslutsunderlag "
                "under decision, eller flera (ett per organ) under decisions",
                code="form",
            )
        seen: set[str] = set()
        for where, decision in decision_blocks(party):
            if decision["organ"] in seen:
                yield Issue(
                    spec.locate(f"/parties/{index}/{where}/organ"),
                    f"{party['name']} har redan ett beslutsunderlag för organet "
                    f"”{decision['organ']}”; varje organ har ett beslutsunderlag",
                    code="form",
                )
            seen.add(decision["organ"])
            organs = [decision["organ"]]
            for i, step in enumerate(decision.get("path", [])):
                if step["organ"] in organs:
                    yield Issue(
                        spec.locate(f"/parties/{index}/{where}/path/{i}/organ"),
                        f"organet ”{step['organ']}” står redan i beslutsgången; varje organ "
                        "tar ställning en gång",
                        code="form",
                    )
                organs.append(step["organ"])


def _term_shape(spec: Spec) -> Iterator[Issue]:
    term = spec.data["term"]
    if term.get("until_further_notice") and "extension" in term:
        yield Issue(
            spec.locate("/term/extension"),
            "ett avtal som gäller tills vidare förlängs inte; ta bort extension, eller ange "
            "end eller duration_months i stället för until_further_notice",
            code="form",
        )


def _swedish_number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _share_parties(spec: Spec, model: dict[str, Any]) -> Iterator[Issue]:
    named = Counter(p for share in model["shares"] for p in share["parties"])
    for index, share in enumerate(model["shares"]):
        for position, party in enumerate(share["parties"]):
            if named[party] > 1:
                yield Issue(
                    spec.locate(f"/economics/model/shares/{index}/parties/{position}"),
                    f"parten ”{party}” har andelar på flera ställen; nämn varje part i en "
                    "enda andel",
                    code="form",
                )
                named[party] = 1
    for party in spec.data["parties"]:
        if party["id"] not in named:
            yield Issue(
                spec.locate("/economics/model/shares"),
                f"{party['name']} ({party['id']}) har ingen andel; lägg till parten i en "
                "andel, med 0 % om den inte ska bära några kostnader",
                code="form",
            )


def _shares(spec: Spec) -> Iterator[Issue]:
    model = spec.data.get("economics", {}).get("model", {})
    if model.get("type") != "fasta_andelar":
        return
    yield from _share_parties(spec, model)
    values = [s.get("percent", 0) for s in model["shares"]] + [
        v for s in model["shares"] for v in s.get("range", {}).values()
    ]
    if not all(math.isfinite(v) for v in values):
        return
    low = sum(s.get("percent", s.get("range", {}).get("min", 0)) for s in model["shares"])
    high = sum(s.get("percent", s.get("range", {}).get("max", 0)) for s in model["shares"])
    if not low <= 100 <= high:
        total = (
            f"{_swedish_number(low)} %"
            if low == high
            else f"{_swedish_number(low)}–{_swedish_number(high)} %"
        )
        yield Issue(
            spec.locate("/economics/model/shares"),
            f"andelarna summerar till {total}, inte 100 %; justera procentsatserna så att de "
            "tillsammans blir 100 %",
            code="EKON-ANDELAR",
            source="SKR: Avtalssamverkan inom socialtjänsten (2023) (kostnadsfördelning)",
        )
    for index, share in enumerate(model["shares"]):
        span = share.get("range")
        if span and span["min"] > span["max"]:
            yield Issue(
                spec.locate(f"/economics/model/shares/{index}/range"),
                f"intervallet {_swedish_number(span['min'])}–{_swedish_number(span['max'])} % "
                "är omvänt; skriv det lägsta värdet i min och det högsta i max",
                code="form",
            )


@cache
def _party_reference() -> re.Pattern[str]:
    """party_references as one pattern: a hub spec has hundreds of thousands of fields."""
    return pointer_pattern(party_references())


def _party_references(spec: Spec) -> Iterator[Issue]:
    ids = [p["id"] for p in spec.data["parties"]]
    for pointer, value in walk(spec.data):
        is_reference = _party_reference().fullmatch(pointer) is not None
        if is_reference and isinstance(value, str) and value not in ids:
            yield Issue(
                spec.locate(pointer),
                f"ingen part har id ”{value}”; skriv ett av: {', '.join(ids)}",
                code="form",
            )


def _organ_references(spec: Spec) -> Iterator[Issue]:
    for index, party in enumerate(spec.data["parties"]):
        organs = [o["id"] for o in party["organs"]]
        places = [(f"{where}/organ", d.get("organ")) for where, d in decision_blocks(party)]
        places += [
            (f"signatories/{i}/organ", s.get("organ")) for i, s in enumerate(party["signatories"])
        ]
        for where, value in places:
            if value is not None and value not in organs:
                yield Issue(
                    spec.locate(f"/parties/{index}/{where}"),
                    f"{party['name']} har inget organ med id ”{value}”; skriv ett av: "
                    f"{', '.join(organs)}",
                    code="form",
                )


def _duplicate_org_numbers(spec: Spec) -> Iterator[Issue]:
    first: dict[str, str] = {}
    for index, party in enumerate(spec.data["parties"]):
        number = party["org_nr"]
        if number in first:
            yield Issue(
                spec.locate(f"/parties/{index}/org_nr"),
                f"{party['name']} har samma organisationsnummer ({number}) som {first[number]}; "
                "varje part har ett eget nummer. En part som handlar genom flera nämnder "
                "skrivs som en part med flera organ",
                code="form",
            )
        else:
            first[number] = party["name"]


def _signed_copies(spec: Spec) -> Iterator[Issue]:
    signing = spec.data["signing"]
    # A hub spec yields bilateral agreements: each is signed by two parties.
    parties = 2 if "hub" in spec.data else len(spec.data["parties"])
    copies = signing.get("copies")
    if signing["method"] == "papper" and copies is not None and copies < parties:
        yield Issue(
            spec.locate("/signing/copies"),
            f"avtalet har {parties} parter men skrivs ut i {copies} exemplar; varje part "
            f"behöver ett eget, så skriv copies: {parties}",
            code="form",
        )


def _assignment_roles(spec: Spec) -> Iterator[Issue]:
    assignments = spec.data.get("assignments", {})
    held = sorted({r for p in spec.data["parties"] for r in p["roles"]})
    for key in ("initiated_by", "accepted_by"):
        role = assignments.get(key)
        if role is not None and role not in held:
            yield Issue(
                spec.locate(f"/assignments/{key}"),
                f"ingen part har rollen {role}; skriv en roll som någon part har: "
                f"{', '.join(held)}",
                code="form",
            )


def _controller_organs(spec: Spec) -> Iterator[Issue]:
    joint = spec.data.get("information", {}).get("personal_data", {}).get("joint", {})
    places = [(f"controllers/{i}", c) for i, c in enumerate(joint.get("controllers", []))]
    if "contact_point" in joint:
        places.append(("contact_point", joint["contact_point"]))
    parties = {p["id"]: p for p in spec.data["parties"]}
    for where, controller in places:
        party = parties.get(controller["party"])
        organs = [o["id"] for o in party["organs"]] if party else []
        if party and "organ" in controller and controller["organ"] not in organs:
            yield Issue(
                spec.locate(f"/information/personal_data/joint/{where}/organ"),
                f"{party['name']} har inget organ med id ”{controller['organ']}”; skriv ett "
                f"av: {', '.join(organs)}",
                code="form",
            )


def _unique_ids(spec: Spec) -> Iterator[Issue]:
    for pointer, value in walk(spec.data):
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            counts = Counter(v.get("id") for v in value if "id" in v)
            for index, item in enumerate(value):
                if counts.get(item.get("id"), 0) > 1:
                    yield Issue(
                        spec.locate(f"{pointer}/{index}/id"),
                        f"id ”{item['id']}” används flera gånger i samma lista; varje id ska "
                        "vara unikt",
                        code="form",
                    )


CHECKS: tuple[Callable[[Spec], Iterable[Issue]], ...] = (
    _org_numbers,
    _reserved_ids,
    _numbers,
    _term_dates,
    _term_shape,
    _last_year,
    _decision_dates,
    _decision_blocks,
    _shares,
    _party_references,
    _organ_references,
    _unique_ids,
    _duplicate_org_numbers,
    _signed_copies,
    _controller_organs,
    _assignment_roles,
)
