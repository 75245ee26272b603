"""Staff reports (tjänsteutlåtande) and decision drafts (beslut) of every example spec.

Every example spec is built once per session (md, pdf, docx) by this module's own
fixture. Expected values are computed here from the spec YAML (read with PyYAML, not
with the generator): names, amounts, dates, fingerprints. PDF text is read with pypdf,
DOCX as raw WordprocessingML (word/document.xml) with xml.etree, Markdown with plain
regular expressions.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pypdf
import pytest
import yaml

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
NORRSTROM = SPECS / "familjebehandling-norrstrom-fjallviken.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")
ADJUSTED = "Paragrafen förklaras omedelbart justerad."
THRESHOLD_2024_SOCIAL = "8 109 450 kronor"
NAMES = ("tjansteutlatande", "beslut")


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path) -> Run:
    """`avtal ARGS...` in-process, output captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return Run(code, out.getvalue(), err.getvalue())


def norm(text: str) -> str:
    """Every run of whitespace (no-break spaces too) becomes one space."""
    return " ".join(text.split())


def key(text: str) -> str:
    """Text without whitespace and hyphens: PDF line breaks and hyphenation ignored."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def swedish_date(value: Any) -> str:
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def kronor(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " kronor"


def join_and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def sha12(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


# --------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    """One party with a `decision` block, and what its documents must say."""

    spec_path: Path
    spec: dict[str, Any]
    index: int
    others: tuple[dict[str, Any], ...]  # the parties this party enters agreements with
    agreement_folders: tuple[str, ...]  # where the avtal.md it approves are built

    @property
    def party(self) -> dict[str, Any]:
        return dict(self.spec["parties"][self.index])

    @property
    def decision(self) -> dict[str, Any]:
        return dict(self.party["decision"])

    @property
    def folder(self) -> str:
        return f"{self.spec['id']}/{self.party['id']}"

    @property
    def organ(self) -> str:
        return str(next(o["name"] for o in self.party["organs"]
                        if o["id"] == self.decision["organ"]))

    @property
    def includes_children(self) -> bool:
        return bool(self.spec.get("target_group", {}).get("includes_children"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def cases_of(path: Path) -> list[Case]:
    spec = load(path)
    parties = spec["parties"]
    host = spec.get("hub", {}).get("host")
    cases = []
    for i, party in enumerate(parties):
        if "decision" not in party:
            continue
        if host is None:
            others = tuple(p for p in parties if p is not party)
            folders: tuple[str, ...] = (spec["id"],)
        elif party["id"] == host:
            others = tuple(p for p in parties if p is not party)
            folders = tuple(f"{spec['id']}/{p['id']}" for p in others)
        else:
            others = tuple(p for p in parties if p["id"] == host)
            folders = (f"{spec['id']}/{party['id']}",)
        cases.append(Case(path, spec, i, others, folders))
    return cases


SPEC_PATHS = sorted(SPECS.glob("*.yaml"))
CASES = [c for p in SPEC_PATHS for c in cases_of(p)]
IDS = [c.folder for c in CASES]


def staff_headings(case: Case) -> list[str]:
    children = case.includes_children or "child_rights" in case.decision.get("analyses", {})
    return [
        "Förvaltningens förslag till beslut", "Sammanfattning", "Bakgrund", "Ärendet",
        "Ekonomiska konsekvenser", "Juridisk bedömning", "Jämställdhetsanalys",
        *(["Barnrättsperspektiv"] if children else []),
        "Ärendets beredning", "Förvaltningens synpunkter och förslag", "Bilagor",
    ]


def draft_headings(case: Case) -> list[str]:
    return ["Beslut", "Beskrivning av ärendet", "Beslutsunderlag",
            *(["Expedieras till"] if case.decision.get("distribution") else [])]


POINTS_HEADING = {"tjansteutlatande": "Förvaltningens förslag till beslut",
                  "beslut": "Beslut"}


# --------------------------------------------------------------------------- Markdown


def md_body(markdown: str) -> str:
    assert markdown.startswith("---\n"), "Markdown ska börja med ett metadatablock"
    return markdown.split("\n---\n", 1)[1]


def md_front(markdown: str) -> dict[str, str]:
    """The metadata block: one JSON-quoted line of escaped Markdown per key, unescaped."""
    values = {}
    for line in markdown.split("\n---\n", 1)[0].splitlines()[1:]:
        name, _, raw = line.partition(": ")
        values[name] = unescape(json.loads(raw)) if raw.startswith('"') else raw
    return values


def md_sections(markdown: str) -> list[tuple[str, str]]:
    """(heading, raw body) of every level-1 heading, in order; body before it as ''."""
    parts = re.split(r"^# (.+)$", md_body(markdown), flags=re.M)
    sections = [("", parts[0])]
    sections += [(unescape(parts[i]).strip(), parts[i + 1]) for i in range(1, len(parts), 2)]
    return sections


def md_section(markdown: str, heading: str) -> str:
    found = [body for h, body in md_sections(markdown) if h == heading]
    assert len(found) == 1, f"rubriken {heading!r} finns {len(found)} gånger"
    return found[0]


def md_points(markdown: str, heading: str) -> list[str]:
    """The numbered list under `heading`, unescaped; nothing else may stand there."""
    points: list[str] = []
    for line in md_section(markdown, heading).splitlines():
        if not line.strip():
            continue
        match = re.fullmatch(r"(\d+)\. (.+)", line)
        assert match, f"under {heading!r} står en rad som inte är en beslutspunkt: {line!r}"
        assert int(match.group(1)) == len(points) + 1, f"fel numrering: {line!r}"
        points.append(norm(unescape(match.group(2))))
    return points


# --------------------------------------------------------------------------- PDF


@cache
def pdf_pages(path: Path) -> tuple[str, ...]:
    return tuple(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_pages(path))


def pdf_lines(path: Path, party_name: str) -> list[str]:
    """Body lines of a PDF: running headers ("<party> · … Dnr …") and footers dropped."""
    lines = []
    for page in pdf_pages(path):
        for line in page.splitlines():
            line = line.strip()
            if re.search(r"Sida \d+ av \d+", line):
                continue
            if line.startswith(f"{party_name} · ") and " Dnr " in line:
                continue
            lines.append(line)
    return lines


def pdf_points(lines: list[str], heading: str, stop: str) -> list[str]:
    """The numbered list between the heading line and the next heading line."""
    assert heading in lines, f"rubriken {heading!r} saknas i PDF-texten"
    start = lines.index(heading) + 1
    assert stop in lines[start:], f"rubriken {stop!r} saknas efter {heading!r} i PDF-texten"
    end = lines.index(stop, start)
    points: list[str] = []
    for line in lines[start:end]:
        marker = f"{len(points) + 1}. "
        if line.startswith(marker):
            points.append(line[len(marker):])
        else:
            assert points, f"text före första beslutspunkten i PDF: {line!r}"
            points[-1] += "\n" + line
    return points


# --------------------------------------------------------------------------- DOCX


def docx_xml(path: Path, name: str) -> ET.Element:
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read(name))


def docx_paragraphs(path: Path) -> list[tuple[str, str | None, str]]:
    """(style, numId or None, text) of every paragraph of word/document.xml, in order."""
    out = []
    for p in docx_xml(path, "word/document.xml").iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        num = p.find(f"{W}pPr/{W}numPr/{W}numId")
        out.append((
            style.get(W + "val", "") if style is not None else "",
            num.get(W + "val") if num is not None else None,
            "".join(t.text or "" for t in p.iter(W + "t")),
        ))
    return out


def docx_number_format(path: Path, num_id: str) -> str:
    numbering = docx_xml(path, "word/numbering.xml")
    num = next(n for n in numbering.iter(W + "num") if n.get(W + "numId") == num_id)
    abstract_id = num.find(W + "abstractNumId").get(W + "val")  # type: ignore[union-attr]
    abstract = next(a for a in numbering.iter(W + "abstractNum")
                    if a.get(W + "abstractNumId") == abstract_id)
    level = next(lv for lv in abstract.iter(W + "lvl") if lv.get(W + "ilvl") == "0")
    return str(level.find(W + "numFmt").get(W + "val"))  # type: ignore[union-attr]


def docx_headings(path: Path) -> list[str]:
    return [text.strip() for style, _, text in docx_paragraphs(path) if style == "Heading1"]


def docx_points(path: Path, heading: str) -> list[str]:
    """The paragraphs after the Heading1 `heading` up to the next heading: a decimal list."""
    paragraphs = docx_paragraphs(path)
    starts = [i for i, (s, _, t) in enumerate(paragraphs) if s == "Heading1" and t == heading]
    assert len(starts) == 1, f"rubriken {heading!r} finns {len(starts)} gånger i DOCX"
    points, ids = [], set()
    for style, num_id, text in paragraphs[starts[0] + 1:]:
        if style.startswith("Heading"):
            break
        assert num_id is not None, f"ett stycke under {heading!r} är inte numrerat: {text!r}"
        ids.add(num_id)
        points.append(norm(text))
    assert len(ids) == 1, f"beslutspunkterna under {heading!r} ska vara en enda lista: {ids}"
    assert docx_number_format(path, ids.pop()) == "decimal", "punkterna ska vara numrerade"
    return points


def docx_all_text(path: Path) -> tuple[str, str]:
    """(document text, header and footer text) as plain text."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    body = " ".join(t.text or "" for t in docx_xml(path, "word/document.xml").iter(W + "t"))
    margins = " ".join(
        t.text or "" for name in names if re.fullmatch(r"word/(header|footer)\d*\.xml", name)
        for t in docx_xml(path, name).iter(W + "t")
    )
    return norm(body), norm(margins)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def decisions_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """`avtal build --format md,pdf,docx --out TMP specs` once per session."""
    out = tmp_path_factory.mktemp("beslut")
    return out, run_cli("build", "--format", "md,pdf,docx", "--out", out, SPECS)


