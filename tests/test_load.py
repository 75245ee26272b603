"""Unit tests of the spec loader: positions, scalar types, limits and refusals."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator import load
from generator.errors import Location, SpecError
from generator.load import MAX_DEPTH, MAX_NODES, escape_pointer, find_specs, load_spec

FIXTURE = Path(__file__).parent / "fixtures" / "valid.yaml"

NESTED = """\
kind: avtalssamverkan
parties:
  - id: stockholm
    organs:
      - id: socialnamnden
        name: Socialnämnden
    roles: [uppdragstagare, huvudman]
term:
  start: 2026-01-01
purpose: >-
  Flera rader
  text.
"a/b": 1
"c~d": 2
"""


def _write(tmp_path: Path, text: str | bytes, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str | bytes) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_spec(_write(tmp_path, text))
    return info.value


# Positions


@pytest.mark.parametrize(
    ("pointer", "place"),
    [
        ("", (1, 1)),
        ("/kind", (1, 7)),
        ("/parties", (3, 3)),
        ("/parties/0", (3, 5)),
        ("/parties/0/id", (3, 9)),
        ("/parties/0/organs/0/id", (5, 13)),
        ("/parties/0/organs/0/name", (6, 15)),
        ("/parties/0/roles/0", (7, 13)),
        ("/parties/0/roles/1", (7, 29)),
        ("/term/start", (9, 10)),
        ("/purpose", (10, 10)),
        ("/a~1b", (13, 8)),
        ("/c~0d", (14, 8)),
    ],
)
def test_value_positions(tmp_path: Path, pointer: str, place: tuple[int, int]) -> None:
    spec = load_spec(_write(tmp_path, NESTED))
    assert spec.positions[pointer] == place
    assert spec.locate(pointer) == Location(spec.path, *place, pointer)


@pytest.mark.parametrize(
    ("pointer", "place"),
    [
        ("/kind", (1, 1)),
        ("/parties/0/id", (3, 5)),
        ("/parties/0/organs/0/name", (6, 9)),
        ("/term/start", (9, 3)),
        ("/a~1b", (13, 1)),
    ],
)
def test_key_positions(tmp_path: Path, pointer: str, place: tuple[int, int]) -> None:
    spec = load_spec(_write(tmp_path, NESTED))
    assert spec.key_positions[pointer] == place
    assert spec.locate(pointer, key=True) == Location(spec.path, *place, pointer)


def test_locate_falls_back_to_the_nearest_ancestor(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, NESTED))
    # A missing field is reported where its parent stands.
    assert spec.locate("/parties/0/org_nr") == Location(spec.path, 3, 5, "/parties/0/org_nr")
    assert spec.locate("/term/end", key=True) == Location(spec.path, 9, 3, "/term/end")
    assert spec.locate("/title") == Location(spec.path, 1, 1, "/title")


def test_positions_in_the_fixture() -> None:
    spec = load_spec(FIXTURE)
    lines = spec.text.splitlines()
    line, column = spec.positions["/parties/1/org_nr"]
    assert lines[line - 1][column - 1 :] == "232100-0016"
    line, column = spec.positions["/information/records/archive_responsible"]
    assert lines[line - 1][column - 1 :] == "stockholm"
    line, column = spec.key_positions["/economics/model/shares/1/percent"]
    assert lines[line - 1][column - 1 :] == "percent: 70"


def test_positions_with_windows_line_endings(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, NESTED.replace("\n", "\r\n").encode()))
    assert spec.positions["/parties/0/organs/0/name"] == (6, 15)
    assert spec.data["parties"][0]["organs"][0]["name"] == "Socialnämnden"


def test_escape_pointer() -> None:
    assert escape_pointer("a/b") == "a~1b"
    assert escape_pointer("c~d") == "c~0d"
    assert escape_pointer("~/") == "~0~1"
    assert escape_pointer(3) == "3"


# Scalars: YAML 1.1 surprises are switched off


def test_dates_stay_strings(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, "date: 2026-01-01\nwhen: 2026-01-01 12:00:00\n"))
    assert spec.data == {"date": "2026-01-01", "when": "2026-01-01 12:00:00"}


@pytest.mark.parametrize(("text", "value"), [("true", True), ("false", False)])
def test_true_and_false_are_booleans(tmp_path: Path, text: str, value: bool) -> None:
    spec = load_spec(_write(tmp_path, f"flag: {text}\n"))
    assert spec.data["flag"] is value
    assert spec.literals["/flag"] == text


@pytest.mark.parametrize(
    "word", ["yes", "no", "Yes", "NO", "on", "off", "y", "n", "True", "FALSE", "ja", "nej"]
)
def test_other_words_are_not_booleans(tmp_path: Path, word: str) -> None:
    spec = load_spec(_write(tmp_path, f"flag: {word}\n"))
    assert spec.data["flag"] == word


def test_equals_sign_is_text(tmp_path: Path) -> None:
    assert load_spec(_write(tmp_path, "a: =\nb: <<\n")).data == {"a": "=", "b": "<<"}


def test_numbers_keep_their_written_form(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, "version: 1.10\ncopies: 2\nempty:\ntext: x\n"))
    assert spec.data == {"version": 1.1, "copies": 2, "empty": None, "text": "x"}
    assert spec.literals == {"/version": "1.10", "/copies": "2", "/empty": ""}


def test_quoted_values_are_text(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, 'version: "1.0"\nflag: "true"\nsfs: \'2017:725\'\n'))
    assert spec.data == {"version": "1.0", "flag": "true", "sfs": "2017:725"}


def test_anchors_and_aliases_are_read(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, "a: &n 6\nb: *n\nc: &l [x, y]\nd: *l\n"))
    assert spec.data == {"a": 6, "b": 6, "c": ["x", "y"], "d": ["x", "y"]}
    assert spec.positions["/d/1"] == (3, 11)


# Refusals


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    err = _error(
        tmp_path, "kind: avtalssamverkan\nterm:\n  start: 2026-01-01\n  start: 2027-01-01\n"
    )
    assert err.location == Location(err.location.file, 4, 3, "/term/start")
    assert str(err) == (
        f"{err.location.file}:4:3: /term/start: fältet ”start” förekommer två gånger (första "
        "gången på rad 3); ta bort det ena, annars gäller tyst bara det sista värdet"
    )


def test_duplicate_key_at_top_level(tmp_path: Path) -> None:
    err = _error(tmp_path, "id: a\ntitle: x\nid: b\n")
    assert err.location == Location(err.location.file, 3, 1, "/id")
    assert "första gången på rad 1" in err.message


def test_alias_bomb_stops_quickly(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    text = "\n".join(levels) + "\n"
    assert len(text) < 1000  # expands to 10**9 values
    started = time.perf_counter()
    err = _error(tmp_path, text)
    assert time.perf_counter() - started < 5
    assert f"fler än {MAX_NODES:,} värden".replace(",", " ") in err.message
    assert err.location is not None and err.location.line == 1


def test_node_budget_is_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_NODES", 50)
    fits = 50 - 2  # the root mapping and the list count too; keys do not
    spec = load_spec(_write(tmp_path, "items: [" + "1," * fits + "]\n"))
    assert len(spec.data["items"]) == fits
    err = _error(tmp_path, "items: [" + "1," * (fits + 1) + "]\n")
    assert "fler än 50 värden" in err.message


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    err = _error(tmp_path, "a: &a [x, *a]\n")
    assert "sig självt" in err.message
    assert err.location == Location(err.location.file, 1, 4, "/a/1")


@pytest.mark.parametrize("brackets", [MAX_DEPTH + 5, 1000])
def test_deep_nesting_is_refused(tmp_path: Path, brackets: int) -> None:
    err = _error(tmp_path, "x: " + "[" * brackets + "]" * brackets + "\n")
    assert f"fler än {MAX_DEPTH} nivåer" in err.message


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('t: !!python/object/apply:os.system ["echo pwned"]\n', "!!python/object/apply:os.system"),
        ("t: !!python/object:builtins.dict {a: 1}\n", "!!python/object:builtins.dict"),
        ("t: !!python/name:os.system\n", "!!python/name:os.system"),
        ("t: !!python/tuple [1, 2]\n", "!!python/tuple"),
        ("t: !!timestamp 2026-01-01\n", "!!timestamp"),
        ("t: !!set {a, b}\n", "!!set"),
        ("t: !!binary aGVq\n", "!!binary"),
        ("t: !avtal x\n", "!avtal"),
    ],
)
def test_tags_are_refused(tmp_path: Path, text: str, shown: str) -> None:
    err = _error(tmp_path, text)
    assert err.message == f"YAML-taggen {shown} stöds inte; skriv värdet utan tagg"
    assert err.location == Location(err.location.file, 1, 4, "/t")


def test_python_tag_is_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    _error(tmp_path, f'- !!python/object/apply:os.system ["touch {marker}"]\n')
    assert not marker.exists()


@pytest.mark.parametrize("text", ["n: !!int abc\n", "n: !!float x\n", "n: !!bool maybe\n"])
def test_plain_tags_with_bad_values(tmp_path: Path, text: str) -> None:
    err = _error(tmp_path, text)
    assert "kan inte läsas som !!" in err.message
    assert err.location == Location(err.location.file, 1, 4, "/n")


def test_plain_tags_are_allowed(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, "a: !!str 2026\nb: !!int '7'\nc: !!map {x: 1}\n"))
    assert spec.data == {"a": "2026", "b": 7, "c": {"x": 1}}


def test_merge_key_is_refused(tmp_path: Path) -> None:
    err = _error(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert "<<" in err.message
    assert err.location is not None and err.location.line == 3


def test_not_utf8_column_counts_characters(tmp_path: Path) -> None:
    # ö is two bytes in UTF-8; the stray Latin-1 ä after it is character 16, byte 17.
    err = _error(tmp_path, b"a: 1\nname: G\xc3\xb6teborg \xe4r\n")
    assert err.location == Location(err.location.file, 2, 16, "")
    assert err.message.startswith("filen är inte UTF-8 (byte 0xe4)")


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, "\ufeffkind: avtalssamverkan\n".encode()))
    assert spec.data == {"kind": "avtalssamverkan"}
    assert spec.positions["/kind"] == (1, 7)


@pytest.mark.parametrize("text", ["", "\n\n", "# bara en kommentar\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    err = _error(tmp_path, text)
    assert err.message.startswith("filen är tom")
    assert err.location == Location(err.location.file, 1, 1, "")


@pytest.mark.parametrize("text", ["bara text\n", "- en lista\n", "42\n"])
def test_root_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    assert "samling fält" in _error(tmp_path, text).message


def test_unclosed_quote_points_at_the_quote(tmp_path: Path) -> None:
    err = _error(tmp_path, 'a: "x"\nb: "abc\nc: 2\nd: "y"\n')
    assert err.location == Location(err.location.file, 2, 4, "")
    assert "fortsätter till rad 4" in err.message


def test_quote_never_closed(tmp_path: Path) -> None:
    err = _error(tmp_path, "a: 1\nb: 'abc\nc: 2\n")
    assert err.location == Location(err.location.file, 2, 4, "")
    assert "avslutas aldrig" in err.message


def test_tab_indentation(tmp_path: Path) -> None:
    err = _error(tmp_path, "term:\n\tstart: 2026-01-01\n")
    assert err.location == Location(err.location.file, 2, 1, "")
    assert "tabbtecken" in err.message


def test_multiple_documents(tmp_path: Path) -> None:
    err = _error(tmp_path, "a: 1\n---\nb: 2\n")
    assert err.location == Location(err.location.file, 2, 1, "")
    assert "flera dokument" in err.message


def test_file_too_big(tmp_path: Path) -> None:
    path = _write(tmp_path, b"a: 1\n" + b"#" * 1_048_576)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert info.value.location == Location(str(path))
    assert "högst 1 048 576 byte" in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "saknas.yaml")
    assert info.value.message.startswith("filen kan inte läsas")


# find_specs


def test_find_specs_in_a_folder(tmp_path: Path) -> None:
    for name in ["b.yaml", "a.yml", "noter.txt", "sub/c.yaml", "sub/djup/d.yaml", "README.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("kind: avtalssamverkan\n", encoding="utf-8")
    found = find_specs([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.yml",
        "b.yaml",
        "sub/c.yaml",
        "sub/djup/d.yaml",
    ]


def test_find_specs_keeps_named_files_and_order(tmp_path: Path) -> None:
    first, second = tmp_path / "z.yaml", tmp_path / "annan.txt"
    first.write_text("a: 1\n", encoding="utf-8")
    second.write_text("a: 1\n", encoding="utf-8")
    assert find_specs([first, second]) == [first, second]


def test_find_specs_empty_folder(tmp_path: Path) -> None:
    assert find_specs([tmp_path]) == []


def test_find_specs_missing_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        find_specs([tmp_path / "finns-inte"])
