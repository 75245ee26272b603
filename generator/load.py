"""Read a YAML spec into plain data, with the line and column of every JSON pointer.

Only safe YAML is read. Dates stay text (the schema checks their form), and only
`true`/`false` are booleans: in a contract, `no` is a word, not a value. Numbers are
plain decimals only (`30`, `-2`, `12.5`): YAML 1.1 reads `030` as 24, `1:30` as 90 and
`0x10` as 16, so such words stay text and the schema says where a number was meant.
Control characters, lone surrogates and line separators are refused with their line.
Only regular files are read, and never more than MAX_BYTES of them.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .errors import Location, SpecError
from .parties import PartySource, references, resolve
from .reader import MAX_BYTES as MAX_BYTES
from .reader import grouped as _grouped
from .reader import read_limited as read_limited
from .reader import refuse_forbidden, refuse_mixed_scripts

MAX_NODES = 100_000
MAX_DEPTH = 100

_YAML_TAG = "tag:yaml.org,2002:"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_VALUE_TAG = "tag:yaml.org,2002:value"
# The only tags a spec may carry: plain data. Anything else (!!python/…, !!set,
# !!timestamp, !custom) is rejected before any constructor runs.
_SCALAR_TAGS = frozenset(_YAML_TAG + t for t in ("str", "int", "float", "bool", "null"))
_NODE_TAGS = {yaml.MappingNode: _YAML_TAG + "map", yaml.SequenceNode: _YAML_TAG + "seq"}


class _SpecLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1 surprises: no timestamps, no yes/no/on/off, no `=`."""


_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_DROPPED = (_BOOL_TAG, _TIMESTAMP_TAG, _VALUE_TAG, _INT_TAG, _FLOAT_TAG)
_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SpecLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|false)$"), list("tf"))
# Decimal numbers only: no leading zero, sign +, underscore, exponent, base or colon.
DECIMAL_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_SpecLoader.add_implicit_resolver(
    _INT_TAG, re.compile(f"^{DECIMAL_INT.pattern}$"), list("-0123456789")
)
_SpecLoader.add_implicit_resolver(
    _FLOAT_TAG, re.compile(f"^{DECIMAL.pattern}$"), list("-0123456789")
)