@pytest.fixture(scope="session")
def out(decisions_build: tuple[Path, Run]) -> Path:
    path, run = decisions_build
    assert run.code == 0, f"bygget misslyckades:\n{run.stdout}\n{run.stderr}"
    return path


def read_md(out: Path, case: Case, name: str) -> str:
    return (out / case.folder / f"{name}.md").read_text(encoding="utf-8")


def expected_fingerprint(out: Path, case: Case) -> str:
    prints = sorted(sha12((out / f / "avtal.md").read_bytes()) for f in case.agreement_folders)
    if len(prints) == 1:
        return prints[0]
    return hashlib.sha256("".join(prints).encode()).hexdigest()[:12]


# --------------------------------------------------------------------------- existence


def test_example_build_has_no_warnings(decisions_build: tuple[Path, Run]) -> None:
    _, run = decisions_build
    assert run.code == 0, run.stderr
    assert "varning" not in run.stderr, run.stderr


@pytest.mark.parametrize("path", SPEC_PATHS, ids=[p.stem for p in SPEC_PATHS])
def test_case_folders_are_the_parties_with_decisions(out: Path, path: Path) -> None:
    spec = load(path)
    built = {p.parent.name for p in (out / spec["id"]).glob("*/tjansteutlatande.md")}
    assert built == {p["id"] for p in spec["parties"] if "decision" in p}
    drafts = {p.parent.name for p in (out / spec["id"]).glob("*/beslut.md")}
    assert drafts == built


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_both_documents_in_every_format(out: Path, case: Case) -> None:
    for name in NAMES:
        md = out / case.folder / f"{name}.md"
        pdf = out / case.folder / f"{name}.pdf"
        docx = out / case.folder / f"{name}.docx"
        assert md.read_text(encoding="utf-8").startswith("---\n")
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert "word/document.xml" in zipfile.ZipFile(docx).namelist()


