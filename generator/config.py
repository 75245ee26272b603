"""The team repository's configuration, avtal.toml: folders, formats, the template
override folder and each organisation's letterhead.

The file is found by walking up from the working directory (or named with --config);
paths in it are relative to the folder it is in. A mistake is reported at its line in
avtal.toml. The date a command counts as today is configuration too (AVTAL_TODAY,
SOURCE_DATE_EPOCH). This module reads configuration only: it imports nothing of avtal
above its errors, so anything may depend on it.
"""

from __future__ import annotations

import lzma
import os
import re
import tomllib
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from .errors import AvtalError, Location, SpecError
from .reader import png_size, read_limited, refuse_forbidden

CONFIG_NAME = "avtal.toml"
FORMATS = ("md", "pdf", "docx", "html")
DEFAULT_FORMATS = ("md", "pdf", "docx")
LOGO_SUFFIXES = (".svg", ".png")
MAX_LOGO_SIDE = 8_000  # pixels: a letterhead logo needs far fewer; typst unpacks them all
_TOP_KEYS = {"specs", "parties", "out", "formats", "templates", "organisations", "notice_days"}
NOTICE_DAYS = 90  # warn this many days before the last day for notice before an extension
_ORG_KEYS = {"name_lines", "address", "logo", "reference_docx"}
_LOGO_PATH = re.compile(r"^[A-Za-z0-9/.-]+$")  # the Typst template quotes it as it is
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# What an SVG may name outside itself: href and src attributes, url(…) in styles,
# @import, and entities declared in a DOCTYPE.
_SVG_REFERENCE = re.compile(
    r"""(?:\b(?:xlink:)?href|\bsrc)\s*=\s*(?P<q>["'])(?P<ref>.*?)(?P=q)"""
    r"""|url\(\s*["']?(?P<url>[^)"']*)|@import\s+["']?(?P<imp>[^;"']*)""",
    re.I | re.S,
)
# A DOCTYPE (an external DTD, or entities) and @import (with or without a space after
# it) are refused outright: a logo needs neither.
_SVG_ENTITY = re.compile(r"<!ENTITY|<!DOCTYPE|@import", re.I)
# SMIL elements, which can set an href without an href attribute
_SVG_ANIMATION = re.compile(r"set|animate\w*")
_INLINE = re.compile(r"\s*(?:#|data:|$)", re.I)


def _svg_hidden_reference(root: ElementTree.Element) -> str | None:
    """What in a parsed SVG can name another file where no pattern sees it, or None: a
    CSS escape (”u\\72l(…)” is url(…)) in a style sheet or an attribute of the SVG's
    own (an editor's attributes, in their own namespace, are no CSS), or an animation
    that sets an href or src (”<set attributeName="href" to="…"/>”)."""
    for element in root.iter():
        local = element.tag.rpartition("}")[2]
        if local == "style" and "\\" in (element.text or ""):
            return (element.text or "").strip()
        for key, said in element.attrib.items():
            if "\\" in said and not key.startswith("{"):
                return f'{key}="{said}"'
        target = element.get("attributeName", "").rpartition(":")[2].lower()
        if _SVG_ANIMATION.fullmatch(local) and target in ("href", "src"):
            return f'<{local} attributeName="{element.get("attributeName")}">'
    return None


class ConfigError(AvtalError):
    """avtal.toml is wrong; the message names its line."""


@dataclass(frozen=True)
class Letterhead:
    """One organisation's letterhead: name lines, address, logo and Word template."""

    name_lines: tuple[str, ...] = ()
    address: str = ""
    logo: str = ""  # relative to the project root, with a leading "/" (Typst's root)
    reference_docx: Path | None = None


@dataclass(frozen=True)
class Config:
    """What avtal.toml says, with paths resolved against its folder."""

    root: Path
    path: Path | None = None
    specs: Path = Path("specs")
    parties: Path = Path("parties")
    out: Path = Path("build")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    templates: Path | None = None
    letterheads: tuple[tuple[str, Letterhead], ...] = ()
    notice_days: int = NOTICE_DAYS


