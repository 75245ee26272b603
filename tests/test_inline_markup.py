"""The warm converter leaves out the layout filter's pass over inline elements when the
Markdown can hold no link, image or span: when it has no `[`, no `<` and no YAML escape
that a metadata string could turn into either (templates/convert.lua, INLINE_MARKUP).
That is a claim about pandoc's reader as we call it (convert.MARKDOWN); these tests hold
the reader to it, show that the check they use finds what it looks for, and that a link
hidden in a YAML escape is still made harmless."""

from __future__ import annotations

import io
import json
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import convert

# Prints, for each text of the JSON list in the file named, the inline elements of the
# kinds the pass handles that pandoc reads from it.
READ_SCRIPT = """
local reader, listing = table.unpack(arg)
local handle = assert(io.open(listing, "rb"))
local texts = pandoc.json.decode(handle:read("a"), false)
handle:close()
local found = {}
for i, text in ipairs(texts) do
  local kinds = {}
  local function note(element) table.insert(kinds, element.t) end
  pandoc.read(text, reader, nil, {}):walk({ Link = note, Image = note, Span = note })
  found[i] = kinds
end
io.stdout:write(pandoc.json.encode(found))
"""


# What convert.lua's may_hold_inline_markup looks for, as a Python pattern.
MAY_HOLD = re.compile(r"[\[<]|\\[xuU]0*[35][bBcC]")


def inline_markup(texts: list[str], tmp_path: Path) -> list[list[str]]:
    """The links, images and spans pandoc reads from each text."""
    script, listing = tmp_path / "read.lua", tmp_path / "texts.json"
    script.write_text(READ_SCRIPT, encoding="utf-8")
    listing.write_text(json.dumps(texts), encoding="utf-8")
    command = [convert.pandoc_path(), "lua", str(script), convert.MARKDOWN, str(listing)]
    done = subprocess.run(command, capture_output=True, check=True)
    return [list(kinds) for kinds in json.loads(done.stdout)]  # Lua's empty table: {}


# Texts that come close: addresses, attributes without brackets, every other inline
# syntax of pandoc's Markdown, a table and a fenced div.
CLOSE_CALLS = [
    "https://www.exempel.se/sida?a=1&b=2 och www.exempel.se",
    "registrator@kommun.se, mailto:registrator@kommun.se",
    "*betonat*{.klass} och `kod`{.klass} och **fet**{#id}",
    "# Rubrik {#rubrik .klass}\n\nText.",
    "::: {.signatures}\nText\n:::\n",
    "@kalla och -@kalla och (@) exempel",
    "H~2~O, 2^10^, ~~struken~~, fotnot^ utan hakparentes",
    "| a | b |\n|---|---|\n| https://a.se | x |\n",
    "Text ]](https://a.se) och ](b){.c} och !](d)",
    "&lt;https://a.se&gt; och &#91;x&#93;(y) och &#60;https://a.se&#62;",
    "$x$ och $$y$$ och \\(z\\)",
    '---\ntitle: "\\x41 och \\u00e5 och \\x3A"\nlang: sv\n---\n\nText.',
]


def test_without_brackets_pandoc_reads_no_link_image_or_span(tmp_path: Path) -> None:
    assert not [t for t in CLOSE_CALLS if MAY_HOLD.search(t)]
    assert inline_markup(CLOSE_CALLS, tmp_path) == [[] for _ in CLOSE_CALLS]


def test_the_check_finds_links_images_and_spans(tmp_path: Path) -> None:
    """The control: each kind, written with its bracket, is found."""
    texts = ["<https://a.se>", "[a](https://a.se)", "![b](c.png)", "[d]{.e}", "[a]\n\n[a]: b",
             YAML_LINK]
    found = [["Link"], ["Link"], ["Image"], ["Span"], ["Link"], ["Span", "Link"]]
    assert inline_markup(texts, tmp_path) == found
    assert all(MAY_HOLD.search(t) for t in texts)


# A link and a span that only YAML's escapes make: the Markdown has no bracket.
YAML_LINK = (
    '---\ntitle: "\\x5Bk\\x5D(file:///etc/passwd)"\n'
    'subtitle: "\\u005Bs\\U0000005D{.deletion}"\n---\n\nText.\n'
)


def test_a_link_made_by_a_yaml_escape_is_made_harmless() -> None:
    assert "[" not in YAML_LINK and "<" not in YAML_LINK
    docx = zipfile.ZipFile(io.BytesIO(convert.to_docx(YAML_LINK, epoch=0)))
    assert "passwd" not in docx.read("word/_rels/document.xml.rels").decode()
    assert "passwd" not in convert.to_typst(YAML_LINK, epoch=0)


# Pieces of Markdown syntax (every ASCII mark but the two brackets) and of addresses.
PIECES = [*"aåZ09 \n\t.,:/@!*_`~^$#|{}()=-+\\&;\"'%?>", "http://", "www.", ".se", "::: "]
MARKDOWN_TEXT = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=25, deadline=None)
@given(texts=st.lists(MARKDOWN_TEXT, min_size=40, max_size=40))
def test_no_text_without_brackets_holds_a_link_image_or_span(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        assert inline_markup(texts, Path(folder)) == [[] for _ in texts]