# --------------------------------------------------------------------------- decision points


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_points_identical_in_both_markdown_documents(out: Path, case: Case) -> None:
    staff = md_points(read_md(out, case, "tjansteutlatande"), POINTS_HEADING["tjansteutlatande"])
    draft = md_points(read_md(out, case, "beslut"), POINTS_HEADING["beslut"])
    assert staff, "inga beslutspunkter"
    assert staff == draft


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_points_identical_in_both_pdfs(out: Path, case: Case) -> None:
    expected = md_points(read_md(out, case, "beslut"), "Beslut")
    name = case.party["name"]
    staff = pdf_points(pdf_lines(out / case.folder / "tjansteutlatande.pdf", name),
                       "Förvaltningens förslag till beslut", "Sammanfattning")
    draft = pdf_points(pdf_lines(out / case.folder / "beslut.pdf", name),
                       "Beslut", "Beskrivning av ärendet")
    assert [key(p) for p in staff] == [key(p) for p in expected], staff
    assert [key(p) for p in draft] == [key(p) for p in expected], draft


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_points_identical_in_both_docx(out: Path, case: Case) -> None:
    expected = md_points(read_md(out, case, "beslut"), "Beslut")
    for name in NAMES:
        assert docx_points(out / case.folder / f"{name}.docx", POINTS_HEADING[name]) == expected


