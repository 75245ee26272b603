"""Two rendered Markdown documents -> one Markdown document with tracked changes.

Changed words are wrapped in Pandoc `insertion`/`deletion` spans, which pandoc turns
into Word revisions (w:ins/w:del) and our Lua filter into coloured marks in the PDF.
Structure (headings, list markers, table pipes, div fences, metadata) is never wrapped.
A table is compared row by row and cell by cell; a table whose columns changed is
deleted and inserted whole. The title in the metadata is marked like any paragraph.

Each change carries an author and a date: by default one pair for all, or, given an
`Attribution`, the pair of the version that made each line as it is.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .render import yaml_string

_PREFIX = re.compile(r"^(\s*(?:#+ |- |\d+\. |\|\s?)?)")
_STRUCTURE = {"|", "-", ":::", "\\"}
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_TITLE = re.compile(r"^title: (.*)$", re.M)


@dataclass(frozen=True)
class Attribution:
    """Who made each line: the attrs of the version that wrote each line of the new
    body, of the version that removed each line of the old body, and of the version
    that last changed the title."""

    new: tuple[str, ...]
    old: tuple[str, ...]
    title: str


def attribute(versions: Sequence[tuple[str, str]], default: str) -> Attribution:
    """Blame, line by line, across versions: `versions` is the old document (its attrs
    unused) and then each later version with the attrs of the change that made it."""
    bodies = [_split(markdown)[1].splitlines() for markdown, _ in versions]
    titles = [_TITLE.search(_split(markdown)[0]) for markdown, _ in versions]
    current = [default] * len(bodies[0])
    alive: list[int | None] = list(range(len(bodies[0])))  # old line -> line now
    removed = [default] * len(bodies[0])
    title = default
    for k in range(1, len(bodies)):
        attrs = versions[k][1]
        moved, current = _carry(bodies[k - 1], bodies[k], current, attrs)
        for line, now in enumerate(alive):
            if now is not None and now not in moved:
                removed[line] = attrs
            alive[line] = moved.get(now) if now is not None else None
        before, after = titles[k - 1], titles[k]
        if (before and before.group(1)) != (after and after.group(1)):
            title = attrs
    return Attribution(tuple(current), tuple(removed), title)


def _carry(
    prev: list[str], nxt: list[str], marks: list[str], attrs: str
) -> tuple[dict[int, int], list[str]]:
    """Unchanged lines keep their marks (and say where they went); the rest get attrs."""
    moved: dict[int, int] = {}
    out = [attrs] * len(nxt)
    matcher = difflib.SequenceMatcher(a=prev, b=nxt, autojunk=False)
    for op, i1, i2, j1, _ in matcher.get_opcodes():
        if op == "equal":
            for offset in range(i2 - i1):
                moved[i1 + offset] = j1 + offset
                out[j1 + offset] = marks[i1 + offset]
    return moved, out


def attrs_for(author: str, date: str) -> str:
    """Span attributes naming a change's author and date."""
    return f'author="{_attr(author)}" date="{_attr(date)}"'


def redline(
    old: str,
    new: str,
    *,
    author: str,
    date: str,
    note: str = "",
    attribution: Attribution | None = None,
) -> str:
    """The new document with the differences from the old one marked as revisions;
    `note` (e.g. "Jämförelse 1.0 → 1.1") replaces the status in the footer."""
    default = attrs_for(author, date)
    old_meta, old_body = _split(old)
    new_meta, new_body = _split(new)
    a, b = old_body.splitlines(), new_body.splitlines()
    marks = _Marks(default, attribution, len(a), len(b))
    new_meta = _marked_title(old_meta, new_meta, marks.title())
    if note:
        new_meta = re.sub(
            r"^footer-right: .*$",
            lambda _: f"footer-right: {yaml_string(note)}",
            new_meta,
            flags=re.M,
        )
    return new_meta + "\n".join(_body(a, b, marks)) + "\n"


class _Marks:
    """The span attributes of a line of the old or new body."""

    def __init__(self, default: str, given: Attribution | None, old: int, new: int) -> None:
        self.default = default
        ok = given is not None and len(given.old) == old and len(given.new) == new
        self.given = given if ok else None

    def old(self, index: int) -> str:
        return self.given.old[index] if self.given else self.default

    def new(self, index: int) -> str:
        return self.given.new[index] if self.given else self.default

    def title(self) -> str:
        return self.given.title if self.given else self.default


