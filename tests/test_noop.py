"""A build with nothing to do parses no spec: what the check, the documents and the
overview page were made from is in the signed manifests (the bytes of the spec and of
each party file it read, our code and templates, the options), and a file whose size
and modification time are the recorded ones is not read. Each test shows what was (not)
done and that the results stay what a build that reads everything gives; nothing here
measures time."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from buildkit import FIXTURE, PARTIES_DIR, SPECS_DIR, fixture_with_gap, run_cli

from generator import build, documents, load
from generator.build import Options, SpecResult, build_all, write_overview
from generator.parties import folder_source
from generator.resources import templates_dir
from generator.theme import Theme

FIXTURE_ID = "mini-maria-2026"  # its documents warn of texts they lack
WITH_PARTIES = SPECS_DIR / "familjebehandling-norrstrom-fjallviken.yaml"
PARTY_IDS = ("norrstrom", "fjallviken")
TODAY = date(2026, 12, 6)
TEMPLATES = templates_dir()


@pytest.fixture()
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The YAML files (specs and party files) parsed, by name."""
    names: list[str] = []
    real = load._parse_one

    def noted(raw: bytes, name: str, **kwargs: Any) -> Any:
        names.append(name)
        return real(raw, name, **kwargs)

    monkeypatch.setattr(load, "_parse_one", noted)
    return names


@pytest.fixture()
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The specs whose documents are rendered."""
    paths: list[str] = []
    real = documents.each_document

    def noted(spec: Any, *args: Any, **kwargs: Any) -> Any:
        paths.append(str(spec.path))
        return real(spec, *args, **kwargs)

    monkeypatch.setattr(documents, "each_document", noted)
    return paths


def _project(tmp_path: Path) -> Path:
    """A repository with the fixture spec and a spec whose parties are in the registry."""
    (tmp_path / "specs").mkdir()
    (tmp_path / "parties").mkdir()
    shutil.copyfile(FIXTURE, tmp_path / "specs" / "valid.yaml")
    shutil.copyfile(WITH_PARTIES, tmp_path / "specs" / WITH_PARTIES.name)
    for party in PARTY_IDS:
        shutil.copyfile(PARTIES_DIR / f"{party}.yaml", tmp_path / "parties" / f"{party}.yaml")
    return tmp_path


def _options(root: Path, **given: Any) -> Options:
    settings: dict[str, Any] = {"out": root / "build", "formats": ("md",),
                                "parties": folder_source(root / "parties")}
    return Options(**{**settings, **given})


def _build(spec: Path, options: Options) -> SpecResult:
    [result] = build_all([spec], options, jobs=1)
    write_overview([result], options, today=TODAY)
    return result


def _stamps(folder: Path) -> dict[Path, tuple[int, int]]:
    """Every file under `folder` with its modification time and inode: a file written
    again, even with the same bytes, has another."""
    return {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.rglob("*") if p.is_file()}


def _without_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds from here on read, validate and check every spec, as before manifests
    held what a spec was made from."""
    monkeypatch.setattr(build, "_remembered", lambda path, options: None)


@pytest.mark.parametrize("name", ["valid.yaml", WITH_PARTIES.name])
def test_a_second_build_parses_nothing_and_gives_what_reading_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str], rendered: list[str],
    name: str,
) -> None:
    root = _project(tmp_path)
    spec, options = root / "specs" / name, _options(root)
    first = _build(spec, options)
    assert not first.failed, first.issues
    with monkeypatch.context() as patched:
        _without_shortcut(patched)
        reading = _build(spec, options)  # nothing changed: reads, checks, writes nothing
    before = _stamps(root / "build")
    parsed.clear()
    rendered.clear()

    again = _build(spec, options)
    assert parsed == [] and rendered == []
    assert _stamps(root / "build") == before  # no document, manifest or overview written
    assert again.written == [] and sorted(again.unchanged) == sorted(first.written)
    assert again.spec_id == reading.spec_id and again.key == reading.key
    assert again.issues == reading.issues == first.issues  # file, line, column and text
    assert again.checked and reading.checked
    assert again.checked.silenced == reading.checked.silenced
    assert again.checked.clauses == reading.checked.clauses


