"""`avtal diff OLD NEW`: the semantic change list, its significance and its formats.

Each test writes two versions of an example spec to tmp_path (the second one changed
in a known way through plain YAML) and reads what `avtal diff` says about them. The
expected section numbers are read from the rendered agreement (`avtal textconv`), and
the expected values are written with babel, independently of the generator.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.numbers import format_decimal
from buildkit import SPECS_DIR, Run, dump, pin, read_yaml, run_cli, swedish_date

from generator.consistency import luhn_ok
from generator.diff import _is_editorial, format_value, text_changes, word_diff
from generator.schema import SCHEMA_PATH

FAM = SPECS_DIR / "familjebehandling-norrstrom-fjallviken.yaml"
SOK = SPECS_DIR / "sok-psykisk-funktionsnedsattning.yaml"
MARKER = "<!-- avtal-diff -->"
NBSP = "\u00a0"

# Sections that are not headings of the agreement: decision documents and metadata.
UNNUMBERED = {
    "Rubrik",
    "Version och status",
    "Upphandling (beslutsunderlag)",
    "Tjänsteutlåtande och beslut",
    "Underskrifter",
}


# --------------------------------------------------------------------------- helpers


def kronor(amount: int) -> str:
    """8 109 450 kronor, with no-break spaces as the documents write it."""
    return f"{format_decimal(amount, format='#,##0', locale='sv_SE')}{NBSP}kronor"


def load(path: Path = FAM) -> dict[str, Any]:
    """A spec as data; the familjebehandling example with the values tests read pinned."""
    data = read_yaml(path)
    return pin(data) if path == FAM else data




def by_id(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(i for i in items if i.get("id") == key)


def org_nr(first_nine: str) -> str:
    """A made-up organisation number with a valid check digit."""
    digit = next(d for d in "0123456789" if luhn_ok(first_nine + d))
    return f"{first_nine[:6]}-{first_nine[6:]}{digit}"


def three_copies() -> dict[str, Any]:
    """The example with three signed paper copies, so a third party may be added to it
    without breaking the check that every party gets a copy."""
    data = load()
    data["signing"]["copies"] = 3
    return data


def with_party(data: dict[str, Any], party_id: str, name: str) -> dict[str, Any]:
    """A copy of the spec with one more uppdragsgivare, copied from the last party."""
    new = copy.deepcopy(data)
    party = copy.deepcopy(new["parties"][-1])
    party.update(id=party_id, name=name, org_nr=org_nr("212000977"))
    new["parties"].append(party)
    return new


def run_diff(tmp_path: Path, old: dict[str, Any], new: dict[str, Any], *args: str) -> Run:
    old_path = dump(old, tmp_path / "gammal.yaml")
    new_path = dump(new, tmp_path / "ny.yaml")
    return run_cli("diff", old_path, new_path, *args)


def changes_of(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The changes `avtal diff --format json` reports for one pair of versions."""
    run = run_diff(tmp_path, old, new, "--format", "json")
    assert run.code == 0, run.stderr
    payload = json.loads(run.stdout)
    assert len(payload) == 1
    changes: list[dict[str, Any]] = payload[0]["changes"]
    return changes


def at(changes: list[dict[str, Any]], pointer: str) -> dict[str, Any]:
    found = [c for c in changes if c["pointer"] == pointer]
    assert len(found) == 1, f"väntade en ändring vid {pointer}, fick {changes}"
    return found[0]


def headings(tmp_path: Path, data: dict[str, Any]) -> dict[str, str]:
    """Heading -> "§ N" of the rendered agreement (the first document textconv prints)."""
    run = run_cli("textconv", dump(data, tmp_path / "rubriker.yaml"))
    assert run.code == 0, run.stderr
    agreement = run.stdout.split("\n===== ")[0]
    found = {m[2]: f"§ {m[1]}" for m in re.finditer(r"^# § (\d+) (.+)$", agreement, re.M)}
    assert found, "avtalet har inga numrerade rubriker"
    return found


def section_lines(text: str) -> list[str]:
    """The section headers of `avtal diff` text output (indented two spaces)."""
    return [
        line.strip()
        for line in text.splitlines()
        if line.startswith("  ")
        and not line.startswith("    ")
        and not line.strip().startswith(
            ("Sammanfattning:", "Text i ", "Varning:", "Beslutas på nytt av:", "Kostnad per part")
        )
    ]


# --------------------------------------------------------------------------- basics


def test_identical_versions_have_no_changes(tmp_path: Path) -> None:
    data = load()
    run = run_diff(tmp_path, data, data)
    assert run.code == 0, run.stderr
    assert "inga ändringar" in run.stdout
    assert "→" not in run.stdout
    payload = json.loads(run_diff(tmp_path, data, data, "--format", "json").stdout)
    assert payload[0]["changes"] == []
    assert payload[0]["documents"] == []


