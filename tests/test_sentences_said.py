"""Sentences a fresh agreement (A10) got wrong, each now said as the spec says it: the
yearly price adjustment and the reconciliation reach the payer's staff report, a records
table that gives some records to another keeper makes the archive sentence an exception,
the parties' own dispute steps come before the court, a breach ends the agreement
'till omedelbart upphörande', and one criterion is no 'samtliga'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from buildkit import dump, md_unescape, norm, read_yaml, run_cli

SPEC = Path(__file__).parent.parent / "specs" / "familjebehandling-norrstrom-fjallviken.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("said")
    data = read_yaml(SPEC)
    data["id"] = "sagt"
    economics = data["economics"]
    economics["price_adjustment"] = {"index": "Prisindex för kommunal verksamhet", "month": 1,
                                     "cap_percent": 3}
    economics["reconciliation"] = {"interval_months": 12}
    data["disputes"]["court"] = "Norrströms tingsrätt"
    data["disputes"]["procedure"] = "Tvister tas först upp i styrgruppen."
    data["termination"]["breach_terms"] = {"cure_days": 30, "effect": "omedelbart"}
    data["termination"].pop("breach", None)
    records = data["information"]["records"]
    records["classes"] = [
        {"id": "akt", "text": "akter i enskilda ärenden", "kept_by": "arendets_namnd"},
        {"id": "logg", "text": "logg och statistik", "kept_by": "part", "party": "norrstrom"},
    ]
    data["target_group"]["criteria"] = data["target_group"]["criteria"][:1]
    return build(data, folder)


def build(data: dict[str, Any], folder: Path) -> Path:
    """The spec data written into `folder` and built as Markdown: its output folder."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = dump(data, folder / f"{data['id']}.yaml")
    run = run_cli("build", "--format", "md", "--out", folder / "out", spec)
    assert run.code == 0, run.stdout + run.stderr
    return folder / "out" / str(data["id"])


def read(built: Path, name: str) -> str:
    return norm(md_unescape((built / name).read_text(encoding="utf-8")))


def test_the_payers_staff_report_says_what_can_change_the_price(built: Path) -> None:
    report = read(built, "fjallviken/tjansteutlatande.md")
    economics = report.split("# Ekonomiska konsekvenser", 1)[1].split("# ", 1)[0]
    assert ("Ersättningen justeras varje år från och med januari efter prisindex för kommunal "
            "verksamhet, med högst 3 % per år.") in economics
    assert "stäms av mot den faktiska kostnaden en gång per år" in economics


def test_the_archive_sentence_leaves_the_tables_other_keepers_alone(built: Path) -> None:
    agreement = read(built, "avtal.md")
    assert ("Fjällvikens kommun ansvarar för arkiveringen av de handlingar som uppkommer inom "
            "samverkan, utom där tabellen nedan anger någon annan.") in agreement


def test_the_parties_own_dispute_steps_come_before_the_court(built: Path) -> None:
    agreement = read(built, "avtal.md")
    steps = agreement.index("Tvister tas först upp i styrgruppen.")
    assert steps < agreement.index("Kan parterna inte enas ska tvisten avgöras av allmän domstol")


def test_a_breach_ends_the_agreement_in_plain_swedish(built: Path) -> None:
    agreement = read(built, "avtal.md")
    assert "säga upp avtalet till omedelbart upphörande om den andra parten" in agreement
    assert "att upphöra omedelbart" not in agreement


def test_one_criterion_is_not_all_of_the_following(built: Path) -> None:
    agreement = read(built, "avtal.md")
    assert "omfattar den som uppfyller följande villkor:" in agreement
    assert "samtliga följande villkor" not in agreement


def test_the_performers_report_names_the_nämnd_that_delegates(tmp_path: Path) -> None:
    """With one delegating party the performer's staff report names its nämnd, not
    ”Danderyds kommuns nämnd”."""
    data = read_yaml(SPEC.parent / "familjeratt-sodra-roslagen.yaml")
    keep = {"taby", "danderyd"}
    data["id"] = "tva"
    data["parties"] = [p for p in data["parties"] if p["id"] in keep]
    model = data["economics"]["model"]
    model["populations"] = [p for p in model["populations"] if p["party"] in keep]
    data["staff"]["transfer_from"] = [p for p in data["staff"]["transfer_from"] if p in keep]
    out = build(data, tmp_path)
    report = read(out, "taby/tjansteutlatande.md")
    assert ("Delegeringen beslutas av socialnämnden i Danderyds kommun i dess "
            "delegationsordning.") in report


def _recipients(markdown: str) -> list[str]:
    section = markdown.split("# Beslutet skickas till", 1)[1]
    return [norm(md_unescape(line[2:])) for line in section.splitlines() if line.startswith("- ")]


