"""The built agreements: what the PDF, DOCX and Markdown of every example spec say.

All example specs are built once per session (see conftest.py). PDF text is read with
pypdf, DOCX as raw WordprocessingML; expected dates and amounts are computed from the
spec with babel, never written out by hand.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from buildkit import (
    FIXTURE,
    SECTION_HEADINGS,
    Doc,
    Run,
    W,
    all_documents,
    docx_headings,
    docx_names,
    docx_paragraphs,
    docx_part,
    kronor,
    md_headings,
    md_section,
    md_unescape,
    norm,
    paragraph_text,
    pdf_has,
    read_pdf,
    run_cli,
    section_numbers,
    spec_paths,
    swedish_date,
    xmp_value,
)

DOCS = all_documents()
HUB_DOCS = [d for d in DOCS if "hub" in d.spec]
# The section keys of SECTION_HEADINGS are those of an avtalssamverkan.
CLAUSE_DOCS = [d for d in DOCS if d.spec.get("additional_clauses")
               and d.spec["kind"] == "avtalssamverkan"]


def doc_ids(doc: Doc) -> str:
    return doc.id


def _md(out: Path, doc: Doc) -> str:
    return doc.path(out, "md").read_text(encoding="utf-8")


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    probe = date(day.year + year, month + 1, 1)
    last = (probe.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return probe.replace(day=min(day.day, last.day))


def _end_date(term: Mapping[str, Any]) -> date | None:
    start = date.fromisoformat(str(term["start"]))
    if term.get("duration_months"):
        return _add_months(start, int(term["duration_months"])) - timedelta(days=1)
    if "end" in term:
        return date.fromisoformat(str(term["end"]))
    return None


def _amounts(spec: Mapping[str, Any]) -> list[int]:
    """The total cost and every share in kronor that the cost table must show."""
    model = spec.get("economics", {}).get("model", {})
    if "total_cost" not in model:
        return []
    total = int(model["total_cost"])
    amounts = [total]
    if model["type"] == "befolkning":
        everyone = sum(int(p["population"]) for p in model["populations"])
        amounts += [round(total * Fraction(int(p["population"]), everyone))
                    for p in model["populations"]]
    elif model["type"] == "fasta_andelar":
        amounts += [round(total * Fraction(str(s["percent"])) / 100)
                    for s in model["shares"] if "percent" in s]
    return amounts


# --------------------------------------------------------------------------- the run


def test_there_are_example_documents() -> None:
    assert spec_paths(), "specs/ saknar exempel"
    assert len(DOCS) >= len(spec_paths())


def test_every_example_spec_builds(built: tuple[Path, Run]) -> None:
    out, run = built
    n = len(spec_paths())
    assert run.code == 0, run.stderr
    assert f"{n} av {n} specifikationer byggda" in run.stdout
    assert "misslyckades" not in run.stdout
    specs = {d.spec_path for d in DOCS}
    assert specs == set(spec_paths()), f"okänd kind i {sorted(set(spec_paths()) - specs)}"
    for doc in DOCS:
        assert doc.path(out, "md").read_text(encoding="utf-8").startswith("---\n")
        assert doc.path(out, "pdf").read_bytes().startswith(b"%PDF-")
        assert "word/document.xml" in docx_names(doc.path(out, "docx"))


def test_outputs_are_readable_like_other_new_files(out_dir: Path) -> None:
    """Outputs get the usual permissions (umask), not the 0600 of a private temp file."""
    umask = os.umask(0)
    os.umask(umask)
    files = [p for p in out_dir.rglob("*") if p.is_file()]
    assert files
    modes = {p.relative_to(out_dir).as_posix(): oct(p.stat().st_mode & 0o777) for p in files}
    assert set(modes.values()) == {oct(0o666 & ~umask)}, modes


# --------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_pdf_names_title_and_parties(out_dir: Path, doc: Doc) -> None:
    pdf = read_pdf(doc.path(out_dir, "pdf"))
    assert pdf_has(pdf.pages[0], doc.spec["title"])
    assert pdf.title == doc.spec["title"]
    assert pdf_has(pdf.text, "§ 1 Parter")
    for party in doc.parties:
        assert pdf_has(pdf.text, party["name"]), party["name"]
        assert pdf_has(pdf.text, f"organisationsnummer {party['org_nr']}"), party["org_nr"]


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_pdf_states_dates_in_swedish(out_dir: Path, doc: Doc) -> None:
    text = read_pdf(doc.path(out_dir, "pdf")).text
    term = doc.spec["term"]
    start = swedish_date(term["start"])
    assert re.fullmatch(r"\d{1,2} [a-zåäö]+ \d{4}", start)
    assert pdf_has(text, f"från och med {start}"), start
    end = _end_date(term)
    if end is not None:
        assert pdf_has(text, f"till och med {swedish_date(end)}"), swedish_date(end)
    # The footer gives the spec's date as written; the prose never uses ISO dates.
    prose = norm(text).replace(str(doc.spec["date"]), "")
    assert re.findall(r"\b\d{4}-\d{2}-\d{2}\b", prose) == []


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_pdf_states_amounts_in_kronor(out_dir: Path, doc: Doc) -> None:
    amounts = _amounts(doc.spec)
    if not amounts:
        pytest.skip("kostnadsmodellen har ingen total_cost")
    text = read_pdf(doc.path(out_dir, "pdf")).text
    for amount in amounts:
        assert pdf_has(text, kronor(amount)), kronor(amount)


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_pdf_footer_counts_pages(out_dir: Path, doc: Doc) -> None:
    pdf = read_pdf(doc.path(out_dir, "pdf"))
    total = len(pdf.pages)
    assert total >= 1
    for number, page in enumerate(pdf.pages, start=1):
        assert f"Sida {number} av {total}" in norm(page), f"sidan {number}"


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_pdf_is_tagged_pdfa_2b_in_swedish(out_dir: Path, doc: Doc) -> None:
    pdf = read_pdf(doc.path(out_dir, "pdf"))
    assert pdf.xmp, "XMP-metadata saknas"
    assert xmp_value(pdf.xmp, "part") == "2"
    assert xmp_value(pdf.xmp, "conformance") == "B"
    assert str(pdf.catalog.get("/Lang")) == "sv-SE"
    assert "/StructTreeRoot" in pdf.catalog
    assert bool(pdf.catalog["/MarkInfo"].get("/Marked")), "PDF:en är inte taggad"
    assert all(abs(w - 595.28) < 1 for w in pdf.widths), "sidorna är inte A4"


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_pdf_bookmarks_are_the_headings(out_dir: Path, doc: Doc) -> None:
    pdf = read_pdf(doc.path(out_dir, "pdf"))
    assert list(pdf.outline) == md_headings(_md(out_dir, doc))


# --------------------------------------------------------------------------- DOCX


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_docx_headings_are_numbered_sections(out_dir: Path, doc: Doc) -> None:
    headings = docx_headings(doc.path(out_dir, "docx"))
    assert headings[0] == "§ 1 Parter"
    numbers = section_numbers(headings)
    assert numbers == list(range(1, len(numbers) + 1))
    assert [h for h in headings if not h.startswith("§ ")] == ["Underskrifter"]
    assert headings == md_headings(_md(out_dir, doc)), "DOCX och Markdown har olika rubriker"


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_docx_body_names_parties(out_dir: Path, doc: Doc) -> None:
    body = "\n".join(text for _, text in docx_paragraphs(doc.path(out_dir, "docx")))
    assert doc.spec["title"] in body
    for party in doc.parties:
        assert f"{party['name']}, organisationsnummer {party['org_nr']}" in body


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_docx_header_and_footer(out_dir: Path, doc: Doc) -> None:
    path = doc.path(out_dir, "docx")
    names = docx_names(path)
    assert "word/header1.xml" in names
    header = docx_part(path, "word/header1.xml")
    header_text = "".join(paragraph_text(p) for p in header.iter(W + "p"))
    right = f"Dnr {doc.spec['diarienummer']}" if "diarienummer" in doc.spec else ""
    # The whole title, however long: it wraps in its cell of the header.
    assert norm(doc.spec["title"]) in norm(header_text) and "…" not in header_text
    assert right in header_text
    for part in (n for n in names if re.fullmatch(r"word/(header|footer)\d+\.xml", n)):
        text = "".join(t.text or "" for t in docx_part(path, part).iter(W + "t"))
        assert "[[" not in text and "]]" not in text, f"platshållare kvar i {part}: {text}"
    footers = [n for n in names if re.fullmatch(r"word/footer\d+\.xml", n)]
    assert footers
    fields = [norm(t.text or "") for f in footers
              for t in docx_part(path, f).iter(W + "instrText")]
    fields += [norm(e.get(W + "instr", "")) for f in footers
               for e in docx_part(path, f).iter(W + "fldSimple")]
    assert "PAGE" in fields and "NUMPAGES" in fields, fields


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_docx_language_is_swedish(out_dir: Path, doc: Doc) -> None:
    styles = docx_part(doc.path(out_dir, "docx"), "word/styles.xml")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang is not None
    assert lang.get(W + "val") == "sv-SE"


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_pdf_signing_clause_shares_the_first_signatures_page(out_dir: Path, doc: Doc) -> None:
    """"Underskrifter" and the sentence on copies or e-signing never end a page while
    every signature block stands alone on the next."""
    pages = read_pdf(doc.path(out_dir, "pdf")).pages
    first = f"För {doc.parties[0]['name']}"
    clause = ("likalydande exemplar", "undertecknas elektroniskt")
    at_clause = [i for i, page in enumerate(pages) if any(pdf_has(page, c) for c in clause)]
    at_first = [i for i, page in enumerate(pages) if pdf_has(page, first)]
    assert at_clause and at_first
    assert at_clause[-1] == at_first[-1], (at_clause, at_first)


# --------------------------------------------------------------------------- Markdown


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_sections_are_numbered_without_gaps(out_dir: Path, doc: Doc) -> None:
    headings = md_headings(_md(out_dir, doc))
    numbers = section_numbers(headings)
    assert numbers == list(range(1, len(numbers) + 1)), headings
    assert len(numbers) == len(headings) - 1  # every heading but Underskrifter


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_no_doubled_punctuation(out_dir: Path, doc: Doc) -> None:
    """Template punctuation after spec text that already ends a sentence: "anger..",
    "kommunerna.:". Three dots (an ellipsis) are fine."""
    text = md_unescape(_md(out_dir, doc))
    doubled = [m.group(0) for m in re.finditer(r"\S{0,30}(?<!\.)\.[.:](?!\.)", text)]
    assert doubled == []


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_no_compensation_principle_where_no_compensation_is_paid(out_dir: Path, doc: Doc) -> None:
    """When each party bears its own costs, no party pays the other: the cost-price
    principle for compensation has nothing to govern, and saying the performer is
    compensated contradicts "Parterna betalar ingen ersättning till varandra"."""
    if doc.spec.get("economics", {}).get("model", {}).get("type") != "egna_kostnader":
        pytest.skip("parterna ersätter varandra")
    text = norm(md_unescape(_md(out_dir, doc)))
    assert "ska få täckning för sina kostnader" not in text
    assert "självkostnadsprincipen" not in text


MONTH_NAMES = ("januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
               "november|december")


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_deadlines_read_senast_den(out_dir: Path, doc: Doc) -> None:
    """A deadline in prose is "senast den 30 juni 2028", as spec text writes it too."""
    text = norm(md_unescape(_md(out_dir, doc)))
    assert not re.search(rf"\bsenast \d{{1,2}} ({MONTH_NAMES})\b", text)


@pytest.mark.parametrize("doc", DOCS, ids=doc_ids)
def test_cited_attachments_are_listed(out_dir: Path, doc: Doc) -> None:
    """Every "(bilaga N)" or "i bilaga N" the agreement cites is in its list of
    attachments, and the list numbers each attachment once ("Bilaga 1: ...", not
    "1. Bilaga 1: ...")."""
    text = norm(md_unescape(_md(out_dir, doc)))
    raw = md_unescape(_md(out_dir, doc))
    listed = set(re.findall(r"^- Bilaga (\d+): ", raw, flags=re.M))
    cited = set(re.findall(r"\b(?:i|\() ?bilaga (\d+)\b", text, flags=re.I))
    assert cited <= listed, (sorted(cited), sorted(listed))
    assert not re.search(r"^\d+\. Bilaga \d+", raw, flags=re.M)


def _check_clause_positions(headings: list[str], clauses: list[dict[str, str]]) -> None:
    titles = [re.sub(r"^§ \d+ ", "", h) for h in headings]
    for key in dict.fromkeys(c["after"] for c in clauses):
        mine = [c["heading"] for c in clauses if c["after"] == key]
        assert key in SECTION_HEADINGS, f"okänd plats {key!r}"
        for heading in mine:
            assert titles.count(heading) == 1, f"klausulen {heading!r} saknas eller står två gånger"
        anchor = SECTION_HEADINGS[key]
        if anchor in titles:
            at = titles.index(anchor)
            assert titles[at + 1:at + 1 + len(mine)] == mine, (
                f"{mine} ska stå direkt efter {anchor!r}: {titles}")


@pytest.mark.parametrize("doc", CLAUSE_DOCS, ids=doc_ids)
def test_additional_clause_follows_its_section(out_dir: Path, doc: Doc) -> None:
    headings = md_headings(_md(out_dir, doc))
    _check_clause_positions(headings, list(doc.spec["additional_clauses"]))
    for clause in doc.spec["additional_clauses"]:
        anchor = SECTION_HEADINGS[clause["after"]]
        assert any(h.endswith(" " + anchor) for h in headings), (
            f"exemplet ska placera klausulen efter ett avsnitt som finns: {anchor}")


CLAUSES = """\
additional_clauses:
  - id: forsta
    heading: Första tillägget
    after: parter
    text: Text ett.
  - id: andra
    heading: Andra tillägget
    after: parter
    text: Text två.
  - id: utan-forsakring
    heading: Efter försäkring som saknas
    after: forsakring
    text: Avsnittet om försäkring finns inte i denna specifikation.
  - id: sist
    heading: Efter godkännande
    after: godkannande
    text: Sista klausulen.