# A Word template's parts, unpacked (ours is a few hundred kB in some twenty parts).
WORD_BYTES = 32 << 20
WORD_PARTS = 1000
# What a Word template may not bring into every document built with it: a link to
# something outside the file (a remote attached template, which Word fetches and which
# can leak the user's login; an external image), or a field that pulls a file or
# another program's data in. It is read from the parsed XML, not the bytes: a character
# reference (”&#73;NCLUDEPICTURE”), either quote, a field code split over runs and a
# word cut by a read boundary are all seen as Word sees them.
_WORD_FIELD_OUTSIDE = re.compile(
    r"\b(?:INCLUDE(?:PICTURE|TEXT)?|LINK|DDE(?:AUTO)?|IMPORT)\b", re.I)
_WORD_OUTSIDE_SAID = ("mallen hänvisar till något utanför sig själv (en extern mall, bild "
                      "eller länk, eller ett fält som hämtar en fil eller data: {what}) i "
                      "{part}; ta bort det i Word och spara igen")


def partial_call(text: str) -> str | None:
    """The first pandoc template partial in a template (”$name()$”, ”${ name() }”,
    ”$var:name()$”), or None. Each line is scanned once, so a long line takes as long as
    its length (a regular expression took the square of it: one line of ”$()()()…” held
    every command for the better part of an hour)."""
    for line in text.split("\n"):
        # between one ”$” and the next on the line: a call before any ”{”
        for inner in line.split("$")[1:-1]:
            call = inner.find("()")
            if call >= 0 and "{" not in inner[:call]:
                return f"${inner}$"
        # ”${ … }”: the text up to the next ”}”; a later ”${” before that ”}” holds a part
        # of the same text, so the scan goes on after the ”}”
        start = line.find("${")
        while start >= 0:
            end = line.find("}", start + 2)
            if end < 0:
                break
            if "()" in line[start + 2:end]:
                return line[start:end + 1]
            start = line.find("${", end + 1)
    return None


def word_template_problem(path: Path) -> str | None:
    """What is wrong with a Word template, or None: it must be a zip whose parts really
    unpack (counted while unpacking, not as the zip declares) to at most WORD_BYTES in at
    most WORD_PARTS parts (a 1.5 MB template that unpacked to 1.5 GB held every spec for
    pandoc's whole timeout), and bring nothing from outside into the documents (a link a
    reader clicks, a hyperlink, is no such thing)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > WORD_PARTS:
                return f"mallen har {len(parts)} delar; högst {WORD_PARTS} får den ha"
            for part in parts:
                if part.flag_bits & 1:
                    return (f"delen {part.filename} är krypterad (lösenordsskyddad); "
                            "spara mallen i Word utan lösenord, som .docx")
            total = 0
            for part in parts:
                xml = part.filename.lower().endswith((".xml", ".rels"))
                parser = _XmlPart(part.filename) if xml else None
                with archive.open(part) as stream:
                    while chunk := stream.read(1 << 20):
                        total += len(chunk)
                        if total > WORD_BYTES:
                            return (f"mallen packar upp till mer än {WORD_BYTES >> 20} MB; "
                                    "spara en mindre mall (utan inbäddade bilder och typsnitt)")
                        if parser is not None:
                            parser.feed(chunk)
                if parser is not None:
                    parser.feed(b"", end=True)
                    parser.check_fields()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, lzma.LZMAError) as err:
        return f"är ingen läsbar Word-fil (docx) ({err}); spara mallen i Word som .docx"
    except NotImplementedError:  # a compression zipfile cannot unpack (Deflate64, …)
        return ("mallen är packad på ett sätt som avtal inte kan packa upp (t.ex. "
                "Deflate64); öppna mallen i Word och spara den igen som .docx")
    except RuntimeError as err:  # an encrypted part, flagged only in the local header
        return (f"mallen kan inte packas upp ({err}); spara mallen i Word utan lösenord, "
                "som .docx")
    except _Outside as outside:
        return str(outside)
    except _XmlProblem as problem:
        return f"{problem}; öppna mallen i Word och spara den igen (som .docx)"
    return None


class _XmlProblem(Exception):
    """A Word template's XML part that pandoc cannot read."""


