"""Helpers shared by the build tests: run the CLI, read PDF, DOCX and Markdown output.

Content is read independently of the generator where it matters: PDF text with pypdf,
DOCX as raw WordprocessingML with xml.etree, Markdown with plain regular expressions.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pypdf
import yaml
from babel.dates import format_date
from babel.numbers import format_decimal

from generator.cli import main
from generator.load import Spec, load_spec
from generator.parties import PartySource, combine, folder_source

ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = ROOT / "specs"
FIXTURE = ROOT / "tests" / "fixtures" / "valid.yaml"

# The fixture without its competence assessment: a text the staff report needs and no
# rule asks for, so that the build (and check) warn of it as a missing text.
COMPETENCE_LINE = (
    "      competence_assessment: Avtalet ändrar inte verksamhetens mål eller inriktning, och "
    "förvaltningen bedömer att ärendet inte är av principiell beskaffenhet eller annars av "
    "större vikt.\n"
)


def fixture_with_gap(path: Path) -> Path:
    """Write the fixture without its competence assessment to `path`."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(COMPETENCE_LINE) == 1
    path.write_text(text.replace(COMPETENCE_LINE, ""), encoding="utf-8")
    return path
PARTIES_DIR = ROOT / "parties"
# The examples' party registry, as avtal run in this checkout finds it.
REGISTRY: PartySource = folder_source(PARTIES_DIR)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"

# The agreement document each kind of spec yields: build/<folder>/<name>.{md,pdf,docx}.
KIND_NAMES = {
    "avtalssamverkan": "avtal",
    "samverkansoverenskommelse": "overenskommelse",
}

# The section key of `additional_clauses[].after` -> the heading the template gives it.
SECTION_HEADINGS = {
    "parter": "Parter",
    "syfte": "Syfte och bakgrund",
    "avtalstid": "Avtalstid",
    "uppgifter": "Uppgifter som omfattas",
    "ansvar": "Parternas ansvar",
    "delegering": "Myndighetsutövning och delegering",
    "samrad": "Samråd och uppföljning",
    "kostnader": "Ersättning och kostnader",
    "information": "Informationshantering",
    "personal": "Personal och arbetsmiljö",
    "forsakring": "Försäkring",
    "arbetsresultat": "Rätt till arbetsresultat",
    "andringar": "Ändringar och tillägg",
    "uppsagning": "Uppsägning",
    "avtalet_upphor": "När avtalet upphör",
    "uppsagning_uppdrag": "Avslut av enskilda uppdrag",
    "force_majeure": "Befrielsegrunder (force majeure)",
    "tvist": "Tvister",
    "godkannande": "Godkännande",
}


# --------------------------------------------------------------------------- CLI


@dataclass(frozen=True)
class Run:
    """One run of the command line: exit code and what it printed."""

    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path) -> Run:
    """`avtal ARGS...` in-process, with stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return Run(code, out.getvalue(), err.getvalue())


def read_spec(path: Path | str) -> Spec:
    """A spec read as avtal reads it in this checkout: with the examples' registry."""
    return load_spec(path, parties=REGISTRY)


def spec_paths() -> list[Path]:
    """The example specs, as the CLI finds them in specs/."""
    return sorted(SPECS_DIR.glob("*.yaml"))


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def tree_of_build(root: Path) -> dict[str, bytes]:
    """As tree(), with what in a manifest is this build's and not its inputs' taken out:
    each output's size and modification time (which let a later build trust the file
    without reading it) and the signature over them. Two builds of the same inputs give
    the same."""
    files = tree(root)
    for name in [n for n in files if n.rsplit("/", 1)[-1] == "manifest.json"]:
        data = json.loads(files[name])
        data.pop("signature", None)
        for record in data.get("outputs", {}).values():
            record.pop("size", None)
            record.pop("mtime_ns", None)
        files[name] = json.dumps(data, indent=2, ensure_ascii=False).encode()
    return files


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Doc:
    """One agreement document a spec yields, and what it must say."""

    spec_path: Path
    spec: Mapping[str, Any]
    folder: str  # relative to the output dir: <spec-id> or <spec-id>/<counterparty-id>
    name: str  # the file name without extension: avtal, overenskommelse
    parties: tuple[Mapping[str, Any], ...]  # the parties named in this document
    others: tuple[Mapping[str, Any], ...]  # hub counterparties that must not be named in § 1

    @property
    def id(self) -> str:
        return self.folder

    def path(self, out: Path, fmt: str) -> Path:
        """Where the build writes this document in the given format."""
        return out / self.folder / f"{self.name}.{fmt}"


