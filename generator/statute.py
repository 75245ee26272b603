"""The statute texts in ../shared/law/, read into sections, and the compact index of
the chapters and sections each law has (generator/data/lagrum-index.yaml).

Two layouts are read. The copies from Regeringskansliets rättsdatabaser (SFST) put a
chapter heading "3 kap. Barns rättigheter" and each section "1 § Vid alla åtgärder …"
at the start of a line after a blank line, with blank lines between stycken. The
riksdagen.se copies put "9 kap. 37 §" (or "6 §" in a law without chapters) at the
start of a line, run the stycken together, merge headings into the text and sometimes
run the following sections into one line ("… Lag (2021:1110). Rubrik 3 § Vid …"); a
section there is also recognised inside a line when it is followed by a capital letter.
Section and chapter numbers only count when they come after the previous one, so a
reference such as "enligt 12 kap. 1 §" at the start of a wrapped line is not a section.

The texts are not shipped with avtal: the index is, generated from them
(`python -m generator.statute --index`), and a test regenerates it and compares.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from . import laws
from .errors import EnvironmentProblem
from .resources import parse_data

INDEX_FILE = "generator/data/lagrum-index.yaml"
LAW_DIR_VARIABLE = "AVTAL_LAGTEXT"
# The statute texts by SFS number, as /work/shared/law/README.md lists them.
FILES = {
    "2025:400": "socialtjanstlag-2025-400.txt",
    "2017:30": "halso-och-sjukvardslag-2017-30.txt",
    "1990:52": "lvu-1990-52.txt",
    "1949:381": "foraldrabalk-1949-381.txt",
    "2017:725": "kommunallag-2017-725.txt",
    "2016:1145": "lou-2016-1145.txt",
    "1988:870": "lvm-1988-870.txt",
}

_NUMBER = r"\d+(?: [a-z])?"
_SFST_CHAPTER = re.compile(rf"^({_NUMBER}) kap\. (?=[A-ZÅÄÖ])")
_SFST_SECTION = re.compile(rf"^({_NUMBER}) § ?")
_RIKSDAG_HEADER = re.compile(rf"^(?:({_NUMBER}) kap\. )?({_NUMBER}) §(.*)$")
_INLINE = re.compile(
    r"(?:(?<=[.)]) |(?<=[a-zåäö] ))"  # after a sentence or a merged heading word
    rf"(?:({_NUMBER}) kap\. [A-ZÅÄÖ][^§.\d]*? )?({_NUMBER}) § (?=[A-ZÅÄÖ])"
)
_REPEALED = re.compile(r"^[Hh]ar upphävts genom")
_LIST_ITEM = re.compile(r"^(?:\d+[.]|[a-z][)]|-) ")


def order(number: str) -> tuple[int, str]:
    """"5 a" sorts after "5" and before "6"."""
    digits, _, letter = number.partition(" ")
    return int(digits), letter


@dataclass
class Section:
    """One section of a statute, with its text and (in SFST copies) its stycken."""

    chapter: str | None
    number: str
    blocks: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return normal(" ".join(self._without_headings()))

    def _without_headings(self) -> list[str]:
        """The blocks without the headings of what follows, which an SFST copy prints
        after a section's last stycke (a block that does not end a sentence)."""
        blocks = list(self.blocks)
        while len(blocks) > 1 and not re.search(r"[.:;,)]$", blocks[-1].strip()):
            blocks.pop()
        return blocks

    @property
    def repealed(self) -> bool:
        return bool(_REPEALED.match(self.text))

    def paragraphs(self) -> list[str]:
        """The stycken: blank-line blocks, a numbered point belonging to the stycke that
        introduces it. Only meaningful in the SFST layout (Statute.marks_paragraphs)."""
        found: list[str] = []
        for block in self._without_headings():
            text = normal(block)
            if found and _LIST_ITEM.match(text):
                found[-1] += " " + text
            elif text:
                found.append(text)
        return found


@dataclass
class Statute:
    """A statute's sections in the order of the text."""

    sfs: str
    title: str
    marks_paragraphs: bool
    sections: dict[tuple[str | None, str], Section] = field(default_factory=dict)

    def section(self, chapter: object, number: object) -> Section | None:
        key = (None if chapter in (None, "") else str(chapter), str(number))
        return self.sections.get(key)

    def chapters(self) -> dict[str | None, list[str]]:
        found: dict[str | None, list[str]] = {}
        for chapter, number in self.sections:
            found.setdefault(chapter, []).append(number)
        return found


def normal(text: str) -> str:
    """Whitespace collapsed, so a quote matches across the copy's line breaks."""
    return re.sub(r"\s+", " ", text).strip()


