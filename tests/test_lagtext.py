"""The law data is the law's words: every provision's quote stands in that section (and
stycke) of the statute text in ../shared/law/, and the shipped index of chapters and
sections is what the texts give. Skipped, with the reason, in a checkout without the
texts (a team's own repository), where the shipped index is what the checks use."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import laws, resources, statute

TEXTS = statute.law_dir()
needs_texts = pytest.mark.skipif(
    TEXTS is None,
    reason="lagtexterna finns inte i ../shared/law (eller $AVTAL_LAGTEXT); "
    "citaten och lagrumsindexet kan inte kontrolleras mot dem här",
)
ROOT = Path(__file__).resolve().parent.parent
ORDINALS = ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde")


def _in_texts(key: str) -> bool:
    return laws.provisions()[key].sfs in statute.FILES


IN_TEXTS = sorted(k for k in laws.provisions() if _in_texts(k))


def test_most_provisions_are_in_the_statute_texts() -> None:
    assert len(IN_TEXTS) >= 15


@pytest.mark.parametrize("key", IN_TEXTS)
def test_every_provision_of_a_law_in_the_texts_has_a_quote(key: str) -> None:
    found = laws.provisions()[key]
    assert len(found.quote.split()) >= 5, f"{key}: quote some words of the section"
    assert found.about and found.source


@needs_texts
@pytest.mark.parametrize("key", IN_TEXTS)
def test_the_quote_stands_in_that_section_of_the_statute(key: str) -> None:
    found = laws.provisions()[key]
    law = statute.statute(str(found.sfs))
    assert law is not None
    section = law.section(found.chapter, found.section)
    assert section is not None, f"{found.place()} finns inte i {statute.FILES[str(found.sfs)]}"
    assert not section.repealed
    assert found.quote in section.text, f"{key}: citatet står inte i {found.place()}"
    if found.paragraph and law.marks_paragraphs:
        stycke = section.paragraphs()[ORDINALS.index(found.paragraph)]
        assert found.quote in stycke, f"{key}: citatet står inte i {found.place()}"


@needs_texts
def test_a_quote_from_another_section_fails() -> None:
    """The check can fail: the words of 3 kap. 1 § are not in 3 kap. 2 §."""
    law = statute.statute("2025:400")
    assert law is not None
    quote = laws.provisions()["sol-barnets-basta"].quote
    assert quote in law.section(3, 1).text  # type: ignore[union-attr]
    assert quote not in law.section(3, 2).text  # type: ignore[union-attr]


@needs_texts
def test_the_shipped_index_is_what_the_texts_give() -> None:
    found = [statute.statute(sfs) for sfs in statute.FILES]
    text = statute.index_text([s for s in found if s is not None])
    shipped = (ROOT / statute.INDEX_FILE).read_text(encoding="utf-8")
    assert text == shipped, (
        "kör: python -m generator.statute --index > " + statute.INDEX_FILE
    )


@needs_texts
def test_the_reader_finds_sections_in_both_layouts() -> None:
    sol = statute.statute("2025:400")
    kl = statute.statute("2017:725")
    lou = statute.statute("2016:1145")
    assert sol and kl and lou
    assert sol.marks_paragraphs and not kl.marks_paragraphs
    # a wrapped line beginning "11 kap. 1 § eller …" is a reference, not a chapter
    assert sol.chapters()["10"][-1] == "9"
    assert len(sol.section(7, 2).paragraphs()) == 2  # type: ignore[union-attr]
    # riksdagen copy: sections run together on one line are split
    assert lou.section(20, 3) is not None and lou.section(20, "5 a") is not None
    assert "årligen till fullmäktige" in kl.section(9, 38).text  # type: ignore[union-attr]


def test_the_index_knows_the_sections_cited_most() -> None:
    index = statute.index()
    assert "2" in index["2025:400"].chapters["7"]
    assert "38" in index["2017:725"].chapters["9"]
    assert "6" in index["1990:52"].chapters[None]
    assert "8 a" in index["1949:381"].chapters["2"]
    assert index["2025:400"].complete and not index["2017:725"].complete


def test_our_data_files_read_the_same_with_libyaml() -> None:
    """The data files are read with libyaml (resources.parse_data) for a quicker start:
    each gives exactly what PyYAML's own safe reader gives."""
    folder = Path(resources.code_dir()) / "data"
    files = sorted(folder.glob("*.yaml"))
    assert {p.name for p in files} >= {"laws.yaml", "thresholds.yaml", "lagrum-index.yaml"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert resources.parse_data(text) == yaml.safe_load(text), path.name
