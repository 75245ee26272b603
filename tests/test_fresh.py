"""Agreements unlike the examples, written from the README and the schema alone, read as
a municipal lawyer would: each test names a sentence the documents must (or must not)
say because of what the spec says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from buildkit import md_section, md_unescape, norm, run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RADGIVNING = FIXTURES / "fresh-familjeradgivning.yaml"
UNGA_VUXNA = FIXTURES / "fresh-unga-vuxna.yaml"
BARNAHUS = FIXTURES / "fresh-barnahus.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fresh")
    run = run_cli("build", "--format", "md", "--out", out, RADGIVNING, UNGA_VUXNA)
    assert run.code == 0, run.stderr
    return out


def read(built: Path, spec_id: str, name: str) -> str:
    return (built / spec_id / name).read_text(encoding="utf-8")


def subsection(markdown: str, heading: str) -> str:
    """The text under a level-2 heading, to the next heading of any level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^#)", markdown, re.M | re.S)
    assert match, f"rubriken {heading!r} saknas"
    return md_unescape(match.group(1))


def test_minor_changes_named_without_a_list_are_allowed_by_the_agreement(built: Path) -> None:
    # The decision point gives the right to decide minor changes; the agreement must grant it.
    agreement = norm(md_section(read(built, "familjeradgivning-alby-bergsjo", "avtal.md"),
                                "§ 10 Ändringar och tillägg"))
    assert ("Mindre ändringar får göras av parternas förvaltningschefer och ska "
            "dokumenteras skriftligt.") in agreement
    decision = norm(read(built, "familjeradgivning-alby-bergsjo", "bergsjo/beslut.md"))
    assert "rätt att för Bergsjö kommuns del besluta om mindre ändringar av avtalet" in decision


def test_no_data_passes_between_the_parties_unless_the_spec_says_so(built: Path) -> None:
    report = norm(subsection(read(built, "familjeradgivning-alby-bergsjo",
                                  "bergsjo/tjansteutlatande.md"), "Varför avtalet behövs"))
    assert "Avtalet ger den grunden och anger hur uppgifter om enskilda hanteras." in report
    assert "lämnas mellan parterna" not in report
    # The spec of the other agreement says data about individuals is exchanged.
    report = norm(subsection(read(built, "unga-vuxna-vattland", "dalby/tjansteutlatande.md"),
                             "Varför avtalet behövs"))
    assert "hanteras och lämnas mellan parterna när uppdraget kräver det." in report


def test_steering_group_composition_without_full_stop_ends_its_sentence(built: Path) -> None:
    text = norm(md_section(read(built, "unga-vuxna-vattland", "avtal.md"),
                           "§ 7 Samråd och uppföljning"))
    assert ("består av verksamhetschefen för mottagningen och kommunernas socialchefer. "
            "Styrgruppen sammanträder minst två gånger per år.") in text


def test_settlement_written_as_a_phrase_becomes_a_sentence(built: Path) -> None:
    text = norm(md_section(read(built, "unga-vuxna-vattland", "avtal.md"),
                           "§ 8 Ersättning och kostnader"))
    assert ("mot den faktiska kostnaden en gång per år. Skillnaden regleras på nästa "
            "faktura.") in text
    assert ". på nästa faktura" not in text


def test_a_term_no_party_can_end_by_notice_promises_no_notice(tmp_path: Path) -> None:
    run = run_cli("build", "--format", "md", "--out", tmp_path, BARNAHUS)
    assert run.code == 0, run.stderr
    text = read(tmp_path, "barnahus-mellanbygd", "avtal.md")
    duties = norm(md_section(text, "§ 5 Parternas ansvar"))
    assert "kan återta uppgiften när avtalet upphör enligt § 11." in duties
    assert "genom att säga upp avtalet" not in duties
    ending = norm(md_section(text, "§ 11 Uppsägning"))
    assert ending == ("En part kan inte säga upp avtalet så att det upphör under avtalstiden. "
                      "Avtalet upphör vid avtalstidens slut utan uppsägning, om parterna inte "
                      "har kommit överens om att förlänga det.")