def expected_points(case: Case) -> list[str] | None:
    """The points when the spec gives them all (replace), else None."""
    replace = case.decision.get("decision_points", {}).get("replace")
    return [norm(p) for p in replace] if replace else None


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_points_match_the_spec(out: Path, case: Case) -> None:
    points = md_points(read_md(out, case, "beslut"), "Beslut")
    d = case.decision
    replace = expected_points(case)
    if replace is not None:
        assert points == replace
        return
    added = [norm(p) for p in d.get("decision_points", {}).get("add", [])]
    extension = bool(d.get("extension_authority"))
    adjusted = bool(d.get("immediate_adjustment"))
    assert len(points) == 3 + extension + len(added) + adjusted, points

    enter = points[0]
    assert enter.startswith(f"{case.organ} "), enter
    for other in case.others:
        assert other["name"] in enter, f"{other['name']} saknas i {enter!r}"
    names_in_spec = {p["name"] for p in case.spec["parties"]} - {case.party["name"]}
    for stranger in names_in_spec - {o["name"] for o in case.others}:
        assert stranger not in enter, f"{stranger} är inte part i {case.folder}s avtal"
    assert "bilaga 1" in enter

    who = upper_first(d["signing_authority"])
    assert points[1].startswith(f"{who} bemyndigas att underteckna"), points[1]
    assert points[2].startswith(f"{who} bemyndigas att vidta"), points[2]
    with_extension = [p for p in points if "förlängning" in p]
    assert len(with_extension) == extension, points
    if extension:
        assert points[3].startswith(f"{who} bemyndigas att besluta om förlängning")
    assert points[3 + extension:3 + extension + len(added)] == added
    assert (ADJUSTED in points) == adjusted
    if adjusted:
        assert points[-1] == ADJUSTED, "omedelbar justering ska vara sista punkten"
    for point in points[:3 + extension]:
        assert point.count("bemyndigas") <= 1 and " och att " not in point, point


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_points_are_written_as_decided_one_action_each(out: Path, case: Case) -> None:
    points = md_points(read_md(out, case, "beslut"), "Beslut")
    assert len(set(points)) == len(points), "en punkt står två gånger"
    for point in points:
        lowered = point.lower()
        assert "förslag" not in lowered and "föreslå" not in lowered, point
        assert point.endswith("."), point
        assert not re.search(r"[.!?] +[A-ZÅÄÖ]", point), f"mer än en mening: {point!r}"


# --------------------------------------------------------------------------- fingerprint


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fingerprint_and_version_in_both_documents(out: Path, case: Case) -> None:
    fingerprint = expected_fingerprint(out, case)
    version = str(case.spec["version"])
    for name in NAMES:
        md = read_md(out, case, name)
        assert fingerprint in unescape(md_body(md)), f"{name}.md"
        assert re.search(rf"version {re.escape(version)}(?!\.?\d)", unescape(md_body(md)))
        assert md_front(md)["footer-right"] == f"Avtal version {version} · {fingerprint}"
        pdf = key(pdf_text(out / case.folder / f"{name}.pdf"))
        assert key(f"kontrollsumma {fingerprint}") in pdf, f"{name}.pdf"
        assert key(f"Avtal version {version} · {fingerprint}") in pdf, f"{name}.pdf sidfot"
        body, margins = docx_all_text(out / case.folder / f"{name}.docx")
        assert f"kontrollsumma {fingerprint}" in body and f"version {version}" in body, name
        assert f"Avtal version {version} · {fingerprint}" in margins, f"{name}.docx sidfot"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_manifest_records_fingerprint_and_version(out: Path, case: Case) -> None:
    manifest = json.loads((out / case.spec["id"] / "manifest.json").read_text("utf-8"))
    outputs = manifest["outputs"]
    fingerprint = expected_fingerprint(out, case)
    for name in NAMES:
        record = outputs[f"{case.folder}/{name}"]
        assert record["agreement_fingerprint"] == fingerprint
        assert record["agreement_version"] == str(case.spec["version"])
    for folder in case.agreement_folders:
        assert outputs[f"{folder}/avtal"]["fingerprint"] == sha12(
            (out / folder / "avtal.md").read_bytes())


