"""Every sentence of every document traceable to the spec (issue 26): the provenance the
build keeps, `avtal explain`, the HTML notes, and the no-orphan test over the examples
and fixtures."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from buildkit import REGISTRY, ROOT, read_spec, run_cli, spec_paths
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import documents as documents_module
from generator import provenance
from generator.documents import Document, documents
from generator.errors import Severity
from generator.load import Spec, parse_spec
from generator.model import View
from generator.pipeline import check
from generator.render import environment

TESTS = Path(__file__).resolve().parent
FIXED = TESTS / "fixed_phrases.txt"
FLAWED = TESTS / "fixtures" / "flawed.yaml"


def _specs() -> list[Path]:
    """Examples, fixtures (the fresh scenarios among them) and the valid cases that build."""
    found = [
        *spec_paths(),
        *sorted((TESTS / "fixtures").glob("*.yaml")),
        *sorted((TESTS / "cases" / "valid").glob("*/spec.yaml")),
    ]
    return [p for p in found if _builds(p)]


def _builds(path: Path) -> bool:
    spec, issues, _ = check(path, parties=REGISTRY)
    return spec is not None and not any(i.severity is Severity.ERROR for i in issues)


SPECS = _specs()


def _name(path: Path) -> str:
    return path.parent.name if path.name == "spec.yaml" else path.stem


@cache
def _built(path: Path) -> tuple[Spec, tuple[Document, ...]]:
    spec = read_spec(path)
    return spec, tuple(documents(spec)[0])


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8").splitlines()
    return [line for line in text if line.strip() and not line.startswith("#")]


def _fixed(sentence: str) -> bool:
    for phrase in _lines(FIXED):
        if phrase.endswith("*") and sentence.startswith(phrase[:-1]):
            return True
        if sentence == phrase:
            return True
    return False


def _orphans(spec: Spec, doc: Document) -> Iterator[str]:
    """The sentences of a document with no pointer to a field the spec (or its party
    files) has, apart from the fixed phrases."""
    for sentence in doc.sentences:
        if not any(p in spec.positions for p in sentence.pointers) and not _fixed(sentence.text):
            yield sentence.text


def test_there_are_specs_of_every_source() -> None:
    names = {p.parent.name for p in SPECS}
    assert {"specs", "fixtures"} <= names and any(p.name == "spec.yaml" for p in SPECS)
    assert any(p.stem.startswith("fresh-") for p in SPECS)


@pytest.mark.parametrize("path", SPECS, ids=_name)
def test_every_sentence_rests_on_a_field_the_spec_has(path: Path) -> None:
    spec, docs = _built(path)
    found = [f"{doc.folder}/{doc.name}: {text}" for doc in docs for text in _orphans(spec, doc)]
    assert not found, (
        "meningar utan stöd i specifikationen (låt dem bero på fältet som bär dem, "
        "eller ta med dem i tests/fixed_phrases.txt om de är fasta fraser):\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize("path", SPECS, ids=_name)
def test_every_pointer_of_a_sentence_is_in_the_spec(path: Path) -> None:
    """A sentence's pointers are fields the spec (with its party files) has; the fields
    it read but are absent (defaults) are listed apart and support nothing."""
    spec, docs = _built(path)
    wrong = {
        pointer
        for doc in docs
        for sentence in doc.sentences
        for pointer in sentence.pointers
        if pointer not in spec.positions
    }
    assert not wrong
    absent = {p for doc in docs for s in doc.sentences for p in s.absent}
    assert not absent & set(spec.positions)


def test_the_fixed_list_is_short_and_every_phrase_occurs() -> None:
    """The fixed phrases stay few, and a phrase no document writes any more must go."""
    sentences = {s.text for path in SPECS for doc in _built(path)[1] for s in doc.sentences}
    assert len(_lines(FIXED)) < 40
    for phrase in _lines(FIXED):
        stem = phrase[:-1] if phrase.endswith("*") else None
        assert any(t.startswith(stem) if stem else t == phrase for t in sentences), phrase


@pytest.mark.parametrize("path", SPECS, ids=_name)
def test_documents_are_the_same_with_and_without_provenance(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording changes no byte of any document: the marks all come out again."""
    spec, docs = _built(path)

    @contextlib.contextmanager
    def not_recording(recorder: provenance.Recorder) -> Iterator[provenance.Recorder]:
        yield recorder

    monkeypatch.setattr(documents_module, "recording", not_recording)
    plain = documents(spec)[0]
    assert [d.markdown for d in docs] == [d.markdown for d in plain]
    assert not any(provenance.OPEN in d.markdown for d in docs)