def test_the_original_file_and_its_yaml_round_trip_do_not_differ(tmp_path: Path) -> None:
    """Comments, quoting and key order are not changes to the agreement."""
    same = yaml.safe_load(FAM.read_text(encoding="utf-8"))
    run = run_cli("diff", FAM, dump(same, tmp_path / "ny.yaml"), "--format", "json")
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)[0]["changes"] == []


def test_values_are_written_as_in_the_documents(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    new["term"]["start"] = "2027-03-01"
    new["term"]["duration_months"] = old["term"]["duration_months"] + 12
    new["economics"]["estimated_annual_value"] = 8109450
    changes = changes_of(tmp_path, old, new)

    start = at(changes, "/term/start")
    assert (start["old"], start["new"]) == (swedish_date(old["term"]["start"]), "1 mars 2027")
    months = at(changes, "/term/duration_months")
    assert months["old"] == f"{old['term']['duration_months']} månader"
    assert months["new"] == f"{old['term']['duration_months'] + 12} månader"
    value = at(changes, "/economics/estimated_annual_value")
    assert value["old"] == kronor(old["economics"]["estimated_annual_value"])
    assert value["new"] == f"8{NBSP}109{NBSP}450{NBSP}kronor"
    assert {c["kind"] for c in changes} == {"ändrad"}

    text = run_diff(tmp_path, old, new).stdout
    assert f"{swedish_date(old['term']['start'])} → 1 mars 2027" in text
    assert f"→ 8{NBSP}109{NBSP}450{NBSP}kronor" in text


def test_new_values_read_as_in_the_rendered_agreement(tmp_path: Path) -> None:
    """What the change list says the agreement now says, the agreement does say."""
    old = load()
    new = copy.deepcopy(old)
    new["term"]["start"] = "2026-10-01"
    new["economics"]["model"]["price"] = 115000
    agreement = run_cli("textconv", dump(new, tmp_path / "ny-text.yaml")).stdout
    agreement = " ".join(agreement.split("\n===== ")[0].split())  # documents may wrap lines
    for pointer in ("/term/start", "/economics/model/price"):
        value = " ".join(at(changes_of(tmp_path, old, new), pointer)["new"].split())
        assert value in agreement, f"{pointer}: {value!r} står inte i avtalet"


# --------------------------------------------------------------------------- sections


def test_each_change_is_under_the_numbered_section_it_lands_in(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    new["term"]["start"] = "2026-10-01"
    new["termination"]["notice_months"] = 9
    new["parties"][0]["contacts"][0]["phone"] = "0611-34 82 99"
    new["additional_clauses"][0]["text"] = old["additional_clauses"][0]["text"].replace(
        "ingår inte", "ingår aldrig"
    )
    numbers = headings(tmp_path, new)
    clause = old["additional_clauses"][0]["heading"]
    expected = {
        "/term/start": "Avtalstid",
        "/termination/notice_months": "Uppsägning",
        "/parties/0/contacts/0/phone": "Samråd och uppföljning",  # the contact table
        "/additional_clauses/0/text": clause,  # a clause is its own section
    }
    changes = changes_of(tmp_path, old, new)
    assert len(changes) == len(expected), changes
    for pointer, section in expected.items():
        change = at(changes, pointer)
        assert (change["section"], change["number"]) == (section, numbers[section]), pointer

    text = run_diff(tmp_path, old, new).stdout
    for section in expected.values():
        assert f"  {numbers[section]} {section}\n" in text


def test_sections_are_listed_once_each_in_the_order_of_the_agreement(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    new["title"] = old["title"] + " i Norrström och Fjällviken"
    new["legal_basis"][0]["note"] = "Fjällviken låter Norrström utföra familjebehandling."
    new["parties"][1]["name"] = "Fjällvikens stad"
    new["purpose"] = old["purpose"].replace("god kvalitet", "hög kvalitet")
    assert new["purpose"] != old["purpose"]
    new["follow_up"]["steering_group"]["meetings_per_year"] = 4
    new["parties"][1]["contacts"][0]["phone"] = "0620-68 21 31"
    new["economics"]["model"]["price"] = 115000
    new["additional_clauses"][0]["heading"] = "Resor, lokaler, material och tolk"
    new["termination"]["notice_months"] = 9
    text = run_diff(tmp_path, old, new).stdout
    sections = section_lines(text)
    assert len(sections) == len(set(sections)), f"ett avsnitt förekommer två gånger: {sections}"
    numbers = [int(m[1]) for s in sections if (m := re.match(r"§ (\d+) ", s))]
    assert numbers == sorted(numbers), f"avsnitten kommer inte i avtalets ordning: {sections}"
    assert len(numbers) >= 6, sections
    assert sections[0] == "Rubrik", sections


def test_a_samverkansoverenskommelse_uses_its_own_headings(tmp_path: Path) -> None:
    old = load(SOK)
    new = copy.deepcopy(old)
    new["term"]["end"] = "2030-12-31"
    new["follow_up_date"] = "2027-10-31"
    routine = old["shared_responsibility"][0]["routine"]
    new["shared_responsibility"][0]["routine"] = routine.replace("2025", "2026")
    new["shared_responsibility"][0]["responsibility"] += " Parterna ses varje månad."
    numbers = headings(tmp_path, new)
    changes = changes_of(tmp_path, old, new)
    expected = {
        "/term/end": "Giltighetstid",
        "/follow_up_date": "Uppföljning och utvärdering",
        "/shared_responsibility/0/routine": "Ansvarsfördelning",
        "/shared_responsibility/0/responsibility": "Ansvarsfördelning",
    }
    assert len(changes) == len(expected), changes
    for pointer, section in expected.items():
        change = at(changes, pointer)
        assert (change["section"], change["number"]) == (section, numbers[section]), pointer
    # The spec's own minor_fields: routines are minor, responsibilities are not.
    assert at(changes, "/shared_responsibility/0/routine")["needs_approval"] is False
    assert at(changes, "/shared_responsibility/0/responsibility")["needs_approval"] is True
    assert at(changes, "/term/end")["needs_approval"] is True


def test_every_section_of_a_change_is_a_heading_or_a_known_document(tmp_path: Path) -> None:
    """No change ends up under a name the reader cannot find in the agreement."""
    old = load()
    new = copy.deepcopy(old)
    new["purpose"] += " Samverkan utvärderas efter ett år."
    new["tasks"]["excluded"][0]["text"] = "Utredning och beslut om insatser."
    new["responsibilities"][0]["duties"][0]["text"] += " Byte av behandlare meddelas."
    new["delegation"]["nature"] = "bada"
    new["information"]["secrecy"] += " Sekretessen gäller också efter avtalets slut."
    new["staff"]["work_environment"] += " Hembesök görs två och två."
    new["insurance"] += " Försäkringen ska finnas under hela avtalstiden."
    new["work_results"] += " Materialet får spridas fritt."
    new["amendments"]["minor_approved_by"] = "Socialcheferna."
    new["disputes"]["forum"] = "skiljeman"
    numbers = headings(tmp_path, new)
    changes = changes_of(tmp_path, old, new)
    assert len(changes) == 10, changes
    for change in changes:
        section = change["section"]
        assert section in numbers or section in UNNUMBERED, change
        assert change["number"] == numbers.get(section, ""), change


def test_party_details_are_listed_where_the_documents_show_them(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    new["parties"][0]["signatories"][0]["title"] = "Ordförande"
    new["parties"][0]["decision"]["meeting_date"] = "2026-06-16"
    new["parties"][1]["organs"][0]["responsibility"] += " Nämnden följer upp insatserna."
    changes = changes_of(tmp_path, old, new)
    sections = {c["pointer"]: (c["section"], c["number"]) for c in changes}
    assert sections == {
        "/parties/0/signatories/0/title": ("Underskrifter", ""),
        "/parties/0/decision/meeting_date": ("Tjänsteutlåtande och beslut", ""),
        "/parties/1/organs/0/responsibility": ("Parter", headings(tmp_path, new)["Parter"]),
    }
    assert at(changes, "/parties/0/decision/meeting_date")["new"] == "16 juni 2026"
    assert all(c["old"] != c["new"] for c in changes), "en ändring ska synas i före/efter"


# --------------------------------------------------------------------------- lists and parties


def test_a_party_added_is_named_in_the_summary(tmp_path: Path) -> None:
    old = three_copies()
    new = with_party(old, "lund", "Lunds kommun")
    run = run_diff(tmp_path, old, new, "--format", "json")
    payload = json.loads(run.stdout)[0]
    assert "Lunds kommun tillagd som part" in payload["summary"]
    [change] = payload["changes"]
    assert (change["pointer"], change["kind"], change["new"]) == (
        "/parties/2",
        "tillagd",
        "Lunds kommun",
    )
    assert change["needs_approval"] is True
    assert "Lunds kommun tillagd som part" in run_diff(tmp_path, old, new).stdout


def test_a_party_removed_is_named_in_the_summary(tmp_path: Path) -> None:
    old = with_party(three_copies(), "lund", "Lunds kommun")
    new = three_copies()
    payload = json.loads(run_diff(tmp_path, old, new, "--format", "json").stdout)[0]
    assert "Lunds kommun borttagen som part" in payload["summary"]
    [change] = payload["changes"]
    assert (change["kind"], change["old"], change["needs_approval"]) == (
        "borttagen",
        "Lunds kommun",
        True,
    )


def test_a_renamed_party_is_one_change_of_its_name(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    new["parties"][1]["name"] = "Fjällvikens stad"
    [change] = changes_of(tmp_path, old, new)
    assert (change["pointer"], change["kind"]) == ("/parties/1/name", "ändrad")
    assert (change["old"], change["new"]) == ("Fjällvikens kommun", "Fjällvikens stad")


def test_a_reordered_list_is_one_move(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    new["tasks"]["included"].reverse()
    [change] = changes_of(tmp_path, old, new)
    assert (change["pointer"], change["kind"]) == ("/tasks/included", "flyttad")


def test_a_moved_and_reworded_item_is_a_move_and_one_change_at_the_item(
    tmp_path: Path,
) -> None:
    old = load()
    new = copy.deepcopy(old)
    item = by_id(new["tasks"]["included"], "uppfoljning")
    new["tasks"]["included"].remove(item)
    item["text"] = item["text"].replace("sex månader", "tolv månader")
    new["tasks"]["included"].insert(0, item)
    changes = changes_of(tmp_path, old, new)
    assert sorted(c["kind"] for c in changes) == ["flyttad", "ändrad"], changes
    changed = at(changes, "/tasks/included/0/text")
    assert (changed["old"], changed["new"]) == (
        by_id(old["tasks"]["included"], "uppfoljning")["text"],
        item["text"],
    )
    assert not [c for c in changes if c["kind"] in ("tillagd", "borttagen")]


def test_an_item_inserted_first_does_not_change_the_others(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    new["tasks"]["included"].insert(0, {"id": "telefonstod", "text": "Telefonstöd till familjen."})
    [change] = changes_of(tmp_path, old, new)
    assert (change["pointer"], change["kind"], change["new"]) == (
        "/tasks/included/0",
        "tillagd",
        "Telefonstöd till familjen.",
    )


def test_an_item_removed_is_one_removal_with_its_text(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    gone = by_id(old["tasks"]["excluded"], "jour")
    new["tasks"]["excluded"] = [i for i in new["tasks"]["excluded"] if i["id"] != "jour"]
    [change] = changes_of(tmp_path, old, new)
    assert (change["kind"], change["old"], change["new"]) == ("borttagen", gone["text"], "–")


# --------------------------------------------------------------------------- significance


def _changed(mutate: str) -> tuple[dict[str, Any], dict[str, Any]]:
    old = load()
    new = copy.deepcopy(old)
    party = new["parties"][0]
    edits = {
        "contact phone": lambda: party["contacts"][0].update(phone="0611-34 82 99"),
        "decision": lambda: party["decision"]["case_officer"].update(phone="0611-34 82 48"),
        "address": lambda: party.update(address="Box 124, 870 10 Norrström"),
        "signatory": lambda: party["signatories"][0].update(title="Ordförande"),
        "status": lambda: new.update(status="beslutad"),
        "version": lambda: new.update(version="1.1"),
        "date": lambda: new.update(date="2026-05-05"),
        "diarienummer": lambda: new.update(diarienummer="SON 2026/0216"),
        "notice period": lambda: new["termination"].update(notice_months=9),
        "term start": lambda: new["term"].update(start="2026-10-01"),
        "price": lambda: new["economics"]["model"].update(price=115000),
        "task text": lambda: new["tasks"]["included"][0].update(text="Bedömning."),
        "purpose": lambda: new.update(purpose="Kommunerna samarbetar."),
        "party name": lambda: party.update(name="Norrströms stad"),
    }
    edits[mutate]()
    return old, new


@pytest.mark.parametrize(
    "mutate",
    ["contact phone", "decision", "address", "signatory", "status", "version", "date",
     "diarienummer"],
)  # fmt: skip
def test_minor_by_default(tmp_path: Path, mutate: str) -> None:
    old, new = _changed(mutate)
    changes = changes_of(tmp_path, old, new)
    assert changes, "ändringen syns inte"
    assert all(not c["needs_approval"] for c in changes), changes


@pytest.mark.parametrize(
    "mutate", ["notice period", "term start", "price", "task text", "purpose", "party name"]
)
def test_material_by_default(tmp_path: Path, mutate: str) -> None:
    old, new = _changed(mutate)
    changes = changes_of(tmp_path, old, new)
    assert changes, "ändringen syns inte"
    assert all(c["needs_approval"] for c in changes), changes


def test_a_phone_number_alone_needs_no_new_decision_in_any_format(tmp_path: Path) -> None:
    old, new = _changed("contact phone")
    text = run_diff(tmp_path, old, new).stdout
    assert "ingen kräver nytt beslut" in text
    assert "[kräver nytt beslut]" not in text
    markdown = run_diff(tmp_path, old, new, "--format", "markdown").stdout
    assert "Inga ändringar kräver nytt beslut" in markdown
    assert "**Kräver nytt beslut**" not in markdown
    [row] = [line for line in markdown.splitlines() if line.startswith("|") and "82 99" in line]
    assert row.endswith("| nej |")


def test_the_notice_period_needs_a_new_decision_in_every_format(tmp_path: Path) -> None:
    old, new = _changed("notice period")
    text = run_diff(tmp_path, old, new).stdout
    [line] = [line for line in text.splitlines() if line.startswith("    ändrad:")]
    assert "6 månader → 9 månader" in line
    assert line.endswith("[kräver nytt beslut]")
    assert "1 kräver nytt beslut" in text
    markdown = run_diff(tmp_path, old, new, "--format", "markdown").stdout
    assert "**Kräver nytt beslut**" in markdown
    [row] = [line for line in markdown.splitlines() if "| 6 månader |" in line]
    assert row.endswith("| ja |")


def test_the_spec_s_minor_fields_replace_the_defaults(tmp_path: Path) -> None:
    old = load()
    old["amendments"]["minor_fields"] = [
        "/parties/*/contacts",
        "/economics/model/price",
        "/tasks/included/*/text",
    ]
    new = copy.deepcopy(old)
    new["economics"]["model"]["price"] = 115000
    new["parties"][1]["contacts"][0]["phone"] = "0620-68 21 31"
    new["parties"][0]["address"] = "Box 124, 870 10 Norrström"  # minor by default only
    new["tasks"]["included"][1]["text"] = "Strukturerad familjebehandling enligt FFT."
    new["tasks"]["included"].append({"id": "telefonstod", "text": "Telefonstöd."})
    new["termination"]["notice_months"] = 9
    changes = changes_of(tmp_path, old, new)
    approval = {c["pointer"]: c["needs_approval"] for c in changes}
    assert approval == {
        "/parties/0/address": True,
        "/parties/1/contacts/0/phone": False,
        "/tasks/included/1/text": False,
        f"/tasks/included/{len(old['tasks']['included'])}": True,  # * is a position, not a new item
        "/economics/model/price": False,
        "/termination/notice_months": True,
    }


def test_changing_minor_fields_alone_needs_no_decision_when_no_agreement_states_them(
    tmp_path: Path,
) -> None:
    """minor_fields tells avtal which changes are minor; the organs decide the text. The
    next test keeps a new version from waiving the decision on its own changes."""
    old = load()
    new = copy.deepcopy(old)
    new["amendments"]["minor_fields"] = ["/parties/*/contacts"]
    [change] = changes_of(tmp_path, old, new)
    assert change["pointer"] == "/amendments/minor_fields"
    files = [tmp_path / name / "spec.yaml" for name in ("gammal", "ny")]
    for file, data in zip(files, (old, new), strict=True):
        file.parent.mkdir()
        dump(data, file)
    texts = [run_cli("textconv", f).stdout.replace(str(f), "") for f in files]
    assert texts[0] == texts[1]
    assert change["needs_approval"] is False


def test_a_new_version_cannot_declare_its_own_changes_minor(tmp_path: Path) -> None:
    """The rules of the agreement in force decide; the proposal cannot waive them."""
    old = load()
    new = copy.deepcopy(old)
    new["amendments"]["minor_fields"] = ["/amendments", "/term", "/parties/*/contacts"]
    new["term"]["start"] = "2026-10-01"
    changes = changes_of(tmp_path, old, new)
    assert at(changes, "/term/start")["needs_approval"] is True
    assert at(changes, "/amendments/minor_fields")["needs_approval"] is True


# --------------------------------------------------------------------------- formats


def test_summary_says_what_changed_in_the_agreement_s_terms(tmp_path: Path) -> None:
    old, new = _changed("notice period")
    payload = json.loads(run_diff(tmp_path, old, new, "--format", "json").stdout)[0]
    assert "6 månader → 9 månader" in payload["summary"]
    text = run_diff(tmp_path, old, new).stdout
    assert re.search(r"^  Sammanfattning: .*6 månader → 9 månader", text, re.M)


def test_markdown_is_a_pull_request_comment(tmp_path: Path) -> None:
    old, new = _changed("term start")
    new["parties"][0]["contacts"][0]["phone"] = "0611-34 82 99"
    out = run_diff(tmp_path, old, new, "--format", "markdown", "--text").stdout
    assert out.startswith(MARKER + "\n")
    summary = out.index("- **")
    details = out.index("<details>")
    assert summary < details, "sammanfattningen ska komma före detaljerna"
    assert "1 september 2026 → 1 oktober 2026" in out[:details]
    folded = out[details : out.index("</details>")]
    assert "| Avsnitt | Ändring | Före | Efter | Nytt beslut |" in folded
    assert "| 1 september 2026 | 1 oktober 2026 | ja |" in folded
    assert "Textändringar" in folded
    # Spec text in the comment is escaped (it cannot become markup): what GitHub shows
    # is the text without the backslashes.
    shown = re.sub(r"\\(.)", r"\1", folded)
    assert "[-september-] {+oktober+}" in shown
    assert out.count(MARKER) == 1


def test_markdown_table_cells_cannot_break_the_table(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    new["purpose"] = "Kommunerna samarbetar | och <b>ingen</b> tabell går sönder."
    out = run_diff(tmp_path, old, new, "--format", "markdown").stdout
    [row] = [line for line in out.splitlines() if "Kommunerna samarbetar" in line]
    cells = re.split(r"(?<!\\)\|", row)
    assert len(cells) == 7, row  # | a | b | c | d | e |
    assert "<b>" not in row


def test_json_has_every_field(tmp_path: Path) -> None:
    old, new = _changed("notice period")
    payload = json.loads(run_diff(tmp_path, old, new, "--format", "json", "--text").stdout)
    [spec] = payload
    assert spec["spec"].endswith("ny.yaml")
    [change] = spec["changes"]
    assert set(change) == {
        "section", "number", "pointer", "label", "kind", "old", "new", "needs_approval",
        "editorial", "words",
    }  # fmt: skip
    assert change["number"].startswith("§ ")
    documents = {d["document"]: d["paragraphs"] for d in spec["documents"]}
    agreement = documents[f"{old['id']}/avtal"]
    assert any("[-" in p and "{+" in p and "uppsägningstid" in p for p in agreement), agreement


def test_text_shows_changed_paragraphs_only_with_text_option(tmp_path: Path) -> None:
    old, new = _changed("term start")
    plain = run_diff(tmp_path, old, new).stdout
    assert "{+" not in plain
    out = run_diff(tmp_path, old, new, "--text").stdout
    assert "Text i familjebehandling-norrstrom-fjallviken/avtal:" in out
    agreement = out.split("Text i familjebehandling-norrstrom-fjallviken/avtal:")[1]
    agreement = agreement.split("  Text i ")[0]
    [line] = [line for line in agreement.splitlines() if "Avtalet gäller från och med" in line]
    assert "från och med 1 [-september-] {+oktober+} 2026" in line
    assert "\\" not in line, "textdiffen ska vara ren text utan Markdown-escape"
    unchanged = "Kommunerna samarbetar för att barn"
    assert unchanged not in out, "oförändrade stycken ska inte visas"


def test_one_path_is_a_usage_error(tmp_path: Path) -> None:
    run = run_cli("diff", dump(load(), tmp_path / "a.yaml"))
    assert run.code == 2
    assert "två specifikationer" in run.stderr


def test_an_invalid_version_is_reported_not_compared(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    del new["parties"]
    run = run_diff(tmp_path, old, new)
    assert run.code == 1
    assert "versionen går inte att jämföra" in run.stderr
    assert run.stdout == ""


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a b c", "a x c"),
        ("Avtalet gäller i 24 månader", "Avtalet gäller i 36 månader från start"),
        ("", "nytt stycke"),
        ("helt borttaget", ""),
        ("ett två tre fyra", "fyra tre två ett"),
    ],
)
def test_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    runs = word_diff(old, new)
    assert " ".join(t for op, t in runs if op in " -" and t) == old
    assert " ".join(t for op, t in runs if op in " +" and t) == new
    assert all(op in " -+" for op, _ in runs)


def test_text_changes_marks_only_changed_words_of_changed_paragraphs() -> None:
    meta = '---\ntitle: "x"\n---\n'
    old = meta + "# § 1 Parter\n\nEtt stycke som står kvar.\n\nAvtalet gäller i 24 månader.\n"
    new = meta + "# § 1 Parter\n\nEtt stycke som står kvar.\n\nAvtalet gäller i 36 månader.\n"
    assert text_changes(old, new) == ["Avtalet gäller i [-24-] {+36+} månader."]
    assert text_changes(old, old) == []


def test_text_changes_are_plain_text() -> None:
    old = "Priset är 1\\.000 kronor \\(exkl\\. moms\\)."
    new = "Priset är 2\\.000 kronor \\(exkl\\. moms\\)."
    assert text_changes(old, new) == ["Priset är [-1.000-] {+2.000+} kronor (exkl. moms)."]


def test_format_value() -> None:
    date_schema = {"_raw": {"$ref": "#/$defs/date"}}
    amount_schema = {"_raw": {"$ref": "#/$defs/amount"}}
    percent_schema = {"_raw": {"$ref": "#/$defs/percent"}}
    assert format_value("2026-03-01", date_schema) == "1 mars 2026"
    assert format_value(8109450, amount_schema) == f"8{NBSP}109{NBSP}450{NBSP}kronor"
    assert format_value(25, percent_schema) == f"25{NBSP}%"
    assert format_value(36, {"title": "Avtalstid i månader"}) == "36 månader"
    assert format_value(True, {}) == "ja"
    assert format_value(None, {}) == "–"
    assert format_value({"id": "x", "name": "Lunds kommun"}, {}) == "Lunds kommun"
    assert format_value(["a", "b"], {}) == "a; b"


def test_a_label_names_the_items_it_sits_in(tmp_path: Path) -> None:
    """'Telefon' alone does not say whose: the label carries the party and the function."""
    old, new = _changed("contact phone")
    [change] = changes_of(tmp_path, old, new)
    _, _, party_index, _, contact_index, _ = change["pointer"].split("/")
    party = new["parties"][int(party_index)]
    contact = party["contacts"][int(contact_index)]
    assert change["label"] == f"{party['name']}, {contact['function']}: Telefon"


def test_an_added_party_is_not_written_as_a_value_change(tmp_path: Path) -> None:
    old = three_copies()
    new = with_party(old, "lund", "Lunds kommun")
    text = run_diff(tmp_path, old, new).stdout
    assert "    tillagd: Lunds kommun  [kräver nytt beslut]" in text.splitlines()
    assert "– → Lunds kommun" not in text


def test_a_move_lists_the_items_by_their_words(tmp_path: Path) -> None:
    old = load()
    new = copy.deepcopy(old)
    new["tasks"]["included"].reverse()
    [change] = changes_of(tmp_path, old, new)
    assert change["kind"] == "flyttad"
    first_words = " ".join(str(new["tasks"]["included"][0]["text"]).split())[:40]
    assert change["new"].startswith(first_words)
    assert new["tasks"]["included"][0]["id"] not in change["new"].split("; ")


# --------------------------------------------------------------------------- coded fields

JOUR = FAM.parent / "socialjour-skogsberg.yaml"


def test_coded_delegation_and_controllers_read_in_words(tmp_path: Path) -> None:
    old = load(JOUR)
    new = copy.deepcopy(old)
    new["delegation"]["external"]["decision_types"][0]["decided_by"] = "ordforande_eller_ledamot"
    new["information"]["personal_data"]["joint"]["contact_point"]["party"] = "abrink"
    new["economics"]["invoicing"]["timing"] = "efterskott"
    new["control"]["auditors_access"] = False
    changes = {c["pointer"]: c for c in changes_of(tmp_path, old, new)}
    assert set(changes) == {
        "/delegation/external/decision_types/0/decided_by",
        "/information/personal_data/joint/contact_point/party",
        "/economics/invoicing/timing",
        "/control/auditors_access",
    }
    decided = changes["/delegation/external/decision_types/0/decided_by"]
    assert decided["new"] == "Ordföranden eller en förordnad ledamot"
    assert decided["label"].startswith("beslut om ekonomiskt bistånd")
    contact = changes["/information/personal_data/joint/contact_point/party"]
    assert (contact["old"], contact["new"]) == ("Skogsbergs kommun", "Åbrinks kommun")
    assert contact["editorial"] is False
    assert changes["/economics/invoicing/timing"]["new"] == "I efterskott"
    assert changes["/control/auditors_access"]["section"] == "Insyn och uppsikt"


def test_two_delegates_of_one_party_are_compared_by_position(tmp_path: Path) -> None:
    """Both delegates belong to Skogsberg: their shared party is no identity."""
    old = load(JOUR)
    new = copy.deepcopy(old)
    new["delegation"]["external"]["delegates"][1]["employment"] = "konsult"
    [change] = changes_of(tmp_path, old, new)
    assert change["pointer"] == "/delegation/external/delegates/1/employment"
    assert (change["old"], change["new"]) == ("Anställd", "Konsult")


def test_every_enum_label_list_matches_its_enum() -> None:
    """enumDescriptions label each enum value in order (editors show them, diff uses them)."""
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"en nyckel två gånger: {keys}"
        return dict(pairs)

    schema = json.loads(Path(SCHEMA_PATH).read_text(encoding="utf-8"), object_pairs_hook=unique)
    found = 0

    def walk(node: Any) -> None:
        nonlocal found
        if isinstance(node, dict):
            if "enumDescriptions" in node:
                found += 1
                assert len(node["enumDescriptions"]) == len(node["enum"]), node["enum"]
                assert all(label.strip() for label in node["enumDescriptions"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema)
    assert found >= 20


def test_the_organs_that_decide_again_follow_each_decision_path(tmp_path: Path) -> None:
    old = read_yaml(SPECS_DIR / "hvb-ostergotland.yaml")
    new = copy.deepcopy(old)
    new["termination"]["notice_months"] = old["termination"]["notice_months"] + 6
    [spec] = json.loads(run_diff(tmp_path, old, new, "--format", "json").stdout)
    organs = spec["organs"]
    assert organs[0] == "Socialnämnden → Kommunstyrelsen → Kommunfullmäktige (Norrköpings kommun)"
    assert "Regionstyrelsen (Region Östergötland)" in organs
    assert len(organs) == len({o.rsplit(" (", 1)[1] for o in organs}) + 1  # two in Norrköping
    # A change the administrations may make: no organ decides again.
    minor = copy.deepcopy(old)
    minor["parties"][0]["contacts"][0]["phone"] = "011-15 00 00"
    [spec] = json.loads(run_diff(tmp_path, old, minor, "--format", "json").stdout)
    assert spec["organs"] == []


@pytest.mark.parametrize(
    ("old", "new", "editorial"),
    [
        ("Parterna ska samråda varje kvartal.", "Parterna ska samråda varje kvartal.\n", True),
        ("Familjerätten utför utredningarna.", "Familjerätten gör utredningarna.", True),
        ("Parterna samarbetar nära.", "Parterna samarbetar mycket nära.", True),
        ("Avgiften betalas inom 30 dagar.", "Avgiften betalas inom 45 dagar.", False),  # number
        ("Avtalet gäller i tre år.", "Avtalet gäller i fem år.", False),  # number word
        ("Mötet hålls i maj.", "Mötet hålls i juni.", False),  # date
        ("Täby ansvarar för lokalerna.", "Täby och Vaxholm ansvarar för lokalerna.", False),
        ("Kostnaden ingår.", "Kostnaden ingår inte.", False),  # negation
        ("Parten ska rapportera.", "Parten får rapportera.", False),  # modal verb
        ("Parten bör rapportera.", "Parten rapporterar.", False),  # modal verb removed
    ],
)
def test_an_editorial_change_alters_no_number_date_name_negation_or_modal(
    old: str, new: str, editorial: bool
) -> None:
    assert _is_editorial(old, new, {}) is editorial


def test_an_organ_named_in_lower_case_is_a_name() -> None:
    proper = frozenset({"socialnämnden", "kommunstyrelsen"})
    old, new = "Beslutet fattas av socialnämnden.", "Beslutet fattas av kommunstyrelsen."
    assert _is_editorial(old, new, {}) is True  # no capital letter to tell it by
    assert _is_editorial(old, new, {}, proper) is False
    assert _is_editorial("Beslutet fattas snabbt.", "Beslutet fattas fort.", {}, proper)


def test_a_changed_organ_in_a_text_is_not_editorial(tmp_path: Path) -> None:
    old = load()
    organ = old["parties"][0]["organs"][0]["name"].lower()
    old["purpose"] = f"Samverkan leds av {organ} i Norrström."
    new = copy.deepcopy(old)
    new["purpose"] = "Samverkan leds av kommunstyrelsen i Norrström."
    [change] = changes_of(tmp_path, old, new)
    assert change["editorial"] is False


# --------------------------------------------------------------------------- decided text

# (spec, field path, new value): changes that some agreement states and some none does.
DECIDED_MUTATIONS = [
    ("familjeratt-sodra-roslagen", ("termination", "notice_months"), 9),
    ("familjeratt-sodra-roslagen", ("term", "extension", "period_months"), 6),
    ("familjebehandling-norrstrom-fjallviken", ("termination", "notice_months"), 9),
]


@pytest.mark.parametrize(("name", "path", "value"), DECIDED_MUTATIONS,
                         ids=lambda v: "/".join(v) if isinstance(v, tuple) else str(v))
def test_a_change_needs_a_new_decision_only_when_the_agreement_text_changes(
    tmp_path: Path, name: str, path: tuple[str, ...], value: object
) -> None:
    """The agreement as textconv prints it is the oracle: a change no agreement states
    (a notice period only the checklist knows) is no matter for the organs."""
    old_path = SPECS_DIR / f"{name}.yaml"
    text = old_path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    target = data
    for key in path[:-1]:
        target = target[key]
    assert target[path[-1]] != value
    new_path = tmp_path / f"{name}.yaml"
    indent = "  " * (len(path) - 1)
    line = f"\n{indent}{path[-1]}: {target[path[-1]]}\n"
    assert text.count(line) == 1, line
    new_path.write_text(text.replace(line, f"\n{indent}{path[-1]}: {value}\n"), encoding="utf-8")
    texts = [run_cli("textconv", p).stdout.replace(str(p), "") for p in (old_path, new_path)]
    stated = texts[0] != texts[1]
    run = run_cli("diff", old_path, new_path, "--format", "json")
    [comparison] = json.loads(run.stdout)
    flags = [c["needs_approval"] for c in comparison["changes"]]
    assert flags == [stated], (flags, stated)
    assert bool(comparison["organs"]) is stated