def test_hub_host_fingerprint_combines_all_its_agreements(out: Path) -> None:
    hosts = [c for c in CASES if len(c.agreement_folders) > 1]
    assert hosts, "inget exempel med en navspecifikation"
    for case in hosts:
        prints = [sha12((out / f / "avtal.md").read_bytes()) for f in case.agreement_folders]
        assert len(set(prints)) == len(prints) == len(case.others)
        combined = hashlib.sha256("".join(sorted(prints)).encode()).hexdigest()[:12]
        staff = unescape(read_md(out, case, "tjansteutlatande"))
        assert combined in staff and not any(p in staff for p in prints)


# --------------------------------------------------------------------------- staff report


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_staff_report_sections_in_order(out: Path, case: Case) -> None:
    expected = staff_headings(case)
    md = read_md(out, case, "tjansteutlatande")
    assert [h for h, _ in md_sections(md)[1:]] == expected
    assert docx_headings(out / case.folder / "tjansteutlatande.docx") == expected
    lines = pdf_lines(out / case.folder / "tjansteutlatande.pdf", case.party["name"])
    position = 0
    for heading in expected:
        assert heading in lines[position:], f"{heading!r} saknas eller i fel ordning i PDF"
        position = lines.index(heading, position) + 1


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_staff_report_header(out: Path, case: Case) -> None:
    d = case.decision
    officer = d["case_officer"]
    head = norm(unescape(md_sections(read_md(out, case, "tjansteutlatande"))[0][1]))
    pdf = norm(pdf_text(out / case.folder / "tjansteutlatande.pdf"))
    for text in (head, pdf):
        for value in (case.party["name"], d["administration"], d["diarienummer"],
                      officer["name"], officer["phone"], f"{case.organ}, sammanträde "
                      f"{swedish_date(d['meeting_date'])}"):
            assert norm(str(value)) in text, value
        assert officer["title"].lower() in text.lower()
        assert str(d["report_date"]) in text or swedish_date(d["report_date"]) in text


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_blank_section_and_no_missing_marker(out: Path, case: Case) -> None:
    for name in NAMES:
        md = read_md(out, case, name)
        for heading, body in md_sections(md)[1:]:
            assert body.strip(), f"{name}: avsnittet {heading!r} är tomt"
        assert "Uppgift saknas" not in md


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_staff_report_texts_from_the_spec(out: Path, case: Case) -> None:
    md = read_md(out, case, "tjansteutlatande")
    d = case.decision
    analyses = d.get("analyses", {})
    expect = {
        "Bakgrund": case.spec.get("background"),
        "Jämställdhetsanalys": analyses.get("gender_equality"),
        "Barnrättsperspektiv": analyses.get("child_rights"),
        "Ärendets beredning": d.get("preparation"),
        "Förvaltningens synpunkter och förslag": d.get("opinion"),
        "Sammanfattning": d.get("summary"),
    }
    for heading, text in expect.items():
        if text:
            assert norm(text) in norm(unescape(md_section(md, heading))), heading
    attachments = norm(unescape(md_section(md, "Bilagor")))
    assert f"1. {case.spec['title']}, version {case.spec['version']}" in attachments
    for i, extra in enumerate(d.get("attachments", []), start=2):
        assert f"{i}. {norm(extra)}" in attachments


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_run_on_sentences_or_doubled_full_stops(out: Path, case: Case) -> None:
    for name in NAMES:
        text = unescape(md_body(read_md(out, case, name)))
        assert not re.search(r"(?<!\.)\.\.(?!\.)", text), f"{name}: dubbel punkt"
        run_on = re.search(r"\w+[a-zåäö]\.[A-ZÅÄÖ]\w+", text)
        assert not run_on, f"{name}: meningar utan mellanrum: {run_on.group(0)!r}"


