"""The party registry: parties/<id>.yaml, each party written once and referenced from
specs by id.

A spec's party `{ref: taby, roles: [...], decision: {...}}` becomes the registry's party
with the spec's own keys added, or replacing the registry's key of the same name. Every
value keeps its place: one from the registry is located in the party file.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import SpecError, shown
from .reader import read_limited

# A party id -> the party file's bytes and the name it has in messages, or None.
PartySource = Callable[[str], tuple[bytes, str] | None]
Parse = Callable[[bytes, str], Any]  # load.parse_spec without a registry
ID_PATTERN = "^[a-z0-9][a-z0-9-]*$"  # the schema's pattern of an id
_ID = re.compile(ID_PATTERN)
PARTIES = "parties"


@dataclass(frozen=True)
class FolderRegistry:
    """The party files of a folder in the working tree: parties/<id>.yaml. Messages
    name a party file as the user would write it (relative to the working directory)."""

    folder: Path

    def __call__(self, party_id: str) -> tuple[bytes, str] | None:
        """The party file's bytes and its name in messages, or None when there is none;
        read through the capped reader, so a party file that is a link, a device or too
        large is an error naming it."""
        path = shown(self.folder) / f"{party_id}.yaml"
        if not (path.exists() or path.is_symlink()):
            return None
        return read_limited(path), str(path)

    def ids(self) -> list[str]:
        """The ids of the party files in the folder."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.yaml") if _ID.match(p.stem))


def as_id(text: str) -> str:
    """The id a name or a mistyped id most likely means: small letters a–z without
    accents (å, ä → a; ö → o), digits, and hyphens for spaces ("Stensjö" -> "stensjo")."""
    plain = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", plain)).strip("-")


def _unknown(ref: str, source: PartySource | None) -> str:
    """What to write instead of a party id the registry lacks: the closest id it has,
    and (when few) all of them."""
    known = source.ids() if isinstance(source, FolderRegistry) else []
    close = difflib.get_close_matches(ref, known, n=1, cutoff=0.7)
    hint = f" Menade du ”{close[0]}”?" if close else ""
    listed = f" Registret har {', '.join(known)}." if known and len(known) <= 20 else ""
    return (f"parten ”{ref}” finns inte i partsregistret; skapa {PARTIES}/{ref}.yaml "
            f"eller rätta ref.{hint}{listed}")


def folder_source(folder: Path) -> PartySource:
    """Party files read from a folder of the working tree."""
    return FolderRegistry(folder)


def references(data: Mapping[str, Any]) -> set[str]:
    """The party ids a spec's data refers to."""
    parties = data.get("parties")
    if not isinstance(parties, list):
        return set()
    return {p["ref"] for p in parties if isinstance(p, dict) and isinstance(p.get("ref"), str)}


def resolve(spec: Any, source: PartySource | None, parse: Parse) -> Any:
    """The spec with every party reference replaced by the registry's party and the
    spec's own additions; positions of registry values point into the party file."""
    parties = spec.data.get("parties")
    if not isinstance(parties, list) or not references(spec.data):
        return spec
    merged: list[Any] = []
    positions = dict(spec.positions)
    key_positions = dict(spec.key_positions)
    literals = dict(spec.literals)
    files = dict(spec.files)
    sources = list(spec.sources)
    for index, item in enumerate(parties):
        if not (isinstance(item, dict) and "ref" in item):
            merged.append(item)
            continue
        at = f"/parties/{index}"
        party = _read_party(spec, at, item["ref"], source, parse)
        own = {k: v for k, v in item.items() if k != "ref"}
        combined, kept = combine(party.data, own)
        merged.append({**combined, "id": item["ref"]})
        sources.append((party.path, party.text))
        for table, theirs in (
            (positions, party.positions),
            (key_positions, party.key_positions),
            (literals, party.literals),
        ):
            table.update(_moved(theirs, at, kept))
        files.update(dict.fromkeys(_moved(party.positions, at, kept), party.path))
    data = {**spec.data, "parties": merged}
    return replace(
        spec,
        data=data,
        positions=positions,
        key_positions=key_positions,
        literals=literals,
        files=files,
        sources=tuple(sources),
    )


def combine(
    registry: Mapping[str, Any], own: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The registry's party with the spec's keys, and where each registry value that is
    kept ends up (pointer in the party file -> pointer in the party).

    A spec key replaces the registry's, except a list of items with ids (organs): the
    spec's list names the items this agreement has, each the registry's item of that id
    with the spec's keys added (an organ's name from the registry, its responsibility in
    this agreement from the spec)."""
    combined = {**registry, **own}
    kept: dict[str, str] = {}
    for key, value in registry.items():
        if key not in own:
            kept[f"/{key}"] = f"/{key}"
        elif _with_ids(value) and _with_ids(own[key]):
            combined[key], moves = _by_id(value, own[key])
            kept.update({f"/{key}{a}": f"/{key}{b}" for a, b in moves.items()})
    return combined, kept


def _with_ids(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(i, dict) and "id" in i for i in value)


def _by_id(
    registry: list[dict[str, Any]], own: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    index = {item["id"]: (number, item) for number, item in enumerate(registry)}
    items: list[dict[str, Any]] = []
    moves: dict[str, str] = {}
    for number, item in enumerate(own):
        found, base = index.get(item["id"], (None, {}))
        items.append({**base, **item})
        for key in base if found is not None else ():
            if key not in item:
                moves[f"/{found}/{key}"] = f"/{number}/{key}"
    return items, moves


def _moved(table: Mapping[str, Any], at: str, kept: Mapping[str, str]) -> dict[str, Any]:
    """A party file's table for the values kept, their pointers moved under `at`."""
    moved: dict[str, Any] = {}
    for pointer, value in table.items():
        for source, target in kept.items():
            if pointer == source or pointer.startswith(source + "/"):
                moved[at + target + pointer[len(source) :]] = value
                break
    return moved


def _read_party(spec: Any, at: str, ref: Any, source: PartySource | None, parse: Parse) -> Any:
    where = spec.locate(f"{at}/ref")
    if not isinstance(ref, str) or not _ID.match(ref):
        meant = as_id(ref) if isinstance(ref, str) else ""
        raise SpecError(
            "ref ska vara en parts id ur partsregistret (små bokstäver a–z utan å, ä och ö, "
            "siffror och bindestreck), "
            + (f"här troligen ref: {meant}" if meant else "t.ex. ref: taby"),
            where,
        )
    found = source(ref) if source is not None else None
    if found is None:
        raise SpecError(_unknown(ref, source), where)
    party = parse(*found)
    if not isinstance(party.data, dict) or party.data.get("id", ref) != ref:
        raise SpecError(
            f"partsfilen heter {ref}.yaml men har id ”{party.data.get('id')}”; id ska vara "
            "filens namn (eller utelämnas)",
            party.locate("/id"),
        )
    if "ref" in party.data:
        raise SpecError("en partsfil kan inte hänvisa till en annan part; ta bort ref",
                        party.locate("/ref"))
    return party