def documents(path: Path) -> list[Doc]:
    """The agreement documents of a spec: one, or one per counterparty of a hub spec."""
    data = read_spec(path).data
    name = KIND_NAMES[data["kind"]]
    parties = list(data["parties"])
    if "hub" not in data:
        return [Doc(path, data, data["id"], name, tuple(parties), ())]
    host = next(p for p in parties if p["id"] == data["hub"]["host"])
    counter = [p for p in parties if p is not host]
    return [
        Doc(path, data, f"{data['id']}/{p['id']}", name, (host, p),
            tuple(o for o in counter if o is not p))
        for p in counter
    ]


def all_documents() -> list[Doc]:
    """The documents of every example spec (a spec that cannot be read yields none;
    test_every_example_spec_builds then fails for it)."""
    docs: list[Doc] = []
    for path in spec_paths():
        with contextlib.suppress(Exception):
            docs.extend(documents(path))
    return docs


# --------------------------------------------------------------------------- text


def norm(text: str) -> str:
    """Collapse every run of whitespace (incl. no-break spaces) into one space."""
    return " ".join(text.split())


def swedish_date(iso: str | date) -> str:
    """1 mars 2026, as babel writes it for sv_SE."""
    day = date.fromisoformat(iso) if isinstance(iso, str) else iso
    return str(format_date(day, "d MMMM y", locale="sv_SE"))


def kronor(amount: int) -> str:
    """14 200 000 kronor (babel's grouping, normalised by `norm` when compared)."""
    return f"{format_decimal(amount, format='#,##0', locale='sv_SE')} kronor"


def md_unescape(text: str) -> str:
    """Markdown with backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


def md_body(markdown: str) -> str:
    """The Markdown after its YAML metadata block."""
    assert markdown.startswith("---\n"), "Markdown ska börja med ett metadatablock"
    return markdown.split("\n---\n", 1)[1]


def md_headings(markdown: str) -> list[str]:
    """Level-1 headings of the body, unescaped."""
    return [md_unescape(h).strip() for h in re.findall(r"^# (.+)$", md_body(markdown), re.M)]


def md_section(markdown: str, heading_start: str) -> str:
    """The body text from the heading that starts with `heading_start` to the next one."""
    parts = re.split(r"^(# .+)$", md_body(markdown), flags=re.M)
    for i in range(1, len(parts), 2):
        if md_unescape(parts[i][2:]).startswith(heading_start):
            return md_unescape(parts[i + 1])
    raise AssertionError(f"rubriken {heading_start!r} saknas")


def section_numbers(headings: list[str]) -> list[int]:
    """The N of every "§ N ..." heading."""
    return [int(m.group(1)) for h in headings if (m := re.match(r"§ (\d+) ", h))]


# --------------------------------------------------------------------------- PDF


@dataclass(frozen=True)
class Pdf:
    """What a test needs from a PDF: page texts, page sizes, catalog and XMP."""

    pages: tuple[str, ...]
    widths: tuple[float, ...]
    catalog: dict[str, Any]
    xmp: bytes
    outline: tuple[str, ...]
    title: str

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def _outline_titles(items: list[Any]) -> Iterator[str]:
    for item in items:
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield str(item.title)


@cache
def read_pdf(path: Path) -> Pdf:
    """Parse a PDF once per test session."""
    reader = pypdf.PdfReader(str(path))
    root: Any = reader.trailer["/Root"]
    meta = root["/Metadata"].get_object().get_data() if "/Metadata" in root else b""
    catalog = {key: root[key] for key in root}
    return Pdf(
        pages=tuple(page.extract_text() for page in reader.pages),
        widths=tuple(float(page.mediabox.width) for page in reader.pages),
        catalog=catalog,
        xmp=meta,
        outline=tuple(_outline_titles(reader.outline)),
        title=str(reader.metadata.get("/Title", "")) if reader.metadata else "",
    )


def pdf_has(text: str, needle: str) -> bool:
    """True when `needle` is in the PDF text, allowing for line breaks and hyphenation."""
    if norm(needle) in norm(text):
        return True
    joined = re.sub(r"-\s*\n", "", text)  # a word hyphenated at the end of a line
    return norm(needle) in norm(joined)


def pdf_nfkc(text: str) -> str:
    """PDF text with Arabic presentation forms and the like folded to base letters."""
    return unicodedata.normalize("NFKC", text)


def xmp_value(xmp: bytes, name: str) -> str | None:
    """A pdfaid property from XMP, written as element or as attribute."""
    root = ET.fromstring(xmp)
    for element in root.iter():
        if element.tag == PDFAID + name:
            return (element.text or "").strip()
        if PDFAID + name in element.attrib:
            return element.attrib[PDFAID + name]
    return None


# --------------------------------------------------------------------------- DOCX


def docx_part(path: Path, name: str) -> ET.Element:
    """One XML part of a DOCX, parsed."""
    with zipfile.ZipFile(path) as archive:
        return ET.fromstring(archive.read(name))


def docx_names(path: Path) -> list[str]:
    """The part names of a DOCX."""
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def paragraph_text(p: ET.Element) -> str:
    """All w:t text of a paragraph, run by run."""
    return "".join(t.text or "" for t in p.iter(W + "t"))


def paragraph_style(p: ET.Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(W + "val", "") if style is not None else ""


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph in word/document.xml, in order."""
    body = docx_part(path, "word/document.xml")
    return [(paragraph_style(p), paragraph_text(p)) for p in body.iter(W + "p")]


