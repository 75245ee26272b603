-- HTML pages only (after layout.lua). Headings move one level down, so that the page
-- title is the page's one h1. Every table becomes a "kort" table that the style sheet
-- shows as one card per row on a narrow screen. Each cell carries its column's heading (shown before
-- the value on a phone), and explicit roles keep it a table for screen readers when
-- the cards change how it is displayed.

local function heading_texts(head)
  local texts = {}
  for _, row in ipairs(head.rows) do
    for i, cell in ipairs(row.cells) do
      texts[i] = pandoc.utils.stringify(cell.contents)
    end
  end
  return texts
end

local function mark_rows(rows, texts, role)
  for _, row in ipairs(rows) do
    row.attr.attributes["role"] = "row"
    for i, cell in ipairs(row.cells) do
      cell.attr.attributes["role"] = role
      if role == "cell" and texts[i] and texts[i] ~= "" then
        cell.attr.attributes["data-rubrik"] = texts[i]
      end
    end
  end
end

function Header(header)
  header.level = header.level + 1
  return header
end

function Table(tbl)
  local texts = heading_texts(tbl.head)
  tbl.attr.classes:insert("kort")
  tbl.attr.attributes["role"] = "table"
  tbl.head.attr.attributes["role"] = "rowgroup"
  mark_rows(tbl.head.rows, texts, "columnheader")
  for _, body in ipairs(tbl.bodies) do
    body.attr.attributes["role"] = "rowgroup"
    mark_rows(body.body, texts, "cell")
  end
  return tbl
end
