"""Places given as pointer patterns (`*` for one step): where a spec names a party by id,
and which fields are Markdown; each is found, and nothing else is."""

from __future__ import annotations

import pytest
from buildkit import SPECS_DIR, read_spec

from generator import consistency
from generator.model import MARKDOWN_FIELDS, is_markdown


@pytest.mark.parametrize("pattern", consistency.party_references())
def test_each_place_that_names_a_party_is_found(pattern: str) -> None:
    """A `*` stands for any one step (a list index); the pointer must end where the
    place does."""
    pointer = pattern.replace("*", "12")
    assert consistency._party_reference().fullmatch(pointer)
    assert not consistency._party_reference().fullmatch(pointer + "/name")
    if not pattern.endswith("*"):
        assert not consistency._party_reference().fullmatch(pointer.rsplit("/", 1)[0] + "/x")
    if "*" in pattern:
        assert not consistency._party_reference().fullmatch(pattern.replace("*", "1/2"))


def test_every_party_reference_of_the_schema_is_checked() -> None:
    """The places come from the schema (each party_ref): a new one is checked as soon as
    the schema has it (staff.transfer_from and implementation were once left out)."""
    assert {"/staff/transfer_from/*", "/implementation/*/party", "/hub/host",
            "/economics/model/shares/*/parties/*"} <= set(consistency.party_references())
    spec = read_spec(SPECS_DIR / "familjeratt-sodra-roslagen.yaml")
    spec.data["staff"]["transfer_from"].append("4")
    found = [i for i in consistency.check(spec) if "”4”" in i.message]
    assert [i.location.pointer for i in found] == ["/staff/transfer_from/2"]


def test_an_unknown_party_in_a_list_of_parties_is_reported() -> None:
    """A cost share naming a party that is not in the agreement, in a list inside a
    list (/economics/model/shares/*/parties/*), is a form error at that field."""
    spec = read_spec(SPECS_DIR / "hvb-ostergotland.yaml")
    spec.data["economics"]["model"]["shares"][1]["parties"][0] = "okand-kommun"
    found = [i for i in consistency.check(spec) if "okand-kommun" in i.message]
    assert [i.location.pointer for i in found] == ["/economics/model/shares/1/parties/0"]


@pytest.mark.parametrize("pattern", MARKDOWN_FIELDS)
def test_each_markdown_field_is_found_and_nothing_beside_it(pattern: str) -> None:
    """A Markdown field is passed through unescaped: only the field itself, at any list
    index, never its parent, a longer pointer or two steps in place of one."""
    pointer = pattern.replace("*", "3")
    assert is_markdown(pointer)
    assert not is_markdown(pointer + "/0")
    assert not is_markdown(pointer.rsplit("/", 1)[0])
    assert not is_markdown(pattern.replace("*", "1/2"))