def parse(sfs: str, text: str) -> Statute:
    """A statute text in either layout, read into sections."""
    lines = text.splitlines()
    sfst = not any(line.startswith("Förbehåll:") for line in lines[:6])
    statute = Statute(sfs, lines[0].strip() if lines else sfs, marks_paragraphs=sfst)
    body = _body(lines)
    sections = _sfst(body) if sfst else _riksdag(body)
    for section in sections:
        statute.sections.setdefault((section.chapter, section.number), section)
    return statute


def _body(lines: list[str]) -> list[str]:
    """The lines after the copy's header (up to the first blank line), without the
    transitional provisions at the end."""
    start = lines.index("") if "" in lines else 0
    body = lines[start:]
    for index, line in enumerate(body):
        if line.strip() == "Övergångsbestämmelser":
            return body[:index]
    return body


def _later(number: str, last: str | None) -> bool:
    return last is None or order(number) > order(last)


def _sfst(lines: list[str]) -> Iterator[Section]:
    chapter: str | None = None
    last: str | None = None
    current: Section | None = None
    blank = True
    for raw in lines:
        line = raw.strip()
        if re.fullmatch(r"/.*/", line):  # "/Kapitlet träder i kraft I:2026-01-01/"
            blank = True
            continue
        heading = _SFST_CHAPTER.match(line) if blank else None
        start = _SFST_SECTION.match(line) if blank else None
        if heading and (chapter is None or order(heading[1]) > order(chapter)):
            if current:
                yield current
            chapter, last, current = heading[1], None, None
        elif start and _later(start[1], last):
            if current:
                yield current
            last = start[1]
            current = Section(chapter, last, [line[start.end():]])
        elif current and line:
            if blank:
                current.blocks.append(line)
            else:
                current.blocks[-1] += "\n" + line
        blank = not line
    if current:
        yield current


def _riksdag(lines: list[str]) -> Iterator[Section]:
    seen: set[tuple[str | None, str]] = set()
    current: Section | None = None
    for raw in lines:
        line = raw.strip()
        header = _RIKSDAG_HEADER.match(line)
        if header:
            if current:
                yield from _split_inline(current, seen)
            current = Section(header[1], header[2], [header[3].strip()])
        elif current and line:
            current.blocks.append(line)
    if current:
        yield from _split_inline(current, seen)


def _split_inline(section: Section, seen: set[tuple[str | None, str]]) -> Iterator[Section]:
    """A riksdagen line that runs several sections (or a new chapter) together, split
    where a later section number is followed by a capitalised word."""
    text = " ".join(b for b in section.blocks if b)
    chapter, number, start = section.chapter, section.number, 0
    if re.match(r"[a-zåäö§,]", text):  # the header stands over the cut end of another
        number = max((n for c, n in seen if c == chapter and _later(section.number, n)),
                     key=order, default=number)
    for match in _INLINE.finditer(text):
        new_chapter = match[1] or chapter
        if match[1] and not (chapter is None or order(match[1]) > order(chapter)):
            continue
        if not match[1] and not _later(match[2], number):
            continue
        if (new_chapter, match[2]) in seen:
            continue
        yield from _once(Section(chapter, number, [text[start:match.start()]]), seen)
        chapter, number, start = new_chapter, match[2], match.end()
    yield from _once(Section(chapter, number, [text[start:]]), seen)


def _once(section: Section, seen: set[tuple[str | None, str]]) -> Iterator[Section]:
    if (section.chapter, section.number) not in seen:
        seen.add((section.chapter, section.number))
        yield section


# --- where the texts are ---------------------------------------------------------------


def law_dir() -> Path | None:
    """The statute texts: $AVTAL_LAGTEXT, else ../shared/law seen from the checkout
    (or from a folder above it, for a git worktree); None when neither is there."""
    given = os.environ.get(LAW_DIR_VARIABLE)
    if given:
        return Path(given) if Path(given).is_dir() else None
    root = Path(__file__).resolve().parent.parent
    for base in root.parents:
        if (base / "shared" / "law").is_dir():
            return base / "shared" / "law"
    return None


@cache
def statute(sfs: str) -> Statute | None:
    """A statute read from its text, or None when the text (or the folder) is not here."""
    folder = law_dir()
    name = FILES.get(sfs)
    if folder is None or name is None or not (folder / name).is_file():
        return None
    return parse(sfs, (folder / name).read_text(encoding="utf-8"))


# --- the shipped index -----------------------------------------------------------------