# --------------------------------------------------------------------------- economics, law


def cost_model(case: Case) -> str:
    return str(case.spec.get("economics", {}).get("model", {}).get("type", ""))


POPULATION_CASES = [c for c in CASES if cost_model(c) == "befolkning"]
FIXED_CASES = [c for c in CASES if cost_model(c) == "fasta_andelar"]
DIRECT_CASES = [c for c in CASES
                if c.spec.get("procurement", {}).get("basis") == "direktupphandling"]


def economics(out: Path, case: Case) -> str:
    return norm(unescape(md_section(read_md(out, case, "tjansteutlatande"),
                                    "Ekonomiska konsekvenser")))


def test_examples_cover_the_cost_models() -> None:
    assert POPULATION_CASES and FIXED_CASES and DIRECT_CASES


@pytest.mark.parametrize("case", POPULATION_CASES, ids=[c.folder for c in POPULATION_CASES])
def test_population_share_in_kronor(out: Path, case: Case) -> None:
    model = case.spec["economics"]["model"]
    total = sum(row["population"] for row in model["populations"])
    amounts = {row["party"]: round(model["total_cost"] * row["population"] / total)
               for row in model["populations"]}
    text = economics(out, case)
    assert kronor(amounts[case.party["id"]]) in text, text
    for party, amount in amounts.items():
        if party != case.party["id"]:
            assert kronor(amount) not in text, f"{party}s andel står i {case.folder}"


@pytest.mark.parametrize("case", FIXED_CASES, ids=[c.folder for c in FIXED_CASES])
def test_fixed_share_in_kronor(out: Path, case: Case) -> None:
    model = case.spec["economics"]["model"]
    rows = [r for r in model["shares"] if case.party["id"] in r["parties"]]
    assert len(rows) == 1
    row = rows[0]

    def kr(percent: Any) -> int:
        return round(model["total_cost"] * Fraction(str(percent)) / 100)

    if "percent" in row:
        expected = kronor(kr(row["percent"]))
    else:
        low, high = kr(row["range"]["min"]), kr(row["range"]["max"])
        expected = f"{kronor(low).removesuffix(' kronor')}–{kronor(high)}"
    text = economics(out, case)
    assert expected in text, text
    if row["parties"] == [case.party["id"]]:
        assert text.startswith(case.party["name"]), "partens egen andel ska stå först"


@pytest.mark.parametrize("case", DIRECT_CASES, ids=[c.folder for c in DIRECT_CASES])
def test_direct_procurement_figures(out: Path, case: Case) -> None:
    procurement = case.spec["procurement"]
    assert procurement["threshold_year"] == 2024
    assert procurement["service_category"] == "sociala_tjanster"
    section = norm(unescape(md_section(read_md(out, case, "tjansteutlatande"),
                                       "Juridisk bedömning")))
    own = section.replace(norm(procurement.get("note", "")), "")  # the spec's note aside
    assert kronor(procurement["value_per_party"]) in own, own
    assert THRESHOLD_2024_SOCIAL in own, own
    assert "2024" in own and "understiger" in own


