"""Reproducible and incremental builds: same input, same bytes; nothing stale, nothing redone.

The examples are built once per session (conftest.py); the incremental cases use the
test fixture spec, built once per module and copied for each test.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import jinja2
import jinja2.meta
import pypandoc
import pytest
from buildkit import FIXTURE, REGISTRY, ROOT, run_cli, spec_paths, tree_of_build

from generator import build, convert, documents, render
from generator.build import Options, build_spec, sha256
from generator.documents import template_inputs

FORMATS = ("md", "pdf", "docx")
SPEC_ID = "mini-maria-2026"
OUTPUTS = sorted(f"{SPEC_ID}/avtal.{fmt}" for fmt in (*FORMATS, "provenance.json"))


def _diff_trees(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def _agreement_outputs(result: list[str]) -> list[str]:
    return sorted(r for r in result if r.rsplit("/", 1)[-1].startswith("avtal."))


# --------------------------------------------------------------------------- reproducible


def _parallel_specs() -> list[Path]:
    """The specs built again with --jobs 2: all with AVTAL_ALL_SPECS=1, else the three
    smallest files (a full second build of every example takes longer than the rest of
    the suite). The three always include specs of different sizes, so that the workers
    finish out of order."""
    paths = spec_paths()
    if os.environ.get("AVTAL_ALL_SPECS") == "1":
        return paths
    return sorted(sorted(paths, key=lambda p: (p.stat().st_size, p.name))[:3])


def test_parallel_build_equals_serial_build(out_dir: Path, tmp_path: Path) -> None:
    """`--jobs 2` into a fresh folder gives the same bytes as the session's `--jobs 1`.

    Two clean builds into different folders, so this is also the reproducibility test
    for the examples (the fixture has its own, below).
    """
    paths = _parallel_specs()
    assert len(paths) >= 2
    run = run_cli("build", "--jobs", "2", "--out", tmp_path, *paths)
    assert run.code == 0, run.stderr
    n = len(paths)
    assert f"{n} av {n} specifikationer byggda" in run.stdout
    # The overview page lists the specs of its own run: compare the specs' folders.
    parallel = {k: v for k, v in tree_of_build(tmp_path).items() if "/" in k}
    folders = {k.split("/", 1)[0] for k in parallel}
    assert len(folders) == n
    serial = {k: v for k, v in tree_of_build(out_dir).items() if k.split("/", 1)[0] in folders}
    assert any(k.endswith(".pdf") for k in serial)
    assert _diff_trees(serial, parallel) == []


def test_every_example_document_is_what_converting_it_alone_gives(out_dir: Path) -> None:
    """The build converts in warm processes, a PDF compiling while pandoc makes the
    DOCX, through filter passes that run only where they can change something: every
    PDF and DOCX of every example is what a converter of its own gives for the document
    alone, one format after the other."""
    documents = sorted(p for p in out_dir.rglob("*.md") if p.name != "checklista.md")
    assert {p.relative_to(out_dir).parts[0] for p in documents} == {
        p.stem for p in spec_paths()
    }
    converted: dict[Path, bytes] = {}

    def convert_alone() -> None:  # in a thread of its own: a converter of its own
        try:
            for md in documents:
                markdown = md.read_text(encoding="utf-8")
                folder = out_dir / md.relative_to(out_dir).parts[0]
                epoch = json.loads((folder / "manifest.json").read_bytes())["timestamp"]
                converted[md.with_suffix(".pdf")] = convert.to_pdf(markdown, epoch=epoch)
                converted[md.with_suffix(".docx")] = convert.to_docx(markdown, epoch=epoch)
        finally:
            convert.release()

    worker = threading.Thread(target=convert_alone)
    worker.start()
    worker.join()
    assert len(converted) == 2 * len(documents)
    differ = [path for path, data in converted.items() if path.read_bytes() != data]
    assert differ == []


def test_second_build_of_examples_writes_nothing(out_dir: Path, tmp_path: Path) -> None:
    work = tmp_path / "out"
    shutil.copytree(out_dir, work)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in work.rglob("*") if p.is_file()}
    for path in spec_paths():
        result = build_spec(path, Options(out=work, parties=REGISTRY))
        assert not result.failed, result.issues
        assert result.written == [], path
        assert result.unchanged, path
    after = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in work.rglob("*") if p.is_file()}
    assert after == before, "en no-op-byggning skrev om filer"


# --------------------------------------------------------------------------- fixture builds


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture spec (a private copy) and its output, built once in all formats.

    Built from inside its folder with relative paths, so that a copy of the folder is
    the same build (documents may quote the spec's path).
    """
    base = tmp_path_factory.mktemp("pristine")
    shutil.copyfile(FIXTURE, base / "spec.yaml")
    cwd = Path.cwd()
    os.chdir(base)
    try:
        result = build_spec(Path("spec.yaml"), Options(out=Path("out"), formats=FORMATS))
    finally:
        os.chdir(cwd)
    assert not result.failed, result.issues
    assert _agreement_outputs(result.written) == OUTPUTS
    return base / "spec.yaml", base / "out"