class _Outside(Exception):
    """A Word template's XML part that names something outside the template."""


# How deep a Word template's XML may nest (Word's own go some twenty levels deep; a
# template nested thousands deep held pandoc for its whole timeout).
WORD_DEPTH = 256


class _XmlPart:
    """Reads one XML part of a Word template as it is unpacked: it must be well-formed,
    declare no DOCTYPE (Word writes none; entities could spell anything), nest at most
    WORD_DEPTH elements deep (what pandoc would otherwise fail on, with a message in
    Haskell, or take its whole time over) and name nothing outside the template: no
    attached template, no external relationship but a hyperlink, no field that includes
    or links a file. The parser reads the part as a stream, once, so nothing is cut by
    where a read ends and no pattern runs over the raw bytes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.parser = expat.ParserCreate()
        self.depth = 0
        self.in_field = 0  # inside w:instrText (or w:delInstrText)
        self.fields: list[str] = []  # the part's field codes, joined as Word joins runs
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.StartDoctypeDeclHandler = self._doctype

    def _outside(self, what: str) -> _Outside:
        return _Outside(_WORD_OUTSIDE_SAID.format(what=what[:60], part=self.name))

    def _doctype(self, *_: object) -> None:
        raise _XmlProblem(f"delen {self.name} har en DOCTYPE, som Word aldrig skriver")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > WORD_DEPTH:
            raise _XmlProblem(f"delen {self.name} är nästlad djupare än {WORD_DEPTH} nivåer")
        local = name.rpartition(":")[2]
        values = {key.rpartition(":")[2]: value for key, value in attributes.items()}
        if local == "attachedTemplate":
            raise self._outside("attachedTemplate")
        if local == "Relationship":
            kind = values.get("Type", "")
            external = values.get("TargetMode", "").strip().lower() == "external"
            if kind.endswith("/attachedTemplate") or (
                    external and not kind.endswith("/hyperlink")):
                raise self._outside(values.get("Target", kind))
        if local in ("instrText", "delInstrText"):
            self.in_field += 1
        if local == "fldSimple" and "instr" in values:
            self.fields.append("\n" + values["instr"] + "\n")

    def _end(self, name: str) -> None:
        self.depth -= 1
        if name.rpartition(":")[2] in ("instrText", "delInstrText"):
            self.in_field -= 1

    def _text(self, data: str) -> None:
        if self.in_field:
            self.fields.append(data)

    def check_fields(self) -> None:
        """An _Outside error if the part's field codes, run after run, name a field that
        brings a file or another program's data in."""
        found = _WORD_FIELD_OUTSIDE.search("".join(self.fields))
        if found is not None:
            raise self._outside(f"fältet {found.group().upper()}")

    def feed(self, data: bytes, *, end: bool = False) -> None:
        try:
            self.parser.Parse(data, end)
        except expat.ExpatError as err:
            raise _XmlProblem(f"delen {self.name} är ingen korrekt XML "
                              f"({expat.errors.messages[err.code]}, rad {err.lineno})") from err


# The longest warning time for deadlines: ten years (a larger one is no warning time).
MAX_DAYS = 3650


def find_config(start: Path) -> Path | None:
    """avtal.toml in `start` or the nearest folder above it, up to the top of the git
    repository (a folder with .git): an avtal.toml above it is not the repository's,
    and could widen what counts as inside the project. An avtal.toml that is no
    regular file (a folder, a link) is an error, not a reason to look further up."""
    for folder in (start.resolve(), *start.resolve().parents):
        config = folder / CONFIG_NAME
        if config.is_symlink() or (config.exists() and not config.is_file()):
            raise ConfigError("avtal.toml är ingen vanlig fil (en mapp eller en symbolisk "
                              "länk); gör den till en fil i projektets mapp eller ta bort den",
                              Location(str(config)))
        if config.is_file():
            return config
        if (folder / ".git").exists():
            return None
    return None


def load_config(start: Path) -> Config:
    """The configuration that applies in `start` (defaults when there is no avtal.toml)."""
    path = find_config(start)
    if path is None:
        root = start.resolve()
        for name in (Config.specs, Config.parties, Config.out):
            _inside_defaults(root, root / name)
        return Config(root=root)
    return read_config(path)


