"""Every section a built document cites exists in the statute text, and socialtjänstlagen
(2025:400) is never named as a ground without its chapter and section.

Every example (the session build, Markdown and DOCX) and every fixture that builds
(Markdown) is scanned for "N kap. M § <lag> (SFS)" and "M § <lag> (SFS)"; each citation
of a law whose text is in ../shared/law/ is looked up in the shipped index of chapters
and sections, which tests/test_lagtext.py holds equal to the texts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from buildkit import ROOT, docx_paragraphs, md_unescape, run_cli

from generator import laws, statute

_NUMBER = r"\d+(?: [a-z])?"
# "9 kap. 37 § andra stycket kommunallagen (2017:725)", "6 § lagen (1990:52) med …",
# "2 kap. 8 a § föräldrabalken (1949:381)": up to six words between § and the number.
CITATION = re.compile(
    rf"(?:(?P<chapter>{_NUMBER}) kap\. )?(?P<section>{_NUMBER}) § "
    r"(?:[\w-]+ ){0,6}?(?:\w+ )?\((?P<sfs>\d{4}:\d+)\)"
)
SOL = re.compile(r"socialtjänstlagen \(2025:400\)", re.I)
SOL_CITED = re.compile(rf"{_NUMBER} kap\. {_NUMBER} §(?: \w+ stycket)? $")
FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))


def _plain(text: str) -> str:
    return " ".join(md_unescape(text).replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def texts(out_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each built document's text, by its path: the examples' Markdown and DOCX, and
    the Markdown of every fixture that builds."""
    found = {str(p.relative_to(out_dir)): _plain(p.read_text("utf-8"))
             for p in sorted(out_dir.rglob("*.md"))}
    found |= {str(p.relative_to(out_dir)): _plain(" ".join(t for _, t in docx_paragraphs(p)))
              for p in sorted(out_dir.rglob("*.docx"))}
    fixtures = tmp_path_factory.mktemp("fixtures")
    for spec in FIXTURES:
        out = fixtures / spec.stem
        if run_cli("build", "--format", "md", "--out", out, spec).code == 0:
            found |= {f"{spec.stem}/{p.relative_to(out)}": _plain(p.read_text("utf-8"))
                      for p in sorted(out.rglob("*.md"))}
    return found


def citations(text: str) -> list[tuple[str | None, str, str]]:
    return [(m["chapter"], m["section"], m["sfs"]) for m in CITATION.finditer(text)]


def test_the_scan_covers_examples_fixtures_and_both_layouts(texts: dict[str, str]) -> None:
    assert sum(name.endswith(".docx") for name in texts) > 20
    assert {name.split("/")[0] for name in texts} >= {"valid", "fresh-barnahus"}
    cited = {c for text in texts.values() for c in citations(text)}
    assert ("9", "37", "2017:725") in cited
    assert ("7", "2", "2025:400") in cited
    assert (None, "6", "1990:52") in cited


def test_the_pattern_reads_the_forms_the_documents_use() -> None:
    assert citations("enligt 9 kap. 37 § andra stycket kommunallagen (2017:725) får") == [
        ("9", "37", "2017:725")]
    assert citations("6 § lagen (1990:52) med särskilda bestämmelser") == [
        (None, "6", "1990:52")]
    assert citations("2 kap. 8 a § föräldrabalken (1949:381)") == [("2", "8 a", "1949:381")]
    assert citations("3 kap. 17 § lagen (2016:1145) om offentlig upphandling") == [
        ("3", "17", "2016:1145")]


def unknown(text: str) -> list[str]:
    """The citations in a text of a section the statute text does not have (in a copy
    that may lack sections, only of a chapter it does not have)."""
    index = statute.index()
    wrong = []
    for chapter, section, sfs in citations(text):
        known = index.get(sfs)
        if known is None:
            continue  # a law whose text is not in ../shared/law/
        sections = known.chapters.get(chapter, frozenset())
        if section not in sections and (known.complete or chapter not in known.chapters):
            wrong.append(f"{chapter} kap. {section} § ({sfs})")
    return wrong


def bare(text: str) -> list[str]:
    """Each mention of socialtjänstlagen (2025:400) not right after its chapter and section."""
    return [text[max(0, m.start() - 60):m.end()] for m in SOL.finditer(text)
            if not SOL_CITED.search(text[max(0, m.start() - 40):m.start()])]


def test_every_cited_section_exists_in_the_statute_text(texts: dict[str, str]) -> None:
    assert [f"{name}: {c}" for name, text in texts.items() for c in unknown(text)] == []


def test_socialtjanstlagen_is_cited_with_chapter_and_section(texts: dict[str, str]) -> None:
    assert [f"{name}: …{b}" for name, text in texts.items() for b in bare(text)] == []
    assert any(SOL.search(text) for text in texts.values())


def test_the_checks_find_what_they_look_for() -> None:
    assert unknown("enligt 3 kap. 9 § socialtjänstlagen (2025:400) och 7 kap. 2 § samma") == [
        "3 kap. 9 § (2025:400)"]
    assert unknown("19 kap. 1 § kommunallagen (2017:725)") == ["19 kap. 1 § (2017:725)"]
    assert unknown("7 kap. 2 § socialtjänstlagen (2025:400), 2 kap. 1 § OSL (2009:400)") == []
    assert bare("Överenskommelsen ingås med stöd av socialtjänstlagen (2025:400) och") != []
    assert bare("| Beslut | Socialtjänstlagen (2025:400) |") != []
    assert bare("med stöd av 7 kap. 2 § socialtjänstlagen (2025:400) och") == []


# The schema's help text names laws by their short names; socialtjänstlagen was renumbered
# on 2025-07-01, so a section of it is named only where laws.yaml quotes it.
SHORT = {"SoL": "2025:400", "socialtjänstlagen": "2025:400", "KL": "2017:725",
         "kommunallagen": "2017:725", "HSL": "2017:30", "LVU": "1990:52", "LVM": "1988:870"}
SHORT_CITATION = re.compile(
    rf"(?:(?P<chapter>{_NUMBER}) kap\. )?(?P<section>{_NUMBER}) § (?:\w+ stycket )?"
    rf"(?P<law>{'|'.join(SHORT)})\b"
)


def _schema_texts() -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            found.extend(v for k, v in node.items()
                         if k in ("title", "description") and isinstance(v, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((ROOT / "schemas" / "agreement.schema.json").read_text("utf-8")))
    return found


def test_the_schema_cites_current_sections() -> None:
    quoted = {(p.sfs, p.chapter, p.section) for p in laws.provisions().values()}
    cited = [(m, SHORT[m["law"]]) for text in _schema_texts()
             for m in SHORT_CITATION.finditer(text)]
    assert len(cited) >= 5
    wrong = []
    for match, sfs in cited:
        chapter, section = match["chapter"], match["section"]
        place = f"{chapter + ' kap. ' if chapter else ''}{section} § lagen ({sfs})"
        unchecked = sfs == "2025:400" and (sfs, chapter, section) not in quoted
        if unchecked or unknown(place):
            wrong.append(match.group(0))
    assert wrong == [], f"lagrum som inte finns eller inte är kontrollerade: {wrong}"
