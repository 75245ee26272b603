"""Personnummer in any spelling, in every text avtal reads.

Specs, their comments, party files, avtal.toml, file names, team templates and git
author names all reach documents, redlines, logs or pull-request comments. Each text
is first read as a reader would see it once rendered (`scan_form`): HTML entities and
Markdown escapes resolved, tags and HTML comments dropped, compatibility forms folded
(full-width and other scripts' digits), invisible format characters (zero-width
space, soft hyphen, bidi controls) dropped, every dash a hyphen and every space a
space. Then digits are read in runs, with spaces, line breaks and emphasis marks
between them, and one hard separator (- + . / _ :).

A run is a personnummer (or samordningsnummer, day + 60) when its ten or twelve
digits are shaped as one is written: YYMMDD or YYYYMMDD, then the last four, split
where a person would split them (before the last four, between the pairs of the date,
or between every digit), with a real month and day and a valid check digit. That
keeps phone numbers (08-508 252 94, 070-123 45 67), organisation numbers (their
month is 20 or more), dates, diarienummer and amounts out.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

HARD = "-+./_:"
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]{0,200}>", re.S)
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_RUN = re.compile(rf"\d+(?:[\s*`~]*(?:[{re.escape(HARD)}][\s*`~]*)?\d+)*")
_GROUP = re.compile(r"\d+")


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    """One non-ASCII character as the scan reads it."""
    kind = unicodedata.category(char)
    if kind == "Cf":
        return ""
    if kind == "Pd" or char == "\u2212":
        return "-"
    if kind == "Zs" or char in "\u2028\u2029\x85":
        return " "
    if kind == "Nd":
        return str(unicodedata.decimal(char))
    return char


def scan_form(text: str) -> str:
    """The text as the personnummer scan reads it (line breaks kept where they were)."""
    text = _TAG.sub(lambda m: "\n" * m.group().count("\n"), text)
    text = html.unescape(_MD_ESCAPE.sub(r"\1", text))
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    table = {ord(c): _fold(c) for c in set(text) if not c.isascii()}
    return text.translate(table)


@dataclass(frozen=True)
class Found:
    """Where a personnummer begins in a text: line and column of its scan form."""

    line: int
    column: int


def find(text: str) -> Iterator[Found]:
    """Each personnummer-like number in the text."""
    form = scan_form(text)
    for run in _RUN.finditer(form):
        start = _candidate(run.group())
        if start is not None:
            at = run.start() + start
            before = form[:at]
            yield Found(before.count("\n") + 1, at - before.rfind("\n"))


def has_personnummer(text: str) -> bool:
    """True when the text holds something that looks like a valid personnummer."""
    return next(find(text), None) is not None


def _candidate(run: str) -> int | None:
    """The offset in the run of the first group of a personnummer, or None."""
    groups = [(m.start(), m.group()) for m in _GROUP.finditer(run)]
    seps = [run[a[0] + len(a[1]) : b[0]] for a, b in pairwise(groups)]
    for first in range(len(groups)):
        if first and _hard(seps[first - 1]):
            continue  # part of a longer number (2025-121212-1212)
        digits = ""
        cuts: dict[int, bool] = {}
        for last in range(first, len(groups)):
            digits += groups[last][1]
            if len(digits) > 12:
                break
            after = seps[last] if last < len(seps) else ""
            if len(digits) in (10, 12) and not _hard(after) and _shaped(digits, cuts):
                return groups[first][0]
            if after.count("\n") > 1 or sum(after.count(c) for c in HARD) > 1:
                break  # a paragraph or two separators end the number
            cuts[len(digits)] = _hard(after)
    return None


def _hard(separator: str) -> bool:
    return any(c in HARD for c in separator)


def _shaped(digits: str, cuts: dict[int, bool]) -> bool:
    """True when ten or twelve digits, cut where `cuts` says (position -> hard), are
    written as a personnummer is and pass its checks."""
    size = len(digits)
    if size == 12 and digits[:2] not in ("19", "20"):
        return False
    split = size - 4
    hard = {at for at, is_hard in cuts.items() if is_hard}
    if hard - {split} or (split not in cuts and not (size == 12 and not cuts)):
        return False
    date_cuts = {at for at in cuts if at < split}
    tail_cuts = {at for at in cuts if at > split}
    pairs = set(range(2, split, 2))
    if not (date_cuts <= pairs or date_cuts == set(range(1, split))):
        return False
    if not (tail_cuts <= {split + 2} or tail_cuts == set(range(split + 1, size))):
        return False
    return _valid(digits[-10:])


def _valid(ten: str) -> bool:
    """A real month and day (samordningsnummer: day + 60) and the Luhn check digit."""
    month, day = int(ten[2:4]), int(ten[4:6])
    if day > 60:
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= 31 and luhn_ok(ten)


def luhn_ok(digits: str) -> bool:
    """True when a string of digits passes the Luhn (modulus 10) check."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
