"""Every provision a document cites comes from generator/data/laws.yaml, with its source:
no template writes a section number as text, and a changed entry changes the documents."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator import laws, render

ROOT = Path(__file__).resolve().parent.parent
# The document templates (not the spec scaffolds of `avtal new` and `avtal init`,
# whose comments are the user's own text).
DOCUMENT_TEMPLATES = sorted(
    p for p in (ROOT / "templates").rglob("*")
    if p.is_file() and p.suffix in (".j2", ".typst", ".lua")
    and not {"ny", "init"} & set(p.relative_to(ROOT / "templates").parts)
)
CITATION = re.compile(r"\b\d+ kap\. \d+ [a-z]? ?§|\b\d+ §§? [A-ZÅÄÖ]|\bartikel \d+|\bart\. \d+")


def test_there_are_document_templates() -> None:
    assert len(DOCUMENT_TEMPLATES) > 20


@pytest.mark.parametrize("path", DOCUMENT_TEMPLATES, ids=lambda p: p.name)
def test_no_template_writes_a_provision_as_text(path: Path) -> None:
    text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # comments
    assert CITATION.findall(text) == [], "cite with lagrum(\"id\") from generator/data/laws.yaml"


@pytest.mark.parametrize("key", sorted(laws.provisions()))
def test_every_provision_has_a_registered_law_and_a_source(key: str) -> None:
    found = laws.provisions()[key]
    assert found.source.strip()
    assert (found.article is not None) is (found.regulation is not None)
    if found.article is None:
        assert laws.find(found.sfs) is not None and found.section
    assert render.provision(key)


@pytest.mark.parametrize("key", sorted(laws.provisions()))
def test_every_provision_is_cited_by_a_template_or_a_rule(key: str) -> None:
    templates = "".join(p.read_text(encoding="utf-8") for p in DOCUMENT_TEMPLATES)
    rules = "".join(p.read_text(encoding="utf-8")
                    for p in (ROOT / "generator" / "rules").glob("*.py"))
    # A provision with subject words (terms) is read by the rules of generator/rules/lagrum.py.
    assert (f'lagrum("{key}"' in templates or re.search(rf"cite\([\"']{key}[\"']\)", rules)
            or laws.provisions()[key].terms)


def test_a_rule_cites_its_provision_from_the_registry() -> None:
    """The rule sources name the same provision as the documents, in the same words."""
    from generator.rules import catalogue, structure

    assert catalogue.KL == "9 kap. 37 § kommunallagen (2017:725)"
    assert structure.KL_DELEGATION == "9 kap. 37 § andra stycket kommunallagen (2017:725)"


def test_the_forms_of_a_citation() -> None:
    assert render.provision("extern-delegering") == (
        "9 kap. 37 § andra stycket kommunallagen (2017:725)")
    assert render.provision("ej-delegering", lag=False) == "6 kap. 38 §"
    assert render.provision("lokalisering", sfs=False) == "2 kap. 1 § kommunallagen"
    assert render.provision("gemensamt-ansvariga") == "artikel 26 i dataskyddsförordningen"
    with pytest.raises(render.RenderError, match="finns inte i lagregistret"):
        render.provision("finns-inte")


def test_the_documents_follow_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """A provision corrected in laws.yaml is corrected in every document that cites it."""
    data: dict[str, Any] = laws._data()
    moved = [dict(p, section="99") if p["id"] == "avtalssamverkan" else p
             for p in data["provisions"]]
    monkeypatch.setattr(laws, "_data", lambda: {**data, "provisions": moved})
    laws.provisions.cache_clear()
    try:
        template = render.environment().from_string('{{ lagrum("avtalssamverkan") }}')
        shown = template.render().replace("\\", "")  # the Markdown escapes taken away
        assert shown == "9 kap. 99 § kommunallagen (2017:725)"
    finally:
        laws.provisions.cache_clear()
