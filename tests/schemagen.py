"""Hypothesis strategies for spec data, read from the agreement schema itself.

`value(fragment)` generates data valid against one schema fragment (with the default
bounds the validator adds); `spec()` a whole spec of either kind; `mutated(base)` an
example spec with a few of its subtrees replaced by generated ones, so that most of
the spec stays coherent and the documents are rendered. Only what the schema uses is
covered: $ref, allOf with if/then on the kind, if/then/else on a field (the else
branch), oneOf, anyOf, const, enum, pattern, format date, min/max length, items, min/max
items, uniqueItems, properties, required, minProperties, minimum and maximum.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from typing import Any

from hypothesis import strategies as st

from generator.schema import load_schema
from generator.validate import bounded

# Text from every corner a spec's text can come from: Swedish, Markdown and Typst
# syntax, other scripts, emoji, no-break and zero-width spaces.
_ALPHABET = st.one_of(
    st.sampled_from(list("abcåäöÅÄÖ XYZ019-.,:;!?()[]{}<>#*_`~|\\/@$%&'\"=+^\n\t")),
    st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
        exclude_characters="\ufffe\uffff",
    ),
)
MAX_TEXT = 60  # generated texts stay short: length is not what is being tried here
MAX_LIST = 3


@cache
def root() -> dict[str, Any]:
    """The schema with the validator's default bounds."""
    return bounded(load_schema())


