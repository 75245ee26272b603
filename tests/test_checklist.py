"""The completeness checklist written by `avtal build` to build/<spec-id>/checklista.{md,html}.

The Markdown is read with plain regular expressions; the places it names are checked
against the spec text, and the messages against what `avtal check` reports.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from buildkit import REGISTRY, md_headings, md_unescape, norm, read_spec, run_cli, spec_paths

from generator.build import OVERVIEW_RECORD
from generator.checklist import ITEMS, evaluate
from generator.errors import Severity
from generator.pipeline import check, check_files

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "fixtures" / "valid.yaml"
FLAWED = ROOT / "tests" / "fixtures" / "flawed.yaml"
VALID_TEXT = VALID.read_text(encoding="utf-8")
FIXTURE_ID = "mini-maria-2026"
STEPS = ["1", "2A", "2B", "2C", "3A", "3B", "3C", "4"]
ROW = re.compile(r"^\| (✓|✗|–) \|(.*)\|$", re.M)
# "pointer (rad N)", or "pointer (parties/x.yaml rad N)" for a value from the registry.
PLACE = re.compile(r"(/[^\s(),]*) \((?:(\S+\.yaml) )?rad (\d+)\)")

# Labels of the items the flawed spec must fail, as the checklist writes them.
PARTIES = "Alla parter är kommuner, regioner eller kommunalförbund"
ECONOMY = "Ersättningen följer självkostnadsprincipen och fördelningen är bestämd"
OWN_COSTS = "Varje part bär sina egna kostnader och ingen ersättning tas ut mellan parterna"
PROCUREMENT = "Förhållandet till upphandlingsreglerna är utrett"
PERSONAL_DATA = "Personuppgiftsansvaret är fördelat"
FLAWED_ITEMS = {"KL-9-37-PART": PARTIES, "EKON-ANDELAR": ECONOMY,
                "LOU-DIREKT-GRANS": PROCUREMENT, "GDPR-PUB": PERSONAL_DATA}

JUSTIFICATION = "PUB-avtalet tecknas i ett separat ärende i mars 2026."
SILENCE_PUB = f'rule_exceptions:\n  - rule: GDPR-PUB\n    justification: "{JUSTIFICATION}"\n'
PROCESSOR = ("    roles: separata\n",
             "    roles: bitrade\n    controller: region-stockholm\n    processor: stockholm\n")


@dataclass(frozen=True)
class Row:
    """One checklist item as written: status, label, places and remark (unescaped)."""

    status: str
    label: str
    places: str
    remark: str


def rows(markdown: str) -> list[Row]:
    found = []
    for status, rest in ROW.findall(markdown):
        cells = [md_unescape(c).strip() for c in re.split(r"(?<!\\)\|", rest)]
        assert len(cells) == 3, rest
        found.append(Row(status, *cells))
    return found


def row(markdown: str, label: str) -> Row:
    matching = [r for r in rows(markdown) if r.label == label]
    assert len(matching) == 1, f"punkten {label!r} står {len(matching)} gånger"
    return matching[0]


def resolve(data: Any, pointer: str) -> Any:
    node = data
    for token in pointer.strip("/").split("/"):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def names_its_line(lines: list[str], line: int, pointer: str) -> bool:
    """True when the key of `pointer` stands on `line`, or on the last line before it that
    is not blank or a comment (a block value starts on the line after its key)."""
    key = pointer.rsplit("/", 1)[1]
    pattern = re.compile(rf"(^|[\s-]){re.escape(key)}:(\s|$)")
    if key.isdigit():  # a list entry (e.g. one of a party's decisions) starts with "- "
        pattern = re.compile(r"^\s*- ")
    if pattern.search(lines[line - 1]):
        return True
    for above in reversed(lines[: line - 1]):
        if above.strip() and not above.lstrip().startswith("#"):
            return bool(pattern.search(above))
    return False


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- builds


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`avtal build --format md` of every example spec (the checklists are always md+html)."""
    out = tmp_path_factory.mktemp("examples")
    run = run_cli("build", "--format", "md", "--out", out, ROOT / "specs")
    assert run.code == 0, run.stdout + run.stderr
    return out


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """`avtal build` (default formats) of the flawed fixture."""
    out = tmp_path_factory.mktemp("flawed")
    return out, run_cli("build", "--out", out, FLAWED)


def example_ids(kind: str | None = None) -> list[str]:
    """Ids of the example specs, optionally only those of one kind of agreement."""
    specs = [read_spec(p).data for p in spec_paths()]
    return [str(d["id"]) for d in specs if kind is None or d["kind"] == kind]


def example_path(spec_id: str) -> Path:
    return next(p for p in spec_paths() if read_spec(p).data["id"] == spec_id)


# --------------------------------------------------------------------------- rule errors