def docx_headings(path: Path, style: str = "Heading1") -> list[str]:
    """Texts of the paragraphs with the given heading style, in order."""
    return [text.strip() for s, text in docx_paragraphs(path) if s == style]

def read_yaml(path: Path) -> dict[str, Any]:
    """A spec file as plain data (for tests that edit it and write it back anywhere), its
    party references replaced by the party files' data as the loader merges them."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    parties = data.get("parties")
    if isinstance(parties, list):
        data["parties"] = [_inlined(p, PARTIES_DIR) for p in parties]
    return data


def _inlined(party: Any, folder: Path) -> Any:
    if not (isinstance(party, dict) and "ref" in party):
        return party
    registry = yaml.safe_load((folder / f"{party['ref']}.yaml").read_text(encoding="utf-8"))
    own = {k: v for k, v in party.items() if k != "ref"}
    combined, _ = combine(registry, own)
    return {**combined, "id": party["ref"]}


def dump(data: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def pin(data: dict[str, Any]) -> dict[str, Any]:
    """Fix the values the tests read, so that edits to the example spec do not matter."""
    data["version"] = "1.0"
    data["term"]["start"] = "2026-09-01"
    data["termination"]["notice_months"] = 6
    data["termination"]["breach"] = (
        "Om en part väsentligt bryter mot avtalet får den andra parten säga upp avtalet."
    )
    data["purpose"] = "Kommunerna samarbetar för att barn ska få behandling av god kvalitet."
    data["economics"]["model"]["price"] = 112000
    task = next(t for t in data["tasks"]["included"] if t["id"] == "uppfoljning")
    task["text"] = "Uppföljande kontakt med familjen sex månader efter avslutad behandling."
    data["additional_clauses"][0]["text"] = (
        "Följande ingår i priset per behandling.\n\n"
        "**Tolk** ingår inte. Hemkommunen beställer och betalar tolk när familjen\n"
        "behöver det."
    )
    return data


# --------------------------------------------------------------------------- skeletons

# What a user writes for each FYLL I marker of `avtal new avtalssamverkan` (by the
# marker's label), giving a spec that passes avtal check.
FILLED = {
    "avtalets rubrik": "Avtal om avtalssamverkan kring familjerätt",
    "partens namn": "Exempelby kommun",
    "organisationsnummer": "212000-0142",
    "nämndens namn": "Socialnämnden",
    "den som skriver under för parten": "Anna Andersson",
    "hans eller hennes befattning": "Socialchef",
    "den andra partens namn": "Grannby kommun",
    "den andra partens organisationsnummer": "212000-0159",
    "den andra partens nämnd": "Socialnämnden",
    "den som skriver under för den andra parten": "Bo Berg",
    "befattning": "Socialchef",
    "vad parterna vill uppnå": "Parterna samverkar om familjerättsliga utredningar.",
    "en uppgift": "Utredningar om vårdnad, boende och umgänge.",
    "vad uppdragstagaren": "Utför utredningarna åt uppdragsgivaren.",
    "vad uppdragsgivaren": "Betalar den årliga ersättningen.",
    "uppdragsgivarens ersättning": "250000",
    "hur och hur ofta": "Parterna träffas två gånger per år.",
    "var samverkan redovisas": "I respektive parts årsredovisning.",
    "förvaltningen som skriver": "Socialförvaltningen",
    "handläggarens namn": "Cecilia Ek",
    "handläggarens befattning": "Utredare",
    "handläggarens telefonnummer": "08-123 456 78",
    "ärendets diarienummer": "SN 2026/12",
    "tjänsteutlåtandets datum": "2026-09-01",
    "dagen nämnden sammanträder": "2026-10-15",
    "vem som får skriva under": "socialchefen",
    "partens egen befattningshavare": "socialchefen",
    "bedömning av om ärendet är av principiell": "Avtalet ändrar inte verksamhetens mål "
    "eller inriktning, och förvaltningen bedömer att nämnden kan besluta i det.",
    "uppdragsgivarens eget bidrag": "Kommunen deltar i utvecklingen av "
    "verksamheten och följer upp sina ärenden.",
    "hur ärendet har beretts": "Ärendet har beretts av socialförvaltningen.",
    "förvaltningens bedömning": "Förvaltningen föreslår att nämnden godkänner avtalet.",
    "hur avtalet påverkar": "Avtalet gäller kvinnor och män, flickor och pojkar lika.",
    "varför samverkan behövs": "Kommunerna har för få ärenden för att var och en ska "
    "kunna hålla egen kompetens.",
    "första dagen": "2027-01-01",
    "sista dagen": "2028-12-31",
    "true om uppgifter om enskilda behandlas": "false",
    "true om uppgifter om enskilda lämnas": "false",
    "true om avtalet upprättar": "true",
    "true om samarbetet ska ge": "true",
    "true om samarbetet bara": "true",
    "den andel av verksamheten": "0",
    "insatser (tjänster till enskilda)": "insatser",
    # avtal new samverkansoverenskommelse
    "överenskommelsens rubrik": "Överenskommelse om samarbete kring personer med missbruk",
    "målgrupperna": "[missbruk]",
    "lagen som ålägger": "socialtjänstlagen",
    "lagens SFS-nummer": '"2025:400"',
    "regionens namn": "Region Västerdal",
    "kommunens namn": "Dalstads kommun",
    "organets namn": "Styrelsen",
    "vad överenskommelsen": "Parterna samarbetar kring personer med missbruk och beroende.",
    "vilka personer": "Personer med missbruk som behöver insatser från båda huvudmännen.",
    "true om målgruppen": "true",
    "hur uppföljningen": "Uppföljningen redovisas i årsredovisningen.",
    "hur oenighet": "Närmaste chefer löser oenighet inom två veckor.",
    "vem som får godkänna": "Parterna gemensamt, var och en genom den befattningshavare som "
    "parten har utsett",
    "vem som godkänner": "Respektive styrelse",
    "en form av problematik": "Beroende av alkohol.",
    "ett mål som": "Den som söker hjälp ska få det utan att skickas mellan huvudmännen.",
    "ett område där båda": "Tidig upptäckt",
    "vad huvudmännen gör": "Båda huvudmännen frågar om alkohol och spel.",
    "ett område där kommunerna": "Utredning och beslut",
    "vad kommunerna ansvarar": "Socialtjänsten utreder och beslutar om insatser.",
    "ett område där regionen": "Abstinensbehandling",
    "vad regionen ansvarar": "Regionen ger abstinensbehandling och läkemedel.",
}
_MARKED = re.compile(r"^(\s*(?:- )?(?:\w+(?=:))?):?\s*# FYLL I: (.*)$")


def fill_skeleton(text: str) -> str:
    """A skeleton spec with every FYLL I field filled as a user would (a new marker
    needs a value in FILLED, or this fails)."""
    lines = []
    for line in text.splitlines():
        marked = _MARKED.match(line)
        if marked:
            label = marked.group(2)
            values = [v for k, v in FILLED.items() if label.startswith(k)]
            assert len(values) == 1, f"FILLED ger {len(values)} värden för FYLL I: {label}"
            key = marked.group(1)  # "  name" or, for a list item, "  - "
            line = f"{key}{values[0]}" if key.endswith("- ") else f"{key}: {values[0]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- images


def png(width: int = 8, height: int = 4) -> bytes:
    """A small solid blue PNG, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + b"\x1f\x5f\xa8" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def image_sizes(page: pypdf.PageObject) -> list[tuple[int, int]]:
    """Width and height of every raster image drawn on a page (also inside forms)."""
    sizes: list[tuple[int, int]] = []

    def walk(resources: object) -> None:
        objects = resources.get("/XObject", {}) if isinstance(resources, dict) else {}
        for ref in objects.values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                sizes.append((int(xobject["/Width"]), int(xobject["/Height"])))
            elif "/Resources" in xobject:
                walk(xobject["/Resources"].get_object())

    walk(page.get("/Resources", {}).get_object() if "/Resources" in page else {})
    return sizes


def build_text(text: str, folder: Path, name: str = "spec.yaml") -> Path:
    """`avtal build --format md` of a spec's text written to folder/name; the output
    folder (folder/out). The build must succeed."""
    spec = folder / name
    spec.write_text(text, encoding="utf-8")
    run = run_cli("build", "--format", "md", "--out", folder / "out", spec)
    assert run.code == 0, run.stderr
    return folder / "out"
