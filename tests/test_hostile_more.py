"""A hostile repository, more of it: what a pull request can commit (avtal.toml, a Word
template, a logo, a team's templates, a tracked build/) ends in a located error or does
no harm, never in a traceback, a hang or a reference to something outside the files.
"""

from __future__ import annotations

import struct
import zipfile
from datetime import date
from pathlib import Path

import icalendar
import pytest
from test_git import FAM, avtal, commit, git, make_repo
from test_untrusted_repository import _team

from generator import config
from generator.reader import MAX_BYTES

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"


# --------------------------------------------------------------------------- tracebacks


def _patched_zip(target: Path, how: str) -> None:
    """Our Word template stored anew, each entry flagged encrypted or said to be packed
    with Deflate64 (method 9), in the local headers and the central directory alike."""
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            copy.writestr(info.filename, source.read(info.filename))
    data = bytearray(target.read_bytes())
    for signature, flags, method in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = data.find(signature)
        while at >= 0:
            if how == "encrypted":
                bits = struct.unpack_from("<H", data, at + flags)[0]
                struct.pack_into("<H", data, at + flags, bits | 1)
            else:
                struct.pack_into("<H", data, at + method, 9)
            at = data.find(signature, at + 4)
    target.write_bytes(data)


@pytest.mark.parametrize(("how", "said"), [
    ("encrypted", "är krypterad (lösenordsskyddad); spara mallen i Word utan lösenord"),
    ("deflate64", "mallen är packad på ett sätt som avtal inte kan packa upp"),
])
def test_a_word_template_zipfile_cannot_open_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, said: str
) -> None:
    repo = _team(tmp_path, 'templates = "mallar"\n')
    (repo / "mallar").mkdir()
    _patched_zip(repo / "mallar" / "reference.docx", how)
    for command in ("check", "deadlines", "build"):
        run = avtal(repo, monkeypatch, command)
        assert run.code == 1, command
        assert "avtal.toml:1:1: Word-mallen reference.docx: " in run.stderr
        assert said in run.stderr
        assert "Traceback" not in run.stderr


@pytest.mark.parametrize(("line", "said"), [
    ("x = " + "[" * 100_000 + "]" * 100_000, "listor eller tabeller är nästlade för djupt"),
    ("x = " + "{a = " * 5_000 + "1" + "}" * 5_000, "listor eller tabeller är nästlade för djupt"),
    ("notice_days = 1" + "0" * 5_000, "ett tal har för många siffror"),
])
def test_avtal_toml_too_deep_or_too_long_a_number_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, said: str
) -> None:
    repo = _team(tmp_path, 'formats = ["md"]\n' + line + "\n")
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert f"avtal.toml:2:1: avtal.toml kan inte läsas: {said}" in run.stderr


def test_a_png_logo_cut_off_after_its_header_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _team(tmp_path, '[organisations.norrstrom]\nlogo = "logo.png"\n')
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
    for command in ("check", "build"):
        run = avtal(repo, monkeypatch, command)
        assert run.code == 1, command
        assert "avtal.toml:2:1: logon logo.png: PNG-bilden är avkortad" in run.stderr
    with pytest.raises(ValueError, match="avkortad"):
        config.png_size(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00")


# --------------------------------------------------------------------------- linear scans


def test_a_typst_template_line_of_a_mebibyte_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """”$” and ”()” half a million times on one line, the most the reader takes: no
    partial (no closing ”$”), found at once; the same line closed is refused."""
    pairs = (MAX_BYTES - 100) // 2
    assert config.partial_call("$" + "()" * pairs) is None
    assert config.partial_call("${" * pairs + "()") is None
    assert config.partial_call("$" + "()" * pairs + "$") == "$" + "()" * pairs + "$"
    repo = _team(tmp_path, 'templates = "mallar"\n')
    (repo / "mallar").mkdir()
    typst = repo / "mallar" / "avtal.typst"
    typst.write_text("// $" + "()" * pairs + "\n", encoding="utf-8")
    run = avtal(repo, monkeypatch, "validate")
    assert "delmall" not in run.stderr
    typst.write_text("// $" + "()" * pairs + "$\n", encoding="utf-8")
    run = avtal(repo, monkeypatch, "validate")
    assert run.code == 1
    assert "avtal.toml:1:1: avtal.typst anropar en delmall (”$()()" in run.stderr


def _word(target: Path, parts: dict[str, bytes]) -> Path:
    """Our Word template with some parts replaced or added."""
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(
            target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, parts.pop(info.filename, None)
                          or source.read(info.filename))
        for name, data in parts.items():
            copy.writestr(name, data)
    return target


def _header(extra: str) -> dict[str, bytes]:
    with zipfile.ZipFile(TEMPLATE) as source:
        header = source.read("word/header1.xml")
    return {"word/header1.xml": header.replace(b"</w:hdr>", extra.encode() + b"</w:hdr>")}


_RUN = '<w:r><w:instrText xml:space="preserve">{}</w:instrText></w:r>'
_FIELD = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{}'
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
          '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
         'openxmlformats.org/package/2006/relationships">{}</Relationships>')
