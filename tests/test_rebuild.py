"""What a rebuild may skip: the Markdown field check of fields found clean before, and
reading and checking every spec again for the overview page. Nothing here measures
time; each test shows what was (not) done, and that the results stay the same."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from buildkit import FIXTURE, REGISTRY, SPECS_DIR, fixture_with_gap, run_cli, spec_paths

from generator import build, convert, documents, fields, pipeline, validate
from generator.build import Options, build_all
from generator.errors import Issue

FIXTURE_ID = "mini-maria-2026"
IMAGE = "Se bilden ![karta](karta.png) för området."


@pytest.fixture(autouse=True)
def fresh_process() -> Iterator[None]:
    """Each test starts as a new process would: no field known clean."""
    fields.forget()
    yield
    fields.forget()


@pytest.fixture()
def pandoc_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The texts every field check hands to pandoc."""
    calls: list[tuple[str, ...]] = []
    real = convert.markdown_findings

    def counted(texts: tuple[str, ...]) -> list[list[dict[str, str]]]:
        calls.append(texts)
        return real(texts)

    monkeypatch.setattr(convert, "markdown_findings", counted)
    return calls


def _build(spec: Path, out: Path) -> build.SpecResult:
    [result] = build_all([spec], Options(out=out, formats=("md",)), jobs=1)
    return result


def _manifest(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (out / FIXTURE_ID / "manifest.json").read_text(encoding="utf-8")
    )
    return data


def _with_analysis(text: str, target: Path) -> Path:
    source = FIXTURE.read_text(encoding="utf-8")
    old = "gender_equality: Avtalet gäller flickor och pojkar på samma villkor."
    assert old in source
    target.write_text(source.replace(old, f"gender_equality: {text}"), encoding="utf-8")
    return target


def test_clean_fields_are_not_checked_again(
    tmp_path: Path, pandoc_calls: list[tuple[str, ...]]
) -> None:
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    shutil.copyfile(FIXTURE, spec)
    first = _build(spec, out)
    assert not first.failed, first.issues
    assert len(pandoc_calls) == 1
    assert any("flickor och pojkar" in text for text in pandoc_calls[0])
    recorded = _manifest(out)["fields_checked"]
    assert isinstance(recorded, str) and len(recorded) == 64

    fields.forget()  # a new process: only the manifest knows
    again = _build(spec, out)
    assert not again.failed, again.issues
    assert again.written == []
    assert len(pandoc_calls) == 1, "the unchanged fields were read by pandoc again"
    assert _manifest(out)["fields_checked"] == recorded


def test_a_changed_field_is_checked_again(
    tmp_path: Path, pandoc_calls: list[tuple[str, ...]]
) -> None:
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    shutil.copyfile(FIXTURE, spec)
    assert not _build(spec, out).failed
    fields.forget()
    _with_analysis(IMAGE, spec)
    result = _build(spec, out)
    assert len(pandoc_calls) == 2
    assert any(IMAGE in text for text in pandoc_calls[1])
    assert result.failed
    assert any("bilden ”karta.png”" in i.message for i in result.issues), result.issues
    # The failed build's manifest (its checklist's) vouches for no field.
    assert "fields_checked" not in _manifest(out)
    fields.forget()
    assert _build(spec, out).failed
    assert len(pandoc_calls) == 3


