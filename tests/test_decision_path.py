"""Decision paths: a party whose matter goes from its nämnd via kommunstyrelsen to
kommunfullmäktige, and a party that decides in several nämnder.

The HVB example is built once (md, pdf, docx). Norrköping decides in two organs: the
socialnämnd proposes, via kommunstyrelsen, that kommunfullmäktige enters the agreement
(its own competence rules send a 26-million agreement in force until further notice
there), and the utbildningsnämnd decides its part alone. Expected values are computed
from the spec YAML (PyYAML); documents are read as Markdown text, PDF text (pypdf) and
DOCX paragraphs.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pypdf
import pytest
import yaml
from buildkit import ROOT, W, md_unescape, norm, read_yaml, run_cli

HVB = ROOT / "specs" / "hvb-ostergotland.yaml"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")
ADJUSTED = "Paragrafen förklaras omedelbart justerad."


def swedish_date(value: Any) -> str:
    year, month, day = (int(x) for x in str(value).split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def key(text: str) -> str:
    """Text without whitespace and hyphens: PDF line breaks and hyphenation ignored."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("path")
    run = run_cli("build", "--format", "md,pdf,docx", "--out", root, HVB)
    assert run.code == 0, run.stderr
    assert "varning" not in run.stderr, run.stderr
    return root / "hvb-ostergotland"


def norrkoping() -> dict[str, Any]:
    return next(p for p in read_yaml(HVB)["parties"] if p["id"] == "norrkoping")


def social() -> dict[str, Any]:
    return next(d for d in norrkoping()["decisions"] if d["organ"] == "socialnamnden")


def steps() -> list[dict[str, Any]]:
    """The socialnämnd's path: the nämnd itself, then each organ under `path`."""
    d = social()
    first = {"organ": "socialnamnden", "name": "Socialnämnden",
             "meeting_date": d["meeting_date"], "diarienummer": d["diarienummer"],
             "immediate_adjustment": d.get("immediate_adjustment", False)}
    return [first, *({"diarienummer": d["diarienummer"], **s} for s in d["path"])]


DOCS = {"beslut": "socialnamnden", "beslut-kommunstyrelsen": "kommunstyrelsen",
        "beslut-kommunfullmaktige": "kommunfullmaktige"}


def md(out: Path, name: str, organ: str = "socialnamnden") -> str:
    return (out / "norrkoping" / organ / f"{name}.md").read_text(encoding="utf-8")


def section(markdown: str, heading: str) -> str:
    match = re.search(rf"^# {re.escape(heading)}\n(.*?)(?=^# |\Z)", markdown, re.M | re.S)
    assert match, f"rubriken {heading!r} saknas"
    return match.group(1)


def lists(text: str) -> list[tuple[str, list[str]]]:
    """The numbered lists of a section, each with the paragraph that introduces it
    ("" when the list stands first)."""
    found: list[tuple[str, list[str]]] = []
    intro = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        point = re.fullmatch(r"(\d+)\. (.+)", line)
        if point:
            if int(point.group(1)) == 1:
                found.append((intro, []))
            assert int(point.group(1)) == len(found[-1][1]) + 1, line
            found[-1][1].append(norm(md_unescape(point.group(2))))
        else:
            intro = norm(md_unescape(line))
    return found


def expected_proposal() -> list[str]:
    """What kommunfullmäktige decides: it enters the agreement and gives nämnder tasks and
    powers (5 kap. 2 § KL), never an official or the steering group."""
    spec = read_yaml(HVB)
    others = [p["name"] for p in spec["parties"] if p["id"] != "norrkoping"]
    listed = ", ".join(others[:-1]) + " och " + others[-1]
    school = next(d for d in norrkoping()["decisions"] if d["organ"] == "utbildningsnamnden")
    return [
        f"Kommunfullmäktige ingår för Norrköpings kommuns räkning avtalet om avtalssamverkan "
        f"med {listed} enligt bilaga 1.",
        "Ordföranden i socialnämnden utses att underteckna avtalet för Norrköpings "
        "kommuns räkning.",
        "Socialnämnden får i uppdrag att verkställa avtalet.",
        f"Utbildningsnämnden får i uppdrag att svara för {school['area']} enligt avtalet.",
        "Socialnämnden får i fullmäktiges ställe för Norrköpings kommuns del komma överens med "
        f"{listed} om sådana mindre ändringar som anges i § 14 i avtalet.",
    ]