_CUT = 1 << 20  # where the old check read a part in two


def _across_the_cut(before: str, piece: str, word: str, after: str) -> bytes:
    """`piece` placed (after a comment) so that `word` in it is cut by the 1 MiB read."""
    pad = _CUT - len(before) - len("<!--") - len("-->") - piece.index(word) - len(word) // 2
    return (before + "<!--" + " " * pad + "-->" + piece + after).encode()


def _settings_across_the_cut() -> dict[str, bytes]:
    with zipfile.ZipFile(TEMPLATE) as source:
        settings = source.read("word/settings.xml").decode()
    head, tail = settings.split("<w:zoom", 1)
    return {
        "word/settings.xml": _across_the_cut(head, '<w:attachedTemplate r:id="rIdT"/>',
                                             "attachedTemplate", "<w:zoom" + tail),
        "word/_rels/settings.xml.rels": _across_the_cut(
            _RELS.split("{}")[0],
            "<Relationship Id='rIdT' TargetMode='External' Target='http://ute.example/t.dotm' "
            "Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            "attachedTemplate'/>", "attachedTemplate", _RELS.split("{}")[1]),
    }


@pytest.mark.parametrize(("parts", "said"), [
    # a character reference spells the field's name
    (_header('<w:p><w:fldSimple w:instr="&#73;NCLUDEPICTURE &quot;http://ute.example/x.png'
             '&quot; \\d"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>'),
     "fältet INCLUDEPICTURE) i word/header1.xml"),
    # one field code in two runs, as Word joins them
    (_header(_FIELD.format(_RUN.format("INCLUDE") + _RUN.format(
        'TEXT "\\\\\\\\ute.example\\\\s\\\\x.docx"'))), "fältet INCLUDETEXT"),
    # fields that link another file or program's data
    (_header(_FIELD.format(_RUN.format(' LINK Excel.Sheet.12 "\\\\\\\\ute.example\\\\x.xlsx" '
                                       '"A1" \\a'))), "fältet LINK"),
    (_header(_FIELD.format(_RUN.format(' DDEAUTO c:\\\\x.exe "/c calc"'))), "fältet DDEAUTO"),
    (_header(_FIELD.format(_RUN.format(' DDE Excel "x" '))), "fältet DDE"),
    (_header(_FIELD.format(_RUN.format(' IMPORT "\\\\\\\\ute.example\\\\x.png" '))),
     "fältet IMPORT"),
    # an external image, its attributes in single quotes
    ({"word/_rels/header1.xml.rels": _RELS.format(
        "<Relationship Id='rIdX' Type='http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/image' Target='http://ute.example/x.png' TargetMode='External'/>"
    ).encode()}, "http://ute.example/x.png) i word/_rels/header1.xml.rels"),
    # a remote attached template whose name the old check read in two halves
    (_settings_across_the_cut(), "attachedTemplate) i word/settings.xml"),
])
def test_a_word_template_cannot_hide_what_it_names_outside_itself(
    tmp_path: Path, parts: dict[str, bytes], said: str
) -> None:
    problem = config.word_template_problem(_word(tmp_path / "mall.docx", dict(parts)))
    assert problem is not None
    assert problem.startswith("mallen hänvisar till något utanför sig själv")
    assert said in problem


def test_a_word_template_s_hyperlinks_and_ordinary_fields_pass(tmp_path: Path) -> None:
    rels = _RELS.format(
        '<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="https://example.se/" TargetMode="External"/>')
    parts = {**_header(_FIELD.format(_RUN.format(" PAGE ") + _RUN.format(" \\* MERGEFORMAT "))
                       + '<w:p><w:fldSimple w:instr=" HYPERLINK &quot;https://example.se&quot; ">'
                       "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"),
             "word/_rels/header1.xml.rels": rels.encode()}
    assert config.word_template_problem(_word(tmp_path / "mall.docx", parts)) is None
    assert config.word_template_problem(TEMPLATE) is None


def test_a_word_template_of_unclosed_relationships_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """”<Relationship ” over and over with no ”>”, in a comment so that the part stays
    well-formed, in 30 MB of parts (within the 32 MB the template may unpack to): the old
    pattern took the square of each MiB read (hours in all); the parser reads it once and
    finds nothing outside."""
    filler = b"<!--" + b"<Relationship " * ((10 << 20) // 14) + b"-->"
    parts = {f"word/extra{n}.xml": b"<x>" + filler + b"</x>" for n in range(3)}
    template = _word(tmp_path / "mall.docx", parts)
    assert sum(i.file_size for i in zipfile.ZipFile(template).infolist()) < config.WORD_BYTES
    assert config.word_template_problem(template) is None
    repo = _team(tmp_path, 'templates = "mallar"\n')
    (repo / "mallar").mkdir()
    _word(repo / "mallar" / "reference.docx", dict(parts))
    run = avtal(repo, monkeypatch, "validate")
    assert "Word-mallen" not in run.stderr


# --------------------------------------------------------------------------- the calendar


def test_a_calendar_of_hostile_titles_starts_no_ci_command() -> None:
    """`deadlines --format ics` prints spec text: ”##vso[” and ”##[” anywhere, and
    ”::” wherever the calendar folds a line (a runner trims the fold's space), are no
    command, at every length of the title before them."""
    from test_deadlines import base, spec_of
    from test_untrusted_repository import _commands

    from generator import agenda
    from generator.deadlines import derive

    for pad in range(90):
        title = ("Avtal " + "x" * pad + "::warning::falsk ##vso[task.setvariable variable=a]1"
                 " ##[error]falsk :::x")
        deadlines = derive(spec_of(base(title=title)), until=date(2040, 1, 1))
        assert deadlines
        calendar = agenda.as_ics(deadlines).decode("utf-8")
        assert _commands(calendar) == [], pad
        event = icalendar.Calendar.from_ical(calendar).walk("VEVENT")[0]
        assert "falsk" in str(event["SUMMARY"])


# --------------------------------------------------------------------------- a tracked build/


def test_a_build_folder_git_tracks_keeps_no_symbolic_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Links a pull request committed into build/, beside the spec folders, in another
    spec's folder and in the built one's, are all gone after the build: an upload of the
    folder that follows links would carry the runner's file into the artifact."""
    secret = tmp_path / "hemligt.txt"
    secret.write_text("HEMLIGT\n", encoding="utf-8")
    repo = make_repo(tmp_path, FAM)
    assert avtal(repo, monkeypatch, "build", "--format", "md").code == 0
    out = repo / "build"
    spec_folder = next(p for p in out.iterdir() if p.is_dir())
    (out / "annan").mkdir()
    (out / "annan" / "djup").mkdir()
    planted = [out / "lacka.txt", out / "annan" / "avtal.pdf", out / "annan" / "djup" / "x",
               spec_folder / "lacka.txt"]
    for link in planted:
        link.symlink_to(secret)
    (out / "mapp").symlink_to(tmp_path, target_is_directory=True)
    git(repo, "add", "-f", "build")
    commit(repo, "Planterade länkar")
    again = avtal(repo, monkeypatch, "build", "--format", "md")
    assert again.code == 0, again.stderr
    assert [p for p in out.rglob("*") if p.is_symlink()] == []
    assert secret.read_text(encoding="utf-8") == "HEMLIGT\n"
    assert (spec_folder / "avtal.md").is_file()


# --------------------------------------------------------------------------- SVG logos

_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">{}'
        '<rect width="40" height="20"/></svg>')


@pytest.mark.parametrize("svg", [
    _SVG.format('<style>@import"http://ute.example/x.css";</style>'),
    _SVG.format("<style>@IMPORT url(x.css);</style>"),
    _SVG.format("<style>rect{fill:u\\72l(http://ute.example/z.svg#a)}</style>"),
    _SVG.format('<rect style="fill:u\\72l(http://ute.example/z.svg#a)"/>'),
    '<?xml version="1.0"?><!DOCTYPE svg SYSTEM "http://ute.example/svg.dtd">' + _SVG.format(""),
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://ute.example/svg11.dtd">'
    + _SVG.format(""),
    _SVG.format('<image width="9" height="9"><set attributeName="href" '
                'to="http://ute.example/x.png"/></image>'),
    _SVG.format('<image width="9" height="9"><animate attributeName="xlink:href" '
                'values="http://ute.example/x.png"/></image>'),
])
def test_an_svg_logo_cannot_name_another_file_in_hiding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, svg: str
) -> None:
    repo = _team(tmp_path, '[organisations.norrstrom]\nlogo = "logo.svg"\n')
    (repo / "logo.svg").write_text(svg, encoding="utf-8")
    run = avtal(repo, monkeypatch, "check")
    assert run.code == 1
    assert "avtal.toml:2:1: logon logo.svg " in run.stderr
    assert "hänvisa till något utanför sig själv" in run.stderr \
        or "hänvisar till något utanför sig själv" in run.stderr