def resolve(fragment: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref to the fragment it names, keeping the referring fragment's keywords."""
    while "$ref" in fragment:
        node: Any = root()
        for token in fragment["$ref"].lstrip("#/").split("/"):
            node = node[token]
        fragment = {**node, **{k: v for k, v in fragment.items() if k != "$ref"}}
    return fragment


def value(fragment: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Data valid against `fragment` (oneOf exclusivity and if/then are checked later)."""
    return _cached(json.dumps(fragment, sort_keys=True))


@cache
def _cached(key: str) -> st.SearchStrategy[Any]:
    """One strategy per distinct fragment, built once: building them (regexes above all)
    costs more than drawing from them."""
    fragment = json.loads(key)
    return st.deferred(lambda: _value(resolve(fragment)))


def _value(fragment: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "const" in fragment:
        return st.just(fragment["const"])
    if "enum" in fragment:
        return st.sampled_from(fragment["enum"])
    if "oneOf" in fragment or "anyOf" in fragment:
        options = fragment.get("oneOf") or fragment["anyOf"]
        rest = {k: v for k, v in fragment.items() if k not in ("oneOf", "anyOf")}
        return st.one_of([value({**rest, **_merge(rest, option)}) for option in options])
    if "else" in fragment:
        return _value(_without_reference(fragment))
    kind = fragment.get("type")
    if isinstance(kind, list):
        return st.one_of([_value({**fragment, "type": k}) for k in kind])
    if kind == "object" or "properties" in fragment:
        return _object(fragment)
    if kind == "array":
        return _array(fragment)
    if kind == "string":
        return _string(fragment)
    if kind == "integer":
        return st.integers(fragment.get("minimum", -(10**6)), fragment.get("maximum", 10**6))
    if kind == "number":
        low, high = fragment.get("minimum", -(10**6)), fragment.get("maximum", 10**6)
        hundredths = st.integers(int(low * 100), int(high * 100))
        return st.one_of(st.integers(int(low), int(high)), hundredths.map(lambda n: n / 100))
    if kind == "boolean":
        return st.booleans()
    return st.none()


def _without_reference(fragment: dict[str, Any]) -> dict[str, Any]:
    """An object whose `if` asks for a field (a party's `ref`), generated as the `else`
    branch: written whole, without that field (the spec stands alone, no registry)."""
    branch = fragment["else"]
    skipped = set(fragment.get("if", {}).get("required", []))
    rest = {k: v for k, v in fragment.items() if k not in ("if", "then", "else")}
    properties = {name: _deep(value, branch.get("properties", {}).get(name, {}))
                  for name, value in rest.get("properties", {}).items() if name not in skipped}
    required = [*rest.get("required", []), *branch.get("required", [])]
    return {**rest, "properties": properties, "required": list(dict.fromkeys(required))}


def _deep(base: Any, extra: Any) -> Any:
    """`extra`'s keywords laid into `base`, recursively (a branch's nested `required`)."""
    if not isinstance(base, dict) or not isinstance(extra, dict):
        return extra if extra else base
    return {**base, **{k: _deep(base.get(k), v) for k, v in extra.items()}}


def _merge(base: dict[str, Any], option: dict[str, Any]) -> dict[str, Any]:
    """An option of oneOf/anyOf laid over its parent (properties and required joined)."""
    option = resolve(option)
    merged = dict(option)
    if "properties" in base or "properties" in option:
        merged["properties"] = {**base.get("properties", {}), **option.get("properties", {})}
    required = [*base.get("required", []), *option.get("required", [])]
    if required:
        merged["required"] = list(dict.fromkeys(required))
    return merged


def _string(fragment: dict[str, Any]) -> st.SearchStrategy[str]:
    low = fragment.get("minLength", 0)
    high = min(fragment.get("maxLength", MAX_TEXT), max(MAX_TEXT, low))
    if fragment.get("format") == "date":
        return st.dates(date(1990, 1, 1), date(2199, 12, 31)).map(date.isoformat)
    if "pattern" in fragment:
        pattern = fragment["pattern"].replace("\\Z", "$")
        return st.from_regex(pattern, fullmatch=True).filter(
            lambda s: low <= len(s) <= high and re.search(fragment["pattern"], s) is not None
        )
    text = st.text(_ALPHABET, min_size=low, max_size=high)
    return text.filter(lambda s: len(s.strip()) >= min(low, 1))


def _array(fragment: dict[str, Any]) -> st.SearchStrategy[list[Any]]:
    low = fragment.get("minItems", 0)
    high = max(low, min(fragment.get("maxItems", MAX_LIST), MAX_LIST))
    items = value(fragment.get("items", {}))
    unique = (lambda v: json.dumps(v, sort_keys=True)) if fragment.get("uniqueItems") else None
    return st.lists(items, min_size=low, max_size=high, unique_by=unique)


def _object(fragment: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = fragment.get("properties", {})
    required = [name for name in fragment.get("required", []) if name in properties]
    optional = [name for name in properties if name not in required and name != "$schema"]
    at_least = fragment.get("minProperties", 0)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        chosen = draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []
        while len(required) + len(chosen) < at_least and optional:
            chosen.append(draw(st.sampled_from([o for o in optional if o not in chosen])))
        return {
            name: draw(value(properties[name]))
            for name in properties
            if name in required or name in chosen
        }

    return build()


def spec() -> st.SearchStrategy[dict[str, Any]]:
    """A whole spec of either kind (the kind picks its definition, as the schema's if/then)."""
    kinds = root()["properties"]["kind"]["enum"]
    return st.sampled_from(kinds).flatmap(lambda k: value({"$ref": f"#/$defs/{k}"}))


def fragment_at(data: dict[str, Any], pointer: str) -> dict[str, Any] | None:
    """The schema fragment that describes the value at a JSON pointer of a spec."""
    node = resolve({"$ref": f"#/$defs/{data['kind']}"})
    current: Any = data
    for token in [t for t in pointer.split("/") if t]:
        node = resolve(node)
        if isinstance(current, list):
            node, current = node.get("items", {}), current[int(token)]
        elif token in node.get("properties", {}):
            node, current = node["properties"][token], current[token]
        else:
            return None  # inside oneOf/anyOf: left alone
    return resolve(node)


def pointers(data: Any, pointer: str = "") -> list[str]:
    """Every JSON pointer in the data, parents before children."""
    found = [pointer]
    if isinstance(data, dict):
        for key, child in data.items():
            found += pointers(child, f"{pointer}/{key}")
    elif isinstance(data, list):
        for index, child in enumerate(data):
            found += pointers(child, f"{pointer}/{index}")
    return found


def replace(data: Any, pointer: str, new: Any) -> Any:
    """A copy of the data with the value at the pointer replaced."""
    if not pointer:
        return new
    head, _, rest = pointer.lstrip("/").partition("/")
    rest = f"/{rest}" if rest else ""
    if isinstance(data, list):
        copied = list(data)
        copied[int(head)] = replace(copied[int(head)], rest, new)
        return copied
    return {**data, head: replace(data[head], rest, new)}


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any], changes: int = 3) -> dict[str, Any]:
    """The base spec with up to `changes` subtrees replaced by generated values."""
    data = base
    for _ in range(draw(st.integers(1, changes))):
        candidates = [p for p in pointers(data) if p and p != "/kind"]
        pointer = draw(st.sampled_from(candidates))
        fragment = fragment_at(data, pointer)
        if fragment is not None:
            data = replace(data, pointer, draw(value(fragment)))
    return data