def test_one_folder_per_deciding_organ_and_a_draft_per_step(out: Path) -> None:
    organs = {d["organ"] for d in norrkoping()["decisions"]}
    assert {p.name for p in (out / "norrkoping").iterdir() if p.is_dir()} == organs
    names = {p.stem for p in (out / "norrkoping" / "socialnamnden").glob("*.md")}
    assert names == {"tjansteutlatande", *DOCS}
    alone = {p.stem for p in (out / "norrkoping" / "utbildningsnamnden").glob("*.md")}
    assert alone == {"tjansteutlatande", "beslut"}
    assert not (out / "norrkoping" / "tjansteutlatande.md").exists()


def test_proposal_quoted_verbatim_by_every_step(out: Path) -> None:
    """The nämnd and kommunstyrelsen propose the same points that kommunfullmäktige
    decides, word for word; each earlier organ decides its own points apart."""
    proposal = expected_proposal()
    assert not any("bemyndigas" in point for point in proposal), "fullmäktige bemyndigar ingen"
    staff = lists(section(md(out, "tjansteutlatande"), "Förvaltningens förslag till beslut"))
    assert staff == [
        ("Socialnämnden föreslår kommunfullmäktige besluta följande:", proposal),
        ("Socialnämnden beslutar för egen del följande:", [ADJUSTED]),
    ]
    assert lists(section(md(out, "beslut"), "Beslut")) == staff
    assert lists(section(md(out, "beslut-kommunstyrelsen"), "Beslut")) == [
        ("Kommunstyrelsen föreslår kommunfullmäktige besluta följande:", proposal)]
    assert lists(section(md(out, "beslut-kommunfullmaktige"), "Beslut")) == [
        ("", [*proposal, ADJUSTED])]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def docx_text(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("word/document.xml"))
    return [norm("".join(t.text or "" for t in p.iter(W + "t"))) for p in root.iter(W + "p")]


@pytest.mark.parametrize("name", ["tjansteutlatande", *DOCS])
def test_proposal_in_pdf_and_docx_of_every_step(out: Path, name: str) -> None:
    folder = out / "norrkoping" / "socialnamnden"
    pdf = key(pdf_text(folder / f"{name}.pdf"))
    paragraphs = docx_text(folder / f"{name}.docx")
    for point in expected_proposal():
        assert key(point) in pdf, (name, point)
        assert point in paragraphs, (name, point)


@pytest.mark.parametrize("name", list(DOCS))
def test_each_draft_names_its_organ_meeting_and_number(out: Path, name: str) -> None:
    path = steps()
    index = list(DOCS).index(name)
    step = path[index]
    head = norm(md_unescape(md(out, name).split("# Beslut", 1)[0]))
    assert f"| Organ | {step['name']}, Norrköpings kommun |" in head
    assert f"| Sammanträdesdatum | {step['meeting_date']} |" in head  # tables: ISO
    assert f"| Diarienummer | {norm(step['diarienummer'])} |" in head
    basis = norm(md_unescape(section(md(out, name), "Beslutsunderlag")))
    earlier = [f"{s['name']}s beslut {swedish_date(s['meeting_date'])}" for s in path[:index]]
    for line in earlier:
        assert f"- {line}" in basis, line
    later = [s["name"] for s in path[index + 1:]]
    assert not any(f"{n}s beslut" in basis for n in later)
    # Every draft says who receives the decision: the last one the parties and the
    # organs before it; a proposal the organ it goes to next, not the ones after that.
    sent = norm(md_unescape(section(md(out, name), "Beslutet skickas till")))
    last = index == len(path) - 1
    for other in path[:index] if last else path[index + 1:index + 2]:
        assert f"- {other['name']}" in sent, other["name"]
    for later in path[index + 2:]:
        assert f"- {later['name']}" not in sent, later["name"]
    assert ("- Linköpings kommun" in sent) == (index == len(path) - 1)


