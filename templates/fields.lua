-- What a Markdown field in a spec may hold: content only, never structure or resources.
-- Run as `pandoc lua fields.lua READER_FORMAT`, a warm process like convert.lua: each
-- line on stdin is one text as a JSON string, each answer on stdout a line `ok LENGTH`
-- (or `err LENGTH`) followed by exactly LENGTH bytes: a JSON list of what the text
-- holds that it must not, {kind = "image" | "meta" | "header" | "div" | "span" |
-- "link" | "attributes" | "raw" | "open", detail = text} (or pandoc's error message).
-- Ordinary content (paragraphs, lists, emphasis, tables, web and e-mail links) gives
-- an empty list.
local READER = arg[1]
local SENTINEL = "avtalsfaltetsslut"

local function allowed(target)
  local lower = target:lower()
  return lower:match("^https?://") ~= nil or lower:match("^mailto:") ~= nil
end

-- Autolinks (<https://…>, <mailto:…>) carry the class uri or email of their own.
local function has_attributes(attr)
  for _, class in ipairs(attr.classes) do
    if class ~= "uri" and class ~= "email" then
      return true
    end
  end
  return attr.identifier ~= "" or #attr.attributes > 0
end

local function check(text)
  local found = {}
  local function add(kind, detail)
    table.insert(found, { kind = kind, detail = detail or "" })
  end
  local doc = pandoc.read(text, READER, nil, {}) -- {}: in a sandbox, reading no file
  for key, _ in pairs(doc.meta) do
    add("meta", key)
  end
  doc:walk({
    Header = function(h) add("header", pandoc.utils.stringify(h.content)) end,
    Div = function(_) add("div") end,
    Span = function(s) add("span", pandoc.utils.stringify(s.content)) end,
    Image = function(i) add("image", i.src) end,
    Link = function(l)
      if not allowed(l.target) then
        add("link", l.target)
      elseif has_attributes(l.attr) then
        add("attributes", pandoc.utils.stringify(l.content))
      end
    end,
    RawBlock = function(r) add("raw", r.format) end,
    RawInline = function(r) add("raw", r.format) end,
  })
  -- Line by line, what the parse alone does not show: a div fence that closes nothing
  -- here, and a link definition that another field could use.
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    if line:match("^%s*:::") then
      add("div")
    elseif line:match("^ ? ? ?%[[^%]]+%]:") then
      add("definition", line)
    end
  end
  -- The field must end where it ends: followed by a paragraph and then by lines that
  -- would close any open code block or div, that paragraph must stand on its own.
  -- Otherwise an opening fence here would take the template's text after it along.
  local closers = "\n\n" .. SENTINEL .. "\n\n" .. string.rep("`", 16) .. "\n\n"
    .. string.rep("~", 16) .. "\n\n:::\n"
  local probe = pandoc.read(text .. closers, READER, nil, {})
  local alone = false
  for _, block in ipairs(probe.blocks) do
    if block.t == "Para" and pandoc.utils.stringify(block) == SENTINEL then
      alone = true
    end
  end
  if not alone then
    add("open")
  end
  return found
end

local function answer(status, body)
  io.stdout:write(status, " ", tostring(#body), "\n", body)
  io.stdout:flush()
end

for line in io.stdin:lines() do
  local ok, result = pcall(function() return check(pandoc.json.decode(line, false)) end)
  if ok then
    answer("ok", pandoc.json.encode(result))
  else
    answer("err", tostring(result))
  end
end