def index_text(statutes: list[Statute]) -> str:
    """The index file: per law, each chapter with its sections in force; then, for each
    provision of the law registry with subject words (laws.yaml's terms), the sections
    whose text holds them all (where the subject is spoken of: LAGRUM-AMNE then takes a
    citation of any of them as meant)."""
    out = [
        "# Genererad av `python -m generator.statute --index` från lagtexterna i",
        "# ../shared/law/ (se deras README). Ändra inte för hand: kör kommandot igen.",
        "# Per lag (SFS-nummer): kapitel -> paragrafer som finns och inte är upphävda",
        "# (kapitel ~ för en lag utan kapitel). complete: false betyder att kopian kan",
        "# sakna paragrafer (riksdagen.se-kopia som ibland kortar av texten).",
        "laws:",
    ]
    for found in statutes:
        out += [f'  "{found.sfs}":', f"    title: {found.title}",
                f"    complete: {'true' if found.marks_paragraphs else 'false'}",
                "    chapters:"]
        for chapter, numbers in found.chapters().items():
            kept = [n for n in numbers if not found.sections[(chapter, n)].repealed]
            if kept:
                key = "~" if chapter is None else f'"{chapter}"'
                out.append(f"      {key}: [{', '.join(repr(n) for n in kept)}]")
    out.append("subjects:")
    by_sfs = {law.sfs: law for law in statutes}
    for provision in laws.provisions().values():
        text = by_sfs.get(provision.sfs or "")
        if text is not None and provision.terms:
            places = ", ".join(repr(p) for p in _speaking_of(text, provision))
            out.append(f"  {provision.id}: [{places}]")
    return "\n".join(out).replace("'", '"') + "\n"


def _speaking_of(text: Statute, provision: laws.Provision) -> list[str]:
    """The places ("kapitel:paragraf") of the sections in force that hold every term of
    the provision's subject, or cite the provision by its number (35 kap. 1 § SoL, on
    appeals, names "12 kap. 1 §" for the ekonomiskt bistånd it speaks of)."""
    words = [t.casefold() for t in provision.terms]
    number = (f"{provision.chapter} kap. {provision.section} §" if provision.chapter
              else f"{provision.section} §")

    def speaks(section: Section) -> bool:
        said = " ".join(section.text.casefold().split())
        return all(w in said for w in words) or (
            provision.section is not None and re.search(rf"(?<!\d){re.escape(number)}", said)
            is not None)

    return [f"{c}:{n}" if c is not None else n for (c, n), section in text.sections.items()
            if not section.repealed and speaks(section)]


@dataclass(frozen=True)
class Known:
    """What the index says about one law."""

    title: str
    complete: bool
    chapters: dict[str | None, frozenset[str]]


@cache
def index() -> dict[str, Known]:
    """The shipped index of chapters and sections, by SFS number."""
    return _from_index(lambda data: {
        str(sfs): Known(
            str(row["title"]),
            bool(row["complete"]),
            {None if c is None else str(c): frozenset(map(str, s))
             for c, s in row["chapters"].items()},
        )
        for sfs, row in data["laws"].items()
    })


@cache
def subjects() -> dict[str, frozenset[str]]:
    """Per provision id with subject words, the places ("kapitel:paragraf") whose text
    holds them all (see index_text)."""
    return _from_index(lambda data: {
        str(key): frozenset(map(str, places))
        for key, places in (data.get("subjects") or {}).items()
    })


_T = TypeVar("_T")


def _from_index(read: Callable[[dict[str, Any]], _T]) -> _T:
    """What `read` takes from the shipped index, or an installation problem if the index
    is missing or not what it should be."""
    try:
        return read(_index_data())
    except (OSError, KeyError, TypeError, AttributeError, yaml.YAMLError) as err:
        raise EnvironmentProblem(
            f"lagrumsindexet {INDEX_FILE} saknas eller är felaktigt ({err}); installera om avtal"
        ) from err


@cache
def _index_data() -> dict[str, Any]:
    """The shipped index as parsed, read once."""
    text = resources.files("generator").joinpath("data/lagrum-index.yaml").read_text("utf-8")
    data: dict[str, Any] = parse_data(text)
    return data


def main(argv: list[str]) -> int:
    """`python -m generator.statute --index`: print the index from the texts."""
    folder = law_dir()
    if argv != ["--index"] or folder is None:
        print("användning: python -m generator.statute --index > " + INDEX_FILE
              + f" (lagtexterna i ../shared/law eller ${LAW_DIR_VARIABLE})", file=sys.stderr)
        return 2
    found = [statute(sfs) for sfs in FILES]
    sys.stdout.write(index_text([s for s in found if s is not None]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
