"""avtal.toml: folders and formats, the template override folder, letterheads per
organisation (logo, name lines, address, Word template), and errors at their line."""

from __future__ import annotations

import json
import shutil
import struct
import zipfile
from pathlib import Path

import pypdf
import pytest
from buildkit import FIXTURE, docx_names, image_sizes, norm, png, run_cli

from generator import convert
from generator.config import ConfigError, find_config, read_config
from generator.render import TEMPLATES
from generator.theme import Theme

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "exempelkommun"
SPEC_ID = "mini-maria-2026"  # the fixture's id; its first party is "stockholm"
CONFIG = """\
formats = ["md", "pdf", "docx"]
templates = "mallar"

[organisations.stockholm]
name_lines = ["Stockholms stad", "Brevhuvudförvaltningen"]
address = "Box 4711, 104 20 Stockholm"
logo = "brevhuvud/stockholm.png"
reference_docx = "brevhuvud/stockholm.docx"
"""
MARKER_STYLE = (
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="StockholmBrev">'
    '<w:name w:val="Stockholms brevmall"/></w:style>'
)


def word_template(path: Path) -> None:
    """The built-in reference document with one extra style, to recognise it by."""
    source = zipfile.ZipFile(TEMPLATES / "reference.docx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/styles.xml":
                data = data.replace(b"</w:styles>", MARKER_STYLE.encode() + b"</w:styles>")
            out.writestr(info, data)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A team repository with avtal.toml, a letterhead for stockholm and an override."""
    (tmp_path / "specs").mkdir()
    shutil.copy(FIXTURE, tmp_path / "specs" / "mini.yaml")
    (tmp_path / "brevhuvud").mkdir()
    (tmp_path / "brevhuvud" / "stockholm.png").write_bytes(png())
    word_template(tmp_path / "brevhuvud" / "stockholm.docx")
    (tmp_path / "mallar").mkdir()
    override = (TEMPLATES / "_underskrifter.md.j2").read_text(encoding="utf-8")
    (tmp_path / "mallar" / "_underskrifter.md.j2").write_text(
        override + "\nUndertecknas enligt kommunens egen mall.\n", encoding="utf-8"
    )
    (tmp_path / "avtal.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_config_is_looked_for_up_to_the_top_of_the_git_repository(tmp_path: Path) -> None:
    """An avtal.toml above the repository is not its own: it could name folders beside
    the repository as the project's."""
    inner = tmp_path / "repo"
    (inner / ".git").mkdir(parents=True)
    (inner / "specs").mkdir()
    (tmp_path / "avtal.toml").write_text('specs = "repo/specs"\n', encoding="utf-8")
    assert find_config(inner / "specs") is None
    (inner / "avtal.toml").write_text('specs = "specs"\n', encoding="utf-8")
    assert find_config(inner / "specs") == inner / "avtal.toml"


@pytest.mark.parametrize("kind", ["folder", "link"])
def test_an_avtal_toml_that_is_no_file_is_an_error(tmp_path: Path, kind: str) -> None:
    """A pull request that makes avtal.toml a folder (or a link) made avtal look for
    one further up, outside the repository."""
    inner = tmp_path / "repo"
    inner.mkdir()
    (tmp_path / "avtal.toml").write_text('specs = "repo/specs"\n', encoding="utf-8")
    if kind == "folder":
        (inner / "avtal.toml").mkdir()
    else:
        (inner / "avtal.toml").symlink_to(tmp_path / "avtal.toml")
    with pytest.raises(ConfigError) as caught:
        find_config(inner)
    assert "avtal.toml är ingen vanlig fil" in caught.value.message
    assert caught.value.location is not None
    assert caught.value.location.file == str(inner / "avtal.toml")


def test_config_is_found_from_a_subfolder(repo: Path) -> None:
    assert find_config(repo / "specs") == repo / "avtal.toml"
    config = read_config(repo / "avtal.toml")
    assert config.specs == repo / "specs" and config.out == repo / "build"
    assert config.templates == repo / "mallar"
    head = Theme.of(config).letterhead("stockholm")
    assert head is not None and head.logo == "/brevhuvud/stockholm.png"
    assert Theme.of(config).letterhead("region-stockholm") is None


def test_build_uses_letterhead_logo_word_template_and_override(repo: Path) -> None:
    run = run_cli("build")  # specs/ and the formats come from avtal.toml
    assert run.code == 0, run.stderr
    own = repo / "build" / SPEC_ID / "stockholm"
    for name in ("tjansteutlatande", "beslut"):
        pdf = pypdf.PdfReader(own / f"{name}.pdf")
        first = pdf.pages[0]
        text = norm(first.extract_text())  # the postcode keeps its no-break space
        assert "Brevhuvudförvaltningen" in text and "Box 4711, 104 20 Stockholm" in text
        assert image_sizes(first) == [(8, 4)], "logotypen saknas"
        assert "word/styles.xml" in docx_names(own / f"{name}.docx")
        xml = zipfile.ZipFile(own / f"{name}.docx").read("word/styles.xml").decode()
        assert "Stockholms brevmall" in xml, "partens egen Word-mall används inte"
    agreement = repo / "build" / SPEC_ID
    first = pypdf.PdfReader(agreement / "avtal.pdf").pages[0]
    assert image_sizes(first) == [(8, 4)], "avtalet ska visa partens logotyp"
    assert "Brevhuvudförvaltningen" not in first.extract_text()
    text = (agreement / "avtal.md").read_text(encoding="utf-8")
    assert "Undertecknas enligt kommunens egen mall." in text  # the override won
    joint = zipfile.ZipFile(agreement / "avtal.docx").read("word/styles.xml")
    assert b"Stockholms brevmall" not in joint  # the joint agreement keeps the common template


def test_markdown_names_the_letterhead_of_its_own_party_only(repo: Path) -> None:
    assert run_cli("build", "--format", "md").code == 0
    own = (repo / "build" / SPEC_ID / "stockholm" / "beslut.md").read_text(encoding="utf-8")
    front = own.split("\n---\n", 1)[0]
    assert 'letterhead-logo: "\\\\/brevhuvud\\\\/stockholm\\\\.png"' in front
    assert '  - "Brevhuvudförvaltningen"' in front
    agreement = (repo / "build" / SPEC_ID / "avtal.md").read_text(encoding="utf-8")
    front = agreement.split("\n---\n", 1)[0]
    assert "letterhead-" not in front  # a joint document carries no one party's letterhead
    assert front.count("party-logos:") == 1 and front.count("stockholm\\\\.png") == 1


def test_a_changed_logo_rebuilds_the_party_s_pdf(repo: Path) -> None:
    assert run_cli("build", "--format", "pdf").code == 0
    (repo / "brevhuvud" / "stockholm.png").write_bytes(png(6, 6))
    assert run_cli("build", "--format", "pdf").code == 0
    first = pypdf.PdfReader(repo / "build" / SPEC_ID / "stockholm" / "beslut.pdf").pages[0]
    assert image_sizes(first) == [(6, 6)]


def test_without_config_the_built_in_look_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "specs").mkdir()
    shutil.copy(FIXTURE, tmp_path / "specs" / "mini.yaml")
    monkeypatch.chdir(tmp_path)
    assert run_cli("build", "--format", "md").code == 0
    text = (tmp_path / "build" / SPEC_ID / "stockholm" / "beslut.md").read_text(encoding="utf-8")
    assert "letterhead" not in text


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("formats = [", 'formats = ["pdf", "odt", '), 1, "formats ska vara en lista"),
        (("templates = ", "mallmapp = "), 2, "okänd inställning ”mallmapp”"),
        (("logo = ", "logga = "), 7, "okänd inställning ”logga”"),
        (("stockholm.png", "saknas.png"), 7, "filen brevhuvud/saknas.png finns inte"),
        (('address = "Box', 'address = Box'), 6, "kan inte läsas"),
        (
            ('reference_docx = "brevhuvud/stockholm.docx"', "reference_docx = 3"),
            8,
            "reference_docx ska vara en text",
        ),
    ],
)
def test_config_errors_name_the_line(
    repo: Path, change: tuple[str, str], line: int, words: str
) -> None:
    (repo / "avtal.toml").write_text(CONFIG.replace(*change, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_config(repo / "avtal.toml")
    assert caught.value.location is not None
    assert caught.value.location.line == line, str(caught.value)
    assert words in caught.value.message
    run = run_cli("validate")
    assert run.code == 1
    assert run.stderr.startswith(f"avtal: {repo / 'avtal.toml'}:{line}:")
    # In a CI's format it reaches the pull request as an annotation at its line too.
    for command in ("check", "validate"):
        github = run_cli(command, "--format", "github")
        assert github.code == 1
        assert github.stdout.startswith(f"::error file=avtal.toml,line={line},col=")
        assert ",title=avtal.toml::[avtal.toml] " in github.stdout
        assert words.split("”")[0] in github.stdout
    gitlab = json.loads(run_cli("check", "--format", "gitlab").stdout)
    assert gitlab[0]["location"] == {"path": "avtal.toml", "lines": {"begin": line}}


@pytest.mark.parametrize(
    ("before", "after", "line", "words"),
    [
        ("notice_days = 30\nnotice_days = 60\n", "", 2, "står redan tidigare"),
        ('out = "build\n', "", 1, "citattecken som inte avslutas"),
        ("", "name_lines = [\n", 9, "ett värde saknas eller har fel form"),  # end of file
    ],
)
def test_toml_syntax_errors_are_told_in_swedish_at_their_line(
    repo: Path, before: str, after: str, line: int, words: str
) -> None:
    text = before + CONFIG.replace("name_lines = ", "# name_lines = ") + after
    (repo / "avtal.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_config(repo / "avtal.toml")
    assert caught.value.location is not None and caught.value.location.line == line
    assert words in caught.value.message
    for english in ("Invalid", "Illegal", "Cannot", "Expected", "document"):
        assert english not in caught.value.message


def test_a_logo_path_with_characters_typst_would_misread_is_refused(repo: Path) -> None:
    (repo / "brevhuvud" / "stad_logo.png").write_bytes(png())
    (repo / "avtal.toml").write_text(
        CONFIG.replace("stockholm.png", "stad_logo.png"), encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        read_config(repo / "avtal.toml")
    assert caught.value.location is not None and caught.value.location.line == 7
    assert "byt namn" in caught.value.message


@pytest.mark.parametrize(("name", "data", "words"), [
    # A 60 000 pixels square PNG: typst unpacks it all (it ended in a Rust backtrace).
    ("stockholm.png", png()[:16] + struct.pack(">II", 60_000, 60_000) + png()[24:],
     "60000 × 60000 bildpunkter, mer än 8000"),
    ("stockholm.png", b"GIF89a", "inte en PNG-bild"),
    ("stockholm.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', "ingen läsbar SVG"),
    ("stockholm.svg", b"<html><body/></html>", "dess första element är html"),
])
def test_a_logo_typst_cannot_draw_is_refused_at_its_line(
    repo: Path, name: str, data: bytes, words: str
) -> None:
    """A logo that passed check used to stop the build in typst, blaming the spec."""
    (repo / "brevhuvud" / name).write_bytes(data)
    (repo / "avtal.toml").write_text(CONFIG.replace("stockholm.png", name), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_config(repo / "avtal.toml")
    assert caught.value.location is not None and caught.value.location.line == 7
    assert words in caught.value.message and "spara" in caught.value.message


def test_a_large_logo_within_the_bound_is_read(repo: Path) -> None:
    (repo / "brevhuvud" / "stockholm.png").write_bytes(png(8_000, 2))
    head = Theme.of(read_config(repo / "avtal.toml")).letterhead("stockholm")
    assert head is not None and head.logo == "/brevhuvud/stockholm.png"


def test_the_team_example_shows_its_letterhead_and_template_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """examples/exempelkommun: parties in parties/, Exempelby's letterhead and logo, and
    the repository's own avtal.typst (headings in the municipality's colour)."""
    example = tmp_path / "exempelkommun"
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns("build"))
    monkeypatch.chdir(example)
    run = run_cli("build")
    assert run.code == 0, run.stderr
    folder = example / "build" / "familjeratt-exempelby-grannby"
    first = pypdf.PdfReader(folder / "exempelby" / "tjansteutlatande.pdf").pages[0]
    assert "Box 12, 123 45 Exempelby" in norm(first.extract_text())
    agreement = (folder / "avtal.md").read_text(encoding="utf-8")
    assert "exempelby\\\\.svg" in agreement.split("\n---\n", 1)[0]
    assert "212000\\-9879" in agreement  # Exempelby's org number, from parties/exempelby.yaml
    theme = Theme.of(read_config(example / "avtal.toml"))
    assert theme.find("avtal.typst") == example / "mallar" / "avtal.typst"
    source = convert.to_typst(agreement, epoch=0, assets=theme.assets())
    assert 'fill: rgb("#1d5c4a")' in source