def _sentences(template: str, data: dict[str, object]) -> dict[str, tuple[str, ...]]:
    recorder = provenance.Recorder()
    with provenance.recording(recorder):
        marked = environment().from_string(template).render(s=View(data))
    text, sentences = provenance.split(marked, recorder)
    assert text == environment().from_string(template).render(s=View(data))
    return {s.text: s.pointers for s in sentences}


def test_a_sentence_gets_its_condition_and_its_values_and_a_fixed_one_nothing() -> None:
    template = (
        "{% if s.a %}Villkoret gäller.{% endif %} Det här står alltid. "
        "Värdet är {{ s.b }}.{% for x in s.punkter %} Punkten {{ x }}.{% endfor %}\n"
    )
    found = _sentences(template, {"a": True, "b": "sju", "punkter": ["ett", "två"]})
    assert found["Villkoret gäller."] == ("/a",)
    assert found["Det här står alltid."] == ()
    assert found["Värdet är sju."] == ("/b",)
    assert "/punkter/1" in found["Punkten två."] and "/punkter/0" not in found["Punkten två."]


def test_a_condition_whose_branch_is_not_taken_supports_nothing_after_it() -> None:
    found = _sentences("{% if s.a %}Villkoret gäller.{% endif %}\n\nDet här står alltid.\n",
                       {"a": False})  # fmt: skip
    assert found == {"Det här står alltid.": ()}


def test_a_variable_set_from_the_spec_supports_the_text_after_it() -> None:
    template = "{% set n = s.x.y %}{% if n > 1 %}\nFlera.\n{% endif %}\n"
    assert "/x/y" in _sentences(template, {"x": {"y": 3}})["Flera."]


def test_an_absent_field_is_listed_apart_and_supports_nothing() -> None:
    recorder = provenance.Recorder()
    template = "{{ kalla(s.saknas | default(none)) }}Standardtext.\n"
    with provenance.recording(recorder):
        marked = environment().from_string(template).render(s=View({}))
    _, (sentence,) = provenance.split(marked, recorder)
    assert sentence.pointers == () and sentence.absent == ("/saknas",)


def test_a_view_read_again_supports_every_sentence_that_reads_it() -> None:
    """A spec's views are made once and read for every document (a hub's): each read is
    recorded, in each rendering; a name a View answers itself stays its own."""
    view = View({"a": {"b": "sju"}, "lista": ["ett"], "get": "fält"})
    template = "Värdet är {{ s.a.b }}.\n\nPunkten {{ s.lista[0] }} och {{ s.get('a').b }}.\n"
    for _ in range(2):
        recorder = provenance.Recorder()
        with provenance.recording(recorder):
            marked = environment().from_string(template).render(s=view)
        found = {s.text: set(s.pointers) for s in provenance.split(marked, recorder)[1]}
        assert found == {"Värdet är sju.": {"/a", "/a/b"},
                         "Punkten ett och sju.": {"/a", "/a/b", "/lista", "/lista/0"}}
    recorder = provenance.Recorder()
    with provenance.recording(recorder):  # an index that equals 0 but is not one
        assert (view["lista"][0], view["lista"][False]) == ("ett", "ett")
    assert recorder.reads == ["/lista", "/lista/0", "/lista", "/lista/False"]


def _sentence(doc: Document, start: str) -> provenance.Sentence:
    return next(s for s in doc.sentences if s.text.startswith(start))


