"""Spec -> list of Issues: JSON Schema first, then the checks of form a schema cannot make.

Never raises for bad data: every problem becomes an Issue with file, line and pointer.
"""

from __future__ import annotations

import calendar
import copy
import difflib
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend

from . import consistency, fields
from .errors import Issue
from .load import Spec, escape_pointer
from .parties import ID_PATTERN, as_id
from .schema import describe, field_at, load_schema, node_at, resolve

TYPE_NAMES = {
    "string": "text",
    "integer": "ett heltal",
    "number": "ett tal",
    "boolean": "true eller false",
    "array": "en lista (rader som börjar med -)",
    "object": "en samling fält (namn: värde)",
    "null": "tomt",
}


# Bounds for every field the schema leaves open, far above any real agreement (the
# longest example text is a few thousand characters, the longest list a few dozen
# items). They keep a hostile spec from making validation, rendering or conversion
# slow; a bound that is hit is an ordinary located error.
MAX_TEXT = 20_000
MAX_ITEMS = 1_000
MAX_NUMBER = 10**12
MAX_ERRORS = 200
# A period in months or days beyond a century is no agreement's: it would only move a
# date past the calendar. Dates stay within these years for the same reason.
MAX_MONTHS = 1_200
MAX_DAYS = 36_500
YEARS = (1900, consistency.LAST_YEAR)


