"""Where each sentence of a document comes from: the spec fields read to write it.

While a document renders, a Recorder notes every spec value the templates read (its
JSON pointer; a field that is absent is noted apart). The templates' output carries
invisible marks, one before each piece of output: a mark holds the reads made since
the last one, and the conditions of the `{% if %}` and `{% for %}` blocks it stands in.
`split` takes the marks out again (the document is the same text as without them) and
gives each sentence of the Markdown the pointers read for it.

Marks are Unicode noncharacters (U+FDD0–U+FDEF), which a spec cannot hold (the loader
refuses them) and which no filter changes.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import json
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any

OPEN, CLOSE = "\ufdd0", "\ufdd1"
_DIGIT = 0xFDE0  # sixteen noncharacters U+FDE0–U+FDEF are the digits of a mark's number
MARK = re.compile("\ufdd0([\ufde0-\ufdef]+)\ufdd1")
MARKS = "\ufdd0-\ufdef"
# Absent fields are kept in the same list of reads, after this prefix.
_ABSENT = "\x00"
# The documents `avtal explain` can show, by the name of their kind.
EXPLAINED = ("avtal", "tjansteutlatande", "beslut")

_CURRENT: ContextVar[Recorder | None] = ContextVar("avtal_provenance", default=None)


class Mark(str):
    """A mark (or nothing) put into the output by the templates' provenance calls."""


_NOTHING = Mark("")


_HEX = "0123456789abcdef"
_TO_MARK = str.maketrans({h: chr(_DIGIT + i) for i, h in enumerate(_HEX)})
_FROM_MARK = str.maketrans({chr(_DIGIT + i): h for i, h in enumerate(_HEX)})


def _encode(number: int) -> str:
    return OPEN + format(number, "x").translate(_TO_MARK) + CLOSE


_ENCODED: list[Mark] = []  # mark number n is _ENCODED[n]: every document has marks 0, 1, …
_ENCODING = threading.Lock()


def _mark(number: int) -> Mark:
    if number >= len(_ENCODED):
        with _ENCODING:  # two renderings at once must not both add the next one
            while len(_ENCODED) <= number:
                _ENCODED.append(Mark(_encode(len(_ENCODED))))
    return _ENCODED[number]


def _decode(digits: str) -> int:
    return int(digits.translate(_FROM_MARK), 16)


@dataclass
class Recorder:
    """The reads of one rendering and the marks that place them in its output."""

    reads: list[str] = field(default_factory=list)
    cut: int = 0  # reads before this index are placed (or dropped)
    frames: list[tuple[str, ...]] = field(default_factory=list)  # open conditions
    used: int = 0  # the frames below this index are placed in some output
    blocks: list[list[Any]] = field(default_factory=list)  # [start, taken] per if/for
    marks: list[tuple[tuple[tuple[str, ...], ...], int, int]] = field(default_factory=list)
    _open: tuple[tuple[str, ...], ...] = ()  # the frames as a tuple, made once per change

    def read(self, pointer: str) -> None:
        self.reads.append(pointer)

    def absent(self, pointer: str) -> None:
        self.reads.append(_ABSENT + pointer)

    def mark(self) -> Mark:
        """A new mark for the output that follows: the reads since the last one."""
        self.marks.append((self._open, self.cut, len(self.reads)))
        self.cut = len(self.reads)
        self.used = len(self.frames)
        return _mark(len(self.marks) - 1)

    def marked(self, text: str) -> str:
        """Output text with a mark before its first visible character (none for blank
        text, whose reads go to the output after it)."""
        if text[:1].isalnum():  # most output starts with its first visible character
            return self.mark() + text
        stripped = text.lstrip()
        if not stripped:
            return text
        start = len(text) - len(stripped)
        return text[:start] + self.mark() + stripped

    def begin(self) -> None:
        """Before an `if` or `for` tag: its condition's reads start here."""
        self.blocks.append([len(self.reads), False])

    def then(self) -> None:
        """A branch (or loop round) starts: the reads since its block began (or since the
        last round) are its condition, which every output inside it rests on."""
        block = self.blocks[-1]
        start = max(block[0], self.cut)
        self.frames.append(tuple(self.reads[start:]))
        self._open = tuple(self.frames)
        del self.reads[start:]
        block[1] = True

    def end(self) -> None:
        """A branch (or loop round) ends; a condition no output used (a branch that only
        sets variables) goes to the output after it."""
        frame = self.frames.pop()
        self._open = tuple(self.frames)
        if len(self.frames) >= self.used:
            self.reads.extend(frame)
        self.used = min(self.used, len(self.frames))
        self.blocks[-1][0] = len(self.reads)

    def close(self) -> None:
        """After `endif`/`endfor`: the condition of a block none of whose branches ran
        is dropped, since nothing it governs was written."""
        start, taken = self.blocks.pop()
        if not taken:
            del self.reads[max(start, self.cut) :]