def _inside_defaults(root: Path, folder: Path) -> None:
    """Without avtal.toml, the default folders hold to the same rule as configured ones:
    inside the project once links are followed (a pull request can delete avtal.toml and
    link specs/ elsewhere)."""
    try:
        real = folder.resolve()
    except (OSError, RuntimeError) as err:  # a loop of links
        raise ConfigError(f"mappen kan inte följas ({err}); ta bort länken",
                          Location(str(folder))) from err
    if not real.is_relative_to(root):
        raise ConfigError(
            f"mappen är en symbolisk länk till {real}, utanför projektets mapp {root}; avtal "
            "läser och skriver bara i projektet, så ta bort länken och lägg filerna där",
            Location(str(folder)))


def read_config(path: Path) -> Config:
    """Read and check one avtal.toml."""
    try:
        text = read_limited(path).decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError("avtal.toml är inte UTF-8; spara filen som UTF-8",
                          Location(str(path), 1, 1)) from err
    except SpecError as err:
        raise ConfigError(err.message, err.location) from err
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line, column = _decode_place(str(err), text)
        raise ConfigError(
            f"avtal.toml kan inte läsas: {_toml_problem(str(err))}; rätta TOML-syntaxen",
            Location(str(path), line, column),
        ) from err
    except RecursionError:  # tomllib reads nested lists and tables recursively
        raise ConfigError(
            "avtal.toml kan inte läsas: listor eller tabeller är nästlade för djupt; "
            "avtal.toml behöver högst ett par nivåer, så ta bort de inre hakparenteserna",
            Location(str(path), _deepest_line(text), 1),
        ) from None
    except ValueError as err:  # Python's limit on the digits of an integer read as text
        raise ConfigError(
            "avtal.toml kan inte läsas: ett tal har för många siffror; skriv ett heltal "
            "med några få siffror (t.ex. notice_days = 90)",
            Location(str(path), _longest_number_line(text), 1),
        ) from err
    return _Reader(path, text).config(data)


