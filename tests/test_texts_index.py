"""The rules' texts come from one walk over a spec while they run (prosa.indexed): each
place gives what the walk from that place gives, in the same order, wherever a rule
may point; and a rule that reads the texts sees the same texts either way."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from buildkit import ROOT, read_spec, spec_paths

from generator.load import walk
from generator.rules import prosa, run_rules

FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("fresh-*.yaml"))


def slow(data: Any, pointer: str) -> list[tuple[str, str]]:
    """`texts` without an index."""
    return list(prosa.texts(data, pointer))


def places(data: Any) -> list[str]:
    """Every place of the data, and the ways of writing one that value_at reads alike
    or not at all: a leading zero, a doubled or a closing slash, an escaped key."""
    found = [pointer for pointer, _ in walk(data)]
    return [*found, "/", "/parties/01", "/parties//0", "/parties/0/", "/a~1b", "/nowhere"]


@pytest.mark.parametrize("path", [*spec_paths(), *FIXTURES], ids=lambda p: Path(p).stem)
def test_every_place_gives_what_the_walk_gives(path: Path) -> None:
    data = read_spec(path).data
    expected = {pointer: slow(data, pointer) for pointer in places(data)}
    with prosa.indexed(data):
        got = {pointer: list(prosa.texts(data, pointer)) for pointer in places(data)}
        other = {"parties": [{"name": "En annan"}]}
        assert list(prosa.texts(other, "/parties")) == [("/parties/0/name", "En annan")]
    assert got == expected


def test_keys_the_pointer_cannot_name_are_read_the_slow_way() -> None:
    """A key with a slash, a tilde, no text or a number is written escaped (or as text)
    in the pointers, which value_at does not read back: the place is found as before."""
    data = {"a/b": {"c": "ett"}, "a~b": "två", "": "tre", 7: "fyra", "d": ["fem", {"e": "sex"}]}
    with prosa.indexed(data):
        got = {pointer: list(prosa.texts(data, pointer)) for pointer in places(data)}
    assert got == {pointer: slow(data, pointer) for pointer in places(data)}
    assert got["/d/1"] == [("/d/1/e", "sex")]


def test_the_index_ends_with_its_block() -> None:
    data = {"a": "ett"}
    with prosa.indexed(data):
        data["b"] = "två"  # changed while indexed: not seen (the rules change nothing)
        assert list(prosa.texts(data, "")) == [("/a", "ett")]
    assert list(prosa.texts(data, "")) == [("/a", "ett"), ("/b", "två")]


@pytest.mark.parametrize("path", FIXTURES[:2], ids=lambda p: Path(p).stem)
def test_the_rules_find_the_same_with_the_index(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = read_spec(path)
    indexed = run_rules(spec)
    monkeypatch.setattr(prosa, "indexed", lambda data: contextlib.nullcontext())
    assert run_rules(spec) == indexed