def current() -> Recorder | None:
    """The recorder of the rendering under way, if one records."""
    return _CURRENT.get()


def read(pointer: str) -> None:
    """Note a spec value read by a template (View does this for every value)."""
    recorder = _CURRENT.get()
    if recorder is not None:
        recorder.reads.append(pointer)


def absent(pointer: str) -> None:
    """Note a spec field a template asked for that is not there."""
    recorder = _CURRENT.get()
    if recorder is not None:
        recorder.reads.append(_ABSENT + pointer)


def read_all(pointers: Iterable[str]) -> None:
    """Note the fields a derived value (a date, a share) is computed from."""
    recorder = _CURRENT.get()
    if recorder is not None:
        recorder.reads.extend(pointers)


@contextlib.contextmanager
def recording(recorder: Recorder | None = None) -> Iterator[Recorder]:
    """Record reads and mark the output while the block runs."""
    recorder = recorder or Recorder()
    token = _CURRENT.set(recorder)
    try:
        yield recorder
    finally:
        _CURRENT.reset(token)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Reads in the block are not the document's (a cache filled on the side)."""
    token = _CURRENT.set(None)
    try:
        yield
    finally:
        _CURRENT.reset(token)


class Hook:
    """What the template extension writes as `{{ proveniens_… }}` around the output and
    the block tags: the output's finalize runs it (a name, not a call, costs less)."""

    __slots__ = ("action",)

    def __init__(self, method: str) -> None:
        self.action = getattr(Recorder, method)

    def run(self) -> Mark:
        recorder = _CURRENT.get()
        if recorder is None:
            return _NOTHING
        return self.action(recorder) or _NOTHING


HOOKS = {f"proveniens_{name}": Hook(name) for name in ("mark", "begin", "then", "end", "close")}


def support(*values: Any) -> Mark:
    """`kalla(…)` in a template: the spec fields it names (read as its arguments are
    reckoned) support the text that follows, which reads none itself ("Avtalet omfattar
    följande uppgifter:" before the list). It writes nothing."""
    return _NOTHING


def fields(pointers: Iterable[str]) -> Mark:
    """`kalla_falt(…)` in a template: the text that follows rests on these spec fields,
    named by their pointers (a value computed in code that knows where it came from).
    It writes nothing."""
    read_all(pointers)
    return _NOTHING


def strip(text: str) -> str:
    """The text without marks."""
    return MARK.sub("", text) if OPEN in text else text


def positions(text: str) -> tuple[str, list[int], list[int]]:
    """The text without marks, and where each mark stood in it (sorted) with its number."""
    pieces = MARK.split(text)  # text, mark digits, text, mark digits, …, text
    parts = pieces[0::2]
    numbers = [_decode(digits) for digits in pieces[1::2]]
    places = list(itertools.accumulate(len(part) for part in parts[:-1]))
    return "".join(parts), places, numbers


