"""A sentence that puts a spec's text after other words lower-cases its first letter
(`gemen`), but never a party's name, in full or as a text names it."""

from __future__ import annotations

import pytest

from generator.render import lower_first, proper_names

PARTIES = {"parties": [
    {"name": "Bergeby kommun"}, {"name": "Stockholms stad"}, {"name": "Region Gotland"},
    {"name": "Ale kommun", "organs": [{"name": "Kulturhuset Blå", "proper_name": True}]},
]}


@pytest.mark.parametrize("text", [
    "Bergebys budgeterade självkostnad per timme",
    "Bergeby kommuns budget",
    "Stockholms stads index",
    "Stockholms index för löner",
    "Gotlands budget",
    "Kulturhuset Blå",
])
def test_a_party_name_keeps_its_capital(text: str) -> None:
    assert lower_first(text, proper_names(PARTIES)) == text


@pytest.mark.parametrize("text", ["Konsumentprisindex", "Socialnämnden", "Berget", "Alens"])
def test_other_words_are_lower_cased(text: str) -> None:
    assert lower_first(text, proper_names(PARTIES)) == text[0].lower() + text[1:]