def test_build_refuses_documents_but_writes_the_checklist(flawed: tuple[Path, Any]) -> None:
    out, run = flawed
    assert run.code == 1
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert f"{FIXTURE_ID}/checklista.md" in written
    assert f"{FIXTURE_ID}/checklista.html" in written
    others = [p for p in written if Path(p).name not in ("checklista.md", "checklista.html",
                                                          "manifest.json")
              and p not in ("index.html", OVERVIEW_RECORD)]  # the overview page and its record
    assert others == []
    assert not (out / FIXTURE_ID / "avtal.md").exists()
    assert not (out / FIXTURE_ID / "avtal.pdf").exists()
    assert "1 misslyckades" in run.stdout
    for code in FLAWED_ITEMS:
        assert f"[{code}]" in run.stderr


@pytest.mark.parametrize("code", sorted(FLAWED_ITEMS))
def test_failed_item_shows_the_rule_and_its_message(flawed: tuple[Path, Any], code: str) -> None:
    out, _ = flawed
    markdown = (out / FIXTURE_ID / "checklista.md").read_text(encoding="utf-8")
    issue = next(i for i in check_files([FLAWED]) if i.code == code)
    item = row(markdown, FLAWED_ITEMS[code])
    assert item.status == "✗"
    assert norm(f"{code}: {issue.message}") in norm(item.remark)
    assert norm(issue.source) in norm(item.remark)
    page = html.unescape((out / FIXTURE_ID / "checklista.html").read_text(encoding="utf-8"))
    assert code in page and norm(issue.message) in norm(page)


def test_flawed_checklist_fails_only_where_something_is_wrong(flawed: tuple[Path, Any]) -> None:
    out, _ = flawed
    markdown = (out / FIXTURE_ID / "checklista.md").read_text(encoding="utf-8")
    assert row(markdown, "Det framgår vem som utför uppgiften och för vems räkning").status == "✓"
    huvudman = "Huvudmannaskapet stannar hos den part som ansvarar enligt lag"
    assert row(markdown, huvudman).status == "✓"
    secrecy = "Det framgår hur uppgifter om enskilda får lämnas (sekretess eller samtycke)"
    assert row(markdown, secrecy).status == "✓"


def test_evaluate_flawed_spec() -> None:
    spec, _, outcome = check(FLAWED)
    assert spec is not None
    status = {r.item.id: r.status for r in evaluate(spec, outcome)}
    assert status["parter"] == "✗"
    assert status["upphandling"] == "✗"
    assert status["personuppgifter"] == "✗"
    assert status["roller"] == "✓"
    assert status["form"] == "✓"


def test_every_item_has_a_label_and_a_step() -> None:
    template = (ROOT / "templates" / "checklista.md.j2").read_text(encoding="utf-8")
    for item in ITEMS:
        assert f'"{item.id}":' in template, item.id
        assert item.step in STEPS, item.id
    assert [s for s in STEPS if any(i.step == s for i in ITEMS)] == STEPS


# --------------------------------------------------------------------------- the example specs


@pytest.mark.parametrize("spec_id", example_ids("avtalssamverkan"))
def test_checklist_follows_the_skr_method_steps(examples: Path, spec_id: str) -> None:
    markdown = (examples / spec_id / "checklista.md").read_text(encoding="utf-8")
    numbers = [h.split(". ", 1)[0] for h in md_headings(markdown)]
    assert numbers == STEPS


@pytest.mark.parametrize("spec_id", example_ids())
def test_example_checklist_has_no_failed_item(examples: Path, spec_id: str) -> None:
    markdown = (examples / spec_id / "checklista.md").read_text(encoding="utf-8")
    found = rows(markdown)
    spec, _, outcome = check(example_path(spec_id), parties=REGISTRY)
    assert spec is not None
    assert len(found) == len(evaluate(spec, outcome))
    if spec.data["kind"] == "avtalssamverkan":
        assert len(found) == len(ITEMS)
    assert {r.status for r in found} <= {"✓", "–"}
    assert "✗" not in markdown.split("\n---\n", 1)[1].replace("✗ saknas eller regel bruten", "")


@pytest.mark.parametrize("spec_id", example_ids("avtalssamverkan"))
def test_economy_item_says_what_the_cost_model_says(examples: Path, spec_id: str) -> None:
    """Where each party bears its own costs no compensation passes: the item must not
    claim that a compensation follows the cost-price principle."""
    labels = [r.label for r in rows((examples / spec_id / "checklista.md").read_text("utf-8"))]
    own_costs = read_spec(example_path(spec_id)).data["economics"]["model"]["type"] == (
        "egna_kostnader")
    assert (ECONOMY in labels) is not own_costs
    assert (OWN_COSTS in labels) is own_costs