@dataclass(frozen=True)
class Sentence:
    """One sentence (or table row) of a document and the spec fields it rests on."""

    section: str
    text: str
    start: int  # its place in the document's Markdown
    end: int
    pointers: tuple[str, ...]  # fields present in the spec
    absent: tuple[str, ...] = ()  # fields read but not there (defaults)
    cells: tuple[tuple[int, int], ...] = ()  # a table row: each cell's place


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_FENCE = re.compile(r"^\s*:::")
# A sentence ends at . ! or ? (escaped or not, maybe closing emphasis or a bracket)
# followed by space and a capital letter.
_END = re.compile(r"(?<=[.!?])(?:\*{1,2}|\))?\s+(?=(?:\*{1,2})?[A-ZÅÄÖÉÜ])")
_UNESCAPE = re.compile(r"\\(.)")
_EMPHASIS = re.compile(r"(?<!\\)\*+")
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=16384)  # for every sentence of every document; most recur
def plain(markdown: str) -> str:
    """Markdown of one sentence as text: escapes, emphasis and line breaks removed."""
    text = _EMPHASIS.sub("", markdown)
    text = _UNESCAPE.sub(r"\1", text.replace("\\\n", " "))
    return _SPACE.sub(" ", text).strip()


def _lines(markdown: str) -> Iterator[tuple[int, str]]:
    """Each line (without its line end) with its place, after the metadata block."""
    offset = 0
    lines = markdown.splitlines(keepends=True)
    index = 0
    if lines and lines[0].strip() == "---":  # the metadata block, up to its closing line
        index = 1
        while index < len(lines) and lines[index].strip() not in ("---", "..."):
            index += 1
        index += 1
    offset = sum(len(line) for line in lines[:index])
    for line in lines[index:]:
        yield offset, line.rstrip("\n")
        offset += len(line)


def _units(markdown: str) -> Iterator[tuple[str, int, int, bool]]:
    """(section, start, end, is_table_row) of every paragraph, list item and table row
    outside the metadata block; headings set the section."""
    section = ""
    start = end = -1
    for here, body in _lines(markdown):
        content = body.strip()
        heading = _HEADING.match(body)
        breaks = not content or heading or _FENCE.match(body) or content.startswith("|")
        if start >= 0 and (breaks or _ITEM.match(body)):
            yield section, start, end, False
            start = -1
        if heading:
            section = plain(heading.group(2))
        elif content.startswith("|") and not _RULE.match(content):
            yield section, here + len(body) - len(body.lstrip()), here + len(body), True
        elif not breaks:
            if start < 0:
                start = here + len(body) - len(body.lstrip())
            end = here + len(body)
    if start >= 0:
        yield section, start, end, False


