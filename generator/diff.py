"""Spec, Spec -> list of Changes: what a change means for the agreement, in its terms.

List items are matched by id (or party id), not by position, so a reordered or renamed
item is one change, not many. Values are formatted as in the documents. Each change
says whether the parties' organs must approve it again, per the spec's amendment rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .load import Spec, escape_pointer
from .render import join_and, kronor, months, number, percent, swedish_date
from .schema import resolve, target

# Where each top-level field lands in the agreement (or in the decision documents).
SECTIONS: dict[str, str] = {
    "title": "Rubrik",
    "id": "Rubrik",
    "kind": "Rubrik",
    "version": "Version och status",
    "status": "Version och status",
    "date": "Version och status",
    "diarienummer": "Rubrik",
    "legal_basis": "Syfte och bakgrund",
    "parties": "Parter",
    "hub": "Parter",
    "purpose": "Syfte och bakgrund",
    "background": "Syfte och bakgrund",
    "target_group": "Syfte och bakgrund",
    "term": "Avtalstid",
    "tasks": "Uppgifter som omfattas",
    "responsibilities": "Parternas ansvar",
    "principal_responsibility": "Parternas ansvar",
    "delegation": "Myndighetsutövning och delegering",
    "follow_up": "Samråd och uppföljning",
    "economics": "Ersättning och kostnader",
    "procurement": "Upphandling (beslutsunderlag)",
    "information": "Informationshantering",
    "staff": "Personal och arbetsmiljö",
    "insurance": "Försäkring",
    "work_results": "Rätt till arbetsresultat",
    "amendments": "Ändringar och tillägg",
    "termination": "Uppsägning",
    "force_majeure": "Befrielsegrunder (force majeure)",
    "assignments": "Enskilda uppdrag",
    "liability": "Skadestånd",
    "control": "Insyn och uppsikt",
    "attachments": "Avtalshandlingar",
    "disputes": "Tvister",
    "approval": "Godkännande",
    "signing": "Underskrifter",
    "additional_clauses": "Tilläggsklausuler",
    "rule_exceptions": "Undantag från regler",
}

# Where a samverkansöverenskommelse (templates/overenskommelse.md.j2) puts the fields
# whose heading differs from the agreement's.
KIND_SECTIONS: dict[str, dict[str, str]] = {
    "samverkansoverenskommelse": {
        "legal_basis": "Parter",
        "target_groups": "Parter",
        "purpose": "Bakgrund och syfte",
        "background": "Bakgrund och syfte",
        "working_group": "Bakgrund och syfte",
        "target_group": "Målgrupp",
        "related_documents": "Utgångspunkter",
        "user_participation": "Utgångspunkter",
        "goals": "Utgångspunkter",
        "glossary": "Begrepp",
        "governance": "Ledning och styrning",
        "shared_responsibility": "Ansvarsfördelning",
        "municipal_responsibility": "Ansvarsfördelning",
        "regional_responsibility": "Ansvarsfördelning",
        "sip": "Ansvarsfördelning",
        "implementation": "Implementering",
        "follow_up": "Uppföljning och utvärdering",
        "indicators": "Uppföljning och utvärdering",
        "follow_up_date": "Uppföljning och utvärdering",
        "deviations": "Avvikelser och tvister",
        "disputes": "Avvikelser och tvister",
        "term": "Giltighetstid",
        "decision_date": "Giltighetstid",
        "termination": "Giltighetstid",
        "amendments": "Ändringar",
    },
}

# The section of each target group's own area in a samverkansöverenskommelse.
GROUP_SECTIONS: dict[str, str] = {
    "psykisk_funktionsnedsattning": "Särskilt om personer med psykisk funktionsnedsättning",
    "missbruk": "Särskilt om missbruk och beroende",
    "placerade_barn": "Särskilt om barn och unga som vårdas utanför hemmet",
}

# Parts of a field that the documents show in another section than the field as a whole.
PART_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "avtalssamverkan": (
        ("/parties/*/contacts", "Samråd och uppföljning"),  # the contact table
        ("/termination/assignments", "Avslut av enskilda uppdrag"),
        ("/termination/ongoing_assignments", "Avslut av enskilda uppdrag"),
    ),
}
COMMON_PART_SECTIONS: tuple[tuple[str, str], ...] = (
    ("/parties/*/signatories", "Underskrifter"),
    ("/parties/*/place", "Underskrifter"),
    ("/parties/*/decision", "Tjänsteutlåtande och beslut"),
    ("/parties/*/decisions", "Tjänsteutlåtande och beslut"),
    ("/parties/*/competence", "Tjänsteutlåtande och beslut"),
)

# Changes that the administrations may agree on without new decisions by the organs,
# unless the spec's amendments.minor_fields says otherwise.
DEFAULT_MINOR = (
    "/parties/*/contacts",
    "/parties/*/decision",
    "/parties/*/decisions",
    "/parties/*/competence",
    "/parties/*/address",
    "/parties/*/signatories",
    "/status",
    "/version",
    "/date",
    "/diarienummer",
    "/$schema",
    "/rule_exceptions",
)


@dataclass(frozen=True)
class Change:
    """One change: where it lands, what it was and is, and whether organs must approve it.

    An editorial change rewords a text without touching a number, date, name, negation
    or modal verb; `words` then shows the changed words with a little context."""

    section: str
    pointer: str
    label: str
    kind: str  # "ändrad", "tillagd", "borttagen", "flyttad"
    old: str
    new: str
    needs_approval: bool
    editorial: bool = False
    words: str = ""


@dataclass(frozen=True)
class _Context:
    """What every comparison of a field needs: both versions' minor fields, the party
    names (ids -> names, old and new), and whether both allow editorial changes."""

    minor: tuple[tuple[str, ...], ...]
    names: Mapping[str, str]
    editorial_minor: bool
    proper: frozenset[str] = frozenset()  # words of the organs' names


def _party_names(data: Mapping[str, Any]) -> dict[str, str]:
    return {str(p.get("id")): str(p.get("name")) for p in data.get("parties", [])}


def _name_words(*specs: Mapping[str, Any]) -> frozenset[str]:
    """The longer words of every organ's name, in lower case ("socialnämnden"): in running
    text an organ is written in lower case, and naming another is no rewording. (Parties'
    names are capitalised, which tells them apart already.)"""
    names = [
        str(organ.get("name", ""))
        for data in specs
        for party in data.get("parties", [])
        for organ in party.get("organs", [])
    ]
    return frozenset(w.lower() for name in names for w in _WORD.findall(name) if len(w) >= 5)


def diff_specs(old: Spec, new: Spec) -> list[Change]:
    """All changes from the old spec to the new, in the order of the agreement.

    A change is minor only if both versions' amendment rules say so: the agreement in
    force decides how it may be changed, and a proposal cannot waive that for itself.
    """
    names = {**_party_names(old.data), **_party_names(new.data)}
    ctx = _Context(
        (_minor_fields(old.data), _minor_fields(new.data)),
        names,
        old.data.get("amendments", {}).get("editorial") is True
        and new.data.get("amendments", {}).get("editorial") is True,
        _name_words(old.data, new.data),
    )
    kind_schema = _kind_schema(new.data)
    kind = str(new.data.get("kind", "avtalssamverkan"))
    changes = [
        replace(
            c,
            section=_section_of(c, kind, old.data, new.data),
            label=_in_context(c, old.data if c.kind == "borttagen" else new.data),
        )
        for c in _compare(old.data, new.data, "", kind_schema, ctx)
    ]
    order = list(SECTIONS)
    return sorted(
        changes,
        key=lambda c: order.index(_top(c.pointer)) if _top(c.pointer) in order else len(order),
    )


NAME_KEYS = ("function", "name", "heading", "term", "area", "title")


def _display(item: Any, party_names: Mapping[str, str]) -> str | None:
    """What the documents call a list item: its name, heading, function or text, or
    the parties a share belongs to."""
    if not isinstance(item, Mapping):
        return None
    if isinstance(item.get("parties"), list) and all(isinstance(p, str) for p in item["parties"]):
        return join_and(party_names.get(p, p) for p in item["parties"])
    for key in NAME_KEYS:
        if key in item:
            return str(item[key])
    if "text" in item:
        text = " ".join(str(item["text"]).split())
        return text if len(text) <= 50 else text[:47] + "…"
    return None


def _in_context(change: Change, data: Mapping[str, Any]) -> str:
    """The label with the names of the items it sits in: "Solna stad, Socialjouren: Telefon"."""
    names: list[str] = []
    node: Any = data
    party_names = {str(p.get("id")): str(p.get("name")) for p in data.get("parties", [])}
    tokens = change.pointer.strip("/").split("/")
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node.get(token, {})
        shown = _display(node, party_names)
        if shown and shown != change.label:
            names.append(shown)
    return f"{', '.join(names)}: {change.label}" if names else change.label


def _minor_fields(data: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(data.get("amendments", {}).get("minor_fields", DEFAULT_MINOR))


def _section_of(change: Change, kind: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """The section of the documents where a change lands (an added clause: its own)."""
    pointer = change.pointer
    for pattern, section in (*PART_SECTIONS.get(kind, ()), *COMMON_PART_SECTIONS):
        if _matches(pattern, pointer):
            return section
    parts = pointer.split("/")
    top = _top(pointer)
    if top == "additional_clauses" and len(parts) == 2:
        # The first clause or the last one gone: the list itself changed.
        source = old if change.kind == "borttagen" else new
        headings = [c.get("heading") for c in source.get("additional_clauses", [])]
        if len(headings) == 1 and headings[0]:
            return str(headings[0])
    if top == "additional_clauses" and len(parts) > 2 and parts[2].isdigit():
        # A removed clause has its old position; every other change its new one.
        source = old if change.kind == "borttagen" and len(parts) == 3 else new
        clauses = source.get("additional_clauses", [])
        index = int(parts[2])
        if index < len(clauses) and "heading" in clauses[index]:
            return str(clauses[index]["heading"])
    if top == "group_specific" and len(parts) > 2 and parts[2] in GROUP_SECTIONS:
        return GROUP_SECTIONS[parts[2]]
    return KIND_SECTIONS.get(kind, {}).get(top) or SECTIONS.get(top, "Övrigt")


def _top(pointer: str) -> str:
    return pointer.split("/")[1] if pointer.count("/") else ""


def _kind_schema(data: Mapping[str, Any]) -> dict[str, Any]:
    kind = str(data.get("kind", "avtalssamverkan"))
    try:
        return resolve(target(f"#/$defs/{kind}"))
    except KeyError:
        return {}


def _matches(pattern: str, pointer: str) -> bool:
    parts, probe = pattern.split("/"), pointer.split("/")
    return len(probe) >= len(parts) and all(
        a in ("*", b) for a, b in zip(parts, probe, strict=False)
    )


def _child_schema(schema: Mapping[str, Any], key: str | int) -> dict[str, Any]:
    """The resolved schema of a child, remembering which $defs type it refers to."""
    if isinstance(key, int):
        # A field that is either text or a list (anyOf) takes its items from the list.
        lists = [o for o in schema.get("anyOf", []) if resolve(o).get("type") == "array"]
        return resolve(schema.get("items", resolve(lists[0]).get("items", {}) if lists else {}))
    raw = _property(schema, key)
    return {**resolve(raw), "_raw": raw}


def _property(schema: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A property's unresolved schema, also inside if/then branches (cost models)."""
    if key in schema.get("properties", {}):
        return dict(schema["properties"][key])
    for branch in schema.get("allOf", []):
        then = resolve(branch.get("then", {}))
        if key in then.get("properties", {}):
            return dict(then["properties"][key])
    return {}