def test_a_changed_check_script_checks_again(
    tmp_path: Path, pandoc_calls: list[tuple[str, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    shutil.copyfile(FIXTURE, spec)
    assert not _build(spec, out).failed
    recorded = _manifest(out)["fields_checked"]
    script = tmp_path / "fields.lua"
    script.write_bytes(convert.FIELDS_SCRIPT.read_bytes() + b"\n-- changed\n")
    monkeypatch.setattr(convert, "FIELDS_SCRIPT", script)
    fields.forget()
    result = _build(spec, out)
    assert not result.failed, result.issues
    assert len(pandoc_calls) == 2, "a new check script must read the fields again"
    assert _manifest(out)["fields_checked"] != recorded


def test_a_field_found_wrong_is_never_recorded_clean(
    tmp_path: Path, pandoc_calls: list[tuple[str, ...]]
) -> None:
    spec = _with_analysis(IMAGE, tmp_path / "spec.yaml")
    out = tmp_path / "out"
    for _ in range(2):
        fields.forget()  # each build a new process
        result = _build(spec, out)
        assert result.failed
        assert any("bilden" in i.message for i in result.issues)
    assert len(pandoc_calls) == 2
    manifest = out / FIXTURE_ID / "manifest.json"  # the checklist's
    assert not manifest.exists() or "fields_checked" not in _manifest(out)


def test_a_text_in_many_fields_is_read_once_and_reported_at_each(
    tmp_path: Path, pandoc_calls: list[tuple[str, ...]]
) -> None:
    """A hub's parties share most of their texts: pandoc reads each text once, and a
    wrong one is an error at every field that holds it."""
    spec = _with_analysis(IMAGE, tmp_path / "spec.yaml")
    text = spec.read_text(encoding="utf-8")
    old = "gender_equality: " + IMAGE
    spec.write_text(text.replace(old, f"{old}\n        child_rights: {IMAGE}"), encoding="utf-8")
    result = _build(spec, tmp_path / "out")
    wrong = [i for i in result.issues if "bilden" in i.message]
    analyses = "/parties/0/decision/analyses"
    assert sorted(i.location.pointer for i in wrong) == [
        f"{analyses}/child_rights", f"{analyses}/gender_equality"
    ]
    [texts] = pandoc_calls
    assert texts.count(IMAGE) == 1
    assert len(texts) == len(set(texts))


def test_overview_from_the_build_equals_one_checked_afresh(
    out_dir: Path, tmp_path: Path
) -> None:
    """The overview page made from what the build learnt (checks, rendered agreements)
    is the page made by reading and checking every spec again."""
    work = tmp_path / "out"
    shutil.copytree(out_dir, work)
    options = Options(out=work, parties=REGISTRY)
    results = list(build_all(spec_paths(), options))
    assert all(r.checked is not None and r.checked.clauses for r in results)
    today = date(2026, 9, 1)
    page = build.write_overview(results, options, today=today).read_bytes()
    afresh = [dataclasses.replace(r, checked=None) for r in results]
    again = tmp_path / "again"
    again.mkdir()
    options = Options(out=again, parties=REGISTRY)
    other = build.write_overview(afresh, options, today=today).read_bytes()
    assert page == other
    assert "§ " in page.decode()  # deadlines name their clauses


@pytest.fixture()
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The specs whose documents the build renders."""
    calls: list[str] = []
    real = documents.each_document

    def counted(spec: object, *args: object, **kwargs: object) -> object:
        calls.append(str(getattr(spec, "path", "")))
        return real(spec, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "each_document", counted)  # imported where it renders
    return calls


def test_an_unchanged_spec_is_not_rendered_again(tmp_path: Path, renders: list[str]) -> None:
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    fixture_with_gap(spec)
    first = _build(spec, out)
    assert not first.failed, first.issues
    assert len(renders) == 1
    warned = [i for i in first.issues if i.code == "build"]
    assert warned, "the fixture lacks texts its documents ask for"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    fields.forget()
    again = _build(spec, out)
    assert len(renders) == 1, "an unchanged spec was rendered again"
    assert again.written == [] and sorted(again.unchanged) == sorted(first.written)
    assert [i for i in again.issues if i.code == "build"] == warned
    assert first.checked and again.checked and again.checked.clauses == first.checked.clauses
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before

    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("title: Avtal om", "title: Ett avtal om", 1), encoding="utf-8")
    changed = _build(spec, out)
    assert len(renders) == 2
    assert f"{FIXTURE_ID}/avtal.md" in changed.written
    assert "Ett avtal om" in (out / FIXTURE_ID / "avtal.md").read_text(encoding="utf-8")


def test_an_output_changed_by_hand_is_rendered_and_written_again(
    tmp_path: Path, renders: list[str]
) -> None:
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    shutil.copyfile(FIXTURE, spec)
    assert not _build(spec, out).failed
    target = out / FIXTURE_ID / "avtal.md"
    original = target.read_bytes()
    target.write_bytes(original + "\nTillagt för hand.\n".encode())
    result = _build(spec, out)
    assert len(renders) == 2
    assert result.written == [f"{FIXTURE_ID}/avtal.md"]
    assert target.read_bytes() == original


def test_other_formats_are_rendered(tmp_path: Path, renders: list[str]) -> None:
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    shutil.copyfile(FIXTURE, spec)
    assert not _build(spec, out).failed
    [result] = build_all([spec], Options(out=out, formats=("md", "html")), jobs=1)
    assert len(renders) == 2
    assert not result.failed, result.issues
    assert f"{FIXTURE_ID}/avtal.html" in result.written


def test_an_unchanged_spec_is_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    shutil.copyfile(FIXTURE, spec)
    first = _build(spec, out)
    assert not first.failed, first.issues
    assert any(i.code == "BARN-ANALYS" for i in first.issues), "the fixture's rule warning"
    checks: list[Path] = []
    real_validate, real_check = validate.validate, pipeline.check
    monkeypatch.setattr(
        validate, "validate", lambda s: checks.append(Path(s.path)) or real_validate(s)
    )
    monkeypatch.setattr(
        pipeline, "check", lambda p, r=None, **kw: checks.append(p) or real_check(p, r, **kw)
    )
    again = _build(spec, out)
    assert checks == [], "an unchanged spec was validated or checked again"
    assert again.issues == first.issues  # the rule warning and the build warnings
    assert again.checked and first.checked and again.checked.silenced == first.checked.silenced

    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("title: Avtal om", "title: Ett avtal om", 1), encoding="utf-8")
    changed = _build(spec, out)
    assert len(checks) == 2  # validated, then checked
    assert [i for i in changed.issues if i.code == "BARN-ANALYS"] == [
        i for i in first.issues if i.code == "BARN-ANALYS"
    ]


def test_a_broken_remembered_check_is_done_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    shutil.copyfile(FIXTURE, spec)
    first = _build(spec, out)
    manifest = out / FIXTURE_ID / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["reuse"]["issues"] = [["nonsense"]]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    again = _build(spec, out)
    assert again.issues == first.issues
    assert json.loads(manifest.read_text(encoding="utf-8"))["reuse"]["issues"][0][0] == str(spec)


def test_avtal_build_with_nothing_changed_touches_no_file(
    out_dir: Path, tmp_path: Path, renders: list[str]
) -> None:
    """The session's `avtal build` again, as a new process would run it: no document,
    manifest or overview page is written again, and no spec is rendered."""
    work = tmp_path / "out"
    shutil.copytree(out_dir, work)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in work.rglob("*") if p.is_file()}
    assert work / "index.html" in before
    run = run_cli("build", "--out", work, SPECS_DIR)
    assert run.code == 0, run.stderr
    count = len(spec_paths())
    assert f"{count} av {count} specifikationer byggda: 0 filer skrivna" in run.stdout
    assert renders == []
    after = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in work.rglob("*") if p.is_file()}
    assert after == before


def test_a_spec_named_relatively_then_absolutely_is_not_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, renders: list[str]
) -> None:
    """The rebuild key holds the spec's path from the repository root, not as typed:
    `avtal build specs/x.yaml` and then `avtal build /…/specs/x.yaml` is a no-op, and
    the second build's messages name the spec as it was typed the second time."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "specs"
    folder.mkdir()
    spec, out = folder / "spec.yaml", tmp_path / "out"
    shutil.copyfile(FIXTURE, spec)
    relative = Path("specs") / "spec.yaml"
    first = _build(relative, out)
    assert not first.failed, first.issues
    assert {i.location.file for i in first.issues} == {str(relative)}
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}

    fields.forget()  # a new process
    again = _build(spec.resolve(), out)
    assert len(renders) == 1, "the same spec named absolutely was rendered again"
    assert again.written == [] and sorted(again.unchanged) == sorted(first.written)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    assert after == before, "a file was written again"
    assert {i.location.file for i in again.issues} == {str(spec.resolve())}
    assert _unnamed(again.issues) == _unnamed(first.issues)


def _unnamed(issues: list[Issue]) -> list[Issue]:
    """Issues without the name of their file."""
    return [
        dataclasses.replace(i, location=dataclasses.replace(i.location, file="")) for i in issues
    ]


def test_avtal_build_with_an_absolute_path_after_a_relative_one_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same from the command line, the repository being the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").mkdir()
    shutil.copyfile(FIXTURE, tmp_path / "specs" / "spec.yaml")
    first = run_cli("build", "--format", "md", "--out", "out", "specs/spec.yaml")
    assert first.code == 0, first.stderr
    assert "1 av 1 specifikationer byggda" in first.stdout
    fields.forget()
    again = run_cli("build", "--format", "md", "--out", "out", tmp_path / "specs" / "spec.yaml")
    assert again.code == 0, again.stderr
    assert "0 filer skrivna" in again.stdout
    assert str(tmp_path / "specs" / "spec.yaml") in again.stderr  # its warnings, as typed


def test_a_document_goes_to_the_workers_before_the_next_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large spec (a hub's hundreds of decision documents) keeps pandoc busy from its
    first document on, instead of leaving it idle until the last is rendered."""
    events: list[tuple[str, str]] = []
    each, submit = documents.each_document, build._Workers.submit

    def rendered(spec: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        for doc in each(spec, *args, **kwargs):
            events.append(("rendered", f"{doc.folder}/{doc.name}"))
            yield doc

    def submitted(workers: Any, counter: Any, spec_path: str, job: Any) -> Any:
        events.append(("submitted", f"{job.doc.folder}/{job.doc.name}"))
        return submit(workers, counter, spec_path, job)

    monkeypatch.setattr(documents, "each_document", rendered)
    monkeypatch.setattr(build._Workers, "submit", submitted)
    spec = tmp_path / "spec.yaml"
    shutil.copyfile(FIXTURE, spec)
    result = _build(spec, tmp_path / "out")
    assert not result.failed, result.issues
    names = [name for kind, name in events if kind == "rendered"]
    assert len(names) > 2
    for before, after in itertools.pairwise(names):
        assert events.index(("submitted", before)) < events.index(("rendered", after))
    assert {name for kind, name in events if kind == "submitted"} >= set(names)


def test_a_progress_callback_that_raises_stops_the_build(tmp_path: Path) -> None:
    """The caller's progress callback is its own: what it raises ends the build with
    that error, and no worker is left with a job unsettled (the build would hang)."""

    class Stop(Exception):
        pass

    def progress(done: int, total: int, spec_path: str) -> None:
        raise Stop

    spec = tmp_path / "spec.yaml"
    shutil.copyfile(FIXTURE, spec)
    ended: list[str] = []

    def run() -> None:
        options = Options(out=tmp_path / "out", formats=("md",))
        with contextlib.suppress(Stop):
            list(build_all([spec], options, jobs=1, progress=progress))
            ended.append("without the error")
            return
        ended.append("stopped")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the build hung"
    assert ended == ["stopped"]


def test_a_render_that_fails_after_its_first_documents_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first documents went to the workers before the render failed: the spec
    fails with the render's one problem, and nothing of it is written or left staged."""
    each = documents.each_document

    def failing(spec: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        rendered = each(spec, *args, **kwargs)
        yield next(rendered)
        yield next(rendered)
        raise RuntimeError("mallfel")

    monkeypatch.setattr(documents, "each_document", failing)
    spec, out = tmp_path / "spec.yaml", tmp_path / "out"
    shutil.copyfile(FIXTURE, spec)
    [result] = build_all([spec], Options(out=out, formats=("md", "docx")), jobs=1)
    assert result.failed
    assert [i.code for i in result.issues if i.code in ("internal", "build")] == ["internal"]
    assert "mallfel" in result.issues[-1].message
    assert result.written == []
    left = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert [name for name in left if name != ".index.json"] == []