def test_a_derived_date_carries_the_fields_it_is_computed_from() -> None:
    spec, docs = _built(ROOT / "specs" / "socialjour-skogsberg.yaml")
    term = _sentence(docs[0], "Avtalet gäller från och med")
    assert {"/term/start", "/term/duration_months"} <= set(term.pointers)
    notice = _sentence(docs[0], "Avtalet förlängs automatiskt med 24 månader i taget för de")
    assert {"/term/extension/notice_months", "/termination/remaining_parties"} <= set(
        notice.pointers)
    assert spec.data["term"]["extension"]["notice_months"] > 0


def test_a_share_in_kronor_carries_its_row_and_the_total() -> None:
    _, docs = _built(ROOT / "specs" / "socialjour-skogsberg.yaml")
    row = _sentence(docs[0], "Skogsbergs kommun | 41 200")
    assert {"/economics/model/populations/0", "/economics/model/total_cost"} <= set(row.pointers)


def test_a_value_from_the_party_registry_is_located_in_the_party_file() -> None:
    spec, docs = _built(ROOT / "specs" / "socialjour-skogsberg.yaml")
    (record,) = provenance.records([_sentence(docs[0], "Skogsbergs kommun, organisationsnummer")],
                                   spec.locate)  # fmt: skip
    where = {s["pointer"]: (s["file"], s["line"]) for s in record["sources"]}
    file, line = where["/parties/0/org_nr"]
    assert file.endswith("parties/skogsberg.yaml")
    assert "org_nr:" in Path(file).read_text(encoding="utf-8").splitlines()[line - 1]


def test_a_noncharacter_in_a_spec_is_refused_at_its_line() -> None:
    raw = FLAWED.read_bytes().replace(b"title: ", "title: \ufdd0".encode(), 1)
    with pytest.raises(Exception, match="U\\+FDD0"):
        parse_spec(raw, "x.yaml")


# --------------------------------------------------------------------------- avtal explain


@pytest.mark.parametrize("path", spec_paths(), ids=_name)
def test_explain_works_on_every_example_in_text_and_json(path: Path) -> None:
    spec, docs = _built(path)
    text = run_cli("explain", path)
    assert text.code == 0, text.stderr
    agreement = next(d for d in docs if d.name in ("avtal", "overenskommelse"))
    first = agreement.sentences[1]
    assert first.text in text.stdout
    assert f"{spec.locate(first.pointers[0]).file}:" in text.stdout
    run = run_cli("explain", path, "--format", "json")
    assert run.code == 0, run.stderr
    records = json.loads(run.stdout)
    assert {r["document"] for r in records} == {
        f"{d.folder}/{d.name}" for d in docs if d.name in ("avtal", "overenskommelse")
    }
    assert all(set(r) >= {"section", "sentence", "pointers", "sources"} for r in records)
    for document in ("tjansteutlatande", "beslut"):
        run = run_cli("explain", path, "--document", document, "--format", "json")
        assert run.code == 0, run.stderr
        names = {r["document"].rsplit("/", 1)[1].split("-")[0] for r in json.loads(run.stdout)}
        assert names == {document}


def test_explain_of_one_party_shows_its_documents_only() -> None:
    path = ROOT / "specs" / "socialjour-skogsberg.yaml"
    run = run_cli("explain", path, "--document", "beslut", "--party", "abrink", "--format", "json")
    assert run.code == 0, run.stderr
    assert {r["document"] for r in json.loads(run.stdout)} == {"socialjour-skogsberg/abrink/beslut"}


def test_explain_of_bad_input_says_where_and_exits_as_documented() -> None:
    path = ROOT / "specs" / "socialjour-skogsberg.yaml"
    unknown = run_cli("explain", path, "--party", "ingen")
    assert unknown.code == 2 and "skogsberg, abrink, hoglunda" in unknown.stderr
    missing = run_cli("explain", ROOT / "specs" / "finns-inte.yaml")
    assert missing.code == 2 and "finns-inte.yaml" in missing.stderr
    flawed = run_cli("explain", FLAWED)
    assert flawed.code == 1 and f"{FLAWED}:" in flawed.stderr
    assert "Traceback" not in flawed.stderr + missing.stderr + unknown.stderr