def bounded(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of the schema with default bounds where it gives none, and patterns
    anchored at the very end (`$` also matches before a final line feed)."""
    bounded_schema = copy.deepcopy(schema)
    for node in _subschemas(bounded_schema):
        for name, field in node.get("properties", {}).items():
            if isinstance(field, dict) and field.get("type") == "integer":
                limit = MAX_MONTHS if name.endswith("_months") else None
                limit = MAX_DAYS if name.endswith("_days") else limit
                if limit is not None:
                    field.setdefault("maximum", limit)
        if node.get("format") == "date":
            node["x-years"] = list(YEARS)
        types = node.get("type")
        kinds = (
            {types} if isinstance(types, str) else set(types) if isinstance(types, list) else set()
        )
        bounds: dict[str, int] = {}
        if "string" in kinds:
            bounds["maxLength"] = MAX_TEXT
        if "array" in kinds:
            bounds["maxItems"] = MAX_ITEMS
        if kinds & {"integer", "number"}:
            bounds.update(maximum=MAX_NUMBER, minimum=-MAX_NUMBER)
        # Bounds first: jsonschema reports in keyword order, and a list that is too
        # long should say so before it says what is wrong with its items.
        rest = list(node.items())
        node.clear()
        node.update(bounds)
        node.update(rest)
        pattern = node.get("pattern")
        if isinstance(pattern, str) and pattern.endswith("$") and not pattern.endswith("\\$"):
            node["pattern"] = pattern[:-1] + "\\Z"
    return bounded_schema


def _subschemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema object inside a schema (the values of properties, $defs, items …)."""
    if isinstance(node, list):
        for item in node:
            yield from _subschemas(item)
        return
    if not isinstance(node, dict):
        return
    yield node
    for key, value in node.items():
        if key in ("properties", "$defs", "patternProperties", "dependentSchemas"):
            for child in value.values():
                yield from _subschemas(child)
        elif key not in ("enum", "const", "examples", "default", "required"):
            yield from _subschemas(value)


def _unique_items(
    validator: Any, unique: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """uniqueItems in linear time (jsonschema compares mixed lists pairwise)."""
    if not unique or not isinstance(instance, list):
        return
    seen: set[str] = set()
    for item in instance:
        key = json.dumps(_canonical(item), sort_keys=True)
        if key in seen:
            yield ValidationError(f"{item!r} förekommer flera gånger")
            return
        seen.add(key)


def _canonical(value: Any) -> Any:
    """A JSON-able form in which equal JSON values are equal (1 == 1.0, but not True)."""
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int | float):
        return ["number", int(value) if float(value).is_integer() else value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def _years(validator: Any, years: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """A date (already of the right form) in a year between the two given."""
    dated = isinstance(instance, str) and re.fullmatch(r"[0-9]{4}-.*", instance, re.S)
    if dated and not years[0] <= int(instance[:4]) <= years[1]:
        yield ValidationError(f"{instance} ligger utanför åren {years[0]}–{years[1]}")


def _is_integer(checker: Any, instance: Any) -> bool:
    """Only a whole number written without a decimal point: 33486.0 is not a population."""
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator = extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator,
    validators={"uniqueItems": _unique_items, "x-years": _years},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@cache
def _validator() -> Any:
    return _Validator(
        bounded(load_schema()), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def validate(spec: Spec) -> list[Issue]:
    """All schema and form problems of one spec, sorted by place."""
    issues = list(dict.fromkeys(schema_issues(spec)))  # code "schema"
    if not issues:
        issues.extend(consistency.check(spec))
        issues.extend(fields.check(spec))
    issues.extend(consistency.personnummer(spec))  # whatever else is wrong
    return sorted(issues, key=lambda i: i.sort_key)


def schema_issues(spec: Spec) -> Iterable[Issue]:
    """Translate every JSON Schema error into a Swedish message at its place."""
    # A hostile list can break a rule in every one of its items: the first errors are
    # enough to act on, and reading them all would take as long as the list is.
    errors = list(itertools.islice(_validator().iter_errors(dict(spec.data)), MAX_ERRORS))
    # A date in the wrong form breaks both its pattern and its format: say it once.
    formats = {tuple(e.absolute_path) for e in errors if e.validator == "format"}
    # A missing value breaks both its type and its list of allowed values: say it once.
    missing = {
        tuple(e.absolute_path) for e in errors if e.validator == "type" and e.instance is None
    }
    for error in errors:
        if error.validator == "pattern" and tuple(error.absolute_path) in formats:
            continue
        if error.validator == "enum" and tuple(error.absolute_path) in missing:
            continue
        yield from _translate(spec, error)


def _schema(error: ValidationError) -> dict[str, Any]:
    """The failing schema as a dict (jsonschema types it loosely)."""
    return error.schema if isinstance(error.schema, dict) else {}


def _value(error: ValidationError) -> Any:
    """The failing keyword's value (jsonschema types it loosely)."""
    return error.validator_value


def _instance(error: ValidationError) -> Any:
    """The failing value (jsonschema types it loosely)."""
    return error.instance


def _pointer(error: ValidationError) -> str:
    return "".join(f"/{escape_pointer(p)}" for p in error.absolute_path)


_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str, "array": list, "object": dict, "boolean": bool, "integer": int
}


def _form_errors(error: ValidationError) -> list[ValidationError]:
    """For a field of several forms (text or a list) whose value has exactly one form's
    type, that form's own errors: a wrong word in an item of the list, not ”ska vara
    text eller en lista, inte en lista”."""
    if error.validator != "anyOf":
        return []
    forms = [resolve(o).get("type") for o in _value(error)]
    fitting = [
        i for i, form in enumerate(forms)
        if isinstance(form, str) and isinstance(error.instance, _JSON_TYPES.get(form, ()))
    ]
    if len(fitting) != 1:
        return []
    return [e for e in error.context or [] if e.relative_schema_path[0] == fitting[0]]


def _translate(spec: Spec, error: ValidationError) -> Iterable[Issue]:
    own = _form_errors(error)
    if own:
        for inner in own:
            yield from _translate(spec, inner)
        return
    pointer = _pointer(error)
    if error.validator == "additionalProperties":
        yield from _unknown_fields(spec, error, pointer)
        return
    if error.validator == "required":
        yield from _missing_fields(spec, error, pointer)
        return
    if error.validator == "type":
        yield Issue(spec.locate(pointer), _type(error, written=spec.literals.get(pointer)))
        return
    handler = _HANDLERS.get(str(error.validator), _fallback)
    yield Issue(spec.locate(pointer), handler(error))


def _unknown_fields(spec: Spec, error: ValidationError, pointer: str) -> Iterable[Issue]:
    allowed = sorted(_schema(error).get("properties", {}))
    for name in sorted(set(_instance(error)) - set(allowed)):
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"menade du ”{close[0]}”? " if close else ""
        elsewhere = _kinds_with(name) if pointer == "" else []
        if elsewhere and not close:
            hint = (
                f"fältet finns bara i avtalstypen {' och '.join(elsewhere)}, inte i "
                f"”{spec.data.get('kind')}”; "
            )
        where = f"{pointer}/{escape_pointer(name)}"
        yield Issue(
            spec.locate(where, key=True),
            f"okänt fält ”{name}”; {hint}tillåtna fält här: {', '.join(allowed)}",
        )


def _kinds_with(name: str) -> list[str]:
    """The kinds of agreement whose top level has a field of this name."""
    kinds = load_schema()["properties"]["kind"]["enum"]
    return [k for k in kinds if name in load_schema()["$defs"][k]["properties"]]


def _missing_fields(spec: Spec, error: ValidationError, pointer: str) -> Iterable[Issue]:
    properties = _schema(error).get("properties", {})
    if not set(_value(error)) <= set(properties):
        properties = _conditional_owner(error) or properties
    for name in _value(error):
        if name in _instance(error):
            continue
        about = describe(properties.get(name, {}))
        yield Issue(
            spec.locate(f"{pointer}/{escape_pointer(name)}"),
            f"fältet ”{name}” saknas" + (f" ({about})" if about else ""),
        )


def _conditional_owner(error: ValidationError) -> dict[str, Any]:
    """The properties beside an if/then/else whose branch required the fields (a party
    written whole must have its name; one given by ref takes it from the registry)."""
    path = list(error.absolute_schema_path)[:-1]
    branch = max((i for i, token in enumerate(path) if token in ("then", "else")), default=-1)
    if branch < 0:
        return {}
    try:
        owner = node_at(path[:branch])  # the fields as the owner describes them
        return dict(node_at(path[branch + 1:], start=owner).get("properties", {}))
    except (KeyError, IndexError, TypeError):
        return {}  # no description then, the message stands without it


def _about(error: ValidationError) -> str:
    """Title and description of the field an error concerns."""
    path = list(error.absolute_schema_path)[:-1]
    return describe(field_at(path) or error.schema)


def _type(error: ValidationError, *, written: str | None = None) -> str:
    """`written` is the value as it stands in the file: 1.10, not the float 1.1."""
    expected = _value(error)
    names = [TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)]
    wanted = " eller ".join(names)
    if error.instance is None:
        allowed = _schema(error).get("enum")
        if allowed:
            wanted = "ett av: " + ", ".join(str(v) for v in allowed)
        elif _schema(error).get("format") == "date":
            wanted = "ett datum i formen ÅÅÅÅ-MM-DD"
        return f"värde saknas; skriv {wanted}. {_about(error)}".strip()
    shown = written or _show(error.instance)
    numeric = {"integer", "number"} & set([expected] if isinstance(expected, str) else expected)
    if numeric and isinstance(error.instance, str):
        return (
            f"ska vara {wanted}, inte {shown}; skriv talet med siffrorna 0–9 utan citattecken, "
            "inledande nolla, kolon, exponent eller prefix som 0x (t.ex. 30)"
        )
    if expected == "integer" and isinstance(error.instance, float):
        return f"ska vara ett heltal, inte {shown}; skriv talet utan decimaler"
    if expected == "string" and isinstance(error.instance, bool):
        # Quoting true would print the word "true" in the document: ask for the text.
        return (
            f"ska vara {wanted}, inte {shown}; skriv med egna ord vad som gäller, "
            f"så som det ska stå i dokumentet. {_about(error)}"
        ).strip()
    if expected == "string" and isinstance(error.instance, int | float):
        return f'ska vara {wanted}; sätt värdet inom citattecken, t.ex. "{_quoted(error, shown)}"'
    return f"ska vara {wanted}, inte {shown}. {_about(error)}".strip()


def _quoted(error: ValidationError, shown: str) -> str:
    """The value as written, if quoting it is enough; otherwise the field's example."""
    pattern = _schema(error).get("pattern")
    if pattern is None or re.search(pattern, shown):
        return shown
    digits = str(error.instance)
    example = str((_schema(error).get("examples") or [shown])[0])
    if re.fullmatch(r"\d{6}-\d{4}", example) and re.fullmatch(r"\d{10}", digits):
        return f"{digits[:6]}-{digits[6:]}"  # an organisation number without its dash
    return example


def _enum(error: ValidationError) -> str:
    allowed = [str(v) for v in _value(error)]
    close = difflib.get_close_matches(str(error.instance), allowed, n=1)
    hint = f" Menade du ”{close[0]}”?" if close else ""
    return f"{_show(error.instance)} är inte tillåtet; skriv ett av: {', '.join(allowed)}.{hint}"


def _one_of(error: ValidationError) -> str:
    options = [" och ".join(resolve(o).get("required", [])) for o in _value(error)]
    names = ", ".join(f"”{o}”" for o in options if o)
    return f"ange exakt ett av fälten {names}"


def _any_of(error: ValidationError) -> str:
    """A field that may take several forms (text or a list): name the forms."""
    forms = [str(resolve(o).get("type", "")) for o in _value(error)]
    wanted = " eller ".join(TYPE_NAMES.get(f, f) for f in forms if f)
    shown = next(
        (
            TYPE_NAMES[k]
            for k, kind in (("object", dict), ("array", list))
            if isinstance(error.instance, kind)
        ),
        _show(error.instance),
    )
    return f"ska vara {wanted}, inte {shown}. {_about(error)}".strip()


def _pattern(error: ValidationError) -> str:
    """A value of the wrong form; for an id (a party's, an organ's), the id it most
    likely means."""
    pattern = re.sub(r"\\Z$", "$", str(_schema(error).get("pattern", "")))  # as loaded
    meant = as_id(str(error.instance))
    if pattern == ID_PATTERN and meant and meant != error.instance:
        return (f"{_show(error.instance)} har fel form: ett id skrivs med små bokstäver a–z "
                f"utan å, ä och ö, siffror och bindestreck; skriv troligen ”{meant}”. "
                f"{_about(error)}").strip()
    return f"{_show(error.instance)} har fel form. {_about(error)}"


def _format(error: ValidationError) -> str:
    found = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", str(error.instance))
    if found:
        year, month, day = (int(part) for part in found.groups())
        return (f"{_show(error.instance)} är inget giltigt datum: den dagen finns inte i "
                f"kalendern; {_calendar_hint(year, month, day)}")
    return f"{_show(error.instance)} är inget giltigt datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-01-01"


def _calendar_hint(year: int, month: int, day: int) -> str:
    """What to write instead of a date of the right form that is not in the calendar."""
    if year < 1:
        return "året skrivs med fyra siffror från 0001"
    if not 1 <= month <= 12:
        return f"månaden (MM) ska vara 01–12, inte {month:02d}"
    days = calendar.monthrange(year, month)[1]
    return f"månaden {year:04d}-{month:02d} har dagarna 01–{days:02d}, inte {day:02d}"


def _fallback(error: ValidationError) -> str:
    return f"{error.message}. {_about(error)}".strip()


def _show(value: Any) -> str:
    """A value as the spec's author wrote it: YAML's true/false, a list or map as JSON."""
    if isinstance(value, str):
        text = f"”{value}”".replace("\n", "\\n")
    elif isinstance(value, bool | dict | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def _limit(word: str) -> Callable[[ValidationError], str]:
    def message(error: ValidationError) -> str:
        return f"ska vara {word} {_value(error)}, inte {_show(error.instance)}"

    return message


_HANDLERS: dict[str, Callable[[ValidationError], str]] = {
    "enum": _enum,
    "const": lambda e: f"ska vara ”{_value(e)}”",
    "oneOf": _one_of,
    "anyOf": lambda e: _any_of(e),
    "pattern": _pattern,
    "format": _format,
    "minItems": lambda e: (
        f"listan ska ha minst {_value(e)} {'punkt' if _value(e) == 1 else 'punkter'}"
    ),
    "minProperties": lambda e: (
        "får inte vara tomt; fyll i minst ett av fälten "
        + ", ".join(_schema(e).get("properties", {}))
    ),
    "minLength": lambda e: f"får inte vara tomt. {_about(e)}",
    "maxLength": lambda e: (
        f"får vara högst {_grouped(_value(e))} tecken, inte {_grouped(len(_instance(e)))}"
    ),
    "maxItems": lambda e: (
        f"listan får ha högst {_grouped(_value(e))} punkter, inte {_grouped(len(_instance(e)))}"
    ),
    "minimum": _limit("minst"),
    "maximum": _limit("högst"),
    "uniqueItems": lambda e: "samma värde står flera gånger i listan; ta bort dubbletten",
    "x-years": lambda e: (
        f"{_show(e.instance)} ligger utanför åren {_value(e)[0]}–{_value(e)[1]}; "
        "kontrollera årtalet"
    ),
}