def _compare(
    old: Any, new: Any, pointer: str, schema: dict[str, Any], ctx: _Context
) -> Iterator[Change]:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        yield from _compare_maps(old, new, pointer, schema, ctx)
    elif isinstance(old, list) and isinstance(new, list):
        yield from _compare_lists(old, new, pointer, schema, ctx)
    elif old != new:
        yield _change(pointer, schema, "ändrad", old, new, ctx)


def _compare_maps(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    pointer: str,
    schema: dict[str, Any],
    ctx: _Context,
) -> Iterator[Change]:
    keys = list(dict.fromkeys([*old, *new]))
    for key in keys:
        where = f"{pointer}/{escape_pointer(key)}"
        child = _child_schema(schema, key)
        if key not in old:
            yield _change(where, child, "tillagd", None, new[key], ctx)
        elif key not in new:
            yield _change(where, child, "borttagen", old[key], None, ctx)
        else:
            yield from _compare(old[key], new[key], where, child, ctx)


def _identity(item: Any) -> Any:
    if isinstance(item, Mapping):
        for key in ("id", "rule", "party", "function"):
            if key in item:
                return (key, item[key])
    return None


def _identified(items: list[Any]) -> bool:
    """Every item has an identity and no two share one (two delegates of the same party
    are told apart by position, not by their common party)."""
    ids = [_identity(i) for i in items]
    return None not in ids and len(set(map(repr, ids))) == len(ids)