def _marked_title(old_meta: str, new_meta: str, attrs: str) -> str:
    """The new metadata with a changed title marked word by word."""
    before, after = _TITLE.search(old_meta), _TITLE.search(new_meta)
    if not before or not after or before.group(1) == after.group(1):
        return new_meta
    old_title, new_title = json.loads(before.group(1)), json.loads(after.group(1))
    marked = _words(old_title.split(" "), new_title.split(" "), attrs, attrs)
    # The value is already Markdown: quote it for YAML without escaping it again.
    quoted = json.dumps(marked, ensure_ascii=False)
    return new_meta[: after.start(1)] + quoted + new_meta[after.end(1) :]


_OPEN = re.compile(r"^:::+ *\S")


def _is_close(line: str) -> bool:
    return line.strip() == ":::"


def _units(lines: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    """Lines start..end as units: a table (a run of `|` lines) is one, a div with no div
    inside it (a signature block) is one, every other line is one."""
    units: list[tuple[int, int]] = []
    index = start
    while index < end:
        stop = index + 1
        if lines[index].startswith("|"):
            while stop < end and lines[stop].startswith("|"):
                stop += 1
        elif _OPEN.match(lines[index]):
            probe = index + 1
            while probe < end and not _OPEN.match(lines[probe]) and not _is_close(lines[probe]):
                probe += 1
            if probe < end and _is_close(lines[probe]):
                stop = probe + 1
        units.append((index, stop))
        index = stop
    return units


def _body(
    a: list[str],
    b: list[str],
    marks: _Marks,
    old: tuple[int, int] | None = None,
    new: tuple[int, int] | None = None,
) -> list[str]:
    old_units = _units(a, *(old or (0, len(a))))
    new_units = _units(b, *(new or (0, len(b))))
    keys_a = ["\n".join(a[i:j]) for i, j in old_units]
    keys_b = ["\n".join(b[i:j]) for i, j in new_units]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(keys_b[j1:j2])
            continue
        olds, news = old_units[i1:i2], new_units[j1:j2]
        if op == "replace" and len(olds) == len(news):
            for (oi, oj), (ni, nj) in zip(olds, news, strict=True):
                out.extend(_unit_pair(a, (oi, oj), b, (ni, nj), marks))
            continue
        for oi, oj in olds:
            out.extend(_whole_unit(a, oi, oj, "deletion", marks.old))
        for ni, nj in news:
            out.extend(_whole_unit(b, ni, nj, "insertion", marks.new))
    return out


def _is_table(lines: Sequence[str], start: int, end: int) -> bool:
    return end - start >= 2 and lines[start].startswith("|")


def _is_div(lines: Sequence[str], start: int, end: int) -> bool:
    return end - start >= 2 and bool(_OPEN.match(lines[start])) and _is_close(lines[end - 1])


def _unit_pair(
    a: list[str], old: tuple[int, int], b: list[str], new: tuple[int, int], marks: _Marks
) -> list[str]:
    """A changed unit: a table against a table, a div against a div (line by line
    inside), else a line against a line."""
    old_table, new_table = _is_table(a, *old), _is_table(b, *new)
    if old_table and new_table:
        return _table_pair(a, old, b, new, marks)
    if _is_div(a, *old) and _is_div(b, *new):
        inner = _body(a, b, marks, (old[0] + 1, old[1] - 1), (new[0] + 1, new[1] - 1))
        return [b[new[0]], *inner, b[new[1] - 1]]
    if old_table or new_table or old[1] - old[0] != 1 or new[1] - new[0] != 1:
        return [
            *_whole_unit(a, *old, "deletion", marks.old),
            *([""] if old_table or new_table else []),
            *_whole_unit(b, *new, "insertion", marks.new),
        ]
    return [_line_pair(a[old[0]], b[new[0]], marks.old(old[0]), marks.new(new[0]))]


def _whole_unit(
    lines: list[str], start: int, end: int, kind: str, attrs_of: Callable[[int], str]
) -> list[str]:
    if _is_table(lines, start, end):
        return [_whole_row(lines[i], kind, attrs_of(i)) if i != start + 1 else lines[i]
                for i in range(start, end)]  # fmt: skip
    if _is_div(lines, start, end):
        # A deleted div (a signature block) keeps its fences: its words stay in place.
        inner = [_whole(lines[i], kind, attrs_of(i)) for i in range(start + 1, end - 1)]
        return [lines[start], *inner, lines[end - 1]]
    return [_whole(lines[i], kind, attrs_of(i)) for i in range(start, end)]


# --------------------------------------------------------------------------- tables


def _cells(row: str) -> list[str]:
    """The cells of a pipe-table row, without the outer pipes."""
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip() for cell in _CELL_SPLIT.split(inner)]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _whole_row(row: str, kind: str, attrs: str) -> str:
    return _row([_span(cell, kind, attrs) if cell else cell for cell in _cells(row)])


