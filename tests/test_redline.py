"""`avtal diff --redline`: Word tracked changes and a marked PDF of the agreement.

The DOCX is read as raw WordprocessingML. "Accept all" and "reject all" are simulated
by dropping w:del or w:ins, and compared with the plain DOCX of the new and the old
agreement; the marked words are compared with a word diff the test computes itself.
"""

from __future__ import annotations

import copy
import difflib
import io
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pypdf
import pytest
from buildkit import SPECS_DIR, W, dump, pin, read_spec, read_yaml, run_cli

from generator import convert
from generator.documents import documents
from generator.redline import redline

FAM = SPECS_DIR / "familjebehandling-norrstrom-fjallviken.yaml"
HUB = SPECS_DIR / "roc-ingang.yaml"
AUTHOR = "Anna Jurist"
DATE = "2026-06-01"
RED = b"0.7019608 0.14901961 0.11764706"  # #b3261e, deletions (templates/layout.lua)
BLUE = b"0.10980392 0.30980393 0.6117647"  # #1c4f9c, insertions
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")




def edited(old: dict[str, Any]) -> dict[str, Any]:
    """Version 1.1: words replaced, inserted and deleted, list items added and removed."""
    new = copy.deepcopy(old)
    new["version"] = "1.1"
    new["term"]["start"] = "2026-10-01"
    new["economics"]["model"]["price"] = 115000
    follow = next(t for t in new["tasks"]["included"] if t["id"] == "uppfoljning")
    follow["text"] = follow["text"].replace("sex månader", "tolv månader")
    new["tasks"]["included"].append({"id": "telefonstod", "text": "Telefonstöd till familjen."})
    new["tasks"]["excluded"] = [t for t in new["tasks"]["excluded"] if t["id"] != "jour"]
    new["purpose"] = new["purpose"].replace("av god kvalitet", "av god och jämn kvalitet")
    new["termination"]["breach"] = new["termination"]["breach"].replace("väsentligt ", "")
    new["parties"][0]["contacts"][0]["phone"] = "0611-34 82 99"
    clause = new["additional_clauses"][0]
    clause["text"] = clause["text"].replace("ingår inte.", "ingår aldrig.")
    return new


def agreement_markdown(path: Path) -> str:
    docs = [d for d in documents(read_spec(path))[0] if d.name == "avtal"]
    return docs[0].markdown


# --------------------------------------------------------------------------- DOCX reading


def revisions(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if e.tag in (W + "ins", W + "del")]


def _texts(element: ET.Element, drop: str, parts: list[str]) -> None:
    for child in element:
        if child.tag in (W + drop, W + "pPr"):
            continue
        if child.tag in (W + "t", W + "delText"):
            parts.append(child.text or "")
        elif child.tag == W + "tab":
            parts.append("\t")
        elif child.tag != W + "p":  # nested paragraphs are visited on their own
            _texts(child, drop, parts)


def view(root: ET.Element, drop: str) -> list[str]:
    """Paragraph texts as Word shows them with every w:<drop> (and its content) gone.

    A paragraph whose mark is itself a w:<drop> (pPr/rPr) merges into the next one.
    """
    texts = []
    carry = ""
    for p in root.iter(W + "p"):
        parts = [carry]
        _texts(p, drop, parts)
        if p.find(f"{W}pPr/{W}rPr/{W}{drop}") is not None:
            carry = "".join(parts)
            continue
        carry = ""
        texts.append("".join(parts))
    return texts


def plain_paragraphs(docx: bytes) -> list[str]:
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    return view(root, "del")


def words_of(text: str) -> list[str]:
    """Words as the redline sees them: split at ordinary spaces only, so an amount with
    no-break spaces ("112 000 kronor") is one word and changes as a whole."""
    return [w for w in re.split(r"[ \t\r\n]+", text) if w]


def marked_words(root: ET.Element, tag: str) -> Counter[str]:
    words: Counter[str] = Counter()
    for element in root.iter(W + tag):
        text = "".join(t.text or "" for t in element.iter() if t.tag in (W + "t", W + "delText"))
        words.update(words_of(text))
    return words


def word_diff(old: list[str], new: list[str]) -> tuple[Counter[str], Counter[str]]:
    """Deleted and inserted words between two documents' paragraph texts."""
    a = words_of(" ".join(old))
    b = words_of(" ".join(new))
    deleted: Counter[str] = Counter()
    inserted: Counter[str] = Counter()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            deleted.update(a[i1:i2])
            inserted.update(b[j1:j2])
    return deleted, inserted