# --------------------------------------------------------------------------- decision draft


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_decision_draft_contents(out: Path, case: Case) -> None:
    d = case.decision
    md = read_md(out, case, "beslut")
    assert [h for h, _ in md_sections(md)[1:]] == draft_headings(case)
    assert docx_headings(out / case.folder / "beslut.docx") == draft_headings(case)
    head = norm(unescape(md_sections(md)[0][1]))
    assert f"{case.organ}, {case.party['name']}" in head
    assert swedish_date(d["meeting_date"]) in head
    assert "§ ____" in head
    assert norm(d["diarienummer"]) in head
    assert md_front(md)["title"] == case.spec["title"]
    pdf = pdf_text(out / case.folder / "beslut.pdf")
    for value in (case.spec["title"], case.organ, swedish_date(d["meeting_date"]),
                  d["diarienummer"], "§ ____"):
        assert key(value) in key(pdf), value
    if d.get("summary"):
        assert norm(d["summary"]) in norm(unescape(md_section(md, "Beskrivning av ärendet")))
    basis = norm(unescape(md_section(md, "Beslutsunderlag")))
    assert (f"Tjänsteutlåtande från {d['administration'][:1].lower()}"
            f"{d['administration'][1:]}, daterat {swedish_date(d['report_date'])}") in basis
    fingerprint = expected_fingerprint(out, case)
    assert (f"Bilaga 1: {case.spec['title']}, version {case.spec['version']}, "
            f"kontrollsumma {fingerprint}") in basis
    for i, extra in enumerate(d.get("attachments", []), start=2):
        assert f"Bilaga {i}: {norm(extra)}" in basis
    if d.get("distribution"):
        listed = [norm(unescape(line[2:])) for line in
                  md_section(md, "Expedieras till").splitlines() if line.startswith("- ")]
        assert listed == [norm(x) for x in d["distribution"]]


# --------------------------------------------------------------------------- PDF/A


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_pdfa(out: Path, case: Case) -> None:
    for name in NAMES:
        reader = pypdf.PdfReader(str(out / case.folder / f"{name}.pdf"))
        root = reader.trailer["/Root"]
        assert "/OutputIntents" in root and root.get("/Lang") == "sv-SE"
        xmp = ET.fromstring(root["/Metadata"].get_object().get_data())
        found = {}
        for element in xmp.iter():
            for prop in ("part", "conformance"):
                if element.tag == PDFAID + prop:
                    found[prop] = (element.text or "").strip()
                if PDFAID + prop in element.attrib:
                    found[prop] = element.attrib[PDFAID + prop]
        assert found == {"part": "2", "conformance": "B"}, found


def test_reproducible(out: Path, tmp_path: Path) -> None:
    """Building one spec again gives the same bytes for every case document."""
    run = run_cli("build", "--format", "md,pdf,docx", "--out", tmp_path, NORRSTROM)
    assert run.code == 0, run.stderr
    cases = cases_of(NORRSTROM)
    assert len(cases) == 2
    for case in cases:
        for name in NAMES:
            for fmt in ("md", "pdf", "docx"):
                rel = f"{case.folder}/{name}.{fmt}"
                assert (tmp_path / rel).read_bytes() == (out / rel).read_bytes(), rel


# --------------------------------------------------------------------------- edited specs


def edited(tmp_path: Path, replacements: list[tuple[str, str, int]]) -> Path:
    """A copy of the Norrström–Fjällviken spec with the n-th occurrence of texts replaced."""
    text = NORRSTROM.read_text(encoding="utf-8")
    for old, new, nth in replacements:
        places = [m.start() for m in re.finditer(re.escape(old), text)]
        assert len(places) >= nth, f"{old!r} finns inte {nth} gånger i exemplet"
        at = places[nth - 1]
        text = text[:at] + new + text[at + len(old):]
    path = tmp_path / NORRSTROM.name
    path.write_text(text, encoding="utf-8")
    return path


ADD_BLOCK = (
    "      decision_points:\n        add:\n          - Ärendet överlämnas till "
    "kommunfullmäktige för godkännande av de ekonomiska villkoren i avtalet.\n"
)
CHILD_RIGHTS = (
    "        child_rights: >-\n"
    "          Ungdomar som i dag väntar på en insats eller placeras utanför hemmet\n"
    "          kan i stället få behandling där de bor. Handläggaren i Fjällviken\n"
    "          följer upp att barnets synpunkter tas till vara under behandlingen.\n"
)


def built_md(spec: Path, out: Path, *extra: str) -> tuple[Run, dict[str, dict[str, str]]]:
    run = run_cli("build", "--format", "md", "--out", out, *extra, spec)
    spec_id = load(spec)["id"]
    docs = {p.parent.name: {} for p in (out / spec_id).glob("*/beslut.md")}
    for party, names in docs.items():
        for name in NAMES:
            names[name] = (out / spec_id / party / f"{name}.md").read_text(encoding="utf-8")
    return run, docs