def _compare_lists(
    old: list[Any],
    new: list[Any],
    pointer: str,
    schema: dict[str, Any],
    ctx: _Context,
) -> Iterator[Change]:
    item_schema = _child_schema(schema, 0)
    if _identified(old) and _identified(new):
        yield from _compare_by_identity(old, new, pointer, schema, item_schema, ctx)
    elif len(old) == len(new):
        # Items without ids (signatories, criteria): the same count, item by item, so
        # that a changed title shows, not the same names twice.
        item_schema = {"title": schema.get("title"), **item_schema}
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            yield from _compare(before, after, f"{pointer}/{index}", item_schema, ctx)
    elif old != new:
        yield _change(pointer, schema, "ändrad", old, new, ctx)


def _compare_by_identity(
    old: list[Any],
    new: list[Any],
    pointer: str,
    schema: dict[str, Any],
    item_schema: dict[str, Any],
    ctx: _Context,
) -> Iterator[Change]:
    old_ids = [_identity(i) for i in old]
    new_ids = [_identity(i) for i in new]
    for index, item in enumerate(new):
        where = f"{pointer}/{index}"
        if new_ids[index] not in old_ids:
            yield _change(where, item_schema, "tillagd", None, item, ctx)
            continue
        before = old_ids.index(new_ids[index])
        yield from _compare(old[before], item, where, item_schema, ctx)
    for index, item in enumerate(old):
        if old_ids[index] not in new_ids:
            yield _change(f"{pointer}/{index}", item_schema, "borttagen", item, None, ctx)
    common_old = [i for i in old_ids if i in new_ids]
    common_new = [i for i in new_ids if i in old_ids]
    if common_old != common_new:
        yield _change(
            pointer, schema, "flyttad", _order(old, ctx.names), _order(new, ctx.names), ctx
        )