def test_an_svg_logo_with_plain_style_and_editor_attributes_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _team(tmp_path, '[organisations.norrstrom]\nlogo = "logo.svg"\n')
    (repo / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/'
        'namespaces/inkscape" inkscape:export-filename="C:\\logo\\logo.png" width="40" '
        'height="20"><style>rect{fill:#005}</style><rect width="40" height="20">'
        '<animate attributeName="opacity" values="1;0.5"/></rect></svg>', encoding="utf-8")
    run = avtal(repo, monkeypatch, "check")
    assert "logo.svg" not in run.stderr, run.stderr


# --------------------------------------------------------------------------- the Jinja sandbox


@pytest.mark.parametrize("attack", [
    '{{ "x"|center(2000000000) }}',
    '{{ "%2000000000s"|format("x") }}',
    '{{ "x"|indent(900000000, true) }}',
    '{{ "{:>900000000}".format("x") }}',
    '{{ "{:>{w}}".format("x", w=900000000) }}',
    '{{ "x".center(2000000000) }}',
    '{{ "x".zfill(2000000000) }}',
    '{{ "%2000000000s" % "x" }}',
    '{{ ("x" * 1000000)|replace("x", "x" * 1000000) }}',
    '{{ ("x" * 1000000).replace("x", "xx") }}',
    '{{ ([("x" * 1000000)] * 1000000)|join }}',
    '{{ "".join([("x" * 1000000)] * 1000000) }}',
    '{{ [1]|batch(2000000000, "x")|list }}',
    '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}'
    "{% endfor %}",
    '{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}'
    "{% endfor %}",
    "{% set ns = namespace(l=[0]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}"
    "{% endfor %}",
    '{% set l = [0] %}{% for i in range(40) %}{{ l.extend(l) or "" }}{% endfor %}',
])
def test_a_team_template_cannot_fill_the_memory_with_a_filter_or_a_method(
        tmp_path: Path, attack: str) -> None:
    """Each of these made gigabytes (or would, at the end of its loop) in one template
    line: the render ends with a located template error instead."""
    from buildkit import FIXTURE
    from test_untrusted_repository import _team_templates

    from generator.documents import documents
    from generator.errors import AvtalError
    from generator.load import load_spec
    from generator.theme import Theme

    folder = _team_templates(tmp_path)
    agreement = folder / "avtal.md.j2"
    agreement.write_text(attack + "\n" + agreement.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(AvtalError, match=r"mallfel i avtal\.md\.j2: .*mer än 1000000 tecken"):
        documents(load_spec(FIXTURE), theme=Theme(custom_dir=folder))


def test_the_bounded_sandbox_still_renders_ordinary_uses(tmp_path: Path) -> None:
    """The same widths, replacements, joins and sums render in the sandbox as outside it."""
    from generator import render

    template = ('{{ "ab"|center(6) }}|{{ "%05d"|format(42) }}|{{ "{:>4}".format("x") }}|'
                '{{ "a-b"|replace("-", "–") }}|{{ ["a", "b"]|join("; ") }}|{{ "x" ~ "y" }}|'
                '{{ ([1, 2] + [3])|length }}|{{ "%s kr" % 5 }}|{{ "a\nb"|indent(2, true) }}|'
                '{{ "a".ljust(3) }}.')
    ours = render.environment(None).from_string(template).render()
    theirs = render.environment(tmp_path).from_string(template).render()
    assert theirs == ours
    assert "00042" in theirs and "a–b" in theirs and "xy" in theirs
