-- Layout for pandoc: a `signatures` div of `signature` divs laid out two by two, each
-- block kept whole (Typst: an unbreakable grid; Word, HTML: a table), and bold table headers.
local function pairs_of(cells)
  if #cells % 2 == 1 then
    table.insert(cells, {})
  end
  local rows = {}
  for i = 1, #cells, 2 do
    table.insert(rows, { cells[i], cells[i + 1] })
  end
  return rows
end

-- Marks the Typst code of the signature grid, so that `Blocks` can find it.
local SIGNATURES_MARK = "// signatures\n"

-- Typst code around a block (a table, a list, a paragraph kept with what follows): the
-- block stays in the document between two raw blocks, and the writer writes the three as
-- the code with the block written into it (a line end after the first, the block's own
-- line ends before the last). Each call of the writer costs about as much as writing a
-- short document: a block is written on its own only where it must be, in the
-- signature grid's cells (see fragment_texts).
local function wrapped(open, block)
  return { pandoc.RawBlock("typst", open), block, pandoc.RawBlock("typst", "]") }
end

local STICKY = "#block(sticky: true)["

-- The signature grid's cells: a placeholder in the grid's code, each cell written in
-- the walk over the lists of blocks, all of a document's in one call (see put_back).
local fragments = {}

local function fragment(blocks)
  table.insert(fragments, blocks)
  return "\u{E000}" .. #fragments .. "\u{E001}"
end

local function typst_grid(cells)
  local parts = {}
  for _, blocks in ipairs(cells) do
    table.insert(parts, "block(breakable: false)[\n" .. fragment(blocks) .. "\n]")
  end
  -- Up to two rows of blocks stay together on one page; more may continue on the next
  -- page, but never inside a party's block.
  local whole = #cells <= 4 and "false" or "true"
  return pandoc.RawBlock("typst", SIGNATURES_MARK
    .. "#block(breakable: " .. whole .. ", above: 2em, grid(columns: (1fr, 1fr), "
    .. "column-gutter: 2.5em, row-gutter: 2em,\n"
    .. table.concat(parts, ",\n") .. "))")
end

local function Div(div)
  if not div.classes:includes("signatures") then
    return nil
  end
  local cells = {}
  for _, block in ipairs(div.content) do
    if block.t == "Div" and block.classes:includes("signature") then
      table.insert(cells, block.content)
    end
  end
  if FORMAT == "typst" then
    return typst_grid(cells)
  end
  local simple = pandoc.SimpleTable({}, { pandoc.AlignLeft, pandoc.AlignLeft }, { 0.5, 0.5 }, {},
    pairs_of(cells))
  local tbl = pandoc.utils.from_simple_table(simple)
  -- Word: the signature blocks are a table without the rules of the document's tables.
  tbl.attr = pandoc.Attr("", {}, { { "custom-style", "Underskrifter" } })
  return tbl
end

-- Typst: the signing clause just before the signatures stays on their page (the heading
-- before it is sticky already), so "Underskrifter" never ends a page on its own.
local function signatures(block)
  return block ~= nil and block.t == "RawBlock" and block.format == "typst"
    and block.text:sub(1, #SIGNATURES_MARK) == SIGNATURES_MARK
end

-- Word: column widths from what each column holds, not from the dashes of the Markdown
-- table (a fixed grid broke telephone numbers and e-mail addresses mid-word): each
-- column gets at least its longest word (numbers and references keep their no-break
-- spaces) and, as far as the line allows, its longest line, as a browser sets a table.
-- Widths are in em of the table text (9,5 pt): the text width (160 mm) is about 47 em,
-- and a cell's margins take about 1 em. A character's width is guessed from its kind
-- (close enough for Libertinus Serif and the serifs Word puts in its place).
local LINE_EMS = 47
local CELL_EMS = 1.5
-- Word and LibreOffice put another font in Libertinus Serif's place where it is not
-- installed (DejaVu Sans here, Calibri or Times New Roman on most desktops), whose
-- digits and letters are wider: a column's least width (its longest word, a telephone
-- number or an e-mail address kept whole) gets this much room to spare.
local FALLBACK_SPARE = 1.2
local NARROW = {}
for _, c in utf8.codes(" .,:;'’()[]|!ijltfr\u{A0}") do
  NARROW[c] = true
