"""No-break spaces where a line must not break: in references to statutes ("9 kap. 37 §
andra stycket", "§ 8"), telephone numbers, amounts, postcodes.

Applied to every rendered template (render.render), so the Markdown and every format
made from it (PDF, DOCX, HTML) get the same text, whether a reference comes from a
template, a filter such as lagrum() or a spec's own text. Works on Pandoc Markdown as the
templates write it: punctuation from spec text is escaped with a backslash (`kap\\.`,
`011\\-15`). Headings are left as they are (their "§ N" is read back by pipeline).
The provenance marks (provenance.py, invisible noncharacters) may stand between the
words and stay where they are.
"""

from __future__ import annotations

import re
from functools import lru_cache

NBSP = "\u00a0"
_ORDINALS = "första|andra|tredje|fjärde|femte|sjätte|sjunde|åttonde|nionde|tionde"
_DOT = r"\\?\."
_DASH = r"\\?-"
_LETTER = r"(?: [a-z](?!\w))?"  # 8 a §, 2 a kap.
# Each pattern matches a span whose ordinary spaces all become no-break spaces; a space
# in a pattern also takes the provenance marks around it.
_MARKS = "[\ufdd0-\ufdef]*"
_PATTERNS = tuple(re.compile(p.pattern.replace(" ", f"{_MARKS} {_MARKS}")) for p in (
    # 9 kap. 37 §, 2 a kap. 1 §, 37 och 38 §§ (the last number with its sign), 8 a §
    re.compile(rf"\b\d+{_LETTER} kap{_DOT}(?: \d+{_LETTER}(?: §§?)?)?"),
    re.compile(rf"\b\d+{_LETTER} §§?"),
    # § 8 (a section of the agreement), § andra stycket
    re.compile(rf"§§? (?:\d+\b|(?:{_ORDINALS}) (?:stycket|styckena|punkten|meningen)\b)"),
    # 011-15 27 00, 08-123 456 78, +46 8 123 45 67, 070-123 45 67: starting with 0 or +
    re.compile(
        rf"(?<![\w\\])(?:\\?\+\d{{1,3}} |0)\d{{1,4}}(?:(?:{_DASH}| )\d{{1,4}}){{2,}}(?!\w)"
    ),
    # 26 400 000 kronor (thousands written with spaces), 123 45 Exempelby (a postcode)
    re.compile(r"(?<![\d,])\d{1,3}(?: \d{3})+(?![\d,])"),
    re.compile(r"(?<![\d,])\d{3} \d{2}(?= \w)"),
    # 40 kronor, 5 %, 3 kr
    re.compile(r"\b\d+ (?:kronor|kr\b|%|procent\b)"),
))


def bind(markdown: str) -> str:
    """Markdown with no-break spaces inside references, numbers and amounts."""
    lines = markdown.split("\n")
    return "\n".join(line if _heading(line) else _bind_line(line) for line in lines)


def _heading(line: str) -> bool:
    return line.lstrip("\ufdd0\ufdd1\ufde0\ufde1\ufde2\ufde3\ufde4\ufde5\ufde6\ufde7\ufde8"
                       "\ufde9\ufdea\ufdeb\ufdec\ufded\ufdee\ufdef").startswith("#")


# Every pattern above needs a digit or a section sign: a line with neither is left as it is.
_MAY_BIND = re.compile(r"[\d§]")


@lru_cache(maxsize=16384)  # a hub's documents share most of their lines
def _bind_line(line: str) -> str:
    if _MAY_BIND.search(line) is None:
        return line
    for pattern in _PATTERNS:
        line = pattern.sub(lambda m: m.group(0).replace(" ", NBSP), line)
    return line
