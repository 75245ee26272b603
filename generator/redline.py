"""Two rendered Markdown documents -> one Markdown document with tracked changes.

Changed words are wrapped in Pandoc `insertion`/`deletion` spans, which pandoc turns
into Word revisions (w:ins/w:del) and our Lua filter into coloured marks in the PDF.
Structure (headings, list markers, table pipes, div fences, metadata) is never wrapped.
"""

from __future__ import annotations

import difflib
import re

from .render import yaml_string

_PREFIX = re.compile(r"^(\s*(?:#+ |- |\d+\. |\|\s?)?)")
_STRUCTURE = {"|", "-", ":::", "\\"}


def redline(old: str, new: str, *, author: str, date: str, note: str = "") -> str:
    """The new document with the differences from the old one marked as revisions;
    `note` (e.g. "Jämförelse 1.0 → 1.1") replaces the status in the footer."""
    attrs = f'author="{_attr(author)}" date="{_attr(date)}"'
    _, old_body = _split(old)
    new_meta, new_body = _split(new)
    if note:
        new_meta = re.sub(
            r"^footer-right: .*$",
            lambda _: f"footer-right: {yaml_string(note)}",
            new_meta,
            flags=re.M,
        )
    a, b = old_body.splitlines(), new_body.splitlines()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(b[j1:j2])
        elif op == "replace" and i2 - i1 == j2 - j1:
            out.extend(_line_pair(x, y, attrs) for x, y in zip(a[i1:i2], b[j1:j2], strict=True))
        else:
            out.extend(_whole(line, "deletion", attrs) for line in a[i1:i2])
            out.extend(_whole(line, "insertion", attrs) for line in b[j1:j2])
    return new_meta + "\n".join(out) + "\n"


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
                parts.append(f"[{' '.join(run)}]{{.{kind} {attrs}}}")
                run = []
            parts.append(word)
        elif word.endswith("\\") and not word.endswith("\\\\"):
            run.append(word[:-1])  # a hard line break must stay outside the span
            parts.append(f"[{' '.join(run)}]{{.{kind} {attrs}}}\\")
            run = []
        elif word:
            run.append(word)
    return " ".join(parts[:-1])


def _line_pair(old: str, new: str, attrs: str) -> str:
    if _structural(new) or _structural(old):
        return new
    prefix = _PREFIX.match(new)
    head = prefix.group(1) if prefix else ""
    old_head = _PREFIX.match(old)
    a = old[len(old_head.group(1) if old_head else "") :].split(" ")
    b = new[len(head) :].split(" ")
    pieces: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(" ".join(b[j1:j2]))
            continue
        # Deletion and insertion touch, so that accepting or rejecting leaves one space.
        deleted = _wrap(a[i1:i2], "deletion", attrs) if i2 > i1 else ""
        inserted = _wrap(b[j1:j2], "insertion", attrs) if j2 > j1 else ""
        pieces.append(deleted + inserted)
    return head + " ".join(p for p in pieces if p)