def _order(items: list[Any], names: Mapping[str, str]) -> list[str]:
    ids = [str(_identity(i)[1]) for i in items]
    return [_display(i, names) or names.get(key, key) for i, key in zip(items, ids, strict=True)]


def _change(
    pointer: str,
    schema: Mapping[str, Any],
    kind: str,
    old: Any,
    new: Any,
    ctx: _Context,
) -> Change:
    editorial = kind == "ändrad" and _is_editorial(old, new, schema, ctx.proper)
    minor = all(any(_matches(p, pointer) for p in rules) for rules in ctx.minor)
    return Change(
        section=SECTIONS.get(_top(pointer), "Övrigt"),
        pointer=pointer,
        label=_label(schema, pointer, old if new is None else new),
        kind=kind,
        old=format_value(old, schema, ctx.names),
        new=format_value(new, schema, ctx.names),
        needs_approval=not (minor or (editorial and ctx.editorial_minor)),
        editorial=editorial,
        words=excerpt(str(old), str(new)) if editorial else "",
    )


def _label(schema: Mapping[str, Any], pointer: str, value: Any) -> str:
    if isinstance(value, Mapping) and "name" in value:
        return str(value["name"])
    if isinstance(value, Mapping) and "heading" in value:
        return str(value["heading"])
    title = schema.get("title")
    return str(title) if title else pointer


def enum_label(ref: str, value: str) -> str:
    """The Swedish label the schema gives an enum value (the value itself if none)."""
    try:
        return label_of(resolve(target(ref)), value)
    except KeyError:
        return value