def _fast_loader() -> Any:
    """_SpecLoader's reading, seven times faster, or None without libyaml.

    libyaml scans and parses (its parser keeps no call stack, so deep nesting cannot
    crash it) and PyYAML's own composer builds the nodes, with the same tags, values
    and positions. Any error is left to _SpecLoader, whose messages the user sees.
    """
    try:
        from yaml._yaml import CParser
    except ImportError:
        return None

    class Fast(yaml.composer.Composer, CParser, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    Fast.yaml_implicit_resolvers = _SpecLoader.yaml_implicit_resolvers
    return Fast


_FAST_LOADER = _fast_loader()


@dataclass(frozen=True)
class Spec:
    """A spec as read from disk: its data and where each value stands in the file."""

    path: str
    data: Mapping[str, Any]
    text: str
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    key_positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # The text as written of every value read as a number, boolean or null.
    literals: Mapping[str, str] = field(default_factory=dict)
    # Values merged in from the party registry: pointer -> the party file they stand in.
    files: Mapping[str, str] = field(default_factory=dict)
    # The party files merged in, as (name, text): the documents are made from them too.
    sources: tuple[tuple[str, str], ...] = ()
    # Places found, by pointer: each sentence of every document asks for its fields'.
    _located: dict[tuple[str, bool], Location] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        """The place of a JSON pointer, or of its nearest ancestor present in the file
        (a party file for a value that comes from the party registry)."""
        found = self._located.get((pointer, key))
        if found is None:
            found = self._located[pointer, key] = self._place(pointer, key)
        return found

    def _place(self, pointer: str, key: bool) -> Location:
        table = self.key_positions if key and pointer in self.key_positions else self.positions
        probe = pointer
        while probe not in table and probe:
            probe = probe.rsplit("/", 1)[0]
        line, column = table.get(probe, (1, 1))
        return Location(self.files.get(probe, self.path), line, column, pointer)

    @property
    def content(self) -> bytes:
        """The spec's text with the party files merged into it, for the build hash."""
        parts = [self.text, *(f"\0{name}\0{text}" for name, text in self.sources)]
        return "".join(parts).encode()


def pointer_pattern(patterns: Iterable[str]) -> re.Pattern[str]:
    """JSON pointers with `*` for any one step (a list index), as one pattern: its
    `fullmatch` tells whether a concrete pointer is an instance of any of them."""
    return re.compile(
        "|".join(
            "/".join("[^/]*" if step == "*" else re.escape(step) for step in p.split("/"))
            for p in patterns
        )
    )


@lru_cache(maxsize=4096, typed=True)  # for every field a template reads
def escape_pointer(token: str | int) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def walk(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every value in spec data with its JSON pointer, parents before children."""
    yield pointer, value
    if isinstance(value, Mapping):
        for key, child in value.items():
            yield from walk(child, f"{pointer}/{escape_pointer(key)}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, f"{pointer}/{index}")


def load_spec(path: Path | str, *, parties: PartySource | None = None) -> Spec:
    """Read one spec file, its party references resolved through the registry `parties`
    it is given (without one, a reference is an error); SpecError with file, line and
    column on bad input. Where the file lies says nothing of its repository: a copy in
    a temporary folder (git's textconv) reads as the original."""
    name = str(path)
    return parse_spec(_read_bytes(Path(path), name), name, parties=parties)


def parse_spec(raw: bytes, name: str, *, parties: PartySource | None = None) -> Spec:
    """Parse spec bytes (from a file or a git revision) named `name` in messages; party
    references are resolved through `parties` (without it, a reference is an error)."""
    resolved: Spec = resolve(_parse_one(raw, name), parties, parse_party)
    return resolved


def party_references(raw: bytes, name: str) -> set[str]:
    """The party ids a spec's bytes refer to (the registry is not read)."""
    return references(_parse_one(raw, name).data)


# (empty file, not a mapping) for a spec (False) and a party file (True)
_SHAPE_ERRORS = {
    False: (
        "filen är tom; börja med id:, title: och kind:",
        "avtalet ska vara en samling fält (id:, title:, kind: …), inte ett enstaka värde",
    ),
    True: (
        "partsfilen är tom; börja med id:, name: och type:",
        "partsfilen ska vara en samling fält (id:, name:, type: …), inte ett enstaka värde",
    ),
}


def parse_party(raw: bytes, name: str) -> Spec:
    """One party file of the registry as a Spec."""
    return _parse_one(raw, name, party=True)


def _parse_one(raw: bytes, name: str, *, party: bool = False) -> Spec:
    """One YAML file (a spec or a party file) as a Spec, references left as they are."""
    empty, not_mapping = _SHAPE_ERRORS[party]
    if len(raw) > MAX_BYTES:
        raise SpecError(
            f"filen är {_grouped(len(raw))} byte; en avtalsspecifikation får vara högst "
            f"{_grouped(MAX_BYTES)} byte.",
            Location(name),
        )
    text = _decode(raw, name)
    refuse_forbidden(text, name)
    root = _compose(text, name, empty=empty)
    walker = _Walker(name)
    data = walker.build(root, "")
    if not isinstance(data, dict):
        raise SpecError(
            not_mapping,
            Location(name, 1, 1, ""),
        )
    return Spec(name, data, text, walker.positions, walker.key_positions, walker.literals)


def _read_bytes(path: Path, name: str) -> bytes:
    return read_limited(path, name)


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        # Count characters, not bytes: å, ä and ö earlier on the line are two bytes each.
        start_of_line = before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")
        column = len(start_of_line.lstrip("\ufeff")) + 1
        raise SpecError(
            f"filen är inte UTF-8 (byte 0x{raw[err.start]:02x}). Spara filen som UTF-8; "
            "de flesta redigerare har det valet under ”Spara som”.",
            Location(name, line, column),
        ) from err


def _compose(text: str, name: str, *, empty: str) -> yaml.Node:
    if _FAST_LOADER is not None:
        with contextlib.suppress(yaml.YAMLError, RecursionError):
            fast: yaml.Node | None = yaml.compose(text, Loader=_FAST_LOADER)
            if fast is not None:
                return fast
    try:
        node = yaml.compose(text, Loader=_SpecLoader)
    except yaml.MarkedYAMLError as err:
        quote = _unclosed_quote(text, err)
        if quote is not None:
            raise SpecError(quote[0], Location(name, *quote[1:])) from err
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SpecError(_yaml_message(err), Location(name, line, column)) from err
    except yaml.reader.ReaderError as err:
        before = text[: err.position]
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        raise SpecError(
            f"filen innehåller ett otillåtet tecken (kod {err.character:#04x}); ta bort det "
            "eller ersätt det med ett vanligt tecken",
            Location(name, line, column),
        ) from err
    except yaml.YAMLError as err:
        raise SpecError(f"YAML-fel: {err}", Location(name, 1, 1)) from err
    except RecursionError as err:
        raise SpecError(
            f"värdena är nästlade i fler än {MAX_DEPTH} nivåer; gör specifikationen plattare",
            Location(name, 1, 1),
        ) from err
    if node is None:
        raise SpecError(empty, Location(name, 1, 1))
    return node


def _unclosed_quote(text: str, err: yaml.MarkedYAMLError) -> tuple[str, int, int] | None:
    """Message and place when a missing closing quote caused the error, else None.

    YAML reports such an error where the parse finally breaks, often many lines below
    the quote, so point at the quote itself.
    """
    if err.context == "while scanning a quoted scalar" and err.context_mark:
        line, column = err.context_mark.line + 1, err.context_mark.column + 1
        return (
            "citattecknet här avslutas aldrig; lägg till det avslutande citattecknet",
            line,
            column,
        )
    problem = err.problem_mark
    if problem is None:
        return None
    try:
        for token in yaml.scan(text, Loader=_SpecLoader):
            start, end = token.start_mark, token.end_mark
            if start.line > problem.line:
                break
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ("'", '"')
            if quoted and start.line < end.line == problem.line:
                return (
                    f"citattecknet här avslutas inte på samma rad, så texten fortsätter till "
                    f"rad {end.line + 1}; lägg till det avslutande citattecknet",
                    start.line + 1,
                    start.column + 1,
                )
    except yaml.YAMLError:
        pass
    return None


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
    if "expected <block end>" in problem or "expected <block mapping start>" in problem:
        return (
            "indraget stämmer inte med raderna ovanför; fält på samma nivå ska ha lika många "
            "mellanslag före sig"
        )
    if "cannot start any token" in problem:
        return "ett värde kan inte börja med det här tecknet; sätt texten inom citattecken"
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
        self.literals: dict[str, str] = {}
        self._open: set[int] = set()  # ids of the mappings and lists being built
        self._scalars = _SpecLoader("")

    def build(self, node: yaml.Node, pointer: str, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise SpecError(
                f"filen expanderar till fler än {_grouped(MAX_NODES)} värden (troligen ankare och "
                "hänvisningar som upprepar varandra); skriv ut innehållet utan hänvisningar",
                self._at(node, pointer),
            )
        self.positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            return self._scalar(node, pointer)
        self._check_nesting(node, pointer, depth)
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return dict(self._pairs(node, pointer, depth + 1))
            return [
                self.build(item, f"{pointer}/{i}", depth + 1) for i, item in enumerate(node.value)
            ]
        finally:
            self._open.discard(id(node))

    def _check_nesting(
        self, node: yaml.MappingNode | yaml.SequenceNode, pointer: str, depth: int
    ) -> None:
        self._check_tag(node, pointer, _NODE_TAGS[type(node)])
        if id(node) in self._open:
            raise SpecError(
                "värdet innehåller sig självt (ett ankare &namn används inuti sitt eget "
                "värde); skriv ut innehållet utan hänvisningen",
                self._at(node, pointer),
            )
        if depth > MAX_DEPTH:
            raise SpecError(
                f"värdena är nästlade i fler än {MAX_DEPTH} nivåer; gör specifikationen plattare",
                self._at(node, pointer),
            )

    def _check_tag(self, node: yaml.Node, pointer: str, *allowed: str) -> None:
        if node.tag not in allowed:
            raise SpecError(
                f"YAML-taggen {_shown_tag(node.tag)} stöds inte; skriv värdet utan tagg",
                self._at(node, pointer),
            )

    def _pairs(self, node: yaml.MappingNode, pointer: str, depth: int) -> Iterator[tuple[str, Any]]:
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
            self.key_positions[child] = (seen[key], key_node.start_mark.column + 1)
            yield key, self.build(value_node, child, depth)

    def _key(self, node: yaml.Node, pointer: str) -> str:
        if node.tag == _MERGE_TAG:
            raise SpecError(
                "sammanslagning med << stöds inte; skriv ut fälten där de behövs",
                self._at(node, pointer),
            )
        if not isinstance(node, yaml.ScalarNode):
            raise SpecError("ett fältnamn ska vara en enkel text", self._at(node, pointer))
        refuse_forbidden(str(node.value), self.name, self._at(node, pointer))
        if any(char in str(node.value) for char in "\t\n\r"):
            raise SpecError(
                "ett fältnamn kan inte innehålla radbrytningar eller tabbtecken; skriv namnet "
                "på en rad",
                self._at(node, pointer),
            )
        return str(node.value)

    def _scalar(self, node: yaml.Node, pointer: str) -> Any:
        if node.tag == _MERGE_TAG:
            return str(node.value)  # a plain << as a value is just text
        self._check_tag(node, pointer, *_SCALAR_TAGS)
        refuse_forbidden(str(node.value), self.name, self._at(node, pointer))
        refuse_mixed_scripts(str(node.value), self._at(node, pointer))
        try:
            value = self._scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError) as err:
            raise SpecError(
                f"värdet ”{node.value}” kan inte läsas som {_shown_tag(node.tag)}; rätta värdet "
                "eller ta bort taggen",
                self._at(node, pointer),
            ) from err
        self._check_number(node, pointer)
        if not isinstance(value, str):
            self.literals[pointer] = str(node.value)
        return value

    def _check_number(self, node: yaml.Node, pointer: str) -> None:
        """A value tagged !!int or !!float must be written as a plain decimal too."""
        text = str(node.value)
        if node.tag == _INT_TAG and not DECIMAL_INT.fullmatch(text):
            wanted = "ett heltal med siffrorna 0–9"
        elif node.tag == _FLOAT_TAG and not (
            DECIMAL_INT.fullmatch(text) or DECIMAL.fullmatch(text)
        ):
            wanted = "ett tal med siffrorna 0–9 och punkt som decimaltecken"
        else:
            return
        raise SpecError(
            f"värdet ”{text}” ska skrivas som {wanted}, utan inledande nolla, plustecken, "
            "understreck, kolon, exponent eller prefix som 0x",
            self._at(node, pointer),
        )

    def _at(self, node: yaml.Node, pointer: str) -> Location:
        return Location(self.name, node.start_mark.line + 1, node.start_mark.column + 1, pointer)


def _shown_tag(tag: str) -> str:
    """A tag as the user wrote it: !!python/object rather than tag:yaml.org,2002:python/object."""
    return "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else tag


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