def test_staff_report_shows_the_path(out: Path) -> None:
    row = " ".join(
        f"{s['name'] if i == 0 else s['name'].lower()} {s['meeting_date']},"
        for i, s in enumerate(steps()))
    head = norm(md_unescape(md(out, "tjansteutlatande").split("# Förvaltningens", 1)[0]))
    assert f"| Beslutsgång | {row.rstrip(',')} |" in head


def test_several_nämnder_each_decide_their_own_part(out: Path) -> None:
    """The utbildningsnämnd decides alone, in its own documents with its own points."""
    d = next(d for d in norrkoping()["decisions"] if d["organ"] == "utbildningsnamnden")
    staff = lists(section(md(out, "tjansteutlatande", "utbildningsnamnden"),
                          "Förvaltningens förslag till beslut"))
    draft = lists(section(md(out, "beslut", "utbildningsnamnden"), "Beslut"))
    assert staff == draft
    ((intro, points),) = draft
    assert intro == ""
    # It approves its own part (the schooling) and does not sign: fullmäktige enters the
    # agreement, and its draft names the sister organ and who signs.
    # It neither approves nor conditions what fullmäktige decides: it gives its opinion.
    assert points[0].startswith("Utbildningsnämnden tillstyrker för sin del att Norrköpings "
                                "kommun ingår avtalet")
    assert points[0].endswith(f"i de delar som rör {d['area']}.")
    assert not any("underteckna" in p for p in points)
    assert not any("Kommunfullmäktige" in p for p in points)
    described = norm(md_unescape(section(md(out, "beslut", "utbildningsnamnden"),
                                         "Beskrivning av ärendet")))
    assert "Hos Norrköpings kommun beslutar också kommunfullmäktige om avtalet." in described
    assert "Ordföranden i socialnämnden undertecknar avtalet för Norrköpings kommuns räkning." \
        in described


def test_approval_clause_names_every_deciding_organ(out: Path) -> None:
    agreement = norm(md_unescape((out / "avtal.md").read_text(encoding="utf-8")))
    clause = re.search(r"Avtalet blir bindande först när (.+?)\.(?: |$)", agreement)
    assert clause, "godkännandeklausulen saknas"
    text = clause.group(1)
    assert "kommunfullmäktige i Norrköpings kommun" in text
    assert "utbildningsnämnden i Norrköpings kommun" in text
    assert "socialnämnden i Norrköpings kommun" not in text  # it only proposes
    assert "regionstyrelsen i Region Östergötland" in text


def test_check_refuses_a_path_that_stops_below_the_party_s_own_threshold(
        tmp_path: Path) -> None:
    """The example without its path: the socialnämnd would decide alone a matter that
    Norrköping's own rules give to kommunfullmäktige, a decision it has no power to
    make (5 kap. 1 § KL), so check and build refuse it."""
    text = HVB.read_text(encoding="utf-8")
    start = text.index("        path:\n")
    end = text.index("        signing_authority:", start)
    mutated = tmp_path / HVB.name
    mutated.write_text(text[:start] + text[end:], encoding="utf-8")
    line = text[:text.index("      - organ: socialnamnden")].count("\n") + 1
    run = run_cli("check", mutated)
    assert run.code != 0, run.stderr  # an error: the nämnd has no power to decide
    warnings = [x for x in (run.stdout + run.stderr).splitlines() if "BESLUT-BEHORIGHET" in x]
    assert "varning:" not in warnings[0], warnings
    built = run_cli("build", "--format", "md", "--out", tmp_path / "out", mutated)
    assert built.code != 0
    assert not list((tmp_path / "out").rglob("beslut*.md"))  # only the checklist is written
    assert len(warnings) == 1, run.stdout + run.stderr
    assert f"{mutated}:{line}:" in warnings[0]
    assert "/parties/0/decisions/0" in warnings[0]
    assert "26 400 000 kronor per år (gränsen är 10 000 000 kronor)" in norm(warnings[0])
    assert "avtalet gäller tills vidare" in warnings[0]
    unchanged = run_cli("check", HVB)
    assert "BESLUT-BEHORIGHET" not in unchanged.stdout + unchanged.stderr