def label_of(schema: Mapping[str, Any], value: Any) -> str:
    """A value's label from the schema's `enumDescriptions`, else the value as text."""
    values, labels = schema.get("enum", []), schema.get("enumDescriptions", [])
    if value in values and len(labels) == len(values):
        return str(labels[values.index(value)])
    return str(value)


def format_value(
    value: Any, schema: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> str:
    """A value as the documents write it: dates in prose, kronor, percent, months,
    enum values by their labels, party ids by the parties' names."""
    names = names or {}
    ref = str(schema.get("_raw", {}).get("$ref", ""))
    if value is None:
        return "–"
    if isinstance(value, str) and "enum" in schema:
        return label_of(schema, value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if ref.endswith("/party_ref") and isinstance(value, str):
        return names.get(value, value)
    if ref.endswith("/date") and isinstance(value, str):
        return swedish_date(value)
    if ref.endswith("/amount") and isinstance(value, int):
        return kronor(value)
    if ref.endswith("/percent") and isinstance(value, int | float):
        return percent(value)
    about = f"{schema.get('title', '')} {schema.get('description', '')}".lower()
    if isinstance(value, int) and not isinstance(value, bool) and "månader" in about:
        return months(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value)
    if isinstance(value, Mapping):
        return _format_item(value, schema, names)
    if isinstance(value, list):
        item = resolve(schema.get("items", {}))
        return "; ".join(format_value(v, item, names) for v in value)
    return str(value)


# Keys whose values are party ids.
PARTY_KEYS = ("party", "parties", "payer", "host", "controller", "processor")


def _format_item(
    value: Mapping[str, Any], schema: Mapping[str, Any], names: Mapping[str, str]
) -> str:
    """A list item in words: its name, or its party and its fields by their titles."""
    shown = value.get("name") or value.get("heading") or value.get("text")
    if shown:
        return str(shown)
    who: list[str] = []
    fields: list[str] = []
    for key, child in value.items():
        if key in PARTY_KEYS:
            ids = child if isinstance(child, list) else [child]
            who.append(join_and(names.get(str(i), str(i)) for i in ids))
            continue
        sub = _child_schema(schema, key)
        shown_value = format_value(child, sub, names)
        if str(sub.get("_raw", {}).get("$ref", "")).endswith(("/percent", "/amount")):
            fields.append(shown_value)  # "40 %" and "1 000 kronor" say what they are
        else:
            fields.append(f"{str(sub.get('title') or key).lower()} {shown_value}")
    text = ", ".join(fields)
    return f"{join_and(who)}: {text}" if who else text


# The most pairs of words (or paragraphs) difflib compares in one changed region: its
# matcher takes cubic time on repetitive text, and 500 by 500 words take it seconds.
# A larger region is shown as removed and added whole.
MAX_PAIRS = 250_000


def bounded_opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, in bounded time: the common start and end are matched first,
    and a middle of more than MAX_PAIRS pairs is one replacement."""
    start, shortest = 0, min(len(a), len(b))
    while start < shortest and a[start] == b[start]:
        start += 1
    end = 0
    while end < shortest - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    a_end, b_end = len(a) - end, len(b) - end
    ops: list[tuple[str, int, int, int, int]] = [("equal", 0, start, 0, start)] if start else []
    middle_a, middle_b = a[start:a_end], b[start:b_end]
    if len(middle_a) * len(middle_b) <= MAX_PAIRS:
        matcher = difflib.SequenceMatcher(a=middle_a, b=middle_b, autojunk=False)
        ops += [
            (op, i1 + start, i2 + start, j1 + start, j2 + start)
            for op, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    elif middle_a or middle_b:
        ops.append(("replace", start, a_end, start, b_end))
    if end:
        ops.append(("equal", a_end, len(a), b_end, len(b)))
    return ops


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff as (op, text) runs: op is " " (same), "-" (deleted) or "+" (added)."""
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in bounded_opcodes(a, b):
        if op == "equal":
            runs.append((" ", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", " ".join(b[j1:j2])))
    return runs


_ESCAPE = re.compile(r"\\(.)")


def plain(markdown: str) -> str:
    """Markdown as a reader sees it: without backslash escapes."""
    return _ESCAPE.sub(r"\1", markdown)


def text_changes(old: str, new: str) -> list[str]:
    """Changed paragraphs of a rendered document, each with [-deleted-] and {+added+} words."""
    a = [p for p in plain(_body(old)).split("\n\n") if p.strip()]
    b = [p for p in plain(_body(new)).split("\n\n") if p.strip()]
    out: list[str] = []
    for op, i1, i2, j1, j2 in bounded_opcodes(a, b):
        if op == "equal":
            continue
        before, after = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
        out.append(" ".join(_mark(op_, text) for op_, text in word_diff(before, after)))
    return out


def _mark(op: str, text: str) -> str:
    return {"-": f"[-{text}-]", "+": f"{{+{text}+}}"}.get(op, text)


def _body(markdown: str) -> str:
    if markdown.startswith("---\n") and "\n---\n" in markdown[4:]:
        return markdown[markdown.index("\n---\n", 4) + 5 :]
    return markdown


# Words whose change alters what a text says even when nothing else does.
NEGATIONS = frozenset(
    ("inte", "ej", "icke", "aldrig", "ingen", "inget", "inga", "ingenting", "utan", "varken")
)
MODALS = frozenset(("ska", "skall", "får", "bör", "kan", "måste", "behöver"))
NUMBER_WORDS = frozenset(
    (
        *("två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv"),
        *("femton", "tjugo", "trettio", "hundra", "tusen", "miljon", "miljoner", "miljard"),
        *("halv", "halva", "dubbel", "dubbla", "första", "andra", "tredje", "fjärde"),
        *("femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde"),
        *("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"),
        *("september", "oktober", "november", "december"),
    )
)
_WORD = re.compile(r"[\w§%]+")


def _is_editorial(
    old: Any, new: Any, schema: Mapping[str, Any], proper: frozenset[str] = frozenset()
) -> bool:
    """A reworded free text that changes no number, date, name, negation or modal verb;
    `proper` holds the words of names written in lower case (organs)."""
    if not (isinstance(old, str) and isinstance(new, str)) or "enum" in schema:
        return False
    if str(schema.get("_raw", {}).get("$ref", "")).endswith(("/date", "/org_nr", "/party_ref")):
        return False
    if old.split() == new.split():
        return True  # only the line breaks moved
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if not _plain_words(a, i1, i2, proper) or not _plain_words(b, j1, j2, proper):
            return False
    return True


def _plain_words(words: Sequence[str], start: int, end: int, proper: frozenset[str]) -> bool:
    """True when none of words[start:end] is a number, date, name, negation or modal."""
    for index in range(start, end):
        for token in _WORD.findall(words[index]):
            lower = token.lower()
            if any(ch.isdigit() for ch in token) or lower in NEGATIONS | MODALS | NUMBER_WORDS:
                return False
            if lower in proper:
                return False  # a party or organ named in lower case
            sentence_start = index == 0 or words[index - 1].endswith((".", "!", "?", ":"))
            if token[0].isupper() and not sentence_start:
                return False  # a name
    return True


def excerpt(old: str, new: str, *, context: int = 4) -> str:
    """The changed words marked [-deleted-] {+added+}, with a few words around them."""
    runs = word_diff(old, new)
    out: list[str] = []
    for index, (op, text) in enumerate(runs):
        if op != " ":
            out.append(_mark(op, text))
            continue
        words = text.split()
        first, last = index == 0, index == len(runs) - 1
        if first and len(words) > context:
            out.append("… " + " ".join(words[-context:]))
        elif last and len(words) > context:
            out.append(" ".join(words[:context]) + " …")
        elif not (first or last) and len(words) > 2 * context:
            out.append(" ".join(words[:context]) + " … " + " ".join(words[-context:]))
        else:
            out.append(text)
    return " ".join(out)


_INSERTED = re.compile(r" ?\{\+.*?\+\}")
_DELETED = re.compile(r" ?\[-.*?-\]")


def sides(marked: str) -> tuple[str, str]:
    """A marked excerpt as its old side (with [-deletions-]) and new side ({+additions+})."""
    return _INSERTED.sub("", marked).strip(), _DELETED.sub("", marked).strip()