def test_a_proposal_is_not_sent_to_its_own_organ_nor_to_those_the_decision_tasks(
    tmp_path: Path,
) -> None:
    """Kommunstyrelsen's proposal to fullmäktige goes to fullmäktige, not to kommunstyrelsen
    because fullmäktige's decision will give it a task: the task is given by the decision."""
    data = read_yaml(SPEC.parent / "hvb-ostergotland.yaml")
    data["id"] = "uppdrag"
    norrkoping = next(p for p in data["parties"] if p["id"] == "norrkoping")
    social = next(d for d in norrkoping["decisions"] if d["organ"] == "socialnamnden")
    social.setdefault("commissions", []).append(
        {"organ": "Kommunstyrelsen", "task": "följa upp avtalet i sin uppsikt"})
    out = build(data, tmp_path)
    folder = out / "norrkoping" / "socialnamnden"
    proposal = _recipients((folder / "beslut-kommunstyrelsen.md").read_text(encoding="utf-8"))
    assert "Kommunfullmäktige" in proposal
    assert "Kommunstyrelsen" not in proposal
    decision = _recipients((folder / "beslut-kommunfullmaktige.md").read_text(encoding="utf-8"))
    assert any(x.startswith("Kommunstyrelsen") for x in decision)


def test_a_region_is_not_made_to_delegate_the_kommuns_decisions(tmp_path: Path) -> None:
    """A region that orders under an agreement on social services holds none of its
    decisions: its decision gives no extern delegering, its report says it needs none, and
    the performer's report names only the kommuner's nämnder as delegating."""
    data = read_yaml(SPEC.parent / "familjeratt-sodra-roslagen.yaml")
    data["id"] = "reg"
    region = next(p for p in data["parties"] if p["id"] == "vaxholm")
    region["type"], region["name"] = "region", "Region Roslagen"
    out = build(data, tmp_path)
    built = out
    assert "9 kap. 37 §" not in read(built, "vaxholm/beslut.md")
    assert "behöver därför besluta om uppdraget" not in read(built, "vaxholm/tjansteutlatande.md")
    assert "behöver därför besluta om uppdraget" in read(built, "danderyd/tjansteutlatande.md")
    assert ("Delegeringen beslutas av nämnderna i Danderyds kommun och Lidingö stad, var och "
            "en i sin delegationsordning.") in read(built, "taby/tjansteutlatande.md")


CENTRE = Path(__file__).parent / "fixtures" / "fresh-familjehemscentrum.yaml"


@pytest.fixture(scope="module")
def centre(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A11's agreement: three kommuner and a region that takes part and pays a share."""
    out = tmp_path_factory.mktemp("centre")
    run = run_cli("build", "--format", "md", "--out", out, CENTRE)
    assert run.code == 0, run.stdout + run.stderr
    return out / "fresh-familjehemscentrum"


def test_every_paying_party_has_its_auditors_insight(centre: Path) -> None:
    agreement = read(centre, "avtal.md")
    assert ("Lövåsa kommuns, Brattfors kommuns och Region Mittbygdens revisorer har rätt till "
            "insyn") in agreement


def test_the_parties_that_do_not_perform_contribute_each_named_once(centre: Path) -> None:
    agreement = read(centre, "avtal.md")
    assert ("Var och en av parterna som inte själva utför uppgifterna bidrar också till "
            "samarbetet:") in agreement
    assert "- Lövåsa kommun bidrar med" in agreement
    assert "Lövåsa kommun: Lövåsa kommun" not in agreement
    assert "- Region Mittbygden: Regionen bidrar med" in agreement


def test_the_decision_table_names_the_agreed_delegates(centre: Path) -> None:
    agreement = read(centre, "avtal.md")
    assert ("| enhetschef för Familjehemscentrum Mittbygden eller familjehemssekreterare vid "
            "Familjehemscentrum Mittbygden |") in agreement
    assert "anställd hos den utförande parten |" not in agreement


@pytest.mark.parametrize("said", ["field", "prose"])
def test_no_procurement_conclusion_from_a_note_where_the_service_is_bought(
    said: str, tmp_path: Path
) -> None:
    """A service bought on the market today, by the field or in the spec's own words (as
    LOU-MARKNAD reads it): the staff report does not conclude 'därför' from a note that
    gives no ground; with neither, the note still carries the conclusion."""
    data = read_yaml(SPEC.parent / "socialjour-skogsberg.yaml")
    data["procurement"]["note"] = "Jouren utövar myndighet åt kommunerna."
    plain = build(data, tmp_path / "plain")
    conclusion = "Förvaltningen bedömer därför att lagen (2016:1145) om offentlig upphandling"
    assert conclusion in read(plain, "abrink/tjansteutlatande.md")
    if said == "field":
        data["procurement"]["bought_on_market"] = True
    else:
        data["background"] = (data["background"].rstrip() + " Kommunerna köper i dag "
                              "jourutredningar av konsulter.")
    bought = build(data, tmp_path / "bought")
    assert conclusion not in read(bought, "abrink/tjansteutlatande.md")