def test_check_refuses_a_path_out_of_order(tmp_path: Path) -> None:
    text = HVB.read_text(encoding="utf-8")
    broken = text.replace("            meeting_date: 2026-05-25\n",
                          "            meeting_date: 2026-05-01\n", 1)
    assert broken != text
    path = tmp_path / HVB.name
    path.write_text(broken, encoding="utf-8")
    run = run_cli("check", path)
    assert run.code == 1
    assert "/parties/0/decisions/0/path/1/meeting_date" in run.stdout + run.stderr
    assert "inte efter kommunstyrelsen (2026-05-06)" in run.stdout + run.stderr


# --------------------------------------------------------------------------- reasoning


def subsection(markdown: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", markdown, re.M | re.S)
    assert match, f"underrubriken {heading!r} saknas"
    return norm(md_unescape(match.group(1)))


def test_staff_report_gives_the_competence_reasons(out: Path) -> None:
    """Why kommunfullmäktige decides: the party's own limits the agreement reaches, from
    its own competence data (value per year, term until further notice, new tasks)."""
    competence = norrkoping()["competence"]
    text = subsection(md(out, "tjansteutlatande"), "Beslutsordning")
    assert text.startswith("Ärendet avgörs av kommunfullmäktige. Socialnämnden bereder ärendet "
                           "och lämnar sitt förslag via kommunstyrelsen.")
    assert "Enligt 5 kap. 1 § kommunallagen (2017:725) beslutar fullmäktige" in text
    value = read_yaml(HVB)["economics"]["estimated_annual_value"]
    amount = f"{value:,}".replace(",", " ")
    limit = f"{competence['annual_kronor']:,}".replace(",", " ")
    source = competence["source"][:1].lower() + competence["source"][1:]  # mid-sentence
    assert (f"Enligt {source} ska kommunfullmäktige avgöra det här ärendet, "
            f"eftersom avtalets värde är {amount} kronor per år (gränsen är "
            f"{limit} kronor per år), avtalet gäller tills vidare och Norrköpings kommun åtar "
            "sig att utföra uppgifter åt andra.") in text
    # The sister organ decides för sin del and leaves the council's reasons alone (HVB-8).
    alone = subsection(md(out, "tjansteutlatande", "utbildningsnamnden"), "Beslutsordning")
    assert alone.startswith("Utbildningsnämnden beslutar för sin del, i de delar som rör ")
    assert "ska kommunfullmäktige avgöra det här ärendet" not in alone


def test_staff_report_says_why_the_agreement_is_needed(out: Path) -> None:
    text = subsection(md(out, "tjansteutlatande"), "Varför avtalet behövs")
    assert "Utan avtalet saknar Norrköpings kommun därför grund för att utföra uppgifterna åt" \
        in text
    assert "uppgifter om enskilda" in text  # the agreement shares personal data


@pytest.fixture(scope="module")
def familjeratt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("familjeratt")
    spec = ROOT / "specs" / "familjeratt-sodra-roslagen.yaml"
    run = run_cli("build", "--format", "md", "--out", root, spec)
    assert run.code == 0, run.stderr
    return root / "familjeratt-sodra-roslagen"


def test_extern_delegering_is_reasoned_and_decided(familjeratt: Path) -> None:
    """Danderyd's socialnämnd lets Täby's employees decide: the staff report gives the
    legal frame, and the decision points commission them and change the
    delegationsordning."""
    staff = (familjeratt / "danderyd" / "tjansteutlatande.md").read_text(encoding="utf-8")
    text = subsection(staff, "Myndighetsutövning och delegering")
    assert "Enligt 9 kap. 37 § andra stycket kommunallagen (2017:725)" in text
    assert "6 kap. 38 § samma lag" in text
    assert "Socialnämnden behöver därför besluta om uppdraget" in text
    # The titles with their employer, named once (several parties may share a title).
    assert ("delegeras till anställda hos den utförande parten: enhetschef för familjerätten, "
            "biträdande enhetschef för familjerätten och familjerättssekreterare hos Täby "
            "kommun.") in md_unescape(norm(staff))
    points = lists(section(staff, "Förvaltningens förslag till beslut"))[0][1]
    # The delegation names the titles and each coded decision type with its provision,
    # from the day the agreement starts; never "som delegationsordningen anger" (FR-2).
    delegation = next(p for p in points if p.startswith("Socialnämnden uppdrar enligt 9 kap."))
    assert "åt enhetschef för familjerätten" in delegation
    assert ("hos Täby kommun att, från och med 1 september 2026 och under förutsättning att "
            "avtalet har ingåtts, på socialnämndens vägnar fatta ") in delegation
    assert "beslut att godkänna avtal om vårdnad enligt 6 kap. 6 § föräldrabalken (1949:381)" \
        in delegation
    assert "delegationsordning anger" not in " ".join(points)
    # Only with the agreement, and with how the decisions are reported (7 kap. 8 § KL).
    assert ("Socialnämndens delegationsordning kompletteras från och med 1 september 2026, "
            "under förutsättning att avtalet har ingåtts, med de beslut som anges i "
            "föregående punkt") in " ".join(points)
    assert ("Beslut som fattas med stöd av uppdraget anmäls till socialnämnden på det sätt "
            "som delegationsordningen anger för beslut som fattas på delegation.") in points
    taby = (familjeratt / "taby" / "tjansteutlatande.md").read_text(encoding="utf-8")
    assert "uppdrar enligt 9 kap." not in taby  # the performer delegates nothing
    assert "behöver därför besluta om uppdraget" not in taby


def test_procurement_reasoned_once_and_target_group_in_a_sentence(familjeratt: Path) -> None:
    staff = (familjeratt / "danderyd" / "tjansteutlatande.md").read_text(encoding="utf-8")
    legal = norm(md_unescape(section(staff, "Juridisk bedömning")))
    assert legal.count("offentlig upphandling") == 1, legal
    spec = read_yaml(ROOT / "specs" / "familjeratt-sodra-roslagen.yaml")
    assert norm(spec["procurement"]["note"]) in legal
    target = norm(spec["target_group"]["description"]).rstrip(".")
    purpose = subsection(staff, "Syfte och målgrupp")
    assert f"Avtalet gäller {target[0].lower()}{target[1:]}." in purpose


def test_check_refuses_two_blocks_for_one_organ_and_both_forms(tmp_path: Path) -> None:
    """Each organ has one decision block (its folder must be unique), and a party has
    either `decision` or `decisions`."""
    text = HVB.read_text(encoding="utf-8")
    twice = text.replace("      - organ: utbildningsnamnden\n", "      - organ: socialnamnden\n", 1)
    path = tmp_path / HVB.name
    path.write_text(twice, encoding="utf-8")
    run = run_cli("check", path)
    assert run.code == 1
    out = run.stdout + run.stderr
    line = twice[:twice.index("      - organ: socialnamnden\n        administration: Utb")]
    assert f"{path}:{line.count(chr(10)) + 1}:" in out
    assert "/parties/0/decisions/1/organ" in out
    assert "har redan ett beslutsunderlag för organet ”socialnamnden”" in out
    # The parties are references to the party registry (parties/<id>.yaml).
    linkoping = text[text.index("    decision:\n", text.index("ref: linkoping")):
                     text.index("  - ref: motala")]
    both = text.replace("    decisions:\n", linkoping + "    decisions:\n", 1)
    path.write_text(both, encoding="utf-8")
    run = run_cli("check", path)
    assert run.code == 1
    assert "har både decision och decisions" in run.stdout + run.stderr


def test_below_the_limits_the_nämnd_decides_and_says_why(tmp_path: Path) -> None:
    """Stockholm's own limits (ROC example): own costs, a fixed term, no staff moving; the
    socialnämnd decides alone, and the staff report says no limit is reached."""
    spec = ROOT / "specs" / "roc-ingang.yaml"
    run = run_cli("build", "--format", "md", "--out", tmp_path, spec)
    assert run.code == 0, run.stderr
    check = run_cli("check", spec)
    assert "BESLUT-BEHORIGHET" not in check.stdout + check.stderr
    stockholm = next(p for p in read_yaml(spec)["parties"] if p["id"] == "stockholm")
    staff = (tmp_path / "roc-ingang" / "stockholm" / "tjansteutlatande.md").read_text("utf-8")
    text = subsection(staff, "Beslutsordning")
    assert text.startswith("Socialnämnden beslutar i ärendet, eftersom nämnden ")
    # Stockholm hosts the hub: one agreement per municipality, named in the plural.
    assert (f"Avtalen når inte någon av de gränser i {stockholm['competence']['source']} som "
            "gör att kommunfullmäktige ska avgöra dem.") in text


def test_target_group_criteria_and_approval_in_the_staff_report(out: Path) -> None:
    """The target group's criteria are listed as the spec states them, and the staff
    report says the agreement binds only once every party's organ has approved it."""
    staff = md(out, "tjansteutlatande", "utbildningsnamnden")
    purpose = md_unescape(staff.split("## Syfte och målgrupp", 1)[1].split("\n## ", 1)[0])
    criteria = read_yaml(HVB)["target_group"]["criteria"]
    listed = [norm(m) for m in re.findall(r"^\d+\. (.+)$", purpose, re.M)]
    assert listed == [norm(c) for c in criteria]
    assert ("Avtalet blir bindande först när behörigt organ hos var och en av parterna har "
            "godkänt det.") in subsection(staff, "Beslutsordning")


def test_a_nämnd_s_own_points_stay_its_own_when_fullmäktige_decides(tmp_path: Path) -> None:
    """decision_points.add belong to the decision on the agreement (the last organ's);
    a point the nämnd decides for its own part goes under own, and check says so."""
    data = read_yaml(ROOT / "specs" / "familjebehandling-norrstrom-fjallviken.yaml")
    decision = data["parties"][0]["decision"]
    decision["path"] = [
        {"organ": "kommunstyrelsen", "name": "Kommunstyrelsen", "meeting_date": "2026-06-23"},
        {"organ": "kommunfullmaktige", "name": "Kommunfullmäktige",
         "meeting_date": "2026-08-24"},
    ]
    point = decision["decision_points"]["add"][0]
    assert point.startswith("Social- och omsorgsnämnden uppdrar åt socialchefen")
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    run = run_cli("check", spec)
    assert run.code != 0
    assert "skriv den under decision_points.own" in run.stderr + run.stdout
    decision["decision_points"] = {"own": [point]}
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    folder = tmp_path / "out" / str(data["id"]) / "norrstrom"
    nämnd = norm(md_unescape((folder / "beslut.md").read_text("utf-8")))
    own = nämnd[nämnd.index("beslutar för egen del följande:"):]
    assert norm(point) in own
    council = norm(md_unescape((folder / "beslut-kommunfullmaktige.md").read_text("utf-8")))
    assert norm(point) not in council


def test_a_proposal_that_delegates_goes_to_the_performer(tmp_path: Path) -> None:
    """A nämnd that proposes the agreement to fullmäktige and delegates to the performer's
    staff for its own part sends its decision to the performer, whose staff get the
    mandate from it."""
    data = read_yaml(ROOT / "specs" / "familjeratt-sodra-roslagen.yaml")
    danderyd = next(p for p in data["parties"] if p.get("ref", p.get("id")) == "danderyd")
    danderyd["decision"]["path"] = [
        {"organ": "kommunstyrelsen", "name": "Kommunstyrelsen", "meeting_date": "2026-06-15"},
        {"organ": "kommunfullmaktige", "name": "Kommunfullmäktige",
         "meeting_date": "2026-06-22", "immediate_adjustment": True},
    ]
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    text = norm(md_unescape((tmp_path / "out" / str(data["id"]) / "danderyd" / "beslut.md")
                            .read_text("utf-8")))
    assert "uppdrar enligt 9 kap. 37 §" in text
    sent = text.split("Beslutet skickas till", 1)[1]
    assert "- Täby kommun" in sent


def test_whoever_an_own_point_gives_a_task_receives_the_decision(tmp_path: Path) -> None:
    """A förvaltning that the first organ's own point gives a task ("får i uppdrag att")
    is among the recipients of that organ's decision, whatever the spec's distribution."""
    from buildkit import FIXTURE

    text = FIXTURE.read_text("utf-8").replace(
        "      minor_amendments_by: socialdirektören\n",
        "      minor_amendments_by: socialdirektören\n      decision_points:\n        own:\n"
        "          - Socialförvaltningen får i uppdrag att redovisa införandet för nämnden.\n",
        1)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, "utf-8")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "out", spec)
    assert run.code == 0, run.stderr
    draft = next((tmp_path / "out").rglob("stockholm/beslut.md")).read_text("utf-8")
    recipients = md_unescape(draft.split("# Beslutet skickas till", 1)[1])
    assert "- Socialförvaltningen\n" in recipients