@pytest.fixture()
def work(pristine: tuple[Path, Path], tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A copy of the fixture spec and its output that a test may change (relative paths)."""
    spec, out = pristine
    shutil.copyfile(spec, tmp_path / "spec.yaml")
    shutil.copytree(out, tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    return Path("spec.yaml"), Path("out")


def test_two_clean_builds_are_byte_identical(pristine: tuple[Path, Path], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(pristine[0], tmp_path / "spec.yaml")
    monkeypatch.chdir(tmp_path)
    result = build_spec(Path("spec.yaml"), Options(out=Path("again"), formats=FORMATS))
    assert not result.failed, result.issues
    first, second = tree_of_build(pristine[1]), tree_of_build(tmp_path / "again")
    assert set(OUTPUTS) <= set(first)
    assert _diff_trees(first, second) == []


def _build(spec: Path, out: Path, formats: tuple[str, ...] = FORMATS) -> build.SpecResult:
    result = build_spec(spec, Options(out=out, formats=formats))
    assert not result.failed, result.issues
    return result


def test_second_build_writes_nothing(work: tuple[Path, Path]) -> None:
    spec, out = work
    result = _build(spec, out)
    assert result.written == []
    assert _agreement_outputs(result.unchanged) == OUTPUTS


def test_touching_the_spec_rebuilds_nothing(work: tuple[Path, Path]) -> None:
    spec, out = work
    stamp = spec.stat().st_mtime_ns + 3_600 * 10**9
    os.utime(spec, ns=(stamp, stamp))
    result = _build(spec, out)
    assert result.written == []
    assert _agreement_outputs(result.unchanged) == OUTPUTS


def test_changed_spec_rebuilds(work: tuple[Path, Path], pristine: tuple[Path, Path]) -> None:
    spec, out = work
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("Parterna samråder minst en gång per kvartal.",
                                 "Parterna samråder minst en gång per månad."), encoding="utf-8")
    result = _build(spec, out)
    assert _agreement_outputs(result.written) == OUTPUTS
    md = (out / SPEC_ID / "avtal.md").read_text(encoding="utf-8")
    assert "en gång per månad" in md and "en gång per kvartal" not in md
    assert (out / SPEC_ID / "avtal.pdf").read_bytes() != (
        pristine[1] / SPEC_ID / "avtal.pdf").read_bytes()


def test_hand_edited_output_is_rebuilt(work: tuple[Path, Path],
                                       pristine: tuple[Path, Path]) -> None:
    spec, out = work
    target = out / SPEC_ID / "avtal.pdf"
    good = target.read_bytes()
    edited = bytearray(good)
    edited[len(edited) // 2] ^= 0xFF
    target.write_bytes(bytes(edited))
    assert target.read_bytes() != good
    result = _build(spec, out)
    assert _agreement_outputs(result.written) == [f"{SPEC_ID}/avtal.pdf"]
    assert target.read_bytes() == good


def test_deleted_output_is_rebuilt(work: tuple[Path, Path]) -> None:
    spec, out = work
    target = out / SPEC_ID / "avtal.docx"
    good = target.read_bytes()
    target.unlink()
    result = _build(spec, out)
    assert _agreement_outputs(result.written) == [f"{SPEC_ID}/avtal.docx"]
    assert target.read_bytes() == good


def test_manifest_records_inputs_tools_and_outputs(pristine: tuple[Path, Path]) -> None:
    spec, out = pristine
    manifest = json.loads((out / SPEC_ID / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["spec_sha256"] == sha256(spec.read_bytes())
    assert manifest["tools"]["pandoc"] == str(pypandoc.get_pandoc_version())
    assert manifest["tools"]["typst"] == version("typst")
    files = {p.relative_to(out).as_posix() for p in (out / SPEC_ID).rglob("*")
             if p.is_file() and p.name != "manifest.json"}
    recorded = {rel for rel, rec in manifest["outputs"].items() if "sha256" in rec}
    assert set(OUTPUTS) <= recorded
    assert recorded == files
    for rel in recorded:
        assert manifest["outputs"][rel]["sha256"] == sha256((out / rel).read_bytes()), rel
        assert len(manifest["outputs"][rel]["input"]) == 64


# --------------------------------------------------------------------------- templates


def _agreement_template_files(root: str = "avtal.md.j2") -> list[str]:
    """Every file under templates/ that an agreement is made from, found independently:
    avtal.md.j2 and what it imports or includes, plus the files the converters read."""
    source = ROOT / "templates"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(source)))
    names, todo = set(), [root]
    while todo:
        name = todo.pop()
        if name in names:
            continue
        names.add(name)
        text = (source / name).read_text(encoding="utf-8")
        todo.extend(n for n in jinja2.meta.find_referenced_templates(env.parse(text)) if n)
    used = [convert.TYPST_TEMPLATE, convert.LUA_FILTER, convert.REFERENCE_DOCX,
            *sorted(convert.FONTS.glob("*.[ot]tf"))]
    names.update(p.relative_to(render.TEMPLATES).as_posix() for p in used)
    return sorted(names)


def test_the_templates_a_template_loads_are_those_jinja_finds() -> None:
    """The rebuild key finds the templates a template loads in its text, without
    Jinja's parser: for every built-in template, exactly what the parser finds."""
    for path in sorted((ROOT / "templates").glob("*.md.j2")):
        text = path.read_text(encoding="utf-8")
        parsed = set(jinja2.meta.find_referenced_templates(jinja2.Environment().parse(text)))
        assert set(documents._referenced(path, *_stamp(path))) == parsed, path.name


@pytest.mark.parametrize(("tag", "names"), [
    ('{% include "a.md.j2" %}', {"a.md.j2"}),
    ("{%- include 'a.md.j2' ignore missing without context -%}", {"a.md.j2"}),
    ('{% import "a.md.j2" as a with context %}', {"a.md.j2"}),
    ('{%+ from "a.md.j2" import b, c as d with context %}', {"a.md.j2"}),
    ('{% extends "a.md.j2" %}', {"a.md.j2"}),
    ('{% include "a_" ~ kind ~ ".md.j2" %}', {None}),
    ('{% include ["a.md.j2", "b.md.j2"] %}', {None}),
    ('{% include x if y else "a.md.j2" %}', {None}),
    ('{% include "a\\"b.md.j2" %}', {None}),
    ('{%\ninclude\n"a.md.j2"\n%}', {"a.md.j2"}),
    ('{% set include = 1 %}{{ include }} {% includes %}', set()),
])
def test_a_computed_template_name_counts_every_partial(
    tag: str, names: set[str | None], tmp_path: Path
) -> None:
    """A name the text does not give as one plain string is None (every partial counts):
    the key may hold more templates than a document loads, never fewer."""
    path = tmp_path / "t.md.j2"
    path.write_text(f"Text {tag} text.\n", encoding="utf-8")
    found = set(documents._referenced(path, *_stamp(path)))
    assert found == names
    parsed = set()
    with contextlib.suppress(jinja2.TemplateSyntaxError):  # `includes` is no tag
        parsed = set(jinja2.meta.find_referenced_templates(jinja2.Environment().parse(tag)))
    assert None in found or parsed <= found


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@pytest.fixture()
def shadow_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of templates/ and generator/ that the build hashes instead of the real ones.

    Rendering still uses the real templates; what is tested is that the build notices a
    changed dependency.
    """
    root = tmp_path / "root"
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "generator", root / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build, "code_dir", lambda: root / "generator")
    monkeypatch.setattr(build, "TEMPLATES", root / "templates")
    yield root


def test_every_module_of_the_generator_is_in_the_code_hash(shadow_root: Path) -> None:
    modules = sorted((shadow_root / "generator").rglob("*.py"))
    assert modules
    for path in modules:
        before = build.code_hash()
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        try:
            assert build.code_hash() != before, path.relative_to(shadow_root)
        finally:
            path.write_bytes(original)
        assert build.code_hash() == before


def test_agreement_depends_on_templates_and_converter_files() -> None:
    files = _agreement_template_files()
    assert "avtal.md.j2" in files
    assert any(f.endswith(".typst") for f in files)
    assert any(f.startswith("fonts/") for f in files)


@pytest.mark.parametrize("kind", ["avtalssamverkan", "samverkansoverenskommelse"])
def test_a_staff_report_depends_on_every_partial_its_case_text_includes(kind: str) -> None:
    keyed = set(template_inputs("tjansteutlatande.md.j2", "beslutspunkter.md.j2"))
    needed = set(_agreement_template_files(f"_arendet_{kind}.md.j2"))
    assert needed - keyed == set()


@pytest.mark.parametrize("name", _agreement_template_files())
def test_changed_template_changes_the_input_key(name: str, shadow_root: Path,
                                                pristine: tuple[Path, Path],
                                                tmp_path: Path) -> None:
    spec, out = pristine[0], tmp_path / "out"
    _build(spec, out, ("md",))
    assert _build(spec, out, ("md",)).written == []
    manifest = out / SPEC_ID / "manifest.json"
    key = json.loads(manifest.read_text())["outputs"][f"{SPEC_ID}/avtal.md"]["input"]
    with (shadow_root / "templates" / name).open("ab") as handle:
        handle.write(b"\n")
    result = _build(spec, out, ("md",))
    new = json.loads(manifest.read_text())["outputs"][f"{SPEC_ID}/avtal.md"]["input"]
    assert new != key, f"en ändrad {name} ger samma nyckel: avtalet byggs inte om"
    assert f"{SPEC_ID}/avtal.md" in result.written


def test_changed_typst_template_rebuilds_every_format(shadow_root: Path,
                                                      work: tuple[Path, Path]) -> None:
    spec, out = work
    _build(spec, out)  # nothing to do unless the generator changed since `pristine`
    assert _build(spec, out).written == []
    typst = shadow_root / "templates" / convert.TYPST_TEMPLATE.name
    typst.write_text(typst.read_text(encoding="utf-8") + "// ändrad\n", encoding="utf-8")
    result = _build(spec, out)
    assert _agreement_outputs(result.written) == OUTPUTS
    assert _build(spec, out).written == []