def test_the_fixtures_warnings_are_located_without_reading_it(
    tmp_path: Path, parsed: list[str]
) -> None:
    root = _project(tmp_path)
    spec, options = fixture_with_gap(root / "specs" / "valid.yaml"), _options(root)
    first = _build(spec, options)
    warned = [(str(i.location), i.message) for i in first.issues if i.code == "build"]
    assert warned and all(f"{spec}:" in where for where, _ in warned)
    parsed.clear()
    again = _build(spec, options)
    assert parsed == []
    assert [(str(i.location), i.message) for i in again.issues if i.code == "build"] == warned


def test_the_command_says_the_same_with_and_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    """`avtal build` a second time prints the same lines (results, warnings with their
    file:line) whether it reads every spec or takes them from the manifests."""
    monkeypatch.chdir(_project(tmp_path))
    command = ("build", "--format", "md", "--today", "2026-12-06")
    assert run_cli(*command).code == 0
    with monkeypatch.context() as patched:
        _without_shortcut(patched)
        reading = run_cli(*command)
    before = _stamps(tmp_path / "build")
    parsed.clear()
    again = run_cli(*command)
    assert parsed == []
    assert _stamps(tmp_path / "build") == before
    assert (again.code, again.stdout, again.stderr) == (reading.code, reading.stdout,
                                                        reading.stderr)
    assert "2 av 2 specifikationer byggda: 0 filer skrivna" in again.stdout
    assert re.search(r"^specs/valid\.yaml:\d+:\d+: ", again.stderr, re.M)  # located warnings


# ------------------------------------------------------------------ what must rebuild


def _append(path: Path, text: str) -> None:
    path.write_bytes(path.read_bytes() + text.encode())


def _registry_moved(root: Path, options: Options) -> Options:
    """avtal.toml names another party folder: the spec's references now find other
    files, with the same bytes (a message names the file it comes from)."""
    other = root / "registry"
    shutil.copytree(root / "parties", other)
    return replace(options, parties=folder_source(other))


def _template_changed(root: Path, options: Options) -> Options:
    """The team's copy of the checklist template changed (a comment added)."""
    _append(root / "mallar" / "checklista.md.j2", "{# ändrad #}")
    return options


def _changed(path: str) -> Callable[[Path, Options], Options]:
    """A comment added to the file at `path` in the repository."""

    def change(root: Path, options: Options) -> Options:
        _append(root / path, "# ändrad\n")
        return options

    return change