"""


def test_clauses_keep_order_and_follow_absent_sections(tmp_path: Path) -> None:
    spec = tmp_path / "klausuler.yaml"
    text = FIXTURE.read_text(encoding="utf-8")
    assert "\ninsurance:" not in text and "\nadditional_clauses:" not in text
    spec.write_text(text + CLAUSES, encoding="utf-8")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    markdown = (tmp_path / "out" / "mini-maria-2026" / "avtal.md").read_text(encoding="utf-8")
    headings = md_headings(markdown)
    titles = [re.sub(r"^§ \d+ ", "", h) for h in headings]
    assert titles[:3] == ["Parter", "Första tillägget", "Andra tillägget"]
    # No insurance section: the clause stands where it would have been.
    at = titles.index("Efter försäkring som saknas")
    assert titles[at - 1] == "Personal och arbetsmiljö"
    assert titles[at + 1] == "Ändringar och tillägg"
    assert titles[-2:] == ["Efter godkännande", "Underskrifter"]
    numbers = section_numbers(headings)
    assert numbers == list(range(1, len(numbers) + 1))
    assert "Sista klausulen." in md_section(markdown, f"§ {numbers[-1]} Efter godkännande")


# --------------------------------------------------------------------------- hub


def test_hub_spec_yields_one_agreement_per_counterparty(out_dir: Path) -> None:
    if not HUB_DOCS:
        pytest.skip("inget exempel har hub")
    for spec_id, name in {(d.spec["id"], d.name) for d in HUB_DOCS}:
        expected = {d.folder for d in HUB_DOCS if d.spec["id"] == spec_id}
        found = {p.parent.relative_to(out_dir).as_posix()
                 for p in (out_dir / spec_id).rglob(f"{name}.md")}
        assert found == expected
        assert not (out_dir / spec_id / f"{name}.md").exists()


@pytest.mark.parametrize("doc", HUB_DOCS, ids=doc_ids)
def test_hub_agreement_names_only_its_two_parties(out_dir: Path, doc: Doc) -> None:
    host, other = doc.parties
    parter = md_section(_md(out_dir, doc), "§ 1 Parter")
    listed = re.findall(r"^- \*\*(.+?)\*\*, organisationsnummer", parter, re.M)
    assert listed == [host["name"], other["name"]]
    for stranger in doc.others:
        assert stranger["name"] not in parter, stranger["name"]
        assert stranger["org_nr"] not in parter
    signatures = md_section(_md(out_dir, doc), "Underskrifter")
    assert re.findall(r"\*\*För (.+?)\*\*", signatures) == [host["name"], other["name"]]
    # The same in the PDF: § 1 names the two parties and none of the others.
    text = norm(read_pdf(doc.path(out_dir, "pdf")).text)
    section = text.split("§ 1 Parter", 1)[1].split("§ 2 ", 1)[0]
    assert host["name"] in section and other["name"] in section
    for stranger in doc.others:
        assert stranger["name"] not in section, stranger["name"]