@pytest.mark.parametrize("path", spec_paths(), ids=lambda p: p.stem)
def test_every_ticked_item_names_a_real_place_in_the_spec(examples: Path, path: Path) -> None:
    spec = read_spec(path)
    lines = spec.text.splitlines()
    markdown = (examples / str(spec.data["id"]) / "checklista.md").read_text(encoding="utf-8")
    for item in rows(markdown):
        if item.status != "✓":
            continue
        places = PLACE.findall(item.places)
        assert places, f"{item.label}: ingen plats i specifikationen"
        for pointer, file, line in places:
            resolve(spec.data, pointer)  # the pointer exists
            file = md_unescape(file)
            assert file == spec.locate(pointer).file or not file, (item.label, pointer, file)
            shown = Path(file).read_text(encoding="utf-8").splitlines() if file else lines
            assert 1 <= int(line) <= len(shown)
            assert names_its_line(shown, int(line), pointer), (item.label, pointer, line)


@pytest.mark.parametrize("path", spec_paths(), ids=lambda p: p.stem)
def test_html_checklist_is_a_standalone_page(examples: Path, path: Path) -> None:
    data = read_spec(path).data
    page = (examples / str(data["id"]) / "checklista.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "<html" in page and "</html>" in page and "<head>" in page
    assert 'lang="sv-SE"' in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and html.unescape(title.group(1)) == f"Checklista: {data['title']}"
    assert "✓" in page and "✗" not in page.replace("✗ saknas eller regel bruten", "")
    if data["kind"] == "avtalssamverkan":
        text = html.unescape(page)
        for heading in ("1. Identifiera behov", "2A. Utred förutsättningar",
                        "4. Upprätta avtal: avtalets minsta innehåll"):
            assert heading in text


# --------------------------------------------------------------------------- rule exceptions


def test_silenced_rule_is_shown_with_its_justification(tmp_path: Path) -> None:
    broken = VALID_TEXT.replace(*PROCESSOR)
    assert broken != VALID_TEXT
    path = write(tmp_path, "spec.yaml", broken + SILENCE_PUB)
    out = tmp_path / "out"
    run = run_cli("build", "--format", "md", "--out", out, path)
    assert run.code == 0, run.stderr
    assert (out / FIXTURE_ID / "avtal.md").exists()  # silenced: the build is not refused
    assert "GDPR-PUB" not in run.stderr

    markdown = (out / FIXTURE_ID / "checklista.md").read_text(encoding="utf-8")
    item = row(markdown, PERSONAL_DATA)
    assert item.status == "✓"
    assert norm(f"undantag från GDPR-PUB: {JUSTIFICATION}") in norm(item.remark)
    assert "Undantag från regler" in md_headings(markdown)
    section = md_unescape(markdown.split("# Undantag från regler", 1)[1])
    line = broken.splitlines().index("  personal_data:") + 2
    assert f"**GDPR-PUB** (/information/personal_data, rad {line})" in section
    assert norm(f"Motivering: {JUSTIFICATION}") in norm(section)
    assert "personuppgiftsbiträdesavtal" in section

    page = html.unescape((out / FIXTURE_ID / "checklista.html").read_text(encoding="utf-8"))
    assert JUSTIFICATION in norm(page) and "GDPR-PUB" in page


def test_without_the_exception_the_same_spec_fails(tmp_path: Path) -> None:
    path = write(tmp_path, "spec.yaml", VALID_TEXT.replace(*PROCESSOR))
    out = tmp_path / "out"
    run = run_cli("build", "--format", "md", "--out", out, path)
    assert run.code == 1
    assert not (out / FIXTURE_ID / "avtal.md").exists()
    markdown = (out / FIXTURE_ID / "checklista.md").read_text(encoding="utf-8")
    assert row(markdown, PERSONAL_DATA).status == "✗"
    assert "Undantag från regler" not in md_headings(markdown)


def test_evaluate_keeps_silenced_findings(tmp_path: Path) -> None:
    spec, issues, outcome = check(write(tmp_path, "spec.yaml",
                                        VALID_TEXT.replace(*PROCESSOR) + SILENCE_PUB))
    assert spec is not None
    assert not [i for i in issues if i.severity is Severity.ERROR]
    result = next(r for r in evaluate(spec, outcome) if r.item.id == "personuppgifter")
    assert result.status == "✓" and result.failed == ()
    assert [(i.code, why) for i, why in result.silenced] == [("GDPR-PUB", JUSTIFICATION)]


def test_warning_marks_its_item_failed_without_stopping_the_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = run_cli("build", "--format", "md", "--out", out, VALID)
    assert run.code == 0
    assert (out / FIXTURE_ID / "avtal.md").exists()
    markdown = (out / FIXTURE_ID / "checklista.md").read_text(encoding="utf-8")
    item = row(markdown, "Konsekvensanalyserna i beslutsunderlagen finns")
    assert item.status == "✗" and "BARN-ANALYS" in item.remark
