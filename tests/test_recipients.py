"""Who a decision is sent to: each addressee once, and only those one can send it to."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildkit import ROOT, build_text, md_unescape, norm

from generator.model import names_same

VALID = ROOT / "tests" / "fixtures" / "valid.yaml"
CONTACT = ("      - function: Enhetschef för mottagningen\n        phone: 08-508 252 94\n"
           "        email: mottagningen@stockholm.se\n        availability: vardagar 8–17\n")


@pytest.mark.parametrize(("listed", "name", "same"), [
    ("Kommunstyrelsen", "Kommunstyrelsen för kännedom", True),
    ("Familjerätten", "Enhetschef familjerätten, Täby kommun", True),
    ("Ale kommun", "Vale kommun", False),
    ("Socialjouren", "Socialjourens telefon", False),
    ("Region Gotland", "region gotland", True),
])
def test_an_addressee_is_named_again_only_in_whole_words(
        listed: str, name: str, same: bool) -> None:
    assert names_same(listed, name) is same
    assert names_same(name, listed) is same


def test_a_contact_reached_only_by_telephone_receives_no_decision(tmp_path: Path) -> None:
    """A duty line or a telephone time (a contact with no e-mail address) is no addressee
    of a nämnd's decision; a function with an address is."""
    text = VALID.read_text(encoding="utf-8")
    assert CONTACT in text
    line = "      - function: Mottagningens telefontid\n        phone: 08-508 252 00\n"
    out = build_text(text.replace(CONTACT, CONTACT + line, 1), tmp_path)
    drafts = sorted(out.rglob("stockholm/**/beslut*.md"))
    assert drafts
    for draft in drafts:
        said = norm(md_unescape(draft.read_text(encoding="utf-8")))
        sent = said.split("Beslutet skickas till")[1]
        assert "Enhetschef för mottagningen, Stockholms stad" in sent
        assert "telefontid" not in sent


def test_a_contact_function_that_names_its_party_is_not_given_the_name_again(
    tmp_path: Path,
) -> None:
    """”Individ- och familjeomsorgen, Bergsjö kommun” became ”…, Bergsjö kommun, Bergsjö
    kommun”."""
    text = VALID.read_text(encoding="utf-8")
    named = CONTACT.replace("Enhetschef för mottagningen", "Mottagningen, Stockholms stad")
    out = build_text(text.replace(CONTACT, named, 1), tmp_path)
    drafts = sorted(out.rglob("stockholm/**/beslut*.md"))
    assert drafts
    for draft in drafts:
        sent = norm(md_unescape(draft.read_text(encoding="utf-8"))).split(
            "Beslutet skickas till")[1]
        assert "Mottagningen, Stockholms stad" in sent
        assert "Stockholms stad, Stockholms stad" not in sent
