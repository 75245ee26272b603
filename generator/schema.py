"""The agreement JSON Schema: where it lives, and how to read its parts."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from .errors import EnvironmentProblem
from .resources import schema_path

SCHEMA_PATH = schema_path()


@cache
def load_schema() -> dict[str, Any]:
    """The agreement schema as data; a missing schema is an installation problem."""
    try:
        data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    except OSError as err:
        raise EnvironmentProblem(
            f"schemat saknas ({SCHEMA_PATH}); installera om avtal med pip install avtal "
            "(eller pip install -e . i en utcheckning)"
        ) from err
    return data


def target(ref: str) -> Any:
    """The schema fragment a local `$ref` such as `#/$defs/party` points at."""
    node: Any = load_schema()
    for token in ref.lstrip("#/").split("/"):
        node = node[token]
    return node


def field_at(schema_path: list[str | int]) -> dict[str, Any]:
    """The innermost named property on a path through the schema (for its title)."""
    node: Any = load_schema()
    field: dict[str, Any] = {}
    previous: str | int | None = None
    for token in schema_path:
        while isinstance(node, dict) and token not in node and "$ref" in node:
            node = target(node["$ref"])  # jsonschema leaves $ref out of its paths
        node = node[token]
        if previous == "properties" and isinstance(node, dict):
            field = node
        previous = token
    return field


def node_at(schema_path: list[str | int], start: Any = None) -> dict[str, Any]:
    """The schema fragment at a path as jsonschema gives it (through $ref links), from
    the root or from `start`."""
    node: Any = load_schema() if start is None else start
    for token in schema_path:
        while isinstance(node, dict) and token not in node and "$ref" in node:
            node = target(node["$ref"])
        node = node[token]
    return resolve(node)


def resolve(fragment: Any) -> dict[str, Any]:
    """Follow local $ref links until a schema fragment with content is reached."""
    seen = 0
    while isinstance(fragment, dict) and "$ref" in fragment and seen < 20:
        pointed = target(fragment["$ref"])
        fragment = {**pointed, **{k: v for k, v in fragment.items() if k != "$ref"}}
        if "$ref" in pointed:
            fragment["$ref"] = pointed["$ref"]
        seen += 1
    return fragment if isinstance(fragment, dict) else {}


def describe(fragment: Any) -> str:
    """A field's Swedish title and description, for messages that say what to write."""
    resolved = resolve(fragment)
    title = resolved.get("title", "")
    text = resolved.get("description", "")
    return f"{title}: {text}" if title and text else title or text