def _cells(markdown: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The places of a table row's cells (inside the pipes, trimmed)."""
    cells = []
    row = markdown[start:end]
    bounds = [i for i, ch in enumerate(row) if ch == "|" and (i == 0 or row[i - 1] != "\\")]
    for left, right in itertools.pairwise(bounds):
        cell = row[left + 1 : right]
        if cell.strip():
            lead = len(cell) - len(cell.lstrip())
            cells.append((start + left + 1 + lead, start + left + 1 + len(cell.rstrip())))
    return tuple(cells)


def _sentences(markdown: str) -> Iterator[tuple[str, int, int, tuple[tuple[int, int], ...]]]:
    for section, start, end, row in _units(markdown):
        if row:
            cells = _cells(markdown, start, end)
            if cells:
                yield section, start, end, cells
            continue
        unit = markdown[start:end]
        item = _ITEM.match(unit)
        first = item.end() if item else 0
        for found in _END.finditer(unit, first):
            if unit[first : found.start()].strip():
                yield section, start + first, start + found.start(), ()
            first = found.end()
        if unit[first:].strip():
            yield section, start + first, end, ()


def _marks_in(places: Sequence[int], start: int, end: int) -> range:
    """The marks whose output overlaps [start, end): those inside it and the one whose
    output runs into its start."""
    low = bisect.bisect_left(places, start)
    high = bisect.bisect_left(places, end)
    if (low == len(places) or places[low] != start) and low > 0:
        low -= 1
    return range(low, high)


def split(marked: str, recorder: Recorder | None) -> tuple[str, tuple[Sentence, ...]]:
    """The document without marks, and its sentences with the fields each rests on."""
    text, places, numbers = positions(marked)
    if recorder is None:
        return text, ()
    found: list[Sentence] = []
    conditions: dict[int, dict[str, None]] = {}  # the reads of each mark's open frames
    for section, start, end, cells in _sentences(text):
        reads: dict[str, None] = {}
        for index in _marks_in(places, start, end):
            frames, low, high = recorder.marks[numbers[index]]
            if frames:
                reads.update(_conditions(frames, conditions))
            reads.update(dict.fromkeys(recorder.reads[low:high]))
        present = tuple(p for p in reads if not p.startswith(_ABSENT))
        missing = tuple(p[1:] for p in reads if p.startswith(_ABSENT) and p[1:] not in reads)
        shown = " | ".join(plain(text[a:b]) for a, b in cells) if cells else plain(text[start:end])
        if shown:
            found.append(Sentence(section, shown, start, end, present, missing, cells))
    return text, tuple(found)


def _conditions(
    frames: tuple[tuple[str, ...], ...], made: dict[int, dict[str, None]]
) -> dict[str, None]:
    """The reads of the open frames, in order, made once for each tuple of frames (the
    marks made while the same conditions are open share it)."""
    reads = made.get(id(frames))
    if reads is None:
        reads = made[id(frames)] = dict.fromkeys(itertools.chain.from_iterable(frames))
    return reads


def records(sentences: Sequence[Sentence], locate: Any) -> list[dict[str, Any]]:
    """The sentences as the provenance file and `avtal explain --format json` give them:
    section, sentence, pointers (present fields, in spec order) with file and line, and
    the absent fields the sentence read."""
    out = []
    made: dict[str, dict[str, Any]] = {}  # each field's source, made once
    for sentence in sentences:
        sources = [_source(p, locate, made) for p in leaves(sentence.pointers)]
        sources.sort(key=_in_file_order)
        out.append(
            {
                "section": sentence.section,
                "sentence": sentence.text,
                "pointers": [s["pointer"] for s in sources],
                "sources": sources,
                "absent": sorted(sentence.absent),
            }
        )
    return out


def leaves(pointers: Iterable[str]) -> list[str]:
    """The pointers without those whose field holds another of them (a list whose item
    was read says no more than the item)."""
    ordered = sorted(set(pointers))
    return [
        p for i, p in enumerate(ordered)
        if not (i + 1 < len(ordered) and ordered[i + 1].startswith(p + "/"))
    ]


def _source(pointer: str, locate: Any, made: dict[str, dict[str, Any]]) -> dict[str, Any]:
    source = made.get(pointer)
    if source is None:
        where = locate(pointer)
        source = made[pointer] = {"pointer": pointer, "file": where.file, "line": where.line}
    return source


def _in_file_order(source: dict[str, Any]) -> tuple[Any, ...]:
    return source["file"], source["line"], source["pointer"]


def note(record: dict[str, Any]) -> str:
    """One sentence's sources in a line: `/term/start (specs/x.yaml:12), …`."""
    shown = [f"{s['pointer']} ({s['file']}:{s['line']})" for s in record["sources"]]
    if record["absent"]:
        shown.append("saknas: " + ", ".join(record["absent"]))
    return "; ".join(shown) or "ingen uppgift i specifikationen"


def notes(sentences: Sequence[Sentence], locate: Any) -> list[str]:
    """Each sentence's note (see note)."""
    return [note(record) for record in records(sentences, locate)]


def text(document: str, found: Sequence[dict[str, Any]]) -> str:
    """A document's sentences as `avtal explain` prints them: each under its section,
    with the spec fields and lines below it."""
    lines = [f"===== {document} ====="]
    section = None
    for record in found:
        if record["section"] != section:
            section = record["section"]
            lines.append(f"\n{section}" if section else "")
        lines.append(f"  {record['sentence']}")
        for source in record["sources"]:
            lines.append(f"      {source['file']}:{source['line']}  {source['pointer']}")
        if record["absent"]:
            lines.append(f"      saknas i specifikationen: {', '.join(record['absent'])}")
        if not record["sources"]:
            lines.append("      (ingen uppgift i specifikationen)")
    return "\n".join(lines)


def to_json(sentences: Sequence[Sentence], locate: Any) -> bytes:
    """The provenance file of a document (deterministic)."""
    return (records_json(records(sentences, locate)) + "\n").encode()


def records_json(found: Sequence[dict[str, Any]]) -> str:
    """`json.dumps(found, indent=2, ensure_ascii=False)` of records as `records` makes
    them, character for character, in a fraction of its time (its indented form is pure
    Python): the records' shape is known, each string goes straight to the C encoder,
    and each source's lines are made once (a hub's documents share most of theirs)."""
    if not found:
        return "[]"
    return "[\n" + ",\n".join([_record_json(record) for record in found]) + "\n]"


def _record_json(record: dict[str, Any]) -> str:
    sources = [_source_json(s["pointer"], s["file"], s["line"]) for s in record["sources"]]
    return (
        f'  {{\n    "section": {_value(record["section"])},'
        f'\n    "sentence": {_value(record["sentence"])},'
        f'\n    "pointers": {_listed([_INDENT + _value(p) for p in record["pointers"]])},'
        f'\n    "sources": {_listed(sources)},'
        f'\n    "absent": {_listed([_INDENT + _value(p) for p in record["absent"]])}\n  }}'
    )


_INDENT = " " * 6  # an item of a record's list


def _listed(items: list[str]) -> str:
    """A list of items made at the depth of a record's fields."""
    return "[\n" + ",\n".join(items) + "\n    ]" if items else "[]"


@functools.lru_cache(maxsize=65536)
def _source_json(pointer: str, file: Any, line: Any) -> str:
    return (
        f'      {{\n        "pointer": {_value(pointer)},\n        "file": {_value(file)},'
        f'\n        "line": {_value(line)}\n      }}'
    )


_SCALAR = json.JSONEncoder(ensure_ascii=False).encode


def _value(value: Any) -> str:
    return encode_basestring(value) if type(value) is str else _SCALAR(value)


def annotate(markdown: str, sentences: Sequence[Sentence], notes: Sequence[str]) -> str:
    """The Markdown with each sentence in a span whose title is its note (the spec
    fields and lines it comes from), for the HTML page; a sentence whose Markdown would
    not stay whole in a span (emphasis or a link across its ends) is left as it is."""
    edits: list[tuple[int, int, str]] = []
    for sentence, note in zip(sentences, notes, strict=True):
        places = sentence.cells or ((sentence.start, sentence.end),)
        for start, end in places:
            if _whole(markdown[start:end]):
                edits.append((start, end, note))
    parts: list[str] = []
    last = 0
    for start, end, note in sorted(edits):
        if start < last:
            continue
        title = note.replace("\\", "/").replace('"', "'")
        parts.append(markdown[last:start])
        parts.append(f'[{markdown[start:end]}]{{.kalla title="{title}"}}')
        last = end
    parts.append(markdown[last:])
    return "".join(parts)


def _whole(markdown: str) -> bool:
    """True when the Markdown can stand inside a bracketed span as it is."""
    unescaped = re.sub(r"\\.", "", markdown)
    if any(ch in unescaped for ch in "[]`<>"):
        return False
    return len(_EMPHASIS.findall(unescaped)) % 2 == 0 and unescaped.count("*") % 2 == 0