def test_added_and_replacing_points(tmp_path: Path) -> None:
    added = ["Socialchefen får i uppdrag att rekrytera två familjebehandlare (se bilaga 2).",
             "Nämnden ska få en redovisning av avtalet senast den 31 mars 2027."]
    replacing = ["Socialnämnden godkänner avtalet om familjebehandling med Norrströms kommun.",
                 "Socialchefen får i uppdrag att underteckna avtalet & bilagorna.",
                 "Beslutet gäller från den 1 juli 2026."]
    spec = edited(tmp_path, [
        (ADD_BLOCK, "      decision_points:\n        add:\n"
         + "".join(f"          - {p}\n" for p in added), 1),
        (ADD_BLOCK, "      decision_points:\n        replace:\n"
         + "".join(f"          - \"{p}\"\n" for p in replacing), 1),
        ("      extension_authority: false\n      immediate_adjustment: false\n",
         "      extension_authority: true\n      immediate_adjustment: true\n", 1),
    ])
    run, docs = built_md(spec, tmp_path / "out")
    assert run.code == 0, run.stderr
    for party in ("norrstrom", "fjallviken"):
        staff = md_points(docs[party]["tjansteutlatande"], "Förvaltningens förslag till beslut")
        assert staff == md_points(docs[party]["beslut"], "Beslut")
    norrstrom = md_points(docs["norrstrom"]["beslut"], "Beslut")
    assert len(norrstrom) == 7, norrstrom
    assert norrstrom[0].startswith("Social- och omsorgsnämnden ingår")
    assert norrstrom[3].startswith("Ordföranden i social- och omsorgsnämnden bemyndigas att "
                                   "besluta om förlängning")
    assert norrstrom[4:6] == added
    assert norrstrom[6] == ADJUSTED
    assert not any("kommunfullmäktige" in p for p in norrstrom), "den gamla punkten står kvar"
    assert md_points(docs["fjallviken"]["beslut"], "Beslut") == replacing


def test_missing_child_rights_is_a_warning_with_place(tmp_path: Path) -> None:
    spec = edited(tmp_path, [(CHILD_RIGHTS, "", 1)])
    lines = spec.read_text(encoding="utf-8").splitlines()
    analyses = [i + 1 for i, line in enumerate(lines) if line == "      analyses:"]
    assert len(analyses) == 2
    pointer = "/parties/1/decision/analyses/child_rights"

    run, docs = built_md(spec, tmp_path / "out")
    assert run.code == 0, run.stderr
    found = re.search(rf"{re.escape(str(spec))}:(\d+):\d+: {re.escape(pointer)}\b.*varning",
                      run.stderr)
    assert found, run.stderr
    assert int(found.group(1)) in (analyses[1], analyses[1] + 1), "fel rad i varningen"
    assert "/parties/0/" not in run.stderr

    staff = docs["fjallviken"]["tjansteutlatande"]
    section = md_section(staff, "Barnrättsperspektiv")
    assert "Uppgift saknas" in unescape(section)
    for heading, body in md_sections(staff)[1:]:
        assert body.strip(), f"avsnittet {heading!r} är tomt"
    assert "Uppgift saknas" not in docs["norrstrom"]["tjansteutlatande"]
    assert "Uppgift saknas" not in docs["fjallviken"]["beslut"]

    strict = run_cli("build", "--strict", "--format", "md", "--out", tmp_path / "strict", spec)
    assert strict.code == 1, strict.stdout + strict.stderr
    assert "/parties/1/decision/analyses" in strict.stderr and "child_rights" in strict.stderr


def test_child_rights_not_required_without_children(tmp_path: Path) -> None:
    spec = edited(tmp_path, [(CHILD_RIGHTS, "", 1),
                             ("  includes_children: true\n", "  includes_children: false\n", 1)])
    run, docs = built_md(spec, tmp_path / "out", "--strict")
    assert run.code == 0, run.stderr
    assert "/decision/analyses" not in run.stderr, run.stderr
    fjallviken = [h for h, _ in md_sections(docs["fjallviken"]["tjansteutlatande"])]
    norrstrom = [h for h, _ in md_sections(docs["norrstrom"]["tjansteutlatande"])]
    assert "Barnrättsperspektiv" not in fjallviken
    assert "Barnrättsperspektiv" in norrstrom  # its own analysis is still shown