CHANGES: dict[str, Callable[[Path, Options], Options]] = {
    "spec": _changed(f"specs/{WITH_PARTIES.name}"),
    "party file": _changed(f"parties/{PARTY_IDS[1]}.yaml"),
    "party registry": _registry_moved,
    "template": _template_changed,
    "option": lambda root, options: replace(options, formats=("md", "html")),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_input_is_read_and_built_again(
    tmp_path: Path, parsed: list[str], rendered: list[str], change: str
) -> None:
    root = _project(tmp_path)
    (root / "mallar").mkdir()  # the team's templates: a copy of the built-in checklist
    shutil.copyfile(TEMPLATES / "checklista.md.j2", root / "mallar" / "checklista.md.j2")
    spec = root / "specs" / WITH_PARTIES.name
    options = _options(root, theme=Theme(custom_dir=root / "mallar", root=root))
    first = _build(spec, options)
    assert not first.failed, first.issues
    parsed.clear()
    rendered.clear()
    options = CHANGES[change](root, options)
    again = _build(spec, options)
    assert str(spec) in parsed and rendered == [str(spec)]
    assert not again.failed, again.issues
    assert again.written  # the documents made from what changed
    if change == "option":
        assert any(rel.endswith(".html") for rel in again.written)
    if change == "template":  # only the documents made with it
        assert {rel.rsplit("/", 1)[-1].split(".")[0] for rel in again.written} == {"checklista"}


def test_an_output_edited_to_the_same_size_is_written_again(
    tmp_path: Path, parsed: list[str]
) -> None:
    root = _project(tmp_path)
    spec, options = root / "specs" / "valid.yaml", _options(root)
    _build(spec, options)
    target = root / "build" / FIXTURE_ID / "avtal.md"
    original = target.read_bytes()
    edited = original.replace(b"Avtal", b"Avtxl", 1)
    assert edited != original and len(edited) == len(original)
    target.write_bytes(edited)
    parsed.clear()
    again = _build(spec, options)
    assert again.written == [f"{FIXTURE_ID}/avtal.md"]
    assert target.read_bytes() == original


def test_an_output_edited_in_the_tick_its_manifest_was_written_is_read(
    tmp_path: Path,
) -> None:
    """A file modified no earlier than its manifest was written may have been edited
    after it was recorded without its time showing it (a coarse clock): it is hashed."""
    root = _project(tmp_path)
    spec, options = root / "specs" / "valid.yaml", _options(root)
    _build(spec, options)
    target = root / "build" / FIXTURE_ID / "avtal.md"
    recorded = target.stat().st_mtime_ns
    original = target.read_bytes()
    target.write_bytes(original.replace(b"Avtal", b"Avtxl", 1))
    manifest = root / "build" / FIXTURE_ID / "manifest.json"
    for path in (target, manifest):  # as if all three were written in one tick
        os.utime(path, ns=(recorded, recorded))
    again = _build(spec, options)
    assert again.written == [f"{FIXTURE_ID}/avtal.md"]
    assert target.read_bytes() == original


def test_a_deleted_output_is_written_again(tmp_path: Path) -> None:
    root = _project(tmp_path)
    spec, options = root / "specs" / "valid.yaml", _options(root)
    _build(spec, options)
    target = root / "build" / FIXTURE_ID / "checklista.md"
    original = target.read_bytes()
    target.unlink()
    again = _build(spec, options)
    assert again.written == [f"{FIXTURE_ID}/checklista.md"]
    assert target.read_bytes() == original


def test_an_output_touched_but_unchanged_is_read_not_written(
    tmp_path: Path, parsed: list[str]
) -> None:
    """Another modification time makes the build hash the file: the same bytes, so the
    spec still needs no reading and nothing is written."""
    root = _project(tmp_path)
    spec, options = root / "specs" / "valid.yaml", _options(root)
    _build(spec, options)
    target = root / "build" / FIXTURE_ID / "avtal.md"
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    before = _stamps(root / "build")
    parsed.clear()
    again = _build(spec, options)
    assert parsed == [] and again.written == []
    assert _stamps(root / "build") == before


# ------------------------------------------------------------------ the overview page


def test_the_overview_page_is_made_again_when_the_day_changes(tmp_path: Path) -> None:
    root = _project(tmp_path)
    spec, options = root / "specs" / WITH_PARTIES.name, _options(root)
    [result] = build_all([spec], options, jobs=1)
    page = write_overview([result], options, today=TODAY)
    first = page.read_bytes()
    [again] = build_all([spec], options, jobs=1)
    assert again.checked and again.checked.spec is None  # taken from the manifest
    write_overview([again], options, today=date(2027, 3, 1))
    later = page.read_bytes()
    assert later != first and "2027" in later.decode()
    assert later == _fresh_overview(tmp_path, spec, date(2027, 3, 1))


def _fresh_overview(tmp_path: Path, spec: Path, today: date) -> bytes:
    """The overview page a build into an empty folder makes."""
    options = _options(tmp_path, out=tmp_path / "fresh")
    [result] = build_all([spec], options, jobs=1)
    return write_overview([result], options, today=today).read_bytes()


@pytest.mark.parametrize("forged", ["page", "record"])
def test_an_overview_page_or_record_not_ours_is_made_again(tmp_path: Path, forged: str) -> None:
    root = _project(tmp_path)
    spec, options = root / "specs" / "valid.yaml", _options(root)
    _build(spec, options)
    page = root / "build" / "index.html"
    honest = page.read_bytes()
    planted = honest.replace(b"<body", b"<body data-planted", 1)
    page.write_bytes(planted)
    if forged == "record":  # what the record would say of the planted page, unsigned
        record = root / "build" / build.OVERVIEW_RECORD
        said = record.read_text(encoding="utf-8").split("\n", 2)[2]
        page_hash = build.sha256(honest)
        record.write_text("{\n" + said.replace(page_hash, build.sha256(planted)), "utf-8")
    _build(spec, options)
    assert page.read_bytes() == honest
