"""Read a YAML spec into plain data, with the line and column of every JSON pointer.

Only safe YAML is read. Dates stay text (the schema checks their form), and only
`true`/`false` are booleans: in a contract, `no` is a word, not a value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, SpecError

MAX_BYTES = 1_048_576
MAX_NODES = 100_000

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _SpecLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1 surprises: no timestamps, no yes/no/on/off."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SpecLoader.add_implicit_resolver(
    _BOOL_TAG, yaml.resolver.re.compile(r"^(?:true|false)$"), list("tf")
)


@dataclass(frozen=True)
class Spec:
    """A spec as read from disk: its data and where each value stands in the file."""

    path: str
    data: Mapping[str, Any]
    text: str
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    key_positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        """The place of a JSON pointer, or of its nearest ancestor present in the file."""
        table = self.key_positions if key and pointer in self.key_positions else self.positions
        probe = pointer
        while probe not in table and probe:
            probe = probe.rsplit("/", 1)[0]
        line, column = table.get(probe, (1, 1))
        return Location(self.path, line, column, pointer)


def escape_pointer(token: str | int) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def load_spec(path: Path | str) -> Spec:
    """Read one spec file; raise SpecError with file, line and column on bad input."""
    name = str(path)
    raw = _read_bytes(Path(path), name)
    text = _decode(raw, name)
    root = _compose(text, name)
    walker = _Walker(name)
    data = walker.build(root, "")
    if not isinstance(data, dict):
        raise SpecError(
            "avtalet ska vara en samling fält (id:, title:, kind: …), inte ett enstaka värde",
            Location(name, 1, 1, ""),
        )
    return Spec(name, data, text, walker.positions, walker.key_positions)


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SpecError(
                f"filen är {size} byte; en avtalsspecifikation får vara högst {MAX_BYTES} byte. "
                "Dela upp texten eller flytta långa bilagor till egna filer.",
                Location(name),
            )
        return path.read_bytes()
    except OSError as err:
        raise SpecError(f"filen kan inte läsas: {err.strerror}", Location(name)) from err


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise SpecError(
            f"filen är inte UTF-8 (byte 0x{raw[err.start]:02x}). Spara filen som UTF-8; "
            "de flesta redigerare har det valet under ”Spara som”.",
            Location(name, line, column),
        ) from err


def _compose(text: str, name: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=_SpecLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SpecError(_yaml_message(err), Location(name, line, column)) from err
    except yaml.YAMLError as err:
        raise SpecError(f"YAML-fel: {err}", Location(name, 1, 1)) from err
    if node is None:
        raise SpecError("filen är tom; börja med id:, title: och kind:", Location(name, 1, 1))
    return node


def _yaml_message(err: yaml.MarkedYAMLError) -> str:
    problem = err.problem or ""
    if "'\\t'" in problem:
        return "tabbtecken kan inte användas för indrag i YAML; använd mellanslag"
    if "expected a single document" in (err.context or "") + problem:
        return "filen innehåller flera dokument (---); en fil ska innehålla ett avtal"
    if "mapping values are not allowed" in problem:
        return (
            "kolon på fel ställe: sätt texten inom citattecken om den innehåller ”: ”, "
            "eller kontrollera indraget"
        )
    if "could not find expected ':'" in problem:
        return "här saknas ett kolon efter fältnamnet, eller så är indraget fel"
    if "found undefined alias" in problem or "found undefined anchor" in problem:
        return "hänvisningen (*namn) saknar motsvarande ankare (&namn)"
    return f"YAML-syntaxfel: {problem or err.context}; kontrollera indrag och citattecken"


class _Walker:
    """Turn a composed YAML node tree into data, recording positions and limits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.positions: dict[str, tuple[int, int]] = {}
        self.key_positions: dict[str, tuple[int, int]] = {}
        self._scalars = _SpecLoader("")

    def build(self, node: yaml.Node, pointer: str) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise SpecError(
                f"filen expanderar till fler än {MAX_NODES} värden (troligen ankare och "
                "hänvisningar som upprepar varandra); skriv ut innehållet utan hänvisningar",
                self._at(node, pointer),
            )
        self.positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return dict(self._pairs(node, pointer))
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, f"{pointer}/{i}") for i, item in enumerate(node.value)]
        return self._scalar(node, pointer)

    def _pairs(self, node: yaml.MappingNode, pointer: str) -> Iterator[tuple[str, Any]]:
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, pointer)
            child = f"{pointer}/{escape_pointer(key)}"
            if key in seen:
                raise SpecError(
                    f"fältet ”{key}” förekommer två gånger (första gången på rad {seen[key]}); "
                    "ta bort det ena, annars gäller tyst bara det sista värdet",
                    self._at(key_node, child),
                )
            seen[key] = key_node.start_mark.line + 1
            self.key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            yield key, self.build(value_node, child)

    def _key(self, node: yaml.Node, pointer: str) -> str:
        if node.tag == "tag:yaml.org,2002:merge":
            raise SpecError(
                "sammanslagning med << stöds inte; skriv ut fälten där de behövs",
                self._at(node, pointer),
            )
        if not isinstance(node, yaml.ScalarNode):
            raise SpecError("ett fältnamn ska vara en enkel text", self._at(node, pointer))
        return str(node.value)

    def _scalar(self, node: yaml.Node, pointer: str) -> Any:
        if not isinstance(node, yaml.ScalarNode) or not node.tag.startswith("tag:yaml.org,2002:"):
            raise SpecError(
                f"YAML-taggen {node.tag} stöds inte; skriv värdet som vanlig text eller tal",
                self._at(node, pointer),
            )
        try:
            return self._scalars.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            raise SpecError(f"värdet kan inte läsas: {err}", self._at(node, pointer)) from err

    def _at(self, node: yaml.Node, pointer: str) -> Location:
        return Location(self.name, node.start_mark.line + 1, node.start_mark.column + 1, pointer)


def find_specs(paths: list[Path]) -> list[Path]:
    """Spec files named directly or found in folders (*.yaml, *.yml), in sorted order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(str(path))
    return found
