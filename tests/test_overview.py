"""The overview page build/index.html and the checklist pages in its style: valid HTML,
accessible structure, no scripts or outside resources, the right content, reproducible,
and (where chromium is installed) a screenshot that is not blank at desktop and phone width.
"""

from __future__ import annotations

import itertools
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import html5lib
import pytest
from buildkit import FIXTURE, SPECS_DIR, dump, read_spec, read_yaml, run_cli

TODAY = "2026-09-01"  # conftest's AVTAL_TODAY


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`avtal build --format md,html` of the examples plus a spec with a silenced rule
    and one with an error."""
    specs = tmp_path_factory.mktemp("specs")
    for path in SPECS_DIR.glob("*.yaml"):
        shutil.copy(path, specs / path.name)
    excepted = read_yaml(FIXTURE)
    excepted["rule_exceptions"] = [
        {"rule": "KL-UPPFOLJNING", "justification": "Rapporteringen sker i den gemensamma nämnden."}
    ]
    del excepted["follow_up"]["council_report"]
    dump(excepted, specs / "undantag.yaml")
    broken = read_yaml(FIXTURE)
    broken["id"] = "trasig"
    broken["parties"][0]["org_nr"] = "212000-0143"
    dump(broken, specs / "trasig.yaml")
    out = tmp_path_factory.mktemp("site")
    run = run_cli("build", "--format", "md,html", "--out", out, specs)
    assert run.code == 1, run.stdout + run.stderr  # the broken spec fails, the rest build
    assert (out / "index.html").is_file()
    return out


def page(site: Path) -> str:
    return (site / "index.html").read_text(encoding="utf-8")


class Outline(HTMLParser):
    """Collects what the structural checks need: tags, attributes, headings, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.headings: list[tuple[int, str]] = []
        self._heading: int | None = None
        self._text: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = int(tag[1]), []

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._text).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._text.append(data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def assert_valid_and_accessible(html: str, *, where: Path) -> Outline:
    """HTML5 without parse errors, in Swedish, with a sane outline, and self-contained."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(html)  # raises on any parse error (unclosed or misnested tags, bad doctype)
    doc = outline(html)
    html_tag = next(attrs for tag, attrs in doc.tags if tag == "html")
    assert html_tag.get("lang", "").startswith("sv")
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in doc.tags)
    levels = [level for level, _ in doc.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert not [t for t, _ in doc.tags if t in ("script", "iframe", "object", "embed", "link")]
    assert not re.search(r"\bon[a-z]+\s*=", html)  # no event handlers
    for _, attrs in doc.tags:
        for name in ("href", "src"):
            value = attrs.get(name, "")
            assert not re.match(r"^(?:[a-z]+:|//)", value), f"extern resurs: {value}"
            if value and not value.startswith("#"):
                assert (where / unquote(value)).resolve().is_file(), f"trasig länk: {value}"
    assert re.search(r":focus-visible\s*\{[^}]*outline", html)  # visible focus
    assert "@import" not in html and "url(" not in html
    for tag, attrs in doc.tags:
        if tag == "th":
            assert attrs.get("scope") in ("col", "row") or attrs.get("role")
    return doc


def test_overview_is_valid_accessible_html(site: Path) -> None:
    doc = assert_valid_and_accessible(page(site), where=site)
    assert doc.headings[0] == (1, "Avtalsöversikt")
    tables = [a for t, a in doc.tags if t == "table"]
    assert len(tables) == 1 and tables[0].get("role") == "table"
    assert "<caption" in page(site)


@pytest.mark.parametrize("spec_id", ["roc-ingang", "hvb-ostergotland", "trasig"])
def test_checklist_pages_share_the_style(site: Path, spec_id: str) -> None:
    html = (site / spec_id / "checklista.html").read_text(encoding="utf-8")
    doc = assert_valid_and_accessible(html, where=site / spec_id)
    assert doc.headings[0][1].startswith("Checklista: ")
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    overview = re.search(r"<style>(.*?)</style>", page(site), re.S)
    assert style and overview and style[1].strip() == overview[1].strip()
    assert 'href="../index.html"' in html
    # On a phone each row is a card: the cells carry their column's heading.
    assert '<table class="kort" role="table">' in html
    assert 'role="cell" data-rubrik="Punkt"' in html


def section_of(html: str, anchor: str) -> str:
    start = html.index(f'<h2 id="{anchor}">')
    end = html.find("<section", start)
    return html[start : end if end > 0 else None]


def test_every_agreement_with_its_facts(site: Path) -> None:
    html = page(site)
    for path in SPECS_DIR.glob("*.yaml"):
        data = read_spec(path).data
        part = section_of(html, f"avtal-{data['id']}")
        assert data["title"] in part
        assert f"<dd>{data['status'].capitalize()}</dd>" in part
        assert f"{data['version']} (<span class=\"datum\">{data['date']}</span>)" in part
        for party in data["parties"]:
            assert party["name"] in part
    roc = section_of(html, "avtal-roc-ingang")
    assert "2026-03-01 – 2028-02-29" in roc
    hvb = section_of(html, "avtal-hvb-ostergotland")
    assert "2026-07-01 – tills vidare" in hvb


def test_next_deadline_from_today(site: Path) -> None:
    html = page(site)
    row = re.search(r'<a href="#avtal-roc-ingang">.*?</tr>', html, re.S)
    assert row and '<span class="datum">2027-08-31</span> Sista dag att säga upp avtalet' in row[0]
    sok = re.search(r'<a href="#avtal-sok-missbruk">.*?</tr>', html, re.S)
    # Today is the first day of the överenskommelse: a deadline today is still to come.
    assert sok and '<span class="datum">2026-09-01</span> Avtalstiden börjar' in sok[0]
    assert "räknas från 1 september 2026" in html


def test_links_to_every_document(site: Path) -> None:
    html = page(site)
    roc = section_of(html, "avtal-roc-ingang")
    for party in ("solna", "nacka"):
        assert f'href="roc-ingang/{party}/avtal.html"' in roc
    assert 'href="roc-ingang/checklista.html"' in roc
    assert 'href="roc-ingang/stockholm/tjansteutlatande.md"' in roc
    assert "Förslag till beslut, Stockholms stad" in roc


def test_check_results_errors_and_exceptions_with_reasons(site: Path) -> None:
    html = page(site)
    broken = section_of(html, "avtal-trasig")
    assert re.search(r'<span class="fel">\d+ fel</span>', broken)
    assert "<code>/parties/0/org_nr</code>" in broken
    assert 'href="trasig/checklista.html"' in broken
    assert 'href="trasig/avtal' not in broken  # no agreement was built for a spec with errors
    excepted = section_of(html, f"avtal-{read_yaml(FIXTURE)['id']}")
    assert "[KL-UPPFOLJNING]" in excepted
    assert "Motivering: Rapporteringen sker i den gemensamma nämnden." in excepted


def test_wrong_today_stops_the_build_before_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AVTAL_TODAY", "31/12")
    run = run_cli("build", "--format", "md", "--out", tmp_path / "ut", FIXTURE)
    assert run.code == 2 and "AVTAL_TODAY" in run.stderr
    assert not (tmp_path / "ut").exists()


def test_page_is_reproducible_and_escapes_spec_text(tmp_path: Path) -> None:
    data = read_yaml(FIXTURE)
    data["title"] = 'Avtal om <script>alert("x")</script> & samverkan'
    spec = dump(data, tmp_path / "a.yaml")
    first, second = tmp_path / "1", tmp_path / "2"
    assert run_cli("build", "--format", "md", "--out", first, spec).code == 0
    assert run_cli("build", "--format", "md", "--out", second, spec).code == 0
    html = (first / "index.html").read_bytes()
    assert html == (second / "index.html").read_bytes()
    assert b"<script>" not in html and b"&lt;script&gt;" in html
    again = run_cli("build", "--format", "md", "--out", first, "--today", "2027-01-01", spec)
    assert again.code == 0 and b"1 januari 2027" in (first / "index.html").read_bytes()


# --------------------------------------------------------------------------- browser


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB or RGBA PNG (no Pillow needed)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6)
    step = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    rows: list[bytes] = []
    previous = bytearray(width * step)
    stride = width * step
    for y in range(height):
        kind = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = row[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            if kind == 1:
                row[x] = (row[x] + left) & 0xFF
            elif kind == 2:
                row[x] = (row[x] + up) & 0xFF
            elif kind == 3:
                row[x] = (row[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                row[x] = (row[x] + best) & 0xFF
        rows.append(bytes(row[i] for i in range(stride) if i % step < 3))
        previous = row
    return width, height, rows


def screenshot(target: Path, out: Path, size: str, profile: Path) -> bytes:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={out}",
         f"--window-size={size}", target.as_uri()],
        capture_output=True, timeout=180, check=False,
    )
    assert out.is_file(), "chromium skrev ingen skärmbild"
    return out.read_bytes()


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="chromium är inte installerat",
)
@pytest.mark.parametrize("size", ["1280,900", "390,844"], ids=["dator", "telefon"])
def test_page_renders_in_a_browser(site: Path, tmp_path: Path, size: str) -> None:
    data = screenshot(site / "index.html", tmp_path / "bild.png", size, tmp_path / "profil")
    width, height, rows = png_pixels(data)
    assert (width, height) == tuple(int(n) for n in size.split(","))
    background = rows[0][:3]
    pixels = [row[i : i + 3] for row in rows[::4] for i in range(0, len(row), 12)]
    inked = sum(1 for p in pixels if p != background)
    assert inked / len(pixels) > 0.03, "skärmbilden är nästan tom"
    assert len(set(pixels)) > 20, "skärmbilden har nästan inga färger: ingen text"
    # The heading is drawn dark near the top left: the page, not an error screen.
    top = rows[10:60]
    assert any(sum(row[i : i + 3]) < 200 for row in top for i in range(0, width * 3 // 2, 3))