end

local function em_width(text)
  local width = 0
  for _, c in utf8.codes(text) do
    if NARROW[c] then
      width = width + 0.3
    elseif c >= 48 and c <= 57 then -- digits
      width = width + 0.5
    elseif c == 64 or c == 109 or c == 119 or c == 0x2014 then -- @ m w —
      width = width + 0.8
    elseif (c >= 65 and c <= 90) or c == 0xC5 or c == 0xC4 or c == 0xD6 then -- capitals
      width = width + 0.65
    else
      width = width + 0.48
    end
  end
  return width
end

local function cell_widths(blocks)
  local longest_word, longest_line = 0, 0
  for _, block in ipairs(blocks) do
    local text = pandoc.utils.stringify(block)
    longest_line = math.max(longest_line, em_width(text))
    for word in text:gmatch("%S+") do
      longest_word = math.max(longest_word, em_width(word))
    end
  end
  return longest_word, longest_line
end

local function column_widths(tbl)
  local least, most = {}, {}
  for j = 1, #tbl.colspecs do
    least[j], most[j] = 0, 0
  end
  local function measure(rows)
    for _, row in ipairs(rows) do
      local j = 1
      for _, c in ipairs(row.cells) do
        if c.col_span == 1 and least[j] then
          local word, line = cell_widths(c.contents)
          least[j] = math.max(least[j], word * FALLBACK_SPARE + CELL_EMS)
          most[j] = math.max(most[j], line + CELL_EMS)
        end
        j = j + c.col_span
      end
    end
  end
  measure(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    measure(body.head)
    measure(body.body)
  end
  measure(tbl.foot.rows)
  local sum_least, sum_most = 0, 0
  for j = 1, #least do
    sum_least, sum_most = sum_least + least[j], sum_most + most[j]
  end
  local widths = {}
  for j = 1, #least do
    if sum_most <= LINE_EMS or sum_most == sum_least then
      widths[j] = most[j]
    elseif sum_least >= LINE_EMS then
      widths[j] = least[j]
    else
      local share = (LINE_EMS - sum_least) / (sum_most - sum_least)
      widths[j] = least[j] + (most[j] - least[j]) * share
    end
  end
  local total = 0
  for j = 1, #widths do
    total = total + widths[j]
  end
  for j = 1, #widths do
    tbl.colspecs[j] = { tbl.colspecs[j][1], total > 0 and widths[j] / total or nil }
  end
  return tbl
end

-- Typst has no header style of its own for pandoc's tables: make header cells bold.
local function bold_header(tbl)
  for _, row in ipairs(tbl.head.rows) do
    for _, c in ipairs(row.cells) do
      c.contents = pandoc.walk_block(pandoc.Div(c.contents), {
        Plain = function(p) return pandoc.Plain({ pandoc.Strong(p.content) }) end,
        Para = function(p) return pandoc.Para({ pandoc.Strong(p.content) }) end,
      }).content
    end
  end
  return tbl
end

-- Typst: a short table is never split across pages (a header and one row at the foot of
-- a page), and a paragraph that leads into a table, or into a list with a colon, stays on
-- the page of what it introduces.
local SHORT_TABLE_ROWS = 8

local function table_rows(tbl)
  local rows = #tbl.head.rows + #tbl.foot.rows
  for _, body in ipairs(tbl.bodies) do
    rows = rows + #body.head + #body.body
  end
  return rows
end

local WHOLE_TABLE = "#block(breakable: false)["
local WHOLE_LIST = "#block(breakable: false, width: 100%)["

local function typst_table(tbl)
  tbl = bold_header(tbl)
  if table_rows(tbl) > SHORT_TABLE_ROWS then
    return tbl
  end
  return wrapped(WHOLE_TABLE, tbl)
end

local LEADS_INTO = { Table = true, BulletList = true, OrderedList = true }

-- Typst: a short list (a decision's recipients, its basis: a few lines) is never split
-- with an item or two alone on the next page.
local SHORT_LIST_ITEMS = 15
local SHORT_LIST_CHARS = 900

local function whole_list(list)
  if #list.content > SHORT_LIST_ITEMS
      or utf8.len(pandoc.utils.stringify(list)) > SHORT_LIST_CHARS then
    return nil
  end
  return wrapped(WHOLE_LIST, list)
end

-- Whether a paragraph stays on the page of the block after it (of type `tag`): a table
-- (or a short table already kept whole by typst_table: same walk, done first), which a
-- paragraph just before it introduces; a list (or a short list kept whole) after a
-- colon; the signature grid after the signing clause.
local function keeps_with(para, after, tag)
  local raw = tag == "RawBlock" and after.text
  if tag == "Table" or raw == WHOLE_TABLE then
    return true
  end
  if LEADS_INTO[tag] or raw == WHOLE_LIST then
    local last = para.content[#para.content]
    return last ~= nil and last.t == "Str" and last.text:sub(-1) == ":"
  end
  return raw and signatures(after)
end

-- Every fragment written in one call of the Typst writer, each between two numbered
-- comment lines (text can hold no comment: the writer escapes "//"). A fragment is the
-- text between its two less the line end before the second: the writer's line end
-- between two blocks, which ends no document of its own. The placeholders are then put
-- back in the grid's code (our own raw blocks: the Markdown is read without any).
local function separator(n)
  return "// avtal-fragment " .. n
end

local function fragment_texts()
  local batch = pandoc.Blocks({ pandoc.RawBlock("typst", separator(0)) })
  for n, content in ipairs(fragments) do
    batch:extend(content)
    batch:insert(pandoc.RawBlock("typst", separator(n)))
  end
  local written = pandoc.write(pandoc.Pandoc(batch), "typst", { wrap_text = "none" })
  local texts, from = {}, 1
  for n = 1, #fragments do
    local _, start = written:find(separator(n - 1) .. "\n", from, true)
    local stop = written:find("\n" .. separator(n) .. "\n", start, true)
      or written:find("\n" .. separator(n), start, true)
    texts[n] = written:sub(start + 1, stop - 1)
    from = stop + 1
  end
  return texts
end

-- The signature grid with its cells' code in place of their placeholders (all the
-- fragments written once, when the first grid is met); nil for any other block.
local written_fragments

local function put_back(block)
  if not signatures(block) then
    return nil
  end
  written_fragments = written_fragments or fragment_texts()
  local text = block.text:gsub("\u{E000}(%d+)\u{E001}", function(n)
    return written_fragments[tonumber(n)]
  end)
  return pandoc.RawBlock("typst", text)
end

-- Each list of blocks (the document's own, a div's, a list item's ...): each paragraph
-- that keeps_with the next block kept on its page, and a signature grid given its
-- cells; nil (nothing changed, pandoc reads nothing back) where there is neither. One
-- walk over the lists does both: a grid stands in some list of blocks, and every
-- fragment is known once the blocks themselves are walked (Div comes first). Each
-- block's type is asked once: asking costs more than the rest.
local function lay_out_blocks(blocks)
  local tags, changed = {}, nil
  for i, block in ipairs(blocks) do
    tags[i] = block.t
  end
  for i, tag in ipairs(tags) do
    local new
    if tag == "Para" and tags[i + 1] and keeps_with(blocks[i], blocks[i + 1], tags[i + 1]) then
      new = wrapped(STICKY, blocks[i])
    elseif tag == "RawBlock" and #fragments > 0 then
      local grid = put_back(blocks[i])
      new = grid and { grid }
    end
    if new then
      changed = changed or {}
      changed[i] = new
    end
  end
  if not changed then
    return nil
  end
  local kept = pandoc.Blocks({})
  for i, block in ipairs(blocks) do
    if changed[i] then
      kept:extend(changed[i])
    else
      kept:insert(block)
    end
  end
  return kept
end

-- Redlines: Word gets pandoc's own tracked changes; Typst has no such spans, so
-- insertions are shown underlined in blue and deletions struck through in red.
local function Span(span)
  local style
  if span.classes:includes("insertion") then
    style = '#underline(text(fill: rgb("#1c4f9c"))['
  elseif span.classes:includes("deletion") then
    style = '#strike(text(fill: rgb("#b3261e"))['
  else
    return nil
  end
  local out = { pandoc.RawInline("typst", style) }
  for _, inline in ipairs(span.content) do
    table.insert(out, inline)
  end
  table.insert(out, pandoc.RawInline("typst", "])"))
  if span.classes:includes("deletion") then
    -- A replacement is deletion and insertion side by side; typst collapses double spaces.
    table.insert(out, pandoc.Space())
  end
  return out
end

-- Word: a tracked insertion or deletion that stands alone between two spaces takes one
-- of them along, so that accepting or rejecting all changes leaves one space, not two.
local function revision(inline)
  return inline ~= nil and inline.t == "Span"
    and (inline.classes:includes("insertion") or inline.classes:includes("deletion"))
end

local function gap(inline)
  return inline == nil or inline.t == "Space" or inline.t == "SoftBreak" or inline.t == "LineBreak"
end

local function kind(inline)
  if inline == nil or inline.t ~= "Span" then
    return nil
  end
  if inline.classes:includes("insertion") then
    return "insertion"
  end
  return inline.classes:includes("deletion") and "deletion" or nil
end

local function soft(inline)
  return inline ~= nil and (inline.t == "Space" or inline.t == "SoftBreak")
end

local function Inlines(inlines)
  -- A deleted line followed by an inserted one (or the reverse) in one paragraph: the
  -- line break between them belongs to neither version, so the two touch.
  local i = 2
  while i < #inlines do
    local before, after = kind(inlines[i - 1]), kind(inlines[i + 1])
    if soft(inlines[i]) and before and after and before ~= after then
      inlines:remove(i)
    else
      i = i + 1
    end
  end
  i = 1
  while i <= #inlines do
    local span, before, after = inlines[i], inlines[i - 1], inlines[i + 1]
    if revision(span) and gap(before) and gap(after) then
      -- A line break inside a paragraph is a space too (a deleted or added line).
      if soft(after) then
        span.content:insert(pandoc.Space())
        inlines:remove(i + 1)
      elseif soft(before) then
        span.content:insert(1, pandoc.Space())
        inlines:remove(i - 1)
        i = i - 1
      end
    end
    i = i + 1
  end
  return inlines
end

-- Spec text never reaches a document as a resource or an active link, whatever passed
-- the field check: an image becomes its description, a link to anything but a web or
-- e-mail address its text (the documents' own images come from the templates).
local function Image(image)
  return image.caption
end

local function Link(link)
  local target = link.target:lower()
  if target:match("^https?://") or target:match("^mailto:") then
    return nil
  end
  return link.content
end

-- Each pass runs for the formats where it can change something, in the order pandoc
-- runs the functions of one filter (inline elements, lists of inlines, block elements,
-- lists of blocks, the document): each of these groups walks the whole document, which
-- costs about as much as writing a short one, so a pass that changes nothing is not
-- run, and the Typst code's passes share one filter. The first passes (and Word's
-- revision spaces, which need a span) run only where the Markdown can hold a link, an
-- image or a span: the converter (convert.lua) says so in INLINE_MARKUP; run any other
-- way, they run.
local revisions = false
local function note_revision(span)
  revisions = revisions or kind(span) ~= nil
end

-- The first passes, where the Markdown can hold a link, an image or a span; Word's
-- revision spaces need a span (a revision) to change anything.
local inline_passes = {
  docx = {
    { Image = Image, Link = Link, Span = note_revision },
    { Pandoc = function(doc)
        if revisions then
          return doc:walk({ Inlines = Inlines })
        end
      end },
  },
  typst = { { Image = Image, Link = Link, Span = Span } },
}

local passes = {
  docx = { { Div = Div, Table = column_widths } },
  typst = {
    { Div = Div, Table = typst_table, BulletList = whole_list, OrderedList = whole_list,
      Blocks = lay_out_blocks },
  },
}

local chosen = passes[FORMAT]
if not chosen then
  return { { Image = Image, Link = Link, Div = Div } }
end
if INLINE_MARKUP ~= false then
  for i, pass in ipairs(inline_passes[FORMAT]) do
    table.insert(chosen, i, pass)
  end
end
return chosen