# --------------------------------------------------------------------------- the build


def test_the_build_keeps_each_documents_provenance_and_the_html_shows_it(
    tmp_path: Path,
) -> None:
    path = ROOT / "specs" / "familjeratt-sodra-roslagen.yaml"
    for out in (tmp_path / "a", tmp_path / "b"):
        run = run_cli("build", "--format", "md,html", "--out", out, path)
        assert run.code == 0, run.stdout + run.stderr
    folder = tmp_path / "a" / "familjeratt-sodra-roslagen"
    kept = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.provenance.json"))
    assert "avtal.provenance.json" in kept
    assert "taby/tjansteutlatande.provenance.json" in kept and "taby/beslut.provenance.json" in kept
    for rel in kept:  # deterministic
        assert (folder / rel).read_bytes() == (
            tmp_path / "b" / "familjeratt-sodra-roslagen" / rel
        ).read_bytes()
    explained = json.loads(run_cli("explain", path, "--format", "json").stdout)
    kept_records = json.loads((folder / "avtal.provenance.json").read_text(encoding="utf-8"))
    assert kept_records == [{k: v for k, v in r.items() if k != "document"} for r in explained]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "familjeratt-sodra-roslagen/avtal.provenance.json" in manifest["outputs"]

    html = (folder / "avtal.html").read_text(encoding="utf-8")
    assert "<script" not in html and provenance.OPEN not in html
    term = next(r for r in kept_records if r["sentence"].startswith("Avtalet gäller från och med"))
    line = next(s["line"] for s in term["sources"] if s["pointer"] == "/term/start")
    assert f'title="/term/start ({path.relative_to(ROOT)}:{line})' in html or (
        f"/term/start ({path}:{line})" in html
    )
    markdown = (folder / "avtal.md").read_text(encoding="utf-8")
    assert provenance.OPEN not in markdown and "kalla" not in markdown


_TEXT = st.text(max_size=30)
_SOURCE = st.fixed_dictionaries(
    {"pointer": _TEXT, "file": _TEXT | st.none(), "line": st.integers(0, 10**6) | st.none()}
).map(lambda s: {k: s[k] for k in ("pointer", "file", "line")})  # in records' order
_RECORDS = st.lists(
    st.fixed_dictionaries(
        {
            "section": _TEXT | st.none(),
            "sentence": _TEXT,
            "pointers": st.lists(_TEXT, max_size=3),
            "sources": st.lists(_SOURCE, max_size=3),
            "absent": st.lists(_TEXT, max_size=3),
        }
    ).map(lambda r: {k: r[k] for k in ("section", "sentence", "pointers", "sources", "absent")}),
    max_size=4,
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_RECORDS)
def test_the_provenance_file_is_written_as_json_indents_it(found: list[dict[str, Any]]) -> None:
    """records_json gives json.dumps(indent=2)'s text of the records (their quotes,
    escapes, empty lists and nulls), so that no provenance file's bytes change with the
    faster writer; a source met again is written from memory, the same."""
    expected = json.dumps(found, indent=2, ensure_ascii=False)
    assert provenance.records_json(found) == expected
    assert provenance.records_json(found) == expected


@pytest.mark.parametrize("path", spec_paths(), ids=lambda p: p.stem)
def test_every_provenance_file_is_json_dumps_of_its_records(path: Path) -> None:
    """Each document's provenance file is json.dumps of records, to the byte: a field
    records gained and the writer left out, or a value of a kind it writes otherwise,
    fails here."""
    docs, _ = documents(read_spec(path))
    for doc in docs:
        if doc.locate is None:
            continue
        found = provenance.records(doc.sentences, doc.locate)
        expected = json.dumps(found, indent=2, ensure_ascii=False) + "\n"
        assert doc.provenance().decode() == expected, f"{doc.folder}/{doc.name}"