def _table_pair(
    a: list[str], old: tuple[int, int], b: list[str], new: tuple[int, int], marks: _Marks
) -> list[str]:
    """Two versions of a table, row by row and cell by cell; a table whose columns
    changed is deleted and inserted whole."""
    old_rows, new_rows = a[old[0] : old[1]], b[new[0] : new[1]]
    if len(_cells(old_rows[0])) != len(_cells(new_rows[0])):
        return [
            *_whole_unit(a, *old, "deletion", marks.old),
            "",
            *_whole_unit(b, *new, "insertion", marks.new),
        ]
    out = [_cell_pair(old_rows[0], new_rows[0], marks.old(old[0]), marks.new(new[0])),
           new_rows[1]]  # fmt: skip
    body_a = list(range(old[0] + 2, old[1]))
    body_b = list(range(new[0] + 2, new[1]))
    keys_a = [_cells(a[i])[0] for i in body_a]
    keys_b = [_cells(b[j])[0] for j in body_b]
    matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(body_a[i1:i2], body_b[j1:j2], strict=True):
                out.append(_cell_pair(a[i], b[j], marks.old(i), marks.new(j)))
            continue
        out += [_whole_row(a[i], "deletion", marks.old(i)) for i in body_a[i1:i2]]
        out += [_whole_row(b[j], "insertion", marks.new(j)) for j in body_b[j1:j2]]
    return out


def _cell_pair(old: str, new: str, old_attrs: str, new_attrs: str) -> str:
    pairs = zip(_cells(old), _cells(new), strict=True)
    return _row([_words(x.split(" "), y.split(" "), old_attrs, new_attrs) for x, y in pairs])


# --------------------------------------------------------------------------- lines


def _attr(text: str) -> str:
    return text.replace("\\", "").replace('"', "'")


def _split(markdown: str) -> tuple[str, str]:
    """Metadata block (kept from the new version as it is) and body."""
    if markdown.startswith("---\n"):
        end = markdown.index("\n---\n", 4) + 5
        return markdown[:end], markdown[end:]
    return "", markdown


def _structural(line: str) -> bool:
    return not line.strip() or line.startswith(":::") or set(line.strip()) <= set("|:- ")


def _span(text: str, kind: str, attrs: str) -> str:
    return f"[{text}]{{.{kind} {attrs}}}"


def _whole(line: str, kind: str, attrs: str) -> str:
    if _structural(line):
        return line if kind == "insertion" else ""
    prefix = _PREFIX.match(line)
    head = prefix.group(1) if prefix else ""
    return head + _wrap(line[len(head) :].split(" "), kind, attrs)


def _wrap(words: list[str], kind: str, attrs: str) -> str:
    """Wrap words in a span, leaving table pipes outside so cells stay cells."""
    parts: list[str] = []
    run: list[str] = []
    for word in [*words, "|"]:
        if word in _STRUCTURE:
            if run:
                parts.append(_span(" ".join(run), kind, attrs))
                run = []
            parts.append(word)
        elif word.endswith("\\") and not word.endswith("\\\\"):
            run.append(word[:-1])  # a hard line break must stay outside the span
            parts.append(_span(" ".join(run), kind, attrs) + "\\")
            run = []
        elif word:
            run.append(word)
    return " ".join(parts[:-1])


def _line_pair(old: str, new: str, old_attrs: str, new_attrs: str) -> str:
    if _structural(new) or _structural(old):
        return new
    prefix = _PREFIX.match(new)
    head = prefix.group(1) if prefix else ""
    old_head = _PREFIX.match(old)
    a = old[len(old_head.group(1) if old_head else "") :].split(" ")
    b = new[len(head) :].split(" ")
    return head + _words(a, b, old_attrs, new_attrs)


def _words(a: list[str], b: list[str], old_attrs: str, new_attrs: str) -> str:
    """The new words with the deleted and inserted ones wrapped in revision spans."""
    pieces: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(" ".join(b[j1:j2]))
            continue
        # Deletion and insertion touch, so that accepting or rejecting leaves one space.
        deleted = _wrap(a[i1:i2], "deletion", old_attrs) if i2 > i1 else ""
        inserted = _wrap(b[j1:j2], "insertion", new_attrs) if j2 > j1 else ""
        pieces.append(deleted + inserted)
    return " ".join(p for p in pieces if p)