def _deepest_line(text: str) -> int:
    """The line where brackets first nest more than 100 deep (quoted text counted too:
    only a place to point at), else 1."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            depth += 1 if char in "[{" else -1 if char in "]}" else 0
            if depth > 100:
                return number
    return 1


def _longest_number_line(text: str) -> int:
    """The line with the longest run of digits (underscores between them count), else 1."""
    runs = [(len(m.group()), m.start()) for m in re.finditer(r"[0-9_]{100,}", text)]
    if not runs:
        return 1
    start = max(runs)[1]
    return text.count("\n", 0, start) + 1


def _decode_place(message: str, text: str) -> tuple[int, int]:
    found = re.search(r"line (\d+), column (\d+)", message)
    if found:
        return int(found.group(1)), int(found.group(2))
    if "end of document" in message:  # e.g. a list never closed: its last line
        return max(len(text.splitlines()), 1), 1
    return 1, 1


# tomllib's (English) messages, as the writer of avtal.toml needs them
_TOML_PROBLEMS = (
    ("Invalid value", "ett värde saknas eller har fel form (text inom citattecken, listor "
     "inom [ ])"),
    ("Illegal character", "ett otillåtet tecken, ofta ett citattecken som inte avslutas på "
     "raden"),
    ("Cannot overwrite", "inställningen står redan tidigare i filen"),
    ("Cannot declare", "tabellen står redan tidigare i filen"),
    ("Expected", "ett tecken saknas, t.ex. ett likhetstecken eller en avslutande "
     "hakparentes"),
)


def _toml_problem(message: str) -> str:
    return next((said for start, said in _TOML_PROBLEMS if message.startswith(start)),
                "fel TOML-syntax")


class _Reader:
    """Checks the parsed TOML; each error names the line of the key it concerns."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.root = path.parent.resolve()
        self.lines = text.splitlines()

    def fail(self, message: str, key: str, table: str = "") -> ConfigError:
        return ConfigError(message, self.locate(key, table))

    def locate(self, key: str, table: str = "") -> Location:
        """The line where `key` is set (in `[table]` when given), else the table's line."""
        start = 0
        if table:
            header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
            start = next((i for i, t in enumerate(self.lines) if header.match(t)), 0)
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(start, len(self.lines)):
            if number > start and table and self.lines[number].lstrip().startswith("["):
                break
            if pattern.match(self.lines[number]):
                return Location(str(self.path), number + 1, 1)
        return Location(str(self.path), start + 1, 1)

    def config(self, data: Mapping[str, Any]) -> Config:
        for key in data:
            if key not in _TOP_KEYS:
                raise self.fail(
                    f"okänd inställning ”{key}”; tillåtna är {', '.join(sorted(_TOP_KEYS))}", key
                )
        templates = data.get("templates")
        specs, parties = self.folder(data, "specs"), self.folder(data, "parties")
        folders = self.folder(data, "templates") if templates is not None else None
        if folders is not None and (folders / "reference.docx").is_file():
            self.word_template(folders / "reference.docx", "", "templates")
        if folders is not None and (folders / "avtal.typst").is_file():
            self.typst_template(folders / "avtal.typst")
        return Config(
            root=self.root,
            path=self.path,
            specs=specs,
            parties=parties,
            out=self.output(self.folder(data, "out", must_exist=False),
                            (specs, parties, *((folders,) if folders else ()))),
            formats=self.formats(data.get("formats", list(DEFAULT_FORMATS))),
            templates=folders,
            letterheads=self.organisations(data.get("organisations", {})),
            notice_days=self.days(data.get("notice_days", NOTICE_DAYS), "notice_days"),
        )

    def text(self, value: Any, key: str, table: str = "") -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key} ska vara en text inom citattecken", key, table)
        return self.visible(value, key, table)

    def visible(self, value: str, key: str, table: str = "") -> str:
        """The text, or an error at its key: what the letterhead prints holds no character
        a spec may not hold (a control character broke the DOCX header; a bidi override
        made 250 000 read as 000 052)."""
        try:
            refuse_forbidden(value, str(self.path))
        except SpecError as err:
            raise self.fail(f"{key}: {err.message}", key, table) from err
        return value

    def folder(self, data: Mapping[str, Any], key: str, *, must_exist: bool = True) -> Path:
        default = {"specs": "specs", "parties": "parties", "out": "build"}.get(key, key)
        path = self.root / self.text(data.get(key, default), key)
        self.inside(path, key)
        if must_exist and key in data and not path.is_dir():
            raise self.fail(f"mappen {data[key]} finns inte; skapa den eller rätta {key}", key)
        return path

    def inside(self, path: Path, key: str, table: str = "") -> None:
        """A located error unless `path` is in the repository once links are followed:
        the repository (perhaps a pull request) decides what avtal reads and writes."""
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as err:  # a loop of links
            raise self.fail(f"{key} kan inte följas ({err}); ange en mapp i projektet",
                            key, table) from err
        if not real.is_relative_to(self.root):
            raise self.fail(
                f"{key} ska ligga i projektets mapp {self.root}, inte i {real} (sökvägen "
                "räknas från avtal.toml, efter symboliska länkar); ange en mapp i projektet",
                key, table)

    def file(self, value: Any, key: str, table: str, suffixes: tuple[str, ...]) -> Path:
        given = self.root / self.text(value, key, table)
        self.inside(given, key, table)
        path = given.resolve()
        if given.is_symlink() or not path.is_file():
            raise self.fail(f"filen {value} finns inte eller är ingen vanlig fil (sökvägen "
                            "räknas från avtal.toml; symboliska länkar följs inte)", key, table)
        if path.suffix.lower() not in suffixes:
            raise self.fail(f"{key} ska vara en fil av typen {' eller '.join(suffixes)}",
                            key, table)
        return path

    def self_contained(self, path: Path, value: str, table: str) -> None:
        """A located error unless an SVG logo is all in its file: an image, style sheet
        or entity it names would be read from wherever it points, into every PDF."""
        try:
            data = read_limited(path)
        except SpecError as err:
            raise self.fail(f"logon {value} kan inte läsas: {err.message}", "logo", table
                            ) from err
        if path.suffix.lower() != ".svg":
            self.png_fits(data, value, table)
            return
        text = data.decode("utf-8", errors="replace")
        found = _SVG_ENTITY.search(text) or next(
            (m for m in _SVG_REFERENCE.finditer(text)
             if not _INLINE.match(m.group("ref") or m.group("url") or m.group("imp") or "")),
            None,
        )
        if found is not None:
            raise self.fail(
                f"logon {value} hänvisar till något utanför sig själv ({found.group(0)[:60]}); "
                "bädda in bilder i SVG-filen (data:) eller spara logon som PNG",
                "logo", table)
        try:  # no entity is declared (above): the parser expands nothing
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as err:
            raise self.fail(f"logon {value} är ingen läsbar SVG-fil ({err}); spara om den "
                            "som SVG eller PNG", "logo", table) from err
        if root.tag.rpartition("}")[2] != "svg":
            raise self.fail(f"logon {value} är ingen SVG-bild (dess första element är "
                            f"{root.tag.rpartition('}')[2]}); spara om den som SVG eller PNG",
                            "logo", table)
        hidden = _svg_hidden_reference(root)
        if hidden is not None:
            raise self.fail(
                f"logon {value} kan hänvisa till något utanför sig själv ({hidden[:60]}); "
                "ta bort det (en logotyp behöver varken CSS-escape med \\ eller animering) "
                "eller spara logon som PNG", "logo", table)

    def png_fits(self, data: bytes, value: str, table: str) -> None:
        """A located error unless a PNG logo is a PNG of at most MAX_LOGO_SIDE pixels a
        side: typst unpacks the whole image, and a small file can hold a vast one."""
        try:
            width, height = png_size(data)
        except ValueError as err:
            raise self.fail(f"logon {value}: {err}; spara den som PNG eller SVG", "logo", table
                            ) from err
        if max(width, height) > MAX_LOGO_SIDE:
            raise self.fail(
                f"logon {value} är {width} × {height} bildpunkter, mer än {MAX_LOGO_SIDE} på "
                "en led; spara den i en mindre storlek (en logotyp i brevhuvudet behöver "
                "sällan mer än 1 000 bildpunkter)", "logo", table)

    def days(self, value: Any, key: str) -> int:
        # bool is an int in Python, but `notice_days = true` is no number of days.
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DAYS:
            raise self.fail(f"{key} ska vara ett antal dagar, ett heltal från 0 till "
                            f"{MAX_DAYS}", key)
        return value

    def word_template(self, path: Path, table: str, key: str = "reference_docx") -> None:
        """A Word template pandoc can open in its time and that brings nothing from
        outside into the documents (see word_template_problem)."""
        problem = word_template_problem(path)
        if problem is not None:
            raise self.fail(f"Word-mallen {path.name}: {problem}", key, table)

    def typst_template(self, path: Path) -> None:
        """The team's Typst template calls no pandoc partial: a partial (”$/any/file()$”)
        is read from any path the job can read and printed into the PDF."""
        try:
            text = read_limited(path).decode("utf-8", errors="replace")
        except SpecError:
            return  # a link or a device: the build's reader says so, at the file
        found = partial_call(text)
        if found is not None:
            raise self.fail(
                f"avtal.typst anropar en delmall (”{found[:60]}”), som läser en fil "
                "var som helst; avtal läser inga andra filer genom mallen, så ta bort anropet "
                "och skriv texten i mallen", "templates")

    def output(self, out: Path, inputs: tuple[Path, ...]) -> Path:
        """The output folder, where avtal replaces whole folders: never the project itself,
        a hidden folder (git's own, a CI's .venv, .github), the schema copy's folder, or
        a folder avtal reads from."""
        real, root = out.resolve(), self.root
        read = [p.resolve() for p in (*inputs, root / "schemas")]
        hidden = real.is_relative_to(root) and any(
            part.startswith(".") for part in real.relative_to(root).parts)
        if real == root or hidden or any(
                real == p or real.is_relative_to(p) or p.is_relative_to(real) for p in read):
            raise self.fail(
                "out ska vara en egen mapp för de byggda dokumenten, t.ex. \"build\", inte "
                "projektets mapp, en dold mapp (.git, .venv, .github), schemas eller en mapp "
                "som avtal läser från", "out")
        return out

    def formats(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or any(v not in FORMATS for v in value):
            raise self.fail(
                f"formats ska vara en lista med några av {', '.join(FORMATS)}, "
                'till exempel ["md", "pdf", "docx"]',
                "formats",
            )
        return tuple(dict.fromkeys(value))

    def organisations(self, value: Any) -> tuple[tuple[str, Letterhead], ...]:
        if not isinstance(value, dict):
            raise self.fail("organisations ska vara tabeller: [organisations.<part-id>]",
                            "organisations")
        return tuple(sorted((pid, self.letterhead(pid, org)) for pid, org in value.items()))

    def letterhead(self, party_id: str, data: Any) -> Letterhead:
        table = f"organisations.{party_id}"
        if not _ID.match(party_id) or not isinstance(data, dict):
            raise self.fail(f"[{table}] ska vara en tabell med en parts id (små bokstäver, "
                            "siffror, bindestreck)", party_id, "")
        for key in data:
            if key not in _ORG_KEYS:
                raise self.fail(f"okänd inställning ”{key}” för en organisation; tillåtna är "
                                f"{', '.join(sorted(_ORG_KEYS))}", key, table)
        lines = data.get("name_lines", [])
        if not isinstance(lines, list) or not all(isinstance(t, str) and t for t in lines):
            raise self.fail('name_lines ska vara en lista med texter, t.ex. ["Täby kommun"]',
                            "name_lines", table)
        for line in lines:
            self.visible(line, "name_lines", table)
        logo = ""
        if "logo" in data:
            path = self.file(data["logo"], "logo", table, LOGO_SUFFIXES)
            self.self_contained(path, data["logo"], table)
            logo = "/" + path.relative_to(self.root).as_posix()
            if not _LOGO_PATH.match(logo):
                raise self.fail(
                    f"sökvägen {data['logo']} får bara ha bokstäverna a–z och A–Z, siffror, "
                    "punkt, bindestreck och snedstreck; byt namn på filen eller mappen",
                    "logo", table)
        reference = None
        if "reference_docx" in data:
            reference = self.file(data["reference_docx"], "reference_docx", table, (".docx",))
            self.word_template(reference, table)
        address = self.text(data["address"], "address", table) if "address" in data else ""
        return Letterhead(tuple(lines), address, logo, reference)


# The days avtal reckons from: deadlines run years past them, and a date near the end
# of the calendar (9999-12-31) has no such years.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2199, 12, 31)


def reference_date(value: str | None = None) -> date:
    """'Today' for deadlines: the given value, else AVTAL_TODAY, else SOURCE_DATE_EPOCH,
    else the calendar date; injectable so that checks and tests are deterministic. A
    value that is no date, or outside EARLIEST_DAY–LATEST_DAY, is a ValueError whose
    message names where it came from and what to write."""
    text = value or os.environ.get("AVTAL_TODAY", "")
    if not text:
        return epoch_day() or date.today()
    try:
        return bounded_day(date.fromisoformat(text))
    except ValueError:
        raise ValueError(
            f"{'datumet' if value else 'miljövariabeln AVTAL_TODAY'} är inget datum från "
            f"{EARLIEST_DAY.year} till {LATEST_DAY.year}; skriv ÅÅÅÅ-MM-DD eller ta bort den"
        ) from None


def epoch_day() -> date | None:
    """The day of SOURCE_DATE_EPOCH when it is set (None when not); a ValueError naming
    the variable when it is outside EARLIEST_DAY–LATEST_DAY."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return None
    try:
        return bounded_day(datetime.fromtimestamp(int(epoch), tz=UTC).date())
    except (ValueError, OverflowError, OSError):
        raise ValueError(
            f"miljövariabeln SOURCE_DATE_EPOCH är inget datum från {EARLIEST_DAY.year} till "
            f"{LATEST_DAY.year}; ange sekunder sedan 1970-01-01 eller ta bort den"
        ) from None


def bounded_day(day: date) -> date:
    """The day, if avtal can reckon from it (else a ValueError)."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(day.isoformat())
    return day