# --------------------------------------------------------------------------- the redline


@dataclass(frozen=True)
class Redline:
    folder: Path
    docx: Path
    pdf: Path
    md: Path
    stderr: str
    old_docx: bytes  # the plain agreements, converted the same way
    new_docx: bytes

    @property
    def document(self) -> ET.Element:
        return ET.fromstring(zipfile.ZipFile(self.docx).read("word/document.xml"))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Redline:
    root = tmp_path_factory.mktemp("redline")
    old = pin(read_yaml(FAM))
    old_path = dump(old, root / "v1.yaml")
    new_path = dump(edited(old), root / "v2.yaml")
    out = root / "build"
    run = run_cli(
        "diff", old_path, new_path, "--redline", "--out", out, "--author", AUTHOR,
        "--date", DATE, "--format", "json",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    folder = out / old["id"]
    epoch = 0
    return Redline(
        folder=folder,
        docx=folder / "redline-1.0-1.1.docx",
        pdf=folder / "redline-1.0-1.1.pdf",
        md=folder / "redline-1.0-1.1.md",
        stderr=run.stderr,
        old_docx=convert.to_docx(agreement_markdown(old_path), epoch=epoch),
        new_docx=convert.to_docx(agreement_markdown(new_path), epoch=epoch),
    )


def test_redline_files_are_written_under_the_spec_id(made: Redline) -> None:
    assert sorted(p.name for p in made.folder.iterdir()) == [
        "redline-1.0-1.1.docx",
        "redline-1.0-1.1.md",
        "redline-1.0-1.1.pdf",
    ]
    for path in (made.docx, made.pdf, made.md):
        assert f"skrev {path}" in made.stderr


def test_docx_has_real_word_revisions_with_author_and_date(made: Redline) -> None:
    root = made.document
    found = revisions(root)
    kinds = Counter(e.tag for e in found)
    assert kinds[W + "ins"] >= 5 and kinds[W + "del"] >= 5, kinds
    for element in found:
        assert element.get(W + "author") == AUTHOR
        assert element.get(W + "date", "").startswith(DATE)
    marks = {id(e) for p in root.iter(W + "pPr") for e in revisions(p)}
    assert marks, "hela stycken som tagits bort eller lagts till ska ha markerat styckeslut"
    deleted = [e for e in found if e.tag == W + "del" and id(e) not in marks]
    assert all(not list(e.iter(W + "t")) for e in deleted), "raderad text ska vara w:delText"
    assert all(list(e.iter(W + "delText")) for e in deleted)


def test_every_revision_id_is_unique_among_all_annotations(made: Redline) -> None:
    ids = [e.get(W + "id") for e in revisions(made.document)]
    assert None not in ids
    assert len(ids) == len(set(ids)), "w:ins och w:del delar id"
    bookmarks = {
        e.get(W + "id") for e in made.document.iter(W + "bookmarkStart")
    }  # annotations share one id space
    assert not bookmarks & set(ids)


def test_pandoc_alone_would_repeat_ids() -> None:
    """Why unique_revision_ids exists: pandoc counts w:ins and w:del separately."""
    markdown = (
        '[a]{.deletion author="x" date="2026-01-01T00:00:00Z"} '
        '[b]{.insertion author="x" date="2026-01-01T00:00:00Z"}\n'
    )
    raw = convert.to_docx(markdown, epoch=0)

    def ids(docx: bytes) -> list[str]:
        xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
        return re.findall(r'<w:(?:ins|del)\b[^>]*\bw:id="(\d+)"', xml)

    assert len(ids(raw)) == 2 and len(set(ids(raw))) == 1
    fixed = convert.unique_revision_ids(raw)
    assert len(set(ids(fixed))) == 2
    # Nothing else changes.
    before, after = zipfile.ZipFile(io.BytesIO(raw)), zipfile.ZipFile(io.BytesIO(fixed))
    assert before.namelist() == after.namelist()
    for name in before.namelist():
        if name != "word/document.xml":
            assert before.read(name) == after.read(name), name


def test_only_changed_words_are_marked(made: Redline) -> None:
    old = plain_paragraphs(made.old_docx)
    new = plain_paragraphs(made.new_docx)
    deleted, inserted = word_diff(old, new)
    assert marked_words(made.document, "del") == deleted
    assert marked_words(made.document, "ins") == inserted
    assert {"september", "112\u00a0000\u00a0kronor", "sex", "väsentligt", "inte."} <= set(deleted)
    assert {"oktober", "115\u00a0000\u00a0kronor", "tolv", "jämn", "aldrig.", "Telefonstöd"} <= set(
        inserted
    )


def _non_empty(paragraphs: list[str]) -> list[str]:
    return [p for p in paragraphs if p.strip()]


def test_accepting_all_changes_gives_the_new_agreement(made: Redline) -> None:
    accepted = _non_empty(view(made.document, "del"))
    assert accepted == _non_empty(plain_paragraphs(made.new_docx))


def test_rejecting_all_changes_gives_the_old_agreement(made: Redline) -> None:
    rejected = _non_empty(view(made.document, "ins"))
    expected = _non_empty(plain_paragraphs(made.old_docx))
    assert rejected == expected


def test_whole_paragraphs_are_revised_with_their_paragraph_mark(made: Redline) -> None:
    """A list item removed or added leaves no empty bullet after accept or reject all."""
    assert "" not in [p.strip() for p in view(made.document, "del")]
    assert "" not in [p.strip() for p in view(made.document, "ins")]


def test_markdown_redline_marks_words_and_keeps_structure(made: Redline) -> None:
    text = made.md.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert re.search(r'\{\.deletion author="Anna Jurist" date="2026-06-01', text)
    assert re.search(r'\{\.insertion author="Anna Jurist" date="2026-06-01', text)
    for line in text.splitlines():
        if line.startswith("#"):
            assert re.match(r"^# (§ \d+ |Underskrifter)", line), line
        assert not re.search(r"\[[^\]]*\|[^\]]*\]\{\.(insertion|deletion)", line), line


def test_pdf_shows_both_old_and_new_text_marked(made: Redline) -> None:
    reader = pypdf.PdfReader(str(made.pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "1 september oktober 2026" in text  # deleted word, then the inserted one
    assert "Uppföljande kontakt med familjen sex tolv månader" in text
    jour = next(t for t in read_yaml(FAM)["tasks"]["excluded"] if t["id"] == "jour")["text"]
    assert " ".join(jour.split()) in text  # the removed item is still there, struck
    assert "Telefonstöd till familjen." in text
    streams = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert RED in streams, "raderingarna ska vara röda"
    assert BLUE in streams, "tilläggen ska vara blå"


def test_the_plain_agreement_pdf_has_no_revision_colours(tmp_path: Path) -> None:
    """The colours in the redline come from the marks, not from the template."""
    pdf = convert.to_pdf(agreement_markdown(FAM), epoch=0)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    streams = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert RED not in streams and BLUE not in streams


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice är inte installerat")
def test_libreoffice_opens_the_redline(made: Redline, tmp_path: Path) -> None:
    assert SOFFICE is not None
    profile = tmp_path / "profil"
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(made.docx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "redline-1.0-1.1.pdf"
    assert pdf.exists(), done.stdout + done.stderr
    reader = pypdf.PdfReader(str(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "september" in text and "oktober" in text  # tracked changes are shown


# --------------------------------------------------------------------------- when and where


def test_a_redline_that_cannot_be_written_leaves_the_change_list(tmp_path: Path) -> None:
    """A pull request that commits build/<id> as a link got the redline refused, and with
    it the whole change list (the CI's only diff in GitLab and Azure, GitHub's summary):
    the list is printed, the failure said, and the exit code is 1."""
    old = read_yaml(HUB)
    new = copy.deepcopy(old)
    new["term"]["start"] = "2026-04-01"
    elsewhere = tmp_path / "ute"
    elsewhere.mkdir()
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / str(old["id"])).symlink_to(elsewhere)
    run = run_cli(
        "diff", dump(old, tmp_path / "a.yaml"), dump(new, tmp_path / "b.yaml"), "--redline",
        "--out", tmp_path / "build", "--format", "markdown",
    )  # fmt: skip
    assert run.code == 1
    assert "redline för" in run.stderr and "kunde inte skrivas" in run.stderr
    assert "symbolisk länk" in run.stderr
    assert "2026-04-01" in run.stdout or "1 april 2026" in run.stdout, run.stdout
    assert list(elsewhere.iterdir()) == []


def test_a_hub_spec_gets_one_redline_per_counterparty(tmp_path: Path) -> None:
    old = read_yaml(HUB)
    old["term"]["start"] = "2026-03-01"
    new = copy.deepcopy(old)
    new["term"]["start"] = "2026-04-01"
    run = run_cli(
        "diff", dump(old, tmp_path / "a.yaml"), dump(new, tmp_path / "b.yaml"), "--redline",
        "--out", tmp_path / "build", "--format", "json",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    spec_dir = tmp_path / "build" / old["id"]
    host = old["hub"]["host"]
    counterparties = sorted(p["id"] for p in old["parties"] if p["id"] != host)
    assert sorted(p.name for p in spec_dir.iterdir()) == counterparties
    for party in counterparties:
        docx = spec_dir / party / "redline-a-b.docx"  # same version: the file names
        assert docx.exists(), sorted(p.name for p in (spec_dir / party).iterdir())
        xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
        assert re.search(r"<w:delText[^>]*>[^<]*mars", xml)
        assert re.search(r"<w:ins\b[^>]*>.*?april", xml, re.S)


def test_no_redline_when_the_agreement_text_is_unchanged(tmp_path: Path) -> None:
    old = read_yaml(FAM)
    new = copy.deepcopy(old)
    new["parties"][0]["decision"]["opinion"] += " Förvaltningen har inget att tillägga."
    run = run_cli(
        "diff", dump(old, tmp_path / "a.yaml"), dump(new, tmp_path / "b.yaml"), "--redline",
        "--out", tmp_path / "build",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    assert not (tmp_path / "build").exists() or not list((tmp_path / "build").rglob("redline-*"))


# --------------------------------------------------------------------------- redline() itself

META = '---\ntitle: "Avtal"\nfooter-left: "Version 1\\.1"\n---\n'


def test_redline_of_identical_documents_marks_nothing() -> None:
    doc = META + "# § 1 Parter\n\nText här.\n"
    assert redline(doc, doc, author="a", date="d") == doc


def test_redline_keeps_structure_outside_the_marks() -> None:
    old = (
        '---\ntitle: "Avtal"\nfooter-left: "Version 1\\.0"\n---\n'
        "# § 1 Parter\n\n- Första punkten\n- Andra punkten\n\n"
        "| Part | Telefon |\n|:--|:--|\n| A | 010-1 |\n\n::: signatures\n:::\n"
    )
    new = (
        META + "# § 1 Avtalsparter\n\n- Första punkten\n- Ändrad punkt\n\n"
        "| Part | Telefon |\n|:--|:--|\n| A | 010-2 |\n\n::: signatures\n:::\n"
    )
    out = redline(old, new, author='Anna "AJ" Jurist', date="2026-06-01T00:00:00Z")
    assert out.startswith(META), "metadatablocket ska vara den nya versionens"
    lines = out.splitlines()
    assert any(re.match(r"^# § 1 \[Parter\]\{\.deletion .*\[Avtalsparter\]\{\.insertion", x)
               for x in lines), out  # fmt: skip
    assert any(re.match(r"^- \[Andra punkten\]\{\.deletion", x) for x in lines), out
    assert any(re.match(r"^\| A \| .*\[010-2\]\{\.insertion .*\|$", x) for x in lines), out
    assert "::: signatures" in lines
    assert "author=\"Anna 'AJ' Jurist\"" in out, "citattecken får inte bryta attributet"


def test_redline_of_a_removed_line_keeps_its_list_marker() -> None:
    old = META + "- Ett\n- Två\n- Tre\n"
    new = META + "- Ett\n- Tre\n"
    out = redline(old, new, author="a", date="d")
    assert "- [Två]{.deletion" in out
    assert out.count("\n- ") == 3


# --------------------------------------------------------------------------- tables and title

RATT = SPECS_DIR / "familjeratt-sodra-roslagen.yaml"


def without_rows(root: ET.Element, drop: str) -> ET.Element:
    """A copy of the document with every table row marked w:<drop> gone, and every
    table left with no rows: what Word shows after accepting or rejecting all."""
    copied = copy.deepcopy(root)
    for parent in list(copied.iter()):
        for table in [c for c in parent if c.tag == W + "tbl"]:
            for row in table.findall(W + "tr"):
                if row.find(f"{W}trPr/{W}{drop}") is not None:
                    table.remove(row)
            if table.find(W + "tr") is None:
                parent.remove(table)
    return copied


def accepted(root: ET.Element) -> list[str]:
    return _non_empty(view(without_rows(root, "del"), "del"))


def rejected(root: ET.Element) -> list[str]:
    return _non_empty(view(without_rows(root, "ins"), "ins"))


def with_new_party(old: dict[str, Any]) -> dict[str, Any]:
    """Version 1.1: a longer title, a fifth party (a row in each table) and a changed
    population (cells of the cost table)."""
    new = copy.deepcopy(old)
    new["version"] = "1.1"
    new["title"] = old["title"].replace("en gemensam", "en gemensam och samordnad")
    party = copy.deepcopy(new["parties"][3])
    party.update(id="osteraker", name="Österåkers kommun", org_nr="212000-0142")
    new["parties"].append(party)
    new["signing"]["copies"] = 5
    populations = new["economics"]["model"]["populations"]
    populations[1]["population"] = 34000
    populations.append({"party": "osteraker", "population": 47000})
    return new


def with_fixed_shares(old: dict[str, Any]) -> dict[str, Any]:
    """Version 1.1: fixed shares instead of populations, a table with other columns."""
    new = copy.deepcopy(old)
    new["version"] = "1.1"
    new["economics"]["model"] = {
        "type": "fasta_andelar",
        "total_cost": 14200000,
        "shares": [
            {"parties": [p], "percent": v}
            for p, v in {"taby": 40, "danderyd": 20, "lidingo": 30, "vaxholm": 10}.items()
        ],
    }
    return new


def without_a_party(old: dict[str, Any]) -> dict[str, Any]:
    """Version 1.1: Vaxholm leaves (a row less in each table, a list item less)."""
    new = copy.deepcopy(old)
    new["version"] = "1.1"
    new["parties"] = [p for p in new["parties"] if p["id"] != "vaxholm"]
    model = new["economics"]["model"]
    model["populations"] = [p for p in model["populations"] if p["party"] != "vaxholm"]
    return new


@dataclass(frozen=True)
class TableRedline:
    document: ET.Element
    markdown: str
    old_docx: bytes
    new_docx: bytes


def table_redline(root: Path, change: Any) -> TableRedline:
    old = read_yaml(RATT)
    old_path = dump(old, root / "v1.yaml")
    new_path = dump(change(old), root / "v2.yaml")
    out = root / "build"
    run = run_cli(
        "diff", old_path, new_path, "--redline", "--out", out, "--author", AUTHOR,
        "--date", DATE, "--format", "json",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    folder = out / old["id"]
    docx = zipfile.ZipFile(folder / "redline-1.0-1.1.docx").read("word/document.xml")
    return TableRedline(
        ET.fromstring(docx),
        (folder / "redline-1.0-1.1.md").read_text(encoding="utf-8"),
        convert.to_docx(agreement_markdown(old_path), epoch=0),
        convert.to_docx(agreement_markdown(new_path), epoch=0),
    )


@pytest.fixture(scope="module")
def new_party(tmp_path_factory: pytest.TempPathFactory) -> TableRedline:
    return table_redline(tmp_path_factory.mktemp("ny-part"), with_new_party)


@pytest.fixture(scope="module")
def party_left(tmp_path_factory: pytest.TempPathFactory) -> TableRedline:
    return table_redline(tmp_path_factory.mktemp("part-lamnar"), without_a_party)


@pytest.fixture(scope="module")
def new_columns(tmp_path_factory: pytest.TempPathFactory) -> TableRedline:
    return table_redline(tmp_path_factory.mktemp("nya-kolumner"), with_fixed_shares)


def _all_text(root: ET.Element) -> str:
    return "".join(t.text or "" for t in root.iter() if t.tag in (W + "t", W + "delText"))


@pytest.mark.parametrize("which", ["new_party", "party_left", "new_columns"])
def test_a_changed_table_is_tracked_and_accepts_and_rejects_whole(
    which: str, request: pytest.FixtureRequest
) -> None:
    made: TableRedline = request.getfixturevalue(which)
    assert "|" not in _all_text(made.document), "tabellens rör har blivit text"
    assert "---" not in _all_text(made.document)
    assert accepted(made.document) == _non_empty(plain_paragraphs(made.new_docx))
    assert rejected(made.document) == _non_empty(plain_paragraphs(made.old_docx))


def test_a_new_row_is_an_inserted_row_and_changed_cells_are_marked(
    new_party: TableRedline,
) -> None:
    rows = list(new_party.document.iter(W + "tr"))
    inserted = [r for r in rows if r.find(f"{W}trPr/{W}ins") is not None]
    texts = [_all_text(r) for r in inserted]
    # The contact table, the cost table and the signatures (the fifth party's block
    # stands alone in the last row of the grid).
    assert len(inserted) == 3, texts
    assert [t.startswith("Österåkers kommun") for t in texts] == [True, True, False]
    assert texts[2].startswith("För Österåkers kommun")
    assert not [r for r in rows if r.find(f"{W}trPr/{W}del") is not None]
    [danderyd] = [r for r in rows if _all_text(r).startswith("Danderyds kommun33")]
    cells = danderyd.findall(W + "tc")
    population = cells[1]
    assert "".join(t.text or "" for t in population.iter(W + "delText")) == "33\u00a0486"
    assert "".join(t.text or "" for e in population.iter(W + "ins") for t in e.iter(W + "t")) == (
        "34\u00a0000"
    )
    assert cells[0].find(f".//{W}ins") is None and cells[0].find(f".//{W}del") is None
    for element in revisions(new_party.document):
        assert element.get(W + "author") == AUTHOR


def test_a_table_with_other_columns_is_replaced_as_a_whole(new_columns: TableRedline) -> None:
    rows = list(new_columns.document.iter(W + "tr"))
    deleted = [_all_text(r) for r in rows if r.find(f"{W}trPr/{W}del") is not None]
    inserted = [_all_text(r) for r in rows if r.find(f"{W}trPr/{W}ins") is not None]
    assert deleted[0] == "PartInvånareAndelKostnad per år"
    assert inserted[0] == "PartAndelKostnad per år"
    assert len(deleted) == len(inserted) == 5


def test_a_changed_title_is_marked(new_party: TableRedline) -> None:
    [title] = [
        p for p in new_party.document.iter(W + "p")
        if p.find(f"{W}pPr/{W}pStyle[@{W}val='Title']") is not None
    ]  # fmt: skip
    marked = ["".join(t.text or "" for t in e.iter(W + "t")) for e in title.iter(W + "ins")]
    assert [m.strip() for m in marked] == ["och samordnad"]
    assert new_party.markdown.splitlines()[1].startswith(
        'title: "Avtal om avtalssamverkan kring en gemensam [och samordnad]{.insertion '
    )


def test_a_removed_row_is_a_deleted_row(party_left: TableRedline) -> None:
    rows = list(party_left.document.iter(W + "tr"))
    deleted = [_all_text(r) for r in rows if r.find(f"{W}trPr/{W}del") is not None]
    assert [t.startswith("Vaxholms stad") for t in deleted[:2]] == [True, True], deleted
    assert not [r for r in rows if r.find(f"{W}trPr/{W}ins") is not None]


def revised(old: dict[str, Any]) -> dict[str, Any]:
    """A new version of any example: its title, a phone number in the contact table and,
    where the cost model allows it simply, one party fewer."""
    new = copy.deepcopy(old)
    new["version"] = "9.9"
    new["title"] = old["title"] + " (reviderad)"
    for party in new["parties"]:
        if party.get("contacts"):
            party["contacts"][0]["phone"] = "000-111 22 33"
            break
    model = new.get("economics", {}).get("model", {})
    if len(new["parties"]) > 3 and "hub" not in new and "shares" not in model:
        gone = new["parties"].pop()["id"]
        if "populations" in model:
            model["populations"] = [p for p in model["populations"] if p["party"] != gone]
    return new


@pytest.mark.parametrize("spec", sorted(SPECS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_s_redline_accepts_to_the_new_and_rejects_to_the_old(
    spec: Path, tmp_path: Path
) -> None:
    old = read_yaml(spec)
    old_path, new_path = dump(old, tmp_path / "a.yaml"), dump(revised(old), tmp_path / "b.yaml")
    run = run_cli("diff", old_path, new_path, "--redline", "--out", tmp_path / "ut")
    assert run.code == 0, run.stderr
    before = {d.folder: d.markdown for d in documents(read_spec(old_path))[0]
              if d.name in ("avtal", "overenskommelse")}  # fmt: skip
    after = {d.folder: d.markdown for d in documents(read_spec(new_path))[0]
             if d.name in ("avtal", "overenskommelse")}  # fmt: skip
    redlines = sorted((tmp_path / "ut").rglob("redline-*.docx"))
    assert len(redlines) == len(after)
    for docx in redlines[:2]:  # a hub spec: two of its counterparties are enough
        folder = docx.parent.relative_to(tmp_path / "ut").as_posix()
        root = ET.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
        assert "|" not in _all_text(root)
        assert accepted(root) == _non_empty(
            plain_paragraphs(convert.to_docx(after[folder], epoch=0))
        )
        assert rejected(root) == _non_empty(
            plain_paragraphs(convert.to_docx(before[folder], epoch=0))
        )
